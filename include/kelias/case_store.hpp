#pragma once
/// \file case_store.hpp
/// A case store: the cases of a unit (facts and every version of them, assessments,
/// eligibility snapshots, plans, overrides, events and moves, obligations) kept in one
/// database, with an append-only, hash-chained audit log of every change and every read.
///
/// Callers use only CaseStore; a backend is chosen when the store is opened
/// (open_sqlite_store(): one SQLite file). Another backend (a database server) is added by
/// a new `open_..._store()` function; callers do not change. Every operation:
///
/// * takes the Actor who does it (a staff pseudonym and a role of the pathway) and checks
///   the role's permission from the pathway definition (RoleAction, move steps, the event
///   types a role records): a refused action is an E902 error, not only a CLI check;
/// * is one transaction: it happens completely, with its audit entry, or not at all;
/// * refuses a stale `expected_version` (E903) on case updates, so that two people editing
///   one case never overwrite each other: the second is told to reread.
///
/// Documents (case facts, ratings, scores, decisions, plans) are kept as JSON written by
/// the library's one JSON writer. Ratings and names are never written to the audit log;
/// a case whose facts or records carry a person's name is refused.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/case.hpp>
#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>
#include <kelias/pathway.hpp>
#include <kelias/plan.hpp>
#include <kelias/rules.hpp>

KELIAS_BEGIN_NAMESPACE

/// Who does an operation: a staff pseudonym (never a name) and a role of the pathway.
struct Actor {
    std::string id;
    std::string role;
};

/// What a stored record is.
enum class RecordKind : std::uint8_t {
    assessment,   ///< ratings scored with an instrument (`subject`: `id@version`, `hash`: its hash)
    eligibility,  ///< a snapshot of the rule set's decisions (`subject`: `id@version`, `hash`)
    plan,         ///< an individual plan (`subject`: the plan kind, `hash`: the policy's hash)
    override_,    ///< a computed value replaced by a person's judgement (`subject`: what)
    obligation,   ///< an obligation a move brought (`subject`: the obligation id)
};
/// `assessment`, `eligibility`, `plan`, `override`, `obligation`.
std::string_view to_string(RecordKind kind) noexcept;

/// Where a record stands. Assessments: draft → finalised; plans and overrides: draft →
/// approved; eligibility snapshots: recorded; obligations: open → met or overdue. A record
/// in a final state (finalised, approved, recorded, met) never changes (the database
/// refuses it too); an amendment is a new record that links to the one it amends.
enum class RecordState : std::uint8_t { draft, finalised, approved, recorded, open, met, overdue };
/// `draft`, `finalised`, ...
std::string_view to_string(RecordState state) noexcept;

/// The kinds of plan a case has over time.
enum class PlanKind : std::uint8_t { initial, review, transfer, termination };
/// `initial`, `review`, `transfer`, `termination`.
std::string_view to_string(PlanKind kind) noexcept;
std::optional<PlanKind> parse_plan_kind(std::string_view text) noexcept;

/// One record of a case.
struct StoredRecord {
    std::int64_t id = 0;
    RecordKind kind = RecordKind::assessment;
    std::string case_id;
    RecordState state = RecordState::draft;
    std::string subject;                ///< see RecordKind
    std::string hash;                   ///< the definition's `sha256:...` ("" when none)
    std::optional<std::int64_t> links;  ///< the record it amends (assessments)
    std::string document;               ///< JSON; see README "Case store"
    std::string created_at, created_by, created_role;
    std::string decided_at, decided_by, decided_role;  ///< finalised or approved ("" before)
    friend bool operator==(const StoredRecord&, const StoredRecord&) = default;
};

/// One version of a case's document (facts, lists, placements, events), as it was saved.
struct CaseVersion {
    std::int64_t version = 0;
    std::string at, by, role;
    std::string document;  ///< the case as JSON (kelias::to_json(CaseInput))
};

/// A case as read from the store.
struct StoredCase {
    std::string id;
    std::int64_t version = 0;  ///< give it back as `expected_version` to update
    /// The case document with the finalised assessments appended: what rules, plans and
    /// the pathway read.
    CaseInput document;
    std::vector<StoredRecord> records;  ///< in the order they were made
};

/// A line of `list_cases()`.
struct CaseSummary {
    std::string id;
    std::int64_t version = 0;
    std::string placement;  ///< the current placement ("" when none)
    std::string updated_at;
};

/// What the audit log records.
enum class AuditAction : std::uint8_t {
    create_case,
    edit_facts,
    record_assessment,
    finalise_assessment,
    record_eligibility,
    draft_plan,
    approve_plan,
    record_override,
    approve_override,
    apply_event,
    update_obligation,
    read_case,
    list_cases,
    export_store,
    import_case,
    /// An attempt the store refused for want of a valid actor id or a role allowed to do
    /// it: `target` names what was attempted (`edit_facts`, `read_case`, ...), `after`
    /// why (`{"why":"no_actor"|"unknown_role"|"role_not_allowed"}`). The actor id and
    /// role are kept only when the role is one of the pathway's (otherwise the text given
    /// could be anything, a person's name too).
    refused,
};
/// `create_case`, `edit_facts`, ...
std::string_view to_string(AuditAction action) noexcept;

/// One entry of the audit log. `before` and `after` are JSON summaries of what changed
/// (facts, states, decisions; never ratings or names); `hash` is the SHA-256 of the entry
/// with `prev_hash`, the hash of the entry before it.
struct AuditEntry {
    std::int64_t seq = 0;
    std::string at, actor, role;
    AuditAction action = AuditAction::read_case;
    std::string case_id;  ///< "" for store-wide entries (list, export)
    std::string target;   ///< the record id or move, when there is one
    std::string before, after;
    std::string prev_hash, hash;
};

/// What verify() found.
struct AuditCheck {
    bool ok = true;
    std::int64_t entries = 0;
    std::optional<std::int64_t> first_broken;  ///< the seq of the first entry that does not verify
    std::string reason;                        ///< why it does not ("" when ok)
};

/// An override of a computed value: a score of the latest finalised assessment of an
/// instrument (`instrument` set, `name` a score id such as `violence.estimate`) or a
/// programme's eligibility decision (`instrument` empty, `name` the programme). The store
/// works out the computed value itself.
struct OverrideInput {
    std::string instrument;
    std::string name;
    std::string chosen;
    std::string reason;
    std::optional<Date> as_of = std::nullopt;  ///< programmes: decided on this date (default: the case's as_of)
};

/// A kept eligibility snapshot, with the decisions it holds.
struct EligibilitySnapshot {
    StoredRecord record;
    CaseDecisions decisions;
};

/// A drafted plan as kept, with the plan.
struct PlanDraft {
    StoredRecord record;
    Plan plan;
};

/// How record_assessment() runs.
struct AssessmentOptions {
    bool finalise = false;                              ///< finalise at once (needs finalise_assessment)
    std::optional<std::int64_t> amends = std::nullopt;  ///< the finalised assessment this one amends
    std::optional<std::int64_t> expected_version = std::nullopt;
};

struct ListFilter {
    std::optional<std::string> placement = std::nullopt;  ///< only cases currently in this placement
};

/// How a store is opened.
struct CaseStoreOptions {
    /// How long one command waits for another's lock before retrying, in milliseconds; a
    /// command retries until `give_up_ms` have passed (then E901, nothing changed).
    int busy_timeout_ms = 2000;
    int give_up_ms = 60000;
    /// The time stamp of entries (ISO 8601, UTC). Default: the system clock. Tests fix it.
    std::function<std::string()> clock = {};
};

namespace detail {
class StoreBackend;
}

/// A case store. Move-only; not for use by two threads at once (open one per thread:
/// the database serialises them).
class CaseStore {
public:
    CaseStore(std::unique_ptr<detail::StoreBackend> backend, Pathway pathway, RuleSet rules, CaseStoreOptions options);
    CaseStore(CaseStore&&) noexcept;
    CaseStore& operator=(CaseStore&&) noexcept;
    ~CaseStore();

    /// A new case from a case document (its id, as_of, facts, lists, placements, events and
    /// any assessments it carries). Needs `open_case`. E904 when the id exists; E905 when
    /// the document carries a name; E601 when its facts do not fit the rules.
    Result<StoredCase> create_case(const Actor& actor, const CaseInput& document);
    /// Sets facts (`name` → cell text; "" removes one). Needs `edit_facts`.
    Result<StoredCase> set_facts(const Actor& actor, std::string_view case_id,
                                 const std::map<std::string, std::string>& facts,
                                 std::optional<std::int64_t> expected_version = std::nullopt);
    /// Replaces the facts, lists and as_of with the document's (its id must match; its
    /// placements, events and assessments are ignored). Needs `edit_facts`.
    Result<StoredCase> replace_facts(const Actor& actor, std::string_view case_id, const CaseInput& document,
                                     std::optional<std::int64_t> expected_version = std::nullopt);
    /// Records an assessment (ratings scored with `instrument`: bad ratings are E501/E502
    /// and nothing is stored), pinned to the instrument's `id@version` and hash. Needs
    /// `record_assessment` (and `finalise_assessment` with options.finalise).
    Result<StoredRecord> record_assessment(const Actor& actor, std::string_view case_id, const Instrument& instrument,
                                           const AssessmentInput& input, const AssessmentOptions& options = {});
    /// Draft → finalised. Needs `finalise_assessment`; E905 when it is not a draft.
    Result<StoredRecord> finalise_assessment(const Actor& actor, std::int64_t record,
                                             std::optional<std::int64_t> expected_version = std::nullopt);
    /// Decides the rule set's programmes for the case on `as_of` and keeps the decisions
    /// (with the rule set's key and hash). Any role of the pathway may.
    Result<EligibilitySnapshot> record_eligibility(const Actor& actor, std::string_view case_id, Date as_of);
    /// Drafts a plan with `policy` on `as_of`. Needs `draft_plan`.
    Result<PlanDraft> draft_plan(const Actor& actor, std::string_view case_id, PlanKind kind, const PlanPolicy& policy,
                                 Date as_of, std::optional<std::int64_t> expected_version = std::nullopt);
    /// Draft → approved. Needs `approve_plan`.
    Result<StoredRecord> approve_plan(const Actor& actor, std::int64_t record,
                                      std::optional<std::int64_t> expected_version = std::nullopt);
    /// Records an override awaiting a second person's approval. Needs `record_override`;
    /// E905 when the chosen value equals the computed one or no reason is given.
    Result<StoredRecord> record_override(const Actor& actor, std::string_view case_id, const OverrideInput& input,
                                         std::optional<std::int64_t> expected_version = std::nullopt);
    /// Approves an override. Needs `approve_override`, and someone other than its author.
    Result<StoredRecord> approve_override(const Actor& actor, std::int64_t record,
                                          std::optional<std::int64_t> expected_version = std::nullopt);
    /// Applies an event or a move step with kelias::apply() (its role checks, step order
    /// and guards); the event's role and by are the actor's. Refused: the outcome with
    /// `applied` false, and nothing stored. Applied: the new document is a new version
    /// and the obligations of the current stay are brought up to date.
    Result<ApplyOutcome> apply_event(const Actor& actor, std::string_view case_id, PathwayEvent event,
                                     std::optional<std::int64_t> expected_version = std::nullopt);

    /// Reads a case (audited as a read). E904 when there is none.
    Result<StoredCase> read_case(const Actor& actor, std::string_view case_id);
    /// Every version of a case's document, oldest first (audited as a read).
    Result<std::vector<CaseVersion>> versions(const Actor& actor, std::string_view case_id);
    /// The cases, by id (audited).
    Result<std::vector<CaseSummary>> list_cases(const Actor& actor, const ListFilter& filter = {});
    /// The audit entries of a case, oldest first (audited as a read).
    Result<std::vector<AuditEntry>> history(const Actor& actor, std::string_view case_id);
    /// Every case with its versions and records as JSON lines (one row a line; the audit
    /// log stays in the store). Needs `manage_store`.
    Result<std::string> export_json(const Actor& actor);
    /// Reads an export into this store; every case must be new. One transaction: all or
    /// nothing. Needs `manage_store`. Returns the number of cases.
    Result<std::size_t> import_json(const Actor& actor, std::string_view text);
    /// Reads an export file (`"-"` = standard input; E000 when it cannot be read, E801
    /// over 1 GiB) and calls import_json().
    Result<std::size_t> import_file(const Actor& actor, const std::string& path);
    /// Checks the audit chain: every entry's hash, and that each names the one before.
    Result<AuditCheck> verify();
    /// The schema version of the database (PRAGMA user_version).
    int schema_version() const;

    const Pathway& pathway() const noexcept;
    const RuleSet& rules() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// A record as one JSON object (its document embedded as JSON).
std::string to_json(const StoredRecord& record);
/// `{"case": <the case document>, "version": N, "records": [...]}`.
std::string to_json(const StoredCase& c);
/// For a person: the case's version, placement, facts, events (with who recorded them) and
/// records (kind, state, subject, who made and who finalised or approved them).
std::string to_text(const StoredCase& c, Language language = Language::en);
/// `{"case","version","placement","updated_at"}`.
std::string to_json(const CaseSummary& summary);

/// Reads the ratings of one assessment for record_assessment(): a JSON object of column →
/// cell (strings, numbers or true/false; null omitted) with an optional `"date"`
/// (YYYY-MM-DD). E000 when it cannot be read, E703 when it is not UTF-8 or not such an
/// object, E702 for a bad date. The instrument is the caller's.
Result<AssessmentInput> read_assessment_file(const std::filesystem::path& path);

/// The schema version this kelias writes; older databases are migrated forward on open.
inline constexpr int case_store_schema_version = 2;

/// Opens (or creates) a SQLite case store: the file (and its -wal and -shm files) owner
/// only (0600) whatever the umask, WAL journal, full sync, each operation one
/// `BEGIN IMMEDIATE` transaction retried while another holds the lock, the schema
/// migrated forward. E901 when it cannot be opened or is newer than this kelias.
/// `pathway` and `rules` give the roles and the guards.
Result<CaseStore> open_sqlite_store(const std::filesystem::path& path, const Pathway& pathway, const RuleSet& rules,
                                    const CaseStoreOptions& options = {});

KELIAS_END_NAMESPACE
