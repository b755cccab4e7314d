"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot."""

from __future__ import annotations

from functools import reduce
from typing import Any

import numpy as np

from kerascheck.execute.registry import register
from kerascheck.layers import merging as merging_layers
from kerascheck.layers.spec import Args
from kerascheck.shapes import Unknowable

Array = Any


def _inputs(xs: Any, name: str) -> list[Array]:
    if not isinstance(xs, (list, tuple)) or not xs:
        raise ValueError(f"`{name}` must be called on a list of tensors")
    return list(xs)


def _same_rank(xs: list[Array]) -> list[Array]:
    """Keras's `Merge.call`: inputs of lower rank get axes inserted after the batch axis."""
    top = max(x.ndim for x in xs)
    out = []
    for x in xs:
        for _ in range(top - x.ndim):
            x = np.expand_dims(x, 1)
        out.append(x)
    return out


def _elementwise(op: Any) -> Any:
    def run(args: Args, weights: list[Array], xs: Any) -> Array:
        return op(_same_rank(_inputs(xs, args.spec.name)))

    return run


register(merging_layers.Add)(_elementwise(lambda xs: reduce(np.add, xs)))
register(merging_layers.Subtract)(_elementwise(lambda xs: _subtract(xs)))
register(merging_layers.Multiply)(_elementwise(lambda xs: reduce(np.multiply, xs)))
register(merging_layers.Average)(_elementwise(lambda xs: reduce(np.add, xs) / len(xs)))
register(merging_layers.Maximum)(_elementwise(lambda xs: reduce(np.maximum, xs)))
register(merging_layers.Minimum)(_elementwise(lambda xs: reduce(np.minimum, xs)))


def _subtract(xs: list[Array]) -> Array:
    if len(xs) != 2:
        raise ValueError("`Subtract` takes exactly 2 inputs")
    return xs[0] - xs[1]


@register(merging_layers.Concatenate)
def _concatenate(args: Args, weights: list[Array], xs: Any) -> Array:
    axis = args.int("axis")
    return np.concatenate(_inputs(xs, "Concatenate"), axis=axis)


def l2_normalize(x: Array, axis: int) -> Array:
    """`keras.src.utils.numerical_utils.normalize` on a NumPy array (order 2)."""
    norm = np.atleast_1d(np.linalg.norm(x, 2, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)


def batch_dot(x: Array, y: Array, axes: list[int]) -> Array:
    """Keras's `batch_dot` (layers/merging/dot.py), step for step."""
    x_ndim, y_ndim = x.ndim, y.ndim
    if x_ndim < 2 or y_ndim < 2:
        raise ValueError("batch_dot needs inputs of rank >= 2")
    a0, a1 = axes
    if a0 < 0:
        a0 += x_ndim
    if a1 < 0:
        a1 += y_ndim
    if a0 == 0 or a1 == 0:
        raise ValueError("batch_dot over the batch axis")
    if x.shape[a0] != y.shape[a1]:
        raise ValueError(f"batch_dot contracts {x.shape[a0]} against {y.shape[a1]}")
    orig_x_ndim, orig_y_ndim = x_ndim, y_ndim
    if x_ndim == 2:
        x = np.expand_dims(x, 1)
        a0 += 1
        x_ndim += 1
    if y_ndim == 2:
        y = np.expand_dims(y, 2)
        y_ndim += 1
    if a0 != x_ndim - 1:
        pattern = list(range(x_ndim))
        for i in range(a0, x_ndim - 1):
            pattern[i] = pattern[i + 1]
        pattern[-1] = a0
        x = np.transpose(x, pattern)
    if a1 != 1:
        pattern = list(range(y_ndim))
        for i in range(a1, 1, -1):
            pattern[i] = pattern[i - 1]
        pattern[1] = a1
        y = np.transpose(y, pattern)
    x_mid = x.shape[1:-1] if x_ndim > 3 else None
    if x_mid is not None:
        x = x.reshape(x.shape[0], -1, x.shape[-1])
    y_trail = y.shape[2:] if y_ndim > 3 else None
    if y_trail is not None:
        y = y.reshape(y.shape[0], y.shape[1], -1)
    result = np.matmul(x, y)
    shape = result.shape
    if x_mid is not None:
        shape = shape[:1] + tuple(x_mid) + shape[-1:]
    if y_trail is not None:
        shape = shape[:-1] + tuple(y_trail)
    result = result.reshape(shape)
    if orig_x_ndim == 2:
        result = np.squeeze(result, 1)
    elif orig_y_ndim == 2:
        result = np.squeeze(result, -1)
    return result


@register(merging_layers.Dot)
def _dot(args: Args, weights: list[Array], xs: Any) -> Array:
    inputs = _inputs(xs, "Dot")
    if len(inputs) != 2:
        raise ValueError("`Dot` takes exactly 2 inputs")
    x1, x2 = inputs
    raw = args.known("axes")
    if isinstance(raw, int) and not isinstance(raw, bool):
        axes = [raw % x1.ndim, raw % x2.ndim] if raw < 0 else [raw, raw]
    elif isinstance(raw, (tuple, list)) and len(raw) == 2 and all(isinstance(a, int) for a in raw):
        axes = [a % inputs[i].ndim if a < 0 else a for i, a in enumerate(raw)]
    else:
        raise Unknowable("axes")
    if args.bool("normalize"):
        x1 = l2_normalize(x1, axes[0])
        x2 = l2_normalize(x2, axes[1])
    return batch_dot(x1, x2, axes)
