"""`kerascheck --add-noqa`: every finding gets a `# noqa` for its code, and the file then checks clean."""

from __future__ import annotations

import json
import os
import pathlib

import pytest
from click.testing import CliRunner

from kerascheck.cli import main

MODEL = '''\
import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(8, 3),
                          layers.Dense(10, activation="softmax")])  # the head
other = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1, activation="softmax")])  # noqa: E501
model.compile(loss="binary_crossentropy")
other2 = keras.Sequential([keras.Input(shape=(8,)),
    layers.Dense(0, name="""first
second""")])
'''


def _run(directory: pathlib.Path, *args: str) -> tuple[int, str]:
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(directory)
    try:
        result = runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(cwd)
    return result.exit_code, result.output


def test_add_noqa_silences_every_finding_once(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "model.py"
    path.write_text(MODEL)
    code, before = _run(tmp_path, "model.py")
    assert code == 1 and "KC201" in before and "KC301" in before and "KC302" in before and "KC106" in before
    code, output = _run(tmp_path, "model.py", "--add-noqa")
    assert code == 0 and "Added 4 noqa directives." in output
    text = path.read_text()
    compile(text, "model.py", "exec")
    lines = text.splitlines()
    assert lines[3].endswith('# the head  # noqa: KC201')
    assert lines[4].endswith("# noqa: E501, KC301")  # added to the comment already there
    assert lines[5].endswith("  # noqa: KC302")
    # The finding on a line a string goes on from is silenced on its statement's first line.
    assert lines[6].endswith("(8,)),  # noqa: KC106") and lines[7].endswith('"""first')
    code, output = _run(tmp_path, "model.py")
    assert code == 0 and "All checks passed!" in output
    code, output = _run(tmp_path, "model.py", "--add-noqa")
    assert code == 0 and "Added 0 noqa directives." in output and path.read_text() == text


def test_add_noqa_never_breaks_a_file(tmp_path: pathlib.Path) -> None:
    # The finding's line and its statement's first line both go on inside a string: no comment can end
    # either, so that finding keeps no noqa, and the file is left as it was.
    path = tmp_path / "model.py"
    text = 'import keras\nm = keras.Sequential([keras.layers.Dense(0, name="""a\nb""")])\n'
    path.write_text(text)
    code, output = _run(tmp_path, "model.py", "--add-noqa")
    assert code == 0 and "Added 0 noqa directives." in output and path.read_text() == text


def test_add_noqa_in_a_notebook_edits_the_cells(tmp_path: pathlib.Path) -> None:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": ["# A model"]},
        {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
         "source": ["%matplotlib inline\n", "import keras\n", "m = keras.Sequential([keras.Input(shape=(4,)),\n",
                    "    keras.layers.Dense(1, activation='softmax')])"]},
    ]
    path = tmp_path / "book.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1))
    assert _run(tmp_path, "book.ipynb")[0] == 1
    code, output = _run(tmp_path, "book.ipynb", "--add-noqa")
    assert code == 0 and "Added 1 noqa directive." in output
    source = json.loads(path.read_text())["cells"][1]["source"]
    assert source[0] == "%matplotlib inline\n" and source[-1].endswith("  # noqa: KC301")
    assert _run(tmp_path, "book.ipynb")[0] == 0


@pytest.mark.parametrize("extra", [["-"], ["model.py", "--fix"], ["model.py", "--diff"]])
def test_add_noqa_refuses_stdin_and_fixes(tmp_path: pathlib.Path, extra: list[str]) -> None:
    (tmp_path / "model.py").write_text(MODEL)
    code, output = _run(tmp_path, "--add-noqa", *extra)
    assert code == 2 and output.startswith("kerascheck: --add-noqa") and (tmp_path / "model.py").read_text() == MODEL
