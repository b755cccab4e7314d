"""GraphDisconnected: the `graph-disconnected` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class GraphDisconnected(Rule):
    """
    ## What it does
    Finds a functional model whose outputs are computed from an `Input` that is not among the
    `inputs` it is given, such as a second input branch concatenated into the head while
    `keras.Model(inputs=image_in, outputs=out)` names only the first. It needs the whole graph:
    every layer between the outputs and the inputs is followed, and the model is made
    unconditionally.

    ## Why is this bad?
    Keras cannot compute the outputs from the inputs it was given and raises `ValueError: Graph
    disconnected: cannot find parent for KerasTensor ...` at the `Model(...)` line.

    ## Example
    ```python
    image_in = keras.Input(shape=(64, 64, 1))
    meta_in = keras.Input(shape=(4,))
    x = layers.concatenate([layers.Flatten()(image_in), meta_in])
    model = keras.Model(inputs=image_in, outputs=layers.Dense(1)(x))
    ```

    ## Use instead
    `keras.Model(inputs=[image_in, meta_in], outputs=...)`

    ## Fix safety
    No automatic fix: the order of the inputs is the order of the data given to `fit`.
    """

    CODE = "KC604"
    NAME = "graph-disconnected"
    SEVERITY = Severity.ERROR
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "image_in = keras.Input(shape=(8, 8, 1))\n"
            "meta_in = keras.Input(shape=(4,), name='meta')\n"
            "x = layers.concatenate([layers.Flatten()(image_in), meta_in])\n"
            "model = keras.Model(inputs=image_in, outputs=layers.Dense(1)(x))\n",
            expect=((6, "the outputs of `model` are computed from the Input `meta`"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "image_in = keras.Input(shape=(8, 8, 1))\n"
            "meta_in = keras.Input(shape=(4,), name='meta')\n"
            "x = layers.concatenate([layers.Flatten()(image_in), meta_in])\n"
            "model = keras.Model(inputs=[image_in, meta_in], outputs=layers.Dense(1)(x))\n"
            "features = layers.Dense(8)(x)\n"
            "head = keras.Model(inputs=x, outputs=layers.Dense(1)(features))\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        if model.api != "functional" or model.uncertain or model.incomplete or not model.inputs:
            return
        declared = {id(t.layer) for t in model.inputs}
        for layer in model.layers:
            if layer.is_input and id(layer) not in declared and layer.certain:
                where = f"`{model.name}`" if model.name else "the model"
                yield ctx.report(
                    self, model.span,
                    f"the outputs of {where} are computed from the Input `{layer.name}` (line {layer.span.line}), "
                    "which is not among its inputs: Keras raises 'Graph disconnected'; add it to `inputs=`",
                )
                return
