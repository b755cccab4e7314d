"""IgnoredInputShape: the `ignored-input-shape` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._arguments import _remove, _site
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


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
    FIX = FixAvailability.SAFE
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
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(5,)), layers.Rescaling(1.0),"
            " layers.Embedding(input_dim=10, output_dim=2)])\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        if model.api != "sequential" or model.uncertain:
            return
        for position, layer in enumerate(model.layers):
            if position == 0 or layer.args is None:
                continue
            for keyword in ("input_shape", "input_dim"):
                if layer.spec is not None and keyword in layer.spec.signature.names():
                    continue  # an argument of the layer itself: `Embedding(input_dim=vocabulary)`
                site = _site(layer, keyword)
                if site is None:
                    continue
                nth = {1: "2nd", 2: "3rd"}.get(position, f"{position + 1}th")
                yield ctx.report(
                    self, site.span,
                    f"`{keyword}` on `{layer.type}`, the {nth} layer, is ignored: Keras only reads it on the first layer",
                    fix=_remove(layer, site),
                )
