"""Core layers: Dense, Embedding, Activation, Identity, Masking, Lambda; inputs and nested models."""

from __future__ import annotations

from kerascheck.explain.base import (
    Explanation,
    arg,
    brief,
    call_text,
    dim,
    dot,
    explains,
    finish,
    input_of,
    is_int,
    maybe,
    number,
    params_text,
    plural,
    times,
    written,
)
from kerascheck.layers import core as core_layers
from kerascheck.model import Layer
from kerascheck.shapes import UNKNOWN, format_shape

# What an activation does to each value, in words.
ACTIVATIONS = {
    "relu": "sets negative values to 0",
    "relu6": "sets negative values to 0 and caps values at 6",
    "leaky_relu": "scales negative values down by a small slope",
    "elu": "keeps positive values and bends negative ones smoothly towards −1",
    "selu": "a scaled ELU that keeps activations normalized",
    "gelu": "weights each value by how likely a standard normal is below it (a smooth ReLU)",
    "silu": "multiplies each value by its sigmoid (a smooth ReLU)",
    "swish": "multiplies each value by its sigmoid (a smooth ReLU)",
    "mish": "a smooth ReLU-like curve",
    "sigmoid": "squashes each value into the range 0 to 1",
    "hard_sigmoid": "squashes each value into 0 to 1 with straight segments",
    "tanh": "squashes each value into the range −1 to 1",
    "softmax": "turns the values along the last axis into probabilities that sum to 1",
    "log_softmax": "the logarithm of softmax along the last axis",
    "softplus": "a smooth version of ReLU, log(1 + eˣ)",
    "softsign": "squashes each value into −1 to 1 as x / (1 + |x|)",
    "exponential": "takes eˣ of each value",
    "linear": "leaves every value as it is",
}


def activation_words(value: object, text: str | None) -> str:
    if isinstance(value, str) and value.lower() in ACTIVATIONS:
        return f"{value.lower()}: {ACTIVATIONS[value.lower()]}"
    if value is None:
        return "no activation: leaves every value as it is"
    return f"applies the function {text or 'given'} to every value"


@explains(core_layers.Dense)
def dense(layer: Layer) -> Explanation:
    x = input_of(layer)
    units = maybe(layer.args.int, "units") if layer.args else None
    use_bias = maybe(layer.args.bool, "use_bias") if layer.args else None
    n = x[-1] if x is not None and len(x) >= 2 else None
    how = note = ""
    if x is not None and len(x) >= 3:
        meaning = "acts on the last axis only"
        where = times(x[1:-1])
        places = f"{dim(x[1])} steps" if len(x) == 3 else f"{where} positions"
        how = f"the same {plural(units, 'unit')} are applied at each of the {places}"
        if len(x) >= 4:
            note = "add Flatten() first to get one vector per sample"
    else:
        inputs = (f"all {dim(n)} inputs" if n != 1 else "its 1 input") if brief(n) else "all the inputs"
        unit = "each of the " + plural(units, "unit") if units != 1 else "its 1 unit"
        meaning = f"{unit} is a weighted sum of {inputs}"
        if units is None:
            meaning = f"each unit is a weighted sum of {inputs}"
    params = ""
    if is_int(n) and is_int(units):
        bias = units if use_bias is not False else 0
        tail = f" + {units} bias{'' if units == 1 else 'es'}" if use_bias is not False else " (no biases: use_bias=False)"
        params = params_text(layer, f"{dot((n, units))} weights{tail}", n * units + bias)
    else:
        params = params_text(layer, None, None)
    return finish(layer, Explanation(call_text(layer), meaning, how=how, params=params, note=note))


@explains(core_layers.Embedding)
def embedding(layer: Layer) -> Explanation:
    a = layer.args
    vocab = maybe(a.int, "input_dim") if a else None
    width = maybe(a.int, "output_dim") if a else None
    x = input_of(layer)
    ids = "integer id"
    if is_int(vocab):
        ids = f"integer id (0 to {vocab - 1})"
    table = f"a table of {plural(vocab, 'vector')} of length {dim(width)}"
    meaning = f"replaces each {ids} by its row of {table}"
    how = ""
    if x is not None and len(x) >= 2:
        count = times(x[1:])
        how = f"each of the {count} ids per sample becomes {dim(width)} numbers" if count != "?" else ""
    if maybe(a.bool, "mask_zero") if a else False:
        how = (how + "; " if how else "") + "mask_zero=True: id 0 marks padding that later layers skip"
    params = params_text(layer, f"{dot((vocab, width))} table entries", vocab * width) if (
        is_int(vocab) and is_int(width)) else params_text(layer, None, None)
    return finish(layer, Explanation(call_text(layer), meaning, how=how, params=params))


@explains(core_layers.Activation)
def activation(layer: Layer) -> Explanation:
    meaning = activation_words(arg(layer, "activation"), written(layer, "activation"))
    return finish(layer, Explanation(call_text(layer), meaning, how="shape unchanged"))


@explains(core_layers.Identity)
def identity(layer: Layer) -> Explanation:
    return finish(layer, Explanation(call_text(layer), "passes its input through untouched", how="shape unchanged"))


@explains(core_layers.Masking)
def masking(layer: Layer) -> Explanation:
    value = arg(layer, "mask_value")
    shown = written(layer, "mask_value") or (repr(value) if value is not UNKNOWN else "mask_value")
    meaning = f"marks every step whose features all equal {shown} as padding, so later layers skip it"
    return finish(layer, Explanation(call_text(layer), meaning, how="shape unchanged"))


@explains(core_layers.Lambda)
def lambda_layer(layer: Layer) -> Explanation:
    function = written(layer, "function") or "its function"
    meaning = f"runs the Python function {function} on each batch"
    declared = arg(layer, "output_shape")
    e = Explanation(call_text(layer), meaning)
    if layer.output_shape is not None and isinstance(declared, (tuple, list)):
        e.how = "the shape is the output_shape= it declares"
    elif layer.output_shape is not None and declared not in (None, UNKNOWN):
        shape_function = written(layer, "output_shape") or "its output_shape function"
        e.how = f"the shape {shape_function} returns for the input shape"
    elif layer.output_shape is not None:
        e.how = "the shape its function returns on a symbolic input, as Keras works it out"
    finish(layer, e)
    if layer.output_shape is None and layer.error is None and layer.input_shape is not None:
        e.how = "unknown unless output_shape= declares it"
    return e


def input_layer(layer: Layer) -> Explanation:
    y = layer.output_shape
    if isinstance(y, tuple) and y:
        sample = format_shape(y[1:]) if len(y) > 1 else "a single number"
        meaning = f"the model's input: each sample is {sample}"
        how = ("None stands for the batch size, any number of samples" if y[0] is None
               else f"batches of exactly {dim(y[0])} samples")
    else:
        meaning = "the model's input, of a shape kerascheck cannot know"
        how = ""
    return finish(layer, Explanation(call_text(layer), meaning, how=how))


def nested_model(layer: Layer) -> Explanation:
    sub = layer.submodel
    assert sub is not None
    count = len(sub.layers)
    name = sub.name or sub.keras_name
    meaning = f"the model `{name}` used as one layer ({plural(count, 'layer')} inside)"
    params = "" if layer.params is None else f"{number(layer.params)} params (all of its layers)"
    if layer.params is None and sub.total_params is not None:
        params = f"{number(sub.total_params)} params (all of its layers)"
    return finish(layer, Explanation(call_text(layer), meaning, how="", params=params))


def unknown_layer(layer: Layer) -> Explanation:
    """A layer outside the catalogue: say so, and only what the IR knows."""
    meaning = f"`{layer.type}` is not one of the Keras layers kerascheck knows, so it cannot say what it computes"
    params = "" if layer.params is None else f"{number(layer.params)} params"
    e = finish(layer, Explanation(call_text(layer), meaning, params=params, generic=True))
    if layer.output_shape is None and layer.error is None:
        e.how = "unknown"
    return e
