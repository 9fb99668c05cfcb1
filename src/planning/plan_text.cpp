// Plans as text for a person (en, lt) and as JSON (the project's one JSON writer).
#include <kelias/plan.hpp>

#include "base/json_writer.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

struct Words {
    const char* plan_for;
    const char* on;
    const char* policy;
    const char* rules;
    const char* assessment;
    const char* no_assessment;
    const char* risk_level;
    const char* undetermined;
    const char* needs;
    const char* band;
    const char* hours;
    const char* supervision;
    const char* override_used;
    const char* targets;
    const char* interventions;
    const char* referrals;
    const char* strengths;
    const char* responsivity;
    const char* unmet;
    const char* review;
    const char* overdue;
    const char* none;
    const char* for_targets;
    const char* adaptation;
    const char* key;
    const char* critical;
    const char* vulnerability;
    const char* strength;
    const char* from;
};

constexpr Words en{"Plan for",
                   "on",
                   "policy",
                   "rules",
                   "Assessment",
                   "none: assess first",
                   "Risk level",
                   "undetermined",
                   "Needs",
                   "dosage band",
                   "h",
                   "supervision",
                   "low-risk override with a reason",
                   "Targets",
                   "Interventions",
                   "Referrals",
                   "Strengths to build on",
                   "Responsivity",
                   "Unmet needs",
                   "Next review",
                   "overdue",
                   "none",
                   "for",
                   "delivery",
                   "key",
                   "critical",
                   "vulnerability",
                   "strength",
                   "from"};

constexpr Words lt{"Planas",
                   "data",
                   "politika",
                   "taisyklės",
                   "Vertinimas",
                   "nėra: pirmiau įvertinkite",
                   "Rizikos lygis",
                   "nenustatytas",
                   "Poreikiai",
                   "dozės grupė",
                   "val.",
                   "priežiūra",
                   "žemos rizikos išimtis su priežastimi",
                   "Tikslai",
                   "Intervencijos",
                   "Siuntimai",
                   "Stiprybės, kuriomis remiamasi",
                   "Imlumas",
                   "Nepatenkinti poreikiai",
                   "Kita peržiūra",
                   "pavėluota",
                   "nėra",
                   "kam",
                   "teikimas",
                   "esminė",
                   "kritinis",
                   "pažeidžiamumas",
                   "stiprybė",
                   "iš"};

std::string_view risk_word(RiskLevel r, Language l) {
    if (l == Language::en) return to_string(r);
    switch (r) {
    case RiskLevel::low:
        return "žemas";
    case RiskLevel::moderate:
        return "vidutinis";
    case RiskLevel::high:
        return "aukštas";
    }
    return "?";
}

std::string_view supervision_word(SupervisionLevel s, Language l) {
    if (l == Language::en) return to_string(s);
    switch (s) {
    case SupervisionLevel::minimal:
        return "minimali";
    case SupervisionLevel::standard:
        return "įprasta";
    case SupervisionLevel::enhanced:
        return "sustiprinta";
    case SupervisionLevel::intensive:
        return "intensyvi";
    }
    return "?";
}

std::string_view reason_words(UnmetNeed::Reason r, Language l) {
    const bool t = l == Language::lt;
    switch (r) {
    case UnmetNeed::Reason::not_eligible:
        return t ? "netinka nė viena programa" : "no programme is eligible";
    case UnmetNeed::Reason::undetermined:
        return t ? "tinkamumas nenustatytas (trūksta duomenų)" : "eligibility undetermined (information missing)";
    case UnmetNeed::Reason::no_programme:
        return t ? "politikoje nėra programos" : "the policy names no programme";
    case UnmetNeed::Reason::not_in_rules:
        return t ? "taisyklių rinkinyje nėra sprendimo" : "the rule set has no decision for its programmes";
    case UnmetNeed::Reason::low_risk:
        return t ? "intensyvios programos netaikomos esant žemai rizikai" : "intensive programmes withheld at low risk";
    case UnmetNeed::Reason::avoided:
        return t ? "atidėta dėl imlumo veiksnio" : "set aside for responsivity";
    }
    return "?";
}

std::string_view kind_word(PlanOrigin::Kind k, bool lithuanian) {
    if (!lithuanian) return to_string(k);
    switch (k) {
    case PlanOrigin::Kind::item:
        return "punktas";
    case PlanOrigin::Kind::outcome:
        return "padarinys";
    case PlanOrigin::Kind::policy:
        return "politika";
    case PlanOrigin::Kind::decision:
        return "sprendimas";
    case PlanOrigin::Kind::event:
        return "įvykis";
    case PlanOrigin::Kind::fact:
        return "faktas";
    case PlanOrigin::Kind::assessment:
        return "vertinimas";
    }
    return "?";
}

std::string origins(const std::vector<PlanOrigin>& from, const Words& w) {
    const bool lithuanian = &w == &lt;
    std::string s = "  [" + std::string(w.from) + ": ";
    for (std::size_t i = 0; i < from.size(); ++i) {
        s += (i ? "; " : "") + std::string(kind_word(from[i].kind, lithuanian)) + " " + from[i].id;
        if (!from[i].detail.empty()) s += " (" + from[i].detail + ")";
    }
    return s + "]";
}

std::string label(const LocalText& t, const std::string& id, Language l) {
    const std::string& text = t.in(l);
    return text.empty() || text == id ? id : text + " (" + id + ")";
}

void write_origins(detail::JsonWriter& w, const std::vector<PlanOrigin>& from) {
    w.key("from").begin_array();
    for (const auto& o : from) {
        w.begin_object().key("kind").string(to_string(o.kind)).key("id").string(o.id);
        if (!o.detail.empty()) w.key("detail").string(o.detail);
        w.end_object();
    }
    w.end_array();
}

void write_label(detail::JsonWriter& w, const LocalText& t) {
    w.key("label").begin_object().key("en").string(t.en);
    if (!t.lt.empty()) w.key("lt").string(t.lt);
    w.end_object();
}

}  // namespace

std::string to_text(const Plan& p, Language language) {
    const Words& w = language == Language::lt ? lt : en;
    std::string s;
    s += std::string(w.plan_for) + " " + p.case_id + ", " + w.on + " " + to_string(p.as_of) + " (" + w.policy + " " +
         p.policy_key + (p.rules_key.empty() ? "" : ", " + std::string(w.rules) + " " + p.rules_key) + ")\n";
    s += std::string(w.assessment) + ": " + (p.assessment.empty() ? std::string(w.none) : p.assessment) + "\n";
    if (!p.assessment.empty()) {
        s += std::string(w.risk_level) + ": " +
             (p.risk_level ? std::string(risk_word(*p.risk_level, language)) : std::string(w.undetermined)) +
             origins(p.risk_from, w) + "\n";
        s += std::string(w.needs) + ": " + std::to_string(p.needs);
        if (!p.dosage_band.empty()) {
            s += "; " + std::string(w.band) + " " + p.dosage_band + ": " + std::to_string(p.hours.value_or(0)) + " " +
                 w.hours + ", " + w.supervision + " " + std::string(supervision_word(*p.supervision, language));
            if (p.low_risk_override) s += " (" + std::string(w.override_used) + ")";
        } else {
            s += "; " + std::string(w.band) + " " + w.undetermined;
        }
        s += origins(p.dosage_from, w) + "\n";
    }
    auto section = [&](const char* title, bool empty) {
        s += "\n" + std::string(title) + (empty ? ": " + std::string(w.none) + "\n" : "\n");
    };
    section(w.targets, p.targets.empty());
    for (const auto& t : p.targets) {
        s += "  " + std::to_string(t.priority) + ". " + label(t.label, t.area, language) + ":";
        for (std::size_t i = 0; i < t.items.size(); ++i) {
            const auto& item = t.items[i];
            s += std::string(i ? ";" : "") + " " + item.label.in(language) + " (" + w.vulnerability + " " +
                 (item.vulnerability ? std::to_string(*item.vulnerability) : std::string("?")) +
                 (item.critical ? std::string(", ") + w.critical : std::string()) + ")";
        }
        s += origins(t.from, w) + "\n";
    }
    section(w.interventions, p.interventions.empty());
    for (const auto& i : p.interventions) {
        s += "  - " + label(i.label, i.programme, language);
        if (i.hours) s += ", " + std::to_string(*i.hours) + " " + w.hours;
        s += ", " + std::string(role_label(i.role, language));
        if (!i.areas.empty()) {
            s += "; " + std::string(w.for_targets) + ":";
            for (const auto& a : i.areas) s += " " + a;
        }
        s += origins(i.from, w) + "\n";
        for (const auto& a : i.adaptations)
            s += "      " + std::string(w.adaptation) + ": " + a.note.in(language) + origins({a.from}, w) + "\n";
    }
    section(w.referrals, p.referrals.empty());
    for (const auto& r : p.referrals)
        s += "  - " + label(r.label, r.rule, language) + ", " + std::string(role_label(r.role, language)) +
             origins(r.from, w) + "\n";
    section(w.strengths, p.strengths.empty());
    for (const auto& st : p.strengths) {
        s += "  - " + label(st.label, st.item, language) + " (" + w.strength + " " +
             (st.strength ? std::to_string(*st.strength) : std::string("?")) +
             (st.key ? std::string(", ") + w.key : std::string()) + ")";
        s += origins(st.from, w) + "\n";
    }
    section(w.responsivity, p.responsivity.empty());
    for (const auto& r : p.responsivity) {
        s += "  - " + label(r.label, r.factor, language);
        if (!r.note.empty()) s += ": " + r.note.in(language);
        s += origins(r.from, w) + "\n";
    }
    section(w.unmet, p.unmet.empty());
    for (const auto& u : p.unmet) {
        s += "  - " + label(u.label, u.area, language) + ": " + std::string(reason_words(u.reason, language)) +
             origins(u.from, w) + "\n";
        for (const auto& c : u.programmes) {
            s += "      " + c.programme + ":";
            for (std::size_t i = 0; i < c.why.size(); ++i) s += (i ? "; " : " ") + c.why[i].in(language);
            s += origins({c.from}, w) + "\n";
        }
    }
    s += "\n" + std::string(w.review) + ": " +
         (p.review.date ? to_string(*p.review.date) : std::string(w.undetermined)) +
         (p.review.overdue ? " (" + std::string(w.overdue) + ")" : std::string()) + origins(p.review.from, w) + "\n";
    return s;
}

std::string to_json(const Plan& p) {
    std::string out;
    detail::JsonWriter w(out);
    w.begin_object();
    w.key("case").string(p.case_id).key("as_of").string(to_string(p.as_of));
    w.key("policy").string(p.policy_key).key("policy_hash").string(p.policy_hash);
    w.key("rules").string(p.rules_key);
    if (p.assessment.empty())
        w.key("assessment").null();
    else
        w.key("assessment").string(p.assessment);
    w.key("risk").begin_object().key("level");
    if (p.risk_level)
        w.string(to_string(*p.risk_level));
    else
        w.null();
    write_origins(w, p.risk_from);
    w.end_object();
    w.key("needs").integer(p.needs);
    w.key("dosage").begin_object();
    if (p.dosage_band.empty())
        w.key("band").null();
    else
        w.key("band").string(p.dosage_band);
    w.key("hours");
    if (p.hours)
        w.integer(*p.hours);
    else
        w.null();
    w.key("supervision");
    if (p.supervision)
        w.string(to_string(*p.supervision));
    else
        w.null();
    w.key("low_risk_override").boolean(p.low_risk_override);
    write_origins(w, p.dosage_from);
    w.end_object();
    w.key("targets").begin_array();
    for (const auto& t : p.targets) {
        w.begin_object().key("area").string(t.area);
        write_label(w, t.label);
        w.key("priority").integer(t.priority).key("items").begin_array();
        for (const auto& i : t.items) {
            w.begin_object().key("item").string(i.item).key("vulnerability");
            if (i.vulnerability)
                w.integer(*i.vulnerability);
            else
                w.null();
            w.key("critical").boolean(i.critical).end_object();
        }
        w.end_array();
        write_origins(w, t.from);
        w.end_object();
    }
    w.end_array();
    w.key("interventions").begin_array();
    for (const auto& i : p.interventions) {
        w.begin_object().key("programme").string(i.programme);
        write_label(w, i.label);
        w.key("areas").begin_array();
        for (const auto& a : i.areas) w.string(a);
        w.end_array();
        w.key("role").string(to_string(i.role)).key("intensive").boolean(i.intensive).key("hours");
        if (i.hours)
            w.integer(*i.hours);
        else
            w.null();
        w.key("adaptations").begin_array();
        for (const auto& a : i.adaptations) {
            w.begin_object().key("note").string(a.note.en);
            write_origins(w, {a.from});
            w.end_object();
        }
        w.end_array();
        write_origins(w, i.from);
        w.end_object();
    }
    w.end_array();
    w.key("referrals").begin_array();
    for (const auto& r : p.referrals) {
        w.begin_object().key("rule").string(r.rule);
        write_label(w, r.label);
        w.key("role").string(to_string(r.role)).key("outcome").string(r.outcome);
        w.key("estimate").string(to_string(r.estimate));
        write_origins(w, r.from);
        w.end_object();
    }
    w.end_array();
    w.key("strengths").begin_array();
    for (const auto& s : p.strengths) {
        w.begin_object().key("item").string(s.item).key("strength");
        if (s.strength)
            w.integer(*s.strength);
        else
            w.null();
        w.key("key").boolean(s.key).key("areas").begin_array();
        for (const auto& a : s.areas) w.string(a);
        w.end_array();
        write_origins(w, s.from);
        w.end_object();
    }
    w.end_array();
    w.key("responsivity").begin_array();
    for (const auto& r : p.responsivity) {
        w.begin_object().key("factor").string(r.factor).key("note").string(r.note.en);
        write_origins(w, r.from);
        w.end_object();
    }
    w.end_array();
    w.key("unmet").begin_array();
    for (const auto& u : p.unmet) {
        w.begin_object().key("area").string(u.area).key("reason").string(to_string(u.reason));
        w.key("programmes").begin_array();
        for (const auto& c : u.programmes) {
            w.begin_object().key("programme").string(c.programme).key("why").begin_array();
            for (const auto& x : c.why) w.string(x.en);
            w.end_array();
            write_origins(w, {c.from});
            w.end_object();
        }
        w.end_array();
        write_origins(w, u.from);
        w.end_object();
    }
    w.end_array();
    w.key("review").begin_object().key("date");
    if (p.review.date)
        w.string(to_string(*p.review.date));
    else
        w.null();
    w.key("overdue").boolean(p.review.overdue);
    write_origins(w, p.review.from);
    w.end_object();
    w.end_object();
    return out;
}

KELIAS_END_NAMESPACE
