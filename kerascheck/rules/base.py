"""What a rule is: a class with a stable code, documentation, examples, and a check over the IR."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from kerascheck.diagnostics import Diagnostic, Fix, Severity, Span
from kerascheck.model import CallNote, Layer, Model


@dataclass(frozen=True)
class Example:
    """A snippet for the rule's generated tests: `expect` lists (line, message fragment) it must report."""

    code: str
    expect: tuple[tuple[int, str], ...] = ()
    fixed: str | None = None  # the code after applying the rule's fix, where it has one


class FixAvailability(enum.Enum):
    """Whether a rule's findings come with a fix, and of which safety (ruff's "fix availability")."""

    NONE = "none"
    SAFE = "safe"  # every finding has a safe fix
    UNSAFE = "unsafe"  # every finding has a fix, and it changes the model
    SOMETIMES = "sometimes"  # some findings have a fix, or its safety depends on the case


class Rule:
    """Subclasses set the class attributes, carry their documentation, and implement `check`.

    Each rule lives in its own module of this package, named after NAME (`dense-on-feature-map` in
    `rules/dense_on_feature_map.py`); the package finds it there (see `rules/__init__.py`).
    """

    CODE: ClassVar[str]
    NAME: ClassVar[str]
    SEVERITY: ClassVar[Severity]
    FIX: ClassVar[FixAvailability]
    # Whether the rule runs without being selected. Explanatory rules that flag accepted style (Keras's
    # own documentation writes `Conv2D(32, 3)`; deferred building is deliberate) are opt-in, as ruff
    # keeps its pedantic rules out of its defaults: `--extend-select learn` turns them on.
    DEFAULT: ClassVar[bool] = True
    # Whether the rule only holds for Keras 3: a file that says it is tf.keras 2 code (it sets
    # TF_USE_LEGACY_KERAS=1 or imports tf_keras) gets none of its findings.
    KERAS3_ONLY: ClassVar[bool] = False
    VALID: ClassVar[list[Example]] = []
    INVALID: ClassVar[list[Example]] = []
    # File-level rules (syntax errors, internal errors) are reported by the engine, not by `check`.
    FILE_LEVEL: ClassVar[bool] = False

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        return iter(())

    def check_file(self, ctx: Context) -> Iterator[Diagnostic]:
        """Findings about the file's other calls (`fit`, optimizers), once per file."""
        return iter(())

    @classmethod
    def summary(cls) -> str:
        """The first sentence of 'What it does', for rule tables."""
        doc = cls.__doc__ or ""
        lines = [line.strip() for line in doc.strip().splitlines()]
        try:
            start = lines.index("## What it does") + 1
        except ValueError:
            start = 0
        text = " ".join(line for line in lines[start:] if line and not line.startswith("##")).strip()
        end = text.find(". ")
        return text if end < 0 else text[: end + 1]

    @classmethod
    def documentation(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")


@dataclass
class Context:
    """What a rule may use besides the model: where to report, and the file's other models."""

    models: list[Model] = field(default_factory=list)
    notes: list[CallNote] = field(default_factory=list)
    layers: list[Layer] = field(default_factory=list)  # every layer the file creates, in order

    def report(
        self, rule: Rule | type[Rule], at: Layer | Model | Span, message: str, fix: Fix | None = None
    ) -> Diagnostic:
        span = at if isinstance(at, Span) else at.span
        return Diagnostic(rule.CODE, rule.SEVERITY, message, span, fix, rule.NAME)


def layer_call(layer: Layer) -> str:
    """How a message names a layer: its call with the counts that matter, `Dense(64)`."""
    shown = []
    if layer.args is not None and layer.spec is not None:
        for param in layer.spec.signature.params:
            if param.required and param.name in layer.args.given:
                value = layer.args.given[param.name]
                shown.append(repr(value) if isinstance(value, (int, float, str, tuple, list)) else "...")
            else:
                break
    short = layer.written.rsplit(".", 1)[-1] if layer.written else layer.type
    return f"{short}({', '.join(shown)})"
