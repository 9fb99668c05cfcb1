"""kelias.plot against the installed package: every function returns a Figure that renders
under Agg, and what it draws is what the data says."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib", reason="kelias[plot] extra (matplotlib) not installed")
from matplotlib.figure import Figure  # noqa: E402

import kelias  # noqa: E402
import kelias.plot as kplot  # noqa: E402


def png_bytes(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=60)
    return buffer.getvalue()


def texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


def outcome_and_score(n=400, seed=3):
    rng = np.random.default_rng(seed)
    z = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(-z))).astype(int)
    return y, np.round(3 * z + rng.normal(size=n))


def test_roc_points_match_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    y, s = outcome_and_score()
    fpr, tpr, thresholds = kplot.roc_points(y, s)
    want_fpr, want_tpr, want_thr = metrics.roc_curve(y, s, drop_intermediate=False)
    np.testing.assert_allclose(fpr, want_fpr)
    np.testing.assert_allclose(tpr, want_tpr)
    np.testing.assert_allclose(thresholds[1:], want_thr[1:])
    area = float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
    assert area == pytest.approx(metrics.roc_auc_score(y, s), abs=1e-12)


def test_roc_points_leave_out_unknown_rows_and_need_both_classes():
    fpr, tpr, _ = kplot.roc_points([1, 0, np.nan, 1, 0], [3, 1, 2, np.nan, 2])
    np.testing.assert_allclose(fpr, [0, 0, 0.5, 1])
    np.testing.assert_allclose(tpr, [0, 1, 1, 1])
    with pytest.raises(ValueError, match="both outcomes"):
        kplot.roc_points([1, 1], [0.2, 0.4])
    with pytest.raises(ValueError, match="0/1"):
        kplot.roc_points([2, 0], [0.2, 0.4])


def test_roc_figure_has_a_curve_per_score_and_the_band():
    y, s = outcome_and_score()
    fig = kplot.roc(y, {"total": s, "noise": np.arange(len(y)) % 7}, n_boot=50)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels[0] == "chance" and labels[1].startswith("total: AUC") and labels[2].startswith("noise: AUC")
    assert len(ax.collections) == 2  # one bootstrap band per score
    assert "bootstrap" in " ".join(texts(fig))
    assert len(png_bytes(fig)) > 5000
    bare = kplot.roc(y, s, band=None)
    assert len(bare.axes[0].collections) == 0


def test_roc_band_is_seeded():
    y, s = outcome_and_score()
    a = kplot.roc(y, s, n_boot=30, seed=1).axes[0].collections[0].get_paths()[0].vertices
    b = kplot.roc(y, s, n_boot=30, seed=1).axes[0].collections[0].get_paths()[0].vertices
    np.testing.assert_array_equal(a, b)


def test_wilson_interval_known_value():
    lo, hi = kplot.wilson_interval(8, 10)
    assert float(lo) == pytest.approx(0.4902, abs=1e-4)
    assert float(hi) == pytest.approx(0.9433, abs=1e-4)


def test_calibration_by_category_in_the_given_order():
    y = [0, 0, 1, 0, 1, 1, 1, np.nan]
    category = ["low", "low", "moderate", "moderate", "high", "high", None, "high"]
    fig = kplot.calibration(y, category, order=["low", "moderate", "high"],
                            expected={"low": 0.1, "moderate": 0.3, "high": 0.6})
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["low\nn=2", "moderate\nn=2", "high\nn=2"]
    observed = ax.get_lines()[0].get_ydata()
    np.testing.assert_allclose(observed, [0.0, 0.5, 1.0])
    assert len(png_bytes(fig)) > 3000


def test_calibration_of_binned_probabilities():
    rng = np.random.default_rng(5)
    p = rng.random(2000)
    y = (rng.random(2000) < p).astype(int)
    fig = kplot.calibration(y, p, bins=5)
    assert len(fig.axes[0].get_xticklabels()) == 5
    with pytest.raises(ValueError, match="expected has"):
        kplot.calibration(y, p, bins=5, expected=[0.5])


def test_profile_of_one_start_av_assessment():
    instrument = kelias.load_instrument("start_av")
    row = {}
    for column in instrument.columns:
        if column.endswith((".strength", ".vulnerability")):
            row[column] = 1.0
    row["coping.strength"] = 2.0
    row["coping.key"] = True
    row["impulse_control.vulnerability"] = 2.0
    row["impulse_control.critical"] = True
    row["parenting.strength"] = "na"
    row["insight.vulnerability"] = np.nan  # omitted
    row["plans.strength"] = 0.0
    fig = kplot.profile(instrument, pd.DataFrame([row]))
    drawn = texts(fig)
    assert drawn.count("\u2605") == 1 and drawn.count("!") == 1
    assert "n/a" in drawn and "?" in drawn and "0" in drawn
    ax = fig.axes[0]
    widths = sorted(round(p.get_width(), 6) for p in ax.patches)
    assert widths[0] == -2.0 and widths[-1] == 2.0  # strength drawn left, vulnerability right
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == 25  # 24 dynamic items and the case-specific item
    assert len(png_bytes(fig)) > 10000
    with pytest.raises(ValueError, match="one assessment"):
        kplot.profile(instrument, pd.DataFrame([row, row]))


def test_totals_by_group_box_and_hist():
    frame = pd.DataFrame({"total": [1, 2, 3, 4, 5, np.nan, 7, 8], "site": list("AABBBCCC")})
    box = kplot.totals_by_group(frame, "total", "site")
    ticks = [t.get_text() for t in box.axes[0].get_xticklabels()]
    assert ticks == ["A\nn=2", "B\nn=3", "C\nn=2 (+1 unknown)"]
    hist = kplot.totals_by_group(frame, "total", "site", kind="hist", order=["C", "A"])
    assert [t.get_text() for t in hist.axes[0].get_legend().get_texts()] == ["C n=2 (+1 unknown)", "A n=2"]
    assert len(png_bytes(hist)) > 3000
    with pytest.raises(ValueError, match="kind"):
        kplot.totals_by_group(frame, "total", "site", kind="pie")
