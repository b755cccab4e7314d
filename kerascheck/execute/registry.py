"""The registry of NumPy forward passes, keyed by Keras class name.

Each entry takes (bound arguments, weights in Keras's `get_weights()` order, inputs) and returns
the outputs, and says which weights Keras creates for a given input shape. The forward passes
live in one module per Keras layer group (`core`, `convolutional`, ...); those modules import
NumPy, so they are only imported (by `load`) when execution is requested. This module itself
imports neither NumPy nor the group modules.

The forward passes are written from Keras's own `call` methods (Keras 3, inference mode), not
from kerascheck's shape rules: they are the second, independent opinion on the shapes.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kerascheck.layers import CATALOGUE, FAMILIES, LayerSpec
from kerascheck.layers.spec import Args
from kerascheck.shapes import Unknowable


class Unsupported(Exception):
    """A configuration of a layer that the NumPy forward pass does not implement."""


@dataclass(frozen=True)
class WeightSpec:
    """One weight as Keras creates it: its name, shape and the kind of values it may hold.

    `kind` picks how the execution check fills it: "kernel" (scaled by its fan-in), "bias",
    "embedding", "positive" (a variance), "alpha" or "count" (an integer counter).
    """

    name: str
    shape: tuple[int, ...]
    kind: str = "kernel"

    @property
    def size(self) -> int:
        n = 1
        for d in self.shape:
            n *= d
        return n


ForwardFn = Callable[[Args, list[Any], Any], Any]
WeightsFn = Callable[[Args, Any], list[WeightSpec]]


def _no_weights(args: Args, input_shape: Any) -> list[WeightSpec]:
    return []


@dataclass(frozen=True)
class Forward:
    spec: type[LayerSpec]
    run: ForwardFn
    weights: WeightsFn = _no_weights
    int_input: bool = False  # takes integer indices (Embedding): the check feeds it integers


# Keyed by the catalogue's spec class: a layer's forward pass belongs to its one declaration.
FORWARDS: dict[type[LayerSpec], Forward] = {}
_loaded = False


def register(
    *specs: type[LayerSpec], weights: WeightsFn | None = None, int_input: bool = False
) -> Callable[[ForwardFn], ForwardFn]:
    """Register `fn` as the forward pass of each of these catalogue entries."""

    def decorate(fn: ForwardFn) -> ForwardFn:
        for spec in specs:
            if spec in FORWARDS:
                raise RuntimeError(f"{spec.name} has two forward passes")
            if spec.no_forward is not None:
                raise RuntimeError(f"{spec.name} declares it has no forward pass ({spec.no_forward})")
            FORWARDS[spec] = Forward(spec, fn, weights or _no_weights, int_input)
        return fn

    return decorate


def load() -> None:
    """Import the forward passes of every layer family that has any (and NumPy with them)."""
    global _loaded
    if _loaded:
        return
    for family in FAMILIES:
        if importlib.util.find_spec(f"kerascheck.execute.{family}") is not None:
            importlib.import_module(f"kerascheck.execute.{family}")
    _loaded = True


def lookup(name: str) -> Forward | None:
    """The forward pass of the catalogue entry named `name` (a class name or a legacy alias)."""
    load()
    spec = CATALOGUE.get(name)
    return None if spec is None else FORWARDS.get(type(spec))


def no_forward_reason(name: str) -> str:
    """Why `name` cannot be executed, as the execution report says it."""
    spec = CATALOGUE.get(name)
    reason = spec.no_forward if spec is not None else None
    return reason or f"`{name}` has no NumPy forward pass"


def has_forward(name: str) -> bool:
    return lookup(name) is not None


def forward_names() -> list[str]:
    load()
    return sorted(spec.name for spec in FORWARDS)


def weight_specs(layer_type: str, args: Args, input_shape: Any) -> list[WeightSpec]:
    """The weights Keras creates for `layer_type` built on `input_shape` (concrete ints, batch
    axis included), in `get_weights()` order. Raises `Unknowable`/`Unsupported` like a forward pass.
    """
    entry = lookup(layer_type)
    if entry is None:
        raise Unsupported(no_forward_reason(layer_type))
    return entry.weights(args, input_shape)


def weight_shapes(layer_type: str, args: Args, input_shape: Any) -> list[tuple[int, ...]]:
    return [w.shape for w in weight_specs(layer_type, args, input_shape)]


def forward(layer_type: str, args: Args, weights: list[Any], inputs: Any) -> Any:
    """Run the forward pass of `layer_type` on NumPy `inputs` (one array, or a list for merge layers)."""
    entry = lookup(layer_type)
    if entry is None:
        raise Unsupported(no_forward_reason(layer_type))
    return entry.run(args, weights, inputs)


# -- argument helpers the forward passes share -------------------------------------------------


def number(args: Args, name: str) -> float:
    value = args.known(name)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Unknowable(name)
    return float(value)


def opt_number(args: Args, name: str) -> float | None:
    value = args.known(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Unknowable(name)
    return float(value)


def int_list(args: Args, name: str) -> list[int]:
    """An int or a list/tuple of ints, as a list."""
    value = args.known(name)
    values = list(value) if isinstance(value, (tuple, list)) else [value]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        raise Unknowable(name)
    return values


def data_format_last(args: Args) -> bool:
    """channels_last unless `data_format` says otherwise (Keras's default image_data_format)."""
    if "data_format" not in args.spec.signature.names():
        return True
    value = args.known("data_format")
    if value is None:
        return True
    if not isinstance(value, str):
        raise Unknowable("data_format")
    lowered = value.lower()
    if lowered not in ("channels_last", "channels_first"):
        raise Unsupported(f"data_format={value!r}")
    return lowered == "channels_last"


def spatial_rank(args: Args) -> int:
    """The number of spatial axes of a convolution, pooling, cropping, padding or upsampling layer."""
    rank = args.spec.rank
    if rank is None:
        raise Unsupported(f"`{args.spec.name}` has no spatial rank")
    return rank


def inner_layer(args: Args) -> Any:
    """The layer a wrapper (Bidirectional, TimeDistributed) wraps: an IR layer with spec and args."""
    layer = args.known("layer")
    if getattr(layer, "spec", None) is None or getattr(layer, "args", None) is None:
        raise Unknowable("layer")
    return layer
