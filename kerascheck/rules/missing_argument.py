"""MissingArgument: the `missing-argument` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules._arguments import _all_layers
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


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
    FIX = FixAvailability.NONE
    KERAS3_ONLY = True  # Keras 2 accepts what it reports
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
