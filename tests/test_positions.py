"""Cheap positions (paired with Python's `ast`) agree with LibCST's PositionProvider."""

from __future__ import annotations

import pathlib
import sysconfig

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from kerascheck.extract.positions import Positions, _cst_calls

SAMPLES = {
    "calls-in-statements": (
        "import keras\nfrom keras import layers\n"
        "model = keras.Sequential([\n    keras.Input(shape=(28, 28, 1)),\n"
        "    layers.Conv2D(32, (3, 3), activation='relu'),  # a comment\n"
        "    layers.Flatten(), layers.Dense(10, **kw),\n])\n"
        "if flag: model.add(layers.Dense(4)); model.add(layers.Dense(2))\n"
        "for f in [layers.Dense(i) for i in range(3)]:\n    x = f(layers.Dense(1)(x))\nelse:\n    pass\n"
        "@decorate(layers.Dense(3))\ndef build(n=layers.Dense(2), *a, **k):\n    return keras.Model(inputs=a, outputs=k)\n"
        "try:\n    y = layers.Dense(5)(x)\nexcept ValueError:\n    y = layers.Dense(6)(x)\nfinally:\n    z = f(g(h(1)))(2)\n"
        "with ctx(1) as c, other(2):\n    w = layers.Dense(7)\n"
        "class M(keras.Model):\n    size = max(1, 2)\n    def call(self, x):\n        return self.d(x)\n"
        "s = f'{layers.Dense(3)}'\n"
        "t = 'é' + str(layers.Dense(8, name='ü'))\n"
    ),
    "unicode-columns": "x = 'ééé'; y = keras.layers.Dense(len('ü'))\n",
    "tabs": "if x:\n\tm = keras.Sequential([keras.layers.Dense(1)])\n",
    "elif-chain": "if a:\n    f(1)\nelif b:\n    f(2)\nelif c:\n    f(3)\nelse:\n    f(4)\n",
    "while-else": "while a:\n    f(1)\nelse:\n    f(2)\n",
}


def _statements(body):
    for stmt in body:
        yield stmt
        if isinstance(stmt, cst.SimpleStatementLine):
            continue
        for name in ("body", "orelse", "finalbody", "handlers"):
            part = getattr(stmt, name, None)
            if part is None:
                continue
            for block in part if isinstance(part, (list, tuple)) else [part]:
                inner = getattr(block, "body", None)
                if isinstance(inner, cst.BaseSuite):
                    inner = inner.body
                if isinstance(block, cst.If):
                    yield from _statements([block])
                elif isinstance(inner, (list, tuple)):
                    yield from _statements(inner)


def _compare(text: str, fast_path: list[bool] | None = None) -> int:
    module = cst.parse_module(text)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    positions = Positions(module, None, text)
    checked = 0
    for stmt in _statements(module.body):
        for call in _cst_calls(stmt):
            for node in [call, *call.args]:
                if getattr(node, "lpar", ()):
                    continue  # ast spans exclude a node's own parentheses
                if isinstance(node, cst.Arg) and isinstance(node.value, cst.GeneratorExp):
                    continue  # a bare generator argument: ast's span takes the call's parentheses
                r = expected[node]
                got = positions.span(node, stmt)
                want = (r.start.line, r.start.column + 1)
                assert (got.line, got.column) == want, (cst.Module([]).code_for_node(node), got, want)
                if isinstance(node, cst.Call):
                    assert (got.end_line, got.end_column) == (r.end.line, r.end.column + 1)
                checked += 1
    if fast_path is not None:
        fast_path.append(positions._fallback is None)
    assert not positions._fallback or fast_path is not None, "the sample should not need the fallback"
    return checked


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_positions_match_libcst(name):
    assert _compare(SAMPLES[name]) > 0


def test_positions_match_libcst_on_stdlib_sample():
    stdlib = pathlib.Path(sysconfig.get_paths()["stdlib"])
    files = sorted(stdlib.glob("*.py"))[::15]
    checked = 0
    fast: list[bool] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            cst.parse_module(text)
        except Exception:
            continue
        checked += _compare(text, fast)
    assert checked > 1000
    assert sum(fast) >= 0.9 * len(fast), "the ast pairing should serve nearly every file"
