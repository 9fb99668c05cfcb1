"""The package gives exactly the numbers and decisions of the CLI on the same files."""
from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import kelias
from conftest import run_cli


def _cli_scores(cli, definitions, ratings_csv, tmp_path) -> pd.DataFrame:
    out = tmp_path / "scores.csv"
    done = run_cli(cli, "score", "-i", definitions / "start_av.yaml", ratings_csv, "-o", out)
    assert done.returncode == 0, done.stderr
    return pd.read_csv(out, keep_default_na=False, na_values=[""], dtype=str)


def _same(expected_text: str, got, kind: str) -> bool:
    """A CLI cell (text) against a package value."""
    missing = got is None or got is pd.NA or (isinstance(got, float) and math.isnan(got))
    if expected_text is None or (isinstance(expected_text, float) and math.isnan(expected_text)):
        return missing
    if missing:
        return False
    if kind == "number":
        return float(expected_text) == float(got)
    if kind == "bool":
        return expected_text == ("true" if bool(got) else "false")
    return expected_text == str(got)


def _assert_parity(start_av, expected: pd.DataFrame, got: pd.DataFrame) -> None:
    assert list(expected["id"]) == list(got["id"])
    kinds = {s.id: s.type for s in start_av.score_info}
    for score in start_av.scores:
        for e, g in zip(expected[score].tolist(), got[score].tolist()):
            assert _same(e, g, kinds[score]), (score, e, g)


def test_score_dataframe_equals_cli(cli, definitions, ratings_csv, ratings_df, start_av, tmp_path):
    expected = _cli_scores(cli, definitions, ratings_csv, tmp_path)
    got = start_av.score(ratings_df)
    assert len(got) == len(expected) == len(ratings_df)
    _assert_parity(start_av, expected, got)


def test_score_file_equals_cli(cli, definitions, ratings_csv, start_av, tmp_path):
    expected = _cli_scores(cli, definitions, ratings_csv, tmp_path)
    got, rejects = start_av.score_file(ratings_csv)
    assert rejects.empty
    _assert_parity(start_av, expected, got)
    assert list(got["line"]) == list(range(2, len(got) + 2))


def _normal(value):
    """None for unknown, else the value as a plain Python float, bool or str."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.number)):
        return float(value)
    return str(value)


def test_score_file_jsonl_equals_csv(ratings_df, start_av, tmp_path):
    path = tmp_path / "ratings.jsonl"
    with path.open("w") as f:
        for row in ratings_df.to_dict("records"):
            f.write(json.dumps({k: v for k, v in row.items() if _normal(v) is not None}) + "\n")
    from_csv = start_av.score(ratings_df)
    from_jsonl, rejects = start_av.score_file(path)
    assert rejects.empty
    for score in start_av.scores:
        assert [_normal(v) for v in from_csv[score]] == [_normal(v) for v in from_jsonl[score]], score


def test_decide_equals_cli_eligibility(cli, definitions, repo, rules):
    cases = repo / "examples" / "cases" / "batch.jsonl"
    done = run_cli(cli, "eligibility", "-r", definitions / "lt_release_pathway.yaml", cases)
    assert done.returncode == 3, done.stderr  # one case of the file is rejected on purpose
    expected = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    got, rejects = rules.decide(cases, errors="collect")
    assert len(rejects) == 1 and rejects["case"][0] == "LT-2025-0207"
    rows = [
        (c["case"], d["programme"], d["decision"], d.get("earliest_date"), d.get("missing", []))
        for c in expected
        for d in c["decisions"]
    ]
    assert len(rows) == len(got)
    for (case, programme, decision, earliest, missing), (_, g) in zip(rows, got.iterrows()):
        assert (g["case"], g["programme"], g["decision"]) == (case, programme, decision)
        assert (None if pd.isna(g["earliest_date"]) else g["earliest_date"].date().isoformat()) == earliest
        assert list(g["missing"]) == list(missing)


def test_decide_one_yaml_case_equals_cli(cli, definitions, repo, rules):
    case = repo / "examples" / "cases" / "hwh_eligible_later.yaml"
    done = run_cli(cli, "eligibility", "-r", definitions / "lt_release_pathway.yaml", case, "--format", "json")
    assert done.returncode == 0, done.stderr
    expected = json.loads(done.stdout)
    got = rules.decide(case)
    assert list(got["programme"]) == [d["programme"] for d in expected["decisions"]]
    assert list(got["decision"]) == [d["decision"] for d in expected["decisions"]]
    explained = rules.explain(case)
    assert explained.case == expected["case"]
    assert [d.decision for d in explained.decisions] == [d["decision"] for d in expected["decisions"]]


def test_plan_equals_cli(cli, definitions, repo, rules):
    case = repo / "examples" / "cases" / "hwh_eligible_later.yaml"
    done = run_cli(
        cli, "plan", "--policy", definitions / "lt_plan_policy.yaml", "--rules", definitions / "lt_release_pathway.yaml",
        case, "--format", "json",
    )
    assert done.returncode == 0, done.stderr
    expected = json.loads(done.stdout)
    got = kelias.plan(case, "lt_plan_policy", rules)
    assert isinstance(got, kelias.Plan)
    assert got.case == expected["case"] and got.risk == expected["risk"] and got.dosage == expected["dosage"]
    assert got.interventions == expected["interventions"] and got.unmet == expected["unmet"]
    assert str(got).startswith("Plan for")


def test_moves_equal_cli(cli, definitions, repo):
    case = repo / "examples" / "cases" / "adult_to_halfway_house.yaml"
    done = run_cli(cli, "pathway", "moves", "-p", definitions / "lt_pathway.yaml", case, "--format", "json")
    assert done.returncode == 0, done.stderr
    expected = json.loads(done.stdout)
    got = kelias.moves(case, "lt_pathway")
    assert isinstance(got, kelias.Moves) and got.placement == expected["placement"]
    assert [(m.move, m.allowed) for m in got.moves] == [(m["move"], m["allowed"]) for m in expected["moves"]]
    assert all(isinstance(m.guard, kelias.ProgrammeDecision) for m in got.moves)


def test_rejected_rows_equal_cli_rejects(cli, definitions, ratings_csv, start_av, tmp_path):
    lines = ratings_csv.read_text().splitlines()
    header = lines[0].split(",")
    bad = lines[1].split(",")
    bad[header.index("coping.strength")] = "7"
    bad[0] = "BAD1"
    path = tmp_path / "with_bad_row.csv"
    path.write_text("\n".join([lines[0], ",".join(bad)] + lines[2:]) + "\n")
    rejects_csv = tmp_path / "rejects.csv"
    done = run_cli(cli, "score", "-i", definitions / "start_av.yaml", path, "-o", tmp_path / "s.csv", "--rejects", rejects_csv)
    assert done.returncode == 3, done.stderr
    expected = pd.read_csv(rejects_csv, dtype=str, keep_default_na=False)
    scores, rejects = start_av.score_file(path)
    assert list(rejects["line"]) == [int(r) for r in expected["row"]]
    assert list(rejects["id"]) == list(expected["id"]) == ["BAD1"]
    assert list(rejects["column"]) == list(expected["column"]) and list(rejects["reason"]) == list(expected["reason"])
    assert "BAD1" not in set(scores["id"]) and len(scores) == len(lines) - 2
    with pytest.raises(kelias.RowError):
        start_av.score_file(path, errors="raise")


def test_brief_decisions_equal_cli_brief(cli, definitions, repo, rules):
    cases = repo / "examples" / "cases" / "batch.jsonl"
    done = run_cli(cli, "eligibility", "-r", definitions / "lt_release_pathway.yaml", cases, "--brief")
    assert done.returncode == 3, done.stderr
    expected = [(c["case"], d["programme"], d["decision"]) for line in done.stdout.splitlines() if line.strip()
                for c in [json.loads(line)] for d in c["decisions"]]
    brief, rejects = rules.decide(cases, brief=True, errors="collect")
    assert list(brief.columns) == ["case", "programme", "decision"] and len(rejects) == 1
    full, _ = rules.decide(cases, errors="collect")
    pd.testing.assert_frame_equal(brief, full[["case", "programme", "decision"]])
    assert sorted(map(tuple, brief.to_numpy().tolist())) == sorted(expected)
