"""Running an extracted model in NumPy and comparing every layer's shape with the static one.

The model becomes a list of steps in execution order: for a Sequential model, its declared input
and then each layer on the previous output; for a functional (or built subclassed) model, the
call graph that extraction recorded, walked back from the outputs. Each call of a layer is one
step, so shared layers run once per call with one set of weights, and merge layers receive their
inputs in the order they were written, duplicates included. A model used as a layer runs as a
nested model on its inputs.

Before running, the same steps are planned with kerascheck's static rules on the concrete input
sizes (unknown sizes replaced by small substitutes), to estimate the memory and the arithmetic;
sizes are shrunk (or the model skipped) when the estimate is over budget.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kerascheck.execute import registry
from kerascheck.execute.registry import Unsupported, WeightSpec
from kerascheck.execute.report import (
    BUDGET,
    CONFIRMED,
    EXECUTED,
    FAILED,
    MISMATCH,
    MODEL_SKIPPED,
    NO_FORWARD,
    NOT_CALLED,
    PARTIAL,
    SKIPPED,
    STATIC_ERROR,
    UNCHECKED,
    UNKNOWN_ARGUMENT,
    UNSUPPORTED,
    UPSTREAM,
    ExecutionReport,
    LayerExecution,
    Substitute,
    format_any_shape,
)
from kerascheck.layers import apply, spec_classes
from kerascheck.model import Layer, Model
from kerascheck.shapes import Shape, ShapeError, Unknowable, format_dim

# Sizes tried, in order, for unknown non-batch input sizes: small first, larger where a small one
# makes some layer fail (a valid convolution stack needs room), smaller where over budget.
SUBSTITUTE_SIZES = (8, 16, 32, 64, 128, 256, 4, 2, 1)
# A deliberately low arithmetic rate for the time estimate (this machine's 2 cores manage about
# 10 GFLOP/s on convolutions; small or memory-bound operations far less).
FLOPS_PER_SECOND = 2e9
MAX_DECLARED_BATCH = 64
BYTES = 4  # float32


class _CannotRun(Exception):
    """The model as a whole cannot be executed; the message is the note."""

    def __init__(self, note: str, kind: str = UNSUPPORTED) -> None:
        super().__init__(note)
        self.kind = kind


@dataclass(eq=False)
class Step:
    index: int
    kind: str  # "input" or "layer"
    layer: Layer | None  # None for a Sequential model's declared input
    inputs: list[tuple[int, int]] = field(default_factory=list)  # (producing step, output index); -1: unavailable
    as_list: bool = False  # the layer was called on a list of tensors
    first_call: bool = True  # the call whose shapes the IR recorded
    declared: Shape | None = None  # input steps: the declared shape, batch axis included
    name: str = "input"


@dataclass
class Plan:
    """Static shapes of every step on concrete input sizes, and what running them would cost."""

    shapes: list[Any]  # per step: output shape(s) with batch axis None, or None
    new_errors: int  # steps Keras would reject that the IR itself does not reject
    peak_bytes: int
    flops: float


# -- building the steps ----------------------------------------------------------------------------


def _multi_input(layer: Layer) -> bool:
    return bool(layer.spec is not None and getattr(layer.spec, "multi_input", False))


def build_steps(model: Model) -> tuple[list[Step], list[tuple[int, int]]]:
    """The steps of `model` in execution order, and the (step, output index) of each model output."""
    if model.api == "sequential":
        if not model.input_declared:
            raise _CannotRun("no input shape is declared: Keras builds a Sequential model only when it sees data")
        if model.input_shape is None:
            raise _CannotRun("the input shape is not known")
        steps = [Step(0, "input", None, declared=model.input_shape, name="input")]
        for i, layer in enumerate(model.layers):
            steps.append(Step(i + 1, "layer", layer, inputs=[(i, 0)], name=layer.name))
        return steps, [(len(steps) - 1, 0)]
    outputs = model.outputs
    if not outputs and model.api == "subclass":
        raise _CannotRun("the subclassed model is never called on a tensor, so its call graph is not known")
    if not outputs or any(getattr(t, "node", None) is None for t in outputs):
        raise _CannotRun("the model's outputs are not known")
    return _graph_steps(outputs)


# The executable layers whose call takes `initial_state=` tensors besides its input.
TAKES_INITIAL_STATE = frozenset(
    spec.name for spec in spec_classes() if "initial_state" in (spec.call_parameters or ()) and spec.no_forward is None
)


def _first_node(layer: Layer) -> Any:
    first = getattr(layer, "first_output", None)
    if isinstance(first, list):
        first = first[0] if first else None
    return getattr(first, "node", None)


def _graph_steps(outputs: list[Any]) -> tuple[list[Step], list[tuple[int, int]]]:
    """Post-order over the call graph (iterative: graphs can be deep)."""
    steps: list[Step] = []
    index_of: dict[int, int] = {}
    seen_layers: set[int] = set()
    for out in outputs:
        stack: list[tuple[Any, Any, bool]] = [(out.node, out, False)]
        while stack:
            node, tensor, expanded = stack.pop()
            if id(node) in index_of:
                continue
            parents = [] if node.is_input else [t for t in node.inputs if getattr(t, "node", None) is not None]
            if not expanded:
                stack.append((node, tensor, True))
                for t in reversed(parents):
                    if id(t.node) not in index_of:
                        stack.append((t.node, t, False))
                continue
            layer = node.layer
            if node.is_input:
                declared = layer.output_shape if isinstance(layer.output_shape, tuple) else tensor.shape
                step = Step(len(steps), "input", layer, declared=declared, name=layer.name or "input")
            else:
                refs = [
                    (index_of[id(t.node)], t.index) if getattr(t, "node", None) is not None else (-1, 0)
                    for t in node.inputs
                ]
                if layer.spec is not None and layer.submodel is None and not _multi_input(layer):
                    # A one-tensor layer's node lists that tensor, then any passed by keyword
                    # (`initial_state=`, `mask=`): only recurrent layers use the latter.
                    if layer.spec.name not in TAKES_INITIAL_STATE:
                        refs = refs[:1]
                first = _first_node(layer)
                step = Step(
                    len(steps),
                    "layer",
                    layer,
                    inputs=refs,
                    as_list=_multi_input(layer) or len(refs) > 1,
                    first_call=(node is first) if first is not None else id(layer) not in seen_layers,
                    name=layer.name,
                )
                seen_layers.add(id(layer))
            index_of[id(node)] = step.index
            steps.append(step)
    return steps, [(index_of[id(out.node)], out.index) for out in outputs]


# -- inputs ----------------------------------------------------------------------------------------


def _vocabulary(layer: Layer | None) -> int | None:
    """The index range of a layer that takes integer indices (Embedding, CategoryEncoding), else None."""
    if layer is None:
        return None
    if layer.submodel is not None:
        sub = layer.submodel
        if sub.api == "sequential":
            return _vocabulary(sub.layers[0]) if sub.layers else None
        for inner in sub.layers:
            if any(parent.is_input for parent in inner.inbound):
                found = _vocabulary(inner)
                if found is not None:
                    return found
        return None
    if layer.spec is None or layer.args is None:
        return None
    name = layer.spec.name
    try:
        if name == "Embedding":
            return layer.args.int("input_dim")
        if name == "CategoryEncoding":
            return layer.args.int("num_tokens")
        if name in ("TimeDistributed", "Bidirectional"):
            inner = registry.inner_layer(layer.args)
            return _vocabulary(inner)
    except Unknowable:
        return None
    return None


def _input_vocabularies(steps: list[Step]) -> dict[int, int]:
    vocab: dict[int, int] = {}
    for step in steps:
        if step.kind != "layer":
            continue
        size = _vocabulary(step.layer)
        if size is None:
            continue
        for ref, _ in step.inputs:
            if ref >= 0 and steps[ref].kind == "input":
                vocab[ref] = min(size, vocab.get(ref, size))
    return vocab


def concrete_inputs(steps: list[Step], size: int, batch: int) -> tuple[dict[int, tuple[int, ...]], list[Substitute]]:
    """Each input's shape for the run: declared sizes kept, unknown ones replaced by `size`."""
    shapes: dict[int, tuple[int, ...]] = {}
    subs: list[Substitute] = []
    for step in steps:
        if step.kind != "input":
            continue
        declared = step.declared
        if declared is None:
            raise _CannotRun(f"the shape of input `{step.name}` is not known")
        b = declared[0] if isinstance(declared[0], int) and 0 < declared[0] <= MAX_DECLARED_BATCH else batch
        dims: list[int] = [b]
        for axis, d in enumerate(declared[1:], start=1):
            if isinstance(d, int) and not isinstance(d, bool):
                dims.append(d)
            else:
                dims.append(size)
                subs.append(Substitute(step.name, axis, d, size))
        shapes[step.index] = tuple(dims)
    return shapes, subs


# -- planning --------------------------------------------------------------------------------------


def _broadcast(a: Any, b: Any) -> Any:
    if not isinstance(a, tuple) or not isinstance(b, tuple):
        return None
    if len(a) < len(b):
        a, b = b, a
    b = (1,) * (len(a) - len(b)) + b
    out: list[Any] = [None]
    for x, y in list(zip(a, b, strict=True))[1:]:
        if not isinstance(x, int) or not isinstance(y, int) or (x != y and 1 not in (x, y)):
            return None
        out.append(max(x, y) if 1 in (x, y) else x)
    return tuple(out)


def _static_list(step: Step) -> bool:
    """Whether the static rule takes the step's input shapes as a list (initial states are not inputs)."""
    layer = step.layer
    takes_states = layer is not None and layer.spec is not None and layer.spec.name in TAKES_INITIAL_STATE
    return step.as_list and not takes_states


def _static_output(layer: Layer, in_shapes: list[Any], as_list: bool) -> tuple[Any, int | None, ShapeError | None]:
    if is_operation(layer):
        if layer.written not in BINARY_OPERATIONS or layer.written == "matmul" or not 1 <= len(in_shapes) <= 2:
            return None, None, None
        if len(in_shapes) == 1:
            return in_shapes[0], None, None
        return _broadcast(in_shapes[0], in_shapes[1]), None, None
    if layer.spec is None or layer.args is None or not in_shapes or any(s is None for s in in_shapes):
        return None, None, None
    applied = apply(layer.spec, layer.args, in_shapes if as_list else in_shapes[0])
    return applied.output, applied.params, applied.error


def _elements(shape: Any) -> int:
    if shape is None:
        return 0
    if isinstance(shape, list):
        return sum(_elements(s) for s in shape)
    n = 1
    for d in shape[1:]:
        if not isinstance(d, int):
            return 0
        n *= d
    return n


def _positions(shape: Any) -> int:
    if not isinstance(shape, tuple) or len(shape) < 3:
        return 1
    n = 1
    for d in shape[1:-1]:
        n *= d if isinstance(d, int) else 1
    return n


def _pick(shape: Any, index: int) -> Any:
    if isinstance(shape, list):
        return shape[index] if index < len(shape) else None
    return shape if index == 0 else None


def plan(steps: list[Step], inputs: dict[int, tuple[int, ...]], batch: int) -> Plan:
    shapes: list[Any] = []
    consumers = [0] * len(steps)
    for step in steps:
        for ref, _ in step.inputs:
            if ref >= 0:
                consumers[ref] += 1
    remaining = list(consumers)
    live = peak = 0
    weights_bytes = 0
    flops = 0.0
    new_errors = 0
    sizes: list[int] = []
    counted: set[int] = set()
    for step in steps:
        if step.kind == "input":
            shape: Any = (None, *inputs[step.index][1:])
            out_bytes = _elements(shape) * batch * BYTES
            shapes.append(shape)
        else:
            assert step.layer is not None
            in_shapes = [_pick(shapes[ref], i) if ref >= 0 else None for ref, i in step.inputs]
            out, _, error = _static_output(step.layer, in_shapes, _static_list(step))
            if error is not None and step.layer.error is None:
                new_errors += 1
            shape = out if error is None else None
            shapes.append(shape)
            out_bytes = _elements(shape) * batch * BYTES
            n_weights = 0
            if id(step.layer) not in counted and step.layer.submodel is None and in_shapes and in_shapes[0] is not None:
                counted.add(id(step.layer))
                n_weights = _planned_weights(step.layer, in_shapes, batch)
                weights_bytes += n_weights * BYTES
            elif step.layer.submodel is not None and step.layer.params:
                weights_bytes += step.layer.params * BYTES
                n_weights = step.layer.params
            flops += 2.0 * n_weights * _weight_uses(step.layer, in_shapes, shape) * batch + _elements(shape) * batch * 4
        live += out_bytes
        # The output being written, plus transients: a convolution may gather patches (im2col) of
        # up to four times its output.
        transient = (
            4
            if step.layer is not None and step.layer.spec is not None and (step.layer.spec.name in CONVOLUTIONS)
            else 1
        )
        peak = max(peak, live + transient * out_bytes)
        sizes.append(out_bytes)
        for ref, _ in step.inputs:
            if ref >= 0:
                remaining[ref] -= 1
                if remaining[ref] == 0:
                    live -= sizes[ref]
    return Plan(shapes, new_errors, peak + weights_bytes, flops)


def _weight_uses(layer: Layer, in_shapes: list[Any], out: Any) -> int:
    """How many times each weight is used per sample: once per output position for a convolution,
    per input position for a transposed one, per time step for a recurrent layer."""
    in_pos = _positions(in_shapes[0]) if in_shapes else 1
    if layer.spec is None or layer.spec.name not in CONVOLUTIONS:
        return max(in_pos, _positions(out))
    return in_pos if layer.spec.name.endswith("Transpose") else _positions(out)


# Layers that slide one kernel over every output position (or, transposed, every input position).
CONVOLUTIONS = frozenset(spec.name for spec in spec_classes() if spec.convolution)


def _planned_weights(layer: Layer, in_shapes: list[Any], batch: int) -> int:
    if layer.spec is None or layer.args is None:
        return 0
    shape = in_shapes[0]
    if not isinstance(shape, tuple) or not all(isinstance(d, int) for d in shape[1:]):
        return 0
    try:
        return sum(w.size for w in registry.weight_specs(layer.spec.name, layer.args, (batch, *shape[1:])))
    except Exception:  # planning is an estimate: a layer that cannot say costs nothing here
        return 0


# -- values ------------------------------------------------------------------------------------------


def make_weights(specs: list[WeightSpec], rng: Any) -> list[Any]:
    """Seeded random weights of the given shapes, in ranges that keep activations near 1."""
    out = []
    for w in specs:
        if w.kind == "count":
            out.append(np.zeros(w.shape, dtype=np.int64))
        elif w.kind == "positive":
            out.append(rng.uniform(0.5, 1.5, size=w.shape).astype(np.float32))
        elif w.kind == "bias":
            out.append((rng.standard_normal(w.shape) * 0.1).astype(np.float32))
        elif w.kind == "alpha":
            out.append((rng.standard_normal(w.shape) * 0.25).astype(np.float32))
        elif w.kind == "embedding":
            out.append(rng.standard_normal(w.shape).astype(np.float32))
        else:
            fan_in = 1
            for d in w.shape[:-1]:
                fan_in *= d
            out.append((rng.standard_normal(w.shape) / np.sqrt(max(fan_in, 1))).astype(np.float32))
    return out


def _batchless(shape: tuple[int, ...]) -> Shape:
    return (None, *shape[1:])


def _executed_shape(value: Any) -> Any:
    if isinstance(value, list):
        return [_batchless(v.shape) for v in value]
    return _batchless(value.shape)


def _nbytes(value: Any) -> int:
    if isinstance(value, list):
        return sum(v.nbytes for v in value)
    return int(value.nbytes)


def _diff(label: str, static: Any, executed: Any) -> str | None:
    """A message when a static shape disagrees with the executed one (batch axis and non-int
    static sizes are not compared), else None."""
    if static is None:
        return None
    if isinstance(static, list) or isinstance(executed, list):
        if not (isinstance(static, list) and isinstance(executed, list)) or len(static) != len(executed):
            return f"{label} {format_any_shape(static)}, executed {format_any_shape(executed)}"
        for s, e in zip(static, executed, strict=True):
            if _diff(label, s, e) is not None:
                return f"{label} {format_any_shape(static)}, executed {format_any_shape(executed)}"
        return None
    if len(static) != len(executed) or any(
        isinstance(s, int) and s != e for s, e in list(zip(static, executed, strict=True))[1:]
    ):
        return f"{label} {format_any_shape(static)}, executed {format_any_shape(executed)}"
    return None


# -- running -----------------------------------------------------------------------------------------


@dataclass
class _Context:
    rng: Any
    deadline: float
    budget_bytes: int
    time_budget_s: float
    weights: dict[int, list[Any]] = field(default_factory=dict)
    weight_counts: dict[int, int] = field(default_factory=dict)
    out_of_time: bool = False


class _Skip(Exception):
    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


def _entry(entries: dict[int, LayerExecution], layer: Layer) -> LayerExecution:
    entry = entries.get(id(layer))
    if entry is None:
        entry = LayerExecution(
            layer=layer,
            name=layer.name,
            type=layer.type,
            status=UNCHECKED,
            inferred_shape=layer.output_shape,
            params=layer.params,
        )
        entries[id(layer)] = entry
    return entry


def _skip(entry: LayerExecution, kind: str, reason: str) -> None:
    if entry.status == SKIPPED or entry.calls:
        return  # keep the first reason; a layer that ran once stays as it ran
    entry.status = SKIPPED
    entry.skip_kind = kind
    entry.reason = reason


def _cast_for(layer: Layer, x: Any) -> Any:
    if _vocabulary(layer) is not None or layer.submodel is not None:
        return x
    if isinstance(x, list):
        return [_cast_for(layer, v) for v in x]
    if not np.issubdtype(x.dtype, np.floating):
        return x.astype(np.float32)
    return x


# Operations on tensors that are not layers (`x + y`), by the name extraction gives them.
BINARY_OPERATIONS: dict[str, Any] = {
    "add": np.add,
    "subtract": np.subtract,
    "multiply": np.multiply,
    "divide": np.divide,
    "floor_divide": np.floor_divide,
    "power": np.power,
    "matmul": np.matmul,
}


def is_operation(layer: Layer) -> bool:
    return bool(getattr(layer, "is_op", False))


def _call_operation(layer: Layer, inputs: list[Any]) -> Any:
    fn = BINARY_OPERATIONS.get(layer.written)
    if fn is None or not 1 <= len(inputs) <= 2 or (len(inputs) == 1 and layer.written == "matmul"):
        raise _Skip(UNSUPPORTED, f"the operation `{layer.written}` on {len(inputs)} tensor(s) is not modelled")
    # `x * 2` keeps only its tensor operand in the graph: the other is taken to be a scalar (as
    # the static shape does), which keeps the tensor's shape.
    operands = inputs if len(inputs) == 2 else [inputs[0], np.float32(1)]
    try:
        with np.errstate(all="ignore"):
            return fn(operands[0], operands[1])
    except ValueError as e:
        raise _Skip(FAILED, f"the operation `{layer.written}` raised ValueError: {e}") from e


def _call_layer(layer: Layer, inputs: list[Any], as_list: bool, ctx: _Context, entry: LayerExecution) -> Any:
    """Run one call of `layer`, creating its weights on the first call. Raises `_Skip`."""
    if is_operation(layer):
        return _call_operation(layer, inputs)
    if not inputs:
        raise _Skip(UPSTREAM, "it is called on nothing kerascheck could follow")
    if layer.construction_error is not None or layer.error is not None:
        error = layer.construction_error or layer.error
        raise _Skip(STATIC_ERROR, f"kerascheck reports that Keras rejects it: {error.message if error else ''}")
    if layer.submodel is not None:
        return _call_submodel(layer, inputs, ctx, entry)
    if layer.spec is None or layer.args is None:
        raise _Skip(NO_FORWARD, f"`{layer.type}` is not in kerascheck's catalogue")
    name = layer.spec.name
    if registry.lookup(name) is None:
        raise _Skip(NO_FORWARD, registry.no_forward_reason(name))
    if layer.args.unexpected:
        raise _Skip(UNKNOWN_ARGUMENT, "arguments kerascheck does not model: " + ", ".join(layer.args.unexpected))
    x: Any = [_cast_for(layer, v) for v in inputs] if as_list else _cast_for(layer, inputs[0])
    try:
        if id(layer) not in ctx.weights:
            in_shape = [v.shape for v in x] if as_list else x.shape
            specs = registry.weight_specs(name, layer.args, in_shape)
            ctx.weights[id(layer)] = make_weights(specs, ctx.rng)
            ctx.weight_counts[id(layer)] = sum(w.size for w in specs)
        return registry.forward(name, layer.args, ctx.weights[id(layer)], x)
    except Unknowable as e:
        raise _Skip(UNKNOWN_ARGUMENT, f"the value of `{e.args[0] if e.args else '?'}` is not known") from e
    except Unsupported as e:
        raise _Skip(UNSUPPORTED, str(e)) from e
    except MemoryError as e:
        raise _Skip(BUDGET, "out of memory") from e
    except Exception as e:  # the input does not fit the layer (or the forward pass has a bug)
        raise _Skip(FAILED, f"the forward pass raised {type(e).__name__}: {e}") from e


def _call_submodel(layer: Layer, inputs: list[Any], ctx: _Context, entry: LayerExecution) -> Any:
    sub = layer.submodel
    assert sub is not None
    try:
        steps, out_refs = build_steps_for_nested(sub)
    except _CannotRun as e:
        raise _Skip(UNSUPPORTED, str(e)) from e
    feeds = _nested_feeds(sub, steps, inputs)
    report = ExecutionReport(model=sub, model_name=sub.name or sub.keras_name, status=EXECUTED)
    outputs = _run_steps(sub, steps, out_refs, feeds, ctx, report)
    if entry.sub_report is None:
        entry.sub_report = report
    failed = [e for e in report.layers if e.status == SKIPPED and e.skip_kind != NOT_CALLED]
    if failed or outputs is None:
        first = failed[0] if failed else None
        raise _Skip(
            UPSTREAM,
            f"layer `{first.name}` of the nested model did not run: {first.reason}"
            if first
            else "the nested model did not run",
        )
    if id(layer) not in ctx.weight_counts:
        ctx.weight_counts[id(layer)] = sum(e.weight_count or 0 for e in report.layers)
    return outputs[0] if len(outputs) == 1 else outputs


def build_steps_for_nested(sub: Model) -> tuple[list[Step], list[tuple[int, int]]]:
    """As `build_steps`; a nested Sequential model runs on whatever it is called on."""
    if sub.api == "sequential":
        steps = [Step(0, "input", None, declared=sub.input_shape, name="input")]
        for i, layer in enumerate(sub.layers):
            steps.append(Step(i + 1, "layer", layer, inputs=[(i, 0)], name=layer.name))
        return steps, [(len(steps) - 1, 0)]
    return build_steps(sub)


def _nested_feeds(sub: Model, steps: list[Step], inputs: list[Any]) -> dict[int, Any]:
    input_steps = [s for s in steps if s.kind == "input"]
    if sub.api != "functional" or len(input_steps) == 1:
        if len(input_steps) != 1 or len(inputs) != 1:
            raise _Skip(UNSUPPORTED, "the nested model's inputs cannot be matched to the call's")
        return {input_steps[0].index: inputs[0]}
    # The order `Model(inputs=[...])` gave, which is how the call's tensors line up (not model.layers order).
    order = [t.layer for t in sub.inputs] if sub.inputs else [layer for layer in sub.layers if layer.is_input]
    if len(order) != len(inputs):
        raise _Skip(UNSUPPORTED, "the nested model's inputs cannot be matched to the call's")
    feeds = {}
    for layer, value in zip(order, inputs, strict=True):
        match = [s for s in input_steps if s.layer is layer]
        if match:
            feeds[match[0].index] = value
    return feeds


def _run_steps(
    model: Model,
    steps: list[Step],
    out_refs: list[tuple[int, int]],
    feeds: dict[int, Any],
    ctx: _Context,
    report: ExecutionReport,
) -> list[Any] | None:
    """Run the steps on the fed inputs; fill `report.layers`; return the model's outputs (None if any
    did not run)."""
    entries: dict[int, LayerExecution] = {}
    values: list[Any] = [None] * len(steps)
    consumers = [0] * len(steps)
    for step in steps:
        for ref, _ in step.inputs:
            if ref >= 0:
                consumers[ref] += 1
    for ref, _ in out_refs:
        if ref >= 0:
            consumers[ref] += 1
    live = 0
    for step in steps:
        if step.kind == "input":
            values[step.index] = feeds.get(step.index)
            if step.layer is not None and values[step.index] is not None:
                entry = _entry(entries, step.layer)
                executed = _executed_shape(values[step.index])
                entry.calls += 1
                entry.executed_shape = executed
                entry.weight_count = 0
                problem = _diff("declared", step.declared, executed)
                entry.status = CONFIRMED if problem is None else MISMATCH
                if problem:
                    entry.mismatches.append(problem)
            live += _nbytes(values[step.index]) if values[step.index] is not None else 0
            continue
        layer = step.layer
        assert layer is not None
        entry = _entry(entries, layer)
        try:
            if time.monotonic() > ctx.deadline:
                ctx.out_of_time = True
                raise _Skip(BUDGET, f"the time budget of {ctx.time_budget_s:g} s ran out")
            inputs = []
            for ref, i in step.inputs:
                value = values[ref] if ref >= 0 else None
                if isinstance(value, list):
                    value = value[i] if i < len(value) else None
                elif i != 0:
                    value = None
                if value is None:
                    source = steps[ref].name if ref >= 0 else "an unknown tensor"
                    raise _Skip(UPSTREAM, f"its input from `{source}` is not available")
                inputs.append(value)
            output = _call_layer(layer, inputs, step.as_list, ctx, entry)
            if isinstance(output, tuple):
                output = list(output)
            size = _nbytes(output)
            if live + size > ctx.budget_bytes:
                raise _Skip(
                    BUDGET,
                    f"its output would take the activations past the memory budget "
                    f"({(live + size) / 1e6:.0f} MB > {ctx.budget_bytes / 1e6:.0f} MB)",
                )
            values[step.index] = output
            live += size
            _record(entry, step, inputs, output, ctx)
        except _Skip as skip:
            _skip(entry, skip.kind, skip.reason)
        for ref, _ in step.inputs:
            if ref >= 0:
                consumers[ref] -= 1
                if consumers[ref] == 0 and values[ref] is not None:
                    live -= _nbytes(values[ref])
                    values[ref] = None
    for layer in model.layers:
        entry = _entry(entries, layer)
        if entry.calls == 0 and entry.status != SKIPPED:
            _skip(entry, NOT_CALLED, "it is not on any path to the model's outputs")
    report.layers = [entries[id(layer)] for layer in model.layers]
    outputs = []
    for ref, i in out_refs:
        value = values[ref] if ref >= 0 else None
        if isinstance(value, list):
            value = value[i] if i < len(value) else None
        if value is None:
            return None
        outputs.append(value)
    return outputs


def _record(entry: LayerExecution, step: Step, inputs: list[Any], output: Any, ctx: _Context) -> None:
    layer = step.layer
    assert layer is not None
    executed = _executed_shape(output)
    in_shapes = [_batchless(v.shape) for v in inputs]
    expected, expected_params, error = _static_output(layer, in_shapes, _static_list(step))
    first_run = entry.calls == 0
    entry.calls += 1
    problems = []
    if first_run:
        entry.executed_shape = executed
        entry.expected_shape = expected
        entry.weight_count = ctx.weight_counts.get(id(layer))
    if step.first_call:
        problems.append(_diff("kerascheck infers", layer.output_shape, executed))
    if error is not None:
        problems.append(
            f"kerascheck's rule rejects the executed input {format_any_shape(in_shapes[0] if len(in_shapes) == 1 else in_shapes)}: {error.message}"
        )
    else:
        problems.append(_diff("on the executed input kerascheck's rule gives", expected, executed))
    if first_run and entry.weight_count is not None:
        if layer.params is not None and layer.params != entry.weight_count:
            problems.append(
                f"kerascheck counts {layer.params} parameters, the execution created {entry.weight_count} weights"
            )
        elif layer.params is None and expected_params is not None and expected_params != entry.weight_count:
            problems.append(
                f"on the executed input kerascheck counts {expected_params} parameters, "
                f"the execution created {entry.weight_count} weights"
            )
    for p in problems:
        if p is not None and p not in entry.mismatches:
            entry.mismatches.append(p)
    if entry.mismatches:
        entry.status = MISMATCH
    elif layer.output_shape is not None or expected is not None:
        entry.status = CONFIRMED
    else:
        entry.status = UNCHECKED


# -- the entry point -----------------------------------------------------------------------------


def _fits(p: Plan, budget_bytes: int, time_budget_s: float) -> bool:
    return p.peak_bytes <= budget_bytes and p.flops / FLOPS_PER_SECOND <= time_budget_s


def _skipped_report(model: Model, note: str, kind: str = UNSUPPORTED) -> ExecutionReport:
    report = ExecutionReport(model=model, model_name=model.name or model.keras_name, status=MODEL_SKIPPED, notes=[note])
    for layer in model.layers:
        report.layers.append(
            LayerExecution(
                layer=layer,
                name=layer.name,
                type=layer.type,
                status=SKIPPED,
                inferred_shape=layer.output_shape,
                params=layer.params,
                skip_kind=kind,
                reason=note,
            )
        )
    return report


def execute_model(
    model: Model,
    *,
    batch: int = 2,
    memory_budget_bytes: int = 300_000_000,
    time_budget_s: float = 30.0,
    seed: int = 0,
) -> ExecutionReport:
    """Run `model` in NumPy on a small random batch and compare each layer's output shape with the
    static one. Never raises for anything in the model."""
    start = time.monotonic()
    if model.uncertain:
        return _skipped_report(model, "its structure depends on values kerascheck could not know")
    try:
        steps, out_refs = build_steps(model)
    except _CannotRun as e:
        return _skipped_report(model, str(e))
    try:
        report = _execute(model, steps, out_refs, batch, memory_budget_bytes, time_budget_s, seed, start)
    except _CannotRun as e:
        return _skipped_report(model, str(e), e.kind)
    report.elapsed_s = time.monotonic() - start
    return report


def _execute(
    model: Model,
    steps: list[Step],
    out_refs: list[tuple[int, int]],
    batch: int,
    budget_bytes: int,
    time_budget_s: float,
    seed: int,
    start: float,
) -> ExecutionReport:
    needs_substitutes = any(
        not isinstance(d, int) for s in steps if s.kind == "input" and s.declared is not None for d in s.declared[1:]
    )
    candidates: list[tuple[int, int]] = []  # (substitute size, batch)
    for size in SUBSTITUTE_SIZES if needs_substitutes else (0,):
        candidates.append((size, batch))
    if batch > 1:
        candidates += [(size, 1) for size in (SUBSTITUTE_SIZES if needs_substitutes else (0,))]
    chosen = None
    best_fitting = None
    smallest: Plan | None = None
    for size, b in candidates:
        shapes, subs = concrete_inputs(steps, size, b)
        p = plan(steps, shapes, b)
        if smallest is None or p.peak_bytes < smallest.peak_bytes:
            smallest = p
        if not _fits(p, budget_bytes, time_budget_s):
            continue
        if p.new_errors == 0:
            chosen = (size, b, shapes, subs, p)
            break
        if best_fitting is None or p.new_errors < best_fitting[4].new_errors:
            best_fitting = (size, b, shapes, subs, p)
    notes: list[str] = []
    if chosen is None:
        chosen = best_fitting
        if chosen is not None and needs_substitutes:
            notes.append(f"no substitute size for the unknown input sizes avoids build errors; using {chosen[0]}")
    if chosen is None:
        need = smallest.peak_bytes if smallest is not None else 0
        seconds = smallest.flops / FLOPS_PER_SECOND if smallest is not None else 0
        raise _CannotRun(
            f"over budget even at the smallest sizes tried: about {need / 1e6:.0f} MB "
            f"(budget {budget_bytes / 1e6:.0f} MB) and {seconds:.0f} s of arithmetic (budget {time_budget_s:g} s)",
            BUDGET,
        )
    size, b, shapes, subs, p = chosen
    if subs:
        where = ", ".join(f"`{s.input}` axis {s.axis} ({format_dim(s.original)})" for s in subs)
        notes.insert(0, f"unknown input sizes replaced by {size} for the run: {where}")
    if b != batch:
        notes.append(f"batch of {b} instead of {batch} to stay within budget")
    rng = np.random.default_rng(seed)
    vocab = _input_vocabularies(steps)
    feeds: dict[int, Any] = {}
    for index, shape in shapes.items():
        if index in vocab:
            feeds[index] = rng.integers(0, max(vocab[index], 1), size=shape).astype(np.int32)
            notes.append(f"input `{steps[index].name}` feeds integer indices below {vocab[index]}")
        else:
            feeds[index] = rng.standard_normal(shape).astype(np.float32)
    ctx = _Context(rng=rng, deadline=start + time_budget_s, budget_bytes=budget_bytes, time_budget_s=time_budget_s)
    report = ExecutionReport(
        model=model,
        model_name=model.name or model.keras_name,
        status=EXECUTED,
        notes=notes,
        substitutes=subs,
        input_shapes=[shapes[i] for i in sorted(shapes)],
        batch=b,
        estimated_bytes=p.peak_bytes,
    )
    _run_steps(model, steps, out_refs, feeds, ctx, report)
    if any(e.status == SKIPPED for e in report.layers):
        report.status = PARTIAL
    if ctx.out_of_time:
        report.notes.append(f"the time budget of {time_budget_s:g} s ran out")
    return report


__all__ = ["build_steps", "execute_model", "make_weights", "plan"]
