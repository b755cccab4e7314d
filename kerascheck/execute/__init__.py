"""The execution check: run each extracted model in NumPy and compare every layer's output shape
(and weight count) with what kerascheck inferred statically.

Importing this package does not import NumPy: the forward passes and the runner are imported on
the first call of `execute_model`, so `kerascheck --execute` is the only path that pays for NumPy.

    from kerascheck.execute import execute_model
    report = execute_model(model)           # an ExecutionReport
    report.for_layer(layer).executed_shape  # e.g. (None, 26, 26, 8)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kerascheck.execute.report import (
    BUDGET,
    CONFIRMED,
    EXECUTED,
    FAILED,
    MISMATCH,
    MODEL_SKIPPED,
    NO_FORWARD,
    NOT_CALLED,
    PARTIAL,
    SKIPPED,
    STATIC_ERROR,
    UNCHECKED,
    UNKNOWN_ARGUMENT,
    UNSUPPORTED,
    UPSTREAM,
    ExecutionReport,
    LayerExecution,
    Substitute,
)

if TYPE_CHECKING:
    from kerascheck.model import Model

__all__ = [
    "BUDGET",
    "CONFIRMED",
    "EXECUTED",
    "FAILED",
    "MISMATCH",
    "MODEL_SKIPPED",
    "NOT_CALLED",
    "NO_FORWARD",
    "PARTIAL",
    "SKIPPED",
    "STATIC_ERROR",
    "UNCHECKED",
    "UNKNOWN_ARGUMENT",
    "UNSUPPORTED",
    "UPSTREAM",
    "ExecutionReport",
    "LayerExecution",
    "Substitute",
    "execute_model",
    "execute_models",
]


def execute_model(model: Model, **options: Any) -> ExecutionReport:
    """Run `model` in NumPy; see `kerascheck.execute.runner.execute_model` for the options
    (batch, memory_budget_bytes, time_budget_s, seed)."""
    from kerascheck.execute.runner import execute_model as run

    return run(model, **options)


def execute_models(models: list[Model], **options: Any) -> list[ExecutionReport]:
    return [execute_model(m, **options) for m in models]
