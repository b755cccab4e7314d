"""UnknownArgument: the `unknown-argument` rule."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Safety, Severity
from kerascheck.model import Model
from kerascheck.rules._arguments import LEGACY_REMOVED, LEGACY_RENAMES, _all_layers, _rename, _site
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


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
    FIX = FixAvailability.SOMETIMES
    KERAS3_ONLY = True  # Keras 2 accepts what it reports
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
