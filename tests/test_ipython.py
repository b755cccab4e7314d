"""`%load_ext kerascheck` in a real IPython shell.

Most tests run the cells in an in-process InteractiveShell with `keras` stood in by a mock module
(what the cells do at run time does not matter to a static check, and real Keras would slow every
test down); one runs a separate IPython with real Keras, where a cell raises Keras's own build
error and kerascheck's findings must already be on screen.
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from unittest import mock

import pytest

pytest.importorskip("IPython", reason="IPython is not installed (pip install -e '.[test]')")

from IPython.core.interactiveshell import InteractiveShell  # noqa: E402
from IPython.utils.capture import capture_output  # noqa: E402

from kerascheck import ipython as extension  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
IMPORTS = "import keras\nfrom keras import layers\n"
MODEL = (
    "model = keras.Sequential([keras.Input(INPUT), layers.Conv2D(filters=32, kernel_size=3)])\n"
    "model.add(layers.Dense(10))\n"
)


@pytest.fixture
def shell():
    fake = mock.MagicMock(name="keras")
    with mock.patch.dict(sys.modules, {"keras": fake, "keras.layers": fake.layers}):
        ip = InteractiveShell.instance()
        ip.run_cell("%load_ext kerascheck")
        checker = extension.checker_for(ip)
        assert checker is not None
        checker.history.clear()
        checker.enabled = True
        yield ip
        ip.run_cell("%unload_ext kerascheck")
        assert extension.checker_for(ip) is None


def run(ip: InteractiveShell, code: str):  # type: ignore[no-untyped-def]
    with capture_output() as captured:
        result = ip.run_cell(code, store_history=True)
    return result, captured


def shown(captured) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    return [o.data for o in captured.outputs]


def test_a_cell_defining_a_model_shows_its_findings_and_summary_in_text_and_html(shell):
    run(shell, IMPORTS + "INPUT = (32, 32, 3)\n")
    result, captured = run(shell, MODEL)
    assert result.success
    (bundle,) = shown(captured)
    count = shell.execution_count - 1
    text = bundle["text/plain"]
    assert f"kerascheck: In [{count}] line 2:11: KC201 `Dense(10)` receives a 4-D tensor (None, 30, 30, 32)" in text
    assert f'Model "sequential" (model) at In:cell {count}:1' in text  # INPUT from the cell before is known
    assert "dense (Dense)    (None, 30, 30, 10)      330" in text and "Total params: 1,226" in text
    assert "<b" in bundle["text/html"] and "KC201" in bundle["text/html"] and "<pre" in bundle["text/html"]


def test_cells_without_models_show_nothing_and_a_later_cell_that_changes_a_model_shows_it(shell):
    run(shell, IMPORTS + "INPUT = (28, 28, 1)\n")
    _, quiet = run(shell, "x = 1 + 1\nprint('hello')\n")
    assert shown(quiet) == [] and quiet.stdout == "hello\n"
    run(shell, "model = keras.Sequential([keras.Input(INPUT), layers.Flatten()])\n")
    _, changed = run(shell, "model.add(layers.Dense(units=10, activation='softmax'))\n")
    (bundle,) = shown(changed)
    assert "flatten (Flatten)  (None, 784)" in bundle["text/plain"]
    assert "dense (Dense)      (None, 10)      7,850" in bundle["text/plain"]


def test_a_cell_that_raises_still_shows_its_findings_and_is_left_out_of_the_context(shell):
    run(shell, IMPORTS + "INPUT = (8, 8, 3)\n")
    run(shell, "model = keras.Sequential([keras.Input(INPUT), layers.Flatten()])\n")
    result, captured = run(shell, "model.add(layers.Dense(4, activaton='relu'))\nraise ValueError('the build failed')\n")
    assert not result.success
    assert "KC402" in shown(captured)[0]["text/plain"]  # shown before the cell ran (and raised)
    _, after = run(shell, "model.add(layers.Dense(units=2))\n")
    table = shown(after)[0]["text/plain"]
    assert "dense (Dense)" in table and "dense_1" not in table  # the failed cell's layer never joined the model


def test_a_session_without_keras_is_not_checked(shell):
    with mock.patch.object(extension, "check_text", side_effect=AssertionError("parsed")):
        result, captured = run(shell, "x = 1\n")
    assert result.success and shown(captured) == [] and extension.checker_for(shell).failures == 0


def test_a_kerascheck_failure_never_reaches_the_session(shell):
    run(shell, IMPORTS)
    with mock.patch.object(extension, "check_text", side_effect=RuntimeError("kerascheck bug")):
        result, captured = run(shell, "y = 2\nmodel = keras.Sequential()\n")
    assert result.success and shell.user_ns["y"] == 2 and shown(captured) == []
    assert extension.checker_for(shell).failures == 1


def test_kerascheck_magic_reports_the_session_on_demand(shell):
    run(shell, IMPORTS + "INPUT = (32, 32, 3)\n")
    run(shell, MODEL)
    _, plain = run(shell, "%kerascheck")
    assert "In:cell" in plain.stdout and "KC201" in plain.stdout and "Found 1 problem" in plain.stdout
    _, shapes = run(shell, "%kerascheck --shapes --explain-model")
    assert "Total params: 1,226" in shapes.stdout
    assert "32 filters, each 3×3×3 over all 3 input channels" in shapes.stdout
    _, page = run(shell, "%kerascheck --format html")
    (bundle,) = shown(page)
    assert bundle["text/html"].startswith("<iframe srcdoc=") and "kerascheck report" in bundle["text/html"]
    assert "KC201" in bundle["text/plain"]
    _, document = run(shell, "%kerascheck --format json")
    (bundle,) = shown(document)
    assert bundle["application/json"]["version"] == 1
    assert bundle["application/json"]["files"][0]["models"][0]["total_params"] == 1226
    _, usage = run(shell, "%kerascheck --no-such-option")
    assert usage.stdout.startswith("usage: %kerascheck")


def test_kerascheck_magic_on_a_path_and_switching_off(shell, tmp_path):
    model = tmp_path / "origin.py"
    model.write_text((ROOT / "fixtures" / "origin" / "origin.py").read_text())
    _, file_report = run(shell, f"%kerascheck --shapes {model}")
    assert f"{model}:10:11: KC201" in file_report.stdout and "Total params: 60,480" in file_report.stdout
    _, missing = run(shell, f"%kerascheck {tmp_path / 'missing.py'}")
    assert "no such file or directory" in missing.stdout
    _, off = run(shell, "%kerascheck --off")
    assert "off" in off.stdout
    run(shell, IMPORTS + "INPUT = (32, 32, 3)\n")
    _, silent = run(shell, MODEL)
    assert shown(silent) == []
    run(shell, "%kerascheck --on")
    _, loud = run(shell, "model.add(layers.Dense(units=3))\n")
    assert shown(loud)


CELLS = [
    "%load_ext kerascheck",
    "import keras\nfrom keras import layers",
    "model = keras.Sequential([keras.Input((4, 4, 3))])\nmodel.add(layers.Conv2D(filters=8, kernel_size=(5, 5)))",
]
REAL_SESSION = f"""
import json, sys
from IPython.core.interactiveshell import InteractiveShell
ip = InteractiveShell.instance()
for cell in {CELLS!r}:
    result = ip.run_cell(cell, store_history=True)
    sys.stdout.flush()
print("RESULT", json.dumps({{"success": result.success, "error": type(result.error_in_exec).__name__}}))
"""


@pytest.mark.skipif(__import__("importlib").util.find_spec("keras") is None, reason="Keras is not installed")
def test_with_real_keras_the_findings_show_before_the_build_error():
    env = {**os.environ, "KERAS_BACKEND": "numpy",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", REAL_SESSION], capture_output=True, text=True, timeout=300, env=env)
    out = done.stdout
    verdict = json.loads(out.split("RESULT ", 1)[1])
    assert verdict == {"success": False, "error": "ValueError"}  # Keras itself refused to build the layer
    finding = out.index("KC102 `Conv2D` on input (None, 4, 4, 3)")
    assert finding < out.index("ValueError")  # on screen before the traceback
