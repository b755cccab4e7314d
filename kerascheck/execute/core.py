"""Core layers (Dense, Embedding, Identity, Masking) and the layers that are identities at inference:
dropout and noise, ActivityRegularization, and the random augmentation layers."""

from __future__ import annotations

from typing import Any

import numpy as np

from kerascheck.execute.activations import activation_of
from kerascheck.execute.registry import Unsupported, WeightSpec, register
from kerascheck.layers import core as core_layers
from kerascheck.layers.spec import Args, spec_classes
from kerascheck.shapes import Unknowable

Array = Any


def _no_lora(args: Args) -> None:
    for name in ("lora_rank", "quantization_config"):
        if name in args.spec.signature.names() and args.known(name) is not None:
            raise Unsupported(f"{name} is not modelled by the NumPy forward pass")


def _dense_weights(args: Args, x: tuple[int, ...]) -> list[WeightSpec]:
    _no_lora(args)
    units = args.int("units")
    specs = [WeightSpec("kernel", (x[-1], units))]
    if args.bool("use_bias"):
        specs.append(WeightSpec("bias", (units,), "bias"))
    return specs


@register(core_layers.Dense, weights=_dense_weights)
def _dense(args: Args, weights: list[Array], x: Array) -> Array:
    act = activation_of(args)
    kernel = weights[0]
    y = np.dot(x.reshape(-1, kernel.shape[0]), kernel).reshape(*x.shape[:-1], kernel.shape[1])
    if args.bool("use_bias"):
        y = y + weights[1]
    return act(y)


def _embedding_weights(args: Args, x: tuple[int, ...]) -> list[WeightSpec]:
    _no_lora(args)
    return [WeightSpec("embeddings", (args.int("input_dim"), args.int("output_dim")), "embedding")]


@register(core_layers.Embedding, weights=_embedding_weights, int_input=True)
def _embedding(args: Args, weights: list[Array], x: Array) -> Array:
    (table,) = weights
    indices = np.asarray(x).astype(np.int32)
    if indices.size and (indices.min() < 0 or indices.max() >= table.shape[0]):
        raise Unsupported(f"indices outside [0, {table.shape[0]}) reach the Embedding")
    return np.take(table, indices, axis=0)


def _identity(args: Args, weights: list[Array], x: Array) -> Array:
    return x


# Identities at inference (Keras's predict() runs them with training=False).
INFERENCE_IDENTITIES = tuple(spec.name for spec in spec_classes() if spec.inference_identity)
register(*(spec for spec in spec_classes() if spec.inference_identity))(_identity)

__all__ = ["INFERENCE_IDENTITIES", "Unknowable"]
