// CaseBatch::add_json: JSON cases read straight into columns, with the same checks and
// results as CaseBatch::add, and malformed JSON refused with its column.
#include <algorithm>
#include <doctest/doctest.h>

#include <fstream>
#include <random>
#include <sstream>

#include <kelias/rules.hpp>

#include "base/json_scanner.hpp"
#include "test_support.hpp"

using namespace kelias;
using kelias::testing::lt_rules;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// Every decision of every row, with reasons, missing facts and earliest dates.
std::vector<std::string> decided(const RuleSet& rules, const CaseBatch& batch) {
    std::vector<std::string> out;
    for (const auto& d : decide_batch(rules, batch)) out.push_back(to_json(d, true));
    return out;
}

std::string problems_of(const JsonCaseAdded& added) {
    std::string out;
    for (const auto& p : added.problems) out += (out.empty() ? "" : "; ") + p.message;
    return out;
}

}  // namespace

TEST_CASE("add_json decides the example cases exactly as add does") {
    const RuleSet& rules = lt_rules();
    CaseBatch by_input(rules), by_json(rules);
    const std::string dir = std::string(KELIAS_SOURCE_DIR) + "/examples/cases/";
    for (const char* file : {"hwh_eligible_now.yaml", "hwh_eligible_later.yaml", "missing_facts.yaml"}) {
        auto parsed = parse_case(read_file(dir + file), file);
        REQUIRE(parsed.ok());
        CaseInput c = *parsed;
        if (!c.as_of) c.as_of = parse_date("2025-06-01");
        REQUIRE(by_input.add(c).empty());
        const std::string line = to_json(c);
        INFO(line);
        const JsonCaseAdded added = by_json.add_json(line);
        CHECK_MESSAGE(added, problems_of(added));
        CHECK(added.case_id == c.id);
    }
    std::istringstream lines(read_file(dir + "batch.jsonl"));
    std::string line;
    int refused = 0;
    while (std::getline(lines, line)) {
        auto c = parse_case(line, "batch.jsonl");
        const bool ok_by_input = c.ok() && c->as_of && by_input.add(*c).empty();
        const JsonCaseAdded added = by_json.add_json(line);
        INFO(line);
        CHECK(bool(added) == ok_by_input);
        refused += !added;
    }
    CHECK(refused == 1);  // the bad line 7 of the example
    REQUIRE(by_json.rows() == by_input.rows());
    CHECK(decided(rules, by_json) == decided(rules, by_input));
}

TEST_CASE("add_json: any order of members, escapes, nulls and omitted facts read as add reads them") {
    const RuleSet& rules = lt_rules();
    std::mt19937 rng(20261123);
    const std::vector<std::pair<std::string, std::vector<std::string>>> facts = {
        {"regime", {"closed", "semi_open", "open", "halfway_house", "probation"}},
        {"crime_category", {"minor", "less_serious", "serious", "grave"}},
        {"sentence_start", {"2023-01-15", "2024-06-03", "2024-02-29"}},
        {"sentence_end", {"2026-01-15", "2027-06-03", "2025-03-01"}},
        {"earliest_parole_date", {"2025-03-01", "2025-12-03"}},
        {"plan_compliance", {"true", "false"}},
        {"risk_reduced", {"true", "false"}},
        {"sexual_offence", {"true", "false"}},
        {"custodial", {"true", "false"}},
        {"convictions_last_5y", {"0", "2", "5"}},
        {"date_of_birth", {"2008-05-01", "1990-11-30"}},
    };
    CaseBatch by_input(rules), by_json(rules);
    for (int n = 0; n < 300; ++n) {
        CaseInput c;
        c.id = "C-" + std::to_string(n) + (n % 7 == 0 ? "\t\"quoted\"" : "");
        c.as_of = parse_date(n % 2 ? "2025-06-01" : "2025-09-30");
        for (const auto& [name, values] : facts)
            if (rng() % 5 != 0) c.facts[name] = values[rng() % values.size()];  // a fifth omitted
        if (rng() % 4 != 0) {
            std::vector<RecordInput> penalties(rng() % 3);
            for (auto& p : penalties) {
                if (rng() % 3) p["date"] = "2025-0" + std::to_string(1 + rng() % 9) + "-1" + std::to_string(rng() % 9);
                if (rng() % 3) p["active"] = rng() % 2 ? "true" : "false";
            }
            c.lists["penalties"] = penalties;
        } else if (rng() % 2) {
            c.lists["penalties"] = std::nullopt;
        }
        if (rng() % 5 != 0) {
            AssessmentInput a;
            a.instrument = "start_av";
            a.date = parse_date(rng() % 2 ? "2025-05-12" : "2024-01-02");
            const char* levels[] = {"low", "moderate", "high"};
            if (rng() % 4) a.scores["violence.estimate"] = levels[rng() % 3];
            if (rng() % 4) a.scores["nonviolent_offending.estimate"] = levels[rng() % 3];
            c.assessments.push_back(a);
        }
        REQUIRE(by_input.add(c).empty());
        std::string line = to_json(c);
        // Another member order every few cases, so the remembered layout must be let go of.
        if (n % 3 == 0 && line.find("\"regime\"") != std::string::npos && !c.facts.count("risk_reduced")) {
            const auto at = line.find("\"facts\":{") + 9;
            line.insert(at, "\"risk_reduced\":null,");  // null: omitted, as when it is not there
        }
        if (n % 5 == 0) {  // an escaped spelling of the same text, and spaces between tokens
            for (std::string from : {"\"closed\"", "\"minor\""}) {
                const auto at = line.find(from);
                if (at != std::string::npos)
                    line.replace(at + 1, 1, "\\u00" + std::string(from[1] == 'c' ? "63" : "6d"));
            }
            line = " " + line + " \r";
        }
        INFO(line);
        const JsonCaseAdded added = by_json.add_json(line);
        REQUIRE_MESSAGE(added, problems_of(added));
        CHECK(added.case_id == c.id);
    }
    CHECK(decided(rules, by_json) == decided(rules, by_input));
}

TEST_CASE("add_json: a refused case leaves nothing behind for the next one") {
    const RuleSet& rules = lt_rules();
    CaseBatch batch(rules);
    const auto refused = batch.add_json(
        R"({"case":"bad","as_of":"2025-06-01","facts":{"plan_compliance":true,"penalties":[{"active":true}],"regime":"nowhere"},)"
        R"("assessments":{"start_av":{"date":"2025-05-01","scores":{"violence.estimate":"high"}}}})");
    CHECK_FALSE(refused);
    CHECK(refused.case_id == "bad");
    CHECK(batch.rows() == 0);
    REQUIRE(batch.add_json(R"({"case":"good","as_of":"2025-06-01","facts":{"regime":"closed"}})"));
    REQUIRE(batch.rows() == 1);
    const auto d = decide_batch(rules, batch).front();
    CHECK(d.assessments.empty());  // the refused case's assessment is not carried over
    const ProgrammeDecision* hwh = d.find("halfway_house");
    REQUIRE(hwh != nullptr);
    CHECK(hwh->decision == Decision::undetermined);
    const auto& missing = hwh->missing;
    CHECK(std::find(missing.begin(), missing.end(), "facts.plan_compliance") != missing.end());
    CHECK(std::find(missing.begin(), missing.end(), "facts.penalties") != missing.end());
}

TEST_CASE("add_json names every problem of a case by its path") {
    const RuleSet& rules = lt_rules();
    CaseBatch batch(rules);
    const auto added = batch.add_json(
        R"({"case":"P1","as_of":"2025-06-01","facts":{"regim":"closed","plan_compliance":"maybe","penalties":[{"dat":"2025-01-01"},{"date":"soon"}],)"
        R"("custodial":[]},"assessments":{"start_av":{"scores":{"violence.estimat":"low","nonviolent_offending.estimate":"extreme"}},"psa":{}}})");
    CHECK_FALSE(added);
    const std::string all = problems_of(added);
    CHECK(all.find("facts.regim: the rules have no such fact") != std::string::npos);
    CHECK(all.find("facts.plan_compliance: expected true or false") != std::string::npos);
    CHECK(all.find("facts.penalties[0].dat: no such field") != std::string::npos);
    CHECK(all.find("facts.penalties[1].date: expected a date YYYY-MM-DD") != std::string::npos);
    CHECK(all.find("facts.custodial: the rules have no such list") != std::string::npos);
    CHECK(all.find("assessments.start_av.scores.violence.estimat: start_av@") != std::string::npos);
    CHECK(all.find("assessments.start_av.scores.nonviolent_offending.estimate: not one of the field's codes") !=
          std::string::npos);
    CHECK(all.find("assessments.psa: the rules read no such instrument") != std::string::npos);
    CHECK(added.problems.front().hint.find("regime") != std::string::npos);  // did you mean
    CHECK(batch.rows() == 0);
}

TEST_CASE("add_json refuses the wrong shapes and malformed JSON, with the column") {
    const RuleSet& rules = lt_rules();
    CaseBatch batch(rules);
    auto refusal = [&](const std::string& line) {
        const auto added = batch.add_json(line, parse_date("2025-06-01"));
        REQUIRE(added.problems.size() == 1);
        return added.problems.front().message;
    };
    CHECK(refusal("not json") == "not valid JSON: expected a value at column 1");
    CHECK(refusal(R"({"case":"A" "facts":{}})") == "not valid JSON: expected ',' or '}' at column 13");
    CHECK(refusal(R"({"case":"A"} extra)") == "not valid JSON: unexpected text after the value at column 14");
    CHECK(refusal(R"({"case":"A","facts":{"regime":"clo\sed"}})") ==
          "not valid JSON: unknown escape in a string at column 36");
    CHECK(refusal(R"({"case":"A","facts":{"regime":"\ud800"}})") ==
          "not valid JSON: unpaired surrogate in \\u escape at column 38");
    CHECK(refusal("{\"case\":\"A\tB\"}") == "not valid JSON: control character in a string (escape it) at column 11");
    CHECK(refusal(R"({"case":"A","facts":{"convictions_last_5y":01}})") ==
          "not valid JSON: expected ',' or '}' at column 45");
    CHECK(refusal(R"({"case":"A")") == "not valid JSON: unterminated object at column 12");
    CHECK(refusal(R"({"case":"A","description":)" + std::string(100, '[')) ==
          "not valid JSON: nested too deeply at column 90");
    CHECK(refusal("[1, 2]") == "a case must be a JSON object");
    CHECK(refusal(R"({"case":"A","facts":[]})") == "facts must be an object");
    CHECK(refusal(R"({"case":"A","facts":{"regime":{"x":1}}})") == "facts.regime must be a value or a list of records");
    CHECK(refusal(R"({"case":"A","facts":{"penalties":[{"date":["2025-01-01"]}]}})") ==
          "facts.penalties[].date must be a single value");
    CHECK(refusal(R"({"case":"A","facts":{"penalties":[3]}})") == "facts.penalties[] must be an object");
    CHECK(refusal(R"({"case":"A","assessments":{"start_av":{"date":"yesterday"}}})") ==
          "assessments.start_av.date must be a date YYYY-MM-DD");
    CHECK(refusal(R"({"case":"A","assessments":{"start_av":{"rater":"x"}}})") ==
          "assessments.start_av: unknown key 'rater'");
    CHECK(refusal(R"({"case":"A","as_of":"2025-13-01"})") == "as_of must be a date YYYY-MM-DD");
    CHECK(refusal(R"({"case":"A","extra":1})") ==
          "unknown key 'extra' (a case has case, as_of, facts, assessments, placements, events)");
    CHECK(batch.rows() == 0);
}

TEST_CASE("add_json: as_of from the case or the batch, never neither") {
    const RuleSet& rules = lt_rules();
    CaseBatch batch(rules);
    const auto none = batch.add_json(R"({"case":"A","facts":{}})");
    REQUIRE(none.problems.size() == 1);
    CHECK(none.problems.front().message == "as_of: missing");
    CHECK(batch.add_json(R"({"case":"B","as_of":"2025-01-02","facts":{}})"));
    CHECK(batch.add_json(R"({"case":"C","as_of":"2025-01-02"})", parse_date("2026-03-04")));
    REQUIRE(batch.rows() == 2);
    CHECK(batch.as_of(0) == parse_date("2025-01-02"));
    CHECK(batch.as_of(1) == parse_date("2026-03-04"));  // the batch's date wins
}

TEST_CASE("add_json: scores given beside ratings win, whatever their order") {
    const RuleSet& rules = lt_rules();
    auto parsed =
        parse_case(read_file(std::string(KELIAS_SOURCE_DIR) + "/examples/cases/hwh_eligible_now.yaml"), "now.yaml");
    REQUIRE(parsed.ok());
    CaseInput c = *parsed;
    REQUIRE(!c.assessments.empty());
    REQUIRE(!c.assessments.front().ratings.empty());
    c.as_of = parse_date("2025-06-01");
    c.assessments.front().scores["violence.estimate"] = "high";
    CaseBatch by_input(rules), by_json(rules);
    REQUIRE(by_input.add(c).empty());
    std::string line = to_json(c);
    // Move "scores" before "ratings" in the text.
    const auto ratings = line.find(",\"ratings\":{");
    const auto scores = line.find(",\"scores\":{");
    REQUIRE(ratings < scores);
    const std::string scores_part = line.substr(scores, line.find('}', scores) + 1 - scores);
    line.erase(scores, scores_part.size());
    line.insert(ratings, scores_part);
    INFO(line);
    REQUIRE(by_json.add_json(line));
    const auto a = decide_batch(rules, by_input).front(), b = decide_batch(rules, by_json).front();
    CHECK(to_json(a, true) == to_json(b, true));
    CHECK(to_json(b, true).find("high") != std::string::npos);
}

TEST_CASE("JsonScanner: numbers as spelled, literals, and unicode escapes as UTF-8") {
    detail::JsonScanner json(R"({"a":-0.5e+3,"b":true,"c":null,"d":"\u00e9\ud83d\ude00\n","e":[1,{"x":[]}]})");
    REQUIRE(json.enter_object());
    bool first = true;
    std::string_view key;
    std::vector<std::string> seen;
    while (json.next_key(first, key)) {
        if (key == "e") {
            CHECK(json.skip_value());
            seen.push_back("e skipped");
            continue;
        }
        std::optional<std::string_view> text;
        REQUIRE(json.read_scalar(text));
        seen.push_back(std::string(key) + "=" + (text ? std::string(*text) : "null"));
    }
    CHECK_FALSE(json.failed());
    CHECK(json.finish());
    CHECK(seen ==
          std::vector<std::string>{"a=-0.5e+3", "b=true", "c=null", "d=\xC3\xA9\xF0\x9F\x98\x80\n", "e skipped"});
}

TEST_CASE("to_json writes a case that reads back the same, typed where JSON allows") {
    CaseInput c;
    c.id = "LT \"7\"";
    c.as_of = parse_date("2025-06-01");
    c.facts = {{"plan_compliance", "true"},
               {"convictions_last_5y", "3"},
               {"regime", "closed"},
               {"code", "007"},
               {"note", "a\nb"}};
    c.lists["penalties"] = std::vector<RecordInput>{{{"date", "2025-01-02"}, {"active", "false"}}, {}};
    c.lists["transfers"] = std::nullopt;
    AssessmentInput a;
    a.instrument = "start_av";
    a.date = parse_date("2025-05-01");
    a.scores["violence.estimate"] = "low";
    a.ratings["coping.strength"] = "2";
    c.assessments.push_back(a);
    const std::string line = to_json(c);
    CHECK(line.find('\n') == std::string::npos);
    CHECK(line.find("\"plan_compliance\":true") != std::string::npos);
    CHECK(line.find("\"convictions_last_5y\":3") != std::string::npos);
    CHECK(line.find("\"code\":\"007\"") != std::string::npos);  // 007 is not a JSON number
    CHECK(line.find("\"transfers\":null") != std::string::npos);
    auto back = parse_case(line, "line.json");
    REQUIRE_MESSAGE(back.ok(), format(back.diagnostics()));
    CHECK(back->id == c.id);
    CHECK(back->as_of == c.as_of);
    // An omitted list is written `null`, which parse_case keeps as an empty fact: omitted too.
    auto facts = c.facts;
    facts["transfers"] = "";
    CHECK(back->facts == facts);
    REQUIRE(back->lists.count("penalties") == 1);
    CHECK(back->lists.at("penalties") == c.lists.at("penalties"));
    CHECK(back->lists.size() == 1);
    REQUIRE(back->assessments.size() == 1);
    CHECK(back->assessments[0].date == a.date);
    CHECK(back->assessments[0].scores == a.scores);
    CHECK(back->assessments[0].ratings == a.ratings);
}
