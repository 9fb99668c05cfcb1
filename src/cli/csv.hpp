#pragma once
/// \file csv.hpp
/// RFC 4180 CSV: finding records in a block of text, splitting them into cells, and
/// writing cells back with quotes only where needed.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kelias::cli {

/// One record (a CSV row or a JSONL line) without its line ending.
struct Record {
    std::string_view text;
    std::size_t line = 0;  ///< 1-based line on which the record starts
    bool has_quote = false;
};

/// Cuts a block of text into records. Blank lines are skipped (but counted). In CSV
/// mode a line break inside a quoted cell belongs to the record; in line mode (JSONL)
/// every line is a record.
class RecordScanner {
public:
    enum class Mode { csv, lines };
    RecordScanner(std::string_view text, Mode mode) : text_(text), mode_(mode) {}

    /// Appends up to `max` records to `out`; returns how many were appended.
    std::size_t next(std::size_t max, std::vector<Record>& out);
    bool done() const noexcept { return pos_ >= text_.size(); }
    /// Bytes consumed so far.
    std::size_t offset() const noexcept { return pos_; }

private:
    const char* end_of_quoted_record(const char* from, std::size_t& extra_lines) const noexcept;

    std::string_view text_;
    Mode mode_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

/// Splits a CSV record into cells. Unquoted cells and quoted cells without doubled
/// quotes point into the record; others are unescaped into `scratch`, which must not be
/// touched while the cells are in use. Returns a reason when the quoting is malformed.
const char* split_record(const Record& record, std::vector<std::string_view>& cells, std::string& scratch);

/// Bit i set when text[i] is a comma, for the first min(64, size) bytes.
inline std::uint64_t comma_mask(const char* text, std::size_t size) {
    std::uint64_t mask = 0;
#if defined(__SSE2__)
    if (size >= 64) {
        const __m128i comma = _mm_set1_epi8(',');
        for (int i = 0; i < 4; ++i) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + 16 * i));
            const auto bits = static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, comma)));
            mask |= std::uint64_t{bits} << (16 * i);
        }
        return mask;
    }
#endif
    const std::size_t n = size < 64 ? size : 64;
    for (std::size_t i = 0; i < n; ++i) mask |= std::uint64_t{text[i] == ','} << i;
    return mask;
}

/// Calls f(index, cell) for every cell of a record without quotes; returns the cell count.
/// Commas are found 64 bytes at a time: with short cells of varying length, a byte loop
/// mispredicts its exit on almost every cell.
template <class F>
std::size_t for_each_unquoted_cell(std::string_view text, F&& f) {
    const char* const data = text.data();
    const char* start = data;
    std::size_t index = 0;
    for (std::size_t block = 0; block < text.size(); block += 64) {
        for (std::uint64_t mask = comma_mask(data + block, text.size() - block); mask != 0; mask &= mask - 1) {
            const char* comma = data + block + static_cast<std::size_t>(std::countr_zero(mask));
            f(index++, std::string_view(start, static_cast<std::size_t>(comma - start)));
            start = comma + 1;
        }
    }
    f(index++, std::string_view(start, static_cast<std::size_t>(data + text.size() - start)));
    return index;
}

/// Appends `cell`, quoted only when it holds a comma, a quote or a line break.
void append_csv_cell(std::string& out, std::string_view cell);

}  // namespace kelias::cli
