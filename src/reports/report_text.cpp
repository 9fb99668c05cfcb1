// Case and unit reports as Markdown and as JSON (through the project's one JSON writer),
// with the same content as the HTML.
#include <cstdio>
#include <string>

#include <kelias/report.hpp>

#include "base/json_writer.hpp"
#include "reports/report_support.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

using detail::JsonWriter;
using detail::md_escape;
using detail::Message;
using detail::word;

void local(JsonWriter& w, const LocalText& t, Language l) { w.string(t.in(l)); }

void optional_date(JsonWriter& w, const std::optional<Date>& d) {
    if (d)
        w.string(to_string(*d));
    else
        w.null();
}

void optional_int(JsonWriter& w, const std::optional<int>& v) {
    if (v)
        w.integer(*v);
    else
        w.null();
}

void optional_number(JsonWriter& w, const std::optional<double>& v) {
    if (v)
        w.number(*v);
    else
        w.null();
}

void optional_text(JsonWriter& w, const std::string& s) {
    if (s.empty())
        w.null();
    else
        w.string(s);
}

void profile_json(JsonWriter& w, const ReportProfile& p, Language l) {
    w.begin_object();
    w.key("instrument").string(p.instrument).key("instrument_key").string(p.instrument_key);
    w.key("title").string(p.title);
    w.key("date");
    optional_date(w, p.date);
    w.key("previous_date");
    optional_date(w, p.previous_date);
    w.key("rated").boolean(p.rated);
    w.key("items").begin_array();
    for (const ProfileItem& i : p.items) {
        w.begin_object().key("item").string(i.item).key("label");
        local(w, i.label, l);
        w.key("domain").string(i.domain);
        w.key("strength");
        optional_int(w, i.strength);
        w.key("vulnerability");
        optional_int(w, i.vulnerability);
        w.key("key").boolean(i.key).key("critical").boolean(i.critical);
        w.key("previous").begin_object().key("strength");
        optional_int(w, i.previous_strength);
        w.key("vulnerability");
        optional_int(w, i.previous_vulnerability);
        w.key("key").boolean(i.previous_key).key("critical").boolean(i.previous_critical).end_object();
        w.key("strength_change").string(to_string(i.strength_trend));
        w.key("vulnerability_change").string(to_string(i.vulnerability_trend));
        w.end_object();
    }
    w.end_array();
    w.key("totals").begin_array();
    for (const ProfileTotal& t : p.totals) {
        w.begin_object().key("score").string(t.score).key("label");
        local(w, t.label, l);
        w.key("value");
        optional_number(w, t.value);
        w.key("previous");
        optional_number(w, t.previous);
        w.key("change").string(to_string(t.trend)).end_object();
    }
    w.end_array();
    w.key("estimates").begin_array();
    for (const RiskEstimate& e : p.estimates) {
        w.begin_object().key("outcome").string(e.outcome).key("label");
        local(w, e.label, l);
        w.key("group").string(e.group).key("value");
        optional_text(w, e.value);
        w.key("value_label");
        optional_text(w, detail::risk_word(e.value, l));
        w.key("previous");
        optional_text(w, e.previous);
        w.key("change").string(to_string(e.trend)).end_object();
    }
    w.end_array();
    w.end_object();
}

}  // namespace

std::string to_json(const CaseReport& r) {
    const Language l = r.language;
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.key("report").string(to_string(r.variant));
    w.key("title").string(word(detail::variant_title(r.variant), l));
    w.key("language").string(to_string(l));
    w.key("case").string(r.case_id);
    w.key("as_of").string(to_string(r.as_of));
    w.key("definitions").begin_object().key("rules").string(r.rules_key).key("policy").string(r.policy_key);
    w.key("pathway");
    optional_text(w, r.pathway_key);
    w.end_object();
    w.key("person").begin_object().key("case").string(r.case_id).key("age");
    optional_int(w, r.age);
    w.key("placement");
    optional_text(w, r.placement);
    w.key("placement_label");
    optional_text(w, r.placement.empty() ? std::string() : r.placement_label.in(l));
    w.key("facts").begin_object();
    for (const ReportFact& f : r.facts) w.key(f.name).string(f.value);
    w.end_object().end_object();
    w.key("profile");
    if (r.profile)
        profile_json(w, *r.profile, l);
    else
        w.null();
    if (r.sections.eligibility) {
        w.key("eligibility").begin_array();
        for (const EligibilityLine& e : r.eligibility) {
            w.begin_object().key("programme").string(e.programme).key("label");
            local(w, e.label, l);
            w.key("kind").string(e.kind).key("decision").string(to_string(e.decision));
            w.key("reasons").begin_array();
            for (const EligibilityReason& reason : e.reasons) {
                w.begin_object().key("kind").string(reason.kind == EligibilityReason::Kind::fails      ? "fails"
                                                    : reason.kind == EligibilityReason::Kind::excluded ? "excluded"
                                                                                                       : "unknown");
                w.key("text");
                local(w, reason.text, l);
                w.end_object();
            }
            w.end_array().key("missing").begin_array();
            for (const std::string& m : e.missing) w.string(m);
            w.end_array().key("earliest_date");
            optional_date(w, e.earliest_date);
            w.end_object();
        }
        w.end_array();
    }
    if (r.plan) w.key("plan").raw(to_json(*r.plan));
    if (r.sections.placements) {
        w.key("placements").begin_array();
        for (const PlacementLine& p : r.placements) {
            w.begin_object().key("placement").string(p.placement).key("label");
            local(w, p.label, l);
            w.key("from").string(to_string(p.from)).key("until");
            optional_date(w, p.until);
            w.end_object();
        }
        w.end_array();
    }
    w.key("events").begin_array();
    for (const EventLine& e : r.events) {
        w.begin_object().key("date").string(to_string(e.date)).key("type").string(e.type).key("label");
        local(w, e.label, l);
        w.key("role").string(e.role).key("role_label");
        local(w, e.role_label, l);
        if (e.step) {
            w.key("move").string(e.move).key("move_label");
            local(w, e.move_label, l);
            w.key("step").string(to_string(*e.step));
            if (e.decision) w.key("decision").string(to_string(*e.decision));
        }
        w.end_object();
    }
    w.end_array();
    if (r.sections.obligations) {
        w.key("obligations").begin_array();
        for (const ObligationDue& o : r.obligations) {
            w.begin_object().key("obligation").string(o.obligation).key("move").string(o.move).key("label");
            local(w, o.label, l);
            w.key("from").string(to_string(o.from)).key("due");
            optional_date(w, o.due);
            w.key("status").string(to_string(o.status)).key("met_on");
            optional_date(w, o.met_on);
            w.end_object();
        }
        w.end_array();
    }
    if (r.next_assessment) {
        const AssessmentDue& a = *r.next_assessment;
        w.key("next_assessment").begin_object().key("instrument");
        optional_text(w, a.instrument);
        w.key("last");
        optional_date(w, a.last);
        w.key("regular_due");
        optional_date(w, a.regular_due);
        w.key("due");
        optional_date(w, a.due);
        w.key("overdue").boolean(a.overdue).key("brought_forward").begin_array();
        for (const AssessmentTrigger& t : a.brought_forward) {
            w.begin_object().key("cause").string(t.cause).key("date").string(to_string(t.date)).key("label");
            local(w, t.label, l);
            w.end_object();
        }
        w.end_array().end_object();
    }
    w.end_object();
    out += '\n';
    return out;
}

namespace {

struct Md {
    std::string out;
    Language l;
    void heading(int level, std::string_view text) {
        out += "\n" + std::string(static_cast<std::size_t>(level), '#') + " " + md_escape(text) + "\n\n";
    }
    void line(std::string_view text) { out += md_escape(text) + "\n"; }
    void table(std::initializer_list<Message> head) {
        out += "|";
        for (Message m : head) out += " " + md_escape(detail::message(m, l)) + " |";
        out += "\n|";
        for (std::size_t i = 0; i < head.size(); ++i) out += " --- |";
        out += "\n";
    }
    void row(std::initializer_list<std::string> cells) {
        out += "|";
        for (const std::string& c : cells) out += " " + md_escape(c) + " |";
        out += "\n";
    }
};

/// `Strength: better; Vulnerability: better`, only what moved, or `no change`.
std::string item_change(const ProfileItem& i, bool has_previous, Language l) {
    std::string s;
    auto add = [&](Message field, Trend t) {
        if (t != Trend::better && t != Trend::worse) return;
        s += (s.empty() ? "" : "; ") + word(field, l) + ": " + detail::trend_word(t, l);
    };
    add(Message::report_strength, i.strength_trend);
    add(Message::report_vulnerability, i.vulnerability_trend);
    return s.empty() ? detail::trend_word(has_previous ? Trend::same : Trend::none, l) : s;
}

std::string marks(const ProfileItem& i, Language l) {
    std::string s;
    if (i.key) s += word(Message::report_key, l);
    if (i.critical) s += (s.empty() ? "" : ", ") + word(Message::report_critical, l);
    return s;
}

}  // namespace

std::string to_markdown(const CaseReport& r) {
    const Language l = r.language;
    Md m{{}, l};
    m.out += "# " + md_escape(word(detail::variant_title(r.variant), l)) + "\n\n";
    m.line(word(Message::report_case_id, l) + ": " + r.case_id + " · " + word(Message::report_as_of, l) + " " +
           to_string(r.as_of));
    m.out += "\n";
    m.line(word(Message::report_no_names, l));

    m.heading(2, word(Message::report_person, l));
    m.out += "- " + md_escape(word(Message::report_case_id, l)) + ": " + md_escape(r.case_id) + "\n";
    m.out += "- " + md_escape(word(Message::report_age, l)) + ": " + (r.age ? std::to_string(*r.age) : "–") + "\n";
    m.out += "- " + md_escape(word(Message::report_current_placement, l)) + ": " +
             md_escape(r.placement.empty() ? "–" : r.placement_label.in(l)) + "\n";
    if (!r.facts.empty()) {
        m.heading(3, word(Message::report_facts, l));
        m.out += "| | |\n| --- | --- |\n";
        for (const ReportFact& f : r.facts) m.row({f.name, f.value});
    }

    m.heading(2, word(Message::report_profile, l) + (r.profile ? ": " + r.profile->title : ""));
    if (!r.profile) {
        m.line(word(Message::report_no_assessment, l));
    } else {
        const ReportProfile& p = *r.profile;
        m.line(p.instrument_key + ", " + word(Message::report_assessed_on, l) + " " +
               (p.date ? to_string(*p.date) : "–") + "; " + word(Message::report_previous_assessment, l) + ": " +
               (p.previous_date ? to_string(*p.previous_date) : word(Message::report_trend_none, l)));
        if (r.sections.item_profile) {
            m.out += "\n";
            if (!p.rated) {
                m.line(word(Message::report_no_ratings, l));
            } else {
                m.table({Message::report_item, Message::report_strength, Message::report_previous,
                         Message::report_vulnerability, Message::report_previous, Message::report_change});
                for (const ProfileItem& i : p.items) {
                    std::string label = i.label.in(l);
                    if (const std::string mk = marks(i, l); !mk.empty()) label += " (" + mk + ")";
                    m.row({label, detail::rating_text(i.strength), detail::rating_text(i.previous_strength),
                           detail::rating_text(i.vulnerability), detail::rating_text(i.previous_vulnerability),
                           item_change(i, p.previous_date.has_value(), l)});
                }
            }
        }
        m.heading(2, word(Message::report_estimates, l));
        m.table({Message::report_outcome, Message::report_estimate, Message::report_previous, Message::report_change});
        for (const RiskEstimate& e : p.estimates)
            m.row({e.label.in(l), e.value.empty() ? "–" : detail::risk_word(e.value, l),
                   e.previous.empty() ? "–" : detail::risk_word(e.previous, l), detail::trend_word(e.trend, l)});
        m.heading(2, word(Message::report_change, l));
        if (!p.previous_date) {
            m.line(word(Message::report_trend_none, l));
        } else {
            m.line(to_string(*p.previous_date) + " → " + (p.date ? to_string(*p.date) : "–"));
            m.out += "\n";
            for (const ProfileTotal& t : p.totals)
                m.out += "- " +
                         md_escape(t.label.in(l) + ": " + detail::number_text(t.previous) + " → " +
                                   detail::number_text(t.value) + " " + detail::trend_word(t.trend, l)) +
                         "\n";
            for (const RiskEstimate& e : p.estimates)
                if (e.trend == Trend::better || e.trend == Trend::worse)
                    m.out += "- " +
                             md_escape(e.label.in(l) + ": " + detail::risk_word(e.previous, l) + " → " +
                                       detail::risk_word(e.value, l) + " " + detail::trend_word(e.trend, l)) +
                             "\n";
            for (const ProfileItem& i : p.items) {
                auto one = [&](Message field, const std::optional<int>& before, const std::optional<int>& now,
                               Trend t) {
                    if (t != Trend::better && t != Trend::worse) return;
                    m.out += "- " +
                             md_escape(i.label.in(l) + ", " + word(field, l) + ": " + detail::rating_text(before) +
                                       " → " + detail::rating_text(now) + " " + detail::trend_word(t, l)) +
                             "\n";
                };
                one(Message::report_strength, i.previous_strength, i.strength, i.strength_trend);
                one(Message::report_vulnerability, i.previous_vulnerability, i.vulnerability, i.vulnerability_trend);
            }
        }
    }

    if (r.sections.eligibility) {
        m.heading(2, word(Message::report_eligibility, l));
        m.table(
            {Message::report_programme, Message::report_decision, Message::report_reasons, Message::report_earliest});
        for (const EligibilityLine& e : r.eligibility) {
            std::string reasons;
            for (const EligibilityReason& reason : e.reasons)
                reasons +=
                    (reasons.empty() ? "" : "; ") + detail::reason_word(reason.kind, l) + " " + reason.text.in(l);
            if (!e.missing.empty()) {
                reasons += (reasons.empty() ? "" : "; ") + word(Message::missing, l);
                for (const std::string& x : e.missing) reasons += " " + x;
            }
            m.row({e.label.in(l), detail::decision_word(e.decision, l), reasons,
                   e.earliest_date ? to_string(*e.earliest_date) : "–"});
        }
    }
    if (r.plan) {
        const Plan& p = *r.plan;
        m.heading(2, word(Message::report_plan, l));
        m.out +=
            "- " + md_escape(word(Message::report_risk_level, l)) + ": " +
            md_escape(p.risk_level ? detail::risk_word(to_string(*p.risk_level), l) : word(Message::undetermined, l)) +
            "\n";
        if (p.supervision)
            m.out +=
                "- " + md_escape(word(Message::report_supervision, l)) + ": " +
                md_escape(detail::supervision_word(*p.supervision, l) +
                          (p.hours ? ", " + std::to_string(*p.hours) + " " + word(Message::report_hours, l) : "")) +
                "\n";
        m.out += "- " + md_escape(word(Message::report_next_review, l)) + ": " +
                 md_escape(detail::plan_review_text(p, l)) + "\n";
        for (const detail::PlanList& list : detail::plan_lists(r, l)) {
            m.heading(3, word(list.heading, l));
            if (list.lines.empty()) m.line(word(Message::report_none, l));
            for (const std::string& line : list.lines) m.out += "- " + md_escape(line) + "\n";
        }
    }
    if (r.sections.placements) {
        m.heading(2, word(Message::report_placements, l));
        m.table({Message::report_placement, Message::report_from, Message::report_until});
        for (const PlacementLine& p : r.placements)
            m.row({p.label.in(l), to_string(p.from), p.until ? to_string(*p.until) : word(Message::report_current, l)});
    }
    if (!r.events.empty()) {
        m.heading(3, word(r.sections.events ? Message::report_events : Message::report_move, l));
        m.table({Message::report_date, Message::report_event, Message::report_role});
        for (const EventLine& e : r.events) {
            std::string what = e.label.in(l);
            if (e.step) what += ": " + e.move_label.in(l) + ", " + detail::step_word(e, l);
            m.row({to_string(e.date), what, e.role_label.in(l)});
        }
    }
    if (r.sections.obligations) {
        m.heading(2, word(Message::report_obligations, l));
        if (r.obligations.empty())
            m.line(word(Message::report_none, l));
        else {
            m.table({Message::report_obligations, Message::report_from, Message::report_due, Message::report_status});
            for (const ObligationDue& o : r.obligations)
                m.row({o.label.in(l), to_string(o.from),
                       o.due ? to_string(*o.due) : word(Message::report_whole_stay, l),
                       detail::status_word(o.status, l) + (o.met_on ? " " + to_string(*o.met_on) : "")});
        }
    }
    if (r.next_assessment) {
        const AssessmentDue& a = *r.next_assessment;
        m.heading(3, word(Message::report_next_assessment, l));
        std::string s = (a.instrument.empty() ? "–" : a.instrument) + ": " + (a.due ? to_string(*a.due) : "–");
        if (a.overdue) s += " (" + word(Message::report_overdue, l) + ")";
        for (std::size_t i = 0; i < a.brought_forward.size(); ++i)
            s += (i == 0 ? "; " + word(Message::report_brought_forward, l) + " " : ", ") +
                 a.brought_forward[i].label.in(l) + " " + to_string(a.brought_forward[i].date);
        m.line(s);
    }
    m.out += "\n---\n\n";
    std::string keys = r.rules_key + ", " + r.policy_key;
    if (!r.pathway_key.empty()) keys += ", " + r.pathway_key;
    if (r.profile) keys += ", " + r.profile->instrument_key;
    m.line(word(Message::report_definitions, l) + ": " + keys);
    return std::move(m.out);
}

std::string to_json(const UnitReport& r) {
    std::string out;
    JsonWriter w(out);
    const Language l = r.language;
    w.begin_object().key("report").string("unit").key("language").string(to_string(l));
    w.key("as_of").string(to_string(r.as_of)).key("within").string(to_string(r.within));
    w.key("cases").integer(static_cast<std::int64_t>(r.cases));
    w.key("definitions").begin_object().key("rules").string(r.rules_key).key("pathway").string(r.pathway_key);
    w.end_object();
    auto lines = [&](const char* key, const std::vector<UnitDueLine>& list) {
        w.key(key).begin_array();
        for (const UnitDueLine& d : list) {
            w.begin_object().key("case").string(d.case_id).key("what").string(d.what).key("label");
            local(w, d.label, l);
            w.key("date").string(to_string(d.date)).key("overdue").boolean(d.overdue).end_object();
        }
        w.end_array();
    };
    lines("reassessments", r.reassessments);
    lines("obligations", r.obligations);
    lines("earliest_dates", r.earliest_dates);
    auto rates = [&](const char* key, const std::vector<OverrideRate>& list) {
        w.key(key).begin_array();
        for (const OverrideRate& o : list) {
            w.begin_object().key("key").string(o.key);
            w.key("assessments").integer(static_cast<std::int64_t>(o.assessments));
            w.key("overridden").integer(static_cast<std::int64_t>(o.overridden));
            w.key("values").integer(static_cast<std::int64_t>(o.values)).key("rate");
            optional_number(w, o.rate());
            w.end_object();
        }
        w.end_array();
    };
    rates("overrides_by_instrument", r.by_instrument);
    rates("overrides_by_staff", r.by_staff);
    w.key("rejected").begin_array();
    for (const auto& [id, reason] : r.rejected)
        w.begin_object().key("case").string(id).key("reason").string(reason).end_object();
    w.end_array().end_object();
    out += '\n';
    return out;
}

std::string to_markdown(const UnitReport& r) {
    const Language l = r.language;
    Md m{{}, l};
    m.out += "# " + md_escape(word(Message::report_unit, l)) + "\n\n";
    m.line(word(Message::report_as_of, l) + " " + to_string(r.as_of) + " · " + word(Message::report_window, l) + " " +
           to_string(r.within) + " · " + word(Message::report_cases, l) + " " + std::to_string(r.cases));
    m.out += "\n";
    m.line(word(Message::report_no_names, l));
    auto due = [&](Message heading, Message what, const std::vector<UnitDueLine>& list) {
        m.heading(2, word(heading, l));
        if (list.empty()) {
            m.line(word(Message::report_none, l));
            return;
        }
        m.table({Message::report_case_id, what, Message::report_date});
        for (const UnitDueLine& d : list)
            m.row({d.case_id, d.label.in(l),
                   to_string(d.date) + (d.overdue ? " (" + word(Message::report_overdue, l) + ")" : "")});
    };
    due(Message::report_due_reassessments, Message::report_instrument, r.reassessments);
    due(Message::report_due_obligations, Message::report_obligations, r.obligations);
    due(Message::report_upcoming_dates, Message::report_programme, r.earliest_dates);
    auto rates = [&](Message by, Message key, const std::vector<OverrideRate>& list) {
        m.heading(2, word(Message::report_override_rate, l) + ", " + word(by, l));
        m.table({key, Message::report_assessments, Message::report_overridden, Message::report_values,
                 Message::report_rate});
        for (const OverrideRate& o : list) {
            char buffer[16] = "–";
            if (const auto rate = o.rate()) std::snprintf(buffer, sizeof buffer, "%.1f %%", *rate * 100);
            m.row(
                {o.key, std::to_string(o.assessments), std::to_string(o.overridden), std::to_string(o.values), buffer});
        }
    };
    rates(Message::report_by_instrument, Message::report_instrument, r.by_instrument);
    rates(Message::report_by_staff, Message::report_staff, r.by_staff);
    if (!r.rejected.empty()) {
        m.heading(2, word(Message::report_rejected, l));
        for (const auto& [id, reason] : r.rejected) m.out += "- " + md_escape(id + ": " + reason) + "\n";
    }
    return std::move(m.out);
}

std::string render(const UnitReport& report, ReportFormat format) {
    switch (format) {
    case ReportFormat::html:
        return to_html(report);
    case ReportFormat::markdown:
        return to_markdown(report);
    case ReportFormat::json:
        return to_json(report);
    }
    return to_html(report);
}

KELIAS_END_NAMESPACE
