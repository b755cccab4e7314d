"""Pooling: windows, strides and padding; global pooling."""

from __future__ import annotations

from kerascheck.explain.base import (
    Explanation,
    call_text,
    channel,
    channels_last,
    dim,
    each_of,
    equation,
    explains,
    finish,
    input_of,
    is_int,
    join_formulas,
    maybe,
    output_of,
    spatial,
    spatial_rank,
    term,
    times,
)
from kerascheck.explain.convolutional import UNKNOWN_SIZES
from kerascheck.layers import pooling as pooling_layers
from kerascheck.model import Layer
from kerascheck.shapes import Dim, pool_output_length

_POOLING = [getattr(pooling_layers, f"{kind}Pooling{rank}D") for kind in ("Max", "Average") for rank in (1, 2, 3)]
_GLOBAL = [getattr(pooling_layers, f"Global{kind}Pooling{rank}D") for kind in ("Max", "Average") for rank in (1, 2, 3)]


def _kind(layer: Layer) -> str:
    return "max" if "Max" in layer.type else "average"


@explains(*_POOLING)
def pooling(layer: Layer) -> Explanation:
    rank = spatial_rank(layer)
    a = layer.args
    pool = maybe(a.ints, "pool_size", rank) if a else None
    raw = a.get("strides") if a else None
    strides = pool if raw is None else (maybe(a.ints, "strides", rank) if a else None)
    padding = maybe(a.padding) if a else None
    last = channels_last(layer)
    x, y = input_of(layer), output_of(layer)
    channels: Dim = channel(x, last) if x is not None and last is not None and len(x) == rank + 2 else None

    if pool is None:
        window = "each window (its size is unknown)"
    elif rank == 1:
        window = f"each {pool[0]} consecutive steps" if strides == pool else f"each window of {pool[0]} steps"
    else:
        window = f"each {times(pool)} {'block' if strides == pool else 'window'}"
    if strides is not None and strides != pool:
        step = strides[0] if len(set(strides)) == 1 else f"({', '.join(map(str, strides))})"
        window += f", moving {step} position{'' if step == 1 else 's'} at a time,"
    meaning = f"takes the {_kind(layer)} of {window} in {each_of(channels, 'channel')}"
    if last is False:
        meaning += " (channels_first: channels come before the spatial axes)"

    how = ""
    if (x is not None and y is not None and last is not None and pool is not None and strides is not None
            and padding is not None and len(x) == len(y) == rank + 2):
        pairs = list(zip(spatial(x, last), pool, strides, spatial(y, last), strict=True))
        unknown = any(length is None and out is None for length, _, _, out in pairs)
        items = [_pool_axis(length, p, s, padding, out) for length, p, s, out in pairs
                 if not (length is None and out is None)]
        if all(i is not None for i in items):
            if items and all(i == "" for i in items):
                kept = join_formulas([dim(d) for d in spatial(x, last) if d is not None])
                why = "same padding" if padding == "same" else "a window of 1 moving 1 at a time"
                how = f"{why} keeps the size{'s' if ',' in kept else ''} {kept}"
            elif items:
                how = join_formulas([i for i in items if i])
                if padding == "same" or strides != pool:
                    how += f" ({padding} padding)"
            if unknown:
                how = (how + "; " if how else "") + UNKNOWN_SIZES
    return finish(layer, Explanation(call_text(layer), meaning, how=how))


def _pool_axis(length: Dim, p: int, s: int, padding: str, out: Dim) -> str | None:
    if length is None or out is None or maybe(pool_output_length, length, p, s, padding) != out:
        return None
    if p == 1 and s == 1:
        return ""  # a window of 1 moving 1 at a time keeps the size
    if padding == "valid":
        if s == p and is_int(length):
            return f"{dim(out)} = {length} // {p}" + (" (rounded down)" if length % p else "")
        if s == 1:
            return equation(out, f"{term(length)} − {p} + 1", f"each size L becomes L − {p} + 1")
        return equation(out, f"({dim(length)} − {p}) // {s} + 1", f"each size L becomes (L − {p}) // {s} + 1")
    if s == 1:
        return ""
    exact = is_int(length) and length % s == 0
    return equation(out, f"{term(length)} / {s}" + ("" if exact else " rounded up"),
                    f"each size L becomes L / {s} rounded up")


@explains(*_GLOBAL)
def global_pooling(layer: Layer) -> Explanation:
    rank = spatial_rank(layer)
    last = channels_last(layer)
    x = input_of(layer)
    keepdims = maybe(layer.args.bool, "keepdims") if layer.args else None
    channels: Dim = None
    where = "all positions" if rank > 1 else "all steps"
    if x is not None and last is not None and len(x) == rank + 2:
        channels = channel(x, last)
        extent = spatial(x, last)
        if all(d is not None for d in extent):
            where = f"all {times(extent)} positions" if rank > 1 else f"all {dim(extent[0])} steps"
    meaning = f"takes the {_kind(layer)} over {where} of {each_of(channels, 'channel')}"
    if keepdims:
        how = "one value per channel; keepdims=True keeps the pooled axes, each of size 1"
    else:
        how = "one value per channel, so a feature map becomes a vector"
    return finish(layer, Explanation(call_text(layer), meaning, how=how))
