"""Keras's size arithmetic for convolution, pooling and transposed convolution.

Formula for formula what `keras/src/ops/operation_utils.py` and
`keras/src/backend/common/backend_utils.py` compute, on one spatial axis at a time.
"""

from __future__ import annotations

from kerascheck.shapes.dims import Dim, add, floordiv, mul, sub


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
