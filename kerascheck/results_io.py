"""Results as plain JSON data: for the on-disk cache and for worker processes (`--jobs`).

Plain JSON, never pickle: a cache directory could come from anywhere (a cloned repository), and
loading it must not be able to run code. A result read back carries what the reporters need
(models with their layers' names, types, positions, shapes and parameters, and the diagnostics
with their fixes), not the CST.
"""

from __future__ import annotations

from typing import Any

from kerascheck.diagnostics import Diagnostic, Edit, Fix, Safety, Severity, Span
from kerascheck.engine import FileResult
from kerascheck.model import Layer, Model
from kerascheck.shapes import ShapeError, Sym


def _span(s: Span) -> list[Any]:
    return [s.line, s.column, s.end_line, s.end_column, s.cell]


def _unspan(v: list[Any]) -> Span:
    return Span(v[0], v[1], v[2], v[3], v[4])


def _shape(shape: Any) -> Any:
    if shape is None:
        return None
    if isinstance(shape, list):
        return {"list": [_shape(s) for s in shape]}
    return [{"sym": d.expr} if isinstance(d, Sym) else d for d in shape]


def _unshape(data: Any) -> Any:
    if data is None:
        return None
    if isinstance(data, dict):
        return [_unshape(s) for s in data["list"]]
    return tuple(Sym(d["sym"], 1) if isinstance(d, dict) else d for d in data)


def _diagnostic(d: Diagnostic) -> dict[str, Any]:
    fix = None
    if d.fix is not None:
        fix = {"title": d.fix.title, "safety": d.fix.safety.value,
               "edits": [[_span(e.span), e.content] for e in d.fix.edits]}
    return {"code": d.code, "severity": int(d.severity), "message": d.message, "span": _span(d.span),
            "fix": fix, "rule": d.rule_name}


def _undiagnostic(data: dict[str, Any]) -> Diagnostic:
    fix = None
    if data["fix"] is not None:
        f = data["fix"]
        fix = Fix(f["title"], tuple(Edit(_unspan(s), c) for s, c in f["edits"]), Safety(f["safety"]))
    return Diagnostic(data["code"], Severity(data["severity"]), data["message"], _unspan(data["span"]), fix,
                      data["rule"])


def _explain(layer: Layer) -> str:
    from kerascheck.explain import explain_layer

    return explain_layer(layer)


def _model(m: Model) -> dict[str, Any]:
    index = {id(layer): i for i, layer in enumerate(m.layers)}
    return {
        "api": m.api, "span": _span(m.span), "keras_name": m.keras_name, "name": m.name,
        "uncertain": m.uncertain, "input_declared": m.input_declared, "input_shape": _shape(m.input_shape),
        "layers": [
            {
                "type": layer.type, "written": layer.written, "name": layer.name, "span": _span(layer.span),
                "input_shape": _shape(layer.input_shape), "output_shape": _shape(layer.output_shape),
                "params": layer.params,
                "explanation": layer.explanation or _explain(layer),
                "error": [layer.error.message, layer.error.kind] if layer.error is not None else None,
                # Parents outside this model's layer list (a nested model's inside) are kept by name.
                "inbound": [index.get(id(p), p.name) for p in layer.inbound],
            }
            for layer in m.layers
        ],
    }


def _unmodel(data: dict[str, Any]) -> Model:
    model = Model(data["api"], _unspan(data["span"]), data["keras_name"], name=data["name"])
    model.uncertain = data["uncertain"]
    model.input_declared = data["input_declared"]
    model.input_shape = _unshape(data["input_shape"])
    for item in data["layers"]:
        layer = Layer(item["type"], item["written"], None, None, item["name"], _unspan(item["span"]))
        layer.input_shape = _unshape(item["input_shape"])
        layer.output_shape = _unshape(item["output_shape"])
        layer.params = item["params"]
        layer.explanation = item.get("explanation")
        if item.get("error"):
            layer.error = ShapeError(item["error"][0], item["error"][1])
        model.layers.append(layer)
    for layer, item in zip(model.layers, data["layers"]):
        for parent in item["inbound"]:
            if isinstance(parent, int):
                layer.inbound.append(model.layers[parent])
            else:
                layer.inbound.append(Layer("", "", None, None, parent, layer.span))
    return model


def dump(result: FileResult) -> dict[str, Any]:
    return {
        "path": result.path,
        "models": [_model(m) for m in result.models],
        "diagnostics": [_diagnostic(d) for d in result.diagnostics],
        "read_error": result.read_error,
        "internal_error": result.internal_error,
        "skipped": result.skipped,
    }


def load(data: dict[str, Any]) -> FileResult:
    return FileResult(
        data["path"],
        models=[_unmodel(m) for m in data["models"]],
        diagnostics=[_undiagnostic(d) for d in data["diagnostics"]],
        read_error=data["read_error"],
        internal_error=data["internal_error"],
        skipped=data["skipped"],
    )
