"""Machine formats: json-lines (editors), GitHub workflow annotations, SARIF 2.1.0 (code scanning)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from kerascheck import __version__
from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.engine import FileResult
from kerascheck.report.json import diagnostic_json

_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def json_lines(results: list[FileResult]) -> str:
    lines = []
    for r in results:
        for d in r.diagnostics:
            lines.append(json.dumps({"path": r.path, **diagnostic_json(d)}))
    return "".join(line + "\n" for line in lines)


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(results: list[FileResult]) -> str:
    """`::warning file=...,line=...,col=...,title=KC201::message`, one per finding."""
    out = []
    for r in results:
        for d in r.diagnostics:
            where = f"cell {d.span.cell}, " if d.span.cell is not None else ""
            props = (
                f"file={_escape_property(r.path)},line={d.span.line},col={d.span.column},"
                f"endLine={d.span.end_line},endColumn={d.span.end_column},title={d.code}"
            )
            out.append(f"::{_GITHUB_LEVEL[d.severity]} {props}::{_escape_data(where + d.code + ' ' + d.message)}")
    return "".join(line + "\n" for line in out)


def _region(line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _sarif_result(path: str, d: Diagnostic, rule_index: dict[str, int]) -> dict[str, Any]:
    s = d.span
    result: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": rule_index[d.code],
        "level": _SARIF_LEVEL[d.severity],
        "message": {"text": d.message},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": path},
                "region": _region(s.line, s.column, s.end_line, max(s.end_column, s.column)),
            }
        }],
    }
    if s.cell is not None:
        result["properties"] = {"cell": s.cell}
    if d.fix is not None and s.cell is None:
        result["fixes"] = [{
            "description": {"text": d.fix.title},
            "artifactChanges": [{
                "artifactLocation": {"uri": path},
                "replacements": [
                    {
                        "deletedRegion": _region(e.span.line, e.span.column, e.span.end_line, e.span.end_column),
                        "insertedContent": {"text": e.content},
                    }
                    for e in d.fix.edits
                ],
            }],
        }]
    return result


def sarif(results: list[FileResult], all_rules: Sequence[Any]) -> str:
    """SARIF 2.1.0; `all_rules` are the rule classes, whose documentation becomes the rules' help."""
    rule_index = {r.CODE: i for i, r in enumerate(all_rules)}
    rules = [
        {
            "id": r.CODE,
            "name": r.NAME,
            "shortDescription": {"text": r.summary()},
            "fullDescription": {"text": r.summary()},
            "help": {"text": r.documentation(), "markdown": r.documentation()},
            "defaultConfiguration": {"level": _SARIF_LEVEL[r.SEVERITY]},
            "properties": {"tags": [r.NAME]},
        }
        for r in all_rules
    ]
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "kerascheck",
                "version": __version__,
                "informationUri": "https://github.com/kerascheck/kerascheck",
                "rules": rules,
            }},
            "results": [_sarif_result(r.path, d, rule_index) for r in results for d in r.diagnostics],
        }],
    }
    return json.dumps(doc, indent=2) + "\n"
