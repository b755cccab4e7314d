"""Applying fixes: overlaps, re-parsing, notebooks (only changed cells), idempotence."""

from __future__ import annotations

import difflib
import json

import pytest
from click.testing import CliRunner

from kerascheck.cli import main
from kerascheck.diagnostics import Diagnostic, Edit, Fix, Safety, Severity, Span
from kerascheck.fixes.apply import apply_edits, apply_fixes


def _diag(line: int, col: int, content: str, end_col: int | None = None, safety=Safety.SAFE) -> Diagnostic:
    span = Span(line, col, line, end_col or col)
    return Diagnostic("KC999", Severity.INFO, "m", span, Fix("t", (Edit(span, content),), safety))


def test_edits_apply_from_the_end_so_positions_stay_valid():
    assert apply_edits("abc\ndef\n", [Edit(Span(1, 2, 1, 3), "X"), Edit(Span(2, 1, 2, 1), ">")]) == "aXc\n>def\n"


def test_a_fix_that_would_break_parsing_is_dropped_and_reported():
    outcome = apply_fixes("x = f(1)\n", [_diag(1, 7, "(")])
    assert outcome.text == "x = f(1)\n"
    assert len(outcome.rejected) == 1 and not outcome.applied


def test_overlapping_fixes_apply_only_the_first():
    outcome = apply_fixes("x = f(1)\n", [_diag(1, 7, "2", 8), _diag(1, 7, "3", 8)])
    assert outcome.text == "x = f(2)\n"


def test_unsafe_fixes_need_the_flag():
    d = _diag(1, 7, "2", 8, Safety.UNSAFE)
    assert apply_fixes("x = f(1)\n", [d]).text == "x = f(1)\n"
    assert apply_fixes("x = f(1)\n", [d], unsafe=True).text == "x = f(2)\n"


NOTEBOOK = {
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# A CNN\n"]},
        {"cell_type": "code", "execution_count": 1, "metadata": {}, "outputs": [],
         "source": ["%matplotlib inline\n", "from tensorflow.keras import layers, models\n"]},
        {"cell_type": "code", "execution_count": 2, "metadata": {}, "outputs": [],
         "source": ["model = models.Sequential()\n",
                    "model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)))\n",
                    "model.add(layers.Dense(64, activation='relu'))\n"]},
        {"cell_type": "code", "execution_count": 3, "metadata": {}, "outputs": [], "source": ["model.summary()"]},
    ],
    "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
}


def test_notebook_fixes_rewrite_only_the_changed_cells(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nb.ipynb").write_text(json.dumps(NOTEBOOK, indent=1))
    result = CliRunner().invoke(main, ["--extend-select", "learn", "--fix", "--unsafe-fixes", "nb.ipynb"], catch_exceptions=False)
    fixed = json.loads((tmp_path / "nb.ipynb").read_text())
    assert fixed["cells"][:2] == NOTEBOOK["cells"][:2]
    assert fixed["cells"][3] == NOTEBOOK["cells"][3]
    assert fixed["cells"][2]["source"] == [
        "model = models.Sequential()\n",
        "model.add(layers.Conv2D(filters=32, kernel_size=(3, 3), activation='relu', input_shape=(32, 32, 3)))\n",
        "model.add(layers.Flatten())\n",
        "model.add(layers.Dense(64, activation='relu'))\n",
    ]
    assert result.exit_code == 0, result.output
    again = CliRunner().invoke(main, ["--extend-select", "learn", "--fix", "--unsafe-fixes", "nb.ipynb"], catch_exceptions=False)
    assert json.loads((tmp_path / "nb.ipynb").read_text()) == fixed
    assert again.exit_code == 0


def test_fixes_keep_comments_and_formatting(tmp_path, monkeypatch):
    code = (
        "import keras  # the framework\n"
        "from keras import layers\n\n"
        "model = keras.Sequential([\n"
        "    keras.Input(shape=(28, 28, 1)),   # MNIST\n"
        "    layers.Conv2D(8, 3,\n"
        "                  activation='relu'),  # features\n"
        "    layers.Dense(10),  # classes\n"
        "])\n"
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / "m.py").write_text(code)
    CliRunner().invoke(main, ["--extend-select", "learn", "--fix", "--unsafe-fixes", "m.py"], catch_exceptions=False)
    assert (tmp_path / "m.py").read_text() == code.replace(
        "layers.Conv2D(8, 3,", "layers.Conv2D(filters=8, kernel_size=3,"
    ).replace("    layers.Dense(10),  # classes\n", "    layers.Flatten(),\n    layers.Dense(10),  # classes\n")


@pytest.mark.parametrize(
    ("layout", "newline"),
    [({"indent": 1, "ensure_ascii": False}, "\n"), ({"indent": 2, "ensure_ascii": True}, "\n"),
     ({"indent": 4, "ensure_ascii": False}, "\r\n"), ({"indent": None, "ensure_ascii": False}, "")],
    ids=["jupyter", "two-spaces-ascii", "four-spaces-crlf", "one-line-no-newline"],
)
def test_notebook_fixes_keep_the_files_json_layout(tmp_path, monkeypatch, layout, newline):
    """Only the fixed cell's lines change: the rest of the file keeps its indentation, escapes and line ends."""
    monkeypatch.chdir(tmp_path)
    notebook = json.loads(json.dumps(NOTEBOOK))
    notebook["cells"][0]["source"] = ["# Un réseau convolutif\n"]  # non-ASCII text, escaped or not
    original = json.dumps(notebook, **layout) + ("\n" if newline else "")
    if newline == "\r\n":
        original = original.replace("\n", "\r\n")
    (tmp_path / "nb.ipynb").write_bytes(original.encode("utf-8"))
    CliRunner().invoke(main, ["--extend-select", "learn", "--fix", "--unsafe-fixes", "nb.ipynb"], catch_exceptions=False)
    written = (tmp_path / "nb.ipynb").read_bytes().decode("utf-8")
    fixed = json.loads(written)
    assert fixed["cells"][2]["source"] != notebook["cells"][2]["source"]  # the fix happened
    expected = json.dumps(fixed, **layout) + ("\n" if newline else "")
    assert written == (expected.replace("\n", "\r\n") if newline == "\r\n" else expected)
    if layout["indent"] is not None:
        changed = [line for line in difflib.ndiff(original.splitlines(), written.splitlines())
                   if line.startswith(("+ ", "- "))]
        assert changed and all("model" in line or "layers" in line for line in changed)
