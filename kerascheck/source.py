"""Reading sources: plain files and notebooks, the cheap pre-filter, and parsing with LibCST.

LibCST is imported only when a file passes the pre-filter, so files that never mention Keras
cost a read and a substring search.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from kerascheck.diagnostics import Span

_MENTIONS = re.compile(r"keras|tensorflow")
# IPython syntax that is not Python: magics, shell escapes, help (`obj?`).
_MAGIC = re.compile(r"^(\s*)([%!]|\?\?|\?)(.*)$")


class SourceError(Exception):
    """The file cannot be read at all (missing, unreadable, not UTF-8, not a notebook)."""


@dataclass
class Unit:
    """A piece of code parsed on its own: a whole file, or one notebook cell."""

    text: str
    cell: int | None = None
    module: Any = None  # libcst.Module once parsed
    syntax_error: tuple[str, Span] | None = None


@dataclass
class Source:
    path: str
    text: str  # the file's raw text (the JSON document for a notebook)
    units: list[Unit] = field(default_factory=list)
    notebook: dict[str, Any] | None = None

    @property
    def is_notebook(self) -> bool:
        return self.notebook is not None


def mentions_keras(text: str) -> bool:
    return _MENTIONS.search(text) is not None


def read_text(path: str) -> str:
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise SourceError(f"cannot read {path}: {e.strerror or e}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise SourceError(f"cannot read {path}: not UTF-8 text ({e.reason} at byte {e.start})") from None


# Cell magics whose body is Python that IPython runs (`%%time`); any other cell magic's body is
# another language or text (`%%bash`, `%%writefile model.py`, `%%html`) and is not checked.
_PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun", "debug"}
_CELL_MAGIC = re.compile(r"^\s*%%(\w+)")


def _bracket_depth(line: str, depth: int, quote: str | None) -> tuple[int, str | None]:
    """The bracket depth and open triple-quoted string after `line`, read roughly as Python reads it."""
    i = 0
    while i < len(line):
        if quote is not None:
            end = line.find(quote, i)
            if end < 0:
                return depth, quote
            i = end + len(quote)
            quote = None
            continue
        c = line[i]
        if c == "#":
            break
        if c in "'\"":
            triple = line[i:i + 3]
            if triple in ("'''", '"""'):
                quote = triple
                i += 3
                continue
            end = i + 1
            while end < len(line) and line[end] != c:
                end += 2 if line[end] == "\\" else 1
            i = end + 1
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth = max(depth - 1, 0)
        i += 1
    return depth, quote


def mask_magics(code: str) -> str:
    """Blank out IPython-only lines so the cell parses, keeping line numbers and columns.

    A cell magic other than the ones that time or capture Python (`%%bash`, `%%writefile`) makes the
    whole cell another language: every line is blanked. A line starting with `%`, `!` or `?` is a
    magic only outside brackets and strings: inside `(...)` it is Python's `%` operator.
    """
    lines = code.split("\n")
    first = next((line for line in lines if line.strip()), "")
    magic = _CELL_MAGIC.match(first)
    if magic is not None and magic.group(1) not in _PYTHON_CELL_MAGICS:
        return "\n" * (len(lines) - 1)  # nothing of it is Python: no line of it is checked
    out = []
    continuing = False
    depth, quote = 0, None
    for line in lines:
        if continuing or (depth == 0 and quote is None and _MAGIC.match(line)):
            # A continuation line of a magic is blank: its indentation is the shell's, not Python's.
            out.append("" if continuing else _blank(line))
            continuing = line.rstrip().endswith("\\")
        else:
            out.append(line)
            depth, quote = _bracket_depth(line, depth, quote)
    return "\n".join(out)


def _blank(line: str) -> str:
    # Keep the line's length, so later columns do not move; `pass` keeps blocks valid.
    indent = len(line) - len(line.lstrip())
    return " " * indent + "pass" if line.strip() else line


def load(path: str, text: str) -> Source:
    """Split a file into units: a notebook's code cells, or the file itself."""
    if path.endswith(".ipynb"):
        try:
            nb = json.loads(text)
            cells = nb["cells"]
        except (ValueError, KeyError, TypeError):
            raise SourceError(f"cannot read {path}: not a Jupyter notebook") from None
        units = []
        for index, cell in enumerate(cells, start=1):
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            body = cell.get("source", "")
            code = "".join(body) if isinstance(body, list) else str(body)
            units.append(Unit(mask_magics(code), cell=index))
        return Source(path, text, units, notebook=nb)
    return Source(path, text, [Unit(text)])


def parse(unit: Unit) -> None:
    """Parse a unit with LibCST; a syntax error is recorded, never raised."""
    import libcst as cst

    try:
        unit.module = cst.parse_module(unit.text)
    except cst.ParserSyntaxError as e:
        unit.syntax_error = _python_syntax_error(unit) or (
            str(e).splitlines()[-1] if str(e) else "invalid syntax",
            Span.point(e.raw_line, e.raw_column + 1, unit.cell),
        )
    except RecursionError:
        unit.syntax_error = ("the file is nested too deeply to parse", Span.point(1, 1, unit.cell))


def _python_syntax_error(unit: Unit) -> tuple[str, Span] | None:
    """CPython's own wording and position for a syntax error: clearer than the CST parser's."""
    import ast

    try:
        ast.parse(unit.text)
    except SyntaxError as e:
        line = e.lineno or 1
        column = e.offset or 1
        return (e.msg, Span.point(line, max(column, 1), unit.cell))
    except (ValueError, RecursionError, MemoryError):
        return None
    return None
