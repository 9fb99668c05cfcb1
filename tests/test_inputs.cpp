// Instrument inputs as the source gives them: `absent:` defaults, column aliases and code
// aliases, through the scoring API, the CSV and JSONL readers, explanations and tests.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <kelias/kelias.hpp>

#include "test_support.hpp"

using namespace kelias;
using kelias::testing::must_load;
using kelias::testing::score_text;

namespace {

const char* demo_yaml = R"yaml(kelias: 1
id: inputs_demo
version: "1"
title: Inputs demo
scales:
  level: {values: [0, 1, 2]}
items:
  - {id: infractions, type: integer, min: 0, absent: 0, column_aliases: [Infractions, n_infractions]}
  - {id: substance, type: integer, absent: na}
  - {id: rated, scale: level}
  - {id: offence, type: category, values: [violence, fraud_forgery], code_aliases: {"Violence against the person": violence, FRAUD_AND_FORGERY: fraud_forgery}}
  - {id: flagged, type: bool, absent: false}
scores:
  infraction_points: {expr: "infractions * 2"}
  substance_known: {expr: "is_na(substance)"}
  substance_omitted: {expr: "is_omitted(substance)"}
  total: {expr: "infractions + coalesce(substance, 0) + rated"}
  is_violent: {expr: "offence == 'violence'"}
  flagged_text: {expr: "if(flagged, 'yes', 'no')"}
)yaml";

const Instrument& demo() {
    static const Instrument inst = must_load(demo_yaml);
    return inst;
}

std::string one(const std::vector<std::pair<std::string, std::string>>& cells, const std::string& score_id) {
    return kelias::testing::score_cells(demo(), cells, score_id);
}

struct Read {
    std::vector<std::string> totals;  // per row: the `total` score, "" when unknown or bad
    std::vector<RowProblem> problems;
    std::vector<Diagnostic> diagnostics;
    bool ok = true;
};

Read read_all(std::string text, RatingsFormat format) {
    Read out;
    auto reader = RatingsReader::from_text(demo(), std::move(text), {.format = format});
    out.diagnostics = reader.diagnostics();
    if (!reader.ok()) {
        out.ok = false;
        return out;
    }
    const std::size_t total = *demo().find_score("total");
    RatingsChunk chunk(demo());
    for (;;) {
        auto rows = reader->next(chunk);
        if (!rows.ok()) {
            out.ok = false;
            out.diagnostics = rows.diagnostics();
            return out;
        }
        if (*rows == 0) break;
        const ScoreBatch scored = score_batch(demo(), chunk.batch, {.threads = 1});
        for (std::size_t r = 0; r < scored.rows(); ++r) out.totals.push_back(chunk.bad[r] ? "" : scored.text(r, total));
        out.problems.insert(out.problems.end(), chunk.problems.begin(), chunk.problems.end());
    }
    return out;
}

}  // namespace

TEST_CASE("absent: an omitted cell counts as the field's default - written values are kept") {
    CHECK(one({{"rated", "1"}}, "infraction_points") == "0");
    CHECK(one({{"infractions", ""}, {"rated", "1"}}, "infraction_points") == "0");
    CHECK(one({{"infractions", "omitted"}, {"rated", "1"}}, "infraction_points") == "0");
    CHECK(one({{"infractions", "3"}, {"rated", "1"}}, "infraction_points") == "6");
    // absent: na makes the field na, never omitted.
    CHECK(one({}, "substance_known") == "true");
    CHECK(one({}, "substance_omitted") == "false");
    CHECK(one({{"substance", "2"}}, "substance_known") == "false");
    CHECK(one({{"rated", "2"}}, "total") == "2");
    CHECK(one({{"rated", "2"}, {"substance", "1"}, {"infractions", "4"}}, "total") == "7");
    CHECK(one({{"flagged", ""}}, "flagged_text") == "no");
    CHECK(one({{"flagged", "true"}}, "flagged_text") == "yes");
    // Without `absent:` an omitted field stays unknown.
    CHECK(one({}, "total") == "");
    // A written na is still refused where the field does not allow it.
    Assessment a;
    a.cells = {{"infractions", "na"}};
    CHECK_FALSE(score(demo(), a).ok());
}

TEST_CASE("absent: the field info says what an absent cell counts as") {
    const auto& fields = demo().fields();
    CHECK(fields[*demo().find_field("infractions")].absent == "0");
    CHECK(fields[*demo().find_field("substance")].absent == "na");
    CHECK(fields[*demo().find_field("rated")].absent.empty());
}

TEST_CASE("absent: a borrowed column that is missing or NaN counts as the default") {
    const std::size_t rated = *demo().find_field("rated");
    const std::size_t infractions = *demo().find_field("infractions");
    const std::vector<double> rated_v = {1, 2, 0};
    const std::vector<double> infractions_v = {std::nan(""), 5, 1};
    RatingsColumns cols{.rows = 3,
                        .columns = {{.field = rated, .values = rated_v.data(), .states = nullptr},
                                    {.field = infractions, .values = infractions_v.data(), .states = nullptr}}};
    const ScoreBatch scored = score_batch(demo(), cols, {.threads = 1});
    const std::size_t total = *demo().find_score("total");
    CHECK(scored.text(0, total) == "1");
    CHECK(scored.text(1, total) == "7");
    CHECK(scored.text(2, total) == "1");
    // Without the infractions column at all, every row counts 0.
    RatingsColumns only_rated{.rows = 3, .columns = {{.field = rated, .values = rated_v.data(), .states = nullptr}}};
    const ScoreBatch scored2 = score_batch(demo(), only_rated, {.threads = 1});
    CHECK(scored2.text(1, total) == "2");
}

TEST_CASE("absent: the explanation shows the value counted, marked (absent)") {
    RatingsBatch batch(demo(), 1);
    batch.set_text(0, *demo().find_field("rated"), "1");
    auto e = explain(demo(), batch, 0, "total");
    REQUIRE(e.ok());
    std::vector<std::string> inputs;
    for (const auto& c : e->children) inputs.push_back(c.what + " = " + c.value);
    CHECK(std::find(inputs.begin(), inputs.end(), "infractions = 0 (absent)") != inputs.end());
    CHECK(std::find(inputs.begin(), inputs.end(), "rated = 1") != inputs.end());
    CHECK(e->value == "1");
    // The batch keeps the cell as given.
    CHECK(batch.state(0, *demo().find_field("infractions")) == CellState::omitted);
}

TEST_CASE("column aliases: find_field, the CSV header and JSON keys accept them") {
    CHECK(*demo().find_field("Infractions") == *demo().find_field("infractions"));
    CHECK(*demo().find_field("n_infractions") == *demo().find_field("infractions"));
    CHECK_FALSE(demo().find_field("INFRACTIONS").ok());  // exact, as columns are
    const auto& info = demo().fields()[*demo().find_field("infractions")];
    CHECK(info.column_aliases == std::vector<std::string>{"Infractions", "n_infractions"});

    auto csv = read_all("id,Infractions,rated\nA,2,1\nB,,2\n", RatingsFormat::csv);
    REQUIRE(csv.ok);
    CHECK(csv.totals == std::vector<std::string>{"3", "2"});
    auto jsonl = read_all("{\"id\": \"A\", \"n_infractions\": 2, \"rated\": 1}\n{\"id\": \"B\", \"rated\": 2}\n",
                          RatingsFormat::jsonl);
    REQUIRE(jsonl.ok);
    CHECK(jsonl.totals == std::vector<std::string>{"3", "2"});
    CHECK(jsonl.problems.empty());
}

TEST_CASE("column aliases: a field given under two names is refused (header, or key in a row)") {
    auto csv = read_all("id,infractions,Infractions,rated\nA,2,2,1\n", RatingsFormat::csv);
    REQUIRE_FALSE(csv.ok);
    REQUIRE(csv.diagnostics.size() >= 1);
    CHECK(csv.diagnostics.front().code == DiagnosticCode::duplicate_key);
    CHECK(csv.diagnostics.front().message == "columns 'infractions' and 'Infractions' both give field infractions");
    // In JSON lines it is the row that is bad; the good rows go on.
    auto jsonl = read_all(
        "{\"id\": \"A\", \"infractions\": 1, \"Infractions\": 2, \"rated\": 1}\n{\"id\": \"B\", \"rated\": 2}\n",
        RatingsFormat::jsonl);
    REQUIRE(jsonl.ok);
    CHECK(jsonl.totals == std::vector<std::string>{"", "2"});
    REQUIRE(jsonl.problems.size() == 1);
    CHECK(jsonl.problems[0].line == 1);
    CHECK(jsonl.problems[0].column == "Infractions");
    CHECK(jsonl.problems[0].reason == "given twice in the row");
}

TEST_CASE("code aliases: read as the code regardless of case, written back as the code - other spellings are refused") {
    CHECK(one({{"offence", "Violence against the person"}}, "is_violent") == "true");
    CHECK(one({{"offence", " FRAUD_AND_FORGERY "}}, "is_violent") == "false");
    CHECK(one({{"offence", "violence"}}, "is_violent") == "true");
    CHECK(one({{"offence", "VIOLENCE AGAINST THE PERSON"}}, "is_violent") == "true");
    CHECK(one({{"offence", "fraud_and_forgery"}}, "is_violent") == "false");
    CHECK(parse_cell(demo(), *demo().find_field("offence"), "violence against a person").error != nullptr);
    const ParsedCell c = parse_cell(demo(), *demo().find_field("offence"), "FRAUD_AND_FORGERY");
    REQUIRE(c.error == nullptr);
    RatingsBatch batch(demo(), 1);
    batch.set_text(0, *demo().find_field("offence"), "FRAUD_AND_FORGERY");
    batch.set_text(0, *demo().find_field("rated"), "0");
    auto e = explain(demo(), batch, 0, "is_violent");
    REQUIRE(e.ok());
    REQUIRE(!e->children.empty());
    CHECK(e->children.front().value == "fraud_forgery");
    // A bad cell in a CSV file names its row and column; the other rows are scored.
    auto csv = read_all("id,offence,rated\nA,Violent,1\nB,Violence,2\n", RatingsFormat::csv);
    REQUIRE(csv.ok);
    CHECK(csv.totals == std::vector<std::string>{"", "2"});
    REQUIRE(csv.problems.size() == 1);
    CHECK(csv.problems[0].line == 2);
    CHECK(csv.problems[0].column == "offence");
    CHECK(csv.problems[0].reason == "not one of the field's codes");
}

TEST_CASE("the shipped OGRS3 example reads the MoJ service's names and ages in whole years") {
    const Instrument ogrs3 = kelias::testing::shipped("examples/instruments/ogrs3.yaml");
    Assessment a;
    a.cells = {{"gender", "MALE"},
               {"age_at_current_conviction", "59"},
               {"age_at_start_of_followup", "60"},
               {"totalNumberOfSanctions", "2"},
               {"ageAtFirstSanction", "47"},
               {"offence_group", "soliciting_prostitution"}};
    CHECK(score_text(ogrs3, a, "ogrs3_2y") == "16");
    CHECK(score_text(ogrs3, a, "band") == "low");
}

TEST_CASE("JSON lines: an item with several fields may be given as a map of its fields") {
    const Instrument inst = must_load(R"yaml(kelias: 1
id: needs_demo
version: "1"
title: Needs demo
scales:
  level: {values: [0, 1, 2]}
items:
  - id: needs
    fields: {housing: level, employment: level, debts: {type: integer, absent: 0}}
scores:
  need_total: {expr: "needs.housing + needs.employment + needs.debts"}
)yaml");
    auto read = [&](std::string text, std::vector<std::string>& totals, std::vector<RowProblem>& problems) {
        auto reader = RatingsReader::from_text(inst, std::move(text), {.format = RatingsFormat::jsonl});
        REQUIRE(reader.ok());
        RatingsChunk chunk(inst);
        auto rows = reader->next(chunk);
        if (!rows.ok()) return rows.error();
        const ScoreBatch scored = score_batch(inst, chunk.batch, {.threads = 1});
        for (std::size_t r = 0; r < scored.rows(); ++r) totals.push_back(chunk.bad[r] ? "bad" : scored.text(r, 0));
        problems = chunk.problems;
        return std::vector<Diagnostic>{};
    };
    std::vector<std::string> totals;
    std::vector<RowProblem> problems;
    const auto failed = read(R"({"id": "A", "needs": {"housing": 2, "employment": 1}}
{"id": "B", "needs.housing": 1, "needs": {"housing": 2, "employment": 0}}
{"id": "C", "needs": {"housing": "x", "employment": 1}}
{"id": "D", "needs": {"housing": 1, "employment": null, "debts": 3}}
{"id": "E", "needs": {"housing": 1, "employment": 1, "debts": 3}}
)",
                             totals, problems);
    REQUIRE(failed.empty());
    CHECK(totals == std::vector<std::string>{"3", "bad", "bad", "", "5"});
    REQUIRE(problems.size() == 2);
    CHECK(problems[0].line == 2);
    CHECK(problems[0].column == "needs.housing");
    CHECK(problems[0].reason == "given twice in the row");
    CHECK(problems[1].line == 3);
    CHECK(problems[1].column == "needs.housing");
    CHECK(problems[1].reason == "expected a rating on the field's scale");
    // A member that names no field fails the input, as an unknown key does.
    totals.clear();
    const auto unknown = read("{\"id\": \"F\", \"needs\": {\"housng\": 1}}\n", totals, problems);
    REQUIRE(!unknown.empty());
    CHECK(unknown.front().code == DiagnosticCode::unknown_column);
    CHECK(unknown.front().message.find("needs.housng") != std::string::npos);
}
