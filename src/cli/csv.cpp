#include "cli/csv.hpp"

#include <cstring>

namespace kelias::cli {
namespace {

const char* find_byte(const char* from, const char* end, char c) noexcept {
    const void* p = std::memchr(from, c, static_cast<std::size_t>(end - from));
    return p ? static_cast<const char*>(p) : end;
}

}  // namespace

// Walks a record that holds quotes with the cell grammar, so that a quote in the middle
// of an unquoted cell (lenient input) does not start a quoted section.
const char* RecordScanner::end_of_quoted_record(const char* p, std::size_t& extra_lines) const noexcept {
    enum { cell_start, unquoted, quoted, quote_in_quoted } state = cell_start;
    const char* const end = text_.data() + text_.size();
    for (; p != end; ++p) {
        const char c = *p;
        switch (state) {
            case cell_start:
                if (c == '"') state = quoted;
                else if (c == '\n') return p;
                else if (c != ',') state = unquoted;
                break;
            case unquoted:
                if (c == ',') state = cell_start;
                else if (c == '\n') return p;
                break;
            case quoted:
                if (c == '"') state = quote_in_quoted;
                else if (c == '\n') ++extra_lines;
                break;
            case quote_in_quoted:
                if (c == '"') state = quoted;
                else if (c == ',') state = cell_start;
                else if (c == '\n') return p;
                else state = unquoted;
                break;
        }
    }
    return end;
}

std::size_t RecordScanner::next(std::size_t max, std::vector<Record>& out) {
    const char* const data = text_.data();
    const char* const end = data + text_.size();
    std::size_t added = 0;
    while (added < max && pos_ < text_.size()) {
        const char* begin = data + pos_;
        const char* stop = find_byte(begin, end, '\n');
        std::size_t extra_lines = 0;
        const bool has_quote = mode_ == Mode::csv && find_byte(begin, stop, '"') != stop;
        if (has_quote) stop = end_of_quoted_record(begin, extra_lines);
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

const char* split_record(const Record& record, std::vector<std::string_view>& cells, std::string& scratch) {
    cells.clear();
    if (!record.has_quote) {
        for_each_unquoted_cell(record.text, [&](std::size_t, std::string_view cell) { cells.push_back(cell); });
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
            if (*p != ',') return "text after the closing quote of a cell";
            ++p;
            if (p == end) {
                cells.emplace_back();
                return nullptr;
            }
            continue;
        }
        const char* comma = find_byte(p, end, ',');
        cells.emplace_back(p, static_cast<std::size_t>(comma - p));
        if (comma == end) return nullptr;
        p = comma + 1;
        if (p == end) {
            cells.emplace_back();
            return nullptr;
        }
    }
}

void append_csv_cell(std::string& out, std::string_view cell) {
    if (cell.find_first_of(",\"\r\n") == std::string_view::npos) {
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

}  // namespace kelias::cli
