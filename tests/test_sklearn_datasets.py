"""`sklearn.datasets` loaders and generators (extract/datasets.py) against the installed scikit-learn.

kerascheck reads `load_digits()`, `load_breast_cancer(return_X_y=True)` or `make_moons(500)` as arrays
of known shapes, with class labels where the data set has classes. Each bundled loader is run for
real here and its arrays' shapes and classes compared with kerascheck's table; the one fetched loader
is compared with the shapes its docstring states (the test runs offline); each generator is run with
several arguments and compared the same way.
"""

from __future__ import annotations

import re
from typing import Any

import libcst as cst
import numpy as np
import pytest

from kerascheck.extract import datasets, tables
from kerascheck.extract import numpy_values as knp
from kerascheck.extract.interpreter import Interpreter
from kerascheck.model import Labels

sklearn_datasets = pytest.importorskip("sklearn.datasets")

BUNDLED = [name for name in datasets.SKLEARN_LOADERS if name.startswith("load_")]


def _abstract(code: str) -> dict[str, Any]:
    source = "import sklearn.datasets as skd\n" + code + "\n"
    ip = Interpreter()
    ip.run_unit(cst.parse_module(source), None, source)
    return ip.globals.vars


def _shape(value: Any) -> Any:
    if isinstance(value, Labels):
        return value.shape
    return value.shape if isinstance(value, knp.NdArray) else None


def _classes(target: np.ndarray) -> int | None:
    values = np.unique(target)
    if target.ndim == 1 and np.issubdtype(target.dtype, np.integer) and list(values) == list(range(len(values))):
        return len(values)
    return None


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_loader_agrees_with_scikit_learn(name: str) -> None:
    real = getattr(sklearn_datasets, name)()
    found = _abstract(f"bunch = skd.{name}()\nx = bunch.data\ny = bunch.target\n"
                      f"x2, y2 = skd.{name}(return_X_y=True)")
    assert isinstance(found["bunch"], tables.Bunch)
    for key in ("x", "x2"):
        assert _shape(found[key]) == real.data.shape
    for key in ("y", "y2"):
        assert _shape(found[key]) == real.target.shape
        classes = _classes(real.target)
        assert (found[key].classes if isinstance(found[key], Labels) else None) == classes
    if "images" in real:
        assert _shape(found["bunch"].fields["images"]) == real.images.shape
    if "target_names" in real and _classes(real.target):
        assert _shape(found["bunch"].fields["target_names"]) == (len(real.target_names),)
    assert _shape(found["bunch"].fields["feature_names"]) == (len(real.feature_names),)


def test_fetched_loader_agrees_with_its_documentation() -> None:
    doc = sklearn_datasets.fetch_california_housing.__doc__ or ""
    stated = re.search(r"data : ndarray, shape \((\d+), (\d+)\)", doc)
    assert stated is not None, "the docstring no longer states the shape"
    table = datasets.SKLEARN_LOADERS["fetch_california_housing"]
    assert table.data == (int(stated[1]), int(stated[2])) and table.target == (int(stated[1]),)


GENERATED = [
    "make_classification()", "make_classification(500, 12, n_informative=5, n_classes=4, random_state=0)",
    "make_classification(n_samples=64, n_features=6, n_redundant=0, n_classes=3, n_informative=3)",
    "make_regression()", "make_regression(200, 5, noise=0.1)", "make_regression(n_samples=50, n_features=3, n_targets=2)",
    "make_moons()", "make_moons(300, noise=0.2, random_state=1)", "make_moons(n_samples=(40, 60))",
    "make_circles(n_samples=250, factor=0.5)",
    "make_blobs()", "make_blobs(n_samples=120, centers=4, n_features=3)", "make_blobs(n_samples=[10, 20, 30])",
]


@pytest.mark.parametrize("call", GENERATED)
def test_generator_agrees_with_scikit_learn(call: str) -> None:
    x_real, y_real = eval(f"sklearn_datasets.{call}")  # noqa: S307 - the test's own call
    found = _abstract(f"x, y = skd.{call}")
    assert _shape(found["x"]) == x_real.shape
    assert _shape(found["y"]) == y_real.shape
    y = found["y"]
    assert (y.classes if isinstance(y, Labels) else None) == _classes(y_real)


@pytest.mark.parametrize("call", ["load_digits(n_class=5)", "load_iris(as_frame=True)", "make_blobs(centers=[[0, 0], [1, 1]])",
                                  "make_moons(n_samples=count)", "make_classification(n_features=width)"])
def test_an_argument_not_followed_gives_no_shape(call: str) -> None:
    """Arguments that change the shapes in ways the table does not follow leave the arrays unknown."""
    found = _abstract(f"import random\ncount = random.randint(10, 90)\nwidth = random.randint(2, 9)\nresult = skd.{call}")
    assert not isinstance(found["result"], (tables.Bunch, tuple))
