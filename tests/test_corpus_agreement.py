"""The corpus agreement (issue 3): on realistic model code, kerascheck agrees with Keras on at least 99% of layers.

fixtures/realworld/ holds scripts and notebooks written in the styles of the Keras examples, the
TensorFlow tutorials and the popular Keras books (GANs, autoencoders, seq2seq, text classifiers,
ResNet/U-Net/Inception/DenseNet/MobileNet builders, multi-input and multi-output models, subclassed
models). Every layer of every model Keras builds at module level counts once; it agrees when
kerascheck gives it the same type, output shape and parameter count (`layer_agreement` in
test_oracle.py, the comparison test_models_match_keras makes). A model kerascheck misses counts
all its layers as disagreements. `python benchmarks/agreement.py` prints the same figure.

Below the 99% target that test is a strict xfail, and a second test keeps the figure from falling
below what was measured; both list every disagreeing layer.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from keras_oracle import fixture_paths
from test_oracle import LayerAgreement, keras_result, kerascheck_result, layer_agreement

CORPUS_GROUP = "realworld"
TARGET_AGREEMENT = 0.99
# Measured on 154 files, 402 models: 5750 of 5772 layers agree (99.6%). Six batches of files were written
# blind (without running kerascheck) to measure code it had not been tuned on; at first 293 of 423 layers
# agreed (69.3%), 466 of 716 (65.1%), 308 of 539 (57.1%) and 339 of 565 (60.0%) for four batches in varied,
# unusual styles, and 238 of 265 (89.8%) and 224 of 249 (90.0%) for two batches of everyday code; all but
# 4 layers after the fixes they prompted. The rest are the realworld/ entries of KNOWN_MODEL_BUGS: a
# hyperparameter object chosen by a try/except import (keras_tuner_hypermodel) and class counts taken
# from random labels (cnn_lstm_har_brownlee, subclassed_tabular_and_cnn).
MEASURED_AGREEMENT = "5750/5772 layers = 99.6%"
BELOW_TARGET = False  # strict: set while kerascheck is below the target, so the test has to be revisited
FLOOR = 0.995  # never fall below what was measured (99.62%)


def measure(paths: list[str] | None = None) -> dict[str, Any]:
    """Files, models, layers and agreeing layers over the corpus, with every disagreeing layer."""
    paths = fixture_paths(CORPUS_GROUP) if paths is None else paths
    layers: list[LayerAgreement] = []
    models = 0
    for path in paths:
        oracle = keras_result(path)
        assert oracle.error is None, f"{path}: Keras cannot build this corpus file: {oracle.error.exception}"
        models += len(oracle.models)
        layers.extend(layer_agreement(path))
    agreeing = sum(layer.agrees for layer in layers)
    return {
        "files": len(paths),
        "models": models,
        "layers": len(layers),
        "agreeing": agreeing,
        "agreement": agreeing / len(layers) if layers else 1.0,
        "disagreements": [layer for layer in layers if not layer.agrees],
    }


def describe(layer: LayerAgreement) -> str:
    return f"{layer.path}: model `{layer.model}` layer {layer.index} `{layer.keras.name}` ({layer.keras.type}): {layer.why}"


@functools.cache
def corpus_figure() -> dict[str, Any]:
    return measure()


def test_corpus_has_models() -> None:
    figure = corpus_figure()
    assert figure["files"] >= 40 and figure["models"] >= 80


@pytest.mark.xfail(
    BELOW_TARGET,
    strict=True,
    reason=f"{MEASURED_AGREEMENT}, below the {TARGET_AGREEMENT:.0%} target (see KNOWN_MODEL_BUGS)",
)
def test_kerascheck_agrees_with_keras_on_the_corpus() -> None:
    figure = corpus_figure()
    listing = "\n".join(describe(layer) for layer in figure["disagreements"])
    assert figure["agreement"] >= TARGET_AGREEMENT, (
        f"kerascheck agrees with Keras on {figure['agreeing']} of {figure['layers']} layers "
        f"({figure['agreement']:.2%}, target {TARGET_AGREEMENT:.0%}; measured {MEASURED_AGREEMENT}); "
        f"the disagreeing layers:\n{listing}"
    )


def test_agreement_does_not_regress() -> None:
    figure = corpus_figure()
    listing = "\n".join(describe(layer) for layer in figure["disagreements"])
    assert figure["agreement"] >= FLOOR, (
        f"kerascheck agrees with Keras on {figure['agreeing']} of {figure['layers']} layers "
        f"({figure['agreement']:.2%}), below the measured floor {FLOOR:.1%}; the disagreeing layers:\n{listing}"
    )


@pytest.mark.parametrize("path", fixture_paths("realworld"))
def test_no_warning_on_working_code(path: str) -> None:
    """Precision: the corpus is code that builds and trains as written, so no rule may warn about it."""
    serious = [(d["code"], d.get("cell"), d["line"], d["message"])
               for d in kerascheck_result(path)["diagnostics"] if d["severity"] in ("warning", "error")]
    assert not serious
