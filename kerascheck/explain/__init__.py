"""Explanations: one line per layer saying what its arguments mean and how its output follows.

    Conv2D(32, (3, 3))  32 filters, each 3×3×3 over all 3 input channels → (None, 30, 30, 32): 30 = 32 − 3 + 1 (valid padding); 896 params = 3·3·3·32 weights + 32 biases

Every number comes from the IR (shapes and parameter counts that inference computed) or from the
arguments as written; formulas are shown only when they reproduce the IR's numbers, so an
explanation never disagrees with the summary table. Unknown sizes stay `?`.
"""

from __future__ import annotations

import importlib

from kerascheck.explain import core
from kerascheck.explain.base import EXPLAINERS, Explanation, call_text
from kerascheck.layers import FAMILIES
from kerascheck.model import Layer, Model

for _family in FAMILIES:  # importing a family's module registers its explanations
    importlib.import_module(f"kerascheck.explain.{_family}")

__all__ = ["EXPLAINERS", "Explanation", "call_text", "explain_layer", "explain_model", "explanation"]


def explanation(layer: Layer) -> Explanation:
    """The structured explanation of one layer (never raises).

    A layer read back from the cache carries its explanation as text (its arguments are not
    kept): that text is used as it is.
    """
    cached = getattr(layer, "explanation", None)
    if isinstance(cached, str) and cached:
        call, _, text = cached.partition("  ")
        return Explanation(call, text, output="", generic=False, cached=text)
    try:
        return _explanation(layer)
    except Exception:  # noqa: BLE001  an explanation must never stop a report
        return core.unknown_layer(layer) if layer.spec is None else _fallback(layer)


def _explanation(layer: Layer) -> Explanation:
    if layer.type == "InputLayer":
        return core.input_layer(layer)
    if layer.submodel is not None:
        return core.nested_model(layer)
    explainer = EXPLAINERS.get(type(layer.spec)) if layer.spec is not None else None
    if explainer is None:
        return core.unknown_layer(layer)
    return explainer(layer)


def _fallback(layer: Layer) -> Explanation:
    e = core.unknown_layer(layer)
    e.meaning = f"a `{layer.type}` layer (kerascheck could not word what its arguments mean here)"
    return e


def explain_layer(layer: Layer) -> str:
    """`Conv2D(32, (3, 3))  32 filters, each 3×3×3 over all 3 input channels → ...`"""
    return str(explanation(layer))


def explain_model(model: Model) -> list[str]:
    """One line per layer, in `model.layers` order."""
    return [explain_layer(layer) for layer in model.layers]
