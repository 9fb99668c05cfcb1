#include "io/csv.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__x86_64__) || defined(_M_X64)
#define KELIAS_X86_64 1
#include <immintrin.h>
#endif

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

const char* find_byte(const char* from, const char* end, char c) noexcept {
    const void* p = std::memchr(from, c, static_cast<std::size_t>(end - from));
    return p ? static_cast<const char*>(p) : end;
}

StructureMasks scalar_masks(const char* text, std::size_t size) noexcept {
    StructureMasks m;
    for (std::size_t i = 0; i < size; ++i) {
        m.newlines |= std::uint64_t{text[i] == '\n'} << i;
        m.quotes |= std::uint64_t{text[i] == '"'} << i;
    }
    return m;
}

#if defined(KELIAS_X86_64)
// The SIMD kernels read 64 bytes: a shorter tail is copied into a zeroed block first.
template <class Full>
StructureMasks with_padding(const char* text, std::size_t size, Full full) noexcept {
    if (size >= 64) return full(text);
    alignas(64) char block[64] = {};
    std::memcpy(block, text, size);
    return full(block);
}

StructureMasks sse2_block(const char* text) noexcept {
    StructureMasks m;
    const __m128i newline = _mm_set1_epi8('\n');
    const __m128i quote = _mm_set1_epi8('"');
    for (int i = 0; i < 4; ++i) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + 16 * i));
        const auto n = static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, newline)));
        const auto q = static_cast<std::uint16_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, quote)));
        m.newlines |= std::uint64_t{n} << (16 * i);
        m.quotes |= std::uint64_t{q} << (16 * i);
    }
    return m;
}

StructureMasks sse2_masks(const char* text, std::size_t size) noexcept { return with_padding(text, size, sse2_block); }

__attribute__((target("avx2"))) StructureMasks avx2_block(const char* text) noexcept {
    StructureMasks m;
    const __m256i newline = _mm256_set1_epi8('\n');
    const __m256i quote = _mm256_set1_epi8('"');
    for (int i = 0; i < 2; ++i) {
        const __m256i bytes = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(text + 32 * i));
        const auto n = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(bytes, newline)));
        const auto q = static_cast<std::uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(bytes, quote)));
        m.newlines |= std::uint64_t{n} << (32 * i);
        m.quotes |= std::uint64_t{q} << (32 * i);
    }
    return m;
}

StructureMasks avx2_masks(const char* text, std::size_t size) noexcept { return with_padding(text, size, avx2_block); }
#endif

}  // namespace

ScanKernel resolve_scan_kernel(ScanKernel wanted) noexcept {
#if defined(KELIAS_X86_64)
    const bool avx2 = __builtin_cpu_supports("avx2");
    if (wanted == ScanKernel::automatic) return avx2 ? ScanKernel::avx2 : ScanKernel::sse2;
    if (wanted == ScanKernel::avx2 && !avx2) return ScanKernel::sse2;
    return wanted;
#else
    (void)wanted;
    return ScanKernel::scalar;
#endif
}

StructureMaskFunction structure_mask_function(ScanKernel kernel) noexcept {
    switch (kernel) {
#if defined(KELIAS_X86_64)
    case ScanKernel::avx2:
        return avx2_masks;
    case ScanKernel::sse2:
    case ScanKernel::automatic:
        return sse2_masks;
#endif
    default:
        return scalar_masks;
    }
}

// Walks a record that holds quotes with the cell grammar, so that a quote in the middle of
// an unquoted cell (lenient input) does not start a quoted section. Only line breaks and
// quotes matter to where a record ends, and delimiters to where a cell starts. Returns `end` when the record
// is not finished within the text.
const char* RecordScanner::end_of_quoted_record(const char* p, const char* end,
                                                std::size_t& extra_lines) const noexcept {
    enum { cell_start, unquoted, quoted, quote_in_quoted } state = cell_start;
    for (; p != end; ++p) {
        const char c = *p;
        switch (state) {
        case cell_start:
            if (c == '"')
                state = quoted;
            else if (c == '\n')
                return p;
            else if (c != delimiter_)
                state = unquoted;
            break;
        case unquoted:
            if (c == '\n') return p;
            if (c == delimiter_) state = cell_start;
            break;
        case quoted:
            if (c == '"')
                state = quote_in_quoted;
            else if (c == '\n')
                ++extra_lines;
            break;
        case quote_in_quoted:
            if (c == '"')
                state = quoted;
            else if (c == '\n')
                return p;
            else if (c == delimiter_)
                state = cell_start;
            else
                state = unquoted;
            break;
        }
    }
    return end;
}

std::size_t RecordScanner::scan(std::string_view text, std::size_t max, bool last, std::vector<Record>& out) {
    const char* const data = text.data();
    const char* const end = data + text.size();
    const bool csv = mode_ == Mode::csv;
    // The masks of [window, window + window_size): records share a window while they start
    // in it, so each byte is looked at once however short the records are.
    const char* window = nullptr;
    std::size_t window_size = 0;
    StructureMasks masks;
    auto load = [&](const char* at) {
        window = at;
        window_size = std::min<std::size_t>(64, static_cast<std::size_t>(end - at));
        masks = masks_(at, window_size);
    };
    std::size_t added = 0;
    while (added < max && pos_ < text.size()) {
        const char* begin = data + pos_;
        if (window == nullptr || begin < window || begin >= window + window_size) load(begin);
        std::size_t skip = static_cast<std::size_t>(begin - window);
        // The first line break from `begin` on, and whether a quote comes before it.
        const char* stop = end;
        bool has_quote = false;
        for (;;) {
            const std::uint64_t newlines = masks.newlines >> skip;
            const std::uint64_t quotes = csv ? masks.quotes >> skip : 0;
            if (newlines != 0) {
                const int at = std::countr_zero(newlines);
                has_quote = (quotes & ((std::uint64_t{1} << at) - 1)) != 0;
                stop = window + skip + static_cast<std::size_t>(at);
                break;
            }
            if (quotes != 0) {
                has_quote = true;
                break;
            }
            if (window + window_size == end) break;
            load(window + window_size);
            skip = 0;
        }
        std::size_t extra_lines = 0;
        if (has_quote) stop = end_of_quoted_record(begin, end, extra_lines);
        if (stop == end && !last) break;  // the rest of this record is in the next block
        pos_ = static_cast<std::size_t>(stop - data) + (stop == end ? 0 : 1);
        const std::size_t line = line_;
        line_ += 1 + extra_lines;
        const char* text_end = stop;
        if (text_end != begin && text_end[-1] == '\r') --text_end;
        if (text_end == begin) continue;
        out.push_back({{begin, static_cast<std::size_t>(text_end - begin)}, line, has_quote});
        ++added;
    }
    return added;
}

const char* split_record(const Record& record, char delimiter, std::vector<std::string_view>& cells,
                         std::string& scratch) {
    cells.clear();
    if (!record.has_quote) {
        for_each_unquoted_cell(record.text, delimiter,
                               [&](std::size_t, std::string_view cell) { cells.push_back(cell); });
        return nullptr;
    }
    scratch.clear();
    scratch.reserve(record.text.size());  // unescaped text is never longer: views stay valid
    const char* p = record.text.data();
    const char* const end = p + record.text.size();
    for (;;) {
        if (p != end && *p == '"') {
            const char* start = ++p;
            bool doubled = false;
            for (;; ++p) {
                if (p == end) return "unterminated quoted cell";
                if (*p != '"') continue;
                if (p + 1 != end && p[1] == '"') {
                    doubled = true;
                    ++p;
                    continue;
                }
                break;
            }
            if (!doubled) {
                cells.emplace_back(start, static_cast<std::size_t>(p - start));
            } else {
                const std::size_t first = scratch.size();
                for (const char* q = start; q != p; ++q) {
                    scratch.push_back(*q);
                    if (*q == '"') ++q;
                }
                cells.emplace_back(scratch.data() + first, scratch.size() - first);
            }
            ++p;  // the closing quote
            if (p == end) return nullptr;
            if (*p != delimiter) return "text after the closing quote of a cell";
            ++p;
            if (p == end) {
                cells.emplace_back();
                return nullptr;
            }
            continue;
        }
        const char* next = find_byte(p, end, delimiter);
        cells.emplace_back(p, static_cast<std::size_t>(next - p));
        if (next == end) return nullptr;
        p = next + 1;
        if (p == end) {
            cells.emplace_back();
            return nullptr;
        }
    }
}

void append_csv_cell(std::string& out, std::string_view cell, char delimiter) {
    const char specials[] = {delimiter, '"', '\r', '\n', '\0'};
    if (cell.find_first_of(specials) == std::string_view::npos) {
        out += cell;
        return;
    }
    out += '"';
    for (char c : cell) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

char detect_delimiter(std::string_view header) {
    std::size_t commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (char c : header) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        commas += c == ',';
        semicolons += c == ';';
        tabs += c == '\t';
    }
    if (semicolons > commas && semicolons >= tabs) return ';';
    if (tabs > commas && tabs > semicolons) return '\t';
    return ',';
}

}  // namespace detail
KELIAS_END_NAMESPACE
