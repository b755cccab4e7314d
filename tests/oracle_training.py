"""Stand-ins that let the oracle run whole scripts offline: the data sets Keras downloads, and training.

Fault fixtures and complete programs load `keras.datasets.*` (a download) and call `fit`, `evaluate`
and `train_on_batch`, which Keras's numpy backend cannot run. While a fixture runs:

- each `keras.datasets.<name>.load_data()` returns a few deterministic samples with the real
  per-sample shapes, dtypes and label ranges (what the loaders' docstrings state);
- `fit`, `train_on_batch`, `evaluate` and `test_on_batch` run what one training step checks, on the
  first few samples: Keras's own checks of the data against the model (`model(x)`), and the compiled
  loss and metrics of the labels against the predictions (`compute_metrics`), which is where a
  labels/output mismatch raises. A model that overrides `train_step` (a GAN, a VAE) trains through
  its own code, which needs TensorFlow's gradient tape: it is only called on the data;
- `save`, `save_weights` and `load_weights` write and read nothing.

Nothing here changes a model, so the shapes the oracle reports are Keras's own.
"""

from __future__ import annotations

import collections
import inspect
from typing import Any

import numpy as np

_ABSENT = object()
SAMPLES = 4  # samples per checked batch
TRAIN, TEST = 48, 16  # samples a fake data set holds


def _images(shape: tuple[int, ...], label_shape: tuple[int, ...], classes: int) -> Any:
    def load_data(*args: Any, **kwargs: Any) -> Any:
        rng = np.random.default_rng(0)
        split = [
            (rng.integers(0, 256, (n, *shape), dtype=np.uint8), rng.integers(0, classes, (n, *label_shape), dtype=np.uint8))
            for n in (TRAIN, TEST)
        ]
        return tuple(split)

    return load_data


def _sequences(classes: int) -> Any:
    def load_data(*args: Any, num_words: int | None = None, maxlen: int | None = None, **kwargs: Any) -> Any:
        rng = np.random.default_rng(0)
        top = num_words or 10000
        split = []
        for n in (TRAIN, TEST):
            x = np.empty(n, dtype=object)
            for i in range(n):
                x[i] = [1] + rng.integers(2, top, int(rng.integers(5, maxlen or 120))).tolist()
            split.append((x, rng.integers(0, classes, n).astype(np.int64)))
        return tuple(split)

    return load_data


def _table(features: int) -> Any:
    def load_data(*args: Any, **kwargs: Any) -> Any:
        rng = np.random.default_rng(0)
        return tuple((rng.random((n, features)) * 10, rng.random(n) * 50) for n in (TRAIN, TEST))

    return load_data


LOADERS = {
    "mnist": _images((28, 28), (), 10),
    "fashion_mnist": _images((28, 28), (), 10),
    "cifar10": _images((32, 32, 3), (1,), 10),
    "cifar100": _images((32, 32, 3), (1,), 100),
    "imdb": _sequences(2),
    "reuters": _sequences(46),
    "boston_housing": _table(13),
    "california_housing": _table(8),
}


def _head(data: Any) -> Any:
    """The first SAMPLES samples of x or y as Keras takes them: an array, a list/tuple or a dict of them."""
    if data is None:
        return None
    if isinstance(data, dict):
        return {k: _head(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)) and data and all(hasattr(d, "shape") for d in data):
        return type(data)(_head(d) for d in data)
    array = np.asarray(data) if not hasattr(data, "shape") else data
    return array[:SAMPLES]


def _is_arrays(data: Any) -> bool:
    if isinstance(data, dict):
        return all(_is_arrays(v) for v in data.values())
    if isinstance(data, (list, tuple)):
        return all(hasattr(d, "shape") for d in data) or all(isinstance(d, (int, float)) for d in data)
    return hasattr(data, "shape")


def _first_batch(data: Any) -> tuple[Any, Any] | None:
    """(x, y) of the first batch of a dataset or generator, or None when it yields no such pair."""
    try:
        batch = next(iter(data))
    except Exception:
        return None
    if isinstance(batch, (list, tuple)) and len(batch) in (2, 3):
        return batch[0], batch[1]
    return batch, None


def _own_train_step(cls: type) -> bool:
    """Whether a model class (a GAN, a VAE) trains through a `train_step` of its own."""
    import keras

    for klass in cls.__mro__:
        if klass is keras.Model or klass.__module__.startswith("keras."):
            return False
        if "train_step" in vars(klass):
            return True
    return False


def _step(model: Any, x: Any, y: Any) -> dict[str, Any]:
    """What one training or test step checks: the model on x, the loss and metrics on (y, prediction)."""
    if not model.compiled:
        raise RuntimeError("You must call `compile()` before using the model.")
    if not _is_arrays(x):
        batch = _first_batch(x)
        if batch is None:
            return {}
        x, y = batch
    x, y = _head(x), _head(y)
    if _own_train_step(type(model)):
        model(x)
        return {}
    prediction = model(x)
    if y is None:
        return {}
    loss = _loss(model, x, y, prediction)
    logs = dict(model.compute_metrics(x, y, prediction, sample_weight=None))
    logs["loss"] = loss
    return logs


def _loss(model: Any, x: Any, y: Any, prediction: Any) -> Any:
    """The compiled loss on (y, prediction): where a labels/output mismatch raises.

    Keras's own `compute_loss` also adds the regularisation losses, whose sum the NumPy backend
    cannot take (`ops.sum` of a list); a model that keeps Keras's `compute_loss` gets its compiled
    loss alone, which is where the labels are checked. A model with its own `compute_loss` runs it.
    """
    from keras.src.trainers.trainer import Trainer

    if type(model).compute_loss is not Trainer.compute_loss:
        return model.compute_loss(x, y, prediction)
    compiled = getattr(model, "_compile_loss", None)
    return None if compiled is None else compiled(y, prediction)


class _History:
    def __init__(self, model: Any) -> None:
        self.model = model
        self.epoch = [0]
        self.params: dict[str, Any] = {}
        self.history: collections.defaultdict[str, list[float]] = collections.defaultdict(lambda: [0.0])


class FakeTraining:
    """Installs the stand-ins above while a fixture runs (a context manager)."""

    def __init__(self) -> None:
        self.saved: list[tuple[Any, str, Any]] = []

    def _patch(self, owner: Any, name: str, value: Any) -> None:
        self.saved.append((owner, name, owner.__dict__.get(name, _ABSENT)))
        setattr(owner, name, value)

    def __enter__(self) -> None:
        import keras

        for name, loader in LOADERS.items():
            module = getattr(keras.datasets, name, None)
            if module is not None:
                self._patch(module, "load_data", loader)

        model_class = keras.Model
        fit_signature = inspect.signature(model_class.fit)
        evaluate_signature = inspect.signature(model_class.evaluate)

        def fit(model: Any, *args: Any, **kwargs: Any) -> _History:
            bound = fit_signature.bind(model, *args, **kwargs).arguments
            _step(model, bound.get("x"), bound.get("y"))
            validation = bound.get("validation_data")
            if isinstance(validation, (list, tuple)) and len(validation) in (2, 3):
                _step(model, validation[0], validation[1])
            elif validation is not None:
                _step(model, validation, None)
            history = _History(model)
            model.history = history
            return history

        def evaluate(model: Any, *args: Any, **kwargs: Any) -> Any:
            bound = evaluate_signature.bind(model, *args, **kwargs).arguments
            logs = _step(model, bound.get("x"), bound.get("y"))
            values = [float(np.asarray(v)) for v in logs.values()] or [0.0]
            if bound.get("return_dict"):
                return dict(zip(logs, values))
            return values if len(values) > 1 else values[0]

        def train_on_batch(model: Any, x: Any, y: Any = None, *args: Any, **kwargs: Any) -> Any:
            logs = _step(model, x, y)
            values = [float(np.asarray(v)) for v in logs.values()] or [0.0]
            return values if len(values) > 1 else values[0]

        def nothing(model: Any, *args: Any, **kwargs: Any) -> None:
            return None

        self._patch(model_class, "fit", fit)
        self._patch(model_class, "evaluate", evaluate)
        self._patch(model_class, "train_on_batch", train_on_batch)
        self._patch(model_class, "test_on_batch", train_on_batch)
        for name in ("save", "save_weights", "load_weights"):
            self._patch(model_class, name, nothing)

    def __exit__(self, *exc: object) -> None:
        for owner, name, value in reversed(self.saved):
            if value is _ABSENT:
                delattr(owner, name)
            else:
                setattr(owner, name, value)
        self.saved.clear()
