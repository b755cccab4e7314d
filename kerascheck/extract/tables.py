"""Tabular data as scripts load it: pandas frames and series, scikit-learn's transforms, and the arrays they give.

A script that reads a CSV does not say how many rows it has, and often not its columns either, but
it says a great deal about the arrays it trains on: `df["label"].values` is one value per row,
`df.drop(columns="label").to_numpy()` a table of rows, `X.reshape(len(X), 1, X.shape[1])` a batch
of one-step sequences. This module keeps that: a `DataArray` is an array whose rank is known, with
each size known or not (None); a `Frame` knows its column names when the file made them (a dict of
columns, a selection of named columns, a drop), and a `Series` is one column. Nothing the file
wrote is run, and nothing is read from disk.

Precision comes first: an operation not modelled here gives UNKNOWN, and a frame handed to code
kerascheck does not follow, or changed in a way it does not model, forgets its columns.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import libcst as cst

from kerascheck.extract import numpy_values as knp
from kerascheck.extract.values import BoundMethod
from kerascheck.model import Labels
from kerascheck.shapes import UNKNOWN, broadcast_shapes, index_shape
from kerascheck.shapes.ops import matmul_shape

Size = int | None  # a size; None where it is not known


@dataclass(frozen=True)
class DataArray:
    """An array of known rank whose sizes are known or not (rows read from a file, say)."""

    shape: tuple[Size, ...]
    # An object array whose elements are arrays of one shape (a frame's column of arrays, `to_numpy()`ed):
    # that shape, which `np.stack` puts after the rows.
    items: tuple[Size, ...] | None = None
    boolean: bool = False  # made by a comparison: as an index it selects, it does not gather

    def exposed_shape(self) -> tuple[Any, ...]:
        """`x.shape` as the file sees it: unknown sizes are UNKNOWN."""
        return tuple(UNKNOWN if d is None else d for d in self.shape)


@dataclass(frozen=True)
class SqueezedTable:
    """`np.loadtxt(path)` with neither a delimiter nor `ndmin=2`: a table of rows and columns, unless the
    file has one row or one column, which NumPy squeezes to one axis. Its rank is not known until the
    program subscripts it with two indices (`raw[:, 1:]`), which NumPy would refuse on one axis."""


@dataclass(eq=False)
class Frame:
    """A pandas DataFrame: its column names when known, and its number of rows when known."""

    columns: list[str] | None
    rows: Size = None
    # columns whose cells are arrays of one shape (`pd.DataFrame({"window": list(windows)})`): that shape
    cells: dict[str, tuple[Size, ...]] = field(default_factory=dict)

    @property
    def width(self) -> Size:
        return len(self.columns) if self.columns is not None else None


@dataclass(frozen=True)
class Series:
    """One column of a frame (or any pandas Series): one value per row."""

    rows: Size = None
    item: tuple[Size, ...] | None = None  # the shape of each value, when every value is an array of one shape


@dataclass(frozen=True)
class FrameIndexer:
    """`df.iloc` or `df.loc`, waiting for its subscript."""

    frame: Frame
    by: str  # "iloc" (positions) or "loc" (labels)


@dataclass(frozen=True)
class Transformer:
    """A scikit-learn transform whose output has its input's shape (`StandardScaler()`, `MinMaxScaler()`)."""

    name: str


@dataclass(eq=False)
class Bunch:
    """What a scikit-learn loader returns: its arrays by attribute (`bunch.data`, `bunch.target`)."""

    fields: dict[str, Any]


# scikit-learn transforms that keep their input's shape (one output column per input column).
SHAPE_KEEPING = frozenset({
    "StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler", "Normalizer", "QuantileTransformer",
    "PowerTransformer", "SimpleImputer", "FunctionTransformer", "LabelEncoder",
})
# Frame methods that keep its columns (rows may change); anything else forgets them.
_SAME_COLUMNS = frozenset({
    "dropna", "fillna", "copy", "sample", "head", "tail", "reset_index", "astype", "sort_values", "sort_index",
    "shift", "ffill", "bfill", "abs", "clip", "round", "interpolate", "drop_duplicates", "replace", "query",
    "diff", "pct_change", "where", "mask", "rank",
})
# Frame methods that only read the frame (statistics, plots, printing, writing it out): what they return is not
# followed, but the frame keeps its columns (other methods not modelled may change it in place).
_READS_ONLY = frozenset({
    "describe", "info", "corr", "cov", "plot", "hist", "boxplot", "nunique", "value_counts", "isna", "isnull",
    "notna", "notnull", "count", "memory_usage", "to_csv", "to_string", "to_markdown", "to_html", "to_json",
    "to_parquet", "quantile", "var", "skew", "kurt", "idxmax", "idxmin", "any", "all", "equals", "duplicated",
    "groupby", "agg", "aggregate", "rolling", "expanding", "ewm", "resample", "corrwith", "cumsum", "mode",
})
_SERIES_SAME = frozenset({
    "astype", "map", "fillna", "apply", "copy", "shift", "dropna", "replace", "abs", "clip", "round", "head", "tail",
    "sample", "reset_index", "ffill", "bfill", "diff", "pct_change",
})
# Methods of a frame that change it in place, whatever their arguments say (or may: `inplace=True`).
_ROW_METHODS = frozenset({"dropna", "sample", "head", "tail", "query", "drop_duplicates"})
NOT_MINE = object()  # a NumPy call on values this module does not model: NumPy's own subset takes it


def size_of(value: Any) -> Size:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def as_shape(value: Any) -> tuple[Size, ...] | None:
    """The shape of an array-like kerascheck knows the rank of: an NdArray, a DataArray, a frame or a series."""
    if isinstance(value, knp.NdArray):
        return value.shape
    if isinstance(value, DataArray):
        return value.shape
    if isinstance(value, Frame):
        return (value.rows, value.width)
    if isinstance(value, Series):
        return (value.rows,)
    return None


def array_of(shape: tuple[Size, ...] | None) -> Any:
    """The array of that shape: an NdArray when every size is known, else a DataArray."""
    if shape is None or len(shape) > knp.MAX_RANK:
        return UNKNOWN
    if all(isinstance(d, int) for d in shape):
        return knp.NdArray(shape)  # type: ignore[arg-type]
    return DataArray(shape)


def _names(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


# -- pandas -----------------------------------------------------------------------------------------

def pandas_call(path: str, positional: list[Any], keywords: dict[str, Any],
                unsure: Callable[[Any], bool] = lambda value: False) -> Any:
    """`pd.read_csv(...)`, `pd.DataFrame({...})`, `pd.get_dummies(df)`, ...

    `unsure` tells a list whose length is not sure (filled in a loop not followed to its end).
    """
    name = path.rsplit(".", 1)[-1]
    if name.startswith("read_") and name not in ("read_pickle", "read_hdf"):
        return Frame(None)
    if name == "DataFrame":
        data = positional[0] if positional else keywords.get("data")
        columns = _names(keywords.get("columns"))
        if data is None and set(keywords) <= {"index", "columns"} and ("columns" not in keywords or columns is not None):
            # `pd.DataFrame(index=df.index)`, filled column by column: no column yet (or those named)
            return Frame(columns or [], None if "index" in keywords else 0)
        if isinstance(data, dict) and all(isinstance(k, str) for k in data) and "columns" not in keywords:
            lengths = {n for v in data.values() if not unsure(v) and (n := _length(v)) is not None}
            if any(unsure(v) for v in data.values()):
                lengths = set()
            cells = {k: item for k, v in data.items() if not unsure(v) and (item := _cell_shape(v)) is not None}
            return Frame(list(data), lengths.pop() if len(lengths) == 1 else None, cells)
        shape = as_shape(data)
        if shape is not None and len(shape) == 2:
            if columns is not None and shape[1] is not None and len(columns) != shape[1]:
                return UNKNOWN  # pandas raises
            return Frame(columns, shape[0]) if columns is not None else Frame(None, shape[0])
        return Frame(None)
    if name == "Series":
        shape = as_shape(positional[0] if positional else keywords.get("data"))
        return Series(shape[0] if shape is not None and len(shape) == 1 else None)
    if name == "concat":
        return _concatenated(positional[0] if positional else keywords.get("objs"), keywords, unsure)
    if name == "get_dummies":
        return Frame(None)
    return UNKNOWN


def _cell_shape(value: Any) -> tuple[Size, ...] | None:
    """The shape every element of a list shares, when each is an array (a column of arrays)."""
    if not isinstance(value, list) or not value:
        return None
    shapes = {v.shape if isinstance(v, (knp.NdArray, DataArray)) else None for v in value}
    if len(shapes) != 1:
        return None
    shape = shapes.pop()
    return shape if shape else None


def _concatenated(frames: Any, keywords: dict[str, Any], unsure: Callable[[Any], bool]) -> Frame:
    """`pd.concat([a, b], ignore_index=True)`: frames of the same columns stacked row-wise keep those columns."""
    if keywords.get("axis", 0) not in (0, "index") or not isinstance(frames, (list, tuple)) or unsure(frames):
        return Frame(None)
    if not frames or not all(isinstance(f, Frame) and f.columns is not None for f in frames):
        return Frame(None)
    columns = frames[0].columns
    if any(f.columns != columns for f in frames):
        return Frame(None)  # pandas takes the union of the columns, filling gaps
    rows = [f.rows for f in frames]
    cells = {k: v for k, v in frames[0].cells.items() if all(f.cells.get(k) == v for f in frames)}
    total = sum(r for r in rows if r is not None) if None not in rows else None
    return Frame(list(columns), total, cells)


def _length(value: Any) -> Size:
    if isinstance(value, (list, tuple, range)):
        return len(value)
    shape = as_shape(value)
    return shape[0] if shape is not None and len(shape) == 1 else None


def frame_attribute(frame: Frame, attr: str) -> Any:
    if attr in ("values",):
        return array_of((frame.rows, frame.width))
    if attr == "shape":
        return (UNKNOWN if frame.rows is None else frame.rows, UNKNOWN if frame.width is None else frame.width)
    if attr == "columns":
        return list(frame.columns) if frame.columns is not None else UNKNOWN
    if attr in ("iloc", "loc"):
        return FrameIndexer(frame, attr)
    if attr in _SAME_COLUMNS or attr in ("drop", "pop", "to_numpy", "mean", "std", "min", "max", "median", "sum"):
        return BoundMethod(frame, attr)
    if frame.columns is not None and attr in frame.columns:
        return Series(frame.rows)  # `df.age`: a column
    if attr in ("T", "index", "dtypes") or attr.startswith("_"):
        return UNKNOWN
    if frame.columns is None:
        return UNKNOWN  # a column or a method: not known which
    return BoundMethod(frame, attr)  # a method not modelled: calling it forgets the columns


def frame_method(frame: Frame, name: str, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
    if keywords.get("inplace") is True or keywords.get("inplace") not in (None, False):
        frame.columns = None  # changed in place, in a way not followed
        frame.cells.clear()
        return None
    if name == "to_numpy":
        return array_of((frame.rows, frame.width))
    if name in _SAME_COLUMNS:
        rows = None if name in _ROW_METHODS else frame.rows
        if name == "reset_index" and keywords.get("drop") is not True:
            return Frame(None, rows)  # the old index becomes a column
        return Frame(list(frame.columns) if frame.columns is not None else None, rows, dict(frame.cells))
    if name == "drop":
        return _dropped(frame, positional, keywords)
    if name == "pop" and len(positional) == 1 and isinstance(positional[0], str):
        if frame.columns is not None:
            if positional[0] not in frame.columns:
                return UNKNOWN  # pandas raises KeyError
            frame.columns.remove(positional[0])
        return Series(frame.rows)
    if name in ("mean", "std", "min", "max", "median", "sum") and not positional and set(keywords) <= {"axis"}:
        axis = keywords.get("axis", 0)
        if axis in (0, "index"):
            return Series(frame.width)  # one value per column
        if axis in (1, "columns"):
            return Series(frame.rows)
        return UNKNOWN
    if name not in _READS_ONLY:
        frame.columns = None  # a method not modelled may change the frame in place
        frame.cells.clear()
    return UNKNOWN


def _dropped(frame: Frame, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """`df.drop(columns=[...])`, `df.drop("label", axis=1)`; dropping rows keeps the columns."""
    axis = keywords.get("axis", positional[1] if len(positional) > 1 else 0)
    names = keywords.get("columns")
    if names is None and axis in (1, "columns"):
        names = keywords.get("labels", positional[0] if positional else None)
    if names is None:
        if "index" in keywords or axis in (0, "index"):
            return Frame(list(frame.columns) if frame.columns is not None else None)  # rows dropped
        return Frame(None)
    dropped = _names(names)
    if dropped is None or frame.columns is None:
        return Frame(None, frame.rows)
    if any(d not in frame.columns for d in dropped) and keywords.get("errors") != "ignore":
        return UNKNOWN  # pandas raises KeyError
    return Frame([c for c in frame.columns if c not in dropped], frame.rows)


def frame_item(frame: Frame, key: Any, unsure: Callable[[Any], bool] = lambda value: False) -> Any:
    """`df["label"]`, `df[["a", "b"]]`, `df[mask]`; `unsure` tells a list whose length is not sure."""
    if isinstance(key, str):
        return Series(frame.rows, frame.cells.get(key)) if frame.columns is None or key in frame.columns else UNKNOWN
    names = _names(key)
    if isinstance(key, list) and unsure(key):
        return Frame(None, frame.rows)  # `df[base + [c for c in df.columns if ...]]`: columns not known
    if isinstance(key, list) and names is not None:
        if frame.columns is not None and any(n not in frame.columns for n in names):
            return UNKNOWN  # pandas raises KeyError
        return Frame(names, frame.rows)
    if isinstance(key, (Series, DataArray, knp.NdArray)):
        return Frame(list(frame.columns) if frame.columns is not None else None)  # rows selected by a mask
    return UNKNOWN


def matmul(left: Any, right: Any) -> Any:
    """`a @ b` on arrays (NumPy's matmul): (..., n, k) @ (..., k, m) is (..., n, m), a vector on either side
    losing its axis; unknown when a size it needs is not known or the contracted sizes differ."""
    a, b = as_shape(left), as_shape(right)
    if not a or not b:
        return UNKNOWN
    k1, k2 = a[-1], (b[0] if len(b) == 1 else b[-2])
    if k1 is None or k2 is None or k1 != k2 or len(a) > 2 and len(b) > 2:
        return UNKNOWN  # (batch axes on both sides broadcast: not followed)
    shape = matmul_shape(a, b)
    return UNKNOWN if shape is None else array_of(known_sizes(shape))


def indexed_rows(indexer: FrameIndexer, rows: Any, columns: Any = slice(None)) -> Any:
    """`df.iloc[:cut]`, `df.iloc[-n:]`, `df.loc[mask]`, `df.loc[mask, ["a", "b"]]`, `df.iloc[:, 1:]`.

    `rows` is a slice of Python ints (UNKNOWN where a bound is not known), a mask or index array; `columns`
    a slice, a list of names (`loc`) or of positions (`iloc`). The result keeps the columns picked; its rows
    are counted only for a slice of positions over a known number of rows."""
    frame = indexer.frame
    if isinstance(rows, slice) and (indexer.by == "iloc" or rows == slice(None)):
        count = len(range(frame.rows)[rows]) if frame.rows is not None else None
    elif rows is UNKNOWN or isinstance(rows, (slice, Series, DataArray, knp.NdArray)):
        count = None  # a slice at a bound not followed, a mask, an index array, a slice of labels
    else:
        return UNKNOWN  # one row (a Series): not followed
    if indexer.by == "loc" and isinstance(columns, str):
        # `df.loc[mask, "Temp"]`: one column, a Series of the rows picked
        return UNKNOWN if frame.columns is not None and columns not in frame.columns else Series(count)
    picked: list[str] | None
    if columns == slice(None):
        picked = list(frame.columns) if frame.columns is not None else None
    elif indexer.by == "loc" and (names := _names(columns)) is not None and not isinstance(columns, str):
        if frame.columns is not None and any(n not in frame.columns for n in names):
            return UNKNOWN  # pandas raises KeyError
        picked = names
    elif indexer.by == "iloc" and isinstance(columns, slice):
        picked = frame.columns[columns] if frame.columns is not None else None  # `df.iloc[:, 1:]` of unknown columns
    elif indexer.by == "iloc" and isinstance(columns, int) and not isinstance(columns, bool):
        # `df.iloc[:, 0]`: one column, a Series of the rows picked (pandas raises past the last column)
        if frame.columns is not None and not -len(frame.columns) <= columns < len(frame.columns):
            return UNKNOWN
        return Series(count)
    else:
        return UNKNOWN
    cells = {k: v for k, v in frame.cells.items() if picked is not None and k in picked}
    return Frame(picked, count, cells)


def _forget_cells(frame: Frame, key: Any) -> None:
    """A column written or deleted no longer holds the arrays it held (any key that is not a name: none does)."""
    if isinstance(key, str):
        frame.cells.pop(key, None)
    else:
        frame.cells.clear()


def frame_set_item(frame: Frame, key: Any) -> None:
    """`df["ratio"] = ...`: a column added (or replaced)."""
    _forget_cells(frame, key)
    if isinstance(key, str) and frame.columns is not None:
        if key not in frame.columns:
            frame.columns.append(key)
    else:
        frame.columns = None


def frame_delete_item(frame: Frame, key: Any) -> None:
    _forget_cells(frame, key)
    if isinstance(key, str) and frame.columns is not None and key in frame.columns:
        frame.columns.remove(key)
    else:
        frame.columns = None


def series_attribute(series: Series, attr: str) -> Any:
    if attr == "values":
        if series.item is not None:
            return DataArray((series.rows,), series.item)  # an object array of arrays
        return DataArray((series.rows,)) if series.rows is None else knp.NdArray((series.rows,))
    if attr == "shape":
        return (UNKNOWN if series.rows is None else series.rows,)
    if attr in _SERIES_SAME or attr in ("to_numpy", "unique"):
        return BoundMethod(series, attr)
    return UNKNOWN


def series_method(series: Series, name: str, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
    if name == "to_numpy":
        if series.item is not None:
            return DataArray((series.rows,), series.item)  # an object array of arrays
        return array_of((series.rows,))
    if name == "unique":
        return DataArray((None,))
    if name in _SERIES_SAME:
        return Series(None if name in ("dropna", "sample", "head", "tail") else series.rows)
    return UNKNOWN


# -- arrays of partly known shape --------------------------------------------------------------------

def data_attribute(array: DataArray, attr: str) -> Any:
    if attr == "shape":
        return array.exposed_shape()
    if attr == "ndim":
        return len(array.shape)
    if attr == "T":
        return DataArray(tuple(reversed(array.shape)))
    if attr in ("astype", "reshape", "copy", "squeeze", "mean", "std", "min", "max", "sum", "flatten", "ravel"):
        return BoundMethod(array, attr)
    return UNKNOWN


def data_method(array: DataArray, name: str, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
    if name == "copy" or name == "astype" and positional[:1] == ["bool"]:
        return array
    if name == "astype":
        return dataclasses.replace(array, boolean=False)  # `mask.astype("float32")`: numbers, not a mask
    if name == "reshape":
        target = positional[0] if len(positional) == 1 else tuple(positional)
        return reshaped(array.shape, keywords.get("shape", target))
    if name in ("flatten", "ravel") and not positional and len(array.shape) == 1:
        return array
    if name in ("mean", "std", "min", "max", "sum") and not positional and set(keywords) <= {"axis", "keepdims"}:
        axis = keywords.get("axis")
        rank = len(array.shape)
        if axis is None:  # `x.mean()`: one number of unknown value, as a 0-d array (or kept axes of 1)
            return array_of((1,) * rank if keywords.get("keepdims") is True else ())
        axes = [axis] if isinstance(axis, int) else list(axis) if isinstance(axis, tuple) and axis else None
        if axes is None or not all(isinstance(a, int) and not isinstance(a, bool) and -rank <= a < rank for a in axes):
            return UNKNOWN
        reduced = {a % rank for a in axes}
        if len(reduced) != len(axes):
            return UNKNOWN  # NumPy raises on a repeated axis
        if keywords.get("keepdims") is True:
            return array_of(tuple(1 if i in reduced else d for i, d in enumerate(array.shape)))
        return array_of(tuple(d for i, d in enumerate(array.shape) if i not in reduced))
    return UNKNOWN


def reshaped(shape: tuple[Size, ...], target: Any) -> Any:
    """`x.reshape((len(x), 1, x.shape[1]))`: the sizes written (an unknown one stays unknown)."""
    if isinstance(target, int) and not isinstance(target, bool):
        target = (target,)
    if not isinstance(target, (tuple, list)) or not target or len(target) > knp.MAX_RANK:
        return UNKNOWN
    dims: list[Size] = []
    for d in target:
        if d is UNKNOWN:
            dims.append(None)
        elif isinstance(d, int) and not isinstance(d, bool) and (d >= 0 or d == -1):
            dims.append(d)
        else:
            return UNKNOWN
    if dims.count(-1) > 1:
        return UNKNOWN
    if -1 in dims:
        known = [d for d in shape if d is not None]
        rest = [d for d in dims if d is not None and d != -1]
        whole, part = math.prod(known), math.prod(rest)
        if len(known) == len(shape) and None not in dims and part and whole % part == 0:
            dims[dims.index(-1)] = whole // part
        else:
            dims[dims.index(-1)] = None
    sizes = [d for d in shape if d is not None]
    targets = [d for d in dims if d is not None]
    if len(sizes) == len(shape) and len(targets) == len(dims) and math.prod(sizes) != math.prod(targets):
        return UNKNOWN  # NumPy raises
    return array_of(tuple(dims))


def data_item(array: DataArray, items: list[Any]) -> Any:
    """`x[:split]`, `x[:, 0]`, `x[..., None]`: NumPy's basic indexing, sizes unknown where they were."""
    shape = index_shape(array.shape, items)
    return UNKNOWN if shape is None else array_of(known_sizes(shape))


def data_gather(array: DataArray, index: Any) -> Any:
    """`x[idx]` with an array of indices (or a mask): as many rows as it selects."""
    if isinstance(index, (knp.NdArray, DataArray)) and not getattr(index, "boolean", False):
        return array_of((*index.shape, *array.shape[1:]))
    if isinstance(index, (knp.NdArray, DataArray)):
        return masked(array.shape, index.shape)
    if isinstance(index, Series):
        return DataArray((None, *array.shape[1:]))  # a mask: an unknown number of rows
    return UNKNOWN


def masked(shape: tuple[Size, ...], mask: tuple[Size, ...]) -> Any:
    """`x[mask]` with a boolean array over x's first axes: one axis of as many elements as the mask selects
    (unknown), then x's other axes. NumPy raises when the mask's shape is not that of x's first axes."""
    if len(mask) > len(shape) or any(m is not None and d is not None and m != d for m, d in zip(mask, shape)):
        return UNKNOWN
    return DataArray((None, *shape[len(mask):]))


def broadcast(left: Any, right: Any) -> Any:
    """`x * 0.5`, `(x - mean) / std` where one side's sizes are partly known."""
    shapes = []
    for value in (left, right):
        shape = as_shape(value) if not isinstance(value, (Frame, Series)) else None
        if shape is not None:
            shapes.append(shape)
        elif isinstance(value, (int, float)):  # a number (or a bool): a scalar
            shapes.append(())
        else:
            return UNKNOWN
    common = broadcast_shapes(shapes[0], shapes[1])
    return UNKNOWN if common is None else array_of(known_sizes(common))


def known_sizes(shape: tuple[Any, ...]) -> tuple[Size, ...]:
    """A computed shape's sizes: a symbolic one is not a number here."""
    return tuple(d if isinstance(d, int) else None for d in shape)


def frame_arithmetic(left: Any, right: Any) -> Any:
    """`df / 255`, `(df - df.mean()) / df.std()`: a frame of the same columns, where pandas aligns them."""
    for one, other in ((left, right), (right, left)):
        if isinstance(one, Frame):
            if isinstance(other, (int, float)):
                return Frame(list(one.columns) if one.columns is not None else None, one.rows)
            if isinstance(other, Series) and one.width is not None and other.rows == one.width:
                return Frame(list(one.columns) if one.columns is not None else None, one.rows)  # df - df.mean()
            return Frame(None, one.rows)  # aligned on labels kerascheck does not follow
        if isinstance(one, Series) and isinstance(other, (int, float, Series)):
            return Series(one.rows)
    return UNKNOWN


# NumPy's random draws (numpy.random and a Generator's methods) and where their `size` goes by position
_DRAW_SIZE_AT = {"normal": 2, "uniform": 2, "randint": 2, "integers": 2, "standard_normal": 0, "random": 0,
                 "random_sample": 0, "binomial": 2, "poisson": 1}


# NumPy's functions of one array whose result has that array's shape, with the keywords that keep it so: the
# elementwise functions (ufuncs) of numbers, conversions, and the functions that only change values
# (comparisons, which give masks, are not among them). Of a frame or a series NumPy gives one of the same shape.
_UFUNCS_OF_ONE = (
    "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "radians", "degrees", "deg2rad",
    "rad2deg", "log", "log1p", "log2", "log10", "exp", "expm1", "exp2", "sqrt", "square", "cbrt", "abs", "absolute",
    "sign", "floor", "ceil", "trunc", "rint", "negative", "reciprocal",
)
_SHAPE_KEEPING: dict[str, frozenset[str]] = {
    **{name: frozenset({"dtype"}) for name in _UFUNCS_OF_ONE},
    "array": frozenset({"dtype", "copy"}), "asarray": frozenset({"dtype"}), "float32": frozenset(),
    "float64": frozenset(), "nan_to_num": frozenset({"nan", "posinf", "neginf", "copy"}),
    "round": frozenset({"decimals"}), "around": frozenset({"decimals"}),
}
# ... and of two: the two inputs' broadcast shape
_ELEMENTWISE_BINARY = frozenset({
    "maximum", "minimum", "fmax", "fmin", "add", "subtract", "multiply", "divide", "true_divide", "power",
    "arctan2", "hypot", "mod", "fmod", "floor_divide",
})


def numpy_call(name: str, positional: list[Any], keywords: dict[str, Any],
               unsure: Callable[[Any], bool] = lambda value: False) -> Any:
    """NumPy functions on partly known arrays (and frames): `np.array(df)`, `np.expand_dims(x, -1)`, ...
    `unsure` tells a list whose length is not sure (filled in a loop not followed to its end)."""
    first = positional[0] if positional else None
    if isinstance(first, list) and unsure(first) and len(positional) == 1 and (
            stacked := _of_many(name, first, keywords)) is not None:
        return stacked
    if name == "arange" and 1 <= len(positional) <= 3 and set(keywords) <= {"dtype"} and UNKNOWN in positional and all(
            p is UNKNOWN or isinstance(p, (int, float)) and not isinstance(p, bool) for p in positional):
        return DataArray((None,))  # `np.arange(len(series) - width + 1)`: numbers in, one axis out, of unknown length
    if name in ("loadtxt", "genfromtxt"):
        return _loaded_table(keywords)
    if name == "isin" and len(positional) == 2 and not keywords:
        # `np.isin(y, [3, 5])`: a mask of y's shape (class labels too), to select rows with
        shape = first.shape if isinstance(first, Labels) else as_shape(first)
        if shape is None or not all(isinstance(d, int) for d in shape):
            return NOT_MINE if isinstance(first, knp.NdArray) else UNKNOWN
        return knp.NdArray(tuple(d for d in shape if isinstance(d, int)), boolean=True)
    if name in ("zeros", "ones", "empty", "full") and isinstance(first, (tuple, list)) and UNKNOWN in first and all(
            d is UNKNOWN or isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in first):
        return array_of(tuple(None if d is UNKNOWN else d for d in first))  # `np.zeros((len(rows), width))`
    if name in _DRAW_SIZE_AT:
        # `rng.normal(mean, std, (n_words, 100))`: a draw of that size, whatever the values
        at = _DRAW_SIZE_AT[name]
        size = keywords.get("size", positional[at] if len(positional) > at else None)
        if isinstance(size, (tuple, list)) and UNKNOWN in size and all(
                d is UNKNOWN or isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in size):
            return array_of(tuple(None if d is UNKNOWN else d for d in size))
    if name in ("concatenate", "stack", "vstack", "hstack") and len(positional) == 1 and isinstance(
            first, (tuple, list)) and any(isinstance(v, DataArray) for v in first):
        return _joined(name, first, keywords)
    if name in _ELEMENTWISE_BINARY and len(positional) == 2 and set(keywords) <= {"dtype"} and any(
            isinstance(v, DataArray) for v in positional):
        return broadcast(*positional)  # `np.maximum(x[:, 0], 0.0)`: NumPy's broadcasting of the two
    shape = as_shape(first)
    if shape is None or not any(isinstance(v, (DataArray, Frame, Series)) for v in positional):
        return NOT_MINE
    if name in _SHAPE_KEEPING and len(positional) == 1 and set(keywords) <= _SHAPE_KEEPING[name]:
        return array_of(shape)  # `np.radians(x)`, `np.log1p(df["sales"])`, `np.array(df)`: one value for each
    if name == "clip" and len(positional) in (1, 3) and set(keywords) <= {"a_min", "a_max", "min", "max"} and all(
            bound is None or isinstance(bound, (int, float)) and not isinstance(bound, bool)
            for bound in [*positional[1:], *keywords.values()]):
        return array_of(shape)  # `np.clip(x, 0, 1)`: numbers for bounds (arrays would broadcast)
    if name == "stack" and len(positional) == 1 and not keywords and isinstance(first, (DataArray, Series)):
        # `np.stack(df["window"].to_numpy())`: the rows' arrays, one after the other
        items = first.items if isinstance(first, DataArray) else first.item
        if items is None or len(shape) != 1:
            return UNKNOWN
        return array_of((shape[0], *items))
    if name == "expand_dims" and len(positional) <= 2:
        axis = keywords.get("axis", positional[1] if len(positional) > 1 else UNKNOWN)
        rank = len(shape) + 1
        if not isinstance(axis, int) or isinstance(axis, bool) or not -rank <= axis < rank:
            return UNKNOWN
        dims = list(shape)
        dims.insert(axis % rank, 1)
        return array_of(tuple(dims))
    if name == "reshape" and len(positional) == 2:
        return reshaped(shape, positional[1])
    return UNKNOWN


def _of_many(name: str, items: list[Any], keywords: dict[str, Any]) -> Any:
    """`np.array(windows)`, `np.stack([x[i:i + width] for i in starts])`: arrays of one shape (or numbers)
    gathered in a loop whose number of iterations is not known: one more axis first, of unknown length.
    The items are those of the one iteration followed; NumPy needs every item of the same shape. None for
    anything else (which the other rules see as before)."""
    allowed = {"dtype"} if name in ("array", "asarray") else {"axis", "dtype"} if name in ("stack", "concatenate") else None
    if allowed is None or set(keywords) - allowed or keywords.get("axis", 0) != 0:
        return None
    shapes = {() if isinstance(item, (int, float)) and not isinstance(item, bool) else
              as_shape(item) if isinstance(item, (DataArray, knp.NdArray)) else None for item in items}
    if len(shapes) != 1 or None in shapes:
        return None
    shape = cast("tuple[Size, ...]", shapes.pop())
    if name == "concatenate":
        return array_of((None, *shape[1:])) if shape else None
    return array_of((None, *shape))


_INTEGER_DTYPES = frozenset({"int32", "int64", "int16", "int8", "uint8", "uint16", "uint32", "uint64"})


def padded_sequences(positional: list[Any], keywords: dict[str, Any],
                     unsure: Callable[[Any], bool] = lambda value: False) -> Any:
    """`keras.utils.pad_sequences(sequences, maxlen=200)`: one row per sequence, `maxlen` token ids each (the
    longest sequence's length without `maxlen`). The sequences are lists of token ids (IMDB's, a tokenizer's, a
    comprehension's); with a dtype that is not an integer type (sequences of feature vectors), or sequences known
    to hold lists, nothing is said. `unsure` tells a list whose length is not sure."""
    args = dict(zip(("sequences", "maxlen", "dtype", "padding", "truncating", "value"), positional))
    args.update(keywords)
    sequences, maxlen, dtype = args.get("sequences"), args.get("maxlen"), args.get("dtype", "int32")
    if set(args) - {"sequences", "maxlen", "dtype", "padding", "truncating", "value"} or dtype not in _INTEGER_DTYPES:
        return UNKNOWN
    if not (maxlen is None or isinstance(maxlen, int) and not isinstance(maxlen, bool) and maxlen >= 0):
        return UNKNOWN
    if isinstance(sequences, (list, tuple)):
        if any(isinstance(item, (list, tuple)) and any(isinstance(v, (list, tuple, knp.NdArray, DataArray))
                                                       for v in item) for item in sequences):
            return UNKNOWN  # steps that are themselves sequences
        rows: Size = None if unsure(sequences) else len(sequences)
        if maxlen is None and rows and all(isinstance(item, (list, tuple)) and not unsure(item) for item in sequences):
            maxlen = max(len(item) for item in sequences)  # the longest, when every length is known
    elif isinstance(sequences, (knp.NdArray, DataArray)) and len(sequences.shape) == 1:
        rows = sequences.shape[0]  # an object array of sequences (`imdb.load_data()`)
    else:
        return UNKNOWN
    return array_of((rows, maxlen))


def _loaded_table(keywords: dict[str, Any]) -> Any:
    """`np.loadtxt(path, delimiter=",")`: a table of rows read from a file, its columns as many as `usecols` names.

    NumPy squeezes a file of one row or one column to one axis unless `ndmin=2`; a file read with a
    delimiter, or with several columns named, is taken to be the table it is written as. Without either,
    its rank waits for the program's first subscript (SqueezedTable); with `unpack=True` or structured
    `dtype`s nothing is said.
    """
    if keywords.get("unpack") not in (None, False) or keywords.get("dtype") not in (None, float, int, "float32",
                                                                                     "float64", "int32", "int64"):
        return UNKNOWN
    usecols = keywords.get("usecols")
    if isinstance(usecols, int) and not isinstance(usecols, bool):
        return DataArray((None,)) if keywords.get("ndmin", 0) in (0, 1) else DataArray((None, 1))
    if isinstance(usecols, (list, tuple)) and len(usecols) >= 2 and all(
            isinstance(c, int) and not isinstance(c, bool) for c in usecols):
        return DataArray((None, len(usecols)))
    if usecols is None and (keywords.get("ndmin") == 2 or isinstance(keywords.get("delimiter"), str)):
        return DataArray((None, None))
    if usecols is None and set(keywords) <= {"dtype", "skiprows", "comments", "encoding"}:
        return SqueezedTable()
    return UNKNOWN


def _joined(name: str, arrays: list[Any] | tuple[Any, ...], keywords: dict[str, Any]) -> Any:
    """`np.concatenate([x_train[mask], x_test[mask]])` and its kin on arrays of partly known sizes: NumPy
    needs the other axes equal, so a size one array knows is the result's; the joined axis is the sum."""
    axis = keywords.get("axis", 0)
    if set(keywords) - ({"axis"} if name in ("concatenate", "stack") else set()) or not isinstance(axis, int) or isinstance(
            axis, bool):
        return UNKNOWN
    shapes = [as_shape(a) if isinstance(a, (DataArray, knp.NdArray)) else None for a in arrays]
    if any(s is None for s in shapes):
        return UNKNOWN
    parts: list[tuple[Size, ...]] = [known_sizes(s) for s in shapes if s is not None]
    if name == "vstack":
        parts, axis = [p if len(p) >= 2 else (1, *p) for p in parts], 0
    elif name == "hstack":
        axis = 0 if len(parts[0]) == 1 else 1
    rank = len(parts[0])
    if any(len(p) != rank for p in parts) or rank == 0 and name != "stack":
        return UNKNOWN
    kept = list(range(rank)) if name == "stack" else [i for i in range(rank) if i != axis % rank]
    if name != "stack" and not -rank <= axis < rank or name == "stack" and not -rank - 1 <= axis <= rank:
        return UNKNOWN
    merged: list[Size] = list(parts[0])
    for i in kept:
        sizes = {p[i] for p in parts if p[i] is not None}
        if len(sizes) > 1:
            return UNKNOWN  # NumPy raises
        merged[i] = sizes.pop() if sizes else None
    if name == "stack":
        merged.insert(axis % (rank + 1), len(parts))
    else:
        along = [p[axis % rank] for p in parts]
        known = [d for d in along if d is not None]
        merged[axis % rank] = sum(known) if len(known) == len(along) else None
    return array_of(tuple(merged))


# -- scikit-learn -----------------------------------------------------------------------------------

def sklearn_call(path: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    name = path.rsplit(".", 1)[-1]
    if name == "train_test_split":
        arrays = [a.shape if isinstance(a, Labels) else as_shape(a) for a in positional]
        if not positional or all(s is None for s in arrays) or any(s == () for s in arrays):
            return UNKNOWN
        # scikit-learn asks every array for the same number of rows: the known ones tell it
        rows = {shape[0] for shape in arrays if shape}
        sizes = _split_sizes(rows.pop(), keywords) if len(rows) == 1 else None
        out: list[Any] = []
        for value, shape in zip(positional, arrays):
            for n in (sizes or (None, None)):
                part: Any
                if shape is None:
                    # an array of unknown shape: its parts are unknown (labels keep their classes)
                    part = value if isinstance(value, Labels) else UNKNOWN
                elif isinstance(value, Labels):
                    part = dataclasses.replace(value, shape=(n, *shape[1:]))
                elif isinstance(value, Frame):
                    part = Frame(list(value.columns) if value.columns is not None else None, n)
                elif isinstance(value, Series):
                    part = Series(n)
                else:
                    part = array_of((n, *shape[1:]))
                out.append(part)
        return out
    if name in SHAPE_KEEPING:
        return Transformer(name)
    return UNKNOWN


def bunch_attribute(bunch: Bunch, attr: str) -> Any:
    return bunch.fields.get(attr, UNKNOWN)


def _split_sizes(n: Size, keywords: dict[str, Any]) -> tuple[int, int] | None:
    """The train and test rows `train_test_split` gives for n rows (scikit-learn's `_validate_shuffle_split`):
    a fractional test_size rounds up, a fractional train_size down, and 0.25 is the test share by default."""
    test, train = keywords.get("test_size"), keywords.get("train_size")
    if n is None or not set(keywords) <= {"test_size", "train_size", "random_state", "shuffle", "stratify"}:
        return None
    if test is None and train is None:
        test = 0.25

    def count(value: Any, rounding: Callable[[float], int]) -> int | None:
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return value
        if isinstance(value, float) and 0 < value < 1:
            return rounding(value * n)
        return None

    n_test = count(test, math.ceil) if test is not None else None
    n_train = count(train, math.floor) if train is not None else None
    if n_test is None and n_train is None:
        return None
    n_test = n - n_train if n_test is None and n_train is not None else n_test
    n_train = n - n_test if n_train is None and n_test is not None else n_train
    if n_train is None or n_test is None or n_train <= 0 or n_test <= 0 or n_train + n_test > n:
        return None  # scikit-learn raises
    return n_train, n_test


def transformer_attribute(transformer: Transformer, attr: str) -> Any:
    if attr in ("fit_transform", "transform", "inverse_transform", "fit"):
        return BoundMethod(transformer, attr)
    return UNKNOWN


def transformer_method(transformer: Transformer, name: str, positional: list[Any], keywords: dict[str, Any],
                       node: Any) -> Any:
    if name == "fit":
        return transformer
    shape = as_shape(positional[0]) if len(positional) == 1 else None
    if shape is None:
        return UNKNOWN
    if transformer.name == "LabelEncoder":
        return array_of(shape) if len(shape) == 1 else UNKNOWN
    return array_of(shape) if len(shape) == 2 else UNKNOWN


# -- the call table's handlers (by import path) -------------------------------------------------------



def sklearn_module(path: str, positional: list[Any], keywords: dict[str, Any], site: Any) -> Any:
    result = sklearn_call(path, positional, keywords)
    if result is UNKNOWN:
        forget_frames([*positional, *keywords.values()])
    return result


def numpy_module(path: str, positional: list[Any], keywords: dict[str, Any], site: Any,
                 unsure: Callable[[Any], bool] = lambda value: False) -> Any:
    from kerascheck.extract.common import DECLINED

    name = path.rsplit(".", 1)[-1]
    if name == "permutation" and len(positional) == 1 and not keywords and positional[0] is UNKNOWN and _counts_rows(
            getattr(site, "node", None)):
        return DataArray((None,))  # `rng.permutation(len(x))`: a shuffled arange of a length not known
    result = numpy_call(name, positional, keywords, unsure)
    return DECLINED if result is NOT_MINE else result


def _counts_rows(call: Any) -> bool:
    """Whether a call's only argument is written `len(...)`: a count, whatever its value (an array there
    would be shuffled whole, not counted)."""
    if not isinstance(call, cst.Call) or len(call.args) != 1:
        return False
    arg = call.args[0].value
    return isinstance(arg, cst.Call) and isinstance(arg.func, cst.Name) and arg.func.value == "len"


def forget_frames(values: list[Any]) -> None:
    """Frames handed to code kerascheck does not follow may gain or lose columns there."""
    for value in values:
        if isinstance(value, Frame):
            value.columns = None
            value.cells.clear()
