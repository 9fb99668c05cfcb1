// Fuzzes the report builders and writers: the input is read as a case file (YAML or JSON,
// kelias::parse_case) and, when it parses, reported with the shipped rule set, plan policy
// and pathway in every variant, in both languages and every format; it is also read as
// override records (kelias::parse_override_records) for a unit report. The HTML must stay
// markup the report wrote (no text can open a tag: the case id never appears raw when it
// holds '<'), end with </html>, and hold no script.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <kelias/kelias.hpp>

#include "fuzz_support.hpp"

namespace {

const kelias::ReportDefinitions& definitions() {
    static const kelias::ReportDefinitions defs = [] {
        const kelias::RuleSet& rules = kelias::fuzz::case_rules();
        auto policy = kelias::load_plan_policy_file(kelias::fuzz::source_path("instruments/lt_plan_policy.yaml"));
        if (!policy) kelias::fuzz::fail("cannot load lt_plan_policy", kelias::format(policy.diagnostics()));
        auto pathway = kelias::load_pathway_file(kelias::fuzz::source_path("instruments/lt_pathway.yaml"), &rules);
        if (!pathway) kelias::fuzz::fail("cannot load lt_pathway", kelias::format(pathway.diagnostics()));
        return kelias::ReportDefinitions{.rules = rules, .policy = *policy, .pathway = *pathway};
    }();
    return defs;
}

void check_html(const std::string& html, const std::string& case_id) {
    kelias::fuzz::expect(html.find("<script") == std::string::npos, "the HTML holds no script");
    kelias::fuzz::expect(html.ends_with("</html>\n"), "the HTML ends with </html>");
    if (case_id.find('<') != std::string::npos)
        kelias::fuzz::expect(html.find(case_id) == std::string::npos, "a case id with '<' is escaped", case_id);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = kelias::fuzz::as_text(data, size);
    const kelias::ReportDefinitions& defs = definitions();

    const kelias::OverrideRecords overrides = kelias::parse_override_records(text, "fuzz.jsonl");
    (void)kelias::format(overrides.rejected);

    auto parsed = kelias::parse_case(text, "fuzz.yaml");
    (void)kelias::format(parsed.diagnostics());
    if (!parsed) return 0;
    const kelias::CaseInput& c = *parsed;
    const auto as_of = c.as_of ? c.as_of : kelias::parse_date("2025-06-15");

    for (kelias::ReportVariant variant :
         {kelias::ReportVariant::full, kelias::ReportVariant::commission, kelias::ReportVariant::handover}) {
        for (kelias::Language language : {kelias::Language::en, kelias::Language::lt}) {
            auto report = kelias::build_report(c, defs, {.as_of = as_of, .language = language, .variant = variant});
            (void)kelias::format(report.diagnostics());
            if (!report) break;
            check_html(kelias::to_html(*report), c.id);
            (void)kelias::to_markdown(*report);
            (void)kelias::to_json(*report);
        }
    }
    const std::vector<kelias::CaseInput> cases = {c};
    auto unit = kelias::build_unit_report(cases, overrides.records, defs, {.as_of = *as_of});
    if (unit) {
        check_html(kelias::to_html(*unit), "");
        (void)kelias::to_markdown(*unit);
        (void)kelias::to_json(*unit);
    }
    return 0;
}
