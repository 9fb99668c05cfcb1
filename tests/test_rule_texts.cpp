// Rule-set features for people reading the output: typed params, texts with placeholders,
// Lithuanian output, lint findings, gaps named as gaps.
#include <algorithm>
#include <doctest/doctest.h>
#include <fstream>
#include <iterator>

#include <kelias/case_io.hpp>
#include <kelias/rules.hpp>
#include <kelias/rules_lint.hpp>

using namespace kelias;

namespace {

const std::string here = std::string(KELIAS_SOURCE_DIR) + "/instruments/inline_rules.yaml";

RuleSet must_load(const std::string& text) {
    auto r = load_rules(text, here);
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    return *r;
}

RuleSet shipped(const std::string& name) {
    auto r = load_rules_file(std::string(KELIAS_SOURCE_DIR) + "/instruments/" + name);
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    return *r;
}

const ParamInfo& param(const RuleSet& rules, const std::string& id) {
    const auto params = rules.params();
    const auto it = std::find_if(params.begin(), params.end(), [&](const ParamInfo& p) { return p.id == id; });
    REQUIRE(it != params.end());
    return *it;
}

// The first diagnostic's message and hint, for a rule set that must fail to load.
std::pair<std::string, std::string> first_error(const std::string& text) {
    auto r = load_rules(text, here);
    REQUIRE_FALSE(r.ok());
    REQUIRE_FALSE(r.error().empty());
    return {r.error().front().message, r.error().front().hint};
}

std::string with_params(const std::string& params) {
    return "kelias: 1\nkind: rules\nid: t\nversion: \"1\"\ntitle: T\nfacts:\n  a: bool\nparams:\n" + params +
           "programmes:\n  - id: p\n    eligible_when: {all: [{id: c, expr: \"a\"}]}\n";
}

}  // namespace

TEST_CASE("typed params: type, unit and range are exposed, untyped ones are inferred") {
    const RuleSet rules =
        must_load(with_params("  share: {value: 0.25, type: fraction, unit: {en: of the sentence, lt: bausmės}}\n"
                              "  convictions: {value: 3, type: integer, unit: convictions, min: 1, max: 20}\n"
                              "  window: {value: P6M, type: duration}\n"
                              "  legacy: {value: 0.5}\n"
                              "  code: {value: minor}\n"));
    const ParamInfo& share = param(rules, "share");
    CHECK(share.typed);
    CHECK(share.type == ParamType::fraction);
    CHECK(share.unit.en == "of the sentence");
    CHECK(share.unit.in(Language::lt) == "bausmės");
    const ParamInfo& convictions = param(rules, "convictions");
    CHECK(convictions.type == ParamType::integer);
    CHECK(convictions.min == 1);
    CHECK(convictions.max == 20);
    CHECK(convictions.unit.in(Language::lt) == "convictions");  // English is the fallback
    CHECK(param(rules, "window").type == ParamType::duration);
    CHECK_FALSE(param(rules, "legacy").typed);
    CHECK(param(rules, "legacy").type == ParamType::number);
    CHECK(param(rules, "code").type == ParamType::code);
    CHECK(to_string(ParamType::code) == "category");
}

TEST_CASE("typed params: a value outside its type or range is E104 with a hint") {
    auto [message, hint] = first_error(with_params("  share: {value: 25, type: fraction}\n"));
    CHECK(message == "param 'share' is a fraction, 25 is outside [0, 1]");
    CHECK(hint == "a fraction is in [0, 1]; did you mean 0.25?");
    std::tie(message, hint) = first_error(with_params("  n: {value: 0, type: integer, min: 1}\n"));
    CHECK(message == "param 'n' is 0, outside its range [1, inf]");
    std::tie(message, hint) = first_error(with_params("  n: {value: 1.5, type: integer}\n"));
    CHECK(message == "param 'n' is an integer, not 1.5");
    auto r = load_rules(with_params("  share: {value: 25, type: fraction}\n"), here);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().front().code == DiagnosticCode::invalid_value);
}

TEST_CASE("typed params: the shipped rule sets type theirs") {
    for (const char* file : {"lt_release_pathway.yaml", "no_release_pathway.yaml"}) {
        INFO(file);
        const RuleSet rules = shipped(file);
        for (const ParamInfo& p : rules.params()) {
            INFO(p.id);
            CHECK(p.typed);
        }
    }
    CHECK(param(shipped("lt_release_pathway.yaml"), "hwh_min_share_served").type == ParamType::fraction);
}

namespace {

const char* placeholder_rules = R"yaml(kelias: 1
kind: rules
id: texts
version: "1"
title: Texts
facts:
  start: date
  end: date
  convictions: integer
params:
  share: {value: 0.25, type: fraction, unit: {en: of the sentence, lt: bausmės}}
  min_convictions: {value: 3, type: integer, unit: {en: convictions, lt: teistumai}}
  window: {value: P6M, type: duration}
programmes:
  - id: p
    eligible_when:
      all:
        - id: served
          expr: "as_of >= date_at_fraction(start, end, params.share)"
          text: {en: "has served {params.share} (on {date_at_fraction(start, end, params.share)})",
                 lt: "atlikta {params.share} ({date_at_fraction(start, end, params.share)})"}
        - id: convicted
          expr: "convictions >= params.min_convictions"
          text: {en: "at least {params.min_convictions}, {{braces}} kept", lt: "ne mažiau kaip {params.min_convictions}"}
        - id: window_left
          expr: "end >= as_of + params.window"
          text: "at least {params.window} left ({end - params.window} at the latest; {convictions * 2} doubled)"
)yaml";

CaseInput texts_case(const char* convictions = "4") {
    CaseInput c;
    c.id = "t1";
    c.as_of = parse_date("2025-06-01");
    c.facts = {{"start", "2025-01-01"}, {"end", "2027-01-01"}, {"convictions", convictions}};
    return c;
}

const Reason& reason(const CaseDecisions& d, const std::string& id) {
    const ProgrammeDecision* p = d.find("p");
    REQUIRE(p != nullptr);
    const auto it = std::find_if(p->reasons.begin(), p->reasons.end(), [&](const Reason& r) { return r.id() == id; });
    REQUIRE(it != p->reasons.end());
    return *it;
}

}  // namespace

TEST_CASE("texts: params are written with their unit, computed values per case, in both languages") {
    const RuleSet rules = must_load(placeholder_rules);
    const auto d = decide(rules, texts_case());
    REQUIRE(d.ok());
    const Reason& served = reason(*d, "served");
    CHECK(served.text() == "has served 1/4 of the sentence (on 2025-07-03)");
    CHECK(served.text(Language::lt) == "atlikta 1/4 bausmės (2025-07-03)");
    REQUIRE(served.params().size() == 1);
    CHECK(served.params()[0] == std::pair<std::string, std::string>{"share", "0.25"});
    REQUIRE(served.computed().size() == 1);
    CHECK(served.computed()[0].first == "date_at_fraction(start, end, params.share)");
    CHECK(served.computed()[0].second == "2025-07-03");
    const Reason& convicted = reason(*d, "convicted");
    CHECK(convicted.text() == "at least 3 convictions, {braces} kept");
    CHECK(convicted.text(Language::lt) == "ne mažiau kaip 3 teistumai");
    const Reason& left = reason(*d, "window_left");
    CHECK(left.text() == "at least 6 months left (2026-07-01 at the latest; 8 doubled)");
    CHECK(!left.has_lithuanian_text());
    CHECK(left.text(Language::lt) == left.text());
    // The condition as declared keeps its placeholders and names the params it reads.
    const ConditionInfo& declared = rules.programmes()[0].conditions[0];
    CHECK(declared.text == "has served {params.share} (on {date_at_fraction(start, end, params.share)})");
    CHECK(declared.params == std::vector<std::string>{"share"});
}

TEST_CASE("texts: a computed value that is unknown for the case says so") {
    const RuleSet rules = must_load(placeholder_rules);
    CaseInput c = texts_case();
    c.facts.erase("end");
    const auto d = decide(rules, c);
    REQUIRE(d.ok());
    CHECK(reason(*d, "served").text() == "has served 1/4 of the sentence (on unknown)");
    CHECK(reason(*d, "served").text(Language::lt) == "atlikta 1/4 bausmės (nežinoma)");
}

TEST_CASE("texts: changing a param changes the text (shipped TOG rule)") {
    const std::string path = std::string(KELIAS_SOURCE_DIR) + "/instruments/lt_release_pathway.yaml";
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CaseInput c;
    c.id = "t";
    c.as_of = parse_date("2025-06-01");
    auto tog_text = [&](const std::string& rules_text) {
        auto rules = load_rules(rules_text, path);
        INFO(format(rules.diagnostics()));
        REQUIRE(rules.ok());
        auto d = decide(*rules, c);
        REQUIRE(d.ok());
        const ProgrammeDecision* tog = d->find("tog_unit");
        REQUIRE(tog != nullptr);
        for (const auto& r : tog->reasons)
            for (const auto& [id, value] : r.params())
                if (id == "tog_min_convictions") return r.text();
        FAIL("no TOG condition reads tog_min_convictions");
        return std::string();
    };
    CHECK(tog_text(text).find("at least 3 convictions") != std::string::npos);
    const std::string key = "tog_min_convictions:\n    value: 3";
    const auto at = text.find(key);
    REQUIRE(at != std::string::npos);
    text.replace(at, key.size(), "tog_min_convictions:\n    value: 5");
    const std::string changed = tog_text(text);
    CHECK(changed.find("at least 5 convictions") != std::string::npos);
    CHECK(changed.find("3 convictions") == std::string::npos);
}

TEST_CASE("texts: the decisions-only path computes no placeholder") {
    const RuleSet rules = must_load(placeholder_rules);
    CaseBatch cases(rules);
    REQUIRE(cases.add(texts_case()).empty());
    REQUIRE(cases.add(texts_case("1")).empty());
    const DecisionTable table = decide_columns(rules, cases, 1);
    const auto full = decide_batch(rules, cases, {.earliest_dates = false, .threads = 1});
    for (std::size_t row = 0; row < 2; ++row) CHECK(table(row, 0) == full[row].decisions[0].decision);
    CHECK(table(1, 0) == Decision::not_eligible);
}

TEST_CASE("Lithuanian output: labels, texts and the fixed words - English stays the fallback") {
    const RuleSet rules = shipped("lt_release_pathway.yaml");
    const ProgrammeInfo& hwh = rules.programmes()[0];
    REQUIRE(hwh.id == "halfway_house");
    CHECK(hwh.label_text.en == "Halfway house");
    CHECK(hwh.label_text.lt == "Pusiaukelės namai");
    CHECK_FALSE(hwh.description.en.empty());
    const auto quarter = std::find_if(hwh.conditions.begin(), hwh.conditions.end(),
                                      [](const ConditionInfo& c) { return c.id == "hwh_quarter_served"; });
    REQUIRE(quarter != hwh.conditions.end());
    CHECK(quarter->texts.lt.starts_with("atlikta ne mažiau kaip {params.hwh_min_share_served}"));

    CaseInput c;
    c.id = "LT-1";
    c.as_of = parse_date("2025-06-01");
    c.facts = {{"regime", "closed"}, {"sentence_start", "2024-10-07"}, {"sentence_end", "2028-04-07"}};
    const auto d = decide(rules, c);
    REQUIRE(d.ok());
    const std::string lt = to_text(*d, {.explain = true, .language = Language::lt});
    CHECK(lt.starts_with("Byla LT-1 data 2025-06-01 (taisyklės lt_release_pathway@"));
    CHECK(lt.find("Pusiaukelės namai [halfway_house]: NEATITINKA SĄLYGŲ\n") != std::string::npos);
    CHECK(lt.find("atlikta ne mažiau kaip 1/4 bausmės (H1: nuo 2025-08-23)") != std::string::npos);
    CHECK(lt.find("  trūksta:  ") != std::string::npos);
    CHECK(lt.find("NOT ELIGIBLE") == std::string::npos);
    const std::string en = to_text(*d, {.explain = true, .language = Language::en});
    CHECK(en.starts_with("Case LT-1 on 2025-06-01 (rules lt_release_pathway@"));
    CHECK(en.find("Halfway house [halfway_house]: NOT ELIGIBLE\n") != std::string::npos);
    CHECK(en.find("has served at least 1/4 of the sentence (H1: from 2025-08-23)") != std::string::npos);
    CHECK(to_text(*d, true) == en);
    CHECK(rules.describe(Language::lt).find("halfway_house (placement): Pusiaukelės namai") != std::string::npos);
}

TEST_CASE("lint: every kind of finding, explained ones marked, counts per confidence grade") {
    auto loaded = load_rules_file(std::string(KELIAS_SOURCE_DIR) + "/tests/cli/data/lint_findings.yaml");
    INFO(format(loaded.diagnostics()));
    REQUIRE(loaded.ok());
    const LintReport report = lint(*loaded);
    std::vector<std::string> ids;
    for (const auto& f : report.findings) ids.push_back(f.id);
    CHECK(ids == std::vector<std::string>{"table_gap.share.grave", "unverified_param.min_convictions",
                                          "never_eligible.pilot", "never_eligible.both_regimes",
                                          "literal_number.release.repeat", "literal_number.release.time_left",
                                          "stale_accept.unverified_param.gone"});
    REQUIRE_FALSE(report.findings.empty());
    CHECK(report.findings[0].kind == LintKind::table_gap);
    CHECK(report.findings[0].explained());
    CHECK(*report.findings[0].explanation == "no source gives the share for grave crimes");
    CHECK(report.findings[0].where.line == 19);
    CHECK(report.unexplained() == 6);
    REQUIRE(report.confidence.size() == 4);
    CHECK(report.confidence[0].grade == "verified");
    CHECK(report.confidence[0].conditions == 1);
    CHECK(report.confidence[3].conditions == 4);
    CHECK(to_text(report).ends_with("7 findings, 1 explained, 6 to fix or explain\n"));
}

TEST_CASE("lint: a rule set whose texts follow their params has no literal-number finding") {
    for (const char* file : {"lt_release_pathway.yaml", "no_release_pathway.yaml"}) {
        INFO(file);
        for (const auto& f : lint(shipped(file)).findings) {
            INFO(f.id);
            CHECK(f.kind != LintKind::literal_number);
            CHECK(f.kind != LintKind::never_eligible);
        }
    }
}

TEST_CASE("lint: a number too long for a double in a text is no finding and no crash") {
    const RuleSet rules = must_load(with_params("  p: {value: 1, type: integer, confidence: verified}\n") +
                                    "  - id: q\n    eligible_when: {all: [{id: c, expr: \"params.p > 0\", text: \"" +
                                    std::string(400, '9') + " and 1 left\"}]}\n");
    const LintReport report = lint(rules);
    REQUIRE(report.findings.size() == 1);
    CHECK(report.findings[0].id == "literal_number.q.c");
}

TEST_CASE("lint: an accepted finding needs a reason") {
    auto r = load_rules(with_params("  p: {value: 1, confidence: unverified}\n") +
                            "lint:\n  accept:\n    unverified_param.p: \"\"\n",
                        here);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().front().code == DiagnosticCode::invalid_value);
}

TEST_CASE("gaps: a table without a row for the case's key is named, apart from missing facts") {
    const RuleSet rules = must_load(R"yaml(kelias: 1
kind: rules
id: gaps
version: "1"
title: Gaps
facts:
  category: {type: category, values: [minor, serious]}
  start: date
  end: date
tables:
  share: {kind: conversion, rows: [{equals: minor, value: 0.5}]}
programmes:
  - id: release
    eligible_when:
      all:
        - {id: served, expr: "as_of >= date_at_fraction(start, end, share(category))"}
  - id: follow_up
    eligible_when:
      all:
        - {id: released, expr: "eligible('release')"}
)yaml");
    CaseInput c;
    c.id = "g";
    c.as_of = parse_date("2025-06-01");
    c.facts = {{"category", "serious"}, {"start", "2024-01-01"}, {"end", "2026-01-01"}};
    auto d = decide(rules, c);
    REQUIRE(d.ok());
    const ProgrammeDecision* release = d->find("release");
    REQUIRE(release != nullptr);
    CHECK(release->decision == Decision::undetermined);
    CHECK(release->missing.empty());
    REQUIRE(release->gaps.size() == 1);
    CHECK(release->gaps[0] == RuleGap{"share", "category", "serious"});
    CHECK(d->find("follow_up")->gaps == release->gaps);  // read through eligible()
    CHECK(to_json(*d).find(R"("gaps":[{"table":"share","fact":"category","key":"serious"}])") != std::string::npos);
    CHECK(to_text(*d).find("  no rule:  table share: no row for category = serious\n") != std::string::npos);
    c.facts["category"] = "minor";
    d = decide(rules, c);
    REQUIRE(d.ok());
    CHECK(d->find("release")->gaps.empty());
    c.facts.erase("category");  // unknown key: a missing fact, not a gap
    d = decide(rules, c);
    REQUIRE(d.ok());
    CHECK(d->find("release")->gaps.empty());
    CHECK(d->find("release")->missing == std::vector<std::string>{"facts.category"});
}

TEST_CASE("earliest date: what the decision will still need on that day") {
    const RuleSet rules = shipped("lt_release_pathway.yaml");
    auto stale = read_case_file(std::string(KELIAS_SOURCE_DIR) + "/tests/cli/data/case_stale_on_earliest.yaml");
    REQUIRE(stale.ok());
    auto d = decide(rules, *stale);
    REQUIRE(d.ok());
    const ProgrammeDecision* hwh = d->find("halfway_house");
    REQUIRE(hwh != nullptr);
    CHECK(hwh->earliest_date == parse_date("2025-08-23"));
    REQUIRE(hwh->needed_on_earliest.size() == 1);
    CHECK(hwh->needed_on_earliest[0].path == "assessments.start");
    CHECK(hwh->needed_on_earliest[0].dated_from == parse_date("2025-05-23"));
    CHECK(to_text(*d, {.explain = false, .language = Language::lt})
              .find("  tą dieną reikės: assessments.start atlikto ne anksčiau kaip 2025-05-23\n") != std::string::npos);

    auto fresh = read_case_file(std::string(KELIAS_SOURCE_DIR) + "/examples/cases/hwh_eligible_later.yaml");
    REQUIRE(fresh.ok());
    d = decide(rules, *fresh);
    REQUIRE(d.ok());
    CHECK(d->find("halfway_house")->earliest_date == parse_date("2025-08-23"));
    CHECK(d->find("halfway_house")->needed_on_earliest.empty());
}
