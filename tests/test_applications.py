"""`keras.applications` backbones (extract/applications.py) against the models real Keras builds.

Each snippet uses an application the way transfer-learning scripts do: as the base of a new head,
at its default size or another input size, with `include_top`, `pooling` and `classes`, and with
`preprocess_input` on the input. Every layer of every model (the application's own and the
script's) must agree with Keras in type, output shape and parameter count, as for the realworld
corpus (`layer_agreement`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_oracle import keras_result, kerascheck_result, layer_agreement

from kerascheck.extract.applications import lookup

HEAD = "import keras\nfrom keras import layers\n"

CASES = {
    "mobilenetv2 base at 160": (
        "MobileNetV2",
        "base = keras.applications.MobileNetV2(input_shape=(160, 160, 3), include_top=False, weights=None)\n"
        "base.trainable = False\n"
        "inputs = keras.Input(shape=(160, 160, 3))\n"
        "x = keras.applications.mobilenet_v2.preprocess_input(inputs)\n"
        "x = base(x, training=False)\n"
        "x = layers.GlobalAveragePooling2D()(x)\n"
        "model = keras.Model(inputs, layers.Dense(1)(layers.Dropout(0.2)(x)))\n",
    ),
    "mobilenetv2 odd size, avg pooling": (
        "MobileNetV2",
        "base = keras.applications.MobileNetV2(input_shape=(97, 97, 3), include_top=False, weights=None,"
        " pooling='avg')\n",
    ),
    "densenet121 top with 7 classes": (
        "DenseNet121",
        "net = keras.applications.DenseNet121(include_top=True, weights=None, classes=7)\n",
    ),
    "densenet121 base, no input shape": (
        "DenseNet121",
        "base = keras.applications.DenseNet121(include_top=False, weights=None)\n"
        "inputs = keras.Input(shape=(128, 128, 3))\n"
        "model = keras.Model(inputs, layers.Dense(5, activation='softmax')(layers.GlobalAveragePooling2D()("
        "base(inputs))))\n",
    ),
    "resnet50 max pooling": (
        "ResNet50",
        "base = keras.applications.ResNet50(input_shape=(200, 200, 3), include_top=False, weights=None,"
        " pooling='max')\n",
    ),
    "efficientnetb0 sequential head": (
        "EfficientNetB0",
        "model = keras.Sequential([keras.Input(shape=(224, 224, 3)),"
        " keras.applications.EfficientNetB0(include_top=False, weights=None), layers.GlobalAveragePooling2D(),"
        " layers.Dense(3, activation='softmax')])\n",
    ),
    "vgg16 top": ("VGG16", "net = keras.applications.VGG16(weights=None, classes=10, classifier_activation=None)\n"),
    "mobilenet v1 top with 5 classes": (
        "MobileNet",
        "net = keras.applications.MobileNet(input_shape=(128, 128, 3), weights=None, classes=5)\n",
    ),
    "nasnetmobile base": (
        "NASNetMobile",
        "base = keras.applications.NASNetMobile(include_top=False, weights=None, pooling='avg')\n",
    ),
    "inceptionv3 base": (
        "InceptionV3",
        "base = keras.applications.InceptionV3(input_shape=(299, 299, 3), include_top=False, weights=None)\n",
    ),
}


@pytest.mark.parametrize(("application", "code"), list(CASES.values()), ids=list(CASES))
def test_application_agrees_with_keras(tmp_path: Path, application: str, code: str) -> None:
    if lookup(f"keras.applications.{application}") is None:
        pytest.fail(f"{application} is not in kerascheck/data/applications.json.gz")
    path = tmp_path / "transfer.py"
    path.write_text(HEAD + code, encoding="utf-8")
    assert keras_result(str(path)).error is None
    layers = layer_agreement(str(path))
    assert layers, "Keras built no model"
    wrong = [f"{layer.model} #{layer.index} {layer.keras.name}: {layer.why}" for layer in layers if not layer.agrees]
    assert not wrong, "\n".join(wrong[:20])
    assert not [d for d in kerascheck_result(str(path))["diagnostics"] if d["severity"] in ("error", "warning")]


def test_a_width_multiplier_is_not_guessed() -> None:
    """The data holds each application at its default options: `alpha=0.75` builds other layers."""
    from kerascheck.engine import check_text

    result = check_text("alpha.py", HEAD + "base = keras.applications.MobileNetV2(input_shape=(128, 128, 3),"
                        " include_top=False, weights=None, alpha=0.75)\n")
    assert not any(model.name == "base" for model in result.models)
