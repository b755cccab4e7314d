"""Normalization layers at inference: Batch (moving statistics), Layer, Group and Unit normalization.

Moments are computed as Keras's NumPy backend computes them (`E[x^2] - E[x]^2`), so the results
agree with Keras to float32 rounding.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerascheck.execute.registry import Unsupported, WeightSpec, int_list, number, register
from kerascheck.layers import normalization as normalization_layers
from kerascheck.layers.spec import Args
from kerascheck.shapes import Unknowable

Array = Any


def moments(x: Array, axes: tuple[int, ...]) -> tuple[Array, Array]:
    mean = np.mean(x, axis=axes, keepdims=True)
    variance = np.mean(np.square(x), axis=axes, keepdims=True) - np.square(mean)
    return mean, variance


def _axis(args: Args, rank: int) -> int:
    axis = args.known("axis")
    if isinstance(axis, (tuple, list)):
        if len(axis) != 1:
            raise Unsupported("BatchNormalization over several axes")
        axis = axis[0]
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise Unknowable("axis")
    return axis % rank


def _bn_weights(args: Args, x: tuple[int, ...]) -> list[WeightSpec]:
    c = (x[_axis(args, len(x))],)
    specs = []
    if args.bool("scale"):
        specs.append(WeightSpec("gamma", c, "positive"))
    if args.bool("center"):
        specs.append(WeightSpec("beta", c, "bias"))
    specs += [WeightSpec("moving_mean", c, "bias"), WeightSpec("moving_variance", c, "positive")]
    if args.bool("renorm"):
        specs += [
            WeightSpec("moving_stddev", c, "positive"),
            WeightSpec("renorm_mean", c, "bias"),
            WeightSpec("renorm_stddev", c, "positive"),
        ]
    return specs


@register(normalization_layers.BatchNormalization, weights=_bn_weights)
def _batch_norm(args: Args, weights: list[Array], x: Array) -> Array:
    axis = _axis(args, x.ndim)
    eps = number(args, "epsilon")
    it = iter(weights)
    gamma = next(it) if args.bool("scale") else None
    beta = next(it) if args.bool("center") else None
    mean, variance = next(it), next(it)
    shape = [1] * x.ndim
    shape[axis] = mean.shape[0]
    inv = 1.0 / np.sqrt(variance.reshape(shape) + np.array(eps, x.dtype))
    if gamma is not None:
        inv = inv * gamma.reshape(shape)
    res = -mean.reshape(shape) * inv
    if beta is not None:
        res = res + beta.reshape(shape)
    return x * inv + res


def _ln_axes(args: Args, rank: int) -> list[int]:
    return sorted(a % rank for a in int_list(args, "axis"))


def _ln_weights(args: Args, x: tuple[int, ...]) -> list[WeightSpec]:
    if "rms_scaling" in args.unexpected:
        raise Unsupported("rms_scaling")
    shape = tuple(x[a] for a in _ln_axes(args, len(x)))
    specs = []
    if args.bool("scale"):
        specs.append(WeightSpec("gamma", shape, "positive"))
    if args.bool("center"):
        specs.append(WeightSpec("beta", shape, "bias"))
    return specs


@register(normalization_layers.LayerNormalization, weights=_ln_weights)
def _layer_norm(args: Args, weights: list[Array], x: Array) -> Array:
    axes = _ln_axes(args, x.ndim)
    eps = number(args, "epsilon")
    it = iter(weights)
    gamma = next(it) if args.bool("scale") else None
    beta = next(it) if args.bool("center") else None
    broadcast = [1] * x.ndim
    for a in axes:
        broadcast[a] = x.shape[a]
    mean, variance = moments(x, tuple(axes))
    inv = 1.0 / np.sqrt(variance + np.array(eps, x.dtype))
    if gamma is not None:
        inv = inv * gamma.reshape(broadcast)
    res = -mean * inv
    if beta is not None:
        res = res + beta.reshape(broadcast)
    return x * inv + res


def _gn_axis(args: Args, rank: int) -> int:
    axis = args.known("axis")
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise Unknowable("axis")
    return axis


def _gn_weights(args: Args, x: tuple[int, ...]) -> list[WeightSpec]:
    c = (x[_gn_axis(args, len(x))],)
    specs = []
    if args.bool("scale"):
        specs.append(WeightSpec("gamma", c, "positive"))
    if args.bool("center"):
        specs.append(WeightSpec("beta", c, "bias"))
    return specs


@register(normalization_layers.GroupNormalization, weights=_gn_weights)
def _group_norm(args: Args, weights: list[Array], x: Array) -> Array:
    axis = _gn_axis(args, x.ndim)
    eps = number(args, "epsilon")
    c = x.shape[axis]
    groups = args.int("groups")
    if groups == -1:
        groups = c
    if groups <= 0 or c % groups:
        raise ValueError(f"groups={groups} does not divide {c} channels")
    # Keras's `_reshape_into_groups`: the channel axis becomes (groups, channels // groups).
    group_shape = list(x.shape)
    group_shape[axis] = c // groups
    group_shape.insert(axis, groups)
    grouped = x.reshape(group_shape)
    reduction = list(range(1, grouped.ndim))
    reduction.pop(-2 if axis == -1 else axis - 1)
    broadcast = [1] * x.ndim
    broadcast[axis] = c // groups
    broadcast.insert(axis, groups)
    mean, variance = moments(grouped, tuple(reduction))
    inv = 1.0 / np.sqrt(variance + np.array(eps, x.dtype))
    it = iter(weights)
    if args.bool("scale"):
        inv = inv * next(it).reshape(broadcast)
    res = -mean * inv
    if args.bool("center"):
        res = res + next(it).reshape(broadcast)
    return (grouped * inv + res).reshape(x.shape)


@register(normalization_layers.UnitNormalization)
def _unit_norm(args: Args, weights: list[Array], x: Array) -> Array:
    axes = tuple(int_list(args, "axis"))
    square_sum = np.sum(np.square(x), axis=axes, keepdims=True)
    with np.errstate(divide="ignore"):
        inv_norm = 1.0 / np.sqrt(square_sum)
    return x * np.minimum(inv_norm, np.array(1e12, x.dtype))
