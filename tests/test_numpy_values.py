"""The NumPy subset extraction follows (`len(np.array(...))`, `np.prod(shape)`, `x.shape[1:]`), held to real NumPy,
and the plain-Python sizing code around it (`math.ceil`, dict and set methods), held to real Python.

Each snippet binds `v`; kerascheck's abstract value for `v` must be exactly what NumPy computes
(an array: the same shape, and the same elements where kerascheck keeps them), or, for what the
subset does not follow, UNKNOWN: never a wrong value.
"""

from __future__ import annotations

import sys

import libcst as cst
import numpy as np
import pytest

from kerascheck.extract.interpreter import Interpreter
from kerascheck.extract.numpy_values import NdArray
from kerascheck.shapes import UNKNOWN

PRELUDE = "import numpy as np\nfrom numpy import array, prod\nimport numpy\n"

FOLLOWED = [
    # Hands-On ML's simulated series: columns side by side, negated exponents, inverted masks
    "t = np.arange(48)\nload = np.random.normal(0, 1, 48)\nv = np.c_[load, np.sin(t)].astype('float32').shape",
    "v = np.c_[np.zeros((5, 2)), np.ones(5)].shape",
    "t = np.arange(24)\nv = np.exp(-((t % 24 - 19) ** 2) / 8).shape",
    "x = np.random.rand(3, 4)\nv = (+x).shape",
    "x = np.random.rand(6)\nv = np.zeros((6, 2))[~(x > 0.5)].shape[1:]",
    "v = len(array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]))",
    "v = array([0.1, 0.2, 0.3]).reshape((1, 3, 1)).shape",
    "seq = np.array([[1, 2, 3], [4, 5, 6]])\nv = seq.reshape(3, -1).shape",
    "v = int(np.prod((28, 28, 1)))",
    "v = int(prod([32, 32, 3]))",
    "img_shape = (64, 64, 3)\nv = int(np.prod(img_shape))",
    "v = np.prod(np.array([2, 3, 4]))",
    "v = np.sum([1, 2, 3])",
    "v = np.max((3, 9, 2))",
    "v = np.prod(())",
    "v = np.zeros((10, 32, 32, 3)).shape[1:]",
    "v = np.ones(5).shape",
    "x = np.random.rand(1000, 20)\nv = x.shape[1]",
    "x = np.random.randn(8, 4, 2)\nv = x[..., np.newaxis].shape",
    "x = np.random.normal(0, 1, size=(64, 100))\nv = x.shape",
    "x = np.random.normal(loc=0.0, scale=1.0, size=(5, 28, 28))\nv = np.expand_dims(x, -1).shape",
    "x = np.random.randint(0, 10, size=(100,))\nv = x.shape",
    "x = np.random.random((3, 4))\nv = (x * 0.5 + 1).shape",
    "a, b = np.random.rand(2, 16, 1)\nv = a.shape",
    "x = np.zeros((4, 3))\nv = x.T.shape",
    "x = np.zeros((4, 3, 2))\nv = (x.ndim, x.size)",
    "x = np.empty((6, 5))\nv = x[1:4, 0].shape",
    "x = np.zeros((2, 3))\nv = x.astype('float32').flatten().shape",
    "v = np.arange(10).reshape((2, 5)).shape",
    "v = np.linspace(0, 1, 50).shape",
    # the numbers themselves (stochastic-depth rates: `if rate` decides whether a block gets its layer)
    "v = np.linspace(0.0, 0.1, 4)",
    "v = np.linspace(-0.3, 0.7, 11)",
    "v = np.linspace(2, 3, num=5, endpoint=False)",
    "v = np.linspace(0, 1, 1)",
    "v = np.linspace(5, 5, 3)",
    "v = np.linspace(0.1, 0.0, 7)",
    "v = [bool(r) for r in np.linspace(0.0, 0.2, 3)]",
    "v = int(np.sqrt(64))",
    "v = int(np.ceil(7 / 2))",
    "v = np.pi * 2",
    "x = np.zeros((3, 1, 5))\nv = x.squeeze().shape",
    "x = np.zeros((7, 2))\nv = np.zeros_like(x).shape",
    "x = np.ones((2, 3)) + np.ones((4, 1, 3))\nv = x.shape",
    "v = array([1, 2, 3])[1]",
    "v = np.repeat([-1, 1], 3)",
    "y = np.repeat([-1, 1], 50)\nv = np.where(y == 1, 7.0, 5.0)[:, None].shape",
    "t = np.linspace(0.0, 1.0, 20)\nf = np.ones((6, 1))\nv = np.sin(2 * np.pi * f * t[None, :]).shape",
    "rng = np.random.default_rng(0)\nv = rng.standard_normal((6, 20)).shape",
    "x = np.zeros((30, 20, 1))\nidx = np.random.permutation(len(x))\nv = x[idx].shape",
    "x = np.zeros((5, 4))\nv = x[..., None].shape",
    # a spectrogram pipeline (windowed frames, np.stack, np.fft) and joining arrays
    "frames = [np.zeros(255) * np.hanning(255) for i in range(11)]\nv = np.abs(np.fft.rfft(np.stack(frames), n=256)).shape",
    "v = np.stack([np.zeros((3, 2)), np.ones((3, 2))], axis=-1).shape",
    "v = np.concatenate((np.repeat([-1, 1], 3), np.array([7, 8])), axis=0)",
    "v = np.concatenate([np.zeros((2, 3)), np.zeros((2, 4))], axis=1).shape",
    "v = np.vstack([np.zeros(4), np.ones(4)]).shape",
    "v = np.hstack([np.zeros((2, 3)), np.ones((2, 1))]).shape",
    "v = np.hstack([np.arange(3), np.arange(2)])",
    "v = (np.kaiser(12, 5.0).shape, np.hamming(7).shape, np.blackman(0).shape)",
    "v = np.fft.fft(np.zeros((4, 10)), axis=0).shape",
    "v = np.fft.irfft(np.zeros(9)).shape",
    "v = np.fft.rfft(np.zeros(10), 7).shape",
    # class counts from labels
    "v = np.unique(np.repeat([3, -1, 3, 1], 2))",
    "v = len(np.unique(np.array(['cat', 'dog', 'cat'])))",
    "v = np.array(['down', 'go', 'left'])[1]",
    "y = np.repeat([-1, 1], 5)\nn = len(np.unique(y))\ny[y == -1] = 0\nv = (n, y)",
    # an array changed in place keeps its shape and forgets its elements (under every name)
    "y = np.array([0, 0, 1])\nz = y\nz += 1\nv = y",
    "y = np.array([3, 1, 2])\ny.sort()\nv = y",
    "y = np.array([1, 2, 3])\nrng = np.random.default_rng(0)\nrng.shuffle(y)\nv = y",
    "import random\ny = np.array([1, 2, 3, 4])\nrandom.shuffle(y)\nv = y",
    "y = np.array([1, 2, 3, 4])\nnp.random.shuffle(y)\nv = y",
    # axes moved, running sums, and statistics of arrays whose elements are not followed
    "v = np.swapaxes(np.zeros((20, 100, 32, 32)), 0, 1).shape",
    "v = np.moveaxis(np.zeros((2, 3, 4)), 0, -1).shape",
    "v = np.transpose(np.zeros((2, 3, 4)), (1, 0, 2)).shape",
    "v = (np.zeros((2, 3, 4)).transpose(2, 0, 1).shape, np.zeros((2, 3, 4)).swapaxes(0, 2).shape)",
    "v = (np.cumsum(np.ones((3, 4))).shape, np.cumsum(np.ones((3, 4)), axis=1).shape)",
    "x = np.random.rand(5, 1)\nv = ((x - x.min()) / (x.max() - x.min())).shape",
    # the sliding window of time-series notebooks: a loop longer than the usual limit, over a small body
    "data = np.zeros((1258, 1))\nX = []\nfor i in range(60, len(data)):\n    X.append(data[i - 60:i, 0])\nv = np.array(X).shape",
    "text = 'abc' * 300\nidx = {c: i for i, c in enumerate('abc')}\nv = np.array([idx[c] for c in text]).shape",
    # splitting, identity matrices, element-by-element powers, reductions along axes
    "train = np.zeros((784, 8))\nv = np.array(np.split(train, len(train) / 7)).shape",
    "v = (np.eye(4).shape, np.eye(3, 5, dtype='float32').shape)",
    "adj = np.ones((6, 6)) + np.eye(6)\nd = np.power(adj.sum(1), -0.5)\nv = (adj * d[:, None] * d[None, :]).shape",
    "x = np.zeros((2, 3, 4))\nv = (x.sum(1).shape, np.mean(x, axis=(1, 2), keepdims=True).shape, x.max(axis=-1).shape)",
    # builtins and classes that builders use
    "v = list(enumerate(['a', 'b'], start=1)) + list(enumerate('cd', 5))",
    "v = (sorted([3, 1, 2], reverse=True), list(zip([1, 2], 'ab', strict=True)))",
    "v = getattr(np, 'zeros')((2, 3)).shape",
    "class Net:\n    @staticmethod\n    def build(width):\n        return width * 2\n"
    "    @classmethod\n    def make(cls, w):\n        return cls.build(w) + 1\n"
    "    @property\n    def depth(self):\n        return 7\n"
    "v = (Net.build(width=3), Net.make(4), Net().build(5), Net().depth)",
    "i = 0\nacc = []\nwhile i < 5:\n    acc.append(i)\n    i += 1\nelse:\n    acc.append(-1)\nv = (i, acc)",
    "acc = []\nfor i in range(5):\n    acc.append(i)\n    if i == 2:\n        break\nv = acc",
    # configuration objects: NamedTuple and dataclass records, argparse defaults, JSON strings
    "from typing import NamedTuple, List\nclass Cfg(NamedTuple):\n    size: int = 32\n    widths: List[int] = [16, 32]\n"
    "    rate: float = 0.1\nc = Cfg(64, rate=0.5)\nv = (c.size, c.widths, c.rate)",
    "from dataclasses import dataclass, field\n@dataclass\nclass Cfg:\n    units: int\n    dims: list = field(default_factory=list)\n"
    "    depth: int = field(default=3)\n    def __post_init__(self):\n        self.total = self.units * self.depth\n"
    "c = Cfg(8)\nv = (c.units, c.dims, c.depth, c.total)",
    "import argparse\np = argparse.ArgumentParser()\np.add_argument('--batch-size', type=int, default='16')\n"
    "p.add_argument('--lr', type=float, default=3e-4)\np.add_argument('-v', '--verbose', action='store_true')\n"
    "g = p.add_argument_group('model')\ng.add_argument('--units', dest='n_units', default=64)\n"
    "a = p.parse_args([])\nv = (a.batch_size, a.lr, a.verbose, a.n_units)",
    # `parse_args()` as `python train.py` runs it: every option takes its default
    "import argparse\np = argparse.ArgumentParser()\np.add_argument('--units', type=int, default=8)\n"
    "p.add_argument('--widths', type=int, nargs='+', default=[48, 96])\na = p.parse_args()\nv = (a.units, a.widths)",
    "import json\ncfg = json.loads('{\"layers\": [{\"filters\": 16}, {\"filters\": 32}], \"rate\": 0.5}')\n"
    "v = (cfg['layers'][1]['filters'], cfg['rate'])",
    "import string\nv = len(string.ascii_lowercase + string.digits + string.punctuation)",
    "from functools import reduce\nv = reduce(lambda acc, w: acc * w, [2, 3, 4], 1)",
    "t = np.arange(48)\nv = (t % 24).shape",
    "v = (np.column_stack([np.zeros(5), np.ones(5)]).shape, np.column_stack([np.zeros((5, 2)), np.ones(5)]).shape)",
    "v = np.arange(0, 20, dtype='float32').shape",
    # decorators, iterator helpers, in-file text (CSV, regular-expression tokenising), callable objects
    "def register(fn):\n    def wrapper(**kw):\n        return fn(**{'a': 1, **kw})\n    return wrapper\n\n"
    "@register\ndef f(a, b=2):\n    return a + b\nv = f(b=5)",
    "import itertools\nv = list(itertools.product([1, 2], 'ab')) + list(itertools.chain([1], (2, 3)))",
    "v = max(map(len, (s for s in ['ab', 'c', 'def'])))",
    "import csv, io\nr = csv.reader(io.StringIO('a;b\\n1;2\\n3;4\\n'), delimiter=';')\nh = next(r)\nv = (h, [row for row in r])",
    "import re\nv = [x.strip() for x in re.split(r'(\\W+)', 'Mary went to the office.') if x.strip()]",
    "v = 'a\\nb\\nc'.splitlines()",
    "s = set()\nfor w in ['a b', 'b c']:\n    s |= set(w.split())\nv = sorted(s)",
    "class B:\n    def __init__(self, n):\n        self.n = n\n    def __call__(self, k=1):\n        return self.n * k\nv = B(3)(k=2)",
    # Python's math, dicts and sets, as model builders use them
    "import math\nv = int(math.ceil(1.5 * 3))",
    "import math\nv = math.floor(7 / 2) + math.pi",
    "from math import prod\nv = prod((2, 3, 4))",
    "d = {'a': 1, 'b': 2}\nd2 = dict(d)\nv = (d2.pop('a'), d2, d)",
    "d = {}\nd.setdefault('k', 3)\nd.update({'j': 4}, z=5)\nv = sorted(d.items())",
    "v = len(sorted(set('hello world')))",
    "v = sorted({3, 1, 2})",
    "k = 3\nv = (isinstance(k, int), isinstance((3, 3), (int, tuple)), isinstance('x', list), isinstance([], list))",
    "alpha = 0.5\nv = f'mobilenetv2_{alpha:0.2f}_{224}_{alpha!r}_{\"s\":>4}'",
]

NOT_FOLLOWED = [
    "v = np.c_[1:4, np.zeros(3)]",  # a slice in np.c_ makes a range: not followed
    "v = -(np.arange(4) > 2)",  # NumPy refuses `-` of booleans
    "v = ~np.arange(4)",  # bits flipped: values not followed
    "v = np.loadtxt('data.csv').shape",  # reads a file: one axis or two
    "v = np.random.permutation(some_module.rows)",  # a count or an array (shuffled whole): not told apart
    "v = np.zeros((4, 6))[:, some_module.i]",  # an unknown int index drops its axis, an unknown slice keeps it
    "v = np.random.rand()",  # one random number
    "v = np.zeros((2, 3)) + np.zeros((4, 5))",  # NumPy raises
    "v = np.arange(10).reshape((3, 4))",  # NumPy raises
    "v = np.prod(np.random.rand(3))",  # values unknown
    "v = np.mean([1, 2, 3], axis=0)",
    "v = bool(np.zeros(3))",
    "v = np.array([[1, 2], [3]], dtype=object).shape",  # ragged
    "import math\nv = math.factorial(5)",  # outside the subset
    "import math\nv = math.sqrt(-1)",  # Python raises
    "d = {'a': 1}\nv = d.pop('b')",  # Python raises KeyError
    "v = f'{3:z}'",  # Python raises: unknown format code
    "v = isinstance(unknown_thing, int)",
    "y = np.array([0, 0, 1])\ny[0] = 5\nv = np.max(y)",  # changed in place
    "y = np.array([2, 1])\nsome_module.normalise(y)\nv = np.unique(y)",  # may have been changed in place
    "v = np.stack([np.zeros(3), np.zeros(4)])",  # NumPy raises
    # a list or dict changed under a condition (or loop count) kerascheck cannot know
    "acc = []\nfor i in range(unknown_count):\n    acc.append(i)\nv = len(acc)",
    "shape = [28, 28]\nif unknown_flag:\n    shape.append(1)\nv = shape",
    "d = {'units': 4}\nif unknown_flag:\n    d['units'] = 8\nv = d['units']",
    "d = {'units': 4}\nif unknown_flag:\n    d.update(units=8)\nv = d.get('units')",
    "sizes = [1, 2]\nif unknown_flag:\n    sizes.append(3)\nv = 3 in sizes",
    "v = np.fft.rfft(np.zeros(0))",  # NumPy raises
    "v = np.split(np.zeros((10, 2)), 3)",  # NumPy raises: not an equal division
    "v = list(zip([1, 2], [3], strict=True))",  # Python raises
    "acc = []\nfor i in range(5):\n    acc.append(i)\n    if unknown_flag:\n        break\nv = len(acc)",
    "i = 0\nwhile i < unknown_n:\n    i += 1\nv = i",
    "import argparse\np = argparse.ArgumentParser()\np.add_argument('data')\np.add_argument('--units', default=8)\n"
    "v = p.parse_args().data",  # given on the command line
    "import argparse\np = argparse.ArgumentParser()\np.add_argument('data')\nv = p.parse_args([])",  # argparse exits
    "import json\nv = json.loads('{not json')",  # json raises
    "import re\nv = re.split(r'(a+)+b', 'aaaa')",  # a pattern that can backtrack exponentially is not run
    "acc = []\nwhile True:\n    acc.append(1)\n    if len(acc) > unknown_n:\n        break\nv = len(acc)",
    "v = np.unique(np.array(['a', 1, 'a']))",  # NumPy turns 1 into '1'
]


def kerascheck_value(code: str) -> object:
    interp = Interpreter()
    source = PRELUDE + code + "\n"
    interp.run_unit(cst.parse_module(source), None, source)
    return interp.globals.vars["v"]


def numpy_value(code: str, argv: tuple[str, ...] = ()) -> object:
    """The snippet run by Python, as `python train.py ARGV...` would run it."""
    namespace: dict[str, object] = {}
    saved = sys.argv
    sys.argv = ["train.py", *argv]
    try:
        exec(PRELUDE + code + "\n", namespace)  # the test's own snippets, with real NumPy
    finally:
        sys.argv = saved
    return namespace["v"]


def as_comparable(value: object) -> object:
    if isinstance(value, np.ndarray):
        return ("array", value.shape)
    if isinstance(value, NdArray):
        return ("array", value.shape)
    if isinstance(value, tuple):
        return tuple(as_comparable(v) for v in value)
    if isinstance(value, np.generic):
        return value.item()
    return value


@pytest.mark.parametrize("code", FOLLOWED)
def test_followed_like_numpy(code: str) -> None:
    expected = numpy_value(code)
    got = kerascheck_value(code)
    assert got is not UNKNOWN, code
    assert as_comparable(got) == as_comparable(expected)
    assert type(as_comparable(got)) is type(as_comparable(expected))
    if isinstance(got, NdArray) and got.values is not None:
        assert list(got.values) == np.asarray(expected).ravel().tolist()


@pytest.mark.parametrize("code", NOT_FOLLOWED)
def test_not_followed_is_unknown(code: str) -> None:
    try:
        expected = numpy_value(code)
    except (Exception, SystemExit):  # argparse exits on a command line it cannot parse
        expected = None  # NumPy raises, or the snippet needs a file: kerascheck must not invent a value either
    got = kerascheck_value(code)
    if isinstance(got, NdArray) and expected is not None:
        # `np.prod(np.random.rand(3))`: a number whose value is not known, as a 0-d array without elements
        assert got.values is None and got.shape == np.shape(expected)
    else:
        assert got is UNKNOWN


def test_parse_args_gives_defaults_and_leaves_what_the_command_line_must_give_unknown() -> None:
    """`python train.py data.csv`: `--units` takes its default, the positional `data` is the command line's."""
    code = ("import argparse\np = argparse.ArgumentParser()\np.add_argument('data')\n"
            "p.add_argument('--units', type=int, default='8')\na = p.parse_args()\nv = (a.units, a.data)")
    units, data = kerascheck_value(code)
    assert units == numpy_value(code, ("rows.csv",))[0]
    assert data is UNKNOWN


def test_a_mask_selects_an_unknown_number_of_rows_and_keeps_the_other_axes() -> None:
    """`x[y == 1]`: how many rows the mask keeps is in the values, the other axes are x's."""
    from kerascheck.extract.tables import DataArray

    code = "x = np.zeros((30, 2))\ny = np.repeat([0, 1], 15)\nv = x[y == 1]"
    got = kerascheck_value(code)
    assert isinstance(got, DataArray) and got.shape == (None, *np.shape(numpy_value(code))[1:])
