// Assessment headers checked against an instrument's assessment_fields and age_range.
#include <kelias/assessment_header.hpp>

#include <algorithm>
#include <charconv>

#include "base/text.hpp"
#include "evaluation/assessment_header_check.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

std::string_view header_cell_trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

namespace {

std::string codes_list(const std::vector<std::string>& codes) {
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : "|") + c;
    return out;
}

}  // namespace

std::string header_cell_misfit(const AssessmentFieldInfo& f, std::string_view cell) {
    switch (f.type) {
    case HeaderFieldType::code:
        if (std::find(f.codes.begin(), f.codes.end(), cell) == f.codes.end())
            return "'" + detail::for_message(cell) + "' is not one of " + codes_list(f.codes);
        return {};
    case HeaderFieldType::codes: {
        std::vector<std::string> seen;
        for (const auto& c : split_header_codes(cell)) {
            if (std::find(f.codes.begin(), f.codes.end(), c) == f.codes.end())
                return "'" + detail::for_message(c) + "' is not one of " + codes_list(f.codes);
            if (std::find(seen.begin(), seen.end(), c) != seen.end())
                return "'" + detail::for_message(c) + "' is listed twice";
            seen.push_back(c);
        }
        return {};
    }
    case HeaderFieldType::text:
        return {};
    case HeaderFieldType::date:
        return parse_date(cell) ? std::string() : "not a date (YYYY-MM-DD)";
    case HeaderFieldType::boolean:
        return cell == "true" || cell == "false" ? std::string() : "not true or false";
    case HeaderFieldType::integer: {
        long long x = 0;
        auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), x);
        return ec == std::errc() && p == cell.data() + cell.size() ? std::string() : "not a whole number";
    }
    }
    return {};
}

}  // namespace detail

namespace {
using detail::header_cell_trimmed;
}  // namespace

std::vector<std::string> split_header_codes(std::string_view cell) {
    std::vector<std::string> out;
    while (!cell.empty()) {
        const auto bar = cell.find('|');
        const std::string_view part = header_cell_trimmed(cell.substr(0, bar));
        if (!part.empty()) out.emplace_back(part);
        if (bar == std::string_view::npos) break;
        cell.remove_prefix(bar + 1);
    }
    return out;
}

std::vector<Diagnostic> check_assessment_header(const Instrument& instrument,
                                                const std::map<std::string, std::string>& header,
                                                const HeaderContext& context) {
    std::vector<Diagnostic> out;
    const std::string prefix = context.path.empty() ? std::string() : context.path + ": ";
    auto problem = [&](Severity severity, DiagnosticCode code, std::string message, std::string hint = {}) {
        out.push_back({severity, code, prefix + std::move(message), std::move(hint), context.where});
    };
    const auto fields = instrument.assessment_fields();
    std::vector<std::string> ids;
    for (const auto& f : fields) ids.push_back(f.id);
    for (const auto& entry : header) {
        // Named, not a structured binding: clang 14 (the fuzz build) cannot capture those.
        const auto& id = entry.first;
        const auto& cell = entry.second;
        auto f = std::find_if(fields.begin(), fields.end(), [&](const AssessmentFieldInfo& x) { return x.id == id; });
        if (f == fields.end()) {
            problem(Severity::error, DiagnosticCode::invalid_header,
                    "header." + detail::for_message(id) + ": " + instrument.key() +
                        " declares no such assessment field",
                    ids.empty() ? std::string("this instrument declares no assessment_fields")
                                : detail::did_you_mean(id, ids));
            continue;
        }
        if (header_cell_trimmed(cell).empty()) continue;  // absent; required fields are checked below
        if (auto why = detail::header_cell_misfit(*f, header_cell_trimmed(cell)); !why.empty())
            problem(Severity::error, DiagnosticCode::invalid_header, "header." + id + ": " + why);
    }
    for (const auto& f : fields) {
        if (!f.required) continue;
        auto it = header.find(f.id);
        if (it == header.end() || header_cell_trimmed(it->second).empty())
            problem(Severity::error, DiagnosticCode::invalid_header,
                    "header." + f.id + " is required by " + instrument.key() + " and not given",
                    "give it in the assessment's header (header." + f.id + ")");
    }
    if (auto range = instrument.age_range()) {
        std::optional<int> age = context.age;
        if (!age && context.date_of_birth && context.date) age = years_between(*context.date_of_birth, *context.date);
        if (age && !range->contains(*age)) {
            std::string span;
            if (range->min) span += "from " + std::to_string(*range->min);
            if (range->max) span += std::string(span.empty() ? "" : " ") + "to " + std::to_string(*range->max);
            problem(Severity::warning, DiagnosticCode::age_outside_range,
                    std::string("the person's age on the assessment date is ") +
                        (range->min && *age < *range->min ? "below" : "above") + " the ages " + instrument.key() +
                        " is meant for (" + span + ")",
                    "check that this is the right instrument for the person");
        }
    }
    return out;
}

KELIAS_END_NAMESPACE
