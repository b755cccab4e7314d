"""KC001 and KC900: findings about the file itself rather than a model in it."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules.base import Context, Example, Rule


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


class ExecutionMismatch(Rule):
    """
    ## What it does
    With `--execute`: reports a layer whose output shape (or weight count), when kerascheck runs the
    model in NumPy, differs from the shape (or parameter count) it inferred statically.

    ## Why is this bad?
    One of kerascheck's two independent computations is wrong: the shapes it reports for this
    model cannot be trusted. This is a kerascheck bug, not a fault in the file; please report it.

    ## Example
    (none: any model that triggers it is a kerascheck bug)

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC901"
    NAME = "execution-mismatch"
    SEVERITY = Severity.ERROR

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        report = model.execution
        if report is None:
            return
        for layer in model.layers:
            entry = report.for_layer(layer)
            if entry is None or not entry.mismatches:
                continue
            yield ctx.report(self, layer, f"`{layer.name}` ({layer.type}) run in NumPy: " + "; ".join(entry.mismatches))
