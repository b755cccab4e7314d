"""DataShapeMismatch: the `data-shape-mismatch` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._data import USES, batch, rejects, sample_axis_hint
from kerascheck.rules.base import Context, Example, FixAvailability, Rule, layer_call
from kerascheck.shapes import format_shape

# A regressor trained on 13 features, for the examples of `predict`.
_PRICES = (
    "import numpy as np\nimport keras\n"
    "x, y = np.random.rand(100, 13), np.random.rand(100)\n"
    "model = keras.Sequential([keras.Input(shape=(13,)), keras.layers.Dense(1)])\n"
    "model.compile(optimizer='adam', loss='mse')\n"
    "model.fit(x, y)\n"
)


class DataShapeMismatch(Rule):
    """
    ## What it does
    Compares the arrays a model is trained, tested or run on (`fit`, `validation_data`, `evaluate`,
    `train_on_batch`, `predict`) with the input shape the model declares, and finds the inputs Keras
    rejects (a training array is reported at the declared input, an array given to `predict` or a
    call at that line, with a hint for a single sample missing its batch axis):
    `input_shape=(8,)` while every row of `x_train` has 64 features, `Input((28, 28, 1))` fed
    `(N, 32, 32, 3)` images, a Dense stack fed unflattened images.

    It needs the array's shape made in the file (NumPy arrays, a Keras dataset's `load_data()`,
    slices and reshapes of them) and the model's declared input. For a Sequential model it runs
    the model's layers on the data's shape, as Keras does, and reports only where a layer rejects
    it; for a functional model it applies the `Input`'s own check. A size it does not know is never
    compared.

    ## Why is this bad?
    Keras raises inside `fit`, after loading the data and compiling the model.

    ## Example
    ```python
    x_train = np.random.rand(1000, 64)
    model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1)])
    model.fit(x_train, y_train)
    ```

    ## Use instead
    Declare the input the data has: `keras.Input(shape=x_train.shape[1:])`.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC107"
    NAME = "data-shape-mismatch"
    SEVERITY = Severity.ERROR
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            "import numpy as np\nimport keras\n"
            "x = np.random.rand(64, 3, 16, 16)\ny = np.random.rand(64)\n"
            "model = keras.Sequential([keras.Input(shape=(16, 16, 3)), keras.layers.Conv2D(4, 3),\n"
            "                          keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1)])\n"
            "model.compile(optimizer='adam', loss='mse')\n"
            "model.fit(x, y)\n",
            expect=((5, "the images are channels-first, the model channels-last"),),
        ),
        Example(
            _PRICES + "price = model.predict(x[0])\n",
            expect=((7, "x is one sample without its batch axis"),),
        ),
        Example(
            "import numpy as np\nimport keras\n"
            "x, y = np.random.rand(1000, 64), np.random.rand(1000)\n"
            "model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(1)])\n"
            "model.compile(optimizer='adam', loss='mse')\n"
            "model.fit(x, y)\n",
            expect=((4, "`fit` gets x of shape (1000, 64)"),),
        ),
        Example(
            "import keras\n"
            "(x_train, y_train), _ = keras.datasets.mnist.load_data()\n"
            "inputs = keras.Input(shape=(784,))\n"
            "outputs = keras.layers.Dense(10, activation='softmax')(inputs)\n"
            "model = keras.Model(inputs, outputs)\n"
            "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
            "model.fit(x_train, y_train)\n",
            expect=((3, "`fit` gets x of shape (60000, 28, 28)"),),
        ),
        Example(
            "import numpy as np\nimport keras\n"
            "x_train, y_train = np.random.rand(500, 20), np.random.randint(0, 2, 500)\n"
            "model = keras.Sequential([keras.Input(shape=x_train.shape), keras.layers.Dense(1, activation='sigmoid')])\n"
            "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
            "model.fit(x_train, y_train)\n",
            expect=((4, "500 is the number of samples in x (its first axis), not a size of one sample"),),
        ),
    ]
    VALID = [
        Example(
            "import numpy as np\nimport keras\n"
            "x = np.random.rand(64, 3, 16, 16).transpose(0, 2, 3, 1)\ny = np.random.rand(64)\n"
            "model = keras.Sequential([keras.Input(shape=(16, 16, 3)), keras.layers.Conv2D(4, 3),\n"
            "                          keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(1)])\n"
            "model.compile(optimizer='adam', loss='mse')\n"
            "model.fit(x, y)\n"
        ),
        Example(
            _PRICES + "price = model.predict(x[:1])\n"
        ),
        Example(
            "import numpy as np\nimport keras\n"
            "x, y = np.random.rand(1000, 64), np.random.rand(1000)\n"
            "model = keras.Sequential([keras.Input(shape=(64,)), keras.layers.Dense(1)])\n"
            "model.compile(optimizer='adam', loss='mse')\n"
            "model.fit(x, y)\n"
        ),
        # Keras adds the channel axis of 1 itself.
        Example(
            "import keras\n"
            "(x_train, y_train), _ = keras.datasets.mnist.load_data()\n"
            "inputs = keras.Input(shape=(28, 28, 1))\n"
            "x = keras.layers.Flatten()(keras.layers.Conv2D(8, 3)(inputs))\n"
            "model = keras.Model(inputs, keras.layers.Dense(10, activation='softmax')(x))\n"
            "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
            "model.fit(x_train, y_train)\n"
        ),
        # A Sequential LSTM takes sequences of another length than declared.
        Example(
            "import numpy as np\nimport keras\n"
            "x, y = np.random.rand(100, 12, 4), np.random.rand(100)\n"
            "model = keras.Sequential([keras.Input(shape=(10, 4)), keras.layers.LSTM(8), keras.layers.Dense(1)])\n"
            "model.compile(optimizer='adam', loss='mse')\n"
            "model.fit(x, y)\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        use = next((use for use in model.data if rejects(model, use)), None)
        if use is None or use.x is None:
            return
        if use.call == "call":
            where = f"it is called on a tensor of shape {format_shape(use.x)} here"
        else:
            where = f"{USES[use.call]} gets x of shape {format_shape(use.x)} ({use.span.place})"
        if model.api == "sequential" and use.rejected is not None:
            layer, error = use.rejected
            declared = model.input_shape or ()
            at = model.input_span or (model.input_layer.span if model.input_layer is not None else use.span)
            who = f"`{layer_call(layer)}` rejects it: " if layer is not None else ""
            message = f"the model is declared for inputs {format_shape(declared)}, but {where}; {who}{error}"
        else:
            declared = model.inputs[0].shape
            at = model.inputs[0].layer.span
            message = (f"the model's input is {format_shape(declared)}, but {where}: Keras rejects batches of "
                       f"{format_shape(batch(use.x))}")
        # The data of a call or `predict` is what is wrong (the model was written, and trained, for
        # other data); for training data, the model's declared input is where the two disagree.
        where_reported = use.span if use.call in ("call", "predict") else at
        yield ctx.report(self, where_reported, message + sample_axis_hint(declared, use.x, use.call))
