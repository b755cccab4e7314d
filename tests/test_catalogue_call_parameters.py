"""Every catalogue entry's `call_parameters` / `call_takes_any_keyword` against what real Keras accepts
when the layer is called on symbolic tensors.

kerascheck reports `layer(...)` as a TypeError when the input is not given (positionally or under
`call_parameters[0]`) or when a keyword is neither a call parameter nor `training` (unless the layer
takes any keyword). `declared_rejects` below is that rule; each test checks it against Keras.

Keras's rules, from `Layer.__call__` and `CallSpec` (keras/src/layers/layer.py):
- the arguments are bound with `inspect.signature(self.call).bind(...)`: an unknown keyword or a
  missing input is a TypeError;
- `training=` is taken out before binding when `call` has no `training`, so every layer accepts it;
- a class may stand its own `__call__` in front: the preprocessing layers' `DataLayer.__call__(self,
  inputs, **kwargs)` makes `inputs` the input's name even where `call` names it `data` (the image
  layers), so `layer(data=x)` is a TypeError. `call_input_name` reads this from the class.
"""

from __future__ import annotations

import inspect
import os
import re
from typing import Any

import pytest

os.environ["KERAS_BACKEND"] = "numpy"
keras = pytest.importorskip("keras")

from kerascheck.layers import CATALOGUE  # noqa: E402
from kerascheck.layers.spec import LayerSpec  # noqa: E402

# The numpy backend works out output shapes by running `call` on uninitialised arrays, which can
# overflow (a GRU cell's sigmoid); the values are thrown away.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

SPECS = sorted({spec.name: spec for spec in CATALOGUE.values()}.items())
# Classes whose call behaviour the two attributes cannot describe (see the test for each below).
UNDECLARED = {"StackedRNNCells"}
DECLARED = [(name, spec) for name, spec in SPECS if name not in UNDECLARED]
IDS = [name for name, _ in DECLARED]

# Values for required constructor arguments, just to build each class.
REQUIRED = {
    "rate": 0.5, "stddev": 0.1, "activation": "relu", "target_shape": (4,), "dims": (1,), "n": 2, "scale": 1.0,
    "height": 4, "width": 4, "factor": 0.1, "height_factor": 0.1, "width_factor": 0.1, "pool_size": 2,
    "units": 2, "filters": 2, "kernel_size": 2, "input_dim": 5, "output_dim": 2, "axes": 1, "num_heads": 2,
    "key_dim": 4,
}  # fmt: skip
EXTRA = {"CategoryEncoding": {"num_tokens": 4}, "GroupNormalization": {"groups": 2},
         "Discretization": {"bin_boundaries": [0.5]}}
SEQUENCE_LAYERS = {"SimpleRNN", "LSTM", "GRU", "RNN", "Bidirectional", "TimeDistributed"}
SEQUENCE_LAYERS |= {"Attention", "AdditiveAttention", "MultiHeadAttention"}
IMAGE_LAYERS = {"Resizing", "CenterCrop", "RandomCrop"}
CELL_STATES = {"SimpleRNNCell": 1, "GRUCell": 1, "LSTMCell": 2}


def make_layer(name: str) -> Any:
    cls = getattr(keras.layers, name)
    kwargs: dict[str, Any] = {}
    for p in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if p.default is not p.empty or p.kind in (p.VAR_KEYWORD, p.VAR_POSITIONAL):
            continue
        if p.name == "function":
            kwargs[p.name] = lambda t: t
        elif p.name == "cell":
            kwargs[p.name] = keras.layers.LSTMCell(2)
        elif p.name == "layer":
            kwargs[p.name] = keras.layers.LSTM(2) if name == "Bidirectional" else keras.layers.Dense(2)
        else:
            kwargs[p.name] = REQUIRED[p.name]
    return cls(**kwargs, **EXTRA.get(name, {}))


def make_inputs(name: str, spec: LayerSpec) -> tuple[Any, dict[str, Any]]:
    """(the input, other tensors the call needs by keyword) for a call of `name`."""
    Input = keras.Input
    if name in CELL_STATES:
        return Input((4,)), {"states": [Input((2,)) for _ in range(CELL_STATES[name])]}
    if name == "MultiHeadAttention":
        return Input((3, 4)), {"value": Input((3, 4))}
    if spec.multi_input:
        shape = (3, 4) if name in SEQUENCE_LAYERS else (4,)
        return [Input(shape), Input(shape)], {}
    if name in SEQUENCE_LAYERS:
        return Input((3, 4)), {}
    if name.startswith("Random") or name in IMAGE_LAYERS:
        return Input((8, 8, 3)), {}
    if name in ("Embedding", "CategoryEncoding"):
        return Input((4,), dtype="int32"), {}
    spatial = re.search(r"([123])D", name)
    if spatial:
        steps = (3,) if name.startswith("ConvLSTM") else ()
        return Input((*steps, *(6,) * int(spatial.group(1)), 4)), {}
    return Input((4,)), {}


def declared_rejects(spec: LayerSpec, positional: bool, keywords: set[str]) -> bool:
    """What kerascheck says of `layer(x?, **keywords)`: True for a TypeError."""
    params = spec.call_parameters
    assert params is not None
    missing = not positional and params[0] not in keywords
    wrong = not spec.call_takes_any_keyword and any(k not in params and k != "training" for k in keywords)
    return missing or wrong


def keras_rejects(name: str, spec: LayerSpec, positional: bool, keywords: dict[str, Any]) -> bool:
    """Whether Keras raises TypeError on `layer(x?, **keywords)` with a fresh layer (`None`: the input)."""
    x, others = make_inputs(name, spec)
    layer = make_layer(name)
    args = (x,) if positional else ()
    values = {k: (x if v is None else v) for k, v in keywords.items()}
    try:
        layer(*args, **values, **others)
    except TypeError as e:
        # A TypeError for another reason would make this test meaningless: it must be about binding.
        assert "missing" in str(e) or any(repr(k) in str(e) for k in keywords), e
        return True
    return False


def call_input_name(cls: type) -> str | None:
    """The input's name set by a `__call__` the class puts before `Layer.__call__`, if any."""
    params = list(inspect.signature(cls.__call__).parameters.values())[1:]
    if params and params[0].kind is params[0].POSITIONAL_OR_KEYWORD:
        return params[0].name
    return None


@pytest.mark.parametrize(("name", "spec"), SPECS, ids=[name for name, _ in SPECS])
def test_declared_unless_documented(name: str, spec: LayerSpec) -> None:
    assert (spec.call_parameters is None) == (name in UNDECLARED)


@pytest.mark.parametrize(("name", "spec"), DECLARED, ids=IDS)
def test_input_by_its_keyword_works(name: str, spec: LayerSpec) -> None:
    assert spec.call_parameters is not None
    first = spec.call_parameters[0]
    assert not declared_rejects(spec, False, {first})
    assert not keras_rejects(name, spec, False, {first: None})


@pytest.mark.parametrize(("name", "spec"), DECLARED, ids=IDS)
def test_input_under_a_wrong_keyword(name: str, spec: LayerSpec) -> None:
    assert spec.call_parameters is not None
    own = list(inspect.signature(getattr(keras.layers, name).call).parameters)[1]  # `data` for image layers
    candidates = {"inputs", "x", "sequences", own} - set(spec.call_parameters)
    for wrong in sorted(candidates):
        assert keras_rejects(name, spec, False, {wrong: None}) == declared_rejects(spec, False, {wrong}), wrong


@pytest.mark.parametrize(("name", "spec"), DECLARED, ids=IDS)
def test_unknown_keyword_and_training(name: str, spec: LayerSpec) -> None:
    assert keras_rejects(name, spec, True, {"trainng": False}) == declared_rejects(spec, True, {"trainng"})
    # Keras strips `training=` before binding when `call` has no such parameter.
    assert not keras_rejects(name, spec, True, {"training": False})
    assert not declared_rejects(spec, True, {"training"})


@pytest.mark.parametrize(("name", "spec"), DECLARED, ids=IDS)
def test_declaration_is_the_call_signature(name: str, spec: LayerSpec) -> None:
    cls = getattr(keras.layers, name)
    params = list(inspect.signature(cls.call).parameters.values())[1:]  # drop `self`
    names = [p.name for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    renamed = call_input_name(cls)
    if renamed is not None:
        names[0] = renamed  # the documented exception: DataLayer.__call__ names the input `inputs`
    assert spec.call_parameters == tuple(names)
    assert spec.call_takes_any_keyword == any(p.kind is p.VAR_KEYWORD for p in params)


def test_stacked_cells_take_the_keywords_their_cells_take() -> None:
    """Why StackedRNNCells is left undeclared: its `call` takes **kwargs and passes them to every cell."""
    x, h = keras.Input((4,)), keras.Input((2,))
    stacked = keras.layers.StackedRNNCells([keras.layers.LSTMCell(2)])
    with pytest.raises(TypeError):
        stacked(x, states=[[h, h]], trainng=False)

    class AnyKeywordCell(keras.layers.Layer):
        state_size = 2
        output_size = 2

        def call(self, inputs, states, **kwargs):
            return inputs[:, :2], states

    keras.layers.StackedRNNCells([AnyKeywordCell()])(x, states=[[h]], trainng=False)


@pytest.mark.parametrize(("name", "spec"), DECLARED, ids=IDS)
def test_supports_masking_is_keras(name: str, spec: LayerSpec) -> None:
    """Whether the layer passes a Keras mask on (`supports_masking`), which decides the mask
    operations in a functional graph; Embedding passes one only with mask_zero=True."""
    layer = keras.layers.Embedding(10, 4, mask_zero=True) if name == "Embedding" else make_layer(name)
    assert spec.supports_masking is layer.supports_masking
