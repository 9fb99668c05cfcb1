// Named columns of a CSV file, for the statistics (kelias/csv_columns.hpp).
#include <kelias/csv_columns.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>

#include "base/text.hpp"
#include "io/csv.hpp"
#include "io/input_source.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

constexpr std::string_view bom = "\xEF\xBB\xBF";

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool parse_number(std::string_view cell, double& out) {
    if (cell.empty() || cell == "NA" || cell == "na") {
        out = std::numeric_limits<double>::quiet_NaN();
        return true;
    }
    if (cell.front() == '+') cell.remove_prefix(1);
    const auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), out);
    return ec == std::errc{} && ptr == cell.data() + cell.size() && std::isfinite(out);
}

Diagnostic located(DiagnosticCode code, std::string message, const std::string& file, std::size_t line,
                   std::size_t column, std::string hint = {}) {
    return {Severity::error, code, std::move(message), std::move(hint),
            Location{file, static_cast<int>(line), static_cast<int>(column)}};
}

Result<CsvColumns> parse(std::string_view text, const std::string& name, const CsvColumnsOptions& options) {
    if (text.substr(0, bom.size()) == bom) text.remove_prefix(bom.size());
    std::vector<detail::Record> records;
    {
        detail::RecordScanner probe(detail::RecordScanner::Mode::csv, ',');
        probe.scan(text, 1, true, records);
    }
    if (records.empty())
        return std::vector<Diagnostic>{
            located(DiagnosticCode::unreadable_file, "the file is empty (no header row)", name, 1, 1)};
    const char delimiter = options.delimiter ? options.delimiter : detail::detect_delimiter(records[0].text);
    records.clear();
    detail::RecordScanner scanner(detail::RecordScanner::Mode::csv, delimiter);
    scanner.scan(text, std::numeric_limits<std::size_t>::max(), true, records);

    std::vector<std::string_view> cells;
    std::string scratch;
    std::vector<Diagnostic> problems;
    const detail::Record& head = records[0];
    if (const char* error = detail::split_record(head, delimiter, cells, scratch))
        return std::vector<Diagnostic>{
            located(DiagnosticCode::invalid_cell, std::string("header: ") + error, name, head.line, 1)};
    if (cells.size() > options.max_columns)
        return std::vector<Diagnostic>{located(DiagnosticCode::input_limit,
                                               "the header has " + std::to_string(cells.size()) +
                                                   " columns, more than the limit of " +
                                                   std::to_string(options.max_columns),
                                               name, head.line, 1)};
    std::vector<std::string> header;
    for (std::string_view c : cells) header.emplace_back(trim(c));
    std::string listing;
    for (const std::string& h : header) listing += (listing.empty() ? "" : ", ") + detail::for_message(h);

    CsvColumns out;
    out.numeric_names = options.numeric;
    out.categorical_names = options.categorical;
    auto find = [&](const std::string& wanted) -> std::ptrdiff_t {
        for (std::size_t j = 0; j < header.size(); ++j)
            if (header[j] == wanted) return static_cast<std::ptrdiff_t>(j);
        problems.push_back(located(DiagnosticCode::unknown_column,
                                   "no column '" + detail::for_message(wanted) + "' in the header", name, head.line, 1,
                                   "the columns are: " + listing));
        return -1;
    };
    std::vector<std::ptrdiff_t> numeric_at, categorical_at;
    for (const std::string& n : options.numeric) numeric_at.push_back(find(n));
    for (const std::string& c : options.categorical) categorical_at.push_back(find(c));
    if (!problems.empty()) return problems;

    out.numeric.resize(numeric_at.size());
    out.categorical.resize(categorical_at.size());
    for (std::size_t r = 1; r < records.size(); ++r) {
        const detail::Record& record = records[r];
        if (const char* error = detail::split_record(record, delimiter, cells, scratch)) {
            problems.push_back(located(DiagnosticCode::invalid_cell, error, name, record.line, 1));
        } else if (cells.size() != header.size()) {
            problems.push_back(located(DiagnosticCode::invalid_cell,
                                       "the row has " + std::to_string(cells.size()) + " cells, the header has " +
                                           std::to_string(header.size()),
                                       name, record.line, 1));
        } else {
            for (std::size_t j = 0; j < numeric_at.size(); ++j) {
                const auto at = static_cast<std::size_t>(numeric_at[j]);
                double v = 0;
                if (!parse_number(trim(cells[at]), v)) {
                    problems.push_back(located(DiagnosticCode::invalid_cell,
                                               "column '" + detail::for_message(options.numeric[j]) + "': not a number",
                                               name, record.line, at + 1, "leave the cell empty (or NA) when missing"));
                    v = std::numeric_limits<double>::quiet_NaN();
                }
                out.numeric[j].push_back(v);
            }
            for (std::size_t j = 0; j < categorical_at.size(); ++j) {
                const std::string_view cell = trim(cells[static_cast<std::size_t>(categorical_at[j])]);
                out.categorical[j].emplace_back(cell == "NA" ? std::string_view{} : cell);
            }
            out.lines.push_back(record.line);
        }
        if (problems.size() >= options.max_errors) {
            problems.push_back(located(DiagnosticCode::invalid_cell,
                                       "reading stopped after " + std::to_string(options.max_errors) + " problems",
                                       name, record.line, 1));
            break;
        }
    }
    if (!problems.empty()) return problems;
    out.rows = out.lines.size();
    return out;
}

}  // namespace

std::span<const double> CsvColumns::number(std::string_view name) const {
    for (std::size_t j = 0; j < numeric_names.size(); ++j)
        if (numeric_names[j] == name) return numeric[j];
    throw std::out_of_range("no numeric column '" + std::string(name) + "' was read");
}

std::span<const std::string> CsvColumns::category(std::string_view name) const {
    for (std::size_t j = 0; j < categorical_names.size(); ++j)
        if (categorical_names[j] == name) return categorical[j];
    throw std::out_of_range("no categorical column '" + std::string(name) + "' was read");
}

Result<CsvColumns> read_csv_columns_text(std::string text, const std::string& name, const CsvColumnsOptions& options) {
    return parse(text, name, options);
}

Result<CsvColumns> read_csv_columns(const std::string& path, const CsvColumnsOptions& options) {
    const std::string name = options.source_name.empty() ? (path == "-" ? "<stdin>" : path) : options.source_name;
    auto input = detail::InputSource::open(path, name, options.max_bytes);
    if (!input) return input.error();
    if (const auto size = input->size(); size && *size > options.max_bytes)
        return std::vector<Diagnostic>{{Severity::error, DiagnosticCode::input_limit,
                                        "'" + detail::for_message(name) + "' has " + std::to_string(*size) +
                                            " bytes, more than the limit of " + std::to_string(options.max_bytes) +
                                            " (statistics read their input whole)",
                                        "", Location{name, 0, 0}}};
    std::string text;
    constexpr std::size_t block = std::size_t{1} << 20;
    for (;;) {
        const std::size_t size = text.size();
        text.resize(size + block);
        auto got = input->read(text.data() + size, block);
        if (!got) return got.error();
        text.resize(size + *got);
        if (*got < block) break;
    }
    return parse(text, name, options);
}

KELIAS_END_NAMESPACE
