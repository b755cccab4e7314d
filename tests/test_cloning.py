"""`keras.models.clone_model` and layers reused from a clone, held to real Keras.

Hands-On ML's transfer learning clones a model and builds a new Sequential model on all but the
clone's last layer; "writing a training loop from scratch" clones a functional model to train it a
second way. Each program runs under Keras (tests/keras_oracle.py) and every layer of every model
must agree with kerascheck's: type, output shape, parameter count, and here also the name (Keras
keeps each layer's name in the clone, and names a clone's new input after the old input's tensor).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_oracle import keras_result, kerascheck_result, layer_agreement

PROGRAMS = {
    "a functional model with a named input": (
        "import keras\nfrom keras import layers\n"
        "words = keras.Input(shape=(100,), name='bag_of_words')\n"
        "x = layers.Dropout(0.5)(layers.Dense(32, activation='relu')(words))\n"
        "model = keras.Model(words, layers.Dense(4, name='logits')(x), name='topic_mlp')\n"
        "reference = keras.models.clone_model(model)\n"
        "reference.compile(optimizer='adam', loss='mse')\n"
    ),
    "a Sequential clone whose layers start a new model": (
        "import keras\n"
        "model_A = keras.Sequential([keras.Input(shape=(28, 28)), keras.layers.Flatten(),\n"
        "                            keras.layers.Dense(16, activation='relu'), keras.layers.Dense(8)], name='model_A')\n"
        "model_A_clone = keras.models.clone_model(model_A)\n"
        "model_B_on_A = keras.Sequential(model_A_clone.layers[:-1], name='model_B_on_A')\n"
        "model_B_on_A.add(keras.layers.Dense(1, activation='sigmoid'))\n"
    ),
}


@pytest.mark.parametrize("code", list(PROGRAMS.values()), ids=list(PROGRAMS))
def test_clone_agrees_with_keras(tmp_path: Path, code: str) -> None:
    path = tmp_path / "clone.py"
    path.write_text(code, encoding="utf-8")
    result = keras_result(str(path))
    assert result.error is None
    disagreeing = [layer for layer in layer_agreement(str(path)) if not layer.agrees]
    assert not disagreeing, disagreeing
    mine = {model["name"]: model for model in kerascheck_result(str(path))["models"]}
    for name, theirs in result.models.items():
        if name in mine:
            assert [layer["name"] for layer in mine[name]["layers"]] == [layer.name for layer in theirs.layers], name


def test_clone_of_an_unnamed_input_is_not_guessed(tmp_path: Path) -> None:
    """Keras names the clone's input after a tensor counter (`keras_tensor_7`): kerascheck claims no model."""
    path = tmp_path / "clone.py"
    path.write_text(
        "import keras\ninputs = keras.Input(shape=(8,))\nmodel = keras.Model(inputs, keras.layers.Dense(2)(inputs))\n"
        "twin = keras.models.clone_model(model)\n",
        encoding="utf-8",
    )
    theirs = keras_result(str(path)).models["twin"].layers[0].name
    assert theirs.startswith("keras_tensor")
    assert "twin" not in {model["name"] for model in kerascheck_result(str(path))["models"]}
