"""The rules, each in its own module. `ALL_RULES` is in code order; `RULES_BY_CODE` looks them up."""

from __future__ import annotations

from kerascheck.rules.argument_values import InvalidArgumentValue
from kerascheck.rules.arguments import (
    IgnoredInputShape,
    Keras1KernelArguments,
    LayerCallArguments,
    LegacyArgument,
    LegacyCall,
    MissingArgument,
    UnknownArgument,
)
from kerascheck.rules.base import Context, Example, Rule
from kerascheck.rules.build_errors import (
    IncompatibleInput,
    IncompatibleMerge,
    InputRankMismatch,
    InvalidLayerArguments,
    NonPositiveOutput,
    ReshapeSizeMismatch,
)
from kerascheck.rules.dense_on_feature_map import DenseOnFeatureMap
from kerascheck.rules.file_level import ExecutionMismatch, InternalError, SyntaxErrorRule
from kerascheck.rules.hygiene import FlattenAfterGlobalPooling, LayerUsedTwice, UnusedBranch
from kerascheck.rules.loss_activation import (
    BinaryLossOnSoftmax,
    CategoricalLossOnSigmoid,
    CategoricalLossOnSingleUnit,
    FromLogitsOnProbabilities,
    LabelEncodingMismatch,
    ProbabilityLossOnLogits,
    ProbabilityLossOnOtherActivation,
    RegressionLossOnSoftmax,
    SoftmaxOnSingleUnit,
    SquashedTwice,
    UnitsContradictClasses,
)
from kerascheck.rules.missing_input_shape import MissingInputShape
from kerascheck.rules.positional_counts import PositionalCountArguments

ALL_RULES: list[type[Rule]] = sorted(
    [
        SyntaxErrorRule,
        InputRankMismatch,
        NonPositiveOutput,
        ReshapeSizeMismatch,
        IncompatibleInput,
        IncompatibleMerge,
        InvalidLayerArguments,
        DenseOnFeatureMap,
        FlattenAfterGlobalPooling,
        SoftmaxOnSingleUnit,
        BinaryLossOnSoftmax,
        CategoricalLossOnSingleUnit,
        CategoricalLossOnSigmoid,
        FromLogitsOnProbabilities,
        ProbabilityLossOnLogits,
        RegressionLossOnSoftmax,
        UnitsContradictClasses,
        LayerCallArguments,
        SquashedTwice,
        ProbabilityLossOnOtherActivation,
        LabelEncodingMismatch,
        PositionalCountArguments,
        UnknownArgument,
        IgnoredInputShape,
        InvalidArgumentValue,
        MissingArgument,
        LegacyArgument,
        LegacyCall,
        Keras1KernelArguments,
        MissingInputShape,
        LayerUsedTwice,
        UnusedBranch,
        InternalError,
        ExecutionMismatch,
    ],
    key=lambda r: r.CODE,
)
RULES_BY_CODE: dict[str, type[Rule]] = {r.CODE: r for r in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_CODE", "Context", "Example", "Rule"]


def rule_table_markdown() -> str:
    """The README's rule table, generated from the rules themselves (a test keeps the README current)."""
    rows = ["| Code | Name | Severity | Fix | What it finds |", "| --- | --- | --- | --- | --- |"]
    for rule in ALL_RULES:
        fixable = "safe" if "Safe:" in rule.documentation() else "unsafe" if "Unsafe:" in rule.documentation() else ""
        rows.append(f"| {rule.CODE} | {rule.NAME} | {rule.SEVERITY.label} | {fixable} | {rule.summary()} |")
    return "\n".join(rows) + "\n"
