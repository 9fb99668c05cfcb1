#pragma once
// What the report builders and writers share: words, labels and escaping.
#include <string>
#include <string_view>
#include <vector>

#include <kelias/report.hpp>

#include "base/messages.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// The fixed word `m` in `l`, as a string.
inline std::string word(Message m, Language l) { return std::string(message(m, l)); }

/// The title of a report variant.
Message variant_title(ReportVariant v) noexcept;
/// `low`, `moderate`, `high` in `l`; other codes as they are; "" for unknown.
std::string risk_word(std::string_view code, Language l);
std::string trend_word(Trend t, Language l);
std::string decision_word(Decision d, Language l);
std::string unmet_word(UnmetNeed::Reason r, Language l);
/// `fails:`, `excluded:`, `unknown:` in `l`.
std::string reason_word(EligibilityReason::Kind k, Language l);
std::string supervision_word(SupervisionLevel s, Language l);
std::string status_word(ObligationStatus s, Language l);
/// `proposed`, `granted`, `refused`, `carried out` for an event line ("" for other events).
std::string step_word(const EventLine& e, Language l);
/// A rating or "–".
std::string rating_text(const std::optional<int>& v);
/// A number in its shortest form, or "–".
std::string number_text(const std::optional<double>& v);

/// One list of the plan as every writer shows it: a heading and a line of text per entry.
struct PlanList {
    Message heading;
    std::vector<std::string> lines;
};
/// Targets, interventions, referrals (when the variant shows harm to self), strengths,
/// responsivity and unmet needs, in that order.
std::vector<PlanList> plan_lists(const CaseReport& r, Language l);
/// The plan's next review: its date (and "overdue"), or "no assessment".
std::string plan_review_text(const Plan& p, Language l);

/// `&`, `<`, `>`, `"` and `'` as HTML entities.
std::string html_escape(std::string_view s);
/// Markdown: the characters that would start markup (`\`, `|`, `*`, `_`, `` ` ``, `[`,
/// `]`, `<`, `>`, `#`) escaped with a backslash; line breaks become spaces.
std::string md_escape(std::string_view s);

}  // namespace detail
KELIAS_END_NAMESPACE
