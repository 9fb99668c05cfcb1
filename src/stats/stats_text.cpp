// Text tables and JSON documents of the statistics, as `kelias stats` prints them.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <kelias/stats.hpp>

#include "base/json_writer.hpp"

KELIAS_BEGIN_NAMESPACE
namespace stats {
namespace {

using detail::JsonWriter;

std::string fixed(double v, int digits = 3) {
    if (std::isnan(v)) return "-";
    if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
    std::string s = buffer;
    if (s.rfind("-0.", 0) == 0 && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);  // -0.000
    return s;
}

std::string p_text(double p) {
    if (std::isnan(p)) return "-";
    return p < 0.001 ? "<0.001" : fixed(p, 3);
}

std::string percent(double level) { return fixed(level * 100, level * 100 == std::round(level * 100) ? 0 : 1) + "%"; }

std::string interval(const Interval& ci) { return "[" + fixed(ci.lower) + ", " + fixed(ci.upper) + "]"; }

std::string count(std::size_t n) { return std::to_string(n); }

std::string shortest(double v) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.10g", v);
    return buffer;
}

std::string name_of(std::span<const std::string> names, std::size_t i, const char* prefix) {
    return i < names.size() ? names[i] : prefix + std::to_string(i + 1);
}

/// Columns aligned: the first to the left, the others to the right, two spaces apart.
class Table {
public:
    explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
    void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
    std::string text() const {
        std::vector<std::size_t> width;
        for (const auto& row : rows_)
            for (std::size_t j = 0; j < row.size(); ++j) {
                if (width.size() <= j) width.push_back(0);
                width[j] = std::max(width[j], length(row[j]));
            }
        std::string out;
        for (const auto& row : rows_) {
            std::string line;
            for (std::size_t j = 0; j < row.size(); ++j) {
                const std::string pad(width[j] - length(row[j]), ' ');
                if (j > 0) line += "  ";
                line += j == 0 ? row[j] + pad : pad + row[j];
            }
            while (!line.empty() && line.back() == ' ') line.pop_back();
            out += line + "\n";
        }
        return out;
    }

private:
    // Characters, not bytes: names may be UTF-8.
    static std::size_t length(const std::string& s) {
        return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    }
    std::vector<std::vector<std::string>> rows_;
};

std::string dropped_line(std::size_t dropped, const char* why) {
    return dropped == 0 ? std::string() : count(dropped) + " rows left out (" + why + ")\n";
}

void interval_json(JsonWriter& w, const Interval& ci) {
    w.begin_object()
        .key("lower")
        .number(ci.lower)
        .key("upper")
        .number(ci.upper)
        .key("level")
        .number(ci.level)
        .end_object();
}

void proportion_json(JsonWriter& w, const Proportion& p) {
    w.begin_object()
        .key("n")
        .integer(static_cast<std::int64_t>(p.n))
        .key("events")
        .integer(static_cast<std::int64_t>(p.events));
    w.key("rate").number(p.rate).key("ci");
    interval_json(w, p.ci);
    w.end_object();
}

void auc_fields(JsonWriter& w, const AucResult& r) {
    w.key("n").integer(static_cast<std::int64_t>(r.n)).key("n_dropped").integer(static_cast<std::int64_t>(r.n_dropped));
    w.key("positives").integer(static_cast<std::int64_t>(r.positives));
    w.key("negatives").integer(static_cast<std::int64_t>(r.negatives));
    w.key("auc").number(r.auc).key("se").number(r.se).key("ci");
    interval_json(w, r.ci);
}

}  // namespace

// --- alpha -----------------------------------------------------------------------------

std::string to_text(const AlphaResult& r, std::span<const std::string> names) {
    std::string out = "Cronbach's alpha: " + count(r.k) + " items, " + count(r.n) + " rows\n";
    out += dropped_line(r.n_dropped, "an item missing");
    Table summary({"statistic", "value"});
    summary.add({"alpha", fixed(r.alpha)});
    summary.add({"alpha " + percent(r.ci.level) + " CI (Feldt)", interval(r.ci)});
    summary.add({"standardized alpha", fixed(r.standardized_alpha)});
    summary.add({"total mean", fixed(r.total_mean)});
    summary.add({"total SD", fixed(r.total_sd)});
    summary.add({"SEM", fixed(r.sem)});
    out += summary.text() + "\n";
    Table items({"item", "mean", "sd", "item-total r", "corrected r", "alpha if deleted"});
    for (std::size_t i = 0; i < r.items.size(); ++i) {
        const ItemStatistics& s = r.items[i];
        items.add({name_of(names, i, "item "), fixed(s.mean), fixed(s.sd), fixed(s.item_total),
                   fixed(s.corrected_item_total), fixed(s.alpha_if_deleted)});
    }
    return out + items.text();
}

std::string to_json(const AlphaResult& r, std::span<const std::string> names) {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("statistic").string("alpha");
    w.key("n").integer(static_cast<std::int64_t>(r.n)).key("n_dropped").integer(static_cast<std::int64_t>(r.n_dropped));
    w.key("k").integer(static_cast<std::int64_t>(r.k)).key("alpha").number(r.alpha).key("ci");
    interval_json(w, r.ci);
    w.key("standardized_alpha").number(r.standardized_alpha).key("total_mean").number(r.total_mean);
    w.key("total_sd").number(r.total_sd).key("sem").number(r.sem).key("items").begin_array();
    for (std::size_t i = 0; i < r.items.size(); ++i) {
        const ItemStatistics& s = r.items[i];
        w.begin_object().key("item").string(name_of(names, i, "item "));
        w.key("mean").number(s.mean).key("sd").number(s.sd).key("item_total").number(s.item_total);
        w.key("corrected_item_total").number(s.corrected_item_total).key("alpha_if_deleted").number(s.alpha_if_deleted);
        w.end_object();
    }
    w.end_array().end_object();
    return out + "\n";
}

// --- ICC -------------------------------------------------------------------------------

std::string to_text(const IccResult& r) {
    std::string out = "Intraclass correlations: " + count(r.n) + " targets, " + count(r.k) + " raters\n";
    out += dropped_line(r.n_dropped, "a rating missing");
    const std::string level = percent(r.estimates[0].ci.level);
    Table t({"form", "ICC", "F", "df1", "df2", "p", level + " CI"});
    for (const IccEstimate& e : r.estimates)
        t.add({std::string(icc_label(e.form)), fixed(e.value), fixed(e.test.f, 2), fixed(e.test.df1, 0),
               fixed(e.test.df2, 0), p_text(e.test.p), interval(e.ci)});
    out += t.text();
    out += "MS rows " + fixed(r.ms_rows) + ", MS raters " + fixed(r.ms_columns) + ", MS error " + fixed(r.ms_error) +
           ", MS within " + fixed(r.ms_within) + "\n";
    return out;
}

std::string to_json(const IccResult& r) {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("statistic").string("icc");
    w.key("n").integer(static_cast<std::int64_t>(r.n)).key("n_dropped").integer(static_cast<std::int64_t>(r.n_dropped));
    w.key("k").integer(static_cast<std::int64_t>(r.k));
    w.key("ms_rows").number(r.ms_rows).key("ms_columns").number(r.ms_columns).key("ms_error").number(r.ms_error);
    w.key("ms_within").number(r.ms_within).key("estimates").begin_array();
    for (const IccEstimate& e : r.estimates) {
        w.begin_object().key("form").string(icc_label(e.form)).key("psych").string(icc_psych_name(e.form));
        w.key("icc").number(e.value).key("f").number(e.test.f).key("df1").number(e.test.df1);
        w.key("df2").number(e.test.df2).key("p").number(e.test.p).key("ci");
        interval_json(w, e.ci);
        w.end_object();
    }
    w.end_array().end_object();
    return out + "\n";
}

// --- kappa -----------------------------------------------------------------------------

std::string to_text(const KappaResult& r) {
    std::string out = "Cohen's kappa: " + count(r.n) + " rows, " + count(r.categories.size()) + " categories\n";
    out += dropped_line(r.n_dropped, "a rating missing");
    out += "observed agreement " + fixed(r.observed_agreement) + ", chance agreement " + fixed(r.expected_agreement) +
           "\n";
    Table t({"weights", "kappa", "se", percent(r.estimates[0].ci.level) + " CI"});
    for (const KappaEstimate& e : r.estimates)
        t.add({std::string(weights_name(e.weights)), fixed(e.kappa), fixed(e.se), interval(e.ci)});
    return out + t.text();
}

std::string to_json(const KappaResult& r) {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("statistic").string("kappa");
    w.key("n").integer(static_cast<std::int64_t>(r.n)).key("n_dropped").integer(static_cast<std::int64_t>(r.n_dropped));
    w.key("categories").begin_array();
    for (double c : r.categories) w.number(c);
    w.end_array();
    w.key("observed_agreement").number(r.observed_agreement).key("expected_agreement").number(r.expected_agreement);
    w.key("estimates").begin_array();
    for (const KappaEstimate& e : r.estimates) {
        w.begin_object().key("weights").string(weights_name(e.weights)).key("kappa").number(e.kappa);
        w.key("se").number(e.se).key("ci");
        interval_json(w, e.ci);
        w.end_object();
    }
    w.end_array().end_object();
    return out + "\n";
}

// --- AUC -------------------------------------------------------------------------------

std::string to_text(const AucResult& r) {
    std::string out = "ROC AUC: " + count(r.n) + " rows, " + count(r.positives) + " with outcome 1, " +
                      count(r.negatives) + " with outcome 0\n";
    out += dropped_line(r.n_dropped, "score or outcome missing");
    Table t({"statistic", "value"});
    t.add({"AUC", fixed(r.auc)});
    t.add({"SE (DeLong)", fixed(r.se)});
    t.add({percent(r.ci.level) + " CI (DeLong)", interval(r.ci)});
    return out + t.text();
}

std::string to_json(const AucResult& r) {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("statistic").string("auc");
    auc_fields(w, r);
    w.end_object();
    return out + "\n";
}

std::string to_text(const AucComparison& r, std::span<const std::string> names) {
    std::string out = "DeLong's test of two correlated AUCs: " + count(r.first.n) + " rows, " +
                      count(r.first.positives) + " with outcome 1, " + count(r.first.negatives) + " with outcome 0\n";
    out += dropped_line(r.first.n_dropped, "a score or the outcome missing");
    const std::string level = percent(r.ci.level) + " CI";
    Table t({"score", "AUC", "SE", level});
    t.add({name_of(names, 0, "score "), fixed(r.first.auc), fixed(r.first.se), interval(r.first.ci)});
    t.add({name_of(names, 1, "score "), fixed(r.second.auc), fixed(r.second.se), interval(r.second.ci)});
    t.add({"difference", fixed(r.difference), fixed(r.se), interval(r.ci)});
    out += t.text();
    out += "z = " + fixed(r.z, 3) + ", p = " + p_text(r.p) + " (two-sided), correlation of the AUCs " +
           fixed(r.correlation) + "\n";
    return out;
}

std::string to_json(const AucComparison& r, std::span<const std::string> names) {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("statistic").string("delong_test");
    w.key("first").begin_object().key("score").string(name_of(names, 0, "score "));
    auc_fields(w, r.first);
    w.end_object().key("second").begin_object().key("score").string(name_of(names, 1, "score "));
    auc_fields(w, r.second);
    w.end_object();
    w.key("difference").number(r.difference).key("se").number(r.se).key("ci");
    interval_json(w, r.ci);
    w.key("correlation").number(r.correlation).key("z").number(r.z).key("p").number(r.p);
    w.end_object();
    return out + "\n";
}

std::string to_text(const std::vector<RocPoint>& curve) {
    Table t({"threshold", "tp", "fp", "tpr", "fpr"});
    for (const RocPoint& p : curve)
        t.add({std::isinf(p.threshold) ? "inf" : fixed(p.threshold, 4), count(p.true_positives),
               count(p.false_positives), fixed(p.tpr, 4), fixed(p.fpr, 4)});
    return "ROC curve (score >= threshold is called positive)\n" + t.text();
}

std::string to_json(const std::vector<RocPoint>& curve) {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("statistic").string("roc_curve").key("points").begin_array();
    for (const RocPoint& p : curve) {
        w.begin_object().key("threshold");
        if (std::isinf(p.threshold))
            w.string("inf");
        else
            w.number(p.threshold);
        w.key("tp").integer(static_cast<std::int64_t>(p.true_positives));
        w.key("fp").integer(static_cast<std::int64_t>(p.false_positives));
        w.key("tpr").number(p.tpr).key("fpr").number(p.fpr).end_object();
    }
    w.end_array().end_object();
    return out + "\n";
}

// --- calibration -----------------------------------------------------------------------

std::string to_text(const CalibrationResult& r) {
    const bool expected = !std::isnan(r.total.expected);
    std::string out =
        "Calibration by category: " + count(r.total.observed.n) + " rows, " + count(r.rows.size()) + " categories\n";
    out += dropped_line(r.n_dropped, "category, outcome or expected value missing");
    const std::string level = percent(r.total.observed.ci.level) + " CI (Wilson)";
    std::vector<std::string> header{"category", "n", "events", "observed", level};
    if (expected) header.insert(header.end(), {"expected", "O/E"});
    Table t(header);
    auto add = [&](const CalibrationRow& row) {
        std::vector<std::string> cells{row.category, count(row.observed.n), count(row.observed.events),
                                       fixed(row.observed.rate), interval(row.observed.ci)};
        if (expected) cells.insert(cells.end(), {fixed(row.expected), fixed(row.ratio, 2)});
        t.add(std::move(cells));
    };
    for (const CalibrationRow& row : r.rows) add(row);
    add(r.total);
    out += t.text();
    if (r.hosmer_lemeshow)
        out += "Hosmer-Lemeshow chi-square " + fixed(r.hosmer_lemeshow->statistic, 2) + ", df " +
               fixed(r.hosmer_lemeshow->df, 0) + ", p = " + p_text(r.hosmer_lemeshow->p) + "\n";
    return out;
}

namespace {

void calibration_row_json(JsonWriter& w, const CalibrationRow& row) {
    w.begin_object().key("category").string(row.category).key("observed");
    proportion_json(w, row.observed);
    w.key("expected").number(row.expected).key("expected_events").number(row.expected_events);
    w.key("ratio").number(row.ratio).end_object();
}

}  // namespace

std::string to_json(const CalibrationResult& r) {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("statistic").string("calibration");
    w.key("n_dropped").integer(static_cast<std::int64_t>(r.n_dropped)).key("rows").begin_array();
    for (const CalibrationRow& row : r.rows) calibration_row_json(w, row);
    w.end_array().key("total");
    calibration_row_json(w, r.total);
    w.key("hosmer_lemeshow");
    if (r.hosmer_lemeshow)
        w.begin_object()
            .key("statistic")
            .number(r.hosmer_lemeshow->statistic)
            .key("df")
            .number(r.hosmer_lemeshow->df)
            .key("p")
            .number(r.hosmer_lemeshow->p)
            .end_object();
    else
        w.null();
    w.end_object();
    return out + "\n";
}

// --- groups ----------------------------------------------------------------------------

std::string to_text(const GroupAudit& r) {
    const bool expected = !std::isnan(r.overall.expected);
    std::string out = "Groups: " + count(r.overall.base_rate.n) + " rows, " + count(r.groups.size()) +
                      " groups, cut-off " + shortest(r.cutoff) + " (score >= cut-off is called positive)\n";
    out += dropped_line(r.n_dropped, "group, score, outcome or expected value missing");
    std::vector<std::string> header{"group", "n", "base rate", "AUC", "AUC CI", "FPR", "FNR", "positive"};
    if (expected) header.insert(header.end(), {"expected", "O/E"});
    Table t(header);
    auto add = [&](const GroupRow& g) {
        std::vector<std::string> cells{g.group,
                                       count(g.base_rate.n),
                                       fixed(g.base_rate.rate),
                                       g.auc ? fixed(g.auc->auc) : "-",
                                       g.auc ? interval(g.auc->ci) : "-",
                                       fixed(g.false_positive_rate.rate),
                                       fixed(g.false_negative_rate.rate),
                                       fixed(g.positive_rate.rate)};
        if (expected) cells.insert(cells.end(), {fixed(g.expected), fixed(g.ratio, 2)});
        t.add(std::move(cells));
    };
    for (const GroupRow& g : r.groups) add(g);
    add(r.overall);
    out += t.text();
    out += "AUC: DeLong " + percent(r.overall.base_rate.ci.level) +
           " CI; '-' where a group has one outcome class only. FPR = FP/(FP+TN), FNR = FN/(FN+TP).\n";
    return out;
}

namespace {

void group_json(JsonWriter& w, const GroupRow& g) {
    w.begin_object().key("group").string(g.group).key("base_rate");
    proportion_json(w, g.base_rate);
    w.key("auc");
    if (g.auc) {
        w.begin_object();
        auc_fields(w, *g.auc);
        w.end_object();
    } else {
        w.null();
    }
    w.key("tp").integer(static_cast<std::int64_t>(g.true_positives));
    w.key("fp").integer(static_cast<std::int64_t>(g.false_positives));
    w.key("tn").integer(static_cast<std::int64_t>(g.true_negatives));
    w.key("fn").integer(static_cast<std::int64_t>(g.false_negatives));
    w.key("false_positive_rate");
    proportion_json(w, g.false_positive_rate);
    w.key("false_negative_rate");
    proportion_json(w, g.false_negative_rate);
    w.key("positive_rate");
    proportion_json(w, g.positive_rate);
    w.key("expected").number(g.expected).key("ratio").number(g.ratio).end_object();
}

}  // namespace

std::string to_json(const GroupAudit& r) {
    std::string out;
    JsonWriter w(out);
    w.begin_object().key("statistic").string("groups").key("cutoff").number(r.cutoff);
    w.key("n_dropped").integer(static_cast<std::int64_t>(r.n_dropped)).key("groups").begin_array();
    for (const GroupRow& g : r.groups) group_json(w, g);
    w.end_array().key("overall");
    group_json(w, r.overall);
    w.end_object();
    return out + "\n";
}

}  // namespace stats
KELIAS_END_NAMESPACE
