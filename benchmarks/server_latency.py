"""The language server's and the IPython extension's speed, measured by hand (timing never belongs in tests).

    python benchmarks/server_latency.py [--edits N] [--runs N] [--verbose]

1. The analysis itself, in process (best of `--runs`, after a warm-up): the origin model, and a
   generated 1,000-line model file.
2. Re-check latency end to end: `kerascheck server` started as editors start it, driven over stdio
   by pygls's LSP client; each edit (adding and removing the `Flatten()` that KC201 asks for, so the
   findings change every time) is timed from the moment the change is sent to the moment the
   diagnostics of that version arrive. Median and worst of `--edits` edits, each after a pause (a
   change after a pause is checked at once); then bursts of five keystrokes 20 ms apart, timed from
   the last one (a burst waits for the 75 ms debounce).
3. The IPython extension: the time `%load_ext kerascheck` adds to each cell of a 20-cell session
   (the check of the cell with all the cells before it), against running the same cells without it.

The targets (issue 15): fresh diagnostics within 150 ms of an edit, debounce included; the analysis
of the origin model under 50 ms; a 1,000-line model file under 300 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
ORIGIN = ROOT / "fixtures" / "origin" / "origin.py"
sys.path.insert(0, str(ROOT))


def thousand_lines() -> str:
    """A 1,000-line model file: five residual CNNs written out layer by layer, as generated code is."""
    lines = ["import keras", "from keras import layers", ""]
    for m in range(5):
        lines += [f"inputs_{m} = keras.Input(shape=(64, 64, 3))",
                  f"x = layers.Conv2D(filters=32, kernel_size=3, padding='same')(inputs_{m})"]
        block = 0
        while len(lines) < (m + 1) * 198:
            lines += [
                f"# block {m}.{block}",
                "shortcut = x",
                "x = layers.Conv2D(filters=32, kernel_size=3, padding='same')(x)",
                "x = layers.BatchNormalization()(x)",
                "x = layers.Activation('relu')(x)",
                "x = layers.Conv2D(filters=32, kernel_size=3, padding='same')(x)",
                "x = layers.BatchNormalization()(x)",
                "x = layers.Add()([x, shortcut])",
                "x = layers.Activation('relu')(x)",
            ]
            block += 1
        lines += ["x = layers.GlobalAveragePooling2D()(x)",
                  f"outputs_{m} = layers.Dense(units=10, activation='softmax')(x)",
                  f"model_{m} = keras.Model(inputs_{m}, outputs_{m})", ""]
    lines += ["head = keras.Sequential([keras.Input((8, 8, 64)), layers.Conv2D(filters=64, kernel_size=3),",
              "                         layers.Dense(units=64)])"]
    return "\n".join(lines) + "\n"


def best(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def analysis_times(runs: int, big: str) -> None:
    from kerascheck.engine import check_text
    from kerascheck.runner import batch_gc

    origin = ORIGIN.read_text()
    with batch_gc():  # as the server runs its checks
        small = best(lambda: check_text("origin.py", origin), runs)
        large = best(lambda: check_text("big.py", big), max(3, runs // 3))
        assert [d.code for d in check_text("big.py", big).diagnostics] == ["KC201"]
    print("1. the analysis itself (in process, best of runs, with the server's garbage-collector settings)")
    print(f"   origin.py, {origin.count(chr(10))} lines        {small * 1000:7.1f} ms   (target < 50 ms)")
    print(f"   generated file, {big.count(chr(10))} lines  {large * 1000:7.1f} ms   (target < 300 ms)")


async def recheck_latency(edits: int, big: str, verbose: bool = False) -> None:
    from lsprotocol import types
    from pygls.lsp.client import LanguageClient

    client = LanguageClient("bench", "1")
    arrived: dict[tuple[str, int], float] = {}

    @client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def published(ls: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        if params.version is not None:
            arrived[(params.uri, params.version)] = time.perf_counter()

    @client.feature(types.WORKSPACE_INLAY_HINT_REFRESH)
    def refresh(ls: LanguageClient, params: None) -> None:
        return None

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    await client.start_io(sys.executable, "-m", "kerascheck", "server", env=env)
    await client.initialize_async(types.InitializeParams(capabilities=types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(
            inlay_hint=types.InlayHintWorkspaceClientCapabilities(refresh_support=True)))))
    client.initialized(types.InitializedParams())

    print("\n2. re-check latency, from sending an edit to receiving its diagnostics (debounce included)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, text, target in (("origin.py", ORIGIN.read_text(), 150), ("big.py", big, 300)):
            uri = (pathlib.Path(tmp) / name).as_uri()
            client.text_document_did_open(types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id="python", version=1, text=text)))
            while (uri, 1) not in arrived:
                await asyncio.sleep(0.005)
            dense = next(i for i, line in enumerate(text.split("\n")) if "Dense(64" in line or "Dense(units=64" in line)
            fixed_line = "model.add(layers.Flatten())\n" if name == "origin.py" else "layers.Flatten(),\n" + " " * 25
            latencies = []
            for version in range(2, edits + 2):
                await asyncio.sleep(0.25)  # a pause in typing, longer than the debounce
                position = types.Position(dense, 0 if name == "origin.py" else 25)
                if version % 2 == 0:  # insert the Flatten() KC201 asks for
                    change = types.TextDocumentContentChangePartial(
                        range=types.Range(position, position), text=fixed_line)
                else:  # and take it out again
                    change = types.TextDocumentContentChangePartial(
                        range=types.Range(position, types.Position(dense + 1, position.character)), text="")
                sent = time.perf_counter()
                client.text_document_did_change(types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(uri=uri, version=version), [change]))
                while (uri, version) not in arrived:
                    await asyncio.sleep(0.001)
                latencies.append(arrived[(uri, version)] - sent)
                if verbose:
                    print(f"      edit {version}: {latencies[-1] * 1000:.0f} ms")
            stats = await client.workspace_execute_command_async(types.ExecuteCommandParams("kerascheck.stats"))
            seconds = stats["documents"][uri]["seconds"]
            # Bursts: a comment typed at the end of the file, five keystrokes 20 ms apart; timed from the last.
            version = edits + 1
            last_line = len(text.split("\n")) - 1 + (edits % 2)
            bursts = []
            for _ in range(max(3, edits // 2)):
                await asyncio.sleep(0.25)
                for k, ch in enumerate("# ab\n"):
                    version += 1
                    at = types.Position(last_line, k)
                    sent = time.perf_counter()
                    client.text_document_did_change(types.DidChangeTextDocumentParams(
                        types.VersionedTextDocumentIdentifier(uri=uri, version=version),
                        [types.TextDocumentContentChangePartial(range=types.Range(at, at), text=ch)]))
                    await asyncio.sleep(0.02)
                last_line += 1
                while (uri, version) not in arrived:
                    await asyncio.sleep(0.001)
                bursts.append(arrived[(uri, version)] - sent)
            print(f"   {name:<10} {text.count(chr(10)):5} lines   an edit after a pause: median "
                  f"{statistics.median(latencies) * 1000:6.1f} ms, worst {max(latencies) * 1000:6.1f} ms over "
                  f"{len(latencies)} edits (target < {target} ms); the server's check took {seconds * 1000:.1f} ms")
            print(f"   {'':<10} {'':5}         the last keystroke of a burst: median "
                  f"{statistics.median(bursts) * 1000:6.1f} ms, worst {max(bursts) * 1000:6.1f} ms over "
                  f"{len(bursts)} bursts (debounce {75} ms included)")
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()


def ipython_overhead(cells: int = 20) -> None:
    from unittest import mock

    from IPython.core.interactiveshell import InteractiveShell
    from IPython.utils.capture import capture_output

    session = ["import keras\nfrom keras import layers\nINPUT = (32, 32, 3)\n",
               "model = keras.Sequential([keras.Input(INPUT)])\n"]
    for i in range(cells - 2):
        session.append(f"model.add(layers.Conv2D(filters={16 + i}, kernel_size=3, padding='same'))\n"
                       if i % 3 else f"x_{i} = [n * n for n in range(100)]\n")
    fake = mock.MagicMock(name="keras")  # the cells' own run time is not what is measured
    with mock.patch.dict(sys.modules, {"keras": fake, "keras.layers": fake.layers}):
        shell = InteractiveShell.instance()

        def run_session() -> list[float]:
            per_cell = []
            for cell in session:
                start = time.perf_counter()
                with capture_output():
                    shell.run_cell(cell, store_history=True)
                per_cell.append(time.perf_counter() - start)
            return per_cell

        run_session()
        without = run_session()
        shell.run_cell("%load_ext kerascheck")
        from kerascheck.ipython import checker_for

        checker = checker_for(shell)
        assert checker is not None
        checker.history.clear()
        run_session()
        checker.history.clear()
        with_ext = run_session()
    added = [w - o for w, o in zip(with_ext, without)]
    print(f"\n3. IPython: the time %load_ext kerascheck adds to each cell of a {cells}-cell Keras session")
    print(f"   median {statistics.median(added) * 1000:6.1f} ms, worst {max(added) * 1000:6.1f} ms (the last cell, "
          f"checked with all {cells - 1} before it: {added[-1] * 1000:.1f} ms); cells alone: median "
          f"{statistics.median(without) * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--verbose", action="store_true", help="print every edit's latency")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]} on {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")
    big = thousand_lines()
    analysis_times(args.runs, big)
    asyncio.run(recheck_latency(args.edits, big, args.verbose))
    ipython_overhead()
    print(f"\nload average {os.getloadavg()[0]:.1f} at the end (other processes compete for the cores)")


if __name__ == "__main__":
    main()
