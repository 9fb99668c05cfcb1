"""Tables in and out: pandas, polars, pyarrow, dicts of arrays and lists of dicts give the
same scores, keep the input's index and pass-through columns, and numeric float64 columns
reach the engine without a copy."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import kelias


def _normal(value):
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.number)):
        return float(value)
    return str(value)


@pytest.fixture(scope="module")
def expected(start_av, ratings_df):
    out = start_av.score(ratings_df)
    return {s: [_normal(v) for v in out[s]] for s in start_av.scores}


def _check(start_av, expected, column_of):
    for s in start_av.scores:
        assert [_normal(v) for v in column_of(s)] == expected[s], s


def test_pandas_keeps_index_and_pass_through(start_av, ratings_df, expected):
    df = ratings_df.copy()
    df.index = pd.Index([f"r{i}" for i in range(len(df))], name="row")
    df["unit"] = "north"
    out = start_av.score(df)
    assert out.index.equals(df.index)
    assert list(out.columns[:2]) == ["id", "unit"] and (out["unit"] == "north").all()
    assert not set(start_av.columns) & set(out.columns)
    assert out.attrs["instrument"] == start_av.key
    _check(start_av, expected, lambda s: out[s])
    assert out["strength_total"].dtype == np.float64
    assert str(out["violence_estimate"].dtype) == "string" if "violence_estimate" in out else True


def test_polars(start_av, ratings_df, expected):
    df = pl.from_pandas(ratings_df)
    out = start_av.score(df)
    assert isinstance(out, pl.DataFrame) and out.height == len(ratings_df)
    assert out.columns[0] == "id" and out["id"].to_list() == ratings_df["id"].tolist()
    _check(start_av, expected, lambda s: out[s].to_list())


def test_arrow(start_av, ratings_df, expected):
    table = pa.Table.from_pandas(ratings_df, preserve_index=False)
    out = start_av.score(table)
    assert isinstance(out, pa.Table) and out.num_rows == len(ratings_df)
    _check(start_av, expected, lambda s: out.column(s).to_pylist())


def test_dict_of_arrays(start_av, ratings_df, expected):
    data = {c: ratings_df[c].to_numpy() for c in ratings_df.columns}
    out = start_av.score(data)
    assert isinstance(out, dict) and list(out["id"]) == ratings_df["id"].tolist()
    _check(start_av, expected, lambda s: list(out[s]))


def test_list_of_dicts_missing_is_omitted(start_av, ratings_df, expected):
    rows = [{k: v for k, v in r.items() if _normal(v) is not None} for r in ratings_df.to_dict("records")]
    out = start_av.score(rows)
    assert isinstance(out, list) and [r["id"] for r in out] == ratings_df["id"].tolist()
    _check(start_av, expected, lambda s: [r[s] for r in out])


def test_na_is_not_omitted_and_never_zero(start_av):
    items = start_av.items
    base = {f"{i}.strength": 1.0 for i in items}
    with_na = dict(base, **{"medication_adherence.strength": "na"})
    omitted = {k: v for k, v in base.items() if k != "medication_adherence.strength"}
    out = start_av.score([base, with_na, omitted])
    totals = [r["strength_total"] for r in out]
    n = [r["strength_n"] for r in out]
    assert totals[1] == totals[0] - 1 and n[1] == n[0] - 1  # na: known, not applicable, not summed
    assert n[2] == n[0] - 1  # omitted: unknown, never a zero rating


def test_float64_columns_are_not_copied(start_av):
    n = 5000
    rng = np.random.default_rng(1)
    values = {c: rng.integers(0, 3, n).astype(np.float64) for c in start_av.columns if c.endswith(".strength")}
    values["coping.strength"][::7] = np.nan  # omitted cells: still read in place
    df = pd.DataFrame(values)
    seen = start_av.input_addresses(df)
    for c in values:
        assert seen[c] == df[c].to_numpy().__array_interface__["data"][0], c
    # A dict of NumPy arrays: the caller's own buffers.
    seen = start_av.input_addresses(values)
    for c, arr in values.items():
        assert seen[c] == arr.__array_interface__["data"][0], c
    # Arrow: a single-chunk float64 array without nulls is read where Arrow put it.
    table = pa.table({c: pa.array(v) for c, v in values.items() if not np.isnan(v).any()})
    seen = start_av.input_addresses(table)
    for c in table.column_names:
        assert seen[c] == table.column(c).chunk(0).buffers()[1].address, c
    # polars Float64 without nulls: its buffer.
    frame = pl.DataFrame({c: v for c, v in values.items() if not np.isnan(v).any()})
    seen = start_av.input_addresses(frame)
    for c in frame.columns:
        assert seen[c] == frame[c].to_numpy().__array_interface__["data"][0], c
    # and the scores are those of the same cells as text
    text = df.astype(object).where(df.notna(), None).map(lambda v: None if v is None else str(int(v)))
    a, b = start_av.score(df), start_av.score(text)
    assert [_normal(v) for v in a["strength_total"]] == [_normal(v) for v in b["strength_total"]]


def test_integers_and_booleans_are_converted(start_av):
    df = pd.DataFrame({"coping.strength": np.array([2, 1], dtype=np.int64), "coping.key": [True, False]})
    out = start_av.score(df)
    assert len(out) == 2


def test_as_of_and_date_column_are_accepted(start_av, ratings_df):
    df = ratings_df.head(3).copy()
    df["assessed"] = ["2025-01-02", None, "2025-03-04"]
    a = start_av.score(df, date_column="assessed", as_of="2025-06-01")
    b = start_av.score(df, as_of=np.datetime64("2025-06-01"))
    assert list(a["strength_total"]) == list(b["strength_total"]) and "assessed" in a.columns
    df["assessed"] = ["2025-01-02", "not a date", None]
    with pytest.raises(kelias.RowError) as raised:
        start_av.score(df, date_column="assessed")
    assert [(p.row, p.column) for p in raised.value.problems] == [(1, "assessed")]


def test_flat_case_frames_of_every_kind_decide_alike(rules, repo):
    import json

    lines = (repo / "examples" / "cases" / "batch.jsonl").read_text().splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    cases = [c for c in cases if c["case"] != "LT-2025-0207"]
    want = rules.decide(cases)
    frame = kelias.cases_frame(cases)
    pd.testing.assert_frame_equal(rules.decide(frame), want)
    pd.testing.assert_frame_equal(rules.decide(frame.to_dict("records")), want)
    assert list(rules.decide(cases[0])["case"].unique()) == [cases[0]["case"]]
