"""KC001 and KC900: findings about the file itself rather than a model in it."""

from __future__ import annotations

from kerascheck.diagnostics import Severity
from kerascheck.rules.base import Example, Rule


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
    FILE_LEVEL = True
    INVALID = [Example("import keras\nmodel = keras.Sequential(\n", expect=((2, "never closed"),))]
    VALID = [Example("import keras\nmodel = keras.Sequential()\n")]


class InternalError(Rule):
    """
    ## What it does
    Reports that kerascheck itself failed on this file: a bug in kerascheck, not in the file.

    ## Why is this bad?
    The file was not fully checked. kerascheck exits with status 2; please report the message.

    ## Example
    (none: any file that triggers it is a kerascheck bug)

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC900"
    NAME = "internal-error"
    SEVERITY = Severity.ERROR
    FILE_LEVEL = True
