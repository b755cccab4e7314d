"""`keras.ops.arange` and TensorFlow's `tf.range` spelled every way give a custom layer the same shapes.

The keras.ops spelling is checked against real Keras in fixtures/realworld/text_transformer_keras_io.py;
TensorFlow is not installed here, so `tf.range` (its keras.io spelling) is held to that.
"""

from __future__ import annotations

import pytest

from kerascheck.engine import check_text

MODEL = """\
import keras
import tensorflow as tf
from keras import layers, ops


class TokenAndPositionEmbedding(layers.Layer):
    def __init__(self, maxlen, vocab_size, embed_dim):
        super().__init__()
        self.token_emb = layers.Embedding(input_dim=vocab_size, output_dim=embed_dim)
        self.pos_emb = layers.Embedding(input_dim=maxlen, output_dim=embed_dim)

    def call(self, x):
        maxlen = {length}
        positions = {positions}
        return self.token_emb(x) + self.pos_emb(positions)


inputs = keras.Input(shape=(200,))
outputs = TokenAndPositionEmbedding(200, 20000, 32)(inputs)
model = keras.Model(inputs, outputs)
"""


@pytest.mark.parametrize(
    ("length", "positions"),
    [
        ("ops.shape(x)[-1]", "ops.arange(start=0, stop=maxlen, step=1)"),
        ("ops.shape(x)[-1]", "ops.arange(maxlen)"),
        ("ops.shape(x)[-1]", "ops.arange(0, maxlen)"),
        ("tf.shape(x)[-1]", "tf.range(start=0, limit=maxlen, delta=1)"),
        ("tf.shape(x)[-1]", "tf.range(maxlen)"),
        ("tf.shape(x)[-1]", "tf.range(0, maxlen, 1)"),
    ],
    ids=["arange-keywords", "arange-stop", "arange-start-stop", "tf-range-keywords", "tf-range-limit",
         "tf-range-positional"],
)
def test_position_vector_reaches_the_embedding(length: str, positions: str) -> None:
    result = check_text("example.py", MODEL.format(length=length, positions=positions))
    (model,) = result.models
    layer = model.layers[-1]
    assert (layer.output_shape, layer.params) == ((None, 200, 32), 20000 * 32 + 200 * 32)


@pytest.mark.parametrize(
    ("positions", "count"),
    [("ops.arange(0, maxlen, 3)", 67), ("tf.range(10, maxlen, 2)", 95), ("ops.arange(maxlen, 0, -1)", 200),
     ("ops.arange(maxlen, 0)", 0)],
)
def test_range_length_follows_start_stop_and_step(positions: str, count: int) -> None:
    code = MODEL.format(length="ops.shape(x)[-1]", positions=positions).replace(
        "return self.token_emb(x) + self.pos_emb(positions)", "return self.pos_emb(positions)")
    (model,) = check_text("example.py", code).models
    assert model.layers[-1].output_shape == (count, 32)
