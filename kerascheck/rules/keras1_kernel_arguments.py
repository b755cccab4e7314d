"""Keras1KernelArguments: the `keras1-kernel-arguments` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Edit, Fix, Safety, Severity, Span
from kerascheck.model import Model
from kerascheck.rules._arguments import _all_layers
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


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
    FIX = FixAvailability.SOMETIMES
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
