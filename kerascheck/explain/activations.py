"""Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax. Each acts on every value on its own
(Softmax along an axis), so the shape never changes."""

from __future__ import annotations

from typing import Any

from kerascheck.explain.base import (
    Explanation,
    arg,
    call_text,
    dot,
    explains,
    finish,
    input_of,
    is_int,
    params_text,
    written,
)
from kerascheck.layers import activations as activations_layers
from kerascheck.model import Layer
from kerascheck.shapes import UNKNOWN


def _value(layer: Layer, name: str) -> str:
    text = written(layer, name)
    if text:
        return text
    value = arg(layer, name)
    return name if value is UNKNOWN else repr(value)


@explains(activations_layers.ReLU)
def relu(layer: Layer) -> Explanation:
    parts = ["sets negative values to 0"]
    slope = arg(layer, "negative_slope")
    if slope not in (0, 0.0):
        parts = [f"multiplies negative values by {_value(layer, 'negative_slope')}"]
    if arg(layer, "max_value") is not None:
        parts.append(f"caps values at {_value(layer, 'max_value')}")
    if arg(layer, "threshold") not in (0, 0.0):
        parts.append(f"treats values below {_value(layer, 'threshold')} as negative")
    return finish(layer, Explanation(call_text(layer), " and ".join(parts), how="shape unchanged"))


@explains(activations_layers.LeakyReLU)
def leaky_relu(layer: Layer) -> Explanation:
    meaning = f"keeps positive values and multiplies negative ones by {_value(layer, 'negative_slope')}"
    return finish(layer, Explanation(call_text(layer), meaning, how="shape unchanged"))


@explains(activations_layers.ELU)
def elu(layer: Layer) -> Explanation:
    meaning = (f"keeps positive values and bends negative ones smoothly towards −{_value(layer, 'alpha')} "
               "(alpha·(eˣ − 1))")
    return finish(layer, Explanation(call_text(layer), meaning, how="shape unchanged"))


@explains(activations_layers.Softmax)
def softmax(layer: Layer) -> Explanation:
    axis = arg(layer, "axis")
    where = "the last axis" if axis == -1 else f"axis {_value(layer, 'axis')}"
    meaning = f"turns the values along {where} into probabilities that sum to 1"
    return finish(layer, Explanation(call_text(layer), meaning, how="shape unchanged"))


@explains(activations_layers.PReLU)
def prelu(layer: Layer) -> Explanation:
    shared = arg(layer, "shared_axes")
    meaning = "keeps positive values and multiplies negative ones by a slope it learns"
    x = input_of(layer)
    params = ""
    if x is not None and (shared is None or is_int(shared) or isinstance(shared, (tuple, list))):
        axes: list[Any] = [] if shared is None else [shared] if is_int(shared) else list(shared)  # type: ignore[arg-type]
        sizes = list(x[1:])
        ok = all(is_int(a) and -len(sizes) <= a - 1 < len(sizes) for a in axes)
        if ok:
            for a in axes:
                sizes[a - 1] = 1
            kept = [s for s in sizes if s != 1]
            if axes:
                names = " and ".join(str(a) for a in axes)
                meaning += f", one for each value of a sample but shared along axis{'es' if len(axes) > 1 else ''} {names}"
            else:
                meaning += ", one for each value of a sample"
            if all(is_int(s) for s in sizes):
                total = 1
                for s in sizes:
                    total *= s  # type: ignore[operator]
                params = params_text(layer, f"{dot(kept) if kept else '1'} slopes", total)
    if not params and layer.params is not None:
        params = params_text(layer, None, None)
    return finish(layer, Explanation(call_text(layer), meaning, how="shape unchanged", params=params))
