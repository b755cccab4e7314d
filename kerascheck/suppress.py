"""`# noqa` comments: bare, with codes (`# noqa: KC201, KC4`), and over a whole multi-line statement.

A `# noqa` on the first line of a statement that spans several lines (a `Sequential([...])` list,
say) covers every line of that statement, so one comment can silence a finding anywhere in a model
written as one expression.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize

from kerascheck.diagnostics import Diagnostic

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]*(?:\s*,\s*[A-Z]+[0-9]*)*))?", re.IGNORECASE)
ALL = frozenset({"*"})


def noqa_lines(text: str) -> dict[int, frozenset[str]]:
    """Line number -> codes silenced there (`ALL` for a bare `# noqa`)."""
    comments: dict[int, frozenset[str]] = {}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return comments
    for tok in tokens:
        if tok.type != tokenize.COMMENT:
            continue
        match = _NOQA.search(tok.string)
        if match is None:
            continue
        codes = match.group("codes")
        comments[tok.start[0]] = (
            ALL if codes is None else frozenset(c.strip().upper() for c in codes.split(","))
        )
    if not comments:
        return comments
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return comments
    spread: dict[int, frozenset[str]] = dict(comments)
    for node in ast.walk(tree):
        if not isinstance(node, ast.stmt) or hasattr(node, "body"):
            continue  # compound statements: a comment on their header covers only the header
        first, last = node.lineno, node.end_lineno or node.lineno
        if last > first and first in comments:
            for line in range(first + 1, last + 1):
                spread[line] = spread.get(line, frozenset()) | comments[first]
    return spread


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
