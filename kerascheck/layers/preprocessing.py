"""Preprocessing layers: rescaling, resizing, cropping, normalization, category encoding and random
augmentation."""

from __future__ import annotations

from typing import Any, ClassVar

from kerascheck.layers.core import _SameShape
from kerascheck.layers.normalization import weight_sizes
from kerascheck.layers.spec import (
    Args,
    LayerSpec,
    is_plain,
    known_dim,
    normalize_axis,
    rank_error,
    register,
    run_checks,
)
from kerascheck.shapes import Dim, Shape, ShapeError, Unknowable, format_shape

# What calling an image preprocessing layer (resizing, cropping, random augmentation) accepts. Their
# `call` names its input `data`, but Keras's `DataLayer.__call__(self, inputs, **kwargs)` stands in
# front of it: `layer(inputs=x)` works and `layer(data=x)` raises TypeError (no `inputs`).
_IMAGE_CALL = ("inputs", "training")


class _Preprocessing(_SameShape):
    group = "preprocessing"
    call_parameters: ClassVar[tuple[str, ...] | None] = ("inputs",)


@register
class Rescaling(_Preprocessing):
    name = "Rescaling"
    supports_masking = True
    signature_text = "scale, offset=0.0, **kwargs"


@register
class Normalization(_Preprocessing):
    name = "Normalization"
    supports_masking = True
    signature_text = "axis=-1, mean=None, variance=None, invert=False, **kwargs"

    def _kept_axes(self, a: Args, x: Shape) -> list[int]:
        axis = a.known("axis")
        axes = [] if axis is None else list(axis) if isinstance(axis, (tuple, list)) else [axis]
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in axes):
            raise Unknowable("axis")
        for v in axes:
            if not -len(x) <= v < len(x):
                raise ShapeError(
                    f"`Normalization` axis={axis!r} is out of range for a {len(x)}-D input {format_shape(x)}",
                    kind="rank",
                )
        return sorted(normalize_axis(v, len(x)) for v in axes)

    def output_shape(self, a: Args, x: Shape) -> Shape:
        weight_sizes(self.name, x, self._kept_axes(a, x))
        return x

    def non_trainable(self, a: Args, x: Any, params: int) -> int:
        return params  # mean, variance and count are statistics adapt() computes, never trained

    def params(self, a: Args, x: Shape) -> int:
        size = 1
        for v in self._kept_axes(a, x):
            size *= known_dim(x[v])  # Keras raises on a None kept axis, even with `mean` given
        if a.known("mean") is not None:
            return 0  # mean and variance are constants, not weights
        return 2 * size + 1  # mean, variance and the sample count


class _ToSize(LayerSpec):
    """A layer that produces images of `height` x `width`.

    Keras reads a 4-D input as a batch of images and anything else as one unbatched image, so it
    overwrites the leading axes of a 3-D (or 2-D, 5-D...) input, batch axis included. That is what
    Keras builds (the model fails later, when it runs), so that is what kerascheck says.
    """

    group = "preprocessing"
    call_parameters = _IMAGE_CALL

    def _axes(self, a: Args, x: Shape) -> tuple[int, int]:
        """The (height, width) axes Keras overwrites, for an input of this rank."""
        last = a.channels_last()
        if len(x) == 4:
            return (1, 2) if last else (2, 3)
        return (0, 1) if last else (1, 2)

    def output_shape(self, a: Args, x: Shape) -> Shape:
        h, w = a.int("height"), a.int("width")
        hi, wi = self._axes(a, x)
        if not (-len(x) <= hi < len(x) and -len(x) <= wi < len(x)):
            raise ShapeError(
                f"`{self.name}` cannot resize a {len(x)}-D tensor {format_shape(x)}: it takes images", kind="rank"
            )
        out = list(x)
        out[hi], out[wi] = h, w
        return tuple(out)


@register
class Resizing(_ToSize):
    name = "Resizing"
    signature_text = (
        "height, width, interpolation='bilinear', crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, "
        "fill_mode='constant', fill_value=0.0, antialias=False, data_format=None, **kwargs"
    )


@register
class CenterCrop(_ToSize):
    name = "CenterCrop"
    signature_text = "height, width, data_format=None, **kwargs"

    def output_shape(self, a: Args, x: Shape) -> Shape:
        if len(x) not in (3, 4):  # checked in Keras's shape arithmetic, not by an InputSpec
            raise ShapeError(rank_error(self.name, "a 3-D or 4-D", x).message, kind="rank")
        return super().output_shape(a, x)


@register
class RandomCrop(_ToSize):
    no_forward = (
        "Keras's RandomCrop returns its input unchanged in predict() but crops when called directly: "
        "no single inference output"
    )
    name = "RandomCrop"
    signature_text = "height, width, seed=None, data_format=None, name=None, **kwargs"

    def _axes(self, a: Args, x: Shape) -> tuple[int, int]:
        return (-3, -2) if a.channels_last() else (-2, -1)


CATEGORY_ENCODING_MODES = ("one_hot", "multi_hot", "count")


def encoded_shape(mode: str, x: Shape, depth: Dim) -> Shape:
    """One slot per category, as CategoryEncoding's and the lookup layers' `compute_output_shape` give it:
    `one_hot` replaces a last axis of exactly 1 holding the ids (unless it is the only axis) or adds one;
    `multi_hot`, `count` and `tf_idf` replace the last axis."""
    if mode == "one_hot":
        if x and x[-1] == 1 and len(x) > 1:
            return (*x[:-1], depth)
        return (*x, depth)
    return (*x[:-1], depth)


def category_encoding_mode(a: Args) -> str:
    """`output_mode` as Keras keeps it: the old name 'binary' is 'multi_hot'."""
    mode = a.str("output_mode")
    return "multi_hot" if mode == "binary" else mode


@register
class CategoryEncoding(LayerSpec):
    """Integer ids in, one slot per category out: `num_tokens` replaces (or, for `one_hot`, follows) the
    last axis.

    Keras takes the output shape from `compute_output_shape` and never checks the input's rank when it
    is called on a symbolic tensor. Its `call` sums `multi_hot` and `count` over axis 1, not the last
    axis, so on a 3-D or larger input what it computes differs from the shape it declares; the shape
    here is the declared one, as Keras builds it; the forward pass follows `call`.
    """

    name = "CategoryEncoding"
    signature_text = "num_tokens=None, output_mode='multi_hot', sparse=False, **kwargs"
    group = "preprocessing"
    call_parameters = ("inputs", "count_weights")

    def validate(self, a: Args) -> None:
        run_checks(lambda: self._check_mode(a), lambda: self._check_tokens(a))

    def _check_mode(self, a: Args) -> None:
        mode = a.known("output_mode")
        if not is_plain(mode):
            raise Unknowable("output_mode")
        if mode != "binary" and mode not in CATEGORY_ENCODING_MODES:
            raise ShapeError(
                f"`CategoryEncoding` output_mode={mode!r} is not one of "
                + ", ".join(map(repr, CATEGORY_ENCODING_MODES)),
                kind="argument",
            )

    def _check_tokens(self, a: Args) -> None:
        tokens = a.known("num_tokens")
        if not is_plain(tokens):
            raise Unknowable("num_tokens")
        if tokens is None:
            raise ShapeError(
                "`CategoryEncoding` needs num_tokens, the number of categories (IntegerLookup is for "
                "an unknown number)",
                kind="argument",
            )
        # Keras compares `num_tokens < 1`: a string or a tuple makes that comparison raise too.
        if not isinstance(tokens, (int, float)):
            raise ShapeError(f"`CategoryEncoding` num_tokens={tokens!r} must be a number >= 1", kind="argument")
        if tokens < 1:
            raise ShapeError(f"`CategoryEncoding` num_tokens={tokens!r} must be >= 1", kind="argument")

    def _tokens(self, a: Args) -> int:
        tokens = a.known("num_tokens")
        if isinstance(tokens, float):
            # The constructor takes 4.0; the output shape it then declares is not a shape.
            raise ShapeError(
                f"`CategoryEncoding` num_tokens={tokens!r} is not an integer, so the output shape cannot hold it",
                kind="argument",
            )
        if isinstance(tokens, bool):
            return int(tokens)  # Keras accepts True as 1
        return a.int("num_tokens")

    def output_shape(self, a: Args, x: Shape) -> Shape:
        return encoded_shape(category_encoding_mode(a), x, self._tokens(a))


class _RandomAugmentation(_Preprocessing):
    inference_identity = True
    call_parameters = _IMAGE_CALL


def _random(name: str, signature: str) -> type[_Preprocessing]:
    cls = type(name, (_RandomAugmentation,), {"name": name, "signature_text": signature, "__doc__": f"Keras `{name}`."})
    return register(cls)  # type: ignore[return-value]


RandomFlip = _random("RandomFlip", "mode='horizontal_and_vertical', seed=None, data_format=None, **kwargs")
RandomRotation = _random(
    "RandomRotation",
    "factor, fill_mode='reflect', interpolation='bilinear', seed=None, fill_value=0.0, data_format=None, **kwargs",
)
RandomZoom = _random(
    "RandomZoom",
    "height_factor, width_factor=None, fill_mode='reflect', interpolation='bilinear', seed=None, "
    "fill_value=0.0, data_format=None, **kwargs",
)
RandomTranslation = _random(
    "RandomTranslation",
    "height_factor, width_factor, fill_mode='reflect', interpolation='bilinear', seed=None, "
    "fill_value=0.0, data_format=None, **kwargs",
)
RandomContrast = _random("RandomContrast", "factor, value_range=(0, 255), seed=None, **kwargs")
RandomBrightness = _random("RandomBrightness", "factor, value_range=(0, 255), seed=None, **kwargs")


DISCRETIZATION_MODES = ("int", "one_hot", "multi_hot", "count")


@register
class Discretization(LayerSpec):
    """Numbers in, the index of the bin each falls in out (`bin_boundaries` [25, 30] gives bins 0, 1, 2).

    `output_mode="int"` keeps the shape; the encodings give one slot per bin, as Keras's
    `compute_output_shape` declares: one_hot replaces a last axis of 1 (or adds an axis), multi_hot and
    count drop axis 1 and add the bins last. `num_bins` alone needs `adapt` to learn the boundaries.
    """

    name = "Discretization"
    signature_text = (
        "bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode='int', sparse=False, dtype=None, name=None"
    )
    group = "preprocessing"
    call_parameters = ("inputs",)

    def validate(self, a: Args) -> None:
        boundaries, bins, mode = a.known("bin_boundaries"), a.known("num_bins"), a.known("output_mode")
        if not (is_plain(boundaries) or isinstance(boundaries, (list, tuple))) or not is_plain(bins):
            raise Unknowable("bin_boundaries")
        if boundaries is None and bins is None:
            raise ShapeError("`Discretization` needs `bin_boundaries` or `num_bins`", kind="argument")
        if boundaries is not None and bins is not None:
            raise ShapeError("`Discretization` takes `bin_boundaries` or `num_bins`, not both", kind="argument")
        if not is_plain(mode):
            raise Unknowable("output_mode")
        if mode not in DISCRETIZATION_MODES:
            raise ShapeError(
                f"`Discretization` output_mode={mode!r} is not one of " + ", ".join(map(repr, DISCRETIZATION_MODES)),
                kind="argument",
            )

    def bins(self, a: Args) -> int:
        boundaries = a.known("bin_boundaries")
        if isinstance(boundaries, (list, tuple)):
            return len(boundaries) + 1
        return a.int("num_bins")

    def output_shape(self, a: Args, x: Shape) -> Shape:
        mode = a.str("output_mode")
        if mode == "int":
            return x
        depth = self.bins(a)
        if mode == "one_hot":
            return (*x[:-1], depth) if x and x[-1] == 1 and len(x) > 1 else (*x, depth)
        return (x[0], *x[2:], depth) if len(x) >= 2 else (depth,)

    def params(self, a: Args, x: Shape) -> int:
        return 0  # the boundaries are a constant (or what adapt learns), not a weight
