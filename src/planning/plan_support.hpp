#pragma once
// What the planner, the progress facts and the policy tests share: reading ratings and
// estimates of a case's assessment, the policy's risk level, a case's assessment history
// and its events.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <kelias/plan.hpp>

#include "planning/plan_policy_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

std::optional<RiskLevel> parse_risk(std::string_view text);
/// The cell of `column` in the assessment's ratings, else its given scores; nullopt when
/// omitted.
std::optional<std::string> cell(const AssessmentInput& a, const std::string& column);
/// `item.field` as 0, 1 or 2; nullopt when omitted or not applicable.
std::optional<int> rating(const AssessmentInput& a, const std::string& item, const char* field);
/// `item.field` is `true`.
bool flag(const AssessmentInput& a, const std::string& item, const char* field);
std::optional<RiskLevel> estimate(const AssessmentInput& a, const std::string& outcome);

/// The policy's risk level for one assessment: the highest estimate of the intensity
/// outcomes; nullopt when one is missing and none is high.
struct LevelReading {
    std::optional<RiskLevel> level;
    std::vector<PlanOrigin> from;
};
LevelReading risk_level(const AssessmentInput& a, const PolicyInstrument& pi);

/// The latest assessment of `instrument` dated on or before `as_of` (an undated one only
/// when there is no dated one); `previous`, when given, receives the dated one before it.
const AssessmentInput* latest_assessment_of(const CaseInput& c, const std::string& instrument, Date as_of,
                                            const AssessmentInput** previous);

/// One event of a case, as the planner reads it.
struct EventView {
    std::string type;
    Date date;
    const std::map<std::string, std::string>* details = nullptr;
};

/// The case's events in file order.
std::vector<EventView> events_of(const CaseInput& c);

}  // namespace detail
KELIAS_END_NAMESPACE
