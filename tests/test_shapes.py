"""Shape arithmetic: known sizes, unknown sizes and symbolic formulas."""

from __future__ import annotations

import pytest

from kerascheck.engine import check_text
from kerascheck.shapes import (
    Sym,
    add,
    conv_output_length,
    conv_transpose_output_length,
    floordiv,
    format_shape,
    mul,
    pool_output_length,
    sub,
)

H = Sym("H")


@pytest.mark.parametrize(
    ("got", "want"),
    [
        pytest.param(conv_output_length(32, 3, 1, "valid"), 30, id="valid-padding-loses-kernel-minus-one"),
        pytest.param(conv_output_length(32, 3, 1, "same"), 32, id="same-padding-keeps-length"),
        pytest.param(conv_output_length(32, 3, 2, "same"), 16, id="same-padding-with-stride-rounds-up"),
        pytest.param(conv_output_length(7, 3, 2, "valid"), 3, id="valid-padding-with-stride-rounds-down"),
        pytest.param(conv_output_length(10, 3, 1, "valid", 2), 6, id="dilation-widens-the-kernel"),
        pytest.param(conv_output_length(None, 3, 1, "valid"), None, id="unknown-stays-unknown"),
        pytest.param(pool_output_length(30, 2, 2, "valid"), 15, id="pooling-halves"),
        pytest.param(pool_output_length(13, 2, 2, "valid"), 6, id="pooling-rounds-down"),
        pytest.param(pool_output_length(13, 2, 2, "same"), 7, id="same-pooling-rounds-up"),
        pytest.param(conv_transpose_output_length(7, 3, 2, "same", None), 14, id="transpose-same-multiplies"),
        pytest.param(conv_transpose_output_length(7, 3, 2, "valid", None), 15, id="transpose-valid-adds-kernel"),
        pytest.param(str(sub(sub(H, 2), 2)), "H - 4", id="constants-fold"),
        pytest.param(str(add(sub(H, 2), 2)), "H", id="offsets-cancel"),
        pytest.param(str(conv_output_length(H, 3, 1, "valid")), "H - 2", id="symbolic-valid-convolution"),
        pytest.param(str(pool_output_length(sub(H, 2), 2, 2, "valid")), "(H - 4) // 2 + 1", id="symbolic-pooling"),
        pytest.param(str(mul(sub(H, 2), 2)), "(H - 2) * 2", id="symbolic-upsampling-parenthesises"),
        pytest.param(str(floordiv(H, 1)), "H", id="floordiv-by-one-is-identity"),
        pytest.param(format_shape((None, 4)), "(None, 4)", id="shapes-print-as-tuples"),
        pytest.param(format_shape((None,)), "(None,)", id="one-tuples-keep-their-comma"),
    ],
)
def test_arithmetic(got, want):
    assert got == want


def test_sizes_named_in_the_code_stay_symbolic_through_a_model():
    code = (
        "import sys\nimport keras\nfrom keras import layers\n"
        "IMG_SIZE = int(sys.argv[1])\n"
        "model = keras.Sequential([keras.Input(shape=(IMG_SIZE, IMG_SIZE, 3)), layers.Conv2D(16, 3),"
        " layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(10)])\n"
    )
    (model,) = check_text("x.py", code).models
    shapes = [format_shape(layer.output_shape) for layer in model.layers]
    assert shapes == [
        "(None, IMG_SIZE - 2, IMG_SIZE - 2, 16)",
        "(None, (IMG_SIZE - 4) // 2 + 1, (IMG_SIZE - 4) // 2 + 1, 16)",
        "(None, ((IMG_SIZE - 4) // 2 + 1) * ((IMG_SIZE - 4) // 2 + 1) * 16)",
        "(None, 10)",
    ]
    assert [layer.params for layer in model.layers] == [448, 0, 0, None]  # Dense's weights need the number


def test_a_literal_none_stays_none():
    code = "import keras\nm = keras.Sequential([keras.Input(shape=(None, 8)), keras.layers.LSTM(4)])\n"
    (model,) = check_text("x.py", code).models
    assert model.input_shape == (None, None, 8)
