"""KC601: a Sequential model whose input shape is never given."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class MissingInputShape(Rule):
    """
    ## What it does
    Finds a `Sequential` model that never states its input shape: no `keras.Input(...)` first,
    no `input_shape=` on its first layer, and no `model.build(...)`.

    ## Why is this bad?
    Keras cannot build such a model until it first sees data, so `model.summary()` fails and
    no shape can be checked, by Keras or by kerascheck, before training starts.

    ## Example
    ```python
    model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(10)])
    ```

    ## Use instead
    ```python
    model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(64, activation="relu"), layers.Dense(10)])
    ```

    ## Fix safety
    No automatic fix: only the author knows the input shape.
    """

    CODE = "KC601"
    NAME = "missing-input-shape"
    SEVERITY = Severity.INFO
    FIX = FixAvailability.NONE
    DEFAULT = False  # opt-in: `--extend-select learn`
    INVALID = [
        Example(
            "import keras\nmodel = keras.Sequential([keras.layers.Dense(64), keras.layers.Dense(10)])\n",
            expect=((2, "no input shape"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\n"
            "model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(64), keras.layers.Dense(10)])\n"
        ),
        Example(
            "import keras\nmodel = keras.Sequential([keras.layers.Dense(64), keras.layers.Dense(10)])\n"
            "model.build((None, 784))\n"
        ),
        Example("import keras\nmodel = keras.Sequential()\n"),
        Example(
            "import keras\n"
            "class Block(keras.layers.Layer):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.ffn = keras.Sequential([keras.layers.Dense(32), keras.layers.Dense(8)])\n"
            "    def call(self, x):\n"
            "        return self.ffn(x)\n"
            "block = Block()\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        if model.api != "sequential" or model.input_declared or model.uncertain or not model.layers:
            return
        if getattr(model, "held_by_layer", False):
            return  # a custom layer's sub-model: Keras builds it when the layer is called
        name = f"`{model.name}`" if model.name else "This Sequential model"
        yield ctx.report(
            self,
            model,
            f"{name} has no input shape, so its shapes and parameter counts are unknown until it sees data",
        )
