"""Instruments and rule sets pickle by text and hash, and one instrument is shared by
many threads."""
from __future__ import annotations

import pickle
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import kelias


def test_instrument_pickles_by_text_and_hash(start_av, ratings_df):
    again = pickle.loads(pickle.dumps(start_av))
    assert (again.key, again.hash, again.text) == (start_av.key, start_av.hash, start_av.text)
    pd.testing.assert_frame_equal(again.score(ratings_df), start_av.score(ratings_df))


def test_rules_pickle(rules, repo):
    again = pickle.loads(pickle.dumps(rules))
    assert again.hash == rules.hash
    cases = repo / "examples" / "cases" / "batch.jsonl"
    a, _ = rules.decide(cases, errors="collect")
    b, _ = again.decide(cases, errors="collect")
    pd.testing.assert_frame_equal(a, b)


def test_a_changed_definition_is_refused(start_av):
    reducer, (text, file, digest) = start_av.__reduce__()
    with pytest.raises(kelias.DefinitionError) as raised:
        reducer(text.replace("START:AV", "START-AV", 1), file, digest)
    assert raised.value.diagnostics[0].code == "E505"
    assert reducer(text, file, digest).hash == digest


def test_one_instrument_shared_by_threads(start_av):
    rng = np.random.default_rng(3)
    n = 20000  # several blocks per call
    frames = [
        pd.DataFrame({c: rng.integers(0, 3, n).astype(np.float64) for c in start_av.columns if c.endswith("strength")})
        for _ in range(4)
    ]
    alone = [start_av.score(f, threads=1) for f in frames]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(lambda f: start_av.score(f, threads=2), frames * 2))
    for got, want in zip(together, alone * 2):
        pd.testing.assert_frame_equal(got, want)


def test_rules_shared_by_threads(rules, repo):
    cases = repo / "examples" / "cases" / "batch.jsonl"
    want, _ = rules.decide(cases, errors="collect", threads=1)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: rules.decide(cases, errors="collect")[0], range(6)))
    for got in results:
        pd.testing.assert_frame_equal(got, want)
