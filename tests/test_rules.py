"""Every rule's VALID and INVALID examples, run through the whole engine (`pytest -k KC201`)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kerascheck.diagnostics import Safety, Severity
from kerascheck.engine import check_text
from kerascheck.fixes.apply import apply_fixes, fix_until_stable
from kerascheck.rules import ALL_RULES, FixAvailability

RULES_DIR = Path(__file__).resolve().parent.parent / "kerascheck" / "rules"


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


def _example_fixes(rule):
    """The safety of each INVALID example's own findings' fixes (None for a finding without a fix)."""
    found = []
    for example in rule.INVALID:
        for d in check_text("example.py", example.code).diagnostics:
            if d.code == rule.CODE:
                found.append(None if d.fix is None else d.fix.safety)
    return found


@pytest.mark.parametrize("rule", [r for r in ALL_RULES if r.INVALID], ids=lambda r: r.CODE)
def test_declared_fix_availability_matches_the_examples(rule):
    """FIX says what `--fix` can do with the rule's findings; its INVALID examples must bear it out."""
    fixes = _example_fixes(rule)
    doc = rule.documentation().split("## Fix safety", 1)[1]
    if rule.FIX is FixAvailability.NONE:
        assert fixes and all(f is None for f in fixes)
        assert "No automatic fix" in doc
    elif rule.FIX is FixAvailability.SAFE:
        assert fixes and all(f is Safety.SAFE for f in fixes)
        assert doc.strip().startswith("Safe")
    elif rule.FIX is FixAvailability.UNSAFE:
        assert fixes and all(f is Safety.UNSAFE for f in fixes)
        assert doc.strip().startswith("Unsafe")
    else:  # SOMETIMES: at least one example shows the fix
        assert any(f is not None for f in fixes)
        assert "No automatic fix" not in doc


def test_each_rule_module_holds_its_one_rule():
    """A rule is its module, named after it: the package finds every rule by walking rules/."""
    modules = {p.stem for p in RULES_DIR.glob("*.py") if not p.stem.startswith("_") and p.stem != "base"}
    assert modules == {r.NAME.replace("-", "_") for r in ALL_RULES}
    for rule in ALL_RULES:
        assert re.fullmatch(r"KC\d{3}", rule.CODE), rule
        assert rule.__module__ == f"kerascheck.rules.{rule.NAME.replace('-', '_')}"
        assert isinstance(rule.FIX, FixAvailability) and isinstance(rule.SEVERITY, Severity)


@pytest.mark.parametrize(
    "source, complaint",
    [
        pytest.param("x = 1\n", "exactly one rule", id="module-without-a-rule"),
        pytest.param(
            "from kerascheck.rules.base import Rule\nclass A(Rule):\n    CODE = 'KC990'\n    NAME = 'a'\n"
            "class B(Rule):\n    CODE = 'KC991'\n    NAME = 'b'\n", "exactly one rule", id="two-rules-in-one-module"),
        pytest.param(
            "from kerascheck.rules.base import Rule\nclass A(Rule):\n    CODE = 'KC990'\n    NAME = 'other-name'\n",
            "named after it", id="module-not-named-after-its-rule"),
        pytest.param(
            "from kerascheck.rules.base import Rule\nclass A(Rule):\n    CODE = 'KC201'\n    NAME = 'half_added'\n",
            "defined twice", id="code-already-taken"),
    ],
)
def test_a_half_added_rule_fails_loudly(tmp_path, source, complaint):
    """Discovery refuses a rule module that is not one rule named after its file, or reuses a code."""
    package = tmp_path / "kerascheck_rules_copy"
    shutil.copytree(RULES_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "half_added.py").write_text(source)
    code = f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import kerascheck_rules_copy"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(RULES_DIR.parent.parent)})
    assert done.returncode != 0 and complaint in done.stderr, done.stderr[-2000:]
