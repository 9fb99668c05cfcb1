"""The installed package: one version, shipped definitions found relative to it, typing."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import kelias


def test_version_is_the_cmake_project_version(repo):
    cmake = (repo / "CMakeLists.txt").read_text()
    version = re.search(r"project\(kelias\s+VERSION\s+([0-9.]+)", cmake).group(1)
    assert kelias.__version__ == version
    from importlib.metadata import version as dist_version

    assert dist_version("kelias") == version


def test_shipped_definitions_found_from_anywhere(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "KELIAS_PATH"}
    code = (
        "import kelias; i = kelias.load_instrument('start_av'); r = kelias.load_rules('lt_release_pathway');"
        "p = kelias.load_pathway('lt_pathway'); q = kelias.load_plan_policy('lt_plan_policy');"
        "print(i.key, r.key, p.key, q.key, kelias.find_definition('start_av'))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "start_av@" in done.stdout and "lt_release_pathway@" in done.stdout
    found = Path(done.stdout.split()[-1])
    assert found.parent == kelias.definitions_dir() and found.parent.parent == Path(kelias.__file__).parent


def test_paths_still_work(repo):
    assert kelias.load_instrument(repo / "examples" / "instruments" / "static99r.yaml").id == "static99r"


def test_typing_files_are_installed():
    package = Path(kelias.__file__).parent
    assert (package / "py.typed").exists() and (package / "_core.pyi").exists()


def test_described_api(start_av, rules):
    assert start_av.id == "start_av" and start_av.version and start_av.hash.startswith("sha256:")
    assert "coping" in start_av.items and "violence" in start_av.outcomes
    assert "strength_total" in start_av.scores and "coping.strength" in start_av.columns
    assert rules.programmes and "sentence_end" in rules.facts


def test_explain_is_structured_and_readable(start_av, ratings_df):
    e = start_av.explain(ratings_df.iloc[2], "strength_total")
    assert isinstance(e, kelias.Explanation) and e.children
    assert e.value == str(int(start_av.score(ratings_df.iloc[2:3])["strength_total"].iloc[0]))
    assert str(e).splitlines()[0].startswith("strength_total")


def test_rules_explain_prints_every_condition(rules, repo):
    d = rules.explain(repo / "examples" / "cases" / "hwh_eligible_later.yaml")
    assert isinstance(d, kelias.CaseDecisions)
    hh = d.find("halfway_house")
    assert hh is not None and hh.reasons and all(isinstance(r, kelias.Reason) for r in hh.reasons)
    assert "halfway_house" in str(d)


def test_installed_cli_finds_the_shipped_definitions(cli, tmp_path):
    from conftest import run_cli

    done = run_cli(cli, "instrument", "validate", "start_av", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert run_cli(cli, "--version").stdout.strip().endswith(kelias.__version__)
