"""Library helpers that return plain values, not tensors, checked against real Keras.

`keras.backend.int_shape(x)` and `imagenet_utils.correct_pad(x, k)` take a tensor but give a tuple:
kerascheck must follow the tuple (a padding, a target shape), not take it for a tensor.
"""

from __future__ import annotations

import contextlib
import sys
import types
from collections.abc import Iterator

import pytest

from kerascheck.engine import check_text


@contextlib.contextmanager
def tf_keras_compat() -> Iterator[None]:
    """`tensorflow.keras` as TensorFlow 2.16+ gives it with Keras 3: Keras's `_tf_keras` namespace."""
    import keras

    tf_keras = keras._tf_keras.keras
    fake = types.ModuleType("tensorflow")
    fake.keras = tf_keras  # type: ignore[attr-defined]
    modules = {"tensorflow": fake, "tensorflow.keras": tf_keras, "tensorflow.keras.backend": tf_keras.backend}
    saved = {name: sys.modules.get(name) for name in modules}
    sys.modules.update(modules)
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


PROGRAM = """\
import keras
from keras import layers
from keras.src.applications import imagenet_utils  # Keras 3 keeps correct_pad out of its public API
from tensorflow.keras import backend as K  # tf.keras (Keras 3's compatibility namespace) keeps int_shape
inputs = keras.Input(shape=({h}, {w}, 3))
x = layers.Conv2D(8, 3, padding="same")(inputs)
padded = layers.ZeroPadding2D(padding=imagenet_utils.correct_pad(x, {k}))(x)
shape = K.int_shape(padded)
flat = layers.Reshape((shape[1] * shape[2] * shape[3],))(padded) if shape[1] else padded
model = keras.Model(inputs, flat)
"""


@pytest.mark.parametrize(("h", "w", "k"), [(224, 224, 3), (225, 224, 3), (33, 17, 5), (8, 9, (3, 5))])
def test_correct_pad_and_int_shape_agree_with_keras(h: int, w: int, k: object) -> None:
    code = PROGRAM.format(h=h, w=w, k=k)
    namespace: dict[str, object] = {}
    with tf_keras_compat():
        exec(compile(code, "program.py", "exec"), namespace)  # the test's own program, with real Keras
    expected = [tuple(layer.output.shape) for layer in namespace["model"].layers]  # type: ignore[attr-defined]
    result = check_text("program.py", code)
    assert not [d for d in result.diagnostics if d.severity.value in ("error", "warning")]
    (model,) = result.models
    inputs = [layer for layer in model.layers if layer.type == "InputLayer"]
    got = [layer.output_shape for layer in model.layers]
    assert len(inputs) == 1 and got == expected, (got, expected)
