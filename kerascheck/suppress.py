"""`# noqa` comments: bare, with codes (`# noqa: KC201, KC4`), and over a whole multi-line statement.

`--add-noqa` writes them: `noqa_edits` gives, for the findings of a file or cell, one safe fix a line
that adds their codes (in a new comment at the end of the line, or to the `# noqa: ...` already there;
on the first line of the statement when the finding's line goes on inside a string).

A `# noqa` on the first line of a statement that spans several lines (a `Sequential([...])` list,
say) covers every line of that statement, so one comment can silence a finding anywhere in a model
written as one expression.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from kerascheck.diagnostics import Diagnostic, Edit, Fix, Safety, Span

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]*(?:\s*,\s*[A-Z]+[0-9]*)*))?", re.IGNORECASE)
ALL = frozenset({"*"})


@dataclass(frozen=True)
class Noqa:
    """One `# noqa` comment: where it is, the codes it lists (`ALL` when bare), the lines it covers."""

    line: int
    column: int  # 1-based, where the comment starts
    end_column: int
    codes: frozenset[str]
    covers: range


def noqa_comments(text: str) -> list[Noqa]:
    """Every `# noqa` comment of `text`, each with the lines it covers (its statement's, when it is on
    the first line of a statement spanning several)."""
    found: list[tuple[int, int, int, frozenset[str]]] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return []
    for tok in tokens:
        if tok.type != tokenize.COMMENT:
            continue
        match = _NOQA.search(tok.string)
        if match is None:
            continue
        codes = match.group("codes")
        found.append((tok.start[0], tok.start[1] + 1, tok.end[1] + 1,
                      ALL if codes is None else frozenset(c.strip().upper() for c in codes.split(","))))
    if not found:
        return []
    last_line: dict[int, int] = {}
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        tree = None
    if tree is not None:
        for node in ast.walk(tree):
            if not isinstance(node, ast.stmt) or hasattr(node, "body"):
                continue  # compound statements: a comment on their header covers only the header
            first, last = node.lineno, node.end_lineno or node.lineno
            if last > first:
                last_line[first] = max(last_line.get(first, first), last)
    return [Noqa(line, column, end, codes, range(line, last_line.get(line, line) + 1))
            for line, column, end, codes in found]


def noqa_lines(text: str) -> dict[int, frozenset[str]]:
    """Line number -> codes silenced there (`ALL` for a bare `# noqa`)."""
    spread: dict[int, frozenset[str]] = {}
    for comment in noqa_comments(text):
        for line in comment.covers:
            previous = spread.get(line)
            spread[line] = comment.codes if previous is None else (
                ALL if ALL in (previous, comment.codes) else previous | comment.codes)
    return spread


def unused_noqa(diagnostics: list[Diagnostic], text: str, known: set[str], enabled: Callable[[str], bool],
                cell: int | None = None) -> list[tuple[Noqa, str, str]]:
    """kerascheck codes listed in a `# noqa` that silence nothing: (comment, code, why), why being
    "unknown" (no rule has that code or prefix) or "unused" (no finding of it on the lines it covers).
    Other linters' codes and bare `# noqa` comments are not kerascheck's to judge."""
    out = []
    for comment in noqa_comments(text):
        if comment.codes is ALL:
            continue
        for code in sorted(comment.codes):
            if not code.startswith("KC"):
                continue
            if not any(k.startswith(code) for k in known):
                out.append((comment, code, "unknown"))
            elif any(enabled(k) for k in known if k.startswith(code)) and not any(
                    d.code.startswith(code) and d.span.line in comment.covers and d.span.cell == cell
                    for d in diagnostics):
                out.append((comment, code, "unused"))
    return out


def is_suppressed(d: Diagnostic, lines: dict[int, frozenset[str]]) -> bool:
    codes = lines.get(d.span.line)
    if codes is None:
        return False
    return codes is ALL or "*" in codes or any(d.code.startswith(c) for c in codes)


def filter_suppressed(diagnostics: list[Diagnostic], text_of_cell: dict[int | None, str]) -> list[Diagnostic]:
    """Drop the diagnostics a `# noqa` covers; syntax errors and internal errors are never dropped."""
    if not diagnostics:
        return diagnostics
    cache: dict[int | None, dict[int, frozenset[str]]] = {}
    kept = []
    for d in diagnostics:
        if d.code in ("KC001", "KC900"):
            kept.append(d)
            continue
        cell = d.span.cell
        if cell not in cache:
            text = text_of_cell.get(cell)
            cache[cell] = noqa_lines(text) if text is not None and "noqa" in text else {}
        if not is_suppressed(d, cache[cell]):
            kept.append(d)
    return kept


# Findings a `# noqa` cannot or should not silence.
NEVER = frozenset({"KC001", "KC900", "KC902", "KC903"})


def _string_lines(text: str) -> set[int]:
    """Lines a comment cannot end: inside a multi-line string, or continued by a backslash."""
    inside: set[int] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.STRING and tok.end[0] > tok.start[0]:
                inside.update(range(tok.start[0], tok.end[0]))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    for number, line in enumerate(text.splitlines(), start=1):
        if line.rstrip().endswith("\\"):
            inside.add(number)
    return inside


def _statement_starts(text: str) -> dict[int, int]:
    """Line -> the first line of the simple statement holding it."""
    starts: dict[int, int] = {}
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return starts
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and not hasattr(node, "body"):
            for line in range(node.lineno, (node.end_lineno or node.lineno) + 1):
                starts.setdefault(line, node.lineno)
    return starts


def noqa_edits(text: str, diagnostics: list[Diagnostic], cell: int | None = None) -> list[Diagnostic]:
    """One diagnostic per line to silence, each with a safe fix that adds the codes found there."""
    wanted = [d for d in diagnostics if d.code not in NEVER and d.span.cell == cell]
    if not wanted:
        return []
    blocked = _string_lines(text)
    starts = _statement_starts(text) if blocked else {}
    lines = text.splitlines()
    codes: dict[int, set[str]] = defaultdict(set)
    for d in wanted:
        line = d.span.line
        if line in blocked:
            line = starts.get(line, line)
        if line in blocked:
            continue  # the statement starts inside a string too: no comment can silence this finding
        codes[line].add(d.code)
    existing = {c.line: c for c in noqa_comments(text)}
    out = []
    for line, found in sorted(codes.items()):
        if not 1 <= line <= len(lines):
            continue
        comment = existing.get(line)
        if comment is not None:
            if "*" in comment.codes:
                continue  # a bare `# noqa` already silences everything here
            added = sorted(found - comment.codes)
            if not added:
                continue
            body = lines[line - 1][comment.column - 1:comment.end_column - 1]
            match = _NOQA.search(body)
            assert match is not None
            at = comment.column + match.end()
            edit = Edit(Span(line, at, line, at, cell), "".join(f", {c}" for c in added))
        else:
            added = sorted(found)
            end = len(lines[line - 1]) + 1
            edit = Edit(Span(line, end, line, end, cell), f"  # noqa: {', '.join(added)}")
        # The codes it adds travel as the diagnostic's notes, for the count `--add-noqa` prints.
        out.append(Diagnostic("KC000", wanted[0].severity, "noqa", Span(line, 1, line, 1, cell),
                              Fix("add noqa", (edit,), Safety.SAFE), "add-noqa", notes=tuple(added)))
    return out
