"""The small part of NumPy (and of Python's `math`) that model code uses to size its layers, evaluated abstractly.

Scripts size models from arrays: `n_in = len(sequence)`, `Dense(int(np.prod(img_shape)))`,
`Input(shape=x.shape[1:])` with `x = np.random.rand(1000, 20)`. This module follows those
computations with plain Python: an array is its shape (and, for a small literal, its values); a
function outside this subset, or any value that is not known, gives UNKNOWN. Nothing is imported
from NumPy and nothing the file wrote is run.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kerascheck.extract.values import BoundMethod, Module, is_plain
from kerascheck.shapes import UNKNOWN, broadcast_shapes, reduced_shape, reshape_dims, transposed_shape

if TYPE_CHECKING:
    from kerascheck.extract.common import CallSite

MAX_VALUES = 10_000  # a literal array with more elements keeps only its shape
MAX_RANK = 32  # NumPy's own limit is 64; model code never comes close


@dataclass(frozen=True)
class NdArray:
    """A NumPy array: its shape, and its elements in C order when they are known."""

    shape: tuple[int, ...]
    values: tuple[Any, ...] | None = None
    boolean: bool = False  # made by a comparison: as an index it selects, it does not gather
    identity: bool = False  # `np.eye(n)`: indexed by class ids, it one-hot encodes them

    @property
    def size(self) -> int:
        return math.prod(self.shape)


# NumPy functions that change an array's elements in place (`np.random.shuffle(y)`, `rng.shuffle(y)`).
IN_PLACE = frozenset({"shuffle", "copyto", "put", "place", "putmask", "fill_diagonal"})


def forget_values(value: Any, depth: int = 0) -> None:
    """An array that code outside the subset may have changed in place keeps its shape, not its elements.

    The array is changed in place, as NumPy changes it, so every name bound to it forgets too.
    """
    if isinstance(value, NdArray) and value.values is not None:
        object.__setattr__(value, "values", None)
    elif isinstance(value, (list, tuple)) and depth < 3:
        for item in value[:MAX_VALUES]:
            forget_values(item, depth + 1)
    elif isinstance(value, dict) and depth < 3:
        for item in list(value.values())[:MAX_VALUES]:
            forget_values(item, depth + 1)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _dims(value: Any) -> tuple[int, ...] | None:
    """A shape argument: an int or a sequence of non-negative ints."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, (tuple, list)) or len(value) > MAX_RANK:
        return None
    if not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in value):
        return None
    return tuple(value)


def _literal(value: Any) -> NdArray | None:
    """`np.array([[1, 2], [3, 4]])`: a rectangular nest of lists of numbers."""
    if isinstance(value, NdArray):
        return value
    if _number(value) or isinstance(value, (bool, str)):
        return NdArray((), (value,))
    if not isinstance(value, (tuple, list)):
        return None
    parts = [_literal(v) for v in value]
    if any(p is None for p in parts):
        return None
    shapes = {p.shape for p in parts}  # type: ignore[union-attr]
    if len(shapes) > 1:
        return None  # ragged: NumPy makes an object array (or raises)
    inner = shapes.pop() if shapes else ()
    shape = (len(value), *inner)
    if len(shape) > MAX_RANK:
        return None
    values = None
    if all(p.values is not None for p in parts) and math.prod(shape) <= MAX_VALUES:  # type: ignore[union-attr]
        values = tuple(v for p in parts for v in p.values)  # type: ignore[union-attr]
        if len({isinstance(v, str) for v in values}) > 1:
            values = None  # NumPy turns the numbers into strings
    return NdArray(shape, values)


def _elements(value: Any) -> tuple[Any, ...] | None:
    """The numbers of a known array-like, flattened."""
    array = _literal(value)
    if array is None or array.values is None or not all(_number(v) or isinstance(v, bool) for v in array.values):
        return None
    return array.values


def _sortable(value: Any) -> tuple[Any, ...] | None:
    """The elements of a known array-like of numbers, or of strings, flattened."""
    array = _literal(value)
    if array is None or array.values is None:
        return None
    if all(isinstance(v, str) for v in array.values):
        return array.values
    return _elements(array)


def _reshape(array: NdArray, target: Any) -> NdArray | Any:
    if isinstance(target, int) and not isinstance(target, bool):
        target = (target,)
    if not isinstance(target, (tuple, list)) or len(target) > MAX_RANK:
        return UNKNOWN
    if not all(isinstance(d, int) and not isinstance(d, bool) and d >= -1 for d in target):
        return UNKNOWN
    dims = reshape_dims(array.size, target)
    return UNKNOWN if dims is None else NdArray(dims, array.values)  # None: NumPy raises


_REDUCTIONS: dict[str, Callable[..., Any]] = {"prod": math.prod, "sum": sum, "max": max, "amax": max, "min": min, "amin": min}
_MATH: dict[str, Callable[..., Any]] = {"sqrt": math.sqrt, "log": math.log, "log2": math.log2, "log10": math.log10, "exp": math.exp,
         "floor": lambda x: float(math.floor(x)), "ceil": lambda x: float(math.ceil(x)), "abs": abs}
_BINARY = frozenset({"power", "add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum"})
_STATISTICS = frozenset({"mean", "std", "var", "median", "average", "nanmean", "nanstd"})
_RANDOM_SIZED = {"random", "random_sample", "rand", "randn"}  # sizes as arguments or `size=`


def call(path: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """`numpy.<name>(...)` on abstract values: a number, a tuple, an NdArray or UNKNOWN."""
    name = path.rsplit(".", 1)[-1]
    try:
        if ".random." in path:
            return _random(name, positional, keywords)
        if ".fft." in path:
            return _fft(name, positional, keywords)
        return _call(name, positional, keywords)
    except (ValueError, TypeError, OverflowError, ZeroDivisionError):
        return UNKNOWN


# NumPy's scalar types: `np.float32(1 / 255)` is a number, `np.float32(x)` of an array an array.
_SCALAR_TYPES = {"float16": float, "float32": float, "float64": float, "double": float, "single": float,
                 "int8": int, "int16": int, "int32": int, "int64": int, "uint8": int, "uint16": int,
                 "uint32": int, "uint64": int, "intc": int, "intp": int}


def _call(name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    first = positional[0] if positional else keywords.get("a", keywords.get("shape", UNKNOWN))
    if name in _SCALAR_TYPES and len(positional) == 1 and not keywords:
        if isinstance(first, NdArray):
            return NdArray(first.shape)
        if _number(first) and (_SCALAR_TYPES[name] is float or isinstance(first, int)):
            return float(first) if _SCALAR_TYPES[name] is float else first
        return UNKNOWN
    if name in ("array", "asarray") and (len(positional) == 1 or len(positional) == 2 and isinstance(positional[1], str)):
        array = _literal(first)
        if array is None:
            return UNKNOWN
        # `np.array(rows, "float32")`: a dtype may change the values, never the shape
        return NdArray(array.shape) if "dtype" in keywords or len(positional) == 2 else array
    if name in ("zeros", "ones", "empty", "full"):
        dims = _dims(first)
        return UNKNOWN if dims is None else NdArray(dims)
    if name in ("zeros_like", "ones_like", "empty_like", "full_like") and isinstance(first, NdArray):
        return NdArray(first.shape)
    if name == "arange" and 1 <= len(positional) <= 3 and set(keywords) <= {"dtype"}:
        if not all(isinstance(p, int) and not isinstance(p, bool) for p in positional):
            return UNKNOWN
        numbers = range(*positional)
        if len(numbers) > MAX_VALUES or keywords:
            return NdArray((len(numbers),))  # a dtype changes the values' type: only the length is kept
        return NdArray((len(numbers),), tuple(numbers))
    if name == "linspace":
        return _linspace(positional, keywords)
    if name == "reshape" and len(positional) == 2 and isinstance(first, NdArray):
        return _reshape(first, positional[1])
    if name == "expand_dims" and isinstance(first, NdArray):
        axis = keywords.get("axis", positional[1] if len(positional) > 1 else UNKNOWN)
        rank = len(first.shape) + 1
        if not isinstance(axis, int) or isinstance(axis, bool) or not -rank <= axis < rank:
            return UNKNOWN
        shape = list(first.shape)
        shape.insert(axis % rank, 1)
        return NdArray(tuple(shape), first.values)
    if name in ("swapaxes", "moveaxis", "transpose") and isinstance(first, NdArray) and not keywords:
        return _axes_moved(name, first, positional[1:])
    if name == "shape" and isinstance(first, NdArray):
        return first.shape
    if name in ("size", "ndim") and isinstance(first, NdArray) and len(positional) == 1:
        return first.size if name == "size" else len(first.shape)
    if name in ("cumsum", "cumprod") and len(positional) == 1 and set(keywords) <= {"axis"} and isinstance(first, NdArray):
        axis = keywords.get("axis")
        if axis is None:
            return NdArray((first.size,))  # flattened
        rank = len(first.shape)
        return NdArray(first.shape) if isinstance(axis, int) and not isinstance(axis, bool) and -rank <= axis < rank else UNKNOWN
    if name == "eye" and 1 <= len(positional) <= 2 and set(keywords) <= {"M", "k", "dtype"}:
        n = positional[0]
        m = keywords.get("M", positional[1] if len(positional) > 1 else n)
        dims = _dims((n, m)) if m is not None else None
        return UNKNOWN if dims is None else NdArray(dims, identity=n == m and keywords.get("k", 0) == 0)
    if name in _BINARY and len(positional) == 2 and set(keywords) <= {"dtype"}:
        return broadcast(positional[0], positional[1])  # `np.power(degrees, -0.5)`: element by element
    if (name in _REDUCTIONS or name in _STATISTICS) and isinstance(first, NdArray) and 1 <= len(positional) <= 2 and (
            len(positional) == 2 or "axis" in keywords) and set(keywords) <= {"axis", "keepdims"}:
        return _reduced(first, keywords.get("axis", positional[1] if len(positional) > 1 else None),
                        keywords.get("keepdims", False))
    if name in _STATISTICS and len(positional) == 1 and not keywords and isinstance(first, NdArray) and first.size:
        return NdArray(())  # `x.mean()`: one number, its value not followed
    if name in _REDUCTIONS and len(positional) == 1 and not keywords:
        values = _elements(first)
        if values is None and isinstance(first, NdArray) and first.values is None and first.size:
            return NdArray(())  # `x.min()` of elements not followed: one number, its value unknown
        if values is None or (not values and name not in ("prod", "sum")):
            return UNKNOWN
        if not values:
            return 1.0 if name == "prod" else 0.0  # NumPy's empty product and sum are floats
        result = _REDUCTIONS[name](values)
        if isinstance(result, int) and result.bit_length() > 62:
            return UNKNOWN  # int64 overflow: NumPy wraps around
        return result
    if name in _MATH and len(positional) == 1 and not keywords and _number(first):
        return _MATH[name](first)
    if name in _UFUNCS and len(positional) == 1 and not keywords and isinstance(first, NdArray):
        return NdArray(first.shape)  # element by element: the same shape
    if name == "clip" and len(positional) == 3 and not keywords and isinstance(first, NdArray):
        bounds = broadcast(positional[1] if positional[1] is not None else 0, positional[2] if positional[2] is not None else 0)
        return broadcast(first, bounds) if bounds is not UNKNOWN else UNKNOWN  # `np.clip(x, 0, 1)`
    if name == "repeat" and len(positional) == 2 and not keywords:
        array, times = _literal(first), positional[1]
        if array is None or len(array.shape) != 1 or not isinstance(times, int) or isinstance(times, bool) or times < 0:
            return UNKNOWN  # only a vector repeated a number of times (an axis or a count per element: not followed)
        values = None
        if array.values is not None and array.size * times <= MAX_VALUES:
            values = tuple(v for v in array.values for _ in range(times))
        return NdArray((array.size * times,), values)
    if name in ("split", "array_split") and 2 <= len(positional) <= 3 and set(keywords) <= {"axis"}:
        return _split(name, first, positional[1], keywords.get("axis", positional[2] if len(positional) > 2 else 0))
    if name in _WINDOWS and len(positional) == _WINDOWS[name] and not keywords:
        count = positional[0]
        return NdArray((count,)) if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else UNKNOWN
    if name in ("stack", "concatenate", "vstack", "hstack", "column_stack") and len(positional) == 1 and set(
            keywords) <= ({"axis"} if name in ("stack", "concatenate") else set()):
        return _join(name, positional[0], keywords.get("axis", 0))
    if name == "unique" and len(positional) == 1 and not keywords:
        values = _sortable(first)
        if values is None or any(v != v for v in values):
            return UNKNOWN  # NaN: NumPy's equal_nan rules are not followed
        uniques = tuple(sorted(set(values)))  # NumPy sorts; equal ints and floats count once, as in NumPy
        return NdArray((len(uniques),), uniques)
    if name == "where" and len(positional) == 3 and not keywords:
        common: Any = ()
        for operand in positional:
            common = broadcast(NdArray(common), operand)
            if common is UNKNOWN:
                return UNKNOWN
            common = common.shape
        return NdArray(common)
    return UNKNOWN


def _linspace(positional: list[Any], keywords: dict[str, Any]) -> NdArray | Any:
    """`np.linspace(0.0, 0.1, 4)`: `num` numbers, computed as NumPy does (`start + i * step`, the last one `stop`)
    when the ends are numbers (a DeiT's stochastic-depth rates: the first, 0.0, adds no layer)."""
    args = dict(zip(("start", "stop", "num"), positional))
    args.update(keywords)
    num = args.get("num", 50)
    if not isinstance(num, int) or isinstance(num, bool) or num < 0 or len(positional) > 3:
        return UNKNOWN
    start, stop, endpoint = args.get("start"), args.get("stop"), args.get("endpoint", True)
    if not (set(args) <= {"start", "stop", "num", "endpoint"} and isinstance(start, (int, float))
            and isinstance(stop, (int, float)) and isinstance(endpoint, bool) and num <= MAX_VALUES):
        return NdArray((num,))
    first, last = float(start), float(stop)
    div = num - 1 if endpoint else num
    delta = last - first
    step = delta / div if div > 0 else math.nan
    values = [(i / div * delta if step == 0 else i * step) + first if div > 0 else first for i in range(num)]
    if endpoint and num > 1:
        values[-1] = last
    return NdArray((num,), tuple(values))


def _reduced(array: NdArray, axis: Any, keepdims: Any) -> NdArray | Any:
    """`adj.sum(1)`, `np.mean(x, axis=(1, 2), keepdims=True)`: the array without (or with 1 along) those axes."""
    shape = reduced_shape(array.shape, axis, keepdims) if isinstance(keepdims, bool) else None
    return UNKNOWN if shape is None else NdArray(shape)  # type: ignore[arg-type]


def _split(name: str, array: Any, sections: Any, axis: Any) -> list[NdArray] | Any:
    """`np.split(train, len(train) / 7)`: that many equal parts along the axis (a list of cut points,
    or parts of unequal size: not followed)."""
    if not isinstance(array, NdArray) or not isinstance(axis, int) or isinstance(axis, bool):
        return UNKNOWN
    if isinstance(sections, float) and sections.is_integer():
        sections = int(sections)  # NumPy takes the int of a whole float
    rank = len(array.shape)
    if not isinstance(sections, int) or isinstance(sections, bool) or sections <= 0 or not -rank <= axis < rank:
        return UNKNOWN
    length = array.shape[axis]
    if length % sections or sections > MAX_VALUES:
        return UNKNOWN  # np.split raises; array_split makes parts of two sizes
    shape = list(array.shape)
    shape[axis] = length // sections
    return [NdArray(tuple(shape)) for _ in range(sections)]


def _axes_moved(name: str, array: NdArray, rest: list[Any]) -> NdArray | Any:
    """`np.swapaxes(a, 0, 1)`, `np.moveaxis(a, 0, -1)`, `np.transpose(a, (1, 0, 2))`: the axes reordered."""
    rank = len(array.shape)

    def axis(v: Any) -> int | None:
        ok = isinstance(v, int) and not isinstance(v, bool) and -rank <= v < rank
        return v % rank if ok else None

    if name == "transpose":
        given = None if not rest else rest[0] if len(rest) == 1 and isinstance(rest[0], (tuple, list)) else rest
        shape = transposed_shape(array.shape, given)
        return UNKNOWN if shape is None else NdArray(shape)  # type: ignore[arg-type]  # None: NumPy raises
    order = list(range(rank))
    if len(rest) == 2:
        a, b = axis(rest[0]), axis(rest[1])
        if a is None or b is None:
            return UNKNOWN
        if name == "swapaxes":
            order[a], order[b] = b, a
        else:
            order.insert(b, order.pop(a))
    else:
        return UNKNOWN
    return NdArray(tuple(array.shape[i] for i in order))


# Window functions of a length (`np.kaiser` also takes its beta): a vector of that length.
_WINDOWS = {"hanning": 1, "hamming": 1, "blackman": 1, "bartlett": 1, "kaiser": 2}


def _join(name: str, arrays: Any, axis: Any) -> NdArray | Any:
    """`np.stack(frames)`, `np.concatenate((a, b), axis=0)`, `np.vstack`, `np.hstack` of known shapes."""
    if not isinstance(arrays, (tuple, list)) or not arrays or not isinstance(axis, int) or isinstance(axis, bool):
        return UNKNOWN
    parts = [_literal(a) for a in arrays]
    if any(p is None for p in parts):
        return UNKNOWN
    shapes = [p.shape for p in parts]  # type: ignore[union-attr]
    if name == "vstack":
        shapes, axis = [s if len(s) >= 2 else (1, *s) if s else (1, 1) for s in shapes], 0
    elif name == "column_stack":
        if any(len(s) == 0 for s in shapes):
            return UNKNOWN
        shapes, axis = [(*s, 1) if len(s) == 1 else s for s in shapes], 1  # vectors become columns
    elif name == "hstack":
        axis = 0 if len(shapes[0]) == 1 else 1
    if name == "stack":
        if len(set(shapes)) != 1:
            return UNKNOWN  # NumPy raises: all input arrays must have the same shape
        rank = len(shapes[0]) + 1
        if not -rank <= axis < rank:
            return UNKNOWN
        stacked = list(shapes[0])
        stacked.insert(axis % rank, len(parts))
        return NdArray(tuple(stacked))
    rank = len(shapes[0])
    if rank == 0 or any(len(s) != rank for s in shapes) or not -rank <= axis < rank:
        return UNKNOWN
    axis %= rank
    if any(s[:axis] + s[axis + 1:] != shapes[0][:axis] + shapes[0][axis + 1:] for s in shapes):
        return UNKNOWN
    shape = (*shapes[0][:axis], sum(s[axis] for s in shapes), *shapes[0][axis + 1:])
    values = None
    if axis == 0 and all(p.values is not None for p in parts) and math.prod(shape) <= MAX_VALUES:  # type: ignore[union-attr]
        values = tuple(v for p in parts for v in p.values)  # type: ignore[union-attr]
    return NdArray(shape, values)


def _fft(name: str, positional: list[Any], keywords: dict[str, Any]) -> NdArray | Any:
    """`np.fft.rfft(frames, n=256)`: the transformed axis (the last one unless `axis=`) changes length."""
    if name not in ("fft", "ifft", "rfft", "irfft") or not positional or not isinstance(positional[0], NdArray):
        return UNKNOWN
    if len(positional) > 3 or set(keywords) - {"n", "axis"}:
        return UNKNOWN
    array = positional[0]
    n = keywords.get("n", positional[1] if len(positional) > 1 else None)
    axis = keywords.get("axis", positional[2] if len(positional) > 2 else -1)
    rank = len(array.shape)
    if not isinstance(axis, int) or isinstance(axis, bool) or not -rank <= axis < rank:
        return UNKNOWN
    length = array.shape[axis]
    if n is None:
        n = 2 * (length - 1) if name == "irfft" else length
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        return UNKNOWN  # NumPy raises on n < 1 (and on an empty axis without n)
    shape = list(array.shape)
    shape[axis] = n // 2 + 1 if name == "rfft" else n
    return NdArray(tuple(shape))


# Element-by-element functions: an array in, an array of the same shape out.
_UFUNCS = frozenset({"sin", "cos", "tan", "tanh", "exp", "log", "log1p", "sqrt", "abs", "absolute", "square",
                     "floor", "ceil", "round", "sign", "negative", "clip"})


def _random(name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    if name in ("rand", "randn"):
        if keywords:
            return UNKNOWN
        dims = _dims(list(positional))
        return UNKNOWN if dims is None else (NdArray(dims) if dims else UNKNOWN)
    if name == "permutation" and len(positional) == 1 and not keywords:
        count = positional[0]
        if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
            return NdArray((count,))  # a shuffled arange(count)
        return NdArray(positional[0].shape[:1]) if isinstance(positional[0], NdArray) and positional[0].shape else UNKNOWN
    size_at = {"random": 0, "random_sample": 0, "normal": 2, "uniform": 2, "randint": 2, "integers": 2,
               "binomial": 2, "poisson": 1, "choice": 1, "standard_normal": 0}.get(name)
    if size_at is None:
        return UNKNOWN
    size = keywords.get("size", positional[size_at] if len(positional) > size_at else None)
    if size is None:
        # one number, its value unknown: a 0-d array, which broadcasts as a scalar does (an integer draw is
        # mostly used as a count, where a number is needed, so it stays unknown)
        return NdArray(()) if name not in ("choice", "randint", "integers", "binomial", "poisson") else UNKNOWN
    dims = _dims(size)
    return UNKNOWN if dims is None else NdArray(dims)


def attribute(array: NdArray, attr: str) -> Any:
    """`x.shape`, `x.ndim`, `x.size`, `x.T`; methods are handled by `method`."""
    if attr == "shape":
        return array.shape
    if attr == "ndim":
        return len(array.shape)
    if attr == "size":
        return array.size
    if attr == "T":
        return NdArray(tuple(reversed(array.shape)))
    return UNKNOWN


MUTATORS = frozenset({"sort", "fill", "put", "itemset", "resize", "partition", "byteswap"})
METHODS = frozenset({"reshape", "astype", "copy", "flatten", "ravel", "squeeze", "transpose", "swapaxes", "sum", "prod",
                     "max", "min", "mean", "std", "var", "cumsum", "cumprod"})


def method(array: NdArray, name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """`x.reshape((1, n, 1))`, `x.astype("float32")`, ..."""
    try:
        return _method(array, name, positional, keywords)
    except (ValueError, TypeError, OverflowError, ZeroDivisionError):
        return UNKNOWN


def _method(array: NdArray, name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    if name == "reshape" and not keywords:
        target = positional[0] if len(positional) == 1 else list(positional)
        return _reshape(array, target)
    if name in ("astype", "copy"):
        return NdArray(array.shape) if name == "astype" else array
    if name in ("flatten", "ravel") and not positional and not keywords:
        return NdArray((array.size,), array.values)
    if name == "squeeze" and not positional and not keywords:
        return NdArray(tuple(d for d in array.shape if d != 1), array.values)
    if name in ("transpose", "swapaxes") and not keywords:
        return _axes_moved(name, array, positional)  # `x.transpose(2, 0, 1)` or `x.transpose((2, 0, 1))`
    if name in ("sum", "prod", "max", "min", "mean", "std", "var") and len(positional) <= 1 and set(keywords) <= {
            "axis", "keepdims"}:
        return _call(name, [array, *positional], keywords)
    if name in ("cumsum", "cumprod") and not positional:
        return _call(name, [array], keywords)
    return UNKNOWN


def broadcast(left: Any, right: Any) -> NdArray | Any:
    """`a * 0.5`, `a + b`: an array of the broadcast shape (values are not followed)."""
    shapes = []
    for v in (left, right):
        if isinstance(v, NdArray):
            shapes.append(v.shape)
        elif _number(v) or isinstance(v, bool):
            shapes.append(())
        else:
            return UNKNOWN
    shape = broadcast_shapes(shapes[0], shapes[1])
    return UNKNOWN if shape is None else NdArray(shape)  # type: ignore[arg-type]


def iterate(array: NdArray, limit: int) -> list[Any] | None:
    """`a, b = np.random.rand(2, 8, 1)`: the sub-arrays along the first axis."""
    if not array.shape or array.shape[0] > limit:
        return None
    if len(array.shape) == 1:
        # `for r in np.linspace(0, 0.1, 6)`: six numbers, each of unknown value (a 0-d array) when not computed
        return list(array.values) if array.values is not None else [NdArray((), boolean=array.boolean)] * array.shape[0]
    inner = array.shape[1:]
    step = math.prod(inner)
    values = array.values
    return [NdArray(inner, values[i * step:(i + 1) * step] if values is not None else None)
            for i in range(array.shape[0])]


CONSTANTS = {"newaxis": None, "pi": math.pi, "e": math.e}


# Python's `math`, for `int(math.ceil(depth * repeats))` and the like: pure functions of numbers.
_PY_MATH: dict[str, Callable[..., Any]] = {
    "ceil": math.ceil, "floor": math.floor, "trunc": math.trunc, "sqrt": math.sqrt, "isqrt": math.isqrt,
    "log": math.log, "log2": math.log2, "log10": math.log10, "exp": math.exp, "pow": math.pow,
    "gcd": math.gcd, "lcm": math.lcm, "fabs": math.fabs, "prod": math.prod, "hypot": math.hypot,
}
MATH_CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau, "inf": math.inf}


def math_call(name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """`math.<name>(...)` on known numbers (or one sequence of them, for `prod`)."""
    fn = _PY_MATH.get(name)
    if fn is None or keywords or not positional:
        return UNKNOWN
    if name == "prod":
        values = positional[0] if len(positional) == 1 else None
        if not isinstance(values, (tuple, list)) or not all(_number(v) for v in values) or len(values) > MAX_VALUES:
            return UNKNOWN
    elif not all(_number(v) for v in positional) or any(isinstance(v, int) and v.bit_length() > 64 for v in positional):
        return UNKNOWN
    if name == "pow" and len(positional) == 2 and abs(positional[1]) > 256:
        return UNKNOWN
    try:
        result = fn(*positional)
    except (ValueError, TypeError, OverflowError, ZeroDivisionError):
        return UNKNOWN
    if isinstance(result, int) and result.bit_length() > 4096:
        return UNKNOWN
    return result


def compare(left: Any, right: Any) -> NdArray | Any:
    """`y == 1` on an array: a boolean array of the broadcast shape."""
    result = broadcast(left, right)
    return result if result is UNKNOWN else NdArray(result.shape, boolean=True)


# -- the interpreter's entries: calls by import path, and an array's attributes and methods ----------


def numeric(value: Any) -> bool:
    """An argument a NumPy function can take here: plain values, arrays, and lists or tuples of them."""
    if isinstance(value, (tuple, list)):
        return all(numeric(v) for v in value)
    return is_plain(value) or isinstance(value, NdArray)


def call_module(path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
    """`np.zeros((4, 8))`, `numpy.random.rand(1000, 20)`: a call by its import path."""
    if path.endswith("random.default_rng"):
        return Module("numpy.random.Generator")  # its methods draw as numpy.random's functions do
    args = [*positional, *keywords.values()]
    if path.rsplit(".", 1)[-1] in IN_PLACE:
        for arg in args:
            forget_values(arg)  # `rng.shuffle(y)`: the elements move
    # `dtype=np.uint8` changes no shape (the functions that keep values drop it themselves)
    shaped = [*positional, *(v for k, v in keywords.items() if k != "dtype")]
    if site.opaque or not all(numeric(a) for a in shaped):
        return UNKNOWN
    return call(path, positional, keywords)


def array_attribute(array: NdArray, attr: str) -> Any:
    """`x.shape`, `x.reshape`: an attribute, or a method bound to the array."""
    if attr in MUTATORS:
        forget_values(array)  # `y.sort()`, `y.fill(0)`: the elements change in place
    return BoundMethod(array, attr) if attr in METHODS else attribute(array, attr)


def array_method(array: NdArray, name: str, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
    if name == "astype":
        return NdArray(array.shape)  # `x.astype(np.float32)`: whatever the dtype, the same shape
    if not all(is_plain(v) for v in (*positional, *keywords.values())):
        return UNKNOWN
    return method(array, name, positional, keywords)
