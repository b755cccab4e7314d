"""After a misspelt keyword that changes no shape (`activaton=`), `--shapes` still shows the model the
call means: the shapes and counts real Keras gives once the keyword is spelt right. A misspelling that
could change them (`paddin=`, a Keras 1 name such as `border_mode=`) leaves them unknown."""

from __future__ import annotations

import pytest

from kerascheck.engine import check_text

PROGRAM = """\
import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3, {conv}),
                          layers.Flatten(), layers.Dense(64, {dense}), layers.Dense(10)])
"""


@pytest.mark.parametrize(("typo", "right"), [
    ("activaton='relu'", "activation='relu'"),
    ("kernel_initialiser='he_normal'", "kernel_initializer='he_normal'"),
])
def test_shape_neutral_typo_keeps_the_shapes(typo: str, right: str) -> None:
    namespace: dict[str, object] = {}
    exec(compile(PROGRAM.format(conv=right, dense=right), "program.py", "exec"), namespace)
    keras_model = namespace["model"]
    expected = [(tuple(layer.output.shape), layer.count_params()) for layer in keras_model.layers]  # type: ignore[attr-defined]
    result = check_text("program.py", PROGRAM.format(conv=typo, dense=typo))
    assert any(d.code == "KC402" for d in result.diagnostics)
    (model,) = result.models
    assert [(layer.output_shape, layer.params) for layer in model.layers] == expected


@pytest.mark.parametrize("typo", ["paddin='same'", "border_mode='same'", "strids=2"])
def test_a_typo_that_could_change_shapes_leaves_them_unknown(typo: str) -> None:
    (model,) = check_text("program.py", PROGRAM.format(conv=typo, dense="activation='relu'")).models
    assert model.layers[0].output_shape is None and model.total_params is None
