"""FromLogitsOnProbabilities: the `from-logits-on-probabilities` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._loss_activation import _TWO_OUTPUTS, PROBABILITIES, _example, output_losses
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class FromLogitsOnProbabilities(Rule):
    """
    ## What it does
    Finds a loss created with `from_logits=True` on a model whose output already applies softmax
    or sigmoid.

    With one output per loss, a loss list is matched to the outputs by position and a loss dict
    by output layer name; a single loss applies to every output, as in Keras.

    ## Why is this bad?
    `from_logits=True` tells the loss to apply softmax (or sigmoid) itself, so the activation is
    applied twice: gradients shrink and training stalls, silently.

    ## Example
    ```python
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    ```

    ## Use instead
    Drop the activation (`Dense(10)`) or drop `from_logits=True`.

    ## Fix safety
    No automatic fix: either change is valid.
    """

    CODE = "KC305"
    NAME = "from-logits-on-probabilities"
    SEVERITY = Severity.WARNING
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            _TWO_OUTPUTS
            + "model.compile(optimizer='adam', loss={'reg': 'mse', 'cls': keras.losses.CategoricalCrossentropy(from_logits=True)})\n",
            expect=((8, "is given `from_logits=True` but the output already applies softmax"),),
        ),
        Example(
            "import keras\n" + _example(
                "layers.Dense(10, activation='softmax')",
                "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
            ),
            expect=((4, "`from_logits=True` but the output already applies softmax"),),
        ),
    ]
    VALID = [
        Example(
            _TWO_OUTPUTS
            + "model.compile(optimizer='adam', loss={'reg': 'mse', 'cls': keras.losses.CategoricalCrossentropy()})\n",
        ),
        Example(
            "import keras\n" + _example(
                "layers.Dense(10)", "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)"
            )
        ),
        Example(
            "import keras\n" + _example(
                "layers.Dense(10, activation='softmax')", "loss=keras.losses.SparseCategoricalCrossentropy()"
            )
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for out, loss in output_losses(model):
            if loss.from_logits is not True:
                continue
            if out.activation in PROBABILITIES:
                yield ctx.report(
                    self, loss.span or model.compile.span,  # type: ignore[union-attr]
                    f"`{loss.name}` is given `from_logits=True` but the output already applies {out.activation}: "
                    "it is applied twice",
                )
