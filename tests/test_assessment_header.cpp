// Assessment metadata and instrument content: `assessment_fields`, `outcome_groups`,
// `age_range` and `labels_confidence` of instruments; headers of assessments checked
// against them, in case documents, ratings files and the case store.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>

#include <kelias/assessment_header.hpp>
#include <kelias/case.hpp>
#include <kelias/case_io.hpp>
#include <kelias/case_store.hpp>
#include <kelias/instrument.hpp>
#include <kelias/pathway.hpp>
#include <kelias/plan.hpp>
#include <kelias/rules.hpp>

using namespace kelias;

namespace {

const std::string source = KELIAS_SOURCE_DIR;

const char* tiny = R"(kelias: 1
id: tiny
version: "1"
title: Tiny
age_range: {min: 13, max: 18}
scales:
  level: {values: [0, 1, 2]}
  setting: {values: [inside, outside]}
assessment_fields:
  status: {type: code, scale: setting, required: true}
  purpose: {type: code, values: [referral, review]}
  sources: {type: codes, values: [interview, records, testing]}
  assessor: {type: text, personal: true, required: true}
  consent: bool
  next_due: date
  hours: integer
items:
  - {id: coping, type: integer, min: 0, max: 2}
scores:
  total: {expr: "coping"}
)";

Instrument tiny_instrument() {
    auto loaded = load_instrument(tiny, "tiny.yaml");
    INFO(format(loaded.diagnostics()));
    REQUIRE(loaded.ok());
    return *loaded;
}

Instrument shipped(const std::string& id) {
    auto loaded = load_instrument_file(source + "/instruments/" + id + ".yaml");
    INFO(format(loaded.diagnostics()));
    REQUIRE(loaded.ok());
    return *loaded;
}

std::size_t count(const std::vector<Diagnostic>& ds, DiagnosticCode code) {
    return static_cast<std::size_t>(
        std::count_if(ds.begin(), ds.end(), [&](const Diagnostic& d) { return d.code == code; }));
}

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        static std::atomic<int> n{0};
        path = std::filesystem::temp_directory_path() /
               ("kelias_header_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("start_av declares its header, outcome groups, age range and graded labels") {
    const Instrument i = shipped("start_av");
    std::vector<std::string> ids;
    for (const auto& f : i.assessment_fields()) ids.push_back(f.id);
    CHECK(ids == std::vector<std::string>{"status", "purpose", "sources", "information_concern", "consent", "assessor",
                                          "case_specific_label", "threat", "signature_risk_signs"});
    const auto fields = i.assessment_fields();
    auto field = [&](const std::string& id) {
        return *std::find_if(fields.begin(), fields.end(), [&](const AssessmentFieldInfo& f) { return f.id == id; });
    };
    CHECK(field("status").type == HeaderFieldType::code);
    CHECK(field("status").codes == std::vector<std::string>{"institution", "community", "other"});
    CHECK(field("sources").type == HeaderFieldType::codes);
    CHECK(field("consent").type == HeaderFieldType::boolean);
    CHECK(field("assessor").personal);
    CHECK(field("threat").confidence == ContentConfidence::unverified);
    CHECK(field("signature_risk_signs").confidence == ContentConfidence::unverified);
    for (const auto& f : fields) CHECK_FALSE(f.required);  // older assessments stay valid

    REQUIRE(i.outcome_groups().size() == 2);
    CHECK(i.outcome_groups()[0].id == "harm_to_others");
    CHECK(i.outcome_groups()[0].labels.front().second == "Harm to Others and Rule Violations");
    CHECK(i.outcome_groups()[1].labels.front().second == "Harm to the Adolescent");

    REQUIRE(i.age_range());
    CHECK(i.age_range()->min == 13);
    CHECK(i.age_range()->max == 18);
    CHECK(i.age_range()->confidence == ContentConfidence::verified);
    CHECK(i.scale_label_confidence() ==
          std::vector<std::pair<std::string, ContentConfidence>>{{"level", ContentConfidence::unverified},
                                                                 {"risk", ContentConfidence::verified}});

    const std::string text = i.describe();
    CHECK(text.find("age range: 13-18 (verified)") != std::string::npos);
    CHECK(text.find("  threat  bool (confidence: unverified)") != std::string::npos);
    CHECK(text.find("  harm_to_self  Harm to the Adolescent") != std::string::npos);
    CHECK(text.find("scale labels: level (unverified) risk (verified)") != std::string::npos);
    const std::string json = i.describe_json();
    CHECK(json.find(R"("age_range":{"min":13,"max":18,"confidence":"verified"})") != std::string::npos);
    CHECK(json.find(R"("column":"header.sources","type":"codes")") != std::string::npos);
}

TEST_CASE("START declares the same header - signature risk signs are verified for adults") {
    const Instrument i = shipped("start");
    REQUIRE(i.age_range());
    CHECK(i.age_range()->min == 18);
    CHECK_FALSE(i.age_range()->max);
    const auto fields = i.assessment_fields();
    auto signs = std::find_if(fields.begin(), fields.end(),
                              [](const AssessmentFieldInfo& f) { return f.id == "signature_risk_signs"; });
    REQUIRE(signs != fields.end());
    CHECK(signs->confidence == ContentConfidence::verified);
    CHECK(i.outcome_groups().size() == 2);
}

TEST_CASE("an instrument without the new sections describes itself as before") {
    auto loaded =
        load_instrument("kelias: 1\nid: t\nversion: '1'\ntitle: T\nitems:\n  - {id: a, type: bool}\n", "t.yaml");
    REQUIRE(loaded.ok());
    CHECK(loaded->assessment_fields().empty());
    CHECK(loaded->outcome_groups().empty());
    CHECK_FALSE(loaded->age_range());
    CHECK(loaded->describe().find("assessment fields") == std::string::npos);
    CHECK(loaded->describe_json().find("assessment_fields") == std::string::npos);
}

TEST_CASE("check_assessment_header: required fields, values of every type, unknown fields") {
    const Instrument i = tiny_instrument();
    SUBCASE("a complete, valid header") {
        auto ds = check_assessment_header(i, {{"status", "inside"},
                                              {"assessor", "PS-1"},
                                              {"sources", "interview | records"},
                                              {"consent", "true"},
                                              {"next_due", "2025-09-01"},
                                              {"hours", "12"}});
        INFO(format(ds));
        CHECK(ds.empty());
    }
    SUBCASE("required fields absent or blank") {
        auto ds = check_assessment_header(i, {{"assessor", "  "}}, {.path = "row 7"});
        CHECK(count(ds, DiagnosticCode::invalid_header) == 2);
        CHECK(ds[0].message == "row 7: header.status is required by tiny@1 and not given");
        CHECK(ds[1].message == "row 7: header.assessor is required by tiny@1 and not given");
    }
    SUBCASE("every bad value at once, free text never repeated") {
        auto ds = check_assessment_header(i, {{"status", "inside"},
                                              {"assessor", "Jonas Jonaitis"},
                                              {"purpose", "audit"},
                                              {"sources", "records|records"},
                                              {"consent", "yes"},
                                              {"next_due", "2025-13-01"},
                                              {"hours", "1.5"}});
        CHECK(count(ds, DiagnosticCode::invalid_header) == 5);
        const std::string all = format(ds);
        CHECK(all.find("header.purpose: 'audit' is not one of referral|review") != std::string::npos);
        CHECK(all.find("header.sources: 'records' is listed twice") != std::string::npos);
        CHECK(all.find("header.consent: not true or false") != std::string::npos);
        CHECK(all.find("header.next_due: not a date") != std::string::npos);
        CHECK(all.find("2025-13-01") == std::string::npos);
        CHECK(all.find("Jonas") == std::string::npos);
    }
    SUBCASE("an unknown field, with a hint") {
        auto ds = check_assessment_header(i, {{"status", "inside"}, {"assessor", "PS-1"}, {"purpse", "review"}});
        REQUIRE(ds.size() == 1);
        CHECK(ds[0].code == DiagnosticCode::invalid_header);
        CHECK(ds[0].hint.find("purpose") != std::string::npos);
    }
}

TEST_CASE("check_assessment_header: the age range is a warning, from the age or the date of birth") {
    const Instrument i = tiny_instrument();
    const std::map<std::string, std::string> ok{{"status", "inside"}, {"assessor", "PS-1"}};
    CHECK(check_assessment_header(i, ok, {.age = 13}).empty());
    CHECK(check_assessment_header(i, ok, {.age = 18}).empty());
    auto young = check_assessment_header(i, ok, {.age = 12});
    REQUIRE(young.size() == 1);
    CHECK(young[0].severity == Severity::warning);
    CHECK(young[0].code == DiagnosticCode::age_outside_range);
    CHECK(young[0].message.find("below") != std::string::npos);
    CHECK(young[0].message.find("12") == std::string::npos);  // the age itself is not printed
    // 19 on the assessment date: born 2006-05-01, assessed 2025-05-01.
    auto old =
        check_assessment_header(i, ok, {.date = parse_date("2025-05-01"), .date_of_birth = parse_date("2006-05-01")});
    REQUIRE(old.size() == 1);
    CHECK(old[0].message.find("above") != std::string::npos);
    // The day before the 19th birthday is still 18.
    CHECK(check_assessment_header(i, ok, {.date = parse_date("2025-04-30"), .date_of_birth = parse_date("2006-05-01")})
              .empty());
    // No age known: nothing to say.
    CHECK(check_assessment_header(i, ok, {.date = parse_date("2025-05-01")}).empty());
    CHECK_FALSE(has_errors(old));
}

TEST_CASE("split_header_codes") {
    CHECK(split_header_codes("a|b") == std::vector<std::string>{"a", "b"});
    CHECK(split_header_codes(" a | | b ") == std::vector<std::string>{"a", "b"});
    CHECK(split_header_codes("").empty());
}

TEST_CASE("case documents carry a header: YAML lists, the older assessor and purpose keys, JSON round trip") {
    const char* yaml = R"(case: LT-1
facts: {}
assessments:
  start_av:
    date: 2025-05-20
    assessor: PS-1
    header: {status: institution, sources: [interview_adolescent, records_justice], consent: true}
    ratings: {coping.strength: 1}
)";
    auto c = parse_case(yaml, "c.yaml");
    INFO(format(c.diagnostics()));
    REQUIRE(c.ok());
    const auto& h = c->assessments.at(0).header;
    CHECK(h.at("status") == "institution");
    CHECK(h.at("sources") == "interview_adolescent|records_justice");
    CHECK(h.at("consent") == "true");
    CHECK(h.at("assessor") == "PS-1");
    CHECK(c->places.count(CasePath::header("start_av", "status")) == 1);
    CHECK(CasePath::header("start_av", "status").to_string() == "assessments.start_av.header.status");

    const std::string line = to_json(*c);
    CHECK(
        line.find(
            R"("header":{"assessor":"PS-1","consent":true,"sources":"interview_adolescent|records_justice","status":"institution"})") !=
        std::string::npos);
    auto back = parse_case(line, "c.json");
    INFO(format(back.diagnostics()));
    REQUIRE(back.ok());
    CHECK(back->assessments.at(0).header == h);

    // Without a header the JSON is as it was.
    auto plain = parse_case("case: LT-2\nassessments: {start_av: {date: 2025-05-20, ratings: {coping.strength: 1}}}\n");
    REQUIRE(plain.ok());
    CHECK(to_json(*plain).find("header") == std::string::npos);

    // assessor given twice (as the older key and in header) is refused.
    auto twice = parse_case(
        "case: LT-3\nassessments: {start_av: {date: 2025-05-20, assessor: A, header: {assessor: B}}}\n", "t.yaml");
    REQUIRE_FALSE(twice.ok());
    CHECK(has_code(twice.error(), DiagnosticCode::duplicate_key));
}

TEST_CASE("score_assessment: header errors stop the scores, a valid header leaves them unchanged") {
    const Instrument i = tiny_instrument();
    AssessmentInput a;
    a.instrument = "tiny";
    a.date = parse_date("2025-05-01");
    a.ratings = {{"coping", "2"}};
    auto missing = score_assessment(i, a);
    REQUIRE_FALSE(missing.ok());
    CHECK(count(missing.error(), DiagnosticCode::invalid_header) == 2);
    CHECK(missing.error()[0].message.starts_with("assessments.tiny: header.status"));
    a.header = {{"status", "outside"}, {"assessor", "PS-1"}};
    auto scored = score_assessment(i, a);
    INFO(format(scored.diagnostics()));
    REQUIRE(scored.ok());
    REQUIRE(scored->scores.find("total"));
    CHECK(scored->scores.find("total")->to_string() == "2");
}

TEST_CASE("ratings files give header fields as header.ID - the store keeps them and warns on age") {
    TempDir dir;
    {
        std::ofstream f(dir.path / "r.json");
        f << R"({"date": "2025-06-01", "header.status": "institution", "header.purpose": "review", "coping.strength": "1"})";
    }
    auto read = read_assessment_file(dir.path / "r.json");
    INFO(format(read.diagnostics()));
    REQUIRE(read.ok());
    CHECK(read->header == std::map<std::string, std::string>{{"purpose", "review"}, {"status", "institution"}});
    CHECK(read->ratings == std::map<std::string, std::string>{{"coping.strength", "1"}});

    auto rules = load_rules_file(source + "/instruments/lt_release_pathway.yaml");
    REQUIRE(rules.ok());
    auto pathway = load_pathway_file(source + "/instruments/lt_pathway.yaml", &*rules);
    REQUIRE(pathway.ok());
    auto store = open_sqlite_store(dir.path / "cases.db", *pathway, *rules,
                                   {.clock = [] { return std::string("2025-06-01T10:00:00.000Z"); }});
    REQUIRE(store.ok());
    auto adult = read_case_file(source + "/examples/cases/adult_to_halfway_house.yaml");
    REQUIRE(adult.ok());
    REQUIRE(store->create_case({"CM-4", "case_manager"}, *adult).ok());
    const Instrument start_av = shipped("start_av");
    // START:AV for an adult (born 1988): kept, with the W503 warning.
    auto kept = store->record_assessment({"PS-1", "psychologist"}, adult->id, start_av, *read, {.finalise = true});
    INFO(format(kept.diagnostics()));
    REQUIRE(kept.ok());
    CHECK(count(kept.diagnostics(), DiagnosticCode::age_outside_range) == 1);
    auto back = store->read_case({"PS-1", "psychologist"}, adult->id);
    REQUIRE(back.ok());
    const AssessmentInput* a = latest_assessment(back->document, "start_av", parse_date("2025-06-01"));
    REQUIRE(a);
    CHECK(a->header == read->header);

    // A value outside the field's codes is refused before anything is stored.
    AssessmentInput bad = *read;
    bad.header["status"] = "prison";
    auto refused = store->record_assessment({"PS-1", "psychologist"}, adult->id, start_av, bad, {});
    REQUIRE_FALSE(refused.ok());
    CHECK(has_code(refused.error(), DiagnosticCode::invalid_header));
}
