"""Recurrent layers and wrappers: SimpleRNN, LSTM, GRU (reset_after both ways), Bidirectional,
TimeDistributed. Zero initial states, inference mode (no dropout), no masks.

`go_backwards` processes the sequence from its end, and with `return_sequences` the outputs stay
in processing order (as Keras's backends return them); Bidirectional flips the backward
sequence back before merging.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kerascheck.execute import registry
from kerascheck.execute.activations import activation_of
from kerascheck.execute.registry import Unsupported, WeightSpec, inner_layer, register
from kerascheck.layers import rnn as rnn_layers
from kerascheck.layers.spec import Args

Array = Any



def _gates(args: Args) -> int:
    gates = args.spec.gates
    if gates is None:
        raise Unsupported(f"`{args.spec.name}` is not a recurrent layer")
    return gates


def _n_states(args: Args) -> int:
    n = args.spec.n_states
    if n is None:
        raise Unsupported(f"`{args.spec.name}` is not a recurrent layer")
    return n


def _rnn_weights(args: Args, x: Any) -> list[WeightSpec]:
    name = args.spec.name
    if isinstance(x, list):  # [sequence, *initial states]
        x = x[0]
    units = args.int("units")
    gates = _gates(args)
    if len(x) != 3:
        raise ValueError(f"`{name}` takes a 3-D input, not {len(x)}-D")
    specs = [
        WeightSpec("kernel", (x[-1], gates * units)),
        WeightSpec("recurrent_kernel", (units, gates * units)),
    ]
    if args.bool("use_bias"):
        if name == "GRU" and args.bool("reset_after"):
            specs.append(WeightSpec("bias", (2, 3 * units), "bias"))
        else:
            specs.append(WeightSpec("bias", (gates * units,), "bias"))
    return specs


def _step_fn(args: Args, weights: list[Array]) -> Any:
    """The cell's step: (x_t, states) -> (output_t, states)."""
    name = args.spec.name
    units = args.int("units")
    act = activation_of(args)
    rec_act = activation_of(args, "recurrent_activation") if name != "SimpleRNN" else None
    use_bias = args.bool("use_bias")
    kernel, recurrent = weights[0], weights[1]
    bias = weights[2] if use_bias else None

    if name == "SimpleRNN":

        def simple(x_t: Array, states: list[Array]) -> tuple[Array, list[Array]]:
            h = np.matmul(x_t, kernel)
            if bias is not None:
                h = h + bias
            out = act(h + np.matmul(states[0], recurrent))
            return out, [out]

        return simple

    if name == "LSTM":

        def lstm(x_t: Array, states: list[Array]) -> tuple[Array, list[Array]]:
            h_tm1, c_tm1 = states
            z = np.matmul(x_t, kernel) + np.matmul(h_tm1, recurrent)
            if bias is not None:
                z = z + bias
            z0, z1, z2, z3 = np.split(z, 4, axis=-1)
            i, f, o = rec_act(z0), rec_act(z1), rec_act(z3)  # type: ignore[misc]
            c = f * c_tm1 + i * act(z2)
            h = o * act(c)
            return h, [h, c]

        return lstm

    reset_after = args.bool("reset_after")
    if bias is None:
        input_bias = recurrent_bias = None
    elif reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]
    else:
        input_bias, recurrent_bias = bias, None

    def gru(x_t: Array, states: list[Array]) -> tuple[Array, list[Array]]:
        (h_tm1,) = states
        matrix_x = np.matmul(x_t, kernel)
        if input_bias is not None:
            matrix_x = matrix_x + input_bias
        x_z, x_r, x_h = np.split(matrix_x, 3, axis=-1)
        if reset_after:
            inner = np.matmul(h_tm1, recurrent)
            if recurrent_bias is not None:
                inner = inner + recurrent_bias
        else:
            inner = np.matmul(h_tm1, recurrent[:, : 2 * units])
        z = rec_act(x_z + inner[:, :units])  # type: ignore[misc]
        r = rec_act(x_r + inner[:, units : 2 * units])  # type: ignore[misc]
        if reset_after:
            rec_h = r * inner[:, 2 * units :]
        else:
            rec_h = np.matmul(r * h_tm1, recurrent[:, 2 * units :])
        hh = act(x_h + rec_h)
        h = z * h_tm1 + (1 - z) * hh
        return h, [h]

    return gru


def run_rnn(
    args: Args, weights: list[Array], x: Array, go_backwards: bool, initial: list[Array] | None = None
) -> tuple[Array, Array, list[Array]]:
    """(last output, all outputs in processing order (batch, time, units), final states)."""
    name = args.spec.name
    if x.ndim != 3:
        raise ValueError(f"`{name}` takes a 3-D input, not {x.ndim}-D")
    units = args.int("units")
    step = _step_fn(args, weights)
    if initial:
        if len(initial) != _n_states(args) or any(s.shape != (x.shape[0], units) for s in initial):
            raise ValueError(f"`{name}` takes {_n_states(args)} initial state(s) of shape {(x.shape[0], units)}")
        states = [s.astype(x.dtype) for s in initial]
    else:
        states = [np.zeros((x.shape[0], units), dtype=x.dtype) for _ in range(_n_states(args))]
    order = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    outputs = []
    out = np.zeros((x.shape[0], units), dtype=x.dtype)
    for t in order:
        out, states = step(x[:, t, :], states)
        outputs.append(out)
    seq = np.stack(outputs, axis=1) if outputs else np.zeros((x.shape[0], 0, units), dtype=x.dtype)
    return out, seq, states


def split_states(x: Any) -> tuple[Array, list[Array]]:
    """A recurrent layer's input: the sequence, or [sequence, *initial states]."""
    if isinstance(x, (list, tuple)):
        return x[0], list(x[1:])
    return x, []


@register(rnn_layers.SimpleRNN, rnn_layers.LSTM, rnn_layers.GRU, weights=_rnn_weights)
def _rnn(args: Args, weights: list[Array], x: Any) -> Any:
    if args.bool("stateful"):
        raise Unsupported("stateful RNN")
    x, initial = split_states(x)
    last, seq, states = run_rnn(args, weights, x, args.bool("go_backwards"), initial)
    out = seq if args.bool("return_sequences") else last
    if args.bool("return_state"):
        return [out, *states]
    return out


# -- wrappers --------------------------------------------------------------------------------------


def _bidirectional_inner(args: Args) -> Any:
    if args.known("backward_layer") is not None:
        raise Unsupported("an explicit backward_layer")
    inner = inner_layer(args)
    if inner.spec.gates is None:
        raise Unsupported(f"Bidirectional around `{inner.spec.name}`")
    return inner


def _bidirectional_weights(args: Args, x: Any) -> list[WeightSpec]:
    inner = _bidirectional_inner(args)
    if isinstance(x, list):
        x = x[0]
    one = _rnn_weights(inner.args, x)
    return [WeightSpec(f"forward_{w.name}", w.shape, w.kind) for w in one] + [
        WeightSpec(f"backward_{w.name}", w.shape, w.kind) for w in one
    ]


@register(rnn_layers.Bidirectional, weights=_bidirectional_weights)
def _bidirectional(args: Args, weights: list[Array], x: Any) -> Any:
    inner = _bidirectional_inner(args)
    x, initial = split_states(x)
    if initial and len(initial) % 2:
        raise ValueError("Bidirectional takes an even number of initial states (forward, then backward)")
    a = inner.args
    if a.bool("stateful"):
        raise Unsupported("stateful RNN")
    mode = args.known("merge_mode")
    if mode not in ("concat", "sum", "mul", "ave", None):
        raise Unsupported(f"merge_mode={mode!r}")
    if a.bool("go_backwards"):
        # Keras makes the backward copy with go_backwards=True and rejects two backward layers.
        raise ValueError("Bidirectional around a layer with go_backwards=True")
    half = len(weights) // 2
    sequences = a.bool("return_sequences")
    n = len(initial) // 2
    f_last, f_seq, f_states = run_rnn(a, weights[:half], x, False, initial[:n])
    b_last, b_seq, b_states = run_rnn(a, weights[half:], x, True, initial[n:])
    y, y_rev = (f_seq, b_seq) if sequences else (f_last, b_last)
    if sequences:
        y_rev = np.flip(y_rev, axis=1)
    if mode == "concat":
        merged: Any = np.concatenate([y, y_rev], axis=-1)
    elif mode == "sum":
        merged = y + y_rev
    elif mode == "ave":
        merged = (y + y_rev) / 2
    elif mode == "mul":
        merged = y * y_rev
    else:
        merged = [y, y_rev]
    if a.bool("return_state"):
        head = merged if isinstance(merged, list) else [merged]
        return [*head, *f_states, *b_states]
    return merged


def _time_distributed_inner(args: Args) -> Any:
    inner = inner_layer(args)
    if getattr(inner, "submodel", None) is not None:
        raise Unsupported("TimeDistributed around a model")
    if registry.lookup(inner.spec.name) is None:
        raise Unsupported(registry.no_forward_reason(inner.spec.name))
    return inner


def _time_distributed_weights(args: Args, x: tuple[int, ...]) -> list[WeightSpec]:
    inner = _time_distributed_inner(args)
    if len(x) < 3:
        raise ValueError(f"`TimeDistributed` takes an at least 3-D input, not {len(x)}-D")
    return registry.weight_specs(inner.spec.name, inner.args, (x[0], *x[2:]))


@register(rnn_layers.TimeDistributed, weights=_time_distributed_weights)
def _time_distributed(args: Args, weights: list[Array], x: Array) -> Array:
    inner = _time_distributed_inner(args)
    if x.ndim < 3:
        raise ValueError(f"`TimeDistributed` takes an at least 3-D input, not {x.ndim}-D")
    b, t = x.shape[:2]
    y = registry.forward(inner.spec.name, inner.args, weights, x.reshape(b * t, *x.shape[2:]))
    if isinstance(y, list):
        raise Unsupported("TimeDistributed around a layer with several outputs")
    return y.reshape(b, t, *y.shape[1:])
