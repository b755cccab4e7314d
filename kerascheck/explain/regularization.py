"""Regularization: dropout and noise act only while training; at inference they do nothing."""

from __future__ import annotations

from typing import Any

from kerascheck.explain.base import Explanation, arg, call_text, explains, finish, written
from kerascheck.layers import regularization as regularization_layers
from kerascheck.model import Layer
from kerascheck.shapes import UNKNOWN

_INACTIVE = "inactive at inference; shape unchanged"


def _rate(layer: Layer) -> str:
    """`50%`, or `fraction (rate)` as written when the value is not known."""
    rate: Any = arg(layer, "rate")
    if isinstance(rate, (int, float)) and not isinstance(rate, bool) and 0 <= rate <= 1:
        return f"{rate * 100:g}%"
    return f"fraction ({written(layer, 'rate') or 'rate'})"


def _out_of_range(layer: Layer) -> str:
    """Keras takes `rate` as a fraction; `Dropout(20)` meant 20%, and Keras rejects it."""
    rate: Any = arg(layer, "rate")
    if isinstance(rate, (int, float)) and not isinstance(rate, bool) and not 0 <= rate <= 1:
        shown = written(layer, "rate") or repr(rate)
        return f"rate={shown} is not a fraction between 0 and 1"
    return ""


@explains(regularization_layers.Dropout)
def dropout(layer: Layer) -> Explanation:
    meaning = f"during training, sets a random {_rate(layer)} of the values to 0 and scales the rest up to compensate"
    if _out_of_range(layer):
        meaning = f"during training, sets a random fraction of the values to 0, but {_out_of_range(layer)}"
    return finish(layer, Explanation(call_text(layer), meaning, how=_INACTIVE))


@explains(regularization_layers.SpatialDropout1D, regularization_layers.SpatialDropout2D, regularization_layers.SpatialDropout3D)
def spatial_dropout(layer: Layer) -> Explanation:
    meaning = (f"during training, sets a random {_rate(layer)} of the channels to 0 as whole feature maps, "
               "and scales the rest up")
    return finish(layer, Explanation(call_text(layer), meaning, how=_INACTIVE))


@explains(regularization_layers.AlphaDropout)
def alpha_dropout(layer: Layer) -> Explanation:
    meaning = (f"during training, drops a random {_rate(layer)} of the values while keeping their mean and "
               "variance (for SELU networks)")
    return finish(layer, Explanation(call_text(layer), meaning, how=_INACTIVE))


@explains(regularization_layers.GaussianDropout)
def gaussian_dropout(layer: Layer) -> Explanation:
    rate = _rate(layer)
    meaning = f"during training, multiplies each value by random noise around 1 (rate {rate.removeprefix('fraction ')})"
    return finish(layer, Explanation(call_text(layer), meaning, how=_INACTIVE))


@explains(regularization_layers.GaussianNoise)
def gaussian_noise(layer: Layer) -> Explanation:
    stddev = arg(layer, "stddev")
    shown = written(layer, "stddev") or (repr(stddev) if stddev is not UNKNOWN else "stddev")
    meaning = f"during training, adds random noise with standard deviation {shown} to each value"
    return finish(layer, Explanation(call_text(layer), meaning, how=_INACTIVE))


@explains(regularization_layers.ActivityRegularization)
def activity_regularization(layer: Layer) -> Explanation:
    l1, l2 = written(layer, "l1") or repr(arg(layer, "l1")), written(layer, "l2") or repr(arg(layer, "l2"))
    meaning = (f"passes its input through, and adds a penalty on the size of the values to the training loss "
               f"(l1={l1}, l2={l2})")
    return finish(layer, Explanation(call_text(layer), meaning, how="shape unchanged"))
