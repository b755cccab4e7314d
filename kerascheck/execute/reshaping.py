"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, Cropping, ZeroPadding, UpSampling."""

from __future__ import annotations

from typing import Any

import numpy as np

from kerascheck.execute.convolutional import from_last, to_last
from kerascheck.execute.image import resize_images
from kerascheck.execute.registry import Unsupported, data_format_last, register, spatial_rank
from kerascheck.layers import reshaping as reshaping_layers
from kerascheck.layers.spec import Args
from kerascheck.shapes import Unknowable

Array = Any


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


@register(reshaping_layers.Flatten)
def _flatten(args: Args, weights: list[Array], x: Array) -> Array:
    if not data_format_last(args) and x.ndim > 1:
        x = np.transpose(x, (0, *range(2, x.ndim), 1))
    return x.reshape(x.shape[0], -1) if x.ndim > 1 else x.reshape(x.shape[0], 1)


@register(reshaping_layers.Reshape)
def _reshape(args: Args, weights: list[Array], x: Array) -> Array:
    target = args.known("target_shape")
    if _is_int(target):
        target = (target,)
    if not isinstance(target, (tuple, list)) or not all(_is_int(d) for d in target):
        raise Unknowable("target_shape")
    return x.reshape(x.shape[0], *target)


@register(reshaping_layers.Permute)
def _permute(args: Args, weights: list[Array], x: Array) -> Array:
    dims = args.known("dims")
    if not isinstance(dims, (tuple, list)) or not all(_is_int(d) for d in dims):
        raise Unknowable("dims")
    return np.transpose(x, (0, *dims))


@register(reshaping_layers.RepeatVector)
def _repeat_vector(args: Args, weights: list[Array], x: Array) -> Array:
    if x.ndim != 2:
        raise ValueError(f"RepeatVector takes a 2-D input, not {x.ndim}-D")
    return np.repeat(x[:, np.newaxis, :], args.int("n"), axis=1)




def amounts(args: Args, name: str, rank: int) -> list[tuple[int, int]]:
    """Keras's reading of cropping/padding: an int, one int per axis, or (before, after) per axis;
    the 1D layers read one (before, after) pair or an int."""
    value = args.known(name)
    if _is_int(value):
        return [(value, value)] * rank
    if not isinstance(value, (tuple, list)):
        raise Unknowable(name)
    if rank == 1:
        if len(value) == 2 and all(_is_int(v) for v in value):
            return [(value[0], value[1])]
        if len(value) == 1 and _is_int(value[0]):
            return [(value[0], value[0])]
        raise Unknowable(name)
    if len(value) != rank:
        raise Unknowable(name)
    out = []
    for v in value:
        if _is_int(v):
            out.append((v, v))
        elif isinstance(v, (tuple, list)) and len(v) == 2 and all(_is_int(w) for w in v):
            out.append((v[0], v[1]))
        else:
            raise Unknowable(name)
    return out


@register(reshaping_layers.Cropping1D, reshaping_layers.Cropping2D, reshaping_layers.Cropping3D)
def _cropping(args: Args, weights: list[Array], x: Array) -> Array:
    rank = spatial_rank(args)
    last = data_format_last(args)
    xl = to_last(x, last)
    crops = amounts(args, "cropping", rank)
    index = [slice(None)]
    for n, (lo, hi) in zip(xl.shape[1:-1], crops, strict=True):
        if lo < 0 or hi < 0 or lo + hi >= n:
            raise ValueError(f"cropping {(lo, hi)} leaves nothing of an axis of size {n}")
        index.append(slice(lo, n - hi))
    index.append(slice(None))
    return from_last(xl[tuple(index)], last)


@register(reshaping_layers.ZeroPadding1D, reshaping_layers.ZeroPadding2D, reshaping_layers.ZeroPadding3D)
def _zero_padding(args: Args, weights: list[Array], x: Array) -> Array:
    rank = spatial_rank(args)
    last = data_format_last(args)
    pads = amounts(args, "padding", rank)
    if any(lo < 0 or hi < 0 for lo, hi in pads):
        raise Unsupported("negative padding")
    spatial = list(pads)
    widths = [(0, 0), *spatial, (0, 0)] if last else [(0, 0), (0, 0), *spatial]
    return np.pad(x, widths)


@register(reshaping_layers.UpSampling1D, reshaping_layers.UpSampling2D, reshaping_layers.UpSampling3D)
def _upsampling(args: Args, weights: list[Array], x: Array) -> Array:
    rank = spatial_rank(args)
    sizes = args.ints("size", rank)
    last = data_format_last(args)
    method = "nearest"
    if "interpolation" in args.spec.signature.names():
        method = args.str("interpolation")
    xl = to_last(x, last)
    if method == "nearest":
        for axis, s in enumerate(sizes, start=1):
            xl = np.repeat(xl, s, axis=axis)
    else:
        xl = resize_images(xl, xl.shape[1] * sizes[0], xl.shape[2] * sizes[1], method, last=True)
    return from_last(xl, last)
