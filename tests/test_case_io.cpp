// read_case_file(): one case file from disk, as parse_case() reads its text, and refused
// with a clear error when it is missing, a folder or too large for one case.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include <kelias/case_io.hpp>

using namespace kelias;
namespace fs = std::filesystem;

namespace {

std::string text_of(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path scratch(const std::string& name) {
    return fs::temp_directory_path() / ("kelias_case_io_" + std::to_string(::getpid()) + "_" + name);
}

}  // namespace

TEST_CASE("read_case_file reads a case file as parse_case reads its text") {
    for (const char* name : {"hwh_eligible_now.yaml", "hwh_eligible_later.yaml", "missing_facts.yaml"}) {
        CAPTURE(name);
        const fs::path path = fs::path(KELIAS_SOURCE_DIR) / "examples/cases" / name;
        auto from_file = read_case_file(path.string());
        REQUIRE(from_file.ok());
        auto from_text = parse_case(text_of(path), path.string());
        REQUIRE(from_text.ok());
        CHECK(to_json(*from_file) == to_json(*from_text));
        CHECK_FALSE(from_file->id.empty());
    }
}

TEST_CASE("read_case_file: problems in the case are placed in the named file") {
    const fs::path path = scratch("bad.yaml");
    std::ofstream(path) << "case: C-1\nas_of: 2026-13-01\n";
    auto c = read_case_file(path.string());
    fs::remove(path);
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().front().where.file == path.string());
    CHECK(c.error().front().where.line == 2);
}

TEST_CASE("read_case_file refuses a missing file, a folder and a file over the limit") {
    auto missing = read_case_file(scratch("absent.yaml").string());
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().front().code == DiagnosticCode::unreadable_file);
    CHECK(missing.error().front().message.find("absent.yaml") != std::string::npos);

    auto folder = read_case_file(fs::temp_directory_path().string());
    REQUIRE_FALSE(folder.ok());
    CHECK(folder.error().front().code == DiagnosticCode::unreadable_file);

    const fs::path big = scratch("big.yaml");
    { std::ofstream(big) << "case: C-1\n"; }
    fs::resize_file(big, max_case_file_bytes + 1);  // sparse: costs no disk
    auto too_large = read_case_file(big.string());
    fs::remove(big);
    REQUIRE_FALSE(too_large.ok());
    CHECK(too_large.error().front().code == DiagnosticCode::input_limit);
    CHECK(too_large.error().front().hint.find("JSON lines") != std::string::npos);
}

TEST_CASE("a case that is not UTF-8 is refused at its first bad byte, before any name is read") {
    // Found by fuzz_case_yaml: fact names with stray bytes came back from to_json() with
    // U+FFFD in their place, so the case no longer read back the same.
    const std::string text = "case: C-1\nas_of: 2025-06-01\nfacts:\n  sen\xD8tence_start: 2021-05-01\n";
    auto c = parse_case(text, "c.yaml");
    REQUIRE_FALSE(c.ok());
    REQUIRE(c.error().size() == 1);
    CHECK(c.error().front().code == DiagnosticCode::yaml_syntax);
    CHECK(c.error().front().where == Location{"c.yaml", 4, 6});
    CHECK(c.error().front().message == "the text is not UTF-8: byte 0xD8 starts no character");
    // Well-formed text in any script is fine, and round-trips.
    auto good = parse_case("case: Jūratė-1\nas_of: 2025-06-01\nfacts:\n  note_lt: 'Įveika'\n", "c.yaml");
    REQUIRE(good.ok());
    auto again = parse_case(to_json(*good), "c.json");
    REQUIRE(again.ok());
    CHECK(to_json(*again) == to_json(*good));
}

TEST_CASE("a control character in a case is refused at its place - a name longer than 128 bytes is E801") {
    // Found by fuzz_case_yaml: raw control characters in a key were escaped by to_json()
    // (\u0015) until the key was longer than YAML allows an implicit key to be.
    auto control = parse_case(std::string("case: C-1\nas_of: 2025-06-01\nfacts:\n  a\x15: 1\n"), "c.yaml");
    REQUIRE_FALSE(control.ok());
    CHECK(control.error().front().code == DiagnosticCode::yaml_syntax);
    CHECK(control.error().front().where == Location{"c.yaml", 4, 4});
    CHECK(control.error().front().message == "a control character (0x15) in the text");
    auto nul = parse_case(std::string("case: C-1\0\n", 11), "c.yaml");
    REQUIRE_FALSE(nul.ok());
    CHECK(nul.error().front().where == Location{"c.yaml", 1, 10});
    // Escaped in a double-quoted string, a control character is text like any other.
    auto escaped = parse_case("case: \"C\\u0015\"\nas_of: 2025-06-01\n", "c.yaml");
    REQUIRE(escaped.ok());
    CHECK(escaped->id == "C\x15");

    const std::string at_limit(128, 'f'), over_limit(129, 'f');
    CHECK(parse_case("case: C-1\nfacts:\n  " + at_limit + ": 1\n", "c.yaml").ok());
    auto long_name = parse_case("case: C-1\nfacts:\n  " + over_limit + ": 1\n", "c.yaml");
    REQUIRE_FALSE(long_name.ok());
    CHECK(long_name.error().front().code == DiagnosticCode::input_limit);
    CHECK(long_name.error().front().where == Location{"c.yaml", 3, 3});
    CHECK(long_name.error().front().message == "a fact name of 129 bytes, longer than the limit of 128");
    // The longest names, all quotes, still read back from to_json().
    auto quotes = parse_case("case: C-1\nfacts:\n  '" + std::string(128, '"') + "': 1\n", "c.yaml");
    REQUIRE(quotes.ok());
    auto again = parse_case(to_json(*quotes), "c.json");
    REQUIRE(again.ok());
    CHECK(to_json(*again) == to_json(*quotes));
}

TEST_CASE("render: the compact formats hold the same decisions, earliest dates and missing facts as JSON") {
    auto rules = load_rules_file(std::string(KELIAS_SOURCE_DIR) + "/benchmarks/data/lt_release_pathway_13.yaml");
    REQUIRE(rules.ok());
    CaseInput c;
    c.id = "X, \"1\"";
    c.as_of = parse_date("2025-06-01");
    c.facts = {
        {"regime", "closed"}, {"custodial", "true"}, {"sentence_start", "2025-01-01"}, {"sentence_end", "2030-01-01"}};
    auto decided = decide(*rules, c);
    REQUIRE(decided.ok());
    const std::string line = render(*decided, DecisionFormat::jsonl, false);
    const std::string row = render(*decided, DecisionFormat::csv, false);
    CHECK(line.starts_with(R"({"case":"X, \"1\"","as_of":"2025-06-01","decisions":{"halfway_house":)"));
    CHECK(row.starts_with("\"X, \"\"1\"\"\",2025-06-01,"));
    CHECK(line.ends_with("}\n"));
    CHECK(row.ends_with("\n"));
    // One decision, one earliest date and one missing-facts cell per programme.
    const std::size_t n = decided->decisions.size();
    std::size_t commas = 0;
    bool quoted = false;
    for (char ch : row) {
        if (ch == '"') quoted = !quoted;
        commas += ch == ',' && !quoted;
    }
    CHECK(commas == 1 + 3 * n);
    for (const ProgrammeDecision& p : decided->decisions) {
        CAPTURE(p.programme);
        CHECK(line.find("\"" + p.programme + "\":\"" + std::string(to_string(p.decision)) + "\"") != std::string::npos);
        if (p.earliest_date) CHECK(row.find("," + to_string(*p.earliest_date)) != std::string::npos);
        for (const auto& m : p.missing) CHECK(line.find("\"" + m + "\"") != std::string::npos);
    }
    CHECK(line.find("\"missing\":{") != std::string::npos);  // facts were left out
}
