"""What every part of the interpreter shares: scopes, the control-flow signals, the limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import libcst as cst

from kerascheck.extract import numpy_values as knp
from kerascheck.extract import tables
from kerascheck.extract.values import (
    Function,
    Instance,
    Partial,
    Tensor,
    UserClass,
    is_plain,
)
from kerascheck.model import Model
from kerascheck.shapes import (
    UNKNOWN,
    Shape,
    broadcast_shapes,
)

if TYPE_CHECKING:
    from kerascheck.layers.spec import LayerSpec

MAX_CALL_DEPTH = 12
MAX_LOOP_ITERATIONS = 256
# A longer loop runs in full when its body is small: `for i in range(60, len(prices)):
# X.append(prices[i - 60:i, 0])`, the sliding window of every time-series notebook. Its length times
# the size of its body (in syntax nodes) must stay under this, and it never runs past MAX_SEQUENCE.
MAX_LOOP_WORK = 100_000
MAX_STEPS = 200_000
MISSING = object()
# What a module-path handler returns when the call is not its case: the next handler is tried.
DECLINED = object()


class Budget(Exception):
    """The file takes more interpretation than it is worth: stop, keeping what was found."""


class Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class Break(Exception):
    pass


class Continue(Exception):
    pass


class Scope:
    def __init__(self, parent: Scope | None = None) -> None:
        self.vars: dict[str, Any] = {}
        self.parent = parent

    def lookup(self, name: str) -> Any:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return scope.vars[name]
            scope = scope.parent
        return MISSING


def truth(value: Any) -> bool | None:
    """The truth of an abstract value, or None when it cannot be known."""
    if value is UNKNOWN:
        return None
    if is_plain(value):
        return bool(value)
    if isinstance(value, (tuple, list, dict)):
        return bool(len(value))
    if isinstance(value, (Instance, knp.NdArray)):
        return None  # NumPy raises on the truth of an array of several elements
    return True


def dotted_name(node: cst.CSTNode) -> str | None:
    """`layers.Conv2D` for a plain dotted name, without regenerating code; None for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute) and not node.lpar:
        owner = dotted_name(node.value)
        return None if owner is None else f"{owner}.{node.attr.value}"
    return None


def operand_broadcast(left: Any, right: Any) -> Shape | None:
    """NumPy broadcasting of two operands' shapes (a Python number is a scalar, a NumPy array has its shape);
    None if unknown."""
    shapes = []
    for v in (left, right):
        if isinstance(v, Tensor):
            if v.shape is None:
                return None
            shapes.append(v.shape)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            shapes.append(())
        elif isinstance(v, (knp.NdArray, tables.DataArray)) and all(isinstance(d, int) for d in v.shape):
            shapes.append(v.shape)  # a NumPy value of known shape (`1 - drop_rates[i]`, a 0-d array)
        else:
            return None
    # None where they do not broadcast: Keras would raise; the merge rules report such faults on layers
    return broadcast_shapes(shapes[0], shapes[1])


def input_shape_value(shapes: Any) -> Any:
    """An input shape as a custom layer's `build` sees it: a tuple (or a list of them) of ints and None."""
    if isinstance(shapes, list):
        return [input_shape_value(s) for s in shapes]
    if shapes is None:
        return UNKNOWN
    return tuple(d if isinstance(d, int) or d is None else UNKNOWN for d in shapes)


def arg_expr(call: Any, index: int, keywords: tuple[str, ...]) -> Any:
    """The expression written for a call's argument, by position or keyword; None if absent."""
    if not isinstance(call, cst.Call):
        return None
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for a in call.args:
        if a.keyword is not None and a.keyword.value in keywords:
            return a.value
    return positional[index].value if index < len(positional) else None


def flatten_tensors(value: Any) -> list[Tensor] | None:
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        out: list[Tensor] = []
        for v in value:
            sub = flatten_tensors(v)
            if sub is None:
                return None
            out.extend(sub)
        return out
    if isinstance(value, dict):
        # Keras flattens a dict of outputs in the order of its sorted keys.
        keys = list(value)
        if all(isinstance(k, str) for k in keys):
            keys = sorted(keys)
        return flatten_tensors([value[k] for k in keys])
    return None


class CallSite:
    """Where a call is made, for the handlers that need more than the argument values: the call's
    node, its arguments as written (argument, value, position or None for a keyword), whether some
    arguments could not be seen (`*args` of something unknown), and the caller's scope."""

    __slots__ = ("node", "args", "opaque", "scope")

    def __init__(
        self,
        node: cst.Call | None = None,
        args: list[tuple[cst.Arg, Any, int | None]] | None = None,
        opaque: bool = False,
        scope: Scope | None = None,
    ) -> None:
        self.node = node
        self.args = args
        self.opaque = opaque
        self.scope = scope


class TypeTable:
    """Handlers keyed by the type of a value, found along its class's MRO as an `isinstance` test would."""

    def __init__(self, handlers: dict[type, Callable[..., Any]]) -> None:
        self.handlers = handlers
        self.found: dict[type, Callable[..., Any] | None] = {}

    def get(self, kind: type) -> Callable[..., Any] | None:
        try:
            return self.found[kind]
        except KeyError:
            handler = next((self.handlers[k] for k in kind.__mro__ if k in self.handlers), None)
            self.found[kind] = handler
            return handler


def unfollowed(positional: list[Any], keywords: dict[str, Any]) -> Any:
    """A function kerascheck does not follow (`random.shuffle(y)`, `scaler.fit_transform(x)`) may change
    an array it is given in place: the array keeps its shape and forgets its elements."""
    knp.forget_values([*positional, *keywords.values()])
    from kerascheck.extract.tables import forget_frames

    forget_frames([*positional, *keywords.values()])
    return UNKNOWN


LOOPS = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def costly(node: cst.CSTNode, scope: Any) -> bool:
    """A loop, or a call of something the file defines (a function, a class, an object's method)."""
    if isinstance(node, LOOPS):
        return True
    if not isinstance(node, cst.Call):
        return False
    base = node.func
    while isinstance(base, cst.Attribute):
        base = base.value
    if not isinstance(base, cst.Name):
        return True
    value = scope.lookup(base.value)
    return isinstance(value, (Function, UserClass, Instance, Model, Partial))


def loop_body(node: cst.CSTNode, limit: int) -> tuple[int, list[cst.CSTNode]]:
    """One walk over a loop's body: how many expressions and statements it holds (what the interpreter
    evaluates, not whitespace or punctuation; counted no further than `limit`), and the loops and
    calls under it (the body's own node aside, so a comprehension is not its own inner loop)."""
    count = 0
    found: list[cst.CSTNode] = []
    stack = [node]
    while stack and count <= limit:
        item = stack.pop()
        if isinstance(item, (cst.BaseExpression, cst.BaseSmallStatement, cst.BaseCompoundStatement)):
            count += 1
        if item is not node and isinstance(item, (*LOOPS, cst.Call)):
            found.append(item)
        stack.extend(item.children)
    return count, found


def is_main_guard(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"` (either way round)."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    if not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = [test.left, test.comparisons[0].comparator]
    names = [s for s in sides if isinstance(s, cst.Name) and s.value == "__name__"]
    strings = [s for s in sides if isinstance(s, cst.SimpleString) and s.value.strip("'\"") == "__main__"]
    return len(names) == 1 and len(strings) == 1


def bind_call(spec: LayerSpec | None, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """For a layer with a call signature: (input tensors, shapes for its rules, shapes to report, options).

    The tensors are in the order Keras's node lists them: positional arguments first, then keyword
    arguments by name. None for a layer without a call signature.
    """
    signature = spec.call_signature if spec is not None else None
    if spec is None or signature is None:
        return None
    names = signature.names()
    values: dict[str, Any] = dict(zip(names, positional, strict=False))
    values.update((k, v) for k, v in keywords.items() if k in names)
    by_position = {name: i for i, name in enumerate(names[: len(positional)])}
    ordered = sorted(values, key=lambda n: (0, by_position[n]) if n in by_position else (1, n))
    tensors = [t for n in ordered if n in spec.call_tensors for t in (flatten_tensors(values[n]) or [])]
    options = {k: v for k, v in values.items() if k not in spec.call_tensors}
    if spec.multi_input:
        x = values.get(spec.call_tensors[0], UNKNOWN)
        if isinstance(x, Tensor):
            return tensors, x.shape, x.shape, options
        if isinstance(x, (list, tuple)) and x and all(isinstance(t, Tensor) for t in x):
            shapes = [t.shape for t in x]
            return tensors, shapes, shapes, options
        return tensors, None, None, options
    shapes_by_name: dict[str, Any] = {}
    for name in spec.call_tensors:
        if name in values and values[name] is not None:
            value = values[name]
            shapes_by_name[name] = value.shape if isinstance(value, Tensor) else None
    required = [p.name for p in signature.params if p.required]
    if any(name not in shapes_by_name for name in required):
        return tensors, None, None, options
    return tensors, shapes_by_name, list(shapes_by_name.values()), options
