"""kelias.stats against R (psych, pROC: tests/data/stats/make_references.R), scikit-learn's
roc_auc_score on random data with ties, and the CLI (the same numbers, digit for digit).
Runs against the installed package."""
import csv
import json
import math
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kelias.stats as ks

DATA = Path(__file__).resolve().parents[1] / "data" / "stats"


def _references():
    with open(DATA / "references.csv", newline="") as f:
        return {f"{r['dataset']}/{r['statistic']}/{r['key']}": float(r["value"]) for r in csv.DictReader(f)}


REF = _references()


def close(got, key, tol=1e-9):
    expected = REF[key]
    assert abs(got - expected) <= tol * max(1.0, abs(expected)), f"{key}: got {got}, expected {expected}"


def frame(name):
    return pd.read_csv(DATA / name)


def test_alpha_matches_psych():
    items = frame("alpha_items.csv")
    r = ks.alpha(items)
    assert r.n == REF["alpha_items/alpha/n"]
    assert r.n_dropped == len(items) - r.n
    close(r.alpha, "alpha_items/alpha/raw_alpha")
    close(r.standardized_alpha, "alpha_items/alpha/std_alpha")
    close(r.ci.lower, "alpha_items/alpha/feldt_lower")
    close(r.ci.upper, "alpha_items/alpha/feldt_upper")
    close(r.sem, "alpha_items/alpha/sem")
    for _, row in r.items.iterrows():
        key = f"alpha_items/alpha/{row['item']}"
        close(row["corrected_item_total"], key + ".r_drop")
        close(row["alpha_if_deleted"], key + ".alpha_drop")
        close(row["item_total"], key + ".raw_r")


def test_icc_shrout_fleiss_published_and_psych():
    sf = frame("shrout_fleiss.csv")
    r = ks.icc(sf)
    published = {"ICC(1,1)": 0.17, "ICC(2,1)": 0.29, "ICC(3,1)": 0.71, "ICC(1,k)": 0.44, "ICC(2,k)": 0.62, "ICC(3,k)": 0.91}
    for form, value in published.items():
        assert abs(r[form]["icc"] - value) < 0.005
    for _, e in r.table.iterrows():
        key = f"shrout_fleiss/icc/{e['psych']}"
        close(e["icc"], key + ".icc")
        close(e["f"], key + ".f")
        close(e["p"], key + ".p")
        close(e["lower"], key + ".lower")
        close(e["upper"], key + ".upper")


def test_icc_missing_ratings_listwise():
    r = ks.icc(frame("icc_ratings.csv"), ["r1", "r2", "r3"])
    assert (r.n, r.n_dropped) == (37, 3)
    close(r["ICC2"]["icc"], "icc_ratings/icc/ICC2.icc")
    close(r["ICC2k"]["lower"], "icc_ratings/icc/ICC2k.lower")


def test_kappa_matches_psych():
    k = frame("kappa_ratings.csv")
    r = ks.cohen_kappa(k["rater1"], k["rater2"])
    assert r.categories == [0.0, 1.0, 2.0, 3.0]
    for est in (r.unweighted, r.linear, r.quadratic):
        key = f"kappa_ratings/kappa/{est.weights}"
        close(est.kappa, key + ".kappa")
        close(est.se**2, key + ".var_fce")
    p = ks.cohen_kappa(k["rater1"], k["rater2"], variance="psych")
    for est in (p.unweighted, p.linear, p.quadratic):
        key = f"kappa_ratings/kappa/{est.weights}"
        close(est.se**2, key + ".var")
        close(est.ci.lower, key + ".lower")
        close(est.ci.upper, key + ".upper")


def test_auc_and_delong_match_proc():
    d = frame("roc_scores.csv")
    for name in ("score1", "score2"):
        r = ks.roc_auc(d[name], d["outcome"])
        close(r.auc, f"roc_scores/auc/{name}.auc")
        close(r.se**2, f"roc_scores/auc/{name}.var")
        close(r.ci.lower, f"roc_scores/auc/{name}.lower")
        close(r.ci.upper, f"roc_scores/auc/{name}.upper")
    t = ks.delong_test(d["score1"], d["score2"], d["outcome"])
    close(t.z, "roc_scores/delong_test/z")
    close(t.p, "roc_scores/delong_test/p")


def test_auc_matches_scikit_learn_on_random_data_with_ties():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(11)
    for n, levels in ((50, 3), (1000, 7), (5000, 40)):
        y = rng.integers(0, 2, n)
        score = rng.integers(0, levels, n) + y * rng.integers(0, 2, n)
        assert ks.roc_auc(score, y).auc == pytest.approx(roc_auc_score(y, score), rel=1e-12)
        continuous = rng.normal(size=n) + 0.5 * y
        assert ks.roc_auc(continuous, y).auc == pytest.approx(roc_auc_score(y, continuous), rel=1e-12)


def test_roc_curve_matches_scikit_learn_points():
    from sklearn.metrics import roc_curve

    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 300)
    score = rng.integers(0, 10, 300) + y
    curve = ks.roc_curve(score, y)
    fpr, tpr, _ = roc_curve(y, score, drop_intermediate=False)
    assert np.allclose(curve["fpr"].to_numpy(), fpr)
    assert np.allclose(curve["tpr"].to_numpy(), tpr)


def test_calibration_wilson_matches_prop_test():
    d = frame("roc_scores.csv")
    r = ks.calibration(d["band"], d["outcome"], d["expected"], order=["low", "moderate", "elevated", "high"])
    table = r.table.set_index("category")
    for band in ("low", "moderate", "elevated", "high"):
        assert table.loc[band, "n"] == REF[f"roc_scores/wilson/{band}.n"]
        close(table.loc[band, "lower"], f"roc_scores/wilson/{band}.lower", 1e-12)
        close(table.loc[band, "upper"], f"roc_scores/wilson/{band}.upper", 1e-12)
    assert r.hosmer_lemeshow[1] == 4


def test_group_audit_per_site_auc_matches_proc_and_polars_input():
    d = frame("roc_scores.csv")
    audit = ks.group_audit(d["site"], d["score1"], d["outcome"], cutoff=10, expected=d["expected"])
    t = audit.table.set_index("group")
    for site in ("Vilnius", "Kaunas", "Alytus"):
        close(t.loc[site, "auc"], f"roc_scores/auc/site.{site}.auc")
        close(t.loc[site, "auc_lower"], f"roc_scores/auc/site.{site}.lower")
    assert list(t.index) == ["Alytus", "Kaunas", "Vilnius", "all"]
    pl = pytest.importorskip("polars")
    p = pl.read_csv(DATA / "roc_scores.csv")
    again = ks.group_audit(p["site"], p["score1"], p["outcome"], cutoff=10, expected=p["expected"])
    pd.testing.assert_frame_equal(again.table, audit.table)


def test_edge_cases_raise_clear_errors():
    with pytest.raises(ks.StatisticError, match="one class only"):
        ks.roc_auc([1, 2, 3], [0, 0, 0])
    with pytest.raises(ks.StatisticError, match="item 2 is constant") as e:
        ks.alpha(pd.DataFrame({"a": [1, 2, 3], "b": [1, 1, 1]}))
    assert e.value.diagnostics[0].code == "E910"
    with pytest.raises(ks.StatisticError, match="at least 2 raters"):
        ks.icc(pd.DataFrame({"a": [1, 2, 3]}))
    with pytest.raises(ks.StatisticError, match="neither 0 nor 1"):
        ks.base_rate([0, 1, 2])
    # Missing values: None, NaN, pandas NA are left out and counted.
    r = ks.roc_auc(pd.Series([1, 2, None, 4], dtype="Int64"), [0, 1, 1, None])
    assert (r.n, r.n_dropped) == (2, 2)


def _cli(exe, *args):
    out = subprocess.run([exe, "stats", *args, "--format", "json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def test_cli_gives_the_same_numbers(cli):
    d = frame("roc_scores.csv")
    out = _cli(cli, "auc", str(DATA / "roc_scores.csv"), "--score", "score1", "--outcome", "outcome", "--score2", "score2")
    t = ks.delong_test(d["score1"], d["score2"], d["outcome"])
    assert out["z"] == t.z and out["p"] == t.p and out["first"]["auc"] == t.first.auc
    out = _cli(cli, "icc", str(DATA / "shrout_fleiss.csv"), "--raters", "j1,j2,j3,j4")
    r = ks.icc(frame("shrout_fleiss.csv"))
    assert [e["icc"] for e in out["estimates"]] == list(r.table["icc"])
    columns = ks.read_csv_columns(DATA / "kappa_ratings.csv", numeric=["rater1", "rater2"])
    out = _cli(cli, "kappa", str(DATA / "kappa_ratings.csv"), "--raters", "rater1,rater2")
    k = ks.cohen_kappa(columns["rater1"], columns["rater2"])
    assert out["estimates"][2]["kappa"] == k.quadratic.kappa


def test_docstring_examples_run():
    import doctest

    result = doctest.testmod(ks, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 2 and result.failed == 0
