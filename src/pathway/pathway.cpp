// Pathway accessors, the names of the pathway enums, descriptions, and reading one event.
#include <kelias/pathway.hpp>

#include <set>

#include "base/json_writer.hpp"
#include "base/text.hpp"
#include "cases/case_yaml.hpp"
#include "definitions/definition_reader.hpp"
#include "pathway/pathway_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
Pathway make_pathway(std::shared_ptr<const PathwayData> data) { return Pathway(std::move(data)); }
}  // namespace detail

std::string_view to_string(RoleAction action) noexcept {
    switch (action) {
    case RoleAction::finalise_assessment:
        return "finalise_assessment";
    case RoleAction::draft_plan:
        return "draft_plan";
    case RoleAction::open_case:
        return "open_case";
    case RoleAction::edit_facts:
        return "edit_facts";
    case RoleAction::record_assessment:
        return "record_assessment";
    case RoleAction::approve_plan:
        return "approve_plan";
    case RoleAction::record_override:
        return "record_override";
    case RoleAction::approve_override:
        return "approve_override";
    case RoleAction::manage_store:
        return "manage_store";
    }
    return "?";
}

std::span<const RoleAction> all_role_actions() noexcept {
    static constexpr RoleAction actions[] = {
        RoleAction::finalise_assessment, RoleAction::draft_plan,        RoleAction::open_case,
        RoleAction::edit_facts,          RoleAction::record_assessment, RoleAction::approve_plan,
        RoleAction::record_override,     RoleAction::approve_override,  RoleAction::manage_store};
    return actions;
}

std::string_view to_string(MoveKind kind) noexcept { return kind == MoveKind::forward ? "forward" : "return"; }

std::string_view to_string(MoveStep step) noexcept {
    switch (step) {
    case MoveStep::proposed:
        return "proposed";
    case MoveStep::decided:
        return "decided";
    case MoveStep::carried_out:
        return "carried_out";
    }
    return "?";
}

std::string_view to_string(MoveDecision decision) noexcept {
    return decision == MoveDecision::granted ? "granted" : "refused";
}

std::string_view to_string(RefusalKind kind) noexcept {
    switch (kind) {
    case RefusalKind::unknown_role:
        return "unknown_role";
    case RefusalKind::role_not_permitted:
        return "role_not_permitted";
    case RefusalKind::unknown_event_type:
        return "unknown_event_type";
    case RefusalKind::unknown_move:
        return "unknown_move";
    case RefusalKind::wrong_placement:
        return "wrong_placement";
    case RefusalKind::pending_move:
        return "pending_move";
    case RefusalKind::no_proposal:
        return "no_proposal";
    case RefusalKind::not_granted:
        return "not_granted";
    case RefusalKind::missing_decision:
        return "missing_decision";
    case RefusalKind::missing_ground:
        return "missing_ground";
    case RefusalKind::guard_not_eligible:
        return "guard_not_eligible";
    case RefusalKind::guard_undetermined:
        return "guard_undetermined";
    case RefusalKind::date_out_of_order:
        return "date_out_of_order";
    }
    return "?";
}

std::string_view to_string(ObligationStatus status) noexcept {
    switch (status) {
    case ObligationStatus::open:
        return "open";
    case ObligationStatus::met:
        return "met";
    case ObligationStatus::overdue:
        return "overdue";
    }
    return "?";
}

std::string_view to_string(CaseChange::Kind kind) noexcept {
    switch (kind) {
    case CaseChange::Kind::event_recorded:
        return "event_recorded";
    case CaseChange::Kind::move_step:
        return "move_step";
    case CaseChange::Kind::placement:
        return "placement";
    case CaseChange::Kind::fact_set:
        return "fact_set";
    case CaseChange::Kind::obligation:
        return "obligation";
    case CaseChange::Kind::reassessment:
        return "reassessment";
    case CaseChange::Kind::plan_review:
        return "plan_review";
    }
    return "?";
}

std::string_view to_string(DueItem::Kind kind) noexcept {
    switch (kind) {
    case DueItem::Kind::assessment:
        return "assessment";
    case DueItem::Kind::obligation:
        return "obligation";
    case DueItem::Kind::move:
        return "move";
    }
    return "?";
}

const std::string& Pathway::id() const noexcept { return data_->id; }
const std::string& Pathway::version() const noexcept { return data_->version; }
std::string Pathway::key() const { return data_->id + "@" + data_->version; }
const std::string& Pathway::hash() const noexcept { return data_->hash; }
const LocalText& Pathway::title() const noexcept { return data_->title; }
const std::string& Pathway::file() const noexcept { return data_->file; }
const std::string& Pathway::rules_id() const noexcept { return data_->rules_id; }
std::span<const PlacementInfo> Pathway::placements() const noexcept { return data_->placements; }
std::span<const MoveInfo> Pathway::moves() const noexcept { return data_->moves; }
std::span<const RoleInfo> Pathway::roles() const noexcept { return data_->roles; }
std::span<const EventTypeInfo> Pathway::event_types() const noexcept { return data_->event_types; }
std::span<const AssessmentChoice> Pathway::assessments() const noexcept { return data_->assessments; }

namespace {
template <class T>
const T* find_id(const std::vector<T>& v, std::string_view id) {
    for (const auto& x : v)
        if (x.id == id) return &x;
    return nullptr;
}

std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : std::string(sep)) + s;
    return out;
}
}  // namespace

const PlacementInfo* Pathway::find_placement(std::string_view id) const noexcept {
    return find_id(data_->placements, id);
}
const MoveInfo* Pathway::find_move(std::string_view id) const noexcept { return find_id(data_->moves, id); }
const RoleInfo* Pathway::find_role(std::string_view id) const noexcept { return find_id(data_->roles, id); }
const EventTypeInfo* Pathway::find_event_type(std::string_view id) const noexcept {
    return find_id(data_->event_types, id);
}

std::string Pathway::describe(Language language) const {
    const bool lt = language == Language::lt;
    const detail::PathwayData& d = *data_;
    std::string out = d.title.in(language) + " (" + key() + ")\n";
    out += std::string(lt ? "  failas:" : "  file:") + "   " + d.file + "\n";
    out += std::string(lt ? "  taisyklės:" : "  rules:") + "  " + d.rules_id + "\n";
    out += lt ? "Vietos:\n" : "Placements:\n";
    for (const auto& p : d.placements)
        out += "  " + p.id + ": " + p.label.in(language) + " (regime " + p.regime + ")\n";
    out += lt ? "Perkėlimai:\n" : "Moves:\n";
    for (const auto& m : d.moves) {
        out += "  " + m.id + (m.kind == MoveKind::return_move ? (lt ? " [grąžinimas]" : " [return]") : "") + ": " +
               m.label.in(language) + "\n";
        out += "    " + join(m.from) + " -> " + m.to + "; guard " + m.guard + "\n";
        out += std::string(lt ? "    siūlo: " : "    proposed by: ") + join(m.propose) +
               (lt ? "; sprendžia: " : "; decided by: ") + join(m.decide) + (lt ? "; vykdo: " : "; carried out by: ") +
               join(m.carry_out) + "\n";
        if (!m.grounds.empty()) {
            std::vector<std::string> g;
            for (const auto& x : m.grounds) g.push_back(x.label.in(language));
            out += std::string(lt ? "    pagrindai: " : "    grounds: ") + join(g, "; ") + "\n";
        }
        for (const auto& o : m.obligations)
            out += std::string(lt ? "    pareiga: " : "    obligation: ") + o.label.in(language) +
                   (o.within ? (lt ? " per " : " within ") + to_string(*o.within) : std::string()) + "\n";
        std::vector<std::string> effects;
        for (const auto& [f, v] : m.sets) effects.push_back(f + " = " + v);
        for (const auto& f : m.dates) effects.push_back(f + " = " + (lt ? "data" : "date"));
        if (m.reassess) effects.push_back(lt ? "pakartotinis vertinimas" : "reassessment");
        if (m.review) effects.push_back(lt ? "plano peržiūra" : "plan review");
        if (m.assess_before_decision)
            effects.push_back(lt ? "vertinimas prieš sprendimą" : "assessment before the decision");
        if (!effects.empty()) out += std::string(lt ? "    poveikis: " : "    effects: ") + join(effects) + "\n";
    }
    out += lt ? "Vaidmenys:\n" : "Roles:\n";
    for (const auto& r : d.roles) {
        std::vector<std::string> can;
        for (auto a : r.actions) can.emplace_back(to_string(a));
        if (!r.records.empty()) can.push_back((lt ? "registruoja " : "records ") + join(r.records, "/"));
        out += "  " + r.id + ": " + r.label.in(language) + (can.empty() ? "" : " (" + join(can) + ")") + "\n";
    }
    out += lt ? "Vertinimas:\n" : "Assessment:\n";
    for (const auto& a : d.assessments)
        out += "  " + a.instrument +
               (a.below_age ? (lt ? " iki " : " under ") + std::to_string(*a.below_age)
                            : std::string(lt ? " kitiems" : " otherwise")) +
               (lt ? ", kas " : ", every ") + to_string(a.interval) + "\n";
    std::vector<std::string> forward;
    for (const auto& e : d.event_types)
        if (e.brings_assessment_forward) forward.push_back(e.id);
    if (!forward.empty()) out += std::string(lt ? "  anksčiau po: " : "  brought forward by: ") + join(forward) + "\n";
    return out;
}

std::string Pathway::describe_json() const {
    const detail::PathwayData& d = *data_;
    std::string out;
    detail::JsonWriter w(out);
    auto labels = [&](const LocalText& t) {
        w.begin_object().key("en").string(t.en);
        if (!t.lt.empty()) w.key("lt").string(t.lt);
        w.end_object();
    };
    auto strings = [&](const std::vector<std::string>& v) {
        w.begin_array();
        for (const auto& s : v) w.string(s);
        w.end_array();
    };
    w.begin_object().key("pathway").string(key()).key("hash").string(d.hash).key("rules").string(d.rules_id);
    w.key("title");
    labels(d.title);
    w.key("placements").begin_array();
    for (const auto& p : d.placements) {
        w.begin_object().key("id").string(p.id).key("label");
        labels(p.label);
        w.key("regime").string(p.regime).key("source").string(p.source).end_object();
    }
    w.end_array().key("moves").begin_array();
    for (const auto& m : d.moves) {
        w.begin_object().key("id").string(m.id).key("kind").string(to_string(m.kind)).key("label");
        labels(m.label);
        w.key("from");
        strings(m.from);
        w.key("to").string(m.to).key("guard").string(m.guard).key("propose");
        strings(m.propose);
        w.key("decide");
        strings(m.decide);
        w.key("carry_out");
        strings(m.carry_out);
        w.key("grounds").begin_array();
        for (const auto& g : m.grounds) w.string(g.id);
        w.end_array().key("obligations").begin_array();
        for (const auto& o : m.obligations) {
            w.begin_object().key("id").string(o.id).key("within");
            if (o.within)
                w.string(to_string(*o.within));
            else
                w.null();
            w.key("met_by");
            strings(o.met_by);
            w.end_object();
        }
        w.end_array().key("sets").begin_object();
        for (const auto& [f, v] : m.sets) w.key(f).string(v);
        w.end_object().key("dates");
        strings(m.dates);
        w.key("reassess").boolean(m.reassess).key("review").boolean(m.review);
        w.key("assess_before_decision").boolean(m.assess_before_decision).key("source").string(m.source);
        w.end_object();
    }
    w.end_array().key("roles").begin_array();
    for (const auto& r : d.roles) {
        w.begin_object().key("id").string(r.id).key("label");
        labels(r.label);
        w.key("actions").begin_array();
        for (auto a : r.actions) w.string(to_string(a));
        w.end_array().key("records");
        strings(r.records);
        w.end_object();
    }
    w.end_array().key("assessment").begin_array();
    for (const auto& a : d.assessments) {
        w.begin_object().key("instrument").string(a.instrument).key("below_age");
        if (a.below_age)
            w.integer(*a.below_age);
        else
            w.null();
        w.key("interval").string(to_string(a.interval)).end_object();
    }
    w.end_array().end_object();
    return out;
}

// ---- events ----------------------------------------------------------------------------
namespace detail {

std::optional<PathwayEvent> read_event_node(const YAML::Node& n, YamlReader& r) {
    if (!r.expect_map(n, "an event")) return std::nullopt;
    const std::size_t errors = r.error_count();
    PathwayEvent e;
    e.where = r.at(n);
    std::set<std::string> seen;
    auto bad = [&](const YAML::Node& at, std::string message, std::string hint = {}) {
        r.error(at, DiagnosticCode::malformed_case, std::move(message), std::move(hint));
    };
    bool has_type = false, has_date = false;
    for (auto it = n.begin(); it != n.end(); ++it) {
        if (!it->first.IsScalar()) {
            bad(it->first, "event keys must be plain names");
            continue;
        }
        const std::string key = it->first.Scalar();
        if (key.size() > max_case_name_bytes) {  // the event becomes part of a case document
            r.error(it->first, DiagnosticCode::input_limit,
                    "a key of " + std::to_string(key.size()) + " bytes, longer than the limit of " +
                        std::to_string(max_case_name_bytes),
                    "names in a case document are ids");
            continue;
        }
        if (!seen.insert(key).second) {
            r.error(it->first, DiagnosticCode::duplicate_key, "'" + for_message(key) + "' is given twice in the event",
                    "keep one of them");
            continue;
        }
        const YAML::Node v = it->second;
        if (!v.IsScalar()) {
            bad(v, "the value of '" + for_message(key) + "' must be a single value");
            continue;
        }
        const std::string& s = v.Scalar();
        if (key == "type") {
            has_type = true;
            if (!is_identifier(s) || s.size() > max_case_name_bytes)
                bad(v, "'" + for_message(s) + "' is not an event type", "event types are ids such as job_started");
            e.type = s;
        } else if (key == "date") {
            has_date = true;
            if (auto d = parse_date(s))
                e.date = *d;
            else
                r.error(v, DiagnosticCode::malformed_date, "'" + for_message(s) + "' is not a date",
                        "write YYYY-MM-DD");
        } else if (key == "role") {
            e.role = s;
        } else if (key == "by") {
            e.by = s;
        } else if (key == "move") {
            e.move = s;
        } else if (key == "ground") {
            e.ground = s;
        } else if (key == "step") {
            if (s == "proposed")
                e.step = MoveStep::proposed;
            else if (s == "decided")
                e.step = MoveStep::decided;
            else if (s == "carried_out")
                e.step = MoveStep::carried_out;
            else
                bad(v, "'" + for_message(s) + "' is not a step", "step: proposed, decided or carried_out");
        } else if (key == "decision") {
            if (s == "granted")
                e.decision = MoveDecision::granted;
            else if (s == "refused")
                e.decision = MoveDecision::refused;
            else
                bad(v, "'" + for_message(s) + "' is not a decision", "decision: granted or refused");
        } else {
            e.details[key] = s;
        }
    }
    if (!has_type) bad(n, "the event has no type", "add e.g. 'type: job_started', or 'type: move' for a move step");
    if (!has_date) bad(n, "the event has no date", "add 'date: YYYY-MM-DD'");
    if (e.type == "move") {
        if (e.move.empty()) bad(n, "a move step names no move", "add 'move: ID'");
        if (!e.step) bad(n, "a move step names no step", "add 'step: proposed', 'decided' or 'carried_out'");
    } else if (!e.move.empty() || e.step || e.decision) {
        bad(n, "'move', 'step' and 'decision' belong to move steps", "write 'type: move'");
    }
    if (r.error_count() > errors) return std::nullopt;
    return e;
}

}  // namespace detail

Result<PathwayEvent> parse_pathway_event(std::string_view text, std::string_view file_name) {
    std::vector<Diagnostic> out;
    try {
        detail::YamlReader r{std::string(file_name), text, out};
        auto root = r.parse();
        if (!root) return out;
        auto e = detail::read_event_node(*root, r);
        if (!e) return out;
        return Result<PathwayEvent>(std::move(*e), std::move(out));
    } catch (const YAML::Exception& e) {
        out.push_back(detail::unexpected_structure(e, file_name));
        return out;
    }
}

Result<PathwayEvent> read_pathway_event_file(const std::filesystem::path& path) {
    std::vector<Diagnostic> problems;
    auto text = detail::read_definition_text(path, problems);
    if (!text) return problems;
    return parse_pathway_event(*text, path.string());
}

KELIAS_END_NAMESPACE
