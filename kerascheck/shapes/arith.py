"""Keras's size arithmetic for convolution, pooling and transposed convolution, and NumPy's
broadcasting and basic indexing, which Keras's ops and NumPy arrays share.

Formula for formula what `keras/src/ops/operation_utils.py` and
`keras/src/backend/common/backend_utils.py` compute, on one spatial axis at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kerascheck.shapes.dims import UNKNOWN, Dim, Shape, add, floordiv, mul, sub


def conv_output_length(length: Dim, kernel: int, stride: int, padding: str, dilation: int = 1) -> Dim:
    """valid: (L - d*(k-1) - 1) // s + 1; same and causal: (L - 1) // s + 1."""
    if padding == "valid":
        reach = dilation * (kernel - 1) + 1
        if stride == 1:
            return sub(length, reach - 1)
        return add(floordiv(sub(length, reach), stride), 1)
    if stride == 1:
        return length
    return add(floordiv(sub(length, 1), stride), 1)


def pool_output_length(length: Dim, pool: int, stride: int, padding: str) -> Dim:
    """valid: (L - p) // s + 1; same: (L - 1) // s + 1."""
    if padding == "valid":
        if stride == 1:
            return sub(length, pool - 1)
        return add(floordiv(sub(length, pool), stride), 1)
    if stride == 1:
        return length
    return add(floordiv(sub(length, 1), stride), 1)


def conv_transpose_output_length(
    length: Dim, kernel: int, stride: int, padding: str, output_padding: int | None, dilation: int = 1
) -> Dim:
    """Keras's TensorFlow-style rule for the size a transposed convolution gives back."""
    if length is None:
        return None
    reach = (kernel - 1) * dilation + 1
    if padding == "valid":
        extra = max(reach, stride) - reach if output_padding is None else output_padding
        return add(mul(sub(length, 1), stride), reach + extra)
    if output_padding is None:
        return mul(length, stride)
    return add(mul(sub(length, 1), stride), reach % 2 + output_padding)


def broadcast_shapes(a: Shape, b: Shape) -> Shape | None:
    """NumPy broadcasting of two shapes; None where they do not broadcast (NumPy, and Keras, raise)."""
    if len(a) < len(b):
        a, b = b, a
    out = list(a[: len(a) - len(b)])
    for i, j in zip(a[len(a) - len(b):], b):
        if i == j:
            out.append(i)
        elif i == 1:
            out.append(j)
        elif j == 1:
            out.append(i)
        elif i is None or j is None:
            out.append(None)
        else:
            return None
    return tuple(out)


@dataclass(frozen=True)
class Window:
    """A slice written `i:i + size` (or `i - size:i`) whose start is not known: a window of `size` items.

    A program slices windows so that they fit (`for i in range(len(x) - size)`; NumPy could not stack
    windows of unequal lengths), so the window has its size, where the axis is not known to be shorter.
    """

    size: int


def index_shape(shape: Shape, items: list[Any]) -> Shape | None:
    """The shape of `x[items]` under NumPy's basic indexing (ints, slices, windows, `...`, `None` for a new
    axis); None where it cannot be known or NumPy would raise."""
    if any(item is UNKNOWN for item in items):
        return None
    consumed = sum(1 for item in items if item is not None and item is not Ellipsis)
    if consumed > len(shape) or items.count(Ellipsis) > 1:
        return None
    if Ellipsis in items:
        at = items.index(Ellipsis)
        items = items[:at] + [slice(None)] * (len(shape) - consumed) + items[at + 1:]
    else:
        items = items + [slice(None)] * (len(shape) - consumed)
    out: list[Any] = []
    axis = 0
    for item in items:
        if item is None:
            out.append(1)
            continue
        dim = shape[axis]
        axis += 1
        if isinstance(item, int):
            if isinstance(dim, int) and not -dim <= item < dim:
                return None  # index out of range
            continue
        if isinstance(item, Window):
            if isinstance(dim, int) and dim < item.size:
                return None  # a shorter axis: the window is cut, at a start not known
            out.append(item.size)
        elif item == slice(None):
            out.append(dim)
        elif isinstance(dim, int):
            out.append(len(range(*item.indices(dim))))
        else:
            out.append(None)
    return tuple(out)


def reshape_dims(size: int, dims: tuple[int, ...] | list[int]) -> tuple[int, ...] | None:
    """`dims` for `size` elements with its one -1 filled in, as reshape works it out; None where they do not fit
    (more than one -1, a size that is not a multiple of the others, or a count that differs)."""
    if list(dims).count(-1) > 1:
        return None
    known = 1
    for d in dims:
        if d != -1:
            known *= d
    if -1 in dims:
        if known == 0 or size % known:
            return None
        return tuple(size // known if d == -1 else d for d in dims)
    return tuple(dims) if known == size else None


def reduced_shape(shape: Shape, axis: Any, keepdims: bool) -> Shape | None:
    """`sum`/`mean`/`max`/`min` along `axis` (an int or several): those axes dropped, or kept as 1
    with `keepdims`; None for no axis (every axis), or an axis out of range or repeated (NumPy and
    Keras raise)."""
    rank = len(shape)
    axes = axis if isinstance(axis, (tuple, list)) else (axis,)
    if axis is None or not all(isinstance(a, int) and not isinstance(a, bool) and -rank <= a < rank for a in axes):
        return None
    gone = {a % rank for a in axes}
    if len(gone) != len(axes):
        return None
    return tuple(1 if i in gone else d for i, d in enumerate(shape) if keepdims or i not in gone)


def transposed_shape(shape: Shape, axes: Any) -> Shape | None:
    """`transpose(x, axes)`: the axes in the order given (reversed when None); None unless `axes` is
    a permutation of the axes (NumPy and Keras raise)."""
    rank = len(shape)
    if axes is None:
        return tuple(reversed(shape))
    if not isinstance(axes, (tuple, list)) or not all(
            isinstance(a, int) and not isinstance(a, bool) and -rank <= a < rank for a in axes):
        return None
    order = [a % rank for a in axes]
    if sorted(order) != list(range(rank)):
        return None
    return tuple(shape[i] for i in order)


def fed_shape(declared: tuple[Any, ...], array: tuple[Any, ...]) -> tuple[Any, ...]:
    """Batches of an array (`x_train.shape`, the samples first) as a model declared for `declared` takes
    them: the sample axis becomes the batch axis (None), and Keras adds or drops a trailing axis of 1
    where the ranks differ by one."""
    given = (None, *array[1:])
    if len(given) == len(declared) + 1 and given[-1] == 1:
        return given[:-1]
    if len(given) + 1 == len(declared) and declared[-1] == 1:
        return (*given, 1)
    return given
