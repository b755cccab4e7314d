"""IncompatibleInput: the `incompatible-input` rule."""

from __future__ import annotations

from kerascheck.rules._build_errors import _BuildError
from kerascheck.rules.base import Example, FixAvailability


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
    FIX = FixAvailability.NONE
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
