"""Pooling layers: Max/Average pooling 1D-3D and their global forms."""

from __future__ import annotations

from typing import ClassVar

from kerascheck.layers.spec import (
    Args,
    LayerSpec,
    checked_ints,
    positive_dims,
    register,
    require_rank,
    run_checks,
    zero_strides,
)
from kerascheck.shapes import Shape, Unknowable, pool_output_length


class _Pooling(LayerSpec):
    rank: ClassVar[int]
    group = "pooling"
    counts = ("pool_size",)
    call_parameters = ("inputs",)

    def validate(self, a: Args) -> None:
        run_checks(
            lambda: checked_ints(a, "pool_size", self.rank),
            lambda: checked_ints(a, "strides", self.rank, allow_zero=True) if a.known("strides") is not None else None,
        )

    def output_shape(self, a: Args, x: Shape) -> Shape:
        require_rank(self.name, x, exact=self.rank + 2)
        pool = a.ints("pool_size", self.rank)
        raw_strides = a.known("strides")
        strides = pool if raw_strides is None else a.ints("strides", self.rank)
        zero_strides(self.name, strides)
        padding = a.padding()
        last = a.channels_last()
        spatial = x[1:-1] if last else x[2:]
        out = tuple(
            pool_output_length(length, p, s, padding) for length, p, s in zip(spatial, pool, strides, strict=True)
        )
        if padding == "valid":
            positive_dims(
                self.name, x, out, f"a {'x'.join(map(str, pool))} window does not fit (valid padding)"
            )
        return (x[0], *out, x[-1]) if last else (x[0], x[1], *out)


def _pool_signature(default: str | None) -> str:
    pool = "pool_size" if default is None else f"pool_size={default}"
    return f"{pool}, strides=None, padding='valid', data_format=None, name=None, **kwargs"


def _pool(name: str, rank: int, default: str | None, alias: str) -> type[_Pooling]:
    cls = type(name, (_Pooling,), {"name": name, "rank": rank, "signature_text": _pool_signature(default),
                                    "aliases": (alias,), "__doc__": f"Keras `{name}`."})
    return register(cls)  # type: ignore[return-value]


MaxPooling1D = _pool("MaxPooling1D", 1, "2", "MaxPool1D")
MaxPooling2D = _pool("MaxPooling2D", 2, "(2, 2)", "MaxPool2D")
MaxPooling3D = _pool("MaxPooling3D", 3, "(2, 2, 2)", "MaxPool3D")
AveragePooling1D = _pool("AveragePooling1D", 1, None, "AvgPool1D")
AveragePooling2D = _pool("AveragePooling2D", 2, None, "AvgPool2D")
AveragePooling3D = _pool("AveragePooling3D", 3, None, "AvgPool3D")


class _GlobalPooling(LayerSpec):
    rank: ClassVar[int]
    global_pooling = True
    group = "pooling"
    signature_text = "data_format=None, keepdims=False, **kwargs"
    call_parameters = ("inputs",)

    def output_shape(self, a: Args, x: Shape) -> Shape:
        require_rank(self.name, x, exact=self.rank + 2)
        last = a.channels_last()
        keepdims = a.bool("keepdims")
        if keepdims:
            if last:
                return (x[0], *([1] * self.rank), x[-1])
            return (x[0], x[1], *([1] * self.rank))
        return (x[0], x[-1] if last else x[1])


def _global(name: str, rank: int, alias: str, call: tuple[str, ...] = ("inputs",)) -> type[_GlobalPooling]:
    masks = "mask" in call  # GlobalAveragePooling1D averages over the unmasked steps, and drops the mask
    cls = type(name, (_GlobalPooling,), {"name": name, "rank": rank, "aliases": (alias,), "call_parameters": call,
                                          "supports_masking": masks, "mask_rule": "none",
                                          "__doc__": f"Keras `{name}`."})
    return register(cls)  # type: ignore[return-value]


GlobalMaxPooling1D = _global("GlobalMaxPooling1D", 1, "GlobalMaxPool1D")
GlobalMaxPooling2D = _global("GlobalMaxPooling2D", 2, "GlobalMaxPool2D")
GlobalMaxPooling3D = _global("GlobalMaxPooling3D", 3, "GlobalMaxPool3D")
# Only the 1-D average takes a mask (it leaves masked steps out of the mean).
GlobalAveragePooling1D = _global("GlobalAveragePooling1D", 1, "GlobalAvgPool1D", ("inputs", "mask"))
GlobalAveragePooling2D = _global("GlobalAveragePooling2D", 2, "GlobalAvgPool2D")
GlobalAveragePooling3D = _global("GlobalAveragePooling3D", 3, "GlobalAvgPool3D")

__all__ = ["Unknowable"]
