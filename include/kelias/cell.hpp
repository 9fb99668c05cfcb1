#pragma once
/// \file cell.hpp
/// The three states of every input value, and reading one cell of text for a field.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE

class Instrument;

/// Every field holds a value, `na` (not applicable: a known fact) or nothing (omitted:
/// unknown). An omitted item is never zero.
enum class CellState : std::uint8_t { value = 0, na = 1, omitted = 2 };

/// The outcome of reading one cell of text.
struct ParsedCell {
    CellState state = CellState::omitted;
    double value = 0;             ///< numbers, booleans (0/1), dates (days), codes (internal index)
    const char* error = nullptr;  ///< a static reason when the text is not valid for the field
};

/// Reads the text of one cell for field `field` of `instrument`: a number or code on the
/// field's scale, `true`/`false`, an ISO date, `na`, and empty or `omitted` for omitted.
/// Leading and trailing blanks are ignored. Never throws; a bad `field` index is an error.
ParsedCell parse_cell(const Instrument& instrument, std::size_t field, std::string_view text) noexcept;

KELIAS_END_NAMESPACE
