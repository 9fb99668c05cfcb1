#pragma once
/// \file report.hpp
/// Printable case reports: one structured value (CaseReport) built from a case document
/// and the loaded definitions, written as HTML (one self-contained, printable file with an
/// inline SVG profile chart), Markdown or JSON, in English or Lithuanian. Three variants:
/// the full case report, the pack for a conditional-release commission or a court, and
/// the prison-to-probation handover (ReportSections says what each holds). A unit report
/// sums up many cases: due reassessments and obligations, upcoming earliest dates and the
/// override rate by instrument and by staff member.
///
/// Reports are pure functions of their inputs (no clock, no database, no I/O except
/// write_report()); they name the person by the pseudonymous case id only and never show
/// the date of birth (the age instead), event details or staff pseudonyms of events.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kelias/case.hpp>
#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>
#include <kelias/language.hpp>
#include <kelias/pathway.hpp>
#include <kelias/plan.hpp>
#include <kelias/rules.hpp>

KELIAS_BEGIN_NAMESPACE

/// Who a report is for.
enum class ReportVariant : std::uint8_t {
    full,        ///< the case manager's report: everything below
    commission,  ///< a conditional-release commission or a court: the material criteria
    handover,    ///< the probation office taking over after release: what to continue
};
/// `full`, `commission`, `handover`.
std::string_view to_string(ReportVariant variant) noexcept;
std::optional<ReportVariant> parse_report_variant(std::string_view text) noexcept;

/// The formats a report is written in.
enum class ReportFormat : std::uint8_t { html, markdown, json };
/// `html`, `md`, `json`.
std::string_view to_string(ReportFormat format) noexcept;
/// `html`, `md` (or `markdown`), `json`.
std::optional<ReportFormat> parse_report_format(std::string_view text) noexcept;

/// What a variant holds. The commission pack carries what commissions and courts weigh
/// (research notes, eligibility §2.3: behaviour while serving, plan implementation, risk
/// level and its reduction, time served): the risk estimates for harm to others and their
/// change, the placement and supervision decisions with reasons and earliest dates, the
/// plan's targets and interventions, placements, moves and events; no item ratings and
/// no harm-to-self estimates or referrals (health data it does not need). The handover
/// carries what probation continues (seed 001: a seamless transition from prison to
/// halfway house and probation): the item profile and its change, every estimate, the
/// whole plan, obligations and the next assessment; no eligibility for prison programmes
/// and no event list.
struct ReportSections {
    bool item_profile = true;               ///< per-item ratings, the SVG chart, totals
    bool harm_to_self = true;               ///< harm-to-self estimates and referrals
    bool eligibility = true;                ///< decisions with reasons and earliest dates
    bool placement_decisions_only = false;  ///< eligibility of kinds placement, return, supervision only
    bool plan = true;                       ///< targets, interventions, strengths, unmet needs, review
    bool placements = true;                 ///< stays and moves over time
    bool events = true;                     ///< the events of the case (type, date, role)
    bool obligations = true;                ///< obligations of the current stay
    bool next_assessment = true;            ///< when the next assessment is due
};
/// The sections of `variant`.
ReportSections sections_of(ReportVariant variant) noexcept;

/// The loaded definitions a report reads. The pathway is optional: without it stays and
/// events keep their ids as labels, and there are no obligations or next assessment.
struct ReportDefinitions {
    RuleSet rules;
    PlanPolicy policy;
    std::optional<Pathway> pathway{};
};

/// How build_report() runs: `{.as_of = d, .language = Language::lt, .variant = ReportVariant::handover}`.
struct ReportOptions {
    std::optional<Date> as_of{};  ///< nullopt: the case's own as_of (one of them is required)
    Language language = Language::en;
    ReportVariant variant = ReportVariant::full;
};

/// How a value compares with the previous assessment's.
enum class Trend : std::uint8_t {
    none,  ///< no previous assessment, or a value unknown in one of them
    same,
    better,  ///< strength up, vulnerability or risk down
    worse,   ///< strength down, vulnerability or risk up
};
/// `none`, `same`, `better`, `worse`.
std::string_view to_string(Trend trend) noexcept;

/// One scalar fact of the case, as cell text (`date_of_birth` is never listed).
struct ReportFact {
    std::string name{};
    std::string value{};
};

/// One item of the profile with its ratings now and at the previous assessment.
struct ProfileItem {
    std::string item{};
    LocalText label{};
    std::string domain{};
    std::optional<int> strength{}, vulnerability{};  ///< nullopt: omitted or not applicable
    bool key = false, critical = false;
    std::optional<int> previous_strength{}, previous_vulnerability{};
    bool previous_key = false, previous_critical = false;
    Trend strength_trend = Trend::none, vulnerability_trend = Trend::none;
};

/// A total of the instrument (strength_total, vulnerability_total) now and before.
struct ProfileTotal {
    std::string score{};
    LocalText label{};
    std::optional<double> value{}, previous{};
    Trend trend = Trend::none;
};

/// A final risk estimate now and before.
struct RiskEstimate {
    std::string outcome{};
    LocalText label{};
    std::string group{};     ///< harm_to_others, harm_to_self
    std::string value{};     ///< the scale code (`low`, `moderate`, `high`); empty when unknown
    std::string previous{};  ///< the same at the previous assessment; empty when none
    Trend trend = Trend::none;
};

/// The profile of the case's latest assessment (START:AV or START, whichever the case's
/// assessment uses) and the change since the one before it.
struct ReportProfile {
    std::string instrument{};  ///< id
    std::string instrument_key{};
    std::string title{};
    std::optional<Date> date{}, previous_date{};
    bool rated = false;  ///< item ratings given (false: results scored elsewhere)
    std::vector<ProfileItem> items{};
    std::vector<ProfileTotal> totals{};
    std::vector<RiskEstimate> estimates{};
};

/// A condition that holds a programme back, or that cannot be decided.
struct EligibilityReason {
    enum class Kind : std::uint8_t {
        fails,     ///< a condition that is not met
        excluded,  ///< an exclusion that applies
        unknown,   ///< a condition that cannot be decided (a fact is missing)
    };
    Kind kind = Kind::fails;
    LocalText text;  ///< the condition's text, filled in for the case
};

/// One programme's decision for the report.
struct EligibilityLine {
    std::string programme{};
    LocalText label{};
    std::string kind{};  ///< the programme's kind (placement, intervention, ...)
    Decision decision = Decision::undetermined;
    std::vector<EligibilityReason> reasons{};  ///< the conditions that hold it back or are unknown
    std::vector<std::string> missing{};        ///< `facts.x`, `assessments.start_av`
    std::optional<Date> earliest_date{};
};

/// One stay, labelled.
struct PlacementLine {
    std::string placement{};
    LocalText label{};
    Date from{};
    std::optional<Date> until{};
};

/// One event, labelled; move steps name their move and decision.
struct EventLine {
    Date date{};
    std::string type{};
    LocalText label{};
    std::string role{};
    LocalText role_label{};
    std::string move{};  ///< move steps: the move ("" otherwise)
    LocalText move_label{};
    std::optional<MoveStep> step{};
    std::optional<MoveDecision> decision{};
};

/// A case report: everything the writers print, already decided and labelled.
struct CaseReport {
    std::string case_id{};
    Date as_of{};
    Language language = Language::en;
    ReportVariant variant = ReportVariant::full;
    ReportSections sections{};
    std::optional<int> age{};  ///< whole years on as_of, from facts.date_of_birth
    std::string placement{};   ///< the current placement ("" when none is recorded)
    LocalText placement_label{};
    std::vector<ReportFact>
        facts{};  ///< scalar facts by name, with the derived progress facts (commission, handover: a subset)
    std::string rules_key{}, policy_key{}, pathway_key{};
    std::optional<ReportProfile> profile{};  ///< nullopt: no assessment of the policy's instruments
    std::vector<EligibilityLine> eligibility{};
    std::optional<Plan> plan{};
    std::vector<PlacementLine> placements{};
    std::vector<EventLine> events{};  ///< by date
    std::vector<ObligationDue> obligations{};
    std::optional<AssessmentDue> next_assessment{};
};

/// Builds the report of one case on `as_of`: the progress facts the policy derives are
/// filled in (with_progress_facts), the case is decided, planned and, with a pathway, its
/// obligations and next assessment found. Errors: no as_of (E703 at the case), and every
/// problem decide() or plan() reports for the case.
Result<CaseReport> build_report(const CaseInput& c, const ReportDefinitions& definitions,
                                const ReportOptions& options = {});

/// One self-contained HTML file (no scripts, no external assets, a Content-Security-Policy
/// that forbids loading any; print CSS for A4 with page breaks). The profile chart is an
/// inline `<svg id="profile-chart" role="img">` with a title and description.
std::string to_html(const CaseReport& report);
/// Markdown with the same content (tables; the chart as a table of items).
std::string to_markdown(const CaseReport& report);
/// One JSON object with the same content (ids and the labels in the report's language).
std::string to_json(const CaseReport& report);
/// The report in `format`.
std::string render(const CaseReport& report, ReportFormat format);

/// Writes `text` to `path` through OutputFile (atomic, mode 0600; "-" = standard output);
/// `inputs` are never overwritten (E803). nullopt when written.
std::optional<Diagnostic> write_report(std::string_view text, const std::string& path,
                                       const std::vector<std::string>& inputs = {});

// ---- the unit report ---------------------------------------------------------------------

/// A computed value a staff member replaced (kept by the case store; given here as a list).
struct OverrideRecord {
    std::string case_id{};
    std::string instrument{};  ///< instrument id
    std::string target{};      ///< the item field or score, e.g. `violence.estimate`
    std::string computed{};    ///< the value the instrument or the rules gave
    std::string chosen{};      ///< the value the staff member chose
    std::string staff{};       ///< staff pseudonym
    Date date{};               ///< the date of the assessment it belongs to
};

/// Reads override records from JSON lines (`{"case", "instrument", "target", "computed",
/// "chosen", "staff", "date"}`); a bad line is a diagnostic with its line number and the
/// good lines go on (`rejected`).
struct OverrideRecords {
    std::vector<OverrideRecord> records{};
    std::vector<Diagnostic> rejected{};
};
OverrideRecords parse_override_records(std::string_view jsonl, std::string_view file_name = "<overrides>");

/// How build_unit_report() runs.
struct UnitReportOptions {
    Date as_of{};
    Duration within{0, 0, 30};  ///< the window after as_of for due dates
    Language language = Language::en;
};

/// Something due for one case.
struct UnitDueLine {
    std::string case_id{};
    std::string what{};  ///< the instrument, obligation or programme id
    LocalText label{};
    Date date{};
    bool overdue = false;
};

/// Overrides of one instrument or one staff member. `assessments` is the denominator:
/// for an instrument, its assessments in the cases dated on or before as_of; for a staff
/// member, the `assessment_finalised` events they recorded (`by`) in the cases.
struct OverrideRate {
    std::string key{};  ///< instrument id or staff pseudonym
    std::size_t assessments = 0;
    std::size_t overridden = 0;  ///< distinct assessments (case, instrument, date) with an override
    std::size_t values = 0;      ///< override records (values changed)
    /// overridden / assessments; nullopt when there are no assessments.
    std::optional<double> rate() const noexcept;
};

/// A unit's report over many cases.
struct UnitReport {
    Date as_of{};
    Duration within{};
    Language language = Language::en;
    std::size_t cases = 0;                                                      ///< cases reported on
    std::vector<UnitDueLine> reassessments{}, obligations{}, earliest_dates{};  ///< by date, then case
    std::vector<OverrideRate> by_instrument{}, by_staff{};                      ///< by key
    std::vector<std::pair<std::string, std::string>> rejected{};                ///< (case id, reason)
    std::string rules_key{}, pathway_key{};
};

/// Builds the unit report: per case (pathway required: E703 without one), the next
/// reassessment and the obligations due on or before as_of + within (overdue included)
/// and the earliest dates of programmes not eligible yet that fall in the window; a case
/// that cannot be decided is rejected with its reason and the others go on.
Result<UnitReport> build_unit_report(std::span<const CaseInput> cases, std::span<const OverrideRecord> overrides,
                                     const ReportDefinitions& definitions, const UnitReportOptions& options);

std::string to_html(const UnitReport& report);
std::string to_markdown(const UnitReport& report);
std::string to_json(const UnitReport& report);
std::string render(const UnitReport& report, ReportFormat format);

/// Reads cases for a unit report: a YAML or JSON case file, or a JSONL file of one case a
/// line. Problems of a line are rejected rows (`line N: reason`), the other lines go on; an
/// unreadable file is an error.
struct CaseFiles {
    std::vector<CaseInput> cases{};
    std::vector<std::string> rejected{};
};
Result<CaseFiles> read_case_files(std::span<const std::string> paths);

KELIAS_END_NAMESPACE
