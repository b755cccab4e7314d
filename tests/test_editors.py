"""The editor recipes in docs/editors.md parse what kerascheck really prints."""

from __future__ import annotations

import json
import pathlib
import re

import pytest
from click.testing import CliRunner

from kerascheck.cli import main

DOC = (pathlib.Path(__file__).resolve().parent.parent / "docs" / "editors.md").read_text()
MODEL = (
    "from tensorflow.keras import layers, models\n"
    "model = models.Sequential()\n"
    "model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)))\n"
    "model.add(layers.Dense(64, activation='relu'))\n"
)


def _stdin_output(*extra: str) -> str:
    return CliRunner().invoke(main, ["--stdin-filename", "src/net.py", "--extend-select", "learn", *extra, "-"], input=MODEL).output


def _errorformat_regex(efm: str) -> re.Pattern[str]:
    """The subset of Vim's errorformat the recipes use: %f %l %c %m."""
    pattern = re.escape(efm).replace("%f", "(?P<f>.+?)").replace("%l", r"(?P<l>\d+)")
    pattern = pattern.replace("%c", r"(?P<c>\d+)").replace("%m", "(?P<m>.*)").replace(re.escape(r"%*\d"), r"\d+")
    return re.compile(f"^{pattern}$")


def test_vscode_problem_matcher():
    block = DOC.split("```json")[1].split("```")[0]
    matcher = json.loads(block)["tasks"][0]["problemMatcher"]["pattern"]
    regex = re.compile(matcher["regexp"])
    lines = _stdin_output().splitlines()
    found = [regex.match(line) for line in lines]
    hits = [m for m in found if m]
    assert len(hits) == 2
    kc201 = next(m for m in hits if m.group(matcher["code"]) == "KC201")
    assert kc201.group(matcher["file"]) == "src/net.py"
    assert (kc201.group(matcher["line"]), kc201.group(matcher["column"])) == ("4", "11")
    assert kc201.group(matcher["message"]).startswith("`Dense(64)` receives a 4-D tensor")
    assert not any(regex.match(line) for line in lines if line.startswith(("    fix:", "Found", "[*]")))


@pytest.mark.parametrize("efm", ["%f:%l:%c: %m"])
def test_errorformat_recipes(efm):
    assert efm in DOC
    regex = _errorformat_regex(efm)
    hits = [regex.match(line) for line in _stdin_output().splitlines()]
    parsed = [(m["f"], m["l"], m["c"], m["m"][:5]) for m in hits if m]
    assert ("src/net.py", "4", "11", "KC201") in parsed
    assert ("src/net.py", "3", "11", "KC401") in parsed


def test_json_lines_recipe():
    rows = [json.loads(line) for line in _stdin_output("--format", "json-lines").splitlines()]
    assert {r["code"] for r in rows} == {"KC201", "KC401"}
    assert all(r["path"] == "src/net.py" for r in rows)


NOTEBOOK = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "origin" / "origin_notebook.ipynb"


def test_notebook_findings_are_read_as_the_notebook_file():
    lines = CliRunner().invoke(main, ["--select", "KC2", str(NOTEBOOK)]).output.splitlines()
    (finding,) = [line for line in lines if "KC201" in line]
    assert finding.startswith(f"{NOTEBOOK}:cell ")
    block = DOC.split("```json")[1].split("```")[0]
    matcher = json.loads(block)["tasks"][0]["problemMatcher"]["pattern"]
    match = re.match(matcher["regexp"], finding)
    assert match is not None and match.group(matcher["file"]) == str(NOTEBOOK)
    assert match.group(matcher["code"]) == "KC201"
    assert "- '%f:cell %*\\d:%l:%c: %m'" in DOC  # efm-langserver (YAML)
    assert '"%f:cell %*\\\\d:%l:%c: %m,%f:%l:%c: %m,%-G%.%#"' in DOC  # nvim-lint (a Lua string)
    first = _errorformat_regex("%f:cell %*\\d:%l:%c: %m").match(finding)
    assert first is not None and first["f"] == str(NOTEBOOK) and first["m"].startswith("KC201")
