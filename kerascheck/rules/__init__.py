"""The rules, one module each, found by walking this package. `ALL_RULES` is in code order.

A rule module is named after its rule's NAME (`dense-on-feature-map` in `dense_on_feature_map.py`)
and defines exactly that one `Rule` subclass; modules whose names start with `_` (and `base`) hold
what several rules share. Adding a rule is adding its module: nothing registers it by hand.
"""

from __future__ import annotations

import importlib
import pkgutil

from kerascheck.rules.base import Context, Example, FixAvailability, Rule

_SHARED = {"base"}


def _discover() -> list[type[Rule]]:
    found: dict[str, type[Rule]] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_") or info.name in _SHARED:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        rules = [
            value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__
            and "CODE" in vars(value)
        ]
        if len(rules) != 1:
            raise RuntimeError(f"rules/{info.name}.py must define exactly one rule, found {[r.__name__ for r in rules]}")
        rule = rules[0]
        if rule.NAME.replace("-", "_") != info.name:
            raise RuntimeError(f"rules/{info.name}.py holds {rule.CODE} {rule.NAME}: a rule's module is named after it")
        if rule.CODE in found:
            raise RuntimeError(f"{rule.CODE} is defined twice: {found[rule.CODE].__name__} and {rule.__name__}")
        found[rule.CODE] = rule
    return sorted(found.values(), key=lambda r: r.CODE)


ALL_RULES: list[type[Rule]] = _discover()
RULES_BY_CODE: dict[str, type[Rule]] = {r.CODE: r for r in ALL_RULES}
# Named sets usable wherever codes are: `learn` is the explanatory rules a learner wants on top.
PRESETS: dict[str, tuple[str, ...]] = {"learn": tuple(r.CODE for r in ALL_RULES if not r.DEFAULT)}

__all__ = ["ALL_RULES", "PRESETS", "RULES_BY_CODE", "Context", "Example", "FixAvailability",
           "Rule"]


def rule_table_markdown() -> str:
    """The README's rule table, generated from the rules themselves (a test keeps the README current)."""
    rows = ["| Code | Name | Severity | Fix | What it finds |", "| --- | --- | --- | --- | --- |"]
    for rule in ALL_RULES:
        fixable = "" if rule.FIX is FixAvailability.NONE else rule.FIX.value
        rows.append(f"| {rule.CODE} | {rule.NAME} | {rule.SEVERITY.label} | {fixable} | {rule.summary()} |")
    return "\n".join(rows) + "\n"
