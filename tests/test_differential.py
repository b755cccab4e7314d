"""Differential test: the layer catalogue against real Keras, on random models.

Hypothesis draws Sequential stacks across the catalogue (and, separately, merge layers on 2-3
inputs). Keras is the oracle: each drawn layer is constructed and called on a symbolic
`keras.Input`, and we record its output shape, `count_params()` and whether it raised (in the
constructor or in the call). kerascheck then runs `bind`/`validate`/`apply` on the same chain,
and must agree layer for layer: same shape, same parameter count, an error exactly at the layer
where Keras raised and nowhere before. A `None` (unknown) from kerascheck for a layer Keras built
is a failure: every argument combination drawn here is one the catalogue claims to model.

The stack strategy builds each layer in Keras as soon as it is drawn, so the next layer can be
fitted to the shape Keras produced (a Reshape target that factors the element count, groups that
divide the channels, a layer of the right rank). A deliberate share of draws ignores the fit
(wrong rank, too much pooling or cropping, indivisible groups) so that the error paths get tested.

Exclusions, kept as narrow as the cases they cover:
- Not drawn: `Lambda` without `output_shape` (its shape is whatever arbitrary code returns) and
  `Bidirectional(backward_layer=...)` (kerascheck returns unknown for a separate backward layer).
- A `None` size outside the batch axis that Keras needs concrete (to size a weight, or a
  ConvLSTM's spatial axes): Keras raises; kerascheck cannot tell Keras's `None` from a size the
  extractor could not evaluate, so it answers "unknown" instead. It must still not give a fully
  known answer there. See `undefined_size`.
- `TimeDistributed` around a layer whose InputSpec rejects the per-step rank: Keras skips that
  check and then raises or builds a meaningless shape, depending on the wrapped layer's code;
  kerascheck answers "unknown". See `wrapped_rank_rejected`.
"""

from __future__ import annotations

import itertools
import os
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

os.environ["KERAS_BACKEND"] = "numpy"
keras = pytest.importorskip("keras")
hypothesis = pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kerascheck.layers import CATALOGUE, apply, bind, validate  # noqa: E402

SETTINGS = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# -- layer calls, as data ------------------------------------------------------------------


class _Identity:
    """The function of the `Lambda` layers we draw (they always declare `output_shape`)."""

    def __call__(self, t: Any) -> Any:
        return t

    def __repr__(self) -> str:
        return "lambda t: t"


IDENTITY = _Identity()


@dataclass(frozen=True)
class Call:
    """A layer constructor call: `name(*args, **kwargs)`; a wrapped layer is a nested `Call`."""

    name: str
    args: tuple = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    def __repr__(self) -> str:
        parts = [repr(v) for v in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        return f"{self.name}({', '.join(parts)})"


def to_keras(call: Call) -> Any:
    def value(v: Any) -> Any:
        if isinstance(v, list):
            return [value(c) for c in v]
        return to_keras(v) if isinstance(v, Call) else v

    cls = getattr(keras.layers, call.name)
    return cls(*[value(v) for v in call.args], **{k: value(v) for k, v in call.kwargs})


@dataclass(frozen=True)
class Inner:
    """What the wrappers' shape rules read from a wrapped layer: its spec and bound arguments."""

    spec: Any
    args: Any


def to_kerascheck(call: Call) -> tuple[Any, Any, Any]:
    """(spec, args, first constructor error) for `call`, wrapped layers included."""
    error = None

    def value(v: Any) -> Any:
        nonlocal error
        if isinstance(v, list):
            return [value(c) for c in v]
        if not isinstance(v, Call):
            return v
        spec, args, inner_error = to_kerascheck(v)
        error = error or inner_error
        return Inner(spec, args)

    spec = CATALOGUE[call.name]
    args = bind(spec, [value(v) for v in call.args], {k: value(v) for k, v in call.kwargs})
    assert not args.unexpected and not args.too_many_positional, f"bad test call {call!r}"
    return spec, args, error or validate(spec, args)


# -- what Keras does -----------------------------------------------------------------------


def shape_of(t: Any) -> Any:
    if isinstance(t, (list, tuple)):
        return [tuple(x.shape) for x in t]
    return tuple(t.shape)


@dataclass
class Case:
    """A drawn model and Keras's account of it."""

    inputs: list[tuple]  # batch shapes, batch dimension (None) first
    dtype: str
    calls: list[Call] = field(default_factory=list)
    outputs: list[Any] = field(default_factory=list)  # per layer Keras built
    params: list[int] = field(default_factory=list)
    error_at: int | None = None  # index of the layer Keras raised on
    error: str | None = None
    # Layers that are `TimeDistributed(inner)` where `inner`'s InputSpec rejects the step rank.
    unchecked_rank: set[int] = field(default_factory=set)

    def __repr__(self) -> str:
        lines = [f"keras.Input(shape={s[1:]!r}, dtype={self.dtype!r})" for s in self.inputs]
        for i, c in enumerate(self.calls):
            if i < len(self.outputs):
                lines.append(f"{c!r}  # -> {self.outputs[i]}, {self.params[i]} params")
            else:
                lines.append(f"{c!r}  # Keras raises {self.error}")
        return "\n" + "\n".join(lines) + "\n"


def keras_call(case: Case, call: Call, x: Any) -> Any:
    """Construct and call `call` on `x` in Keras; record the result in `case`. None if it raised."""
    case.calls.append(call)
    if call.name == "TimeDistributed" and wrapped_rank_rejected(call, x):
        case.unchecked_rank.add(len(case.calls) - 1)
    try:
        # pytest turns warnings into errors; a warning is not Keras raising.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layer = to_keras(call)
            y = layer(x)
    except Exception as e:  # Keras raises ValueError mostly, but any exception is "Keras raised"
        case.error_at = len(case.calls) - 1
        case.error = f"{type(e).__name__}: {' '.join(str(e).split())[:600]}"
        return None
    case.outputs.append(shape_of(y))
    case.params.append(layer.count_params())
    return y


def wrapped_rank_rejected(call: Call, x: Any) -> bool:
    """Whether the layer `call` wraps, called on its own on one step, fails Keras's rank check.

    `TimeDistributed` builds the wrapped layer on the step shape without calling it, so Keras
    skips that layer's InputSpec: depending on the layer it then raises or builds a meaningless
    shape. kerascheck answers "unknown" there (exclusion, see `check`).
    """
    shape = tuple(x.shape)
    if len(shape) < 3:
        return False
    inner = dict(call.kwargs).get("layer", call.args[0] if call.args else None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            to_keras(inner)(keras.Input(shape=shape[2:]))
    except Exception as e:
        return "is incompatible with the layer" in str(e)
    return False


_built = itertools.count()


def maybe_clear_session() -> None:
    if next(_built) % 25 == 0:
        keras.backend.clear_session()


# -- what kerascheck says, compared --------------------------------------------------------


def normalize(shape: Any) -> Any:
    if isinstance(shape, list):
        return [tuple(s) for s in shape]
    return None if shape is None else tuple(shape)


# Exclusion: Keras raises where it must size something by a `None` dimension (a weight, or a
# ConvLSTM's spatial axes). kerascheck cannot tell Keras's `None` from a size it does not know (the
# extractor writes `Input(shape=(n_features,))` with an unevaluated `n_features` as `None` too), so
# on a non-batch `None` it answers "unknown" (no error, some of shape/params None) instead of a
# false error. It must still never give a fully known answer there. On the batch axis, whose `None`
# is Keras's own, kerascheck must report the error: that case is not excluded.
_UNDEFINED_SIZE = (
    "Shapes used to initialize variables must be fully-defined",
    "should have a defined dimension",
    "must have a known shape",
    "only support static input shapes",
    "should be defined. Found None",
)


def _dot_none_off_batch(message: str, shapes: list[Any]) -> bool:
    """Keras's Dot error "axis values A (at axis i) != B (at axis j)" where the None side's axis is
    not the batch axis of its input."""
    m = re.search(r"axis values (\S+) \(at axis (-?\d+)\) != (\S+) \(at axis (-?\d+)\)", message)
    if m is None or len(shapes) != 2:
        return False
    for value, axis, shape in ((m[1], int(m[2]), shapes[0]), (m[3], int(m[4]), shapes[1])):
        if value == "None" and shape is not None and axis % len(shape) != 0:
            return True
    return False


def undefined_size(case: Case, x: Any) -> bool:
    shapes = x if isinstance(x, list) else [x]
    message = case.error or ""
    none_arithmetic = "unsupported operand type" in message and "'NoneType'" in message
    # `Dot` comparing a size with a None on a non-batch axis (`at axis -1` counts from the end).
    dot_none = _dot_none_off_batch(message, shapes)
    return (none_arithmetic or dot_none or any(m in message for m in _UNDEFINED_SIZE)) and any(
        None in s[1:] for s in shapes
    )


def check(case: Case, first_input: Any) -> None:
    """Run kerascheck along `case.calls` and assert it agrees with Keras at every layer."""
    x = first_input
    for i, call in enumerate(case.calls):
        spec, args, error = to_kerascheck(call)
        where = f"layer {i} `{call!r}` on input {x} in:{case!r}"
        if error is None:
            applied = apply(spec, args, x)
            error = applied.error
        if i in case.unchecked_rank:
            # Exclusion: Keras skips the wrapped layer's rank check; kerascheck must say "unknown"
            # (or report an error where Keras does raise). The chain is unknown from here on.
            assert (error is None and applied.output is None) or (error is not None and case.error_at == i), (
                f"kerascheck says {error.message if error else applied.output}, but Keras skips the wrapped "
                f"layer's rank check: {where}"
            )
            return
        if call.name == "RNN" and isinstance(x, tuple) and len(x) != 3 and error is None and applied.output is None:
            # Exclusion: Keras's generic RNN does not check its input's rank, and what its cell makes
            # of another rank is the cell's affair; kerascheck answers "unknown" (checked: no guess).
            return
        if case.error_at == i:
            if error is None and undefined_size(case, x):
                assert applied.output is None or applied.params is None, (
                    f"Keras raises ({case.error}) but kerascheck knows shape and params: {where}"
                )
                return
            assert error is not None, f"Keras raises ({case.error}) but kerascheck does not: {where}"
            return
        assert error is None, f"kerascheck reports `{error.message}` but Keras builds {where}"
        assert applied.output is not None, f"kerascheck does not know the output shape of {where}"
        assert normalize(applied.output) == case.outputs[i], (
            f"kerascheck says {applied.output}, Keras says {case.outputs[i]}: {where}"
        )
        assert applied.params is not None, f"kerascheck does not know the parameter count of {where}"
        assert applied.params == case.params[i], (
            f"kerascheck counts {applied.params} params, Keras {case.params[i]}: {where}"
        )
        x = applied.output


# -- drawing arguments ---------------------------------------------------------------------


def chance(draw: Callable, percent: int) -> bool:
    """True `percent`% of the time; the draw Hypothesis shrinks towards (0) gives False."""
    return draw(st.integers(0, 99)) >= 100 - percent


def ints(draw: Callable, n: int, lo: int, hi: int, tuple_percent: int = 30) -> Any:
    """An int, or (sometimes) a tuple of `n` ints, as Keras's size arguments take them."""
    if n > 1 and chance(draw, tuple_percent):
        return tuple(draw(st.integers(lo, hi)) for _ in range(n))
    return draw(st.integers(lo, hi))


def pairs(draw: Callable, n: int, lo: int, hi: int) -> Any:
    """Cropping/padding amounts: an int, `n` ints, or `n` (before, after) pairs."""
    form = draw(st.sampled_from(["int", "ints", "pairs"]))
    if form == "int":
        return draw(st.integers(lo, hi))
    if form == "ints" and n > 1:
        return tuple(draw(st.integers(lo, hi)) for _ in range(n))
    if n == 1:
        return (draw(st.integers(lo, hi)), draw(st.integers(lo, hi)))
    return tuple((draw(st.integers(lo, hi)), draw(st.integers(lo, hi))) for _ in range(n))


def data_format(draw: Callable) -> Any:
    return draw(st.sampled_from([None, None, None, "channels_last", "channels_first"]))


def make(draw: Callable, name: str, required: list[tuple[str, Any]], optional: dict[str, Any]) -> Call:
    """A call with the required arguments positional or by keyword, and the optional ones by keyword."""
    n_positional = draw(st.integers(0, len(required))) if required else 0
    args = tuple(v for _, v in required[:n_positional])
    kwargs = tuple(required[n_positional:]) + tuple(
        (k, v) for k, v in optional.items() if v is not _OMIT
    )
    return Call(name, args, kwargs)


_OMIT = object()


def opt(draw: Callable, strategy: st.SearchStrategy, percent: int = 50) -> Any:
    """A value for an optional argument, or `_OMIT` to leave it at its default."""
    return draw(strategy) if chance(draw, percent) else _OMIT


def maybe(draw: Callable, value: Callable[[], Any], percent: int = 50) -> Any:
    """`value()` (drawn only then), or `_OMIT` to leave the argument at its default."""
    return value() if chance(draw, percent) else _OMIT


def divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


def channels(shape: tuple, fmt: Any) -> Any:
    if len(shape) < 2:
        return None
    return shape[1] if fmt == "channels_first" else shape[-1]


# -- layer families: (accepts(shape), draw(shape) -> Call) ----------------------------------

Family = tuple[Callable[[tuple], bool], Callable[[Callable, tuple], Call]]
FAMILIES: dict[str, Family] = {}


def family(name: str, accepts: Callable[[tuple], bool]) -> Callable:
    def register(fn: Callable[[Callable, tuple], Call]) -> Callable:
        FAMILIES[name] = (accepts, fn)
        return fn

    return register


def rank_is(*ranks: int) -> Callable[[tuple], bool]:
    return lambda shape: len(shape) in ranks


def at_least(rank: int) -> Callable[[tuple], bool]:
    return lambda shape: len(shape) >= rank


@family("Dense", at_least(2))
def dense(draw: Callable, shape: tuple) -> Call:
    return make(draw, "Dense", [("units", draw(st.integers(1, 32)))], {
        "activation": opt(draw, st.sampled_from(["relu", "softmax"]), 20),
        "use_bias": opt(draw, st.booleans(), 30),
    })


@family("same-shape", at_least(2))
def same_shape(draw: Callable, shape: tuple) -> Call:
    rank = len(shape)
    axis = st.integers(-rank, rank - 1)
    return draw(st.sampled_from([
        Call("Activation", ("relu",)),
        Call("Identity"),
        Call("Masking", (), (("mask_value", 0.0),)),
        Call("Dropout", (0.5,)),
        Call("AlphaDropout", (0.2,)),
        Call("GaussianDropout", (0.2,)),
        Call("GaussianNoise", (0.1,)),
        Call("ActivityRegularization", (), (("l1", 0.01),)),
        Call("ReLU", (), (("max_value", 6.0),)),
        Call("LeakyReLU"),
        Call("ELU"),
        Call("Softmax", (), (("axis", draw(axis)),)),
        Call("Rescaling", (1 / 255,)),
        Call("Lambda", (IDENTITY,), (("output_shape", shape[1:]),)),
    ]))


@family("PReLU", at_least(2))
def prelu(draw: Callable, shape: tuple) -> Call:
    # Mostly input axes 1.., sometimes 0 or negative ones (Keras indexes the weight's shape with them).
    axes = list(range(1, len(shape))) if chance(draw, 85) else list(range(-len(shape), len(shape) + 1))
    shared = draw(st.one_of(
        st.none(),
        st.sampled_from(axes) if axes else st.none(),
        st.lists(st.sampled_from(axes), min_size=1, max_size=len(axes), unique=True) if axes else st.none(),
    ))
    return make(draw, "PReLU", [], {"shared_axes": shared if shared is not None else _OMIT})


@family("Embedding", at_least(1))
def embedding(draw: Callable, shape: tuple) -> Call:
    return make(draw, "Embedding", [("input_dim", draw(st.integers(1, 50))), ("output_dim", draw(st.integers(1, 16)))],
                {"mask_zero": opt(draw, st.booleans(), 20)})


def _conv(k: int) -> None:
    @family(f"Conv{k}D", rank_is(k + 2))
    def conv(draw: Callable, shape: tuple) -> Call:
        groups = draw(st.sampled_from([1, 1, 1, 2, 3, 4]))
        filters = groups * draw(st.integers(1, 6)) if chance(draw, 90) else draw(st.integers(1, 12))
        fmt = data_format(draw)
        strides = ints(draw, k, 1, 3) if chance(draw, 40) else 1
        dilation = ints(draw, k, 1, 3) if chance(draw, 25) else 1
        paddings = ["valid", "same", "causal"] if k == 1 else ["valid", "same"]
        if chance(draw, 3):
            paddings = ["causal"]  # Keras rejects causal padding above 1D
        name = draw(st.sampled_from([f"Conv{k}D", f"Convolution{k}D"]))
        return make(draw, name, [("filters", filters), ("kernel_size", ints(draw, k, 1, 5))], {
            "strides": strides if strides != 1 else _OMIT,
            "padding": draw(st.sampled_from(paddings)),
            "data_format": fmt if fmt else _OMIT,
            "dilation_rate": dilation if dilation != 1 else _OMIT,
            "groups": groups if groups != 1 else _OMIT,
            "use_bias": opt(draw, st.booleans(), 30),
        })

    @family(f"Conv{k}DTranspose", rank_is(k + 2))
    def conv_transpose(draw: Callable, shape: tuple) -> Call:
        fmt = data_format(draw)
        strides = ints(draw, k, 1, 3) if chance(draw, 50) else 1
        dilation = ints(draw, k, 1, 2) if chance(draw, 20) else 1
        output_padding = ints(draw, k, 0, 2) if chance(draw, 30) else None
        name = draw(st.sampled_from([f"Conv{k}DTranspose", f"Convolution{k}DTranspose"]))
        return make(draw, name, [("filters", draw(st.integers(1, 8))), ("kernel_size", ints(draw, k, 1, 5))], {
            "strides": strides if strides != 1 else _OMIT,
            "padding": draw(st.sampled_from(["valid", "same"])),
            "output_padding": output_padding if output_padding is not None else _OMIT,
            "data_format": fmt if fmt else _OMIT,
            "dilation_rate": dilation if dilation != 1 else _OMIT,
            "use_bias": opt(draw, st.booleans(), 30),
        })

    if k <= 2:
        @family(f"SeparableConv{k}D", rank_is(k + 2))
        def separable(draw: Callable, shape: tuple) -> Call:
            fmt = data_format(draw)
            strides = ints(draw, k, 1, 3) if chance(draw, 40) else 1
            dilation = ints(draw, k, 1, 3) if chance(draw, 20) else 1
            paddings = ["causal"] if chance(draw, 3) else ["valid", "same"]  # Keras rejects causal here
            name = draw(st.sampled_from([f"SeparableConv{k}D", f"SeparableConvolution{k}D"]))
            return make(draw, name, [("filters", draw(st.integers(1, 8))), ("kernel_size", ints(draw, k, 1, 4))], {
                "strides": strides if strides != 1 else _OMIT,
                "padding": draw(st.sampled_from(paddings)),
                "data_format": fmt if fmt else _OMIT,
                "dilation_rate": dilation if dilation != 1 else _OMIT,
                "depth_multiplier": opt(draw, st.integers(1, 3), 40),
                "use_bias": opt(draw, st.booleans(), 30),
            })

        @family(f"DepthwiseConv{k}D", rank_is(k + 2))
        def depthwise(draw: Callable, shape: tuple) -> Call:
            fmt = data_format(draw)
            strides = ints(draw, k, 1, 3) if chance(draw, 40) else 1
            dilation = ints(draw, k, 1, 3) if chance(draw, 20) else 1
            paddings = ["causal"] if chance(draw, 3) else ["valid", "same"]  # Keras rejects causal here
            return make(draw, f"DepthwiseConv{k}D", [("kernel_size", ints(draw, k, 1, 4))], {
                "strides": strides if strides != 1 else _OMIT,
                "padding": draw(st.sampled_from(paddings)),
                "depth_multiplier": opt(draw, st.integers(1, 3), 40),
                "data_format": fmt if fmt else _OMIT,
                "dilation_rate": dilation if dilation != 1 else _OMIT,
                "use_bias": opt(draw, st.booleans(), 30),
            })

    @family(f"Pooling{k}D", rank_is(k + 2))
    def pooling(draw: Callable, shape: tuple) -> Call:
        kind = draw(st.sampled_from(["Max", "Average"]))
        name = draw(st.sampled_from([f"{kind}Pooling{k}D", f"{kind[:3] if kind == 'Max' else 'Avg'}Pool{k}D"]))
        pool = ints(draw, k, 1, 4)
        required = [("pool_size", pool)] if kind == "Average" or chance(draw, 70) else []
        fmt = data_format(draw)
        return make(draw, name, required, {
            "strides": opt(draw, st.one_of(st.none(), st.integers(1, 3)), 40),
            "padding": opt(draw, st.sampled_from(["valid", "same"]), 60),
            "data_format": fmt if fmt else _OMIT,
        })

    @family(f"GlobalPooling{k}D", rank_is(k + 2))
    def global_pooling(draw: Callable, shape: tuple) -> Call:
        kind = draw(st.sampled_from(["Max", "Average"]))
        name = draw(st.sampled_from([f"Global{kind}Pooling{k}D", f"Global{kind[:3] if kind == 'Max' else 'Avg'}Pool{k}D"]))
        fmt = data_format(draw)
        return make(draw, name, [], {"data_format": fmt if fmt else _OMIT, "keepdims": opt(draw, st.booleans(), 40)})

    @family(f"Cropping{k}D", rank_is(k + 2))
    def cropping(draw: Callable, shape: tuple) -> Call:
        fmt = data_format(draw) if k > 1 else None
        return make(draw, f"Cropping{k}D", [], {
            "cropping": maybe(draw, lambda: pairs(draw, k, 0, 4), 90),
            "data_format": fmt if fmt else _OMIT,
        })

    @family(f"ZeroPadding{k}D", rank_is(k + 2))
    def zero_padding(draw: Callable, shape: tuple) -> Call:
        fmt = data_format(draw)
        return make(draw, f"ZeroPadding{k}D", [], {
            "padding": maybe(draw, lambda: pairs(draw, k, 0, 3), 80),
            "data_format": fmt if fmt else _OMIT,
        })

    @family(f"UpSampling{k}D", rank_is(k + 2))
    def upsampling(draw: Callable, shape: tuple) -> Call:
        fmt = data_format(draw) if k > 1 else None
        return make(draw, f"UpSampling{k}D", [], {
            "size": maybe(draw, lambda: ints(draw, k, 1, 3), 70),
            "data_format": fmt if fmt else _OMIT,
        })

    @family(f"SpatialDropout{k}D", rank_is(k + 2))
    def spatial_dropout(draw: Callable, shape: tuple) -> Call:
        fmt = data_format(draw) if k > 1 else None
        return make(draw, f"SpatialDropout{k}D", [("rate", 0.25)], {"data_format": fmt if fmt else _OMIT})

    @family(f"ConvLSTM{k}D", rank_is(k + 3))
    def conv_lstm(draw: Callable, shape: tuple) -> Call:
        return conv_lstm_call(draw, k)


for _k in (1, 2, 3):
    _conv(_k)


def conv_lstm_call(draw: Callable, k: int) -> Call:
    fmt = data_format(draw)
    strides = ints(draw, k, 1, 2) if chance(draw, 30) else 1
    dilation = ints(draw, k, 1, 2) if chance(draw, 20) else 1
    return make(draw, f"ConvLSTM{k}D", [("filters", draw(st.integers(1, 4))), ("kernel_size", ints(draw, k, 1, 3))], {
        "strides": strides if strides != 1 else _OMIT,
        "padding": opt(draw, st.sampled_from(["valid", "same"]), 60),
        "data_format": fmt if fmt else _OMIT,
        "dilation_rate": dilation if dilation != 1 else _OMIT,
        "use_bias": opt(draw, st.booleans(), 20),
        "return_sequences": opt(draw, st.booleans(), 60),
        "return_state": opt(draw, st.booleans(), 20),
    })


def rnn_call(draw: Callable) -> Call:
    name = draw(st.sampled_from(["SimpleRNN", "LSTM", "GRU"]))
    return make(draw, name, [("units", draw(st.integers(1, 16)))], {
        "use_bias": opt(draw, st.booleans(), 20),
        "return_sequences": opt(draw, st.booleans(), 60),
        "return_state": opt(draw, st.booleans(), 20),
        **({"reset_after": opt(draw, st.booleans(), 40)} if name == "GRU" else {}),
    })


@family("RNN", rank_is(3))
def rnn(draw: Callable, shape: tuple) -> Call:
    return rnn_call(draw)


def cell_call(draw: Callable) -> Call:
    name = draw(st.sampled_from(["SimpleRNNCell", "LSTMCell", "GRUCell"]))
    return make(draw, name, [("units", draw(st.integers(1, 12)))], {
        "use_bias": opt(draw, st.booleans(), 20),
        **({"reset_after": opt(draw, st.booleans(), 40)} if name == "GRUCell" else {}),
    })


@family("RNN(cell)", rank_is(3))
def rnn_of_cells(draw: Callable, shape: tuple) -> Call:
    """`RNN(cell)`, `RNN([cells])` or `RNN(StackedRNNCells([cells]))`."""
    how = draw(st.sampled_from(["one", "one", "list", "stacked"]))
    cells = [cell_call(draw) for _ in range(1 if how == "one" else draw(st.integers(1, 3)))]
    cell: Any = cells[0] if how == "one" else cells if how == "list" else Call("StackedRNNCells", (cells,))
    return make(draw, "RNN", [("cell", cell)], {
        "return_sequences": opt(draw, st.booleans(), 60),
        # With several cells Keras nests each cell's states in a list; kerascheck says unknown there.
        "return_state": opt(draw, st.booleans(), 20) if how == "one" else _OMIT,
        "go_backwards": opt(draw, st.booleans(), 10),
    })


@family("Bidirectional", rank_is(3, 4, 5))
def bidirectional(draw: Callable, shape: tuple) -> Call:
    inner = conv_lstm_call(draw, len(shape) - 3) if len(shape) in (4, 5) else rnn_call(draw)
    mode = draw(st.sampled_from(["concat", "concat", "sum", "mul", "ave", None]))
    return make(draw, "Bidirectional", [("layer", inner)], {"merge_mode": mode if mode != "concat" else _OMIT})


# Layers TimeDistributed wraps here: the common ones (Dense, Conv2D) and a few others.
_TIME_DISTRIBUTED = ("Dense", "Conv2D", "Conv1D", "Pooling2D", "Pooling1D", "Flatten", "same-shape",
                     "GlobalPooling2D", "Conv2DTranspose", "DepthwiseConv2D", "ZeroPadding2D")


@family("TimeDistributed", at_least(3))
def time_distributed(draw: Callable, shape: tuple) -> Call:
    step = (shape[0], *shape[2:])
    fitting = [n for n in _TIME_DISTRIBUTED if FAMILIES[n][0](step)]
    name = draw(st.sampled_from(fitting if fitting and chance(draw, 90) else list(_TIME_DISTRIBUTED)))
    inner = FAMILIES[name][1](draw, step)
    return make(draw, "TimeDistributed", [("layer", inner)], {})


@family("Flatten", at_least(1))
def flatten(draw: Callable, shape: tuple) -> Call:
    fmt = data_format(draw)
    return make(draw, "Flatten", [], {"data_format": fmt if fmt else _OMIT})


@family("Reshape", at_least(1))
def reshape(draw: Callable, shape: tuple) -> Call:
    dims = shape[1:]
    if all(isinstance(d, int) and d > 0 for d in dims) and chance(draw, 90):  # a 0-sized axis has no divisors
        size = 1
        for d in dims:
            size *= d
        target = []
        for _ in range(draw(st.integers(1, 3)) - 1):
            f = draw(st.sampled_from(divisors(size)))
            target.append(f)
            size //= f
        target.append(size)
        target = draw(st.permutations(target))
        if chance(draw, 30):
            target[draw(st.integers(0, len(target) - 1))] = -1
        if chance(draw, 5):
            target[0] += 1  # the element counts no longer match
    else:
        target = draw(st.lists(st.sampled_from([-1, 1, 2, 3, 4, 6, 8]), min_size=1, max_size=3))
    return make(draw, "Reshape", [("target_shape", tuple(target))], {})


@family("Permute", at_least(2))
def permute(draw: Callable, shape: tuple) -> Call:
    n = len(shape) - 1 if chance(draw, 95) else draw(st.integers(1, 4))
    return make(draw, "Permute", [("dims", tuple(draw(st.permutations(range(1, n + 1)))))], {})


@family("RepeatVector", rank_is(2))
def repeat_vector(draw: Callable, shape: tuple) -> Call:
    return make(draw, "RepeatVector", [("n", draw(st.integers(1, 6)))], {})


def _axis(draw: Callable, rank: int, percent_list: int = 0) -> Any:
    """A normalization axis: usually a valid one, sometimes a list, rarely out of range."""
    valid = st.integers(-rank + 1, rank - 1).filter(lambda a: a != 0) if rank > 1 else st.just(-1)
    if chance(draw, 5):
        return draw(st.sampled_from([0, -rank, rank, -rank - 1]))
    if percent_list and rank > 2 and chance(draw, percent_list):
        axes = draw(st.lists(st.integers(1, rank - 1), min_size=1, max_size=rank - 1, unique=True))
        return sorted(axes) if chance(draw, 70) else axes
    return draw(valid)


@family("BatchNormalization", at_least(2))
def batch_normalization(draw: Callable, shape: tuple) -> Call:
    return make(draw, "BatchNormalization", [], {
        "axis": maybe(draw, lambda: _axis(draw, len(shape)), 30),
        "center": opt(draw, st.booleans(), 20),
        "scale": opt(draw, st.booleans(), 20),
        "renorm": opt(draw, st.booleans(), 15),
    })


@family("LayerNormalization", at_least(2))
def layer_normalization(draw: Callable, shape: tuple) -> Call:
    return make(draw, "LayerNormalization", [], {
        "axis": maybe(draw, lambda: _axis(draw, len(shape), 40), 40),
        "center": opt(draw, st.booleans(), 20),
        "scale": opt(draw, st.booleans(), 20),
    })


@family("UnitNormalization", at_least(2))
def unit_normalization(draw: Callable, shape: tuple) -> Call:
    return make(draw, "UnitNormalization", [], {
        "axis": maybe(draw, lambda: _axis(draw, len(shape), 40), 40),
    })


@family("GroupNormalization", at_least(2))
def group_normalization(draw: Callable, shape: tuple) -> Call:
    axis = draw(st.sampled_from([-1, -1, -1, 1]))
    c = shape[axis] if axis < len(shape) else None  # next_layer now and then offers any shape
    if chance(draw, 8):
        groups = -1  # one group per channel
    elif isinstance(c, int) and c > 0 and chance(draw, 85):
        groups = draw(st.sampled_from(divisors(c)))
    else:
        groups = draw(st.integers(1, 8))
    return make(draw, "GroupNormalization", [], {
        "groups": groups,
        "axis": axis if axis != -1 else _OMIT,
        "center": opt(draw, st.booleans(), 20),
        "scale": opt(draw, st.booleans(), 20),
    })


@family("Normalization", at_least(2))
def normalization(draw: Callable, shape: tuple) -> Call:
    axis = draw(st.sampled_from([-1, -1, None, 1, (1, -1)] if len(shape) > 2 else [-1, None, 1]))
    if chance(draw, 4):
        axis = draw(st.sampled_from([0, len(shape), -len(shape) - 1]))
    given = chance(draw, 30)
    return make(draw, "Normalization", [], {
        "axis": axis if axis != -1 else _OMIT,
        "mean": 0.5 if given else _OMIT,
        "variance": 2.0 if given else _OMIT,
    })


@family("CategoryEncoding", at_least(1))
def category_encoding(draw: Callable, shape: tuple) -> Call:
    # Keras's constructor rejects unknown modes, and reads the old name "binary" as "multi_hot".
    modes = ["multi_hot", "one_hot", "count", "binary"] if chance(draw, 95) else ["int", "ONE_HOT", None]
    return make(draw, "CategoryEncoding", [("num_tokens", draw(st.integers(1, 12)))], {
        "output_mode": opt(draw, st.sampled_from(modes), 80),
    })


@family("image", rank_is(3, 4))
def image(draw: Callable, shape: tuple) -> Call:
    fmt = data_format(draw)
    fmt_kw = {"data_format": fmt if fmt else _OMIT}
    name = draw(st.sampled_from(["Resizing", "CenterCrop", "RandomCrop", "RandomFlip", "RandomRotation",
                                 "RandomZoom", "RandomTranslation", "RandomContrast", "RandomBrightness"]))
    size = [("height", draw(st.integers(1, 30))), ("width", draw(st.integers(1, 30)))]
    if name in ("Resizing", "CenterCrop", "RandomCrop"):
        return make(draw, name, size, fmt_kw)
    if name == "RandomFlip":
        return make(draw, name, [], fmt_kw)
    if name == "RandomTranslation":
        return make(draw, name, [("height_factor", 0.1), ("width_factor", 0.1)], fmt_kw)
    if name == "RandomZoom":
        return make(draw, name, [("height_factor", 0.1)], fmt_kw)
    if name == "RandomRotation":
        return make(draw, name, [("factor", 0.1)], fmt_kw)
    return make(draw, name, [("factor", 0.1)], {})


# -- models --------------------------------------------------------------------------------

_MAX_SIZE = {1: 40, 2: 40, 3: 40, 4: 24, 5: 10, 6: 7}


@st.composite
def input_shapes(draw: Callable, rank: int | None = None) -> tuple:
    """A batch input shape: `None` first, then small sizes, now and then an unknown (None) one."""
    if rank is None:
        rank = draw(st.sampled_from([3, 4, 2, 3, 4, 5, 2, 3, 4, 5, 6, 1]))
    dims = tuple(
        None if chance(draw, 6) else draw(st.integers(1, _MAX_SIZE[rank])) for _ in range(rank - 1)
    )
    return (None, *dims)


@st.composite
def sequential_cases(draw: Callable, first_family: str | None = None) -> Case:
    """A Sequential stack of 1-5 layers, built in Keras layer by layer as it is drawn.

    With `first_family`, the first layer comes from that family, on an input of a rank it takes.
    """
    maybe_clear_session()
    if first_family is None:
        shape = draw(input_shapes())
        first = draw(next_layer(shape))
    else:
        accepts, make_layer = FAMILIES[first_family]
        ranks = [r for r in _MAX_SIZE if accepts((None,) * r)]
        shape = draw(input_shapes(draw(st.sampled_from(ranks))))
        first = make_layer(draw, shape)
        if chance(draw, 4):
            first = spoil(draw, first)
    dtype = "int32" if first.name in ("Embedding", "CategoryEncoding") else "float32"
    case = Case([shape], dtype)
    x = keras.Input(shape=shape[1:], dtype=dtype)
    n = draw(st.integers(1, 5))
    call = first
    for i in range(n):
        if i:
            call = draw(next_layer(tuple(x.shape)))
        x = keras_call(case, call, x)
        if x is None or isinstance(x, (list, tuple)):  # an error, or several outputs: the stack ends
            break
    return case


@st.composite
def next_layer(draw: Callable, shape: tuple) -> Call:
    """A layer that fits `shape` (its rank), or now and then any layer at all."""
    fitting = sorted(name for name, (accepts, _) in FAMILIES.items() if accepts(shape))
    names = fitting if fitting and chance(draw, 90) else sorted(FAMILIES)
    call = FAMILIES[draw(st.sampled_from(names))][1](draw, shape)
    return spoil(draw, call) if chance(draw, 4) else call


# Size-like arguments `spoil` may set to 0 or -1 (Keras's constructors reject most of them).
_SIZES = ("units", "filters", "kernel_size", "strides", "dilation_rate", "depth_multiplier", "groups",
          "pool_size", "size", "n", "input_dim", "output_dim", "output_padding", "cropping", "padding",
          "num_tokens")


def spoil(draw: Callable, call: Call) -> Call:
    """`call` with one size-like argument made zero or negative."""
    names = CATALOGUE[call.name].signature.names()
    given = [(names[i], i, v) for i, v in enumerate(call.args)] + [(k, None, v) for k, v in call.kwargs]
    candidates = [(k, i) for k, i, v in given if k in _SIZES and isinstance(v, (int, tuple))]
    if not candidates:
        return call
    key, index = draw(st.sampled_from(candidates))
    bad = draw(st.sampled_from([0, -1]))
    if index is not None:
        return Call(call.name, tuple(bad if j == index else v for j, v in enumerate(call.args)), call.kwargs)
    return Call(call.name, call.args, tuple((k, bad if k == key else v) for k, v in call.kwargs))


@given(sequential_cases())
@settings(SETTINGS, max_examples=300)
def test_sequential_stacks_agree_with_keras(case: Case) -> None:
    check(case, case.inputs[0])


@pytest.mark.parametrize("family", sorted(FAMILIES))
@given(data=st.data())
@settings(SETTINGS, max_examples=12)
def test_each_layer_family_agrees_with_keras(family: str, data: st.DataObject) -> None:
    """Every family, every run: a stack whose first layer is from `family`."""
    case = data.draw(sequential_cases(family), label="model")
    check(case, case.inputs[0])


# -- merge layers --------------------------------------------------------------------------

_MERGE = ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate", "Dot")


@st.composite
def merge_inputs(draw: Callable) -> list[tuple]:
    """2-3 input shapes: equal, broadcastable, differing on an axis, or of different rank."""
    base = draw(input_shapes(draw(st.sampled_from([2, 3, 3, 4]))))
    shapes = [base]
    for _ in range(draw(st.sampled_from([1, 1, 2, 0]))):
        how = draw(st.sampled_from(["same", "same", "one", "change", "change", "rank", "none"]))
        s = list(base)
        if len(s) > 1:
            i = draw(st.integers(1, len(s) - 1))
            if how == "one":
                s[i] = 1
            elif how == "change":
                s[i] = draw(st.integers(1, 12))
            elif how == "none":
                s[i] = None
            elif how == "rank":
                s = s[:-1] if len(s) > 2 and chance(draw, 50) else [*s, draw(st.integers(1, 5))]
        shapes.append(tuple(s))
    return shapes


@st.composite
def merge_cases(draw: Callable) -> Case:
    maybe_clear_session()
    shapes = draw(merge_inputs())
    name = draw(st.sampled_from(_MERGE))
    rank = len(shapes[0])
    if name == "Concatenate":
        call = make(draw, name, [], {"axis": opt(draw, st.integers(-rank, rank - 1), 70)})
    elif name == "Dot":
        axis = st.integers(-rank, rank - 1)
        axes = draw(axis) if chance(draw, 50) else (draw(axis), draw(axis))
        call = make(draw, name, [("axes", axes)], {"normalize": opt(draw, st.booleans(), 20)})
    else:
        call = Call(name)
    case = Case(shapes, "float32")
    keras_call(case, call, [keras.Input(shape=s[1:]) for s in shapes])
    return case


@given(merge_cases())
@settings(SETTINGS, max_examples=200)
def test_merge_layers_agree_with_keras(case: Case) -> None:
    check(case, case.inputs)


# -- attention layers ----------------------------------------------------------------------


@st.composite
def attention_cases(draw: Callable) -> tuple[str, Call, dict[str, tuple], dict[str, Any], Any, Any]:
    """(layer, constructor call, input shapes by call parameter, call options, Keras's output, params or error)."""
    maybe_clear_session()
    rank = draw(st.sampled_from([3, 3, 4]))
    query = (None, *(draw(st.integers(1, 9)) for _ in range(rank - 1)))
    value = (None, *(draw(st.integers(1, 9)) for _ in range(rank - 2)), draw(st.integers(1, 9)))
    if chance(draw, 20):
        value = (*value[:-1], query[-1])
    name = draw(st.sampled_from(["MultiHeadAttention", "MultiHeadAttention", "Attention", "AdditiveAttention"]))
    options = {"return_attention_scores": True} if chance(draw, 25) else {}
    shapes = {"query": query, "value": value}
    if chance(draw, 30):
        shapes["key"] = (*value[:-1], draw(st.integers(1, 9)))
    if name == "MultiHeadAttention":
        call = make(draw, name, [("num_heads", draw(st.integers(1, 4))), ("key_dim", draw(st.integers(1, 6)))], {
            "value_dim": opt(draw, st.integers(1, 6), 30),
            "use_bias": opt(draw, st.booleans(), 30),
            "output_shape": opt(draw, st.one_of(st.integers(1, 7), st.tuples(st.integers(1, 4), st.integers(1, 4))), 25),
        })
        if options:
            call = Call(call.name, call.args, tuple(kv for kv in call.kwargs if kv[0] != "attention_axes"))
    elif name == "Attention":
        call = make(draw, name, [], {
            "use_scale": opt(draw, st.booleans(), 40),
            "score_mode": opt(draw, st.sampled_from(["dot", "concat"]), 40),
        })
    else:
        call = make(draw, name, [], {"use_scale": opt(draw, st.booleans(), 40)})
    tensors = {k: keras.Input(shape=s[1:]) for k, s in shapes.items()}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layer = to_keras(call)
            if name == "MultiHeadAttention":
                y = layer(tensors["query"], tensors["value"], key=tensors.get("key"), **options)
            else:
                y = layer(list(tensors.values()), **options)
    except Exception as e:
        return name, call, shapes, options, None, f"{type(e).__name__}: {e}"
    return name, call, shapes, options, shape_of(y), layer.count_params()


@given(attention_cases())
@settings(SETTINGS, max_examples=150)
def test_attention_layers_agree_with_keras(case: tuple) -> None:
    name, call, shapes, options, output, params = case
    spec, args, error = to_kerascheck(call)
    args.call.update(options)
    x = shapes if name == "MultiHeadAttention" else list(shapes.values())
    where = f"{call!r} on {shapes} with {options}"
    if output is None:
        assert error is not None or apply(spec, args, x).error is not None, f"Keras raises {params}: {where}"
        return
    assert error is None, f"kerascheck reports {error.message}, Keras builds: {where}"
    applied = apply(spec, args, x)
    assert applied.error is None, f"kerascheck reports {applied.error.message}, Keras builds: {where}"
    assert normalize(applied.output) == output, f"kerascheck {applied.output}, Keras {output}: {where}"
    assert applied.params == params, f"kerascheck {applied.params} params, Keras {params}: {where}"
