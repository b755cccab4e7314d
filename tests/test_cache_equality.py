"""Results never depend on how they were computed (issue 16, item 3): for every fixture, the JSON of
`--no-cache -j 1`, of a second run served by the cache, and of `-j 2` worker processes is the same;
damaged cache entries of every kind are discarded and the file is checked afresh."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
GROUPS = ("origin", "sequential", "functional", "errors", "realworld", "faults", "unknown", "broken")


def _run(cwd: Path, *args: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-m", "kerascheck", "--format", "json", *args, "fixtures"], cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr[-3000:]
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    for group in GROUPS:
        shutil.copytree(REPO / "fixtures" / group, root / "fixtures" / group,
                        ignore=shutil.ignore_patterns("*.json"))
    return root


def test_cache_and_workers_give_the_same_json(corpus: Path) -> None:
    fresh = _run(corpus, "--no-cache", "-j", "1")
    assert len(fresh["files"]) > 300
    first_cached = _run(corpus, "-j", "1")  # fills the cache
    second_cached = _run(corpus, "-j", "1")  # served by it
    workers = _run(corpus, "--no-cache", "-j", "2")
    assert list((corpus / ".kerascheck_cache").rglob("*.json")), "the cached runs wrote no entries"
    for name, other in (("first cached run", first_cached), ("second cached run", second_cached),
                        ("-j 2", workers)):
        for a, b in zip(fresh["files"], other["files"]):
            assert a == b, f"{a['path']}: --no-cache -j 1 and {name} differ"
        assert len(fresh["files"]) == len(other["files"])


DAMAGE = {
    "empty-object": "{}",
    "wrong-types": '{"path": 5, "models": "x", "diagnostics": 3, "read_error": null, "internal_error": false, '
                   '"skipped": false}',
    "missing-key": '{"path": "x", "models": [], "diagnostics": []}',
    "bad-severity": '{"path": "fixtures/origin/origin.py", "models": [], "diagnostics": [{"code": "KC201", '
                    '"severity": 99, "message": "m", "span": [1, 1, 1, 1, null], "fix": null, "rule": "r"}], '
                    '"read_error": null, "internal_error": false, "skipped": false}',
    "deep-json": "[" * 100_000 + "]" * 100_000,
    "not-json": "\x00\x01garbage",
}


@pytest.mark.parametrize("damage", [*DAMAGE, "fifo"])
def test_damaged_cache_entries_are_discarded(tmp_path: Path, damage: str) -> None:
    (tmp_path / "fixtures" / "origin").mkdir(parents=True)
    shutil.copy(REPO / "fixtures" / "origin" / "origin.py", tmp_path / "fixtures" / "origin" / "origin.py")
    fresh = _run(tmp_path, "--no-cache")
    _run(tmp_path)  # writes the entry
    (entry,) = list((tmp_path / ".kerascheck_cache").rglob("*.json"))
    entry.unlink()
    if damage == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(entry)
    else:
        entry.write_text(DAMAGE[damage])
    assert _run(tmp_path) == fresh
