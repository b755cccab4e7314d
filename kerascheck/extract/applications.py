"""`keras.applications`: the pretrained backbones scripts build on, from a data file made with real Keras.

`keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, pooling="avg")` makes a
functional model of 150-odd layers. kerascheck does not import Keras, so `tools/gen_applications.py`
wrote each application's layers once, with real Keras, into `kerascheck/data/applications.json.gz`:
every layer's class, name, configuration and inputs for the base network, the layers `pooling=` and
`include_top=True` add, and the sizes that depend on the input. This module builds that graph in the
interpreter, layer by layer through the layer catalogue, on the input the call asks for, so that the
shapes and parameter counts follow from the same rules as the file's own layers. The data file is
read once, and only by files that use an application.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
from importlib import resources
from typing import TYPE_CHECKING, Any

from kerascheck.diagnostics import Span
from kerascheck.extract.common import DECLINED, CallSite
from kerascheck.extract.values import LayerClass, Tensor
from kerascheck.layers import CATALOGUE, snake_case
from kerascheck.model import Layer, Model
from kerascheck.shapes import UNKNOWN

if TYPE_CHECKING:
    from kerascheck.extract.interpreter import Interpreter

# The constructor arguments the data answers for (`alpha` only at its default, 1.0); any other option
# (`depth_multiplier`, `minimalistic`, `include_preprocessing`, `dropout_rate`...) changes the layers.
_FOLLOWED = frozenset({"include_top", "weights", "input_tensor", "input_shape", "pooling", "classes",
                       "classifier_activation", "name", "alpha"})
_CLASSES = "__classes__"
_CLASSIFIER = "__classifier_activation__"


@functools.cache
def _data() -> dict[str, Any]:
    try:
        raw = resources.files("kerascheck").joinpath("data/applications.json.gz").read_bytes()
        return json.loads(gzip.decompress(raw))  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return {"models": {}}


@functools.cache
def _by_path() -> dict[str, str]:
    """Each public path (`keras.applications.mobilenet_v2.MobileNetV2`) to its application's name."""
    found = {}
    for name, entry in _data()["models"].items():
        for path in entry.get("paths", []):
            found[path] = name
    return found


def lookup(path: str) -> dict[str, Any] | None:
    """The data of the application a normalized path names, or None."""
    name = _by_path().get(path)
    if name is None and path.startswith("keras.applications."):
        last = path.rsplit(".", 1)[-1]
        name = last if last in _data()["models"] else None
    return _data()["models"].get(name) if name is not None else None


class Applications:
    """Calls of `keras.applications.*` constructors, built as functional models."""

    def __init__(self, ip: Interpreter) -> None:
        self.ip = ip

    def call(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if path.endswith(".preprocess_input"):
            return self._preprocess(positional, keywords)
        entry = lookup(path)
        if entry is None or site.node is None or positional:
            return DECLINED  # positional arguments of these constructors are rare and not followed
        try:
            return self._build(entry, keywords, site)
        except (KeyError, TypeError, ValueError):
            return UNKNOWN  # the data holds something this reader does not follow

    def _preprocess(self, positional: list[Any], keywords: dict[str, Any]) -> Any:
        """`preprocess_input(x)` scales or centres the values: the same shape."""
        x = positional[0] if positional else keywords.get("x")
        if isinstance(x, Tensor):
            return self.ip.ops.op_tensor("preprocess_input", [x], x.shape)
        return x if x is not None else UNKNOWN

    def _input_shape(self, entry: dict[str, Any], keywords: dict[str, Any], include_top: bool) -> Any:
        """What `imagenet_utils.obtain_input_shape` gives (channels last)."""
        given = keywords.get("input_shape")
        if given is None:
            return tuple(entry["default_input_shape"]["top" if include_top else "base"])
        if not isinstance(given, (tuple, list)) or len(given) != 3:
            return UNKNOWN
        if not all(d is None or isinstance(d, int) and not isinstance(d, bool) for d in given):
            return UNKNOWN
        return tuple(given)

    def _build(self, entry: dict[str, Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if set(keywords) - _FOLLOWED or keywords.get("alpha", 1.0) != 1.0:
            return UNKNOWN  # a width multiplier or another option the data was not made with
        include_top = keywords.get("include_top", True)
        pooling = keywords.get("pooling")
        classes = keywords.get("classes", 1000)
        activation = keywords.get("classifier_activation", "softmax")
        if not isinstance(include_top, bool) or pooling not in (None, "avg", "max"):
            return UNKNOWN
        if include_top and (not isinstance(classes, int) or isinstance(classes, bool) or classes <= 0):
            return UNKNOWN
        if include_top and not isinstance(activation, (str, type(None))):
            return UNKNOWN
        if keywords.get("input_tensor") is not None:
            return UNKNOWN  # built on the caller's tensor: not followed yet
        shape = self._input_shape(entry, keywords, include_top)
        if shape is UNKNOWN:
            return UNKNOWN
        size_dependent = entry.get("size_dependent", {})
        if size_dependent and tuple(shape) != tuple(entry.get("default_input_shape", {}).get(
                "top" if include_top else "base", ())):
            if any(not _even_rule(rule) for rule in size_dependent.values()):
                return UNKNOWN  # a layer's configuration depends on an input size the data does not cover
        assert site.node is not None
        span = self.ip.span(site.node)
        if entry.get("unknown_size_differs") and any(d is None for d in shape[:2]):
            return UNKNOWN  # Keras builds another graph when the input size is not fixed
        layers = list(entry["base"])
        variant = "top" if include_top else pooling
        if variant is not None:
            # the variant's layers follow the base's first `base_prefix` layers (all of them, mostly)
            layers = layers[: entry.get("base_prefix", {}).get(variant, len(layers))]
            layers += entry["top"] if include_top else entry["pooling"][variant]
        made: dict[str, list[Any]] = {}
        first: Tensor | None = None
        last: Any = None
        for record in layers:
            if record["class"] == "InputLayer":
                first = self._input(shape, span)
                made[record["name"]] = [first]
                continue
            config = {key: _substitute(value, classes, activation) for key, value in record["config"].items()}
            inputs = [made[name][index] for name, index in record["inbound"]]
            rule = size_dependent.get(record["name"])
            if rule is not None:
                config[rule["key"]] = _correct_pad(rule, inputs[0].shape if inputs else None)
            layer = self._layer(record, config, span)
            if layer is None:
                return UNKNOWN
            arg: Any = inputs[0] if len(inputs) == 1 else inputs
            out = self.ip.graph.apply_layer(layer, [arg], {}, None)
            made[record["name"]] = list(out) if isinstance(out, (list, tuple)) else [out]
            last = out
        if first is None or not isinstance(last, Tensor):
            return UNKNOWN
        name = keywords.get("name")
        if not isinstance(name, str):
            name = _model_name(entry, shape)
        model = self.ip.graph.make_functional([first, last], {"name": name}, None, span)
        if isinstance(model, Model):
            model.library = True
        return model

    def _input(self, shape: tuple[Any, ...], span: Span) -> Tensor:
        tensor = self.ip.objects.make_input("Input", [], {"shape": shape}, None, span)
        assert isinstance(tensor, Tensor)
        tensor.layer.library = True
        return tensor

    def _layer(self, record: dict[str, Any], config: dict[str, Any], span: Span) -> Layer | None:
        spec = CATALOGUE.get(record["class"])
        if spec is None:
            return None
        names = set(spec.signature.names())
        keywords = {k: _plain(v) for k, v in config.items() if k in names}
        keywords["name"] = record["name"]
        if _auto_named(record["name"], spec.auto_name_prefix):
            # named by Keras's counter, which goes on from the layers the file made before it
            keywords["name"] = self.ip.auto_name(spec.auto_name_prefix)
        layer = self.ip.objects.make_layer(LayerClass(spec, record["class"]), [], keywords, None, [], False)
        layer.span = span
        layer.written = f"keras.applications:{record['class']}"
        layer.library = True
        return layer


def _substitute(value: Any, classes: Any, activation: Any) -> Any:
    """The data's placeholders for `classes` and `classifier_activation`, wherever they stand."""
    if value == _CLASSES:
        return classes
    if value == _CLASSIFIER:
        return activation
    if isinstance(value, list):
        return [_substitute(v, classes, activation) for v in value]
    return value


def _plain(value: Any) -> Any:
    """JSON's lists as the tuples Keras's configurations hold."""
    if isinstance(value, list):
        return tuple(_plain(v) for v in value)
    return value


def _auto_named(name: str, prefix: str) -> bool:
    return name == prefix or re.fullmatch(re.escape(prefix) + r"_\d+", name) is not None


def _even_rule(rule: dict[str, Any]) -> bool:
    """A size-dependent padding the reader can compute for any input size (`correct_pad`)."""
    return "correct_pad" in rule.get("rule", "") and isinstance(rule.get("kernel_size"), int)


def _correct_pad(rule: dict[str, Any], shape: Any) -> Any:
    """`imagenet_utils.correct_pad(x, k)` on the layer's input: per spatial axis (k//2 - 1, k//2) where its
    size is even (or the height unknown), (k//2, k//2) where it is odd."""
    half = rule["kernel_size"] // 2
    if not isinstance(shape, tuple) or len(shape) != 4 or shape[1] is None:
        return ((half - 1, half), (half - 1, half))
    if not all(isinstance(d, int) for d in shape[1:3]):
        raise ValueError("a spatial size that is not a number")
    return tuple((half - 1 + d % 2, half) for d in shape[1:3])


def _model_name(entry: dict[str, Any], shape: tuple[Any, ...]) -> str:
    name: str = entry.get("model_name", "")
    size = entry["default_size"]
    if name.endswith(f"_{size}") and shape[0] is not None:
        return f"{name[: -len(str(size))]}{shape[0]}"
    return name or snake_case(entry.get("paths", ["keras.applications.model"])[0].rsplit(".", 1)[-1])
