"""ShortenedSequenceOutput: the `shortened-sequence-output` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Layer, Model
from kerascheck.rules._data import ELEMENTWISE, SAME_SHAPE, SPARSE, output, recurrent, step_head
from kerascheck.rules._loss_activation import _loss
from kerascheck.rules.base import Context, Example, FixAvailability, Rule, layer_call
from kerascheck.shapes import format_shape

_ECG = (
    "import keras\nfrom keras import layers\n"
    "model = keras.Sequential([keras.Input(shape=(180, 1)), layers.Conv1D(16, 7, activation='relu'),\n"
    "    layers.MaxPooling1D(2), layers.Conv1D(32, 5, activation='relu'), {middle}\n"
    "    layers.Dense(1, activation='sigmoid')])\n"
    "model.compile(optimizer='adam', loss={loss!r})\n"
)


class ShortenedSequenceOutput(Rule):
    """
    ## What it does
    Finds a model over sequences whose head (`Dense` and other per-step layers) is applied to a
    sequence that `valid` convolutions, strides or pooling have shortened, with no Flatten or global
    pooling before it, and compiled with a standard loss: the model outputs one prediction per
    remaining step, `(None, 41, 1)` for a 180-step input, where one per sample was meant.

    A real sequence tagger keeps its steps in line with its input (`padding="same"` or `"causal"`,
    recurrent layers with `return_sequences=True`, `TimeDistributed`), so the rule needs this
    evidence before it reports: the output is a sequence shorter than the input, made by 1-D
    convolutions or pooling, with no recurrent layer returning sequences, and the labels' shape, when
    the file shows it, does not already match the output.

    ## Why is this bad?
    With labels of one value per sample, the loss either raises inside `fit` or broadcasts the
    labels over the steps and trains on nonsense; per-step labels cannot line up with steps that no
    longer correspond to the input's.

    ## Example
    ```python
    model = keras.Sequential([keras.Input(shape=(180, 1)), layers.Conv1D(16, 7), layers.MaxPooling1D(2),
                              layers.Dense(1, activation="sigmoid")])
    ```

    ## Use instead
    `layers.GlobalAveragePooling1D()` or `layers.Flatten()` before the head.

    ## Fix safety
    No automatic fix: Flatten and global pooling give models of different sizes.
    """

    CODE = "KC203"
    NAME = "shortened-sequence-output"
    SEVERITY = Severity.WARNING
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            _ECG.format(middle="", loss="binary_crossentropy"),
            expect=((5, "`Dense(1)` gives one prediction per step of a sequence that 1-D convolutions and pooling "
                        "shortened from 180 to 83 steps: the model outputs (None, 83, 1)"),),
        ),
        Example(
            "import keras\n"
            "model = keras.Sequential([keras.Input(shape=(24, 4)), keras.layers.Conv1D(32, 3, activation='relu'),\n"
            "    keras.layers.Conv1D(32, 3, activation='relu'), keras.layers.Dense(16, activation='relu'),\n"
            "    keras.layers.Dense(1)])\n"
            "model.compile(optimizer='adam', loss='mse')\n",
            expect=((3, "shortened from 24 to 20 steps"),),
        ),
    ]
    VALID = [
        Example(_ECG.format(middle="layers.GlobalAveragePooling1D(),", loss="binary_crossentropy")),
        Example(_ECG.format(middle="layers.Flatten(),", loss="binary_crossentropy")),
        # A tagger that keeps its steps: `same` padding and no pooling.
        Example(
            "import keras\n"
            "model = keras.Sequential([keras.Input(shape=(100, 8)), keras.layers.Conv1D(16, 5, padding='same'),\n"
            "    keras.layers.Dense(1, activation='sigmoid')])\n"
            "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
        ),
        # Frame outputs for a CTC loss (a custom loss): shorter sequences are the design.
        Example(
            "import keras\n"
            "model = keras.Sequential([keras.Input(shape=(200, 40)), keras.layers.Conv1D(64, 3, strides=2),\n"
            "    keras.layers.Dense(30, activation='softmax')])\n"
            "model.compile(optimizer='adam', loss=ctc_loss)\n"
        ),
        # Recurrent layers returning sequences: a sequence-to-sequence model.
        Example(
            "import keras\n"
            "model = keras.Sequential([keras.Input(shape=(100, 8)), keras.layers.Conv1D(16, 5, strides=2),\n"
            "    keras.layers.GRU(32, return_sequences=True), keras.layers.Dense(1)])\n"
            "model.compile(optimizer='adam', loss='mse')\n"
        ),
        # Labels of the output's shape: the author meant a shorter sequence.
        Example(
            "import numpy as np\nimport keras\n"
            "x, y = np.zeros((50, 24, 4)), np.zeros((50, 22, 1))\n"
            "model = keras.Sequential([keras.Input(shape=(24, 4)), keras.layers.Conv1D(8, 3), keras.layers.Dense(1)])\n"
            "model.compile(optimizer='adam', loss='mse')\n"
            "model.fit(x, y)\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        loss, out = _loss(model), output(model)
        if loss is None or out is None or loss.name not in SAME_SHAPE | ELEMENTWISE | SPARSE:
            return
        last, shape = out
        inputs = _model_input(model)
        if inputs is None or len(shape) != 3 or len(inputs) != 3:
            return
        steps_in, steps_out = inputs[1], shape[1]
        if not (isinstance(steps_in, int) and isinstance(steps_out, int) and steps_out < steps_in):
            return
        if any(use.y is not None and len(use.y) == 3 for use in model.data):
            return  # per-step labels: the sequence output is meant (KC312/KC313 compare the sizes)
        head = step_head(last)
        if head is None or not _shortened_by_1d_layers(head, model):
            return
        yield ctx.report(
            self, head,
            f"`{layer_call(head)}` gives one prediction per step of a sequence that 1-D convolutions and pooling "
            f"shortened from {steps_in} to {steps_out} steps: the model outputs {format_shape(shape)}, not one "
            "prediction per sample; put `GlobalAveragePooling1D()` or `Flatten()` before the head",
        )


def _model_input(model: Model) -> tuple[object, ...] | None:
    if model.api == "sequential":
        return model.input_shape if isinstance(model.input_shape, tuple) else None
    if model.api == "functional" and len(model.inputs) == 1 and isinstance(model.inputs[0].shape, tuple):
        return model.inputs[0].shape
    return None


def _shortened_by_1d_layers(head: Layer, model: Model) -> bool:
    """Whether the sequence reaching the head was made by 1-D convolutions and pooling only (from the
    input, through per-step layers), and no recurrent layer returns sequences on the way."""
    layer = head.inbound[0] if len(head.inbound) == 1 else None
    seen = 0
    found = False
    while layer is not None and seen < 1000:
        seen += 1
        if layer.type == "InputLayer" or layer.is_input:
            break
        spec = layer.spec
        if spec is None or recurrent(layer) or layer.type == "TimeDistributed":
            return False
        if spec.rank == 1 and not spec.global_pooling:
            found = True
        elif not spec.per_position:
            return False
        layer = layer.inbound[0] if len(layer.inbound) == 1 else None
    return found
