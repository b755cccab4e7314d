"""StringLookup, IntegerLookup, Hashing, TextVectorization and HashedCrossing (kerascheck/layers/lookups.py) against
real Keras.

Keras 3 creates these layers only when TensorFlow is installed, and the test environment has no
TensorFlow (Keras's numpy backend is the oracle everywhere else, and TensorFlow beside it would change
what Keras does in the other tests). So this test makes an environment of its own, once: a virtual
environment with TensorFlow (CPU) and the same Keras version, kept in the user's cache folder
(KERASCHECK_TF_ORACLE overrides where). Every case is built there in one process, by real Keras on
a symbolic input; kerascheck reads the same layer written in a file. If that environment cannot be
made, the test fails: it never passes without Keras having answered.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import textwrap
from typing import Any

import pytest
from tf_oracle import tensorflow_python

import kerascheck
from kerascheck.layers.lookups import MODELLED

# (layer class, keyword arguments as written, input shape without the batch axis, input dtype)
CASES: list[tuple[str, str, tuple[int | None, ...], str]] = [
    ("StringLookup", "", (), "string"),
    ("StringLookup", "", (3,), "string"),
    ("StringLookup", "vocabulary=['a', 'b', 'c'], mask_token=None, num_oov_indices=0", (1,), "string"),
    ("StringLookup", "vocabulary=['a', 'b', 'c'], output_mode='one_hot'", (), "string"),
    ("StringLookup", "vocabulary=['a', 'b', 'c'], output_mode='one_hot'", (1,), "string"),
    ("StringLookup", "vocabulary=['a', 'b', 'c'], output_mode='one_hot', mask_token=''", (2,), "string"),
    ("StringLookup", "vocabulary=['a', 'b', 'c'], output_mode='multi_hot', mask_token='', num_oov_indices=2",
     (), "string"),
    ("StringLookup", "vocabulary=['a', 'b'], output_mode='multi_hot'", (4,), "string"),
    ("StringLookup", "vocabulary=['a', 'b'], output_mode='count'", (4,), "string"),
    ("StringLookup", "vocabulary=['a', 'b'], output_mode='tf_idf', idf_weights=[0.5, 1.5]", (4,), "string"),
    ("StringLookup", "max_tokens=12, pad_to_max_tokens=True, vocabulary=['a'], output_mode='multi_hot'",
     (3,), "string"),
    ("StringLookup", "vocabulary=['a', 'b'], invert=True", (3,), "int64"),
    ("StringLookup", "vocabulary=['a', 'b'], output_mode='binary'", (4,), "string"),
    ("IntegerLookup", "", (), "int64"),
    ("IntegerLookup", "vocabulary=[3, 7, 9]", (2,), "int64"),
    ("IntegerLookup", "vocabulary=[3, 7, 9], output_mode='one_hot'", (1,), "int64"),
    ("IntegerLookup", "vocabulary=[3, 7, 9], output_mode='multi_hot', num_oov_indices=0", (5,), "int64"),
    ("IntegerLookup", "vocabulary=[3, 7, 9], output_mode='count', mask_token=0", (5,), "int64"),
    ("Hashing", "num_bins=8", (), "string"),
    ("Hashing", "num_bins=8", (3,), "int64"),
    ("Hashing", "num_bins=8, output_mode='one_hot'", (1,), "string"),
    ("Hashing", "num_bins=8, output_mode='multi_hot'", (3,), "string"),
    ("Hashing", "num_bins=8, output_mode='count', salt=7", (3,), "int64"),
    ("TextVectorization", "", (1,), "string"),
    ("TextVectorization", "", (), "string"),
    ("TextVectorization", "output_sequence_length=20", (1,), "string"),
    ("TextVectorization", "max_tokens=100, output_sequence_length=6", (), "string"),
    ("TextVectorization", "vocabulary=['a', 'b'], output_mode='multi_hot'", (1,), "string"),
    ("TextVectorization", "vocabulary=['a', 'b'], output_mode='multi_hot'", (), "string"),
    ("TextVectorization", "vocabulary=['a', 'b', 'c'], output_mode='count', split=None", (), "string"),
    ("TextVectorization", "vocabulary=['a', 'b', 'c'], output_mode='one_hot', split=None", (1,), "string"),
    ("TextVectorization", "vocabulary=['a', 'b'], output_mode='tf_idf', idf_weights=[1.0, 2.0]", (1,), "string"),
    ("TextVectorization", "max_tokens=50, pad_to_max_tokens=True, output_mode='multi_hot'", (1,), "string"),
    ("TextVectorization", "max_tokens=50, output_mode='multi_hot', ngrams=2", (1,), "string"),
]


@pytest.mark.parametrize("name", sorted(MODELLED))
def test_signature_is_keras_own(name: str) -> None:
    # inspecting the class needs no TensorFlow: the signature a call binds to is Keras's own
    import keras

    from kerascheck.layers.spec import Signature

    keras_text = str(inspect.signature(getattr(keras.layers, name).__init__)).replace("(self, ", "(")
    assert Signature.parse(MODELLED[name].signature_text) == Signature.parse(keras_text[1:-1])


# HashedCrossing crosses two features: (keyword arguments, each input's shape, how the pair is written)
CROSSINGS: list[tuple[str, tuple[int | None, ...], str]] = [
    ("num_bins=16", (1,), "(a, b)"),
    ("num_bins=16, output_mode='one_hot'", (1,), "(a, b)"),
    ("num_bins=16, output_mode='one_hot'", (3,), "[a, b]"),
    ("num_bins=5", (2,), "[a, b]"),
    ("num_bins=24, output_mode='one_hot'", (), "(a, b)"),
    ("num_bins=24", (), "[a, b]"),
]
CASES += [("HashedCrossing", kwargs, shape, pair) for kwargs, shape, pair in CROSSINGS]


def _program(cls: str, kwargs: str, shape: tuple[int | None, ...], dtype: str) -> str:
    if cls == "HashedCrossing":  # `dtype` holds how the pair of inputs is written
        return textwrap.dedent(f"""\
            import keras
            a = keras.Input(shape={shape!r}, dtype="int64")
            b = keras.Input(shape={shape!r}, dtype="string")
            y = keras.layers.HashedCrossing({kwargs})({dtype})
            model = keras.Model([a, b], y)
            """)
    return textwrap.dedent(f"""\
        import keras
        x = keras.Input(shape={shape!r}, dtype={dtype!r})
        y = keras.layers.{cls}({kwargs})(x)
        model = keras.Model(x, y)
        """)


# Runs in the TensorFlow environment: every case's output shape and parameter count, as Keras builds them.
_KERAS_SIDE = """
import json, os, sys
os.environ["KERAS_BACKEND"] = "tensorflow"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import keras
out = []
for program in json.load(sys.stdin):
    scope = {}
    exec(program, scope)
    layer = scope["model"].layers[-1]
    out.append([[d for d in layer.output.shape], layer.count_params()])
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def keras_answers() -> list[Any]:
    programs = [_program(*case) for case in CASES]
    done = subprocess.run([str(tensorflow_python()), "-c", _KERAS_SIDE], input=json.dumps(programs),
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    answers: list[Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answers


@pytest.mark.parametrize("index", range(len(CASES)), ids=[f"{c[0]}({c[1]}) on {c[2]}" for c in CASES])
def test_lookup_layer_agrees_with_keras(keras_answers: list[Any], index: int) -> None:
    program = _program(*CASES[index])
    keras_shape, keras_params = keras_answers[index]
    report = kerascheck.check(program)
    assert not [d for d in report.diagnostics if d.severity.value in ("error", "warning")]
    (model,) = report.models
    layer = model.layers[-1]
    assert layer.type == CASES[index][0]
    assert layer.params == keras_params
    # kerascheck leaves a vocabulary's size unknown (None) where the file does not write it; every
    # size it gives is Keras's
    mine = layer.output_shape
    assert mine is not None and len(mine) == len(keras_shape)
    assert all(m is None or m == k for m, k in zip(mine, keras_shape)), (mine, keras_shape)
    # and every case here writes its vocabulary, its bins or pad_to_max_tokens: nothing is left unknown
    # but what Keras leaves unknown, save the adapted vocabulary of the ngrams case
    if "ngrams" not in CASES[index][1]:
        assert list(mine) == keras_shape
