"""Subclasses of Keras layers and models, held to real Keras.

A subclass of a layer that has weights (a PixelCNN's masked `layers.Conv2D` subclass) gets them from
the base class's `build`, on the arguments `super().__init__` gave it: kerascheck counts them as the
catalogue counts the base, and gives the base's output to `super().call` and `self.convolution_op`.
Where those arguments are not known it claims no count (once it said 0).
"""

from __future__ import annotations

from pathlib import Path

from test_oracle import keras_result, kerascheck_result


def run_with_keras(program: str, filename: str) -> dict[str, object]:
    """The program run by real Keras (its numpy backend tracing `call` on placeholder values may warn):
    its module namespace."""
    import keras
    import numpy as np

    namespace: dict[str, object] = {}
    keras.backend.clear_session()
    with np.errstate(all="ignore"):
        exec(compile(program, filename, "exec"), namespace)  # noqa: S102 - the test's own program
    return namespace

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


class MaskedConv1D(layers.Conv1D):
    # its own constructor, which passes the base its arguments; no bias; the activation applied by hand
    def __init__(self, mask_type, filters, kernel_size, **kwargs):
        super().__init__(filters, kernel_size, padding="same", use_bias=False, **kwargs)
        self.mask_type = mask_type

    def call(self, inputs):
        out = self.convolution_op(inputs, self.kernel)
        if self.bias is not None:
            out = out + self.bias
        return self.activation(out)


class ScaledDense(layers.Dense):
    # no constructor of its own: the base gets the constructor's arguments; no `build`: the base's
    def call(self, inputs):
        return super().call(inputs) * 2.0


class Unfollowed(layers.Conv2D):
    # arguments kerascheck cannot see (`**options` from outside the file): no count claimed
    def __init__(self, options):
        super().__init__(**options)


inputs = keras.Input(shape=(8, 8, 1))
x = CausalConv(16, 5, padding="same")(inputs)
model = keras.Model(inputs, layers.Conv2D(4, 1)(x))

series = keras.Input(shape=(20, 3))
h = MaskedConv1D("B", 8, 5, activation="relu")(series)
h = MaskedConv1D("A", 6, 3)(h)
head = keras.Model(series, ScaledDense(5, activation="tanh")(layers.Flatten()(h)))
"""


def test_a_subclass_of_a_weighted_layer_gets_the_base_class_weights_and_output(tmp_path: Path) -> None:
    path = tmp_path / "masked.py"
    path.write_text(PROGRAM, encoding="utf-8")
    keras_models = keras_result(str(path)).models
    mine = {m["name"]: m for m in kerascheck_result(str(path))["models"]}
    for name in ("model", "head"):
        theirs = keras_models[name].layers
        assert [(layer.type, layer.output_shape, layer.params) for layer in theirs] == [
            (layer["type"], layer["output_shape"], layer["params"]) for layer in mine[name]["layers"]]
        assert mine[name]["total_params"] == sum(layer.params or 0 for layer in theirs)
    assert keras_models["model"].layers[1].params == 5 * 5 * 16 + 16


def test_a_subclass_of_a_weighted_layer_on_arguments_not_known_claims_no_count(tmp_path: Path) -> None:
    path = tmp_path / "unfollowed.py"
    path.write_text(PROGRAM + "\nodd = keras.Model(inputs, Unfollowed(OPTIONS)(inputs))\n", encoding="utf-8")
    (odd,) = [m for m in kerascheck_result(str(path))["models"] if m["name"] == "odd"]
    assert odd["layers"][1]["type"] == "Unfollowed" and odd["layers"][1]["params"] is None
    assert odd["total_params"] is None


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
    path = tmp_path / "cars.csv"
    path.write_text("a,b,c,d,y\n" + "\n".join(f"{i},{i % 3},{i * 2},{i % 5},{i / 7}" for i in range(16)) + "\n")
    program = WIDE_DEEP.replace("PATH", repr(str(path)))
    # the numpy backend has no fit: Keras's trainer builds an unbuilt model by calling it on the first
    # batch, which the Keras side does here by hand
    built = program.replace("model.fit((x_wide, x_deep), y, epochs=1, verbose=0)", "model((x_wide[:4], x_deep[:4]))")
    assert built != program
    namespace = run_with_keras(built, "wide_deep.py")
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

    namespace = run_with_keras(EAGER_THEN_GRAPH, "probe.py")
    theirs = [(layer.name, tuple(layer.output.shape), layer.count_params())
              for layer in namespace["probe"].layers]  # type: ignore[attr-defined]
    from kerascheck.engine import check_text

    mine = {m.name: m for m in check_text("probe.py", EAGER_THEN_GRAPH).models}
    got = [(layer.name, layer.output_shape, layer.params) for layer in mine["probe"].layers]
    assert got == theirs


BASE_CALL = """\
import keras
from keras import layers, ops


class TemperedAttention(layers.MultiHeadAttention):
    # keras-io's ViT on small data sets: attention at a temperature, the base class's call and weights
    def __init__(self, temperature=4.0, **kwargs):
        super().__init__(**kwargs)
        self.temperature = temperature

    def _compute_attention(self, query, key, value, attention_mask=None, training=None,
                           return_attention_scores=False, use_causal_mask=False):
        return super()._compute_attention(ops.multiply(query, 1.0 / self.temperature), key, value, attention_mask,
                                          training, return_attention_scores, use_causal_mask)


class NamedDense(layers.Dense):
    def __init__(self, units, **kwargs):
        super().__init__(units, activation="gelu", **kwargs)


tokens = keras.Input(shape=(36, 32))
context = keras.Input(shape=(10, 24))
x = TemperedAttention(num_heads=2, key_dim=16, dropout=0.1)(tokens, tokens)
y = TemperedAttention(num_heads=4, key_dim=8, value_dim=6)(query=x, value=context)
model = keras.Model([tokens, context], NamedDense(5)(y))
"""


def test_a_subclass_without_its_own_call_is_its_base_on_every_input() -> None:
    # `MultiHeadAttention` takes a query and a value: the subclass's output and weights are the base's
    namespace = run_with_keras(BASE_CALL, "base_call.py")
    from kerascheck.engine import check_text

    (mine,) = check_text("base_call.py", BASE_CALL).models
    theirs = [(layer.name, tuple(layer.output.shape), layer.count_params())
              for layer in namespace["model"].layers]  # type: ignore[attr-defined]
    assert [(layer.name, layer.output_shape, layer.params) for layer in mine.layers] == theirs
    assert mine.total_params == namespace["model"].count_params()  # type: ignore[attr-defined]


EAGER_SEQUENTIALS = """\
import numpy as np
import keras
from keras import layers

images = np.zeros((8, 32, 32, 3), dtype="uint8")
resize = keras.Sequential([layers.Resizing(40, 40), layers.Rescaling(1.0 / 255)], name="resize")
augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomZoom(0.1)], name="augment")
sample = resize(images[:1].astype("float32"))  # built on a NumPy batch of one
shown = augment(sample, training=True)  # built on what resize returned: a batch of one
inputs = keras.Input(shape=(32, 32, 3))
x = augment(resize(inputs))
head = keras.Model(inputs, layers.Dense(2)(layers.GlobalAveragePooling2D()(x)), name="head")
"""


def test_a_sequential_built_on_another_s_numpy_output_keeps_its_batch() -> None:
    # the TensorFlow augmentation tutorial's `augment(resize(image[None]))`: each Sequential is built on a
    # concrete batch, and Keras reports that batch in its layers' shapes
    namespace = run_with_keras(EAGER_SEQUENTIALS, "eager.py")
    from kerascheck.engine import check_text

    mine = {m.name: m for m in check_text("eager.py", EAGER_SEQUENTIALS).models}
    for name in ("resize", "augment", "head"):
        theirs = [(layer.name, tuple(layer.output.shape), layer.count_params())
                  for layer in namespace[name].layers]  # type: ignore[attr-defined]
        got = [(layer.name, layer.output_shape, layer.params) for layer in mine[name].layers]
        assert got == theirs, name
    assert mine["augment"].layers[0].output_shape == (1, 40, 40, 3)  # the case this test is about


CELL_WITHOUT_BUILD = """\
import keras
from keras import layers, ops


class GatedCell(layers.Layer):
    # a Hands-On ML style cell: its layers are made in __init__ and built only when `call` runs
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.state_size = units
        self.output_size = units
        self.candidate = layers.Dense(units)
        self.gate = layers.Dense(units, activation="sigmoid")
        self.norm = layers.LayerNormalization()

    def call(self, inputs, states):
        previous = states[0] if isinstance(states, (list, tuple)) else states
        joined = ops.concatenate([inputs, previous], axis=-1)
        z = self.gate(joined)
        new = z * previous + (1.0 - z) * ops.tanh(self.norm(self.candidate(joined)))
        return new, [new]


model = keras.Sequential([
    keras.Input(shape=(None, 3)),
    layers.RNN(GatedCell(8), return_sequences=True),
    layers.RNN(GatedCell(5)),
    layers.Dense(2),
])
"""


def test_a_cell_without_build_counts_the_layers_its_call_builds() -> None:
    # The cell's Dense and LayerNormalization layers are built when its `call` first runs: in `fit`, or
    # here on a batch (the symbolic graph alone takes the RNN's shape from `compute_output_shape`).
    # kerascheck reports the model as it trains; before, it said 0 params for each RNN.
    program = "import numpy as np\n" + CELL_WITHOUT_BUILD + "model(np.zeros((2, 4, 3), dtype='float32'))\n"
    namespace = run_with_keras(program, "cell.py")
    theirs = [(layer.name, layer.count_params()) for layer in namespace["model"].layers]  # type: ignore[attr-defined]
    from kerascheck.engine import check_text

    (model,) = check_text("cell.py", CELL_WITHOUT_BUILD).models
    assert [(layer.name, layer.params) for layer in model.layers] == theirs
    assert all(params > 0 for _, params in theirs)


BUILD_MAKES_A_LAYER = """\
import keras
import numpy as np
from keras import layers


class Reconstructing(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = layers.Dense(16, activation="relu")
        self.out = layers.Dense(1)

    def build(self, batch_input_shape):
        self.reconstruct = layers.Dense(batch_input_shape[-1])
        super().build(batch_input_shape)

    def call(self, inputs):
        z = self.hidden(inputs)
        self.add_loss(0.1 * keras.ops.mean(keras.ops.square(self.reconstruct(z) - inputs)))
        return self.out(z)


first = Reconstructing(name="first")
first(np.zeros((4, 7), dtype="float32"))
second = Reconstructing(name="second")
second.build((None, 5))
second(np.zeros((4, 5), dtype="float32"))
"""


def test_a_layer_a_subclassed_model_makes_in_build_is_one_of_its_layers() -> None:
    # Hands-On ML's reconstructing regressor: `self.reconstruct` is made in `build`, from the input's
    # width; Keras lists it after the layers of `__init__`, built once whether `build` is called by the
    # file or by the first call (before, kerascheck left it out and gave a total without it)

    namespace = run_with_keras(BUILD_MAKES_A_LAYER, "recon.py")
    from kerascheck.engine import check_text

    mine = {m.name: m for m in check_text("recon.py", BUILD_MAKES_A_LAYER).models}
    for name in ("first", "second"):
        theirs = namespace[name]
        assert [(layer.name, layer.params) for layer in mine[name].layers] == [
            (layer.name, layer.count_params()) for layer in theirs.layers]  # type: ignore[attr-defined]
        assert mine[name].total_params == theirs.count_params()  # type: ignore[attr-defined]


MC_DROPOUT_COPY = """\
import keras
from keras import layers


class MCAlphaDropout(layers.AlphaDropout):
    # Hands-On ML: the same network, its dropout kept on at inference
    def call(self, inputs, training=None):
        return super().call(inputs, training=True)


selu_mlp = keras.Sequential([
    keras.Input(shape=(12,)),
    layers.Dense(16, activation="selu"),
    layers.AlphaDropout(rate=0.1),
    layers.Dense(8, activation="selu"),
    layers.Dense(3, activation="softmax"),
])
mc_mlp = keras.Sequential([
    MCAlphaDropout(layer.rate) if isinstance(layer, layers.AlphaDropout) else layer
    for layer in selu_mlp.layers
])
mc_mlp.build(input_shape=(None, 12))
kinds = [(isinstance(layer, layers.Dropout), isinstance(layer, (layers.Dense, layers.RNN))) for layer in selu_mlp.layers]
"""


def test_isinstance_of_catalogue_layers_rebuilds_a_model_as_keras_does() -> None:
    # `isinstance(layer, layers.AlphaDropout)` decides which layers are swapped; the subclass without a
    # constructor gets the base's arguments, and `super().call` the base's output

    namespace = run_with_keras(MC_DROPOUT_COPY, "mc.py")
    import libcst as cst

    from kerascheck.engine import check_text
    from kerascheck.extract.interpreter import Interpreter

    mine = {m.name: m for m in check_text("mc.py", MC_DROPOUT_COPY).models}
    theirs = namespace["mc_mlp"]
    assert [(layer.type, layer.output_shape, layer.params) for layer in mine["mc_mlp"].layers] == [
        (type(layer).__name__, tuple(layer.output.shape), layer.count_params())
        for layer in theirs.layers]  # type: ignore[attr-defined]
    interp = Interpreter()
    interp.run_unit(cst.parse_module(MC_DROPOUT_COPY), None, MC_DROPOUT_COPY)
    assert interp.globals.vars["kinds"] == namespace["kinds"]


TIED = """\
import keras
from keras import ops


class MirrorDense(keras.layers.Layer):
    # Hands-On ML's tied weights: the encoder Dense's kernel, transposed; only the bias is its own
    def __init__(self, source, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.source = source
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        self.bias = self.add_weight(name="bias", shape=(self.source.kernel.shape[0],), initializer="zeros")

    def call(self, inputs):
        return self.activation(ops.matmul(inputs, ops.transpose(self.source.kernel)) + self.bias)


enc_a = keras.layers.Dense(32, activation="selu")
enc_b = keras.layers.Dense(8, activation="selu")
encoder = keras.Sequential([keras.Input(shape=(6, 6)), keras.layers.Flatten(), enc_a, enc_b])
decoder = keras.Sequential([
    keras.Input(shape=(8,)), MirrorDense(enc_b, activation="selu"), MirrorDense(enc_a), keras.layers.Reshape((6, 6)),
])
autoencoder = keras.Sequential([encoder, decoder])
"""


def test_a_layer_that_borrows_a_kernel_counts_it_and_the_model_holding_both_claims_no_total() -> None:
    # Keras counts the borrowed encoder layer in each MirrorDense (it is tracked as an attribute) and once
    # in a model holding both; kerascheck gives the layers' counts and the decoder's total, and no total
    # for the autoencoder rather than one that counts the shared kernels twice

    namespace = run_with_keras(TIED, "tied.py")
    from kerascheck.engine import check_text

    mine = {m.name: m for m in check_text("tied.py", TIED).models}
    theirs = namespace["decoder"]
    assert [(layer.output_shape, layer.params) for layer in mine["decoder"].layers] == [
        (tuple(layer.output.shape), layer.count_params()) for layer in theirs.layers]  # type: ignore[attr-defined]
    assert mine["decoder"].total_params == theirs.count_params()  # type: ignore[attr-defined]
    assert mine["autoencoder"].total_params in (None, namespace["autoencoder"].count_params())  # type: ignore[attr-defined]


KERNELS = """\
import keras
from keras import layers

conv = layers.Conv2D(8, 3, groups=2, padding="same")
conv1 = layers.Conv1D(6, 5, use_bias=False)
dense = layers.Dense(5)
images = keras.Sequential([keras.Input(shape=(10, 10, 4)), conv, layers.GlobalAveragePooling2D(), dense])
x = keras.Input(shape=(12, 3))
series = keras.Model(x, conv1(x))
shapes = (tuple(conv.kernel.shape), tuple(conv.bias.shape), tuple(conv1.kernel.shape), conv1.bias,
          tuple(dense.kernel.shape), tuple(dense.bias.shape))
"""


def test_the_weights_of_built_layers_have_keras_shapes() -> None:
    import libcst as cst

    namespace = run_with_keras(KERNELS, "kernels.py")
    from kerascheck.extract.interpreter import Interpreter

    interp = Interpreter()
    interp.run_unit(cst.parse_module(KERNELS), None, KERNELS)
    assert interp.globals.vars["shapes"] == namespace["shapes"]


BATCH_OF_A_FILE = """\
import keras
import pandas as pd
from keras import layers


class Classifier(keras.Model):
    def __init__(self, hidden, **kwargs):
        super().__init__(**kwargs)
        self.norm = layers.Normalization(axis=-1)
        self.hidden = [layers.Dense(units, activation="relu") for units in hidden]
        self.logits = layers.Dense(3)

    def call(self, inputs):
        x = self.norm(inputs)
        for layer in self.hidden:
            x = layer(x)
        return self.logits(x)


frame = pd.read_csv(PATH)
features = frame[["a", "b", "c", "d"]].to_numpy(dtype="float32")
model = Classifier([16, 8])
predictions = model(features[:8])
"""


def test_a_subclassed_model_called_on_a_batch_read_from_a_file_is_built(tmp_path: Path) -> None:
    # TensorFlow's custom-training walkthrough: `model(features)` on a batch whose rows are not known

    path = tmp_path / "seeds.csv"
    path.write_text("a,b,c,d,y\n" + "\n".join(f"{i},{i % 3},{i * 2},{i % 5},{i % 3}" for i in range(20)) + "\n")
    program = BATCH_OF_A_FILE.replace("PATH", repr(str(path)))
    namespace = run_with_keras(program, "seeds.py")
    from kerascheck.engine import check_text

    (mine,) = check_text("seeds.py", program).models
    theirs = namespace["model"]
    assert [(layer.name, layer.params) for layer in mine.layers] == [
        (layer.name, layer.count_params()) for layer in theirs.layers]  # type: ignore[attr-defined]
    assert mine.total_params == theirs.count_params()  # type: ignore[attr-defined]




SUBCLASS_KERNELS = """\
import keras
from keras import layers, ops


class HalfDense(layers.Dense):
    def call(self, inputs):
        return ops.matmul(inputs, self.kernel * 0.5) + self.bias


class MaskedConv(layers.Conv2D):
    def build(self, input_shape):
        super().build(input_shape)
        self.mask = ops.ones_like(self.kernel)

    def call(self, inputs):
        return self.convolution_op(inputs, self.kernel * self.mask)


half = HalfDense(7)
masked = MaskedConv(6, (3, 2), groups=3, use_bias=False)
x = keras.Input(shape=(9, 9, 12))
model = keras.Model(x, half(layers.Flatten()(masked(x))))
"""


def test_a_subclass_of_a_weighted_layer_sees_the_base_class_weights_shapes() -> None:
    """`self.kernel` and `self.bias` in a subclass of Dense or Conv2D once built: shaped as the catalogue
    declares them (`weight_shapes`, which the tied-weights readers use too); no bias when it is left out."""
    import libcst as cst

    namespace = run_with_keras(SUBCLASS_KERNELS, "subclass_kernels.py")
    from kerascheck.extract.interpreter import Interpreter

    interp = Interpreter()
    interp.run_unit(cst.parse_module(SUBCLASS_KERNELS), None, SUBCLASS_KERNELS)
    for name in ("half", "masked"):
        theirs, mine = namespace[name], interp.globals.vars[name].user_instance.attrs
        assert mine["kernel"].shape == tuple(theirs.kernel.shape)  # type: ignore[attr-defined]
        bias = theirs.bias  # type: ignore[attr-defined]
        assert (mine["bias"] is None) if bias is None else mine["bias"].shape == tuple(bias.shape)
    assert interp.globals.vars["masked"].user_instance.attrs["mask"].shape == (3, 2, 4, 6)


KERNEL_NOT_KNOWN = SUBCLASS_KERNELS.replace("import keras\n", "import os\nimport keras\n", 1).replace(
    "MaskedConv(6, (3, 2), groups=3, use_bias=False)", "MaskedConv(6, int(os.environ.get('KERNEL', '3')), groups=3)")


def test_a_subclass_whose_kernel_size_is_not_known_still_has_its_bias_shape() -> None:
    """The kernel's sizes are unknown (kerascheck does not read the environment), its bias's are the filters."""
    import libcst as cst

    namespace = run_with_keras(KERNEL_NOT_KNOWN, "kernel_not_known.py")
    from kerascheck.extract.interpreter import Interpreter

    interp = Interpreter()
    interp.run_unit(cst.parse_module(KERNEL_NOT_KNOWN), None, KERNEL_NOT_KNOWN)
    theirs, mine = namespace["masked"], interp.globals.vars["masked"].user_instance.attrs
    assert mine["bias"].shape == tuple(theirs.bias.shape)  # type: ignore[attr-defined]
    assert mine["kernel"].shape == (None, None, *tuple(theirs.kernel.shape)[2:])  # type: ignore[attr-defined]
