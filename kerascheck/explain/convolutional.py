"""Convolutions: filters, kernel, strides, padding, dilation, groups; transposed, separable,
depthwise and convolutional LSTMs."""

from __future__ import annotations

from typing import Any

from kerascheck.explain.base import (
    Explanation,
    all_of,
    call_text,
    channel,
    channels_last,
    dim,
    dot,
    equation,
    explains,
    finish,
    input_of,
    is_int,
    join_formulas,
    maybe,
    output_of,
    params_text,
    plural,
    spatial,
    spatial_rank,
    term,
    times,
)
from kerascheck.layers import convolutional as convolutional_layers
from kerascheck.layers import rnn as rnn_layers
from kerascheck.model import Layer
from kerascheck.shapes import Dim, Shape, conv_output_length, conv_transpose_output_length

UNKNOWN_SIZES = "sizes the input leaves unknown (None) stay unknown"


class Conv:
    """The arguments and shapes of one convolution, read once (None where unknown)."""

    def __init__(self, layer: Layer, rank: int, x: Shape | None = None, y: Shape | None = None) -> None:
        a = layer.args
        self.layer = layer
        self.rank = rank
        self.filters = maybe(a.int, "filters") if a is not None and "filters" in a.spec.signature.names() else None
        self.kernel: tuple[int, ...] | None = maybe(a.ints, "kernel_size", rank) if a else None
        self.strides: tuple[int, ...] | None = maybe(a.ints, "strides", rank) if a else None
        self.dilation: tuple[int, ...] | None = maybe(a.ints, "dilation_rate", rank) if a else None
        self.padding: str | None = maybe(a.padding) if a else None
        self.use_bias: bool | None = maybe(a.bool, "use_bias") if a else None
        self.last = channels_last(layer)
        self.x = x if x is not None else input_of(layer)
        self.y = y if y is not None else output_of(layer)
        self.cin: Dim = None
        self.in_spatial: Shape | None = None
        self.out_spatial: Shape | None = None
        if self.last is not None:
            if self.x is not None and len(self.x) == rank + 2:
                self.cin = channel(self.x, self.last)
                self.in_spatial = spatial(self.x, self.last)
            if self.y is not None and len(self.y) == rank + 2:
                self.out_spatial = spatial(self.y, self.last)

    @property
    def kernel_size(self) -> int | None:
        if self.kernel is None:
            return None
        size = 1
        for k in self.kernel:
            size *= k
        return size

    def window(self) -> str:
        if self.kernel is None:
            return "(kernel size unknown)"
        return f"{self.kernel[0]}-step" if self.rank == 1 else times(self.kernel)

    def filter_extent(self, channels: Dim) -> str:
        """`3×3×3`: a filter spans the kernel window and all the channels it reads."""
        if self.kernel is None:
            return "of a kernel size kerascheck cannot know"
        if channels is None:
            return f"{self.kernel[0]} steps long" if self.rank == 1 else times(self.kernel)
        return times((*self.kernel, channels))

    def movement(self) -> str:
        """How the filter moves, when it does not simply slide one position at a time."""
        parts = []
        if self.strides is not None and max(self.strides) > 1:
            step = self.strides[0] if len(set(self.strides)) == 1 else f"({', '.join(map(str, self.strides))})"
            parts.append(f"moving {step} positions at a time")
        if self.dilation is not None and self.kernel is not None and max(self.dilation) > 1:
            d = self.dilation[0] if len(set(self.dilation)) == 1 else f"({', '.join(map(str, self.dilation))})"
            reach = [di * (k - 1) + 1 for di, k in zip(self.dilation, self.kernel, strict=True)]
            parts.append(f"dilated by {d} (its taps are {d} positions apart, so it spans {times(reach)})")
        return ", ".join(parts)

    def layout(self) -> str:
        if self.last is False:
            return " (channels_first: channels come before the spatial axes)"
        return ""

    def sizes(self) -> str:
        """How each spatial size follows: `30 = 32 − 3 + 1 (valid padding)`."""
        if (self.in_spatial is None or self.out_spatial is None or self.kernel is None
                or self.strides is None or self.dilation is None or self.padding is None):
            return ""
        items = []
        unknown = False
        for length, k, s, d, out in zip(self.in_spatial, self.kernel, self.strides, self.dilation,
                                        self.out_spatial, strict=True):
            if length is None and out is None:
                unknown = True
                continue
            items.append(_conv_axis(length, k, s, d, self.padding, out))
        if any(i is None for i in items):
            return ""
        if self.padding in ("same", "causal") and all(i == "" for i in items):
            kept = join_formulas([dim(d) for d in self.in_spatial if d is not None])
            text = f"{self.padding} padding keeps the size{'s' if ',' in kept else ''} {kept}" if kept else ""
        else:
            text = join_formulas([i for i in items if i])
            text = f"{text} ({self.padding} padding)" if text else ""
        if unknown:
            text = (text + "; " if text else "") + UNKNOWN_SIZES
        return text


def _conv_axis(length: Dim, k: int, s: int, d: int, padding: str, out: Dim) -> str | None:
    """One axis: the formula, "" when the size is simply kept, None when it cannot be shown."""
    if length is None or out is None:
        return None
    if maybe(conv_output_length, length, k, s, padding, d) != out:
        return None
    reach = d * (k - 1) + 1
    if padding == "valid":
        if s == 1:
            return equation(out, f"{term(length)} − {reach} + 1", f"each size L becomes L − {reach} + 1")
        return equation(out, f"({dim(length)} − {reach}) // {s} + 1", f"each size L becomes (L − {reach}) // {s} + 1")
    if s == 1:
        return ""
    exact = is_int(length) and length % s == 0
    return equation(out, f"{term(length)} / {s}" + ("" if exact else " rounded up"),
                    f"each size L becomes L / {s} rounded up")


def _bias(c: Conv, count: Any) -> tuple[str, int]:
    if c.use_bias is False:
        return " (no biases: use_bias=False)", 0
    return f" + {count} bias{'' if count == 1 else 'es'}", count if is_int(count) else 0


@explains(convolutional_layers.Conv1D, convolutional_layers.Conv2D, convolutional_layers.Conv3D)
def convolution(layer: Layer) -> Explanation:
    c = Conv(layer, spatial_rank(layer))
    groups = maybe(layer.args.int, "groups") if layer.args else None
    if groups is not None and groups > 1 and is_int(c.cin) and c.cin % groups == 0:
        per = c.cin // groups
        meaning = (f"{plural(c.filters, 'filter')} in {groups} groups, each {c.filter_extent(per)} over its "
                   f"group's {per} of the {c.cin} input channels")
    else:
        per = c.cin
        meaning = f"{plural(c.filters, 'filter')}, each {c.filter_extent(c.cin)} over {all_of(c.cin, 'input channel')}"
    if c.movement():
        meaning += ", " + c.movement()
    meaning += c.layout()
    params = ""
    if c.kernel is not None and is_int(per) and is_int(c.filters):
        bias_text, bias = _bias(c, c.filters)
        expected = (c.kernel_size or 0) * per * c.filters + bias
        params = params_text(layer, dot((*c.kernel, per, c.filters)) + " weights" + bias_text, expected)
    else:
        params = params_text(layer, None, None)
    return finish(layer, Explanation(call_text(layer), meaning, how=c.sizes(), params=params))


@explains(convolutional_layers.Conv1DTranspose, convolutional_layers.Conv2DTranspose, convolutional_layers.Conv3DTranspose)
def transposed_convolution(layer: Layer) -> Explanation:
    c = Conv(layer, spatial_rank(layer))
    step = ""
    if c.strides is not None and max(c.strides) > 1:
        step = f", placed {c.strides[0] if len(set(c.strides)) == 1 else c.strides} positions apart"
    meaning = (f"{plural(c.filters, 'filter')}, each {c.filter_extent(c.cin)}, paint every input position onto a "
               f"{c.window()} patch of the output{step}: the reverse of a convolution, so the maps grow")
    meaning += c.layout()
    raw = layer.args.get("output_padding") if layer.args is not None else None
    output_padding = None if raw is None else maybe(layer.args.ints, "output_padding", c.rank)  # type: ignore[union-attr]
    how = ""
    if (c.in_spatial is not None and c.out_spatial is not None and c.kernel is not None and c.strides is not None
            and c.dilation is not None and c.padding is not None and (raw is None or output_padding is not None)):
        items = []
        for i, (length, k, s, d, out) in enumerate(zip(c.in_spatial, c.kernel, c.strides, c.dilation,
                                                       c.out_spatial, strict=True)):
            op = None if output_padding is None else output_padding[i]
            items.append(_transpose_axis(length, k, s, d, c.padding, op, out))
        if all(items):
            how = f"{join_formulas(items)} ({c.padding} padding)"  # type: ignore[arg-type]
    params = ""
    if c.kernel is not None and is_int(c.cin) and is_int(c.filters):
        bias_text, bias = _bias(c, c.filters)
        expected = (c.kernel_size or 0) * c.cin * c.filters + bias
        params = params_text(layer, dot((*c.kernel, c.cin, c.filters)) + " weights" + bias_text, expected)
    else:
        params = params_text(layer, None, None)
    return finish(layer, Explanation(call_text(layer), meaning, how=how, params=params))


def _transpose_axis(length: Dim, k: int, s: int, d: int, padding: str, op: int | None, out: Dim) -> str | None:
    if length is None or out is None:
        return None
    if maybe(conv_transpose_output_length, length, k, s, padding, op, d) != out:
        return None
    reach = d * (k - 1) + 1
    if is_int(length):
        if padding == "valid":
            extra = max(reach, s) - reach if op is None else op
            text = f"{out} = {length} + {reach} − 1" if s == 1 else f"{out} = ({length} − 1)·{s} + {reach}"
            return text + (f" + {extra}" if extra else "")
        if op is None:
            return f"{out} = {length}·{s}" if s > 1 else f"{out} = {length}"
        return f"{out} = ({length} − 1)·{s} + {reach % 2 + op}"
    # A symbolic size: its output already is the formula; say the rule.
    if padding == "valid":
        extra = max(reach, s) - reach if op is None else op
        return f"each size L becomes (L − 1)·{s} + {reach}" + (f" + {extra}" if extra else "")
    if op is None:
        return f"each size L becomes L·{s}"
    return f"each size L becomes (L − 1)·{s} + {reach % 2 + op}"


@explains(convolutional_layers.DepthwiseConv1D, convolutional_layers.DepthwiseConv2D)
def depthwise_convolution(layer: Layer) -> Explanation:
    c = Conv(layer, spatial_rank(layer))
    m = maybe(layer.args.int, "depth_multiplier") if layer.args else None
    per = "one" if m == 1 else ("a number of" if m is None else str(m))
    filters = "filter" if m == 1 else "filters"
    meaning = (f"{per} {c.window()} {filters} per input channel: each of the {dim(c.cin) + ' ' if c.cin else ''}"
               "channels is filtered on its own, and channels are not mixed")
    if c.movement():
        meaning += ", " + c.movement()
    meaning += c.layout()
    how = c.sizes()
    if m is not None and m > 1 and is_int(c.cin):
        how = (how + "; " if how else "") + f"{c.cin * m} channels = {c.cin}·{m}"
    params = ""
    if c.kernel is not None and is_int(c.cin) and m is not None:
        out = c.cin * m
        bias_text, bias = _bias(c, out)
        factors = (*c.kernel, c.cin) if m == 1 else (*c.kernel, c.cin, m)
        params = params_text(layer, dot(factors) + " weights" + bias_text, (c.kernel_size or 0) * out + bias)
    else:
        params = params_text(layer, None, None)
    return finish(layer, Explanation(call_text(layer), meaning, how=how, params=params))


@explains(convolutional_layers.SeparableConv1D, convolutional_layers.SeparableConv2D)
def separable_convolution(layer: Layer) -> Explanation:
    c = Conv(layer, spatial_rank(layer))
    m = maybe(layer.args.int, "depth_multiplier") if layer.args else None
    mixed: Any = c.cin * m if is_int(c.cin) and m is not None else None
    depthwise = "one" if m == 1 else ("a number of" if m is None else str(m))
    meaning = (f"first {depthwise} {c.window()} filter{'' if m == 1 else 's'} on each input channel separately "
               f"(depthwise), then {plural(c.filters, 'filter')} of 1×{'1×' * (c.rank - 1)}{dim(mixed)} mix the "
               "channels (pointwise)")
    if c.movement():
        meaning += ", " + c.movement()
    meaning += c.layout()
    params = ""
    if c.kernel is not None and is_int(c.cin) and m is not None and is_int(c.filters):
        bias_text, bias = _bias(c, c.filters)
        dw = (*c.kernel, c.cin) if m == 1 else (*c.kernel, c.cin, m)
        pw = (c.cin, c.filters) if m == 1 else (c.cin, m, c.filters)
        expected = (c.kernel_size or 0) * c.cin * m + c.cin * m * c.filters + bias
        params = params_text(layer, f"{dot(dw)} depthwise + {dot(pw)} pointwise weights{bias_text}", expected)
    else:
        params = params_text(layer, None, None)
    return finish(layer, Explanation(call_text(layer), meaning, how=c.sizes(), params=params))


@explains(rnn_layers.ConvLSTM1D, rnn_layers.ConvLSTM2D, rnn_layers.ConvLSTM3D)
def convolutional_lstm(layer: Layer) -> Explanation:
    rank = spatial_rank(layer)
    x = input_of(layer)
    y = output_of(layer)
    a = layer.args
    sequences = maybe(a.bool, "return_sequences") if a else None
    # Each step is one frame: the convolution arithmetic applies to (batch, *frame).
    step_in = (x[0], *x[2:]) if x is not None and len(x) == rank + 3 else None
    step_out = None
    if y is not None:
        step_out = (y[0], *y[2:]) if sequences and len(y) == rank + 3 else y
    c = Conv(layer, rank, step_in, step_out)
    frames = dim(x[1]) + " " if x is not None and len(x) > 1 and x[1] is not None else ""
    meaning = (f"an LSTM over the {frames}frames whose 4 gates are convolutions: {plural(c.filters, 'filter')} "
               f"of {c.filter_extent(c.cin)} on each frame and of {c.filter_extent(c.filters)} on the state")
    if c.movement():
        meaning += ", " + c.movement()
    meaning += c.layout()
    if sequences is True:
        meaning += "; return_sequences=True: an output for every frame"
    elif sequences is False:
        meaning += "; returns only the last frame's output"
    params = ""
    if c.kernel is not None and is_int(c.cin) and is_int(c.filters):
        k = c.kernel_size or 0
        bias_text, bias = _bias(c, f"4·{c.filters}")
        bias = 4 * c.filters if c.use_bias is not False else 0
        expected = k * c.cin * 4 * c.filters + k * c.filters * 4 * c.filters + bias
        formula = f"4·({dot((*c.kernel, c.cin, c.filters))} + {dot((*c.kernel, c.filters, c.filters))}) weights"
        params = params_text(layer, formula + bias_text, expected, " (4 gates)")
    else:
        params = params_text(layer, None, None)
    return finish(layer, Explanation(call_text(layer), meaning, how=c.sizes(), params=params))
