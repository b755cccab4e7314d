"""FlattenAfterGlobalPooling: the `flatten-after-global-pooling` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._hygiene import _remove_statement
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class FlattenAfterGlobalPooling(Rule):
    """
    ## What it does
    Finds a `Flatten` right after a global pooling layer.

    ## Why is this bad?
    Global pooling already gives one vector per sample, (None, channels); the `Flatten` does
    nothing but suggests the author expected a feature map there.

    ## Example
    ```python
    model.add(layers.GlobalAveragePooling2D())
    model.add(layers.Flatten())
    ```

    ## Use instead
    ```python
    model.add(layers.GlobalAveragePooling2D())
    ```

    ## Fix safety
    Safe: removing a `Flatten` of a (None, n) tensor changes no shape and no weight.
    """

    CODE = "KC202"
    NAME = "flatten-after-global-pooling"
    SEVERITY = Severity.INFO
    FIX = FixAvailability.SOMETIMES
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential()\n"
            "model.add(keras.Input(shape=(8, 8, 3)))\n"
            "model.add(layers.GlobalAveragePooling2D())\n"
            "model.add(layers.Flatten())\n"
            "model.add(layers.Dense(2))\n",
            expect=((6, "`Flatten` after `GlobalAveragePooling2D` does nothing"),),
            fixed=(
                "import keras\nfrom keras import layers\n"
                "model = keras.Sequential()\n"
                "model.add(keras.Input(shape=(8, 8, 3)))\n"
                "model.add(layers.GlobalAveragePooling2D())\n"
                "model.add(layers.Dense(2))\n"
            ),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(8, 8, 3)), layers.GlobalAveragePooling2D(keepdims=True),"
            " layers.Flatten()])\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for layer in model.layers:
            if layer.type != "Flatten" or len(layer.inbound) != 1 or not layer.certain:
                continue
            parent = layer.inbound[0]
            shape = layer.input_shape
            if parent.spec is not None and parent.spec.global_pooling and isinstance(shape, tuple) and len(shape) == 2:
                yield ctx.report(self, layer, f"`Flatten` after `{parent.type}` does nothing: its input "
                                 f"is already one vector per sample", fix=_remove_statement(layer))
