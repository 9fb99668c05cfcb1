"""kelias: structured risk assessment, eligibility rules, case plans and pathways.

The Python face of the kelias C++ engine: the same definitions, the same numbers as the
``kelias`` CLI, with pandas, polars and pyarrow tables in and out.

>>> import kelias, pandas as pd
>>> start_av = kelias.load_instrument("start_av")
>>> ratings = pd.read_csv("ratings.csv", keep_default_na=False, na_values=[""])  # doctest: +SKIP
>>> scores = start_av.score(ratings)                                              # doctest: +SKIP
>>> rules = kelias.load_rules("lt_release_pathway")
>>> decisions = rules.decide("cases.jsonl", as_of="2025-06-01")                  # doctest: +SKIP
"""
from . import _core
from ._definitions import (
    Field,
    Instrument,
    ItemInfo,
    Pathway,
    PlanPolicy,
    RuleSet,
    Score,
    case_from_row,
    cases_frame,
    definitions_dir,
    find_definition,
    load_instrument,
    load_pathway,
    load_plan_policy,
    load_rules,
    moves,
    plan,
)
from ._errors import DefinitionError, Diagnostic, KeliasError, RowError, RowProblem
from ._results import CaseDecisions, Explanation, Move, Moves, Plan, ProgrammeDecision, Reason
from . import stats

__version__: str = _core.__version__

__all__ = [
    "__version__",
    "CaseDecisions",
    "DefinitionError",
    "Diagnostic",
    "Explanation",
    "Field",
    "Instrument",
    "ItemInfo",
    "KeliasError",
    "Move",
    "Moves",
    "Pathway",
    "Plan",
    "PlanPolicy",
    "ProgrammeDecision",
    "Reason",
    "RowError",
    "RowProblem",
    "RuleSet",
    "Score",
    "case_from_row",
    "cases_frame",
    "definitions_dir",
    "find_definition",
    "load_instrument",
    "load_pathway",
    "load_plan_policy",
    "load_rules",
    "moves",
    "plan",
]
