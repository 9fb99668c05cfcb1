#pragma once
// The pieces of the module kelias._core: one bind function per area, each defined in its
// own src/<area>_bindings.cpp and called by module.cpp, plus the conversions they share.
#include <string>
#include <utility>
#include <vector>

#include <pybind11/pybind11.h>

#include <kelias/diagnostic.hpp>

namespace kelias_python {

namespace py = pybind11;

/// Diagnostics as Python dicts: severity, code, message, hint, file, line, column and
/// `text` (formatted as the CLI prints it).
py::list diagnostics_to_python(const std::vector<kelias::Diagnostic>& diagnostics);

/// Runs `work` with the GIL released and returns its result. `work` must touch no Python
/// object (arrays it reads are held by the caller).
template <class F>
decltype(auto) without_gil(F&& work) {
    py::gil_scoped_release unlocked;
    return std::forward<F>(work)();
}

/// Instruments: loading, fields and scores, scoring columns, explanations, files.
void bind_instrument(py::module_& m);
/// Rule sets: loading, deciding JSON cases, explanations.
void bind_rules(py::module_& m);
/// Plan policies and pathways: plans and open moves of one case.
void bind_planning(py::module_& m);
/// Statistics (src/stats_bindings.cpp, when present).
void bind_stats(py::module_& m);

}  // namespace kelias_python
