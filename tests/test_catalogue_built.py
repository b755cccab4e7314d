"""Which layers Keras builds when they are created (they count 0 weights in an unbuilt model)."""

from __future__ import annotations

import inspect

import keras
import pytest

from kerascheck.layers import CATALOGUE
from kerascheck.layers.spec import BUILT_AT_CREATION

# Values for required arguments, just to construct each class.
REQUIRED = {
    "rate": 0.5, "stddev": 0.1, "activation": "relu", "target_shape": (4,), "dims": (1,), "n": 2, "scale": 1.0,
    "height": 4, "width": 4, "factor": 0.1, "height_factor": 0.1, "width_factor": 0.1, "pool_size": 2,
    "units": 2, "filters": 2, "kernel_size": 2, "input_dim": 3, "output_dim": 2, "axes": 1, "num_heads": 2, "key_dim": 4,
}
# Arguments that have a default in the signature but that the constructor still insists on.
INSISTED = {"CategoryEncoding": {"num_tokens": 4}, "Discretization": {"bin_boundaries": [0.5]}}
SPECS = sorted({spec.name: spec for spec in CATALOGUE.values()}.items())


@pytest.mark.parametrize(("name", "spec"), SPECS, ids=[name for name, _ in SPECS])
def test_built_at_creation_matches_keras(name, spec):
    cls = getattr(keras.layers, name)
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    kwargs = {}
    for p in params:
        if p.default is p.empty and p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            if p.name == "function":
                kwargs[p.name] = lambda x: x
            elif p.name == "cell":
                kwargs[p.name] = keras.layers.LSTMCell(2)
            elif p.name == "cells":
                kwargs[p.name] = [keras.layers.LSTMCell(2)]
            elif p.name == "layer":
                kwargs[p.name] = keras.layers.LSTM(2) if name == "Bidirectional" else keras.layers.Dense(2)
            else:
                kwargs[p.name] = REQUIRED[p.name]
    kwargs.update(INSISTED.get(name, {}))
    layer = cls(**kwargs)
    assert layer.built == (name in BUILT_AT_CREATION)


def test_subclass_table_is_keras_class_tree() -> None:
    """`isinstance(layer, layers.RNN)` on a catalogue layer: KERAS_SUBCLASS_OF lists every pair of catalogue
    classes where Keras derives one from the other, and no other."""
    from kerascheck.layers.spec import KERAS_SUBCLASS_OF

    classes = {name: getattr(keras.layers, name) for name, _ in SPECS}
    derived = {name: frozenset(other for other, base in classes.items() if other != name and issubclass(cls, base)
                               and cls is not base) for name, cls in classes.items()}
    assert {name: bases for name, bases in derived.items() if bases} == KERAS_SUBCLASS_OF
