"""KC201: Dense applied to a feature map (the missing Flatten)."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.fixes.insert import insert_layer_before
from kerascheck.model import Layer, Model
from kerascheck.rules.base import Context, Example, FixAvailability, Rule, layer_call
from kerascheck.shapes import format_shape


class DenseOnFeatureMap(Rule):
    """
    ## What it does
    Finds a `Dense` layer applied to a rank-4 or higher tensor, such as the feature map a
    convolution or pooling layer produces, with no `Flatten` or global pooling before it. It needs
    the tensor to be a feature map: it comes from an image-like input or a layer with spatial axes,
    through layers that act on each position; a 4-D tensor that a `Reshape` or `Permute` laid out
    (attention heads) is not reported.

    ## Why is this bad?
    `Dense` acts on the last axis only: (None, 4, 4, 64) -> Dense(64) gives (None, 4, 4, 64),
    not one vector per sample. Keras builds such a model without complaint; the mistake surfaces
    later, when the loss compares that 4-D output with the labels.

    ## Example
    ```python
    model = models.Sequential()
    model.add(layers.Conv2D(64, (3, 3), activation="relu", input_shape=(32, 32, 3)))
    model.add(layers.Dense(64, activation="relu"))
    ```

    ## Use instead
    ```python
    model = models.Sequential()
    model.add(layers.Conv2D(64, (3, 3), activation="relu", input_shape=(32, 32, 3)))
    model.add(layers.Flatten())
    model.add(layers.Dense(64, activation="relu"))
    ```

    ## Fix safety
    Unsafe: inserting `Flatten()` changes the model's output shape and parameter count. Global
    pooling (`GlobalAveragePooling2D()`) is the other common choice.
    """

    CODE = "KC201"
    NAME = "dense-on-feature-map"
    SEVERITY = Severity.WARNING
    FIX = FixAvailability.UNSAFE
    INVALID = [
        Example(
            "from tensorflow.keras import layers, models\n"
            "model = models.Sequential()\n"
            "model.add(layers.Conv2D(64, (3, 3), activation='relu', input_shape=(32, 32, 3)))\n"
            "model.add(layers.Dense(64, activation='relu'))\n"
            "model.add(layers.Dropout(0.5))\n"
            "model.add(layers.Dense(10))\n",
            expect=((4, "`Dense(64)` receives a 4-D tensor (None, 30, 30, 64)"),),
            fixed=(
                "from tensorflow.keras import layers, models\n"
                "model = models.Sequential()\n"
                "model.add(layers.Conv2D(64, (3, 3), activation='relu', input_shape=(32, 32, 3)))\n"
                "model.add(layers.Flatten())\n"
                "model.add(layers.Dense(64, activation='relu'))\n"
                "model.add(layers.Dropout(0.5))\n"
                "model.add(layers.Dense(10))\n"
            ),
        ),
        Example(
            "from tensorflow.keras import layers, models\n"
            "model = models.Sequential()\n"
            "model.add(layers.Conv2D(64, (3, 3), activation='relu', input_shape=(32, 32, 3)))\n"
            "model.add(layers.Dense(64, activation='relu'))\n",
            expect=((4, "`Dense(64)` receives a 4-D tensor (None, 30, 30, 64)"),),
            fixed=(
                "from tensorflow.keras import layers, models\n"
                "model = models.Sequential()\n"
                "model.add(layers.Conv2D(64, (3, 3), activation='relu', input_shape=(32, 32, 3)))\n"
                "model.add(layers.Flatten())\n"
                "model.add(layers.Dense(64, activation='relu'))\n"
            ),
        ),
        Example(
            "import keras\n"
            "model = keras.Sequential([\n"
            "    keras.Input(shape=(28, 28, 1)),\n"
            "    keras.layers.Conv2D(8, 3),\n"
            "    keras.layers.Dropout(0.5),\n"
            "    keras.layers.Dense(10, activation='softmax'),\n"
            "])\n",
            expect=((6, "`Dense(10)` receives a 4-D tensor (None, 26, 26, 8)"),),
            fixed=(
                "import keras\n"
                "model = keras.Sequential([\n"
                "    keras.Input(shape=(28, 28, 1)),\n"
                "    keras.layers.Conv2D(8, 3),\n"
                "    keras.layers.Dropout(0.5),\n"
                "    keras.layers.Flatten(),\n"
                "    keras.layers.Dense(10, activation='softmax'),\n"
                "])\n"
            ),
        ),
        Example(
            "import keras\n"
            "model = keras.Sequential()\n"
            "model.add(keras.layers.Conv2D(16, 3, activation='relu'))\n"
            "model.add(keras.layers.MaxPooling2D())\n"
            "model.add(keras.layers.Dense(10, activation='softmax'))\n",
            expect=((5, "`Dense(10)` receives the 4-D feature map of `MaxPooling2D()`"),),
            fixed=(
                "import keras\n"
                "model = keras.Sequential()\n"
                "model.add(keras.layers.Conv2D(16, 3, activation='relu'))\n"
                "model.add(keras.layers.MaxPooling2D())\n"
                "model.add(keras.layers.Flatten())\n"
                "model.add(keras.layers.Dense(10, activation='softmax'))\n"
            ),
        ),
        Example(
            "import keras\n"
            "model = keras.Sequential([keras.Input(shape=(32, 32, 3)), keras.layers.Conv2D(8, 3, strides=2),\n"
            "    keras.layers.MaxPooling2D(15), keras.layers.Dense(10, activation='softmax')])\n",
            expect=((3, "`Dense(10)` receives a 4-D tensor (None, 1, 1, 8)"),),
            fixed=(
                "import keras\n"
                "model = keras.Sequential([keras.Input(shape=(32, 32, 3)), keras.layers.Conv2D(8, 3, strides=2),\n"
                "    keras.layers.MaxPooling2D(15), keras.layers.Flatten(), keras.layers.Dense(10, activation='softmax')])\n"
            ),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(8, 8, 64))\n"
            "se = layers.GlobalAveragePooling2D()(inputs)\n"
            "se = layers.Reshape((1, 1, 64))(se)\n"
            "se = layers.Dense(4, activation='relu')(se)\n"
            "se = layers.Dense(64, activation='sigmoid')(se)\n"
            "model = keras.Model(inputs, layers.multiply([inputs, se]))\n"
        ),
        Example(
            "from tensorflow.keras import layers, models\n"
            "model = models.Sequential()\n"
            "model.add(layers.Conv2D(64, (3, 3), activation='relu', input_shape=(32, 32, 3)))\n"
            "model.add(layers.Flatten())\n"
            "model.add(layers.Dense(64, activation='relu'))\n"
        ),
        Example(
            "import keras\n"
            "model = keras.Sequential([keras.Input(shape=(10, 16)), keras.layers.Dense(8)])\n"
        ),
        Example(
            "import keras\n"
            "model = keras.Sequential([keras.layers.Conv2D(8, 3), keras.layers.GlobalMaxPooling2D(),\n"
            "                          keras.layers.Dense(8)])\n"
        ),
        Example(
            "import keras\n"
            "model = keras.Sequential([keras.layers.Conv1D(8, 3), keras.layers.Dense(8)])\n"
        ),
        # A map pooled to one position, inside a model (squeeze-and-excitation), is not an output.
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(2, 2, 64))\n"
            "se = layers.MaxPooling2D(2)(inputs)\n"
            "se = layers.Dense(64, activation='sigmoid')(se)\n"
            "model = keras.Model(inputs, layers.multiply([inputs, se]))\n"
        ),
        # Attention heads split out of a sequence: a 4-D tensor, but no feature map.
        Example(
            "import keras\nfrom keras import layers\n"
            "tokens = keras.Input(shape=(16, 64))\n"
            "heads = layers.Reshape((16, 4, 16))(tokens)\n"
            "heads = layers.Permute((2, 1, 3))(heads)\n"
            "scores = layers.Dense(16)(heads)\n"
            "model = keras.Model(tokens, scores)\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        reported: set[int] = set()
        for layer in model.layers:
            if layer.type != "Dense" or not layer.certain:
                continue
            shape = layer.input_shape
            if shape is None and not model.input_declared and model.api == "sequential":
                # Built later, on the data: the sizes are unknown, but a 2-D or 3-D convolution or
                # pooling right before (through layers acting on each position) makes a map.
                source = _spatial_source(layer)
                if source is None:
                    continue
                reported.add(id(layer))
                if _follows_reported(layer, reported):
                    continue
                spatial = source.spec.rank if source.spec is not None and source.spec.rank is not None else 2
                yield ctx.report(
                    self, layer,
                    f"`{layer_call(layer)}` receives the {spatial + 2}-D feature map of "
                    f"`{layer_call(source)}` and acts on its last axis only; its output keeps the "
                    f"{spatial} spatial axes",
                    fix=insert_layer_before(layer, "Flatten"),
                )
                continue
            if not isinstance(shape, tuple) or len(shape) < 4:
                continue  # unknown or a sequence (rank 3: Dense per time step is common and fine)
            if all(d == 1 for d in shape[1:-1]) and not _is_output(model, layer):
                continue  # (None, 1, 1, C) inside a model: one position, as in a squeeze-and-excitation block
            if not _from_feature_map(layer):
                continue  # a 4-D tensor made otherwise (attention heads split by Reshape/Permute): not a map
            reported.add(id(layer))
            if _follows_reported(layer, reported):
                continue  # the Flatten that goes before the first Dense mends this one too
            message = (
                f"`{layer_call(layer)}` receives a {len(shape)}-D tensor {format_shape(shape)} and acts on "
                f"its last axis only; output is {format_shape(layer.output_shape)}"
            )
            yield ctx.report(self, layer, message, fix=insert_layer_before(layer, "Flatten"))




def _is_output(model: Model, layer: Layer) -> bool:
    """Whether the layer gives the model's output (where a (None, 1, 1, C) map is still not one row per sample)."""
    if model.api == "sequential":
        return bool(model.layers) and model.layers[-1] is layer
    return any(getattr(t, "layer", None) is layer for t in model.outputs)


def _spatial_source(layer: Layer) -> Layer | None:
    """The 2-D or 3-D convolution, pooling or other spatial layer whose map reaches `layer` through layers
    acting on each position only, or None (a Flatten, a global pooling, a sequence layer, anything unknown)."""
    current = layer.inbound[0] if len(layer.inbound) == 1 else None
    seen = 0
    while current is not None and seen < 1000 and current.certain:
        seen += 1
        spec = current.spec
        if spec is None:
            return None
        if spec.rank is not None:
            return current if spec.rank >= 2 and not spec.global_pooling else None
        if not spec.per_position:
            return None
        current = current.inbound[0] if len(current.inbound) == 1 else None
    return None


def _from_feature_map(layer: Layer) -> bool:
    """Whether `layer`'s input is a feature map: it comes (through layers acting on each position) from
    an image-like input or a layer with spatial axes (a convolution, pooling, cropping, upsampling...),
    or from a merge of such maps. Unknown parents count as maps, as the shape alone always did."""
    current = layer.inbound[0] if len(layer.inbound) == 1 else None
    seen = 0
    while current is not None and seen < 1000:
        seen += 1
        spec = current.spec
        if current.is_input or spec is None:
            return True
        if spec.rank is not None:
            return True
        if spec.per_position or spec.multi_input:
            current = current.inbound[0] if current.inbound else None
            continue
        return False  # Reshape, Permute, attention, a custom layer: it made the 4-D layout itself
    return True


def _follows_reported(layer: Layer, reported: set[int]) -> bool:
    """Whether `layer`'s input comes straight from a Dense already reported (through rank-keeping layers)."""
    current = layer.inbound[0] if len(layer.inbound) == 1 else None
    # Through layers that act on each position alone (Dense, Dropout, BatchNormalization...), keeping the rank.
    while current is not None and current.spec is not None and current.spec.per_position:
        if id(current) in reported:
            return True
        current = current.inbound[0] if len(current.inbound) == 1 else None
    return False
