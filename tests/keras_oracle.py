"""Shared helpers for the fixture tests: the Keras oracle, and kerascheck run in a child process.

The oracle runs a fixture's code with real Keras and describes every model it binds at module
level. The fixtures are written the way people write Keras code, so some say `tensorflow.keras`
or `tf.keras`. TensorFlow is not installed (and must not be); while a fixture runs, a small fake
`tensorflow` package whose `keras` is plain Keras 3 stands in for it.

`KerascheckWorker` runs kerascheck in one long-lived child process, so a file that sends it into
an endless loop (even one inside a C builtin, which no signal interrupts) costs a timeout and a
restarted worker, not a hung test session.
"""

from __future__ import annotations

import ast
import atexit
import importlib.util
import json
import os
import re
import select
import subprocess
import sys
import traceback
import types
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from oracle_training import FakeTraining

os.environ.setdefault("KERAS_BACKEND", "numpy")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"
ORACLE_GROUPS = ("origin", "sequential", "errors", "functional", "realworld")


def fixture_paths(*groups: str) -> list[str]:
    """Fixture paths (scripts and notebooks) relative to the repo root, sorted, for the given groups (all if none)."""
    roots = [FIXTURES / g for g in groups] if groups else [FIXTURES]
    found = {p for root in roots for pattern in ("*.py", "*.ipynb") for p in root.rglob(pattern)}
    return sorted(p.relative_to(REPO).as_posix() for p in found)


@dataclass
class KerasLayer:
    name: str
    type: str
    output_shape: Any  # list of dims, a list of such lists for a multi-output layer, None if never called
    params: int | None  # None for a layer that is not built


@dataclass
class KerasModel:
    name: str  # the module-level variable
    layers: list[KerasLayer]
    total_params: int | None  # None for a model that is not built
    non_trainable: int | None = None  # the weights in model.non_trainable_weights (None: not built)


@dataclass
class KerasBuildError:
    exception: str  # "ValueError: ..."
    line: int  # innermost traceback line inside the fixture
    statement: tuple[int, int]  # first and last line of the statement holding that line
    cell: int | None = None  # in a notebook: the 1-based cell index (counting every cell) lines refer to


@dataclass
class OracleResult:
    models: dict[str, KerasModel] = field(default_factory=dict)
    module_names: set[str] = field(default_factory=set)  # every name bound at module level
    error: KerasBuildError | None = None


def _shape(shape: Any) -> Any:
    return [None if d is None else int(d) for d in shape]


def _output_shape(layer: Any) -> Any:
    if not layer._inbound_nodes and getattr(layer, "_is_graph_network", False) or (
            not layer._inbound_nodes and type(layer).__name__ == "Functional"):
        # A functional model used only inside a subclassed model's call(): its own graph's outputs,
        # which is what `layer.output` gives (its call on concrete data does not define a shape).
        outputs = layer.outputs
        return [_shape(t.shape) for t in outputs] if len(outputs) > 1 else _shape(outputs[0].shape)
    if not layer._inbound_nodes:
        # Never called on a symbolic tensor of this graph: an unbuilt Sequential model has no shapes;
        # a layer called inside a subclassed model's call() has the shape Keras computed there, if any.
        return _INNER_SHAPES.get(id(layer))
    output = layer.output
    if isinstance(output, (list, tuple)):
        return [_shape(t.shape) for t in output]
    return _shape(output.shape)


def _count_params(layer: Any) -> int | None:
    if not layer.built:
        return None  # Keras raises on count_params() here; kerascheck says null
    return int(layer.count_params())


def describe(name: str, model: Any) -> KerasModel:
    layers = [
        KerasLayer(layer.name, type(layer).__name__, _output_shape(layer), _count_params(layer))
        for layer in model.layers
    ]
    frozen = None
    if model.built:
        frozen = int(sum(int(np.prod(w.shape)) for w in model.non_trainable_weights))
    return KerasModel(name, layers, _count_params(model), frozen)


def enclosing_statement(source: str, line: int) -> tuple[int, int]:
    """The first and last line of the innermost statement that spans `line`."""
    best: tuple[int, int] | None = None
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.stmt) and node.end_lineno is not None and node.lineno <= line <= node.end_lineno:
            if best is None or node.end_lineno - node.lineno <= best[1] - best[0]:
                best = (node.lineno, node.end_lineno)
    return best if best is not None else (line, line)


# Libraries realistic notebooks import for plots and data, which are not installed here (and play no
# part in building a model): while a fixture runs, each stands in as a module whose every attribute
# is an inert object.
_STUBBED = ("matplotlib", "matplotlib.pyplot", "pandas", "seaborn", "sklearn", "sklearn.model_selection")
# A script that reads its data with pandas reads files that are not here (a Kaggle input folder, a
# CSV it downloaded): pandas, and scikit-learn which works on what pandas read, stand in as inert
# modules for it even where they are installed. A script that makes its data runs them for real.
_READS_DATA = re.compile(r"\bread_(csv|table|json|excel|parquet|pickle|fwf|hdf|sql|feather)\s*\(")
_DATA_LIBRARIES = ("pandas", "sklearn")


class _Inert:
    """Any attribute, call, index or iteration of it gives another inert object (or nothing)."""

    def __getattr__(self, name: str) -> _Inert:
        return _Inert()

    def __call__(self, *args: Any, **kwargs: Any) -> _Inert:
        return _Inert()

    def __getitem__(self, key: Any) -> _Inert:
        return _Inert()

    def __iter__(self) -> Any:
        # Two items, so that `fig, ax = plt.subplots(1, 2)` unpacks; a loop over it runs twice.
        return iter((_Inert(), _Inert()))


def _stub_module(name: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__path__ = []  # type: ignore[attr-defined]
    module.__getattr__ = lambda attr: _Inert()  # type: ignore[method-assign]
    return module


class _FakeTensorflow:
    """Installs `tensorflow`, `tensorflow.keras` and `tensorflow.keras.<sub>` as aliases of Keras 3."""

    def __init__(self) -> None:
        import keras

        # Keras asks lazily whether TensorFlow is importable; settle that (no) before faking it.
        from keras.src.utils.module_utils import tensorflow as lazy_tf

        _ = lazy_tf.available
        self.keras = keras
        self.saved: dict[str, Any] = {}
        self.reads_data = False  # set per fixture: it reads data files with pandas
        self.plots: list[tuple[Any, Any]] = []  # pandas' plot accessors, while they stand in

    def __enter__(self) -> None:
        keras = self.keras
        fake = types.ModuleType("tensorflow")
        fake.__path__ = []  # a package, so `import tensorflow.keras` works
        fake.keras = keras  # type: ignore[attr-defined]

        def tf_getattr(name: str) -> Any:
            # TensorFlow re-exports Keras at its top level too: tf.losses, tf.metrics, tf.optimizers...
            # Its tensor functions (tf.expand_dims, tf.nn.softmax, tf.math.reduce_sum's kin) shape their
            # outputs as Keras's ops of the same name do.
            if name in ("nn", "math"):
                return keras.ops
            if name == "random":  # tf.random.normal/uniform as Keras's, and tf.random.set_seed
                random = types.SimpleNamespace(**{k: getattr(keras.random, k) for k in dir(keras.random)
                                                  if not k.startswith("_")})
                random.set_seed = keras.utils.set_random_seed
                return random
            if name == "random_normal_initializer":  # TensorFlow's own spelling of the initializer
                return keras.initializers.RandomNormal
            for namespace in (keras, keras.ops):
                if hasattr(namespace, name):
                    return getattr(namespace, name)
            raise AttributeError(f"the fake tensorflow has no attribute {name!r}")

        fake.__getattr__ = tf_getattr  # type: ignore[method-assign]
        # Once `tensorflow` is imported, Keras's preprocessing layers ask whether TensorFlow is tracing
        # a graph (`backend_utils.in_tf_graph`); here nothing is traced, as in eager TensorFlow.
        fake.executing_eagerly = lambda: True  # type: ignore[attr-defined]
        aliases: dict[str, Any] = {"tensorflow": fake, "tensorflow.keras": self.keras}
        for name in _STUBBED:
            top = name.split(".")[0]
            if importlib.util.find_spec(top) is None or self.reads_data and top in _DATA_LIBRARIES:
                aliases[name] = _stub_module(name)
        for name, module in list(sys.modules.items()):
            if name.startswith("keras.") and not name.startswith("keras.src") and module is not None:
                aliases["tensorflow." + name] = module
        for name, module in aliases.items():
            self.saved[name] = sys.modules.get(name)
            sys.modules[name] = module
        self.plots = []
        if "pandas" not in aliases and "matplotlib" in aliases and importlib.util.find_spec("pandas") is not None:
            # Real pandas plots through matplotlib, which is not here: `df.plot(...)` draws nothing.
            import pandas

            for owner in (pandas.DataFrame, pandas.Series):
                self.plots.append((owner, owner.__dict__["plot"]))
                owner.plot = property(lambda frame: _Inert())  # type: ignore[assignment,method-assign]

    def __exit__(self, *exc: object) -> None:
        for owner, plot in self.plots:
            owner.plot = plot
        self.plots.clear()
        for name, module in self.saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
        self.saved.clear()


_FAKE: _FakeTensorflow | None = None

# Layers called inside a subclassed model's call() get no node in any graph, so Keras's summary shows
# '?' for their output shapes; Keras still computes them when it builds the model. For a layer
# called on symbolic input (the batch axis unknown), Keras's numpy backend runs call() twice on
# arrays with batch sizes 83 and 89 and makes each axis that differs between the runs unknown;
# the oracle records those two outputs of each inner layer and merges them the same way.
_INNER_SHAPES: dict[int, Any] = {}


class _RecordInnerCalls:
    def __init__(self) -> None:
        self.calls: dict[int, list[Any]] = {}
        self.eager: dict[int, Any] = {}
        self.saved: Any = None

    def __enter__(self) -> None:
        import keras
        from keras.src.backend.common.symbolic_scope import in_symbolic_scope

        layer_class = keras.layers.Layer
        original = self.saved = layer_class.__call__
        calls = self.calls

        eager = self.eager = {}

        def recording_call(layer: Any, *args: Any, **kwargs: Any) -> Any:
            out = original(layer, *args, **kwargs)
            if in_symbolic_scope():
                calls.setdefault(id(layer), []).append(_shapes_of(out))
            elif id(layer) not in eager:
                # A model called on NumPy data runs its layers at once: the first call's real shape
                eager[id(layer)] = _shapes_of(out)
            return out

        layer_class.__call__ = recording_call

    def __exit__(self, *exc: object) -> None:
        import keras

        keras.layers.Layer.__call__ = self.saved
        _INNER_SHAPES.clear()
        for key, records in self.calls.items():
            merged = _merge_runs(records)
            if merged is not None:
                _INNER_SHAPES[key] = merged
        for key, shape in self.eager.items():
            if key not in self.calls and shape is not None:
                _INNER_SHAPES[key] = shape  # never called symbolically: the shape of its first real call


def _dims(shape: Any) -> list[int | None]:
    # jax traces with symbolic dimensions, which are not ints: unknown
    return [int(d) if isinstance(d, (int, np.integer)) else None for d in shape]


def _shapes_of(out: Any) -> Any:
    if hasattr(out, "shape"):
        return _dims(out.shape)
    if isinstance(out, (list, tuple)) and out and all(hasattr(o, "shape") for o in out):
        return [_dims(o.shape) for o in out]
    return None


def _merge_runs(records: list[Any]) -> Any:
    """The output shape of a layer's first call, merged over Keras's runs as Keras merges its two runs.

    Keras runs a model's call() once to build it and once to compute its output, two runs each
    (batch 83, then 89), so an inner layer called k times per call() has 4k records, repeating with
    period k. As for a shared layer of a functional model (`layer.output` is its first node's), the
    shape compared is the first call's: records 0, k, 2k, ..., merged axis by axis (an axis that
    differs between runs is unknown).
    """
    if not records or any(r is None for r in records):
        return None

    def merge(a: Any, b: Any) -> Any:
        if a is None or b is None or len(a) != len(b):
            return None
        if a and isinstance(a[0], list):
            parts = [merge(x, y) for x, y in zip(a, b)]
            return None if any(p is None for p in parts) else parts
        return [x if x == y else None for x, y in zip(a, b)]

    def batchless(record: Any) -> Any:
        if record and isinstance(record[0], list):
            return [batchless(r) for r in record]
        return [None if d in (83, 89) else d for d in record]

    normal = [batchless(r) for r in records]
    period = next(p for p in range(1, len(records) + 1)
                  if len(records) % p == 0 and all(normal[i] == normal[i % p] for i in range(len(records))))
    merged = records[0]
    for record in records[period::period]:
        merged = merge(merged, record)
    return merged

# IPython-only lines: magics (`%matplotlib inline`, `%%time`) and shell escapes (`!pip install keras`).
_IPYTHON_LINE = re.compile(r"^\s*[%!]")


def notebook_program(text: str) -> tuple[str, list[tuple[int, int]]]:
    """A notebook's code cells joined into one program, as Jupyter runs them top to bottom.

    Returns the program and, for each of its lines (index 0 is line 1), the (cell, line in cell)
    it came from. IPython-only lines become `pass` so the program runs under plain Python.
    """
    lines: list[str] = []
    origin: list[tuple[int, int]] = []
    for index, cell in enumerate(json.loads(text)["cells"], start=1):
        if cell.get("cell_type") != "code":
            continue
        body = cell.get("source", "")
        code = "".join(body) if isinstance(body, list) else body
        for number, line in enumerate(code.split("\n"), start=1):
            if _IPYTHON_LINE.match(line):
                line = line[: len(line) - len(line.lstrip())] + "pass"
            lines.append(line)
            origin.append((index, number))
    return "\n".join(lines) + "\n", origin


# Fixtures the numpy backend builds differently from every other backend, and why; the oracle runs
# them with Keras's jax backend (also CPU) in a child process instead.
OTHER_BACKEND: dict[str, str] = {
    "fixtures/realworld/seq2seq_translation_dlwp.ipynb": (
        "the custom layer PositionalEmbedding has compute_output_shape but no build, so Keras builds its "
        "sublayers by running call() once: the numpy backend runs it on arbitrary int64 values, the token "
        "Embedding lookup fails with an out-of-range index and position_embeddings is never built "
        "(3840000 params); TensorFlow and jax trace call() symbolically and build both (3845120)"
    ),
    "fixtures/realworld/transformer_news_classifier.py": (
        "PositionalEmbedding has compute_output_shape but no build, so Keras builds its two Embeddings by "
        "running call() once: the numpy backend runs it on arbitrary values and the position Embedding is never "
        "built (768000 params); TensorFlow and jax build both (776192)"
    ),
    "fixtures/realworld/char_rnn_verse.ipynb": (
        "Lambda(lambda ids: ops.one_hot(ids, max_id)) has no output_shape: the numpy backend infers it by "
        "running one_hot on arbitrary int32 values, which fails, so Sequential.build stops at the Lambda and "
        "leaves `model` half built (no shapes, 0 params); TensorFlow and jax trace it symbolically and build "
        "the model"
    ),
}


def run_fixture(relpath: str) -> OracleResult:
    """Execute the fixture with real Keras and describe its module-level models (or its build error)."""
    if relpath in OTHER_BACKEND and os.environ.get("KERAS_BACKEND") != "jax":
        return _run_fixture_with_jax(relpath)
    global _FAKE
    import keras

    if _FAKE is None:
        _FAKE = _FakeTensorflow()
    path = REPO / relpath
    source = path.read_text(encoding="utf-8")
    origin: list[tuple[int, int]] | None = None
    if path.suffix == ".ipynb":
        source, origin = notebook_program(source)
    filename = str(path)
    _FAKE.reads_data = bool(_READS_DATA.search(source))
    code = compile(source, filename, "exec")
    namespace: dict[str, Any] = {"__name__": "__kerascheck_fixture__", "__file__": filename}
    keras.backend.clear_session()
    result = OracleResult()
    recorder = _RecordInnerCalls()
    # The fixture runs as a module of its own, so code that looks itself up in sys.modules
    # (`@dataclass`, typing's NamedTuple machinery) finds its namespace.
    module = types.ModuleType(namespace["__name__"])
    module.__dict__.update(namespace)
    namespace = module.__dict__
    sys.modules[module.__name__] = module
    with _FAKE, FakeTraining(), recorder, warnings.catch_warnings():
        # The fixture's own warnings (deprecated arguments, numpy overflow while Keras traces a custom
        # layer's call on placeholder values) are not build errors.
        warnings.simplefilter("ignore")
        saved_argv = sys.argv
        sys.argv = [filename]  # as `python fixture.py` runs it: argparse options take their defaults
        try:
            exec(code, namespace)
        except Exception as e:
            frames = [f for f in traceback.extract_tb(e.__traceback__) if f.filename == filename]
            line = frames[-1].lineno if frames and frames[-1].lineno else 0
            first, last = enclosing_statement(source, line)
            if origin is None or not line:
                result.error = KerasBuildError(f"{type(e).__name__}: {e}", line, (first, last))
            else:
                cell = origin[line - 1][0]
                result.error = KerasBuildError(
                    f"{type(e).__name__}: {e}", origin[line - 1][1], (origin[first - 1][1], origin[last - 1][1]), cell
                )
            return result
        finally:
            sys.argv = saved_argv
    seen: set[int] = set()
    for name, value in namespace.items():
        result.module_names.add(name)
        # A model bound to two names is one model: it goes by the first.
        if isinstance(value, keras.Model) and not name.startswith("__") and id(value) not in seen:
            seen.add(id(value))
            result.models[name] = describe(name, value)
    return result


def _run_fixture_with_jax(relpath: str) -> OracleResult:
    import pickle
    import tempfile

    # The fixture prints (model.summary()), so the result travels through a file, not stdout.
    program = (
        "import pickle, sys; sys.path.insert(0, sys.argv[1]); import keras_oracle; "
        "result = keras_oracle.run_fixture(sys.argv[2]); "
        "open(sys.argv[3], 'wb').write(pickle.dumps(result))"
    )
    env = {**os.environ, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": "cpu"}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.pickle"
        subprocess.run(
            [sys.executable, "-c", program, str(Path(__file__).resolve().parent), relpath, str(out)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=600,
        )
        result = pickle.loads(out.read_bytes())
    assert type(result).__name__ == "OracleResult", result
    return result  # type: ignore[no-any-return]


# -- kerascheck in a child process -----------------------------------------------------------


class WorkerTimeout(Exception):
    """kerascheck did not answer in time: it hangs on this input."""


class WorkerCrash(Exception):
    """The worker process died (or raised outside check_text) while checking this input."""


def _die_with_parent() -> None:
    """In the child: have the kernel kill it when the test process dies, even mid-way through a hang.

    A worker stuck inside a C builtin never reads its closed stdin, and atexit does not run when the
    test process is killed, so without this a hung worker would outlive the session.
    """
    import ctypes
    import signal

    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


class KerascheckWorker:
    """One child process that answers requests, one JSON line each way."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, __file__, "--worker"],
                cwd=REPO,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        return self.proc

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None

    def request(self, timeout: float, **message: Any) -> Any:
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps(message) + "\n")
            proc.stdin.flush()
        except BrokenPipeError:
            self.stop()
            raise WorkerCrash("the kerascheck worker died") from None
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if not ready:
            self.stop()
            raise WorkerTimeout(f"kerascheck did not finish within {timeout} s")
        line = proc.stdout.readline()
        if not line:
            code = proc.wait()
            self.proc = None
            raise WorkerCrash(f"the kerascheck worker died (exit status {code})")
        reply = json.loads(line)
        if "crash" in reply:
            raise WorkerCrash(reply["crash"])
        return reply["ok"]

    def file_json(self, path: str, timeout: float = 20) -> dict[str, Any]:
        """`file_json(check_file(path))` for a path relative to the repo root, as JSON data."""
        result: dict[str, Any] = self.request(timeout, op="file_json", path=path)
        return result

    def check_text(self, path: str, text: str, timeout: float = 20) -> dict[str, Any]:
        """Run `check_text`; the reply says whether it was skipped and lists KC900 messages."""
        result: dict[str, Any] = self.request(timeout, op="check_text", path=path, text=text)
        return result


_WORKER: KerascheckWorker | None = None


def kerascheck_worker() -> KerascheckWorker:
    global _WORKER
    if _WORKER is None:
        _WORKER = KerascheckWorker()
        atexit.register(_WORKER.stop)
    return _WORKER


def _serve() -> None:
    """The worker's side: answer requests from stdin until it closes."""
    from kerascheck.engine import check_text
    from kerascheck.report.json import file_json
    from kerascheck.source import read_text

    protocol = os.fdopen(os.dup(1), "w")
    sys.stdout = sys.stderr  # whatever kerascheck prints must not mix with the replies
    for line in sys.stdin:
        message = json.loads(line)
        try:
            if message["op"] == "file_json":
                path = message["path"]
                reply: dict[str, Any] = {"ok": file_json(check_text(path, read_text(str(REPO / path))))}
            else:
                result = check_text(message["path"], message["text"])
                kc900 = [d.message for d in result.diagnostics if d.code == "KC900"]
                reply = {"ok": {"skipped": result.skipped, "internal_error": result.internal_error, "kc900": kc900}}
        except BaseException:  # noqa: B036  (anything escaping check_text is a crash to report)
            reply = {"crash": traceback.format_exc()}
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _serve()
