"""Preprocessing layers: Rescaling, Normalization (given or stored mean and variance), Resizing,
CenterCrop, CategoryEncoding, Discretization (given boundaries). (The random augmentation layers are identities at inference: see `core`.)"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerascheck.execute.image import resize_images
from kerascheck.execute.registry import Unsupported, WeightSpec, data_format_last, number, register
from kerascheck.layers import preprocessing as preprocessing_layers
from kerascheck.layers.spec import Args, is_plain
from kerascheck.shapes import Unknowable

Array = Any


def _constant(args: Args, name: str) -> Array:
    value = args.known(name)
    if not is_plain(value) or value is None or isinstance(value, (str, bool)):
        raise Unknowable(name)
    try:
        return np.asarray(value, dtype=np.float32)
    except (TypeError, ValueError) as e:
        raise Unknowable(name) from e


@register(preprocessing_layers.Rescaling)
def _rescaling(args: Args, weights: list[Array], x: Array) -> Array:
    return x.astype(np.float32) * _constant(args, "scale") + _constant(args, "offset")


def _keep_axes(args: Args, rank: int) -> tuple[int, ...]:
    axis = args.known("axis")
    axes = () if axis is None else tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in axes):
        raise Unknowable("axis")
    return tuple(sorted(a % rank for a in axes))


def _normalization_weights(args: Args, x: tuple[int, ...]) -> list[WeightSpec]:
    if args.known("mean") is not None:
        return []
    shape = tuple(x[d] for d in _keep_axes(args, len(x)))
    return [
        WeightSpec("mean", shape, "bias"),
        WeightSpec("variance", shape, "positive"),
        WeightSpec("count", (), "count"),
    ]


@register(preprocessing_layers.Normalization, weights=_normalization_weights)
def _normalization(args: Args, weights: list[Array], x: Array) -> Array:
    keep = _keep_axes(args, x.ndim)
    broadcast = [x.shape[d] if d in keep else 1 for d in range(x.ndim)]
    if weights:
        mean = np.reshape(weights[0], broadcast)
        variance = np.reshape(weights[1], broadcast)
    else:
        mean, variance = _constant(args, "mean"), _constant(args, "variance")
        if mean.ndim != 0:
            # Keras's build: the mean's trailing axes line up with the trailing kept axes.
            expanded = [1] * x.ndim
            for i in range(1, mean.ndim + 1):
                expanded[keep[-i]] = mean.shape[-i]
            mean = np.reshape(mean, expanded)
            variance = np.reshape(variance, expanded)
        mean = np.broadcast_to(mean, broadcast)
        variance = np.broadcast_to(variance, broadcast)
    x = x.astype(np.float32)
    mean = mean.astype(np.float32)
    denominator = np.maximum(np.sqrt(variance.astype(np.float32)), np.float32(1e-7))
    if args.bool("invert"):
        return mean + x * denominator
    return (x - mean) / denominator


@register(preprocessing_layers.Resizing)
def _resizing(args: Args, weights: list[Array], x: Array) -> Array:
    if args.str("fill_mode") != "constant":
        raise Unsupported(f"fill_mode={args.str('fill_mode')!r}")
    out = resize_images(
        x,
        args.int("height"),
        args.int("width"),
        args.str("interpolation"),
        data_format_last(args),
        antialias=args.bool("antialias"),
        crop_to_aspect_ratio=args.bool("crop_to_aspect_ratio"),
        pad_to_aspect_ratio=args.bool("pad_to_aspect_ratio"),
        fill_value=number(args, "fill_value"),
    )
    return out.astype(x.dtype)


@register(preprocessing_layers.CenterCrop)
def _center_crop(args: Args, weights: list[Array], x: Array) -> Array:
    if x.ndim not in (3, 4):
        raise ValueError(f"CenterCrop takes a 3-D or 4-D input, not {x.ndim}-D")
    height, width = args.int("height"), args.int("width")
    last = data_format_last(args)
    h_axis, w_axis = (x.ndim - 3, x.ndim - 2) if last else (x.ndim - 2, x.ndim - 1)
    h_diff, w_diff = x.shape[h_axis] - height, x.shape[w_axis] - width
    if h_diff < 0 or w_diff < 0:
        raise Unsupported("CenterCrop on an image smaller than the crop resizes it (smart_resize)")
    index = [slice(None)] * x.ndim
    index[h_axis] = slice(h_diff // 2, h_diff // 2 + height)
    index[w_axis] = slice(w_diff // 2, w_diff // 2 + width)
    return x[tuple(index)].astype(np.float32)


def _category_ids(x: Array, tokens: int) -> Array:
    """The input as integer ids, or `Unsupported` where Keras's backends disagree on what happens."""
    ids = np.asarray(x)
    if not np.issubdtype(ids.dtype, np.integer):
        # A float input Keras's model casts to its int Input's dtype first; fractions mean the ids are
        # not ids at all (the check feeds random floats to every layer but an Embedding).
        if not np.all(np.isfinite(ids)) or not np.all(ids == np.round(ids)):
            raise Unsupported("CategoryEncoding takes integer category ids, and receives non-integer values")
        ids = ids.astype(np.int64)
    if ids.size and (ids.min() < 0 or ids.max() >= tokens):
        # The NumPy backend raises past num_tokens and drops negative ids; TensorFlow and JAX give zeros.
        raise Unsupported(f"ids outside [0, {tokens}) reach the CategoryEncoding")
    return ids


@register(preprocessing_layers.CategoryEncoding)
def _category_encoding(args: Args, weights: list[Array], x: Array) -> Array:
    if isinstance(x, list):
        raise Unsupported("CategoryEncoding's count_weights is not modelled")
    if args.bool("sparse"):
        raise Unsupported("sparse=True (a sparse output)")
    tokens = args.int("num_tokens")
    mode = args.str("output_mode")
    mode = "multi_hot" if mode == "binary" else mode
    ids = _category_ids(x, tokens)
    if ids.ndim == 0:
        ids = ids[None]  # Keras treats a single id as a sample of one
    if mode == "one_hot" and ids.ndim > 1 and ids.shape[-1] == 1:
        ids = ids[..., 0]
    one_hot = (ids[..., None] == np.arange(tokens)).astype(np.float32)
    if mode == "one_hot":
        return one_hot
    # Keras's call reduces over axis 1 (axis 0 for a 1-D input), which is the last axis only up to 2-D.
    axis = 1 if ids.ndim > 1 else 0
    if mode == "multi_hot":
        return one_hot.max(axis=axis)
    if mode == "count":
        return one_hot.sum(axis=axis)
    raise Unsupported(f"output_mode={mode!r}")


@register(preprocessing_layers.Discretization)
def _discretization(args: Args, weights: list[Array], x: Array) -> Array:
    """The bin index of each value: bin i holds boundaries[i-1] <= v < boundaries[i]."""
    if args.str("output_mode") != "int":
        raise Unsupported("Discretization's encoded output modes are not modelled")
    boundaries = _constant(args, "bin_boundaries")
    if boundaries.ndim != 1:
        raise Unsupported("bin_boundaries learnt by adapt")
    return np.digitize(np.asarray(x), boundaries).astype(np.int64)
