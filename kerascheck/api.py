"""The Python API: `kerascheck.check`, `check_paths`, `summary` and `fix`.

    >>> import kerascheck
    >>> report = kerascheck.check(open("model.py").read(), "model.py")
    >>> [layer.output_shape for layer in report.models[0].layers]
    [(None, 30, 30, 32), ...]
    >>> [(d.code, d.span.line) for d in report.diagnostics]
    [('KC201', 10)]

The objects are the ones the JSON contract (docs/CONTRACT.md, version 1) describes, typed:
`report.to_dict()` is exactly the file's entry in `kerascheck --format json`. Like everything
else in kerascheck, the API reads text and never imports or runs the code it checks.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kerascheck.config import Config, ConfigError, ConfigFinder
from kerascheck.diagnostics import Diagnostic
from kerascheck.engine import FileResult, Settings, check_text

if TYPE_CHECKING:
    from kerascheck.fixes.apply import FixOutcome

__all__ = [
    "ConfigError",
    "FileReport",
    "LayerInfo",
    "ModelInfo",
    "Settings",
    "check",
    "check_paths",
    "fix",
    "settings_for",
    "summary",
]

Dim = int | str | None  # a size; None for the batch axis or one nobody can know; str for a symbolic size
Shape = tuple[Dim, ...]
SOURCE_NAME = "<string>"


@dataclass(frozen=True)
class LayerInfo:
    """One layer, in the order of Keras's own `model.layers` (see the JSON contract)."""

    name: str
    type: str
    line: int  # 1-based
    column: int  # 1-based
    inputs: tuple[str, ...]  # names of the layers feeding this one
    input_shape: Shape | list[Shape] | None  # a list for a layer with several inputs
    output_shape: Shape | list[Shape] | None
    params: int | None  # None where unknown
    explanation: str  # what its arguments mean and how its output follows (`--explain-model`)
    cell: int | None = None  # 1-based notebook cell that `line` counts in

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "type": self.type, "line": self.line, "column": self.column,
            **({"cell": self.cell} if self.cell is not None else {}),
            "inputs": list(self.inputs), "input_shape": _shape_out(self.input_shape),
            "output_shape": _shape_out(self.output_shape), "params": self.params,
            "explanation": self.explanation,
        }
        return out


@dataclass(frozen=True)
class ModelInfo:
    name: str | None  # the variable it is bound to
    line: int
    api: str  # "sequential" | "functional" | "subclass"
    layers: tuple[LayerInfo, ...]
    total_params: int | None
    cell: int | None = None
    keras_name: str = ""  # the name Keras gives it ("sequential", "functional_1", ...)
    non_trainable_params: int | None = None  # of total_params, those training leaves alone

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "line": self.line, "api": self.api,
            "layers": [layer.to_dict() for layer in self.layers], "total_params": self.total_params,
            "non_trainable_params": self.non_trainable_params,
        }
        if self.cell is not None:
            out["cell"] = self.cell
        return out


@dataclass(frozen=True)
class FileReport:
    """What kerascheck found in one file or string.

    `diagnostics` are `kerascheck.diagnostics.Diagnostic` objects: `code`, `severity` (a `Severity`,
    ordered), `message`, `span` (1-based `line`, `column`, `end_line`, `end_column` exclusive, and
    `cell` in a notebook), `rule_name` and `fix` (a `Fix` with a `title`, its `safety` and its
    `edits`), or None.
    """

    path: str
    models: tuple[ModelInfo, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    error: str | None = None  # the file could not be read (not UTF-8, not a notebook, ...)
    skipped: bool = False  # the text never mentions keras or tensorflow, so nothing was parsed
    result: FileResult | None = field(default=None, repr=False, compare=False)  # the engine's own result

    def to_dict(self) -> dict[str, Any]:
        """The file's entry in the JSON contract, exactly as `kerascheck --format json` prints it."""
        from kerascheck.report.json import diagnostic_json

        return {
            "path": self.path,
            "models": [m.to_dict() for m in self.models],
            "diagnostics": [diagnostic_json(d) for d in self.diagnostics],
        }

    def summary(self) -> str:
        """Every model's summary table, as `kerascheck --shapes` prints it."""
        if self.result is None:
            return ""
        return _summary_text(self.result)


def _several(value: Any) -> bool:
    """A layer of several outputs (or inputs) has a list of shapes, each a list or None (unknown)."""
    return any(isinstance(s, (list, tuple)) for s in value)


def _shape_in(value: Any) -> Any:
    if value is None:
        return None
    if _several(value):
        return [None if s is None else tuple(s) for s in value]
    return tuple(value)


def _shape_out(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, list):
        return [None if s is None else list(s) for s in value]
    return list(value)


def _report(result: FileResult) -> FileReport:
    from kerascheck.report.json import file_json

    data = file_json(result)
    models = []
    for m, model in zip(data["models"], result.models):
        layers = tuple(
            LayerInfo(
                name=layer["name"], type=layer["type"], line=layer["line"], column=layer["column"],
                inputs=tuple(layer["inputs"]), input_shape=_shape_in(layer["input_shape"]),
                output_shape=_shape_in(layer["output_shape"]), params=layer["params"],
                explanation=layer["explanation"], cell=layer.get("cell"),
            )
            for layer in m["layers"]
        )
        models.append(ModelInfo(m["name"], m["line"], m["api"], layers, m["total_params"], m.get("cell"),
                                model.keras_name, m["non_trainable_params"]))
    return FileReport(result.path, tuple(models), tuple(result.diagnostics), result.read_error, result.skipped,
                      result)


def settings_for(path: str | None, finder: ConfigFinder | None = None) -> tuple[Settings, Config]:
    """The settings the command line would use for `path`: `[tool.kerascheck]` from the nearest
    pyproject.toml above it (select, extend-select, ignore, per-file-ignores). Raises ConfigError."""
    from kerascheck.rules import PRESETS, RULES_BY_CODE

    # Unlike the command line's default, editors and notebooks get every rule, the explanatory ones
    # (KC401, KC601, both info) included: shown beside the code, they are what a learner reads.
    if path is None:
        return Settings(), Config()
    finder = finder or ConfigFinder(set(RULES_BY_CODE), PRESETS)
    config = finder.for_path(path)
    select = (config.select or ("KC",)) + config.extend_select
    return Settings(select=select, ignore=config.ignore + config.ignores_for(path)), config


def check(source: str, path: str | None = None, *, settings: Settings | None = None) -> FileReport:
    """Check `source`, the text of a Python file (or a notebook's JSON when `path` ends in `.ipynb`).

    `path` names the file in the report and finds its `[tool.kerascheck]` settings, unless
    `settings` is given; it is never read. `# noqa` comments are honoured as on the command line.
    """
    if settings is None:
        settings = settings_for(path)[0]
    return _report(check_text(path or SOURCE_NAME, source, settings))


def _discover(paths: Iterable[str | os.PathLike[str]], finder: ConfigFinder) -> list[str]:
    from kerascheck.walk import walk

    files: list[str] = []
    for entry in paths:
        path = os.fspath(entry)
        if os.path.isdir(path):
            files.extend(f for f in walk(path) if not finder.for_path(f).excluded(f))
        elif os.path.exists(path):
            files.append(path)
        else:
            raise FileNotFoundError(f"{path}: no such file or directory")
    return files


def check_paths(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    *,
    settings: Settings | None = None,
    jobs: int = 1,
) -> list[FileReport]:
    """Check files, notebooks and directories (walked for `*.py` and `*.ipynb`, honouring `.gitignore`
    and `exclude`), as `kerascheck PATH...` does. Each file gets its own `[tool.kerascheck]` settings
    unless `settings` is given. `jobs`: worker processes (1: none; 0: automatic)."""
    from kerascheck.rules import PRESETS, RULES_BY_CODE
    from kerascheck.runner import check_many

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    finder = ConfigFinder(set(RULES_BY_CODE), PRESETS)
    files = _discover(paths, finder)
    chosen = {f: settings or settings_for(f, finder)[0] for f in files}
    results = check_many(files, chosen.__getitem__, jobs=jobs)
    return [_report(r) for r in results]


def _summary_text(result: FileResult) -> str:
    from kerascheck.report.text import summary_table

    blocks = ["\n".join(summary_table(result.path, model)) for model in result.models]
    return "\n\n".join(blocks) + ("\n" if blocks else "")


def summary(source: str, path: str | None = None) -> str:
    """The summary table of every model in `source`, as `kerascheck --shapes` prints it."""
    return check(source, path).summary()


def fix(source: str, path: str | None = None, *, unsafe: bool = False, settings: Settings | None = None) -> str:
    """`source` with the fixes applied: the safe ones, and with `unsafe` those that change the model."""
    return _fix_outcome(source, path, unsafe=unsafe, settings=settings).text


def _fix_outcome(source: str, path: str | None, *, unsafe: bool, settings: Settings | None) -> FixOutcome:
    from kerascheck.fixes.apply import FixOutcome, fix_notebook, fix_until_stable

    chosen = settings if settings is not None else settings_for(path)[0]
    name = path or SOURCE_NAME
    if name.endswith(".ipynb"):
        import copy

        result = check_text(name, source, chosen)
        if result.source is None or result.source.notebook is None:
            return FixOutcome(source, [], [])
        return fix_notebook(copy.deepcopy(result.source.notebook), result.diagnostics, unsafe=unsafe,
                            original=source)
    return fix_until_stable(source, lambda text: check_text(name, text, chosen).diagnostics, unsafe=unsafe)
