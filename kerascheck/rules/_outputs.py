"""What a model's output is: the layer that gives it, its activation and its width."""

from __future__ import annotations

from dataclasses import dataclass

from kerascheck.model import ArgSite, Layer, Model


def passes_values(layer: Layer) -> bool:
    """A layer that leaves the values of its input alone (at inference), and so passes an activation on."""
    return layer.spec is not None and layer.spec.passes_values


@dataclass(frozen=True)
class Output:
    layer: Layer  # the layer whose activation decides the output's meaning
    activation: str  # "softmax", "sigmoid", "linear", ...
    units: int  # the size of the last axis
    site: ArgSite | None  # where the activation is written, when it is an argument


def _activation(layer: Layer) -> tuple[str, ArgSite | None] | None:
    if layer.spec is not None and layer.spec.activation_name is not None:
        return layer.spec.activation_name, None
    if layer.args is None or layer.spec is None or "activation" not in layer.spec.signature.names():
        return None
    value = layer.args.get("activation")
    site = next((s for s in layer.arg_sites if s.param == "activation"), None)
    if value is None:
        return "linear", site
    if isinstance(value, str):
        return value.lower(), site
    return None


def activation_before(layer: Layer) -> tuple[Layer, str] | None:
    """The layer feeding `layer` (through value-preserving layers) and its activation, when known."""
    current = layer.inbound[0] if len(layer.inbound) == 1 else None
    while current is not None and current.certain:
        found = _activation(current)
        if found is not None:
            return current, found[0]
        if not passes_values(current):
            return None
        current = current.inbound[0] if len(current.inbound) == 1 else None
    return None


def model_output(model: Model) -> Output | None:
    """The single output of a model whose structure is known, or None."""
    if model.uncertain or not model.layers:
        return None
    if model.api == "sequential":
        last = model.layers[-1]
    elif model.api == "functional" and len(model.outputs) == 1:
        last = model.outputs[0].layer
    else:
        return None
    return output_of(last)


def model_outputs(model: Model) -> list[Output | None] | None:
    """Each output of a functional model whose structure is known, in order (None where one is not known)."""
    if model.uncertain or not model.layers or model.api != "functional" or not model.outputs:
        return None
    return [output_of(t.layer) if getattr(t, "index", 0) == 0 else None for t in model.outputs]


def output_of(last: Layer) -> Output | None:
    """The activation and width of the output a layer gives, when both are known."""
    shape = last.output_shape
    if isinstance(shape, tuple) and shape and isinstance(shape[-1], int):
        units = shape[-1]
    elif shape is None and last.type == "Dense" and last.error is None and last.args is not None:
        # A Dense layer's last axis is its units, whatever its input (which may not be known yet).
        value = last.args.get("units")
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            return None
        units = value
    else:
        return None
    layer: Layer | None = last
    while layer is not None:
        if not layer.certain:
            return None
        found = _activation(layer)
        if found is not None:
            activation, site = found
            if activation == "linear" and layer is not last and layer.type == "Activation":
                pass
            return Output(layer, activation, units, site)
        if not passes_values(layer):
            return None
        layer = layer.inbound[0] if len(layer.inbound) == 1 else None
    return None
