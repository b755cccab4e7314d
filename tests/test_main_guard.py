"""A training script's model built under `if __name__ == "__main__":` (GitHub style: `model = main(args)`).

The module-level name it is bound to there is its name, as for a model built at top level; the
builder's local name (`net`) is not. Held to real Keras, run as a script.
"""

from __future__ import annotations

PROGRAM = """\
import argparse

import keras
from keras import layers


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--width", type=int, default=24)
    return p.parse_args()


def main(args):
    inputs = keras.Input(shape=(16,))
    net = keras.Model(inputs, layers.Dense(3)(layers.Dense(args.width, activation="relu")(inputs)), name="mlp")
    net.compile(optimizer="adam", loss="mse")
    return net


if __name__ == "__main__":
    model = main(parse_args())
"""


def test_a_model_bound_under_the_main_guard_goes_by_that_name() -> None:
    import sys

    import keras
    import numpy as np

    namespace: dict[str, object] = {"__name__": "__main__"}
    keras.backend.clear_session()
    saved, sys.argv = sys.argv, ["train.py"]
    try:
        with np.errstate(all="ignore"):
            exec(compile(PROGRAM, "train.py", "exec"), namespace)  # noqa: S102 - the test's own program
    finally:
        sys.argv = saved
    theirs = namespace["model"]
    from kerascheck.engine import check_text

    (mine,) = check_text("train.py", PROGRAM).models
    assert mine.name == "model"
    assert [(layer.name, layer.output_shape, layer.params) for layer in mine.layers] == [
        (layer.name, tuple(layer.output.shape), layer.count_params()) for layer in theirs.layers]  # type: ignore[attr-defined]


LOOP = """\
import keras
from keras import layers


def build(width):
    inputs = keras.Input(shape=(8,))
    return keras.Model(inputs, layers.Dense(width)(inputs))


if __name__ == "__main__":
    for width in (4, 6, 9):
        m = build(width)
        m.compile(optimizer="adam", loss="mse")
"""


def test_a_name_rebound_in_a_loop_under_the_main_guard_is_the_last_model_s() -> None:
    import keras

    namespace: dict[str, object] = {"__name__": "__main__"}
    keras.backend.clear_session()
    exec(compile(LOOP, "zoo.py", "exec"), namespace)  # noqa: S102 - the test's own program
    from kerascheck.engine import check_text

    models = check_text("zoo.py", LOOP).models
    named = [model for model in models if model.name == "m"]
    assert len(models) == 3 and len(named) == 1
    assert named[0].layers[-1].params == namespace["m"].count_params()  # type: ignore[attr-defined]
