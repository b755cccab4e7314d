"""Dimensions, shapes and the arithmetic Keras uses on them.

A dimension is an `int`, `None` (the batch axis, or a size nobody can know) or a `Sym`
(a size named in the user's code, such as `IMG_SIZE`, kept as a formula). Standard library only.
"""

from kerascheck.shapes.arith import (
    Window,
    broadcast_shapes,
    conv_output_length,
    conv_transpose_output_length,
    fed_shape,
    index_shape,
    pool_output_length,
    reduced_shape,
    reshape_dims,
    transposed_shape,
)
from kerascheck.shapes.dims import (
    UNKNOWN,
    Dim,
    Shape,
    ShapeError,
    Sym,
    Unknowable,
    UnknownType,
    add,
    floordiv,
    format_dim,
    format_shape,
    is_known,
    mul,
    prod,
    sizes_differ,
    sub,
)

__all__ = [
    "reduced_shape",
    "reshape_dims",
    "transposed_shape",
    "broadcast_shapes",
    "fed_shape",
    "index_shape",
    "Window",
    "Dim",
    "Shape",
    "ShapeError",
    "Sym",
    "UNKNOWN",
    "UnknownType",
    "Unknowable",
    "add",
    "conv_output_length",
    "conv_transpose_output_length",
    "floordiv",
    "format_dim",
    "format_shape",
    "is_known",
    "mul",
    "pool_output_length",
    "prod",
    "sizes_differ",
    "sub",
]
