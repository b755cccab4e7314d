"""Fixes that insert a layer before another one, in `model.add` chains and `Sequential([...])` lists."""

from __future__ import annotations

from kerascheck.diagnostics import Edit, Fix, Safety, Span
from kerascheck.model import Layer


def insert_layer_before(layer: Layer, class_name: str) -> Fix | None:
    """`model.add(layers.Flatten())` on its own line before `layer`'s statement, or `Flatten(), ` in a list.

    None when the file has no spelling for the class at that point (it was never imported), or
    when the layer is written somewhere an insertion would not be a plain edit.
    """
    spelling = layer.flatten_spelling if class_name == "Flatten" else None
    if spelling is None:
        return None
    title = f"insert `{spelling}()` before it (or global pooling)"
    if layer.placement == "add" and layer.statement_span is not None and layer.receiver:
        at = layer.statement_span
        indent = " " * (at.column - 1)
        text = f"{layer.receiver}.add({spelling}())\n{indent}"
        return Fix(title, (Edit(Span.point(at.line, at.column, at.cell), text),), Safety.UNSAFE)
    if layer.placement == "list":
        at = layer.span
        # On its own line the new element gets its own line too, indented like its neighbour.
        separator = "\n" + " " * (at.column - 1) if layer.starts_line else " "
        return Fix(title, (Edit(Span.point(at.line, at.column, at.cell), f"{spelling}(),{separator}"),), Safety.UNSAFE)
    return None
