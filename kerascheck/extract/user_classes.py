"""Classes the file defines: plain objects, subclassed models and custom layers."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, cast

import libcst as cst

from kerascheck.diagnostics import Span
from kerascheck.extract import numpy_values as knp
from kerascheck.extract import tables
from kerascheck.extract.common import (
    MISSING,
    CallSite,
    Scope,
    bind_call,
    dotted_name,
    flatten_tensors,
    input_shape_value,
    unfollowed,
)
from kerascheck.extract.nested import CustomLayerSpec
from kerascheck.extract.values import (
    BoundMethod,
    Factory,
    Function,
    Instance,
    LayerClass,
    Module,
    SuperProxy,
    Tensor,
    UserClass,
)
from kerascheck.layers import Applied, apply, bind, snake_case
from kerascheck.layers.spec import BUILT_AT_CREATION
from kerascheck.model import Layer, Model
from kerascheck.shapes import (
    UNKNOWN,
    Shape,
    ShapeError,
    Unknowable,
)

if TYPE_CHECKING:
    from kerascheck.extract.interpreter import Interpreter


def _weight_size(positional: list[Any], keywords: dict[str, Any]) -> Any:
    """How many numbers `self.add_weight(shape=...)` makes (Keras 3 takes `shape` first); UNKNOWN if not known."""
    shape = keywords["shape"] if "shape" in keywords else positional[0] if positional else None
    if shape is None:
        return 1  # a scalar
    if isinstance(shape, int) and not isinstance(shape, bool):
        shape = (shape,)
    if not isinstance(shape, (tuple, list)) or not all(isinstance(d, int) and not isinstance(d, bool) for d in shape):
        return UNKNOWN
    size = 1
    for d in shape:
        size *= d
    return size


def as_output_shape(value: Any) -> Shape | None:
    """What a custom `compute_output_shape` returned, if it is a shape."""
    if isinstance(value, (tuple, list)) and all(
        d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in value
    ):
        return tuple(value)
    return None


def _tensor_shapes(value: Any) -> Any:
    """The shape(s) of what a custom layer's `call` returned: a tensor, or a list or tuple of them."""
    if isinstance(value, Tensor):
        return value.shape
    if isinstance(value, (list, tuple)) and value and all(isinstance(t, Tensor) and t.shape is not None for t in value):
        return [t.shape for t in value]
    return None


def _held_layers(attrs: dict[str, Any]) -> list[Layer | Model]:
    """The layers and models an object holds in its attributes (directly, or in lists, tuples and dicts), once each."""
    found: list[Layer | Model] = []
    stack = list(attrs.values())
    while stack:
        value = stack.pop(0)
        if isinstance(value, (Layer, Model)) and all(value is not f for f in found):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
    return found


def _shape_of_value(value: Any) -> Shape | None:
    """The shape a `build(input_shape)` was given (a tuple of sizes, UNKNOWN or None where not known)."""
    if isinstance(value, (tuple, list)) and all(
            d is None or d is UNKNOWN or isinstance(d, int) and not isinstance(d, bool) for d in value):
        return tuple(None if d is UNKNOWN else d for d in value)
    return None


def _catalogue_class(cls: UserClass) -> LayerClass | None:
    """The catalogue layer class a file's class derives from, directly or through its classes."""
    for base in cls.bases:
        if isinstance(base, LayerClass):
            return base
        if isinstance(base, UserClass):
            found = _catalogue_class(base)
            if found is not None:
                return found
    return None


def _conv_rank(name: str) -> int | None:
    """How many spatial axes a convolution class works on (`Conv2D`: 2), from its name."""
    for rank in (1, 2, 3):
        if name.endswith(f"{rank}D") and "Conv" in name:
            return rank
    return None


# What `super().<name>` of a catalogue layer class is modelled for; other methods are unknown.
_BASE_METHODS = ("__init__", "build", "call")


class UserClasses:
    """Classes the file defines: plain objects, subclassed models and custom layers."""

    def __init__(self, ip: Interpreter) -> None:
        self.ip = ip

    def exec_class(self, node: cst.ClassDef, scope: Scope) -> None:
        bases = [self.ip.eval(b.value, scope) for b in node.bases]
        kind = "plain"
        for b in bases:
            if isinstance(b, Factory) and b.kind in ("Model", "Sequential") or isinstance(b, UserClass) and b.kind == "model":
                kind = "model"
            elif isinstance(b, Factory) and b.kind == "Layer" or isinstance(b, LayerClass) or (
                isinstance(b, UserClass) and b.kind == "layer"
            ):
                kind = "layer" if kind == "plain" else kind
            elif b is UNKNOWN:
                kind = "unknown" if kind == "plain" else kind
        namedtuple = any((dotted_name(b.value) or "").split(".")[-1] == "NamedTuple" for b in node.bases)
        dataclass_ = any((dotted_name(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator) or "")
                         .split(".")[-1] == "dataclass" for d in node.decorators)
        if namedtuple and all(b is UNKNOWN for b in bases):
            kind = "plain"  # typing.NamedTuple: a record of the fields below
        cls = UserClass(node.name.value, kind, bases=bases)
        # `class Config(NamedTuple)` / `@dataclass class Config`: fields with defaults, filled by the
        # constructor's arguments in order or by name (MISSING: no default).
        cls.fields = [] if namedtuple or dataclass_ else None
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
        class_scope = Scope(scope)
        for stmt in body:
            if isinstance(stmt, cst.FunctionDef):
                fn = Function(stmt, scope, stmt.name.value, owner=cls)
                fn.positions = self.ip.positions
                fn.called = True  # methods run when the class is used, not on their own
                for decorator in stmt.decorators:
                    if isinstance(decorator.decorator, cst.Name) and decorator.decorator.value in (
                            "staticmethod", "classmethod", "property"):
                        fn.decorated = decorator.decorator.value
                cls.methods[stmt.name.value] = fn
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign):
                        value = self.ip.eval(small.value, class_scope)
                        for target in small.targets:
                            if isinstance(target.target, cst.Name):
                                cls.attrs[target.target.value] = value
                    elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        value = self.field_default(small.value, class_scope) if small.value is not None else MISSING
                        if cls.fields is not None:
                            cls.fields.append((small.target.value, value))
                        if value is not MISSING and not namedtuple:
                            cls.attrs[small.target.value] = value
        self.ip.assign_name(node.name.value, cls, scope)

    def field_default(self, node: cst.BaseExpression, scope: Scope) -> Any:
        """A field's default: the value, or `field(default=...)` / `field(default_factory=list)`."""
        if isinstance(node, cst.Call) and (dotted_name(node.func) or "").split(".")[-1] == "field":
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "default":
                    return self.ip.eval(arg.value, scope)
                if arg.keyword is not None and arg.keyword.value == "default_factory":
                    factory = arg.value
                    if isinstance(factory, cst.Name) and factory.value in ("list", "dict", "tuple", "set"):
                        return {"list": [], "dict": {}, "tuple": (), "set": set()}[factory.value]
                    if isinstance(factory, cst.Lambda) and not factory.params.params:
                        return self.ip.eval(factory.body, scope)
                    return UNKNOWN
            return MISSING
        return self.ip.eval(node, scope)

    def custom_cell(self, layer: Layer, n_in: int) -> tuple[int, int, int] | None:
        """A cell class of the file inside `keras.layers.RNN`: (output size, number of states, weights).

        Keras reads `state_size` (an int, or one per state) and `output_size` (else the first state's
        size), and builds the cell for (batch, features) inputs. `n_in` -1: sizes only."""
        instance = layer.user_instance
        if instance is None:
            return None
        state = self.ip.get_attribute(instance, "state_size")  # an attribute, or a property
        sizes = list(state) if isinstance(state, (list, tuple)) else [state]
        if not sizes or not all(isinstance(v, int) and not isinstance(v, bool) for v in sizes):
            return None
        has_output = "output_size" in instance.attrs or instance.cls.method("output_size") is not None
        output = self.ip.get_attribute(instance, "output_size") if has_output else sizes[0]
        if not isinstance(output, int) or isinstance(output, bool):
            return None
        if n_in < 0:
            return output, len(sizes), 0
        self.ip.inside_custom_layer += 1
        try:
            first_build = not layer.custom_built
            self.build_custom_layer(layer, instance, (None, n_in))
            layer.custom_built = True
            call = instance.cls.method("call")
            if first_build and call is not None:
                # Keras traces the cell's `call` on one step (inputs, states) when it builds the RNN: the
                # layers the cell holds and uses there get built (a cell without `build` has no other way)
                inputs = self.ip.graph.symbolic_input((None, n_in), layer.span)
                states = [self.ip.graph.symbolic_input((None, size), layer.span) for size in sizes]
                self.ip.call_function(call, [instance, inputs, states if isinstance(state, (list, tuple)) else states[0]], {})
        finally:
            self.ip.inside_custom_layer -= 1
        params = self.custom_layer_params(instance, layer)
        return None if params is None else (output, len(sizes), params)

    def bind_method(self, obj: Any, cls: UserClass, method: Function) -> Any:
        """`obj.name` for a method of its class: bound to the object, or as its decorator says."""
        decorated = method.decorated
        if decorated == "staticmethod":
            return method
        if decorated == "classmethod":
            return BoundMethod(cls, method)
        if decorated == "property":
            return self.ip.call_function(method, [obj], {})
        return BoundMethod(obj, method)

    def instantiate(
        self, cls: UserClass, positional: list[Any], keywords: dict[str, Any], node: cst.Call | None, opaque: bool
    ) -> Any:
        span = self.ip.span(node) if node is not None else Span.point(1)
        init = cls.method("__init__")
        if cls.kind == "layer":
            layer = self.ip.objects.call_factory(Factory("UserLayer:" + cls.name), positional, keywords, node, opaque)
            if isinstance(layer, Layer):
                instance = Instance(cls)
                # A subclass of a Keras layer that has weights of its own (`class MaskedConv2D(layers.Conv2D)`)
                # gets them from the base's `build`: counted when it has run on arguments kerascheck knows
                # (`super().__init__(filters, kernel_size, ...)`, or the constructor's when the file's classes
                # define no `__init__`); unknown otherwise.
                instance.weights = []
                instance.base = _catalogue_class(cls)
                if instance.base is not None:
                    # a base Keras builds at creation (`MCDropout(layers.Dropout)`) has no weights to wait for
                    instance.base_built = instance.base.spec.name in BUILT_AT_CREATION
                    if init is None:
                        instance.base_args = bind(instance.base.spec, positional, keywords, opaque)
                layer.user_instance = instance
                # In a Sequential model the layer is built through the catalogue's chain, so it gets
                # a spec whose rule runs the class's code on the input shape.
                layer.spec = CustomLayerSpec(cls.name, lambda shape, layer=layer: self.run_custom_layer(layer, [
                    self.ip.graph.symbolic_input(shape, layer.span)], {}, shape), lambda n_in, layer=layer: self.custom_cell(
                    layer, n_in))
                layer.args = bind(layer.spec, [], {})
                if init is not None:
                    self.ip.inside_custom_layer += 1
                    try:
                        self.ip.call_function(init, [instance, *positional], keywords, opaque=opaque)
                    finally:
                        self.ip.inside_custom_layer -= 1
            return layer
        if cls.kind == "model":
            if init is None and cls.method("call") is None:
                inputs = positional[0] if positional else keywords.get("inputs")
                outputs = positional[1] if len(positional) > 1 else keywords.get("outputs")
                if flatten_tensors(inputs) and flatten_tensors(outputs):
                    # `class MLM(keras.Model)` with only training hooks, built as `MLM(inputs, outputs)`:
                    # Keras makes a functional model of that class.
                    model = self.ip.graph.make_functional(positional, keywords, node, span, snake_case(cls.name))
                    model.class_name = cls.name
                    return model
            explicit = keywords.get("name")
            model = Model("subclass", span, explicit if isinstance(explicit, str) else self.ip.auto_name(snake_case(cls.name)),
                          node=node, statement=self.ip.statement, user_class=cls)
            model.depth = self.ip.uncertain
            self.ip.models.append(model)
            if init is not None:
                self.ip.call_function(init, [model, *positional], keywords, opaque=opaque)
            self.track_layers(model)
            return model
        if cls.kind == "unknown":
            return UNKNOWN
        instance = Instance(cls)
        fields = cls.fields
        if fields is not None and init is None:
            names = [name for name, _ in fields]
            if opaque or len(positional) > len(names) or set(keywords) - set(names) or set(keywords) & set(names[:len(positional)]):
                values = {name: UNKNOWN for name in names}  # Python raises, or arguments kerascheck cannot see
            else:
                given = {**dict(zip(names, positional)), **keywords}
                values = {name: given.get(name, copy.copy(default) if default is not MISSING else UNKNOWN)
                          for name, default in fields}
            instance.attrs.update(values)
            post_init = cls.method("__post_init__")
            if post_init is not None:
                self.ip.call_function(post_init, [instance], {})
            return instance
        if init is not None:
            self.ip.call_function(init, [instance, *positional], keywords, opaque=opaque)
        return instance

    def track_layers(self, model: Model) -> None:
        """Keras tracks the layers assigned to a subclassed model's attributes, in the order they were
        first assigned (in `__init__`, then in `build`)."""
        seen = {id(layer) for layer in model.layers}
        for value in model.attrs.values():
            items = value if isinstance(value, (list, tuple)) else list(value.values()) if isinstance(
                value, dict) else [value]
            for item in items:
                if isinstance(item, Model) and item is not model:
                    item = self.ip.graph.model_as_layer(item)
                if isinstance(item, Layer) and id(item) not in seen:
                    seen.add(id(item))
                    model.layers.append(item)

    def run_model_build(self, model: Model, shape_value: Any) -> Any:
        """The subclassed model's own `build(input_shape)`, which Keras runs once, before the first call
        (or when the file calls `model.build(shape)`): the layers it makes there
        (`self.reconstruct = Dense(input_shape[-1])`) are the model's too, after those of `__init__`."""
        build = model.user_class.method("build") if model.user_class is not None else None
        if build is None or model.own_build_run:
            return None
        model.own_build_run = True
        result = self.ip.call_function(build, [model, shape_value], {})
        self.track_layers(model)
        return result

    def run_subclass_call(self, model: Model, shape: Shape | list[Shape] | None, tensor: Any = None) -> Any:
        """Build a subclassed model the way Keras does: run its `call` on a symbolic input."""
        call = model.user_class.method("call") if model.user_class is not None else None
        if call is None or model.built or shape is None:
            return UNKNOWN
        model.built = True
        model.weightless_build = False
        model.input_declared = True
        model.input_shape = shape if isinstance(shape, tuple) else None  # several inputs: no one shape
        self.run_model_build(model, input_shape_value(shape))
        if tensor is None:
            tensor = self.ip.graph.symbolic_input(shape, model.span)
        result = self.ip.call_function(call, [model, tensor], {})
        model.outputs = flatten_tensors(result) or []
        return result

    def build_custom_layer(self, layer: Layer, instance: Instance, shape_value: Any, base_shapes: Any = None) -> Any:
        """Keras runs a custom layer's `build(input_shape)` once, on its first input; returns `build`.
        `base_shapes`: the call's input shapes as the catalogue base class's rule takes them."""
        build = instance.cls.method("build")
        if build is not None and not layer.custom_built:
            layer.custom_built = True
            self.ip.call_function(build, [instance, shape_value], {})
        elif build is None and instance.base is not None and not layer.custom_built:
            layer.custom_built = True
            self.base_build(instance, shape_value, base_shapes)  # Keras runs the base class's own `build`
        return build

    def run_custom_layer(self, layer: Layer, positional: list[Any], keywords: dict[str, Any], shapes: Any) -> Applied:
        """A `keras.layers.Layer` subclass from the file, called on symbolic tensors, as Keras builds it.

        Keras runs `build(input_shape)` once, then gets the output from `compute_output_shape` when
        the class defines it, or else by running `call` on symbolic tensors; so do we. The weights
        are those `add_weight` made (in `__init__` or `build`) plus those of the layers held in its
        attributes; any of them unknown, and the count is unknown.
        """
        instance = layer.user_instance
        cls = instance.cls
        # (the shapes by name of a base class's several inputs: `build` is given the first)
        shape_value = input_shape_value(next(iter(shapes.values()), None) if isinstance(shapes, dict) else shapes)
        saved_current, saved_statement = self.ip.current, self.ip.statement
        self.ip.inside_custom_layer += 1
        # A subclass of a catalogue layer without a `call` of its own was called as its base is
        # (`base_call_binding`): `shapes` are its inputs' shapes as the base's rule takes them
        base_shapes = shapes if instance.base is not None and cls.method("call") is None else None
        if isinstance(base_shapes, dict) and len(base_shapes) == 1:
            base_shapes = next(iter(base_shapes.values()))
        try:
            build = self.build_custom_layer(layer, instance, shape_value, base_shapes)
            compute = cls.method("compute_output_shape")
            call = cls.method("call")
            output: Any = None
            # Without a `build` of its own, Keras builds the layers it holds by running `call`.
            if call is not None and (compute is None or build is None):
                output = _tensor_shapes(self.ip.call_function(call, [instance, *positional], keywords))
            elif call is None and compute is None and instance.base is not None and instance.base_args is not None \
                    and base_shapes is not None:
                output = apply(instance.base.spec, instance.base_args, base_shapes).output  # the base's own call
            elif call is None and compute is None and instance.base is not None:
                output = _tensor_shapes(self.base_method(instance, "call", positional, keywords))
            if compute is not None:
                # `call(self, anchor, positive)`: Keras 3 gives `compute_output_shape` one shape per tensor
                # argument (`anchor_shape`, `positive_shape`), in the call's order
                tensors = [t for t in positional if isinstance(t, Tensor)]
                shape_args = ([input_shape_value(t.shape) for t in tensors] if len(tensors) > 1 and len(tensors) == len(
                    positional) else [shape_value])
                output = as_output_shape(self.ip.call_function(compute, [instance, *shape_args], {}))
        finally:
            self.ip.current, self.ip.statement = saved_current, saved_statement
            self.ip.inside_custom_layer -= 1
        return Applied(output, self.custom_layer_params(instance, layer))

    def base_call_binding(self, layer: Layer, positional: list[Any], keywords: dict[str, Any]) -> Any:
        """A file's subclass of a catalogue layer without a `call` of its own is called as its base is
        (`query=x, value=context`): the base's binding of the call's tensors (see `bind_call`); None otherwise."""
        instance = layer.user_instance
        if not isinstance(instance, Instance) or instance.base is None or instance.cls.method("call") is not None:
            return None
        return bind_call(instance.base.spec, positional, keywords)

    def custom_layer_params(self, instance: Instance, layer: Layer | None = None) -> int | None:
        weights = instance.weights
        if weights is None or any(not isinstance(w, int) for w in weights):
            return None
        if instance.base is not None and not instance.base_built:
            return None  # the base class's weights, made by a `build` kerascheck did not see run
        total: int = sum(weights)
        for held in _held_layers(instance.attrs):
            sub = self.ip.graph.model_as_layer(held) if isinstance(held, Model) else held
            params = sub.params
            if params is None and sub.built_on is not None and sub.spec is not None and sub.args is not None:
                # built by a Sequential model whose shapes are worked out later (a tied decoder's `source`)
                params = apply(sub.spec, sub.args, sub.built_on).params
            if params is None and sub.order is None and sub.input_shape is None and sub.built_on is None and not isinstance(
                    held, Model):
                continue  # never called nor built (`self.project` used only when sizes differ): no weights yet
            if params is None:
                return None
            if layer is not None and not isinstance(held, Model) and any(
                    held is other for model in self.ip.models for other in model.layers) and not any(
                    held is b for b in layer.borrows):
                layer.borrows.append(held)  # a model holds it too (a tied decoder's `source`)
            total += params
        return total

    def call_subclassed(self, model: Model, positional: list[Any], keywords: dict[str, Any]) -> Any:
        """`model(x)` on a subclassed model: Keras builds it on the first call, by running its `call`."""
        first: Any = positional[0] if positional else keywords.get("inputs")
        if isinstance(first, Tensor) and not model.built:
            return self.run_subclass_call(model, first.shape, first)
        batch = (knp.NdArray, tables.DataArray)
        arrays = [first] if isinstance(first, batch) else list(first) if isinstance(first, (list, tuple)) else []
        if arrays and all(isinstance(a, batch) and a.shape for a in arrays) and not model.built:
            # `model(input_example_batch)`, `model((targets[:8], contexts[:8]))` on NumPy batches (or a batch
            # of a dataset read from a file, its sizes partly known): Keras builds it on those shapes
            symbolic = [self.ip.graph.symbolic_input(a.shape, model.span) for a in arrays]
            given = symbolic[0] if isinstance(first, batch) else type(first)(symbolic)
            result = self.run_subclass_call(model, arrays[0].shape if len(arrays) == 1 else [
                a.shape for a in arrays], given)
            out = result.shape if isinstance(result, Tensor) else None
            if out is not None and all(isinstance(d, int) for d in out):
                return knp.NdArray(cast("tuple[int, ...]", out))  # the predictions: an array of that shape
            if out is not None and all(isinstance(d, int) or d is None for d in out):
                return tables.DataArray(cast("tuple[int | None, ...]", out))
            return UNKNOWN
        if isinstance(first, (list, tuple)) and first and all(isinstance(t, Tensor) for t in first) and not model.built:
            # `model([input_a, input_b])`: call() gets the list, as in Keras
            shapes = [t.shape for t in first]
            if all(s is not None for s in shapes):
                return self.run_subclass_call(model, shapes, list(first))
        return UNKNOWN

    def call_class(self, cls: UserClass, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return self.instantiate(cls, positional, keywords, site.node, site.opaque)

    def call_instance(self, obj: Instance, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`face_builder(name=...)`: an object of a class with `__call__`."""
        if isinstance(obj.cls, UserClass) and obj.cls.method("__call__") is not None:
            return self.ip.call_function(obj.cls.method("__call__"), [obj, *positional], keywords, opaque=site.opaque)
        return unfollowed(positional, keywords)

    def class_attribute(self, obj: UserClass, attr: str) -> Any:
        if attr in obj.attrs:
            return obj.attrs[attr]
        method = obj.method(attr)
        if method is not None:
            # `MiniVGGNet.build(...)`: a static method is a plain function, a class method gets
            # the class; a plain method taken from the class is called with its `self` given.
            decorated = method.decorated
            if decorated == "classmethod":
                return BoundMethod(obj, method)
            return method if decorated != "property" else UNKNOWN
        return UNKNOWN

    def instance_attribute(self, obj: Instance, attr: str) -> Any:
        if attr in obj.attrs:
            return obj.attrs[attr]
        if isinstance(obj.cls, UserClass):
            method = obj.cls.method(attr)
            if method is not None:
                return self.bind_method(obj, obj.cls, method)
            if attr in obj.cls.attrs:
                return obj.cls.attrs[attr]
        if attr == "add_weight" and obj.weights is not None:
            return BoundMethod(obj, attr)
        if obj.base is not None:
            return self.base_attribute(obj, attr)
        return UNKNOWN

    def base_attribute(self, obj: Instance, attr: str) -> Any:
        """`self.kernel_size`, `self.activation`, `self.convolution_op` in a subclass of a catalogue layer:
        what the base class's constructor made of its arguments, as Keras stores them."""
        spec, args = obj.base.spec, obj.base_args
        rank = _conv_rank(spec.name)
        if attr == "convolution_op" and rank is not None:
            return BoundMethod(obj, "base.convolution_op")
        if args is None or attr not in {p.name for p in spec.signature.params}:
            return UNKNOWN
        value = args.get(attr)
        if attr in ("kernel_size", "strides", "dilation_rate") and rank is not None:
            # Keras keeps one size per spatial axis
            if isinstance(value, int) and not isinstance(value, bool):
                return (value,) * rank
            return tuple(value) if isinstance(value, (tuple, list)) and len(value) == rank else UNKNOWN
        if attr == "padding":
            return value.lower() if isinstance(value, str) else UNKNOWN
        if attr == "activation":
            # `activations.get`: a function, `linear` (the identity, which the ops know by that name) for None
            if value is None or value == "linear":
                return Module("keras.ops.identity")
            return Module(f"keras.activations.{value}") if isinstance(value, str) and value.isidentifier() else value
        return value

    def super_attribute(self, proxy: SuperProxy, attr: str) -> Any:
        """`super().attr`: the first of the class's bases (depth first, as Python's order is for single
        inheritance) that has it: a method of the file's classes, or one of a catalogue layer class."""
        for base in proxy.owner.bases:
            if isinstance(base, UserClass):
                method = base.method(attr)
                if method is not None:
                    return self.bind_method(proxy.obj, base, method)
                if attr in base.attrs:
                    return base.attrs[attr]
                base = _catalogue_class(base)
            if isinstance(base, LayerClass) and isinstance(proxy.obj, Instance) and proxy.obj.base is base:
                return BoundMethod(proxy.obj, f"base.{attr}") if attr in _BASE_METHODS else UNKNOWN
        return UNKNOWN

    def base_build(self, obj: Instance, shape_value: Any, base_shapes: Any = None) -> None:
        """The catalogue base class's `build`: its weights, counted as the catalogue counts them; `self.kernel`
        and `self.bias` as tensors (the bias of shape (filters,) or (units,)). `base_shapes`, when given: the
        input shapes as the base's rule takes them (several, by name, for `MultiHeadAttention`)."""
        if obj.base_built or obj.base_args is None:
            return
        obj.base_built = True
        shape = _shape_of_value(shape_value) if base_shapes is None else base_shapes
        applied = apply(obj.base.spec, obj.base_args, shape)
        obj.weights = [*(obj.weights or []), UNKNOWN if applied.params is None else applied.params]
        if not isinstance(shape, tuple):
            return  # weights made for several inputs: their shapes are not declared
        try:
            weights = obj.base.spec.weight_shapes(obj.base_args, shape)
        except (Unknowable, ShapeError):
            obj.attrs.setdefault("kernel", self.ip.ops.op_tensor("variable", [], None))  # of a shape not known
            return
        for name, weight in weights.items():  # a weight left out (`use_bias=False`) is None, as in Keras
            obj.attrs.setdefault(name, None if weight is None else self.ip.ops.op_tensor("variable", [], weight))

    def base_method(self, obj: Instance, name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
        """`super().__init__(...)`, `super().build(shape)`, `super().call(x)` and `self.convolution_op(x, k)`
        on a subclass of a catalogue layer."""
        base = obj.base
        if name == "__init__":
            obj.base_args = bind(base.spec, positional, keywords)
            return None
        if name == "build":
            self.base_build(obj, positional[0] if positional else keywords.get("input_shape", UNKNOWN))
            return None
        inputs = positional[0] if positional else keywords.get("inputs")
        if name in ("call", "convolution_op") and isinstance(inputs, Tensor) and obj.base_args is not None:
            # the base's output (a convolution's before its activation has the same shape)
            applied = apply(base.spec, obj.base_args, inputs.shape)
            return self.ip.ops.op_tensor(name, [inputs], applied.output if isinstance(applied.output, tuple) else None)
        return UNKNOWN

    def instance_method(self, obj: Instance, name: str, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
        """`self.add_weight(shape=...)` in a custom layer: the weight, as a tensor of its shape."""
        if name.startswith("base.") and obj.base is not None:
            return self.base_method(obj, name[len("base."):], positional, keywords)
        if name != "add_weight":
            return UNKNOWN
        obj.weights.append(_weight_size(positional, keywords))  # type: ignore[union-attr]
        shape = keywords["shape"] if "shape" in keywords else positional[0] if positional else ()
        if isinstance(shape, int) and not isinstance(shape, bool):
            shape = (shape,)
        if isinstance(shape, (tuple, list)) and all(isinstance(d, int) and not isinstance(d, bool) for d in shape):
            return self.ip.ops.op_tensor("variable", [], tuple(shape))
        return UNKNOWN
