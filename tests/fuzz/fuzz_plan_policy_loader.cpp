// Fuzzes the plan-policy loader: YAML text -> kelias::load_plan_policy, `tests:` included.
// When the text loads, runs its embedded tests, describes it and plans one fixed case (an
// adolescent and an adult assessment, a few decisions and events) in both languages.
//
// The text is named as a file inside the repository's instruments/ folder, so that
// instruments named by a relative path (`file: start_av`) resolve to the shipped ones.
#include <cstddef>
#include <cstdint>
#include <string>

#include <kelias/kelias.hpp>

#include "fuzz_support.hpp"

namespace {

kelias::CaseInput fixed_case() {
    kelias::CaseInput c;
    c.id = "fuzz";
    c.as_of = kelias::parse_date("2025-06-01");
    c.facts = {{"date_of_birth", "2008-03-01"}, {"foreign_national", "true"}};
    c.assessments.push_back({"start_av",
                             kelias::parse_date("2025-05-10"),
                             {{"conduct.vulnerability", "2"},
                              {"conduct.critical", "true"},
                              {"substance_use.vulnerability", "2"},
                              {"school_work.strength", "2"},
                              {"plans.key", "true"},
                              {"violence.estimate", "high"},
                              {"self_injury.estimate", "moderate"}},
                             {}});
    c.assessments.push_back({"start_av",
                             kelias::parse_date("2025-02-10"),
                             {{"violence.estimate", "high"}, {"nonviolent_offending.estimate", "high"}},
                             {}});
    c.assessments.push_back({"start", kelias::parse_date("2025-05-01"), {{"violence.estimate", "low"}}, {}});
    c.events.push_back({"incident", *kelias::parse_date("2025-05-20"), "", "", {}});
    c.events.push_back({"plan_review", *kelias::parse_date("2025-05-21"), "", "", {{"compliance", "true"}}});
    return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::string file_name = kelias::fuzz::source_path("instruments/fuzz.yaml");
    static const kelias::CaseInput c = fixed_case();
    auto loaded = kelias::load_plan_policy(kelias::fuzz::as_text(data, size), file_name);
    (void)kelias::format(loaded.diagnostics());
    if (!loaded) return 0;
    const kelias::PlanPolicy& policy = *loaded;

    (void)kelias::run_plan_policy_tests(policy);
    (void)policy.describe();
    (void)policy.key();
    (void)policy.areas();

    const kelias::Date as_of = *c.as_of;
    const kelias::CaseInput filled = kelias::with_progress_facts(c, policy, as_of);
    kelias::CaseDecisions decisions;
    decisions.rules_key = "fuzz@1";
    for (const char* programme : {"anger_management", "equip", "one_to_one", "substance_abuse", "education", "bcc"}) {
        kelias::ProgrammeDecision d;
        d.programme = programme;
        d.decision = d.programme == "bcc" ? kelias::Decision::undetermined : kelias::Decision::eligible;
        if (d.programme == "bcc") d.missing = {"facts.regime"};
        decisions.decisions.push_back(std::move(d));
    }
    auto made = kelias::plan(filled, decisions, policy, as_of);
    if (made) {
        (void)kelias::to_text(*made, kelias::Language::en);
        (void)kelias::to_text(*made, kelias::Language::lt);
        (void)kelias::to_json(*made);
    }
    return 0;
}
