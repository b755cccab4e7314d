"""Normalization layers: what is normalized over, and which weights are (not) trained."""

from __future__ import annotations

from typing import Any

from kerascheck.explain.base import (
    Explanation,
    arg,
    call_text,
    dim,
    explains,
    finish,
    input_of,
    is_int,
    maybe,
    number,
    params_text,
    plural,
)
from kerascheck.layers import normalization as normalization_layers
from kerascheck.model import Layer


def _axis(layer: Layer) -> tuple[list[int] | None, Any]:
    """The normalized axes (non-negative) and the size the weights have, from the input shape."""
    x = input_of(layer)
    axis = arg(layer, "axis")
    raw = list(axis) if isinstance(axis, (tuple, list)) else [axis]
    if x is None or not all(is_int(v) for v in raw):
        return None, None
    axes = [v + len(x) if v < 0 else v for v in raw]
    if not all(0 <= v < len(x) for v in axes):
        return None, None
    size: Any = 1
    for v in axes:
        size = size * x[v] if is_int(size) and is_int(x[v]) else None
    return axes, size


def _flag(layer: Layer, name: str) -> bool:
    value = maybe(layer.args.bool, name) if layer.args else None
    return value is not False


@explains(normalization_layers.BatchNormalization)
def batch_normalization(layer: Layer) -> Explanation:
    axes, c = _axis(layer)
    x = input_of(layer)
    # A vector's entries are features; a feature map's last axis holds channels.
    noun = "feature" if x is not None and len(x) == 2 else "channel"
    what = plural(c, noun) if axes is not None and c is not None else f"{noun}s"
    where = "" if arg(layer, "axis") == -1 else f" (axis {arg(layer, 'axis')})"
    meaning = (f"normalizes each of the {what}{where} with the batch's mean and variance during training "
               "(their moving averages at inference), then scales by gamma and shifts by beta")
    if c is None or axes is None:
        meaning = (f"normalizes each {noun} with the batch's mean and variance during training "
                   "(their moving averages at inference), then scales by gamma and shifts by beta")
    weights = [w for w, on in (("gamma", _flag(layer, "scale")), ("beta", _flag(layer, "center"))) if on]
    fixed = ["moving mean", "moving variance"]
    renorm = maybe(layer.args.bool, "renorm") if layer.args else None
    if renorm:
        fixed += ["moving stddev", "renorm mean", "renorm stddev"]
    names = weights + fixed
    params = ""
    if is_int(c):
        per = len(names)
        formula = f"{per}·{c} ({', '.join(names[:-1])} and {names[-1]})"
        tail = f", of which {number(len(fixed) * c)} (the {' and '.join(fixed) if len(fixed) == 2 else ', '.join(fixed)}) are not trainable"
        params = params_text(layer, formula, per * c, tail)
    else:
        params = params_text(layer, None, None)
    return finish(layer, Explanation(call_text(layer), meaning, how="shape unchanged", params=params))


def _gamma_beta(layer: Layer, size: Any) -> str:
    weights = [w for w, on in (("gamma", _flag(layer, "scale")), ("beta", _flag(layer, "center"))) if on]
    if not weights:
        return params_text(layer, "no weights (center=False, scale=False)", 0) if layer.params == 0 else ""
    if not is_int(size):
        return params_text(layer, None, None) if layer.params is not None else ""
    per = len(weights)
    formula = f"{per}·{size} ({' and '.join(weights)})" if per > 1 else f"{size} ({weights[0]})"
    return params_text(layer, formula, per * size)


@explains(normalization_layers.LayerNormalization)
def layer_normalization(layer: Layer) -> Explanation:
    axes, size = _axis(layer)
    axis = arg(layer, "axis")
    over = "its last axis" if axis == -1 else f"axis {axis}"
    count = f"the {dim(size)} values along {over}" if is_int(size) else over
    meaning = f"normalizes each sample on its own over {count} (mean 0, variance 1), then scales and shifts"
    return finish(layer, Explanation(call_text(layer), meaning, how="shape unchanged",
                                     params=_gamma_beta(layer, size)))


@explains(normalization_layers.GroupNormalization)
def group_normalization(layer: Layer) -> Explanation:
    axes, c = _axis(layer)
    groups = arg(layer, "groups")
    if groups == -1 and is_int(c):
        groups = c
    if is_int(groups) and is_int(c) and groups > 0 and c % groups == 0:
        meaning = (f"splits the {c} channels of each sample into {groups} groups of {c // groups} and normalizes "
                   "each group on its own, then scales and shifts")
    else:
        meaning = (f"splits each sample's channels into {groups if is_int(groups) else 'groups'} "
                   f"{'groups ' if is_int(groups) else ''}and normalizes each group on its own, then scales and shifts")
    return finish(layer, Explanation(call_text(layer), meaning, how="shape unchanged", params=_gamma_beta(layer, c)))


@explains(normalization_layers.UnitNormalization)
def unit_normalization(layer: Layer) -> Explanation:
    axis = arg(layer, "axis")
    over = "its last axis" if axis == -1 else f"axis {axis}"
    meaning = f"divides each sample's values along {over} by their length, so that vector has length 1"
    return finish(layer, Explanation(call_text(layer), meaning, how="shape unchanged"))
