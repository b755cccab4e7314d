"""Golden fixtures: `fixtures/<group>/<name>.py` with the exact expected JSON beside it in `<name>.json`.

The expected JSON is `file_json(check_file(path))` with `path` relative to the repo root.
`KERASCHECK_REGENERATE=1 python -m pytest tests/test_golden.py` rewrites the golden files from
kerascheck's current output instead of comparing; review the diff before committing it. The
expected files of fixtures listed in KNOWN_GOLDEN_BUGS are written by hand (kerascheck's output
for them is wrong: the layers come from real Keras, positions follow kerascheck's conventions, the
wording of a missing diagnostic is a proposal), so regeneration leaves them alone. Once a bug is
fixed, drop its entry, regenerate, and review the diff against the hand-written expectation.
"""

from __future__ import annotations

import copy
import json
import os
from typing import Any

import pytest
from keras_oracle import REPO, WorkerTimeout, fixture_paths, kerascheck_worker

REGENERATE = os.environ.get("KERASCHECK_REGENERATE") == "1"
TIMEOUT_SECONDS = 20  # a fixture that takes longer has made kerascheck hang

# fixture path -> what is wrong with kerascheck's output (the .json beside it holds the right answer)
KNOWN_GOLDEN_BUGS: dict[str, str] = {
    "fixtures/errors/dense_on_variable_length.py": "no error for Dense on (None, None): Keras cannot size its kernel",
}


def kerascheck_json(path: str) -> dict[str, Any]:
    """What `check_file(path)` gives when run from the repo root (in a child process, so a hang times out)."""
    if path not in _RESULTS:
        _RESULTS[path] = kerascheck_worker().file_json(path, timeout=TIMEOUT_SECONDS)
    return copy.deepcopy(_RESULTS[path])


_RESULTS: dict[str, dict[str, Any]] = {}


def golden_path(path: str) -> Any:
    return (REPO / path).with_suffix(".json")


def _render(value: Any, indent: int) -> str:
    # Like json.dumps(indent=2), but a list of plain values (a shape) stays on one line.
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, dict) and value:
        items = [f"{inner}{json.dumps(k)}: {_render(v, indent + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and any(isinstance(v, (list, dict)) for v in value):
        items = [f"{inner}{_render(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return json.dumps(value, ensure_ascii=False)


def render(document: dict[str, Any]) -> str:
    return _render(document, 0) + "\n"


def _params(paths: list[str]) -> list[Any]:
    return [
        pytest.param(
            p,
            id=p,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GOLDEN_BUGS[p], raises=(AssertionError, WorkerTimeout))]
            if p in KNOWN_GOLDEN_BUGS
            else [],
        )
        for p in paths
    ]


# The complete programs of fixtures/programs/ are measured against Keras (test_programs.py), not
# against golden files.
WITHOUT_GOLDEN_FILES = ("fixtures/programs/",)
DATA_FILES = ("fixtures/faults/blind_first.json",)  # a corpus's records, not a fixture's expected output


@pytest.mark.parametrize("path", _params([p for p in fixture_paths() if not p.startswith(WITHOUT_GOLDEN_FILES)]))
def test_golden(path: str) -> None:
    target = golden_path(path)
    if REGENERATE and path in KNOWN_GOLDEN_BUGS:
        pytest.xfail("expected output written by hand; not regenerated")
    got = kerascheck_json(path)
    if REGENERATE:
        target.write_text(render(got), encoding="utf-8")
        return
    assert target.exists(), f"no golden file {target.relative_to(REPO)}; run with KERASCHECK_REGENERATE=1"
    expected = json.loads(target.read_text(encoding="utf-8"))
    assert got == expected


def test_every_golden_file_has_a_fixture() -> None:
    orphans = sorted(
        p.relative_to(REPO).as_posix() for p in (REPO / "fixtures").rglob("*.json") if not p.with_suffix(".py").exists() and not p.with_suffix(".ipynb").exists()
    )
    orphans = [p for p in orphans if not p.startswith(WITHOUT_GOLDEN_FILES) and p not in DATA_FILES]
    assert not orphans


KNOWN_SILENCE_BUGS: dict[str, str] = {  # fixture path -> the false finding or false certainty
}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            id=p,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_SILENCE_BUGS[p])] if p in KNOWN_SILENCE_BUGS else [],
        )
        for p in fixture_paths("unknown")
    ],
)
def test_unknown_values_stay_silent(path: str) -> None:
    """Sizes kerascheck cannot know give unknown shapes, never an error or a warning."""
    got = kerascheck_json(path)
    loud = [d for d in got["diagnostics"] if d["severity"] in ("error", "warning")]
    assert not loud
    assert got["models"], "the fixture's models were not found"
    for model in got["models"]:
        unknown = [layer for layer in model["layers"] if layer["output_shape"] is None or layer["params"] is None]
        assert unknown, f"model {model['name']} depends on unknown values but every shape is known"
        assert model["total_params"] is None


KNOWN_DANGLING_INPUTS: dict[str, str] = {}


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(
            p,
            id=p,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_DANGLING_INPUTS[p])]
            if p in KNOWN_DANGLING_INPUTS
            else [],
        )
        for p in fixture_paths()
    ],
)
def test_inputs_are_layers_of_the_model(path: str) -> None:
    """The contract: `inputs` names the layers feeding a layer, so each name is a layer of the same model."""
    for model in kerascheck_json(path)["models"]:
        names = {layer["name"] for layer in model["layers"]}
        for layer in model["layers"]:
            assert set(layer["inputs"]) <= names, f"model {model['name']}, layer {layer['name']}: {layer['inputs']}"
