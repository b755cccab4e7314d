"""LayerCallArguments: the `layer-call-arguments` rule."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Safety, Severity
from kerascheck.rules._arguments import _rename_keyword
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


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
    FIX = FixAvailability.SOMETIMES
    KERAS3_ONLY = True  # Keras 2 accepts what it reports
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
