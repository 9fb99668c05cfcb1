// Fuzzes the JSON case reader: every line of the input -> kelias::CaseBatch::add_json over
// instruments/lt_release_pathway.yaml, then decide_columns and decide_batch on what was
// added. Earliest dates (a search over future days) are computed only when the input
// starts with a space, so most inputs stay fast; a tab first passes an as_of date to
// add_json. Both are valid JSON whitespace, so the lines still read as written.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include <kelias/kelias.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const kelias::RuleSet& rules = kelias::fuzz::case_rules();
    std::string_view text = kelias::fuzz::as_text(data, size);
    const bool earliest_dates = text.starts_with(' ');
    const std::optional<kelias::Date> as_of = text.starts_with('\t') ? kelias::parse_date("2025-06-01") : std::nullopt;

    kelias::CaseBatch cases(rules);
    while (!text.empty()) {
        const std::size_t end = text.find('\n');
        const std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
        if (line.empty()) continue;
        const kelias::JsonCaseAdded added = cases.add_json(line, as_of);
        for (const auto& d : added.problems) (void)kelias::format(d);
    }
    if (cases.rows() == 0) return 0;

    const kelias::DecisionTable m = kelias::decide_columns(rules, cases, 1);
    const auto decided = kelias::decide_batch(rules, cases, kelias::fuzz::decide_options(earliest_dates));
    kelias::fuzz::expect(decided.size() == cases.rows(), "decide_batch gives one result per case");
    kelias::fuzz::expect(static_cast<std::size_t>(m.rows()) == cases.rows(), "decide_columns gives one row per case");
    for (std::size_t r = 0; r < decided.size(); ++r) {
        (void)cases.assessments_used(r);
        (void)kelias::to_json(decided[r]);
        (void)kelias::to_text(decided[r], true);
    }
    return 0;
}
