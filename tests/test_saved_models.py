"""`keras.models.load_model` of a file the script itself saved (`model.save(path)`, or a `ModelCheckpoint`
given to `fit`): the loaded model has the saved model's layers. Against real Keras this is measured on
the complete programs (tests/test_programs.py, whose harness really saves and loads); here, that the
path must be the same string, written unconditionally, and that anything else stays unknown."""

from __future__ import annotations

from typing import Any

from kerascheck.engine import check_text

HEAD = (
    "import numpy as np\nimport keras\nfrom keras import layers\n"
    "x, y = np.zeros((10, 4)), np.zeros((10, 1))\n"
    "m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3), layers.Dense(1)])\n"
    "m.compile(optimizer='adam', loss='mse')\n"
)


def _models(code: str) -> dict[str, Any]:
    return {model.name: model for model in check_text("saved.py", HEAD + code).models}


def test_checkpoint_then_load() -> None:
    models = _models("m.fit(x, y, callbacks=[keras.callbacks.ModelCheckpoint('best.keras', save_best_only=True)])\n"
                     "best = keras.models.load_model('best.keras')\n")
    assert [layer.output_shape for layer in models["best"].layers] == [(None, 3), (None, 1)]
    assert models["best"].total_params == models["m"].total_params == 19


def test_save_then_load() -> None:
    models = _models("m.save('model.keras')\nagain = keras.saving.load_model('model.keras')\n")
    assert models["again"].total_params == 19


def test_another_file_or_a_conditional_save_is_unknown() -> None:
    models = _models("m.save('model.keras')\nother = keras.models.load_model('other.keras')\n"
                     "if np.random.rand() > 0.5:\n    m.save('maybe.keras')\nmaybe = keras.models.load_model('maybe.keras')\n"
                     "pattern = keras.callbacks.ModelCheckpoint('ckpt-{epoch:02d}.keras')\n")
    assert "other" not in models and "maybe" not in models
