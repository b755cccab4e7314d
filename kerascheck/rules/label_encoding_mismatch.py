"""LabelEncodingMismatch: the `label-encoding-mismatch` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._loss_activation import _MNIST, _loss
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class LabelEncodingMismatch(Rule):
    """
    ## What it does
    Finds `categorical_crossentropy` trained on integer class labels (as a Keras dataset's
    `load_data()` gives them), and `sparse_categorical_crossentropy` trained on one-hot labels
    (as `keras.utils.to_categorical` makes them).

    ## Why is this bad?
    `categorical_crossentropy` compares the output with a one-hot row per sample, and the sparse
    form with one class index per sample. With the other encoding, `fit` fails with a shape error
    (`Arguments target and output must have the same shape`) far from the cause.

    ## Example
    ```python
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    model.fit(x_train, y_train)
    ```

    ## Use instead
    `loss="sparse_categorical_crossentropy"` for integer labels, or
    `keras.utils.to_categorical(y_train, 10)` for one-hot labels.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC311"
    NAME = "label-encoding-mismatch"
    SEVERITY = Severity.ERROR
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            _MNIST.format(loss="categorical_crossentropy", labels="y_train"),
            expect=((5, "`categorical_crossentropy` expects one-hot labels, but `fit` gets integer class labels"),),
        ),
        Example(
            _MNIST.format(loss="sparse_categorical_crossentropy", labels="keras.utils.to_categorical(y_train, 10)"),
            expect=((5, "`sparse_categorical_crossentropy` expects integer class labels, but `fit` gets one-hot"),),
        ),
    ]
    VALID = [
        Example(_MNIST.format(loss="sparse_categorical_crossentropy", labels="y_train")),
        Example(_MNIST.format(loss="categorical_crossentropy", labels="keras.utils.to_categorical(y_train, 10)")),
        Example(_MNIST.format(loss="categorical_crossentropy", labels="y_train_one_hot")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        loss, labels = _loss(model), model.fit_labels
        if loss is None or labels is None or model.compile is None:
            return
        where = loss.span or model.compile.span
        if loss.name == "categorical_crossentropy" and labels.encoding == "integer":
            yield ctx.report(
                self, where,
                f"`{loss.name}` expects one-hot labels, but `fit` gets integer class labels ({labels.span.place}): "
                "use `sparse_categorical_crossentropy`, or `keras.utils.to_categorical` on the labels",
            )
        elif loss.name == "sparse_categorical_crossentropy" and labels.encoding == "one-hot":
            yield ctx.report(
                self, where,
                f"`{loss.name}` expects integer class labels, but `fit` gets one-hot labels ({labels.span.place}): "
                "use `categorical_crossentropy`, or pass the labels before `to_categorical`",
            )
