"""tf.data datasets made from a generator (`Dataset.from_generator`), against real TensorFlow.

The elements have the shapes the signature declares (`output_signature=` TensorSpecs, or the older
`output_shapes=`), as tf.data checks each one the generator yields; batching puts the batch axis first.
TensorFlow runs in its own environment (tests/tf_oracle.py).
"""

from __future__ import annotations

import json
import subprocess
from typing import Any

import libcst as cst
import pytest
from tf_oracle import tensorflow_python

from kerascheck.extract import pipelines, tables
from kerascheck.extract.interpreter import Interpreter

CASES = {
    "a signature of two specs": (
        "def gen():\n    for i in range(6):\n        yield np.zeros((98, 40, 1), 'float32'), np.int32(i % 3)\n"
        "ds = tf.data.Dataset.from_generator(gen, output_signature=(tf.TensorSpec(shape=(98, 40, 1), dtype=tf.float32),"
        " tf.TensorSpec(shape=(), dtype=tf.int32))).batch(4)"
    ),
    "a spec of a size any": (
        "def gen():\n    for i in range(5):\n        yield np.zeros((i + 1, 8), 'float32')\n"
        "ds = tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec(shape=(None, 8), dtype=tf.float32))"
        ".padded_batch(2)"
    ),
    "a dict signature": (
        "def gen():\n    for i in range(3):\n        yield {'ids': np.zeros(12, 'int32'), 'age': np.float32(i)}\n"
        "ds = tf.data.Dataset.from_generator(gen, output_signature={'ids': tf.TensorSpec((12,), tf.int32),"
        " 'age': tf.TensorSpec((), tf.float32)}).batch(2)"
    ),
    "output shapes": (
        "def gen():\n    for i in range(4):\n        yield np.zeros((16, 3), 'float32'), np.float32(i)\n"
        "ds = tf.data.Dataset.from_generator(gen, (tf.float32, tf.float32), ((16, 3), ())).batch(2)"
    ),
}

_TF_SIDE = """
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import tensorflow as tf
out = []
for code in json.load(sys.stdin):
    scope = {"np": np, "tf": tf}
    exec(code, scope)
    out.append(json.loads(json.dumps(tf.nest.map_structure(lambda s: list(s.shape), scope["ds"].element_spec))))
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def tensorflow_specs() -> list[Any]:
    done = subprocess.run([str(tensorflow_python()), "-c", _TF_SIDE], input=json.dumps(list(CASES.values())),
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    answers: list[Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return answers


def _shapes(element: Any) -> Any:
    if isinstance(element, tuple):
        return [_shapes(e) for e in element]
    if isinstance(element, dict):
        return {k: _shapes(v) for k, v in element.items()}
    shape = tables.as_shape(element)
    return None if shape is None else list(shape)


@pytest.mark.parametrize("index", range(len(CASES)), ids=list(CASES))
def test_generator_dataset_agrees_with_tensorflow(tensorflow_specs: list[Any], index: int) -> None:
    code = "import numpy as np\nimport tensorflow as tf\n" + list(CASES.values())[index] + "\n"
    ip = Interpreter()
    ip.run_unit(cst.parse_module(code), None, code)
    dataset = ip.globals.vars["ds"]
    assert isinstance(dataset, pipelines.Dataset)
    theirs = tensorflow_specs[index]
    if isinstance(theirs, dict):
        theirs = {k: v for k, v in theirs.items()}
    assert _shapes(dataset.element) == theirs
