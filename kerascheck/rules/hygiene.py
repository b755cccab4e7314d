"""KC202 and KC6xx: model hygiene (redundant layers, a layer used twice, a branch that goes nowhere)."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Edit, Fix, Safety, Severity, Span
from kerascheck.model import Layer, Model
from kerascheck.rules.base import Context, Example, Rule

_GLOBAL_POOLING = {"GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GlobalAveragePooling1D",
                   "GlobalAveragePooling2D", "GlobalAveragePooling3D"}


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
            if parent.type in _GLOBAL_POOLING and isinstance(shape, tuple) and len(shape) == 2:
                yield ctx.report(self, layer, f"`Flatten` after `{parent.type}` does nothing: its input "
                                 f"is already one vector per sample", fix=_remove_statement(layer))


def _remove_statement(layer: Layer) -> Fix | None:
    """Delete a `model.add(...)` statement line (only where it stands alone on its line)."""
    span = layer.statement_span
    if layer.placement != "add" or span is None or span.line != span.end_line:
        return None
    return Fix("remove it", (Edit(Span(span.line, 1, span.line + 1, 1, span.cell), ""),), Safety.SAFE)


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


def _depends_only_on(layer: Layer, inputs: set[int], inside: set[int]) -> bool:
    """Whether every path back from `layer` ends in the model (so it was built on the model's tensors)."""
    stack, seen = [layer], set()
    touches = False
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if id(current) in inside:
            touches = touches or id(current) in inputs or bool(current.inbound) or current.is_input
            continue
        if not current.inbound:
            return False  # reaches a tensor from outside the model
        stack.extend(current.inbound)
    return touches


def _feeds_anything(layer: Layer, layers: list[Layer]) -> bool:
    return any(layer in other.inbound for other in layers if other is not layer)
