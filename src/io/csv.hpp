#pragma once
// RFC 4180 CSV (with `,`, `;` or tab between cells): finding records in blocks of text,
// splitting them into cells, and writing cells back with quotes only where needed.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// One record (a CSV row or a JSONL line) without its line ending.
struct Record {
    std::string_view text;
    std::size_t line = 0;  ///< 1-based line on which the record starts
    bool has_quote = false;
};

/// Where the bytes that shape records (line breaks and quotes) are in up to 64 bytes of
/// text: bit i stands for text[i]; bits past the text are 0.
struct StructureMasks {
    std::uint64_t newlines = 0;
    std::uint64_t quotes = 0;
};

/// Which instructions find the structure: SSE2 is the x86-64 baseline, AVX2 is used when
/// the processor has it (checked at run time), plain C++ elsewhere. All give the same masks.
enum class ScanKernel : std::uint8_t { automatic, scalar, sse2, avx2 };

/// The kernel `wanted` stands for on this processor: `automatic` becomes the fastest one
/// available; one that is not available falls back to the next slower.
ScanKernel resolve_scan_kernel(ScanKernel wanted) noexcept;

/// Computes the masks of text[0, size) (size <= 64) with `kernel` (already resolved).
using StructureMaskFunction = StructureMasks (*)(const char* text, std::size_t size) noexcept;
StructureMaskFunction structure_mask_function(ScanKernel kernel) noexcept;

/// Cuts blocks of text into records, finding line breaks and quotes 64 bytes at a time
/// (a record with a quote on its first line is then walked byte by byte with the cell
/// grammar). Blank lines are skipped (but counted). In CSV mode a
/// line break inside a quoted cell belongs to the record; in line mode (JSONL) every line
/// is a record. A block may end in the middle of a record: that record is left for the
/// next block, unless the block is the last.
class RecordScanner {
public:
    enum class Mode { csv, lines };
    explicit RecordScanner(Mode mode, char delimiter = ',', ScanKernel kernel = ScanKernel::automatic)
        : mode_(mode), delimiter_(delimiter), masks_(structure_mask_function(resolve_scan_kernel(kernel))) {}
    void set_delimiter(char delimiter) noexcept { delimiter_ = delimiter; }

    /// Appends to `out` up to `max` records of `text` from offset() on; returns how many.
    std::size_t scan(std::string_view text, std::size_t max, bool last, std::vector<Record>& out);
    /// Bytes of the block consumed so far (the start of the first record not yet returned).
    std::size_t offset() const noexcept { return pos_; }
    /// The caller dropped the first `bytes` of its block (all consumed).
    void dropped(std::size_t bytes) noexcept { pos_ -= bytes; }
    /// The line the next record starts on.
    std::size_t line() const noexcept { return line_; }

private:
    const char* end_of_quoted_record(const char* from, const char* end, std::size_t& extra_lines) const noexcept;

    Mode mode_;
    char delimiter_;
    StructureMaskFunction masks_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
};

/// Splits a CSV record into cells. Unquoted cells and quoted cells without doubled quotes
/// point into the record; others are unescaped into `scratch`, which must not be touched
/// while the cells are in use. Returns a reason when the quoting is malformed.
const char* split_record(const Record& record, char delimiter, std::vector<std::string_view>& cells,
                         std::string& scratch);

/// Bit i set when text[i] is `delimiter`, for the first min(64, size) bytes.
inline std::uint64_t delimiter_mask(const char* text, std::size_t size, char delimiter) {
    std::uint64_t mask = 0;
#if defined(__SSE2__)
    if (size >= 64) {
        const __m128i wanted = _mm_set1_epi8(delimiter);
        for (int i = 0; i < 4; ++i) {
            const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + 16 * i));
            const auto bits = static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, wanted)));
            mask |= std::uint64_t{bits} << (16 * i);
        }
        return mask;
    }
#endif
    const std::size_t n = size < 64 ? size : 64;
    for (std::size_t i = 0; i < n; ++i) mask |= std::uint64_t{text[i] == delimiter} << i;
    return mask;
}

/// Calls f(index, cell) for every cell of a record without quotes; returns the cell count.
/// Delimiters are found 64 bytes at a time: with short cells of varying length, a byte loop
/// mispredicts its exit on almost every cell.
template <class F>
std::size_t for_each_unquoted_cell(std::string_view text, char delimiter, F&& f) {
    const char* const data = text.data();
    const char* start = data;
    std::size_t index = 0;
    for (std::size_t block = 0; block < text.size(); block += 64) {
        for (std::uint64_t mask = delimiter_mask(data + block, text.size() - block, delimiter); mask != 0;
             mask &= mask - 1) {
            const char* at = data + block + static_cast<std::size_t>(std::countr_zero(mask));
            f(index++, std::string_view(start, static_cast<std::size_t>(at - start)));
            start = at + 1;
        }
    }
    f(index++, std::string_view(start, static_cast<std::size_t>(data + text.size() - start)));
    return index;
}

/// Appends `cell`, quoted only when it holds the delimiter, a quote or a line break.
void append_csv_cell(std::string& out, std::string_view cell, char delimiter = ',');

/// The delimiter a header line uses: the most frequent of `,` `;` and tab outside quotes
/// (`,` when none appears).
char detect_delimiter(std::string_view header);

}  // namespace detail
KELIAS_END_NAMESPACE
