"""`kerascheck server` driven over stdio by a real LSP client (pytest-lsp): diagnostics, inlay hints,
hovers, quick fixes and the fix-all action, on a file and on a notebook."""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import sys
from collections.abc import Callable
from typing import Any

import pytest

pytest.importorskip("pygls", reason="the server extra is not installed (pip install -e '.[server,test]')")
pytest_lsp = pytest.importorskip("pytest_lsp", reason="pytest-lsp is not installed (pip install -e '.[test]')")

from lsprotocol import types  # noqa: E402
from pytest_lsp import ClientServerConfig, LanguageClient  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
ORIGIN = (ROOT / "fixtures" / "origin" / "origin.py").read_text()
NOTEBOOK = json.loads((ROOT / "fixtures" / "origin" / "origin_notebook.ipynb").read_text())
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}

CAPABILITIES = types.ClientCapabilities(
    workspace=types.WorkspaceClientCapabilities(
        inlay_hint=types.InlayHintWorkspaceClientCapabilities(refresh_support=True),
        workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
    ),
    text_document=types.TextDocumentClientCapabilities(
        synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
            version_support=True, code_description_support=True, data_support=True),
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown, types.MarkupKind.PlainText]),
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(
                    value_set=[types.CodeActionKind.QuickFix, types.CodeActionKind.Source,
                               types.CodeActionKind.SourceFixAll])),
            is_preferred_support=True,
        ),
        inlay_hint=types.InlayHintClientCapabilities(),
    ),
    notebook_document=types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities()),
)


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[sys.executable, "-m", "kerascheck", "server"], server_env=ENV),
)
async def client(lsp_client: LanguageClient):
    @lsp_client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def refresh(ls: LanguageClient, params: None) -> None:
        return None  # an editor asks for the visible documents' hints again

    await lsp_client.initialize_session(types.InitializeParams(capabilities=CAPABILITIES))
    yield
    await lsp_client.shutdown_session()


pytestmark = pytest.mark.asyncio(loop_scope="module")


async def until(client: LanguageClient, uri: str, holds: Callable[[list[types.Diagnostic]], bool],
                timeout: float = 30.0) -> list[types.Diagnostic]:
    """The diagnostics published for `uri` once they satisfy `holds` (polls what the client received)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        found = client.diagnostics.get(uri)
        if found is not None and holds(list(found)):
            return list(found)
        if loop.time() > end:
            raise AssertionError(f"no diagnostics for {uri} satisfied the condition; last: {found}")
        await asyncio.sleep(0.01)


def codes(diagnostics: list[types.Diagnostic]) -> list[str]:
    return sorted(str(d.code) for d in diagnostics)


def apply(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (ASCII text: UTF-16 offsets are character offsets)."""
    lines = text.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def offset(p: types.Position) -> int:
        return starts[p.line] + p.character if p.line < len(starts) else len(text)

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[: offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


class Doc:
    """A Python file open in the client."""

    def __init__(self, client: LanguageClient, path: pathlib.Path, text: str) -> None:
        self.client, self.uri, self.text, self.version = client, path.as_uri(), text, 1
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=self.uri, language_id="python", version=1, text=text)))

    def replace(self, text: str) -> None:
        self.version += 1
        self.text = text
        self.client.text_document_did_change(types.DidChangeTextDocumentParams(
            types.VersionedTextDocumentIdentifier(uri=self.uri, version=self.version),
            [types.TextDocumentContentChangeWholeDocument(text=text)]))

    def close(self) -> None:
        self.client.text_document_did_close(types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(self.uri)))

    async def hints(self) -> list[types.InlayHint]:
        end = len(self.text.split("\n"))
        return await self.client.text_document_inlay_hint_async(types.InlayHintParams(
            types.TextDocumentIdentifier(self.uri), types.Range(types.Position(0, 0), types.Position(end, 0)))) or []

    async def hover(self, line: int, character: int) -> types.Hover | None:
        return await self.client.text_document_hover_async(types.HoverParams(
            types.TextDocumentIdentifier(self.uri), types.Position(line, character)))

    async def actions(self, at: types.Range, only: list[str] | None = None) -> list[Any]:
        return await self.client.text_document_code_action_async(types.CodeActionParams(
            types.TextDocumentIdentifier(self.uri), at,
            types.CodeActionContext(diagnostics=[], only=only))) or []


async def test_origin_model_diagnostics_hints_hover_and_quick_fix(client: LanguageClient, tmp_path):
    doc = Doc(client, tmp_path / "origin.py", ORIGIN)
    found = await until(client, doc.uri, lambda ds: "KC201" in codes(ds))
    assert codes(found) == ["KC201", "KC401", "KC401", "KC401"]
    kc201 = next(d for d in found if d.code == "KC201")
    assert (kc201.range.start.line, kc201.range.start.character) == (9, 10)  # line 10, column 11
    assert kc201.severity == types.DiagnosticSeverity.Warning and kc201.source == "kerascheck"
    assert kc201.code_description is not None and kc201.message.startswith("`Dense(64)` receives a 4-D tensor")

    hints = {h.position.line: h.label for h in await doc.hints()}
    assert hints[4] == "→ (None, 30, 30, 32)"
    assert hints[6] == "→ (None, 13, 13, 64)"
    assert hints[9] == "→ (None, 4, 4, 64)"
    assert hints[3] == "60,480 params"
    line_ends = {h.position.line: h.position.character for h in await doc.hints()}
    assert line_ends[9] == len(ORIGIN.split("\n")[9])

    hover = await doc.hover(9, 20)
    assert hover is not None
    text = hover.contents.value  # type: ignore[union-attr]
    assert "**dense** `Dense` → `(None, 4, 4, 64)` · 4,160 params" in text
    assert "acts on the last axis only" in text and "64·64 weights + 64 biases" in text

    actions = await doc.actions(kc201.range)
    titles = [a.title for a in actions]
    fix = next(a for a in actions if a.title.startswith("KC201: insert"))
    assert fix.title.endswith("(unsafe: changes the model)") and not fix.is_preferred
    assert "KC201: add `# noqa: KC201` to this line" in titles
    doc.replace(apply(doc.text, fix.edit.changes[doc.uri]))
    after = await until(client, doc.uri, lambda ds: "KC201" not in codes(ds))
    assert codes(after) == ["KC401", "KC401", "KC401"]
    assert "layers.Flatten()" in doc.text
    hints = {h.position.line: h.label for h in await doc.hints()}
    assert hints[9] == "→ (None, 1024)" and hints[10] == "→ (None, 64)"
    doc.close()


async def test_safe_quick_fix_is_preferred_and_fix_all_applies_every_safe_fix(client: LanguageClient, tmp_path):
    doc = Doc(client, tmp_path / "fixall.py", ORIGIN)
    found = await until(client, doc.uri, lambda ds: "KC401" in codes(ds))
    kc401 = next(d for d in found if d.code == "KC401")
    (keywords,) = [a for a in await doc.actions(kc401.range) if a.title.startswith("KC401: pass")]
    assert keywords.is_preferred
    whole = types.Range(types.Position(0, 0), types.Position(len(ORIGIN.split("\n")), 0))
    (fix_all,) = await doc.actions(whole, only=[types.CodeActionKind.SourceFixAll])
    assert fix_all.kind == "source.fixAll.kerascheck"
    doc.replace(apply(doc.text, fix_all.edit.changes[doc.uri]))
    after = await until(client, doc.uri, lambda ds: "KC401" not in codes(ds))
    assert codes(after) == ["KC201"]  # unsafe: left for the user to choose
    assert doc.text.count("filters=") == 3
    assert await doc.actions(whole, only=[types.CodeActionKind.SourceFixAll]) == []
    doc.close()


async def test_noqa_action_silences_and_hover_on_the_code_explains_the_rule(client: LanguageClient, tmp_path):
    doc = Doc(client, tmp_path / "noqa.py", ORIGIN)
    found = await until(client, doc.uri, lambda ds: "KC201" in codes(ds))
    kc201 = next(d for d in found if d.code == "KC201")
    noqa = next(a for a in await doc.actions(kc201.range) if "noqa" in a.title)
    doc.replace(apply(doc.text, noqa.edit.changes[doc.uri]))
    await until(client, doc.uri, lambda ds: "KC201" not in codes(ds) and len(ds) == 3)
    line = doc.text.split("\n")[9]
    assert line.endswith("activation='relu'))  # noqa: KC201")
    hover = await doc.hover(9, line.index("KC201") + 2)
    assert hover is not None and "dense-on-feature-map" in hover.contents.value  # type: ignore[union-attr]
    assert "## Why is this bad?" in hover.contents.value  # type: ignore[union-attr]
    doc.close()


async def test_pyproject_settings_apply_and_unknown_sizes_show_by_name(client: LanguageClient, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.kerascheck]\nignore = ["KC4"]\n')
    text = ORIGIN.replace("input_shape=(32, 32, 3)", "input_shape=(H, W, 3)").replace(
        "from tensorflow.keras import layers, models\n",
        "import sys\nfrom tensorflow.keras import layers, models\nH, W = int(sys.argv[1]), int(sys.argv[2])\n")
    doc = Doc(client, tmp_path / "sized.py", text)
    found = await until(client, doc.uri, lambda ds: bool(ds))
    assert codes(found) == ["KC201"]
    hints = [h.label for h in await doc.hints()]
    assert "→ (None, H - 2, W - 2, 32)" in hints
    doc.close()


async def test_typing_is_debounced_and_the_newest_version_wins(client: LanguageClient, tmp_path):
    doc = Doc(client, tmp_path / "typing.py", ORIGIN)
    await until(client, doc.uri, lambda ds: "KC201" in codes(ds))
    before = await client.workspace_execute_command_async(types.ExecuteCommandParams("kerascheck.stats"))
    fixed = ORIGIN.replace("model.add(layers.Dense", "model.add(layers.Flatten())\nmodel.add(layers.Dense")
    for cut in range(len(fixed) - 12, len(fixed) + 1, 4):  # typed a few characters at a time, no pause
        doc.replace(fixed[:cut])
    doc.replace(fixed)
    await until(client, doc.uri, lambda ds: codes(ds) == ["KC401", "KC401", "KC401"])
    await asyncio.sleep(0.3)
    after = await client.workspace_execute_command_async(types.ExecuteCommandParams("kerascheck.stats"))
    assert after["checks"] - before["checks"] <= 2  # one check for the burst (two if one started mid-burst)
    assert after["documents"][doc.uri]["version"] == doc.version
    doc.close()
    await until(client, doc.uri, lambda ds: ds == [])


async def test_files_without_keras_get_no_findings_and_syntax_errors_are_reported(client: LanguageClient, tmp_path):
    plain = Doc(client, tmp_path / "plain.py", "print('hello')\n")
    await until(client, plain.uri, lambda ds: ds == [])
    broken = Doc(client, tmp_path / "broken.py", "import keras\nmodel = keras.Sequential([\n")
    (error,) = await until(client, broken.uri, lambda ds: bool(ds))
    assert error.code == "KC001" and error.severity == types.DiagnosticSeverity.Error
    assert await broken.hints() == []
    plain.close()
    broken.close()


def _notebook_cells(nb_path: pathlib.Path) -> list[tuple[types.NotebookCell, types.TextDocumentItem]]:
    out = []
    for index, cell in enumerate(NOTEBOOK["cells"], start=1):
        code = cell["cell_type"] == "code"
        uri = f"vscode-notebook-cell:{nb_path}#cell{index}"
        out.append((
            types.NotebookCell(kind=types.NotebookCellKind.Code if code else types.NotebookCellKind.Markup,
                               document=uri),
            types.TextDocumentItem(uri=uri, language_id="python" if code else "markdown", version=1,
                                   text="".join(cell["source"])),
        ))
    return out


async def test_notebook_cells_are_one_program_with_positions_per_cell(client: LanguageClient, tmp_path):
    nb_path = tmp_path / "origin.ipynb"
    cells = _notebook_cells(nb_path)
    client.notebook_document_did_open(types.DidOpenNotebookDocumentParams(
        types.NotebookDocument(uri=nb_path.as_uri(), notebook_type="jupyter-notebook", version=1,
                               cells=[c for c, _ in cells]),
        [d for _, d in cells]))
    # The Dense layer is added in a cell of its own, after the cell with the convolutions.
    dense_cell = next(d for _, d in cells if "Dense(64" in d.text)
    conv_cell = next(d for _, d in cells if "Conv2D(32" in d.text)
    found = await until(client, dense_cell.uri, lambda ds: "KC201" in codes(ds))
    kc201 = next(d for d in found if d.code == "KC201")
    assert kc201.range.start.line == dense_cell.text.split("\n").index(
        next(line for line in dense_cell.text.split("\n") if "Dense(64" in line))
    assert "KC401" in codes(await until(client, conv_cell.uri, lambda ds: bool(ds)))

    def cell_range(doc: types.TextDocumentItem) -> types.Range:
        return types.Range(types.Position(0, 0), types.Position(len(doc.text.split("\n")), 0))

    hints = await client.text_document_inlay_hint_async(types.InlayHintParams(
        types.TextDocumentIdentifier(conv_cell.uri), cell_range(conv_cell)))
    assert "→ (None, 4, 4, 64)" in [h.label for h in hints or []]
    line = next(i for i, t in enumerate(dense_cell.text.split("\n")) if "Dense(64" in t)
    hover = await client.text_document_hover_async(types.HoverParams(
        types.TextDocumentIdentifier(dense_cell.uri), types.Position(line, 20)))
    assert hover is not None and "acts on the last axis only" in hover.contents.value  # type: ignore[union-attr]

    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(dense_cell.uri), kc201.range, types.CodeActionContext(diagnostics=[])))
    fix = next(a for a in actions or [] if a.title.startswith("KC201: insert"))
    new_text = apply(dense_cell.text, fix.edit.changes[dense_cell.uri])
    client.notebook_document_did_change(types.DidChangeNotebookDocumentParams(
        types.VersionedNotebookDocumentIdentifier(version=2, uri=nb_path.as_uri()),
        types.NotebookDocumentChangeEvent(cells=types.NotebookDocumentCellChanges(text_content=[
            types.NotebookDocumentCellContentChanges(
                document=types.VersionedTextDocumentIdentifier(uri=dense_cell.uri, version=2),
                changes=[types.TextDocumentContentChangeWholeDocument(text=new_text)])]))))
    await until(client, dense_cell.uri, lambda ds: "KC201" not in codes(ds))
    client.notebook_document_did_close(types.DidCloseNotebookDocumentParams(
        types.NotebookDocumentIdentifier(nb_path.as_uri()),
        [types.TextDocumentIdentifier(d.uri) for _, d in cells]))
