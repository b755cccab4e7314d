"""From a checked document to what the editor shows: diagnostics, inlay hints, hovers, code actions.

Pure functions of an `Analysis` (and, for positions, of the client's position encoding): the
server wires them to LSP requests, the tests call them directly too. kerascheck's positions are
1-based lines and columns counted in characters; LSP's are 0-based, in the client's code units
(UTF-16 unless the client chose otherwise).
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lsprotocol import types

from kerascheck.diagnostics import Diagnostic, Edit, Safety, Severity, Span
from kerascheck.model import Layer, Model
from kerascheck.server.analysis import Analysis
from kerascheck.shapes import format_shape

SOURCE = "kerascheck"
RULE_DOCS = "https://github.com/kerascheck/kerascheck/blob/main/README.md#rules"
FIX_ALL_KIND = "source.fixAll.kerascheck"
_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
_RULE_CODE = re.compile(r"KC\d{3}")
UNSILENCEABLE = {"KC001", "KC900"}  # suppress.filter_suppressed never drops these

# Counts a string's length in the client's code units (pygls's PositionCodec.client_num_units).
Units = Callable[[str], int]


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Lines:
    """One unit's text split into lines, for position conversion."""

    lines: list[str]
    units: Units

    @classmethod
    def of(cls, text: str, units: Units = utf16_units) -> Lines:
        return cls(text.split("\n"), units)

    def position(self, line: int, column: int) -> types.Position:
        """kerascheck's (1-based line, 1-based column) as an LSP position."""
        index = min(max(line - 1, 0), max(len(self.lines) - 1, 0))
        if line - 1 >= len(self.lines):
            text = self.lines[index] if self.lines else ""
            return types.Position(index, self.units(text.rstrip("\r")))
        text = self.lines[index]
        return types.Position(index, self.units(text[: max(column - 1, 0)]))

    def range(self, span: Span) -> types.Range:
        return types.Range(self.position(span.line, span.column), self.position(span.end_line, span.end_column))

    def line_end(self, line: int) -> types.Position:
        index = min(max(line - 1, 0), max(len(self.lines) - 1, 0))
        text = self.lines[index] if self.lines else ""
        return types.Position(index, self.units(text.rstrip("\r")))

    def column(self, position: types.Position) -> tuple[int, int]:
        """An LSP position as kerascheck's (1-based line, 1-based column)."""
        if position.line >= len(self.lines):
            return position.line + 1, 1
        text = self.lines[position.line]
        used = 0
        for i, ch in enumerate(text):
            if used >= position.character:
                return position.line + 1, i + 1
            used += self.units(ch)
        return position.line + 1, len(text) + 1


def unit_lines(analysis: Analysis, unit: int | None, units: Units = utf16_units) -> Lines:
    return Lines.of(analysis.texts.get(unit, ""), units)


def rule_url(code: str) -> str:
    """Where a code's rule is documented: the README's rule table, one page for every rule (hovering
    over the code in a `# noqa` comment, or `kerascheck --explain CODE`, shows the rule's own text)."""
    return RULE_DOCS


def lsp_diagnostic(d: Diagnostic, lines: Lines) -> types.Diagnostic:
    message = d.message + "".join(f"\nnote: {note}" for note in d.notes)
    if d.fix is not None:
        message += f"\nfix: {d.fix.title}" + (" (unsafe: changes the model)" if d.fix.safety is Safety.UNSAFE else "")
    return types.Diagnostic(
        range=lines.range(d.span),
        message=message,
        severity=_SEVERITY[d.severity],
        code=d.code,
        code_description=types.CodeDescription(href=rule_url(d.code)),
        source=SOURCE,
        data={"rule": d.rule_name, "fixable": d.fix is not None},
    )


def diagnostics_by_uri(analysis: Analysis, units: Units = utf16_units) -> dict[str, list[types.Diagnostic]]:
    """Every unit's diagnostics, under its document's URI (an empty list clears a unit's old ones)."""
    out: dict[str, list[types.Diagnostic]] = {uri: [] for uri in analysis.uris.values()}
    if not out:
        return out  # a notebook without a Python cell
    lines = {unit: unit_lines(analysis, unit, units) for unit in analysis.uris}
    for d in analysis.result.diagnostics:
        unit = d.span.cell if analysis.result.source is not None and analysis.result.source.is_notebook else None
        uri = analysis.uris.get(unit)
        if uri is None:
            uri = next(iter(analysis.uris.values()))  # a finding with no cell (a notebook-wide KC900)
            unit = next(iter(analysis.uris))
        out[uri].append(lsp_diagnostic(d, lines[unit]))
    return out


def _unit(analysis: Analysis, span: Span) -> int | None:
    source = analysis.result.source
    return span.cell if source is not None and source.is_notebook else None


def _layers(analysis: Analysis) -> Iterator[Layer]:
    """Every layer of every model once, nested models' layers included."""
    seen: set[int] = set()

    def visit(model: Model) -> Iterator[Layer]:
        for layer in model.layers:
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            yield layer
            if layer.submodel is not None:
                yield from visit(layer.submodel)

    for model in analysis.result.models:
        yield from visit(model)



def _params(n: int | None) -> str:
    return "? params" if n is None else f"{n:,} param{'s' if n != 1 else ''}"


def inlay_hints(
    analysis: Analysis, unit: int | None, first: int = 0, last: int | None = None, units: Units = utf16_units
) -> list[types.InlayHint]:
    """At the end of each layer's line its output shape, `→ (None, 13, 13, 64)`; at the end of each
    model's first line its parameter count. Lines are 0-based, `first` to `last` inclusive."""
    lines = unit_lines(analysis, unit, units)
    labels: dict[int, list[str]] = {}
    for layer in _layers(analysis):
        if _unit(analysis, layer.span) != unit or layer.output_shape is None:
            continue
        line = layer.span.end_line
        text = f"→ {format_shape(layer.output_shape)}"
        if text not in labels.setdefault(line, []):
            labels[line].append(text)  # a layer made in a helper called twice shows each distinct shape once
    for model in analysis.result.models:
        if _unit(analysis, model.span) != unit or model.total_params is None:
            continue
        labels.setdefault(model.span.line, []).append(_params(model.total_params))
    hints = []
    for line in sorted(labels):
        position = lines.line_end(line)
        if position.line < first or (last is not None and position.line > last):
            continue
        hints.append(types.InlayHint(
            position=position,
            label=" | ".join(labels[line]),
            kind=types.InlayHintKind.Type,
            padding_left=True,
        ))
    return hints


def _contains(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) < (span.end_line, span.end_column) or (
        (span.line, span.column) == (line, column)
    )


def rule_documentation(code: str) -> str | None:
    from kerascheck.rules import RULES_BY_CODE

    rule = RULES_BY_CODE.get(code)
    if rule is None:
        return None
    return f"### {rule.CODE} {rule.NAME} ({rule.SEVERITY.label})\n\n{rule.documentation()}\n"


def hover(analysis: Analysis, unit: int | None, position: types.Position, units: Units = utf16_units) -> types.Hover | None:
    """On a rule code (`# noqa: KC201`): the rule's documentation. On a layer call: its output shape,
    its parameters and what every number means. On a model's line: its summary table."""
    lines = unit_lines(analysis, unit, units)
    line, column = lines.column(position)
    text = lines.lines[line - 1] if 0 < line <= len(lines.lines) else ""
    for match in _RULE_CODE.finditer(text):
        if match.start() < column <= match.end() + 1:
            doc = rule_documentation(match.group())
            if doc is not None:
                start = lines.position(line, match.start() + 1)
                end = lines.position(line, match.end() + 1)
                return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, doc), types.Range(start, end))
    hits = [layer for layer in _layers(analysis)
            if _unit(analysis, layer.span) == unit and _contains(layer.span, line, column)]
    if hits:
        innermost = min(hits, key=lambda layer: (layer.span.end_line - layer.span.line, layer.span.end_column
                                                 - layer.span.column))
        same = [layer for layer in hits if layer.span == innermost.span]
        return types.Hover(
            types.MarkupContent(types.MarkupKind.Markdown, "\n\n---\n\n".join(layer_markdown(layer) for layer in same)),
            lines.range(innermost.span),
        )
    for model in analysis.result.models:
        if _unit(analysis, model.span) == unit and model.span.line == line:
            return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, model_markdown(analysis, model)))
    return None


def layer_markdown(layer: Layer) -> str:
    from kerascheck.explain import explain_layer

    head = f"**{layer.name}** `{layer.type}` → `{format_shape(layer.output_shape)}` · {_params(layer.params)}"
    if layer.input_shape is not None and not layer.is_input:
        head += f"\n\ninput `{format_shape(layer.input_shape)}`"
    return f"{head}\n\n{explain_layer(layer)}"


def model_markdown(analysis: Analysis, model: Model) -> str:
    from kerascheck.report.text import summary_table

    return "```text\n" + "\n".join(summary_table(analysis.path, model)) + "\n```"


def _text_edit(edit: Edit, lines: Lines) -> types.TextEdit:
    return types.TextEdit(range=lines.range(edit.span), new_text=edit.content)


def _overlaps(a: types.Range, b: types.Range) -> bool:
    def key(p: types.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def _noqa_edit(analysis: Analysis, unit: int | None, d: Diagnostic, lines: Lines) -> types.TextEdit | None:
    """Add `# noqa: CODE` to the diagnostic's line, or the code to a `# noqa:` already there."""
    text = analysis.texts.get(unit, "")
    index = d.span.line - 1
    if index >= len(lines.lines):
        return None
    source_line = lines.lines[index].rstrip("\r")
    if source_line.rstrip().endswith("\\"):
        return None  # a comment cannot follow a line continuation
    comment = None
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT and tok.start[0] == d.span.line:
                comment = tok
            if tok.type == tokenize.STRING and tok.start[0] < d.span.line < tok.end[0]:
                return None  # inside a multi-line string
    except (tokenize.TokenError, SyntaxError):
        pass
    if comment is not None:
        match = re.search(r"#\s*noqa(:\s*[A-Z]+[0-9]*(?:\s*,\s*[A-Z]+[0-9]*)*)?", comment.string, re.IGNORECASE)
        if match is not None:
            if match.group(1) is None:
                return None  # a bare noqa comment already silences everything
            at = comment.start[1] + match.end()
            position = types.Position(index, lines.units(source_line[:at]))
            return types.TextEdit(types.Range(position, position), f", {d.code}")
    end = lines.line_end(d.span.line)
    return types.TextEdit(types.Range(end, end), f"  # noqa: {d.code}")


def wanted_kind(kind: str, only: list[str] | None) -> bool:
    return not only or any(kind == o or kind.startswith(o + ".") for o in only)


def code_actions(
    analysis: Analysis,
    unit: int | None,
    wanted: types.Range,
    only: list[str] | None = None,
    units: Units = utf16_units,
) -> list[types.CodeAction]:
    """For each finding in `wanted`: its fix as a quick fix (a safe one preferred, an unsafe one
    labelled), and `# noqa: CODE` for the line."""
    if not wanted_kind(types.CodeActionKind.QuickFix, only):
        return []
    lines = {u: unit_lines(analysis, u, units) for u in analysis.uris}
    own = lines.get(unit)
    uri = analysis.uris.get(unit)
    if own is None or uri is None:
        return []
    fixes: list[types.CodeAction] = []
    silences: list[types.CodeAction] = []
    for d in analysis.result.diagnostics:
        if _unit(analysis, d.span) != unit:
            continue
        shown = lsp_diagnostic(d, own)
        if not _overlaps(shown.range, wanted):
            continue
        if d.fix is not None and all(analysis.uris.get(_unit(analysis, e.span)) for e in d.fix.edits):
            changes: dict[str, list[types.TextEdit]] = {}
            for e in d.fix.edits:
                target = _unit(analysis, e.span)
                changes.setdefault(analysis.uris[target], []).append(_text_edit(e, lines[target]))
            unsafe = d.fix.safety is Safety.UNSAFE
            fixes.append(types.CodeAction(
                title=f"{d.code}: {d.fix.title}" + (" (unsafe: changes the model)" if unsafe else ""),
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[shown],
                is_preferred=not unsafe,
                edit=types.WorkspaceEdit(changes=changes),
            ))
        if d.code not in UNSILENCEABLE:
            edit = _noqa_edit(analysis, unit, d, own)
            if edit is not None:
                silences.append(types.CodeAction(
                    title=f"{d.code}: add `# noqa: {d.code}` to this line",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[shown],
                    edit=types.WorkspaceEdit(changes={uri: [edit]}),
                ))
    return fixes + silences


def fix_all(analysis: Analysis, diagnose: Callable[[str], list[Diagnostic]],
            units: Units = utf16_units) -> types.WorkspaceEdit | None:
    """Every safe fix, as `kerascheck --fix` applies them: for a file, fixed and checked again until
    nothing changes (`diagnose` checks a text); for a notebook, cell by cell. None when nothing changes."""
    from kerascheck.fixes.apply import apply_fixes, fix_until_stable, parses
    from kerascheck.source import mask_magics

    changes: dict[str, list[types.TextEdit]] = {}
    for unit, uri in analysis.uris.items():
        text = analysis.texts.get(unit, "")
        if unit is None:
            fixed = fix_until_stable(text, diagnose).text
        else:
            own = [d for d in analysis.result.diagnostics if d.span.cell == unit]
            fixed = apply_fixes(text, own, check=lambda t: parses(mask_magics(t))).text
        if fixed != text:
            lines = Lines.of(text, units)
            whole = types.Range(types.Position(0, 0), lines.line_end(len(lines.lines)))
            changes[uri] = [types.TextEdit(whole, fixed)]
    return types.WorkspaceEdit(changes=changes) if changes else None
