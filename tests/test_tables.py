"""Tabular data (extract/tables.py) against real pandas, NumPy and scikit-learn, and `ast.literal_eval` against Python.

Each snippet makes an array the way scripts do before `fit`: a frame built or read, columns
selected, dropped, added or popped, scaled, split, sliced and reshaped. kerascheck's abstract value
for `result` must have the real array's rank, and each size it claims to know must be the real one
(sizes it does not know are fine: a file's rows are never known). A frame read from a file is
stood in for by a frame of the same columns, which the snippet makes with `read_frame()`.
"""

from __future__ import annotations

from typing import Any

import libcst as cst
import numpy as np
import pytest

from kerascheck.extract import numpy_values as knp
from kerascheck.extract import tables
from kerascheck.extract.interpreter import Interpreter
from kerascheck.shapes import UNKNOWN

pd = pytest.importorskip("pandas")
pytest.importorskip("sklearn")

PRELUDE = (
    "import numpy as np\nimport pandas as pd\n"
    "from sklearn.model_selection import train_test_split\n"
    "from sklearn.preprocessing import StandardScaler, MinMaxScaler\n"
)
# What kerascheck sees for a CSV: a frame of unknown columns; what runs: a frame of five columns.
READ_KERASCHECK = "df = pd.read_csv('data.csv')\nfrom labels import unknown_labels\n"
READ_REAL = (
    "df = pd.DataFrame({'a': np.arange(40.0), 'b': np.arange(40) * 0.5, 'c': np.arange(40) % 3, 'label': np.arange(40) % 2,"
    " 'id': np.arange(40)})\n"
    "unknown_labels = np.asarray\n"
)

CASES = {
    "column values": "result = df['label'].values",
    "drop the label": "result = df.drop(columns=['label', 'id']).values",
    "drop with axis": "result = df.drop('label', axis=1).to_numpy()",
    "selected columns": "result = df[['a', 'b']].to_numpy(dtype='float32')",
    "dict of columns": (
        "frame = pd.DataFrame({'x': np.arange(30), 'y': np.arange(30) * 2.0, 't': np.arange(30) % 3})\n"
        "result = frame.drop(columns='t').values"
    ),
    "a column added": (
        "frame = pd.DataFrame({'x': np.arange(30), 'y': np.arange(30) * 2.0})\n"
        "frame['ratio'] = frame['x'] / (frame['y'] + 1)\n"
        "result = frame.values"
    ),
    "a column popped": (
        "frame = pd.DataFrame({'x': np.arange(30), 'y': np.arange(30) * 2.0, 't': np.arange(30) % 3})\n"
        "target = frame.pop('t')\n"
        "result = frame.to_numpy()"
    ),
    "popped column": (
        "frame = pd.DataFrame({'x': np.arange(30), 't': np.arange(30) % 3})\n"
        "result = frame.pop('t').values"
    ),
    "scaled": "result = StandardScaler().fit_transform(df.drop(columns='label'))",
    "scaler fit then transform": (
        "scaler = MinMaxScaler()\nscaler.fit(df[['a', 'b']])\nresult = scaler.transform(df[['a', 'b']])"
    ),
    "split": (
        "X = df.drop(columns=['label']).values\ny = df['label'].values\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)\n"
        "result = X_test"
    ),
    "split labels": (
        "X = df.drop(columns=['label']).values\ny = df['label'].values\n"
        "X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)\n"
        "result = y_train"
    ),
    "rows sliced": "X = df.values\nsplit = int(len(X) * 0.8)\nresult = X[:split]",
    "one-step sequences": "X = df.drop(columns='label').values\nresult = X.reshape((X.shape[0], 1, X.shape[1]))",
    "channel axis": "X = df[['a', 'b', 'c']].values\nresult = np.expand_dims(X, -1)",
    "new axis": "X = df[['a', 'b']].values\nresult = X[:, :, None]",
    "one column": "X = df.values\nresult = X[:, 0]",
    "normalised": "X = df[['a', 'b']].values\nresult = (X - X.mean(axis=0)) / X.std(axis=0)",
    "frame normalised": "feats = df[['a', 'b', 'c']]\nresult = ((feats - feats.mean()) / feats.std()).values",
    "frame of an array": "result = pd.DataFrame(np.zeros((12, 3)), columns=['p', 'q', 'r']).values",
    "dropna keeps columns": "result = df.dropna().drop(columns='id').values",
    "astype": "result = df['label'].astype('float32').to_numpy()",
    "float32 of a frame": "result = np.float32(df[['a', 'b']])",
    "a long comprehension of one shape": (
        "rng = np.random.default_rng(0)\n"
        "def scene():\n    img = np.clip(rng.normal(0, 1, (16, 16)), 0, 1)\n    return img[..., None], np.zeros(3)\n"
        "scenes = [scene() for _ in range(300)]\nresult = np.stack([s[0] for s in scenes])"
    ),
    "a column of arrays stacked": (
        "frame = pd.DataFrame({'w': list(np.zeros((7, 5, 3))), 'k': np.arange(7), 'tag': 'x'})\n"
        "both = pd.concat([frame, frame], ignore_index=True).sample(frac=1.0, random_state=0).reset_index(drop=True)\n"
        "result = np.stack(both['w'].to_numpy())"
    ),
    "iloc rows at a cut": "cut = int(len(df) * 0.85)\nresult = df.iloc[:cut][['a', 'b']].values",
    "iloc rows from the end": "n = int(0.15 * len(df))\nresult = df[['a', 'b', 'c']].iloc[-n:].to_numpy()",
    "iloc of known rows": (
        "frame = pd.DataFrame({'x': np.arange(30), 'y': np.arange(30) * 2.0, 't': np.arange(30) % 3})\n"
        "result = frame.iloc[5:-5, 1:].values"
    ),
    "loc rows and columns": "result = df.loc[df['a'] > 3, ['b', 'c']].values",
    "iloc split then train_test_split": (
        "early = df.iloc[:-6]\ntr, va = train_test_split(early, test_size=0.2, random_state=1)\n"
        "result = StandardScaler().fit_transform(tr[['a', 'c']])"
    ),
    # Kaggle's digit recognizer: pixels reshaped to images, labels one-hot, split beside labels of no known shape
    "pixels split beside labels of unknown shape": (
        "X = (df.drop(labels=['label'], axis=1).values / 255.0).reshape(-1, 1, 2, 2)\n"
        "Y = df['label'].values\nZ = unknown_labels(Y)\n"
        "result, X_val, Z_tr, Z_val = train_test_split(X, Z, test_size=0.1, random_state=2, stratify=Y)"
    ),
    "a frame filled column by column": (
        "out = pd.DataFrame(index=df.index)\nout['s'] = df['a'] + df['b']\nout['m'] = df['c'].isna().astype('float32')\n"
        "result = out.to_numpy()"
    ),
    "rows times weights": "X = df[['a', 'b', 'c']].values\nresult = (X @ np.array([0.3, 0.5, 0.2], 'float32'))[..., None]",
    "images to grey": "result = (np.zeros((5, 6, 4, 3)) @ np.array([0.299, 0.587, 0.114]))[..., None]",
    "a batch of matrices": "result = np.ones((7, 5, 3)) @ np.ones((3, 2))",
    "a vector times matrices": "result = np.ones(3) @ np.ones((2, 3, 4))",
    "a matrix times a batch": "result = np.ones((6, 3)) @ np.ones((2, 3, 4))",
    "nearest-neighbour upscaling": (
        "X = np.zeros((5, 32, 32, 3))\nidx = (np.arange(96) * X.shape[1] // 96).astype(int)\nresult = X[:, idx][:, :, idx]"
    ),
    "columns gathered": "X = df[['a', 'b', 'c']].values\nresult = X[:, np.array([0, 2])]",
    "an encoder's predictions": (
        "import keras\ninp = keras.Input(shape=(3,))\nenc = keras.Model(inp, keras.layers.Dense(2)(inp))\n"
        "result = enc.predict(df[['a', 'b', 'c']].values, verbose=0)"
    ),
    "a Sequential model's predictions": (
        "import keras\nm = keras.Sequential([keras.Input((6, 5)), keras.layers.Conv1D(4, 3)])\n"
        "result = m.predict(np.zeros((7, 6, 5)), verbose=0)"
    ),
    "one-hot rows of a row count": (
        "ids = np.zeros((len(df), 4), dtype='int32')\nresult = np.eye(11, dtype='float32')[ids]"
    ),
    "mean over two axes, kept": "X = df[['a', 'b']].values[:, :, None] * np.ones(4)\nresult = X.mean(axis=(0, 2), keepdims=True)",
    # Hands-On ML's split of a digits set into two tasks: boolean masks select an unknown number of rows
    "rows of some classes": (
        "x = np.zeros((60, 8, 8), 'float32')\ny = np.arange(60) % 10\nkeep = np.isin(y, [0, 1, 2])\nresult = x[keep]"
    ),
    "labels of some classes, as numbers": (
        "y = np.arange(60) % 10\nkeep = np.isin(y, [8, 9])\nresult = (y[keep] == 9).astype('float32')"
    ),
    "rows where a partly known column says so": (
        "X = df[['a', 'b', 'c']].values\nresult = X[X[:, 2] == 1]"
    ),
    # keras-io's WGAN-GP on one CIFAR class: the class's images from both splits, joined
    "rows of one class from two splits, joined": (
        "xa, ya = np.zeros((50, 4, 4, 3)), np.arange(50) % 10\nxb, yb = np.zeros((20, 4, 4, 3)), np.arange(20) % 10\n"
        "result = np.concatenate([xa[ya == 7], xb[yb == 7]])"
    ),
    "partly known columns stacked side by side": (
        "X = df[['a', 'b']].values\nresult = np.hstack([X, np.ones((40, 3))])"
    ),
    "partly known rows stacked on a new axis": "X = df[['a', 'b']].values\nresult = np.stack([X, X * 2], axis=-1)",
    "partly known rows under known rows": "X = df[['a', 'b']].values\nresult = np.vstack((X, np.zeros((1, 2))))",
    "one column of the rows loc picks": "result = df.loc[df['a'] > 3, 'b'].to_numpy(dtype='float32')",
    # keras-io's anomaly-detection autoencoder: windows over a standardised series of unknown length
    "windows over a series": (
        "s = df['a'].to_numpy()\ns = (s - s.mean()) / s.std()\n"
        "idx = np.arange(8)[None, :] + np.arange(len(s) - 8 + 1)[:, None]\nresult = s[idx][..., None]"
    ),
    "a mask over two axes": "x = np.zeros((6, 5, 3))\nresult = x[x[..., 0] > 0]",
    "a random scalar broadcast": (
        "rng = np.random.default_rng(0)\nresult = np.sin(rng.uniform(0.5, 2.0) * np.arange(10) + rng.normal())"
    ),
    # a UCR-style table (label, then the series) cut to a length from the data, shuffled by position
    "iloc of columns, a slice to a size from the data": (
        "labels = df.iloc[:, 0].to_numpy()\nsignals = df.iloc[:, 1:].to_numpy().astype('float32')\n"
        "usable = (signals.shape[1] // 2) * 2\nsignals = signals[:, :usable, np.newaxis]\n"
        "order = np.random.default_rng(7).permutation(len(signals))\ncut = int(0.7 * len(order))\n"
        "result = signals[order[:cut]][labels[order[:cut]] == 1]"
    ),
    "iloc of one column": "result = df.iloc[:, -1].values",
    "a permutation of a count": "result = np.random.permutation(len(df))",
    # an embedding matrix drawn for a vocabulary of the data's size (Kaggle GloVe kernels)
    "a draw of a size from the data": (
        "n_words = min(50000, len(df))\nrng = np.random.default_rng(0)\n"
        "result = rng.normal(0.0, 0.5, (n_words, 8)).astype('float32')"
    ),
    "a uniform draw by keyword": "result = np.random.uniform(-1, 1, size=(len(df), 3))",
    # windows over a series, the look-back loop of Brownlee's LSTM tutorials and TensorFlow's time series
    # tutorial: gathered in a loop or a comprehension whose length comes from the data, then stacked
    "windows appended in a loop": (
        "X = df[['a', 'b']].values\nxs, ys = [], []\nfor i in range(len(X) - 8):\n"
        "    xs.append(X[i:(i + 8)])\n    ys.append(1.0)\nresult = np.array(xs)"
    ),
    "windows of a comprehension, stacked": (
        "X = df.values\nstarts = np.arange(0, len(X) - 10, 3)\nresult = np.stack([X[s:s + 10] for s in starts])"
    ),
    "look-back windows of one column": "X = df.values\nresult = np.array([X[t - 5:t, 0] for t in range(5, len(X))])",
    "windows of a known array at starts from the data": (
        "x = np.zeros((60, 3))\nresult = np.asarray([x[k * 2:k * 2 + 6] for k in range(len(df) // 4)])"
    ),
    # a wind direction in degrees turned into a vector (DLWP's weather features, Kaggle SCADA notebooks)
    "elementwise functions of columns, stacked": (
        "raw = df.values\npower = np.maximum(raw[:, 0], 0.0)\nangle = np.radians(raw[:, 1])\n"
        "result = np.stack([power, np.sin(angle) * raw[:, 2], np.cos(angle), np.hypot(raw[:, 3], 1.5)], axis=-1)"
    ),
    # features added column by column, looked at (describe, corr, a plot) before training (TF time series tutorial)
    "columns added one by one, then described": (
        "frame = pd.DataFrame(index=df.index)\nframe['x'] = np.log1p(df['a'])\nframe['y'] = df['b'].diff()\n"
        "frame.describe()\nframe.corr()\nframe = frame.dropna()\nresult = frame.to_numpy()"
    ),
    # NumPy's functions of a frame or a series (Hands-On ML's log-transformed features) and their keywords
    "functions of a frame, a series and an array": (
        "a = np.asarray(np.sqrt(df[['a', 'b']]))\nb = np.asarray(np.cos(df['c']))[:, None]\n"
        "c = np.round(df.values, decimals=1)\nd = np.clip(np.nan_to_num(df[['a']].values, nan=0.0), 0, None)\n"
        "result = np.concatenate([a, b, c, d], axis=1)"
    ),
    # token ids padded to one length (IMDB's and a tokenizer's lists; a comprehension's, over the data)
    "padded to maxlen": "from keras.utils import pad_sequences\nresult = pad_sequences([[3, 4, 5], [1], [7, 8]], maxlen=6)",
    "padded to the longest": (
        "from keras.preprocessing.sequence import pad_sequences\nresult = pad_sequences([[1, 2], [3, 4, 5, 6]], padding='post')"
    ),
    "padded ids of a comprehension over the data": (
        "import keras\nids = [[i % 7 for i in range(k)] for k in df['c'].values]\n"
        "result = keras.utils.pad_sequences(ids, maxlen=5, truncating='post')"
    ),
    "columns named by a comprehension": (
        "cols = ['a'] + [c for c in df.columns if c.startswith('l')]\nresult = df[cols].to_numpy(dtype='float32')"
    ),
}

# Cases whose every size kerascheck must know (the others may leave a file's rows unknown).
FULLY_KNOWN = ["a random scalar broadcast", "mean over two axes, kept", "iloc of known rows", "images to grey",
               "a batch of matrices", "a vector times matrices", "a matrix times a batch", "nearest-neighbour upscaling",
               "a Sequential model's predictions", "padded to maxlen", "padded to the longest"]


def _abstract(code: str) -> Any:
    source = PRELUDE + READ_KERASCHECK + code + "\n"
    ip = Interpreter()
    ip.run_unit(cst.parse_module(source), None, source)
    return ip.globals.vars.get("result")


def _real(code: str) -> Any:
    namespace: dict[str, Any] = {}
    exec(PRELUDE + READ_REAL + code + "\n", namespace)  # noqa: S102 - the test's own snippet
    return np.asarray(namespace["result"])


@pytest.mark.parametrize("code", list(CASES.values()), ids=list(CASES))
def test_shape_agrees_with_pandas(code: str) -> None:
    value = _abstract(code)
    shape = tables.as_shape(value) if isinstance(value, (tables.DataArray, knp.NdArray)) else None
    assert shape is not None, f"kerascheck lost the array: {value!r}"
    real = _real(code).shape
    assert len(shape) == len(real), f"rank: kerascheck {shape}, real {real}"
    for mine, theirs in zip(shape, real):
        assert mine is None or mine == theirs, f"kerascheck {shape}, real {real}"


def test_unknown_columns_stay_unknown() -> None:
    """A frame read from a file has columns nobody wrote down: its width is not guessed."""
    value = _abstract("result = df.drop(columns='label').values")
    assert isinstance(value, tables.DataArray) and value.shape == (None, None)


@pytest.mark.parametrize("code", [
    "from keras.utils import pad_sequences\nresult = pad_sequences([[[1, 2], [3, 4]], [[5, 6]]], maxlen=3)",  # (2, 3, 2)
    "from keras.utils import pad_sequences\nresult = pad_sequences([np.zeros((4, 2)) for _ in range(3)], dtype='float32')",
    "result = np.array(df[['a', 'b']].values, ndmin=3)",  # (1, rows, 2)
    "result = np.clip(df[['a', 'b']].values, np.zeros((3, 1, 2)), 1.0)",  # bounds that broadcast: (3, rows, 2)
])
def test_a_keyword_or_bound_that_changes_the_shape_says_nothing(code: str) -> None:
    real = _real(code).shape
    assert len(real) == 3
    value = _abstract(code)
    shape = tables.as_shape(value) if isinstance(value, (tables.DataArray, knp.NdArray)) else None
    assert shape is None or (len(shape) == 3 and all(m is None or m == t for m, t in zip(shape, real)))


def test_frame_given_to_unfollowed_code_forgets_its_columns() -> None:
    value = _abstract(
        "frame = pd.DataFrame({'x': np.arange(30), 'y': np.arange(30)})\n"
        "import featurize\nfeaturize.add_features(frame)\nresult = frame.values"
    )
    assert isinstance(value, tables.DataArray) and value.shape[1] is None


def test_a_list_filled_in_a_loop_gives_no_row_count() -> None:
    value = _abstract(
        "rows, labels = [], []\n"
        "for i in range(int(np.random.rand() * 100)):\n"
        "    rows.append(i)\n    labels.append(i % 2)\n"
        "frame = pd.DataFrame({'x': rows, 'y': labels})\nresult = frame['y'].values"
    )
    assert isinstance(value, tables.DataArray) and value.shape == (None,)


@pytest.mark.parametrize("text", ["{'units': 32, 'rate': 0.5}", "[(28, 28, 1), 10]", "{1, 2, 3}", "-4", "'text'"])
def test_literal_eval_agrees_with_python(text: str) -> None:
    """`ast.literal_eval` of a literal the file holds gives what Python gives (it is parsed, not run)."""
    import ast

    source = f"import ast\nresult = ast.literal_eval({text!r})\n"
    ip = Interpreter()
    ip.run_unit(cst.parse_module(source), None, source)
    assert ip.globals.vars["result"] == ast.literal_eval(text)


def test_literal_eval_of_code_is_unknown() -> None:
    value = _abstract("result = __import__('ast').literal_eval(\"__import__('os').getcwd()\")")
    assert not isinstance(value, str)
    source = "import ast\nresult = ast.literal_eval(\"__import__('os').getcwd()\")\n"
    ip = Interpreter()
    ip.run_unit(cst.parse_module(source), None, source)
    assert ip.globals.vars["result"] is UNKNOWN


@pytest.mark.parametrize(("case", "shape"), [
    ("windows appended in a loop", (None, 8, 2)),
    ("windows of a comprehension, stacked", (None, 10, None)), ("look-back windows of one column", (None, 5)),
    ("windows of a known array at starts from the data", (None, 6, 3)),
    ("elementwise functions of columns, stacked", (None, 4)), ("columns added one by one, then described", (None, 2)),
])
def test_windows_and_columns_keep_their_sizes(case: str, shape: tuple[int | None, ...]) -> None:
    """A window's width is written in its slice (`x[i:i + 8]`), whatever its start; stacking windows gathered
    a number of times the data decides gives one more axis, of unknown length, before it. A column is one
    value per row, whatever elementwise function of it is taken; looking at a frame keeps its columns."""
    value = _abstract(CASES[case])
    assert isinstance(value, (tables.DataArray, knp.NdArray)) and tables.as_shape(value) == shape


@pytest.mark.parametrize(("code", "axis"), [
    ("x = np.zeros((5, 3))\ni = len(df) // 40\nresult = x[i:i + 10]", 0),  # an axis shorter than the window
    ("X = df.values\nxs = []\nfor i in range(len(X) - 8):\n    xs.append(X[i:i + 8] if i % 2 else X[i:i + 4])\n"
     "result = np.array(xs)", 1),  # windows of two widths: NumPy could not stack them
    ("X = df.values\nresult = np.array([X[i:j] for i, j in zip(range(len(X)), range(3, len(X)))])", 1),
    ("X = df.values\nw = len(df) // 10\nresult = np.stack([X[i:i + w] for i in range(len(X) - w)])", 1),
])
def test_windows_of_unknown_or_unequal_width_say_nothing(code: str, axis: int) -> None:
    value = _abstract(code)
    shape = tables.as_shape(value) if isinstance(value, (tables.DataArray, knp.NdArray)) else None
    assert shape is None or shape[axis] is None, shape


def test_a_long_comprehension_that_uses_its_target_stays_unknown() -> None:
    value = _abstract("def row(i):\n    return np.zeros(i)\nresult = [row(i) for i in range(300)]")
    assert not isinstance(value, list)  # each element has its own length: not one shape for all


SPLITS = ["test_size=0.2", "test_size=0.25, random_state=1", "train_size=0.7", "test_size=30", "train_size=50",
          "", "test_size=0.15, stratify=y", "train_size=0.6, test_size=0.3", "test_size=1 / 3"]


@pytest.mark.parametrize("rows", [103, 120])
@pytest.mark.parametrize("options", SPLITS)
def test_split_sizes_agree_with_scikit_learn(rows: int, options: str) -> None:
    """Arrays of known rows split into parts of known rows, as scikit-learn rounds them."""
    code = (f"X = np.zeros(({rows}, 4))\ny = np.arange({rows}) % 2\n"
            f"X_train, X_test, y_train, y_test = train_test_split(X, y, {options})\n")
    source = PRELUDE + code
    ip = Interpreter()
    ip.run_unit(cst.parse_module(source), None, source)
    parts = {name: ip.globals.vars.get(name) for name in ("X_train", "X_test", "y_train", "y_test")}
    namespace: dict[str, Any] = {}
    exec(PRELUDE + code, namespace)  # noqa: S102 - the test's own snippet
    for name, value in parts.items():
        assert isinstance(value, knp.NdArray), f"{name}: {value!r}"
        assert value.shape == np.asarray(namespace[name]).shape, name


def test_split_of_dataset_labels_keeps_their_classes() -> None:
    """`load_digits()` labels split by train_test_split stay class labels, with the split's rows."""
    from kerascheck.model import Labels

    source = ("from sklearn.datasets import load_digits\nfrom sklearn.model_selection import train_test_split\n"
              "d = load_digits()\nxa, xb, ya, yb = train_test_split(d.images, d.target, test_size=0.25)\n")
    ip = Interpreter()
    ip.run_unit(cst.parse_module(source), None, source)
    ya = ip.globals.vars.get("ya")
    assert isinstance(ya, Labels) and ya.classes == 10 and ya.shape == (1347,)
    assert ip.globals.vars.get("xb") == knp.NdArray((450, 8, 8))


@pytest.mark.parametrize("name", FULLY_KNOWN)
def test_sizes_are_all_known(name: str) -> None:
    value = _abstract(CASES[name])
    shape = tables.as_shape(value)
    assert shape is not None and None not in shape, f"{value!r}"
    assert shape == _real(CASES[name]).shape


def test_stacked_column_of_arrays_keeps_the_arrays_shape() -> None:
    value = _abstract(CASES["a column of arrays stacked"])
    assert isinstance(value, tables.DataArray) and value.shape[1:] == (5, 3)


def test_frames_of_other_columns_concatenate_to_unknown_columns() -> None:
    value = _abstract("a = pd.DataFrame({'x': np.arange(3)})\nb = pd.DataFrame({'y': np.arange(3)})\n"
                      "result = pd.concat([a, b]).values")
    assert isinstance(value, tables.DataArray) and value.shape == (None, None)


def test_paths_joined_from_written_names_are_python_s() -> None:
    """`os.path.join("runs", "model.keras")`: the path Python makes (so a model saved and loaded by it is
    the same file); anything else of `os` stays unknown."""
    import os

    source = ("import os\nimport os.path as osp\nfrom os import path\n"
              "a = os.path.join('bike_shards', 'rides_model.keras')\nb = osp.join('runs', 'x', 'y.h5')\n"
              "c = path.join('data')\nd = os.getcwd()\ne = os.path.join(d, 'x')\n")
    ip = Interpreter()
    ip.run_unit(cst.parse_module(source), None, source)
    values = ip.globals.vars
    assert values["a"] == os.path.join("bike_shards", "rides_model.keras")
    assert values["b"] == os.path.join("runs", "x", "y.h5") and values["c"] == os.path.join("data")
    assert values["d"] is UNKNOWN and values["e"] is UNKNOWN


LOADED = {
    "a table read with a delimiter": "result = np.loadtxt(PATH, delimiter='\\t')",
    "genfromtxt of a table": "result = np.genfromtxt(PATH, delimiter='\\t')",
    "two columns named": "result = np.loadtxt(PATH, delimiter='\\t', usecols=(0, 2))",
    "one column named": "result = np.loadtxt(PATH, delimiter='\\t', usecols=3)",
    "ndmin=2 without a delimiter": "result = np.loadtxt(PATH, ndmin=2)",
    # keras-io's FordA readers: the first column is the label, the rest a series, made a one-channel sequence
    "series after the label column": (
        "data = np.loadtxt(PATH, delimiter='\\t')\nx = data[:, 1:]\nresult = x.reshape((x.shape[0], x.shape[1], 1))"
    ),
    "labels of the first column": "data = np.loadtxt(PATH, delimiter='\\t')\nresult = data[:, 0].astype(int)",
    # UCR archives: whitespace-separated, label first; two indices show the file is a table
    "a whitespace table's series": "raw = np.loadtxt(PATH)\nresult = raw[:, 1:].astype('float32')",
    "a whitespace table's labels": "raw = np.loadtxt(PATH)\nresult = raw[:, 0].astype(int) - 1",
}


@pytest.mark.parametrize("code", list(LOADED.values()), ids=list(LOADED))
def test_loaded_table_agrees_with_numpy(code: str, tmp_path: Any) -> None:
    path = tmp_path / "table.tsv"
    path.write_text("\n".join("\t".join(str(r * 10 + c) for c in range(5)) for r in range(7)) + "\n")
    if "ndmin" in code:
        path.write_text("\n".join(" ".join(str(r * 10 + c) for c in range(5)) for r in range(7)) + "\n")
    value = _abstract(f"PATH = {str(path)!r}\n{code}")
    assert isinstance(value, tables.DataArray), f"kerascheck lost the array: {value!r}"
    namespace: dict[str, Any] = {}
    exec(f"import numpy as np\nPATH = {str(path)!r}\n{code}\n", namespace)  # noqa: S102 - the test's own snippet
    real = np.asarray(namespace["result"]).shape
    assert len(value.shape) == len(real), f"rank: kerascheck {value.shape}, real {real}"
    assert all(mine is None or mine == theirs for mine, theirs in zip(value.shape, real)), (value.shape, real)


def test_a_file_read_without_a_delimiter_or_columns_says_nothing() -> None:
    # a file of one column (or one row) loads as one axis: its rank is not known until two indices show it
    assert tables.as_shape(_abstract("result = np.loadtxt('values.txt')")) is None
    assert _abstract("result = np.loadtxt('values.txt').shape") is UNKNOWN
    assert _abstract("result = np.loadtxt('values.txt')[..., 0]") is UNKNOWN
    assert _abstract("result = np.loadtxt('values.txt')[:, None]") is UNKNOWN
    assert _abstract("result = np.loadtxt('values.txt')[1:]") is UNKNOWN
    assert _abstract("result = np.loadtxt('t.csv', delimiter=',', unpack=True)") is UNKNOWN


def test_one_hot_labels_of_a_column_keep_its_rows() -> None:
    keras = pytest.importorskip("keras")
    code = "import keras\ny = df['label'].values\nresult = keras.utils.to_categorical(y, num_classes=3)"
    value = _abstract(code)
    real = np.asarray(keras.utils.to_categorical(np.arange(40) % 2, num_classes=3)).shape
    assert value.classes == 3 and value.shape is not None and len(value.shape) == len(real)
    assert all(mine is None or mine == theirs for mine, theirs in zip(value.shape, real)), (value.shape, real)
