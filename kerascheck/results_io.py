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
from kerascheck.model import Layer, Model, non_trainable_total
from kerascheck.shapes import ShapeError, Sym


def _span(s: Span) -> list[Any]:
    return [s.line, s.column, s.end_line, s.end_column, s.cell]


def _unspan(v: list[Any]) -> Span:
    if not (isinstance(v, list) and len(v) == 5 and all(_is_int(x) for x in v[:4]) and (v[4] is None or _is_int(v[4]))):
        raise ValueError(f"not a span: {v!r}")
    return Span(v[0], v[1], v[2], v[3], v[4])


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"not text: {value!r}")
    return value


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
    if not isinstance(data, list) or not all(d is None or _is_int(d) or isinstance(d, dict) for d in data):
        raise ValueError(f"not a shape: {data!r}")
    return tuple(Sym(_text(d["sym"]), 1) if isinstance(d, dict) else d for d in data)


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
    return Diagnostic(_text(data["code"]), Severity(data["severity"]), _text(data["message"]), _unspan(data["span"]),
                      fix, data["rule"])


def _explain(layer: Layer) -> str:
    from kerascheck.explain import explain_layer

    return explain_layer(layer)


def _model(m: Model) -> dict[str, Any]:
    index = {id(layer): i for i, layer in enumerate(m.layers)}
    return {
        "api": m.api, "span": _span(m.span), "keras_name": m.keras_name, "name": m.name,
        "uncertain": m.uncertain, "input_declared": m.input_declared, "input_shape": _shape(m.input_shape),
        "total_params": m.total_params, "built": m.built, "weightless_build": m.weightless_build,
        "non_trainable_params": non_trainable_total(m),
        "layers": [
            {
                "type": layer.type, "written": layer.written, "name": layer.name, "span": _span(layer.span),
                "input_shape": _shape(layer.input_shape), "output_shape": _shape(layer.output_shape),
                "params": layer.params, "non_trainable": layer.non_trainable,
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
    model.built = bool(data["built"])
    model.weightless_build = bool(data["weightless_build"])
    total = data["total_params"]
    if total is not None and not isinstance(total, int):
        raise ValueError("total_params")
    model.restored_total = (total,)
    frozen = data["non_trainable_params"]
    if frozen is not None and not _is_int(frozen):
        raise ValueError("non_trainable_params")
    model.restored_non_trainable = (frozen,)
    for item in data["layers"]:
        layer = Layer(item["type"], item["written"], None, None, item["name"], _unspan(item["span"]))
        layer.input_shape = _unshape(item["input_shape"])
        layer.output_shape = _unshape(item["output_shape"])
        if item["params"] is not None and not _is_int(item["params"]):
            raise ValueError("params")
        layer.params = item["params"]
        layer.non_trainable = item["non_trainable"]
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


def load_checked(data: Any) -> FileResult:
    """`load`, for data from outside the process (the cache): raises ValueError unless it is exactly
    what `dump` writes, so a damaged entry is discarded rather than reported."""
    if not isinstance(data, dict):
        raise ValueError("not a result")
    try:
        result = load(data)
        same = dump(result) == data
    except (KeyError, TypeError, IndexError, AttributeError, RecursionError) as e:
        raise ValueError(f"damaged result: {e!r}") from None
    if not same:
        raise ValueError("damaged result: it does not read back as written")
    return result


def load(data: dict[str, Any]) -> FileResult:
    return FileResult(
        data["path"],
        models=[_unmodel(m) for m in data["models"]],
        diagnostics=[_undiagnostic(d) for d in data["diagnostics"]],
        read_error=data["read_error"],
        internal_error=data["internal_error"],
        skipped=data["skipped"],
    )
