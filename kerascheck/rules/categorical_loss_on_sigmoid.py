"""CategoricalLossOnSigmoid: the `categorical-loss-on-sigmoid` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._loss_activation import CATEGORICAL, _example, _replace_activation, output_losses
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class CategoricalLossOnSigmoid(Rule):
    """
    ## What it does
    Finds `categorical_crossentropy` (or its sparse form) on a sigmoid output over two or more units.

    ## Why is this bad?
    Sigmoid units are independent (multi-label), while categorical cross-entropy expects a
    probability distribution over exclusive classes. One of the two is wrong: softmax for one
    class per sample, or binary cross-entropy for several labels per sample.

    ## Example
    ```python
    model.add(layers.Dense(10, activation="sigmoid"))
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    ```

    ## Use instead
    `activation="softmax"` for exclusive classes.

    ## Fix safety
    Unsafe: changing the activation to softmax changes what the model computes.
    """

    CODE = "KC304"
    NAME = "categorical-loss-on-sigmoid"
    SEVERITY = Severity.WARNING
    FIX = FixAvailability.UNSAFE
    INVALID = [
        Example(
            _example("layers.Dense(10, activation='sigmoid')", "loss='categorical_crossentropy'"),
            expect=((2, "`categorical_crossentropy` expects a softmax output"),),
            fixed=_example("layers.Dense(10, activation='softmax')", "loss='categorical_crossentropy'"),
        ),
    ]
    VALID = [
        Example(_example("layers.Dense(10, activation='softmax')", "loss='categorical_crossentropy'")),
        Example(_example("layers.Dense(10, activation='sigmoid')", "loss='binary_crossentropy'")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for out, loss in output_losses(model):
            if loss.name not in CATEGORICAL or loss.from_logits:
                continue
            if out.activation == "sigmoid" and out.units >= 2:
                yield ctx.report(
                    self, out.layer,
                    f"`{loss.name}` expects a softmax output, but this layer applies sigmoid to {out.units} "
                    "independent units",
                    fix=_replace_activation(out, "softmax"),
                )
