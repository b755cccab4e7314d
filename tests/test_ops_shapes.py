"""`keras.ops` shapes extraction computes for tensors, held to real Keras's symbolic shapes.

Each snippet builds `y` from the functional input `x` with `keras.ops` (as custom layers and
Lambda functions do) and binds `model = keras.Model(x, y)`. kerascheck's shape for `y` must be
exactly the shape Keras gives the model's output, or unknown (None) where the snippet says so.
"""

from __future__ import annotations

import numpy as np
import pytest

from kerascheck.engine import check_text

PRELUDE = "import keras\nimport numpy as np\nfrom keras import ops\nx = keras.Input(shape={shape})\n"
SUFFIX = "\nmodel = keras.Model(x, y)\n"

FOLLOWED = [
    ("(3, 3)", "y = ops.matmul(x, ops.eye(3, 2))"),
    ("(4, 5)", "y = x @ ops.ones((5, 2))"),
    ("(4, 5)", "y = ops.matmul(x, ops.transpose(x, (0, 2, 1)))"),
    ("(6, 6, 3)", "y = ops.matmul(x, ops.tile(ops.expand_dims(ops.eye(3), axis=0), (2, 1, 1, 1))[:1])"),
    ("(6,)", "y = ops.tile(x, (1, 3))"),
    ("(5, 8)", "y = ops.einsum('be,bce->bc', x[:, 0, :], x)"),
    ("(5,)", "y = ops.einsum('ij->j', x)"),
    ("(None, None, 18)", "y = ops.depth_to_space(x, 3)"),
    ("(8, 8, 12)", "y = ops.depth_to_space(x, 2)"),
    ("(32, 32, 3)", "y = ops.image.extract_patches(x, 8)"),
    ("(30, 30, 3)", "y = ops.image.extract_patches(x, (3, 3), strides=2, padding='same')"),
    ("(10, 16)", "y = x + ops.broadcast_to(ops.ones((1, 16)), (4, 10, 16))[:1]"),
    ("(10, 16)", "real, imag = ops.fft2((x, ops.zeros_like(x)))\ny = real + imag"),
    ("(4, 6, 9)", "y = ops.reshape(x, (-1, 4, 6, 3, 3, 1))"),
    ("(2, 3, 5)", "y = ops.transpose(x)"),
    ("(4,)", "y = ops.take(ops.convert_to_tensor(np.zeros((10, 3))), ops.cast(x, 'int32'), axis=0)"),
    ("(3,)", "y = x * ops.sum(ops.square(x), -1, keepdims=True) / (1 + keras.backend.epsilon())"),
    ("(32, 32, 3)", "y = ops.image.resize(x, (16, 8))"),
    ("(None, None, 3)", "y = ops.image.resize(x, size=(64, 64), interpolation='nearest')"),
    ("(4, 5)", "y = ops.tensordot(x, ops.ones((5, 3)), 1)"),  # a mel matrix on a spectrogram's last axis
    ("(4, 5)", "y = ops.tensordot(x, ops.ones((4, 5, 2)), 2)"),
    ("(4, 5)", "y = ops.tensordot(x, ops.ones((3, 5)), axes=([2], [1]))"),
    ("(4, 5)", "y = ops.tensordot(x, ops.ones((5, 2, 4)), axes=[[1, 2], [2, 0]])"),
    ("(None, 8)", "y = x * ops.sqrt(ops.cast(8, 'float32'))"),  # an op on a Python number: a scalar tensor
    # padding masks: comparisons and logical operators broadcast as arithmetic does
    ("(4, 5)", "y = ops.cast(ops.logical_and(ops.not_equal(x, 0), ops.less_equal(x, ops.ones((5,)))), 'float32')"),
    ("(6,)", "y = ops.cast(ops.equal(x[:, :, None], x[:, None, :]), 'float32')"),
    # a masked autoencoder's random patch selection: a shuffle by argsort, the kept tokens gathered along an axis
    ("(64, 96)", "order = ops.argsort(x[:, :, 0], axis=-1)\n"
                 "y = ops.take_along_axis(x, ops.expand_dims(order[:, :16], -1), axis=1)"),
    ("(64, 96)", "y = ops.sort(x, axis=1) * ops.cast(ops.argsort(x) >= 32, 'float32')"),
    ("(8, 3)", "y = ops.take_along_axis(x, ops.zeros((1, 5, 3), dtype='int32'), axis=1)"),
    ("(5, 4)", "y = ops.roll(x, 1) + ops.mean(x) + ops.max(x, keepdims=True)"),  # every axis: a scalar, or 1s
    # a diffusion model's sinusoidal embedding: frequencies spaced between two logarithms
    ("(4, 1)", "y = ops.sin(x * ops.exp(ops.linspace(ops.log(1.0), ops.log(1000.0), 16)))"),
    ("(3, 1)", "y = x * ops.linspace(0.0, 1.0, num=8, endpoint=False)"),
    # `ops.arange(..., dtype=...)` as long as an axis the input does not fix, as a custom layer's call does
    ("(None, 8)", "class P(keras.layers.Layer):\n    def call(self, t):\n"
                  "        return t + ops.expand_dims(ops.arange(0, ops.shape(t)[1], dtype='float32'), -1)\n"
                  "y = P()(x)"),
]
NOT_FOLLOWED = [
    ("(4, 3)", "y = ops.argsort(x, axis=None)"),  # the flattened values
    ("(8, 1)", "y = x * ops.linspace(ops.zeros((1,)), 1.0, 8)"),  # an end that is an array adds its axis
    ("(4,)", "y = ops.einsum('ij,jk', x, ops.ones((4, 2)))"),  # an implicit output
    ("(3, 4)", "y = ops.einsum('...j,jk->...k', x, ops.ones((4, 2)))"),  # ellipsis
]


def kerascheck_shape(shape: str, code: str) -> object:
    result = check_text("ops.py", PRELUDE.format(shape=shape) + code + SUFFIX)
    (model,) = [m for m in result.models if m.name == "model"]
    (output,) = model.outputs
    return output.shape


def keras_shape(shape: str, code: str) -> tuple:
    namespace: dict[str, object] = {}
    # Keras's numpy backend traces a custom layer's call on np.empty arrays, whose leftover bytes can
    # overflow or make NaN: NumPy's warning about that garbage is not the snippet's fault.
    with np.errstate(all="ignore"):
        exec(PRELUDE.format(shape=shape) + code + SUFFIX, namespace)  # the test's own snippets, with real Keras
    return tuple(namespace["model"].output.shape)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("shape", "code"), FOLLOWED)
def test_op_shape_is_keras(shape: str, code: str) -> None:
    got = kerascheck_shape(shape, code)
    assert got is not None, code
    assert tuple(got) == keras_shape(shape, code)


@pytest.mark.parametrize(("shape", "code"), NOT_FOLLOWED)
def test_op_shape_not_followed_is_unknown(shape: str, code: str) -> None:
    keras_shape(shape, code)  # Keras builds it
    assert kerascheck_shape(shape, code) is None
