"""Data pipelines (extract/pipelines.py): the batches `keras.utils` datasets and `tf.data` give.

`keras.utils.image_dataset_from_directory`, `timeseries_dataset_from_array` and `tf.data` need
TensorFlow, which the test environment does not have (Keras runs on its NumPy and JAX backends), so
these shapes are checked against what Keras's own docstrings state (`help(keras.utils.X)` in the
installed Keras is read by the first test, so a change there fails it), and the models fed from
such batches are checked against real Keras by building them on batches of those shapes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import libcst as cst
import pytest
from test_oracle import keras_result, layer_agreement

from kerascheck.extract import tables
from kerascheck.extract.interpreter import Interpreter


def _run(code: str) -> dict[str, Any]:
    source = "import numpy as np\nimport keras\nimport tensorflow as tf\n" + code
    ip = Interpreter()
    ip.run_unit(cst.parse_module(source), None, source)
    return ip.globals.vars


def _shape(value: Any) -> tuple[Any, ...] | None:
    return tables.as_shape(value)


def test_the_documented_shapes_are_still_documented() -> None:
    """The contracts the cases below rely on, as the installed Keras states them."""
    import inspect

    keras = pytest.importorskip("keras")
    images = keras.utils.image_dataset_from_directory
    series = keras.utils.timeseries_dataset_from_array
    assert "`(batch_size, image_size[0], image_size[1], num_channels)`" in (images.__doc__ or "")
    defaults = inspect.signature(images).parameters
    assert defaults["image_size"].default == (256, 256) and defaults["batch_size"].default == 32
    assert defaults["label_mode"].default == "int" and defaults["color_mode"].default == "rgb"
    assert inspect.signature(series).parameters["batch_size"].default == 128
    assert "tuple `(batch_of_sequences, batch_of_targets)`" in (series.__doc__ or "")
    both = " ".join((images.__doc__ or "").split())
    assert 'When `subset="both"`, the utility returns a tuple of two datasets' in both
    audio = keras.utils.audio_dataset_from_directory
    told = " ".join((audio.__doc__ or "").split())
    assert "`audio` has shape `(batch_size, sequence_length, num_channels)`" in told
    assert "Audio files longer than this will be truncated to `output_sequence_length`" in told
    assert "all sequences in the same batch will be padded to the length of the longest sequence" in told
    defaults = inspect.signature(audio).parameters
    assert defaults["batch_size"].default == 32 and defaults["label_mode"].default == "int"
    assert defaults["sampling_rate"].default is None and defaults["ragged"].default is False


CASES = {
    "images": (
        "ds = keras.utils.image_dataset_from_directory('d', image_size=(180, 120), batch_size=16)\n"
        "for x, y in ds.take(1):\n    pass\n",
        {"x": (None, 180, 120, 3), "y": (None,)},
    ),
    "grayscale, binary labels": (
        "ds = keras.utils.image_dataset_from_directory('d', color_mode='grayscale', label_mode='binary')\n"
        "x, y = next(iter(ds))\n",
        {"x": (None, 256, 256, 1), "y": (None, 1)},
    ),
    "training and validation at once": (
        "train, val = keras.utils.image_dataset_from_directory('d', validation_split=0.2, subset='both', seed=1,"
        " image_size=(64, 48))\n"
        "x, y = next(iter(val))\n",
        {"x": (None, 64, 48, 3), "y": (None,)},
    ),
    "unbatched": (
        "ds = keras.utils.image_dataset_from_directory('d', image_size=(64, 64), batch_size=None)\n"
        "x, y = next(iter(ds))\n",
        {"x": (64, 64, 3), "y": ()},
    ),
    "time series": (
        "data = np.zeros((500, 7))\n"
        "ds = keras.utils.timeseries_dataset_from_array(data[:-10], data[10:, 2], sequence_length=24)\n"
        "for x, y in ds:\n    break\n",
        {"x": (None, 24, 7), "y": (None,)},
    ),
    "tensor slices, batched": (
        "ds = tf.data.Dataset.from_tensor_slices((np.zeros((100, 8)), np.zeros((100, 3)))).shuffle(100).batch(10)\n"
        "x, y = next(iter(ds))\n",
        {"x": (None, 8), "y": (None, 3)},
    ),
    "mapped": (
        "ds = tf.data.Dataset.from_tensor_slices(np.zeros((100, 8))).map(lambda t: t * 2).batch(4)\n"
        "x = next(iter(ds))\n",
        {"x": (None, 8)},
    ),
    "mapped after batching, a tuple element": (
        "ds = keras.utils.image_dataset_from_directory('d', image_size=(96, 96))\n"
        "ds = ds.map(lambda x, y: (tf.image.resize(x, (64, 48)) / 255.0, y), num_parallel_calls=4)\n"
        "images, labels = next(iter(ds))\n",
        {"images": (None, 64, 48, 3), "labels": (None,)},
    ),
    # TensorFlow's "Simple audio recognition" way: file names to waveforms to spectrograms. `decode_wav`
    # gives (desired_samples, desired_channels) and the sample rate, as TensorFlow's API documents it;
    # a second of 16 kHz audio in 255-sample frames every 128 samples is the (124, 129) spectrogram that
    # tutorial prints (the frame rule is held to `keras.ops.stft` in test_tf_functions).
    "wav files to spectrograms": (
        "def load(path, label):\n"
        "    audio, _ = tf.audio.decode_wav(tf.io.read_file(path), desired_channels=1, desired_samples=16000)\n"
        "    return tf.squeeze(audio, axis=-1), label\n"
        "def spectrogram(wave):\n"
        "    return tf.abs(tf.signal.stft(wave, frame_length=255, frame_step=128))[..., tf.newaxis]\n"
        "files = sorted(some_folder.glob('*.wav'))\n"
        "ds = tf.data.Dataset.from_tensor_slices((files, labels)).map(load)\n"
        "ds = ds.map(lambda wave, label: (spectrogram(wave), label)).batch(64)\n"
        "for x, y in ds.take(1):\n    input_shape = x.shape[1:]\n",
        {"x": (None, 124, 129, 1)},
    ),
    # The same tutorial as Keras 3 writes it: folders of .wav files, cut or padded to one second (the
    # channels are the files', unknown here), squeezed to waveforms, then spectrograms.
    "audio folders to spectrograms": (
        "train, val = keras.utils.audio_dataset_from_directory('d', batch_size=64, validation_split=0.2,"
        " seed=0, output_sequence_length=16000, subset='both')\n"
        "raw, _ = next(iter(train))\n"
        "train = train.map(lambda audio, labels: (tf.squeeze(audio, axis=-1), labels))\n"
        "def spectrogram(wave):\n"
        "    return tf.abs(tf.signal.stft(wave, frame_length=255, frame_step=128))[..., tf.newaxis]\n"
        "train = train.map(lambda wave, label: (spectrogram(wave), label))\n"
        "for x, y in train.take(1):\n    input_shape = x.shape[1:]\n",
        {"raw": (None, 16000, None), "x": (None, 124, 129, 1), "y": (None,)},
    ),
    "audio padded batch by batch, no labels": (
        "ds = keras.utils.audio_dataset_from_directory('d', labels=None, batch_size=8)\n"
        "x = next(iter(ds))\n",
        {"x": (None, None, None)},
    ),
    "audio resampled: its length is not the written one": (
        "ds = keras.utils.audio_dataset_from_directory('d', output_sequence_length=16000, sampling_rate=8000,"
        " label_mode='binary')\n"
        "x, y = next(iter(ds))\n",
        {"x": (None, None, None), "y": (None, 1)},
    ),
    "mapped to what is not followed": (
        "ds = tf.data.Dataset.from_tensor_slices(np.zeros((100, 8))).map(lambda t: tf.strings.split(t))\n"
        "x = next(iter(ds))\n",
        {"x": None},
    ),
}


@pytest.mark.parametrize(("code", "expected"), list(CASES.values()), ids=list(CASES))
def test_batches(code: str, expected: dict[str, Any]) -> None:
    values = _run(code)
    for name, shape in expected.items():
        assert _shape(values.get(name)) == shape, (name, values.get(name))


def test_a_loop_over_every_batch_is_not_a_single_batch() -> None:
    """Without a `break` or `take`, the number of batches is unknown: what the loop counts stays unknown."""
    values = _run(
        "ds = tf.data.Dataset.from_tensor_slices(np.zeros((100, 8))).batch(10)\n"
        "n = 0\nfor x in ds:\n    n += 1\n"
    )
    assert not isinstance(values.get("n"), int)


def test_model_fed_from_a_batch_agrees_with_keras(tmp_path: Path) -> None:
    """`Input(shape=batch.shape[1:])`: Keras builds the same model on a batch of that shape."""
    path = tmp_path / "batch.py"
    path.write_text(
        "import numpy as np\nimport keras\nfrom keras import layers\n"
        "x = np.zeros((16, 24, 7), 'float32')  # a batch of timeseries_dataset_from_array(sequence_length=24)\n"
        "inputs = keras.Input(shape=x.shape[1:])\n"
        "model = keras.Model(inputs, layers.Dense(1)(layers.GRU(8)(inputs)))\n",
        encoding="utf-8",
    )
    assert keras_result(str(path)).error is None
    assert all(layer.agrees for layer in layer_agreement(str(path)))
