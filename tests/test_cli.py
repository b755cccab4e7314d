"""The command line, through click's CliRunner: exit codes, formats, errors for bad input, fixes."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kerascheck import __version__
from kerascheck.cli import main

ORIGIN = """\
from tensorflow.keras import layers, models

model = models.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation='relu'))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation='relu'))
model.add(layers.Dense(64, activation='relu'))
"""

CLEAN = """\
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(filters=16, kernel_size=3, activation="relu"),
    layers.GlobalAveragePooling2D(),
    layers.Dense(10, activation="softmax"),
])
"""


@pytest.fixture
def run(tmp_path: pathlib.Path):
    def invoke(*args: str, files: dict[str, str] | None = None):
        for name, text in (files or {}).items():
            (tmp_path / name).write_text(text)
        runner = CliRunner()
        return runner.invoke(main, list(args), catch_exceptions=False) if not files else _in(tmp_path, runner, args)

    return invoke


def _in(directory: pathlib.Path, runner: CliRunner, args: tuple[str, ...]):
    import os

    cwd = os.getcwd()
    os.chdir(directory)
    try:
        return runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(cwd)


def test_origin_model_reports_missing_flatten_and_positional_counts(run):
    result = run("model.py", files={"model.py": ORIGIN})
    assert result.exit_code == 1
    lines = result.output.splitlines()
    # KC201's fix changes the model: no [*], which marks what --fix applies.
    assert any(line.startswith("model.py:9:11: KC201 `Dense(64)` receives a 4-D tensor (None, 4, 4, 64)")
               for line in lines)
    assert "    fix: insert `layers.Flatten()` before it (or global pooling) (unsafe)" in lines
    assert not any(" KC401 " in line for line in lines)  # opt-in: not in the default selection
    assert "(1 more fix changes the model: `--fix --unsafe-fixes` applies it.)" in lines
    learner = run("--extend-select", "learn", "model.py", files={"model.py": ORIGIN}).output.splitlines()
    assert any(line.startswith("model.py:4:11: KC401 [*] `Conv2D(32, (3, 3))` passes filters and kernel_size")
               for line in learner)
    assert "[*] 3 fixable with `--fix`." in learner


def test_clean_run_says_all_checks_passed(run):
    result = run("model.py", files={"model.py": "import keras\nm = keras.Sequential([keras.Input((4,)), "
                                                  "keras.layers.Dense(2)])\n"})
    assert result.exit_code == 0
    assert result.output == "All checks passed!\n"


def test_shapes_prints_the_summary_table(run):
    result = run("--shapes", "model.py", files={"model.py": ORIGIN})
    assert "conv2d (Conv2D)                 (None, 30, 30, 32)      896     4" in result.output
    assert "Total params: 60,480" in result.output


def test_clean_model_exits_zero(run):
    result = run("model.py", files={"model.py": CLEAN})
    assert result.exit_code == 0, result.output
    assert result.output == "All checks passed!\n"


def test_info_findings_do_not_fail_unless_asked(run):
    files = {"model.py": "import keras\nm = keras.Sequential([keras.layers.Dense(4)])\n"}
    assert run("--extend-select", "learn", "model.py", files=files).exit_code == 0
    assert run("--extend-select", "learn", "--fail-on", "info", "model.py", files=files).exit_code == 1


def test_json_follows_the_contract(run):
    result = run("--format", "json", "model.py", files={"model.py": ORIGIN})
    doc = json.loads(result.output)
    assert doc["version"] == 1
    (file,) = doc["files"]
    assert file["path"] == "model.py"
    (model,) = file["models"]
    assert model["name"] == "model" and model["api"] == "sequential" and model["line"] == 3
    assert [layer["name"] for layer in model["layers"]] == [
        "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "conv2d_2", "dense",
    ]
    first, last = model["layers"][0], model["layers"][-1]
    assert first["inputs"] == [] and first["input_shape"] == [None, 32, 32, 3]
    assert last["inputs"] == ["conv2d_2"] and last["output_shape"] == [None, 4, 4, 64]
    assert set(first) >= {"name", "type", "line", "column", "inputs", "input_shape", "output_shape", "params"}
    codes = [d["code"] for d in file["diagnostics"]]
    assert codes.count("KC201") == 1
    d = next(d for d in file["diagnostics"] if d["code"] == "KC201")
    assert (d["line"], d["column"], d["severity"]) == (9, 11, "warning")
    assert d["end_line"] == 9 and d["end_column"] > d["column"]
    assert d["fix"]["safety"] == "unsafe"


def test_syntax_error_is_a_diagnostic_not_a_traceback(run):
    result = run("--format", "json", "bad.py", files={"bad.py": "import keras\nmodel = keras.Sequential(\n"})
    assert result.exit_code == 1
    (file,) = json.loads(result.output)["files"]
    assert file["models"] == []
    assert [d["code"] for d in file["diagnostics"]] == ["KC001"]


def test_missing_path_is_a_one_line_error(run):
    result = run("no/such/file.py")
    assert result.exit_code == 2
    assert result.output.strip() == "kerascheck: no/such/file.py: no such file or directory"


def test_unknown_rule_code_is_a_usage_error(run):
    result = run("--select", "KC999", ".")
    assert result.exit_code == 2
    assert "unknown rule code or prefix 'KC999'" in result.output


def test_unknown_option_exits_two(run):
    assert run("--no-such-option").exit_code == 2


def test_unreadable_file_is_reported_and_exits_two(run, tmp_path):
    result = run("bin.py", files={"bin.py": ""})
    (tmp_path / "bin.py").write_bytes(b"import keras\n\xff\xfe")
    result = _in(tmp_path, CliRunner(), ("bin.py",))
    assert result.exit_code == 2
    assert "not UTF-8" in result.output


def test_ignore_and_select_prefixes(run):
    result = run("--ignore", "KC4", "model.py", files={"model.py": ORIGIN})
    assert "KC401" not in result.output and "KC201" in result.output
    result = run("--select", "KC4", "model.py", files={"model.py": ORIGIN})
    assert "KC201" not in result.output and "KC401" in result.output
    assert result.exit_code == 0


def test_directories_are_walked(run, tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "net.py").write_text(ORIGIN)
    (tmp_path / "pkg" / "other.txt").write_text(ORIGIN)
    result = _in(tmp_path, CliRunner(), ("pkg",))
    assert result.exit_code == 1
    assert "pkg/net.py:9:11: KC201" in result.output
    assert "other.txt" not in result.output


def test_fix_applies_safe_fixes_only_and_twice_changes_nothing(run, tmp_path):
    run("--extend-select", "learn", "--fix", "model.py", files={"model.py": ORIGIN})
    fixed = (tmp_path / "model.py").read_text()
    assert "layers.Conv2D(filters=32, kernel_size=(3, 3), activation='relu'" in fixed
    assert "Flatten" not in fixed  # unsafe: not applied without --unsafe-fixes
    _in(tmp_path, CliRunner(), ("--extend-select", "learn", "--fix", "model.py"))
    assert (tmp_path / "model.py").read_text() == fixed


def test_unsafe_fix_inserts_flatten_and_the_warning_goes_away(run, tmp_path):
    result = run("--fix", "--unsafe-fixes", "model.py", files={"model.py": ORIGIN})
    fixed = (tmp_path / "model.py").read_text()
    assert "model.add(layers.Flatten())\nmodel.add(layers.Dense(64, activation='relu'))\n" in fixed
    assert result.exit_code == 0, result.output


def test_diff_shows_fixes_without_writing(run, tmp_path):
    result = run("--diff", "--unsafe-fixes", "model.py", files={"model.py": ORIGIN})
    assert "+model.add(layers.Flatten())" in result.output
    assert "KC201" not in result.output and result.exit_code == 1
    assert (tmp_path / "model.py").read_text() == ORIGIN


def test_explain_and_list_rules(run):
    result = run("--explain", "KC201")
    assert result.exit_code == 0
    assert "## Why is this bad?" in result.output and "dense-on-feature-map" in result.output
    assert run("--explain", "KC999").exit_code == 2
    listing = run("--list-rules").output
    assert "KC201  dense-on-feature-map" in listing


def test_version(run):
    assert run("--version").output.strip() == f"kerascheck, version {__version__}"


def test_file_without_keras_is_skipped(run):
    result = run("plain.py", files={"plain.py": "x = (\n"})
    assert result.exit_code == 0 and result.output == "All checks passed!\n"


def test_readme_rule_table_and_examples_are_current():
    import sys

    root = pathlib.Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "tools"))
    try:
        import update_readme
    finally:
        sys.path.pop(0)
    text = (root / "README.md").read_text()
    assert update_readme.updated(text) == text, "run `python tools/update_readme.py`"


def test_explain_model_prints_what_each_number_means(run):
    result = run("--explain-model", "model.py", files={"model.py": ORIGIN})
    lines = result.output.splitlines()
    assert lines[0] == 'Model "sequential" (model) at model.py:3'
    assert lines[1].split(None, 1) == [
        "4",
        "Conv2D(32, (3, 3))  32 filters, each 3×3×3 over all 3 input channels → (None, 30, 30, 32): "
        "30 = 32 − 3 + 1 (valid padding); 896 params = 3·3·3·32 weights + 32 biases",
    ]


def test_json_layers_carry_their_explanation_also_from_the_cache(run):
    first = json.loads(run("--format", "json", "model.py", files={"model.py": ORIGIN}).output)
    second = json.loads(run("--format", "json", "model.py", files={"model.py": ORIGIN}).output)
    assert first == second
    dense = first["files"][0]["models"][0]["layers"][-1]
    assert dense["explanation"].startswith("Dense(64)  acts on the last axis only")


def test_diagram_formats(run):
    mermaid = run("--format", "mermaid", "model.py", files={"model.py": ORIGIN}).output
    assert mermaid.startswith("flowchart TD") and "conv2d<br/>Conv2D<br/>(None, 30, 30, 32)" in mermaid
    dot = run("--format", "dot", "model.py", files={"model.py": ORIGIN}).output
    assert dot.startswith("digraph") and dot.rstrip().endswith("}")
    html = run("--format", "html", "model.py", files={"model.py": ORIGIN}).output
    assert html.lstrip().lower().startswith("<!doctype html>") and "max_pooling2d" in html


def test_execute_confirms_every_shape_and_adds_executed_shapes(run):
    result = run("--execute", "--format", "json", "model.py", files={"model.py": ORIGIN})
    (model,) = json.loads(result.output)["files"][0]["models"]
    assert [layer["executed_shape"] for layer in model["layers"]] == [layer["output_shape"] for layer in model["layers"]]
    text = run("--execute", "--select", "KC9", "model.py", files={"model.py": ORIGIN}).output
    assert "model.py:3: executed in NumPy: model: 6 confirmed" in text


def test_an_execution_mismatch_is_a_kc901_diagnostic():
    from kerascheck.engine import Settings, check_text
    from kerascheck.execute import execute_model
    from kerascheck.rules import Context
    from kerascheck.rules.execution_mismatch import ExecutionMismatch

    (model,) = check_text("m.py", ORIGIN, Settings(execute=True)).models
    model.layers[1].output_shape = (None, 14, 15, 32)  # a wrong static shape
    model.execution = execute_model(model)
    found = list(ExecutionMismatch().check(model, Context([model])))
    assert [d.code for d in found] == ["KC901"]
    assert "max_pooling2d" in found[0].message and found[0].span.line == 5


@pytest.mark.parametrize(
    ("code", "summary"),
    [
        (ORIGIN, "(1 more fix changes the model: `--fix --unsafe-fixes` applies it.)"),
        ("import keras\nfrom keras import layers\n"
         "m = keras.Sequential([keras.Input(shape=(4, 4, 8)), layers.Conv2D(3, 2)])\n",
         "[*] 1 fixable with `--fix`."),
        ("import keras\nfrom keras import layers\n"
         "m = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(units=3, activation='sigmoid')])\n"
         "m.compile(loss='sparse_categorical_crossentropy')\n",
         "(1 more fix changes the model: `--fix --unsafe-fixes` applies it.)"),
    ],
    ids=["safe-and-unsafe", "safe-only", "unsafe-only"],
)
def test_fixable_count_says_which_flag_applies_the_fixes(run, code, summary):
    result = run("--extend-select", "learn", "model.py", files={"model.py": code})
    assert result.output.rstrip().splitlines()[-1] == summary


def test_stdin_fix_prints_the_fixed_code(tmp_path):
    """`cat f.py | kerascheck - --fix`: the fixed code on stdout (editors' fix on save), findings left on stderr."""
    env = {**os.environ, "PYTHONPATH": str(pathlib.Path(__file__).resolve().parent.parent)}
    done = subprocess.run([sys.executable, "-m", "kerascheck", "-", "--fix", "--extend-select", "learn"], input=ORIGIN,
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "layers.Conv2D(filters=32, kernel_size=(3, 3), activation='relu'" in done.stdout
    assert done.stdout.count("\n") == ORIGIN.count("\n")
    assert "KC201" in done.stderr  # its fix is unsafe: left for the author
    plain = subprocess.run([sys.executable, "-m", "kerascheck", "-", "--fix"], input="x = 1\n", capture_output=True,
                           text=True, cwd=tmp_path, env=env, timeout=120)
    assert plain.stdout == "x = 1\n" and plain.returncode == 0


def test_exit_zero_quiet_and_output_format(run):
    assert run("--exit-zero", "model.py", files={"model.py": ORIGIN}).exit_code == 0
    quiet = run("-q", "model.py", files={"model.py": ORIGIN}).output.splitlines()
    assert quiet and all(" KC" in line or line.startswith("    ") for line in quiet)
    assert run("-q", "model.py", files={"model.py": CLEAN}).output == ""
    as_json = run("--output-format", "json", "model.py", files={"model.py": ORIGIN}).output
    assert json.loads(as_json)["version"] == 1


def test_colour_follows_no_color_and_force_color(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(pathlib.Path(__file__).resolve().parent.parent)}
    env.pop("NO_COLOR", None)
    (tmp_path / "model.py").write_text(ORIGIN)
    cmd = [sys.executable, "-m", "kerascheck", "--no-cache", "model.py"]
    forced = subprocess.run(cmd, cwd=tmp_path, env={**env, "FORCE_COLOR": "1"}, capture_output=True, text=True)
    assert "\x1b[" in forced.stdout and "KC201" in forced.stdout
    piped = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True, text=True)
    assert "\x1b[" not in piped.stdout  # not a terminal
    both = subprocess.run(cmd, cwd=tmp_path, env={**env, "FORCE_COLOR": "1", "NO_COLOR": "1"}, capture_output=True,
                          text=True)
    assert "\x1b[" not in both.stdout  # NO_COLOR wins


def test_config_path_verbose_and_show_fixes(run, tmp_path):
    files = {"model.py": ORIGIN, "plain.py": "x = 1\n", "settings.toml": '[tool.kerascheck]\nignore = ["KC2"]\n'}
    result = run("--config", "settings.toml", "model.py", files=files)
    assert "KC201" not in result.output and result.exit_code == 0
    assert run("--config", "missing.toml", "model.py", files=files).exit_code == 2
    verbose = run("-v", "plain.py", files=files)
    assert "plain.py: skipped: it never mentions keras or tensorflow" in verbose.output
    shown = run("--extend-select", "learn", "--fix", "--show-fixes", "model.py", files=files)
    assert "model.py:4:11: KC401 pass them as keywords" in shown.output


def test_prefix_ignore_and_select_with_the_default_selection(run):
    files = {"model.py": ORIGIN}
    assert "KC201" not in run("--ignore", "KC2", "model.py", files=files).output
    assert " KC401 " in run("--select", "KC4", "model.py", files=files).output  # narrower than KC: opted in
    assert " KC401 " not in run("--select", "KC", "model.py", files=files).output
