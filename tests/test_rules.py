"""Every rule's VALID and INVALID examples, run through the whole engine (`pytest -k KC201`)."""

from __future__ import annotations

import pytest

from kerascheck.engine import check_text
from kerascheck.fixes.apply import apply_fixes, fix_until_stable
from kerascheck.rules import ALL_RULES


def _cases(kind: str) -> list:
    cases = []
    for rule in ALL_RULES:
        for i, example in enumerate(getattr(rule, kind)):
            cases.append(pytest.param(rule, example, id=f"{rule.CODE}-{rule.NAME}-{kind.lower()}-{i}"))
    return cases


@pytest.mark.parametrize(("rule", "example"), _cases("INVALID"))
def test_invalid_example_is_reported(rule, example):
    result = check_text("example.py", example.code)
    found = [d for d in result.diagnostics if d.code == rule.CODE]
    assert example.expect, "an INVALID example must say what it expects"
    for line, fragment in example.expect:
        assert any(d.span.line == line and fragment in d.message for d in found), (
            f"expected {rule.CODE} at line {line} containing {fragment!r}; got "
            + repr([(d.span.line, d.message) for d in result.diagnostics])
        )
    assert len(found) == len(example.expect)
    for d in found:
        assert d.severity == rule.SEVERITY
        assert d.rule_name == rule.NAME


@pytest.mark.parametrize(("rule", "example"), _cases("VALID"))
def test_valid_example_is_not_reported(rule, example):
    result = check_text("example.py", example.code)
    assert [d for d in result.diagnostics if d.code == rule.CODE] == []
    assert not result.internal_error


@pytest.mark.parametrize(
    ("rule", "example"), [c for c in _cases("INVALID") if c.values[1].fixed is not None]
)
def test_fix_gives_the_fixed_code_and_is_idempotent(rule, example):
    result = check_text("example.py", example.code)
    own = [d for d in result.diagnostics if d.code == rule.CODE]
    outcome = apply_fixes(example.code, own, unsafe=True)
    assert outcome.text == example.fixed
    assert not outcome.rejected
    again = check_text("example.py", outcome.text)
    assert [d for d in again.diagnostics if d.code == rule.CODE] == []


@pytest.mark.parametrize(("rule", "example"), _cases("INVALID"))
def test_fixing_everything_twice_changes_nothing_the_second_time(rule, example):
    def diagnose(text):
        return check_text("example.py", text).diagnostics

    first = fix_until_stable(example.code, diagnose, unsafe=True)
    second = fix_until_stable(first.text, diagnose, unsafe=True)
    assert second.text == first.text


def test_every_rule_is_documented():
    for rule in ALL_RULES:
        doc = rule.documentation()
        for heading in ("## What it does", "## Why is this bad?", "## Fix safety"):
            assert heading in doc, f"{rule.CODE} lacks {heading!r}"
        assert rule.summary(), rule.CODE
        if (not rule.FILE_LEVEL or rule.CODE == "KC001") and not rule.CODE.startswith("KC9"):
            assert rule.INVALID and rule.VALID, f"{rule.CODE} needs examples that must and must not trigger it"


def test_codes_and_names_are_unique():
    assert len({r.CODE for r in ALL_RULES}) == len(ALL_RULES)
    assert len({r.NAME for r in ALL_RULES}) == len(ALL_RULES)
