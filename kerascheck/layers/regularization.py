"""Regularization layers: Dropout and its relatives, noise, ActivityRegularization."""

from __future__ import annotations

from typing import ClassVar

from kerascheck.layers.core import _SameShape
from kerascheck.layers.spec import Args, register, require_rank
from kerascheck.shapes import Shape, ShapeError


class _Regularization(_SameShape):
    passes_values = True
    inference_identity = True
    per_position = True
    group = "regularization"
    # The argument Keras's constructor requires to lie in [0, 1] (a probability or a noise level).
    unit_interval: ClassVar[str | None] = "rate"
    call_parameters: ClassVar[tuple[str, ...] | None] = ("inputs", "training")
    supports_masking = True

    def validate(self, a: Args) -> None:
        name = self.unit_interval
        if name is None or name not in self.signature.names():
            return
        value = a.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not 0 <= value <= 1:
            hint = f" (for {value}%, write {value / 100:g})" if isinstance(value, int) and 1 < value <= 100 else ""
            raise ShapeError(
                f"`{self.name}` {name}={value!r} must be between 0 and 1{hint}", kind="argument"
            )


@register
class Dropout(_Regularization):
    name = "Dropout"
    signature_text = "rate, noise_shape=None, seed=None, **kwargs"


@register
class AlphaDropout(_Regularization):
    name = "AlphaDropout"
    signature_text = "rate, noise_shape=None, seed=None, **kwargs"


@register
class GaussianDropout(_Regularization):
    name = "GaussianDropout"
    signature_text = "rate, seed=None, **kwargs"


@register
class GaussianNoise(_Regularization):
    name = "GaussianNoise"
    unit_interval = "stddev"
    signature_text = "stddev, seed=None, **kwargs"


@register
class ActivityRegularization(_Regularization):
    name = "ActivityRegularization"
    unit_interval = None
    signature_text = "l1=0.0, l2=0.0, **kwargs"
    call_parameters = ("inputs",)


class _SpatialDropout(_Regularization):
    rank: ClassVar[int]

    def output_shape(self, a: Args, x: Shape) -> Shape:
        require_rank(self.name, x, exact=self.rank + 2)
        return x


@register
class SpatialDropout1D(_SpatialDropout):
    name = "SpatialDropout1D"
    rank = 1
    signature_text = "rate, seed=None, name=None, dtype=None"


@register
class SpatialDropout2D(_SpatialDropout):
    name = "SpatialDropout2D"
    rank = 2
    signature_text = "rate, data_format=None, seed=None, name=None, dtype=None"


@register
class SpatialDropout3D(_SpatialDropout):
    name = "SpatialDropout3D"
    rank = 3
    signature_text = "rate, data_format=None, seed=None, name=None, dtype=None"
