"""The Keras graph: applying layers to tensors, masks, functional models, layer order."""

from __future__ import annotations

import dataclasses
import itertools
from typing import TYPE_CHECKING, Any

import libcst as cst

from kerascheck.diagnostics import Span
from kerascheck.extract import numpy_values as knp
from kerascheck.extract import tables
from kerascheck.extract.common import CallSite, Scope, bind_call, flatten_tensors, input_shape_value, operand_broadcast
from kerascheck.extract.nested import CustomLayerSpec, NestedModelSpec
from kerascheck.extract.user_classes import as_output_shape
from kerascheck.extract.values import (
    Function,
    LambdaFunction,
    LayerClass,
    MergeFunction,
    Module,
    Node,
    Tensor,
)
from kerascheck.layers import Applied, apply, bind
from kerascheck.model import CallNote, DataUse, Layer, Model
from kerascheck.shapes import (
    UNKNOWN,
    Shape,
    ShapeError,
    format_shape,
)

if TYPE_CHECKING:
    from kerascheck.extract.interpreter import Interpreter

MAX_CHOICES = 6  # undecided conditions in one model whose every outcome is counted (2**6 = 64 walks at most)


def keras_layer_order(inputs: list[Tensor], outputs: list[Tensor], gaps: list[Node] | None = None,
                      choices: list[Node] | None = None, picked: dict[int, Tensor] | None = None) -> list[Layer]:
    """The layers of a functional model in the order of Keras's `model.layers`.

    Keras sorts operations by depth from the outputs (deepest first) and, within a depth, by the
    order a depth-first walk from the outputs first meets them (`ops/function.py: map_graph`).
    Nodes met whose input kerascheck could not follow go to `gaps`; the interpreter's `either` nodes,
    made where the branches of an `if` it could not decide meet, go to `choices`, and each is walked
    through all its inputs, or through the one `picked` names for it (by the node's id).
    """
    finished: set[int] = set()
    post_order: list[Node] = []
    first_seen: dict[int, int] = {}
    input_ids = {id(t) for t in inputs}
    symbolic: dict[int, bool] = {}

    def is_symbolic(tensor: Tensor, depth: int = 0) -> bool:
        """Whether the tensor descends from an Input: `Embedding(...)(ops.arange(64))` is computed
        at once from constants, so it is no node of Keras's graph."""
        node = tensor.node
        if node is None or node.is_input or node.unknown_input or depth > 10_000:
            return True
        if id(node) not in symbolic:
            symbolic[id(node)] = True  # a cycle (which Keras cannot build) stays in the graph
            symbolic[id(node)] = any(is_symbolic(parent, depth + 1) for parent in node.inputs)
        return symbolic[id(node)]

    def walk(tensor: Tensor, depth: int = 0) -> None:
        node = tensor.node
        if node is None or id(node) in finished or depth > 10_000:
            return
        if not is_symbolic(tensor):
            finished.add(id(node))
            return
        if not node.is_input and id(tensor) in input_ids:
            finished.add(id(node))
            return
        first_seen.setdefault(id(node.layer), len(first_seen))
        if node.unknown_input and gaps is not None:
            gaps.append(node)
        if node.layer.is_op and node.layer.written == "either" and choices is not None:
            choices.append(node)
        if not node.is_input:
            chosen = picked.get(id(node)) if picked is not None else None
            for parent in (chosen,) if chosen is not None else (*node.inputs, *node.mask_inputs):
                walk(parent, depth + 1)
        finished.add(id(node))
        post_order.append(node)

    for t in outputs:
        walk(t)
    in_graph = {id(n) for n in post_order}
    node_depth: dict[int, int] = {}
    layer_depth: dict[int, int] = {}
    layers: dict[int, Layer] = {}
    for node in reversed(post_order):
        depth = node_depth.setdefault(id(node), 0)
        depth = max(depth, layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = depth
        layers[id(node.layer)] = node.layer
        node_depth[id(node)] = depth
        for parent in (*node.inputs, *node.mask_inputs):
            if parent.node is not None and id(parent.node) in in_graph:
                node_depth[id(parent.node)] = max(depth + 1, node_depth.get(id(parent.node), 0))
    for t in inputs:
        if t.node is not None and t.node.is_input and id(t.layer) not in layer_depth:
            layer_depth[id(t.layer)] = 0
            first_seen[id(t.layer)] = -1
            layers[id(t.layer)] = t.layer
    ordered = sorted(layers.values(), key=lambda layer: (-layer_depth[id(layer)], first_seen[id(layer)]))
    return [layer for layer in ordered if not layer.is_op]


def _returns_sequences(args: Any) -> bool | None:
    """`return_sequences` of a recurrent layer (of the layer a Bidirectional wraps); None if unknown."""
    inner = args.get("layer") if args.spec.name == "Bidirectional" else None
    if isinstance(inner, Layer):
        args = inner.args
    if args is None or "return_sequences" not in args.spec.signature.names():
        return None
    value = args.get("return_sequences")
    return value if isinstance(value, bool) else None


def _concrete_shape(shape: Any) -> bool:
    return isinstance(shape, tuple) and len(shape) > 0 and all(
        isinstance(d, int) and not isinstance(d, bool) for d in shape)


def _concrete_batch(value: Any) -> bool:
    """A NumPy array (or data array) whose every size is known: a batch Keras can build a model on."""
    return isinstance(value, (knp.NdArray, tables.DataArray)) and _concrete_shape(value.shape)


def _concrete_then_symbolic(before: Any, now: Any) -> bool:
    """A layer first called on a batch of known size, now on the same sizes with the batch axis open."""
    return (isinstance(before, tuple) and isinstance(now, tuple) and len(before) == len(now) > 0
            and isinstance(before[0], int) and now[0] is None and before[1:] == now[1:])


def _real_parents(tensors: list[Tensor]) -> list[Layer]:
    """The layers behind some tensors, looking through operations (`x + y`, `x[:, 0]`), which are not layers."""
    out: list[Layer] = []
    stack = [t.layer for t in reversed(tensors)]
    seen: set[int] = set()
    while stack:
        layer = stack.pop()
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        if layer.is_op:
            stack.extend(reversed(layer.inbound))
        elif layer not in out:
            out.append(layer)
    return out


class KerasGraph:
    """The Keras graph: applying layers to tensors, masks, functional models, layer order."""

    def __init__(self, ip: Interpreter) -> None:
        self.ip = ip

    def rejected_call(self, layer: Layer, positional: list[Any], keywords: dict[str, Any], call: cst.Call) -> bool:
        """`lstm(inputs=x)`, `dense(x, trainng=False)`: arguments the layer's `call` cannot bind, which
        Keras rejects with a TypeError. Noted for KC406; True when there are any."""
        spec = layer.spec
        params = spec.call_parameters if spec is not None else None
        if params is None or any(arg.star for arg in call.args):
            return False
        written = {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}
        wrong = {k: self.ip.span(arg) for k, arg in written.items()
                 if k not in params and k != "training" and not spec.call_takes_any_keyword}  # type: ignore[union-attr]
        missing = not positional and params[0] not in keywords
        if not wrong and not missing:
            return False
        self.ip.notes.append(CallNote("layer_call", layer.type, self.ip.span(call), wrong, None, params, missing))
        return True

    def call_merge_function(
        self, func: MergeFunction, positional: list[Any], keywords: dict[str, Any], node: cst.Call | None,
        sites: list[tuple[cst.Arg, Any, int | None]], opaque: bool, scope: Scope | None,
    ) -> Any:
        """`layers.concatenate([a, b], axis=1)` is `layers.Concatenate(axis=1)([a, b])`."""
        inputs = positional[0] if positional else keywords.get("inputs", UNKNOWN)
        rest = {k: v for k, v in keywords.items() if k != "inputs"}
        if func.spec.name == "Dot" and "axes" not in rest:
            rest["axes"] = positional[1] if len(positional) > 1 else -1
        layer = self.ip.objects.make_layer(LayerClass(func.spec, func.written), [], rest, node, [], opaque, scope)
        return self.apply_layer(layer, [inputs], {}, node)

    def model_io(self, model: Model, attr: str) -> Any:
        if model.api == "functional":
            ins = [layer.input_tensor for layer in model.layers if layer.is_input]
            if attr in ("input", "inputs"):
                return ins[0] if attr == "input" and len(ins) == 1 else list(ins) if None not in ins else UNKNOWN
            outs = model.outputs
            return outs[0] if attr == "output" and len(outs) == 1 else list(outs) if outs else UNKNOWN
        if model.api == "sequential" and attr in ("inputs", "outputs"):
            # Keras 3 gives a built Sequential model a graph: `[input]` and `[output]` tensors that a
            # functional model can be built from (its layers then join that model one by one).
            graph = self.sequential_graph(model)
            return UNKNOWN if graph is None else [graph[0] if attr == "inputs" else graph[1]]
        return UNKNOWN

    def sequential_graph(self, model: Model) -> tuple[Tensor, Tensor] | None:
        """The input and output tensors of a Sequential model declared with `keras.Input`, built once."""
        graph = model.graph
        if graph is not None:
            return graph
        source = model.input_layer
        tensor = source.input_tensor if source is not None else None
        if model.uncertain or not model.built or not isinstance(tensor, Tensor) or not model.layers:
            return None
        if any(layer.submodel is not None or layer.uncertain for layer in model.layers):
            return None
        x: Any = tensor
        for layer in model.layers:
            x = self.apply_layer(layer, [x], {})
            if not isinstance(x, Tensor):
                return None
        graph = (tensor, x)
        model.graph = graph
        return graph

    def model_as_layer(self, model: Model) -> Layer:
        """The one layer object that stands for `model` inside other models."""
        wrapper = model.as_layer
        if wrapper is None:
            spec = NestedModelSpec(model)
            wrapper = Layer(
                type=spec.name, written=model.keras_name, spec=spec, args=bind(spec, [], {}),
                name=model.keras_name, span=model.span, submodel=model, node=model.node,
            )
            wrapper.uncertain = model.uncertain
            model.as_layer = wrapper
        return wrapper

    def apply_layer(self, layer: Layer, positional: list[Any], keywords: dict[str, Any], call: Any = None) -> Any:
        """`layer(x)`: a node in a functional graph."""
        args = layer.args
        named = bind_call(layer.spec, positional, keywords)
        if named is None and isinstance(layer.spec, CustomLayerSpec):
            named = self.ip.classes.base_call_binding(layer, positional, keywords)
        tensors: list[Tensor] = []
        extra: list[Tensor] = []
        if named is not None and args is not None:
            tensors, shapes, reported, options = named
            args = dataclasses.replace(args, call=options)
        else:
            x = positional[0] if positional else keywords.get("inputs", UNKNOWN)
            if isinstance(x, Tensor):
                tensors = [x]
                shapes = x.shape
            elif isinstance(x, (list, tuple)) and x and all(isinstance(t, Tensor) for t in x):
                tensors = list(x)
                shapes = [t.shape for t in tensors]
            elif isinstance(x, dict) and x and all(isinstance(t, Tensor) for t in x.values()):
                # a model called on a dict of its inputs (`head(sym_inputs)`): Keras flattens it by sorted key
                tensors = flatten_tensors(x) or []
                shapes = [t.shape for t in tensors]
            else:
                shapes = None
            reported = shapes
            # Every tensor of the call is an input of the node, as in Keras, which flattens the
            # positional arguments (`CTCLayer()(labels, y_pred)`, `Distance()(a, p, n)`) and then the
            # keyword ones (`initial_state=states`) in the order of their names.
            extra = [t for value in positional[1:] for t in (flatten_tensors(value) or [])]
            extra += [
                t for key, value in sorted(keywords.items()) if key != "inputs"
                for t in (flatten_tensors(value) or [])
            ]
        self.ip.call_order += 1
        if layer.order is None:
            layer.order = self.ip.call_order
        for parent in _real_parents(tensors + extra):
            if parent not in layer.inbound:
                layer.inbound.append(parent)
        node = Node(layer, tensors + extra, unknown_input=not tensors and not extra)
        first_arg = self.mask_arguments(layer, node, positional, keywords)
        if self.ip.uncertain:
            layer.applied_uncertain = True
        if self.ip.inside_custom_layer:
            layer.internal = True
        if isinstance(layer.spec, CustomLayerSpec):
            if shapes is None:
                return Tensor(None, layer, 0, node)
            applied = self.ip.classes.run_custom_layer(layer, positional, keywords, shapes)
        elif layer.spec is None or args is None:
            return self.output_masks(layer, args, first_arg, Tensor(None, layer, 0, node))
        else:
            applied = apply(layer.spec, args, shapes)
        if layer.spec is not None and layer.spec.name == "Lambda" and applied.output is None and applied.error is None and tensors:
            applied = self.run_lambda_layer(layer, tensors, applied)
        first_call = layer.input_shape is None and layer.output_shape is None and layer.error is None
        if first_call and layer.spec is not None and applied.error is None and shapes is not None:
            for prefix in layer.spec.builds_named:
                self.ip.auto_name(prefix)
        if first_call:
            layer.input_shape = reported
            layer.output_shape = applied.output
            layer.params = applied.params
            layer.error = applied.error
            layer.built_on = reported
        elif applied.error is None and _concrete_then_symbolic(layer.input_shape, reported):
            # Keras reports the output of a layer's first symbolic call: the call before ran on a concrete
            # batch (a subclassed model built on NumPy data, `model(x_train[:2])`), this one is in a graph
            layer.input_shape = reported
            layer.output_shape = applied.output
        elif (
            applied.error is None and applied.params is not None and layer.params is not None
            and applied.params != layer.params and call is not None and not layer.uncertain
        ):
            # Its weights were made for the first input: Keras rejects an input they do not fit.
            built = layer.built_on
            layer.call_errors.append((self.ip.span(call), ShapeError(
                f"`{layer.name}` ({layer.type}) was built for inputs {format_shape(built)} and is called again on "
                f"{format_shape(reported)}, which its weights do not fit", kind="incompatible")))
        out = applied.output
        result: Any = [Tensor(s, layer, i, node) for i, s in enumerate(out)] if isinstance(out, list) else Tensor(
            out, layer, 0, node)
        if layer.first_output is None:
            layer.first_output = result
        return self.output_masks(layer, args, first_arg, result)

    def mask_arguments(self, layer: Layer, node: Node, positional: list[Any], keywords: dict[str, Any]) -> Any:
        """Keras hands the masks of a call's tensors to the layer's `call` when it takes them: `mask=`
        when one argument holds tensors, `<name>_mask=` for each when several do (MultiHeadAttention's
        `query_mask`). Those masks join the node's arguments. Returns the call's first argument."""
        params = layer.spec.call_parameters if layer.spec is not None else None
        if params is None:
            return positional[0] if positional else keywords.get("inputs")
        bound = dict(zip(params, positional))
        bound.update((k, v) for k, v in keywords.items() if k in params)
        first = bound.get(params[0])
        with_tensors = {k: v for k, v in bound.items() if flatten_tensors(v)}
        masks: list[Tensor] = []
        if len(with_tensors) == 1:
            if "mask" in params and bound.get("mask") is None:
                (value,) = with_tensors.values()
                masks = [t.mask for t in flatten_tensors(value) or [] if t.mask is not None]
        else:
            for name, value in with_tensors.items():
                if f"{name}_mask" in params and bound.get(f"{name}_mask") is None:
                    masks += [t.mask for t in flatten_tensors(value) or [] if t.mask is not None]
        node.mask_inputs = masks
        return first

    def output_masks(self, layer: Layer, args: Any, first: Any, result: Any) -> Any:
        """Keras's `compute_mask` for the layer's outputs, as the operations it adds to the graph."""
        spec = layer.spec
        if spec is None or not spec.supports_masking or args is None:
            return result
        outputs = result if isinstance(result, list) else [result]
        inputs = flatten_tensors(first) or []
        if not inputs or not all(isinstance(t, Tensor) for t in outputs):
            return result
        previous = [t.mask for t in inputs]
        rule = spec.mask_rule
        single = isinstance(first, Tensor)
        mask: Any = None
        if rule == "pass":
            mask = previous[0] if single else None
        elif rule == "embedding":
            if args.get("mask_zero") is True and single:
                mask = self.ip.ops.op_tensor("not_equal", [first], first.shape)
        elif rule == "masking" and single:
            shape = first.shape[:-1] if first.shape else None
            mask = self.ip.ops.op_tensor("any", [self.ip.ops.op_tensor("not_equal", [first], first.shape)], shape)
        elif rule == "recurrent":
            sequences = _returns_sequences(args)
            if sequences is None:
                return result
            mask = previous[0] if sequences and single else None
            if spec.name == "Bidirectional" and args.get("merge_mode") is None and mask is not None and len(outputs) > 1:
                outputs[1].mask = mask  # no merge: both directions' outputs carry it
        elif rule == "merge":
            if all(m is not None for m in previous) and len(previous) > 1:
                mask = previous[0]
                for other in previous[1:]:
                    mask = self.ip.ops.op_tensor("logical_or", [mask, other], operand_broadcast(mask, other))
        elif rule == "concatenate":
            mask = self._concatenate_mask(args, inputs, previous)
        elif rule == "attention":
            if previous[0] is not None and not single:
                mask = self.ip.ops.op_tensor("convert_to_tensor", [previous[0]], previous[0].shape)
        if mask is not None:
            outputs[0].mask = mask
        return result

    def _concatenate_mask(self, args: Any, inputs: list[Tensor], previous: list[Any]) -> Tensor | None:
        if all(m is None for m in previous):
            return None
        masks: list[Tensor] = []
        for tensor, mask in zip(inputs, previous):
            if mask is None:
                masks.append(self.ip.ops.op_tensor("ones_like", [tensor], tensor.shape))
            elif mask.shape is None or tensor.shape is None:
                return None  # which operations Keras adds depends on the ranks
            elif len(mask.shape) < len(tensor.shape):
                expanded = self.ip.ops.op_tensor("expand_dims", [mask], (*mask.shape, 1))
                zeros = self.ip.ops.op_tensor("zeros_like", [tensor], tensor.shape)
                masks.append(self.ip.ops.op_tensor("logical_or", [expanded, zeros], operand_broadcast(expanded, zeros)))
            else:
                masks.append(mask)
        joined = self.ip.ops.op_tensor("concatenate", masks, None)
        return self.ip.ops.op_tensor("any", [joined], None)

    def symbolic_input(self, shape: Any, span: Span) -> Any:
        """A tensor (or list of tensors) of `shape` from nowhere, to run a layer's code on."""
        if isinstance(shape, list):
            return [self.symbolic_input(s, span) for s in shape]
        holder = Layer(type="InputLayer", written="", spec=None, args=None, name="", span=span)
        return Tensor(shape, holder, 0, Node(holder, [], is_input=True))

    def resolve_lambda(self, layer: Layer, shape: Shape) -> None:
        """Run a Lambda's function on a symbolic input of `shape`; remember the shape it returns."""
        if layer.args is None or shape in layer.args.resolved_outputs:
            return
        result = self.run_lambda_layer(layer, [self.symbolic_input(shape, layer.span)], Applied(None, None))
        if isinstance(result.output, tuple):
            layer.args.resolved_outputs[shape] = result.output

    def run_lambda_layer(self, layer: Layer, tensors: list[Tensor], applied: Any) -> Any:
        """Keras gives a Lambda layer the shape its function returns on a symbolic input; so do we."""
        fn = layer.args.given.get("function") if layer.args is not None else None
        declared = layer.args.given.get("output_shape") if layer.args is not None else None
        if isinstance(declared, (LambdaFunction, Function)):
            # `Lambda(f, output_shape=shape_fn)`: Keras takes the shape from `shape_fn(input_shape)`.
            fn, argument = declared, input_shape_value([t.shape for t in tensors] if len(tensors) != 1 else tensors[0].shape)
        elif isinstance(fn, (LambdaFunction, Function, Module)):
            # a function of the file, or a library one (`Lambda(densenet.preprocess_input)`, `Lambda(tf.nn.relu)`)
            argument = tensors[0] if len(tensors) == 1 else list(tensors)
        else:
            return applied
        saved_current, saved_statement = self.ip.current, self.ip.statement
        try:
            if isinstance(fn, Module):
                result = self.ip.call_module(fn, [argument], {}, CallSite())
            elif isinstance(fn, LambdaFunction):
                result = self.ip.call_lambda(fn, [argument], {})
            else:
                result = self.ip.call_function(fn, [argument], {})
        finally:
            self.ip.current, self.ip.statement = saved_current, saved_statement
        if fn is declared:
            shape = as_output_shape(result)
            return applied if shape is None else type(applied)(shape, applied.params if applied.params is not None else 0)
        if isinstance(result, Tensor) and result.shape is not None:
            return type(applied)(result.shape, applied.params if applied.params is not None else 0)
        if isinstance(result, (list, tuple)) and result and all(isinstance(t, Tensor) and t.shape is not None
                                                                  for t in result):
            # `Lambda(lambda t: ops.split(t, 2, axis=1))`: one output per tensor returned
            return type(applied)([t.shape for t in result], applied.params if applied.params is not None else 0)
        return applied

    def make_functional(
        self, positional: list[Any], keywords: dict[str, Any], node: Any, span: Span, base: str = "functional"
    ) -> Any:
        inputs = positional[0] if positional else keywords.get("inputs", UNKNOWN)
        outputs = positional[1] if len(positional) > 1 else keywords.get("outputs", UNKNOWN)
        if isinstance(node, cst.Call) and not positional and {"input", "output"} & set(keywords) \
                and not {"inputs", "outputs"} & set(keywords):
            self.ip.training.note("model_keras1_keywords", node)  # Keras 1's `Model(input=..., output=...)`
        explicit = keywords.get("name")
        model = Model("functional", span, explicit if isinstance(explicit, str) else self.ip.auto_name(base),
                      node=node, statement=self.ip.statement)
        out_tensors = flatten_tensors(outputs)
        in_tensors = flatten_tensors(inputs)
        if out_tensors is None or in_tensors is None:
            model.uncertain = True
            self.ip.models.append(model)
            return model
        gaps: list[Node] = []
        choices: list[Node] = []
        found = keras_layer_order(in_tensors, out_tensors, gaps, choices)
        model.layers = found
        model.outputs = out_tensors
        model.inputs = in_tensors
        model.depth = self.ip.uncertain
        # outputs collected in a list under an undecided condition: Keras may build more or fewer of them
        unsure = self.ip.is_unsure(inputs) or self.ip.is_unsure(outputs)
        model.uncertain = unsure or any(layer.uncertain for layer in found)
        model.incomplete = bool(gaps)
        model.alternatives = bool(choices)
        if choices and len(choices) <= MAX_CHOICES:
            # the layers Keras may build, one list for each way the undecided conditions can go
            model.selections = [
                keras_layer_order(in_tensors, out_tensors, picked=dict(zip(map(id, choices), pick)))
                for pick in itertools.product(*(node.inputs for node in choices))]
        self.ip.models.append(model)
        return model

    def call_layer(self, layer: Layer, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`dense(x)`: a node, unless Keras rejects the call's arguments."""
        node = site.node
        if isinstance(node, cst.Call) and not site.opaque and self.rejected_call(layer, positional, keywords, node):
            return UNKNOWN  # Keras raises TypeError: the call makes no tensor
        return self.apply_layer(layer, positional, keywords, node)

    def call_model(self, model: Model, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`model(x)`: a subclassed model runs its `call`; any other is applied as a layer."""
        if model.api == "subclass":
            first = positional[0] if positional else keywords.get("inputs")
            if isinstance(first, Tensor) or isinstance(first, (list, tuple)) and first and all(
                    isinstance(t, Tensor) for t in first):
                # `probs = Tree(...)(encoded)` in a functional graph: Keras builds the model by running its
                # `call` on symbolic inputs of that shape, and the graph holds one node of the model as a
                # layer (its output unknown when `call` cannot be followed; the graph stays whole)
                if not model.built:
                    shape = first.shape if isinstance(first, Tensor) else [t.shape for t in first]
                    if shape is not None and (not isinstance(shape, list) or all(s is not None for s in shape)):
                        self.ip.classes.run_subclass_call(model, shape)
                return self.apply_layer(self.model_as_layer(model), positional, keywords, site.node)
            return self.ip.classes.call_subclassed(model, positional, keywords)
        if model.api == "sequential" and not model.built and not model.input_declared \
                and positional and _concrete_batch(positional[0]):
            # `model(example_inputs)` on a NumPy batch: Keras builds the model on that concrete shape, and
            # returns a batch of that size (`augment(resize(x_train[:1]))` builds `augment` on it in turn)
            model.input_declared = True
            model.input_shape = positional[0].shape
            self.ip.objects.sequential_build(model)
            cache = model.build_cache
            if model.built and cache is not None and cache[0] == len(model.layers) and _concrete_shape(cache[3]):
                return tables.DataArray(cache[3])
            return UNKNOWN  # an array of predictions (its shape is inferred after extraction)
        wrapper = self.model_as_layer(model)
        first = positional[0] if positional else None
        if (isinstance(first, Tensor) and isinstance(first.shape, tuple) and site.node is not None
                and (model.built or model.api == "functional") and self.ip.uncertain == self.ip.main_guards):
            model.data.append(DataUse("call", self.ip.span(site.node), first.shape, None))
        if model.api == "sequential" and not model.built and isinstance(first, Tensor):
            # Keras builds an unbuilt Sequential model on the first tensor it is called on.
            if not model.input_declared:
                model.input_declared = True
                model.input_shape = first.shape
            self.ip.objects.sequential_build(model)
        return self.apply_layer(wrapper, positional, keywords, site.node)

    def call_merge(self, func: MergeFunction, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return self.call_merge_function(func, positional, keywords, site.node, site.args or [], site.opaque, site.scope)

    def tensor_attribute(self, obj: Tensor, attr: str) -> Any:
        if attr == "shape" and obj.shape is not None:
            return tuple(d if isinstance(d, int) or d is None else UNKNOWN for d in obj.shape)
        return UNKNOWN
