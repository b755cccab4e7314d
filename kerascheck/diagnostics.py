"""Diagnostics: what every stage reports, and the fixes attached to them.

Standard library only: every other module may import this one.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that `>=` compares thresholds."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


@dataclass(frozen=True, order=True)
class Span:
    """A region of source, 1-based lines and columns, `end_column` exclusive.

    `cell` is the 1-based notebook cell the lines count in, or None for a plain file.
    """

    line: int
    column: int
    end_line: int
    end_column: int
    cell: int | None = None

    @classmethod
    def point(cls, line: int, column: int = 1, cell: int | None = None) -> Span:
        return cls(line, column, line, column, cell)

    @property
    def place(self) -> str:
        """Where it starts, for a message: `line 20`, or `cell 5, line 2` in a notebook."""
        return f"line {self.line}" if self.cell is None else f"cell {self.cell}, line {self.line}"


class Safety(enum.Enum):
    """Whether applying a fix keeps the model the same (`--fix`) or changes it (`--unsafe-fixes`)."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True)
class Edit:
    """Replace the text in `span` with `content` (an empty span inserts)."""

    span: Span
    content: str


@dataclass(frozen=True)
class Fix:
    title: str
    edits: tuple[Edit, ...]
    safety: Safety

    def to_json(self) -> dict[str, object]:
        return {
            "title": self.title,
            "safety": self.safety.value,
            "edits": [
                {
                    "line": e.span.line,
                    "column": e.span.column,
                    "end_line": e.span.end_line,
                    "end_column": e.span.end_column,
                    "content": e.content,
                    **({"cell": e.span.cell} if e.span.cell is not None else {}),
                }
                for e in self.edits
            ],
        }


@dataclass(frozen=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    span: Span
    fix: Fix | None = None
    rule_name: str = ""
    notes: tuple[str, ...] = field(default=())

    def sort_key(self) -> tuple[int, int, int, int, str]:
        return (self.span.cell or 0, self.span.line, self.span.column, -int(self.severity), self.code)
