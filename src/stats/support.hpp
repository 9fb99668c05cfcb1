#pragma once
// What the statistics share: the E910 failure, checks of their inputs, mid-ranks and
// the order of categories.
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include <kelias/diagnostic.hpp>
#include <kelias/stats.hpp>

KELIAS_BEGIN_NAMESPACE
namespace stats::detail {

/// One E910 diagnostic: the statistic cannot be computed from these data, and why.
std::vector<Diagnostic> undefined(std::string message, std::string hint = {});

/// E104 when `confidence` is not in (0, 1).
std::optional<std::vector<Diagnostic>> check_confidence(double confidence);

/// The two-sided normal quantile for an interval at `confidence` (1.959964 for 0.95).
double z_for(double confidence);

/// An outcome value: 0 or 1, or NaN (missing); anything else is -1.
inline int outcome_class(double v) {
    if (std::isnan(v)) return 2;
    if (v == 0) return 0;
    if (v == 1) return 1;
    return -1;
}

/// Mid-ranks (1-based, ties averaged) of `values`.
std::vector<double> mid_ranks(std::span<const double> values);

/// The distinct categories of `values` (not ""), ordered: first those in `order` (in
/// that order), then the rest, numerically when every one is a number, else by text.
std::vector<std::string> ordered_categories(std::span<const std::string> values, const std::vector<std::string>& order);

}  // namespace stats::detail
KELIAS_END_NAMESPACE
