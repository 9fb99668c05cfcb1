// Fuzzes the pathway event reader: YAML/JSON text -> kelias::parse_pathway_event, then
// kelias::apply to a fixed case document with the shipped pathway and rule set. A refused
// event must leave the case as it was; an applied one must give a case document that
// reads back unchanged through to_json.
#include <cstddef>
#include <cstdint>
#include <string>

#include <kelias/kelias.hpp>

#include "fuzz_support.hpp"

namespace {

struct Fixture {
    kelias::Pathway pathway;
    kelias::CaseInput case_document;
};

Fixture load_fixture() {
    auto pathway = kelias::load_pathway_file(kelias::fuzz::source_path("instruments/lt_pathway.yaml"),
                                             &kelias::fuzz::case_rules());
    if (!pathway) kelias::fuzz::fail("cannot load lt_pathway", kelias::format(pathway.diagnostics()));
    auto c = kelias::read_case_file(kelias::fuzz::source_path("examples/cases/adult_to_halfway_house.yaml"));
    if (!c) kelias::fuzz::fail("cannot read the fixed case", kelias::format(c.diagnostics()));
    return {*pathway, *c};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Fixture fixture = load_fixture();
    const kelias::RuleSet& rules = kelias::fuzz::case_rules();
    auto event = kelias::parse_pathway_event(kelias::fuzz::as_text(data, size), "fuzz.yaml");
    (void)kelias::format(event.diagnostics());
    if (!event) return 0;

    auto outcome = kelias::apply(fixture.pathway, rules, fixture.case_document, *event);
    (void)kelias::format(outcome.diagnostics());
    if (!outcome) return 0;
    (void)kelias::to_text(*outcome, fixture.pathway, kelias::Language::en);
    (void)kelias::to_text(*outcome, fixture.pathway, kelias::Language::lt);
    (void)kelias::to_json(*outcome);

    const std::string before = kelias::to_json(fixture.case_document);
    const std::string after = kelias::to_json(outcome->case_document);
    if (!outcome->applied) {
        kelias::fuzz::expect(after == before, "a refused event changes nothing", after);
        return 0;
    }
    auto again = kelias::parse_case(after, "fuzz.json");
    kelias::fuzz::expect(again.ok(), "the new case document reads back",
                         after + "\n" + kelias::format(again.diagnostics()));
    kelias::fuzz::expect(kelias::to_json(*again) == after, "the new case document reads back unchanged", after);
    return 0;
}
