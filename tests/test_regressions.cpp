// Regression tests for defects found by trying the engine as a user and an attacker would.
// Each names the defect it pins; each failed (crash, wrong answer or silent acceptance)
// before the fix.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include <doctest/doctest.h>

#include <kelias/kelias.hpp>

#include "test_support.hpp"

using namespace kelias;
namespace fs = std::filesystem;

namespace {

Result<RuleSet> rules_from(const std::string& body) {
    return load_rules("kelias: 1\nkind: rules\nid: r\nversion: \"1\"\ntitle: t\n" + body, "regression.yaml");
}

CaseInput one_case(std::map<std::string, std::string> facts, const char* as_of = "2025-06-01") {
    CaseInput c;
    c.id = "c";
    c.as_of = parse_date(as_of);
    c.facts = std::move(facts);
    return c;
}

Decision decision_of(const RuleSet& rules, const CaseInput& c, const char* programme) {
    auto decided = decide(rules, c, {.earliest_dates = false, .threads = 1});
    INFO(format(decided.diagnostics()));
    REQUIRE(decided.ok());
    const ProgrammeDecision* d = decided->find(programme);
    REQUIRE(d != nullptr);
    return d->decision;
}

bool has(const std::vector<Diagnostic>& ds, DiagnosticCode code, const std::string& part) {
    return std::any_of(ds.begin(), ds.end(), [&](const Diagnostic& d) {
        return d.code == code && d.message.find(part) != std::string::npos;
    });
}

}  // namespace

TEST_CASE("defect 1: a typo in a condition of a rule set with tests is reported, not a crash") {
    for (const char* condition : {"regime in ['closed', 'semi-open']", "regim == 'closed'"}) {
        CAPTURE(condition);
        auto r = rules_from(
            std::string("facts:\n  regime: {values: [closed, semi_open]}\nprogrammes:\n  - id: p\n    eligible_when: "
                        "{all: [{id: c, expr: \"") +
            condition +
            "\"}]}\ntests:\n  - {name: t, as_of: 2025-01-01, facts: {regime: closed}, expect: {p: eligible}}\n");
        CHECK_FALSE(r.ok());
        CHECK((has(r.error(), DiagnosticCode::code_not_in_scale, "semi-open") ||
               has(r.error(), DiagnosticCode::unknown_name, "regim")));
    }
}

TEST_CASE("defect 2: durations keep their days and refuse what does not fit") {
    CHECK(to_string(*parse_duration("P5000D")) == "P5000D");
    CHECK_FALSE(parse_duration("P999999999W"));
    CHECK_FALSE(parse_duration("P200000000Y"));
    CHECK_FALSE(parse_duration("P100000000000D"));
    auto r = rules_from("facts:\n  length: duration\nprogrammes:\n  - id: long\n    eligible_when: {all: [{id: "
                        "ten_years, expr: \"length >= P10Y\"}]}\n");
    REQUIRE(r.ok());
    // P5000D is 13.7 years: read back as P1M904D it compared as about a year.
    CHECK(decision_of(*r, one_case({{"length", "P5000D"}}), "long") == Decision::eligible);
    CHECK(decision_of(*r, one_case({{"length", "P3000D"}}), "long") == Decision::not_eligible);
    auto decided = decide(*r, one_case({{"length", "P5000D"}}), {.earliest_dates = false});
    REQUIRE(decided.ok());
    CHECK(decided->find("long")->reasons.front().inputs().front().second == "P5000D");
    // In data, a duration out of range is a refused case; in a definition, a located error.
    CaseBatch batch(*r);
    const auto problems = batch.add(one_case({{"length", "P999999999W"}}));
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().message.find("facts.length") == 0);
    auto bad = rules_from("horizon: P200000000Y\nfacts:\n  a: bool\nprogrammes:\n  - id: p\n    eligible_when: {all: "
                          "[{id: c, expr: a}]}\n");
    REQUIRE_FALSE(bad.ok());
    CHECK(has(bad.error(), DiagnosticCode::invalid_value, "P200000000Y"));
    CHECK(bad.error().front().where.line == 6);
}

TEST_CASE("defect 3: date arithmetic with a huge count gives no date, not a wrong one") {
    const Instrument inst = testing::must_load(R"yaml(kelias: 1
id: dates
version: "1"
title: Dates
items:
  - {id: n, type: number}
scores:
  far: {expr: "add_days(date('2020-01-01'), n)"}
  months: {expr: "add_months(date('2020-01-01'), n)"}
  share: {expr: "date_at_fraction(date('2020-01-01'), date('2021-01-01'), n)"}
)yaml");
    for (const char* n : {"1e12", "-1e12", "1e300", "3000000"}) {
        CAPTURE(n);
        CHECK(testing::score_text(inst, {"x", std::nullopt, {{"n", n}}}, "far").empty());
        CHECK(testing::score_text(inst, {"x", std::nullopt, {{"n", n}}}, "months").empty());
        CHECK(testing::score_text(inst, {"x", std::nullopt, {{"n", n}}}, "share").empty());
    }
    CHECK(testing::score_text(inst, {"x", std::nullopt, {{"n", "31"}}}, "far") == "2020-02-01");
    CHECK(testing::score_text(inst, {"x", std::nullopt, {{"n", "1"}}}, "months") == "2020-02-01");
    CHECK(*add_days(Date{0}, 1) == Date{1});
    CHECK_FALSE(add_days(max_date, 1));
    CHECK_FALSE(add(max_date, Duration{0, 1, 0}));
}

TEST_CASE("defect 4: fresh() inside a list aggregate is a load error with a hint, not always unknown") {
    auto r = rules_from(R"yaml(facts:
  penalties:
    list: {date: date}
programmes:
  - id: p
    eligible_when: {all: [{id: none_recent, expr: "not any(penalties, fresh(date, P6M))"}]}
)yaml");
    REQUIRE_FALSE(r.ok());
    CHECK(has(r.error(), DiagnosticCode::type_error, "fresh() cannot be used inside a list aggregate"));
    CHECK(r.error().front().hint.find("date > as_of - P6M") != std::string::npos);
    // The way the hint says works, for recent and old records alike.
    auto fixed = rules_from(R"yaml(facts:
  penalties:
    list: {date: date}
programmes:
  - id: p
    eligible_when: {all: [{id: none_recent, expr: "not any(penalties, date > as_of - P6M)"}]}
)yaml");
    REQUIRE(fixed.ok());
    CaseInput recent = one_case({});
    recent.lists["penalties"] = std::vector<RecordInput>{{{"date", "2025-03-01"}}};
    CaseInput old = one_case({});
    old.lists["penalties"] = std::vector<RecordInput>{{{"date", "2023-03-01"}}};
    CHECK(decision_of(*fixed, recent, "p") == Decision::not_eligible);
    CHECK(decision_of(*fixed, old, "p") == Decision::eligible);
}

TEST_CASE("defect 5: programme and condition ids never collide") {
    auto r = rules_from(R"yaml(facts:
  x: bool
programmes:
  - id: a
    eligible_when: {all: [{id: b__c, expr: "x"}]}
  - id: a__b
    eligible_when: {all: [{id: c, expr: "not x"}]}
  - id: reader
    eligible_when: {all: [{id: d, expr: "eligible('a__b')"}]}
)yaml");
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    const CaseInput c = one_case({{"x", "true"}});
    CHECK(decision_of(*r, c, "a") == Decision::eligible);
    CHECK(decision_of(*r, c, "a__b") == Decision::not_eligible);
    CHECK(decision_of(*r, c, "reader") == Decision::not_eligible);
}

TEST_CASE("defect 6: one JSON writer: escapes every text and writes null for no date") {
    auto r = load_rules(
        "kelias: 1\nkind: rules\nid: r\nversion: '1\"; x'\ntitle: t\nfacts:\n  a: bool\nprogrammes:\n  - id: p\n"
        "    eligible_when: {all: [{id: c, expr: a}]}\n",
        "quote.yaml");
    REQUIRE(r.ok());
    CaseDecisions d;
    d.case_id = "id \"with\" quotes \x01 and \xff bad byte";
    d.rules_key = r->key();
    const std::string json = to_json(d);
    CHECK(json.find(R"("case":"id \"with\" quotes \u0001 and )"
                    "\xEF\xBF\xBD"
                    R"( bad byte")") != std::string::npos);
    CHECK(json.find(R"("as_of":null)") != std::string::npos);
    CHECK(json.find(R"("rules":"r@1\"; x")") != std::string::npos);
}

TEST_CASE("defect 7: scoring a batch built for another instrument is refused") {
    const Instrument start_av = testing::shipped("instruments/start_av.yaml");
    const Instrument start = testing::shipped("instruments/start.yaml");
    RatingsBatch batch(start, 3);
    try {
        (void)score_batch(start_av, batch);
        FAIL("score_batch accepted a batch of another instrument");
    } catch (const Error& e) {
        CHECK(e.diagnostics().front().code == DiagnosticCode::wrong_definition);
    }
    CHECK_THROWS_AS((void)explain(start_av, batch, 0, "strength_total"), Error);
    // The same definition loaded twice is the same instrument.
    RatingsBatch same(testing::shipped("instruments/start_av.yaml"), 1);
    CHECK_NOTHROW((void)score_batch(start_av, same));
}

TEST_CASE("defect 10: a key given twice in a case is refused, whatever the order") {
    const auto rules = load_rules_file(std::string(KELIAS_SOURCE_DIR) + "/instruments/lt_release_pathway.yaml");
    REQUIRE(rules.ok());
    for (const char* facts :
         {"{sexual_offence: true, sexual_offence: false}", "{sexual_offence: false, sexual_offence: true}"}) {
        auto parsed = parse_case(std::string("case: c\nas_of: 2025-06-01\nfacts: ") + facts + "\n", "twice.yaml");
        REQUIRE_FALSE(parsed.ok());
        CHECK(has(parsed.error(), DiagnosticCode::duplicate_key, "facts.sexual_offence"));
        CHECK(parsed.error().front().where.line == 3);
    }
    CaseBatch batch(*rules);
    const auto added =
        batch.add_json(R"({"case":"c","as_of":"2025-06-01","facts":{"sexual_offence":true,"sexual_offence":false}})");
    REQUIRE_FALSE(added);
    CHECK(added.problems.front().code == DiagnosticCode::duplicate_key);
    const auto bad_id = batch.add_json("{\"case\":\"c\xff\",\"as_of\":\"2025-06-01\",\"facts\":{}}");
    REQUIRE_FALSE(bad_id);
    CHECK(bad_id.problems.front().message.find("UTF-8") != std::string::npos);
    CHECK(batch.rows() == 0);
}

TEST_CASE("defect 13: long chains of scores are ordered without recursion, and definitions have a size limit") {
    auto chain = [](int n) {
        std::string yaml =
            "kelias: 1\nid: chain\nversion: \"1\"\ntitle: Chain\nitems:\n  - {id: x, type: number}\nscores:\n";
        for (int i = 0; i < n; ++i)
            yaml +=
                "  s" + std::to_string(i) + ": \"" + (i + 1 < n ? "s" + std::to_string(i + 1) + " + 1" : "x") + "\"\n";
        return yaml;
    };
    auto long_chain = load_instrument(chain(9000), "chain.yaml");
    INFO(format(long_chain.diagnostics()));
    REQUIRE(long_chain.ok());
    CHECK(testing::score_text(*long_chain, {"a", std::nullopt, {{"x", "1"}}}, "s0") == "9000");
    auto explained_batch = RatingsBatch(*long_chain, 1);
    explained_batch.set_value(0, 0, 1);
    CHECK(explain(*long_chain, explained_batch, 0, "s0").ok());  // deep chains are cut, not a stack overflow
    auto too_many = load_instrument(chain(50000), "chain.yaml");
    REQUIRE_FALSE(too_many.ok());
    CHECK(has(too_many.error(), DiagnosticCode::limit_exceeded, "more than 10000"));
}

TEST_CASE("defect 14: dates are years 0001-9999, and an empty definition is placed at 1:1") {
    CHECK_FALSE(parse_date("-001-01-01"));
    CHECK_FALSE(parse_date("0000-01-01"));
    CHECK_FALSE(parse_date("+202-01-01"));
    CHECK(parse_date("0001-01-01") == min_date);
    CHECK(parse_date("9999-12-31") == max_date);
    for (const char* text : {"", "\n", "# only a comment\n"}) {
        auto empty = load_instrument(text, "empty.yaml");
        REQUIRE_FALSE(empty.ok());
        CHECK(empty.error().front().where.line == 1);
        CHECK(empty.error().front().where.column == 1);
    }
}

TEST_CASE("defect 14: a case file's fact problems are E601, at the fact") {
    const auto rules = load_rules_file(std::string(KELIAS_SOURCE_DIR) + "/instruments/lt_release_pathway.yaml");
    REQUIRE(rules.ok());
    auto parsed =
        parse_case("case: c\nas_of: 2025-06-01\nfacts:\n  regime: closed\n  sexual_offence: maybe\n", "case.yaml");
    REQUIRE(parsed.ok());
    auto decided = decide(*rules, *parsed);
    REQUIRE_FALSE(decided.ok());
    const Diagnostic& d = decided.error().front();
    CHECK(d.code == DiagnosticCode::case_mismatch);
    CHECK(d.where.file == "case.yaml");
    CHECK(d.where.line == 5);
    CHECK(d.where.column == 19);
    CHECK(d.message == "facts.sexual_offence: expected true or false");
}

TEST_CASE("defect 14: long values are cut in messages") {
    const std::string huge(100000, 'X');  // not an id: upper case
    auto r = load_instrument("kelias: 1\nid: " + huge + "\nversion: '1'\ntitle: t\nitems: []\n", "huge.yaml");
    REQUIRE_FALSE(r.ok());
    for (const auto& d : r.error()) CHECK(d.message.size() < 400);
}

TEST_CASE("Result: a failure's value throws with the diagnostics - value_or falls back") {
    auto bad = load_instrument("kelias: 1\n", "bad.yaml");
    REQUIRE_FALSE(bad.ok());
    CHECK_THROWS_AS((void)bad.value(), Error);
    CHECK_THROWS_AS((void)*bad, Error);
    const Instrument fallback = testing::shipped("instruments/start_av.yaml");
    CHECK(bad.value_or(fallback).id() == "start_av");
    const auto missing = fallback.find_field("copin.strength");
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().front().code == DiagnosticCode::unknown_column);
    CHECK(missing.error().front().hint == "did you mean 'coping.strength'?");
    CHECK_THROWS_AS((void)*missing, Error);
}

TEST_CASE("defect 12: a ratings file that shrinks while it is read is an error, not SIGBUS") {
    const Instrument tiny = testing::shipped("tests/cli/data/tiny.yaml");
    const fs::path path = fs::temp_directory_path() / ("kelias_shrinking_" + std::to_string(::getpid()) + ".csv");
    {
        std::ofstream out(path, std::ios::binary);
        out << "id,coping.strength\n";
        const std::string row = "P0000000,1\n";
        for (int i = 0; i < 5'000'000; ++i) out << row;  // 55 MB: more than one block
    }
    auto reader = RatingsReader::open(tiny, path.string(), {.chunk_rows = 1000});
    REQUIRE(reader.ok());
    RatingsChunk chunk(tiny);
    auto first = reader->next(chunk);
    REQUIRE(first.ok());
    CHECK(*first == 1000);
    fs::resize_file(path, 1000);
    Result<std::size_t> rows = std::size_t{1};
    for (int i = 0; i < 100000 && rows.ok() && *rows > 0; ++i) rows = reader->next(chunk);
    fs::remove(path);
    REQUIRE_FALSE(rows.ok());
    CHECK(rows.error().front().code == DiagnosticCode::input_changed);
}
