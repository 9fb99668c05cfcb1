"""Validation statistics, computed by the kelias C++ core (the same numbers as ``kelias stats``).

Reliability: :func:`alpha` (Cronbach's alpha with Feldt's interval, item-total
correlations, alpha if an item is deleted, SEM), :func:`icc` (the six Shrout & Fleiss
intraclass correlations with F tests and intervals, as ``psych::ICC``),
:func:`cohen_kappa` (unweighted, linear and quadratic weights, as ``psych::cohen.kappa``).
Validity: :func:`roc_auc` (DeLong interval, as ``pROC::ci.auc``), :func:`delong_test`
(two correlated AUCs, as ``pROC::roc.test``), :func:`roc_curve`, :func:`calibration`
(observed against expected by category, Wilson intervals), :func:`base_rate` and the
fairness audit :func:`group_audit`.

Columns may be pandas or polars Series, NumPy arrays or lists. Missing values (NaN,
None, pandas NA, polars null) are left out as each function documents, and counted
(``n_dropped``). Outcomes are 0/1. Data that cannot give a statistic (one outcome class
only, a constant item, fewer than 2 raters) raise :class:`StatisticError`, whose
``diagnostics`` say why (code E910).

>>> import kelias.stats as ks
>>> ks.roc_auc([1, 2, 3, 4], [0, 0, 1, 1]).auc
1.0
>>> round(ks.cohen_kappa([0, 1, 2, 2], [0, 1, 2, 1]).quadratic.kappa, 3)
0.8
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

from . import _core
from ._errors import Diagnostic, KeliasError, diagnostics

__all__ = [
    "AlphaResult",
    "AucComparison",
    "AucResult",
    "CalibrationResult",
    "GroupAudit",
    "IccResult",
    "Interval",
    "KappaEstimate",
    "KappaResult",
    "Proportion",
    "StatisticError",
    "alpha",
    "base_rate",
    "calibration",
    "cohen_kappa",
    "delong_test",
    "group_audit",
    "icc",
    "read_csv_columns",
    "roc_auc",
    "roc_curve",
]

_core_stats = _core.stats


class StatisticError(KeliasError, ValueError):
    """The data cannot give the statistic; ``.diagnostics`` says why (E910, E104)."""

    def __init__(self, problems: Sequence[Diagnostic]):
        self.diagnostics: List[Diagnostic] = list(problems)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


def _checked(result: Dict[str, Any]) -> Dict[str, Any]:
    if "error" in result:
        raise StatisticError(diagnostics(result["error"]))
    return result


# --- columns -----------------------------------------------------------------------------


def _numeric(column: Any) -> np.ndarray:
    """A 1-D C-contiguous float64 array, NaN for missing (no copy when it already is one)."""
    if hasattr(column, "to_numpy") and type(column).__module__.startswith("polars"):
        column = column.cast(float).fill_null(math.nan).to_numpy()
    elif hasattr(column, "to_numpy"):  # pandas (also nullable dtypes with pd.NA)
        column = column.to_numpy(dtype=float, na_value=np.nan)
    elif isinstance(column, (list, tuple)):
        column = [np.nan if v is None else v for v in column]
    array = np.ascontiguousarray(column, dtype=np.float64)
    if array.ndim != 1:
        raise ValueError("a column must be one-dimensional")
    return array


def _categorical(column: Any) -> List[str]:
    """Text per row, "" for missing (None, NaN, pandas NA, polars null)."""
    values = column.to_list() if hasattr(column, "to_list") else list(column)
    try:
        from pandas import isna
    except ImportError:  # pragma: no cover - pandas is a dependency

        def isna(v: Any) -> bool:
            return isinstance(v, float) and math.isnan(v)

    return ["" if v is None or isna(v) else str(v) for v in values]


def _columns(data: Any, names: Optional[Sequence[str]]) -> Tuple[List[np.ndarray], List[str]]:
    """Columns of a frame (pandas/polars/dict) by name, or of a 2-D array or a list of columns."""
    if names is not None:
        return [_numeric(data[n]) for n in names], list(names)
    if hasattr(data, "columns") and not isinstance(data, np.ndarray):
        names = [str(c) for c in data.columns]
        return [_numeric(data[c]) for c in data.columns], names
    if isinstance(data, dict):
        return [_numeric(v) for v in data.values()], [str(k) for k in data.keys()]
    array = np.asarray(data, dtype=np.float64)
    if array.ndim == 2:
        return [np.ascontiguousarray(array[:, j]) for j in range(array.shape[1])], [
            str(j + 1) for j in range(array.shape[1])
        ]
    return [_numeric(c) for c in data], [str(j + 1) for j in range(len(data))]


def _frame(rows: List[Dict[str, Any]]):
    import pandas as pd

    return pd.DataFrame(rows)


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Interval:
    """A two-sided confidence interval at ``level``."""

    lower: float
    upper: float
    level: float

    @staticmethod
    def of(t: Tuple[float, float, float]) -> "Interval":
        return Interval(*t)


@dataclass(frozen=True)
class Proportion:
    """events / n with Wilson's score interval."""

    n: int
    events: int
    rate: float
    ci: Interval

    @staticmethod
    def of(d: Dict[str, Any]) -> "Proportion":
        return Proportion(d["n"], d["events"], d["rate"], Interval.of(d["ci"]))


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha (listwise), Feldt's interval, SEM; ``items`` is a DataFrame."""

    n: int
    n_dropped: int
    k: int
    alpha: float
    standardized_alpha: float
    ci: Interval
    total_mean: float
    total_sd: float
    sem: float
    items: Any = field(repr=False)  # pandas DataFrame: item, mean, sd, item_total, corrected_item_total, alpha_if_deleted


@dataclass(frozen=True)
class IccResult:
    """The six Shrout & Fleiss forms; ``table`` is a DataFrame (form, psych, icc, f, df1, df2, p, lower, upper)."""

    n: int
    n_dropped: int
    k: int
    ms_rows: float
    ms_columns: float
    ms_error: float
    ms_within: float
    table: Any = field(repr=False)

    def __getitem__(self, form: str) -> Dict[str, Any]:
        """One row by its form ("ICC(2,1)") or psych name ("ICC2")."""
        t = self.table
        row = t[(t["form"] == form) | (t["psych"] == form)]
        if len(row) != 1:
            raise KeyError(form)
        return row.iloc[0].to_dict()


@dataclass(frozen=True)
class KappaEstimate:
    weights: str
    kappa: float
    se: float
    ci: Interval


@dataclass(frozen=True)
class KappaResult:
    n: int
    n_dropped: int
    categories: List[float]
    observed_agreement: float
    expected_agreement: float
    unweighted: KappaEstimate
    linear: KappaEstimate
    quadratic: KappaEstimate


@dataclass(frozen=True)
class AucResult:
    n: int
    n_dropped: int
    positives: int
    negatives: int
    auc: float
    se: float
    ci: Interval

    @staticmethod
    def of(d: Dict[str, Any]) -> "AucResult":
        return AucResult(d["n"], d["n_dropped"], d["positives"], d["negatives"], d["auc"], d["se"], Interval.of(d["ci"]))


@dataclass(frozen=True)
class AucComparison:
    first: AucResult
    second: AucResult
    difference: float
    se: float
    correlation: float
    z: float
    p: float
    ci: Interval


@dataclass(frozen=True)
class CalibrationResult:
    """``table``: category, n, events, observed, lower, upper, expected, expected_events, ratio
    (the last row is "total"); ``hosmer_lemeshow``: (statistic, df, p) or None."""

    table: Any = field(repr=False)
    n_dropped: int = 0
    hosmer_lemeshow: Optional[Tuple[float, float, float]] = None


@dataclass(frozen=True)
class GroupAudit:
    """``table``: per group (and "all"): n, base_rate, its interval, auc, auc_lower,
    auc_upper, tp, fp, tn, fn, fpr, fnr, positive_rate, expected, ratio."""

    cutoff: float
    table: Any = field(repr=False)
    n_dropped: int = 0


# --- functions ---------------------------------------------------------------------------


def alpha(data: Any, items: Optional[Sequence[str]] = None, *, confidence: float = 0.95) -> AlphaResult:
    """Cronbach's alpha of the sum of ``items`` (columns of ``data``; all columns when None).

    Rows missing any item are left out (listwise). Numbers as ``psych::alpha``.
    """
    columns, names = _columns(data, items)
    r = _checked(_core_stats.alpha(columns, confidence))
    table = _frame([{"item": name, **row} for name, row in zip(names, r["items"])])
    return AlphaResult(
        r["n"], r["n_dropped"], r["k"], r["alpha"], r["standardized_alpha"], Interval.of(r["ci"]),
        r["total_mean"], r["total_sd"], r["sem"], table,
    )


def icc(data: Any, raters: Optional[Sequence[str]] = None, *, confidence: float = 0.95) -> IccResult:
    """Intraclass correlations of targets (rows) by raters (columns), as ``psych::ICC(lmer=FALSE)``.

    Targets missing any rating are left out.
    """
    columns, _ = _columns(data, raters)
    r = _checked(_core_stats.icc(columns, confidence))
    table = _frame(
        [
            {k: v for k, v in e.items() if k != "ci"} | {"lower": e["ci"][0], "upper": e["ci"][1]}
            for e in r["estimates"]
        ]
    )
    return IccResult(r["n"], r["n_dropped"], r["k"], r["ms_rows"], r["ms_columns"], r["ms_error"], r["ms_within"], table)


def cohen_kappa(rater1: Any, rater2: Any, *, categories: Optional[Sequence[float]] = None,
                confidence: float = 0.95, variance: str = "fce") -> KappaResult:
    """Cohen's kappa of two raters, unweighted and with linear and quadratic weights.

    ``categories``: the scale's values in order (default: the values used). Rows where
    either rating is missing are left out. Kappas as ``psych::cohen.kappa``; standard
    errors by Fleiss, Cohen & Everitt (1969) (``variance="fce"``), or as psych codes them
    for the weighted kappas (``variance="psych"``, to reproduce psych's intervals).
    """
    if variance not in ("fce", "psych"):
        raise ValueError('variance must be "fce" or "psych"')
    r = _checked(
        _core_stats.cohen_kappa(
            _numeric(rater1), _numeric(rater2), confidence, [float(c) for c in categories or []], variance == "psych"
        )
    )
    est = {e["weights"]: KappaEstimate(e["weights"], e["kappa"], e["se"], Interval.of(e["ci"])) for e in r["estimates"]}
    return KappaResult(
        r["n"], r["n_dropped"], list(r["categories"]), r["observed_agreement"], r["expected_agreement"],
        est["unweighted"], est["linear"], est["quadratic"],
    )


def roc_auc(score: Any, outcome: Any, *, confidence: float = 0.95) -> AucResult:
    """AUC of ``score`` (higher = outcome more likely) for a 0/1 ``outcome``, DeLong interval."""
    return AucResult.of(_checked(_core_stats.roc_auc(_numeric(score), _numeric(outcome), confidence)))


def delong_test(score1: Any, score2: Any, outcome: Any, *, confidence: float = 0.95) -> AucComparison:
    """DeLong's test of two correlated AUCs (same rows), as ``pROC::roc.test(method="delong")``."""
    r = _checked(_core_stats.delong_test(_numeric(score1), _numeric(score2), _numeric(outcome), confidence))
    return AucComparison(
        AucResult.of(r["first"]), AucResult.of(r["second"]), r["difference"], r["se"], r["correlation"], r["z"], r["p"],
        Interval.of(r["ci"]),
    )


def roc_curve(score: Any, outcome: Any):
    """The ROC curve as a DataFrame: threshold (score >= threshold is positive; +inf first), tp, fp, tpr, fpr."""
    import pandas as pd

    r = _checked(_core_stats.roc_curve(_numeric(score), _numeric(outcome)))
    return pd.DataFrame({k: r[k] for k in ("threshold", "tp", "fp", "tpr", "fpr")})


def base_rate(outcome: Any, *, confidence: float = 0.95) -> Proportion:
    """The share of outcome 1 among known outcomes, Wilson interval."""
    return Proportion.of(_checked(_core_stats.base_rate(_numeric(outcome), confidence)))


def _calibration_row(row: Dict[str, Any]) -> Dict[str, Any]:
    o = row["observed"]
    return {
        "category": row["category"], "n": o["n"], "events": o["events"], "observed": o["rate"],
        "lower": o["ci"][0], "upper": o["ci"][1], "expected": row["expected"],
        "expected_events": row["expected_events"], "ratio": row["ratio"],
    }


def calibration(category: Any, outcome: Any, expected: Any = None, *, order: Optional[Sequence[str]] = None,
                confidence: float = 0.95) -> CalibrationResult:
    """Observed outcome rates per category (Wilson intervals) against the mean ``expected`` probability."""
    r = _checked(
        _core_stats.calibration(
            _categorical(category), _numeric(outcome), None if expected is None else _numeric(expected), confidence,
            list(order or []),
        )
    )
    rows = [_calibration_row(x) for x in r["rows"]] + [_calibration_row(r["total"])]
    hl = r["hosmer_lemeshow"]
    return CalibrationResult(_frame(rows), r["n_dropped"], None if hl is None else tuple(hl))


def _group_row(g: Dict[str, Any]) -> Dict[str, Any]:
    auc = g["auc"]
    b = g["base_rate"]
    return {
        "group": g["group"], "n": b["n"], "base_rate": b["rate"], "base_rate_lower": b["ci"][0],
        "base_rate_upper": b["ci"][1],
        "auc": auc["auc"] if auc else math.nan, "auc_lower": auc["ci"][0] if auc else math.nan,
        "auc_upper": auc["ci"][1] if auc else math.nan,
        "tp": g["tp"], "fp": g["fp"], "tn": g["tn"], "fn": g["fn"],
        "fpr": g["false_positive_rate"]["rate"], "fnr": g["false_negative_rate"]["rate"],
        "positive_rate": g["positive_rate"]["rate"], "expected": g["expected"], "ratio": g["ratio"],
    }


def group_audit(group: Any, score: Any, outcome: Any, *, cutoff: float, expected: Any = None,
                order: Optional[Sequence[str]] = None, confidence: float = 0.95) -> GroupAudit:
    """Per group: n, base rate, AUC (NaN when the group has one class only), FPR and FNR at
    ``cutoff`` (score >= cutoff is positive) and observed/expected events; last row "all"."""
    r = _checked(
        _core_stats.group_audit(
            _categorical(group), _numeric(score), _numeric(outcome), None if expected is None else _numeric(expected),
            float(cutoff), confidence, list(order or []),
        )
    )
    rows = [_group_row(g) for g in r["groups"]] + [_group_row(r["overall"])]
    return GroupAudit(r["cutoff"], _frame(rows), r["n_dropped"])


def read_csv_columns(path: str, numeric: Sequence[str] = (), categorical: Sequence[str] = ()) -> Dict[str, Any]:
    """Named columns of a CSV file read by the library, as the CLI reads them: numeric
    columns as float64 arrays (empty/NA = NaN), categorical ones as lists of str ("" = missing)."""
    return _checked(_core_stats.read_csv_columns(str(path), list(numeric), list(categorical)))
