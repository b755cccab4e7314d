"""Which Keras object an import path names, whatever the spelling.

`tf.keras.layers.Conv2D`, `tensorflow.keras.layers.Conv2D`, `keras.layers.convolutional.Conv2D`
and `from keras.layers import Convolution2D` all name the same catalogue entry.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator
from typing import Any

import libcst as cst

from kerascheck.extract.nested import uncatalogued_spec
from kerascheck.extract.numpy_values import CONSTANTS, MATH_CONSTANTS
from kerascheck.extract.values import Builtin, Factory, LayerClass, MergeFunction, Module
from kerascheck.layers import CATALOGUE
from kerascheck.shapes import UNKNOWN

_PREFIXES = (
    ("tensorflow.python.keras", "keras"),
    ("tensorflow.keras", "keras"),
    ("tf_keras", "keras"),
    ("keras.src", "keras"),
)
FACTORIES = {"Sequential", "Model", "Input", "InputLayer", "Functional", "Layer"}
STRING_CONSTANTS = {name: getattr(string, name) for name in (
    "ascii_letters", "ascii_lowercase", "ascii_uppercase", "digits", "hexdigits", "octdigits", "punctuation",
    "printable", "whitespace")}
ROOTS = ("keras", "tensorflow", "tf_keras", "functools", "numpy", "math", "json", "argparse", "string", "itertools", "io", "csv", "re",
         "pandas", "sklearn", "ast", "os")
MERGE_FUNCTIONS = {
    "add": "Add", "subtract": "Subtract", "multiply": "Multiply", "average": "Average",
    "maximum": "Maximum", "minimum": "Minimum", "concatenate": "Concatenate", "dot": "Dot",
}


def normalize(path: str) -> str:
    for prefix, replacement in _PREFIXES:
        if path == prefix or path.startswith(prefix + "."):
            return replacement + path[len(prefix):]
    return path


def is_keras_root(module: str) -> bool:
    return module.split(".")[0] in ROOTS


# The Keras 3 layers the catalogue does not model (tests/test_catalogue_signatures.py checks this list against
# the installed Keras): a call of one stays a layer of its model, of unknown output shape and parameters,
# so that the layers around it keep their places. (Not listed: the base classes `Layer`, `Wrapper`,
# `InputLayer`, and the wrappers of other frameworks' code.)
UNCATALOGUED_LAYERS = frozenset({
    "AdaptiveAveragePooling1D", "AdaptiveAveragePooling2D", "AdaptiveAveragePooling3D", "AdaptiveMaxPooling1D",
    "AdaptiveMaxPooling2D", "AdaptiveMaxPooling3D", "AugMix", "AutoContrast",
    "ContrastLimitedAdaptiveHistogramEqualization", "CutMix", "EinsumDense", "Equalization",
    "GroupQueryAttention", "HashedCrossing", "Hashing", "IntegerLookup", "MaxNumBoundingBoxes", "MelSpectrogram",
    "MixUp", "Pipeline", "RMSNormalization", "RandAugment", "RandomColorDegeneration", "RandomColorJitter",
    "RandomElasticTransform", "RandomErasing", "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert",
    "RandomPerspective", "RandomPosterization", "RandomSaturation", "RandomSharpness", "RandomShear",
    "ReversibleEmbedding", "STFTSpectrogram", "Solarization", "SpectralNormalization", "StringLookup",
    "TextVectorization",
})
NOT_LAYERS_OF_A_MODEL = frozenset({"Layer", "Wrapper", "InputLayer", "FlaxLayer", "JaxLayer", "TorchModuleWrapper",
                                   "TFSMLayer"})


def resolve(path: str) -> Any:
    """The abstract value a dotted import path names."""
    norm = normalize(path)
    parts = norm.split(".")
    if parts[0] == "numpy":
        # `np.prod`, `numpy.random.rand`: followed by extract.numpy_values; `np.newaxis` is None.
        if len(parts) == 2 and parts[1] in CONSTANTS:
            return CONSTANTS[parts[1]]
        return Module(norm)
    if norm in ("tensorflow.newaxis", "tf.newaxis", "keras.ops.newaxis"):
        return None  # `spec[..., tf.newaxis]`: NumPy's None
    if parts[0] == "math":
        if len(parts) == 2 and parts[1] in MATH_CONSTANTS:
            return MATH_CONSTANTS[parts[1]]
        return Module(norm)  # `math.ceil`: followed by extract.numpy_values.math_call
    if parts[0] == "string":
        # `string.ascii_lowercase`: the standard library's constant strings
        return STRING_CONSTANTS.get(parts[1], UNKNOWN) if len(parts) == 2 else UNKNOWN
    if parts[0] == "itertools":
        return Builtin(norm) if norm in ("itertools.product", "itertools.chain") else UNKNOWN
    if parts[0] in ("pandas", "sklearn"):
        return Module(norm)  # frames, series and scikit-learn's transforms: see extract.tables
    if parts[0] == "os":
        return Module(norm) if norm in ("os", "os.path", "os.path.join") else UNKNOWN  # a path of written names
    if parts[0] in ("json", "argparse", "io", "csv", "re") or norm == "ast.literal_eval":
        return Module(norm)  # `json.loads` of a literal, `argparse.ArgumentParser`: see the interpreter
    if parts[0] == "functools":
        if norm in ("functools.partial", "functools.reduce"):
            return Builtin(norm.split(".")[1])
        return Module(path)
    if parts[0] != "keras":
        return Module(path) if parts[0] == "tensorflow" else UNKNOWN
    last = parts[-1]
    if len(parts) >= 2:
        if last in FACTORIES:
            return Factory("Model" if last == "Functional" else last)
        spec = CATALOGUE.get(last)
        if spec is not None:
            return LayerClass(spec, last)
        if last in MERGE_FUNCTIONS and parts[-2] in ("layers", "merge", "merging"):
            return MergeFunction(CATALOGUE[MERGE_FUNCTIONS[last]], last)
        if parts[1] == "applications":
            return Module(norm)  # `keras.applications.MobileNetV2`: built from data, see extract.applications
        if parts[1] in ("losses", "activations", "optimizers", "metrics", "backend", "utils", "ops", "callbacks"):
            return Module(path)  # read where used: loss objects, activation functions
        if last in UNCATALOGUED_LAYERS and parts[1] == "layers":
            return LayerClass(uncatalogued_spec(last), last)
        if last[:1].isupper():
            return UNKNOWN  # a Keras class kerascheck does not catalogue
    return Module(path)


def star_import(module: str) -> dict[str, Any]:
    """What `from <module> import *` binds, for the Keras modules that hold layers and models."""
    norm = normalize(module)
    names: dict[str, Any] = {}
    if norm.startswith("keras.layers") or norm == "keras":
        for name, spec in CATALOGUE.items():
            names[name] = LayerClass(spec, name)
        for name in UNCATALOGUED_LAYERS:
            names[name] = LayerClass(uncatalogued_spec(name), name)
        names["Input"] = Factory("Input")
        names["InputLayer"] = Factory("InputLayer")
        names["Layer"] = Factory("Layer")
        for name, cls in MERGE_FUNCTIONS.items():
            names[name] = MergeFunction(CATALOGUE[cls], name)
    if norm.startswith("keras.models") or norm == "keras":
        names["Sequential"] = Factory("Sequential")
        names["Model"] = Factory("Model")
    return names


def import_bindings(node: cst.Import | cst.ImportFrom, code: Callable[[cst.CSTNode], str]) -> Iterator[tuple[str, Any]]:
    """The names an import statement binds, and their values (`code` spells a node as written)."""

    def alias_name(alias: cst.ImportAlias) -> str:
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            return alias.asname.name.value
        return code(alias.name).split(".")[0]

    if isinstance(node, cst.Import):
        for alias in node.names:
            dotted = code(alias.name)
            if not is_keras_root(dotted):
                yield (alias.asname.name.value if alias.asname else dotted.split(".")[0]), UNKNOWN  # type: ignore[union-attr]
            elif alias.asname is not None:
                yield alias.asname.name.value, resolve(dotted)  # type: ignore[union-attr]
            else:
                root = dotted.split(".")[0]
                yield root, Module(root)
        return
    if node.relative or node.module is None:
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                yield alias_name(alias), UNKNOWN
        return
    module = code(node.module)
    keras = is_keras_root(module)
    if isinstance(node.names, cst.ImportStar):
        if keras:
            yield from star_import(module).items()
        return
    for alias in node.names:
        name = code(alias.name)
        yield alias_name(alias), resolve(f"{module}.{name}") if keras else UNKNOWN
