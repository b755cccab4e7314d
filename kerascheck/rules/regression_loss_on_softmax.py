"""RegressionLossOnSoftmax: the `regression-loss-on-softmax` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._loss_activation import REGRESSION, _example, output_losses
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class RegressionLossOnSoftmax(Rule):
    """
    ## What it does
    Finds a regression loss (mean squared or absolute error, Huber, ...) on a softmax output.

    ## Why is this bad?
    Softmax outputs are class probabilities that sum to 1; a regression loss on them trains far
    worse than cross-entropy for classification, and cannot fit regression targets at all.

    ## Example
    ```python
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(loss="mse")
    ```

    ## Use instead
    `categorical_crossentropy` for classes, or a linear output for regression.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC307"
    NAME = "regression-loss-on-softmax"
    SEVERITY = Severity.WARNING
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            _example("layers.Dense(10, activation='softmax')", "loss='mse'"),
            expect=((3, "`mean_squared_error` on a softmax output"),),
        ),
    ]
    VALID = [
        Example(_example("layers.Dense(1)", "loss='mse'")),
        Example(_example("layers.Dense(10, activation='softmax')", "loss='categorical_crossentropy'")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for out, loss in output_losses(model):
            if loss.name not in REGRESSION:
                continue
            if out.activation == "softmax" and out.units >= 2:
                yield ctx.report(
                    self, loss.span or model.compile.span,  # type: ignore[union-attr]
                    f"`{loss.name}` on a softmax output: a regression loss on class probabilities",
                )
