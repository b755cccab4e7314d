"""Write kerascheck/data/applications.json.gz: every `keras.applications` model's layers, built by real Keras.

kerascheck never imports Keras, so what `keras.applications.MobileNetV2(input_shape=(160, 160, 3),
include_top=False, pooling="avg")` builds comes from this data file (read by
kerascheck/extract/applications.py). For every constructor `keras.applications` exposes (found by
introspection), this script builds the model with `weights=None` several times, each in a fresh Keras
session so auto-generated layer names are the ones a script gets:

- the base (include_top=False, pooling=None) at the default size, one size above it and two above it
  (the configurations that differ between these sizes are recorded as "size_dependent", with their rule
  where it is `imagenet_utils.correct_pad`), and at the smallest size Keras accepts;
- pooling="avg" and pooling="max" (the layers they add after the base);
- include_top=True with classes=1000 and softmax, and with classes=7 and sigmoid (the top's values
  that follow `classes` / `classifier_activation` become "__classes__" / "__classifier_activation__");
- with input_shape=None (what Keras falls back to, and whether the layer graph is then another one);
- for the options that change the layers themselves (`alpha`, the MobileNets' width multiplier, at each
  value Keras has ImageNet weights for; `minimalistic=True`), all of the above again, as a variant.

Rerun it after a Keras upgrade (one model at a time; about 15 minutes and up to 6 GB of memory on 2 cores; `--only NAME ...` rebuilds just those):

    KERAS_BACKEND=jax /work/venv/bin/python tools/gen_applications.py [--only MobileNetV2,VGG16] [--report]

It prints what the data cannot say plainly (custom layer classes, keras.ops operations in the graph,
nested models, size-dependent layers, unsupported configuration values).
"""

from __future__ import annotations

import argparse
import functools
import gc
import gzip
import inspect
import json
import sys
import time
import types
from pathlib import Path
from typing import Any

import keras
from keras.src import layers as src_layers
from keras.src.applications import imagenet_utils

OUT = Path(__file__).resolve().parent.parent / "kerascheck" / "data" / "applications.json.gz"
CLASSES = "__classes__"
CLASSIFIER = "__classifier_activation__"
DROPPED_KEYS = {"name", "trainable", "dtype", "seed", "activity_regularizer", "build_input_shape", "build_config"}
DROPPED_SUFFIXES = ("_initializer", "_regularizer", "_constraint")

# Options that change the layers, and the values each variant is built with (where the constructor takes
# the option): the widths Keras ships ImageNet weights for, which are the ones scripts use.
VARIANTS: dict[str, dict[str, list[Any]]] = {
    "MobileNet": {"alpha": [0.25, 0.5, 0.75]},
    "MobileNetV2": {"alpha": [0.35, 0.5, 0.75, 1.3, 1.4]},
    "MobileNetV3Small": {"alpha": [0.75], "minimalistic": [True]},
    "MobileNetV3Large": {"alpha": [0.75], "minimalistic": [True]},
}

# What the script found that the data cannot say plainly: printed at the end.
NOTES: dict[str, list[str]] = {}


def note(model: str, text: str) -> None:
    NOTES.setdefault(model, [])
    if text not in NOTES[model]:
        NOTES[model].append(text)


def constructors() -> dict[str, list[str]]:
    """Each application constructor's name to every public path it is reachable by."""
    apps = keras.applications
    found: dict[str, list[str]] = {}
    for name in sorted(dir(apps)):
        fn = getattr(apps, name)
        if name.startswith("_") or isinstance(fn, types.ModuleType) or not callable(fn):
            continue
        if "include_top" not in inspect.signature(fn).parameters:
            continue
        paths = [f"keras.applications.{name}"]
        for modname in sorted(dir(apps)):
            module = getattr(apps, modname)
            if isinstance(module, types.ModuleType) and getattr(module, name, None) is fn:
                paths.append(f"keras.applications.{modname}.{name}")
        found[name] = paths
    return found


class _Stop(Exception):
    """Raised by the patched `layers.Input` once the input shape is known."""


def input_shape_of(fn: Any, **kwargs: Any) -> Any:
    """The input shape the constructor settles on (or the error it raises), without building the model."""
    seen: list[Any] = []
    original = src_layers.Input

    def spy(*args: Any, **kw: Any) -> Any:
        seen.append(kw.get("shape", args[0] if args else None))
        raise _Stop

    src_layers.Input = spy
    try:
        fn(weights=None, **kwargs)
    except _Stop:
        return list(seen[0])
    except ValueError as e:
        return e
    finally:
        src_layers.Input = original
    raise AssertionError("the constructor never made its Input")


def obtain_input_shape_args(fn: Any) -> dict[str, Any] | None:
    """The default_size and min_size the constructor passes to imagenet_utils.obtain_input_shape."""
    seen: list[dict[str, Any]] = []
    original = imagenet_utils.obtain_input_shape

    def spy(input_shape: Any, default_size: int, min_size: int, *args: Any, **kw: Any) -> Any:
        seen.append({"default_size": default_size, "min_size": min_size})
        return original(input_shape, default_size, min_size, *args, **kw)

    imagenet_utils.obtain_input_shape = spy
    try:
        input_shape_of(fn, include_top=True)
    finally:
        imagenet_utils.obtain_input_shape = original
    return seen[0] if seen else None


def build(fn: Any, **kwargs: Any) -> keras.Model:
    keras.backend.clear_session()
    gc.collect()
    return fn(weights=None, **kwargs)


def build_tracking_pads(fn: Any, **kwargs: Any) -> tuple[keras.Model, dict[str, int]]:
    """The model, and its ZeroPadding2D layers whose padding is imagenet_utils.correct_pad(x, k): name to k.

    Every such layer is size-dependent, whether or not the sizes sampled here happen to change it.
    """
    kernels: dict[int, Any] = {}
    original = imagenet_utils.correct_pad

    def spy(inputs: Any, kernel_size: Any) -> Any:
        kernels[id(inputs)] = kernel_size
        return original(inputs, kernel_size)

    imagenet_utils.correct_pad = spy
    try:
        m = build(fn, **kwargs)
    finally:
        imagenet_utils.correct_pad = original
    pads = {}
    for op in m.operations:
        if type(op).__name__ == "ZeroPadding2D" and id(op._inbound_nodes[0].input_tensors[0]) in kernels:
            k = kernels[id(op._inbound_nodes[0].input_tensors[0])]
            if not isinstance(k, int):
                if k[0] != k[1]:
                    raise AssertionError(f"{op.name}: correct_pad with a kernel of {k}")
                k = k[0]
            pads[op.name] = k
    if len(pads) != len(kernels):
        raise AssertionError(f"correct_pad called {len(kernels)} times, {len(pads)} ZeroPadding2D layers found")
    return m, pads


def plain(value: Any, model: str, where: str) -> Any:
    """A configuration value as plain JSON; nested Keras objects' configurations are cleaned too."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, float)):
        return value
    if hasattr(value, "item") and getattr(value, "shape", None) == ():
        return value.item()  # a numpy scalar
    if isinstance(value, (list, tuple)):
        return [plain(v, model, where) for v in value]
    if isinstance(value, dict):
        if "class_name" in value and "config" in value:
            note(model, f"nested Keras object in config: {where.split('.')[0]}")
        return {k: plain(v, model, f"{where}.{k}") for k, v in value.items() if not dropped(k)}
    note(model, f"unsupported config value: {where} = {value!r}")
    return {"__unsupported__": repr(value)}


def dropped(key: str) -> bool:
    return key in DROPPED_KEYS or key.endswith(DROPPED_SUFFIXES)


def clean_config(op: Any, model: str) -> dict[str, Any]:
    config = op.get_config() if hasattr(op, "get_config") else {}
    out = {k: plain(v, model, f"{op.name}.{k}") for k, v in config.items() if not dropped(k)}
    if type(op).__name__ == "InputLayer":
        out = {"batch_shape": plain(config["batch_shape"], model, op.name)}
    return out


def records(m: keras.Model, model: str) -> list[dict[str, Any]]:
    """The model's layers (and any bare keras.ops operations) in order, each with its inbound layers."""
    nodes = {id(n) for depth in m._nodes_by_depth.values() for n in depth}
    out = []
    for op in m.operations:
        own = [n for n in op._inbound_nodes if id(n) in nodes]
        if len(own) != 1:
            note(model, f"{op.name} is called {len(own)} times in the model")
        node = own[0]
        cls = type(op).__name__
        rec: dict[str, Any] = {"class": cls, "name": op.name, "config": clean_config(op, model), "inbound": []}
        if cls != "InputLayer":
            rec["inbound"] = [
                [t._keras_history.operation.name, t._keras_history.tensor_index] for t in node.input_tensors
            ]
        if not isinstance(op, keras.layers.Layer):
            # A bare `keras.ops` call on a symbolic tensor (`x + 3.0`): recorded with its arguments, the
            # tensors as {"__inbound__": i} (an index into "inbound"), under a class name no layer has.
            module = type(op).__module__.replace("keras.src.", "")
            rec["class"] = f"{module}.{cls}"
            rec["op"] = _snake(cls)
            position = iter(range(len(rec["inbound"])))
            rec["call_args"] = [
                {"__inbound__": next(position)} if keras.backend.is_keras_tensor(a) else plain(a, model, op.name)
                for a in node.arguments.args
            ]
            note(model, f"keras.ops operation in the graph: {rec['class']}")
        elif isinstance(op, keras.Model):
            note(model, f"nested model: {cls} ({op.name})")
        elif getattr(keras.layers, cls, None) is not type(op):
            note(model, f"custom layer class: {type(op).__module__}.{cls}")
        elif len(node.arguments.args) > 1 or any(
            keras.backend.is_keras_tensor(v) for v in node.arguments.kwargs.values()
        ):
            note(model, f"{op.name} is called with more than one tensor argument")
        out.append(rec)
    return out


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def correct_pad(size: int | None, kernel: int) -> list[int]:
    """imagenet_utils.correct_pad along one axis whose input size is `size`."""
    adjust = 1 if size is None else 1 - size % 2
    return [kernel // 2 - adjust, kernel // 2]


def extra(
    full: list[dict[str, Any]], base: list[dict[str, Any]], entry: dict[str, Any], what: str
) -> list[dict[str, Any]]:
    """The layers a variant adds after the base.

    Where the variant keeps only the first k layers of the base (ConvNeXt ends its base with a
    LayerNormalization that pooling and the top put after their own layers), entry["base_prefix"][what]
    is k: the variant is base[:k] + these layers.
    """
    k = 0
    while k < min(len(full), len(base)) and full[k] == base[k]:
        k += 1
    if k < len(base):
        entry.setdefault("base_prefix", {})[what] = k
        note(entry["_name"], f"{what} keeps the first {k} of the base's {len(base)} layers, then adds its own")
    return full[k:]


def describe(name: str, paths: list[str], fn: Any) -> dict[str, Any]:
    t0 = time.time()
    entry: dict[str, Any] = {"paths": paths, "_name": name}
    args = obtain_input_shape_args(fn)
    shape_top = input_shape_of(fn, include_top=True)
    shape_notop = input_shape_of(fn, include_top=False)
    entry["default_input_shape"] = {"top": shape_top, "base": shape_notop}
    if args is not None:
        size, min_size = args["default_size"], args["min_size"]
    else:
        # MobileNetV3 builds on (None, None, 3) when no input_shape is given and checks 32 itself.
        size, min_size = 224, 32
        note(name, f"no obtain_input_shape call: default_size {size}, min_size {min_size} taken from the source")
    if shape_top[0] is not None and shape_top[0] != size:
        note(name, f"include_top=True builds at {shape_top[0]}, obtain_input_shape got default_size {size}")
        size = shape_top[0]
    entry["default_size"] = size
    entry["min_size"] = min_size
    entry["fixed_size"] = shape_notop[0] is not None
    if not isinstance(input_shape_of(fn, include_top=False, input_shape=(min_size - 1, min_size - 1, 3)), ValueError):
        note(name, f"accepts an input side below min_size {min_size}")

    base_model, pads = build_tracking_pads(fn, include_top=False, input_shape=(size, size, 3))
    base = records(base_model, name)
    entry["model_name"] = base_model.name
    entry["params"] = {"base": base_model.count_params()}
    entry["output_shape"] = {"base": list(base_model.output_shape)}
    # The input's spatial size at each layer (for the correct_pad check below).
    in_sizes = {size: _input_sizes(base_model)}
    del base_model

    for pooling in ("avg", "max"):
        m = build(fn, include_top=False, pooling=pooling, input_shape=(size, size, 3))
        entry.setdefault("pooling", {})[pooling] = extra(records(m, name), base, entry, pooling)
        if pooling == "avg":
            entry["params"]["avg"] = m.count_params()
            entry["output_shape"]["avg"] = list(m.output_shape)
        del m
    m = build(fn, include_top=True, input_shape=(size, size, 3))
    top = extra(records(m, name), base, entry, "top")
    entry["params"]["top"] = m.count_params()
    entry["output_shape"]["top"] = list(m.output_shape)
    del m
    m = build(fn, include_top=True, input_shape=(size, size, 3), classes=7, classifier_activation="sigmoid")
    top7 = records(m, name)[entry.get("base_prefix", {}).get("top", len(base)) :]
    del m
    entry["top"] = [_placeholders(a, b, name) for a, b in zip(top, top7)]

    # Sizes: configurations that follow the input size, and whether the layer graph does.
    by_size = {size: base}
    for other in (size + 1, size + 2):
        m = build(fn, include_top=False, input_shape=(other, other, 3))
        by_size[other] = records(m, name)
        in_sizes[other] = _input_sizes(m)
        del m
    m = build(fn, include_top=False, input_shape=(min_size, min_size, 3))
    del m  # it builds: min_size is accepted
    entry["size_dependent"] = _size_dependent(by_size, in_sizes, pads, name)
    if not entry["fixed_size"]:
        m = build(fn, include_top=False)
        if [r["name"] for r in records(m, name)] != [r["name"] for r in base]:
            entry["unknown_size_differs"] = True
            note(
                name, "with input_shape=None (include_top=False) Keras builds another layer graph than at a known size"
            )
        del m
    entry["base"] = base
    del entry["_name"]
    print(f"{name}: {len(base)} layers, {time.time() - t0:.1f}s", file=sys.stderr, flush=True)
    return entry


def variants(name: str, fn: Any) -> dict[str, Any]:
    """The entries of the constructor with one layer-changing option set, keyed "option=value" (repr)."""
    found = {}
    for option, values in VARIANTS.get(name, {}).items():
        if option not in inspect.signature(fn).parameters:
            raise AssertionError(f"{name} takes no {option}")
        for value in values:
            sub = describe(f"{name}({option}={value!r})", [], functools.partial(fn, **{option: value}))
            del sub["paths"]
            found[f"{option}={value!r}"] = sub
    return found


def _input_sizes(m: keras.Model) -> dict[str, Any]:
    sizes = {}
    for op in m.operations:
        if type(op).__name__ != "InputLayer" and op._inbound_nodes:
            shape = op._inbound_nodes[0].input_tensors[0].shape
            sizes[op.name] = list(shape[1:3]) if len(shape) == 4 else None
    return sizes


def _placeholders(a: dict[str, Any], b: dict[str, Any], model: str) -> dict[str, Any]:
    """A top layer with the values that follow `classes` and `classifier_activation` as placeholders."""
    if a["name"] != b["name"] or a["class"] != b["class"]:
        note(model, f"the top differs in structure with classes=7: {a['name']} / {b['name']}")
        return a

    def sub(x: Any, y: Any, where: str) -> Any:
        if x == y:
            return x
        if x == 1000 and y == 7:
            return CLASSES
        if x == "softmax" and y == "sigmoid":
            return CLASSIFIER
        if isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
            return [sub(u, v, where) for u, v in zip(x, y)]
        if isinstance(x, dict) and isinstance(y, dict) and x.keys() == y.keys():
            return {k: sub(x[k], y[k], f"{where}.{k}") for k in x}
        note(model, f"top value {where} is {x!r} with classes=1000, {y!r} with classes=7")
        return x

    return {**a, "config": sub(a["config"], b["config"], a["name"])}


def _size_dependent(
    by_size: dict[int, list[dict[str, Any]]], in_sizes: dict[int, dict[str, Any]], pads: dict[str, int], model: str
) -> dict[str, Any]:
    sizes = sorted(by_size)
    names = [[r["name"] for r in by_size[s]] for s in sizes]
    if any(n != names[0] for n in names):
        note(model, f"the layer graph differs between input sizes {sizes}")
        return {}
    found: dict[str, Any] = {}
    for i, rec in enumerate(by_size[sizes[0]]):
        if rec["class"] == "InputLayer":
            continue
        for key, value in rec["config"].items():
            values = {s: by_size[s][i]["config"][key] for s in sizes}
            inputs = {s: in_sizes[s][rec["name"]] for s in sizes}
            padded = rec["name"] in pads and key == "padding"
            if all(v == value for v in values.values()) and not padded:
                continue
            entry: dict[str, Any] = {"key": key, "at_sizes": {str(s): v for s, v in values.items()}}
            if padded:
                kernel = pads[rec["name"]]
                if any(
                    v != [correct_pad(inputs[s][0], kernel), correct_pad(inputs[s][1], kernel)]
                    for s, v in values.items()
                ):
                    raise AssertionError(f"{model} {rec['name']}: not correct_pad({kernel}) of its input")
                entry["rule"] = (
                    f"imagenet_utils.correct_pad(x, {kernel}) on this layer's input x: per spatial axis of size n,"
                    f" [{kernel}//2 - 1, {kernel}//2] if n is even or unknown, [{kernel}//2, {kernel}//2] if n is odd"
                )
                entry["kernel_size"] = kernel
            elif rec["class"] == "Sequential" and key == "layers" and _only_nested_input_differs(values):
                entry["rule"] = (
                    "a nested Sequential: its layers[0], the InputLayer, has batch_shape [null, h, w, c], the shape of"
                    " the Sequential's input; the rest does not follow the size"
                )
            else:
                entry["rule"] = "follows the input size (no rule known)"
            entry["input_sizes"] = {str(s): inputs[s] for s in sizes}
            found[rec["name"]] = entry
            note(model, f"size-dependent: {rec['name']} {key}: {entry['rule'].split(' on ')[0]} {entry['at_sizes']}")
    return found


def _only_nested_input_differs(values: dict[int, Any]) -> bool:
    rest = [[layer for layer in v if layer.get("class_name") != "InputLayer"] for v in values.values()]
    return all(r == rest[0] for r in rest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated constructor names (the others are kept from the file)")
    parser.add_argument("--skip", default="", help="comma-separated constructor names to leave out")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    if keras.backend.image_data_format() != "channels_last":
        raise SystemExit("the data is for channels_last")
    found = constructors()
    models: dict[str, Any] = {}
    if args.only and args.out.exists():
        models = json.loads(gzip.decompress(args.out.read_bytes()))["models"]
    wanted = args.only.split(",") if args.only else list(found)
    skip = set(filter(None, args.skip.split(",")))
    t0 = time.time()
    for name in wanted:
        if name not in skip:
            fn = getattr(keras.applications, name)
            models[name] = describe(name, found[name], fn)
            extra_variants = variants(name, fn)
            if extra_variants:
                models[name]["variants"] = extra_variants
    for name in skip:
        models.pop(name, None)
    data = {"keras_version": keras.__version__, "models": models}
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), allow_nan=False)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(gzip.compress(text.encode(), compresslevel=9, mtime=0))
    print(
        f"wrote {args.out} ({args.out.stat().st_size} bytes, {len(models)} models) in {time.time() - t0:.0f}s",
        file=sys.stderr,
    )
    for model, notes in sorted(NOTES.items()):
        print(f"\n{model}:", file=sys.stderr)
        for text in notes:
            print(f"  {text}", file=sys.stderr)


if __name__ == "__main__":
    main()
