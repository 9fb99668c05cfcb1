// Fuzzes the rule-set loader: YAML text -> kelias::load_rules, `tests:` included. When the
// text loads, runs its embedded tests, describes it (in both languages), lints it and
// decides one case with no facts.
//
// The text is named as a file inside the repository's instruments/ folder, so that
// instruments named by a relative path (`file: start_av`) resolve to the shipped ones.
#include <cstddef>
#include <cstdint>
#include <string>

#include <kelias/kelias.hpp>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string file_name = kelias::fuzz::source_path("instruments/fuzz.yaml");
    auto loaded = kelias::load_rules(kelias::fuzz::as_text(data, size), file_name);
    (void)kelias::format(loaded.diagnostics());
    if (!loaded) return 0;
    const kelias::RuleSet& rules = *loaded;

    (void)kelias::run_rules_tests(rules);
    (void)rules.describe();
    (void)rules.describe(kelias::Language::lt);
    (void)kelias::to_text(kelias::lint(rules));
    (void)rules.key();
    (void)rules.facts();
    (void)rules.instruments();

    kelias::CaseInput empty;
    empty.id = "fuzz";
    empty.as_of = kelias::parse_date("2025-06-01");
    auto decided = kelias::decide(rules, empty, kelias::fuzz::decide_options(false));
    if (decided) {
        (void)kelias::to_json(*decided, true);
        (void)kelias::to_text(*decided, true);
        (void)kelias::to_text(*decided, {.explain = true, .language = kelias::Language::lt});
    }
    return 0;
}
