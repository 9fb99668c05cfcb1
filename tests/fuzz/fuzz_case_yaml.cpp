// Fuzzes the YAML/JSON case-file reader: kelias::parse_case. A case that parses must come
// back unchanged through to_json (its documented round trip), and is then decided against
// instruments/lt_release_pathway.yaml, earliest dates included.
#include <cstddef>
#include <cstdint>
#include <string>

#include <kelias/kelias.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const kelias::RuleSet& rules = kelias::fuzz::case_rules();
    auto parsed = kelias::parse_case(kelias::fuzz::as_text(data, size), "fuzz.yaml");
    (void)kelias::format(parsed.diagnostics());
    if (!parsed) return 0;
    const kelias::CaseInput& c = *parsed;

    const std::string json = kelias::to_json(c);
    auto again = kelias::parse_case(json, "fuzz.jsonl");
    kelias::fuzz::expect(again.ok(), "parse_case(to_json(case)) reads",
                         json + "\n" + kelias::format(again.diagnostics()));
    const std::string json_again = kelias::to_json(*again);
    kelias::fuzz::expect(json_again == json, "parse_case(to_json(case)) is the same case", json + "\n" + json_again);

    auto decided = kelias::decide(rules, c, kelias::fuzz::decide_options(true));
    (void)kelias::format(decided.diagnostics());
    if (decided) {
        (void)kelias::to_json(*decided, true);
        (void)kelias::to_text(*decided, true);
    }
    return 0;
}
