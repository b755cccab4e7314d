"""InvalidLayerArguments: the `invalid-layer-arguments` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class InvalidLayerArguments(Rule):
    """
    ## What it does
    Finds layer arguments that Keras's constructor rejects, such as `strides` greater than 1
    together with `dilation_rate` greater than 1, or `filters` that `groups` does not divide.

    ## Why is this bad?
    Keras raises a `ValueError` the moment the layer is created.

    ## Example
    ```python
    layers.Conv2D(32, 3, strides=2, dilation_rate=2)
    ```

    ## Use instead
    Use either strides or dilation.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC106"
    NAME = "invalid-layer-arguments"
    SEVERITY = Severity.ERROR
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(32, 32, 3)),\n"
            "                          layers.Conv2D(32, 3, strides=2, dilation_rate=2)])\n",
            expect=((4, "cannot combine strides (2, 2) with dilation_rate (2, 2)"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(32, 3, strides=2)])\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for layer in model.layers:
            error = layer.construction_error
            if error is not None and layer.certain and layer.type != "InputLayer":  # an Input's is KC501's
                yield ctx.report(self, layer, error.message)
        for layer in model.layers:
            error = layer.error
            if error is not None and layer.certain and error.kind == "argument":
                yield ctx.report(self, layer, error.message)
