"""TooLargeToAnalyse: the `too-large-to-analyse` rule."""

from __future__ import annotations

from kerascheck.diagnostics import Severity
from kerascheck.rules.base import FixAvailability, Rule


class TooLargeToAnalyse(Rule):
    """
    ## What it does
    Reports a file (or notebook cell) that kerascheck declines to analyse because it is over one of
    its budgets: 2,000,000 characters, a line of 20,000 characters, 200,000 syntax nodes, or
    expressions nested 1,000 deep. Real model code stays far below them; generated or hostile files
    above them would cost gigabytes of memory and minutes.

    ## Why is this bad?
    Nothing in that file or cell is checked, so its models have no shapes and its faults go
    unreported; the rest of the run goes on. Split the file, or exclude it in `[tool.kerascheck]`.

    ## Example
    (a generated file with a one-million-element list literal)

    ## Fix safety
    No automatic fix.
    """

    CODE = "KC902"
    NAME = "too-large-to-analyse"
    SEVERITY = Severity.INFO
    FIX = FixAvailability.NONE
    FILE_LEVEL = True
