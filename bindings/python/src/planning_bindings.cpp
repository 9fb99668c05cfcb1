// Plan policies and pathways in Python: the plan of one case (as the JSON kelias::to_json
// writes, which the package turns into dataclasses) and the open moves of one case.
#include <optional>
#include <string>

#include <pybind11/stl.h>

#include <kelias/kelias.hpp>

#include "bindings.hpp"
#include "conversions.hpp"

namespace kelias_python {
namespace {

using kelias::Pathway;
using kelias::PlanPolicy;
using kelias::RuleSet;

kelias::Language language_of(const std::string& lang) {
    return lang == "lt" ? kelias::Language::lt : kelias::Language::en;
}

template <class T>
py::tuple loaded(const kelias::Result<T>& r) {
    return py::make_tuple(r ? py::cast(*r) : py::none(), diagnostics_to_python(r.diagnostics()));
}

// A case from its JSON text, with `as_of` when given; the diagnostics when it does not read.
std::optional<kelias::CaseInput> read_case(const std::string& json, std::optional<int> as_of, py::list& problems) {
    auto parsed = kelias::parse_case(json, "<case>");
    if (!parsed) {
        problems = diagnostics_to_python(parsed.error());
        return std::nullopt;
    }
    kelias::CaseInput c = *parsed;
    if (as_of) c.as_of = kelias::Date{*as_of};
    if (!c.as_of) {
        problems = diagnostics_to_python({{kelias::Severity::error,
                                           kelias::DiagnosticCode::malformed_case,
                                           "the case has no as_of date",
                                           "give as_of (plans and moves never read the clock)",
                                           {}}});
        return std::nullopt;
    }
    return c;
}

// (plan JSON, plan text) or (None, None, diagnostics), as `kelias plan` makes it.
py::tuple plan_json(const PlanPolicy& policy, const RuleSet& rules, const std::string& json, std::optional<int> as_of,
                    const std::string& lang) {
    py::list problems;
    auto c = read_case(json, as_of, problems);
    if (!c) return py::make_tuple(py::none(), py::none(), problems);
    const kelias::Date date = *c->as_of;
    std::optional<kelias::Result<kelias::Plan>> made;
    std::vector<kelias::Diagnostic> failed;
    {
        py::gil_scoped_release unlocked;
        kelias::CaseInput one = kelias::with_progress_facts(std::move(*c), policy, rules, date);
        auto decided = kelias::decide(rules, one);
        if (decided)
            made.emplace(kelias::plan(one, *decided, policy, date));
        else
            failed = decided.error();
    }
    if (!made) return py::make_tuple(py::none(), py::none(), diagnostics_to_python(failed));
    if (!*made) return py::make_tuple(py::none(), py::none(), diagnostics_to_python(made->error()));
    return py::make_tuple(kelias::to_json(**made), kelias::to_text(**made, language_of(lang)), py::list());
}

// ({"case", "as_of", "placement", "moves": [...]}, text) or (None, None, diagnostics).
py::tuple open_moves(const Pathway& pathway, const RuleSet& rules, const std::string& json, std::optional<int> as_of,
                     const std::string& lang) {
    py::list problems;
    auto c = read_case(json, as_of, problems);
    if (!c) return py::make_tuple(py::none(), py::none(), problems);
    const kelias::Language language = language_of(lang);
    const auto found = without_gil([&] { return kelias::open_moves(pathway, rules, *c, *c->as_of); });
    if (!found) return py::make_tuple(py::none(), py::none(), diagnostics_to_python(found.error()));
    const kelias::OpenMoves& moves = *found;
    py::dict out;
    out["case"] = moves.case_id;
    out["as_of"] = moves.as_of.days;
    out["placement"] = moves.placement;
    py::list list;
    for (const auto& m : moves.moves) {
        py::dict d;
        d["move"] = m.move;
        d["allowed"] = m.allowed;
        d["taken"] = m.taken ? py::cast(std::string(kelias::to_string(*m.taken))) : py::none();
        d["next"] = std::string(kelias::to_string(m.next));
        d["roles"] = m.roles;
        d["guard"] = programme_decision_to_python(m.guard, language);
        d["earliest_date"] = m.earliest_date ? py::cast(m.earliest_date->days) : py::none();
        d["blocked_by"] = m.blocked_by;
        list.append(std::move(d));
    }
    out["moves"] = list;
    return py::make_tuple(out, kelias::to_text(moves, pathway, language), py::list());
}

}  // namespace

void bind_planning(py::module_& m) {
    py::class_<PlanPolicy>(m, "PlanPolicy")
        .def_property_readonly("id", &PlanPolicy::id)
        .def_property_readonly("version", &PlanPolicy::version)
        .def_property_readonly("key", &PlanPolicy::key)
        .def_property_readonly("hash", &PlanPolicy::hash)
        .def_property_readonly("file", &PlanPolicy::file)
        .def("describe", &PlanPolicy::describe)
        .def("plan_json", &plan_json, py::arg("rules"), py::arg("json"), py::arg("as_of"), py::arg("lang"));
    py::class_<Pathway>(m, "Pathway")
        .def_property_readonly("id", &Pathway::id)
        .def_property_readonly("version", &Pathway::version)
        .def_property_readonly("key", &Pathway::key)
        .def_property_readonly("hash", &Pathway::hash)
        .def_property_readonly("file", &Pathway::file)
        .def_property_readonly("rules_id", &Pathway::rules_id)
        .def(
            "describe", [](const Pathway& p, const std::string& lang) { return p.describe(language_of(lang)); },
            py::arg("lang") = "en")
        .def("moves_json", &open_moves, py::arg("rules"), py::arg("json"), py::arg("as_of"), py::arg("lang"))
        .def("rules", [](const Pathway& p) { return loaded(kelias::load_pathway_rules(p)); });
    m.def(
        "load_plan_policy",
        [](const std::string& text, const std::string& file) { return loaded(kelias::load_plan_policy(text, file)); },
        py::arg("text"), py::arg("file"));
    m.def(
        "load_pathway",
        [](const std::string& text, const std::string& file, const RuleSet* rules) {
            if (rules) return loaded(kelias::load_pathway(text, file, *rules));
            // The rule set the pathway names, found beside the file or by id.
            return loaded(kelias::load_pathway_file(file, nullptr));
        },
        py::arg("text"), py::arg("file"), py::arg("rules"));
}

}  // namespace kelias_python
