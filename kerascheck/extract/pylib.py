"""The Python world: builtins, str/list/dict methods, argparse, json, csv, re, math."""

from __future__ import annotations

import builtins
import itertools
import math
import operator
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import libcst as cst

from kerascheck.extract import numpy_values as knp
from kerascheck.extract import pipelines, tables, text_values
from kerascheck.extract.common import DECLINED, MAX_LOOP_ITERATIONS, CallSite, Scope
from kerascheck.extract.values import (
    MAX_SEQUENCE,
    ArgParser,
    BoundMethod,
    Builtin,
    Instance,
    LayerClass,
    Partial,
    Stream,
    Tensor,
    TextBuffer,
    UserClass,
    is_key,
    is_plain,
    size_ok,
)
from kerascheck.layers.spec import CATALOGUE, KERAS_SUBCLASS_OF, LayerSpec
from kerascheck.model import Labels, Layer, Model
from kerascheck.shapes import (
    UNKNOWN,
)

if TYPE_CHECKING:
    from kerascheck.extract.interpreter import Interpreter


# The builtins a name falls back to when the file does not bind it.
BUILTINS = {
    "len", "range", "int", "float", "str", "bool", "tuple", "list", "dict", "min", "max", "abs",
    "sum", "round", "zip", "enumerate", "reversed", "sorted", "print", "isinstance", "set", "partial",
    "getattr", "next", "map", "iter",
}
# Python's operators on plain values.
BINOPS: dict[type, Callable[[Any, Any], Any]] = {
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
ELEMENTWISE_COMPARE = (cst.Equal, cst.NotEqual, cst.LessThan, cst.LessThanEqual, cst.GreaterThan, cst.GreaterThanEqual)
COMPARE: dict[type, Callable[[Any, Any], Any]] = {
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
# `x += 1` is `x = x + 1`, for the values kerascheck follows.
AUGMENTED = {
    cst.AddAssign: cst.Add, cst.SubtractAssign: cst.Subtract, cst.MultiplyAssign: cst.Multiply,
    cst.DivideAssign: cst.Divide, cst.FloorDivideAssign: cst.FloorDivide, cst.ModuloAssign: cst.Modulo,
    cst.PowerAssign: cst.Power, cst.BitOrAssign: cst.BitOr, cst.BitAndAssign: cst.BitAnd,
    cst.BitXorAssign: cst.BitXor, cst.MatrixMultiplyAssign: cst.MatrixMultiply,
}
_STR_METHODS = {"format", "lower", "upper", "strip", "lstrip", "rstrip", "replace", "join", "split", "startswith",
                "endswith", "title", "capitalize", "splitlines", "rsplit", "partition", "count", "find", "isdigit",
                "isalpha"}
_TYPES: dict[str, type | tuple[type, ...]] = {
    "int": int, "float": float, "str": str, "bool": bool, "tuple": tuple, "list": list, "dict": dict,
    "set": (set, frozenset),
}


def _layer_isinstance(value: Any, kinds: tuple[LayerClass, ...]) -> Any:
    """`isinstance(layer, layers.AlphaDropout)` for a layer of the catalogue: its class or one Keras derives
    from it. A layer of the file's own classes, or anything else, is not told."""
    if not isinstance(value, Layer) or not isinstance(value.spec, LayerSpec) or CATALOGUE.get(value.type) is not value.spec:
        return UNKNOWN
    name = value.spec.name
    return any(k.spec.name == name or k.spec.name in KERAS_SUBCLASS_OF.get(name, ()) for k in kinds)


def builtin_isinstance(positional: list[Any], keywords: dict[str, Any]) -> Any:
    """`isinstance(kernel_size, int)` on a known value and builtin types; otherwise unknown."""
    if len(positional) != 2 or keywords:
        return UNKNOWN
    value, kinds = positional
    kinds = kinds if isinstance(kinds, tuple) else (kinds,)
    if kinds and all(isinstance(k, LayerClass) for k in kinds):
        return _layer_isinstance(value, kinds)
    if not kinds or not all(isinstance(k, Builtin) and k.name in _TYPES for k in kinds):
        return UNKNOWN
    if is_plain(value) or isinstance(value, (list, tuple, dict, set, frozenset)):  # its type is known
        return isinstance(value, tuple(t for k in kinds for t in (
            _TYPES[k.name] if isinstance(_TYPES[k.name], tuple) else (_TYPES[k.name],))))  # type: ignore[union-attr]
    if isinstance(value, (Tensor, Layer, Model, knp.NdArray)):
        return False  # a tensor, layer, model or array is none of Python's builtin types
    return UNKNOWN


class PyLib:
    """The Python world: builtins, str/list/dict methods, argparse, json, csv, re, math."""

    def __init__(self, ip: Interpreter) -> None:
        self.ip = ip

    def argparse_method(self, parser: ArgParser, name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
        """`parser.add_argument("--batch-size", type=int, default=16)` and `parser.parse_args([])`: with
        an empty argument list (as notebooks write it) every option takes its default. `parse_args()`
        reads the command line: kerascheck describes the run `python train.py` makes, where every option
        takes its default too, and an option the command line must give stays unknown."""
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
                needed = keywords.get("nargs") not in ("?", "*")
                dest = flags[0]
            else:
                needed = keywords.get("required") is True
                dest = (longs[0] if longs else flags[0]).lstrip("-").replace("-", "_")
            dest = keywords.get("dest", dest)
            action = keywords.get("action", "store")
            if needed:
                parser.required = True
                parser.required_dests.add(dest if isinstance(dest, str) else "")
            if "default" in keywords:
                default = keywords["default"]
            else:
                default = {"store_true": False, "store_false": True}.get(action) if isinstance(action, str) else UNKNOWN
            convert = keywords.get("type")
            if isinstance(default, str) and convert is not None:
                # argparse runs a string default through `type`
                default = self.ip.call(convert, [default], {}) if isinstance(convert, Builtin) else UNKNOWN
            if not isinstance(dest, str) or not is_plain(default):
                default = UNKNOWN
            parser.defaults[dest] = default
            return None
        if name in ("parse_args", "parse_known_args"):
            given = keywords.get("args", positional[0] if positional else None)
            if given not in ([], None) or given == [] and parser.required or parser.opaque:
                return UNKNOWN  # arguments kerascheck does not know, argparse exits, or options it could not read
            namespace = Instance(UserClass("Namespace", "plain"))
            namespace.attrs.update(parser.defaults)
            for dest in parser.required_dests:  # `python train.py data.csv`: given on the command line
                namespace.attrs[dest] = UNKNOWN
            return namespace if name == "parse_args" else (namespace, [])
        return UNKNOWN

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
            return builtin_isinstance(positional, keywords)
        if name in ("itertools.product", "itertools.chain") and set(keywords) <= ({"repeat"} if name.endswith("product") else set()):
            seqs = [self.ip.iterate(p) for p in positional]
            repeat = keywords.get("repeat", 1)
            if any(seq is None for seq in seqs) or not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 0:
                return UNKNOWN
            if name.endswith("chain"):
                joined = [item for seq in seqs for item in seq]  # type: ignore[union-attr]
                return joined if len(joined) <= MAX_SEQUENCE else UNKNOWN
            sizes: list[int] = [len(seq) for seq in seqs]  # type: ignore[arg-type]
            count = math.prod(sizes) ** repeat
            return list(itertools.product(*seqs, repeat=repeat)) if count <= MAX_SEQUENCE else UNKNOWN  # type: ignore[arg-type]
        if name == "map" and len(positional) >= 2 and not keywords:
            seqs = [self.ip.iterate(p) for p in positional[1:]]
            if any(seq is None for seq in seqs) or min(len(seq) for seq in seqs) > MAX_LOOP_ITERATIONS:  # type: ignore[arg-type]
                return UNKNOWN
            return [self.ip.call(positional[0], list(args), {}) for args in zip(*seqs)]
        if name == "iter" and len(positional) == 1 and not keywords:
            value = positional[0]
            if isinstance(value, pipelines.Dataset):
                return Stream([value.element]) if value.element is not UNKNOWN else UNKNOWN  # its first batch
            items = self.ip.iterate(value)
            return Stream(list(items)) if items is not None else UNKNOWN
        if name == "next" and len(positional) in (1, 2) and not keywords:
            stream = positional[0]
            if not isinstance(stream, Stream) or self.ip.uncertain:
                return UNKNOWN
            if stream.position < len(stream.items):
                stream.position += 1
                return stream.items[stream.position - 1]
            return positional[1] if len(positional) == 2 else UNKNOWN  # StopIteration
        if name == "reduce" and len(positional) in (2, 3) and not keywords:
            # `functools.reduce(lambda acc, layer: layer(acc), stack, inputs)`
            items = self.ip.iterate(positional[1])
            if items is None or len(items) > MAX_LOOP_ITERATIONS or (len(positional) == 2 and not items):
                return UNKNOWN
            acc, rest = (positional[2], items) if len(positional) == 3 else (items[0], items[1:])
            for item in rest:
                acc = self.ip.call(positional[0], [acc, item], {})
            return acc
        if name == "getattr" and len(positional) in (2, 3) and not keywords and isinstance(positional[1], str):
            # `getattr(layers, spec["type"])`: the attribute, when kerascheck knows it (a default is
            # no help: an attribute it does not know may still exist)
            if not positional[1].isidentifier():
                return UNKNOWN
            return self.ip.get_attribute(positional[0], positional[1])
        if name in ("tuple", "list") and len(positional) <= 1 and not keywords:
            if not positional:
                return () if name == "tuple" else []
            seq = self.ip.iterate(positional[0])
            if seq is None:
                return UNKNOWN
            return tuple(seq) if name == "tuple" else seq
        if name == "len" and len(positional) == 1:
            value = positional[0]
            if self.ip.is_unsure(value):
                return UNKNOWN
            if isinstance(value, (tuple, list, str, dict, range, set, frozenset)):
                return len(value)
            if isinstance(value, knp.NdArray) and value.shape:
                return value.shape[0]
            if isinstance(value, Labels) and value.shape and isinstance(value.shape[0], int):
                return value.shape[0]
            shape = tables.as_shape(value)
            if shape and isinstance(shape[0], int):
                return shape[0]
            return UNKNOWN
        if name == "enumerate" and 1 <= len(positional) <= 2 and set(keywords) <= {"start"}:
            start = keywords.get("start", positional[1] if len(positional) > 1 else 0)
            seq = self.ip.iterate(positional[0])
            if seq is None or not isinstance(start, int) or isinstance(start, bool):
                return UNKNOWN
            return list(enumerate(seq, start))
        if name == "sorted" and len(positional) == 1 and set(keywords) <= {"reverse"}:
            seq = self.ip.iterate(positional[0])
            reverse = keywords.get("reverse", False)
            if seq is None or not isinstance(reverse, bool) or not all(is_plain(v) for v in seq):
                return UNKNOWN
            try:
                return sorted(seq, reverse=reverse)
            except TypeError:
                return UNKNOWN
        if name in ("zip", "reversed") and (not keywords or name == "zip" and set(keywords) <= {"strict"}):
            seqs = [self.ip.iterate(p) for p in positional]
            if any(s is None for s in seqs) or not seqs:
                return UNKNOWN
            if name == "zip":
                if keywords.get("strict") is True and len({len(s) for s in seqs}) > 1:  # type: ignore[arg-type]
                    return UNKNOWN  # Python raises
                return list(zip(*seqs))
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

    # -- module-path calls (registered in extract.calls) ---------------------------------------

    def json_loads(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if len(positional) != 1 or keywords:
            return DECLINED
        return text_values.json_value(positional[0])

    def path_join(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        """`os.path.join("runs", "model.keras")` of written strings: the path (the save and the load of a model
        spell it the same way)."""
        if not positional or keywords or not all(isinstance(p, str) for p in positional):
            return DECLINED
        import posixpath

        return posixpath.join(*positional)

    def literal_eval(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if len(positional) != 1 or keywords:
            return DECLINED
        return text_values.literal_value(positional[0])

    def argument_parser(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return ArgParser()

    def string_io(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        if len(positional) != 1 or not isinstance(positional[0], str) or keywords:
            return DECLINED
        return TextBuffer(positional[0])

    def regex(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return DECLINED if site.opaque else text_values.regex(path[3:], positional, keywords)

    def csv_reader(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return text_values.csv_rows(positional[0], keywords) if len(positional) == 1 else DECLINED

    def math_call(self, path: str, positional: list[Any], keywords: dict[str, Any], site: CallSite) -> Any:
        return UNKNOWN if site.opaque else knp.math_call(path[len("math."):], positional, keywords)

    # -- attributes and methods of str, list, dict and argparse parsers ------------------------

    def set_attribute(self, obj: set[Any], attr: str) -> Any:
        return BoundMethod(obj, attr) if attr in ("add", "update", "discard", "remove") else UNKNOWN

    def set_method(self, obj: set[Any], name: str, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
        """`chars.add(c)`: followed in known loops; in a loop over data kerascheck cannot read, the set's
        size is unknown."""
        self.ip.touch(obj)
        items = [positional[0]] if name in ("add", "discard", "remove") and len(positional) == 1 else (
            self.ip.iterate(positional[0]) if name == "update" and len(positional) == 1 else None)
        if items is None or keywords or not all(is_key(v) for v in items):
            self.ip.unsure[id(obj)] = obj
        elif name in ("add", "update"):
            obj.update(items)
        else:
            obj.difference_update(items)
        return None

    def list_attribute(self, obj: list[Any], attr: str) -> Any:
        return BoundMethod(obj, attr) if attr in ("append", "extend", "insert", "pop") else UNKNOWN

    def dict_attribute(self, obj: dict[Any, Any], attr: str) -> Any:
        if attr in ("get", "keys", "values", "items", "pop", "setdefault", "update", "copy"):
            return BoundMethod(obj, attr)
        return UNKNOWN

    def str_attribute(self, obj: str, attr: str) -> Any:
        return BoundMethod(obj, attr) if attr in _STR_METHODS else UNKNOWN

    def parser_attribute(self, obj: ArgParser, attr: str) -> Any:
        if attr in ("add_argument", "parse_args", "parse_known_args", "set_defaults", "add_argument_group",
                    "add_mutually_exclusive_group"):
            return BoundMethod(obj, attr)
        return UNKNOWN

    def parser_method(self, obj: ArgParser, name: str, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
        return self.argparse_method(obj, name, positional, keywords)

    def list_method(self, obj: list[Any], name: str, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
        self.ip.touch(obj)
        if name == "append" and len(positional) == 1:
            if self.ip.uncertain:
                self.ip.objects.mark_uncertain(obj)
            obj.append(positional[0])
        elif name == "extend" and len(positional) == 1:
            seq = self.ip.iterate(positional[0])
            if seq is not None:
                obj.extend(seq)
        elif name == "insert" and len(positional) == 2 and isinstance(positional[0], int):
            obj.insert(positional[0], positional[1])
        elif name == "pop" and obj:
            return obj.pop() if not positional and not self.ip.is_unsure(obj) else UNKNOWN
        return None

    def dict_method(self, obj: dict[Any, Any], name: str, positional: list[Any], keywords: dict[str, Any],
                    node: Any) -> Any:
        key = positional[0] if positional else None
        if self.ip.is_unsure(obj):
            self.ip.touch(obj)
            return UNKNOWN  # changed under an undecided condition: neither read nor changed further
        if name == "get" and is_key(key):
            return obj.get(key, positional[1] if len(positional) > 1 else None)
        if name in ("keys", "values", "items") and not positional:
            return list(getattr(obj, name)())
        if name == "copy" and not positional:
            return dict(obj)
        if self.ip.uncertain:
            self.ip.touch(obj)
            return UNKNOWN  # a change made under a condition kerascheck cannot decide: not followed
        if name == "pop" and is_key(key):
            if key in obj:
                return obj.pop(key)
            return positional[1] if len(positional) > 1 else UNKNOWN
        if name == "setdefault" and is_key(key):
            return obj.setdefault(key, positional[1] if len(positional) > 1 else None)
        if name == "update" and len(positional) <= 1:
            if positional and not isinstance(positional[0], dict):
                return UNKNOWN  # from something kerascheck does not follow
            obj.update(positional[0] if positional else {}, **keywords)
            return None
        return UNKNOWN

    def str_method(self, obj: str, name: str, positional: list[Any], keywords: dict[str, Any], node: Any) -> Any:
        if not all(is_plain(v) for v in (*positional, *keywords.values())):
            return UNKNOWN
        try:
            result = getattr(obj, name)(*positional, **keywords)
        except Exception:
            return UNKNOWN
        return result if size_ok(result) else UNKNOWN

    def binop(self, op_type: type | None, left: Any, right: Any) -> Any:
        """`left <op> right` on plain Python values (and `+` of lists of anything), when cheap and safe."""
        if op_type is cst.Add and type(left) is type(right) and isinstance(left, (list, tuple)):
            # Concatenating lists of layers (`[Input(...)] + blocks`) needs no element values; a list of
            # unsure length makes the whole so
            if len(left) + len(right) > MAX_SEQUENCE:
                return UNKNOWN
            joined = left + right
            if isinstance(joined, list) and (self.ip.is_unsure(left) or self.ip.is_unsure(right)):
                self.ip.unsure[id(joined)] = joined
            return joined
        fn = BINOPS.get(op_type) if op_type is not None else None
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

    def formatted_string(self, node: cst.FormattedString, scope: Scope) -> Any:
        """`f"{name}_{i:02d}"` of known plain values, formatted as Python would."""
        out = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value)
                continue
            part = cast(cst.FormattedStringExpression, part)
            value = self.ip.eval(part.expression, scope)
            if not is_plain(value) or part.conversion not in (None, "s", "r"):
                return UNKNOWN
            spec = ""
            if part.format_spec is not None:
                if not all(isinstance(p, cst.FormattedStringText) for p in part.format_spec):
                    return UNKNOWN
                spec = "".join(cast(cst.FormattedStringText, p).value for p in part.format_spec)
                if any(c.isdigit() for c in spec) and max(int(n) for n in re.findall(r"\d+", spec)) > 1000:
                    return UNKNOWN  # `{x:99999999}` would build a huge string
            try:
                shown = repr(value) if part.conversion == "r" else value
                out.append(format(shown, spec))
            except (ValueError, TypeError):
                return UNKNOWN  # Python raises
        text = "".join(out)
        return text if size_ok(text) else UNKNOWN
