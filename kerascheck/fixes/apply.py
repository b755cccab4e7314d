"""Applying fixes to source text, and checking that the result still parses."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kerascheck.diagnostics import Diagnostic, Edit, Fix, Safety


@dataclass
class FixOutcome:
    text: str
    applied: list[Diagnostic]
    rejected: list[Diagnostic]  # fixes whose result would not parse


def _offsets(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _offset(starts: list[int], line: int, column: int) -> int:
    return starts[min(line, len(starts)) - 1] + column - 1


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits (positions refer to the original text)."""
    starts = _offsets(text)
    spans = sorted(
        ((_offset(starts, e.span.line, e.span.column), _offset(starts, e.span.end_line, e.span.end_column), e.content)
         for e in edits),
        key=lambda t: (t[0], t[1]),
        reverse=True,
    )
    out = text
    for start, end, content in spans:
        out = out[:start] + content + out[end:]
    return out


def parses(text: str) -> bool:
    """Whether both Python itself and LibCST read `text` (a fix must never leave a file Python rejects)."""
    import ast

    import libcst as cst

    try:
        ast.parse(text)
        cst.parse_module(text)
    except (SyntaxError, ValueError, cst.ParserSyntaxError, RecursionError, MemoryError):
        return False
    return True


def wanted(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.safety is Safety.SAFE or unsafe)


def apply_fixes(
    text: str, diagnostics: list[Diagnostic], unsafe: bool = False, check: Callable[[str], bool] | None = None
) -> FixOutcome:
    """Apply each wanted fix in source order; skip one that overlaps another or breaks parsing."""
    check = check or parses
    chosen: list[Diagnostic] = []
    taken: list[tuple[int, int, int, int]] = []
    for d in sorted(diagnostics, key=lambda d: d.sort_key()):
        if not wanted(d.fix, unsafe):
            continue
        assert d.fix is not None
        regions = [(e.span.line, e.span.column, e.span.end_line, e.span.end_column) for e in d.fix.edits]
        if any(_overlaps(r, t) for r in regions for t in taken):
            continue
        taken.extend(regions)
        chosen.append(d)
    applied: list[Diagnostic] = []
    rejected: list[Diagnostic] = []
    current_edits: list[Edit] = []
    for d in chosen:
        assert d.fix is not None
        candidate = apply_edits(text, current_edits + list(d.fix.edits))
        if check(candidate):
            current_edits.extend(d.fix.edits)
            applied.append(d)
        else:
            rejected.append(d)
    return FixOutcome(apply_edits(text, current_edits), applied, rejected)


def _overlaps(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    a_start, a_end = (a[0], a[1]), (a[2], a[3])
    b_start, b_end = (b[0], b[1]), (b[2], b[3])
    if a_start == a_end and b_start == b_end:
        return a_start == b_start  # two insertions at one point: order would be ambiguous
    return a_start < b_end and b_start < a_end


# How notebook writers lay out their JSON: Jupyter and VS Code (indent 1, non-ASCII kept), Colab and
# nbformat-like tools with 2 spaces, hand-written or other tools with 4, and compact files.
_JSON_LAYOUTS: list[dict[str, Any]] = [
    {"indent": 1, "ensure_ascii": False}, {"indent": 2, "ensure_ascii": False}, {"indent": 4, "ensure_ascii": False},
    {"indent": 1, "ensure_ascii": True}, {"indent": 2, "ensure_ascii": True}, {"indent": 4, "ensure_ascii": True},
    {"indent": None, "ensure_ascii": False}, {"indent": None, "ensure_ascii": True},
    {"indent": None, "ensure_ascii": False, "separators": (",", ":")},
]


def notebook_layout(original: str) -> tuple[dict[str, Any], str]:
    """The `json.dumps` options and line ending that write the notebook back byte for byte as it was read,
    so that a fix changes only the cells it edits; Jupyter's own layout when none does."""
    try:
        document = json.loads(original)
    except ValueError:
        return _JSON_LAYOUTS[0], "\n"
    newline = "\r\n" if "\r\n" in original else "\n"
    text = original.replace("\r\n", "\n")
    body = text[:-1] if text.endswith("\n") else text
    for layout in _JSON_LAYOUTS:
        if json.dumps(document, **layout) == body:
            return layout, newline if text.endswith("\n") else ""
    return _JSON_LAYOUTS[0], "\n"


def fix_notebook(
    notebook: dict[str, Any], diagnostics: list[Diagnostic], unsafe: bool = False, original: str | None = None
) -> FixOutcome:
    """Apply fixes cell by cell; only the cells that change are rewritten. Returns the notebook's JSON,
    laid out as `original` (the file's text) was, where kerascheck can reproduce that layout."""
    from kerascheck.source import mask_magics

    applied: list[Diagnostic] = []
    rejected: list[Diagnostic] = []
    cells = notebook.get("cells", [])
    for index, cell in enumerate(cells, start=1):
        own = [d for d in diagnostics if d.span.cell == index]
        if not own or not isinstance(cell, dict):
            continue
        body = cell.get("source", "")
        code = "".join(body) if isinstance(body, list) else str(body)
        outcome = apply_fixes(code, own, unsafe, check=lambda t: parses(mask_magics(t)))
        applied += outcome.applied
        rejected += outcome.rejected
        if outcome.text != code:
            cell["source"] = outcome.text.splitlines(keepends=True) if isinstance(body, list) else outcome.text
    layout, end = notebook_layout(original) if original is not None else (_JSON_LAYOUTS[0], "\n")
    text = json.dumps(notebook, **layout)
    if end == "\r\n":
        text = text.replace("\n", "\r\n")
    return FixOutcome(text + end, applied, rejected)


def fix_until_stable(
    text: str, diagnose: Callable[[str], list[Diagnostic]], unsafe: bool = False, passes: int = 10
) -> FixOutcome:
    """Apply fixes, check again, and repeat until nothing changes (fixes that touch each other wait
    for the next pass), so that running `--fix` a second time finds nothing left to do."""
    applied: list[Diagnostic] = []
    rejected: list[Diagnostic] = []
    for _ in range(passes):
        outcome = apply_fixes(text, diagnose(text), unsafe)
        applied += outcome.applied
        rejected = outcome.rejected
        if outcome.text == text:
            break
        text = outcome.text
    return FixOutcome(text, applied, rejected)
