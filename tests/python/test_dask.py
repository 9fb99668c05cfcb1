"""kelias.dask on a LocalCluster with two worker processes gives the single-process result."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

import kelias
import kelias.dask


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def test_score_on_two_worker_processes(client, start_av, ratings_df):
    df = pd.concat([ratings_df] * 20, ignore_index=True)
    df = pd.concat([df, pd.DataFrame({"unit": np.where(df.index % 2 == 0, "north", "south")})], axis=1)
    ddf = dd.from_pandas(df, npartitions=6)
    got = kelias.dask.score(ddf, start_av).compute()
    want = start_av.score(ddf.compute())  # the same frame, as Dask types it, in one process
    want.attrs = {}
    pd.testing.assert_frame_equal(got.sort_index(), want, check_dtype=True)
    assert len(client.scheduler_info()["workers"]) == 2


def test_decide_on_two_worker_processes(client, rules, repo):
    import json

    lines = (repo / "examples" / "cases" / "batch.jsonl").read_text().splitlines()
    cases = [json.loads(line) for line in lines if line.strip()]
    cases = [c for c in cases if c["case"] != "LT-2025-0207"]  # the one malformed on purpose
    frame = kelias.cases_frame(cases)
    import dask

    # List facts (penalties) are lists in object columns: keep Dask from making them text.
    with dask.config.set({"dataframe.convert-string": False}):
        ddf = dd.from_pandas(frame, npartitions=3)
    got = kelias.dask.decide(ddf, rules).compute().reset_index(drop=True)
    assert got["case"].nunique() == len(cases)
    want = rules.decide(ddf.compute())
    want.attrs = {}
    pd.testing.assert_frame_equal(got, want)


def test_meta_matches_a_partition(start_av, ratings_df):
    meta = kelias.dask.score_meta(ratings_df.head(0), start_av)
    out = start_av.score(ratings_df)
    assert list(meta.columns) == list(out.columns)
    assert list(meta.dtypes.astype(str)) == list(out.dtypes.astype(str))
