// Rule sets: an instrument chosen by the person's age on as_of (START:AV for adolescents,
// START for adults), each fresh within its own reassessment interval.
#include <algorithm>
#include <doctest/doctest.h>

#include <kelias/rules.hpp>

using namespace kelias;

namespace {

const std::string rules_file = std::string(KELIAS_SOURCE_DIR) + "/instruments/inline_rules.yaml";

const char* by_age_rules = R"yaml(kelias: 1
kind: rules
id: by_age_rules
version: "1"
title: Instrument by age
instruments:
  start_av: {file: start_av}
  start: {file: start}
  risk:
    age_from: date_of_birth
    by_age:
      - {instrument: start_av, below: 18}
      - {instrument: start, from: 18}
facts:
  date_of_birth: date
  reduced: bool
programmes:
  - id: low_risk
    kind: placement
    requires: [risk]
    eligible_when:
      any:
        - {id: violence_low, expr: "risk.violence.estimate == 'low'"}
        - {id: reduced, expr: "reduced"}
  - id: moved_back
    kind: return
    eligible_when:
      all:
        - {id: violence_high, expr: "risk.violence.estimate == 'high'"}
)yaml";

RuleSet must_load(const std::string& text = by_age_rules) {
    auto r = load_rules(text, rules_file);
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    return *r;
}

CaseInput person(const char* born, const char* as_of = "2025-06-01") {
    CaseInput c;
    c.id = "p";
    c.as_of = parse_date(as_of);
    if (born) c.facts["date_of_birth"] = born;
    return c;
}

void assess(CaseInput& c, const char* instrument, const char* date, const char* violence) {
    AssessmentInput a;
    a.instrument = instrument;
    a.date = parse_date(date);
    a.scores = {{"violence.estimate", violence}};
    c.assessments.push_back(a);
}

const ProgrammeDecision& decision(const CaseDecisions& d, const char* programme) {
    const ProgrammeDecision* p = d.find(programme);
    REQUIRE(p != nullptr);
    return *p;
}

std::vector<std::string> problems_of(const std::string& text) {
    auto r = load_rules(text, rules_file);
    std::vector<std::string> out;
    for (const auto& d : r.diagnostics())
        out.push_back(std::string(code_text(d.code)) + " " + std::to_string(d.where.line) + ": " + d.message);
    return out;
}

bool mentions(const std::vector<std::string>& problems, const std::string& what) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const std::string& p) { return p.find(what) != std::string::npos; });
}

}  // namespace

TEST_CASE("by age: an adolescent is read with START:AV") {
    const RuleSet rules = must_load();
    CaseInput c = person("2008-01-10");  // 17 on 2025-06-01
    assess(c, "start_av", "2025-05-01", "low");
    auto d = decide(rules, c);
    INFO(format(d.diagnostics()));
    REQUIRE(d.ok());
    CHECK(decision(*d, "low_risk").decision == Decision::eligible);
    CHECK(decision(*d, "moved_back").decision == Decision::not_eligible);
}

TEST_CASE("by age: an adult with only START:AV is undetermined and START is named missing") {
    const RuleSet rules = must_load();
    CaseInput c = person("1990-01-10");
    assess(c, "start_av", "2025-05-01", "low");
    auto d = decide(rules, c);
    REQUIRE(d.ok());
    const auto& p = decision(*d, "low_risk");
    CHECK(p.decision == Decision::undetermined);
    CHECK(p.missing == std::vector<std::string>{"assessments.start", "facts.reduced"});
    // The START:AV rating of an adult is not an input of the decision.
    for (const auto& r : p.reasons)
        for (const auto& [name, value] : r.inputs()) CHECK(name.rfind("start_av.", 0) != 0);
    CHECK(decision(*d, "moved_back").decision == Decision::undetermined);
    CHECK(decision(*d, "moved_back").missing == std::vector<std::string>{"assessments.start"});

    assess(c, "start", "2025-05-01", "high");
    auto with_start = decide(rules, c);
    REQUIRE(with_start.ok());
    CHECK(decision(*with_start, "low_risk").decision == Decision::undetermined);  // risk high, reduced unknown
    CHECK(decision(*with_start, "moved_back").decision == Decision::eligible);
    c.facts["reduced"] = "false";
    CHECK(decision(*decide(rules, c), "low_risk").decision == Decision::not_eligible);
}

TEST_CASE("by age: the 18th birthday switches the instrument") {
    const RuleSet rules = must_load();
    CaseInput c = person("2007-06-01");  // 18 on 2025-06-01
    assess(c, "start_av", "2025-05-01", "low");
    CHECK(decision(*decide(rules, c), "low_risk").decision == Decision::undetermined);
    c.as_of = parse_date("2025-05-31");  // still 17
    CHECK(decision(*decide(rules, c), "low_risk").decision == Decision::eligible);
}

TEST_CASE("by age: without a date of birth the date of birth is missing, not an assessment") {
    const RuleSet rules = must_load();
    CaseInput c = person(nullptr);
    assess(c, "start", "2025-05-01", "low");
    auto d = decide(rules, c);
    REQUIRE(d.ok());
    CHECK(decision(*d, "low_risk").decision == Decision::undetermined);
    CHECK(decision(*d, "low_risk").missing == std::vector<std::string>{"facts.date_of_birth", "facts.reduced"});
}

TEST_CASE("by age: each instrument is fresh within its own reassessment interval") {
    const RuleSet rules = must_load();
    // START and START:AV both ask for a reassessment every three months.
    CaseInput c = person("1990-01-10");
    assess(c, "start", "2025-03-01", "low");  // exactly three months before 2025-06-01
    CHECK(decision(*decide(rules, c), "low_risk").decision == Decision::eligible);
    c.assessments[0].date = parse_date("2025-02-28");
    auto stale = decide(rules, c);
    CHECK(decision(*stale, "low_risk").decision == Decision::undetermined);
    CHECK(decision(*stale, "low_risk").missing == std::vector<std::string>{"assessments.start", "facts.reduced"});
}

TEST_CASE("by age: requires names the choice in the rule set's description") {
    const RuleSet rules = must_load();
    const std::string text = rules.describe();
    CHECK(text.find("reads 'risk' as the instrument for the age on as_of (from date_of_birth): start_av 0-17 "
                    "start 18+") != std::string::npos);
    const auto& p = rules.programmes()[0];
    REQUIRE(!p.conditions.empty());
    CHECK(p.conditions[0].id == "requires_risk");
    CHECK(p.kind == "placement");
    CHECK(rules.programmes()[1].kind == "return");
}

TEST_CASE("by age: results only one instrument has are refused through the choice, with a hint") {
    std::string text = by_age_rules;
    text.replace(text.find("risk.violence.estimate == 'high'"), 32, "risk.nonviolent_offending.estimate == 'high'");
    const auto problems = problems_of(text);
    REQUIRE_FALSE(problems.empty());
    CHECK(problems[0].rfind("E301", 0) == 0);
    CHECK(mentions(problems, "'risk.nonviolent_offending.estimate' is not a result of every instrument"));
    auto r = load_rules(text, rules_file);
    CHECK(r.diagnostics()[0].hint.find("start_av.nonviolent_offending.estimate") != std::string::npos);
}

TEST_CASE("by age: malformed choices are located, all at once") {
    std::string text = by_age_rules;
    const std::string good = "      - {instrument: start_av, below: 18}\n      - {instrument: start, from: 18}\n";
    text.replace(text.find(good), good.size(),
                 "      - {instrument: start_avv, below: 18}\n      - {instrument: start, from: 17, below: 90}\n");
    text.replace(text.find("age_from: date_of_birth"), 23, "age_from: reduced");
    const auto problems = problems_of(text);
    CHECK(mentions(problems, "fact 'reduced' is not a date"));
    CHECK(mentions(problems, "'start_avv' is not an instrument listed under 'instruments'"));
    CHECK(mentions(problems, "age ranges must follow each other"));
    CHECK(mentions(problems, "has an upper age limit"));
    // Every problem carries its line.
    for (const auto& p : problems) CHECK(p.find(" 0:") == std::string::npos);

    std::string unknown_fact = by_age_rules;
    unknown_fact.replace(unknown_fact.find("age_from: date_of_birth"), 23, "age_from: born");
    CHECK(mentions(problems_of(unknown_fact), "'born' is not a fact of this rule set"));

    std::string one = by_age_rules;
    one.replace(one.find(good), good.size(), "      - {instrument: start}\n");
    CHECK(mentions(problems_of(one), "by_age needs at least two alternatives"));

    std::string kind = by_age_rules;
    kind.replace(kind.find("kind: return"), 12, "kind: retrun");
    auto r = load_rules(kind, rules_file);
    REQUIRE_FALSE(r.ok());
    CHECK(r.diagnostics()[0].hint == "did you mean 'return'?");
}

TEST_CASE("by age: the choice is part of the public description of the rule set") {
    const RuleSet rules = must_load();
    const auto choices = rules.instruments_by_age();
    REQUIRE(choices.size() == 1);
    CHECK(choices[0].id == "risk");
    CHECK(choices[0].birth_fact == "date_of_birth");
    REQUIRE(choices[0].ranges.size() == 2);
    CHECK(choices[0].ranges[0].below == std::optional<int>(18));
    CHECK_FALSE(choices[0].ranges[1].below.has_value());
    REQUIRE(choices[0].instrument_for(17) != nullptr);
    CHECK(*choices[0].instrument_for(17) == "start_av");
    CHECK(*choices[0].instrument_for(18) == "start");
    CHECK(*choices[0].instrument_for(70) == "start");
    CHECK(choices[0].instrument_for(-1) == nullptr);
}
