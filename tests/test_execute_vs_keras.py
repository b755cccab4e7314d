"""The NumPy forward passes against real Keras, layer by layer, over random configurations.

Each example writes a one-layer model as source code, runs kerascheck on it (extraction, IR,
inference), builds the same layer in real Keras on a `keras.Input`, gives both the same random
weights and the same float32 input, and asserts that

- the weights kerascheck's execution creates have exactly the shapes Keras's `get_weights()`
  lists, and their total is kerascheck's static parameter count and Keras's `count_params()`;
- the outputs agree (rtol/atol 1e-5; 1e-4 for recurrent and normalization layers);
- the output shape agrees with Keras's, and with kerascheck's static shape;
- `execute_model` on the extracted model confirms the layer.
"""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "numpy")

from dataclasses import dataclass  # noqa: E402
from typing import Any  # noqa: E402

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kerascheck.engine import check_text  # noqa: E402
from kerascheck.execute import CONFIRMED, SKIPPED, execute_model, registry  # noqa: E402
from kerascheck.execute.runner import make_weights  # noqa: E402

BATCH = 2
# The examples are the same on every run (derandomized) so that CI is stable. For a deeper search:
# KERASCHECK_EXECUTE_EXAMPLES=250 (about 7 minutes), and KERASCHECK_EXECUTE_RANDOM=1 for new draws.
EXAMPLES = int(os.environ.get("KERASCHECK_EXECUTE_EXAMPLES", "100"))

SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("KERASCHECK_EXECUTE_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def few(n: int) -> Any:
    """Settings with a share of the examples, for cheap or narrow families."""
    return settings(SETTINGS, max_examples=max(3, n * EXAMPLES // 25))


def call(cls: str, **kwargs: Any) -> str:
    args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return f"layers.{cls}({args})"


@dataclass
class Case:
    expr: str  # the layer expression, e.g. "layers.Dense(units=3)"
    shapes: list[tuple[int, ...]]  # input shapes without the batch axis
    merge: bool = False  # called on a list of inputs
    int_input: int | None = None  # the input holds indices below this
    tol: float = 1e-5
    # The execution check feeds integer indices to an Embedding only, and random floats to any other
    # layer: a layer that needs integers (CategoryEncoding) must then be skipped with this reason.
    model_check_skips: str | None = None


def _source(case: Case) -> str:
    lines = ["import keras", "from keras import layers"]
    names = []
    for i, shape in enumerate(case.shapes):
        dtype = ', dtype="int32"' if case.int_input is not None else ""
        lines.append(f"in{i} = keras.Input(shape={shape!r}{dtype})")
        names.append(f"in{i}")
    x = "[" + ", ".join(names) + "]" if case.merge else names[0]
    lines.append(f"out = {case.expr}({x})")
    lines.append(f"model = keras.Model({x}, out)")
    return "\n".join(lines) + "\n"


def _kerascheck_layer(case: Case) -> tuple[Any, Any]:
    result = check_text("case.py", _source(case))
    assert not result.internal_error, result.diagnostics
    models = [m for m in result.models if m.name == "model"]
    assert len(models) == 1, f"kerascheck found no model in:\n{_source(case)}"
    model = models[0]
    (layer,) = [layer for layer in model.layers if not layer.is_input]
    return model, layer


def _keras(expr: str) -> Any:
    return eval(expr, {"keras": keras, "layers": keras.layers})


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return [np.asarray(v) for v in value]
    return [np.asarray(value)]


def _static_dims_agree(static: Any, actual: tuple[int, ...]) -> bool:
    return len(static) == len(actual) and all(
        not isinstance(s, int) or s == a for s, a in list(zip(static, actual, strict=True))[1:]
    )


def check(case: Case, seed: int = 0) -> None:
    model, layer = _kerascheck_layer(case)
    assert layer.spec is not None, f"{case.expr}: not catalogued"
    assert layer.error is None and layer.construction_error is None, (
        f"{case.expr} on {case.shapes}: kerascheck reports {layer.error or layer.construction_error}, "
        "so the case generator made an invalid case (or the catalogue is wrong)"
    )
    # Real Keras on a symbolic input: builds the weights.
    k_layer = _keras(case.expr)
    dtype = "int32" if case.int_input is not None else "float32"
    k_inputs = [keras.Input(shape=s, dtype=dtype) for s in case.shapes]
    k_layer(k_inputs if case.merge else k_inputs[0])
    k_weights = k_layer.get_weights()

    in_shapes = [(BATCH, *s) for s in case.shapes]
    specs = registry.weight_specs(layer.spec.name, layer.args, in_shapes if case.merge else in_shapes[0])
    assert [w.shape for w in specs] == [tuple(w.shape) for w in k_weights], (
        f"{case.expr}: weight shapes {[w.shape for w in specs]} vs Keras {[w.shape for w in k_weights]}"
    )
    count = sum(w.size for w in specs)
    assert count == k_layer.count_params()
    assert layer.params == count, f"{case.expr}: kerascheck's static count {layer.params}, weights {count}"

    rng = np.random.default_rng(seed)
    weights = make_weights(specs, rng)
    k_layer.set_weights(weights)
    if hasattr(k_layer, "finalize_state"):
        k_layer.finalize_state()  # Normalization reads its stored statistics there
    if case.int_input is not None:
        xs = [rng.integers(0, case.int_input, size=s).astype(np.int32) for s in in_shapes]
    else:
        xs = [rng.standard_normal(s).astype(np.float32) for s in in_shapes]
    x: Any = xs if case.merge else xs[0]

    expected = _as_list(k_layer(x, training=False))
    ours = _as_list(registry.forward(layer.spec.name, layer.args, weights, x))
    assert [o.shape for o in ours] == [e.shape for e in expected], case.expr
    for o, e in zip(ours, expected, strict=True):
        np.testing.assert_allclose(o, e, rtol=case.tol, atol=case.tol, err_msg=case.expr)

    static = layer.output_shape if isinstance(layer.output_shape, list) else [layer.output_shape]
    assert all(s is not None for s in static), f"{case.expr}: kerascheck infers no shape"
    for s, e in zip(static, expected, strict=True):
        assert _static_dims_agree(s, e.shape), f"{case.expr}: kerascheck infers {s}, Keras gives {e.shape}"

    report = execute_model(model)
    entry = report.for_layer(layer)
    assert entry is not None, report.notes
    if case.model_check_skips is not None and entry.status == SKIPPED:
        assert case.model_check_skips in (entry.reason or ""), (entry, report.notes)
        return
    assert entry.status == CONFIRMED, (entry, report.notes)


# -- strategies --------------------------------------------------------------------------------------

ACTIVATIONS = [
    None,
    "linear",
    "relu",
    "sigmoid",
    "tanh",
    "softmax",
    "elu",
    "selu",
    "softplus",
    "softsign",
    "swish",
    "silu",
    "gelu",
    "exponential",
    "hard_sigmoid",
    "leaky_relu",
    "relu6",
    "mish",
    "log_softmax",
    "hard_silu",
    "celu",
]
seeds = st.integers(0, 2**16)


def dims(n: int, lo: int = 1, hi: int = 5) -> Any:
    return st.tuples(*[st.integers(lo, hi)] * n)


@st.composite
def dense_cases(draw: Any) -> Case:
    shape = draw(st.lists(st.integers(1, 5), min_size=1, max_size=3).map(tuple))
    kwargs: dict[str, Any] = {"units": draw(st.integers(1, 8))}
    if draw(st.booleans()):
        kwargs["use_bias"] = draw(st.booleans())
    act = draw(st.sampled_from(ACTIVATIONS))
    if act is not None:
        kwargs["activation"] = act
    return Case(call("Dense", **kwargs), [shape])


@given(dense_cases(), seeds)
@SETTINGS
def test_dense(case: Case, seed: int) -> None:
    check(case, seed)


@given(st.sampled_from([a for a in ACTIVATIONS if a is not None]), dims(3), seeds)
@few(20)
def test_activation(name: str, shape: tuple[int, ...], seed: int) -> None:
    check(Case(call("Activation", activation=name), [shape]), seed)


@st.composite
def activation_layer_cases(draw: Any) -> Case:
    shape = draw(dims(draw(st.integers(1, 3))))
    kind = draw(st.sampled_from(["ReLU", "LeakyReLU", "ELU", "Softmax", "PReLU"]))
    kwargs: dict[str, Any] = {}
    if kind == "ReLU":
        if draw(st.booleans()):
            kwargs["max_value"] = draw(st.sampled_from([0.5, 1.0, 6.0]))
        if draw(st.booleans()):
            kwargs["negative_slope"] = draw(st.sampled_from([0.0, 0.1, 0.5]))
        if draw(st.booleans()):
            kwargs["threshold"] = draw(st.sampled_from([0.0, 0.5, 0.3]))  # Keras rejects negative ones
    elif kind == "LeakyReLU":
        kwargs["negative_slope"] = draw(st.sampled_from([0.0, 0.01, 0.3, 1.5]))
    elif kind == "ELU":
        kwargs["alpha"] = draw(st.sampled_from([0.5, 1.0, 2.0]))
    elif kind == "Softmax":
        rank = len(shape) + 1
        kwargs["axis"] = draw(
            st.one_of(
                st.integers(-rank + 1, rank - 1).filter(lambda a: a != 0),
                # A tuple: Keras's NumPy backend fails on a list (it becomes a TrackedList).
                st.lists(st.integers(1, rank - 1), min_size=1, max_size=rank - 1, unique=True).map(tuple),
            )
        )
    else:
        if draw(st.booleans()):
            axes = draw(st.lists(st.integers(1, len(shape)), min_size=1, max_size=len(shape), unique=True))
            kwargs["shared_axes"] = axes[0] if len(axes) == 1 and draw(st.booleans()) else axes
    return Case(call(kind, **kwargs), [shape])


@given(activation_layer_cases(), seeds)
@SETTINGS
def test_activation_layers(case: Case, seed: int) -> None:
    check(case, seed)


# -- convolutions ----------------------------------------------------------------------------------


def _per_axis(draw: Any, rank: int, values: Any) -> Any:
    """An int or a tuple of `rank` ints, as people write them."""
    if draw(st.booleans()):
        return draw(values)
    return tuple(draw(values) for _ in range(rank))


def _axes_of(value: Any, rank: int) -> tuple[int, ...]:
    return value if isinstance(value, tuple) else (value,) * rank


@st.composite
def conv_cases(draw: Any) -> Case:
    rank = draw(st.sampled_from([1, 1, 2, 2, 3]))
    cls = f"Conv{rank}D"
    kernel = _per_axis(draw, rank, st.integers(1, 3))
    padding = draw(st.sampled_from(["valid", "same", "causal"] if rank == 1 else ["valid", "same"]))
    if draw(st.booleans()):
        strides, dilation = _per_axis(draw, rank, st.integers(1, 3)), 1
    else:
        strides, dilation = 1, _per_axis(draw, rank, st.integers(1, 2))
    groups = draw(st.sampled_from([1, 1, 2]))
    filters = draw(st.integers(1, 3)) * groups
    channels = draw(st.integers(1, 3)) * groups
    last = draw(st.booleans())
    ks, ds = _axes_of(kernel, rank), _axes_of(dilation, rank)
    spatial = tuple(draw(st.integers((k - 1) * d + 1, (k - 1) * d + 6)) for k, d in zip(ks, ds, strict=True))
    kwargs: dict[str, Any] = {
        "filters": filters,
        "kernel_size": kernel,
        "strides": strides,
        "padding": padding,
        "dilation_rate": dilation,
    }
    if groups > 1:
        kwargs["groups"] = groups
    if not last:
        kwargs["data_format"] = "channels_first"
    if draw(st.booleans()):
        kwargs["use_bias"] = False
    if draw(st.booleans()):
        kwargs["activation"] = draw(st.sampled_from(ACTIVATIONS))
    shape = (*spatial, channels) if last else (channels, *spatial)
    return Case(call(cls, **kwargs), [shape])


@given(conv_cases(), seeds)
@settings(SETTINGS, max_examples=2 * EXAMPLES)
def test_conv(case: Case, seed: int) -> None:
    check(case, seed)


@st.composite
def conv_transpose_cases(draw: Any) -> Case:
    rank = draw(st.sampled_from([1, 2, 2, 3]))
    cls = f"Conv{rank}DTranspose"
    kernel = _per_axis(draw, rank, st.integers(1, 4))
    padding = draw(st.sampled_from(["valid", "same"]))
    if draw(st.booleans()):
        strides, dilation = _per_axis(draw, rank, st.integers(1, 3)), 1
    else:
        strides, dilation = 1, _per_axis(draw, rank, st.integers(1, 2))
    kwargs: dict[str, Any] = {
        "filters": draw(st.integers(1, 4)),
        "kernel_size": kernel,
        "strides": strides,
        "padding": padding,
        "dilation_rate": dilation,
    }
    if draw(st.booleans()):
        kwargs["output_padding"] = tuple(draw(st.integers(0, s - 1)) for s in _axes_of(strides, rank))
    last = draw(st.booleans())
    if not last:
        kwargs["data_format"] = "channels_first"
    if draw(st.booleans()):
        kwargs["use_bias"] = False
    channels = draw(st.integers(1, 4))
    spatial = draw(dims(rank, 1, 5))
    shape = (*spatial, channels) if last else (channels, *spatial)
    assume(not _xla_aborts(kwargs, rank))
    return Case(call(cls, **kwargs), [shape])


def _xla_aborts(kwargs: dict[str, Any], rank: int) -> bool:
    """Keras's NumPy backend runs transposed convolutions through `jax.lax.conv_transpose`, and XLA
    aborts the whole process ("Window dimensions do not match RHS shape", algebraic_simplifier.cc)
    on some mixes of an unpadded axis whose kernel equals its stride with a padded axis. Such cases
    are left out (conservatively) so that the test session survives."""
    from kerascheck.execute.convolutional import transpose_pads

    kernel, strides = _axes_of(kwargs["kernel_size"], rank), _axes_of(kwargs["strides"], rank)
    dilation = _axes_of(kwargs["dilation_rate"], rank)
    ops = kwargs.get("output_padding") or (None,) * rank
    pads = [
        transpose_pads(k, s, d, kwargs["padding"], op)
        for k, s, d, op in zip(kernel, strides, dilation, ops, strict=True)
    ]
    suspect = [p == (0, 0) and k == s > 1 for p, k, s in zip(pads, kernel, strides, strict=True)]
    return any(suspect) and not all(suspect)


@given(conv_transpose_cases(), seeds)
@settings(SETTINGS, max_examples=2 * EXAMPLES)
def test_conv_transpose(case: Case, seed: int) -> None:
    check(case, seed)


@st.composite
def depthwise_separable_cases(draw: Any) -> Case:
    rank = draw(st.sampled_from([1, 2]))
    cls = draw(st.sampled_from([f"DepthwiseConv{rank}D", f"SeparableConv{rank}D"]))
    kernel = _per_axis(draw, rank, st.integers(1, 3))
    if draw(st.booleans()):
        strides, dilation = _per_axis(draw, rank, st.integers(1, 3)), 1
    else:
        strides, dilation = 1, _per_axis(draw, rank, st.integers(1, 2))
    kwargs: dict[str, Any] = {}
    if cls.startswith("Separable"):
        kwargs["filters"] = draw(st.integers(1, 4))
    kwargs.update(
        kernel_size=kernel,
        strides=strides,
        padding=draw(st.sampled_from(["valid", "same"])),
        dilation_rate=dilation,
        depth_multiplier=draw(st.integers(1, 3)),
    )
    last = draw(st.booleans())
    if not last:
        kwargs["data_format"] = "channels_first"
    if draw(st.booleans()):
        kwargs["use_bias"] = False
    if draw(st.booleans()):
        kwargs["activation"] = draw(st.sampled_from(ACTIVATIONS))
    ks, ds = _axes_of(kernel, rank), _axes_of(dilation, rank)
    spatial = tuple(draw(st.integers((k - 1) * d + 1, (k - 1) * d + 6)) for k, d in zip(ks, ds, strict=True))
    channels = draw(st.integers(1, 4))
    shape = (*spatial, channels) if last else (channels, *spatial)
    return Case(call(cls, **kwargs), [shape])


@given(depthwise_separable_cases(), seeds)
@settings(SETTINGS, max_examples=2 * EXAMPLES)
def test_depthwise_and_separable(case: Case, seed: int) -> None:
    check(case, seed)


# -- pooling ---------------------------------------------------------------------------------------


@st.composite
def pooling_cases(draw: Any) -> Case:
    rank = draw(st.sampled_from([1, 2, 2, 3]))
    cls = draw(st.sampled_from([f"MaxPooling{rank}D", f"AveragePooling{rank}D"]))
    pool = _per_axis(draw, rank, st.integers(1, 3))
    kwargs: dict[str, Any] = {"pool_size": pool}
    if draw(st.booleans()):
        kwargs["strides"] = _per_axis(draw, rank, st.integers(1, 3))
    kwargs["padding"] = draw(st.sampled_from(["valid", "same"]))
    last = draw(st.booleans())
    if not last:
        kwargs["data_format"] = "channels_first"
    spatial = tuple(draw(st.integers(p, p + 5)) for p in _axes_of(pool, rank))
    channels = draw(st.integers(1, 3))
    shape = (*spatial, channels) if last else (channels, *spatial)
    return Case(call(cls, **kwargs), [shape])


@given(pooling_cases(), seeds)
@settings(SETTINGS, max_examples=2 * EXAMPLES)
def test_pooling(case: Case, seed: int) -> None:
    check(case, seed)


@st.composite
def global_pooling_cases(draw: Any) -> Case:
    rank = draw(st.sampled_from([1, 2, 3]))
    cls = draw(st.sampled_from([f"GlobalMaxPooling{rank}D", f"GlobalAveragePooling{rank}D"]))
    kwargs: dict[str, Any] = {}
    if draw(st.booleans()):
        kwargs["keepdims"] = draw(st.booleans())
    if draw(st.booleans()):
        kwargs["data_format"] = draw(st.sampled_from(["channels_first", "channels_last"]))
    return Case(call(cls, **kwargs), [draw(dims(rank + 1))])


@given(global_pooling_cases(), seeds)
@few(20)
def test_global_pooling(case: Case, seed: int) -> None:
    check(case, seed)


# -- normalization -----------------------------------------------------------------------------------


@st.composite
def normalization_cases(draw: Any) -> Case:
    kind = draw(
        st.sampled_from(["BatchNormalization", "LayerNormalization", "GroupNormalization", "UnitNormalization"])
    )
    shape = draw(dims(draw(st.integers(1, 3)), 1, 6))
    rank = len(shape) + 1
    kwargs: dict[str, Any] = {}
    if kind == "BatchNormalization":
        kwargs["axis"] = draw(st.sampled_from([-1, *range(1, rank)]))
        for flag in ("center", "scale", "renorm"):
            if draw(st.booleans()):
                kwargs[flag] = draw(st.booleans())
        kwargs["epsilon"] = draw(st.sampled_from([1e-3, 1e-5, 0.1]))
    elif kind == "LayerNormalization":
        if draw(st.booleans()):
            kwargs["axis"] = draw(st.sampled_from([-1, *range(1, rank)]))
        else:
            kwargs["axis"] = draw(st.lists(st.integers(1, rank - 1), min_size=1, unique=True))
        for flag in ("center", "scale"):
            if draw(st.booleans()):
                kwargs[flag] = draw(st.booleans())
        kwargs["epsilon"] = draw(st.sampled_from([1e-3, 1e-5, 0.1]))
    elif kind == "GroupNormalization":
        groups = draw(st.integers(1, 3))
        axis = draw(st.sampled_from([-1, *range(1, rank)]))
        sizes = list(shape)
        sizes[axis - 1 if axis > 0 else len(sizes) + axis] = groups * draw(st.integers(1, 3))
        shape = tuple(sizes)
        kwargs["groups"] = draw(st.sampled_from([groups, -1]))
        kwargs["axis"] = axis
        for flag in ("center", "scale"):
            if draw(st.booleans()):
                kwargs[flag] = draw(st.booleans())
    else:
        kwargs["axis"] = draw(
            st.one_of(
                st.sampled_from([-1, *range(1, rank)]),
                st.lists(st.integers(1, rank - 1), min_size=1, unique=True),
            )
        )
    return Case(call(kind, **kwargs), [shape], tol=1e-4)


@given(normalization_cases(), seeds)
@settings(SETTINGS, max_examples=2 * EXAMPLES)
def test_normalization(case: Case, seed: int) -> None:
    check(case, seed)


# -- reshaping -------------------------------------------------------------------------------------------


@st.composite
def reshape_cases(draw: Any) -> Case:
    kind = draw(st.sampled_from(["Flatten", "Reshape", "Permute", "RepeatVector"]))
    if kind == "RepeatVector":
        return Case(call(kind, n=draw(st.integers(1, 4))), [(draw(st.integers(1, 5)),)])
    shape = draw(dims(draw(st.integers(1, 4)), 1, 4))
    if kind == "Flatten":
        kwargs = (
            {"data_format": draw(st.sampled_from(["channels_first", "channels_last"]))} if draw(st.booleans()) else {}
        )
        return Case(call(kind, **kwargs), [shape])
    if kind == "Permute":
        return Case(call(kind, dims=tuple(x + 1 for x in draw(st.permutations(range(len(shape)))))), [shape])
    size = int(np.prod(shape))
    factors = []
    rest = size
    for _ in range(draw(st.integers(0, 2))):
        divisors = [d for d in range(1, rest + 1) if rest % d == 0]
        d = draw(st.sampled_from(divisors))
        factors.append(d)
        rest //= d
    target = [*factors, rest]
    if draw(st.booleans()):
        target[draw(st.integers(0, len(target) - 1))] = -1
    return Case(call(kind, target_shape=tuple(target)), [shape])


@given(reshape_cases(), seeds)
@SETTINGS
def test_reshaping(case: Case, seed: int) -> None:
    check(case, seed)


def _amounts(draw: Any, rank: int, hi: int) -> Any:
    form = draw(st.sampled_from(["int", "per_axis", "pairs"]))
    if rank == 1:
        return draw(st.integers(0, hi)) if form == "int" else (draw(st.integers(0, hi)), draw(st.integers(0, hi)))
    if form == "int":
        return draw(st.integers(0, hi))
    if form == "per_axis":
        return tuple(draw(st.integers(0, hi)) for _ in range(rank))
    return tuple((draw(st.integers(0, hi)), draw(st.integers(0, hi))) for _ in range(rank))


def _pairs(value: Any, rank: int) -> list[tuple[int, int]]:
    if isinstance(value, int):
        return [(value, value)] * rank
    if rank == 1:
        return [tuple(value)]
    return [(v, v) if isinstance(v, int) else tuple(v) for v in value]


@st.composite
def spatial_cases(draw: Any) -> Case:
    rank = draw(st.sampled_from([1, 2, 3]))
    family = draw(st.sampled_from(["Cropping", "ZeroPadding", "UpSampling"]))
    cls = f"{family}{rank}D"
    kwargs: dict[str, Any] = {}
    last = True
    if rank > 1 or family == "ZeroPadding":
        if draw(st.booleans()):
            last = draw(st.booleans())
            kwargs["data_format"] = "channels_last" if last else "channels_first"
    if family == "Cropping":
        crops = _amounts(draw, rank, 2)
        kwargs["cropping"] = crops
        spatial = tuple(lo + hi + draw(st.integers(1, 3)) for lo, hi in _pairs(crops, rank))
    elif family == "ZeroPadding":
        kwargs["padding"] = _amounts(draw, rank, 2)
        spatial = draw(dims(rank, 1, 4))
    else:
        kwargs["size"] = (
            draw(st.integers(1, 3))
            if rank == 1 or draw(st.booleans())
            else tuple(draw(st.integers(1, 3)) for _ in range(rank))
        )
        if rank == 2 and draw(st.booleans()):
            kwargs["interpolation"] = draw(st.sampled_from(["nearest", "bilinear", "bicubic"]))
        spatial = draw(dims(rank, 1, 4))
    channels = draw(st.integers(1, 3))
    shape = (*spatial, channels) if last else (channels, *spatial)
    return Case(call(cls, **kwargs), [shape])


@given(spatial_cases(), seeds)
@settings(SETTINGS, max_examples=2 * EXAMPLES)
def test_cropping_padding_upsampling(case: Case, seed: int) -> None:
    check(case, seed)


# -- embedding and recurrent layers ----------------------------------------------------------------------


@given(st.integers(1, 20), st.integers(1, 6), dims(1, 1, 6) | dims(2, 1, 4), st.booleans(), seeds)
@few(15)
def test_embedding(input_dim: int, output_dim: int, shape: tuple[int, ...], mask_zero: bool, seed: int) -> None:
    kwargs: dict[str, Any] = {"input_dim": input_dim, "output_dim": output_dim}
    if mask_zero:
        kwargs["mask_zero"] = True
    check(Case(call("Embedding", **kwargs), [shape], int_input=input_dim), seed)


@st.composite
def rnn_kwargs(draw: Any, kind: str, backwards: bool = True) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"units": draw(st.integers(1, 6))}
    for flag in ("return_sequences", "return_state", "go_backwards", "use_bias"):
        if flag == "go_backwards" and not backwards:
            continue  # Keras's Bidirectional rejects a layer that already goes backwards
        if draw(st.booleans()):
            kwargs[flag] = draw(st.booleans())
    if draw(st.booleans()):
        kwargs["activation"] = draw(st.sampled_from(["tanh", "relu", "sigmoid", "linear", "softsign"]))
    if kind != "SimpleRNN" and draw(st.booleans()):
        kwargs["recurrent_activation"] = draw(st.sampled_from(["sigmoid", "hard_sigmoid", "tanh"]))
    if kind == "GRU" and draw(st.booleans()):
        kwargs["reset_after"] = draw(st.booleans())
    return kwargs


@st.composite
def rnn_cases(draw: Any) -> Case:
    kind = draw(st.sampled_from(["SimpleRNN", "LSTM", "GRU"]))
    shape = (draw(st.integers(1, 6)), draw(st.integers(1, 5)))
    return Case(call(kind, **draw(rnn_kwargs(kind))), [shape], tol=1e-4)


@given(rnn_cases(), seeds)
@settings(SETTINGS, max_examples=2 * EXAMPLES)
def test_recurrent(case: Case, seed: int) -> None:
    check(case, seed)


@given(st.sampled_from(["SimpleRNN", "LSTM", "GRU"]), st.data(), seeds)
@few(15)
def test_recurrent_initial_state(kind: str, data: Any, seed: int) -> None:
    kwargs = data.draw(rnn_kwargs(kind))
    units, steps, features = kwargs["units"], data.draw(st.integers(1, 5)), data.draw(st.integers(1, 4))
    n_states = 2 if kind == "LSTM" else 1
    states = ", ".join(f"in{i + 1}" for i in range(n_states))
    source = "\n".join(
        [
            "import keras",
            "from keras import layers",
            f"in0 = keras.Input(shape={(steps, features)!r})",
            *(f"in{i + 1} = keras.Input(shape=({units},))" for i in range(n_states)),
            f"out = {call(kind, **kwargs)}(in0, initial_state=[{states}])",
            f"model = keras.Model([in0, {states}], out)",
        ]
    )
    (model,) = [m for m in check_text("case.py", source).models if m.name == "model"]
    (layer,) = [layer for layer in model.layers if not layer.is_input]
    k_layer = _keras(call(kind, **kwargs))
    k_layer(keras.Input(shape=(steps, features)))
    specs = registry.weight_specs(kind, layer.args, (BATCH, steps, features))
    rng = np.random.default_rng(seed)
    weights = make_weights(specs, rng)
    k_layer.set_weights(weights)
    x = rng.standard_normal((BATCH, steps, features)).astype(np.float32)
    initial = [rng.standard_normal((BATCH, units)).astype(np.float32) for _ in range(n_states)]
    expected = _as_list(k_layer(x, initial_state=initial, training=False))
    ours = _as_list(registry.forward(kind, layer.args, weights, [x, *initial]))
    for o, e in zip(ours, expected, strict=True):
        np.testing.assert_allclose(o, e, rtol=1e-4, atol=1e-4)
    entry = execute_model(model).for_layer(layer)
    assert entry is not None and entry.status == CONFIRMED


@st.composite
def bidirectional_cases(draw: Any) -> Case:
    kind = draw(st.sampled_from(["SimpleRNN", "LSTM", "GRU"]))
    inner = call(kind, **draw(rnn_kwargs(kind, backwards=False)))
    merge = draw(st.sampled_from(["concat", "sum", "mul", "ave", None, "default"]))
    expr = (
        f"layers.Bidirectional({inner})"
        if merge == "default"
        else f"layers.Bidirectional({inner}, merge_mode={merge!r})"
    )
    shape = (draw(st.integers(1, 5)), draw(st.integers(1, 4)))
    return Case(expr, [shape], tol=1e-4)


@given(bidirectional_cases(), seeds)
@SETTINGS
def test_bidirectional(case: Case, seed: int) -> None:
    check(case, seed)


@st.composite
def time_distributed_cases(draw: Any) -> Case:
    kind = draw(st.sampled_from(["Dense", "Conv1D", "Conv2D", "MaxPooling1D", "Flatten", "BatchNormalization"]))
    steps = draw(st.integers(1, 4))
    if kind == "Dense":
        inner, frame = call("Dense", units=draw(st.integers(1, 4))), draw(dims(draw(st.integers(1, 2))))
    elif kind == "Conv1D":
        inner, frame = call("Conv1D", filters=2, kernel_size=draw(st.integers(1, 3)), padding="same"), draw(dims(2))
    elif kind == "Conv2D":
        inner, frame = call("Conv2D", filters=2, kernel_size=2, padding="same"), draw(dims(3))
    elif kind == "MaxPooling1D":
        inner, frame = call("MaxPooling1D", pool_size=2, padding="same"), draw(dims(2))
    elif kind == "Flatten":
        inner, frame = call("Flatten"), draw(dims(draw(st.integers(1, 3))))
    else:
        inner, frame = call("BatchNormalization"), draw(dims(draw(st.integers(1, 2))))
    return Case(f"layers.TimeDistributed({inner})", [(steps, *frame)], tol=1e-4)


@given(time_distributed_cases(), seeds)
@SETTINGS
def test_time_distributed(case: Case, seed: int) -> None:
    check(case, seed)


# -- merging ---------------------------------------------------------------------------------------------


@st.composite
def merge_cases(draw: Any) -> Case:
    kind = draw(st.sampled_from(["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot"]))
    shape = draw(dims(draw(st.integers(1, 3)), 1, 4))
    if kind == "Subtract":
        return Case(call(kind), [shape, shape], merge=True)
    if kind == "Concatenate":
        rank = len(shape) + 1
        axis = draw(st.sampled_from([-1, *range(1, rank), *range(-rank + 1, 0)]))
        shapes = []
        for _ in range(draw(st.integers(2, 3))):
            s = list(shape)
            s[axis - 1 if axis > 0 else len(s) + axis] = draw(st.integers(1, 4))
            shapes.append(tuple(s))
        return Case(call(kind, axis=axis), shapes, merge=True)
    if kind == "Dot":
        rank = len(shape) + 1
        if rank == 2 or draw(st.booleans()):
            axis = draw(st.sampled_from([-1, *range(1, rank)]))
            kwargs: dict[str, Any] = {"axes": axis}
            shapes = [shape, shape]
        else:
            other = draw(dims(draw(st.integers(1, 3)), 1, 4))
            a1 = draw(st.integers(1, rank - 1))
            a2 = draw(st.integers(1, len(other)))
            other = list(other)
            other[a2 - 1] = shape[a1 - 1]
            kwargs = {"axes": (a1, a2)}
            shapes = [shape, tuple(other)]
        if draw(st.booleans()):
            kwargs["normalize"] = True
        return Case(call(kind, **kwargs), shapes, merge=True)
    n = draw(st.integers(2, 3))
    return Case(call(kind), [shape] * n, merge=True)


@given(merge_cases(), seeds)
@settings(SETTINGS, max_examples=2 * EXAMPLES)
def test_merging(case: Case, seed: int) -> None:
    check(case, seed)


# -- preprocessing and identities ------------------------------------------------------------------------


@st.composite
def preprocessing_cases(draw: Any) -> Case:
    kind = draw(st.sampled_from(["Rescaling", "Normalization", "Resizing", "CenterCrop", "CategoryEncoding",
                                 "Discretization"]))
    if kind == "CategoryEncoding":
        return draw(category_encoding_cases())
    if kind == "Discretization":
        edges = sorted(set(draw(st.lists(st.sampled_from([-1.5, -0.5, 0.0, 0.25, 0.5, 1.0, 2.0]), min_size=1,
                                         max_size=4))))
        return Case(call(kind, bin_boundaries=edges), [draw(dims(draw(st.integers(1, 3))))])
    if kind == "Rescaling":
        kwargs: dict[str, Any] = {"scale": draw(st.sampled_from([1 / 255, 2.0, -0.5]))}
        if draw(st.booleans()):
            kwargs["offset"] = draw(st.sampled_from([0.0, -1.0, 0.5]))
        return Case(call(kind, **kwargs), [draw(dims(3))])
    if kind == "Normalization":
        shape = draw(dims(draw(st.integers(1, 3))))
        kwargs = {}
        if draw(st.booleans()):
            kwargs["invert"] = True
        if draw(st.booleans()):
            kwargs["axis"] = None
        if draw(st.booleans()):
            kwargs["mean"] = draw(st.sampled_from([0.5, -1.0]))
            kwargs["variance"] = draw(st.sampled_from([2.0, 0.25]))
        return Case(call(kind, **kwargs), [shape], tol=1e-4)
    last = draw(st.booleans())
    h, w, c = draw(st.integers(1, 8)), draw(st.integers(1, 8)), draw(st.integers(1, 3))
    shape = (h, w, c) if last else (c, h, w)
    kwargs = {} if last else {"data_format": "channels_first"}
    if kind == "CenterCrop":
        return Case(call(kind, height=draw(st.integers(1, h)), width=draw(st.integers(1, w)), **kwargs), [shape])
    kwargs.update(height=draw(st.integers(1, 8)), width=draw(st.integers(1, 8)))
    kwargs["interpolation"] = draw(st.sampled_from(["bilinear", "nearest", "bicubic", "lanczos3"]))
    if draw(st.booleans()):
        kwargs["antialias"] = True
    aspect = draw(st.sampled_from([None, "crop_to_aspect_ratio", "pad_to_aspect_ratio"]))
    if aspect:
        kwargs[aspect] = True
    return Case(call("Resizing", **kwargs), [shape], tol=1e-4)


@st.composite
def category_encoding_cases(draw: Any) -> Case:
    tokens = draw(st.integers(1, 8))
    mode = draw(st.sampled_from([None, "one_hot", "multi_hot", "count", "binary"]))
    # `multi_hot` and `count` reduce over axis 1 in Keras's call, which is the last axis (as the
    # declared shape says) only for inputs of up to 2 axes with the batch: wider ones are left out.
    if mode == "one_hot":
        shape = draw(st.sampled_from([(), (1,)]) | dims(draw(st.integers(1, 3))))
    else:
        shape = draw(st.sampled_from([(), (1,)]) | dims(1))
    kwargs: dict[str, Any] = {"num_tokens": tokens}
    if mode is not None:
        kwargs["output_mode"] = mode
    return Case(call("CategoryEncoding", **kwargs), [shape], int_input=tokens, model_check_skips="integer category ids")


@given(preprocessing_cases(), seeds)
@settings(SETTINGS, max_examples=2 * EXAMPLES)
def test_preprocessing(case: Case, seed: int) -> None:
    check(case, seed)


IDENTITIES = [
    call("Dropout", rate=0.5),
    call("SpatialDropout1D", rate=0.3),
    call("SpatialDropout2D", rate=0.3),
    call("SpatialDropout3D", rate=0.3),
    call("GaussianNoise", stddev=0.5),
    call("GaussianDropout", rate=0.4),
    call("AlphaDropout", rate=0.2),
    call("ActivityRegularization", l1=0.01),
    call("Masking", mask_value=0.0),
    call("Identity"),
    call("RandomFlip"),
    call("RandomRotation", factor=0.2),
    call("RandomZoom", height_factor=0.2),
    call("RandomTranslation", height_factor=0.1, width_factor=0.1),
    call("RandomContrast", factor=0.3),
    call("RandomBrightness", factor=0.2),
]
IDENTITY_RANKS = {"SpatialDropout1D": 2, "SpatialDropout2D": 3, "SpatialDropout3D": 4}


@pytest.mark.parametrize("expr", IDENTITIES, ids=lambda e: e.split("(")[0].removeprefix("layers."))
def test_inference_identities(expr: str) -> None:
    name = expr.split("(")[0].removeprefix("layers.")
    shape = (3, 4, 2, 2)[: IDENTITY_RANKS.get(name, 3)]
    check(Case(expr, [shape]), seed=1)


def test_every_forward_pass_has_a_test() -> None:
    """A new forward pass without a family here would go untested against Keras."""
    tested = {
        "Dense",
        "Discretization",
        "Activation",
        "ReLU",
        "LeakyReLU",
        "ELU",
        "Softmax",
        "PReLU",
        "Conv1D",
        "Conv2D",
        "Conv3D",
        "Conv1DTranspose",
        "Conv2DTranspose",
        "Conv3DTranspose",
        "DepthwiseConv1D",
        "DepthwiseConv2D",
        "SeparableConv1D",
        "SeparableConv2D",
        *(f"{k}Pooling{r}D" for k in ("Max", "Average", "GlobalMax", "GlobalAverage") for r in (1, 2, 3)),
        "BatchNormalization",
        "LayerNormalization",
        "GroupNormalization",
        "UnitNormalization",
        "Flatten",
        "Reshape",
        "Permute",
        "RepeatVector",
        *(f"{k}{r}D" for k in ("Cropping", "ZeroPadding", "UpSampling") for r in (1, 2, 3)),
        "Embedding",
        "SimpleRNN",
        "LSTM",
        "GRU",
        "Bidirectional",
        "TimeDistributed",
        "Add",
        "Subtract",
        "Multiply",
        "Average",
        "Maximum",
        "Minimum",
        "Concatenate",
        "Dot",
        "Rescaling",
        "Normalization",
        "Resizing",
        "CenterCrop",
        "CategoryEncoding",
        *(e.split("(")[0].removeprefix("layers.") for e in IDENTITIES),
    }
    assert set(registry.forward_names()) == tested
