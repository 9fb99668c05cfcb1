#pragma once
/// \file plan.hpp
/// Case plans: plan policies (`kind: plan_policy`) and the planner that turns one case, its
/// scored assessment and its eligibility decisions into an individual plan (targets,
/// interventions, referrals, strengths, supervision level, next review, unmet needs).
/// Every line of a plan names where it came from. Plans are pure functions of their
/// inputs: no clock, no I/O, a stable order.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>
#include <kelias/language.hpp>
#include <kelias/rules.hpp>
#include <kelias/scoring.hpp>

KELIAS_BEGIN_NAMESPACE

class PlanPolicy;
namespace detail {
struct PlanPolicyData;
PlanPolicy make_plan_policy(std::shared_ptr<const PlanPolicyData> data);
}  // namespace detail

/// Who delivers an intervention or takes a referral.
enum class DeliveryRole : std::uint8_t {
    contact_officer,
    psychologist,
    social_worker,
    resocialisation_specialist,
    probation_officer,
    em_specialist,
    ngo,
};
/// `contact_officer`, `psychologist`, ...
std::string_view to_string(DeliveryRole role) noexcept;
/// The role's name for a person, in `language`.
std::string_view role_label(DeliveryRole role, Language language) noexcept;
/// Every role, in declaration order.
std::span<const DeliveryRole> all_delivery_roles() noexcept;

/// How closely a person is supervised, from the dosage band.
enum class SupervisionLevel : std::uint8_t { minimal, standard, enhanced, intensive };
std::string_view to_string(SupervisionLevel level) noexcept;

/// The ordered risk levels of the policy's intensity outcomes (the instruments' `risk` scale).
enum class RiskLevel : std::uint8_t { low, moderate, high };
std::string_view to_string(RiskLevel level) noexcept;

/// A compiled plan policy. Immutable, cheap to copy, safe to share across threads.
class PlanPolicy {
public:
    const std::string& id() const noexcept;
    const std::string& version() const noexcept;
    /// `id@version`.
    std::string key() const;
    /// `sha256:<hex>` of the policy file's text.
    const std::string& hash() const noexcept;
    const std::string& title() const noexcept;
    const std::string& file() const noexcept;
    /// The instruments the policy reads, in preference order, with the instrument each names.
    std::vector<std::pair<std::string, Instrument>> instruments() const;
    /// The target areas, in declaration order (ids).
    std::vector<std::string> areas() const;
    /// A human-readable summary (instruments, dosage bands, areas and their programmes).
    std::string describe() const;

    const detail::PlanPolicyData& data() const noexcept { return *data_; }

private:
    explicit PlanPolicy(std::shared_ptr<const detail::PlanPolicyData> d) : data_(std::move(d)) {}
    friend PlanPolicy detail::make_plan_policy(std::shared_ptr<const detail::PlanPolicyData>);
    std::shared_ptr<const detail::PlanPolicyData> data_;
};

/// Loads a plan policy (and the instruments it names) from YAML text: located diagnostics
/// for every problem at once; item and outcome names checked against the instruments;
/// the embedded tests checked for shape (run them with run_plan_policy_tests()).
Result<PlanPolicy> load_plan_policy(std::string_view yaml_text, std::string_view file_name = "<text>");
/// Reads a file and calls load_plan_policy().
Result<PlanPolicy> load_plan_policy_file(const std::filesystem::path& path);

/// The assessment a plan is built on: the instrument, the case's assessment (ratings or
/// given results) and its scores from the scoring API.
struct ScoredAssessment {
    Instrument instrument;
    AssessmentInput input;
    AssessmentScores scores;
};

/// Scores `input` with `instrument` (kelias::score over its ratings). Cells that do not fit
/// the instrument are E502/E501, as score() reports them.
Result<ScoredAssessment> score_assessment(const Instrument& instrument, const AssessmentInput& input);

/// The case's latest assessment dated on or before `as_of` among the policy's instruments
/// (on one date, the first in the policy's order; an undated one only when an instrument
/// has no dated one), scored; nullopt when it has none.
Result<std::optional<ScoredAssessment>> latest_scored_assessment(const CaseInput& c, const PlanPolicy& policy,
                                                                 Date as_of);

/// Where a line of a plan comes from.
struct PlanOrigin {
    enum class Kind : std::uint8_t { item, outcome, policy, decision, event, fact, assessment };
    Kind kind = Kind::policy;
    std::string id;      ///< item id, outcome id, policy rule id, programme id, event type, fact name, instrument
    std::string detail;  ///< the value that mattered (`vulnerability 2, critical`, `high`, `eligible`, a date)
    friend bool operator==(const PlanOrigin&, const PlanOrigin&) = default;
};
std::string_view to_string(PlanOrigin::Kind kind) noexcept;
/// `item school_work (vulnerability 2)`, `policy dosage.high_many`.
std::string to_string(const PlanOrigin& origin);

/// One item rating a target rests on.
struct TargetItem {
    std::string item;
    LocalText label;
    std::optional<int> vulnerability;
    bool critical = false;
};

/// A need to work on: a target area with the items that make it one.
struct PlanTarget {
    std::string area;
    LocalText label;
    int priority = 0;  ///< 1 = first
    std::vector<TargetItem> items;
    std::vector<PlanOrigin> from;
};

/// How the delivery of an intervention changes for a responsivity factor.
struct PlanAdaptation {
    LocalText note;
    PlanOrigin from;  ///< the policy's responsivity factor
};

/// An eligible programme the plan uses.
struct PlanIntervention {
    std::string programme;
    LocalText label;
    std::vector<std::string> areas;  ///< the targets it serves (empty for additions)
    DeliveryRole role = DeliveryRole::contact_officer;
    bool intensive = false;
    std::optional<int> hours;                 ///< intensive programmes: their share of the band's hours
    std::vector<PlanAdaptation> adaptations;  ///< responsivity: how delivery changes
    std::vector<PlanOrigin> from;
};

/// A referral for a harm-to-self outcome.
struct PlanReferral {
    std::string rule;  ///< the policy's harm_to_self rule
    LocalText label;
    DeliveryRole role = DeliveryRole::psychologist;
    std::string outcome;
    RiskLevel estimate = RiskLevel::moderate;
    std::vector<PlanOrigin> from;
};

/// A strength to build on (a lever).
struct PlanStrength {
    std::string item;
    LocalText label;
    std::optional<int> strength;
    bool key = false;
    std::vector<std::string> areas;  ///< target areas the item belongs to
    std::vector<PlanOrigin> from;
};

/// A programme considered for a need and what holds it back.
struct ConsideredProgramme {
    std::string programme;
    std::vector<LocalText> why;  ///< conditions not met, exclusions, missing facts
    PlanOrigin from;             ///< the decision (or the policy rule that set it aside)
};

/// A need without an eligible programme, never dropped.
struct UnmetNeed {
    enum class Reason : std::uint8_t {
        not_eligible,  ///< every programme for it is not eligible (see `reasons`)
        undetermined,  ///< a programme might be eligible; facts or an assessment are missing
        no_programme,  ///< the policy names no programme for the area
        not_in_rules,  ///< the programmes it names have no decision in the rule set
        low_risk,      ///< only intensive programmes, withheld at low risk (no override)
        avoided,       ///< the only programmes were set aside by a responsivity factor
    };
    std::string area;  ///< a target area, a responsivity addition or a harm-to-self rule
    LocalText label;
    Reason reason = Reason::no_programme;
    std::vector<ConsideredProgramme> programmes;  ///< in the order considered
    std::vector<PlanOrigin> from;
};
std::string_view to_string(UnmetNeed::Reason reason) noexcept;

/// A responsivity factor that applies to the person.
struct PlanResponsivity {
    std::string factor;
    LocalText label;
    LocalText note;
    std::vector<PlanOrigin> from;
};

/// The next review.
struct PlanReview {
    std::optional<Date> date;  ///< nullopt without an assessment: assess first
    bool overdue = false;      ///< the date is before as_of
    std::vector<PlanOrigin> from;
};

/// An individual plan.
struct Plan {
    std::string case_id;
    Date as_of;
    std::string policy_key, policy_hash, rules_key;
    std::string assessment;               ///< `start_av@2014 2025-04-28`, or empty without one
    std::optional<RiskLevel> risk_level;  ///< nullopt: undetermined (an intensity outcome is missing)
    std::vector<PlanOrigin> risk_from;
    int needs = 0;             ///< items counted as needs
    std::string dosage_band;   ///< the band's id, or empty when the risk level is undetermined
    std::optional<int> hours;  ///< the band's programme hours
    std::optional<SupervisionLevel> supervision;
    bool low_risk_override = false;  ///< the case gives a reason for intensive work at low risk
    std::vector<PlanOrigin> dosage_from;
    std::vector<PlanTarget> targets;
    std::vector<PlanIntervention> interventions;
    std::vector<PlanReferral> referrals;
    std::vector<PlanStrength> strengths;
    std::vector<PlanResponsivity> responsivity;
    std::vector<UnmetNeed> unmet;
    PlanReview review;
};

/// Builds a plan. `assessment` is the case's scored assessment (nullopt: none, and the plan
/// says to assess first); `decisions` come from kelias::decide on the same case; only
/// programmes decided `eligible` become interventions, every other need is an UnmetNeed
/// with its reason. E104 when `assessment` is for an instrument the policy does not read.
Result<Plan> plan(const CaseInput& c, const std::optional<ScoredAssessment>& assessment, const CaseDecisions& decisions,
                  const PlanPolicy& policy, Date as_of);
/// The same, scoring the case's latest assessment itself (latest_scored_assessment()).
Result<Plan> plan(const CaseInput& c, const CaseDecisions& decisions, const PlanPolicy& policy, Date as_of);

/// Text for a person, in `language`: every line ends with where it came from.
std::string to_text(const Plan& p, Language language = Language::en);
/// One JSON object (schema in instruments/README.md, "Plan policies").
std::string to_json(const Plan& p);

/// Plan progress as facts for the rules.
///
/// `plan_compliance`: from the case's events of type `plan_review` dated on or before
/// `as_of` with detail `compliance: true|false`; the latest one wins (on one date, the last
/// in file order). nullopt when there is none.
std::optional<bool> plan_compliance(const CaseInput& c, Date as_of);
/// `risk_reduced`: the two latest assessments (dated on or before `as_of`) of the same
/// instrument the policy reads (the first in its order that has two): true when the risk
/// level the policy defines (its intensity outcomes) fell, false when it did not; nullopt
/// when no instrument has two assessments with known levels.
std::optional<bool> risk_reduced(const CaseInput& c, const PlanPolicy& policy, Date as_of);
/// `c` with `plan_compliance` and `risk_reduced` filled in from the above, each only when
/// the case does not state it and it can be derived.
CaseInput with_progress_facts(CaseInput c, const PlanPolicy& policy, Date as_of);
/// The same, filling only the facts `rules` declares (a fact the rules do not know would
/// make kelias::decide refuse the case).
CaseInput with_progress_facts(CaseInput c, const PlanPolicy& policy, const RuleSet& rules, Date as_of);

/// Runs a plan policy's embedded tests.
struct PlanTestReport {
    int passed = 0, failed = 0;
    std::vector<std::pair<Location, std::string>> failures;  ///< where, `test 'x': message`
};
PlanTestReport run_plan_policy_tests(const PlanPolicy& policy);

KELIAS_END_NAMESPACE
