#!/usr/bin/env python3
"""Check that two builds of `kelias score` write the same bytes: the scores, the rejects
CSV and the messages, on the shipped example and on seeded random START:AV ratings with
bad rows mixed in (bad values, quoted cells with delimiters, line breaks and doubled
quotes, CRLF endings, wrong cell counts, missing ids, an unterminated quote at the end).

    python3 benchmarks/check_identical_scores.py --baseline /path/to/old/kelias \\
        --candidate build/release/bin/kelias --rows 100000

Exit status 0 when every output agrees, 1 otherwise. Input is also fed on standard input.
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from compare_pandas import INSTRUMENT, ROOT, generate, load_layout

EXAMPLE = ROOT / "examples" / "data" / "start_av_ratings.csv"


def damage(src: Path, dst: Path, seed: int) -> None:
    """Copies src, spoiling about 2% of the rows in one of several ways."""
    rng = random.Random(seed)
    lines = src.read_text(encoding="utf-8").splitlines()
    out = [lines[0]]
    for line in lines[1:]:
        cells = line.split(",")
        draw = rng.random()
        if draw < 0.004:
            cells[rng.randrange(1, len(cells))] = rng.choice(["3", "x", "-1", "1.5", "NA", " 2 ", "TRUE", "omitted"])
        elif draw < 0.007:
            cells[rng.randrange(1, len(cells))] = rng.choice(['"1"', '"a,b"', '"2\n"', '"q""q"', '""'])
        elif draw < 0.009:
            cells.pop(rng.randrange(1, len(cells)))
        elif draw < 0.011:
            cells.append("1")
        elif draw < 0.013:
            cells[0] = rng.choice(["", '""', "  "])
        elif draw < 0.015:
            cells[0] = '"' + cells[0] + ',x"'
        elif draw < 0.017:
            cells[rng.randrange(1, len(cells))] = 'a"b'
        elif draw < 0.019:
            out.append("")
        text = ",".join(cells)
        out.append(text + ("\r" if draw > 0.995 else ""))
    dst.write_text("\n".join(out) + "\n" + '"unterminated,1\n', encoding="utf-8")


def run(kelias: str, src: Path, out_dir: Path, extra: list[str], stdin: bool) -> dict[str, bytes]:
    scores, rejects = out_dir / "scores.csv", out_dir / "rejects.csv"
    command = [kelias, "score", "--instrument", str(INSTRUMENT), "-o", str(scores), "--rejects", str(rejects), *extra]
    if stdin:
        with src.open("rb") as f:
            done = subprocess.run([*command, "-"], stdin=f, capture_output=True)
    else:
        done = subprocess.run([*command, str(src)], capture_output=True)
    result = {"exit": str(done.returncode).encode(), "stdout": done.stdout, "stderr": done.stderr}
    for p in (scores, rejects):
        result[p.name] = p.read_bytes() if p.exists() else b"<none>"
        p.unlink(missing_ok=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", required=True)
    parser.add_argument("--candidate", default=str(ROOT / "build" / "release" / "bin" / "kelias"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()
    items, outcomes = load_layout()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        clean, damaged = tmp_dir / "clean.csv", tmp_dir / "damaged.csv"
        generate(clean, args.rows, args.seed, items, outcomes)
        damage(clean, damaged, args.seed)
        cases = [
            ("example", EXAMPLE, [], False),
            ("random", clean, [], False),
            ("random, damaged", damaged, [], False),
            ("random, damaged, stdin", damaged, [], True),
            ("random, damaged, 1 thread", damaged, ["--threads", "1"], False),
            ("random, damaged, jsonl out", damaged, ["--format", "jsonl"], False),
        ]
        for name, src, extra, stdin in cases:
            a = run(args.baseline, src, tmp_dir, extra, stdin)
            b = run(args.candidate, src, tmp_dir, extra, stdin)
            differing = [k for k in a if a[k] != b[k]]
            verdict = "same" if not differing else "DIFFERENT: " + ", ".join(differing)
            rejects = a["rejects.csv"].count(b"\n")
            print(f"{name:32} {verdict} ({len(a['scores.csv'])} bytes of scores, {rejects} reject lines)")
            failures += bool(differing)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
