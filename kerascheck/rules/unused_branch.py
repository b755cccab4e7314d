"""UnusedBranch: the `unused-branch` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._hygiene import _depends_only_on, _feeds_anything
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class UnusedBranch(Rule):
    """
    ## What it does
    Finds a layer applied to a functional model's tensors whose result never reaches the model's
    outputs, such as a skip connection computed but never added back. A block written once and run
    in a loop, whose last run's output goes unused while the earlier runs' outputs are used (the
    residual output of a WaveNet or TCN stack that sums its skip outputs instead), is not reported.

    ## Why is this bad?
    Keras silently leaves the layer out of the model: its weights are never trained and the
    architecture is not the one written.

    ## Example
    ```python
    x = layers.Dense(64)(inputs)
    shortcut = layers.Dense(64)(inputs)
    outputs = layers.Dense(1)(x)   # shortcut is never used
    ```

    ## Use instead
    `outputs = layers.Dense(1)(layers.Add()([x, shortcut]))`

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC603"
    NAME = "unused-branch"
    SEVERITY = Severity.WARNING
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(16,))\n"
            "x = layers.Dense(64)(inputs)\n"
            "shortcut = layers.Dense(64)(inputs)\n"
            "outputs = layers.Dense(1)(x)\n"
            "model = keras.Model(inputs, outputs)\n",
            expect=((5, "never reaches the outputs of `model`"),),
        ),
    ]
    VALID = [
        Example(
            # a model shared with a subclassed model, whose call (run when `fit` builds it) concatenates two of
            # its outputs: that Concatenate belongs to the subclassed model, not to `clusters`
            "import keras\nimport numpy as np\nfrom keras import layers\n"
            "scale = keras.Sequential([layers.Dense(8)])\n"
            "class Views(keras.Model):\n"
            "    def __init__(self):\n        super().__init__()\n"
            "        self.encoder = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(4)])\n"
            "    def call(self, x):\n        return self.encoder(layers.Concatenate(axis=0)([scale(x), scale(x)]))\n"
            "inputs = keras.Input(shape=(8,))\n"
            "clusters = keras.Model(inputs, layers.Dense(3)(scale(inputs)))\n"
            "views = Views()\nviews.compile(optimizer='adam', loss='mse')\n"
            "views.fit(np.zeros((16, 8)), np.zeros((32, 4)), batch_size=16, epochs=1)\n"
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(16,))\n"
            "x = layers.Dense(64)(inputs)\n"
            "shortcut = layers.Dense(64)(inputs)\n"
            "outputs = layers.Dense(1)(layers.Add()([x, shortcut]))\n"
            "model = keras.Model(inputs, outputs)\n"
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(16,))\n"
            "features = layers.Dense(64)(inputs)\n"
            "head = layers.Dense(1)(features)\n"
            "model = keras.Model(inputs, head)\n"
            "extractor = keras.Model(inputs, features)\n"
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(100, 8))\n"
            "x, skips = inputs, []\n"
            "for rate in (1, 2, 4):\n"
            "    skip = layers.Conv1D(8, 3, dilation_rate=rate, padding='causal')(x)\n"
            "    skips.append(skip)\n"
            "    x = layers.Activation('relu')(layers.add([x, skip]))\n"
            "model = keras.Model(inputs, layers.add(skips))\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        if model.api != "functional" or model.uncertain:
            return
        if any(not layer.inbound and not layer.is_input for layer in model.layers):
            return  # the graph has a hole (an input kerascheck could not follow): nothing is sure to be unused
        inside = {id(layer) for layer in model.layers}
        inputs = {id(layer) for layer in model.layers if layer.is_input}
        used_elsewhere = {id(layer) for m in ctx.models if m is not model for layer in m.layers}
        for layer in ctx.layers:
            if id(layer) in inside or id(layer) in used_elsewhere or not layer.inbound or not layer.certain:
                continue
            if getattr(layer, "applied_uncertain", False):
                continue  # applied under a condition or in a loop kerascheck could not follow
            if getattr(layer, "internal", False):
                continue  # applied inside a custom layer's `call`: part of that layer, not of the graph
            if any(other.span == layer.span for other in model.layers):
                continue  # the last run of a block whose earlier runs reach the outputs (a WaveNet/TCN stack)
            if _depends_only_on(layer, inputs, inside) and not _feeds_anything(layer, ctx.layers):
                where = f"`{model.name}`" if model.name else "the model"
                yield ctx.report(self, layer, f"the output of `{layer.type}` ({layer.name}) never reaches the "
                                 f"outputs of {where}: Keras leaves it out")
