// Dates and durations on top of <chrono>'s civil calendar; kept here is what GCC 12's
// <chrono> lacks: parsing and formatting, clamped month arithmetic and range checks.
#include <kelias/date.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "base/calendar.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

namespace chr = std::chrono;

constexpr Date from_civil(int y, unsigned m, unsigned d) noexcept {
    return Date{static_cast<int>(chr::sys_days{chr::year{y} / chr::month{m} / chr::day{d}}.time_since_epoch().count())};
}

static_assert(from_civil(1, 1, 1) == min_date);
static_assert(from_civil(9999, 12, 31) == max_date);

bool in_calendar(std::int64_t days) noexcept { return days >= min_date.days && days <= max_date.days; }

// Months are added first, the day clamped to the end of the month reached.
std::optional<Date> add_months(Date d, std::int64_t months) noexcept {
    if (!in_calendar(d.days)) return std::nullopt;
    const chr::year_month_day ymd{chr::sys_days{chr::days{d.days}}};
    const std::int64_t index =
        static_cast<int>(ymd.year()) * std::int64_t{12} + (static_cast<unsigned>(ymd.month()) - 1) + months;
    if (index < 12 || index >= 10000 * std::int64_t{12}) return std::nullopt;  // years 1-9999
    const chr::year y{static_cast<int>(index / 12)};
    const chr::month m{static_cast<unsigned>(index % 12) + 1};
    const chr::year_month_day last{chr::year_month_day_last{y, chr::month_day_last{m}}};
    const chr::day day = ymd.day() > last.day() ? last.day() : ymd.day();
    return Date{static_cast<int>(chr::sys_days{y / m / day}.time_since_epoch().count())};
}

bool all_digits(std::string_view s) noexcept {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

int digits_value(std::string_view s) noexcept {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

}  // namespace

bool in_range(const Duration& d) noexcept {
    return d.years >= 0 && d.years <= max_duration_years && d.months >= 0 && d.months <= max_duration_months &&
           d.days >= 0 && d.days <= max_duration_days;
}

CivilDate civil(Date d) noexcept {
    const chr::year_month_day ymd{chr::sys_days{chr::days{d.days}}};
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::optional<Date> make_date(int year, int month, int day) noexcept {
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
    const chr::year_month_day ymd{chr::year{year}, chr::month{static_cast<unsigned>(month)},
                                  chr::day{static_cast<unsigned>(day)}};
    if (!ymd.ok()) return std::nullopt;
    return Date{static_cast<int>(chr::sys_days{ymd}.time_since_epoch().count())};
}

std::optional<Date> parse_date(std::string_view t) noexcept {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    const auto y = t.substr(0, 4), m = t.substr(5, 2), d = t.substr(8, 2);
    if (!all_digits(y) || !all_digits(m) || !all_digits(d)) return std::nullopt;
    return make_date(digits_value(y), digits_value(m), digits_value(d));
}

std::string to_string(Date d) {
    if (!in_calendar(d.days)) {
        // Outside the years kelias reads; shown while <chrono> can still name the day.
        if (d.days < -11000000 || d.days > 11000000) return "(no date)";
        const CivilDate c = civil(d);
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
        return buf;
    }
    const CivilDate c = civil(d);
    const char text[10] = {static_cast<char>('0' + c.year / 1000),
                           static_cast<char>('0' + c.year / 100 % 10),
                           static_cast<char>('0' + c.year / 10 % 10),
                           static_cast<char>('0' + c.year % 10),
                           '-',
                           static_cast<char>('0' + c.month / 10),
                           static_cast<char>('0' + c.month % 10),
                           '-',
                           static_cast<char>('0' + c.day / 10),
                           static_cast<char>('0' + c.day % 10)};
    return std::string(text, sizeof text);
}

std::optional<Duration> parse_duration(std::string_view t) noexcept {
    if (t.size() < 3 || t[0] != 'P') return std::nullopt;
    std::int64_t years = 0, months = 0, days = 0;
    std::size_t i = 1;
    int last_rank = -1;  // Y=0, M=1, W=2, D=3: designators come in this order
    while (i < t.size()) {
        std::size_t j = i;
        std::int64_t n = 0;
        // Eight digits are more than any part may hold: longer runs cannot overflow.
        for (; j < t.size() && t[j] >= '0' && t[j] <= '9'; ++j) {
            if (j - i >= 8) return std::nullopt;
            n = n * 10 + (t[j] - '0');
        }
        if (j == i || j >= t.size()) return std::nullopt;
        int rank;
        switch (t[j]) {
        case 'Y':
            rank = 0;
            years = n;
            break;
        case 'M':
            rank = 1;
            months = n;
            break;
        case 'W':
            rank = 2;
            days += 7 * n;
            break;
        case 'D':
            rank = 3;
            days += n;
            break;
        default:
            return std::nullopt;
        }
        if (rank <= last_rank) return std::nullopt;
        last_rank = rank;
        i = j + 1;
    }
    if (years > max_duration_years || months > max_duration_months || days > max_duration_days) return std::nullopt;
    return Duration{static_cast<int>(years), static_cast<int>(months), static_cast<int>(days)};
}

std::string to_string(const Duration& d) {
    std::string s = "P";
    if (d.years) s += std::to_string(d.years) + "Y";
    if (d.months) s += std::to_string(d.months) + "M";
    if (d.days || s.size() == 1) s += std::to_string(d.days) + "D";
    return s;
}

double average_days(const Duration& d) noexcept { return (d.years * 12.0 + d.months) * 30.436875 + d.days; }

std::optional<Date> add_days(Date d, std::int64_t days) noexcept {
    if (!in_calendar(d.days) || days > max_date.days - min_date.days || days < min_date.days - max_date.days)
        return std::nullopt;
    const std::int64_t r = d.days + days;
    if (!in_calendar(r)) return std::nullopt;
    return Date{static_cast<int>(r)};
}

std::optional<Date> add(Date d, const Duration& by) noexcept {
    if (!in_range(by)) return std::nullopt;
    const auto moved = add_months(d, by.years * std::int64_t{12} + by.months);
    return moved ? add_days(*moved, by.days) : std::nullopt;
}

std::optional<Date> subtract(Date d, const Duration& by) noexcept {
    if (!in_range(by)) return std::nullopt;
    const auto moved = add_months(d, -(by.years * std::int64_t{12} + by.months));
    return moved ? add_days(*moved, -std::int64_t{by.days}) : std::nullopt;
}

int months_between(Date from, Date to) noexcept {
    if (to < from) return -months_between(to, from);
    const CivilDate a = civil(from), b = civil(to);
    int m = (b.year - a.year) * 12 + (b.month - a.month);
    // The estimate is exact or one too many; the clamping of add_months decides.
    if (m > 0) {
        const auto reached = add_months(from, m);
        if (!reached || *reached > to) --m;
    }
    return m;
}

int years_between(Date from, Date to) noexcept {
    if (to < from) return -years_between(to, from);
    const CivilDate a = civil(from), b = civil(to);
    int y = b.year - a.year;
    if (y > 0) {
        const auto reached = add_months(from, std::int64_t{12} * y);
        if (!reached || *reached > to) --y;
    }
    return y;
}

namespace detail {

double duration_to_column(const Duration& d) noexcept {
    return static_cast<double>(d.years * std::int64_t{12} + d.months) * duration_day_span + d.days;
}

Duration duration_from_column(double v) noexcept {
    if (!(v >= 0) || v > max_duration_column) return Duration{};
    const auto whole = static_cast<std::int64_t>(v);
    return Duration{0, static_cast<int>(whole / static_cast<std::int64_t>(duration_day_span)),
                    static_cast<int>(whole % static_cast<std::int64_t>(duration_day_span))};
}

}  // namespace detail
KELIAS_END_NAMESPACE
