"""UnitsContradictClasses: the `units-contradict-classes` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._outputs import model_output
from kerascheck.rules.base import Context, Example, FixAvailability, Rule, layer_call


class UnitsContradictClasses(Rule):
    """
    ## What it does
    Finds a classifier whose output width differs from the number of classes in the one-hot
    labels passed to `fit`, when `keras.utils.to_categorical(y, n)` makes them with a known `n`.

    ## Why is this bad?
    The loss compares a (batch, units) output with (batch, n) labels: Keras fails inside `fit`
    with an incompatible-shapes error, after the data is loaded and the model compiled.

    ## Example
    ```python
    y_train = keras.utils.to_categorical(y_train, 10)
    model.add(layers.Dense(5, activation="softmax"))
    model.fit(x_train, y_train)
    ```

    ## Use instead
    `layers.Dense(10, activation="softmax")`.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC308"
    NAME = "units-contradict-classes"
    SEVERITY = Severity.ERROR
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "y_train = keras.utils.to_categorical(y_train, 10)\n"
            "model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(5, activation='softmax')])\n"
            "model.compile(loss='categorical_crossentropy', optimizer='adam')\n"
            "model.fit(x_train, y_train, epochs=3)\n",
            expect=((4, "outputs 5 units, but the labels passed to `fit` are one-hot over 10 classes"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "y_train = keras.utils.to_categorical(y_train, 10)\n"
            "model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(10, activation='softmax')])\n"
            "model.fit(x_train, y_train, epochs=3)\n"
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "y_train = keras.utils.to_categorical(y_train)\n"
            "model = keras.Sequential([keras.Input(shape=(784,)), layers.Dense(5, activation='softmax')])\n"
            "model.fit(x_train, y_train, epochs=3)\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        out, labels = model_output(model), model.fit_labels
        if out is None or labels is None or labels.encoding != "one-hot" or out.units == labels.classes:
            return
        yield ctx.report(
            self, out.layer,
            f"`{layer_call(out.layer)}` outputs {out.units} units, but the labels passed to `fit` are one-hot "
            f"over {labels.classes} classes ({labels.span.place})",
        )
