"""Source positions for CST nodes, computed cheaply.

LibCST's PositionProvider re-generates the whole file's code to find positions, which costs about
three times the parse itself. Python's own `ast` knows the same positions and parses about ten
times faster, so kerascheck parses each unit with `ast` too and pairs the two trees: statement by
statement (both list the same statements in the same order), and, inside one statement, call by
call and argument by argument in source order. Only the statements whose nodes are asked about
are paired. Where the pairing cannot be made (a statement `ast` shows differently, or `ast`
cannot parse what LibCST can), it falls back to LibCST's PositionProvider for that unit.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from typing import Any

import libcst as cst

from kerascheck.diagnostics import Span

_COMPOUND_BODIES = ("body", "orelse", "finalbody")


class Positions:
    def __init__(self, module: cst.Module, cell: int | None, text: str) -> None:
        self.module = module
        self.cell = cell
        self.lines = text.split("\n")
        self.text = text
        self._statements: dict[int, list[ast.stmt]] | None = None
        self._spans: dict[int, Span] = {}
        self._indexed: set[int] = set()
        self._fallback: Any = None

    # -- public ------------------------------------------------------------------------------

    def span(self, node: cst.CSTNode, statement: cst.CSTNode | None = None) -> Span:
        key = id(node)
        found = self._spans.get(key)
        if found is not None:
            return found
        if self._fallback is None:
            statements = self._statement_index()
            if statements is not None:
                if key in statements:
                    return self._statement_span(node, statements[key])
                if statement is not None and id(statement) not in self._indexed:
                    self._index_statement(statement)
                    found = self._spans.get(key)
                    if found is not None:
                        return found
        return self._slow(node)

    def source_text(self, span: Span) -> str:
        """The source text a span covers."""
        if span.line == span.end_line:
            line = self.lines[span.line - 1] if 0 < span.line <= len(self.lines) else ""
            return line[span.column - 1: span.end_column - 1]
        parts = [self.lines[span.line - 1][span.column - 1:]]
        parts.extend(self.lines[span.line: span.end_line - 1])
        parts.append(self.lines[span.end_line - 1][: span.end_column - 1])
        return "\n".join(parts)

    def starts_line(self, span: Span) -> bool:
        if not 0 < span.line <= len(self.lines):
            return False
        return self.lines[span.line - 1][: span.column - 1].strip() == ""

    # -- statements --------------------------------------------------------------------------

    def _statement_index(self) -> dict[int, list[ast.stmt]] | None:
        if self._statements is None:
            try:
                tree = ast.parse(self.text)
            except (SyntaxError, ValueError, RecursionError, MemoryError):
                self._use_fallback()
                return None
            index: dict[int, list[ast.stmt]] = {}
            if not _pair_bodies(list(self.module.body), list(tree.body), index):
                self._use_fallback()
                return None
            self._statements = index
        return self._statements

    def _statement_span(self, node: cst.CSTNode, stmts: list[ast.stmt]) -> Span:
        first, last = stmts[0], stmts[-1]
        end_line, end_col = last.end_lineno or last.lineno, last.end_col_offset or 0
        start_line = first.lineno
        decorators = getattr(first, "decorator_list", None)
        if decorators:
            start_line = decorators[0].lineno  # LibCST's span starts at the decorators
        span = Span(
            start_line,
            self._column(first.lineno, first.col_offset) if start_line == first.lineno else 1,
            end_line,
            self._column(end_line, end_col),
            self.cell,
        )
        self._spans[id(node)] = span
        return span

    # -- calls and arguments inside one statement ---------------------------------------------

    def _index_statement(self, statement: cst.CSTNode) -> None:
        self._indexed.add(id(statement))
        statements = self._statement_index()
        if statements is None or id(statement) not in statements:
            return
        cst_calls = list(_cst_calls(statement))
        ast_calls = sorted(
            (n for s in statements[id(statement)] for n in ast.walk(s) if isinstance(n, ast.Call)),
            key=lambda n: (n.lineno, n.col_offset, -(n.end_lineno or 0), -(n.end_col_offset or 0)),
        )
        if len(cst_calls) != len(ast_calls):
            return  # leave these to the fallback
        for c_call, a_call in zip(cst_calls, ast_calls):
            self._spans[id(c_call)] = self._node_span(a_call)
            a_args: list[ast.expr | ast.keyword] = sorted(
                [*a_call.args, *a_call.keywords], key=lambda n: (n.lineno, n.col_offset)
            )
            if len(a_args) == len(c_call.args):
                for c_arg, a_arg in zip(c_call.args, a_args):
                    if not isinstance(a_arg, ast.GeneratorExp):  # `f(x for x in y)`: ast includes f's parens
                        self._spans[id(c_arg)] = self._node_span(a_arg)

    def _node_span(self, node: ast.expr | ast.stmt | ast.keyword) -> Span:
        line = node.lineno
        end_line = node.end_lineno or line
        return Span(
            line,
            self._column(line, node.col_offset),
            end_line,
            self._column(end_line, node.end_col_offset or 0),
            self.cell,
        )

    def _column(self, line: int, byte_offset: int) -> int:
        """`ast` counts UTF-8 bytes; kerascheck counts characters, 1-based."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return byte_offset + 1
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace")) + 1

    # -- the slow, always-right path ------------------------------------------------------------

    def _use_fallback(self) -> None:
        from libcst.metadata import MetadataWrapper, PositionProvider

        self._statements = None
        self._fallback = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider)

    def _slow(self, node: cst.CSTNode) -> Span:
        if self._fallback is None:
            self._use_fallback()
        r = self._fallback.get(node)
        if r is None:
            return Span.point(1, 1, self.cell)
        span = Span(r.start.line, r.start.column + 1, r.end.line, r.end.column + 1, self.cell)
        self._spans[id(node)] = span
        return span


_TRIVIA = ("whitespace", "lines", "newline", "comma", "semicolon", "lpar", "rpar", "colon", "header", "footer",
           "equal", "lbracket", "rbracket", "lbrace", "rbrace", "dot", "indent", "asynchronous")
_NODE_FIELDS: dict[type, tuple[str, ...]] = {}
# Node classes whose dataclass field order is not their source order.
_SOURCE_ORDER: dict[type, tuple[str, ...]] = {
    cst.IfExp: ("body", "test", "orelse"),
    cst.FunctionDef: ("decorators", "params", "returns", "body"),
    cst.ClassDef: ("decorators", "bases", "keywords", "body"),
    cst.ExceptHandler: ("type", "name", "body"),
    cst.ExceptStarHandler: ("type", "name", "body"),
    cst.MatchCase: ("pattern", "guard", "body"),
    cst.Parameters: ("posonly_params", "params", "star_arg", "kwonly_params", "star_kwarg"),
}


def _fields(cls: type) -> tuple[str, ...]:
    """The fields of a CST node class that can hold code (not whitespace or punctuation)."""
    names = _NODE_FIELDS.get(cls)
    if names is None and cls in _SOURCE_ORDER:
        names = _NODE_FIELDS[cls] = _SOURCE_ORDER[cls]
    if names is None:
        import dataclasses

        names = tuple(
            f.name for f in dataclasses.fields(cls)
            if not any(t in f.name for t in _TRIVIA)
        )
        _NODE_FIELDS[cls] = names
    return names


def _cst_calls(node: cst.CSTNode) -> Iterator[cst.Call]:
    """Calls under `node` in source order, an outer call before the calls inside it.

    Reads the node fields directly: LibCST's `children` runs a visitor per node, which costs
    more than the whole pairing.
    """
    stack: list[Any] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Call):
            yield current
        found: list[Any] = []
        for name in _fields(type(current)):
            value = getattr(current, name)
            if isinstance(value, cst.CSTNode):
                found.append(value)
            elif isinstance(value, (tuple, list)):
                found.extend(v for v in value if isinstance(v, cst.CSTNode))
        stack.extend(reversed(found))


def _pair_bodies(c_body: list[Any], a_body: list[ast.stmt], index: dict[int, list[ast.stmt]]) -> bool:
    """Pair a block's CST statements with its `ast` statements; False where they do not line up."""
    i = 0
    for stmt in c_body:
        if isinstance(stmt, cst.SimpleStatementLine):
            n = len(stmt.body)
            group = a_body[i:i + n]
            if len(group) != n:
                return False
            index[id(stmt)] = group
            for small, a in zip(stmt.body, group):
                index[id(small)] = [a]
            i += n
            continue
        if i >= len(a_body):
            return False
        a = a_body[i]
        i += 1
        index[id(stmt)] = [a]
        if not _pair_compound(stmt, a, index):
            return False
    return i == len(a_body)


def _pair_suite(suite: Any, a_body: list[ast.stmt], index: dict[int, list[ast.stmt]]) -> bool:
    if isinstance(suite, cst.SimpleStatementSuite):
        if len(suite.body) != len(a_body):
            return False
        index[id(suite)] = a_body
        for small, a in zip(suite.body, a_body):
            index[id(small)] = [a]
        return True
    return _pair_bodies(list(suite.body) if isinstance(suite, cst.IndentedBlock) else [], a_body, index)


def _pair_compound(stmt: Any, a: ast.stmt, index: dict[int, list[ast.stmt]]) -> bool:
    if isinstance(stmt, cst.If) and isinstance(a, ast.If):
        if not _pair_suite(stmt.body, a.body, index):
            return False
        orelse = stmt.orelse
        if isinstance(orelse, cst.If):
            if len(a.orelse) != 1:
                return False
            index[id(orelse)] = [a.orelse[0]]
            return _pair_compound(orelse, a.orelse[0], index)
        if isinstance(orelse, cst.Else):
            return _pair_suite(orelse.body, a.orelse, index)
        return not a.orelse
    if isinstance(stmt, (cst.For, cst.While)) and isinstance(a, (ast.For, ast.AsyncFor, ast.While)):
        if not _pair_suite(stmt.body, a.body, index):
            return False
        if isinstance(stmt.orelse, cst.Else):
            return _pair_suite(stmt.orelse.body, a.orelse, index)
        return not a.orelse
    if isinstance(stmt, (cst.FunctionDef, cst.ClassDef, cst.With)) and isinstance(
        a, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.With, ast.AsyncWith)
    ):
        return _pair_suite(stmt.body, a.body, index)
    if isinstance(stmt, (cst.Try, cst.TryStar)) and isinstance(a, (ast.Try, getattr(ast, "TryStar", ast.Try))):
        tried: Any = a  # ast.Try, or ast.TryStar (Python 3.11+): the same fields
        if not _pair_suite(stmt.body, tried.body, index) or len(stmt.handlers) != len(tried.handlers):
            return False
        handlers: Sequence[cst.ExceptHandler | cst.ExceptStarHandler] = stmt.handlers
        for h, ah in zip(handlers, tried.handlers):
            if not _pair_suite(h.body, ah.body, index):
                return False
        if isinstance(stmt.orelse, cst.Else) and not _pair_suite(stmt.orelse.body, tried.orelse, index):
            return False
        if stmt.finalbody is not None and not _pair_suite(stmt.finalbody.body, tried.finalbody, index):
            return False
        return True
    if isinstance(stmt, cst.Match):
        return isinstance(a, getattr(ast, "Match", ()))  # cases are not paired: their nodes use the fallback
    return False
