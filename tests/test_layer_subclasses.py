"""A subclass of a Keras layer that has weights (a PixelCNN's masked `layers.Conv2D` subclass).

Its weights come from the base class's `build`, which kerascheck does not run: it must not claim a
count (before, it said 0 where Keras has the convolution's kernel and bias). Held to real Keras.
"""

from __future__ import annotations

from pathlib import Path

from test_oracle import keras_result, kerascheck_result

PROGRAM = """\
import numpy as np
import keras
from keras import layers, ops


class CausalConv(layers.Conv2D):
    # sees only the rows above and the pixels to the left (a PixelCNN's first layer)

    def build(self, input_shape):
        super().build(input_shape)
        rows, cols = self.kernel_size
        visible = np.arange(rows * cols).reshape(rows, cols) < (rows // 2) * cols + cols // 2
        self.visible = ops.convert_to_tensor(visible[:, :, None, None].astype("float32"))

    def call(self, inputs):
        return self.convolution_op(inputs, self.kernel * self.visible) + self.bias


inputs = keras.Input(shape=(8, 8, 1))
x = CausalConv(16, 5, padding="same")(inputs)
model = keras.Model(inputs, layers.Conv2D(4, 1)(x))
"""


def test_a_subclass_of_a_weighted_layer_claims_no_wrong_count(tmp_path: Path) -> None:
    path = tmp_path / "masked.py"
    path.write_text(PROGRAM, encoding="utf-8")
    theirs = keras_result(str(path)).models["model"].layers
    (mine,) = [m for m in kerascheck_result(str(path))["models"] if m["name"] == "model"]
    assert [layer.type for layer in theirs] == [layer["type"] for layer in mine["layers"]]
    masked = mine["layers"][1]
    assert theirs[1].params == 5 * 5 * 16 + 16
    assert masked["params"] in (None, theirs[1].params)
    assert mine["total_params"] in (None, sum(layer.params or 0 for layer in theirs))


def test_a_subclass_of_a_weightless_layer_has_none(tmp_path: Path) -> None:
    """Hands-On ML's `MCDropout(layers.Dropout)`: no weights in Keras, none in kerascheck."""
    path = tmp_path / "mc.py"
    path.write_text(
        "import keras\nfrom keras import layers\n\n\nclass MCDropout(layers.Dropout):\n"
        "    def call(self, inputs, training=None):\n        return super().call(inputs, training=True)\n\n\n"
        "inputs = keras.Input(shape=(8,))\nmodel = keras.Model(inputs, layers.Dense(2)(MCDropout(0.2)(inputs)))\n",
        encoding="utf-8",
    )
    theirs = keras_result(str(path)).models["model"].layers
    (mine,) = [m for m in kerascheck_result(str(path))["models"] if m["name"] == "model"]
    assert theirs[1].params == 0 and mine["layers"][1]["params"] == 0


def test_compute_output_shape_of_a_layer_called_on_two_tensors(tmp_path: Path) -> None:
    """keras-io's metric learning: `call(self, anchor, positive)` with `compute_output_shape(self,
    anchor_shape, positive_shape)`; Keras 3 passes one shape per tensor argument."""
    path = tmp_path / "pairs.py"
    path.write_text(
        "import keras\nfrom keras import layers, ops\n\n\nclass PairScores(layers.Layer):\n"
        "    def call(self, anchor, positive):\n        return ops.matmul(anchor, ops.transpose(positive))\n\n"
        "    def compute_output_shape(self, anchor_shape, positive_shape):\n"
        "        return (anchor_shape[0], positive_shape[0])\n\n\n"
        "a, p = keras.Input(shape=(6,)), keras.Input(shape=(6,))\n"
        "model = keras.Model([a, p], PairScores()(layers.Dense(4)(a), layers.Dense(4)(p)))\n",
        encoding="utf-8",
    )
    theirs = keras_result(str(path)).models["model"].layers
    (mine,) = [m for m in kerascheck_result(str(path))["models"] if m["name"] == "model"]
    assert theirs[-1].type == "PairScores" and theirs[-1].output_shape == [None, None]
    assert mine["layers"][-1]["output_shape"] == theirs[-1].output_shape


WIDE_DEEP = """\
import keras
import pandas as pd
from keras import layers


class WideAndDeep(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden1 = layers.Dense(8, activation="relu")
        self.hidden2 = layers.Dense(4, activation="relu")
        self.out = layers.Dense(1)

    def call(self, inputs):
        wide, deep = inputs
        return self.out(layers.concatenate([wide, self.hidden2(self.hidden1(deep))]))


cars = pd.read_csv(PATH)
x_wide = cars[["a", "b"]].to_numpy(dtype="float32")
x_deep = cars.drop(columns=["y"]).to_numpy(dtype="float32")
y = cars["y"].to_numpy(dtype="float32")
model = WideAndDeep()
model.compile(loss="mse", optimizer="sgd")
model.fit((x_wide, x_deep), y, epochs=1, verbose=0)
"""


def test_a_subclassed_model_fit_on_a_tuple_of_read_arrays_is_built(tmp_path: Path) -> None:
    # Hands-On ML's wide & deep model, fit on two arrays taken from a CSV (rows unknown, columns named
    # or not): Keras builds it on the first batch; kerascheck gives each weight count it can know
    import keras
    import numpy as np

    path = tmp_path / "cars.csv"
    path.write_text("a,b,c,d,y\n" + "\n".join(f"{i},{i % 3},{i * 2},{i % 5},{i / 7}" for i in range(16)) + "\n")
    program = WIDE_DEEP.replace("PATH", repr(str(path)))
    namespace: dict[str, object] = {}
    keras.backend.clear_session()
    # the numpy backend has no fit: Keras's trainer builds an unbuilt model by calling it on the first
    # batch, which the Keras side does here by hand
    built = program.replace("model.fit((x_wide, x_deep), y, epochs=1, verbose=0)", "model((x_wide[:4], x_deep[:4]))")
    assert built != program
    with np.errstate(all="ignore"):
        exec(compile(built, "wide_deep.py", "exec"), namespace)  # noqa: S102 - the test's own program
    theirs = [(layer.name, layer.count_params()) for layer in namespace["model"].layers]  # type: ignore[attr-defined]
    from kerascheck.engine import check_text

    (model,) = check_text("wide_deep.py", program).models
    mine = [(layer.name, layer.params) for layer in model.layers]
    assert [name for name, _ in mine] == [name for name, _ in theirs]
    assert all(params is None or params == keras_params for (_, params), (_, keras_params) in zip(mine, theirs))
    # the deep side's width is not known (the frame's columns come from the file), the wide side's is
    assert dict(mine)["dense_1"] == dict(theirs)["dense_1"] and dict(mine)["dense_2"] == dict(theirs)["dense_2"]


EAGER_THEN_GRAPH = """\
import keras
import numpy as np
from keras import layers, ops


class Patches(layers.Layer):
    def call(self, images):
        p = ops.image.extract_patches(images, size=4)
        return ops.reshape(p, (ops.shape(p)[0], -1, p.shape[-1]))


class Encoder(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.patches = Patches()
        self.project = layers.Dense(16)

    def call(self, images):
        return self.project(self.patches(images))


images = np.zeros((6, 16, 16, 3), dtype="float32")
encoder = Encoder()
encoder(images[:2])  # built on a NumPy batch of two
probe_in = keras.Input(shape=(16, 16, 3))
tokens = encoder.project(encoder.patches(probe_in))
probe = keras.Model(probe_in, layers.Dense(3)(layers.GlobalAveragePooling1D()(tokens)))
"""


def test_a_layer_built_on_a_numpy_batch_then_used_in_a_graph_reports_the_graph(tmp_path: Path) -> None:
    # Keras's `layer.output` is its first symbolic call's: the graph's open batch axis, not the 2 rows
    # the subclassed model was first run on
    import keras
    import numpy as np

    namespace: dict[str, object] = {}
    keras.backend.clear_session()
    with np.errstate(all="ignore"):
        exec(compile(EAGER_THEN_GRAPH, "probe.py", "exec"), namespace)  # noqa: S102 - the test's own program
    theirs = [(layer.name, tuple(layer.output.shape), layer.count_params())
              for layer in namespace["probe"].layers]  # type: ignore[attr-defined]
    from kerascheck.engine import check_text

    mine = {m.name: m for m in check_text("probe.py", EAGER_THEN_GRAPH).models}
    got = [(layer.name, layer.output_shape, layer.params) for layer in mine["probe"].layers]
    assert got == theirs
