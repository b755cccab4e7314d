"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot."""

from __future__ import annotations

from kerascheck.layers.spec import Args, LayerSpec, is_plain, normalize_axis, register
from kerascheck.shapes import Dim, Shape, ShapeError, Unknowable, add, format_dim, format_shape


def _shapes(name: str, xs: object) -> list[Shape]:
    if not isinstance(xs, list) or not xs:
        raise ShapeError(f"`{name}` must be called on a list of tensors", kind="argument")
    return xs


class _ElementWise(LayerSpec):
    group = "merging"
    multi_input = True
    signature_text = "**kwargs"
    call_parameters = ("inputs",)  # Keras's `Merge.call`, shared by every merging layer
    supports_masking = True
    mask_rule = "merge"
    exact_inputs: int | None = None

    def output_shape(self, a: Args, xs: list[Shape]) -> Shape:
        shapes = _shapes(self.name, xs)
        if self.exact_inputs is not None and len(shapes) != self.exact_inputs:
            raise ShapeError(f"`{self.name}` takes exactly {self.exact_inputs} inputs, not {len(shapes)}",
                             kind="argument")
        batch = next((s[0] for s in shapes if s and s[0] is not None), None)
        out: tuple[Dim, ...] = shapes[0][1:]
        for s in shapes[1:]:
            out = _broadcast(self.name, out, s[1:], shapes)
        return (batch, *out)


def _broadcast(name: str, a: tuple[Dim, ...], b: tuple[Dim, ...], shapes: list[Shape]) -> tuple[Dim, ...]:
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return a
    out = list(a[: len(a) - len(b)])
    for i, j in zip(a[len(a) - len(b):], b, strict=True):
        if i is None or j is None:
            out.append(None)
        elif i == 1:
            out.append(j)
        elif j == 1:
            out.append(i)
        elif isinstance(i, int) and isinstance(j, int) and i != j:
            raise ShapeError(
                f"`{name}` inputs have incompatible shapes: " + ", ".join(format_shape(s) for s in shapes),
                kind="merge",
            )
        else:
            out.append(i if i == j else None)
    return tuple(out)


def _elementwise(name: str, exact: int | None = None) -> type[_ElementWise]:
    cls = type(name, (_ElementWise,), {"name": name, "exact_inputs": exact, "__doc__": f"Keras `{name}`."})
    return register(cls)  # type: ignore[return-value]


Add = _elementwise("Add")
Subtract = _elementwise("Subtract", exact=2)
Multiply = _elementwise("Multiply")
Average = _elementwise("Average")
Maximum = _elementwise("Maximum")
Minimum = _elementwise("Minimum")


@register
class Concatenate(LayerSpec):
    name = "Concatenate"
    group = "merging"
    multi_input = True
    signature_text = "axis=-1, **kwargs"
    call_parameters = ("inputs",)
    supports_masking = True
    mask_rule = "concatenate"

    def output_shape(self, a: Args, xs: list[Shape]) -> Shape:
        shapes = _shapes(self.name, xs)
        axis = a.int("axis")
        ranks = {len(s) for s in shapes}
        if len(ranks) != 1:
            raise ShapeError("`Concatenate` inputs have different ranks: " + ", ".join(map(format_shape, shapes)),
                             kind="merge")
        rank = ranks.pop()
        if not -rank <= axis < rank:
            raise ShapeError(f"`Concatenate(axis={axis})` is out of range for {rank}-D inputs", kind="merge")
        ax = normalize_axis(axis, rank)
        # Keras compares every other axis as is (no broadcasting of 1s); None matches anything.
        for i in range(rank):
            if i != ax and len({s[i] for s in shapes if isinstance(s[i], int)}) > 1:
                raise ShapeError(
                    f"`Concatenate(axis={axis})` needs inputs that match except on axis {axis}: "
                    + ", ".join(map(format_shape, shapes)),
                    kind="merge",
                )
        # The output is the first input's shape with the concatenated axis summed.
        out = list(shapes[0])
        for s in shapes[1:]:
            out[ax] = add(out[ax], s[ax])
        return tuple(out)


@register
class Dot(LayerSpec):
    name = "Dot"
    group = "merging"
    multi_input = True
    signature_text = "axes, normalize=False, **kwargs"
    call_parameters = ("inputs",)
    supports_masking = True
    mask_rule = "none"

    def validate(self, a: Args) -> None:
        axes = a.known("axes")
        if isinstance(axes, int) and not isinstance(axes, bool):
            return
        if not is_plain(axes):
            raise Unknowable("axes")
        if not isinstance(axes, (tuple, list)) or len(axes) != 2 or not all(isinstance(v, int) for v in axes):
            raise ShapeError(f"`Dot` axes={axes!r} must be an int or a pair of ints", kind="argument")

    def output_shape(self, a: Args, xs: list[Shape]) -> Shape:
        shapes = _shapes(self.name, xs)
        if len(shapes) != 2:
            raise ShapeError("`Dot` takes exactly 2 inputs", kind="argument")
        s1, s2 = shapes
        raw = a.known("axes")
        # Keras: a negative int counts from the end of each input (modulo its rank, so it can reach
        # the batch axis); a non-negative int or a pair is a plain Python index.
        if isinstance(raw, int) and not isinstance(raw, bool):
            axes = [raw % len(s1), raw % len(s2)] if raw < 0 else [raw, raw]
        elif isinstance(raw, (tuple, list)) and len(raw) == 2 and all(isinstance(v, int) for v in raw):
            axes = list(raw)
        else:
            raise Unknowable("axes")
        for s, ax in zip((s1, s2), axes, strict=True):
            if not -len(s) <= ax < len(s):
                raise ShapeError(f"`Dot(axes={raw!r})`: axis {ax} is out of range for {format_shape(s)}",
                                 kind="merge")
        d1, d2 = s1[axes[0]], s2[axes[1]]
        if d1 != d2:
            # A None outside the batch axis may be a size kerascheck does not know.
            if (d1 is None and normalize_axis(axes[0], len(s1)) != 0) or (
                d2 is None and normalize_axis(axes[1], len(s2)) != 0
            ) or not (isinstance(d1, (int, type(None))) and isinstance(d2, (int, type(None)))):
                raise Unknowable("axes")
            raise ShapeError(
                f"`Dot(axes={raw!r})` contracts {format_dim(d1)} against {format_dim(d2)}: "
                f"{format_shape(s1)} and {format_shape(s2)}",
                kind="merge",
            )
        out1, out2 = list(s1), list(s2)
        out1.pop(axes[0])
        out2.pop(axes[1])
        out2.pop(0)
        out = out1 + out2
        if len(out) == 1:
            out.append(1)
        return tuple(out)
