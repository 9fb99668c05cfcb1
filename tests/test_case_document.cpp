// Case documents: placements, events and assessment histories read from YAML, JSON and
// JSONL, written back by to_json, and the latest assessment speaking for the case.
#include <doctest/doctest.h>

#include <string>

#include <kelias/case.hpp>
#include <kelias/rules.hpp>

using namespace kelias;

namespace {

const char* rules_text = R"yaml(kelias: 1
kind: rules
id: history_rules
version: "1"
title: History rules
instruments:
  start_av: {file: start_av, max_age: P1Y}
facts:
  regime: {type: category, values: [semi_open, halfway_house]}
programmes:
  - id: low
    requires: [start_av]
    eligible_when:
      all:
        - {id: low_violence, expr: "start_av.violence.estimate == 'low'"}
)yaml";

RuleSet history_rules() {
    auto r = load_rules(rules_text, std::string(KELIAS_SOURCE_DIR) + "/instruments/inline_history.yaml");
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    return *r;
}

const char* document = R"yaml(case: LT-1
as_of: 2025-06-01
facts: {regime: halfway_house}
assessments:
  start_av:
    - {date: 2025-05-01, scores: {violence.estimate: low}}
    - {date: 2025-01-10, scores: {violence.estimate: high}}
placements:
  - {placement: semi_open, from: 2024-06-03, until: 2025-03-01}
  - {placement: halfway_house, from: 2025-03-01}
events:
  - {type: job_started, date: 2025-03-20, role: hwh_staff, by: HW-2, employer: "bakery"}
  - {type: plan_review, date: 2025-04-01, compliance: true}
)yaml";

std::string first_error(std::string_view text) {
    auto parsed = parse_case(text, "case.yaml");
    REQUIRE_FALSE(parsed.ok());
    return format(parsed.diagnostics());
}

Decision low_decision(const CaseInput& c) {
    auto d = decide(history_rules(), c, {.earliest_dates = false, .threads = 1});
    INFO(format(d.diagnostics()));
    REQUIRE(d.ok());
    return d->find("low")->decision;
}

}  // namespace

TEST_CASE("a case document reads placements, events and an assessment history") {
    auto parsed = parse_case(document, "case.yaml");
    INFO(format(parsed.diagnostics()));
    REQUIRE(parsed.ok());
    const CaseInput& c = *parsed;
    REQUIRE(c.placements.size() == 2);
    CHECK(c.placements[0] == PlacementStay{"semi_open", *parse_date("2024-06-03"), parse_date("2025-03-01")});
    CHECK(c.placements[1].until == std::nullopt);
    REQUIRE(current_placement(c) != nullptr);
    CHECK(current_placement(c)->placement == "halfway_house");
    REQUIRE(c.events.size() == 2);
    CHECK(c.events[0].type == "job_started");
    CHECK(c.events[0].role == "hwh_staff");
    CHECK(c.events[0].by == "HW-2");
    CHECK(c.events[0].details == std::map<std::string, std::string>{{"employer", "bakery"}});
    CHECK(c.events[1].details == std::map<std::string, std::string>{{"compliance", "true"}});
    CHECK(c.assessments.size() == 2);
    CHECK(c.places.at(CasePath::event(0, "employer")).line == 12);
    CHECK(c.places.at(CasePath::placement(1)).line == 10);
}

TEST_CASE("the latest assessment on or before as_of speaks for the case") {
    auto parsed = parse_case(document, "case.yaml");
    REQUIRE(parsed.ok());
    CaseInput c = *parsed;
    const AssessmentInput* latest = latest_assessment(c, "start_av", c.as_of);
    REQUIRE(latest);
    CHECK(latest->date == parse_date("2025-05-01"));
    CHECK(latest_assessment(c, "start_av", parse_date("2025-02-01"))->date == parse_date("2025-01-10"));
    // Before every assessment: the earliest, so that the rules see it is not yet valid.
    CHECK(latest_assessment(c, "start_av", parse_date("2024-01-01"))->date == parse_date("2025-01-10"));
    CHECK(latest_assessment(c, "start", c.as_of) == nullptr);

    CHECK(low_decision(c) == Decision::eligible);
    c.as_of = parse_date("2025-02-01");
    CHECK(low_decision(c) == Decision::not_eligible);
}

TEST_CASE("JSONL cases read the latest assessment of a history and skip placements and events") {
    const RuleSet rules = history_rules();
    auto parsed = parse_case(document, "case.yaml");
    REQUIRE(parsed.ok());
    const std::string line = to_json(*parsed);
    CHECK(line.find(R"("placements":[{"placement":"semi_open","from":"2024-06-03","until":"2025-03-01"})") !=
          std::string::npos);
    CHECK(line.find(R"("events":[{"type":"job_started","date":"2025-03-20","role":"hwh_staff","by":"HW-2",)"
                    R"("employer":"bakery"})") != std::string::npos);
    CHECK(line.find(R"("start_av":[{"date":"2025-05-01")") != std::string::npos);

    CaseBatch batch(rules);
    REQUIRE(batch.add_json(line));
    REQUIRE(batch.add_json(line, parse_date("2025-02-01")));
    const DecisionTable table = decide_columns(rules, batch, 1);
    CHECK(table(0, 0) == Decision::eligible);
    CHECK(table(1, 0) == Decision::not_eligible);

    // The document comes back whole from its JSON.
    auto again = parse_case(line, "case.jsonl");
    REQUIRE(again.ok());
    CHECK(to_json(*again) == line);
    CHECK(again->events == parsed->events);
    CHECK(again->placements == parsed->placements);
}

TEST_CASE("JSONL histories are refused without dates and when given twice") {
    const RuleSet rules = history_rules();
    CaseBatch batch(rules);
    auto undated = batch.add_json(
        R"({"case":"A","as_of":"2025-06-01","assessments":{"start_av":[{"scores":{"violence.estimate":"low"}}]}})");
    REQUIRE_FALSE(undated);
    CHECK(undated.problems[0].message ==
          "assessments.start_av[0] has no date (every assessment of a history needs one)");
    auto twice = batch.add_json(R"({"case":"B","as_of":"2025-06-01","assessments":{"start_av":[{"date":"2025-01-01"}],)"
                                R"("start_av":[{"date":"2025-02-01"}]}})");
    REQUIRE_FALSE(twice);
    CHECK(twice.problems[0].code == DiagnosticCode::duplicate_key);
    CHECK(batch.rows() == 0);
}

TEST_CASE("placements and events with the wrong shape are located errors") {
    CHECK(first_error("case: A\nplacements:\n  - {placement: semi_open}\n")
              .find("case.yaml:3:5: error[E703]: placements[0].from is missing") != std::string::npos);
    CHECK(first_error("case: A\nplacements:\n  - {placement: open, from: 2025-03-01, until: 2025-01-01}\n")
              .find("placements[0].until is before its from") != std::string::npos);
    const std::string open_then_more = first_error(
        "case: A\nplacements:\n  - {placement: closed, from: 2024-01-01}\n  - {placement: open, from: 2025-01-01}\n");
    CHECK(open_then_more.find("case.yaml:4:5: error[E703]: placements[1] follows a stay that has not ended (closed)") !=
          std::string::npos);
    CHECK(first_error("case: A\nplacements:\n  - {placement: closed, from: 2025-01-01, until: 2025-02-01}\n"
                      "  - {placement: open, from: 2024-01-01}\n")
              .find("placements[1].from is before the previous stay's") != std::string::npos);
    CHECK(first_error("case: A\nevents:\n  - {date: 2025-01-01}\n").find("events[0].type is missing") !=
          std::string::npos);
    CHECK(first_error("case: A\nevents:\n  - {type: incident, date: 2025-13-01}\n")
              .find("case.yaml:3:28: error[E702]: events[0].date must be a date YYYY-MM-DD") != std::string::npos);
    CHECK(first_error("case: A\nevents:\n  - {type: incident, date: 2025-01-01, detail: [1, 2]}\n")
              .find("events[0].detail") != std::string::npos);
    CHECK(first_error("case: A\nassessments:\n  start_av:\n    - {scores: {violence.estimate: low}}\n")
              .find("assessments.start_av[0] has no date") != std::string::npos);
    CHECK(first_error("case: A\nplacements: {placement: open}\n").find("placements") != std::string::npos);
    // All problems at once.
    const std::string both = first_error("case: A\nplacements:\n  - {from: 2025-01-01}\nevents:\n  - {type: x}\n");
    CHECK(both.find("placements[0].placement is missing") != std::string::npos);
    CHECK(both.find("events[0].date is missing") != std::string::npos);
}
