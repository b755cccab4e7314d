"""`kerascheck server`: the language server (LSP 3.17 over stdio, on pygls).

What it does with a document, a Python file or a notebook (LSP notebook sync: the cells as one
program, positions per cell): checks the text the editor holds (never the file on disk, never by
running it) on open and save at once, and after a change once the typing pauses (`DEBOUNCE`; at
once after a pause when the document's checks are quick), and
publishes the findings; answers inlay hints, hovers and code actions from the newest check of the
document's current version, so each version is parsed once.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from kerascheck import __version__
from kerascheck.config import ConfigError, ConfigFinder
from kerascheck.diagnostics import Diagnostic, Severity, Span
from kerascheck.engine import FileResult, Settings, check_text
from kerascheck.server import features
from kerascheck.server.analysis import Analysis, Job, Scheduler

DEBOUNCE = 0.075  # seconds after the last change before a check starts (the issue allows 100 ms)
WAIT = 10.0  # the longest a request waits for the check of the current version before using an older one
PYTHON_SUFFIXES = (".py", ".pyi")
STATS_COMMAND = "kerascheck.stats"
# Imports everything a check needs, before the first real document: an interrupted first check would
# otherwise be interrupted in the middle of importing LibCST or the catalogue.
WARM_UP = (
    "import numpy as np\nimport keras\nfrom keras import layers\nx = np.zeros((4, 3))\n"
    "m = keras.Sequential([keras.Input((8, 8, 3)), layers.Conv2D(4, 3), layers.Dense(2)])\n"
    "m.compile(loss='categorical_crossentropy')\nm.fit(x, keras.utils.to_categorical(x, 2))\n"
)


class KerascheckServer(LanguageServer):
    def __init__(self, debounce: float = DEBOUNCE) -> None:
        super().__init__(
            "kerascheck",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            notebook_document_sync=types.NotebookDocumentSyncOptions(
                notebook_selector=[
                    types.NotebookDocumentFilterWithCells(
                        notebook="*", cells=[types.NotebookCellLanguage(language="python")]
                    )
                ],
                save=True,
            ),
        )
        self.debounce = debounce
        self.analyses: dict[str, Analysis] = {}  # the newest check of each document
        self.versions: dict[str, int] = {}  # the newest version of each document
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.last_change: dict[str, float] = {}  # loop time of each document's newest change
        self.waiters: dict[str, list[tuple[int, asyncio.Future[Analysis]]]] = {}
        self._scheduler: Scheduler | None = None
        self.config_problems: set[str] = set()
        self.checks = 0  # how many checks finished (for tests)

    # -- scheduling -------------------------------------------------------------------------------

    @property
    def scheduler(self) -> Scheduler:
        if self._scheduler is None:
            self._scheduler = Scheduler(asyncio.get_running_loop(), self._on_result)
        return self._scheduler

    def warm_up(self) -> None:
        self.scheduler.submit(Job("<warm-up>", 0, lambda: Analysis(
            "<warm-up>", 0, "<warm-up>", check_text("<warm-up>.py", WARM_UP))))

    def changed(self, key: str, version: int, now: bool) -> None:
        """A document has a new version: check it now (open, save), or once changes pause for
        `debounce`. A change that follows a pause (the first keystroke of a burst) is checked at once
        when the document's checks are quick: one started too early costs little, and the next
        version cancels it. A slow document's checks always wait for the pause, since cancelling
        one waits for LibCST's parser, which cannot be interrupted, to return."""
        self.versions[key] = version
        loop = asyncio.get_running_loop()
        previous = self.last_change.get(key)
        self.last_change[key] = loop.time()
        timer = self.timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        last = self.analyses.get(key)
        quick = last is not None and last.seconds < self.debounce
        if now or (quick and (previous is None or loop.time() - previous > self.debounce)):
            self._submit(key)
        else:
            self.timers[key] = loop.call_later(self.debounce, self._submit, key)

    def closed(self, key: str, uris: list[str]) -> None:
        timer = self.timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        self.versions.pop(key, None)
        self.analyses.pop(key, None)
        self.last_change.pop(key, None)
        for uri in uris:
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    def _submit(self, key: str) -> None:
        self.timers.pop(key, None)
        job = self._job(key)
        if job is not None:
            self.scheduler.submit(job)

    def _job(self, key: str) -> Job | None:
        notebook = self.workspace.get_notebook_document(notebook_uri=key)
        if notebook is not None:
            return self._notebook_job(notebook)
        document = self.workspace.text_documents.get(key)
        if document is None:
            return None
        path = to_fs_path(key) or key
        if not (document.language_id == "python" or path.endswith(PYTHON_SUFFIXES)):
            return None
        text, version = document.source, document.version or 0
        return Job(key, version, lambda: self._check(key, version, path, text, {None: text}, {None: key}))

    def _notebook_job(self, notebook: types.NotebookDocument) -> Job:
        cells: list[dict[str, Any]] = []
        texts: dict[int | None, str] = {}
        uris: dict[int | None, str] = {}
        for index, cell in enumerate(notebook.cells, start=1):
            document = self.workspace.text_documents.get(cell.document)
            text = document.source if document is not None else ""
            python = cell.kind == types.NotebookCellKind.Code and (
                document is None or document.language_id in (None, "python"))
            cells.append({"cell_type": "code" if python else "markdown", "metadata": {}, "source": text,
                          **({"outputs": [], "execution_count": None} if python else {})})
            if python:
                texts[index] = text
                uris[index] = cell.document
        path = to_fs_path(notebook.uri) or notebook.uri
        if not path.endswith(".ipynb"):
            path += ".ipynb"
        document_json = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
        key, version = notebook.uri, notebook.version
        return Job(key, version, lambda: self._check(key, version, path, document_json, texts, uris))

    def _check(self, key: str, version: int, path: str, text: str, texts: dict[int | None, str],
               uris: dict[int | None, str]) -> Analysis:
        """Runs in the check's own thread."""
        from kerascheck.runner import batch_gc

        settings = self._settings(path)
        start = time.perf_counter()
        with batch_gc():  # a parse makes many small objects: collect less often while it runs
            result = check_text(path, text, settings)
        return Analysis(key, version, path, result, texts, uris, time.perf_counter() - start)

    def _settings(self, path: str) -> Settings:
        """`[tool.kerascheck]` for the path, read afresh for every check (an edited pyproject.toml counts at once)."""
        from kerascheck.api import settings_for
        from kerascheck.rules import PRESETS, RULES_BY_CODE

        try:
            return settings_for(path, ConfigFinder(set(RULES_BY_CODE), PRESETS))[0]
        except ConfigError as e:
            self.config_problems.add(str(e))
            return Settings()

    def _on_result(self, job: Job) -> None:
        """On the loop: a check ended (with a result or a failure outside the engine)."""
        if job.key == "<warm-up>":
            return
        analysis = job.analysis
        if analysis is None:
            analysis = self._failure(job)
        self.checks += 1
        current = self.analyses.get(job.key)
        if current is not None and current.version > analysis.version:
            return
        self.analyses[job.key] = analysis
        for problem in sorted(self.config_problems):
            self.window_show_message(types.ShowMessageParams(types.MessageType.Warning, f"kerascheck: {problem}"))
        self.config_problems.clear()
        self.publish(analysis)
        waiting = self.waiters.get(job.key, [])
        for _version, future in [w for w in waiting if w[0] <= analysis.version]:
            if not future.done():
                future.set_result(analysis)
        self.waiters[job.key] = [w for w in waiting if w[0] > analysis.version]
        if self._refresh_supported():
            self.workspace_inlay_hint_refresh(None)

    def _failure(self, job: Job) -> Analysis:
        """A check that failed outside the engine (which reports its own failures as KC900)."""
        previous = self.analyses.get(job.key)
        uris: dict[int | None, str] = previous.uris if previous is not None else {None: job.key}
        texts = previous.texts if previous is not None else {}
        first = next(iter(uris))
        error = job.error
        message = f"internal error: {type(error).__name__}: {error}" if error is not None else "internal error"
        diagnostic = Diagnostic("KC900", Severity.ERROR, message, Span.point(1, 1, first), rule_name="internal-error")
        result = FileResult(job.key, diagnostics=[diagnostic], internal_error=True)
        return Analysis(job.key, job.version, job.key, result, texts, uris)

    def _refresh_supported(self) -> bool:
        try:
            workspace = self.client_capabilities.workspace
            return bool(workspace and workspace.inlay_hint and workspace.inlay_hint.refresh_support)
        except Exception:  # noqa: BLE001  before initialize
            return False

    def publish(self, analysis: Analysis) -> None:
        units = self.workspace.position_codec.client_num_units
        notebook = analysis.result.source is not None and analysis.result.source.is_notebook
        for uri, diagnostics in features.diagnostics_by_uri(analysis, units).items():
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=diagnostics, version=None if notebook else analysis.version))

    async def current(self, uri: str) -> tuple[Analysis, int | None] | None:
        """The check of the current version of the document `uri` shows (a file or a notebook cell),
        and the unit it is; waits for it if it is still to come."""
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        key = notebook.uri if notebook is not None else uri
        if key in self.timers:
            self._submit(key)  # a request wants it now: no point waiting for the pause
        version = self.versions.get(key)
        if version is None:
            return None
        analysis = self.analyses.get(key)
        if analysis is None or analysis.version < version:
            future: asyncio.Future[Analysis] = asyncio.get_running_loop().create_future()
            self.waiters.setdefault(key, []).append((version, future))
            try:
                analysis = await asyncio.wait_for(future, WAIT)
            except asyncio.TimeoutError:
                analysis = self.analyses.get(key)
        if analysis is None:
            return None
        found, unit = analysis.unit_of(uri)
        return (analysis, unit) if found else None

    def units(self) -> features.Units:
        return self.workspace.position_codec.client_num_units


def create_server(debounce: float = DEBOUNCE) -> KerascheckServer:
    server = KerascheckServer(debounce)

    @server.feature(types.INITIALIZED)
    def initialized(ls: KerascheckServer, params: types.InitializedParams) -> None:
        ls.warm_up()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: KerascheckServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.changed(params.text_document.uri, params.text_document.version, now=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: KerascheckServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.changed(params.text_document.uri, params.text_document.version, now=False)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: KerascheckServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if uri in ls.versions:
            ls.changed(uri, ls.versions[uri], now=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: KerascheckServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.closed(params.text_document.uri, [params.text_document.uri])

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def notebook_open(ls: KerascheckServer, params: types.DidOpenNotebookDocumentParams) -> None:
        ls.changed(params.notebook_document.uri, params.notebook_document.version, now=True)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def notebook_change(ls: KerascheckServer, params: types.DidChangeNotebookDocumentParams) -> None:
        notebook = params.notebook_document
        previous = ls.analyses.get(notebook.uri)
        if previous is not None and params.change.cells is not None and params.change.cells.structure is not None:
            for cell in params.change.cells.structure.did_close or []:  # cells deleted: clear their findings
                ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=cell.uri, diagnostics=[]))
        ls.changed(notebook.uri, notebook.version, now=False)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def notebook_save(ls: KerascheckServer, params: types.DidSaveNotebookDocumentParams) -> None:
        uri = params.notebook_document.uri
        if uri in ls.versions:
            ls.changed(uri, ls.versions[uri], now=True)

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def notebook_close(ls: KerascheckServer, params: types.DidCloseNotebookDocumentParams) -> None:
        ls.closed(params.notebook_document.uri, [c.uri for c in params.cell_text_documents])

    @server.feature(types.TEXT_DOCUMENT_INLAY_HINT)
    async def inlay_hint(ls: KerascheckServer, params: types.InlayHintParams) -> list[types.InlayHint] | None:
        found = await ls.current(params.text_document.uri)
        if found is None:
            return None
        analysis, unit = found
        return features.inlay_hints(analysis, unit, params.range.start.line, params.range.end.line, ls.units())

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: KerascheckServer, params: types.HoverParams) -> types.Hover | None:
        found = await ls.current(params.text_document.uri)
        if found is None:
            return None
        analysis, unit = found
        return features.hover(analysis, unit, params.position, ls.units())

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[
            types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll, features.FIX_ALL_KIND]),
    )
    async def code_action(ls: KerascheckServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        found = await ls.current(params.text_document.uri)
        if found is None:
            return None
        analysis, unit = found
        only = list(params.context.only) if params.context.only else None
        actions = features.code_actions(analysis, unit, params.range, only, ls.units())
        if features.wanted_kind(features.FIX_ALL_KIND, only) and any(
            d.fix is not None and d.fix.safety.value == "safe" for d in analysis.result.diagnostics
        ):
            settings = ls._settings(analysis.path)
            edit = await asyncio.get_running_loop().run_in_executor(
                None,
                lambda: features.fix_all(
                    analysis, lambda text: check_text(analysis.path, text, settings).diagnostics, ls.units()),
            )
            if edit is not None:
                actions.append(types.CodeAction(
                    title="kerascheck: fix all safely fixable problems",
                    kind=features.FIX_ALL_KIND,
                    edit=edit,
                ))
        return actions

    @server.command(STATS_COMMAND)
    def stats(ls: KerascheckServer, *args: Any) -> dict[str, Any]:
        """How many checks ran and were cancelled, and how long each document's newest check took."""
        scheduler = ls._scheduler
        return {
            "checks": ls.checks,
            "cancelled": scheduler.cancelled if scheduler is not None else 0,
            "documents": {key: {"version": a.version, "seconds": a.seconds} for key, a in ls.analyses.items()},
        }

    return server
