"""Convolution layers: Conv1D/2D/3D, their transposes, separable and depthwise forms."""

from __future__ import annotations

from typing import ClassVar

from kerascheck.layers.spec import (
    Args,
    LayerSpec,
    checked_ints,
    checked_padding,
    known_dim,
    positive_dims,
    rank_error,
    register,
    require_rank,
    run_checks,
)
from kerascheck.shapes import (
    Dim,
    Shape,
    ShapeError,
    Unknowable,
    conv_output_length,
    conv_transpose_output_length,
    format_shape,
    mul,
)

_INIT_REG = (
    "kernel_initializer='glorot_uniform', bias_initializer='zeros', kernel_regularizer=None, "
    "bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **kwargs"
)


def _conv_signature(strides: str, dilation: str) -> str:
    return (
        f"filters, kernel_size, strides={strides}, padding='valid', data_format=None, "
        f"dilation_rate={dilation}, groups=1, activation=None, use_bias=True, " + _INIT_REG
    )


def _spatial(a: Args, x: Shape) -> tuple[Shape, Dim]:
    """(spatial dims, channel dim) under the layer's data_format."""
    if a.channels_last():
        return x[1:-1], x[-1]
    return x[2:], x[1]


def _assemble(a: Args, batch: Dim, spatial: Shape, channels: Dim) -> Shape:
    if a.channels_last():
        return (batch, *spatial, channels)
    return (batch, channels, *spatial)


class _ConvBase(LayerSpec):
    """Shared by every convolution: rank checks, argument validation, spatial sizes."""

    rank: ClassVar[int]
    convolution = True
    group = "convolutional"
    counts: ClassVar[tuple[str, ...]] = ("filters", "kernel_size")
    call_parameters: ClassVar[tuple[str, ...] | None] = ("inputs",)
    # What the Keras base class checks in its constructor:
    allow_causal: ClassVar[bool] = False  # `standardize_padding(padding, allow_causal=rank == 1)` in BaseConv only
    strides_with_dilation: ClassVar[bool] = False  # rejects strides > 1 together with dilation_rate > 1
    strides_allow_zero: ClassVar[bool] = False
    positive_filters: ClassVar[bool] = True  # rejects filters <= 0 (ConvLSTM does not check)

    def validate(self, a: Args) -> None:
        names = self.signature.names()
        run_checks(
            lambda: checked_ints(a, "kernel_size", self.rank),
            lambda: checked_ints(a, "strides", self.rank, allow_zero=self.strides_allow_zero),
            lambda: checked_ints(a, "dilation_rate", self.rank),
            lambda: checked_padding(a, allow_causal=self.allow_causal),
            lambda: self._positive(a, "filters") if self.positive_filters and "filters" in names else None,
            lambda: self._positive(a, "depth_multiplier") if "depth_multiplier" in names else None,
            lambda: self._extra_checks(a),
            lambda: self._strides_with_dilation(a),
        )

    def _extra_checks(self, a: Args) -> None:
        """Checks a particular base class adds, in Keras's order."""

    def _positive(self, a: Args, name: str) -> None:
        value = a.known(name)
        if value is not None and isinstance(value, int) and not isinstance(value, bool) and value <= 0:
            raise ShapeError(f"`{self.name}` {name}={value} must be a positive integer", kind="argument")

    def _strides_with_dilation(self, a: Args) -> None:
        if not self.strides_with_dilation:
            return
        strides = a.ints("strides", self.rank)
        dilation = a.ints("dilation_rate", self.rank)
        if max(strides) > 1 and max(dilation) > 1:
            raise ShapeError(
                f"`{self.name}` cannot combine strides {strides} with dilation_rate {dilation}: "
                "Keras accepts strides > 1 or dilation > 1, not both",
                kind="argument",
            )

    def _check_input(self, a: Args, x: Shape) -> tuple[Shape, Dim]:
        # Keras's `InputSpec(min_ndim=rank + 2)`; a higher rank fails in its shape arithmetic.
        require_rank(self.name, x, min_rank=self.rank + 2)
        if len(x) != self.rank + 2:
            raise ShapeError(rank_error(self.name, f"a {self.rank + 2}-D", x).message, kind="rank")
        # A `None` channel axis: Keras cannot size the kernel and raises, but kerascheck also writes
        # sizes it does not know as `None`, so the parameter count is unknown rather than an error.
        return _spatial(a, x)

    def _conv_spatial(self, a: Args, x: Shape, spatial: Shape) -> Shape:
        kernel = a.ints("kernel_size", self.rank)
        strides = a.ints("strides", self.rank)
        dilation = a.ints("dilation_rate", self.rank)
        padding = a.padding()
        out = tuple(
            conv_output_length(length, k, s, padding, d)
            for length, k, s, d in zip(spatial, kernel, strides, dilation, strict=True)
        )
        if padding == "valid":
            positive_dims(
                self.name,
                x,
                out,
                f"a {'x'.join(map(str, kernel))} kernel does not fit (valid padding, strides {strides})",
            )
        return out


class _Conv(_ConvBase):
    strides_with_dilation = True

    def _extra_checks(self, a: Args) -> None:
        groups = a.int("groups")
        if groups <= 0:
            raise ShapeError(f"`{self.name}` groups={groups} must be a positive integer", kind="argument")
        filters = a.int("filters")
        if filters % groups:
            raise ShapeError(
                f"`{self.name}` filters={filters} is not divisible by groups={groups}", kind="argument"
            )

    def output_shape(self, a: Args, x: Shape) -> Shape:
        spatial, channels = self._check_input(a, x)
        groups = a.int("groups")
        if isinstance(channels, int) and channels % groups:
            raise ShapeError(
                f"`{self.name}` with groups={groups} needs input channels divisible by {groups}, "
                f"but receives {format_shape(x)}",
                kind="incompatible",
            )
        return _assemble(a, x[0], self._conv_spatial(a, x, spatial), a.int("filters"))

    def params(self, a: Args, x: Shape) -> int:
        _, channels = _spatial(a, x)
        filters = a.int("filters")
        kernel = 1
        for k in a.ints("kernel_size", self.rank):
            kernel *= k
        weights = kernel * (known_dim(channels) // a.int("groups")) * filters
        return weights + (filters if a.bool("use_bias") else 0)

    def weight_shapes(self, a: Args, x: Shape | None) -> dict[str, Shape | None]:
        filters, groups = a.int("filters"), a.int("groups")
        channels = _spatial(a, x)[1] if x is not None and len(x) == self.rank + 2 else None
        per_group = channels // groups if isinstance(channels, int) and groups > 0 else None
        try:
            kernel: Shape = a.ints("kernel_size", self.rank)
        except Unknowable:
            kernel = (None,) * self.rank  # sizes not known; the bias's shape does not need them
        return {"kernel": (*kernel, per_group, filters),
                "bias": (filters,) if a.bool("use_bias") else None}


@register
class Conv1D(_Conv):
    name = "Conv1D"
    aliases = ("Convolution1D",)
    rank = 1
    allow_causal = True
    signature_text = _conv_signature("1", "1")


@register
class Conv2D(_Conv):
    name = "Conv2D"
    aliases = ("Convolution2D",)
    rank = 2
    signature_text = _conv_signature("(1, 1)", "(1, 1)")


@register
class Conv3D(_Conv):
    name = "Conv3D"
    aliases = ("Convolution3D",)
    rank = 3
    signature_text = _conv_signature("(1, 1, 1)", "(1, 1, 1)")


class _ConvTranspose(_ConvBase):
    strides_with_dilation = True

    def _extra_checks(self, a: Args) -> None:
        if a.known("output_padding") is None:
            return
        output_padding = checked_ints(a, "output_padding", self.rank, allow_zero=True)
        strides = a.ints("strides", self.rank)
        for i, (op, s) in enumerate(zip(output_padding, strides, strict=True)):
            if op >= s:
                raise ShapeError(
                    f"`{self.name}` output_padding={a.known('output_padding')!r} must be less than "
                    f"strides={a.known('strides')!r} (axis {i}: {op} >= {s})",
                    kind="argument",
                )

    def output_shape(self, a: Args, x: Shape) -> Shape:
        spatial, _ = self._check_input(a, x)
        kernel = a.ints("kernel_size", self.rank)
        strides = a.ints("strides", self.rank)
        dilation = a.ints("dilation_rate", self.rank)
        raw_padding = a.known("output_padding")
        output_padding = None if raw_padding is None else a.ints("output_padding", self.rank)
        padding = a.padding()
        out = tuple(
            conv_transpose_output_length(
                length, k, s, padding, None if output_padding is None else output_padding[i], d
            )
            for i, (length, k, s, d) in enumerate(zip(spatial, kernel, strides, dilation, strict=True))
        )
        return _assemble(a, x[0], out, a.int("filters"))

    def params(self, a: Args, x: Shape) -> int:
        _, channels = _spatial(a, x)
        filters = a.int("filters")
        kernel = 1
        for k in a.ints("kernel_size", self.rank):
            kernel *= k
        return kernel * known_dim(channels) * filters + (filters if a.bool("use_bias") else 0)


def _transpose_signature(strides: str, dilation: str, data_format_first: bool = False) -> str:
    middle = (
        "data_format=None, output_padding=None"
        if data_format_first
        else "output_padding=None, data_format=None"
    )
    return (
        f"filters, kernel_size, strides={strides}, padding='valid', {middle}, "
        f"dilation_rate={dilation}, activation=None, use_bias=True, " + _INIT_REG
    )


@register
class Conv1DTranspose(_ConvTranspose):
    name = "Conv1DTranspose"
    aliases = ("Convolution1DTranspose",)
    rank = 1
    signature_text = _transpose_signature("1", "1")


@register
class Conv2DTranspose(_ConvTranspose):
    name = "Conv2DTranspose"
    aliases = ("Convolution2DTranspose",)
    rank = 2
    signature_text = _transpose_signature("(1, 1)", "(1, 1)")


@register
class Conv3DTranspose(_ConvTranspose):
    name = "Conv3DTranspose"
    aliases = ("Convolution3DTranspose",)
    rank = 3
    signature_text = _transpose_signature("(1, 1, 1)", "(1, 1, 1)", data_format_first=True)


class _SeparableConv(_ConvBase):
    def output_shape(self, a: Args, x: Shape) -> Shape:
        spatial, _ = self._check_input(a, x)
        return _assemble(a, x[0], self._conv_spatial(a, x, spatial), a.int("filters"))

    def params(self, a: Args, x: Shape) -> int:
        _, channels = _spatial(a, x)
        c = known_dim(channels)
        filters = a.int("filters")
        multiplier = a.int("depth_multiplier")
        kernel = 1
        for k in a.ints("kernel_size", self.rank):
            kernel *= k
        depthwise = kernel * c * multiplier
        pointwise = c * multiplier * filters
        return depthwise + pointwise + (filters if a.bool("use_bias") else 0)


def _separable_signature(strides: str, dilation: str) -> str:
    return (
        f"filters, kernel_size, strides={strides}, padding='valid', data_format=None, "
        f"dilation_rate={dilation}, depth_multiplier=1, activation=None, use_bias=True, "
        "depthwise_initializer='glorot_uniform', pointwise_initializer='glorot_uniform', "
        "bias_initializer='zeros', depthwise_regularizer=None, pointwise_regularizer=None, "
        "bias_regularizer=None, activity_regularizer=None, depthwise_constraint=None, "
        "pointwise_constraint=None, bias_constraint=None, **kwargs"
    )


@register
class SeparableConv1D(_SeparableConv):
    name = "SeparableConv1D"
    aliases = ("SeparableConvolution1D",)
    rank = 1
    signature_text = _separable_signature("1", "1")


@register
class SeparableConv2D(_SeparableConv):
    name = "SeparableConv2D"
    aliases = ("SeparableConvolution2D",)
    rank = 2
    signature_text = _separable_signature("(1, 1)", "(1, 1)")


class _DepthwiseConv(_ConvBase):
    counts = ("kernel_size",)

    def output_shape(self, a: Args, x: Shape) -> Shape:
        spatial, channels = self._check_input(a, x)
        return _assemble(
            a, x[0], self._conv_spatial(a, x, spatial), mul(channels, a.int("depth_multiplier"))
        )

    def params(self, a: Args, x: Shape) -> int:
        _, channels = _spatial(a, x)
        out = known_dim(channels) * a.int("depth_multiplier")
        kernel = 1
        for k in a.ints("kernel_size", self.rank):
            kernel *= k
        return kernel * out + (out if a.bool("use_bias") else 0)


def _depthwise_signature(strides: str, dilation: str) -> str:
    return (
        f"kernel_size, strides={strides}, padding='valid', depth_multiplier=1, data_format=None, "
        f"dilation_rate={dilation}, activation=None, use_bias=True, depthwise_initializer='glorot_uniform', "
        "bias_initializer='zeros', depthwise_regularizer=None, bias_regularizer=None, "
        "activity_regularizer=None, depthwise_constraint=None, bias_constraint=None, **kwargs"
    )


@register
class DepthwiseConv1D(_DepthwiseConv):
    name = "DepthwiseConv1D"
    rank = 1
    signature_text = _depthwise_signature("1", "1")


@register
class DepthwiseConv2D(_DepthwiseConv):
    name = "DepthwiseConv2D"
    rank = 2
    signature_text = _depthwise_signature("(1, 1)", "(1, 1)")
