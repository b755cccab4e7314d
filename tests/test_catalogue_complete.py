"""A Keras layer is declared once: its spec in layers/<family>.py is the key of its explanation and of
its NumPy forward pass. These tests fail when a layer is only half added (issue 12)."""

from __future__ import annotations

import importlib.util
import re

import pytest

from kerascheck.execute import registry
from kerascheck.explain import EXPLAINERS
from kerascheck.layers import CATALOGUE, FAMILIES, spec_classes

SPECS = spec_classes()


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_layer_has_a_forward_pass_or_says_why_not(spec):
    registry.load()
    has = spec in registry.FORWARDS
    assert has != (spec.no_forward is not None), (
        f"{spec.name}: register its forward pass in kerascheck/execute/{spec.group}.py, "
        "or declare `no_forward = '<why>'` on its spec (not both)"
    )


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_layer_has_an_explanation_or_says_why_not(spec):
    has = spec in EXPLAINERS
    assert has != (spec.generic_explanation is not None), (
        f"{spec.name}: register its explanation in kerascheck/explain/{spec.group}.py, "
        "or declare `generic_explanation = '<why>'` on its spec (not both)"
    )


def test_registries_hold_only_catalogued_layers():
    registry.load()
    assert set(registry.FORWARDS) <= set(SPECS)
    assert set(EXPLAINERS) <= set(SPECS)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_layer_is_declared_in_its_family(spec):
    assert spec.group in FAMILIES
    assert spec.__module__.rsplit(".", 1)[1] in FAMILIES
    assert type(CATALOGUE[spec.name]) is spec  # its canonical name resolves to it


def test_family_modules_exist_where_they_are_imported_from():
    for family in FAMILIES:
        assert importlib.util.find_spec(f"kerascheck.layers.{family}") is not None
        assert importlib.util.find_spec(f"kerascheck.explain.{family}") is not None


@pytest.mark.parametrize(
    "attribute",
    ["passes_values", "inference_identity", "per_position", "global_pooling", "convolution"],
)
def test_layer_facts_are_declared_on_specs(attribute):
    """The facts the rules and the execution check read are spec attributes (not name lists), and
    every layer that declares one is a catalogued layer with a forward pass or a reason."""
    flagged = [s for s in SPECS if getattr(s, attribute)]
    assert flagged, f"no spec declares {attribute}"
    for spec in flagged:
        assert spec in registry.FORWARDS or spec.no_forward is not None


def test_spatial_layers_declare_their_rank():
    for spec in SPECS:
        if spec.convolution or spec.global_pooling or spec.name.endswith(("Pooling1D", "Pooling2D", "Pooling3D")):
            assert spec.rank == int(re.search(r"(\d)D", spec.name)[1]), spec.name
