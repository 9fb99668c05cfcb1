// The unit report over many cases (due reassessments and obligations, upcoming earliest
// dates, override rates), the override records it reads, and reading the case files.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include <kelias/case_io.hpp>
#include <kelias/report.hpp>

#include "base/json_scanner.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

constexpr std::size_t max_cases_file = std::size_t{1} << 30;  // 1 GiB of JSON lines

Diagnostic problem(DiagnosticCode code, std::string message, std::string_view file, int line) {
    return {.severity = Severity::error,
            .code = code,
            .message = std::move(message),
            .hint = {},
            .where = {std::string(file), line, 0}};
}

std::optional<std::string> read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    if (!in.good() && !in.eof()) return std::nullopt;
    std::string s = std::move(text).str();
    if (s.size() > max_cases_file) return std::nullopt;
    return s;
}

bool by_date_then_case(const UnitDueLine& a, const UnitDueLine& b) {
    return std::tie(a.date, a.case_id, a.what) < std::tie(b.date, b.case_id, b.what);
}

}  // namespace

std::optional<double> OverrideRate::rate() const noexcept {
    if (assessments == 0) return std::nullopt;
    return static_cast<double>(overridden) / static_cast<double>(assessments);
}

OverrideRecords parse_override_records(std::string_view jsonl, std::string_view file_name) {
    OverrideRecords out;
    int line_no = 0;
    while (!jsonl.empty()) {
        const std::size_t end = jsonl.find('\n');
        std::string_view line = jsonl.substr(0, end);
        jsonl = end == std::string_view::npos ? std::string_view() : jsonl.substr(end + 1);
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        detail::JsonScanner scan(line);
        OverrideRecord r;
        std::optional<Date> date;
        std::string bad;
        bool first = true;
        std::string_view key;
        if (!scan.enter_object()) {
            out.rejected.push_back(problem(DiagnosticCode::malformed_case, scan.error(), file_name, line_no));
            continue;
        }
        std::set<std::string, std::less<>> seen;
        while (scan.next_key(first, key)) {
            if (!seen.insert(std::string(key)).second && bad.empty())
                bad = "key '" + std::string(key) + "' given twice";
            std::optional<std::string_view> value;
            if (!scan.read_scalar(value)) break;
            const std::string text = value ? std::string(*value) : std::string();
            if (key == "case")
                r.case_id = text;
            else if (key == "instrument")
                r.instrument = text;
            else if (key == "target")
                r.target = text;
            else if (key == "computed")
                r.computed = text;
            else if (key == "chosen")
                r.chosen = text;
            else if (key == "staff")
                r.staff = text;
            else if (key == "date") {
                date = parse_date(text);
                if (!date && bad.empty()) bad = "date: expected YYYY-MM-DD";
            } else if (bad.empty())
                bad = "unknown key '" + std::string(key) + "'";
        }
        if (!scan.failed()) scan.finish();
        if (scan.failed()) {
            out.rejected.push_back(problem(DiagnosticCode::malformed_case, scan.error(), file_name, line_no));
            continue;
        }
        for (const auto& [name, value] : {std::pair<const char*, const std::string*>{"case", &r.case_id},
                                          {"instrument", &r.instrument},
                                          {"target", &r.target},
                                          {"staff", &r.staff}})
            if (value->empty() && bad.empty()) bad = std::string("missing '") + name + "'";
        if (!date && bad.empty()) bad = "missing 'date'";
        if (!bad.empty()) {
            out.rejected.push_back(problem(DiagnosticCode::malformed_case, bad, file_name, line_no));
            continue;
        }
        r.date = *date;
        out.records.push_back(std::move(r));
    }
    return out;
}

Result<CaseFiles> read_case_files(std::span<const std::string> paths) {
    CaseFiles out;
    for (const std::string& path : paths) {
        if (!path.ends_with(".jsonl")) {
            auto one = read_case_file(path);
            if (!one) {
                if (has_code(one.error(), DiagnosticCode::unreadable_file)) return one.error();
                out.rejected.push_back(path + ": " + one.error().front().message);
                continue;
            }
            out.cases.push_back(std::move(*one));
            continue;
        }
        const auto text = read_text(path);
        if (!text)
            return std::vector<Diagnostic>{problem(DiagnosticCode::unreadable_file, "cannot read the file", path, 0)};
        std::string_view rest = *text;
        int line_no = 0;
        while (!rest.empty()) {
            const std::size_t end = rest.find('\n');
            const std::string_view line = rest.substr(0, end);
            rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
            ++line_no;
            if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
            auto c = parse_case(line, path);
            if (!c) {
                out.rejected.push_back(path + ": line " + std::to_string(line_no) + ": " + c.error().front().message);
                continue;
            }
            out.cases.push_back(std::move(*c));
        }
    }
    return out;
}

Result<UnitReport> build_unit_report(std::span<const CaseInput> cases, std::span<const OverrideRecord> overrides,
                                     const ReportDefinitions& d, const UnitReportOptions& o) {
    if (!d.pathway)
        return std::vector<Diagnostic>{problem(DiagnosticCode::malformed_case,
                                               "the unit report needs a pathway (reassessments and obligations)",
                                               "<unit>", 0)};
    const Pathway& pathway = *d.pathway;
    UnitReport r;
    r.as_of = o.as_of;
    r.within = o.within;
    r.language = o.language;
    r.rules_key = d.rules.key();
    r.pathway_key = pathway.key();
    const Date until = add(o.as_of, o.within).value_or(max_date);

    std::map<std::string, OverrideRate> by_instrument, by_staff;
    std::set<std::string, std::less<>> seen;
    for (const CaseInput& input : cases) {
        if (!seen.insert(input.id).second) {
            r.rejected.emplace_back(input.id, "the case id is given twice; the first one is reported");
            continue;
        }
        CaseInput c = input;
        c.as_of = o.as_of;
        c = with_progress_facts(std::move(c), d.policy, d.rules, o.as_of);
        auto due_now = due(pathway, d.rules, c, {.as_of = o.as_of, .within = o.within});
        if (!due_now) {
            r.rejected.emplace_back(c.id, due_now.error().front().message);
            continue;
        }
        auto decided = decide(d.rules, c);
        if (!decided) {
            r.rejected.emplace_back(c.id, decided.error().front().message);
            continue;
        }
        ++r.cases;
        for (const DueItem& item : due_now->items) {
            UnitDueLine line{
                .case_id = c.id, .what = item.what, .label = item.label, .date = item.date, .overdue = item.overdue};
            if (item.kind == DueItem::Kind::assessment) r.reassessments.push_back(std::move(line));
            if (item.kind == DueItem::Kind::obligation) r.obligations.push_back(std::move(line));
        }
        for (const ProgrammeDecision& p : decided->decisions)
            if (p.decision != Decision::eligible && p.earliest_date && *p.earliest_date <= until)
                r.earliest_dates.push_back(
                    {.case_id = c.id, .what = p.programme, .label = p.label(), .date = *p.earliest_date});
        for (const AssessmentInput& a : c.assessments)
            if (!a.date || *a.date <= o.as_of) {
                OverrideRate& rate = by_instrument[a.instrument];
                rate.key = a.instrument;
                ++rate.assessments;
            }
        for (const CaseEvent& e : c.events)
            if (e.type == "assessment_finalised" && !e.by.empty() && e.date <= o.as_of) {
                OverrideRate& rate = by_staff[e.by];
                rate.key = e.by;
                ++rate.assessments;
            }
    }
    std::set<std::tuple<std::string, std::string, Date>> overridden_instrument;
    std::set<std::tuple<std::string, std::string, std::string, Date>> overridden_staff;
    for (const OverrideRecord& x : overrides) {
        if (x.computed == x.chosen) continue;  // confirmed, not overridden
        OverrideRate& i = by_instrument[x.instrument];
        i.key = x.instrument;
        ++i.values;
        if (overridden_instrument.emplace(x.case_id, x.instrument, x.date).second) ++i.overridden;
        OverrideRate& s = by_staff[x.staff];
        s.key = x.staff;
        ++s.values;
        if (overridden_staff.emplace(x.staff, x.case_id, x.instrument, x.date).second) ++s.overridden;
    }
    for (auto& [key, rate] : by_instrument) r.by_instrument.push_back(rate);
    for (auto& [key, rate] : by_staff) r.by_staff.push_back(rate);
    std::sort(r.reassessments.begin(), r.reassessments.end(), by_date_then_case);
    std::sort(r.obligations.begin(), r.obligations.end(), by_date_then_case);
    std::sort(r.earliest_dates.begin(), r.earliest_dates.end(), by_date_then_case);
    return r;
}

KELIAS_END_NAMESPACE
