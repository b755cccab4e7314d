"""The real pre-commit runs this repository's hooks (`try-repo`) on a temporary git repository."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
FAULTY = (
    "from tensorflow.keras import layers, models\n"
    "model = models.Sequential()\n"
    "model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)))\n"
    "model.add(layers.Dense(64, activation='relu'))\n"
)
CLEAN = FAULTY.replace("model.add(layers.Dense", "model.add(layers.Flatten())\nmodel.add(layers.Dense")

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="pre-commit needs git")


def _git(cwd: pathlib.Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """A committed snapshot of this repository, so try-repo sees the hooks as they are in the tree."""
    snapshot = tmp_path_factory.mktemp("hooks")
    shutil.copytree(ROOT, snapshot / "kerascheck", ignore=shutil.ignore_patterns(
        ".git", "__pycache__", "*.egg-info", ".pytest_cache", ".hypothesis", "build", "fixtures", "tests"))
    repo = snapshot / "kerascheck"
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "snapshot")
    return repo


@pytest.fixture
def project(tmp_path):
    _git(tmp_path, "init", "-q")
    return tmp_path


def _pre_commit(project: pathlib.Path, hook_repo: pathlib.Path, hook: str, *files: str):
    env = {**os.environ, "PRE_COMMIT_HOME": str(hook_repo.parent / "cache")}
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, "--files", *files],
        cwd=project, capture_output=True, text=True, env=env, timeout=900,
    )


def test_hook_fails_on_a_faulty_model_and_passes_once_fixed(project, hook_repo):
    (project / "net.py").write_text(FAULTY)
    (project / "other.py").write_text(CLEAN)
    failed = _pre_commit(project, hook_repo, "kerascheck", "net.py", "other.py")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "net.py:4:11: KC201" in failed.stdout
    assert "other.py:4:11: KC201" not in failed.stdout
    (project / "net.py").write_text(CLEAN)
    passed = _pre_commit(project, hook_repo, "kerascheck", "net.py", "other.py")
    assert passed.returncode == 0, passed.stdout + passed.stderr


def test_fix_hook_applies_safe_fixes(project, hook_repo):
    # KC401 (numbers passed by position) is opt-in; the project's configuration turns it on.
    (project / "pyproject.toml").write_text('[tool.kerascheck]\nextend-select = ["learn"]\n')
    (project / "net.py").write_text(CLEAN)
    _git(project, "add", "net.py", "pyproject.toml")
    result = _pre_commit(project, hook_repo, "kerascheck-fix", "net.py")
    assert "filters=32, kernel_size=(3, 3)" in (project / "net.py").read_text()
    assert result.returncode == 1, result.stdout  # pre-commit fails a hook that changed files
    assert "files were modified by this hook" in result.stdout


def test_no_files_to_check_passes(project, hook_repo):
    (project / "README.txt").write_text("no python here")
    result = _pre_commit(project, hook_repo, "kerascheck", "README.txt")
    assert result.returncode == 0, result.stdout + result.stderr
