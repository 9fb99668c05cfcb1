#pragma once
// Durations as column values: the one encoding of a Duration in a double, exact for every
// duration in range (months and days never mix, so P5000D stays P5000D).
#include <kelias/date.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Days occupy the low part of the number: more than max_duration_days, so they never carry
/// into the months. The largest encoded value (about 5.4e11) is far below 2^53.
constexpr double duration_day_span = 4194304;  // 2^22
static_assert(duration_day_span > max_duration_days);
constexpr double max_duration_column =
    (static_cast<double>(max_duration_years) * 12 + max_duration_months) * duration_day_span + max_duration_days;
static_assert(max_duration_column < 9007199254740992.0);  // 2^53: every value is exact

/// Months (years folded in) and days in one number; ordering the numbers orders
/// (months, days) lexicographically.
double duration_to_column(const Duration& d) noexcept;
/// The inverse of duration_to_column (years come back as months: P1Y reads P12M).
Duration duration_from_column(double v) noexcept;

}  // namespace detail
KELIAS_END_NAMESPACE
