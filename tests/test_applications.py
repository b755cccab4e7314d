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
    "mobilenetv2 alpha 0.75 with a head": (
        "MobileNetV2",
        "base = keras.applications.MobileNetV2(input_shape=(150, 150, 3), alpha=0.75, include_top=False,"
        " weights=None)\n"
        "inputs = keras.Input(shape=(150, 150, 3))\n"
        "model = keras.Model(inputs, layers.Dense(2, activation='softmax')(layers.GlobalAveragePooling2D()("
        "base(inputs, training=False))))\n",
    ),
    "mobilenet v1 alpha 0.5 top, dropout": (
        "MobileNet",
        "net = keras.applications.MobileNet(input_shape=(128, 128, 3), alpha=0.5, dropout=0.3, weights=None,"
        " classes=4)\n",
    ),
    "mobilenetv3small minimalistic top": (
        "MobileNetV3Small",
        "net = keras.applications.MobileNetV3Small(input_shape=(96, 96, 3), minimalistic=True, weights=None,"
        " classes=6, dropout_rate=0.1)\n",
    ),
    "mobilenetv3large alpha 0.75 avg": (
        "MobileNetV3Large",
        "base = keras.applications.MobileNetV3Large(input_shape=(160, 160, 3), alpha=0.75, include_top=False,"
        " weights=None, pooling='avg')\n",
    ),
    "resnet50v2 on the caller's tensor after augmentation": (
        "ResNet50V2",
        "inputs = keras.Input(shape=(128, 128, 3))\n"
        "x = layers.RandomFlip('horizontal')(inputs)\n"
        "x = layers.Rescaling(1 / 255.0)(x)\n"
        "base = keras.applications.ResNet50V2(include_top=False, weights=None, input_tensor=x)\n"
        "x = layers.GlobalAveragePooling2D()(base.output)\n"
        "model = keras.Model(inputs, layers.Dense(3, activation='softmax')(x))\n",
    ),
    "vgg16 top on an Input tensor": (
        "VGG16",
        "image = keras.Input(shape=(224, 224, 3))\n"
        "net = keras.applications.vgg16.VGG16(input_tensor=image, weights=None, classes=12)\n",
    ),
    "library functions in Lambda layers": (
        "MobileNetV2",
        "base = keras.applications.MobileNetV2(input_shape=(96, 96, 3), include_top=False, weights=None)\n"
        "inputs = keras.Input(shape=(96, 96, 3))\n"
        "x = layers.Lambda(keras.applications.mobilenet_v2.preprocess_input, name='scale')(inputs)\n"
        "x = layers.GlobalAveragePooling2D()(base(x))\n"
        "x = layers.Lambda(keras.ops.abs)(x)\n"
        "model = keras.Model(inputs, layers.Dense(4)(x))\n",
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


@pytest.mark.parametrize("options", ["alpha=0.6", "alpha=0.75, minimalistic=True", "depth_multiplier=2",
                                     "alpha=width"])
def test_an_option_the_data_lacks_is_not_guessed(options: str) -> None:
    """The data holds each application at its default options and at the widths Keras ships weights for:
    another width, two changed options at once or another option builds layers the data does not hold."""
    from kerascheck.engine import check_text

    constructor = "MobileNetV3Small" if "minimalistic" in options else "MobileNet"
    result = check_text("alpha.py", HEAD + f"base = keras.applications.{constructor}(input_shape=(128, 128, 3),"
                        f" include_top=False, weights=None, {options})\n")
    assert not any(model.name == "base" for model in result.models)


def test_a_listed_width_is_followed() -> None:
    """The counterpart of the test above: the same call at a width the data holds gives the model."""
    from kerascheck.engine import check_text

    result = check_text("alpha.py", HEAD + "base = keras.applications.MobileNet(input_shape=(128, 128, 3),"
                        " include_top=False, weights=None, alpha=0.75)\n")
    assert any(model.name == "base" for model in result.models)
