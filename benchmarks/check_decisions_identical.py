#!/usr/bin/env python3
"""Check that `kelias eligibility` writes byte-identical output to a reference build: full
decisions with every reason, missing facts and earliest dates, as JSON and as text.

Runs both programs on every shipped example case (examples/cases/*.yaml and *.jsonl) and on
seeded random cases (the generator of benchmarks/compare_rules_pandas.py, plus a second set
with as_of spread over a wider range and juveniles near their 18th birthday, so that more
programmes have an earliest date), each with:

    --format json                       (reasons, missing facts, earliest dates)
    --format json --no-earliest
    --format text --explain             (every condition with its inputs)
    --format text --lang lt
    --format json --threads 2

and compares the outputs byte for byte (sha256).

    python3 benchmarks/check_decisions_identical.py \\
        --reference /work/baseline/build/r/bin/kelias --kelias build/h/bin/kelias --rows 100000
"""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

VARIANTS = [
    ["--format", "json"],
    ["--format", "json", "--no-earliest"],
    ["--format", "text", "--explain"],
    ["--format", "text", "--lang", "lt"],
    ["--format", "json", "--threads", "2"],
]


def digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run(program: str, case: Path, variant: list[str], out: Path) -> int:
    cmd = [program, "eligibility", "--rules", "lt_release_pathway", str(case), "-o", str(out), *variant]
    return subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode


def compare(reference: str, kelias: str, case: Path, workdir: Path) -> list[str]:
    problems = []
    for variant in VARIANTS:
        a, b = workdir / "reference.out", workdir / "kelias.out"
        ra = run(reference, case, variant, a)
        rb = run(kelias, case, variant, b)
        label = f"{case.name} {' '.join(variant)}"
        if ra != rb:
            problems.append(f"{label}: exit codes {ra} (reference) and {rb}")
        elif ra not in (0, 3) and not a.exists():
            continue  # both refused the file (a case for another rule set)
        elif digest(a) != digest(b):
            problems.append(f"{label}: outputs differ")
        else:
            print(f"  identical: {label} ({a.stat().st_size} bytes)", flush=True)
        for f in (a, b):
            f.unlink(missing_ok=True)
    return problems


def spread(src: Path, dst: Path, seed: int) -> None:
    """The same cases with as_of moved up to two years back and juveniles born near 18: more
    programmes wait for a date, and birthdays change the instrument chosen by age."""
    import json
    import random

    rng = random.Random(seed)
    with open(src, encoding="utf-8") as fin, open(dst, "w", encoding="utf-8") as fout:
        for line in fin:
            case = json.loads(line)
            y, m, d = (int(x) for x in case["as_of"].split("-"))
            case["as_of"] = f"{y - rng.randint(0, 2):04d}-{m:02d}-{d:02d}" if not (m == 2 and d == 29) else case["as_of"]
            facts = case.get("facts", {})
            if isinstance(facts.get("date_of_birth"), str) and rng.random() < 0.2:
                ay, am, ad = (int(x) for x in case["as_of"].split("-"))
                facts["date_of_birth"] = f"{ay - 18:04d}-{rng.randint(1, 12):02d}-{min(ad, 28):02d}"
            fout.write(json.dumps(case, separators=(",", ":")) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reference", default="/work/baseline/build/r/bin/kelias")
    parser.add_argument("--kelias", default=str(ROOT / "build" / "h" / "bin" / "kelias"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()

    from compare_rules_pandas import generate

    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        print("shipped examples:", flush=True)
        for case in sorted((ROOT / "examples" / "cases").glob("*")):
            if case.suffix in (".yaml", ".jsonl"):
                problems += compare(args.reference, args.kelias, case, workdir)
        print(f"{args.rows} random cases (two sets):", flush=True)
        generated = workdir / "random.jsonl"
        generate(generated, args.rows, args.seed)
        problems += compare(args.reference, args.kelias, generated, workdir)
        spread_cases = workdir / "random_spread.jsonl"
        spread(generated, spread_cases, args.seed)
        generated.unlink()
        problems += compare(args.reference, args.kelias, spread_cases, workdir)
    for p in problems:
        print("DIFFERENT:", p)
    print("all identical" if not problems else f"{len(problems)} differences")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
