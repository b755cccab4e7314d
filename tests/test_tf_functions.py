"""TensorFlow's tensor functions in model code (`tf.reduce_mean`, `tf.concat`, `tf.transpose(perm=...)`),
followed as the `keras.ops` function of the same shape rule.

TensorFlow is not installed (and must not be), so each case pairs the TensorFlow call, as tutorials
write it, with the `keras.ops` call that computes the same thing; real Keras runs the `keras.ops`
one, and kerascheck must give its shape for the TensorFlow one (or no shape, never another one).
"""

from __future__ import annotations

import numpy as np
import pytest

from kerascheck.engine import check_text

CASES = [
    ("tf.reduce_mean(x, axis=1)", "ops.mean(x, axis=1)"),
    ("tf.reduce_max(x, axis=-1, keepdims=True)", "ops.max(x, axis=-1, keepdims=True)"),
    ("tf.math.reduce_sum(x, axis=2)", "ops.sum(x, axis=2)"),
    ("tf.reduce_min(input_tensor=x, axis=[1, 2])", "ops.min(x, axis=[1, 2])"),
    ("tf.concat([x, x], axis=-1)", "ops.concatenate([x, x], axis=-1)"),
    ("tf.concat(values=[x, x], axis=1)", "ops.concatenate([x, x], axis=1)"),
    ("tf.stack([x, x], axis=1)", "ops.stack([x, x], axis=1)"),
    ("tf.reshape(x, (-1, 160))", "ops.reshape(x, (-1, 160))"),
    ("tf.expand_dims(x, -1)", "ops.expand_dims(x, -1)"),
    ("tf.squeeze(tf.expand_dims(x, 1), axis=1)", "ops.squeeze(ops.expand_dims(x, 1), axis=1)"),
    ("tf.transpose(x, perm=[0, 2, 1])", "ops.transpose(x, axes=[0, 2, 1])"),
    ("tf.matmul(x, tf.transpose(x, perm=[0, 2, 1]))", "ops.matmul(x, ops.transpose(x, axes=[0, 2, 1]))"),
    ("tf.one_hot(tf.cast(x, 'int32'), depth=5)", "ops.one_hot(ops.cast(x, 'int32'), 5)"),
    ("tf.nn.softmax(x)", "ops.softmax(x)"),
    ("tf.nn.relu(x, name='act')", "ops.relu(x)"),
    ("tf.math.l2_normalize(x, axis=-1)", "ops.normalize(x, axis=-1)"),
    ("tf.tensordot(x, tf.ones((16, 3)), 1)", "ops.tensordot(x, ops.ones((16, 3)), 1)"),
    ("tf.tensordot(x, tf.ones((10, 2)), axes=[[1], [0]])", "ops.tensordot(x, ops.ones((10, 2)), axes=[[1], [0]])"),
    # CycleGAN's reflection padding layer: TensorFlow's modes are upper case, Keras's lower
    ("tf.pad(x, [[0, 0], [1, 2], [3, 3]], mode='REFLECT')", "ops.pad(x, [[0, 0], [1, 2], [3, 3]], mode='reflect')"),
    ("tf.pad(tensor=x, paddings=((0, 0), (2, 0), (0, 0)), constant_values=1.0)",
     "ops.pad(x, ((0, 0), (2, 0), (0, 0)), constant_values=1.0)"),
    # TensorFlow's data functions that `keras.ops` has a twin of with other arguments
    ("tf.image.resize(tf.expand_dims(x, -1), (20, 8))", "ops.image.resize(ops.expand_dims(x, -1), (20, 8))"),
    ("tf.image.resize_with_pad(tf.expand_dims(x, -1), 20, 8)",
     "ops.image.resize(ops.expand_dims(x, -1), (20, 8), pad_to_aspect_ratio=True)"),
    ("tf.image.random_flip_left_right(tf.expand_dims(x, -1))", "ops.expand_dims(x, -1)"),
    ("tf.image.extract_patches(tf.expand_dims(x, -1), [1, 2, 4, 1], [1, 2, 4, 1], [1, 1, 1, 1], 'VALID')",
     "ops.image.extract_patches(ops.expand_dims(x, -1), (2, 4), strides=(2, 4), padding='valid')"),
    ("tf.image.extract_patches(images=tf.expand_dims(x, -1), sizes=[1, 3, 3, 1], strides=[1, 3, 3, 1],"
     " rates=[1, 1, 1, 1], padding='SAME')",
     "ops.image.extract_patches(ops.expand_dims(x, -1), 3, padding='same')"),
    ("tf.cast(tf.math.not_equal(x, 0), tf.float32) * x", "ops.cast(ops.not_equal(x, 0), 'float32') * x"),
    ("tf.cast(tf.greater(x[:, :, None], x[:, None, :]), 'float32')",
     "ops.cast(ops.greater(x[:, :, None], x[:, None, :]), 'float32')"),
    # Swin Transformer's shifted windows; a clipped activation; a loss over every axis (added back as a bias)
    ("tf.roll(x, shift=[-2, -3], axis=[1, 2])", "ops.roll(x, -2, axis=1)"),
    ("tf.clip_by_value(x, clip_value_min=-1.0, clip_value_max=1.0)", "ops.clip(x, -1.0, 1.0)"),
    ("x + tf.reduce_mean(tf.square(x))", "x + ops.mean(ops.square(x))"),
    ("x * tf.reduce_sum(x, keepdims=True)", "x * ops.sum(x, keepdims=True)"),
    # attention pooling (Compact Convolutional Transformers): the weights' token axis contracted with the tokens'
    ("tf.matmul(tf.nn.softmax(x[:, :, :1], axis=1), x, transpose_a=True)",
     "ops.matmul(ops.transpose(ops.softmax(x[:, :, :1], axis=1), (0, 2, 1)), x)"),
    ("tf.linalg.matmul(x, x, transpose_b=True)", "ops.matmul(x, ops.transpose(x, (0, 2, 1)))"),
    ("tf.nn.softmax(logits=x, axis=1)", "ops.softmax(x, axis=1)"),
    # a StyleGAN's equalized convolution: TensorFlow's conv2d on a kernel it scales itself; a random crop
    ("tf.nn.conv2d(tf.expand_dims(x, -1), tf.ones((3, 3, 1, 8)), strides=2, padding='SAME')",
     "ops.conv(ops.expand_dims(x, -1), ops.ones((3, 3, 1, 8)), strides=2, padding='same')"),
    ("tf.nn.conv2d(tf.expand_dims(x, -1), tf.ones((3, 5, 1, 4)), [1, 1, 2, 1], 'VALID')",
     "ops.conv(ops.expand_dims(x, -1), ops.ones((3, 5, 1, 4)), strides=(1, 2), padding='valid')"),
    ("x[:, :4, :8] + tf.image.random_crop(x[0], (4, 8))", "x[:, :4, :8] + x[0][:4, :8]"),
    # a contrastive loss's distance: arithmetic written as TensorFlow functions broadcasts as operators do
    ("tf.math.sqrt(tf.math.maximum(tf.pow(x, 2.0), 1e-7)) + tf.add(x, tf.ones((16,)))",
     "ops.sqrt(ops.maximum(ops.power(x, 2.0), 1e-7)) + ops.add(x, ops.ones((16,)))"),
    # keras-io's DDIM: a sinusoidal embedding whose frequencies are spaced between two logarithms
    ("x[:, :, :1] * tf.exp(tf.linspace(tf.math.log(1.0), tf.math.log(1000.0), 16))",
     "x[:, :, :1] * ops.exp(ops.linspace(ops.log(1.0), ops.log(1000.0), 16))"),
    # the Shifted Patch Tokenization of keras-io's ViT on small data sets: crop, then pad back to the image size
    ("tf.image.crop_to_bounding_box(tf.expand_dims(x, -1), 1, 2, 6, 12)", "ops.expand_dims(x, -1)[:, 1:7, 2:14, :]"),
    ("tf.image.pad_to_bounding_box(tf.expand_dims(x, -1), offset_height=2, offset_width=1, target_height=14,"
     " target_width=20)", "ops.pad(ops.expand_dims(x, -1), ((0, 0), (2, 2), (1, 3), (0, 0)))"),
    # `tf.signal.stft` frames the signal without centring it; its FFT length is by default the smallest
    # power of two that holds a frame, and `pad_end` pads the signal up to a whole number of steps.
    # `keras.ops.stft` frames by its FFT length, so the two agree where a frame is as long as the FFT
    # (the tutorial's 255-sample frames are in test_pipelines).
    ("tf.signal.stft(x, frame_length=8, frame_step=3)", "ops.stft(x, 8, 3, 8, center=False)[0]"),
    ("tf.signal.stft(x, 4, 4, fft_length=4)", "ops.stft(x, 4, 4, 4, center=False)[0]"),
    ("tf.signal.stft(x, 8, 3, pad_end=True)", "ops.stft(ops.pad(x, ((0, 0), (0, 0), (0, 7))), 8, 3, 8, center=False)[0]"),
]

PROGRAM = """\
import keras
from keras import ops
{imports}
inputs = keras.Input(shape=(10, 16))
x = inputs
out = keras.layers.Activation("linear")({expr})
model = keras.Model(inputs, out)
"""


@pytest.mark.parametrize(("tf_expr", "ops_expr"), CASES)
def test_tf_function_has_the_keras_ops_shape(tf_expr: str, ops_expr: str) -> None:
    namespace: dict[str, object] = {}
    with np.errstate(all="ignore"):  # Keras's numpy backend traces ops on np.empty arrays' leftover bytes
        exec(compile(PROGRAM.format(imports="", expr=ops_expr), "program.py", "exec"), namespace)
    expected = tuple(namespace["model"].output.shape)  # type: ignore[attr-defined]
    result = check_text("program.py", PROGRAM.format(imports="import tensorflow as tf", expr=tf_expr))
    (model,) = result.models
    got = model.layers[-1].output_shape
    assert got == expected, (tf_expr, got, expected)


@pytest.mark.parametrize("expr", ["tf.image.crop_to_bounding_box(tf.expand_dims(x, -1), 5, 0, 6, 16)",
                                  "tf.image.pad_to_bounding_box(tf.expand_dims(x, -1), 0, 2, 10, 17)"])
def test_a_box_that_does_not_fit_gives_no_shape(expr: str) -> None:
    # TensorFlow raises (rows 5 + 6 > 10; columns 2 + 16 > 17): no shape rather than the box's
    (model,) = check_text("program.py", PROGRAM.format(imports="import tensorflow as tf", expr=expr)).models
    assert model.layers[-1].output_shape is None


@pytest.mark.parametrize("expr", ["tf.nn.conv2d(tf.expand_dims(x, -1), tf.ones((3, 3, 2, 8)), 1, 'SAME')",
                                  "tf.nn.conv2d(tf.expand_dims(x, -1), tf.ones((12, 3, 1, 8)), 1, 'VALID')",
                                  "tf.image.random_crop(x[0], (12, 8))"])
def test_a_kernel_or_crop_tensorflow_rejects_gives_no_shape(expr: str) -> None:
    # 2 input channels for 1; a kernel taller than the 10 rows; a crop taller than the image
    (model,) = check_text("program.py", PROGRAM.format(imports="import tensorflow as tf", expr=expr)).models
    assert model.layers[-1].output_shape is None


def test_an_argument_kerascheck_does_not_map_leaves_the_shape_unknown() -> None:
    # `tf.transpose(x, conjugate=True)` or any keyword outside the mapping: no shape rather than a guess.
    result = check_text("program.py", PROGRAM.format(imports="import tensorflow as tf",
                                                     expr="tf.transpose(x, perm=[0, 2, 1], conjugate=True)"))
    (model,) = result.models
    assert model.layers[-1].output_shape is None


@pytest.mark.parametrize("args", ["", "64, 513", "num_mel_bins=40, num_spectrogram_bins=257, lower_edge_hertz=20.0"])
def test_mel_matrix_has_the_shape_of_keras_port(args: str) -> None:
    """`tf.signal.linear_to_mel_weight_matrix`: Keras's MelSpectrogram layer carries a port of it (same
    arguments, `sampling_rate` for `sample_rate`), whose matrix gives the shape."""
    from keras.src.layers.preprocessing.mel_spectrogram import MelSpectrogram

    namespace: dict[str, object] = {"port": MelSpectrogram().linear_to_mel_weight_matrix}
    exec(f"w = port({args})", namespace)
    expected = tuple(namespace["w"].shape)  # type: ignore[attr-defined]
    result = check_text("program.py", (
        "import tensorflow as tf\nimport keras\n"
        f"w = tf.signal.linear_to_mel_weight_matrix({args})\n"
        "x = keras.Input(shape=(50, w.shape[0]))\n"
        "model = keras.Model(x, keras.layers.Activation('linear')(tf.tensordot(x, w, 1)))\n"))
    (model,) = result.models
    assert model.layers[-1].output_shape == (None, 50, expected[1]) and expected[0] == model.layers[0].output_shape[-1]
