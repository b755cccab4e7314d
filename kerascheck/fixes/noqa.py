"""`--add-noqa`: a `# noqa: KCnnn` comment for every finding, so a project can adopt kerascheck at once.

Each finding gets its code on its own line, in a new comment at the end of the line or added to the
`# noqa: ...` comment already there. A finding on a line inside a multi-line string goes to the first
line of its statement, where a `# noqa` covers the whole statement. The edits are applied as safe
fixes are (cell by cell in a notebook, none that would stop the file from parsing).
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections import defaultdict

from kerascheck.diagnostics import Diagnostic, Edit, Fix, Safety, Span
from kerascheck.suppress import _NOQA, noqa_comments

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
            if not comment.codes - {"*"} or "*" in comment.codes:
                continue  # a bare `# noqa` already silences everything here
            missing = sorted(found - comment.codes)
            if not missing:
                continue
            body = lines[line - 1][comment.column - 1:comment.end_column - 1]
            match = _NOQA.search(body)
            assert match is not None
            at = comment.column + match.end()
            edit = Edit(Span(line, at, line, at, cell), "".join(f", {c}" for c in missing))
        else:
            end = len(lines[line - 1]) + 1
            edit = Edit(Span(line, end, line, end, cell), f"  # noqa: {', '.join(sorted(found))}")
        out.append(Diagnostic("KC000", wanted[0].severity, "noqa", Span(line, 1, line, 1, cell),
                              Fix("add noqa", (edit,), Safety.SAFE), "add-noqa"))
    return out
