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
