"""What a model is trained on against what it computes: the arrays `fit` gets, the model's input and output.

Shapes here are whole arrays' (`x_train.shape`, the samples first) and models' (the batch first, None).
Only sizes both sides know are compared; a size kerascheck does not know never makes a finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kerascheck.diagnostics import Span
from kerascheck.model import DataUse, Layer, Model
from kerascheck.rules.base import layer_call
from kerascheck.shapes import Sym, fed_shape, format_shape, is_known, sizes_differ

# Losses whose labels must have the prediction's shape (after Keras drops a trailing axis of 1).
SAME_SHAPE = {"binary_crossentropy", "categorical_crossentropy", "binary_focal_crossentropy",
              "categorical_focal_crossentropy"}
SPARSE = {"sparse_categorical_crossentropy"}
# Losses computed element by element on labels and predictions broadcast against each other.
ELEMENTWISE = {"mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
               "mean_squared_logarithmic_error", "huber", "log_cosh", "hinge", "squared_hinge", "categorical_hinge",
               "kl_divergence", "poisson", "cosine_similarity"}

USES = {"fit": "`fit`", "predict": "`predict`", "validation_data": "`validation_data`", "evaluate": "`evaluate`",
        "train_on_batch": "`train_on_batch`", "test_on_batch": "`test_on_batch`", "call": "a call"}




def batch(shape: tuple[Any, ...]) -> tuple[Any, ...]:
    """An array's shape as a batch of it: the sample axis unknown, as in a model's shapes."""
    return (None, *shape[1:])


def output(model: Model) -> tuple[Layer, tuple[Any, ...]] | None:
    """The layer giving a model's single output, and the output's shape, when both are known."""
    if model.uncertain or model.incomplete or not model.layers:
        return None
    if model.api == "sequential":
        last = model.layers[-1]
        shape = last.output_shape
    elif model.api == "functional" and len(model.outputs) == 1:
        last, shape = model.outputs[0].layer, model.outputs[0].shape
    else:
        return None
    if not isinstance(shape, tuple) or not shape or isinstance(shape[0], (tuple, list)) or not last.certain:
        return None
    return last, shape


def same_rank(y: tuple[Any, ...], p: tuple[Any, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Keras's `squeeze_or_expand_to_same_rank`: one rank apart, a trailing axis of 1 goes."""
    if len(y) == len(p) + 1 and y[-1] == 1:
        return y[:-1], p
    if len(p) == len(y) + 1 and p[-1] == 1:
        return y, p[:-1]
    return y, p


def labels_problem(loss: str, labels: tuple[Any, ...], predicted: tuple[Any, ...]) -> str | None:
    """How Keras's loss treats labels of this shape against predictions of that one.

    "raises" (fit fails), "broadcasts" (the loss pairs every label with every prediction of another
    position, silently), or None (they agree, or not enough is known to say).
    """
    y, p = batch(labels), predicted
    if loss in SPARSE:
        if len(y) == len(p) and y[-1] == 1:
            y = y[:-1]
        if len(y) != len(p) - 1 or any(sizes_differ(a, b) for a, b in zip(y[1:], p[1:-1])):
            return "raises"
        return None
    y, p = same_rank(y, p)
    if loss in SAME_SHAPE:
        if len(y) != len(p) or any(sizes_differ(a, b) for a, b in zip(y[1:], p[1:])):
            return "raises"
        return None
    if loss not in ELEMENTWISE:
        return None
    # Broadcasting aligns the axes from the right; the batch axis B stands where the ranks put it.
    if len(y) != len(p):
        if any(sizes_differ(a, b) and a != 1 and b != 1 for a, b in zip(reversed(y), reversed(p))):
            return "raises"
        return "broadcasts"  # whatever the sizes, the loss's result has another shape than the labels
    if any(sizes_differ(a, b) and a != 1 and b != 1 for a, b in zip(y[1:], p[1:])):
        return "raises"
    if any(sizes_differ(a, b) for a, b in zip(y[1:], p[1:])):
        return "broadcasts"
    return None


def input_clash(declared: tuple[Any, ...], x: tuple[Any, ...]) -> bool:
    """Whether a functional model's Input rejects batches of x (after Keras's rank adjustment)."""
    given = fed_shape(declared, x)
    return len(given) != len(declared) or any(sizes_differ(a, b) for a, b in zip(given[1:], declared[1:]))


def recurrent(layer: Layer) -> bool:
    """A recurrent layer (one that takes `return_sequences`), or a Bidirectional wrapper of one."""
    return layer.spec is not None and (
        "return_sequences" in layer.spec.signature.names() or layer.spec.name == "Bidirectional")


def step_head(last: Layer, rank: int | None = None) -> Layer | None:
    """The first weighted layer of the per-position head that ends at `last` (Dense, with Dropout or
    BatchNormalization between), walking back while each layer acts on each position alone (and, with
    `rank`, while its input has that rank); None when the head has no weighted layer."""
    head = None
    layer: Layer | None = last
    seen = 0
    while layer is not None and seen < 1000 and layer.spec is not None and layer.spec.per_position:
        if rank is not None and _rank(layer.input_shape) != rank:
            break
        seen += 1
        if layer.params:
            head = layer
        layer = layer.inbound[0] if len(layer.inbound) == 1 else None
    return head


def _resampled(before: Any, after: Any) -> bool:
    """A size multiplied or divided by a whole factor (UpSampling, pooling, a stride)."""
    if not (isinstance(before, int) and isinstance(after, int)) or before <= 0 or after <= 0:
        return False
    return max(before, after) % min(before, after) == 0


def _rank(shape: Any) -> int | None:
    return len(shape) if isinstance(shape, tuple) else None


def ranks(loss: str, labels: tuple[Any, ...], predicted: tuple[Any, ...]) -> tuple[int, int]:
    """The output's rank, and the rank the loss would need it to have for these labels."""
    if loss in SPARSE:
        y = labels[:-1] if len(labels) == len(predicted) and labels[-1] == 1 else labels
        return len(predicted), len(y) + 1
    return len(predicted), len(labels)  # before Keras drops an axis of 1: (N, 50, 1) labels want a sequence


def culprit(last: Layer, out_rank: int, wanted: int, axis: int | None = None) -> Layer:
    """The layer to point at for an output of the wrong rank (or, with `axis`, of the wrong size there).

    Too many axes: the last recurrent layer that returns sequences, else the first layer of the
    per-position head (the Dense applied to a sequence or a map). Too few: the last layer that
    removed an axis (a recurrent layer without `return_sequences`, global pooling, Flatten). The
    right rank but another size on `axis`: the last layer that changed that axis's size.
    """
    chain: list[Layer] = []
    layer: Layer | None = last
    while layer is not None and len(chain) < 1000:
        chain.append(layer)
        layer = layer.inbound[0] if len(layer.inbound) == 1 else None
    if axis is not None and out_rank == wanted:
        for layer in chain:
            before, after = layer.input_shape, layer.output_shape
            if not isinstance(after, tuple) or len(after) != out_rank:
                break
            if isinstance(before, list):  # a merge: it made the size when one of its inputs had another
                changed = any(not isinstance(b, tuple) or len(b) != out_rank or b[axis] != after[axis] for b in before)
                return layer if changed else last
            if not isinstance(before, tuple) or len(before) != out_rank:
                return layer
            if before[axis] != after[axis] and not _resampled(before[axis], after[axis]):
                return layer  # (up- and down-sampling by a whole factor is what such layers are for)
        return last
    if out_rank < wanted:
        for layer in chain:
            rank_in, rank_out = _rank(layer.input_shape), _rank(layer.output_shape)
            if rank_in is not None and rank_out is not None and rank_out < rank_in:
                return layer
        return last
    if out_rank > wanted and out_rank >= 3:  # a sequence or a map where fewer axes were wanted
        for layer in chain:
            if _rank(layer.output_shape) != out_rank:
                break
            if recurrent(layer) and _rank(layer.input_shape) == out_rank:
                return layer
        return step_head(last, out_rank) or last
    return last


def rejects(model: Model, use: DataUse) -> bool:
    """Whether Keras rejects the x of this use as the model's input (what KC107 reports)."""
    if use.x is None:
        return False
    if model.api == "sequential":
        return use.rejected is not None
    if model.api == "functional" and len(model.inputs) == 1 and not model.uncertain:
        declared = model.inputs[0].shape
        return isinstance(declared, tuple) and input_clash(declared, use.x)
    return False


def never_made(model: Model) -> bool:
    """Whether one of the model's layers is a call Keras's constructor rejects: the model never exists."""
    return any(layer.spec is not None and not layer.constructible() for layer in model.layers)


def input_rejected(model: Model, calls: bool = False) -> bool:
    """Whether Keras rejects the data the model is trained or tested on already (KC107): what follows
    from it is not reported again. With `calls`, the tensors it is called on count too."""
    return any((calls or use.call != "call") and rejects(model, use) for use in model.data)


def sample_axis_hint(declared: tuple[Any, ...], x: tuple[Any, ...], call: str = "fit") -> str:
    """`input_shape=x_train.shape`, `input_dim=len(x_train)`: the number of samples used as a size.

    For `predict` (or a call) on one sample's shape, the sample is what misses its batch axis.
    """
    if call in ("predict", "call") and tuple(x) == tuple(declared[1:]):
        return "; x is one sample without its batch axis: give a batch of one (`x[None]`)"
    if len(x) == 4 and len(declared) == 4 and x[1] == declared[3] and tuple(x[2:]) == tuple(declared[1:3]) \
            and x[1] != x[3]:
        return ("; the images are channels-first, the model channels-last: "
                "`x.transpose(0, 2, 3, 1)` puts the channels last")
    named = next((d.expr for d in declared[1:] if isinstance(d, Sym) and d.expr.endswith(".shape[0]")), None)
    if named is not None:
        array = named.removesuffix(".shape[0]")
        return (f"; `{named}` is the number of samples in `{array}` (its first axis), not a size of one sample: "
                f"declare `{array}.shape[1:]`")
    samples = x[0] if x else None
    if is_known(samples) and samples != 1 and samples in declared[1:] and samples not in x[1:]:
        return (f"; {samples} is the number of samples in x (its first axis), not a size of one sample: "
                "declare `x.shape[1:]`")
    return ""


@dataclass(frozen=True)
class LabelsFinding:
    """The first use of labels the compiled loss treats as `problem`, told as the rules say it."""

    at: Layer  # the layer that gives the output its rank (or the output layer)
    loss: str
    use: DataUse
    output: tuple[Any, ...]
    opening: str  # "the model outputs ..., but the labels ... have shape ... (line N)"
    why: str  # "; the output gets its rank at `LSTM(32)`", or nothing
    # Other labels given to the same model fit its output (the training labels, where these are the
    # validation labels): these labels are what is wrong, and the finding goes where they are given.
    labels_wrong: bool = False

    @property
    def where(self) -> Layer | Span:
        return self.use.span if self.labels_wrong else self.at


def labels_finding(model: Model, loss: str | None, problem: str) -> LabelsFinding | None:
    out = output(model)
    if loss is None or out is None or input_rejected(model):
        return None  # where the data does not fit the input (KC107), the output is not what it would be
    if never_made(model):
        return None  # Keras raises where that layer is made: the model it would train never exists
    layer, shape = out
    for use in model.data:
        if use.y is None or labels_problem(loss, use.y, shape) != problem:
            continue
        named = f"`{use.y_text}`" if use.y_text else ""
        out_rank, wanted = ranks(loss, use.y, shape)
        y = batch(use.y)
        axis = next((k for k in range(1, len(shape)) if len(y) == len(shape) and sizes_differ(y[k], shape[k])), None)
        at = culprit(layer, out_rank, wanted, axis)
        if at is layer:
            why = ""
        elif axis is not None and out_rank == wanted:
            why = f"; axis {axis} of the output gets its size ({shape[axis]}) at `{layer_call(at)}`"
        else:
            why = f"; the output gets its rank at `{layer_call(at)}`"
        opening = (f"the model outputs {format_shape(shape)}, but the labels {named} passed to {USES[use.call]} "
                   f"have shape {format_shape(use.y)} ({use.span.place})")
        fitting = next((other for other in model.data if other.y is not None and other is not use
                        and labels_problem(loss, other.y, shape) is None), None)
        if fitting is not None:
            other = f"`{fitting.y_text}`" if fitting.y_text else "the labels"
            why = f"; {other} passed to {USES[fitting.call]} ({fitting.span.place}) fit it"
        return LabelsFinding(at, loss, use, shape, opening, why, labels_wrong=fitting is not None)
    return None


@dataclass(frozen=True)
class TargetsFinding:
    """A target of `fit(x, [y1, y2])` the loss of its output rejects, told as the rule says it."""

    use: DataUse
    index: int
    output: str  # the output layer's name
    message: str


def targets_finding(model: Model, losses: list[Any]) -> TargetsFinding | None:
    """For a model of several outputs trained on a list of targets: the first target its output's loss
    rejects (`losses`: each output's loss name, or None), with a hint when another order fits."""
    if model.api != "functional" or model.uncertain or model.incomplete or len(model.outputs) < 2:
        return None
    shapes = [t.shape for t in model.outputs]
    if len(losses) != len(shapes) or not all(isinstance(s, tuple) for s in shapes):
        return None
    if never_made(model) or any(layer.submodel is not None and input_rejected(layer.submodel, calls=True)
                                for layer in model.layers):
        return None  # Keras raises before the model exists (where a layer is made, or a model is called)
    for use in model.data:
        ys = use.y_list
        if ys is None or len(ys) != len(shapes) or rejects(model, use):
            continue
        for i, (y, shape, loss) in enumerate(zip(ys, shapes, losses)):
            if y is None or loss is None or labels_problem(loss, y, shape) != "raises":
                continue
            name = model.outputs[i].layer.name
            written = f"`{use.y_texts[i]}`" if use.y_texts else f"target {i + 1}"
            message = (f"output {i + 1} of the model (`{name}`, {format_shape(shape)}) is trained on {written} of "
                       f"shape {format_shape(y)} ({use.span.place}): `{loss}` rejects it, so Keras raises there")
            fits = [j for j, other in enumerate(ys) if j != i and other is not None
                    and labels_problem(loss, other, shape) is None]
            if fits:
                message += (f"; {'`' + use.y_texts[fits[0]] + '`' if use.y_texts else f'target {fits[0] + 1}'} "
                            "would fit it: the targets are in another order than the outputs")
            return TargetsFinding(use, i, name, message)
    return None
