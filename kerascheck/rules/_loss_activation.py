"""KC3xx: the output layer's activation against the loss `compile` is given."""

from __future__ import annotations

from kerascheck.diagnostics import Edit, Fix, Safety
from kerascheck.model import Loss, Model
from kerascheck.rules._outputs import Output, model_output, model_outputs

CATEGORICAL = {"categorical_crossentropy", "sparse_categorical_crossentropy", "categorical_focal_crossentropy"}
BINARY = {"binary_crossentropy", "binary_focal_crossentropy"}
REGRESSION = {"mean_squared_error", "mean_absolute_error", "mean_absolute_percentage_error",
              "mean_squared_logarithmic_error", "huber", "log_cosh"}
PROBABILITIES = {"softmax", "sigmoid"}

_SEQ = "from keras import layers, models\nmodel = models.Sequential([layers.Input(shape=(20,)), layers.Dense(64, activation='relu'), {last}])\n"


# A model with two outputs, a 5-way softmax `cls` and a linear `reg`, for the examples of per-output losses.
_TWO_OUTPUTS = (
    "import keras\nfrom keras import layers\n"
    "inp = keras.Input(shape=(16,))\n"
    "h = layers.Dense(32, activation='relu')(inp)\n"
    "cls = layers.Dense(5, activation='softmax', name='cls')(h)\n"
    "reg = layers.Dense(1, name='reg')(h)\n"
    "model = keras.Model(inp, [cls, reg])\n"
)


def _example(last: str, compile_args: str = "") -> str:
    code = _SEQ.format(last=last)
    if compile_args:
        code += f"model.compile(optimizer='adam', {compile_args})\n"
    return code


def _loss(model: Model) -> Loss | None:
    loss = model.compile.loss if model.compile is not None else None
    return loss if isinstance(loss, Loss) else None


def output_losses(model: Model) -> list[tuple[Output, Loss]]:
    """Each model output with the loss `compile` gives it: one loss for a single output (or for every
    output, as Keras applies it), a list matched by position, a dict matched by output layer name."""
    loss = model.compile.loss if model.compile is not None else None
    if isinstance(loss, Loss):
        single = model_output(model)
        if single is not None:
            return [(single, loss)]
        every = model_outputs(model) or []
        return [(out, loss) for out in every if out is not None]
    outs = model_outputs(model)
    if outs is None or len(outs) < 2:
        return []
    if isinstance(loss, (list, tuple)) and len(loss) == len(outs):
        return [(out, each) for out, each in zip(outs, loss) if out is not None and isinstance(each, Loss)]
    if isinstance(loss, dict):
        by_name = {out.layer.name: out for out in outs if out is not None}
        return [(by_name[key], each) for key, each in loss.items()
                if isinstance(key, str) and key in by_name and isinstance(each, Loss)]
    return []


# Metrics that only make sense for a regression: compiled with one of these and none of the
# classification metrics, the model is trained to predict numbers, not classes.
_REGRESSION_METRICS = {"mae", "mse", "rmse", "mape", "msle", "mean_absolute_error", "mean_squared_error",
                       "root_mean_squared_error", "mean_absolute_percentage_error", "mean_squared_logarithmic_error",
                       "meanabsoluteerror", "meansquarederror", "rootmeansquarederror", "meanabsolutepercentageerror",
                       "r2score", "r2_score", "logcosherror", "log_cosh_error"}


def regression_metrics(model: Model) -> bool:
    """Whether `compile(metrics=...)` names regression metrics only (`["mae"]`, `[keras.metrics.RootMeanSquaredError()]`)."""
    metrics = model.compile.metrics if model.compile is not None else None
    if isinstance(metrics, str):
        metrics = [metrics]
    if not isinstance(metrics, (list, tuple)) or not metrics:
        return False
    names = []
    for metric in metrics:
        if isinstance(metric, str):
            names.append(metric.lower())
        else:
            return False  # an object kerascheck does not name: not evidence
    return all(name in _REGRESSION_METRICS for name in names)


def per_output_losses(model: Model) -> list[str | None] | None:
    """For a functional model of several outputs: each output's loss name by position (a loss list,
    a dict by output name, or one loss for all); None for a model of one output or no readable loss."""
    if model.api != "functional" or len(model.outputs) < 2 or model.compile is None:
        return None
    loss = model.compile.loss
    if isinstance(loss, Loss):
        return [loss.name] * len(model.outputs)
    if isinstance(loss, (list, tuple)) and len(loss) == len(model.outputs):
        return [each.name if isinstance(each, Loss) else None for each in loss]
    if isinstance(loss, dict):
        return [loss[t.layer.name].name if isinstance(loss.get(t.layer.name), Loss) else None for t in model.outputs]
    return None


def _replace_activation(out: Output, new: str) -> Fix | None:
    """Rewrite the activation string literal in place, keeping its quotes."""
    site = out.site
    if site is None or not site.text or site.text[0] not in "'\"" or site.text.strip("'\"") != out.activation:
        return None
    quote = site.text[0]
    value_start = site.span.end_column - len(site.text)
    span = type(site.span)(site.span.end_line, value_start, site.span.end_line, site.span.end_column, site.span.cell)
    if site.span.line != site.span.end_line and site.keyword is None:
        return None
    return Fix(f"use `activation={quote}{new}{quote}`", (Edit(span, f"{quote}{new}{quote}"),), Safety.UNSAFE)




# Activations whose outputs are neither probabilities nor unconstrained scores.
UNBOUNDED = {"relu", "relu6", "elu", "selu", "softplus", "exponential", "leaky_relu", "gelu", "silu", "swish",
             "tanh", "mish", "prelu", "softsign", "hard_tanh"}


_MNIST = (
    "import keras\nfrom keras import layers\n"
    "(x_train, y_train), _ = keras.datasets.mnist.load_data()\n"
    "model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10, activation='softmax')])\n"
    "model.compile(optimizer='adam', loss={loss!r})\n"
    "model.fit(x_train, {labels}, epochs=1)\n"
)


