"""The shape of a catalogue entry, argument binding, and the helpers shape rules share.

A `LayerSpec` subclass declares one Keras layer class once: its Keras 3 signature (as Keras
writes it, so positional arguments bind the same way), its aliases, its output-shape rule and
its parameter count. Everything else (extraction, inference, rules, explanations, the execution
check) reads these entries.
"""

from __future__ import annotations

import ast
import builtins
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from kerascheck.shapes import UNKNOWN, Dim, Shape, ShapeError, Unknowable, format_shape

# Keyword arguments that the base `keras.layers.Layer` accepts, on top of a class's own.
BASE_KWARGS = ("name", "dtype", "trainable", "autocast", "input_shape", "input_dim", "activity_regularizer")


@dataclass(frozen=True)
class Param:
    name: str
    default: Any
    required: bool


@dataclass(frozen=True)
class Signature:
    params: tuple[Param, ...]
    accepts_base_kwargs: bool

    @classmethod
    def parse(cls, text: str) -> Signature:
        """Parse `"filters, kernel_size, strides=(1, 1), **kwargs"` as a Python parameter list."""
        tree = ast.parse(f"def f({text}): pass").body[0]
        assert isinstance(tree, ast.FunctionDef)
        args = tree.args
        n_required = len(args.args) - len(args.defaults)
        params = []
        for i, a in enumerate(args.args):
            if i < n_required:
                params.append(Param(a.arg, UNKNOWN, True))
            else:
                params.append(Param(a.arg, ast.literal_eval(args.defaults[i - n_required]), False))
        return cls(tuple(params), args.kwarg is not None)

    def names(self) -> tuple[str, ...]:
        return self._names

    @cached_property
    def _names(self) -> tuple[str, ...]:  # asked for on every argument binding and shape rule
        return tuple(p.name for p in self.params)


def snake_case(name: str) -> str:
    """Keras's `to_snake_case`, which gives layers their automatic names (Conv2D -> conv2d)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


@dataclass
class Args:
    """A layer call's arguments bound to its signature.

    Values are plain Python values, `UNKNOWN`, or abstract objects from extraction (a layer
    passed to a wrapper, say). Accessors raise `Unknowable` when the value needed is not known,
    so a shape rule reads as if every value were known.
    """

    spec: LayerSpec
    given: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # base-layer kwargs: name, input_shape, ...
    unexpected: list[str] = field(default_factory=list)
    too_many_positional: int = 0
    opaque: bool = False  # *args or **kwargs we could not see into: unfilled values are unknown
    # Output shapes extraction worked out by running a Lambda's function on a symbolic input, by input shape.
    resolved_outputs: dict[Any, Any] = field(default_factory=dict)
    # For a layer with a `call_signature_text`: the options of the call being built (tensors excluded),
    # such as MultiHeadAttention's `return_attention_scores`.
    call: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        if name in self.given:
            return self.given[name]
        if self.opaque:
            return UNKNOWN
        for p in self.spec.signature.params:
            if p.name == name:
                return p.default
        return self.extra.get(name)

    def known(self, name: str) -> Any:
        value = self.get(name)
        if value is UNKNOWN or _contains_unknown(value):
            raise Unknowable(name)
        return value

    def int(self, name: str) -> int:
        value = self.known(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise Unknowable(name)
        return value

    def opt_int(self, name: builtins.str) -> builtins.int | None:
        value = self.known(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise Unknowable(name)
        return value

    def ints(self, name: builtins.str, n: builtins.int) -> tuple[builtins.int, ...]:
        """An int or a tuple of `n` ints, as Keras's `standardize_tuple` reads it."""
        value = self.known(name)
        if isinstance(value, int) and not isinstance(value, bool):
            return (value,) * n
        if isinstance(value, (tuple, list)) and len(value) == n and all(_is_int(v) for v in value):
            return tuple(value)
        raise Unknowable(name)

    def str(self, name: builtins.str) -> builtins.str:
        value = self.known(name)
        if not isinstance(value, str):
            raise Unknowable(name)
        return value

    def bool(self, name: builtins.str) -> builtins.bool:
        value = self.known(name)
        if not isinstance(value, bool):
            # Keras tests truthiness for most flags; ints and None are common in real code.
            if value is None or isinstance(value, (int, float, str)):
                return bool(value)
            raise Unknowable(name)
        return value

    def padding(self, name: builtins.str = "padding") -> builtins.str:
        return self.str(name).lower()

    def channels_last(self) -> builtins.bool:
        value = self.known("data_format") if "data_format" in self.spec.signature.names() else None
        if value is None:
            return True
        if not isinstance(value, str):
            raise Unknowable("data_format")
        return value.lower() == "channels_last"


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _contains_unknown(value: Any) -> bool:
    if isinstance(value, (tuple, list)):
        return any(v is UNKNOWN or _contains_unknown(v) for v in value)
    return False


class LayerSpec:
    """One Keras layer class. Subclasses set the class attributes and override the rules."""

    name: ClassVar[str]  # the Keras class name, e.g. "Conv2D"
    signature_text: ClassVar[str]  # the Keras 3 `__init__` parameters, after `self`
    aliases: ClassVar[tuple[str, ...]] = ()
    group: ClassVar[str] = "core"
    multi_input: ClassVar[bool] = False  # takes a list of tensors (merge layers)
    # Old keyword arguments Keras 3 still takes out of **kwargs for this class (and ignores).
    tolerated: ClassVar[tuple[str, ...]] = ()
    # False for a layer whose signature kerascheck does not know: its arguments are kept, never checked.
    checks_arguments: ClassVar[bool] = True
    # Arguments whose meaning a reader cannot guess from a bare number (KC401 looks at these).
    counts: ClassVar[tuple[str, ...]] = ()

    # Layers whose call takes several tensors, or options, by name (MultiHeadAttention's
    # `query, value, key=None, ..., return_attention_scores=False`): the call's parameters as Keras
    # writes them, and which of them hold tensors. Their rules get `x` as {tensor parameter: shape}
    # for the tensors given (for a `multi_input` layer, the list of shapes as usual) and the other
    # options in `Args.call`.
    call_signature_text: ClassVar[str | None] = None
    call_tensors: ClassVar[tuple[str, ...]] = ()
    # The parameters of Keras's `call` for this class, in order, the first one holding the input
    # (`("sequences", "initial_state", "mask", "training")` for LSTM), and whether it takes any other
    # keyword (`**kwargs`). Keras binds the arguments of `layer(...)` to them and raises TypeError on
    # a missing input or an unknown keyword (`training=` is always accepted). None: not declared.
    call_parameters: ClassVar[tuple[str, ...] | None] = None
    call_takes_any_keyword: ClassVar[bool] = False
    # Keras masks (`Embedding(mask_zero=True)`): whether the layer passes a mask on (Keras's
    # `supports_masking`), and how `compute_mask` makes its output's mask: "pass" (the input's),
    # "none", "embedding", "masking", "recurrent" (with `return_sequences`), "merge" (OR of all),
    # "concatenate", "attention" (the query's). Keras adds those operations to the graph, which
    # changes the depths that order `model.layers`.
    supports_masking: ClassVar[bool] = False
    mask_rule: ClassVar[str] = "pass"
    # Layers Keras creates, with automatic names, when it builds this one (MultiHeadAttention makes a
    # Softmax and a Dropout): building it uses up those names' next numbers.
    builds_named: ClassVar[tuple[str, ...]] = ()
    # False for objects that are Keras layers but are handed to another layer instead of forming a
    # model's layer themselves (the cells given to `RNN`).
    model_layer: ClassVar[bool] = True
    # The number of spatial (or time) axes the layer works on: 2 for Conv2D, MaxPooling2D,
    # Cropping2D; None for layers without such axes.
    rank: ClassVar[int | None] = None
    # Recurrent layers: the gates that share its kernel (LSTM 4, GRU 3, SimpleRNN 1) and its states.
    gates: ClassVar[int | None] = None
    n_states: ClassVar[int | None] = None
    # Convolutions slide one kernel over every output position (the execution check's cost model).
    convolution: ClassVar[bool] = False
    # Facts the rules and the execution check read instead of keeping lists of class names:
    passes_values: ClassVar[bool] = False  # its outputs are its input's values (at inference), maybe rearranged
    inference_identity: ClassVar[bool] = False  # predict() returns its input unchanged (Dropout, RandomFlip)
    per_position: ClassVar[bool] = False  # acts on each position alone, keeping the rank (Dense, BatchNormalization)
    activation_name: ClassVar[str | None] = None  # an activation layer: the activation it applies (Softmax: "softmax")
    global_pooling: ClassVar[bool] = False  # pools every spatial axis away (GlobalAveragePooling2D)
    # Why the NumPy execution check has no forward pass for this layer, or None when it has one
    # (kerascheck/execute/ registers it; a test checks that exactly one of the two holds).
    no_forward: ClassVar[str | None] = None
    # Why `--explain-model` gives this layer the generic wording, or None when kerascheck/explain/
    # registers an explanation of its own (a test checks that exactly one of the two holds).
    generic_explanation: ClassVar[str | None] = None

    _signature: Signature | None = None
    _call_signature: Signature | None = None

    def non_trainable(self, a: Args, x: Any, params: int) -> int:
        """How many of the layer's `params` weights training leaves alone: all of them for a layer made
        with `trainable=False`, none by default; layers with statistics (BatchNormalization) override."""
        return params if a.extra.get("trainable") is False else 0

    @property
    def signature(self) -> Signature:
        sig = type(self)._signature
        if sig is None:
            sig = type(self)._signature = Signature.parse(self.signature_text)
        return sig

    @property
    def call_signature(self) -> Signature | None:
        if self.call_signature_text is None:
            return None
        sig = type(self)._call_signature
        if sig is None:
            sig = type(self)._call_signature = Signature.parse(self.call_signature_text)
        return sig

    @property
    def auto_name_prefix(self) -> str:
        return snake_case(self.name)

    def output_shape(self, a: Args, x: Any) -> Shape | list[Shape]:
        """The output shape for input shape `x` (a list of shapes for `multi_input`)."""
        raise Unknowable(self.name)

    def params(self, a: Args, x: Any) -> int:
        """`count_params()` once built on input shape `x`."""
        return 0

    def weight_shapes(self, a: Args, x: Shape | None) -> dict[str, Shape | None]:
        """The shapes of the weights a built layer holds by name (`layer.kernel`, `layer.bias`; None for a
        weight the arguments leave out, `use_bias=False`) for input shape `x` (None: not known, so sizes taken
        from it are None). Declared for the layers whose weights programs read (tied weights, subclasses);
        raises `Unknowable` for the others and where an argument it needs is not known."""
        raise Unknowable(self.name)

    def validate(self, a: Args) -> None:
        """Raise `ShapeError(kind="argument")` where Keras's constructor rejects the arguments."""

    def __repr__(self) -> str:
        return f"<LayerSpec {self.name}>"


# Keras classes that do not override `build`, so Keras builds them when they are created: they
# count 0 parameters even in a model that never learns its input shape (a test checks this list).
BUILT_AT_CREATION = frozenset({
    "Activation", "ActivityRegularization", "AlphaDropout", "AveragePooling1D", "AveragePooling2D",
    "AveragePooling3D", "Dropout", "ELU", "GaussianDropout", "GaussianNoise", "GlobalAveragePooling1D",
    "GlobalAveragePooling2D", "GlobalAveragePooling3D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
    "GlobalMaxPooling3D", "Identity", "LeakyReLU", "Masking", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D",
    "ReLU", "Reshape", "Softmax", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D", "UnitNormalization",
})

# The catalogue classes Keras derives from another catalogue class (`isinstance(lstm, layers.RNN)` holds);
# every other pair is unrelated (a test checks this against Keras's classes).
KERAS_SUBCLASS_OF: dict[str, frozenset[str]] = {
    "AdditiveAttention": frozenset({"Attention"}), "ConvLSTM1D": frozenset({"RNN"}),
    "ConvLSTM2D": frozenset({"RNN"}), "ConvLSTM3D": frozenset({"RNN"}), "GRU": frozenset({"RNN"}),
    "LSTM": frozenset({"RNN"}), "SimpleRNN": frozenset({"RNN"}), "SpatialDropout1D": frozenset({"Dropout"}),
    "SpatialDropout2D": frozenset({"Dropout"}), "SpatialDropout3D": frozenset({"Dropout"}),
}

CATALOGUE: dict[str, LayerSpec] = {}

# The layer families, as Keras groups its layers: one module each in layers/, and where they have
# any, in explain/ and execute/ (which import theirs from this list).
FAMILIES = (
    "activations", "attention", "convolutional", "core", "merging", "normalization", "pooling", "preprocessing",
    "regularization", "reshaping", "rnn",
)


def spec_classes() -> list[type[LayerSpec]]:
    """Every catalogued spec class, once (aliases share their class's entry), in catalogue order."""
    return list(dict.fromkeys(type(spec) for spec in CATALOGUE.values()))


def register(cls: type[LayerSpec]) -> type[LayerSpec]:
    spec = cls()
    for name in (cls.name, *cls.aliases):
        CATALOGUE[name] = spec
    return cls


def bind(spec: LayerSpec, positional: list[Any], keywords: dict[str, Any], opaque: bool = False) -> Args:
    """Bind call arguments the way Python binds them to the Keras signature."""
    args = Args(spec, opaque=opaque)
    if not spec.checks_arguments:
        args.extra.update(keywords)  # neither too many positional arguments nor unknown keywords can be told
        return args
    names = spec.signature.names()
    for i, value in enumerate(positional):
        if i < len(names):
            args.given[names[i]] = value
        else:
            args.too_many_positional += 1
    for key, value in keywords.items():
        if key in names:
            args.given[key] = value
        elif spec.signature.accepts_base_kwargs and key in BASE_KWARGS:
            args.extra[key] = value
        elif key in BASE_KWARGS and key in ("name", "dtype"):
            args.extra[key] = value
        elif key in spec.tolerated:
            args.extra[key] = value
        else:
            args.unexpected.append(key)
    return args


# -- helpers shape rules share -------------------------------------------------------------


class RankError(ShapeError):
    """A rank Keras rejects through the layer's `InputSpec`, when the layer is called.

    `TimeDistributed` builds the layer it wraps without calling it, so Keras skips this check
    there; other rank errors come from Keras's own shape arithmetic and stay errors everywhere.
    """


def rank_error(layer: str, expected: str, x: Shape) -> RankError:
    return RankError(
        f"`{layer}` expects {expected} input, but receives a {len(x)}-D tensor {format_shape(x)}",
        kind="rank",
    )


def require_rank(layer: str, x: Shape, exact: int | None = None, min_rank: int | None = None) -> None:
    if exact is not None and len(x) != exact:
        raise rank_error(layer, f"a {exact}-D", x)
    if min_rank is not None and len(x) < min_rank:
        raise rank_error(layer, f"an at least {min_rank}-D", x)


def checked_ints(a: Args, name: str, n: int, allow_zero: bool = False) -> tuple[int, ...]:
    """Keras's `standardize_tuple` on argument `name`: an int or `n` ints, each > 0 (>= 0 with
    `allow_zero`). Raises `ShapeError(kind="argument")` where Keras's constructor raises,
    `Unknowable` where the value is not known.
    """
    return standardize_tuple(a.spec.name, a.known(name), n, name, allow_zero)


def standardize_tuple(layer: str, value: Any, n: int, name: str, allow_zero: bool = False) -> tuple[int, ...]:
    if value is UNKNOWN or _contains_unknown(value):
        raise Unknowable(name)
    if _is_int(value):
        values: tuple[int, ...] = (value,) * n
    elif isinstance(value, (tuple, list)) and all(_is_int(v) for v in value):
        if len(value) != n:
            raise ShapeError(f"`{layer}` {name}={value!r} must be an int or a tuple of {n} ints", kind="argument")
        values = tuple(value)
    else:
        raise Unknowable(name)
    if any((v < 0 if allow_zero else v <= 0) for v in values):
        raise ShapeError(f"`{layer}` {name}={value!r} must be {'>= 0' if allow_zero else '> 0'}", kind="argument")
    return values


def is_plain(value: Any) -> bool:
    """A value as written in Python (None, bool, number, string, or a tuple/list of them).

    Constructor checks only ever reject plain values: anything else is an abstract value from
    extraction that kerascheck does not know, and its repr is not for messages.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return True
    return isinstance(value, (tuple, list)) and all(is_plain(v) for v in value)


def positive_int(a: Args, name: str) -> None:
    """Keras's constructor check that `name` is a positive integer."""
    value = a.known(name)
    if not is_plain(value):
        raise Unknowable(name)
    if not _is_int(value) or value <= 0:
        raise ShapeError(f"`{a.spec.name}` {name}={value!r} must be a positive integer", kind="argument")


def checked_padding(a: Args, allow_causal: bool = False) -> None:
    """Keras's `standardize_padding`: 'valid' or 'same' (and 'causal' where allowed), any case."""
    value = a.known("padding")
    if not isinstance(value, str):
        raise Unknowable("padding")
    allowed = ("valid", "same", "causal") if allow_causal else ("valid", "same")
    if value.lower() not in allowed:
        raise ShapeError(
            f"`{a.spec.name}` padding={value!r} is not one of " + ", ".join(map(repr, allowed)), kind="argument"
        )


def run_checks(*checks: Callable[[], object]) -> None:
    """Run constructor checks in Keras's order; one whose values are unknown is skipped."""
    for check in checks:
        try:
            check()
        except Unknowable:
            continue


def zero_strides(layer: str, strides: tuple[int, ...]) -> None:
    """Keras's pooling and ConvLSTM constructors accept a zero stride; building then divides by it."""
    if 0 in strides:
        raise ShapeError(f"`{layer}` strides={strides} contains 0: Keras divides by it when building", kind="argument")


def known_dim(d: Dim, what: str = "dimension") -> int:
    """A dimension a weight's size depends on: must be a concrete int to count parameters."""
    if isinstance(d, int):
        return d
    raise Unknowable(what)


def channel_axis_size(a: Args, x: Shape) -> Dim:
    return x[-1] if a.channels_last() else x[1]


def normalize_axis(axis: int, rank: int) -> int:
    return axis + rank if axis < 0 else axis


def positive_dims(layer: str, x: Shape, out: Shape, detail: str) -> Shape:
    """Keras raises when a computed size is zero or negative; symbolic sizes stay silent."""
    for d in out:
        if isinstance(d, int) and d <= 0:
            raise ShapeError(
                f"`{layer}` on input {format_shape(x)} gives output {format_shape(out)}: {detail}",
                kind="nonpositive",
            )
    return out
