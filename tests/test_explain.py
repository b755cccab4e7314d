"""Explanations: the origin model's lines exactly, and a specific explanation for every catalogued layer."""

from __future__ import annotations

import re

import pytest

from kerascheck.engine import check_text
from kerascheck.explain import explain_layer, explain_model, explanation
from kerascheck.infer import infer
from kerascheck.layers import CATALOGUE
from kerascheck.shapes import Sym, format_shape

ORIGIN = """\
from tensorflow.keras import layers, models
model = models.Sequential()
model.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation='relu'))
model.add(layers.MaxPooling2D((2, 2)))
model.add(layers.Conv2D(64, (3, 3), activation='relu'))
model.add(layers.Dense(64, activation='relu'))
"""


def _model(code: str, index: int = -1):
    result = check_text("example.py", code)
    assert not result.internal_error, result.diagnostics
    assert result.models, "no model extracted"
    return result.models[index]


def test_origin_model_lines():
    assert explain_model(_model(ORIGIN)) == [
        "Conv2D(32, (3, 3))  32 filters, each 3×3×3 over all 3 input channels → (None, 30, 30, 32): "
        "30 = 32 − 3 + 1 (valid padding); 896 params = 3·3·3·32 weights + 32 biases",
        "MaxPooling2D((2, 2))  takes the max of each 2×2 block in each of the 32 channels → (None, 15, 15, 32): "
        "15 = 30 // 2",
        "Conv2D(64, (3, 3))  64 filters, each 3×3×32 over all 32 input channels → (None, 13, 13, 64): "
        "13 = 15 − 3 + 1 (valid padding); 18,496 params = 3·3·32·64 weights + 64 biases",
        "MaxPooling2D((2, 2))  takes the max of each 2×2 block in each of the 64 channels → (None, 6, 6, 64): "
        "6 = 13 // 2 (rounded down)",
        "Conv2D(64, (3, 3))  64 filters, each 3×3×64 over all 64 input channels → (None, 4, 4, 64): "
        "4 = 6 − 3 + 1 (valid padding); 36,928 params = 3·3·64·64 weights + 64 biases",
        "Dense(64)  acts on the last axis only → (None, 4, 4, 64): the same 64 units are applied at each of the "
        "4×4 positions; 4,160 params = 64·64 weights + 64 biases; add Flatten() first to get one vector per sample",
    ]


# One small model per catalogued layer type: (input shape of one sample, the layer as written,
# a fragment its explanation must contain). Functional snippets for the layers that take several inputs.
SEQUENTIAL = "from keras import layers, models\nmodel = models.Sequential([layers.Input({shape}), {layer}])\n"
FUNCTIONAL = """\
import keras
from keras import layers
a = keras.Input({shape})
b = keras.Input({shape})
out = {layer}([a, b])
model = keras.Model([a, b], out)
"""

EXAMPLES: dict[str, tuple[str, str, str]] = {
    "Activation": ("(8,)", "layers.Activation('softmax')", "probabilities that sum to 1"),
    "ActivityRegularization": ("(8,)", "layers.ActivityRegularization(l1=0.01)", "penalty"),
    "Add": ("(4, 8)", "layers.Add()", "adds its 2 inputs element by element"),
    "AlphaDropout": ("(8,)", "layers.AlphaDropout(0.1)", "inactive at inference; shape unchanged"),
    "Average": ("(4, 8)", "layers.Average()", "averages its 2 inputs"),
    "AveragePooling1D": ("(10, 4)", "layers.AveragePooling1D(2)", "average of each 2 consecutive steps"),
    "AveragePooling2D": ("(9, 9, 4)", "layers.AveragePooling2D(3, strides=2)", "4 = (9 − 3) // 2 + 1"),
    "AveragePooling3D": ("(4, 4, 4, 2)", "layers.AveragePooling3D(2)", "each 2×2×2 block"),
    "BatchNormalization": ("(8, 8, 16)", "layers.BatchNormalization()",
                           "64 params = 4·16 (gamma, beta, moving mean and moving variance), of which 32 "
                           "(the moving mean and moving variance) are not trainable"),
    "Bidirectional": ("(10, 8)", "layers.Bidirectional(layers.LSTM(16))", "32 = 2·16"),
    "CategoryEncoding": ("(5,)", "layers.CategoryEncoding(num_tokens=10, output_mode='multi_hot')",
                         "the last axis of 5 ids becomes the 10 categories"),
    "CenterCrop": ("(32, 32, 3)", "layers.CenterCrop(24, 20)", "central 24×20 region"),
    "Discretization": ("(1,)", "layers.Discretization(bin_boundaries=[25.0, 40.0, 60.0])",
                       "4 bins split at 25.0, 40.0, 60.0"),
    "Concatenate": ("(4, 8)", "layers.Concatenate()", "16 = 8 + 8"),
    "Conv1D": ("(100, 16)", "layers.Conv1D(8, 5, padding='causal')", "causal padding keeps the size 100"),
    "Conv1DTranspose": ("(10, 4)", "layers.Conv1DTranspose(8, 3, strides=2)", "21 = (10 − 1)·2 + 3"),
    "Conv2D": ("(32, 32, 3)", "layers.Conv2D(16, 3, strides=2, padding='same')", "16 = 32 / 2 (same padding)"),
    "Conv2DTranspose": ("(16, 16, 8)", "layers.Conv2DTranspose(4, 3, strides=2, padding='same')",
                        "32 = 16·2 (same padding)"),
    "Conv3D": ("(8, 8, 8, 1)", "layers.Conv3D(4, 3)", "each 3×3×3×1 over the 1 input channel"),
    "Conv3DTranspose": ("(4, 4, 4, 2)", "layers.Conv3DTranspose(2, 2, strides=2)", "8 = (4 − 1)·2 + 2"),
    "ConvLSTM1D": ("(5, 20, 3)", "layers.ConvLSTM1D(4, 3)", "18 = 20 − 3 + 1"),
    "ConvLSTM2D": ("(5, 16, 16, 3)", "layers.ConvLSTM2D(8, 3, return_sequences=True)", "an output for every frame"),
    "ConvLSTM3D": ("(3, 6, 6, 6, 1)", "layers.ConvLSTM3D(2, 3)", "4 gates"),
    "Cropping1D": ("(10, 4)", "layers.Cropping1D((1, 2))", "7 = 10 − 1 − 2"),
    "Cropping2D": ("(28, 28, 3)", "layers.Cropping2D(((2, 2), (4, 4)))", "24 = 28 − 2 − 2, 20 = 28 − 4 − 4"),
    "Cropping3D": ("(8, 8, 8, 1)", "layers.Cropping3D(1)", "6 = 8 − 1 − 1"),
    "Dense": ("(64,)", "layers.Dense(10)", "650 params = 64·10 weights + 10 biases"),
    "DepthwiseConv1D": ("(20, 4)", "layers.DepthwiseConv1D(3)", "one 3-step filter per input channel"),
    "DepthwiseConv2D": ("(16, 16, 8)", "layers.DepthwiseConv2D(3, depth_multiplier=2)", "16 channels = 8·2"),
    "Dot": ("(8,)", "layers.Dot(axes=1)", "dot product"),
    "Dropout": ("(8,)", "layers.Dropout(0.5)",
                "during training, sets a random 50% of the values to 0 and scales the rest up to compensate → "
                "(None, 8): inactive at inference; shape unchanged"),
    "ELU": ("(8,)", "layers.ELU()", "towards −1.0"),
    "Embedding": ("(20,)", "layers.Embedding(1000, 16)", "16,000 params = 1000·16 table entries"),
    "Flatten": ("(4, 4, 64)", "layers.Flatten()", "1024 = 4·4·64"),
    "GRU": ("(10, 8)", "layers.GRU(4, return_sequences=True)", "return_sequences=True: 4 outputs at every step"),
    "GaussianDropout": ("(8,)", "layers.GaussianDropout(0.2)", "inactive at inference"),
    "GaussianNoise": ("(8,)", "layers.GaussianNoise(0.1)", "standard deviation 0.1"),
    "GlobalAveragePooling1D": ("(10, 4)", "layers.GlobalAveragePooling1D()", "average over all 10 steps"),
    "GlobalAveragePooling2D": ("(8, 8, 32)", "layers.GlobalAveragePooling2D()", "all 8×8 positions"),
    "GlobalAveragePooling3D": ("(4, 4, 4, 2)", "layers.GlobalAveragePooling3D(keepdims=True)", "keepdims=True"),
    "GlobalMaxPooling1D": ("(10, 4)", "layers.GlobalMaxPooling1D()", "max over all 10 steps"),
    "GlobalMaxPooling2D": ("(8, 8, 32)", "layers.GlobalMaxPooling2D()", "one value per channel"),
    "GlobalMaxPooling3D": ("(4, 4, 4, 2)", "layers.GlobalMaxPooling3D()", "each of the 2 channels"),
    "GroupNormalization": ("(8, 8, 16)", "layers.GroupNormalization(groups=4)", "4 groups of 4"),
    "Identity": ("(8,)", "layers.Identity()", "untouched"),
    "LSTM": ("(10, 8)", "layers.LSTM(16)", "1,600 params = 4·16·(8 + 16) weights + 4·16 biases (4 gates)"),
    "Lambda": ("(8,)", "layers.Lambda(lambda t: t[:, :4], output_shape=(4,))", "the output_shape= it declares"),
    "LayerNormalization": ("(10, 64)", "layers.LayerNormalization()", "128 params = 2·64 (gamma and beta)"),
    "LeakyReLU": ("(8,)", "layers.LeakyReLU(negative_slope=0.2)", "multiplies negative ones by 0.2"),
    "Masking": ("(10, 4)", "layers.Masking()", "equal 0.0"),
    "MaxPooling1D": ("(11, 4)", "layers.MaxPooling1D()", "5 = 11 // 2 (rounded down)"),
    "MaxPooling2D": ("(32, 32, 3)", "layers.MaxPooling2D(3, strides=1, padding='same')", "same padding keeps"),
    "MaxPooling3D": ("(4, 4, 4, 2)", "layers.MaxPooling3D()", "2 = 4 // 2"),
    "Maximum": ("(4, 8)", "layers.Maximum()", "larger value"),
    "Minimum": ("(4, 8)", "layers.Minimum()", "smaller value"),
    "Multiply": ("(4, 8)", "layers.Multiply()", "multiplies its 2 inputs"),
    "Normalization": ("(3,)", "layers.Normalization()", "7 params = 2·3 + 1"),
    "PReLU": ("(4, 4, 8)", "layers.PReLU(shared_axes=[1, 2])", "8 params"),
    "Permute": ("(10, 64)", "layers.Permute((2, 1))", "swaps axes 1 and 2"),
    "RandomBrightness": ("(32, 32, 3)", "layers.RandomBrightness(0.2)", "20% of the value range"),
    "RandomContrast": ("(32, 32, 3)", "layers.RandomContrast(0.3)", "contrast"),
    "RandomCrop": ("(32, 32, 3)", "layers.RandomCrop(24, 24)", "random 24×24 region"),
    "RandomFlip": ("(32, 32, 3)", "layers.RandomFlip('horizontal')", "left to right"),
    "RandomRotation": ("(32, 32, 3)", "layers.RandomRotation(0.1)", "(36°)"),
    "RandomTranslation": ("(32, 32, 3)", "layers.RandomTranslation(0.1, 0.2)", "10% of its height and 20%"),
    "RandomZoom": ("(32, 32, 3)", "layers.RandomZoom(0.2)", "zooms"),
    "ReLU": ("(8,)", "layers.ReLU(max_value=6)", "caps values at 6"),
    "RepeatVector": ("(32,)", "layers.RepeatVector(10)", "repeats each sample's vector of 32 values 10 times"),
    "Rescaling": ("(32, 32, 3)", "layers.Rescaling(1./255)", "multiplies every value by 1./255"),
    "MultiHeadAttention": ("(10, 16)", "layers.MultiHeadAttention(num_heads=2, key_dim=8)",
                           "query 16·16 + key 16·16 + value 16·16 + output 16·16 weights"),
    "Attention": ("(10, 16)", "layers.Attention()", "dot product"),
    "AdditiveAttention": ("(10, 16)", "layers.AdditiveAttention()", "additive"),
    "RNN": ("(10, 4)", "layers.RNN([layers.LSTMCell(8), layers.GRUCell(4)])", "LSTMCell, then GRUCell"),
    "Reshape": ("(1024,)", "layers.Reshape((-1, 64))", "-1 takes what is left: 1024 / 64 = 16"),
    "Resizing": ("(64, 48, 3)", "layers.Resizing(32, 32)", "resizes each image to 32×32"),
    "SeparableConv1D": ("(20, 8)", "layers.SeparableConv1D(16, 3)", "first one 3-step filter on each input channel"),
    "SeparableConv2D": ("(16, 16, 8)", "layers.SeparableConv2D(16, 3)", "3·3·8 depthwise + 8·16 pointwise"),
    "SimpleRNN": ("(10, 8)", "layers.SimpleRNN(4)", "only the last step's 4 outputs"),
    "Softmax": ("(8,)", "layers.Softmax()", "probabilities"),
    "SpatialDropout1D": ("(10, 4)", "layers.SpatialDropout1D(0.2)", "whole feature maps"),
    "SpatialDropout2D": ("(8, 8, 4)", "layers.SpatialDropout2D(0.2)", "inactive at inference"),
    "SpatialDropout3D": ("(4, 4, 4, 2)", "layers.SpatialDropout3D(0.2)", "20%"),
    "Subtract": ("(4, 8)", "layers.Subtract()", "subtracts its second input from its first"),
    "TimeDistributed": ("(10, 8)", "layers.TimeDistributed(layers.Dense(4))", "each of the 10 steps"),
    "UnitNormalization": ("(8,)", "layers.UnitNormalization()", "length 1"),
    "UpSampling1D": ("(10, 4)", "layers.UpSampling1D(3)", "30 = 10·3"),
    "UpSampling2D": ("(8, 8, 4)", "layers.UpSampling2D()", "16 = 8·2"),
    "UpSampling3D": ("(2, 2, 2, 1)", "layers.UpSampling3D()", "4 = 2·2"),
    "ZeroPadding1D": ("(10, 4)", "layers.ZeroPadding1D(2)", "14 = 10 + 2 + 2"),
    "ZeroPadding2D": ("(28, 28, 1)", "layers.ZeroPadding2D(((1, 2), (3, 4)))", "31 = 28 + 1 + 2, 35 = 28 + 3 + 4"),
    "ZeroPadding3D": ("(4, 4, 4, 1)", "layers.ZeroPadding3D()", "6 = 4 + 1 + 1"),
}

CATALOGUED = sorted({spec.name for spec in CATALOGUE.values() if spec.model_layer})
# Layers called with several tensors as separate arguments (query, value).
CALLED = """\
import keras
from keras import layers
a = keras.Input({shape})
b = keras.Input({shape})
out = {layer}(a, b)
model = keras.Model([a, b], out)
"""


def _example_model(name: str):
    shape, layer, _ = EXAMPLES[name]
    spec = CATALOGUE[name]
    template = FUNCTIONAL if spec.multi_input else CALLED if spec.call_signature is not None else SEQUENTIAL
    return _model(template.format(shape=shape, layer=layer))


def test_every_catalogued_type_has_an_example():
    missing = [name for name in CATALOGUED if name not in EXAMPLES]
    assert not missing, f"add an example to EXAMPLES for {missing}"


@pytest.mark.parametrize("name", CATALOGUED)
def test_every_catalogued_type_has_a_specific_explanation(name):
    model = _example_model(name)
    layer = next(layer for layer in model.layers if layer.type == name)
    e = explanation(layer)
    assert not e.generic
    assert layer.output_shape is not None, "the example should build"
    line = explain_layer(layer)
    # The explanation reads its numbers from the IR: the output shape and the parameter count.
    output = layer.output_shape
    shown = format_shape(output) if isinstance(output, tuple) else "[" + ", ".join(map(format_shape, output)) + "]"
    assert f"→ {shown}" in line
    if layer.params:
        assert re.search(rf"\b{layer.params:,}\b|\b{layer.params}\b", line), line
    assert EXAMPLES[name][2] in line, line
    assert "?" not in line, line


@pytest.mark.parametrize(
    "name", [n for n in CATALOGUED if not CATALOGUE[n].multi_input and CATALOGUE[n].call_signature is None]
)
def test_unknown_input_shape_invents_no_numbers(name):
    """Without a declared input, Keras cannot build the model: every size stays unknown."""
    _, layer_code, _ = EXAMPLES[name]
    code = f"from keras import layers, models\nmodel = models.Sequential([{layer_code}])\n"
    (layer,) = _model(code).layers
    line = explain_layer(layer)
    assert "→ ? (the input shape is not known)" in line
    # No formula and no parameter count: both would need sizes nobody knows.
    assert " = " not in line and "params" not in line, line
    # And no shape: the only sizes in the line are those written in the call.
    assert "(None" not in line


def test_symbolic_sizes_stay_formulas():
    model = _model(
        "from keras import layers, models\n"
        "model = models.Sequential([layers.Input((28, 28, 1)), layers.Conv2D(8, 3), layers.MaxPooling2D(),"
        " layers.Flatten()])\n"
    )
    model.input_shape = (None, Sym("H"), Sym("W"), 1)
    infer(model)
    conv, pool, flat = explain_model(model)
    assert "→ (None, H - 2, W - 2, 8): each size L becomes L − 3 + 1 (valid padding)" in conv
    assert "80 params = 3·3·1·8 weights + 8 biases" in conv
    assert pool.endswith("each size L becomes (L − 2) // 2 + 1")
    assert flat == (
        "Flatten()  lays out each sample's ((H − 4) // 2 + 1)×((W − 4) // 2 + 1)×8 values in one long vector → "
        "(None, ((H - 4) // 2 + 1) * ((W - 4) // 2 + 1) * 8): the product of the input's sizes"
    )


def test_channels_first_dilation_and_groups():
    code = (
        "from keras import layers, models\n"
        "model = models.Sequential([layers.Input((3, 32, 32)),"
        " layers.Conv2D(8, 3, data_format='channels_first', dilation_rate=2)])\n"
    )
    (conv,) = _model(code).layers
    line = explain_layer(conv)
    assert "channels_first" in line and "each 3×3×3 over all 3 input channels" in line
    assert "dilated by 2" in line and "spans 5×5" in line
    assert "→ (None, 8, 28, 28): 28 = 32 − 5 + 1 (valid padding)" in line
    grouped = _model(
        "from keras import layers, models\n"
        "model = models.Sequential([layers.Input((8, 8, 16)), layers.Conv2D(32, 3, groups=4)])\n"
    ).layers[0]
    assert "32 filters in 4 groups, each 3×3×4 over its group's 4 of the 16 input channels" in explain_layer(grouped)
    assert "1,184 params = 3·3·4·32 weights + 32 biases" in explain_layer(grouped)


def test_rnn_return_state_and_unknown_rate():
    code = (
        "import sys\nfrom keras import layers, models\nrate = float(sys.argv[1])\n"
        "model = models.Sequential([layers.Input((10, 8)), layers.LSTM(4, return_state=True), layers.Dropout(rate)])\n"
    )
    model = _model(code)
    lstm = explain_layer(model.layers[0])
    assert "→ [(None, 4), (None, 4), (None, 4)]" in lstm
    assert "return_state=True also returns the final hidden and cell states" in lstm
    dropout = explain_layer(model.layers[1])
    assert "sets a random fraction (rate) of the values to 0" in dropout


def test_errors_are_explained_as_errors():
    code = "from keras import layers, models\nmodel = models.Sequential([layers.Input((2, 2, 3)), layers.Conv2D(8, 3)])\n"
    (conv,) = _model(code).layers
    line = explain_layer(conv)
    assert "→ Keras raises an error here:" in line


def test_uncatalogued_layers_get_an_honest_generic_line():
    code = (
        "import keras\nfrom keras import layers\nclass Fancy(layers.Layer):\n    pass\n"
        "model = keras.Sequential([layers.Input((8,)), Fancy(3), layers.Dense(2)])\n"
    )
    fancy, dense = _model(code).layers
    e = explanation(fancy)
    assert e.generic and "not one of the Keras layers kerascheck knows" in str(e)
    assert "→ ?" in str(e)
    assert explain_layer(dense).endswith("→ ? (the input shape is not known)")


def test_function_form_merge_and_nested_model():
    code = """\
import keras
from keras import layers
inner = keras.Sequential([layers.Input((8,)), layers.Dense(4)], name="inner")
a = keras.Input((8,))
x = inner(a)
y = layers.Dense(4)(a)
out = layers.add([x, y])
model = keras.Model(a, out)
"""
    model = _model(code)
    lines = dict(zip([layer.name for layer in model.layers], explain_model(model), strict=True))
    assert lines["inner"].startswith("inner  the model `inner` used as one layer (1 layer inside) → (None, 4)")
    assert "36 params (all of its layers)" in lines["inner"]
    assert lines["add"].startswith("add([inner, dense_1])  adds its 2 inputs element by element → (None, 4)")
    assert lines["input_layer_1"] == (
        "Input  the model's input: each sample is (8,) → (None, 8): None stands for the batch size, any number of samples"
    )


def _line(layers: str, shape: str = "(8,)", index: int = -1) -> str:
    model = _model(f"from keras import layers, models\nmodel = models.Sequential([layers.Input({shape}), {layers}])\n")
    return explain_layer(model.layers[index])


@pytest.mark.parametrize(
    ("shape", "layers", "fragment"),
    [
        pytest.param("(8,)", "layers.Dense(1)", "its 1 unit is a weighted sum of all 8 inputs → (None, 1); "
                     "9 params = 8·1 weights + 1 bias", id="one-unit-one-bias"),
        pytest.param("(8,)", "layers.Dense(3, use_bias=False)", "24 params = 8·3 weights (no biases: use_bias=False)",
                     id="no-bias"),
        pytest.param("(10, 64)", "layers.Dense(8)", "the same 8 units are applied at each of the 10 steps; 520 params",
                     id="dense-on-a-sequence-needs-no-flatten-advice"),
        pytest.param("(100,)", "layers.BatchNormalization()", "normalizes each of the 100 features",
                     id="batch-normalization-of-a-vector-speaks-of-features"),
        pytest.param("(8,)", "layers.Dropout(20)", "but rate=20 is not a fraction between 0 and 1",
                     id="dropout-rate-given-as-a-percentage"),
        pytest.param("(9, 9, 4)", "layers.MaxPooling2D((2, 1), strides=1)", "8 = 9 − 2 + 1 (valid padding)",
                     id="pooling-window-of-one-keeps-that-axis"),
        pytest.param("(9, 9, 4)", "layers.MaxPooling2D(3, strides=2, padding='same')",
                     "5 = 9 / 2 rounded up (same padding)", id="same-padding-with-strides-rounds-up"),
        pytest.param("(16, 16, 3)", "layers.Conv2D(4, 3, strides=2)", "7 = (16 − 3) // 2 + 1 (valid padding)",
                     id="valid-padding-with-strides"),
        pytest.param("(32,)", "layers.Lambda(lambda t: t[:, :4] * 2)",
                     "→ (None, 4): the shape its function returns on a symbolic input",
                     id="lambda-shape-from-its-function"),
        pytest.param("(32,)", "layers.Lambda(mystery)", "→ ? (unknown unless output_shape= declares it)",
                     id="lambda-with-an-unknown-function-stays-unknown"),
        pytest.param("(28, 28, 3)", "layers.Normalization(axis=(1, 2))",
                     "each of the 28×28 positions along axes 1, 2 → (None, 28, 28, 3): shape unchanged; "
                     "1,569 params = 2·784 + 1", id="normalization-over-several-axes"),
        pytest.param("(10, 8)", "layers.GRU(4, reset_after=False)", "156 params = 3·4·(8 + 4) weights + 3·4 biases "
                     "(3 gates)", id="gru-without-reset-after"),
        pytest.param("(20,)", "layers.Embedding(100, 8, mask_zero=True)", "mask_zero=True: id 0 marks padding",
                     id="embedding-mask-zero"),
        pytest.param("(10, 8)", "layers.Bidirectional(layers.LSTM(4, return_sequences=True), merge_mode='sum')",
                     "and adds their outputs → (None, 10, 4)", id="bidirectional-sum"),
        pytest.param("(4, 4, 8)", "layers.PReLU()", "128 params = 4·4·8 slopes", id="prelu-one-slope-per-value"),
        pytest.param("(3, 1)", "layers.CategoryEncoding(4, output_mode='one_hot')",
                     "→ (None, 3, 4): the last axis of 1 id becomes the 4 categories",
                     id="one-hot-replaces-a-last-axis-of-one"),
        pytest.param("(3,)", "layers.CategoryEncoding(4, output_mode='one_hot')",
                     "→ (None, 3, 4): a new last axis of 4 categories", id="one-hot-adds-an-axis"),
        pytest.param("(6,)", "layers.CategoryEncoding(4, output_mode='count')",
                     "counts how many times each category occurs → (None, 4)", id="count-per-sample"),
        pytest.param("(2, 6)", "layers.CategoryEncoding(4)", "Keras's call sums over axis 1, not the last axis, so on this 3-D input it returns (None, 6, 4)",
                     id="multi-hot-above-2d-warns-that-call-disagrees"),
    ],
)
def test_wording(shape, layers, fragment):
    line = _line(layers, shape)
    assert fragment in line, line
