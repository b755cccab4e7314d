"""What `keras.datasets.<name>.load_data()` returns: the shapes, dtypes and classes of its arrays.

kerascheck never loads a data set; these are the facts Keras documents for each loader (the
`assert x_train.shape == ...` lines of its docstrings, which tests/test_datasets.py reads from the
installed Keras and compares with this table). Sizes that depend on an argument kerascheck cannot
read stay unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Dims = tuple[int | None, ...]


@dataclass(frozen=True)
class Split:
    x: Dims  # the shape of x_train or x_test
    y: Dims  # the shape of y_train or y_test


@dataclass(frozen=True)
class Dataset:
    train: Split
    test: Split
    x_dtype: str
    y_dtype: str
    classes: int | None  # distinct integer labels; None for regression targets
    kind: str  # "images", "sequences" (lists of word indices of varying length) or "table"


_IMAGES_28 = Dataset(Split((60000, 28, 28), (60000,)), Split((10000, 28, 28), (10000,)), "uint8", "uint8", 10, "images")
_IMAGES_32 = Split((50000, 32, 32, 3), (50000, 1)), Split((10000, 32, 32, 3), (10000, 1))

DATASETS: dict[str, Dataset] = {
    "mnist": _IMAGES_28,
    "fashion_mnist": _IMAGES_28,
    "cifar10": Dataset(*_IMAGES_32, "uint8", "uint8", 10, "images"),
    "cifar100": Dataset(*_IMAGES_32, "uint8", "uint8", 100, "images"),
    # Each sample a Python list of word indices: an object array of one axis.
    "imdb": Dataset(Split((25000,), (25000,)), Split((25000,), (25000,)), "object", "int64", 2, "sequences"),
    "reuters": Dataset(Split((8982,), (8982,)), Split((2246,), (2246,)), "object", "int64", 46, "sequences"),
    "boston_housing": Dataset(Split((404, 13), (404,)), Split((102, 13), (102,)), "float64", "float64", None, "table"),
    "california_housing": Dataset(
        Split((16512, 8), (16512,)), Split((4128, 8), (4128,)), "float64", "float64", None, "table"
    ),
}


def load_data(name: str, keywords: dict[str, Any]) -> Dataset | None:
    """The data set `keras.datasets.<name>.load_data(**keywords)` returns, or None when unknown.

    Arguments that change the shapes or classes are read where kerascheck can; any other value of
    them (or an unknown one) makes the result unknown rather than guessed.
    """
    dataset = DATASETS.get(name)
    if dataset is None:
        return None
    if name == "cifar100":
        mode = keywords.get("label_mode", "fine")
        if mode not in ("fine", "coarse"):
            return None
        if mode == "coarse":
            dataset = Dataset(dataset.train, dataset.test, dataset.x_dtype, dataset.y_dtype, 20, dataset.kind)
    if name in ("reuters", "boston_housing") and keywords.get("test_split", 0.2) != 0.2:
        return None  # the split sizes follow the fraction
    if name == "california_housing" and (keywords.get("version", "large") != "large"
                                         or keywords.get("test_split", 0.2) != 0.2):
        return None
    if name in ("imdb", "reuters"):
        num_words = keywords.get("num_words")
        if num_words is not None and not isinstance(num_words, int):
            return None
    return dataset


# -- scikit-learn's data sets -------------------------------------------------------------------------

@dataclass(frozen=True)
class Table:
    """What a `sklearn.datasets` loader or generator returns: the shapes of its arrays and its classes."""

    data: Dims  # `bunch.data`, or X
    target: Dims  # `bunch.target`, or y
    classes: int | None  # labels 0..classes-1; None for regression targets
    images: Dims | None = None  # `bunch.images` (load_digits, fetch_olivetti_faces)


# The bundled loaders (and one fetched one, whose file is cached by scikit-learn), as the installed
# scikit-learn loads them (tests/test_sklearn_datasets.py compares each with it).
SKLEARN_LOADERS: dict[str, Table] = {
    "load_iris": Table((150, 4), (150,), 3),
    "load_digits": Table((1797, 64), (1797,), 10, (1797, 8, 8)),
    "load_breast_cancer": Table((569, 30), (569,), 2),
    "load_diabetes": Table((442, 10), (442,), None),
    "load_wine": Table((178, 13), (178,), 3),
    "load_linnerud": Table((20, 3), (20, 3), None),
    "fetch_california_housing": Table((20640, 8), (20640,), None),
}

# The generators' parameters, in order, with their defaults (those the shapes follow).
_GENERATORS: dict[str, tuple[tuple[str, Any], ...]] = {
    "make_classification": (("n_samples", 100), ("n_features", 20), ("n_informative", 2), ("n_redundant", 2),
                            ("n_repeated", 0), ("n_classes", 2)),
    "make_regression": (("n_samples", 100), ("n_features", 100), ("n_informative", 10), ("n_targets", 1)),
    "make_moons": (("n_samples", 100),),
    "make_circles": (("n_samples", 100),),
    "make_blobs": (("n_samples", 100), ("n_features", 2), ("centers", None)),
}


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def sklearn_dataset(name: str, positional: list[Any], keywords: dict[str, Any]) -> Table | None:
    """The arrays `sklearn.datasets.<name>(...)` returns, or None when an argument they follow is unknown."""
    if name in SKLEARN_LOADERS:
        table = SKLEARN_LOADERS[name]
        if positional or keywords.get("as_frame", False) is not False:
            return None  # a frame: its column names are not kept here
        if name == "load_digits" and keywords.get("n_class", 10) != 10:
            return None  # fewer digits: fewer rows
        return table
    params = _GENERATORS.get(name)
    if params is None or len(positional) > len(params):
        return None
    given = {**{p: d for p, d in params}, **dict(zip([p for p, _ in params], positional)), **keywords}
    if name == "make_classification":
        n, features, classes = _count(given["n_samples"]), _count(given["n_features"]), _count(given["n_classes"])
        if n is None or features is None or classes is None or classes < 1:
            return None
        return Table((n, features), (n,), classes)
    if name == "make_regression":
        n, features, targets = _count(given["n_samples"]), _count(given["n_features"]), _count(given["n_targets"])
        if n is None or features is None or targets is None or targets < 1:
            return None
        return Table((n, features), (n,) if targets == 1 else (n, targets), None)
    if name in ("make_moons", "make_circles"):
        n_samples = given["n_samples"]
        if isinstance(n_samples, tuple) and len(n_samples) == 2:
            parts = [_count(v) for v in n_samples]
            n = None if None in parts else sum(p for p in parts if p is not None)
        else:
            n = _count(n_samples)
        return None if n is None else Table((n, 2), (n,), 2)
    # make_blobs: n_samples an int (split among `centers`, 3 by default) or one count per blob
    n_samples, features, centers = given["n_samples"], _count(given["n_features"]), given["centers"]
    if isinstance(n_samples, (list, tuple)):
        counts = [c for v in n_samples if (c := _count(v)) is not None]
        if len(counts) != len(n_samples) or centers is not None or features is None:
            return None
        return Table((sum(counts), features), (sum(counts),), len(counts))
    n = _count(n_samples)
    if n is None or features is None:
        return None
    if centers is None:
        return Table((n, features), (n,), 3)
    if _count(centers) is not None and centers > 0:
        return Table((n, features), (n,), centers)
    return None  # centers given as coordinates: not followed
