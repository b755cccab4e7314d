"""KC404: argument values Keras rejects when it creates the layer (names of activations, padding, ...)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Edit, Fix, Safety, Severity
from kerascheck.model import ArgSite, Model
from kerascheck.rules.base import Context, Example, FixAvailability, Rule

# The names `keras.activations.get` accepts (Keras 3); a test checks them against Keras itself.
ACTIVATIONS = frozenset({
    "celu", "elu", "exponential", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu", "hard_swish",
    "hard_tanh", "leaky_relu", "linear", "log_sigmoid", "log_softmax", "mish", "relu", "relu6", "selu",
    "sigmoid", "silu", "soft_shrink", "softmax", "softplus", "softsign", "sparse_plus", "sparse_sigmoid",
    "sparsemax", "squareplus", "swish", "tanh", "tanh_shrink", "threshold",
})
INITIALIZERS = frozenset({
    "constant", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform", "identity", "lecun_normal",
    "lecun_uniform", "ones", "orthogonal", "random_normal", "random_uniform", "truncated_normal",
    "variance_scaling", "zeros", "normal", "uniform", "one", "zero", "stft",
})
# ... and its classes, by name (`kernel_initializer="HeNormal"`)
INITIALIZER_CLASSES = frozenset({
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Identity", "IdentityInitializer",
    "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "OrthogonalInitializer", "RandomNormal",
    "RandomUniform", "STFT", "STFTInitializer", "TruncatedNormal", "VarianceScaling", "Zeros",
})
PADDINGS = frozenset({"valid", "same"})
DATA_FORMATS = frozenset({"channels_last", "channels_first"})


def _problem(param: str, value: str, layer_type: str) -> tuple[str, list[str]] | None:
    """What is wrong with a string argument, and the names it could have meant; None when fine."""
    if param in ("activation", "recurrent_activation"):
        if value in ACTIVATIONS:
            return None
        return "is not a Keras activation", sorted(ACTIVATIONS)
    if param.endswith("_initializer"):
        if value in INITIALIZERS or value in INITIALIZER_CLASSES:
            return None
        return "is not a Keras initializer", sorted(INITIALIZERS)
    if param == "padding":
        allowed = PADDINGS | ({"causal"} if layer_type in ("Conv1D", "SeparableConv1D", "DepthwiseConv1D") else set())
        if value.lower() in allowed:
            return None
        return f"must be one of {', '.join(repr(a) for a in sorted(allowed))}", sorted(allowed)
    if param == "data_format":
        if value.lower() in DATA_FORMATS:
            return None
        return "must be 'channels_last' or 'channels_first'", sorted(DATA_FORMATS)
    return None


class InvalidArgumentValue(Rule):
    """
    ## What it does
    Finds string arguments Keras cannot interpret: an unknown activation (`"rleu"`), initializer,
    `padding` other than `"valid"`/`"same"` (and `"causal"` for 1-D convolutions) or `data_format`
    other than `"channels_last"`/`"channels_first"`.

    ## Why is this bad?
    Keras raises (`Could not interpret activation function identifier`, `Invalid padding`) when
    the layer is created.

    ## Example
    ```python
    layers.Dense(64, activation="rleu")
    ```

    ## Use instead
    ```python
    layers.Dense(64, activation="relu")
    ```

    ## Fix safety
    Unsafe: the suggested name is the closest known one, a guess.
    """

    CODE = "KC404"
    NAME = "invalid-argument-value"
    SEVERITY = Severity.ERROR
    FIX = FixAvailability.SOMETIMES
    INVALID = [
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(64, activation='rleu')])\n",
            expect=((2, "activation='rleu' is not a Keras activation; did you mean 'relu'?"),),
            fixed=(
                "from keras import layers, models\n"
                "model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(64, activation='relu')])\n"
            ),
        ),
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Input(shape=(8, 8, 1)), layers.Conv2D(4, 3, padding='causal')])\n",
            expect=((2, "padding='causal' must be one of 'same', 'valid'"),),
        ),
    ]
    VALID = [
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Input(shape=(8, 1)), layers.Conv1D(4, 3, padding='causal',"
            " activation='gelu', kernel_initializer='HeNormal')])\n"
        ),
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Input(shape=(8, 8, 1)), layers.Conv2D(4, 3, padding='SAME')])\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for layer in model.layers:
            if layer.spec is None or layer.args is None:
                continue
            for site in layer.arg_sites:
                if site.param is None or not isinstance(site.value, str):
                    continue
                problem = _problem(site.param, site.value, layer.type)
                if problem is None:
                    continue
                message, choices = problem
                close = difflib.get_close_matches(site.value.lower(), choices, n=1, cutoff=0.6)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                yield ctx.report(
                    self, site.span, f"`{layer.type}` {site.param}={site.value!r} {message}{hint}",
                    fix=_replace_string(site, close[0]) if close else None,
                )


def _replace_string(site: ArgSite, new: str) -> Fix | None:
    text = site.text
    if not text or text[0] not in "'\"" or text[-1] != text[0] or "\n" in text:
        return None
    start = site.span.end_column - len(text)
    span = type(site.span)(site.span.end_line, start, site.span.end_line, site.span.end_column, site.span.cell)
    return Fix(f"use {text[0]}{new}{text[0]}", (Edit(span, f"{text[0]}{new}{text[0]}"),), Safety.UNSAFE)
