"""Training calls: compile, fit, losses, optimizers, datasets and labels."""

from __future__ import annotations

import copy
import dataclasses
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import libcst as cst

from kerascheck.extract import datasets, pipelines, tables
from kerascheck.extract import names as knames
from kerascheck.extract import numpy_values as knp
from kerascheck.extract.common import DECLINED, CallSite, unfollowed
from kerascheck.extract.values import BoundMethod, Module
from kerascheck.layers import snake_case
from kerascheck.model import CallNote, CompileInfo, DataUse, Labels, Loss, Model
from kerascheck.shapes import (
    UNKNOWN,
)

if TYPE_CHECKING:
    from kerascheck.extract.interpreter import Interpreter


_LOSS_ALIASES = {
    "mse": "mean_squared_error", "mae": "mean_absolute_error", "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error", "kld": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh", "huber_loss": "huber",
}


def loss_name(text: str) -> str:
    """`"CategoricalCrossentropy"`, `"categorical_crossentropy"` -> `"categorical_crossentropy"`."""
    name = snake_case(text) if any(c.isupper() for c in text) else text.lower()
    name = name.replace("cross_entropy", "crossentropy")
    return _LOSS_ALIASES.get(name, name)


@dataclass(frozen=True)
class Checkpoint:
    """A `ModelCheckpoint` callback saving the whole model to one file."""

    filepath: str


def _batch_shape(value: Any) -> tuple[Any, ...] | None:
    """The shape of one batch of an array the file trains on (its rank known): the rows are the batch."""
    shape = value.shape if isinstance(value, (knp.NdArray, tables.DataArray)) else None
    return (None, *shape[1:]) if shape else None


def array_shape(value: Any) -> tuple[Any, ...] | None:
    """The shape of an array passed to `fit` (a NumPy array, or labels whose shape is known), or None."""
    if isinstance(value, knp.NdArray) and value.shape:
        return value.shape
    if isinstance(value, Labels) and value.shape:
        return tuple(value.shape)
    if isinstance(value, (tables.DataArray, tables.Series, tables.Frame)):
        return tables.as_shape(value)  # rows read from a file: the rank is known, some sizes not
    return None


def _argument(node: cst.Call, index: int, keyword: str) -> cst.BaseExpression | None:
    for i, arg in enumerate(node.args):
        if arg.keyword is not None and arg.keyword.value == keyword or arg.keyword is None and i == index:
            return arg.value
    return None


class Training:
    """Training calls: compile, fit, losses, optimizers, datasets and labels."""

    def __init__(self, ip: Interpreter) -> None:
        self.ip = ip

    def note(self, kind: str, node: cst.Call, model: Model | None = None) -> None:
        keywords = {a.keyword.value: self.ip.span(a) for a in node.args if a.keyword is not None}
        self.ip.notes.append(CallNote(kind, self.ip.code(node.func), self.ip.span(node), keywords, model))

    def read_loss(self, value: Any, node: Any) -> Any:
        """`compile(loss=...)` as a `Loss`: a string, a `keras.losses` function, or a loss object."""
        where = None
        if isinstance(node, cst.Call):
            for i, arg in enumerate(node.args):
                if arg.keyword is not None and arg.keyword.value == "loss" or arg.keyword is None and i == 1:
                    where = arg
        span = self.ip.span(where) if where is not None else None  # `loss=...` as a whole
        text = self.ip.code(where.value) if where is not None else ""
        written = where.value if where is not None else None
        if isinstance(value, (list, tuple)):
            # One loss per output, by position: each element is read, and placed where it is written.
            items = written.elements if isinstance(written, (cst.List, cst.Tuple)) else None
            nodes = [e.value for e in items] if items is not None and len(items) == len(value) else [None] * len(value)
            return tuple(self._one_loss(v, n) for v, n in zip(value, nodes))
        if isinstance(value, dict):
            # One loss per output, by output layer name.
            entries = {}
            if isinstance(written, cst.Dict):
                for element in written.elements:
                    if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                        entries[element.key.evaluated_value] = element.value
            return {k: self._one_loss(v, entries.get(k)) for k, v in value.items()}
        return self._loss_at(value, span, text)

    def _one_loss(self, value: Any, node: Any) -> Any:
        if node is None:
            return self._loss_at(value, None, "")
        return self._loss_at(value, self.ip.span(node), self.ip.code(node))

    def _loss_at(self, value: Any, span: Any, text: str) -> Any:
        if isinstance(value, str):
            return Loss(loss_name(value), False, span, text)
        if isinstance(value, Module) and knames.normalize(value.path).startswith("keras.losses."):
            return Loss(loss_name(value.path.rsplit(".", 1)[-1]), False, span, text)
        if isinstance(value, Loss):
            return Loss(value.name, value.from_logits, span, text)
        return UNKNOWN if value is not None else None

    def compile(self, model: Model, positional: list[Any], keywords: dict[str, Any], node: Any) -> None:
        loss = keywords.get("loss", positional[1] if len(positional) > 1 else None)
        model.compile = CompileInfo(
            self.ip.span(node) if node is not None else model.span,
            loss=self.read_loss(loss, node),
            metrics=keywords.get("metrics"),
            optimizer=keywords.get("optimizer", positional[0] if positional else None),
        )

    def fit(self, model: Model, name: str, positional: list[Any], keywords: dict[str, Any], node: cst.Call) -> None:
        """`fit`, `evaluate`, `train_on_batch`, `test_on_batch`: what the model is trained or tested on."""
        if name in ("fit", "fit_generator"):
            self.note(name, node, model=model)
        labels = keywords.get("y", positional[1] if len(positional) > 1 else None)
        certain = self.ip.uncertain == self.ip.main_guards
        if isinstance(labels, Labels) and certain and name in ("fit", "fit_generator"):
            model.fit_labels = labels
        if not certain or name == "fit_generator":
            return
        callbacks = keywords.get("callbacks")
        if name in ("fit", "fit_generator") and isinstance(callbacks, (list, tuple)):
            for callback in callbacks:
                if isinstance(callback, Checkpoint):
                    self.saved(model, callback.filepath)
        x = keywords.get("x", positional[0] if positional else None)
        if isinstance(x, pipelines.Dataset):
            x, labels = pipelines.fit_arrays(x)  # `fit(train_ds)`: batches of (inputs, targets)
        self.build_on_data(model, x, node)
        if name == "predict":
            self.record_data(model, name, self.ip.span(node), x, None, None)
            return
        self.record_data(model, name, self.ip.span(node), x, labels, _argument(node, 1, "y"))
        validation = keywords.get("validation_data")
        if isinstance(validation, pipelines.Dataset):
            validation = pipelines.fit_arrays(validation)
        if name == "fit" and isinstance(validation, tuple) and len(validation) in (2, 3):
            where = next((a for a in node.args if a.keyword is not None and a.keyword.value == "validation_data"), None)
            text = where.value if where is not None else None
            y_node = text.elements[1].value if isinstance(text, cst.Tuple) and len(text.elements) > 1 else None
            span = self.ip.span(where) if where is not None else self.ip.span(node)
            self.record_data(model, "validation_data", span, validation[0], validation[1], y_node)

    def predicted(self, model: Model, positional: list[Any], keywords: dict[str, Any]) -> Any:
        """`model.predict(x)`: an array of one row per row of `x`, each of the model's output shape (a model
        of one output whose sizes after the batch axis are known or unknown, not symbolic)."""
        x = keywords.get("x", positional[0] if positional else None)
        if isinstance(x, pipelines.Dataset):
            x = pipelines.fit_arrays(x)[0]
            rows_known = False  # batches of a dataset: all of them
        else:
            rows_known = True
        if model.uncertain or not model.layers:
            return UNKNOWN
        outputs = self.ip.graph.model_io(model, "outputs")  # a Sequential model's once it is built
        output = outputs[0].shape if isinstance(outputs, list) and len(outputs) == 1 else None
        if not isinstance(output, tuple) or not output or not all(
                d is None or isinstance(d, int) and not isinstance(d, bool) for d in output[1:]):
            return UNKNOWN
        first = x[0] if isinstance(x, (list, tuple)) and x else next(iter(x.values()), None) if isinstance(x, dict) else x
        shape = tables.as_shape(first)
        rows = shape[0] if shape and rows_known else None
        return tables.array_of((rows, *output[1:]))

    # -- saved models ---------------------------------------------------------------------------

    def checkpoint(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`keras.callbacks.ModelCheckpoint("best.keras", ...)`: where `fit` saves the model it trains."""
        filepath = positional[0] if positional else keywords.get("filepath")
        if isinstance(filepath, str) and "{" not in filepath and not keywords.get("save_weights_only"):
            return Checkpoint(filepath)
        return unfollowed(positional, keywords)

    def saved(self, model: Model, path: Any) -> None:
        """`model.save(path)`, or a checkpoint given to `fit`: `load_model(path)` later gives this model."""
        if isinstance(path, str) and self.ip.uncertain == self.ip.main_guards:
            self.ip.saved_models[path] = model
        elif isinstance(path, str):
            self.ip.saved_models.pop(path, None)  # saved under a condition: not sure which model it holds

    def load_model(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`keras.models.load_model(path)` of a file the script saved a model to: that model's layers again."""
        filepath = positional[0] if positional else keywords.get("filepath")
        source = self.ip.saved_models.get(filepath) if isinstance(filepath, str) else None
        if source is None or source.uncertain or source.user_class is not None or site.node is None:
            return UNKNOWN
        loaded = copy.copy(source)
        loaded.name, loaded.named_globally, loaded.name_dropped = None, False, False
        loaded.data = []
        loaded.span = self.ip.span(site.node)
        self.ip.models.append(loaded)
        return loaded

    def build_on_data(self, model: Model, x: Any, node: cst.Call) -> None:
        """A Sequential model without an input shape, or a subclassed model not yet built, is built by Keras on
        the first batch it is given."""
        if model.built or model.uncertain:
            return
        several = isinstance(x, (tuple, list)) and len(x) > 1
        shapes = [_batch_shape(a) for a in (x if several else [x])]
        if not shapes or any(shape is None for shape in shapes):
            return
        if model.api == "subclass" and model.user_class is not None:
            # the layers its `call` applies belong to it, not to any functional graph they touch; a tuple
            # of arrays (`fit((x_wide, x_deep), y)`) reaches `call` as one argument, a list of tensors
            symbolic = [self.ip.graph.symbolic_input(shape, model.span) for shape in shapes]
            self.ip.inside_custom_layer += 1
            try:
                self.ip.classes.call_subclassed(model, [symbolic if several else symbolic[0]], {})
            finally:
                self.ip.inside_custom_layer -= 1
            return
        if model.api != "sequential" or model.input_declared or not model.layers or several:
            return
        model.input_declared = True
        model.input_shape = shapes[0]
        model.input_span = self.ip.span(node)
        self.ip.objects.sequential_build(model)

    def record_data(self, model: Model, call: str, span: Any, x: Any, y: Any, y_node: Any) -> None:
        x_shape, y_shape = array_shape(x), array_shape(y)
        y_list = None
        texts: tuple[str, ...] = ()
        if isinstance(y, (list, tuple)) and 2 <= len(y) <= 64 and not self.ip.is_unsure(y):
            # one target per output, by position
            y_list = tuple(array_shape(item) for item in y)
            if isinstance(y_node, (cst.List, cst.Tuple)) and len(y_node.elements) == len(y):
                texts = tuple(self.ip.code(e.value) for e in y_node.elements)
            if all(shape is None for shape in y_list):
                y_list = None
        if x_shape is None and y_shape is None and y_list is None:
            return
        text = self.ip.code(y_node) if y_node is not None else ""
        model.data.append(DataUse(call, span, x_shape, y_shape, text, y_list=y_list, y_texts=texts))

    def labels_method(self, obj: Labels, name: str, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
        """`y.ravel()`, `y.reshape(-1)`, `y.squeeze()`, `y.astype("int32")`: the same labels, reshaped."""
        shape = obj.shape
        if shape is None or not all(isinstance(d, int) and not isinstance(d, bool) for d in shape):
            return UNKNOWN
        if name == "astype":
            return obj
        if name in ("max", "min") and not positional and not keywords and obj.encoding == "integer":
            # A dataset's class ids run from 0 to classes - 1, and every class occurs in it.
            return obj.classes - 1 if name == "max" else 0
        if name in ("ravel", "flatten") and not positional and not keywords or name == "reshape" and positional in (
                [-1], [(-1,)]):
            return dataclasses.replace(obj, shape=(math.prod(shape),))
        if name == "squeeze" and not positional and not keywords:
            return dataclasses.replace(obj, shape=tuple(d for d in shape if d != 1))
        return UNKNOWN

    def labels_attribute(self, obj: Labels, attr: str) -> Any:
        if attr in ("ravel", "flatten", "reshape", "squeeze", "astype", "max", "min"):
            return BoundMethod(obj, attr)
        if attr == "ndim" and obj.shape is not None:
            return len(obj.shape)
        return obj.shape if attr == "shape" and obj.shape is not None else UNKNOWN

    # -- module-path calls (registered in extract.calls) ---------------------------------------

    def load_data(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if site.node is None:
            return DECLINED
        name = knames.normalize(path).removeprefix("keras.datasets.").removesuffix(".load_data")
        dataset = datasets.load_data(name, keywords)
        if dataset is None:
            return UNKNOWN
        span = self.ip.span(site.node)
        splits = []
        for split in (dataset.train, dataset.test):
            x = knp.NdArray(cast("tuple[int, ...]", split.x)) if all(isinstance(d, int) for d in split.x) else UNKNOWN
            if dataset.classes is not None:
                y: Any = Labels(dataset.classes, span, "integer", shape=split.y)
            else:
                y = knp.NdArray(cast("tuple[int, ...]", split.y)) if all(isinstance(d, int) for d in split.y) else UNKNOWN
            splits.append((x, y))
        return tuple(splits)

    def sklearn_dataset(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`load_iris()`, `load_digits(return_X_y=True)`, `make_moons(500, noise=0.2)`: arrays of known shapes,
        class labels where the data set has classes."""
        name = path.rsplit(".", 1)[-1]
        if site.node is None or name not in datasets.SKLEARN_LOADERS and not name.startswith("make_"):
            return DECLINED
        table = datasets.sklearn_dataset(name, positional, keywords)
        if table is None or any(keywords.get(k) not in (None, False) for k in ("return_centers", "coef")):
            return UNKNOWN
        x = knp.NdArray(cast("tuple[int, ...]", table.data))
        shape = cast("tuple[int, ...]", table.target)
        y: Any = Labels(table.classes, self.ip.span(site.node), "integer", shape=shape) if table.classes else \
            knp.NdArray(shape)
        if name.startswith("make_") or keywords.get("return_X_y") is True:
            return (x, y)
        if keywords.get("return_X_y", False) is not False:
            return UNKNOWN
        fields = {"data": x, "target": y, "feature_names": knp.NdArray(table.data[1:2])}  # type: ignore[arg-type]
        if table.classes:
            fields["target_names"] = knp.NdArray((table.classes,))
        if table.images is not None:
            fields["images"] = knp.NdArray(cast("tuple[int, ...]", table.images))
        return tables.Bunch(fields)

    def optimizer(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if site.node is None:
            return DECLINED
        self.note("optimizer", site.node)
        return unfollowed(positional, keywords)

    def merge(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if site.node is not None:
            self.note("merge", site.node)
        return DECLINED

    def to_categorical(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if site.node is None:
            return DECLINED
        classes = keywords.get("num_classes", positional[1] if len(positional) > 1 else None)
        if isinstance(classes, int) and not isinstance(classes, bool) and classes > 0:
            y = positional[0] if positional else keywords.get("x")
            shape = None
            known = (y.shape if isinstance(y, (knp.NdArray, Labels, tables.DataArray)) else
                     (y.rows,) if isinstance(y, tables.Series) else None)
            if known is not None:
                rows = known[:-1] if len(known) > 1 and known[-1] == 1 else known
                shape = (*rows, classes)  # a trailing axis of 1 goes, as in Keras
            return Labels(classes, self.ip.span(site.node), shape=shape)
        return UNKNOWN

    def loss(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        logits = keywords.get("from_logits", False)
        return Loss(loss_name(path.rsplit(".", 1)[-1]), logits if isinstance(logits, bool) else None)
