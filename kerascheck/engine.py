"""The one place that knows the order of the stages: read, parse, extract, infer, check.

Never raises for anything a file contains: a syntax error is a KC001 diagnostic, and a failure
inside kerascheck is a KC900 diagnostic (the CLI exits 2 on it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kerascheck.diagnostics import Diagnostic, Span
from kerascheck.source import Source, SourceError, load, mentions_keras, read_text

if TYPE_CHECKING:  # the IR is imported by the stages that build it, not at start-up
    from kerascheck.model import Model


@dataclass
class Settings:
    """Which rules run. Codes are matched by prefix, as ruff does (`KC2` selects KC201...)."""

    select: tuple[str, ...] = ("KC",)
    ignore: tuple[str, ...] = ()
    execute: bool = False  # run every model in NumPy to confirm the static shapes (`--execute`)
    # Opt-in rules nobody asked for by name (the command line's default leaves KC401 and KC601 out):
    # off whatever the prefixes say.
    off: tuple[str, ...] = ()

    def enabled(self, code: str) -> bool:
        if code in self.off:
            return False

        def match(prefixes: tuple[str, ...]) -> int:
            return max((len(p) for p in prefixes if code.startswith(p)), default=-1)

        selected, ignored = match(self.select), match(self.ignore)
        return selected >= 0 and selected > ignored


@dataclass
class FileResult:
    path: str
    models: list[Model] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    source: Source | None = None
    read_error: str | None = None  # the file could not be read at all
    internal_error: bool = False
    skipped: bool = False  # never mentions keras or tensorflow


def check_file(path: str, settings: Settings | None = None) -> FileResult:
    try:
        text = read_text(path)
    except SourceError as e:
        return FileResult(path, read_error=str(e))
    return check_text(path, text, settings)


def check_text(path: str, text: str, settings: Settings | None = None) -> FileResult:
    settings = settings or Settings()
    result = FileResult(path)
    if not mentions_keras(text):
        result.skipped = True
        return result
    try:
        source = load(path, text)
    except SourceError as e:
        result.read_error = str(e)
        return result
    result.source = source
    try:
        _run(source, result, settings)
    except Exception as e:  # a kerascheck bug: report it, never a traceback
        import traceback

        where = traceback.extract_tb(e.__traceback__)[-1]
        result.internal_error = True
        result.models = []
        result.diagnostics = [
            Diagnostic(
                "KC900",
                _severity("KC900"),
                f"internal error: {type(e).__name__}: {e} (at {where.filename.rsplit('/', 1)[-1]}:{where.lineno})",
                Span.point(1, 1),
                rule_name="internal-error",
            )
        ]
    return result


# tf.keras 2 code that says so: `os.environ["TF_USE_LEGACY_KERAS"] = "1"` (or setdefault, or `%env` in a
# notebook), or an import of the tf_keras package. Read from the raw text (a notebook's JSON included).
_KERAS2 = re.compile(
    r"""TF_USE_LEGACY_KERAS\\?["']?\s*(?:\]\s*=|,|=)\s*\\?["']?(?:1|true|True)\b|^\s*(?:import|from)\s+tf_keras\b|"""
    r"""\\n["']?\s*(?:import|from)\s+tf_keras\b|"\s*(?:import|from)\s+tf_keras\b""",
    re.MULTILINE,
)


def declares_keras2(text: str) -> bool:
    """Whether the file declares itself tf.keras 2 code, where Keras-3-only rules do not hold."""
    return ("TF_USE_LEGACY_KERAS" in text or "tf_keras" in text) and _KERAS2.search(text) is not None


def _severity(code: str):  # type: ignore[no-untyped-def]
    from kerascheck.rules import RULES_BY_CODE

    return RULES_BY_CODE[code].SEVERITY


def _run(source: Source, result: FileResult, settings: Settings) -> None:
    from kerascheck.extract import extract
    from kerascheck.infer import infer
    from kerascheck.rules import ALL_RULES, Context
    from kerascheck.source import parse

    diagnostics: list[Diagnostic] = []
    for unit in source.units:
        parse(unit)
        if unit.syntax_error is not None:
            message, span = unit.syntax_error
            diagnostics.append(Diagnostic("KC001", _severity("KC001"), message, span, rule_name="syntax-error"))
        if unit.too_large is not None:
            message, span = unit.too_large
            where = "this cell" if unit.cell is not None else "this file"
            diagnostics.append(Diagnostic("KC902", _severity("KC902"), f"{where} is not analysed: {message}", span,
                                          rule_name="too-large-to-analyse"))
    if any(u.syntax_error for u in source.units) and not source.is_notebook:
        result.diagnostics = [d for d in diagnostics if settings.enabled(d.code)]
        return
    try:
        models, notes, layers = extract(source)
    except RecursionError:
        models, notes, layers = [], [], []  # nested deeper than the interpreter follows: nothing said
    for model in models:
        infer(model)
    if settings.execute:
        from kerascheck.execute import execute_model

        for model in models:
            model.execution = execute_model(model)
    ctx = Context(models, notes, layers)
    rules = [r() for r in ALL_RULES if not r.FILE_LEVEL and settings.enabled(r.CODE)]
    seen: set[tuple[str, Span]] = set()
    found = [d for model in models for rule in rules for d in rule.check(model, ctx)]
    found += [d for rule in rules for d in rule.check_file(ctx)]
    for d in found:
        key = (d.code, d.span)
        if key not in seen:
            seen.add(key)
            diagnostics.append(d)
    result.models = models
    from kerascheck.suppress import filter_suppressed

    enabled = [d for d in diagnostics if settings.enabled(d.code)]
    if declares_keras2(source.text):
        from kerascheck.rules import RULES_BY_CODE

        enabled = [d for d in enabled if not (d.code in RULES_BY_CODE and RULES_BY_CODE[d.code].KERAS3_ONLY)]
    texts = {unit.cell: unit.text for unit in source.units}
    if settings.enabled("KC903"):
        enabled += _unused_noqa(enabled, source, settings)
    result.diagnostics = sorted(filter_suppressed(enabled, texts), key=lambda d: d.sort_key())


def _unused_noqa(found: list[Diagnostic], source: Source, settings: Settings) -> list[Diagnostic]:
    """KC903: `# noqa: KCnnn` comments that silence nothing (checked before suppression)."""
    from kerascheck.rules import RULES_BY_CODE
    from kerascheck.suppress import unused_noqa

    out = []
    known = set(RULES_BY_CODE)
    for unit in source.units:
        if unit.module is None or "noqa" not in unit.text:
            continue
        for comment, code, why in unused_noqa(found, unit.text, known, settings.enabled, unit.cell):
            message = (f"`{code}` is no kerascheck rule: this `# noqa` silences nothing" if why == "unknown"
                       else f"`# noqa: {code}` silences nothing: no {code} finding on the line it covers")
            span = Span(comment.line, comment.column, comment.line, comment.end_column, unit.cell)
            out.append(Diagnostic("KC903", _severity("KC903"), message, span, rule_name="unused-noqa"))
    return out
