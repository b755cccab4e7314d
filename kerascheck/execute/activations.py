"""Activation functions by Keras name, and the activation layers (Activation, ReLU, LeakyReLU,
PReLU, ELU, Softmax), as `keras/src/backend/numpy/nn.py` computes them in float32."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from kerascheck.execute.registry import Unsupported, WeightSpec, number, opt_number, register
from kerascheck.layers import activations as activations_layers
from kerascheck.layers import core as core_layers
from kerascheck.layers.spec import Args
from kerascheck.shapes import Unknowable

Array = Any


def _f(value: float, x: Array) -> Array:
    return np.array(value, dtype=x.dtype)


def sigmoid(x: Array) -> Array:
    return _f(1.0, x) / (_f(1.0, x) + np.exp(-x))


def relu(x: Array) -> Array:
    return np.maximum(x, _f(0.0, x))


def relu6(x: Array) -> Array:
    return np.minimum(np.maximum(x, _f(0.0, x)), _f(6.0, x))


def leaky_relu(x: Array, negative_slope: float = 0.2) -> Array:
    return np.maximum(x, _f(negative_slope, x) * x)


def elu(x: Array, alpha: float = 1.0) -> Array:
    return np.where(x >= _f(0.0, x), x, _f(alpha, x) * np.expm1(x))


def selu(x: Array) -> Array:
    alpha = 1.6732632423543772848170429916717
    scale = 1.0507009873554804934193349852946
    return _f(scale, x) * elu(x, alpha)


def softplus(x: Array) -> Array:
    return np.logaddexp(x, _f(0.0, x))


def softsign(x: Array) -> Array:
    return x / (_f(1.0, x) + np.abs(x))


def silu(x: Array) -> Array:
    return x * sigmoid(x)


def gelu(x: Array, approximate: bool = False) -> Array:
    if approximate:
        c = np.sqrt(2 / np.pi).astype(x.dtype)
        return x * (_f(0.5, x) * (_f(1.0, x) + np.tanh(c * (x + _f(0.044715, x) * (x**3)))))
    s2 = np.array(np.sqrt(2), x.dtype)
    return x * (erf(x / s2) + 1).astype(x.dtype) / _f(2.0, x)


def erf(x: Array) -> Array:
    """Abramowitz and Stegun 7.1.26 in float64 (absolute error below 1.5e-7), with no SciPy."""
    z = np.asarray(x, dtype=np.float64)
    t = 1.0 / (1.0 + 0.3275911 * np.abs(z))
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.sign(z) * (1.0 - poly * np.exp(-z * z))


def hard_sigmoid(x: Array) -> Array:
    y = x / _f(6.0, x) + _f(0.5, x)
    return np.where(y <= 0.0, _f(0.0, x), np.where(y >= 1.0, _f(1.0, x), y))


def hard_silu(x: Array) -> Array:
    return x * hard_sigmoid(x)


def softmax(x: Array, axis: int = -1) -> Array:
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x: Array, axis: int = -1) -> Array:
    m = np.max(x, axis=axis, keepdims=True)
    return x - m - np.log(np.exp(x - m).sum(axis=axis, keepdims=True))


def mish(x: Array) -> Array:
    return x * np.tanh(softplus(x))


def celu(x: Array, alpha: float = 1.0) -> Array:
    a = _f(alpha, x)
    return np.maximum(x, _f(0.0, x)) + a * np.expm1(np.minimum(x, _f(0.0, x)) / a)


def log_sigmoid(x: Array) -> Array:
    return -softplus(-x)


def hard_tanh(x: Array) -> Array:
    return np.clip(x, _f(-1.0, x), _f(1.0, x)).astype(x.dtype)


def tanh_shrink(x: Array) -> Array:
    return x - np.tanh(x)


def squareplus(x: Array, b: float = 4) -> Array:
    return (x + np.sqrt(x**2 + _f(b, x))) / _f(2.0, x)


ACTIVATIONS: dict[str, Callable[[Array], Array]] = {
    "linear": lambda x: x,
    "relu": relu,
    "relu6": relu6,
    "leaky_relu": leaky_relu,
    "sigmoid": sigmoid,
    "tanh": np.tanh,
    "softmax": softmax,
    "log_softmax": log_softmax,
    "elu": elu,
    "selu": selu,
    "celu": celu,
    "softplus": softplus,
    "softsign": softsign,
    "swish": silu,
    "silu": silu,
    "gelu": gelu,  # keras.activations.gelu defaults to approximate=False
    "exponential": np.exp,
    "hard_sigmoid": hard_sigmoid,
    "hard_silu": hard_silu,
    "hard_swish": hard_silu,
    "hard_tanh": hard_tanh,
    "mish": mish,
    "log_sigmoid": log_sigmoid,
    "tanh_shrink": tanh_shrink,
    "squareplus": squareplus,
}


def activation_fn(value: Any, name: str = "activation") -> Callable[[Array], Array]:
    """`keras.activations.get(value)` for the names Keras knows; other values are unknown."""
    if value is None:
        return ACTIVATIONS["linear"]
    if not isinstance(value, str):
        raise Unknowable(name)
    fn = ACTIVATIONS.get(value)
    if fn is None:
        raise Unsupported(f"activation {value!r} has no NumPy forward pass")
    return fn


def activation_of(args: Args, name: str = "activation") -> Callable[[Array], Array]:
    return activation_fn(args.known(name), name)


@register(core_layers.Activation)
def _activation(args: Args, weights: list[Array], x: Array) -> Array:
    return activation_of(args)(x)


def relu_layer(x: Array, negative_slope: float, max_value: float | None, threshold: float) -> Array:
    """`keras.activations.relu`'s `static_call`, step for step."""
    if negative_slope != 0.0:
        if max_value is None and threshold == 0:
            return leaky_relu(x, negative_slope)
        negative_part = relu(-x + _f(threshold, x)) if threshold != 0 else relu(-x)
    else:
        negative_part = None
    clip_max = max_value is not None
    if threshold != 0:
        x = np.where(x > _f(threshold, x), x, _f(0.0, x))
    elif max_value == 6:
        x = relu6(x)
        clip_max = False
    else:
        x = relu(x)
    if clip_max:
        x = np.clip(x, _f(0.0, x), _f(max_value, x))  # type: ignore[arg-type]
    if negative_part is not None:
        x = x - _f(negative_slope, x) * negative_part
    return x


@register(activations_layers.ReLU)
def _relu(args: Args, weights: list[Array], x: Array) -> Array:
    return relu_layer(x, number(args, "negative_slope"), opt_number(args, "max_value"), number(args, "threshold"))


@register(activations_layers.LeakyReLU)
def _leaky_relu(args: Args, weights: list[Array], x: Array) -> Array:
    return leaky_relu(x, number(args, "negative_slope"))


@register(activations_layers.ELU)
def _elu(args: Args, weights: list[Array], x: Array) -> Array:
    return elu(x, number(args, "alpha"))


@register(activations_layers.Softmax)
def _softmax(args: Args, weights: list[Array], x: Array) -> Array:
    axis = args.known("axis")
    if isinstance(axis, (tuple, list)):
        if not all(isinstance(a, int) and not isinstance(a, bool) for a in axis):
            raise Unknowable("axis")
        if len(axis) == 1:
            return softmax(x, axis=axis[0])
        # exp(x - logsumexp(x)) over several axes
        axes = tuple(axis)
        m = np.max(x, axis=axes, keepdims=True)
        lse = m + np.log(np.sum(np.exp(x - m), axis=axes, keepdims=True))
        return np.exp(x - lse)
    if isinstance(axis, bool) or not isinstance(axis, int):
        raise Unknowable("axis")
    return softmax(x, axis=axis)


def _prelu_weights(args: Args, x: tuple[int, ...]) -> list[WeightSpec]:
    shared = args.known("shared_axes")
    if shared is None:
        shared = []
    elif not isinstance(shared, (tuple, list)):
        shared = [shared]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in shared):
        raise Unknowable("shared_axes")
    shape = list(x[1:])
    for i in shared:
        shape[i - 1] = 1
    return [WeightSpec("alpha", tuple(shape), "alpha")]


@register(activations_layers.PReLU, weights=_prelu_weights)
def _prelu(args: Args, weights: list[Array], x: Array) -> Array:
    (alpha,) = weights
    return relu(x) + (-alpha * relu(-x))
