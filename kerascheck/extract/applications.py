"""`keras.applications`: the pretrained backbones scripts build on, from a data file made with real Keras.

`keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, pooling="avg")` makes a
functional model of 150-odd layers. kerascheck does not import Keras, so `tools/gen_applications.py`
wrote each application's layers once, with real Keras, into `kerascheck/data/applications.json.gz`:
every layer's class, name, configuration and inputs for the base network, the layers `pooling=` and
`include_top=True` add, and the sizes that depend on the input. This module builds that graph in the
interpreter, layer by layer through the layer catalogue, on the input the call asks for, so that the
shapes and parameter counts follow from the same rules as the file's own layers. The data file is
read once, and only by files that use an application.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from kerascheck.diagnostics import Span
from kerascheck.extract.common import DECLINED, CallSite
from kerascheck.extract.keras_ops import BROADCAST_OPS, op_shape
from kerascheck.extract.values import LayerClass, Tensor
from kerascheck.layers import CATALOGUE, snake_case
from kerascheck.model import Layer, Model
from kerascheck.shapes import UNKNOWN

if TYPE_CHECKING:
    from kerascheck.extract.interpreter import Interpreter

# The constructor arguments the data answers for. The layer-changing options (`alpha`, `minimalistic`) are
# followed at their defaults and at the values the data has a variant for; the top's dropout rate is
# substituted. Any other option (`depth_multiplier`, `include_preprocessing`...) changes the layers.
_FOLLOWED = frozenset({"include_top", "weights", "input_tensor", "input_shape", "pooling", "classes",
                       "classifier_activation", "name", "dropout", "dropout_rate"})
_VARIANT_DEFAULTS = {"alpha": 1.0, "minimalistic": False}
_CLASSES = "__classes__"
_CLASSIFIER = "__classifier_activation__"


@functools.cache
def _data() -> dict[str, Any]:
    try:
        raw = resources.files("kerascheck").joinpath("data/applications.json.gz").read_bytes()
        return json.loads(gzip.decompress(raw))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return {"models": {}}


@functools.cache
def _by_path() -> dict[str, str]:
    """Each public path (`keras.applications.mobilenet_v2.MobileNetV2`) to its application's name."""
    found = {}
    for name, entry in _data()["models"].items():
        for path in entry.get("paths", []):
            found[path] = name
    return found


def lookup(path: str) -> dict[str, Any] | None:
    """The data of the application a normalized path names, or None."""
    name = _by_path().get(path)
    if name is None and path.startswith("keras.applications."):
        last = path.rsplit(".", 1)[-1]
        name = last if last in _data()["models"] else None
    return _data()["models"].get(name) if name is not None else None


class Applications:
    """Calls of `keras.applications.*` constructors, built as functional models."""

    def __init__(self, ip: Interpreter) -> None:
        self.ip = ip

    def call(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if path.endswith(".preprocess_input"):
            return self._preprocess(positional, keywords)
        entry = lookup(path)
        if entry is None or site.node is None or positional:
            return DECLINED  # positional arguments of these constructors are rare and not followed
        try:
            return self._build(entry, keywords, site)
        except (KeyError, TypeError, ValueError):
            return UNKNOWN  # the data holds something this reader does not follow

    def _preprocess(self, positional: list[Any], keywords: dict[str, Any]) -> Any:
        """`preprocess_input(x)` scales or centres the values: the same shape."""
        x = positional[0] if positional else keywords.get("x")
        if isinstance(x, Tensor):
            return self.ip.ops.op_tensor("preprocess_input", [x], x.shape)
        return x if x is not None else UNKNOWN

    def _input_shape(self, entry: dict[str, Any], keywords: dict[str, Any], include_top: bool) -> Any:
        """What `imagenet_utils.obtain_input_shape` gives (channels last)."""
        given = keywords.get("input_shape")
        if given is None:
            return tuple(entry["default_input_shape"]["top" if include_top else "base"])
        if not isinstance(given, (tuple, list)) or len(given) != 3:
            return UNKNOWN
        if not all(d is None or isinstance(d, int) and not isinstance(d, bool) for d in given):
            return UNKNOWN
        return tuple(given)

    def _build(self, entry: dict[str, Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if set(keywords) - _FOLLOWED - set(_VARIANT_DEFAULTS):
            return UNKNOWN  # an option the data was not made with
        found = _variant(entry, keywords)
        if found is None:
            return UNKNOWN  # a width multiplier or another option's value the data has no variant for
        entry = found
        include_top = keywords.get("include_top", True)
        pooling = keywords.get("pooling")
        classes = keywords.get("classes", 1000)
        activation = keywords.get("classifier_activation", "softmax")
        if not isinstance(include_top, bool) or pooling not in (None, "avg", "max"):
            return UNKNOWN
        if include_top and (not isinstance(classes, int) or isinstance(classes, bool) or classes <= 0):
            return UNKNOWN
        if include_top and not isinstance(activation, (str, type(None))):
            return UNKNOWN
        given = keywords.get("input_tensor")
        sources: list[Tensor] = []
        shape: Any
        if given is not None:
            # built on the caller's tensor; the model's inputs are the Inputs that tensor comes from, so it
            # also holds the caller's layers between them (Keras's `operation_utils.get_source_inputs`)
            sources = _source_inputs(given) if isinstance(given, Tensor) else []
            if not sources or given.shape is None or len(given.shape) != 4:
                return UNKNOWN
            shape = tuple(given.shape[1:])
            if not all(d is None or isinstance(d, int) and not isinstance(d, bool) for d in shape):
                return UNKNOWN
        else:
            shape = self._input_shape(entry, keywords, include_top)
        if shape is UNKNOWN:
            return UNKNOWN
        rate = keywords.get("dropout", keywords.get("dropout_rate"))
        if rate is not None and (not isinstance(rate, (int, float)) or isinstance(rate, bool)):
            return UNKNOWN
        size_dependent = entry.get("size_dependent", {})
        if size_dependent and tuple(shape) != tuple(entry.get("default_input_shape", {}).get(
                "top" if include_top else "base", ())):
            if any(not _even_rule(rule) for rule in size_dependent.values()):
                return UNKNOWN  # a layer's configuration depends on an input size the data does not cover
        assert site.node is not None
        span = self.ip.span(site.node)
        if entry.get("unknown_size_differs") and any(d is None for d in shape[:2]):
            return UNKNOWN  # Keras builds another graph when the input size is not fixed
        layers = list(entry["base"])
        variant = "top" if include_top else pooling
        if variant is not None:
            # the variant's layers follow the base's first `base_prefix` layers (all of them, mostly)
            layers = layers[: entry.get("base_prefix", {}).get(variant, len(layers))]
            layers += entry["top"] if include_top else entry["pooling"][variant]
        made: dict[str, list[Any]] = {}
        first: Tensor | None = None
        last: Any = None
        for record in layers:
            if record["class"] == "InputLayer":
                first = given if isinstance(given, Tensor) else self._input(shape, span)
                made[record["name"]] = [first]
                continue
            inputs = [made[name][index] for name, index in record["inbound"]]
            if "op" in record:
                # a bare keras.ops call in the graph (MobileNetV3's hard sigmoid: `x + 3.0`, `x * (1 / 6)`)
                out = self._operation(record, inputs)
                if out is None:
                    return UNKNOWN
                made[record["name"]] = [out]
                last = out
                continue
            config = {key: _substitute(value, classes, activation) for key, value in record["config"].items()}
            if include_top and record["class"] == "Dropout" and rate is not None:
                config["rate"] = rate
            rule = size_dependent.get(record["name"])
            if rule is not None:
                config[rule["key"]] = _correct_pad(rule, inputs[0].shape if inputs else None)
            layer = self._layer(record, config, span)
            if layer is None:
                return UNKNOWN
            arg: Any = inputs[0] if len(inputs) == 1 else inputs
            out = self.ip.graph.apply_layer(layer, [arg], {}, None)
            made[record["name"]] = list(out) if isinstance(out, (list, tuple)) else [out]
            last = out
        if first is None or not isinstance(last, Tensor):
            return UNKNOWN
        name = keywords.get("name")
        if not isinstance(name, str):
            name = _model_name(entry, shape)
        model_inputs: Any = first if not sources else sources[0] if len(sources) == 1 else sources
        model = self.ip.graph.make_functional([model_inputs, last], {"name": name}, None, span)
        if isinstance(model, Model):
            model.library = True
        return model

    def _operation(self, record: dict[str, Any], inputs: list[Any]) -> Tensor | None:
        """A `keras.ops` record: its arguments with the data's {"__inbound__": i} as the i-th input tensor."""
        args = [inputs[a["__inbound__"]] if isinstance(a, dict) else a for a in record.get("call_args", [])]
        if not isinstance(record["op"], str) or record["op"] not in BROADCAST_OPS or len(args) != 2:
            return None
        return self.ip.ops.op_tensor(record["op"], inputs, op_shape(record["op"], args, {}))

    def _input(self, shape: tuple[Any, ...], span: Span) -> Tensor:
        tensor = self.ip.objects.make_input("Input", [], {"shape": shape}, None, span)
        assert isinstance(tensor, Tensor)
        tensor.layer.library = True
        return tensor

    def _layer(self, record: dict[str, Any], config: dict[str, Any], span: Span) -> Layer | None:
        spec = CATALOGUE.get(record["class"])
        if spec is None:
            return None
        names = set(spec.signature.names())
        keywords = {k: _plain(v) for k, v in config.items() if k in names}
        keywords["name"] = record["name"]
        if _auto_named(record["name"], spec.auto_name_prefix):
            # named by Keras's counter, which goes on from the layers the file made before it
            keywords["name"] = self.ip.auto_name(spec.auto_name_prefix)
        layer = self.ip.objects.make_layer(LayerClass(spec, record["class"]), [], keywords, None, [], False)
        layer.span = span
        layer.written = f"keras.applications:{record['class']}"
        layer.library = True
        return layer


def _variant(entry: dict[str, Any], keywords: dict[str, Any]) -> dict[str, Any] | None:
    """The entry for the layer-changing options the call gives, or None if the data has no such variant.

    At most one option may differ from its default: the data holds one variant per option value.
    """
    given = []
    for option, default in _VARIANT_DEFAULTS.items():
        if option not in keywords:
            continue
        value = keywords[option]
        if type(value) is not type(default) and not (isinstance(default, float) and type(value) is int):
            return None
        if isinstance(default, float):
            value = float(value)  # `alpha=1` is the default; `alpha=.75` is the data's "alpha=0.75"
        if value != default:
            given.append(f"{option}={value!r}")
    if not given:
        return entry
    if len(given) > 1 or given[0] not in entry.get("variants", {}):
        return None
    return {**entry, **entry["variants"][given[0]]}


def _source_inputs(tensor: Tensor) -> list[Tensor]:
    """The Input tensors a tensor is computed from, in the order a depth-first walk meets them; none if some
    part of its graph is not followed."""
    found: list[Tensor] = []
    seen: set[int] = set()
    stack = [tensor]
    while stack:
        t = stack.pop()
        node = t.node
        if node is None or node.unknown_input:
            return []
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.is_input:
            found.append(t)
        else:
            stack.extend(reversed(node.inputs))
    return found


def _substitute(value: Any, classes: Any, activation: Any) -> Any:
    """The data's placeholders for `classes` and `classifier_activation`, wherever they stand."""
    if value == _CLASSES:
        return classes
    if value == _CLASSIFIER:
        return activation
    if isinstance(value, list):
        return [_substitute(v, classes, activation) for v in value]
    return value


def _plain(value: Any) -> Any:
    """JSON's lists as the tuples Keras's configurations hold."""
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    return value


def _auto_named(name: str, prefix: str) -> bool:
    return name == prefix or re.fullmatch(re.escape(prefix) + r"_\d+", name) is not None


def _even_rule(rule: dict[str, Any]) -> bool:
    """A size-dependent padding the reader can compute for any input size (`correct_pad`)."""
    return "correct_pad" in rule.get("rule", "") and isinstance(rule.get("kernel_size"), int)


def _correct_pad(rule: dict[str, Any], shape: Any) -> Any:
    """`imagenet_utils.correct_pad(x, k)` on the layer's input: per spatial axis (k//2 - 1, k//2) where its
    size is even (or the height unknown), (k//2, k//2) where it is odd."""
    half = rule["kernel_size"] // 2
    if not isinstance(shape, tuple) or len(shape) != 4 or shape[1] is None:
        return ((half - 1, half), (half - 1, half))
    if not all(isinstance(d, int) for d in shape[1:3]):
        raise ValueError("a spatial size that is not a number")
    return tuple((half - 1 + d % 2, half) for d in shape[1:3])


def _model_name(entry: dict[str, Any], shape: tuple[Any, ...]) -> str:
    name: str = entry.get("model_name", "")
    size = entry["default_size"]
    if name.endswith(f"_{size}") and shape[0] is not None:
        return f"{name[: -len(str(size))]}{shape[0]}"
    return name or snake_case(entry.get("paths", ["keras.applications.model"])[0].rsplit(".", 1)[-1])
