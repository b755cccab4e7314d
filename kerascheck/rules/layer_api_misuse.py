"""LayerApiMisuse: the `layer-api-misuse` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity, Span
from kerascheck.model import Layer
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class LayerApiMisuse(Rule):
    """
    ## What it does
    Finds the two steps of using a layer mixed up: a tensor handed to the layer's constructor
    (`Dropout(x)` for `Dropout(0.5)(x)`, or TensorFlow 1's `tf.layers.dense(inputs, units)`
    signature kept with `layers.Dense(inputs, 64)`), and layer arguments handed to `model.add`
    because a parenthesis closes too early (`model.add(Conv2D(16, 3), padding="same")`, or
    `model.add(Dense(units), **options)`), and a layer class added without being made
    (`model.add(layers.Flatten)`).

    It reports only what it sees: a value it knows is a symbolic tensor of the file's graph, a
    keyword `model.add` does not take (for `**options`, a dict whose keys are known), or a name
    that is a Keras layer class.

    ## Why is this bad?
    Keras raises where the line runs: a tensor is not a valid rate, units or data format, and
    `Sequential.add()` has no parameter `padding`. The traceback points into Keras, and the layer
    the author meant to configure is built with its defaults.

    ## Example
    ```python
    x = layers.Dropout(x)
    model.add(layers.Conv2D(16, 3), padding="same")
    ```

    ## Use instead
    ```python
    x = layers.Dropout(0.5)(x)
    model.add(layers.Conv2D(16, 3, padding="same"))
    ```

    ## Fix safety
    No automatic fix: the value the constructor should get is not written anywhere.
    """

    CODE = "KC407"
    NAME = "layer-api-misuse"
    SEVERITY = Severity.ERROR
    FIX = FixAvailability.NONE
    INVALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(20,))\n"
            "x = layers.Dense(64, activation='relu')(inputs)\n"
            "x = layers.Dropout(x)\n",
            expect=((5, "`Dropout` is given the tensor `x` as `rate`"),),
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(20,))\n"
            "hidden = layers.Dense(inputs, 64, activation='relu')\n",
            expect=((4, "`Dense` is given the tensor `inputs` as `units`"),),
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(28, 28, 1))])\n"
            "model.add(layers.Conv2D(16, 3), padding='same')\n",
            expect=((4, "`model.add()` takes one layer, not `padding`"),),
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(20,))])\n"
            "cfg = {'activation': 'relu'}\n"
            "model.add(layers.Dense(8), **cfg)\n",
            expect=((5, "`model.add()` takes one layer, not `activation`"),),
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(8, 8, 3))])\n"
            "model.add(layers.GlobalAveragePooling2D)\n",
            expect=((4, "`model.add()` is given the class `GlobalAveragePooling2D`"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\n"
            "inputs = keras.Input(shape=(20,))\n"
            "x = layers.Dense(64, activation='relu')(inputs)\n"
            "x = layers.Dropout(0.5)(x)\n"
            "m = layers.Attention()([x, x])\n"
        ),
        Example(
            "import keras\nfrom keras import layers\n"
            "model = keras.Sequential([keras.Input(shape=(28, 28, 1))])\n"
            "model.add(layers.Conv2D(16, 3, padding='same'))\n"
            "model.add(layer=layers.Flatten())\n"
            "model.add(layers.Dense(4), **{})\n"
            "options = {'rebuild': True}\n"
            "model.add(layers.Dense(2), **options)\n"
        ),
    ]

    def check_file(self, ctx: Context) -> Iterator[Diagnostic]:
        for layer in ctx.layers:
            if layer.uncertain or not layer.tensor_arguments:
                continue
            param, span = layer.tensor_arguments[0]
            text = _written(layer, span)
            yield ctx.report(
                self, span,
                f"`{layer.type}` is given the tensor `{text}` as `{param}`: make the layer with its settings, then "
                f"call it on the tensor (`{layer.type}(...)({text})`); Keras raises here",
            )
        for note in ctx.notes:
            if note.kind == "add_class":
                yield ctx.report(
                    self, note.span,
                    f"`model.add()` is given the class `{note.name}`, not a layer made from it: call it "
                    f"(`{note.name}()`); Keras raises TypeError",
                )
            if note.kind != "add_keywords":
                continue
            by_span: dict[Span, list[str]] = {}  # `**options` gives several keywords one span
            for keyword, span in note.keywords.items():
                if keyword not in ("layer", "rebuild"):
                    by_span.setdefault(span, []).append(keyword)
            for span, keywords in by_span.items():
                named = ", ".join(f"`{k}`" for k in keywords)
                yield ctx.report(
                    self, span,
                    f"`model.add()` takes one layer, not {named}: the layer's closing parenthesis comes too early, "
                    f"so {named} never {'reach' if len(keywords) > 1 else 'reaches'} the layer and Keras raises "
                    "TypeError",
                )


def _written(layer: Layer, span: Span) -> str:
    """The tensor's expression as written (`x`), for the message."""
    for site in layer.arg_sites:
        if site.span == span and site.text:
            return site.text.split("=", 1)[-1].strip() if site.keyword else site.text
    return "x"
