"""Every catalogue entry against the real Keras class: it exists, its aliases name the same class,
and its declared signature is `inspect.signature(cls.__init__)`, parameter for parameter.

Positional arguments bind by the declared order, so order, defaults and required-ness all matter.
"""

from __future__ import annotations

import inspect
import os

import pytest

os.environ["KERAS_BACKEND"] = "numpy"
keras = pytest.importorskip("keras")

from kerascheck.layers import CATALOGUE  # noqa: E402

NAMES = sorted(CATALOGUE)
SPECS = sorted({spec.name: spec for spec in CATALOGUE.values()}.items())
ALIASES = sorted((name, spec.name) for name, spec in CATALOGUE.items() if name != spec.name)


@pytest.mark.parametrize("name", NAMES)
def test_keras_has_the_layer(name: str) -> None:
    cls = getattr(keras.layers, name, None)
    assert inspect.isclass(cls) and issubclass(cls, keras.layers.Layer), f"keras.layers.{name} is not a layer class"


@pytest.mark.parametrize(("alias", "name"), ALIASES, ids=[f"{a}->{n}" for a, n in ALIASES])
def test_alias_names_the_same_class(alias: str, name: str) -> None:
    assert getattr(keras.layers, alias) is getattr(keras.layers, name)


def keras_signature(cls: type) -> tuple[list[tuple[str, object, bool]], bool, list[str]]:
    """(parameters as (name, default, required), takes **kwargs, parameters the catalogue cannot declare)."""
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]  # drop `self`
    declared, unsupported = [], []
    for p in params:
        if p.kind is p.POSITIONAL_OR_KEYWORD:
            required = p.default is inspect.Parameter.empty
            declared.append((p.name, None if required else p.default, required))
        elif p.kind is not p.VAR_KEYWORD:
            unsupported.append(f"{p.kind.description} {p.name}")
    return declared, any(p.kind is p.VAR_KEYWORD for p in params), unsupported


@pytest.mark.parametrize(("name", "spec"), SPECS, ids=[name for name, _ in SPECS])
def test_signature_matches_keras(name: str, spec: object) -> None:
    declared, takes_kwargs, unsupported = keras_signature(getattr(keras.layers, name))
    assert not unsupported, f"{name} has parameters the catalogue's signature cannot express: {unsupported}"
    ours = [(p.name, None if p.required else p.default, p.required) for p in spec.signature.params]
    assert [p[0] for p in ours] == [p[0] for p in declared], "parameter names or order differ"
    for (pname, default, required), (_, k_default, k_required) in zip(ours, declared, strict=True):
        assert required == k_required, f"{name}({pname}): required is {required}, Keras says {k_required}"
        assert type(default) is type(k_default) and default == k_default, (
            f"{name}({pname}=...): default {default!r}, Keras has {k_default!r}"
        )
    assert spec.signature.accepts_base_kwargs == takes_kwargs, (
        f"{name}: accepts **kwargs is {spec.signature.accepts_base_kwargs}, Keras says {takes_kwargs}"
    )


CALL_SPECS = [(name, spec) for name, spec in SPECS if spec.call_signature is not None]


@pytest.mark.parametrize(("name", "spec"), CALL_SPECS, ids=[name for name, _ in CALL_SPECS])
def test_call_signature_matches_keras(name: str, spec: object) -> None:
    """A declared call signature (several tensors or options by name) is Keras's `call`, parameter for parameter."""
    params = list(inspect.signature(getattr(keras.layers, name).call).parameters.values())[1:]
    theirs = [(p.name, None if p.default is p.empty else p.default, p.default is p.empty) for p in params]
    ours = [(p.name, None if p.required else p.default, p.required) for p in spec.call_signature.params]
    assert ours == theirs
    assert set(spec.call_tensors) <= {p.name for p in spec.call_signature.params}


def test_every_keras_layer_is_catalogued_or_listed_as_uncatalogued() -> None:
    """Each layer class of the installed `keras.layers` is in the catalogue, or in the list of layers kerascheck
    keeps as opaque layers of their model (extract/names.py), or is a base class or another framework's wrapper."""
    from kerascheck.extract.names import NOT_LAYERS_OF_A_MODEL, UNCATALOGUED_LAYERS

    keras_layers = {name for name in dir(keras.layers) if inspect.isclass(cls := getattr(keras.layers, name))
                    and issubclass(cls, keras.layers.Layer)}
    assert keras_layers - set(CATALOGUE) == UNCATALOGUED_LAYERS | NOT_LAYERS_OF_A_MODEL
    assert not UNCATALOGUED_LAYERS & set(CATALOGUE)


def test_an_uncatalogued_layer_keeps_its_place_in_the_model() -> None:
    """`RMSNormalization` is not modelled: it is a layer of unknown output between the layers around it, which
    keep their order, as in Keras's `model.layers`; its arguments, positional or not, are not checked."""
    from kerascheck.diagnostics import Severity
    from kerascheck.engine import check_text

    code = ("import keras\nfrom keras import layers\ninp = keras.Input(shape=(1,))\n"
            "b = layers.RMSNormalization(-1, 1e-6, name='bucket')(inp)\n"
            "out = layers.Dense(3)(layers.Dense(4)(inp))\nm = keras.Model(inp, [layers.Flatten()(b), out])\n")
    namespace: dict[str, object] = {}
    exec(code, namespace)  # noqa: S102 - the test's own snippet, under real Keras
    # by class: the auto-generated names count on from the other Keras models of this test session
    theirs = [type(layer).__name__ for layer in namespace["m"].layers]  # type: ignore[attr-defined]
    result = check_text("m.py", code)
    [model] = [m for m in result.models if m.name == "m"]
    assert [layer.type for layer in model.layers] == theirs
    bucket = next(layer for layer in model.layers if layer.name == "bucket")
    assert bucket.type == "RMSNormalization" and bucket.output_shape is None
    assert not [d for d in result.diagnostics if d.severity >= Severity.WARNING]
