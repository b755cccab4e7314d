"""The interpreter's dispatch tables: calls, attributes and methods by the value's type, and calls of
library functions by the callee's import path (`numpy.zeros`, `keras.ops.reshape`).

`module_table` lists in one place, world by world, the library functions each models. A handler
is found by the exact path (as resolved, or normalized by `names.normalize`), a dotted prefix
(`math` takes `math.ceil`), a suffix of the path's text (`.load_data`) or its last name (`zeros`).
When several match one path they are tried in the order they were registered (not longest prefix
first: the cases were told apart in this order before, and a prefix and a last name can match the
same path), and a handler returns DECLINED when the call is not its case. Between the handlers
registered before the tensor rule and those after it sits the rule for everything else: a call
with a tensor among its arguments makes an operation tensor (`keras.ops.concatenate([a, b])`);
after them, a call nothing models leaves its arguments' arrays without known elements.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kerascheck.extract import names as knames
from kerascheck.extract import numpy_values as knp
from kerascheck.extract import pipelines, tables
from kerascheck.extract.common import DECLINED, CallSite, TypeTable, flatten_tensors, unfollowed
from kerascheck.extract.keras_ops import RANDOM_TENSORS
from kerascheck.extract.values import (
    ArgParser,
    BoundMethod,
    Builtin,
    Factory,
    Function,
    Instance,
    LambdaFunction,
    LayerClass,
    MergeFunction,
    Module,
    Partial,
    SuperProxy,
    Tensor,
    UserClass,
)
from kerascheck.model import Labels, Layer, Model

if TYPE_CHECKING:
    from kerascheck.extract.interpreter import Interpreter

Handler = Callable[[str, list[Any], dict[str, Any], CallSite], Any]
# (registration order, handler, runs only when no argument holds a tensor)
_Entry = tuple[int, Handler, bool]


class CallTable:
    """Handlers for module-path calls, keyed by exact path, dotted prefix, text suffix or last name."""

    def __init__(self) -> None:
        self.count = 0
        # (normalized?) -> key -> entries
        self.exact: dict[bool, dict[str, list[_Entry]]] = {False: {}, True: {}}
        self.prefixes: dict[bool, dict[str, list[_Entry]]] = {False: {}, True: {}}
        self.suffixes: dict[bool, dict[int, dict[str, list[_Entry]]]] = {False: {}, True: {}}
        self.last_names: dict[str, list[_Entry]] = {}
        self.found: dict[str, tuple[tuple[Handler, ...], tuple[Handler, ...]]] = {}

    def _entry(self, handler: Handler, after_tensors: bool) -> _Entry:
        self.count += 1
        self.found.clear()
        return (self.count, handler, after_tensors)

    def on_path(self, path: str, handler: Handler, *, normalized: bool = False, after_tensors: bool = False) -> None:
        """`path` exactly (as resolved, or after `names.normalize` folds `tf.keras` and `keras.src` into `keras`)."""
        self.exact[normalized].setdefault(path, []).append(self._entry(handler, after_tensors))

    def under(self, prefix: str, handler: Handler, *, normalized: bool = False, after_tensors: bool = False) -> None:
        """Every path inside the module `prefix` (`math` takes `math.ceil`, not `math` itself)."""
        self.prefixes[normalized].setdefault(prefix, []).append(self._entry(handler, after_tensors))

    def ending(self, suffix: str, handler: Handler, *, normalized: bool = False, after_tensors: bool = False) -> None:
        """Every path whose text ends with `suffix` (`.load_data`)."""
        table = self.suffixes[normalized].setdefault(len(suffix), {})
        table.setdefault(suffix, []).append(self._entry(handler, after_tensors))

    def named(self, name: str, handler: Handler, *, after_tensors: bool = False) -> None:
        """Every path whose last name is `name` (`zeros` in `keras.ops.zeros` and `tf.zeros`)."""
        self.last_names.setdefault(name, []).append(self._entry(handler, after_tensors))

    def lookup(self, path: str) -> tuple[tuple[Handler, ...], tuple[Handler, ...]]:
        """The handlers for `path` in registration order: those tried before the tensor rule, and after it."""
        found = self.found.get(path)
        if found is not None:
            return found
        entries: list[_Entry] = []
        for normalized, form in ((False, path), (True, knames.normalize(path))):
            entries += self.exact[normalized].get(form, [])
            parts = form.split(".")
            for i in range(1, len(parts)):
                entries += self.prefixes[normalized].get(".".join(parts[:i]), [])
            for length, table in self.suffixes[normalized].items():
                entries += table.get(form[-length:], []) if len(form) >= length else []
        entries += self.last_names.get(path.rsplit(".", 1)[-1], [])
        entries.sort(key=lambda entry: entry[0])
        found = (tuple(h for _, h, late in entries if not late), tuple(h for _, h, late in entries if late))
        self.found[path] = found
        return found


def call_module(ip: Interpreter, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
    """A call of a library function by its import path."""
    before, after = ip.call_table.lookup(path)
    for handler in before:
        result = handler(path, positional, keywords, site)
        if result is not DECLINED:
            return result
    if any(flatten_tensors(a) for a in [*positional, *keywords.values()]):
        return ip.ops.tensor_call(path, positional, keywords, site)
    for handler in after:
        result = handler(path, positional, keywords, site)
        if result is not DECLINED:
            return result
    return unfollowed(positional, keywords)


def module_table(ip: Interpreter) -> CallTable:
    """Every library call the interpreter models, in the order the cases are told apart."""
    table = CallTable()
    # Before the tensor rule: NumPy and the standard library, and Keras functions that take tensors
    # but are not operations on them.
    table.under("numpy", lambda path, positional, keywords, site: tables.numpy_module(
        path, positional, keywords, site, ip.is_unsure))  # frames and arrays of partly known sizes, before NumPy's subset
    table.on_path("numpy", knp.call_module)
    table.under("numpy", knp.call_module)
    table.under("pandas", lambda path, positional, keywords, site: tables.pandas_call(
        path, positional, keywords, ip.is_unsure))
    table.under("sklearn.datasets", ip.training.sklearn_dataset)
    table.under("sklearn", tables.sklearn_module)
    py = ip.pylib
    table.on_path("json.loads", py.json_loads)
    table.on_path("ast.literal_eval", py.literal_eval)
    table.on_path("os.path.join", py.path_join)
    table.on_path("argparse.ArgumentParser", py.argument_parser)
    table.on_path("io.StringIO", py.string_io)
    for name in ("re.split", "re.findall", "re.sub"):
        table.on_path(name, py.regex)
    table.on_path("csv.reader", py.csv_reader)
    table.under("math", py.math_call)
    ops = ip.ops
    table.ending("image_data_format", ops.image_data_format)
    for name in ("keras.backend.epsilon", "keras.config.epsilon"):
        table.on_path(name, ops.epsilon, normalized=True)
    table.ending(".broadcast_to", ops.broadcast_to)
    table.ending("int_shape", ops.int_shape)
    table.ending("imagenet_utils.correct_pad", ops.correct_pad)
    table.under("keras.applications", ip.applications.call, normalized=True)
    for name in ("image_dataset_from_directory", "text_dataset_from_directory", "audio_dataset_from_directory",
                 "timeseries_dataset_from_array"):
        table.ending(f"utils.{name}", lambda path, positional, keywords, site: pipelines.utils_call(
            path.rsplit(".", 1)[-1], positional, keywords), normalized=True)
    for name in ("from_tensor_slices", "from_tensors", "from_generator"):
        table.ending(f"data.Dataset.{name}", lambda path, positional, keywords, site: pipelines.data_call(
            path.rsplit(".", 1)[-1], positional, keywords), normalized=True)
    for name in ("keras.backend.clear_session", "keras.utils.clear_session"):
        table.on_path(name, ip.clear_session, normalized=True)
    table.ending(".pad_sequences", lambda path, positional, keywords, site: tables.padded_sequences(
        positional, keywords, ip.is_unsure))
    table.ending(".TensorSpec", lambda path, positional, keywords, site: pipelines.tensor_spec(positional, keywords))
    # After it: calls on no tensor.
    training = ip.training
    table.ending(".load_data", training.load_data, after_tensors=True)
    table.ending("activations.get", ops.activation_get, after_tensors=True)
    table.ending("ops.arange", ops.arange, after_tensors=True)
    table.under("keras.ops", ops.scalar_op, normalized=True, after_tensors=True)
    table.under("tensorflow", ops.scalar_op, after_tensors=True)
    for name in ("tensorflow.range", "tf.range"):
        table.on_path(name, ops.arange, after_tensors=True)
    for name in ("convert_to_tensor", "constant", "array"):
        table.named(name, ops.constant_of_array, after_tensors=True)
    for name in ("eye", "zeros", "ones", "full"):
        table.named(name, ops.constant, after_tensors=True)
    table.ending("signal.linear_to_mel_weight_matrix", ops.tf_constant, after_tensors=True)
    for name in sorted(RANDOM_TENSORS):
        table.named(name, ops.random_tensor, after_tensors=True)
    table.under("keras.optimizers", training.optimizer, normalized=True, after_tensors=True)
    table.ending(".merge", training.merge, normalized=True, after_tensors=True)
    table.ending("models.clone_model", ip.objects.clone_model, normalized=True, after_tensors=True)
    for name in ("keras.models.load_model", "keras.saving.load_model"):
        table.on_path(name, training.load_model, normalized=True, after_tensors=True)
    table.ending("callbacks.ModelCheckpoint", training.checkpoint, normalized=True, after_tensors=True)
    table.ending("to_categorical", training.to_categorical, normalized=True, after_tensors=True)
    table.under("keras.losses", training.loss, normalized=True, after_tensors=True)
    return table


def map_function(ip: Interpreter, fn: Any, args: list[Any]) -> Any:
    """`ds.map(fn)`: `fn` called on tensors of the shapes of the element's arrays (a dict of arrays is a
    dict of tensors; an array of unknown shape a tensor of unknown shape), as tf.data traces it; not part
    of any model."""
    def as_tensor(value: Any) -> Any:
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            return {k: as_tensor(v) for k, v in value.items()}
        return ip.ops.op_tensor("dataset_element", [], tables.as_shape(value))

    return ip.call(fn, [as_tensor(a) for a in args], {})


def type_tables(ip: Interpreter) -> tuple[TypeTable, TypeTable, TypeTable]:
    """What calling a value, reading its attribute, and calling its method do, by the value's type."""
    objects, graph, classes, pylib = ip.objects, ip.graph, ip.classes, ip.pylib
    call_by_type = TypeTable({
        LayerClass: objects.call_layer_class, Factory: objects.call_factory_at, Layer: graph.call_layer,
        Model: graph.call_model, BoundMethod: ip.call_bound, Function: ip.call_file_function,
        LambdaFunction: ip.call_lambda_at, MergeFunction: graph.call_merge, Partial: ip.call_partial,
        UserClass: classes.call_class, Builtin: ip.call_builtin, Instance: classes.call_instance,
        Module: ip.call_module,
    })
    attribute_by_type = TypeTable({
        Module: lambda obj, attr: knames.resolve(f"{obj.path}.{attr}"), knp.NdArray: knp.array_attribute,
        Model: objects.model_attribute, UserClass: classes.class_attribute, Labels: ip.training.labels_attribute,
        ArgParser: pylib.parser_attribute, Tensor: graph.tensor_attribute, list: pylib.list_attribute,
        set: pylib.set_attribute,
        Instance: classes.instance_attribute, Layer: objects.layer_attribute, dict: pylib.dict_attribute,
        str: pylib.str_attribute, tables.Frame: tables.frame_attribute, tables.Series: tables.series_attribute,
        tables.DataArray: tables.data_attribute, tables.Transformer: tables.transformer_attribute,
        tables.Bunch: tables.bunch_attribute,
        pipelines.Dataset: pipelines.attribute, SuperProxy: classes.super_attribute,
    })
    method_by_type = TypeTable({
        knp.NdArray: knp.array_method, ArgParser: pylib.parser_method, Layer: objects.layer_method,
        Instance: classes.instance_method, list: pylib.list_method, dict: pylib.dict_method, set: pylib.set_method,
        str: pylib.str_method, Model: objects.model_method, Labels: ip.training.labels_method,
        tables.Frame: tables.frame_method, tables.Series: tables.series_method, tables.DataArray: tables.data_method,
        tables.Transformer: tables.transformer_method,
        pipelines.Dataset: lambda dataset, name, positional, keywords, node: pipelines.method(
            dataset, name, positional, keywords, node, lambda fn, args: map_function(ip, fn, args)),
    })
    return call_by_type, attribute_by_type, method_by_type
