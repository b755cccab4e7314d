"""ExecutionMismatch: the `execution-mismatch` rule."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.model import Model
from kerascheck.rules.base import Context, FixAvailability, Rule


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
    FIX = FixAvailability.NONE

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        report = model.execution
        if report is None:
            return
        for layer in model.layers:
            entry = report.for_layer(layer)
            if entry is None or not entry.mismatches:
                continue
            yield ctx.report(self, layer, f"`{layer.name}` ({layer.type}) run in NumPy: " + "; ".join(entry.mismatches))
