"""The rules that compare a model with the data it is trained on, checked against real Keras.

Each example of these rules is run by the oracle (whole, `fit` included, on a few samples): an
example of an error rule must make Keras raise, an example of the warning KC313 must run (Keras
broadcasts silently, which is the fault), and every example that must not trigger must run too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from keras_oracle import run_fixture

from kerascheck.diagnostics import Severity
from kerascheck.rules import ALL_RULES

CODES = ("KC105", "KC107", "KC201", "KC203", "KC312", "KC313", "KC407", "KC501", "KC604")


def _cases() -> list[object]:
    cases = []
    for rule in ALL_RULES:
        if rule.CODE not in CODES:
            continue
        for kind in ("INVALID", "VALID"):
            for i, example in enumerate(getattr(rule, kind)):
                if "np.load(" in example.code or "**" in example.code or "ctc_loss" in example.code:
                    continue  # reads a file, or names the example leaves out: nothing Keras can run
                cases.append(pytest.param(rule, kind, example.code, id=f"{rule.CODE}-{kind.lower()}-{i}"))
    return cases


@pytest.mark.parametrize(("rule", "kind", "code"), _cases())
def test_example_agrees_with_keras(tmp_path: Path, rule: type, kind: str, code: str) -> None:
    path = tmp_path / "example.py"
    path.write_text(code, encoding="utf-8")
    result = run_fixture(str(path))
    if kind == "INVALID" and rule.SEVERITY is Severity.ERROR:
        assert result.error is not None, f"{rule.CODE} says Keras raises, but it runs:\n{code}"
    else:
        assert result.error is None, f"Keras raises on an example that should run: {result.error}\n{code}"
