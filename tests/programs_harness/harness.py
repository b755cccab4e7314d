# ruff: noqa: UP031  (written with printf-style formatting throughout; kept as measured)
"""Run a program of fixtures/programs/ (script or notebook) under real Keras 3, offline.

    import harness
    namespace = harness.run_program("fixtures/programs/a01_fashion_convnet.py")  # -> module globals

The programs are ordinary published-style Keras programs, written blind (see
fixtures/programs/README.md).  The test environment has Keras 3 (JAX backend)
but no TensorFlow, no network, no pretrained weights and few cores.
`run_program` therefore installs the following stand-ins, always through the
same general mechanisms (nothing is keyed on a program's file name), and then
executes the program with `exec`:

Libraries that are not test dependencies
  * matplotlib and Pillow, when missing, are replaced by the small modules of
    harness_standins.py (inert plotting; PNG-only NumPy images).

TensorFlow
  * `tensorflow` / `tensorflow.keras.*` / `tf_keras.*` are importable:
    `tf.keras` and `tf_keras` are Keras 3's `keras._tf_keras.keras` (what
    TF >= 2.16 returns, also when TF_USE_LEGACY_KERAS=1 is set); the tensor
    API (`tf.reduce_mean`, `tf.concat`, `tf.nn`, `tf.math`, `tf.image`,
    `tf.strings`, `tf.random`, ...) maps onto `keras.ops`; `tf.data.Dataset`
    is a lazy NumPy re-implementation; `tf.GradientTape` returns zero
    gradients; `tf.function` is the identity.  See harness_tf.py.
  * Keras' own internal "is TensorFlow available?" probe still answers "no",
    so Keras keeps behaving exactly as it does without TensorFlow.
  * JAX arrays get `.numpy()` and a no-op `.set_shape()` (as TF eager
    tensors have).

Keras pieces that need TensorFlow or the network
  * `keras.datasets.*.load_data()` / `get_word_index()`: random arrays with
    the real per-sample shapes and dtypes, 96 train / 32 test samples.
  * `keras.utils.get_file` is the real function; only the download
    (`urlretrieve`) is replaced by writing the synthetic file or archive from
    harness_data.CATALOGUE (real .zip/.tar.gz, so extraction is real).
  * `image_dataset_from_directory`, `text_dataset_from_directory`,
    `audio_dataset_from_directory`, `timeseries_dataset_from_array`: re-implemented on the NumPy dataset
    (same output shapes/dtypes, `class_names`, validation_split/subset).
  * `TextVectorization`, `StringLookup`, `IntegerLookup`: NumPy
    re-implementations (vocabulary layout, adapt, get_vocabulary, output
    modes) used eagerly on strings (e.g. in `Dataset.map`); symbolic calls
    give the right KerasTensor shape/dtype.
  * `Normalization.adapt` also accepts the NumPy dataset stand-in.
  * `keras.applications.*(weights="imagenet")` builds with `weights=None`.
  * `keras.callbacks.TensorBoard` is a no-op callback; `plot_model` is a
    no-op when pydot is missing.

Training cost
  * `Model.fit` trains one real step on one small batch (at most 16 samples;
    the first batch of a dataset/generator/PyDataset) with the program's own
    compile settings and callbacks, then pads the returned History to the
    requested number of epochs (the one real epoch's values repeated), so
    history plots still work.  Models whose `train_step(self, data)` is
    written TF-style are stepped eagerly on one batch (with the zero-gradient
    tape) and their callbacks are called for one epoch.
  * `Model.evaluate` runs on one small batch; `Model.predict` runs on the
    whole (small) input, up to 256 samples, repeating rows beyond that.

Files and environment
  * Reading a URL or a missing well-known path (`pd.read_csv`,
    `np.loadtxt/genfromtxt/load`, `open`, `urllib.request.urlretrieve`,
    Kaggle's `/kaggle/input/...`) gets the synthetic catalogue file.
  * `sklearn.datasets.fetch_california_housing` returns a synthetic Bunch.
  * Notebooks: code cells are concatenated; `%` magics are dropped (`%%time`
    etc. keep their cell body); `!` shell lines are emulated for downloads
    (curl/wget/kaggle -> catalogue), unzip, tar, mkdir, rm, cp, mv and
    otherwise skipped (pip install, ls, ...).
  * Each run happens in a fresh temporary working directory, with
    `sys.argv = [program]` (argparse defaults), `__name__ == "__main__"`,
    matplotlib's Agg backend (`plt.show()` just closes figures); the scratch
    folder holding them is removed when the process exits.
"""

import atexit
import builtins
import collections
import functools
import importlib
import inspect
import json
import os
import pkgutil
import re
import shlex
import shutil
import string as _string
import sys
import tarfile
import tempfile
import types
import urllib.parse
import warnings
import zipfile

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
_HERE = os.path.dirname(os.path.abspath(__file__))
_SCRATCH = tempfile.mkdtemp(prefix="programs_harness_")
atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)
os.environ["KERAS_HOME"] = os.path.join(_SCRATCH, "keras_home")
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import harness_standins  # noqa: E402
import numpy as np  # noqa: E402

# matplotlib and Pillow are not test dependencies: where one is missing, a stand-in takes its place
# (before Keras is imported, since Keras looks for Pillow once, on import).
harness_standins.install()

_INSTALLED = False
_ORIG = {}
FIT_CAP = 16
EVAL_CAP = 32
PREDICT_CAP = 256

# ==========================================================================
# file / download stand-ins
# ==========================================================================


def _downloads_dir():
    d = os.path.join(_SCRATCH, "downloads")
    os.makedirs(d, exist_ok=True)
    return d


def _url_basename(url):
    return os.path.basename(urllib.parse.urlsplit(url).path.rstrip("/"))


def resolve_path(p):
    """Map a URL or a missing well-known path onto a synthetic local file."""
    import harness_data as hd

    if not isinstance(p, (str, os.PathLike)):
        return p
    s = os.fspath(p)
    if not isinstance(s, str):
        return p
    if re.match(r"^(https?|ftp)://", s):
        key = hd.lookup(s)
        if key is None:
            raise OSError("[harness] no network and no synthetic stand-in for %s" % s)
        name = _url_basename(s) or key.rsplit("/", 1)[-1]
        dest = os.path.join(_downloads_dir(), key.replace("/", "__") + "__" + name)
        if not os.path.exists(dest):
            hd.materialize(key, dest, name_hint=name)
        return dest
    if os.path.exists(s):
        return p
    key = hd.lookup(s)
    if key is None:
        return p
    if os.path.isabs(s):
        dest = os.path.join(_SCRATCH, "mirror", s.lstrip("/"))
    else:
        dest = s
    if not os.path.exists(dest):
        hd.materialize(key, dest, name_hint=os.path.basename(s))
    return dest


def _fake_urlretrieve(url, filename=None, reporthook=None, data=None):
    import harness_data as hd

    key = hd.lookup(url)
    if key is None:
        raise OSError("[harness] no network and no synthetic stand-in for %s" % url)
    if filename is None:
        filename = os.path.join(_downloads_dir(), _url_basename(url))
    hd.materialize(key, filename, name_hint=_url_basename(url))
    if reporthook is not None:
        size = os.path.getsize(filename) if os.path.isfile(filename) else 0
        reporthook(1, max(size, 1), max(size, 1))
    return filename, {}


def _wrap_reader(fn):
    @functools.wraps(fn)
    def reader(fname, *args, **kwargs):
        return fn(resolve_path(fname), *args, **kwargs)

    reader.__harness_wrapped__ = True
    return reader


def _install_file_standins():
    import urllib.request

    import harness_data as hd
    import pandas as pd
    import sklearn.datasets

    urllib.request.urlretrieve = _fake_urlretrieve
    for mod, names in ((pd, ("read_csv", "read_table", "read_json", "read_fwf")),
                       (np, ("loadtxt", "genfromtxt", "load"))):
        for n in names:
            f = getattr(mod, n)
            if not getattr(f, "__harness_wrapped__", False):
                setattr(mod, n, _wrap_reader(f))

    orig_open = builtins.open

    def open_(file, mode="r", *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and not any(c in mode for c in "wax+"):
            file = resolve_path(file)
        return orig_open(file, mode, *args, **kwargs)

    if not getattr(builtins.open, "__harness_wrapped__", False):
        open_.__harness_wrapped__ = True
        builtins.open = open_
    sklearn.datasets.fetch_california_housing = hd.fetch_california_housing


# ==========================================================================
# Keras API module bookkeeping
# ==========================================================================


def _import_api_tree(pkgname):
    pkg = importlib.import_module(pkgname)
    for info in pkgutil.iter_modules(getattr(pkg, "__path__", [])):
        if info.name == "src" or info.name == "__pycache__":
            continue
        full = pkgname + "." + info.name
        try:
            importlib.import_module(full)
        except Exception:
            continue
        if info.ispkg:
            _import_api_tree(full)


def _api_modules():
    out = []
    for n, m in list(sys.modules.items()):
        if m is None or not isinstance(m, types.ModuleType):
            continue
        if n == "keras" or (n.startswith("keras.") and not n.startswith("keras.src")):
            out.append(m)
    return out


def _replace_everywhere(orig, new):
    for m in _api_modules():
        for k, v in list(vars(m).items()):
            if v is orig:
                setattr(m, k, new)


def _alias_modules():
    """tensorflow.keras.X and tf_keras.X -> keras._tf_keras.keras.X"""
    base = "keras._tf_keras.keras"
    for n, m in list(sys.modules.items()):
        if n == base or n.startswith(base + "."):
            rest = n[len(base):]
            sys.modules["tensorflow.keras" + rest] = m
            sys.modules["tf_keras" + rest] = m


# ==========================================================================
# lookup / text layers (need TensorFlow in Keras 3)
# ==========================================================================


def _make_lookup_layers():
    import harness_tf as htf
    import keras

    def _txt(v):
        return htf._to_text(v)

    class _LookupBase(keras.layers.Layer):
        _is_string = True

        def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=None, vocabulary=None,
                     vocabulary_dtype=None, idf_weights=None, invert=False, output_mode="int", sparse=False,
                     pad_to_max_tokens=False, encoding="utf-8", name=None, **kwargs):
            kwargs.pop("dtype", None)
            super().__init__(name=name, **kwargs)
            self.max_tokens = max_tokens
            self.num_oov_indices = num_oov_indices
            self.mask_token = mask_token
            self.oov_token = oov_token
            self.invert = invert
            self.output_mode = output_mode
            self.pad_to_max_tokens = pad_to_max_tokens
            self._vocab = []
            if vocabulary is not None:
                self.set_vocabulary(vocabulary)

        def _norm(self, v):
            if self._is_string:
                return _txt(v)
            return int(v)

        def _specials(self):
            s = []
            if self.mask_token is not None:
                s.append(self._norm(self.mask_token))
            s += [self._norm(self.oov_token)] * self.num_oov_indices
            return s

        def set_vocabulary(self, vocabulary, idf_weights=None):
            if isinstance(vocabulary, str) and os.path.exists(vocabulary):
                with open(vocabulary, encoding="utf-8") as f:
                    vocabulary = [ln.rstrip("\n") for ln in f]
            vocab = [self._norm(v) for v in np.asarray(vocabulary, dtype=object).ravel().tolist()]
            specials = set(self._specials())
            self._vocab = [v for v in vocab if v not in specials]
            self._rebuild()

        def _rebuild(self):
            off = len(self._specials())
            self._index = {t: i + off for i, t in enumerate(self._vocab)}
            self._inverse = self.get_vocabulary()

        def get_vocabulary(self, include_special_tokens=True):
            v = list(self._vocab)
            return (self._specials() + v) if include_special_tokens else v

        def vocabulary_size(self):
            return len(self._vocab) + len(self._specials())

        def adapt(self, data, steps=None, batch_size=None):
            counts = collections.Counter()
            for arr in _iter_adapt_data(data, steps):
                for t in np.asarray(arr, dtype=object).ravel().tolist():
                    counts[self._norm(t)] += 1
            for s in self._specials():
                counts.pop(s, None)
            keep = None
            if self.max_tokens is not None:
                keep = self.max_tokens - len(self._specials())
            self._vocab = [t for t, _ in counts.most_common(keep)]
            self._rebuild()

        def _depth(self):
            if self.pad_to_max_tokens and self.max_tokens:
                return self.max_tokens
            return self.vocabulary_size()

        def _lookup_one(self, t):
            t = self._norm(t)
            if self.mask_token is not None and t == self._norm(self.mask_token):
                return 0
            i = self._index.get(t)
            if i is not None:
                return i
            if self.num_oov_indices == 0:
                return -1
            base = 1 if self.mask_token is not None else 0
            return base + (hash(t) % self.num_oov_indices if self.num_oov_indices > 1 else 0)

        def _eager(self, inputs):
            if isinstance(inputs, list) and inputs and isinstance(inputs[0], np.ndarray) and inputs[0].ndim >= 1:
                return [self._eager(x) for x in inputs]
            if self.invert:
                arr = np.asarray(keras.ops.convert_to_numpy(inputs) if not isinstance(inputs, np.ndarray) else inputs)
                out = np.empty(arr.shape, dtype=object)
                for idx, v in np.ndenumerate(arr):
                    v = int(v)
                    tok = self._inverse[v] if 0 <= v < len(self._inverse) else self._norm(self.oov_token)
                    out[idx] = htf._to_bytes(tok) if self._is_string else tok
                return htf.wrap(out if self._is_string else out.astype("int64"))
            arr = htf.string_array(inputs) if self._is_string else np.asarray(keras.ops.convert_to_numpy(inputs))
            arr = np.asarray(arr.view(np.ndarray) if isinstance(arr, np.ndarray) else arr)
            idx = np.empty(arr.shape, dtype="int64")
            for k, v in np.ndenumerate(arr):
                idx[k] = self._lookup_one(v)
            return htf.wrap(self._encode(idx))

        def _encode(self, idx):
            depth = self._depth()
            if self.output_mode == "int":
                return idx
            if self.output_mode == "one_hot":
                if idx.ndim >= 1 and idx.shape[-1] == 1:
                    idx = idx[..., 0]
                return np.eye(depth, dtype="float32")[idx]
            rows = idx.reshape(1, -1) if idx.ndim <= 1 else idx.reshape(-1, idx.shape[-1])
            out = np.zeros((rows.shape[0], depth), dtype="float32")
            for r, row in enumerate(rows):
                for i in row:
                    if self.output_mode == "count":
                        out[r, i] += 1
                    else:
                        out[r, i] = 1
            if idx.ndim <= 1:
                return out[0]
            return out.reshape(idx.shape[:-1] + (depth,))

        def __call__(self, inputs, *args, **kwargs):
            if keras.backend.is_keras_tensor(inputs):
                return super().__call__(inputs, *args, **kwargs)
            return self._eager(inputs)

        def call(self, inputs):
            raise NotImplementedError("[harness] lookup layers run eagerly on NumPy/string data only")

        def compute_output_spec(self, inputs):
            shape = tuple(inputs.shape)
            if self.invert:
                return keras.KerasTensor(shape, dtype="string" if self._is_string else "int64")
            if self.output_mode == "int":
                return keras.KerasTensor(shape, dtype="int64")
            if self.output_mode == "one_hot" and shape and shape[-1] == 1:
                shape = shape[:-1]
            elif self.output_mode != "one_hot":
                shape = shape[:-1] if len(shape) > 1 else ()
            return keras.KerasTensor(shape + (self._depth(),), dtype="float32")

        def get_config(self):
            c = super().get_config()
            c.update(max_tokens=self.max_tokens, num_oov_indices=self.num_oov_indices, mask_token=self.mask_token,
                     oov_token=self.oov_token, vocabulary=list(self._vocab), invert=self.invert,
                     output_mode=self.output_mode, pad_to_max_tokens=self.pad_to_max_tokens)
            return c

    class StringLookup(_LookupBase):
        """NumPy stand-in for keras.layers.StringLookup."""

        def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]", vocabulary=None,
                     idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
                     encoding="utf-8", name=None, **kwargs):
            super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                             oov_token=oov_token, vocabulary=vocabulary, invert=invert, output_mode=output_mode,
                             pad_to_max_tokens=pad_to_max_tokens, name=name, **kwargs)

    class IntegerLookup(_LookupBase):
        """NumPy stand-in for keras.layers.IntegerLookup."""

        _is_string = False

        def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1, vocabulary=None,
                     vocabulary_dtype="int64", idf_weights=None, invert=False, output_mode="int", sparse=False,
                     pad_to_max_tokens=False, name=None, **kwargs):
            super().__init__(max_tokens=max_tokens, num_oov_indices=num_oov_indices, mask_token=mask_token,
                             oov_token=oov_token, vocabulary=vocabulary, invert=invert, output_mode=output_mode,
                             pad_to_max_tokens=pad_to_max_tokens, name=name, **kwargs)

    _PUNCT = re.compile("[%s]" % re.escape(_string.punctuation))

    class TextVectorization(keras.layers.Layer):
        """NumPy stand-in for keras.layers.TextVectorization."""

        def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation", split="whitespace", ngrams=None,
                     output_mode="int", output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                     idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None, **kwargs):
            kwargs.pop("dtype", None)
            super().__init__(name=name, **kwargs)
            self.max_tokens = max_tokens
            self.standardize = standardize
            self.split = split
            self.ngrams = (tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else tuple(ngrams)) if ngrams else None
            self.output_mode = output_mode
            self.output_sequence_length = output_sequence_length
            self.pad_to_max_tokens = pad_to_max_tokens
            self.ragged = ragged
            self._vocab = []
            self._idf = None
            if vocabulary is not None:
                self.set_vocabulary(vocabulary, idf_weights)

        def _specials(self):
            return ["", "[UNK]"] if self.output_mode == "int" else ["[UNK]"]

        def _standardize_all(self, arr):
            st = self.standardize
            if st is None:
                return [_txt(v) for v in arr.ravel().tolist()]
            if callable(st):
                out = st(htf.wrap(arr))
                return [_txt(v) for v in np.asarray(htf.string_array(out)).ravel().tolist()]
            res = []
            for v in arr.ravel().tolist():
                s = _txt(v)
                if st in ("lower", "lower_and_strip_punctuation"):
                    s = s.lower()
                if st in ("strip_punctuation", "lower_and_strip_punctuation"):
                    s = _PUNCT.sub("", s)
                res.append(s)
            return res

        def _tokens(self, s):
            if self.split is None:
                toks = [s]
            elif self.split == "whitespace":
                toks = s.split()
            elif self.split == "character":
                toks = list(s)
            else:
                toks = [_txt(t) for t in np.asarray(self.split(htf.string_array(np.array(s, dtype=object)))).ravel().tolist()]
            if self.ngrams:
                grams = []
                for n in self.ngrams:
                    grams += [" ".join(toks[i:i + n]) for i in range(len(toks) - n + 1)]
                toks = grams
            return toks

        def _prep(self, inputs):
            arr = np.asarray(htf.string_array(inputs).view(np.ndarray))
            scalar = arr.ndim == 0
            if arr.ndim >= 2 and arr.shape[-1] == 1:
                arr = arr[..., 0]
            return arr, scalar

        def adapt(self, data, batch_size=None, steps=None):
            counts = collections.Counter()
            docs = collections.Counter()
            n_docs = 0
            for batch in _iter_adapt_data(data, steps):
                arr, _ = self._prep(batch)
                for s in self._standardize_all(np.atleast_1d(arr)):
                    toks = self._tokens(s)
                    counts.update(toks)
                    docs.update(set(toks))
                    n_docs += 1
            for sp in ("", "[UNK]"):
                counts.pop(sp, None)
            keep = None if self.max_tokens is None else self.max_tokens - len(self._specials())
            self._vocab = [t for t, _ in counts.most_common(keep)]
            if self.output_mode == "tf_idf":
                self._idf = np.array([np.log(1 + n_docs / (1 + docs[t])) for t in self._vocab], dtype="float32")
            self._index = {t: i + len(self._specials()) for i, t in enumerate(self._vocab)}

        def set_vocabulary(self, vocabulary, idf_weights=None):
            if isinstance(vocabulary, str) and os.path.exists(vocabulary):
                with open(vocabulary, encoding="utf-8") as f:
                    vocabulary = [ln.rstrip("\n") for ln in f]
            vocab = [_txt(v) for v in vocabulary]
            self._vocab = [v for v in vocab if v not in ("", "[UNK]")]
            self._idf = None if idf_weights is None else np.asarray(idf_weights, dtype="float32")
            self._index = {t: i + len(self._specials()) for i, t in enumerate(self._vocab)}

        def get_vocabulary(self, include_special_tokens=True):
            return (self._specials() if include_special_tokens else []) + list(self._vocab)

        def vocabulary_size(self):
            return len(self._vocab) + len(self._specials())

        def _depth(self):
            if self.pad_to_max_tokens and self.max_tokens:
                return self.max_tokens
            return self.vocabulary_size()

        def __call__(self, inputs, *args, **kwargs):
            if keras.backend.is_keras_tensor(inputs):
                return super().__call__(inputs, *args, **kwargs)
            return self._eager(inputs)

        def call(self, inputs):
            raise NotImplementedError("[harness] TextVectorization runs eagerly on string data only")

        def _eager(self, inputs):
            if not hasattr(self, "_index"):
                self._index = {}
            arr, scalar = self._prep(inputs)
            texts = self._standardize_all(np.atleast_1d(arr))
            seqs = [[self._index.get(t, 1 if self.output_mode == "int" else 0) for t in self._tokens(s)] for s in texts]
            if self.output_mode == "int":
                L = self.output_sequence_length or max([len(s) for s in seqs] + [0])
                out = np.zeros((len(seqs), L), dtype="int64")
                for i, s in enumerate(seqs):
                    s = s[:L]
                    out[i, :len(s)] = s
            else:
                out = np.zeros((len(seqs), self._depth()), dtype="float32")
                for i, s in enumerate(seqs):
                    for t in s:
                        if self.output_mode == "multi_hot":
                            out[i, t] = 1.0
                        else:
                            out[i, t] += 1.0
                if self.output_mode == "tf_idf" and self._idf is not None:
                    idf = np.concatenate([[np.mean(self._idf) if len(self._idf) else 0.0], self._idf])
                    out[:, :len(idf)] *= idf[: out.shape[1]]
            if scalar:
                out = out[0]
            return htf.wrap(out)

        def compute_output_spec(self, inputs):
            shape = tuple(inputs.shape)
            if len(shape) >= 2 and shape[-1] == 1:
                shape = shape[:-1]
            if self.output_mode == "int":
                return keras.KerasTensor(shape + (self.output_sequence_length,), dtype="int64")
            return keras.KerasTensor(shape + (self._depth(),), dtype="float32")

        def get_config(self):
            c = super().get_config()
            c.update(max_tokens=self.max_tokens, output_mode=self.output_mode,
                     output_sequence_length=self.output_sequence_length, pad_to_max_tokens=self.pad_to_max_tokens,
                     vocabulary=list(self._vocab),
                     standardize=self.standardize if not callable(self.standardize) else None,
                     split=self.split if not callable(self.split) else None)
            return c

    return StringLookup, IntegerLookup, TextVectorization


def _make_hashing_layers():
    """Hashing / HashedCrossing (need TensorFlow in Keras 3): strings are hashed eagerly in NumPy
    (crc32, deterministic); integer inputs are mixed with keras.ops so they also work when traced.
    Same output shapes/dtypes as the real layers ("int", "one_hot", "multi_hot"/"count")."""
    import zlib

    import harness_tf as htf
    import keras
    from keras import ops

    def _str_hash(v, salt):
        return zlib.crc32(htf._to_bytes(v) + (b"" if salt is None else str(salt).encode()))

    def _is_strings(x):
        return isinstance(x, (str, bytes, list)) or (isinstance(x, np.ndarray) and x.dtype.kind in "OSU")

    def _encode(idx, bins, mode, backend_ops):
        if mode == "int":
            return idx
        squeeze = len(idx.shape) >= 2 and idx.shape[-1] == 1
        if mode == "one_hot":
            if squeeze:
                idx = idx[..., 0]
            return backend_ops.one_hot(idx, bins)
        oh = backend_ops.one_hot(idx, bins)
        return backend_ops.sum(oh, axis=-2) if mode == "count" else backend_ops.max(oh, axis=-2)

    class _NpOps:
        @staticmethod
        def one_hot(idx, bins):
            return np.eye(bins, dtype="float32")[np.asarray(idx)]

        sum = staticmethod(lambda a, axis: np.sum(a, axis=axis))
        max = staticmethod(lambda a, axis: np.max(a, axis=axis))

    def _out_spec(shape, bins, mode):
        shape = tuple(shape)
        if mode == "int":
            return keras.KerasTensor(shape, dtype="int64")
        if shape and shape[-1] == 1 or mode != "one_hot":
            shape = shape[:-1]
        return keras.KerasTensor(shape + (bins,), dtype="float32")

    class Hashing(keras.layers.Layer):
        def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, name=None, **kwargs):
            kwargs.pop("dtype", None)
            super().__init__(name=name, **kwargs)
            self.num_bins, self.mask_value, self.salt, self.output_mode = num_bins, mask_value, salt, output_mode

        def _np_hash(self, arr):
            arr = np.asarray(arr, dtype=object)
            out = np.empty(arr.shape, dtype="int64")
            masked = 1 if self.mask_value is not None else 0
            for k, v in np.ndenumerate(arr):
                if self.mask_value is not None and htf._to_text(v) == htf._to_text(self.mask_value):
                    out[k] = 0
                else:
                    out[k] = masked + _str_hash(v, self.salt) % (self.num_bins - masked)
            return out

        def call(self, inputs):
            x = ops.cast(inputs, "int32")
            idx = ops.mod(ops.abs(x * 40503 + (0 if self.salt is None else int(np.sum(self.salt)) % 9973)), self.num_bins)
            return _encode(idx, self.num_bins, self.output_mode, ops)

        def compute_output_spec(self, inputs):
            return _out_spec(inputs.shape, self.num_bins, self.output_mode)

        def __call__(self, inputs, *args, **kwargs):
            if keras.backend.is_keras_tensor(inputs):
                return super().__call__(inputs, *args, **kwargs)
            if _is_strings(inputs) or isinstance(inputs, htf.EagerTensor) and inputs.dtype.kind in "OSU":
                return htf.wrap(_encode(self._np_hash(htf.string_array(inputs)), self.num_bins, self.output_mode, _NpOps))
            return super().__call__(inputs, *args, **kwargs)

    class HashedCrossing(keras.layers.Layer):
        def __init__(self, num_bins, output_mode="int", sparse=False, name=None, **kwargs):
            kwargs.pop("dtype", None)
            super().__init__(name=name, **kwargs)
            self.num_bins, self.output_mode = num_bins, output_mode

        def call(self, inputs):
            h = None
            for t in inputs:
                t = ops.cast(t, "int32")
                h = t if h is None else ops.mod(h * 1000003 + t, 2 ** 30)
            idx = ops.mod(ops.abs(h), self.num_bins)
            return _encode(idx, self.num_bins, self.output_mode, ops)

        def compute_output_spec(self, inputs):
            return _out_spec(inputs[0].shape, self.num_bins, self.output_mode)

        def __call__(self, inputs, *args, **kwargs):
            inputs = tuple(inputs)
            if any(keras.backend.is_keras_tensor(t) for t in inputs):
                return super().__call__(inputs, *args, **kwargs)
            if any(_is_strings(t) for t in inputs):
                arrs = [np.asarray(htf.string_array(t), dtype=object) for t in inputs]
                out = np.empty(arrs[0].shape, dtype="int64")
                for k, _ in np.ndenumerate(arrs[0]):
                    out[k] = _str_hash(b"_X_".join(htf._to_bytes(a[k]) for a in arrs), None) % self.num_bins
                return htf.wrap(_encode(out, self.num_bins, self.output_mode, _NpOps))
            return super().__call__(inputs, *args, **kwargs)

    return Hashing, HashedCrossing


def _iter_adapt_data(data, steps=None):
    """Yield arrays from whatever adapt() was given (array, list, dataset)."""
    import harness_tf as htf

    if isinstance(data, htf.Dataset):
        it = iter(data) if steps is None else iter(data.take(steps))
        for e in it:
            if isinstance(e, tuple):
                e = e[0]
            yield e
    elif isinstance(data, (list, tuple)) and data and isinstance(data[0], np.ndarray) and data[0].ndim >= 1:
        for e in data:
            yield e
    else:
        yield data


def _dataset_to_array(ds):
    arrays = []
    for e in ds:
        if isinstance(e, tuple):
            e = e[0]
        arrays.append(np.asarray(e))
    if not arrays:
        raise ValueError("adapt() received an empty dataset")
    if arrays[0].ndim <= 1:
        return np.stack(arrays)
    return np.concatenate(arrays, axis=0)


# ==========================================================================
# Model.fit / evaluate / predict
# ==========================================================================


def _plain(s):
    import keras

    def conv(a):
        if isinstance(a, np.ndarray) and type(a) is not np.ndarray:
            return a.view(np.ndarray)
        return a

    return keras.tree.map_structure(conv, s)


def _unpack(e):
    if isinstance(e, tuple) and not hasattr(e, "_fields"):
        if len(e) == 1:
            return e[0], None, None
        if len(e) == 2:
            return e[0], e[1], None
        if len(e) == 3:
            return e[0], e[1], e[2]
    return e, None, None


def _is_iterator(x):
    return isinstance(x, types.GeneratorType) or (
        hasattr(x, "__next__") and hasattr(x, "__iter__") and not isinstance(x, (np.ndarray, str, bytes)))


def _first_element(x):
    import harness_tf as htf
    import keras

    if isinstance(x, htf.Dataset):
        return next(iter(x))
    if isinstance(x, keras.utils.PyDataset):
        return x[0]
    if _is_iterator(x):
        return next(x)
    return None


def _nrows(s):
    import keras

    for leaf in keras.tree.flatten(s):
        if leaf is not None and hasattr(leaf, "shape") and len(getattr(leaf, "shape", ())) > 0:
            return int(leaf.shape[0])
        if isinstance(leaf, (list,)):
            return len(leaf)
    return None


def _slice(s, n):
    import keras

    if s is None or n is None:
        return s

    def cut(a):
        if a is None:
            return None
        if hasattr(a, "iloc"):
            return a.iloc[:n]
        if hasattr(a, "shape") and len(a.shape) > 0:
            return a[:n]
        return a

    return keras.tree.map_structure(cut, s)


def _fixed_batch(model):
    try:
        ins = model.inputs
    except Exception:
        return None
    for t in ins or []:
        if t.shape and t.shape[0] is not None:
            return int(t.shape[0])
    return None


def _one_batch(model, x, y=None, sample_weight=None, batch_size=None, cap=FIT_CAP):
    """Reduce fit/evaluate input to one small (x, y, sample_weight) batch."""
    is_stream = False
    e = _first_element(x)
    if e is not None:
        is_stream = True
        x, y, sample_weight = _unpack(e)
    fixed = _fixed_batch(model)
    n = fixed or min(int(batch_size or cap), cap)
    if not is_stream or fixed:
        x, y, sample_weight = _slice(x, n), _slice(y, n), _slice(sample_weight, n)
    else:
        x, y, sample_weight = _slice(x, cap), _slice(y, cap), _slice(sample_weight, cap)
    if isinstance(x, list) and x and not hasattr(x[0], "shape"):
        x = np.asarray(x)
    if isinstance(y, list) and y and not hasattr(y[0], "shape"):
        y = np.asarray(y)
    return _plain(x), _plain(y), _plain(sample_weight), is_stream


def _tf_style(model, method):
    import keras

    fn = getattr(type(model), method, None)
    base = getattr(keras.Model, method, None)
    if fn is None or fn is base:
        return False
    params = [p for p in inspect.signature(fn).parameters.values()
              if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(params) == 2


def _to_backend(s):
    import keras

    def conv(a):
        if isinstance(a, np.ndarray) and a.dtype != object:
            return keras.ops.convert_to_tensor(a)
        return a

    return keras.tree.map_structure(conv, s)


def _logs_to_floats(logs):
    out = {}
    for k, v in dict(logs or {}).items():
        try:
            out[k] = float(np.asarray(v))
        except Exception:
            out[k] = v
    return out


def _pack_data(x, y, sw):
    if y is None and sw is None:
        return x
    if sw is None:
        return (x, y)
    return (x, y, sw)


def _manual_fit(model, data, callbacks, val_data=None):
    import keras

    cbl = keras.callbacks.CallbackList(callbacks, add_history=True, add_progbar=False, model=model,
                                       verbose=0, epochs=1, steps=1)
    model.stop_training = False
    cbl.on_train_begin()
    cbl.on_epoch_begin(0)
    cbl.on_train_batch_begin(0)
    logs = _logs_to_floats(model.train_step(_to_backend(data)))
    cbl.on_train_batch_end(0, logs)
    if val_data is not None and _tf_style(model, "test_step"):
        # (batch n) as Keras does after each epoch: reset the metrics, run test_step, log as val_*
        for m in model.metrics:
            m.reset_state()
        val_logs = _logs_to_floats(model.test_step(_to_backend(val_data)))
        logs = {**logs, **{"val_" + k: v for k, v in val_logs.items()}}
    cbl.on_epoch_end(0, logs)
    cbl.on_train_end(logs)
    return model.history


def _pad_history(hist, initial_epoch, epochs):
    if hist is None or not hasattr(hist, "history"):
        return hist
    n = int(epochs) - int(initial_epoch)
    n = max(n, 0)
    hist.epoch = list(range(int(initial_epoch), int(initial_epoch) + n))
    for k, v in list(hist.history.items()):
        if v:
            hist.history[k] = [v[-1]] * n
    return hist


def _fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, validation_split=0.0,
         validation_data=None, shuffle=True, class_weight=None, sample_weight=None, initial_epoch=0,
         steps_per_epoch=None, validation_steps=None, validation_batch_size=None, validation_freq=1, **kwargs):
    xb, yb, swb, is_stream = _one_batch(self, x, y, sample_weight, batch_size)
    vd = None
    if validation_data is not None:
        if isinstance(validation_data, tuple):
            vx, vy, vsw, _ = _one_batch(self, validation_data[0], validation_data[1] if len(validation_data) > 1 else None,
                                        validation_data[2] if len(validation_data) > 2 else None, validation_batch_size or batch_size)
        else:
            vx, vy, vsw, _ = _one_batch(self, validation_data, None, None, validation_batch_size or batch_size)
        vd = (vx, vy) if vsw is None else (vx, vy, vsw)
    callbacks = list(callbacks or [])
    if _tf_style(self, "train_step"):
        hist = _manual_fit(self, _pack_data(xb, yb, swb), callbacks,
                           None if vd is None else _pack_data(*(tuple(vd) + (None,) * (3 - len(vd)))))
    else:
        hist = _ORIG["fit"](self, xb, yb, batch_size=_nrows(xb), epochs=1, verbose=0, callbacks=callbacks,
                            validation_split=0.0 if is_stream else validation_split, validation_data=vd,
                            shuffle=False, class_weight=class_weight, sample_weight=swb, initial_epoch=0,
                            validation_freq=1)
    return _pad_history(hist, initial_epoch, epochs)


def _evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None, callbacks=None,
              return_dict=False, **kwargs):
    xb, yb, swb, _ = _one_batch(self, x, y, sample_weight, batch_size, cap=EVAL_CAP)
    if _tf_style(self, "test_step"):
        logs = _logs_to_floats(self.test_step(_to_backend(_pack_data(xb, yb, swb))))
        return logs if return_dict else (list(logs.values())[0] if len(logs) == 1 else list(logs.values()))
    return _ORIG["evaluate"](self, xb, yb, batch_size=_nrows(xb), verbose=0, sample_weight=swb, callbacks=callbacks,
                             return_dict=return_dict)


def _concat_structures(parts):
    import keras

    return keras.tree.map_structure(lambda *xs: np.concatenate([np.asarray(a) for a in xs], axis=0), *parts)


def _is_string_array(x):
    if not isinstance(x, (list, tuple, np.ndarray)):
        return False
    try:
        return np.asarray(x).dtype.kind in "OSU"
    except (ValueError, TypeError):
        return False


def _predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
    import harness_tf as htf
    import keras

    if isinstance(x, (htf.Dataset, keras.utils.PyDataset)) or _is_iterator(x):
        parts = []
        if isinstance(x, keras.utils.PyDataset):
            n_batches = len(x) if steps is None else min(steps, len(x))
            it = (x[i] for i in range(n_batches))
        elif isinstance(x, htf.Dataset):
            it = iter(x if steps is None else x.take(steps))
        else:
            it = x if steps is None else (next(x) for _ in range(steps))
        total = 0
        for e in it:
            xe, _, _ = _unpack(e)
            parts.append(_plain(xe))
            total += _nrows(xe) or 0
            if total >= PREDICT_CAP:
                break
        bs = _nrows(parts[0]) if parts else None
        x = _concat_structures(parts)
        batch_size = bs
    n = _nrows(x)
    xs = _slice(x, PREDICT_CAP) if n and n > PREDICT_CAP else x
    fixed = _fixed_batch(self)
    if _is_string_array(xs) and isinstance(self, keras.Sequential):
        # (batch n) raw strings into a Sequential that starts with a text/lookup layer (an "export" model):
        # TensorFlow's predict takes tf.string, Keras' own loop cannot, so run the layers eagerly in order
        out = xs
        for layer in self.layers:
            out = layer(out)
        return np.asarray(out)
    out = _ORIG["predict"](self, _plain(xs), batch_size=fixed or batch_size, verbose=0, callbacks=callbacks)
    if n and n > PREDICT_CAP:
        reps = -(-n // PREDICT_CAP)
        out = keras.tree.map_structure(lambda a: np.concatenate([a] * reps, axis=0)[:n], out)
    return out


# ==========================================================================
# installation
# ==========================================================================


def install():
    global _INSTALLED
    if _INSTALLED:
        return
    warnings.filterwarnings("ignore")
    import jax

    try:
        jax.config.update("jax_compilation_cache_dir", os.path.join(tempfile.gettempdir(), "programs_harness_jax_cache"))
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 1.0)
    except Exception:
        pass
    jax.Array.numpy = lambda self: np.asarray(self)
    jax.Array.set_shape = lambda self, shape: None

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.show = lambda *a, **k: plt.close("all")

    import keras
    from keras.src.utils import image_utils, module_utils

    if image_utils.pil_image is None and "PIL.Image" in sys.modules:  # Keras was imported before the stand-in
        pil_image = sys.modules["PIL.Image"]
        image_utils.pil_image, image_utils.pil_image_resampling = pil_image, pil_image.Resampling
        image_utils.PIL_INTERPOLATION_METHODS = {
            k: getattr(pil_image.Resampling, k.upper()) for k in ("nearest", "bilinear", "bicubic", "hamming", "box", "lanczos")}

    # Keras keeps seeing "no TensorFlow" even though `tensorflow` imports.
    module_utils.tensorflow.module = types.SimpleNamespace(executing_eagerly=lambda: True)
    module_utils.tensorflow._available = False

    _import_api_tree("keras")
    _import_api_tree("keras._tf_keras.keras")
    _alias_modules()

    import harness_data as hd
    import harness_tf as htf

    htf.register(sys.modules["keras._tf_keras.keras"], sys.modules)
    # `tf.keras.layers.AlphaDropout` / `ThresholdedReLU` / `RandomHeight` / `RandomWidth` are Keras' legacy
    # layers, written on TensorFlow ops (module-level `tf`): with TF installed they work, so they get the stand-in.
    import keras.src.legacy.layers as _legacy_layers

    _legacy_layers.tf = sys.modules["tensorflow"]

    # datasets
    for name, fns in hd.DATASETS.items():
        for m in _api_modules():
            if m.__name__.endswith("datasets." + name):
                for fname, fn in fns.items():
                    setattr(m, fname, fn)

    # downloads
    from keras.src.utils import file_utils

    file_utils.urlretrieve = _fake_urlretrieve
    _install_file_standins()

    # dataset utilities
    from keras.src.utils import audio_dataset_utils, image_dataset_utils, text_dataset_utils, timeseries_dataset_utils

    _replace_everywhere(image_dataset_utils.image_dataset_from_directory,
                        hd.make_image_dataset_from_directory(htf.Dataset))
    _replace_everywhere(text_dataset_utils.text_dataset_from_directory,
                        hd.make_text_dataset_from_directory(htf.Dataset, htf.string_array))
    _replace_everywhere(timeseries_dataset_utils.timeseries_dataset_from_array,
                        hd.make_timeseries_dataset_from_array(htf.Dataset))
    _replace_everywhere(audio_dataset_utils.audio_dataset_from_directory,
                        hd.make_audio_dataset_from_directory(htf.Dataset))

    # lookup / text layers
    from keras.src.layers.preprocessing import integer_lookup, string_lookup, text_vectorization

    sl, il, tv = _make_lookup_layers()
    _replace_everywhere(string_lookup.StringLookup, sl)
    _replace_everywhere(integer_lookup.IntegerLookup, il)
    _replace_everywhere(text_vectorization.TextVectorization, tv)

    # (added, batch o) a functional model with a `dtype="string"` Input called eagerly on strings (an exported
    # end-to-end text model): with TensorFlow the strings stay a tf.string tensor; here they stay a NumPy
    # object array for the (eager, NumPy) text layers instead of going through `ops.convert_to_tensor`.
    from keras.src.models import functional as _functional

    _orig_convert = _functional.Functional._convert_inputs_to_tensors

    def _convert_inputs_to_tensors(self, flat_inputs):
        if not any(getattr(t, "dtype", None) == "string" for t in self._inputs):
            return _orig_convert(self, flat_inputs)
        return [x if x is None else htf.string_array(x) if getattr(t, "dtype", None) == "string"
                else keras.ops.convert_to_tensor(x, t.dtype) for x, t in zip(flat_inputs, self._inputs)]

    _functional.Functional._convert_inputs_to_tensors = _convert_inputs_to_tensors

    # hashing layers (Keras 3 needs TensorFlow for them)
    from keras.src.layers.preprocessing import hashed_crossing, hashing

    hl, hc = _make_hashing_layers()
    _replace_everywhere(hashing.Hashing, hl)
    _replace_everywhere(hashed_crossing.HashedCrossing, hc)

    # Normalization.adapt on the dataset stand-in
    from keras.src.layers.preprocessing.normalization import Normalization

    orig_adapt = Normalization.adapt

    def adapt(self, data):
        if isinstance(data, htf.Dataset):
            data = _dataset_to_array(data)
        return orig_adapt(self, data)

    Normalization.adapt = adapt

    # pretrained weights
    _patch_applications()

    # callbacks / visualisation needing TF or pydot
    class TensorBoard(keras.callbacks.Callback):
        """No-op stand-in (Keras' TensorBoard callback needs TensorFlow)."""

        def __init__(self, log_dir="logs", **kwargs):
            super().__init__()
            self.log_dir = log_dir

    _replace_everywhere(keras.callbacks.TensorBoard, TensorBoard)
    from keras.src.utils import model_visualization

    orig_plot = model_visualization.plot_model

    def plot_model(model, to_file="model.png", *args, **kwargs):
        try:
            return orig_plot(model, to_file, *args, **kwargs)
        except ImportError as e:
            print("[harness] plot_model skipped:", str(e).splitlines()[0])
            return None

    _replace_everywhere(orig_plot, plot_model)

    # training cost
    _ORIG["fit"] = keras.Model.fit
    _ORIG["evaluate"] = keras.Model.evaluate
    _ORIG["predict"] = keras.Model.predict
    keras.Model.fit = _fit
    keras.Model.evaluate = _evaluate
    keras.Model.predict = _predict

    try:
        from IPython.display import display

        builtins.display = display
    except Exception:
        pass
    _INSTALLED = True


def _patch_applications():
    wrapped = {}
    for m in _api_modules():
        if ".applications" not in m.__name__:
            continue
        for _name, v in list(vars(m).items()):
            if not inspect.isfunction(v) or not getattr(v, "__module__", "").startswith("keras.src.applications"):
                continue
            try:
                sig = inspect.signature(v)
            except (TypeError, ValueError):
                continue
            if "weights" not in sig.parameters:
                continue
            if v not in wrapped:
                wrapped[v] = _no_pretrained(v, sig)
    for orig, new in wrapped.items():
        _replace_everywhere(orig, new)


def _no_pretrained(fn, sig):
    @functools.wraps(fn)
    def app(*args, **kwargs):
        bound = sig.bind_partial(*args, **kwargs)
        w = bound.arguments.get("weights", sig.parameters["weights"].default)
        if w == "imagenet":
            bound.arguments["weights"] = None
        return fn(*bound.args, **bound.kwargs)

    return app


# ==========================================================================
# notebooks and shell lines
# ==========================================================================


def notebook_to_source(nb):
    """Concatenate code cells; magics -> pass, shell lines -> __harness_shell__."""
    out = []
    for ci, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        if isinstance(src, list):
            src = "".join(src)
        lines = src.split("\n")
        out.append("# ---- cell %d ----" % (ci + 1))
        if lines and lines[0].startswith("%%"):
            magic = lines[0][2:].split()
            name = magic[0] if magic else ""
            if name in ("bash", "sh", "script"):
                for ln in lines[1:]:
                    if ln.strip():
                        out.append("__harness_shell__(%r)" % ln.strip())
                continue
            if name == "writefile":
                out.append("with open(%r, 'w') as __f: __f.write(%r)" % (magic[-1], "\n".join(lines[1:]) + "\n"))
                continue
            out.append("pass  # %s" % lines[0])
            lines = lines[1:]
        i = 0
        while i < len(lines):
            ln = lines[i]
            stripped = ln.lstrip()
            indent = ln[: len(ln) - len(stripped)]
            if stripped.startswith("!") or stripped.startswith("%"):
                cmd = stripped
                while cmd.endswith("\\") and i + 1 < len(lines):
                    i += 1
                    cmd = cmd[:-1] + " " + lines[i].strip()
                if cmd.startswith("!"):
                    out.append("%s__harness_shell__(%r)" % (indent, cmd[1:].strip()))
                else:
                    out.append("%s__harness_magic__(%r)" % (indent, cmd[1:].strip()))
            else:
                out.append(ln)
            i += 1
    return "\n".join(out) + "\n"


def load_source(path):
    if path.endswith(".ipynb"):
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
        return notebook_to_source(nb), True
    with open(path, encoding="utf-8") as f:
        return f.read(), False


def _expand(cmd, ns):
    def sub(m):
        try:
            return str(eval(m.group(1), ns))
        except Exception:
            return m.group(0)

    cmd = re.sub(r"\{([^{}]+)\}", sub, cmd)
    cmd = re.sub(r"\$(\w+)", lambda m: str(ns.get(m.group(1), m.group(0))), cmd)
    return cmd


def _fetch_to(url_or_key, dest):
    import harness_data as hd

    key = hd.lookup(url_or_key)
    if key is None:
        print("[harness] no synthetic data for %s; skipped" % url_or_key)
        return
    hd.materialize(key, dest, name_hint=os.path.basename(dest))


def _shell_one(argv):
    if not argv:
        return
    prog = os.path.basename(argv[0])
    args = argv[1:]
    if prog in ("pip", "pip3", "apt", "apt-get", "conda", "ls", "head", "tail", "cat", "echo", "nvidia-smi", "wc",
                "pwd", "du", "df", "tree", "which", "nproc", "free", "lscpu", "sudo", "tensorboard", "file", "git"):
        if prog == "sudo":
            return _shell_one(args)
        return
    if prog in ("python", "python3") and args[:2] == ["-m", "pip"]:
        return
    if prog == "curl":
        url, out = None, None
        i = 0
        while i < len(args):
            a = args[i]
            if a in ("-o", "--output"):
                out = args[i + 1]
                i += 2
                continue
            if re.match(r"^(https?|ftp)://", a):
                url = a
            i += 1
        if url:
            _fetch_to(url, out or _url_basename(url))
        return
    if prog == "wget":
        url, out, prefix = None, None, "."
        i = 0
        while i < len(args):
            a = args[i]
            if a in ("-O", "--output-document"):
                out = args[i + 1]
                i += 2
                continue
            if a in ("-P", "--directory-prefix"):
                prefix = args[i + 1]
                i += 2
                continue
            if re.match(r"^(https?|ftp)://", a):
                url = a
            i += 1
        if url:
            _fetch_to(url, out or os.path.join(prefix, _url_basename(url)))
        return
    if prog == "kaggle":
        dest = "."
        if "-p" in args:
            dest = args[args.index("-p") + 1]
        if args[:2] == ["competitions", "download"]:
            name = args[args.index("-c") + 1] if "-c" in args else args[-1]
            _fetch_to(name + ".zip", os.path.join(dest, name + ".zip"))
        elif args[:2] == ["datasets", "download"]:
            name = args[args.index("-d") + 1] if "-d" in args else args[-1]
            base = name.split("/")[-1]
            _fetch_to(base + ".zip", os.path.join(dest, base + ".zip"))
        return
    if prog == "unzip":
        files = [a for a in args if not a.startswith("-")]
        dest = "."
        if "-d" in args:
            dest = args[args.index("-d") + 1]
            files = [f for f in files if f != dest]
        with zipfile.ZipFile(files[0]) as z:
            z.extractall(dest)
        return
    if prog == "tar":
        dest = "."
        if "-C" in args:
            dest = args[args.index("-C") + 1]
        archive = None
        for j, a in enumerate(args):
            if a.startswith("-") and "f" in a or (j == 0 and not a.startswith("-") and "f" in a):
                archive = args[j + 1]
                break
        if archive and ("x" in "".join(a for a in args if a.startswith("-") or a == args[0])):
            with tarfile.open(archive) as t:
                t.extractall(dest)
        return
    if prog == "mkdir":
        for d in [a for a in args if not a.startswith("-")]:
            os.makedirs(d, exist_ok=True)
        return
    if prog == "rm":
        for p in [a for a in args if not a.startswith("-")]:
            if os.path.isdir(p):
                shutil.rmtree(p, ignore_errors=True)
            elif os.path.exists(p):
                os.remove(p)
        return
    if prog in ("cp", "mv"):
        paths = [a for a in args if not a.startswith("-")]
        src, dst = paths[:-1], paths[-1]
        for s in src:
            if prog == "mv":
                shutil.move(s, dst)
            elif os.path.isdir(s):
                shutil.copytree(s, os.path.join(dst, os.path.basename(s)) if os.path.isdir(dst) else dst)
            else:
                shutil.copy(s, dst)
        return
    if prog == "cd" and args:
        os.chdir(args[0])
        return
    print("[harness] shell command skipped:", " ".join(argv))


def make_shell(ns):
    def shell(cmd):
        cmd = _expand(cmd, ns)
        for part in re.split(r"&&|;", cmd):
            part = part.strip()
            if part:
                _shell_one(shlex.split(part))

    return shell


def make_magic(ns):
    def magic(line):
        parts = line.split(None, 1)
        name = parts[0] if parts else ""
        arg = parts[1] if len(parts) > 1 else ""
        if name == "cd" and arg:
            os.chdir(_expand(arg, ns))
        elif name == "env" and "=" in arg:
            k, v = arg.split("=", 1)
            os.environ[k.strip()] = v.strip()
        elif name in ("pip", "conda"):
            return
        return None

    return magic


# ==========================================================================
# running a program
# ==========================================================================


def run_program(path):
    """Execute one corpus program; return its module-level namespace."""
    install()
    path = os.path.abspath(path)
    source, is_nb = load_source(path)
    workdir = tempfile.mkdtemp(prefix="run_", dir=_SCRATCH)
    old_cwd, old_argv = os.getcwd(), sys.argv
    os.chdir(workdir)
    sys.argv = [path]
    ns = {"__name__": "__main__", "__file__": path, "__builtins__": builtins}
    if is_nb:
        ns["__harness_shell__"] = make_shell(ns)
        ns["__harness_magic__"] = make_magic(ns)
    import keras

    # One seed for Python, NumPy and Keras: a program that picks its best model by validation loss picks the
    # same one on every run, so its figures do not change from run to run.
    keras.utils.set_random_seed(0)
    try:
        code = compile(source, path, "exec")
        exec(code, ns)
    finally:
        os.chdir(old_cwd)
        sys.argv = old_argv
        try:
            import matplotlib.pyplot as plt

            plt.close("all")
        except Exception:
            pass
    ns.pop("__harness_shell__", None)
    ns.pop("__harness_magic__", None)
    return ns


def model_names(ns):
    """Names of keras.Model objects bound at module level."""
    import keras

    return [k for k, v in ns.items() if isinstance(v, keras.Model)]


def _dims(shape):
    return [None if d is None else int(d) for d in shape]


def describe_models(ns):
    """Every keras.Model bound at module level (under its first public name), layer by layer.

    {model name: [[layer name, layer class name, output shape (a list of them for a layer of several outputs)
     or None, parameter count or None], ...]}
    """
    import keras

    out = {}
    seen = set()
    for name, v in ns.items():
        if isinstance(v, keras.Model) and not name.startswith("_") and id(v) not in seen:
            seen.add(id(v))
            layers = []
            for layer in v.layers:
                try:
                    output = layer.output
                    # a layer of several outputs (a GRU with return_state): each output's shape, as
                    # tests/keras_oracle.py records them for the realworld corpus
                    shape = ([_dims(t.shape) for t in output] if isinstance(output, (list, tuple))
                             else _dims(output.shape))
                except Exception:
                    shape = None
                layers.append([layer.name, type(layer).__name__, shape,
                               int(layer.count_params()) if layer.built else None])
            out[name] = layers
    return out


def main(argv):
    """`python harness.py PROGRAM OUTPUT`: run PROGRAM, then write describe_models of it to OUTPUT as JSON.

    What the program prints goes to stdout and stderr; a program that fails leaves no OUTPUT.
    """
    path, output = argv
    models = describe_models(run_program(path))
    with open(output, "w", encoding="utf-8") as f:
        json.dump(models, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
