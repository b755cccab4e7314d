"""LabelsShapeMismatch: the `labels-shape-mismatch` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._data import labels_finding, targets_finding
from kerascheck.rules._loss_activation import _loss, per_output_losses
from kerascheck.rules.base import Context, Example, FixAvailability, Rule
from kerascheck.shapes import sizes_differ

_CIFAR = (
    "import keras\nfrom keras import layers\n"
    "(x_train, y_train), _ = keras.datasets.cifar10.load_data()\n"
    "y_train = keras.utils.to_categorical(y_train, 10)\n"
    "model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(32, 3), {pool}\n"
    "                          layers.Dense(10, activation='softmax')])\n"
    "model.compile(optimizer='adam', loss={loss!r})\n"
    "model.fit(x_train, y_train, epochs=1)\n"
)

_TWO_HEADS = (
    "import numpy as np\nimport keras\nfrom keras import layers\n"
    "x, weight = np.random.rand(100, 5), np.random.rand(100)\n"
    "species = keras.utils.to_categorical(np.random.randint(0, 3, 100), 3)\n"
    "inp = keras.Input(shape=(5,))\n"
    "h = layers.Dense(16, activation='relu')(inp)\n"
    "model = keras.Model(inp, [layers.Dense(3, activation='softmax', name='species')(h),\n"
    "                          layers.Dense(1, name='weight')(h)])\n"
    "model.compile(optimizer='adam', loss=['categorical_crossentropy', 'mse'])\n"
)


class LabelsShapeMismatch(Rule):
    """
    ## What it does
    Compares the shape of the labels a model is trained or tested on (`fit`, `validation_data`,
    `evaluate`, `train_on_batch`) with the shape of its output, as the compiled loss does, and
    finds the pairs the loss rejects: a model that still outputs a sequence or a feature map where
    the labels hold one row per sample, one-hot labels over another number of classes, labels of
    another rank. One-hot labels of (N, 1, C) against a one-row-per-sample output are reported at
    the `fit` line (the labels are wrong); otherwise at the layer that gives the output its rank.
    One-hot labels over another number of classes than the output's units are KC308's. Where other
    labels given to the same model fit its output (the training labels, against wrong validation
    labels), the finding goes where the wrong labels are given. An output of the right rank with
    another size on one axis points at the layer that made that size. A model of several outputs
    trained on a list of targets has each target checked against its output's loss, by position.

    It needs evidence on both sides: the labels' shape made in the file (NumPy arrays, a Keras
    dataset's `load_data()`, `to_categorical`, `np.eye(n)[y]`, slices and reshapes of them), the
    model's output shape (a model without an input shape is built on the data `fit` gives it, as
    Keras does), and the loss (`categorical_crossentropy` and `binary_crossentropy` need the same shape
    after Keras drops a trailing axis of 1, `sparse_categorical_crossentropy` one class index per
    output row, element-wise losses shapes that broadcast). A size it does not know is never
    compared.

    ## Why is this bad?
    Keras raises inside `fit`, after the data is loaded and the model compiled, with a message
    about tensors that points at neither the model nor the labels.

    ## Example
    ```python
    y_train = keras.utils.to_categorical(y_train, 10)   # (50000, 10)
    model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(32, 3),
                              layers.Dense(10, activation="softmax")])   # (None, 30, 30, 10)
    model.fit(x_train, y_train)
    ```

    ## Use instead
    Make the output one prediction per sample (`layers.Flatten()` or global pooling before the
    classifier, `return_sequences=False` on the last recurrent layer), or labels of the output's shape.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC312"
    NAME = "labels-shape-mismatch"
    SEVERITY = Severity.ERROR
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            _CIFAR.format(pool="", loss="categorical_crossentropy"),
            expect=((6, "outputs (None, 30, 30, 10), but the labels `y_train` passed to `fit` have shape (50000, 10)"),),
        ),
        Example(
            "import numpy as np\nimport keras\n"
            "x = np.zeros((400, 180, 1))\ny = np.random.randint(0, 2, size=400)\n"
            "model = keras.Sequential([keras.Input(shape=(180, 1)), keras.layers.Conv1D(16, 7),\n"
            "    keras.layers.MaxPooling1D(2), keras.layers.Dense(1, activation='sigmoid')])\n"
            "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
            "model.fit(x[:300], y[:300], validation_data=(x[300:], y[300:]))\n",
            expect=((6, "outputs (None, 87, 1), but the labels `y[:300]` passed to `fit` have shape (300,)"),),
        ),
        Example(
            "import numpy as np\nimport keras\n"
            "x, y = np.zeros((100, 16, 8)), np.eye(5)[np.random.randint(0, 5, 100)]\n"
            "model = keras.Sequential([keras.Input(shape=(16, 8)), keras.layers.LSTM(32, return_sequences=True),\n"
            "    keras.layers.TimeDistributed(keras.layers.Dense(5, activation='softmax'))])\n"
            "model.compile(optimizer='adam', loss='categorical_crossentropy')\n"
            "model.fit(x, y)\n",
            expect=((4, "the labels `y` passed to `fit` have shape (100, 5)"),),
        ),
        Example(
            "import numpy as np\nimport keras\n"
            "x, y = np.zeros((100, 8)), np.random.randint(0, 3, (100, 4))\n"
            "model = keras.Sequential([keras.Input(shape=(8,)), keras.layers.Dense(3, activation='softmax')])\n"
            "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
            "model.fit(x, y)\n",
            expect=((4, "one class index per output row"),),
        ),
        # cifar10's labels are (N, 1): indexing the identity with them keeps that axis.
        Example(
            "import numpy as np\nimport keras\nfrom keras import layers\n"
            "(x_train, y_train), _ = keras.datasets.cifar10.load_data()\n"
            "y_onehot = np.eye(10)[y_train]\n"
            "model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Flatten(),\n"
            "                          layers.Dense(10, activation='softmax')])\n"
            "model.compile(optimizer='adam', loss='categorical_crossentropy')\n"
            "model.fit(x_train, y_onehot, epochs=1)\n",
            expect=((9, "the labels keep an axis of 1 from the class ids they were made from"),),
        ),
        # The training labels fit the output: the validation labels are what is wrong.
        Example(
            "import keras\nfrom keras import layers\n"
            "(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()\n"
            "y_train = keras.utils.to_categorical(y_train, 10)\n"
            "model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(),\n"
            "                          layers.Dense(10, activation='softmax')])\n"
            "model.compile(optimizer='adam', loss='categorical_crossentropy')\n"
            "model.fit(x_train, y_train, validation_data=(x_test, y_test))\n",
            expect=((8, "`y_train` passed to `fit` (line 8) fit it"),),
        ),
        # Another size on one axis: the layer that made it (here a concatenation along the height).
        Example(
            "import numpy as np\nimport keras\nfrom keras import layers\n"
            "x, y = np.zeros((40, 16, 16, 1)), np.zeros((40, 16, 16, 1))\n"
            "inputs = keras.Input(shape=(16, 16, 1))\n"
            "a = layers.Conv2D(4, 3, padding='same')(inputs)\n"
            "b = layers.concatenate([a, a], axis=1)\n"
            "outputs = layers.Conv2D(1, 1, activation='sigmoid')(b)\n"
            "model = keras.Model(inputs, outputs)\n"
            "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
            "model.fit(x, y)\n",
            expect=((7, "axis 1 of the output gets its size (32) at"),),
        ),
        # Two outputs, and their targets listed in the other order.
        Example(
            _TWO_HEADS + "model.fit(x, [weight, species])\n",
            expect=((11, "`species` would fit it: the targets are in another order than the outputs"),),
        ),
        # A model without an input shape is built on the data given to `fit`.
        Example(
            "import numpy as np\nimport keras\nfrom keras import layers\n"
            "(x_train, y_train), _ = keras.datasets.cifar10.load_data()\n"
            "y_onehot = np.eye(10)[y_train.ravel()]\n"
            "model = keras.Sequential([layers.Conv2D(8, 3), layers.Dense(10, activation='softmax')])\n"
            "model.compile(optimizer='adam', loss='categorical_crossentropy')\n"
            "model.fit(x_train, y_onehot, epochs=1)\n",
            expect=((6, "outputs (None, 30, 30, 10), but the labels `y_onehot` passed to `fit` have shape (50000, 10)"),),
        ),
    ]
    VALID = [
        Example(_TWO_HEADS + "model.fit(x, [species, weight])\n"),
        Example(_CIFAR.format(pool="layers.GlobalAveragePooling2D(),", loss="categorical_crossentropy")),
        Example(_CIFAR.format(pool="layers.Flatten(),", loss="categorical_crossentropy")),
        Example(
            "import numpy as np\nimport keras\nfrom keras import layers\n"
            "(x_train, y_train), _ = keras.datasets.cifar10.load_data()\n"
            "y_onehot = np.eye(10)[y_train.ravel()]\n"
            "model = keras.Sequential([layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(10, activation='softmax')])\n"
            "model.compile(optimizer='adam', loss='categorical_crossentropy')\n"
            "model.fit(x_train, y_onehot, epochs=1)\n"
        ),
        # Integer labels of shape (N, 1) against a (None, 10) softmax: what sparse_categorical_crossentropy takes.
        Example(
            "import keras\nfrom keras import layers\n"
            "(x_train, y_train), _ = keras.datasets.cifar10.load_data()\n"
            "model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Flatten(),\n"
            "                          layers.Dense(10, activation='softmax')])\n"
            "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
            "model.fit(x_train, y_train, epochs=1)\n"
        ),
        # Per-step labels for a real sequence tagger.
        Example(
            "import numpy as np\nimport keras\n"
            "x, y = np.zeros((100, 16, 8)), np.zeros((100, 16, 1))\n"
            "model = keras.Sequential([keras.Input(shape=(16, 8)), keras.layers.LSTM(32, return_sequences=True),\n"
            "    keras.layers.Dense(1, activation='sigmoid')])\n"
            "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
            "model.fit(x, y)\n"
        ),
        # Labels whose shape comes from a file: nothing to compare.
        Example(
            "import numpy as np\nimport keras\n"
            "x, y = np.load('x.npy'), np.load('y.npy')\n"
            "model = keras.Sequential([keras.Input(shape=(16, 8)), keras.layers.LSTM(32, return_sequences=True),\n"
            "    keras.layers.Dense(1, activation='sigmoid')])\n"
            "model.compile(optimizer='adam', loss='binary_crossentropy')\n"
            "model.fit(x, y)\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        losses = per_output_losses(model)
        if losses is not None:
            targets = targets_finding(model, losses)
            if targets is not None:
                yield ctx.report(self, targets.use.span, targets.message)
            return
        loss = _loss(model)
        labels = model.fit_labels
        if loss is not None and labels is not None and (loss.name, labels.encoding) in (
                ("categorical_crossentropy", "integer"), ("sparse_categorical_crossentropy", "one-hot")):
            return  # labels of the other encoding: KC311 says so, and how to fix it
        found = labels_finding(model, loss.name if loss is not None else None, "raises")
        if found is None:
            return
        y, shape = found.use.y or (), found.output
        need = ("one class index per output row" if found.loss == "sparse_categorical_crossentropy"
                else "labels of the output's shape")
        if found.loss == "categorical_crossentropy" and len(y) == len(shape) - 1 and len(shape) == 2:
            need += (" (these look like class indices: `keras.utils.to_categorical` them, or use "
                     "`sparse_categorical_crossentropy`)")
        if labels is not None and labels.encoding == "one-hot" and len(y) == len(shape) and y[-1] == labels.classes \
                and not any(sizes_differ(a, b) for a, b in zip(y[1:-1], shape[1:-1])):
            return  # one-hot labels over another number of classes than the output's units: KC308's finding
        if len(shape) == 2 and len(y) == 3 and y[1] == 1:
            # One prediction per sample, and labels with an axis of 1 after the samples: the labels are
            # what is wrong (`np.eye(10)[y]` of the (n, 1) class ids a dataset gives keeps that axis).
            yield ctx.report(self, found.use.span, f"{found.opening}: `{found.loss}` needs {need}, so Keras raises "
                             "there; the labels keep an axis of 1 from the class ids they were made from "
                             "(`ravel()` the class ids before one-hot encoding them)")
            return
        yield ctx.report(self, found.where, f"{found.opening}: `{found.loss}` needs {need}, so Keras raises there{found.why}")
