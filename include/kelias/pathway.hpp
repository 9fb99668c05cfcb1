#pragma once
/// \file pathway.hpp
/// Pathways: the placements a person passes through while serving a sentence (closed,
/// semi-open, open, halfway house, conditional release, released), the moves between them
/// (each guarded by a programme of a rule set, proposed, decided and carried out by people
/// in given roles), the obligations and reassessments the moves bring, and the way back.
///
/// A pathway is data (`kind: pathway`, instruments/README.md "Pathways"), loaded like
/// instruments and rule sets. The functions here read a case document (kelias::CaseInput:
/// facts, assessments, placements, events) and never change it: apply() returns a new one.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>
#include <kelias/language.hpp>
#include <kelias/rules.hpp>

KELIAS_BEGIN_NAMESPACE

class Pathway;
namespace detail {
struct PathwayData;
Pathway make_pathway(std::shared_ptr<const PathwayData> data);
}  // namespace detail

/// What a role may do besides the move steps a move gives it.
/// The case store (case_store.hpp) checks these for every operation.
enum class RoleAction : std::uint8_t {
    finalise_assessment,  ///< sign off an assessment (psychologist)
    draft_plan,           ///< draft or review the individual plan
    open_case,            ///< open a case in the store
    edit_facts,           ///< change a case's facts
    record_assessment,    ///< record a draft assessment (ratings)
    approve_plan,         ///< approve a drafted plan
    record_override,      ///< replace a computed value (a risk estimate, a decision) with a judgement
    approve_override,     ///< approve someone else's override (the second person)
    manage_store,         ///< export and import a case store
};
/// `finalise_assessment`, `draft_plan`, `open_case`, ...
std::string_view to_string(RoleAction action) noexcept;
/// Every action, in declaration order.
std::span<const RoleAction> all_role_actions() noexcept;

/// A role people act in (psychologist, contact officer, transfer commission, court, ...).
struct RoleInfo {
    std::string id;
    LocalText label;
    std::vector<RoleAction> actions;
    std::vector<std::string> records;  ///< event types this role may record
    std::string source;
};

/// A kind of event a case records (disciplinary penalty, job started, leave, ...).
struct EventTypeInfo {
    std::string id;
    LocalText label;
    bool brings_assessment_forward = false;                 ///< a reassessment is due on its date
    std::vector<std::pair<std::string, std::string>> sets;  ///< facts set to a value (fact, cell text)
    std::vector<std::string> dates;                         ///< facts set to the event's date
    std::string source;
};

/// A placement: where a person is (a regime of a correction house, a halfway house,
/// conditional release, freedom).
struct PlacementInfo {
    std::string id;
    LocalText label;
    std::string regime;  ///< the value of the rule set's `regime` fact it implies
    std::string source;
};

/// Something a person must do after a move, e.g. find a job within P1M of arrival.
struct ObligationInfo {
    std::string id;
    LocalText label;
    std::optional<Duration> within;   ///< the deadline after the move; nullopt: for the whole stay
    std::vector<std::string> met_by;  ///< event types that fulfil it
    std::string source;
};

/// A ground for a return move (breach of procedure, administrative offence, ...).
struct GroundInfo {
    std::string id;
    LocalText label;
    std::string fact;  ///< the rule set's bool fact that records it ("" when none)
    std::string source;
};

enum class MoveKind : std::uint8_t { forward, return_move };
/// `forward`, `return`.
std::string_view to_string(MoveKind kind) noexcept;

/// A move between placements.
struct MoveInfo {
    std::string id;
    LocalText label;
    MoveKind kind = MoveKind::forward;
    std::vector<std::string> from;  ///< placements it starts from
    std::string to;
    std::string guard;                   ///< the rule-set programme whose eligibility it needs
    std::vector<std::string> propose;    ///< roles that may propose it
    std::vector<std::string> decide;     ///< roles that may decide it
    std::vector<std::string> carry_out;  ///< roles that may carry it out
    std::vector<GroundInfo> grounds;     ///< return moves: what may justify them (one must be named)
    // Effects of carrying it out:
    std::vector<std::pair<std::string, std::string>> sets;  ///< facts set (the target's `regime` first)
    std::vector<std::string> dates;                         ///< facts set to the date it is carried out
    std::vector<ObligationInfo> obligations;
    bool reassess = false;                ///< a reassessment is due on the day it is carried out
    bool review = false;                  ///< the plan is reviewed on that day
    bool assess_before_decision = false;  ///< the hearing needs an assessment made after the proposal
    std::string source;
};

/// How often a person is assessed, and with which instrument.
struct AssessmentChoice {
    std::string instrument;        ///< instrument id (start_av, start)
    std::optional<int> below_age;  ///< chosen when younger than this on as_of; nullopt: any age
    Duration interval;             ///< the instrument's reassessment interval
    std::string source;
};

/// A compiled pathway. Immutable, cheap to copy, safe to share across threads.
class Pathway {
public:
    const std::string& id() const noexcept;
    const std::string& version() const noexcept;
    /// `id@version`.
    std::string key() const;
    /// `sha256:<hex>` of the pathway file's text.
    const std::string& hash() const noexcept;
    const LocalText& title() const noexcept;
    const std::string& file() const noexcept;
    /// The id of the rule set whose programmes guard the moves (`rules:`).
    const std::string& rules_id() const noexcept;
    std::span<const PlacementInfo> placements() const noexcept;
    std::span<const MoveInfo> moves() const noexcept;
    std::span<const RoleInfo> roles() const noexcept;
    std::span<const EventTypeInfo> event_types() const noexcept;
    /// In order: the first whose age limit fits is chosen.
    std::span<const AssessmentChoice> assessments() const noexcept;
    const PlacementInfo* find_placement(std::string_view id) const noexcept;
    const MoveInfo* find_move(std::string_view id) const noexcept;
    const RoleInfo* find_role(std::string_view id) const noexcept;
    const EventTypeInfo* find_event_type(std::string_view id) const noexcept;
    /// A description for a person: placements, moves with their guards and roles, roles.
    std::string describe(Language language = Language::en) const;
    /// The same as one JSON object.
    std::string describe_json() const;

    const detail::PathwayData& data() const noexcept { return *data_; }

private:
    explicit Pathway(std::shared_ptr<const detail::PathwayData> d) : data_(std::move(d)) {}
    friend Pathway detail::make_pathway(std::shared_ptr<const detail::PathwayData>);
    std::shared_ptr<const detail::PathwayData> data_;
};

/// Loads a pathway from YAML text and checks it against `rules`: every guard names a
/// programme of the rule set, every fact its effects set is one of its facts. Every problem
/// is reported at once, at its place in the pathway file. The embedded tests are run (with
/// `rules`); a failing test is an error (E401) at the test.
Result<Pathway> load_pathway(std::string_view yaml_text, std::string_view file_name, const RuleSet& rules);
/// Reads a file and calls load_pathway(). With `rules` nullptr, the rule set the file names
/// (`rules:`) is found beside the file or through find_definition() and loaded.
Result<Pathway> load_pathway_file(const std::filesystem::path& path, const RuleSet* rules = nullptr);
/// The rule set a pathway file names, found beside `pathway_file` or through
/// find_definition(); E203 when there is none.
Result<RuleSet> load_pathway_rules(const Pathway& pathway);

// ---- moves ---------------------------------------------------------------------------

enum class MoveStep : std::uint8_t { proposed, decided, carried_out };
/// `proposed`, `decided`, `carried_out`.
std::string_view to_string(MoveStep step) noexcept;
enum class MoveDecision : std::uint8_t { granted, refused };
std::string_view to_string(MoveDecision decision) noexcept;

/// One move from the case's current placement, as it stands on as_of.
struct OpenMove {
    std::string move;
    /// The next step may be taken now by someone in `roles` (a decision: granted). Proposing
    /// and granting need the guard eligible on as_of; carrying out a granted move does not.
    bool allowed = false;
    /// The step already taken in this move (proposed, or decided and granted); nullopt: none.
    std::optional<MoveStep> taken;
    MoveStep next = MoveStep::proposed;  ///< the step that comes next
    std::vector<std::string> roles;      ///< roles that may take it
    ProgrammeDecision guard;             ///< the guard's decision (reasons, missing facts, earliest date)
    std::optional<Date> earliest_date;   ///< when a refused move may open (the guard's)
    std::string blocked_by;              ///< another move proposed and still pending ("" when none)
};

struct OpenMoves {
    std::string case_id;
    Date as_of;
    std::string placement;  ///< the current placement
    std::vector<OpenMove> moves;
};

/// The moves from the case's current placement on `as_of`, each allowed or refused with the
/// guard's reasons and earliest date. Problems of the case (no placement, a placement the
/// pathway does not know, facts that do not fit the rules) are errors (E602, E601).
Result<OpenMoves> open_moves(const Pathway& pathway, const RuleSet& rules, const CaseInput& c, Date as_of);

// ---- events and apply ------------------------------------------------------------------

/// One event to apply: a case event (the shape of a case's `events` entry), or a step of
/// a move (`type: move` with `move`, `step`, and for decisions `decision`; return moves
/// name their `ground`).
struct PathwayEvent {
    std::string type;  ///< an event type of the pathway, or `move`
    Date date;
    std::string role;
    std::string by;
    std::string move;
    std::optional<MoveStep> step;
    std::optional<MoveDecision> decision;
    std::string ground;
    std::map<std::string, std::string> details;  ///< every other key, as cell text
    Location where;
};

/// Reads one event from YAML or JSON text (E703 for a wrong shape, E702 for a bad date,
/// E704 for a key given twice), every problem at its place.
Result<PathwayEvent> parse_pathway_event(std::string_view text, std::string_view file_name = "<event>");
/// Reads an event file (E000 when it cannot be read) and calls parse_pathway_event().
Result<PathwayEvent> read_pathway_event_file(const std::filesystem::path& path);

/// Why an event was refused.
enum class RefusalKind : std::uint8_t {
    unknown_role,        ///< the role is not one of the pathway's
    role_not_permitted,  ///< the role may not take this step or record this event
    unknown_event_type,  ///< not an event type of the pathway
    unknown_move,        ///< not a move of the pathway
    wrong_placement,     ///< the case is not in a placement the move starts from
    pending_move,        ///< another move is proposed and not yet decided or carried out
    no_proposal,         ///< decided or carried out without a pending proposal
    not_granted,         ///< carried out without a granted decision
    missing_decision,    ///< a decision step without granted or refused
    missing_ground,      ///< a return proposed without one of its grounds
    guard_not_eligible,  ///< the guard programme is not eligible
    guard_undetermined,  ///< the guard programme cannot be decided (missing facts, no rule)
    date_out_of_order,   ///< dated before the case's last event or placement, or after as_of
};
/// `role_not_permitted`, ...
std::string_view to_string(RefusalKind kind) noexcept;

struct Refusal {
    RefusalKind kind = RefusalKind::role_not_permitted;
    std::string message;                     ///< English, one line (to_text() words it in each language)
    std::vector<std::string> roles;          ///< the roles that may do it (role refusals)
    std::optional<ProgrammeDecision> guard;  ///< guard refusals: the guard's decision
};

/// One change apply() made to a case.
struct CaseChange {
    enum class Kind : std::uint8_t {
        event_recorded,  ///< `subject`: the event type
        move_step,       ///< `subject`: the move; `value`: proposed, granted or refused
        placement,       ///< `subject`: the new placement; `value`: the one left
        fact_set,        ///< `subject`: the fact; `value`: its new cell text
        obligation,      ///< `subject`: the obligation; `due`: its deadline (none: for the stay)
        reassessment,    ///< a reassessment is due on `date`
        plan_review,     ///< the plan is reviewed on `date`
    };
    Kind kind = Kind::event_recorded;
    std::string subject;
    std::string value;
    Date date;
    std::optional<Date> due;
    /// move_step: the decision taken (nullopt: the move was proposed).
    std::optional<MoveDecision> decision = std::nullopt;
};
/// `event_recorded`, `move_step`, ...
std::string_view to_string(CaseChange::Kind kind) noexcept;

/// The result of apply(): the new case document, or the refusals (and the case unchanged).
struct ApplyOutcome {
    bool applied = false;
    CaseInput case_document;  ///< the new case when applied, else the case as given
    std::vector<Refusal> refusals;
    /// What changed (placement, facts set, obligations started, ...), in order.
    std::vector<CaseChange> changes;
    /// The event that was applied or refused (to_text() words its refusals from it).
    PathwayEvent event;
};

/// Applies one event to a case: checks the actor's role, the move's step order and guard,
/// and returns the new case document (the event appended; for a move carried out the
/// placement closed and the new one opened, facts set) or a refusal that changes nothing.
/// The guard is decided on the event's date; the new case's as_of becomes the event's date
/// when that is later. Problems of the case itself (E602, E601) are errors.
Result<ApplyOutcome> apply(const Pathway& pathway, const RuleSet& rules, const CaseInput& c, const PathwayEvent& event);

// ---- obligations and the assessment cycle ------------------------------------------------

enum class ObligationStatus : std::uint8_t { open, met, overdue };
std::string_view to_string(ObligationStatus status) noexcept;

/// An obligation of the current stay.
struct ObligationDue {
    std::string obligation;
    std::string move;  ///< the move that brought it
    LocalText label;
    Date from;
    std::optional<Date> due;
    ObligationStatus status = ObligationStatus::open;
    std::optional<Date> met_on;
};

/// The obligations the moves into the current placement brought, with their due dates and
/// whether they are met (an event of a `met_by` type on or after the move) on `as_of`.
std::vector<ObligationDue> obligations(const Pathway& pathway, const CaseInput& c, Date as_of);

/// Why a reassessment is due earlier than the regular interval.
struct AssessmentTrigger {
    std::string cause;  ///< an event type or a move id
    Date date;
    LocalText label;
};

/// When the next assessment is due, with which instrument.
struct AssessmentDue {
    std::string instrument;                          ///< chosen by age; "" when the age is unknown
    std::optional<int> age;                          ///< in whole years on as_of
    std::optional<Date> last;                        ///< the latest assessment with it on or before as_of
    std::optional<Date> regular_due;                 ///< last + the instrument's interval
    std::optional<Date> due;                         ///< the earliest of regular_due and the triggers; nullopt: unknown
    std::vector<AssessmentTrigger> brought_forward;  ///< events and moves after `last`
    bool overdue = false;                            ///< due before as_of
    std::vector<std::string> missing;                ///< e.g. `facts.date_of_birth`
};

/// The instrument for the person's age on `as_of` (facts.date_of_birth) and the date the
/// next assessment is due: the regular interval after the latest one, brought forward by
/// events (disciplinary penalty, incident, ...), moves carried out that ask for one
/// (transfer, return, release) and hearings that need one. No assessment yet: due now.
AssessmentDue next_assessment(const Pathway& pathway, const CaseInput& c, Date as_of);

/// Where a case stands on its pathway on one date: the open moves, the obligations of the
/// current stay and the next assessment (what `kelias pathway moves` prints).
struct PathwayStatus {
    OpenMoves moves;
    std::vector<ObligationDue> obligations;
    AssessmentDue next_assessment;
};
/// open_moves(), obligations() and next_assessment() together.
Result<PathwayStatus> status(const Pathway& pathway, const RuleSet& rules, const CaseInput& c, Date as_of);

// ---- due dates over many cases ---------------------------------------------------------

/// Something due for a case within a window.
struct DueItem {
    enum class Kind : std::uint8_t { assessment, obligation, move } kind = Kind::assessment;
    std::string what;  ///< the instrument, obligation or move
    LocalText label;
    Date date;
    bool overdue = false;
};
/// `assessment`, `obligation`, `move`.
std::string_view to_string(DueItem::Kind kind) noexcept;

struct CaseDue {
    std::string case_id;
    std::vector<DueItem> items;  ///< by date
};

struct DueOptions {
    Date as_of;
    Duration within{0, 0, 30};  ///< the window after as_of
};

/// The reassessment, the obligations and the earliest dates of refused moves that fall
/// due on or before as_of + within (overdue ones included).
Result<CaseDue> due(const Pathway& pathway, const RuleSet& rules, const CaseInput& c, const DueOptions& options);

/// `due()` over a JSONL file of cases (`path` "-" = standard input), read in blocks: a line
/// that cannot be read, is longer than 1 MiB or does not fit is a rejected line; a file that
/// changes while it is read (E802), a stream over 64 GiB (E801) or an unreadable input
/// (E000) stops the run.
struct DueRun {
    std::vector<CaseDue> cases;
    std::vector<std::pair<std::size_t, std::string>> rejected;  ///< (line, reason)
};
Result<DueRun> due_jsonl(const Pathway& pathway, const RuleSet& rules, const std::string& path,
                         const DueOptions& options);

// ---- output ------------------------------------------------------------------------------

std::string to_text(const OpenMoves& moves, const Pathway& pathway, Language language = Language::en);
std::string to_json(const OpenMoves& moves);
std::string to_text(const ApplyOutcome& outcome, const Pathway& pathway, Language language = Language::en);
/// The outcome without the case document (refusals and changes).
std::string to_json(const ApplyOutcome& outcome);
std::string to_text(const std::vector<ObligationDue>& obligations, Language language = Language::en);
std::string to_text(const AssessmentDue& due, const Pathway& pathway, Language language = Language::en);
std::string to_text(const PathwayStatus& status, const Pathway& pathway, Language language = Language::en);
/// The open moves' object (as to_json(OpenMoves)) with `obligations` and `next_assessment`.
std::string to_json(const PathwayStatus& status);
std::string to_text(const DueRun& run, const Pathway& pathway, Language language = Language::en);
/// One JSON object per case, one a line.
std::string to_json(const DueRun& run);

KELIAS_END_NAMESPACE
