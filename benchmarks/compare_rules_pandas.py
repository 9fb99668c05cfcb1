#!/usr/bin/env python3
"""Decide the Lithuanian release-pathway rules (13 programmes: the rule set as of commit
51b8b3d, kept as benchmarks/data/lt_release_pathway_13.yaml because the shipped
instruments/lt_release_pathway.yaml has grown past this translation) with
`kelias eligibility` and with plain pandas, check that every decision agrees, and print
the ratios.

Both sides do the same job: read the same JSONL case file (one case per line, in the
case-file format of instruments/README.md, with omitted facts), decide eligible /
not_eligible / undetermined for every programme in three-valued logic, and write one JSON
object per case with the decisions. Times are wall-clock for the whole job. The pandas
translation reads the params, the cr_share table, the instrument freshness limit and the
`requires` lists from the YAML; it refuses to run if a condition's expression in the YAML
is not the one it translates, and it first runs the YAML's own tests through the pandas
code. Lists of records (penalties) become slot columns penalties0_date, penalties0_active,
...; unknown is pd.NA in pandas' nullable dtypes, whose `&`, `|`, `~` are Kleene logic.

Also printed: the evaluation alone, pandas on the in-memory DataFrame against kelias
`decide_columns` as measured by `kelias_bench --benchmark_filter=decide_columns` (only if
that binary exists; it decides its own 1M synthetic cases of the same shape).

    python3 benchmarks/compare_rules_pandas.py --rows 1000000
    python3 benchmarks/compare_rules_pandas.py --kelias /path/to/kelias --bench /path/to/kelias_bench

The kelias program is run as `KELIAS eligibility --rules RULES CASES.jsonl -o OUT.jsonl
--format json --no-earliest --brief`; any program that takes those arguments can stand in. Its
output may carry reasons and other keys: only "case" and each decision's "programme" and
"decision" are compared.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "benchmarks" / "data" / "lt_release_pathway_13.yaml"
DECISIONS = np.array(["eligible", "not_eligible", "undetermined"], dtype=object)
ASSESSMENT = "start_av"
# Text with pd.NA whose comparisons give BooleanArray (Kleene); pandas 3's default "string"
# is Arrow-backed and compares to Arrow booleans, which the `&`/`|` below do not take.
TEXT = pd.StringDtype("python")

# ---- the rule set ------------------------------------------------------------------------

# Every condition of the YAML, as the pandas code below translates it. If the YAML changes,
# the script stops instead of comparing against stale logic.
TRANSLATED = {
    "halfway_house": {
        "hwh_in_correction_house": "regime in ['closed', 'semi_open', 'open']",
        "hwh_quarter_served": "as_of >= date_at_fraction(sentence_start, sentence_end, params.hwh_min_share_served)",
        "hwh_within_year_of_parole": "as_of >= earliest_parole_date - params.hwh_max_time_to_parole",
        "hwh_plan_compliance": "plan_compliance",
        "hwh_risk_low_or_reduced": "(start_av.violence.estimate == 'low' and start_av.nonviolent_offending.estimate == 'low') or risk_reduced",
        "hwh_no_penalty_in_force": "not any(penalties, active)",
        "hwh_not_returned": "not returned_from_open_or_hwh",
        "x:hwh_grave_long_sentence": "crime_category == 'grave' and sentence_end > sentence_start + params.hwh_grave_sentence_limit",
        "x:hwh_sexual_offence": "sexual_offence",
        "x:hwh_organised_crime": "organised_crime_offence",
        "x:hwh_escape_register": "on_escape_register",
    },
    "conditional_release": {
        "cr_in_custody": "regime in ['closed', 'semi_open', 'open', 'halfway_house']",
        "cr_share_served": "as_of >= date_at_fraction(sentence_start, sentence_end, cr_share(crime_category))",
        "cr_no_recent_penalty": "not any(penalties, date > as_of - params.cr_recent_penalty_window)",
        "cr_plan_progress": "plan_compliance",
        "cr_risk_not_high": "(start_av.violence.estimate != 'high' and start_av.nonviolent_offending.estimate != 'high') or court_order_em",
    },
    "intensive_supervision_em": {
        "em_conditional_release": "eligible('conditional_release')",
        "em_court_order": "court_order_em",
        "em_high_risk": "start_av.violence.estimate == 'high' or start_av.nonviolent_offending.estimate == 'high'",
        "x:low_risk_guard": "start_av.violence.estimate == 'low' and start_av.nonviolent_offending.estimate == 'low'",
    },
    "tog_unit": {
        "tog_in_custody": "regime in ['closed', 'semi_open', 'open']",
        "tog_prolific": "convictions_last_5y >= params.tog_min_convictions",
        "tog_motivated": "motivated_to_change",
        "tog_consents_follow_up": "consents_to_follow_up",
        "tog_release_within_window": "as_of >= earliest_parole_date - params.tog_max_time_to_release",
        "x:low_risk_guard": "start_av.violence.estimate == 'low' and start_av.nonviolent_offending.estimate == 'low'",
    },
    "one_to_one": {
        "o2o_probation": "regime == 'probation'",
        "x:low_risk_guard": "start_av.violence.estimate == 'low' and start_av.nonviolent_offending.estimate == 'low'",
    },
    "equip": {
        "equip_juvenile": "years_between(date_of_birth, as_of) < params.equip_max_age",
        "x:low_risk_guard": "start_av.violence.estimate == 'low' and start_av.nonviolent_offending.estimate == 'low'",
    },
    "anger_management": {
        "am_violent_offence": "violent_offence",
        "x:low_risk_guard": "start_av.violence.estimate == 'low' and start_av.nonviolent_offending.estimate == 'low'",
    },
    "bcc": {
        "bcc_not_substance_related": "not substance_related_offence",
        "bcc_non_custodial": "not custodial",
    },
    "education": {"edu_not_in_work_or_study": "not employed_or_studying"},
    "vocational_training": {
        "vt_not_in_work_or_study": "not employed_or_studying",
        "vt_time_to_finish": "sentence_end >= as_of + params.vt_min_time_left",
    },
    "employment": {
        "emp_can_work_outside": "regime in ['open', 'halfway_house', 'probation']",
        "emp_not_in_work_or_study": "not employed_or_studying",
    },
    "pre_release_support": {
        "prs_in_custody": "regime in ['closed', 'semi_open', 'open', 'halfway_house']",
        "prs_release_near": "as_of >= earliest_parole_date - params.prs_window or as_of >= sentence_end - params.prs_window",
    },
    "foreign_nationals_support": {
        "fns_foreign_national": "foreign_national",
        "fns_in_custody": "regime in ['closed', 'semi_open', 'open', 'halfway_house']",
    },
}

DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def parse_duration(text: str) -> tuple[int, int]:
    """`P1Y6M10D` -> (months, days), as kelias keeps them (weeks are days)."""
    m = DURATION.match(str(text))
    if not m or text == "P":
        raise ValueError(f"not a duration: {text!r}")
    y, mo, w, d = (int(g) if g else 0 for g in m.groups())
    return 12 * y + mo, 7 * w + d


def leaves(tree, exclusion: bool, out: dict) -> None:
    if "all" in tree or "any" in tree:
        for child in tree.get("all", tree.get("any")):
            leaves(child, exclusion, out)
    elif "not" in tree:
        leaves(tree["not"], exclusion, out)
    else:
        out[("x:" if exclusion else "") + tree["id"]] = tree["expr"]


class Rules:
    """What the pandas translation reads from the YAML: params, tables, programmes."""

    def __init__(self, path: Path):
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.params = {k: (v["value"] if isinstance(v, dict) else v) for k, v in spec.get("params", {}).items()}
        self.tables = {}
        for tid, t in spec.get("tables", {}).items():
            rows = {}
            for row in t["rows"]:
                if set(row) - {"equals", "value", "label"}:
                    raise SystemExit(f"compare_rules_pandas: table {tid}: only 'equals' rows are translated, got {row}")
                rows.setdefault(row["equals"], row["value"])  # the first matching row wins
            self.tables[tid] = (rows, t.get("default"))
        self.max_age = {i: parse_duration(v.get("max_age", "P6M")) for i, v in spec.get("instruments", {}).items()}
        self.tests = spec.get("tests", [])
        self.programmes = [p["id"] for p in spec["programmes"]]
        self.requires = {p["id"]: list(p.get("requires", [])) for p in spec["programmes"]}
        # Fact types: bool, integer, number, date, duration, category; lists as {field: type}.
        self.facts, self.lists = {}, {}
        kind = lambda f: f if isinstance(f, str) else f.get("type", "category" if "values" in f else "number")  # noqa: E731
        for name, f in spec["facts"].items():
            if isinstance(f, dict) and "list" in f:
                self.lists[name] = {field: kind(t) for field, t in f["list"].items()}
            else:
                self.facts[name] = kind(f)
        # Leaves as written, checked against the translation.
        for p in spec["programmes"]:
            found: dict = {}
            if "eligible_when" in p:
                leaves(p["eligible_when"], False, found)
            if "excluded_when" in p:
                leaves(p["excluded_when"], True, found)
            if found != TRANSLATED.get(p["id"]):
                raise SystemExit(f"compare_rules_pandas: programme {p['id']} in {path.name} is not the one translated here;\n"
                                 f"  YAML:       {found}\n  translated: {TRANSLATED.get(p['id'])}")
        if set(self.programmes) != set(TRANSLATED):
            raise SystemExit(f"compare_rules_pandas: programmes differ: {self.programmes} vs {list(TRANSLATED)}")
        # The tree shapes are all `all` for eligible_when and `any` for excluded_when.
        for p in spec["programmes"]:
            if set(p.get("eligible_when", {"all": []})) != {"all"} or set(p.get("excluded_when", {"any": []})) != {"any"}:
                raise SystemExit(f"compare_rules_pandas: programme {p['id']}: only flat all/any trees are translated")
            for key, group in (("eligible_when", "all"), ("excluded_when", "any")):
                if any(set(c) & {"all", "any", "not"} for c in p.get(key, {group: []})[group]):
                    raise SystemExit(f"compare_rules_pandas: programme {p['id']}: nested groups are not translated")

    def duration(self, name: str) -> tuple[int, int]:
        return parse_duration(self.params[name])


# ---- calendar arithmetic on day numbers (days since 1970-01-01, as kelias::Date) ---------


def add_months(days: np.ndarray, months) -> np.ndarray:
    """kelias::add: months first, the day clamped to the month's end (01-31 + P1M = 02-28/29)."""
    d = days.astype("datetime64[D]")
    month = d.astype("datetime64[M]")
    day0 = (d - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.asarray(months, dtype=np.int64).astype("timedelta64[M]")
    first = target.astype("datetime64[D]")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]") - first).astype(np.int64)
    return (first + np.minimum(day0, length - 1)).astype(np.int64)


def shift(dates: pd.arrays.IntegerArray, duration: tuple[int, int], sign: int) -> pd.arrays.IntegerArray:
    """`date + P..` (sign 1) or `date - P..` (sign -1); unknown stays unknown."""
    months, days = duration
    values = dates.to_numpy(dtype=np.int64, na_value=0)
    out = add_months(values, sign * months) + sign * days
    return pd.arrays.IntegerArray(out, dates.isna().copy())


def year_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def years_between(a: pd.arrays.IntegerArray, b: pd.arrays.IntegerArray) -> pd.arrays.IntegerArray:
    """Whole years completed from a to b (negative when b is before a), as kelias."""
    x, y = a.to_numpy(dtype=np.int64, na_value=0), b.to_numpy(dtype=np.int64, na_value=0)
    back = y < x
    lo, hi = np.where(back, y, x), np.where(back, x, y)
    n = year_of(hi) - year_of(lo)
    n = n - ((n > 0) & (add_months(lo, 12 * n) > hi))
    return pd.arrays.IntegerArray(np.where(back, -n, n), a.isna() | b.isna())


def date_at_fraction(start, end, fraction):
    """start + ceil((end - start) * f) days, the kelias rounding (a day passes whole)."""
    span = (end - start).astype("Float64") * fraction
    values = np.ceil(span.to_numpy(dtype=np.float64, na_value=0.0) - 1e-9)
    return start.astype("Float64") + pd.arrays.FloatingArray(values, span.isna().copy())


def isin(codes, values) -> pd.arrays.BooleanArray:
    """`x in [...]`, unknown when x is."""
    return pd.arrays.BooleanArray(np.asarray(codes.isin(values), dtype=bool), codes.isna().to_numpy().copy())


def known_true(n: int) -> pd.arrays.BooleanArray:
    return pd.arrays.BooleanArray(np.ones(n, dtype=bool), np.zeros(n, dtype=bool))


# ---- the decisions, in vectorised pandas (three-valued: pd.NA is unknown) ---------------


def evaluate(df: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """One column per programme: 0 eligible, 1 not_eligible, 2 undetermined."""
    n = len(df)
    col = {c: df[c].array for c in df.columns}
    as_of, regime = col["as_of"], df["regime"]
    start, end, parole = col["sentence_start"], col["sentence_end"], col["earliest_parole_date"]
    violence, nonviolent = col["start_av.violence.estimate"], col["start_av.nonviolent_offending.estimate"]
    p = rules.params

    # The generated `requires` leaf: an assessment at most max_age old (and not after
    # as_of); never false, unknown when missing or stale.
    fresh = {}
    for instrument, age in rules.max_age.items():
        date = col[f"{instrument}.date"]
        ok = (date >= shift(as_of, age, -1)) & (date <= as_of)
        fresh[instrument] = pd.arrays.BooleanArray(np.ones(n, dtype=bool), ~ok.fillna(False).to_numpy(dtype=bool))

    # Lists: penalties as slots penalties0_*, penalties1_*, ... (`penalties_n` records; unknown when omitted).
    slots = sum(1 for c in df.columns if re.fullmatch(r"penalties\d+_date", c))
    listed = col["penalties_n"]

    def any_penalty(condition) -> pd.arrays.BooleanArray:
        """any(penalties, COND): Kleene OR over the records; unknown for an omitted list."""
        out = pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))
        for k in range(slots):
            exists = (listed > k).fillna(False)
            out = out | (condition(k) & exists)  # no record: false, the OR's neutral
        return pd.arrays.BooleanArray(out.to_numpy(dtype=bool, na_value=False), out.isna() | listed.isna())

    low_risk = (violence == "low") & (nonviolent == "low")
    table, default = rules.tables["cr_share"]
    category = df["crime_category"]
    cr_share = category.map(table).astype("Float64").array  # unknown for a code with no row
    if default is not None:  # a table default applies to known codes that match no row
        unmatched = category.notna().to_numpy() & cr_share.isna()
        cr_share = pd.arrays.FloatingArray(np.where(unmatched, float(default), cr_share.to_numpy(np.float64, na_value=0.0)),
                                           cr_share.isna() & ~unmatched)
    in_correction_house = isin(regime, ["closed", "semi_open", "open"])
    in_institution = isin(regime, ["closed", "semi_open", "open", "halfway_house"])

    eligible, excluded = {}, {}
    eligible["halfway_house"] = (
        in_correction_house
        & (as_of >= date_at_fraction(start, end, p["hwh_min_share_served"]))
        & (as_of >= shift(parole, rules.duration("hwh_max_time_to_parole"), -1))
        & col["plan_compliance"]
        & (low_risk | col["risk_reduced"])
        & ~any_penalty(lambda k: col[f"penalties{k}_active"])
        & ~col["returned_from_open_or_hwh"]
    )
    excluded["halfway_house"] = (
        ((df["crime_category"].array == "grave") & (end > shift(start, rules.duration("hwh_grave_sentence_limit"), 1)))
        | col["sexual_offence"]
        | col["organised_crime_offence"]
        | col["on_escape_register"]
    )
    window = shift(as_of, rules.duration("cr_recent_penalty_window"), -1)
    eligible["conditional_release"] = (
        in_institution
        & (as_of >= date_at_fraction(start, end, cr_share))
        & ~any_penalty(lambda k: col[f"penalties{k}_date"] > window)
        & col["plan_compliance"]
        & (((violence != "high") & (nonviolent != "high")) | col["court_order_em"])
    )
    # eligible('conditional_release') is that programme's decision: freshness and exclusions included.
    cr = decision_of("conditional_release", eligible, excluded, fresh, n, rules)
    eligible["intensive_supervision_em"] = cr & col["court_order_em"] & ((violence == "high") | (nonviolent == "high"))
    excluded["intensive_supervision_em"] = low_risk
    eligible["tog_unit"] = (
        in_correction_house
        & (col["convictions_last_5y"] >= p["tog_min_convictions"])
        & col["motivated_to_change"]
        & col["consents_to_follow_up"]
        & (as_of >= shift(parole, rules.duration("tog_max_time_to_release"), -1))
    )
    excluded["tog_unit"] = low_risk
    eligible["one_to_one"] = regime.array == "probation"
    excluded["one_to_one"] = low_risk
    eligible["equip"] = years_between(col["date_of_birth"], as_of) < p["equip_max_age"]
    excluded["equip"] = low_risk
    eligible["anger_management"] = col["violent_offence"].copy()
    excluded["anger_management"] = low_risk
    eligible["bcc"] = ~col["substance_related_offence"] & ~col["custodial"]
    eligible["education"] = ~col["employed_or_studying"]
    eligible["vocational_training"] = ~col["employed_or_studying"] & (end >= shift(as_of, rules.duration("vt_min_time_left"), 1))
    eligible["employment"] = isin(regime, ["open", "halfway_house", "probation"]) & ~col["employed_or_studying"]
    prs = rules.duration("prs_window")
    eligible["pre_release_support"] = in_institution & ((as_of >= shift(parole, prs, -1)) | (as_of >= shift(end, prs, -1)))
    eligible["foreign_nationals_support"] = col["foreign_national"] & in_institution

    out = {}
    for programme in rules.programmes:
        decision = decision_of(programme, eligible, excluded, fresh, n, rules)
        code = np.where(decision.to_numpy(dtype=bool, na_value=False), 0, 1)
        out[programme] = np.where(decision.isna(), 2, code).astype(np.uint8)
    return pd.DataFrame(out)


def decision_of(programme, eligible, excluded, fresh, n, rules) -> pd.arrays.BooleanArray:
    """requires (fresh assessments) and eligible_when and not excluded_when, three-valued."""
    decision = known_true(n)
    for instrument in rules.requires[programme]:
        decision = decision & fresh[instrument]
    decision = decision & eligible[programme]
    if programme in excluded:
        decision = decision & ~excluded[programme]
    return decision


# ---- reading and writing JSONL with pandas ------------------------------------------------

RESULTS = ["violence.estimate", "nonviolent_offending.estimate"]  # the START:AV results the rules read


def to_days(values) -> pd.arrays.IntegerArray:
    """YYYY-MM-DD text (None/NaN omitted) -> day numbers; a bad date is an error."""
    d = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d", errors="raise")
    mask = d.isna().to_numpy()
    days = d.to_numpy(dtype="datetime64[D]").astype(np.int64)
    return pd.arrays.IntegerArray(np.where(mask, 0, days), mask)


def typed(values, kind: str):
    """A column of JSON values (None/NaN omitted) as the nullable dtype of its fact type."""
    if kind == "date":
        return to_days(values)
    column = pd.Series(values, dtype=object)
    if kind == "bool":
        return column.astype("boolean").array
    if kind in ("integer", "number"):
        x = pd.to_numeric(column, errors="raise").to_numpy(dtype=np.float64)
        mask = np.isnan(x)
        if kind == "integer":
            return pd.arrays.IntegerArray(np.where(mask, 0, x).astype(np.int64), mask)
        return pd.arrays.FloatingArray(np.where(mask, 0.0, x), mask)
    return column.astype(TEXT).array  # category


def read_cases(path: Path, rules: Rules) -> pd.DataFrame:
    """The JSONL case file as one typed DataFrame: a column per fact, lists as slots."""
    with open(path, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    facts = pd.DataFrame.from_records([r.get("facts") or {} for r in records])
    absent = [None] * len(records)
    df = pd.DataFrame({"case": pd.array([r.get("case") for r in records], dtype=TEXT)})
    df["as_of"] = to_days([r.get("as_of") for r in records])
    for name, kind in rules.facts.items():
        df[name] = typed(facts[name].tolist() if name in facts else absent, kind)
    # A list L: L_n records (unknown when omitted) and slots L{k}_{field} (no record: unknown).
    for name, fields in rules.lists.items():
        lists = facts[name].tolist() if name in facts else absent
        counts = np.array([len(x) if isinstance(x, list) else -1 for x in lists])
        df[f"{name}_n"] = pd.arrays.IntegerArray(np.maximum(counts, 0), counts < 0)
        for k in range(int(counts.max(initial=0))):
            kth = [x[k] if isinstance(x, list) and len(x) > k else {} for x in lists]
            for field, kind in fields.items():
                df[f"{name}{k}_{field}"] = typed([(r or {}).get(field) for r in kth], kind)
    # START:AV: its date and the results the rules read.
    assessed = [((r.get("assessments") or {}).get(ASSESSMENT) or {}) for r in records]
    df[f"{ASSESSMENT}.date"] = to_days([a.get("date") for a in assessed])
    for name in RESULTS:
        df[f"{ASSESSMENT}.{name}"] = pd.array([(a.get("scores") or {}).get(name) for a in assessed], dtype=TEXT)
    return df


def write_decisions(path: Path, cases: pd.Series, decided: pd.DataFrame) -> None:
    """One line per case. The decision lists are built once per distinct combination."""
    ids = cases.astype(object)
    if ids.str.contains(r'["\\\x00-\x1f]', regex=True).any():
        ids = ids.map(lambda s: json.dumps(s)[1:-1])
    codes = decided.to_numpy().astype(np.int64)
    key = codes @ (3 ** np.arange(codes.shape[1], dtype=np.int64))
    combos, inverse = np.unique(key, return_inverse=True)
    lists = np.empty(len(combos), dtype=object)
    for j, k in enumerate(combos):
        row = [(int(k) // 3 ** i) % 3 for i in range(codes.shape[1])]
        lists[j] = ",".join(f'{{"programme":"{p}","decision":"{DECISIONS[c]}"}}' for p, c in zip(decided.columns, row))
    line = '{"case":"' + ids + '","decisions":[' + lists[inverse.ravel()] + "]}\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(line.tolist()))


def decide_with_pandas(src: Path, dst: Path, rules: Rules) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    times = {}
    t = time.perf_counter()
    df = read_cases(src, rules)
    times["read"] = time.perf_counter() - t
    t = time.perf_counter()
    decided = evaluate(df, rules)
    times["evaluate"] = time.perf_counter() - t
    t = time.perf_counter()
    write_decisions(dst, df["case"], decided)
    times["write"] = time.perf_counter() - t
    return df, decided, times


def self_test(rules: Rules, workdir: Path) -> tuple[int, list[str]]:
    """Runs the rule set's embedded tests (their `expect` decisions) through the pandas code."""
    usable = [t for t in rules.tests if not any("ratings" in (a or {}) for a in (t.get("assessments") or {}).values())]
    path = workdir / "tests.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i, t in enumerate(usable):
            case = {"case": f"test{i}", "as_of": t.get("as_of"), "facts": t.get("facts") or {}, "assessments": t.get("assessments") or {}}
            f.write(json.dumps(case, default=str) + "\n")
    decided = evaluate(read_cases(path, rules), rules)
    path.unlink()
    failures = []
    for i, t in enumerate(usable):
        for programme, want in (t.get("expect") or {}).items():
            got = DECISIONS[decided[programme].iloc[i]]
            if got != want:
                failures.append(f"test '{t.get('name', i)}': {programme}: expected {want}, pandas says {got}")
    return len(usable), failures


# ---- synthetic cases ----------------------------------------------------------------------


def generate(path: Path, rows: int, seed: int) -> None:
    """Seeded LT cases as JSONL: 0-3 penalties, START:AV `scores` dated up to 8 months before
    as_of (a quarter stale), each fact and estimate omitted with probability ~3% (a third of
    those written as null)."""
    rng = np.random.default_rng(seed)
    epoch = np.datetime64("1970-01-01", "D")
    day = lambda d: (epoch + d.astype("timedelta64[D]")).astype(str).astype(object)  # noqa: E731
    as_of = np.datetime64("2025-01-01", "D").astype(np.int64) + rng.integers(0, 365, rows)
    regimes = np.array(["closed", "semi_open", "open", "halfway_house", "probation"], dtype=object)
    regime = rng.choice(5, rows, p=[0.30, 0.25, 0.15, 0.05, 0.25])
    probation = regime == 4
    custodial = ~probation | (rng.random(rows) < 0.2)
    categories = np.array(["negligent", "minor", "less_serious", "serious", "grave"], dtype=object)
    category = rng.choice(5, rows, p=[0.05, 0.15, 0.35, 0.30, 0.15])
    share = np.array([1 / 3, 0.5, 0.5, 2 / 3, 0.75])[category]
    u = rng.random(rows)
    months = np.where(probation & ~custodial, 6 + rng.integers(0, 31, rows), 6 + (174 * u * u).astype(np.int64))
    length = add_months(as_of, months) - as_of
    start = as_of - (rng.random(rows) * 1.05 * length).astype(np.int64)
    end = add_months(start, months)
    parole = start + np.ceil((end - start) * share).astype(np.int64)
    parole += np.where(rng.random(rows) < 0.3, rng.integers(-15, 16, rows), 0)
    juvenile = rng.random(rows) < 0.05
    age = np.where(juvenile, 14 + rng.integers(0, 4, rows), 18 + rng.integers(0, 52, rows))
    dob = add_months(as_of, -12 * age) - rng.integers(0, 365, rows)
    chance = lambda p: rng.random(rows) < p  # noqa: E731
    text = lambda b: np.where(b, "true", "false").astype(object)  # noqa: E731
    quoted = lambda a: ('"' + pd.Series(a, dtype=object) + '"').to_numpy()  # noqa: E731
    convictions = rng.choice(9, rows, p=[0.30, 0.22, 0.15, 0.11, 0.08, 0.06, 0.04, 0.02, 0.02])
    facts = {
        "regime": quoted(regimes[regime]),
        "custodial": text(custodial),
        "crime_category": quoted(categories[category]),
        "sentence_start": quoted(day(start)),
        "sentence_end": quoted(day(end)),
        "earliest_parole_date": np.where(custodial, quoted(day(parole)), None),
        "sexual_offence": text(chance(0.04)),
        "organised_crime_offence": text(chance(0.05)),
        "on_escape_register": text(custodial & chance(0.04)),
        "returned_from_open_or_hwh": text(custodial & chance(0.05)),
        "plan_compliance": text(chance(0.7)),
        "risk_reduced": text(chance(0.25)),
        "date_of_birth": quoted(day(dob)),
        "convictions_last_5y": convictions.astype(str).astype(object),
        "motivated_to_change": text(chance(0.4)),
        "consents_to_follow_up": text(chance(0.5)),
        "court_order_em": text(chance(0.1)),
        "employed_or_studying": text(chance(0.3)),
        "foreign_national": text(chance(0.06)),
        "violent_offence": text(chance(0.35)),
        "substance_related_offence": text(chance(0.4)),
    }

    def fragments(values: dict) -> pd.Series:
        """`"k":v,` for each given value; omitted ones left out or written as null."""
        out = pd.Series("", index=range(rows), dtype=object)
        for name, v in values.items():
            draw = rng.random(rows)
            v = np.where(draw < 0.01, "null", np.where(draw < 0.03, None, v))
            given = pd.notna(v)
            piece = pd.Series(f'"{name}":', index=out.index, dtype=object) + pd.Series(v, dtype=object).fillna("") + ","
            out = out + piece.where(given, "")
        return out

    body = fragments(facts)
    # Penalties: 0-3 records of this sentence (none off custody), list omitted ~3%.
    count = np.where(custodial, rng.choice(4, rows, p=[0.5, 0.25, 0.15, 0.10]), 0)
    served = np.maximum(as_of - start, 1)
    records = pd.Series("", index=body.index, dtype=object)
    for k in range(3):
        has = count > k
        date = '"date":' + pd.Series(quoted(day(start + (rng.random(rows) * served).astype(np.int64))))
        active = '"active":' + pd.Series(text(chance(0.3)))
        date = date.where(~chance(0.01), "")
        active = active.where(~chance(0.01), "")
        rec = "{" + date + np.where((date != "") & (active != ""), ",", "") + active + "}"
        records = records + pd.Series(np.where(has, np.where(k > 0, ",", "") + rec, ""), index=body.index)
    omitted = rng.random(rows)
    penalties = pd.Series(np.where(omitted < 0.01, '"penalties":null,', np.where(omitted < 0.03, "", '"penalties":[' + records + "],")))
    body = (body + penalties).str.rstrip(",")
    # START:AV results, present ~97%.
    levels = np.array(["low", "moderate", "high"], dtype=object)
    scores = {
        "violence.estimate": quoted(levels[rng.choice(3, rows, p=[0.45, 0.35, 0.20])]),
        "nonviolent_offending.estimate": quoted(levels[rng.choice(3, rows, p=[0.40, 0.40, 0.20])]),
        "substance_abuse.estimate": quoted(levels[rng.choice(3, rows, p=[0.5, 0.3, 0.2])]),
        "unauthorized_absence.estimate": quoted(levels[rng.choice(3, rows, p=[0.5, 0.3, 0.2])]),
        "strength_total": rng.integers(0, 49, rows).astype(str).astype(object),
        "vulnerability_total": rng.integers(0, 49, rows).astype(str).astype(object),
    }
    assessed = '"assessments":{"start_av":{"date":' + pd.Series(quoted(day(as_of - rng.integers(0, 244, rows)))) + ',"scores":{' + \
        fragments(scores).str.rstrip(",") + "}}}"
    assessed = assessed.where(rng.random(rows) >= 0.03, '"assessments":{}')
    ids = pd.Series(np.char.add("LT-", (1_000_000 + np.arange(rows)).astype(str)).astype(object))
    lines = '{"case":"' + ids + '","as_of":' + pd.Series(quoted(day(as_of))) + ',"facts":{' + body + "}," + assessed + "}\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(lines.tolist()))


# ---- kelias ---------------------------------------------------------------------------------

PAIR = re.compile(r'"programme"\s*:\s*"([^"\\]+)"\s*,\s*"decision"\s*:\s*"([a-z_]+)"')
CASE = re.compile(r'^\s*\{\s*"case"\s*:\s*"((?:[^"\\]|\\.)*)"')


def read_kelias(path: Path, programmes: list[str]) -> tuple[list[str], np.ndarray]:
    """Case ids and decision codes from kelias' JSONL (full reasons or not)."""
    index = {p: i for i, p in enumerate(programmes)}
    code = {"eligible": 0, "not_eligible": 1, "undetermined": 2}
    ids, rows = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            m, pairs = CASE.match(line), PAIR.findall(line)
            if m is None or len(pairs) != len(programmes):  # another key order: parse it all
                obj = json.loads(line)
                case = obj.get("case")
                pairs = [(d["programme"], d["decision"]) for d in obj.get("decisions", [])]
            else:
                case = m.group(1) if "\\" not in m.group(1) else json.loads(f'"{m.group(1)}"')
            row = np.full(len(programmes), 255, dtype=np.uint8)
            for programme, decision in pairs:
                row[index[programme]] = code[decision]
            ids.append(case)
            rows.append(row)
    return ids, np.vstack(rows) if rows else np.zeros((0, len(programmes)), dtype=np.uint8)


def agree(src: Path, df: pd.DataFrame, decided: pd.DataFrame, kelias_out: Path, programmes: list[str]) -> tuple[bool, str]:
    ids, k = read_kelias(kelias_out, programmes)
    mine = df["case"].astype(object).tolist()
    if ids != mine:  # another order is fine; missing or extra cases are not
        where = pd.Index(ids).get_indexer(mine) if pd.Index(ids).is_unique else None
        if where is None or len(ids) != len(mine) or (where < 0).any():
            missing = sorted(set(mine) - set(ids))[:5]
            return False, f"kelias decided {len(ids):,} cases, pandas {len(mine):,}; first not decided by kelias: {missing}"
        k = k[where]
    p = decided[programmes].to_numpy()
    differ = k != p
    if not differ.any():
        return True, f"all {p.size:,} decisions agree ({len(mine):,} cases x {len(programmes)} programmes)"
    row, col = np.argwhere(differ)[0]
    with open(src, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i == row:
                break
    got = DECISIONS[k[row, col]] if k[row, col] < 3 else "(missing)"
    counts = ", ".join(f"{programmes[c]}: {n}" for c, n in enumerate(differ.sum(axis=0)) if n)
    return False, (f"{differ.sum():,} decisions differ ({counts}); first: case {mine[row]}, {programmes[col]}: "
                   f"kelias {got}, pandas {DECISIONS[p[row, col]]}\n  case: {line.strip()}")


def bench_decide_columns(bench: Path) -> dict[int, float] | None:
    """Seconds for 1M rows of kelias decide_columns by thread count, from kelias_bench."""
    run = subprocess.run([str(bench), "--benchmark_filter=decide_columns", "--benchmark_format=json",
                          "--benchmark_repetitions=3", "--benchmark_report_aggregates_only=true"],
                         capture_output=True, text=True)
    if run.returncode != 0:
        print(f"kelias_bench failed (exit {run.returncode}): {run.stderr.strip()[-500:]}", file=sys.stderr)
        return None
    out = {}
    for b in json.loads(run.stdout)["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        threads = int(re.search(r"threads:(\d+)", b["name"]).group(1))
        out[threads] = b["items_per_second"]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--kelias", default=os.environ.get("KELIAS", str(ROOT / "build" / "release" / "bin" / "kelias")))
    parser.add_argument("--bench", default=os.environ.get("KELIAS_BENCH"),
                        help="kelias_bench for the evaluation-only comparison (default: beside --kelias)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    if not Path(args.kelias).exists():
        print(f"compare_rules_pandas: no kelias binary at {args.kelias} (run `make build` or pass --kelias)", file=sys.stderr)
        return 2
    bench = Path(args.bench) if args.bench else Path(args.kelias).resolve().parent / "kelias_bench"
    rules = Rules(RULES)
    workdir = Path(tempfile.mkdtemp(prefix="kelias-rules-bench-"))
    try:
        return compare(args, rules, bench, workdir)
    finally:
        if args.keep:
            print(f"files kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def compare(args, rules: Rules, bench: Path, workdir: Path) -> int:
    src, out_k, out_p = workdir / "cases.jsonl", workdir / "kelias.jsonl", workdir / "pandas.jsonl"
    tested, failures = self_test(rules, workdir)
    if failures:
        print("compare_rules_pandas: the pandas translation fails the rule set's own tests:\n  " + "\n  ".join(failures), file=sys.stderr)
        return 1
    print(f"the pandas translation passes the {tested} embedded tests of {RULES.name}")
    print(f"generating {args.rows:,} seeded LT cases ...", flush=True)
    generate(src, args.rows, args.seed)
    size_mb = src.stat().st_size / 1e6

    start = time.perf_counter()
    run = subprocess.run([args.kelias, "eligibility", "--rules", str(RULES), str(src), "-o", str(out_k), "--format", "json",
                          "--no-earliest", "--brief"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    t_kelias = time.perf_counter() - start
    if run.returncode not in (0, 3):
        killed = " (killed: out of memory?)" if run.returncode in (-9, 137) else ""
        print(f"kelias failed (exit {run.returncode}){killed}:\n{run.stderr[-2000:]}", file=sys.stderr)
        return 1

    start = time.perf_counter()
    df, decided, phases = decide_with_pandas(src, out_p, rules)
    t_pandas = time.perf_counter() - start
    t_eval = min([phases["evaluate"]] + [_timed(evaluate, df, rules) for _ in range(2)])

    ok, message = agree(src, df, decided, out_k, rules.programmes)
    mix = {p: np.bincount(decided[p].to_numpy(), minlength=3) / len(decided) for p in rules.programmes}
    out_mb_k, out_mb_p = out_k.stat().st_size / 1e6, out_p.stat().st_size / 1e6
    print(f"input            {size_mb:8.1f} MB, {args.rows:,} cases, {len(rules.programmes)} programmes")
    print(f"kelias           {t_kelias:8.2f} s  ({size_mb / t_kelias:6.1f} MB/s in, {out_mb_k:,.1f} MB out)  [{args.kelias}]")
    print(f"pandas           {t_pandas:8.2f} s  ({size_mb / t_pandas:6.1f} MB/s in, {out_mb_p:,.1f} MB out)  "
          f"read {phases['read']:.2f} s, evaluate {phases['evaluate']:.2f} s, write {phases['write']:.2f} s")
    print(f"ratio            {t_pandas / t_kelias:8.1f}x end to end (pandas time / kelias time; above 1: kelias is faster)")
    if bench.exists():
        rates = bench_decide_columns(bench)
        if rates:
            rate_p = args.rows / t_eval
            print(f"evaluation only: pandas {t_eval:.3f} s on the in-memory DataFrame ({rate_p / 1e3:,.0f}k cases/s, best of 3)")
            for threads, rate in sorted(rates.items()):
                print(f"  kelias decide_columns, {threads} thread{'s' if threads > 1 else ''}: {rate / 1e3:,.0f}k cases/s "
                      f"({args.rows / rate:.3f} s for {args.rows:,}; kelias_bench median of 3 on 1M cases) "
                      f"-> {rate / rate_p:.1f}x pandas")
    else:
        print(f"evaluation only: skipped (no kelias_bench at {bench})")
    print("decision mix     (eligible / not_eligible / undetermined, pandas)")
    for p, m in mix.items():
        print(f"  {p:26s} {m[0]:6.1%} {m[1]:6.1%} {m[2]:6.1%}")
    print(f"agreement        {'OK' if ok else 'MISMATCH'}: {message}")
    return 0 if ok else 1


def _timed(fn, *a) -> float:
    t = time.perf_counter()
    fn(*a)
    return time.perf_counter() - t


if __name__ == "__main__":
    sys.exit(main())
