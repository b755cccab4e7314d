"""Keras 2 code that says so (issue 13, item 6): a file that sets TF_USE_LEGACY_KERAS=1 or imports
tf_keras is tf.keras 2 code, where `lr=`, `input_length=`, `batch_input_shape=` and `fit_generator`
are valid: the rules that only hold for Keras 3 say nothing there, the others still run."""

from __future__ import annotations

import json

import pytest

from kerascheck.engine import check_text, declares_keras2
from kerascheck.rules import ALL_RULES

KERAS2_MODEL = """\
from tensorflow.keras import layers, models, optimizers
model = models.Sequential()
model.add(layers.Embedding(1000, 16, input_length=20))
model.add(layers.Flatten())
model.add(layers.Dense(1, activation="softmax"))
model.compile(optimizer=optimizers.RMSprop(lr=1e-3), loss="binary_crossentropy")
model.fit_generator(batches, steps_per_epoch=10)
"""
LEGACY = 'import os\nos.environ["TF_USE_LEGACY_KERAS"] = "1"\n'


def _codes(text: str) -> set[str]:
    return {d.code for d in check_text("model.py", text).diagnostics}


def test_keras3_file_gets_the_keras3_findings():
    codes = _codes(KERAS2_MODEL)
    assert "KC502" in codes and "KC301" in codes


@pytest.mark.parametrize("header", [LEGACY, "import tf_keras\n", 'import os\nos.environ.setdefault("TF_USE_LEGACY_KERAS", "1")\n'])
def test_declared_keras2_file_gets_only_rules_that_hold_for_it(header: str):
    codes = _codes(header + KERAS2_MODEL)
    assert not codes & {r.CODE for r in ALL_RULES if r.KERAS3_ONLY}
    assert "KC301" in codes  # a softmax over one unit is wrong in every Keras


def test_notebook_declares_it_with_env_magic():
    nb = {"cells": [{"cell_type": "code", "source": ["%env TF_USE_LEGACY_KERAS=1\n"], "metadata": {}, "outputs": []},
                    {"cell_type": "code", "source": KERAS2_MODEL, "metadata": {}, "outputs": []}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    result = check_text("nb.ipynb", json.dumps(nb))
    assert not {d.code for d in result.diagnostics} & {"KC501", "KC502"}


@pytest.mark.parametrize("text", ['# TF_USE_LEGACY_KERAS=0\n', 'x = "tf_keras is a package"\n',
                                  'os.environ["TF_USE_LEGACY_KERAS"] = "0"\n'])
def test_mentions_that_do_not_declare_keras2(text: str):
    assert not declares_keras2(text)
