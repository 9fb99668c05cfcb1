"""Scoring and deciding Dask DataFrames, one partition at a time on the workers.

Instruments and rule sets pickle by their definition text and hash, so they travel to
worker processes and are checked there (a changed definition is refused)::

    import dask.dataframe as dd, kelias, kelias.dask
    start_av = kelias.load_instrument("start_av")
    ddf = dd.read_csv("ratings-*.csv", keep_default_na=False, na_values=[""], dtype=str)
    scores = kelias.dask.score(ddf, start_av).compute()
    decisions = kelias.dask.decide(cases_ddf, kelias.load_rules("lt_release_pathway")).compute()

Both return lazy Dask DataFrames with the right ``meta``; partitions keep their index.
"""
from __future__ import annotations

from typing import Any, Optional

import numpy as np
import pandas as pd

from ._definitions import DateLike, Instrument, RuleSet


def score_meta(ddf: Any, instrument: Instrument) -> pd.DataFrame:
    """The empty frame ``instrument.score(partition)`` returns: the pass-through columns
    of ``ddf`` and one column per score, with their dtypes."""
    fields = set(instrument.columns)
    meta = ddf._meta if hasattr(ddf, "_meta") else ddf
    base = meta[[c for c in meta.columns if str(c) not in fields]]
    types = {s.id: s.type for s in instrument.score_info if not s.hidden}
    dtype = {"number": "float64", "bool": "boolean", "category": "string", "date": "datetime64[s]"}
    scores = pd.DataFrame({k: pd.Series(dtype=dtype[t]) for k, t in types.items()}, index=base.index)
    return pd.concat([base, scores], axis=1)


def _score_partition(part: pd.DataFrame, instrument: Instrument, kwargs: dict) -> pd.DataFrame:
    out = instrument.score(part, errors="raise", **kwargs)
    out.attrs = {}
    return out


def score(ddf: Any, instrument: Instrument, *, as_of: DateLike = None, threads: Optional[int] = 1, checks: bool = True) -> Any:
    """``instrument.score`` on every partition (``map_partitions`` with the right meta).
    Bad rows raise on the worker, as ``errors="raise"``. ``threads`` per partition
    defaults to 1: Dask runs partitions in parallel already."""
    kwargs = {"as_of": as_of, "threads": threads, "checks": checks}
    return ddf.map_partitions(_score_partition, instrument, kwargs, meta=score_meta(ddf, instrument))


def decide_meta(brief: bool = False) -> pd.DataFrame:
    """The empty tidy frame ``RuleSet.decide`` returns (``brief``: the first three columns)."""
    if brief:
        return decide_meta().iloc[:, :3]
    return pd.DataFrame(
        {
            "case": pd.Series(dtype=object),
            "programme": pd.Series(dtype=object),
            "decision": pd.Series(dtype=object),
            "earliest_date": pd.Series(dtype="datetime64[s]"),
            "missing": pd.Series(dtype=object),
            "reasons": pd.Series(dtype=object),
        }
    )


def _decide_partition(part: pd.DataFrame, rules: RuleSet, kwargs: dict) -> pd.DataFrame:
    out = rules.decide(part, errors="raise", **kwargs)
    out.attrs = {}
    return out


def decide(ddf: Any, rules: RuleSet, *, as_of: DateLike = None, earliest_dates: bool = True, threads: Optional[int] = 1,
           lang: str = "en", brief: bool = False) -> Any:
    """``rules.decide`` on every partition of a DataFrame of flat cases (columns ``case``,
    ``as_of``, ``facts.<name>``, ``assessments.<instrument>.<part>...``; see
    :func:`kelias.case_from_row`). Each partition's result has a fresh RangeIndex.

    List facts are Python lists in object columns; build such frames with
    ``dask.config.set({"dataframe.convert-string": False})`` so Dask keeps them lists."""
    kwargs = {"as_of": as_of, "earliest_dates": earliest_dates, "threads": threads, "lang": lang, "brief": brief}
    return ddf.map_partitions(_decide_partition, rules, kwargs, meta=decide_meta(brief))


__all__ = ["score", "decide", "score_meta", "decide_meta"]
_ = np  # numpy is imported for users of the recipes above
