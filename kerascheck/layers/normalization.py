"""Normalization layers: Batch, Layer, Group and Unit normalization."""

from __future__ import annotations

from kerascheck.layers.core import _SameShape
from kerascheck.layers.spec import Args, known_dim, normalize_axis, register
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
    for v, norm in zip(raw, axes):
        if not 0 <= norm < len(x):
            raise ShapeError(
                f"`{name}` axis={v} is out of range for a {len(x)}-D input {format_shape(x)}", kind="rank"
            )
    return axes


class _Normalization(_SameShape):
    group = "normalization"


@register
class BatchNormalization(_Normalization):
    name = "BatchNormalization"
    signature_text = (
        "axis=-1, momentum=0.99, epsilon=0.001, center=True, scale=True, " + _GAMMA_BETA.replace(
            "gamma_initializer='ones'", "gamma_initializer='ones', moving_mean_initializer='zeros', "
            "moving_variance_initializer='ones'"
        ) + ", renorm=False, renorm_clipping=None, renorm_momentum=0.99, synchronized=False, **kwargs"
    )

    def output_shape(self, a: Args, x: Shape) -> Shape:
        _axes(a, x, self.name)
        return x

    def params(self, a: Args, x: Shape) -> int:
        (axis,) = _axes(a, x, self.name)
        c = known_dim(x[axis])
        per_channel = 2 + int(a.bool("center")) + int(a.bool("scale"))
        if a.bool("renorm"):
            raise Unknowable("renorm")  # extra tracking weights; not catalogued yet
        return c * per_channel


@register
class LayerNormalization(_Normalization):
    name = "LayerNormalization"
    signature_text = "axis=-1, epsilon=0.001, center=True, scale=True, " + _GAMMA_BETA + ", **kwargs"

    def output_shape(self, a: Args, x: Shape) -> Shape:
        _axes(a, x, self.name)
        return x

    def params(self, a: Args, x: Shape) -> int:
        size = 1
        for axis in _axes(a, x, self.name):
            size *= known_dim(x[axis])
        return size * (int(a.bool("center")) + int(a.bool("scale")))


@register
class GroupNormalization(_Normalization):
    name = "GroupNormalization"
    signature_text = "groups=32, axis=-1, epsilon=0.001, center=True, scale=True, " + _GAMMA_BETA + ", **kwargs"

    def output_shape(self, a: Args, x: Shape) -> Shape:
        (axis,) = _axes(a, x, self.name)
        c = x[axis]
        groups = a.int("groups")
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
