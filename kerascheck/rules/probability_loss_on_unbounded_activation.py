"""ProbabilityLossOnOtherActivation: the `probability-loss-on-unbounded-activation` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._loss_activation import BINARY, CATEGORICAL, UNBOUNDED, _example, output_losses
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class ProbabilityLossOnOtherActivation(Rule):
    """
    ## What it does
    Finds a cross-entropy loss that expects probabilities (no `from_logits=True`) on an output
    layer with an activation such as `relu` or `tanh`, which gives neither probabilities nor logits.

    ## Why is this bad?
    Cross-entropy reads the outputs as probabilities. A relu output is not one: it is zero for
    every negative score (so those classes get probability 0, and their gradient dies) and
    unbounded above; tanh goes negative. Keras clips the values and trains on nonsense, often
    reaching chance accuracy.

    ## Example
    ```python
    model.add(layers.Dense(3, activation="relu"))
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    ```

    ## Use instead
    `activation="softmax"` (one class per sample) or `"sigmoid"` (independent labels) on the
    output layer.

    ## Fix safety
    No automatic fix: which of softmax and sigmoid is right depends on the labels.
    """

    CODE = "KC310"
    NAME = "probability-loss-on-unbounded-activation"
    SEVERITY = Severity.WARNING
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            _example("layers.Dense(3, activation='relu')", "loss='categorical_crossentropy'"),
            expect=((2, "`categorical_crossentropy` expects probabilities, but this layer's relu"),),
        ),
        Example(
            _example("layers.Dense(1, activation='tanh')", "loss='binary_crossentropy'"),
            expect=((2, "`binary_crossentropy` expects probabilities, but this layer's tanh"),),
        ),
    ]
    VALID = [
        Example(_example("layers.Dense(3, activation='softmax')", "loss='categorical_crossentropy'")),
        Example(_example("layers.Dense(1, activation='relu')", "loss='mse'")),
        Example(
            "import keras\n"
            + _example("layers.Dense(3, activation='relu')", "loss=keras.losses.CategoricalCrossentropy(from_logits=True)")
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for out, loss in output_losses(model):
            if loss.from_logits is not False:
                continue
            if loss.name in CATEGORICAL | BINARY and out.activation in UNBOUNDED:
                yield ctx.report(
                    self, out.layer,
                    f"`{loss.name}` expects probabilities, but this layer's {out.activation} gives values that are not "
                    "(use softmax for one class per sample, sigmoid for independent labels)",
                )
