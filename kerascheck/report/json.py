"""The JSON contract (`../shared/CONTRACT.md`, version 1): keys may be added, never removed or renamed."""

from __future__ import annotations

import json
from typing import Any

from kerascheck.diagnostics import Diagnostic, Span
from kerascheck.engine import FileResult
from kerascheck.explain import explain_layer
from kerascheck.model import Layer, Model, non_trainable_total
from kerascheck.shapes import Sym


def dim_json(d: object) -> object:
    if isinstance(d, Sym):
        return d.expr
    return d


def shape_json(shape: Any) -> Any:
    if shape is None:
        return None
    if isinstance(shape, list):
        return [shape_json(s) for s in shape]
    return [dim_json(d) for d in shape]


def _position(span: Span) -> dict[str, int]:
    out = {"line": span.line, "column": span.column}
    if span.cell is not None:
        out["cell"] = span.cell
    return out


def layer_json(layer: Layer, execution: Any = None, members: set[int] | None = None) -> dict[str, Any]:
    """One layer; with `members` (ids of the model's layers), its inputs are only those in that model.

    A layer object used in two models (an autoencoder's decoder layers) has inbound layers from
    both graphs; within one model's entry only that model's own count.
    """
    input_shape = layer.output_shape if layer.is_input else layer.input_shape
    out = {
        "name": layer.name,
        "type": layer.type,
        **_position(layer.span),
        "inputs": [p.name for p in layer.inbound if members is None or id(p) in members],
        "input_shape": shape_json(input_shape),
        "output_shape": shape_json(layer.output_shape),
        "params": layer.params,
        # Added by kerascheck (the contract allows new keys): what the layer's numbers mean.
        "explanation": layer.explanation or explain_layer(layer),
    }
    entry = execution.for_layer(layer) if execution is not None else None
    if entry is not None and entry.executed_shape is not None:
        out["executed_shape"] = shape_json(entry.executed_shape)  # --execute: what NumPy produced
    return out


def model_json(model: Model) -> dict[str, Any]:
    members = {id(layer) for layer in model.layers}
    out: dict[str, Any] = {
        "name": model.name,
        "line": model.span.line,
        "api": model.api,
        "layers": [layer_json(layer, model.execution, members) for layer in model.layers],
        "total_params": model.total_params,
        "non_trainable_params": non_trainable_total(model),
    }
    if model.span.cell is not None:
        out["cell"] = model.span.cell
    if model.execution is not None:
        out["execution"] = model.execution.to_dict()
    return out


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": d.code,
        "severity": d.severity.label,
        "message": d.message,
        "line": d.span.line,
        "column": d.span.column,
        "end_line": d.span.end_line,
        "end_column": d.span.end_column,
        "fix": d.fix.to_json() if d.fix is not None else None,
        "rule": d.rule_name,
    }
    if d.span.cell is not None:
        out["cell"] = d.span.cell
    return out


def file_json(result: FileResult) -> dict[str, Any]:
    return {
        "path": result.path,
        "models": [model_json(m) for m in result.models],
        "diagnostics": [diagnostic_json(d) for d in result.diagnostics],
    }


def document(results: list[FileResult]) -> dict[str, Any]:
    return {"version": 1, "files": [file_json(r) for r in results]}


def render(results: list[FileResult]) -> str:
    return json.dumps(document(results), indent=2) + "\n"
