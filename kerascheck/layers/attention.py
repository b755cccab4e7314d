"""Attention layers: MultiHeadAttention, Attention, AdditiveAttention."""

from __future__ import annotations

from typing import Any

from kerascheck.layers.spec import Args, LayerSpec, is_plain, known_dim, positive_int, register, require_rank
from kerascheck.shapes import Shape, ShapeError, Unknowable

_INIT_REG = (
    "kernel_initializer='glorot_uniform', bias_initializer='zeros', kernel_regularizer=None, "
    "bias_regularizer=None, activity_regularizer=None, kernel_constraint=None, bias_constraint=None"
)


def _tuple(value: Any) -> tuple[int, ...]:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,)
    if isinstance(value, (tuple, list)) and all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        return tuple(value)
    raise Unknowable("output_shape")


@register
class MultiHeadAttention(LayerSpec):
    no_forward = "`MultiHeadAttention` has no NumPy forward pass"
    name = "MultiHeadAttention"
    group = "attention"
    signature_text = (
        "num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True, output_shape=None, "
        "attention_axes=None, sliding_window=None, flash_attention=None, " + _INIT_REG + ", use_gate=False, "
        "seed=None, **kwargs"
    )
    call_signature_text = (
        "query, value, key=None, query_mask=None, value_mask=None, key_mask=None, attention_mask=None, "
        "return_attention_scores=False, training=None, use_causal_mask=False"
    )
    call_tensors = ("query", "value", "key")
    call_parameters = (
        "query", "value", "key", "query_mask", "value_mask", "key_mask", "attention_mask",
        "return_attention_scores", "training", "use_causal_mask",
    )
    supports_masking = True
    builds_named = ("softmax", "dropout")
    counts = ("num_heads", "key_dim")

    def validate(self, a: Args) -> None:
        positive_int(a, "num_heads")
        positive_int(a, "key_dim")

    def _projected(self, a: Args) -> tuple[int, int, int]:
        heads, key_dim = a.int("num_heads"), a.int("key_dim")
        value_dim = a.opt_int("value_dim")
        return heads, key_dim, key_dim if value_dim is None else value_dim

    def _out_dims(self, a: Args, query: Shape) -> tuple[Any, ...]:
        custom = a.known("output_shape")
        return (query[-1],) if custom is None else _tuple(custom)

    def output_shape(self, a: Args, x: Any) -> Shape | list[Shape]:
        query, value = x["query"], x["value"]
        for shape in (query, value, x.get("key") or value):
            require_rank(self.name, shape, min_rank=3)
        out: Shape = query[:-1] + self._out_dims(a, query)
        if a.call.get("return_attention_scores") is True:
            if a.known("attention_axes") is not None:
                raise Unknowable("attention_axes")
            heads = a.int("num_heads")
            # Keras's symbolic shape for the scores repeats the query's length for the key's.
            length = query[1]
            return [out, (query[0], heads, length, length)]
        if not is_plain(a.call.get("return_attention_scores", False)):
            raise Unknowable("return_attention_scores")
        return out

    def params(self, a: Args, x: Any) -> int:
        if a.known("use_gate"):
            raise Unknowable("use_gate")
        query, value = x["query"], x["value"]
        key = x.get("key") or value
        heads, key_dim, value_dim = self._projected(a)
        bias = a.bool("use_bias")
        projections = (
            known_dim(query[-1]) * heads * key_dim + (heads * key_dim if bias else 0)
            + known_dim(key[-1]) * heads * key_dim + (heads * key_dim if bias else 0)
            + known_dim(value[-1]) * heads * value_dim + (heads * value_dim if bias else 0)
        )
        out_units = 1
        for d in self._out_dims(a, query):
            out_units *= known_dim(d)
        return projections + heads * value_dim * out_units + (out_units if bias else 0)


class _ListAttention(LayerSpec):
    """`Attention()([query, value])` or `([query, value, key])`: the value's features at the query's steps."""

    group = "attention"
    multi_input = True
    call_signature_text = (
        "inputs, mask=None, training=False, return_attention_scores=False, use_causal_mask=False"
    )
    call_tensors = ("inputs",)
    call_parameters = ("inputs", "mask", "training", "return_attention_scores", "use_causal_mask")
    supports_masking = True
    mask_rule = "attention"

    def output_shape(self, a: Args, x: Any) -> Shape | list[Shape]:
        if not isinstance(x, list) or len(x) not in (2, 3):
            count = len(x) if isinstance(x, list) else 1
            raise ShapeError(
                f"`{self.name}` takes a list of 2 or 3 tensors ([query, value] or [query, value, key]), "
                f"not {count}",
                kind="argument",
            )
        query, value = x[0], x[1]
        out: Shape = query[:-1] + value[-1:]
        scores = a.call.get("return_attention_scores", False)
        if scores is True:
            return [out, query[:-1] + value[-2:-1]]
        if not is_plain(scores):
            raise Unknowable("return_attention_scores")
        return out


@register
class Attention(_ListAttention):
    no_forward = "`Attention` has no NumPy forward pass"
    name = "Attention"
    signature_text = "use_scale=False, score_mode='dot', dropout=0.0, seed=None, **kwargs"

    def validate(self, a: Args) -> None:
        mode = a.get("score_mode")
        if is_plain(mode) and mode not in ("dot", "concat"):
            raise ShapeError(
                f"`Attention` score_mode={mode!r} is not one of 'dot', 'concat'", kind="argument"
            )

    def params(self, a: Args, x: Any) -> int:
        return int(bool(a.bool("use_scale"))) + int(a.known("score_mode") == "concat")


@register
class AdditiveAttention(_ListAttention):
    no_forward = "`AdditiveAttention` has no NumPy forward pass"
    name = "AdditiveAttention"
    signature_text = "use_scale=True, dropout=0.0, **kwargs"

    def params(self, a: Args, x: Any) -> int:
        if not a.bool("use_scale"):
            return 0
        return known_dim(x[0][-1])
