// Fuzzes the pathway loader: YAML text -> kelias::load_pathway against the shipped LT rule
// set, `tests:` and the checks against the rule set included. When the text loads, the
// pathway is described and asked for the status of one fixed case document (open moves,
// obligations, the next assessment) in both languages.
#include <cstddef>
#include <cstdint>
#include <string>

#include <kelias/kelias.hpp>

#include "fuzz_support.hpp"

namespace {

kelias::CaseInput fixed_case() {
    auto c = kelias::read_case_file(kelias::fuzz::source_path("examples/cases/adult_to_halfway_house.yaml"));
    if (!c) kelias::fuzz::fail("cannot read the fixed case", kelias::format(c.diagnostics()));
    return *c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string file_name = kelias::fuzz::source_path("instruments/fuzz.yaml");
    static const kelias::CaseInput c = fixed_case();
    const kelias::RuleSet& rules = kelias::fuzz::case_rules();
    auto loaded = kelias::load_pathway(kelias::fuzz::as_text(data, size), file_name, rules);
    (void)kelias::format(loaded.diagnostics());
    if (!loaded) return 0;
    const kelias::Pathway& pathway = *loaded;

    auto now = kelias::status(pathway, rules, c, *c.as_of);
    (void)kelias::format(now.diagnostics());
    if (now) {
        (void)kelias::to_text(*now, pathway, kelias::Language::en);
        (void)kelias::to_text(*now, pathway, kelias::Language::lt);
        (void)kelias::to_json(*now);
    }
    return 0;
}
