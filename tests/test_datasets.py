"""kerascheck's table of `keras.datasets` loaders agrees with what the installed Keras documents.

No data set is downloaded (there is no network in CI): Keras's own docstrings state the shapes,
either as `assert x_train.shape == (60000, 28, 28)` example lines or as "shape `(num_samples, 13)`",
and its source states the label ranges ("integers in range 0-99").
"""

from __future__ import annotations

import ast
import inspect
import re

import pytest

from kerascheck.extract.datasets import DATASETS, load_data

keras = pytest.importorskip("keras")

_ASSERT = re.compile(r"assert (?P<name>[xy]_(?:train|test))\.shape == (?P<shape>\([\d, ]*\))")
_TABLE = re.compile(r"\*\*`?x_train`?, `?x_test`?\*\*: (?:NumPy|numpy) arrays with shape\s+`\(num_samples, (?P<n>\d+)\)`")
_RANGE = re.compile(r"integers in range 0-(?P<last>\d+)")


def _doc(name: str) -> str:
    return inspect.getdoc(getattr(keras.datasets, name).load_data) or ""


@pytest.mark.parametrize("name", sorted(DATASETS))
def test_shapes_are_the_ones_keras_documents(name: str) -> None:
    doc = _doc(name)
    dataset = DATASETS[name]
    asserted = {m["name"]: ast.literal_eval(m["shape"]) for m in _ASSERT.finditer(doc)}
    table = _TABLE.search(doc)
    if dataset.kind == "images":
        assert asserted == {
            "x_train": dataset.train.x, "y_train": dataset.train.y, "x_test": dataset.test.x, "y_test": dataset.test.y
        }
    elif dataset.kind == "table":
        assert table is not None, f"keras.datasets.{name} no longer documents its feature count"
        assert dataset.train.x[1:] == dataset.test.x[1:] == (int(table["n"]),)
        assert len(dataset.train.y) == len(dataset.test.y) == 1
    else:
        assert dataset.train.x[1:] == dataset.train.y[1:] == ()  # one list of word indices per sample


@pytest.mark.parametrize("name", sorted(n for n, d in DATASETS.items() if d.kind == "images"))
def test_classes_are_the_documented_label_range(name: str) -> None:
    ranges = {int(m["last"]) + 1 for m in _RANGE.finditer(_doc(name))}
    assert ranges == {DATASETS[name].classes}


def test_split_sizes_follow_keras_arithmetic() -> None:
    # Keras splits the whole set as `int(len(x) * (1 - test_split))` (boston_housing, reuters) and
    # california_housing with the same fraction; the totals are those of the published data sets.
    for name, total in (("boston_housing", 506), ("reuters", 11228), ("california_housing", 20640)):
        train = int(total * (1 - 0.2))
        assert DATASETS[name].train.x[0] == train and DATASETS[name].test.x[0] == total - train


@pytest.mark.parametrize(
    "name, keywords, classes",
    [
        pytest.param("cifar100", {}, 100, id="cifar100-fine-by-default"),
        pytest.param("cifar100", {"label_mode": "coarse"}, 20, id="cifar100-coarse-has-20-classes"),
        pytest.param("mnist", {}, 10, id="mnist"),
    ],
)
def test_load_data_arguments(name: str, keywords: dict[str, object], classes: int) -> None:
    dataset = load_data(name, keywords)
    assert dataset is not None and dataset.classes == classes


@pytest.mark.parametrize(
    "name, keywords",
    [
        pytest.param("cifar100", {"label_mode": object()}, id="unknown-label-mode"),
        pytest.param("boston_housing", {"test_split": 0.3}, id="other-split-fraction"),
        pytest.param("california_housing", {"version": "small"}, id="small-california"),
        pytest.param("not_a_dataset", {}, id="unknown-loader"),
    ],
)
def test_unreadable_arguments_give_unknown(name: str, keywords: dict[str, object]) -> None:
    assert load_data(name, keywords) is None
