// Diagnostics of malformed definitions: every file in tests/data/malformed/ (instruments)
// tests/data/malformed_rules/ (rule sets) and tests/data/malformed_plans/ (plan policies) declares, in comment lines at
// its top, every problem the loader must report:
//
//   # expect: E301 27:11                      code and LINE:COLUMN (1-based, bytes)
//   # expect: E301 27:11 unknown item         ... optionally followed by words that must
//                                             appear in the message
//   # expect-hint: did you mean 'coping'      a substring of the hint of the diagnostic
//                                             matched by the `expect:` line just above
//
// The file must fail to load, each expectation must match a distinct error with exactly
// that code, line and column, and there must be no other errors (warnings are allowed).
// Instruments are loaded with load_instrument() under their file name; rule sets with
// load_rules() (plan policies with load_plan_policy()) under their full path, so the
// instruments they name by a relative path are
// found beside them.
#include <doctest/doctest.h>
#include <kelias/language.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>
#include <kelias/pathway.hpp>
#include <kelias/plan.hpp>
#include <kelias/rules.hpp>

namespace {

namespace fs = std::filesystem;

const fs::path malformed_dir = fs::path(KELIAS_TEST_DATA_DIR) / "malformed";
const fs::path malformed_rules_dir = fs::path(KELIAS_TEST_DATA_DIR) / "malformed_rules";
const fs::path malformed_pathways_dir = fs::path(KELIAS_TEST_DATA_DIR) / "malformed_pathways";
const fs::path malformed_plans_dir = fs::path(KELIAS_TEST_DATA_DIR) / "malformed_plans";

// What loading one file gave: whether it loaded, and every diagnostic.
struct Loaded {
    bool ok = false;
    std::vector<kelias::Diagnostic> diagnostics;
};

template <class T>
Loaded loaded(const kelias::Result<T>& r) {
    return {r.ok(), r.diagnostics()};
}

// A folder of malformed definitions and how each file in it is loaded.
struct Corpus {
    fs::path dir;
    // Loads `text` under the file name `name`.
    Loaded (*load)(const std::string& text, const std::string& name);
    // The file name given to the loader: the bare file name, or the full path (rule sets
    // find the instruments they name by a relative path beside the file).
    bool name_is_path = false;
};

Loaded load_instrument_text(const std::string& text, const std::string& name) {
    return loaded(kelias::load_instrument(text, name));
}

Loaded load_rules_text(const std::string& text, const std::string& name) {
    return loaded(kelias::load_rules(text, name));
}

// Pathways are checked against the small rule set of the pathway tests.
Loaded load_pathway_text(const std::string& text, const std::string& name) {
    static const kelias::RuleSet rules =
        kelias::load_rules_file(fs::path(KELIAS_TEST_DATA_DIR) / "pathway" / "rules.yaml").value();
    return loaded(kelias::load_pathway(text, name, rules));
}

const Corpus instrument_corpus{malformed_dir, load_instrument_text};
Loaded load_plan_policy_text(const std::string& text, const std::string& name) {
    return loaded(kelias::load_plan_policy(text, name));
}

const Corpus rules_corpus{malformed_rules_dir, load_rules_text, true};
const Corpus pathway_corpus{malformed_pathways_dir, load_pathway_text};
const Corpus plans_corpus{malformed_plans_dir, load_plan_policy_text, true};

struct Expectation {
    std::string code;
    int line = 0, column = 0;
    std::string message;             // substring of the message; may be empty
    std::vector<std::string> hints;  // substrings of the hint
    std::string source;              // the header line, for failure messages
};

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

// Reads the `# expect:` and `# expect-hint:` lines of the leading comment block.
// Returns false (with `error` set) when a header line is malformed.
bool parse_header(const std::string& text, std::vector<Expectation>& out, std::string& error) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] != '#') break;
        std::string body = trim(line.substr(1));
        if (body.rfind("expect-hint:", 0) == 0) {
            if (out.empty()) {
                error = "expect-hint before any expect line: " + line;
                return false;
            }
            out.back().hints.push_back(trim(body.substr(12)));
        } else if (body.rfind("expect:", 0) == 0) {
            std::istringstream fields(body.substr(7));
            Expectation x;
            std::string place;
            fields >> x.code >> place;
            const auto colon = place.find(':');
            if (x.code.empty() || colon == std::string::npos) {
                error = "malformed expect line: " + line;
                return false;
            }
            try {
                x.line = std::stoi(place.substr(0, colon));
                x.column = std::stoi(place.substr(colon + 1));
            } catch (const std::exception&) {
                error = "malformed position in: " + line;
                return false;
            }
            std::string rest;
            std::getline(fields, rest);
            x.message = trim(rest);
            x.source = trim(line);
            out.push_back(std::move(x));
        }
    }
    return true;
}

std::vector<fs::path> malformed_files(const Corpus& corpus) {
    std::vector<fs::path> files;
    if (!fs::is_directory(corpus.dir)) return files;
    for (const auto& e : fs::directory_iterator(corpus.dir))
        if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    return files;
}

bool matches(const kelias::Diagnostic& d, const Expectation& x) {
    return d.severity == kelias::Severity::error && kelias::code_text(d.code) == x.code && d.where.line == x.line &&
           d.where.column == x.column && (x.message.empty() || d.message.find(x.message) != std::string::npos);
}

void check_file(const Corpus& corpus, const fs::path& path) {
    const std::string text = read_text(path);
    std::vector<Expectation> expected;
    std::string header_error;
    REQUIRE_MESSAGE(parse_header(text, expected, header_error), header_error);
    REQUIRE_MESSAGE(!expected.empty(), "no '# expect:' line at the top of the file");

    const std::string name = corpus.name_is_path ? path.string() : path.filename().string();
    const Loaded result = corpus.load(text, name);
    const auto& diagnostics = result.diagnostics;
    INFO("diagnostics:\n" << kelias::format(diagnostics));

    CHECK_MESSAGE(!result.ok, "the definition loaded, but it should have failed");
    for (const auto& d : diagnostics)
        CHECK_MESSAGE(d.where.file == name, "diagnostic without the file name: " << kelias::format(d));

    // Each expectation takes a distinct diagnostic (two errors may share a place).
    std::vector<bool> used(diagnostics.size(), false);
    for (const auto& x : expected) {
        bool found = false;
        for (std::size_t i = 0; i < diagnostics.size() && !found; ++i) {
            if (used[i] || !matches(diagnostics[i], x)) continue;
            bool hints_ok = std::all_of(x.hints.begin(), x.hints.end(), [&](const std::string& h) {
                return diagnostics[i].hint.find(h) != std::string::npos;
            });
            if (!hints_ok) continue;
            used[i] = true;
            found = true;
        }
        CHECK_MESSAGE(found, "no diagnostic matches '"
                                 << x.source << "'"
                                 << (x.hints.empty() ? std::string() : " (with its expect-hint lines)"));
    }

    const auto errors = std::count_if(diagnostics.begin(), diagnostics.end(), [](const kelias::Diagnostic& d) {
        return d.severity == kelias::Severity::error;
    });
    CHECK_MESSAGE(static_cast<std::size_t>(errors) == expected.size(),
                  "expected " << expected.size() << " errors, the loader reported " << errors);
}

// Every file of the corpus, one subcase each.
void check_corpus(const Corpus& corpus) {
    const auto files = malformed_files(corpus);
    REQUIRE(!files.empty());
    for (const auto& path : files) {
        SUBCASE(path.filename().string().c_str()) {
            INFO("file: " << path.string());
            check_file(corpus, path);
        }
    }
}

}  // namespace

TEST_CASE("malformed definitions: the folder holds the cases") {
    const auto files = malformed_files(instrument_corpus);
    INFO("folder: " << malformed_dir.string());
    CHECK(files.size() >= 40);
}

TEST_CASE("malformed definitions: every expected diagnostic, at its place, and no others") {
    check_corpus(instrument_corpus);
}

TEST_CASE("malformed rule sets: the folder holds the cases") {
    const auto files = malformed_files(rules_corpus);
    INFO("folder: " << malformed_rules_dir.string());
    CHECK(files.size() >= 20);
}

TEST_CASE("malformed rule sets: every expected diagnostic, at its place, and no others") { check_corpus(rules_corpus); }

TEST_CASE("malformed pathways: the folder holds the cases") {
    const auto files = malformed_files(pathway_corpus);
    INFO("folder: " << malformed_pathways_dir.string());
    CHECK(files.size() >= 10);
}

TEST_CASE("malformed pathways: every expected diagnostic, at its place, and no others") {
    check_corpus(pathway_corpus);
}

TEST_CASE("malformed plan policies: the folder holds the cases") {
    const auto files = malformed_files(plans_corpus);
    INFO("folder: " << malformed_plans_dir.string());
    CHECK(files.size() >= 20);
}

TEST_CASE("malformed plan policies: every expected diagnostic, at its place, and no others") {
    check_corpus(plans_corpus);
}

TEST_CASE("diagnostic format: FILE:LINE:COL: error[CODE]: message, then the hint") {
    kelias::Diagnostic d{kelias::Severity::error, kelias::DiagnosticCode::unknown_name, "unknown name 'substanse_use'",
                         "did you mean 'substance_use'?", kelias::Location{"instruments/start_av.yaml", 42, 12}};
    CHECK(kelias::format(d) == "instruments/start_av.yaml:42:12: error[E301]: unknown name 'substanse_use'\n"
                               "  hint: did you mean 'substance_use'?\n");

    d.hint.clear();
    CHECK(kelias::format(d) == "instruments/start_av.yaml:42:12: error[E301]: unknown name 'substanse_use'\n");

    d.severity = kelias::Severity::warning;
    d.code = kelias::DiagnosticCode::no_effect;
    CHECK(kelias::format(d).rfind("instruments/start_av.yaml:42:12: warning[W101]: ", 0) == 0);

    // A load failure formats the same way, with the name given to load_instrument().
    auto r = kelias::load_instrument(
        "kelias: 1\nid: x\nversion: '1'\ntitle: X\nitems:\n  - {id: a, type: bool}\nscores:\n  s: \"a and b\"\n",
        "inline.yaml");
    REQUIRE(!r.ok());
    REQUIRE(r.diagnostics().size() == 1);
    CHECK(kelias::format(r.diagnostics()) ==
          "inline.yaml:8:13: error[E301]: unknown name 'b'\n  hint: did you mean 'a'?\n");
}

TEST_CASE("diagnostics: a valid minimal instrument loads without any") {
    const std::string yaml = R"yaml(kelias: 1
id: tiny
version: 1.0.0
title: {en: "Tiny example", lt: "Mažas pavyzdys"}
scales:
  level: {values: [0, 1, 2], labels: {en: [low, some, high]}}
domains:
  - {id: person, label: {en: Person, lt: Asmuo}}
item_fields:
  strength: level
  vulnerability: level
items:
  - {id: coping, domain: person, label: {en: Coping, lt: Įveika}}
  - {id: plans,  domain: person, label: {en: Plans,  lt: Planai}}
scores:
  strength_total: {expr: "sum(strength)", omitted: skip}
tests:
  - name: both rated
    ratings: {coping.strength: 2, plans.strength: 1}
    expect: {strength_total: 3}
)yaml";
    auto r = kelias::load_instrument(yaml, "tiny.yaml");
    INFO(kelias::format(r.diagnostics()));
    CHECK(r.ok());
    CHECK(r.diagnostics().empty());
}

TEST_CASE("diagnostics: an unreadable file is E000") {
    const fs::path missing = malformed_dir / "no_such_file_here.yaml";
    REQUIRE(!fs::exists(missing));
    auto r = kelias::load_instrument_file(missing);
    CHECK(!r.ok());
    REQUIRE(r.diagnostics().size() == 1);
    const auto& d = r.diagnostics().front();
    CHECK(kelias::code_text(d.code) == "E000");
    CHECK(d.severity == kelias::Severity::error);
    CHECK(d.where.file == missing.string());
    CHECK(kelias::format(d).rfind(missing.string() + ": error[E000]: ", 0) == 0);

    // A folder is not a readable definition either.
    auto dir = kelias::load_instrument_file(malformed_dir);
    CHECK(!dir.ok());
    REQUIRE(!dir.diagnostics().empty());
    CHECK(kelias::code_text(dir.diagnostics().front().code) == "E000");
}

TEST_CASE("the code table of instruments/README.md is the library's table") {
    std::ifstream in(std::string(KELIAS_SOURCE_DIR) + "/instruments/README.md");
    REQUIRE(in);
    std::vector<std::pair<std::string, std::string>> documented;
    std::string line;
    bool in_table = false;
    while (std::getline(in, line)) {
        if (line == "| code | meaning |") {
            in_table = true;
            continue;
        }
        if (!in_table) continue;
        if (line.rfind("|---", 0) == 0) continue;
        if (line.rfind("| ", 0) != 0) break;
        const auto bar = line.find(" | ", 2);
        REQUIRE(bar != std::string::npos);
        documented.emplace_back(line.substr(2, bar - 2), line.substr(bar + 3, line.size() - bar - 5));
    }
    const auto codes = kelias::all_codes();
    REQUIRE(documented.size() == codes.size());
    std::set<std::string> texts;
    for (std::size_t i = 0; i < codes.size(); ++i) {
        CAPTURE(documented[i].first);
        CHECK(documented[i].first == kelias::code_text(codes[i]));
        CHECK(documented[i].second == kelias::code_summary(codes[i]));
        CHECK(texts.insert(std::string(kelias::code_text(codes[i]))).second);  // no code twice
    }
}

TEST_CASE("languages: codes read back and texts fall back to English") {
    CHECK(kelias::parse_language("lt") == kelias::Language::lt);
    CHECK(kelias::parse_language("en") == kelias::Language::en);
    CHECK_FALSE(kelias::parse_language("LT"));
    CHECK_FALSE(kelias::parse_language("de"));
    CHECK(kelias::to_string(kelias::Language::lt) == "lt");
    const kelias::LocalText only_en{.en = "Halfway house", .lt = {}};
    CHECK(only_en.in(kelias::Language::lt) == "Halfway house");
    const kelias::LocalText both{.en = "Halfway house", .lt = "Pusiaukelės namai"};
    CHECK(both.in(kelias::Language::lt) == "Pusiaukelės namai");
    CHECK(both.in(kelias::Language::en) == "Halfway house");
}
