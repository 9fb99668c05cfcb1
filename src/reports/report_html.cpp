// Case and unit reports as one self-contained, printable HTML file: no scripts, no external
// assets (a Content-Security-Policy forbids loading any), print CSS for A4 with page breaks,
// the profile as an inline SVG chart with a title and description. Every text is escaped.
#include <algorithm>
#include <cstdio>
#include <string>

#include <kelias/report.hpp>

#include "reports/report_support.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

using detail::html_escape;
using detail::Message;
using detail::word;

constexpr std::string_view style = R"(
:root { --strength: #2e7d32; --vulnerability: #c62828; --muted: #555; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt; color: #111;
       margin: 0 auto; max-width: 190mm; padding: 8mm; line-height: 1.35; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; border-bottom: 1.5pt solid #333; margin: 6mm 0 2mm; padding-bottom: 1mm; }
h3 { font-size: 11pt; margin: 4mm 0 1mm; }
p.meta, p.note, footer { color: var(--muted); }
table { border-collapse: collapse; width: 100%; margin: 1mm 0 3mm; }
th, td { border: 0.5pt solid #999; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.num { text-align: center; }
.better { color: var(--strength); font-weight: bold; }
.worse { color: var(--vulnerability); font-weight: bold; }
.eligible { color: var(--strength); font-weight: bold; }
.not_eligible { color: var(--vulnerability); font-weight: bold; }
.undetermined { color: #8a6d00; font-weight: bold; }
ul { margin: 0.5mm 0; padding-left: 5mm; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.5mm 4mm; margin: 0; }
dt { font-weight: bold; }
dd { margin: 0; }
svg { width: 100%; max-width: 100%; height: auto; }
section { margin-bottom: 2mm; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { padding: 0; max-width: none; font-size: 9.5pt; }
  section.page-break { break-before: page; }
  table, figure, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
)";

struct Html {
    std::string out;
    Language l;

    void raw(std::string_view s) { out += s; }
    void text(std::string_view s) { out += html_escape(s); }
    void tag(std::string_view name, std::string_view content, std::string_view cls = {}) {
        out += "<";
        out += name;
        if (!cls.empty()) {
            out += " class=\"";
            out += cls;
            out += "\"";
        }
        out += ">";
        text(content);
        out += "</";
        out += name;
        out += ">";
    }
    void w(Message m) { text(detail::message(m, l)); }
    void th(Message m) { tag("th", detail::message(m, l)); }
    void td(std::string_view s, std::string_view cls = {}) { tag("td", s, cls); }
    void header_row(std::initializer_list<Message> ms) {
        raw("<thead><tr>");
        for (Message m : ms) th(m);
        raw("</tr></thead>\n");
    }
};

void begin_document(Html& h, const std::string& title) {
    h.raw("<!DOCTYPE html>\n<html lang=\"");
    h.raw(to_string(h.l));
    h.raw("\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
          "img-src data:\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
    h.text(title);
    h.raw("</title>\n<style>");
    h.raw(style);
    h.raw("</style>\n</head>\n<body>\n<main>\n");
}

void end_document(Html& h, std::initializer_list<std::string> keys) {
    h.raw("<footer><p>");
    h.w(Message::report_definitions);
    h.raw(": ");
    bool first = true;
    for (const std::string& k : keys) {
        if (k.empty()) continue;
        if (!first) h.raw(", ");
        first = false;
        h.tag("code", k);
    }
    h.raw(". kelias ");
    h.text(version());
    h.raw("</p></footer>\n</main>\n</body>\n</html>\n");
}

std::string trend_class(Trend t) { return t == Trend::better ? "better" : t == Trend::worse ? "worse" : ""; }

std::string marks(const ProfileItem& i, Language l) {
    std::string s;
    if (i.key) s += word(Message::report_key, l);
    if (i.critical) s += (s.empty() ? "" : ", ") + word(Message::report_critical, l);
    return s;
}

// The profile chart: one row per item, strength to the left of the axis, vulnerability to
// the right, 0 to 2; the previous assessment as thin outlines; key and critical marked.
void profile_chart(Html& h, const ReportProfile& p) {
    constexpr int label_width = 250, unit = 80, row = 20, top = 34, left_pad = 30;
    const int axis = label_width + left_pad + 2 * unit;
    const int width = axis + 2 * unit + 40;
    const int height = top + static_cast<int>(p.items.size()) * row + 52;
    const Language l = h.l;
    auto n = [](int v) { return std::to_string(v); };
    h.raw("<figure>\n<svg id=\"profile-chart\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
          "aria-labelledby=\"profile-chart-title profile-chart-desc\" viewBox=\"0 0 " +
          n(width) + " " + n(height) + "\" width=\"" + n(width) + "\" height=\"" + n(height) + "\">\n");
    h.raw("<title id=\"profile-chart-title\">");
    h.w(Message::report_chart_title);
    h.raw(" (");
    h.text(p.title);
    h.raw(")</title>\n<desc id=\"profile-chart-desc\">");
    h.w(Message::report_chart_desc);
    h.raw("</desc>\n");
    h.raw("<style>text{font-family:\"DejaVu Sans\",Arial,sans-serif;font-size:11px;fill:#111}"
          ".s{fill:#2e7d32}.v{fill:#c62828}.prev{fill:none;stroke:#111;stroke-width:1;stroke-dasharray:3 2}"
          ".grid{stroke:#bbb;stroke-width:0.5}.axis{stroke:#111;stroke-width:1}"
          ".mark-key{fill:#fff;stroke:#1b5e20;stroke-width:2}.mark-critical{fill:#fff;stroke:#b71c1c;stroke-width:2}"
          "</style>\n");
    // Column heads and the grid.
    h.raw("<text x=\"" + n(axis - 6) + "\" y=\"14\" text-anchor=\"end\" class=\"head\">");
    h.w(Message::report_strength);
    h.raw("</text><text x=\"" + n(axis + 6) + "\" y=\"14\">");
    h.w(Message::report_vulnerability);
    h.raw("</text>\n");
    const int bottom = top + static_cast<int>(p.items.size()) * row;
    for (int k = -2; k <= 2; ++k) {
        const int x = axis + k * unit;
        h.raw("<line class=\"" + std::string(k == 0 ? "axis" : "grid") + "\" x1=\"" + n(x) + "\" y1=\"" + n(top - 4) +
              "\" x2=\"" + n(x) + "\" y2=\"" + n(bottom) + "\"/>");
        h.raw("<text x=\"" + n(x) + "\" y=\"" + n(top - 8) + "\" text-anchor=\"middle\">" + n(k < 0 ? -k : k) +
              "</text>");
    }
    h.raw("\n");
    int y = top;
    for (const ProfileItem& i : p.items) {
        const std::string label = i.label.in(l);
        h.raw("<g class=\"item\" data-item=\"");
        h.text(i.item);
        h.raw("\"><title>");
        h.text(label + ": " + word(Message::report_strength, l) + " " + detail::rating_text(i.strength) + ", " +
               word(Message::report_vulnerability, l) + " " + detail::rating_text(i.vulnerability));
        if (const std::string m = marks(i, l); !m.empty()) h.text(" (" + m + ")");
        h.raw("</title>");
        h.raw("<text x=\"" + n(label_width) + "\" y=\"" + n(y + 14) + "\" text-anchor=\"end\">");
        h.text(label);
        h.raw("</text>");
        if (i.strength && *i.strength > 0)
            h.raw("<rect class=\"s\" x=\"" + n(axis - *i.strength * unit) + "\" y=\"" + n(y + 4) + "\" width=\"" +
                  n(*i.strength * unit) + "\" height=\"12\"/>");
        if (i.vulnerability && *i.vulnerability > 0)
            h.raw("<rect class=\"v\" x=\"" + n(axis) + "\" y=\"" + n(y + 4) + "\" width=\"" +
                  n(*i.vulnerability * unit) + "\" height=\"12\"/>");
        if (i.previous_strength && *i.previous_strength > 0)
            h.raw("<rect class=\"prev\" x=\"" + n(axis - *i.previous_strength * unit) + "\" y=\"" + n(y + 2) +
                  "\" width=\"" + n(*i.previous_strength * unit) + "\" height=\"16\"/>");
        if (i.previous_vulnerability && *i.previous_vulnerability > 0)
            h.raw("<rect class=\"prev\" x=\"" + n(axis) + "\" y=\"" + n(y + 2) + "\" width=\"" +
                  n(*i.previous_vulnerability * unit) + "\" height=\"16\"/>");
        if (i.key) {
            h.raw("<circle class=\"mark-key\" cx=\"" + n(axis - 2 * unit - 14) + "\" cy=\"" + n(y + 10) +
                  "\" r=\"6\"><title>");
            h.w(Message::report_key);
            h.raw("</title></circle>");
        }
        if (i.critical) {
            const int cx = axis + 2 * unit + 14, cy = y + 10;
            h.raw("<polygon class=\"mark-critical\" points=\"" + n(cx) + "," + n(cy - 7) + " " + n(cx + 7) + "," +
                  n(cy) + " " + n(cx) + "," + n(cy + 7) + " " + n(cx - 7) + "," + n(cy) + "\"><title>");
            h.w(Message::report_critical);
            h.raw("</title></polygon>");
        }
        h.raw("</g>\n");
        y += row;
    }
    // The key (legend).
    const int ly = bottom + 22;
    h.raw("<g class=\"legend\">");
    h.raw("<rect class=\"s\" x=\"10\" y=\"" + n(ly - 10) + "\" width=\"14\" height=\"12\"/><text x=\"30\" y=\"" +
          n(ly) + "\">");
    h.w(Message::report_strength);
    h.raw("</text>");
    h.raw("<rect class=\"v\" x=\"140\" y=\"" + n(ly - 10) + "\" width=\"14\" height=\"12\"/><text x=\"160\" y=\"" +
          n(ly) + "\">");
    h.w(Message::report_vulnerability);
    h.raw("</text>");
    h.raw("<circle class=\"mark-key\" cx=\"300\" cy=\"" + n(ly - 4) + "\" r=\"6\"/><text x=\"312\" y=\"" + n(ly) +
          "\">");
    h.w(Message::report_key);
    h.raw("</text>");
    h.raw("<polygon class=\"mark-critical\" points=\"460," + n(ly - 11) + " 467," + n(ly - 4) + " 460," + n(ly + 3) +
          " 453," + n(ly - 4) + "\"/><text x=\"472\" y=\"" + n(ly) + "\">");
    h.w(Message::report_critical);
    h.raw("</text>");
    h.raw("<rect class=\"prev\" x=\"10\" y=\"" + n(ly + 8) + "\" width=\"14\" height=\"12\"/><text x=\"30\" y=\"" +
          n(ly + 18) + "\">");
    h.w(Message::report_previous_assessment);
    h.raw("</text></g>\n</svg>\n<figcaption>");
    h.w(Message::report_chart_desc);
    h.raw("</figcaption>\n</figure>\n");
}

void profile_section(Html& h, const CaseReport& r) {
    const Language l = h.l;
    h.raw("<section id=\"profile\">\n<h2>");
    h.w(Message::report_profile);
    if (r.profile) {
        h.text(": " + r.profile->title);
    }
    h.raw("</h2>\n");
    if (!r.profile) {
        h.raw("<p>");
        h.w(Message::report_no_assessment);
        h.raw("</p>\n</section>\n");
        return;
    }
    const ReportProfile& p = *r.profile;
    h.raw("<p>");
    h.tag("code", p.instrument_key);
    h.text(", " + word(Message::report_assessed_on, l) + " " + (p.date ? to_string(*p.date) : "–") + "; " +
           word(Message::report_previous_assessment, l) + ": " +
           (p.previous_date ? to_string(*p.previous_date) : word(Message::report_trend_none, l)));
    h.raw("</p>\n");
    if (r.sections.item_profile) {
        if (!p.rated) {
            h.raw("<p>");
            h.w(Message::report_no_ratings);
            h.raw("</p>\n");
        } else {
            profile_chart(h, p);
            h.raw("<table class=\"items\">\n");
            h.header_row({Message::report_item, Message::report_strength, Message::report_previous,
                          Message::report_vulnerability, Message::report_previous, Message::report_change});
            h.raw("<tbody>\n");
            for (const ProfileItem& i : p.items) {
                h.raw("<tr>");
                std::string label = i.label.in(l);
                if (const std::string m = marks(i, l); !m.empty()) label += " (" + m + ")";
                h.td(label);
                h.td(detail::rating_text(i.strength), "num");
                h.td(detail::rating_text(i.previous_strength), "num");
                h.td(detail::rating_text(i.vulnerability), "num");
                h.td(detail::rating_text(i.previous_vulnerability), "num");
                h.raw("<td>");
                const bool strength_moved = i.strength_trend == Trend::better || i.strength_trend == Trend::worse;
                const bool vulnerability_moved =
                    i.vulnerability_trend == Trend::better || i.vulnerability_trend == Trend::worse;
                if (strength_moved)
                    h.tag("span", word(Message::report_strength, l) + ": " + detail::trend_word(i.strength_trend, l),
                          trend_class(i.strength_trend));
                if (strength_moved && vulnerability_moved) h.raw("<br>");
                if (vulnerability_moved)
                    h.tag("span",
                          word(Message::report_vulnerability, l) + ": " + detail::trend_word(i.vulnerability_trend, l),
                          trend_class(i.vulnerability_trend));
                if (!strength_moved && !vulnerability_moved)
                    h.text(detail::trend_word(p.previous_date ? Trend::same : Trend::none, l));
                h.raw("</td></tr>\n");
            }
            h.raw("</tbody></table>\n");
        }
    }
    h.raw("</section>\n");
}

void estimates_section(Html& h, const CaseReport& r) {
    if (!r.profile) return;
    const Language l = h.l;
    h.raw("<section id=\"estimates\">\n<h2>");
    h.w(Message::report_estimates);
    h.raw("</h2>\n<table>\n");
    h.header_row({Message::report_outcome, Message::report_estimate, Message::report_previous, Message::report_change});
    h.raw("<tbody>\n");
    for (const RiskEstimate& e : r.profile->estimates) {
        h.raw("<tr>");
        h.td(e.label.in(l));
        h.td(e.value.empty() ? "–" : detail::risk_word(e.value, l));
        h.td(e.previous.empty() ? "–" : detail::risk_word(e.previous, l));
        h.td(detail::trend_word(e.trend, l), trend_class(e.trend));
        h.raw("</tr>\n");
    }
    h.raw("</tbody></table>\n</section>\n");
}

void change_section(Html& h, const CaseReport& r) {
    if (!r.profile) return;
    const ReportProfile& p = *r.profile;
    const Language l = h.l;
    h.raw("<section id=\"change\">\n<h2>");
    h.w(Message::report_change);
    h.raw("</h2>\n");
    if (!p.previous_date) {
        h.raw("<p>");
        h.w(Message::report_trend_none);
        h.raw("</p>\n</section>\n");
        return;
    }
    h.raw("<p>");
    h.text(to_string(*p.previous_date) + " → " + (p.date ? to_string(*p.date) : "–"));
    h.raw("</p>\n<ul>\n");
    for (const ProfileTotal& t : p.totals) {
        h.raw("<li>");
        h.text(t.label.in(l) + ": " + detail::number_text(t.previous) + " → " + detail::number_text(t.value) + " ");
        h.tag("span", detail::trend_word(t.trend, l), trend_class(t.trend));
        h.raw("</li>\n");
    }
    for (const RiskEstimate& e : p.estimates)
        if (e.trend == Trend::better || e.trend == Trend::worse) {
            h.raw("<li>");
            h.text(e.label.in(l) + ": " + detail::risk_word(e.previous, l) + " → " + detail::risk_word(e.value, l) +
                   " ");
            h.tag("span", detail::trend_word(e.trend, l), trend_class(e.trend));
            h.raw("</li>\n");
        }
    for (const ProfileItem& i : p.items) {
        auto one = [&](Message field, const std::optional<int>& before, const std::optional<int>& now, Trend t) {
            if (t != Trend::better && t != Trend::worse) return;
            h.raw("<li>");
            h.text(i.label.in(l) + ", " + word(field, l) + ": " + detail::rating_text(before) + " → " +
                   detail::rating_text(now) + " ");
            h.tag("span", detail::trend_word(t, l), trend_class(t));
            h.raw("</li>\n");
        };
        one(Message::report_strength, i.previous_strength, i.strength, i.strength_trend);
        one(Message::report_vulnerability, i.previous_vulnerability, i.vulnerability, i.vulnerability_trend);
    }
    h.raw("</ul>\n</section>\n");
}

void eligibility_section(Html& h, const CaseReport& r) {
    const Language l = h.l;
    h.raw("<section id=\"eligibility\" class=\"page-break\">\n<h2>");
    h.w(Message::report_eligibility);
    h.raw("</h2>\n<table>\n");
    h.header_row(
        {Message::report_programme, Message::report_decision, Message::report_reasons, Message::report_earliest});
    h.raw("<tbody>\n");
    for (const EligibilityLine& e : r.eligibility) {
        h.raw("<tr>");
        h.td(e.label.in(l));
        h.td(detail::decision_word(e.decision, l), to_string(e.decision));
        h.raw("<td>");
        if (!e.reasons.empty()) {
            h.raw("<ul>");
            for (const EligibilityReason& reason : e.reasons)
                h.tag("li", detail::reason_word(reason.kind, l) + " " + reason.text.in(l));
            h.raw("</ul>");
        }
        if (!e.missing.empty()) {
            h.w(Message::missing);
            for (const std::string& m : e.missing) {
                h.raw(" ");
                h.tag("code", m);
            }
        }
        h.raw("</td>");
        h.td(e.earliest_date ? to_string(*e.earliest_date) : "–");
        h.raw("</tr>\n");
    }
    h.raw("</tbody></table>\n</section>\n");
}

void plan_section(Html& h, const CaseReport& r) {
    const Plan& p = *r.plan;
    const Language l = h.l;
    h.raw("<section id=\"plan\" class=\"page-break\">\n<h2>");
    h.w(Message::report_plan);
    h.raw("</h2>\n<dl>");
    h.tag("dt", word(Message::report_risk_level, l));
    h.tag("dd", p.risk_level ? detail::risk_word(to_string(*p.risk_level), l) : word(Message::undetermined, l));
    if (p.supervision) {
        h.tag("dt", word(Message::report_supervision, l));
        h.tag("dd", detail::supervision_word(*p.supervision, l) +
                        (p.hours ? ", " + std::to_string(*p.hours) + " " + word(Message::report_hours, l) : ""));
    }
    h.tag("dt", word(Message::report_next_review, l));
    h.tag("dd", detail::plan_review_text(p, l));
    h.raw("</dl>\n");
    for (const detail::PlanList& list : detail::plan_lists(r, l)) {
        h.raw("<h3>");
        h.w(list.heading);
        h.raw("</h3>\n");
        if (list.lines.empty()) {
            h.raw("<p>");
            h.w(Message::report_none);
            h.raw("</p>\n");
            continue;
        }
        h.raw("<ul>\n");
        for (const std::string& line : list.lines) {
            h.raw("<li>");
            h.text(line);
            h.raw("</li>\n");
        }
        h.raw("</ul>\n");
    }
    h.raw("</section>\n");
}

void placements_section(Html& h, const CaseReport& r) {
    const Language l = h.l;
    h.raw("<section id=\"placements\">\n<h2>");
    h.w(Message::report_placements);
    h.raw("</h2>\n<table>\n");
    h.header_row({Message::report_placement, Message::report_from, Message::report_until});
    h.raw("<tbody>\n");
    for (const PlacementLine& p : r.placements) {
        h.raw("<tr>");
        h.td(p.label.in(l));
        h.td(to_string(p.from));
        h.td(p.until ? to_string(*p.until) : word(Message::report_current, l));
        h.raw("</tr>\n");
    }
    h.raw("</tbody></table>\n");
    if (!r.events.empty()) {
        h.raw("<h3>");
        h.w(r.sections.events ? Message::report_events : Message::report_move);
        h.raw("</h3>\n<table>\n");
        h.header_row({Message::report_date, Message::report_event, Message::report_role});
        h.raw("<tbody>\n");
        for (const EventLine& e : r.events) {
            h.raw("<tr>");
            h.td(to_string(e.date));
            std::string what = e.label.in(l);
            if (e.step) what += ": " + e.move_label.in(l) + ", " + detail::step_word(e, l);
            h.td(what);
            h.td(e.role_label.in(l));
            h.raw("</tr>\n");
        }
        h.raw("</tbody></table>\n");
    }
    h.raw("</section>\n");
}

void obligations_section(Html& h, const CaseReport& r) {
    const Language l = h.l;
    h.raw("<section id=\"obligations\">\n<h2>");
    h.w(Message::report_obligations);
    h.raw("</h2>\n");
    if (r.obligations.empty()) {
        h.raw("<p>");
        h.w(Message::report_none);
        h.raw("</p>\n");
    } else {
        h.raw("<table>\n");
        h.header_row({Message::report_obligations, Message::report_from, Message::report_due, Message::report_status});
        h.raw("<tbody>\n");
        for (const ObligationDue& o : r.obligations) {
            h.raw("<tr>");
            h.td(o.label.in(l));
            h.td(to_string(o.from));
            h.td(o.due ? to_string(*o.due) : word(Message::report_whole_stay, l));
            h.td(detail::status_word(o.status, l) + (o.met_on ? " " + to_string(*o.met_on) : ""),
                 o.status == ObligationStatus::overdue ? "worse" : "");
            h.raw("</tr>\n");
        }
        h.raw("</tbody></table>\n");
    }
    if (r.next_assessment) {
        const AssessmentDue& a = *r.next_assessment;
        h.raw("<h3>");
        h.w(Message::report_next_assessment);
        h.raw("</h3>\n<p>");
        h.text(a.instrument.empty() ? "–" : a.instrument);
        h.text(": " + (a.due ? to_string(*a.due) : std::string("–")));
        if (a.overdue) {
            h.raw(" ");
            h.tag("span", "(" + word(Message::report_overdue, l) + ")", "worse");
        }
        if (!a.brought_forward.empty()) {
            h.text("; " + word(Message::report_brought_forward, l) + " ");
            bool first = true;
            for (const AssessmentTrigger& t : a.brought_forward) {
                h.text((first ? "" : ", ") + t.label.in(l) + " " + to_string(t.date));
                first = false;
            }
        }
        h.raw("</p>\n");
    }
    h.raw("</section>\n");
}

}  // namespace

std::string to_html(const CaseReport& r) {
    Html h{{}, r.language};
    const Language l = r.language;
    const std::string title = word(detail::variant_title(r.variant), l);
    begin_document(h, title + " – " + r.case_id);
    h.raw("<header>\n");
    h.tag("h1", title);
    h.raw("<p class=\"meta\">");
    h.text(word(Message::report_case_id, l) + ": ");
    h.tag("strong", r.case_id);
    h.text(" · " + word(Message::report_as_of, l) + " " + to_string(r.as_of));
    h.raw("</p>\n<p class=\"note\">");
    h.w(Message::report_no_names);
    h.raw("</p>\n</header>\n");

    h.raw("<section id=\"person\">\n<h2>");
    h.w(Message::report_person);
    h.raw("</h2>\n<dl>");
    h.tag("dt", word(Message::report_case_id, l));
    h.tag("dd", r.case_id);
    h.tag("dt", word(Message::report_age, l));
    h.tag("dd", r.age ? std::to_string(*r.age) : "–");
    h.tag("dt", word(Message::report_current_placement, l));
    h.tag("dd", r.placement.empty() ? "–" : r.placement_label.in(l));
    h.raw("</dl>\n");
    if (!r.facts.empty()) {
        h.raw("<h3>");
        h.w(Message::report_facts);
        h.raw("</h3>\n<table class=\"facts\"><tbody>\n");
        for (const ReportFact& f : r.facts) {
            h.raw("<tr>");
            h.tag("th", f.name);
            h.td(f.value);
            h.raw("</tr>\n");
        }
        h.raw("</tbody></table>\n");
    }
    h.raw("</section>\n");

    profile_section(h, r);
    estimates_section(h, r);
    change_section(h, r);
    if (r.sections.eligibility) eligibility_section(h, r);
    if (r.plan) plan_section(h, r);
    if (r.sections.placements) placements_section(h, r);
    if (r.sections.obligations || r.sections.next_assessment) obligations_section(h, r);
    end_document(h, {r.rules_key, r.policy_key, r.pathway_key, r.profile ? r.profile->instrument_key : ""});
    return std::move(h.out);
}

std::string to_html(const UnitReport& r) {
    Html h{{}, r.language};
    const Language l = r.language;
    const std::string title = word(Message::report_unit, l);
    begin_document(h, title);
    h.raw("<header>\n");
    h.tag("h1", title);
    h.raw("<p class=\"meta\">");
    h.text(word(Message::report_as_of, l) + " " + to_string(r.as_of) + " · " + word(Message::report_window, l) + " " +
           to_string(r.within) + " · " + word(Message::report_cases, l) + " " + std::to_string(r.cases));
    h.raw("</p>\n<p class=\"note\">");
    h.w(Message::report_no_names);
    h.raw("</p>\n</header>\n");
    auto due_table = [&](const char* id, Message heading, Message what, const std::vector<UnitDueLine>& lines) {
        h.raw("<section id=\"");
        h.raw(id);
        h.raw("\">\n<h2>");
        h.w(heading);
        h.raw("</h2>\n");
        if (lines.empty()) {
            h.raw("<p>");
            h.w(Message::report_none);
            h.raw("</p>\n</section>\n");
            return;
        }
        h.raw("<table>\n");
        h.header_row({Message::report_case_id, what, Message::report_date});
        h.raw("<tbody>\n");
        for (const UnitDueLine& d : lines) {
            h.raw("<tr>");
            h.td(d.case_id);
            h.td(d.label.in(l));
            h.td(to_string(d.date) + (d.overdue ? " (" + word(Message::report_overdue, l) + ")" : ""),
                 d.overdue ? "worse" : "");
            h.raw("</tr>\n");
        }
        h.raw("</tbody></table>\n</section>\n");
    };
    due_table("reassessments", Message::report_due_reassessments, Message::report_instrument, r.reassessments);
    due_table("obligations", Message::report_due_obligations, Message::report_obligations, r.obligations);
    due_table("earliest-dates", Message::report_upcoming_dates, Message::report_programme, r.earliest_dates);
    auto rates = [&](const char* id, Message by, Message key, const std::vector<OverrideRate>& list) {
        h.raw("<section id=\"");
        h.raw(id);
        h.raw("\">\n<h2>");
        h.text(word(Message::report_override_rate, l) + ", " + word(by, l));
        h.raw("</h2>\n<table>\n");
        h.header_row({key, Message::report_assessments, Message::report_overridden, Message::report_values,
                      Message::report_rate});
        h.raw("<tbody>\n");
        for (const OverrideRate& o : list) {
            h.raw("<tr>");
            h.td(o.key);
            h.td(std::to_string(o.assessments), "num");
            h.td(std::to_string(o.overridden), "num");
            h.td(std::to_string(o.values), "num");
            const auto rate = o.rate();
            char buffer[16] = "–";
            if (rate) std::snprintf(buffer, sizeof buffer, "%.1f %%", *rate * 100);
            h.td(buffer, "num");
            h.raw("</tr>\n");
        }
        h.raw("</tbody></table>\n</section>\n");
    };
    rates("overrides-instrument", Message::report_by_instrument, Message::report_instrument, r.by_instrument);
    rates("overrides-staff", Message::report_by_staff, Message::report_staff, r.by_staff);
    if (!r.rejected.empty()) {
        h.raw("<section id=\"rejected\">\n<h2>");
        h.w(Message::report_rejected);
        h.raw("</h2>\n<ul>\n");
        for (const auto& [id, reason] : r.rejected) h.tag("li", id + ": " + reason);
        h.raw("</ul>\n</section>\n");
    }
    end_document(h, {r.rules_key, r.pathway_key});
    return std::move(h.out);
}

KELIAS_END_NAMESPACE
