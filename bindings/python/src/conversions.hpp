#pragma once
// Conversions of decisions to Python dicts, shared by the rules and planning bindings.
#include <pybind11/pybind11.h>

#include <kelias/rules.hpp>

namespace kelias_python {

namespace py = pybind11;

/// {"programme", "label", "decision", "reasons": [...], "missing", "gaps", "earliest_date"
/// (days or None)}, texts in `language`.
py::dict programme_decision_to_python(const kelias::ProgrammeDecision& d, kelias::Language language);
/// {"case", "as_of", "rules", "hash", "assessments", "decisions": [...]}.
py::dict case_decisions_to_python(const kelias::CaseDecisions& d, kelias::Language language);

}  // namespace kelias_python
