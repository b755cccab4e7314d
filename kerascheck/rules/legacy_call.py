"""LegacyCall: the `legacy-call` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Safety, Severity
from kerascheck.rules._arguments import _CALL_RENAMES, _rename_keyword
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


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
    FIX = FixAvailability.SOMETIMES
    KERAS3_ONLY = True  # Keras 2 accepts what it reports
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
