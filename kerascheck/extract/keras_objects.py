"""Keras objects: making layers, Inputs and Sequential models (adding, building)."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any, cast

import libcst as cst

from kerascheck.diagnostics import Span
from kerascheck.extract.common import DECLINED, MISSING, CallSite, Scope, arg_expr, dotted_name
from kerascheck.extract.nested import CustomLayerSpec
from kerascheck.extract.values import (
    BoundMethod,
    Factory,
    LayerClass,
    Module,
    Node,
    Tensor,
    is_plain,
)
from kerascheck.layers import apply, bind, snake_case, validate
from kerascheck.model import ArgSite, CallNote, Layer, Model
from kerascheck.shapes import (
    UNKNOWN,
    Shape,
    ShapeError,
    Sym,
    Unknowable,
)

if TYPE_CHECKING:
    from kerascheck.extract.interpreter import Interpreter


def _array_shape_expr(expr: Any) -> tuple[str, int] | None:
    """`x.shape` -> ("x", 0); `x.shape[1:]` -> ("x", 1); anything else None."""
    start = 0
    if isinstance(expr, cst.Subscript) and len(expr.slice) == 1 and isinstance(expr.slice[0].slice, cst.Slice):
        part = expr.slice[0].slice
        if part.upper is not None or part.step is not None:
            return None
        if part.lower is not None:
            if not isinstance(part.lower, cst.Integer):
                return None
            start = int(part.lower.value)
        expr = expr.value
    if not isinstance(expr, cst.Attribute) or expr.attr.value != "shape":
        return None
    name = dotted_name(expr.value)
    return (name, start) if name is not None else None


def _contains(outer: Model, inner: Model, depth: int = 0) -> bool:
    """Whether `inner` is nested somewhere inside `outer`."""
    if depth > 50:
        return True
    return any(
        layer.submodel is inner or (layer.submodel is not None and _contains(layer.submodel, inner, depth + 1))
        for layer in outer.layers
    )


class KerasObjects:
    """Keras objects: making layers, Inputs and Sequential models (adding, building)."""

    def __init__(self, ip: Interpreter) -> None:
        self.ip = ip

    def build_layer(self, layer: Layer, shape_value: Any) -> None:
        """`self.token_emb.build(input_shape)`: Keras makes the layer's weights for that (batch) input
        shape; a layer built already keeps the weights it has."""
        if layer.spec is None or layer.args is None or layer.input_shape is not None or layer.output_shape is not None:
            return
        shape = self.as_shape(shape_value, batch_included=True)
        if shape is None or layer.uncertain:
            return
        applied = apply(layer.spec, layer.args, shape)
        if applied.error is None:
            layer.input_shape, layer.output_shape, layer.params = shape, applied.output, applied.params
            layer.built_on = shape

    def note_add_placement(self, layer: Layer, node: cst.Call) -> None:
        stmt = self.ip.statement
        if (
            node.args[0].value is layer.node
            and isinstance(node.func, cst.Attribute)
            and isinstance(stmt, cst.SimpleStatementLine)
            and len(stmt.body) == 1
            and isinstance(stmt.body[0], cst.Expr)
            and stmt.body[0].value is node
        ):
            layer.placement = "add"
            layer.receiver = self.ip.code(node.func.value)
            layer.statement_span = self.ip.span(stmt)

    def mark_uncertain(self, items: list[Any]) -> None:
        for item in items:
            if isinstance(item, Layer):
                item.uncertain = True

    def as_shape(self, value: Any, batch_included: bool = False) -> Shape | None:
        """A shape argument (`input_shape=(28, 28, 1)`) as a batch shape; None when unknown."""
        if isinstance(value, int) and not isinstance(value, bool):
            value = (value,)
        if isinstance(value, list):
            value = tuple(value)
        if not isinstance(value, tuple):
            return None
        dims: list[Any] = []
        for d in value:
            if d is None or (isinstance(d, int) and not isinstance(d, bool)):
                dims.append(d)
            else:
                dims.append(None)  # an unknown size: not an error, just unknown
        return tuple(dims) if batch_included else (None, *dims)

    def symbolic(self, shape: Shape | None, expr: Any, batch_included: bool = False) -> Shape | None:
        """Name the unknown sizes of a shape written as a tuple: `(IMG_SIZE, IMG_SIZE, 3)` keeps `IMG_SIZE`.

        Only sizes written as plain names (or dotted names, `args.size`) become symbols; a literal
        `None` stays None, and anything else unknown stays unknown.
        """
        if shape is None:
            return shape
        whole = _array_shape_expr(expr)
        if whole is not None:
            # `input_shape=x_train.shape[1:]`: each unknown size is named after the array's axis
            array, first = whole
            offset = 0 if batch_included else 1
            return tuple(Sym(f"{array}.shape[{first + i - offset}]") if d is None and i >= offset else d
                         for i, d in enumerate(shape))
        if not isinstance(expr, (cst.Tuple, cst.List)):
            return shape
        elements = expr.elements
        offset = 0 if batch_included else 1
        if any(isinstance(e, cst.StarredElement) for e in elements) or len(elements) + offset != len(shape):
            return shape
        dims = list(shape)
        for i, element in enumerate(elements):
            name = dotted_name(element.value)
            if dims[i + offset] is None and name is not None and name != "None":
                dims[i + offset] = Sym(name)
        return tuple(dims)

    def make_layer(
        self,
        cls: LayerClass,
        positional: list[Any],
        keywords: dict[str, Any],
        node: cst.Call | None,
        sites: list[tuple[cst.Arg, Any, int | None]],
        opaque: bool,
        scope: Scope | None = None,
    ) -> Layer:
        spec = cls.spec
        if spec.name in ("TimeDistributed", "Bidirectional"):
            # `TimeDistributed(sentence_encoder)`: a model wrapped as a layer
            positional = [self.ip.graph.model_as_layer(v) if isinstance(v, Model) else v for v in positional]
            if isinstance(keywords.get("layer"), Model):
                keywords = {**keywords, "layer": self.ip.graph.model_as_layer(keywords["layer"])}
        if isinstance(keywords.get("activation"), Module):
            # `activation=keras.activations.softmax` or `tf.nn.relu` means what the string would.
            keywords = {**keywords, "activation": keywords["activation"].path.rsplit(".", 1)[-1]}
        if spec.name == "Activation" and positional and isinstance(positional[0], Module):
            positional = [positional[0].path.rsplit(".", 1)[-1], *positional[1:]]
        args = bind(spec, positional, keywords, opaque)
        explicit = keywords.get("name")
        name = explicit if isinstance(explicit, str) else self.ip.auto_name(spec.auto_name_prefix)
        names = spec.signature.names()
        arg_sites = []
        tensor_arguments: list[tuple[str, Span]] = []
        for arg, value, index in sites:
            if index is not None:
                param = names[index] if index < len(names) else None
                keyword = None
            else:
                keyword = arg.keyword.value if arg.keyword is not None else None
                param = keyword
            where = self.ip.span(arg) if node is not None else Span.point(1)
            if isinstance(value, Tensor) and not value.layer.is_op and node is not None:
                tensor_arguments.append((param or keyword or "?", where))
            arg_sites.append(ArgSite(param, keyword, index, value, where, arg, self.ip.arg_text(arg, where)))
        layer = Layer(
            type=spec.name,
            written=self.ip.code(node.func) if node is not None else cls.written,
            spec=spec,
            args=args,
            name=name,
            span=self.ip.span(node) if node is not None else Span.point(1),
            arg_sites=arg_sites,
            node=node,
            statement=self.ip.statement,
        )
        layer.construction_error = validate(spec, args)
        layer.tensor_arguments = tensor_arguments
        if node is not None:
            layer.flatten_spelling = self._spelling_of("Flatten", node.func, scope)
            assert self.ip.positions is not None
            layer.starts_line = self.ip.positions.starts_line(layer.span)
        self.ip.layers.append(layer)
        return layer

    def _spelling_of(self, class_name: str, func: cst.BaseExpression, scope: Scope | None) -> str | None:
        """How the file can name another layer class at this call: `layers.Flatten`, `Flatten`, or None."""
        if isinstance(func, cst.Attribute) and scope is not None:
            owner = self.ip.eval(func.value, scope)
            target = self.ip.get_attribute(owner, class_name)
            if isinstance(target, LayerClass) and target.spec.name == class_name:
                return f"{self.ip.code(func.value)}.{class_name}"
            return None
        if scope is not None:
            for name, value in self.ip.globals.vars.items():
                if isinstance(value, LayerClass) and value.written == class_name and value.spec.name == class_name:
                    return name
        return None

    def call_factory(
        self, factory: Factory, positional: list[Any], keywords: dict[str, Any], node: cst.Call | None, opaque: bool
    ) -> Any:
        kind = factory.kind
        span = self.ip.span(node) if node is not None else Span.point(1)
        if kind == "Sequential":
            explicit = keywords.get("name")
            model = Model(
                "sequential", span,
                explicit if isinstance(explicit, str) else self.ip.auto_name("sequential"),
                node=node, statement=self.ip.statement,
            )
            model.depth = self.ip.uncertain
            # Made by a custom layer's code: the layer builds it when it is called.
            model.held_by_layer = self.ip.inside_custom_layer > 0
            self.ip.models.append(model)
            items = positional[0] if positional else keywords.get("layers")
            listed = node.args[0].value if node is not None and node.args else None
            if isinstance(listed, cst.List) and isinstance(items, list):
                literal_nodes = {id(e.value) for e in listed.elements}
                for item in items:
                    if isinstance(item, Layer) and id(item.node) in literal_nodes:
                        item.placement = "list"
            if items is not None:
                seq = self.ip.iterate(items)
                if seq is None:
                    model.uncertain = True
                else:
                    element_nodes: list[Any] = [None] * len(seq)
                    if isinstance(listed, cst.List) and not any(
                        isinstance(e, cst.StarredElement) for e in listed.elements
                    ) and len(listed.elements) == len(seq):
                        element_nodes = [e.value for e in listed.elements]
                    for item, item_node in zip(seq, element_nodes):
                        self.sequential_add(model, item, rebuild=False, item_node=item_node)
                    self.sequential_maybe_rebuild(model)
            return model
        if kind in ("Input", "InputLayer"):
            return self.make_input(kind, positional, keywords, node, span)
        if kind == "Model":
            return self.ip.graph.make_functional(positional, keywords, node, span)
        if kind.startswith("UserLayer:") or kind == "Layer":
            explicit = keywords.get("name")
            layer = Layer(
                type=kind.split(":", 1)[-1], written=self.ip.code(node.func) if node is not None else kind,
                spec=None, args=None,
                name=explicit if isinstance(explicit, str) else self.ip.auto_name(snake_case(kind.split(":", 1)[-1])),
                span=span, node=node, statement=self.ip.statement,
            )
            self.ip.layers.append(layer)
            return layer
        return UNKNOWN

    def make_input(
        self, kind: str, positional: list[Any], keywords: dict[str, Any], node: cst.Call | None, span: Span
    ) -> Any:
        shape_value = positional[0] if positional else keywords.get("shape", MISSING)
        if shape_value is MISSING and kind == "InputLayer":
            shape_value = keywords.get("input_shape", MISSING)  # Keras 3 still reads the old name here
        batch_shape = keywords.get("batch_shape", MISSING)
        if batch_shape is MISSING and kind == "InputLayer":
            batch_shape = keywords.get("batch_input_shape", MISSING)
        if batch_shape is not MISSING and batch_shape is not None:
            shape = self.as_shape(batch_shape, batch_included=True)
        elif shape_value is MISSING or shape_value is None:
            shape = None
        elif isinstance(shape_value, int) and not isinstance(shape_value, bool):
            shape = None  # Keras 3 raises "Cannot convert '784' to a shape" (reported from the layer)
        else:
            shape = self.symbolic(self.as_shape(shape_value), arg_expr(node, 0, ("shape", "input_shape")))
            batch = keywords.get("batch_size")
            if shape is not None and isinstance(batch, int):
                shape = (batch, *shape[1:])
        explicit = keywords.get("name")
        layer = Layer(
            type="InputLayer", written=self.ip.code(node.func) if node is not None else kind, spec=None, args=None,
            name=explicit if isinstance(explicit, str) else self.ip.auto_name("input_layer"), span=span, node=node,
            statement=self.ip.statement,
        )
        layer.output_shape = shape
        layer.params = 0
        if isinstance(shape_value, int) and not isinstance(shape_value, bool) and batch_shape in (MISSING, None):
            written = arg_expr(node, 0, ("shape", "input_shape"))
            text = self.ip.code(written) if written is not None else str(shape_value)
            inner = text[1:-1] if text.startswith("(") and text.endswith(")") else text
            layer.construction_error = ShapeError(
                f"`shape={text}` is the number {shape_value}, not a shape (parentheses alone make no tuple): "
                f"write `shape=({inner},)`; Keras 2 took it, Keras 3 raises \"Cannot convert '{shape_value}' to a "
                "shape\"", kind="argument")
        self.ip.layers.append(layer)
        tensor = Tensor(shape, layer)
        tensor.node = Node(layer, [], is_input=True)
        layer.input_tensor = tensor
        if kind == "InputLayer":
            return layer
        return tensor

    def clone_sequential(self, source: Model, keywords: dict[str, Any], node: cst.Call) -> Any:
        """`keras.models.clone_model(student)`: a Sequential model of new layers made from the same
        configurations (so with the same names), on the same input."""
        if source.api != "sequential" or source.uncertain or keywords:
            return UNKNOWN  # a functional clone renames its inputs; clone_function/input_tensors: not followed
        model = Model("sequential", self.ip.span(node), source.keras_name, node=node, statement=self.ip.statement)
        model.depth = self.ip.uncertain
        model.layers = [copy.copy(layer) for layer in source.layers]
        model.input_shape, model.input_span, model.input_declared = source.input_shape, source.input_span, source.input_declared
        model.built = source.built
        if source.has_input_layer:
            self.ip.auto_name("input_layer")
            model.has_input_layer = True
        self.ip.models.append(model)
        return model

    def sequential_add(self, model: Model, item: Any, rebuild: bool, item_node: Any = None) -> None:
        self._sequential_add(model, item, item_node)
        if rebuild:
            self.sequential_maybe_rebuild(model)

    def sequential_maybe_rebuild(self, model: Model) -> None:
        """Keras rebuilds a Sequential model after `add` once it knows its input (`_maybe_rebuild`)."""
        if model.uncertain or not model.layers:
            return
        if model.has_input_layer:
            self.sequential_build(model)
        elif len(model.layers) > 1 and model.layers[0].submodel is not None and model.input_declared:
            self.sequential_build(model)

    def sequential_build(self, model: Model) -> None:
        """What Keras's `Sequential.build` creates: an InputLayer if there is none, nested builds, a Functional.

        Only the automatic names matter here (they decide `input_layer_N` in later functional
        models); the shapes themselves are computed by inference.
        """
        if model.uncertain:
            return
        if not model.has_input_layer:
            self.ip.auto_name("input_layer")
            model.has_input_layer = True
        shape = model.input_shape
        start = 0
        cache = model.build_cache
        if (cache is not None and 0 < cache[0] <= len(model.layers) and id(model.layers[cache[0] - 1]) == cache[1]
                and cache[2] == model.input_shape):
            start, shape = cache[0], cache[3]
        for layer in model.layers[start:]:
            sub = layer.submodel
            if sub is not None and sub.api == "sequential" and not sub.built and not sub.uncertain:
                if not sub.input_declared:
                    sub.input_declared = True
                    sub.input_shape = shape
                self.sequential_build(sub)
            if layer.spec is None or layer.args is None or shape is None:
                shape = None
                continue
            if layer.spec.name == "Lambda" and isinstance(shape, tuple):
                self.ip.graph.resolve_lambda(layer, shape)
            applied = apply(layer.spec, layer.args, shape)
            if applied.error is not None or layer.construction_error is not None:
                return  # Keras raises here: the model is never built
            if layer.built_on is None and not layer.uncertain:
                layer.built_on = shape  # its weights are made now (`enc.kernel` can be read)
            shape = applied.output if isinstance(applied.output, tuple) else None
        if model.layers:
            model.build_cache = (len(model.layers), id(model.layers[-1]), model.input_shape, shape)
        self.ip.auto_name("functional")
        model.built = True

    def _sequential_add(self, model: Model, item: Any, item_node: Any = None) -> None:
        if model.api != "sequential":
            return
        conditional = self.ip.uncertain > model.depth
        if conditional:
            model.uncertain = True
        if isinstance(item, Tensor) and item.layer.is_input:
            item = item.layer
        if isinstance(item, Layer) and item.is_input:
            if not model.layers and not model.input_declared:
                model.input_declared = True
                model.has_input_layer = True
                model.input_shape = cast("Shape | None", item.output_shape)  # an InputLayer's: one shape
                model.input_span = item.span
                model.input_layer = item
            return
        if isinstance(item, Layer):
            if not model.layers and not model.input_declared and item.args is not None:
                raw = item.args.extra.get("input_dim")
                raw = (raw,) if raw is not None else item.args.extra.get("input_shape")
                if isinstance(raw, int) and not isinstance(raw, bool) and "input_shape" in item.args.extra:
                    # Keras 3 raises "Cannot convert '784' to a shape": a shape is a tuple, (784,).
                    item.construction_error = ShapeError(
                        f"`input_shape={raw}` is not a shape: write a tuple, `input_shape=({raw},)`", kind="argument")
                    raw = UNKNOWN  # given, but not usable: no shape, and no "missing input shape" either
                if raw is not None:
                    model.input_declared = True
                    model.input_shape = self.as_shape(raw) if raw is not UNKNOWN else None
                    site = next((a for a in item.arg_sites if a.keyword == "input_shape"), None)
                    if site is not None and isinstance(site.node, cst.Arg):
                        model.input_shape = self.symbolic(model.input_shape, site.node.value)
                    model.input_span = item.span
                    model.has_input_layer = True
                    self.ip.auto_name("input_layer")  # Keras creates an InputLayer for it
            if conditional:
                item.uncertain = True  # it may or may not be there: nothing after it is known
            if item.uncertain:
                model.uncertain = True
            model.layers.append(item)
            return
        if isinstance(item, Model) and (item is model or _contains(item, model)):
            model.uncertain = True  # Keras rejects a model nested in itself
            return
        if isinstance(item, Model):
            wrapper = self.ip.graph.model_as_layer(item)
            functional_input = item.api == "functional" and len(item.inputs) == 1 and not item.uncertain
            if not model.layers and not model.input_declared and (item.input_declared or functional_input):
                # Keras takes a nested model's input as the outer model's input.
                model.input_declared = True
                model.input_shape = item.input_shape if item.api == "sequential" else (
                    item.inputs[0].shape if functional_input else
                    cast("Shape | None", next((layer.output_shape for layer in item.layers if layer.is_input), None)))
                model.input_span = item.span
            model.layers.append(wrapper)
            return
        if isinstance(item, LayerClass) and item_node is not None \
                and self.ip.code(item_node).rsplit(".", 1)[-1] == item.written:
            # `model.add(layers.Flatten)`: the class, not a layer made from it; Keras raises. (Written as the
            # class's name: a name bound to it elsewhere may have been rebound in ways not followed.)
            self.ip.notes.append(CallNote("add_class", item.written, self.ip.span(item_node), model=model))
        # Something kerascheck cannot see into (an unknown class, a value from elsewhere): it holds a
        # place in the stack, so every shape after it is unknown rather than computed without it.
        model.uncertain = True
        written = self.ip.code(item_node.func) if isinstance(item_node, cst.Call) else "?"
        placeholder = Layer(type=written.rsplit(".", 1)[-1], written=written, spec=None, args=None, name="?",
                            span=self.ip.span(item_node) if item_node is not None else model.span)
        placeholder.uncertain = True
        model.layers.append(placeholder)

    def get_layer(self, model: Model, positional: list[Any], keywords: dict[str, Any]) -> Any:
        """`model.get_layer("encoder_1_ffn")`, `model.get_layer(index=-2)`: the layer of `model.layers`."""
        if model.uncertain or model.user_class is not None or len(positional) > 2:
            return UNKNOWN
        name = keywords.get("name", positional[0] if positional else None)
        index = keywords.get("index", positional[1] if len(positional) > 1 else None)
        if isinstance(name, str) and index is None:
            found = [layer for layer in model.layers if layer.name == name]
            return found[0] if len(found) == 1 else UNKNOWN
        if name is None and isinstance(index, int) and not isinstance(index, bool):
            return model.layers[index] if -len(model.layers) <= index < len(model.layers) else UNKNOWN
        return UNKNOWN

    def call_layer_class(self, cls: LayerClass, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return self.make_layer(cls, positional, keywords, site.node, site.args or [], site.opaque, site.scope)

    def call_factory_at(self, factory: Factory, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return self.call_factory(factory, positional, keywords, site.node, site.opaque)

    def clone_model(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if site.node is None or not positional or not isinstance(positional[0], Model):
            return DECLINED
        if positional[0].api == "functional":
            return self.clone_functional(positional[0], keywords, site.node)
        return self.clone_sequential(positional[0], keywords, site.node)

    def clone_functional(self, source: Model, keywords: dict[str, Any], node: cst.Call) -> Any:
        """`keras.models.clone_model(model)` of a functional model: new layers from the same configurations
        (so the same names, shapes and weight counts) on new inputs, under the model's name. Keras names each
        new input after the old input's tensor, which is the input's name only where the file gave one
        (`keras.Input(shape, name="words")`); otherwise a counter of tensors decides it: not followed."""
        if source.uncertain or source.incomplete or source.alternatives or keywords or not source.layers:
            return UNKNOWN
        inputs = [layer for layer in source.layers if layer.is_input]
        if not inputs or any(re.fullmatch(r"input_layer(_\d+)?", layer.name) for layer in inputs):
            return UNKNOWN
        model = Model("functional", self.ip.span(node), source.keras_name, node=node, statement=self.ip.statement)
        model.depth = self.ip.uncertain
        copies = {id(layer): copy.copy(layer) for layer in source.layers}
        model.layers = [copies[id(layer)] for layer in source.layers]
        model.inputs = []
        for tensor in source.inputs:
            layer = copies.get(id(tensor.layer))
            if layer is None:
                return UNKNOWN
            fresh = Tensor(tensor.shape, layer)
            fresh.node = Node(layer, [], is_input=True)
            layer.input_tensor = fresh
            model.inputs.append(fresh)
        model.outputs = source.outputs  # what the new layers compute is what the old ones did
        self.ip.models.append(model)
        return model

    def model_attribute(self, obj: Model, attr: str) -> Any:
        if attr in obj.attrs:
            return obj.attrs[attr]
        if obj.user_class is not None:
            method = obj.user_class.method(attr)
            if method is not None and attr != "build":
                return self.ip.classes.bind_method(obj, obj.user_class, method)
        if attr in ("add", "build", "compile", "summary", "fit", "fit_generator", "pop", "get_layer", "evaluate",
                    "train_on_batch", "test_on_batch", "predict", "save"):
            return BoundMethod(obj, attr)
        if attr in ("input", "inputs", "output", "outputs"):
            return self.ip.graph.model_io(obj, attr)
        if attr == "layers" and not obj.uncertain and obj.user_class is None:
            return list(obj.layers)
        if attr == "name" and obj.user_class is None and not obj.uncertain:
            return obj.keras_name  # given, or the automatic one (`functional_1`), as a layer's is
        return UNKNOWN

    def model_method(self, obj: Model, name: str, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
        if name == "get_layer":
            return self.get_layer(obj, positional, keywords)
        if name == "add":
            item = positional[0] if positional else keywords.get("layer", UNKNOWN)
            if isinstance(node, cst.Call) and any(a.keyword is not None and a.keyword.value not in ("layer", "rebuild")
                                                  for a in node.args):
                self.ip.training.note("add_keywords", node, model=obj)
            elif isinstance(node, cst.Call) and any(a.star == "**" for a in node.args) and (
                    set(keywords) - {"layer", "rebuild"}):
                # `model.add(Dense(units), **cfg)` where `cfg` is known to hold layer arguments.
                starred = next(a for a in node.args if a.star == "**")
                self.ip.notes.append(CallNote("add_keywords", self.ip.code(node.func), self.ip.span(node), {
                    key: self.ip.span(starred) for key in keywords if key not in ("layer", "rebuild")}, obj))
            if isinstance(item, Layer) and isinstance(node, cst.Call) and node.args:
                self.note_add_placement(item, node)
            item_node = node.args[0].value if isinstance(node, cst.Call) and node.args else None
            self.sequential_add(obj, item, rebuild=True, item_node=item_node)
        elif name == "build" and obj.api == "subclass":
            # Keras 3's default `Model.build` only marks a subclassed model built: its layers stay
            # unbuilt (count_params() is 0) until the model is called on a tensor.
            if obj.user_class is not None and obj.user_class.method("build") is not None:
                return self.ip.classes.run_model_build(obj, positional[0] if positional else keywords.get(
                    "input_shape", UNKNOWN))
            if not obj.built:
                obj.weightless_build = True
        elif name == "build":
            shape = positional[0] if positional else keywords.get("input_shape", UNKNOWN)
            if obj.api == "sequential" and not obj.input_declared:
                obj.input_declared = True
                obj.input_shape = self.symbolic(
                    self.as_shape(shape, batch_included=True), arg_expr(node, 0, ("input_shape",)), True
                )
                obj.input_span = self.ip.span(node) if node is not None else None
                if not obj.uncertain:
                    self.sequential_build(obj)
        elif name == "compile":
            self.ip.training.compile(obj, positional, keywords, node)
        elif name == "save":
            self.ip.training.saved(obj, positional[0] if positional else keywords.get("filepath"))
        elif name == "pop":
            if obj.layers:
                obj.layers.pop()
        elif name in ("fit", "fit_generator", "evaluate", "train_on_batch", "test_on_batch", "predict") \
                and node is not None:
            self.ip.training.fit(obj, name, positional, keywords, node)
            if name == "predict":
                return self.ip.training.predicted(obj, positional, keywords)
        return UNKNOWN if name != "add" else None

    def layer_attribute(self, obj: Layer, attr: str) -> Any:
        if obj.args is not None and obj.spec is not None and attr in obj.spec.signature.names():
            value = obj.args.get(attr)  # `self.token_emb.output_dim`: the argument it was made with
            return value if is_plain(value) else UNKNOWN
        if attr == "output" and obj.first_output is not None:
            return obj.first_output
        if attr == "name" and isinstance(obj.name, str) and not obj.uncertain:
            return obj.name  # its Keras name: given, or the automatic one
        if attr == "build" and obj.spec is not None and not isinstance(obj.spec, CustomLayerSpec):
            return BoundMethod(obj, "build")
        if attr == "output_shape" and isinstance(obj.output_shape, tuple):
            return tuple(d if isinstance(d, int) or d is None else UNKNOWN for d in obj.output_shape)
        if attr in ("kernel", "bias"):
            return self.layer_weight(obj, attr)
        return UNKNOWN

    def layer_weight(self, obj: Layer, attr: str) -> Any:
        """`encoder_dense.kernel` of a built Dense or convolution (a tied-weights decoder borrows it): a tensor
        of the weight's shape, as the catalogue declares it (`weight_shapes`); None for a bias left out."""
        spec, args, shape = obj.spec, obj.args, obj.built_on
        if spec is None or args is None or not isinstance(shape, tuple) or not shape:
            return UNKNOWN
        try:
            weights = spec.weight_shapes(args, shape)
        except (Unknowable, ShapeError):
            return UNKNOWN
        if attr not in weights:
            return UNKNOWN
        weight = weights[attr]
        return None if weight is None else self.ip.ops.op_tensor("variable", [], weight)

    def layer_method(self, obj: Layer, name: str, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
        if name != "build":
            return UNKNOWN
        self.build_layer(obj, positional[0] if positional else keywords.get("input_shape"))
        return None


def set_trainable(obj: Layer | Model, value: bool | None, depth: int = 0) -> None:
    """`obj.trainable = value`, as Keras sets it: on a model, also on every layer it holds."""
    obj.trainable = value
    if depth > 50:
        return
    model = obj if isinstance(obj, Model) else obj.submodel
    if model is not None:
        if model is not obj:
            model.trainable = value
        for layer in model.layers:
            set_trainable(layer, value, depth + 1)
