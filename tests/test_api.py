"""The Python API: `kerascheck.check`, `check_paths`, `summary` and `fix`."""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import pytest

import kerascheck
from kerascheck.diagnostics import Safety, Severity
from kerascheck.engine import check_text
from kerascheck.report.json import file_json

ROOT = pathlib.Path(__file__).resolve().parent.parent
ORIGIN = ROOT / "fixtures" / "origin" / "origin.py"
NOTEBOOK = ROOT / "fixtures" / "origin" / "origin_notebook.ipynb"


def test_check_gives_typed_models_layers_and_diagnostics():
    report = kerascheck.check(ORIGIN.read_text(), "origin.py")
    assert report.path == "origin.py"
    (model,) = report.models
    assert (model.name, model.line, model.api, model.total_params) == ("model", 4, "sequential", 60480)
    assert [layer.type for layer in model.layers] == ["Conv2D", "MaxPooling2D"] * 2 + ["Conv2D", "Dense"]
    dense = model.layers[-1]
    assert dense.output_shape == (None, 4, 4, 64)
    assert (dense.line, dense.column, dense.params, dense.inputs) == (10, 11, 4160, ("conv2d_2",))
    assert dense.explanation.startswith("Dense(64)  acts on the last axis only")
    kc201 = [d for d in report.diagnostics if d.code == "KC201"]
    assert [(d.span.line, d.span.column, d.severity) for d in kc201] == [(10, 11, Severity.WARNING)]
    assert kc201[0].fix is not None and kc201[0].fix.safety is Safety.UNSAFE


def test_to_dict_is_the_json_contract_entry():
    text = ORIGIN.read_text()
    report = kerascheck.check(text, "origin.py")
    assert report.to_dict() == file_json(check_text("origin.py", text))
    assert json.loads(json.dumps(report.to_dict())) == report.to_dict()


def test_notebook_positions_carry_their_cell():
    report = kerascheck.check(NOTEBOOK.read_text(), "nb.ipynb")
    assert report.models and report.models[0].cell is not None
    assert all(d.span.cell is not None for d in report.diagnostics)
    assert report.to_dict() == file_json(check_text("nb.ipynb", NOTEBOOK.read_text()))


def test_symbolic_sizes_are_strings():
    code = (
        "import sys\nfrom keras import layers, models\nH = int(sys.argv[1])\n"
        "m = models.Sequential([layers.Input((H, 8)), layers.Dense(4)])\n"
    )
    (model,) = kerascheck.check(code).models
    assert model.layers[-1].output_shape == (None, "H", 4)


def test_a_layer_of_several_inputs_some_unknown_keeps_each_shape():
    # the first input is known, the second comes from a call kerascheck does not follow
    code = (
        "import keras\nfrom keras import layers\nfrom mystery import block\n"
        "a = keras.Input((3,))\nb = keras.Input((5,))\n"
        "m = keras.Model([a, b], layers.Concatenate()([a, block(b)]))\n"
    )
    report = kerascheck.check(code)
    (model,) = report.models
    joined = model.layers[-1]
    assert joined.type == "Concatenate"
    assert joined.input_shape == [(None, 3), None]
    assert report.to_dict()["models"][0]["layers"][-1]["input_shape"] == [[None, 3], None]
    assert model.to_dict()["layers"][-1]["input_shape"] == [[None, 3], None]


def test_noqa_and_settings_are_honoured():
    text = ORIGIN.read_text().replace("activation='relu'))\n", "activation='relu'))  # noqa: KC201\n")
    assert "KC201" not in {d.code for d in kerascheck.check(text).diagnostics}
    only = kerascheck.check(ORIGIN.read_text(), settings=kerascheck.Settings(select=("KC2",)))
    assert {d.code for d in only.diagnostics} == {"KC201"}


def test_pyproject_settings_are_found_from_the_path(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.kerascheck]\nignore = ["KC4"]\n')
    report = kerascheck.check(ORIGIN.read_text(), str(tmp_path / "model.py"))
    assert {d.code for d in report.diagnostics} == {"KC201"}


def test_text_without_keras_is_skipped_and_syntax_errors_are_findings():
    assert kerascheck.check("print(1)\n").skipped
    broken = kerascheck.check("import keras\nx = (\n")
    assert [d.code for d in broken.diagnostics] == ["KC001"] and not broken.models


def test_summary_is_the_shapes_table():
    table = kerascheck.summary(ORIGIN.read_text(), "origin.py")
    assert table.startswith('Model "sequential" (model) at origin.py:4')
    assert "dense (Dense)                   (None, 4, 4, 64)      4,160    10" in table
    assert table.rstrip().endswith("Total params: 60,480\nTrainable params: 60,480\nNon-trainable params: 0")
    assert kerascheck.summary("import keras\n") == ""


def test_fix_applies_safe_fixes_and_unsafe_ones_on_request():
    text = ORIGIN.read_text()
    safe = kerascheck.fix(text)
    assert "Conv2D(filters=32, kernel_size=(3, 3)" in safe and "Flatten()" not in safe
    unsafe = kerascheck.fix(text, unsafe=True)
    assert "Flatten()" in unsafe
    assert {d.code for d in kerascheck.check(unsafe).diagnostics} == set()


def test_fix_on_a_notebook_returns_the_notebook():
    fixed = kerascheck.fix(NOTEBOOK.read_text(), "nb.ipynb")
    assert "filters=32" in "".join("".join(c["source"]) for c in json.loads(fixed)["cells"])


def test_check_paths_walks_directories_and_honours_configuration(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "model.py").write_text(ORIGIN.read_text())
    (tmp_path / "pkg" / "other.py").write_text("print('no models here')\n")
    (tmp_path / "pyproject.toml").write_text('[tool.kerascheck]\nselect = ["KC2"]\n')
    reports = kerascheck.check_paths(tmp_path)
    by_name = {pathlib.Path(r.path).name: r for r in reports}
    assert set(by_name) == {"model.py", "other.py"}
    assert [d.code for d in by_name["model.py"].diagnostics] == ["KC201"]
    assert by_name["other.py"].skipped
    with pytest.raises(FileNotFoundError):
        kerascheck.check_paths(tmp_path / "missing.py")


def test_importing_kerascheck_stays_light():
    code = "import sys, kerascheck; print('libcst' in sys.modules, 'kerascheck.api' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]


def test_the_readme_api_example_runs(tmp_path, monkeypatch, capsys):
    readme = (ROOT / "README.md").read_text()
    block = readme.split("### Python API", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    for folder in ("src", "notebooks"):
        (tmp_path / folder).mkdir()
    (tmp_path / "src" / "model.py").write_text(ORIGIN.read_text())
    exec(compile(block, "README.md", "exec"), {"source": ORIGIN.read_text()})
    out = capsys.readouterr().out
    assert "dense Dense (None, 4, 4, 64) 4160" in out
    assert "KC201 10 11" in out and "Total params: 60,480" in out
