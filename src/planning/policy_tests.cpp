// Running the test cases embedded in a plan policy: each gives a case, the decisions the
// rules would give, and what the plan must say.
#include <kelias/plan.hpp>

#include "planning/plan_policy_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& x : v) s += (s.empty() ? "" : ", ") + x;
    return s;
}

std::string actual(const Plan& p, const std::string& key) {
    std::vector<std::string> v;
    if (key == "risk_level") return p.risk_level ? std::string(to_string(*p.risk_level)) : "";
    if (key == "dosage_band") return p.dosage_band;
    if (key == "hours") return p.hours ? std::to_string(*p.hours) : "";
    if (key == "supervision") return p.supervision ? std::string(to_string(*p.supervision)) : "";
    if (key == "needs") return std::to_string(p.needs);
    if (key == "next_review") return p.review.date ? to_string(*p.review.date) : "";
    if (key == "targets")
        for (const auto& t : p.targets) v.push_back(t.area);
    if (key == "interventions")
        for (const auto& i : p.interventions) v.push_back(i.programme);
    if (key == "referrals")
        for (const auto& r : p.referrals) v.push_back(r.rule);
    if (key == "strengths")
        for (const auto& s : p.strengths) v.push_back(s.item);
    if (key == "responsivity")
        for (const auto& r : p.responsivity) v.push_back(r.factor);
    if (key == "unmet")
        for (const auto& u : p.unmet) v.push_back(u.area + ": " + std::string(to_string(u.reason)));
    return joined(v);
}

}  // namespace

PlanTestReport run_plan_policy_tests(const PlanPolicy& policy) {
    PlanTestReport report;
    for (const auto& tc : policy.data().tests) {
        CaseDecisions decisions;
        decisions.case_id = tc.name;
        decisions.as_of = tc.input.as_of;
        decisions.rules_key = "test decisions";
        for (const auto& [programme, decision] : tc.decisions) {
            ProgrammeDecision d;
            d.programme = programme;
            d.decision = decision;
            decisions.decisions.push_back(std::move(d));
        }
        const Date as_of = tc.input.as_of.value_or(Date{});
        const CaseInput input = with_progress_facts(tc.input, policy, as_of);
        auto made = plan(input, decisions, policy, as_of);
        if (!made) {
            ++report.failed;
            report.failures.push_back({tc.where, "test '" + tc.name + "': " + made.error().front().message});
            continue;
        }
        bool ok = true;
        for (const auto& x : tc.expect) {
            const std::string got = actual(*made, x.key);
            if (got == x.value) continue;
            ok = false;
            report.failures.push_back(
                {x.where, "test '" + tc.name + "': " + x.key + ": expected [" + x.value + "], got [" + got + "]"});
        }
        (ok ? report.passed : report.failed)++;
    }
    return report;
}

KELIAS_END_NAMESPACE
