"""A model used as a layer: `model.add(base)`, `base(x)`, `Sequential([encoder, decoder])`."""

from __future__ import annotations

import functools
from typing import Any

from kerascheck.layers.chain import run_chain
from kerascheck.layers.spec import Args, LayerSpec
from kerascheck.model import Model
from kerascheck.shapes import Shape, Unknowable


class NestedModelSpec(LayerSpec):
    """The catalogue-style entry for one model object used as a layer inside another model."""

    signature_text = "**kwargs"
    group = "models"

    def non_trainable(self, a: Args, x: Any, params: int) -> int:
        from kerascheck.model import non_trainable_total

        if a.extra.get("trainable") is False or self.model.trainable is False:
            return params
        total = non_trainable_total(self.model)
        if total is None or self.model.trainable is None:
            raise Unknowable("non-trainable weights")
        return total

    def __init__(self, model: Model) -> None:
        self.model = model
        default = "Sequential" if model.api == "sequential" else "Functional"
        if model.user_class is not None:
            default = model.user_class.name  # a subclassed model goes by its class
        self.name = model.class_name or default  # type: ignore[misc]

    def _steps(self) -> list[Any]:
        return [(layer.spec, layer.args) if not layer.uncertain and layer.constructible() else None
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
        if model.api == "subclass":
            # built by running its `call` on symbolic inputs: the outputs it gave, on inputs of that shape
            shapes = [t.shape for t in model.outputs]
            built_on = model.input_shape
            if not model.built or not shapes or any(s is None for s in shapes) or built_on is None or (
                    isinstance(x, list) or not _fits(built_on, x)):
                raise Unknowable(model.keras_name)
            return shapes[0] if len(shapes) == 1 else shapes
        if model.inputs:
            declared = [t.shape for t in model.inputs]  # the order `Model(inputs=[...])` gave them in
        else:
            declared = [layer.output_shape for layer in model.layers if layer.is_input]
        given = x if isinstance(x, list) else [x]
        if not model.outputs or len(declared) != len(given) or not all(
                _fits(d, g) for d, g in zip(declared, given)):
            raise Unknowable(model.keras_name)  # re-running a graph on new shapes: not modelled yet
        # Called on sizes its inputs left open (`Input((None, None, 3))` given 64x64 images), the
        # model as a layer still shows the outputs of its own graph, as `layer.output` does in Keras.
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

    def non_trainable(self, a: Args, x: Any, params: int) -> int:
        # The file's own layer may hold BatchNormalization or make weights with trainable=False:
        # kerascheck does not count those apart, so it says nothing rather than 0.
        if params == 0 or a.extra.get("trainable") is False:
            return params
        raise Unknowable("non-trainable weights of a custom layer")

    def __init__(self, class_name: str, run: Any, cell: Any = None) -> None:
        self.name = class_name  # type: ignore[misc]
        self.run = run
        # For a class used as `keras.layers.RNN(cell)`: `cell(n_in)` gives (output size, state count,
        # parameter count) from its `state_size`/`output_size` and the weights its `build` makes.
        self.cell = cell
        self._results: dict[Any, Any] = {}

    def _cell(self, n_in: int) -> tuple[int, int, int]:
        info = self.cell(n_in) if self.cell is not None else None
        if info is None:
            raise Unknowable(self.name)
        return info  # type: ignore[no-any-return]

    # The protocol `layers.rnn.RNN` asks of its cells.
    def output_size(self, a: Args) -> int:
        return self._cell(-1)[0]

    def state_count(self, a: Args) -> int:
        return self._cell(-1)[1]

    def cell_params(self, a: Args, n_in: int) -> int:
        return self._cell(n_in)[2]

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


class UncataloguedSpec(LayerSpec):
    """A Keras layer class the catalogue does not model (`keras.layers.StringLookup`): a call of it is a layer
    of the model, with its name and inputs, whose output shape and parameters kerascheck does not know."""

    signature_text = "*args, **kwargs"
    group = "uncatalogued"
    checks_arguments = False

    def __init__(self, class_name: str) -> None:
        self.name = class_name  # type: ignore[misc]

    def output_shape(self, a: Args, x: Any) -> Shape | list[Shape]:
        raise Unknowable(self.name)

    def params(self, a: Args, x: Any) -> int:
        raise Unknowable(self.name)


@functools.cache
def uncatalogued_spec(class_name: str) -> LayerSpec:
    """The spec of a layer the catalogue does not hold: its shape rule where layers/lookups.py has one."""
    from kerascheck.layers.lookups import MODELLED

    return MODELLED.get(class_name) or UncataloguedSpec(class_name)


def _fits(declared: Any, given: Any) -> bool:
    """Whether a tensor of shape `given` fits an input declared as `declared` (None: any size)."""
    if declared is None or given is None or len(declared) != len(given):
        return False
    return all(d is None or d == g for d, g in zip(declared, given))
