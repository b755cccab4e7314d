"""KC1xx: faults Keras raises while building the model. Each kind of build error has its own code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Layer, Model
from kerascheck.rules.base import Context, Rule


class _BuildError(Rule):
    KIND: ClassVar[str]
    SEVERITY = Severity.ERROR

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for layer in model.layers:
            error = layer.error
            if error is None or not layer.certain or error.kind != self.KIND:
                continue
            hint = _rank_hint(model, layer) if self.KIND == "rank" else ""
            yield ctx.report(self, layer, error.message + hint)
        for layer in model.layers:
            for span, call_error in layer.call_errors:
                if call_error.kind == self.KIND:
                    yield ctx.report(self, span, call_error.message)

    def check_file(self, ctx: Context) -> Iterator[Diagnostic]:
        """Layer calls in no model: Keras evaluates each call on symbolic tensors where it is written,
        so `layers.concatenate([a, b])` of mismatched maps raises there even if no model is built."""
        in_models = {id(layer) for model in ctx.models for layer in model.layers}
        for layer in ctx.layers:
            if id(layer) in in_models or layer.internal or layer.applied_uncertain or not layer.certain:
                continue
            error = layer.error
            if error is not None and error.kind == self.KIND and layer.order is not None:
                yield ctx.report(self, layer, error.message)
            for span, call_error in layer.call_errors:
                if call_error.kind == self.KIND:
                    yield ctx.report(self, span, call_error.message)


def _rank_hint(model: Model, layer: Layer) -> str:
    """For the first layer of a model: the likely slip behind a wrong rank, spelled out."""
    x = layer.input_shape
    rank = getattr(layer.spec, "rank", None)
    if not isinstance(x, tuple) or not isinstance(rank, int) or not model.layers or model.layers[0] is not layer:
        return ""
    declared = x[1:]
    expected = rank + 2
    if len(x) == expected - 1 and layer.type.startswith(("Conv", "SeparableConv", "DepthwiseConv")):
        fixed = (*declared, 1)
        return f"; the input has no channel axis: for one channel use input_shape={fixed}"
    if len(x) == expected + 1:
        return f"; `input_shape` does not include the batch size: use input_shape={tuple(declared[1:])}"
    return ""


