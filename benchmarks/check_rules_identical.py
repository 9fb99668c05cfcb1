#!/usr/bin/env python3
"""Check that `kelias eligibility` on JSON lines writes the same bytes as a reference build.

Generates seeded random LT cases (the generator of compare_rules_pandas.py), mixes in bad
lines (malformed JSON, wrong shapes, repeated keys, unknown keys, blank lines, repeated
case ids, a byte-order mark), runs both programs in every existing output mode and compares
standard output, the rejects CSV and standard error byte for byte, and the exit code.

    python3 benchmarks/check_rules_identical.py --reference /work/baseline/build/r/bin/kelias \\
        --kelias build/h/bin/kelias --rows 100000
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import compare_rules_pandas as gen  # noqa: E402

RULES = ROOT / "benchmarks" / "data" / "lt_release_pathway_13.yaml"
BAD = [
    '{"case":"BAD-1","as_of":"2025-01-01","facts":{"regime":"open"',
    '{"case":"BAD-2","as_of":"2025-01-01","facts":[]}',
    '{"case":"BAD-3","as_of":"2025-01-01","case":"again"}',
    '{"case":"BAD-4","as_of":"2025-13-01","facts":{}}',
    '{"case":"BAD-5","as_of":"2025-01-01","colour":"blue"}',
    '["not","an","object"]',
    '{"case":"BAD-6","facts":{"regime":"open"}}',
    '{"case":"BAD-7","as_of":"2025-01-01","facts":{"regime":{"nested":1}}}',
    '{"case":"BAD-8","as_of":"2025-01-01","facts":{"convictions_last_5y":"many"}}',
    '{"case":"BAD-9","as_of":"2025-01-01","assessments":{"start_av":{"date":"2024-12-01","scores":{"violence.estimate":"huge"}}}}',
    '{"case":"BAD-10" "as_of":"2025-01-01"}',
    '{"case":"BAD-11","as_of":"2025-01-01","facts":{"penalties":[{"date":"x"}]}}',
    '{"case":"BAD-12\\u0000","as_of":"2025-01-01","facts":{"regime":tru}}',
    '',
    '   ',
    'null',
    '{}',
]

MODES = [
    ["--format", "json", "--brief", "--no-earliest"],
    ["--format", "json", "--brief"],
    ["--format", "text", "--brief"],
    ["--format", "json", "--no-earliest"],
    ["--format", "json"],
    ["--format", "json", "--explain"],
    ["--format", "text", "--explain", "--lang", "lt"],
    ["--format", "text", "--threads", "1", "--chunk", "777"],
    ["--format", "json", "--brief", "--threads", "3", "--chunk", "1000"],
]


def make_cases(path: Path, rows: int, seed: int) -> None:
    raw = path.with_suffix(".raw")
    gen.generate(raw, rows, seed)
    rng = random.Random(seed)
    lines = raw.read_text(encoding="utf-8").splitlines()
    raw.unlink()
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if rng.random() < 0.002:
            out.append(rng.choice(BAD))
        if rng.random() < 0.0005:
            out.append(lines[rng.randrange(max(1, i))])  # a repeated case id
    path.write_text("\ufeff" + "\n".join(out) + "\n", encoding="utf-8")


def run(kelias: str, cases: Path, mode: list[str], work: Path, tag: str) -> tuple[bytes, bytes, bytes, int]:
    rejects = work / "rejects.csv"
    rejects.unlink(missing_ok=True)
    out = work / f"out-{tag}"
    with open(out, "wb") as f:
        p = subprocess.run([kelias, "eligibility", "--rules", str(RULES), str(cases), "-o", "-",
                            "--rejects", str(rejects), *mode], stdout=f, stderr=subprocess.PIPE)
    data = out.read_bytes()
    out.unlink()
    return data, rejects.read_bytes() if rejects.exists() else b"", p.stderr.replace(str(work).encode(), b""), p.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reference", required=True)
    ap.add_argument("--kelias", required=True)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20261130)
    ap.add_argument("--modes", type=int, nargs="*", help="indexes into the list of modes (default: all)")
    args = ap.parse_args()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="kelias-identical-") as tmp:
        work = Path(tmp)
        cases = work / "cases.jsonl"
        make_cases(cases, args.rows, args.seed)
        for i, mode in enumerate(MODES):
            if args.modes and i not in args.modes:
                continue
            a = run(args.reference, cases, mode, work, "a")
            b = run(args.kelias, cases, mode, work, "b")
            same = a == b
            failed += not same
            rejected = a[1].count(b"\n") - 1
            what = [n for n, x, y in zip(("output", "rejects", "stderr", "exit code"), a, b) if x != y]
            print(f"{'same' if same else 'DIFFERENT (' + ', '.join(what) + ')'}: {' '.join(mode)} "
                  f"({len(a[0])} bytes, {rejected} rejects, exit {a[3]})", flush=True)
    print("all identical" if not failed else f"{failed} modes differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
