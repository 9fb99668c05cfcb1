// kelias._core.stats: the statistics of kelias/stats.hpp over NumPy columns. Every function
// returns a dict: the result's fields, or {"error": [diagnostics]} when the data cannot give
// the statistic (kelias/stats.py raises kelias.stats.StatisticError from it). Columns
// arrive as C-contiguous float64 arrays (kelias/stats.py converts pandas, polars and lists;
// NaN = missing) and are read in place, without the GIL.
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <kelias/csv_columns.hpp>
#include <kelias/stats.hpp>

#include "bindings.hpp"

namespace kelias_python {
namespace {

using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;
namespace st = kelias::stats;

std::span<const double> view(const DoubleArray& a) {
    if (a.ndim() != 1) throw py::value_error("a column must be one-dimensional");
    return {a.data(), static_cast<std::size_t>(a.shape(0))};
}

std::vector<std::span<const double>> views(const std::vector<DoubleArray>& columns) {
    std::vector<std::span<const double>> out;
    for (const auto& c : columns) out.push_back(view(c));
    return out;
}

py::dict failure(const std::vector<kelias::Diagnostic>& diagnostics) {
    py::dict d;
    d["error"] = diagnostics_to_python(diagnostics);
    return d;
}

py::tuple interval(const st::Interval& ci) { return py::make_tuple(ci.lower, ci.upper, ci.level); }

py::dict proportion(const st::Proportion& p) {
    py::dict d;
    d["n"] = p.n;
    d["events"] = p.events;
    d["rate"] = p.rate;
    d["ci"] = interval(p.ci);
    return d;
}

py::dict auc(const st::AucResult& r) {
    py::dict d;
    d["n"] = r.n;
    d["n_dropped"] = r.n_dropped;
    d["positives"] = r.positives;
    d["negatives"] = r.negatives;
    d["auc"] = r.auc;
    d["se"] = r.se;
    d["ci"] = interval(r.ci);
    return d;
}

py::dict alpha(const std::vector<DoubleArray>& items, double confidence) {
    const auto columns = views(items);
    const auto result = without_gil([&] { return st::cronbach_alpha(columns, {.confidence = confidence}); });
    if (!result) return failure(result.error());
    const st::AlphaResult& r = *result;
    py::dict d;
    d["n"] = r.n;
    d["n_dropped"] = r.n_dropped;
    d["k"] = r.k;
    d["alpha"] = r.alpha;
    d["standardized_alpha"] = r.standardized_alpha;
    d["ci"] = interval(r.ci);
    d["total_mean"] = r.total_mean;
    d["total_sd"] = r.total_sd;
    d["sem"] = r.sem;
    py::list rows;
    for (const st::ItemStatistics& s : r.items) {
        py::dict item;
        item["mean"] = s.mean;
        item["sd"] = s.sd;
        item["item_total"] = s.item_total;
        item["corrected_item_total"] = s.corrected_item_total;
        item["alpha_if_deleted"] = s.alpha_if_deleted;
        rows.append(std::move(item));
    }
    d["items"] = std::move(rows);
    return d;
}

py::dict icc(const std::vector<DoubleArray>& raters, double confidence) {
    const auto columns = views(raters);
    const auto result = without_gil([&] { return st::icc(columns, {.confidence = confidence}); });
    if (!result) return failure(result.error());
    const st::IccResult& r = *result;
    py::dict d;
    d["n"] = r.n;
    d["n_dropped"] = r.n_dropped;
    d["k"] = r.k;
    d["ms_rows"] = r.ms_rows;
    d["ms_columns"] = r.ms_columns;
    d["ms_error"] = r.ms_error;
    d["ms_within"] = r.ms_within;
    py::list rows;
    for (const st::IccEstimate& e : r.estimates) {
        py::dict row;
        row["form"] = std::string(st::icc_label(e.form));
        row["psych"] = std::string(st::icc_psych_name(e.form));
        row["icc"] = e.value;
        row["f"] = e.test.f;
        row["df1"] = e.test.df1;
        row["df2"] = e.test.df2;
        row["p"] = e.test.p;
        row["ci"] = interval(e.ci);
        rows.append(std::move(row));
    }
    d["estimates"] = std::move(rows);
    return d;
}

py::dict kappa(const DoubleArray& rater1, const DoubleArray& rater2, double confidence,
               const std::vector<double>& categories, bool psych_variance) {
    const auto a = view(rater1);
    const auto b = view(rater2);
    const auto r = st::cohen_kappa(
        a, b,
        {.confidence = confidence,
         .variance = psych_variance ? st::KappaVariance::psych : st::KappaVariance::fleiss_cohen_everitt,
         .categories = categories});
    if (!r) return failure(r.error());
    py::dict d;
    d["n"] = r->n;
    d["n_dropped"] = r->n_dropped;
    d["categories"] = r->categories;
    d["observed_agreement"] = r->observed_agreement;
    d["expected_agreement"] = r->expected_agreement;
    py::list rows;
    for (const st::KappaEstimate& e : r->estimates) {
        py::dict row;
        row["weights"] = std::string(st::weights_name(e.weights));
        row["kappa"] = e.kappa;
        row["se"] = e.se;
        row["ci"] = interval(e.ci);
        rows.append(std::move(row));
    }
    d["estimates"] = std::move(rows);
    return d;
}

py::dict roc_auc(const DoubleArray& score, const DoubleArray& outcome, double confidence) {
    const auto s = view(score);
    const auto y = view(outcome);
    const auto result = without_gil([&] { return st::roc_auc(s, y, {.confidence = confidence}); });
    if (!result) return failure(result.error());
    return auc(*result);
}

py::dict delong(const DoubleArray& score1, const DoubleArray& score2, const DoubleArray& outcome, double confidence) {
    const auto s1 = view(score1);
    const auto s2 = view(score2);
    const auto y = view(outcome);
    const auto result = without_gil([&] { return st::delong_test(s1, s2, y, {.confidence = confidence}); });
    if (!result) return failure(result.error());
    const st::AucComparison& r = *result;
    py::dict d;
    d["first"] = auc(r.first);
    d["second"] = auc(r.second);
    d["difference"] = r.difference;
    d["se"] = r.se;
    d["correlation"] = r.correlation;
    d["z"] = r.z;
    d["p"] = r.p;
    d["ci"] = interval(r.ci);
    return d;
}

py::dict curve(const DoubleArray& score, const DoubleArray& outcome) {
    const auto r = st::roc_curve(view(score), view(outcome));
    if (!r) return failure(r.error());
    const auto n = static_cast<py::ssize_t>(r->size());
    py::array_t<double> threshold(n), tpr(n), fpr(n);
    py::array_t<std::int64_t> tp(n), fp(n);
    for (py::ssize_t i = 0; i < n; ++i) {
        const st::RocPoint& p = (*r)[static_cast<std::size_t>(i)];
        threshold.mutable_at(i) = p.threshold;
        tp.mutable_at(i) = static_cast<std::int64_t>(p.true_positives);
        fp.mutable_at(i) = static_cast<std::int64_t>(p.false_positives);
        tpr.mutable_at(i) = p.tpr;
        fpr.mutable_at(i) = p.fpr;
    }
    py::dict d;
    d["threshold"] = threshold;
    d["tp"] = tp;
    d["fp"] = fp;
    d["tpr"] = tpr;
    d["fpr"] = fpr;
    return d;
}

py::dict calibration_row(const st::CalibrationRow& row) {
    py::dict d;
    d["category"] = row.category;
    d["observed"] = proportion(row.observed);
    d["expected"] = row.expected;
    d["expected_events"] = row.expected_events;
    d["ratio"] = row.ratio;
    return d;
}

py::dict calibration(const std::vector<std::string>& category, const DoubleArray& outcome,
                     const std::optional<DoubleArray>& expected, double confidence,
                     const std::vector<std::string>& order) {
    const auto e = expected ? view(*expected) : std::span<const double>{};
    const auto r = st::calibration(category, view(outcome), e, {.confidence = confidence, .order = order});
    if (!r) return failure(r.error());
    py::dict d;
    py::list rows;
    for (const auto& row : r->rows) rows.append(calibration_row(row));
    d["rows"] = std::move(rows);
    d["total"] = calibration_row(r->total);
    d["n_dropped"] = r->n_dropped;
    if (r->hosmer_lemeshow)
        d["hosmer_lemeshow"] =
            py::make_tuple(r->hosmer_lemeshow->statistic, r->hosmer_lemeshow->df, r->hosmer_lemeshow->p);
    else
        d["hosmer_lemeshow"] = py::none();
    return d;
}

py::dict group_row(const st::GroupRow& g) {
    py::dict d;
    d["group"] = g.group;
    d["base_rate"] = proportion(g.base_rate);
    d["auc"] = g.auc ? py::object(auc(*g.auc)) : py::object(py::none());
    d["tp"] = g.true_positives;
    d["fp"] = g.false_positives;
    d["tn"] = g.true_negatives;
    d["fn"] = g.false_negatives;
    d["false_positive_rate"] = proportion(g.false_positive_rate);
    d["false_negative_rate"] = proportion(g.false_negative_rate);
    d["positive_rate"] = proportion(g.positive_rate);
    d["expected"] = g.expected;
    d["ratio"] = g.ratio;
    return d;
}

py::dict groups(const std::vector<std::string>& group, const DoubleArray& score, const DoubleArray& outcome,
                const std::optional<DoubleArray>& expected, double cutoff, double confidence,
                const std::vector<std::string>& order) {
    const auto e = expected ? view(*expected) : std::span<const double>{};
    const auto r = st::group_audit(group, view(score), view(outcome), e,
                                   {.cutoff = cutoff, .confidence = confidence, .order = order});
    if (!r) return failure(r.error());
    py::dict d;
    d["cutoff"] = r->cutoff;
    py::list rows;
    for (const auto& g : r->groups) rows.append(group_row(g));
    d["groups"] = std::move(rows);
    d["overall"] = group_row(r->overall);
    d["n_dropped"] = r->n_dropped;
    return d;
}

py::dict base_rate(const DoubleArray& outcome, double confidence) {
    const auto r = st::base_rate(view(outcome), confidence);
    if (!r) return failure(r.error());
    return proportion(*r);
}

py::dict read_columns(const std::string& path, const std::vector<std::string>& numeric,
                      const std::vector<std::string>& categorical) {
    const auto r = kelias::read_csv_columns(path, {.numeric = numeric, .categorical = categorical});
    if (!r) return failure(r.error());
    py::dict d;
    for (std::size_t j = 0; j < r->numeric.size(); ++j) {
        py::array_t<double> a(static_cast<py::ssize_t>(r->rows));
        std::copy(r->numeric[j].begin(), r->numeric[j].end(), a.mutable_data());
        d[py::str(r->numeric_names[j])] = a;
    }
    for (std::size_t j = 0; j < r->categorical.size(); ++j) d[py::str(r->categorical_names[j])] = r->categorical[j];
    return d;
}

}  // namespace

void bind_stats(py::module_& m) {
    py::module_ s = m.def_submodule("stats", "kelias statistics (kelias/stats.hpp); use kelias.stats");
    s.def("alpha", &alpha, py::arg("items"), py::arg("confidence"));
    s.def("icc", &icc, py::arg("raters"), py::arg("confidence"));
    s.def("cohen_kappa", &kappa, py::arg("rater1"), py::arg("rater2"), py::arg("confidence"), py::arg("categories"),
          py::arg("psych_variance"));
    s.def("roc_auc", &roc_auc, py::arg("score"), py::arg("outcome"), py::arg("confidence"));
    s.def("delong_test", &delong, py::arg("score1"), py::arg("score2"), py::arg("outcome"), py::arg("confidence"));
    s.def("roc_curve", &curve, py::arg("score"), py::arg("outcome"));
    s.def("calibration", &calibration, py::arg("category"), py::arg("outcome"), py::arg("expected"),
          py::arg("confidence"), py::arg("order"));
    s.def("group_audit", &groups, py::arg("group"), py::arg("score"), py::arg("outcome"), py::arg("expected"),
          py::arg("cutoff"), py::arg("confidence"), py::arg("order"));
    s.def("base_rate", &base_rate, py::arg("outcome"), py::arg("confidence"));
    s.def("read_csv_columns", &read_columns, py::arg("path"), py::arg("numeric"), py::arg("categorical"));
}

}  // namespace kelias_python
