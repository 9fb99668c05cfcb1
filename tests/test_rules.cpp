// Rule sets: three-valued decisions, reasons, missing facts, earliest dates, lists, cycles.
#include <algorithm>
#include <doctest/doctest.h>

#include <kelias/rules.hpp>

using namespace kelias;

namespace {

const std::string rules_file = std::string(KELIAS_SOURCE_DIR) + "/instruments/inline_rules.yaml";

const char* base_rules = R"yaml(kelias: 1
kind: rules
id: test_rules
version: "1"
title: Test rules
instruments:
  start_av: {file: start_av, max_age: P6M}
facts:
  a: bool
  b: bool
  x: bool
  sentence_start: date
  sentence_end: date
  category: {type: category, values: [minor, grave]}
  length: duration
  penalties:
    list: {date: date, active: bool}
params:
  share: {value: 0.25, source: "test source", confidence: secondary}
  window: {value: P6M, confidence: unverified}
programmes:
  - id: both
    kind: placement
    eligible_when:
      all:
        - {id: a_holds, expr: "a", source: "rule A", confidence: verified}
        - {id: b_holds, expr: "b"}
    excluded_when:
      any:
        - {id: x_excludes, expr: "x"}
  - id: either
    eligible_when:
      any:
        - {id: a_holds, expr: "a"}
        - {id: b_holds, expr: "b"}
  - id: neither
    eligible_when:
      not: {any: [{id: a_holds, expr: "a"}, {id: b_holds, expr: "b"}]}
  - id: served
    eligible_when:
      all:
        - {id: quarter, expr: "as_of >= date_at_fraction(sentence_start, sentence_end, params.share)"}
  - id: clean
    eligible_when:
      all:
        - {id: no_active, expr: "count(penalties, active) == 0"}
        - {id: none_recent, expr: "count(penalties, date > as_of - params.window) == 0"}
  - id: short_sentence
    eligible_when:
      all:
        - {id: short, expr: "length <= P6M"}
        - {id: minor, expr: "category == 'minor'"}
  - id: assessed_low
    requires: [start_av]
    eligible_when:
      all:
        - {id: low_violence, expr: "start_av.violence.estimate == 'low'"}
  - id: either_or_later
    eligible_when:
      any:
        - {id: later, expr: "as_of >= date('2026-01-01')"}
        - {id: flag, expr: "a"}
  - id: follows
    eligible_when:
      all:
        - {id: after_both, expr: "eligible('both')"}
)yaml";

RuleSet must_load_rules(const std::string& text = base_rules) {
    auto r = load_rules(text, rules_file);
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    return *r;
}

CaseInput make_case(std::map<std::string, std::string> facts, const char* as_of = "2025-06-01") {
    CaseInput c;
    c.id = "c1";
    c.as_of = parse_date(as_of);
    c.facts = std::move(facts);
    return c;
}

Decision decision_of(const RuleSet& rules, const CaseInput& c, const char* programme) {
    auto d = decide(rules, c);
    INFO(format(d.diagnostics()));
    REQUIRE(d.ok());
    return d->find(programme)->decision;
}

const char* values[] = {"true", "false", ""};

}  // namespace

TEST_CASE("decisions follow three-valued logic for all, any, not and exclusions") {
    RuleSet rules = must_load_rules();
    const Decision E = Decision::eligible, N = Decision::not_eligible, U = Decision::undetermined;
    // rows a, columns b (true, false, unknown)
    const Decision both[3][3] = {{E, N, U}, {N, N, N}, {U, N, U}};
    const Decision either[3][3] = {{E, E, E}, {E, N, U}, {E, U, U}};
    const Decision neither[3][3] = {{N, N, N}, {N, E, U}, {N, U, U}};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            CaseInput c = make_case({{"a", values[i]}, {"b", values[j]}, {"x", "false"}});
            INFO("a=" << values[i] << " b=" << values[j]);
            CHECK(decision_of(rules, c, "both") == both[i][j]);
            CHECK(decision_of(rules, c, "either") == either[i][j]);
            CHECK(decision_of(rules, c, "neither") == neither[i][j]);
        }
    // An exclusion that applies wins over anything unknown; an unknown one leaves it open.
    CHECK(decision_of(rules, make_case({{"a", "true"}, {"x", "true"}}), "both") == N);
    CHECK(decision_of(rules, make_case({{"a", "true"}, {"b", "true"}}), "both") == U);
    CHECK(decision_of(rules, make_case({{"a", "true"}, {"b", "true"}, {"x", "false"}}), "both") == E);
}

TEST_CASE("reasons list every condition, without short-circuit, with values and sources") {
    RuleSet rules = must_load_rules();
    auto d = decide(rules, make_case({{"a", "false"}, {"b", "false"}, {"x", "true"}}));
    REQUIRE(d.ok());
    const ProgrammeDecision* both = d->find("both");
    CHECK(both->decision == Decision::not_eligible);
    REQUIRE(both->reasons.size() == 3);
    CHECK(both->reasons[0].id() == "a_holds");
    CHECK(both->reasons[0].source() == "rule A");
    CHECK(both->reasons[0].value() == false);
    CHECK(both->reasons[0].against());
    CHECK(both->reasons[1].against());  // b also fails: listed too
    CHECK(both->reasons[2].exclusion());
    CHECK(both->reasons[2].against());  // the exclusion applies
    CHECK(both->reasons[0].inputs()[0] == std::pair<std::string, std::string>{"a", "false"});
    CHECK(d->rules_key == "test_rules@1");
    CHECK(d->rules_hash.rfind("sha256:", 0) == 0);
}

TEST_CASE("undetermined names the missing facts by their case-file path") {
    RuleSet rules = must_load_rules();
    auto d = decide(rules, make_case({{"a", "true"}}));
    REQUIRE(d.ok());
    const ProgrammeDecision* both = d->find("both");
    CHECK(both->decision == Decision::undetermined);
    CHECK(both->missing == std::vector<std::string>{"facts.b", "facts.x"});
    // A programme reading another's decision inherits what that one misses.
    CHECK(d->find("follows")->missing == std::vector<std::string>{"facts.b", "facts.x"});
    // A known-false condition decides: nothing is reported missing for an answer that is known.
    auto d2 = decide(rules, make_case({{"a", "false"}}));
    CHECK(d2->find("both")->decision == Decision::not_eligible);
}

TEST_CASE("earliest date: the day before and the day of") {
    RuleSet rules = must_load_rules();
    // 2024-01-01 .. 2025-01-01 is 366 days; a quarter is 91.5 days -> day 92: 2024-04-02.
    auto facts = std::map<std::string, std::string>{{"sentence_start", "2024-01-01"}, {"sentence_end", "2025-01-01"}};
    auto before = decide(rules, make_case(facts, "2024-04-01"));
    REQUIRE(before.ok());
    CHECK(before->find("served")->decision == Decision::not_eligible);
    REQUIRE(before->find("served")->earliest_date);
    CHECK(to_string(*before->find("served")->earliest_date) == "2024-04-02");
    auto on = decide(rules, make_case(facts, "2024-04-02"));
    CHECK(on->find("served")->decision == Decision::eligible);
    CHECK_FALSE(on->find("served")->earliest_date);
    // Missing the end date: undetermined, no date, the fact named.
    auto unknown = decide(rules, make_case({{"sentence_start", "2024-01-01"}}, "2024-04-01"));
    CHECK(unknown->find("served")->decision == Decision::undetermined);
    CHECK_FALSE(unknown->find("served")->earliest_date);
    CHECK(unknown->find("served")->missing == std::vector<std::string>{"facts.sentence_end"});
}

TEST_CASE("earliest date: found on any day up to the horizon, for several programmes at once") {
    // The search runs in windows of growing width; dates on either side of every window
    // edge, on the horizon's last day and just past it.
    RuleSet rules = must_load_rules(R"yaml(kelias: 1
kind: rules
id: dated
version: "1"
title: Dated
facts:
  opens: date
  later: date
programmes:
  - id: first
    eligible_when: {all: [{id: opened, expr: "as_of >= opens"}]}
  - id: second
    eligible_when: {all: [{id: later_opened, expr: "as_of >= later"}]}
)yaml");
    const Date as_of = *parse_date("2025-06-01");
    const int horizon_days = days_between(as_of, *add(as_of, rules.horizon()));
    REQUIRE(horizon_days == 1096);
    for (int k : {1, 2, 32, 33, 96, 97, 224, 225, 480, 481, 992, 993, 1095, 1096, 1097, 1500}) {
        CAPTURE(k);
        const Date opens{as_of.days + k}, later{as_of.days + k + 40};
        auto d = decide(rules, make_case({{"opens", to_string(opens)}, {"later", to_string(later)}}, "2025-06-01"));
        REQUIRE(d.ok());
        const auto* first = d->find("first");
        const auto* second = d->find("second");
        CHECK(first->decision == Decision::not_eligible);
        if (k <= horizon_days) {
            REQUIRE(first->earliest_date);
            CHECK(*first->earliest_date == opens);
        } else {
            CHECK_FALSE(first->earliest_date);
        }
        if (k + 40 <= horizon_days) {
            REQUIRE(second->earliest_date);
            CHECK(*second->earliest_date == later);
        } else {
            CHECK_FALSE(second->earliest_date);
        }
    }
}

TEST_CASE("no earliest date when a failing condition does not depend on time") {
    RuleSet rules = must_load_rules();
    auto d = decide(rules, make_case({{"a", "false"}, {"b", "true"}, {"x", "false"}}));
    CHECK(d->find("both")->decision == Decision::not_eligible);
    CHECK_FALSE(d->find("both")->earliest_date);
}

TEST_CASE("list facts: counts, conditions on records and time windows") {
    RuleSet rules = must_load_rules();
    CaseInput c = make_case({}, "2025-06-01");
    c.lists["penalties"] = std::vector<RecordInput>{{{"date", "2025-03-15"}, {"active", "false"}},
                                                    {{"date", "2024-01-10"}, {"active", "false"}}};
    auto d = decide(rules, c);
    REQUIRE(d.ok());
    const ProgrammeDecision* clean = d->find("clean");
    CHECK(clean->decision == Decision::not_eligible);
    CHECK(clean->reasons[0].value() == true);   // none active
    CHECK(clean->reasons[1].value() == false);  // one in the last 6 months
    REQUIRE(clean->earliest_date);
    CHECK(to_string(*clean->earliest_date) == "2025-09-15");  // the penalty is then 6 months old
    // An active penalty does not expire with time: no date.
    c.lists["penalties"]->at(0)["active"] = "true";
    CHECK_FALSE(decide(rules, c)->find("clean")->earliest_date);
    // No penalties at all; an omitted list is unknown.
    c.lists["penalties"] = std::vector<RecordInput>{};
    CHECK(decision_of(rules, c, "clean") == Decision::eligible);
    c.lists.erase("penalties");
    auto omitted = decide(rules, c);
    CHECK(omitted->find("clean")->decision == Decision::undetermined);
    CHECK(omitted->find("clean")->missing == std::vector<std::string>{"facts.penalties"});
    // A record with an unknown field makes the count unknown.
    c.lists["penalties"] = std::vector<RecordInput>{{{"date", "2020-01-01"}}};
    CHECK(decision_of(rules, c, "clean") == Decision::undetermined);
}

TEST_CASE("duration and category facts") {
    RuleSet rules = must_load_rules();
    CHECK(decision_of(rules, make_case({{"length", "P6M"}, {"category", "minor"}}), "short_sentence") ==
          Decision::eligible);
    CHECK(decision_of(rules, make_case({{"length", "P1Y"}, {"category", "minor"}}), "short_sentence") ==
          Decision::not_eligible);
    CHECK(decision_of(rules, make_case({{"length", "P5M20D"}, {"category", "grave"}}), "short_sentence") ==
          Decision::not_eligible);
}

TEST_CASE("assessments: scored from ratings, required fresh, named when missing") {
    RuleSet rules = must_load_rules();
    CaseInput c = make_case({});
    AssessmentInput a;
    a.instrument = "start_av";
    a.date = parse_date("2025-03-01");
    a.ratings = {{"violence.estimate", "low"}, {"coping.strength", "2"}};
    c.assessments.push_back(a);
    auto d = decide(rules, c);
    INFO(format(d.diagnostics()));
    REQUIRE(d.ok());
    CHECK(d->find("assessed_low")->decision == Decision::eligible);
    REQUIRE(d->assessments.size() == 1);
    CHECK(d->assessments[0].rfind("start_av@", 0) == 0);

    c.assessments[0].date = parse_date("2024-06-01");  // a year old: too old
    auto stale = decide(rules, c);
    CHECK(stale->find("assessed_low")->decision == Decision::undetermined);
    CHECK(stale->find("assessed_low")->missing == std::vector<std::string>{"assessments.start_av"});

    c.assessments.clear();
    auto none = decide(rules, c);
    CHECK(none->find("assessed_low")->decision == Decision::undetermined);
    CHECK(none->find("assessed_low")->missing == std::vector<std::string>{"assessments.start_av"});

    // Results given as scores.
    a.ratings.clear();
    a.scores = {{"violence.estimate", "high"}};
    c.assessments = {a};
    CHECK(decision_of(rules, c, "assessed_low") == Decision::not_eligible);
}

TEST_CASE("bad cases are rejected whole, each problem named") {
    RuleSet rules = must_load_rules();
    CaseBatch batch(rules);
    CaseInput c = make_case({{"a", "maybe"}, {"sentence_end", "2025-13-40"}, {"colour", "red"}});
    auto problems = batch.add(c);
    CHECK(problems.size() == 3);
    CHECK(batch.rows() == 0);
    bool named = false;
    for (const auto& p : problems) named |= p.message.rfind("facts.sentence_end:", 0) == 0;
    CHECK(named);
    CHECK(batch.add(make_case({{"a", "true"}})).empty());
    CHECK(batch.rows() == 1);
}

TEST_CASE("decide_columns matches decide_batch") {
    RuleSet rules = must_load_rules();
    CaseBatch batch(rules);
    for (int i = 0; i < 9; ++i)
        REQUIRE(batch.add(make_case({{"a", values[i / 3]}, {"b", values[i % 3]}, {"x", "false"}})).empty());
    const DecisionTable m = decide_columns(rules, batch, 2);
    auto full = decide_batch(rules, batch, {false, 1});
    for (std::size_t r = 0; r < batch.rows(); ++r)
        for (std::size_t p = 0; p < rules.programmes().size(); ++p)
            CHECK(m(r, p) == full[r].find(rules.programmes()[p].id)->decision);
}

TEST_CASE("rule-set diagnostics: cycles, unknown names, non-bool conditions") {
    std::string cyc = base_rules;
    cyc += R"yaml(  - id: ping
    eligible_when: {all: [{id: p, expr: "eligible('pong')"}]}
  - id: pong
    eligible_when: {all: [{id: q, expr: "eligible('ping')"}]}
)yaml";
    auto r = load_rules(cyc, rules_file);
    REQUIRE_FALSE(r.ok());
    int cycles = 0;
    for (const auto& d : r.diagnostics()) cycles += kelias::code_text(d.code) == "E307";
    CHECK(cycles >= 2);

    std::string bad = base_rules;
    bad.replace(bad.find("expr: \"b\"}"), 10, "expr: \"bb\"}");
    auto r2 = load_rules(bad, rules_file);
    REQUIRE_FALSE(r2.ok());
    CHECK(kelias::code_text(r2.diagnostics()[0].code) == "E301");
    CHECK(r2.diagnostics()[0].hint == "did you mean 'b'?");

    std::string number = base_rules;
    number.replace(number.find("expr: \"a\", source"), 9, "expr: \"1\"");
    auto r3 = load_rules(number, rules_file);
    REQUIRE_FALSE(r3.ok());
    CHECK(kelias::code_text(r3.diagnostics()[0].code) == "E303");

    std::string not_rules = base_rules;
    not_rules.replace(not_rules.find("kind: rules"), 11, "kind: instrument");
    CHECK_FALSE(load_rules(not_rules, rules_file).ok());
}

TEST_CASE("unreadable rule files are E000, folders included") {
    auto folder = load_rules_file(std::string(KELIAS_SOURCE_DIR) + "/instruments");
    REQUIRE_FALSE(folder.ok());
    CHECK(kelias::code_text(folder.diagnostics()[0].code) == "E000");
    auto missing = load_rules_file(std::string(KELIAS_SOURCE_DIR) + "/no/such/rules.yaml");
    REQUIRE_FALSE(missing.ok());
    CHECK(kelias::code_text(missing.diagnostics()[0].code) == "E000");
}

TEST_CASE("a member of a satisfied any-group is not held against the programme") {
    RuleSet rules = must_load_rules();
    auto d = decide(rules, make_case({{"a", "true"}, {"b", "false"}}));
    const ProgrammeDecision* either = d->find("either");
    CHECK(either->decision == Decision::eligible);
    CHECK(either->reasons[1].value() == false);
    CHECK_FALSE(either->reasons[1].against());
    // Failing any-group: every member is against; time can still fix one of them.
    auto later = decide(rules, make_case({{"a", "false"}}, "2025-12-30"));
    const ProgrammeDecision* e = later->find("either_or_later");
    CHECK(e->decision == Decision::not_eligible);
    CHECK(e->reasons[0].against());
    CHECK(e->reasons[1].against());
    REQUIRE(e->earliest_date);
    CHECK(to_string(*e->earliest_date) == "2026-01-01");
    // In a failing all-group, one member time cannot fix means no date.
    auto both = decide(rules, make_case({{"a", "false"}, {"b", "true"}, {"x", "false"}}));
    CHECK_FALSE(both->find("both")->earliest_date);
}

TEST_CASE("durations order by their average length") {
    RuleSet rules = must_load_rules();
    CHECK(decision_of(rules, make_case({{"length", "P180D"}, {"category", "minor"}}), "short_sentence") ==
          Decision::eligible);
    CHECK(decision_of(rules, make_case({{"length", "P200D"}, {"category", "minor"}}), "short_sentence") ==
          Decision::not_eligible);
    CHECK(decision_of(rules, make_case({{"length", "P26W"}, {"category", "minor"}}), "short_sentence") ==
          Decision::eligible);
}

TEST_CASE("explain: a false member of an `any` that holds is 'not met', never 'met'") {
    RuleSet rules = must_load_rules();
    auto d = decide(rules, make_case({{"a", "true"}, {"b", "false"}}), {.earliest_dates = false, .threads = 1});
    REQUIRE(d.ok());
    REQUIRE(d->find("either")->decision == Decision::eligible);
    const std::string text = to_text(*d, TextOptions{.explain = true, .language = Language::en});
    const std::string either = text.substr(text.find("\neither: ELIGIBLE\n"));
    CHECK(either.find("  met:      a  [a_holds]\n") != std::string::npos);
    CHECK(either.find("  not met:  b  [b_holds]\n") != std::string::npos);
    const std::string lt = to_text(*d, TextOptions{.explain = true, .language = Language::lt});
    CHECK(lt.find("netaikoma:   b  [b_holds]") != std::string::npos);
}
