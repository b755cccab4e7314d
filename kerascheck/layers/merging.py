"""Merge layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot."""

from __future__ import annotations

from kerascheck.layers.spec import Args, LayerSpec, normalize_axis, register
from kerascheck.shapes import Dim, Shape, ShapeError, Unknowable, add, format_shape


def _shapes(name: str, xs: object) -> list[Shape]:
    if not isinstance(xs, list) or not xs:
        raise ShapeError(f"`{name}` must be called on a list of tensors", kind="argument")
    return xs


class _ElementWise(LayerSpec):
    group = "merging"
    multi_input = True
    signature_text = "**kwargs"
    exact_inputs: int | None = None

    def output_shape(self, a: Args, xs: list[Shape]) -> Shape:  # type: ignore[override]
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
    for i, j in zip(a[len(a) - len(b):], b):
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

    def output_shape(self, a: Args, xs: list[Shape]) -> Shape:  # type: ignore[override]
        shapes = _shapes(self.name, xs)
        axis = a.int("axis")
        ranks = {len(s) for s in shapes}
        if len(ranks) != 1:
            raise ShapeError("`Concatenate` inputs have different ranks: " + ", ".join(map(format_shape, shapes)),
                             kind="merge")
        rank = ranks.pop()
        ax = normalize_axis(axis, rank)
        if not 0 <= ax < rank:
            raise Unknowable("axis")
        out = list(shapes[0])
        for s in shapes[1:]:
            for i, d in enumerate(s):
                if i == ax:
                    out[i] = add(out[i], d)
                elif isinstance(out[i], int) and isinstance(d, int) and out[i] != d and 1 not in (out[i], d):
                    raise ShapeError(
                        f"`Concatenate(axis={axis})` needs inputs that match except on axis {axis}: "
                        + ", ".join(map(format_shape, shapes)),
                        kind="merge",
                    )
                elif out[i] is None:
                    out[i] = d
        return tuple(out)


@register
class Dot(LayerSpec):
    name = "Dot"
    group = "merging"
    multi_input = True
    signature_text = "axes, normalize=False, **kwargs"

    def output_shape(self, a: Args, xs: list[Shape]) -> Shape:  # type: ignore[override]
        shapes = _shapes(self.name, xs)
        if len(shapes) != 2:
            raise ShapeError("`Dot` takes exactly 2 inputs", kind="argument")
        s1, s2 = shapes
        axes = a.known("axes")
        if isinstance(axes, int):
            axes = (axes, axes)
        if not (isinstance(axes, (tuple, list)) and len(axes) == 2 and all(isinstance(v, int) for v in axes)):
            raise Unknowable("axes")
        ax1, ax2 = normalize_axis(axes[0], len(s1)), normalize_axis(axes[1], len(s2))
        if isinstance(s1[ax1], int) and isinstance(s2[ax2], int) and s1[ax1] != s2[ax2]:
            raise ShapeError(
                f"`Dot(axes={tuple(axes)})` contracts {s1[ax1]} against {s2[ax2]}: "
                f"{format_shape(s1)} and {format_shape(s2)}",
                kind="merge",
            )
        out = [*s1[:ax1], *s1[ax1 + 1:], *s2[1:ax2], *s2[ax2 + 1:]]
        if len(out) == 1:
            out.append(1)
        return tuple(out)
