"""Attention layers: MultiHeadAttention, Attention, AdditiveAttention."""

from __future__ import annotations

from typing import Any

from kerascheck.explain.base import (
    Explanation,
    call_text,
    dim,
    explains,
    finish,
    is_int,
    maybe,
    params_text,
    plural,
)
from kerascheck.layers import attention as attention_layers
from kerascheck.model import Layer


def _shapes(layer: Layer) -> list[Any] | None:
    xs = layer.input_shape
    if isinstance(xs, list) and xs and all(isinstance(s, tuple) for s in xs):
        return xs
    return None


@explains(attention_layers.MultiHeadAttention)
def multi_head_attention(layer: Layer) -> Explanation:
    a = layer.args
    heads = maybe(a.int, "num_heads") if a else None
    key_dim = maybe(a.int, "key_dim") if a else None
    value_dim = maybe(a.opt_int, "value_dim") if a else None
    value_dim = key_dim if value_dim is None else value_dim
    meaning = (
        f"{plural(heads, 'head')}, each comparing every query step with every value step in a "
        f"{plural(key_dim, 'number')} projection and mixing the values it attends to"
    )
    xs = _shapes(layer)
    how = ""
    params = params_text(layer, None, None)
    if xs is not None and len(xs) >= 2:
        query, value = xs[0], xs[1]
        key = xs[2] if len(xs) > 2 else value
        how = (
            f"one output per query step ({dim(query[1])}), projected back to "
            f"{plural(layer.output_shape[-1] if isinstance(layer.output_shape, tuple) else None, 'feature')}"
        )
        out = layer.output_shape[0] if isinstance(layer.output_shape, list) else layer.output_shape
        use_bias = maybe(a.bool, "use_bias") if a else None
        dims = (query[-1], key[-1], value[-1], out[-1] if isinstance(out, tuple) else None)
        if all(is_int(d) for d in (heads, key_dim, value_dim, *dims)) and use_bias is not None:
            q, k, v, o = dims
            hk, hv = heads * key_dim, heads * value_dim  # type: ignore[operator]
            bias = use_bias is True
            expected = q * hk + k * hk + v * hv + hv * o + ((2 * hk + hv + o) if bias else 0)
            formula = f"query {q}·{hk} + key {k}·{hk} + value {v}·{hv} + output {hv}·{o} weights"
            if bias:
                formula += f" + {2 * hk + hv + o} biases"
            params = params_text(layer, formula, expected)
    return finish(layer, Explanation(call_text(layer), meaning, how=how, params=params))


@explains(attention_layers.Attention, attention_layers.AdditiveAttention)
def attention(layer: Layer) -> Explanation:
    score = "dot product" if layer.type == "Attention" else "additive (Bahdanau-style) score"
    meaning = f"weights the value steps by their {score} with each query step and sums them"
    xs = _shapes(layer)
    how = ""
    if xs is not None and len(xs) >= 2:
        how = f"one output per query step ({dim(xs[0][1])}), with the value's {plural(xs[1][-1], 'feature')}"
    return finish(layer, Explanation(call_text(layer), meaning, how=how, params=params_text(layer, None, None)))
