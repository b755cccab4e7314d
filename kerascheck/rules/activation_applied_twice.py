"""SquashedTwice: the `activation-applied-twice` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._loss_activation import PROBABILITIES, _example
from kerascheck.rules._outputs import activation_before, model_output
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class SquashedTwice(Rule):
    """
    ## What it does
    Finds an output softmax or sigmoid applied to values that already went through a softmax or
    sigmoid: `Dense(10, activation="softmax")` followed by `Activation("softmax")`. It needs an
    activation-only layer (`Activation`, `Softmax`) at the output, with nothing but value-preserving
    layers (`Dropout`, ...) between it and the earlier activation: a weighted layer between them
    (`Dense(16, activation="sigmoid")` then `Dense(1, activation="sigmoid")`) is an ordinary network.

    ## Why is this bad?
    The second softmax flattens the probabilities the first one made (its inputs all lie in
    [0, 1], so its outputs are all close to uniform): predictions lose their confidence and the
    gradients that train the model shrink. It is a common slip when an `Activation` layer is kept
    after the activation moved into the `Dense` layer.

    ## Example
    ```python
    model.add(layers.Dense(20, activation="softmax"))
    model.add(layers.Activation("softmax"))
    ```

    ## Use instead
    ```python
    model.add(layers.Dense(20, activation="softmax"))
    ```

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC309"
    NAME = "activation-applied-twice"
    SEVERITY = Severity.WARNING
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            _example("layers.Dense(10, activation='softmax'), layers.Activation('softmax')"),
            expect=((2, "softmax is applied to the output of a softmax"),),
        ),
        Example(
            _example("layers.Dense(1, activation='sigmoid'), layers.Dropout(0.2), layers.Activation('sigmoid')"),
            expect=((2, "sigmoid is applied to the output of a sigmoid"),),
        ),
    ]
    VALID = [
        Example(_example("layers.Dense(10), layers.Activation('softmax')")),
        Example(_example("layers.Dense(10, activation='softmax')")),
        Example(_example("layers.Dense(10, activation='relu'), layers.Softmax()")),
        # A weighted layer between the two activations: an ordinary network, not a double squash.
        Example(_example("layers.Dense(16, activation='sigmoid'), layers.Dense(1, activation='sigmoid')")),
        Example(_example("layers.Dense(64, activation='softmax'), layers.Dense(10, activation='softmax')")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        out = model_output(model)
        if out is None or out.activation not in PROBABILITIES:
            return
        spec = out.layer.spec
        if out.layer.type != "Activation" and (spec is None or spec.activation_name is None):
            return  # a weighted layer's own activation follows its weights, not the earlier activation
        before = activation_before(out.layer)
        if before is not None and before[1] in PROBABILITIES:
            yield ctx.report(
                self, out.layer,
                f"{out.activation} is applied to the output of a {before[1]} (`{before[0].name}`): the values are "
                "squashed twice, so the probabilities flatten towards uniform",
            )
