"""KC4xx and KC5xx: layer arguments Keras rejects, ignores, or renamed since Keras 1 and 2."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Edit, Fix, Safety, Severity, Span
from kerascheck.model import ArgSite, Layer, Model
from kerascheck.rules.base import Context, Example, Rule

# Keras 1/2 keyword -> Keras 3 keyword, where the value means the same thing.
LEGACY_RENAMES = {
    "border_mode": "padding",
    "nb_filter": "filters",
    "subsample": "strides",
    "init": "kernel_initializer",
    "W_regularizer": "kernel_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "b_constraint": "bias_constraint",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
    "inner_init": "recurrent_initializer",
    "inner_activation": "recurrent_activation",
    "U_regularizer": "recurrent_regularizer",
    "subsample_length": "strides",
    "filter_length": "kernel_size",
    "pool_length": "pool_size",
    "atrous_rate": "dilation_rate",
}
# Keras 1/2 keywords Keras 3 dropped, with what to write instead.
LEGACY_REMOVED = {
    "batch_input_shape": "give `input_shape` without the batch size, or `keras.Input(batch_shape=...)`",
    "nb_row": "use `kernel_size=(rows, cols)`",
    "nb_col": "use `kernel_size=(rows, cols)`",
    "dim_ordering": "use `data_format='channels_last'` or `'channels_first'`",
    "consume_less": "drop it",
}


def _site(layer: Layer, keyword: str) -> ArgSite | None:
    return next((s for s in layer.arg_sites if s.keyword == keyword), None)


def _rename(site: ArgSite, new: str, safety: Safety) -> Fix:
    return _rename_keyword(site.span, site.keyword or "", new, safety)


def _rename_keyword(start: Span, keyword: str, new: str, safety: Safety) -> Fix:
    """Rewrite the keyword of `keyword=value` starting at `start`."""
    edit = Edit(Span(start.line, start.column, start.line, start.column + len(keyword), start.cell), new)
    return Fix(f"rename `{keyword}` to `{new}`", (edit,), safety)


def _remove(layer: Layer, site: ArgSite) -> Fix | None:
    """Delete an argument and the comma that separates it from its neighbour."""
    sites = layer.arg_sites
    i = next(k for k, s in enumerate(sites) if s is site)
    if i + 1 < len(sites):
        nxt = sites[i + 1].span
        span = Span(site.span.line, site.span.column, nxt.line, nxt.column, site.span.cell)
    elif i > 0:
        prev = sites[i - 1].span
        span = Span(prev.end_line, prev.end_column, site.span.end_line, site.span.end_column, site.span.cell)
    else:
        span = site.span
    return Fix(f"remove `{site.keyword}=`", (Edit(span, ""),), Safety.SAFE)


def _all_layers(model: Model) -> Iterator[Layer]:
    for layer in model.layers:
        if layer.spec is not None and layer.args is not None and layer.submodel is None:
            yield layer


class UnknownArgument(Rule):
    """
    ## What it does
    Finds a keyword argument a layer does not accept, such as a typo (`activaton="relu"`), and
    more positional arguments than the layer takes.

    ## Why is this bad?
    Keras 3 raises `Unrecognized keyword arguments passed to Dense` (or a `TypeError`) the moment
    the layer is created.

    ## Example
    ```python
    layers.Dense(64, activaton="relu")
    ```

    ## Use instead
    ```python
    layers.Dense(64, activation="relu")
    ```

    ## Fix safety
    Unsafe: the suggested spelling is a guess from the layer's own argument names.
    """

    CODE = "KC402"
    NAME = "unknown-argument"
    SEVERITY = Severity.ERROR
    INVALID = [
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(64, activaton='relu')])\n",
            expect=((2, "`Dense` has no argument `activaton`; did you mean `activation`?"),),
            fixed=(
                "from keras import layers, models\n"
                "model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(64, activation='relu')])\n"
            ),
        ),
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Input(shape=(4,)), layers.Dropout(0.5, None, 3, 4)])\n",
            expect=((2, "`Dropout` takes at most 3 positional arguments, but is given 4"),),
        ),
    ]
    VALID = [
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Dense(64, activation='relu', input_shape=(4,), name='fc')])\n"
        ),
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Input(shape=(4,)), layers.Dense(64, border_mode='same')])\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for layer in _all_layers(model):
            assert layer.spec is not None and layer.args is not None
            names = layer.spec.signature.names()
            for keyword in layer.args.unexpected:
                if keyword in LEGACY_RENAMES or keyword in LEGACY_REMOVED:
                    continue  # KC501 explains those
                site = _site(layer, keyword)
                known = list(names) + ["name", "dtype", "trainable", "input_shape", "input_dim"]
                close = difflib.get_close_matches(keyword, known, n=1, cutoff=0.75)
                hint = f"; did you mean `{close[0]}`?" if close else ""
                fix = _rename(site, close[0], Safety.UNSAFE) if close and site is not None else None
                yield ctx.report(self, site.span if site else layer.span,
                                 f"`{layer.type}` has no argument `{keyword}`{hint}", fix=fix)
            if layer.args.too_many_positional:
                count = len(names) + layer.args.too_many_positional
                yield ctx.report(
                    self, layer,
                    f"`{layer.type}` takes at most {len(names)} positional arguments, but is given {count}",
                )


class LegacyArgument(Rule):
    """
    ## What it does
    Finds Keras 1 and 2 argument names that Keras 3 rejects: `border_mode`, `nb_filter`,
    `subsample`, `init`, `W_regularizer`, `input_length`, `batch_input_shape`, `nb_row`/`nb_col`...

    ## Why is this bad?
    Code copied from older tutorials and books fails in Keras 3 with `Unrecognized keyword
    arguments` the moment the layer is created.

    ## Example
    ```python
    layers.Conv2D(32, (3, 3), border_mode="same", init="he_normal")
    ```

    ## Use instead
    ```python
    layers.Conv2D(32, (3, 3), padding="same", kernel_initializer="he_normal")
    ```

    ## Fix safety
    Safe for plain renames (the value means the same in Keras 3) and for dropping
    `input_length`; the others need a person.
    """

    CODE = "KC501"
    NAME = "legacy-argument"
    SEVERITY = Severity.ERROR
    INVALID = [
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Conv2D(32, (3, 3), border_mode='same', input_shape=(28, 28, 1))])\n",
            expect=((2, "`border_mode` is the Keras 1 name of `padding`"),),
            fixed=(
                "from keras import layers, models\n"
                "model = models.Sequential([layers.Conv2D(32, (3, 3), padding='same', input_shape=(28, 28, 1))])\n"
            ),
        ),
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Dense(8, batch_input_shape=(None, 4)), layers.Dense(1)])\n",
            expect=((2, "`batch_input_shape` was removed in Keras 3"),),
        ),
    ]
    VALID = [
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Conv2D(32, (3, 3), padding='same', input_shape=(28, 28, 1))])\n"
        ),
        # Keras 3 still accepts (and ignores, with a warning) Embedding's input_length.
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Embedding(1000, 64, input_length=10), layers.LSTM(8)])\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for layer in _all_layers(model):
            assert layer.args is not None and layer.spec is not None
            for keyword in layer.args.unexpected:
                site = _site(layer, keyword)
                where = site.span if site else layer.span
                if keyword in LEGACY_RENAMES:
                    new = LEGACY_RENAMES[keyword]
                    if new not in layer.spec.signature.names() or new in layer.args.given:
                        continue  # not this layer's rename (or already given): KC402 territory
                    fix = _rename(site, new, Safety.SAFE) if site is not None else None
                    yield ctx.report(self, where, f"`{keyword}` is the Keras 1 name of `{new}`; Keras 3 rejects it",
                                     fix=fix)
                elif keyword in LEGACY_REMOVED:
                    fix = None
                    yield ctx.report(self, where, f"`{keyword}` was removed in Keras 3: {LEGACY_REMOVED[keyword]}",
                                     fix=fix)


class IgnoredInputShape(Rule):
    """
    ## What it does
    Finds `input_shape=` (or `input_dim=`) on a layer that is not the first layer of a
    Sequential model.

    ## Why is this bad?
    Keras only reads the input shape of the first layer; everywhere else it is silently
    ignored, so the number misleads whoever reads the model (often it is also wrong).

    ## Example
    ```python
    model = keras.Sequential([layers.Dense(64, input_shape=(784,)), layers.Dense(10, input_shape=(64,))])
    ```

    ## Use instead
    ```python
    model = keras.Sequential([layers.Dense(64, input_shape=(784,)), layers.Dense(10)])
    ```

    ## Fix safety
    Safe: Keras ignores the argument there, so removing it changes nothing.
    """

    CODE = "KC403"
    NAME = "ignored-input-shape"
    SEVERITY = Severity.WARNING
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([layers.Dense(64, input_shape=(784,)), layers.Dense(10, input_shape=(64,))])\n",
            expect=((3, "`input_shape` on `Dense`, the 2nd layer, is ignored"),),
            fixed=(
                "import keras\nfrom keras import layers\n"
                "model = keras.Sequential([layers.Dense(64, input_shape=(784,)), layers.Dense(10)])\n"
            ),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([layers.Dense(64, input_shape=(784,)), layers.Dense(10)])\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        if model.api != "sequential" or model.uncertain:
            return
        for position, layer in enumerate(model.layers):
            if position == 0 or layer.args is None:
                continue
            for keyword in ("input_shape", "input_dim"):
                site = _site(layer, keyword)
                if site is None:
                    continue
                nth = {1: "2nd", 2: "3rd"}.get(position, f"{position + 1}th")
                yield ctx.report(
                    self, site.span,
                    f"`{keyword}` on `{layer.type}`, the {nth} layer, is ignored: Keras only reads it on the first layer",
                    fix=_remove(layer, site),
                )


_CALL_RENAMES: dict[tuple[str, str], str | None] = {
    ("optimizer", "lr"): "learning_rate", ("fit", "nb_epoch"): "epochs", ("fit_generator", "nb_epoch"): "epochs",
}


class LegacyCall(Rule):
    """
    ## What it does
    Finds Keras 1 and 2 spellings outside layers that Keras 3 rejects: `lr=` in optimizers, `nb_epoch=` and `fit_generator` in training, and the `merge` function.

    ## Why is this bad?
    They raise in Keras 3 (`Argument(s) not recognized`, `unexpected keyword argument`,
    `AttributeError`), usually after the data has been loaded and the model built.

    ## Example
    ```python
    model.compile(optimizer=keras.optimizers.Adam(lr=0.001), loss="mse")
    model.fit(x, y, nb_epoch=10)
    ```

    ## Use instead
    ```python
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse")
    model.fit(x, y, epochs=10)
    ```

    ## Fix safety
    Safe for the renames (`lr`, `nb_epoch`); `fit_generator` and `merge` need a person.
    """

    CODE = "KC502"
    NAME = "legacy-call"
    SEVERITY = Severity.ERROR
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1)])\n"
            "model.compile(optimizer=keras.optimizers.Adam(lr=0.001), loss='mse')\n"
            "model.fit(x, y, nb_epoch=10)\n",
            expect=((4, "`lr` is the old name of `learning_rate`"), (5, "`nb_epoch` is the old name of `epochs`")),
            fixed=(
                "import keras\nfrom keras import layers\n"
                "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1)])\n"
                "model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss='mse')\n"
                "model.fit(x, y, epochs=10)\n"
            ),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1)])\n"
            "model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss='mse')\n"
            "model.fit(x, y, epochs=10)\n"
        ),
    ]

    def check_file(self, ctx: Context) -> Iterator[Diagnostic]:
        for note in ctx.notes:
            if note.kind == "merge":
                yield ctx.report(self, note.span, "`merge` was removed in Keras 2: use the `Add`, `Concatenate`, "
                                 "`Multiply`... layers or `layers.add(...)`")
                continue
            if note.kind == "fit_generator":
                yield ctx.report(self, note.span, "`fit_generator` was removed in Keras 3: `fit` takes generators")
            for keyword, span in note.keywords.items():
                key = (note.kind, keyword)
                if key not in _CALL_RENAMES:
                    continue
                new = _CALL_RENAMES[key]
                if new is None:
                    yield ctx.report(self, span, f"`{keyword}` was removed from Keras 3 optimizers: "
                                     "use a `keras.optimizers.schedules` learning-rate schedule")
                    continue
                yield ctx.report(self, span, f"`{keyword}` is the old name of `{new}`; Keras 3 rejects it",
                                 fix=_rename_keyword(span, keyword, new, Safety.SAFE))


class MissingArgument(Rule):
    """
    ## What it does
    Finds a layer created without an argument it requires, such as `Dense()` without `units` or
    `AveragePooling2D()` without `pool_size` (unlike `MaxPooling2D`, it has no default in Keras 3).

    ## Why is this bad?
    Python raises `TypeError: missing 1 required positional argument` when the layer is created.

    ## Example
    ```python
    layers.AveragePooling2D()
    ```

    ## Use instead
    ```python
    layers.AveragePooling2D(pool_size=(2, 2))
    ```

    ## Fix safety
    No automatic fix: only the author knows the value.
    """

    CODE = "KC405"
    NAME = "missing-argument"
    SEVERITY = Severity.ERROR
    INVALID = [
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Input(shape=(8, 8, 3)), layers.AveragePooling2D()])\n",
            expect=((2, "`AveragePooling2D` needs `pool_size`, which is not given"),),
        ),
    ]
    VALID = [
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Input(shape=(8, 8, 3)), layers.MaxPooling2D()])\n"
        ),
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Input(shape=(8, 8, 3)), layers.AveragePooling2D(**opts)])\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for layer in _all_layers(model):
            missing = layer.missing_arguments()
            if missing:
                names = " and ".join(f"`{m}`" for m in missing)
                verb = "is" if len(missing) == 1 else "are"
                yield ctx.report(self, layer, f"`{layer.type}` needs {names}, which {verb} not given")


class LayerCallArguments(Rule):
    """
    ## What it does
    Finds a layer called with arguments its `call` does not take: the input under the wrong name,
    such as `lstm(inputs=x)` (recurrent layers call their input `sequences`), or a keyword the call
    does not know, such as `dense(x, trainng=False)`.

    ## Why is this bad?
    Keras binds the arguments of `layer(...)` to the layer's `call` and raises `TypeError: missing
    a required argument: 'sequences'` or `got an unexpected keyword argument 'trainng'` while the
    model is built.

    ## Example
    ```python
    x = layers.LSTM(64)(inputs=embedded)
    ```

    ## Use instead
    ```python
    x = layers.LSTM(64)(embedded)
    ```

    ## Fix safety
    Safe for the input's name (the input goes where the author meant it); unsafe for a misspelt
    keyword, whose spelling is a guess from the call's own parameters.
    """

    CODE = "KC406"
    NAME = "layer-call-arguments"
    SEVERITY = Severity.ERROR
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(20, 8))\n"
            "x = layers.LSTM(16)(inputs=inputs)\n"
            "model = keras.Model(inputs, layers.Dense(1)(x))\n",
            expect=((4, "`LSTM` takes its input as `sequences`, not `inputs`"),),
            fixed=(
                "import keras\nfrom keras import layers\n"
                "inputs = keras.Input(shape=(20, 8))\n"
                "x = layers.LSTM(16)(sequences=inputs)\n"
                "model = keras.Model(inputs, layers.Dense(1)(x))\n"
            ),
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(8,))\n"
            "x = layers.Dense(16)(inputs, trainng=False)\n"
            "model = keras.Model(inputs, x)\n",
            expect=((4, "`Dense` is called with `trainng`, which its call does not take; did you mean `training`?"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(20, 8))\n"
            "x = layers.LSTM(16)(inputs, training=False)\n"
            "y = layers.GRU(16)(sequences=inputs)\n"
            "z = layers.Conv1D(4, 3)(inputs=inputs, training=True)\n"
            "model = keras.Model(inputs, [x, y, z])\n"
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(20, 8))\n"
            "x = layers.LSTM(16)(**call_arguments)\n"
        ),
    ]

    def check_file(self, ctx: Context) -> Iterator[Diagnostic]:
        for note in ctx.notes:
            if note.kind != "layer_call":
                continue
            first = note.parameters[0]
            wrong = dict(note.keywords)
            if note.missing_input:
                used = [k for k in wrong if k in ("inputs", "x", "input", "sequences", "data")]
                if len(used) == 1:
                    keyword = used[0]
                    span = wrong.pop(keyword)
                    yield ctx.report(
                        self, span,
                        f"`{note.name}` takes its input as `{first}`, not `{keyword}`: Keras raises "
                        f"TypeError: missing a required argument: '{first}'",
                        fix=_rename_keyword(span, keyword, first, Safety.SAFE),
                    )
                else:
                    yield ctx.report(self, note.span, f"`{note.name}` is called without its input `{first}`: "
                                     f"Keras raises TypeError: missing a required argument: '{first}'")
            for keyword, span in wrong.items():
                known = [p for p in note.parameters if p != first] + (["training"] if "training" not in note.parameters else [])
                close = difflib.get_close_matches(keyword, known, n=1, cutoff=0.75)
                hint = f"; did you mean `{close[0]}`?" if close else ""
                fix = _rename_keyword(span, keyword, close[0], Safety.UNSAFE) if close else None
                yield ctx.report(self, span, f"`{note.name}` is called with `{keyword}`, which its call does not "
                                 f"take{hint}", fix=fix)


class Keras1KernelArguments(Rule):
    """
    ## What it does
    Finds the Keras 1 call `Convolution2D(32, 3, 3)`, which gave the kernel's rows and columns as
    two separate numbers.

    ## Why is this bad?
    Keras 3 still accepts the `Convolution2D` name, but binds the third number to `strides`: the
    layer becomes a 3x3 convolution moving 3 pixels at a time, shrinking the feature map about
    three times more than the author meant. Nothing fails; the model is just not the one written.

    ## Example
    ```python
    model.add(Convolution2D(32, 3, 3, activation="relu", input_shape=(28, 28, 1)))
    ```

    ## Use instead
    ```python
    model.add(Convolution2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
    ```

    ## Fix safety
    Unsafe: it changes the model Keras 3 builds (back to the one the author meant).
    """

    CODE = "KC503"
    NAME = "keras1-kernel-arguments"
    SEVERITY = Severity.WARNING
    INVALID = [
        Example(
            "from keras.models import Sequential\nfrom keras.layers import Convolution2D\n"
            "model = Sequential([Convolution2D(32, 3, 3, activation='relu', input_shape=(28, 28, 1))])\n",
            expect=((3, "Keras 3 reads the third number as strides=3"),),
            fixed=(
                "from keras.models import Sequential\nfrom keras.layers import Convolution2D\n"
                "model = Sequential([Convolution2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1))])\n"
            ),
        ),
    ]
    VALID = [
        Example(
            "from keras.models import Sequential\nfrom keras.layers import Conv2D\n"
            "model = Sequential([Conv2D(32, 3, 2, input_shape=(28, 28, 1))])\n"
        ),
        Example(
            "from keras.models import Sequential\nfrom keras.layers import Convolution2D\n"
            "model = Sequential([Convolution2D(32, (3, 3), input_shape=(28, 28, 1))])\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for layer in _all_layers(model):
            if not layer.written.endswith("Convolution2D"):
                continue
            positional = [s for s in layer.arg_sites if s.keyword is None]
            if len(positional) < 3 or not all(
                isinstance(s.value, int) and not isinstance(s.value, bool) for s in positional[1:3]
            ):
                continue
            rows, cols = positional[1], positional[2]
            span = Span(rows.span.line, rows.span.column, cols.span.end_line, cols.span.end_column, rows.span.cell)
            fix = None
            if rows.span.line == cols.span.end_line:
                fix = Fix(f"write the kernel as `({rows.text}, {cols.text})`",
                          (Edit(span, f"({rows.text}, {cols.text})"),), Safety.UNSAFE)
            yield ctx.report(
                self, layer,
                f"`{layer.written.rsplit('.', 1)[-1]}({positional[0].text}, {rows.text}, {cols.text})` is the Keras 1 "
                f"form of a {rows.text}x{cols.text} kernel; Keras 3 reads the third number as strides={cols.text}",
                fix=fix,
            )
