"""Shape inference over a model: runs the catalogue's rules layer by layer. Never raises.

Functional graphs already carry their shapes (extraction computes them as layers are called, as
Keras does); a Sequential model is built here, from its declared input through each layer, and
stops at the first layer Keras would reject, exactly where Keras's `add()` raises.
"""

from __future__ import annotations

from typing import Any

from kerascheck.layers.chain import run_chain
from kerascheck.model import Layer, Model, non_trainable_total
from kerascheck.shapes import Unknowable, fed_shape, sizes_differ


def infer(model: Model, _seen: set[int] | None = None) -> None:
    _infer(model, _seen)
    for layer in model.layers:
        layer.non_trainable = _non_trainable(layer)
    for use in model.data:
        if use.x is not None:
            use.rejected = _rejection(model, use.x)


def _rejection(model: Model, x: tuple[Any, ...]) -> tuple[Layer | None, str] | None:
    """Where Keras rejects batches of x in a Sequential model built for its declared input, and why.

    The model checks the rank of its input (after adding or dropping a trailing axis of 1); then each
    layer runs on the new shape, and a layer whose weights were sized from its input's last axis (a
    kernel) rejects another size there. None where x is accepted, or too little is known.
    """
    declared = model.input_shape
    if model.api != "sequential" or model.uncertain or not model.layers or not isinstance(declared, tuple):
        return None
    if any(layer.error is not None or not layer.certain for layer in model.layers):
        return None
    given: Any = fed_shape(declared, x)
    if len(given) != len(declared):
        return None, f"Keras expects inputs of rank {len(declared)}"
    steps = [(layer.spec, layer.args) if layer.constructible() else None for layer in model.layers]
    for layer, applied in zip(model.layers, run_chain(steps, given)):
        if applied is None:
            return None
        if applied.error is not None:
            return layer, str(applied.error)
        built = layer.input_shape
        if (isinstance(built, tuple) and built and layer.params and layer.type != "Embedding"
                and sizes_differ(built[-1], given[-1]) and _channels_last(layer)):
            return layer, f"its weights were made for a last axis of {built[-1]}, not {given[-1]}"
        given = applied.output if isinstance(applied.output, tuple) else None
        if given is None:
            return None
    return None


def _channels_last(layer: Layer) -> bool:
    """Whether the layer's kernel is sized from its input's last axis (an unknown data format: not said)."""
    try:
        return layer.args is None or layer.args.channels_last()
    except Unknowable:
        return False


def _non_trainable(layer: Layer) -> int | None:
    """Of the layer's weights, those training leaves alone; None where its count is unknown."""
    if layer.params is None or layer.trainable is None:
        return None
    if layer.trainable is False:
        return layer.params  # `layer.trainable = False`: all its weights
    if layer.submodel is not None:
        if layer.submodel.trainable is not True:
            return layer.params if layer.submodel.trainable is False else None
        return non_trainable_total(layer.submodel)
    if layer.spec is None or layer.args is None or layer.params == 0:
        return 0 if layer.params == 0 else None
    try:
        return layer.spec.non_trainable(layer.args, layer.input_shape, layer.params)
    except Exception:  # a value it needs is unknown
        return None


def _infer(model: Model, _seen: set[int] | None = None) -> None:
    seen = set() if _seen is None else _seen
    seen.add(id(model))
    for layer in model.layers:
        if layer.submodel is not None and layer.params is None:
            if id(layer.submodel) not in seen:
                infer(layer.submodel, seen)  # a model held by a subclassed model is made after it
            layer.params = layer.submodel.total_params
    if model.api == "subclass":
        for layer in model.layers:
            own = _own_shapes(layer.submodel) if layer.submodel is not None and layer.output_shape is None else None
            if own is not None:
                layer.input_shape, layer.output_shape = own
    if model.api != "sequential":
        return
    for previous, layer in zip(model.layers, model.layers[1:]):
        layer.inbound = [previous]
    steps = [(layer.spec, layer.args) if _buildable(layer) else None for layer in model.layers]
    if not model.input_declared:
        # Keras cannot build a Sequential model before it sees data: no shape is known, and no weight
        # count either, except for layers that have no weights at all (Keras builds those at once).
        for layer in model.layers:
            if layer.submodel is None and layer.output_shape is not None and layer.params is not None:
                continue  # built already, in a model inferred before (`Sequential(clone.layers[:-1])`): Keras keeps it
            if layer.submodel is None:
                layer.input_shape = layer.output_shape = None
                layer.params = 0 if layer.spec is not None and _weightless(layer) else None
        return
    known = model.input_shape
    for layer, applied in zip(model.layers, run_chain(steps, model.input_shape)):
        layer.input_shape = known
        if applied is None:
            if layer.submodel is None:
                layer.output_shape = layer.params = None
            known = None
            continue
        layer.output_shape = applied.output
        layer.params = applied.params if applied.error is None else None
        layer.error = applied.error
        known = applied.output if isinstance(applied.output, tuple) else None


def _own_shapes(sub: Model) -> tuple[Any, Any] | None:
    """A model held by a subclassed model but not called by it shows its own shapes, as in Keras: a
    functional model its graph's, a subclassed model those of the call that built it."""
    if sub.api == "functional" and not sub.uncertain:
        ins = [t.shape for t in sub.inputs]
        given = ins[0] if len(ins) == 1 else ins or None
    elif sub.api == "subclass" and sub.built:
        given = sub.input_shape
    else:
        return None
    shapes = [t.shape for t in sub.outputs]
    if not shapes or any(shape is None for shape in shapes):
        return None
    return given, shapes[0] if len(shapes) == 1 else shapes


def _buildable(layer: Layer) -> bool:
    """Whether Keras gets as far as building this layer in the stack."""
    return layer.certain and layer.shape_follows()


def _weightless(layer: Layer) -> bool:
    from kerascheck.layers.spec import BUILT_AT_CREATION

    return layer.spec is not None and layer.spec.name in BUILT_AT_CREATION
