"""`python -m kerascheck` in an untrusted folder never imports that folder's modules (issue 16, item 0)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_python_m_kerascheck_does_not_import_the_current_folder(tmp_path: Path) -> None:
    marker = tmp_path / "imported.txt"
    # Modules kerascheck (or its dependencies) import at start-up, planted where `-m` would find them first.
    for name in ("json", "click", "libcst", "re", "pathlib_helpers", "tomllib", "kerascheck_cli"):
        (tmp_path / f"{name}.py").write_text(f"open({str(marker)!r}, 'a').write({name!r} + '\\n')\n")
    (tmp_path / "model.py").write_text("import keras\nmodel = keras.Sequential([keras.layers.Dense(2)])\n")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "kerascheck", "--no-cache", "."], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    assert not marker.exists(), f"planted modules ran: {marker.read_text()}"


def test_the_planted_modules_would_run_without_the_guard(tmp_path: Path) -> None:
    """The test above can fail: a plain `python -c` in that folder does import the planted json.py."""
    marker = tmp_path / "imported.txt"
    (tmp_path / "json.py").write_text(f"open({str(marker)!r}, 'a').write('json')\n")
    subprocess.run([sys.executable, "-c", "import json"], cwd=tmp_path, capture_output=True, timeout=60)
    assert marker.exists()
