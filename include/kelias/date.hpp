#pragma once
/// \file date.hpp
/// Calendar dates and ISO-8601 durations, with the month arithmetic rules use.
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace kelias {

/// A calendar date, stored as days since 1970-01-01 (proleptic Gregorian).
struct Date {
    int days = 0;
    friend auto operator<=>(Date, Date) = default;
};

/// A calendar duration such as `P1Y6M` or `P90D` (weeks are kept as days).
struct Duration {
    int years = 0;
    int months = 0;
    int days = 0;
    friend bool operator==(const Duration&, const Duration&) = default;
};

/// Parses `YYYY-MM-DD`; nullopt for anything else, including impossible dates.
std::optional<Date> parse_date(std::string_view text) noexcept;
/// Formats as `YYYY-MM-DD`.
std::string to_string(Date d);
/// Builds a date from its parts; nullopt when the day does not exist.
std::optional<Date> make_date(int year, int month, int day) noexcept;
/// Splits a date into year, month (1-12) and day (1-31).
void civil_from_date(Date d, int& year, int& month, int& day) noexcept;

/// Parses an ISO-8601 date duration: `P3M`, `P1Y2M10D`, `P6W`. No time part.
std::optional<Duration> parse_duration(std::string_view text) noexcept;
/// Formats back to ISO-8601 (`P1Y2M10D`; `P0D` for zero).
std::string to_string(const Duration& d);

/// Adds a duration: years and months first (the day is clamped to the month's end,
/// so 2024-01-31 + P1M = 2024-02-29), then days.
Date add(Date d, const Duration& by) noexcept;
/// Subtracts a duration with the same clamping rule as add().
Date subtract(Date d, const Duration& by) noexcept;

/// Whole months completed from `from` to `to`: the largest m with add(from, Pm M) <= to.
/// Negative when `to` is before `from`.
int months_between(Date from, Date to) noexcept;
/// Whole years completed from `from` to `to` (months_between / 12, same clamping rule).
int years_between(Date from, Date to) noexcept;
/// Days from `from` to `to`.
inline int days_between(Date from, Date to) noexcept { return to.days - from.days; }

}  // namespace kelias
