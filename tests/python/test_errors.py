"""Errors: every diagnostic of a malformed definition, located and printed like the CLI;
bad rows raise or come back as rejects."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import kelias
from conftest import run_cli


def test_malformed_definition_carries_every_located_diagnostic(cli, repo):
    path = repo / "tests" / "data" / "malformed" / "001_yaml_colon_in_plain_scalar.yaml"
    with pytest.raises(kelias.DefinitionError) as raised:
        kelias.load_instrument(path)
    d = raised.value.diagnostics[0]
    assert (d.line, d.column, d.code, d.severity) == (6, 12, "E001", "error")
    assert d.file == str(path) and d.hint
    cli_out = run_cli(cli, "instrument", "validate", path)
    assert cli_out.returncode == 1
    assert str(raised.value).strip() == cli_out.stderr.strip()


@pytest.mark.parametrize("name", ["005_unknown_item_key_hint.yaml", "004_format_version.yaml"])
def test_more_malformed_files_print_like_the_cli(cli, repo, name):
    path = repo / "tests" / "data" / "malformed" / name
    with pytest.raises(kelias.DefinitionError) as raised:
        kelias.load_instrument(path)
    assert all(d.line > 0 and d.code.startswith("E") for d in raised.value.diagnostics)
    assert str(raised.value).strip() == run_cli(cli, "instrument", "validate", path).stderr.strip()


def test_malformed_rule_set(repo):
    files = sorted((repo / "tests" / "data" / "malformed_rules").glob("*.yaml"))
    with pytest.raises(kelias.DefinitionError) as raised:
        kelias.load_rules(files[0])
    assert raised.value.diagnostics and raised.value.diagnostics[0].code.startswith("E")


def test_unknown_id_is_a_definition_error():
    with pytest.raises(kelias.DefinitionError) as raised:
        kelias.load_instrument("no_such_instrument")
    assert raised.value.diagnostics[0].code == "E000"


def _bad_frame():
    return pd.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "coping.strength": ["2", "7", "1", "x"],
            "coping.vulnerability": [1.0, 1.0, 5.0, 1.0],
            "unit": ["n", "n", "s", "s"],
        },
        index=[10, 11, 12, 13],
    )


def test_bad_rows_raise_with_row_column_and_reason(start_av):
    with pytest.raises(kelias.RowError) as raised:
        start_av.score(_bad_frame())
    problems = raised.value.problems
    assert [(p.row, p.id, p.column) for p in problems] == [
        (11, "b", "coping.strength"),
        (12, "c", "coping.vulnerability"),
        (13, "d", "coping.strength"),
    ]
    assert "7" not in str(raised.value).replace("row 1", "")  # never the values


def test_bad_rows_collected(start_av):
    scores, rejects = start_av.score(_bad_frame(), errors="collect")
    assert list(scores.index) == [10] and list(scores["id"]) == ["a"]
    assert list(rejects["row"]) == [11, 12, 13]
    assert set(rejects.columns) == {"row", "id", "column", "reason"}
    good, none = start_av.score(_bad_frame().iloc[:1], errors="collect")
    assert none.empty and len(good) == 1


def test_bad_rows_collected_for_every_kind(start_av):
    import polars as pl
    import pyarrow as pa

    df = _bad_frame()
    for data in (pl.from_pandas(df), pa.Table.from_pandas(df, preserve_index=False), df.to_dict("list"),
                 df.to_dict("records")):
        scores, rejects = start_av.score(data, errors="collect")
        rows = rejects["row"] if not isinstance(rejects, list) else [r["row"] for r in rejects]
        rows = rows.to_pylist() if hasattr(rows, "to_pylist") else list(rows)
        assert rows == [1, 2, 3], type(data)


def test_errors_argument_is_checked(start_av):
    with pytest.raises(ValueError):
        start_av.score(_bad_frame(), errors="ignore")


def test_bad_cases_raise_or_collect(rules, repo):
    cases = repo / "examples" / "cases" / "batch.jsonl"
    with pytest.raises(kelias.RowError) as raised:
        rules.decide(cases)
    assert raised.value.problems[0].id == "LT-2025-0207"
    decided, rejects = rules.decide(cases, errors="collect")
    assert list(rejects["case"]) == ["LT-2025-0207"] and "sentence_end" in rejects["reason"][0]


def test_explain_unknown_score_is_e503(start_av):
    with pytest.raises(kelias.DefinitionError) as raised:
        start_av.explain({"coping.strength": 1}, "no_such_score")
    assert raised.value.diagnostics[0].code == "E503"
