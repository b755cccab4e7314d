"""The graph stays whole around calls kerascheck cannot follow (issue 13).

A function it does not know applied to a tensor, and a custom layer whose `call` it cannot follow
(its outputs unpacked into a tuple), become nodes with unknown outputs: the layers before and after
keep their names, order and (where their input is known) parameter counts, as real Keras shows.
"""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

from kerascheck.engine import check_text
from kerascheck.model import non_trainable_total

PROGRAM = """\
import keras
from keras import layers
from hidden_helpers import mystery, transform


class Block(layers.Layer):
    def call(self, x):
        return transform(x), x


inputs = keras.Input(shape=(32,))
h = layers.Dense(64, activation="relu")(inputs)
(tokens, _) = Block()(h)
z = undefined_here(h) if False else mystery(h)
out = layers.Dense(10, activation="softmax")(tokens)
side = layers.Dense(3)(z)
model = keras.Model(inputs, [out, side])
"""


def test_layers_around_unknown_calls_keep_their_place_and_counts() -> None:
    import keras

    helpers = types.ModuleType("hidden_helpers")
    helpers.mystery = keras.ops.sin  # type: ignore[attr-defined]
    helpers.transform = lambda x: keras.ops.concatenate([x, x], axis=-1)  # type: ignore[attr-defined]
    sys.modules["hidden_helpers"] = helpers
    keras.backend.clear_session()  # Keras numbers its layer names per session, as a fresh script's would be
    try:
        namespace: dict[str, object] = {}
        exec(compile(PROGRAM, "program.py", "exec"), namespace)
    finally:
        del sys.modules["hidden_helpers"]
    expected = [(layer.name, layer.count_params()) for layer in namespace["model"].layers]  # type: ignore[attr-defined]
    (model,) = check_text("program.py", PROGRAM).models
    got = [(layer.name, layer.params) for layer in model.layers]
    assert [name for name, _ in got] == [name for name, _ in expected]
    for (name, params), (_, keras_params) in zip(got, expected):
        assert params is None or params == keras_params, name
    assert dict(got)["dense"] == 2112  # the Dense before the unknown calls is known and counted


BRANCHED = """\
import keras
from keras import layers
from hidden_helpers import count_classes

n_classes = count_classes()
inputs = keras.Input(shape=(16,))
x = layers.Dense(32, activation="relu", name="body")(inputs)
if n_classes == 2:
    out = layers.Dense(1, activation="sigmoid", name="prob")(x)
else:
    out = layers.Dense(3, activation="softmax", name="probs")(x)
x = layers.Dense(8, name="after")(x)
model = keras.Model(inputs, [out, x])
"""


def test_a_branch_on_an_unknown_value_keeps_the_model_whole() -> None:
    """`if n_classes == 2: out = ... else: out = ...` with `n_classes` from the data: whichever head Keras
    builds is in kerascheck's model, with the same shape and parameters where kerascheck gives them, the
    layers outside the branch are known, and the total (which depends on the head) is not claimed."""
    import keras

    (model,) = check_text("program.py", BRANCHED).models
    mine = {layer.name: layer for layer in model.layers}
    assert mine["body"].output_shape == (None, 32) and mine["body"].params == 544
    assert model.total_params is None  # Keras builds one of the two heads: its total is one of two numbers
    for classes in (2, 5):
        helpers = types.ModuleType("hidden_helpers")
        helpers.count_classes = lambda classes=classes: classes  # type: ignore[attr-defined]
        sys.modules["hidden_helpers"] = helpers
        keras.backend.clear_session()
        try:
            namespace: dict[str, object] = {}
            exec(compile(BRANCHED, "program.py", "exec"), namespace)
        finally:
            del sys.modules["hidden_helpers"]
        for layer in namespace["model"].layers:  # type: ignore[attr-defined]
            assert layer.name in mine, layer.name
            got = mine[layer.name]
            shape = tuple(layer.output.shape)
            if got.output_shape is not None:  # a size kerascheck does not know is None, as Keras's batch axis
                assert len(got.output_shape) == len(shape), layer.name
                assert all(d is None or d == k for d, k in zip(got.output_shape, shape)), layer.name
            assert got.params is None or got.params == layer.count_params(), layer.name


SUBCLASSED_IN_GRAPH = """\
import keras
import numpy as np
from keras import layers, ops
from hidden_helpers import n_features


class Tree(keras.Model):
    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.mask = np.eye(n, dtype="float32")
        self.router = layers.Dense(4, activation="sigmoid")

    def call(self, x):
        return self.router(ops.matmul(x, ops.transpose(ops.convert_to_tensor(self.mask))))


inputs = keras.Input(shape=(8,))
h = layers.Dense(6)(inputs)
known = keras.Model(inputs, Tree(6, name="known_tree")(h))
g = layers.Dense(n_features)(inputs)
g = layers.BatchNormalization()(g)
unknown = keras.Model(inputs, Tree(n_features, name="unknown_tree")(g))
"""


def test_a_subclassed_model_called_in_a_graph_is_one_layer() -> None:
    # Keras builds it by running its call, and the functional model holds it as one layer (its inner
    # Dense is not a layer of the graph); where its call cannot be followed (a size from data), it is
    # still there, with unknown output, and the layers before it keep their places
    import keras

    helpers = types.ModuleType("hidden_helpers")
    helpers.n_features = 5  # type: ignore[attr-defined]
    sys.modules["hidden_helpers"] = helpers
    keras.backend.clear_session()
    try:
        namespace: dict[str, object] = {}
        # Keras's numpy backend traces `call` on uninitialised arrays: their garbage may overflow
        with np.errstate(all="ignore"):
            exec(compile(SUBCLASSED_IN_GRAPH, "program.py", "exec"), namespace)
    finally:
        del sys.modules["hidden_helpers"]
    mine = {model.name: model for model in check_text("program.py", SUBCLASSED_IN_GRAPH).models}
    for name in ("known", "unknown"):
        keras_layers = [(layer.name, type(layer).__name__, tuple(layer.output.shape), layer.count_params())
                        for layer in namespace[name].layers]  # type: ignore[attr-defined]
        got = [(layer.name, layer.type, layer.output_shape, layer.params) for layer in mine[name].layers]
        assert [g[:2] for g in got] == [k[:2] for k in keras_layers]
        for (layer, _, shape, params), (_, _, keras_shape, keras_params) in zip(got, keras_layers):
            assert params is None or params == keras_params, layer
            assert shape is None or len(shape) == len(keras_shape) and all(
                d is None or d == k for d, k in zip(shape, keras_shape)), layer
    assert [(layer.output_shape, layer.params) for layer in mine["known"].layers][-1] == ((None, 4), 28)


def test_a_negated_tensor_keeps_the_graph() -> None:
    import keras

    program = ("import keras\nfrom keras import layers\ninputs = keras.Input(shape=(6,))\n"
               "h = layers.Dense(4)(inputs)\nmodel = keras.Model(inputs, layers.Dense(2)(-h))\n")
    namespace: dict[str, object] = {}
    keras.backend.clear_session()
    exec(compile(program, "neg.py", "exec"), namespace)  # noqa: S102 - the test's own program
    theirs = [(layer.name, tuple(layer.output.shape), layer.count_params())
              for layer in namespace["model"].layers]  # type: ignore[attr-defined]
    (model,) = check_text("neg.py", program).models
    assert [(layer.name, layer.output_shape, layer.params) for layer in model.layers] == theirs


STOCHASTIC_DEPTH = """\
import keras
import numpy as np
from keras import layers, ops


class StochasticDepth(layers.Layer):
    def __init__(self, rate, **kwargs):
        super().__init__(**kwargs)
        self.rate = rate

    def call(self, x, training=True):
        if training:
            keep = 1 - self.rate
            shape = (ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)
            return x / keep * ops.floor(keep + keras.random.uniform(shape, 0, 1))
        return x


def block(rate, name):
    tokens = keras.Input((12, 16))
    x = layers.LayerNormalization()(tokens)
    x = layers.MultiHeadAttention(num_heads=2, key_dim=8)(x, x)
    x = StochasticDepth(rate)(x) if rate else x
    x = layers.Add()([x, tokens])
    return keras.Model(tokens, layers.Dense(16)(x), name=name)


rates = [r for r in {rates}]
blocks = [block(rates[i], name=f"block_{i}") for i in range(3)]
inputs = keras.Input((12, 16))
x = inputs
for b in blocks:
    x = b(x)
model = keras.Model(inputs, layers.GlobalAveragePooling1D()(x))
"""


@pytest.mark.parametrize("rates", ["np.linspace(0.1, 0.3, 3)", "ops.linspace(0.1, 0.3, 3)"])
def test_a_conditional_expression_on_an_unknown_value_keeps_the_graph(rates: str) -> None:
    """DeiT's `StochasticDepth(rate)(x) if rate else x` with the rates from `np.linspace`: whichever tensor
    Keras takes, the layers around it stay connected, and a 0-d NumPy value in a layer's arithmetic
    (`1 - self.rate`) broadcasts as NumPy does; every layer Keras builds has its shape and parameters."""
    import keras

    keras.backend.clear_session()
    namespace: dict[str, object] = {}
    program = STOCHASTIC_DEPTH.replace("{rates}", rates)
    with np.errstate(all="ignore"):  # Keras's numpy backend traces `call` on np.empty arrays' leftover bytes
        exec(compile(program, "deit.py", "exec"), namespace)  # noqa: S102 - the test's own program
    mine = {model.keras_name: model for model in check_text("deit.py", program).models}
    for model in [*namespace["blocks"], namespace["model"]]:  # type: ignore[misc]
        name = model.name
        got = {layer.name: layer for layer in mine[name].layers}
        for layer in model.layers:  # type: ignore[attr-defined]
            assert layer.name in got, (name, layer.name)
            assert got[layer.name].output_shape == tuple(layer.output.shape), (name, layer.name)
            assert got[layer.name].params == layer.count_params(), (name, layer.name)
        # the block's total whether or not it holds the StochasticDepth layer (which has no weights)
        assert mine[name].total_params == model.count_params(), name
        assert non_trainable_total(mine[name]) == 0, name
