"""SoftmaxOnSingleUnit: the `softmax-on-single-unit` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._loss_activation import _example, _replace_activation
from kerascheck.rules._outputs import model_output
from kerascheck.rules.base import Context, Example, FixAvailability, Rule, layer_call


class SoftmaxOnSingleUnit(Rule):
    """
    ## What it does
    Finds a model whose output is a softmax over a single unit, such as `Dense(1, activation="softmax")`.

    ## Why is this bad?
    Softmax normalises over the last axis, so over one unit it always outputs exactly 1.0: the
    prediction never depends on the input and the model cannot learn. For a yes/no output use
    `sigmoid` with one unit; for several classes use as many units as classes.

    ## Example
    ```python
    model.add(layers.Dense(1, activation="softmax"))
    ```

    ## Use instead
    ```python
    model.add(layers.Dense(1, activation="sigmoid"))
    ```

    ## Fix safety
    Unsafe: changing the activation changes what the model computes.
    """

    CODE = "KC301"
    NAME = "softmax-on-single-unit"
    SEVERITY = Severity.ERROR
    FIX = FixAvailability.UNSAFE
    INVALID = [
        Example(
            _example("layers.Dense(1, activation='softmax')", "loss='binary_crossentropy'"),
            expect=((2, "`Dense(1)` ends the model with a softmax over 1 unit, which always outputs 1.0"),),
            fixed=_example("layers.Dense(1, activation='sigmoid')", "loss='binary_crossentropy'"),
        ),
    ]
    VALID = [
        Example(_example("layers.Dense(1, activation='sigmoid')", "loss='binary_crossentropy'")),
        Example(_example("layers.Dense(3, activation='softmax')")),
        Example(_example("layers.Dense(n, activation='softmax')")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        out = model_output(model)
        if out is None or out.activation != "softmax" or out.units != 1:
            return
        yield ctx.report(
            self, out.layer,
            f"`{layer_call(out.layer)}` ends the model with a softmax over 1 unit, which always outputs 1.0 "
            "whatever the input",
            fix=_replace_activation(out, "sigmoid"),
        )
