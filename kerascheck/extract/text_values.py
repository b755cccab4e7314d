"""What configuration code reads from text the analysed file holds: JSON (`json.loads`), CSV
(`csv.reader` of `io.StringIO`) and regular-expression tokenising (`re.split`), evaluated on the
file's own strings with Python's standard library. Data only: nothing the file wrote is run, and a
pattern that could backtrack badly is not run either."""

from __future__ import annotations

import ast
import csv
import json
import re
from typing import Any

from kerascheck.extract.values import MAX_SEQUENCE, Stream, TextBuffer, is_plain, size_ok
from kerascheck.shapes import UNKNOWN

MAX_REGEX_TEXT = 5_000


def regex_is_tame(pattern: str) -> bool:
    """A pattern Python's backtracking engine runs in (near) linear time: at most one repetition, of
    a single character class (`\\W+`, `[^a-z]*`), and no back-references or look-arounds."""
    try:
        import re._parser as parser  # type: ignore[import-not-found, unused-ignore]  # Python 3.11+
    except ImportError:  # pragma: no cover - Python 3.10
        import sre_parse as parser  # type: ignore[no-redef, unused-ignore]
    try:
        tree = parser.parse(pattern)
    except Exception:  # noqa: BLE001 - any pattern the parser rejects is simply not run
        return False
    repeats = 0
    stack = list(tree)
    single = {"LITERAL", "NOT_LITERAL", "IN", "ANY", "CATEGORY"}
    while stack:
        op, arg = stack.pop()
        name = str(op)
        if name in ("GROUPREF", "GROUPREF_EXISTS", "GROUPREF_IGNORE", "ASSERT", "ASSERT_NOT", "ATOMIC_GROUP"):
            return False
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            repeats += 1
            body = list(arg[2])
            if repeats > 1 or not all(str(o) in single for o, _ in body):
                return False
        elif name == "SUBPATTERN":
            stack.extend(arg[-1])
        elif name == "BRANCH":
            for alternative in arg[1]:
                stack.extend(alternative)
    return True


def regex(name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """`re.split(r"(\\W+)", sentence)` and the like on strings the file holds, for tame patterns only."""
    if keywords or len(positional) != (3 if name == "sub" else 2):
        return UNKNOWN
    pattern, text = positional[0], positional[-1]
    repl = positional[1] if name == "sub" else ""
    if not (isinstance(pattern, str) and isinstance(text, str) and isinstance(repl, str)):
        return UNKNOWN
    if len(pattern) > 200 or len(text) > MAX_REGEX_TEXT or "\\" in repl or not regex_is_tame(pattern):
        return UNKNOWN
    try:
        if name == "sub":
            return re.sub(pattern, repl, text)
        result = re.split(pattern, text) if name == "split" else re.findall(pattern, text)
    except (re.error, ValueError, IndexError):
        return UNKNOWN
    return result if len(result) <= MAX_SEQUENCE and is_plain(result) else UNKNOWN


def csv_rows(source: Any, keywords: dict[str, Any]) -> Any:
    """`csv.reader(io.StringIO(WINE_CSV), delimiter=";")` of text the file holds: its rows, as Python's
    csv module reads them (data only)."""
    lines = source.text.splitlines(keepends=True) if isinstance(source, TextBuffer) else source
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines) or len(lines) > MAX_SEQUENCE:
        return UNKNOWN
    if not all(k in ("delimiter", "quotechar", "skipinitialspace", "lineterminator", "doublequote") and is_plain(v)
               for k, v in keywords.items()) or sum(len(line) for line in lines) > 1_000_000:
        return UNKNOWN
    try:
        return Stream([list(row) for row in csv.reader(lines, **keywords)])
    except (csv.Error, TypeError, ValueError):
        return UNKNOWN


def json_value(text: Any) -> Any:
    """`json.loads` of a string the file holds: data only, never code; anything odd is unknown."""
    if not isinstance(text, str) or len(text) > 100_000:
        return UNKNOWN
    try:
        value = json.loads(text)
        return value if size_ok(value) and is_plain(value) else UNKNOWN
    except (ValueError, RecursionError):
        return UNKNOWN  # not JSON, or nested deeper than Python follows


def literal_value(text: Any) -> Any:
    """`ast.literal_eval` of a string the file holds: Python literals only (never names, calls or
    operators beyond a sign), parsed, not run; anything odd is unknown."""
    if not isinstance(text, str) or len(text) > 100_000:
        return UNKNOWN
    try:
        value = ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return UNKNOWN
    if isinstance(value, (set, frozenset)):
        value = set(value) if all(is_plain(v) for v in value) else UNKNOWN
    return value if size_ok(value) and is_plain(value) else UNKNOWN
