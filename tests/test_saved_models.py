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


NAMES = (
    "import keras\nfrom keras import layers\n"
    "def block():\n    inputs = keras.Input(shape=(4,))\n    return keras.Model(inputs, layers.Dense(2)(inputs))\n"
    "a, b = block(), block()\n"
    "s = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(1)])\n"
    "t = keras.Sequential([layers.Dense(1)], name='head')\n"
    "inputs = keras.Input(shape=(2,))\ng = keras.Model(inputs, layers.Dense(1)(inputs), name='given')\nc = block()\n"
    "names = (a.name, b.name, s.name, t.name, g.name, c.name)\n"
)


def _names(program: str) -> tuple[Any, Any]:
    """The program's `names`, as real Keras binds them and as kerascheck's interpreter does."""
    import keras
    import libcst as cst

    from kerascheck.extract.interpreter import Interpreter

    keras.backend.clear_session()
    namespace: dict[str, Any] = {}
    exec(compile(program, "names.py", "exec"), namespace)  # noqa: S102 - the test's own program
    interp = Interpreter()
    interp.run_unit(cst.parse_module(program), None, program)
    return namespace["names"], interp.globals.vars["names"]


def test_a_model_s_name_is_keras_s() -> None:
    """`model.name`, given or automatic (`functional_1`), as Keras names it: programs name checkpoints after it."""
    theirs, mine = _names(NAMES)
    assert mine == theirs


CLEARED = (
    "import keras\nfrom keras import backend as K\nfrom keras import layers\n"
    "def mlp():\n    return keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3), layers.Dropout(0.1), layers.Dense(1)])\n"
    "first = mlp()\nsecond = mlp()\nkeras.backend.clear_session()\nthird = mlp()\n"
    "keras.utils.clear_session()\nfourth = mlp()\nfifth = mlp()\nK.clear_session()\ninputs = keras.Input(shape=(2,))\n"
    "sixth = keras.Model(inputs, layers.Dense(1)(inputs))\n"
    "names = [[m.name] + [layer.name for layer in m.layers] for m in (first, second, third, fourth, fifth, sixth)]\n"
)


def test_clear_session_starts_automatic_names_again() -> None:
    """After `clear_session()` Keras names layers and models `dense`, `sequential` again (notebooks call it
    between experiments, and programs look layers up by these names)."""
    theirs, mine = _names(CLEARED)
    assert mine == theirs
    assert theirs[2][:2] == ["sequential", "dense"]  # the case this test is about


def test_checkpoints_named_after_each_model_in_a_loop() -> None:
    models = _models(
        "def block(units):\n    inputs = keras.Input(shape=(4,))\n    return keras.Model(inputs, layers.Dense(units)(inputs))\n"
        "for model in (block(2), block(5)):\n    path = f'ckpt_{model.name}.keras'\n"
        "    model.compile(optimizer='adam', loss='mse')\n"
        "    model.fit(x, y, callbacks=[keras.callbacks.ModelCheckpoint(path, save_best_only=True)])\n"
        "    best = keras.models.load_model(path)\n")
    assert models["best"].total_params == 4 * 5 + 5  # the last one saved
