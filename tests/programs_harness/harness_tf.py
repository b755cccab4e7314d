# ruff: noqa: UP031  (written with printf-style formatting throughout; kept as measured)
"""Stand-in `tensorflow` package for the blind-corpus harness.

TensorFlow is not installed in the measurement environment, so `harness.py`
registers the module built here as `tensorflow` (and `tf_keras`).  It is only
a stand-in for the parts of TensorFlow that the corpus programs touch:

* `tf.keras` is Keras 3's own `keras._tf_keras.keras` (what TF >= 2.16 gives).
* tensor functions (`tf.reduce_mean`, `tf.concat`, `tf.nn.*`, `tf.math.*`,
  `tf.image.*`, `tf.random.*` ...) are thin wrappers over `keras.ops` /
  `keras.random`, so they work on NumPy arrays, on JAX arrays and inside
  traced (jitted) layer `call`s.  String tensors are NumPy object arrays of
  `bytes`, handled with NumPy/`re` (`tf.strings.*`, `tf.io.read_file`).
* `tf.data.Dataset` is a small lazy, NumPy-backed re-implementation
  (from_tensor_slices/from_generator/zip/range, map, batch, unbatch, shuffle,
  repeat, take, skip, filter, window, flat_map, prefetch, cache, ...).
  Iterating it yields `EagerTensor`s: NumPy arrays with `.numpy()`.
* `tf.GradientTape` records nothing: `tape.gradient` returns zeros shaped like
  the sources (the forward computation and the optimizer update still run).
* `tf.function` is the identity decorator; `tf.train.Checkpoint`,
  `tf.summary`, `tf.config` are no-op stand-ins.
"""

import builtins
import contextlib
import functools
import io as _io
import itertools
import os
import re
import types

import keras
import numpy as np
from keras import ops

# --------------------------------------------------------------------------
# dtypes
# --------------------------------------------------------------------------


class DType(str):
    """A dtype that is also its Keras/NumPy name (so `ops.cast(x, tf.float32)`
    and `x.astype(tf.float32)` both work)."""

    @property
    def name(self):
        return str(self)

    @property
    def as_numpy_dtype(self):
        return object if self == "string" else np.dtype(str(self)).type

    @property
    def is_floating(self):
        return str(self).startswith(("float", "bfloat"))

    @property
    def is_integer(self):
        return str(self).startswith(("int", "uint"))

    @property
    def max(self):
        return (np.finfo if self.is_floating else np.iinfo)(str(self)).max

    @property
    def min(self):
        return (np.finfo if self.is_floating else np.iinfo)(str(self)).min


float16 = half = DType("float16")
bfloat16 = DType("bfloat16")
float32 = DType("float32")
float64 = double = DType("float64")
int8 = DType("int8")
int16 = DType("int16")
int32 = DType("int32")
int64 = DType("int64")
uint8 = DType("uint8")
uint16 = DType("uint16")
uint32 = DType("uint32")
bool = DType("bool")  # noqa: A001  (tf.bool)
string = DType("string")
complex64 = DType("complex64")


def as_dtype(d):
    return DType(keras.backend.standardize_dtype(d))


def _dt(d):
    if d is None:
        return None
    if d is builtins.float:
        return "float32"
    if d is builtins.int:
        return "int32"
    return keras.backend.standardize_dtype(d)


newaxis = None
__version__ = "2.16.1"
version = types.SimpleNamespace(VERSION=__version__, GIT_VERSION="v2.16.1")

# --------------------------------------------------------------------------
# eager tensors and helpers
# --------------------------------------------------------------------------


class EagerTensor(np.ndarray):
    """A NumPy array with the EagerTensor methods programs call."""

    def numpy(self):
        a = self.view(np.ndarray)
        return a[()] if a.ndim == 0 else a

    def set_shape(self, shape):
        return None

    def __getitem__(self, idx):
        # TF indexing gives 0-d tensors (with .numpy()), not NumPy scalars.
        r = super().__getitem__(idx)
        if isinstance(r, np.ndarray):
            return r
        return np.asarray(r, dtype=self.dtype).view(EagerTensor)

    def __iter__(self):
        # raise at iter() time (not on the first next()), as TF does, so `np.iterable(t)` is False for 0-d
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in builtins.range(len(self)))

    def get_shape(self):
        return TensorShape(self.shape)

    def __repr__(self):
        return "<tf.Tensor: shape=%s, numpy=%r>" % (
            tuple(self.shape),
            self.view(np.ndarray),
        )


class TensorShape(tuple):
    def __new__(cls, dims):
        if dims is None:
            dims = ()
        return super().__new__(cls, tuple((None if d is None else int(d)) for d in dims))

    def as_list(self):
        return list(self)

    @property
    def rank(self):
        return len(self)

    ndims = rank


class _TensorMeta(type):
    def __instancecheck__(cls, obj):
        import jax

        return isinstance(obj, (np.ndarray, jax.Array)) or keras.backend.is_keras_tensor(obj)


class Tensor(metaclass=_TensorMeta):
    pass


class TensorSpec:
    def __init__(self, shape=None, dtype=float32, name=None):
        self.shape = TensorShape(shape)
        self.dtype = as_dtype(dtype) if dtype != "string" else string
        self.name = name

    def __repr__(self):
        return "TensorSpec(shape=%s, dtype=tf.%s, name=%r)" % (
            tuple(self.shape),
            self.dtype,
            self.name,
        )


def _is_str_like(x):
    if isinstance(x, (str, bytes)):
        return True
    if isinstance(x, np.ndarray) and x.dtype.kind in "OSU":
        return True
    if isinstance(x, (list, tuple)) and x and _is_str_like(x[0]):
        return True
    return False


def _any_str(*args):
    return any(_is_str_like(a) for a in args)


def _to_bytes(s):
    if isinstance(s, bytes):
        return s
    if isinstance(s, str):
        return s.encode("utf-8")
    if isinstance(s, np.bytes_):
        return bytes(s)
    return str(s).encode("utf-8")


def _to_text(s):
    if isinstance(s, (bytes, np.bytes_)):
        return bytes(s).decode("utf-8", errors="replace")
    return str(s)


def string_array(x):
    """Any string-like value -> NumPy object array of bytes (an EagerTensor)."""
    if isinstance(x, np.ndarray) and x.dtype == object and (x.size == 0 or isinstance(x.flat[0], bytes)):
        return x.view(EagerTensor) if not isinstance(x, EagerTensor) else x
    arr = np.asarray(x, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        out[idx] = _to_bytes(v)
    return out.view(EagerTensor)


def _vec_str(fn, x):
    """Apply a str->str function elementwise on a string tensor."""
    arr = string_array(x)
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        out[idx] = _to_bytes(fn(_to_text(v)))
    return out.view(EagerTensor)


def wrap(x):
    """NumPy values -> EagerTensor (other values unchanged)."""
    if isinstance(x, EagerTensor):
        return x
    if isinstance(x, np.ndarray):
        if x.dtype.kind == "U":
            return string_array(x)
        return x.view(EagerTensor)
    if isinstance(x, np.generic):
        return np.asarray(x).view(EagerTensor)
    return x


def wrap_structure(s):
    if isinstance(s, dict):
        return {k: wrap_structure(v) for k, v in s.items()}
    if isinstance(s, tuple):
        if hasattr(s, "_fields"):
            return type(s)(*[wrap_structure(v) for v in s])
        return tuple(wrap_structure(v) for v in s)
    if isinstance(s, list):
        return [wrap_structure(v) for v in s]
    return wrap(s)


def _ax(axis):
    if isinstance(axis, list):
        return tuple(axis)
    return axis


def _np(x):
    """Concrete value -> numpy (works for jax arrays and EagerTensors)."""
    if isinstance(x, np.ndarray):
        return x.view(np.ndarray)
    return np.asarray(x)


# --------------------------------------------------------------------------
# core tensor functions
# --------------------------------------------------------------------------


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    if _is_str_like(value) or _dt(dtype) == "string":
        return string_array(value)
    if isinstance(value, keras.Variable):
        value = value.value
    return ops.convert_to_tensor(value, dtype=_dt(dtype))


def constant(value, dtype=None, shape=None, name=None):
    if _is_str_like(value) or _dt(dtype) == "string":
        t = string_array(value)
        return t.reshape(shape) if shape is not None else t
    t = ops.convert_to_tensor(np.asarray(value), dtype=_dt(dtype) or (
        "float32" if np.asarray(value).dtype == np.float64 else None))
    if shape is not None:
        t = ops.broadcast_to(t, tuple(shape)) if t.ndim == 0 else ops.reshape(t, tuple(shape))
    return t


def Variable(initial_value=None, trainable=True, name=None, dtype=None, **kwargs):
    if callable(initial_value):
        initial_value = initial_value()
    return keras.Variable(initial_value, trainable=trainable, name=name, dtype=_dt(dtype))


def identity(x, name=None):
    return x


def cast(x, dtype, name=None):
    if _dt(dtype) == "string":
        return string_array(x)
    return ops.cast(x, _dt(dtype))


def shape(input, out_type=None, name=None):  # noqa: A002
    if isinstance(input, np.ndarray):
        return np.asarray(input.shape, dtype=np.int32).view(EagerTensor)
    return tuple(ops.shape(input))


def size(input, out_type=None, name=None):  # noqa: A002
    return ops.size(input)


def rank(input, name=None):  # noqa: A002
    return ops.ndim(input)


def reshape(tensor, shape, name=None):  # noqa: F811
    def _dim(s):
        try:
            return int(s)
        except Exception:  # a symbolic (traced) dimension, e.g. the batch size from tf.shape
            return s

    shape = tuple(_dim(s) for s in (_np(shape).tolist() if not isinstance(shape, (list, tuple)) else shape))
    if _is_str_like(tensor):
        return string_array(tensor).reshape(shape)
    return ops.reshape(tensor, shape)


def expand_dims(input, axis, name=None):  # noqa: A002
    if _is_str_like(input):
        return np.expand_dims(string_array(input), axis)
    return ops.expand_dims(input, axis)


def squeeze(input, axis=None, name=None):  # noqa: A002
    if _is_str_like(input):
        return np.squeeze(string_array(input), axis=_ax(axis))
    return ops.squeeze(input, axis=_ax(axis))


def transpose(a, perm=None, conjugate=False, name=None):
    if _is_str_like(a):
        return np.transpose(string_array(a), perm)
    return ops.transpose(a, axes=perm)


def concat(values, axis, name=None):
    if _any_str(*values):
        return np.concatenate([string_array(v) for v in values], axis=axis)
    return ops.concatenate(list(values), axis=axis)


def stack(values, axis=0, name=None):
    if _any_str(*values):
        return np.stack([string_array(v) for v in values], axis=axis)
    return ops.stack(list(values), axis=axis)


def unstack(value, num=None, axis=0, name=None):
    return ops.unstack(value, num=num, axis=axis)


def split(value, num_or_size_splits, axis=0, num=None, name=None):
    if isinstance(num_or_size_splits, int):
        return ops.split(value, num_or_size_splits, axis=axis)
    sizes = list(num_or_size_splits)
    idx = list(np.cumsum(sizes)[:-1])
    return ops.split(value, idx, axis=axis)


def tile(input, multiples, name=None):  # noqa: A002
    return ops.tile(input, tuple(multiples))


def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    return ops.repeat(input, repeats, axis=axis)


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    if batch_dims:
        # batched gather: the leading `batch_dims` axes of params and indices are paired up
        b = int(batch_dims)
        if b < 0:
            b += len(ops.shape(indices))
        axis = b if axis is None else int(axis)
        if axis < 0:
            axis += len(ops.shape(params))
        if len(ops.shape(params)) == len(ops.shape(indices)) == axis + 1 and b == axis and not _is_str_like(params):
            return ops.take_along_axis(params, ops.cast(indices, "int32"), axis=axis)
        n = int(ops.shape(params)[0])
        return stack([gather(params[i], indices[i], axis=axis - 1, batch_dims=b - 1) for i in builtins.range(n)], axis=0)
    if _is_str_like(params):
        return np.take(string_array(params), _np(indices), axis=axis or 0)
    return ops.take(params, indices, axis=axis or 0)


def gather_nd(params, indices, batch_dims=0, name=None):
    p = _np(params)
    idx = _np(indices)
    return wrap(p[tuple(np.moveaxis(idx, -1, 0))])


def where(condition, x=None, y=None, name=None):
    if x is None and y is None:
        return wrap(np.argwhere(_np(condition)).astype("int64"))
    return ops.where(condition, x, y)


def boolean_mask(tensor, mask, axis=None, name=None):
    if _is_str_like(tensor):
        return string_array(tensor)[_np(mask).astype(np.bool_)]
    return wrap(_np(tensor)[_np(mask).astype(np.bool_)])


def fill(dims, value, name=None):
    return ops.full(tuple(dims), value)


def zeros(shape, dtype=float32, name=None):  # noqa: F811
    return ops.zeros(tuple(shape) if not isinstance(shape, int) else (shape,), dtype=_dt(dtype))


def ones(shape, dtype=float32, name=None):
    return ops.ones(tuple(shape) if not isinstance(shape, int) else (shape,), dtype=_dt(dtype))


def _var_value(x):  # added (batch m): a keras.Variable (e.g. handed to a constraint) -> its value
    return x.value if isinstance(x, keras.Variable) else x


def zeros_like(input, dtype=None, name=None):  # noqa: A002
    return ops.zeros_like(_var_value(input), dtype=_dt(dtype))


def ones_like(input, dtype=None, name=None):  # noqa: A002
    return ops.ones_like(_var_value(input), dtype=_dt(dtype))


def eye(num_rows, num_columns=None, batch_shape=None, dtype=float32, name=None):
    return ops.eye(num_rows, num_columns, dtype=_dt(dtype))


def range(start, limit=None, delta=1, dtype=None, name=None):  # noqa: A001
    if limit is None:
        start, limit = 0, start
    return ops.arange(start, limit, delta, dtype=_dt(dtype))


def linspace(start, stop, num, name=None, axis=0):
    return ops.linspace(start, stop, num, axis=axis)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    return ops.clip(t, clip_value_min, clip_value_max)


def clip_by_norm(t, clip_norm, axes=None, name=None):
    n = ops.sqrt(ops.sum(ops.square(t), axis=_ax(axes), keepdims=True))
    return t * clip_norm / ops.maximum(n, clip_norm)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """tf.clip_by_global_norm: (list of clipped tensors, global norm); None entries stay None."""
    t_list = list(t_list)
    present = [t for t in t_list if t is not None]
    if use_norm is None:
        use_norm = ops.sqrt(builtins.sum(ops.sum(ops.square(ops.cast(t, "float32"))) for t in present)) if present else 0.0
    scale = clip_norm / ops.maximum(use_norm, clip_norm)
    return [None if t is None else t * ops.cast(scale, t.dtype) for t in t_list], use_norm


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    return ops.pad(tensor, [list(p) for p in _np(paddings).tolist()] if not isinstance(paddings, (list, tuple)) else paddings,
                   mode=mode.lower(), constant_values=constant_values if mode.upper() == "CONSTANT" else None)


def broadcast_to(input, shape, name=None):  # noqa: A002
    return ops.broadcast_to(input, tuple(shape))


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, name=None, **kw):
    if transpose_a or adjoint_a:
        a = ops.swapaxes(a, -1, -2)
    if transpose_b or adjoint_b:
        b = ops.swapaxes(b, -1, -2)
    return ops.matmul(a, b)


def tensordot(a, b, axes, name=None):
    return ops.tensordot(a, b, axes=axes)


def einsum(equation, *inputs, **kwargs):
    return ops.einsum(equation, *inputs)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    out = ops.one_hot(ops.cast(indices, "int32"), depth, axis=-1 if axis is None else axis, dtype=_dt(dtype) or "float32")
    if on_value is not None or off_value is not None:
        on = 1 if on_value is None else on_value
        off = 0 if off_value is None else off_value
        out = out * (on - off) + off
    return out


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002
    return ops.norm(tensor, ord=None if ord == "euclidean" else ord, axis=_ax(axis), keepdims=builtins.bool(keepdims))


def sort(values, axis=-1, direction="ASCENDING", name=None):
    s = ops.sort(values, axis=axis)
    return ops.flip(s, axis=axis) if direction == "DESCENDING" else s


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    s = ops.argsort(values, axis=axis)
    return ops.flip(s, axis=axis) if direction == "DESCENDING" else s


def reverse(tensor, axis, name=None):
    return ops.flip(tensor, axis=tuple(axis))


def _reducer(fn):
    def r(input_tensor, axis=None, keepdims=False, name=None):
        return fn(input_tensor, axis=_ax(axis), keepdims=keepdims)

    return r


reduce_mean = _reducer(ops.mean)
reduce_sum = _reducer(ops.sum)
reduce_max = _reducer(ops.max)
reduce_min = _reducer(ops.min)
reduce_prod = _reducer(ops.prod)
reduce_any = _reducer(ops.any)
reduce_all = _reducer(ops.all)
reduce_logsumexp = _reducer(ops.logsumexp)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    return ops.std(input_tensor, axis=_ax(axis), keepdims=keepdims)


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    return ops.var(input_tensor, axis=_ax(axis), keepdims=keepdims)


def _unary(fn):
    def u(x, name=None):
        return fn(x)

    return u


def _binary(fn):
    def b(x, y, name=None):
        return fn(x, y)

    return b


abs = _unary(ops.abs)  # noqa: A001
exp = _unary(ops.exp)
log = _unary(ops.log)
log1p = _unary(ops.log1p)
sqrt = _unary(ops.sqrt)
rsqrt = _unary(lambda x: 1.0 / ops.sqrt(x))
square = _unary(ops.square)
sign = _unary(ops.sign)
round = _unary(ops.round)  # noqa: A001
floor = _unary(ops.floor)
ceil = _unary(ops.ceil)
negative = _unary(ops.negative)
sigmoid = _unary(ops.sigmoid)
tanh = _unary(ops.tanh)
sin = _unary(ops.sin)
cos = _unary(ops.cos)
reciprocal = _unary(lambda x: 1.0 / x)
logical_not = _unary(ops.logical_not)
add = _binary(ops.add)
subtract = _binary(ops.subtract)
multiply = _binary(ops.multiply)
divide = _binary(ops.divide)
truediv = divide
floordiv = _binary(ops.floor_divide)
pow = _binary(ops.power)  # noqa: A001
maximum = _binary(ops.maximum)
minimum = _binary(ops.minimum)
equal = _binary(ops.equal)
not_equal = _binary(ops.not_equal)
greater = _binary(ops.greater)
greater_equal = _binary(ops.greater_equal)
less = _binary(ops.less)
less_equal = _binary(ops.less_equal)
logical_and = _binary(ops.logical_and)
logical_or = _binary(ops.logical_or)
squared_difference = _binary(lambda x, y: ops.square(x - y))
divide_no_nan = _binary(lambda x, y: ops.where(ops.equal(y, 0), ops.zeros_like(x), x / ops.where(ops.equal(y, 0), ops.ones_like(y), y)))


def add_n(inputs, name=None):
    return functools.reduce(ops.add, inputs)


def argmax(input, axis=None, output_type=int64, name=None):  # noqa: A002
    return ops.cast(ops.argmax(input, axis=0 if axis is None else axis), _dt(output_type))


def argmin(input, axis=None, output_type=int64, name=None):  # noqa: A002
    return ops.cast(ops.argmin(input, axis=0 if axis is None else axis), _dt(output_type))


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    return ops.cumsum(x, axis=axis)


def stop_gradient(x, name=None):
    return ops.stop_gradient(x)


def print_(*args, **kwargs):  # tf.print
    kwargs.pop("output_stream", None)
    kwargs.pop("summarize", None)
    builtins.print(*args, **kwargs)


# --------------------------------------------------------------------------
# tf.math / tf.nn / tf.linalg
# --------------------------------------------------------------------------


class _TopK(tuple):
    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]


def top_k(input, k=1, sorted=True, name=None):  # noqa: A002
    v, i = ops.top_k(input, k, sorted=sorted)
    return _TopK((v, i))


def confusion_matrix(labels, predictions, num_classes=None, weights=None, dtype=int32, name=None):
    labels = _np(labels).astype(np.int64).ravel()
    predictions = _np(predictions).astype(np.int64).ravel()
    n = num_classes or int(max(labels.max(initial=0), predictions.max(initial=0)) + 1)
    cm = np.zeros((n, n), dtype=np.dtype(_dt(dtype)))
    np.add.at(cm, (labels, predictions), 1 if weights is None else _np(weights).ravel())
    return wrap(cm)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    return ops.normalize(x, axis=-1 if axis is None else axis, order=2)


def in_top_k(targets, predictions, k, name=None):
    topk = ops.top_k(predictions, k)[1]
    return ops.any(ops.equal(topk, ops.expand_dims(ops.cast(targets, topk.dtype), -1)), axis=-1)


math = types.ModuleType("tensorflow.math")
for _n in [
    "abs", "exp", "log", "log1p", "sqrt", "rsqrt", "square", "sign", "round", "floor", "ceil",
    "negative", "sigmoid", "tanh", "sin", "cos", "reciprocal", "logical_not", "add", "subtract",
    "multiply", "divide", "truediv", "floordiv", "pow", "maximum", "minimum", "equal", "not_equal",
    "greater", "greater_equal", "less", "less_equal", "logical_and", "logical_or",
    "squared_difference", "divide_no_nan", "add_n", "argmax", "argmin", "cumsum", "reduce_mean",
    "reduce_sum", "reduce_max", "reduce_min", "reduce_prod", "reduce_any", "reduce_all",
    "reduce_logsumexp", "reduce_std", "reduce_variance", "top_k", "confusion_matrix",
    "l2_normalize", "in_top_k",
]:
    setattr(math, _n, globals()[_n])
math.is_nan = _unary(ops.isnan)
math.is_finite = _unary(ops.isfinite)
math.softplus = _unary(ops.softplus)
math.erf = _unary(ops.erf)
math.cosh = _unary(ops.cosh)  # added (batch m): tf.math.cosh / sinh
math.sinh = _unary(ops.sinh)
math.mod = _binary(ops.mod)
math.floormod = math.mod


def _act(fn):
    def a(features, name=None, **kw):
        return fn(features)

    return a


nn = types.ModuleType("tensorflow.nn")
nn.relu = _act(ops.relu)
nn.relu6 = _act(ops.relu6)
nn.elu = _act(ops.elu)
nn.selu = _act(ops.selu)
nn.gelu = lambda features, approximate=False, name=None: ops.gelu(features, approximate=approximate)
nn.sigmoid = _act(ops.sigmoid)
nn.tanh = _act(ops.tanh)
nn.softplus = _act(ops.softplus)
nn.silu = nn.swish = _act(ops.silu)
nn.leaky_relu = lambda features, alpha=0.2, name=None: ops.leaky_relu(features, negative_slope=alpha)
nn.softmax = lambda logits, axis=None, name=None: ops.softmax(logits, axis=-1 if axis is None else axis)
nn.log_softmax = lambda logits, axis=None, name=None: ops.log_softmax(logits, axis=-1 if axis is None else axis)
nn.l2_normalize = l2_normalize
nn.moments = lambda x, axes, shift=None, keepdims=False, name=None: ops.moments(x, _ax(axes), keepdims=keepdims)
nn.dropout = lambda x, rate, noise_shape=None, seed=None, name=None: keras.random.dropout(x, rate, noise_shape=noise_shape, seed=_seed(seed))
nn.bias_add = lambda value, bias, data_format=None, name=None: value + bias
nn.embedding_lookup = lambda params, ids, max_norm=None, name=None: ops.take(params, ids, axis=0)
nn.sparse_softmax_cross_entropy_with_logits = lambda labels=None, logits=None, name=None: ops.sparse_categorical_crossentropy(labels, logits, from_logits=True)
nn.softmax_cross_entropy_with_logits = lambda labels=None, logits=None, axis=-1, name=None: ops.categorical_crossentropy(labels, logits, from_logits=True, axis=axis)
nn.sigmoid_cross_entropy_with_logits = lambda labels=None, logits=None, name=None: ops.binary_crossentropy(labels, logits, from_logits=True)
nn.compute_average_loss = lambda per_example_loss, sample_weight=None, global_batch_size=None: ops.sum(per_example_loss) / (global_batch_size or ops.size(per_example_loss))
nn.top_k = top_k
nn.in_top_k = in_top_k

linalg = types.ModuleType("tensorflow.linalg")
linalg.matmul = matmul
linalg.norm = norm
linalg.l2_normalize = l2_normalize
linalg.eye = eye
linalg.inv = _unary(ops.inv)
linalg.det = _unary(ops.det)
linalg.diag = _unary(ops.diag)
linalg.diag_part = _unary(ops.diagonal)
linalg.trace = _unary(ops.trace)
linalg.einsum = einsum
linalg.tensordot = tensordot

# --------------------------------------------------------------------------
# tf.random
# --------------------------------------------------------------------------

_SEED_COUNTER = itertools.count(1)


def _seed(seed):
    # An integer seed works both eagerly and while a layer is being traced;
    # a fresh one per call keeps eager draws different from each other.
    return int(seed) if seed is not None else next(_SEED_COUNTER) + 7919 * _GLOBAL_SEED[0]


_GLOBAL_SEED = [0]

random = types.ModuleType("tensorflow.random")


def _shape(s):
    if isinstance(s, int):
        return (s,)
    return tuple(_dim_or_symbolic(d) for d in s)


def _dim_or_symbolic(d):
    # a symbolic (unknown batch) dimension, as in `tf.random.normal(tf.shape(z_mean))` while Keras infers a
    # layer's output shape, stays symbolic: keras.random accepts it there, as TF accepts a dynamic shape
    try:
        return int(d)
    except Exception:
        if type(d).__module__.startswith("jax"):
            return d
        raise


def _set_seed(seed):
    _GLOBAL_SEED[0] = int(seed)
    keras.utils.set_random_seed(int(seed))


random.set_seed = _set_seed
random.normal = lambda shape, mean=0.0, stddev=1.0, dtype=float32, seed=None, name=None: keras.random.normal(_shape(shape), mean=mean, stddev=stddev, dtype=_dt(dtype), seed=_seed(seed))
random.truncated_normal = lambda shape, mean=0.0, stddev=1.0, dtype=float32, seed=None, name=None: keras.random.truncated_normal(_shape(shape), mean=mean, stddev=stddev, dtype=_dt(dtype), seed=_seed(seed))


def _uniform(shape, minval=0, maxval=None, dtype=float32, seed=None, name=None):
    d = _dt(dtype)
    if "int" in d:
        return keras.random.randint(_shape(shape), minval, maxval, dtype=d, seed=_seed(seed))
    return keras.random.uniform(_shape(shape), minval=minval, maxval=1.0 if maxval is None else maxval, dtype=d, seed=_seed(seed))


random.uniform = _uniform
random.categorical = lambda logits, num_samples, dtype=None, seed=None, name=None: keras.random.categorical(logits, num_samples, dtype=_dt(dtype) or "int64", seed=_seed(seed))
random.shuffle = lambda value, seed=None, name=None: keras.random.shuffle(value, seed=_seed(seed))
random.gamma = lambda shape, alpha, beta=None, dtype=float32, seed=None, name=None: keras.random.gamma(_shape(shape), alpha, dtype=_dt(dtype), seed=_seed(seed)) / (1.0 if beta is None else beta)

# --------------------------------------------------------------------------
# tf.strings
# --------------------------------------------------------------------------

strings = types.ModuleType("tensorflow.strings")


def _re2(pattern):
    # RE2 and Python `re` agree on the patterns used in practice; RE2's
    # `[[:punct:]]` style classes are translated.
    p = _to_text(pattern)
    p = p.replace("[:punct:]", re.escape("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"))
    p = p.replace("[:space:]", r"\s").replace("[:alnum:]", "a-zA-Z0-9")
    return re.compile(p)


def _regex_replace(input, pattern, rewrite, replace_global=True, name=None):  # noqa: A002
    rx = _re2(pattern)
    rw = _to_text(rewrite)
    return _vec_str(lambda s: rx.sub(rw, s, count=0 if replace_global else 1), input)


strings.regex_replace = _regex_replace
strings.lower = lambda input, encoding="", name=None: _vec_str(str.lower, input)
strings.upper = lambda input, encoding="", name=None: _vec_str(str.upper, input)
strings.strip = lambda input, name=None: _vec_str(str.strip, input)
strings.as_string = lambda input, precision=-1, name=None, **kw: string_array(np.vectorize(str, otypes=[object])(_np(input)))
strings.regex_full_match = lambda input, pattern, name=None: wrap(np.vectorize(lambda s: builtins.bool(_re2(pattern).fullmatch(_to_text(s))), otypes=[np.bool_])(string_array(input)))


def _length(input, unit="BYTE", name=None):  # noqa: A002
    f = (lambda s: len(s)) if unit == "BYTE" else (lambda s: len(_to_text(s)))
    return wrap(np.vectorize(f, otypes=[np.int32])(string_array(input).view(np.ndarray)))


strings.length = _length


def _to_number(string_tensor, out_type=float32, name=None):
    a = string_array(string_tensor).view(np.ndarray)
    return wrap(np.vectorize(lambda s: float(_to_text(s)), otypes=[np.float64])(a).astype(_dt(out_type)))


strings.to_number = _to_number


def _split_scalar(s, sep, maxsplit=-1):
    t = _to_text(s)
    parts = t.split(None if sep is None else _to_text(sep), maxsplit)
    return string_array(np.array(parts, dtype=object))


def _split(input, sep=None, maxsplit=-1, name=None):  # noqa: A002
    a = string_array(input)
    if a.ndim == 0:
        return _split_scalar(a[()], sep, maxsplit)
    return [_split_scalar(s, sep, maxsplit) for s in a.view(np.ndarray)]


strings.split = _split


def _unicode_split(input, input_encoding="UTF-8", errors="replace", replacement_char=65533, name=None):  # noqa: A002
    a = string_array(input)
    if a.ndim == 0:
        # the plain bytes (EagerTensor indexing would give a 0-d tensor whose str() is "b'...'")
        return string_array(np.array(list(_to_text(a.view(np.ndarray)[()])), dtype=object))
    return [string_array(np.array(list(_to_text(s)), dtype=object)) for s in a.view(np.ndarray).ravel()]


strings.unicode_split = _unicode_split
strings.bytes_split = _unicode_split


def _reduce_join(inputs, axis=None, keepdims=False, separator="", name=None):
    a = string_array(inputs).view(np.ndarray)
    sep = _to_text(separator)
    if axis is None:
        return string_array(sep.join(_to_text(s) for s in a.ravel()))
    joined = np.apply_along_axis(lambda r: sep.join(_to_text(s) for s in r), axis, a) if a.ndim > 1 else np.array(sep.join(_to_text(s) for s in a), dtype=object)
    out = string_array(joined)
    return np.expand_dims(out, axis) if keepdims else out


strings.reduce_join = _reduce_join


def _join(inputs, separator="", name=None):
    arrs = np.broadcast_arrays(*[string_array(x).view(np.ndarray) for x in inputs])
    out = np.empty(arrs[0].shape, dtype=object)
    for idx in np.ndindex(out.shape):
        out[idx] = _to_text(separator).join(_to_text(a[idx]) for a in arrs)
    return string_array(out)


strings.join = _join
strings.substr = lambda input, pos, len, unit="BYTE", name=None: _vec_str(lambda s: s[pos:pos + len], input)  # noqa: A002

# --------------------------------------------------------------------------
# tf.io / tf.image
# --------------------------------------------------------------------------

io = types.ModuleType("tensorflow.io")


def read_file(filename, name=None):
    with builtins.open(_to_text(_np(filename)[()] if isinstance(filename, np.ndarray) else filename), "rb") as f:
        return string_array(np.array(f.read(), dtype=object))


def write_file(filename, contents, name=None):
    with builtins.open(_to_text(filename), "wb") as f:
        f.write(_to_bytes(_np(contents)[()] if isinstance(contents, np.ndarray) else contents))


def _decode_image(contents, channels=0, dtype=uint8, name=None, expand_animations=True, **kw):
    from PIL import Image

    data = _np(contents)[()] if isinstance(contents, np.ndarray) else contents
    img = Image.open(_io.BytesIO(_to_bytes(data)))
    if channels == 1:
        img = img.convert("L")
    elif channels == 3:
        img = img.convert("RGB")
    elif channels == 4:
        img = img.convert("RGBA")
    arr = np.asarray(img)
    if arr.ndim == 2:
        arr = arr[..., None]
    arr = arr.astype("uint8")
    if _dt(dtype) != "uint8":
        arr = arr.astype(_dt(dtype)) / 255.0
    return wrap(arr)


io.read_file = read_file
io.write_file = write_file
io.decode_png = _decode_image
io.decode_jpeg = _decode_image
io.decode_image = _decode_image
io.decode_bmp = _decode_image


def _decode_csv(records, record_defaults, field_delim=",", use_quote_delim=True, na_value="", select_cols=None,
                name=None):
    """tf.io.decode_csv: one tensor per column, shaped like `records` (scalar or batch of lines).
    A default may be a value, a one-element list, or an empty tensor (column required)."""
    import csv as _csv

    specs = []
    for d in record_defaults:
        if isinstance(d, np.ndarray):
            arr = d
        else:
            arr = np.asarray(d if isinstance(d, (list, tuple)) else [d])
        if arr.dtype.kind in "OSU":
            kind = "string"
        elif arr.dtype.kind == "f":
            kind = "float64" if arr.dtype == np.float64 and not isinstance(d, (list, tuple)) else "float32"
        elif arr.dtype.kind == "b":
            kind = "bool"
        else:
            kind = "int64" if arr.dtype == np.int64 and isinstance(d, np.ndarray) else "int32"
        default = arr.ravel()[0] if arr.size else None
        specs.append((kind, default))
    lines = string_array(records)
    flat = np.atleast_1d(np.asarray(lines).view(np.ndarray)).ravel().tolist()
    cols = [[] for _ in specs]
    for ln in flat:
        text = _to_text(ln)
        if use_quote_delim:
            fields = next(_csv.reader([text], delimiter=field_delim))
        else:
            fields = text.split(field_delim)
        if select_cols is not None:
            fields = [fields[i] for i in select_cols]
        if len(fields) != len(specs):
            raise ValueError("Expect %d fields but have %d in record %r" % (len(specs), len(fields), text))
        for i, ((kind, default), f) in enumerate(zip(specs, fields)):
            if f == "" or f == na_value:
                if default is None:
                    raise ValueError("Field %d is required but missing in record %r" % (i, text))
                v = default
            else:
                v = f
            if kind == "string":
                cols[i].append(_to_bytes(v))
            elif kind == "bool":
                cols[i].append(_to_text(v).lower() in ("1", "true") if isinstance(v, (str, bytes)) else builtins.bool(v))
            elif kind.startswith("float"):
                cols[i].append(float(v))
            else:
                cols[i].append(int(float(v)) if isinstance(v, (str, bytes)) else int(v))
    out = []
    for (kind, _), vals in zip(specs, cols):
        arr = np.array(vals, dtype=object if kind == "string" else kind)
        arr = arr.reshape(np.shape(lines))
        out.append(string_array(arr) if kind == "string" else wrap(arr))
    return out


io.decode_csv = _decode_csv


class _GFile:
    exists = staticmethod(os.path.exists)
    listdir = staticmethod(os.listdir)
    isdir = staticmethod(os.path.isdir)
    makedirs = staticmethod(lambda p: os.makedirs(p, exist_ok=True))
    mkdir = staticmethod(os.mkdir)
    remove = staticmethod(os.remove)
    GFile = staticmethod(builtins.open)

    @staticmethod
    def glob(pattern):
        import glob as _g

        return _g.glob(pattern)


io.gfile = _GFile()

image = types.ModuleType("tensorflow.image")


def _resize(images, size, method="bilinear", preserve_aspect_ratio=False, antialias=False, name=None):
    m = getattr(method, "value", method)
    m = {"area": "bilinear", "gaussian": "bilinear", "mitchellcubic": "bicubic"}.get(str(m).lower(), str(m).lower())
    x = images
    if "int" in str(getattr(x, "dtype", "")):
        x = ops.cast(x, "float32")
    return ops.image.resize(x, tuple(int(s) for s in size), interpolation=m, antialias=antialias)


def _convert_image_dtype(image, dtype, saturate=False, name=None):
    src = keras.backend.standardize_dtype(getattr(image, "dtype", "float32"))
    dst = _dt(dtype)
    if src == dst:
        return image
    if "int" in src and "float" in dst:
        return ops.cast(image, dst) / float(np.iinfo(src).max)
    if "float" in src and "int" in dst:
        return ops.cast(ops.clip(image, 0.0, 1.0) * float(np.iinfo(dst).max) + 0.5, dst)
    return ops.cast(image, dst)


def _rgb_to_grayscale(images, name=None):
    w = ops.convert_to_tensor(np.array([0.2989, 0.5870, 0.1140], dtype="float32"))
    return ops.expand_dims(ops.sum(ops.cast(images, "float32") * w, axis=-1), -1)


def _random_flip(axis):
    def f(image, seed=None):
        flip = keras.random.uniform((), seed=_seed(seed)) < 0.5
        return ops.where(flip, ops.flip(image, axis=axis), image)

    return f


def _extract_patches(images, sizes, strides, rates, padding, name=None):
    return ops.image.extract_patches(images, size=tuple(sizes[1:3]), strides=tuple(strides[1:3]),
                                     dilation_rate=int(rates[1]), padding=padding.lower())


def _random_crop(value, size, seed=None, name=None):
    v = _np(value)
    start = [np.random.randint(0, v.shape[i] - size[i] + 1) for i in builtins.range(len(size))]
    sl = tuple(slice(s, s + n) for s, n in zip(start, size))
    return wrap(v[sl])


image.resize = _resize
image.ResizeMethod = types.SimpleNamespace(BILINEAR="bilinear", NEAREST_NEIGHBOR="nearest", BICUBIC="bicubic", AREA="area", LANCZOS3="lanczos3")
image.convert_image_dtype = _convert_image_dtype
image.flip_left_right = lambda image: ops.flip(image, axis=-2)
image.flip_up_down = lambda image: ops.flip(image, axis=-3)
image.random_flip_left_right = _random_flip(-2)
image.random_flip_up_down = _random_flip(-3)
image.rgb_to_grayscale = _rgb_to_grayscale
image.grayscale_to_rgb = lambda images, name=None: ops.concatenate([images] * 3, axis=-1)
image.decode_png = image.decode_jpeg = image.decode_image = _decode_image
image.extract_patches = _extract_patches
image.random_crop = _random_crop
image.adjust_brightness = lambda image, delta: image + delta
image.random_brightness = lambda image, max_delta, seed=None: image + keras.random.uniform((), -max_delta, max_delta, seed=_seed(seed))
# saturation / contrast: blend towards the grey image / the per-image mean (close to tf.image for small factors)
image.adjust_saturation = lambda image, saturation_factor, name=None: ops.mean(image, axis=-1, keepdims=True) + saturation_factor * (image - ops.mean(image, axis=-1, keepdims=True))
image.random_saturation = lambda image, lower, upper, seed=None: ops.mean(image, axis=-1, keepdims=True) + keras.random.uniform((), lower, upper, seed=_seed(seed)) * (image - ops.mean(image, axis=-1, keepdims=True))
image.adjust_contrast = lambda images, contrast_factor: ops.mean(images, axis=(-3, -2), keepdims=True) + contrast_factor * (images - ops.mean(images, axis=(-3, -2), keepdims=True))
image.random_contrast = lambda image, lower, upper, seed=None: ops.mean(image, axis=(-3, -2), keepdims=True) + keras.random.uniform((), lower, upper, seed=_seed(seed)) * (image - ops.mean(image, axis=(-3, -2), keepdims=True))
image.per_image_standardization = lambda image: (image - ops.mean(image, axis=(-3, -2, -1), keepdims=True)) / ops.maximum(ops.std(image, axis=(-3, -2, -1), keepdims=True), 1e-6)
image.central_crop = lambda image, central_fraction: image
image.resize_with_pad = lambda image, target_height, target_width, method="bilinear", antialias=False: ops.image.resize(image, (target_height, target_width), interpolation=method, pad_to_aspect_ratio=True)


def _resize_with_crop_or_pad(image, target_height, target_width):  # (added, batch q)
    """tf.image.resize_with_crop_or_pad: centred crop and/or zero padding of a 3-D image or a 4-D batch."""
    x = image
    h_ax = len(x.shape) - 3
    for ax, target in ((h_ax, int(target_height)), (h_ax + 1, int(target_width))):
        size = int(x.shape[ax])
        if size > target:
            start = (size - target) // 2
            idx = [slice(None)] * len(x.shape)
            idx[ax] = slice(start, start + target)
            x = x[tuple(idx)]
        elif size < target:
            before = (target - size) // 2
            pads = [(0, 0)] * len(x.shape)
            pads[ax] = (before, target - size - before)
            x = ops.pad(x, pads)
    return x


image.resize_with_crop_or_pad = _resize_with_crop_or_pad

# --------------------------------------------------------------------------
# GradientTape / function / misc no-op stand-ins
# --------------------------------------------------------------------------


def _zeros_for(src):
    if src is None:
        return None
    if isinstance(src, keras.Variable):
        return ops.zeros(tuple(src.shape), dtype=src.dtype)
    return ops.zeros_like(src)


class GradientTape:
    """Records nothing; `gradient()` returns zeros shaped like the sources."""

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self.persistent = persistent

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def watch(self, tensor):
        return None

    def stop_recording(self):
        return contextlib.nullcontext()

    def reset(self):
        return None

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients=None):
        return keras.tree.map_structure(_zeros_for, sources)

    def jacobian(self, target, sources, **kw):
        return keras.tree.map_structure(_zeros_for, sources)


def function(func=None, input_signature=None, autograph=True, jit_compile=None, reduce_retracing=False, **kwargs):
    if func is None:
        return lambda f: f
    return func


def py_function(func, inp, Tout, name=None):
    return func(*inp)


numpy_function = py_function


def executing_eagerly():
    return True


def device(name):
    return contextlib.nullcontext()


def name_scope(name):
    return contextlib.nullcontext()


class _Checkpoint:
    def __init__(self, root=None, **kwargs):
        self._objects = dict(kwargs)
        self._count = 0

    def save(self, file_prefix, options=None):
        self._count += 1
        path = "%s-%d" % (file_prefix, self._count)
        return path

    write = save

    def restore(self, save_path=None, options=None):
        return types.SimpleNamespace(expect_partial=lambda: None, assert_consumed=lambda: None,
                                     assert_existing_objects_matched=lambda: None)

    read = restore


class _CheckpointManager:
    def __init__(self, checkpoint, directory, max_to_keep=None, **kw):
        self.checkpoint = checkpoint
        self.directory = directory
        self.latest_checkpoint = None

    def save(self, checkpoint_number=None, **kw):
        self.latest_checkpoint = self.checkpoint.save(os.path.join(self.directory, "ckpt"))
        return self.latest_checkpoint


train = types.ModuleType("tensorflow.train")
train.Checkpoint = _Checkpoint
train.CheckpointManager = _CheckpointManager
train.latest_checkpoint = lambda checkpoint_dir, latest_filename=None: None


class _Writer:
    def as_default(self, step=None):
        return contextlib.nullcontext()

    def flush(self):
        return None

    def close(self):
        return None

    def set_as_default(self, step=None):
        return None


summary = types.ModuleType("tensorflow.summary")
summary.create_file_writer = lambda logdir, **kw: _Writer()
summary.scalar = lambda *a, **k: True
summary.image = lambda *a, **k: True
summary.histogram = lambda *a, **k: True
summary.text = lambda *a, **k: True

config = types.ModuleType("tensorflow.config")


class PhysicalDevice(tuple):
    @property
    def name(self):
        return self[0]

    @property
    def device_type(self):
        return self[1]


def _list_devices(device_type=None):
    cpu = PhysicalDevice(("/physical_device:CPU:0", "CPU"))
    return [cpu] if device_type in (None, "CPU") else []


config.list_physical_devices = _list_devices
config.list_logical_devices = _list_devices
config.get_visible_devices = _list_devices
config.set_visible_devices = lambda *a, **k: None
config.run_functions_eagerly = lambda flag: None
config.experimental = types.SimpleNamespace(
    set_memory_growth=lambda *a, **k: None,
    list_physical_devices=_list_devices,
    enable_op_determinism=lambda: None,
)
config.threading = types.SimpleNamespace(set_intra_op_parallelism_threads=lambda n: None,
                                         set_inter_op_parallelism_threads=lambda n: None)
config.optimizer = types.SimpleNamespace(set_jit=lambda flag: None)

compat = types.ModuleType("tensorflow.compat")
compat.as_bytes = lambda bytes_or_text, encoding="utf-8": _to_bytes(bytes_or_text)
compat.as_str = compat.as_text = lambda bytes_or_text, encoding="utf-8": _to_text(bytes_or_text)
compat.v1 = types.SimpleNamespace(logging=types.SimpleNamespace(set_verbosity=lambda v: None, ERROR=40, INFO=20, WARN=30))

debugging = types.ModuleType("tensorflow.debugging")
debugging.set_log_device_placement = lambda flag: None
debugging.assert_equal = lambda *a, **k: None
debugging.assert_shapes = lambda *a, **k: None

autograph = types.SimpleNamespace(set_verbosity=lambda *a, **k: None, experimental=types.SimpleNamespace(do_not_convert=lambda f=None: f))

get_logger = lambda: types.SimpleNamespace(setLevel=lambda *a: None)  # noqa: E731

test = types.ModuleType("tensorflow.test")
test.is_gpu_available = lambda *a, **k: False
test.gpu_device_name = lambda: ""
test.is_built_with_cuda = lambda: False

sysconfig = types.SimpleNamespace(get_build_info=lambda: {})


class _Strategy:
    num_replicas_in_sync = 1

    def scope(self):
        return contextlib.nullcontext()

    def experimental_distribute_dataset(self, ds):
        return ds


distribute = types.ModuleType("tensorflow.distribute")
distribute.MirroredStrategy = lambda *a, **k: _Strategy()
distribute.OneDeviceStrategy = lambda *a, **k: _Strategy()
distribute.get_strategy = lambda: _Strategy()

errors = types.SimpleNamespace(InvalidArgumentError=ValueError, OutOfRangeError=StopIteration, NotFoundError=FileNotFoundError)

# --------------------------------------------------------------------------
# tf.data: a small NumPy-backed Dataset
# --------------------------------------------------------------------------

INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2
AUTOTUNE = -1


def _leaves(s):
    return keras.tree.flatten(s)


def _map_structure(fn, *ss):
    return keras.tree.map_structure(fn, *ss)


def _normalize_structure(x):
    """Input of from_tensor_slices/from_tensors -> structure of arrays."""
    if isinstance(x, dict):
        return {k: _normalize_structure(v) for k, v in x.items()}
    if isinstance(x, tuple):
        if hasattr(x, "_fields"):
            return type(x)(*[_normalize_structure(v) for v in x])
        return tuple(_normalize_structure(v) for v in x)
    return _as_array(x)


def _as_array(v):
    if hasattr(v, "to_numpy") and not isinstance(v, np.ndarray):  # pandas
        v = v.to_numpy()
    if isinstance(v, keras.Variable):
        v = v.value
    if _is_str_like(v):
        return string_array(v)
    if isinstance(v, np.ndarray):
        if v.dtype == np.float64:
            return v  # TF keeps float64 for NumPy input
        return v
    if isinstance(v, (list, builtins.int, builtins.float, builtins.bool)):
        a = np.asarray(v)
        if a.dtype == np.float64:
            a = a.astype("float32")  # python floats -> tf.float32
        elif a.dtype == np.int64 and not isinstance(v, np.ndarray):
            a = a.astype("int32")
        return a
    return v  # jax arrays etc.


def _to_batch_leaf(items):
    arrs = [_np(i) for i in items]
    if arrs and arrs[0].dtype == object:
        out = np.empty((len(arrs),) + arrs[0].shape, dtype=object)
        for i, a in enumerate(arrs):
            # a 0-d object array (one string) goes in as its bytes, not as a nested array
            out[i] = a[()] if a.ndim == 0 else a
        return out
    return np.stack(arrs)


def _is_struct(e):
    return isinstance(e, (tuple, dict, list))


class _NumpyIterator:
    def __init__(self, it):
        self._it = it

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._it)

    next = __next__


class Dataset:
    """Lazy NumPy-backed stand-in for `tf.data.Dataset`."""

    def __init__(self, make_iter, cardinality=UNKNOWN_CARDINALITY):
        self._make_iter = make_iter
        self._card = cardinality

    # -- iteration ---------------------------------------------------------
    def __iter__(self):
        for e in self._make_iter():
            yield wrap_structure(e)

    def __len__(self):
        if self._card == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if self._card < 0:
            raise TypeError("The dataset length is unknown.")
        return int(self._card)

    def __bool__(self):
        return True

    def cardinality(self):
        return wrap(np.int64(self._card))

    def as_numpy_iterator(self):
        def gen():
            for e in self._make_iter():
                yield _map_structure(lambda t: _np(t)[()] if _np(t).ndim == 0 else _np(t), e)

        return _NumpyIterator(gen())

    def get_single_element(self):
        return next(iter(self))

    @property
    def element_spec(self):
        e = next(iter(self._make_iter()))

        def spec(t):
            a = _np(t)
            return TensorSpec(shape=a.shape, dtype="string" if a.dtype == object else a.dtype.name)

        return _map_structure(spec, e)

    def __repr__(self):
        return "<_FakeDataset cardinality=%d>" % self._card

    # -- constructors ----------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        t = _normalize_structure(tensors)
        leaves = _leaves(t)
        n = len(leaves[0])
        for leaf in leaves:
            if len(leaf) != n:
                raise ValueError("Dimensions %d and %d are not compatible" % (n, len(leaf)))

        def it():
            for i in builtins.range(n):
                yield _map_structure(lambda a, i=i: a[i], t)

        return Dataset(it, n)

    @staticmethod
    def from_tensors(tensors, name=None):
        t = _normalize_structure(tensors)
        return Dataset(lambda: iter([t]), 1)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None, output_signature=None, name=None):
        def it():
            g = generator(*args) if args is not None else generator()
            for e in g:
                if isinstance(e, list):
                    e = tuple(e)
                yield _normalize_structure(e)

        return Dataset(it, UNKNOWN_CARDINALITY)

    @staticmethod
    def range(*args, output_type=int64, name=None):
        r = builtins.range(*args)
        return Dataset(lambda: (np.array(i, dtype=_dt(output_type)) for i in r), len(r))

    @staticmethod
    def zip(*datasets, name=None):
        if len(datasets) == 1 and not isinstance(datasets[0], Dataset):
            datasets = datasets[0]
        struct = datasets
        flat = _leaves(struct) if not isinstance(struct, Dataset) else [struct]
        cards = [d._card for d in flat]
        finite = [c for c in cards if c >= 0]
        card = min(finite) if finite else (INFINITE_CARDINALITY if all(c == INFINITE_CARDINALITY for c in cards) else UNKNOWN_CARDINALITY)

        def it():
            for items in zip(*[d._make_iter() for d in flat]):
                yield keras.tree.pack_sequence_as(struct, list(items))

        return Dataset(it, card)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None):
        import glob as _g

        patterns = [file_pattern] if isinstance(file_pattern, (str, bytes, os.PathLike)) else list(np.ravel(file_pattern))
        files = sorted({f for p in patterns for f in _g.glob(_to_text(os.fspath(p) if isinstance(p, os.PathLike) else p))})
        if shuffle or shuffle is None:
            np.random.default_rng(seed).shuffle(files)
        return Dataset.from_tensor_slices(np.array(files, dtype=object))

    # -- transformations -------------------------------------------------
    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        src = self

        def it():
            for e in src._make_iter():
                e = wrap_structure(e)
                out = map_func(*e) if isinstance(e, tuple) and not hasattr(e, "_fields") else map_func(e)
                if isinstance(out, list):
                    out = tuple(out)
                yield out

        return Dataset(it, self._card)

    def filter(self, predicate, name=None):
        src = self

        def it():
            for e in src._make_iter():
                e = wrap_structure(e)
                keep = predicate(*e) if isinstance(e, tuple) else predicate(e)
                if builtins.bool(_np(keep)):
                    yield e

        return Dataset(it, UNKNOWN_CARDINALITY if self._card != INFINITE_CARDINALITY else INFINITE_CARDINALITY)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None, deterministic=None, name=None):
        src = self
        batch_size = int(batch_size)

        def it():
            buf = []
            yielded = False
            for e in src._make_iter():
                buf.append(e)
                if len(buf) == batch_size:
                    yield _map_structure(lambda *xs: _to_batch_leaf(xs), *buf)
                    yielded = True
                    buf = []
            # (batch n) the synthetic data sets are far smaller than the real ones: when the whole data set is
            # smaller than one drop_remainder batch, keep the partial batch rather than yield nothing
            if buf and (not drop_remainder or not yielded):
                yield _map_structure(lambda *xs: _to_batch_leaf(xs), *buf)

        if self._card >= 0:
            card = max(self._card // batch_size, min(self._card, 1)) if drop_remainder else -(-self._card // batch_size)
        else:
            card = self._card
        return Dataset(it, card)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None, drop_remainder=False, name=None):
        src = self

        def pad_leaf(*xs):
            arrs = [_np(x) for x in xs]
            shape = tuple(max(a.shape[d] for a in arrs) for d in builtins.range(arrs[0].ndim))
            out = np.zeros((len(arrs),) + shape, dtype=arrs[0].dtype)
            for i, a in enumerate(arrs):
                out[(i,) + tuple(slice(0, s) for s in a.shape)] = a
            return out

        def it():
            buf = []
            for e in src._make_iter():
                buf.append(e)
                if len(buf) == batch_size:
                    yield _map_structure(pad_leaf, *buf)
                    buf = []
            if buf and not drop_remainder:
                yield _map_structure(pad_leaf, *buf)

        return Dataset(it, self.batch(batch_size, drop_remainder)._card)

    def unbatch(self, name=None):
        src = self

        def it():
            for e in src._make_iter():
                n = len(_np(_leaves(e)[0]))
                for i in builtins.range(n):
                    yield _map_structure(lambda a, i=i: _np(a)[i], e)

        return Dataset(it, UNKNOWN_CARDINALITY if self._card != INFINITE_CARDINALITY else INFINITE_CARDINALITY)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None, name=None):
        src = self
        state = {"epoch": 0}

        def it():
            rng = np.random.default_rng(None if seed is None else seed + (state["epoch"] if reshuffle_each_iteration is not False else 0))
            state["epoch"] += 1
            buf = []
            for e in src._make_iter():
                buf.append(e)
                if len(buf) >= max(int(buffer_size), 1):
                    j = rng.integers(len(buf))
                    buf[j], buf[-1] = buf[-1], buf[j]
                    yield buf.pop()
            rng.shuffle(buf)
            yield from buf

        return Dataset(it, self._card)

    def repeat(self, count=None, name=None):
        src = self

        def it():
            if count is None or count < 0:
                while True:
                    yield from src._make_iter()
            else:
                for _ in builtins.range(count):
                    yield from src._make_iter()

        if count is None or count < 0:
            card = INFINITE_CARDINALITY
        else:
            card = self._card * count if self._card >= 0 else self._card
        return Dataset(it, card)

    def take(self, count, name=None):
        src = self
        count = int(count)

        def it():
            if count < 0:
                yield from src._make_iter()
                return
            yield from itertools.islice(src._make_iter(), count)

        if count < 0:
            card = self._card
        elif self._card == INFINITE_CARDINALITY:
            card = count
        elif self._card >= 0:
            card = min(count, self._card)
        else:
            card = UNKNOWN_CARDINALITY
        return Dataset(it, card)

    def skip(self, count, name=None):
        src = self
        count = int(count)

        def it():
            yield from itertools.islice(src._make_iter(), count, None)

        card = max(self._card - count, 0) if self._card >= 0 else self._card
        return Dataset(it, card)

    def concatenate(self, dataset, name=None):
        a, b = self, dataset

        def it():
            yield from a._make_iter()
            yield from b._make_iter()

        card = a._card + b._card if a._card >= 0 and b._card >= 0 else UNKNOWN_CARDINALITY
        return Dataset(it, card)

    def enumerate(self, start=0, name=None):
        src = self

        def it():
            for i, e in builtins.enumerate(src._make_iter(), start):
                yield (np.int64(i), e)

        return Dataset(it, self._card)

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        src = self
        shift = size if shift is None else shift

        def it():
            items = list(src._make_iter())
            span = (size - 1) * stride + 1
            for start in builtins.range(0, len(items), shift):
                w = items[start:start + span:stride]
                if len(w) < size and drop_remainder:
                    break
                if not w:
                    break
                first = w[0]
                if isinstance(first, tuple):
                    yield tuple(Dataset.from_tensor_slices(_to_batch_leaf([x[k] for x in w])) for k in builtins.range(len(first)))
                elif isinstance(first, dict):
                    yield {k: Dataset.from_tensor_slices(_to_batch_leaf([x[k] for x in w])) for k in first}
                else:
                    yield Dataset.from_tensor_slices(_to_batch_leaf(w))

        return Dataset(it, UNKNOWN_CARDINALITY)

    def flat_map(self, map_func, name=None):
        src = self

        def it():
            for e in src._make_iter():
                inner = map_func(*e) if isinstance(e, tuple) else map_func(e)
                yield from inner._make_iter()

        return Dataset(it, UNKNOWN_CARDINALITY)

    def interleave(self, map_func, cycle_length=None, block_length=None, num_parallel_calls=None, deterministic=None, name=None):
        return self.flat_map(map_func)

    def reduce(self, initial_state, reduce_func, name=None):
        state = initial_state
        for e in self:
            state = reduce_func(state, e)
        return state

    def apply(self, transformation_func):
        return transformation_func(self)

    def prefetch(self, buffer_size, name=None):
        return self

    def cache(self, filename="", name=None):
        return self

    def with_options(self, options, name=None):
        return self

    def ignore_errors(self, log_warning=False, name=None):
        return self

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        return self.unbatch().batch(batch_size, drop_remainder)


class _CsvDataset(Dataset):
    def __init__(self, filenames, record_defaults, compression_type=None, buffer_size=None, header=False,
                 field_delim=",", use_quote_delim=True, na_value="", select_cols=None, exclude_cols=None):
        import pandas as pd

        files = [filenames] if isinstance(filenames, (str, os.PathLike)) else list(filenames)
        comp = {"GZIP": "gzip", "ZLIB": "zlib"}.get(compression_type or "", None)
        frames = [pd.read_csv(_to_text(f), header=0 if header else None, sep=field_delim, compression=comp,
                              usecols=select_cols) for f in files]
        data = pd.concat(frames).to_numpy()
        cols = [np.asarray(data[:, i], dtype="float32") for i in builtins.range(data.shape[1])]
        ds = Dataset.from_tensor_slices(tuple(cols))
        super().__init__(ds._make_iter, ds._card)


def _cardinality(dataset):
    return dataset.cardinality()


data = types.ModuleType("tensorflow.data")
data.Dataset = Dataset
data.AUTOTUNE = AUTOTUNE
data.INFINITE_CARDINALITY = INFINITE_CARDINALITY
data.UNKNOWN_CARDINALITY = UNKNOWN_CARDINALITY
data.Options = lambda: types.SimpleNamespace(experimental_distribute=types.SimpleNamespace(), threading=types.SimpleNamespace(), deterministic=True)
def _text_line_dataset(filenames, compression_type=None, buffer_size=None, num_parallel_reads=None, name=None):
    """tf.data.TextLineDataset: lines (without the newline) of one or more files; the file names may be a
    str/PathLike, a list, or a (0-d or 1-d) string tensor such as the element `interleave` hands over."""
    import gzip
    import zlib as _zlib

    if isinstance(filenames, (str, bytes, os.PathLike)):
        names = [filenames]
    else:
        names = list(np.ravel(np.asarray(filenames, dtype=object)))
    lines = []
    for f in names:
        path = _to_text(os.fspath(f) if isinstance(f, os.PathLike) else f)
        if compression_type == "GZIP":
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                text = fh.read()
        elif compression_type == "ZLIB":
            with builtins.open(path, "rb") as fh:
                text = _zlib.decompress(fh.read()).decode("utf-8")
        else:
            with builtins.open(path, encoding="utf-8") as fh:
                text = fh.read()
        lines.extend(text.splitlines())
    return Dataset.from_tensor_slices(string_array(np.array(lines, dtype=object)))


data.TextLineDataset = _text_line_dataset
data.experimental = types.SimpleNamespace(
    AUTOTUNE=AUTOTUNE,
    INFINITE_CARDINALITY=INFINITE_CARDINALITY,
    UNKNOWN_CARDINALITY=UNKNOWN_CARDINALITY,
    cardinality=_cardinality,
    CsvDataset=_CsvDataset,
)


# --------------------------------------------------------------------------
# tf.audio / tf.signal (added for audio programs) and tf.nn.depth_to_space
# --------------------------------------------------------------------------

audio = types.ModuleType("tensorflow.audio")


def _decode_wav(contents, desired_channels=-1, desired_samples=-1, name=None):
    import harness_data

    data = _np(contents)[()] if isinstance(contents, np.ndarray) else contents
    rate, arr = harness_data.wav_floats(_to_bytes(data))
    if desired_channels is not None and desired_channels > 0:
        arr = arr[:, :desired_channels] if arr.shape[1] >= desired_channels else np.repeat(arr[:, :1], desired_channels, 1)
    if desired_samples is not None and desired_samples > 0:
        if arr.shape[0] >= desired_samples:
            arr = arr[:desired_samples]
        else:
            arr = np.concatenate([arr, np.zeros((desired_samples - arr.shape[0], arr.shape[1]), "float32")], 0)
    return _WavResult(wrap(arr), wrap(np.array(rate, dtype="int32")))


class _WavResult(tuple):
    def __new__(cls, a, r):
        return tuple.__new__(cls, (a, r))

    @property
    def audio(self):
        return self[0]

    @property
    def sample_rate(self):
        return self[1]


def _encode_wav(audio, sample_rate, name=None):
    from scipy.io import wavfile

    buf = _io.BytesIO()
    wavfile.write(buf, int(_np(sample_rate)), (np.clip(_np(audio), -1, 1) * 32767).astype("int16"))
    return string_array(np.array(buf.getvalue(), dtype=object))


audio.decode_wav = _decode_wav
audio.encode_wav = _encode_wav

signal = types.ModuleType("tensorflow.signal")


def _is_concrete(x):
    return isinstance(x, (np.ndarray, list, tuple, float, int)) or type(x).__module__.startswith("jaxlib")


def _stft(signals, frame_length, frame_step, fft_length=None, window_fn="hann", pad_end=False, name=None):
    frame_length, frame_step = int(frame_length), int(frame_step)
    n_fft = int(fft_length) if fft_length else int(2 ** np.ceil(np.log2(frame_length)))
    try:
        x = np.asarray(_np(signals), dtype="float32")
    except Exception:
        x = None
    if x is not None:
        if pad_end:
            extra = (-(x.shape[-1] - frame_length)) % frame_step
            x = np.concatenate([x, np.zeros(x.shape[:-1] + (extra,), "float32")], -1)
        n_frames = 1 + max(0, (x.shape[-1] - frame_length) // frame_step)
        idx = np.arange(frame_length)[None, :] + frame_step * np.arange(n_frames)[:, None]
        frames = x[..., idx]
        if window_fn is not None:
            frames = frames * np.hanning(frame_length + 1)[:-1].astype("float32")
        return wrap(np.fft.rfft(frames, n=n_fft, axis=-1).astype("complex64"))
    real, imag = ops.stft(signals, frame_length, frame_step, n_fft, window="hann" if window_fn is not None else None,
                          center=False)
    return real + 1j * imag


def _rfft(input_tensor, fft_length=None, name=None):  # noqa: A002
    try:
        x = np.asarray(_np(input_tensor), dtype="float32")
        n = None if fft_length is None else int(np.ravel(fft_length)[0])
        return wrap(np.fft.rfft(x, n=n, axis=-1).astype("complex64"))
    except Exception:
        real, imag = ops.rfft(input_tensor)
        return real + 1j * imag


def _fft(input_tensor, name=None):  # noqa: A002
    try:
        x = np.asarray(_np(input_tensor))
        return wrap(np.fft.fft(x, axis=-1).astype("complex64"))
    except Exception:
        x = ops.cast(input_tensor, "float32")
        real, imag = ops.fft((x, ops.zeros_like(x)))
        return real + 1j * imag




def _linear_to_mel_weight_matrix(num_mel_bins=20, num_spectrogram_bins=129, sample_rate=8000, lower_edge_hertz=125.0,
                                 upper_edge_hertz=3800.0, dtype=float32, name=None):
    """tf.signal.linear_to_mel_weight_matrix (HTK mel scale, no DC bin), as a NumPy [bins, mel] matrix."""
    def hz_to_mel(f):
        return 1127.0 * np.log1p(np.asarray(f, dtype="float64") / 700.0)

    n_bins, n_mel = int(num_spectrogram_bins), int(num_mel_bins)
    nyquist = float(_np(sample_rate)) / 2.0
    freqs = np.linspace(0.0, nyquist, n_bins)[1:]
    spec_mel = hz_to_mel(freqs)[:, None]
    edges = np.linspace(hz_to_mel(float(lower_edge_hertz)), hz_to_mel(float(upper_edge_hertz)), n_mel + 2)
    lower, center, upper = edges[:-2][None, :], edges[1:-1][None, :], edges[2:][None, :]
    lower_slopes = (spec_mel - lower) / (center - lower)
    upper_slopes = (upper - spec_mel) / (upper - center)
    w = np.maximum(0.0, np.minimum(lower_slopes, upper_slopes))
    w = np.pad(w, [[1, 0], [0, 0]])
    return wrap(w.astype(str(_dt(dtype) or "float32")))


signal.stft = _stft
signal.linear_to_mel_weight_matrix = _linear_to_mel_weight_matrix
signal.rfft = _rfft
signal.fft = _fft
signal.hann_window = lambda window_length, periodic=True, dtype=float32, name=None: wrap(np.hanning(int(window_length) + int(periodic))[:int(window_length)].astype("float32"))
signal.frame = lambda signal_, frame_length, frame_step, pad_end=False, pad_value=0, axis=-1, name=None: wrap(
    np.asarray(_np(signal_))[..., np.arange(int(frame_length))[None, :] + int(frame_step) * np.arange(1 + (np.asarray(_np(signal_)).shape[-1] - int(frame_length)) // int(frame_step))[:, None]])

real = _unary(ops.real)
imag = _unary(ops.imag)
math.real = real
math.imag = imag
nn.depth_to_space = lambda input, block_size, data_format="NHWC", name=None: ops.depth_to_space(input, int(block_size))  # noqa: A002
nn.space_to_depth = lambda input, block_size, data_format="NHWC", name=None: ops.space_to_depth(input, int(block_size))  # noqa: A002

# --------------------------------------------------------------------------
# Module assembly
# --------------------------------------------------------------------------

_SUBMODULES = {
    "math": math, "nn": nn, "linalg": linalg, "random": random, "strings": strings, "io": io,
    "image": image, "train": train, "summary": summary, "config": config, "compat": compat,
    "debugging": debugging, "test": test, "distribute": distribute, "data": data,
    "audio": audio, "signal": signal,
}


def build_module(keras_tf_module):
    """Create the `tensorflow` module object (with `tf.keras` = the given module)."""
    tf = types.ModuleType("tensorflow")
    tf.__file__ = __file__
    tf.__path__ = []  # a package, so `import tensorflow.keras.layers` works
    tf.__version__ = __version__
    skip = {"build_module", "types", "builtins", "contextlib", "functools", "itertools", "os", "re", "sys",
            "np", "keras", "ops"}
    for k, v in list(globals().items()):
        if k.startswith("_") or k in skip:
            continue
        setattr(tf, k, v)
    tf.print = print_
    tf.bool = bool
    tf.range = range
    tf.abs = abs
    tf.round = round
    tf.pow = pow
    tf.keras = keras_tf_module
    # TF 2.x top-level aliases of tf.keras sub-packages
    for alias in ("initializers", "optimizers", "losses", "metrics", "activations", "regularizers", "constraints"):
        setattr(tf, alias, getattr(keras_tf_module, alias))
    for name, mod in _SUBMODULES.items():
        setattr(tf, name, mod)
    return tf


def register(keras_tf_module, modules):
    """Register `tensorflow` and its submodules into `modules` (sys.modules)."""
    tf = build_module(keras_tf_module)
    modules["tensorflow"] = tf
    for name, mod in _SUBMODULES.items():
        modules["tensorflow." + name] = mod
    modules["tensorflow.data.experimental"] = data.experimental
    return tf
