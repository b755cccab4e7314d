"""KC401: counts passed positionally (filters, units, kernel size)."""

from __future__ import annotations

from collections.abc import Iterator

from kerascheck.diagnostics import Diagnostic, Severity
from kerascheck.fixes.keywords import positional_to_keywords
from kerascheck.model import Model
from kerascheck.rules.base import Context, Example, FixAvailability, Rule


class PositionalCountArguments(Rule):
    """
    ## What it does
    Finds layer calls that pass two or more of their numeric arguments by position, such as
    `Conv2D(32, (3, 3))`, where a reader cannot tell which number is which.

    ## Why is this bad?
    In `Conv2D(32, (3, 3))`, 32 is the number of output filters (the output's channel count)
    and (3, 3) the kernel's height and width; nothing on the line says so, and learners often
    read 32 as an image size. Keywords make the model read as what it builds.

    ## Example
    ```python
    layers.Conv2D(32, (3, 3), activation="relu")
    ```

    ## Use instead
    ```python
    layers.Conv2D(filters=32, kernel_size=(3, 3), activation="relu")
    ```

    ## Fix safety
    Safe: keywords bind the same parameters as the positions did.
    """

    CODE = "KC401"
    NAME = "positional-count-arguments"
    SEVERITY = Severity.INFO
    FIX = FixAvailability.SAFE
    DEFAULT = False  # opt-in: `--extend-select learn`
    INVALID = [
        Example(
            "from keras import layers\nconv = layers.Conv2D(32, (3, 3), activation='relu')\n"
            "from keras import models\nmodel = models.Sequential([conv])\n",
            expect=((2, "`Conv2D(32, (3, 3))` passes filters and kernel_size by position"),),
            fixed=(
                "from keras import layers\nconv = layers.Conv2D(filters=32, kernel_size=(3, 3), activation='relu')\n"
                "from keras import models\nmodel = models.Sequential([conv])\n"
            ),
        ),
    ]
    VALID = [
        Example(
            "from keras import layers, models\n"
            "model = models.Sequential([layers.Conv2D(filters=32, kernel_size=(3, 3))])\n"
        ),
        Example("from keras import layers, models\nmodel = models.Sequential([layers.Dense(64)])\n"),
        Example("from keras import layers, models\nmodel = models.Sequential([layers.Dropout(0.5)])\n"),
        Example(
            "from keras import layers, models\nnum_filters, kernel_size = 32, 3\n"
            "model = models.Sequential([layers.Conv2D(num_filters, kernel_size)])\n"
        ),
    ]

    def check(self, model: Model, ctx: Context) -> Iterator[Diagnostic]:
        for layer in model.layers:
            if layer.spec is None or not layer.arg_sites:
                continue
            positional = [s for s in layer.arg_sites if s.keyword is None and s.param is not None]
            counted = [s for s in positional if s.param in layer.spec.counts and not _self_describing(s.param, s.text)]
            if len(counted) < 2:
                continue
            shown = ", ".join(s.text or _literal(s.value) for s in positional)
            short = layer.written.rsplit(".", 1)[-1]
            params = " and ".join(s.param for s in counted)  # type: ignore[misc]
            meaning = "; ".join(_meaning(s.param, s.value, s.text) for s in counted)  # type: ignore[arg-type]
            message = f"`{short}({shown})` passes {params} by position: {meaning}"
            yield ctx.report(self, layer, message, fix=positional_to_keywords(layer))


def _self_describing(param: str | None, text: str) -> bool:
    """`Conv2D(num_filters, kernel_size)` already says what each number is."""
    if param is None or not text.replace("_", "").replace(".", "").isalnum():
        return False
    word = param.split("_")[0]  # filters, units, kernel, pool
    return word in text.lower()


def _literal(value: object) -> str:
    return repr(value) if isinstance(value, (int, float, str, tuple, list)) else "..."


_MEANINGS = {
    "filters": "{v} is the number of filters (output channels)",
    "units": "{v} is the number of units (output features)",
    "kernel_size": "{v} is the kernel size",
    "pool_size": "{v} is the pooling window",
    "input_dim": "{v} is the vocabulary size",
    "output_dim": "{v} is the embedding size",
}


def _meaning(param: str, value: object, text: str) -> str:
    literal = _literal(value)
    shown = text if not text or text == literal or literal == "..." else f"{text} (= {literal})"
    return _MEANINGS.get(param, "{v} is " + param).format(v=shown or literal)
