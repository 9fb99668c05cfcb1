#!/usr/bin/env python3
"""A whole local validation of START:AV on SYNTHETIC data, with the kelias package.

What a research unit does before relying on an instrument in its own population, end to
end: score every assessment, check inter-rater reliability on a double-rated subsample,
predictive validity (AUC with DeLong intervals), calibration of the final risk estimates,
and a fairness audit across sex, age band and site. Figures are written as PNG and a short
self-contained HTML summary (figures embedded) to ``--out`` (default: a new temporary
directory).

Every number here comes from generated data: a population of adolescents with a latent
risk, START:AV ratings made from it by two simulated raters, and an outcome (a violent
incident within six months) drawn from the same latent risk. It shows the workflow; it
says nothing about START:AV or any real population.

    pip install '.[plot]'
    python examples/python/validation_study.py --out /tmp/validation
    python examples/python/validation_study.py --n 5000 --seed 7 --out build/validation

The notebook examples/python/validation_study.ipynb runs the same steps one by one.
"""
from __future__ import annotations

import argparse
import base64
import datetime as dt
import html
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

import kelias
import kelias.plot  # figures are bare matplotlib Figures: no pyplot, no GUI backend needed
import kelias.stats

SITES = ["Vilnius", "Kaunas", "Klaipėda", "Šiauliai"]
AGE_BANDS = ["12-13", "14-15", "16-17"]
LEVELS = ["low", "moderate", "high"]
# Expected six-month rates of a violent incident per final estimate, as a reference study
# might publish them. Invented for this example, like everything else here.
EXPECTED_RATE = {"low": 0.08, "moderate": 0.25, "high": 0.50}
SYNTHETIC = "Synthetic data: generated people, ratings and outcomes; not a validation of START:AV."


# ---- 1. the population -------------------------------------------------------------------


@dataclass
class Study:
    """Everything the steps produce, in the order they produce it."""

    population: pd.DataFrame  # one row per adolescent: id, site, sex, age band, outcome
    ratings: pd.DataFrame  # rater A's START:AV ratings for everyone (columns <item>.<field>)
    second: pd.DataFrame  # rater B's ratings for the reliability subsample
    scores: pd.DataFrame | None = None
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict[str, Path] = field(default_factory=dict)


def _rate(latent: np.ndarray, rng: np.random.Generator, noise: float) -> np.ndarray:
    """A 0-2 rating from a latent value plus one rater's noise."""
    x = latent + rng.normal(0.0, noise, latent.shape)
    return np.digitize(x, [-0.45, 0.75]).astype(np.float64)


def generate(instrument, n: int = 2000, n_double: int = 150, seed: int = 20261130) -> Study:
    """A seeded synthetic population rated with START:AV.

    Each adolescent has a latent risk ``z`` (slightly higher on average at one site and in
    the oldest band). Each item has a true vulnerability that rises with ``z`` and a true
    strength that falls with it; a rater sees them with noise and rates 0-2. About 1% of
    ratings are omitted and the three items that allow it are sometimes not applicable.
    The outcome is a violent incident within six months, with log-odds -1.9 + 1.1 z. Rater
    B re-rates a random subsample of ``n_double`` with independent noise.
    """
    rng = np.random.default_rng(seed)
    site = rng.choice(SITES, n, p=[0.4, 0.3, 0.18, 0.12])
    sex = rng.choice(["male", "female"], n, p=[0.8, 0.2])
    age_band = rng.choice(AGE_BANDS, n, p=[0.15, 0.4, 0.45])
    z = rng.normal(0.0, 1.0, n) + 0.25 * (site == "Kaunas") + 0.15 * (age_band == "16-17") - 0.2 * (sex == "female")
    outcome = (rng.random(n) < 1.0 / (1.0 + np.exp(-(-1.9 + 1.1 * z)))).astype(np.int8)
    population = pd.DataFrame({"id": [f"S{i:05d}" for i in range(n)], "site": site, "sex": sex,
                               "age_band": age_band, "violent_incident_6m": outcome})

    items = [i for i in instrument.items if _dynamic(i)]
    not_applicable = {(i, f) for i in map(_id, instrument.items) for f in ("strength", "vulnerability")
                      if f"{i}.{f}" in _na_columns(instrument)}
    true_v = {_id(i): 0.7 * z + rng.normal(0.0, 0.9, n) for i in items}
    true_s = {_id(i): -0.5 * z + rng.normal(0.0, 1.0, n) for i in items}
    true_estimate = z + rng.normal(0.0, 0.5, n)
    na_rows = {_id(i): rng.random(n) < 0.05 for i in items}
    omit = {(k, f): rng.random(n) < 0.01 for k in map(_id, items) for f in ("strength", "vulnerability")}

    def rater(rows: np.ndarray, noise: float, r: np.random.Generator) -> pd.DataFrame:
        cols: dict[str, object] = {"id": population["id"].to_numpy()[rows]}
        for item in items:
            k = _id(item)
            s = _rate(true_s[k][rows], r, noise)
            v = _rate(true_v[k][rows], r, noise)
            key = (s == 2) & (r.random(len(rows)) < 0.35)
            critical = (v == 2) & (r.random(len(rows)) < 0.35)
            for name, values in (("strength", s), ("vulnerability", v)):
                values = values.copy()
                values[omit[(k, name)][rows]] = np.nan
                if (k, name) in not_applicable:
                    text = pd.Series(values).map(lambda x: None if np.isnan(x) else str(int(x))).astype(object)
                    text[na_rows[k][rows]] = "na"
                    cols[f"{k}.{name}"] = text.to_numpy()
                else:
                    cols[f"{k}.{name}"] = values
            cols[f"{k}.key"] = key
            cols[f"{k}.critical"] = critical
        estimate = np.digitize(true_estimate[rows] + r.normal(0.0, noise * 0.6, len(rows)), [-0.2, 0.9])
        for outcome_id in map(_id, instrument.outcomes):
            cols[f"{outcome_id}.estimate"] = np.array(LEVELS, dtype=object)[estimate]
        return pd.DataFrame(cols)

    ratings = rater(np.arange(n), 0.6, np.random.default_rng(seed + 1))
    double = np.sort(rng.choice(n, size=min(n_double, n), replace=False))
    second = rater(double, 0.6, np.random.default_rng(seed + 2))
    return Study(population=population, ratings=ratings, second=second)


def _id(thing) -> str:
    return thing if isinstance(thing, str) else str(getattr(thing, "id"))


def _dynamic(item) -> bool:
    """An item that counts in the totals: START:AV's 24 dynamic items, not item 25, the
    case-specific item (instruments/start_av.yaml: `in_totals: false`)."""
    return _id(item) != "case_specific"


def _na_columns(instrument) -> set[str]:
    """`<item>.<field>` columns that may be `na` (not applicable)."""
    return {f.column for f in instrument.fields if f.allows_na}


# ---- 2. scoring -----------------------------------------------------------------------------


def score(study: Study, instrument) -> pd.DataFrame:
    """The 15 START:AV scores of every assessment, computed by the C++ core."""
    study.scores = instrument.score(study.ratings)
    return study.scores


# ---- 3. reliability ----------------------------------------------------------------------


def reliability(study: Study, instrument) -> pd.DataFrame:
    """Cronbach's alpha of the vulnerability and strength items (rater A, everyone), the
    ICCs of the totals between raters A and B, and the weighted kappa of the violence
    estimate and of each item's vulnerability rating on the double-rated subsample."""
    rows = []
    dynamic = [_id(i) for i in instrument.items if _dynamic(i)]
    for name in ("vulnerability", "strength"):
        matrix = np.column_stack([_numeric(study.ratings[f"{k}.{name}"]) for k in dynamic])
        a = kelias.stats.alpha(matrix)
        rows.append({"statistic": f"Cronbach's alpha, {name} items", "n": a.n, "estimate": a.alpha,
                     "lower": a.ci.lower, "upper": a.ci.upper,
                     "note": f"Feldt interval; SEM of the total {a.sem:.2f}; {a.n_dropped} rows with na/omitted left out"})
    second_scores = instrument.score(study.second)
    first = study.scores.set_axis(study.ratings["id"]).loc[study.second["id"]]
    for total in ("vulnerability_total", "strength_total"):
        raters = np.column_stack([first[total].to_numpy(np.float64), second_scores[total].to_numpy(np.float64)])
        r = kelias.stats.icc(raters)
        for form in ("ICC(2,1)", "ICC(3,1)"):
            e = r[form]
            rows.append({"statistic": f"{form} {total}, raters A and B", "n": r.n, "estimate": e["icc"],
                         "lower": e["lower"], "upper": e["upper"],
                         "note": f"F({e['df1']:.0f}, {e['df2']:.0f}) = {e['f']:.1f}, p = {e['p']:.2g}"})
    code = {v: float(i) for i, v in enumerate(LEVELS)}
    a_est = study.ratings.set_index("id").loc[study.second["id"], "violence.estimate"].map(code).to_numpy(np.float64)
    b_est = study.second["violence.estimate"].map(code).to_numpy(np.float64)
    k = kelias.stats.cohen_kappa(a_est, b_est, categories=[0, 1, 2])
    e = k.quadratic
    rows.append({"statistic": "weighted kappa (quadratic), violence estimate", "n": k.n, "estimate": e.kappa,
                 "lower": e.ci.lower, "upper": e.ci.upper, "note": f"agreement {k.observed_agreement:.0%}"})
    item_kappas = []
    for item in dynamic:
        a_item = _numeric(study.ratings.set_index("id").loc[study.second["id"], f"{item}.vulnerability"])
        b_item = _numeric(study.second[f"{item}.vulnerability"])
        item_kappas.append(kelias.stats.cohen_kappa(a_item, b_item, categories=[0, 1, 2]).quadratic.kappa)
    rows.append({"statistic": "weighted kappa (quadratic), item vulnerability ratings, median of 24", "n": len(b_est),
                 "estimate": float(np.median(item_kappas)), "lower": float(np.min(item_kappas)),
                 "upper": float(np.max(item_kappas)), "note": "lower/upper: the lowest and highest item"})
    study.tables["reliability"] = pd.DataFrame(rows)
    return study.tables["reliability"]


def _numeric(column) -> np.ndarray:
    """Ratings as numbers: `na` and omitted are NaN (left out of the statistics)."""
    return pd.to_numeric(pd.Series(column), errors="coerce").to_numpy(np.float64)


# ---- 4. predictive validity -----------------------------------------------------------------


def predictors(study: Study) -> dict[str, np.ndarray]:
    """The scores whose AUC is studied, higher meaning more risk."""
    code = {v: float(i) for i, v in enumerate(LEVELS)}
    return {
        "vulnerability total": study.scores["vulnerability_total"].to_numpy(np.float64),
        "strength total (reversed)": -study.scores["strength_total"].to_numpy(np.float64),
        "violence estimate": study.ratings["violence.estimate"].map(code).to_numpy(np.float64),
    }


def validity(study: Study) -> pd.DataFrame:
    """AUC with DeLong intervals for each predictor, and the DeLong test of the
    vulnerability total against the final estimate."""
    y = study.population["violent_incident_6m"].to_numpy(np.float64)
    rows = []
    scores = predictors(study)
    for name, s in scores.items():
        r = kelias.stats.roc_auc(s, y)
        rows.append({"predictor": name, "n": r.n, "cases": r.positives, "AUC": r.auc, "lower": r.ci.lower,
                     "upper": r.ci.upper, "SE": r.se})
    test = kelias.stats.delong_test(scores["vulnerability total"], scores["violence estimate"], y)
    study.tables["validity"] = pd.DataFrame(rows)
    study.tables["delong"] = pd.DataFrame([{"comparison": "vulnerability total vs violence estimate",
                                            "difference": test.difference, "z": test.z, "p": test.p}])
    return study.tables["validity"]


# ---- 5. calibration ---------------------------------------------------------------------------


def calibration(study: Study) -> pd.DataFrame:
    """Observed rate of the outcome per violence estimate against the (invented) expected
    rates, with Wilson intervals and the Hosmer-Lemeshow test."""
    category = study.ratings["violence.estimate"].fillna("").astype(str).tolist()
    expected = np.array([EXPECTED_RATE.get(c, np.nan) for c in category])
    y = study.population["violent_incident_6m"].to_numpy(np.float64)
    r = kelias.stats.calibration(category, y, expected, order=LEVELS)
    table = r.table[["category", "n", "events", "observed", "lower", "upper", "expected", "ratio"]]
    study.tables["calibration"] = table.rename(columns={"category": "estimate", "ratio": "O/E"})
    if r.hosmer_lemeshow is not None:
        statistic, df, p = r.hosmer_lemeshow
        study.tables["hosmer_lemeshow"] = pd.DataFrame([{"Hosmer-Lemeshow chi-square": statistic, "df": df, "p": p}])
    return study.tables["calibration"]


# ---- 6. fairness ------------------------------------------------------------------------------


def fairness(study: Study, cutoff: float | None = None) -> pd.DataFrame:
    """Per sex, age band and site: n, base rate, AUC of the vulnerability total, false
    positive and false negative rates when a total >= ``cutoff`` is called high risk
    (default: the total that calls about a third of the population high risk)."""
    s = study.scores["vulnerability_total"].to_numpy(np.float64)
    y = study.population["violent_incident_6m"].to_numpy(np.float64)
    if cutoff is None:
        cutoff = float(np.nanquantile(s, 2 / 3))
    parts = []
    for by in ("sex", "age_band", "site"):
        audit = kelias.stats.group_audit(study.population[by].astype(str), s, y, cutoff=cutoff)
        groups = audit.table[audit.table["group"] != "all"]  # the last row is everyone
        parts.append(groups.assign(attribute=by))
    columns = {"attribute": "attribute", "group": "group", "n": "n", "base_rate": "base rate", "auc": "AUC",
               "auc_lower": "AUC lower", "auc_upper": "AUC upper", "fpr": "FPR", "fnr": "FNR",
               "positive_rate": "called high"}
    table = pd.concat(parts, ignore_index=True)[list(columns)].rename(columns=columns)
    table.attrs["cutoff"] = cutoff
    study.tables["fairness"] = table
    return table


# ---- 7. figures and the summary -------------------------------------------------------------


def figures(study: Study, instrument, out: Path) -> dict[str, Path]:
    """Writes the PNG figures; returns their paths by name."""
    out.mkdir(parents=True, exist_ok=True)
    y = study.population["violent_incident_6m"].to_numpy(np.float64)
    frame = pd.concat([study.population, study.scores[["vulnerability_total", "strength_total"]]], axis=1)
    # The profile of the assessment with the most critical vulnerabilities (one person, synthetic).
    pick = int(np.argmax(study.scores["critical_vulnerabilities"].to_numpy(np.float64)))
    made = {
        "roc": kelias.plot.roc(y, predictors(study), title="Violent incident within 6 months (synthetic)"),
        "calibration": kelias.plot.calibration(y, study.ratings["violence.estimate"], order=LEVELS,
                                               expected=EXPECTED_RATE, title="Violence estimate: observed vs expected",
                                               xlabel="final violence estimate (rater A)"),
        "profile": kelias.plot.profile(instrument, study.ratings.iloc[pick],
                                       title=f"START:AV profile of {study.ratings['id'].iloc[pick]} (synthetic)"),
        "totals_by_site": kelias.plot.totals_by_group(frame, "vulnerability_total", "site"),
        "totals_by_sex": kelias.plot.totals_by_group(frame, "vulnerability_total", "sex", kind="hist"),
    }
    for name, fig in made.items():
        path = out / f"{name}.png"
        fig.text(0.99, 0.005, "synthetic data", ha="right", fontsize="x-small", color="0.5")
        fig.savefig(path, dpi=120)
        study.figures[name] = path
    return study.figures


def _table_html(table: pd.DataFrame) -> str:
    formats = {c: (lambda v, c=c: f"{v:.2g}" if c == "p" else f"{v:.3f}")
               for c in table.columns if table[c].dtype.kind == "f"}
    return table.to_html(index=False, border=0, classes="t", na_rep="–", formatters=formats, escape=True)


def write_html(study: Study, instrument, out: Path) -> Path:
    """A short self-contained summary (figures embedded as data URIs)."""
    def img(name: str) -> str:
        data = base64.b64encode(study.figures[name].read_bytes()).decode("ascii")
        return f'<img alt="{html.escape(name)}" src="data:image/png;base64,{data}">'

    n = len(study.population)
    digest = str(instrument.hash).split(":")[-1][:12]
    v = study.tables["validity"].iloc[0]
    cutoff = study.tables["fairness"].attrs.get("cutoff")
    parts = [
        "<!doctype html><html lang=en><head><meta charset=utf-8>",
        "<title>START:AV local validation (synthetic)</title><style>",
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}",
        ".banner{background:#fff3cd;border:1px solid #e0c36c;padding:.6rem 1rem;border-radius:4px}",
        "table.t{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}",
        "table.t th,table.t td{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:right}",
        "table.t td:first-child,table.t th:first-child{text-align:left}",
        "img{max-width:100%;margin:.5rem 0}.grid{display:flex;flex-wrap:wrap;gap:1rem}.grid img{max-width:48%}",
        "</style></head><body>",
        "<h1>START:AV local validation</h1>",
        f'<p class=banner><strong>{html.escape(SYNTHETIC)}</strong> It demonstrates the workflow of '
        f"<code>examples/python/validation_study.py</code>.</p>",
        f"<p>{n:,} adolescents at {len(SITES)} sites, scored with {html.escape(instrument.id)} "
        f"{html.escape(str(instrument.version))} (definition {html.escape(digest)}) by kelias "
        f"{html.escape(getattr(kelias, '__version__', ''))} on {dt.date.today().isoformat()}; "
        f"{len(study.second)} re-rated by a second rater. Outcome: a violent incident within six months "
        f"(base rate {study.population['violent_incident_6m'].mean():.1%}). The vulnerability total predicts it "
        f"with AUC {v['AUC']:.3f} (95% DeLong interval {v['lower']:.3f}–{v['upper']:.3f}).</p>",
        "<h2>Reliability</h2>", _table_html(study.tables["reliability"]),
        "<h2>Predictive validity</h2>", _table_html(study.tables["validity"]), _table_html(study.tables["delong"]),
        img("roc"),
        "<h2>Calibration of the violence estimate</h2>",
        "<p>Expected rates per estimate are invented reference values "
        f"({', '.join(f'{k} {v:.0%}' for k, v in EXPECTED_RATE.items())}).</p>",
        _table_html(study.tables["calibration"]),
    ]
    if "hosmer_lemeshow" in study.tables:
        parts.append(_table_html(study.tables["hosmer_lemeshow"]))
    parts += [
        img("calibration"),
        f"<h2>Fairness across groups</h2><p>High risk: vulnerability total &ge; {cutoff:g}.</p>",
        _table_html(study.tables["fairness"]),
        '<div class=grid>', img("totals_by_site"), img("totals_by_sex"), "</div>",
        "<h2>One assessment</h2>", img("profile"),
        f"<p><small>{html.escape(SYNTHETIC)}</small></p></body></html>",
    ]
    path = out / "summary.html"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def run(out: Path, n: int = 2000, n_double: int = 150, seed: int = 20261130) -> Study:
    """Every step, in order; returns the study with its tables and figure paths."""
    instrument = kelias.load_instrument("start_av")
    study = generate(instrument, n=n, n_double=n_double, seed=seed)
    score(study, instrument)
    reliability(study, instrument)
    validity(study)
    calibration(study)
    fairness(study)
    figures(study, instrument, out)
    write_html(study, instrument, out)
    return study


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, help="output directory (default: a new temporary directory)")
    parser.add_argument("--n", type=int, default=2000, help="adolescents in the synthetic population")
    parser.add_argument("--double", type=int, default=150, help="of them re-rated by a second rater")
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="kelias-validation-"))
    study = run(out, n=args.n, n_double=args.double, seed=args.seed)
    pd.set_option("display.width", 160)
    print(SYNTHETIC)
    for name, table in study.tables.items():
        print(f"\n{name}\n{table.to_string(index=False, float_format=lambda v: f'{v:.3f}')}")
    print(f"\nwrote {len(study.figures)} figures and {out / 'summary.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
