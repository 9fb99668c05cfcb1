// Reasons refer to the rule set's compiled conditions and to a per-case snapshot: copies
// and moves of a Reason, a ProgrammeDecision or a CaseDecisions stay valid on their own,
// after the rule set, the batch and the decisions they came from are gone (CI runs this
// under ASan/UBSan). Exceptions in worker threads reach the caller.
#include <doctest/doctest.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <kelias/rules.hpp>

#include "base/parallel.hpp"

using namespace kelias;

namespace {

const char* reason_rules = R"yaml(kelias: 1
kind: rules
id: kept
version: "1"
title: Kept reasons
facts:
  start: date
  end: date
  convictions: integer
  penalties:
    list: {active: bool}
params:
  share: {value: 0.25, type: fraction, unit: {en: of the sentence, lt: bausmės}, source: "rule 7"}
programmes:
  - id: served
    label: {en: Served enough, lt: Atlikta pakankamai}
    eligible_when:
      all:
        - id: quarter
          expr: "as_of >= date_at_fraction(start, end, params.share)"
          source: "rule 7"
          confidence: verified
          text: {en: "has served {params.share} (on {date_at_fraction(start, end, params.share)})",
                 lt: "atlikta {params.share} ({date_at_fraction(start, end, params.share)})"}
        - id: clean
          expr: "count(penalties, active) == 0"
    excluded_when:
      any:
        - {id: many, expr: "convictions > 3", text: "more than 3 convictions ({convictions})"}
)yaml";

CaseInput a_case() {
    CaseInput c;
    c.id = "k1";
    c.as_of = parse_date("2025-06-01");
    c.facts = {{"start", "2025-01-01"}, {"end", "2027-01-01"}, {"convictions", "5"}};
    c.lists["penalties"] = std::vector<RecordInput>{{{"active", "true"}}, {{"active", "false"}}};
    return c;
}

// Every field of a reason, as text.
std::vector<std::string> fields(const Reason& r) {
    std::vector<std::string> out{r.id(),
                                 r.source(),
                                 r.confidence(),
                                 r.value() ? (*r.value() ? "true" : "false") : "unknown",
                                 r.exclusion() ? "exclusion" : "condition",
                                 r.against() ? "against" : "not against",
                                 r.text(),
                                 r.text(Language::lt),
                                 r.has_lithuanian_text() ? "lt" : "en only"};
    for (const auto& [k, v] : r.inputs()) out.push_back("input " + k + "=" + v);
    for (const auto& [k, v] : r.params()) out.push_back("param " + k + "=" + v);
    for (const auto& [k, v] : r.computed()) out.push_back("computed " + k + "=" + v);
    return out;
}

}  // namespace

TEST_CASE("reasons: copies and moves outlive the rule set, the batch and the decisions") {
    std::optional<Reason> copied, moved;
    std::optional<ProgrammeDecision> programme;
    std::optional<CaseDecisions> decided_case;
    std::vector<std::vector<std::string>> expected;
    std::string expected_json, expected_text;
    {
        auto rules = load_rules(reason_rules, "kept.yaml");
        INFO(format(rules.diagnostics()));
        REQUIRE(rules.ok());
        std::optional<CaseBatch> batch(std::in_place, *rules);
        REQUIRE(batch->add(a_case()).empty());
        std::vector<CaseDecisions> decided = decide_batch(*rules, *batch, {.earliest_dates = true, .threads = 1});
        REQUIRE(decided.size() == 1);
        const ProgrammeDecision* served = decided[0].find("served");
        REQUIRE(served);
        REQUIRE(served->reasons.size() == 3);
        for (const Reason& r : served->reasons) expected.push_back(fields(r));
        expected_json = to_json(decided[0], true);
        expected_text = to_text(decided[0], {.explain = true, .language = Language::lt});
        copied = served->reasons[0];
        Reason temporary = served->reasons[2];
        moved = std::move(temporary);
        programme = *served;
        decided_case = std::move(decided[0]);
        batch.reset();
        decided.clear();
        decided.shrink_to_fit();
    }  // the rule set, the batch and the decisions are gone
    // What the values are: the case's own, kept.
    REQUIRE(expected.size() == 3);
    CHECK(expected[0] == std::vector<std::string>{"quarter", "rule 7", "verified", "false", "condition", "against",
                                                  "has served 1/4 of the sentence (on 2025-07-03)",
                                                  "atlikta 1/4 bausmės (2025-07-03)", "lt", "input start=2025-01-01",
                                                  "input end=2027-01-01", "param share=0.25",
                                                  "computed date_at_fraction(start, end, params.share)=2025-07-03"});
    CHECK(expected[1] == std::vector<std::string>{"clean", "", "", "false", "condition", "against",
                                                  "count(penalties, active) == 0", "count(penalties, active) == 0",
                                                  "en only", "input penalties=2 records"});
    CHECK(expected[2] == std::vector<std::string>{"many", "", "", "true", "exclusion", "against",
                                                  "more than 3 convictions (5)", "more than 3 convictions (5)",
                                                  "en only", "input convictions=5", "computed convictions=5"});
    CHECK(fields(*copied) == expected[0]);
    CHECK(fields(*moved) == expected[2]);
    REQUIRE(programme->reasons.size() == 3);
    for (std::size_t k = 0; k < 3; ++k) CHECK(fields(programme->reasons[k]) == expected[k]);
    CHECK(programme->programme == "served");
    CHECK(programme->label().en == "Served enough");
    CHECK(programme->label().lt == "Atlikta pakankamai");
    CHECK(programme->decision == Decision::not_eligible);
    CHECK(to_json(*decided_case, true) == expected_json);
    CHECK(to_text(*decided_case, {.explain = true, .language = Language::lt}) == expected_text);
    // Copies of copies, after the originals are gone too.
    const ProgrammeDecision again = *programme;
    programme.reset();
    copied.reset();
    for (std::size_t k = 0; k < 3; ++k) CHECK(fields(again.reasons[k]) == expected[k]);
    CHECK(again.label().en == "Served enough");
}

TEST_CASE("reasons: a default reason and a hand-made decision are empty, not dangling") {
    const Reason r;
    CHECK(r.id().empty());
    CHECK(r.source().empty());
    CHECK(r.confidence().empty());
    CHECK_FALSE(r.value());
    CHECK_FALSE(r.exclusion());
    CHECK_FALSE(r.against());
    CHECK(r.text().empty());
    CHECK(r.text(Language::lt).empty());
    CHECK_FALSE(r.has_lithuanian_text());
    CHECK(r.inputs().empty());
    CHECK(r.params().empty());
    CHECK(r.computed().empty());
    ProgrammeDecision d;
    d.programme = "by_hand";
    CHECK(d.label().empty());
}

TEST_CASE("worker threads: an exception in any slice reaches the caller after all have ended") {
    for (std::size_t failing : {std::size_t{0}, std::size_t{1}, std::size_t{2}}) {
        std::vector<int> done(3, 0);
        CHECK_THROWS_WITH_AS(detail::for_each_slice(30, 3,
                                                    [&](std::size_t part, std::size_t, std::size_t) {
                                                        done[part] = 1;
                                                        if (part == failing)
                                                            throw std::runtime_error("slice " + std::to_string(part));
                                                    }),
                             ("slice " + std::to_string(failing)).c_str(), std::runtime_error);
        CHECK(done == std::vector<int>{1, 1, 1});
    }
}
