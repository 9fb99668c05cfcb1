// Fuzzes the statistics over a CSV file: kelias::read_csv_columns_text with numeric
// columns a, b, c, y and categorical column g; when it reads, every statistic of
// kelias/stats.hpp on them (alpha and ICC on a, b, c; kappa on a, b; AUC, DeLong's test
// and the ROC curve of a and b for the outcome y; calibration by g; the group audit by g
// at cut-off 1) and their text and JSON forms. Checks that an AUC, a rate and their
// intervals stay in [0, 1] and that intervals are ordered.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <kelias/csv_columns.hpp>
#include <kelias/stats.hpp>

#include "fuzz_support.hpp"

namespace {

namespace st = kelias::stats;

void unit_interval(double value, const st::Interval& ci, const char* what) {
    if (std::isnan(value)) return;
    kelias::fuzz::expect(value >= 0 && value <= 1, what, "value outside [0, 1]");
    if (!std::isnan(ci.lower) && !std::isnan(ci.upper))
        kelias::fuzz::expect(ci.lower >= 0 && ci.upper <= 1 && ci.lower <= ci.upper, what, "interval outside [0, 1]");
}

void check(const st::AucResult& r) { unit_interval(r.auc, r.ci, "AUC in [0, 1]"); }
void check(const st::Proportion& p) {
    if (p.n > 0) unit_interval(p.rate, p.ci, "proportion in [0, 1]");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto read = kelias::read_csv_columns_text(std::string(kelias::fuzz::as_text(data, size)), "fuzz.csv",
                                              {.numeric = {"a", "b", "c", "y"}, .categorical = {"g"}});
    if (!read) return 0;
    const kelias::CsvColumns& c = *read;
    const std::span<const double> a = c.numeric[0], b = c.numeric[1], third = c.numeric[2], y = c.numeric[3];
    const std::span<const std::string> g = c.categorical[0];
    const std::span<const double> items[] = {a, b, third};

    if (auto r = st::cronbach_alpha(items)) {
        (void)st::to_text(*r);
        (void)st::to_json(*r);
    }
    if (auto r = st::icc(items)) {
        (void)st::to_text(*r);
        (void)st::to_json(*r);
    }
    if (auto r = st::cohen_kappa(a, b)) {
        (void)st::to_text(*r);
        (void)st::to_json(*r);
    }
    if (auto r = st::roc_auc(a, y)) {
        check(*r);
        (void)st::to_text(*r);
        (void)st::to_json(*r);
    }
    if (auto r = st::delong_test(a, b, y)) {
        check(r->first);
        check(r->second);
        (void)st::to_text(*r);
        (void)st::to_json(*r);
    }
    if (auto r = st::roc_curve(a, y)) {
        for (const st::RocPoint& p : *r)
            kelias::fuzz::expect(p.tpr >= 0 && p.tpr <= 1 && p.fpr >= 0 && p.fpr <= 1, "ROC points in [0, 1]");
        (void)st::to_json(*r);
    }
    if (auto r = st::calibration(g, y, b)) {
        for (const st::CalibrationRow& row : r->rows) check(row.observed);
        (void)st::to_text(*r);
        (void)st::to_json(*r);
    }
    if (auto r = st::group_audit(g, a, y, {}, {.cutoff = 1})) {
        for (const st::GroupRow& row : r->groups) {
            check(row.base_rate);
            check(row.false_positive_rate);
            check(row.false_negative_rate);
            if (row.auc) check(*row.auc);
        }
        (void)st::to_text(*r);
        (void)st::to_json(*r);
    }
    if (auto r = st::base_rate(y)) check(*r);
    return 0;
}
