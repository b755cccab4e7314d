"""The default output: one line per finding, like ruff and flake8, and `--shapes` summary tables."""

from __future__ import annotations

from collections import Counter

from kerascheck.diagnostics import Diagnostic, Safety, Severity
from kerascheck.engine import FileResult
from kerascheck.model import Model, non_trainable_total
from kerascheck.shapes import format_shape


def location(path: str, d: Diagnostic) -> str:
    if d.span.cell is not None:
        return f"{path}:cell {d.span.cell}:{d.span.line}:{d.span.column}"
    return f"{path}:{d.span.line}:{d.span.column}"


def diagnostic_lines(path: str, d: Diagnostic) -> list[str]:
    marker = " [*]" if _applied_by_fix(d) else ""
    lines = [f"{location(path, d)}: {d.code}{marker} {d.message}"]
    if d.fix is not None:
        lines.append(f"    fix: {d.fix.title}" + (" (unsafe)" if d.fix.safety.value == "unsafe" else ""))
    return lines


def full_lines(path: str, d: Diagnostic, source_lines: list[str]) -> list[str]:
    """The finding, then the source line with a caret under the span, then the fix."""
    lines = [f"{location(path, d)}: {d.code}{' [*]' if _applied_by_fix(d) else ''} {d.message}"]
    if 0 < d.span.line <= len(source_lines):
        text = source_lines[d.span.line - 1].rstrip("\n")
        width = (d.span.end_column - d.span.column) if d.span.end_line == d.span.line else len(text) - d.span.column + 1
        gutter = f"{d.span.line} | "
        lines.append(gutter + text)
        lines.append(" " * (len(gutter) + d.span.column - 1) + "^" * max(width, 1))
    if d.fix is not None:
        lines.append(f"  = fix: {d.fix.title}" + (" (unsafe)" if d.fix.safety.value == "unsafe" else ""))
    lines.append("")
    return lines


def _source_lines(result: FileResult, cell: int | None) -> list[str]:
    source = result.source
    if source is None:
        return []
    if cell is None:
        return source.units[0].text.split("\n") if source.units else []
    for unit in source.units:
        if unit.cell == cell:
            return unit.text.split("\n")
    return []



def _number(n: int | None) -> str:
    return "?" if n is None else f"{n:,}"


def summary_table(path: str, model: Model) -> list[str]:
    """What `model.summary()` prints, computed statically, with the source line of each layer."""
    where = f"{path}:cell {model.span.cell}:{model.span.line}" if model.span.cell else f"{path}:{model.span.line}"
    title = f'Model "{model.keras_name}"' + (f" ({model.name})" if model.name else "") + f" at {where}"
    # A functional model's summary says which layers feed each one, as Keras's "Connected to" does.
    connected = model.api == "functional"
    rows: list[tuple[str, ...]] = [("Layer (type)", "Output Shape", "Param #", "Line",
                                    *(("Connected to",) if connected else ()))]
    for layer in model.layers:
        line = f"{layer.span.line}" if layer.span.cell is None else f"{layer.span.cell}:{layer.span.line}"
        row: tuple[str, ...] = (f"{layer.name} ({layer.type})", format_shape(layer.output_shape),
                                _number(layer.params), line)
        if connected:
            row += (", ".join(f"{parent.name}[0][0]" for parent in layer.inbound) or "-",)
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = [title]
    rule = "-" * (sum(widths) + 2 * (len(widths) - 1))
    out.append(rule)
    for i, r in enumerate(rows):
        text = f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]:>{widths[3]}}"
        if connected:
            text += f"  {r[4]}"
        out.append(text.rstrip())
        if i == 0:
            out.append(rule)
    out.append(rule)
    out.append(f"Total params: {_number(model.total_params)}")
    frozen = non_trainable_total(model)
    if frozen is not None and model.total_params is not None:
        out.append(f"Trainable params: {_number(model.total_params - frozen)}")
        out.append(f"Non-trainable params: {_number(frozen)}")
    if model.uncertain:
        out.append("(part of this model depends on values kerascheck cannot know; those shapes are shown as ?)")
    elif model.alternatives:
        out.append("(a condition kerascheck cannot decide chooses between some of these layers: all of them are "
                   "listed, Keras builds one, so the total is unknown)")
    elif model.incomplete:
        out.append("(a layer of this model is called on a value kerascheck cannot follow; the layers before it "
                   "are missing from this list)")
    return out


def explanation_lines(path: str, model: Model) -> list[str]:
    """`--explain-model`: what every number in every layer call means, one line per layer."""
    from kerascheck.explain import explain_layer

    where = f"{path}:cell {model.span.cell}:{model.span.line}" if model.span.cell else f"{path}:{model.span.line}"
    out = [f'Model "{model.keras_name}"' + (f" ({model.name})" if model.name else "") + f" at {where}"]
    for layer in model.layers:
        line = f"{layer.span.cell}:{layer.span.line}" if layer.span.cell else str(layer.span.line)
        out.append(f"  {line:>5}  {layer.explanation or explain_layer(layer)}")
    out.append("")
    return out


def render(results: list[FileResult], shapes: bool = False, full: bool = False, explain: bool = False) -> str:
    lines: list[str] = []
    counts: Counter[Severity] = Counter()
    fixable: Counter[Safety] = Counter()
    for result in results:
        if shapes:
            for model in result.models:
                lines.extend(summary_table(result.path, model))
                lines.append("")
        if explain:
            for model in result.models:
                lines.extend(explanation_lines(result.path, model))
        for model in result.models:
            if model.execution is not None:
                where = f"{result.path}:{model.span.line}"
                lines.append(f"{where}: executed in NumPy: {model.execution.summary()}")
                lines.extend(f"    note: {note}" for note in model.execution.notes)
        for d in result.diagnostics:
            if full:
                lines.extend(full_lines(result.path, d, _source_lines(result, d.span.cell)))
            else:
                lines.extend(diagnostic_lines(result.path, d))
            counts[d.severity] += 1
            if d.fix is not None:
                fixable[d.fix.safety] += 1
    total = sum(counts.values())
    if total:
        parts = [f"{counts[s]} {s.label}{'s' if counts[s] != 1 and s is not Severity.INFO else ''}"
                 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO) if counts[s]]
        lines.append(f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)}).")
        safe, unsafe = fixable[Safety.SAFE], fixable[Safety.UNSAFE]
        if safe:
            lines.append(f"[*] {safe} fixable with `--fix`.")
        if unsafe:
            lines.append(f"({unsafe} more fix{'es' if unsafe != 1 else ''} change{'' if unsafe != 1 else 's'} the model: "
                         f"`--fix --unsafe-fixes` applies {'them' if unsafe != 1 else 'it'}.)")
    elif results and all(r.read_error is None for r in results):
        lines.append("All checks passed!")
    return "\n".join(lines) + ("\n" if lines else "")


def _applied_by_fix(d: Diagnostic) -> bool:
    """`[*]` marks what `--fix` applies, as ruff marks it: a safe fix (unsafe ones are counted apart)."""
    return d.fix is not None and d.fix.safety is Safety.SAFE


def statistics(results: list[FileResult]) -> str:
    """Findings per rule, most frequent first, as `ruff --statistics` prints them."""
    counts: Counter[tuple[str, str]] = Counter()
    fixable: Counter[str] = Counter()
    for r in results:
        for d in r.diagnostics:
            counts[(d.code, d.rule_name)] += 1
            fixable[d.code] += _applied_by_fix(d)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    width = max((len(str(n)) for _, n in rows), default=1)
    return "".join(
        f"{n:>{width}}  {code}  {'[*]' if fixable[code] else '   '} {name}\n" for (code, name), n in rows
    )
