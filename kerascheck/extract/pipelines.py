"""Data pipelines: the datasets `keras.utils` and `tf.data` make, and the batches they give.

`keras.utils.image_dataset_from_directory(path, image_size=(180, 180), batch_size=32)` reads files
kerascheck never sees, yet its batches' shapes are written in the call: `(None, 180, 180, 3)`
images and `(None,)` labels. A `Dataset` keeps the shapes of one element (a batch, once batched),
each as a partly known array (tables.DataArray: the batch axis is unknown, the last batch being
smaller); its methods keep or change them as tf.data does, and a loop over it, `next(iter(ds))` and
`fit(ds)` see its elements. `.map(fn)` runs the file's function on tensors of the element's shapes,
as tf.data traces it, and keeps the shapes it returns. What is not written (a file's images of any
size) stays unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from kerascheck.extract import numpy_values as knp
from kerascheck.extract import tables
from kerascheck.extract.common import MISSING
from kerascheck.extract.values import BoundMethod, Tensor
from kerascheck.shapes import UNKNOWN


@dataclass(frozen=True)
class Dataset:
    """A tf.data dataset: the shapes of one element (UNKNOWN where not known) and how many there are."""

    element: Any  # a DataArray / NdArray, or a tuple (or dict) of them, or UNKNOWN
    count: int | None = None  # the number of elements, when known (`.take(1)`)


# How `.map` runs a function on an element: the interpreter calls it on tensors of the arrays' shapes.
MapRunner = Callable[[Any, list[Any]], Any]

_SAME = frozenset({"shuffle", "prefetch", "cache", "repeat", "skip", "filter", "with_options", "apply_options",
                   "ignore_errors"})
_COLOR_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}


def _size(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _each(element: Any, change: Any) -> Any:
    """`change` applied to each array of an element (a tuple or dict of them, or one)."""
    if isinstance(element, tuple):
        return tuple(_each(e, change) for e in element)
    if isinstance(element, dict):
        return {k: _each(v, change) for k, v in element.items()}
    shape = tables.as_shape(element)
    return change(shape) if shape is not None else UNKNOWN


def _batched(element: Any) -> Any:
    """Each array of an element with a batch axis in front (of unknown size: the last batch is smaller)."""
    return _each(element, lambda shape: tables.array_of((None, *shape)))


def _unbatched(element: Any) -> Any:
    return _each(element, lambda shape: tables.array_of(shape[1:]) if shape else UNKNOWN)


def _sliced(value: Any) -> Any:
    """`from_tensor_slices(x)`: one element per row of x (a tuple or dict of arrays slices each)."""
    if isinstance(value, tuple):
        return tuple(_sliced(v) for v in value)
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _sliced(v) for k, v in value.items()}
    if isinstance(value, list):
        value = knp.call("numpy.array", [value], {})  # a list of numbers or of rows
    shape = tables.as_shape(value)
    return tables.array_of(shape[1:]) if shape else UNKNOWN


def utils_call(name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """`keras.utils.image_dataset_from_directory(...)` and its kin: a Dataset of the batches they give
    (with `subset="both"`, the training and the validation datasets)."""
    if keywords.get("subset") == "both" and name != "timeseries_dataset_from_array":
        one = utils_call(name, positional, {k: v for k, v in keywords.items() if k != "subset"})
        return (one, one) if isinstance(one, Dataset) else UNKNOWN
    if name in ("image_dataset_from_directory", "image_dataset_from_directory_v2"):
        size = keywords.get("image_size", (256, 256))
        channels = _COLOR_CHANNELS.get(keywords.get("color_mode", "rgb"))
        if not isinstance(size, (tuple, list)) or len(size) != 2 or channels is None:
            return Dataset(UNKNOWN)
        height, width = (_size(d) for d in size)
        images = tables.array_of((height, width, channels))
        labels = _labels(keywords.get("label_mode", "int"))
        element = images if labels is None else (images, labels)
        return _maybe_batched(Dataset(element), keywords)
    if name == "audio_dataset_from_directory":
        # each file decoded as `tf.audio.decode_wav(desired_samples=output_sequence_length)` does:
        # (samples, channels), the channels those of the files; a batch without a length is padded to its
        # longest file, and `sampling_rate` resamples (so changes the length)
        if keywords.get("ragged", False) is not False:
            return Dataset(UNKNOWN)
        length = _size(keywords.get("output_sequence_length")) if keywords.get("sampling_rate") is None else None
        audio = tables.DataArray((length, None))
        labels = _labels(keywords.get("label_mode", "int")) if keywords.get("labels", "inferred") is not None else None
        return _maybe_batched(Dataset(audio if labels is None else (audio, labels)), keywords)
    if name == "text_dataset_from_directory":
        texts = tables.array_of(())
        labels = _labels(keywords.get("label_mode", "int"))
        return _maybe_batched(Dataset(texts if labels is None else (texts, labels)), keywords)
    if name == "timeseries_dataset_from_array":
        data = positional[0] if positional else keywords.get("data")
        targets = keywords.get("targets", positional[1] if len(positional) > 1 else None)
        length = _size(keywords.get("sequence_length", positional[2] if len(positional) > 2 else None))
        shape = tables.as_shape(data)
        if shape is None or length is None:
            return Dataset(UNKNOWN)
        windows = tables.array_of((length, *shape[1:]))
        target_shape = tables.as_shape(targets)
        pair = (windows, tables.array_of(target_shape[1:]) if target_shape is not None else UNKNOWN)
        return _maybe_batched(Dataset(windows if targets is None else pair),
                              {"batch_size": keywords.get("batch_size", 128)})
    return UNKNOWN


def _labels(mode: Any) -> Any:
    """The labels of one image or text: class ids, a yes/no value, one-hot rows (of unknown width)."""
    if mode is None:
        return None
    if mode == "int":
        return tables.array_of(())
    if mode == "binary":
        return tables.array_of((1,))
    if mode == "categorical":
        return tables.DataArray((None,))  # as many columns as class folders: not known here
    return UNKNOWN


def _maybe_batched(dataset: Dataset, keywords: dict[str, Any]) -> Dataset:
    batch = keywords.get("batch_size", 32)
    if batch is None:
        return dataset  # `batch_size=None`: single elements
    return replace(dataset, element=_batched(dataset.element))


def data_call(name: str, positional: list[Any], keywords: dict[str, Any]) -> Any:
    """`tf.data.Dataset.from_tensor_slices(...)` and `from_tensors(...)`."""
    value = positional[0] if positional else keywords.get("tensors")
    if name == "from_tensor_slices":
        return Dataset(_sliced(value))
    if name == "from_tensors":
        return Dataset(_whole(value), 1)
    if name == "from_generator":
        # `from_generator(gen, output_signature=(tf.TensorSpec(shape=(98, 40, 1)), ...))`: the elements have
        # the shapes the signature declares (tf.data checks every one it yields)
        signature = keywords.get("output_signature", MISSING)
        if signature is not MISSING:
            return Dataset(_declared(signature))
        shapes = keywords.get("output_shapes", positional[2] if len(positional) > 2 else MISSING)
        if shapes is not MISSING:
            return Dataset(_declared(shapes, specs=False))
    return UNKNOWN


@dataclass(frozen=True)
class TensorSpec:
    """`tf.TensorSpec(shape=..., dtype=...)`: the shape a value must have (None where any size will do)."""

    shape: Any


def tensor_spec(positional: list[Any], keywords: dict[str, Any]) -> Any:
    shape = keywords.get("shape", positional[0] if positional else UNKNOWN)
    if isinstance(shape, (list, tuple)) and all(
            d is None or isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in shape):
        return TensorSpec(tuple(shape))
    return UNKNOWN


def _declared(signature: Any, specs: bool = True) -> Any:
    """The arrays of an element a signature declares: TensorSpecs (or, `output_shapes=`, shapes), in a
    tuple or dict; anything else is unknown."""
    if specs and isinstance(signature, TensorSpec):
        return tables.array_of(signature.shape)
    if not specs and isinstance(signature, (tuple, list)) and all(
            d is None or isinstance(d, int) and not isinstance(d, bool) for d in signature):
        return tables.array_of(tuple(signature))
    if isinstance(signature, tuple):
        return tuple(_declared(s, specs) for s in signature)
    if isinstance(signature, dict) and all(isinstance(k, str) for k in signature):
        return {k: _declared(v, specs) for k, v in signature.items()}
    return UNKNOWN


def _whole(value: Any) -> Any:
    if isinstance(value, tuple):
        return tuple(_whole(v) for v in value)
    shape = tables.as_shape(value)
    return tables.array_of(shape) if shape is not None else UNKNOWN


def attribute(dataset: Dataset, attr: str) -> Any:
    if attr in _SAME or attr in ("batch", "unbatch", "take", "map", "padded_batch", "as_numpy_iterator"):
        return BoundMethod(dataset, attr)
    return UNKNOWN  # class_names, element_spec, cardinality...


def _as_element(value: Any) -> Any:
    """What a `.map` function returned, as the arrays of an element: a tensor's shape (a size the file
    does not fix stays unknown), a tuple or dict of them; anything else is unknown."""
    if isinstance(value, Tensor):
        if value.shape is None:
            return UNKNOWN
        return tables.array_of(tables.known_sizes(value.shape))
    if isinstance(value, tuple):
        return tuple(_as_element(v) for v in value)
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        return {k: _as_element(v) for k, v in value.items()}
    return value if tables.as_shape(value) is not None else UNKNOWN


def _mapped(dataset: Dataset, positional: list[Any], keywords: dict[str, Any], run: MapRunner | None) -> Dataset:
    """`ds.map(fn)`: `fn` run on tensors of the element's shapes (a tuple element gives one argument per
    array, as tf.data does), its result the new element."""
    fn = positional[0] if positional else keywords.get("map_func")
    if run is None or fn is None or dataset.element is UNKNOWN or len(positional) > 2 or set(keywords) - {
            "map_func", "num_parallel_calls", "deterministic", "name"}:
        return Dataset(UNKNOWN)
    args = list(dataset.element) if isinstance(dataset.element, tuple) else [dataset.element]
    return Dataset(_as_element(run(fn, args)), dataset.count)


def method(dataset: Dataset, name: str, positional: list[Any], keywords: dict[str, Any], node: Any,
           run: MapRunner | None = None) -> Any:
    if name == "map":
        return _mapped(dataset, positional, keywords, run)
    if name in _SAME:
        return Dataset(dataset.element)
    if name == "take":
        count = positional[0] if positional else keywords.get("count")
        return Dataset(dataset.element, count if _size(count) is not None else None)
    if name == "batch":
        return Dataset(_batched(dataset.element))
    if name == "unbatch":
        return Dataset(_unbatched(dataset.element))
    if name == "as_numpy_iterator":
        return dataset
    if name == "padded_batch" and not (set(keywords) - {"batch_size", "drop_remainder"}) and len(positional) <= 1:
        # each batch pads every axis to its longest element: a size the elements share stays, the others
        # are the batch's (unknown); `padded_shapes=` is not followed
        return Dataset(_batched(dataset.element))
    return Dataset(UNKNOWN)  # `.padded_batch(..., padded_shapes=...)`: elements not followed


def items(dataset: Dataset, body_breaks: bool) -> list[Any] | None:
    """The elements a loop over the dataset sees: all of them when their number is known, the first
    when the loop's body ends in `break`; else None (an unknown number of elements)."""
    if dataset.element is UNKNOWN:
        return None
    if dataset.count is not None and dataset.count <= 16:
        return [dataset.element] * dataset.count
    return [dataset.element] if body_breaks else None


def fit_arrays(dataset: Dataset) -> tuple[Any, Any]:
    """What `fit(ds)` trains on: the element's inputs and targets."""
    element = dataset.element
    if isinstance(element, tuple) and len(element) in (2, 3):
        return element[0], element[1]
    return element, None
