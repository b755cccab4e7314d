"""Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax."""

from __future__ import annotations

from kerascheck.layers.core import _SameShape
from kerascheck.layers.spec import Args, known_dim, register
from kerascheck.shapes import Dim, Shape, ShapeError, Unknowable, format_shape


def _not_negative(a: Args, layer: str, *names: str) -> None:
    """Keras's activation layers reject negative (or None) slopes, thresholds and maxima."""
    for name in names:
        value = a.get(name)
        if name == "max_value" and value is None:
            continue
        if value is None or isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
            raise ShapeError(f"`{layer}` {name}={value!r} must be a number of at least 0", kind="argument")


@register
class ReLU(_SameShape):
    name = "ReLU"
    activation_name = "relu"
    per_position = True
    supports_masking = True
    group = "activations"
    signature_text = "max_value=None, negative_slope=0.0, threshold=0.0, **kwargs"

    def validate(self, a: Args) -> None:
        _not_negative(a, self.name, "max_value", "negative_slope", "threshold")


@register
class LeakyReLU(_SameShape):
    name = "LeakyReLU"
    activation_name = "leaky_relu"
    per_position = True
    supports_masking = True
    group = "activations"
    signature_text = "negative_slope=0.3, **kwargs"
    tolerated = ("alpha",)  # Keras 2's name for negative_slope, which Keras 3 still takes (with a warning)

    def validate(self, a: Args) -> None:
        _not_negative(a, self.name, "negative_slope")


@register
class ELU(_SameShape):
    name = "ELU"
    activation_name = "elu"
    per_position = True
    supports_masking = True
    group = "activations"
    signature_text = "alpha=1.0, **kwargs"


@register
class Softmax(_SameShape):
    name = "Softmax"
    activation_name = "softmax"
    per_position = True
    supports_masking = True
    group = "activations"
    signature_text = "axis=-1, **kwargs"
    call_parameters = ("inputs", "mask")


@register
class PReLU(_SameShape):
    name = "PReLU"
    activation_name = "prelu"
    per_position = True
    supports_masking = True
    group = "activations"
    signature_text = "alpha_initializer='Zeros', alpha_regularizer=None, alpha_constraint=None, shared_axes=None, **kwargs"

    def _alpha_shape(self, a: Args, x: Shape) -> list[Dim]:
        """Keras's `param_shape`: the input shape without the batch axis, 1 on each shared axis.

        Keras writes `param_shape[i - 1] = 1` for each shared axis `i`, so a negative (or zero)
        axis indexes the weight's shape from its end, not the input's.
        """
        shared = a.known("shared_axes")
        if shared is None:
            shared = []
        elif not isinstance(shared, (tuple, list)):
            shared = [shared]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in shared):
            raise Unknowable("shared_axes")
        alpha: list[Dim] = list(x[1:])
        for i in shared:
            if not -len(alpha) <= i - 1 < len(alpha):
                raise ShapeError(
                    f"`PReLU` shared_axes={a.known('shared_axes')!r} is out of range for input {format_shape(x)}",
                    kind="rank",
                )
            alpha[i - 1] = 1
        return alpha

    def output_shape(self, a: Args, x: Shape) -> Shape:
        self._alpha_shape(a, x)
        return x

    def params(self, a: Args, x: Shape) -> int:
        total = 1
        for d in self._alpha_shape(a, x):
            total *= known_dim(d)
        return total
