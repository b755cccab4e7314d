"""The layer catalogue: one entry per Keras layer class, grouped as Keras groups them.

`CATALOGUE` maps every Keras class name and legacy alias to its `LayerSpec`. `apply` runs one
entry's rules on input shapes and never raises: Keras's build errors come back as values.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from kerascheck.layers.spec import CATALOGUE, FAMILIES, Args, LayerSpec, bind, snake_case, spec_classes
from kerascheck.shapes import Shape, ShapeError, Unknowable

for _family in FAMILIES:  # importing a family's module registers its entries
    importlib.import_module(f"kerascheck.layers.{_family}")

__all__ = [
    "CATALOGUE", "FAMILIES", "Applied", "Args", "LayerSpec", "apply", "bind", "lookup", "snake_case", "spec_classes",
    "validate",
]


def lookup(name: str) -> LayerSpec | None:
    return CATALOGUE.get(name)


@dataclass(frozen=True)
class Applied:
    """What building a layer on given input shapes gives: output, weights, or Keras's error."""

    output: Shape | list[Shape] | None
    params: int | None
    error: ShapeError | None = None


def validate(spec: LayerSpec, args: Args) -> ShapeError | None:
    """The error Keras's constructor raises for these arguments, if any."""
    try:
        spec.validate(args)
    except Unknowable:
        return None
    except ShapeError as e:
        return e
    return None


def apply(spec: LayerSpec, args: Args, inputs: Any) -> Applied:
    """Build `spec` with `args` on input shape(s) `inputs` (None where unknown)."""
    if (
        inputs is None
        or (isinstance(inputs, list) and any(s is None for s in inputs))
        or (isinstance(inputs, dict) and any(s is None for s in inputs.values()))
    ):
        return Applied(None, _params_only(spec, args, inputs))
    try:
        output = spec.output_shape(args, inputs)
    except Unknowable:
        output = None
    except ShapeError as e:
        return Applied(None, None, e)
    except (ArithmeticError, TypeError, ValueError, IndexError):
        # A combination of values no rule anticipated: unknown, not a crash.
        output = None
    return Applied(output, _params_only(spec, args, inputs))


def _params_only(spec: LayerSpec, args: Args, inputs: Any) -> int | None:
    try:
        return int(spec.params(args, inputs))
    except (Unknowable, ShapeError, ArithmeticError, TypeError, ValueError, IndexError):
        return None
