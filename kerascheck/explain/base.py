"""What every explanation is made of, and the small pieces of wording they share.

An explanation reads its numbers from the IR (the layer's input and output shapes and its
parameter count) and its arguments; a formula is only shown when recomputing it from the
arguments gives exactly the number the IR holds, so the text can never disagree with the shapes.
Sizes that are not known stay `?`, and symbolic sizes stay formulas: nothing is invented.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeGuard

from kerascheck.layers import LayerSpec
from kerascheck.model import Layer
from kerascheck.shapes import UNKNOWN, Dim, Shape, Sym, Unknowable, format_shape


@dataclass
class Explanation:
    """One layer, explained: `call  meaning → output: how; params; note`."""

    call: str  # the layer as written, with the arguments that matter: `Conv2D(32, (3, 3))`
    meaning: str  # what its arguments mean
    output: str = "?"  # the output shape as Keras prints it, `?` when unknown
    how: str = ""  # how the output follows from the input
    params: str = ""  # the parameter count and where it comes from
    note: str = ""  # advice, or what cannot be known
    error: str = ""  # the error Keras raises when it builds this layer
    generic: bool = False  # True for a layer kerascheck has no specific wording for
    cached: str = ""  # the whole text, for an explanation read back from the cache

    @property
    def text(self) -> str:
        if self.cached:
            return self.cached
        if self.error:
            return f"{self.meaning} → Keras raises an error here: {self.error}"
        out = f"{self.meaning} → {self.output}"
        if self.how:
            out += f": {self.how}" if self.output != "?" else f" ({self.how})"
        for part in (self.params, self.note):
            if part:
                out += f"; {part}"
        return out

    def __str__(self) -> str:
        return f"{self.call}  {self.text}"


Explainer = Callable[[Layer], Explanation]
# Keyed by the catalogue's spec class: a layer's explanation belongs to its one declaration.
EXPLAINERS: dict[type[LayerSpec], Explainer] = {}


def explains(*specs: type[LayerSpec]) -> Callable[[Explainer], Explainer]:
    """Register an explainer for these catalogue entries."""

    def register(fn: Explainer) -> Explainer:
        for spec in specs:
            if spec in EXPLAINERS:
                raise RuntimeError(f"{spec.name} has two explanations")
            EXPLAINERS[spec] = fn
        return fn

    return register


# -- reading the IR --------------------------------------------------------------------------


def spatial_rank(layer: Layer) -> int:
    """The number of spatial axes of a convolution, pooling or reshaping layer (its spec's `rank`)."""
    rank = layer.spec.rank if layer.spec is not None else None
    if rank is None:
        raise Unknowable("rank")
    return rank


def maybe(fn: Callable[..., Any], *args: Any) -> Any:
    """`fn(*args)`, or None when a value it needs is unknown."""
    try:
        return fn(*args)
    except (Unknowable, ArithmeticError, TypeError, ValueError, IndexError, KeyError, AttributeError):
        return None


def arg(layer: Layer, name: str) -> Any:
    """An argument's value (given or default), or UNKNOWN."""
    if layer.args is None:
        return UNKNOWN
    try:
        return layer.args.known(name)
    except Unknowable:
        return UNKNOWN


def is_int(v: Any) -> TypeGuard[int]:
    return isinstance(v, int) and not isinstance(v, bool)


def single(shape: Any) -> Shape | None:
    """A shape that is one tensor's, or None (unknown, or several tensors)."""
    return shape if isinstance(shape, tuple) else None


def input_of(layer: Layer) -> Shape | None:
    return single(layer.input_shape)


def output_of(layer: Layer) -> Shape | None:
    return single(layer.output_shape)


def channels_last(layer: Layer) -> bool | None:
    if layer.args is None:
        return None
    last: bool | None = maybe(layer.args.channels_last)
    return last


def spatial(shape: Shape, last: bool) -> Shape:
    return shape[1:-1] if last else shape[2:]


def channel(shape: Shape, last: bool) -> Dim:
    return shape[-1] if last else shape[1]


def written(layer: Layer, param: str) -> str | None:
    """An argument's text as written in the code, if it was written."""
    for site in layer.arg_sites:
        if site.param == param:
            return site.text or None
    return None


# -- wording ---------------------------------------------------------------------------------


def dim(d: Dim) -> str:
    """A size in running text: `30`, `H − 2`, `?`."""
    if d is None:
        return "?"
    if isinstance(d, Sym):
        return d.expr.replace(" - ", " − ").replace(" * ", "·")
    return str(d)


def term(d: Dim) -> str:
    """A size as a term of a product or a difference: compound formulas get parentheses."""
    text = dim(d)
    if isinstance(d, Sym) and " " in d.expr:
        return f"({text})"
    return text


def equation(out: Dim, rhs: str, rule: str) -> str:
    """`15 = 30 // 2`; for a symbolic size, whose formula the shape already shows, the rule."""
    if isinstance(out, Sym):
        return rule
    return f"{dim(out)} = {rhs}"


def brief(d: Dim) -> bool:
    """A size short enough to say in running text (a long symbolic formula is not)."""
    return d is not None and len(dim(d)) <= 16



def times(dims: Iterable[Any]) -> str:
    """`3×3×32`: the extent of a window or block."""
    return "×".join(term(d) for d in dims)


def dot(parts: Iterable[Any]) -> str:
    """`3·3·3·32`: a product in a formula."""
    return "·".join(term(p) if not isinstance(p, str) else p for p in parts)


def number(n: int) -> str:
    return f"{n:,}"


def plural(n: Any, noun: str, many: str | None = None) -> str:
    """`32 filters`, `1 filter`, `filters` (count unknown)."""
    many = many or noun + "s"
    if n is None or n is UNKNOWN:
        return f"a number of {many}"
    if isinstance(n, Sym):
        return f"{dim(n)} {many}"
    return f"{n} {noun if n == 1 else many}"


def each_of(n: Dim, noun: str, many: str | None = None) -> str:
    """`each of the 32 channels`, `the 1 channel`, `each channel` (count unknown)."""
    many = many or noun + "s"
    if n is None:
        return f"each {noun}"
    if n == 1:
        return f"the 1 {noun}"
    return f"each of the {dim(n)} {many}"


def all_of(n: Dim, noun: str, many: str | None = None) -> str:
    """`all 3 input channels`, `the 1 input channel`, `all input channels`."""
    many = many or noun + "s"
    if n is None:
        return f"all {many}"
    if n == 1:
        return f"the 1 {noun}"
    return f"all {dim(n)} {many}"


def axis_names(rank: int) -> list[str]:
    """What a reader calls the spatial axes of a 1D, 2D or 3D layer."""
    return {1: ["steps"], 2: ["rows", "columns"], 3: ["planes", "rows", "columns"]}.get(
        rank, [f"axis {i + 1}" for i in range(rank)]
    )


def params_text(layer: Layer, formula: str | None, expected: int | None, tail: str = "") -> str:
    """`896 params = 3·3·3·32 weights + 32 biases`, only when the formula gives the IR's count."""
    if layer.params is None:
        return "params unknown (they depend on a size that is not known as a number)"
    if formula is not None and expected == layer.params:
        return f"{number(layer.params)} params = {formula}{tail}"
    return f"{number(layer.params)} params{tail}"


def join_formulas(items: list[str]) -> str:
    """Several per-axis formulas, each said once."""
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return ", ".join(seen)


def unknown_reason(layer: Layer) -> str:
    """Why an output shape is not known, without guessing."""
    if layer.error is not None:
        return ""
    if not layer.certain:
        return "the layer is added under a condition kerascheck cannot decide"
    if layer.input_shape is None or (
        isinstance(layer.input_shape, list) and any(s is None for s in layer.input_shape)
    ):
        return "the input shape is not known"
    return "it depends on a value kerascheck cannot know"


def finish(layer: Layer, e: Explanation) -> Explanation:
    """Fill in the output from the IR, and what happens when it is unknown or an error."""
    e.output = format_shape(layer.output_shape)
    error = layer.error or layer.construction_error
    if error is not None:
        e.error = error.message
    elif layer.output_shape is None:
        reason = unknown_reason(layer)
        e.how = reason
        if layer.params is None:
            e.params = ""
    return e


# Keywords that do not change what flows through the layer: the header leaves them out so
# the numbers the explanation talks about stand out.
_QUIET = {
    "activation", "recurrent_activation", "name", "dtype", "trainable", "autocast", "input_shape",
    "batch_input_shape", "batch_size", "seed", "momentum", "epsilon", "weights", "lora_rank",
    "lora_alpha", "quantization_config", "use_cudnn", "unroll", "fill_mode", "fill_value",
    "interpolation", "antialias", "activity_regularizer",
}


def _quiet(site: Any, layer: Layer) -> bool:
    key = site.keyword
    if key is None:
        return False
    if key == "input_dim":  # Embedding's own argument, but a legacy input declaration elsewhere
        return layer.type != "Embedding"
    return key in _QUIET or key.endswith(("_initializer", "_regularizer", "_constraint"))


def short_name(layer: Layer) -> str:
    return (layer.written or layer.type).rsplit(".", 1)[-1] or layer.type


def call_text(layer: Layer) -> str:
    """The layer as written, keeping the arguments that shape its output: `Conv2D(32, (3, 3))`."""
    short = short_name(layer)
    if layer.type == "InputLayer" or layer.submodel is not None:
        return short
    if short[:1].islower() and layer.spec is not None and layer.spec.multi_input:
        # `layers.add([x, y])`: the function form takes the tensors themselves.
        return f"{short}([{', '.join(p.name for p in layer.inbound)}])"
    shown = [site.text if site.keyword is None else f"{site.keyword}={site.text}"
             for site in layer.arg_sites if not _quiet(site, layer)]
    return f"{short}({', '.join(shown)})"
