// What a case may do next on its pathway: the open moves, applying an event or a move step
// (a new case document, or a refusal that changes nothing), the obligations of the current
// stay and the assessment cycle. The case's placements and events are its history; the
// state of a move (proposed, decided) is read from the events.
#include <algorithm>

#include <kelias/pathway.hpp>

#include "base/text.hpp"
#include "pathway/pathway_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

// Event types the case records for move steps.
constexpr std::string_view proposed_type = "move_proposed";
constexpr std::string_view decided_type = "move_decided";
constexpr std::string_view carried_out_type = "move_carried_out";

std::string detail_of(const CaseEvent& e, const std::string& key) {
    auto it = e.details.find(key);
    return it == e.details.end() ? std::string() : it->second;
}

// The move a case has under way: proposed (and maybe granted), not yet carried out.
struct Pending {
    std::string move;
    Date proposed;
    bool granted = false;
};

std::optional<Pending> pending_move(const CaseInput& c) {
    std::optional<Pending> p;
    for (const auto& e : c.events) {
        if (e.type == proposed_type) {
            p = Pending{detail_of(e, "move"), e.date, false};
        } else if (e.type == decided_type && p && detail_of(e, "move") == p->move) {
            if (detail_of(e, "decision") == "granted")
                p->granted = true;
            else
                p.reset();
        } else if (e.type == carried_out_type) {
            p.reset();
        }
    }
    return p;
}

std::vector<Diagnostic> placement_problems(const Pathway& pathway, const CaseInput& c) {
    std::vector<Diagnostic> out;
    const PlacementStay* stay = current_placement(c);
    if (!stay) {
        out.push_back({Severity::error, DiagnosticCode::case_outside_pathway, "the case has no placement",
                       "add 'placements: [{placement: ID, from: DATE}]'", c.where});
        return out;
    }
    for (std::size_t i = 0; i < c.placements.size(); ++i) {
        const auto& p = c.placements[i];
        if (pathway.find_placement(p.placement)) continue;
        std::vector<std::string> ids;
        for (const auto& x : pathway.placements()) ids.push_back(x.id);
        Location where = c.where;
        if (auto it = c.places.find(CasePath::placement(i, "placement")); it != c.places.end()) where = it->second;
        out.push_back(
            {Severity::error, DiagnosticCode::case_outside_pathway,
             "placement '" + detail::for_message(p.placement) + "' is not one of pathway '" + pathway.id() + "'",
             detail::did_you_mean(p.placement, ids), where});
    }
    return out;
}

// The guard's decision for the case on `on`.
Result<ProgrammeDecision> decide_guard(const RuleSet& rules, const CaseInput& c, const std::string& guard, Date on) {
    CaseInput at = c;
    at.as_of = on;
    auto decided = decide(rules, at, {.earliest_dates = true, .threads = 1});
    if (!decided) return decided.error();
    if (const ProgrammeDecision* d = decided->find(guard)) return *d;
    return std::vector<Diagnostic>{{Severity::error,
                                    DiagnosticCode::unknown_guard,
                                    "rule set '" + rules.id() + "' has no programme '" + guard + "'",
                                    "load the pathway with the rule set it was checked against",
                                    {}}};
}

bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

std::string roles_text(const std::vector<std::string>& roles) {
    std::string out;
    for (const auto& r : roles) out += (out.empty() ? "" : ", ") + r;
    return out;
}

Refusal role_refusal(const std::string& role, const std::string& what, const std::vector<std::string>& roles) {
    return {RefusalKind::role_not_permitted,
            "role '" + role + "' may not " + what + " (roles that may: " + roles_text(roles) + ")", roles,
            std::nullopt};
}

std::optional<Refusal> guard_refusal(const ProgrammeDecision& d, const MoveInfo& move, Date on) {
    if (d.decision == Decision::eligible) return std::nullopt;
    if (d.decision == Decision::not_eligible)
        return Refusal{RefusalKind::guard_not_eligible,
                       "'" + move.guard + "' is not eligible on " + to_string(on) +
                           (d.earliest_date ? " (earliest " + to_string(*d.earliest_date) + ")" : ""),
                       {},
                       d};
    return Refusal{
        RefusalKind::guard_undetermined, "'" + move.guard + "' cannot be decided on " + to_string(on), {}, d};
}

CaseChange set_fact(CaseInput& c, const std::string& fact, const std::string& value, Date on) {
    c.facts[fact] = value;
    return {CaseChange::Kind::fact_set, fact, value, on, std::nullopt};
}

CaseChange change(CaseChange::Kind kind, std::string subject, std::string value, Date on) {
    return {.kind = kind, .subject = std::move(subject), .value = std::move(value), .date = on, .due = std::nullopt};
}

}  // namespace

Result<OpenMoves> open_moves(const Pathway& pathway, const RuleSet& rules, const CaseInput& c, Date as_of) {
    auto problems = placement_problems(pathway, c);
    if (!problems.empty()) return problems;
    const PlacementStay* stay = current_placement(c);
    OpenMoves out;
    out.case_id = c.id;
    out.as_of = as_of;
    out.placement = stay->placement;
    CaseInput at = c;
    at.as_of = as_of;
    auto decided = decide(rules, at, {.earliest_dates = true, .threads = 1});
    if (!decided) return decided.error();
    const auto pending = pending_move(c);
    for (const auto& move : pathway.moves()) {
        if (!contains(move.from, stay->placement)) continue;
        OpenMove m;
        m.move = move.id;
        if (const ProgrammeDecision* d = decided->find(move.guard)) m.guard = *d;
        m.earliest_date = m.guard.earliest_date;
        if (pending && pending->move == move.id) {
            m.taken = pending->granted ? MoveStep::decided : MoveStep::proposed;
            m.next = pending->granted ? MoveStep::carried_out : MoveStep::decided;
        } else if (pending) {
            m.blocked_by = pending->move;
        }
        m.roles = m.next == MoveStep::proposed  ? move.propose
                  : m.next == MoveStep::decided ? move.decide
                                                : move.carry_out;
        // Carrying out a granted move does not ask the guard again; the other steps do.
        m.allowed = m.blocked_by.empty() && (m.next == MoveStep::carried_out || m.guard.decision == Decision::eligible);
        out.moves.push_back(std::move(m));
    }
    return out;
}

Result<ApplyOutcome> apply(const Pathway& pathway, const RuleSet& rules, const CaseInput& c, const PathwayEvent& e) {
    auto problems = placement_problems(pathway, c);
    if (!problems.empty()) return problems;
    ApplyOutcome out;
    out.case_document = c;
    out.event = e;
    auto refuse = [&](Refusal r) -> Result<ApplyOutcome> {
        out.applied = false;
        out.case_document = c;
        out.refusals.push_back(std::move(r));
        return out;
    };
    const PlacementStay* stay = current_placement(c);
    const RoleInfo* role = pathway.find_role(e.role);
    if (!role) {
        std::vector<std::string> ids;
        for (const auto& r : pathway.roles()) ids.push_back(r.id);
        return refuse({RefusalKind::unknown_role,
                       e.role.empty() ? std::string("the event names no role")
                                      : "'" + detail::for_message(e.role) + "' is not a role of the pathway",
                       ids, std::nullopt});
    }
    Date latest = stay->from;
    for (const auto& ev : c.events) latest = std::max(latest, ev.date);
    if (e.date < latest)
        return refuse(
            {RefusalKind::date_out_of_order,
             "dated " + to_string(e.date) + ", before the case's last event or placement (" + to_string(latest) + ")",
             {},
             std::nullopt});

    CaseEvent recorded;
    recorded.date = e.date;
    recorded.role = e.role;
    recorded.by = e.by;
    recorded.details = e.details;
    CaseInput next = c;
    if (!next.as_of || *next.as_of < e.date) next.as_of = e.date;

    if (e.type != "move") {
        const EventTypeInfo* type = pathway.find_event_type(e.type);
        if (!type)
            return refuse({RefusalKind::unknown_event_type,
                           "'" + detail::for_message(e.type) + "' is not an event type of the pathway",
                           {},
                           std::nullopt});
        if (!contains(role->records, type->id)) {
            std::vector<std::string> may;
            for (const auto& r : pathway.roles())
                if (contains(r.records, type->id)) may.push_back(r.id);
            return refuse(role_refusal(role->id, "record '" + type->id + "'", may));
        }
        recorded.type = type->id;
        out.changes.push_back(change(CaseChange::Kind::event_recorded, type->id, {}, e.date));
        for (const auto& [fact, value] : type->sets) out.changes.push_back(set_fact(next, fact, value, e.date));
        for (const auto& fact : type->dates) out.changes.push_back(set_fact(next, fact, to_string(e.date), e.date));
        next.events.push_back(std::move(recorded));
        out.applied = true;
        out.case_document = std::move(next);
        return out;
    }

    const MoveInfo* move = pathway.find_move(e.move);
    if (!move)
        return refuse({RefusalKind::unknown_move,
                       "'" + detail::for_message(e.move) + "' is not a move of the pathway",
                       {},
                       std::nullopt});
    const auto pending = pending_move(c);
    recorded.details["move"] = move->id;
    const MoveStep step = e.step.value_or(MoveStep::proposed);
    if (step == MoveStep::proposed) {
        if (!contains(move->propose, role->id))
            return refuse(role_refusal(role->id, "propose '" + move->id + "'", move->propose));
        if (!contains(move->from, stay->placement))
            return refuse({RefusalKind::wrong_placement,
                           "'" + move->id + "' does not start from '" + stay->placement + "'",
                           {},
                           std::nullopt});
        if (pending)
            return refuse({RefusalKind::pending_move,
                           "'" + pending->move + "' is proposed and not yet decided or carried out",
                           {},
                           std::nullopt});
        if (move->kind == MoveKind::return_move) {
            const bool known = std::any_of(move->grounds.begin(), move->grounds.end(),
                                           [&](const GroundInfo& g) { return g.id == e.ground; });
            if (!known) {
                std::vector<std::string> grounds;
                for (const auto& g : move->grounds) grounds.push_back(g.id);
                return refuse({RefusalKind::missing_ground,
                               "a return needs one of its grounds: " + roles_text(grounds),
                               {},
                               std::nullopt});
            }
            recorded.details["ground"] = e.ground;
        }
        auto guard = decide_guard(rules, c, move->guard, e.date);
        if (!guard) return guard.error();
        if (auto r = guard_refusal(*guard, *move, e.date)) return refuse(std::move(*r));
        recorded.type = std::string(proposed_type);
        out.changes.push_back(change(CaseChange::Kind::move_step, move->id, "proposed", e.date));
    } else if (step == MoveStep::decided) {
        if (!pending || pending->move != move->id || pending->granted)
            return refuse({RefusalKind::no_proposal,
                           "'" + move->id + "' is not proposed and awaiting a decision",
                           {},
                           std::nullopt});
        if (!contains(move->decide, role->id))
            return refuse(role_refusal(role->id, "decide '" + move->id + "'", move->decide));
        if (!e.decision)
            return refuse({RefusalKind::missing_decision, "a decision is granted or refused", {}, std::nullopt});
        if (*e.decision == MoveDecision::granted) {
            auto guard = decide_guard(rules, c, move->guard, e.date);
            if (!guard) return guard.error();
            if (auto r = guard_refusal(*guard, *move, e.date)) return refuse(std::move(*r));
        }
        recorded.type = std::string(decided_type);
        recorded.details["decision"] = std::string(to_string(*e.decision));
        out.changes.push_back(CaseChange{.kind = CaseChange::Kind::move_step,
                                         .subject = move->id,
                                         .value = std::string(to_string(*e.decision)),
                                         .date = e.date,
                                         .due = std::nullopt,
                                         .decision = e.decision});
    } else {
        if (!pending || pending->move != move->id)
            return refuse({RefusalKind::no_proposal, "'" + move->id + "' is not proposed", {}, std::nullopt});
        if (!pending->granted)
            return refuse(
                {RefusalKind::not_granted, "'" + move->id + "' has not been granted", move->decide, std::nullopt});
        if (!contains(move->carry_out, role->id))
            return refuse(role_refusal(role->id, "carry out '" + move->id + "'", move->carry_out));
        if (!contains(move->from, stay->placement))
            return refuse({RefusalKind::wrong_placement,
                           "'" + move->id + "' does not start from '" + stay->placement + "'",
                           {},
                           std::nullopt});
        recorded.type = std::string(carried_out_type);
        // Close the current stay, open the new one.
        for (auto& s : next.placements)
            if (!s.until) s.until = e.date;
        next.placements.push_back(PlacementStay{move->to, e.date, std::nullopt});
        out.changes.push_back(change(CaseChange::Kind::placement, move->to, stay->placement, e.date));
        for (const auto& [fact, value] : move->sets) out.changes.push_back(set_fact(next, fact, value, e.date));
        for (const auto& fact : move->dates) out.changes.push_back(set_fact(next, fact, to_string(e.date), e.date));
        for (const auto& o : move->obligations)
            out.changes.push_back(
                {CaseChange::Kind::obligation, o.id, {}, e.date, o.within ? add(e.date, *o.within) : std::nullopt});
        if (move->reassess) out.changes.push_back(change(CaseChange::Kind::reassessment, {}, {}, e.date));
        if (move->review) out.changes.push_back(change(CaseChange::Kind::plan_review, {}, {}, e.date));
    }
    next.events.push_back(std::move(recorded));
    out.applied = true;
    out.case_document = std::move(next);
    return out;
}

std::vector<ObligationDue> obligations(const Pathway& pathway, const CaseInput& c, Date as_of) {
    std::vector<ObligationDue> out;
    const PlacementStay* stay = current_placement(c);
    if (!stay) return out;
    // The move that brought the person here: the last one carried out into this placement;
    // for a stay recorded without it, the first move of the pathway that ends here.
    const MoveInfo* move = nullptr;
    Date from = stay->from;
    for (const auto& e : c.events)
        if (e.type == carried_out_type && e.date >= stay->from)
            if (const MoveInfo* m = pathway.find_move(detail_of(e, "move")); m && m->to == stay->placement) {
                move = m;
                from = e.date;
            }
    if (!move)
        for (const auto& m : pathway.moves())
            if (m.to == stay->placement) {
                move = &m;
                break;
            }
    if (!move) return out;
    for (const auto& o : move->obligations) {
        ObligationDue d;
        d.obligation = o.id;
        d.move = move->id;
        d.label = o.label;
        d.from = from;
        if (o.within) d.due = add(from, *o.within);
        for (const auto& e : c.events)
            if (e.date >= from && e.date <= as_of && contains(o.met_by, e.type)) {
                d.met_on = e.date;
                break;
            }
        d.status = d.met_on                  ? ObligationStatus::met
                   : d.due && as_of > *d.due ? ObligationStatus::overdue
                                             : ObligationStatus::open;
        out.push_back(std::move(d));
    }
    return out;
}

AssessmentDue next_assessment(const Pathway& pathway, const CaseInput& c, Date as_of) {
    AssessmentDue out;
    const AssessmentChoice* choice = nullptr;
    auto dob = c.facts.find("date_of_birth");
    std::optional<Date> born = dob == c.facts.end() ? std::nullopt : parse_date(dob->second);
    if (born) out.age = years_between(*born, as_of);
    for (const auto& a : pathway.assessments()) {
        if (a.below_age && !out.age) continue;
        if (!a.below_age || *out.age < *a.below_age) {
            choice = &a;
            break;
        }
    }
    // Without the age only an every-age choice is safe, and only when it is the only one.
    if (!born) {
        out.missing.push_back("facts.date_of_birth");
        if (pathway.assessments().size() != 1) choice = nullptr;
    }
    if (!choice) return out;
    out.instrument = choice->instrument;
    for (const auto& a : c.assessments)
        if (a.instrument == choice->instrument && a.date && *a.date <= as_of && (!out.last || *a.date > *out.last))
            out.last = a.date;
    if (!out.last) {
        out.due = as_of;  // never assessed with it: due now
        return out;
    }
    out.regular_due = add(*out.last, choice->interval);
    out.due = out.regular_due;
    const Date after = *out.last;
    auto trigger = [&](std::string cause, Date on, LocalText label) {
        if (on <= after || on > as_of) return;
        out.brought_forward.push_back({std::move(cause), on, std::move(label)});
        if (!out.due || on < *out.due) out.due = on;
    };
    const auto pending = pending_move(c);
    for (const auto& e : c.events) {
        if (const EventTypeInfo* t = pathway.find_event_type(e.type); t && t->brings_assessment_forward)
            trigger(t->id, e.date, t->label);
        if (e.type == carried_out_type)
            if (const MoveInfo* m = pathway.find_move(detail_of(e, "move")); m && m->reassess)
                trigger(m->id, e.date, m->label);
    }
    // A hearing ahead: the commission or court needs an assessment made after the proposal.
    if (pending)
        if (const MoveInfo* m = pathway.find_move(pending->move); m && m->assess_before_decision)
            trigger(m->id, pending->proposed, m->label);
    std::sort(out.brought_forward.begin(), out.brought_forward.end(),
              [](const AssessmentTrigger& a, const AssessmentTrigger& b) { return a.date < b.date; });
    out.overdue = out.due && *out.due < as_of;
    return out;
}

Result<PathwayStatus> status(const Pathway& pathway, const RuleSet& rules, const CaseInput& c, Date as_of) {
    auto moves = open_moves(pathway, rules, c, as_of);
    if (!moves) return moves.error();
    return PathwayStatus{std::move(*moves), obligations(pathway, c, as_of), next_assessment(pathway, c, as_of)};
}

Result<CaseDue> due(const Pathway& pathway, const RuleSet& rules, const CaseInput& c, const DueOptions& options) {
    const std::optional<Date> until = add(options.as_of, options.within);
    const Date end = until.value_or(max_date);
    CaseDue out;
    out.case_id = c.id;
    auto moves = open_moves(pathway, rules, c, options.as_of);
    if (!moves) return moves.error();
    const AssessmentDue a = next_assessment(pathway, c, options.as_of);
    if (a.due && *a.due <= end)
        out.items.push_back(
            {DueItem::Kind::assessment, a.instrument, LocalText{a.instrument, ""}, *a.due, *a.due < options.as_of});
    for (const auto& o : obligations(pathway, c, options.as_of))
        if (o.status != ObligationStatus::met && o.due && *o.due <= end)
            out.items.push_back(
                {DueItem::Kind::obligation, o.obligation, o.label, *o.due, o.status == ObligationStatus::overdue});
    for (const auto& m : moves->moves)
        if (!m.allowed && m.earliest_date && *m.earliest_date <= end)
            if (const MoveInfo* info = pathway.find_move(m.move))
                out.items.push_back({DueItem::Kind::move, m.move, info->label, *m.earliest_date, false});
    std::stable_sort(out.items.begin(), out.items.end(),
                     [](const DueItem& x, const DueItem& y) { return x.date < y.date; });
    return out;
}

namespace detail {

std::vector<std::pair<Location, std::string>> run_pathway_tests(const Pathway& pathway, const RuleSet& rules) {
    std::vector<std::pair<Location, std::string>> failures;
    for (const auto& t : pathway.data().tests) {
        auto fail = [&](const Location& where, const std::string& message) {
            failures.emplace_back(where, "test '" + t.name + "': " + message);
        };
        CaseInput c = t.input;
        const Date as_of = c.as_of.value_or(Date{});
        std::optional<ApplyOutcome> last;
        bool stopped = false;
        for (const auto& e : t.apply) {
            auto r = apply(pathway, rules, c, e);
            if (!r) {
                fail(e.where, "the case does not fit: " + (r.error().empty() ? std::string() : r.error()[0].message));
                stopped = true;
                break;
            }
            last = *r;
            if (r->applied) c = r->case_document;
        }
        if (stopped) continue;
        const Date on = c.as_of.value_or(as_of);
        if (t.expect_applied && last && last->applied != t.expect_applied->first)
            fail(t.expect_applied->second, std::string("the last event was ") +
                                               (last->applied ? "applied" : "refused") +
                                               (last->refusals.empty() ? "" : ": " + last->refusals[0].message));
        if (t.expect_refusal) {
            if (!last || last->refusals.empty())
                fail(t.expect_refusal->second, "no refusal");
            else if (last->refusals[0].kind != t.expect_refusal->first)
                fail(t.expect_refusal->second,
                     "refused as " + std::string(to_string(last->refusals[0].kind)) + ": " + last->refusals[0].message);
        }
        if (t.expect_placement) {
            const PlacementStay* s = current_placement(c);
            const std::string now = s ? s->placement : std::string("none");
            if (now != t.expect_placement->first) fail(t.expect_placement->second, "the placement is " + now);
        }
        if (!t.expect_moves.empty()) {
            auto moves = open_moves(pathway, rules, c, on);
            if (!moves) {
                fail(t.where,
                     "the case does not fit: " + (moves.error().empty() ? std::string() : moves.error()[0].message));
            } else {
                for (const auto& [id, want] : t.expect_moves) {
                    auto it = std::find_if(moves->moves.begin(), moves->moves.end(),
                                           [&move = id](const OpenMove& m) { return m.move == move; });
                    if (it == moves->moves.end())
                        fail(want.second, "'" + id + "' does not start from the current placement");
                    else if (it->allowed != want.first)
                        fail(want.second, "'" + id + "' is " + (it->allowed ? "allowed" : "refused") + " (guard " +
                                              std::string(to_string(it->guard.decision)) + ")");
                }
            }
        }
        if (!t.expect_obligations.empty()) {
            const auto obs = obligations(pathway, c, on);
            for (const auto& [id, want] : t.expect_obligations) {
                auto it = std::find_if(obs.begin(), obs.end(),
                                       [&name = id](const ObligationDue& o) { return o.obligation == name; });
                if (it == obs.end())
                    fail(want.second, "no obligation '" + id + "' in the current stay");
                else if (it->status != want.first)
                    fail(want.second, "'" + id + "' is " + std::string(to_string(it->status)));
            }
        }
        if (t.expect_instrument || t.expect_due) {
            const AssessmentDue a = next_assessment(pathway, c, on);
            if (t.expect_instrument && a.instrument != t.expect_instrument->first)
                fail(t.expect_instrument->second,
                     "the instrument is " + (a.instrument.empty() ? std::string("unknown") : a.instrument));
            if (t.expect_due && a.due != t.expect_due->first)
                fail(t.expect_due->second,
                     "the next assessment is due " + (a.due ? to_string(*a.due) : std::string("unknown")));
        }
    }
    return failures;
}

}  // namespace detail
KELIAS_END_NAMESPACE
