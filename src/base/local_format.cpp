// Values written for a person (see local_format.hpp).
#include "base/local_format.hpp"

#include <cmath>

#include "base/number_format.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

// Lithuanian nouns after a number: 1, 21, 31 ... take the singular; 2-9, 22-29 ... the
// nominative plural; 10-20, 30, 40 ... and 0 the genitive plural.
const char* lithuanian_form(int n, const char* one, const char* few, const char* many) {
    const int last = n % 10, last_two = n % 100;
    if (last == 1 && last_two != 11) return one;
    if (last >= 2 && last <= 9 && (last_two < 12 || last_two > 19)) return few;
    return many;
}

std::string part(int n, Language language, const char* en_one, const char* en_many, const char* lt_one,
                 const char* lt_few, const char* lt_many) {
    const std::string count = std::to_string(n) + " ";
    if (language == Language::lt) return count + lithuanian_form(n, lt_one, lt_few, lt_many);
    return count + (n == 1 ? en_one : en_many);
}

}  // namespace

std::string duration_words(const Duration& d, Language language) {
    std::string out;
    auto add = [&](const std::string& s) { out += (out.empty() ? "" : " ") + s; };
    if (d.years) add(part(d.years, language, "year", "years", "metai", "metai", "metų"));
    if (d.months) add(part(d.months, language, "month", "months", "mėnuo", "mėnesiai", "mėnesių"));
    if (d.days || out.empty()) add(part(d.days, language, "day", "days", "diena", "dienos", "dienų"));
    return out;
}

std::string fraction_text(double x) {
    for (int denominator = 2; denominator <= 12; ++denominator) {
        const double numerator = std::round(x * denominator);
        if (numerator > 0 && numerator < denominator && std::abs(x * denominator - numerator) < 1e-9 * denominator) {
            bool lowest = true;  // 2/4 is written 1/2, found first
            for (int k = 2; k <= static_cast<int>(numerator); ++k)
                if (static_cast<int>(numerator) % k == 0 && denominator % k == 0) lowest = false;
            if (lowest) return std::to_string(static_cast<int>(numerator)) + "/" + std::to_string(denominator);
        }
    }
    return number_text(x * 100) + "%";
}

std::string number_text(double x) {
    std::string out;
    append_number(out, std::round(x * 100) / 100);
    return out;
}

std::string yes_no(bool b, Language language) {
    if (language == Language::lt) return b ? "taip" : "ne";
    return b ? "yes" : "no";
}

}  // namespace detail
KELIAS_END_NAMESPACE
