"""Shapes of the tensor operations (`keras.ops`, `tf.*`) that models use: pure arithmetic on shapes."""

from __future__ import annotations

import math
from typing import Any

from kerascheck.shapes import (
    UNKNOWN,
    Shape,
    broadcast_shapes,
    conv_output_length,
    reshape_dims,
)


def patches_shape(shape: Shape, rest: list[Any], keywords: dict[str, Any]) -> Shape | None:
    """`ops.image.extract_patches(images, 6)`: a convolution's output grid with one patch's values as channels."""
    names = ("size", "strides", "dilation_rate", "padding", "data_format")
    given = dict(zip(names, rest))
    if len(rest) > len(names) or set(given) & set(keywords):
        return None
    given.update(keywords)
    size: Any = given.get("size")
    strides: Any = given.get("strides")
    dilation, padding = given.get("dilation_rate", 1), given.get("padding", "valid")
    if isinstance(size, int) and not isinstance(size, bool):
        size = (size, size)
    strides = size if strides is None else (strides, strides) if isinstance(strides, int) else strides
    ok = all(isinstance(v, (tuple, list)) and len(v) == 2 and all(
        isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in v) for v in (size, strides))
    if not ok or dilation != 1 or padding not in ("valid", "same") or given.get("data_format") not in (
            None, "channels_last") or len(shape) not in (3, 4):
        return None  # 3-D patches, dilation, channels_first: not followed
    sides: tuple[Any, ...] = shape[-3:]  # ints or None, as checked below
    batch, (h, w, c) = shape[:-3], sides
    if not all(d is None or isinstance(d, int) for d in (h, w, c)):
        return None
    out = [None if d is None else conv_output_length(d, k, st, padding) for d, k, st in zip((h, w), size, strides)]
    if any(isinstance(d, int) and d <= 0 for d in out):
        return None  # Keras raises
    return (*batch, *out, None if c is None else size[0] * size[1] * c)


def split_shapes(shape: Shape | None, sections: Any, axis: Any) -> list[Shape] | None:
    """`ops.split(x, 2, axis=1)`: equal parts along the axis (Keras raises when they cannot be equal);
    with a list of cut points, the parts between them."""
    if shape is None or not isinstance(axis, int) or isinstance(axis, bool) or not -len(shape) <= axis < len(shape):
        return None
    axis %= len(shape)
    length = shape[axis]
    if isinstance(sections, int) and not isinstance(sections, bool):
        if sections <= 0 or sections > 4096 or length is not None and (not isinstance(length, int) or length % sections):
            return None
        sizes: list[Any] = [None if length is None else length // sections] * sections
    elif isinstance(sections, (list, tuple)) and all(isinstance(c, int) and not isinstance(c, bool) for c in sections):
        if not isinstance(length, int) or len(sections) > 4096:
            return None
        cuts = [0, *[min(max(c, 0), length) for c in sections], length]
        sizes = [max(b - a, 0) for a, b in zip(cuts, cuts[1:])]
    else:
        return None
    return [(*shape[:axis], size, *shape[axis + 1:]) for size in sizes]


def tile_shape(shape: Shape, repeats: Any) -> Shape | None:
    """`ops.tile(x, (batch, 1, 1, 1))`: each axis times its repeat count (the shorter one is padded with 1s)."""
    if isinstance(repeats, int) and not isinstance(repeats, bool):
        repeats = (repeats,)
    if not isinstance(repeats, (tuple, list)) or not all(
            r is None or isinstance(r, int) and not isinstance(r, bool) and r >= 0 for r in repeats):
        return None
    rank = max(len(shape), len(repeats))
    dims = (1,) * (rank - len(shape)) + tuple(shape)
    reps = (1,) * (rank - len(repeats)) + tuple(repeats)
    if not all(d is None or isinstance(d, int) for d in dims):
        return None
    return tuple(None if d is None or r is None else d * r for d, r in zip(dims, reps))


def matmul_shape(a: Shape, b: Shape) -> Shape | None:
    """`ops.matmul(a, b)`: the batch axes broadcast, then (n, k) @ (k, m) is (n, m); vectors as NumPy reads them."""
    if not a or not b:
        return None
    left = (1, *a) if len(a) == 1 else a
    right = (*b, 1) if len(b) == 1 else b
    k1, k2 = left[-1], right[-2]
    if isinstance(k1, int) and isinstance(k2, int) and k1 != k2:
        return None  # Keras raises
    batch = broadcast_shapes(tuple(left[:-2]), tuple(right[:-2]))
    if batch is None:
        return None
    out = (*batch, left[-2], right[-1])
    if len(a) == 1:
        out = out[:-2] + out[-1:]
    if len(b) == 1:
        out = out[:-1]
    return out


def tensordot_shape(a: Shape, b: Shape, axes: Any) -> Shape | None:
    """`ops.tensordot(a, b, axes)`: the axes summed over leave, a's others first, then b's. An integer n
    sums a's last n axes with b's first n; a pair of axis lists names them (their sizes must agree)."""
    if isinstance(axes, int) and not isinstance(axes, bool):
        if not 0 <= axes <= min(len(a), len(b)):
            return None
        summed_a, summed_b = list(range(len(a) - axes, len(a))), list(range(axes))
    elif isinstance(axes, (tuple, list)) and len(axes) == 2:
        lists = [[x] if isinstance(x, int) else list(x) if isinstance(x, (tuple, list)) else None for x in axes]
        if lists[0] is None or lists[1] is None or len(lists[0]) != len(lists[1]):
            return None
        summed_a, summed_b = lists[0], lists[1]
        for axis_list, shape in ((summed_a, a), (summed_b, b)):
            if not all(isinstance(x, int) and not isinstance(x, bool) and -len(shape) <= x < len(shape)
                       for x in axis_list):
                return None
        summed_a, summed_b = [x % len(a) for x in summed_a], [x % len(b) for x in summed_b]
        if len(set(summed_a)) != len(summed_a) or len(set(summed_b)) != len(summed_b):
            return None
    else:
        return None
    for i, j in zip(summed_a, summed_b):
        if isinstance(a[i], int) and isinstance(b[j], int) and a[i] != b[j]:
            return None  # Keras raises
    return (*(d for i, d in enumerate(a) if i not in summed_a), *(d for j, d in enumerate(b) if j not in summed_b))


def depth_to_space_shape(shape: Shape, block: Any, data_format: Any) -> Shape | None:
    """`ops.depth_to_space(x, 3)`: each side grows by the block size, the channels shrink by its square."""
    if len(shape) != 4 or not isinstance(block, int) or isinstance(block, bool) or block < 1:
        return None
    if data_format not in ("channels_last", "channels_first"):
        return None
    dims: tuple[Any, ...] = shape if data_format == "channels_last" else (shape[0], shape[2], shape[3], shape[1])
    b, h, w, c = dims  # h, w, c: ints or None, as checked below
    if not all(d is None or isinstance(d, int) for d in (h, w, c)):
        return None
    if c is not None and c % (block * block):
        return None  # Keras raises: the channels must divide by block_size**2
    c = None if c is None else c // (block * block)
    h, w = (None if d is None else d * block for d in (h, w))
    return (b, h, w, c) if data_format == "channels_last" else (b, c, h, w)


def reshape_shape(shape: Shape | None, target: Any) -> Shape | None:
    """`ops.reshape(x, (batch, n, -1))`: the new shape; a None (or unknown) entry is the unknown batch."""
    if not isinstance(target, (tuple, list)) or not target:
        return None
    dims: list[Any] = [None if d is UNKNOWN else d for d in target]
    if not all(d is None or (isinstance(d, int) and not isinstance(d, bool) and d >= -1) for d in dims):
        return None
    if dims.count(-1) > 1 or any(d is None for d in dims[1:]):
        return None
    if -1 not in dims:
        return tuple(dims)
    if shape is not None and dims[0] == -1 and shape[0] is None and -1 not in dims[1:]:
        # `ops.reshape(x, (-1, h, w, 3, 3, c))`: the -1 takes the place of the batch, still unknown
        rest, target = shape[1:], dims[1:]
        if not all(isinstance(d, int) for d in rest) or 0 in target:
            return None
        return (None, *target) if math.prod(rest) % math.prod(target) == 0 else None  # type: ignore[arg-type]
    if shape is None or dims[0] is not None and shape[0] != dims[0]:
        return None
    # With the batch left unknown, the -1 is worked out from the other axes.
    batch, rest, target = (dims[:1], shape[1:], dims[1:]) if dims[0] is None else ([], shape, dims)
    if not all(isinstance(d, int) for d in rest):
        return None
    filled = reshape_dims(math.prod(rest), target)  # type: ignore[arg-type]
    return None if filled is None else (*batch, *filled)  # None: Keras raises, the sizes do not fit


def pad_shape(shape: Shape, pad_width: Any) -> Shape | None:
    """`ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]])`: each axis grows by what is added before and after it."""
    if isinstance(pad_width, int) and not isinstance(pad_width, bool):
        pad_width = [[pad_width, pad_width]] * len(shape)
    if not isinstance(pad_width, (tuple, list)) or len(pad_width) != len(shape):
        return None
    out: list[Any] = []
    for d, pair in zip(shape, pad_width):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(
                isinstance(p, int) and not isinstance(p, bool) and p >= 0 for p in pair)):
            return None
        out.append(d + pair[0] + pair[1] if isinstance(d, int) else None)
    return tuple(out)
