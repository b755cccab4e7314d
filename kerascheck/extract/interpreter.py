"""A small abstract interpreter over LibCST: runs the file's statements in order on abstract values.

Known values are plain Python values; Keras objects are the IR's `Layer` and `Model` and the
values in `extract.values`; anything else is `UNKNOWN`, which never leads to a diagnostic.
Statements that run only under a condition kerascheck cannot decide mark what they touch as
uncertain, so the rules stay silent about it rather than guess.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any, cast

import libcst as cst

from kerascheck.diagnostics import Span
from kerascheck.extract import calls, pipelines, tables
from kerascheck.extract import names as knames
from kerascheck.extract import numpy_values as knp
from kerascheck.extract.applications import Applications
from kerascheck.extract.common import (
    MAX_CALL_DEPTH,
    MAX_LOOP_ITERATIONS,
    MAX_LOOP_WORK,
    MAX_STEPS,
    MISSING,
    Break,
    Budget,
    CallSite,
    Continue,
    Return,
    Scope,
    costly,
    dotted_name,
    flatten_tensors,
    is_main_guard,
    loop_body,
    operand_broadcast,
    truth,
    unfollowed,
)
from kerascheck.extract.keras_graph import KerasGraph
from kerascheck.extract.keras_objects import KerasObjects, set_trainable
from kerascheck.extract.keras_ops import OP_NAMES, KerasOps
from kerascheck.extract.positions import Positions
from kerascheck.extract.pylib import AUGMENTED, BUILTINS, COMPARE, ELEMENTWISE_COMPARE, PyLib
from kerascheck.extract.training import Training
from kerascheck.extract.user_classes import UserClasses
from kerascheck.extract.values import (
    MAX_SEQUENCE,
    BoundMethod,
    Builtin,
    Function,
    Instance,
    LambdaFunction,
    Module,
    Partial,
    Stream,
    SuperProxy,
    Tensor,
    is_key,
    is_plain,
)
from kerascheck.model import CallNote, Labels, Layer, Model
from kerascheck.shapes import (
    UNKNOWN,
    Window,
    index_shape,
)

_KEYWORD_PREFIX = re.compile(r"^\s*\w+\s*=\s*")
SUPER_SLOT = "<super>"  # a method's local: what `super()` means there (no Python name can clash with it)


def walk_models(interp: Interpreter) -> Iterator[Model]:
    yield from interp.models


class Interpreter:
    """The core: state, the step budget, scopes, statements, expressions, assignment, iteration,
    comprehensions, and calls of the file's own functions and lambdas.

    Everything else belongs to a world made here and holding this core (`self.ip`): `pylib` (Python's
    builtins and standard library), `objects` (Keras layers, Inputs, Sequential), `graph` (applying
    layers, functional models), `ops` (`keras.ops`/`tf.*` on tensors), `classes` (the file's classes)
    and `training` (compile, fit, datasets, labels). Calls, attributes and methods reach them through
    the tables of `extract.calls`: by the value's type, and a library function by its import path.
    """

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
        # The worlds the interpreter's calls reach: each models one kind of object.
        self.pylib = PyLib(self)
        self.objects = KerasObjects(self)
        self.graph = KerasGraph(self)
        self.ops = KerasOps(self)
        self.classes = UserClasses(self)
        self.training = Training(self)
        self.applications = Applications(self)
        self.saved_models: dict[str, Model] = {}  # file path -> the model the script saved there
        self.call_table = calls.module_table(self)
        self.call_by_type, self.attribute_by_type, self.method_by_type = calls.type_tables(self)

    # -- entry points ------------------------------------------------------------------------

    def run_unit(self, module: cst.Module, cell: int | None, text: str = "") -> None:
        self.positions = Positions(module, cell, text)
        try:
            self.exec_block(module.body, self.globals)
        except (Return, Break, Continue):
            pass
        except Budget:
            for model in self.models:
                model.uncertain = True

    def run_uncalled_functions(self) -> None:
        """Functions never called at module level may still build models: run each once, arguments unknown."""
        self.speculative = True  # what they do to the module's objects may never happen
        try:
            for fn in list(self.functions):
                if fn.called:
                    continue
                self.positions = fn.positions
                try:
                    self.call_function(fn, [], {}, unknown_params=True)
                except Budget:
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
            raise Budget()

    def auto_name(self, prefix: str) -> str:
        count = self.uids[prefix]
        self.uids[prefix] += 1
        return prefix if count == 0 else f"{prefix}_{count}"

    def clear_session(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> None:
        """`keras.backend.clear_session()` forgets Keras's global state: automatic names start again at `dense`."""
        self.uids.clear()

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
            fn.positions = self.positions
            self.functions.append(fn)
            self.assign_name(stmt.name.value, self.decorate(fn, stmt, scope), scope)
        elif isinstance(stmt, cst.ClassDef):
            self.classes.exec_class(stmt, scope)
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
            op = AUGMENTED.get(type(node.operator))
            result = self.binop(op, current, value) if op is not None else UNKNOWN
            self.assign(node.target, result, scope)
        elif isinstance(node, (cst.Import, cst.ImportFrom)):
            for name, value in knames.import_bindings(node, self.code):
                self.assign_name(name, value, scope)
        elif isinstance(node, cst.Return):
            raise Return(self.eval(node.value, scope) if node.value is not None else None)
        elif isinstance(node, cst.Break):
            raise Break()
        elif isinstance(node, cst.Continue):
            raise Continue()
        elif isinstance(node, cst.Raise):
            raise Return(UNKNOWN)
        # pass, del, global, nonlocal, assert: nothing to model

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
            guard = is_main_guard(node.test)
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
                except (Return, Break, Continue):
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
            merged[key] = first if same and first is not MISSING else self.either(values)
        scope.vars = merged

    def exec_for(self, node: cst.For, scope: Scope) -> None:
        iterable = self.eval(node.iter, scope)
        if isinstance(iterable, pipelines.Dataset):
            # the batches of a dataset: all of them when their number is known, the first when the
            # body ends in `break`; each iteration's batch has the dataset's element shapes
            ends = bool(node.body.body) and isinstance(node.body.body[-1], cst.SimpleStatementLine) and any(
                isinstance(s, cst.Break) for s in node.body.body[-1].body)
            items = pipelines.items(iterable, ends)
        else:
            items = self.iterate(iterable)

        def unknown_iterations() -> None:
            self.assign(node.target, iterable.element if isinstance(iterable, pipelines.Dataset) else UNKNOWN, scope)
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
        except Break:
            return "break"
        except Continue:
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
            walked = self.loop_bodies[id(body)] = loop_body(body, MAX_LOOP_WORK)
        size, calls_and_loops = walked
        if count * size > min(MAX_LOOP_WORK, (MAX_STEPS - self.steps) // 2):
            return False
        return not any(costly(item, scope) for item in calls_and_loops)

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
        except (Return, Break, Continue):
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
                and previous.name == name and self.uncertain <= self.main_guards):
            # `for member in members:` rebinds the name: the earlier model is no longer bound to it.
            previous.name = None
            previous.named_globally = False
            previous.name_dropped = True  # a comprehension's name will not do either
        if isinstance(value, Model):
            # The first module-level name wins over a builder function's local `model` (under
            # `if __name__ == "__main__":` too: that branch is the script's run).
            if scope is self.globals and self.uncertain <= self.main_guards and not value.named_globally:
                value.name = name
                value.named_globally = True
            elif value.name is None and not value.name_dropped:
                value.name = name
        scope.vars[name] = value

    def assign(self, target: cst.BaseExpression, value: Any, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            self.assign_name(target.value, value, scope)
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            starred = [i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)]
            seq = self.iterate(value)
            if seq is None and isinstance(value, Tensor) and value.shape is None and not starred:
                # `(tokens, _) = Block()(x)`: a call whose outputs are unknown gives that many of them
                seq = [Tensor(None, value.layer, i, value.node) for i in range(len(elements))]
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
            if isinstance(container, tables.Frame):
                key = self.eval(target.slice[0].slice.value, scope) if len(target.slice) == 1 and isinstance(
                    target.slice[0].slice, cst.Index) else UNKNOWN
                tables.frame_set_item(container, key)  # `df["ratio"] = ...`: a column added
                return
            if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
                key = self.eval(target.slice[0].slice.value, scope)
                if isinstance(container, dict) and is_key(key):
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
                set_trainable(obj, value if known else None)
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
        return self.pylib.formatted_string(node, scope)

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
        if name in BUILTINS:
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
                if not is_key(key):
                    return UNKNOWN
                out[key] = value
            else:
                value = self.eval(element.value, scope)
                if not isinstance(value, dict):
                    return UNKNOWN
                out.update(value)
        return out

    def binop(self, op_type: type | None, left: Any, right: Any) -> Any:
        """`left <op> right`: on tensors an operation of the graph, on arrays NumPy's broadcasting, else Python's."""
        if isinstance(left, Tensor) or isinstance(right, Tensor):
            return self.ops.binop(op_type, left, right)
        if isinstance(left, (tables.Frame, tables.Series)) or isinstance(right, (tables.Frame, tables.Series)):
            return tables.frame_arithmetic(left, right) if op_type in OP_NAMES else UNKNOWN
        arrays = (tables.DataArray, knp.NdArray)
        if op_type is cst.MatrixMultiply and (isinstance(left, arrays) or isinstance(right, arrays)):
            return tables.matmul(left, right)  # `images @ weights`: NumPy's matmul
        if isinstance(left, tables.DataArray) or isinstance(right, tables.DataArray):
            return tables.broadcast(left, right) if op_type in OP_NAMES else UNKNOWN
        if isinstance(left, knp.NdArray) or isinstance(right, knp.NdArray):
            return knp.broadcast(left, right) if op_type in OP_NAMES else UNKNOWN
        return self.pylib.binop(op_type, left, right)

    def eval_BinaryOperation(self, node: cst.BinaryOperation, scope: Scope) -> Any:
        return self.binop(type(node.operator), self.eval(node.left, scope), self.eval(node.right, scope))

    def eval_UnaryOperation(self, node: cst.UnaryOperation, scope: Scope) -> Any:
        value = self.eval(node.expression, scope)
        if isinstance(node.operator, cst.Not):
            t = truth(value)
            return UNKNOWN if t is None else not t
        if isinstance(value, (knp.NdArray, tables.DataArray, Tensor)):
            return self.unary_on_array(node.operator, value)
        if not isinstance(value, (int, float)) or isinstance(value, bool) and isinstance(node.operator, cst.BitInvert):
            return UNKNOWN
        if isinstance(node.operator, cst.Minus):
            return -value
        if isinstance(node.operator, cst.Plus):
            return +value
        if isinstance(node.operator, cst.BitInvert) and isinstance(value, int):
            return ~value
        return UNKNOWN

    def unary_on_array(self, operator: cst.BaseUnaryOp, value: Any) -> Any:
        """`-x`, `+x` on arrays and tensors keep their shape; `~mask` too, on a boolean array."""
        invert = isinstance(operator, cst.BitInvert)
        if isinstance(value, Tensor):
            if isinstance(operator, cst.Plus):
                return UNKNOWN  # a Keras tensor has no unary `+`: Python raises TypeError
            return self.ops.op_tensor("invert" if invert else "negative", [value], value.shape)
        if invert != value.boolean:
            return UNKNOWN  # `~` of integers flips their bits (not followed); NumPy refuses `-` of booleans
        if isinstance(value, tables.DataArray):
            return dataclasses.replace(value, items=None)
        if isinstance(operator, cst.Minus):
            return knp.NdArray(value.shape)
        return value if isinstance(operator, cst.Plus) else knp.NdArray(value.shape, boolean=True)

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
            if (isinstance(left, Tensor) or isinstance(right, Tensor)) and len(node.comparisons) == 1 and type(
                    target.operator) in ELEMENTWISE_COMPARE:
                # `restore >= n_keep` on a tensor: Keras's element-wise comparison, a mask of the broadcast shape
                return self.ops.op_tensor("comparison", [v for v in (left, right) if isinstance(v, Tensor)],
                                          operand_broadcast(left, right))
            # `y == 0` on class labels of known shape: a boolean array of that shape
            left, right = (knp.NdArray(v.shape) if isinstance(v, Labels) and v.shape is not None
                           and all(isinstance(d, int) for d in v.shape) else v for v in (left, right))
            arrays = [v for v in (left, right) if isinstance(v, (knp.NdArray, tables.DataArray))]
            if arrays:
                # `y == 1` on an array compares element by element, a mask of the broadcast shape (sizes
                # partly known where one side's are); a chain of such is not followed
                elementwise = len(node.comparisons) == 1 and type(target.operator) in ELEMENTWISE_COMPARE
                if not elementwise:
                    result = UNKNOWN
                elif any(isinstance(v, tables.DataArray) for v in arrays):
                    mask = tables.broadcast(left, right)
                    result = (dataclasses.replace(mask, boolean=True)
                              if isinstance(mask, (tables.DataArray, knp.NdArray)) else UNKNOWN)
                else:
                    result = knp.compare(left, right)
                left = right
                continue
            fn = COMPARE.get(type(target.operator))
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
        return a if a is b or (is_plain(a) and is_plain(b) and a == b) else self.either([a, b])

    def either(self, values: list[Any]) -> Any:
        """One of several values, as an undecided condition leaves it: of tensors, an operation on all of them
        (`out = Dense(1)(x) if n == 2 else Dense(n)(x)`), so that the layers before stay connected to those
        after, with the shape they share if they share one; anything else is unknown."""
        if not all(isinstance(v, Tensor) for v in values):
            return UNKNOWN
        shapes = {v.shape for v in values}
        return self.ops.op_tensor("either", values, shapes.pop() if len(shapes) == 1 else None)

    def eval_NamedExpr(self, node: cst.NamedExpr, scope: Scope) -> Any:
        value = self.eval(node.value, scope)
        self.assign(node.target, value, scope)
        return value

    def eval_Attribute(self, node: cst.Attribute, scope: Scope) -> Any:
        obj = self.eval(node.value, scope)
        return self.get_attribute(obj, node.attr.value)

    def get_attribute(self, obj: Any, attr: str) -> Any:
        """`obj.attr`, by the world that models the object's type."""
        handler = self.attribute_by_type.get(type(obj))
        return UNKNOWN if handler is None else handler(obj, attr)

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
        if isinstance(obj, Module) and obj.path == "numpy.c_":
            return self.column_join(node, scope)
        if isinstance(obj, Labels) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Slice):
            # `y_train[:-5000]`: fewer rows, the same classes and encoding
            shape = index_shape(obj.shape, [self.index_item(node.slice[0].slice, scope)]) if obj.shape else None
            return dataclasses.replace(obj, shape=shape)
        if isinstance(obj, Labels) and obj.shape and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            index = self.eval(node.slice[0].slice.value, scope)
            # `y[mask]`: the labels of some rows, which may not hold every class (so no longer Labels)
            if isinstance(index, knp.NdArray) and index.boolean:
                return tables.masked(obj.shape, index.shape)
            return UNKNOWN
        if isinstance(obj, Tensor):
            items = [self.index_item(element.slice, scope) for element in node.slice]
            shape = index_shape(obj.shape, items) if obj.shape is not None else None
            return self.ops.op_tensor("get_item", [obj], shape)
        if isinstance(obj, tables.FrameIndexer):
            return self.frame_rows(obj, node, scope)
        if isinstance(obj, tables.Frame):
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                return tables.frame_item(obj, self.eval(node.slice[0].slice.value, scope), self.is_unsure)
            return UNKNOWN
        if isinstance(obj, tables.SqueezedTable):
            if not self.two_axes_indexed(node):
                return UNKNOWN
            obj = tables.DataArray((None, None))  # `raw[:, 1:]` runs: the file is a table of rows and columns
        if isinstance(obj, tables.DataArray):
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                index = self.eval(node.slice[0].slice.value, scope)
                if isinstance(index, (knp.NdArray, tables.DataArray, tables.Series)):
                    return tables.data_gather(obj, index)
                return tables.data_item(obj, [self.index_item(node.slice[0].slice, scope, index)])
            gathered, items = self.subscript_items(obj, node, scope)
            if gathered is not MISSING:
                return gathered
            if len(items) == 1 and items[0] is UNKNOWN and self.unknown_row_slice(node) and obj.shape:
                return tables.DataArray((None, *obj.shape[1:]))  # `x[:split]`: some of its rows
            return self.data_slices(obj, node, items)
        if isinstance(obj, knp.NdArray):
            if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
                index = self.eval(node.slice[0].slice.value, scope)
                if isinstance(index, Labels) and index.shape and len(obj.shape) == 2:
                    # `np.eye(10)[y]`: class ids gather rows of the identity, one-hot labels
                    rows = (*index.shape, obj.shape[1])
                    if obj.identity and index.encoding == "integer" and index.classes <= obj.shape[0]:
                        return Labels(obj.shape[0], self.span(node), "one-hot", shape=rows)
                    return knp.NdArray(rows)
                if isinstance(index, knp.NdArray):
                    # `x[idx]` with an integer array gathers rows; a boolean mask selects an unknown number
                    if index.boolean:
                        return tables.masked(obj.shape, index.shape)
                    if not obj.shape:
                        return UNKNOWN
                    return knp.NdArray(index.shape + obj.shape[1:])
                if isinstance(index, tables.DataArray) and obj.shape:
                    return tables.data_gather(tables.DataArray(obj.shape), index)  # `np.eye(n)[ids]`
                items = [self.index_item(node.slice[0].slice, scope, index)]
            else:
                gathered, items = self.subscript_items(obj, node, scope)
                if gathered is not MISSING:
                    return gathered
            if len(items) == 1 and items[0] is UNKNOWN and self.unknown_row_slice(node) and obj.shape:
                return tables.DataArray((None, *obj.shape[1:]))  # `x[:split]` at a split not followed
            if len(items) == 1 and isinstance(items[0], int) and len(obj.shape) == 1 and obj.values is not None:
                return obj.values[items[0]] if -len(obj.values) <= items[0] < len(obj.values) else UNKNOWN
            shape = index_shape(obj.shape, items)
            return UNKNOWN if shape is None else knp.NdArray(cast("tuple[int, ...]", shape))
        if len(node.slice) != 1:
            return UNKNOWN
        element = node.slice[0].slice
        if self.is_unsure(obj):
            return UNKNOWN
        if isinstance(element, cst.Index):
            key = self.eval(element.value, scope)
            if isinstance(obj, dict) and is_key(key):
                try:
                    return obj[key] if key in obj else UNKNOWN
                except TypeError:  # `{}[[]]`: an unhashable key, which Python rejects
                    return UNKNOWN
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

    @staticmethod
    def data_slices(array: tables.DataArray, node: cst.Subscript, items: list[Any]) -> Any:
        """`signals[:, :usable, np.newaxis]`: basic indexing where a slice's bound is not known keeps its
        axis, of unknown size (an int index not known drops one, so only slices and new axes are followed)."""
        unsure = [isinstance(e.slice, cst.Slice) and item is UNKNOWN for e, item in zip(node.slice, items)]
        if not any(unsure):
            return tables.data_item(array, items)
        if not all(isinstance(item, (slice, Window)) or item is None or flag for item, flag in zip(items, unsure)):
            return UNKNOWN
        shape = index_shape(array.shape, [slice(None) if flag else item for item, flag in zip(items, unsure)])
        if shape is None:
            return UNKNOWN
        dims = list(shape)
        for out, flag in enumerate(unsure):  # a slice or a new axis: one axis out each
            if flag:
                dims[out] = None
        return tables.array_of(tables.known_sizes(tuple(dims)))

    @staticmethod
    def two_axes_indexed(node: cst.Subscript) -> bool:
        """`raw[:, 0]`, `raw[:, 1:]`: two indices, each a slice or a number (not `...` nor a new axis), which
        NumPy refuses on an array of one axis."""
        def indexes_an_axis(element: cst.SubscriptElement) -> bool:
            if not isinstance(element.slice, cst.Index):
                return isinstance(element.slice, cst.Slice)
            value = element.slice.value
            return isinstance(value, (cst.Integer, cst.UnaryOperation)) or isinstance(
                value, cst.Name) and value.value not in ("None", "Ellipsis")
        return len(node.slice) == 2 and all(indexes_an_axis(e) for e in node.slice)

    @staticmethod
    def unknown_row_slice(node: cst.Subscript) -> bool:
        """`x[:split]`, `x[n_train:]`: a slice of the rows (its bounds are evaluated by the caller)."""
        return len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Slice) and node.slice[0].slice.step is None

    def subscript_items(self, array: Any, node: cst.Subscript, scope: Scope) -> tuple[Any, list[Any]]:
        """The indices of a subscript of several elements, each evaluated once, and what
        `images[:, rows]` or `x[:, :, idx]` gives: one integer array among slices (NumPy's advanced
        indexing) puts its own shape in place of the axis it indexes; MISSING when no index is an array."""
        at, index, items = None, None, []
        for position, element in enumerate(node.slice):
            if isinstance(element.slice, cst.Index) and not isinstance(element.slice.value, cst.Ellipsis):
                value = self.eval(element.slice.value, scope)
                if isinstance(value, (knp.NdArray, tables.DataArray)) and at is None:
                    at, index = position, value
                    items.append(slice(None))
                    continue
                items.append(self.index_item(element.slice, scope, value))
            else:
                items.append(self.index_item(element.slice, scope))
        if at is None or index is None:
            return MISSING, items
        if getattr(index, "boolean", False) or not all(isinstance(item, (slice, Window)) for item in items) or len(
                items) > len(array.shape):
            return UNKNOWN, items  # a mask, or ints, `...` or new axes beside the array: not followed
        shape = index_shape(array.shape, items)
        if shape is None:
            return UNKNOWN, items
        return tables.array_of(tables.known_sizes((*shape[:at], *index.shape, *shape[at + 1:]))), items

    def frame_rows(self, indexer: tables.FrameIndexer, node: cst.Subscript, scope: Scope) -> Any:
        """`df.iloc[...]` / `df.loc[...]`: rows (and columns) of a frame."""
        def part(element: cst.SubscriptElement) -> Any:
            if not isinstance(element.slice, cst.Index):
                item = self.index_item(element.slice, scope)
                return item if isinstance(item, slice) else UNKNOWN
            value = self.eval(element.slice.value, scope)
            return list(value) if isinstance(value, tuple) else value

        if len(node.slice) not in (1, 2):
            return UNKNOWN
        parts = [part(element) for element in node.slice]
        return tables.indexed_rows(indexer, *parts)

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
        size = self.window_size(element, scope)
        return UNKNOWN if size is None else Window(size)

    def window_size(self, element: cst.Slice, scope: Scope) -> int | None:
        """`x[i:i + width]`, `x[s * stride:s * stride + width]`, `x[t - lag:t]`: a slice whose bounds differ by a
        known size (a name, number or attribute, read without side effects), the same expression on both sides."""
        if element.step is not None or element.lower is None or element.upper is None:
            return None
        for far, near in ((element.upper, element.lower), (element.lower, element.upper)):
            if not isinstance(far, cst.BinaryOperation):
                continue
            if far is element.upper and isinstance(far.operator, cst.Add):
                sides = [(far.left, far.right), (far.right, far.left)]
            elif far is element.lower and isinstance(far.operator, cst.Subtract):
                sides = [(far.left, far.right)]
            else:
                continue
            for same, width in sides:
                if same.with_changes(lpar=[], rpar=[]).deep_equals(near.with_changes(lpar=[], rpar=[])) and isinstance(
                        width, (cst.Name, cst.Integer, cst.Attribute)):
                    size = self.eval(width, scope)
                    if isinstance(size, int) and not isinstance(size, bool) and size >= 0:
                        return size
        return None

    def comprehension(self, node: Any, scope: Scope, make: Callable[[Scope], None], outer: Any = MISSING) -> bool:
        """Run a comprehension's loops in a child scope; False when an iterable is unknown. `outer`: the
        outermost iterable's value, when the caller has evaluated it."""
        inner = Scope(scope)

        def loop(clause: Any) -> bool:
            if clause is None:
                make(inner)
                return True
            iterable = outer if clause is node.for_in and outer is not MISSING else self.eval(clause.iter, inner)
            items = self.iterate(iterable)
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
        outer = self.eval(node.for_in.iter, scope)  # evaluated once: it may call code that builds layers
        ok = self.comprehension(node, scope, lambda s: out.append(self.eval(node.elt, s)), outer)
        return out if ok else self.repeated_arrays(node, scope, outer)

    def repeated_arrays(self, node: cst.ListComp, scope: Scope, outer: Any) -> Any:
        """`[make_scene() for _ in range(240)]` too long to follow: the same expression, which does not
        use the loop's target, evaluated once; where it gives arrays of fully known shapes (a random
        size would be unknown), every element has those shapes. Over an iterable of unknown length
        (`[x[s:s + width] for s in starts]`), the element is evaluated once, its target unknown, as a
        `for` loop's body is: a list of unsure length holding that element. Anything else is unknown."""
        clause = node.for_in
        if clause.inner_for_in is not None or not isinstance(clause.target, cst.Name):
            return UNKNOWN
        items = self.iterate(outer)
        target = clause.target.value
        if items is None and self.over_data(clause.iter, outer):
            element = self.element_once(node, scope, target, UNKNOWN)
            if element is MISSING:
                return UNKNOWN
            out = [element]
            self.unsure[id(out)] = out
            return out
        if not items or clause.ifs or any(isinstance(n, cst.Name) and n.value == target for n in _walk(node.elt)):
            return UNKNOWN
        shaped = _shapes_only(self.element_once(node, scope, target, items[0]))
        return UNKNOWN if shaped is None else [shaped] * len(items)

    def element_once(self, node: cst.ListComp, scope: Scope, target: str, item: Any) -> Any:
        """A comprehension's element, evaluated once with its target bound to `item`, uncertainly (what it
        changes elsewhere becomes unsure); MISSING when it leaves by `return`, `break` or `continue`."""
        inner = Scope(scope)
        inner.vars[target] = item
        self.uncertain += 1
        try:
            return self.eval(node.elt, inner)
        except (Return, Break, Continue):
            return MISSING
        finally:
            self.uncertain -= 1

    @staticmethod
    def over_data(iterable: cst.BaseExpression, value: Any) -> bool:
        """Whether a loop goes over the data, a number of times only the data tells: an array, a frame or a
        series, `range(...)`, `np.arange(...)` or a frame's `.columns` / `.index` (what windowing and
        column-picking comprehensions go over). Other unknown iterables (a dict's keys, a model's layers)
        are left alone."""
        if isinstance(value, (tables.DataArray, tables.Series, tables.Frame)):
            return True
        if isinstance(iterable, cst.Call):
            func = iterable.func
            return isinstance(func, cst.Name) and func.value == "range" or isinstance(
                func, cst.Attribute) and func.attr.value == "arange"
        return isinstance(iterable, cst.Attribute) and iterable.attr.value in ("columns", "index")

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
            if not is_key(key):
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
        if (isinstance(value, Tensor) and value.shape and isinstance(value.shape[0], int)
                and value.shape[0] <= MAX_LOOP_ITERATIONS  # each row is an operation of the graph: a few only
                and value.node is not None and not value.node.inputs and value.layer.is_op):
            # `[r for r in tf.linspace(0.0, 0.1, 12)]`: a constant tensor (made of numbers, not of an Input, which
            # Keras does not let a loop run over) gives its rows, each of the shape after the first axis
            return [self.ops.op_tensor("get_item", [value], value.shape[1:]) for _ in range(value.shape[0])]
        return None

    # -- calls -------------------------------------------------------------------------------

    def eval_Call(self, node: cst.Call, scope: Scope) -> Any:
        if isinstance(node.func, cst.Name) and node.func.value == "super" and not node.args:
            proxy = scope.lookup(SUPER_SLOT)  # `super()` in a method: its class's bases, for its `self`
            if proxy is not MISSING and scope.lookup("super") is MISSING:
                return proxy
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
        """`func(...)`, by the world that models the callee's type (a library function by its import path)."""
        handler = self.call_by_type.get(type(func))
        if handler is None:
            tensors = [t for a in [*positional, *keywords.values()] for t in (flatten_tensors(a) or [])]
            if tensors:
                # A function kerascheck cannot follow, applied to tensors: a node of unknown output, so the
                # layers before it stay connected to those after it.
                return self.ops.op_tensor("call", tensors, None)
            return unfollowed(positional, keywords)
        return handler(func, positional, keywords, CallSite(node, sites, opaque, scope))

    def column_join(self, node: cst.Subscript, scope: Scope) -> Any:
        """`np.c_[load, temperature]`: arrays of one or two axes side by side, as `np.column_stack` puts
        them (slices and scalars, which `np.c_` also takes, are not followed)."""
        if not all(isinstance(element.slice, cst.Index) for element in node.slice):
            return UNKNOWN
        arrays = [self.eval(cast("cst.Index", element.slice).value, scope) for element in node.slice]
        shapes = [tables.as_shape(a) if isinstance(a, (knp.NdArray, tables.DataArray)) else None for a in arrays]
        if not arrays or any(shape is None or len(shape) not in (1, 2) for shape in shapes):
            return UNKNOWN
        return calls.call_module(self, "numpy.column_stack", [tuple(arrays)], {}, CallSite(None, None, False, scope))

    def call_module(self, func: Module, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return calls.call_module(self, func.path, positional, keywords, site)

    def call_bound(self, func: BoundMethod, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return self.call_method(func, positional, keywords, site.node)

    def call_file_function(self, func: Function, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return self.call_function(func, positional, keywords, opaque=site.opaque)

    def call_lambda_at(self, func: LambdaFunction, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return UNKNOWN if site.opaque else self.call_lambda(func, positional, keywords)

    def call_partial(self, func: Partial, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return self.call(func.func, func.positional + positional, {**func.keywords, **keywords}, site.node,
                         None if func.positional else site.args, site.opaque, site.scope)

    def call_builtin(self, func: Builtin, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return self.pylib.call_builtin(func.name, positional, keywords, site.opaque)

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
        self.positions = fn.positions
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
            if fn.owner is not None and fn.decorated is None and positional and not unknown_params:
                local.vars[SUPER_SLOT] = SuperProxy(fn.owner, positional[0])
            self.depth += 1
            try:
                body = node.body.body if isinstance(node.body, cst.IndentedBlock) else node.body.body
                self.exec_block(body, local)
            except Return as r:
                return r.value
            except (Break, Continue):
                return UNKNOWN
            finally:
                self.depth -= 1
            return None
        finally:
            self.positions, self.current, self.statement = saved_positions, saved_current, saved_statement

    def call_method(self, method: BoundMethod, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
        """`obj.name(...)`: a method of the file's classes, or one the world of the object's type models."""
        obj, name = method.obj, method.name
        if isinstance(name, Function):
            return self.call_function(name, [obj, *positional], keywords)
        handler = self.method_by_type.get(type(obj))
        return UNKNOWN if handler is None else handler(obj, name, positional, keywords, node)



def _walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    yield node
    for child in node.children:
        yield from _walk(child)


def _shapes_only(value: Any) -> Any:
    """An array (or tuple of arrays) of fully known shape, as its shape alone; None for anything else."""
    if isinstance(value, knp.NdArray):
        return knp.NdArray(value.shape)
    if isinstance(value, tuple) and value and len(value) <= 8:
        parts = [_shapes_only(v) for v in value]
        return None if any(p is None for p in parts) else tuple(parts)
    return None
