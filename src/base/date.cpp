#include <kelias/date.hpp>

#include <charconv>
#include <cstdio>

namespace kelias {
namespace {

// Howard Hinnant's civil-calendar algorithms (public domain description).
int days_from_civil(int y, int m, int d) noexcept {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * static_cast<unsigned>(m + (m > 2 ? -3 : 9)) + 2) / 5 + static_cast<unsigned>(d) - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<int>(doe) - 719468;
}

bool is_leap(int y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) noexcept {
    static constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : lengths[m - 1];
}

Date add_months(Date d, int months) noexcept {
    int y, m, day;
    civil_from_date(d, y, m, day);
    int total = y * 12 + (m - 1) + months;
    int ny = total >= 0 ? total / 12 : -((-total + 11) / 12);
    int nm = total - ny * 12 + 1;
    if (day > days_in_month(ny, nm)) day = days_in_month(ny, nm);
    return Date{days_from_civil(ny, nm, day)};
}

bool parse_int(std::string_view s, int& out) noexcept {
    if (s.empty()) return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

void civil_from_date(Date date, int& year, int& month, int& day) noexcept {
    int z = date.days + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    year = static_cast<int>(yoe) + era * 400 + (month <= 2);
}

std::optional<Date> make_date(int year, int month, int day) noexcept {
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
    return Date{days_from_civil(year, month, day)};
}

std::optional<Date> parse_date(std::string_view t) noexcept {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
    int y, m, d;
    if (!parse_int(t.substr(0, 4), y) || !parse_int(t.substr(5, 2), m) || !parse_int(t.substr(8, 2), d))
        return std::nullopt;
    return make_date(y, m, d);
}

std::string to_string(Date d) {
    int y, m, day;
    civil_from_date(d, y, m, day);
    if (y >= 0 && y <= 9999) {  // the common case without printf: batches write a date per case
        const char text[10] = {static_cast<char>('0' + y / 1000), static_cast<char>('0' + y / 100 % 10),
                               static_cast<char>('0' + y / 10 % 10), static_cast<char>('0' + y % 10), '-',
                               static_cast<char>('0' + m / 10), static_cast<char>('0' + m % 10), '-',
                               static_cast<char>('0' + day / 10), static_cast<char>('0' + day % 10)};
        return std::string(text, sizeof text);
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, day);
    return buf;
}

std::optional<Duration> parse_duration(std::string_view t) noexcept {
    if (t.size() < 3 || t[0] != 'P') return std::nullopt;
    Duration out;
    std::size_t i = 1;
    int last_rank = -1;  // Y=0, M=1, W=2, D=3: designators must come in this order
    while (i < t.size()) {
        std::size_t j = i;
        while (j < t.size() && t[j] >= '0' && t[j] <= '9') ++j;
        int n;
        if (j == i || j >= t.size() || !parse_int(t.substr(i, j - i), n)) return std::nullopt;
        int rank;
        switch (t[j]) {
            case 'Y': rank = 0; out.years = n; break;
            case 'M': rank = 1; out.months = n; break;
            case 'W': rank = 2; out.days += 7 * n; break;
            case 'D': rank = 3; out.days += n; break;
            default: return std::nullopt;
        }
        if (rank <= last_rank) return std::nullopt;
        last_rank = rank;
        i = j + 1;
    }
    return out;
}

std::string to_string(const Duration& d) {
    std::string s = "P";
    if (d.years) s += std::to_string(d.years) + "Y";
    if (d.months) s += std::to_string(d.months) + "M";
    if (d.days || s.size() == 1) s += std::to_string(d.days) + "D";
    return s;
}

Date add(Date d, const Duration& by) noexcept {
    Date r = add_months(d, by.years * 12 + by.months);
    r.days += by.days;
    return r;
}

Date subtract(Date d, const Duration& by) noexcept {
    Date r = add_months(d, -(by.years * 12 + by.months));
    r.days -= by.days;
    return r;
}

int months_between(Date from, Date to) noexcept {
    if (to < from) return -months_between(to, from);
    int y1, m1, d1, y2, m2, d2;
    civil_from_date(from, y1, m1, d1);
    civil_from_date(to, y2, m2, d2);
    int m = (y2 - y1) * 12 + (m2 - m1);
    // The estimate is exact or one too many; add_months' clamping decides.
    if (m > 0 && add_months(from, m) > to) --m;
    return m;
}

int years_between(Date from, Date to) noexcept {
    if (to < from) return -years_between(to, from);
    int y1, m1, d1, y2, m2, d2;
    civil_from_date(from, y1, m1, d1);
    civil_from_date(to, y2, m2, d2);
    int y = y2 - y1;
    if (y > 0 && add_months(from, 12 * y) > to) --y;
    return y;
}

}  // namespace kelias
