"""LabelsBroadcast: the `labels-broadcast` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._data import labels_finding
from kerascheck.rules._loss_activation import _loss
from kerascheck.rules.base import Context, Example, FixAvailability, Rule

_WINDOWS = (
    "import numpy as np\nimport keras\n"
    "x, y = np.zeros((1000, 24, 4)), np.zeros({labels})\n"
    "model = keras.Sequential([keras.Input(shape=(24, 4)), keras.layers.Conv1D(16, 3, activation='relu'),\n"
    "    {middle}keras.layers.Dense(1)])\n"
    "model.compile(optimizer='adam', loss='mse')\n"
    "model.fit(x, y, epochs=1)\n"
)


class LabelsBroadcast(Rule):
    """
    ## What it does
    Finds an element-wise loss (`mse`, `mae`, `huber`, ...) given labels and predictions of
    different shapes that still broadcast against each other: a regression model that outputs
    a whole sequence `(None, 22, 1)` for labels of one value per sample `(N,)`, or one value
    `(None, 1)` for labels of one value per step `(N, 50, 1)`.

    It needs the labels' shape made in the file, the model's output shape and the loss; a size
    it does not know is never compared.

    ## Why is this bad?
    Keras does not raise: NumPy-style broadcasting pairs every label with every prediction of
    another position, the loss is an average over the wrong pairs, and the model trains on
    nonsense without any error.

    ## Example
    ```python
    x, y = np.zeros((1000, 24, 4)), np.zeros((1000,))
    model = keras.Sequential([keras.Input(shape=(24, 4)), layers.Conv1D(16, 3), layers.Dense(1)])
    model.compile(loss="mse")
    model.fit(x, y)   # (None, 22, 1) against (1000,)
    ```

    ## Use instead
    Reduce the output to one value per sample (`layers.Flatten()` or global pooling before the
    head), or give the model an output per step (`return_sequences=True`) for per-step labels.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC313"
    NAME = "labels-broadcast"
    SEVERITY = Severity.WARNING
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            _WINDOWS.format(labels="(1000,)", middle=""),
            expect=((5, "outputs (None, 22, 1), but the labels `y` passed to `fit` have shape (1000,)"),),
        ),
        Example(
            "import numpy as np\nimport keras\n"
            "series = np.random.rand(200, 51, 1)\nx, y = series[:, :50], series[:, 1:]\n"
            "model = keras.Sequential([keras.Input(shape=(None, 1)), keras.layers.LSTM(32), keras.layers.Dense(1)])\n"
            "model.compile(optimizer='adam', loss='mse')\n"
            "model.fit(x, y, epochs=1)\n",
            expect=((5, "have shape (200, 50, 1)"),),
        ),
    ]
    VALID = [
        Example(_WINDOWS.format(labels="(1000,)", middle="keras.layers.Flatten(), ")),
        Example(_WINDOWS.format(labels="(1000, 1)", middle="keras.layers.GlobalAveragePooling1D(), ")),
        Example(_WINDOWS.format(labels="(1000, 22, 1)", middle="")),
        Example(_WINDOWS.format(labels="(1000, 22)", middle="")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        loss = _loss(model)
        found = labels_finding(model, loss.name if loss is not None else None, "broadcasts")
        if found is not None:
            yield ctx.report(
                self, found.where,
                f"{found.opening}: `{found.loss}` broadcasts one against the other and trains on mismatched pairs "
                f"without an error{found.why}",
            )
