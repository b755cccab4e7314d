"""KC4xx and KC5xx: layer arguments Keras rejects, ignores, or renamed since Keras 1 and 2."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Edit, Fix, Safety, Span
from kerascheck.model import ArgSite, Layer, Model

# Keras 1/2 keyword -> Keras 3 keyword, where the value means the same thing.
LEGACY_RENAMES = {
    "border_mode": "padding",
    "nb_filter": "filters",
    "subsample": "strides",
    "init": "kernel_initializer",
    "W_regularizer": "kernel_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "b_constraint": "bias_constraint",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
    "inner_init": "recurrent_initializer",
    "inner_activation": "recurrent_activation",
    "U_regularizer": "recurrent_regularizer",
    "subsample_length": "strides",
    "filter_length": "kernel_size",
    "pool_length": "pool_size",
    "atrous_rate": "dilation_rate",
}
# Keras 1/2 keywords Keras 3 dropped, with what to write instead.
LEGACY_REMOVED = {
    "batch_input_shape": "give `input_shape` without the batch size, or `keras.Input(batch_shape=...)`",
    "nb_row": "use `kernel_size=(rows, cols)`",
    "nb_col": "use `kernel_size=(rows, cols)`",
    "dim_ordering": "use `data_format='channels_last'` or `'channels_first'`",
    "consume_less": "drop it",
}


def _site(layer: Layer, keyword: str) -> ArgSite | None:
    return next((s for s in layer.arg_sites if s.keyword == keyword), None)


def _rename(site: ArgSite, new: str, safety: Safety) -> Fix:
    return _rename_keyword(site.span, site.keyword or "", new, safety)


def _rename_keyword(start: Span, keyword: str, new: str, safety: Safety) -> Fix:
    """Rewrite the keyword of `keyword=value` starting at `start`."""
    edit = Edit(Span(start.line, start.column, start.line, start.column + len(keyword), start.cell), new)
    return Fix(f"rename `{keyword}` to `{new}`", (edit,), safety)


def _remove(layer: Layer, site: ArgSite) -> Fix | None:
    """Delete an argument and the comma that separates it from its neighbour."""
    sites = layer.arg_sites
    i = next(k for k, s in enumerate(sites) if s is site)
    if i + 1 < len(sites):
        nxt = sites[i + 1].span
        span = Span(site.span.line, site.span.column, nxt.line, nxt.column, site.span.cell)
    elif i > 0:
        prev = sites[i - 1].span
        span = Span(prev.end_line, prev.end_column, site.span.end_line, site.span.end_column, site.span.cell)
    else:
        span = site.span
    return Fix(f"remove `{site.keyword}=`", (Edit(span, ""),), Safety.SAFE)


def _all_layers(model: Model) -> Iterator[Layer]:
    for layer in model.layers:
        if layer.spec is not None and layer.args is not None and layer.submodel is None:
            yield layer


_CALL_RENAMES: dict[tuple[str, str], str | None] = {
    ("optimizer", "lr"): "learning_rate", ("fit", "nb_epoch"): "epochs", ("fit_generator", "nb_epoch"): "epochs",
}


