"""What the execution check found: one entry per layer and notes for the model. No NumPy here."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kerascheck.model import Layer, Model
from kerascheck.shapes import Shape, format_shape

# Layer statuses.
CONFIRMED = "confirmed"  # ran, and every concrete static dimension equals the executed one
MISMATCH = "mismatch"  # ran, and the static shape or weight count disagrees with the execution
SKIPPED = "skipped"  # not run (see `skip_kind` and `reason`)
UNCHECKED = "unchecked"  # ran, but kerascheck had no static shape to compare with

# Why a layer was skipped.
NO_FORWARD = "no_forward"  # no NumPy forward pass (uncatalogued, Lambda, ConvLSTM...)
UNKNOWN_ARGUMENT = "unknown_argument"  # an argument the forward pass needs is not known
UNSUPPORTED = "unsupported"  # a configuration the forward pass does not implement
BUDGET = "budget"  # the memory or time budget ran out
UPSTREAM = "upstream"  # an input comes from a layer that did not run
STATIC_ERROR = "static_error"  # kerascheck says Keras rejects this layer: nothing to run
FAILED = "failed"  # the forward pass raised (the input does not fit the layer)
NOT_CALLED = "not_called"  # the layer is not on any path to the model's outputs

# Model statuses.
EXECUTED = "executed"  # every layer ran
PARTIAL = "partial"  # some layers were skipped
MODEL_SKIPPED = "skipped"  # nothing ran (see `notes`)


def _shape_json(shape: Any) -> Any:
    if shape is None:
        return None
    if isinstance(shape, list):
        return [_shape_json(s) for s in shape]
    return [d if isinstance(d, int) or d is None else str(d) for d in shape]


def format_any_shape(shape: Any) -> str:
    if shape is None:
        return "unknown"
    if isinstance(shape, list):
        return "[" + ", ".join(format_any_shape(s) for s in shape) + "]"
    return format_shape(shape)


@dataclass
class LayerExecution:
    """One layer's execution. Shapes have `None` for the batch axis, like Keras's `output_shape`."""

    layer: Layer = field(repr=False)
    name: str
    type: str
    status: str
    executed_shape: Shape | list[Shape] | None = None
    inferred_shape: Shape | list[Shape] | None = None  # the IR's `output_shape`
    # The static rule applied to the input shape(s) the layer actually received: differs from
    # `inferred_shape` where unknown sizes were given substitutes.
    expected_shape: Shape | list[Shape] | None = None
    weight_count: int | None = None  # total size of the weights created for the execution
    params: int | None = None  # the IR's static parameter count
    skip_kind: str | None = None
    reason: str | None = None
    mismatches: list[str] = field(default_factory=list)
    calls: int = 0  # how many times the layer ran (shared layers run more than once)
    sub_report: ExecutionReport | None = None  # a model used as a layer

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "type": self.type,
            "status": self.status,
            "executed_shape": _shape_json(self.executed_shape),
            "inferred_shape": _shape_json(self.inferred_shape),
            "expected_shape": _shape_json(self.expected_shape),
            "weight_count": self.weight_count,
            "params": self.params,
        }
        if self.skip_kind is not None:
            out["skip_kind"] = self.skip_kind
            out["reason"] = self.reason
        if self.mismatches:
            out["mismatches"] = list(self.mismatches)
        if self.sub_report is not None:
            out["model"] = self.sub_report.to_dict()
        return out


@dataclass
class Substitute:
    """An unknown input size replaced by a concrete one for the run."""

    input: str  # the input layer's name ("input" for a Sequential model's declared input)
    axis: int
    original: Any  # None or a symbolic dimension
    size: int


@dataclass
class ExecutionReport:
    model: Model = field(repr=False)
    model_name: str
    status: str
    layers: list[LayerExecution] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    substitutes: list[Substitute] = field(default_factory=list)
    input_shapes: list[Shape] = field(default_factory=list)  # what was fed, batch axis included
    batch: int = 0
    estimated_bytes: int | None = None  # planned peak of activations plus weights
    elapsed_s: float = 0.0
    _index: dict[int, LayerExecution] = field(default_factory=dict, repr=False, compare=False)

    def for_layer(self, layer: Layer) -> LayerExecution | None:
        """The entry of one of the model's layers (None for a layer it does not list)."""
        if len(self._index) != len(self.layers):
            self._index = {id(entry.layer): entry for entry in self.layers}
        return self._index.get(id(layer))

    @property
    def confirmed(self) -> list[LayerExecution]:
        return [e for e in self.layers if e.status == CONFIRMED]

    @property
    def mismatches(self) -> list[LayerExecution]:
        return [e for e in self.layers if e.status == MISMATCH]

    @property
    def skipped(self) -> list[LayerExecution]:
        return [e for e in self.layers if e.status == SKIPPED]

    @property
    def ok(self) -> bool:
        """No disagreement between kerascheck's static shapes and the execution."""
        return not self.mismatches

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model_name,
            "status": self.status,
            "batch": self.batch,
            "input_shapes": [_shape_json(s) for s in self.input_shapes],
            "substitutes": [
                {
                    "input": s.input,
                    "axis": s.axis,
                    "original": None if s.original is None else str(s.original),
                    "size": s.size,
                }
                for s in self.substitutes
            ],
            "notes": list(self.notes),
            "estimated_bytes": self.estimated_bytes,
            "elapsed_s": round(self.elapsed_s, 4),
            "layers": [e.to_dict() for e in self.layers],
        }

    def summary(self) -> str:
        """One line: `model: 5 confirmed, 1 skipped` (with mismatches first when there are any)."""
        if self.status == MODEL_SKIPPED:
            return f"{self.model_name}: not executed ({'; '.join(self.notes) or 'no reason recorded'})"
        counts = []
        for status in (MISMATCH, CONFIRMED, UNCHECKED, SKIPPED):
            n = sum(1 for e in self.layers if e.status == status)
            if n:
                counts.append(f"{n} {status}")
        return f"{self.model_name}: " + ", ".join(counts or ["no layers"])
