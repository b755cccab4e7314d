"""RegressionLossOnSoftmax: the `regression-loss-on-softmax` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._loss_activation import REGRESSION, _example, output_losses, regression_metrics
from kerascheck.rules.base import Context, Example, FixAvailability, Rule, layer_call


class RegressionLossOnSoftmax(Rule):
    """
    ## What it does
    Finds a regression loss (mean squared or absolute error, Huber, ...) on a softmax output. It
    is reported at the loss, unless the model's metrics are regression metrics only
    (`metrics=["mae"]`): then the task is a regression and the softmax is reported.

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
        Example(
            _example("layers.Dense(3, activation='softmax')", "loss='mse', metrics=['mae']"),
            expect=((2, "`Dense(3)` ends in a softmax, but the model is trained as a regression"),),
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
                if regression_metrics(model):
                    # Compiled as a regression throughout (its metrics too): the softmax is what is wrong.
                    yield ctx.report(
                        self, out.site.span if out.site is not None else out.layer,
                        f"`{layer_call(out.layer)}` ends in a softmax, but the model is trained as a regression "
                        f"(`{loss.name}`, regression metrics): its outputs are forced to sum to 1 and cannot fit "
                        "the targets; use a linear output",
                    )
                    continue
                yield ctx.report(
                    self, loss.span or model.compile.span,  # type: ignore[union-attr]
                    f"`{loss.name}` on a softmax output: a regression loss on class probabilities",
                )
