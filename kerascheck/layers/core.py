"""Core layers: Dense, Activation, Embedding, Masking, Lambda, Identity."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from kerascheck.layers.spec import Args, LayerSpec, known_dim, positive_int, register, require_rank, run_checks
from kerascheck.shapes import Shape, Unknowable


@register
class Dense(LayerSpec):
    name = "Dense"
    per_position = True
    signature_text = (
        "units, activation=None, use_bias=True, kernel_initializer='glorot_uniform', "
        "bias_initializer='zeros', kernel_regularizer=None, bias_regularizer=None, "
        "activity_regularizer=None, kernel_constraint=None, bias_constraint=None, "
        "lora_rank=None, lora_alpha=None, quantization_config=None, **kwargs"
    )
    counts = ("units",)
    call_parameters = ("inputs", "training")
    supports_masking = True

    def validate(self, a: Args) -> None:
        positive_int(a, "units")

    def output_shape(self, a: Args, x: Shape) -> Shape:
        require_rank("Dense", x, min_rank=2)
        try:
            units: int | None = a.int("units")
        except Unknowable:
            units = None  # `Dense(vocab_size)` of a size the file does not fix: the other axes are still known
        return x[:-1] + (units,)

    def params(self, a: Args, x: Shape) -> int:
        units = a.int("units")
        return known_dim(x[-1]) * units + (units if a.bool("use_bias") else 0)

    def weight_shapes(self, a: Args, x: Shape | None) -> dict[str, Shape | None]:
        units = a.int("units")
        return {"kernel": (x[-1] if x else None, units), "bias": (units,) if a.bool("use_bias") else None}


class _SameShape(LayerSpec):
    """A layer whose output has its input's shape and which holds no weights."""

    call_parameters: ClassVar[tuple[str, ...] | None] = ("inputs",)

    def output_shape(self, a: Args, x: Shape) -> Shape:
        return x


@register
class Activation(_SameShape):
    name = "Activation"
    per_position = True
    supports_masking = True
    signature_text = "activation, **kwargs"


@register
class Identity(_SameShape):
    name = "Identity"
    passes_values = True
    inference_identity = True
    supports_masking = True
    signature_text = "**kwargs"


@register
class Masking(_SameShape):
    name = "Masking"
    inference_identity = True
    supports_masking = True
    mask_rule = "masking"
    signature_text = "mask_value=0.0, **kwargs"


@register
class Lambda(LayerSpec):
    """Its function is arbitrary code: the shape is unknown unless `output_shape` says it."""
    no_forward = "a Lambda layer runs arbitrary code"

    name = "Lambda"
    signature_text = "function, output_shape=None, mask=None, arguments=None, **kwargs"
    call_parameters = ("inputs", "mask", "training")

    def output_shape(self, a: Args, x: Any) -> Shape:
        declared = a.known("output_shape")
        if isinstance(declared, (tuple, list)) and all(isinstance(d, int) or d is None for d in declared):
            batch = x[0] if isinstance(x, tuple) and x else None
            return (batch, *declared)
        resolved = a.resolved_outputs.get(x) if isinstance(x, tuple) else None
        if resolved is not None:
            return cast(Shape, resolved)  # extraction ran the function on a symbolic input of this shape, as Keras does
        raise Unknowable("Lambda")


@register
class Embedding(LayerSpec):
    name = "Embedding"
    supports_masking = True  # with mask_zero=True (Keras sets it from mask_zero)
    mask_rule = "embedding"
    signature_text = (
        "input_dim, output_dim, embeddings_initializer='uniform', embeddings_regularizer=None, "
        "embeddings_constraint=None, mask_zero=False, weights=None, lora_rank=None, "
        "lora_alpha=None, quantization_config=None, **kwargs"
    )
    counts = ("input_dim", "output_dim")
    tolerated = ("input_length",)  # Keras 3 warns that it is deprecated and builds anyway
    call_parameters = ("inputs",)

    def validate(self, a: Args) -> None:
        run_checks(lambda: positive_int(a, "input_dim"), lambda: positive_int(a, "output_dim"))

    def output_shape(self, a: Args, x: Shape) -> Shape:
        return x + (a.int("output_dim"),)

    def params(self, a: Args, x: Shape) -> int:
        return a.int("input_dim") * a.int("output_dim")
