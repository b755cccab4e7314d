"""Facts the rules rely on, checked against real Keras: accepted names, legacy arguments Keras 3 rejects."""

from __future__ import annotations

import keras
import pytest

from kerascheck.rules._arguments import LEGACY_REMOVED, LEGACY_RENAMES
from kerascheck.rules.invalid_argument_value import ACTIVATIONS, INITIALIZER_CLASSES, INITIALIZERS


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_every_listed_activation_is_accepted_by_keras(name):
    keras.layers.Dense(2, activation=name)


@pytest.mark.parametrize("name", sorted((INITIALIZERS | INITIALIZER_CLASSES) - {"identity", "constant", "Identity",
                                                                               "IdentityInitializer", "Constant"}))
def test_every_listed_initializer_is_accepted_by_keras(name):
    keras.layers.Dense(2, kernel_initializer=name)


@pytest.mark.parametrize("kind", ["activations", "initializers"])
def test_every_name_keras_accepts_is_listed(kind):
    """The converse: no name Keras accepts may be reported as unknown (KC404 would be a false alarm)."""
    from kerascheck.rules.invalid_argument_value import _problem

    module = getattr(keras.src, kind)
    param = "activation" if kind == "activations" else "kernel_initializer"
    names = [name for name in module.ALL_OBJECTS_DICT if name.lower() != "initializer"]
    assert names
    assert [name for name in names if _problem(param, name, "Dense") is not None] == []


@pytest.mark.parametrize("name", ["rleu", "softmaxx", "Relu6x", "lineal"])
def test_names_outside_the_lists_are_rejected_by_keras(name):
    assert name not in ACTIVATIONS
    with pytest.raises(ValueError):
        keras.layers.Dense(2, activation=name)


@pytest.mark.parametrize(
    ("layer", "padding", "accepted"),
    [("Conv1D", "causal", True), ("Conv2D", "causal", False), ("Conv2D", "SAME", True), ("Conv2D", "full", False)],
)
def test_padding_values(layer, padding, accepted):
    from kerascheck.engine import check_text

    code = (
        "import keras\n"
        f"m = keras.Sequential([keras.Input(shape={(8, 1) if layer == 'Conv1D' else (8, 8, 1)}),"
        f" keras.layers.{layer}(2, 3, padding={padding!r})])\n"
    )
    ours = [d for d in check_text("x.py", code).diagnostics if d.code == "KC404"]
    try:
        getattr(keras.layers, layer)(2, 3, padding=padding)
        keras_accepts = True
    except ValueError:
        keras_accepts = False
    assert keras_accepts == accepted
    assert (not ours) == accepted


@pytest.mark.parametrize("keyword", sorted(set(LEGACY_RENAMES) | set(LEGACY_REMOVED)))
def test_keras_3_rejects_every_legacy_argument(keyword):
    with pytest.raises((TypeError, ValueError)):
        keras.layers.Conv1D(2, 3, **{keyword: 1})


def test_keras_3_optimizers_reject_lr():
    with pytest.raises((TypeError, ValueError)):
        keras.optimizers.Adam(lr=0.01)


def test_keras_3_has_no_fit_generator_and_no_merge_function():
    assert not hasattr(keras.Model, "fit_generator")
    assert not hasattr(keras.layers, "merge")
