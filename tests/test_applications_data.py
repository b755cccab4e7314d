"""kerascheck/data/applications.json.gz (written by tools/gen_applications.py) against real Keras.

For a handful of applications, the stored layers (the base, + pooling="avg", + the top with
classes=10) are rebuilt with real Keras layers from their class name and configuration, connected
by the stored inbound lists, at the default input size and at 160, with the size-dependent paddings
computed by their recorded rule. Every layer's name, output shape and parameter count must be the
ones `keras.applications.X(weights=None, ...)` builds.
"""

from __future__ import annotations

import gzip
import json
from importlib import resources
from typing import Any

import pytest

keras = pytest.importorskip("keras")

APPS = ["MobileNetV2", "DenseNet121", "ResNet50", "EfficientNetB0", "VGG16", "InceptionV3"]
VARIANTS = [("base", False, None), ("avg", False, "avg"), ("top", True, None)]
CLASSES = 10
MUST_KEEP = (
    "VGG16 VGG19 ResNet50 ResNet101 ResNet152 ResNet50V2 ResNet101V2 ResNet152V2 InceptionV3 Xception MobileNet"
    " MobileNetV2 MobileNetV3Small MobileNetV3Large DenseNet121 DenseNet169 DenseNet201"
    " EfficientNetV2B0 EfficientNetV2B1 EfficientNetV2B2 EfficientNetV2B3 EfficientNetV2S"
).split() + [f"EfficientNetB{i}" for i in range(8)]


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    raw = resources.files("kerascheck").joinpath("data/applications.json.gz").read_bytes()
    return json.loads(gzip.decompress(raw))  # type: ignore[no-any-return]


def test_every_application_is_described(data: dict[str, Any]) -> None:
    exposed = {n for n in dir(keras.applications) if n[:1].isupper()}
    assert data["keras_version"].split(".")[0] == keras.__version__.split(".")[0]
    assert set(data["models"]) <= exposed
    assert set(MUST_KEEP) <= set(data["models"])
    for name, entry in data["models"].items():
        assert f"keras.applications.{name}" in entry["paths"] and entry["base"][0]["class"] == "InputLayer"


def _substitute(value: Any) -> Any:
    if value == "__classes__":
        return CLASSES
    if value == "__classifier_activation__":
        return "softmax"
    if isinstance(value, list):
        return [_substitute(v) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v) for k, v in value.items()}
    return value


def _correct_pad(n: int | None, kernel: int) -> list[int]:
    adjust = 1 if n is None else 1 - n % 2
    return [kernel // 2 - adjust, kernel // 2]


def rebuild(entry: dict[str, Any], variant: str, size: int) -> list[tuple[str, list[tuple[Any, ...]], int]]:
    """The stored graph built with Keras layers: (name, output shapes, parameter count) per layer."""
    base = entry["base"][: entry.get("base_prefix", {}).get(variant, len(entry["base"]))]
    stored = base + (entry["top"] if variant == "top" else entry["pooling"].get(variant, []))
    made: dict[str, list[Any]] = {}
    out = []
    for rec in stored:
        if rec["class"] == "InputLayer":
            tensor = keras.Input(batch_shape=(None, size, size, 3), name=rec["name"])
            made[rec["name"]] = [tensor]
            out.append((rec["name"], [tuple(tensor.shape)], 0))
            continue
        inputs = [made[name][index] for name, index in rec["inbound"]]
        config = _substitute(rec["config"])
        rule = entry["size_dependent"].get(rec["name"])
        if rule is not None:
            shape = inputs[0].shape
            config[rule["key"]] = [
                _correct_pad(shape[1], rule["kernel_size"]),
                _correct_pad(shape[2], rule["kernel_size"]),
            ]
        if "op" in rec:
            args = [inputs[a["__inbound__"]] if isinstance(a, dict) else a for a in rec["call_args"]]
            result, params = getattr(keras.ops, rec["op"])(*args), 0
        else:
            layer = getattr(keras.layers, rec["class"]).from_config({**config, "name": rec["name"]})
            result = layer(inputs[0] if len(inputs) == 1 else inputs)
            params = layer.count_params()
        made[rec["name"]] = list(result) if isinstance(result, (list, tuple)) else [result]
        out.append((rec["name"], [tuple(t.shape) for t in made[rec["name"]]], params))
    return out


def reference(name: str, variant: str, size: int) -> tuple[list[tuple[str, list[tuple[Any, ...]], int]], int]:
    keras.backend.clear_session()  # auto-named layers are numbered as in a fresh session, as in the data
    include_top, pooling = {"base": (False, None), "avg": (False, "avg"), "top": (True, None)}[variant]
    model = getattr(keras.applications, name)(
        weights=None, include_top=include_top, pooling=pooling, classes=CLASSES, input_shape=(size, size, 3)
    )
    layers = []
    for op in model.operations:
        shapes = [tuple(t.shape) for t in keras.tree.flatten(op._inbound_nodes[0].output_tensors)]
        layers.append((op.name, shapes, op.count_params() if isinstance(op, keras.layers.Layer) else 0))
    return layers, model.count_params()


@pytest.mark.parametrize("name", APPS)
def test_rebuilt_graph_matches_keras(data: dict[str, Any], name: str) -> None:
    entry = data["models"][name]
    for size in (entry["default_size"], 160):
        for variant, _, _ in VARIANTS:
            expected, total = reference(name, variant, size)
            got = rebuild(entry, variant, size)
            assert [g[0] for g in got] == [e[0] for e in expected], (variant, size)
            assert got == expected, (variant, size)
            assert sum(g[2] for g in got) == total
            if size == entry["default_size"] and variant != "top":
                assert entry["params"][variant] == total and entry["output_shape"][variant] == list(got[-1][1][0])
