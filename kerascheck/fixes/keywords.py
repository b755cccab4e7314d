"""Fixes that rewrite positional layer arguments as keywords."""

from __future__ import annotations

from kerascheck.diagnostics import Edit, Fix, Safety, Span
from kerascheck.model import Layer


def positional_to_keywords(layer: Layer) -> Fix | None:
    """`Conv2D(32, (3, 3))` -> `Conv2D(filters=32, kernel_size=(3, 3))`: same binding, so safe."""
    positional = [s for s in layer.arg_sites if s.keyword is None]
    if not positional or any(s.param is None for s in positional):
        return None
    edits = tuple(
        Edit(Span.point(s.span.line, s.span.column, s.span.cell), f"{s.param}=") for s in positional
    )
    names = ", ".join(f"{s.param}=" for s in positional)
    return Fix(f"pass them as keywords ({names})", edits, Safety.SAFE)
