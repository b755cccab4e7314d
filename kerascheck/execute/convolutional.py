"""Convolutions: Conv1D/2D/3D, their transposes, separable and depthwise forms.

Everything is computed channels-last (a channels-first input is transposed in and out), as a sum
over kernel offsets of strided input slices times one kernel tap: memory stays near the size of
the output, with no im2col copy. Padding follows Keras: "same" pads like TensorFlow/JAX
(`lax.padtype_to_pads`), "causal" pads `dilation * (kernel - 1)` on the left, and a transposed
convolution pads as `compute_conv_transpose_padding_args_for_jax` says.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerascheck.execute.activations import activation_of
from kerascheck.execute.registry import Unsupported, WeightSpec, data_format_last, register, spatial_rank
from kerascheck.layers import convolutional as convolutional_layers
from kerascheck.layers.spec import Args

Array = Any



def _rank(args: Args) -> int:
    return spatial_rank(args)


def to_last(x: Array, last: bool) -> Array:
    return x if last else np.moveaxis(x, 1, -1)


def from_last(x: Array, last: bool) -> Array:
    return x if last else np.moveaxis(x, -1, 1)


def channels(args: Args, shape: tuple[int, ...]) -> int:
    return shape[-1] if data_format_last(args) else shape[1]


def same_pads(length: int, kernel: int, stride: int, dilation: int) -> tuple[int, int]:
    out = -(-length // stride)
    reach = (kernel - 1) * dilation + 1
    total = max((out - 1) * stride + reach - length, 0)
    return total // 2, total - total // 2


def padding_pairs(
    padding: str, spatial: tuple[int, ...], kernel: tuple[int, ...], strides: tuple[int, ...], dilation: tuple[int, ...]
) -> list[tuple[int, int]]:
    if padding == "valid":
        return [(0, 0)] * len(spatial)
    if padding == "same":
        return [same_pads(n, k, s, d) for n, k, s, d in zip(spatial, kernel, strides, dilation, strict=True)]
    if padding == "causal":
        return [((k - 1) * d, 0) for k, d in zip(kernel, dilation, strict=True)]
    raise Unsupported(f"padding={padding!r}")


def pad_spatial(x: Array, pads: list[tuple[int, int]], value: float = 0.0) -> Array:
    """Pad (or crop, for negative amounts) the spatial axes of a channels-last array."""
    crop = []
    widths = [(0, 0)]
    for lo, hi in pads:
        widths.append((max(lo, 0), max(hi, 0)))
        crop.append(slice(-lo if lo < 0 else None, hi if hi < 0 else None))
    widths.append((0, 0))
    if any(w != (0, 0) for w in widths):
        x = np.pad(x, widths, constant_values=value)
    if any(s != slice(None) for s in crop):
        x = x[(slice(None), *crop, slice(None))]
    return x


def _windows(
    x: Array, kernel: tuple[int, ...], strides: tuple[int, ...], dilation: tuple[int, ...]
) -> tuple[tuple[int, ...], list[tuple[tuple[int, ...], Array]]]:
    """The output spatial size and, per kernel offset, the strided input slice it multiplies."""
    spatial = x.shape[1:-1]
    out = tuple((n - (k - 1) * d - 1) // s + 1 for n, k, s, d in zip(spatial, kernel, strides, dilation, strict=True))
    if any(o < 0 for o in out):
        raise ValueError(f"kernel {kernel} does not fit the padded input {tuple(spatial)}")
    if any(o == 0 for o in out):
        return out, []  # an empty output (a transposed convolution can give one): nothing to sum
    taps = []
    for offset in np.ndindex(*kernel):
        index = tuple(
            slice(o * d, o * d + (m - 1) * s + 1, s) for o, d, s, m in zip(offset, dilation, strides, out, strict=True)
        )
        taps.append((offset, x[(slice(None), *index, slice(None))]))
    return out, taps


def conv_last(
    x: Array,
    kernel: Array,
    strides: tuple[int, ...],
    pads: list[tuple[int, int]],
    dilation: tuple[int, ...],
    groups: int = 1,
) -> Array:
    """Cross-correlation of channels-last `x` with `kernel` (*k, in/groups, out)."""
    x = pad_spatial(x, pads)
    k = kernel.shape[:-2]
    cin_g, cout = kernel.shape[-2:]
    if x.shape[-1] != cin_g * groups:
        raise ValueError(f"input has {x.shape[-1]} channels, the kernel expects {cin_g * groups}")
    out_spatial, taps = _windows(x, k, strides, dilation)
    y = np.zeros((x.shape[0], *out_spatial, cout), dtype=np.result_type(x.dtype, kernel.dtype))
    flat = y.reshape(-1, cout)  # a view: one matrix product per kernel tap, not one per position
    if groups == 1 and taps and len(taps) * cin_g <= 4 * cout:
        # Few input channels: one product over all taps at once (im2col) beats summing many thin
        # products, and the gathered patches take at most four times the output's memory.
        columns = np.concatenate([patch.reshape(-1, cin_g) for _, patch in taps], axis=1)
        flat += np.dot(columns, kernel.reshape(-1, cout))
        return y
    if groups == 1:
        for offset, patch in taps:
            flat += np.dot(patch.reshape(-1, cin_g), kernel[offset])
        return y
    cout_g = cout // groups
    for offset, patch in taps:
        p = patch.reshape(-1, groups, cin_g)
        w = kernel[offset].reshape(cin_g, groups, cout_g)
        flat += np.einsum("ngc,cgf->ngf", p, w).reshape(-1, cout)
    return y


def conv_transpose_last(
    x: Array, kernel: Array, strides: tuple[int, ...], pads: list[tuple[int, int]], dilation: tuple[int, ...]
) -> Array:
    """Keras's (JAX's) transposed convolution of channels-last `x` with `kernel` (*k, out, in).

    JAX correlates the stride-dilated input, padded by `pads`, with the flipped kernel. The same
    sums, computed by scattering each input sample times each kernel tap into the full output
    (length `(L - 1) * s + (k - 1) * d + 1` per axis), skip the inserted zeros; the full output is
    then padded or cropped by `pad - (k - 1) * d` on each side.
    """
    k = kernel.shape[:-2]
    cout, cin = kernel.shape[-2:]
    if x.shape[-1] != cin:
        raise ValueError(f"input has {x.shape[-1]} channels, the kernel expects {cin}")
    spatial = x.shape[1:-1]
    full_shape = tuple(
        (n - 1) * s + (kk - 1) * d + 1 for n, s, kk, d in zip(spatial, strides, k, dilation, strict=True)
    )
    full = np.zeros((x.shape[0], *full_shape, cout), dtype=np.result_type(x.dtype, kernel.dtype))
    rows = x.reshape(-1, cin)
    for offset in np.ndindex(*k):
        index = tuple(
            slice(o * d, o * d + (n - 1) * s + 1, s)
            for o, d, s, n in zip(offset, dilation, strides, spatial, strict=True)
        )
        full[(slice(None), *index, slice(None))] += np.dot(rows, kernel[offset].T).reshape(*x.shape[:-1], cout)
    reach = [(kk - 1) * d for kk, d in zip(k, dilation, strict=True)]
    return pad_spatial(full, [(lo - r, hi - r) for (lo, hi), r in zip(pads, reach, strict=True)])


def depthwise_last(
    x: Array, kernel: Array, strides: tuple[int, ...], pads: list[tuple[int, int]], dilation: tuple[int, ...]
) -> Array:
    """Depthwise convolution of channels-last `x` with `kernel` (*k, in, multiplier)."""
    x = pad_spatial(x, pads)
    k = kernel.shape[:-2]
    cin, mult = kernel.shape[-2:]
    if x.shape[-1] != cin:
        raise ValueError(f"input has {x.shape[-1]} channels, the kernel expects {cin}")
    out_spatial, taps = _windows(x, k, strides, dilation)
    y = np.zeros((x.shape[0], *out_spatial, cin, mult), dtype=np.result_type(x.dtype, kernel.dtype))
    for offset, patch in taps:
        y += patch[..., None] * kernel[offset]
    return y.reshape(*y.shape[:-2], cin * mult)


def _add_bias(y: Array, args: Args, bias: Array | None) -> Array:
    if bias is not None:
        y = y + bias
    return y


def _conv_args(args: Args) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], str]:
    rank = _rank(args)
    return (
        args.ints("kernel_size", rank),
        args.ints("strides", rank),
        args.ints("dilation_rate", rank),
        args.padding(),
    )


# -- Conv1D/2D/3D ----------------------------------------------------------------------------


def _conv_weights(args: Args, x: tuple[int, ...]) -> list[WeightSpec]:
    kernel, _, _, _ = _conv_args(args)
    filters, groups = args.int("filters"), args.int("groups")
    c = channels(args, x)
    specs = [WeightSpec("kernel", (*kernel, c // groups, filters))]
    if args.bool("use_bias"):
        specs.append(WeightSpec("bias", (filters,), "bias"))
    return specs


@register(convolutional_layers.Conv1D, convolutional_layers.Conv2D, convolutional_layers.Conv3D, weights=_conv_weights)
def _conv(args: Args, weights: list[Array], x: Array) -> Array:
    act = activation_of(args)
    kernel, strides, dilation, padding = _conv_args(args)
    last = data_format_last(args)
    xl = to_last(x, last)
    pads = padding_pairs(padding, xl.shape[1:-1], kernel, strides, dilation)
    y = conv_last(xl, weights[0], strides, pads, dilation, args.int("groups"))
    y = _add_bias(y, args, weights[1] if args.bool("use_bias") else None)
    return act(from_last(y, last))


# -- transposed convolutions -------------------------------------------------------------------


def transpose_pads(
    kernel: int, stride: int, dilation: int, padding: str, output_padding: int | None
) -> tuple[int, int]:
    """Keras's `_convert_conv_transpose_padding_args_from_keras_to_jax`."""
    reach = (kernel - 1) * dilation + 1
    if padding == "valid":
        op = max(reach, stride) - reach if output_padding is None else output_padding
        return reach - 1, reach - 1 + op
    if padding != "same":
        raise Unsupported(f"padding={padding!r}")
    pad_len = stride + reach - 2 if output_padding is None else reach + reach % 2 - 2 + output_padding
    left = min(pad_len // 2 + pad_len % 2, reach - 1)
    return left, pad_len - left


def _transpose_weights(args: Args, x: tuple[int, ...]) -> list[WeightSpec]:
    kernel, _, _, _ = _conv_args(args)
    filters = args.int("filters")
    specs = [WeightSpec("kernel", (*kernel, filters, channels(args, x)))]
    if args.bool("use_bias"):
        specs.append(WeightSpec("bias", (filters,), "bias"))
    return specs


@register(convolutional_layers.Conv1DTranspose, convolutional_layers.Conv2DTranspose, convolutional_layers.Conv3DTranspose, weights=_transpose_weights)
def _conv_transpose(args: Args, weights: list[Array], x: Array) -> Array:
    act = activation_of(args)
    rank = _rank(args)
    kernel, strides, dilation, padding = _conv_args(args)
    raw = args.known("output_padding")
    output_padding = (None,) * rank if raw is None else args.ints("output_padding", rank)
    last = data_format_last(args)
    xl = to_last(x, last)
    pads = [
        transpose_pads(k, s, d, padding, op)
        for k, s, d, op in zip(kernel, strides, dilation, output_padding, strict=True)
    ]
    y = conv_transpose_last(xl, weights[0], strides, pads, dilation)
    y = _add_bias(y, args, weights[1] if args.bool("use_bias") else None)
    return act(from_last(y, last))


# -- separable and depthwise -----------------------------------------------------------------------


def _separable_weights(args: Args, x: tuple[int, ...]) -> list[WeightSpec]:
    kernel, _, _, _ = _conv_args(args)
    rank = _rank(args)
    c = channels(args, x)
    mult, filters = args.int("depth_multiplier"), args.int("filters")
    specs = [
        WeightSpec("depthwise_kernel", (*kernel, c, mult)),
        WeightSpec("pointwise_kernel", (*(1,) * rank, c * mult, filters)),
    ]
    if args.bool("use_bias"):
        specs.append(WeightSpec("bias", (filters,), "bias"))
    return specs


@register(convolutional_layers.SeparableConv1D, convolutional_layers.SeparableConv2D, weights=_separable_weights)
def _separable(args: Args, weights: list[Array], x: Array) -> Array:
    act = activation_of(args)
    rank = _rank(args)
    kernel, strides, dilation, padding = _conv_args(args)
    last = data_format_last(args)
    xl = to_last(x, last)
    pads = padding_pairs(padding, xl.shape[1:-1], kernel, strides, dilation)
    y = depthwise_last(xl, weights[0], strides, pads, dilation)
    y = conv_last(y, weights[1], (1,) * rank, [(0, 0)] * rank, (1,) * rank)
    y = _add_bias(y, args, weights[2] if args.bool("use_bias") else None)
    return act(from_last(y, last))


def _depthwise_weights(args: Args, x: tuple[int, ...]) -> list[WeightSpec]:
    kernel, _, _, _ = _conv_args(args)
    c = channels(args, x)
    mult = args.int("depth_multiplier")
    specs = [WeightSpec("kernel", (*kernel, c, mult))]
    if args.bool("use_bias"):
        specs.append(WeightSpec("bias", (c * mult,), "bias"))
    return specs


@register(convolutional_layers.DepthwiseConv1D, convolutional_layers.DepthwiseConv2D, weights=_depthwise_weights)
def _depthwise(args: Args, weights: list[Array], x: Array) -> Array:
    act = activation_of(args)
    kernel, strides, dilation, padding = _conv_args(args)
    last = data_format_last(args)
    xl = to_last(x, last)
    pads = padding_pairs(padding, xl.shape[1:-1], kernel, strides, dilation)
    y = depthwise_last(xl, weights[0], strides, pads, dilation)
    y = _add_bias(y, args, weights[1] if args.bool("use_bias") else None)
    return act(from_last(y, last))
