"""InputRankMismatch: the `input-rank-mismatch` rule."""

from __future__ import annotations

from kerascheck.rules._build_errors import _BuildError
from kerascheck.rules.base import Example, FixAvailability


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
    FIX = FixAvailability.NONE
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
