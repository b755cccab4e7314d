"""KC3xx: the output layer's activation against the loss `compile` is given."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Edit, Fix, Safety, Severity
from kerascheck.model import Loss, Model
from kerascheck.rules.base import Context, Example, Rule, layer_call
from kerascheck.rules.outputs import Output, activation_before, model_output

CATEGORICAL = {"categorical_crossentropy", "sparse_categorical_crossentropy", "categorical_focal_crossentropy"}
BINARY = {"binary_crossentropy", "binary_focal_crossentropy"}
REGRESSION = {"mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
              "mean_squared_logarithmic_error", "huber", "log_cosh"}
PROBABILITIES = {"softmax", "sigmoid"}

_SEQ = "from keras import layers, models\nmodel = models.Sequential([layers.Input(shape=(20,)), layers.Dense(64, activation='relu'), {last}])\n"


def _example(last: str, compile_args: str = "") -> str:
    code = _SEQ.format(last=last)
    if compile_args:
        code += f"model.compile(optimizer='adam', {compile_args})\n"
    return code


def _loss(model: Model) -> Loss | None:
    loss = model.compile.loss if model.compile is not None else None
    return loss if isinstance(loss, Loss) else None


def _replace_activation(out: Output, new: str) -> Fix | None:
    """Rewrite the activation string literal in place, keeping its quotes."""
    site = out.site
    if site is None or not site.text or site.text[0] not in "'\"" or site.text.strip("'\"") != out.activation:
        return None
    quote = site.text[0]
    value_start = site.span.end_column - len(site.text)
    span = type(site.span)(site.span.end_line, value_start, site.span.end_line, site.span.end_column, site.span.cell)
    if site.span.line != site.span.end_line and site.keyword is None:
        return None
    return Fix(f"use `activation={quote}{new}{quote}`", (Edit(span, f"{quote}{new}{quote}"),), Safety.UNSAFE)


class SoftmaxOnSingleUnit(Rule):
    """
    ## What it does
    Finds a model whose output is a softmax over a single unit, such as `Dense(1, activation="softmax")`.

    ## Why is this bad?
    Softmax normalises over the last axis, so over one unit it always outputs exactly 1.0: the
    prediction never depends on the input and the model cannot learn. For a yes/no output use
    `sigmoid` with one unit; for several classes use as many units as classes.

    ## Example
    ```python
    model.add(layers.Dense(1, activation="softmax"))
    ```

    ## Use instead
    ```python
    model.add(layers.Dense(1, activation="sigmoid"))
    ```

    ## Fix safety
    Unsafe: changing the activation changes what the model computes.
    """

    CODE = "KC301"
    NAME = "softmax-on-single-unit"
    SEVERITY = Severity.ERROR
    INVALID = [
        Example(
            _example("layers.Dense(1, activation='softmax')", "loss='binary_crossentropy'"),
            expect=((2, "`Dense(1)` ends the model with a softmax over 1 unit, which always outputs 1.0"),),
            fixed=_example("layers.Dense(1, activation='sigmoid')", "loss='binary_crossentropy'"),
        ),
    ]
    VALID = [
        Example(_example("layers.Dense(1, activation='sigmoid')", "loss='binary_crossentropy'")),
        Example(_example("layers.Dense(3, activation='softmax')")),
        Example(_example("layers.Dense(n, activation='softmax')")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        out = model_output(model)
        if out is None or out.activation != "softmax" or out.units != 1:
            return
        yield ctx.report(
            self, out.layer,
            f"`{layer_call(out.layer)}` ends the model with a softmax over 1 unit, which always outputs 1.0 "
            "whatever the input",
            fix=_replace_activation(out, "sigmoid"),
        )


class BinaryLossOnSoftmax(Rule):
    """
    ## What it does
    Finds `binary_crossentropy` used with a softmax output over two or more units.

    ## Why is this bad?
    Binary cross-entropy treats every unit as its own yes/no question, while softmax makes the
    units compete. Keras trains such a model without complaint, but the loss and the reported
    accuracy do not measure what a multi-class model needs; it is a classic source of
    too-good-to-be-true accuracy.

    ## Example
    ```python
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    ```

    ## Use instead
    `categorical_crossentropy` (one-hot labels) or `sparse_categorical_crossentropy` (integer labels).

    ## Fix safety
    No automatic fix: the right loss depends on how the labels are encoded.
    """

    CODE = "KC302"
    NAME = "binary-loss-on-softmax"
    SEVERITY = Severity.WARNING
    INVALID = [
        Example(
            _example("layers.Dense(10, activation='softmax')", "loss='binary_crossentropy'"),
            expect=((3, "`binary_crossentropy` on a softmax output over 10 units"),),
        ),
    ]
    VALID = [
        Example(_example("layers.Dense(10, activation='softmax')", "loss='categorical_crossentropy'")),
        Example(_example("layers.Dense(1, activation='sigmoid')", "loss='binary_crossentropy'")),
        Example(_example("layers.Dense(10, activation='sigmoid')", "loss='binary_crossentropy'")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        out, loss = model_output(model), _loss(model)
        if out is None or loss is None or loss.name not in BINARY:
            return
        if out.activation == "softmax" and out.units >= 2:
            yield ctx.report(
                self, loss.span or model.compile.span,  # type: ignore[union-attr]
                f"`{loss.name}` on a softmax output over {out.units} units: the units compete, "
                "but the loss scores each one as an independent yes/no",
            )


class CategoricalLossOnSingleUnit(Rule):
    """
    ## What it does
    Finds `categorical_crossentropy` or `sparse_categorical_crossentropy` on a model whose
    output has a single unit.

    ## Why is this bad?
    With one unit there is only one class: categorical cross-entropy normalises the single
    prediction to 1.0 and the loss is constant, so nothing is learned (sparse labels other than 0
    fail outright). A binary problem wants one sigmoid unit with `binary_crossentropy`.

    ## Example
    ```python
    model.add(layers.Dense(1, activation="sigmoid"))
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    ```

    ## Use instead
    ```python
    model.compile(loss="binary_crossentropy", optimizer="adam")
    ```

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC303"
    NAME = "categorical-loss-on-single-unit"
    SEVERITY = Severity.ERROR
    INVALID = [
        Example(
            _example("layers.Dense(1, activation='sigmoid')", "loss='categorical_crossentropy'"),
            expect=((3, "`categorical_crossentropy` on an output with a single unit"),),
        ),
    ]
    VALID = [
        Example(_example("layers.Dense(1, activation='sigmoid')", "loss='binary_crossentropy'")),
        Example(_example("layers.Dense(4, activation='softmax')", "loss='sparse_categorical_crossentropy'")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        out, loss = model_output(model), _loss(model)
        if out is None or loss is None or loss.name not in CATEGORICAL or out.units != 1:
            return
        yield ctx.report(
            self, loss.span or model.compile.span,  # type: ignore[union-attr]
            f"`{loss.name}` on an output with a single unit: the loss is constant and nothing is learned",
        )


class CategoricalLossOnSigmoid(Rule):
    """
    ## What it does
    Finds `categorical_crossentropy` (or its sparse form) on a sigmoid output over two or more units.

    ## Why is this bad?
    Sigmoid units are independent (multi-label), while categorical cross-entropy expects a
    probability distribution over exclusive classes. One of the two is wrong: softmax for one
    class per sample, or binary cross-entropy for several labels per sample.

    ## Example
    ```python
    model.add(layers.Dense(10, activation="sigmoid"))
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    ```

    ## Use instead
    `activation="softmax"` for exclusive classes.

    ## Fix safety
    Unsafe: changing the activation to softmax changes what the model computes.
    """

    CODE = "KC304"
    NAME = "categorical-loss-on-sigmoid"
    SEVERITY = Severity.WARNING
    INVALID = [
        Example(
            _example("layers.Dense(10, activation='sigmoid')", "loss='categorical_crossentropy'"),
            expect=((2, "`categorical_crossentropy` expects a softmax output"),),
            fixed=_example("layers.Dense(10, activation='softmax')", "loss='categorical_crossentropy'"),
        ),
    ]
    VALID = [
        Example(_example("layers.Dense(10, activation='softmax')", "loss='categorical_crossentropy'")),
        Example(_example("layers.Dense(10, activation='sigmoid')", "loss='binary_crossentropy'")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        out, loss = model_output(model), _loss(model)
        if out is None or loss is None or loss.name not in CATEGORICAL or loss.from_logits:
            return
        if out.activation == "sigmoid" and out.units >= 2:
            yield ctx.report(
                self, out.layer,
                f"`{loss.name}` expects a softmax output, but this layer applies sigmoid to {out.units} "
                "independent units",
                fix=_replace_activation(out, "softmax"),
            )


class FromLogitsOnProbabilities(Rule):
    """
    ## What it does
    Finds a loss created with `from_logits=True` on a model whose output already applies softmax
    or sigmoid.

    ## Why is this bad?
    `from_logits=True` tells the loss to apply softmax (or sigmoid) itself, so the activation is
    applied twice: gradients shrink and training stalls, silently.

    ## Example
    ```python
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    ```

    ## Use instead
    Drop the activation (`Dense(10)`) or drop `from_logits=True`.

    ## Fix safety
    No automatic fix: either change is valid.
    """

    CODE = "KC305"
    NAME = "from-logits-on-probabilities"
    SEVERITY = Severity.WARNING
    INVALID = [
        Example(
            "import keras\n" + _example(
                "layers.Dense(10, activation='softmax')",
                "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)",
            ),
            expect=((4, "`from_logits=True` but the output already applies softmax"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\n" + _example(
                "layers.Dense(10)", "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)"
            )
        ),
        Example(
            "import keras\n" + _example(
                "layers.Dense(10, activation='softmax')", "loss=keras.losses.SparseCategoricalCrossentropy()"
            )
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        out, loss = model_output(model), _loss(model)
        if out is None or loss is None or loss.from_logits is not True:
            return
        if out.activation in PROBABILITIES:
            yield ctx.report(
                self, loss.span or model.compile.span,  # type: ignore[union-attr]
                f"`{loss.name}` is given `from_logits=True` but the output already applies {out.activation}: "
                "it is applied twice",
            )


class ProbabilityLossOnLogits(Rule):
    """
    ## What it does
    Finds a cross-entropy loss that expects probabilities (no `from_logits=True`) on a model whose
    output layer has no activation.

    ## Why is this bad?
    A linear output gives unbounded scores, but the loss reads them as probabilities: Keras
    clips them, training is unstable and can produce NaN.

    ## Example
    ```python
    model.add(layers.Dense(10))
    model.compile(loss="sparse_categorical_crossentropy")
    ```

    ## Use instead
    ```python
    model.compile(loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    ```
    or `activation="softmax"` on the output layer.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC306"
    NAME = "probability-loss-on-logits"
    SEVERITY = Severity.WARNING
    INVALID = [
        Example(
            _example("layers.Dense(10)", "loss='sparse_categorical_crossentropy'"),
            expect=((3, "expects probabilities, but the output layer has no activation"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\n"
            + _example("layers.Dense(10)", "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)")
        ),
        Example(_example("layers.Dense(10, activation='softmax')", "loss='sparse_categorical_crossentropy'")),
        Example(_example("layers.Dense(1)", "loss='mse'")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        out, loss = model_output(model), _loss(model)
        if out is None or loss is None or loss.from_logits is not False:
            return
        if loss.name in CATEGORICAL | BINARY and out.activation == "linear":
            yield ctx.report(
                self, loss.span or model.compile.span,  # type: ignore[union-attr]
                f"`{loss.name}` expects probabilities, but the output layer has no activation "
                "(pass `from_logits=True` or add softmax/sigmoid)",
            )


class RegressionLossOnSoftmax(Rule):
    """
    ## What it does
    Finds a regression loss (mean squared or absolute error, Huber, ...) on a softmax output.

    ## Why is this bad?
    Softmax outputs are class probabilities that sum to 1; a regression loss on them trains far
    worse than cross-entropy for classification, and cannot fit regression targets at all.

    ## Example
    ```python
    model.add(layers.Dense(10, activation="softmax"))
    model.compile(loss="mse")
    ```

    ## Use instead
    `categorical_crossentropy` for classes, or a linear output for regression.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC307"
    NAME = "regression-loss-on-softmax"
    SEVERITY = Severity.WARNING
    INVALID = [
        Example(
            _example("layers.Dense(10, activation='softmax')", "loss='mse'"),
            expect=((3, "`mean_squared_error` on a softmax output"),),
        ),
    ]
    VALID = [
        Example(_example("layers.Dense(1)", "loss='mse'")),
        Example(_example("layers.Dense(10, activation='softmax')", "loss='categorical_crossentropy'")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        out, loss = model_output(model), _loss(model)
        if out is None or loss is None or loss.name not in REGRESSION:
            return
        if out.activation == "softmax" and out.units >= 2:
            yield ctx.report(
                self, loss.span or model.compile.span,  # type: ignore[union-attr]
                f"`{loss.name}` on a softmax output: a regression loss on class probabilities",
            )



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


# Layers that apply an activation and hold no weights: the only way to squash the same values twice.
_ACTIVATION_ONLY = {"Activation", "Softmax"}


class SquashedTwice(Rule):
    """
    ## What it does
    Finds an output softmax or sigmoid applied to values that already went through a softmax or
    sigmoid: `Dense(10, activation="softmax")` followed by `Activation("softmax")`. It needs an
    activation-only layer (`Activation`, `Softmax`) at the output, with nothing but value-preserving
    layers (`Dropout`, ...) between it and the earlier activation: a weighted layer between them
    (`Dense(16, activation="sigmoid")` then `Dense(1, activation="sigmoid")`) is an ordinary network.

    ## Why is this bad?
    The second softmax flattens the probabilities the first one made (its inputs all lie in
    [0, 1], so its outputs are all close to uniform): predictions lose their confidence and the
    gradients that train the model shrink. It is a common slip when an `Activation` layer is kept
    after the activation moved into the `Dense` layer.

    ## Example
    ```python
    model.add(layers.Dense(20, activation="softmax"))
    model.add(layers.Activation("softmax"))
    ```

    ## Use instead
    ```python
    model.add(layers.Dense(20, activation="softmax"))
    ```

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC309"
    NAME = "activation-applied-twice"
    SEVERITY = Severity.WARNING
    INVALID = [
        Example(
            _example("layers.Dense(10, activation='softmax'), layers.Activation('softmax')"),
            expect=((2, "softmax is applied to the output of a softmax"),),
        ),
        Example(
            _example("layers.Dense(1, activation='sigmoid'), layers.Dropout(0.2), layers.Activation('sigmoid')"),
            expect=((2, "sigmoid is applied to the output of a sigmoid"),),
        ),
    ]
    VALID = [
        Example(_example("layers.Dense(10), layers.Activation('softmax')")),
        Example(_example("layers.Dense(10, activation='softmax')")),
        Example(_example("layers.Dense(10, activation='relu'), layers.Softmax()")),
        # A weighted layer between the two activations: an ordinary network, not a double squash.
        Example(_example("layers.Dense(16, activation='sigmoid'), layers.Dense(1, activation='sigmoid')")),
        Example(_example("layers.Dense(64, activation='softmax'), layers.Dense(10, activation='softmax')")),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        out = model_output(model)
        if out is None or out.activation not in PROBABILITIES:
            return
        if out.layer.type not in _ACTIVATION_ONLY:
            return  # the output activation follows the layer's own weights, not the earlier activation
        before = activation_before(out.layer)
        if before is not None and before[1] in PROBABILITIES:
            yield ctx.report(
                self, out.layer,
                f"{out.activation} is applied to the output of a {before[1]} (`{before[0].name}`): the values are "
                "squashed twice, so the probabilities flatten towards uniform",
            )


# Activations whose outputs are neither probabilities nor unconstrained scores.
UNBOUNDED = {"relu", "relu6", "elu", "selu", "softplus", "exponential", "leaky_relu", "gelu", "silu", "swish",
             "tanh", "mish", "prelu", "softsign", "hard_tanh"}


class ProbabilityLossOnOtherActivation(Rule):
    """
    ## What it does
    Finds a cross-entropy loss that expects probabilities (no `from_logits=True`) on an output
    layer with an activation such as `relu` or `tanh`, which gives neither probabilities nor logits.

    ## Why is this bad?
    Cross-entropy reads the outputs as probabilities. A relu output is not one: it is zero for
    every negative score (so those classes get probability 0, and their gradient dies) and
    unbounded above; tanh goes negative. Keras clips the values and trains on nonsense, often
    reaching chance accuracy.

    ## Example
    ```python
    model.add(layers.Dense(3, activation="relu"))
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    ```

    ## Use instead
    `activation="softmax"` (one class per sample) or `"sigmoid"` (independent labels) on the
    output layer.

    ## Fix safety
    No automatic fix: which of softmax and sigmoid is right depends on the labels.
    """

    CODE = "KC310"
    NAME = "probability-loss-on-unbounded-activation"
    SEVERITY = Severity.WARNING
    INVALID = [
        Example(
            _example("layers.Dense(3, activation='relu')", "loss='categorical_crossentropy'"),
            expect=((2, "`categorical_crossentropy` expects probabilities, but this layer's relu"),),
        ),
        Example(
            _example("layers.Dense(1, activation='tanh')", "loss='binary_crossentropy'"),
            expect=((2, "`binary_crossentropy` expects probabilities, but this layer's tanh"),),
        ),
    ]
    VALID = [
        Example(_example("layers.Dense(3, activation='softmax')", "loss='categorical_crossentropy'")),
        Example(_example("layers.Dense(1, activation='relu')", "loss='mse'")),
        Example(
            "import keras\n"
            + _example("layers.Dense(3, activation='relu')", "loss=keras.losses.CategoricalCrossentropy(from_logits=True)")
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        out, loss = model_output(model), _loss(model)
        if out is None or loss is None or loss.from_logits is not False:
            return
        if loss.name in CATEGORICAL | BINARY and out.activation in UNBOUNDED:
            yield ctx.report(
                self, out.layer,
                f"`{loss.name}` expects probabilities, but this layer's {out.activation} gives values that are not "
                "(use softmax for one class per sample, sigmoid for independent labels)",
            )


_MNIST = (
    "import keras\nfrom keras import layers\n"
    "(x_train, y_train), _ = keras.datasets.mnist.load_data()\n"
    "model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10, activation='softmax')])\n"
    "model.compile(optimizer='adam', loss={loss!r})\n"
    "model.fit(x_train, {labels}, epochs=1)\n"
)


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
