"""Reshaping: Flatten, Reshape, Permute, RepeatVector, cropping, zero padding, upsampling."""

from __future__ import annotations

from typing import Any

from kerascheck.explain.base import (
    Explanation,
    arg,
    axis_names,
    brief,
    call_text,
    channels_last,
    dim,
    dot,
    equation,
    explains,
    finish,
    input_of,
    is_int,
    join_formulas,
    maybe,
    output_of,
    plural,
    spatial,
    spatial_rank,
    term,
    times,
)
from kerascheck.layers import reshaping as reshaping_layers
from kerascheck.model import Layer
from kerascheck.shapes import prod


@explains(reshaping_layers.Flatten)
def flatten(layer: Layer) -> Explanation:
    x, y = input_of(layer), output_of(layer)
    meaning = "lays out each sample's values in one long vector"
    how = ""
    if x is not None:
        rest = x[1:]
        if len(rest) >= 1 and all(brief(d) for d in rest):
            meaning = f"lays out each sample's {times(rest)} values in one long vector"
        if len(rest) <= 1:
            how = "the input is already one vector per sample"
        elif y is not None and len(y) == 2:
            if y[1] is None:
                how = "its length is unknown because a size of the input is"
            elif prod(rest) == y[1]:
                how = equation(y[1], dot(rest), "the product of the input's sizes")
    return finish(layer, Explanation(call_text(layer), meaning, how=how))


@explains(reshaping_layers.Reshape)
def reshape(layer: Layer) -> Explanation:
    x, y = input_of(layer), output_of(layer)
    target = arg(layer, "target_shape")
    target_text = _tuple(target)
    total = prod(x[1:]) if x is not None and len(x) > 1 else None
    count = f"{dim(total)} " if total is not None else ""
    meaning = f"rearranges each sample's {count}values as {target_text} (target_shape leaves out the batch axis)"
    how = ""
    if isinstance(target, (tuple, list)) and y is not None and is_int(total):
        if -1 in target:
            known = 1
            for d in target:
                if d != -1 and is_int(d):
                    known *= d
            i = list(target).index(-1)
            if i + 1 < len(y) and is_int(y[i + 1]) and known and total // known == y[i + 1]:
                how = f"-1 takes what is left: {total} / {known} = {y[i + 1]}"
        elif all(is_int(d) for d in target) and prod(tuple(target)) == total and len(target) > 1:
            how = f"{total} = {dot(target)} values, the same number"
    return finish(layer, Explanation(call_text(layer), meaning, how=how))


def _tuple(value: Any) -> str:
    if isinstance(value, (tuple, list)) and all(is_int(v) for v in value):
        return "(" + ", ".join(map(str, value)) + ("," if len(value) == 1 else "") + ")"
    if is_int(value):
        return f"({value},)"
    return "target_shape"


@explains(reshaping_layers.Permute)
def permute(layer: Layer) -> Explanation:
    dims = arg(layer, "dims")
    if isinstance(dims, (tuple, list)) and all(is_int(d) for d in dims):
        if sorted(dims) == [1, 2] and list(dims) == [2, 1]:
            meaning = "swaps axes 1 and 2 of each sample"
        else:
            moves = ", ".join(f"axis {i + 1} ← axis {d}" for i, d in enumerate(dims) if i + 1 != d)
            meaning = f"reorders each sample's axes as {_tuple(dims)}: {moves or 'nothing moves'}"
    else:
        meaning = "reorders each sample's axes as dims says"
    how = "axes count from 1, after the batch axis, which never moves"
    return finish(layer, Explanation(call_text(layer), meaning, how=how))


@explains(reshaping_layers.RepeatVector)
def repeat_vector(layer: Layer) -> Explanation:
    n = arg(layer, "n")
    x = input_of(layer)
    width = f"vector of {plural(x[1], 'value')}" if x is not None and len(x) == 2 else "vector"
    times_text = f"{n} times" if is_int(n) else "n times"
    meaning = f"repeats each sample's {width} {times_text}, stacking the copies on a new axis 1"
    return finish(layer, Explanation(call_text(layer), meaning))


def _pairs(value: Any, rank: int) -> list[tuple[int, int]] | None:
    """Keras's reading of cropping/padding amounts: per axis (before, after)."""
    if is_int(value):
        return [(value, value)] * rank
    if isinstance(value, (tuple, list)):
        if rank == 1 and len(value) == 2 and all(is_int(v) for v in value):
            return [(value[0], value[1])]
        if len(value) == rank:
            out = []
            for v in value:
                if is_int(v):
                    out.append((v, v))
                elif isinstance(v, (tuple, list)) and len(v) == 2 and all(is_int(w) for w in v):
                    out.append((v[0], v[1]))
                else:
                    return None
            return out
    return None


_ENDS = {
    "steps": ("the start", "the end"),
    "rows": ("the top", "the bottom"),
    "columns": ("the left", "the right"),
    "planes": ("the front", "the back"),
}


def _amounts(pairs: list[tuple[int, int]], rank: int, what: str) -> str:
    parts = []
    for name, (lo, hi) in zip(axis_names(rank), pairs, strict=True):
        start, end = _ENDS.get(name, ("one end", "the other"))
        if lo == hi:
            parts.append(f"{lo} {_one(name, lo)} at {start} and at {end}" if lo else "")
        else:
            parts.append(f"{lo} {_one(name, lo)} at {start} and {hi} at {end}")
    kept = [p for p in parts if p]
    return ", ".join(kept) if kept else f"nothing ({what} 0 everywhere)"


def _one(name: str, n: int) -> str:
    return name[:-1] if n == 1 else name


def _spatial_shapes(layer: Layer, rank: int) -> tuple[Any, Any]:
    x, y = input_of(layer), output_of(layer)
    last = channels_last(layer) if layer.args is not None and "data_format" in layer.args.spec.signature.names() else True
    if x is None or y is None or last is None or len(x) != rank + 2 or len(y) != rank + 2:
        return None, None
    return spatial(x, last), spatial(y, last)


@explains(reshaping_layers.Cropping1D, reshaping_layers.Cropping2D, reshaping_layers.Cropping3D)
def cropping(layer: Layer) -> Explanation:
    rank = spatial_rank(layer)
    pairs = _pairs(arg(layer, "cropping"), rank)
    meaning = f"cuts off {_amounts(pairs, rank, 'cropping')}" if pairs else "cuts off the borders cropping says"
    how = ""
    ins, outs = _spatial_shapes(layer, rank)
    if pairs and ins is not None:
        items = []
        for length, (lo, hi), out in zip(ins, pairs, outs, strict=True):
            if length is None or out is None:
                continue
            items.append(equation(out, f"{term(length)} − {lo} − {hi}", f"each size L becomes L − {lo} − {hi}")
                         if lo or hi else "")
        how = join_formulas([i for i in items if i])
    return finish(layer, Explanation(call_text(layer), meaning, how=how))


@explains(reshaping_layers.ZeroPadding1D, reshaping_layers.ZeroPadding2D, reshaping_layers.ZeroPadding3D)
def zero_padding(layer: Layer) -> Explanation:
    rank = spatial_rank(layer)
    pairs = _pairs(arg(layer, "padding"), rank)
    meaning = f"adds zeros around each map: {_amounts(pairs, rank, 'padding')}" if pairs else (
        "adds the borders of zeros padding says")
    if rank == 1 and pairs:
        meaning = f"adds zero steps: {_amounts(pairs, rank, 'padding')}"
    how = ""
    ins, outs = _spatial_shapes(layer, rank)
    if pairs and ins is not None:
        items = []
        for length, (lo, hi), out in zip(ins, pairs, outs, strict=True):
            if length is None or out is None:
                continue
            items.append(equation(out, f"{term(length)} + {lo} + {hi}", f"each size L becomes L + {lo} + {hi}")
                         if lo or hi else "")
        how = join_formulas([i for i in items if i])
    return finish(layer, Explanation(call_text(layer), meaning, how=how))


@explains(reshaping_layers.UpSampling1D, reshaping_layers.UpSampling2D, reshaping_layers.UpSampling3D)
def upsampling(layer: Layer) -> Explanation:
    rank = spatial_rank(layer)
    sizes = maybe(layer.args.ints, "size", rank) if layer.args else None
    if sizes is None:
        meaning = "repeats each position as many times as size says"
    else:
        parts = [f"each {_one(name, 1)} {s} time{'s' if s != 1 else ''}"
                 for name, s in zip(axis_names(rank), sizes, strict=True)]
        if len(set(sizes)) == 1 and rank > 1:
            names = [_one(n, 1) for n in axis_names(rank)]
            parts = [f"each {', '.join(names[:-1])} and {names[-1]} {sizes[0]} time{'s' if sizes[0] != 1 else ''}"]
        meaning = "enlarges each map by repeating " + ", ".join(parts)
        if rank == 1:
            meaning = f"repeats each step {sizes[0]} time{'s' if sizes[0] != 1 else ''}"
    how = ""
    ins, outs = _spatial_shapes(layer, rank)
    if sizes is not None and ins is not None:
        items = [equation(out, f"{term(length)}·{s}", f"each size L becomes L·{s}")
                 for length, s, out in zip(ins, sizes, outs, strict=True)
                 if length is not None and out is not None and s != 1]
        how = join_formulas(items)
    return finish(layer, Explanation(call_text(layer), meaning, how=how))
