// Predictive validity: ROC AUC with DeLong's variance, DeLong's paired test, ROC curves,
// proportions with Wilson intervals, calibration by category and the audit across
// groups. Formulas and the R functions they match are documented in
// include/kelias/stats.hpp.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>

#include <kelias/stats.hpp>

#include "stats/distributions.hpp"
#include "stats/support.hpp"

KELIAS_BEGIN_NAMESPACE
namespace stats {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::optional<std::vector<Diagnostic>> same_length(std::size_t expected, std::size_t got, const char* what) {
    if (expected == got) return std::nullopt;
    return detail::undefined(std::string(what) + " has " + std::to_string(got) + " values, the outcome has " +
                             std::to_string(expected));
}

std::vector<Diagnostic> bad_outcome(std::size_t row) {
    return detail::undefined("the outcome of row " + std::to_string(row + 1) + " is neither 0 nor 1",
                             "code the outcome 1 (happened) or 0 (did not); leave it empty when unknown");
}

std::vector<Diagnostic> one_class(std::size_t positives) {
    return detail::undefined(positives == 0 ? "one class only: no row has outcome 1, so the AUC is undefined"
                                            : "one class only: no row has outcome 0, so the AUC is undefined");
}

/// The scores of the cases and the controls, with DeLong's placement values.
struct Placements {
    double auc = 0;
    std::vector<double> v10;  // per case: share of controls it outranks (ties 1/2)
    std::vector<double> v01;  // per control: share of cases that outrank it
};

Placements placements(const std::vector<double>& cases, const std::vector<double>& controls) {
    const std::size_t m = cases.size();
    const std::size_t n = controls.size();
    std::vector<double> all(cases);
    all.insert(all.end(), controls.begin(), controls.end());
    const std::vector<double> tz = detail::mid_ranks(all);
    const std::vector<double> tx = detail::mid_ranks(cases);
    const std::vector<double> ty = detail::mid_ranks(controls);
    Placements p;
    p.v10.resize(m);
    p.v01.resize(n);
    double rank_sum = 0;
    for (std::size_t i = 0; i < m; ++i) {
        rank_sum += tz[i];
        p.v10[i] = (tz[i] - tx[i]) / static_cast<double>(n);
    }
    for (std::size_t j = 0; j < n; ++j) p.v01[j] = 1.0 - (tz[m + j] - ty[j]) / static_cast<double>(m);
    const double md = static_cast<double>(m);
    p.auc = (rank_sum - md * (md + 1) / 2) / (md * static_cast<double>(n));
    return p;
}

double covariance(const std::vector<double>& a, const std::vector<double>& b) {
    const std::size_t n = a.size();
    if (n < 2) return nan;
    const double ma = std::accumulate(a.begin(), a.end(), 0.0) / static_cast<double>(n);
    const double mb = std::accumulate(b.begin(), b.end(), 0.0) / static_cast<double>(n);
    double s = 0;
    for (std::size_t i = 0; i < n; ++i) s += (a[i] - ma) * (b[i] - mb);
    return s / static_cast<double>(n - 1);
}

double delong_variance(const Placements& p) {
    return covariance(p.v10, p.v10) / static_cast<double>(p.v10.size()) +
           covariance(p.v01, p.v01) / static_cast<double>(p.v01.size());
}

AucResult auc_result(const Placements& p, std::size_t dropped, double confidence) {
    AucResult r;
    r.positives = p.v10.size();
    r.negatives = p.v01.size();
    r.n = r.positives + r.negatives;
    r.n_dropped = dropped;
    r.auc = p.auc;
    r.se = std::sqrt(delong_variance(p));
    const double z = detail::z_for(confidence);
    r.ci = {std::clamp(r.auc - z * r.se, 0.0, 1.0), std::clamp(r.auc + z * r.se, 0.0, 1.0), confidence};
    if (std::isnan(r.se)) r.ci.lower = r.ci.upper = nan;
    return r;
}

/// Splits the scores by outcome, leaving out rows where a score or the outcome is missing.
struct Split {
    std::vector<std::vector<double>> cases, controls;  // per score
    std::size_t dropped = 0;
};

Result<Split> split(std::span<const std::span<const double>> scores, std::span<const double> outcome) {
    Split s;
    s.cases.resize(scores.size());
    s.controls.resize(scores.size());
    for (std::size_t i = 0; i < outcome.size(); ++i) {
        const int cls = detail::outcome_class(outcome[i]);
        if (cls < 0) return bad_outcome(i);
        bool missing = cls == 2;
        for (const auto& sc : scores) missing = missing || std::isnan(sc[i]);
        if (missing) {
            ++s.dropped;
            continue;
        }
        for (std::size_t j = 0; j < scores.size(); ++j) (cls == 1 ? s.cases : s.controls)[j].push_back(scores[j][i]);
    }
    if (s.cases[0].empty() || s.controls[0].empty()) return one_class(s.cases[0].size());
    return s;
}

}  // namespace

Result<AucResult> roc_auc(std::span<const double> score, std::span<const double> outcome, const AucOptions& options) {
    if (auto bad = detail::check_confidence(options.confidence)) return *bad;
    if (auto bad = same_length(outcome.size(), score.size(), "the score")) return *bad;
    const std::span<const double> one[] = {score};
    auto s = split(one, outcome);
    if (!s) return s.error();
    return auc_result(placements(s->cases[0], s->controls[0]), s->dropped, options.confidence);
}

Result<AucComparison> delong_test(std::span<const double> score1, std::span<const double> score2,
                                  std::span<const double> outcome, const AucOptions& options) {
    if (auto bad = detail::check_confidence(options.confidence)) return *bad;
    if (auto bad = same_length(outcome.size(), score1.size(), "the first score")) return *bad;
    if (auto bad = same_length(outcome.size(), score2.size(), "the second score")) return *bad;
    const std::span<const double> both[] = {score1, score2};
    auto s = split(both, outcome);
    if (!s) return s.error();
    const Placements p1 = placements(s->cases[0], s->controls[0]);
    const Placements p2 = placements(s->cases[1], s->controls[1]);
    AucComparison r;
    r.first = auc_result(p1, s->dropped, options.confidence);
    r.second = auc_result(p2, s->dropped, options.confidence);
    const double m = static_cast<double>(p1.v10.size());
    const double n = static_cast<double>(p1.v01.size());
    const double var1 = delong_variance(p1);
    const double var2 = delong_variance(p2);
    const double cov12 = covariance(p1.v10, p2.v10) / m + covariance(p1.v01, p2.v01) / n;
    const double var = var1 + var2 - 2 * cov12;
    if (std::isnan(var)) return detail::undefined("DeLong's test needs at least 2 cases and 2 controls");
    if (!(var > 0))
        return detail::undefined("the two scores rank the rows identically: their AUCs cannot differ",
                                 "DeLong's test needs scores that order some cases and controls differently");
    r.difference = p1.auc - p2.auc;
    r.se = std::sqrt(var);
    r.correlation = cov12 / std::sqrt(var1 * var2);
    r.z = r.difference / r.se;
    r.p = 2 * detail::normal_upper(std::fabs(r.z));
    const double z = detail::z_for(options.confidence);
    r.ci = {r.difference - z * r.se, r.difference + z * r.se, options.confidence};
    return r;
}

Result<std::vector<RocPoint>> roc_curve(std::span<const double> score, std::span<const double> outcome) {
    if (auto bad = same_length(outcome.size(), score.size(), "the score")) return *bad;
    std::vector<std::pair<double, int>> rows;
    for (std::size_t i = 0; i < outcome.size(); ++i) {
        const int cls = detail::outcome_class(outcome[i]);
        if (cls < 0) return bad_outcome(i);
        if (cls == 2 || std::isnan(score[i])) continue;
        rows.emplace_back(score[i], cls);
    }
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::size_t positives = 0;
    for (const auto& r : rows) positives += static_cast<std::size_t>(r.second);
    const std::size_t negatives = rows.size() - positives;
    if (positives == 0 || negatives == 0) return one_class(positives);
    std::vector<RocPoint> curve;
    curve.push_back({std::numeric_limits<double>::infinity(), 0, 0, 0.0, 0.0});
    std::size_t tp = 0, fp = 0;
    for (std::size_t i = 0; i < rows.size();) {
        const double threshold = rows[i].first;
        for (; i < rows.size() && rows[i].first == threshold; ++i) (rows[i].second == 1 ? tp : fp) += 1;
        curve.push_back({threshold, tp, fp, static_cast<double>(tp) / static_cast<double>(positives),
                         static_cast<double>(fp) / static_cast<double>(negatives)});
    }
    return curve;
}

// --- Proportions, base rates, calibration ----------------------------------------------

Proportion proportion(std::size_t events, std::size_t n, double confidence) {
    Proportion p;
    p.n = n;
    p.events = events;
    p.ci.level = confidence;
    if (n == 0) {
        p.rate = p.ci.lower = p.ci.upper = nan;
        return p;
    }
    const double nd = static_cast<double>(n);
    const double rate = static_cast<double>(events) / nd;
    const double z = detail::z_for(confidence);
    const double z2 = z * z;
    const double denominator = 1 + z2 / nd;
    const double centre = (rate + z2 / (2 * nd)) / denominator;
    const double half = z * std::sqrt(rate * (1 - rate) / nd + z2 / (4 * nd * nd)) / denominator;
    p.rate = rate;
    p.ci.lower = std::max(0.0, centre - half);
    p.ci.upper = std::min(1.0, centre + half);
    return p;
}

Result<Proportion> base_rate(std::span<const double> outcome, double confidence) {
    if (auto bad = detail::check_confidence(confidence)) return *bad;
    std::size_t n = 0, events = 0;
    for (std::size_t i = 0; i < outcome.size(); ++i) {
        const int cls = detail::outcome_class(outcome[i]);
        if (cls < 0) return bad_outcome(i);
        if (cls == 2) continue;
        ++n;
        events += static_cast<std::size_t>(cls);
    }
    if (n == 0) return detail::undefined("no row has a known outcome");
    return proportion(events, n, confidence);
}

namespace {

struct Tally {
    std::size_t n = 0, events = 0;
    double expected = 0;
};

CalibrationRow calibration_row(std::string category, const Tally& t, bool with_expected, double confidence) {
    CalibrationRow row;
    row.category = std::move(category);
    row.observed = proportion(t.events, t.n, confidence);
    row.expected_events = with_expected ? t.expected : nan;
    row.expected = with_expected ? t.expected / static_cast<double>(t.n) : nan;
    row.ratio = with_expected && t.expected > 0 ? static_cast<double>(t.events) / t.expected : nan;
    return row;
}

std::optional<std::vector<Diagnostic>> check_expected(std::span<const double> expected, std::size_t rows) {
    if (expected.empty()) return std::nullopt;
    if (auto bad = same_length(rows, expected.size(), "the expected column")) return bad;
    for (std::size_t i = 0; i < expected.size(); ++i)
        if (!std::isnan(expected[i]) && !(expected[i] >= 0 && expected[i] <= 1))
            return detail::undefined("the expected probability of row " + std::to_string(i + 1) +
                                     " is not between 0 and 1");
    return std::nullopt;
}

}  // namespace

Result<CalibrationResult> calibration(std::span<const std::string> category, std::span<const double> outcome,
                                      std::span<const double> expected, const CalibrationOptions& options) {
    if (auto bad = detail::check_confidence(options.confidence)) return *bad;
    if (auto bad = same_length(outcome.size(), category.size(), "the category column")) return *bad;
    if (auto bad = check_expected(expected, outcome.size())) return *bad;
    const bool with_expected = !expected.empty();
    std::map<std::string, Tally> tallies;
    Tally total;
    CalibrationResult r;
    std::vector<std::string> used;
    for (std::size_t i = 0; i < outcome.size(); ++i) {
        const int cls = detail::outcome_class(outcome[i]);
        if (cls < 0) return bad_outcome(i);
        if (cls == 2 || category[i].empty() || (with_expected && std::isnan(expected[i]))) {
            ++r.n_dropped;
            continue;
        }
        for (Tally* t : {&tallies[category[i]], &total}) {
            ++t->n;
            t->events += static_cast<std::size_t>(cls);
            if (with_expected) t->expected += expected[i];
        }
        used.push_back(category[i]);
    }
    if (total.n == 0) return detail::undefined("no row has a category, an outcome and (if asked) an expected value");
    double chi2 = 0;
    bool chi2_defined = with_expected;
    for (std::string& c : detail::ordered_categories(used, options.order)) {
        const Tally& t = tallies[c];
        const double e = t.expected;
        const double nd = static_cast<double>(t.n);
        if (!(e > 0) || !(e < nd))
            chi2_defined = false;
        else
            chi2 += std::pow(static_cast<double>(t.events) - e, 2) / (e * (1 - e / nd));
        r.rows.push_back(calibration_row(std::move(c), t, with_expected, options.confidence));
    }
    r.total = calibration_row("total", total, with_expected, options.confidence);
    if (chi2_defined) {
        const double df = static_cast<double>(r.rows.size());
        r.hosmer_lemeshow = ChiSquareTest{chi2, df, detail::chi_square_upper(chi2, df)};
    }
    return r;
}

// --- Fairness across groups ------------------------------------------------------------

namespace {

struct GroupData {
    std::vector<double> score, outcome, expected;
};

GroupRow group_row(std::string name, const GroupData& d, bool with_expected, const GroupOptions& o) {
    GroupRow g;
    g.group = std::move(name);
    std::size_t events = 0;
    double expected_sum = 0;
    for (std::size_t i = 0; i < d.score.size(); ++i) {
        const bool positive = d.score[i] >= o.cutoff;
        const bool event = d.outcome[i] == 1;
        events += event ? 1 : 0;
        if (with_expected) expected_sum += d.expected[i];
        (positive ? (event ? g.true_positives : g.false_positives) : (event ? g.false_negatives : g.true_negatives)) +=
            1;
    }
    g.base_rate = proportion(events, d.score.size(), o.confidence);
    g.false_positive_rate = proportion(g.false_positives, g.false_positives + g.true_negatives, o.confidence);
    g.false_negative_rate = proportion(g.false_negatives, g.false_negatives + g.true_positives, o.confidence);
    g.positive_rate = proportion(g.true_positives + g.false_positives, d.score.size(), o.confidence);
    g.expected = with_expected ? expected_sum / static_cast<double>(d.score.size()) : nan;
    g.ratio = with_expected && expected_sum > 0 ? static_cast<double>(events) / expected_sum : nan;
    auto auc = roc_auc(d.score, d.outcome, {.confidence = o.confidence});
    if (auc) g.auc = *auc;
    return g;
}

}  // namespace

Result<GroupAudit> group_audit(std::span<const std::string> group, std::span<const double> score,
                               std::span<const double> outcome, std::span<const double> expected,
                               const GroupOptions& options) {
    if (auto bad = detail::check_confidence(options.confidence)) return *bad;
    if (auto bad = same_length(outcome.size(), group.size(), "the group column")) return *bad;
    if (auto bad = same_length(outcome.size(), score.size(), "the score")) return *bad;
    if (auto bad = check_expected(expected, outcome.size())) return *bad;
    if (!std::isfinite(options.cutoff)) return detail::undefined("the cut-off must be a finite number");
    const bool with_expected = !expected.empty();
    std::map<std::string, GroupData> groups;
    GroupData all;
    GroupAudit r;
    r.cutoff = options.cutoff;
    std::vector<std::string> used;
    for (std::size_t i = 0; i < outcome.size(); ++i) {
        const int cls = detail::outcome_class(outcome[i]);
        if (cls < 0) return bad_outcome(i);
        if (cls == 2 || group[i].empty() || std::isnan(score[i]) || (with_expected && std::isnan(expected[i]))) {
            ++r.n_dropped;
            continue;
        }
        for (GroupData* d : {&groups[group[i]], &all}) {
            d->score.push_back(score[i]);
            d->outcome.push_back(outcome[i]);
            if (with_expected) d->expected.push_back(expected[i]);
        }
        used.push_back(group[i]);
    }
    if (all.score.empty()) return detail::undefined("no row has a group, a score and an outcome");
    for (std::string& g : detail::ordered_categories(used, options.order)) {
        const GroupData& d = groups[g];
        r.groups.push_back(group_row(std::move(g), d, with_expected, options));
    }
    r.overall = group_row("all", all, with_expected, options);
    return r;
}

}  // namespace stats
KELIAS_END_NAMESPACE
