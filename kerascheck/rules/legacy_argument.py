"""LegacyArgument: the `legacy-argument` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Safety, Severity
from kerascheck.model import Model
from kerascheck.rules._arguments import (
    LEGACY_REMOVED,
    LEGACY_RENAMES,
    _all_layers,
    _rename,
    _rename_keyword,
    _site,
)
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class LegacyArgument(Rule):
    """
    ## What it does
    Finds Keras 1 and 2 argument names that Keras 3 rejects: `border_mode`, `nb_filter`,
    `subsample`, `init`, `W_regularizer`, `input_length`, `batch_input_shape`, `nb_row`/`nb_col`,
    `Model(input=..., output=...)`...
    and the number Keras 2 took for a one-axis shape, `keras.Input(shape=(28 * 28))`.

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
    FIX = FixAvailability.SOMETIMES
    KERAS3_ONLY = True  # Keras 2 accepts what it reports
    INVALID = [
        Example(
            "import keras\n"
            "inputs = keras.Input(shape=(28 * 28))\n"
            "model = keras.Model(inputs, keras.layers.Dense(10)(inputs))\n",
            expect=((2, "`shape=(28 * 28)` is the number 784, not a shape (parentheses alone make no tuple): "
                        "write `shape=(28 * 28,)`"),),
        ),
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
        Example(
            "import keras\n"
            "inputs = keras.Input(shape=(4,))\n"
            "model = keras.Model(input=inputs, output=keras.layers.Dense(1)(inputs))\n",
            expect=((3, "`input` is the Keras 1 name of `inputs`"), (3, "`output` is the Keras 1 name of `outputs`")),
            fixed=(
                "import keras\n"
                "inputs = keras.Input(shape=(4,))\n"
                "model = keras.Model(inputs=inputs, outputs=keras.layers.Dense(1)(inputs))\n"
            ),
        ),
    ]
    VALID = [
        Example("import keras\ninputs = keras.Input(shape=(28 * 28,))\nother = keras.Input((None,), batch_size=4)\n"),
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

    def check_file(self, ctx: Context) -> Iterator[Diagnostic]:
        # `keras.Input(shape=784)`: Keras 2 took a number for a shape of one axis; Keras 3 raises. Inputs
        # belong to no model's layers, so they are checked where they are made.
        for layer in ctx.layers:
            if layer.type == "InputLayer" and layer.construction_error is not None and not layer.uncertain:
                yield ctx.report(self, layer, layer.construction_error.message)
        for note in ctx.notes:
            if note.kind == "model_keras1_keywords":
                for keyword in ("input", "output"):
                    if keyword in note.keywords:
                        fix = _rename_keyword(note.keywords[keyword], keyword, keyword + "s", Safety.SAFE)
                        yield ctx.report(self, note.keywords[keyword],
                                         f"`{keyword}` is the Keras 1 name of `{keyword}s`: Keras 3 rejects "
                                         f"`Model({keyword}=...)` as an unrecognized keyword argument", fix=fix)

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
