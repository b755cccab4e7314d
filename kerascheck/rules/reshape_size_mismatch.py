"""ReshapeSizeMismatch: the `reshape-size-mismatch` rule."""

from __future__ import annotations

from kerascheck.rules._build_errors import _BuildError
from kerascheck.rules.base import Example, FixAvailability


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
    FIX = FixAvailability.NONE
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
