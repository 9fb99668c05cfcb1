// Embedding kelias: decide which programmes a case may enter, and why.
//
//   decide_eligibility [rules.yaml] [case.yaml]
#include <iostream>

#include <kelias/kelias.hpp>

int main(int argc, char** argv) {
    const char* rules_path = argc > 1 ? argv[1] : "instruments/lt_release_pathway.yaml";
    const char* case_path = argc > 2 ? argv[2] : "examples/cases/hwh_eligible_later.yaml";
    auto rules = kelias::load_rules_file(rules_path);
    if (!rules) {
        std::cerr << kelias::format(rules.diagnostics());
        return 1;
    }
    auto input = kelias::read_case_file(case_path);
    if (!input) {
        std::cerr << kelias::format(input.diagnostics());
        return 2;
    }
    auto decided = kelias::decide(*rules, *input);
    if (!decided) {
        std::cerr << kelias::format(decided.diagnostics());
        return 3;
    }
    std::cout << kelias::to_text(*decided);
    const kelias::ProgrammeDecision* hwh = decided->find("halfway_house");
    if (hwh && hwh->earliest_date)
        std::cout << "\nhalfway house from " << kelias::to_string(*hwh->earliest_date) << "\n";
    return 0;
}
