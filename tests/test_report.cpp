// Case and unit reports: the content built from a case with a START:AV history (change per
// item and per estimate, earliest dates, plan, next assessment), what each variant holds,
// the HTML chart (key and critical marks, title and description), escaping in HTML and
// Markdown, both languages, moves over time, override rates and the files written.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

#include <kelias/case_io.hpp>
#include <kelias/report.hpp>

namespace {

using namespace kelias;
namespace fs = std::filesystem;

const fs::path source = KELIAS_SOURCE_DIR;

Date d(const char* text) { return parse_date(text).value(); }

const ReportDefinitions& definitions() {
    static const ReportDefinitions defs = [] {
        auto rules = load_rules_file(source / "instruments" / "lt_release_pathway.yaml");
        INFO(format(rules.diagnostics()));
        REQUIRE(rules.ok());
        auto policy = load_plan_policy_file(source / "instruments" / "lt_plan_policy.yaml");
        INFO(format(policy.diagnostics()));
        REQUIRE(policy.ok());
        auto pathway = load_pathway_file(source / "instruments" / "lt_pathway.yaml", &*rules);
        INFO(format(pathway.diagnostics()));
        REQUIRE(pathway.ok());
        return ReportDefinitions{.rules = *rules, .policy = *policy, .pathway = *pathway};
    }();
    return defs;
}

CaseInput example_case() {
    auto c = read_case_file((source / "examples" / "cases" / "adolescent_kaunas_review.yaml").string());
    INFO(format(c.diagnostics()));
    REQUIRE(c.ok());
    return *c;
}

CaseReport report_of(const CaseInput& c, const ReportOptions& options = {}) {
    auto r = build_report(c, definitions(), options);
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    return *r;
}

const ProfileItem& item(const CaseReport& r, const std::string& id) {
    REQUIRE(r.profile);
    for (const ProfileItem& i : r.profile->items)
        if (i.item == id) return i;
    FAIL("no item " << id);
    throw 0;
}

const RiskEstimate* estimate(const CaseReport& r, const std::string& id) {
    for (const RiskEstimate& e : r.profile->estimates)
        if (e.outcome == id) return &e;
    return nullptr;
}

const EligibilityLine* line(const CaseReport& r, const std::string& programme) {
    for (const EligibilityLine& e : r.eligibility)
        if (e.programme == programme) return &e;
    return nullptr;
}

/// The text of the chart's group for one item.
std::string chart_group(const std::string& html, const std::string& item_id) {
    const auto start = html.find("<g class=\"item\" data-item=\"" + item_id + "\"");
    REQUIRE(start != std::string::npos);
    const auto end = html.find("</g>", start);
    return html.substr(start, end - start);
}

}  // namespace

TEST_CASE("report: the change since the last assessment, per item, per total and per estimate") {
    const CaseReport r = report_of(example_case());
    CHECK(r.case_id == "LT-2025-0105");
    CHECK(r.as_of == d("2025-06-15"));
    CHECK(r.age == 17);
    CHECK(r.placement == "closed");
    REQUIRE(r.profile);
    CHECK(r.profile->instrument == "start_av");
    CHECK(r.profile->date == d("2025-06-01"));
    CHECK(r.profile->previous_date == d("2025-03-01"));
    CHECK(r.profile->rated);
    CHECK(r.profile->items.size() == 24);  // the unused case-specific item is left out

    const ProfileItem& school = item(r, "school_work");
    CHECK(school.strength == 2);
    CHECK(school.previous_strength == 1);
    CHECK(school.strength_trend == Trend::better);
    CHECK(school.vulnerability == 0);
    CHECK(school.previous_vulnerability == 1);
    CHECK(school.vulnerability_trend == Trend::better);
    const ProfileItem& substance = item(r, "substance_use");
    CHECK(substance.critical);
    CHECK(substance.previous_critical);
    CHECK(substance.vulnerability_trend == Trend::same);
    CHECK(item(r, "impulse_control").previous_critical);
    CHECK_FALSE(item(r, "impulse_control").critical);
    CHECK(item(r, "plans").key);
    CHECK_FALSE(item(r, "plans").previous_key);
    CHECK(item(r, "treatability").key);

    REQUIRE(r.profile->totals.size() == 2);
    CHECK(r.profile->totals[0].score == "strength_total");
    CHECK(r.profile->totals[0].previous == 18);
    CHECK(r.profile->totals[0].value == 24);
    CHECK(r.profile->totals[0].trend == Trend::better);
    CHECK(r.profile->totals[1].previous == 26);
    CHECK(r.profile->totals[1].value == 21);
    CHECK(r.profile->totals[1].trend == Trend::better);

    const RiskEstimate* nonviolent = estimate(r, "nonviolent_offending");
    REQUIRE(nonviolent);
    CHECK(nonviolent->previous == "high");
    CHECK(nonviolent->value == "moderate");
    CHECK(nonviolent->trend == Trend::better);
    REQUIRE(estimate(r, "violence"));
    CHECK(estimate(r, "violence")->trend == Trend::same);
    CHECK(estimate(r, "suicide"));  // the full report keeps harm to self
}

TEST_CASE("report: eligibility with reasons and earliest dates, the plan, the next assessment") {
    const CaseReport r = report_of(example_case());
    const EligibilityLine* hwh = line(r, "halfway_house");
    REQUIRE(hwh);
    CHECK(hwh->decision == Decision::not_eligible);
    CHECK(hwh->earliest_date == d("2025-11-01"));
    REQUIRE_FALSE(hwh->reasons.empty());
    CHECK(hwh->reasons.front().kind == EligibilityReason::Kind::fails);
    CHECK(hwh->reasons.front().text.en.find("1/4") != std::string::npos);
    CHECK(line(r, "equip")->decision == Decision::eligible);
    CHECK(line(r, "equip")->reasons.empty());

    REQUIRE(r.plan);
    CHECK(r.plan->risk_level == RiskLevel::moderate);
    REQUIRE(r.plan->interventions.size() == 2);
    CHECK(r.plan->interventions[0].programme == "substance_abuse");
    CHECK(r.plan->review.date == d("2025-09-01"));
    REQUIRE(r.next_assessment);
    CHECK(r.next_assessment->instrument == "start_av");
    CHECK(r.next_assessment->due == d("2025-09-01"));
    REQUIRE(r.placements.size() == 1);
    CHECK(r.placements[0].label.lt == "Pataisos namų uždaroji dalis");
    REQUIRE(r.events.size() == 2);
    CHECK(r.events[0].type == "disciplinary_penalty");
    CHECK(r.events[1].role_label.en == "Case manager");

    // The date of birth is never shown: the age stands for it.
    for (const ReportFact& f : r.facts) CHECK(f.name != "date_of_birth");
    const std::string html = to_html(r);
    CHECK(html.find("2008-01-20") == std::string::npos);
    CHECK(to_json(r).find("2008-01-20") == std::string::npos);
    CHECK(to_markdown(r).find("2008-01-20") == std::string::npos);
    // Staff pseudonyms and event details stay out.
    CHECK(html.find("CM-04") == std::string::npos);
    CHECK(html.find("fight") == std::string::npos);
}

TEST_CASE("report: the HTML is self-contained, printable, with an accessible chart marking key and critical") {
    const CaseReport r = report_of(example_case());
    const std::string html = to_html(r);
    CHECK(html.starts_with("<!DOCTYPE html>"));
    CHECK(html.find("<html lang=\"en\">") != std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("src=") == std::string::npos);
    CHECK(html.find("default-src 'none'") != std::string::npos);
    CHECK(html.find("@page { size: A4") != std::string::npos);
    CHECK(html.find("@media print") != std::string::npos);
    CHECK(html.find("break-before: page") != std::string::npos);

    CHECK(html.find("<svg id=\"profile-chart\"") != std::string::npos);
    CHECK(html.find("role=\"img\"") != std::string::npos);
    CHECK(html.find("<title id=\"profile-chart-title\">Strength and vulnerability per item") != std::string::npos);
    CHECK(html.find("<desc id=\"profile-chart-desc\">") != std::string::npos);
    const std::string substance = chart_group(html, "substance_use");
    CHECK(substance.find("class=\"mark-critical\"") != std::string::npos);
    CHECK(substance.find("class=\"mark-key\"") == std::string::npos);
    CHECK(substance.find("Substance Use: Strength 0, Vulnerability 2 (critical vulnerability)") != std::string::npos);
    const std::string treatability = chart_group(html, "treatability");
    CHECK(treatability.find("class=\"mark-key\"") != std::string::npos);
    CHECK(treatability.find("class=\"mark-critical\"") == std::string::npos);
    const std::string recreation = chart_group(html, "recreation");
    CHECK(recreation.find("mark-") == std::string::npos);
    // School/work: strength 2 now (160 px), 1 before (a dashed outline of 80 px).
    const std::string school = chart_group(html, "school_work");
    CHECK(school.find("class=\"s\" x=\"280\" y=\"38\" width=\"160\"") != std::string::npos);
    CHECK(school.find("class=\"prev\" x=\"360\" y=\"36\" width=\"80\"") != std::string::npos);

    // The change section names the values before and after.
    CHECK(html.find("Non-Violent Offending: high → moderate") != std::string::npos);
    CHECK(html.find("School/Work, Strength: 1 → 2") != std::string::npos);
    CHECK(html.find("Strength total: 18 → 24") != std::string::npos);
}

TEST_CASE("report: both languages, from the message table and the definitions' labels") {
    const CaseReport lt = report_of(example_case(), {.language = Language::lt});
    const std::string html = to_html(lt);
    CHECK(html.find("<html lang=\"lt\">") != std::string::npos);
    CHECK(html.find("<h1>Bylos ataskaita</h1>") != std::string::npos);
    CHECK(html.find("Stiprybės ir pažeidžiamumas pagal punktus") != std::string::npos);
    CHECK(html.find("Mokykla / darbas") != std::string::npos);  // the item's Lithuanian label
    CHECK(html.find("Nesmurtiniai teisės pažeidimai: aukšta → vidutinė") != std::string::npos);
    CHECK(html.find("Pusiaukelės namai") != std::string::npos);
    CHECK(html.find("Pataisos namų uždaroji dalis") != std::string::npos);
    CHECK(html.find("kritinis pažeidžiamumas") != std::string::npos);
    CHECK(html.find("School/Work") == std::string::npos);
    const std::string md = to_markdown(lt);
    CHECK(md.starts_with("# Bylos ataskaita\n"));
    CHECK(md.find("Anksčiausia data") != std::string::npos);
    const std::string json = to_json(lt);
    CHECK(json.find("\"language\":\"lt\"") != std::string::npos);
    CHECK(json.find("\"label\":\"Mokykla / darbas\"") != std::string::npos);

    const std::string en = to_html(report_of(example_case(), {.language = Language::en}));
    CHECK(en.find("<h1>Case report</h1>") != std::string::npos);
    CHECK(en.find("Mokykla / darbas") == std::string::npos);
}

TEST_CASE("report: every text is escaped (a fact value with markup)") {
    CaseInput c = example_case();
    c.id = "LT<1>&2";
    CaseReport r = report_of(c);
    // Facts reach the writers as cell text (a store may hold any); the rules only take codes.
    for (ReportFact& f : r.facts)
        if (f.name == "institution") f.value = "<b>Kaunas</b> & \"co\" | *x*";
    CHECK(to_html(r).find("LT&lt;1&gt;&amp;2") != std::string::npos);
    CHECK(to_html(r).find("LT<1>") == std::string::npos);
    const std::string html = to_html(r);
    CHECK(html.find("<b>Kaunas") == std::string::npos);
    CHECK(html.find("&lt;b&gt;Kaunas&lt;/b&gt; &amp; &quot;co&quot; | *x*") != std::string::npos);
    const std::string md = to_markdown(r);
    CHECK(md.find("\\<b\\>Kaunas\\</b\\> & \"co\" \\| \\*x\\*") != std::string::npos);
    const std::string json = to_json(r);
    CHECK(json.find(R"("institution":"<b>Kaunas</b> & \"co\" | *x*")") != std::string::npos);
}

TEST_CASE("report: the commission pack and the handover hold what their readers need") {
    const CaseReport commission = report_of(example_case(), {.variant = ReportVariant::commission});
    REQUIRE(commission.profile);
    CHECK(commission.profile->items.empty());
    CHECK(estimate(commission, "suicide") == nullptr);
    CHECK(estimate(commission, "nonviolent_offending"));
    CHECK(line(commission, "halfway_house"));
    CHECK(line(commission, "conditional_release"));
    CHECK(line(commission, "equip") == nullptr);
    REQUIRE(commission.plan);
    CHECK(commission.plan->referrals.empty());
    CHECK_FALSE(commission.next_assessment);
    const std::string html = to_html(commission);
    CHECK(html.find("<h1>Pack for the commission or court</h1>") != std::string::npos);
    CHECK(html.find("profile-chart") == std::string::npos);
    CHECK(html.find("Suicide") == std::string::npos);

    const CaseReport handover = report_of(example_case(), {.variant = ReportVariant::handover});
    CHECK(handover.eligibility.empty());
    CHECK(handover.events.empty());
    CHECK(handover.profile->items.size() == 24);
    CHECK(estimate(handover, "suicide"));
    REQUIRE(handover.next_assessment);
    const std::string json = to_json(handover);
    CHECK(json.find("\"report\":\"handover\"") != std::string::npos);
    CHECK(json.find("\"eligibility\"") == std::string::npos);
    CHECK(to_html(handover).find("<svg id=\"profile-chart\"") != std::string::npos);
}

TEST_CASE("report: placements and moves over time, obligations of the stay") {
    auto read = read_case_file((source / "examples" / "cases" / "adult_to_halfway_house.yaml").string());
    REQUIRE(read.ok());
    CaseInput c = *read;
    const auto& defs = definitions();
    for (const char* step : {"02_propose.yaml", "04_decide.yaml", "05_carry_out.yaml"}) {
        auto event = read_pathway_event_file(source / "examples" / "cases" / "events" / "adult_hwh" / step);
        REQUIRE(event.ok());
        auto applied = apply(*defs.pathway, defs.rules, c, *event);
        INFO(format(applied.diagnostics()));
        REQUIRE(applied.ok());
        REQUIRE(applied->applied);
        c = applied->case_document;
    }
    const Date carried = c.placements.back().from;
    const CaseReport r = report_of(c, {.as_of = carried});
    REQUIRE(r.placements.size() == 3);
    CHECK(r.placements[0].placement == "closed");
    CHECK(r.placements[0].until == d("2024-06-03"));
    CHECK(r.placements[1].placement == "semi_open");
    CHECK(r.placements[1].until == carried);
    CHECK(r.placements[2].placement == "halfway_house");
    CHECK_FALSE(r.placements[2].until);
    CHECK(r.placement == "halfway_house");
    int steps = 0;
    for (const EventLine& e : r.events)
        if (e.step) {
            ++steps;
            CHECK(e.move == "to_halfway_house");
        }
    CHECK(steps == 3);
    REQUIRE_FALSE(r.obligations.empty());
    CHECK(r.obligations[0].status == ObligationStatus::open);
    CHECK(r.obligations[0].due);
    CHECK(r.profile->instrument == "start");  // an adult: START
    const std::string html = to_html(r);
    CHECK(html.find("Move: Transfer to a halfway house, granted") != std::string::npos);
    CHECK(html.find("Halfway house") != std::string::npos);
}

TEST_CASE("report: a case without as_of and no date given is refused") {
    CaseInput c = example_case();
    c.as_of.reset();
    auto r = build_report(c, definitions(), {});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().front().code == DiagnosticCode::malformed_case);
    CHECK(build_report(c, definitions(), {.as_of = d("2025-06-15")}).ok());
}

TEST_CASE("report: formats and variants by name") {
    CHECK(parse_report_format("md") == ReportFormat::markdown);
    CHECK(parse_report_format("markdown") == ReportFormat::markdown);
    CHECK(parse_report_format("pdf") == std::nullopt);
    CHECK(parse_report_variant("handover") == ReportVariant::handover);
    CHECK(parse_report_variant("court") == std::nullopt);
    CHECK(to_string(ReportVariant::commission) == "commission");
    CHECK_FALSE(sections_of(ReportVariant::commission).item_profile);
    CHECK_FALSE(sections_of(ReportVariant::handover).eligibility);
}

TEST_CASE("report: write_report creates the file with owner-only permissions, atomically") {
    const fs::path dir = fs::temp_directory_path() / ("kelias_report_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string path = (dir / "r.html").string();
    const std::string html = to_html(report_of(example_case()));
    REQUIRE_FALSE(write_report(html, path, {}).has_value());
    struct stat st {};
    REQUIRE(::stat(path.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(static_cast<std::size_t>(st.st_size) == html.size());
    // An input is never overwritten.
    const auto refused = write_report(html, path, {path});
    REQUIRE(refused.has_value());
    CHECK(refused->code == DiagnosticCode::unwritable_output);
    fs::remove_all(dir);
}

TEST_CASE("unit report: due dates over cases and the override rate by instrument and by staff member") {
    CaseInput a = example_case();
    a.events.push_back(
        {.type = "assessment_finalised", .date = d("2025-03-02"), .role = "psychologist", .by = "PS-1", .details = {}});
    a.events.push_back(
        {.type = "assessment_finalised", .date = d("2025-06-02"), .role = "psychologist", .by = "PS-1", .details = {}});
    auto b_read = read_case_file((source / "examples" / "cases" / "adolescent_kaunas_pathway.yaml").string());
    REQUIRE(b_read.ok());
    CaseInput b = *b_read;
    b.events.push_back(
        {.type = "assessment_finalised", .date = d("2025-03-16"), .role = "psychologist", .by = "PS-2", .details = {}});
    CaseInput duplicate = b;

    const OverrideRecords parsed = parse_override_records(
        R"({"case": "LT-2025-0105", "instrument": "start_av", "target": "violence.estimate", "computed": "moderate", "chosen": "high", "staff": "PS-1", "date": "2025-06-01"}
{"case": "LT-2025-0105", "instrument": "start_av", "target": "substance_abuse.estimate", "computed": "moderate", "chosen": "high", "staff": "PS-1", "date": "2025-06-01"}

{"case": "LT-2025-0301", "instrument": "start_av", "target": "violence.estimate", "computed": "moderate", "chosen": "moderate", "staff": "PS-2", "date": "2025-03-15"}
{"case": "LT-2025-0301", "instrument": "start_av", "target": "violence.estimate", "computed": "low", "chosen": "high", "staff": "PS-2", "date": "2025-13-01"}
not json
)",
        "overrides.jsonl");
    CHECK(parsed.records.size() == 3);
    REQUIRE(parsed.rejected.size() == 2);
    CHECK(parsed.rejected[0].where.line == 5);
    CHECK(parsed.rejected[0].message.find("date") != std::string::npos);
    CHECK(parsed.rejected[1].where.line == 6);

    const std::vector<CaseInput> cases = {a, b, duplicate};
    auto unit = build_unit_report(cases, parsed.records, definitions(),
                                  {.as_of = d("2025-06-15"), .within = Duration{0, 0, 30}});
    INFO(format(unit.diagnostics()));
    REQUIRE(unit.ok());
    CHECK(unit->cases == 2);
    REQUIRE(unit->rejected.size() == 1);
    CHECK(unit->rejected[0].first == "LT-2025-0301");

    // LT-2025-0301's START:AV was brought forward by a penalty to 2025-05-10: overdue.
    REQUIRE(unit->reassessments.size() == 1);
    CHECK(unit->reassessments[0].case_id == "LT-2025-0301");
    CHECK(unit->reassessments[0].date == d("2025-05-10"));
    CHECK(unit->reassessments[0].overdue);
    // TOG unit opens 2025-07-10 for LT-2025-0301 (within 30 days of 2025-06-15).
    bool tog = false;
    for (const UnitDueLine& e : unit->earliest_dates)
        if (e.case_id == "LT-2025-0301" && e.what == "tog_unit") tog = e.date == d("2025-07-10");
    CHECK(tog);

    // start_av: 3 assessments in the cases (two of LT-2025-0105, one of LT-2025-0301), one
    // of them overridden (two values); the third record confirms the computed value.
    REQUIRE(unit->by_instrument.size() == 1);
    CHECK(unit->by_instrument[0].key == "start_av");
    CHECK(unit->by_instrument[0].assessments == 3);
    CHECK(unit->by_instrument[0].overridden == 1);
    CHECK(unit->by_instrument[0].values == 2);
    CHECK(unit->by_instrument[0].rate() == doctest::Approx(1.0 / 3));
    REQUIRE(unit->by_staff.size() == 2);
    CHECK(unit->by_staff[0].key == "PS-1");
    CHECK(unit->by_staff[0].assessments == 2);
    CHECK(unit->by_staff[0].overridden == 1);
    CHECK(unit->by_staff[0].rate() == doctest::Approx(0.5));
    CHECK(unit->by_staff[1].key == "PS-2");
    CHECK(unit->by_staff[1].overridden == 0);
    CHECK(unit->by_staff[1].rate() == doctest::Approx(0.0));

    const std::string html = to_html(*unit);
    CHECK(html.find("<h1>Unit report</h1>") != std::string::npos);
    CHECK(html.find("50.0 %") != std::string::npos);
    CHECK(html.find("33.3 %") != std::string::npos);
    const std::string md = to_markdown(*unit);
    CHECK(md.find("| PS\\-1 |") == std::string::npos);  // '-' is not escaped
    CHECK(md.find("| PS-1 | 2 | 1 | 2 | 50.0 % |") != std::string::npos);
    const std::string json = to_json(*unit);
    CHECK(json.find(R"("key":"PS-1","assessments":2,"overridden":1,"values":2,"rate":0.5)") != std::string::npos);

    auto lt =
        build_unit_report(cases, parsed.records, definitions(), {.as_of = d("2025-06-15"), .language = Language::lt});
    REQUIRE(lt.ok());
    CHECK(to_html(*lt).find("Padalinio ataskaita") != std::string::npos);

    ReportDefinitions no_pathway = definitions();
    no_pathway.pathway.reset();
    CHECK_FALSE(build_unit_report(cases, parsed.records, no_pathway, {.as_of = d("2025-06-15")}).ok());
}

TEST_CASE("report: HTML and Markdown show the same plan lists and an overdue review") {
    // Regression: the Markdown writer kept its own copy of the plan's lines and left out
    // that the review was overdue.
    const CaseReport r = report_of(example_case(), {.as_of = d("2025-10-01")});
    REQUIRE(r.plan);
    REQUIRE(r.plan->review.overdue);
    const std::string html = to_html(r), md = to_markdown(r);
    CHECK(html.find("2025-09-01 (overdue)") != std::string::npos);
    CHECK(md.find("2025-09-01 (overdue)") != std::string::npos);
    for (const PlanIntervention& i : r.plan->interventions) {
        CHECK(html.find(i.label.en) != std::string::npos);
        CHECK(md.find(i.label.en) != std::string::npos);
    }
}
