"""Extraction: the only code that walks the CST. It finds every model and the layers in it."""

from __future__ import annotations

import sys

from kerascheck.extract.interpreter import Interpreter
from kerascheck.model import CallNote, Layer, Model
from kerascheck.source import Source


def extract(source: Source) -> tuple[list[Model], list[CallNote], list[Layer]]:
    """Run the abstract interpreter over every parsed unit (notebook cells in order, as one program).

    Returns the models, the other calls rules look at (`fit`, optimizers, ...) and every layer.
    """
    interp = Interpreter()
    # The interpreter recurses once per nesting level of the code; deeply nested expressions (a sum of
    # 900 terms) need more than Python's default. Python-to-Python calls do not grow the C stack.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 12_000))
    try:
        for unit in source.units:
            if unit.module is not None:
                interp.run_unit(unit.module, unit.cell, unit.text)
        interp.run_uncalled_functions()
    finally:
        sys.setrecursionlimit(limit)
    return list(interp.models), interp.notes, interp.layers
