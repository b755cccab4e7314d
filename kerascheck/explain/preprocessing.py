"""Preprocessing layers: rescaling, resizing, cropping, normalization, discretization and random augmentation."""

from __future__ import annotations

from typing import Any

from kerascheck.explain.base import (
    Explanation,
    arg,
    call_text,
    dim,
    explains,
    finish,
    input_of,
    is_int,
    number,
    params_text,
    times,
    written,
)
from kerascheck.layers import preprocessing as preprocessing_layers
from kerascheck.model import Layer
from kerascheck.shapes import UNKNOWN, format_shape

_TRAINING_ONLY = "inactive at inference; shape unchanged"


def _shown(layer: Layer, name: str) -> str:
    text = written(layer, name)
    if text:
        return text
    value = arg(layer, name)
    return name if value is UNKNOWN else repr(value)


@explains(preprocessing_layers.Rescaling)
def rescaling(layer: Layer) -> Explanation:
    meaning = f"multiplies every value by {_shown(layer, 'scale')} and adds {_shown(layer, 'offset')}"
    return finish(layer, Explanation(call_text(layer), meaning, how="shape unchanged"))


def _size(layer: Layer) -> str:
    h, w = arg(layer, "height"), arg(layer, "width")
    return f"{h}×{w}" if is_int(h) and is_int(w) else f"{_shown(layer, 'height')}×{_shown(layer, 'width')}"


@explains(preprocessing_layers.Resizing)
def resizing(layer: Layer) -> Explanation:
    meaning = f"resizes each image to {_size(layer)} pixels (height×width), interpolating between pixels"
    return finish(layer, Explanation(call_text(layer), meaning, how="the channels are kept"))


@explains(preprocessing_layers.CenterCrop)
def center_crop(layer: Layer) -> Explanation:
    meaning = f"keeps the central {_size(layer)} region of each image (height×width)"
    return finish(layer, Explanation(call_text(layer), meaning, how="the channels are kept"))


@explains(preprocessing_layers.RandomCrop)
def random_crop(layer: Layer) -> Explanation:
    meaning = (f"during training, keeps a random {_size(layer)} region of each image (height×width); at inference, "
               "the central region resized to that size")
    return finish(layer, Explanation(call_text(layer), meaning, how="the channels are kept"))


@explains(preprocessing_layers.Normalization)
def normalization(layer: Layer) -> Explanation:
    axis = arg(layer, "axis")
    x = input_of(layer)
    invert = arg(layer, "invert") is True
    action = "undoes a standardization: value · √variance + mean" if invert else (
        "standardizes each value as (value − mean) / √variance")
    kept: Any = None
    if axis is None:
        where = "with one mean and variance for all values"
        kept = 1
    elif is_int(axis) and x is not None and -len(x) <= axis < len(x):
        kept = x[axis]
        where = f"with a mean and variance for each of the {dim(kept)} values along axis {axis}"
    elif (isinstance(axis, (tuple, list)) and axis and all(is_int(a) for a in axis) and x is not None
          and all(-len(x) <= a < len(x) for a in axis)):
        sizes = [x[a] for a in axis]
        kept = 1
        for size in sizes:
            kept = kept * size if is_int(kept) and is_int(size) else None
        where = (f"with a mean and variance for each of the {times(sizes)} positions along axes "
                 f"{', '.join(map(str, axis))}")
    else:
        where = "with a mean and variance for each position along the axes given"
    meaning = f"{action}, {where}"
    given = arg(layer, "mean")
    if given is not None and given is not UNKNOWN:
        params = params_text(layer, "the mean and variance given are constants, not weights", 0)
    elif is_int(kept):
        params = params_text(layer, f"2·{number(kept)} + 1 (mean, variance and a sample count, set by adapt(), never "
                             "trained)", 2 * kept + 1)
    else:
        params = "" if layer.params is None else f"{number(layer.params)} params"
    return finish(layer, Explanation(call_text(layer), meaning, how="shape unchanged", params=params))


def _augment(layer: Layer, what: str) -> Explanation:
    return finish(layer, Explanation(call_text(layer), f"during training, {what}", how=_TRAINING_ONLY))


@explains(preprocessing_layers.RandomFlip)
def random_flip(layer: Layer) -> Explanation:
    mode = arg(layer, "mode")
    how = {"horizontal": "left to right", "vertical": "upside down",
           "horizontal_and_vertical": "left to right and/or upside down"}.get(mode if isinstance(mode, str) else "",
                                                                            f"as mode={_shown(layer, 'mode')} says")
    return _augment(layer, f"flips each image at random, {how}")


@explains(preprocessing_layers.RandomRotation)
def random_rotation(layer: Layer) -> Explanation:
    factor = arg(layer, "factor")
    if isinstance(factor, (int, float)) and not isinstance(factor, bool):
        turn = f"up to {factor:g} of a full turn ({factor * 360:g}°) either way"
    else:
        turn = f"within the fraction of a full turn factor={_shown(layer, 'factor')} gives"
    return _augment(layer, f"rotates each image by a random angle of {turn}")


def _fraction(layer: Layer, name: str) -> str:
    value = arg(layer, name)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{abs(value) * 100:g}%"
    return f"{name}={_shown(layer, name)}"


@explains(preprocessing_layers.RandomZoom)
def random_zoom(layer: Layer) -> Explanation:
    return _augment(layer, f"zooms each image in or out at random, by up to {_fraction(layer, 'height_factor')} "
                           "of its height")


@explains(preprocessing_layers.RandomTranslation)
def random_translation(layer: Layer) -> Explanation:
    return _augment(layer, f"shifts each image at random, by up to {_fraction(layer, 'height_factor')} of its "
                           f"height and {_fraction(layer, 'width_factor')} of its width")


@explains(preprocessing_layers.RandomContrast)
def random_contrast(layer: Layer) -> Explanation:
    return _augment(layer, f"changes each image's contrast by a random factor of up to {_fraction(layer, 'factor')}")


@explains(preprocessing_layers.RandomBrightness)
def random_brightness(layer: Layer) -> Explanation:
    return _augment(layer, f"brightens or darkens each image at random, by up to {_fraction(layer, 'factor')} of "
                           "the value range")


@explains(preprocessing_layers.CategoryEncoding)
def category_encoding(layer: Layer) -> Explanation:
    tokens = arg(layer, "num_tokens")
    mode = arg(layer, "output_mode")
    mode = "multi_hot" if mode == "binary" else mode
    n = str(tokens) if is_int(tokens) else _shown(layer, "num_tokens")
    span = f" (0 to {tokens - 1})" if is_int(tokens) and tokens > 1 else ""
    x = input_of(layer)
    if mode == "one_hot":
        meaning = f"turns each integer id{span} into a one-hot vector of {n} values: 1 in the id's slot, 0 in the others"
        if x is None:
            how = ""
        elif len(x) > 1 and x[-1] == 1:
            how = f"the last axis of 1 id becomes the {n} categories"
        else:
            how = f"a new last axis of {n} categories, one vector per id"
    elif mode in ("multi_hot", "count"):
        marks = ("marks which categories occur: 1 for a category present, 0 for one absent" if mode == "multi_hot"
                 else "counts how many times each category occurs")
        meaning = f"reads the integer ids{span} along each sample's last axis and, in a vector of {n} values, {marks}"
        if x is None or not x:
            how = ""
        elif len(x) == 1:
            how = f"with no axis besides the batch, the whole batch is one set of ids: it becomes the {n} categories"
        else:
            how = f"the last axis of {'' if x[-1] is None else f'{dim(x[-1])} '}ids becomes the {n} categories"
        if x is not None and len(x) > 2:
            computed = format_shape((x[0], *x[2:], tokens)) if is_int(tokens) else "another shape"
            how += (f"; but Keras's call sums over axis 1, not the last axis, so on this {len(x)}-D input it "
                    f"returns {computed}")
    else:
        meaning = f"encodes integer ids over {n} categories, as output_mode={_shown(layer, 'output_mode')} says"
        how = ""
    return finish(layer, Explanation(call_text(layer), meaning, how=how))


@explains(preprocessing_layers.Discretization)
def discretization(layer: Layer) -> Explanation:
    boundaries = arg(layer, "bin_boundaries")
    if isinstance(boundaries, (list, tuple)):
        shown = ", ".join(str(b) for b in boundaries[:6]) + (", ..." if len(boundaries) > 6 else "")
        bins = f"{len(boundaries) + 1} bins split at {shown}"
    else:
        bins = f"{_shown(layer, 'num_bins')} bins whose boundaries `adapt` learns from data"
    mode = arg(layer, "output_mode")
    mode = "int" if mode is UNKNOWN or mode is None else mode
    if mode == "int":
        meaning = f"replaces each number by the index of the bin it falls in ({bins})"
    else:
        meaning = f"puts each number in one of {bins}, then encodes the bin indices as output_mode={mode!r} says"
    return finish(layer, Explanation(call_text(layer), meaning))
