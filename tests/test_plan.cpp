// Plan policies and the planner: dosage bands, the low-risk guard and its override, unmet
// needs with their reasons, harm-to-self referrals, strengths, the review date and the
// events that bring it forward, progress facts, determinism and the texts.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <vector>

#include <kelias/kelias.hpp>

namespace {

using namespace kelias;

const std::string policy_file = std::string(KELIAS_SOURCE_DIR) + "/instruments/lt_plan_policy.yaml";

const PlanPolicy& policy() {
    static const PlanPolicy p = [] {
        auto r = load_plan_policy_file(policy_file);
        INFO(format(r.diagnostics()));
        REQUIRE(r.ok());
        return *r;
    }();
    return p;
}

Date day(const char* text) { return *parse_date(text); }

// An adolescent case with a START:AV assessment of these ratings on 2025-05-10.
CaseInput adolescent(std::map<std::string, std::string> ratings) {
    CaseInput c;
    c.id = "T-1";
    c.as_of = day("2025-06-01");
    c.facts["date_of_birth"] = "2008-03-01";
    c.assessments.push_back({"start_av", day("2025-05-10"), std::move(ratings), {}});
    return c;
}

CaseInput adult(std::map<std::string, std::string> ratings) {
    CaseInput c;
    c.id = "T-2";
    c.as_of = day("2025-06-01");
    c.facts["date_of_birth"] = "1990-01-01";
    c.assessments.push_back({"start", day("2025-05-10"), std::move(ratings), {}});
    return c;
}

ProgrammeDecision decided(const std::string& programme, Decision d) {
    ProgrammeDecision out;
    out.programme = programme;
    out.decision = d;
    return out;
}

CaseDecisions decisions(std::vector<ProgrammeDecision> ds) {
    CaseDecisions out;
    out.rules_key = "test@1";
    out.decisions = std::move(ds);
    return out;
}

Plan make(const CaseInput& c, const CaseDecisions& d = {}) {
    auto p = plan(c, d, policy(), *c.as_of);
    INFO(format(p.diagnostics()));
    REQUIRE(p.ok());
    return *p;
}

std::vector<std::string> programmes(const Plan& p) {
    std::vector<std::string> out;
    for (const auto& i : p.interventions) out.push_back(i.programme);
    return out;
}

const UnmetNeed* unmet(const Plan& p, const std::string& area) {
    for (const auto& u : p.unmet)
        if (u.area == area) return &u;
    return nullptr;
}

bool has_origin(const std::vector<PlanOrigin>& from, PlanOrigin::Kind kind, const std::string& id) {
    return std::any_of(from.begin(), from.end(), [&](const PlanOrigin& o) { return o.kind == kind && o.id == id; });
}

}  // namespace

TEST_CASE("plan policy: the shipped policy loads and its embedded tests pass") {
    const PlanPolicy& p = policy();
    CHECK(p.key() == "lt_plan_policy@2025.1");
    CHECK(p.hash().rfind("sha256:", 0) == 0);
    REQUIRE(p.instruments().size() == 2);
    CHECK(p.instruments()[0].first == "start_av");
    CHECK(p.instruments()[1].first == "start");
    CHECK(std::find(p.areas().begin(), p.areas().end(), "substance_use") != p.areas().end());
    const PlanTestReport report = run_plan_policy_tests(p);
    for (const auto& [where, message] : report.failures) INFO(where.line << ": " << message);
    CHECK(report.failed == 0);
    CHECK(report.passed >= 9);
    CHECK(p.describe().find("high_many: high risk, many needs -> 300 h, intensive supervision") != std::string::npos);
}

TEST_CASE("plan policy: a failing embedded test names its place and what differed") {
    std::string text = "kelias: 1\nkind: plan_policy\nid: t\nversion: '1'\ntitle: T\n"
                       "instruments:\n  start_av:\n    file: start_av\n    intensity: {outcomes: [violence]}\n"
                       "    items: {conduct: aggression}\n"
                       "dosage:\n  - {id: all, risk: low, hours: 0, supervision: minimal}\n"
                       "  - {id: m, risk: moderate, hours: 100, supervision: standard}\n"
                       "  - {id: h, risk: high, hours: 200, supervision: enhanced}\n"
                       "programmes: {anger_management: {role: psychologist, intensive: true}}\n"
                       "areas: [{id: aggression, programmes: [anger_management]}]\n"
                       "tests:\n  - name: wrong\n    as_of: 2025-06-01\n"
                       "    assessments: {start_av: {date: 2025-05-01, ratings: {violence.estimate: high}}}\n"
                       "    expect: {hours: 100}\n";
    auto loaded = load_plan_policy(text, std::string(KELIAS_SOURCE_DIR) + "/instruments/t.yaml");
    INFO(format(loaded.diagnostics()));
    REQUIRE(loaded.ok());
    const PlanTestReport report = run_plan_policy_tests(*loaded);
    CHECK(report.passed == 0);
    REQUIRE(report.failed == 1);
    CHECK(report.failures[0].first.line == 21);
    CHECK(report.failures[0].second == "test 'wrong': hours: expected [100], got [200]");
}

TEST_CASE("plan policy: files that cannot be read or are another kind") {
    auto missing = load_plan_policy_file(std::string(KELIAS_SOURCE_DIR) + "/no/such/policy.yaml");
    REQUIRE_FALSE(missing.ok());
    CHECK(has_code(missing.error(), DiagnosticCode::unreadable_file));
    auto rules = load_plan_policy_file(std::string(KELIAS_SOURCE_DIR) + "/instruments/lt_release_pathway.yaml");
    REQUIRE_FALSE(rules.ok());
    CHECK(has_code(rules.error(), DiagnosticCode::wrong_definition_kind));
    auto instrument = load_plan_policy_file(std::string(KELIAS_SOURCE_DIR) + "/instruments/start_av.yaml");
    REQUIRE_FALSE(instrument.ok());
    CHECK(has_code(instrument.error(), DiagnosticCode::wrong_definition_kind));
}

TEST_CASE("planner: dosage follows risk and the number of needs") {
    struct Row {
        const char* violence;
        int needs;
        const char* band;
        int hours;
        SupervisionLevel supervision;
    };
    const std::vector<std::string> need_items = {"conduct", "substance_use", "attitudes", "school_work"};
    for (const Row& row : std::vector<Row>{{"moderate", 1, "moderate_few", 100, SupervisionLevel::standard},
                                           {"moderate", 3, "moderate_many", 200, SupervisionLevel::enhanced},
                                           {"high", 2, "high_few", 200, SupervisionLevel::enhanced},
                                           {"high", 4, "high_many", 300, SupervisionLevel::intensive},
                                           {"low", 4, "low", 0, SupervisionLevel::minimal}}) {
        CAPTURE(row.band);
        std::map<std::string, std::string> ratings = {{"violence.estimate", row.violence},
                                                      {"nonviolent_offending.estimate", "low"}};
        for (int i = 0; i < row.needs; ++i) ratings[need_items[static_cast<std::size_t>(i)] + ".vulnerability"] = "2";
        const Plan p = make(adolescent(ratings));
        REQUIRE(p.risk_level);
        CHECK(p.needs == row.needs);
        CHECK(p.dosage_band == row.band);
        CHECK(p.hours == row.hours);
        CHECK(p.supervision == row.supervision);
        CHECK(has_origin(p.dosage_from, PlanOrigin::Kind::policy, std::string("dosage.") + row.band));
    }
}

TEST_CASE("planner: the highest intensity estimate is the risk level - a missing one leaves it open") {
    const Plan high = make(adolescent({{"violence.estimate", "high"}}));  // high decides though one is missing
    CHECK(high.risk_level == RiskLevel::high);
    const Plan open = make(adolescent({{"violence.estimate", "moderate"}}));
    CHECK_FALSE(open.risk_level);
    CHECK(open.dosage_band.empty());
    CHECK_FALSE(open.hours);
    CHECK(has_origin(open.risk_from, PlanOrigin::Kind::outcome, "nonviolent_offending"));
}

TEST_CASE("planner: hours are shared by the intensive programmes - only eligible ones are used") {
    const Plan p =
        make(adolescent({{"violence.estimate", "high"},
                         {"nonviolent_offending.estimate", "high"},
                         {"conduct.vulnerability", "2"},
                         {"substance_use.vulnerability", "2"},
                         {"school_work.vulnerability", "2"}}),
             decisions({decided("anger_management", Decision::eligible), decided("equip", Decision::not_eligible),
                        decided("substance_abuse", Decision::eligible), decided("education", Decision::eligible)}));
    CHECK(p.dosage_band == "high_many");
    CHECK(programmes(p) == std::vector<std::string>{"anger_management", "substance_abuse", "education"});
    CHECK(p.interventions[0].hours == 150);
    CHECK(p.interventions[1].hours == 150);
    CHECK_FALSE(p.interventions[2].hours);
    CHECK(p.interventions[0].role == DeliveryRole::psychologist);
    CHECK(p.interventions[2].role == DeliveryRole::resocialisation_specialist);
    CHECK(has_origin(p.interventions[0].from, PlanOrigin::Kind::decision, "anger_management"));
    CHECK(has_origin(p.interventions[0].from, PlanOrigin::Kind::policy, "areas.aggression"));
    // The adolescent factor is applied: its note reaches every intervention.
    REQUIRE(p.responsivity.size() == 1);
    CHECK(p.responsivity[0].factor == "age");
    CHECK(p.interventions[2].adaptations.size() == 1);
}

TEST_CASE("planner: low risk gets no intensive programme unless the case gives a reason") {
    auto c = adult({{"violence.estimate", "low"}, {"substance_use.vulnerability", "2"}});
    const auto d = decisions({decided("substance_abuse", Decision::eligible)});
    const Plan guarded = make(c, d);
    CHECK(guarded.interventions.empty());
    const UnmetNeed* u = unmet(guarded, "substance_use");
    REQUIRE(u);
    CHECK(u->reason == UnmetNeed::Reason::low_risk);
    CHECK_FALSE(guarded.low_risk_override);

    c.facts["intensive_override_reason"] = "ordered by the court";
    const Plan overridden = make(c, d);
    CHECK(overridden.low_risk_override);
    CHECK(overridden.dosage_band == "moderate_few");
    CHECK(programmes(overridden) == std::vector<std::string>{"substance_abuse"});
    CHECK(overridden.unmet.empty());
    CHECK(has_origin(overridden.dosage_from, PlanOrigin::Kind::fact, "intensive_override_reason"));
}

TEST_CASE("planner: unmet needs keep their reasons") {
    ProgrammeDecision refused = decided("one_to_one", Decision::not_eligible);
    {  // the reasons of a real decision: a failing condition and one that holds
        auto rules = load_rules(R"yaml(kelias: 1
kind: rules
id: plan_reasons
version: "1"
title: Reasons for the planner
facts:
  probation: bool
programmes:
  - id: one_to_one
    eligible_when:
      all:
        - {id: o2o_probation, expr: "probation", text: "is supervised by the probation service"}
        - {id: other, expr: "not probation", text: "met condition"}
)yaml",
                                "plan_reasons.yaml");
        REQUIRE(rules.ok());
        CaseInput c;
        c.as_of = day("2025-06-01");
        c.facts["probation"] = "false";
        auto decided = decide(*rules, c);
        REQUIRE(decided.ok());
        refused.reasons = decided->find("one_to_one")->reasons;
        REQUIRE(refused.reasons.size() == 2);
        CHECK(refused.reasons[0].against());
        CHECK_FALSE(refused.reasons[1].against());
    }
    ProgrammeDecision open = decided("equip", Decision::undetermined);
    open.missing = {"facts.date_of_birth"};
    const Plan p = make(adolescent({{"violence.estimate", "moderate"},
                                    {"nonviolent_offending.estimate", "moderate"},
                                    {"substance_use.vulnerability", "2"},
                                    {"relationships_peers.vulnerability", "2"},
                                    {"emotional_state.critical", "true"},
                                    {"case_specific.vulnerability", "2"}}),
                        decisions({refused, open}));
    CHECK(p.interventions.empty());
    // Not eligible: every programme named, the failing condition with its id.
    const UnmetNeed* substance = unmet(p, "substance_use");
    REQUIRE(substance);
    CHECK(substance->reason == UnmetNeed::Reason::not_eligible);
    REQUIRE(substance->programmes.size() == 3);
    CHECK(substance->programmes[0].programme == "drunk_driving_prevention");
    REQUIRE(substance->programmes[0].why.size() == 1);
    CHECK(substance->programmes[0].why[0].en == "no decision in test@1");
    CHECK(substance->programmes[0].why[0].lt == "nėra sprendimo: test@1");
    REQUIRE(substance->programmes[2].why.size() == 1);
    CHECK(substance->programmes[2].why[0].en == "not met: is supervised by the probation service [o2o_probation]");
    CHECK(substance->programmes[2].why[0].lt.rfind("neįvykdyta: ", 0) == 0);
    CHECK(substance->programmes[2].from == PlanOrigin{PlanOrigin::Kind::decision, "one_to_one", "not_eligible"});
    // Undetermined wins over not eligible: it may still open.
    const UnmetNeed* peers = unmet(p, "peers");
    REQUIRE(peers);
    CHECK(peers->reason == UnmetNeed::Reason::undetermined);
    REQUIRE(peers->programmes[0].why.size() == 1);
    CHECK(peers->programmes[0].why[0].en == "missing facts.date_of_birth");
    // An area without a programme in the policy.
    const UnmetNeed* health = unmet(p, "health_wellbeing");
    REQUIRE(health);
    CHECK(health->reason == UnmetNeed::Reason::no_programme);
    CHECK(has_origin(health->from, PlanOrigin::Kind::item, "emotional_state"));
    // An item the policy maps to no area is a need all the same.
    const UnmetNeed* item = unmet(p, "case_specific");
    REQUIRE(item);
    CHECK(item->reason == UnmetNeed::Reason::no_programme);
    CHECK(p.needs == 4);
    // Nothing eligible at all: every target is an unmet need.
    CHECK(p.unmet.size() == p.targets.size() + 1);
}

TEST_CASE("planner: programmes without decisions and programmes set aside") {
    const Plan p = make(adolescent({{"violence.estimate", "moderate"},
                                    {"nonviolent_offending.estimate", "low"},
                                    {"treatability.vulnerability", "2"}}));
    const UnmetNeed* u = unmet(p, "motivation");
    REQUIRE(u);
    CHECK(u->reason == UnmetNeed::Reason::not_in_rules);
    REQUIRE(p.responsivity.size() == 2);
    CHECK(p.responsivity[1].factor == "motivation");
    CHECK(has_origin(p.responsivity[1].from, PlanOrigin::Kind::item, "treatability"));
}

TEST_CASE("planner: harm to self leads to referrals") {
    const Plan p = make(adolescent({{"violence.estimate", "low"},
                                    {"nonviolent_offending.estimate", "low"},
                                    {"suicide.estimate", "moderate"},
                                    {"self_injury.estimate", "high"},
                                    {"victimization.estimate", "low"},
                                    {"health_neglect.estimate", "high"}}));
    REQUIRE(p.referrals.size() == 2);
    CHECK(p.referrals[0].rule == "suicide_self_harm");
    CHECK(p.referrals[0].role == DeliveryRole::psychologist);
    CHECK(p.referrals[0].outcome == "self_injury");
    CHECK(p.referrals[0].estimate == RiskLevel::high);
    CHECK(has_origin(p.referrals[0].from, PlanOrigin::Kind::outcome, "suicide"));
    CHECK(has_origin(p.referrals[0].from, PlanOrigin::Kind::policy, "harm_to_self.suicide_self_harm"));
    CHECK(p.referrals[1].rule == "health_neglect");
    CHECK(p.referrals[1].role == DeliveryRole::social_worker);
    // Adults: the START outcomes of the same rules.
    const Plan a = make(adult({{"violence.estimate", "low"}, {"self_harm.estimate", "moderate"}}));
    REQUIRE(a.referrals.size() == 1);
    CHECK(a.referrals[0].outcome == "self_harm");
}

TEST_CASE("planner: key strengths first, then strong ones, as levers") {
    const Plan p = make(adolescent({{"violence.estimate", "low"},
                                    {"nonviolent_offending.estimate", "low"},
                                    {"school_work.strength", "2"},
                                    {"plans.strength", "2"},
                                    {"social_support_adults.strength", "1"},
                                    {"social_support_adults.key", "true"},
                                    {"coping.strength", "1"}}));
    REQUIRE(p.strengths.size() == 3);
    CHECK(p.strengths[0].item == "social_support_adults");
    CHECK(p.strengths[0].key);
    CHECK(p.strengths[0].areas == std::vector<std::string>{"family_home"});
    CHECK(p.strengths[1].item == "school_work");
    CHECK(p.strengths[2].item == "plans");
    CHECK(p.strengths[1].label.lt == "Mokykla / darbas");
    CHECK(has_origin(p.strengths[0].from, PlanOrigin::Kind::item, "social_support_adults"));
}

TEST_CASE("planner: the review date, and events that bring it forward") {
    auto c = adolescent({{"violence.estimate", "low"}, {"nonviolent_offending.estimate", "low"}});
    const Plan regular = make(c);
    CHECK(regular.review.date == day("2025-08-10"));
    CHECK_FALSE(regular.review.overdue);
    CHECK(has_origin(regular.review.from, PlanOrigin::Kind::policy, "review.interval"));

    c.events.push_back({"job_started", day("2025-05-15"), "", "", {}});           // not a review event
    c.events.push_back({"disciplinary_penalty", day("2025-05-25"), "", "", {}});  // + P14D = 06-08
    c.events.push_back({"incident", day("2025-06-20"), "", "", {}});              // after as_of
    c.events.push_back({"incident", day("2025-05-01"), "", "", {}});              // before the assessment
    const Plan penalty = make(c);
    CHECK(penalty.review.date == day("2025-06-08"));
    CHECK_FALSE(penalty.review.overdue);
    CHECK(has_origin(penalty.review.from, PlanOrigin::Kind::event, "disciplinary_penalty"));
    CHECK(has_origin(penalty.review.from, PlanOrigin::Kind::policy, "review.events.disciplinary_penalty"));

    c.events.push_back({"incident", day("2025-05-20"), "contact_officer", "CO-1", {}});  // + P7D = 05-27
    const Plan incident = make(c);
    CHECK(incident.review.date == day("2025-05-27"));
    CHECK(incident.review.overdue);

    CaseInput none = c;
    none.assessments.clear();
    const Plan first = make(none);
    CHECK(first.assessment.empty());
    CHECK(first.review.date == day("2025-06-01"));
    CHECK(first.targets.empty());
}

TEST_CASE("planner: the latest assessment on or before as_of is planned on") {
    auto c = adolescent({{"violence.estimate", "high"}, {"nonviolent_offending.estimate", "low"}});
    c.assessments.push_back(
        {"start_av", day("2025-05-20"), {{"violence.estimate", "low"}, {"nonviolent_offending.estimate", "low"}}, {}});
    c.assessments.push_back({"start_av",
                             day("2025-07-01"),
                             {{"violence.estimate", "high"}, {"nonviolent_offending.estimate", "high"}},
                             {}});
    const Plan p = make(c);
    CHECK(p.assessment == "start_av@2014 2025-05-20");
    CHECK(p.risk_level == RiskLevel::low);
}

TEST_CASE("planner: an adult assessed with START after START:AV is planned on START") {
    auto c = adolescent({{"violence.estimate", "high"}, {"nonviolent_offending.estimate", "high"}});
    c.assessments.push_back({"start", day("2025-05-20"), {{"violence.estimate", "low"}}, {}});
    CHECK(make(c).assessment == "start@1.1 2025-05-20");
    c.assessments.back().date = day("2025-05-10");  // the same day: the policy's order
    CHECK(make(c).assessment == "start_av@2014 2025-05-10");
}

TEST_CASE("planner: an assessment of an instrument the policy does not read is refused") {
    auto inst = load_instrument_file(std::string(KELIAS_SOURCE_DIR) + "/examples/instruments/ogrs3.yaml");
    REQUIRE(inst.ok());
    auto scored = score_assessment(*inst, AssessmentInput{"ogrs3", day("2025-05-01"), {}, {}});
    REQUIRE(scored.ok());
    const CaseInput c = adolescent({});
    auto p = plan(c, std::optional<ScoredAssessment>(*scored), CaseDecisions{}, policy(), day("2025-06-01"));
    REQUIRE_FALSE(p.ok());
    CHECK(p.error().front().code == DiagnosticCode::invalid_value);
    CHECK(p.error().front().message == "the plan policy does not read instrument 'ogrs3'");
    // Ratings that do not fit the instrument are the scoring API's errors.
    auto bad = plan(adolescent({{"conduct.vulnerability", "7"}}), CaseDecisions{}, policy(), day("2025-06-01"));
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().front().code == DiagnosticCode::invalid_cell);
    CHECK(bad.error().front().message.rfind("assessments.start_av.ratings.conduct.vulnerability: ", 0) == 0);
    // Read from a file, the problem is placed at the rating.
    auto text = parse_case("case: c\nas_of: 2025-06-01\nassessments:\n  start_av:\n    date: 2025-05-01\n"
                           "    ratings: {conduct.vulnerability: 7}\n",
                           "c.yaml");
    REQUIRE(text.ok());
    auto located = plan(*text, CaseDecisions{}, policy(), day("2025-06-01"));
    REQUIRE_FALSE(located.ok());
    CHECK(located.error().front().where.file == "c.yaml");
    CHECK(located.error().front().where.line == 6);
}

TEST_CASE("planner: deterministic, whatever the order of the decisions") {
    auto c = adolescent({{"violence.estimate", "high"},
                         {"nonviolent_offending.estimate", "moderate"},
                         {"conduct.vulnerability", "2"},
                         {"attitudes.vulnerability", "2"},
                         {"substance_use.critical", "true"},
                         {"plans.strength", "2"}});
    c.facts["foreign_national"] = "true";
    std::vector<ProgrammeDecision> ds = {
        decided("anger_management", Decision::eligible), decided("one_to_one", Decision::eligible),
        decided("foreign_nationals_support", Decision::eligible), decided("substance_abuse", Decision::undetermined)};
    const std::string first = to_json(make(c, decisions(ds)));
    std::reverse(ds.begin(), ds.end());
    CHECK(to_json(make(c, decisions(ds))) == first);
    CHECK(to_json(make(c, decisions(ds))) == first);
    const Plan p = make(c, decisions(ds));
    // The critical item's area comes first.
    REQUIRE(!p.targets.empty());
    CHECK(p.targets[0].area == "substance_use");
    CHECK(p.targets[0].priority == 1);
    CHECK(std::find(programmes(p).begin(), programmes(p).end(), "foreign_nationals_support") != programmes(p).end());
}

TEST_CASE("progress facts: plan_compliance from plan reviews, the latest wins") {
    CaseInput c = adolescent({});
    CHECK_FALSE(plan_compliance(c, day("2025-06-01")));
    c.events.push_back({"plan_review", day("2025-03-01"), "social_worker", "", {{"compliance", "true"}}});
    c.events.push_back({"plan_review", day("2025-05-01"), "social_worker", "", {{"compliance", "false"}}});
    c.events.push_back({"plan_review", day("2025-04-01"), "social_worker", "", {{"compliance", "true"}}});
    c.events.push_back({"plan_review", day("2025-07-01"), "social_worker", "", {{"compliance", "true"}}});
    c.events.push_back({"plan_review", day("2025-05-02"), "social_worker", "", {{"note", "no verdict"}}});
    CHECK(plan_compliance(c, day("2025-06-01")) == false);
    CHECK(plan_compliance(c, day("2025-04-15")) == true);
    CHECK(plan_compliance(c, day("2025-07-01")) == true);
    CHECK_FALSE(plan_compliance(c, day("2025-01-01")));
}

TEST_CASE("progress facts: risk_reduced from the two latest assessments") {
    CaseInput c = adolescent({{"violence.estimate", "high"}, {"nonviolent_offending.estimate", "low"}});
    CHECK_FALSE(risk_reduced(c, policy(), day("2025-06-01")));  // one assessment
    c.assessments.push_back({"start_av",
                             day("2025-02-10"),
                             {{"violence.estimate", "high"}, {"nonviolent_offending.estimate", "high"}},
                             {}});
    CHECK(risk_reduced(c, policy(), day("2025-06-01")) == false);  // high, then high
    c.assessments.push_back({"start_av",
                             day("2025-05-30"),
                             {{"violence.estimate", "moderate"}, {"nonviolent_offending.estimate", "low"}},
                             {}});
    CHECK(risk_reduced(c, policy(), day("2025-06-01")) == true);   // high, then moderate
    CHECK(risk_reduced(c, policy(), day("2025-05-20")) == false);  // the later one not yet
    // Filled in only when the case does not state them.
    c.events.push_back({"plan_review", day("2025-05-01"), "", "", {{"compliance", "true"}}});
    CaseInput filled = with_progress_facts(c, policy(), day("2025-06-01"));
    CHECK(filled.facts.at("risk_reduced") == "true");
    CHECK(filled.facts.at("plan_compliance") == "true");
    c.facts["risk_reduced"] = "false";
    c.facts["plan_compliance"] = "false";
    CaseInput stated = with_progress_facts(c, policy(), day("2025-06-01"));
    CHECK(stated.facts.at("risk_reduced") == "false");
    CHECK(stated.facts.at("plan_compliance") == "false");  // With a rule set: only the facts it declares.
    auto rules = load_rules("kelias: 1\nkind: rules\nid: r\nversion: '1'\ntitle: R\nfacts: {risk_reduced: bool}\n"
                            "programmes: [{id: p, eligible_when: {all: [{id: c, expr: risk_reduced}]}}]\n");
    REQUIRE(rules.ok());
    c.facts.clear();
    CaseInput only = with_progress_facts(c, policy(), *rules, day("2025-06-01"));
    CHECK(only.facts.at("risk_reduced") == "true");
    CHECK(only.facts.count("plan_compliance") == 0);
    CaseInput facts_only;  // the rule set reads no assessment
    facts_only.id = "x";
    facts_only.as_of = day("2025-06-01");
    facts_only.facts = only.facts;
    auto d = decide(*rules, facts_only);
    REQUIRE(d.ok());
    CHECK(d->decisions[0].decision == Decision::eligible);
}

TEST_CASE("plan texts: every line names its origin, in English and Lithuanian") {
    auto c = adolescent({{"violence.estimate", "high"},
                         {"nonviolent_offending.estimate", "moderate"},
                         {"conduct.vulnerability", "2"},
                         {"substance_use.vulnerability", "2"},
                         {"school_work.strength", "2"},
                         {"suicide.estimate", "moderate"}});
    c.facts["foreign_national"] = "true";
    const Plan p = make(c, decisions({decided("equip", Decision::eligible)}));
    for (Language language : {Language::en, Language::lt}) {
        const std::string text = to_text(p, language);
        std::istringstream lines(text);
        std::string line;
        int content = 0;
        while (std::getline(lines, line)) {
            if (line.rfind("  ", 0) != 0 && line.find(": ") == std::string::npos) continue;  // headings
            if (line.find(": none") != std::string::npos || line.find(": nėra") != std::string::npos) continue;
            if (line.rfind("Plan", 0) == 0 ||
                line.rfind(language == Language::lt ? "Vertinimas" : "Assessment", 0) == 0)
                continue;
            ++content;
            CHECK_MESSAGE(line.find(language == Language::lt ? "[iš: " : "[from: ") != std::string::npos, line);
        }
        CHECK(content >= 8);
    }
    CHECK(to_text(p, Language::lt).find("Nepatenkinti poreikiai") != std::string::npos);
    CHECK(to_text(p, Language::lt).find("Agresija ir savikontrolė") != std::string::npos);
    const std::string json = to_json(p);
    CHECK(json.rfind("{\"case\":\"T-1\",\"as_of\":\"2025-06-01\",\"policy\":\"lt_plan_policy@2025.1\"", 0) == 0);
    CHECK(json.find("\"interventions\":[{\"programme\":\"equip\"") != std::string::npos);
    CHECK(json.find("\"review\":{\"date\":\"2025-08-10\",\"overdue\":false") != std::string::npos);
}

TEST_CASE("plans with the shipped rule set: decisions from kelias::decide") {
    auto rules = load_rules_file(std::string(KELIAS_SOURCE_DIR) + "/instruments/lt_release_pathway.yaml");
    REQUIRE(rules.ok());
    auto c = read_case_file(std::string(KELIAS_SOURCE_DIR) + "/examples/cases/hwh_eligible_later.yaml");
    REQUIRE(c.ok());
    const CaseInput input = with_progress_facts(*c, policy(), *c->as_of);
    auto d = decide(*rules, input);
    REQUIRE(d.ok());
    auto p = plan(input, *d, policy(), *c->as_of);
    REQUIRE(p.ok());
    CHECK(p->rules_key == rules->key());
    CHECK(p->assessment == "start@1.1 2025-05-30");  // an adult: START, not START:AV
    // Whatever the rules decide, no need is dropped: every target is served or unmet.
    for (const auto& t : p->targets) {
        const bool served = std::any_of(p->interventions.begin(), p->interventions.end(), [&](const auto& i) {
            return std::find(i.areas.begin(), i.areas.end(), t.area) != i.areas.end();
        });
        CHECK_MESSAGE((served || unmet(*p, t.area) != nullptr), t.area);
    }
    for (const auto& i : p->interventions) {
        const ProgrammeDecision* pd = d->find(i.programme);
        REQUIRE(pd);
        CHECK(pd->decision == Decision::eligible);
    }
}
