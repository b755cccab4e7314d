"""KC202 and KC6xx: model hygiene (redundant layers, a layer used twice, a branch that goes nowhere)."""

from __future__ import annotations

from kerascheck.diagnostics import Edit, Fix, Safety, Span
from kerascheck.model import Layer


def _remove_statement(layer: Layer) -> Fix | None:
    """Delete a `model.add(...)` statement line (only where it stands alone on its line)."""
    span = layer.statement_span
    if layer.placement != "add" or span is None or span.line != span.end_line:
        return None
    return Fix("remove it", (Edit(Span(span.line, 1, span.line + 1, 1, span.cell), ""),), Safety.SAFE)


def _depends_only_on(layer: Layer, inputs: set[int], inside: set[int]) -> bool:
    """Whether every path back from `layer` ends in the model (so it was built on the model's tensors)."""
    stack, seen = [layer], set()
    touches = False
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if id(current) in inside:
            touches = touches or id(current) in inputs or bool(current.inbound) or current.is_input
            continue
        if not current.inbound:
            return False  # reaches a tensor from outside the model
        stack.extend(current.inbound)
    return touches


def _feeds_anything(layer: Layer, layers: list[Layer]) -> bool:
    return any(layer in other.inbound for other in layers if other is not layer)
