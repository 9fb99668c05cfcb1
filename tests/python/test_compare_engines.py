"""benchmarks/compare_engines.py at a tiny size: its polars and DuckDB translations of
START:AV scoring and of the LT rules pass the rule set's embedded tests and agree with the
installed `kelias` CLI on every value. Agreement only; speed is never asserted."""
from __future__ import annotations

import subprocess
import sys

import pytest

pytest.importorskip("polars", minversion="1.20")
pytest.importorskip("duckdb", minversion="1.3")


def test_engines_agree_with_kelias(repo, cli):
    run = subprocess.run([sys.executable, str(repo / "benchmarks" / "compare_engines.py"), "--rows", "2000", "--repeat", "1",
                          "--kelias", cli], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "translations pass the" in run.stdout
    assert "agreement: all 17 columns (15 scores) of all 2,000 rows agree between kelias, polars, duckdb, pandas" in run.stdout
    assert "agreement: all 26,000 decisions (2,000 cases x 13 programmes) agree between kelias, polars, duckdb, pandas" in run.stdout
    assert "agreement: OK" in run.stdout
