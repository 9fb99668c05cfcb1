// Fuzzes dates and durations: kelias::parse_date and kelias::parse_duration on the whole
// input and on its first three words (split at spaces or line breaks: DATE DURATION DATE),
// the to_string round trips, and the arithmetic on what parsed: add, subtract,
// months_between, years_between, days_between.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/date.hpp>

#include "fuzz_support.hpp"

namespace {

std::optional<kelias::Date> date_of(std::string_view text) {
    auto d = kelias::parse_date(text);
    if (d) {
        const std::string back = kelias::to_string(*d);
        kelias::fuzz::expect(back == text, "to_string(parse_date(t)) == t", std::string(text) + " -> " + back);
        const kelias::CivilDate c = kelias::civil(*d);
        const auto rebuilt = kelias::make_date(c.year, c.month, c.day);
        kelias::fuzz::expect(rebuilt && *rebuilt == *d, "make_date(civil(d)) == d", text);
        kelias::fuzz::expect(*d >= kelias::min_date && *d <= kelias::max_date, "parsed dates are within 0001-9999",
                             text);
    }
    return d;
}

std::optional<kelias::Duration> duration_of(std::string_view text) {
    auto d = kelias::parse_duration(text);
    if (d) {
        const std::string back = kelias::to_string(*d);
        const auto again = kelias::parse_duration(back);
        kelias::fuzz::expect(again && *again == *d, "parse_duration(to_string(d)) == d",
                             std::string(text) + " -> " + back);
    }
    return d;
}

void arithmetic(kelias::Date from, const kelias::Duration& by, kelias::Date to) {
    const auto later = kelias::add(from, by);
    const auto earlier = kelias::subtract(from, by);
    for (const auto& d : {later, earlier}) {
        if (!d) continue;
        kelias::fuzz::expect(*d >= kelias::min_date && *d <= kelias::max_date, "add/subtract stay within 0001-9999");
        (void)kelias::to_string(*d);
    }
    if (later) {
        (void)kelias::months_between(from, *later);
        (void)kelias::years_between(from, *later);
        (void)kelias::days_between(from, *later);
    }
    if (earlier) (void)kelias::months_between(*earlier, from);
    (void)kelias::months_between(from, to);
    (void)kelias::years_between(to, from);
    (void)kelias::days_between(from, to);
    (void)kelias::add_days(from, static_cast<std::int64_t>(by.days) * 1000);
    (void)kelias::average_days(by);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = kelias::fuzz::as_text(data, size);
    const auto whole_date = date_of(text);
    const auto whole_duration = duration_of(text);

    std::vector<std::string_view> words;
    std::string_view rest = text;
    while (words.size() < 3 && !rest.empty()) {
        const std::size_t end = rest.find_first_of(" \n");
        words.push_back(rest.substr(0, end));
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
    const kelias::Date epoch{};
    const auto from = words.size() > 0 ? date_of(words[0]) : std::nullopt;
    const auto by = words.size() > 1 ? duration_of(words[1]) : std::nullopt;
    const auto to = words.size() > 2 ? date_of(words[2]) : std::nullopt;

    if (whole_date) arithmetic(*whole_date, kelias::Duration{0, 1, 1}, epoch);
    if (whole_duration) arithmetic(epoch, *whole_duration, epoch);
    if (from || by) arithmetic(from.value_or(epoch), by.value_or(kelias::Duration{}), to.value_or(epoch));
    return 0;
}
