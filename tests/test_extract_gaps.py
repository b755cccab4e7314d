"""A functional graph with a hole: a layer called on a value kerascheck cannot follow.

`for i in range(hp.Int(...)): x = block(x)` leaves `x` unknown after the loop, so the next layer
is called on nothing kerascheck knows and the layers before it cannot be listed. The model is
reported as incomplete (not as Keras's full layer list), and what is known after the hole, such
as the output layer and the loss, is still checked.
"""

from __future__ import annotations

from kerascheck.engine import check_text
from kerascheck.report.text import summary_table

MODEL = """\
import keras
from keras import layers

def build(hp):
    inputs = keras.Input(shape=(32, 32, 3))
    x = inputs
    for i in range({blocks}):
        x = layers.Conv2D(filters=32, kernel_size=3, padding="same", activation="relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.GlobalAveragePooling2D()(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model

model = build(hp)
"""


def test_layers_after_an_unknown_loop_make_the_model_incomplete() -> None:
    result = check_text("tuner.py", MODEL.format(blocks='hp.Int("blocks", 2, 4)'))
    (model,) = result.models
    assert model.incomplete and not model.uncertain
    assert [layer.type for layer in model.layers] == ["GlobalAveragePooling2D", "InputLayer", "Dense"]
    assert any("cannot follow" in line for line in summary_table("tuner.py", model))
    # The output layer and its loss are known all the same.
    assert [d.code for d in result.diagnostics] == ["KC302"]


def test_a_known_loop_leaves_the_model_complete() -> None:
    result = check_text("tuner.py", MODEL.format(blocks="3"))
    (model,) = result.models
    assert not model.incomplete and not model.uncertain
    assert len(model.layers) == 1 + 3 * 2 + 2
    assert not any("cannot follow" in line for line in summary_table("tuner.py", model))
    assert [d.code for d in result.diagnostics] == ["KC302"]


def test_sets_filled_with_add():
    """Issue 13 (4): a set filled with .add in a known loop has Python's size; in a loop over data
    kerascheck cannot read, its size is unknown (it stayed empty before, so len() gave 0 and KC106
    reported Dense(0) on keras-io's character-level seq2seq example)."""
    from kerascheck.engine import check_text

    src = (
        "import keras\n"
        "chars = set()\n"
        "for line in open('data.txt'):\n"
        "    for c in line:\n"
        "        chars.add(c)\n"
        "model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(len(chars))])\n"
        "seen = set()\n"
        "for c in 'abcabd':\n"
        "    seen.add(c)\n"
        "seen.update(['x', 'y'])\n"
        "seen.discard('x')\n"
        "known = keras.Sequential([keras.Input((4,)), keras.layers.Dense(len(seen))])\n"
    )
    seen: set[str] = set()
    for c in "abcabd":
        seen.add(c)
    seen.update(["x", "y"])
    seen.discard("x")
    result = check_text("t.py", src)
    unknown, known = result.models
    assert unknown.layers[-1].output_shape == (None, None)  # its width unknown, the batch axis still there
    assert unknown.layers[-1].params is None
    assert not [d for d in result.diagnostics if d.code == "KC106"]
    assert known.layers[-1].output_shape == (None, len(seen))
