"""UnusedNoqa: the `unused-noqa` rule."""

from __future__ import annotations

from kerascheck.diagnostics import Severity
from kerascheck.rules.base import Example, FixAvailability, Rule


class UnusedNoqa(Rule):
    """
    ## What it does
    Finds a `# noqa: KCnnn` comment that silences nothing: the code is no kerascheck rule (a typo such
    as `KC999`), or no finding of it is reported on the lines the comment covers. Other linters'
    codes and bare `# noqa` comments are left alone. (ruff's RUF100.)

    ## Why is this bad?
    A stale `noqa` hides the next real finding at that line, and a misspelt code silences nothing
    while looking as if it did.

    ## Example
    ```python
    model.add(layers.Dense(64))  # noqa: KC201
    ```

    ## Use instead
    Remove the comment, or the codes in it that no longer apply.

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC903"
    NAME = "unused-noqa"
    SEVERITY = Severity.INFO
    FIX = FixAvailability.NONE
    FILE_LEVEL = True  # reported by the engine, which sees the findings before suppression
    INVALID = [
        Example(
            "import keras\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])  # noqa: KC201\n",
            expect=((2, "`# noqa: KC201` silences nothing"),),
        ),
        Example(
            "import keras\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])  # noqa: KC999\n",
            expect=((2, "`KC999` is no kerascheck rule"),),
        ),
    ]
    VALID = [
        Example(
            "import keras\nfrom keras import layers\nmodel = keras.Sequential([keras.Input((4, 4, 8)),\n"
            "    layers.Dense(2)])  # noqa: KC201\n"
        ),
        Example("import keras\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])  # noqa\n"),
        Example("import keras\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])  # noqa: E501\n"),
    ]
