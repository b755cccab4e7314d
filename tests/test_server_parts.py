"""The language server's parts on their own: scheduling and cancellation, failures, positions, and
`kerascheck server` on the command line next to `kerascheck PATH`."""

from __future__ import annotations

import asyncio
import pathlib
import subprocess
import sys
import threading

import pytest
from click.testing import CliRunner

from kerascheck.cli import main
from kerascheck.engine import FileResult, check_text

pytest.importorskip("pygls", reason="the server extra is not installed (pip install -e '.[server]')")

from lsprotocol import types  # noqa: E402

from kerascheck.server import features  # noqa: E402
from kerascheck.server.analysis import Analysis, Job, Scheduler  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
ORIGIN = (ROOT / "fixtures" / "origin" / "origin.py").read_text()


def _analysis(key: str, version: int) -> Analysis:
    return Analysis(key, version, key, FileResult(key))


async def _until(condition, timeout: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        assert loop.time() < end, "timed out"
        await asyncio.sleep(0.005)


def test_a_newer_version_cancels_the_running_check():
    async def scenario() -> None:
        done: list[Job] = []
        scheduler = Scheduler(asyncio.get_running_loop(), done.append)
        started = threading.Event()
        spins = [0]

        def slow() -> Analysis:
            started.set()
            while True:  # a long check: pure Python, so it can be interrupted anywhere
                spins[0] += 1

        scheduler.submit(Job("doc", 1, slow))
        await asyncio.get_running_loop().run_in_executor(None, started.wait)
        scheduler.submit(Job("doc", 2, lambda: _analysis("doc", 2)))
        await _until(lambda: bool(done))
        assert [job.version for job in done] == [2]
        assert scheduler.cancelled == 1 and scheduler.running is None and not scheduler.pending
        frozen = spins[0]
        await asyncio.sleep(0.05)
        assert spins[0] == frozen  # the cancelled check really stopped
        scheduler.close()

    asyncio.run(scenario())


def test_pending_versions_are_replaced_and_other_documents_wait_their_turn():
    async def scenario() -> None:
        done: list[Job] = []
        scheduler = Scheduler(asyncio.get_running_loop(), done.append)
        gate = threading.Event()

        def blocked() -> Analysis:
            gate.wait()  # native wait: not interrupted, finishes when let go
            return _analysis("other", 1)

        scheduler.submit(Job("other", 1, blocked))
        for version in (1, 2, 3):
            scheduler.submit(Job("doc", version, lambda v=version: _analysis("doc", v)))
        scheduler.submit(Job("doc", 2, lambda: _analysis("doc", 2)))  # an older version arriving late is dropped
        gate.set()
        await _until(lambda: len(done) == 2)
        assert [(job.key, job.version) for job in done] == [("other", 1), ("doc", 3)]
        scheduler.close()

    asyncio.run(scenario())


def test_a_failing_check_is_reported_and_the_next_one_runs():
    async def scenario() -> None:
        done: list[Job] = []
        scheduler = Scheduler(asyncio.get_running_loop(), done.append)

        def broken() -> Analysis:
            raise RuntimeError("boom")

        scheduler.submit(Job("a", 1, broken))
        scheduler.submit(Job("b", 1, lambda: _analysis("b", 1)))
        await _until(lambda: len(done) == 2)
        assert isinstance(done[0].error, RuntimeError) and done[0].analysis is None
        assert done[1].analysis is not None
        scheduler.close()

    asyncio.run(scenario())


def test_a_failure_outside_the_engine_becomes_kc900():
    from kerascheck.server.app import create_server

    server = create_server()
    job = Job("file:///m.py", 3, lambda: _analysis("x", 3), error=RuntimeError("boom"))
    analysis = server._failure(job)
    (d,) = analysis.result.diagnostics
    assert (d.code, d.message, analysis.version) == ("KC900", "internal error: RuntimeError: boom", 3)
    published = features.diagnostics_by_uri(analysis)
    assert [x.code for x in published["file:///m.py"]] == ["KC900"]


def test_positions_count_utf16_code_units_and_map_back():
    text = "x = '😀é'; import keras\n"
    lines = features.Lines.of(text)
    assert lines.position(1, 9) == types.Position(0, 9)  # 😀 is two UTF-16 units
    assert lines.column(types.Position(0, 9)) == (1, 9)
    utf8 = features.Lines.of(text, lambda s: len(s.encode("utf-8")))
    assert utf8.position(1, 9) == types.Position(0, 12)  # 4 bytes, then 2
    assert lines.line_end(1) == types.Position(0, len(text) - 1 + 1)
    assert lines.position(9, 1) == types.Position(1, 0)  # past the end: clamped


def _origin_analysis(text: str = ORIGIN) -> Analysis:
    return Analysis("file:///o.py", 1, "o.py", check_text("o.py", text), {None: text}, {None: "file:///o.py"})


def test_inlay_hints_respect_the_requested_lines():
    analysis = _origin_analysis()
    assert [h.position.line for h in features.inlay_hints(analysis, None)] == [3, 4, 5, 6, 7, 8, 9]
    assert [h.position.line for h in features.inlay_hints(analysis, None, 5, 6)] == [5, 6]


def test_noqa_action_extends_an_existing_noqa_comment():
    text = ORIGIN.replace("activation='relu'))\n", "activation='relu'))  # noqa: KC401\n")
    analysis = _origin_analysis(text)
    kc201 = next(d for d in analysis.result.diagnostics if d.code == "KC201")
    lines = features.Lines.of(text)
    actions = features.code_actions(analysis, None, lines.range(kc201.span))
    (noqa,) = [a for a in actions if "noqa" in a.title]
    (edit,) = noqa.edit.changes["file:///o.py"]
    line = text.split("\n")[9]
    assert edit.new_text == ", KC201" and edit.range.start.character == len(line)


def test_only_filters_code_action_kinds():
    analysis = _origin_analysis()
    everything = types.Range(types.Position(0, 0), types.Position(20, 0))
    assert features.code_actions(analysis, None, everything, [types.CodeActionKind.Source]) == []
    assert features.code_actions(analysis, None, everything, [types.CodeActionKind.QuickFix])


def test_server_subcommand_help_and_a_path_named_server(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(main, ["server", "--help"])
    assert result.exit_code == 0 and "usage: kerascheck server" in result.output
    (tmp_path / "server").write_text(ORIGIN)
    for args in (["./server"], ["--", "server"], ["--select", "KC2", "server"]):
        checked = runner.invoke(main, args)
        assert checked.exit_code == 1, args
        assert "server:10:11: KC201" in checked.output, args
    both = runner.invoke(main, ["--select", "KC2", str(tmp_path / "server"), "server"])
    assert both.output.count("KC201") == 2


def test_server_exits_when_its_input_closes_and_names_the_path_it_shadows(tmp_path):
    (tmp_path / "server").write_text(ORIGIN)
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "kerascheck", "server"], cwd=tmp_path, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout == ""
    assert "to check the path `server`, run `kerascheck ./server`" in done.stderr


def test_a_notebook_without_python_cells_publishes_nothing():
    result = check_text("nb.ipynb", '{"cells": [{"cell_type": "markdown", "source": "keras"}]}')
    assert features.diagnostics_by_uri(Analysis("nb", 1, "nb.ipynb", result)) == {}


def test_without_the_server_extra_the_command_says_what_to_install():
    code = "import sys; sys.modules['pygls'] = None; from kerascheck.server import main; sys.exit(main([]))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 2
    assert done.stderr.strip() == "kerascheck server needs pygls and lsprotocol: pip install 'kerascheck[server]'"
