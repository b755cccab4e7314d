"""Dimensions: int, None (unknown) or symbolic, and arithmetic that keeps each kind honest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

# Operator precedence levels used to parenthesise symbolic formulas minimally.
_ATOM, _MUL, _ADD = 3, 2, 1


@dataclass(frozen=True)
class Sym:
    """A size known only by a name or formula, e.g. `H` or `(H - 2) // 2`.

    `base` and `offset` keep a formula's trailing constant apart (`H - 4` is base `H`, offset -4),
    so that adding constants folds: (H - 2) - 2 is written H - 4.
    """

    expr: str
    prec: int = _ATOM
    base: str | None = None
    base_prec: int = _ATOM
    offset: int = 0

    def __str__(self) -> str:
        return self.expr


def _linear(base: str, base_prec: int, offset: int) -> Sym:
    if offset == 0:
        return Sym(base, base_prec, base, base_prec, 0)
    shown = base if base_prec >= _ADD else f"({base})"
    sign = "+" if offset > 0 else "-"
    return Sym(f"{shown} {sign} {abs(offset)}", _ADD, base, base_prec, offset)


def _parts(s: Sym) -> tuple[str, int, int]:
    """(base, base precedence, offset) of a symbolic size."""
    if s.base is not None:
        return s.base, s.base_prec, s.offset
    return s.expr, s.prec, 0


Dim = Union[int, None, Sym]  # noqa: UP007  (a runtime alias, also on Python 3.10)
Shape = tuple[Dim, ...]


class ShapeError(Exception):
    """A fault Keras raises when it builds the layer. `kind` picks the rule that reports it."""

    def __init__(self, message: str, kind: str = "incompatible") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


class UnknownType:
    """The abstract value of anything kerascheck cannot know. It never causes a diagnostic."""

    _instance: UnknownType | None = None

    def __new__(cls) -> UnknownType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value; test `is UNKNOWN` instead")


UNKNOWN = UnknownType()


class Unknowable(Exception):
    """Raised by a shape rule when a value it needs is not known: the result is unknown."""


def is_known(d: Dim) -> bool:
    return isinstance(d, int)


def sizes_differ(a: Dim, b: Dim) -> bool:
    """Two sizes both known and different (an unknown or symbolic size never differs)."""
    return is_known(a) and is_known(b) and a != b


def _wrap(d: Dim, prec: int) -> str:
    if isinstance(d, Sym):
        return f"({d.expr})" if d.prec < prec else d.expr
    return str(d)


def add(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    if isinstance(a, int) and isinstance(b, Sym):
        a, b = b, a
    if isinstance(a, Sym) and isinstance(b, int):
        base, base_prec, offset = _parts(a)
        return _linear(base, base_prec, offset + b)
    if b == 0:
        return a
    if a == 0:
        return b
    if isinstance(b, int) and b < 0:
        return Sym(f"{_wrap(a, _ADD)} - {-b}", _ADD)
    return Sym(f"{_wrap(a, _ADD)} + {_wrap(b, _ADD + 1)}", _ADD)


def sub(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a - b
    if isinstance(a, Sym) and isinstance(b, int):
        return add(a, -b)
    if b == 0:
        return a
    if isinstance(b, int) and b < 0:
        return Sym(f"{_wrap(a, _ADD)} + {-b}", _ADD)
    return Sym(f"{_wrap(a, _ADD)} - {_wrap(b, _ADD + 1)}", _ADD)


def mul(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a * b
    if a == 1:
        return b
    if b == 1:
        return a
    if a == 0 or b == 0:
        return 0
    if isinstance(a, int):  # write the constant second: H * 2
        a, b = b, a
    return Sym(f"{_wrap(a, _MUL)} * {_wrap(b, _MUL + 1)}", _MUL)


def floordiv(a: Dim, b: Dim) -> Dim:
    if a is None or b is None:
        return None
    if isinstance(a, int) and isinstance(b, int):
        return a // b
    if b == 1:
        return a
    return Sym(f"{_wrap(a, _MUL)} // {_wrap(b, _MUL + 1)}", _MUL)


def prod(dims: tuple[Dim, ...] | list[Dim]) -> Dim:
    result: Dim = 1
    for d in dims:
        result = mul(result, d)
    return result


def format_dim(d: Dim) -> str:
    return "None" if d is None else str(d)


def format_shape(shape: Shape | list[Shape] | None) -> str:
    """A shape as a Python tuple, the way Keras prints it: (None, 30, 30, 32); a list of shapes (a layer
    with several outputs) as a list of them; `?` when unknown. The one shape formatter of kerascheck."""
    if shape is None:
        return "?"
    if isinstance(shape, list):
        return "[" + ", ".join(format_shape(s) for s in shape) + "]"
    inner = ", ".join(format_dim(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"
