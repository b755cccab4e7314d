"""BinaryLossOnSoftmax: the `binary-loss-on-softmax` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._loss_activation import _TWO_OUTPUTS, BINARY, _example, output_losses
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class BinaryLossOnSoftmax(Rule):
    """
    ## What it does
    Finds `binary_crossentropy` used with a softmax output over two or more units.

    With one output per loss, a loss list is matched to the outputs by position and a loss dict
    by output layer name; a single loss applies to every output, as in Keras. Over two units it is
    a yes/no task written as a two-class softmax, and the output layer is reported; over more, the
    loss.

    ## Why is this bad?
    Binary cross-entropy treats every unit as its own yes/no question, while softmax makes the
    units compete. Keras trains such a model without complaint, but the loss and the reported
    accuracy do not measure what a multi-class model needs; it is a classic source of
    too-good-to-be-true accuracy.

    ## Example
    ```python
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    ```

    ## Use instead
    `categorical_crossentropy` (one-hot labels) or `sparse_categorical_crossentropy` (integer labels).

    ## Fix safety
    No automatic fix: the right loss depends on how the labels are encoded.
    """

    CODE = "KC302"
    NAME = "binary-loss-on-softmax"
    SEVERITY = Severity.WARNING
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            _TWO_OUTPUTS
            + "model.compile(optimizer='adam', loss=['binary_crossentropy', 'mse'])\n",
            expect=((8, "`binary_crossentropy` on a softmax output over 5 units"),),
        ),
        Example(
            _example("layers.Dense(10, activation='softmax')", "loss='binary_crossentropy'"),
            expect=((3, "`binary_crossentropy` on a softmax output over 10 units"),),
        ),
        Example(
            _example("layers.Dense(2, activation='softmax')", "loss='binary_crossentropy'"),
            expect=((2, "for one yes/no label per sample end in `Dense(1, activation=\"sigmoid\")`"),),
        ),
    ]
    VALID = [
        Example(
            _TWO_OUTPUTS
            + "model.compile(optimizer='adam', loss=['categorical_crossentropy', 'mse'])\n",
        ),
        Example(_example("layers.Dense(10, activation='softmax')", "loss='categorical_crossentropy'")),
        Example(_example("layers.Dense(1, activation='sigmoid')", "loss='binary_crossentropy'")),
        Example(_example("layers.Dense(10, activation='sigmoid')", "loss='binary_crossentropy'")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for out, loss in output_losses(model):
            if loss.name not in BINARY:
                continue
            if out.activation == "softmax" and out.units == 2:
                # A yes/no task written as a two-unit softmax: the output layer is what to change.
                yield ctx.report(
                    self, out.site.span if out.site is not None else out.layer,
                    f"`{loss.name}` on a softmax output over 2 units: for one yes/no label per sample end in "
                    "`Dense(1, activation=\"sigmoid\")` (or keep the softmax with `categorical_crossentropy` "
                    "and one-hot labels)",
                )
                continue
            if out.activation == "softmax" and out.units >= 2:
                yield ctx.report(
                    self, loss.span or model.compile.span,  # type: ignore[union-attr]
                    f"`{loss.name}` on a softmax output over {out.units} units: the units compete, "
                    "but the loss scores each one as an independent yes/no",
                )
