"""ProbabilityLossOnLogits: the `probability-loss-on-logits` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._loss_activation import BINARY, CATEGORICAL, _example, output_losses
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class ProbabilityLossOnLogits(Rule):
    """
    ## What it does
    Finds a cross-entropy loss that expects probabilities (no `from_logits=True`) on a model whose
    output layer has no activation.

    ## Why is this bad?
    A linear output gives unbounded scores, but the loss reads them as probabilities: Keras
    clips them, training is unstable and can produce NaN.

    ## Example
    ```python
    model.add(layers.Dense(10))
    model.compile(loss="sparse_categorical_crossentropy")
    ```

    ## Use instead
    ```python
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    ```
    or `activation="softmax"` on the output layer.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC306"
    NAME = "probability-loss-on-logits"
    SEVERITY = Severity.WARNING
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            _example("layers.Dense(10)", "loss='sparse_categorical_crossentropy'"),
            expect=((3, "expects probabilities, but the output layer has no activation"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\n"
            + _example("layers.Dense(10)", "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)")
        ),
        Example(_example("layers.Dense(10, activation='softmax')", "loss='sparse_categorical_crossentropy'")),
        Example(_example("layers.Dense(1)", "loss='mse'")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for out, loss in output_losses(model):
            if loss.from_logits is not False:
                continue
            if loss.name in CATEGORICAL | BINARY and out.activation == "linear":
                yield ctx.report(
                    self, loss.span or model.compile.span,  # type: ignore[union-attr]
                    f"`{loss.name}` expects probabilities, but the output layer has no activation "
                    "(pass `from_logits=True` or add softmax/sigmoid)",
                )
