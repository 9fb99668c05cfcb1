// Running the test cases embedded in a rule set.
#include <kelias/rules.hpp>

#include <algorithm>

#include "model/rule_set_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

std::string joined(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    std::string s = "[";
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
    return s + "]";
}

std::string date_text(const std::optional<Date>& d) { return d ? to_string(*d) : "null"; }

}  // namespace

RulesTestReport run_rules_tests(const RuleSet& rules) {
    RulesTestReport report;
    for (const auto& tc : rules.data().tests) {
        if (!tc.runnable) continue;  // reported when the rule set was loaded
        auto decided = decide(rules, tc.input);
        if (!decided) {
            ++report.failed;
            report.failures.push_back(
                {tc.where, "test '" + tc.name + "': the case is invalid: " + decided.error().front().message});
            continue;
        }
        bool ok = true;
        auto fail = [&](const Location& where, const std::string& message) {
            ok = false;
            report.failures.push_back({where, "test '" + tc.name + "': " + message});
        };
        for (const auto& [programme, expected] : tc.expect) {
            const ProgrammeDecision* d = decided->find(programme);
            if (d && d->decision != expected.first)
                fail(expected.second, programme + ": expected " + std::string(to_string(expected.first)) + ", got " +
                                          std::string(to_string(d->decision)));
        }
        for (const auto& [programme, expected] : tc.expect_earliest) {
            const ProgrammeDecision* d = decided->find(programme);
            if (d && d->earliest_date != expected.first)
                fail(expected.second, programme + ": expected earliest date " + date_text(expected.first) + ", got " +
                                          date_text(d->earliest_date));
        }
        for (const auto& [programme, expected] : tc.expect_missing) {
            const ProgrammeDecision* d = decided->find(programme);
            if (d && joined(d->missing) != joined(expected.first))
                fail(expected.second,
                     programme + ": expected missing " + joined(expected.first) + ", got " + joined(d->missing));
        }
        for (const auto& [programme, expected] : tc.expect_failed) {
            const ProgrammeDecision* d = decided->find(programme);
            if (!d) continue;
            std::vector<std::string> failed;
            for (const auto& r : d->reasons)
                if (r.against()) failed.push_back(r.id());
            if (joined(failed) != joined(expected.first))
                fail(expected.second,
                     programme + ": expected failing " + joined(expected.first) + ", got " + joined(failed));
        }
        (ok ? report.passed : report.failed)++;
    }
    return report;
}

KELIAS_END_NAMESPACE
