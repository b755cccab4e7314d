"""`--execute` on every fixture: every layer is confirmed or named as skipped, and no shape disagrees."""

from __future__ import annotations

import pathlib

import pytest

from kerascheck.engine import Settings, check_text

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = sorted(p for p in (ROOT / "fixtures").rglob("*.py") if "broken" not in p.parts)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_execution_agrees_with_the_static_shapes(path):
    result = check_text(str(path), path.read_text(encoding="utf-8"), Settings(execute=True))
    assert not [d for d in result.diagnostics if d.code in ("KC900", "KC901")]
    for model in result.models:
        report = model.execution
        assert report is not None
        assert not report.mismatches, report.summary()
        for layer in model.layers:
            entry = report.for_layer(layer)
            if entry is None:
                continue
            assert entry.status in ("confirmed", "skipped", "unchecked"), (layer.name, entry.status)
            if entry.status == "skipped":
                assert entry.reason, f"{layer.name} skipped without a reason"


def test_most_fixture_layers_are_confirmed():
    confirmed = total = 0
    for path in FIXTURES:
        result = check_text(str(path), path.read_text(encoding="utf-8"), Settings(execute=True))
        for model in result.models:
            for layer in model.layers:
                entry = model.execution.for_layer(layer)
                total += 1
                confirmed += entry is not None and entry.status == "confirmed"
    assert confirmed >= 0.7 * total, (confirmed, total)
