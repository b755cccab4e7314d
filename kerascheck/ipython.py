"""`%load_ext kerascheck`: every cell checked before it runs, in the context of the cells run before it.

    In [1]: %load_ext kerascheck
    In [2]: model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(32, 3), layers.Dense(10)])
    kerascheck: In [2] line 1:71: KC201 `Dense(10)` receives a 4-D tensor (None, 30, 30, 32) ...

Before a cell runs (IPython's `pre_run_cell` event), the cells that ran without an error so far and
this one are checked together as one notebook, statically as always: nothing is imported or run
by kerascheck. Under the cell appear the findings in it and the summary of every model it
defines or changes, as a plain-text form and an HTML one (the front end shows the richest it
can). So the findings show even when the cell then raises, which is when they help most (a
Keras build error). `%kerascheck` reports on demand:

    %kerascheck                     findings in the whole session so far
    %kerascheck --shapes            ... and every model's summary table
    %kerascheck --explain-model     ... and what every number in every layer means
    %kerascheck --format html       the HTML report, inline
    %kerascheck --format json       the JSON contract's document
    %kerascheck model.py            a file (or notebook, or directory) instead of the session
    %kerascheck --off / --on        stop / resume checking every cell

Nothing here raises into the user's session: a failure of kerascheck is swallowed (and counted).
"""

from __future__ import annotations

import argparse
import html
import json
import shlex
import time
from dataclasses import dataclass, field
from typing import Any

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.engine import FileResult, Settings, check_text

SESSION = "In"  # the name reports give the session: `In:cell 7:3:11` is line 3, column 11 of In [7]
_COLOURS = {Severity.ERROR: "#b00020", Severity.WARNING: "#9a6700", Severity.INFO: "#0b5cad"}


@dataclass
class CellChecker:
    """The extension's state in one IPython session."""

    shell: Any
    settings: Settings = field(default_factory=Settings)
    history: dict[int, str] = field(default_factory=dict)  # execution count -> source of a cell that ran cleanly
    enabled: bool = True
    failures: int = 0  # kerascheck failures swallowed
    last_seconds: float = 0.0  # how long the last cell's check took
    _pending: tuple[int, str] | None = None

    # -- events --------------------------------------------------------------------------------

    def pre_run_cell(self, info: Any) -> None:
        try:
            self._pending = None
            if getattr(info, "silent", False) or not getattr(info, "store_history", True):
                return
            raw = getattr(info, "raw_cell", None)
            if not isinstance(raw, str) or not raw.strip():
                return
            # IPython has already counted this cell when `pre_run_cell` fires: In [N] is N + 1 - 1.
            count = int(getattr(self.shell, "execution_count", 0) or 0) - 1
            if count < 1 or count in self.history:
                count = max(self.history, default=0) + 1
            self._pending = (count, raw)  # kept as context even while checking is off
            if not self.enabled:
                return
            start = time.perf_counter()
            shown = self.cell_report(count, raw)
            self.last_seconds = time.perf_counter() - start
            if shown is not None:
                _display(*shown)
        except Exception:  # noqa: BLE001  never into the user's session
            self.failures += 1

    def post_run_cell(self, result: Any) -> None:
        try:
            pending, self._pending = self._pending, None
            if pending is None:
                return
            count, raw = pending
            if getattr(result, "success", True):
                self.history[count] = raw  # a cell that raised changed the session only partly: left out
        except Exception:  # noqa: BLE001
            self.failures += 1

    # -- checking ------------------------------------------------------------------------------

    def session_result(self, extra: tuple[int, str] | None = None) -> FileResult:
        """The session's clean cells (and `extra`) checked as one notebook whose cell N is In [N]."""
        cells = dict(self.history)
        if extra is not None:
            cells[extra[0]] = extra[1]
        last = max(cells, default=0)
        document = {
            "cells": [
                {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": n, "source": cells[n]}
                if n in cells else {"cell_type": "markdown", "metadata": {}, "source": ""}
                for n in range(1, last + 1)
            ],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
        }
        result = check_text(f"{SESSION}.ipynb", json.dumps(document), self.settings)
        result.path = SESSION  # reports say `In:cell 7:3:11`, In [7]'s line 3
        return result

    def cell_report(self, count: int, raw: str) -> tuple[str, str] | None:
        """(plain text, HTML) of the findings in cell `count` and the models it defines or changes."""
        if not _mentions_keras(raw) and not any(_mentions_keras(c) for c in self.history.values()):
            return None  # no Keras anywhere in the session: nothing to parse
        result = self.session_result((count, raw))
        findings = [d for d in result.diagnostics if d.span.cell == count]
        models = [m for m in result.models
                  if m.span.cell == count or any(layer.span.cell == count for layer in m.layers)]
        if not findings and not models:
            return None
        return _cell_text(count, findings, models), _cell_html(count, findings, models)

    # -- %kerascheck ---------------------------------------------------------------------------

    def magic(self, line: str) -> None:
        try:
            self._magic(line)
        except Exception as e:  # noqa: BLE001
            self.failures += 1
            print(f"kerascheck: {type(e).__name__}: {e}")

    def _magic(self, line: str) -> None:
        parser = argparse.ArgumentParser(prog="%kerascheck", add_help=False)
        parser.add_argument("paths", nargs="*")
        parser.add_argument("--shapes", action="store_true")
        parser.add_argument("--explain-model", action="store_true")
        parser.add_argument("--format", choices=["text", "html", "json"], default="text")
        parser.add_argument("--on", action="store_true")
        parser.add_argument("--off", action="store_true")
        parser.add_argument("-h", "--help", action="store_true")
        try:
            args = parser.parse_args(shlex.split(line))
        except SystemExit:  # argparse's way of saying the options are wrong: never end the session
            print(_usage())
            return
        if args.help:
            print(_usage())
            return
        if args.off or args.on:
            self.enabled = bool(args.on)
            print(f"kerascheck: checking every cell is {'on' if self.enabled else 'off'}")
            return
        if args.paths:
            from kerascheck.api import check_paths

            try:
                results = [r.result for r in check_paths(args.paths) if r.result is not None]
            except FileNotFoundError as e:
                print(f"kerascheck: {e}")
                return
        else:
            results = [self.session_result()]
        if args.format == "json":
            from kerascheck.report import json as json_report

            text = json_report.render(results)
            _display(text, None, {"application/json": json.loads(text)})
            return
        from kerascheck.report import text as text_report

        plain = text_report.render(results, shapes=args.shapes, explain=args.explain_model) or "kerascheck: no findings\n"
        if args.format == "html":
            from kerascheck.report import diagram

            page = diagram.html(results)
            frame = (f'<iframe srcdoc="{html.escape(page, quote=True)}" title="kerascheck report" '
                     'style="width: 100%; height: 640px; border: 0"></iframe>')
            _display(plain, frame)
            return
        print(plain, end="")


def _mentions_keras(text: str) -> bool:
    return "keras" in text or "tensorflow" in text


def _usage() -> str:
    return ("usage: %kerascheck [--shapes] [--explain-model] [--format text|html|json] [--on | --off] [PATH ...]\n"
            "  Reports on the cells run so far (or on PATH), statically: nothing is run.")


def _where(count: int, d: Diagnostic) -> str:
    return f"In [{count}] line {d.span.line}:{d.span.column}"


def _cell_text(count: int, findings: list[Diagnostic], models: list[Any]) -> str:
    from kerascheck.report.text import summary_table

    lines = []
    for d in findings:
        lines.append(f"kerascheck: {_where(count, d)}: {d.code} {d.message}")
        if d.fix is not None:
            lines.append(f"    fix: {d.fix.title}" + (" (unsafe)" if d.fix.safety.value == "unsafe" else ""))
    for model in models:
        if lines:
            lines.append("")
        lines.extend(summary_table(SESSION, model))
    return "\n".join(lines)


def _cell_html(count: int, findings: list[Diagnostic], models: list[Any]) -> str:
    from kerascheck.report.text import summary_table

    parts = ['<div class="kerascheck" style="font-family: monospace; font-size: 0.9em">']
    for d in findings:
        colour = _COLOURS.get(d.severity, "inherit")
        fix = ""
        if d.fix is not None:
            fix = f'<br><span style="opacity: 0.8">&nbsp;&nbsp;fix: {html.escape(d.fix.title)}' + (
                " (unsafe)" if d.fix.safety.value == "unsafe" else "") + "</span>"
        parts.append(f'<div><b style="color: {colour}">{html.escape(d.code)}</b> '
                     f"{html.escape(_where(count, d))}: {html.escape(d.message)}{fix}</div>")
    for model in models:
        parts.append(f'<pre style="margin: 0.5em 0">{html.escape(chr(10).join(summary_table(SESSION, model)))}</pre>')
    parts.append("</div>")
    return "".join(parts)


def _display(plain: str, rich: str | None, extra: dict[str, Any] | None = None) -> None:
    import importlib

    display: Any = importlib.import_module("IPython.display").display
    bundle: dict[str, Any] = {"text/plain": plain}
    if rich is not None:
        bundle["text/html"] = rich
    bundle.update(extra or {})
    display(bundle, raw=True)


_CHECKERS: dict[int, CellChecker] = {}


def load_ipython_extension(ipython: Any) -> None:
    if id(ipython) in _CHECKERS:
        return
    checker = CellChecker(ipython)
    try:
        import os

        from kerascheck.api import settings_for

        checker.settings = settings_for(os.path.join(os.getcwd(), "notebook.ipynb"))[0]
    except Exception:  # noqa: BLE001  a broken pyproject.toml: the defaults, never an error in the session
        checker.failures += 1
    _CHECKERS[id(ipython)] = checker
    ipython.events.register("pre_run_cell", checker.pre_run_cell)
    ipython.events.register("post_run_cell", checker.post_run_cell)
    ipython.register_magic_function(checker.magic, magic_kind="line", magic_name="kerascheck")


def unload_ipython_extension(ipython: Any) -> None:
    checker = _CHECKERS.pop(id(ipython), None)
    if checker is None:
        return
    ipython.events.unregister("pre_run_cell", checker.pre_run_cell)
    ipython.events.unregister("post_run_cell", checker.post_run_cell)
    checker.enabled = False  # the magic stays registered (IPython cannot remove one) but does nothing new


def checker_for(ipython: Any) -> CellChecker | None:
    """The extension's state in a session (for tests and the benchmark)."""
    return _CHECKERS.get(id(ipython))
