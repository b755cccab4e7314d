"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, cropping, padding, upsampling."""

from __future__ import annotations

from typing import Any, ClassVar

from kerascheck.layers.spec import (
    Args,
    LayerSpec,
    checked_ints,
    is_plain,
    positive_int,
    register,
    require_rank,
    standardize_tuple,
)
from kerascheck.shapes import Dim, Shape, ShapeError, Unknowable, add, format_shape, mul, prod, sub


class _Reshaping(LayerSpec):
    group = "reshaping"
    call_parameters = ("inputs",)


@register
class Flatten(_Reshaping):
    name = "Flatten"
    passes_values = True
    signature_text = "data_format=None, **kwargs"

    def output_shape(self, a: Args, x: Shape) -> Shape:
        require_rank(self.name, x, min_rank=1)
        rest = x[1:]
        if not rest:
            return (x[0], 1)
        if any(d is None for d in rest):
            return (x[0], None)
        return (x[0], prod(rest))


@register
class Reshape(_Reshaping):
    name = "Reshape"
    passes_values = True
    signature_text = "target_shape, **kwargs"

    def output_shape(self, a: Args, x: Shape) -> Shape:
        target = a.known("target_shape")
        if isinstance(target, int) and not isinstance(target, bool):
            target = (target,)
        if not isinstance(target, (tuple, list)):
            raise Unknowable("target_shape")
        target = tuple(d if isinstance(d, int) and not isinstance(d, bool) else None for d in target)
        if target.count(-1) > 1:
            raise ShapeError(f"`Reshape` target_shape {target} has more than one -1", kind="argument")
        rest = x[1:]
        if None in target or any(not isinstance(d, int) for d in rest):
            # Keras cannot resolve -1 against an unknown size; neither do we.
            return (x[0], *(None if d == -1 else d for d in target))
        size = 1
        for d in rest:
            size *= d  # type: ignore[operator]
        if -1 not in target:
            total = 1
            for d in target:
                total *= d
            if total != size:
                raise ShapeError(
                    f"`Reshape({target})` needs {total} elements per sample, but the input "
                    f"{format_shape(x)} has {size}",
                    kind="reshape",
                )
            return (x[0], *target)
        known = 1
        for d in target:
            if d != -1:
                known *= d
        if known == 0 or size % known:
            raise ShapeError(
                f"`Reshape({target})`: the input {format_shape(x)} has {size} elements per sample, "
                f"which is not a multiple of {known}",
                kind="reshape",
            )
        return (x[0], *(size // known if d == -1 else d for d in target))


@register
class Permute(_Reshaping):
    name = "Permute"
    signature_text = "dims, **kwargs"

    def output_shape(self, a: Args, x: Shape) -> Shape:
        dims = a.known("dims")
        if not isinstance(dims, (tuple, list)) or not all(isinstance(d, int) for d in dims):
            raise Unknowable("dims")
        if sorted(dims) != list(range(1, len(dims) + 1)):
            raise ShapeError(
                f"`Permute` dims {tuple(dims)} must be a permutation of 1..{len(dims)}", kind="argument"
            )
        require_rank(self.name, x, exact=len(dims) + 1)
        return (x[0], *(x[d] for d in dims))


@register
class RepeatVector(_Reshaping):
    name = "RepeatVector"
    signature_text = "n, **kwargs"

    def validate(self, a: Args) -> None:
        positive_int(a, "n")

    def output_shape(self, a: Args, x: Shape) -> Shape:
        require_rank(self.name, x, exact=2)
        return (x[0], a.int("n"), x[1])


def _pairs(value: Any, rank: int, what: str) -> tuple[tuple[int, int], ...]:
    """Keras's reading of padding/cropping: int, per-axis ints, or per-axis (before, after)."""
    def is_int(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool)

    if is_int(value):
        return ((value, value),) * rank
    if isinstance(value, (tuple, list)):
        if rank == 1 and len(value) == 2 and all(is_int(v) for v in value):
            return ((value[0], value[1]),)
        if len(value) == rank:
            out = []
            for v in value:
                if is_int(v):
                    out.append((v, v))
                elif isinstance(v, (tuple, list)) and len(v) == 2 and all(is_int(w) for w in v):
                    out.append((v[0], v[1]))
                else:
                    raise Unknowable(what)
            return tuple(out)
    raise Unknowable(what)


class _Spatial(_Reshaping):
    rank: ClassVar[int]

    def _split(self, a: Args, x: Shape) -> tuple[bool, Shape]:
        require_rank(self.name, x, exact=self.rank + 2)
        last = a.channels_last()  # channels-last for the 1D layers without `data_format`
        return last, (x[1:-1] if last else x[2:])

    @staticmethod
    def _join(x: Shape, last: bool, spatial: tuple[Dim, ...]) -> Shape:
        return (x[0], *spatial, x[-1]) if last else (x[0], x[1], *spatial)


def _check_amounts(a: Args, name: str, rank: int, int_may_be_negative: bool) -> None:
    """Keras's constructor checks of cropping/padding amounts.

    1D layers read the value with `standardize_tuple(value, 2, allow_zero=True)`. The 2D and 3D
    layers take an int (Cropping rejects a negative one, ZeroPadding does not check it) or one
    entry per axis, each read with `standardize_tuple(entry, 2, allow_zero=True)`.
    """
    value = a.known(name)
    layer = a.spec.name
    if rank == 1:
        standardize_tuple(layer, value, 2, name, allow_zero=True)
        return
    if isinstance(value, int) and not isinstance(value, bool):
        if value < 0 and not int_may_be_negative:
            raise ShapeError(f"`{layer}` {name}={value} cannot be negative", kind="argument")
        return
    if not isinstance(value, (tuple, list)):
        raise Unknowable(name)
    if len(value) != rank:
        raise ShapeError(f"`{layer}` {name} should have {rank} entries, not {len(value)}", kind="argument")
    for entry in value:
        standardize_tuple(layer, entry, 2, f"entry of {name}", allow_zero=True)


class _Cropping(_Spatial):
    def validate(self, a: Args) -> None:
        _check_amounts(a, "cropping", self.rank, int_may_be_negative=False)

    def output_shape(self, a: Args, x: Shape) -> Shape:
        last, spatial = self._split(a, x)
        crops = _pairs(a.known("cropping"), self.rank, "cropping")
        out = []
        for d, (lo, hi) in zip(spatial, crops, strict=True):
            if isinstance(d, int) and lo + hi >= d:
                raise ShapeError(
                    f"`{self.name}` crops {lo + hi} from an axis of size {d} in {format_shape(x)}",
                    kind="nonpositive",
                )
            out.append(sub(d, lo + hi))
        return self._join(x, last, tuple(out))


@register
class Cropping1D(_Cropping):
    name = "Cropping1D"
    rank = 1
    signature_text = "cropping=(1, 1), **kwargs"


@register
class Cropping2D(_Cropping):
    name = "Cropping2D"
    rank = 2
    signature_text = "cropping=((0, 0), (0, 0)), data_format=None, **kwargs"


@register
class Cropping3D(_Cropping):
    name = "Cropping3D"
    rank = 3
    signature_text = "cropping=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs"


class _ZeroPadding(_Spatial):
    def validate(self, a: Args) -> None:
        _check_amounts(a, "padding", self.rank, int_may_be_negative=True)

    def output_shape(self, a: Args, x: Shape) -> Shape:
        last, spatial = self._split(a, x)
        pads = _pairs(a.known("padding"), self.rank, "padding")
        out = tuple(add(d, lo + hi) for d, (lo, hi) in zip(spatial, pads, strict=True))
        if any(isinstance(d, int) and d < 0 for d in out):  # a negative int padding (2D/3D) can shrink
            raise ShapeError(
                f"`{self.name}` on input {format_shape(x)} gives negative sizes {format_shape(out)}",
                kind="nonpositive",
            )
        return self._join(x, last, out)


@register
class ZeroPadding1D(_ZeroPadding):
    name = "ZeroPadding1D"
    rank = 1
    signature_text = "padding=1, data_format=None, **kwargs"


@register
class ZeroPadding2D(_ZeroPadding):
    name = "ZeroPadding2D"
    rank = 2
    signature_text = "padding=(1, 1), data_format=None, **kwargs"


@register
class ZeroPadding3D(_ZeroPadding):
    name = "ZeroPadding3D"
    rank = 3
    signature_text = "padding=((1, 1), (1, 1), (1, 1)), data_format=None, **kwargs"


class _UpSampling(_Spatial):
    def validate(self, a: Args) -> None:
        checked_ints(a, "size", self.rank)

    def output_shape(self, a: Args, x: Shape) -> Shape:
        last, spatial = self._split(a, x)
        sizes = a.ints("size", self.rank)
        return self._join(x, last, tuple(mul(d, s) for d, s in zip(spatial, sizes, strict=True)))


@register
class UpSampling1D(_UpSampling):
    name = "UpSampling1D"
    rank = 1
    signature_text = "size=2, **kwargs"

    def validate(self, a: Args) -> None:
        size = a.known("size")
        if not is_plain(size):
            raise Unknowable("size")
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            raise ShapeError(f"`UpSampling1D` size={size!r} must be a positive integer", kind="argument")


@register
class UpSampling2D(_UpSampling):
    name = "UpSampling2D"
    rank = 2
    signature_text = "size=(2, 2), data_format=None, interpolation='nearest', **kwargs"


@register
class UpSampling3D(_UpSampling):
    name = "UpSampling3D"
    rank = 3
    signature_text = "size=(2, 2, 2), data_format=None, **kwargs"
