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
    too_large: tuple[str, Span] | None = None  # over an analysis budget: not analysed (KC902)


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
        except (ValueError, KeyError, TypeError, RecursionError):
            raise SourceError(f"cannot read {path}: not a Jupyter notebook") from None
        if not isinstance(cells, list):
            raise SourceError(f"cannot read {path}: not a Jupyter notebook (its `cells` is not a list)")
        units = []
        for index, cell in enumerate(cells, start=1):
            if not isinstance(cell, dict) or cell.get("cell_type") != "code":
                continue
            body = cell.get("source", "")
            if isinstance(body, list) and all(isinstance(line, str) for line in body):
                code = "".join(body)
            elif isinstance(body, str):
                code = body
            else:
                raise SourceError(f"cannot read {path}: not a Jupyter notebook (cell {index}'s source is not text)")
            units.append(Unit(mask_magics(code), cell=index))
        return Source(path, text, units, notebook=nb)
    return Source(path, text, [Unit(text)])


# What one unit (a file, or a notebook cell) may hold before kerascheck declines to analyse it. Real
# model code stays far below (the largest published example seen has about 5,000 syntax nodes and a
# nesting depth of 20); hostile or generated files above them would cost gigabytes and minutes.
MAX_BYTES = 2_000_000
MAX_LINE_LENGTH = 20_000
MAX_NODES = 200_000
MAX_DEPTH = 1_000


def parse(unit: Unit) -> None:
    """Parse a unit with LibCST; a syntax error is recorded, never raised.

    Python's own parser reads the unit first: what CPython rejects (such as brackets nested more
    than 200 deep) is a syntax error with CPython's wording and never reaches LibCST's native
    parser, and a unit over the size, line-length, node or depth budget is marked `too_large`.
    """
    over = _over_text_budget(unit)
    if over is not None:
        unit.too_large = over
        return
    unit.syntax_error, unit.too_large = _python_parse(unit)
    if unit.syntax_error is not None or unit.too_large is not None:
        return
    import libcst as cst

    try:
        unit.module = cst.parse_module(unit.text)
    except cst.ParserSyntaxError as e:
        unit.syntax_error = (
            str(e).splitlines()[-1] if str(e) else "invalid syntax",
            Span.point(e.raw_line, e.raw_column + 1, unit.cell),
        )
    except RecursionError:
        unit.too_large = ("the code is nested too deeply to analyse", Span.point(1, 1, unit.cell))


def _over_text_budget(unit: Unit) -> tuple[str, Span] | None:
    size = len(unit.text)
    if size > MAX_BYTES:
        return (f"{size:,} characters, more than the {MAX_BYTES:,} kerascheck analyses", Span.point(1, 1, unit.cell))
    for number, line in enumerate(unit.text.split("\n"), start=1):
        if len(line) > MAX_LINE_LENGTH:
            return (f"line {number} has {len(line):,} characters, more than the {MAX_LINE_LENGTH:,} kerascheck "
                    "analyses", Span.point(number, 1, unit.cell))
    return None


def _python_parse(unit: Unit) -> tuple[tuple[str, Span] | None, tuple[str, Span] | None]:
    """(syntax error, over budget) from CPython's parser and one iterative walk of its tree."""
    import ast

    try:
        tree = ast.parse(unit.text)
    except SyntaxError as e:
        return (e.msg, Span.point(e.lineno or 1, max(e.offset or 1, 1), unit.cell)), None
    except (RecursionError, MemoryError):
        return None, ("the code is nested too deeply to analyse", Span.point(1, 1, unit.cell))
    except ValueError as e:  # a NUL byte
        return (str(e), Span.point(1, 1, unit.cell)), None
    nodes = 0
    stack: list[tuple[Any, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        nodes += 1
        if nodes > MAX_NODES:
            return None, (f"more than {MAX_NODES:,} syntax nodes, the most kerascheck analyses",
                                Span.point(1, 1, unit.cell))
        if depth > MAX_DEPTH:
            line = getattr(node, "lineno", 1)
            return None, (f"expressions nested more than {MAX_DEPTH:,} deep, the most kerascheck analyses",
                                Span.point(line, 1, unit.cell))
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return None, None
