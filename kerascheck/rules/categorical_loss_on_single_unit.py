"""CategoricalLossOnSingleUnit: the `categorical-loss-on-single-unit` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._loss_activation import CATEGORICAL, _example, output_losses
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class CategoricalLossOnSingleUnit(Rule):
    """
    ## What it does
    Finds `categorical_crossentropy` or `sparse_categorical_crossentropy` on a model whose
    output has a single unit.

    ## Why is this bad?
    With one unit there is only one class: categorical cross-entropy normalises the single
    prediction to 1.0 and the loss is constant, so nothing is learned (sparse labels other than 0
    fail outright). A binary problem wants one sigmoid unit with `binary_crossentropy`.

    ## Example
    ```python
    model.add(layers.Dense(1, activation="sigmoid"))
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    ```

    ## Use instead
    ```python
    model.compile(loss="binary_crossentropy", optimizer="adam")
    ```

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC303"
    NAME = "categorical-loss-on-single-unit"
    SEVERITY = Severity.ERROR
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            _example("layers.Dense(1, activation='sigmoid')", "loss='categorical_crossentropy'"),
            expect=((3, "`categorical_crossentropy` on an output with a single unit"),),
        ),
    ]
    VALID = [
        Example(_example("layers.Dense(1, activation='sigmoid')", "loss='binary_crossentropy'")),
        Example(_example("layers.Dense(4, activation='softmax')", "loss='sparse_categorical_crossentropy'")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for out, loss in output_losses(model):
            if loss.name not in CATEGORICAL or out.units != 1:
                continue
            yield ctx.report(
                self, loss.span or model.compile.span,  # type: ignore[union-attr]
                f"`{loss.name}` on an output with a single unit: the loss is constant and nothing is learned",
            )
