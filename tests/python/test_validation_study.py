"""examples/python/validation_study.py and its notebook run against the installed package
and write non-trivial figures and a self-contained HTML summary."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("matplotlib", reason="kelias[plot] extra (matplotlib) not installed")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"
FIGURES = ["roc", "calibration", "profile", "totals_by_site", "totals_by_sex"]
PNG = b"\x89PNG\r\n\x1a\n"


def check_outputs(out: Path) -> None:
    for name in FIGURES:
        data = (out / f"{name}.png").read_bytes()
        assert data.startswith(PNG), name
        assert len(data) > 15_000, f"{name}.png is only {len(data)} bytes"
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert summary.count("data:image/png;base64,") == len(FIGURES)  # self-contained
    assert "Synthetic data" in summary
    for heading in ("Reliability", "Predictive validity", "Calibration", "Fairness"):
        assert heading in summary
    assert "ICC(2,1)" in summary and "weighted kappa" in summary and "DeLong" in summary
    assert len(summary) > 100_000


def run(cmd: list[str], env: dict, cwd: Path) -> subprocess.CompletedProcess:
    # Never from the source tree's bindings: the installed package is what is tested.
    env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # no __pycache__ in examples/
    result = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, f"{' '.join(cmd)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}"
    return result


def test_script_writes_figures_and_summary(tmp_path):
    out = tmp_path / "out"
    result = run([sys.executable, str(EXAMPLES / "validation_study.py"), "--out", str(out), "--n", "800"],
                 dict(os.environ), tmp_path)
    check_outputs(out)
    assert "Synthetic data" in result.stdout
    assert "reliability" in result.stdout and "fairness" in result.stdout


def test_script_default_output_is_outside_the_source_tree(tmp_path):
    result = run([sys.executable, str(EXAMPLES / "validation_study.py"), "--n", "300", "--double", "60"],
                 dict(os.environ), tmp_path)
    written = Path(result.stdout.strip().splitlines()[-1].split(" and ")[-1]).parent
    assert written.is_dir() and not written.resolve().is_relative_to(EXAMPLES.parents[1])
    check_outputs(written)


def test_notebook_executes(tmp_path):
    pytest.importorskip("nbconvert")
    pytest.importorskip("ipykernel")
    out = tmp_path / "out"
    env = dict(os.environ, KELIAS_VALIDATION_OUT=str(out), KELIAS_VALIDATION_N="800")
    run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--output-dir", str(tmp_path),
         "--ExecutePreprocessor.timeout=600", str(EXAMPLES / "validation_study.ipynb")], env, EXAMPLES)
    check_outputs(out)
    executed = json.loads((tmp_path / "validation_study.ipynb").read_text(encoding="utf-8"))
    outputs = [o for cell in executed["cells"] if cell["cell_type"] == "code" for o in cell.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == len(FIGURES)
