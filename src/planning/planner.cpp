// The planner: one case, its scored assessment and its eligibility decisions, read through
// a plan policy, become a plan whose every line names its origin. Also the plan-progress
// facts (plan_compliance, risk_reduced) the rules read.
#include <algorithm>
#include <array>
#include <map>
#include <sstream>

#include <kelias/plan.hpp>

#include <kelias/assessment_header.hpp>

#include "base/text.hpp"
#include "planning/plan_policy_data.hpp"
#include "planning/plan_support.hpp"

KELIAS_BEGIN_NAMESPACE

// ---- names ------------------------------------------------------------------------------------
namespace {
constexpr std::array<DeliveryRole, 7> roles = {DeliveryRole::contact_officer,
                                               DeliveryRole::psychologist,
                                               DeliveryRole::social_worker,
                                               DeliveryRole::resocialisation_specialist,
                                               DeliveryRole::probation_officer,
                                               DeliveryRole::em_specialist,
                                               DeliveryRole::ngo};
}  // namespace

std::span<const DeliveryRole> all_delivery_roles() noexcept { return roles; }

std::string_view to_string(DeliveryRole role) noexcept {
    switch (role) {
    case DeliveryRole::contact_officer:
        return "contact_officer";
    case DeliveryRole::psychologist:
        return "psychologist";
    case DeliveryRole::social_worker:
        return "social_worker";
    case DeliveryRole::resocialisation_specialist:
        return "resocialisation_specialist";
    case DeliveryRole::probation_officer:
        return "probation_officer";
    case DeliveryRole::em_specialist:
        return "em_specialist";
    case DeliveryRole::ngo:
        return "ngo";
    }
    return "?";
}

std::string_view role_label(DeliveryRole role, Language language) noexcept {
    const bool lt = language == Language::lt;
    switch (role) {
    case DeliveryRole::contact_officer:
        return lt ? "kontaktinis pareigūnas" : "contact officer";
    case DeliveryRole::psychologist:
        return lt ? "psichologas" : "psychologist";
    case DeliveryRole::social_worker:
        return lt ? "socialinis darbuotojas" : "social worker";
    case DeliveryRole::resocialisation_specialist:
        return lt ? "resocializacijos specialistas" : "resocialisation specialist";
    case DeliveryRole::probation_officer:
        return lt ? "probuotojas" : "probation officer";
    case DeliveryRole::em_specialist:
        return lt ? "elektroninės stebėsenos specialistas" : "electronic-monitoring specialist";
    case DeliveryRole::ngo:
        return lt ? "NVO" : "NGO";
    }
    return "?";
}

std::string_view to_string(SupervisionLevel level) noexcept {
    switch (level) {
    case SupervisionLevel::minimal:
        return "minimal";
    case SupervisionLevel::standard:
        return "standard";
    case SupervisionLevel::enhanced:
        return "enhanced";
    case SupervisionLevel::intensive:
        return "intensive";
    }
    return "?";
}

std::string_view to_string(RiskLevel level) noexcept {
    switch (level) {
    case RiskLevel::low:
        return "low";
    case RiskLevel::moderate:
        return "moderate";
    case RiskLevel::high:
        return "high";
    }
    return "?";
}

std::string_view to_string(PlanOrigin::Kind kind) noexcept {
    switch (kind) {
    case PlanOrigin::Kind::item:
        return "item";
    case PlanOrigin::Kind::outcome:
        return "outcome";
    case PlanOrigin::Kind::policy:
        return "policy";
    case PlanOrigin::Kind::decision:
        return "decision";
    case PlanOrigin::Kind::event:
        return "event";
    case PlanOrigin::Kind::fact:
        return "fact";
    case PlanOrigin::Kind::assessment:
        return "assessment";
    }
    return "?";
}

std::string to_string(const PlanOrigin& origin) {
    std::string s = std::string(to_string(origin.kind)) + " " + origin.id;
    if (!origin.detail.empty()) s += " (" + origin.detail + ")";
    return s;
}

std::string_view to_string(UnmetNeed::Reason reason) noexcept {
    switch (reason) {
    case UnmetNeed::Reason::not_eligible:
        return "not_eligible";
    case UnmetNeed::Reason::undetermined:
        return "undetermined";
    case UnmetNeed::Reason::no_programme:
        return "no_programme";
    case UnmetNeed::Reason::not_in_rules:
        return "not_in_rules";
    case UnmetNeed::Reason::low_risk:
        return "low_risk";
    case UnmetNeed::Reason::avoided:
        return "avoided";
    }
    return "?";
}

// ---- the policy's accessors -------------------------------------------------------------------
const std::string& PlanPolicy::id() const noexcept { return data_->id; }
const std::string& PlanPolicy::version() const noexcept { return data_->version; }
std::string PlanPolicy::key() const { return data_->id + "@" + data_->version; }
const std::string& PlanPolicy::hash() const noexcept { return data_->hash; }
const std::string& PlanPolicy::title() const noexcept { return data_->title; }
const std::string& PlanPolicy::file() const noexcept { return data_->file; }

std::vector<std::pair<std::string, Instrument>> PlanPolicy::instruments() const {
    std::vector<std::pair<std::string, Instrument>> out;
    for (const auto& i : data_->instruments) out.emplace_back(i.id, i.instrument);
    return out;
}

std::vector<std::string> PlanPolicy::areas() const {
    std::vector<std::string> out;
    for (const auto& a : data_->areas) out.push_back(a.id);
    return out;
}

std::string PlanPolicy::describe() const {
    const auto& d = *data_;
    std::ostringstream s;
    s << d.title << " (" << key() << ")\n";
    s << "instruments:\n";
    for (const auto& i : d.instruments) {
        s << "  " << i.id << ": risk level = highest estimate of";
        for (const auto& o : i.intensity_outcomes) s << " " << o;
        s << "; " << i.items.size() << " items mapped to areas\n";
    }
    s << "needs: vulnerability >= " << d.need_at_least << " or critical; many needs = " << d.many_needs << " or more\n";
    s << "dosage:\n";
    for (const auto& b : d.bands)
        s << "  " << b.id << ": " << to_string(b.risk) << " risk, "
          << (b.many ? (*b.many ? "many needs" : "few needs") : std::string("any needs")) << " -> " << b.hours << " h, "
          << to_string(b.supervision) << " supervision\n";
    s << "areas:\n";
    for (const auto& a : d.areas) {
        s << "  " << a.id << ":";
        for (const auto& p : a.programmes) s << " " << p;
        if (a.programmes.empty()) s << " (no programme)";
        s << "\n";
    }
    s << "programmes:\n";
    for (const auto& p : d.programmes)
        s << "  " << p.id << ": " << to_string(p.role) << (p.intensive ? ", intensive" : "") << "\n";
    s << "responsivity:";
    for (const auto& r : d.responsivity) s << " " << r.id;
    s << "\nharm to self:";
    for (const auto& h : d.harm) s << " " << h.id;
    s << "\nreview: every " << to_string(d.review_interval);
    for (const auto& e : d.review_events) s << "; " << e.type << " within " << to_string(e.within);
    s << "\n";
    return s.str();
}

namespace detail {

std::optional<RiskLevel> parse_risk(std::string_view text) {
    if (text == "low") return RiskLevel::low;
    if (text == "moderate") return RiskLevel::moderate;
    if (text == "high") return RiskLevel::high;
    return std::nullopt;
}

std::optional<std::string> cell(const AssessmentInput& a, const std::string& column) {
    if (auto it = a.ratings.find(column); it != a.ratings.end() && !it->second.empty() && it->second != "omitted")
        return it->second;
    if (auto it = a.scores.find(column); it != a.scores.end() && !it->second.empty() && it->second != "omitted")
        return it->second;
    return std::nullopt;
}

std::optional<int> rating(const AssessmentInput& a, const std::string& item, const char* field) {
    auto t = cell(a, item + "." + field);
    if (!t) return std::nullopt;
    if (*t == "0") return 0;
    if (*t == "1") return 1;
    if (*t == "2") return 2;
    return std::nullopt;  // na, or a value the scoring API has refused already
}

bool flag(const AssessmentInput& a, const std::string& item, const char* field) {
    auto t = cell(a, item + "." + field);
    return t && *t == "true";
}

std::optional<RiskLevel> estimate(const AssessmentInput& a, const std::string& outcome) {
    auto t = cell(a, outcome + ".estimate");
    return t ? parse_risk(*t) : std::nullopt;
}

LevelReading risk_level(const AssessmentInput& a, const PolicyInstrument& pi) {
    LevelReading out;
    std::optional<RiskLevel> highest;
    bool unknown = false;
    for (const auto& o : pi.intensity_outcomes) {
        const auto e = estimate(a, o);
        out.from.push_back({PlanOrigin::Kind::outcome, o, e ? std::string(to_string(*e)) : "unknown"});
        if (!e) {
            unknown = true;
            continue;
        }
        if (!highest || *e > *highest) highest = *e;
    }
    out.from.push_back({PlanOrigin::Kind::policy, "instruments." + pi.id + ".intensity", "max"});
    if (highest && (*highest == RiskLevel::high || !unknown)) out.level = highest;
    return out;
}

std::vector<EventView> events_of(const CaseInput& c) {
    std::vector<EventView> out;
    for (const auto& e : c.events) out.push_back({e.type, e.date, &e.details});
    return out;
}

const AssessmentInput* latest_assessment_of(const CaseInput& c, const std::string& instrument, Date as_of,
                                            const AssessmentInput** previous) {
    std::vector<const AssessmentInput*> dated;
    const AssessmentInput* undated = nullptr;
    for (const auto& a : c.assessments) {
        if (a.instrument != instrument) continue;
        if (!a.date) {
            if (!undated) undated = &a;
            continue;
        }
        if (*a.date <= as_of) dated.push_back(&a);
    }
    std::stable_sort(dated.begin(), dated.end(),
                     [](const AssessmentInput* x, const AssessmentInput* y) { return *x->date < *y->date; });
    if (previous) *previous = dated.size() >= 2 ? dated[dated.size() - 2] : nullptr;
    if (!dated.empty()) return dated.back();
    return undated;
}

}  // namespace detail

namespace detail {

std::vector<Diagnostic> placed(std::vector<Diagnostic> problems, const CaseInput& c, const AssessmentInput& a) {
    std::size_t index = 0;  // the assessment's place in its instrument's history
    for (const auto& x : c.assessments) {
        if (&x == &a) break;
        if (x.instrument == a.instrument) ++index;
    }
    for (auto& d : problems) {
        if (d.where.line > 0) continue;
        d.where = c.where;
        for (const auto& [column, text] : a.ratings) {
            if (d.message.rfind(column + ": ", 0) != 0 && d.message.find("'" + column + "'") == std::string::npos)
                continue;
            CasePath path = CasePath::rating(a.instrument, column);
            path.record = index;
            if (auto it = c.places.find(path); it != c.places.end()) d.where = it->second;
            d.message = path.to_string() + ": " + d.message;
            break;
        }
    }
    return problems;
}

}  // namespace detail

// ---- scoring --------------------------------------------------------------------------------------
Result<ScoredAssessment> score_assessment(const Instrument& instrument, const AssessmentInput& input) {
    Assessment a;
    a.id = input.instrument;
    a.as_of = input.date;
    a.cells = input.ratings;
    // The header (status, purpose, ...) does not enter the scores; its errors stop them.
    auto header = check_assessment_header(instrument, input.header,
                                          {.date = input.date, .path = "assessments." + input.instrument});
    if (has_errors(header)) {
        std::erase_if(header, [](const Diagnostic& d) { return d.severity != Severity::error; });
        return header;
    }
    auto scored = score(instrument, a);
    if (!scored) return scored.error();
    return ScoredAssessment{instrument, input, std::move(*scored)};
}

Result<std::optional<ScoredAssessment>> latest_scored_assessment(const CaseInput& c, const PlanPolicy& policy,
                                                                 Date as_of) {
    // The latest of the policy's instruments' latest assessments (an adult assessed with
    // START after an adolescent START:AV is planned on START); on one date, policy order.
    const detail::PolicyInstrument* chosen = nullptr;
    const AssessmentInput* latest = nullptr;
    for (const auto& pi : policy.data().instruments) {
        const AssessmentInput* a = detail::latest_assessment_of(c, pi.id, as_of, nullptr);
        if (!a) continue;
        const bool later = !latest || (a->date && (!latest->date || *a->date > *latest->date));
        if (later) {
            chosen = &pi;
            latest = a;
        }
    }
    if (!latest) return std::optional<ScoredAssessment>();
    auto scored = score_assessment(chosen->instrument, *latest);
    if (!scored) return detail::placed(scored.error(), c, *latest);
    return std::optional<ScoredAssessment>(std::move(*scored));
}

// ---- progress facts ------------------------------------------------------------------------------
std::optional<bool> plan_compliance(const CaseInput& c, Date as_of) {
    std::optional<bool> latest;
    std::optional<Date> latest_date;
    for (const auto& e : detail::events_of(c)) {
        if (e.type != "plan_review" || e.date > as_of || !e.details) continue;
        auto it = e.details->find("compliance");
        if (it == e.details->end() || (it->second != "true" && it->second != "false")) continue;
        if (!latest_date || e.date >= *latest_date) {
            latest_date = e.date;
            latest = it->second == "true";
        }
    }
    return latest;
}

std::optional<bool> risk_reduced(const CaseInput& c, const PlanPolicy& policy, Date as_of) {
    for (const auto& pi : policy.data().instruments) {
        const AssessmentInput* previous = nullptr;
        const AssessmentInput* latest = detail::latest_assessment_of(c, pi.id, as_of, &previous);
        if (!latest || !previous || !latest->date) continue;
        const auto now = detail::risk_level(*latest, pi).level;
        const auto before = detail::risk_level(*previous, pi).level;
        if (!now || !before) continue;
        return *now < *before;
    }
    return std::nullopt;
}

namespace {

CaseInput fill_progress_facts(CaseInput c, const PlanPolicy& policy, Date as_of, const RuleSet* rules) {
    auto wanted = [&](const char* fact) {
        if (auto it = c.facts.find(fact); it != c.facts.end() && !it->second.empty()) return false;
        if (!rules) return true;
        const auto facts = rules->facts();
        return std::any_of(facts.begin(), facts.end(), [&](const auto& f) { return !f.list && f.name == fact; });
    };
    if (wanted("plan_compliance"))
        if (auto v = plan_compliance(c, as_of)) c.facts["plan_compliance"] = *v ? "true" : "false";
    if (wanted("risk_reduced"))
        if (auto v = risk_reduced(c, policy, as_of)) c.facts["risk_reduced"] = *v ? "true" : "false";
    return c;
}

}  // namespace

CaseInput with_progress_facts(CaseInput c, const PlanPolicy& policy, Date as_of) {
    return fill_progress_facts(std::move(c), policy, as_of, nullptr);
}

CaseInput with_progress_facts(CaseInput c, const PlanPolicy& policy, const RuleSet& rules, Date as_of) {
    return fill_progress_facts(std::move(c), policy, as_of, &rules);
}

// ---- the planner ---------------------------------------------------------------------------------
namespace {

using detail::PlanPolicyData;
using detail::PolicyInstrument;

LocalText entry_label(const Instrument& instrument, const std::string& id) {
    LocalText t{id, {}};
    for (const auto& e : instrument.entries()) {
        if (e.id != id) continue;
        for (const auto& [lang, text] : e.labels) {
            if (lang == "en") t.en = text;
            if (lang == "lt") t.lt = text;
        }
    }
    return t;
}

PlanOrigin policy_origin(const std::string& rule, const std::string& detail = {}) {
    return {PlanOrigin::Kind::policy, rule, detail};
}

std::string rating_detail(const char* field, std::optional<int> value, bool flagged, const char* flag_name) {
    std::string s = std::string(field) + " " + (value ? std::to_string(*value) : std::string("unknown"));
    if (flagged) s += std::string(", ") + flag_name;
    return s;
}

struct Need {
    std::string item;
    std::optional<int> vulnerability;
    bool critical = false;
};

class Planner {
public:
    Planner(const CaseInput& c, const ScoredAssessment* a, const CaseDecisions& d, const PlanPolicy& policy, Date as_of)
        : c_(c), a_(a), d_(d), p_(policy.data()), as_of_(as_of) {
        plan_.case_id = c.id;
        plan_.as_of = as_of;
        plan_.policy_key = policy.key();
        plan_.policy_hash = policy.hash();
        plan_.rules_key = d.rules_key;
    }

    Result<Plan> run() {
        if (!a_) {
            plan_.review.date = as_of_;
            plan_.review.from.push_back({PlanOrigin::Kind::assessment, "none", {}});
            for (const auto& pi : p_.instruments) plan_.review.from.push_back(policy_origin("instruments." + pi.id));
            return plan_;
        }
        pi_ = p_.instrument(a_->input.instrument);
        if (!pi_)
            return std::vector<Diagnostic>{
                {Severity::error, DiagnosticCode::invalid_value,
                 "the plan policy does not read instrument '" + detail::for_message(a_->input.instrument) + "'",
                 "assess with one of the policy's instruments", c_.where}};
        const Instrument& instrument = a_->instrument;
        plan_.assessment = instrument.key() + (a_->input.date ? " " + to_string(*a_->input.date) : std::string());
        risk();
        needs_and_targets();
        dosage();
        responsivity();
        interventions();
        additions();
        hours();
        referrals();
        strengths();
        review();
        return plan_;
    }

private:
    void risk() {
        auto reading = detail::risk_level(a_->input, *pi_);
        plan_.risk_level = reading.level;
        plan_.risk_from = std::move(reading.from);
    }

    void needs_and_targets() {
        // Every item of the instrument that is a need; mapped ones become targets.
        std::map<std::string, std::vector<Need>> by_area;
        for (const auto& e : a_->instrument.entries()) {
            if (e.is_outcome) continue;
            Need n{e.id, detail::rating(a_->input, e.id, "vulnerability"), detail::flag(a_->input, e.id, "critical")};
            const bool need = n.critical || (n.vulnerability && *n.vulnerability >= p_.need_at_least);
            if (!need) continue;
            ++plan_.needs;
            if (const std::string* area = pi_->area_of(e.id)) {
                by_area[*area].push_back(n);
                continue;
            }
            UnmetNeed u;
            u.area = e.id;
            u.label = entry_label(a_->instrument, e.id);
            u.reason = UnmetNeed::Reason::no_programme;
            u.from.push_back(item_origin(n));
            u.from.push_back(policy_origin("instruments." + pi_->id + ".items", "unmapped"));
            unmet_items_.push_back(std::move(u));
        }
        struct Ranked {
            PlanTarget target;
            bool critical = false;
            int top = 0;
            std::size_t order = 0;
        };
        std::vector<Ranked> ranked;
        for (std::size_t i = 0; i < p_.areas.size(); ++i) {
            const auto& area = p_.areas[i];
            auto it = by_area.find(area.id);
            if (it == by_area.end()) continue;
            Ranked r;
            r.order = i;
            r.target.area = area.id;
            r.target.label = area.label;
            for (const auto& n : it->second) {
                r.target.items.push_back({n.item, entry_label(a_->instrument, n.item), n.vulnerability, n.critical});
                r.target.from.push_back(item_origin(n));
                r.critical |= n.critical;
                r.top = std::max(r.top, n.vulnerability.value_or(0));
            }
            r.target.from.push_back(policy_origin("areas." + area.id));
            ranked.push_back(std::move(r));
        }
        std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& x, const Ranked& y) {
            if (x.critical != y.critical) return x.critical;
            if (x.top != y.top) return x.top > y.top;
            if (x.target.items.size() != y.target.items.size()) return x.target.items.size() > y.target.items.size();
            return x.order < y.order;
        });
        int priority = 0;
        for (auto& r : ranked) {
            r.target.priority = ++priority;
            plan_.targets.push_back(std::move(r.target));
        }
    }

    PlanOrigin item_origin(const Need& n) const {
        return {PlanOrigin::Kind::item, n.item,
                rating_detail("vulnerability", n.vulnerability, n.critical, "critical")};
    }

    void dosage() {
        const bool many = plan_.needs >= p_.many_needs;
        if (!p_.override_fact.empty()) {
            auto it = c_.facts.find(p_.override_fact);
            if (it != c_.facts.end() && !it->second.empty() && it->second != "na" && it->second != "false")
                override_ = true;
        }
        if (!plan_.risk_level) {
            plan_.dosage_from.push_back(policy_origin("dosage", "risk ?"));
            return;
        }
        const detail::DosageBand* band = nullptr;
        for (const auto& b : p_.bands)
            if (b.risk == *plan_.risk_level && (!b.many || *b.many == many)) band = &b;
        if (*plan_.risk_level == RiskLevel::low && override_ && p_.override_band >= 0) {
            band = &p_.bands[static_cast<std::size_t>(p_.override_band)];
            plan_.low_risk_override = true;
            plan_.dosage_from.push_back({PlanOrigin::Kind::fact, p_.override_fact, c_.facts.at(p_.override_fact)});
            plan_.dosage_from.push_back(policy_origin("low_risk_override", band->id));
        }
        if (!band) return;  // the loader makes every combination covered
        plan_.dosage_band = band->id;
        plan_.hours = band->hours;
        plan_.supervision = band->supervision;
        plan_.dosage_from.push_back(policy_origin("dosage." + band->id, "needs " + std::to_string(plan_.needs) +
                                                                            (many ? " >= " : " < ") +
                                                                            std::to_string(p_.many_needs)));
    }

    bool withheld(const detail::PolicyProgramme& prog) const {
        return prog.intensive && plan_.risk_level == RiskLevel::low && !plan_.low_risk_override;
    }

    std::optional<int> age() const {
        auto it = c_.facts.find("date_of_birth");
        if (it == c_.facts.end()) return std::nullopt;
        auto born = parse_date(it->second);
        if (!born) return std::nullopt;
        return years_between(*born, as_of_);
    }

    void responsivity() {
        for (const auto& r : p_.responsivity) {
            std::vector<PlanOrigin> from;
            bool applies = false;
            switch (r.when) {
            case detail::ResponsivityRule::When::fact_equals: {
                auto it = c_.facts.find(r.fact);
                if (it != c_.facts.end() && it->second == r.value) {
                    applies = true;
                    from.push_back({PlanOrigin::Kind::fact, r.fact, it->second});
                }
                break;
            }
            case detail::ResponsivityRule::When::age_below:
                if (auto years = age(); years && *years < r.age) {
                    applies = true;
                    from.push_back({PlanOrigin::Kind::fact, "date_of_birth", "age " + std::to_string(*years)});
                }
                break;
            case detail::ResponsivityRule::When::item_vulnerability:
                for (const auto& item : r.items) {
                    const auto v = detail::rating(a_->input, item, "vulnerability");
                    if (v && *v >= r.at_least) {
                        applies = true;
                        from.push_back({PlanOrigin::Kind::item, item, "vulnerability " + std::to_string(*v)});
                    }
                }
                break;
            }
            if (!applies) continue;
            from.push_back(policy_origin("responsivity." + r.id));
            applied_.push_back(&r);
            plan_.responsivity.push_back({r.id, r.label, r.note, from});
        }
    }

    // Why one programme was not taken, or nullopt when it is eligible and usable.
    struct Refusal {
        UnmetNeed::Reason reason;
        std::vector<LocalText> why;
        PlanOrigin from;
    };

    static LocalText against_text(const Reason& reason) {
        const std::string tail = " [" + reason.id() + "]";
        return {std::string(reason.exclusion() ? "excluded: " : "not met: ") + reason.text() + tail,
                std::string(reason.exclusion() ? "taikoma išimtis: " : "neįvykdyta: ") + reason.text(Language::lt) +
                    tail};
    }

    std::string rules_name() const { return d_.rules_key.empty() ? std::string("the rule set") : d_.rules_key; }

    std::optional<Refusal> refusal(const std::string& programme) const {
        for (const auto* r : applied_)
            if (std::find(r->avoid.begin(), r->avoid.end(), programme) != r->avoid.end())
                return Refusal{
                    UnmetNeed::Reason::avoided,
                    {LocalText{"set aside by responsivity factor " + r->id, "atidėta dėl imlumo veiksnio " + r->id}},
                    policy_origin("responsivity." + r->id, "avoid " + programme)};
        const ProgrammeDecision* d = d_.find(programme);
        if (!d)
            return Refusal{UnmetNeed::Reason::not_in_rules,
                           {LocalText{"no decision in " + rules_name(), "nėra sprendimo: " + rules_name()}},
                           {PlanOrigin::Kind::decision, programme, "none"}};
        const PlanOrigin decision{PlanOrigin::Kind::decision, programme, std::string(to_string(d->decision))};
        if (d->decision == Decision::not_eligible) {
            Refusal r{UnmetNeed::Reason::not_eligible, {}, decision};
            for (const auto& reason : d->reasons)
                if (reason.against()) r.why.push_back(against_text(reason));
            if (r.why.empty()) r.why.push_back({"not eligible", "netinka"});
            return r;
        }
        if (d->decision == Decision::undetermined) {
            Refusal r{UnmetNeed::Reason::undetermined, {}, decision};
            for (const auto& m : d->missing) r.why.push_back({"missing " + m, "trūksta " + m});
            if (r.why.empty()) r.why.push_back({"undetermined", "nenustatyta"});
            return r;
        }
        if (const auto* prog = p_.programme(programme); prog && withheld(*prog))
            return Refusal{UnmetNeed::Reason::low_risk,
                           {LocalText{"an intensive programme, withheld at low risk (no override reason)",
                                      "intensyvi programa netaikoma esant žemai rizikai (nėra išimties priežasties)"}},
                           policy_origin("programmes." + programme, "intensive; risk low")};
        return std::nullopt;
    }

    // The most hopeful reason among refusals: what could change soonest.
    static UnmetNeed::Reason summary(const std::vector<Refusal>& refusals) {
        for (auto reason : {UnmetNeed::Reason::undetermined, UnmetNeed::Reason::low_risk,
                            UnmetNeed::Reason::not_eligible, UnmetNeed::Reason::avoided})
            for (const auto& r : refusals)
                if (r.reason == reason) return reason;
        return refusals.empty() ? UnmetNeed::Reason::no_programme : UnmetNeed::Reason::not_in_rules;
    }

    std::vector<std::string> candidates(const std::vector<std::string>& listed) const {
        std::vector<std::string> out;
        for (const auto* r : applied_)  // preferred first, in the factors' order
            for (const auto& p : r->prefer)
                if (std::find(listed.begin(), listed.end(), p) != listed.end() &&
                    std::find(out.begin(), out.end(), p) == out.end())
                    out.push_back(p);
        for (const auto& p : listed)
            if (std::find(out.begin(), out.end(), p) == out.end()) out.push_back(p);
        return out;
    }

    PlanIntervention& intervention(const std::string& programme, const PlanOrigin& decision) {
        for (auto& i : plan_.interventions)
            if (i.programme == programme) return i;
        const auto* prog = p_.programme(programme);
        PlanIntervention i;
        i.programme = programme;
        i.label = prog->label;
        i.role = prog->role;
        i.intensive = prog->intensive;
        i.from.push_back(decision);
        i.from.push_back(policy_origin("programmes." + programme, std::string(to_string(prog->role))));
        plan_.interventions.push_back(std::move(i));
        return plan_.interventions.back();
    }

    void interventions() {
        for (const auto& target : plan_.targets) {
            const auto* area = p_.area(target.area);
            std::vector<Refusal> refusals;
            std::vector<ConsideredProgramme> considered;
            bool met = false;
            for (const auto& programme : candidates(area->programmes)) {
                auto r = refusal(programme);
                if (!r) {
                    auto& i = intervention(programme, {PlanOrigin::Kind::decision, programme, "eligible"});
                    i.areas.push_back(target.area);
                    i.from.push_back(policy_origin("areas." + target.area));
                    met = true;
                    break;
                }
                considered.push_back({programme, r->why, r->from});
                refusals.push_back(std::move(*r));
            }
            if (met) continue;
            UnmetNeed u;
            u.area = target.area;
            u.label = target.label;
            u.reason = summary(refusals);
            u.programmes = std::move(considered);
            u.from = target.from;
            if (area->programmes.empty() && !u.from.empty()) u.from.back().detail = "no programme";
            plan_.unmet.push_back(std::move(u));
        }
    }

    void additions() {
        for (const auto* r : applied_) {
            for (const auto& programme : r->add) {
                auto refused = refusal(programme);
                if (!refused) {
                    auto& i = intervention(programme, {PlanOrigin::Kind::decision, programme, "eligible"});
                    i.from.push_back(policy_origin("responsivity." + r->id, "add " + programme));
                    continue;
                }
                UnmetNeed u;
                u.area = r->id;
                u.label = r->label;
                u.reason = refused->reason;
                u.programmes.push_back({programme, refused->why, refused->from});
                u.from.push_back(policy_origin("responsivity." + r->id, "add " + programme));
                plan_.unmet.push_back(std::move(u));
            }
        }
        for (auto& u : unmet_items_) plan_.unmet.push_back(std::move(u));
        // Delivery notes apply to every intervention.
        for (auto& i : plan_.interventions)
            for (const auto* r : applied_)
                if (!r->note.empty()) i.adaptations.push_back({r->note, policy_origin("responsivity." + r->id)});
    }

    void hours() {
        if (!plan_.hours) return;
        int intensive = 0;
        for (const auto& i : plan_.interventions) intensive += i.intensive ? 1 : 0;
        if (intensive == 0) return;
        const int share = *plan_.hours / intensive, rest = *plan_.hours % intensive;
        int k = 0;
        for (auto& i : plan_.interventions) {
            if (!i.intensive) continue;
            i.hours = share + (k++ < rest ? 1 : 0);
            i.from.push_back(policy_origin("dosage." + plan_.dosage_band,
                                           std::to_string(*plan_.hours) + " / " + std::to_string(intensive)));
        }
    }

    void referrals() {
        for (const auto& rule : p_.harm) {
            PlanReferral ref;
            bool any = false;
            for (const auto& o : rule.outcomes) {
                const auto e = detail::estimate(a_->input, o);
                if (!e || *e < rule.at_least) continue;
                if (!any || *e > ref.estimate) {
                    ref.outcome = o;
                    ref.estimate = *e;
                }
                any = true;
                ref.from.push_back({PlanOrigin::Kind::outcome, o, std::string(to_string(*e))});
            }
            if (!any) continue;
            ref.rule = rule.id;
            ref.label = rule.label;
            ref.role = rule.role;
            ref.from.push_back(policy_origin("harm_to_self." + rule.id, ">= " + std::string(to_string(rule.at_least))));
            plan_.referrals.push_back(std::move(ref));
        }
    }

    void strengths() {
        struct Ranked {
            PlanStrength s;
            std::size_t order;
        };
        std::vector<Ranked> ranked;
        std::size_t order = 0;
        for (const auto& e : a_->instrument.entries()) {
            if (e.is_outcome) continue;
            ++order;
            const auto value = detail::rating(a_->input, e.id, "strength");
            const bool key = detail::flag(a_->input, e.id, "key");
            if (!key && !(value && *value >= p_.strength_at_least)) continue;
            PlanStrength s;
            s.item = e.id;
            s.label = entry_label(a_->instrument, e.id);
            s.strength = value;
            s.key = key;
            if (const std::string* area = pi_->area_of(e.id)) s.areas.push_back(*area);
            s.from.push_back({PlanOrigin::Kind::item, e.id, rating_detail("strength", value, key, "key")});
            s.from.push_back(policy_origin(key ? "strengths.key" : "strengths.strength_at_least",
                                           key ? "key" : ">= " + std::to_string(p_.strength_at_least)));
            ranked.push_back({std::move(s), order});
        }
        std::stable_sort(ranked.begin(), ranked.end(), [](const Ranked& x, const Ranked& y) {
            if (x.s.key != y.s.key) return x.s.key;
            if (x.s.strength != y.s.strength) return x.s.strength.value_or(-1) > y.s.strength.value_or(-1);
            return x.order < y.order;
        });
        for (auto& r : ranked) plan_.strengths.push_back(std::move(r.s));
    }

    void review() {
        if (!a_->input.date) {
            plan_.review.date = as_of_;
            plan_.review.from.push_back({PlanOrigin::Kind::assessment, pi_->id, "undated"});
            return;
        }
        const Date assessed = *a_->input.date;
        Duration interval = p_.review_interval;
        PlanOrigin why = policy_origin("review.interval", to_string(interval));
        if (auto own = a_->instrument.reassess_every(); own && average_days(*own) < average_days(interval)) {
            interval = *own;
            why = {PlanOrigin::Kind::assessment, pi_->id, "reassess_every " + to_string(*own)};
        }
        std::optional<Date> due = add(assessed, interval);
        std::vector<PlanOrigin> from = {{PlanOrigin::Kind::assessment, pi_->id, to_string(assessed)}, why};
        for (const auto& e : detail::events_of(c_)) {
            if (e.date <= assessed || e.date > as_of_) continue;
            for (const auto& rule : p_.review_events) {
                if (rule.type != e.type) continue;
                auto sooner = add(e.date, rule.within);
                if (!sooner || (due && *sooner >= *due)) continue;
                due = sooner;
                from = {{PlanOrigin::Kind::event, e.type, to_string(e.date)},
                        policy_origin("review.events." + rule.type, "within " + to_string(rule.within))};
            }
        }
        plan_.review.date = due;
        plan_.review.overdue = due && *due < as_of_;
        plan_.review.from = std::move(from);
    }

    const CaseInput& c_;
    const ScoredAssessment* a_;
    const CaseDecisions& d_;
    const PlanPolicyData& p_;
    Date as_of_;
    const PolicyInstrument* pi_ = nullptr;
    bool override_ = false;
    std::vector<const detail::ResponsivityRule*> applied_;
    std::vector<UnmetNeed> unmet_items_;
    Plan plan_;
};

}  // namespace

Result<Plan> plan(const CaseInput& c, const std::optional<ScoredAssessment>& assessment, const CaseDecisions& decisions,
                  const PlanPolicy& policy, Date as_of) {
    return Planner(c, assessment ? &*assessment : nullptr, decisions, policy, as_of).run();
}

Result<Plan> plan(const CaseInput& c, const CaseDecisions& decisions, const PlanPolicy& policy, Date as_of) {
    auto assessment = latest_scored_assessment(c, policy, as_of);
    if (!assessment) return assessment.error();
    return plan(c, *assessment, decisions, policy, as_of);
}

KELIAS_END_NAMESPACE
