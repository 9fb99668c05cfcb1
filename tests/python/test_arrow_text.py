"""Text and categorical columns reach the engine without a Python object per cell: Arrow
text (pandas' Arrow-backed strings, pyarrow string / large_string / string_view, polars
String) is parsed in C++ from its buffers, dictionary arrays and pandas / polars
categoricals entry by entry. Every result, reject and error message must be the one the
cell-by-cell path (NumPy object columns) gives for the same cells."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import kelias

pa = pytest.importorskip("pyarrow")

# Fields whose ratings may be "na" (text columns), and outcome estimates.
NA_FIELDS = ["parenting.strength", "parenting.vulnerability", "medication_adherence.strength"]
ESTIMATES = ["violence.estimate", "suicide.estimate", "self_injury.estimate"]
RATING_CELLS = ["0", "1", "2", "na", "", None]
ESTIMATE_CELLS = ["low", "moderate", "high", "", None]
BAD_RATINGS = {"3", "N/A", "two", " 1", "1.5", "-1"}
BAD_ESTIMATES = {"huge", "Low", "moderate ", "a rather long text that is no code"}


def _cells(rows: int, seed: int, bad: bool = False) -> dict:
    """Columns of Python cells (str or None), with a few bad cells when `bad`."""
    rng = np.random.default_rng(seed)
    columns = {"id": [f"P{i}" for i in range(rows)], "coping.strength": rng.integers(0, 3, rows).astype(np.float64)}
    for name in NA_FIELDS:
        columns[name] = [RATING_CELLS[k] for k in rng.integers(0, len(RATING_CELLS), rows)]
    for name in ESTIMATES:
        columns[name] = [ESTIMATE_CELLS[k] for k in rng.integers(0, len(ESTIMATE_CELLS), rows)]
    if bad:
        for name, choices in ((NA_FIELDS[0], sorted(BAD_RATINGS)), (ESTIMATES[1], sorted(BAD_ESTIMATES))):
            for row in rng.choice(rows, size=7, replace=False):
                columns[name][int(row)] = choices[int(row) % len(choices)]
    return columns


def _object_frame(cells: dict) -> pd.DataFrame:
    """The reference input: NumPy object columns, parsed cell by cell from Python objects."""
    df = pd.DataFrame({k: pd.Series(v, dtype=object) if isinstance(v, list) else v for k, v in cells.items()})
    for name in set(NA_FIELDS + ESTIMATES) & set(df.columns):
        assert df[name].dtype == object
    return df


def _values(out) -> dict:
    """Every score column of a result (any table kind) as Python floats, None for unknown."""
    if not isinstance(out, pd.DataFrame):
        out = out.to_pandas()
    scores = [c for c in out.columns if c not in {"id", "coping.strength"}]
    return {c: [None if pd.isna(v) else v if isinstance(v, str) else float(v) for v in out[c].tolist()] for c in scores}


def _rejects(rejects) -> list:
    if not isinstance(rejects, pd.DataFrame):
        rejects = rejects.to_pandas()
    return [tuple(r) for r in rejects[["row", "id", "column", "reason"]].itertuples(index=False, name=None)]


def _chunked(values: list, arrow_type, cuts=(0, 1, 0.3, 0.7)) -> "pa.ChunkedArray":
    """Several chunks (an empty one too), each a slice of a larger array (offset != 0)."""
    n = len(values)
    bounds = sorted({0, n, *(int(c * n) if isinstance(c, float) else c for c in cuts)})
    chunks = []
    for lo, hi in zip(bounds, bounds[1:] + [n]):
        padded = ["x"] * 3 + values[lo:hi] + ["y"]
        chunks.append(pa.array(padded, type=arrow_type).slice(3, hi - lo))
    return pa.chunked_array(chunks, type=arrow_type)


def _dictionary_chunked(values: list) -> "pa.ChunkedArray":
    """Two dictionary chunks with different dictionaries: nulls as null indices in the
    first, as a null dictionary entry in the second."""
    half = len(values) // 2
    vocabulary = sorted({v for v in values if v is not None}, reverse=True)
    where = {v: i for i, v in enumerate(vocabulary)}
    first = pa.DictionaryArray.from_arrays(
        pa.array([where.get(v) if v is not None else None for v in values[:half]], type=pa.int16()),
        pa.array(vocabulary, type=pa.string()),
    )
    second_vocabulary = [None] + vocabulary[::-1]
    where = {v: i for i, v in enumerate(second_vocabulary)}
    second = pa.DictionaryArray.from_arrays(
        pa.array([where[v] for v in values[half:]], type=pa.int16()), pa.array(second_vocabulary, type=pa.string())
    )
    return pa.chunked_array([first, second])


@pytest.fixture(scope="module")
def cells() -> dict:
    return _cells(5000, 11)


@pytest.fixture(scope="module")
def reference(start_av, cells):
    df = _object_frame(cells)
    assert set(start_av.input_kinds(df).values()) == {"number", "cells"}
    out, rejects = start_av.score(df, errors="collect")
    return _values(out), _rejects(rejects)


def _pandas_variants(cells: dict) -> dict:
    text = NA_FIELDS + ESTIMATES
    variants = {
        "string[pyarrow]": lambda v: pd.Series(v, dtype="string[pyarrow]"),
        "ArrowDtype(large_string)": lambda v: pd.Series(pd.arrays.ArrowExtensionArray(pa.array(v, type=pa.large_string()))),
        "category": lambda v: pd.Series(v, dtype="category"),
    }
    try:
        pd.StringDtype("pyarrow", na_value=np.nan)  # pandas >= 2.3: the `str` dtype of pandas 3
        variants["str (Arrow, NaN)"] = lambda v: pd.Series(v, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
    except TypeError:
        pass
    return {
        name: pd.DataFrame({k: make(v) if k in text else v for k, v in cells.items()}) for name, make in variants.items()
    }


def test_pandas_arrow_strings_and_categories_give_identical_results(start_av, cells, reference):
    for name, df in _pandas_variants(cells).items():
        kinds = start_av.input_kinds(df)
        want = "dictionary" if name == "category" else "arrow"
        assert {kinds[c] for c in NA_FIELDS + ESTIMATES} == {want}, name
        assert kinds["coping.strength"] == "number"
        out, rejects = start_av.score(df, errors="collect")
        assert _values(out) == reference[0], name
        assert _rejects(rejects) == reference[1], name
        assert out.index.equals(df.index)


def test_pandas_default_str_dtype_takes_the_arrow_path(start_av, cells, reference):
    df = pd.DataFrame(cells)  # pandas 3: Arrow-backed `str` when pyarrow is there
    if not isinstance(df[ESTIMATES[0]].dtype, pd.StringDtype) or df[ESTIMATES[0]].dtype.storage != "pyarrow":
        pytest.skip("this pandas does not store strings in Arrow by default")
    assert start_av.input_kinds(df)[ESTIMATES[0]] == "arrow"
    out, rejects = start_av.score(df, errors="collect")
    assert (_values(out), _rejects(rejects)) == reference


@pytest.mark.parametrize("arrow_type", ["string", "large_string", "string_view", "dictionary"])
def test_chunked_arrow_tables_give_identical_results(start_av, cells, reference, arrow_type):
    if arrow_type == "string_view" and not hasattr(pa, "string_view"):
        pytest.skip("this pyarrow has no string_view")
    columns = {}
    for k, v in cells.items():
        if k in NA_FIELDS + ESTIMATES:
            columns[k] = _dictionary_chunked(v) if arrow_type == "dictionary" else _chunked(v, getattr(pa, arrow_type)())
            assert columns[k].num_chunks >= 2
        else:
            columns[k] = pa.chunked_array([pa.array(v)])
    table = pa.table(columns)
    kinds = start_av.input_kinds(table)
    assert kinds[ESTIMATES[0]] == ("dictionary" if arrow_type == "dictionary" else "arrow")
    for threads in (1, 0):
        out, rejects = start_av.score(table, errors="collect", threads=threads)
        assert isinstance(out, pa.Table)
        assert _values(out) == reference[0]
        assert _rejects(rejects) == reference[1]


def test_polars_strings_and_categoricals_give_identical_results(start_av, cells, reference):
    pl = pytest.importorskip("polars")
    text = NA_FIELDS + ESTIMATES
    for dtype, kind in ((pl.String, "arrow"), (pl.Categorical, "dictionary")):
        df = pl.DataFrame({k: pl.Series(k, v, dtype=dtype if k in text else None) for k, v in cells.items()})
        assert {start_av.input_kinds(df)[c] for c in text} == {kind}
        out, rejects = start_av.score(df, errors="collect")
        assert isinstance(out, pl.DataFrame)
        assert _values(out) == reference[0], dtype
        assert _rejects(rejects) == reference[1], dtype
    # Several chunks (vstack without rechunk).
    half = len(cells["id"]) // 2
    parts = [pl.DataFrame({k: pl.Series(k, list(v)[a:b]) for k, v in cells.items()}) for a, b in ((0, half), (half, None))]
    stacked = parts[0].vstack(parts[1])
    assert stacked.n_chunks() >= 2
    out, rejects = start_av.score(stacked, errors="collect")
    assert (_values(out), _rejects(rejects)) == reference


def test_dict_of_arrow_and_polars_arrays(start_av, cells, reference):
    pl = pytest.importorskip("polars")
    text = NA_FIELDS + ESTIMATES
    data = {k: (pa.array(v) if k in NA_FIELDS else pl.Series(k, v)) if k in text else np.asarray(v) for k, v in cells.items()}
    kinds = start_av.input_kinds(data)
    assert {kinds[c] for c in text} == {"arrow"}
    out, rejects = start_av.score(data, errors="collect")
    assert _values(pd.DataFrame(out)) == reference[0]
    assert _rejects(rejects) == reference[1]


def _bad_variants(cells: dict) -> dict:
    text = NA_FIELDS + ESTIMATES
    pl = pytest.importorskip("polars")
    return {
        "string[pyarrow]": pd.DataFrame({k: pd.Series(v, dtype="string[pyarrow]") if k in text else v for k, v in cells.items()}),
        "category": pd.DataFrame({k: pd.Series(v, dtype="category") if k in text else v for k, v in cells.items()}),
        "arrow large_string": pa.table({k: _chunked(v, pa.large_string()) if k in text else v for k, v in cells.items()}),
        "arrow dictionary": pa.table({k: _dictionary_chunked(v) if k in text else v for k, v in cells.items()}),
        "polars": pl.DataFrame({k: pl.Series(k, v) for k, v in cells.items()}),
    }


def test_bad_cells_are_rejected_at_the_same_rows_with_the_same_reasons(start_av):
    cells = _cells(3000, 5, bad=True)
    bad_rows = sorted({i for i, v in enumerate(cells[NA_FIELDS[0]]) if v in BAD_RATINGS}
                      | {i for i, v in enumerate(cells[ESTIMATES[1]]) if v in BAD_ESTIMATES})
    reference = _object_frame(cells)
    want_out, want_rejects = start_av.score(reference, errors="collect")
    want = _rejects(want_rejects)
    rejected = {r[0] for r in want if r[2] in (NA_FIELDS[0], ESTIMATES[1])}
    assert rejected <= set(bad_rows) and len(rejected) >= 8
    with pytest.raises(kelias.RowError) as raised:
        start_av.score(reference)
    for name, data in _bad_variants(cells).items():
        out, rejects = start_av.score(data, errors="collect")
        assert _rejects(rejects) == want, name
        assert _values(out) == _values(want_out), name
        with pytest.raises(kelias.RowError) as error:
            start_av.score(data)
        assert str(error.value) == str(raised.value), name
        assert [(p.row, p.column, p.reason) for p in error.value.problems] == [
            (p.row, p.column, p.reason) for p in raised.value.problems
        ]


def test_empty_and_all_null_arrow_columns(start_av):
    for rows in (0, 4):
        cells = {"id": [f"P{i}" for i in range(rows)], ESTIMATES[0]: [None] * rows, NA_FIELDS[0]: [""] * rows}
        table = pa.table({k: pa.array(v, type=pa.string()) for k, v in cells.items()})
        want = start_av.score(_object_frame(cells), errors="collect")
        got = start_av.score(table, errors="collect")
        assert start_av.input_kinds(table)[ESTIMATES[0]] == "arrow"
        assert _values(got[0]) == _values(want[0])
        assert _rejects(got[1]) == _rejects(want[1])


def test_cell_checks_split_over_threads_report_the_same_rows(start_av):
    """Large inputs are checked in row ranges, one per thread: the rejects must be those
    of one thread, row for row, bad cells at range edges included."""
    rows = 140_000
    rng = np.random.default_rng(3)
    ratings = rng.integers(0, 3, rows).astype(np.float64)
    ratings[rng.random(rows) < 0.05] = np.nan
    bad = [0, 69_999, 70_000, 70_001, 139_999]
    ratings[bad] = [3, 1.5, -1, np.inf, 7]
    estimates = np.asarray(["low", "high", None, "moderate"] * (rows // 4), dtype=object)
    estimates[[5, 70_000, 139_998]] = "huge"
    df = pd.DataFrame({"coping.strength": ratings, "violence.estimate": pd.Series(estimates, dtype="string[pyarrow]")})
    one = start_av.score(df, errors="collect", threads=1)
    two = start_av.score(df, errors="collect", threads=2)
    assert _rejects(two[1]) == _rejects(one[1])
    assert sorted({r[0] for r in _rejects(one[1])}) == sorted(set(bad) | {5, 139_998})
    assert _values(two[0]) == _values(one[0])
