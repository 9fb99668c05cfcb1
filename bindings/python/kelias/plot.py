"""Figures for validation studies: ROC curves, calibration, the START:AV profile of one
assessment and distributions of totals by group.

Install the optional extra (``pip install '.[plot]'``, i.e. matplotlib). Every function
returns a :class:`matplotlib.figure.Figure` built with the object-oriented API: nothing is
shown, no global pyplot state is touched, and the functions work under the ``Agg``
backend (scripts, CI, notebooks). Save with ``fig.savefig("roc.png", dpi=150)``.

What is drawn, and from where:

* :func:`roc` — the empirical ROC curve of each score (ties give diagonal steps). The
  legend gives the AUC with its **DeLong** confidence interval, computed in C++ by
  :func:`kelias.stats.roc_auc` (the same numbers as ``kelias stats auc``). The
  shaded **band** around a curve is a pointwise **bootstrap** percentile band of the true
  positive rate at fixed false positive rates ("vertical averaging"): cases are resampled
  with replacement within each outcome class (so every replicate has both classes),
  ``n_boot`` times with a fixed ``seed``; pass ``band=None`` to leave it out. DeLong gives
  an interval for the area, not for the curve, so the band is bootstrapped.
* :func:`calibration` — observed outcome rate per risk category (or per bin of a numeric
  score) with **Wilson** score intervals, against the expected rate where one is given.
* :func:`profile` — one assessment: strength (left) and vulnerability (right) per item,
  grouped by domain, key strengths and critical vulnerabilities marked, ``n/a`` and
  omitted ratings written out (never drawn as zero). Items, domains and fields come from
  the instrument object.
* :func:`totals_by_group` — distributions of a total per group (box plots with the group
  sizes, or overlaid histograms).

Example::

    import kelias, kelias.plot
    fig = kelias.plot.roc(outcome, {"vulnerability total": scores["vulnerability_total"]})
    fig.savefig("roc.png", dpi=150)
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

try:
    from matplotlib.figure import Figure
except ImportError as error:  # pragma: no cover - exercised only without the extra
    raise ImportError("kelias.plot needs matplotlib: pip install 'kelias[plot]'") from error

__all__ = ["roc", "roc_points", "calibration", "profile", "totals_by_group", "wilson_interval"]

# Colour-blind safe (Okabe-Ito).
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
STRENGTH_COLOUR = "#009E73"
VULNERABILITY_COLOUR = "#D55E00"


def _figure(figsize: tuple[float, float]) -> Figure:
    # A bare Figure (no pyplot): nothing is registered with a GUI backend, so figures are
    # garbage-collected like any object and Agg renders them on savefig.
    return Figure(figsize=figsize, layout="constrained")


def _as_float(values: Any, name: str) -> np.ndarray:
    out = np.asarray(values, dtype=np.float64)
    if out.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {out.shape}")
    return out


def _as_outcome(values: Any) -> np.ndarray:
    y = np.asarray(values)
    if y.dtype == bool:
        return y.astype(np.float64)
    y = y.astype(np.float64)
    known = ~np.isnan(y)
    if not np.isin(y[known], (0.0, 1.0)).all():
        raise ValueError("the outcome must be 0/1 or boolean (NaN for unknown)")
    return y


def roc_points(y_true: Any, score: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The empirical ROC curve: ``(fpr, tpr, thresholds)``, from (0, 0) to (1, 1).

    A case is called positive when ``score >= threshold``; higher scores mean higher risk.
    Rows where the outcome or the score is unknown (NaN) are left out.
    """
    y, s = _as_outcome(y_true), _as_float(score, "score")
    if len(y) != len(s):
        raise ValueError(f"outcome has {len(y)} rows, score {len(s)}")
    keep = ~np.isnan(y) & ~np.isnan(s)
    y, s = y[keep], s[keep]
    positives, negatives = y.sum(), len(y) - y.sum()
    if positives == 0 or negatives == 0:
        raise ValueError("ROC needs both outcomes (0 and 1) among the known rows")
    order = np.argsort(-s, kind="mergesort")
    s, y = s[order], y[order]
    last = np.r_[np.nonzero(np.diff(s))[0], len(s) - 1]  # the last row of each distinct score
    tp = np.cumsum(y)[last]
    fp = (last + 1) - tp
    fpr = np.r_[0.0, fp / negatives]
    tpr = np.r_[0.0, tp / positives]
    return fpr, tpr, np.r_[np.inf, s[last]]


def _auc_label(y: np.ndarray, s: np.ndarray, level: float) -> str:
    """'AUC 0.742 (0.704-0.780, DeLong 95%)', computed by the C++ statistics."""
    from kelias import stats

    result = stats.roc_auc(s, y, confidence=level)
    return f"AUC {result.auc:.3f} ({result.ci.lower:.3f}\u2013{result.ci.upper:.3f}, DeLong {level:.0%})"


def _bootstrap_band(y: np.ndarray, s: np.ndarray, grid: np.ndarray, n_boot: int, level: float,
                    seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    pos, neg = s[y == 1], s[y == 0]
    curves = np.empty((n_boot, len(grid)))
    for b in range(n_boot):
        p = pos[rng.integers(0, len(pos), len(pos))]
        n = neg[rng.integers(0, len(neg), len(neg))]
        yy = np.r_[np.ones(len(p)), np.zeros(len(n))]
        fpr, tpr, _ = roc_points(yy, np.r_[p, n])
        # The TPR reached at each FPR (the upper step of a vertical segment).
        curves[b] = np.interp(grid, fpr, tpr, left=0.0, right=1.0)
    alpha = (1.0 - level) / 2.0
    return np.quantile(curves, alpha, axis=0), np.quantile(curves, 1.0 - alpha, axis=0)


def roc(y_true: Any, scores: Any, *, title: str = "ROC curve", band: str | None = "bootstrap",
        level: float = 0.95, n_boot: int = 500, seed: int = 20261130,
        figsize: tuple[float, float] = (6.0, 6.0)) -> Figure:
    """ROC curves of one or more scores against a 0/1 outcome.

    ``scores`` is one array or a mapping ``{name: array}`` (several scores of the same
    cases, drawn on one set of axes). The legend shows each AUC with its DeLong interval at
    ``level`` (from :func:`kelias.stats.roc_auc`); ``band="bootstrap"`` shades a pointwise
    bootstrap percentile band (``n_boot`` stratified resamples, ``seed``), ``band=None``
    draws the curves alone. NaN outcomes or scores are left out, per score.
    """
    if band not in ("bootstrap", None):
        raise ValueError(f"band must be 'bootstrap' or None, got {band!r}")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be in (0, 1), got {level}")
    named = dict(scores) if isinstance(scores, Mapping) else {"score": scores}
    y_all = _as_outcome(y_true)
    fig = _figure(figsize)
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], color="0.6", linestyle=":", linewidth=1, label="chance")
    grid = np.linspace(0.0, 1.0, 201)
    for k, (name, values) in enumerate(named.items()):
        s = _as_float(values, str(name))
        keep = ~np.isnan(y_all) & ~np.isnan(s)
        y, s = y_all[keep], s[keep]
        colour = PALETTE[k % len(PALETTE)]
        fpr, tpr, _ = roc_points(y, s)
        ax.plot(fpr, tpr, color=colour, linewidth=2, label=f"{name}: {_auc_label(y, s, level)}")
        if band == "bootstrap":
            lo, hi = _bootstrap_band(y, s, grid, n_boot, level, seed + k)
            ax.fill_between(grid, lo, hi, color=colour, alpha=0.18, linewidth=0)
    ax.set(xlim=(0, 1), ylim=(0, 1.01), xlabel="false positive rate (1 \u2212 specificity)",
           ylabel="true positive rate (sensitivity)", title=title, aspect="equal")
    ax.grid(True, color="0.9")
    note = f"band: pointwise {level:.0%} bootstrap ({n_boot} resamples)" if band else None
    ax.legend(loc="lower right", fontsize="x-small", title=note, title_fontsize="x-small", framealpha=0.9)
    return fig


def wilson_interval(events: Any, n: Any, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion ``events / n`` (arrays); NaN where ``n`` is 0."""
    from statistics import NormalDist

    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    e, m = np.asarray(events, dtype=np.float64), np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = e / m
        centre = (p + z * z / (2 * m)) / (1 + z * z / m)
        half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / (1 + z * z / m)
    return centre - half, centre + half


def calibration(y_true: Any, category: Any, *, expected: Mapping[Any, float] | Sequence[float] | None = None,
                order: Sequence[Any] | None = None, bins: int | None = None, level: float = 0.95,
                title: str = "Calibration", xlabel: str | None = None,
                figsize: tuple[float, float] = (5.5, 4.5)) -> Figure:
    """Observed outcome rate per category, with Wilson intervals, against the expected rate.

    ``category`` is a risk category per case (e.g. the START:AV final estimate,
    ``low``/``moderate``/``high``; pass ``order`` for the axis order, default sorted) or,
    with ``bins=N``, a numeric score cut into N quantile bins. ``expected`` gives the
    expected rate per category (a mapping, or a sequence in ``order``); for numeric
    probabilities with ``bins``, the mean of the score in each bin is the expected rate
    and a diagonal is drawn. Rows with an unknown outcome or category are left out; the
    number of cases is written under each category.
    """
    y = _as_outcome(y_true)
    if bins is not None:
        s = _as_float(category, "category")
        keep = ~np.isnan(y) & ~np.isnan(s)
        y, s = y[keep], s[keep]
        edges = np.unique(np.quantile(s, np.linspace(0, 1, bins + 1)))
        which = np.clip(np.searchsorted(edges, s, side="right") - 1, 0, len(edges) - 2)
        labels = [f"{edges[i]:.3g}\u2013{edges[i + 1]:.3g}" for i in range(len(edges) - 1)]
        groups = [which == i for i in range(len(labels))]
        if expected is None and s.min() >= 0.0 and s.max() <= 1.0:
            expected = [float(s[g].mean()) if g.any() else math.nan for g in groups]
    else:
        c = np.asarray(category, dtype=object)
        known = np.array([v is not None and not (isinstance(v, float) and math.isnan(v)) for v in c], dtype=bool)
        keep = ~np.isnan(y) & known
        y, c = y[keep], c[keep]
        levels = list(order) if order is not None else sorted(set(c.tolist()), key=str)
        labels = [str(v) for v in levels]
        groups = [c == v for v in levels]
    n = np.array([g.sum() for g in groups], dtype=np.float64)
    events = np.array([y[g].sum() for g in groups], dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = events / n
    lo, hi = wilson_interval(events, n, level)
    fig = _figure(figsize)
    ax = fig.add_subplot()
    x = np.arange(len(labels))
    ax.errorbar(x, rate, yerr=[rate - lo, hi - rate], fmt="o", color=PALETTE[0], capsize=4, markersize=7,
                label=f"observed (Wilson {level:.0%})")
    if expected is not None:
        exp = [expected.get(v, math.nan) for v in (levels if bins is None else labels)] \
            if isinstance(expected, Mapping) else list(expected)
        if len(exp) != len(labels):
            raise ValueError(f"expected has {len(exp)} rates for {len(labels)} categories")
        ax.plot(x, exp, marker="D", linestyle="--", color=PALETTE[1], label="expected")
    ax.set_xticks(x, [f"{name}\nn={int(k):,}" for name, k in zip(labels, n)])
    ax.set_xlim(-0.5, len(labels) - 0.5)
    top = np.nanmax(np.r_[hi, 0.05, exp if expected is not None else []])
    ax.set(ylim=(0, min(1.0, top * 1.15 + 0.02)), ylabel="outcome rate", title=title)
    if xlabel:
        ax.set_xlabel(xlabel)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    ax.grid(True, axis="y", color="0.9")
    ax.legend(loc="upper left", fontsize="small")
    return fig


# ---- the profile of one assessment -------------------------------------------------------


def _ident(thing: Any) -> str:
    if isinstance(thing, str):
        return thing
    for name in ("id", "name"):
        if isinstance(thing, Mapping) and name in thing:
            return str(thing[name])
        if hasattr(thing, name):
            return str(getattr(thing, name))
    raise TypeError(f"cannot tell the id of {thing!r}")


def _attr(thing: Any, name: str, default: Any = None) -> Any:
    if isinstance(thing, Mapping):
        return thing.get(name, default)
    return getattr(thing, name, default)


def _label(thing: Any, lang: str) -> str:
    label = _attr(thing, "label")
    if isinstance(label, Mapping):
        label = label.get(lang) or label.get("en") or next(iter(label.values()), None)
    return str(label) if label else _ident(thing).replace("_", " ")


def _item_entries(instrument: Any, lang: str) -> list[tuple[str, str, str]]:
    """(id, label, domain) of every item, in definition order: from a kelias.Instrument's
    ``item_info``, or from ``items`` given as ids, mappings or objects with
    ``id``/``label``/``domain``."""
    from kelias import Instrument

    if isinstance(instrument, Instrument):
        return [(item.id, item.label(lang), item.domain) for item in instrument.item_info]
    items = list(_attr(instrument, "items") or [])
    if not items:
        raise ValueError("the instrument has no items")
    out = []
    for item in items:
        domain = None if isinstance(item, str) else _attr(item, "domain")
        out.append((_ident(item), _label(item, lang) if not isinstance(item, str) else item.replace("_", " "),
                    _ident(domain) if domain not in (None, "") else ""))
    return out


def _row_of(assessment: Any) -> Mapping[str, Any]:
    """A mapping column -> value from a dict, a pandas Series, or a one-row frame."""
    if isinstance(assessment, Mapping):
        return assessment
    if hasattr(assessment, "to_dict") and hasattr(assessment, "index") and not hasattr(assessment, "columns"):
        return assessment.to_dict()  # pandas Series
    if hasattr(assessment, "to_dicts"):  # polars DataFrame
        rows = assessment.to_dicts()
    elif hasattr(assessment, "to_dict"):  # pandas DataFrame
        rows = assessment.to_dict(orient="records")
    else:
        raise TypeError("profile() takes a dict, a pandas Series or a one-row DataFrame")
    if len(rows) != 1:
        raise ValueError(f"profile() draws one assessment; got {len(rows)} rows (select one)")
    return rows[0]


def _rating(value: Any) -> tuple[float | None, str | None]:
    """(number, None) for a rating, (None, 'n/a') for not applicable, (None, '?') omitted."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, "?"
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "na":
            return None, "n/a"
        if text == "":
            return None, "?"
        try:
            return float(text), None
        except ValueError:
            return None, "?"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None, "?"
    return (None, "?") if math.isnan(number) else (number, None)


def _flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "yes")
    try:
        return bool(value) and not (isinstance(value, float) and math.isnan(value))
    except (TypeError, ValueError):
        return False


def profile(instrument: Any, assessment: Any, *, title: str | None = None, lang: str = "en",
            strength: str = "strength", vulnerability: str = "vulnerability", key: str = "key",
            critical: str = "critical", max_rating: float | None = None,
            figsize: tuple[float, float] | None = None) -> Figure:
    """The profile of one assessment: per item, strength to the left and vulnerability to
    the right, items grouped by domain in the instrument's order.

    ``instrument`` is a :class:`kelias.Instrument` (its ``item_info`` gives ids, labels and
    domains; its ``columns`` tell which item has which field); ``assessment`` is one row
    of ratings with columns ``<item>.<field>`` (a dict, a pandas Series or a one-row
    pandas/polars frame). Key strengths are marked with a star (\u2605) beside the
    strength bar, critical vulnerabilities with a "!" beside the vulnerability bar; a not
    applicable rating is written ``n/a`` and an omitted one ``?`` (neither is drawn as 0).
    Items without a strength and a vulnerability field are not drawn.
    """
    row = _row_of(assessment)
    columns = [str(c) for c in (_attr(instrument, "columns") or [])]
    drawn = [(ident, label, domain) for ident, label, domain in _item_entries(instrument, lang)
             if not columns or {f"{ident}.{strength}", f"{ident}.{vulnerability}"} <= set(columns)]
    if not drawn:
        raise ValueError(f"no item of the instrument has both '{strength}' and '{vulnerability}' fields")
    ratings = {}
    for ident, _, _ in drawn:
        ratings[ident] = (_rating(row.get(f"{ident}.{strength}")), _rating(row.get(f"{ident}.{vulnerability}")),
                          _flag(row.get(f"{ident}.{key}")), _flag(row.get(f"{ident}.{critical}")))
    top = max_rating
    if top is None:
        known = [v for (s, _), (w, _), _, _ in ratings.values() for v in (s, w) if v is not None]
        top = max([2.0, *known])
    # Rows top to bottom, a gap and a heading between domains.
    y_of, headings, y = {}, [], 0.0
    start = previous = object()
    for ident, _, domain in drawn:
        if domain != previous:
            if previous is not start:
                y += 0.6
            headings.append((y, domain))
            y += 1.0
            previous = domain
        y_of[ident] = y
        y += 1.0
    height = figsize or (8.0, 1.2 + 0.28 * y)
    fig = _figure(height)
    ax = fig.add_subplot()
    for ident, label, _ in drawn:
        (s, s_text), (v, v_text), is_key, is_critical = ratings[ident]
        yy = y_of[ident]
        if s:
            ax.barh(yy, -s, color=STRENGTH_COLOUR, height=0.7)
        else:  # a rating of 0 is written, so it is not mistaken for a missing bar
            ax.text(-0.08, yy, "0" if s == 0 else s_text, ha="right", va="center", fontsize="small", color="0.35")
        if v:
            ax.barh(yy, v, color=VULNERABILITY_COLOUR, height=0.7)
        else:
            ax.text(0.08, yy, "0" if v == 0 else v_text, ha="left", va="center", fontsize="small", color="0.35")
        if is_key:
            ax.text(-(s or 0) - 0.1, yy, "\u2605", ha="right", va="center", color=STRENGTH_COLOUR, fontsize="large")
        if is_critical:
            ax.text((v or 0) + 0.1, yy, "!", ha="left", va="center", color=VULNERABILITY_COLOUR, fontsize="large",
                    fontweight="bold")
    for yy, domain in headings:
        name = domain
        for d in _attr(instrument, "domains") or []:
            if _ident(d) == domain:
                name = _label(d, lang)
        ax.text(0, yy, name.replace("_", " ") if name else "outside the domains", ha="center", va="center",
                fontsize="small", fontweight="bold", color="0.25",
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.5})
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_yticks([y_of[i] for i, _, _ in drawn], [label for _, label, _ in drawn], fontsize="small")
    ax.set_ylim(y - 0.4, -0.6)
    ax.set_xlim(-top - 0.6, top + 0.6)
    ticks = np.arange(-math.floor(top), math.floor(top) + 1)
    ax.set_xticks(ticks, [f"{abs(t):g}" for t in ticks])
    ax.set_xlabel(f"\u2190 {strength}      rating      {vulnerability} \u2192")
    ax.grid(True, axis="x", color="0.9")
    ax.set_axisbelow(True)
    who = _attr(instrument, "id")
    ax.set_title(title or (f"{who} profile" if who else "profile"))
    legend = [
        _patch(STRENGTH_COLOUR, strength), _patch(VULNERABILITY_COLOUR, vulnerability),
        _marker("\u2605", STRENGTH_COLOUR, f"{key} {strength}"), _marker("!", VULNERABILITY_COLOUR, f"{critical} {vulnerability}"),
    ]
    ax.legend(handles=legend, loc="lower center", bbox_to_anchor=(0.5, 1.04), ncol=4, fontsize="x-small", frameon=False)
    fig.text(0.01, 0.005, "0: rated zero   n/a: not applicable   ?: omitted", fontsize="x-small", color="0.35")
    return fig


def _patch(colour: str, label: str):
    from matplotlib.patches import Patch

    return Patch(color=colour, label=label)


def _marker(symbol: str, colour: str, label: str):
    from matplotlib.lines import Line2D

    return Line2D([], [], linestyle="none", marker=f"${symbol}$", color=colour, markersize=9, label=label)


# ---- distributions by group ---------------------------------------------------------------


def _column(frame: Any, name: str) -> np.ndarray:
    column = frame[name]
    if hasattr(column, "to_numpy"):
        return column.to_numpy()
    return np.asarray(column)


def totals_by_group(frame: Any, column: str, by: str, *, kind: str = "box", order: Sequence[Any] | None = None,
                    bins: int | Sequence[float] = 20, title: str | None = None,
                    figsize: tuple[float, float] = (6.5, 4.5)) -> Figure:
    """The distribution of ``column`` (e.g. ``vulnerability_total``) in each group of ``by``
    (e.g. ``site``), from a pandas or polars frame or a dict of arrays.

    ``kind="box"``: one box plot per group (median, quartiles, whiskers at 1.5 IQR, the mean
    as a diamond) with the group's size under it; ``kind="hist"``: overlaid step
    histograms, each normalised to a density so groups of different size compare. Unknown
    values (NaN) are left out and counted in the group label.
    """
    if kind not in ("box", "hist"):
        raise ValueError(f"kind must be 'box' or 'hist', got {kind!r}")
    values = _column(frame, column).astype(np.float64)
    groups = np.asarray(_column(frame, by), dtype=object)
    names = list(order) if order is not None else sorted({g for g in groups.tolist() if g is not None}, key=str)
    data, labels = [], []
    for g in names:
        v = values[groups == g]
        known = v[~np.isnan(v)]
        data.append(known)
        unknown = len(v) - len(known)
        labels.append(f"{g}\nn={len(known):,}" + (f" (+{unknown:,} unknown)" if unknown else ""))
    fig = _figure(figsize)
    ax = fig.add_subplot()
    if kind == "box":
        box = ax.boxplot(data, patch_artist=True, showmeans=True, widths=0.6,
                         meanprops={"marker": "D", "markerfacecolor": "white", "markeredgecolor": "0.2"},
                         medianprops={"color": "0.1"}, flierprops={"markersize": 3, "alpha": 0.4})
        for k, patch in enumerate(box["boxes"]):
            patch.set_facecolor(PALETTE[k % len(PALETTE)])
            patch.set_alpha(0.55)
        ax.set_xticks(np.arange(1, len(names) + 1), labels, fontsize="small")
        ax.set_ylabel(column.replace("_", " "))
        ax.set_xlabel(by.replace("_", " "))
        ax.grid(True, axis="y", color="0.9")
    else:
        everything = np.concatenate([d for d in data if len(d)]) if any(len(d) for d in data) else np.zeros(1)
        if isinstance(bins, int) and np.all(everything == np.round(everything)):
            # Whole numbers (totals): bins of whole width centred on the values, no aliasing.
            step = max(1, math.ceil((everything.max() - everything.min() + 1) / bins))
            edges = np.arange(everything.min() - 0.5, everything.max() + step, step)
        else:
            edges = np.histogram_bin_edges(everything, bins=bins)
        for k, (d, label) in enumerate(zip(data, labels)):
            if len(d):
                ax.hist(d, bins=edges, density=True, histtype="step", linewidth=2, color=PALETTE[k % len(PALETTE)],
                        label=label.replace("\n", " "))
        ax.set_xlabel(column.replace("_", " "))
        ax.set_ylabel("density")
        ax.legend(title=by.replace("_", " "), fontsize="small")
        ax.grid(True, color="0.9")
    ax.set_title(title or f"{column.replace('_', ' ')} by {by.replace('_', ' ')}")
    return fig
