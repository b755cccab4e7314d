"""`keras.ops` and `tf.*` functions on tensors: the tensors they make and their shapes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from kerascheck.diagnostics import Span
from kerascheck.extract import names as knames
from kerascheck.extract import numpy_values as knp
from kerascheck.extract.common import DECLINED, CallSite, flatten_tensors, input_shape_value, operand_broadcast
from kerascheck.extract.values import (
    Module,
    Node,
    Tensor,
)
from kerascheck.layers import bind
from kerascheck.model import Layer
from kerascheck.shapes import (
    UNKNOWN,
    Shape,
    broadcast_shapes,
    conv_output_length,
    reduced_shape,
    transposed_shape,
)
from kerascheck.shapes.ops import (
    depth_to_space_shape,
    matmul_shape,
    pad_shape,
    patches_shape,
    reshape_shape,
    split_shapes,
    tensordot_shape,
    tile_shape,
)

if TYPE_CHECKING:
    from kerascheck.extract.interpreter import Interpreter


# Python's operators on tensors, as the `keras.ops` functions they run.
OP_NAMES: dict[Any, str] = {cst.Add: "add", cst.Subtract: "subtract", cst.Multiply: "multiply", cst.Divide: "divide",
             cst.FloorDivide: "floor_divide", cst.Power: "power", cst.MatrixMultiply: "matmul", cst.Modulo: "mod"}

# `keras.random` (and `tf.random`) functions that draw a tensor of a given shape.
RANDOM_TENSORS = frozenset({"normal", "uniform", "truncated_normal"})


# The (start, stop, step) parameters of `keras.ops.arange` and `tf.range`, by function name.
_RANGE_PARAMS = {"arange": ("start", "stop", "step"), "range": ("start", "limit", "delta")}


def _range_length(names: tuple[str, str, str], positional: list[Any], keywords: dict[str, Any]) -> int | None:
    """How many numbers `arange`/`range` gives; one argument alone is the stop, as in Python's `range`."""
    start_name, stop_name, step_name = names
    bound = dict(zip(names, positional, strict=False)) | keywords
    if stop_name not in bound:
        bound = {start_name: 0, stop_name: bound.get(start_name)} | {k: v for k, v in bound.items() if k == step_name}
    start, stop, step = bound.get(start_name, 0), bound.get(stop_name), bound.get(step_name, 1)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, stop, step)) or not step:
        return None
    return max(0, -((start - stop) // step))  # type: ignore[no-any-return]


# `keras.ops` (and `tf.math`) functions whose result has their input's shape.
_SAME_SHAPE_OPS = frozenset({
    "abs", "cast", "ceil", "clip", "cos", "elu", "erf", "exp", "floor", "gelu", "identity", "l2_normalize",
    "leaky_relu", "log", "log_softmax", "negative", "normalize", "reciprocal", "relu", "round", "rsqrt",
    "sigmoid", "sign", "silu", "sin", "softmax", "softplus", "sqrt", "square", "stop_gradient", "swish", "tanh",
    "zeros_like", "ones_like", "convert_to_tensor", "log1p", "expm1", "log2", "log10", "exp2", "sinh", "cosh",
    "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "tan", "hard_sigmoid", "hard_silu",
    "hard_swish", "relu6", "selu", "softsign", "celu", "log_sigmoid", "logical_not", "isnan",
    "isfinite", "isinf", "absolute", "trunc", "erfinv", "nan_to_num", "copy", "real", "imag", "conj",
    "conjugate", "sparse_plus", "squareplus", "tanh_shrink", "hard_tanh", "soft_shrink", "hard_shrink", "roll",
})


BROADCAST_OPS = frozenset({"add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum", "power"})
# comparisons and logical operators of two tensors: a mask of the two inputs' broadcast shape
COMPARISON_OPS = frozenset({"equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
                            "logical_or", "logical_xor"})


# TensorFlow's tensor functions that tutorials call inside custom layers, as the `keras.ops` function of
# the same shape rule: (its name there, TensorFlow's keyword -> Keras's, the keywords it may take).
_TF_AS_KERAS: dict[str, tuple[str, dict[str, str], frozenset[str]]] = {
    **{f"reduce_{op}": (op, {"input_tensor": "x"}, frozenset({"x", "axis", "keepdims"}))
       for op in ("mean", "sum", "max", "min")},
    "concat": ("concatenate", {"values": "xs"}, frozenset({"xs", "axis"})),
    "stack": ("stack", {"values": "xs"}, frozenset({"xs", "axis"})),
    "reshape": ("reshape", {"tensor": "x", "shape": "newshape"}, frozenset({"x", "newshape"})),
    "expand_dims": ("expand_dims", {"input": "x"}, frozenset({"x", "axis"})),
    "squeeze": ("squeeze", {"input": "x"}, frozenset({"x", "axis"})),
    "transpose": ("transpose", {"a": "x", "perm": "axes"}, frozenset({"x", "axes"})),
    "matmul": ("matmul", {}, frozenset()),
    "linspace": ("linspace", {}, frozenset({"start", "stop", "num", "axis"})),
    "roll": ("roll", {"input": "x"}, frozenset({"x", "shift", "axis"})),
    "clip_by_value": ("clip", {"t": "x", "clip_value_min": "x_min", "clip_value_max": "x_max"},
                      frozenset({"x", "x_min", "x_max"})),
    **{name: (name, {}, frozenset()) for name in COMPARISON_OPS | BROADCAST_OPS},
    "pow": ("power", {}, frozenset()),
    "one_hot": ("one_hot", {"indices": "x", "depth": "num_classes"}, frozenset({"x", "num_classes"})),
    "cast": ("cast", {}, frozenset({"x", "dtype"})),
    "l2_normalize": ("l2_normalize", {}, frozenset({"x", "axis"})),
    "tensordot": ("tensordot", {"a": "x1", "b": "x2"}, frozenset({"x1", "x2", "axes"})),
    # the mode ("CONSTANT", "REFLECT", "SYMMETRIC") changes the values, not the shape
    "pad": ("pad", {"tensor": "x", "paddings": "pad_width"}, frozenset({"x", "pad_width", "mode", "constant_values"})),
}
_TF_ELEMENTWISE = _SAME_SHAPE_OPS - {"l2_normalize", "cast", "roll"}


def tf_as_keras(name: str, positional: list[Any], keywords: dict[str, Any]) -> tuple[str, list[Any], dict[str, Any]] | None:
    """A TensorFlow call (`tf.reduce_mean(x, axis=1)`, `tf.transpose(x, perm=[0, 2, 1])`) as the `keras.ops`
    call of the same shape, or None when it takes an argument kerascheck does not map (its shape stays unknown)."""
    keywords = {k: v for k, v in keywords.items() if k != "name"}  # TensorFlow's op names change no shape
    if name in _TF_ELEMENTWISE:
        # `tf.nn.softmax(logits, axis=1)`: the axis changes no shape
        tensor_names = {"x", "features", "logits"} & set(keywords)
        may_take = {"x", "features", "logits"} | ({"axis"} if name in ("softmax", "log_softmax") else set())
        if len(positional) + len(tensor_names) != 1 or set(keywords) - may_take:
            return None
        if tensor_names:
            keywords = dict(keywords)
            positional = [keywords.pop(tensor_names.pop())]
        return name, positional, keywords
    if name not in _TF_AS_KERAS:
        return None
    keras_name, renamed, allowed = _TF_AS_KERAS[name]
    out = {renamed.get(k, k): v for k, v in keywords.items()}
    if set(out) - allowed:
        return None
    first = {"xs", "x"} & set(out)
    if first and not positional:
        positional = [out.pop(first.pop())]
    return keras_name, positional, out


def _arg(positional: list[Any], keywords: dict[str, Any], index: int, name: str, default: Any = None) -> Any:
    return keywords[name] if name in keywords else positional[index] if len(positional) > index else default


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def resized_shape(shape: Shape, size: Any) -> Shape | None:
    """`ops.image.resize(images, (h, w))`, `tf.image.resize`: an image, or a batch of them, channels last."""
    if len(shape) not in (3, 4) or not isinstance(size, (tuple, list)) or len(size) != 2 or not all(
            _count(d) for d in size):
        return None
    return (*shape[:-3], size[0], size[1], shape[-1])


def _stft_shape(shape: Shape, frame_length: Any, frame_step: Any, fft_length: Any, pad_end: Any) -> Shape | None:
    """`tf.signal.stft(signals, frame_length, frame_step)`: (..., frames, fft_length // 2 + 1), where
    fft_length is by default the smallest power of two that holds a frame."""
    if not shape or not _count(frame_length) or not _count(frame_step) or pad_end not in (True, False):
        return None
    if fft_length is None:
        fft_length = 1 << (frame_length - 1).bit_length()
    if not _count(fft_length):
        return None
    samples = shape[-1]
    if not (samples is None or isinstance(samples, int)):
        return None
    if samples is None:
        frames = None
    elif pad_end:
        frames = -(-samples // frame_step)
    else:
        frames = max(0, 1 + (samples - frame_length) // frame_step)
    return (*shape[:-1], frames, fft_length // 2 + 1)


# TensorFlow's image functions that keep an image's shape (`tf.image.random_flip_left_right(image)`).
_TF_SAME_IMAGE = frozenset({
    "random_flip_left_right", "random_flip_up_down", "flip_left_right", "flip_up_down", "random_brightness",
    "random_contrast", "random_saturation", "random_hue", "adjust_brightness", "adjust_contrast",
    "adjust_saturation", "adjust_hue", "adjust_gamma", "per_image_standardization", "convert_image_dtype",
})


def _tf_conv2d_shape(positional: list[Any], keywords: dict[str, Any]) -> Shape | None:
    """`tf.nn.conv2d(x, kernel, strides, padding)` on NHWC images with a (rows, cols, in, out) kernel (a StyleGAN's
    equalized convolution): the output grid and the kernel's filters; None for explicit paddings or dilations."""
    x, kernel = _arg(positional, keywords, 0, "input"), _arg(positional, keywords, 1, "filters")
    strides, padding = _arg(positional, keywords, 2, "strides"), _arg(positional, keywords, 3, "padding")
    if set(keywords) - {"input", "filters", "strides", "padding", "data_format", "dilations", "name"} or keywords.get(
            "data_format", "NHWC") != "NHWC" or keywords.get("dilations") not in (None, 1, [1, 1, 1, 1], (1, 1, 1, 1)):
        return None
    kernel_shape = kernel.shape if isinstance(kernel, (Tensor, knp.NdArray)) else None
    if not isinstance(x, Tensor) or x.shape is None or len(x.shape) != 4 or kernel_shape is None or len(
            kernel_shape) != 4 or not isinstance(padding, str) or padding.upper() not in ("SAME", "VALID"):
        return None
    if isinstance(strides, int) and not isinstance(strides, bool):
        strides = [strides]
    if not isinstance(strides, (list, tuple)) or not all(isinstance(v, int) and v > 0 for v in strides) or len(
            strides) not in (1, 2, 4) or (len(strides) == 4 and (strides[0] != 1 or strides[3] != 1)):
        return None
    rows, cols = (strides * 2)[:2] if len(strides) == 1 else strides[-3:-1] if len(strides) == 4 else strides
    kh, kw, c_in, filters = kernel_shape
    if not (isinstance(kh, int) and isinstance(kw, int) and isinstance(filters, int)) or (
            isinstance(c_in, int) and isinstance(x.shape[3], int) and c_in != x.shape[3]):
        return None
    grid = [conv_output_length(size, k, stride, padding.lower()) for size, k, stride in (
        (x.shape[1], kh, rows), (x.shape[2], kw, cols))]
    if any(isinstance(d, int) and d <= 0 for d in grid):
        return None  # a kernel larger than the image: TensorFlow raises
    return (x.shape[0], *grid, filters)


def tf_own_shapes(path: str, positional: list[Any], keywords: dict[str, Any]) -> list[Shape | None] | None:
    """The shapes of what TensorFlow's data functions give, for those `keras.ops` has no twin of
    (`tf.io.read_file`, `tf.audio.decode_wav`, `tf.signal.stft`, `tf.image.resize`): one shape per
    tensor returned, or None when `path` is not one of them."""
    sub = path.split(".", 1)[1] if path.startswith(("tf.", "tensorflow.")) else path
    x = _arg(positional, keywords, 0, "input", keywords.get("contents", keywords.get("images", keywords.get(
        "image", keywords.get("signals")))))
    shape = x.shape if isinstance(x, Tensor) else None
    if sub == "io.read_file":
        return [()]  # the file's bytes: one string
    if sub == "nn.conv2d":
        return [_tf_conv2d_shape(positional, keywords)]
    if sub == "image.random_crop":
        # `tf.image.random_crop(image, (size, size, 3))`: a crop of that size (TensorFlow raises on a larger one)
        size = _arg(positional, keywords, 1, "size")
        if not isinstance(size, (tuple, list)) or not all(isinstance(d, int) and not isinstance(d, bool) and d >= 0
                                                          for d in size):
            return [None]
        fits = shape is None or (len(shape) == len(size) and all(d is None or c <= d for c, d in zip(size, shape)))
        return [tuple(size) if fits else None]
    if sub in ("matmul", "linalg.matmul") and ({"transpose_a", "transpose_b"} & set(keywords)):
        # `tf.matmul(weights, tokens, transpose_a=True)`: the last two axes of an operand swapped first
        a, b = _arg(positional, keywords, 0, "a"), _arg(positional, keywords, 1, "b")
        flags = [keywords.get("transpose_a", False), keywords.get("transpose_b", False)]
        if set(keywords) - {"a", "b", "transpose_a", "transpose_b", "name"} or not all(
                isinstance(f, bool) for f in flags) or not all(
                isinstance(t, Tensor) and t.shape is not None and len(t.shape) >= 2 for t in (a, b)):
            return [None]
        swapped = [(*t.shape[:-2], t.shape[-1], t.shape[-2]) if flip else t.shape for t, flip in zip((a, b), flags)]
        return [matmul_shape(swapped[0], swapped[1])]
    if sub == "audio.decode_wav":
        channels = _arg(positional, keywords, 1, "desired_channels", -1)
        samples = _arg(positional, keywords, 2, "desired_samples", -1)
        return [(samples if _count(samples) else None, channels if _count(channels) else None), ()]
    if sub in ("io.decode_jpeg", "io.decode_png", "image.decode_jpeg", "image.decode_png"):
        channels = _arg(positional, keywords, 1, "channels", 0)
        return [(None, None, channels if _count(channels) else None)]
    if sub == "signal.linear_to_mel_weight_matrix":
        # (num_spectrogram_bins, num_mel_bins), by default (129, 20), as keras.layers.MelSpectrogram's port has it
        mels = _arg(positional, keywords, 0, "num_mel_bins", 20)
        bins = _arg(positional, keywords, 1, "num_spectrogram_bins", 129)
        return [(bins, mels) if _count(bins) and _count(mels) else None]
    if sub == "signal.stft":
        if shape is None:
            return [None]
        return [_stft_shape(shape, _arg(positional, keywords, 1, "frame_length"),
                            _arg(positional, keywords, 2, "frame_step"),
                            _arg(positional, keywords, 3, "fft_length"), keywords.get("pad_end", False))]
    if sub == "image.resize":
        preserve = _arg(positional, keywords, 3, "preserve_aspect_ratio", False)
        if shape is None or preserve is not False:
            return [None]
        return [resized_shape(shape, _arg(positional, keywords, 1, "size"))]
    if sub in ("image.resize_with_pad", "image.resize_with_crop_or_pad"):
        height = _arg(positional, keywords, 1, "target_height")
        width = _arg(positional, keywords, 2, "target_width")
        return [None if shape is None else resized_shape(shape, (height, width))]
    if sub in ("image.crop_to_bounding_box", "image.pad_to_bounding_box"):
        # (image, offset_height, offset_width, target_height, target_width): the image becomes the target's size
        # (TensorFlow raises where the box does not fit: nothing is said then)
        box = [_arg(positional, keywords, i, n) for i, n in enumerate(
            ("offset_height", "offset_width", "target_height", "target_width"), start=1)]
        if shape is None or len(shape) not in (3, 4) or not all(
                isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in box):
            return [None]
        rows, cols = shape[-3], shape[-2]
        cropping = sub == "image.crop_to_bounding_box"
        for size, offset, target in ((rows, box[0], box[2]), (cols, box[1], box[3])):
            if size is not None and (offset + target > size if cropping else offset + size > target):
                return [None]
        return [(*shape[:-3], box[2], box[3], shape[-1])]
    if sub.startswith("image.") and sub[len("image."):] in _TF_SAME_IMAGE:
        return [shape]
    if sub == "image.extract_patches":
        # TensorFlow's NHWC lists `[1, rows, cols, 1]` for sizes, strides and rates, and "VALID"/"SAME"
        sizes, strides, rates, padding = (_arg(positional, keywords, i, n) for i, n in enumerate(
            ("sizes", "strides", "rates", "padding"), start=1))
        quads = [v for v in (sizes, strides, rates) if isinstance(v, (list, tuple)) and len(v) == 4 and v[0] == v[3] == 1]
        if shape is None or len(quads) != 3 or list(rates) != [1, 1, 1, 1] or not isinstance(padding, str):
            return [None]
        return [patches_shape(shape, [tuple(sizes[1:3])], {"strides": tuple(strides[1:3]), "padding": padding.lower()})]
    return None


def _linspace_shape(positional: list[Any], keywords: dict[str, Any]) -> Shape | None:
    """`ops.linspace(ops.log(1.0), ops.log(1000.0), 16)`, `tf.linspace`: `num` numbers between two scalars
    (ends that are arrays would add their axes)."""
    args = dict(zip(("start", "stop", "num"), positional))
    args.update(keywords)
    num = args.get("num", 50)
    if set(args) - {"start", "stop", "num", "endpoint", "dtype", "axis"} or args.get("axis", 0) != 0 or len(positional) > 3:
        return None
    scalar = all(isinstance(v, (int, float)) and not isinstance(v, bool) or isinstance(v, Tensor) and v.shape == ()
                 for v in (args.get("start"), args.get("stop")))
    return (num,) if scalar and isinstance(num, int) and not isinstance(num, bool) and num >= 0 else None


def op_shape(name: str, positional: list[Any], keywords: dict[str, Any]) -> Shape | None:
    """Shapes of the few `keras.ops` functions models commonly use; None for the rest."""
    try:
        x = positional[0] if positional else None
        if (name in BROADCAST_OPS or name in COMPARISON_OPS) and len(positional) == 2 and not keywords:
            return operand_broadcast(positional[0], positional[1])
        if name == "linspace":
            return _linspace_shape(positional, keywords)
        if name in _SAME_SHAPE_OPS and isinstance(x, Tensor) and len(positional) <= 3:
            return x.shape
        if name == "concatenate":
            xs = x if isinstance(x, (list, tuple)) else None
            axis = keywords.get("axis", positional[1] if len(positional) > 1 else 0)
            if not xs or not all(isinstance(t, Tensor) and t.shape is not None for t in xs) or not isinstance(axis, int):
                return None
            from kerascheck.layers import CATALOGUE

            spec = CATALOGUE["Concatenate"]
            out = spec.output_shape(bind(spec, [], {"axis": axis}), [t.shape for t in xs])
            return out if isinstance(out, tuple) else None
        if name == "stack":
            xs = x if isinstance(x, (list, tuple)) else None
            axis = keywords.get("axis", positional[1] if len(positional) > 1 else 0)
            if not xs or not all(isinstance(t, Tensor) and t.shape is not None for t in xs) or not isinstance(axis, int):
                return None
            shapes = {t.shape for t in xs}
            if len(shapes) != 1:
                return None  # Keras raises on different shapes (or None and a size: not followed)
            (base,) = shapes
            if not -len(base) - 1 <= axis <= len(base):
                return None
            at = axis % (len(base) + 1)
            return (*base[:at], len(xs), *base[at:])
        if name == "resize" and isinstance(x, Tensor) and x.shape is not None and _arg(
                positional, keywords, 8, "data_format", "channels_last") in (None, "channels_last") and not _arg(
                positional, keywords, 4, "crop_to_aspect_ratio", False) and not _arg(
                positional, keywords, 5, "pad_to_aspect_ratio", False):
            return resized_shape(x.shape, _arg(positional, keywords, 1, "size"))  # `ops.image.resize`
        if name == "einsum" and isinstance(x, str) and not keywords:
            return _einsum_shape(x, positional[1:])
        if name == "reshape" and isinstance(x, Tensor):
            return reshape_shape(x.shape, keywords.get("newshape", keywords.get(
                "new_shape", positional[1] if len(positional) > 1 else None)))
        if not isinstance(x, Tensor) or x.shape is None:
            return None
        shape = x.shape
        if name == "pad":
            return pad_shape(shape, keywords.get("pad_width", positional[1] if len(positional) > 1 else None))
        if name in ("expand_dims", "squeeze"):
            axis = keywords.get("axis", positional[1] if len(positional) > 1 else None)
            if not isinstance(axis, int):
                return None
            if name == "expand_dims":
                at = axis if axis >= 0 else len(shape) + axis + 1
                return (*shape[:at], 1, *shape[at:])
            at = axis if axis >= 0 else len(shape) + axis
            return shape[:at] + shape[at + 1:] if shape[at] in (1, None) else None
        if name == "one_hot":
            classes = keywords.get("num_classes", positional[1] if len(positional) > 1 else None)
            axis = keywords.get("axis", positional[2] if len(positional) > 2 else -1)
            if not isinstance(classes, int) or isinstance(classes, bool) or classes < 0 or axis != -1:
                return None
            return (*shape, classes)
        if name == "transpose":
            return transposed_shape(shape, keywords.get("axes", positional[1] if len(positional) > 1 else None))
        if name in ("rgb_to_grayscale", "grayscale_to_rgb") and len(shape) in (3, 4):
            data_format = keywords.get("data_format", positional[1] if len(positional) > 1 else None)
            if data_format not in (None, "channels_last"):
                return None
            return (*shape[:-1], 1 if name == "rgb_to_grayscale" else 3)
        if name == "extract_patches":
            return patches_shape(shape, positional[1:], keywords)
        if name in ("argsort", "sort"):
            axis = _arg(positional, keywords, 1, "axis", -1)
            return shape if isinstance(axis, int) and not isinstance(axis, bool) and -len(shape) <= axis < len(
                shape) and set(keywords) <= {"axis"} else None  # `axis=None` sorts the flattened values
        if name == "take_along_axis":
            indices, axis = _arg(positional, keywords, 1, "indices"), _arg(positional, keywords, 2, "axis")
            if not isinstance(indices, Tensor) or indices.shape is None or len(indices.shape) != len(shape) or not (
                    isinstance(axis, int) and not isinstance(axis, bool) and -len(shape) <= axis < len(shape)):
                return None  # `axis=None` works on the flattened values
            # the indices' size along the axis, the two shapes broadcast along the others
            at = axis % len(shape)
            return broadcast_shapes((*shape[:at], indices.shape[at], *shape[at + 1:]), indices.shape)
        if name == "take":
            indices = keywords.get("indices", positional[1] if len(positional) > 1 else None)
            axis = keywords.get("axis", positional[2] if len(positional) > 2 else None)
            index_shape_ = indices.shape if isinstance(indices, (Tensor, knp.NdArray)) else None
            if index_shape_ is None or not isinstance(axis, int) or isinstance(axis, bool) or not -len(shape) <= axis < len(shape):
                return None  # axis=None flattens: not followed
            axis %= len(shape)
            return (*shape[:axis], *index_shape_, *shape[axis + 1:])
        if name == "tile":
            return tile_shape(shape, keywords.get("repeats", positional[1] if len(positional) > 1 else None))
        if name == "matmul" and len(positional) == 2 and isinstance(positional[1], Tensor) and positional[1].shape:
            return matmul_shape(shape, positional[1].shape)
        if name == "tensordot":
            a, b = _arg(positional, keywords, 0, "x1"), _arg(positional, keywords, 1, "x2")
            if isinstance(a, Tensor) and isinstance(b, Tensor) and a.shape is not None and b.shape is not None:
                return tensordot_shape(a.shape, b.shape, _arg(positional, keywords, 2, "axes", 2))
            return None
        if name == "depth_to_space":
            return depth_to_space_shape(shape, keywords.get("block_size", positional[1] if len(positional) > 1 else None),
                                         keywords.get("data_format", positional[2] if len(positional) > 2 else "channels_last"))
        if name in ("mean", "sum", "max", "min"):
            axis = keywords.get("axis", positional[1] if len(positional) > 1 else None)
            keepdims = keywords.get("keepdims", positional[2] if len(positional) > 2 else False)
            if axis is None and isinstance(keepdims, bool):
                return (1,) * len(shape) if keepdims else ()  # every axis: a scalar (a loss's `tf.reduce_mean(x)`)
            return reduced_shape(shape, axis, keepdims is True)
    except (IndexError, TypeError, ValueError, ZeroDivisionError):
        return None
    return None


def _constant_shape(name: str, positional: list[Any], keywords: dict[str, Any]) -> Shape | None:
    """The shape of `ops.eye(n, m)`, `ops.zeros(shape)`, `ops.ones(shape)`, `ops.full(shape, value)`."""
    def size(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0

    if name == "eye":
        n = keywords.get("N", positional[0] if positional else None)
        m = keywords.get("M", positional[1] if len(positional) > 1 else None)
        m = n if m is None else m
        return (n, m) if size(n) and size(m) else None
    shape = keywords.get("shape", positional[0] if positional else None)
    if size(shape):
        shape = (shape,)
    if isinstance(shape, (tuple, list)) and all(size(d) for d in shape):
        return tuple(shape)
    return None


def _einsum_shape(subscripts: str, operands: list[Any]) -> Shape | None:
    """`ops.einsum("be,bce->bc", a, b)` with an explicit output: each letter's size, in the output's order."""
    spec = subscripts.replace(" ", "")
    if "->" not in spec or "." in spec:
        return None  # implicit outputs and `...`: not followed
    ins, out = spec.split("->")
    terms = ins.split(",")
    if len(terms) != len(operands) or not all(isinstance(t, Tensor) and t.shape is not None for t in operands):
        return None
    sizes: dict[str, Any] = {}
    for term, tensor in zip(terms, operands):
        if len(term) != len(tensor.shape) or not term.isalpha():
            return None
        for letter, dim in zip(term, tensor.shape):
            if not (dim is None or isinstance(dim, int)):
                return None
            known = sizes.get(letter)
            if known is None or known == 1:
                sizes[letter] = dim if known is None or dim != 1 else known
            elif dim is not None and dim not in (known, 1):
                return None  # Keras raises
    if not out.isalpha() and out or any(letter not in sizes for letter in out) or len(set(out)) != len(out):
        return None
    return tuple(sizes[letter] for letter in out)


class KerasOps:
    """`keras.ops` and `tf.*` functions on tensors: the tensors they make and their shapes."""

    def __init__(self, ip: Interpreter) -> None:
        self.ip = ip

    def op_tensor(self, name: str, inputs: list[Any], shape: Shape | None) -> Tensor:
        """A tensor made by an operation that is not a layer (`x + y`, `x[:, 0]`, `keras.ops.*`).

        Keras records these as operations in the graph, not in `model.layers`; they still connect
        the layers before them to the model.
        """
        op = Layer(type="Operation", written=name, spec=None, args=None, name=name, span=Span.point(1))
        op.is_op = True
        tensors = [t for t in inputs if isinstance(t, Tensor)]
        op.inbound = [t.layer for t in tensors]
        return Tensor(shape, op, 0, Node(op, tensors))

    def binop(self, op_type: type | None, left: Any, right: Any) -> Any:
        """`x + y`, `a @ b` with a tensor on either side: an operation of the graph."""
        if op_type is cst.MatrixMultiply:
            shapes = [v.shape if isinstance(v, Tensor) else None for v in (left, right)]
            shape = matmul_shape(*shapes) if shapes[0] and shapes[1] else None  # type: ignore[arg-type]
            return self.op_tensor("matmul", [left, right], shape)
        return self.op_tensor(OP_NAMES.get(op_type, "operation"), [left, right], operand_broadcast(left, right))

    # -- module-path calls (registered in extract.calls) ---------------------------------------

    def image_data_format(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return "channels_last"

    def epsilon(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if positional or keywords:
            return DECLINED
        return 1e-07  # Keras's default fuzz factor (only `set_epsilon` changes it)

    def broadcast_to(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`ops.broadcast_to(self.position_embeddings, ops.shape(inputs))`: the shape it is given."""
        if site.opaque:
            return DECLINED
        target = keywords.get("shape", positional[1] if len(positional) > 1 else None)
        if isinstance(target, (tuple, list)) and all(d is None or isinstance(d, int) and not isinstance(d, bool)
                                                     and d >= 0 for d in target):
            flat = [t for a in [*positional, *keywords.values()] for t in (flatten_tensors(a) or [])]
            return self.op_tensor("broadcast_to", flat, tuple(target))
        return DECLINED

    def tensor_call(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`keras.ops.concatenate([a, b])`, `tf.reduce_mean(x)`: connected, of the shape known for the few
        operations models commonly use, else unknown."""
        flat = [t for a in [*positional, *keywords.values()] for t in (flatten_tensors(a) or [])]
        name = path.rsplit(".", 1)[-1]
        if (path.startswith(("tensorflow.", "tf.")) and name not in ("shape", "split")
                and not knames.normalize(path).startswith("keras.")):  # `tf.keras.ops.sum` is Keras's own
            own = tf_own_shapes(path, positional, keywords)
            if own is not None:
                made = [self.op_tensor(name, flat, shape) for shape in own]
                return made[0] if len(made) == 1 else tuple(made)
            mapped = tf_as_keras(name, positional, keywords)
            if mapped is None:
                return self.op_tensor(name, flat, None)
            name, positional, keywords = mapped
        if name == "split" and isinstance(positional[0], Tensor):
            parts = split_shapes(positional[0].shape, keywords.get(
                "indices_or_sections", positional[1] if len(positional) > 1 else None),
                keywords.get("axis", positional[2] if len(positional) > 2 else 0))
            if parts is not None:
                return [self.op_tensor(name, flat, part) for part in parts]
        pair = positional[0] if len(positional) == 1 and not keywords else None
        if name in ("fft", "fft2", "ifft2") and isinstance(pair, tuple) and len(pair) == 2 and all(
                isinstance(t, Tensor) for t in pair) and pair[0].shape == pair[1].shape:
            # `real, imag = ops.fft2((x, ops.zeros_like(x)))`: two tensors of the input's shape
            shape = pair[0].shape if pair[0].shape is not None and len(pair[0].shape) >= (
                2 if name != "fft" else 1) else None
            return (self.op_tensor(name, flat, shape), self.op_tensor(name, flat, shape))
        if name == "merge" and site.node is not None and knames.normalize(path) == "keras.layers.merge":
            self.ip.training.note("merge", site.node)  # Keras 1's `merge([a, b], mode="concat")`, called on tensors
        if name == "shape" and len(positional) == 1 and isinstance(positional[0], Tensor):
            shape = positional[0].shape
            return UNKNOWN if shape is None else input_shape_value(shape)
        return self.op_tensor(name, flat, op_shape(name, positional, keywords))

    def int_shape(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`keras.backend.int_shape(x)` (Keras 2's `K.int_shape`): the tensor's shape as a tuple, None for unknown."""
        if len(positional) != 1 or keywords or not isinstance(positional[0], Tensor):
            return DECLINED
        shape = positional[0].shape
        return UNKNOWN if shape is None else input_shape_value(shape)

    def correct_pad(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`imagenet_utils.correct_pad(inputs, kernel_size)`: the ((top, bottom), (left, right)) zero padding
        that a stride-2 convolution of MobileNet needs, from the height and width of a channels-last input."""
        inputs = positional[0] if positional else keywords.get("inputs")
        kernel = positional[1] if len(positional) > 1 else keywords.get("kernel_size")
        if isinstance(kernel, int) and not isinstance(kernel, bool):
            kernel = (kernel, kernel)
        if not isinstance(inputs, Tensor) or inputs.shape is None or len(inputs.shape) != 4 or not (
                isinstance(kernel, tuple) and len(kernel) == 2 and all(isinstance(k, int) for k in kernel)):
            return UNKNOWN
        height, width = inputs.shape[1], inputs.shape[2]
        if height is None:
            adjust = (1, 1)
        elif isinstance(height, int) and isinstance(width, int):
            adjust = (1 - height % 2, 1 - width % 2)
        else:
            return UNKNOWN
        correct = (kernel[0] // 2, kernel[1] // 2)
        return ((correct[0] - adjust[0], correct[0]), (correct[1] - adjust[1], correct[1]))

    def activation_get(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if not positional:
            return DECLINED
        name = positional[0]
        if name is None or name == "linear":
            return Module("keras.ops.identity")  # Keras's `linear`, the identity, which the ops know by that name
        # `keras.activations.get("relu")` is the function `keras.activations.relu`.
        return Module(path[: -len("get")] + name) if isinstance(name, str) and name.isidentifier() else UNKNOWN

    def arange(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`keras.ops.arange(start=0, stop=maxlen)`, `tf.range(maxlen)`: a vector of that many numbers."""
        length = _range_length(_RANGE_PARAMS[path.rsplit(".", 1)[-1]], positional, keywords)
        if length is None and positional and positional[-1] is None and len(positional) <= 2 and set(keywords) <= {"dtype"}:
            # `ops.arange(ops.shape(ids)[-1])`: as many numbers as a length the tensor does not fix
            return self.op_tensor("arange", [], (None,))
        return UNKNOWN if length is None else self.op_tensor("arange", [], (length,))

    def scalar_op(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`ops.cast(128, "float32")`, `ops.sqrt(2.0)`, TensorFlow's `tf.math.log(1000.0)`: an element-wise op on
        a Python number is a scalar tensor; `ops.linspace(0.0, 1.0, 8)` (`tf.linspace`) is `num` of them."""
        name = path.rsplit(".", 1)[-1]
        tensorflow = not knames.normalize(path).startswith("keras.")
        if tensorflow:
            mapped = tf_as_keras(name, positional, keywords) if name == "linspace" or name in _TF_ELEMENTWISE else None
            if mapped is None:
                return DECLINED
            name, positional, keywords = mapped
        number = positional[0] if positional else None
        if name in _SAME_SHAPE_OPS and isinstance(number, (int, float)) and not isinstance(number, bool):
            return self.op_tensor(name, [], ())
        if name == "linspace" and (shape := _linspace_shape(positional, keywords)) is not None:
            return self.op_tensor(name, [], shape)
        return DECLINED

    def constant_of_array(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`ops.convert_to_tensor(features)` of a NumPy array: a constant tensor of its shape."""
        if _tensor_module(path) and positional and isinstance(positional[0], knp.NdArray):
            return self.op_tensor(path.rsplit(".", 1)[-1], [], positional[0].shape)
        return DECLINED

    def tf_constant(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`tf.signal.linear_to_mel_weight_matrix(64, 513)`: a TensorFlow function of numbers that makes a tensor."""
        if not path.startswith(("tensorflow.", "tf.")):
            return DECLINED
        own = tf_own_shapes(path, positional, keywords)
        if own is None:
            return DECLINED
        made = [self.op_tensor(path.rsplit(".", 1)[-1], [], shape) for shape in own]
        return made[0] if len(made) == 1 else tuple(made)

    def constant(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`ops.eye(3)`, `ops.zeros((4, 8))`: a constant tensor of that shape."""
        if not _tensor_module(path):
            return DECLINED
        shape = _constant_shape(path.rsplit(".", 1)[-1], positional, keywords)
        return UNKNOWN if shape is None else self.op_tensor(path.rsplit(".", 1)[-1], [], shape)

    def random_tensor(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`keras.random.normal(shape=(batch, dim))`: a tensor of that shape."""
        if ".random." not in path:
            return DECLINED
        shape = keywords.get("shape", positional[0] if positional else None)
        known = isinstance(shape, (tuple, list)) and all(d is None or isinstance(d, int) for d in shape)
        return self.op_tensor(path.rsplit(".", 1)[-1], [], tuple(shape) if known else None)  # type: ignore[arg-type]


def _tensor_module(path: str) -> bool:
    """`keras.ops.*` (however spelled) or TensorFlow's own functions."""
    return knames.normalize(path).startswith("keras.ops.") or path.startswith(("tensorflow.", "tf."))
