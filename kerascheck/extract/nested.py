"""A model used as a layer: `model.add(base)`, `base(x)`, `Sequential([encoder, decoder])`."""

from __future__ import annotations

from typing import Any

from kerascheck.layers.chain import run_chain
from kerascheck.layers.spec import Args, LayerSpec
from kerascheck.model import Model
from kerascheck.shapes import Shape, Unknowable


class NestedModelSpec(LayerSpec):
    """The catalogue-style entry for one model object used as a layer inside another model."""

    signature_text = "**kwargs"
    group = "models"

    def __init__(self, model: Model) -> None:
        self.model = model
        default = "Sequential" if model.api == "sequential" else "Functional"
        if model.user_class is not None:
            default = model.user_class.name  # a subclassed model goes by its class
        self.name = model.class_name or default  # type: ignore[misc]

    def _steps(self) -> list[Any]:
        return [(layer.spec, layer.args) if layer.certain and layer.constructible() else None
                for layer in self.model.layers]

    def output_shape(self, a: Args, x: Any) -> Shape | list[Shape]:
        model = self.model
        if model.uncertain:
            raise Unknowable(model.keras_name)
        if model.api == "sequential":
            results = run_chain(self._steps(), x)
            for applied in results:
                if applied is not None and applied.error is not None:
                    raise applied.error
            last = results[-1] if results else None
            if last is None or last.output is None:
                raise Unknowable(model.keras_name)
            return last.output
        if model.inputs:
            declared = [t.shape for t in model.inputs]  # the order `Model(inputs=[...])` gave them in
        else:
            declared = [layer.output_shape for layer in model.layers if layer.is_input]
        given = x if isinstance(x, list) else [x]
        if declared != given or not model.outputs:
            raise Unknowable(model.keras_name)  # re-running a graph on new shapes: not modelled yet
        shapes = [t.shape for t in model.outputs]
        if any(s is None for s in shapes):
            raise Unknowable(model.keras_name)
        return shapes[0] if len(shapes) == 1 else shapes

    def params(self, a: Args, x: Any) -> int:
        model = self.model
        if model.api == "sequential":
            total = 0
            for applied in run_chain(self._steps(), x):
                if applied is None or applied.params is None:
                    raise Unknowable(model.keras_name)
                total += applied.params
            return total
        total_params = model.total_params
        if total_params is None:
            raise Unknowable(model.keras_name)
        return total_params


class CustomLayerSpec(LayerSpec):
    """The catalogue-style entry for one layer class defined in the file (a `keras.layers.Layer` subclass).

    Its shape rule is the class's own code, which only extraction can run: `run(shape)` runs it
    (through the interpreter) on a symbolic input and gives the output and parameter count.
    """

    signature_text = "*args, **kwargs"
    group = "custom"

    def __init__(self, class_name: str, run: Any) -> None:
        self.name = class_name  # type: ignore[misc]
        self.run = run
        self._results: dict[Any, Any] = {}

    def _applied(self, x: Any) -> Any:
        key = tuple(x) if isinstance(x, list) else x
        if key not in self._results:
            self._results[key] = self.run(x)
        return self._results[key]

    def output_shape(self, a: Args, x: Any) -> Shape | list[Shape]:
        output = self._applied(x).output
        if output is None:
            raise Unknowable(self.name)
        return output  # type: ignore[no-any-return]

    def params(self, a: Args, x: Any) -> int:
        params = self._applied(x).params
        if params is None:
            raise Unknowable(self.name)
        return int(params)
