"""Training calls: compile, fit, losses, optimizers, datasets and labels."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from kerascheck.extract import names as knames
from kerascheck.extract import numpy_values as knp
from kerascheck.extract.common import DECLINED, CallSite, unfollowed
from kerascheck.extract.values import (
    Module,
)
from kerascheck.layers import snake_case
from kerascheck.model import CallNote, CompileInfo, Labels, Loss, Model
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


# Keras's classification datasets: `load_data()` gives integer class labels, this many classes.
_DATASET_CLASSES = {"mnist": 10, "fashion_mnist": 10, "cifar10": 10, "cifar100": 100, "reuters": 46}


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
        self.note(name, node, model=model)
        labels = keywords.get("y", positional[1] if len(positional) > 1 else None)
        if isinstance(labels, Labels) and self.ip.uncertain == self.ip.main_guards:
            model.fit_labels = labels

    def labels_attribute(self, obj: Labels, attr: str) -> Any:
        return obj.shape if attr == "shape" and obj.shape is not None else UNKNOWN

    # -- module-path calls (registered in extract.calls) ---------------------------------------

    def load_data(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if site.node is None:
            return DECLINED
        dataset = knames.normalize(path).removeprefix("keras.datasets.").removesuffix(".load_data")
        classes = _DATASET_CLASSES.get(dataset)
        if dataset == "cifar100" and keywords.get("label_mode", "fine") != "fine":
            classes = 20 if keywords.get("label_mode") == "coarse" else None
        if classes is None:
            return UNKNOWN
        labels = Labels(classes, self.ip.span(site.node), "integer")
        return ((UNKNOWN, labels), (UNKNOWN, labels))

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
            if isinstance(y, knp.NdArray):
                rows = y.shape[:-1] if len(y.shape) > 1 and y.shape[-1] == 1 else y.shape
                shape = (*rows, classes)  # a trailing axis of 1 goes, as in Keras
            return Labels(classes, self.ip.span(site.node), shape=shape)
        return UNKNOWN

    def loss(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        logits = keywords.get("from_logits", False)
        return Loss(loss_name(path.rsplit(".", 1)[-1]), logits if isinstance(logits, bool) else None)
