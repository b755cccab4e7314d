"""InternalError: the `internal-error` rule."""

from __future__ import annotations

from kerascheck.diagnostics import Severity
from kerascheck.rules.base import FixAvailability, Rule


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
    FIX = FixAvailability.NONE
    FILE_LEVEL = True
