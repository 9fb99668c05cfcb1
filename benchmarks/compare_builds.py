#!/usr/bin/env python3
"""Time `kelias score` of two builds on the same seeded START:AV ratings, check that they
write the same bytes, and print the wall-time ratio (candidate / baseline).

Runs alternate (baseline, candidate, baseline, ...) after a warm-up, so that a machine
whose speed drifts affects both alike; the ratio quoted is the median of the pairs' ratios.
Use it before and after a change to the readers, the scorer or the writers:

    git worktree add /tmp/before main && (cd /tmp/before && make build)
    python3 benchmarks/compare_builds.py --baseline /tmp/before/build/release/bin/kelias --rows 1000000
"""
from __future__ import annotations

import argparse
import filecmp
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from compare_pandas import INSTRUMENT, ROOT, generate, load_layout


def timed(kelias: str, src: Path, dst: Path, threads: int | None) -> float:
    command = [kelias, "score", "--instrument", str(INSTRUMENT), str(src), "-o", str(dst)]
    if threads is not None:
        command += ["--threads", str(threads)]
    start = time.perf_counter()
    run = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if run.returncode not in (0, 3):
        raise RuntimeError(f"{kelias} failed (exit {run.returncode}):\n{run.stderr}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", required=True, help="the kelias binary to compare against")
    parser.add_argument("--candidate", default=str(ROOT / "build" / "release" / "bin" / "kelias"))
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (after one warm-up)")
    parser.add_argument("--threads", type=int, default=None, help="--threads for both (default: theirs)")
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    for binary in (args.baseline, args.candidate):
        if not Path(binary).exists():
            print(f"compare_builds: no kelias binary at {binary}", file=sys.stderr)
            return 2
    items, outcomes = load_layout()
    with tempfile.TemporaryDirectory(prefix="kelias-builds-") as tmp:
        work = Path(tmp)
        src, out_a, out_b = work / "ratings.csv", work / "baseline.csv", work / "candidate.csv"
        print(f"generating {args.rows:,} seeded START:AV rows ...", flush=True)
        generate(src, args.rows, args.seed, items, outcomes)
        timed(args.baseline, src, out_a, args.threads)
        timed(args.candidate, src, out_b, args.threads)
        same = filecmp.cmp(out_a, out_b, shallow=False)
        base, cand = [], []
        for _ in range(args.runs):
            base.append(timed(args.baseline, src, out_a, args.threads))
            cand.append(timed(args.candidate, src, out_b, args.threads))
    ratios = [c / b for b, c in zip(base, cand)]
    print(f"baseline     median {statistics.median(base):7.3f} s  (min {min(base):.3f}, max {max(base):.3f})")
    print(f"candidate    median {statistics.median(cand):7.3f} s  (min {min(cand):.3f}, max {max(cand):.3f})")
    print(f"ratio        median {statistics.median(ratios):7.3f}  (candidate / baseline; min {min(ratios):.3f}, "
          f"max {max(ratios):.3f})")
    print(f"output       {'identical' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
