"""Recurrent layers and the wrappers: return_sequences, return_state, Bidirectional, TimeDistributed."""

from __future__ import annotations

from typing import Any

from kerascheck.explain.base import (
    Explanation,
    arg,
    call_text,
    dim,
    explains,
    finish,
    input_of,
    is_int,
    maybe,
    number,
    params_text,
    plural,
)
from kerascheck.layers import rnn as rnn_layers
from kerascheck.model import Layer
from kerascheck.shapes import UNKNOWN


@explains(rnn_layers.SimpleRNN, rnn_layers.LSTM, rnn_layers.GRU)
def recurrent(layer: Layer) -> Explanation:
    a = layer.args
    x = input_of(layer)
    units = maybe(a.int, "units") if a else None
    steps = features = None
    if x is not None and len(x) == 3:
        steps, features = x[1], x[2]
    state = f"a state of {plural(units, 'number')}"
    if layer.type == "LSTM":
        state = f"a hidden state and a cell state of {plural(units, 'number')} each"
    seq = f"the {dim(steps)} steps" if steps is not None else "the steps"
    feats = f" of {plural(features, 'feature')}" if features is not None else ""
    meaning = f"reads {seq}{feats} in order, carrying {state}"
    sequences = maybe(a.bool, "return_sequences") if a else None
    states = maybe(a.bool, "return_state") if a else None
    if sequences is True:
        how = f"return_sequences=True: {plural(units, 'output')} at every step"
    elif sequences is False:
        how = f"only the last step's {plural(units, 'output')} (return_sequences=True would give one per step)"
    else:
        how = ""
    if states:
        extra = "final hidden and cell states" if layer.type == "LSTM" else "final state"
        how += f"; return_state=True also returns the {extra}"
    params = ""
    assert layer.spec is not None and layer.spec.gates is not None
    gates = layer.spec.gates
    use_bias = maybe(a.bool, "use_bias") if a else None
    if is_int(units) and is_int(features):
        g = f"{gates}·" if gates > 1 else ""
        weights = gates * units * (features + units)
        formula = f"{g}{units}·({features} + {units}) weights"
        bias = 0
        if use_bias is not False:
            sets = 2 if layer.type == "GRU" and maybe(a.bool, "reset_after") else 1  # type: ignore[union-attr]
            bias = sets * gates * units
            count = f"{sets * gates}·{units}" if sets * gates > 1 else str(units)
            formula += f" + {count} bias{'' if count == '1' else 'es'}"
        tail = {"SimpleRNN": "", "LSTM": " (4 gates)", "GRU": " (3 gates"}[layer.type]
        if layer.type == "GRU":
            tail += ", with separate input and recurrent biases)" if bias == 6 * units else ")"
        params = params_text(layer, formula, weights + bias, tail)
    else:
        params = params_text(layer, None, None)
    return finish(layer, Explanation(call_text(layer), meaning, how=how, params=params))


def _inner(layer: Layer) -> Any:
    inner = arg(layer, "layer")
    if inner is UNKNOWN or not hasattr(inner, "spec") or not hasattr(inner, "arg_sites"):
        return None
    return inner


_MERGE = {
    "concat": "joins their outputs side by side",
    "sum": "adds their outputs",
    "mul": "multiplies their outputs",
    "ave": "averages their outputs",
}


@explains(rnn_layers.Bidirectional)
def bidirectional(layer: Layer) -> Explanation:
    inner = _inner(layer)
    name = f"`{call_text(inner)}`" if inner is not None else "the wrapped layer"
    mode = arg(layer, "merge_mode")
    meaning = f"runs {name} forwards and a copy backwards over the sequence"
    if mode is None:
        meaning += ", and returns both outputs separately"
    elif isinstance(mode, str) and mode in _MERGE:
        meaning += f", and {_MERGE[mode]}"
    how = ""
    y = layer.output_shape
    inner_units = maybe(inner.args.int, "units") if inner is not None and inner.args is not None else None
    if mode == "concat" and isinstance(y, tuple) and is_int(inner_units) and y and y[-1] == 2 * inner_units:
        how = f"{y[-1]} = 2·{inner_units}"
    params = ""
    if layer.params is not None and layer.params % 2 == 0:
        params = f"{number(layer.params)} params = 2·{number(layer.params // 2)} (one copy per direction)"
    elif layer.params is not None:
        params = f"{number(layer.params)} params"
    else:
        params = params_text(layer, None, None)
    return finish(layer, Explanation(call_text(layer), meaning, how=how, params=params))


@explains(rnn_layers.TimeDistributed)
def time_distributed(layer: Layer) -> Explanation:
    inner = _inner(layer)
    name = f"`{call_text(inner)}`" if inner is not None else "the wrapped layer"
    x = input_of(layer)
    steps = f"each of the {dim(x[1])} steps" if x is not None and len(x) >= 3 and x[1] is not None else "each step"
    meaning = f"applies {name} to {steps} separately, with the same weights at every step"
    how = "the steps axis is kept, and the rest of each step's shape is what the wrapped layer gives"
    params = "" if layer.params is None else f"{number(layer.params)} params, shared by all steps"
    return finish(layer, Explanation(call_text(layer), meaning, how=how, params=params))


@explains(rnn_layers.RNN)
def generic_rnn(layer: Layer) -> Explanation:
    cells = arg(layer, "cell")
    listed = cells if isinstance(cells, (list, tuple)) else [cells]
    stacked = [c for c in listed if getattr(c, "type", None) == "StackedRNNCells"]
    if stacked:
        inner = arg(stacked[0], "cells")
        listed = list(inner) if isinstance(inner, (list, tuple)) else listed
    names = [n for n in (getattr(c, "type", None) for c in listed) if isinstance(n, str)]
    if names and len(names) == len(listed):
        meaning = f"runs {', then '.join(names)} over the steps in order"
        if len(names) > 1:
            meaning += ", each cell feeding the next at every step"
    else:
        meaning = "runs its cell over the steps in order"
    sequences = maybe(layer.args.bool, "return_sequences") if layer.args else None
    how = "an output at every step (return_sequences=True)" if sequences else (
        "only the last step's output (return_sequences=True would give one per step)" if sequences is False else "")
    return finish(layer, Explanation(call_text(layer), meaning, how=how, params=params_text(layer, None, None)))
