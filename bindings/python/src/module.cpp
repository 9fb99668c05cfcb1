// The module kelias._core: the version, the diagnostics conversion and each area's bindings.
// The pure-Python package `kelias` (bindings/python/kelias/) is the public face; this
// module is its engine and is not meant to be used directly.
#include "bindings.hpp"

#include <kelias/kelias.hpp>

namespace kelias_python {

py::list diagnostics_to_python(const std::vector<kelias::Diagnostic>& diagnostics) {
    py::list out;
    for (const auto& d : diagnostics) {
        py::dict item;
        item["severity"] = d.severity == kelias::Severity::error ? "error" : "warning";
        item["code"] = std::string(kelias::code_text(d.code));
        item["message"] = d.message;
        item["hint"] = d.hint;
        item["file"] = d.where.file;
        item["line"] = d.where.line;
        item["column"] = d.where.column;
        item["text"] = kelias::format(d);
        out.append(std::move(item));
    }
    return out;
}

}  // namespace kelias_python

namespace {
// _core.Error, made once when the module is imported and never destroyed (it must outlive
// the interpreter's last use of the module); the translator, a plain function, reads it.
PyObject* core_error = nullptr;
}  // namespace

PYBIND11_MODULE(_core, m) {
    m.doc() = "kelias engine (compiled); use the `kelias` package";
    m.attr("__version__") = std::string(kelias::version());
    // kelias::Error (misuse of the API) arrives as _core.Error, whose args hold the text;
    // the package turns it into kelias.KeliasError.
    namespace py = pybind11;
    core_error = (new py::exception<kelias::Error>(m, "Error", PyExc_RuntimeError))->ptr();
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const kelias::Error& e) {
            py::object diagnostics = kelias_python::diagnostics_to_python(e.diagnostics());
            PyErr_SetObject(core_error, py::make_tuple(e.what(), diagnostics).ptr());
        }
    });
    kelias_python::bind_instrument(m);
    kelias_python::bind_rules(m);
    kelias_python::bind_planning(m);
#ifdef KELIAS_PYTHON_HAS_STATS
    kelias_python::bind_stats(m);
#endif
}
