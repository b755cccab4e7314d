"""Image resizing as Keras's NumPy backend does it (`keras/src/backend/numpy/image.py`): nearest
neighbour, and separable kernels (bilinear, bicubic, Lanczos) with optional antialiasing,
a port of `jax.image.scale_and_translate`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from kerascheck.execute.registry import Unsupported

Array = Any


def _triangle(x: Array) -> Array:
    return np.maximum(0, 1 - np.abs(x))


def _keys_cubic(x: Array) -> Array:
    out = ((1.5 * x - 2.5) * x) * x + 1.0
    out = np.where(x >= 1.0, ((-0.5 * x + 2.5) * x - 4.0) * x + 2.0, out)
    return np.where(x >= 2.0, 0.0, out)


def _lanczos(radius: float) -> Callable[[Array], Array]:
    def kernel(x: Array) -> Array:
        y = radius * np.sin(np.pi * x) * np.sin(np.pi * x / radius)
        out = np.where(x > 1e-3, np.divide(y, np.where(x != 0, np.pi**2 * x**2, 1)), 1)
        return np.where(x > radius, 0.0, out)

    return kernel


KERNELS: dict[str, Callable[[Array], Array]] = {
    "bilinear": _triangle,
    "linear": _triangle,
    "bicubic": _keys_cubic,
    "cubic": _keys_cubic,
    "lanczos3": _lanczos(3.0),
    "lanczos5": _lanczos(5.0),
}


def _weight_matrix(m: int, n: int, scale: float, kernel: Callable[[Array], Array], antialias: bool) -> Array:
    inv_scale = 1.0 / scale
    kernel_scale = max(inv_scale, 1.0) if antialias else 1.0
    sample = (np.arange(n, dtype=np.float64) + 0.5) * inv_scale - 0.5
    x = np.abs(sample[np.newaxis, :] - np.arange(m, dtype=np.float64)[:, np.newaxis]) / kernel_scale
    weights = kernel(x)
    total = np.sum(weights, axis=0, keepdims=True)
    weights = np.where(
        np.abs(total) > 1000.0 * np.finfo(np.float32).eps, np.divide(weights, np.where(total != 0, total, 1)), 0
    )
    inside = np.logical_and(sample >= -0.5, sample <= m - 0.5)[np.newaxis, :]
    return np.where(inside, weights, 0)


def resize(x: Array, out_shape: tuple[int, ...], method: str, antialias: bool = False) -> Array:
    """Resize `x` to `out_shape` (same rank), changing every axis whose size differs."""
    axes = [i for i in range(x.ndim) if x.shape[i] != out_shape[i]]
    if method == "nearest":
        for d in axes:
            m, n = x.shape[d], out_shape[d]
            offsets = np.floor((np.arange(n, dtype=np.float32) + 0.5) * m / n).astype(np.int32)
            x = np.take(x, offsets, axis=d)
        return x
    kernel = KERNELS.get(method)
    if kernel is None:
        raise Unsupported(f"interpolation={method!r}")
    out = x.copy()
    for d in axes:
        m, n = x.shape[d], out_shape[d]
        w = _weight_matrix(m, n, n / m if m else 1.0, kernel, antialias).astype(out.dtype)
        out = np.moveaxis(np.tensordot(out, w, axes=(d, 0)), -1, d)
    return out


def resize_images(
    x: Array,
    height: int,
    width: int,
    method: str,
    last: bool,
    antialias: bool = False,
    crop_to_aspect_ratio: bool = False,
    pad_to_aspect_ratio: bool = False,
    fill_value: float = 0.0,
) -> Array:
    """`keras.ops.image.resize` on a 4-D batch or a 3-D single image."""
    if x.ndim not in (3, 4):
        raise Unsupported(f"resizing a {x.ndim}-D tensor")
    h_axis, w_axis = (x.ndim - 3, x.ndim - 2) if last else (x.ndim - 2, x.ndim - 1)
    if crop_to_aspect_ratio and pad_to_aspect_ratio:
        raise ValueError("crop_to_aspect_ratio and pad_to_aspect_ratio together")
    h, w = x.shape[h_axis], x.shape[w_axis]
    if crop_to_aspect_ratio:
        crop_h = max(min(h, int(float(w * height) / width)), 1)
        crop_w = max(min(w, int(float(h * width) / height)), 1)
        top, left = int(float(h - crop_h) / 2), int(float(w - crop_w) / 2)
        index = [slice(None)] * x.ndim
        index[h_axis] = slice(top, top + crop_h)
        index[w_axis] = slice(left, left + crop_w)
        x = x[tuple(index)]
    elif pad_to_aspect_ratio:
        pad_h = max(h, int(float(w * height) / width))
        pad_w = max(w, int(float(h * width) / height))
        top, left = int(float(pad_h - h) / 2), int(float(pad_w - w) / 2)
        widths = [(0, 0)] * x.ndim
        if top > 0:
            widths[h_axis] = (top, top)
        elif left > 0:
            widths[w_axis] = (left, left)
        x = np.pad(x, widths, constant_values=fill_value)
    out_shape = list(x.shape)
    out_shape[h_axis], out_shape[w_axis] = height, width
    return resize(x, tuple(out_shape), method, antialias)
