#pragma once
/// \file date.hpp
/// Calendar dates and ISO-8601 date durations, with the month arithmetic rules use.
///
/// Dates run from 0001-01-01 to 9999-12-31; durations are at most 10000 years, 120000
/// months or 3660000 days in each part. Text outside these ranges does not parse, and
/// arithmetic whose result falls outside them gives no date (std::nullopt) rather than a
/// wrong one.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE

/// A calendar date, stored as days since 1970-01-01 (proleptic Gregorian).
struct Date {
    int days = 0;
    friend auto operator<=>(Date, Date) = default;
};

/// The first and last dates kelias reads or computes.
inline constexpr Date min_date{-719162};  // 0001-01-01
inline constexpr Date max_date{2932896};  // 9999-12-31

/// A calendar duration such as `P1Y6M` or `P90D` (weeks are kept as days). Every part is
/// zero or more; see max_duration_* for the largest values.
struct Duration {
    int years = 0;
    int months = 0;
    int days = 0;
    friend bool operator==(const Duration&, const Duration&) = default;
};

inline constexpr int max_duration_years = 10000;
inline constexpr int max_duration_months = 120000;
inline constexpr int max_duration_days = 3660000;

/// True when every part of `d` is within 0 and its maximum.
bool in_range(const Duration& d) noexcept;

/// Parses `YYYY-MM-DD` (four digits, year 0001-9999); nullopt for anything else, including
/// impossible dates such as 2025-02-30.
std::optional<Date> parse_date(std::string_view text) noexcept;
/// Formats as `YYYY-MM-DD`.
std::string to_string(Date d);
/// Builds a date from its parts; nullopt when the day does not exist or the year is
/// outside 1-9999.
std::optional<Date> make_date(int year, int month, int day) noexcept;
/// The year, month (1-12) and day (1-31) of a date.
struct CivilDate {
    int year = 1970, month = 1, day = 1;
};
CivilDate civil(Date d) noexcept;

/// Parses an ISO-8601 date duration: `P3M`, `P1Y2M10D`, `P6W`. No time part, no fractions,
/// designators in the order Y, M, W, D; nullopt when a part is over its maximum.
std::optional<Duration> parse_duration(std::string_view text) noexcept;
/// Formats back to ISO-8601 (`P1Y2M10D`; `P0D` for zero).
std::string to_string(const Duration& d);
/// The average length in days (a month is 30.436875 days), which orders durations:
/// P200D > P6M > P180D.
double average_days(const Duration& d) noexcept;

/// Adds a duration: years and months first (the day is clamped to the month's end, so
/// 2024-01-31 + P1M = 2024-02-29), then days. nullopt when the result is outside
/// min_date..max_date or the duration is out of range.
std::optional<Date> add(Date d, const Duration& by) noexcept;
/// Subtracts a duration with the same clamping rule as add().
std::optional<Date> subtract(Date d, const Duration& by) noexcept;
/// Adds whole days (negative to go back); nullopt outside min_date..max_date.
std::optional<Date> add_days(Date d, std::int64_t days) noexcept;

/// Whole months completed from `from` to `to`: the largest m with add(from, Pm M) <= to.
/// Negative when `to` is before `from`.
int months_between(Date from, Date to) noexcept;
/// Whole years completed from `from` to `to` (same clamping rule).
int years_between(Date from, Date to) noexcept;
/// Days from `from` to `to`.
inline int days_between(Date from, Date to) noexcept { return to.days - from.days; }

KELIAS_END_NAMESPACE
