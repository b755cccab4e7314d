"""The execution check on complete models: every layer confirmed, substitutes and budgets noted,
layers NumPy cannot run skipped (never a failure), and a disagreement reported as a mismatch."""

from __future__ import annotations

import json
import subprocess
import sys

from kerascheck.engine import check_text
from kerascheck.execute import (
    BUDGET,
    CONFIRMED,
    EXECUTED,
    MISMATCH,
    MODEL_SKIPPED,
    NO_FORWARD,
    PARTIAL,
    SKIPPED,
    STATIC_ERROR,
    UNKNOWN_ARGUMENT,
    UPSTREAM,
    ExecutionReport,
    execute_model,
)


def models(code: str) -> dict[str, object]:
    result = check_text("model.py", code)
    assert not result.internal_error, result.diagnostics
    return {m.name: m for m in result.models}


def run(code: str, name: str = "model", **options: object) -> ExecutionReport:
    return execute_model(models(code)[name], **options)  # type: ignore[arg-type]


def statuses(report: ExecutionReport) -> dict[str, str]:
    return {e.name: e.status for e in report.layers}


def assert_all_confirmed(report: ExecutionReport) -> None:
    assert report.status == EXECUTED, report.summary()
    bad = [(e.name, e.status, e.reason, e.mismatches) for e in report.layers if e.status != CONFIRMED]
    assert not bad, bad


def assert_keras_agrees(code: str, report: ExecutionReport, name: str = "model") -> None:
    """Real Keras builds the same model: each layer's symbolic output shape agrees with the executed
    one wherever Keras knows the size (the execution check's own oracle, not kerascheck's)."""
    import os

    os.environ.setdefault("KERAS_BACKEND", "numpy")
    import keras

    keras.backend.clear_session()  # automatic names (dense_1...) start again, as in a fresh file
    namespace: dict[str, object] = {}
    exec(compile(code, "model.py", "exec"), namespace)
    keras_model = namespace[name]
    keras_layers = {layer.name: layer for layer in keras_model.layers}  # type: ignore[attr-defined]
    for entry in report.layers:
        nodes = keras_layers[entry.name]._inbound_nodes
        outputs = nodes[0].output_tensors  # the first call, as the report describes
        shapes = [tuple(t.shape) for t in outputs]
        executed = entry.executed_shape if isinstance(entry.executed_shape, list) else [entry.executed_shape]
        assert len(shapes) == len(executed), entry.name
        for k, e in zip(shapes, executed, strict=True):
            assert len(k) == len(e) and all(
                kd is None or kd == ed for kd, ed in list(zip(k, e, strict=True))[1:]
            ), f"{entry.name}: Keras {k}, executed {e}"


SEQUENTIAL_CNN = """
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
    layers.BatchNormalization(),
    layers.MaxPooling2D(pool_size=(2, 2)),
    layers.Conv2D(64, (3, 3), strides=2, padding="same", activation="relu"),
    layers.SeparableConv2D(32, 3, padding="same"),
    layers.Dropout(0.25),
    layers.Flatten(),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
"""


def test_sequential_cnn_is_confirmed_layer_by_layer():
    report = run(SEQUENTIAL_CNN)
    assert_all_confirmed(report)
    assert_keras_agrees(SEQUENTIAL_CNN, report)
    by_name = {e.name: e for e in report.layers}
    assert by_name["conv2d"].executed_shape == (None, 26, 26, 32)
    assert by_name["conv2d_1"].executed_shape == (None, 7, 7, 64)
    assert by_name["flatten"].executed_shape == (None, 7 * 7 * 32)
    assert by_name["dense_1"].executed_shape == (None, 10)
    assert all(e.weight_count == e.params for e in report.layers)
    assert report.notes == []
    assert report.input_shapes == [(2, 28, 28, 1)]


FUNCTIONAL = """
import keras
from keras import layers

inputs = keras.Input(shape=(32, 32, 3), name="image")
meta = keras.Input(shape=(5,), name="meta")
x = layers.Conv2D(16, 3, padding="same")(inputs)
shortcut = x
x = layers.Conv2D(16, 3, padding="same", activation="relu")(x)
x = layers.Conv2D(16, 3, padding="same")(x)
x = layers.Add()([x, shortcut])
a = layers.GlobalAveragePooling2D()(x)
b = layers.GlobalMaxPooling2D()(x)
shared = layers.Dense(8, activation="relu")
m1 = shared(meta)
m2 = shared(layers.Dense(5)(meta))
x = layers.Concatenate()([a, b, m1, m2])
x = layers.Dense(4)(x)
twice = layers.Add()([x, x, x])
model = keras.Model([inputs, meta], [twice, m2])
"""


def test_functional_graph_with_merges_and_a_shared_layer():
    report = run(FUNCTIONAL)
    assert_all_confirmed(report)
    assert_keras_agrees(FUNCTIONAL, report)
    by_name = {e.name: e for e in report.layers}
    assert by_name["concatenate"].executed_shape == (None, 16 + 16 + 8 + 8)
    assert by_name["dense"].calls == 2  # the shared layer ran once per call, with one set of weights
    assert by_name["dense"].weight_count == 5 * 8 + 8
    assert by_name["add_1"].executed_shape == (None, 4)  # three inputs, the same tensor each time
    assert {e.type for e in report.layers if e.type == "InputLayer"} == {"InputLayer"}


LSTM_TEXT = """
import keras
from keras import layers

vocab_size = 5000
model = keras.Sequential([
    keras.Input(shape=(None,), dtype="int32"),
    layers.Embedding(vocab_size, 64),
    layers.Bidirectional(layers.LSTM(32, return_sequences=True)),
    layers.LSTM(16),
    layers.Dense(1, activation="sigmoid"),
])
"""


def test_lstm_text_model_gets_a_sequence_length_and_integer_inputs():
    report = run(LSTM_TEXT)
    assert_all_confirmed(report)
    assert_keras_agrees(LSTM_TEXT, report)
    assert [(s.axis, s.original, s.size) for s in report.substitutes] == [(1, None, 8)]
    assert any("replaced by 8" in n for n in report.notes)
    assert any("integer indices below 5000" in n for n in report.notes)
    by_name = {e.name: e for e in report.layers}
    assert by_name["bidirectional"].executed_shape == (None, 8, 64)
    assert by_name["bidirectional"].inferred_shape == (None, None, 64)


UNKNOWN_SIZES = """
import keras
from keras import layers

IMG = get_size()
inputs = keras.Input(shape=(None, IMG, 3))
x = layers.Conv2D(8, 3, activation="relu")(inputs)
x = layers.Conv2D(8, 3, activation="relu")(x)
x = layers.MaxPooling2D()(x)
x = layers.Conv2D(8, 3, activation="relu")(x)
x = layers.Conv2D(8, 3, activation="relu")(x)
x = layers.GlobalAveragePooling2D()(x)
outputs = layers.Dense(3)(x)
model = keras.Model(inputs, outputs)
"""


def test_unknown_input_sizes_get_substitutes_that_fit_and_a_note():
    report = run(UNKNOWN_SIZES)
    assert_all_confirmed(report)
    # 8 is too small for two valid 3x3 convolutions, pooling and two more: 16 is the first that fits.
    assert {s.size for s in report.substitutes} == {16}
    assert [s.axis for s in report.substitutes] == [1, 2]
    note = report.notes[0]
    assert note.startswith("unknown input sizes replaced by 16") and "axis 1 (None)" in note
    by_name = {e.name: e for e in report.layers}
    assert by_name["conv2d"].executed_shape == (None, 14, 14, 8)
    assert by_name["conv2d"].expected_shape == (None, 14, 14, 8)  # the static rule on the substitutes
    assert by_name["dense"].executed_shape == (None, 3)


BIG = """
import keras
from keras import layers

model = keras.Sequential([
    keras.Input(shape=(512, 512, 64)),
    layers.Conv2D(256, 3, padding="same"),
    layers.Conv2D(256, 3, padding="same"),
])
"""


def test_a_model_over_the_memory_budget_is_skipped_with_a_note():
    report = run(BIG, memory_budget_bytes=50_000_000)
    assert report.status == MODEL_SKIPPED
    assert "over budget" in report.notes[0] and "MB" in report.notes[0]
    assert all(e.status == SKIPPED for e in report.layers)


def test_unknown_sizes_shrink_to_fit_the_memory_budget():
    code = """
import keras
from keras import layers
inputs = keras.Input(shape=(None, None, 32))
x = layers.Conv2D(64, 3, padding="same")(inputs)
outputs = layers.Conv2D(64, 3, padding="same")(x)
model = keras.Model(inputs, outputs)
"""
    big = run(code)
    assert {s.size for s in big.substitutes} == {8}
    # The weights take 222 KB; with 8x8 activations the plan needs 418 KB, with 4x4 271 KB.
    small = run(code, memory_budget_bytes=300_000)
    assert small.status == EXECUTED
    assert small.estimated_bytes is not None and small.estimated_bytes <= 300_000
    assert {s.size for s in small.substitutes} == {4}
    assert statuses(small) == {"input_layer": CONFIRMED, "conv2d": CONFIRMED, "conv2d_1": CONFIRMED}


def test_the_time_budget_skips_what_is_left():
    report = run(SEQUENTIAL_CNN, time_budget_s=0.0)
    assert report.status in (PARTIAL, MODEL_SKIPPED)
    assert all(e.status == SKIPPED for e in report.layers)
    assert any("budget" in (e.reason or "") for e in report.layers)
    assert {e.skip_kind for e in report.layers} <= {BUDGET}


def test_layers_without_a_forward_pass_are_skipped_and_so_is_what_depends_on_them():
    code = """
import keras
from keras import layers
inputs = keras.Input(shape=(10, 8, 8, 3))
x = layers.ConvLSTM2D(4, 3)(inputs)
y = layers.Lambda(lambda t: t * 2)(x)
side = layers.Flatten()(inputs)
side = layers.Dense(2)(side)
model = keras.Model(inputs, [y, side])
"""
    report = run(code)
    assert report.status == PARTIAL
    by_name = {e.name: e for e in report.layers}
    assert by_name["conv_lstm2d"].skip_kind == NO_FORWARD and "ConvLSTM" in by_name["conv_lstm2d"].reason
    assert by_name["lambda"].skip_kind == UPSTREAM
    assert by_name["flatten"].status == CONFIRMED and by_name["dense"].status == CONFIRMED
    assert not report.mismatches


def test_an_argument_kerascheck_does_not_know_skips_the_layer():
    code = """
import sys
import keras
from keras import layers
units = int(sys.argv[1])
model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(units), layers.Dense(2)])
"""
    report = run(code)
    by_name = {e.name: e for e in report.layers}
    assert by_name["dense"].skip_kind == UNKNOWN_ARGUMENT and "units" in by_name["dense"].reason
    assert by_name["dense_1"].skip_kind == UPSTREAM


def test_a_layer_keras_rejects_is_not_run():
    code = """
import keras
from keras import layers
model = keras.Sequential([keras.Input(shape=(4, 4, 1)), layers.Conv2D(8, 5), layers.Flatten()])
"""
    report = run(code)
    by_name = {e.name: e for e in report.layers}
    assert by_name["conv2d"].skip_kind == STATIC_ERROR
    assert by_name["flatten"].skip_kind == UPSTREAM


def test_a_sequential_model_without_an_input_shape_is_not_run():
    code = """
import keras
from keras import layers
model = keras.Sequential([layers.Dense(4), layers.Dense(2)])
"""
    report = run(code)
    assert report.status == MODEL_SKIPPED
    assert "no input shape" in report.notes[0]


def test_nested_models_run_as_layers():
    code = """
import keras
from keras import layers
encoder = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(4)], name="encoder")
inp = keras.Input(shape=(8,))
head_out = layers.Dense(3)(inp)
head = keras.Model(inp, head_out)
x_in = keras.Input(shape=(10,))
z = encoder(x_in)
z = layers.Dense(8)(z)
out = head(z)
model = keras.Model(x_in, out)
"""
    report = run(code)
    assert_all_confirmed(report)
    assert_keras_agrees(code, report)
    by_name = {e.name: e for e in report.layers}
    assert by_name["encoder"].executed_shape == (None, 4)
    assert by_name["encoder"].weight_count == 10 * 16 + 16 + 16 * 4 + 4
    assert by_name["encoder"].sub_report is not None
    assert {e.status for e in by_name["encoder"].sub_report.layers} == {CONFIRMED}


def test_multiple_outputs_are_routed_by_index():
    code = """
import keras
from keras import layers
inp = keras.Input(shape=(6, 3))
seq, h, c = layers.LSTM(5, return_sequences=True, return_state=True)(inp)
last = layers.Dense(2)(c)
both = layers.Concatenate()([h, c])
model = keras.Model(inp, [seq, last, both])
"""
    report = run(code)
    assert_all_confirmed(report)
    assert_keras_agrees(code, report)
    by_name = {e.name: e for e in report.layers}
    assert by_name["lstm"].executed_shape == [(None, 6, 5), (None, 5), (None, 5)]
    assert by_name["concatenate"].executed_shape == (None, 10)


def test_initial_states_are_inputs_of_the_decoder():
    code = """
import keras
encoder_inputs = keras.Input(shape=(None, 7))
encoder_outputs, state_h, state_c = keras.layers.LSTM(16, return_state=True)(encoder_inputs)
decoder_inputs = keras.Input(shape=(None, 9))
decoder = keras.layers.LSTM(16, return_sequences=True, return_state=True)
decoder_outputs, _, _ = decoder(decoder_inputs, initial_state=[state_h, state_c])
outputs = keras.layers.Dense(9, activation="softmax")(decoder_outputs)
model = keras.Model([encoder_inputs, decoder_inputs], outputs)
"""
    report = run(code)
    assert_all_confirmed(report)
    assert_keras_agrees(code, report)
    by_name = {e.name: e for e in report.layers}
    assert by_name["lstm"].calls == 1  # on the path to the output through the decoder's initial state
    assert by_name["dense"].executed_shape == (None, 8, 9)


def test_arithmetic_on_tensors_runs_between_layers():
    code = """
import keras
from keras import layers
inputs = keras.Input(shape=(10, 32))
ffn = layers.Dense(32, activation="relu")(inputs)
x = layers.LayerNormalization()(inputs + ffn)
x = layers.Dense(4)(x * 0.5)
outputs = layers.GlobalAveragePooling1D()(x)
model = keras.Model(inputs, outputs)
"""
    report = run(code)
    assert_all_confirmed(report)
    assert_keras_agrees(code, report)
    assert [e.name for e in report.layers if e.type != "InputLayer"] == [
        "dense",
        "layer_normalization",
        "dense_1",
        "global_average_pooling1d",
    ]


def test_a_subclassed_model_runs_through_its_call():
    code = """
import keras
from keras import layers

class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv1D(4, 3, padding="causal")
        self.pool = layers.GlobalMaxPooling1D()
        self.out = layers.Dense(2)

    def call(self, x):
        return self.out(self.pool(self.conv(x)))

model = Net()
model(keras.Input(shape=(12, 3)))
"""
    report = run(code)
    assert_all_confirmed(report)
    assert [e.executed_shape for e in report.layers] == [(None, 12, 4), (None, 4), (None, 2)]


def test_a_wrong_static_shape_is_a_mismatch():
    found = models(SEQUENTIAL_CNN)
    model = found["model"]
    dense = [layer for layer in model.layers if layer.name == "dense"][0]  # type: ignore[attr-defined]
    dense.output_shape = (None, 127)
    report = execute_model(model)  # type: ignore[arg-type]
    entry = report.for_layer(dense)
    assert entry is not None and entry.status == MISMATCH
    assert entry.mismatches == ["kerascheck infers (None, 127), executed (None, 128)"]
    assert not report.ok
    assert "1 mismatch" in report.summary()


def test_a_wrong_parameter_count_is_a_mismatch():
    found = models(SEQUENTIAL_CNN)
    model = found["model"]
    conv = model.layers[0]  # type: ignore[attr-defined]
    conv.params = 321
    entry = execute_model(model).for_layer(conv)  # type: ignore[arg-type]
    assert entry is not None and entry.status == MISMATCH
    assert entry.mismatches == ["kerascheck counts 321 parameters, the execution created 320 weights"]


def test_the_report_is_json_ready():
    report = run(UNKNOWN_SIZES)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["status"] == EXECUTED
    layer = data["layers"][1]
    assert layer["executed_shape"] == [None, 14, 14, 8]
    assert layer["inferred_shape"][0] is None
    assert data["substitutes"][0] == {"input": "input_layer", "axis": 1, "original": None, "size": 16}


def test_the_same_seed_gives_the_same_run():
    a = run(LSTM_TEXT).to_dict()
    b = run(LSTM_TEXT).to_dict()
    a.pop("elapsed_s"), b.pop("elapsed_s")
    assert a == b


def test_importing_the_package_does_not_import_numpy():
    code = "import sys, kerascheck.execute; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
