"""A loop over a NumPy array whose values kerascheck does not compute, held to real Keras.

keras-io's Compact Convolutional Transformer builds one block per stochastic-depth rate of
`np.linspace(0, rate, layers)`: the loop runs once per element, each a number (computed for
`np.linspace`, of unknown value for `np.ones(2) * 0.5`), so the blocks and everything after them keep
their shapes (before, the loop was skipped and the model lost its trunk).
"""

from __future__ import annotations

from pathlib import Path

from test_oracle import keras_result, layer_agreement

PROGRAM = """\
import numpy as np
import keras
from keras import layers

inputs = keras.Input(shape=(16, 8))
x = inputs
for i, rate in enumerate(np.linspace(0.0, 0.2, 3)):
    h = layers.Dense(8, name=f"block_{i}")(x)
    x = layers.Add()([x, layers.Dropout(float(rate))(h)])
for scale in np.ones(2) * 0.5:
    x = layers.LayerNormalization()(x)
model = keras.Model(inputs, layers.Dense(2)(layers.GlobalAveragePooling1D()(x)))
"""


def test_blocks_built_in_a_loop_over_an_array_agree_with_keras(tmp_path: Path) -> None:
    path = tmp_path / "loop.py"
    path.write_text(PROGRAM, encoding="utf-8")
    assert keras_result(str(path)).error is None
    layers = layer_agreement(str(path))
    assert len(layers) == 14
    assert all(layer.agrees for layer in layers), [layer for layer in layers if not layer.agrees]
