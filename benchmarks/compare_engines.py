#!/usr/bin/env python3
"""kelias against polars and DuckDB (and pandas as a baseline) on the two batch workloads,
end to end, file to file, in one run.

1. START:AV scoring: the ratings CSV of benchmarks/compare_pandas.py (its generator and its
   scoring rules: the same 15 scores, `na` and omitted cells, proration) -> the scores CSV
   that `kelias score` writes.
2. LT rules: the cases JSONL of benchmarks/compare_rules_pandas.py (its generator, and the
   rule set benchmarks/data/lt_release_pathway_13.yaml with its params and tables) -> one
   JSON object per case with the 13 decisions, as `kelias eligibility --format json --brief
   --no-earliest` writes them.

polars runs lazily (scan_csv / scan_ndjson -> sink_csv / sink_ndjson), DuckDB as SQL
(read_csv / read_json -> COPY TO), each written as a strong user of that engine would:
typed reads, vectorised expressions, three-valued logic through the engine's own null
semantics (Kleene AND/OR in both). Before any timing, the rule set's embedded tests run
through the polars and the DuckDB translations; every value of every output (each score of
each row, each decision of each case) is then checked against kelias. Each engine runs
--repeat times in rotating order; the table shows medians, MB/s of input and ratios
(their time / kelias' time: above 1, kelias is faster). polars and DuckDB run in this
process (their import time is not counted); kelias runs as a subprocess.

    python3 benchmarks/compare_engines.py --rows 1000000 --kelias build/release/bin/kelias
    python3 benchmarks/compare_engines.py --rows 200000 --repeat 5 --skip-pandas --workload rules

Needs polars and duckdb (requirements-bench.txt; `make bench` installs them in build/venv).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import compare_pandas as score_pd  # noqa: E402  (the START:AV generator and pandas scoring)
import compare_rules_pandas as rules_pd  # noqa: E402  (the LT generator, the Rules reader, pandas rules)

try:
    import duckdb
    import polars as pl
except ImportError as missing:  # pragma: no cover
    sys.exit(f"compare_engines: {missing.name} is not installed (pip install -r requirements-bench.txt, or `make bench`)")

ROOT = Path(__file__).resolve().parent.parent
INSTRUMENT = score_pd.INSTRUMENT
RULES = rules_pd.RULES
DOMAINS = ("individual", "relationships_environment", "response_to_interventions")
DECISIONS = list(rules_pd.DECISIONS)  # code 0, 1, 2
MAX_OMITTED = 4  # proration is given up above this many omitted ratings (as compare_pandas.py)

# ---- kelias --------------------------------------------------------------------------------

def run_kelias(argv: list[str]) -> None:
    run = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode not in (0, 3):  # 3: some rows had warnings or problems (still written)
        killed = " (killed: out of memory?)" if run.returncode in (-9, 137) else ""
        raise RuntimeError(f"kelias failed (exit {run.returncode}){killed}:\n{run.stderr[-2000:]}")


# ---- START:AV scoring ------------------------------------------------------------------------


@dataclass
class Layout:
    items: list  # (id, domain, in_totals, na fields) as compare_pandas.load_layout gives them
    outcomes: list[str]

    @property
    def dynamic(self) -> list[tuple[str, str]]:
        return [(i, d) for i, d, in_totals, _ in self.items if in_totals]


def score_polars(src: Path, dst: Path, layout: Layout) -> None:
    """The scores with polars' lazy API: every column read as text, ratings cast leniently
    (`na` and empty become null), horizontal sums and counts."""
    dynamic = layout.dynamic
    n_items = len(dynamic)
    lf = pl.scan_csv(src, infer_schema=False)
    exprs, totals = [pl.col("id")], {}
    for field in ("strength", "vulnerability"):
        raw = [pl.col(f"{i}.{field}") for i, _ in dynamic]
        values = [c.cast(pl.Int64, strict=False) for c in raw]
        total = pl.sum_horizontal(values)
        known = pl.sum_horizontal([v.is_not_null() for v in values])
        na = pl.sum_horizontal([(c == "na").fill_null(False) for c in raw])
        omitted = n_items - known - na
        totals[field] = (total, known, na, omitted)
    exprs += [totals["strength"][0].alias("strength_total"), totals["vulnerability"][0].alias("vulnerability_total"),
              totals["strength"][1].alias("strength_n"), totals["vulnerability"][1].alias("vulnerability_n")]
    for domain in DOMAINS:
        for field in ("strength", "vulnerability"):
            cols = [pl.col(f"{i}.{field}").cast(pl.Int64, strict=False) for i, d in dynamic if d == domain]
            exprs.append(pl.sum_horizontal(cols).alias(f"{domain}_{field}"))
    exprs.append(pl.sum_horizontal([(pl.col(f"{i}.key") == "true").fill_null(False) for i, _ in dynamic]).alias("key_strengths"))
    exprs.append(pl.sum_horizontal([(pl.col(f"{i}.critical") == "true").fill_null(False) for i, _ in dynamic])
                 .alias("critical_vulnerabilities"))
    for field in ("strength", "vulnerability"):
        total, known, na, omitted = totals[field]
        prorated = (pl.when(omitted > MAX_OMITTED).then(None)
                    .when(omitted == 0).then(total.cast(pl.Float64))
                    .when(known > 0).then(total * (n_items - na) / known))
        exprs.append(prorated.alias(f"{field}_total_prorated"))
    estimates = pl.all_horizontal([pl.col(f"{o}.estimate").is_not_null() for o in layout.outcomes])
    exprs.append(((totals["strength"][3] == 0) & (totals["vulnerability"][3] == 0) & estimates).alias("complete"))
    exprs.append(pl.lit("start_av@2014").alias("instrument"))
    lf.select(exprs).sink_csv(dst)


def score_duckdb(src: Path, dst: Path, layout: Layout) -> None:
    """The scores in DuckDB SQL, generated from the instrument's layout: every column read as
    VARCHAR (empty is NULL), TRY_CAST for the ratings, one expression per score."""
    dynamic = layout.dynamic
    q = lambda name: '"' + name.replace('"', '""') + '"'  # noqa: E731
    rating = lambda i, f: f"TRY_CAST({q(f'{i}.{f}')} AS INTEGER)"  # noqa: E731
    total = lambda f, dom=None: " + ".join(f"coalesce({rating(i, f)}, 0)" for i, d in dynamic if dom in (None, d))  # noqa: E731
    known = lambda f: " + ".join(f"({rating(i, f)} IS NOT NULL)::INTEGER" for i, _ in dynamic)  # noqa: E731
    na = lambda f: " + ".join(f"coalesce({q(f'{i}.{f}')} = 'na', false)::INTEGER" for i, _ in dynamic)  # noqa: E731
    flags = lambda f: " + ".join(f"coalesce({q(f'{i}.{f}')} = 'true', false)::INTEGER" for i, _ in dynamic)  # noqa: E731
    parts = ["id"]
    for f in ("strength", "vulnerability"):
        parts += [f"{total(f)} AS {f}_total", f"{known(f)} AS {f}_n", f"{na(f)} AS {f}_na"]
    for dom in DOMAINS:
        parts += [f"{total(f, dom)} AS {dom}_{f}" for f in ("strength", "vulnerability")]
    parts += [f"{flags('key')} AS key_strengths", f"{flags('critical')} AS critical_vulnerabilities"]
    estimates = " AND ".join(f"{q(o + '.estimate')} IS NOT NULL" for o in layout.outcomes)
    parts.append(f"{estimates} AS estimates_given")
    n = len(dynamic)
    prorated = lambda f: (f"CASE WHEN {n} - {f}_n - {f}_na > {MAX_OMITTED} THEN NULL "  # noqa: E731
                          f"WHEN {n} - {f}_n - {f}_na = 0 THEN {f}_total::DOUBLE "
                          f"WHEN {f}_n > 0 THEN {f}_total * ({n} - {f}_na) / {f}_n::DOUBLE END")
    # The columns as named in the header, all VARCHAR (empty is NULL): given rather than
    # sniffed, which costs DuckDB about a second for these 124 columns.
    with open(src, encoding="utf-8") as f:
        names = next(csv.reader(f))
    header = "{" + ", ".join(f"{sql_text(name)}: 'VARCHAR'" for name in names) + "}"
    columns = ["strength_total", "vulnerability_total", "strength_n", "vulnerability_n"]
    columns += [f"{dom}_{f}" for dom in DOMAINS for f in ("strength", "vulnerability")]
    columns += ["key_strengths", "critical_vulnerabilities"]
    sql = f"""
        COPY (
          WITH s AS (SELECT {', '.join(parts)} FROM read_csv({sql_text(src)}, header = true, auto_detect = false,
                                                               delim = ',', quote = '"', columns = {header}))
          SELECT id, {', '.join(columns)},
                 {prorated('strength')} AS strength_total_prorated,
                 {prorated('vulnerability')} AS vulnerability_total_prorated,
                 {n} - strength_n - strength_na = 0 AND {n} - vulnerability_n - vulnerability_na = 0
                   AND estimates_given AS complete,
                 'start_av@2014' AS instrument
          FROM s
        ) TO {sql_text(dst)} (FORMAT csv, HEADER true)"""
    with duckdb.connect() as con:
        con.execute(sql)


def sql_text(value) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def read_scores(path: Path) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def scores_agree(reference: pl.DataFrame, other: pl.DataFrame, name: str) -> str | None:
    """None when every value agrees (texts exactly, numbers to 1e-12 relative, empty = empty);
    otherwise what differs first."""
    if reference.columns != other.columns:
        return f"{name}: columns differ:\n  kelias: {reference.columns}\n  {name}: {other.columns}"
    if reference.height != other.height:
        return f"{name}: {other.height:,} rows, kelias {reference.height:,}"
    for col in reference.columns:
        a, b = reference[col], other[col]
        if col in ("id", "instrument", "complete"):
            same = (a == b).fill_null(False) | (a.is_null() & b.is_null())
        else:
            x = a.cast(pl.Float64).to_numpy()
            y = b.cast(pl.Float64).to_numpy()
            same = pl.Series(np.isclose(x, y, rtol=1e-12, atol=1e-12, equal_nan=True))
        if not same.all():
            row = int(np.argmin(same.to_numpy()))
            return f"{name}: column {col} differs first at row {row}: kelias {a[row]!r}, {name} {b[row]!r}"
    return None


# ---- LT rules --------------------------------------------------------------------------------

RESULTS = rules_pd.RESULTS  # the START:AV results the rules read
ASSESSMENT = rules_pd.ASSESSMENT
POLARS_TYPES = {"bool": pl.Boolean, "integer": pl.Int64, "number": pl.Float64, "date": pl.Date, "category": pl.String}
DUCKDB_TYPES = {"bool": "BOOLEAN", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE", "category": "VARCHAR"}


def polars_schema(rules) -> dict:
    facts = {name: POLARS_TYPES[kind] for name, kind in rules.facts.items()}
    for name, fields in rules.lists.items():
        facts[name] = pl.List(pl.Struct({f: POLARS_TYPES[k] for f, k in fields.items()}))
    scores = pl.Struct({r: pl.String for r in RESULTS})
    return {"case": pl.String, "as_of": pl.Date, "facts": pl.Struct(facts),
            "assessments": pl.Struct({ASSESSMENT: pl.Struct({"date": pl.Date, "scores": scores})})}


def decide_polars(src: Path, dst: Path, rules) -> None:
    """The 13 decisions with polars' lazy API. Unknown is null: polars' `&`/`|` are Kleene,
    comparisons and `is_in` of null are null, so the rule trees translate directly."""
    p = rules.params
    lf = pl.scan_ndjson(src, schema=polars_schema(rules))  # typed read: dates parsed by the reader
    facts = [pl.col("facts").struct.field(name).alias(name) for name in list(rules.facts) + list(rules.lists)]
    assessed = pl.col("assessments").struct.field(ASSESSMENT)
    lf = lf.select(
        pl.col("case"), pl.col("as_of"), *facts, assessed.struct.field("date").alias("assessed"),
        *[assessed.struct.field("scores").struct.field(r).alias(r) for r in RESULTS],
    )

    def shift(e: pl.Expr, duration: tuple[int, int], sign: int) -> pl.Expr:
        """date +/- P..: months first (clamped to the month's end), then days."""
        months, days = duration
        if months:
            e = e.dt.offset_by(f"{sign * months}mo")
        return e + pl.duration(days=sign * days) if days else e

    def at_fraction(start: pl.Expr, end: pl.Expr, fraction) -> pl.Expr:
        """start + ceil((end - start) * f) days: a day counts only when it has passed whole."""
        days = ((end - start).dt.total_days() * fraction - 1e-9).ceil().cast(pl.Int64)
        return start + pl.duration(days=days)

    def years_between(a: pl.Expr, b: pl.Expr) -> pl.Expr:
        """Whole years from a to b (negative when b is before a); 29 Feb counts as 28 Feb in
        a common year."""
        back = b < a  # min_horizontal would skip an unknown date: this keeps it unknown
        lo, hi = pl.when(back).then(b).otherwise(a), pl.when(back).then(a).otherwise(b)
        lo_day = (pl.when((lo.dt.month() == 2) & (lo.dt.day() == 29) & ~hi.dt.is_leap_year()).then(28)
                  .otherwise(lo.dt.day()).cast(pl.Int32))
        month_day = lambda month, day: month.cast(pl.Int32) * 100 + day.cast(pl.Int32)  # noqa: E731
        n = (hi.dt.year().cast(pl.Int64) - lo.dt.year().cast(pl.Int64)
             - (month_day(lo.dt.month(), lo_day) > month_day(hi.dt.month(), hi.dt.day())).cast(pl.Int64))
        return pl.when(back).then(-n).otherwise(n)

    def penalties_any(field: str) -> pl.Expr:
        """any(penalties, FIELD) in Kleene logic: true if one is true, else unknown if one is
        unknown; false for no records, unknown for an omitted list."""
        return pl.col("penalties").list.eval(pl.element().struct.field(field).any(ignore_nulls=False)).list.first()

    def penalties_after(limit: pl.Expr) -> pl.Expr:
        """any(penalties, date > limit): the latest known date decides a true; otherwise an
        unknown date (or limit) leaves it unknown."""
        dates = pl.col("penalties").list.eval(pl.element().struct.field("date"))
        unknown_date = dates.list.eval(pl.element().is_null().any()).list.first()
        return (pl.when(dates.list.len() == 0).then(False)
                .otherwise((dates.list.max() > limit) | pl.when(unknown_date).then(None).otherwise(False)))

    c = pl.col
    as_of, start, end, parole = c("as_of"), c("sentence_start"), c("sentence_end"), c("earliest_parole_date")
    violence, nonviolent = c(RESULTS[0]), c(RESULTS[1])
    low_risk = (violence == "low") & (nonviolent == "low")
    in_correction_house = c("regime").is_in(["closed", "semi_open", "open"])
    in_institution = c("regime").is_in(["closed", "semi_open", "open", "halfway_house"])
    table, default = rules.tables["cr_share"]
    cr_share = pl.when(c("crime_category").is_null()).then(None).otherwise(
        c("crime_category").replace_strict(table, default=default, return_dtype=pl.Float64))
    fresh = {}
    for instrument, age in rules.max_age.items():
        assert instrument == ASSESSMENT, instrument
        ok = (c("assessed") >= shift(as_of, age, -1)) & (c("assessed") <= as_of)
        fresh[instrument] = pl.when(ok).then(True).otherwise(None)  # never false: unknown when missing or stale
    d = rules.duration
    eligible, excluded = {}, {}
    eligible["halfway_house"] = (
        in_correction_house
        & (as_of >= at_fraction(start, end, p["hwh_min_share_served"]))
        & (as_of >= shift(parole, d("hwh_max_time_to_parole"), -1))
        & c("plan_compliance")
        & (low_risk | c("risk_reduced"))
        & ~penalties_any("active")
        & ~c("returned_from_open_or_hwh"))
    excluded["halfway_house"] = (
        ((c("crime_category") == "grave") & (end > shift(start, d("hwh_grave_sentence_limit"), 1)))
        | c("sexual_offence") | c("organised_crime_offence") | c("on_escape_register"))
    eligible["conditional_release"] = (
        in_institution
        & (as_of >= at_fraction(start, end, cr_share))
        & ~penalties_after(shift(as_of, d("cr_recent_penalty_window"), -1))
        & c("plan_compliance")
        & (((violence != "high") & (nonviolent != "high")) | c("court_order_em")))

    def decision(programme: str) -> pl.Expr:
        out = pl.lit(True)
        for instrument in rules.requires[programme]:
            out = out & fresh[instrument]
        out = out & eligible[programme]
        return out & ~excluded[programme] if programme in excluded else out

    eligible["intensive_supervision_em"] = (decision("conditional_release") & c("court_order_em")
                                            & ((violence == "high") | (nonviolent == "high")))
    excluded["intensive_supervision_em"] = low_risk
    eligible["tog_unit"] = (
        in_correction_house
        & (c("convictions_last_5y") >= p["tog_min_convictions"])
        & c("motivated_to_change") & c("consents_to_follow_up")
        & (as_of >= shift(parole, d("tog_max_time_to_release"), -1)))
    excluded["tog_unit"] = low_risk
    eligible["one_to_one"] = c("regime") == "probation"
    excluded["one_to_one"] = low_risk
    eligible["equip"] = years_between(c("date_of_birth"), as_of) < p["equip_max_age"]
    excluded["equip"] = low_risk
    eligible["anger_management"] = c("violent_offence")
    excluded["anger_management"] = low_risk
    eligible["bcc"] = ~c("substance_related_offence") & ~c("custodial")
    eligible["education"] = ~c("employed_or_studying")
    eligible["vocational_training"] = ~c("employed_or_studying") & (end >= shift(as_of, d("vt_min_time_left"), 1))
    eligible["employment"] = c("regime").is_in(["open", "halfway_house", "probation"]) & ~c("employed_or_studying")
    prs = d("prs_window")
    eligible["pre_release_support"] = in_institution & ((as_of >= shift(parole, prs, -1)) | (as_of >= shift(end, prs, -1)))
    eligible["foreign_nationals_support"] = c("foreign_national") & in_institution

    def label(e: pl.Expr) -> pl.Expr:
        return pl.when(e).then(pl.lit("eligible")).when(~e).then(pl.lit("not_eligible")).otherwise(pl.lit("undetermined"))

    decisions = pl.concat_list([pl.struct(pl.lit(prog).alias("programme"), label(decision(prog)).alias("decision"))
                                for prog in rules.programmes]).alias("decisions")
    lf.select(c("case"), decisions).sink_ndjson(dst)


def duckdb_columns(rules) -> str:
    """read_json's columns= argument: the case file's shape with typed facts."""
    q = lambda name: '"' + name + '"'  # noqa: E731
    facts = [f"{q(n)} {DUCKDB_TYPES[k]}" for n, k in rules.facts.items()]
    facts += [f"{q(n)} STRUCT({', '.join(f'{q(f)} {DUCKDB_TYPES[k]}' for f, k in fields.items())})[]"
              for n, fields in rules.lists.items()]
    scores = ", ".join(f"{q(r)} VARCHAR" for r in RESULTS)
    columns = {"case": "VARCHAR", "as_of": "DATE", "facts": f"STRUCT({', '.join(facts)})",
               "assessments": f"STRUCT({ASSESSMENT} STRUCT(date DATE, scores STRUCT({scores})))"}
    return "{" + ", ".join(f"{sql_text(k)}: {sql_text(v)}" for k, v in columns.items()) + "}"


def decide_duckdb(src: Path, dst: Path, rules) -> None:
    """The 13 decisions in DuckDB SQL. Unknown is NULL: SQL's AND/OR/NOT are three-valued
    (Kleene) and `IN`, comparisons and date arithmetic of NULL are NULL."""
    p, d = rules.params, rules.duration

    def shift(e: str, duration: tuple[int, int], sign: int) -> str:
        """date +/- P..: months first (DuckDB clamps to the month's end), then days."""
        months, days = duration
        op = "+" if sign > 0 else "-"
        if months:
            e = f"({e} {op} INTERVAL {months} MONTH)::DATE"
        return f"({e} {op} {days})" if days else e

    def at_fraction(start: str, end: str, fraction: str) -> str:
        return f"({start} + ceil(({end} - {start}) * {fraction} - 1e-9)::INTEGER)"

    table, default = rules.tables["cr_share"]
    cr_share = ("CASE WHEN crime_category IS NULL THEN NULL "
                + " ".join(f"WHEN crime_category = {sql_text(k)} THEN {float(v)}" for k, v in table.items())
                + (f" ELSE {float(default)}" if default is not None else "") + " END")
    (age,) = rules.max_age.values()
    fresh = f"CASE WHEN assessed >= {shift('as_of', age, -1)} AND assessed <= as_of THEN true END"
    low_risk = "(violence = 'low' AND nonviolent = 'low')"
    in_correction_house = "regime IN ('closed', 'semi_open', 'open')"
    in_institution = "regime IN ('closed', 'semi_open', 'open', 'halfway_house')"
    eligible, excluded = {}, {}
    eligible["halfway_house"] = f"""{in_correction_house}
        AND as_of >= {at_fraction('sentence_start', 'sentence_end', p['hwh_min_share_served'])}
        AND as_of >= {shift('earliest_parole_date', d('hwh_max_time_to_parole'), -1)}
        AND plan_compliance
        AND ({low_risk} OR risk_reduced)
        AND NOT kleene_any(list_transform(penalties, lambda x: x.active))
        AND NOT returned_from_open_or_hwh"""
    excluded["halfway_house"] = f"""(crime_category = 'grave'
          AND sentence_end > {shift('sentence_start', d('hwh_grave_sentence_limit'), 1)})
        OR sexual_offence OR organised_crime_offence OR on_escape_register"""
    window = shift("as_of", d("cr_recent_penalty_window"), -1)
    eligible["conditional_release"] = f"""{in_institution}
        AND as_of >= {at_fraction('sentence_start', 'sentence_end', cr_share)}
        AND NOT kleene_any(list_transform(penalties, lambda x: x.date > {window}))
        AND plan_compliance
        AND ((violence <> 'high' AND nonviolent <> 'high') OR court_order_em)"""

    def decision(programme: str) -> str:
        terms = ["true"] + [fresh for _ in rules.requires[programme]] + [f"({eligible[programme]})"]
        if programme in excluded:
            terms.append(f"NOT ({excluded[programme]})")
        return " AND ".join(terms)

    eligible["intensive_supervision_em"] = (f"({decision('conditional_release')}) AND court_order_em "
                                            "AND (violence = 'high' OR nonviolent = 'high')")
    excluded["intensive_supervision_em"] = low_risk
    eligible["tog_unit"] = f"""{in_correction_house}
        AND convictions_last_5y >= {p['tog_min_convictions']}
        AND motivated_to_change AND consents_to_follow_up
        AND as_of >= {shift('earliest_parole_date', d('tog_max_time_to_release'), -1)}"""
    excluded["tog_unit"] = low_risk
    eligible["one_to_one"] = "regime = 'probation'"
    excluded["one_to_one"] = low_risk
    eligible["equip"] = f"whole_years(date_of_birth, as_of) < {p['equip_max_age']}"
    excluded["equip"] = low_risk
    eligible["anger_management"] = "violent_offence"
    excluded["anger_management"] = low_risk
    eligible["bcc"] = "NOT substance_related_offence AND NOT custodial"
    eligible["education"] = "NOT employed_or_studying"
    eligible["vocational_training"] = f"NOT employed_or_studying AND sentence_end >= {shift('as_of', d('vt_min_time_left'), 1)}"
    eligible["employment"] = "regime IN ('open', 'halfway_house', 'probation') AND NOT employed_or_studying"
    prs = d("prs_window")
    eligible["pre_release_support"] = (f"{in_institution} AND (as_of >= {shift('earliest_parole_date', prs, -1)} "
                                       f"OR as_of >= {shift('sentence_end', prs, -1)})")
    eligible["foreign_nationals_support"] = f"foreign_national AND {in_institution}"

    decisions = ", ".join(f"{{'programme': {sql_text(prog)}, 'decision': label({decision(prog)})}}" for prog in rules.programmes)
    fields = ", ".join(f'facts."{name}" AS "{name}"' for name in list(rules.facts) + list(rules.lists))
    sql = f"""
        COPY (
          WITH c AS (
            SELECT "case", as_of, {fields},
                   assessments.{ASSESSMENT}.date AS assessed,
                   assessments.{ASSESSMENT}.scores."{RESULTS[0]}" AS violence,
                   assessments.{ASSESSMENT}.scores."{RESULTS[1]}" AS nonviolent
            FROM read_json({sql_text(src)}, format = 'newline_delimited', columns = {duckdb_columns(rules)}))
          SELECT "case", [{decisions}] AS decisions FROM c
        ) TO {sql_text(dst)} (FORMAT json)"""
    with duckdb.connect() as con:
        # any() over a list in Kleene logic: true if one is, else NULL if one is NULL; false
        # for an empty list; NULL for an omitted one.
        con.execute("""CREATE MACRO kleene_any(l) AS CASE WHEN l IS NULL THEN NULL WHEN list_bool_or(l) THEN true
                       WHEN list_count(l) < len(l) THEN NULL ELSE false END""")
        # Whole years from a to b (negative when b is before a); adding years clamps 29 Feb.
        con.execute("""CREATE MACRO whole_years_up(lo, hi) AS
                         (year(hi) - year(lo)) - ((lo + to_years(year(hi) - year(lo)))::DATE > hi)::INTEGER""")
        con.execute("""CREATE MACRO whole_years(a, b) AS
                         CASE WHEN b < a THEN -whole_years_up(b, a) ELSE whole_years_up(a, b) END""")
        con.execute("""CREATE MACRO label(e) AS
                         CASE WHEN e THEN 'eligible' WHEN NOT e THEN 'not_eligible' ELSE 'undetermined' END""")
        con.execute(sql)


def read_decisions(path: Path, programmes: list[str]) -> tuple[pl.Series, np.ndarray]:
    """Case ids and a cases x programmes matrix of decision codes (0 eligible, 1 not_eligible,
    2 undetermined) from one JSON object per case with "case" and "decisions": [{"programme",
    "decision"}, ...]; other keys and the key order do not matter. Every case must have each
    programme exactly once."""
    schema = {"case": pl.String, "decisions": pl.List(pl.Struct({"programme": pl.String, "decision": pl.String}))}
    df = pl.read_ndjson(path, schema=schema)
    long = (df.with_row_index("row").select("row", "decisions").explode("decisions").unnest("decisions")
            .with_columns(pl.col("programme").replace_strict(programmes, list(range(len(programmes))), default=-1, return_dtype=pl.Int64),
                          pl.col("decision").replace_strict(DECISIONS, [0, 1, 2], default=255, return_dtype=pl.UInt8)))
    rows, cols, codes = (long[k].to_numpy() for k in ("row", "programme", "decision"))
    if (cols < 0).any() or (codes == 255).any():
        raise ValueError(f"{path.name}: unknown programme or decision in the output")
    matrix = np.full((df.height, len(programmes)), 255, dtype=np.uint8)
    seen = np.zeros((df.height, len(programmes)), dtype=np.int32)
    matrix[rows, cols] = codes
    np.add.at(seen, (rows, cols), 1)
    if (seen != 1).any():
        raise ValueError(f"{path.name}: a case does not have each programme exactly once")
    return df["case"], matrix


def decision_matrix(path: Path, ids: pl.Series, columns: list[pl.Series]) -> tuple[pl.Series, np.ndarray]:
    """Case ids and the matrix of decision codes from one column of decision words per programme."""
    matrix = np.empty((len(ids), len(columns)), dtype=np.uint8)
    for c, column in enumerate(columns):
        codes = column.replace_strict(DECISIONS, [0, 1, 2], default=255, return_dtype=pl.UInt8).to_numpy()
        if (codes == 255).any():
            raise ValueError(f"{path.name}: a case lacks a programme or has an unknown decision")
        matrix[:, c] = codes
    return ids, matrix


def read_wide_csv(path: Path, programmes: list[str]) -> tuple[pl.Series, np.ndarray]:
    """`--format csv`: case, as_of and one column per programme holding the decision."""
    df = pl.read_csv(path, infer_schema=False)
    missing = [p for p in programmes if p not in df.columns]
    if missing:
        raise ValueError(f"{path.name}: no column for {', '.join(missing)}")
    return decision_matrix(path, df["case"], [df[p] for p in programmes])


def read_keyed_jsonl(path: Path, programmes: list[str]) -> tuple[pl.Series, np.ndarray]:
    """`--format jsonl`: one object per case, "decisions" keyed by programme."""
    schema = {"case": pl.String, "decisions": pl.Struct({p: pl.String for p in programmes})}
    df = pl.read_ndjson(path, schema=schema).unnest("decisions")
    return decision_matrix(path, df["case"], [df[p] for p in programmes])


# How kelias is asked for decisions, by --kelias-format: the extra arguments of `kelias
# eligibility` and the reader of its output (case ids and a cases x programmes matrix of
# decision codes, as read_decisions gives): the full JSON, the wide CSV (a column per
# programme) and JSON lines keyed by programme.
KELIAS_RULES_FORMATS: dict[str, tuple[list[str], Callable[[Path, list[str]], tuple[pl.Series, np.ndarray]]]] = {
    "json": (["--format", "json", "--no-earliest", "--brief"], read_decisions),
    "csv": (["--format", "csv", "--no-earliest", "--brief"], read_wide_csv),
    "jsonl": (["--format", "jsonl", "--no-earliest", "--brief"], read_keyed_jsonl),
}


def decisions_agree(reference: tuple[pl.Series, np.ndarray], other: tuple[pl.Series, np.ndarray], name: str,
                    programmes: list[str]) -> str | None:
    ids, k = reference
    oids, o = other
    if len(ids) != len(oids):
        return f"{name}: {len(oids):,} cases, kelias {len(ids):,}"
    if not (ids == oids).all():  # another order is fine; missing or extra cases are not
        order = pl.DataFrame({"case": oids, "i": np.arange(len(oids))})
        aligned = pl.DataFrame({"case": ids}).join(order, on="case", how="left", maintain_order="left")["i"]
        if aligned.null_count() or not oids.is_unique().all():
            return f"{name}: the case ids differ from kelias'"
        o = o[aligned.to_numpy()]
    differ = k != o
    if not differ.any():
        return None
    row, col = np.argwhere(differ)[0]
    counts = ", ".join(f"{programmes[c]}: {n}" for c, n in enumerate(differ.sum(axis=0)) if n)
    return (f"{name}: {int(differ.sum()):,} decisions differ ({counts}); first: case {ids[int(row)]}, {programmes[col]}: "
            f"kelias {DECISIONS[k[row, col]]}, {name} {DECISIONS[o[row, col]]}")


def embedded_tests(rules, workdir: Path, engines: dict[str, Callable]) -> int:
    """Runs the rule set's embedded tests (their `expect` decisions) through each translation;
    raises with every failure."""
    usable = [t for t in rules.tests if not any("ratings" in (a or {}) for a in (t.get("assessments") or {}).values())]
    cases = workdir / "tests.jsonl"
    with open(cases, "w", encoding="utf-8") as f:
        for i, t in enumerate(usable):
            case = {"case": f"test{i}", "as_of": t.get("as_of"), "facts": t.get("facts") or {}, "assessments": t.get("assessments") or {}}
            f.write(json.dumps(case, default=str) + "\n")
    failures = []
    for name, decide in engines.items():
        out = workdir / f"tests.{name}.jsonl"
        decide(cases, out, rules)
        ids, codes = read_decisions(out, rules.programmes)
        order = {case: r for r, case in enumerate(ids.to_list())}
        for i, t in enumerate(usable):
            for programme, want in (t.get("expect") or {}).items():
                got = DECISIONS[codes[order[f"test{i}"], rules.programmes.index(programme)]]
                if got != want:
                    failures.append(f"{name}: test '{t.get('name', i)}': {programme}: expected {want}, got {got}")
        out.unlink()
    cases.unlink()
    if failures:
        raise SystemExit("compare_engines: a translation fails the rule set's embedded tests:\n  " + "\n  ".join(failures))
    return len(usable)


# ---- timing ----------------------------------------------------------------------------------


@dataclass
class Workload:
    key: str  # for file names
    name: str
    title: str
    src: Path
    jobs: dict[str, Callable[[Path], None]]  # engine -> job(dst), kelias first
    suffix: str


def measure(workload: Workload, workdir: Path, repeat: int) -> tuple[dict[str, float], dict[str, Path]]:
    """Each engine `repeat` times, the order rotating each round; medians."""
    engines = list(workload.jobs)
    times: dict[str, list[float]] = {e: [] for e in engines}
    outputs = {e: workdir / f"{workload.key}.{e}.{workload.suffix}" for e in engines}
    for r in range(repeat):
        order = engines[r % len(engines):] + engines[:r % len(engines)]
        for engine in order:
            outputs[engine].unlink(missing_ok=True)
            start = time.perf_counter()
            workload.jobs[engine](outputs[engine])
            times[engine].append(time.perf_counter() - start)
        print(f"  {workload.name} round {r + 1}/{repeat}: " + ", ".join(f"{e} {times[e][-1]:.2f} s" for e in engines), flush=True)
    return {e: statistics.median(t) for e, t in times.items()}, outputs


def print_table(rows: list[tuple[Workload, float, dict[str, float]]], engines: list[str], repeat: int) -> None:
    names = {"kelias": "kelias", "polars": "polars", "duckdb": "DuckDB", "pandas": "pandas"}
    print(f"\nmedian of {repeat} end-to-end run{'s' if repeat > 1 else ''} each: seconds, MB/s of input, ratio = its time / "
          "kelias' time (above 1: kelias is faster)")
    header = f"{'workload':<18}{'input':>9}" + "".join(f"{names[e]:>25}" for e in engines) + f"{'faster of polars/DuckDB':>26}"
    print(header)
    print("-" * len(header))
    for workload, size_mb, medians in rows:
        cells = [f"{medians[e]:7.2f} s {size_mb / medians[e]:5.0f} MB/s {medians[e] / medians['kelias']:5.2f}x" for e in engines]
        best = min(("polars", "duckdb"), key=lambda e: medians[e])
        cells.append(f"{names[best]} {medians[best] / medians['kelias']:5.2f}x")
        print(f"{workload.name:<18}{size_mb:>6,.0f} MB" + "".join(f"{c:>25}" for c in cells[:-1]) + f"{cells[-1]:>26}")
    for workload, _, _ in rows:
        print(f"  {workload.name}: {workload.title}")


# ---- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of ratings and cases of the LT rules (default 1000000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each engine per workload; medians are shown (default 3)")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--kelias", default=os.environ.get("KELIAS", str(ROOT / "build" / "release" / "bin" / "kelias")),
                        help="the kelias program (default $KELIAS or build/release/bin/kelias)")
    parser.add_argument("--kelias-format", choices=sorted(KELIAS_RULES_FORMATS), default="json",
                        help="the output format kelias writes decisions in (default json)")
    parser.add_argument("--workload", choices=["both", "score", "rules"], default="both")
    parser.add_argument("--skip-pandas", action="store_true", help="leave out the pandas baseline (much the slowest)")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args(argv)
    if not Path(args.kelias).is_file():
        print(f"compare_engines: no kelias program at {args.kelias} (run `make build` or pass --kelias)", file=sys.stderr)
        return 2
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")
    print(f"kelias {args.kelias}; polars {pl.__version__}, duckdb {duckdb.__version__}, pandas {score_pd.pd.__version__}; "
          f"{os.cpu_count()} cores")
    workdir = Path(tempfile.mkdtemp(prefix="kelias-engines-"))
    try:
        return compare(args, workdir)
    finally:
        if args.keep:
            print(f"files kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def compare(args, workdir: Path) -> int:
    engines = ["kelias", "polars", "duckdb"] + ([] if args.skip_pandas else ["pandas"])
    rows, problems = [], []
    kelias = str(Path(args.kelias).resolve())

    if args.workload in ("both", "score"):
        items, outcomes = score_pd.load_layout()
        layout = Layout(items, outcomes)
        src = workdir / "ratings.csv"
        print(f"generating {args.rows:,} seeded START:AV rows ...", flush=True)
        score_pd.generate(src, args.rows, args.seed, items, outcomes)
        jobs = {
            "kelias": lambda dst: run_kelias([kelias, "score", "--instrument", str(INSTRUMENT), str(src), "-o", str(dst)]),
            "polars": lambda dst: score_polars(src, dst, layout),
            "duckdb": lambda dst: score_duckdb(src, dst, layout),
            "pandas": lambda dst: score_pd.score_with_pandas(src, dst, items, outcomes),
        }
        workload = Workload("scores", "START:AV scoring", "ratings CSV -> 15 scores CSV", src, {e: jobs[e] for e in engines}, "csv")
        medians, outputs = measure(workload, workdir, args.repeat)
        reference = read_scores(outputs["kelias"])
        for engine in engines[1:]:
            problem = scores_agree(reference, read_scores(outputs[engine]), engine)
            problems += [f"scoring: {problem}"] if problem else []
        if not problems:
            print(f"  agreement: all {len(reference.columns)} columns (15 scores) of all {reference.height:,} rows agree "
                  f"between {', '.join(engines)}")
        rows.append((workload, src.stat().st_size / 1e6, medians))
        for f in [src, *outputs.values()]:
            f.unlink(missing_ok=True)

    if args.workload in ("both", "rules"):
        rules = rules_pd.Rules(RULES)
        translations = {"polars": decide_polars, "duckdb": decide_duckdb}
        if "pandas" in engines:
            translations["pandas"] = lambda s, d, r: rules_pd.decide_with_pandas(s, d, r)
        tested = embedded_tests(rules, workdir, translations)
        print(f"the {', '.join(translations)} translations pass the {tested} embedded tests of {RULES.name}")
        src = workdir / "cases.jsonl"
        print(f"generating {args.rows:,} seeded LT cases ...", flush=True)
        rules_pd.generate(src, args.rows, args.seed)
        extra, read_kelias = KELIAS_RULES_FORMATS[args.kelias_format]
        jobs = {
            "kelias": lambda dst: run_kelias([kelias, "eligibility", "--rules", str(RULES), str(src), "-o", str(dst), *extra]),
            "polars": lambda dst: decide_polars(src, dst, rules),
            "duckdb": lambda dst: decide_duckdb(src, dst, rules),
            "pandas": lambda dst: rules_pd.decide_with_pandas(src, dst, rules),
        }
        title = f"cases JSONL -> {len(rules.programmes)} decisions per case, JSONL"
        workload = Workload("decisions", "LT rules", title, src, {e: jobs[e] for e in engines}, "jsonl")
        medians, outputs = measure(workload, workdir, args.repeat)
        reference = read_kelias(outputs["kelias"], rules.programmes)
        found = []
        for engine in engines[1:]:
            problem = decisions_agree(reference, read_decisions(outputs[engine], rules.programmes), engine, rules.programmes)
            found += [f"rules: {problem}"] if problem else []
        if not found:
            print(f"  agreement: all {reference[1].size:,} decisions ({len(reference[0]):,} cases x "
                  f"{len(rules.programmes)} programmes) agree between {', '.join(engines)}")
        problems += found
        rows.append((workload, src.stat().st_size / 1e6, medians))

    print_table(rows, engines, args.repeat)
    if problems:
        print("\nMISMATCH:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print("\nagreement: OK (every value of every output agrees with kelias)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
