"""Merge layers: element-wise Add/Subtract/Multiply/Average/Maximum/Minimum, Concatenate, Dot."""

from __future__ import annotations

from typing import Any

from kerascheck.explain.base import (
    Explanation,
    arg,
    call_text,
    dim,
    explains,
    finish,
    is_int,
    plural,
)
from kerascheck.layers import merging as merging_layers
from kerascheck.model import Layer
from kerascheck.shapes import add

_ELEMENTWISE = {
    "Add": "adds its {n} element by element",
    "Subtract": "subtracts its second input from its first, element by element",
    "Multiply": "multiplies its {n} element by element",
    "Average": "averages its {n} element by element",
    "Maximum": "keeps the larger value at each position of its {n}",
    "Minimum": "keeps the smaller value at each position of its {n}",
}


def _inputs(layer: Layer) -> list[Any] | None:
    xs = layer.input_shape
    if isinstance(xs, list) and all(isinstance(s, tuple) for s in xs):
        return xs
    return None


def _count(layer: Layer) -> Any:
    xs = layer.input_shape
    if isinstance(xs, list):
        return len(xs)
    return len(layer.inbound) if layer.inbound else None


@explains(*(getattr(merging_layers, name) for name in _ELEMENTWISE))
def elementwise(layer: Layer) -> Explanation:
    n = _count(layer)
    meaning = _ELEMENTWISE[layer.type].format(n=plural(n, "input") if n is not None else "inputs")
    xs = _inputs(layer)
    how = ""
    if xs is not None:
        how = "the inputs have the same shape" if len(set(xs)) == 1 else (
            "sizes of 1 are stretched to match the other inputs (broadcasting)")
    return finish(layer, Explanation(call_text(layer), meaning, how=how))


@explains(merging_layers.Concatenate)
def concatenate(layer: Layer) -> Explanation:
    axis = arg(layer, "axis")
    n = _count(layer)
    where = f"axis {axis}" if is_int(axis) else "its axis"
    if axis == -1:
        where = "the last axis"
    inputs = plural(n, "input") if n is not None else "inputs"
    meaning = f"joins its {inputs} end to end along {where}; all other sizes must match"
    how = ""
    xs = _inputs(layer)
    y = layer.output_shape
    if xs is not None and isinstance(y, tuple) and is_int(axis) and xs and all(len(s) == len(y) for s in xs):
        if -len(y) <= axis < len(y):
            sizes = [s[axis] for s in xs]
            total: Any = sizes[0]
            for s in sizes[1:]:
                total = add(total, s)
            if total == y[axis] and y[axis] is not None:
                how = f"{dim(y[axis])} = " + " + ".join(dim(s) for s in sizes)
    return finish(layer, Explanation(call_text(layer), meaning, how=how))


@explains(merging_layers.Dot)
def dot_layer(layer: Layer) -> Explanation:
    axes = arg(layer, "axes")
    if is_int(axes):
        where = f"axis {axes} of both"
    elif isinstance(axes, (tuple, list)) and len(axes) == 2:
        where = f"axis {axes[0]} of the first and axis {axes[1]} of the second"
    else:
        where = "the axes given"
    meaning = f"multiplies its 2 inputs along {where} and sums the products (a dot product per sample)"
    if arg(layer, "normalize") is True:
        meaning += "; normalize=True scales both to length 1 first (cosine similarity)"
    return finish(layer, Explanation(call_text(layer), meaning, how="the summed axes disappear"))
