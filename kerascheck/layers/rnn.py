"""Recurrent layers and wrappers: SimpleRNN, LSTM, GRU, ConvLSTM, Bidirectional, TimeDistributed."""

from __future__ import annotations

from typing import Any, ClassVar

from kerascheck.layers.convolutional import _ConvBase, _spatial
from kerascheck.layers.spec import Args, LayerSpec, RankError, known_dim, register, require_rank, zero_strides
from kerascheck.shapes import Shape, ShapeError, Unknowable, mul

_RNN_COMMON = (
    "kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, activity_regularizer=None, "
    "kernel_constraint=None, recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0"
)
# How every layer that runs over a sequence is called (`lstm(inputs=x)` is a TypeError).
_SEQUENCE_CALL = ("sequences", "initial_state", "mask", "training")


class _RNN(LayerSpec):
    group = "rnn"
    counts = ("units",)
    call_parameters = _SEQUENCE_CALL
    supports_masking = True
    mask_rule = "recurrent"
    gates: ClassVar[int]
    n_states: ClassVar[int]

    def validate(self, a: Args) -> None:
        units = a.known("units")
        if isinstance(units, (int, float)) and not isinstance(units, bool) and units <= 0:
            raise ShapeError(f"`{self.name}` units={units!r} must be a positive integer", kind="argument")

    def output_shape(self, a: Args, x: Shape) -> Shape | list[Shape]:
        require_rank(self.name, x, exact=3)
        units = a.int("units")
        out: Shape = (x[0], x[1], units) if a.bool("return_sequences") else (x[0], units)
        if a.bool("return_state"):
            return [out] + [(x[0], units)] * self.n_states
        return out

    def params(self, a: Args, x: Shape) -> int:
        units = a.int("units")
        n_in = known_dim(x[-1])
        bias = self.gates * units if a.bool("use_bias") else 0
        return self.gates * units * (n_in + units) + bias


@register
class SimpleRNN(_RNN):
    name = "SimpleRNN"
    gates, n_states = 1, 1
    signature_text = (
        "units, activation='tanh', use_bias=True, kernel_initializer='glorot_uniform', "
        "recurrent_initializer='orthogonal', bias_initializer='zeros', " + _RNN_COMMON
        + ", return_sequences=False, return_state=False, go_backwards=False, stateful=False, unroll=False, "
        "seed=None, **kwargs"
    )


@register
class LSTM(_RNN):
    name = "LSTM"
    gates, n_states = 4, 2
    signature_text = (
        "units, activation='tanh', recurrent_activation='sigmoid', use_bias=True, "
        "kernel_initializer='glorot_uniform', recurrent_initializer='orthogonal', bias_initializer='zeros', "
        "unit_forget_bias=True, " + _RNN_COMMON
        + ", seed=None, return_sequences=False, return_state=False, go_backwards=False, stateful=False, "
        "unroll=False, use_cudnn='auto', **kwargs"
    )


@register
class GRU(_RNN):
    name = "GRU"
    gates, n_states = 3, 1
    signature_text = (
        "units, activation='tanh', recurrent_activation='sigmoid', use_bias=True, "
        "kernel_initializer='glorot_uniform', recurrent_initializer='orthogonal', bias_initializer='zeros', "
        + _RNN_COMMON
        + ", seed=None, return_sequences=False, return_state=False, go_backwards=False, stateful=False, "
        "unroll=False, reset_after=True, use_cudnn='auto', **kwargs"
    )

    def params(self, a: Args, x: Shape) -> int:
        units = a.int("units")
        n_in = known_dim(x[-1])
        bias = 0
        if a.bool("use_bias"):
            # reset_after keeps separate input and recurrent biases.
            bias = (6 if a.bool("reset_after") else 3) * units
        return 3 * units * (n_in + units) + bias


class _ConvLSTM(_ConvBase):
    no_forward = "ConvLSTM has no NumPy forward pass"
    convolution = False  # a recurrent layer: its kernels run once per time step
    group = "rnn"
    call_parameters = _SEQUENCE_CALL
    supports_masking = True
    mask_rule = "recurrent"
    strides_with_dilation = True
    strides_allow_zero = True
    positive_filters = False

    def output_shape(self, a: Args, x: Shape) -> Shape | list[Shape]:
        require_rank(self.name, x, exact=self.rank + 3)
        step = (x[0], *x[2:])
        spatial, _ = _spatial(a, step)
        zero_strides(self.name, a.ints("strides", self.rank))
        if None in spatial:
            # Keras raises on a `None` spatial size ("only support static input shapes"); kerascheck
            # also writes sizes it does not know as `None`, so the answer is unknown, not an error.
            raise Unknowable("spatial size")
        out_spatial = self._conv_spatial(a, step, spatial)
        filters = a.int("filters")
        if filters < 0:  # the constructor does not check; the kernel cannot have a negative size
            raise ShapeError(f"`{self.name}` filters={filters} gives its kernel a negative size", kind="argument")
        frame = (*out_spatial, filters) if a.channels_last() else (filters, *out_spatial)
        out: Shape = (x[0], x[1], *frame) if a.bool("return_sequences") else (x[0], *frame)
        if a.bool("return_state"):
            state = (x[0], *frame)
            return [out, state, state]
        return out

    def params(self, a: Args, x: Shape) -> int:
        step = (x[0], *x[2:])
        _, channels = _spatial(a, step)
        filters = a.int("filters")
        kernel = 1
        for k in a.ints("kernel_size", self.rank):
            kernel *= k
        bias = 4 * filters if a.bool("use_bias") else 0
        return kernel * known_dim(channels) * 4 * filters + kernel * filters * 4 * filters + bias


_CONV_LSTM_SIGNATURE = (
    "filters, kernel_size, strides=1, padding='valid', data_format=None, dilation_rate=1, activation='tanh', "
    "recurrent_activation='sigmoid', use_bias=True, kernel_initializer='glorot_uniform', "
    "recurrent_initializer='orthogonal', bias_initializer='zeros', unit_forget_bias=True, " + _RNN_COMMON
    + ", seed=None, return_sequences=False, return_state=False, go_backwards=False, stateful=False, **kwargs"
)


@register
class ConvLSTM1D(_ConvLSTM):
    name = "ConvLSTM1D"
    rank = 1
    signature_text = _CONV_LSTM_SIGNATURE


@register
class ConvLSTM2D(_ConvLSTM):
    name = "ConvLSTM2D"
    rank = 2
    signature_text = _CONV_LSTM_SIGNATURE


@register
class ConvLSTM3D(_ConvLSTM):
    name = "ConvLSTM3D"
    rank = 3
    signature_text = _CONV_LSTM_SIGNATURE


def _inner(a: Args) -> Any:
    """The layer a wrapper wraps: an extracted layer with `.spec` and `.args`, or unknowable."""
    layer = a.known("layer")
    if not hasattr(layer, "spec") or not hasattr(layer, "args"):
        raise Unknowable("layer")
    return layer


def _wrapped_non_trainable(a: Args, x: Any, params: int) -> int:
    """The non-trainable weights of the layer a wrapper holds, on input `x` and with `params` weights."""
    if a.extra.get("trainable") is False:
        return params
    inner = a.known("layer")
    spec, args = getattr(inner, "spec", None), getattr(inner, "args", None)
    if spec is None or args is None or getattr(inner, "trainable", True) is None:
        raise Unknowable("layer")
    if getattr(inner, "trainable", True) is False:
        return params
    return int(spec.non_trainable(args, x, params))


@register
class Bidirectional(LayerSpec):
    name = "Bidirectional"

    def non_trainable(self, a: Args, x: Any, params: int) -> int:
        return 2 * _wrapped_non_trainable(a, x, params // 2)  # a forward and a backward copy

    group = "rnn"
    signature_text = "layer, merge_mode='concat', weights=None, backward_layer=None, **kwargs"
    call_parameters = _SEQUENCE_CALL
    supports_masking = True
    mask_rule = "recurrent"

    def validate(self, a: Args) -> None:
        layer = a.get("layer")
        inner_args = getattr(layer, "args", None)
        if a.get("backward_layer") is None and inner_args is not None and inner_args.get("go_backwards") is True:
            raise ShapeError(
                "`Bidirectional` makes its backward copy with go_backwards=True; the forward layer has it too, "
                "and Keras requires them to differ", kind="argument")

    def output_shape(self, a: Args, x: Shape) -> Shape | list[Shape]:
        inner = _inner(a)
        if not isinstance(inner.spec, (_RNN, _ConvLSTM, RNN)):
            raise Unknowable("layer")
        if a.known("backward_layer") is not None:
            raise Unknowable("backward_layer")
        produced = inner.spec.output_shape(inner.args, x)
        states: list[Shape] = []
        if isinstance(produced, list):
            forward, states = produced[0], produced[1:]
        else:
            forward = produced
        mode = a.known("merge_mode")
        merged: Shape | list[Shape]
        if mode == "concat":
            merged = (*forward[:-1], mul(forward[-1], 2))
        elif mode in ("sum", "mul", "ave"):
            merged = forward
        elif mode is None:
            merged = [forward, forward]
        elif not isinstance(mode, str):
            raise Unknowable("merge_mode")
        else:
            raise ShapeError(f"`Bidirectional` merge_mode={mode!r} is not one of 'sum', 'mul', 'ave', 'concat', None",
                             kind="argument")
        if states:
            head = merged if isinstance(merged, list) else [merged]
            return [*head, *states, *states]
        return merged

    def params(self, a: Args, x: Shape) -> int:
        inner = _inner(a)
        if a.known("backward_layer") is not None:
            raise Unknowable("backward_layer")
        return 2 * int(inner.spec.params(inner.args, x))


@register
class TimeDistributed(LayerSpec):
    name = "TimeDistributed"

    def non_trainable(self, a: Args, x: Any, params: int) -> int:
        if not isinstance(x, tuple) or len(x) < 2:
            raise Unknowable("input")
        return _wrapped_non_trainable(a, (x[0], *x[2:]), params)  # the wrapped layer sees one time step

    group = "rnn"
    signature_text = "layer, **kwargs"
    call_parameters = ("inputs", "training", "mask")
    supports_masking = True

    def output_shape(self, a: Args, x: Shape) -> Shape:
        inner = _inner(a)
        require_rank(self.name, x, min_rank=3)
        try:
            step = inner.spec.output_shape(inner.args, (x[0], *x[2:]))
        except RankError as e:
            # Keras builds the wrapped layer on each step's shape without its input checks, and what
            # it does with a rank the layer cannot take depends on that layer's code: unknown.
            raise Unknowable("layer") from e
        if isinstance(step, list):
            raise Unknowable("layer")
        return (x[0], x[1], *step[1:])

    def params(self, a: Args, x: Shape) -> int:
        inner = _inner(a)
        return int(inner.spec.params(inner.args, (x[0], *x[2:])))


# -- cells and the generic RNN layer --------------------------------------------------------

_CELL_COMMON = (
    "kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None, "
    "recurrent_constraint=None, bias_constraint=None, dropout=0.0, recurrent_dropout=0.0"
)


class _Cell(LayerSpec):
    """One step of a recurrent layer, given to `RNN(cell)`; it is not called on a sequence itself."""

    no_forward = "a cell runs inside the recurrent layer that holds it, not on its own"
    generic_explanation = "a cell is explained with the recurrent layer that runs it"

    group = "rnn"
    counts = ("units",)
    model_layer = False
    call_parameters = ("inputs", "states", "training")
    gates: ClassVar[int]
    n_states: ClassVar[int]

    def validate(self, a: Args) -> None:
        _RNN.validate(self, a)  # type: ignore[arg-type]

    def output_size(self, a: Args) -> int:
        return a.int("units")

    def state_count(self, a: Args) -> int:
        return self.n_states

    def cell_params(self, a: Args, n_in: int) -> int:
        units = a.int("units")
        bias = self.gates * units if a.bool("use_bias") else 0
        return self.gates * units * (n_in + units) + bias

    def params(self, a: Args, x: Shape) -> int:
        """Called on its own (`cell(x, states=state)`), a cell is built for `x` of (batch, features)."""
        if not isinstance(x, tuple) or len(x) != 2:
            raise Unknowable("cell input")
        return self.cell_params(a, known_dim(x[-1]))


@register
class SimpleRNNCell(_Cell):
    name = "SimpleRNNCell"
    gates, n_states = 1, 1
    call_parameters = ("sequence", "states", "training")  # the one cell that names its input otherwise
    signature_text = (
        "units, activation='tanh', use_bias=True, kernel_initializer='glorot_uniform', "
        "recurrent_initializer='orthogonal', bias_initializer='zeros', " + _CELL_COMMON + ", seed=None, **kwargs"
    )


@register
class LSTMCell(_Cell):
    name = "LSTMCell"
    gates, n_states = 4, 2
    signature_text = (
        "units, activation='tanh', recurrent_activation='sigmoid', use_bias=True, "
        "kernel_initializer='glorot_uniform', recurrent_initializer='orthogonal', bias_initializer='zeros', "
        "unit_forget_bias=True, " + _CELL_COMMON + ", seed=None, **kwargs"
    )


@register
class GRUCell(_Cell):
    name = "GRUCell"
    gates, n_states = 3, 1
    signature_text = (
        "units, activation='tanh', recurrent_activation='sigmoid', use_bias=True, "
        "kernel_initializer='glorot_uniform', recurrent_initializer='orthogonal', bias_initializer='zeros', "
        + _CELL_COMMON + ", reset_after=True, seed=None, **kwargs"
    )

    def cell_params(self, a: Args, n_in: int) -> int:
        units = a.int("units")
        bias = (6 if a.bool("reset_after") else 3) * units if a.bool("use_bias") else 0
        return 3 * units * (n_in + units) + bias


def _cells(value: Any) -> list[Any]:
    """The cells of `RNN(cell)`: one cell, a list of cells, or a StackedRNNCells, flattened."""
    if isinstance(value, (list, tuple)):
        found = [c for v in value for c in _cells(v)]
        if not found:
            raise Unknowable("cell")
        return found
    spec = getattr(value, "spec", None)
    args = getattr(value, "args", None)
    if isinstance(spec, StackedRNNCells) and args is not None:
        return _cells(args.known("cells"))
    if not (isinstance(spec, _Cell) or hasattr(spec, "cell_params")) or args is None:
        raise Unknowable("cell")  # a cell class from the analysed file answers `cell_params` itself
    return [value]


@register
class StackedRNNCells(LayerSpec):
    no_forward = "a cell runs inside the recurrent layer that holds it, not on its own"
    generic_explanation = "a cell is explained with the recurrent layer that runs it"
    name = "StackedRNNCells"
    group = "rnn"
    model_layer = False
    # Not declared (`call_parameters` stays None): its `call(inputs, states, training=False, **kwargs)`
    # hands every other keyword on to each of its cells, so whether `trainng=` is a TypeError depends on
    # the cells it was given (the Keras cells reject it, a cell whose `call` takes **kwargs does not).
    signature_text = "cells, **kwargs"


@register
class RNN(LayerSpec):
    no_forward = "`RNN` runs its cell's own code, which the NumPy check does not model"
    name = "RNN"
    group = "rnn"
    signature_text = (
        "cell, return_sequences=False, return_state=False, go_backwards=False, stateful=False, unroll=False, "
        "zero_output_for_mask=False, **kwargs"
    )
    call_parameters = _SEQUENCE_CALL
    supports_masking = True
    mask_rule = "recurrent"

    def output_shape(self, a: Args, x: Shape) -> Shape | list[Shape]:
        cells = _cells(a.known("cell"))
        if len(x) != 3:
            # Keras does not check the rank here; what a cell makes of other ranks is its own affair.
            raise Unknowable("input rank")
        last = cells[-1]
        units = last.spec.output_size(last.args)
        out: Shape = (x[0], x[1], units) if a.bool("return_sequences") else (x[0], units)
        if not a.bool("return_state"):
            return out
        if len(cells) > 1:
            raise Unknowable("return_state")  # Keras nests each cell's states in a list of their own
        return [out] + [(x[0], units)] * last.spec.state_count(last.args)

    def params(self, a: Args, x: Shape) -> int:
        n_in = known_dim(x[-1])
        total = 0
        for cell in _cells(a.known("cell")):
            total += cell.spec.cell_params(cell.args, n_in)
            n_in = cell.spec.output_size(cell.args)
        return total
