"""Abstract values the interpreter computes besides plain Python values and UNKNOWN."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kerascheck.layers.spec import LayerSpec
from kerascheck.model import Layer, Model
from kerascheck.shapes import Shape

MAX_SEQUENCE = 10_000  # longest list, tuple or string the interpreter builds
_PLAIN = (int, float, str, bool, type(None), bytes)


def is_key(value: Any) -> bool:
    """A plain value Python accepts as a dict key or set member (a list is plain, but not hashable)."""
    if not is_plain(value):
        return False
    try:
        hash(value)
    except TypeError:
        return False
    return True


def is_plain(value: Any) -> bool:
    """A value built only of Python literals, safe to compute with."""
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, (tuple, list, set, frozenset)):
        return all(is_plain(v) for v in value)
    if isinstance(value, range):
        return True
    if isinstance(value, dict):
        return all(is_plain(k) and is_plain(v) for k, v in value.items())
    return False


def size_ok(value: Any) -> bool:
    """Whether a value the interpreter computed is small enough to keep."""
    if isinstance(value, (str, bytes, tuple, list, dict, set, frozenset)):
        return len(value) <= MAX_SEQUENCE
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() <= 4096
    return True


@dataclass(frozen=True)
class Module:
    """A Keras or TensorFlow module or namespace, by its import path: `tensorflow.keras.layers`."""

    path: str


@dataclass(frozen=True)
class LayerClass:
    spec: LayerSpec
    written: str  # the class name as imported, e.g. "Convolution2D"


@dataclass(frozen=True)
class Factory:
    """A Keras callable that is not a layer class: Sequential, Model, Input, ..."""

    kind: str


@dataclass(eq=False)
class Node:
    """One call of a layer on tensors (a layer shared by two branches has two nodes)."""

    layer: Layer
    inputs: list[Tensor]
    is_input: bool = False
    # The layer was called on something that is not a known tensor (a value kerascheck could not
    # follow): the graph above this node is missing, so a model holding it is not fully known.
    unknown_input: bool = False
    # Keras masks handed to the call (`lstm(x)` on a masked `x` gets `mask=`): they are arguments of
    # the node, so they count in the graph's depths and order, but they carry no data.
    mask_inputs: list[Tensor] = field(default_factory=list)


@dataclass(eq=False)
class Tensor:
    """A symbolic tensor in a functional graph: its shape and the node that made it."""

    shape: Shape | None
    layer: Layer
    index: int = 0
    node: Node | None = None
    # Keras's mask on this tensor (`Embedding(mask_zero=True)` sets `not_equal(ids, 0)`): a tensor made
    # by mask operations, or None.
    mask: Tensor | None = None


@dataclass(frozen=True)
class BoundMethod:
    obj: Any
    name: str | Function  # a method's name, or a method of a class the file defines


@dataclass(eq=False)
class Function:
    """A function defined in the analysed file, with the scope it closes over."""

    node: Any  # libcst.FunctionDef
    closure: Any  # Scope
    name: str
    called: bool = False
    positions: Any = None  # the extract.positions.Positions of the unit (file or cell) that defines it
    decorated: str | None = None  # a method's "staticmethod", "classmethod" or "property" decorator
    owner: Any = None  # the UserClass whose body defines it, for a method (what `super()` starts from)


@dataclass(eq=False)
class LambdaFunction:
    """A `lambda` written in the file (Lambda layers run it on a symbolic tensor, as Keras does)."""

    node: Any  # libcst.Lambda
    closure: Any  # Scope
    positions: Any = None


@dataclass(eq=False)
class Builtin:
    name: str


@dataclass(eq=False)
class ModelRef:
    model: Model


@dataclass(eq=False)
class UserClass:
    """A class defined in the analysed file; `kind` is "model", "layer" or "plain" from its bases."""

    name: str
    kind: str
    methods: dict[str, Any] = field(default_factory=dict)
    attrs: dict[str, Any] = field(default_factory=dict)
    bases: list[Any] = field(default_factory=list)
    # A `NamedTuple` or `@dataclass`: its fields in order, with their defaults (MISSING: none); None otherwise.
    fields: list[tuple[str, Any]] | None = None

    def method(self, name: str) -> Any:
        if name in self.methods:
            return self.methods[name]
        for base in self.bases:
            if isinstance(base, UserClass):
                found = base.method(name)
                if found is not None:
                    return found
        return None


@dataclass(eq=False)
class MergeFunction:
    """`layers.add(...)`, `layers.concatenate(...)`: make the merge layer and call it at once."""

    spec: LayerSpec
    written: str


@dataclass(eq=False)
class Partial:
    """`functools.partial(layers.Conv2D, kernel_size=3)`."""

    func: Any
    positional: list[Any]
    keywords: dict[str, Any]


@dataclass(eq=False)
class Instance:
    """An object of a class defined in the file (attributes tracked where known)."""

    cls: Any
    attrs: dict[str, Any] = field(default_factory=dict)
    # A custom layer's object: the number of values of each weight `add_weight` made (UNKNOWN where not
    # known); None for the objects of other classes.
    weights: list[Any] | None = None
    # A subclass of a catalogue layer with weights (`class MaskedConv2D(layers.Conv2D)`): that class, the
    # arguments `super().__init__` gave it (layers.Args), and whether its `build` has run.
    base: Any = None
    base_args: Any = None
    base_built: bool = False


@dataclass(frozen=True)
class SuperProxy:
    """`super()` in a method of `owner`, for the object `obj`: attributes are looked up in owner's bases."""

    owner: Any  # UserClass
    obj: Any


@dataclass(eq=False)
class ArgParser:
    """An `argparse.ArgumentParser` the file builds: each option's destination and default."""

    defaults: dict[str, Any] = field(default_factory=dict)
    required: bool = False  # an option `parse_args([])` cannot satisfy (a positional, `required=True`)
    required_dests: set[str] = field(default_factory=set)  # those options' destinations
    opaque: bool = False  # an option kerascheck could not read


@dataclass(eq=False)
class TextBuffer:
    """`io.StringIO(text)` of a string the file holds."""

    text: str


@dataclass(eq=False)
class Stream:
    """An iterator over known items (`csv.reader(...)`): `next()` and loops take them in turn."""

    items: list[Any]
    position: int = 0
