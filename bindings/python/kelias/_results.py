"""Plain results: explanations, decisions, plans and pathway moves as dataclasses."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from ._frames import from_days


@dataclass(frozen=True)
class Explanation:
    """How one value was reached: ``what`` (the expression, input or table), its ``value``,
    ``notes`` (policy, counts, the table row that applied) and the explanations of the
    values it used (``children``). ``str()`` is the indented text ``kelias score --explain``
    prints::

        >>> print(start_av.explain(row, "strength_total"))      # doctest: +SKIP
        strength_total = sum(strength) = 17
          ...
    """

    what: str
    value: str
    notes: List[str] = field(default_factory=list)
    children: List["Explanation"] = field(default_factory=list)
    text: str = field(default="", repr=False, compare=False)

    def __str__(self) -> str:
        return self.text or _explanation_text(self, 0)

    @staticmethod
    def from_core(node: Tuple, text: str = "") -> "Explanation":
        what, value, notes, children = node
        return Explanation(what, value, list(notes), [Explanation.from_core(c) for c in children], text)


def _explanation_text(e: Explanation, depth: int) -> str:
    lines = ["  " * depth + f"{e.what} = {e.value}"] + ["  " * (depth + 1) + n for n in e.notes]
    return "\n".join(lines + [_explanation_text(c, depth + 1) for c in e.children])


@dataclass(frozen=True)
class Reason:
    """One condition of a programme and what it said for the case."""

    id: str
    value: Optional[bool]
    text: str
    against: bool
    exclusion: bool
    source: str
    confidence: str
    inputs: List[Tuple[str, str]]
    params: List[Tuple[str, str]]


@dataclass(frozen=True)
class ProgrammeDecision:
    """The answer for one programme: ``eligible``, ``not_eligible`` or ``undetermined``."""

    programme: str
    label: str
    decision: str
    reasons: List[Reason]
    missing: List[str]
    gaps: List[Tuple[str, str, str]]
    earliest_date: Optional[_dt.date]

    @staticmethod
    def from_core(d: Dict[str, Any]) -> "ProgrammeDecision":
        return ProgrammeDecision(
            programme=d["programme"],
            label=d["label"],
            decision=d["decision"],
            reasons=[Reason(**r) for r in d["reasons"]],
            missing=list(d["missing"]),
            gaps=[tuple(g) for g in d["gaps"]],
            earliest_date=from_days(d["earliest_date"]),
        )


@dataclass(frozen=True)
class CaseDecisions:
    """Every programme's decision for one case; ``str()`` explains each condition."""

    case: str
    as_of: Optional[_dt.date]
    rules: str
    hash: str
    assessments: List[str]
    decisions: List[ProgrammeDecision]
    text: str = field(default="", repr=False, compare=False)

    def __str__(self) -> str:
        return self.text

    def find(self, programme: str) -> Optional[ProgrammeDecision]:
        return next((d for d in self.decisions if d.programme == programme), None)

    @staticmethod
    def from_core(d: Dict[str, Any], text: str) -> "CaseDecisions":
        return CaseDecisions(
            case=d["case"],
            as_of=from_days(d["as_of"]),
            rules=d["rules"],
            hash=d["hash"],
            assessments=list(d["assessments"]),
            decisions=[ProgrammeDecision.from_core(p) for p in d["decisions"]],
            text=text,
        )


@dataclass(frozen=True)
class Plan:
    """A case plan (see ``kelias plan``): the parts as plain values, nested parts as the
    dicts of the plan's JSON form; ``str()`` is the plan as text."""

    case: str
    as_of: _dt.date
    policy: str
    policy_hash: str
    rules: str
    assessment: str
    risk: Dict[str, Any]
    needs: int
    dosage: Dict[str, Any]
    targets: List[Dict[str, Any]]
    interventions: List[Dict[str, Any]]
    referrals: List[Dict[str, Any]]
    strengths: List[Dict[str, Any]]
    responsivity: List[Dict[str, Any]]
    unmet: List[Dict[str, Any]]
    review: Dict[str, Any]
    text: str = field(default="", repr=False, compare=False)

    def __str__(self) -> str:
        return self.text

    @staticmethod
    def from_json(d: Dict[str, Any], text: str) -> "Plan":
        values = {k: d.get(k) for k in Plan.__dataclass_fields__ if k != "text"}
        values["as_of"] = _dt.date.fromisoformat(d["as_of"])
        return Plan(**values, text=text)


@dataclass(frozen=True)
class Move:
    """One move out of the current placement: whether its next step may be taken now, by
    whom, and the guard's decision (reasons, missing facts, earliest date)."""

    move: str
    allowed: bool
    taken: Optional[str]
    next: str
    roles: List[str]
    guard: ProgrammeDecision
    earliest_date: Optional[_dt.date]
    blocked_by: str


@dataclass(frozen=True)
class Moves:
    """The open moves of a case on ``as_of``; ``str()`` as ``kelias pathway moves`` prints."""

    case: str
    as_of: _dt.date
    placement: str
    moves: List[Move]
    text: str = field(default="", repr=False, compare=False)

    def __str__(self) -> str:
        return self.text

    @staticmethod
    def from_core(d: Dict[str, Any], text: str) -> "Moves":
        return Moves(
            case=d["case"],
            as_of=from_days(d["as_of"]),
            placement=d["placement"],
            moves=[
                Move(
                    move=m["move"],
                    allowed=m["allowed"],
                    taken=m["taken"],
                    next=m["next"],
                    roles=list(m["roles"]),
                    guard=ProgrammeDecision.from_core(m["guard"]),
                    earliest_date=from_days(m["earliest_date"]),
                    blocked_by=m["blocked_by"],
                )
                for m in d["moves"]
            ],
            text=text,
        )
