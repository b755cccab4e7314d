"""No input crashes kerascheck: every fixture, and a deterministic sample of the standard library.

"Crash" means `check_text` raising, a KC900 internal-error diagnostic, the worker process dying,
or no answer within the time limit (a hang). kerascheck runs in a child process
(`keras_oracle.KerascheckWorker`), so a hang costs one timeout, not the session.

kerascheck skips files that never mention keras or tensorflow, so each standard-library file is
fed with `import keras` prepended: the interpreter then really runs over ordinary Python.
"""

from __future__ import annotations

import sysconfig
from pathlib import Path
from typing import Any

import pytest
from keras_oracle import REPO, WorkerCrash, WorkerTimeout, fixture_paths, kerascheck_worker

TIMEOUT_SECONDS = 30

# fixture path -> how kerascheck fails on it
KNOWN_FIXTURE_CRASHES: dict[str, str] = {}
# standard-library path (relative to the stdlib root) -> how kerascheck fails on it
KNOWN_STDLIB_CRASHES: dict[str, str] = {}

STDLIB = Path(sysconfig.get_paths()["stdlib"])
# Checking all ~1800 files costs about 5 minutes on the 2-core machine, so the test takes every
# STRIDE-th file of the sorted list (about 450 files, under 2 minutes), plus files known to be hard.
STRIDE = 4
ALWAYS = ("pydoc_data/topics.py", "typing.py", "ast.py")  # deeply nested or large
SHARDS = 8


def crash_of(path: str, text: str) -> str | None:
    """Why kerascheck fails on this text, or None when it copes."""
    try:
        result = kerascheck_worker().check_text(path, text, timeout=TIMEOUT_SECONDS)
    except (WorkerTimeout, WorkerCrash) as e:
        return f"{type(e).__name__}: {e}"
    if result["kc900"] or result["internal_error"]:
        return "; ".join(result["kc900"]) or "internal error"
    return None


def _fixture_params() -> list[Any]:
    return [
        pytest.param(
            p,
            id=p,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_FIXTURE_CRASHES[p])]
            if p in KNOWN_FIXTURE_CRASHES
            else [],
        )
        for p in fixture_paths()
    ]


@pytest.mark.parametrize("path", _fixture_params())
def test_fixture_does_not_crash(path: str) -> None:
    text = (REPO / path).read_text(encoding="utf-8")
    assert crash_of(path, text) is None


def stdlib_sample() -> list[str]:
    files = sorted(
        p.relative_to(STDLIB).as_posix()
        for p in STDLIB.rglob("*.py")
        if "site-packages" not in p.relative_to(STDLIB).parts
    )
    sample = set(files[::STRIDE]) | {f for f in ALWAYS if f in files} | set(KNOWN_STDLIB_CRASHES)
    return sorted(sample)


def stdlib_text(relpath: str) -> str | None:
    try:
        return "import keras\n" + (STDLIB / relpath).read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None  # a handful of test files in legacy encodings; kerascheck reads UTF-8 only


SAMPLE = [f for f in stdlib_sample() if f not in KNOWN_STDLIB_CRASHES]


@pytest.mark.parametrize("shard", range(SHARDS), ids=lambda i: f"stdlib-{i + 1}-of-{SHARDS}")
def test_stdlib_does_not_crash(shard: int) -> None:
    failures = []
    for relpath in SAMPLE[shard::SHARDS]:
        text = stdlib_text(relpath)
        if text is None:
            continue
        why = crash_of(relpath, text)
        if why is not None:
            failures.append(f"{relpath}: {why}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "relpath",
    [pytest.param(p, id=p, marks=[pytest.mark.xfail(strict=True, reason=r)]) for p, r in KNOWN_STDLIB_CRASHES.items()],
)
def test_known_stdlib_crash(relpath: str) -> None:
    text = stdlib_text(relpath)
    assert text is not None and crash_of(relpath, text) is None
