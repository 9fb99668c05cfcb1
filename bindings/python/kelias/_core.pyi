"""Type stubs of the compiled engine kelias._core (used through the `kelias` package)."""
from types import ModuleType
from typing import Any, Dict, List, Optional, Sequence, Tuple, TypedDict

import numpy as np
import numpy.typing as npt

__version__: str

class Error(RuntimeError):
    """kelias::Error: args are (formatted text, [diagnostic dicts])."""

DiagnosticDict = Dict[str, Any]
ScoreColumn = Tuple[str, npt.NDArray[np.float64], npt.NDArray[np.bool_], Optional[List[Optional[str]]]]
BorrowedColumn = Tuple[int, npt.NDArray[np.float64], Optional[npt.NDArray[np.uint8]]]
class EntryDict(TypedDict):
    """One item or outcome of Instrument.entries(), in definition order."""

    id: str
    domain: str  # "" outside the domains; the group for outcomes
    is_outcome: bool
    in_totals: bool
    labels: List[Tuple[str, str]]  # (language, text)

# A column of float64 (NaN = missing): any array-like is converted (C-contiguous float64).
FloatColumn = npt.ArrayLike

class Instrument:
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def file(self) -> str: ...
    def fields(self) -> List[Dict[str, Any]]: ...
    def scores(self) -> List[Dict[str, Any]]: ...
    def entries(self) -> List[EntryDict]: ...
    def domains(self) -> List[str]: ...
    def describe(self) -> str: ...
    def describe_json(self) -> str: ...
    def same_definition(self, other: "Instrument") -> bool: ...
    def score_columns(
        self,
        columns: List[BorrowedColumn],
        rows: int,
        as_of_days: Optional[npt.NDArray[np.float64]],
        as_of: Optional[int],
        threads: int,
        run_checks: bool,
    ) -> Dict[str, Any]: ...
    def column_addresses(self, columns: List[BorrowedColumn], rows: int) -> List[int]: ...
    def parse_column(
        self, field: int, cells: List[Any]
    ) -> Tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8], List[Tuple[int, str]]]: ...
    def parse_arrow_columns(
        self, columns: List[Tuple[int, int, List[Tuple[str, int, int, int, int, Tuple[int, ...]]]]], threads: int
    ) -> List[Tuple[npt.NDArray[np.float64], npt.NDArray[np.uint8], List[Tuple[int, str]]]]: ...
    def explain(
        self, cells: Dict[str, str], score: str, row_id: str, as_of: Optional[int]
    ) -> Tuple[Optional[Tuple[Any, ...]], Optional[str], List[DiagnosticDict]]: ...
    def score_file(
        self,
        path: str,
        format: str,
        delimiter: str,
        id_column: str,
        pass_through: Sequence[str],
        date_column: Optional[str],
        as_of: Optional[int],
        threads: int,
        run_checks: bool,
    ) -> Dict[str, Any]: ...

class RuleSet:
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def file(self) -> str: ...
    def programmes(self) -> List[Dict[str, Any]]: ...
    def facts(self) -> List[Dict[str, Any]]: ...
    def describe(self, lang: str = "en") -> str: ...
    def same_definition(self, other: "RuleSet") -> bool: ...
    def decide_json(
        self, lines: List[str], as_of: Optional[int], earliest_dates: bool, threads: int, lang: str, brief: bool = False
    ) -> Dict[str, Any]: ...
    def explain_json(
        self, json: str, as_of: Optional[int], lang: str
    ) -> Tuple[Optional[Dict[str, Any]], Optional[str], List[DiagnosticDict]]: ...

class PlanPolicy:
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def file(self) -> str: ...
    def describe(self) -> str: ...
    def plan_json(
        self, rules: RuleSet, json: str, as_of: Optional[int], lang: str
    ) -> Tuple[Optional[str], Optional[str], List[DiagnosticDict]]: ...

class Pathway:
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def key(self) -> str: ...
    @property
    def hash(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def rules_id(self) -> str: ...
    def describe(self, lang: str = "en") -> str: ...
    def moves_json(
        self, rules: RuleSet, json: str, as_of: Optional[int], lang: str
    ) -> Tuple[Optional[Dict[str, Any]], Optional[str], List[DiagnosticDict]]: ...
    def rules(self) -> Tuple[Optional[RuleSet], List[DiagnosticDict]]: ...

def load_instrument(text: str, file: str) -> Tuple[Optional[Instrument], List[DiagnosticDict]]: ...
def load_instrument_file(path: str) -> Tuple[Optional[Instrument], List[DiagnosticDict]]: ...
def load_rules(text: str, file: str) -> Tuple[Optional[RuleSet], List[DiagnosticDict]]: ...
def load_rules_file(path: str) -> Tuple[Optional[RuleSet], List[DiagnosticDict]]: ...
def load_plan_policy(text: str, file: str) -> Tuple[Optional[PlanPolicy], List[DiagnosticDict]]: ...
def load_pathway(text: str, file: str, rules: Optional[RuleSet]) -> Tuple[Optional[Pathway], List[DiagnosticDict]]: ...
def case_to_json(text: str, file: str) -> Tuple[Optional[str], List[DiagnosticDict]]: ...
def find_definition(id_or_path: str) -> Optional[str]: ...
def parse_date(text: str) -> Optional[int]: ...

class _Stats(ModuleType):
    """kelias._core.stats (src/stats_bindings.cpp; used through kelias.stats). Every function
    returns a dict of the result's fields, or ``{"error": [DiagnosticDict, ...]}`` when the
    data cannot give the statistic. An interval is a tuple ``(lower, upper, level)``; a
    proportion a dict ``n, events, rate, ci``."""

    @staticmethod
    def alpha(items: Sequence[FloatColumn], confidence: float) -> Dict[str, Any]:
        """n, n_dropped, k, alpha, standardized_alpha, ci, total_mean, total_sd, sem, items
        ([{mean, sd, item_total, corrected_item_total, alpha_if_deleted}])."""
    @staticmethod
    def icc(raters: Sequence[FloatColumn], confidence: float) -> Dict[str, Any]:
        """n, n_dropped, k, ms_rows, ms_columns, ms_error, ms_within, estimates
        ([{form, psych, icc, f, df1, df2, p, ci}])."""
    @staticmethod
    def cohen_kappa(
        rater1: FloatColumn, rater2: FloatColumn, confidence: float, categories: Sequence[float], psych_variance: bool
    ) -> Dict[str, Any]:
        """n, n_dropped, categories, observed_agreement, expected_agreement, estimates
        ([{weights, kappa, se, ci}])."""
    @staticmethod
    def roc_auc(score: FloatColumn, outcome: FloatColumn, confidence: float) -> Dict[str, Any]:
        """n, n_dropped, positives, negatives, auc, se, ci."""
    @staticmethod
    def delong_test(
        score1: FloatColumn, score2: FloatColumn, outcome: FloatColumn, confidence: float
    ) -> Dict[str, Any]:
        """first, second (as roc_auc), difference, se, correlation, z, p, ci."""
    @staticmethod
    def roc_curve(score: FloatColumn, outcome: FloatColumn) -> Dict[str, Any]:
        """threshold, tpr, fpr (float64 arrays), tp, fp (int64 arrays)."""
    @staticmethod
    def calibration(
        category: Sequence[str],
        outcome: FloatColumn,
        expected: Optional[FloatColumn],
        confidence: float,
        order: Sequence[str],
    ) -> Dict[str, Any]:
        """rows and total ({category, observed (a proportion), expected, expected_events,
        ratio}), n_dropped, hosmer_lemeshow ((statistic, df, p) or None)."""
    @staticmethod
    def group_audit(
        group: Sequence[str],
        score: FloatColumn,
        outcome: FloatColumn,
        expected: Optional[FloatColumn],
        cutoff: float,
        confidence: float,
        order: Sequence[str],
    ) -> Dict[str, Any]:
        """cutoff, n_dropped, groups and overall ({group, base_rate, auc (as roc_auc, or
        None), tp, fp, tn, fn, false_positive_rate, false_negative_rate, positive_rate
        (proportions), expected, ratio})."""
    @staticmethod
    def base_rate(outcome: FloatColumn, confidence: float) -> Dict[str, Any]:
        """A proportion: n, events, rate, ci."""
    @staticmethod
    def read_csv_columns(path: str, numeric: Sequence[str], categorical: Sequence[str]) -> Dict[str, Any]:
        """{column name: float64 array (numeric) or list of str (categorical)}."""

stats: _Stats
