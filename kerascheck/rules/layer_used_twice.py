"""LayerUsedTwice: the `layer-used-twice` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Layer, Model
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class LayerUsedTwice(Rule):
    """
    ## What it does
    Finds two different layers given the same `name` in one Sequential or functional model.

    ## Why is this bad?
    Keras raises `All layers added to a Sequential model should have unique names`, and for a
    functional model `The name "x" is used 2 times in the model`. One layer object used twice
    (a shared layer, or the same `BatchNormalization()` appended in a loop) is not reported:
    Keras accepts it and shares its weights. Nor are subclassed models: Keras does not check
    their layers' names.

    ## Example
    ```python
    model = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(64, name="hidden"),
                              layers.Dense(64, name="hidden")])
    ```

    ## Use instead
    Give each layer its own name, or leave `name=` out and let Keras number them.

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
            "model = keras.Sequential([keras.Input(shape=(64,)), layers.Dense(64, name='hidden'),\n"
            "                          layers.Dense(64, name='hidden')])\n",
            expect=((3, "`Dense` named 'hidden' appears twice in `model`"),),
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(8,))\n"
            "x = layers.Dense(8, name='block')(inputs)\n"
            "outputs = layers.Dense(2, name='block')(x)\n"
            "model = keras.Model(inputs, outputs)\n",
            expect=((4, "`Dense` named 'block' appears twice in `model`"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(64,)), layers.Dense(64), layers.Dense(64)])\n"
        ),
        # One layer object twice in a stack: Keras accepts it and shares the weights.
        Example(
            "import keras\nfrom keras import layers\n"
            "hidden = layers.Dense(64, activation='relu')\n"
            "model = keras.Sequential([keras.Input(shape=(64,)), hidden, hidden])\n"
        ),
        # Two same-named models held by a subclassed model: Keras checks no names there.
        Example(
            "import keras\nfrom keras import layers\n"
            "def encoder():\n"
            "    i = keras.Input((4,))\n"
            "    return keras.Model(i, layers.Dense(2)(i), name='enc')\n"
            "class Pair(keras.Model):\n"
            "    def __init__(self):\n"
            "        super().__init__()\n"
            "        self.a = encoder()\n"
            "        self.b = encoder()\n"
            "    def call(self, x):\n"
            "        return self.a(x) + self.b(x)\n"
            "model = Pair()\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        if model.uncertain or model.api == "subclass":
            return
        seen: dict[str, Layer] = {}
        for layer in model.layers:
            first = seen.get(layer.name)
            if first is None:
                seen[layer.name] = layer
                continue
            if first is layer:
                continue  # one layer object used twice: shared weights, which Keras accepts
            where = f"`{model.name}`" if model.name else "this model"
            yield ctx.report(self, first, f"`{layer.type}` named {layer.name!r} appears twice in {where}")
