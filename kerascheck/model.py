"""The layer IR: what extraction found and inference annotated.

No libcst here: source nodes are carried as opaque references for the fixes package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kerascheck.diagnostics import Span
from kerascheck.shapes import Shape, ShapeError

if TYPE_CHECKING:
    from kerascheck.layers.spec import Args, LayerSpec


@dataclass(frozen=True)
class ArgSite:
    """One argument as written in a layer call."""

    param: str | None  # the parameter it binds to, None when it binds to nothing
    keyword: str | None  # the keyword written, None for a positional argument
    index: int | None  # position among the positional arguments
    value: Any
    span: Span
    node: Any = field(default=None, repr=False)  # the CST node of the argument (for fixes)
    text: str = ""  # the argument's value as written, e.g. `num_filters[0]`


@dataclass(eq=False)
class Layer:
    """One layer object: created by a call to a Keras layer class (or something we cannot see into)."""

    type: str  # Keras class name, e.g. "Conv2D" (the written name where uncatalogued)
    written: str  # the callee as written, e.g. "layers.Convolution2D"
    spec: LayerSpec | None
    args: Args | None
    name: str
    span: Span
    arg_sites: list[ArgSite] = field(default_factory=list)
    node: Any = field(default=None, repr=False)  # CST node of the constructor call
    statement: Any = field(default=None, repr=False)  # CST statement that holds the call
    # How the layer was written into its model, for fixes that insert a layer before it:
    # "add" (`model.add(Dense(...))` as its own statement) or "list" (an element of `Sequential([...])`).
    placement: str | None = None
    statement_span: Span | None = None
    receiver: str | None = None  # the model expression in `model.add(...)`
    flatten_spelling: str | None = None  # how this file can spell `Flatten` where the layer is written
    starts_line: bool = False  # nothing but indentation precedes the call on its line
    # Filled by inference, or by extraction for functional calls:
    input_shape: Shape | list[Shape] | None = None
    output_shape: Shape | list[Shape] | None = None
    params: int | None = None
    # Of `params`, the weights training leaves alone (BatchNormalization's moving statistics, a
    # Normalization layer's mean and variance, a layer made with `trainable=False`); set by inference.
    non_trainable: int | None = None
    # What `layer.trainable = ...` set it to last (True when never set; None when kerascheck cannot tell).
    trainable: bool | None = True
    inbound: list[Layer] = field(default_factory=list)
    error: ShapeError | None = None
    construction_error: ShapeError | None = None
    # Arguments of the constructor that are tensors (`Dropout(x)` for `Dropout(0.5)(x)`): (parameter, where)
    tensor_arguments: list[tuple[str, Span]] = field(default_factory=list)
    # Added under a condition kerascheck could not decide, or something it cannot see into: whether
    # it is there, and so everything after it, is not known (the polarity of `Model.uncertain`).
    uncertain: bool = False
    submodel: Model | None = None  # a model used as a layer
    explanation: str | None = None  # kept when a result is read back from the cache
    # Errors Keras raises when the layer is called again (a shared layer on an input its weights do
    # not fit), with the span of that call.
    call_errors: list[tuple[Span, ShapeError]] = field(default_factory=list)
    # Set by extraction while it runs the file:
    is_op: bool = False  # an operation of the graph that is no layer (`x + y`, `keras.ops.*`, a mask op)
    order: int | None = None  # when it was first called on tensors, among all layer calls (None: never)
    applied_uncertain: bool = False  # called at least once under a condition kerascheck could not decide
    internal: bool = False  # called inside a custom layer's own code (a sublayer, not a node of the model)
    library: bool = False  # a layer of a `keras.applications` model: made by Keras, not written in the file
    built_on: Shape | list[Shape] | None = None  # the input its weights were made for (its first call or build)
    first_output: Any = field(default=None, repr=False)  # the tensor (or list of them) its first call made
    input_tensor: Any = field(default=None, repr=False)  # an InputLayer's tensor (what `keras.Input` returns)
    user_instance: Any = field(default=None, repr=False)  # a custom layer's object (extract.values.Instance)
    custom_built: bool = False  # a custom layer whose `build` has run (Keras runs it once)
    # A custom layer's count includes the weights of these layers, which models hold too (a tied
    # decoder's `source`): a model holding both counts them once, as Keras does.
    borrows: list[Any] = field(default_factory=list, repr=False)

    @property
    def certain(self) -> bool:
        """`not uncertain`: the old name, kept read-only for the readers in rules/ and execute/."""
        return not self.uncertain

    @property
    def is_input(self) -> bool:
        return self.type == "InputLayer"

    def missing_arguments(self) -> list[str]:
        """Required parameters the call never gives (Keras raises TypeError when it creates the layer)."""
        if self.spec is None or self.args is None or self.args.opaque:
            return []
        return [p.name for p in self.spec.signature.params if p.required and p.name not in self.args.given]

    def constructible(self) -> bool:
        """Whether Keras's constructor accepts this call, as far as kerascheck can tell."""
        if self.spec is None or self.args is None or self.construction_error is not None:
            return False
        if self.args.unexpected or self.args.too_many_positional:
            return False
        return not self.missing_arguments()

    def shape_follows(self) -> bool:
        """Whether its shape follows from its arguments, an unknown keyword aside: `Dense(64, activaton="relu")`
        is reported (KC402), and its shape is still the one the call means, as in a functional model."""
        if self.spec is None or self.args is None or self.construction_error is not None:
            return False
        if self.args.too_many_positional or self.missing_arguments():
            return False
        return all(_shape_neutral_typo(keyword, self.spec.signature.names()) for keyword in self.args.unexpected)


def _shape_neutral_typo(keyword: str, names: tuple[str, ...]) -> bool:
    """Whether an unknown keyword is a misspelling of an argument that changes no shape and no weight count
    (`activaton`, `kernel_initialiser`); a legacy name (`border_mode`) or another slip could change them."""
    import difflib

    close = difflib.get_close_matches(keyword, names, n=1, cutoff=0.75)
    if not close:
        return False
    meant = close[0]
    return meant in ("activation", "recurrent_activation", "name", "dtype", "trainable") or meant.endswith(
        ("_initializer", "_regularizer", "_constraint"))


@dataclass
class DataUse:
    """Arrays a model is trained or tested on: `fit(x, y)`, its `validation_data`, `evaluate`, `train_on_batch`.

    Each shape is the whole array's (its first axis the samples), or None where it is not known.
    """

    call: str  # "fit", "validation_data", "evaluate", "train_on_batch", "test_on_batch"
    span: Span  # the call (for validation_data: the `validation_data=` argument)
    x: tuple[Any, ...] | None
    y: tuple[Any, ...] | None
    y_text: str = ""  # the labels as written
    # Set by shape inference for a Sequential model: the layer that rejects batches of x (None: the
    # model's own input check), and Keras's reason; None when x is accepted or not known.
    rejected: tuple[Any, str] | None = None
    # `fit(x, [y1, y2])` for a model of several outputs: each target's shape by position (None where
    # not known), and each as written.
    y_list: tuple[tuple[Any, ...] | None, ...] | None = None
    y_texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class CallNote:
    """A call rules look at that is not a layer: `model.fit(...)`, `keras.optimizers.Adam(...)`, ..."""

    kind: str  # "fit", "fit_generator", "optimizer", "merge", "layer_call"
    name: str  # what was called, as written (for "layer_call": the layer's class)
    span: Span
    keywords: dict[str, Span] = field(default_factory=dict)  # keyword -> span of `keyword=value`
    model: Any = None  # the model, for fit
    # "layer_call": a layer called with arguments its `call` does not bind (`keywords` holds those);
    # the parameters it has, and whether its input (the first of them) was given at all.
    parameters: tuple[str, ...] = ()
    missing_input: bool = False


@dataclass(frozen=True)
class Labels:
    """Labels whose number of classes is known, and how they are encoded.

    `keras.utils.to_categorical(y, 10)` gives one-hot rows ("one-hot"); a dataset's `load_data()`
    gives class indices ("integer"), as `sparse_categorical_crossentropy` expects.
    """

    classes: int
    span: Span
    encoding: str = "one-hot"
    shape: tuple[Any, ...] | None = None  # the array's shape, when known (`to_categorical` of a known array)


@dataclass(frozen=True)
class Loss:
    """A loss as `compile` received it: a name, a function or a loss object, read to one form."""

    name: str  # canonical snake_case, e.g. "categorical_crossentropy"
    from_logits: bool | None  # None when it cannot be known
    span: Span | None = None  # where it is written
    text: str = ""  # as written


@dataclass
class CompileInfo:
    span: Span
    loss: Any = None  # a Loss, or something kerascheck cannot read (None: not given)
    metrics: Any = None
    optimizer: Any = None


@dataclass(eq=False)
class Model:
    api: str  # "sequential" | "functional" | "subclass"
    span: Span
    keras_name: str
    name: str | None = None  # the variable it is bound to
    layers: list[Layer] = field(default_factory=list)
    # Sequential: the batch input shape declared by Input/InputLayer/input_shape/build(), and where.
    input_shape: Shape | None = None
    input_span: Span | None = None
    input_declared: bool = False  # an input shape was written, even if its value is unknown
    outputs: list[Any] = field(default_factory=list)  # functional output tensors
    inputs: list[Any] = field(default_factory=list)  # functional input tensors, in the order given
    uncertain: bool = False  # its layers depend on a condition or value kerascheck could not know
    library: bool = False  # a `keras.applications` model: its layers are Keras's, not the file's
    # A functional graph with a hole: a layer was called on a value kerascheck could not follow, so
    # the layers above it are missing (the rest, such as the output layers, is still known).
    incomplete: bool = False
    # An undecided condition chose between layers (`if n == 2: out = Dense(1)(x) else: ...`): all of them
    # are listed, Keras builds one, so the total is not known.
    alternatives: bool = False
    # Its layers for each way those conditions can go (when there are few): where every way gives one total,
    # that total is Keras's whichever it builds (`x = StochasticDepth(rate)(x) if rate else x`).
    selections: list[list[Layer]] | None = field(default=None, repr=False)
    has_input_layer: bool = False  # Sequential: Keras has put an InputLayer first (so `add` rebuilds)
    attrs: dict[str, Any] = field(default_factory=dict)  # a subclassed model's attributes (`self.conv1`)
    user_class: Any = None  # a subclassed model's class (extract.values.UserClass)
    class_name: str | None = None  # a functional model made by a subclass of keras.Model: Keras's type name
    built: bool = False
    # `model.build(shape)` on a subclassed model never called: Keras marks it built without building
    # its layers (they are built by the first call), so count_params() is 0 until then.
    weightless_build: bool = False
    own_build_run: bool = False  # a subclassed model whose class's `build` has run (Keras runs it once)
    # How many undecidable conditions enclosed its creation: adding a layer under more of them than
    # that makes the model's structure uncertain (under the same ones it is just an alternative).
    depth: int = 0
    compile: CompileInfo | None = None
    fit_labels: Labels | None = None  # one-hot labels passed to `fit`, when their width is known
    data: list[DataUse] = field(default_factory=list)  # arrays it is trained and tested on, in order
    execution: Any = None  # the `--execute` report (kerascheck.execute.ExecutionReport)
    node: Any = field(default=None, repr=False)
    statement: Any = field(default=None, repr=False)
    # Set by extraction while it runs the file:
    named_globally: bool = False  # `name` is a module-level name (which wins over a builder's local `model`)
    name_dropped: bool = False  # its module-level name was bound to something else: no later name will do
    held_by_layer: bool = False  # made by a custom layer's code: the layer builds it when it is called
    input_layer: Layer | None = None  # Sequential: the InputLayer given as its first item
    graph: tuple[Any, Any] | None = field(default=None, repr=False)  # Sequential: its (input, output) tensors
    as_layer: Layer | None = field(default=None, repr=False)
    # Sequential: how far its last build got (layers applied, the last of them, the input, the shape
    # after them), so that `add` after `add` applies only the new layer, not the whole stack again.
    build_cache: tuple[int, int, Any, Any] | None = field(default=None, repr=False)  # the one layer that stands for it in other models

    # The total read back from the cache or a worker (whose layers keep no spec nor arguments to count
    # shared cells by): one-element tuple, so a restored unknown (None) differs from no restoring.
    restored_total: tuple[int | None] | None = None
    restored_non_trainable: tuple[int | None] | None = None  # likewise for the non-trainable count
    trainable: bool | None = True  # `model.trainable = False` freezes every weight it holds (None: unknown)

    @property
    def total_params(self) -> int | None:
        """`count_params()`; None when any layer's count, or the model's very structure, is unknown."""
        if self.restored_total is not None:
            return self.restored_total[0]
        if self.uncertain and not self.layers:
            return None
        if self.api == "subclass" and not self.built and not self.weightless_build:
            return None  # never called nor built: Keras's count_params() raises
        if self.weightless_build:
            return sum(layer.params or 0 for layer in self.layers)  # the layers another call built
        if _borrows_within(self):
            return None  # weights a custom layer borrows from a layer this model also holds: not counted twice here
        return _same_for_every_outcome(self, "params")


def _counted(layers: list[Layer], count: str) -> int | None:
    """The sum of the layers' `params` (or `non_trainable`); None if any is unknown."""
    # A cell an RNN layer of this model wraps shares its weights with that layer: Keras counts them once.
    owned = {id(cell) for layer in layers if layer.args is not None and layer.spec is not None
             and layer.spec.name == "RNN" for cell in _as_list(layer.args.get("cell"))}
    total = 0
    for layer in layers:
        if id(layer) in owned:
            continue
        value = getattr(layer, count)
        if value is None:
            return None
        total += value
    return total


def _same_for_every_outcome(model: Model, count: str) -> int | None:
    """A model's count; where undecided conditions choose between its layers, the count they all give."""
    if not model.alternatives:
        return _counted(model.layers, count)
    if model.selections is None:
        return None
    totals = {_counted(layers, count) for layers in model.selections}
    return totals.pop() if len(totals) == 1 else None


def non_trainable_total(model: Model) -> int | None:
    """The model's non-trainable parameter count, as Keras's summary prints it; None when unknown."""
    if model.total_params is None:
        return None
    if model.restored_non_trainable is not None:
        return model.restored_non_trainable[0]
    if model.trainable is None:
        return None
    if model.trainable is False:
        return model.total_params
    if model.alternatives:
        return _same_for_every_outcome(model, "non_trainable")
    total = 0
    for layer in model.layers:
        if layer.non_trainable is None:
            return None
        total += layer.non_trainable
    return total


def _borrows_within(model: Model) -> bool:
    """Whether a layer of the model (or of a model inside it) counts weights of a layer the model also holds."""
    held: set[int] = set()
    borrowed: set[int] = set()
    stack, seen = [model], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        for layer in current.layers:
            held.add(id(layer))
            borrowed.update(id(b) for b in layer.borrows)
            if layer.submodel is not None:
                stack.append(layer.submodel)
    return bool(held & borrowed)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]
