"""Notebooks: code cells run in order as one program; positions carry their cell."""

from __future__ import annotations

import json
import pathlib

from click.testing import CliRunner

from kerascheck.cli import main
from kerascheck.engine import check_file

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "fixtures" / "origin" / "origin_notebook.ipynb"
SCRIPT = ROOT / "fixtures" / "origin" / "origin.py"  # the same model; test_oracle checks it against Keras


def _layers(result):
    (model,) = result.models
    return [(layer.name, layer.type, layer.output_shape, layer.params) for layer in model.layers]


def test_notebook_model_matches_the_same_model_as_a_script():
    assert _layers(check_file(str(NOTEBOOK))) == _layers(check_file(str(SCRIPT)))


def test_missing_flatten_is_found_in_the_notebook_at_its_cell():
    result = check_file(str(NOTEBOOK))
    (kc201,) = [d for d in result.diagnostics if d.code == "KC201"]
    assert (kc201.span.cell, kc201.span.line, kc201.span.column) == (5, 1, 11)
    assert "(None, 4, 4, 64)" in kc201.message
    assert not [d for d in result.diagnostics if d.code == "KC001"], "magics must not be syntax errors"


def test_text_and_json_name_the_cell(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    text = CliRunner().invoke(main, ["--no-cache", str(NOTEBOOK.relative_to(ROOT))]).output
    assert "fixtures/origin/origin_notebook.ipynb:cell 5:1:11: KC201" in text
    doc = json.loads(CliRunner().invoke(main, ["--no-cache", "--format", "json", str(NOTEBOOK.relative_to(ROOT))]).output)
    (file,) = doc["files"]
    (model,) = file["models"]
    assert model["cell"] == 3 and model["line"] == 1
    assert [layer["cell"] for layer in model["layers"]] == [3, 3, 3, 3, 3, 5]
    assert next(d for d in file["diagnostics"] if d["code"] == "KC201")["cell"] == 5


def test_functional_form_of_the_origin_model_is_flagged_too():
    result = check_file(str(ROOT / "fixtures" / "origin" / "origin_functional.py"))
    (kc201,) = [d for d in result.diagnostics if d.code == "KC201"]
    assert kc201.span.line == 11 and "(None, 4, 4, 64)" in kc201.message


def _notebook(tmp_path: pathlib.Path, *cells: str) -> str:
    nb = {"cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": [], "execution_count": None}
                    for c in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    return str(path)


def test_cell_magics_other_languages_are_not_parsed_as_python(tmp_path):
    """`%%bash`, `%%writefile` and `%%html` cells hold shell, file text or HTML: no KC001 on them (as the
    published tutorials' notebooks have), while `%%time` cells are Python and still run."""
    path = _notebook(
        tmp_path,
        "%%bash\nfor f in *.csv; do\n  echo $f\ndone\n",
        "%%writefile train.py\nimport keras\ndef broken(:\n",
        "\n%%html\n<div class='x'>not python</div>\n",
        "%%time\nimport keras\nmodel = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4)])\n",
    )
    result = check_file(path)
    assert not [d for d in result.diagnostics if d.code == "KC001"], result.diagnostics
    (model,) = result.models
    assert model.layers[-1].output_shape == (None, 4)


def test_percent_inside_brackets_is_the_modulo_operator(tmp_path):
    """A line starting with `%` inside parentheses (or a triple-quoted string) is Python, not a magic."""
    path = _notebook(
        tmp_path,
        "import keras\nsteps = 7\nwidth = (30\n    % steps)\nnote = '''\n%not a magic\n'''\n%matplotlib inline\n"
        "model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(width)])\n",
    )
    result = check_file(path)
    assert not [d for d in result.diagnostics if d.code == "KC001"], result.diagnostics
    (model,) = result.models
    assert model.layers[-1].output_shape == (None, 30 % 7)


def test_a_shell_escape_continued_on_an_indented_line(tmp_path):
    """`!saved_model_cli show ... \\` continued on an indented line: the shell's layout, not Python's."""
    path = _notebook(tmp_path, "import keras\n!saved_model_cli show --dir x \\\n        --tag_set serve\nx = 1\n")
    assert not [d for d in check_file(path).diagnostics if d.code == "KC001"]
