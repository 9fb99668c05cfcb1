// Batch ratings with assessment headers: `header.ID` columns (CSV) and keys (JSON lines)
// checked row by row against the instrument's assessment_fields; bad rows rejected with
// their reasons (never their values), good rows scored; header values never in the
// output unless kept with pass-through.
#include "test_support.hpp"

#include <string>
#include <vector>

#include <kelias/ratings_io.hpp>

using namespace kelias;

namespace {

const char* header_yaml = R"(kelias: 1
id: headed
version: "1"
title: Headed
scales:
  setting: {values: [inside, outside]}
assessment_fields:
  status: {type: code, scale: setting, required: true}
  sources: {type: codes, values: [interview, records, testing]}
  assessor: {type: text, personal: true}
  consent: bool
  hours: integer
  next_due: date
items:
  - {id: coping, type: integer, min: 0, max: 2}
scores:
  total: {expr: "coping"}
)";

const Instrument& headed() {
    static const Instrument instrument = [] {
        auto loaded = load_instrument(header_yaml, "headed.yaml");
        REQUIRE(loaded.ok());
        return *loaded;
    }();
    return instrument;
}

struct ReadAll {
    std::string scores;
    std::vector<RowProblem> problems;
};

ReadAll read_all(std::string text, RatingsReaderOptions options) {
    auto reader = RatingsReader::from_text(headed(), std::move(text), std::move(options));
    INFO(format(reader.diagnostics()));
    REQUIRE(reader.ok());
    const ScoreWriter writer(headed(), {.delimiter = ',', .pass_through = reader->pass_through()});
    ReadAll all{.scores = writer.header(), .problems = {}};
    RatingsChunk chunk(headed());
    for (;;) {
        auto rows = reader->next(chunk);
        INFO(format(rows.diagnostics()));
        REQUIRE(rows.ok());
        if (*rows == 0) break;
        const ScoreBatch scored = score_batch(headed(), chunk.batch, {.threads = 1});
        for (std::size_t r = 0; r < scored.rows(); ++r)
            if (!chunk.bad[r]) writer.append_row(all.scores, chunk, scored, r);
        all.problems.insert(all.problems.end(), chunk.problems.begin(), chunk.problems.end());
    }
    return all;
}

std::string problem_text(const std::vector<RowProblem>& problems) {
    std::string out;
    for (const auto& p : problems) append_reject(out, p);
    return out;
}

}  // namespace

TEST_CASE("CSV header.ID columns: good rows scored, bad headers rejected by row and column, no values") {
    const std::string csv = "id,coping,header.status,header.sources,header.assessor,header.consent,header.hours,"
                            "header.next_due\n"
                            "A,1,inside,interview|records,Jonas Jonaitis,true,3,2025-07-01\n"
                            "B,2,prison,,,,,\n"
                            "C,0,,,,,,\n"
                            "D,1,outside, testing | testing ,x,maybe,3.5,2025-13-01\n"
                            "E,2, outside ,,,false,,\n";
    const ReadAll all = read_all(csv, {.threads = 1});
    CHECK(all.scores.find("Jonas") == std::string::npos);
    CHECK(all.scores.find("header") == std::string::npos);
    CHECK(all.scores.find("\nA,") != std::string::npos);
    CHECK(all.scores.find("\nE,") != std::string::npos);
    CHECK(all.scores.find("\nB,") == std::string::npos);
    CHECK(all.scores.find("\nC,") == std::string::npos);
    CHECK(all.scores.find("\nD,") == std::string::npos);
    REQUIRE(all.problems.size() == 6);
    CHECK(all.problems[0].line == 3);
    CHECK(all.problems[0].id == "B");
    CHECK(all.problems[0].column == "header.status");
    CHECK(all.problems[0].reason == "'prison' is not one of inside|outside");
    CHECK(all.problems[1].line == 4);
    CHECK(all.problems[1].column == "header.status");
    CHECK(all.problems[1].reason == "required by headed@1, not given");
    CHECK(all.problems[2].column == "header.sources");
    CHECK(all.problems[2].reason == "'testing' is listed twice");
    CHECK(all.problems[3].column == "header.consent");
    CHECK(all.problems[3].reason == "not true or false");
    CHECK(all.problems[4].column == "header.hours");
    CHECK(all.problems[4].reason == "not a whole number");
    CHECK(all.problems[5].column == "header.next_due");
    CHECK(all.problems[5].reason == "not a date (YYYY-MM-DD)");
    const std::string text = problem_text(all.problems);
    CHECK(text.find("3.5") == std::string::npos);
    CHECK(text.find("2025-13-01") == std::string::npos);
    CHECK(text.find("maybe") == std::string::npos);
}

TEST_CASE("CSV header columns: the same result in any chunking and thread count") {
    std::string csv = "id,coping,header.status\n";
    for (int i = 0; i < 200; ++i)
        csv += "R" + std::to_string(i) + "," + std::to_string(i % 3) + "," + (i % 7 == 0 ? "nowhere" : "inside") + "\n";
    const ReadAll one = read_all(csv, {.threads = 1});
    const ReadAll many = read_all(csv, {.threads = 4, .chunk_rows = 16});
    CHECK(one.scores == many.scores);
    CHECK(problem_text(one.problems) == problem_text(many.problems));
    CHECK(one.problems.size() == 29);
}

TEST_CASE("a kept header column is checked and passed through - other header values stay out") {
    const std::string csv = "id,coping,header.status,header.assessor\nA,1,inside,PS-1\nB,1,bad,PS-2\n";
    const ReadAll all = read_all(csv, {.pass_through = {"header.assessor"}, .threads = 1});
    CHECK(all.scores.find("header.assessor") != std::string::npos);
    CHECK(all.scores.find("PS-1") != std::string::npos);
    CHECK(all.scores.find("PS-2") == std::string::npos);
    CHECK(all.scores.find("inside") == std::string::npos);
    REQUIRE(all.problems.size() == 1);
    CHECK(all.problems[0].column == "header.status");
}

TEST_CASE("CSV: unknown header columns and a missing required column stop the file at once") {
    auto reader = RatingsReader::from_text(headed(), "id,coping,header.statsu,header.mood\nA,1,inside,ok\n", {});
    REQUIRE_FALSE(reader.ok());
    const auto& ds = reader.error();
    REQUIRE(ds.size() == 3);
    CHECK(ds[0].code == DiagnosticCode::unknown_column);
    CHECK(ds[0].message == "unknown column 'header.statsu': headed@1 has no such field");
    CHECK(ds[0].hint == "did you mean 'header.status'?");
    CHECK(ds[1].message == "unknown column 'header.mood': headed@1 has no such field");
    CHECK(ds[1].hint == "`kelias instrument show headed` lists the assessment fields (header.ID)");
    CHECK(ds[2].code == DiagnosticCode::invalid_header);
    CHECK(ds[2].message == "no column header.status: headed@1 requires that assessment field");
    CHECK(ds[2].hint == "did you mean 'header.statsu'?");
}

TEST_CASE("an instrument without assessment fields: header columns are unknown, as before") {
    auto tiny = testing::shipped("tests/cli/data/tiny.yaml");
    auto reader = RatingsReader::from_text(tiny, "id,coping.strength,header.status\nA,1,x\n", {});
    REQUIRE_FALSE(reader.ok());
    CHECK(reader.error()[0].hint == tiny.key() + " declares no assessment fields; keep other columns with --keep");
}

TEST_CASE("JSON lines: header.ID keys or a header map - a required field missing rejects the row") {
    const std::string lines = R"({"id": "A", "coping": 1, "header.status": "inside", "header.consent": true})"
                              "\n"
                              R"({"id": "B", "coping": 2, "header": {"status": "outside", "hours": 4}})"
                              "\n"
                              R"({"id": "C", "coping": 0})"
                              "\n"
                              R"({"id": "D", "coping": 1, "header": {"status": "inside", "hours": 1.5}})"
                              "\n"
                              R"({"id": "E", "coping": 1, "header.status": "inside", "header": {"status": "inside"}})"
                              "\n";
    const ReadAll all = read_all(lines, {.format = RatingsFormat::jsonl, .threads = 1});
    CHECK(all.scores.find("\nA,") != std::string::npos);
    CHECK(all.scores.find("\nB,") != std::string::npos);
    REQUIRE(all.problems.size() == 3);
    CHECK(all.problems[0].id == "C");
    CHECK(all.problems[0].column == "header.status");
    CHECK(all.problems[0].reason == "required by headed@1, not given");
    CHECK(all.problems[1].id == "D");
    CHECK(all.problems[1].column == "header.hours");
    CHECK(all.problems[1].reason == "not a whole number");
    CHECK(all.problems[2].id == "E");
    CHECK(all.problems[2].reason == "given twice in the row");

    auto unknown = RatingsReader::from_text(headed(), R"({"id": "A", "coping": 1, "header": {"statsu": "inside"}})",
                                            {.format = RatingsFormat::jsonl});
    REQUIRE(unknown.ok());
    RatingsChunk chunk(headed());
    auto rows = unknown->next(chunk);
    REQUIRE_FALSE(rows.ok());
    CHECK(rows.error()[0].message == "unknown column 'header.statsu': headed@1 has no such field");
    CHECK(rows.error()[0].hint == "did you mean 'header.status'?");
}
