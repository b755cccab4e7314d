"""Activation layers: ReLU, LeakyReLU, PReLU, ELU, Softmax."""

from __future__ import annotations

from kerascheck.layers.core import _SameShape
from kerascheck.layers.spec import Args, known_dim, normalize_axis, register
from kerascheck.shapes import Shape, Unknowable


@register
class ReLU(_SameShape):
    name = "ReLU"
    group = "activations"
    signature_text = "max_value=None, negative_slope=0.0, threshold=0.0, **kwargs"


@register
class LeakyReLU(_SameShape):
    name = "LeakyReLU"
    group = "activations"
    signature_text = "negative_slope=0.3, **kwargs"


@register
class ELU(_SameShape):
    name = "ELU"
    group = "activations"
    signature_text = "alpha=1.0, **kwargs"


@register
class Softmax(_SameShape):
    name = "Softmax"
    group = "activations"
    signature_text = "axis=-1, **kwargs"


@register
class PReLU(_SameShape):
    name = "PReLU"
    group = "activations"
    signature_text = "alpha_initializer='Zeros', alpha_regularizer=None, alpha_constraint=None, shared_axes=None, **kwargs"

    def params(self, a: Args, x: Shape) -> int:
        shared = a.known("shared_axes")
        if shared is None:
            shared = ()
        elif isinstance(shared, int):
            shared = (shared,)
        elif not isinstance(shared, (tuple, list)):
            raise Unknowable("shared_axes")
        total = 1
        for i, d in enumerate(x[1:], start=1):
            if i in {normalize_axis(s, len(x)) for s in shared}:
                continue
            total *= known_dim(d)
        return total
