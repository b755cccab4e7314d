"""LayerUsedTwice: the `layer-used-twice` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Layer, Model
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class LayerUsedTwice(Rule):
    """
    ## What it does
    Finds the same layer object added twice to a Sequential model, or two layers given the same
    `name` in one model.

    ## Why is this bad?
    Keras raises `All layers added to a Sequential model should have unique names` (and a
    functional model with two layers of one name fails to save). A layer object reused in a
    stack is usually a copy-paste slip: the author meant a second, separate layer.

    ## Example
    ```python
    hidden = layers.Dense(64, activation="relu")
    model = keras.Sequential([keras.Input(shape=(10,)), hidden, hidden])
    ```

    ## Use instead
    Create each layer where it is used: `layers.Dense(64, activation="relu")` twice.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC602"
    NAME = "layer-used-twice"
    SEVERITY = Severity.ERROR
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "hidden = layers.Dense(64, activation='relu')\n"
            "model = keras.Sequential([keras.Input(shape=(64,)), hidden, hidden])\n",
            expect=((3, "`Dense` named 'dense' appears twice in `model`"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(64,)), layers.Dense(64), layers.Dense(64)])\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        if model.uncertain:
            return
        seen: dict[str, Layer] = {}
        for layer in model.layers:
            first = seen.get(layer.name)
            if first is None:
                seen[layer.name] = layer
                continue
            where = f"`{model.name}`" if model.name else "this model"
            yield ctx.report(self, first, f"`{layer.type}` named {layer.name!r} appears twice in {where}")
