"""Preprocessing layers: rescaling, resizing, cropping, normalization and random augmentation."""

from __future__ import annotations

from kerascheck.layers.core import _SameShape
from kerascheck.layers.spec import Args, LayerSpec, known_dim, normalize_axis, register, require_rank
from kerascheck.shapes import Shape, Unknowable


class _Preprocessing(_SameShape):
    group = "preprocessing"


@register
class Rescaling(_Preprocessing):
    name = "Rescaling"
    signature_text = "scale, offset=0.0, **kwargs"


@register
class Normalization(_Preprocessing):
    name = "Normalization"
    signature_text = "axis=-1, mean=None, variance=None, invert=False, **kwargs"

    def params(self, a: Args, x: Shape) -> int:
        if a.known("mean") is not None:
            return 0  # mean and variance are constants, not weights
        axis = a.known("axis")
        axes = [] if axis is None else list(axis) if isinstance(axis, (tuple, list)) else [axis]
        if not all(isinstance(v, int) for v in axes):
            raise Unknowable("axis")
        size = 1
        for v in axes:
            size *= known_dim(x[normalize_axis(v, len(x))])
        return 2 * size + 1  # mean, variance and the sample count


class _ToSize(LayerSpec):
    """A layer that produces images of `height` x `width` (rank 3 or 4 input)."""

    group = "preprocessing"

    def output_shape(self, a: Args, x: Shape) -> Shape:
        if len(x) not in (3, 4):
            require_rank(self.name, x, exact=4)
        h, w = a.int("height"), a.int("width")
        if a.channels_last():
            return (*x[:-3], h, w, x[-1])
        return (*x[:-2], h, w)


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


@register
class RandomCrop(_ToSize):
    name = "RandomCrop"
    signature_text = "height, width, seed=None, data_format=None, name=None, **kwargs"


def _random(name: str, signature: str) -> type[_Preprocessing]:
    cls = type(name, (_Preprocessing,), {"name": name, "signature_text": signature, "__doc__": f"Keras `{name}`."})
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
