"""Building a stack of layers on an input shape, as a Sequential model does."""

from __future__ import annotations

from typing import Any

from kerascheck.layers import Applied, apply
from kerascheck.shapes import Shape


def run_chain(steps: list[Any], shape: Shape | None) -> list[Applied | None]:
    """Apply each `(spec, args)` step to the previous output; None for a step that cannot be known.

    The chain stops being known after an unknown step, after a step with more than one output,
    and after the first build error (Keras raises there, so nothing later is built).
    """
    results: list[Applied | None] = []
    current: Shape | None = shape
    for step in steps:
        if step is None or current is None:
            results.append(None if step is None else apply(step[0], step[1], None))
            current = None
            continue
        applied = apply(step[0], step[1], current)
        results.append(applied)
        current = applied.output if isinstance(applied.output, tuple) else None
        if applied.error is not None:
            current = None
    return results
