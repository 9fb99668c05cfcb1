// Pathway results for people (text, English or Lithuanian, labels instead of ids) and for
// programs (JSON through the one JSON writer); `due` over a JSONL file of cases.

#include <kelias/pathway.hpp>

#include "base/json_writer.hpp"
#include "base/messages.hpp"
#include "io/input_source.hpp"
#include "pathway/pathway_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

// The fixed words of pathway output, in each language.
struct Words {
    std::string_view case_, on, placement, moves, allowed, refused, next_step, by, guard, earliest, missing, waits_for,
        proposed, decided, carried_out, next_proposal, next_decision, next_carrying_out, no_moves, applied,
        refused_event, roles_that_may, obligations, none, due, from, met, open, overdue, assessment, instrument,
        unknown_age, last, regular, brought_forward, never, nothing_due, within, reasons;
};

constexpr Words english{"Case",
                        "on",
                        "Placement",
                        "Moves",
                        "allowed",
                        "refused",
                        "next step",
                        "by",
                        "guard",
                        "earliest",
                        "missing",
                        "waits for",
                        "proposed",
                        "decided",
                        "carried out",
                        "proposal",
                        "decision",
                        "carrying out",
                        "no moves start from here",
                        "Applied",
                        "Refused",
                        "roles that may",
                        "Obligations",
                        "none",
                        "due",
                        "from",
                        "met",
                        "open",
                        "overdue",
                        "Next assessment",
                        "instrument",
                        "the age is unknown (facts.date_of_birth)",
                        "last",
                        "regular date",
                        "brought forward by",
                        "no assessment yet: due now",
                        "nothing due",
                        "within",
                        "reasons"};
constexpr Words lithuanian{"Byla",
                           "",
                           "Vieta",
                           "Perkėlimai",
                           "galima",
                           "negalima",
                           "kitas žingsnis",
                           "atlieka",
                           "sąlyga",
                           "anksčiausiai",
                           "trūksta",
                           "laukia",
                           "pasiūlyta",
                           "nuspręsta",
                           "įvykdyta",
                           "pasiūlymas",
                           "sprendimas",
                           "įvykdymas",
                           "iš čia perkėlimų nėra",
                           "Pritaikyta",
                           "Atsisakyta",
                           "gali",
                           "Pareigos",
                           "nėra",
                           "terminas",
                           "nuo",
                           "įvykdyta",
                           "vykdoma",
                           "pradelsta",
                           "Kitas vertinimas",
                           "priemonė",
                           "amžius nežinomas (facts.date_of_birth)",
                           "paskutinis",
                           "įprasta data",
                           "anksčiau dėl",
                           "dar nevertinta: reikia dabar",
                           "nieko nereikia",
                           "per",
                           "priežastys"};

const Words& words(Language l) { return l == Language::lt ? lithuanian : english; }

std::string_view step_word(MoveStep s, const Words& w) {
    switch (s) {
    case MoveStep::proposed:
        return w.proposed;
    case MoveStep::decided:
        return w.decided;
    case MoveStep::carried_out:
        return w.carried_out;
    }
    return "?";
}

std::string_view next_word(MoveStep s, const Words& w) {
    switch (s) {
    case MoveStep::proposed:
        return w.next_proposal;
    case MoveStep::decided:
        return w.next_decision;
    case MoveStep::carried_out:
        return w.next_carrying_out;
    }
    return "?";
}

std::string_view decision_word(Decision d, Language l) {
    if (l == Language::lt)
        return d == Decision::eligible ? "atitinka" : d == Decision::not_eligible ? "neatitinka" : "nenustatyta";
    return to_string(d);
}

std::string role_labels(const Pathway& p, const std::vector<std::string>& roles, Language l) {
    std::string out;
    for (const auto& r : roles) {
        const RoleInfo* info = p.find_role(r);
        out += (out.empty() ? "" : ", ") + (info ? info->label.in(l) : r);
    }
    return out;
}

std::string placement_label(const Pathway& p, const std::string& id, Language l) {
    const PlacementInfo* info = p.find_placement(id);
    return info ? info->label.in(l) + " (" + id + ")" : id;
}

std::string move_label(const Pathway& p, const std::string& id, Language l) {
    const MoveInfo* info = p.find_move(id);
    return info ? info->label.in(l) + " (" + id + ")" : id;
}

std::string status_word(ObligationStatus s, const Words& w) {
    return std::string(s == ObligationStatus::met ? w.met : s == ObligationStatus::open ? w.open : w.overdue);
}

void guard_lines(std::string& out, const ProgrammeDecision& d, const Words& w, Language l) {
    if (d.decision == Decision::eligible) return;
    for (const auto& r : d.reasons)
        if (r.against() || !r.value()) {
            // The same words as the eligibility text: fails / excluded / unknown.
            const auto word = !r.value()      ? detail::Message::unknown
                              : r.exclusion() ? detail::Message::excluded
                                              : detail::Message::fails;
            out += "      - " + std::string(detail::message(word, l)) + " " + r.text(l) + "\n";
        }
    if (!d.missing.empty()) {
        out += "      " + std::string(w.missing) + ":";
        for (const auto& m : d.missing) out += " " + m;
        out += "\n";
    }
    (void)l;
}

void write_guard(detail::JsonWriter& w, const ProgrammeDecision& d) {
    w.begin_object().key("programme").string(d.programme).key("decision").string(to_string(d.decision));
    w.key("reasons").begin_array();
    for (const auto& r : d.reasons)
        if (r.against() || !r.value()) {
            w.begin_object().key("id").string(r.id()).key("text").string(r.text()).key("value");
            if (r.value())
                w.boolean(*r.value());
            else
                w.null();
            w.key("exclusion").boolean(r.exclusion()).end_object();
        }
    w.end_array().key("missing").begin_array();
    for (const auto& m : d.missing) w.string(m);
    w.end_array().key("earliest_date");
    if (d.earliest_date)
        w.string(to_string(*d.earliest_date));
    else
        w.null();
    w.end_object();
}

void write_strings(detail::JsonWriter& w, const std::vector<std::string>& v) {
    w.begin_array();
    for (const auto& s : v) w.string(s);
    w.end_array();
}

// One change for a person.
std::string change_text(const CaseChange& c, const Pathway& p, Language l) {
    const bool lt = l == Language::lt;
    const std::string on = to_string(c.date);
    switch (c.kind) {
    case CaseChange::Kind::event_recorded: {
        const EventTypeInfo* t = p.find_event_type(c.subject);
        const std::string label = (t ? t->label.in(l) : c.subject) + " (" + c.subject + ")";
        return (lt ? "įvykis " : "event ") + label + ", " + on;
    }
    case CaseChange::Kind::move_step: {
        const std::string_view step = !c.decision                            ? (lt ? "pasiūlyta" : "proposed")
                                      : *c.decision == MoveDecision::granted ? (lt ? "pritarta" : "granted")
                                                                             : (lt ? "atmesta" : "refused");
        return move_label(p, c.subject, l) + ": " + std::string(step) + ", " + on;
    }
    case CaseChange::Kind::placement:
        return (lt ? "vieta: " : "placement: ") + placement_label(p, c.value, l) + " -> " +
               placement_label(p, c.subject, l) + ", " + on;
    case CaseChange::Kind::fact_set:
        return "facts." + c.subject + " = " + c.value;
    case CaseChange::Kind::obligation: {
        std::string label = c.subject;
        for (const auto& m : p.moves())
            for (const auto& o : m.obligations)
                if (o.id == c.subject) label = o.label.in(l) + " (" + c.subject + ")";
        return (lt ? "pareiga: " : "obligation: ") + label + ", " +
               (c.due ? (lt ? "terminas " : "due ") + to_string(*c.due)
                      : std::string(lt ? "visą buvimo laiką" : "for the whole stay"));
    }
    case CaseChange::Kind::reassessment:
        return (lt ? "pakartotinis vertinimas: " : "reassessment due ") + on;
    case CaseChange::Kind::plan_review:
        return (lt ? "plano peržiūra: " : "plan review due ") + on;
    }
    return c.subject;
}

// A refusal in Lithuanian, from its kind and the event refused.
std::string lithuanian_refusal(const Refusal& r, const PathwayEvent& e, const Pathway& p) {
    const std::string move = "„" + move_label(p, e.move, Language::lt) + "“";
    const RoleInfo* role = p.find_role(e.role);
    const std::string who = role ? role->label.in(Language::lt) + " (" + e.role + ")" : "'" + e.role + "'";
    const EventTypeInfo* type = p.find_event_type(e.type);
    const std::string what = type ? "„" + type->label.in(Language::lt) + "“ (" + e.type + ")" : "'" + e.type + "'";
    const std::string guard = r.guard ? r.guard->programme : std::string();
    switch (r.kind) {
    case RefusalKind::unknown_role:
        return e.role.empty() ? "įvykyje nenurodytas vaidmuo" : "'" + e.role + "' nėra šio kelio vaidmuo";
    case RefusalKind::role_not_permitted:
        if (e.type != "move") return who + " negali registruoti įvykio " + what;
        return who + " negali atlikti žingsnio „" +
               std::string(next_word(e.step.value_or(MoveStep::proposed), lithuanian)) + "“: " + move;
    case RefusalKind::unknown_event_type:
        return "'" + e.type + "' nėra šio kelio įvykio tipas";
    case RefusalKind::unknown_move:
        return "'" + e.move + "' nėra šio kelio perkėlimas";
    case RefusalKind::wrong_placement:
        return move + " neprasideda iš dabartinės vietos";
    case RefusalKind::pending_move:
        return "jau pasiūlytas kitas perkėlimas, kuris dar nenuspręstas ar neįvykdytas";
    case RefusalKind::no_proposal:
        return move + " nėra pasiūlytas ir nelaukia sprendimo";
    case RefusalKind::not_granted:
        return "dėl " + move + " dar nepriimtas teigiamas sprendimas";
    case RefusalKind::missing_decision:
        return "sprendimas turi būti granted (pritarta) arba refused (atmesta)";
    case RefusalKind::missing_ground:
        return "grąžinimui reikia nurodyti vieną iš jo pagrindų";
    case RefusalKind::guard_not_eligible:
        return "sąlyga " + guard + " netenkinama " + to_string(e.date) +
               (r.guard && r.guard->earliest_date ? " (anksčiausiai " + to_string(*r.guard->earliest_date) + ")"
                                                  : std::string());
    case RefusalKind::guard_undetermined:
        return "sąlygos " + guard + " " + to_string(e.date) + " nustatyti negalima";
    case RefusalKind::date_out_of_order:
        return "data " + to_string(e.date) + " ankstesnė už paskutinį bylos įvykį ar vietą";
    }
    return r.message;
}

}  // namespace

std::string to_text(const OpenMoves& m, const Pathway& p, Language l) {
    const Words& w = words(l);
    std::string out =
        std::string(w.case_) + " " + m.case_id + ", " + (l == Language::lt ? "" : "on ") + to_string(m.as_of) + "\n";
    out += std::string(w.placement) + ": " + placement_label(p, m.placement, l) + "\n";
    out += std::string(w.moves) + ":\n";
    if (m.moves.empty()) out += "  " + std::string(w.no_moves) + "\n";
    for (const auto& mv : m.moves) {
        const MoveInfo* info = p.find_move(mv.move);
        out += "  " + move_label(p, mv.move, l) + " -> " + (info ? placement_label(p, info->to, l) : "") + ": " +
               std::string(mv.allowed ? w.allowed : w.refused) + "\n";
        if (mv.taken) out += "    " + std::string(step_word(*mv.taken, w)) + "\n";
        out += "    " + std::string(w.next_step) + ": " + std::string(next_word(mv.next, w)) + ", " +
               std::string(w.by) + " " + role_labels(p, mv.roles, l) + "\n";
        if (!mv.blocked_by.empty())
            out += "    " + std::string(w.waits_for) + ": " + move_label(p, mv.blocked_by, l) + "\n";
        out += "    " + std::string(w.guard) + " " + mv.guard.programme + ": " +
               std::string(decision_word(mv.guard.decision, l)) + "\n";
        if (mv.next != MoveStep::carried_out) guard_lines(out, mv.guard, w, l);
        if (!mv.allowed && mv.earliest_date)
            out += "    " + std::string(w.earliest) + ": " + to_string(*mv.earliest_date) + "\n";
    }
    return out;
}

namespace {

void write_moves_fields(detail::JsonWriter& w, const OpenMoves& m);

}  // namespace

std::string to_json(const OpenMoves& m) {
    std::string out;
    detail::JsonWriter w(out);
    w.begin_object();
    write_moves_fields(w, m);
    w.end_object();
    return out;
}

std::string to_text(const PathwayStatus& s, const Pathway& p, Language l) {
    return to_text(s.moves, p, l) + to_text(s.obligations, l) + to_text(s.next_assessment, p, l);
}

std::string to_json(const PathwayStatus& s) {
    std::string out;
    detail::JsonWriter w(out);
    auto date = [&](const std::optional<Date>& d) {
        if (d)
            w.string(to_string(*d));
        else
            w.null();
    };
    w.begin_object();
    write_moves_fields(w, s.moves);
    w.key("obligations").begin_array();
    for (const auto& o : s.obligations) {
        w.begin_object().key("obligation").string(o.obligation).key("move").string(o.move);
        w.key("from").string(to_string(o.from)).key("due");
        date(o.due);
        w.key("status").string(to_string(o.status)).key("met_on");
        date(o.met_on);
        w.end_object();
    }
    const AssessmentDue& a = s.next_assessment;
    w.end_array().key("next_assessment").begin_object().key("instrument");
    if (a.instrument.empty())
        w.null();
    else
        w.string(a.instrument);
    w.key("last");
    date(a.last);
    w.key("regular_due");
    date(a.regular_due);
    w.key("due");
    date(a.due);
    w.key("overdue").boolean(a.overdue).key("brought_forward").begin_array();
    for (const auto& t : a.brought_forward)
        w.begin_object().key("cause").string(t.cause).key("date").string(to_string(t.date)).end_object();
    w.end_array().key("missing");
    write_strings(w, a.missing);
    w.end_object().end_object();
    return out;
}

namespace {

void write_moves_fields(detail::JsonWriter& w, const OpenMoves& m) {
    w.key("case").string(m.case_id).key("as_of").string(to_string(m.as_of));
    w.key("placement").string(m.placement).key("moves").begin_array();
    for (const auto& mv : m.moves) {
        w.begin_object().key("move").string(mv.move).key("allowed").boolean(mv.allowed).key("taken");
        if (mv.taken)
            w.string(to_string(*mv.taken));
        else
            w.null();
        w.key("next").string(to_string(mv.next)).key("roles");
        write_strings(w, mv.roles);
        w.key("blocked_by");
        if (mv.blocked_by.empty())
            w.null();
        else
            w.string(mv.blocked_by);
        w.key("guard");
        write_guard(w, mv.guard);
        w.key("earliest_date");
        if (mv.earliest_date)
            w.string(to_string(*mv.earliest_date));
        else
            w.null();
        w.end_object();
    }
    w.end_array();
}

}  // namespace

std::string to_text(const ApplyOutcome& o, const Pathway& p, Language l) {
    const Words& w = words(l);
    std::string out;
    if (o.applied) {
        out += std::string(w.applied) + ":\n";
        for (const auto& c : o.changes) out += "  " + change_text(c, p, l) + "\n";
        return out;
    }
    out += std::string(w.refused_event) + ":\n";
    for (const auto& r : o.refusals) {
        out += "  [" + std::string(to_string(r.kind)) + "] " +
               (l == Language::lt ? lithuanian_refusal(r, o.event, p) : r.message) + "\n";
        if (!r.roles.empty()) out += "    " + std::string(w.roles_that_may) + ": " + role_labels(p, r.roles, l) + "\n";
        if (r.guard) guard_lines(out, *r.guard, w, l);
    }
    return out;
}

std::string to_json(const ApplyOutcome& o) {
    std::string out;
    detail::JsonWriter w(out);
    w.begin_object().key("case").string(o.case_document.id).key("applied").boolean(o.applied).key("changes");
    w.begin_array();
    for (const auto& c : o.changes) {
        w.begin_object().key("kind").string(to_string(c.kind)).key("subject").string(c.subject);
        w.key("value").string(c.value).key("date").string(to_string(c.date)).key("due");
        if (c.due)
            w.string(to_string(*c.due));
        else
            w.null();
        w.end_object();
    }
    w.end_array();
    w.key("refusals").begin_array();
    for (const auto& r : o.refusals) {
        w.begin_object().key("kind").string(to_string(r.kind)).key("message").string(r.message).key("roles");
        write_strings(w, r.roles);
        if (r.guard) {
            w.key("guard");
            write_guard(w, *r.guard);
        }
        w.end_object();
    }
    w.end_array().end_object();
    return out;
}

std::string to_text(const std::vector<ObligationDue>& obligations, Language l) {
    const Words& w = words(l);
    std::string out = std::string(w.obligations) + ":";
    if (obligations.empty()) return out + " " + std::string(w.none) + "\n";
    out += "\n";
    for (const auto& o : obligations) {
        out += "  " + o.label.in(l) + " (" + o.obligation + "): " + status_word(o.status, w) + ", " +
               std::string(w.from) + " " + to_string(o.from);
        if (o.due) out += ", " + std::string(w.due) + " " + to_string(*o.due);
        if (o.met_on) out += ", " + std::string(w.met) + " " + to_string(*o.met_on);
        out += "\n";
    }
    return out;
}

std::string to_text(const AssessmentDue& a, const Pathway& p, Language l) {
    const Words& w = words(l);
    std::string out = std::string(w.assessment) + ":";
    if (a.instrument.empty()) return out + " " + std::string(w.unknown_age) + "\n";
    out += " " + a.instrument;
    if (a.due)
        out += ", " + std::string(w.due) + " " + to_string(*a.due) +
               (a.overdue ? " (" + std::string(w.overdue) + ")" : "");
    out += "\n";
    if (!a.last) return out + "  " + std::string(w.never) + "\n";
    out += "  " + std::string(w.last) + ": " + to_string(*a.last);
    if (a.regular_due) out += "; " + std::string(w.regular) + ": " + to_string(*a.regular_due);
    out += "\n";
    for (const auto& t : a.brought_forward)
        out += "  " + std::string(w.brought_forward) + ": " + t.label.in(l) + " (" + t.cause + "), " +
               to_string(t.date) + "\n";
    (void)p;
    return out;
}

std::string to_text(const DueRun& run, const Pathway& p, Language l) {
    const Words& w = words(l);
    std::string out;
    for (const auto& c : run.cases) {
        out += std::string(w.case_) + " " + c.case_id + ":";
        if (c.items.empty()) {
            out += " " + std::string(w.nothing_due) + "\n";
            continue;
        }
        out += "\n";
        for (const auto& i : c.items) {
            std::string label = i.label.in(l);
            if (i.kind == DueItem::Kind::move) label = move_label(p, i.what, l);
            const std::string_view kind = l == Language::lt ? (i.kind == DueItem::Kind::assessment   ? "vertinimas"
                                                               : i.kind == DueItem::Kind::obligation ? "pareiga"
                                                                                                     : "perkėlimas")
                                                            : to_string(i.kind);
            out += "  " + to_string(i.date) + "  " + std::string(kind) + "  " + label +
                   (i.overdue ? " (" + std::string(w.overdue) + ")" : "") + "\n";
        }
    }
    return out;
}

std::string to_json(const DueRun& run) {
    std::string out;
    for (const auto& c : run.cases) {
        detail::JsonWriter w(out);
        w.begin_object().key("case").string(c.case_id).key("due").begin_array();
        for (const auto& i : c.items)
            w.begin_object()
                .key("kind")
                .string(to_string(i.kind))
                .key("what")
                .string(i.what)
                .key("date")
                .string(to_string(i.date))
                .key("overdue")
                .boolean(i.overdue)
                .end_object();
        w.end_array().end_object();
        out += "\n";
    }
    return out;
}

Result<DueRun> due_jsonl(const Pathway& pathway, const RuleSet& rules, const std::string& path,
                         const DueOptions& options) {
    // Read in blocks through the input machinery: bounded memory, a file that changes while
    // it is read (E802) or a stream past its limit (E801) stops the run.
    constexpr std::size_t max_line = std::size_t{1} << 20;
    constexpr std::uint64_t max_stream = std::uint64_t{64} << 30;
    auto input = detail::InputSource::open(path, path == "-" ? "<stdin>" : path, max_stream);
    if (!input) return input.error();
    DueRun run;
    std::string line;
    std::size_t number = 0;
    bool too_long = false;
    auto finish_line = [&]() {
        ++number;
        if (too_long) {
            run.rejected.emplace_back(number, "line longer than 1 MiB");
        } else if (line.find_first_not_of(" \t\r") != std::string::npos) {
            auto c = parse_case(line, input->name() + ":" + std::to_string(number));
            if (!c) {
                run.rejected.emplace_back(number, c.error().empty() ? "unreadable" : c.error()[0].message);
            } else if (auto d = due(pathway, rules, *c, options); !d) {
                run.rejected.emplace_back(number, d.error().empty() ? "does not fit" : d.error()[0].message);
            } else {
                run.cases.push_back(std::move(*d));
            }
        }
        line.clear();
        too_long = false;
    };
    std::vector<char> block(std::size_t{1} << 16);
    for (;;) {
        auto got = input->read(block.data(), block.size());
        if (!got) return got.error();
        if (*got == 0) break;
        for (std::size_t i = 0; i < *got; ++i) {
            const char ch = block[i];
            if (ch == '\n') {
                finish_line();
            } else if (!too_long) {
                line.push_back(ch);
                if (line.size() > max_line) {
                    too_long = true;
                    line.clear();
                }
            }
        }
    }
    if (!line.empty() || too_long) finish_line();
    return run;
}

KELIAS_END_NAMESPACE
