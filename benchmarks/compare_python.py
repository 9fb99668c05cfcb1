#!/usr/bin/env python3
"""The Python package against plain pandas and polars, in memory, in one run.

Two jobs, each done three ways on the same data and checked to agree on every value:

* **scoring**: the 15 START:AV scores of N assessments from a DataFrame of ratings —
  `kelias.load_instrument("start_av").score(df)` against a vectorised pandas
  implementation (the one of benchmarks/compare_pandas.py, on typed columns) and a lazy
  polars one (`pl.sum_horizontal` over the item columns, one `select`, collected once);
  `kelias-nc` is `score(df, checks=False)`: without the instrument's checks, which the
  pandas and polars translations do not do either (every cell is still validated);
* **rules**: the 13 programmes of the LT rule set the pandas translation covers
  (benchmarks/data/lt_release_pathway_13.yaml) for N cases — `RuleSet.decide(cases,
  brief=True)` (decisions only, the columnar path) against the pandas translation of
  benchmarks/compare_rules_pandas.py (nullable dtypes: Kleene logic) and a polars
  translation of the same conditions (polars booleans are Kleene too), both checked
  against the YAML's own tests first.

Inputs are built before the clock starts, each tool getting its natural one (scoring: a
pandas frame for kelias and pandas, a polars frame for polars; rules: the case documents
for kelias, typed frames for pandas and polars); only the call is timed. Every job runs
`--repeat` times, in a rotating order (so no tool always goes first or last), and the
medians and ratios are printed. Then it checks that numeric input is not copied on its
way into C++: the addresses the engine reads (`Instrument.input_addresses`) against the
frame's own buffers, the growth of resident memory while `score(df)` runs (sampled on a
second thread; kelias releases the GIL) and Python-side allocations (tracemalloc, which
numpy reports to) against the size of the numeric input.

    python benchmarks/compare_python.py --rows 1000000
    python benchmarks/compare_python.py --rows 100000 --repeat 3 --only score

Needs the installed package (`pip install .`), pandas, polars, pyarrow and PyYAML
(requirements-python-test.txt).
"""
from __future__ import annotations

import argparse
import gc
import json
import importlib.util
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import yaml

ROOT = Path(__file__).resolve().parent.parent
INSTRUMENT = ROOT / "instruments" / "start_av.yaml"
RULES = ROOT / "benchmarks" / "data" / "lt_release_pathway_13.yaml"
DOMAINS = ("individual", "relationships_environment", "response_to_interventions")


def _rules_module():
    """benchmarks/compare_rules_pandas.py: the pandas translation, the case generator."""
    return sys.modules.get("compare_rules_pandas") or _load_script("compare_rules_pandas")


def _load_script(name: str):
    """benchmarks/<name>.py as a module (the pandas translations live there)."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# ---- START:AV: the data ----------------------------------------------------------------------


def load_layout():
    spec = yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8"))
    items = [(i["id"], i.get("domain"), i.get("in_totals", True), set(i.get("na", []))) for i in spec["items"]]
    outcomes = [o["id"] for o in spec["outcomes"]]
    return items, outcomes


def generate_ratings(rows: int, seed: int, items, outcomes) -> dict[str, np.ndarray]:
    """Seeded ratings as typed columns: ratings float64 0-2 with ~4% omitted (NaN), flags
    float64 0/1 (the dtype kelias reads in place; bool columns would be converted),
    estimates text. Fields that allow `na` are text columns ("0", "1", "2", "na", None),
    the only way a frame can say "not applicable" beside a number."""
    rng = np.random.default_rng(seed)
    columns: dict[str, np.ndarray] = {"id": np.char.add("P", np.arange(rows).astype(str)).astype(object)}
    for item, _, _, na_fields in items:
        for field in ("strength", "vulnerability"):
            values = rng.integers(0, 3, rows).astype(np.float64)
            draw = rng.random(rows)
            values[draw < 0.04] = np.nan
            if field in na_fields:
                text = np.nan_to_num(values).astype(np.int64).astype(str).astype(object)
                text[np.isnan(values)] = None
                text[(draw >= 0.04) & (draw < 0.10)] = "na"
                columns[f"{item}.{field}"] = text
            else:
                columns[f"{item}.{field}"] = values
        for flag in ("key", "critical"):
            columns[f"{item}.{flag}"] = (rng.random(rows) < 0.08).astype(np.float64)
    levels = np.array(["low", "moderate", "high"], dtype=object)
    for outcome in outcomes:
        values = levels[rng.integers(0, 3, rows)]
        values[rng.random(rows) < 0.02] = None
        columns[f"{outcome}.estimate"] = values
        columns[f"{outcome}.history_lifetime"] = (rng.random(rows) < 0.3).astype(np.float64)
        columns[f"{outcome}.history_recent"] = (rng.random(rows) < 0.1).astype(np.float64)
    return columns


def score_pandas(df: pd.DataFrame, items, outcomes) -> pd.DataFrame:
    """The 15 scores in vectorised pandas (compare_pandas.py's translation, typed input)."""
    dynamic = [(i, d) for i, d, in_totals, _ in items if in_totals]
    out = pd.DataFrame(index=df.index)
    totals = {}
    for field in ("strength", "vulnerability"):
        cols = [f"{i}.{field}" for i, _ in dynamic]
        raw = df[cols]
        text = [c for c in cols if not pd.api.types.is_numeric_dtype(raw[c])]
        values = raw.copy() if text else raw
        na = pd.DataFrame(False, index=df.index, columns=cols)
        for c in text:
            values[c] = pd.to_numeric(raw[c], errors="coerce")
            na[c] = raw[c].eq("na").to_numpy()
        values = values.astype(np.float64)
        known = values.notna()
        n_known = known.sum(axis=1)
        n_na = na.sum(axis=1)
        totals[field] = (values.sum(axis=1), n_known, n_na, len(cols) - n_known - n_na)
        for domain in DOMAINS:
            totals[(domain, field)] = values[[f"{i}.{field}" for i, d in dynamic if d == domain]].sum(axis=1)
    out["strength_total"] = totals["strength"][0]
    out["vulnerability_total"] = totals["vulnerability"][0]
    out["strength_n"] = totals["strength"][1]
    out["vulnerability_n"] = totals["vulnerability"][1]
    for domain in DOMAINS:
        out[f"{domain}_strength"] = totals[(domain, "strength")]
        out[f"{domain}_vulnerability"] = totals[(domain, "vulnerability")]
    out["key_strengths"] = df[[f"{i}.key" for i, _ in dynamic]].sum(axis=1)
    out["critical_vulnerabilities"] = df[[f"{i}.critical" for i, _ in dynamic]].sum(axis=1)
    for field in ("strength", "vulnerability"):
        total, known, na, omitted = totals[field]
        applicable = len(dynamic) - na
        prorated = total.where(omitted == 0, total * applicable / known.where(known > 0))
        out[f"{field}_total_prorated"] = prorated.where(omitted <= 4)
    estimates = df[[f"{o}.estimate" for o in outcomes]].notna().all(axis=1)
    out["complete"] = (totals["strength"][3] == 0) & (totals["vulnerability"][3] == 0) & estimates
    return out


def score_polars(lf: pl.LazyFrame, items, outcomes, schema: pl.Schema) -> pl.DataFrame:
    """The 15 scores as one lazy polars query: horizontal sums over expressions."""
    dynamic = [(i, d) for i, d, in_totals, _ in items if in_totals]
    exprs = []
    parts = {}
    for field in ("strength", "vulnerability"):
        value, is_na = {}, {}
        for i, _ in dynamic:
            name = f"{i}.{field}"
            if schema[name] == pl.String:
                value[i] = pl.col(name).cast(pl.Float64, strict=False)
                is_na[i] = (pl.col(name) == "na").fill_null(False)
            else:
                value[i] = pl.col(name)
        total = pl.sum_horizontal(list(value.values()))
        known = pl.sum_horizontal([v.is_not_null().cast(pl.Int32) for v in value.values()])
        na = pl.sum_horizontal(list(is_na.values())) if is_na else pl.lit(0)
        omitted = len(dynamic) - known - na
        parts[field] = (total, known, na, omitted)
        exprs += [total.alias(f"{field}_total"), known.alias(f"{field}_n")]
        for domain in DOMAINS:
            exprs.append(pl.sum_horizontal([value[i] for i, d in dynamic if d == domain]).alias(f"{domain}_{field}"))
    exprs.append(pl.sum_horizontal([pl.col(f"{i}.key") for i, _ in dynamic]).alias("key_strengths"))
    exprs.append(pl.sum_horizontal([pl.col(f"{i}.critical") for i, _ in dynamic]).alias("critical_vulnerabilities"))
    for field in ("strength", "vulnerability"):
        total, known, na, omitted = parts[field]
        prorated = pl.when(omitted == 0).then(total).when(known > 0).then(total * (len(dynamic) - na) / known)
        exprs.append(pl.when(omitted <= 4).then(prorated).alias(f"{field}_total_prorated"))
    estimates = pl.all_horizontal([pl.col(f"{o}.estimate").is_not_null() for o in outcomes])
    exprs.append(((parts["strength"][3] == 0) & (parts["vulnerability"][3] == 0) & estimates).alias("complete"))
    return lf.select(exprs).collect()


SCORES = ["strength_total", "vulnerability_total", "strength_n", "vulnerability_n",
          *[f"{d}_{f}" for d in DOMAINS for f in ("strength", "vulnerability")],
          "key_strengths", "critical_vulnerabilities", "strength_total_prorated", "vulnerability_total_prorated",
          "complete"]


def as_numbers(frame, column: str) -> np.ndarray:
    """A result column as float64 with NaN for unknown, whatever the frame library."""
    if isinstance(frame, pl.DataFrame):
        series = frame[column]
        if series.dtype == pl.Boolean:
            series = series.cast(pl.Float64)
        return series.cast(pl.Float64).fill_null(np.nan).to_numpy()
    series = frame[column]
    if not pd.api.types.is_numeric_dtype(series) or str(series.dtype) in ("boolean", "bool"):
        mapped = series.map({True: 1.0, False: 0.0, "true": 1.0, "false": 0.0})
        return pd.to_numeric(mapped, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    return series.to_numpy(dtype=np.float64, na_value=np.nan)


def agree_scores(results: dict[str, object], rows: int) -> tuple[bool, str]:
    names = list(results)
    base = names[0]
    for other in names[1:]:
        for column in SCORES:
            x, y = as_numbers(results[base], column), as_numbers(results[other], column)
            if len(x) != rows or len(y) != rows:
                return False, f"{column}: {base} has {len(x):,} rows, {other} {len(y):,}"
            same = np.isclose(x, y, rtol=1e-12, atol=1e-12, equal_nan=True)
            if not same.all():
                row = int(np.argmin(same))
                return False, f"{column} differs first at row {row}: {base} {x[row]!r}, {other} {y[row]!r}"
    return True, f"all {len(SCORES)} scores agree on every one of {rows:,} rows ({', '.join(names)})"


# ---- the LT rules in polars ---------------------------------------------------------------------
# The same conditions as compare_rules_pandas.evaluate, as one lazy query. Polars' `&`, `|`
# and `~` on booleans with nulls are Kleene logic, so null is "unknown" throughout; dates
# are pl.Date and calendar arithmetic is `dt.offset_by` (months first, the day clamped to
# the month's end, then days: kelias' order).


def polars_cases(df: pd.DataFrame) -> pl.DataFrame:
    """compare_rules_pandas.read_cases' frame as polars: day numbers become pl.Date."""
    out = pl.from_pandas(df)
    dates = [c for c in df.columns if c in ("as_of", "start_av.date") or re.fullmatch(r"penalties\d+_date", c)]
    return out.with_columns([pl.col(c).cast(pl.Int32).cast(pl.Date) for c in dates + _date_facts(df)])


def _date_facts(df: pd.DataFrame) -> list[str]:
    rules = _rules_module().Rules(RULES)
    return [name for name, kind in rules.facts.items() if kind == "date" and name in df.columns]


def _shift(expr: pl.Expr, duration: tuple[int, int], sign: int) -> pl.Expr:
    months, days = duration
    if months:
        expr = expr.dt.offset_by(f"{sign * months}mo")
    if days:
        expr = expr.dt.offset_by(f"{sign * days}d")
    return expr


def evaluate_polars(lf: pl.LazyFrame, rules, slots: int) -> pl.DataFrame:
    """One UInt8 column per programme: 0 eligible, 1 not_eligible, 2 undetermined."""
    c = pl.col
    p = rules.params
    as_of, start, end, parole = c("as_of"), c("sentence_start"), c("sentence_end"), c("earliest_parole_date")
    violence, nonviolent = c("start_av.violence.estimate"), c("start_av.nonviolent_offending.estimate")
    regime = c("regime")

    def isin(values: list[str]) -> pl.Expr:  # unknown when the regime is
        return pl.when(regime.is_null()).then(None).otherwise(regime.is_in(values))

    def at_fraction(fraction) -> pl.Expr:  # as_of >= start + ceil((end - start) * f) days
        span = (end - start).dt.total_days().cast(pl.Float64) * fraction
        return (as_of - start).dt.total_days() >= (span - 1e-9).ceil()

    def any_penalty(condition) -> pl.Expr:  # Kleene OR over the records; unknown for an omitted list
        listed = c("penalties_n")
        terms = [condition(k) & (listed > k).fill_null(False) for k in range(slots)]
        anyone = pl.any_horizontal(terms) if terms else pl.lit(False)
        return pl.when(listed.is_null()).then(None).otherwise(anyone)

    fresh = {}
    for instrument, age in rules.max_age.items():
        date = c(f"{instrument}.date")
        ok = (date >= _shift(as_of, age, -1)) & (date <= as_of)
        fresh[instrument] = pl.when(ok.fill_null(False)).then(True).otherwise(None)

    low_risk = (violence == "low") & (nonviolent == "low")
    table, default = rules.tables["cr_share"]
    category = c("crime_category")
    cr_share = category.replace_strict(table, default=default, return_dtype=pl.Float64)
    cr_share = pl.when(category.is_null()).then(None).otherwise(cr_share)
    in_correction_house = isin(["closed", "semi_open", "open"])
    in_institution = isin(["closed", "semi_open", "open", "halfway_house"])

    eligible, excluded = {}, {}
    eligible["halfway_house"] = (
        in_correction_house
        & at_fraction(p["hwh_min_share_served"])
        & (as_of >= _shift(parole, rules.duration("hwh_max_time_to_parole"), -1))
        & c("plan_compliance")
        & (low_risk | c("risk_reduced"))
        & ~any_penalty(lambda k: c(f"penalties{k}_active"))
        & ~c("returned_from_open_or_hwh")
    )
    excluded["halfway_house"] = (
        ((category == "grave") & (end > _shift(start, rules.duration("hwh_grave_sentence_limit"), 1)))
        | c("sexual_offence") | c("organised_crime_offence") | c("on_escape_register")
    )
    window = _shift(as_of, rules.duration("cr_recent_penalty_window"), -1)
    eligible["conditional_release"] = (
        in_institution
        & at_fraction(cr_share)
        & ~any_penalty(lambda k: c(f"penalties{k}_date") > window)
        & c("plan_compliance")
        & (((violence != "high") & (nonviolent != "high")) | c("court_order_em"))
    )

    def decision_of(programme: str) -> pl.Expr:
        decision = pl.lit(True)
        for instrument in rules.requires[programme]:
            decision = decision & fresh[instrument]
        decision = decision & eligible[programme]
        if programme in excluded:
            decision = decision & ~excluded[programme]
        return decision

    cr = decision_of("conditional_release")
    eligible["intensive_supervision_em"] = cr & c("court_order_em") & ((violence == "high") | (nonviolent == "high"))
    excluded["intensive_supervision_em"] = low_risk
    eligible["tog_unit"] = (
        in_correction_house
        & (c("convictions_last_5y") >= p["tog_min_convictions"])
        & c("motivated_to_change")
        & c("consents_to_follow_up")
        & (as_of >= _shift(parole, rules.duration("tog_max_time_to_release"), -1))
    )
    excluded["tog_unit"] = low_risk
    eligible["one_to_one"] = regime == "probation"
    excluded["one_to_one"] = low_risk
    # years_between(dob, as_of) < N  <=>  as_of < dob + N years (kelias adds months, clamped).
    eligible["equip"] = as_of < c("date_of_birth").dt.offset_by(f"{12 * int(p['equip_max_age'])}mo")
    excluded["equip"] = low_risk
    eligible["anger_management"] = c("violent_offence")
    excluded["anger_management"] = low_risk
    eligible["bcc"] = ~c("substance_related_offence") & ~c("custodial")
    eligible["education"] = ~c("employed_or_studying")
    eligible["vocational_training"] = ~c("employed_or_studying") & (end >= _shift(as_of, rules.duration("vt_min_time_left"), 1))
    eligible["employment"] = isin(["open", "halfway_house", "probation"]) & ~c("employed_or_studying")
    prs = rules.duration("prs_window")
    eligible["pre_release_support"] = in_institution & ((as_of >= _shift(parole, prs, -1)) | (as_of >= _shift(end, prs, -1)))
    eligible["foreign_nationals_support"] = c("foreign_national") & in_institution

    codes = []
    for programme in rules.programmes:
        d = decision_of(programme)
        codes.append(pl.when(d.is_null()).then(2).when(d).then(0).otherwise(1).cast(pl.UInt8).alias(programme))
    return lf.select(codes).collect()


def penalty_slots(df) -> int:
    return sum(1 for c in df.columns if re.fullmatch(r"penalties\d+_date", c))


def self_test_polars(crp, rules, workdir: Path) -> tuple[int, list[str]]:
    """The rule set's embedded tests (their `expect` decisions) through the polars code."""
    usable = [t for t in rules.tests if not any("ratings" in (a or {}) for a in (t.get("assessments") or {}).values())]
    path = workdir / "tests.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for i, t in enumerate(usable):
            case = {"case": f"test{i}", "as_of": t.get("as_of"), "facts": t.get("facts") or {},
                    "assessments": t.get("assessments") or {}}
            f.write(json.dumps(case, default=str) + "\n")
    df = crp.read_cases(path, rules)
    decided = evaluate_polars(polars_cases(df).lazy(), rules, penalty_slots(df))
    failures = []
    for i, t in enumerate(usable):
        for programme, want in (t.get("expect") or {}).items():
            got = crp.DECISIONS[decided[programme][i]]
            if got != want:
                failures.append(f"test '{t.get('name', i)}': {programme}: expected {want}, polars says {got}")
    return len(usable), failures


def agree_decisions(results: dict[str, np.ndarray], programmes: list[str]) -> tuple[bool, str]:
    """Decision codes (cases x programmes) of every tool against the first one."""
    names = list(results)
    base = results[names[0]]
    for other in names[1:]:
        differ = results[other] != base
        if differ.any():
            row, col = np.argwhere(differ)[0]
            return False, (f"{int(differ.sum()):,} decisions differ between {names[0]} and {other}; first: row {row}, "
                           f"{programmes[col]}: {base[row, col]} vs {results[other][row, col]}")
    return True, f"all {base.size:,} decisions agree ({base.shape[0]:,} cases x {base.shape[1]} programmes; {', '.join(names)})"


def decision_codes(tidy, programmes: list[str], rows: int) -> np.ndarray:
    """kelias' tidy decisions (case, programme, decision; one row per case and programme,
    cases in input order) as a cases x programmes matrix of codes."""
    code = {"eligible": 0, "not_eligible": 1, "undetermined": 2}
    frame = tidy if isinstance(tidy, pd.DataFrame) else pd.DataFrame(tidy)
    index = {p: i for i, p in enumerate(programmes)}
    position = frame["position"].to_numpy() if "position" in frame else np.repeat(np.arange(rows), len(programmes))
    out = np.full((rows, len(programmes)), 255, dtype=np.uint8)
    out[position, frame["programme"].map(index).to_numpy()] = frame["decision"].map(code).to_numpy()
    return out


def bench_rules(args, kelias) -> bool:
    crp = _rules_module()
    rules = crp.Rules(RULES)
    rows = args.rules_rows or args.rows
    workdir = Path(tempfile.mkdtemp(prefix="kelias-python-bench-"))
    try:
        for who, (tested, failures) in (("pandas", crp.self_test(rules, workdir)),
                                        ("polars", self_test_polars(crp, rules, workdir))):
            if failures:
                print(f"the {who} translation fails the rule set's own tests:\n  " + "\n  ".join(failures), file=sys.stderr)
                return False
        print(f"the pandas and polars translations pass the {tested} embedded tests of {RULES.name}")
        print(f"generating {rows:,} seeded LT cases ...", flush=True)
        src = workdir / "cases.jsonl"
        crp.generate(src, rows, args.seed)
        # Each tool gets its natural input, made before the clock starts: kelias the case
        # documents (a list of dicts, as the JSON lines say), pandas the typed frame
        # compare_rules_pandas reads (nullable dtypes, penalties as slot columns), polars
        # the same frame with pl.Date dates.
        with open(src, encoding="utf-8") as f:
            cases = [json.loads(line) for line in f]
        df = crp.read_cases(src, rules)
        lf, slots = polars_cases(df).lazy(), penalty_slots(df)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ruleset = kelias.load_rules(str(RULES))
    programmes = rules.programmes

    def with_kelias():  # decisions only (no reasons, no earliest dates), as pandas and polars give
        return ruleset.decide(cases, brief=True)

    results = {
        "kelias": decision_codes(with_kelias(), programmes, rows),
        "pandas": crp.evaluate(df, rules)[programmes].to_numpy(),
        "polars": evaluate_polars(lf, rules, slots).select(programmes).to_numpy(),
    }
    ok, message = agree_decisions(results, programmes)
    print(f"agreement: {'OK' if ok else 'MISMATCH'}: {message}")
    tasks = {
        "kelias": with_kelias,
        "pandas": lambda: crp.evaluate(df, rules),
        "polars": lambda: evaluate_polars(lf, rules, slots),
    }
    if args.profile:
        profile_call("ruleset.decide(cases)", with_kelias)
    report(f"deciding {rows:,} cases x {len(programmes)} programmes, {args.repeat} repetitions in rotating order:",
           rotate(tasks, args.repeat))
    return ok


# ---- timing ------------------------------------------------------------------------------------


def rotate(tasks: dict, repeat: int) -> dict[str, list[float]]:
    """Runs every task `repeat` times; repetition r starts with task r mod n."""
    names = list(tasks)
    times: dict[str, list[float]] = {n: [] for n in names}
    for r in range(repeat):
        for k in range(len(names)):
            name = names[(r + k) % len(names)]
            gc.collect()
            start = time.perf_counter()
            tasks[name]()
            times[name].append(time.perf_counter() - start)
    return times


def report(title: str, times: dict[str, list[float]], reference: str = "kelias") -> dict[str, float]:
    medians = {n: statistics.median(t) for n, t in times.items()}
    print(f"{title}")
    for name, t in times.items():
        ratio = medians[name] / medians[reference]
        if name == reference:
            note = ""
        elif ratio >= 1:
            note = f"  -> kelias {ratio:.2f}x faster than {name}"
        else:
            note = f"  -> kelias {1 / ratio:.2f}x slower than {name} (ratio {ratio:.2f})"
        runs = ", ".join(f"{x:.3f}" for x in t)
        print(f"  {name:9s} median {medians[name]:8.3f} s   (runs: {runs}){note}")
    return medians


def profile_call(what: str, call) -> None:
    """Where one call spends its time, by Python function (C++ shows as the _core call)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    call()
    profiler.disable()
    print(f"profile of {what} (cumulative, top 12):")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(12)


# ---- copies -------------------------------------------------------------------------------------


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def memory_during(call) -> tuple[object, int, int]:
    """(result, peak RSS growth during the call, peak Python-side allocation in the call)."""
    gc.collect()
    base = _rss()
    peak = [base]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _rss())
            time.sleep(0.0005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    tracemalloc.start()
    try:
        result = call()
        _, traced = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        done.set()
        sampler.join()
    peak[0] = max(peak[0], _rss())
    return result, peak[0] - base, traced


def numeric_bytes(df: pd.DataFrame) -> int:
    """Bytes of the float64 columns (those kelias can read in place)."""
    return int(sum(df[c].to_numpy().nbytes for c in df.columns if df[c].dtype == np.float64))


def result_bytes(frame) -> int:
    if isinstance(frame, pl.DataFrame):
        return int(frame.estimated_size())
    return int(frame.memory_usage(index=False, deep=False).sum())


# ---- main ---------------------------------------------------------------------------------------


def bench_score(args, kelias) -> bool:
    items, outcomes = load_layout()
    print(f"generating {args.rows:,} seeded START:AV assessments ...", flush=True)
    columns = generate_ratings(args.rows, args.seed, items, outcomes)
    df = pd.DataFrame(columns)
    pldf = pl.from_pandas(df, nan_to_null=True)
    del columns
    lf, schema = pldf.lazy(), pldf.schema
    instrument = kelias.load_instrument("start_av")
    n_float = sum(1 for c in df.columns if df[c].dtype == np.float64)
    print(f"input: {len(df.columns)} columns ({n_float} float64: ratings and flags; "
          f"{sum(not pd.api.types.is_numeric_dtype(df[c]) for c in df.columns)} text: id, estimates, the ratings that "
          f"allow na); {numeric_bytes(df) / 1e6:,.0f} MB of float64 buffers")

    results = {
        "kelias": instrument.score(df),
        "pandas": score_pandas(df, items, outcomes),
        "polars": score_polars(lf, items, outcomes, schema),
    }
    ok, message = agree_scores(results, args.rows)
    print(f"agreement: {'OK' if ok else 'MISMATCH'}: {message}")
    del results
    tasks = {
        "kelias": lambda: instrument.score(df),
        # The instrument's own checks (key strength rated 0, ...) are work the pandas and
        # polars translations do not do; this is kelias without them (cells still checked).
        "kelias-nc": lambda: instrument.score(df, checks=False),
        "pandas": lambda: score_pandas(df, items, outcomes),
        "polars": lambda: score_polars(lf, items, outcomes, schema),
    }
    report(f"scoring {args.rows:,} assessments, {args.repeat} repetitions in rotating order:", rotate(tasks, args.repeat))

    if args.profile:
        profile_call("instrument.score(df)", lambda: instrument.score(df))

    # No copy of numeric input: the engine's read addresses are the frame's own buffers,
    # and memory grown while scoring is the result, not the input again.
    addresses = instrument.input_addresses(df)
    own = {c: df[c].to_numpy().__array_interface__["data"][0] for c in addresses}
    in_place = sum(addresses[c] == own[c] for c in addresses)
    floats = sum(1 for c in df.columns if df[c].dtype == np.float64)
    result, grown, traced = memory_during(lambda: instrument.score(df))
    inp, out = numeric_bytes(df), result_bytes(result)
    verdict = "not copied" if in_place == floats and len(addresses) == floats else "COPIED"
    print(f"copies: {in_place} of {floats} float64 columns read in place (engine address == the DataFrame's buffer) "
          f"-> {verdict}; during score(): resident memory +{grown / 1e6:,.0f} MB for {inp / 1e6:,.0f} MB of float64 "
          f"input (result frame {out / 1e6:,.0f} MB), Python-side allocations peak {traced / 1e6:,.1f} MB (NumPy "
          f"arrays: parsed text columns, scores, the result frame)")
    kinds = instrument.input_kinds(df)
    print("text columns: " + ", ".join(f"{sum(k == kind for k in kinds.values())} {kind}"
                                       for kind in ("arrow", "dictionary", "cells") if kind in kinds.values())
          + " (arrow: parsed in C++ from the Arrow buffers; cells: one Python object per cell)")
    return ok and verdict == "not copied"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20261130)
    parser.add_argument("--rules-rows", type=int, help="cases for the rules job (default: --rows)")
    parser.add_argument("--only", choices=("score", "rules"), help="run one job")
    parser.add_argument("--profile", action="store_true", help="also profile one kelias call of each job")
    args = parser.parse_args()
    try:
        import kelias
    except ImportError:
        print("compare_python: the kelias package is not installed (pip install .)", file=sys.stderr)
        return 2
    print(f"kelias {getattr(kelias, '__version__', '?')}, pandas {pd.__version__}, polars {pl.__version__}, "
          f"numpy {np.__version__}, Python {platform.python_version()}, {os.cpu_count()} cores, "
          f"polars threads {pl.thread_pool_size()}")
    ok = True
    if args.only in (None, "score"):
        ok &= bench_score(args, kelias)
    if args.only in (None, "rules"):
        ok &= bench_rules(args, kelias)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
