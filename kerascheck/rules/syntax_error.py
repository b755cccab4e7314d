"""SyntaxErrorRule: the `syntax-error` rule."""

from __future__ import annotations

from kerascheck.diagnostics import Severity
from kerascheck.rules.base import Example, FixAvailability, Rule


class SyntaxErrorRule(Rule):
    """
    ## What it does
    Reports a file (or notebook cell) that is not valid Python.

    ## Why is this bad?
    Python cannot run it, and kerascheck cannot read the models in it.

    ## Example
    ```python
    model.add(layers.Dense(64)
    ```

    ## Use instead
    ```python
    model.add(layers.Dense(64))
    ```

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC001"
    NAME = "syntax-error"
    SEVERITY = Severity.ERROR
    FIX = FixAvailability.NONE
    FILE_LEVEL = True
    INVALID = [Example("import keras\nmodel = keras.Sequential(\n", expect=((2, "never closed"),))]
    VALID = [Example("import keras\nmodel = keras.Sequential()\n")]
