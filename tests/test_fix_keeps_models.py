"""Safe fixes never change a model (issue 16): every fixture is analysed, fixed with the safe fixes
only, and analysed again; each model that built before keeps its output shape and parameter count."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerascheck.engine import check_text
from kerascheck.fixes.apply import fix_notebook, fix_until_stable

REPO = Path(__file__).resolve().parent.parent
FIXTURES = sorted(p for p in (REPO / "fixtures").rglob("*") if p.suffix in (".py", ".ipynb"))


def _summary(result) -> list[tuple[object, object]]:  # type: ignore[no-untyped-def]
    out = []
    for model in result.models:
        last = model.layers[-1].output_shape if model.layers else None
        # A model with a layer Keras rejects where it is made (`border_mode=`) never builds: the fix
        # that makes it build may well change what kerascheck guessed for it.
        rejected = any(layer.construction_error is not None or layer.args is not None and layer.args.unexpected
                       for layer in model.layers)
        out.append((last, None if rejected else model.total_params))
    return out


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(REPO)))
def test_safe_fixes_keep_every_built_model(path: Path) -> None:
    rel = str(path.relative_to(REPO))
    text = path.read_text(encoding="utf-8-sig")
    before = check_text(rel, text)
    if before.source is None or not any(d.fix is not None and d.fix.safety.value == "safe" for d in before.diagnostics):
        return
    if before.source.notebook is not None:
        import copy

        fixed = fix_notebook(copy.deepcopy(before.source.notebook), before.diagnostics, unsafe=False,
                             original=before.source.text).text
    else:
        fixed = fix_until_stable(text, lambda t: check_text(rel, t).diagnostics, unsafe=False).text
    after = check_text(rel, fixed)
    assert not after.internal_error
    old, new = _summary(before), _summary(after)
    assert len(old) == len(new)
    for (shape, total), (shape_after, total_after) in zip(old, new):
        if total is not None:
            assert (shape_after, total_after) == (shape, total)
