"""`--fix` keeps the file's encoding, byte-order mark and line endings, and a file it cannot write is
one line and exit 2 with the original untouched (issue 16, items 2 and 4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# KC401's fix is safe: `Conv2D(32, (3, 3))` -> `Conv2D(filters=32, kernel_size=(3, 3))`.
LINES = ["from keras import layers, models", "model = models.Sequential()",
         "model.add(layers.Conv2D(32, (3, 3), input_shape=(28, 28, 1)))", ""]


def _fix(path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "kerascheck", "--no-cache", "--select", "KC401", "--fix", path.name],
                          cwd=path.parent, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    "newline, bom",
    [
        pytest.param("\n", False, id="lf"),
        pytest.param("\r\n", False, id="crlf"),
        pytest.param("\r", False, id="cr-only"),
        pytest.param("\n", True, id="utf-8-bom"),
        pytest.param("\r\n", True, id="bom-and-crlf"),
    ],
)
def test_fix_keeps_bom_and_line_endings_and_is_idempotent(tmp_path: Path, newline: str, bom: bool) -> None:
    path = tmp_path / "model.py"
    prefix = b"\xef\xbb\xbf" if bom else b""
    path.write_bytes(prefix + newline.join(LINES).encode())
    _fix(path)
    data = path.read_bytes()
    assert data.startswith(prefix) and (bom or not data.startswith(b"\xef\xbb\xbf"))
    text = data[len(prefix):].decode()
    assert "filters=32, kernel_size=(3, 3)" in text
    others = {"\n", "\r\n", "\r"} - {newline}
    body = text.replace(newline, "")
    assert not any(o in body for o in others), repr(text)
    assert text.count(newline) == len(LINES) - 1
    compile(text.replace("\r", "\n"), "model.py", "exec")  # it still parses
    _fix(path)
    assert path.read_bytes() == data  # a second --fix changes nothing


def test_unwritable_file_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only file system (simulated: this runs as root in CI, which writes anywhere)."""
    import errno

    from click.testing import CliRunner

    from kerascheck import cli

    path = tmp_path / "model.py"
    path.write_text("\n".join(LINES))
    original = path.read_bytes()

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(cli.os, "replace", read_only)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli.main, ["--no-cache", "--select", "KC401", "--fix", "model.py"])
    assert result.exit_code == 2, result.output
    assert "cannot write the fixes: Read-only file system" in result.output
    assert "Traceback" not in result.output
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.py"]  # no temporary file left behind
