#include "io/csv.hpp"

#include <cstring>

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

const char* find_byte(const char* from, const char* end, char c) noexcept {
    const void* p = std::memchr(from, c, static_cast<std::size_t>(end - from));
    return p ? static_cast<const char*>(p) : end;
}

}  // namespace

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
    std::size_t added = 0;
    while (added < max && pos_ < text.size()) {
        const char* begin = data + pos_;
        const char* stop = find_byte(begin, end, '\n');
        std::size_t extra_lines = 0;
        const bool has_quote = mode_ == Mode::csv && find_byte(begin, stop, '"') != stop;
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
