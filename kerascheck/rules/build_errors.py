"""KC1xx: faults Keras raises while building the model. Each kind of build error has its own code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Layer, Model
from kerascheck.rules.base import Context, Example, Rule


class _BuildError(Rule):
    KIND: ClassVar[str]
    SEVERITY = Severity.ERROR

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for layer in model.layers:
            error = layer.error
            if error is None or not layer.certain or error.kind != self.KIND:
                continue
            hint = _rank_hint(model, layer) if self.KIND == "rank" else ""
            yield ctx.report(self, layer, error.message + hint)
        for layer in model.layers:
            for span, call_error in layer.call_errors:
                if call_error.kind == self.KIND:
                    yield ctx.report(self, span, call_error.message)


def _rank_hint(model: Model, layer: Layer) -> str:
    """For the first layer of a model: the likely slip behind a wrong rank, spelled out."""
    x = layer.input_shape
    rank = getattr(layer.spec, "rank", None)
    if not isinstance(x, tuple) or not isinstance(rank, int) or not model.layers or model.layers[0] is not layer:
        return ""
    declared = x[1:]
    expected = rank + 2
    if len(x) == expected - 1 and layer.type.startswith(("Conv", "SeparableConv", "DepthwiseConv")):
        fixed = (*declared, 1)
        return f"; the input has no channel axis: for one channel use input_shape={fixed}"
    if len(x) == expected + 1:
        return f"; `input_shape` does not include the batch size: use input_shape={tuple(declared[1:])}"
    return ""


class InputRankMismatch(_BuildError):
    """
    ## What it does
    Finds a layer that receives a tensor of a rank it cannot take, such as `Conv2D` on a 3-D
    tensor (an image without its channel axis) or `LSTM` on a flat vector.

    ## Why is this bad?
    Keras raises `ValueError: Input 0 of layer ... is incompatible with the layer` when it builds
    the model, so the script dies before training starts.

    ## Example
    ```python
    model = keras.Sequential([layers.Conv2D(32, 3, input_shape=(28, 28))])
    ```

    ## Use instead
    ```python
    model = keras.Sequential([layers.Conv2D(32, 3, input_shape=(28, 28, 1))])
    ```

    ## Fix safety
    No automatic fix: the right shape depends on the data.
    """

    CODE = "KC101"
    NAME = "input-rank-mismatch"
    KIND = "rank"
    INVALID = [
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Conv2D(32, 3, input_shape=(28, 28))])\n",
            expect=((2, "but receives a 3-D tensor (None, 28, 28); the input has no channel axis: for one "
                        "channel use input_shape=(28, 28, 1)"),),
        ),
        Example(
            "import keras\n"
            "model = keras.Sequential()\n"
            "model.add(keras.layers.Dense(8, input_shape=(10,)))\n"
            "model.add(keras.layers.LSTM(4))\n",
            expect=((4, "`LSTM` expects a 3-D input"),),
        ),
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Conv2D(32, 3, input_shape=(None, 28, 28, 1))])\n",
            expect=((2, "`input_shape` does not include the batch size: use input_shape=(28, 28, 1)"),),
        ),
    ]
    VALID = [
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Conv2D(32, 3, input_shape=(28, 28, 1))])\n"
        ),
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Conv2D(32, 3, input_shape=shape)])\n"
        ),
    ]


class NonPositiveOutput(_BuildError):
    """
    ## What it does
    Finds a convolution, pooling or cropping layer whose output would have a size of zero or
    less along some axis, because the input is already too small for the kernel, window or crop.

    ## Why is this bad?
    Keras raises `Computed output size would be zero or negative` when it builds the model.
    Usually there are too many pooling or strided layers for the input size.

    ## Example
    ```python
    model = keras.Sequential([
        keras.Input(shape=(8, 8, 1)),
        layers.MaxPooling2D(4),
        layers.Conv2D(16, 3),  # 2x2 input, 3x3 kernel
    ])
    ```

    ## Use instead
    Pool less, use `padding="same"`, or feed larger inputs.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC102"
    NAME = "non-positive-output-size"
    KIND = "nonpositive"
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([\n"
            "    keras.Input(shape=(8, 8, 1)),\n"
            "    layers.MaxPooling2D(4),\n"
            "    layers.Conv2D(16, 3),\n"
            "])\n",
            expect=((6, "a 3x3 kernel does not fit"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([\n"
            "    keras.Input(shape=(8, 8, 1)),\n"
            "    layers.MaxPooling2D(4),\n"
            "    layers.Conv2D(16, 3, padding='same'),\n"
            "])\n"
        ),
    ]


class ReshapeSizeMismatch(_BuildError):
    """
    ## What it does
    Finds a `Reshape` whose target shape holds a different number of elements than its input.

    ## Why is this bad?
    Keras raises `The total size of the tensor must be unchanged` when it builds the model.

    ## Example
    ```python
    model = keras.Sequential([keras.Input(shape=(784,)), layers.Reshape((28, 27, 1))])
    ```

    ## Use instead
    ```python
    model = keras.Sequential([keras.Input(shape=(784,)), layers.Reshape((28, 28, 1))])
    ```

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC103"
    NAME = "reshape-size-mismatch"
    KIND = "reshape"
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(784,)), layers.Reshape((28, 27, 1))])\n",
            expect=((3, "needs 756 elements per sample, but the input (None, 784) has 784"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(784,)), layers.Reshape((28, 28, 1))])\n"
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(784,)), layers.Reshape((-1, 28, 1))])\n"
        ),
    ]


class IncompatibleInput(_BuildError):
    """
    ## What it does
    Finds a layer whose input does not fit its configuration in a way Keras rejects at build
    time, for example channels that `groups` or `GroupNormalization` cannot divide.

    ## Why is this bad?
    Keras raises a `ValueError` while building the model.

    ## Example
    ```python
    model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(32, 3, groups=2)])
    ```

    ## Use instead
    Choose `groups` that divides both the input channels and `filters`.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC104"
    NAME = "incompatible-input"
    KIND = "incompatible"
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(32, 3, groups=2)])\n",
            expect=((3, "needs input channels divisible by 2"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(32, 32, 4)), layers.Conv2D(32, 3, groups=2)])\n"
        ),
    ]


class IncompatibleMerge(_BuildError):
    """
    ## What it does
    Finds a merge layer (`Add`, `Concatenate`, `Dot`, ...) whose inputs have shapes it cannot
    combine.

    ## Why is this bad?
    Keras raises `Inputs have incompatible shapes` (or the `Concatenate` equivalent) while
    building the model.

    ## Example
    ```python
    a = keras.Input(shape=(16,))
    b = keras.Input(shape=(8,))
    out = layers.Add()([a, b])
    ```

    ## Use instead
    Project one branch to the other's size first, e.g. `layers.Dense(16)(b)`.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC105"
    NAME = "incompatible-merge"
    KIND = "merge"
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "a = keras.Input(shape=(16,))\nb = keras.Input(shape=(8,))\n"
            "out = layers.Add()([a, b])\nmodel = keras.Model([a, b], out)\n",
            expect=((5, "`Add` inputs have incompatible shapes: (None, 16), (None, 8)"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "a = keras.Input(shape=(16,))\nb = keras.Input(shape=(8,))\n"
            "out = layers.Concatenate()([a, b])\nmodel = keras.Model([a, b], out)\n"
        ),
    ]


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
            if error is not None and layer.certain:
                yield ctx.report(self, layer, error.message)
        for layer in model.layers:
            error = layer.error
            if error is not None and layer.certain and error.kind == "argument":
                yield ctx.report(self, layer, error.message)
