"""A subclass of a Keras layer that has weights (keras-io's PixelCNN `MaskedConv2D(layers.Conv2D)`).

Its weights come from the base class's `build`, which kerascheck does not run: it must not claim a
count (before, it said 0 where Keras has the convolution's kernel and bias). Held to real Keras.
"""

from __future__ import annotations

from pathlib import Path

from test_oracle import keras_result, kerascheck_result

PROGRAM = """\
import numpy as np
import keras
from keras import layers, ops


class MaskedConv2D(layers.Conv2D):
    def __init__(self, mask_type, filters, kernel_size, **kwargs):
        super().__init__(filters, kernel_size, padding="same", **kwargs)
        self.mask_type = mask_type

    def build(self, input_shape):
        super().build(input_shape)
        kh, kw = self.kernel_size
        mask = np.ones((kh, kw, 1, 1), dtype="float32")
        mask[kh // 2, kw // 2 + (self.mask_type == "B"):, ...] = 0.0
        mask[kh // 2 + 1:, ...] = 0.0
        self.kernel_mask = ops.convert_to_tensor(mask)

    def call(self, inputs):
        return self.convolution_op(inputs, self.kernel * self.kernel_mask) + self.bias


inputs = keras.Input(shape=(8, 8, 1))
x = MaskedConv2D("A", 16, 5)(inputs)
model = keras.Model(inputs, layers.Conv2D(4, 1)(x))
"""


def test_a_subclass_of_a_weighted_layer_claims_no_wrong_count(tmp_path: Path) -> None:
    path = tmp_path / "masked.py"
    path.write_text(PROGRAM, encoding="utf-8")
    theirs = keras_result(str(path)).models["model"].layers
    (mine,) = [m for m in kerascheck_result(str(path))["models"] if m["name"] == "model"]
    assert [layer.type for layer in theirs] == [layer["type"] for layer in mine["layers"]]
    masked = mine["layers"][1]
    assert theirs[1].params == 5 * 5 * 16 + 16
    assert masked["params"] in (None, theirs[1].params)
    assert mine["total_params"] in (None, sum(layer.params or 0 for layer in theirs))


def test_a_subclass_of_a_weightless_layer_has_none(tmp_path: Path) -> None:
    """Hands-On ML's `MCDropout(layers.Dropout)`: no weights in Keras, none in kerascheck."""
    path = tmp_path / "mc.py"
    path.write_text(
        "import keras\nfrom keras import layers\n\n\nclass MCDropout(layers.Dropout):\n"
        "    def call(self, inputs, training=None):\n        return super().call(inputs, training=True)\n\n\n"
        "inputs = keras.Input(shape=(8,))\nmodel = keras.Model(inputs, layers.Dense(2)(MCDropout(0.2)(inputs)))\n",
        encoding="utf-8",
    )
    theirs = keras_result(str(path)).models["model"].layers
    (mine,) = [m for m in kerascheck_result(str(path))["models"] if m["name"] == "model"]
    assert theirs[1].params == 0 and mine["layers"][1]["params"] == 0
