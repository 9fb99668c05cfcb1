// Rule sets in Python: loading, what they declare, deciding cases given as JSON objects
// (one CaseBatch, decided with the GIL released) and one case explained.
#include <optional>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include <kelias/kelias.hpp>

#include "bindings.hpp"
#include "conversions.hpp"

namespace kelias_python {
namespace {

using kelias::RuleSet;

py::tuple loaded(const kelias::Result<RuleSet>& r) {
    return py::make_tuple(r ? py::cast(*r) : py::none(), diagnostics_to_python(r.diagnostics()));
}

py::list programmes_of(const RuleSet& rules) {
    py::list out;
    for (std::size_t p : rules.report_order()) {
        const auto& info = rules.programmes()[p];
        py::dict d;
        d["id"] = info.id;
        d["kind"] = info.kind;
        d["label"] = info.label_text.en;
        d["label_lt"] = info.label_text.lt;
        d["source"] = info.source;
        d["priority"] = info.priority;
        out.append(std::move(d));
    }
    return out;
}

py::list facts_of(const RuleSet& rules) {
    py::list out;
    for (const auto& f : rules.facts()) {
        py::dict d;
        d["name"] = f.name;
        d["type"] = f.list ? std::string("list") : std::string(kelias::to_string(f.type));
        d["values"] = f.values;
        out.append(std::move(d));
    }
    return out;
}

// What holds a programme back or leaves it open: failing conditions, exclusions that
// apply and unknown conditions (the reasons `kelias eligibility` prints by default).
std::vector<std::string> reason_texts(const kelias::ProgrammeDecision& d, kelias::Language language) {
    std::vector<std::string> out;
    for (const auto& r : d.reasons)
        if (r.against() || !r.value()) out.push_back(r.text(language));
    return out;
}

// Decides JSON cases. Returns {"position", "case", "programme", "decision",
// "earliest_date" (days or None), "missing", "reasons"} as lists, one entry per case and
// programme in report order, and "rejects": [(position, case id, reason)].
py::dict decide_json(const RuleSet& rules, const std::vector<std::string>& lines, std::optional<int> as_of,
                     bool earliest_dates, unsigned threads, const std::string& lang, bool brief) {
    const kelias::Language language = lang == "lt" ? kelias::Language::lt : kelias::Language::en;
    std::vector<std::size_t> positions;
    std::vector<std::tuple<std::size_t, std::string, std::string>> rejects;
    std::vector<kelias::CaseDecisions> decided;
    std::optional<kelias::DecisionTable> table;  // brief
    std::vector<std::string> ids;
    {
        py::gil_scoped_release unlocked;
        kelias::CaseBatch cases(rules);
        const auto date = as_of ? std::optional<kelias::Date>(kelias::Date{*as_of}) : std::nullopt;
        for (std::size_t i = 0; i < lines.size(); ++i) {
            const kelias::JsonCaseAdded added = cases.add_json(lines[i], date);
            if (added) {
                positions.push_back(i);
                continue;
            }
            std::string reason;
            for (const auto& p : added.problems) reason += (reason.empty() ? "" : "; ") + p.message;
            rejects.emplace_back(i, added.case_id, reason);
        }
        if (brief) {
            table = kelias::decide_columns(rules, cases, threads);
            for (std::size_t c = 0; c < cases.rows(); ++c) ids.push_back(cases.id(c));
        } else {
            decided = kelias::decide_batch(rules, cases, {.earliest_dates = earliest_dates, .threads = threads});
        }
    }
    py::list position, case_id, programme, decision, earliest, missing, reasons;
    if (table) {  // decisions only, in report order like the full ones
        const auto programmes = rules.programmes();
        const auto order = rules.report_order();
        std::vector<py::object> names, decisions;
        for (std::size_t p : order) names.push_back(py::str(programmes[p].id));
        for (auto d : {kelias::Decision::eligible, kelias::Decision::not_eligible, kelias::Decision::undetermined})
            decisions.push_back(py::str(std::string(kelias::to_string(d))));
        for (std::size_t c = 0; c < table->rows(); ++c) {
            py::object id = py::str(ids[c]);
            for (std::size_t k = 0; k < order.size(); ++k) {
                position.append(positions[c]);
                case_id.append(id);
                programme.append(names[k]);
                decision.append(decisions[static_cast<std::size_t>((*table)(c, order[k]))]);
            }
        }
    }
    for (std::size_t c = 0; c < decided.size(); ++c) {
        for (const auto& d : decided[c].decisions) {
            position.append(positions[c]);
            case_id.append(decided[c].case_id);
            programme.append(d.programme);
            decision.append(std::string(kelias::to_string(d.decision)));
            earliest.append(d.earliest_date ? py::cast(d.earliest_date->days) : py::none());
            missing.append(py::cast(d.missing));
            reasons.append(py::cast(reason_texts(d, language)));
        }
    }
    py::dict out;
    out["position"] = position;
    out["case"] = case_id;
    out["programme"] = programme;
    out["decision"] = decision;
    if (!brief) {
        out["earliest_date"] = earliest;
        out["missing"] = missing;
        out["reasons"] = reasons;
    }
    py::list reject_list;
    for (const auto& [i, id, reason] : rejects) reject_list.append(py::make_tuple(i, id, reason));
    out["rejects"] = reject_list;
    return out;
}

// One case in full: (decisions as dicts, text with every condition) or (None, None, diagnostics).
py::tuple explain_json(const RuleSet& rules, const std::string& json, std::optional<int> as_of,
                       const std::string& lang) {
    const kelias::Language language = lang == "lt" ? kelias::Language::lt : kelias::Language::en;
    auto parsed = kelias::parse_case(json, "<case>");
    if (!parsed) return py::make_tuple(py::none(), py::none(), diagnostics_to_python(parsed.error()));
    kelias::CaseInput c = *parsed;
    if (as_of) c.as_of = kelias::Date{*as_of};
    std::optional<kelias::Result<kelias::CaseDecisions>> decided;
    {
        py::gil_scoped_release unlocked;
        decided.emplace(kelias::decide(rules, c));
    }
    if (!*decided) return py::make_tuple(py::none(), py::none(), diagnostics_to_python(decided->error()));
    const kelias::CaseDecisions& d = **decided;
    return py::make_tuple(case_decisions_to_python(d, language),
                          kelias::to_text(d, {.explain = true, .language = language}), py::list());
}

}  // namespace

py::dict programme_decision_to_python(const kelias::ProgrammeDecision& d, kelias::Language language) {
    py::dict out;
    out["programme"] = d.programme;
    out["label"] = d.label().in(language);
    out["decision"] = std::string(kelias::to_string(d.decision));
    py::list reasons;
    for (const auto& r : d.reasons) {
        py::dict reason;
        reason["id"] = r.id();
        reason["value"] = r.value() ? py::cast(*r.value()) : py::none();
        reason["text"] = r.text(language);
        reason["against"] = r.against();
        reason["exclusion"] = r.exclusion();
        reason["source"] = r.source();
        reason["confidence"] = r.confidence();
        reason["inputs"] = r.inputs();
        reason["params"] = r.params();
        reasons.append(std::move(reason));
    }
    out["reasons"] = reasons;
    out["missing"] = d.missing;
    py::list gaps;
    for (const auto& g : d.gaps) gaps.append(py::make_tuple(g.table, g.fact, g.key));
    out["gaps"] = gaps;
    out["earliest_date"] = d.earliest_date ? py::cast(d.earliest_date->days) : py::none();
    return out;
}

py::dict case_decisions_to_python(const kelias::CaseDecisions& d, kelias::Language language) {
    py::dict out;
    out["case"] = d.case_id;
    out["as_of"] = d.as_of ? py::cast(d.as_of->days) : py::none();
    out["rules"] = d.rules_key;
    out["hash"] = d.rules_hash;
    out["assessments"] = d.assessments;
    py::list decisions;
    for (const auto& p : d.decisions) decisions.append(programme_decision_to_python(p, language));
    out["decisions"] = decisions;
    return out;
}

void bind_rules(py::module_& m) {
    py::class_<RuleSet>(m, "RuleSet")
        .def_property_readonly("id", &RuleSet::id)
        .def_property_readonly("version", &RuleSet::version)
        .def_property_readonly("key", &RuleSet::key)
        .def_property_readonly("hash", &RuleSet::hash)
        .def_property_readonly("title", &RuleSet::title)
        .def_property_readonly("file", &RuleSet::file)
        .def("programmes", &programmes_of)
        .def("facts", &facts_of)
        .def(
            "describe",
            [](const RuleSet& r, const std::string& lang) {
                return r.describe(lang == "lt" ? kelias::Language::lt : kelias::Language::en);
            },
            py::arg("lang") = "en")
        .def("same_definition", &RuleSet::same_definition)
        .def("decide_json", &decide_json, py::arg("lines"), py::arg("as_of"), py::arg("earliest_dates"),
             py::arg("threads"), py::arg("lang"), py::arg("brief") = false)
        .def("explain_json", &explain_json, py::arg("json"), py::arg("as_of"), py::arg("lang"));
    m.def(
        "load_rules",
        [](const std::string& text, const std::string& file) { return loaded(kelias::load_rules(text, file)); },
        py::arg("text"), py::arg("file"));
    m.def(
        "case_to_json",
        [](const std::string& text, const std::string& file) -> py::tuple {
            auto parsed = kelias::parse_case(text, file);
            if (!parsed) return py::make_tuple(py::none(), diagnostics_to_python(parsed.error()));
            return py::make_tuple(kelias::to_json(*parsed), py::list());
        },
        py::arg("text"), py::arg("file"));
    m.def(
        "load_rules_file", [](const std::string& path) { return loaded(kelias::load_rules_file(path)); },
        py::arg("path"));
}

}  // namespace kelias_python
