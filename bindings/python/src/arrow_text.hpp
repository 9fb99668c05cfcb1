#pragma once
// Text columns from Arrow buffers, parsed in C++ (src/arrow_text.cpp); bound as
// Instrument.parse_arrow_columns by instrument_bindings.cpp.
#include <pybind11/pybind11.h>

#include <kelias/instrument.hpp>

namespace kelias_python {

namespace py = pybind11;

/// Parses text columns given by the addresses of their Arrow buffers, with the GIL
/// released, on up to `threads` threads (0: every core). `columns` is
/// `[(field, rows, [(layout, length, offset, validity, offsets, (data, ...)), ...])]`,
/// layout `string`, `large_string` or `string_view` (then `offsets` is the views buffer and
/// the data tuple the variadic buffers), addresses as integers (validity 0: no nulls); the
/// caller keeps the arrays alive for the call. Returns `[(values float64, states uint8,
/// [(row, reason)])]`, the same as parse_column() gives for the same cells.
py::list parse_arrow_columns(const kelias::Instrument& instrument, const py::list& columns, unsigned threads);

}  // namespace kelias_python
