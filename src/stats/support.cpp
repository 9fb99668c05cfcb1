#include "stats/support.hpp"

#include <algorithm>
#include <charconv>
#include <numeric>
#include <set>
#include <utility>

#include "stats/distributions.hpp"

KELIAS_BEGIN_NAMESPACE
namespace stats::detail {

std::vector<Diagnostic> undefined(std::string message, std::string hint) {
    Diagnostic d;
    d.severity = Severity::error;
    d.code = DiagnosticCode::statistic_undefined;
    d.message = std::move(message);
    d.hint = std::move(hint);
    return {std::move(d)};
}

std::optional<std::vector<Diagnostic>> check_confidence(double confidence) {
    if (confidence > 0 && confidence < 1) return std::nullopt;
    Diagnostic d;
    d.code = DiagnosticCode::invalid_value;
    d.message = "the confidence level must be between 0 and 1 (exclusive)";
    d.hint = "0.95 gives 95% intervals";
    return std::vector<Diagnostic>{std::move(d)};
}

double z_for(double confidence) { return normal_quantile(1.0 - (1.0 - confidence) / 2); }

std::vector<double> mid_ranks(std::span<const double> values) {
    const std::size_t n = values.size();
    std::vector<std::size_t> index(n);
    std::iota(index.begin(), index.end(), std::size_t{0});
    std::sort(index.begin(), index.end(), [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<double> ranks(n);
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j + 1 < n && values[index[j + 1]] == values[index[i]]) ++j;
        const double rank = (static_cast<double>(i) + static_cast<double>(j)) / 2 + 1;  // mean of i+1 .. j+1
        for (std::size_t t = i; t <= j; ++t) ranks[index[t]] = rank;
        i = j + 1;
    }
    return ranks;
}

namespace {

bool parse_number(const std::string& text, double& out) {
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc{} && ptr == end;
}

}  // namespace

std::vector<std::string> ordered_categories(std::span<const std::string> values,
                                            const std::vector<std::string>& order) {
    std::set<std::string> seen;
    for (const std::string& v : values)
        if (!v.empty()) seen.insert(v);
    std::vector<std::string> out;
    for (const std::string& o : order)
        if (seen.erase(o) > 0) out.push_back(o);
    std::vector<std::string> rest(seen.begin(), seen.end());
    std::vector<std::pair<double, std::string>> numbers;
    bool numeric = true;
    for (const std::string& r : rest) {
        double x = 0;
        if (!parse_number(r, x)) {
            numeric = false;
            break;
        }
        numbers.emplace_back(x, r);
    }
    if (numeric) {
        std::stable_sort(numbers.begin(), numbers.end(),
                         [](const auto& a, const auto& b) { return a.first < b.first; });
        for (auto& [x, r] : numbers) out.push_back(std::move(r));
    } else {
        for (std::string& r : rest) out.push_back(std::move(r));
    }
    return out;
}

}  // namespace stats::detail
KELIAS_END_NAMESPACE
