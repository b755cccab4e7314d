"""`[tool.kerascheck]` configuration and `# noqa` comments."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kerascheck.cli import main
from kerascheck.engine import check_text

ROOT = Path(__file__).resolve().parent.parent

FAULTY = """\
import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(8, 8, 1)), layers.Conv2D(4, 3), layers.Dense(2)])
"""


def run(tmp_path, monkeypatch, *args):
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text))
    return path


def test_config_ignore_is_found_by_walking_up(tmp_path, monkeypatch):
    write(tmp_path, "pyproject.toml", '[tool.kerascheck]\nignore = ["KC201"]\nextend-select = ["learn"]\n')
    write(tmp_path, "src/pkg/net.py", FAULTY)
    result = run(tmp_path, monkeypatch, "src")
    assert "KC201" not in result.output and "KC401" in result.output
    assert result.exit_code == 0


def test_cli_select_overrides_config_select(tmp_path, monkeypatch):
    write(tmp_path, "pyproject.toml", '[tool.kerascheck]\nselect = ["KC4"]\n')
    write(tmp_path, "net.py", FAULTY)
    assert "KC201" not in run(tmp_path, monkeypatch, "net.py").output
    assert "KC201" in run(tmp_path, monkeypatch, "--select", "KC2", "net.py").output
    assert "KC201" in run(tmp_path, monkeypatch, "--extend-select", "KC2", "net.py").output


def test_per_file_ignores(tmp_path, monkeypatch):
    write(tmp_path, "pyproject.toml", '[tool.kerascheck.per-file-ignores]\n"legacy/*.py" = ["KC2"]\n')
    write(tmp_path, "legacy/old.py", FAULTY)
    write(tmp_path, "new.py", FAULTY)
    out = run(tmp_path, monkeypatch, ".").output
    assert "new.py:3:" in out and "KC201" in out
    assert "legacy/old.py:3:76: KC201" not in out


def test_fail_on_from_config(tmp_path, monkeypatch):
    write(tmp_path, "pyproject.toml", '[tool.kerascheck]\nfail-on = "error"\n')
    write(tmp_path, "net.py", FAULTY)
    assert run(tmp_path, monkeypatch, "net.py").exit_code == 0
    assert run(tmp_path, monkeypatch, "--fail-on", "warning", "net.py").exit_code == 1


def test_exclude_applies_to_walked_directories_and_with_force_exclude(tmp_path, monkeypatch):
    write(tmp_path, "pyproject.toml", '[tool.kerascheck]\nexclude = ["generated"]\n')
    write(tmp_path, "generated/net.py", FAULTY)
    assert run(tmp_path, monkeypatch, ".").output == ""
    assert "KC201" in run(tmp_path, monkeypatch, "generated/net.py").output
    assert run(tmp_path, monkeypatch, "--force-exclude", "generated/net.py").output == ""


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[tool.kerascheck]\nignor = ["KC201"]\n', "unknown key [tool.kerascheck] 'ignor'"),
        ('[tool.kerascheck]\nignore = ["KC999"]\n', "unknown rule code or prefix 'KC999'"),
        ('[tool.kerascheck]\nignore = "KC201"\n', "ignore must be a list of rule codes"),
        ('[tool.kerascheck]\nfail-on = "sometimes"\n', "fail-on: unknown severity 'sometimes'"),
        ("[tool.kerascheck\n", "invalid TOML"),
    ],
    ids=["misspelt-key", "unknown-code", "not-a-list", "bad-severity", "broken-toml"],
)
def test_bad_configuration_is_a_one_line_error(tmp_path, monkeypatch, toml, message):
    write(tmp_path, "pyproject.toml", toml)
    write(tmp_path, "net.py", FAULTY)
    result = run(tmp_path, monkeypatch, "net.py")
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def _codes(code: str) -> list[tuple[int, str]]:
    return [(d.span.line, d.code) for d in check_text("x.py", code).diagnostics]


def test_bare_noqa_silences_the_line():
    code = FAULTY.replace("layers.Dense(2)])", "layers.Dense(2)])  # noqa")
    assert _codes(code) == []


def test_noqa_with_codes_and_prefixes():
    assert [c for _, c in _codes(FAULTY.replace("])\n", "])  # noqa: KC201\n"))] == ["KC401"]
    assert [c for _, c in _codes(FAULTY.replace("])\n", "])  # noqa: KC4\n"))] == ["KC201"]


def test_noqa_on_the_first_line_covers_a_multi_line_model_statement():
    code = (
        "import keras\nfrom keras import layers\n"
        "model = keras.Sequential([  # noqa: KC201\n"
        "    keras.Input(shape=(8, 8, 1)),\n"
        "    layers.Conv2D(filters=4, kernel_size=3),\n"
        "    layers.Dense(2),\n"
        "])\n"
    )
    assert _codes(code) == []
    assert _codes(code.replace("  # noqa: KC201", "")) == [(6, "KC201")]


def test_noqa_inside_a_string_is_not_a_comment():
    code = FAULTY.replace("])\n", "]); s = '# noqa'\n")
    assert "KC201" in [c for _, c in _codes(code)]


def test_syntax_errors_cannot_be_silenced():
    assert _codes("import keras\nx = (  # noqa\n") == [(2, "KC001")]


@pytest.mark.parametrize(
    "content, message",
    [
        pytest.param(b"tool = 5\n", "`tool` must be a table", id="tool-an-int"),
        pytest.param(b'tool = "x"\n', "`tool` must be a table", id="tool-a-string"),
        pytest.param(b"tool = [1, 2]\n", "`tool` must be a table", id="tool-an-array"),
        pytest.param(b"a = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested too deeply", id="deeply-nested-toml"),
        pytest.param(b'x = "\xff\xfe"\n', "not UTF-8", id="not-utf-8"),
    ],
)
def test_bad_pyproject_is_one_line_and_exit_2(tmp_path, content, message):
    """Issue 16 (4): a pyproject.toml kerascheck cannot use is named in one line, with exit status 2."""
    (tmp_path / "pyproject.toml").write_bytes(content)
    (tmp_path / "m.py").write_text("import keras\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "kerascheck", "--no-cache", "m.py"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
