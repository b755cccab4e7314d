"""Whole-repository runs: .gitignore, the content-keyed cache, worker processes, --statistics."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from kerascheck import runner
from kerascheck.cli import main
from kerascheck.engine import Settings
from kerascheck.report.json import document
from kerascheck.runner import Cache, check_many
from kerascheck.walk import walk

FAULTY = """\
import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(8, 8, {c})), layers.Conv2D(4, 3), layers.Dense(2)])
"""


def _tree(tmp_path, n=20):
    paths = []
    for i in range(n):
        p = tmp_path / f"pkg{i % 3}" / f"net{i}.py"
        p.parent.mkdir(exist_ok=True)
        p.write_text(FAULTY.format(c=i + 1))
        paths.append(str(p))
    return sorted(paths)


def test_gitignore_is_honoured(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("build/\n*.gen.py\n/top_only.py\n!keep.gen.py\n")
    for name in ["a.py", "build/b.py", "sub/c.gen.py", "keep.gen.py", "top_only.py", "sub/top_only.py", "d.txt"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("import keras\n")
    found = sorted(os.path.relpath(p, tmp_path) for p in walk(str(tmp_path)))
    assert found == ["a.py", "keep.gen.py", os.path.join("sub", "top_only.py")]


def test_second_run_is_served_from_the_cache_and_matches(tmp_path):
    files = _tree(tmp_path, 5)
    cache = Cache(str(tmp_path))
    first = check_many(files, lambda f: Settings(), cache=cache)
    assert cache.hits == 0
    again = Cache(str(tmp_path))
    second = check_many(files, lambda f: Settings(), cache=again)
    assert again.hits == len(files)
    assert document(first) == document(second)
    (tmp_path / "pkg0" / "net0.py").write_text(FAULTY.format(c=99))
    third_cache = Cache(str(tmp_path))
    third = check_many(files, lambda f: Settings(), cache=third_cache)
    assert third_cache.hits == len(files) - 1
    assert document(third)["files"][0]["models"][0]["layers"][0]["input_shape"] == [None, 8, 8, 99]


def test_cache_depends_on_settings(tmp_path):
    files = _tree(tmp_path, 2)
    check_many(files, lambda f: Settings(), cache=Cache(str(tmp_path)))
    cache = Cache(str(tmp_path))
    results = check_many(files, lambda f: Settings(ignore=("KC201",)), cache=cache)
    assert cache.hits == 0
    assert all(d.code != "KC201" for r in results for d in r.diagnostics)


@pytest.mark.parametrize("fork", [False, True], ids=["spawned-workers", "forked-workers-where-safe"])
def test_workers_give_the_same_results_as_one_process(tmp_path, monkeypatch, fork):
    files = _tree(tmp_path, 20)
    (tmp_path / "plain.py").write_text("print('no models here')\n")  # skipped before any worker
    files.append(str(tmp_path / "plain.py"))
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", {"fork": 2, "spawn": 2})
    one = check_many(files, lambda f: Settings(), jobs=1)
    two = check_many(files, lambda f: Settings(), jobs=2, fork=fork)
    assert document(one) == document(two)
    assert len(two) == 21 and all(r.models for r in two[:20]) and two[20].skipped


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked only on Linux")
def test_workers_are_forked_only_by_a_single_threaded_process_that_allows_it():
    code = (
        "from kerascheck.runner import start_method;"
        "print(start_method(True), start_method(False));"
        "import threading, time;"
        "threading.Thread(target=time.sleep, args=(1,), daemon=True).start();"
        "print(start_method(True))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["fork", "spawn", "spawn"]


def test_the_command_line_with_workers_matches_one_process_and_warns_nothing(tmp_path):
    _tree(tmp_path, runner.PARALLEL_THRESHOLD["fork"] + 4)
    runs = [
        subprocess.run([sys.executable, "-W", "error", "-m", "kerascheck", "--no-cache", "--format", "json",
                        "-j", jobs, "."], cwd=tmp_path, capture_output=True, text=True)
        for jobs in ("1", "2")
    ]
    assert [r.stderr for r in runs] == ["", ""]
    assert runs[0].stdout == runs[1].stdout and runs[0].returncode == runs[1].returncode == 1


def test_cli_statistics_and_no_cache(tmp_path, monkeypatch):
    _tree(tmp_path, 4)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--extend-select", "learn", "--statistics", "--no-cache", "."])
    assert result.output.splitlines() == [
        "4  KC201      dense-on-feature-map",
        "4  KC401  [*] positional-count-arguments",
    ]
    assert not (tmp_path / ".kerascheck_cache").exists()
    CliRunner().invoke(main, ["."])
    assert (tmp_path / ".kerascheck_cache" / "CACHEDIR.TAG").exists()


def test_a_planted_cache_entry_cannot_run_code(tmp_path):
    """The cache is JSON: a malformed or hostile entry is ignored, never executed."""
    files = _tree(tmp_path, 1)
    cache = Cache(str(tmp_path))
    check_many(files, lambda f: Settings(), cache=cache)
    for root, _, names in os.walk(cache.dir):
        for name in names:
            if name.endswith(".json"):
                with open(os.path.join(root, name), "w") as f:
                    f.write("cos\nsystem\n(S'echo pwned'\ntR.")
    again = Cache(str(tmp_path))
    results = check_many(files, lambda f: Settings(), cache=again)
    assert again.hits == 0 and results[0].models
    json.dumps(document(results))


def test_checking_leaves_the_callers_garbage_collector_settings_alone(tmp_path):
    import gc

    paths = [str(p) for p in _tree(tmp_path, n=3)]
    saved = gc.get_threshold()
    gc.set_threshold(321, 7, 5)
    try:
        seen = []
        original = runner.check_text

        def spy(*args, **kwargs):
            seen.append(gc.get_threshold())
            return original(*args, **kwargs)

        runner.check_text = spy
        try:
            check_many(paths, lambda f: Settings(), jobs=1)
        finally:
            runner.check_text = original
        assert seen and all(t[0] >= 50_000 for t in seen)  # collected rarely while checking
        assert gc.get_threshold() == (321, 7, 5)  # and as the caller had it afterwards
    finally:
        gc.set_threshold(*saved)
