"""Pooling: Max/Average pooling 1D-3D (as `lax.reduce_window` computes them for Keras's NumPy
backend: "same" pads like a convolution, average pooling divides by the number of real inputs in
each window) and the global forms."""

from __future__ import annotations

from typing import Any

import numpy as np

from kerascheck.execute.convolutional import from_last, pad_spatial, same_pads, to_last
from kerascheck.execute.registry import Unsupported, data_format_last, register, spatial_rank
from kerascheck.layers import pooling as pooling_layers
from kerascheck.layers.spec import Args

Array = Any



def _reduce_windows(x: Array, pool: tuple[int, ...], strides: tuple[int, ...], op: Any) -> Array:
    spatial = x.shape[1:-1]
    out = tuple((n - p) // s + 1 for n, p, s in zip(spatial, pool, strides, strict=True))
    if any(o <= 0 for o in out):
        raise ValueError(f"pool {pool} does not fit the input {tuple(spatial)}")
    result = None
    for offset in np.ndindex(*pool):
        index = tuple(slice(o, o + (m - 1) * s + 1, s) for o, s, m in zip(offset, strides, out, strict=True))
        window = x[(slice(None), *index, slice(None))]
        result = window.copy() if result is None else op(result, window)
    return result


def _pool_args(args: Args) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    rank = spatial_rank(args)
    pool = args.ints("pool_size", rank)
    strides = pool if args.known("strides") is None else args.ints("strides", rank)
    if 0 in strides:
        raise Unsupported("a zero stride")
    padding = args.padding()
    if padding not in ("valid", "same"):
        raise Unsupported(f"padding={padding!r}")
    return pool, strides, padding


@register(pooling_layers.MaxPooling1D, pooling_layers.MaxPooling2D, pooling_layers.MaxPooling3D)
def _max_pool(args: Args, weights: list[Array], x: Array) -> Array:
    pool, strides, padding = _pool_args(args)
    last = data_format_last(args)
    xl = to_last(x, last)
    if padding == "same":
        xl = pad_spatial(
            xl, [same_pads(n, p, s, 1) for n, p, s in zip(xl.shape[1:-1], pool, strides, strict=True)], value=-np.inf
        )
    return from_last(_reduce_windows(xl, pool, strides, np.maximum), last)


@register(pooling_layers.AveragePooling1D, pooling_layers.AveragePooling2D, pooling_layers.AveragePooling3D)
def _average_pool(args: Args, weights: list[Array], x: Array) -> Array:
    pool, strides, padding = _pool_args(args)
    last = data_format_last(args)
    xl = to_last(x, last)
    if padding == "valid":
        summed = _reduce_windows(xl, pool, strides, np.add)
        return from_last(summed / np.array(np.prod(pool), xl.dtype), last)
    pads = [same_pads(n, p, s, 1) for n, p, s in zip(xl.shape[1:-1], pool, strides, strict=True)]
    summed = _reduce_windows(pad_spatial(xl, pads), pool, strides, np.add)
    ones = np.ones((1, *xl.shape[1:-1], 1), dtype=xl.dtype)
    counts = _reduce_windows(pad_spatial(ones, pads), pool, strides, np.add)
    return from_last(summed / counts, last)


def _global(args: Args, x: Array, reduce: Any) -> Array:
    rank = spatial_rank(args)
    last = data_format_last(args)
    axes = tuple(range(1, rank + 1)) if last else tuple(range(2, rank + 2))
    return reduce(x, axis=axes, keepdims=args.bool("keepdims"))


@register(pooling_layers.GlobalMaxPooling1D, pooling_layers.GlobalMaxPooling2D, pooling_layers.GlobalMaxPooling3D)
def _global_max(args: Args, weights: list[Array], x: Array) -> Array:
    return _global(args, x, np.max)


@register(pooling_layers.GlobalAveragePooling1D, pooling_layers.GlobalAveragePooling2D, pooling_layers.GlobalAveragePooling3D)
def _global_average(args: Args, weights: list[Array], x: Array) -> Array:
    return _global(args, x, np.mean)
