"""`--fix --unsafe-fixes` on every fixture: the result parses, and a second run changes nothing."""

from __future__ import annotations

import pathlib

import libcst
import pytest

from kerascheck.engine import check_text
from kerascheck.fixes.apply import apply_fixes, fix_until_stable

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = sorted(p for p in (ROOT / "fixtures").rglob("*.py"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: str(p.relative_to(ROOT)))
def test_fixing_every_fixture_parses_and_is_idempotent(path):
    text = path.read_text(encoding="utf-8")
    def diagnose(code):
        return check_text(str(path), code).diagnostics

    first = fix_until_stable(text, diagnose, unsafe=True)
    if first.text != text:
        libcst.parse_module(first.text)  # raises if a fix broke the file
    second = fix_until_stable(first.text, diagnose, unsafe=True)
    assert second.text == first.text


def test_some_fixtures_are_really_fixed():
    changed = 0
    for path in FIXTURES:
        text = path.read_text(encoding="utf-8")
        changed += apply_fixes(text, check_text(str(path), text).diagnostics, unsafe=True).text != text
    assert changed >= 10


NOTEBOOKS = sorted(p for p in (ROOT / "fixtures").rglob("*.ipynb"))


def _fix_notebook_until_stable(path: pathlib.Path, text: str) -> str:
    import json

    from kerascheck.fixes.apply import fix_notebook

    for _ in range(10):
        fixed = fix_notebook(json.loads(text), check_text(str(path), text).diagnostics, unsafe=True).text
        if json.loads(fixed) == json.loads(text):
            return text
        text = fixed
    return text


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_fixing_every_notebook_fixture_parses_and_is_idempotent(path):
    import json

    from kerascheck.source import mask_magics

    first = _fix_notebook_until_stable(path, path.read_text(encoding="utf-8"))
    for cell in json.loads(first)["cells"]:
        if cell.get("cell_type") == "code":
            body = cell.get("source", "")
            libcst.parse_module(mask_magics("".join(body) if isinstance(body, list) else body))
    assert json.loads(_fix_notebook_until_stable(path, first)) == json.loads(first)
