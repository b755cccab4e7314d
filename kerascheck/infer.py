"""Shape inference over a model: runs the catalogue's rules layer by layer. Never raises.

Functional graphs already carry their shapes (extraction computes them as layers are called, as
Keras does); a Sequential model is built here, from its declared input through each layer, and
stops at the first layer Keras would reject, exactly where Keras's `add()` raises.
"""

from __future__ import annotations

from kerascheck.layers import apply
from kerascheck.model import Model


def infer(model: Model) -> None:
    if model.api != "sequential":
        return
    shape = model.input_shape if model.input_declared else None
    previous = None
    broken = False
    for layer in model.layers:
        if previous is not None:
            layer.inbound = [previous]
        previous = layer
        if layer.spec is None or layer.args is None or not layer.certain:
            broken = True
        if broken or shape is None and not model.input_declared:
            # No input shape: Keras cannot build the model; weights that do not depend on it are known.
            layer.input_shape = None
            layer.output_shape = None
            layer.params = apply(layer.spec, layer.args, None).params if layer.spec and layer.args else None
            if not model.input_declared:
                layer.params = None
            continue
        applied = apply(layer.spec, layer.args, shape)
        layer.input_shape = shape
        layer.output_shape = applied.output
        layer.params = applied.params
        layer.error = applied.error
        if applied.error is not None:
            broken = True
            layer.params = None
        nxt = applied.output
        shape = nxt if isinstance(nxt, tuple) else None
