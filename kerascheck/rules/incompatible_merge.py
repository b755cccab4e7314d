"""IncompatibleMerge: the `incompatible-merge` rule."""

from __future__ import annotations

from kerascheck.rules._build_errors import _BuildError
from kerascheck.rules.base import Example, FixAvailability


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
    FIX = FixAvailability.NONE
    KIND = "merge"
    INVALID = [
        # No model is built: Keras still evaluates the call where it is written, and raises there.
        Example(
            "import keras\nfrom keras import layers\n"
            "a = keras.Input(shape=(32, 32, 3))\nb = keras.Input(shape=(16, 16, 3))\n"
            "merged = layers.concatenate([layers.Conv2D(8, 3, padding='same')(a),\n"
            "                             layers.Conv2D(8, 3, padding='same')(b)])\n",
            expect=((5, "needs inputs that match except on axis -1: (None, 32, 32, 8), (None, 16, 16, 8)"),),
        ),
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
            "a = keras.Input(shape=(32, 32, 3))\nb = keras.Input(shape=(32, 32, 3))\n"
            "merged = layers.concatenate([layers.Conv2D(8, 3)(a), layers.Conv2D(4, 3)(b)])\n"
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "a = keras.Input(shape=(16,))\nb = keras.Input(shape=(8,))\n"
            "out = layers.Concatenate()([a, b])\nmodel = keras.Model([a, b], out)\n"
        ),
    ]
