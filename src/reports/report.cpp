// Building a case report: the case decided, planned and placed on its pathway, labelled in
// the report's language, cut to the sections of its variant.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <map>

#include <kelias/output_file.hpp>
#include <kelias/report.hpp>
#include <kelias/scoring.hpp>

#include "reports/report_support.hpp"

KELIAS_BEGIN_NAMESPACE

std::string_view to_string(ReportVariant variant) noexcept {
    switch (variant) {
    case ReportVariant::full:
        return "full";
    case ReportVariant::commission:
        return "commission";
    case ReportVariant::handover:
        return "handover";
    }
    return "full";
}

std::optional<ReportVariant> parse_report_variant(std::string_view text) noexcept {
    for (ReportVariant v : {ReportVariant::full, ReportVariant::commission, ReportVariant::handover})
        if (text == to_string(v)) return v;
    return std::nullopt;
}

std::string_view to_string(ReportFormat format) noexcept {
    switch (format) {
    case ReportFormat::html:
        return "html";
    case ReportFormat::markdown:
        return "md";
    case ReportFormat::json:
        return "json";
    }
    return "html";
}

std::optional<ReportFormat> parse_report_format(std::string_view text) noexcept {
    if (text == "html") return ReportFormat::html;
    if (text == "md" || text == "markdown") return ReportFormat::markdown;
    if (text == "json") return ReportFormat::json;
    return std::nullopt;
}

std::string_view to_string(Trend trend) noexcept {
    switch (trend) {
    case Trend::none:
        return "none";
    case Trend::same:
        return "same";
    case Trend::better:
        return "better";
    case Trend::worse:
        return "worse";
    }
    return "none";
}

ReportSections sections_of(ReportVariant variant) noexcept {
    switch (variant) {
    case ReportVariant::full:
        return {};
    case ReportVariant::commission:
        return {.item_profile = false,
                .harm_to_self = false,
                .eligibility = true,
                .placement_decisions_only = true,
                .plan = true,
                .placements = true,
                .events = true,
                .obligations = true,
                .next_assessment = false};
    case ReportVariant::handover:
        return {.item_profile = true,
                .harm_to_self = true,
                .eligibility = false,
                .placement_decisions_only = false,
                .plan = true,
                .placements = true,
                .events = false,
                .obligations = true,
                .next_assessment = true};
    }
    return {};
}

std::optional<Diagnostic> write_report(std::string_view text, const std::string& path,
                                       const std::vector<std::string>& inputs) {
    OutputFile out;
    std::optional<Diagnostic> problem = out.open(path, inputs);
    if (!problem) problem = out.write(text);
    if (!problem) problem = out.commit();
    return problem;
}

namespace detail {

Message variant_title(ReportVariant v) noexcept {
    switch (v) {
    case ReportVariant::full:
        return Message::report_full;
    case ReportVariant::commission:
        return Message::report_commission;
    case ReportVariant::handover:
        return Message::report_handover;
    }
    return Message::report_full;
}

std::string risk_word(std::string_view code, Language l) {
    if (code == "low") return word(Message::report_risk_low, l);
    if (code == "moderate") return word(Message::report_risk_moderate, l);
    if (code == "high") return word(Message::report_risk_high, l);
    return std::string(code);
}

std::string trend_word(Trend t, Language l) {
    switch (t) {
    case Trend::none:
        return word(Message::report_trend_none, l);
    case Trend::same:
        return word(Message::report_trend_same, l);
    case Trend::better:
        return word(Message::report_trend_better, l);
    case Trend::worse:
        return word(Message::report_trend_worse, l);
    }
    return {};
}

std::string decision_word(Decision d, Language l) {
    switch (d) {
    case Decision::eligible:
        return word(Message::eligible, l);
    case Decision::not_eligible:
        return word(Message::not_eligible, l);
    case Decision::undetermined:
        return word(Message::undetermined, l);
    }
    return {};
}

std::string unmet_word(UnmetNeed::Reason r, Language l) {
    switch (r) {
    case UnmetNeed::Reason::not_eligible:
        return word(Message::report_unmet_not_eligible, l);
    case UnmetNeed::Reason::undetermined:
        return word(Message::report_unmet_undetermined, l);
    case UnmetNeed::Reason::no_programme:
        return word(Message::report_unmet_no_programme, l);
    case UnmetNeed::Reason::not_in_rules:
        return word(Message::report_unmet_not_in_rules, l);
    case UnmetNeed::Reason::low_risk:
        return word(Message::report_unmet_low_risk, l);
    case UnmetNeed::Reason::avoided:
        return word(Message::report_unmet_avoided, l);
    }
    return {};
}

std::string reason_word(EligibilityReason::Kind k, Language l) {
    switch (k) {
    case EligibilityReason::Kind::fails:
        return word(Message::fails, l);
    case EligibilityReason::Kind::excluded:
        return word(Message::excluded, l);
    case EligibilityReason::Kind::unknown:
        return word(Message::unknown, l);
    }
    return {};
}

std::string supervision_word(SupervisionLevel s, Language l) {
    switch (s) {
    case SupervisionLevel::minimal:
        return word(Message::report_supervision_minimal, l);
    case SupervisionLevel::standard:
        return word(Message::report_supervision_standard, l);
    case SupervisionLevel::enhanced:
        return word(Message::report_supervision_enhanced, l);
    case SupervisionLevel::intensive:
        return word(Message::report_supervision_intensive, l);
    }
    return {};
}

std::string status_word(ObligationStatus s, Language l) {
    switch (s) {
    case ObligationStatus::open:
        return word(Message::report_open, l);
    case ObligationStatus::met:
        return word(Message::report_met, l);
    case ObligationStatus::overdue:
        return word(Message::report_overdue, l);
    }
    return {};
}

std::string step_word(const EventLine& e, Language l) {
    if (!e.step) return {};
    switch (*e.step) {
    case MoveStep::proposed:
        return word(Message::report_proposed, l);
    case MoveStep::decided:
        return word(e.decision == MoveDecision::refused ? Message::report_refused : Message::report_granted, l);
    case MoveStep::carried_out:
        return word(Message::report_carried_out, l);
    }
    return {};
}

std::string rating_text(const std::optional<int>& v) { return v ? std::to_string(*v) : "–"; }

std::string number_text(const std::optional<double>& v) {
    if (!v) return "–";
    char buffer[32];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, *v);
    return ec == std::errc{} ? std::string(buffer, end) : "–";
}

std::string html_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        switch (ch) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += ch;
        }
    }
    return out;
}

std::string md_escape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char ch : s) {
        switch (ch) {
        case '\\':
        case '|':
        case '*':
        case '_':
        case '`':
        case '[':
        case ']':
        case '<':
        case '>':
        case '#':
            out += '\\';
            out += ch;
            break;
        case '\n':
        case '\r':
            out += ' ';
            break;
        default:
            out += ch;
        }
    }
    return out;
}

}  // namespace detail

namespace {

using detail::Message;

LocalText entry_label(const EntryInfo& e) {
    LocalText t;
    for (const auto& [language, text] : e.labels) {
        if (language == "en") t.en = text;
        if (language == "lt") t.lt = text;
    }
    if (t.en.empty()) t.en = e.id;
    return t;
}

std::optional<int> rating(const AssessmentInput* a, const std::string& column) {
    if (!a) return std::nullopt;
    const auto found = a->ratings.find(column);
    if (found == a->ratings.end()) return std::nullopt;
    int v = 0;
    const std::string& s = found->second;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return v;
}

bool flag(const AssessmentInput* a, const std::string& column) {
    if (!a) return false;
    const auto found = a->ratings.find(column);
    return found != a->ratings.end() && found->second == "true";
}

std::string result_text(const AssessmentInput* a, const std::string& column) {
    if (!a) return {};
    for (const auto* map : {&a->ratings, &a->scores}) {
        const auto found = map->find(column);
        if (found != map->end() && found->second != "na" && found->second != "omitted") return found->second;
    }
    return {};
}

/// Higher is better (strengths) or worse (vulnerabilities, risk).
Trend compare(std::optional<double> now, std::optional<double> before, bool higher_is_better) {
    if (!now || !before) return Trend::none;
    if (*now == *before) return Trend::same;
    return (*now > *before) == higher_is_better ? Trend::better : Trend::worse;
}

std::optional<double> risk_rank(std::string_view code) {
    if (code == "low") return 0;
    if (code == "moderate") return 1;
    if (code == "high") return 2;
    return std::nullopt;
}

std::optional<double> total(const Instrument& instrument, const AssessmentInput* a, std::string_view score) {
    if (!a || a->ratings.empty()) return std::nullopt;
    auto scored = score_assessment(instrument, *a);
    if (!scored) return std::nullopt;
    const Value* v = scored->scores.find(score);
    if (!v || v->kind != Value::Kind::number) return std::nullopt;
    return v->number;
}

ReportProfile make_profile(const CaseInput& c, const ScoredAssessment& latest, const ReportSections& sections) {
    const Instrument& instrument = latest.instrument;
    ReportProfile p;
    p.instrument = instrument.id();
    p.instrument_key = instrument.key();
    p.title = instrument.title();
    p.date = latest.input.date;
    p.rated = !latest.input.ratings.empty();
    const AssessmentInput* now = &latest.input;
    const AssessmentInput* before = nullptr;
    if (now->date)
        for (const AssessmentInput& a : c.assessments)
            if (a.instrument == instrument.id() && a.date && *a.date < *now->date &&
                (!before || *before->date < *a.date))
                before = &a;
    if (before) p.previous_date = before->date;

    for (const EntryInfo& e : instrument.entries()) {
        if (e.is_outcome) {
            RiskEstimate r{.outcome = e.id,
                           .label = entry_label(e),
                           .group = e.domain,
                           .value = result_text(now, e.id + ".estimate"),
                           .previous = result_text(before, e.id + ".estimate")};
            if (!sections.harm_to_self && r.group == "harm_to_self") continue;
            r.trend = compare(risk_rank(r.value), before ? risk_rank(r.previous) : std::nullopt, false);
            p.estimates.push_back(std::move(r));
            continue;
        }
        if (!p.rated || !sections.item_profile) continue;
        ProfileItem item{.item = e.id, .label = entry_label(e), .domain = e.domain};
        item.strength = rating(now, e.id + ".strength");
        item.vulnerability = rating(now, e.id + ".vulnerability");
        item.key = flag(now, e.id + ".key");
        item.critical = flag(now, e.id + ".critical");
        if (!e.in_totals && !item.strength && !item.vulnerability) continue;  // an unused case-specific item
        item.previous_strength = rating(before, e.id + ".strength");
        item.previous_vulnerability = rating(before, e.id + ".vulnerability");
        item.previous_key = flag(before, e.id + ".key");
        item.previous_critical = flag(before, e.id + ".critical");
        auto as_double = [](std::optional<int> v) { return v ? std::optional<double>(*v) : std::nullopt; };
        item.strength_trend = compare(as_double(item.strength), as_double(item.previous_strength), true);
        item.vulnerability_trend =
            compare(as_double(item.vulnerability), as_double(item.previous_vulnerability), false);
        p.items.push_back(std::move(item));
    }
    if (p.rated && sections.item_profile) {
        for (const ScoreInfo& s : instrument.scores()) {
            const bool strength = s.id == "strength_total";
            if (!strength && s.id != "vulnerability_total") continue;
            const Message label = strength ? Message::report_strength_total : Message::report_vulnerability_total;
            ProfileTotal t{.score = s.id,
                           .label = {detail::word(label, Language::en), detail::word(label, Language::lt)}};
            t.value = total(instrument, now, s.id);
            t.previous = total(instrument, before, s.id);
            t.trend = compare(t.value, t.previous, strength);
            p.totals.push_back(std::move(t));
        }
    }
    return p;
}

bool placement_kind(const std::string& kind) {
    return kind == "placement" || kind == "return" || kind == "supervision";
}

std::vector<EligibilityLine> eligibility_lines(const CaseDecisions& decided, const RuleSet& rules,
                                               const ReportSections& sections) {
    std::map<std::string, std::string> kinds;
    for (const ProgrammeInfo& p : rules.programmes()) kinds[p.id] = p.kind;
    std::vector<EligibilityLine> lines;
    for (const ProgrammeDecision& d : decided.decisions) {
        const std::string& kind = kinds[d.programme];
        if (sections.placement_decisions_only && !placement_kind(kind)) continue;
        EligibilityLine line{.programme = d.programme,
                             .label = d.label(),
                             .kind = kind,
                             .decision = d.decision,
                             .missing = d.missing,
                             .earliest_date = d.earliest_date};
        for (const Reason& r : d.reasons)
            if (d.decision != Decision::eligible && (r.against() || !r.value()))
                line.reasons.push_back(
                    {.kind = !r.value()      ? EligibilityReason::Kind::unknown
                             : r.exclusion() ? EligibilityReason::Kind::excluded
                                             : EligibilityReason::Kind::fails,
                     .text = {r.text(), r.has_lithuanian_text() ? r.text(Language::lt) : std::string()}});
        lines.push_back(std::move(line));
    }
    return lines;
}

std::string detail_of(const CaseEvent& e, const std::string& key) {
    const auto found = e.details.find(key);
    return found == e.details.end() ? std::string() : found->second;
}

EventLine event_line(const CaseEvent& e, const Pathway* pathway) {
    EventLine line{.date = e.date, .type = e.type, .label = {e.type, {}}, .role = e.role, .role_label = {e.role, {}}};
    if (pathway) {
        if (const EventTypeInfo* t = pathway->find_event_type(e.type)) line.label = t->label;
        if (const RoleInfo* r = pathway->find_role(e.role)) line.role_label = r->label;
    }
    if (e.type == "move_proposed") line.step = MoveStep::proposed;
    if (e.type == "move_decided") line.step = MoveStep::decided;
    if (e.type == "move_carried_out") line.step = MoveStep::carried_out;
    if (line.step) {
        line.move = detail_of(e, "move");
        line.move_label = {line.move, {}};
        if (pathway)
            if (const MoveInfo* m = pathway->find_move(line.move)) line.move_label = m->label;
        line.label = {detail::word(Message::report_move, Language::en),
                      detail::word(Message::report_move, Language::lt)};
        const std::string decision = detail_of(e, "decision");
        if (decision == "granted") line.decision = MoveDecision::granted;
        if (decision == "refused") line.decision = MoveDecision::refused;
    }
    return line;
}

/// The facts the commission pack shows: time served and behaviour (eligibility.md §2.3).
bool commission_fact(const std::string& name) {
    static constexpr std::string_view names[] = {"sentence_start",       "sentence_end",    "earliest_parole_date",
                                                 "crime_category",       "regime",          "plan_compliance",
                                                 "risk_reduced",         "violent_offence", "institution",
                                                 "employed_or_studying", "custodial"};
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

}  // namespace

Result<CaseReport> build_report(const CaseInput& input, const ReportDefinitions& d, const ReportOptions& o) {
    const std::optional<Date> as_of_or = o.as_of ? o.as_of : input.as_of;
    if (!as_of_or)
        return std::vector<Diagnostic>{{.severity = Severity::error,
                                        .code = DiagnosticCode::malformed_case,
                                        .message = "the case has no as_of date and none was given",
                                        .hint = "give the report date (--as-of YYYY-MM-DD)",
                                        .where = input.where}};
    const Date as_of = *as_of_or;
    CaseInput c = input;
    c.as_of = as_of;
    c = with_progress_facts(std::move(c), d.policy, d.rules, as_of);

    auto decided = decide(d.rules, c);
    if (!decided) return decided.error();
    auto latest = latest_scored_assessment(c, d.policy, as_of);
    if (!latest) return latest.error();
    auto planned = plan(c, *latest, *decided, d.policy, as_of);
    if (!planned) return planned.error();

    CaseReport r;
    r.case_id = c.id;
    r.as_of = as_of;
    r.language = o.language;
    r.variant = o.variant;
    r.sections = sections_of(o.variant);
    r.rules_key = d.rules.key();
    r.policy_key = d.policy.key();
    if (d.pathway) r.pathway_key = d.pathway->key();

    if (const auto dob = c.facts.find("date_of_birth"); dob != c.facts.end())
        if (const auto born = parse_date(dob->second)) r.age = years_between(*born, as_of);
    if (const PlacementStay* stay = current_placement(c)) {
        r.placement = stay->placement;
        r.placement_label = {stay->placement, {}};
        if (d.pathway)
            if (const PlacementInfo* p = d.pathway->find_placement(stay->placement)) r.placement_label = p->label;
    }
    for (const auto& [name, value] : c.facts) {
        if (name == "date_of_birth" || value.empty()) continue;
        if (o.variant == ReportVariant::commission && !commission_fact(name)) continue;
        if (o.variant == ReportVariant::handover && !commission_fact(name) && name != "foreign_national" &&
            name != "speaks_lithuanian")
            continue;
        r.facts.push_back({name, value});
    }

    if (*latest) r.profile = make_profile(c, **latest, r.sections);
    if (r.sections.eligibility) r.eligibility = eligibility_lines(*decided, d.rules, r.sections);
    if (r.sections.plan) {
        Plan p = std::move(*planned);
        if (!r.sections.harm_to_self) p.referrals.clear();
        r.plan = std::move(p);
    }
    const Pathway* pathway = d.pathway ? &*d.pathway : nullptr;
    if (r.sections.placements)
        for (const PlacementStay& s : c.placements) {
            PlacementLine line{.placement = s.placement, .label = {s.placement, {}}, .from = s.from, .until = s.until};
            if (pathway)
                if (const PlacementInfo* p = pathway->find_placement(s.placement)) line.label = p->label;
            r.placements.push_back(std::move(line));
        }
    for (const CaseEvent& e : c.events) {
        if (e.date > as_of) continue;
        const bool move = e.type.starts_with("move_");
        if (r.sections.events || (r.sections.placements && move)) r.events.push_back(event_line(e, pathway));
    }
    std::stable_sort(r.events.begin(), r.events.end(),
                     [](const EventLine& a, const EventLine& b) { return a.date < b.date; });
    if (pathway) {
        if (r.sections.obligations) r.obligations = obligations(*pathway, c, as_of);
        if (r.sections.next_assessment) r.next_assessment = next_assessment(*pathway, c, as_of);
    }
    return r;
}

namespace detail {

std::vector<PlanList> plan_lists(const CaseReport& r, Language l) {
    const Plan& p = *r.plan;
    std::vector<PlanList> out;
    auto list = [&](Message heading, const auto& items, auto&& line) {
        PlanList& x = out.emplace_back(PlanList{heading, {}});
        for (const auto& item : items) x.lines.push_back(line(item));
    };
    list(Message::report_targets, p.targets, [&](const PlanTarget& t) {
        std::string s = std::to_string(t.priority) + ". " + t.label.in(l);
        std::string items;
        for (const TargetItem& i : t.items)
            items += (items.empty() ? "" : "; ") + i.label.in(l) +
                     (i.critical ? " (" + word(Message::report_critical, l) + ")" : "");
        return items.empty() ? s : s + ": " + items;
    });
    list(Message::report_interventions, p.interventions, [&](const PlanIntervention& i) {
        return i.label.in(l) + (i.hours ? ", " + std::to_string(*i.hours) + " " + word(Message::report_hours, l) : "") +
               ", " + std::string(role_label(i.role, l));
    });
    if (r.sections.harm_to_self)
        list(Message::report_referrals, p.referrals,
             [&](const PlanReferral& x) { return x.label.in(l) + ", " + std::string(role_label(x.role, l)); });
    list(Message::report_strengths, p.strengths, [&](const PlanStrength& s) {
        return s.label.in(l) + (s.key ? " (" + word(Message::report_key, l) + ")" : "");
    });
    list(Message::report_responsivity, p.responsivity,
         [&](const PlanResponsivity& x) { return x.label.in(l) + ": " + x.note.in(l); });
    list(Message::report_unmet, p.unmet, [&](const UnmetNeed& u) {
        std::string s = u.label.in(l) + ": " + unmet_word(u.reason, l);
        for (const ConsideredProgramme& c : u.programmes)
            for (const LocalText& why : c.why) s += "; " + c.programme + ": " + why.in(l);
        return s;
    });
    return out;
}

std::string plan_review_text(const Plan& p, Language l) {
    if (!p.review.date) return word(Message::report_no_assessment, l);
    return to_string(*p.review.date) + (p.review.overdue ? " (" + word(Message::report_overdue, l) + ")" : "");
}

}  // namespace detail

std::string render(const CaseReport& report, ReportFormat format) {
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
