"""NonPositiveOutput: the `non-positive-output-size` rule."""

from __future__ import annotations

from kerascheck.rules._build_errors import _BuildError
from kerascheck.rules.base import Example, FixAvailability


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
    FIX = FixAvailability.NONE
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
