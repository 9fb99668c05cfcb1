// The fixed words of output for a person (see messages.hpp).
#include "base/messages.hpp"

#include <array>

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

struct Row {
    Message message;
    std::string_view en, lt;
};

// In the order of the enum (checked below).
constexpr std::array rows = {
    Row{Message::case_word, "Case", "Byla"},
    Row{Message::on, "on", "data"},
    Row{Message::rules, "rules", "taisyklės"},
    Row{Message::no_id, "(no id)", "(be numerio)"},
    Row{Message::no_date, "(no date)", "(be datos)"},
    Row{Message::eligible, "ELIGIBLE", "ATITINKA SĄLYGAS"},
    Row{Message::not_eligible, "NOT ELIGIBLE", "NEATITINKA SĄLYGŲ"},
    Row{Message::undetermined, "UNDETERMINED", "NENUSTATYTA"},
    Row{Message::fails, "fails:", "netenkinama:"},
    Row{Message::excluded, "excluded:", "pašalina:"},
    Row{Message::unknown, "unknown:", "nežinoma:"},
    Row{Message::met, "met:", "tenkinama:"},
    Row{Message::not_excluded, "not excluded:", "nepašalina:"},
    Row{Message::not_met, "not met:", "netaikoma:"},
    Row{Message::with, "with", "duomenys:"},
    Row{Message::params, "params", "parametrai:"},
    Row{Message::computed, "computed", "apskaičiuota:"},
    Row{Message::missing, "missing:", "trūksta:"},
    Row{Message::earliest_date, "earliest date:", "anksčiausia data:"},
    Row{Message::if_nothing_changes, "if nothing else changes", "jei niekas kitas nepasikeis"},
    Row{Message::no_rule, "no rule:", "taisyklėse nėra:"},
    Row{Message::table, "table", "lentelė"},
    Row{Message::no_row_for, "no row for", "nėra eilutės, kai"},
    Row{Message::needed_then, "needed on that date:", "tą dieną reikės:"},
    Row{Message::dated_from, "dated on or after", "atlikto ne anksčiau kaip"},
    Row{Message::requires_, "requires", "reikalaujama"},
    Row{Message::excluded_when, "excluded when", "pašalinama, kai"},
    Row{Message::report_full, "Case report", "Bylos ataskaita"},
    Row{Message::report_commission, "Pack for the commission or court", "Medžiaga komisijai ar teismui"},
    Row{Message::report_handover, "Handover from prison to probation", "Perdavimas iš įkalinimo įstaigos probacijai"},
    Row{Message::report_person, "Person", "Asmuo"},
    Row{Message::report_case_id, "Case (pseudonymous id)", "Byla (pseudoniminis numeris)"},
    Row{Message::report_as_of, "As of", "Ataskaitos data"},
    Row{Message::report_age, "Age", "Amžius"},
    Row{Message::report_current_placement, "Current placement", "Dabartinė buvimo vieta"},
    Row{Message::report_facts, "Facts", "Faktai"},
    Row{Message::report_no_names, "Pseudonymous: this report holds no names.",
        "Pseudoniminė ataskaita: vardų ir pavardžių nėra."},
    Row{Message::report_profile, "Profile", "Profilis"},
    Row{Message::report_assessed_on, "assessed on", "įvertinta"},
    Row{Message::report_previous_assessment, "Previous assessment", "Ankstesnis vertinimas"},
    Row{Message::report_item, "Item", "Punktas"},
    Row{Message::report_strength, "Strength", "Stiprybė"},
    Row{Message::report_vulnerability, "Vulnerability", "Pažeidžiamumas"},
    Row{Message::report_key, "key strength", "esminė stiprybė"},
    Row{Message::report_critical, "critical vulnerability", "kritinis pažeidžiamumas"},
    Row{Message::report_chart_title, "Strength and vulnerability per item",
        "Stiprybės ir pažeidžiamumas pagal punktus"},
    Row{Message::report_chart_desc,
        "Bars to the left show strength, bars to the right vulnerability (0 to 2); a circle marks a key strength, a "
        "diamond a critical vulnerability; thin lines show the previous assessment.",
        "Kairėn – stiprybė, dešinėn – pažeidžiamumas (nuo 0 iki 2); apskritimas žymi esminę stiprybę, rombas – kritinį "
        "pažeidžiamumą; plonos linijos – ankstesnis vertinimas."},
    Row{Message::report_no_ratings, "The assessment gives results only, no item ratings.",
        "Vertinime pateikti tik rezultatai, punktų įverčių nėra."},
    Row{Message::report_no_assessment, "No assessment yet.", "Vertinimo dar nėra."},
    Row{Message::report_estimates, "Risk estimates", "Rizikos įverčiai"},
    Row{Message::report_outcome, "Outcome", "Baigtis"},
    Row{Message::report_estimate, "Estimate", "Įvertis"},
    Row{Message::report_previous, "Previous", "Ankstesnis"},
    Row{Message::report_change, "Change since the last assessment", "Pokytis nuo ankstesnio vertinimo"},
    Row{Message::report_trend_none, "no earlier assessment", "ankstesnio vertinimo nėra"},
    Row{Message::report_trend_same, "no change", "be pokyčio"},
    Row{Message::report_trend_better, "better", "geriau"},
    Row{Message::report_trend_worse, "worse", "blogiau"},
    Row{Message::report_risk_low, "low", "žema"},
    Row{Message::report_risk_moderate, "moderate", "vidutinė"},
    Row{Message::report_risk_high, "high", "aukšta"},
    Row{Message::report_totals, "Totals", "Sumos"},
    Row{Message::report_eligibility, "Eligibility", "Tinkamumas"},
    Row{Message::report_programme, "Programme or placement", "Programa ar vieta"},
    Row{Message::report_decision, "Decision", "Sprendimas"},
    Row{Message::report_reasons, "Reasons", "Priežastys"},
    Row{Message::report_plan, "Plan", "Planas"},
    Row{Message::report_risk_level, "Risk level", "Rizikos lygis"},
    Row{Message::report_supervision, "Supervision", "Priežiūra"},
    Row{Message::report_targets, "Targets", "Tikslai"},
    Row{Message::report_interventions, "Interventions", "Intervencijos"},
    Row{Message::report_referrals, "Referrals", "Nukreipimai"},
    Row{Message::report_strengths, "Strengths to build on", "Stiprybės, kuriomis remiamasi"},
    Row{Message::report_responsivity, "Responsivity", "Atsižvelgimas į asmens ypatumus"},
    Row{Message::report_unmet, "Unmet needs", "Nepatenkinti poreikiai"},
    Row{Message::report_next_review, "Next review", "Kita plano peržiūra"},
    Row{Message::report_hours, "h", "val."},
    Row{Message::report_none, "none", "nėra"},
    Row{Message::report_unmet_not_eligible, "no programme for it is eligible", "nė viena programa netinka"},
    Row{Message::report_unmet_undetermined, "facts or an assessment are missing", "trūksta faktų ar vertinimo"},
    Row{Message::report_unmet_no_programme, "no programme for it", "tam nėra programos"},
    Row{Message::report_unmet_not_in_rules, "its programmes are not in the rule set", "jos programų nėra taisyklėse"},
    Row{Message::report_unmet_low_risk, "intensive work withheld at low risk",
        "esant žemai rizikai intensyvi programa neskiriama"},
    Row{Message::report_unmet_avoided, "set aside for responsivity", "atidėta dėl asmens ypatumų"},
    Row{Message::report_placements, "Placements and moves", "Buvimo vietos ir perkėlimai"},
    Row{Message::report_from, "From", "Nuo"},
    Row{Message::report_until, "Until", "Iki"},
    Row{Message::report_current, "current", "dabar"},
    Row{Message::report_events, "Events", "Įvykiai"},
    Row{Message::report_date, "Date", "Data"},
    Row{Message::report_role, "Role", "Vaidmuo"},
    Row{Message::report_event, "Event", "Įvykis"},
    Row{Message::report_move, "Move", "Perkėlimas"},
    Row{Message::report_proposed, "proposed", "pasiūlyta"},
    Row{Message::report_granted, "granted", "pritarta"},
    Row{Message::report_refused, "refused", "atmesta"},
    Row{Message::report_carried_out, "carried out", "įvykdyta"},
    Row{Message::report_obligations, "Obligations", "Pareigos"},
    Row{Message::report_due, "Due", "Terminas"},
    Row{Message::report_status, "Status", "Būsena"},
    Row{Message::report_open, "open", "vykdoma"},
    Row{Message::report_met, "met", "įvykdyta"},
    Row{Message::report_overdue, "overdue", "pavėluota"},
    Row{Message::report_whole_stay, "for the whole stay", "visą buvimo laiką"},
    Row{Message::report_next_assessment, "Next assessment", "Kitas vertinimas"},
    Row{Message::report_brought_forward, "brought forward by", "paankstinta dėl"},
    Row{Message::report_definitions, "Definitions used", "Naudoti apibrėžimai"},
    Row{Message::report_unit, "Unit report", "Padalinio ataskaita"},
    Row{Message::report_cases, "Cases", "Bylos"},
    Row{Message::report_window, "Window", "Laikotarpis"},
    Row{Message::report_due_reassessments, "Due reassessments", "Artėjantys pakartotiniai vertinimai"},
    Row{Message::report_due_obligations, "Due obligations", "Artėjančių pareigų terminai"},
    Row{Message::report_upcoming_dates, "Upcoming earliest dates", "Artėjančios anksčiausios datos"},
    Row{Message::report_override_rate, "Override rate", "Pakeitimų dalis"},
    Row{Message::report_by_instrument, "by instrument", "pagal instrumentą"},
    Row{Message::report_by_staff, "by staff member", "pagal darbuotoją"},
    Row{Message::report_instrument, "Instrument", "Instrumentas"},
    Row{Message::report_staff, "Staff member", "Darbuotojas"},
    Row{Message::report_assessments, "Assessments", "Vertinimai"},
    Row{Message::report_overridden, "Overridden", "Pakeista"},
    Row{Message::report_values, "Values changed", "Pakeistos reikšmės"},
    Row{Message::report_rate, "Rate", "Dalis"},
    Row{Message::report_rejected, "Rejected cases", "Atmestos bylos"},
    Row{Message::report_placement, "Placement", "Buvimo vieta"},
    Row{Message::report_earliest, "Earliest date", "Anksčiausia data"},
    Row{Message::report_supervision_minimal, "minimal", "minimali"},
    Row{Message::report_supervision_standard, "standard", "įprasta"},
    Row{Message::report_supervision_enhanced, "enhanced", "sustiprinta"},
    Row{Message::report_supervision_intensive, "intensive", "intensyvi"},
    Row{Message::report_strength_total, "Strength total", "Stiprybių suma"},
    Row{Message::report_vulnerability_total, "Vulnerability total", "Pažeidžiamumų suma"},
};

constexpr bool in_order() {
    for (std::size_t i = 0; i < rows.size(); ++i)
        if (static_cast<std::size_t>(rows[i].message) != i) return false;
    return true;
}
static_assert(in_order(), "the message table follows the enum");
static_assert(rows.size() == static_cast<std::size_t>(Message::report_vulnerability_total) + 1, "a row per message");

}  // namespace

std::string_view message(Message m, Language language) noexcept {
    const Row& row = rows[static_cast<std::size_t>(m)];
    return language == Language::lt ? row.lt : row.en;
}

}  // namespace detail
KELIAS_END_NAMESPACE
