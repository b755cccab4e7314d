"""Normalization layers: Batch, Layer, Group and Unit normalization."""

from __future__ import annotations

from typing import Any

from kerascheck.layers.core import _SameShape
from kerascheck.layers.spec import Args, is_plain, known_dim, normalize_axis, register
from kerascheck.shapes import Shape, ShapeError, Unknowable, format_shape

_GAMMA_BETA = (
    "beta_initializer='zeros', gamma_initializer='ones', beta_regularizer=None, gamma_regularizer=None, "
    "beta_constraint=None, gamma_constraint=None"
)


def _axes(a: Args, x: Shape, name: str) -> list[int]:
    axis = a.known("axis")
    raw = list(axis) if isinstance(axis, (tuple, list)) else [axis]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in raw):
        raise Unknowable("axis")
    axes = [normalize_axis(v, len(x)) for v in raw]
    for v, norm in zip(raw, axes, strict=True):
        if not 0 <= norm < len(x):
            raise ShapeError(
                f"`{name}` axis={v} is out of range for a {len(x)}-D input {format_shape(x)}", kind="rank"
            )
    return axes


def weight_sizes(name: str, x: Shape, axes: list[int]) -> None:
    """Keras sizes weights by these axes, so it raises on an undefined batch axis.

    A `None` on another axis may be a size kerascheck does not know (rather than Keras's
    `None`): the parameter count is then unknown, not an error.
    """
    if 0 in axes and x[0] is None:
        raise ShapeError(
            f"`{name}` normalizes over axis 0, the batch axis, whose size is not defined in {format_shape(x)}",
            kind="incompatible",
        )


class _Normalization(_SameShape):
    group = "normalization"
    supports_masking = True


@register
class BatchNormalization(_Normalization):
    name = "BatchNormalization"
    per_position = True
    signature_text = (
        "axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True, " + _GAMMA_BETA.replace(
            "gamma_initializer='ones'", "gamma_initializer='ones', moving_mean_initializer='zeros', "
            "moving_variance_initializer='ones'"
        ) + ", renorm=False, renorm_clipping=None, renorm_momentum=0.99, synchronized=False, **kwargs"
    )
    call_parameters = ("inputs", "training", "mask")

    def output_shape(self, a: Args, x: Shape) -> Shape:
        weight_sizes(self.name, x, _axes(a, x, self.name))
        return x

    def non_trainable(self, a: Args, x: Any, params: int) -> int:
        if a.extra.get("trainable") is False:
            return params
        (axis,) = _axes(a, x, self.name)
        return 2 * known_dim(x[axis])  # moving_mean and moving_variance

    def params(self, a: Args, x: Shape) -> int:
        (axis,) = _axes(a, x, self.name)
        c = known_dim(x[axis])
        # gamma, beta, moving mean and variance; renorm adds moving stddev, renorm mean and stddev.
        per_channel = 2 + int(a.bool("center")) + int(a.bool("scale")) + (3 if a.bool("renorm") else 0)
        return c * per_channel


@register
class LayerNormalization(_Normalization):
    name = "LayerNormalization"
    per_position = True
    tolerated = ("rms_scaling",)  # Keras 3 still takes it from **kwargs, with a deprecation warning
    signature_text = "axis=-1, epsilon=0.001, center=True, scale=True, " + _GAMMA_BETA + ", **kwargs"

    def output_shape(self, a: Args, x: Shape) -> Shape:
        axes = _axes(a, x, self.name)
        if a.bool("center") or a.bool("scale"):  # without them there are no weights to size
            weight_sizes(self.name, x, axes)
        return x

    def params(self, a: Args, x: Shape) -> int:
        per_element = int(a.bool("center")) + int(a.bool("scale"))
        axes = _axes(a, x, self.name)
        if not per_element:
            return 0  # no weights, so no size is needed (Keras builds even on a None axis)
        size = 1
        for axis in axes:
            size *= known_dim(x[axis])
        return size * per_element


@register
class GroupNormalization(_Normalization):
    name = "GroupNormalization"
    signature_text = "groups=32, axis=-1, epsilon=0.001, center=True, scale=True, " + _GAMMA_BETA + ", **kwargs"

    def validate(self, a: Args) -> None:
        groups = a.known("groups")
        if not is_plain(groups):
            raise Unknowable("groups")
        if not isinstance(groups, int) or isinstance(groups, bool) or (groups <= 0 and groups != -1):
            raise ShapeError(f"`GroupNormalization` groups={groups!r} must be a positive integer or -1",
                             kind="argument")

    def output_shape(self, a: Args, x: Shape) -> Shape:
        (axis,) = _axes(a, x, self.name)
        weight_sizes(self.name, x, [axis])
        c = x[axis]
        groups = a.int("groups")
        if groups == -1:  # one group per channel
            groups = c if isinstance(c, int) else 1
        if isinstance(c, int):
            if c < groups:
                raise ShapeError(
                    f"`GroupNormalization` groups={groups} is more than the {c} channels of {format_shape(x)}",
                    kind="incompatible",
                )
            if c % groups:
                raise ShapeError(
                    f"`GroupNormalization` groups={groups} does not divide the {c} channels of {format_shape(x)}",
                    kind="incompatible",
                )
        return x

    def params(self, a: Args, x: Shape) -> int:
        (axis,) = _axes(a, x, self.name)
        return known_dim(x[axis]) * (int(a.bool("center")) + int(a.bool("scale")))


@register
class UnitNormalization(_Normalization):
    name = "UnitNormalization"
    signature_text = "axis=-1, **kwargs"

    def output_shape(self, a: Args, x: Shape) -> Shape:
        _axes(a, x, self.name)
        return x
