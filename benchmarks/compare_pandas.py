#!/usr/bin/env python3
"""Score START:AV end to end with `kelias score` and with plain pandas, check they agree,
and print the ratio.

Both sides do the same job: read the same CSV (ratings with `na` and omitted cells),
compute the 15 START:AV scores, write a CSV. Times are wall-clock for the whole job.

    python3 benchmarks/compare_pandas.py --rows 1000000
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parent.parent
INSTRUMENT = ROOT / "instruments" / "start_av.yaml"


def load_layout():
    spec = yaml.safe_load(INSTRUMENT.read_text(encoding="utf-8"))
    items = [(i["id"], i.get("domain"), i.get("in_totals", True), set(i.get("na", []))) for i in spec["items"]]
    outcomes = [o["id"] for o in spec["outcomes"]]
    return items, outcomes


def generate(path: Path, rows: int, seed: int, items, outcomes) -> None:
    """Seeded ratings: 0-2 with ~4% omitted, `na` where allowed, flags ~8% true."""
    rng = np.random.default_rng(seed)
    columns = {"id": np.char.add("P", np.arange(rows).astype(str))}
    for item, _, _, na_fields in items:
        for field in ("strength", "vulnerability"):
            values = rng.integers(0, 3, rows).astype(str).astype(object)
            draw = rng.random(rows)
            values[draw < 0.04] = ""
            if field in na_fields:
                values[(draw >= 0.04) & (draw < 0.10)] = "na"
            columns[f"{item}.{field}"] = values
        for flag in ("key", "critical"):
            columns[f"{item}.{flag}"] = np.where(rng.random(rows) < 0.08, "true", "false")
    levels = np.array(["low", "moderate", "high"], dtype=object)
    for outcome in outcomes:
        values = levels[rng.integers(0, 3, rows)]
        values[rng.random(rows) < 0.02] = ""
        columns[f"{outcome}.estimate"] = values
        columns[f"{outcome}.history_lifetime"] = np.where(rng.random(rows) < 0.3, "true", "false")
        columns[f"{outcome}.history_recent"] = np.where(rng.random(rows) < 0.1, "true", "false")
    pd.DataFrame(columns).to_csv(path, index=False)


def score_with_pandas(src: Path, dst: Path, items, outcomes) -> None:
    """The same scores, written the way a data analyst would in pandas."""
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    dynamic = [(i, d) for i, d, in_totals, _ in items if in_totals]
    out = pd.DataFrame({"id": df["id"]})
    totals = {}
    for field in ("strength", "vulnerability"):
        cols = [f"{i}.{field}" for i, _ in dynamic]
        raw = df[cols]
        values = raw.apply(pd.to_numeric, errors="coerce")
        known = values.notna()
        na = raw.eq("na")
        totals[field] = (values.sum(axis=1), known.sum(axis=1), na.sum(axis=1), (~known & ~na).sum(axis=1))
        for domain in ("individual", "relationships_environment", "response_to_interventions"):
            dcols = [f"{i}.{field}" for i, d in dynamic if d == domain]
            totals[(domain, field)] = values[dcols].sum(axis=1)
    out["strength_total"] = totals["strength"][0]
    out["vulnerability_total"] = totals["vulnerability"][0]
    out["strength_n"] = totals["strength"][1]
    out["vulnerability_n"] = totals["vulnerability"][1]
    for domain in ("individual", "relationships_environment", "response_to_interventions"):
        out[f"{domain}_strength"] = totals[(domain, "strength")]
        out[f"{domain}_vulnerability"] = totals[(domain, "vulnerability")]
    out["key_strengths"] = df[[f"{i}.key" for i, _ in dynamic]].eq("true").sum(axis=1)
    out["critical_vulnerabilities"] = df[[f"{i}.critical" for i, _ in dynamic]].eq("true").sum(axis=1)
    for field in ("strength", "vulnerability"):
        total, known, na, omitted = totals[field]
        applicable = len(dynamic) - na
        prorated = total.where(omitted == 0, total * applicable / known.where(known > 0))
        out[f"{field}_total_prorated"] = prorated.where(omitted <= 4)
    estimates_given = df[[f"{o}.estimate" for o in outcomes]].ne("").all(axis=1)
    out["complete"] = (totals["strength"][3] == 0) & (totals["vulnerability"][3] == 0) & estimates_given
    out["complete"] = out["complete"].map({True: "true", False: "false"})
    out["instrument"] = "start_av@2014"
    out.to_csv(dst, index=False, float_format="%.17g")


def agree(kelias_csv: Path, pandas_csv: Path) -> tuple[bool, str]:
    a = pd.read_csv(kelias_csv, dtype=str, keep_default_na=False)
    b = pd.read_csv(pandas_csv, dtype=str, keep_default_na=False)
    if list(a.columns) != list(b.columns):
        return False, f"columns differ:\n  kelias: {list(a.columns)}\n  pandas: {list(b.columns)}"
    if len(a) != len(b):
        return False, f"row counts differ: {len(a)} vs {len(b)}"
    for col in a.columns:
        if col in ("id", "instrument", "complete"):
            if not a[col].equals(b[col]):
                return False, f"column {col} differs"
            continue
        x = pd.to_numeric(a[col].replace("", np.nan))
        y = pd.to_numeric(b[col].replace("", np.nan))
        same = np.isclose(x, y, rtol=1e-12, atol=1e-12, equal_nan=True)
        if not same.all():
            row = int(np.argmin(same))
            return False, f"column {col} differs first at row {row}: kelias {a[col][row]!r}, pandas {b[col][row]!r}"
    return True, "all 15 scores agree on every row"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--kelias", default=os.environ.get("KELIAS", str(ROOT / "build" / "release" / "bin" / "kelias")))
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    if not Path(args.kelias).exists():
        print(f"compare_pandas: no kelias binary at {args.kelias} (run `make build` or pass --kelias)", file=sys.stderr)
        return 2
    items, outcomes = load_layout()
    workdir = Path(tempfile.mkdtemp(prefix="kelias-bench-"))
    src, out_k, out_p = workdir / "ratings.csv", workdir / "kelias.csv", workdir / "pandas.csv"
    print(f"generating {args.rows:,} seeded START:AV rows ...", flush=True)
    generate(src, args.rows, args.seed, items, outcomes)
    size_mb = src.stat().st_size / 1e6

    start = time.perf_counter()
    run = subprocess.run([args.kelias, "score", "--instrument", str(INSTRUMENT), str(src), "-o", str(out_k)],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    t_kelias = time.perf_counter() - start
    if run.returncode not in (0, 3):
        print(f"kelias failed (exit {run.returncode}):\n{run.stderr}", file=sys.stderr)
        return 1

    start = time.perf_counter()
    score_with_pandas(src, out_p, items, outcomes)
    t_pandas = time.perf_counter() - start

    ok, message = agree(out_k, out_p)
    print(f"input         {size_mb:8.1f} MB, {args.rows:,} rows, {len(items) * 4 + len(outcomes) * 3} columns")
    print(f"kelias score  {t_kelias:8.2f} s  ({size_mb / t_kelias:7.1f} MB/s)")
    print(f"pandas        {t_pandas:8.2f} s  ({size_mb / t_pandas:7.1f} MB/s)")
    print(f"ratio         {t_pandas / t_kelias:8.1f}x faster than pandas")
    print(f"agreement     {'OK' if ok else 'MISMATCH'}: {message}")
    if not args.keep:
        for f in (src, out_k, out_p):
            f.unlink(missing_ok=True)
        workdir.rmdir()
    else:
        print(f"files kept in {workdir}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
