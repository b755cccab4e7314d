"""A small abstract interpreter over LibCST: runs the file's statements in order on abstract values.

Known values are plain Python values; Keras objects are the IR's `Layer` and `Model` and the
values in `extract.values`; anything else is `UNKNOWN`, which never leads to a diagnostic.
Statements that run only under a condition kerascheck cannot decide mark what they touch as
uncertain, so the rules stay silent about it rather than guess.
"""

from __future__ import annotations

import builtins
import copy
import dataclasses
import itertools
import math
import operator
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

import libcst as cst

from kerascheck.diagnostics import Span
from kerascheck.extract import names as knames
from kerascheck.extract import numpy_values as knp
from kerascheck.extract import text_values
from kerascheck.extract.nested import CustomLayerSpec, NestedModelSpec
from kerascheck.extract.positions import Positions
from kerascheck.extract.values import (
    MAX_SEQUENCE,
    ArgParser,
    BoundMethod,
    Builtin,
    Factory,
    Function,
    Instance,
    LambdaFunction,
    LayerClass,
    MergeFunction,
    Module,
    Node,
    Partial,
    Stream,
    Tensor,
    TextBuffer,
    UserClass,
    is_plain,
    size_ok,
)
from kerascheck.layers import Applied, LayerSpec, apply, bind, snake_case, validate
from kerascheck.model import ArgSite, CallNote, CompileInfo, Labels, Layer, Loss, Model
from kerascheck.shapes import (
    UNKNOWN,
    Shape,
    ShapeError,
    Sym,
    broadcast_shapes,
    conv_output_length,
    format_shape,
    index_shape,
    reduced_shape,
    reshape_dims,
    transposed_shape,
)

MAX_CALL_DEPTH = 12
MAX_LOOP_ITERATIONS = 256
# A longer loop runs in full when its body is small: `for i in range(60, len(prices)):
# X.append(prices[i - 60:i, 0])`, the sliding window of every time-series notebook. Its length times
# the size of its body (in syntax nodes) must stay under this, and it never runs past MAX_SEQUENCE.
MAX_LOOP_WORK = 100_000
MAX_STEPS = 200_000
MISSING = object()


class _Budget(Exception):
    """The file takes more interpretation than it is worth: stop, keeping what was found."""


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
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


_BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    cst.Add: operator.add,
    cst.Subtract: operator.sub,
    cst.Multiply: operator.mul,
    cst.Divide: operator.truediv,
    cst.FloorDivide: operator.floordiv,
    cst.Modulo: operator.mod,
    cst.Power: operator.pow,
    cst.LeftShift: operator.lshift,
    cst.RightShift: operator.rshift,
    cst.BitOr: operator.or_,
    cst.BitAnd: operator.and_,
    cst.BitXor: operator.xor,
}
# The comparisons NumPy makes element by element on arrays.
_ELEMENTWISE_COMPARE = (cst.Equal, cst.NotEqual, cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual)
_COMPARE: dict[type, Callable[[Any, Any], Any]] = {
    cst.Equal: operator.eq,
    cst.NotEqual: operator.ne,
    cst.LessThan: operator.lt,
    cst.LessThanEqual: operator.le,
    cst.GreaterThan: operator.gt,
    cst.GreaterThanEqual: operator.ge,
    cst.In: lambda a, b: a in b,
    cst.NotIn: lambda a, b: a not in b,
    cst.Is: operator.is_,
    cst.IsNot: operator.is_not,
}
_AUG = {
    cst.AddAssign: cst.Add, cst.SubtractAssign: cst.Subtract, cst.MultiplyAssign: cst.Multiply,
    cst.DivideAssign: cst.Divide, cst.FloorDivideAssign: cst.FloorDivide, cst.ModuloAssign: cst.Modulo,
    cst.PowerAssign: cst.Power, cst.BitOrAssign: cst.BitOr, cst.BitAndAssign: cst.BitAnd,
    cst.BitXorAssign: cst.BitXor, cst.MatrixMultiplyAssign: cst.MatrixMultiply,
}
_STR_METHODS = {"format", "lower", "upper", "strip", "lstrip", "rstrip", "replace", "join", "split", "startswith",
                "endswith", "title", "capitalize", "splitlines", "rsplit", "partition", "count", "find", "isdigit",
                "isalpha"}
_BUILTINS = {
    "len", "range", "int", "float", "str", "bool", "tuple", "list", "dict", "min", "max", "abs",
    "sum", "round", "zip", "enumerate", "reversed", "sorted", "print", "isinstance", "set", "partial",
    "getattr", "next", "map",
}


_LOOPS = (cst.For, cst.While, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _costly(node: cst.CSTNode, scope: Any) -> bool:
    """A loop, or a call of something the file defines (a function, a class, an object's method)."""
    if isinstance(node, _LOOPS):
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


def _loop_body(node: cst.CSTNode, limit: int) -> tuple[int, list[cst.CSTNode]]:
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
        if item is not node and isinstance(item, (*_LOOPS, cst.Call)):
            found.append(item)
        stack.extend(item.children)
    return count, found


def _numeric(value: Any) -> bool:
    """An argument a NumPy function can take here: plain values, arrays, and lists or tuples of them."""
    if isinstance(value, (tuple, list)):
        return all(_numeric(v) for v in value)
    return is_plain(value) or isinstance(value, knp.NdArray)


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


class Interpreter:
    def __init__(self) -> None:
        self.globals = Scope()
        self.models: list[Model] = []
        self.layers: list[Layer] = []
        self.uids: dict[str, int] = defaultdict(int)
        self.uncertain = 0
        self.depth = 0
        # loop body -> (syntax nodes, the loops and calls under it), for `loop_affordable`
        self.loop_bodies: dict[int, tuple[int, list[cst.CSTNode]]] = {}
        # Lists and dicts changed under a condition kerascheck could not decide (or in a loop it ran
        # once for an unknown number of iterations): their length and items are not known any more.
        self.unsure: dict[int, Any] = {}
        # `break`/`return` under a condition kerascheck could not decide, so far: a loop that meets one
        # may end there, and its later iterations are not certain to run.
        self.escapes = 0
        self.steps = 0
        self.positions: Positions | None = None
        self.statement: cst.CSTNode | None = None  # the simple statement line being run
        self.current: cst.CSTNode | None = None  # the innermost statement being run (for positions)
        self.call_order = 0
        self.functions: list[Function] = []
        self.notes: list[CallNote] = []
        self.inside_custom_layer = 0  # > 0 while a custom layer's methods run (`__init__`, or on symbolic inputs)
        # How many of the undecided conditions being run are `if __name__ == "__main__":`, which is
        # what runs when the script is run: `fit` under it still says how the model is trained.
        self.main_guards = 0
        self.speculative = False  # True while running functions the file never calls

    # -- entry points ------------------------------------------------------------------------

    def run_unit(self, module: cst.Module, cell: int | None, text: str = "") -> None:
        self.positions = Positions(module, cell, text)
        try:
            self.exec_block(module.body, self.globals)
        except (_Return, _Break, _Continue):
            pass
        except _Budget:
            for model in self.models:
                model.uncertain = True

    def run_uncalled_functions(self) -> None:
        """Functions never called at module level may still build models: run each once, arguments unknown."""
        self.speculative = True  # what they do to the module's objects may never happen
        try:
            for fn in list(self.functions):
                if fn.called:
                    continue
                self.positions = fn.positions  # type: ignore[attr-defined]
                try:
                    self.call_function(fn, [], {}, unknown_params=True)
                except _Budget:
                    return
        finally:
            self.speculative = False

    def span(self, node: cst.CSTNode) -> Span:
        assert self.positions is not None
        return self.positions.span(node, self.current)

    def arg_text(self, arg: cst.Arg, span: Span) -> str:
        """An argument's value as written, read from the source rather than regenerated."""
        assert self.positions is not None
        text = self.positions.source_text(span)
        if arg.keyword is not None:
            text = _KEYWORD_PREFIX.sub("", text, count=1)
        elif arg.star:
            text = text.lstrip("*")
        return text.strip() or self.code(arg.value)

    def code(self, node: cst.CSTNode) -> str:
        name = dotted_name(node)
        if name is not None:
            return name
        assert self.positions is not None
        return self.positions.module.code_for_node(node)

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _Budget()

    def auto_name(self, prefix: str) -> str:
        count = self.uids[prefix]
        self.uids[prefix] += 1
        return prefix if count == 0 else f"{prefix}_{count}"

    # -- statements --------------------------------------------------------------------------

    def exec_block(self, body: Any, scope: Scope) -> None:
        for stmt in body:
            try:
                self.exec_stmt(stmt, scope)
            except RecursionError:
                # An expression nested deeper than the interpreter follows: what this statement did is
                # unknown, so every model seen so far may be incomplete. The rest of the file still runs.
                for model in self.models:
                    model.uncertain = True

    def exec_stmt(self, stmt: cst.CSTNode, scope: Scope) -> None:
        self.tick()
        self.current = stmt
        if isinstance(stmt, cst.BaseSmallStatement):  # the body of a one-line `if x: ...` suite
            self.statement = stmt
            self.exec_small(stmt, scope)
        elif isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                self.statement = stmt
                self.exec_small(small, scope)
        elif isinstance(stmt, cst.FunctionDef):
            fn = Function(stmt, scope, stmt.name.value)
            fn.positions = self.positions  # type: ignore[attr-defined]
            self.functions.append(fn)
            self.assign_name(stmt.name.value, self.decorate(fn, stmt, scope), scope)
        elif isinstance(stmt, cst.ClassDef):
            self.exec_class(stmt, scope)
        elif isinstance(stmt, cst.If):
            self.exec_if(stmt, scope)
        elif isinstance(stmt, cst.For):
            self.exec_for(stmt, scope)
        elif isinstance(stmt, cst.While):
            self.exec_while(stmt, scope)
        elif isinstance(stmt, cst.With):
            for item in stmt.items:
                value = self.eval(item.item, scope)
                if item.asname is not None:
                    self.assign(item.asname.name, UNKNOWN if value is not UNKNOWN else value, scope)
            self.exec_block(stmt.body.body, scope)
        elif isinstance(stmt, cst.Try):
            self.exec_try(stmt, scope)
        else:
            # match, async constructs, try-star: nothing kerascheck models; run nothing.
            pass

    def exec_small(self, node: cst.BaseSmallStatement, scope: Scope) -> None:
        if isinstance(node, cst.Expr):
            self.eval(node.value, scope)
        elif isinstance(node, cst.Assign):
            value = self.eval(node.value, scope)
            for target in node.targets:
                self.assign(target.target, value, scope)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                self.assign(node.target, self.eval(node.value, scope), scope)
        elif isinstance(node, cst.AugAssign):
            current = self.eval(node.target, scope)
            value = self.eval(node.value, scope)
            if isinstance(current, knp.NdArray):
                knp.forget_values(current)  # `y += 1` changes the array in place, under every name bound to it
            op = _AUG.get(type(node.operator))
            result = self.binop(op, current, value) if op is not None else UNKNOWN
            self.assign(node.target, result, scope)
        elif isinstance(node, cst.Import):
            self.exec_import(node, scope)
        elif isinstance(node, cst.ImportFrom):
            self.exec_import_from(node, scope)
        elif isinstance(node, cst.Return):
            raise _Return(self.eval(node.value, scope) if node.value is not None else None)
        elif isinstance(node, cst.Break):
            raise _Break()
        elif isinstance(node, cst.Continue):
            raise _Continue()
        elif isinstance(node, cst.Raise):
            raise _Return(UNKNOWN)
        # pass, del, global, nonlocal, assert: nothing to model

    def exec_import(self, node: cst.Import, scope: Scope) -> None:
        for alias in node.names:
            dotted = self.code(alias.name)
            if not knames.is_keras_root(dotted):
                value: Any = UNKNOWN
                bound = alias.asname.name.value if alias.asname else dotted.split(".")[0]  # type: ignore[union-attr]
                self.assign_name(bound, value, scope)
                continue
            if alias.asname is not None:
                self.assign_name(alias.asname.name.value, knames.resolve(dotted), scope)  # type: ignore[union-attr]
            else:
                root = dotted.split(".")[0]
                self.assign_name(root, Module(root), scope)

    def exec_import_from(self, node: cst.ImportFrom, scope: Scope) -> None:
        if node.relative or node.module is None:
            if not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    self.assign_name(self._alias_name(alias), UNKNOWN, scope)
            return
        module = self.code(node.module)
        keras = knames.is_keras_root(module)
        if isinstance(node.names, cst.ImportStar):
            if keras:
                for name, value in knames.star_import(module).items():
                    self.assign_name(name, value, scope)
            return
        for alias in node.names:
            name = self.code(alias.name)
            value = knames.resolve(f"{module}.{name}") if keras else UNKNOWN
            self.assign_name(self._alias_name(alias), value, scope)

    def _alias_name(self, alias: cst.ImportAlias) -> str:
        if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
            return alias.asname.name.value
        return self.code(alias.name).split(".")[0]

    def decorate(self, fn: Function, node: cst.FunctionDef, scope: Scope) -> Any:
        """`@register("sepconv") def build_sepconv(...)`: a decorator written in the file is applied, as
        Python does (innermost first); if what it returns cannot be followed, the name is unknown. A
        library's decorator (`@tf.function`, a serialization registry) leaves the function as it is."""
        value: Any = fn
        for decorator in reversed(node.decorators):
            applied = self.eval(decorator.decorator, scope)
            if isinstance(applied, (Function, LambdaFunction)):
                value = self.call(applied, [value], {})
        return value

    def exec_class(self, node: cst.ClassDef, scope: Scope) -> None:
        bases = [self.eval(b.value, scope) for b in node.bases]
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
        cls.fields = [] if namedtuple or dataclass_ else None  # type: ignore[attr-defined]
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else []
        class_scope = Scope(scope)
        for stmt in body:
            if isinstance(stmt, cst.FunctionDef):
                fn = Function(stmt, scope, stmt.name.value)
                fn.positions = self.positions  # type: ignore[attr-defined]
                fn.called = True  # methods run when the class is used, not on their own
                for decorator in stmt.decorators:
                    if isinstance(decorator.decorator, cst.Name) and decorator.decorator.value in (
                            "staticmethod", "classmethod", "property"):
                        fn.decorated = decorator.decorator.value  # type: ignore[attr-defined]
                cls.methods[stmt.name.value] = fn
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign):
                        value = self.eval(small.value, class_scope)
                        for target in small.targets:
                            if isinstance(target.target, cst.Name):
                                cls.attrs[target.target.value] = value
                    elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        value = self.field_default(small.value, class_scope) if small.value is not None else MISSING
                        if cls.fields is not None:  # type: ignore[attr-defined]
                            cls.fields.append((small.target.value, value))  # type: ignore[attr-defined]
                        if value is not MISSING and not namedtuple:
                            cls.attrs[small.target.value] = value
        self.assign_name(node.name.value, cls, scope)

    def field_default(self, node: cst.BaseExpression, scope: Scope) -> Any:
        """A field's default: the value, or `field(default=...)` / `field(default_factory=list)`."""
        if isinstance(node, cst.Call) and (dotted_name(node.func) or "").split(".")[-1] == "field":
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "default":
                    return self.eval(arg.value, scope)
                if arg.keyword is not None and arg.keyword.value == "default_factory":
                    factory = arg.value
                    if isinstance(factory, cst.Name) and factory.value in ("list", "dict", "tuple", "set"):
                        return {"list": [], "dict": {}, "tuple": (), "set": set()}[factory.value]
                    if isinstance(factory, cst.Lambda) and not factory.params.params:
                        return self.eval(factory.body, scope)
                    return UNKNOWN
            return MISSING
        return self.eval(node, scope)

    def exec_if(self, node: cst.If, scope: Scope) -> None:
        self.current = node
        cond = truth(self.eval(node.test, scope))
        orelse = node.orelse
        if cond is True:
            self.exec_block(node.body.body, scope)
        elif cond is False:
            if isinstance(orelse, cst.If):
                self.exec_if(orelse, scope)
            elif isinstance(orelse, cst.Else):
                self.exec_block(orelse.body.body, scope)
        else:
            branches: list[Any] = [node.body.body]
            if isinstance(orelse, cst.If):
                branches.append([orelse])
            elif isinstance(orelse, cst.Else):
                branches.append(orelse.body.body)
            else:
                branches.append([])
            guard = _is_main_guard(node.test)
            self.main_guards += guard
            try:
                self.exec_uncertain(branches, scope)
            finally:
                self.main_guards -= guard

    def exec_uncertain(self, branches: list[Any], scope: Scope) -> None:
        """Run each alternative under uncertainty; afterwards a variable they disagree on is UNKNOWN."""
        before = dict(scope.vars)
        results = []
        self.uncertain += 1
        try:
            for body in branches:
                scope.vars = dict(before)
                try:
                    self.exec_block(body, scope)
                except (_Return, _Break, _Continue):
                    self.escapes += 1  # a `break` or `return` kerascheck cannot tell will happen
                results.append(scope.vars)
        finally:
            self.uncertain -= 1
        if len(results) == 1:
            results.append(before)  # the alternative of running nothing
        merged: dict[str, Any] = {}
        for key in set().union(*results):
            values = [r.get(key, MISSING) for r in results]
            first = values[0]
            same = all(v is first or (is_plain(v) and is_plain(first) and v == first) for v in values)
            merged[key] = first if same and first is not MISSING else UNKNOWN
        scope.vars = merged

    def exec_for(self, node: cst.For, scope: Scope) -> None:
        iterable = self.eval(node.iter, scope)
        items = self.iterate(iterable)

        def unknown_iterations() -> None:
            self.assign(node.target, UNKNOWN, scope)
            self.exec_block(node.body.body, scope)

        if items is None or not self.loop_affordable(len(items), node.body, scope):
            self.exec_uncertain_fn(unknown_iterations, scope)
            return
        for item in items:
            self.assign(node.target, item, scope)
            outcome = self.iteration(node.body, scope)
            if outcome == "break":
                return
            if outcome == "escaped":
                # `if unknown: break`: the loop may have ended here; the rest runs once, uncertainly
                self.exec_uncertain_fn(unknown_iterations, scope)
                return
        if isinstance(node.orelse, cst.Else):
            self.exec_block(node.orelse.body.body, scope)

    def exec_while(self, node: cst.While, scope: Scope) -> None:
        """`while i < len(spec): ...; i += 1`: run while the condition is known to hold (up to the loop
        limit); from the first undecidable test on, the remaining iterations are unknown. `while True:`
        runs until a `break`, which kerascheck does not look for: its body runs once, uncertainly."""
        if isinstance(node.test, cst.Name) and node.test.value == "True" or (
                isinstance(node.test, cst.Integer) and node.test.value != "0"):
            self.exec_uncertain([node.body.body], scope)
            return
        for _ in range(MAX_LOOP_ITERATIONS):
            test = truth(self.eval(node.test, scope))
            if test is False:
                if isinstance(node.orelse, cst.Else):
                    self.exec_block(node.orelse.body.body, scope)
                return
            if test is None:
                break
            outcome = self.iteration(node.body, scope)
            if outcome == "break":
                return
            if outcome == "escaped":
                break  # it may have ended in this iteration
        self.exec_uncertain([node.body.body], scope)

    def iteration(self, body: Any, scope: Scope) -> str:
        """One run of a loop's body: "break", "escaped" (it met a `break` or `return` under a condition
        kerascheck could not decide, so the loop may end here) or "next"."""
        escapes = self.escapes
        try:
            self.exec_block(body.body, scope)
        except _Break:
            return "break"
        except _Continue:
            pass
        return "escaped" if self.escapes != escapes else "next"

    def loop_affordable(self, count: int, body: cst.CSTNode, scope: Scope) -> bool:
        """Whether a loop of `count` iterations over `body` runs in full (else once, with an unknown target).

        Past MAX_LOOP_ITERATIONS, only a small body that holds no loop of its own and calls no
        function or method of the file runs in full, and only while the file's budget allows.
        """
        if count <= MAX_LOOP_ITERATIONS:
            return True
        if count > MAX_SEQUENCE:
            return False
        walked = self.loop_bodies.get(id(body))
        if walked is None:
            walked = self.loop_bodies[id(body)] = _loop_body(body, MAX_LOOP_WORK)
        size, calls_and_loops = walked
        if count * size > min(MAX_LOOP_WORK, (MAX_STEPS - self.steps) // 2):
            return False
        return not any(_costly(item, scope) for item in calls_and_loops)

    def argparse_method(self, parser: ArgParser, name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
        """`parser.add_argument("--batch-size", type=int, default=16)` and `parser.parse_args([])`: with
        an empty argument list (as notebooks write it) every option takes its default. `parse_args()`
        reads the command line, which kerascheck does not know."""
        if name in ("add_argument_group", "add_mutually_exclusive_group"):
            return parser  # its options are the parser's
        if name == "set_defaults":
            if positional or not all(isinstance(k, str) for k in keywords):
                parser.opaque = True
            parser.defaults.update(keywords)
            return None
        if name == "add_argument":
            flags = [p for p in positional if isinstance(p, str)]
            if len(flags) != len(positional) or not flags:
                parser.opaque = True
                return None
            longs = [f for f in flags if f.startswith("--")]
            if not flags[0].startswith("-"):
                parser.required = parser.required or keywords.get("nargs") not in ("?", "*")
                dest = flags[0]
            else:
                dest = (longs[0] if longs else flags[0]).lstrip("-").replace("-", "_")
            dest = keywords.get("dest", dest)
            action = keywords.get("action", "store")
            if keywords.get("required") is True:
                parser.required = True
            if "default" in keywords:
                default = keywords["default"]
            else:
                default = {"store_true": False, "store_false": True}.get(action) if isinstance(action, str) else UNKNOWN
            convert = keywords.get("type")
            if isinstance(default, str) and convert is not None:
                # argparse runs a string default through `type`
                default = self.call(convert, [default], {}) if isinstance(convert, Builtin) else UNKNOWN
            if not isinstance(dest, str) or not is_plain(default):
                default = UNKNOWN
            parser.defaults[dest] = default
            return None
        if name in ("parse_args", "parse_known_args"):
            given = keywords.get("args", positional[0] if positional else None)
            if given != [] or parser.required or parser.opaque:
                return UNKNOWN  # the command line, or options kerascheck could not read
            namespace = Instance(UserClass("Namespace", "plain"))
            namespace.attrs.update(parser.defaults)
            return namespace if name == "parse_args" else (namespace, [])
        return UNKNOWN

    def custom_cell(self, layer: Layer, n_in: int) -> tuple[int, int, int] | None:
        """A cell class of the file inside `keras.layers.RNN`: (output size, number of states, weights).

        Keras reads `state_size` (an int, or one per state) and `output_size` (else the first state's
        size), and builds the cell for (batch, features) inputs. `n_in` -1: sizes only."""
        instance = getattr(layer, "user_instance", None)
        if instance is None:
            return None
        state = self.get_attribute(instance, "state_size")  # an attribute, or a property
        sizes = list(state) if isinstance(state, (list, tuple)) else [state]
        if not sizes or not all(isinstance(v, int) and not isinstance(v, bool) for v in sizes):
            return None
        has_output = "output_size" in instance.attrs or instance.cls.method("output_size") is not None
        output = self.get_attribute(instance, "output_size") if has_output else sizes[0]
        if not isinstance(output, int) or isinstance(output, bool):
            return None
        if n_in < 0:
            return output, len(sizes), 0
        self.inside_custom_layer += 1
        try:
            self.build_custom_layer(layer, instance, (None, n_in))
        finally:
            self.inside_custom_layer -= 1
        params = self.custom_layer_params(instance)
        return None if params is None else (output, len(sizes), params)

    def build_layer(self, layer: Layer, shape_value: Any) -> None:
        """`self.token_emb.build(input_shape)`: Keras makes the layer's weights for that (batch) input
        shape; a layer built already keeps the weights it has."""
        if layer.spec is None or layer.args is None or layer.input_shape is not None or layer.output_shape is not None:
            return
        shape = self.as_shape(shape_value, batch_included=True)
        if shape is None or not layer.certain:
            return
        applied = apply(layer.spec, layer.args, shape)
        if applied.error is None:
            layer.input_shape, layer.output_shape, layer.params = shape, applied.output, applied.params
            layer.built_on = shape  # type: ignore[attr-defined]

    def bind_method(self, obj: Any, cls: UserClass, method: Function) -> Any:
        """`obj.name` for a method of its class: bound to the object, or as its decorator says."""
        decorated = getattr(method, "decorated", None)
        if decorated == "staticmethod":
            return method
        if decorated == "classmethod":
            return BoundMethod(cls, method)
        if decorated == "property":
            return self.call_function(method, [obj], {})
        return BoundMethod(obj, method)

    def touch(self, container: Any) -> None:
        """`container` is changed here: under an undecided condition, its contents become unsure."""
        if self.uncertain:
            self.unsure[id(container)] = container

    def is_unsure(self, value: Any) -> bool:
        return isinstance(value, (list, dict, set)) and self.unsure.get(id(value)) is value

    def exec_uncertain_fn(self, fn: Callable[[], None], scope: Scope) -> None:
        before = dict(scope.vars)
        self.uncertain += 1
        try:
            fn()
        except (_Return, _Break, _Continue):
            self.escapes += 1
        finally:
            self.uncertain -= 1
        after = scope.vars
        merged = {}
        for key in set(before) | set(after):
            a, b = before.get(key, MISSING), after.get(key, MISSING)
            merged[key] = a if a is b and a is not MISSING else UNKNOWN
        scope.vars = merged

    def exec_try(self, node: cst.Try, scope: Scope) -> None:
        self.exec_block(node.body.body, scope)
        if isinstance(node.orelse, cst.Else):
            self.exec_block(node.orelse.body.body, scope)
        if node.finalbody is not None:
            self.exec_block(node.finalbody.body.body, scope)

    # -- assignment --------------------------------------------------------------------------

    def assign_name(self, name: str, value: Any, scope: Scope) -> None:
        previous = scope.vars.get(name)
        if (scope is self.globals and isinstance(previous, Model) and previous is not value
                and previous.name == name and not self.uncertain):
            # `for member in members:` rebinds the name: the earlier model is no longer bound to it.
            previous.name = None
            previous.named_globally = False  # type: ignore[attr-defined]
            previous.name_dropped = True  # type: ignore[attr-defined]  # a comprehension's name will not do either
        if isinstance(value, Model):
            # The first module-level name wins over a builder function's local `model`.
            if scope is self.globals and not self.uncertain and not getattr(value, "named_globally", False):
                value.name = name
                value.named_globally = True  # type: ignore[attr-defined]
            elif value.name is None and not getattr(value, "name_dropped", False):
                value.name = name
        scope.vars[name] = value

    def assign(self, target: cst.BaseExpression, value: Any, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            self.assign_name(target.value, value, scope)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            starred = [i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)]
            seq = self.iterate(value)
            if seq is not None and not starred and len(seq) == len(elements):
                for element, item in zip(elements, seq):
                    self.assign(element.value, item, scope)
            elif seq is not None and len(starred) == 1 and len(seq) >= len(elements) - 1:
                i = starred[0]
                tail = len(elements) - i - 1
                for element, item in zip(elements[:i], seq[:i]):
                    self.assign(element.value, item, scope)
                self.assign(elements[i].value, list(seq[i:len(seq) - tail]), scope)
                for element, item in zip(elements[i + 1:], seq[len(seq) - tail:]):
                    self.assign(element.value, item, scope)
            else:
                for element in elements:
                    self.assign(element.value, UNKNOWN, scope)
        elif isinstance(target, cst.Subscript):
            container = self.eval(target.value, scope)
            if isinstance(container, knp.NdArray):
                knp.forget_values(container)  # `y[y == -1] = 0`
            if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
                key = self.eval(target.slice[0].slice.value, scope)
                if isinstance(container, dict) and is_plain(key):
                    self.touch(container)
                    container[key] = value
                elif isinstance(container, list) and isinstance(key, int) and -len(container) <= key < len(container):
                    self.touch(container)
                    container[key] = value
                elif isinstance(container, (list, dict)):
                    self.unsure[id(container)] = container  # `outputs[name] = ...` with a key kerascheck lost
            elif isinstance(container, (list, dict)):
                self.unsure[id(container)] = container  # `xs[1:3] = ...`: not followed
        elif isinstance(target, cst.Attribute):
            obj = self.eval(target.value, scope)
            if target.attr.value == "trainable" and isinstance(obj, (Layer, Model)):
                # `base_model.trainable = False`: its weights stop training (non-trainable params), and,
                # as in Keras, those of every layer it holds (which other models may share). Under an
                # undecided condition, in a function nobody calls, or to a value kerascheck cannot read,
                # it is unknown.
                known = isinstance(value, bool) and not self.uncertain and not self.speculative
                _set_trainable(obj, value if known else None)
                return
            if isinstance(obj, Instance) or isinstance(obj, Model) and obj.user_class is not None:
                obj.attrs[target.attr.value] = value

    # -- expressions -------------------------------------------------------------------------

    def eval(self, node: cst.BaseExpression | None, scope: Scope) -> Any:
        if node is None:
            return None
        self.tick()
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:
            return UNKNOWN
        return method(node, scope)

    def eval_Integer(self, node: cst.Integer, scope: Scope) -> Any:
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            return UNKNOWN

    def eval_Float(self, node: cst.Float, scope: Scope) -> Any:
        try:
            return float(node.value.replace("_", ""))
        except ValueError:
            return UNKNOWN

    def eval_SimpleString(self, node: cst.SimpleString, scope: Scope) -> Any:
        value = node.value
        quote = value[-1:]
        if value[:1] == quote and "\\" not in value and len(value) >= 2:
            # The common case, a plain '...' or "..." literal, without literal_eval's compile().
            q = 3 if value[:3] == quote * 3 and len(value) >= 6 else 1
            return value[q:-q]
        try:
            return node.evaluated_value
        except Exception:  # libcst evaluates with literal_eval; odd escapes can fail
            return UNKNOWN

    def eval_ConcatenatedString(self, node: cst.ConcatenatedString, scope: Scope) -> Any:
        left, right = self.eval(node.left, scope), self.eval(node.right, scope)
        if isinstance(left, str) and isinstance(right, str):
            return left + right
        return UNKNOWN

    def eval_FormattedString(self, node: cst.FormattedString, scope: Scope) -> Any:
        out = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value)
                continue
            value = self.eval(part.expression, scope)
            if not is_plain(value) or part.conversion not in (None, "s", "r"):
                return UNKNOWN
            spec = ""
            if part.format_spec is not None:
                if not all(isinstance(p, cst.FormattedStringText) for p in part.format_spec):
                    return UNKNOWN
                spec = "".join(p.value for p in part.format_spec)  # type: ignore[union-attr]
                if any(c.isdigit() for c in spec) and max(int(n) for n in re.findall(r"\d+", spec)) > 1000:
                    return UNKNOWN  # `{x:99999999}` would build a huge string
            try:
                shown = repr(value) if part.conversion == "r" else value
                out.append(format(shown, spec))
            except (ValueError, TypeError):
                return UNKNOWN  # Python raises
        text = "".join(out)
        return text if size_ok(text) else UNKNOWN

    def eval_Name(self, node: cst.Name, scope: Scope) -> Any:
        name = node.value
        value = scope.lookup(name)
        if value is not MISSING:
            if isinstance(value, (list, dict)) and self.is_unsure(value) and is_plain(value):
                return UNKNOWN  # `if unknown: shape.append(1)`: the sizes are not known any more
            return value
        if name == "True":
            return True
        if name == "False":
            return False
        if name == "None":
            return None
        if name in _BUILTINS:
            return Builtin(name)
        return UNKNOWN

    def eval_Tuple(self, node: cst.Tuple, scope: Scope) -> Any:
        items = self.eval_elements(node.elements, scope)
        return UNKNOWN if items is None else tuple(items)

    def eval_List(self, node: cst.List, scope: Scope) -> Any:
        items = self.eval_elements(node.elements, scope)
        return UNKNOWN if items is None else items

    def eval_Set(self, node: cst.Set, scope: Scope) -> Any:
        items = self.eval_elements(node.elements, scope)
        if items is None or not all(is_plain(v) for v in items):
            return UNKNOWN
        try:
            return set(items)
        except TypeError:
            return UNKNOWN  # an unhashable item: Python raises

    def eval_elements(self, elements: Any, scope: Scope) -> list[Any] | None:
        out: list[Any] = []
        for element in elements:
            value = self.eval(element.value, scope)
            if isinstance(element, cst.StarredElement):
                seq = self.iterate(value)
                if seq is None:
                    return None
                out.extend(seq)
            else:
                out.append(value)
        return out

    def eval_Dict(self, node: cst.Dict, scope: Scope) -> Any:
        out: dict[Any, Any] = {}
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = self.eval(element.key, scope)
                value = self.eval(element.value, scope)
                if not is_plain(key):
                    return UNKNOWN
                out[key] = value
            else:
                value = self.eval(element.value, scope)
                if not isinstance(value, dict):
                    return UNKNOWN
                out.update(value)
        return out

    def op_tensor(self, name: str, inputs: list[Any], shape: Shape | None) -> Tensor:
        """A tensor made by an operation that is not a layer (`x + y`, `x[:, 0]`, `keras.ops.*`).

        Keras records these as operations in the graph, not in `model.layers`; they still connect
        the layers before them to the model.
        """
        op = Layer(type="Operation", written=name, spec=None, args=None, name=name, span=Span.point(1))
        op.is_op = True  # type: ignore[attr-defined]
        tensors = [t for t in inputs if isinstance(t, Tensor)]
        op.inbound = [t.layer for t in tensors]
        return Tensor(shape, op, 0, Node(op, tensors))

    def binop(self, op_type: type | None, left: Any, right: Any) -> Any:
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            if op_type is cst.MatrixMultiply:
                shapes = [v.shape if isinstance(v, Tensor) else None for v in (left, right)]
                shape = _matmul_shape(*shapes) if shapes[0] and shapes[1] else None  # type: ignore[arg-type]
                return self.op_tensor("matmul", [left, right], shape)
            return self.op_tensor(_OP_NAMES.get(op_type, "operation"), [left, right], _broadcast_shapes(left, right))
        if isinstance(left, knp.NdArray) or isinstance(right, knp.NdArray):
            if op_type is cst.MatrixMultiply:
                return UNKNOWN  # `a @ b` on arrays: not followed
            return knp.broadcast(left, right) if op_type in _OP_NAMES else UNKNOWN
        if op_type is cst.Add and type(left) is type(right) and isinstance(left, (list, tuple)):
            # Concatenating lists of layers (`[Input(...)] + blocks`) needs no element values.
            return left + right if len(left) + len(right) <= MAX_SEQUENCE else UNKNOWN
        fn = _BINOPS.get(op_type) if op_type is not None else None
        if fn is None or not (is_plain(left) and is_plain(right)):
            return UNKNOWN
        if op_type is cst.Power and isinstance(right, (int, float)) and abs(right) > 256:
            return UNKNOWN
        if op_type is cst.Multiply and (
            isinstance(left, (str, list, tuple)) and isinstance(right, int) and right * len(left) > MAX_SEQUENCE
            or isinstance(right, (str, list, tuple)) and isinstance(left, int) and left * len(right) > MAX_SEQUENCE
        ):
            return UNKNOWN
        if op_type is cst.LeftShift and isinstance(right, int) and right > 4096:
            return UNKNOWN
        try:
            result = fn(left, right)
        except Exception:  # division by zero, type mismatch: Python would raise; we do not know
            return UNKNOWN
        return result if size_ok(result) else UNKNOWN

    def eval_BinaryOperation(self, node: cst.BinaryOperation, scope: Scope) -> Any:
        return self.binop(type(node.operator), self.eval(node.left, scope), self.eval(node.right, scope))

    def eval_UnaryOperation(self, node: cst.UnaryOperation, scope: Scope) -> Any:
        value = self.eval(node.expression, scope)
        if isinstance(node.operator, cst.Not):
            t = truth(value)
            return UNKNOWN if t is None else not t
        if not isinstance(value, (int, float)) or isinstance(value, bool) and isinstance(node.operator, cst.BitInvert):
            return UNKNOWN
        if isinstance(node.operator, cst.Minus):
            return -value
        if isinstance(node.operator, cst.Plus):
            return +value
        if isinstance(node.operator, cst.BitInvert) and isinstance(value, int):
            return ~value
        return UNKNOWN

    def eval_BooleanOperation(self, node: cst.BooleanOperation, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        t = truth(left)
        if t is None:
            self.eval(node.right, scope)
            return UNKNOWN
        if isinstance(node.operator, cst.And):
            return self.eval(node.right, scope) if t else left
        return left if t else self.eval(node.right, scope)

    def eval_Comparison(self, node: cst.Comparison, scope: Scope) -> Any:
        left = self.eval(node.left, scope)
        result: Any = True
        for target in node.comparisons:
            right = self.eval(target.comparator, scope)
            if isinstance(left, knp.NdArray) or isinstance(right, knp.NdArray):
                # `y == 1` on an array compares element by element (a chain of such is not followed)
                elementwise = len(node.comparisons) == 1 and type(target.operator) in _ELEMENTWISE_COMPARE
                result = knp.compare(left, right) if elementwise else UNKNOWN
                left = right
                continue
            fn = _COMPARE.get(type(target.operator))
            if fn is None or result is UNKNOWN or self.is_unsure(left) or self.is_unsure(right):
                result = UNKNOWN
                continue
            if type(target.operator) in (cst.Is, cst.IsNot) and (left is None or right is None):
                if left is UNKNOWN or right is UNKNOWN:
                    result = UNKNOWN
                    continue
            elif not (is_plain(left) and is_plain(right)):
                result = UNKNOWN
                continue
            try:
                if not fn(left, right):
                    result = False
            except Exception:
                result = UNKNOWN
            left = right
        return result

    def eval_IfExp(self, node: cst.IfExp, scope: Scope) -> Any:
        t = truth(self.eval(node.test, scope))
        if t is True:
            return self.eval(node.body, scope)
        if t is False:
            return self.eval(node.orelse, scope)
        self.uncertain += 1
        try:
            a, b = self.eval(node.body, scope), self.eval(node.orelse, scope)
        finally:
            self.uncertain -= 1
        return a if a is b or (is_plain(a) and is_plain(b) and a == b) else UNKNOWN

    def eval_NamedExpr(self, node: cst.NamedExpr, scope: Scope) -> Any:
        value = self.eval(node.value, scope)
        self.assign(node.target, value, scope)
        return value

    def eval_Attribute(self, node: cst.Attribute, scope: Scope) -> Any:
        obj = self.eval(node.value, scope)
        return self.get_attribute(obj, node.attr.value)

    def get_attribute(self, obj: Any, attr: str) -> Any:
        if isinstance(obj, Module):
            return knames.resolve(f"{obj.path}.{attr}")
        if isinstance(obj, knp.NdArray):
            if attr in knp.MUTATORS:
                knp.forget_values(obj)  # `y.sort()`, `y.fill(0)`: the elements change in place
            return BoundMethod(obj, attr) if attr in knp.METHODS else knp.attribute(obj, attr)
        if isinstance(obj, Model):
            if attr in obj.attrs:
                return obj.attrs[attr]
            if obj.user_class is not None:
                method = obj.user_class.method(attr)
                if method is not None:
                    return self.bind_method(obj, obj.user_class, method)
            if attr in ("add", "build", "compile", "summary", "fit", "fit_generator", "pop", "get_layer"):
                return BoundMethod(obj, attr)
            if attr in ("input", "inputs", "output", "outputs"):
                return self.model_io(obj, attr)
            if attr == "layers" and not obj.uncertain and obj.user_class is None:
                return list(obj.layers)
            return UNKNOWN
        if isinstance(obj, UserClass):
            if attr in obj.attrs:
                return obj.attrs[attr]
            method = obj.method(attr)
            if method is not None:
                # `MiniVGGNet.build(...)`: a static method is a plain function, a class method gets
                # the class; a plain method taken from the class is called with its `self` given.
                decorated = getattr(method, "decorated", None)
                if decorated == "classmethod":
                    return BoundMethod(obj, method)
                return method if decorated != "property" else UNKNOWN
            return UNKNOWN
        if isinstance(obj, Labels):
            return obj.shape if attr == "shape" and obj.shape is not None else UNKNOWN
        if isinstance(obj, ArgParser):
            if attr in ("add_argument", "parse_args", "parse_known_args", "set_defaults", "add_argument_group",
                        "add_mutually_exclusive_group"):
                return BoundMethod(obj, attr)
            return UNKNOWN
        if isinstance(obj, Tensor):
            if attr == "shape" and obj.shape is not None:
                return tuple(d if isinstance(d, int) or d is None else UNKNOWN for d in obj.shape)
            return UNKNOWN
        if isinstance(obj, set) and attr in ("add", "update", "discard", "remove"):
            return BoundMethod(obj, attr)
        if isinstance(obj, list) and attr in ("append", "extend", "insert", "pop"):
            return BoundMethod(obj, attr)
        if isinstance(obj, Instance):
            if attr in obj.attrs:
                return obj.attrs[attr]
            if isinstance(obj.cls, UserClass):
                method = obj.cls.method(attr)
                if method is not None:
                    return self.bind_method(obj, obj.cls, method)
                if attr in obj.cls.attrs:
                    return obj.cls.attrs[attr]
            if attr == "add_weight" and getattr(obj, "weights", None) is not None:
                return BoundMethod(obj, attr)
            return UNKNOWN
        if isinstance(obj, Layer):
            if obj.args is not None and obj.spec is not None and attr in obj.spec.signature.names():
                value = obj.args.get(attr)  # `self.token_emb.output_dim`: the argument it was made with
                return value if is_plain(value) else UNKNOWN
            if attr == "output" and getattr(obj, "first_output", None) is not None:
                return obj.first_output  # type: ignore[attr-defined]
            if attr == "name" and isinstance(obj.name, str) and obj.certain:
                return obj.name  # its Keras name: given, or the automatic one
            if attr == "build" and obj.spec is not None and not isinstance(obj.spec, CustomLayerSpec):
                return BoundMethod(obj, "build")
            if attr == "output_shape" and isinstance(obj.output_shape, tuple):
                return tuple(d if isinstance(d, int) or d is None else UNKNOWN for d in obj.output_shape)
            return UNKNOWN
        if isinstance(obj, dict) and attr in ("get", "keys", "values", "items", "pop", "setdefault", "update", "copy"):
            return BoundMethod(obj, attr)
        if isinstance(obj, str) and attr in _STR_METHODS:
            return BoundMethod(obj, attr)
        return UNKNOWN

    def eval_Lambda(self, node: cst.Lambda, scope: Scope) -> Any:
        return LambdaFunction(node, scope, self.positions)

    def call_lambda(self, fn: LambdaFunction, positional: list[Any], keywords: dict[str, Any]) -> Any:
        if self.depth >= MAX_CALL_DEPTH:
            return UNKNOWN
        local = Scope(fn.closure)
        params = fn.node.params
        ordered = list(params.posonly_params) + list(params.params)
        for i, p in enumerate(ordered):
            name = p.name.value
            if i < len(positional):
                local.vars[name] = positional[i]
            elif name in keywords:
                local.vars[name] = keywords[name]
            elif p.default is not None:
                local.vars[name] = self.eval(p.default, fn.closure)
            else:
                local.vars[name] = UNKNOWN
        saved = self.positions
        self.positions = fn.positions
        self.depth += 1
        try:
            return self.eval(fn.node.body, local)
        finally:
            self.depth -= 1
            self.positions = saved

    def eval_Subscript(self, node: cst.Subscript, scope: Scope) -> Any:
        obj = self.eval(node.value, scope)
        if isinstance(obj, Labels) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Slice):
            # `y_train[:-5000]`: fewer rows, the same classes and encoding
            shape = index_shape(obj.shape, [self.index_item(node.slice[0].slice, scope)]) if obj.shape else None
            return dataclasses.replace(obj, shape=shape)
        if isinstance(obj, Tensor):
            items = [self.index_item(element.slice, scope) for element in node.slice]
            shape = index_shape(obj.shape, items) if obj.shape is not None else None
            return self.op_tensor("get_item", [obj], shape)
        if isinstance(obj, knp.NdArray):
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                index = self.eval(node.slice[0].slice.value, scope)
                if isinstance(index, knp.NdArray):
                    # `x[idx]` with an integer array gathers rows; a boolean mask selects an unknown number
                    if index.boolean or not obj.shape:
                        return UNKNOWN
                    return knp.NdArray(index.shape + obj.shape[1:])
                items = [self.index_item(node.slice[0].slice, scope, index)]
            else:
                items = [self.index_item(element.slice, scope) for element in node.slice]
            if len(items) == 1 and isinstance(items[0], int) and len(obj.shape) == 1 and obj.values is not None:
                return obj.values[items[0]] if -len(obj.values) <= items[0] < len(obj.values) else UNKNOWN
            shape = index_shape(obj.shape, items)
            return UNKNOWN if shape is None else knp.NdArray(shape)
        if len(node.slice) != 1:
            return UNKNOWN
        element = node.slice[0].slice
        if self.is_unsure(obj):
            return UNKNOWN
        if isinstance(element, cst.Index):
            key = self.eval(element.value, scope)
            if isinstance(obj, dict) and is_plain(key):
                return obj.get(key, UNKNOWN) if key in obj else UNKNOWN
            if isinstance(obj, (tuple, list, str, range)) and isinstance(key, int) and not isinstance(key, bool):
                return obj[key] if -len(obj) <= key < len(obj) else UNKNOWN
            return UNKNOWN
        if isinstance(element, cst.Slice):
            parts = [self.eval(p, scope) if p is not None else None for p in (element.lower, element.upper)]
            step = self.eval(element.step, scope) if element.step is not None else None
            if all(p is None or isinstance(p, int) for p in (*parts, step)) and isinstance(obj, (tuple, list, str)):
                if step == 0:
                    return UNKNOWN
                return obj[parts[0]:parts[1]:step]
        return UNKNOWN

    def index_item(self, element: Any, scope: Scope, value: Any = MISSING) -> Any:
        """One index of a tensor subscript: an int, a slice, `...`, `None` (a new axis) or UNKNOWN.
        `value`: the index's value when the caller has already evaluated it."""
        if isinstance(element, cst.Index):
            if isinstance(element.value, cst.Ellipsis):
                return Ellipsis
            if value is MISSING:
                value = self.eval(element.value, scope)
            if value is None or (isinstance(value, int) and not isinstance(value, bool)):
                return value
            return UNKNOWN
        parts = [self.eval(p, scope) if p is not None else None for p in (element.lower, element.upper, element.step)]
        if all(p is None or (isinstance(p, int) and not isinstance(p, bool)) for p in parts) and parts[2] != 0:
            return slice(*parts)
        return UNKNOWN

    def comprehension(self, node: Any, scope: Scope, make: Callable[[Scope], None]) -> bool:
        """Run a comprehension's loops in a child scope; False when an iterable is unknown."""
        inner = Scope(scope)

        def loop(clause: Any) -> bool:
            if clause is None:
                make(inner)
                return True
            items = self.iterate(self.eval(clause.iter, inner))
            if items is None or not self.loop_affordable(len(items), node, inner):
                return False
            for item in items:
                self.assign(clause.target, item, inner)
                ok = True
                for cond in clause.ifs:
                    t = truth(self.eval(cond.test, inner))
                    if t is None:
                        return False
                    ok = ok and t
                if ok and not loop(clause.inner_for_in):
                    return False
            return True

        return loop(node.for_in)

    def eval_ListComp(self, node: cst.ListComp, scope: Scope) -> Any:
        out: list[Any] = []
        ok = self.comprehension(node, scope, lambda s: out.append(self.eval(node.elt, s)))
        return out if ok else UNKNOWN

    def eval_GeneratorExp(self, node: cst.GeneratorExp, scope: Scope) -> Any:
        out: list[Any] = []
        ok = self.comprehension(node, scope, lambda s: out.append(self.eval(node.elt, s)))
        return tuple(out) if ok else UNKNOWN

    def eval_DictComp(self, node: cst.DictComp, scope: Scope) -> Any:
        out: dict[Any, Any] = {}
        ok = True

        def put(s: Scope) -> None:
            nonlocal ok
            key = self.eval(node.key, s)
            if not is_plain(key):
                ok = False
                return
            out[key] = self.eval(node.value, s)

        done = self.comprehension(node, scope, put)
        return out if done and ok else UNKNOWN

    def iterate(self, value: Any) -> list[Any] | None:
        """The items of a known iterable, or None."""
        if self.is_unsure(value):
            return None
        if isinstance(value, Stream):
            rest = value.items[value.position:]
            value.position = len(value.items)  # a loop over an iterator uses it up
            return rest
        if isinstance(value, (tuple, list)):
            return list(value)
        if isinstance(value, range):
            return list(value) if len(value) <= MAX_SEQUENCE else None
        if isinstance(value, str):
            return list(value)
        if isinstance(value, dict):
            return list(value.keys())
        if isinstance(value, (set, frozenset)) and len(value) <= MAX_SEQUENCE:
            try:
                return sorted(value)  # Python's own order for strings changes from run to run
            except TypeError:
                return list(value)
        if isinstance(value, knp.NdArray):
            return knp.iterate(value, MAX_SEQUENCE)
        return None

    # -- calls -------------------------------------------------------------------------------

    def eval_Call(self, node: cst.Call, scope: Scope) -> Any:
        func = self.eval(node.func, scope)
        positional: list[Any] = []
        keywords: dict[str, Any] = {}
        sites: list[tuple[cst.Arg, Any, int | None]] = []
        opaque = False
        for arg in node.args:
            value = self.eval(arg.value, scope)
            if arg.star == "*":
                seq = self.iterate(value)
                if seq is None:
                    opaque = True
                else:
                    positional.extend(seq)
            elif arg.star == "**":
                if isinstance(value, dict) and all(isinstance(k, str) for k in value):
                    keywords.update(value)
                else:
                    opaque = True
            elif arg.keyword is not None:
                keywords[arg.keyword.value] = value
                sites.append((arg, value, None))
            else:
                sites.append((arg, value, len(positional)))
                positional.append(value)
        return self.call(func, positional, keywords, node, sites, opaque, scope)

    def call(
        self,
        func: Any,
        positional: list[Any],
        keywords: dict[str, Any],
        node: cst.Call | None = None,
        sites: list[tuple[cst.Arg, Any, int | None]] | None = None,
        opaque: bool = False,
        scope: Scope | None = None,
    ) -> Any:
        if isinstance(func, LayerClass):
            return self.make_layer(func, positional, keywords, node, sites or [], opaque, scope)
        if isinstance(func, Factory):
            return self.call_factory(func, positional, keywords, node, opaque)
        if isinstance(func, Layer):
            if isinstance(node, cst.Call) and not opaque and self.rejected_call(func, positional, keywords, node):
                return UNKNOWN  # Keras raises TypeError: the call makes no tensor
            return self.apply_layer(func, positional, keywords, node)
        if isinstance(func, Model) and func.api == "subclass":
            first = positional[0] if positional else keywords.get("inputs")
            if isinstance(first, Tensor) and not func.built:
                return self.run_subclass_call(func, first.shape, first)
            arrays = [first] if isinstance(first, knp.NdArray) else list(first) if isinstance(first, (list, tuple)) else []
            if arrays and all(isinstance(a, knp.NdArray) and a.shape for a in arrays) and not func.built:
                # `model(input_example_batch)`, `model((targets[:8], contexts[:8]))` on NumPy batches:
                # Keras builds it on those concrete shapes
                symbolic = [self.symbolic_input(a.shape, func.span) for a in arrays]
                given = symbolic[0] if isinstance(first, knp.NdArray) else type(first)(symbolic)
                result = self.run_subclass_call(func, arrays[0].shape if len(arrays) == 1 else [
                    a.shape for a in arrays], given)  # type: ignore[arg-type]
                out = result.shape if isinstance(result, Tensor) else None
                if out is not None and all(isinstance(d, int) for d in out):
                    return knp.NdArray(out)  # the predictions: an array of that shape
                return UNKNOWN
            if isinstance(first, (list, tuple)) and first and all(isinstance(t, Tensor) for t in first) and not func.built:
                # `model([input_a, input_b])`: call() gets the list, as in Keras
                shapes = [t.shape for t in first]
                if all(s is not None for s in shapes):
                    return self.run_subclass_call(func, shapes, list(first))  # type: ignore[arg-type]
            return UNKNOWN
        if isinstance(func, Model) and func.api == "sequential" and not func.built and not func.input_declared \
                and positional and isinstance(positional[0], knp.NdArray) and positional[0].shape:
            # `model(example_inputs)` on a NumPy batch: Keras builds the model on that concrete shape
            func.input_declared = True
            func.input_shape = positional[0].shape
            self.sequential_build(func)
            return UNKNOWN  # an array of predictions (its shape is inferred after extraction)
        if isinstance(func, Model):
            wrapper = self.model_as_layer(func)
            first = positional[0] if positional else None
            if func.api == "sequential" and not func.built and isinstance(first, Tensor):
                # Keras builds an unbuilt Sequential model on the first tensor it is called on.
                if not func.input_declared:
                    func.input_declared = True
                    func.input_shape = first.shape
                self.sequential_build(func)
            return self.apply_layer(wrapper, positional, keywords, node)
        if isinstance(func, BoundMethod):
            return self.call_method(func, positional, keywords, node)
        if isinstance(func, Function):
            return self.call_function(func, positional, keywords, opaque=opaque)
        if isinstance(func, LambdaFunction):
            return UNKNOWN if opaque else self.call_lambda(func, positional, keywords)
        if isinstance(func, MergeFunction):
            return self.call_merge_function(func, positional, keywords, node, sites or [], opaque, scope)
        if isinstance(func, Partial):
            return self.call(func.func, func.positional + positional, {**func.keywords, **keywords}, node,
                             None if func.positional else sites, opaque, scope)
        if isinstance(func, UserClass):
            return self.instantiate(func, positional, keywords, node, opaque)
        if isinstance(func, Builtin):
            return self.call_builtin(func.name, positional, keywords, opaque)
        if isinstance(func, Instance) and isinstance(func.cls, UserClass) and func.cls.method("__call__") is not None:
            # `face_builder(name=...)`: an object of a class with `__call__`
            return self.call_function(func.cls.method("__call__"), [func, *positional], keywords, opaque=opaque)
        if isinstance(func, Module) and func.path.split(".", 1)[0] == "numpy":
            if func.path.endswith("random.default_rng"):
                return Module("numpy.random.Generator")  # its methods draw as numpy.random's functions do
            args = [*positional, *keywords.values()]
            if func.path.rsplit(".", 1)[-1] in knp.IN_PLACE:
                for arg in args:
                    knp.forget_values(arg)  # `rng.shuffle(y)`: the elements move
            if opaque or not all(_numeric(a) for a in args):
                return UNKNOWN
            return knp.call(func.path, positional, keywords)
        if isinstance(func, Module) and func.path == "json.loads" and len(positional) == 1 and not keywords:
            return text_values.json_value(positional[0])
        if isinstance(func, Module) and func.path == "argparse.ArgumentParser":
            return ArgParser()
        if isinstance(func, Module) and func.path == "io.StringIO" and len(positional) == 1 and isinstance(
                positional[0], str) and not keywords:
            return TextBuffer(positional[0])
        if isinstance(func, Module) and func.path in ("re.split", "re.findall", "re.sub") and not opaque:
            return text_values.regex(func.path[3:], positional, keywords)
        if isinstance(func, Module) and func.path == "csv.reader" and len(positional) == 1:
            return text_values.csv_rows(positional[0], keywords)
        if isinstance(func, Module) and func.path.startswith("math."):
            return UNKNOWN if opaque else knp.math_call(func.path[len("math."):], positional, keywords)
        if isinstance(func, Module) and func.path.endswith("image_data_format"):
            return "channels_last"
        if isinstance(func, Module) and knames.normalize(func.path) in ("keras.backend.epsilon", "keras.config.epsilon") \
                and not positional and not keywords:
            return 1e-07  # Keras's default fuzz factor (only `set_epsilon` changes it)
        if isinstance(func, Module) and func.path.endswith(".broadcast_to") and not opaque:
            # `ops.broadcast_to(self.position_embeddings, ops.shape(inputs))`: the shape it is given
            target = keywords.get("shape", positional[1] if len(positional) > 1 else None)
            if isinstance(target, (tuple, list)) and all(d is None or isinstance(d, int) and not isinstance(d, bool)
                                                         and d >= 0 for d in target):
                flat = [t for a in [*positional, *keywords.values()] for t in (_flatten_tensors(a) or [])]
                return self.op_tensor("broadcast_to", flat, tuple(target))
        if isinstance(func, Module) and any(_flatten_tensors(a) for a in [*positional, *keywords.values()]):
            # `keras.ops.concatenate([a, b])`, `tf.reduce_mean(x)`: connected, shape unknown.
            flat = [t for a in [*positional, *keywords.values()] for t in (_flatten_tensors(a) or [])]
            name = func.path.rsplit(".", 1)[-1]
            if name == "split" and isinstance(positional[0], Tensor):
                parts = _split_shapes(positional[0].shape, keywords.get(
                    "indices_or_sections", positional[1] if len(positional) > 1 else None),
                    keywords.get("axis", positional[2] if len(positional) > 2 else 0))
                if parts is not None:
                    return [self.op_tensor(name, flat, part) for part in parts]
            pair = positional[0] if len(positional) == 1 and not keywords else None
            if name in ("fft", "fft2", "ifft2") and isinstance(pair, tuple) and len(pair) == 2 and all(
                    isinstance(t, Tensor) for t in pair) and pair[0].shape == pair[1].shape:
                # `real, imag = ops.fft2((x, ops.zeros_like(x)))`: two tensors of the input's shape
                shape = pair[0].shape if pair[0].shape is not None and len(pair[0].shape) >= (
                    2 if name != "fft" else 1) else None
                return (self.op_tensor(name, flat, shape), self.op_tensor(name, flat, shape))
            if name == "merge" and node is not None and knames.normalize(func.path) == "keras.layers.merge":
                self.note("merge", node)  # Keras 1's `merge([a, b], mode="concat")`, called on tensors
            if name == "shape" and len(positional) == 1 and isinstance(positional[0], Tensor):
                shape = positional[0].shape
                return UNKNOWN if shape is None else _shape_value(shape)
            return self.op_tensor(name, flat, _op_shape(name, positional, keywords))
        if isinstance(func, Module) and func.path.endswith(".load_data") and node is not None:
            dataset = knames.normalize(func.path).removeprefix("keras.datasets.").removesuffix(".load_data")
            classes = _DATASET_CLASSES.get(dataset)
            if dataset == "cifar100" and keywords.get("label_mode", "fine") != "fine":
                classes = 20 if keywords.get("label_mode") == "coarse" else None
            if classes is None:
                return UNKNOWN
            labels = Labels(classes, self.span(node), "integer")
            return ((UNKNOWN, labels), (UNKNOWN, labels))
        if isinstance(func, Module) and func.path.endswith("activations.get") and positional:
            name = positional[0]
            # `keras.activations.get("relu")` is the function `keras.activations.relu`.
            return Module(func.path[: -len("get")] + name) if isinstance(name, str) and name.isidentifier() else UNKNOWN
        range_params = _RANGE_PARAMS.get(func.path.rsplit(".", 1)[-1]) if isinstance(func, Module) else None
        if range_params is not None and (func.path.endswith("ops.arange") or func.path in ("tensorflow.range", "tf.range")):
            # `keras.ops.arange(start=0, stop=maxlen)`, `tf.range(maxlen)`: a vector of that many numbers.
            length = _range_length(range_params, positional, keywords)
            return UNKNOWN if length is None else self.op_tensor("arange", [], (length,))
        if isinstance(func, Module) and func.path.rsplit(".", 1)[-1] in ("convert_to_tensor", "constant", "array") and (
                knames.normalize(func.path).startswith("keras.ops.") or func.path.startswith(("tensorflow.", "tf."))) \
                and positional and isinstance(positional[0], knp.NdArray):
            # `ops.convert_to_tensor(features)` of a NumPy array: a constant tensor of its shape
            return self.op_tensor(func.path.rsplit(".", 1)[-1], [], positional[0].shape)
        if isinstance(func, Module) and func.path.rsplit(".", 1)[-1] in ("eye", "zeros", "ones", "full") and (
                knames.normalize(func.path).startswith("keras.ops.") or func.path.startswith(("tensorflow.", "tf."))):
            # `ops.eye(3)`, `ops.zeros((4, 8))`: a constant tensor of that shape
            shape = _constant_shape(func.path.rsplit(".", 1)[-1], positional, keywords)
            return UNKNOWN if shape is None else self.op_tensor(func.path.rsplit(".", 1)[-1], [], shape)
        if isinstance(func, Module) and ".random." in func.path and func.path.rsplit(".", 1)[-1] in _RANDOM_TENSORS:
            # `keras.random.normal(shape=(batch, dim))`: a tensor of that shape.
            shape = keywords.get("shape", positional[0] if positional else None)
            known = isinstance(shape, (tuple, list)) and all(d is None or isinstance(d, int) for d in shape)
            return self.op_tensor(func.path.rsplit(".", 1)[-1], [], tuple(shape) if known else None)  # type: ignore[arg-type]
        if isinstance(func, Module) and node is not None:
            path = knames.normalize(func.path)
            if path.startswith("keras.optimizers."):
                self.note("optimizer", node)
            elif path.endswith(".merge") or path == "keras.layers.merge":
                self.note("merge", node)
            elif path.endswith("models.clone_model") and positional and isinstance(positional[0], Model):
                return self.clone_sequential(positional[0], keywords, node)
            elif path.endswith("to_categorical"):
                classes = keywords.get("num_classes", positional[1] if len(positional) > 1 else None)
                if isinstance(classes, int) and not isinstance(classes, bool) and classes > 0:
                    y = positional[0] if positional else keywords.get("x")
                    shape = None
                    if isinstance(y, knp.NdArray):
                        rows = y.shape[:-1] if len(y.shape) > 1 and y.shape[-1] == 1 else y.shape
                        shape = (*rows, classes)  # a trailing axis of 1 goes, as in Keras
                    return Labels(classes, self.span(node), shape=shape)
                return UNKNOWN
        if isinstance(func, Module) and knames.normalize(func.path).startswith("keras.losses."):
            logits = keywords.get("from_logits", False)
            return Loss(loss_name(func.path.rsplit(".", 1)[-1]), logits if isinstance(logits, bool) else None)
        # A function kerascheck does not follow (`random.shuffle(y)`, `scaler.fit_transform(x)`) may change
        # an array it is given in place: the array keeps its shape and forgets its elements.
        knp.forget_values([*positional, *keywords.values()])
        return UNKNOWN

    def call_function(
        self, fn: Function, positional: list[Any], keywords: dict[str, Any],
        opaque: bool = False, unknown_params: bool = False,
    ) -> Any:
        fn.called = True
        if self.depth >= MAX_CALL_DEPTH:
            return UNKNOWN
        node: cst.FunctionDef = fn.node
        local = Scope(fn.closure)
        params = node.params
        ordered = list(params.posonly_params) + list(params.params)
        saved_positions, saved_current, saved_statement = self.positions, self.current, self.statement
        self.positions = fn.positions  # type: ignore[attr-defined]
        try:
            for i, p in enumerate(ordered):
                name = p.name.value
                if unknown_params:
                    value = UNKNOWN
                elif i < len(positional):
                    value = positional[i]
                elif name in keywords:
                    value = keywords[name]
                elif opaque:
                    value = UNKNOWN
                elif p.default is not None:
                    value = self.eval(p.default, fn.closure)
                else:
                    value = UNKNOWN
                local.vars[name] = value
            if isinstance(params.star_arg, cst.Param):
                extra = positional[len(ordered):]
                local.vars[params.star_arg.name.value] = UNKNOWN if opaque or unknown_params else tuple(extra)
            for p in params.kwonly_params:
                name = p.name.value
                if not unknown_params and name in keywords:
                    local.vars[name] = keywords[name]
                elif p.default is not None and not opaque and not unknown_params:
                    local.vars[name] = self.eval(p.default, fn.closure)
                else:
                    local.vars[name] = UNKNOWN
            if params.star_kwarg is not None:
                known = set(local.vars)
                rest = {k: v for k, v in keywords.items() if k not in known}
                local.vars[params.star_kwarg.name.value] = UNKNOWN if opaque or unknown_params else rest
            self.depth += 1
            try:
                body = node.body.body if isinstance(node.body, cst.IndentedBlock) else node.body.body
                self.exec_block(body, local)
            except _Return as r:
                return r.value
            except (_Break, _Continue):
                return UNKNOWN
            finally:
                self.depth -= 1
            return None
        finally:
            self.positions, self.current, self.statement = saved_positions, saved_current, saved_statement

    def call_builtin(self, name: str, positional: list[Any], keywords: dict[str, Any], opaque: bool) -> Any:
        if opaque:
            return UNKNOWN
        if name == "print":
            return None
        if name == "partial":
            if not positional:
                return UNKNOWN
            return Partial(positional[0], list(positional[1:]), dict(keywords))
        if name == "isinstance":
            return _isinstance(positional, keywords)
        if name in ("itertools.product", "itertools.chain") and set(keywords) <= ({"repeat"} if name.endswith("product") else set()):
            seqs = [self.iterate(p) for p in positional]
            repeat = keywords.get("repeat", 1)
            if any(seq is None for seq in seqs) or not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 0:
                return UNKNOWN
            if name.endswith("chain"):
                joined = [item for seq in seqs for item in seq]  # type: ignore[union-attr]
                return joined if len(joined) <= MAX_SEQUENCE else UNKNOWN
            count = math.prod(len(seq) for seq in seqs) ** repeat  # type: ignore[arg-type]
            return list(itertools.product(*seqs, repeat=repeat)) if count <= MAX_SEQUENCE else UNKNOWN  # type: ignore[arg-type]
        if name == "map" and len(positional) >= 2 and not keywords:
            seqs = [self.iterate(p) for p in positional[1:]]
            if any(seq is None for seq in seqs) or min(len(seq) for seq in seqs) > MAX_LOOP_ITERATIONS:  # type: ignore[arg-type]
                return UNKNOWN
            return [self.call(positional[0], list(args), {}) for args in zip(*seqs)]  # type: ignore[arg-type]
        if name == "next" and len(positional) in (1, 2) and not keywords:
            stream = positional[0]
            if not isinstance(stream, Stream) or self.uncertain:
                return UNKNOWN
            if stream.position < len(stream.items):
                stream.position += 1
                return stream.items[stream.position - 1]
            return positional[1] if len(positional) == 2 else UNKNOWN  # StopIteration
        if name == "reduce" and len(positional) in (2, 3) and not keywords:
            # `functools.reduce(lambda acc, layer: layer(acc), stack, inputs)`
            items = self.iterate(positional[1])
            if items is None or len(items) > MAX_LOOP_ITERATIONS or (len(positional) == 2 and not items):
                return UNKNOWN
            acc, rest = (positional[2], items) if len(positional) == 3 else (items[0], items[1:])
            for item in rest:
                acc = self.call(positional[0], [acc, item], {})
            return acc
        if name == "getattr" and len(positional) in (2, 3) and not keywords and isinstance(positional[1], str):
            # `getattr(layers, spec["type"])`: the attribute, when kerascheck knows it (a default is
            # no help: an attribute it does not know may still exist)
            if not positional[1].isidentifier():
                return UNKNOWN
            return self.get_attribute(positional[0], positional[1])
        if name in ("tuple", "list") and len(positional) <= 1 and not keywords:
            if not positional:
                return () if name == "tuple" else []
            seq = self.iterate(positional[0])
            if seq is None:
                return UNKNOWN
            return tuple(seq) if name == "tuple" else seq
        if name == "len" and len(positional) == 1:
            value = positional[0]
            if self.is_unsure(value):
                return UNKNOWN
            if isinstance(value, (tuple, list, str, dict, range, set, frozenset)):
                return len(value)
            if isinstance(value, knp.NdArray) and value.shape:
                return value.shape[0]
            if isinstance(value, Labels) and value.shape and isinstance(value.shape[0], int):
                return value.shape[0]
            return UNKNOWN
        if name == "enumerate" and 1 <= len(positional) <= 2 and set(keywords) <= {"start"}:
            start = keywords.get("start", positional[1] if len(positional) > 1 else 0)
            seq = self.iterate(positional[0])
            if seq is None or not isinstance(start, int) or isinstance(start, bool):
                return UNKNOWN
            return list(enumerate(seq, start))
        if name == "sorted" and len(positional) == 1 and set(keywords) <= {"reverse"}:
            seq = self.iterate(positional[0])
            reverse = keywords.get("reverse", False)
            if seq is None or not isinstance(reverse, bool) or not all(is_plain(v) for v in seq):
                return UNKNOWN
            try:
                return sorted(seq, reverse=reverse)  # type: ignore[type-var]
            except TypeError:
                return UNKNOWN
        if name in ("zip", "reversed") and (not keywords or name == "zip" and set(keywords) <= {"strict"}):
            seqs = [self.iterate(p) for p in positional]
            if any(s is None for s in seqs) or not seqs:
                return UNKNOWN
            if name == "zip":
                if keywords.get("strict") is True and len({len(s) for s in seqs}) > 1:  # type: ignore[arg-type]
                    return UNKNOWN  # Python raises
                return list(zip(*seqs))  # type: ignore[arg-type]
            return list(reversed(seqs[0])) if len(seqs) == 1 else UNKNOWN  # type: ignore[arg-type]
        if not all(is_plain(p) for p in positional) or not all(is_plain(v) for v in keywords.values()):
            return UNKNOWN
        if any(isinstance(p, range) and len(p) > MAX_SEQUENCE for p in positional):
            return UNKNOWN  # `sum(range(10**12))` would run for hours
        if name == "range":
            try:
                span = range(*positional)
                len(span)  # a range of more than sys.maxsize numbers has no len(): not followed
            except (TypeError, ValueError, OverflowError):
                return UNKNOWN
            return span
        fn = getattr(builtins, name, None)
        if fn is None:
            return UNKNOWN
        try:
            result = fn(*positional, **keywords)
        except Exception:
            return UNKNOWN
        return result if size_ok(result) else UNKNOWN

    def call_method(self, method: BoundMethod, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
        obj, name = method.obj, method.name
        if isinstance(name, Function):
            return self.call_function(name, [obj, *positional], keywords)
        if isinstance(obj, knp.NdArray):
            if name == "astype":
                return knp.NdArray(obj.shape)  # `x.astype(np.float32)`: whatever the dtype, the same shape
            if not all(is_plain(v) for v in (*positional, *keywords.values())):
                return UNKNOWN
            return knp.method(obj, name, positional, keywords)
        if isinstance(obj, ArgParser):
            return self.argparse_method(obj, name, positional, keywords)
        if isinstance(obj, Layer) and name == "build":
            self.build_layer(obj, positional[0] if positional else keywords.get("input_shape"))
            return None
        if isinstance(obj, Instance) and name == "add_weight":
            obj.weights.append(_weight_size(positional, keywords))  # type: ignore[attr-defined]
            shape = keywords["shape"] if "shape" in keywords else positional[0] if positional else ()
            if isinstance(shape, int) and not isinstance(shape, bool):
                shape = (shape,)
            if isinstance(shape, (tuple, list)) and all(isinstance(d, int) and not isinstance(d, bool) for d in shape):
                return self.op_tensor("variable", [], tuple(shape))  # the weight, as a tensor of its shape
            return UNKNOWN
        if isinstance(obj, set):
            # `chars.add(c)` in a loop over text kerascheck cannot read: the set's size is unknown.
            self.touch(obj)
            items = [positional[0]] if name in ("add", "discard", "remove") and len(positional) == 1 else (
                self.iterate(positional[0]) if name == "update" and len(positional) == 1 else None)
            if items is None or keywords or not all(is_plain(v) for v in items):
                self.unsure[id(obj)] = obj
            elif name in ("add", "update"):
                obj.update(items)
            else:
                obj.difference_update(items)
            return None
        if isinstance(obj, list):
            self.touch(obj)
            if name == "append" and len(positional) == 1:
                if self.uncertain:
                    self._mark_uncertain(obj)
                obj.append(positional[0])
            elif name == "extend" and len(positional) == 1:
                seq = self.iterate(positional[0])
                if seq is not None:
                    obj.extend(seq)
            elif name == "insert" and len(positional) == 2 and isinstance(positional[0], int):
                obj.insert(positional[0], positional[1])
            elif name == "pop" and obj:
                return obj.pop() if not positional and not self.is_unsure(obj) else UNKNOWN
            return None
        if isinstance(obj, dict):
            key = positional[0] if positional else None
            if self.is_unsure(obj):
                self.touch(obj)
                return UNKNOWN  # changed under an undecided condition: neither read nor changed further
            if name == "get" and is_plain(key):
                return obj.get(key, positional[1] if len(positional) > 1 else None)
            if name in ("keys", "values", "items") and not positional:
                return list(getattr(obj, name)())
            if name == "copy" and not positional:
                return dict(obj)
            if self.uncertain:
                self.touch(obj)
                return UNKNOWN  # a change made under a condition kerascheck cannot decide: not followed
            if name == "pop" and is_plain(key):
                if key in obj:
                    return obj.pop(key)
                return positional[1] if len(positional) > 1 else UNKNOWN
            if name == "setdefault" and is_plain(key):
                return obj.setdefault(key, positional[1] if len(positional) > 1 else None)
            if name == "update" and len(positional) <= 1:
                if positional and not isinstance(positional[0], dict):
                    return UNKNOWN  # from something kerascheck does not follow
                obj.update(positional[0] if positional else {}, **keywords)
                return None
            return UNKNOWN
        if isinstance(obj, str):
            if not all(is_plain(v) for v in (*positional, *keywords.values())):
                return UNKNOWN
            try:
                result = getattr(obj, name)(*positional, **keywords)
            except Exception:
                return UNKNOWN
            return result if size_ok(result) else UNKNOWN
        if isinstance(obj, Model):
            if name == "get_layer":
                return self.get_layer(obj, positional, keywords)
            if name == "add":
                item = positional[0] if positional else keywords.get("layer", UNKNOWN)
                if isinstance(item, Layer) and isinstance(node, cst.Call) and node.args:
                    self._note_add_placement(item, node)
                item_node = node.args[0].value if isinstance(node, cst.Call) and node.args else None
                self.sequential_add(obj, item, rebuild=True, item_node=item_node)
            elif name == "build" and obj.api == "subclass":
                # Keras 3's default `Model.build` only marks a subclassed model built: its layers stay
                # unbuilt (count_params() is 0) until the model is called on a tensor.
                if not obj.built and obj.user_class is not None and obj.user_class.method("build") is None:
                    obj.weightless_build = True
            elif name == "build":
                shape = positional[0] if positional else keywords.get("input_shape", UNKNOWN)
                if obj.api == "sequential" and not obj.input_declared:
                    obj.input_declared = True
                    obj.input_shape = self.symbolic(
                        self.as_shape(shape, batch_included=True), _arg_expr(node, 0, ("input_shape",)), True
                    )
                    obj.input_span = self.span(node) if node is not None else None
                    if not obj.uncertain:
                        self.sequential_build(obj)
            elif name == "compile":
                loss = keywords.get("loss", positional[1] if len(positional) > 1 else None)
                obj.compile = CompileInfo(
                    self.span(node) if node is not None else obj.span,
                    loss=self.read_loss(loss, node),
                    metrics=keywords.get("metrics"),
                    optimizer=keywords.get("optimizer", positional[0] if positional else None),
                )
            elif name == "pop":
                if obj.layers:
                    obj.layers.pop()
            elif name in ("fit", "fit_generator") and node is not None:
                self.note(name, node, model=obj)
                labels = keywords.get("y", positional[1] if len(positional) > 1 else None)
                if isinstance(labels, Labels) and self.uncertain == self.main_guards:
                    obj.fit_labels = labels
            return UNKNOWN if name != "add" else None
        return UNKNOWN

    def rejected_call(self, layer: Layer, positional: list[Any], keywords: dict[str, Any], call: cst.Call) -> bool:
        """`lstm(inputs=x)`, `dense(x, trainng=False)`: arguments the layer's `call` cannot bind, which
        Keras rejects with a TypeError. Noted for KC406; True when there are any."""
        spec = layer.spec
        params = spec.call_parameters if spec is not None else None
        if params is None or any(arg.star for arg in call.args):
            return False
        written = {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}
        wrong = {k: self.span(arg) for k, arg in written.items()
                 if k not in params and k != "training" and not spec.call_takes_any_keyword}  # type: ignore[union-attr]
        missing = not positional and params[0] not in keywords
        if not wrong and not missing:
            return False
        self.notes.append(CallNote("layer_call", layer.type, self.span(call), wrong, None, params, missing))
        return True

    def note(self, kind: str, node: cst.Call, model: Model | None = None) -> None:
        keywords = {a.keyword.value: self.span(a) for a in node.args if a.keyword is not None}
        self.notes.append(CallNote(kind, self.code(node.func), self.span(node), keywords, model))

    def read_loss(self, value: Any, node: Any) -> Any:
        """`compile(loss=...)` as a `Loss`: a string, a `keras.losses` function, or a loss object."""
        where = None
        if isinstance(node, cst.Call):
            for i, arg in enumerate(node.args):
                if arg.keyword is not None and arg.keyword.value == "loss" or arg.keyword is None and i == 1:
                    where = arg
        span = self.span(where) if where is not None else None  # `loss=...` as a whole
        text = self.code(where.value) if where is not None else ""
        if isinstance(value, str):
            return Loss(loss_name(value), False, span, text)
        if isinstance(value, Module) and knames.normalize(value.path).startswith("keras.losses."):
            return Loss(loss_name(value.path.rsplit(".", 1)[-1]), False, span, text)
        if isinstance(value, Loss):
            return Loss(value.name, value.from_logits, span, text)
        return UNKNOWN if value is not None else None

    def _note_add_placement(self, layer: Layer, node: cst.Call) -> None:
        stmt = self.statement
        if (
            node.args[0].value is layer.node
            and isinstance(node.func, cst.Attribute)
            and isinstance(stmt, cst.SimpleStatementLine)
            and len(stmt.body) == 1
            and isinstance(stmt.body[0], cst.Expr)
            and stmt.body[0].value is node
        ):
            layer.placement = "add"
            layer.receiver = self.code(node.func.value)
            layer.statement_span = self.span(stmt)

    def _mark_uncertain(self, items: list[Any]) -> None:
        for item in items:
            if isinstance(item, Layer):
                item.certain = False

    # -- Keras objects -----------------------------------------------------------------------

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
        if shape is None or not isinstance(expr, (cst.Tuple, cst.List)):
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
            positional = [self.model_as_layer(v) if isinstance(v, Model) else v for v in positional]
            if isinstance(keywords.get("layer"), Model):
                keywords = {**keywords, "layer": self.model_as_layer(keywords["layer"])}
        if isinstance(keywords.get("activation"), Module):
            # `activation=keras.activations.softmax` or `tf.nn.relu` means what the string would.
            keywords = {**keywords, "activation": keywords["activation"].path.rsplit(".", 1)[-1]}
        if spec.name == "Activation" and positional and isinstance(positional[0], Module):
            positional = [positional[0].path.rsplit(".", 1)[-1], *positional[1:]]
        args = bind(spec, positional, keywords, opaque)
        explicit = keywords.get("name")
        name = explicit if isinstance(explicit, str) else self.auto_name(spec.auto_name_prefix)
        names = spec.signature.names()
        arg_sites = []
        for arg, value, index in sites:
            if index is not None:
                param = names[index] if index < len(names) else None
                keyword = None
            else:
                keyword = arg.keyword.value if arg.keyword is not None else None
                param = keyword
            where = self.span(arg) if node is not None else Span.point(1)
            arg_sites.append(ArgSite(param, keyword, index, value, where, arg, self.arg_text(arg, where)))
        layer = Layer(
            type=spec.name,
            written=self.code(node.func) if node is not None else cls.written,
            spec=spec,
            args=args,
            name=name,
            span=self.span(node) if node is not None else Span.point(1),
            arg_sites=arg_sites,
            node=node,
            statement=self.statement,
        )
        layer.construction_error = validate(spec, args)
        if node is not None:
            layer.flatten_spelling = self._spelling_of("Flatten", node.func, scope)
            assert self.positions is not None
            layer.starts_line = self.positions.starts_line(layer.span)
        self.layers.append(layer)
        return layer

    def _spelling_of(self, class_name: str, func: cst.BaseExpression, scope: Scope | None) -> str | None:
        """How the file can name another layer class at this call: `layers.Flatten`, `Flatten`, or None."""
        if isinstance(func, cst.Attribute) and scope is not None:
            owner = self.eval(func.value, scope)
            target = self.get_attribute(owner, class_name)
            if isinstance(target, LayerClass) and target.spec.name == class_name:
                return f"{self.code(func.value)}.{class_name}"
            return None
        if scope is not None:
            for name, value in self.globals.vars.items():
                if isinstance(value, LayerClass) and value.written == class_name and value.spec.name == class_name:
                    return name
        return None

    def call_factory(
        self, factory: Factory, positional: list[Any], keywords: dict[str, Any], node: cst.Call | None, opaque: bool
    ) -> Any:
        kind = factory.kind
        span = self.span(node) if node is not None else Span.point(1)
        if kind == "Sequential":
            explicit = keywords.get("name")
            model = Model(
                "sequential", span,
                explicit if isinstance(explicit, str) else self.auto_name("sequential"),
                node=node, statement=self.statement,
            )
            model.depth = self.uncertain
            # Made by a custom layer's code: the layer builds it when it is called.
            model.held_by_layer = self.inside_custom_layer > 0  # type: ignore[attr-defined]
            self.models.append(model)
            items = positional[0] if positional else keywords.get("layers")
            listed = node.args[0].value if node is not None and node.args else None
            if isinstance(listed, cst.List) and isinstance(items, list):
                literal_nodes = {id(e.value) for e in listed.elements}
                for item in items:
                    if isinstance(item, Layer) and id(item.node) in literal_nodes:
                        item.placement = "list"
            if items is not None:
                seq = self.iterate(items)
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
            return self.make_functional(positional, keywords, node, span)
        if kind.startswith("UserLayer:") or kind == "Layer":
            explicit = keywords.get("name")
            layer = Layer(
                type=kind.split(":", 1)[-1], written=self.code(node.func) if node is not None else kind,
                spec=None, args=None,
                name=explicit if isinstance(explicit, str) else self.auto_name(snake_case(kind.split(":", 1)[-1])),
                span=span, node=node, statement=self.statement,
            )
            self.layers.append(layer)
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
        else:
            shape = self.symbolic(self.as_shape(shape_value), _arg_expr(node, 0, ("shape", "input_shape")))
            batch = keywords.get("batch_size")
            if shape is not None and isinstance(batch, int):
                shape = (batch, *shape[1:])
        explicit = keywords.get("name")
        layer = Layer(
            type="InputLayer", written=self.code(node.func) if node is not None else kind, spec=None, args=None,
            name=explicit if isinstance(explicit, str) else self.auto_name("input_layer"), span=span, node=node,
            statement=self.statement,
        )
        layer.output_shape = shape
        layer.params = 0
        self.layers.append(layer)
        tensor = Tensor(shape, layer)
        tensor.node = Node(layer, [], is_input=True)
        layer.input_tensor = tensor  # type: ignore[attr-defined]
        if kind == "InputLayer":
            return layer
        return tensor

    def clone_sequential(self, source: Model, keywords: dict[str, Any], node: cst.Call) -> Any:
        """`keras.models.clone_model(student)`: a Sequential model of new layers made from the same
        configurations (so with the same names), on the same input."""
        if source.api != "sequential" or source.uncertain or keywords:
            return UNKNOWN  # a functional clone renames its inputs; clone_function/input_tensors: not followed
        model = Model("sequential", self.span(node), source.keras_name, node=node, statement=self.statement)
        model.depth = self.uncertain
        model.layers = [copy.copy(layer) for layer in source.layers]
        model.input_shape, model.input_span, model.input_declared = source.input_shape, source.input_span, source.input_declared
        if source.has_input_layer:
            self.auto_name("input_layer")
            model.has_input_layer = True
        self.models.append(model)
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
            self.auto_name("input_layer")
            model.has_input_layer = True
        shape = model.input_shape
        for layer in model.layers:
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
                self.resolve_lambda(layer, shape)
            applied = apply(layer.spec, layer.args, shape)
            if applied.error is not None or layer.construction_error is not None:
                return  # Keras raises here: the model is never built
            shape = applied.output if isinstance(applied.output, tuple) else None
        self.auto_name("functional")
        model.built = True

    def _sequential_add(self, model: Model, item: Any, item_node: Any = None) -> None:
        if model.api != "sequential":
            return
        conditional = self.uncertain > model.depth
        if conditional:
            model.uncertain = True
        if isinstance(item, Tensor) and item.layer.is_input:
            item = item.layer
        if isinstance(item, Layer) and item.is_input:
            if not model.layers and not model.input_declared:
                model.input_declared = True
                model.has_input_layer = True
                model.input_shape = item.output_shape
                model.input_span = item.span
                model.input_layer = item  # type: ignore[attr-defined]
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
                    self.auto_name("input_layer")  # Keras creates an InputLayer for it
            if conditional:
                item.certain = False  # it may or may not be there: nothing after it is known
            if not item.certain:
                model.uncertain = True
            model.layers.append(item)
            return
        if isinstance(item, Model) and (item is model or _contains(item, model)):
            model.uncertain = True  # Keras rejects a model nested in itself
            return
        if isinstance(item, Model):
            wrapper = self.model_as_layer(item)
            functional_input = item.api == "functional" and len(item.inputs) == 1 and not item.uncertain
            if not model.layers and not model.input_declared and (item.input_declared or functional_input):
                # Keras takes a nested model's input as the outer model's input.
                model.input_declared = True
                model.input_shape = item.input_shape if item.api == "sequential" else (
                    item.inputs[0].shape if functional_input else
                    next((layer.output_shape for layer in item.layers if layer.is_input), None))
                model.input_span = item.span
            model.layers.append(wrapper)
            return
        # Something kerascheck cannot see into (an unknown class, a value from elsewhere): it holds a
        # place in the stack, so every shape after it is unknown rather than computed without it.
        model.uncertain = True
        written = self.code(item_node.func) if isinstance(item_node, cst.Call) else "?"
        placeholder = Layer(type=written.rsplit(".", 1)[-1], written=written, spec=None, args=None, name="?",
                            span=self.span(item_node) if item_node is not None else model.span)
        placeholder.certain = False
        model.layers.append(placeholder)

    def instantiate(
        self, cls: UserClass, positional: list[Any], keywords: dict[str, Any], node: cst.Call | None, opaque: bool
    ) -> Any:
        span = self.span(node) if node is not None else Span.point(1)
        init = cls.method("__init__")
        if cls.kind == "layer":
            layer = self.call_factory(Factory("UserLayer:" + cls.name), positional, keywords, node, opaque)
            if isinstance(layer, Layer):
                instance = Instance(cls)
                instance.weights = []  # type: ignore[attr-defined]
                layer.user_instance = instance  # type: ignore[attr-defined]
                # In a Sequential model the layer is built through the catalogue's chain, so it gets
                # a spec whose rule runs the class's code on the input shape.
                layer.spec = CustomLayerSpec(cls.name, lambda shape, layer=layer: self.run_custom_layer(layer, [
                    self.symbolic_input(shape, layer.span)], {}, shape), lambda n_in, layer=layer: self.custom_cell(
                    layer, n_in))
                layer.args = bind(layer.spec, [], {})
                if init is not None:
                    self.inside_custom_layer += 1
                    try:
                        self.call_function(init, [instance, *positional], keywords, opaque=opaque)
                    finally:
                        self.inside_custom_layer -= 1
            return layer
        if cls.kind == "model":
            if init is None and cls.method("call") is None:
                inputs = positional[0] if positional else keywords.get("inputs")
                outputs = positional[1] if len(positional) > 1 else keywords.get("outputs")
                if _flatten_tensors(inputs) and _flatten_tensors(outputs):
                    # `class MLM(keras.Model)` with only training hooks, built as `MLM(inputs, outputs)`:
                    # Keras makes a functional model of that class.
                    model = self.make_functional(positional, keywords, node, span, snake_case(cls.name))
                    model.class_name = cls.name
                    return model
            explicit = keywords.get("name")
            model = Model("subclass", span, explicit if isinstance(explicit, str) else self.auto_name(snake_case(cls.name)),
                          node=node, statement=self.statement, user_class=cls)
            model.depth = self.uncertain
            self.models.append(model)
            if init is not None:
                self.call_function(init, [model, *positional], keywords, opaque=opaque)
            # Keras tracks the layers assigned to attributes, in the order they were first assigned.
            seen: set[int] = set()
            for value in model.attrs.values():
                items = value if isinstance(value, (list, tuple)) else list(value.values()) if isinstance(
                    value, dict) else [value]
                for item in items:
                    if isinstance(item, Model) and item is not model:
                        item = self.model_as_layer(item)
                    if isinstance(item, Layer) and id(item) not in seen:
                        seen.add(id(item))
                        model.layers.append(item)
            return model
        if cls.kind == "unknown":
            return UNKNOWN
        instance = Instance(cls)
        fields = getattr(cls, "fields", None)
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
                self.call_function(post_init, [instance], {})
            return instance
        if init is not None:
            self.call_function(init, [instance, *positional], keywords, opaque=opaque)
        return instance

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

    def run_subclass_call(self, model: Model, shape: Shape | None, tensor: Tensor | None = None) -> Any:
        """Build a subclassed model the way Keras does: run its `call` on a symbolic input."""
        call = model.user_class.method("call") if model.user_class is not None else None
        if call is None or model.built or shape is None:
            return UNKNOWN
        model.built = True
        model.weightless_build = False
        model.input_declared = True
        model.input_shape = shape if isinstance(shape, tuple) else None  # several inputs: no one shape
        if tensor is None:
            tensor = self.symbolic_input(shape, model.span)
        result = self.call_function(call, [model, tensor], {})
        model.outputs = _flatten_tensors(result) or []
        return result

    def call_merge_function(
        self, func: MergeFunction, positional: list[Any], keywords: dict[str, Any], node: cst.Call | None,
        sites: list[tuple[cst.Arg, Any, int | None]], opaque: bool, scope: Scope | None,
    ) -> Any:
        """`layers.concatenate([a, b], axis=1)` is `layers.Concatenate(axis=1)([a, b])`."""
        inputs = positional[0] if positional else keywords.get("inputs", UNKNOWN)
        rest = {k: v for k, v in keywords.items() if k != "inputs"}
        if func.spec.name == "Dot" and "axes" not in rest:
            rest["axes"] = positional[1] if len(positional) > 1 else -1
        layer = self.make_layer(LayerClass(func.spec, func.written), [], rest, node, [], opaque, scope)
        return self.apply_layer(layer, [inputs], {}, node)

    def model_io(self, model: Model, attr: str) -> Any:
        if model.api == "functional":
            ins = [getattr(layer, "input_tensor", None) for layer in model.layers if layer.is_input]
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
        graph = getattr(model, "graph", None)
        if graph is not None:
            return graph  # type: ignore[no-any-return]
        source = getattr(model, "input_layer", None)
        tensor = getattr(source, "input_tensor", None)
        if model.uncertain or not model.built or not isinstance(tensor, Tensor) or not model.layers:
            return None
        if any(layer.submodel is not None or not layer.certain for layer in model.layers):
            return None
        x: Any = tensor
        for layer in model.layers:
            x = self.apply_layer(layer, [x], {})
            if not isinstance(x, Tensor):
                return None
        graph = (tensor, x)
        model.graph = graph  # type: ignore[attr-defined]
        return graph

    def model_as_layer(self, model: Model) -> Layer:
        """The one layer object that stands for `model` inside other models."""
        wrapper = getattr(model, "as_layer", None)
        if wrapper is None:
            spec = NestedModelSpec(model)
            wrapper = Layer(
                type=spec.name, written=model.keras_name, spec=spec, args=bind(spec, [], {}),
                name=model.keras_name, span=model.span, submodel=model, node=model.node,
            )
            wrapper.certain = not model.uncertain
            model.as_layer = wrapper  # type: ignore[attr-defined]
        return wrapper

    def apply_layer(self, layer: Layer, positional: list[Any], keywords: dict[str, Any], call: Any = None) -> Any:
        """`layer(x)`: a node in a functional graph."""
        args = layer.args
        named = _bind_call(layer.spec, positional, keywords)
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
            else:
                shapes = None
            reported = shapes
            # Tensors passed by keyword (`initial_state=states`) are inputs of the node too, as in
            # Keras, which flattens keyword arguments in the order of their names.
            extra = [
                t for key, value in sorted(keywords.items()) if key != "inputs"
                for t in (_flatten_tensors(value) or [])
            ]
        self.call_order += 1
        if not hasattr(layer, "order"):
            layer.order = self.call_order  # type: ignore[attr-defined]
        for parent in _real_parents(tensors + extra):
            if parent not in layer.inbound:
                layer.inbound.append(parent)
        node = Node(layer, tensors + extra, unknown_input=not tensors and not extra)
        first_arg = self.mask_arguments(layer, node, positional, keywords)
        if self.uncertain:
            layer.applied_uncertain = True  # type: ignore[attr-defined]
        if self.inside_custom_layer:
            layer.internal = True  # type: ignore[attr-defined]
        if isinstance(layer.spec, CustomLayerSpec):
            if shapes is None:
                return Tensor(None, layer, 0, node)
            applied = self.run_custom_layer(layer, positional, keywords, shapes)
        elif layer.spec is None or args is None:
            return self.output_masks(layer, args, first_arg, Tensor(None, layer, 0, node))
        else:
            applied = apply(layer.spec, args, shapes)
        if layer.spec is not None and layer.spec.name == "Lambda" and applied.output is None and applied.error is None and tensors:
            applied = self.run_lambda_layer(layer, tensors, applied)
        first_call = layer.input_shape is None and layer.output_shape is None and layer.error is None
        if first_call and layer.spec is not None and applied.error is None and shapes is not None:
            for prefix in layer.spec.builds_named:
                self.auto_name(prefix)
        if first_call:
            layer.input_shape = reported
            layer.output_shape = applied.output
            layer.params = applied.params
            layer.error = applied.error
            layer.built_on = reported  # type: ignore[attr-defined]
        elif (
            applied.error is None and applied.params is not None and layer.params is not None
            and applied.params != layer.params and call is not None and layer.certain
        ):
            # Its weights were made for the first input: Keras rejects an input they do not fit.
            built = getattr(layer, "built_on", None)
            layer.call_errors.append((self.span(call), ShapeError(
                f"`{layer.name}` ({layer.type}) was built for inputs {_fmt(built)} and is called again on "
                f"{_fmt(reported)}, which its weights do not fit", kind="incompatible")))
        out = applied.output
        result: Any = [Tensor(s, layer, i, node) for i, s in enumerate(out)] if isinstance(out, list) else Tensor(
            out, layer, 0, node)
        if getattr(layer, "first_output", None) is None:
            layer.first_output = result  # type: ignore[attr-defined]
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
        with_tensors = {k: v for k, v in bound.items() if _flatten_tensors(v)}
        masks: list[Tensor] = []
        if len(with_tensors) == 1:
            if "mask" in params and bound.get("mask") is None:
                (value,) = with_tensors.values()
                masks = [t.mask for t in _flatten_tensors(value) or [] if t.mask is not None]
        else:
            for name, value in with_tensors.items():
                if f"{name}_mask" in params and bound.get(f"{name}_mask") is None:
                    masks += [t.mask for t in _flatten_tensors(value) or [] if t.mask is not None]
        node.mask_inputs = masks
        return first

    def output_masks(self, layer: Layer, args: Any, first: Any, result: Any) -> Any:
        """Keras's `compute_mask` for the layer's outputs, as the operations it adds to the graph."""
        spec = layer.spec
        if spec is None or not spec.supports_masking or args is None:
            return result
        outputs = result if isinstance(result, list) else [result]
        inputs = _flatten_tensors(first) or []
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
                mask = self.op_tensor("not_equal", [first], first.shape)
        elif rule == "masking" and single:
            shape = first.shape[:-1] if first.shape else None
            mask = self.op_tensor("any", [self.op_tensor("not_equal", [first], first.shape)], shape)
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
                    mask = self.op_tensor("logical_or", [mask, other], _broadcast_shapes(mask, other))
        elif rule == "concatenate":
            mask = self._concatenate_mask(args, inputs, previous)
        elif rule == "attention":
            if previous[0] is not None and not single:
                mask = self.op_tensor("convert_to_tensor", [previous[0]], previous[0].shape)
        if mask is not None:
            outputs[0].mask = mask
        return result

    def _concatenate_mask(self, args: Any, inputs: list[Tensor], previous: list[Any]) -> Tensor | None:
        if all(m is None for m in previous):
            return None
        masks: list[Tensor] = []
        for tensor, mask in zip(inputs, previous):
            if mask is None:
                masks.append(self.op_tensor("ones_like", [tensor], tensor.shape))
            elif mask.shape is None or tensor.shape is None:
                return None  # which operations Keras adds depends on the ranks
            elif len(mask.shape) < len(tensor.shape):
                expanded = self.op_tensor("expand_dims", [mask], (*mask.shape, 1))
                zeros = self.op_tensor("zeros_like", [tensor], tensor.shape)
                masks.append(self.op_tensor("logical_or", [expanded, zeros], _broadcast_shapes(expanded, zeros)))
            else:
                masks.append(mask)
        joined = self.op_tensor("concatenate", masks, None)
        return self.op_tensor("any", [joined], None)

    def build_custom_layer(self, layer: Layer, instance: Instance, shape_value: Any) -> Any:
        """Keras runs a custom layer's `build(input_shape)` once, on its first input; returns `build`."""
        build = instance.cls.method("build")
        if build is not None and not getattr(layer, "custom_built", False):
            layer.custom_built = True  # type: ignore[attr-defined]
            self.call_function(build, [instance, shape_value], {})
        return build

    def run_custom_layer(self, layer: Layer, positional: list[Any], keywords: dict[str, Any], shapes: Any) -> Applied:
        """A `keras.layers.Layer` subclass from the file, called on symbolic tensors, as Keras builds it.

        Keras runs `build(input_shape)` once, then gets the output from `compute_output_shape` when
        the class defines it, or else by running `call` on symbolic tensors; so do we. The weights
        are those `add_weight` made (in `__init__` or `build`) plus those of the layers held in its
        attributes; any of them unknown, and the count is unknown.
        """
        instance = layer.user_instance  # type: ignore[attr-defined]
        cls = instance.cls
        shape_value = _shape_value(shapes)
        saved_current, saved_statement = self.current, self.statement
        self.inside_custom_layer += 1
        try:
            build = self.build_custom_layer(layer, instance, shape_value)
            compute = cls.method("compute_output_shape")
            call = cls.method("call")
            output: Any = None
            # Without a `build` of its own, Keras builds the layers it holds by running `call`.
            if call is not None and (compute is None or build is None):
                output = _tensor_shapes(self.call_function(call, [instance, *positional], keywords))
            if compute is not None:
                output = _as_output_shape(self.call_function(compute, [instance, shape_value], {}))
        finally:
            self.current, self.statement = saved_current, saved_statement
            self.inside_custom_layer -= 1
        return Applied(output, self.custom_layer_params(instance))

    def symbolic_input(self, shape: Any, span: Span) -> Any:
        """A tensor (or list of tensors) of `shape` from nowhere, to run a layer's code on."""
        if isinstance(shape, list):
            return [self.symbolic_input(s, span) for s in shape]
        holder = Layer(type="InputLayer", written="", spec=None, args=None, name="", span=span)
        return Tensor(shape, holder, 0, Node(holder, [], is_input=True))

    def custom_layer_params(self, instance: Instance) -> int | None:
        weights = getattr(instance, "weights", None)
        if weights is None or any(not isinstance(w, int) for w in weights):
            return None
        total: int = sum(weights)
        for held in _held_layers(instance.attrs):
            sub = self.model_as_layer(held) if isinstance(held, Model) else held
            if sub.params is None and not hasattr(sub, "order") and sub.input_shape is None and not isinstance(held, Model):
                continue  # never called nor built (`self.project` used only when sizes differ): no weights yet
            if sub.params is None:
                return None
            total += sub.params
        return total

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
            fn, argument = declared, _shape_value([t.shape for t in tensors] if len(tensors) != 1 else tensors[0].shape)
        elif isinstance(fn, (LambdaFunction, Function)):
            argument = tensors[0] if len(tensors) == 1 else list(tensors)
        else:
            return applied
        saved_current, saved_statement = self.current, self.statement
        try:
            result = self.call_lambda(fn, [argument], {}) if isinstance(fn, LambdaFunction) else (
                self.call_function(fn, [argument], {}))
        finally:
            self.current, self.statement = saved_current, saved_statement
        if fn is declared:
            shape = _as_output_shape(result)
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
        explicit = keywords.get("name")
        model = Model("functional", span, explicit if isinstance(explicit, str) else self.auto_name(base),
                      node=node, statement=self.statement)
        out_tensors = _flatten_tensors(outputs)
        in_tensors = _flatten_tensors(inputs)
        if out_tensors is None or in_tensors is None:
            model.uncertain = True
            self.models.append(model)
            return model
        gaps: list[Node] = []
        found = keras_layer_order(in_tensors, out_tensors, gaps)
        model.layers = found
        model.outputs = out_tensors
        model.inputs = in_tensors
        model.depth = self.uncertain
        # outputs collected in a list under an undecided condition: Keras may build more or fewer of them
        unsure = self.is_unsure(inputs) or self.is_unsure(outputs)
        model.uncertain = unsure or any(not layer.certain for layer in found)
        model.incomplete = bool(gaps)
        self.models.append(model)
        return model


_KEYWORD_PREFIX = re.compile(r"^\s*\w+\s*=\s*")


def _set_trainable(obj: Layer | Model, value: bool | None, depth: int = 0) -> None:
    """`obj.trainable = value`, as Keras sets it: on a model, also on every layer it holds."""
    obj.trainable = value
    if depth > 50:
        return
    model = obj if isinstance(obj, Model) else obj.submodel
    if model is not None:
        if model is not obj:
            model.trainable = value
        for layer in model.layers:
            _set_trainable(layer, value, depth + 1)


def dotted_name(node: cst.CSTNode) -> str | None:
    """`layers.Conv2D` for a plain dotted name, without regenerating code; None for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute) and not node.lpar:
        owner = dotted_name(node.value)
        return None if owner is None else f"{owner}.{node.attr.value}"
    return None


_LOSS_ALIASES = {
    "mse": "mean_squared_error", "mae": "mean_absolute_error", "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error", "kld": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh", "huber_loss": "huber",
}


def loss_name(text: str) -> str:
    """`"CategoricalCrossentropy"`, `"categorical_crossentropy"` -> `"categorical_crossentropy"`."""
    name = snake_case(text) if any(c.isupper() for c in text) else text.lower()
    name = name.replace("cross_entropy", "crossentropy")
    return _LOSS_ALIASES.get(name, name)


def keras_layer_order(inputs: list[Tensor], outputs: list[Tensor], gaps: list[Node] | None = None) -> list[Layer]:
    """The layers of a functional model in the order of Keras's `model.layers`.

    Keras sorts operations by depth from the outputs (deepest first) and, within a depth, by the
    order a depth-first walk from the outputs first meets them (`ops/function.py: map_graph`).
    Nodes met whose input kerascheck could not follow go to `gaps`.
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
        if not node.is_input:
            for parent in (*node.inputs, *node.mask_inputs):
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
    return [layer for layer in ordered if not getattr(layer, "is_op", False)]


_OP_NAMES = {cst.Add: "add", cst.Subtract: "subtract", cst.Multiply: "multiply", cst.Divide: "divide",
             cst.FloorDivide: "floor_divide", cst.Power: "power", cst.MatrixMultiply: "matmul", cst.Modulo: "mod"}


def _broadcast_shapes(left: Any, right: Any) -> Shape | None:
    """NumPy broadcasting of two operands' shapes (a Python number is a scalar); None if unknown."""
    shapes = []
    for v in (left, right):
        if isinstance(v, Tensor):
            if v.shape is None:
                return None
            shapes.append(v.shape)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            shapes.append(())
        else:
            return None
    # None where they do not broadcast: Keras would raise; the merge rules report such faults on layers
    return broadcast_shapes(shapes[0], shapes[1])


_RANDOM_TENSORS = frozenset({"normal", "uniform", "truncated_normal"})
# The (start, stop, step) parameters of `keras.ops.arange` and `tf.range`, by function name.
_RANGE_PARAMS = {"arange": ("start", "stop", "step"), "range": ("start", "limit", "delta")}


def _range_length(names: tuple[str, str, str], positional: list[Any], keywords: dict[str, Any]) -> int | None:
    """How many numbers `arange`/`range` gives; one argument alone is the stop, as in Python's `range`."""
    start_name, stop_name, step_name = names
    bound = dict(zip(names, positional, strict=False)) | keywords
    if stop_name not in bound:
        bound = {start_name: 0, stop_name: bound.get(start_name)} | {k: v for k, v in bound.items() if k == step_name}
    start, stop, step = bound.get(start_name, 0), bound.get(stop_name), bound.get(step_name, 1)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, stop, step)) or not step:
        return None
    return max(0, -((start - stop) // step))  # type: ignore[no-any-return]


# Keras's classification datasets: `load_data()` gives integer class labels, this many classes.
_DATASET_CLASSES = {"mnist": 10, "fashion_mnist": 10, "cifar10": 10, "cifar100": 100, "reuters": 46}
# `keras.ops` (and `tf.math`) functions whose result has their input's shape.
_SAME_SHAPE_OPS = frozenset({
    "abs", "cast", "ceil", "clip", "cos", "elu", "erf", "exp", "floor", "gelu", "identity", "l2_normalize",
    "leaky_relu", "log", "log_softmax", "negative", "normalize", "reciprocal", "relu", "round", "rsqrt",
    "sigmoid", "sign", "silu", "sin", "softmax", "softplus", "sqrt", "square", "stop_gradient", "swish", "tanh",
    "zeros_like", "ones_like", "convert_to_tensor", "log1p", "expm1", "log2", "log10", "exp2", "sinh", "cosh",
    "arcsin", "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "tan", "hard_sigmoid", "hard_silu",
    "hard_swish", "relu6", "selu", "softsign", "celu", "log_sigmoid", "logical_not", "isnan",
    "isfinite", "isinf", "absolute", "trunc", "erfinv", "nan_to_num", "copy", "real", "imag", "conj",
    "conjugate", "sparse_plus", "squareplus", "tanh_shrink", "hard_tanh", "soft_shrink", "hard_shrink",
})
_BROADCAST_OPS = frozenset({"add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum", "power"})


def _op_shape(name: str, positional: list[Any], keywords: dict[str, Any]) -> Shape | None:
    """Shapes of the few `keras.ops` functions models commonly use; None for the rest."""
    try:
        x = positional[0] if positional else None
        if name in _BROADCAST_OPS and len(positional) == 2 and not keywords:
            return _broadcast_shapes(positional[0], positional[1])
        if name in _SAME_SHAPE_OPS and isinstance(x, Tensor) and len(positional) <= 3:
            return x.shape
        if name == "concatenate":
            xs = x if isinstance(x, (list, tuple)) else None
            axis = keywords.get("axis", positional[1] if len(positional) > 1 else 0)
            if not xs or not all(isinstance(t, Tensor) and t.shape is not None for t in xs) or not isinstance(axis, int):
                return None
            from kerascheck.layers import CATALOGUE

            spec = CATALOGUE["Concatenate"]
            out = spec.output_shape(bind(spec, [], {"axis": axis}), [t.shape for t in xs])
            return out if isinstance(out, tuple) else None
        if name == "stack":
            xs = x if isinstance(x, (list, tuple)) else None
            axis = keywords.get("axis", positional[1] if len(positional) > 1 else 0)
            if not xs or not all(isinstance(t, Tensor) and t.shape is not None for t in xs) or not isinstance(axis, int):
                return None
            shapes = {t.shape for t in xs}
            if len(shapes) != 1:
                return None  # Keras raises on different shapes (or None and a size: not followed)
            (base,) = shapes
            if not -len(base) - 1 <= axis <= len(base):
                return None
            at = axis % (len(base) + 1)
            return (*base[:at], len(xs), *base[at:])
        if name == "einsum" and isinstance(x, str) and not keywords:
            return _einsum_shape(x, positional[1:])
        if name == "reshape" and isinstance(x, Tensor):
            return _reshape_shape(x.shape, keywords.get("newshape", keywords.get(
                "new_shape", positional[1] if len(positional) > 1 else None)))
        if not isinstance(x, Tensor) or x.shape is None:
            return None
        shape = x.shape
        if name == "pad":
            return _pad_shape(shape, keywords.get("pad_width", positional[1] if len(positional) > 1 else None))
        if name in ("expand_dims", "squeeze"):
            axis = keywords.get("axis", positional[1] if len(positional) > 1 else None)
            if not isinstance(axis, int):
                return None
            if name == "expand_dims":
                at = axis if axis >= 0 else len(shape) + axis + 1
                return (*shape[:at], 1, *shape[at:])
            at = axis if axis >= 0 else len(shape) + axis
            return shape[:at] + shape[at + 1:] if shape[at] in (1, None) else None
        if name == "one_hot":
            classes = keywords.get("num_classes", positional[1] if len(positional) > 1 else None)
            axis = keywords.get("axis", positional[2] if len(positional) > 2 else -1)
            if not isinstance(classes, int) or isinstance(classes, bool) or classes < 0 or axis != -1:
                return None
            return (*shape, classes)
        if name == "transpose":
            return transposed_shape(shape, keywords.get("axes", positional[1] if len(positional) > 1 else None))
        if name in ("rgb_to_grayscale", "grayscale_to_rgb") and len(shape) in (3, 4):
            data_format = keywords.get("data_format", positional[1] if len(positional) > 1 else None)
            if data_format not in (None, "channels_last"):
                return None
            return (*shape[:-1], 1 if name == "rgb_to_grayscale" else 3)
        if name == "extract_patches":
            return _patches_shape(shape, positional[1:], keywords)
        if name == "take":
            indices = keywords.get("indices", positional[1] if len(positional) > 1 else None)
            axis = keywords.get("axis", positional[2] if len(positional) > 2 else None)
            index_shape_ = indices.shape if isinstance(indices, (Tensor, knp.NdArray)) else None
            if index_shape_ is None or not isinstance(axis, int) or isinstance(axis, bool) or not -len(shape) <= axis < len(shape):
                return None  # axis=None flattens: not followed
            axis %= len(shape)
            return (*shape[:axis], *index_shape_, *shape[axis + 1:])
        if name == "tile":
            return _tile_shape(shape, keywords.get("repeats", positional[1] if len(positional) > 1 else None))
        if name == "matmul" and len(positional) == 2 and isinstance(positional[1], Tensor) and positional[1].shape:
            return _matmul_shape(shape, positional[1].shape)
        if name == "depth_to_space":
            return _depth_to_space_shape(shape, keywords.get("block_size", positional[1] if len(positional) > 1 else None),
                                         keywords.get("data_format", positional[2] if len(positional) > 2 else "channels_last"))
        if name in ("mean", "sum", "max", "min"):
            axis = keywords.get("axis", positional[1] if len(positional) > 1 else None)
            return reduced_shape(shape, axis, keywords.get("keepdims", False) is True)
    except (IndexError, TypeError, ValueError, ZeroDivisionError):
        return None
    return None


def _constant_shape(name: str, positional: list[Any], keywords: dict[str, Any]) -> Shape | None:
    """The shape of `ops.eye(n, m)`, `ops.zeros(shape)`, `ops.ones(shape)`, `ops.full(shape, value)`."""
    def size(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0

    if name == "eye":
        n = keywords.get("N", positional[0] if positional else None)
        m = keywords.get("M", positional[1] if len(positional) > 1 else None)
        m = n if m is None else m
        return (n, m) if size(n) and size(m) else None
    shape = keywords.get("shape", positional[0] if positional else None)
    if size(shape):
        shape = (shape,)
    if isinstance(shape, (tuple, list)) and all(size(d) for d in shape):
        return tuple(shape)
    return None


def _patches_shape(shape: Shape, rest: list[Any], keywords: dict[str, Any]) -> Shape | None:
    """`ops.image.extract_patches(images, 6)`: a convolution's output grid with one patch's values as channels."""
    names = ("size", "strides", "dilation_rate", "padding", "data_format")
    given = dict(zip(names, rest))
    if len(rest) > len(names) or set(given) & set(keywords):
        return None
    given.update(keywords)
    size, strides = given.get("size"), given.get("strides")
    dilation, padding = given.get("dilation_rate", 1), given.get("padding", "valid")
    if isinstance(size, int) and not isinstance(size, bool):
        size = (size, size)
    strides = size if strides is None else (strides, strides) if isinstance(strides, int) else strides
    ok = all(isinstance(v, (tuple, list)) and len(v) == 2 and all(
        isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in v) for v in (size, strides))
    if not ok or dilation != 1 or padding not in ("valid", "same") or given.get("data_format") not in (
            None, "channels_last") or len(shape) not in (3, 4):
        return None  # 3-D patches, dilation, channels_first: not followed
    batch, (h, w, c) = shape[:-3], shape[-3:]
    if not all(d is None or isinstance(d, int) for d in (h, w, c)):
        return None
    out = [None if d is None else conv_output_length(d, k, st, padding) for d, k, st in zip((h, w), size, strides)]
    if any(isinstance(d, int) and d <= 0 for d in out):
        return None  # Keras raises
    return (*batch, *out, None if c is None else size[0] * size[1] * c)


def _split_shapes(shape: Shape | None, sections: Any, axis: Any) -> list[Shape] | None:
    """`ops.split(x, 2, axis=1)`: equal parts along the axis (Keras raises when they cannot be equal);
    with a list of cut points, the parts between them."""
    if shape is None or not isinstance(axis, int) or isinstance(axis, bool) or not -len(shape) <= axis < len(shape):
        return None
    axis %= len(shape)
    length = shape[axis]
    if isinstance(sections, int) and not isinstance(sections, bool):
        if sections <= 0 or sections > 4096 or length is not None and (not isinstance(length, int) or length % sections):
            return None
        sizes: list[Any] = [None if length is None else length // sections] * sections
    elif isinstance(sections, (list, tuple)) and all(isinstance(c, int) and not isinstance(c, bool) for c in sections):
        if not isinstance(length, int) or len(sections) > 4096:
            return None
        cuts = [0, *[min(max(c, 0), length) for c in sections], length]
        sizes = [max(b - a, 0) for a, b in zip(cuts, cuts[1:])]
    else:
        return None
    return [(*shape[:axis], size, *shape[axis + 1:]) for size in sizes]


def _einsum_shape(subscripts: str, operands: list[Any]) -> Shape | None:
    """`ops.einsum("be,bce->bc", a, b)` with an explicit output: each letter's size, in the output's order."""
    spec = subscripts.replace(" ", "")
    if "->" not in spec or "." in spec:
        return None  # implicit outputs and `...`: not followed
    ins, out = spec.split("->")
    terms = ins.split(",")
    if len(terms) != len(operands) or not all(isinstance(t, Tensor) and t.shape is not None for t in operands):
        return None
    sizes: dict[str, Any] = {}
    for term, tensor in zip(terms, operands):
        if len(term) != len(tensor.shape) or not term.isalpha():
            return None
        for letter, dim in zip(term, tensor.shape):
            if not (dim is None or isinstance(dim, int)):
                return None
            known = sizes.get(letter)
            if known is None or known == 1:
                sizes[letter] = dim if known is None or dim != 1 else known
            elif dim is not None and dim not in (known, 1):
                return None  # Keras raises
    if not out.isalpha() and out or any(letter not in sizes for letter in out) or len(set(out)) != len(out):
        return None
    return tuple(sizes[letter] for letter in out)


def _tile_shape(shape: Shape, repeats: Any) -> Shape | None:
    """`ops.tile(x, (batch, 1, 1, 1))`: each axis times its repeat count (the shorter one is padded with 1s)."""
    if isinstance(repeats, int) and not isinstance(repeats, bool):
        repeats = (repeats,)
    if not isinstance(repeats, (tuple, list)) or not all(
            r is None or isinstance(r, int) and not isinstance(r, bool) and r >= 0 for r in repeats):
        return None
    rank = max(len(shape), len(repeats))
    dims = (1,) * (rank - len(shape)) + tuple(shape)
    reps = (1,) * (rank - len(repeats)) + tuple(repeats)
    if not all(d is None or isinstance(d, int) for d in dims):
        return None
    return tuple(None if d is None or r is None else d * r for d, r in zip(dims, reps))


def _matmul_shape(a: Shape, b: Shape) -> Shape | None:
    """`ops.matmul(a, b)`: the batch axes broadcast, then (n, k) @ (k, m) is (n, m); vectors as NumPy reads them."""
    if not a or not b:
        return None
    left = (1, *a) if len(a) == 1 else a
    right = (*b, 1) if len(b) == 1 else b
    k1, k2 = left[-1], right[-2]
    if isinstance(k1, int) and isinstance(k2, int) and k1 != k2:
        return None  # Keras raises
    batch = broadcast_shapes(tuple(left[:-2]), tuple(right[:-2]))
    if batch is None:
        return None
    out = (*batch, left[-2], right[-1])
    if len(a) == 1:
        out = out[:-2] + out[-1:]
    if len(b) == 1:
        out = out[:-1]
    return out


def _depth_to_space_shape(shape: Shape, block: Any, data_format: Any) -> Shape | None:
    """`ops.depth_to_space(x, 3)`: each side grows by the block size, the channels shrink by its square."""
    if len(shape) != 4 or not isinstance(block, int) or isinstance(block, bool) or block < 1:
        return None
    if data_format not in ("channels_last", "channels_first"):
        return None
    b, h, w, c = shape if data_format == "channels_last" else (shape[0], shape[2], shape[3], shape[1])
    if not all(d is None or isinstance(d, int) for d in (h, w, c)):
        return None
    if c is not None and c % (block * block):
        return None  # Keras raises: the channels must divide by block_size**2
    c = None if c is None else c // (block * block)
    h, w = (None if d is None else d * block for d in (h, w))
    return (b, h, w, c) if data_format == "channels_last" else (b, c, h, w)


def _reshape_shape(shape: Shape | None, target: Any) -> Shape | None:
    """`ops.reshape(x, (batch, n, -1))`: the new shape; a None (or unknown) entry is the unknown batch."""
    if not isinstance(target, (tuple, list)) or not target:
        return None
    dims: list[Any] = [None if d is UNKNOWN else d for d in target]
    if not all(d is None or (isinstance(d, int) and not isinstance(d, bool) and d >= -1) for d in dims):
        return None
    if dims.count(-1) > 1 or any(d is None for d in dims[1:]):
        return None
    if -1 not in dims:
        return tuple(dims)
    if shape is not None and dims[0] == -1 and shape[0] is None and -1 not in dims[1:]:
        # `ops.reshape(x, (-1, h, w, 3, 3, c))`: the -1 takes the place of the batch, still unknown
        rest, target = shape[1:], dims[1:]
        if not all(isinstance(d, int) for d in rest) or 0 in target:
            return None
        return (None, *target) if math.prod(rest) % math.prod(target) == 0 else None  # type: ignore[arg-type]
    if shape is None or dims[0] is not None and shape[0] != dims[0]:
        return None
    # With the batch left unknown, the -1 is worked out from the other axes.
    batch, rest, target = (dims[:1], shape[1:], dims[1:]) if dims[0] is None else ([], shape, dims)
    if not all(isinstance(d, int) for d in rest):
        return None
    filled = reshape_dims(math.prod(rest), target)  # type: ignore[arg-type]
    return None if filled is None else (*batch, *filled)  # None: Keras raises, the sizes do not fit


def _pad_shape(shape: Shape, pad_width: Any) -> Shape | None:
    """`ops.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]])`: each axis grows by what is added before and after it."""
    if isinstance(pad_width, int) and not isinstance(pad_width, bool):
        pad_width = [[pad_width, pad_width]] * len(shape)
    if not isinstance(pad_width, (tuple, list)) or len(pad_width) != len(shape):
        return None
    out: list[Any] = []
    for d, pair in zip(shape, pad_width):
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2 and all(
                isinstance(p, int) and not isinstance(p, bool) and p >= 0 for p in pair)):
            return None
        out.append(d + pair[0] + pair[1] if isinstance(d, int) else None)
    return tuple(out)


def _contains(outer: Model, inner: Model, depth: int = 0) -> bool:
    """Whether `inner` is nested somewhere inside `outer`."""
    if depth > 50:
        return True
    return any(
        layer.submodel is inner or (layer.submodel is not None and _contains(layer.submodel, inner, depth + 1))
        for layer in outer.layers
    )


def _returns_sequences(args: Any) -> bool | None:
    """`return_sequences` of a recurrent layer (of the layer a Bidirectional wraps); None if unknown."""
    inner = args.get("layer") if args.spec.name == "Bidirectional" else None
    if isinstance(inner, Layer):
        args = inner.args
    if args is None or "return_sequences" not in args.spec.signature.names():
        return None
    value = args.get("return_sequences")
    return value if isinstance(value, bool) else None


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
        if getattr(layer, "is_op", False):
            stack.extend(reversed(layer.inbound))
        elif layer not in out:
            out.append(layer)
    return out


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


_TYPES: dict[str, type | tuple[type, ...]] = {
    "int": int, "float": float, "str": str, "bool": bool, "tuple": tuple, "list": list, "dict": dict,
    "set": (set, frozenset),
}


def _isinstance(positional: list[Any], keywords: dict[str, Any]) -> Any:
    """`isinstance(kernel_size, int)` on a known value and builtin types; otherwise unknown."""
    if len(positional) != 2 or keywords:
        return UNKNOWN
    value, kinds = positional
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    if not kinds or not all(isinstance(k, Builtin) and k.name in _TYPES for k in kinds):
        return UNKNOWN
    if is_plain(value) or isinstance(value, (list, tuple, dict, set, frozenset)):  # its type is known
        return isinstance(value, tuple(t for k in kinds for t in (
            _TYPES[k.name] if isinstance(_TYPES[k.name], tuple) else (_TYPES[k.name],))))  # type: ignore[union-attr]
    if isinstance(value, (Tensor, Layer, Model, knp.NdArray)):
        return False  # a tensor, layer, model or array is none of Python's builtin types
    return UNKNOWN


def _is_main_guard(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"` (either way round)."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    if not isinstance(test.comparisons[0].operator, cst.Equal):
        return False
    sides = [test.left, test.comparisons[0].comparator]
    names = [s for s in sides if isinstance(s, cst.Name) and s.value == "__name__"]
    strings = [s for s in sides if isinstance(s, cst.SimpleString) and s.value.strip("'\"") == "__main__"]
    return len(names) == 1 and len(strings) == 1


def _shape_value(shapes: Any) -> Any:
    """An input shape as a custom layer's `build` sees it: a tuple (or a list of them) of ints and None."""
    if isinstance(shapes, list):
        return [_shape_value(s) for s in shapes]
    if shapes is None:
        return UNKNOWN
    return tuple(d if isinstance(d, int) or d is None else UNKNOWN for d in shapes)


def _as_output_shape(value: Any) -> Shape | None:
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


def _bind_call(spec: LayerSpec | None, positional: list[Any], keywords: dict[str, Any]) -> Any:
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
    tensors = [t for n in ordered if n in spec.call_tensors for t in (_flatten_tensors(values[n]) or [])]
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


def _arg_expr(call: Any, index: int, keywords: tuple[str, ...]) -> Any:
    """The expression written for a call's argument, by position or keyword; None if absent."""
    if not isinstance(call, cst.Call):
        return None
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for a in call.args:
        if a.keyword is not None and a.keyword.value in keywords:
            return a.value
    return positional[index].value if index < len(positional) else None


def _fmt(shapes: Any) -> str:
    if isinstance(shapes, list):
        return "[" + ", ".join(format_shape(s) for s in shapes) + "]"
    return format_shape(shapes)


def _flatten_tensors(value: Any) -> list[Tensor] | None:
    if isinstance(value, Tensor):
        return [value]
    if isinstance(value, (list, tuple)):
        out: list[Tensor] = []
        for v in value:
            sub = _flatten_tensors(v)
            if sub is None:
                return None
            out.extend(sub)
        return out
    if isinstance(value, dict):
        # Keras flattens a dict of outputs in the order of its sorted keys.
        keys = list(value)
        if all(isinstance(k, str) for k in keys):
            keys = sorted(keys)
        return _flatten_tensors([value[k] for k in keys])
    return None


def walk_models(interp: Interpreter) -> Iterator[Model]:
    yield from interp.models
