// Sets of codes as instrument inputs (`type: codes`): cells `a|b`, `[]` for none, JSON
// arrays in JSON lines, the functions has / has_any / has_all / n_codes, and unknowns.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include <kelias/kelias.hpp>

#include "test_support.hpp"

using namespace kelias;
using kelias::testing::must_load;

namespace {

const char* sets_yaml = R"yaml(kelias: 1
id: sets_demo
version: "1"
title: Sets demo
scales:
  need: {values: [housing, employment, health]}
items:
  - {id: needs, type: codes, scale: need}
  - {id: flags, type: codes, values: [gang, weapon, escape], code_aliases: {"Escape risk": escape}}
  - {id: counted, type: codes, values: [a, b], absent: "[]"}
scores:
  has_housing: "has(needs, 'housing')"
  any_work_health: "has_any(needs, ['employment', 'health'])"
  all_work_health: "has_all(needs, ['employment', 'health'])"
  n_flags: "n_codes(flags)"
  n_counted: "n_codes(counted)"
  known: "is_known(needs)"
)yaml";

const Instrument& demo() {
    static const Instrument inst = must_load(sets_yaml);
    return inst;
}

std::string one(const std::vector<std::pair<std::string, std::string>>& cells, const std::string& score_id) {
    return kelias::testing::score_cells(demo(), cells, score_id);
}

std::vector<Diagnostic> load_errors(const std::string& yaml) {
    auto r = load_instrument(yaml, "inline.yaml");
    CHECK_FALSE(r.ok());
    return r.diagnostics();
}

bool mentions(const std::vector<Diagnostic>& ds, const std::string& text) {
    for (const auto& d : ds)
        if (d.message.find(text) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("code sets: cells parse to the field's bits, in any order, case and spelling") {
    const std::size_t needs = *demo().find_field("needs");
    const std::size_t flags = *demo().find_field("flags");
    CHECK(demo().fields()[needs].type == FieldType::codes);
    CHECK(to_string(FieldType::codes) == "codes");
    CHECK(demo().fields()[needs].codes == std::vector<std::string>{"housing", "employment", "health"});
    auto cell = parse_cell(demo(), needs, "housing|health");
    CHECK(cell.state == CellState::value);
    CHECK(cell.value == 5);
    CHECK(parse_cell(demo(), needs, " health | HOUSING ").value == 5);
    CHECK(parse_cell(demo(), needs, "housing|housing").value == 1);
    CHECK(parse_cell(demo(), flags, "Escape risk|gang").value == 5);
    cell = parse_cell(demo(), needs, "[]");
    CHECK(cell.state == CellState::value);
    CHECK(cell.value == 0);
    CHECK(parse_cell(demo(), needs, "").state == CellState::omitted);
    CHECK(parse_cell(demo(), needs, "").error == nullptr);
}

TEST_CASE("code sets: bad cells give a reason") {
    const std::size_t needs = *demo().find_field("needs");
    CHECK(std::string(parse_cell(demo(), needs, "housing|debt").error) == "not one of the field's codes");
    CHECK(std::string(parse_cell(demo(), needs, "housing||health").error).find("an empty code") == 0);
    CHECK(std::string(parse_cell(demo(), needs, "housing|").error).find("an empty code") == 0);
    CHECK(std::string(parse_cell(demo(), needs, "na").error) == "'na' is not allowed for this field");
    CHECK(check_value(demo(), needs, 7) == nullptr);
    CHECK(check_value(demo(), needs, 8) != nullptr);
    CHECK(check_value(demo(), needs, 1.5) != nullptr);
    CHECK(check_value(demo(), needs, -1) != nullptr);
}

TEST_CASE("code sets: has, has_any, has_all, n_codes, and unknown when the set is omitted") {
    CHECK(one({{"needs", "housing|health"}}, "has_housing") == "true");
    CHECK(one({{"needs", "employment"}}, "has_housing") == "false");
    CHECK(one({{"needs", "health"}}, "any_work_health") == "true");
    CHECK(one({{"needs", "housing"}}, "any_work_health") == "false");
    CHECK(one({{"needs", "health"}}, "all_work_health") == "false");
    CHECK(one({{"needs", "health|employment|housing"}}, "all_work_health") == "true");
    CHECK(one({{"needs", "[]"}}, "has_housing") == "false");
    CHECK(one({{"flags", "gang|weapon|escape"}}, "n_flags") == "3");
    CHECK(one({{"flags", "[]"}}, "n_flags") == "0");
    // Omitted: unknown, never an empty set; `absent: "[]"` makes it the empty set.
    CHECK(one({}, "has_housing") == "");
    CHECK(one({}, "n_flags") == "");
    CHECK(one({}, "known") == "false");
    CHECK(one({}, "n_counted") == "0");
    CHECK(one({{"counted", "a|b"}}, "n_counted") == "2");
}

TEST_CASE("code sets: CSV cells and JSON arrays - bad ones are row problems, good rows go on") {
    auto read = [](std::string text, RatingsFormat format) {
        std::vector<std::string> out;
        std::vector<RowProblem> problems;
        auto reader = RatingsReader::from_text(demo(), std::move(text), {.format = format});
        REQUIRE(reader.ok());
        RatingsChunk chunk(demo());
        const std::size_t n = *demo().find_score("n_flags");
        for (;;) {
            auto rows = reader->next(chunk);
            REQUIRE(rows.ok());
            if (*rows == 0) break;
            const ScoreBatch scored = score_batch(demo(), chunk.batch, {.threads = 1});
            for (std::size_t r = 0; r < scored.rows(); ++r) out.push_back(chunk.bad[r] ? "bad" : scored.text(r, n));
            problems.insert(problems.end(), chunk.problems.begin(), chunk.problems.end());
        }
        return std::pair(out, problems);
    };
    auto [csv, csv_problems] =
        read("id,needs,flags,counted\nA,housing,gang|weapon,\nB,,[],a\nC,housing,gang|knife,\n", RatingsFormat::csv);
    CHECK(csv == std::vector<std::string>{"2", "0", "bad"});
    REQUIRE(csv_problems.size() == 1);
    CHECK(csv_problems[0].line == 4);
    CHECK(csv_problems[0].column == "flags");
    CHECK(csv_problems[0].reason == "not one of the field's codes");
    auto [jsonl, jsonl_problems] = read(R"({"id": "A", "flags": ["gang", "escape"]}
{"id": "B", "flags": []}
{"id": "C", "flags": ["gang", 3]}
{"id": "D", "flags": ["knife"]}
{"id": "E", "flags": "weapon|gang"}
)",
                                        RatingsFormat::jsonl);
    CHECK(jsonl == std::vector<std::string>{"2", "0", "bad", "bad", "2"});
    REQUIRE(jsonl_problems.size() == 2);
    CHECK(jsonl_problems[0].line == 3);
    CHECK(jsonl_problems[0].reason == "a set of codes is a list of strings");
    CHECK(jsonl_problems[1].line == 4);
    CHECK(jsonl_problems[1].column == "flags");
    CHECK(jsonl_problems[1].reason == "not one of the field's codes");
}

TEST_CASE("code sets: definitions that are refused, with a location") {
    const std::string head = "kelias: 1\nid: x\nversion: \"1\"\ntitle: X\nscales:\n  n: {values: [0, 1]}\nitems:\n";
    std::string big = "  - {id: s, type: codes, values: [";
    for (int i = 0; i < 53; ++i) big += (i ? ", c" : "c") + std::to_string(i);
    big += "]}\nscores:\n  t: \"n_codes(s)\"\n";
    auto errors = load_errors(head + big);
    CHECK(mentions(errors, "is a set of 53 codes; at most 52 are allowed"));
    CHECK(errors[0].where.line == 8);
    CHECK(mentions(load_errors(head + "  - {id: s, type: codes}\n"), "of type codes needs values or a scale"));
    CHECK(mentions(load_errors(head + "  - {id: s, type: codes, scale: n}\n"), "needs a scale of codes"));
    CHECK(mentions(load_errors(head + "  - {id: s, type: codes, values: [a, b]}\nscores:\n  t: \"has(s, 'c')\"\n"),
                   "'c' is not a code of scale 's'"));
    CHECK(mentions(load_errors(head + "  - {id: s, type: codes, values: [a, b]}\nscores:\n  t: \"s == 'a'\"\n"),
                   "different types"));
    CHECK(mentions(load_errors(head + "  - {id: s, type: integer}\nscores:\n  t: \"has(s, 'a')\"\n"),
                   "needs a field of type codes"));
    CHECK(
        mentions(load_errors(head + "  - {id: s, type: codes, values: [a, b]}\nscores:\n  t: \"s\"\n"), "not a list"));
}

TEST_CASE("code sets: YAML lists in embedded tests and case documents") {
    const std::string yaml = std::string(sets_yaml) + R"yaml(tests:
  - name: a list of codes
    ratings: {needs: [employment, health], flags: ["Escape risk", gang]}
    expect: {has_housing: false, all_work_health: true, n_flags: 2}
  - name: an empty list is the empty set
    ratings: {needs: [], flags: []}
    expect: {has_housing: false, n_flags: 0, known: true}
)yaml";
    const Instrument inst = kelias::testing::must_load(yaml);
    const TestReport report = run_embedded_tests(inst);
    CHECK(report.passed == 2);
    CHECK(report.failed == 0);

    auto nested =
        load_errors(std::string(sets_yaml) + "tests:\n  - {name: n, ratings: {needs: [[housing]]}, expect: {}}\n");
    CHECK(mentions(nested, "each member of a list must be a code"));
    auto on_number = load_errors("kelias: 1\nid: x\nversion: \"1\"\ntitle: X\nitems:\n  - {id: n, type: integer}\n"
                                 "scores:\n  t: \"n\"\ntests:\n  - {name: n, ratings: {n: [1, 2]}, expect: {}}\n");
    CHECK(mentions(on_number, "a list only for a set of codes"));

    auto c = parse_case(R"yaml(case: C-1
as_of: 2025-01-10
assessments:
  sets_demo:
    date: 2025-01-05
    ratings: {needs: [housing, health], flags: []}
)yaml");
    INFO(format(c.diagnostics()));
    REQUIRE(c.ok());
    REQUIRE(c->assessments.size() == 1);
    CHECK(c->assessments[0].ratings.at("needs") == "housing|health");
    CHECK(c->assessments[0].ratings.at("flags") == "[]");
    auto bad = parse_case("case: C-1\nassessments:\n  sets_demo:\n    ratings: {needs: {a: 1}}\n");
    REQUIRE_FALSE(bad.ok());
    CHECK(mentions(bad.error(), "must be a single value or a list of codes, not a map"));
}

TEST_CASE("code sets: a set is written back as its codes") {
    RatingsBatch batch(demo(), 1);
    batch.set_text(0, *demo().find_field("needs"), "health|housing");
    auto e = explain(demo(), batch, 0, "has_housing");
    REQUIRE(e.ok());
    bool shown = false;
    for (const auto& c : e->children) shown |= c.value == "housing|health";
    CHECK(shown);
}
