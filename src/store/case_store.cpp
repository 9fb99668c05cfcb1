// CaseStore: every rule of the case store (permissions from the pathway's roles, record
// states, case versions, the audit chain), over the narrow StoreBackend interface.
#include <kelias/case_store.hpp>

#include <kelias/assessment_header.hpp>

#include <kelias/case_io.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>

#include "base/content_hash.hpp"
#include "base/json_writer.hpp"
#include "store/store_backend.hpp"
#include "store/store_json.hpp"

KELIAS_BEGIN_NAMESPACE

std::string_view to_string(RecordKind kind) noexcept {
    switch (kind) {
    case RecordKind::assessment:
        return "assessment";
    case RecordKind::eligibility:
        return "eligibility";
    case RecordKind::plan:
        return "plan";
    case RecordKind::override_:
        return "override";
    case RecordKind::obligation:
        return "obligation";
    }
    return "?";
}

std::string_view to_string(RecordState state) noexcept {
    switch (state) {
    case RecordState::draft:
        return "draft";
    case RecordState::finalised:
        return "finalised";
    case RecordState::approved:
        return "approved";
    case RecordState::recorded:
        return "recorded";
    case RecordState::open:
        return "open";
    case RecordState::met:
        return "met";
    case RecordState::overdue:
        return "overdue";
    }
    return "?";
}

std::string_view to_string(PlanKind kind) noexcept {
    switch (kind) {
    case PlanKind::initial:
        return "initial";
    case PlanKind::review:
        return "review";
    case PlanKind::transfer:
        return "transfer";
    case PlanKind::termination:
        return "termination";
    }
    return "?";
}

std::optional<PlanKind> parse_plan_kind(std::string_view text) noexcept {
    for (auto k : {PlanKind::initial, PlanKind::review, PlanKind::transfer, PlanKind::termination})
        if (to_string(k) == text) return k;
    return std::nullopt;
}

std::string_view to_string(AuditAction action) noexcept {
    switch (action) {
    case AuditAction::create_case:
        return "create_case";
    case AuditAction::edit_facts:
        return "edit_facts";
    case AuditAction::record_assessment:
        return "record_assessment";
    case AuditAction::finalise_assessment:
        return "finalise_assessment";
    case AuditAction::record_eligibility:
        return "record_eligibility";
    case AuditAction::draft_plan:
        return "draft_plan";
    case AuditAction::approve_plan:
        return "approve_plan";
    case AuditAction::record_override:
        return "record_override";
    case AuditAction::approve_override:
        return "approve_override";
    case AuditAction::apply_event:
        return "apply_event";
    case AuditAction::update_obligation:
        return "update_obligation";
    case AuditAction::read_case:
        return "read_case";
    case AuditAction::list_cases:
        return "list_cases";
    case AuditAction::export_store:
        return "export_store";
    case AuditAction::import_case:
        return "import_case";
    case AuditAction::refused:
        return "refused";
    }
    return "?";
}

namespace {

using detail::CaseRow;
using detail::flat_json;
using Members = std::vector<std::pair<std::string, std::string>>;

Diagnostic problem(DiagnosticCode code, std::string message, std::string hint = {}) {
    return {Severity::error, code, std::move(message), std::move(hint), {}};
}

// Fact and field names that hold a person's name: a store keeps pseudonymous cases only.
bool is_name_key(std::string_view key) {
    std::string k(key);
    std::transform(k.begin(), k.end(), k.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    static const std::set<std::string, std::less<>> names{
        "name",        "first_name",  "last_name", "surname",  "full_name", "given_name", "family_name", "middle_name",
        "maiden_name", "person_name", "firstname", "lastname", "fullname",  "vardas",     "pavarde",     "pavardė"};
    if (names.count(k)) return true;
    for (std::string_view suffix : {"_first_name", "_last_name", "_surname", "_full_name", "_given_name"})
        if (k.size() > suffix.size() && k.ends_with(suffix)) return true;
    return false;
}

std::optional<Diagnostic> check_no_names(const CaseInput& c) {
    auto refuse = [](const std::string& where) {
        return problem(DiagnosticCode::invalid_transition,
                       "'" + where + "' holds a person's name: a case store keeps pseudonymous cases only",
                       "identify the person by the case id; keep names in the case-management system");
    };
    for (const auto& [k, v] : c.facts)
        if (is_name_key(k)) return refuse("facts." + k);
    for (const auto& [list, records] : c.lists) {
        if (is_name_key(list)) return refuse("facts." + list);
        if (!records) continue;
        for (const auto& r : *records)
            for (const auto& [k, v] : r)
                if (is_name_key(k)) return refuse("facts." + list + "[]." + k);
    }
    for (const auto& e : c.events)
        for (const auto& [k, v] : e.details)
            if (is_name_key(k)) return refuse("events[]." + k);
    return std::nullopt;
}

bool valid_actor_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    return std::all_of(id.begin(), id.end(), [](unsigned char ch) { return ch >= 0x20 && ch != 0x7f; });
}

std::optional<std::int64_t> to_int(std::string_view s) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

std::string system_now() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t t = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    return buf;
}

// The hash of an audit entry: SHA-256 over the previous entry's hash and the entry's fields.
std::string audit_hash(const AuditEntry& e) {
    std::string text = e.prev_hash + "\n";
    detail::JsonWriter w(text);
    w.begin_array()
        .integer(e.seq)
        .string(e.at)
        .string(e.actor)
        .string(e.role)
        .string(to_string(e.action))
        .string(e.case_id)
        .string(e.target)
        .string(e.before)
        .string(e.after)
        .end_array();
    return detail::content_hash(text);
}

std::string assessment_document(const AssessmentInput& input, const AssessmentScores& scores) {
    std::string out;
    detail::JsonWriter w(out);
    w.begin_object().key("instrument").string(input.instrument);
    w.key("date").string(input.date ? to_string(*input.date) : std::string());
    w.key("ratings").begin_object();
    for (const auto& [k, v] : input.ratings) w.key(k).string(v);
    w.end_object().key("scores").begin_object();
    for (const auto& [id, value] : scores.scores) w.key(id).string(value.to_string());
    w.end_object();
    if (!input.header.empty()) {  // only assessments with a header carry the key
        w.key("header").begin_object();
        for (const auto& [k, v] : input.header) w.key(k).string(v);
        w.end_object();
    }
    w.end_object();
    return out;
}

}  // namespace

struct CaseStore::Impl {
    std::unique_ptr<detail::StoreBackend> db;
    Pathway pathway;
    RuleSet rules;
    CaseStoreOptions options;

    std::string now() const { return options.clock ? options.clock() : system_now(); }
    Date today() const { return parse_date(now().substr(0, 10)).value_or(Date{}); }

    // Runs `body` as one transaction; a failed Result rolls it back with all its diagnostics.
    template <class T, class F>
    Result<T> run(F&& body) {
        std::optional<Result<T>> result;
        auto failed = db->transaction([&]() -> std::optional<Diagnostic> {
            result.emplace(body());
            if (*result) return std::nullopt;
            if (result->error().empty())
                return problem(DiagnosticCode::store_failure, "the operation failed without a reason");
            return result->error().front();
        });
        if (failed) {
            if (result && !*result) return result->error();
            return std::vector<Diagnostic>{*failed};
        }
        return std::move(*result);
    }

    // Refuses an actor without a valid id, an unknown role, or a role that may not do
    // `action`, and audits the refused `attempt` (on `case_id` when there is one) in a
    // transaction of its own, so the refusal is kept whatever happens next.
    std::optional<Diagnostic> permit(const Actor& a, std::optional<RoleAction> action, AuditAction attempt,
                                     std::string_view case_id = {}) {
        auto refusal = check_role(a, action);
        if (refusal) audit_refusal(a, attempt, case_id, refusal->why);
        if (refusal) return std::move(refusal->problem);
        return std::nullopt;
    }

    struct Refusal {
        Diagnostic problem;
        std::string_view why;
    };

    std::optional<Refusal> check_role(const Actor& a, std::optional<RoleAction> action) const {
        if (!valid_actor_id(a.id))
            return Refusal{problem(DiagnosticCode::permission_denied, "no valid actor id given (a staff pseudonym)",
                                   "give --actor ID or set KELIAS_ACTOR"),
                           "no_actor"};
        const RoleInfo* role = pathway.find_role(a.role);
        if (!role) {
            std::string known;
            for (const auto& r : pathway.roles()) known += (known.empty() ? "" : ", ") + r.id;
            return Refusal{problem(DiagnosticCode::permission_denied,
                                   "'" + a.role + "' is not a role of the pathway " + pathway.key(), "roles: " + known),
                           "unknown_role"};
        }
        if (action && std::find(role->actions.begin(), role->actions.end(), *action) == role->actions.end()) {
            std::string who;
            for (const auto& r : pathway.roles())
                if (std::find(r.actions.begin(), r.actions.end(), *action) != r.actions.end())
                    who += (who.empty() ? "" : ", ") + r.id;
            return Refusal{problem(DiagnosticCode::permission_denied,
                                   "the role '" + a.role + "' may not " + std::string(to_string(*action)),
                                   who.empty() ? "no role of the pathway may" : "roles that may: " + who),
                           "role_not_allowed"};
        }
        return std::nullopt;
    }

    // Best effort: a store that cannot be written (read-only, full) still refuses.
    void audit_refusal(const Actor& a, AuditAction attempt, std::string_view case_id, std::string_view why) {
        Actor kept;  // who, only when the actor is one the store would record for an allowed action
        if (valid_actor_id(a.id) && pathway.find_role(a.role)) kept = a;
        (void)db->transaction([&]() -> std::optional<Diagnostic> {
            audit(kept, AuditAction::refused, std::string(case_id), std::string(to_string(attempt)), "",
                  flat_json({{"why", std::string(why)}}));
            return std::nullopt;
        });
    }

    void audit(const Actor& a, AuditAction action, std::string case_id, std::string target, std::string before,
               std::string after) {
        const auto last = db->last_audit();
        AuditEntry e;
        e.seq = last ? last->seq + 1 : 1;
        e.at = now();
        e.actor = a.id;
        e.role = a.role;
        e.action = action;
        e.case_id = std::move(case_id);
        e.target = std::move(target);
        e.before = std::move(before);
        e.after = std::move(after);
        e.prev_hash = last ? last->hash : std::string();
        e.hash = audit_hash(e);
        db->append_audit(e);
    }

    Result<CaseRow> current(std::string_view id, std::optional<std::int64_t> expected) {
        auto row = db->find_case(id);
        if (!row)
            return std::vector{
                problem(DiagnosticCode::unknown_record, "no case '" + std::string(id) + "' in the store")};
        if (expected && *expected != row->version)
            return std::vector{problem(DiagnosticCode::stale_version,
                                       "case '" + row->id + "' is at version " + std::to_string(row->version) +
                                           ", not " + std::to_string(*expected) +
                                           ": someone changed it since it was read; nothing was changed",
                                       "read it again (kelias case show) and redo the change on the new version")};
        return *row;
    }

    CaseInput document_of(const CaseRow& row) const {
        auto c = parse_case(row.document, "store:" + row.id);
        if (!c) throw detail::StoreFailure("the stored document of case '" + row.id + "' cannot be read");
        return std::move(*c);
    }

    static std::optional<AssessmentInput> assessment_of(const StoredRecord& r) {
        auto doc = detail::read_flat_document(r.document);
        if (!doc) return std::nullopt;
        AssessmentInput a;
        if (const auto* i = doc->find("instrument")) a.instrument = *i;
        if (const auto* d = doc->find("date")) a.date = parse_date(*d);
        if (auto it = doc->objects.find("ratings"); it != doc->objects.end()) a.ratings = it->second;
        if (auto it = doc->objects.find("header"); it != doc->objects.end()) a.header = it->second;
        return a;
    }

    // The finalised assessments that speak for the case: amended ones give way.
    static std::vector<const StoredRecord*> live_assessments(const std::vector<StoredRecord>& records) {
        std::set<std::int64_t> amended;
        for (const auto& r : records)
            if (r.kind == RecordKind::assessment && r.state == RecordState::finalised && r.links)
                amended.insert(*r.links);
        std::vector<const StoredRecord*> out;
        for (const auto& r : records)
            if (r.kind == RecordKind::assessment && r.state == RecordState::finalised && !amended.count(r.id))
                out.push_back(&r);
        return out;
    }

    CaseInput effective(const CaseRow& row, const std::vector<StoredRecord>& records) const {
        CaseInput c = document_of(row);
        for (const auto* r : live_assessments(records))
            if (auto a = assessment_of(*r)) c.assessments.push_back(std::move(*a));
        if (!c.as_of) c.as_of = today();
        return c;
    }

    static std::string placement_of(const CaseInput& c) {
        const auto* stay = current_placement(c);
        return stay ? stay->placement : std::string();
    }

    // Checks the facts against the rules (E601 when they do not fit).
    std::optional<std::vector<Diagnostic>> check_facts(const CaseInput& c) const {
        CaseInput probe = c;
        if (!probe.as_of) probe.as_of = today();
        auto decided = decide(rules, probe, {.earliest_dates = false, .threads = 1});
        if (!decided) return decided.error();
        return std::nullopt;
    }

    // A new version of the case: the row's version + 1, and the document when it changed.
    Result<CaseRow> save(CaseRow row, const Actor& a, const std::optional<CaseInput>& document) {
        row.version += 1;
        row.updated_at = now();
        if (document) {
            row.document = to_json(*document);
            row.placement = placement_of(*document);
            db->insert_version(row.id, {row.version, row.updated_at, a.id, a.role, row.document});
        }
        if (!db->update_case(row))
            return std::vector{problem(DiagnosticCode::stale_version, "case '" + row.id + "' changed meanwhile")};
        return row;
    }

    StoredCase stored(const CaseRow& row) {
        auto records = db->records(row.id);
        StoredCase out{row.id, row.version, effective(row, records), std::move(records)};
        return out;
    }

    Result<StoredRecord> record_of(std::int64_t id, RecordKind kind) {
        auto r = db->find_record(id);
        if (!r || r->kind != kind)
            return std::vector{problem(DiagnosticCode::unknown_record, "no " + std::string(to_string(kind)) + " " +
                                                                           std::to_string(id) + " in the store")};
        return *r;
    }

    // Brings the obligation records of the case up to date with the pathway's view.
    void update_obligations(const Actor& a, const std::string& case_id, const CaseInput& c, Date on) {
        auto records = db->records(case_id);
        for (const auto& due : obligations(pathway, c, on)) {
            const std::string from = to_string(due.from);
            const StoredRecord* existing = nullptr;
            for (const auto& r : records) {
                if (r.kind != RecordKind::obligation || r.subject != due.obligation) continue;
                auto doc = detail::read_flat_document(r.document);
                if (doc && doc->find("from") && *doc->find("from") == from && doc->find("move") &&
                    *doc->find("move") == due.move)
                    existing = &r;
            }
            const RecordState state = due.status == ObligationStatus::met       ? RecordState::met
                                      : due.status == ObligationStatus::overdue ? RecordState::overdue
                                                                                : RecordState::open;
            if (!existing) {
                StoredRecord r;
                r.kind = RecordKind::obligation;
                r.case_id = case_id;
                r.state = state;
                r.subject = due.obligation;
                r.hash = pathway.hash();
                r.document = flat_json({{"obligation", due.obligation},
                                        {"move", due.move},
                                        {"from", from},
                                        {"due", due.due ? to_string(*due.due) : std::string()}});
                r.created_at = now();
                r.created_by = a.id;
                r.created_role = a.role;
                if (state == RecordState::met) {
                    r.decided_at = r.created_at;
                    r.decided_by = a.id;
                    r.decided_role = a.role;
                }
                const auto id = db->insert_record(r);
                audit(a, AuditAction::update_obligation, case_id, std::to_string(id), "{}",
                      flat_json({{"obligation", due.obligation},
                                 {"state", std::string(to_string(state))},
                                 {"document", detail::content_hash(r.document)}}));
            } else if (existing->state != state && existing->state != RecordState::met) {
                StoredRecord r = *existing;
                r.state = state;
                r.decided_at = now();
                r.decided_by = a.id;
                r.decided_role = a.role;
                db->update_record(r);
                audit(a, AuditAction::update_obligation, case_id, std::to_string(r.id),
                      flat_json({{"state", std::string(to_string(existing->state))}}),
                      flat_json({{"state", std::string(to_string(state))}}));
            }
        }
    }

    // A record's change of state (finalise, approve), the case's version bumped.
    Result<StoredRecord> decide_record(const Actor& a, std::int64_t id, RecordKind kind, RoleAction action,
                                       RecordState to, AuditAction logged, std::optional<std::int64_t> expected,
                                       bool second_person) {
        if (auto p = permit(a, action, logged)) return std::vector{*p};
        return run<StoredRecord>([&]() -> Result<StoredRecord> {
            auto r = record_of(id, kind);
            if (!r) return r.error();
            auto row = current(r->case_id, expected);
            if (!row) return row.error();
            if (r->state != RecordState::draft)
                return std::vector{problem(DiagnosticCode::invalid_transition,
                                           std::string(to_string(kind)) + " " + std::to_string(id) + " is " +
                                               std::string(to_string(r->state)) + ", not a draft: it never changes",
                                           "record a new one that amends it")};
            if (second_person && r->created_by == a.id)
                return std::vector{problem(DiagnosticCode::invalid_transition,
                                           "an override needs a second person's approval, not its author's")};
            StoredRecord next = *r;
            next.state = to;
            next.decided_at = now();
            next.decided_by = a.id;
            next.decided_role = a.role;
            db->update_record(next);
            auto saved = save(*row, a, std::nullopt);
            if (!saved) return saved.error();
            audit(a, logged, r->case_id, std::to_string(id), flat_json({{"state", std::string(to_string(r->state))}}),
                  flat_json({{"state", std::string(to_string(to))}, {"version", std::to_string(saved->version)}}));
            return next;
        });
    }

    // Inserts a new record for a case and bumps its version.
    Result<StoredRecord> add_record(const Actor& a, CaseRow row, StoredRecord r, AuditAction logged, Members after) {
        r.case_id = row.id;
        r.created_at = now();
        r.created_by = a.id;
        r.created_role = a.role;
        if (r.state != RecordState::draft) {
            r.decided_at = r.created_at;
            r.decided_by = a.id;
            r.decided_role = a.role;
        }
        r.id = db->insert_record(r);
        auto saved = save(std::move(row), a, std::nullopt);
        if (!saved) return saved.error();
        after.emplace_back("version", std::to_string(saved->version));
        after.emplace_back("document", detail::content_hash(r.document));
        audit(a, logged, r.case_id, std::to_string(r.id), "{}", flat_json(after));
        return r;
    }
};

CaseStore::CaseStore(std::unique_ptr<detail::StoreBackend> backend, Pathway pathway, RuleSet rules,
                     CaseStoreOptions options)
    : impl_(
          std::make_unique<Impl>(Impl{std::move(backend), std::move(pathway), std::move(rules), std::move(options)})) {}
CaseStore::CaseStore(CaseStore&&) noexcept = default;
CaseStore& CaseStore::operator=(CaseStore&&) noexcept = default;
CaseStore::~CaseStore() = default;

const Pathway& CaseStore::pathway() const noexcept { return impl_->pathway; }
const RuleSet& CaseStore::rules() const noexcept { return impl_->rules; }
int CaseStore::schema_version() const { return impl_->db->schema_version(); }

Result<StoredCase> CaseStore::create_case(const Actor& actor, const CaseInput& document) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, RoleAction::open_case, AuditAction::create_case, document.id)) return std::vector{*p};
    if (auto p = check_no_names(document)) return std::vector{*p};
    if (document.id.empty())
        return std::vector{
            problem(DiagnosticCode::malformed_case, "a case needs an id (its pseudonymous case number)")};
    if (auto bad = s.check_facts(document)) return *bad;
    return s.run<StoredCase>([&]() -> Result<StoredCase> {
        if (s.db->find_case(document.id))
            return std::vector{
                problem(DiagnosticCode::unknown_record, "case '" + document.id + "' is already in the store")};
        CaseRow row{document.id, 1, Impl::placement_of(document), s.now(), to_json(document)};
        s.db->insert_case(row);
        s.db->insert_version(row.id, {1, row.updated_at, actor.id, actor.role, row.document});
        Members after{{"version", "1"}, {"document", detail::content_hash(row.document)}};
        for (const auto& [k, v] : document.facts) after.emplace_back("facts." + k, v);
        s.audit(actor, AuditAction::create_case, row.id, "", "{}", flat_json(after));
        return s.stored(row);
    });
}

Result<StoredCase> CaseStore::set_facts(const Actor& actor, std::string_view case_id,
                                        const std::map<std::string, std::string>& facts,
                                        std::optional<std::int64_t> expected_version) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, RoleAction::edit_facts, AuditAction::edit_facts, case_id)) return std::vector{*p};
    return s.run<StoredCase>([&]() -> Result<StoredCase> {
        auto row = s.current(case_id, expected_version);
        if (!row) return row.error();
        CaseInput doc = s.document_of(*row);
        Members before, after;
        for (const auto& [k, v] : facts) {
            auto it = doc.facts.find(k);
            before.emplace_back("facts." + k, it == doc.facts.end() ? std::string() : it->second);
            after.emplace_back("facts." + k, v);
            if (v.empty())
                doc.facts.erase(k);
            else
                doc.facts[k] = v;
        }
        if (auto p = check_no_names(doc)) return std::vector{*p};
        auto records = s.db->records(row->id);
        CaseInput probe = doc;
        for (const auto* r : Impl::live_assessments(records))
            if (auto a = Impl::assessment_of(*r)) probe.assessments.push_back(std::move(*a));
        if (auto bad = s.check_facts(probe)) return *bad;
        auto saved = s.save(*row, actor, doc);
        if (!saved) return saved.error();
        after.emplace_back("version", std::to_string(saved->version));
        after.emplace_back("document", detail::content_hash(saved->document));
        s.audit(actor, AuditAction::edit_facts, saved->id, "", flat_json(before), flat_json(after));
        return s.stored(*saved);
    });
}

Result<StoredCase> CaseStore::replace_facts(const Actor& actor, std::string_view case_id, const CaseInput& document,
                                            std::optional<std::int64_t> expected_version) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, RoleAction::edit_facts, AuditAction::edit_facts, case_id)) return std::vector{*p};
    if (document.id != case_id)
        return std::vector{problem(DiagnosticCode::case_mismatch,
                                   "the file is case '" + document.id + "', not '" + std::string(case_id) + "'")};
    if (auto p = check_no_names(document)) return std::vector{*p};
    return s.run<StoredCase>([&]() -> Result<StoredCase> {
        auto row = s.current(case_id, expected_version);
        if (!row) return row.error();
        CaseInput doc = s.document_of(*row);
        Members before, after;
        for (const auto& [k, v] : doc.facts) before.emplace_back("facts." + k, v);
        for (const auto& [k, v] : document.facts) after.emplace_back("facts." + k, v);
        doc.facts = document.facts;
        doc.lists = document.lists;
        if (document.as_of) doc.as_of = document.as_of;
        if (auto bad = s.check_facts(doc)) return *bad;
        auto saved = s.save(*row, actor, doc);
        if (!saved) return saved.error();
        after.emplace_back("version", std::to_string(saved->version));
        after.emplace_back("document", detail::content_hash(saved->document));
        s.audit(actor, AuditAction::edit_facts, saved->id, "", flat_json(before), flat_json(after));
        return s.stored(*saved);
    });
}

Result<StoredRecord> CaseStore::record_assessment(const Actor& actor, std::string_view case_id,
                                                  const Instrument& instrument, const AssessmentInput& input,
                                                  const AssessmentOptions& options) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, RoleAction::record_assessment, AuditAction::record_assessment, case_id))
        return std::vector{*p};
    if (options.finalise)
        if (auto p = s.permit(actor, RoleAction::finalise_assessment, AuditAction::finalise_assessment, case_id))
            return std::vector{*p};
    if (!input.date)
        return std::vector{problem(DiagnosticCode::malformed_case, "an assessment needs its date",
                                   "give the date in the ratings file or with --as-of")};
    AssessmentInput in = input;
    in.instrument = instrument.id();
    auto scored = score_assessment(instrument, in);
    if (!scored) return scored.error();
    const std::string document = assessment_document(in, scored->scores);
    return s.run<StoredRecord>([&]() -> Result<StoredRecord> {
        auto row = s.current(case_id, options.expected_version);
        if (!row) return row.error();
        // The header's errors stopped score_assessment(); here the age, known from the case.
        std::vector<Diagnostic> warnings;
        {
            const CaseInput doc = s.document_of(*row);
            HeaderContext context{.date = in.date};
            if (auto dob = doc.facts.find("date_of_birth"); dob != doc.facts.end())
                context.date_of_birth = parse_date(dob->second);
            for (auto& d : check_assessment_header(instrument, in.header, context))
                if (d.severity == Severity::warning) warnings.push_back(std::move(d));
        }
        StoredRecord r;
        r.kind = RecordKind::assessment;
        r.state = options.finalise ? RecordState::finalised : RecordState::draft;
        r.subject = instrument.key();
        r.hash = instrument.hash();
        r.document = document;
        if (options.amends) {
            auto amended = s.record_of(*options.amends, RecordKind::assessment);
            if (!amended) return amended.error();
            if (amended->case_id != row->id || amended->state != RecordState::finalised)
                return std::vector{problem(DiagnosticCode::invalid_transition,
                                           "assessment " + std::to_string(*options.amends) +
                                               " is not a finalised assessment of this case: only those are amended")};
            r.links = options.amends;
        }
        Members after{
            {"instrument", r.subject}, {"state", std::string(to_string(r.state))}, {"date", to_string(*in.date)}};
        if (r.links) after.emplace_back("amends", std::to_string(*r.links));
        auto kept = s.add_record(actor, *row, r, AuditAction::record_assessment, after);
        if (!kept || warnings.empty()) return kept;
        return Result<StoredRecord>(std::move(*kept), std::move(warnings));
    });
}

Result<StoredRecord> CaseStore::finalise_assessment(const Actor& actor, std::int64_t record,
                                                    std::optional<std::int64_t> expected_version) {
    return impl_->decide_record(actor, record, RecordKind::assessment, RoleAction::finalise_assessment,
                                RecordState::finalised, AuditAction::finalise_assessment, expected_version, false);
}

Result<EligibilitySnapshot> CaseStore::record_eligibility(const Actor& actor, std::string_view case_id, Date as_of) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, std::nullopt, AuditAction::record_eligibility, case_id)) return std::vector{*p};
    return s.run<EligibilitySnapshot>([&]() -> Result<EligibilitySnapshot> {
        auto row = s.current(case_id, std::nullopt);
        if (!row) return row.error();
        CaseInput c = s.effective(*row, s.db->records(row->id));
        c.as_of = as_of;
        auto decided = decide(s.rules, c, {.threads = 1});
        if (!decided) return decided.error();
        StoredRecord r;
        r.kind = RecordKind::eligibility;
        r.state = RecordState::recorded;
        r.subject = s.rules.key();
        r.hash = s.rules.hash();
        r.document = to_json(*decided, true);
        Members after{{"rules", r.subject}, {"as_of", to_string(as_of)}};
        for (const auto& d : decided->decisions) after.emplace_back(d.programme, std::string(to_string(d.decision)));
        auto kept = s.add_record(actor, *row, r, AuditAction::record_eligibility, after);
        if (!kept) return kept.error();
        return EligibilitySnapshot{std::move(*kept), std::move(*decided)};
    });
}

Result<PlanDraft> CaseStore::draft_plan(const Actor& actor, std::string_view case_id, PlanKind kind,
                                        const PlanPolicy& policy, Date as_of,
                                        std::optional<std::int64_t> expected_version) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, RoleAction::draft_plan, AuditAction::draft_plan, case_id)) return std::vector{*p};
    return s.run<PlanDraft>([&]() -> Result<PlanDraft> {
        auto row = s.current(case_id, expected_version);
        if (!row) return row.error();
        CaseInput c = s.effective(*row, s.db->records(row->id));
        c.as_of = as_of;
        auto decided = decide(s.rules, c, {.threads = 1});
        if (!decided) return decided.error();
        auto made = plan(c, *decided, policy, as_of);
        if (!made) return made.error();
        StoredRecord r;
        r.kind = RecordKind::plan;
        r.state = RecordState::draft;
        r.subject = std::string(to_string(kind));
        r.hash = policy.hash();
        r.document = to_json(*made);
        auto kept = s.add_record(
            actor, *row, r, AuditAction::draft_plan,
            {{"kind", r.subject}, {"policy", policy.key()}, {"as_of", to_string(as_of)}, {"state", "draft"}});
        if (!kept) return kept.error();
        return PlanDraft{std::move(*kept), std::move(*made)};
    });
}

Result<StoredRecord> CaseStore::approve_plan(const Actor& actor, std::int64_t record,
                                             std::optional<std::int64_t> expected_version) {
    return impl_->decide_record(actor, record, RecordKind::plan, RoleAction::approve_plan, RecordState::approved,
                                AuditAction::approve_plan, expected_version, false);
}

Result<StoredRecord> CaseStore::record_override(const Actor& actor, std::string_view case_id,
                                                const OverrideInput& input,
                                                std::optional<std::int64_t> expected_version) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, RoleAction::record_override, AuditAction::record_override, case_id))
        return std::vector{*p};
    if (input.reason.empty())
        return std::vector{problem(DiagnosticCode::invalid_transition, "an override needs its reason")};
    return s.run<StoredRecord>([&]() -> Result<StoredRecord> {
        auto row = s.current(case_id, expected_version);
        if (!row) return row.error();
        auto records = s.db->records(row->id);
        std::string computed;
        std::optional<Date> on;
        if (input.instrument.empty()) {
            CaseInput c = s.effective(*row, records);
            if (input.as_of) c.as_of = input.as_of;
            on = c.as_of;
            auto decided = decide(s.rules, c, {.earliest_dates = false, .threads = 1});
            if (!decided) return decided.error();
            const auto* d = decided->find(input.name);
            if (!d)
                return std::vector{problem(DiagnosticCode::unknown_record,
                                           "the rule set " + s.rules.key() + " has no programme '" + input.name + "'")};
            computed = std::string(to_string(d->decision));
        } else {
            const StoredRecord* latest = nullptr;
            std::optional<Date> latest_date;
            for (const auto* r : Impl::live_assessments(records)) {
                auto a = Impl::assessment_of(*r);
                if (!a || a->instrument != input.instrument) continue;
                if (!latest || (a->date && (!latest_date || *a->date >= *latest_date))) {
                    latest = r;
                    latest_date = a->date;
                }
            }
            if (!latest)
                return std::vector{
                    problem(DiagnosticCode::unknown_record,
                            "case '" + row->id + "' has no finalised assessment with '" + input.instrument + "'")};
            // A score, or an outcome field the assessor rated (a START:AV risk estimate).
            auto doc = detail::read_flat_document(latest->document);
            const std::string* found = nullptr;
            for (const char* part : {"scores", "ratings"}) {
                if (!doc || found) break;
                auto it = doc->objects.find(part);
                if (it == doc->objects.end()) continue;
                auto value = it->second.find(input.name);
                if (value != it->second.end()) found = &value->second;
            }
            if (!found)
                return std::vector{problem(DiagnosticCode::unknown_record,
                                           "the assessment has no score or estimate '" + input.name + "'")};
            computed = *found;
            on = latest_date;
        }
        if (computed == input.chosen)
            return std::vector{problem(DiagnosticCode::invalid_transition,
                                       "'" + input.chosen + "' is the computed value: nothing to override")};
        StoredRecord r;
        r.kind = RecordKind::override_;
        r.state = RecordState::draft;
        r.subject = input.name;
        r.document = flat_json({{"instrument", input.instrument},
                                {"name", input.name},
                                {"computed", computed},
                                {"chosen", input.chosen},
                                {"reason", input.reason},
                                {"as_of", on ? to_string(*on) : std::string()}});
        return s.add_record(actor, *row, r, AuditAction::record_override, {{"name", input.name}, {"state", "draft"}});
    });
}

Result<StoredRecord> CaseStore::approve_override(const Actor& actor, std::int64_t record,
                                                 std::optional<std::int64_t> expected_version) {
    return impl_->decide_record(actor, record, RecordKind::override_, RoleAction::approve_override,
                                RecordState::approved, AuditAction::approve_override, expected_version, true);
}

Result<ApplyOutcome> CaseStore::apply_event(const Actor& actor, std::string_view case_id, PathwayEvent event,
                                            std::optional<std::int64_t> expected_version) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, std::nullopt, AuditAction::apply_event, case_id)) return std::vector{*p};
    event.role = actor.role;
    event.by = actor.id;
    return s.run<ApplyOutcome>([&]() -> Result<ApplyOutcome> {
        auto row = s.current(case_id, expected_version);
        if (!row) return row.error();
        const CaseInput doc = s.document_of(*row);
        const auto records = s.db->records(row->id);
        CaseInput c = s.effective(*row, records);
        auto outcome = apply(s.pathway, s.rules, c, event);
        if (!outcome) return outcome.error();
        if (!outcome->applied) {  // nothing written but a refusal for the role: the case is unchanged
            const bool by_role = std::any_of(outcome->refusals.begin(), outcome->refusals.end(), [](const Refusal& r) {
                return r.kind == RefusalKind::role_not_permitted;
            });
            if (by_role)
                s.audit(actor, AuditAction::refused, row->id, std::string(to_string(AuditAction::apply_event)), "",
                        flat_json({{"why", "role_not_allowed"}}));
            return outcome;
        }
        CaseInput next = outcome->case_document;
        if (next.assessments.size() >= doc.assessments.size()) next.assessments.resize(doc.assessments.size());
        if (auto p = check_no_names(next)) return std::vector{*p};
        auto saved = s.save(*row, actor, next);
        if (!saved) return saved.error();
        Members after{{"type", event.type}, {"date", to_string(event.date)}};
        if (!event.move.empty()) after.emplace_back("move", event.move);
        if (event.step) after.emplace_back("step", std::string(to_string(*event.step)));
        if (event.decision) after.emplace_back("decision", std::string(to_string(*event.decision)));
        if (!event.ground.empty()) after.emplace_back("ground", event.ground);
        after.emplace_back("placement", saved->placement);
        after.emplace_back("version", std::to_string(saved->version));
        after.emplace_back("document", detail::content_hash(saved->document));
        s.audit(actor, AuditAction::apply_event, row->id, event.move,
                flat_json({{"placement", row->placement}, {"version", std::to_string(row->version)}}),
                flat_json(after));
        s.update_obligations(actor, row->id, outcome->case_document, event.date);
        return outcome;
    });
}

Result<StoredCase> CaseStore::read_case(const Actor& actor, std::string_view case_id) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, std::nullopt, AuditAction::read_case, case_id)) return std::vector{*p};
    return s.run<StoredCase>([&]() -> Result<StoredCase> {
        auto row = s.current(case_id, std::nullopt);
        if (!row) return row.error();
        s.audit(actor, AuditAction::read_case, row->id, "case", "", "");
        return s.stored(*row);
    });
}

Result<std::vector<CaseVersion>> CaseStore::versions(const Actor& actor, std::string_view case_id) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, std::nullopt, AuditAction::read_case, case_id)) return std::vector{*p};
    return s.run<std::vector<CaseVersion>>([&]() -> Result<std::vector<CaseVersion>> {
        auto row = s.current(case_id, std::nullopt);
        if (!row) return row.error();
        s.audit(actor, AuditAction::read_case, row->id, "versions", "", "");
        return s.db->versions(row->id);
    });
}

Result<std::vector<CaseSummary>> CaseStore::list_cases(const Actor& actor, const ListFilter& filter) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, std::nullopt, AuditAction::list_cases)) return std::vector{*p};
    return s.run<std::vector<CaseSummary>>([&]() -> Result<std::vector<CaseSummary>> {
        std::vector<CaseSummary> out;
        for (const auto& row : s.db->cases())
            if (!filter.placement || row.placement == *filter.placement)
                out.push_back({row.id, row.version, row.placement, row.updated_at});
        s.audit(actor, AuditAction::list_cases, "", filter.placement.value_or(""), "",
                flat_json({{"cases", std::to_string(out.size())}}));
        return out;
    });
}

Result<std::vector<AuditEntry>> CaseStore::history(const Actor& actor, std::string_view case_id) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, std::nullopt, AuditAction::read_case, case_id)) return std::vector{*p};
    return s.run<std::vector<AuditEntry>>([&]() -> Result<std::vector<AuditEntry>> {
        auto row = s.current(case_id, std::nullopt);
        if (!row) return row.error();
        std::vector<AuditEntry> out;
        s.db->each_audit(row->id, [&](const AuditEntry& e) { out.push_back(e); });
        s.audit(actor, AuditAction::read_case, row->id, "history", "", "");
        return out;
    });
}

namespace {

std::string record_line(const StoredRecord& r) {
    return flat_json({{"record", std::to_string(r.id)},
                      {"kind", std::string(to_string(r.kind))},
                      {"case", r.case_id},
                      {"state", std::string(to_string(r.state))},
                      {"subject", r.subject},
                      {"hash", r.hash},
                      {"links", r.links ? std::to_string(*r.links) : std::string()},
                      {"created_at", r.created_at},
                      {"created_by", r.created_by},
                      {"created_role", r.created_role},
                      {"decided_at", r.decided_at},
                      {"decided_by", r.decided_by},
                      {"decided_role", r.decided_role},
                      {"document", r.document}});
}

constexpr std::string_view export_header = R"({"kelias":"case_store","format":"1"})";

}  // namespace

Result<std::string> CaseStore::export_json(const Actor& actor) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, RoleAction::manage_store, AuditAction::export_store)) return std::vector{*p};
    return s.run<std::string>([&]() -> Result<std::string> {
        std::string out(export_header);
        out += '\n';
        const auto rows = s.db->cases();
        for (const auto& row : rows) {
            out += flat_json({{"case", row.id},
                              {"version", std::to_string(row.version)},
                              {"placement", row.placement},
                              {"updated_at", row.updated_at}});
            out += '\n';
            for (const auto& v : s.db->versions(row.id)) {
                out += flat_json({{"version_of", row.id},
                                  {"version", std::to_string(v.version)},
                                  {"at", v.at},
                                  {"by", v.by},
                                  {"role", v.role},
                                  {"document", v.document}});
                out += '\n';
            }
            for (const auto& r : s.db->records(row.id)) out += record_line(r) + '\n';
        }
        s.audit(actor, AuditAction::export_store, "", "", "", flat_json({{"cases", std::to_string(rows.size())}}));
        return out;
    });
}

Result<std::size_t> CaseStore::import_json(const Actor& actor, std::string_view text) {
    Impl& s = *impl_;
    if (auto p = s.permit(actor, RoleAction::manage_store, AuditAction::import_case)) return std::vector{*p};
    // Read every line first: a bad one stops the import before anything is written.
    std::vector<detail::FlatDocument> lines;
    std::size_t number = 0;
    auto bad = [&](std::string why) {
        Diagnostic d = problem(DiagnosticCode::malformed_case, std::move(why));
        d.where = {"<import>", static_cast<int>(number), 0};
        return std::vector{d};
    };
    while (!text.empty()) {
        ++number;
        const auto end = text.find('\n');
        std::string_view line = text.substr(0, end);
        text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
        if (line.empty()) continue;
        std::string error;
        auto doc = detail::read_flat_document(line, &error);
        if (!doc) return bad("not a line of a case-store export: " + error);
        if (number == 1) {
            if (line != export_header) return bad("not a kelias case-store export (its first line is the header)");
            continue;
        }
        lines.push_back(std::move(*doc));
    }
    if (number == 0) return bad("empty input");
    return s.run<std::size_t>([&]() -> Result<std::size_t> {
        std::size_t cases = 0;
        auto field = [](const detail::FlatDocument& d, const char* k) {
            const auto* v = d.find(k);
            return v ? *v : std::string();
        };
        // One case at a time: its row (with its last version's document), versions, records.
        std::optional<CaseRow> pending;
        std::vector<CaseVersion> versions;
        std::vector<StoredRecord> records;
        auto flush = [&]() -> std::optional<std::vector<Diagnostic>> {
            if (!pending) return std::nullopt;
            if (versions.empty())
                return std::vector{
                    problem(DiagnosticCode::malformed_case, "case '" + pending->id + "' has no version")};
            pending->document = versions.back().document;
            s.db->insert_case(*pending);
            for (const auto& v : versions) s.db->insert_version(pending->id, v);
            for (const auto& r : records) {
                if (s.db->find_record(r.id))
                    return std::vector{problem(DiagnosticCode::unknown_record,
                                               "record " + std::to_string(r.id) + " is already in the store")};
                s.db->insert_record(r);
            }
            // The hash of every version and record imported, so that verify() covers them.
            Members after{{"version", std::to_string(pending->version)}};
            for (const auto& v : versions)
                after.emplace_back("version." + std::to_string(v.version), detail::content_hash(v.document));
            for (const auto& r : records)
                after.emplace_back("record." + std::to_string(r.id), detail::content_hash(r.document));
            s.audit(actor, AuditAction::import_case, pending->id, "", "{}", flat_json(after));
            ++cases;
            pending.reset();
            versions.clear();
            records.clear();
            return std::nullopt;
        };
        number = 1;
        for (const auto& d : lines) {
            ++number;
            if (d.find("case") && !d.find("record")) {
                if (auto p = flush()) return *p;
                const std::string id = field(d, "case");
                if (s.db->find_case(id))
                    return std::vector{problem(DiagnosticCode::unknown_record,
                                               "case '" + id + "' is already in the store; nothing was imported")};
                const auto version = to_int(field(d, "version"));
                if (!version) return bad("a case line without its version");
                pending = CaseRow{id, *version, field(d, "placement"), field(d, "updated_at"), ""};
            } else if (d.find("version_of")) {
                if (!pending || field(d, "version_of") != pending->id) return bad("a version line outside its case");
                const auto version = to_int(field(d, "version"));
                if (!version) return bad("a version line without its version");
                CaseVersion v{*version, field(d, "at"), field(d, "by"), field(d, "role"), field(d, "document")};
                auto parsed = parse_case(v.document, "<import>");
                if (!parsed) return parsed.error();
                if (auto p = check_no_names(*parsed)) return std::vector{*p};
                versions.push_back(std::move(v));
            } else if (d.find("record")) {
                if (!pending || field(d, "case") != pending->id) return bad("a record line outside its case");
                StoredRecord r;
                const auto id = to_int(field(d, "record"));
                std::optional<RecordKind> kind;
                for (auto k : {RecordKind::assessment, RecordKind::eligibility, RecordKind::plan, RecordKind::override_,
                               RecordKind::obligation})
                    if (to_string(k) == field(d, "kind")) kind = k;
                std::optional<RecordState> state;
                for (auto k : {RecordState::draft, RecordState::finalised, RecordState::approved, RecordState::recorded,
                               RecordState::open, RecordState::met, RecordState::overdue})
                    if (to_string(k) == field(d, "state")) state = k;
                if (!id || *id <= 0 || !kind || !state) return bad("a record line with a bad id, kind or state");
                r.id = *id;
                r.kind = *kind;
                r.state = *state;
                r.case_id = pending->id;
                r.subject = field(d, "subject");
                r.hash = field(d, "hash");
                if (!field(d, "links").empty()) {
                    r.links = to_int(field(d, "links"));
                    if (!r.links) return bad("a record line with a bad link");
                }
                r.document = field(d, "document");
                r.created_at = field(d, "created_at");
                r.created_by = field(d, "created_by");
                r.created_role = field(d, "created_role");
                r.decided_at = field(d, "decided_at");
                r.decided_by = field(d, "decided_by");
                r.decided_role = field(d, "decided_role");
                records.push_back(std::move(r));
            } else {
                return bad("a line that is neither a case, a version nor a record");
            }
        }
        if (auto p = flush()) return *p;
        return cases;
    });
}

Result<std::size_t> CaseStore::import_file(const Actor& actor, const std::string& path) {
    constexpr std::size_t limit = std::size_t{1} << 30;
    std::string text;
    std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
    bool ok = f != nullptr;
    if (ok) {
        char buffer[65536];
        for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, f)) > 0 && text.size() <= limit;)
            text.append(buffer, n);
        ok = !std::ferror(f);
        if (f != stdin) std::fclose(f);
    }
    const Location where{path == "-" ? "<stdin>" : path, 0, 0};
    if (!ok)
        return std::vector{
            Diagnostic{Severity::error, DiagnosticCode::unreadable_file, "cannot read the export", {}, where}};
    if (text.size() > limit)
        return std::vector{
            Diagnostic{Severity::error, DiagnosticCode::input_limit, "the export is larger than 1 GiB", {}, where}};
    return import_json(actor, text);
}

Result<AuditCheck> CaseStore::verify() {
    Impl& s = *impl_;
    return s.run<AuditCheck>([&]() -> Result<AuditCheck> {
        AuditCheck check;
        std::vector<AuditEntry> entries;
        s.db->each_audit("", [&](const AuditEntry& e) { entries.push_back(e); });
        check.entries = static_cast<std::int64_t>(entries.size());
        auto broken = [&](const AuditEntry* e, std::string why) {
            check.ok = false;
            if (e) check.first_broken = e->seq;
            check.reason = std::move(why);
            return check;
        };
        // 1. The chain: each entry names the one before, and its fields match its hash.
        for (std::size_t i = 0; i < entries.size(); ++i) {
            const AuditEntry& e = entries[i];
            const AuditEntry* previous = i ? &entries[i - 1] : nullptr;
            const std::int64_t expected_seq = previous ? previous->seq + 1 : 1;
            if (e.seq != expected_seq) return broken(&e, "entry " + std::to_string(expected_seq) + " is missing");
            if (e.prev_hash != (previous ? previous->hash : std::string()))
                return broken(&e, "it does not name the hash of the entry before it");
            if (e.hash != audit_hash(e))
                return broken(&e, "its content does not match its hash (the entry was changed)");
        }
        // 2. The data: every saved version and record has the document hash its entry recorded.
        std::map<std::pair<std::string, std::int64_t>, std::pair<std::string, const AuditEntry*>> version_hashes;
        std::map<std::int64_t, std::pair<std::string, const AuditEntry*>> record_hashes;
        for (const auto& e : entries) {
            auto after = detail::read_flat_document(e.after);
            if (!after) continue;
            const auto* document = after->find("document");
            switch (e.action) {
            case AuditAction::create_case:
            case AuditAction::edit_facts:
            case AuditAction::apply_event:
                if (const auto* v = after->find("version"); v && document)
                    if (auto n = to_int(*v)) version_hashes[{e.case_id, *n}] = {*document, &e};
                break;
            case AuditAction::record_assessment:
            case AuditAction::record_eligibility:
            case AuditAction::draft_plan:
            case AuditAction::record_override:
            case AuditAction::update_obligation:
                if (auto id = to_int(e.target); id && document) record_hashes[*id] = {*document, &e};
                break;
            case AuditAction::import_case:
                for (const auto& [k, v] : after->scalars) {
                    if (k.starts_with("version."))
                        if (auto n = to_int(std::string_view(k).substr(8))) version_hashes[{e.case_id, *n}] = {v, &e};
                    if (k.starts_with("record."))
                        if (auto n = to_int(std::string_view(k).substr(7))) record_hashes[*n] = {v, &e};
                }
                break;
            default:
                break;
            }
        }
        for (const auto& row : s.db->cases()) {
            const auto versions = s.db->versions(row.id);
            if (versions.empty() || versions.back().document != row.document || versions.back().version > row.version)
                return broken(nullptr, "case '" + row.id + "' does not match its last saved version");
            for (const auto& v : versions) {
                auto it = version_hashes.find({row.id, v.version});
                if (it == version_hashes.end())
                    return broken(nullptr, "case '" + row.id + "' version " + std::to_string(v.version) +
                                               " has no audit entry (a row added by hand)");
                if (it->second.first != detail::content_hash(v.document))
                    return broken(it->second.second, "case '" + row.id + "' version " + std::to_string(v.version) +
                                                         " was changed after it was saved");
            }
            for (const auto& r : s.db->records(row.id)) {
                auto it = record_hashes.find(r.id);
                if (it == record_hashes.end())
                    return broken(nullptr,
                                  "record " + std::to_string(r.id) + " has no audit entry (a row added by hand)");
                if (it->second.first != detail::content_hash(r.document))
                    return broken(it->second.second,
                                  "record " + std::to_string(r.id) + " was changed after it was saved");
            }
        }
        return check;
    });
}

namespace {
void write_record(detail::JsonWriter& w, const StoredRecord& r) {
    w.begin_object()
        .key("id")
        .integer(r.id)
        .key("kind")
        .string(to_string(r.kind))
        .key("case")
        .string(r.case_id)
        .key("state")
        .string(to_string(r.state))
        .key("subject")
        .string(r.subject)
        .key("hash")
        .string(r.hash);
    w.key("links");
    if (r.links)
        w.integer(*r.links);
    else
        w.null();
    w.key("created_at").string(r.created_at).key("created_by").string(r.created_by);
    w.key("created_role").string(r.created_role).key("decided_at").string(r.decided_at);
    w.key("decided_by").string(r.decided_by).key("decided_role").string(r.decided_role);
    w.key("document").raw(r.document).end_object();
}
}  // namespace

std::string to_json(const StoredRecord& record) {
    std::string out;
    detail::JsonWriter w(out);
    write_record(w, record);
    return out;
}

std::string to_json(const StoredCase& c) {
    std::string out;
    detail::JsonWriter w(out);
    w.begin_object()
        .key("case")
        .raw(to_json(c.document))
        .key("version")
        .integer(c.version)
        .key("records")
        .begin_array();
    for (const auto& r : c.records) write_record(w, r);
    w.end_array().end_object();
    return out;
}

std::string to_text(const StoredCase& c, Language language) {
    const bool lt = language == Language::lt;
    auto by = [&](const std::string& who, const std::string& role) {
        return lt ? " (" + who + ", " + role + ")" : " by " + who + " (" + role + ")";
    };
    const auto* stay = current_placement(c.document);
    std::string out = (lt ? "Byla " : "Case ") + c.id + (lt ? " (versija " : " (version ") + std::to_string(c.version) +
                      ")\n" + (lt ? "Vieta: " : "Placement: ") +
                      (stay ? stay->placement
                       : lt ? "nėra"
                            : "none") +
                      "\n" + (lt ? "Faktai:\n" : "Facts:\n");
    for (const auto& [k, v] : c.document.facts) out += "  " + k + ": " + v + "\n";
    out += (lt ? "Įvykiai: " : "Events: ") + std::to_string(c.document.events.size()) + "\n";
    for (const auto& e : c.document.events) {
        out += "  " + to_string(e.date) + " " + e.type;
        if (!e.by.empty()) out += by(e.by, e.role);
        out += "\n";
    }
    out += lt ? "Įrašai:\n" : "Records:\n";
    for (const auto& r : c.records) {
        out += "  " + std::to_string(r.id) + " " + std::string(to_string(r.kind)) + " " +
               std::string(to_string(r.state)) + " " + r.subject;
        if (r.links) out += (lt ? " (taiso " : " (amends ") + std::to_string(*r.links) + ")";
        out += by(r.created_by, r.created_role) + " " + r.created_at;
        if (!r.decided_by.empty())
            out += "; " + std::string(to_string(r.state)) + by(r.decided_by, r.decided_role) + " " + r.decided_at;
        out += "\n";
    }
    return out;
}

std::string to_json(const CaseSummary& summary) {
    std::string out;
    detail::JsonWriter w(out);
    w.begin_object().key("case").string(summary.id).key("version").integer(summary.version);
    w.key("placement").string(summary.placement).key("updated_at").string(summary.updated_at).end_object();
    return out;
}

Result<AssessmentInput> read_assessment_file(const std::filesystem::path& path) {
    const std::string name = path.string();
    std::ifstream in(path, std::ios::binary);
    std::string text;
    if (in) {
        std::ostringstream buffer;
        buffer << in.rdbuf();
        text = buffer.str();
    }
    if (!in || std::filesystem::is_directory(path) || text.size() > max_case_file_bytes)
        return std::vector{Diagnostic{
            Severity::error, DiagnosticCode::unreadable_file, "cannot read the ratings file", {}, {name, 0, 0}}};
    std::string error;
    auto doc = detail::read_flat_document(text, &error);
    if (!doc || !doc->objects.empty())
        return std::vector{Diagnostic{Severity::error,
                                      DiagnosticCode::malformed_case,
                                      "a ratings file is one JSON object of column: value" +
                                          (error.empty() ? std::string() : " (" + error + ")"),
                                      {},
                                      {name, 0, 0}}};
    AssessmentInput a;
    for (auto& [k, v] : doc->scalars) {
        if (k == "date") {
            a.date = parse_date(v);
            if (!a.date)
                return std::vector{Diagnostic{Severity::error,
                                              DiagnosticCode::malformed_date,
                                              "'date' is not a date (YYYY-MM-DD)",
                                              {},
                                              {name, 0, 0}}};
            continue;
        }
        if (k.starts_with("header.") && k.size() > 7) {
            a.header.emplace(k.substr(7), v);  // an assessment field (instruments/README.md)
            continue;
        }
        a.ratings.emplace(k, v);
    }
    return a;
}

Result<CaseStore> open_sqlite_store(const std::filesystem::path& path, const Pathway& pathway, const RuleSet& rules,
                                    const CaseStoreOptions& options) {
    auto backend = detail::open_sqlite_backend(path.string(), options);
    if (!backend) return backend.error();
    return CaseStore(std::move(*backend), pathway, rules, options);
}

KELIAS_END_NAMESPACE
