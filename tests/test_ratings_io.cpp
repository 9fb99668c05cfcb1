// RatingsReader and ScoreWriter: delimiters found and kept, pass-through and date columns,
// chunking that changes nothing, and problems reported by row and column.
#include "test_support.hpp"

#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include <unistd.h>

#include <kelias/ratings_io.hpp>

using namespace kelias;

namespace {

const Instrument& tiny() {
    static const Instrument instrument = testing::shipped("tests/cli/data/tiny.yaml");
    return instrument;
}

const std::string tiny_csv = "id,coping.strength,coping.key,plans.strength,school.strength,age,seen\n"
                             "T1,2,false,2,1,30,2025-01-31\n"
                             "T2,1,,na,omitted,17,\n"
                             "T3,0,true,,,,2024-02-29\n";

// What a whole read gives: the scores as the writer formats them, and every row problem.
struct ReadAll {
    std::string scores;
    std::vector<RowProblem> problems;
    std::size_t rows = 0;
    char delimiter = 0;
};

ReadAll read_all(std::string text, RatingsReaderOptions options, ScoresFormat out_format = ScoresFormat::csv) {
    auto reader = RatingsReader::from_text(tiny(), std::move(text), std::move(options));
    INFO(format(reader.diagnostics()));
    REQUIRE(reader.ok());
    const ScoreWriter writer(
        tiny(), {.format = out_format, .delimiter = reader->delimiter(), .pass_through = reader->pass_through()});
    ReadAll all{.scores = writer.header(), .problems = {}, .rows = 0, .delimiter = reader->delimiter()};
    RatingsChunk chunk(tiny());
    for (;;) {
        auto rows = reader->next(chunk);
        INFO(format(rows.diagnostics()));
        REQUIRE(rows.ok());
        if (*rows == 0) break;
        all.rows += *rows;
        const ScoreBatch scored = score_batch(tiny(), chunk.batch, {.threads = 1});
        for (std::size_t r = 0; r < scored.rows(); ++r)
            if (!chunk.bad[r]) writer.append_row(all.scores, chunk, scored, r);
        all.problems.insert(all.problems.end(), chunk.problems.begin(), chunk.problems.end());
    }
    return all;
}

std::string replaced(std::string text, char from, char to) {
    for (char& c : text)
        if (c == from) c = to;
    return text;
}

std::vector<Diagnostic> open_errors(std::string text, RatingsReaderOptions options) {
    auto reader = RatingsReader::from_text(tiny(), std::move(text), std::move(options));
    REQUIRE_FALSE(reader.ok());
    return reader.error();
}

}  // namespace

TEST_CASE("RatingsReader finds ' -' and tab from the header, and the scores are written with it") {
    const ReadAll commas = read_all(tiny_csv, {});
    CHECK(commas.delimiter == ',');
    CHECK(commas.rows == 3);
    REQUIRE(commas.problems.empty());
    for (char d : {';', '\t'}) {
        CAPTURE(int(d));
        const ReadAll other = read_all(replaced(tiny_csv, ',', d), {});
        CHECK(other.delimiter == d);
        CHECK(other.scores == replaced(commas.scores, ',', d));
        const ReadAll given = read_all(replaced(tiny_csv, ',', d), {.delimiter = d});
        CHECK(given.scores == other.scores);
    }
}

TEST_CASE("a quoted cell keeps the delimiter inside it") {
    const ReadAll all = read_all("id;age;coping.strength\n\"A;1\";30;2\n", {.pass_through = {"id"}});
    CHECK(all.delimiter == ';');
    CHECK(all.rows == 1);
    CHECK(all.scores.find("\"A;1\"") != std::string::npos);
}

TEST_CASE("a delimiter given by hand that leaves the header in one column names the one the file uses") {
    const auto errors = open_errors(replaced(tiny_csv, ',', ';'), {.delimiter = ','});
    REQUIRE_FALSE(errors.empty());
    CHECK(errors.front().code == DiagnosticCode::unknown_column);
    CHECK(errors.front().message.find("looks ';'-separated, not ','-separated") != std::string::npos);
    CHECK(errors.front().hint.find("--delimiter ';'") != std::string::npos);
    CHECK(errors.front().where.line == 1);

    const auto tabs = open_errors(replaced(tiny_csv, ',', '\t'), {.delimiter = ';'});
    CHECK(tabs.front().message.find("looks tab-separated") != std::string::npos);
}

TEST_CASE("pass-through columns are copied unchanged after the id, even one that is also a field") {
    const std::string csv = "unit,id,age,coping.strength\n"
                            "North 1,A,30,2\n"
                            "\"South, 2\",B,17,1\n";
    const ReadAll all = read_all(csv, {.pass_through = {"unit", "age"}});
    REQUIRE(all.problems.empty());
    CHECK(all.scores.starts_with("id,unit,age,strength_total,"));
    CHECK(all.scores.find("\nA,North 1,30,2,") != std::string::npos);
    CHECK(all.scores.find("\nB,\"South, 2\",17,1,") != std::string::npos);
    // age is still scored: `adult` reads it.
    const ReadAll plain = read_all("id,age,coping.strength\nA,30,2\nB,17,1\n", {});
    CHECK(plain.scores.find("\nA,2,2,5,true,") != std::string::npos);
    CHECK(all.scores.find("\nA,North 1,30,2,2,5,true,") != std::string::npos);

    const ReadAll jsonl = read_all(R"({"id":"A","unit":"North 1","age":30,"coping.strength":2})"
                                   "\n",
                                   {.format = RatingsFormat::jsonl, .pass_through = {"unit"}}, ScoresFormat::jsonl);
    REQUIRE(jsonl.problems.empty());
    CHECK(jsonl.scores.starts_with(R"({"id":"A","unit":"North 1","strength_total":2,)"));
}

TEST_CASE("a pass-through or date column missing from the header is an error with a hint") {
    const auto errors = open_errors(tiny_csv, {.pass_through = {"unt"}, .date_column = "assessed"});
    REQUIRE(errors.size() == 2);
    CHECK(errors[0].message == "no column 'unt' to keep in the header");
    CHECK(errors[1].message == "no date column 'assessed' in the header");
}

TEST_CASE("a date column gives each row its as_of - an empty cell falls back, a bad one rejects the row") {
    const std::string csv = "id,assessed,seen\n"
                            "A,2025-02-10,2025-01-31\n"
                            "B,,2025-01-31\n"
                            "C,2025-02-30,2025-01-31\n"
                            "D,2025-02-11,2025-01-31\n";
    const ReadAll all = read_all(csv, {.date_column = "assessed", .as_of = make_date(2025, 3, 1)});
    CHECK(all.rows == 4);
    REQUIRE(all.problems.size() == 1);
    CHECK(all.problems[0].line == 4);
    CHECK(all.problems[0].id == "C");
    CHECK(all.problems[0].column == "assessed");
    // days_since_seen = days from `seen` to the row's as_of: the last score before `instrument`.
    CHECK(all.scores.find("\nA,0,,1,,low,2025-07-31,10,tiny@1.0\n") != std::string::npos);
    CHECK(all.scores.find("\nB,0,,1,,low,2025-07-31,29,tiny@1.0\n") != std::string::npos);
    CHECK(all.scores.find("\nC,") == std::string::npos);
    CHECK(all.scores.find("\nD,0,,1,,low,2025-07-31,11,tiny@1.0\n") != std::string::npos);
}

TEST_CASE("the chunk size changes nothing in what is read, scored or rejected") {
    std::string csv = "id,coping.strength,age\n";
    for (int i = 0; i < 50; ++i)
        csv += "P" + std::to_string(i) + "," + std::to_string(i % 4) + "," + (i % 7 == 0 ? "9" : "40") + "\n";
    const ReadAll whole = read_all(csv, {});
    CHECK(whole.rows == 50);
    // Rating 3 is off the scale (12 rows), age 9 below the minimum (8 rows, 2 of them both).
    CHECK(whole.problems.size() == 20);
    CHECK(whole.scores.find("\nP3,") == std::string::npos);
    CHECK(whole.scores.find("\nP1,") != std::string::npos);
    for (std::size_t chunk_rows : {1, 2, 7, 49}) {
        CAPTURE(chunk_rows);
        const ReadAll chunked = read_all(csv, {.chunk_rows = chunk_rows});
        CHECK(chunked.scores == whole.scores);
        REQUIRE(chunked.problems.size() == whole.problems.size());
        for (std::size_t i = 0; i < whole.problems.size(); ++i) {
            CHECK(chunked.problems[i].line == whole.problems[i].line);
            CHECK(chunked.problems[i].reason == whole.problems[i].reason);
        }
    }
}

TEST_CASE("a byte-order mark is dropped from CSV and JSON lines alike") {
    const std::string bom = "\xEF\xBB\xBF";
    CHECK(read_all(bom + tiny_csv, {}).scores == read_all(tiny_csv, {}).scores);
    const std::string line = R"({"id":"A","coping.strength":2})"
                             "\n";
    const ReadAll with = read_all(bom + line, {.format = RatingsFormat::jsonl});
    CHECK(with.problems.empty());
    CHECK(with.scores == read_all(line, {.format = RatingsFormat::jsonl}).scores);
}

TEST_CASE("a record over max_line_bytes ends the input with E801 and its line") {
    auto reader = RatingsReader::from_text(tiny(), tiny_csv + "T4," + std::string(200, '1') + "\n",
                                           {.chunk_rows = 2, .max_line_bytes = 100});
    REQUIRE(reader.ok());
    RatingsChunk chunk(tiny());
    auto first = reader->next(chunk);
    REQUIRE(first.ok());
    CHECK(*first == 2);
    Result<std::size_t> third = std::size_t{1};
    while (third.ok() && *third > 0) third = reader->next(chunk);
    REQUIRE_FALSE(third.ok());
    CHECK(third.error().front().code == DiagnosticCode::input_limit);
    CHECK(third.error().front().message.find(":5:") != std::string::npos);
}

TEST_CASE("a rejected row keeps none of its cells, even in a reused batch") {
    // Row 2 has too few cells: what it did give must not be taken, nor what row 1 left.
    auto reader = RatingsReader::from_text(tiny(), "id,coping.strength,age\nA,2,30\nB,1\nC,,\n", {.chunk_rows = 1});
    REQUIRE(reader.ok());
    RatingsChunk chunk(tiny());
    const std::size_t coping = *tiny().find_field("coping.strength");
    const std::size_t age = *tiny().find_field("age");
    for (const char* id : {"A", "B", "C"}) {
        CAPTURE(id);
        auto rows = reader->next(chunk);
        REQUIRE(rows.ok());
        REQUIRE(*rows == 1);
        CHECK(chunk.batch.id(0) == id);
        const bool good = std::string(id) == "A";
        CHECK(chunk.bad[0] == (std::string(id) == "B" ? 1 : 0));
        CHECK(chunk.batch.state(0, coping) == (good ? CellState::value : CellState::omitted));
        CHECK(chunk.batch.value(0, coping) == (good ? 2.0 : 0.0));
        CHECK(chunk.batch.state(0, age) == (good ? CellState::value : CellState::omitted));
        // A field without a column is omitted in every row.
        CHECK(chunk.batch.state(0, *tiny().find_field("plans.strength")) == CellState::omitted);
    }
}

TEST_CASE("a file of several blocks reads the same with read-ahead (threads) and without") {
    namespace fs = std::filesystem;
    const fs::path path = fs::temp_directory_path() / ("kelias_blocks_" + std::to_string(::getpid()) + ".csv");
    {
        std::ofstream out(path, std::ios::binary);
        out << "id,coping.strength,age,seen\n";
        for (int i = 0; i < 1'500'000; ++i)  // about 45 MB: more than one 32 MiB block
            out << "P" << i << ',' << i % 3 << ',' << 20 + i % 50 << ",2024-0" << 1 + i % 9 << "-15\n";
    }
    const std::size_t fields[] = {*tiny().find_field("coping.strength"), *tiny().find_field("age"),
                                  *tiny().find_field("seen")};
    auto checksum = [&](unsigned threads) {
        auto reader = RatingsReader::open(tiny(), path.string(), {.threads = threads, .chunk_rows = 100000});
        REQUIRE(reader.ok());
        RatingsChunk chunk(tiny());
        double sum = 0;
        std::size_t rows = 0, lines = 0;
        for (;;) {
            auto read = reader->next(chunk);
            REQUIRE(read.ok());
            if (*read == 0) break;
            rows += *read;
            for (std::size_t r = 0; r < chunk.batch.rows(); ++r) {
                for (std::size_t f : fields) sum += chunk.batch.value(r, f);
                lines += chunk.lines[r];
            }
            CHECK(reader->bytes_read() <= *reader->total_bytes());
        }
        CHECK(reader->bytes_read() == *reader->total_bytes());
        return std::tuple{rows, lines, sum};
    };
    const auto one = checksum(1);
    const auto two = checksum(2);
    fs::remove(path);
    CHECK(std::get<0>(one) == 1'500'000);
    CHECK(one == two);
}
