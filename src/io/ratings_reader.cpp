// RatingsReader: CSV or JSONL ratings, read in blocks and parsed in parallel into batches.
#include <kelias/ratings_io.hpp>

#include <algorithm>
#include <cstring>
#include <future>
#include <system_error>
#include <unordered_map>
#include <unordered_set>

#include "base/json_scanner.hpp"
#include "base/parallel.hpp"
#include "base/text.hpp"
#include "evaluation/assessment_header_check.hpp"
#include "io/cell_cache.hpp"
#include "io/csv.hpp"
#include "io/input_source.hpp"
#include "model/instrument_data.hpp"
#include "model/ratings_access.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

using detail::for_message;
using detail::Record;
using detail::RecordScanner;

/// Bytes read from the input at a time. A chunk of rows never spans more than the buffer.
constexpr std::size_t block_bytes = std::size_t{32} << 20;
/// Unknown columns described one by one (with a hint each); the rest are counted.
constexpr std::size_t described_unknown_columns = 20;

constexpr std::string_view bom = "\xEF\xBB\xBF";
/// Ratings files name the assessment fields' columns `header.ID`.
constexpr std::string_view header_prefix = "header.";

/// One row's header cells, per assessment field (a parsing thread's scratch).
struct HeaderCells {
    std::vector<std::string> text;
    std::vector<char> given;
    explicit HeaderCells(std::size_t fields) : text(fields), given(fields, 0) {}
    void clear() { std::fill(given.begin(), given.end(), 0); }
    void set(int field, std::string_view cell) {
        text[static_cast<std::size_t>(field)].assign(cell);
        given[static_cast<std::size_t>(field)] = 1;
    }
};

// What a column of the input holds, when it is not simply an instrument field.
struct ColumnRole {
    int field = -1;   // instrument field
    int pass = -1;    // pass-through column
    int header = -1;  // assessment field (`header.ID`), checked per row and not stored
    bool id = false;
    bool date = false;
    std::size_t slot = 0;  // JSONL: this key's place among the keys, to find one given twice
};

constexpr int id_target = -1;
constexpr int other_target = -2;  // pass-through, date, or both: see roles

std::vector<Diagnostic> input_error(DiagnosticCode code, std::string message, std::string hint = {},
                                    Location where = {}) {
    return {{Severity::error, code, std::move(message), std::move(hint), std::move(where)}};
}

std::string delimiter_name(char d) { return d == '\t' ? std::string("tab") : "'" + std::string(1, d) + "'"; }

}  // namespace

struct RatingsReader::State {
    State(const Instrument& i, RatingsReaderOptions o, detail::InputSource in)
        : instrument(i), options(std::move(o)), input(std::move(in)),
          scanner(options.format == RatingsFormat::csv ? RecordScanner::Mode::csv : RecordScanner::Mode::lines) {}

    Instrument instrument;
    RatingsReaderOptions options;
    detail::InputSource input;
    RecordScanner scanner;
    char delimiter = ',';

    // The block buffer: valid bytes [0, size), with padding after capacity so that a cell
    // key can always be loaded 8 bytes at a time.
    std::unique_ptr<char[]> buffer;
    std::size_t capacity = 0, size = 0;
    bool eof = false;
    std::vector<Record> records;

    // Columns: per CSV column a field index (>= 0), id_target or other_target.
    std::vector<std::string> header;
    std::vector<int> targets;
    std::vector<ColumnRole> roles;
    std::unordered_map<std::string, ColumnRole> roles_by_name;  // JSONL keys
    std::vector<std::string> pass_through;
    // Whether rows give assessment-header cells to check: CSV, a header.ID column; JSONL,
    // an instrument with assessment fields (any line may give them).
    bool check_headers = false;
    // Fields that not every good row writes, cleared by slice before parsing: for CSV the
    // fields without a column, for JSONL all (a line need not give every key).
    std::vector<std::size_t> unwritten_fields;

    std::string place(std::size_t line) const { return input.name() + ":" + std::to_string(line); }

    Result<bool> fill();
    Result<bool> start();
    Result<bool> read_csv_header();
    Result<bool> check_jsonl_start();
    std::vector<Diagnostic> unknown_columns(std::size_t line, const std::vector<std::string>& names) const;

    struct Findings {
        std::vector<RowProblem> problems;
        std::optional<std::pair<std::size_t, std::vector<Diagnostic>>> failure;  // (row, why the input cannot go on)
    };
    void parse_rows(std::size_t first, std::size_t count, RatingsChunk& chunk, Findings& found) const;
    // Where a parsing thread writes the cells of a CSV column: the field's value and state
    // columns in the chunk (nullptr for other columns).
    struct ColumnSink {
        double* values = nullptr;
        CellState* states = nullptr;
        std::size_t field = 0;
    };
    void parse_csv_row(const Record& record, std::size_t row, RatingsChunk& chunk, Findings& found,
                       std::vector<std::string_view>& cells, std::string& scratch, detail::CellCache& cache,
                       const std::vector<ColumnSink>& sinks, HeaderCells& heads) const;
    void parse_jsonl_row(const Record& record, std::size_t row, RatingsChunk& chunk, Findings& found,
                         detail::CellCache& cache, std::vector<std::uint32_t>& seen, HeaderCells& heads) const;
    /// The row's header cells against the assessment fields: a missing required field or a
    /// cell that does not fit is a problem of the row (named by column, never by value).
    void check_header_cells(const HeaderCells& heads, std::size_t line, std::vector<RowProblem>& problems) const;
    /// The assessment field a column `header.ID` names, or -1.
    int header_field(std::string_view column) const;
    /// The members of `{"item": {"field": value, ...}}`, as the columns item.field; false when
    /// a member names no field (the input then fails as for an unknown column).
    bool is_code_set(int field) const;
    bool store_code_array(detail::JsonScanner& json, std::size_t row, std::size_t field, const std::string& column,
                          std::size_t line, RatingsChunk& chunk, Findings& found, detail::CellCache& cache) const;
    bool parse_jsonl_map(const std::string& owner, detail::JsonScanner& json, const Record& record, std::size_t row,
                         RatingsChunk& chunk, Findings& found, detail::CellCache& cache,
                         std::vector<std::uint32_t>& seen, HeaderCells& heads) const;
    void store_other(const ColumnRole& role, std::string_view column, std::string_view cell, std::size_t row,
                     RatingsChunk& chunk, std::vector<RowProblem>& problems, std::size_t line,
                     HeaderCells& heads) const;
    void add_warnings(std::vector<Diagnostic>& out) const;

    // Read-ahead: once a chunk has used up most of the block, the next block is read on a
    // thread of its own while the caller scores and writes the chunk, so reading a large
    // file costs no wall time of its own. Never with threads = 1 (no thread is started).
    void start_read_ahead();
    void finish_read_ahead();
    Result<bool> fill_or_read_ahead_error();
    std::uint64_t bytes_reported = 0;                         // bytes_read() while a read-ahead runs
    std::optional<std::vector<Diagnostic>> read_ahead_error;  // reported when the data is needed
    std::future<Result<bool>> read_ahead;                     // last: destroyed (joined) before the buffer it fills
};

void RatingsReader::State::start_read_ahead() {
    bytes_reported = input.bytes_read();
    if (options.threads == 1 || eof || read_ahead_error || size - scanner.offset() >= block_bytes / 4) return;
    try {
        read_ahead = std::async(std::launch::async, [this] { return fill(); });
    } catch (const std::system_error&) {
        // No thread to be had: the next call reads in its own time.
    }
}

void RatingsReader::State::finish_read_ahead() {
    if (!read_ahead.valid()) return;
    auto filled = read_ahead.get();
    if (!filled) read_ahead_error = filled.error();
}

Result<bool> RatingsReader::State::fill_or_read_ahead_error() {
    if (read_ahead_error) return *read_ahead_error;
    return fill();
}

// Moves what is left of the block to the front and reads more behind it. False at the end.
Result<bool> RatingsReader::State::fill() {
    if (eof) return false;
    const std::size_t used = scanner.offset();
    if (used > 0) {
        std::memmove(buffer.get(), buffer.get() + used, size - used);
        size -= used;
        scanner.dropped(used);
    }
    // A file of known size needs no block larger than what is left of it (plus one byte, to
    // see the end): a small file or a text then costs kilobytes, not a whole block.
    std::size_t block = block_bytes;
    if (const auto total = input.size(); total && *total - input.bytes_read() < block)
        block = static_cast<std::size_t>(*total - input.bytes_read()) + 1;
    if (size + block > capacity) {
        // Grows only while one record is longer than the buffer (bounded by max_line_bytes).
        // The first block gets room for a record left over from it too, so that the buffer
        // is not grown (and faulted in again) at the second read.
        const std::size_t slack = capacity == 0 && block == block_bytes ? block_bytes / 16 : 0;
        const std::size_t wanted = std::max(capacity * 2, size + block + slack);
        std::unique_ptr<char[]> bigger(new char[wanted + 64]);  // not zeroed: only [0, size) is read
        if (size > 0) std::memcpy(bigger.get(), buffer.get(), size);
        std::memset(bigger.get() + wanted, 0, 64);
        buffer = std::move(bigger);
        capacity = wanted;
    }
    auto got = input.read(buffer.get() + size, block);
    if (!got) return got.error();
    const bool first = input.bytes_read() == *got;
    size += *got;
    if (*got < block) eof = true;
    if (first && std::string_view(buffer.get(), size).starts_with(bom)) {
        // Spreadsheet exports start with a byte-order mark; it is not part of the data.
        std::memmove(buffer.get(), buffer.get() + bom.size(), size - bom.size());
        size -= bom.size();
    }
    return *got > 0;
}

std::vector<Diagnostic> RatingsReader::State::unknown_columns(std::size_t line,
                                                              const std::vector<std::string>& names) const {
    std::vector<std::string> known{options.id_column};
    for (const auto& f : instrument.fields()) known.push_back(f.column);
    for (const auto& f : instrument.assessment_fields()) known.push_back(std::string(header_prefix) + f.id);
    std::vector<Diagnostic> out;
    for (std::size_t i = 0; i < names.size() && i < described_unknown_columns; ++i) {
        const std::string& column = names[i];
        std::string hint = detail::did_you_mean(column, known);
        if (hint.empty() && column.starts_with(header_prefix)) {
            hint = instrument.assessment_fields().empty()
                       ? instrument.key() + " declares no assessment fields; keep other columns with --keep"
                       : "`kelias instrument show " + instrument.id() + "` lists the assessment fields (header.ID)";
        } else if (hint.empty()) {
            std::string fields_of_item;
            for (const auto& f : instrument.fields())
                if (f.owner == column) fields_of_item += (fields_of_item.empty() ? "" : ", ") + f.column;
            hint = fields_of_item.empty() ? "`kelias instrument show " + instrument.id() +
                                                "` lists the columns; keep other columns with --keep"
                                          : "'" + column + "' has several fields, one column each: " + fields_of_item;
        }
        out.push_back({Severity::error, DiagnosticCode::unknown_column,
                       "unknown column '" + for_message(column) + "': " + instrument.key() + " has no such field", hint,
                       Location{input.name(), static_cast<int>(line), 0}});
    }
    if (names.size() > described_unknown_columns)
        out.push_back({Severity::error,
                       DiagnosticCode::unknown_column,
                       std::to_string(names.size() - described_unknown_columns) + " more unknown columns",
                       {},
                       Location{input.name(), static_cast<int>(line), 0}});
    return out;
}

Result<bool> RatingsReader::State::start() {
    auto filled = fill();
    if (!filled) return filled.error();
    const std::string_view probe(buffer.get(), std::min<std::size_t>(size, 64 * 1024));
    if (probe.find('\0') != std::string_view::npos)
        return input_error(DiagnosticCode::unreadable_file,
                           input.name() + " is not a text file (expected CSV or JSON lines)");
    for (const auto& p : options.pass_through) pass_through.push_back(p);
    auto started = options.format == RatingsFormat::csv ? read_csv_header() : check_jsonl_start();
    if (!started) return started;
    std::vector<bool> has_column(instrument.fields().size(), false);
    if (options.format == RatingsFormat::csv)
        for (const ColumnRole& role : roles)
            if (role.field >= 0) has_column[static_cast<std::size_t>(role.field)] = true;
    for (std::size_t f = 0; f < has_column.size(); ++f)
        if (!has_column[f]) unwritten_fields.push_back(f);
    return started;
}

Result<bool> RatingsReader::State::read_csv_header() {
    records.clear();
    for (;;) {
        if (scanner.scan({buffer.get(), size}, 1, eof, records) > 0) break;
        if (eof)
            return input_error(DiagnosticCode::unreadable_file, input.name() + " is empty: expected a CSV header line");
        if (size - scanner.offset() > options.max_line_bytes)
            return input_error(DiagnosticCode::input_limit, place(1) + ": the header is longer than " +
                                                                std::to_string(options.max_line_bytes) + " bytes");
        auto more = fill();
        if (!more) return more.error();
    }
    Record head = records.front();
    records.clear();
    if (head.text.starts_with('{'))
        return input_error(DiagnosticCode::unreadable_file,
                           place(head.line) + ": the first line is a JSON object, not a CSV header",
                           "for JSON lines use --input-format jsonl (or name the file *.jsonl)");
    delimiter = options.delimiter ? options.delimiter : detail::detect_delimiter(head.text);
    scanner.set_delimiter(delimiter);
    std::vector<std::string_view> cells;
    std::string scratch;
    if (const char* error = detail::split_record(head, delimiter, cells, scratch))
        return input_error(DiagnosticCode::unreadable_file,
                           place(head.line) + ": cannot read the CSV header: " + error);
    if (cells.size() > options.max_columns)
        return input_error(DiagnosticCode::input_limit,
                           place(head.line) + ": the header has " + std::to_string(cells.size()) +
                               " columns, more than the limit of " + std::to_string(options.max_columns));

    std::vector<Diagnostic> problems;
    std::vector<std::string> unknown;
    std::unordered_set<std::string_view> seen;
    std::unordered_map<int, std::string_view> field_headers;  // field -> the header naming it
    bool has_id = false;
    const Location at{input.name(), static_cast<int>(head.line), 0};
    header.reserve(cells.size());
    for (const auto cell : cells) header.emplace_back(detail::trim(cell));
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string& name = header[i];
        ColumnRole role;
        if (name.empty()) {
            problems.push_back({Severity::error,
                                DiagnosticCode::unknown_column,
                                "header column " + std::to_string(i + 1) + " has no name",
                                {},
                                at});
        } else if (!seen.insert(name).second) {
            problems.push_back({Severity::error, DiagnosticCode::duplicate_key,
                                "duplicate column '" + for_message(name) + "' in the header", "keep one of them", at});
        }
        const auto pass = std::find(pass_through.begin(), pass_through.end(), name);
        if (pass != pass_through.end()) role.pass = static_cast<int>(pass - pass_through.begin());
        if (options.date_column && name == *options.date_column) role.date = true;
        if (name == options.id_column) {
            has_id = true;
            role.id = true;
        } else if (const int field = detail::field_for_column(instrument.data(), name); field >= 0) {
            role.field = field;
            // A column and its alias (`column_aliases:`) would give one field twice.
            if (const auto [given, fresh] = field_headers.emplace(field, name); !fresh)
                problems.push_back({Severity::error, DiagnosticCode::duplicate_key,
                                    "columns '" + for_message(given->second) + "' and '" + for_message(name) +
                                        "' both give field " +
                                        instrument.fields()[static_cast<std::size_t>(field)].column,
                                    "keep one of them", at});
        } else if (const int head = header_field(name); head >= 0) {
            role.header = head;
            check_headers = true;
        } else if (role.pass < 0 && !role.date && !name.empty()) {
            unknown.push_back(name);
        }
        roles.push_back(role);
        targets.push_back(role.field >= 0 && role.pass < 0 && !role.date ? role.field
                          : role.id && role.pass < 0 && !role.date       ? id_target
                                                                         : other_target);
    }
    if (!unknown.empty()) {
        auto described = unknown_columns(head.line, unknown);
        problems.insert(problems.end(), described.begin(), described.end());
    }
    // A required assessment field without its column would reject every row: say so once.
    for (const auto& f : instrument.assessment_fields())
        if (f.required && !seen.count(std::string(header_prefix) + f.id))
            problems.push_back(
                {Severity::error, DiagnosticCode::invalid_header,
                 "no column header." + f.id + ": " + instrument.key() + " requires that assessment field",
                 detail::did_you_mean(std::string(header_prefix) + f.id, header), at});
    if (!has_id) {
        const std::string hint = detail::closest(options.id_column, header);
        problems.push_back(
            {Severity::error, DiagnosticCode::unknown_column,
             "no id column '" + for_message(options.id_column) + "' in the header",
             hint.empty() ? "name the id column with --id-column NAME" : "did you mean --id-column '" + hint + "'?",
             at});
    }
    for (const auto& p : pass_through)
        if (!seen.count(p))
            problems.push_back({Severity::error, DiagnosticCode::unknown_column,
                                "no column '" + for_message(p) + "' to keep in the header",
                                detail::did_you_mean(p, header), at});
    if (options.date_column && !seen.count(*options.date_column))
        problems.push_back({Severity::error, DiagnosticCode::unknown_column,
                            "no date column '" + for_message(*options.date_column) + "' in the header",
                            detail::did_you_mean(*options.date_column, header), at});
    if (problems.empty()) return true;
    // A delimiter given by hand that leaves the whole header in one column is the likely
    // cause of every problem above: say so first.
    if (const char detected = detail::detect_delimiter(head.text); header.size() == 1 && detected != delimiter)
        problems.insert(problems.begin(),
                        {Severity::error, DiagnosticCode::unknown_column,
                         "the header is one column: the file looks " + delimiter_name(detected) + "-separated, not " +
                             delimiter_name(delimiter) + "-separated",
                         "give --delimiter " + delimiter_name(detected) + ", or leave it out to detect it", at});
    return problems;
}

Result<bool> RatingsReader::State::check_jsonl_start() {
    roles_by_name[options.id_column].id = true;
    for (std::size_t i = 0; i < instrument.fields().size(); ++i)
        roles_by_name[instrument.fields()[i].column].field = static_cast<int>(i);
    for (std::size_t k = 0; k < pass_through.size(); ++k) roles_by_name[pass_through[k]].pass = static_cast<int>(k);
    if (options.date_column) roles_by_name[*options.date_column].date = true;
    const auto heads = instrument.assessment_fields();
    for (std::size_t i = 0; i < heads.size(); ++i)
        roles_by_name[std::string(header_prefix) + heads[i].id].header = static_cast<int>(i);
    check_headers = !heads.empty();
    std::size_t slot = 0;
    for (auto& [name, role] : roles_by_name) role.slot = slot++;
    // A key that is a column alias shares the slot of the field's column: giving both in
    // one row is a key given twice.
    for (std::size_t i = 0; i < instrument.fields().size(); ++i)
        for (const auto& alias : instrument.fields()[i].column_aliases)
            if (!roles_by_name.count(alias)) {
                ColumnRole role;
                role.field = static_cast<int>(i);
                role.slot = roles_by_name[instrument.fields()[i].column].slot;
                roles_by_name.emplace(alias, role);
            }
    // The first line must be a JSON object: otherwise this is not JSON lines at all.
    RecordScanner probe(RecordScanner::Mode::lines);
    std::vector<Record> first;
    if (probe.scan({buffer.get(), size}, 1, true, first) == 0) return true;  // no rows: an empty result, not an error
    detail::JsonScanner json(first.front().text);
    if (json.peek() != detail::JsonScanner::Kind::object)
        return input_error(DiagnosticCode::unreadable_file,
                           place(first.front().line) + ": not JSON lines: the first line is not a JSON object");
    return true;
}

void RatingsReader::State::store_other(const ColumnRole& role, std::string_view column, std::string_view cell,
                                       std::size_t row, RatingsChunk& chunk, std::vector<RowProblem>& problems,
                                       std::size_t line, HeaderCells& heads) const {
    if (role.id) chunk.batch.id(row).assign(cell);
    if (role.header >= 0) heads.set(role.header, cell);
    if (role.pass >= 0) chunk.pass_through[static_cast<std::size_t>(role.pass)][row].assign(cell);
    if (role.date) {
        const std::string_view text = detail::trim(cell);
        if (text.empty()) return;  // falls back to the run's as_of
        const auto date = parse_date(text);
        if (!date)
            problems.push_back({line, {}, std::string(column), "expected a date YYYY-MM-DD"});
        else
            chunk.batch.set_as_of(row, date);
    }
    if (role.field >= 0) {
        if (const char* error = chunk.batch.set_text(row, static_cast<std::size_t>(role.field), cell))
            problems.push_back({line, {}, std::string(column), error});
    }
}

void RatingsReader::State::parse_csv_row(const Record& record, std::size_t row, RatingsChunk& chunk, Findings& found,
                                         std::vector<std::string_view>& cells, std::string& scratch,
                                         detail::CellCache& cache, const std::vector<ColumnSink>& sinks,
                                         HeaderCells& heads) const {
    const std::size_t problems_before = found.problems.size();
    const std::size_t expected = targets.size();
    // Kept out of line: inlined into the delimiter loop it made parsing ~10% slower (GCC 12).
    auto store = [&](std::size_t j, std::string_view cell) __attribute__((noinline)) {
        const int target = targets[j];
        if (target >= 0) {
            // Cells of unquoted records point into the block, which is padded: 8 bytes can be read.
            if (const char* error =
                    cache.store(chunk.batch, row, static_cast<std::size_t>(target), cell, !record.has_quote))
                found.problems.push_back({record.line, {}, header[j], error});
        } else if (target == id_target) {
            chunk.batch.id(row).assign(cell);
        } else {
            store_other(roles[j], header[j], cell, row, chunk, found.problems, record.line, heads);
        }
    };
    std::size_t count = 0;
    if (!record.has_quote) {
        // The common case, split and stored in one pass without collecting the cells.
        // A short rating cell seen before in its column (nearly all of them) is written
        // here; the rest (first sightings, errors, ids, other columns) through store().
        count = detail::for_each_unquoted_cell(record.text, delimiter, [&](std::size_t j, std::string_view cell) {
            if (j >= expected) return;
            const ColumnSink& sink = sinks[j];
            if (sink.values != nullptr && cell.size() <= detail::CellCache::max_length) {
                if (const detail::CellCache::Known* known = cache.find(sink.field, cell)) {
                    sink.values[row] = known->value;
                    sink.states[row] = known->state;
                    return;
                }
            }
            store(j, cell);
        });
    } else {
        if (const char* error = detail::split_record(record, delimiter, cells, scratch)) {
            found.problems.push_back({record.line, {}, {}, error});
            chunk.bad[row] = 1;
            return;
        }
        count = cells.size();
        for (std::size_t j = 0; j < std::min(count, expected); ++j) store(j, cells[j]);
    }
    if (count != expected) {
        // Cells out of place make every per-cell complaint meaningless: report the shape only.
        found.problems.resize(problems_before);
        found.problems.push_back({record.line,
                                  {},
                                  {},
                                  "wrong number of columns: " + std::to_string(count) + " cells, the header has " +
                                      std::to_string(expected)});
        chunk.bad[row] = 1;
    }
}

void RatingsReader::State::parse_jsonl_row(const Record& record, std::size_t row, RatingsChunk& chunk, Findings& found,
                                           detail::CellCache& cache, std::vector<std::uint32_t>& seen,
                                           HeaderCells& heads) const {
    using Kind = detail::JsonScanner::Kind;
    detail::JsonScanner json(record.text);
    auto reject = [&](std::string reason, std::string column = {}) {
        found.problems.push_back({record.line, {}, std::move(column), std::move(reason)});
        chunk.bad[row] = 1;
    };
    if (json.peek() != Kind::object) return reject("not a JSON object");
    json.enter_object();
    // A stamp per column says it was given in this row: a key given twice is rejected.
    const auto stamp = static_cast<std::uint32_t>(row + 1);
    bool first = true;
    std::string_view key;
    std::size_t members = 0;
    while (json.next_key(first, key)) {
        if (++members > options.max_columns)
            return reject("more than " + std::to_string(options.max_columns) + " members");
        const auto role = roles_by_name.find(std::string(key));
        if (role == roles_by_name.end() && json.peek() == Kind::object &&
            (instrument.data().entry_by_id.count(std::string(key)) ||
             (key == header_prefix.substr(0, header_prefix.size() - 1) && !instrument.assessment_fields().empty()))) {
            // An item or outcome with several fields, given as a map of its fields; or the
            // assessment's header as a map, as in case files.
            if (!parse_jsonl_map(std::string(key), json, record, row, chunk, found, cache, seen, heads)) return;
            continue;
        }
        if (role == roles_by_name.end()) {
            // As an unknown CSV column: the input does not fit the instrument, so no row can be trusted.
            found.failure.emplace(row, unknown_columns(record.line, {std::string(key)}));
            return;
        }
        if (seen[role->second.slot] == stamp) {
            const std::string column = for_message(key);
            if (!json.skip_value()) break;
            reject("given twice in the row", column);
            continue;
        }
        seen[role->second.slot] = stamp;
        const Kind kind = json.peek();
        if (kind == Kind::array && role->second.field >= 0 && is_code_set(role->second.field)) {
            const std::string column(key);
            if (!store_code_array(json, row, static_cast<std::size_t>(role->second.field), column, record.line, chunk,
                                  found, cache))
                break;
            continue;
        }
        if (kind == Kind::object || kind == Kind::array) {
            const std::string column(key);
            if (!json.skip_value()) break;
            found.problems.push_back({record.line, {}, column, "expected a number, a string, true/false or null"});
            continue;
        }
        const std::string column(key);  // the key's buffer is reused by the value
        std::optional<std::string_view> text;
        if (!json.read_scalar(text)) break;
        if (!text) continue;  // null: omitted
        const ColumnRole& r = role->second;
        if (r.field >= 0 && r.pass < 0 && !r.date && !r.id) {
            if (const char* error = cache.store(chunk.batch, row, static_cast<std::size_t>(r.field), *text, false))
                found.problems.push_back({record.line, {}, column, error});
        } else {
            store_other(r, column, *text, row, chunk, found.problems, record.line, heads);
        }
    }
    if (json.failed() || !json.finish()) {
        found.problems.push_back({record.line, {}, {}, "not valid JSON: " + json.error()});
        chunk.bad[row] = 1;
    }
}

bool RatingsReader::State::is_code_set(int field) const {
    return instrument.fields()[static_cast<std::size_t>(field)].type == FieldType::codes;
}

// A set of codes given as a JSON array of strings (`["a", "b"]`, `[]` for none): read as
// the cell `a|b` (or `[]`). False on a JSON error (reported with the row's).
bool RatingsReader::State::store_code_array(detail::JsonScanner& json, std::size_t row, std::size_t field,
                                            const std::string& column, std::size_t line, RatingsChunk& chunk,
                                            Findings& found, detail::CellCache& cache) const {
    using Kind = detail::JsonScanner::Kind;
    std::string cell;
    const char* problem = nullptr;
    json.enter_array();
    bool first = true;
    while (json.next_element(first)) {
        if (json.peek() != Kind::string) {
            if (!json.skip_value()) return false;
            problem = "a set of codes is a list of strings";
            continue;
        }
        std::optional<std::string_view> text;
        if (!json.read_scalar(text)) return false;
        if (!text || text->empty() || text->find('|') != std::string_view::npos) {
            problem = "not one of the field's codes";
            continue;
        }
        if (!cell.empty()) cell += '|';
        cell += *text;
    }
    if (json.failed()) return false;
    if (!problem) problem = cache.store(chunk.batch, row, field, cell.empty() ? "[]" : cell, false);
    if (problem) found.problems.push_back({line, {}, column, problem});
    return true;
}

bool RatingsReader::State::parse_jsonl_map(const std::string& owner, detail::JsonScanner& json, const Record& record,
                                           std::size_t row, RatingsChunk& chunk, Findings& found,
                                           detail::CellCache& cache, std::vector<std::uint32_t>& seen,
                                           HeaderCells& heads) const {
    using Kind = detail::JsonScanner::Kind;
    const auto stamp = static_cast<std::uint32_t>(row + 1);
    json.enter_object();
    bool first = true;
    std::string_view member;
    while (json.next_key(first, member)) {
        const std::string column = owner + "." + std::string(member);
        const auto role = roles_by_name.find(column);
        if (role == roles_by_name.end() || (role->second.field < 0 && role->second.header < 0)) {
            found.failure.emplace(row, unknown_columns(record.line, {column}));
            return false;
        }
        if (seen[role->second.slot] == stamp) {
            if (!json.skip_value()) break;
            found.problems.push_back({record.line, {}, column, "given twice in the row"});
            chunk.bad[row] = 1;
            continue;
        }
        seen[role->second.slot] = stamp;
        if (json.peek() == Kind::array && is_code_set(role->second.field)) {
            if (!store_code_array(json, row, static_cast<std::size_t>(role->second.field), column, record.line, chunk,
                                  found, cache))
                break;
            continue;
        }
        if (const Kind kind = json.peek(); kind == Kind::object || kind == Kind::array) {
            if (!json.skip_value()) break;
            found.problems.push_back({record.line, {}, column, "expected a number, a string, true/false or null"});
            continue;
        }
        std::optional<std::string_view> text;
        if (!json.read_scalar(text)) break;
        if (!text) continue;  // null: omitted
        if (role->second.header >= 0) {
            heads.set(role->second.header, *text);
            continue;
        }
        if (const char* error =
                cache.store(chunk.batch, row, static_cast<std::size_t>(role->second.field), *text, false))
            found.problems.push_back({record.line, {}, column, error});
    }
    return true;  // a JSON error is reported with the row's
}

void RatingsReader::State::parse_rows(std::size_t first, std::size_t count, RatingsChunk& chunk,
                                      Findings& found) const {
    std::vector<std::string_view> cells;
    std::string scratch;
    detail::CellCache cache(instrument);
    HeaderCells heads(check_headers ? instrument.assessment_fields().size() : 0);
    std::vector<std::uint32_t> seen;
    if (options.format == RatingsFormat::jsonl) seen.assign(roles_by_name.size(), 0);
    std::vector<ColumnSink> sinks(targets.size());
    for (std::size_t j = 0; j < targets.size(); ++j) {
        if (targets[j] < 0) continue;
        const auto field = static_cast<std::size_t>(targets[j]);
        sinks[j] = {detail::RatingsBatchAccess::values(chunk.batch, field),
                    detail::RatingsBatchAccess::states(chunk.batch, field), field};
    }
    detail::RatingsBatchAccess::clear_rows(chunk.batch, first, count, unwritten_fields);
    for (std::size_t row = first; row < first + count; ++row) {
        const Record& record = records[row];
        chunk.lines[row] = record.line;
        if (options.as_of) chunk.batch.set_as_of(row, options.as_of);
        const std::size_t problems_before = found.problems.size();
        if (check_headers) heads.clear();
        if (options.format == RatingsFormat::csv)
            parse_csv_row(record, row, chunk, found, cells, scratch, cache, sinks, heads);
        else
            parse_jsonl_row(record, row, chunk, found, cache, seen, heads);
        if (found.failure) return;
        if (check_headers && !chunk.bad[row]) check_header_cells(heads, record.line, found.problems);
        const std::string& id = chunk.batch.id(row);
        if (!chunk.bad[row]) {
            if (detail::trim(id).empty())
                found.problems.push_back({record.line, {}, options.id_column, "missing id"});
            else if (!detail::is_valid_utf8(id))
                found.problems.push_back({record.line, {}, options.id_column, "the id is not valid UTF-8"});
        }
        if (found.problems.size() > problems_before || chunk.bad[row]) {
            // Some of its cells may not have been written: none of them counts.
            detail::RatingsBatchAccess::clear_cells(chunk.batch, row);
            chunk.bad[row] = 1;
            const std::string shown =
                detail::is_valid_utf8(id) && id.size() <= detail::message_value_limit ? id : for_message(id);
            for (std::size_t p = problems_before; p < found.problems.size(); ++p) found.problems[p].id = shown;
        }
    }
}

int RatingsReader::State::header_field(std::string_view column) const {
    if (!column.starts_with(header_prefix)) return -1;
    column.remove_prefix(header_prefix.size());
    const auto fields = instrument.assessment_fields();
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].id == column) return static_cast<int>(i);
    return -1;
}

void RatingsReader::State::check_header_cells(const HeaderCells& heads, std::size_t line,
                                              std::vector<RowProblem>& problems) const {
    const auto fields = instrument.assessment_fields();
    for (std::size_t f = 0; f < fields.size(); ++f) {
        const std::string_view cell = heads.given[f] ? detail::header_cell_trimmed(heads.text[f]) : std::string_view();
        if (cell.empty()) {
            if (fields[f].required)
                problems.push_back({line,
                                    {},
                                    std::string(header_prefix) + fields[f].id,
                                    "required by " + instrument.key() + ", not given"});
        } else if (auto why = detail::header_cell_misfit(fields[f], cell); !why.empty()) {
            problems.push_back({line, {}, std::string(header_prefix) + fields[f].id, std::move(why)});
        }
    }
}

RatingsReader::RatingsReader(std::unique_ptr<State> state) : state_(std::move(state)) {}
RatingsReader::RatingsReader(RatingsReader&&) noexcept = default;
RatingsReader& RatingsReader::operator=(RatingsReader&&) noexcept = default;
RatingsReader::~RatingsReader() = default;

namespace {

Result<RatingsReader> start_reader(std::unique_ptr<RatingsReader::State> state,
                                   RatingsReader (*make)(std::unique_ptr<RatingsReader::State>)) {
    auto started = state->start();
    if (!started) return started.error();
    std::vector<Diagnostic> warnings;
    state->add_warnings(warnings);
    return Result<RatingsReader>(make(std::move(state)), std::move(warnings));
}

}  // namespace

void RatingsReader::State::add_warnings(std::vector<Diagnostic>& out) const {
    if (options.format != RatingsFormat::csv) return;
    // Absent columns mean omitted in every row: right for a partial export, but worth a word
    // when it is not what was meant.
    std::vector<char> present(instrument.fields().size(), 0);
    for (const auto& role : roles)
        if (role.field >= 0) present[static_cast<std::size_t>(role.field)] = 1;
    std::size_t items = 0, absent = 0;
    std::string example;
    for (std::size_t f = 0; f < instrument.fields().size(); ++f) {
        if (instrument.fields()[f].is_outcome) continue;
        ++items;
        if (present[f] || !instrument.fields()[f].absent.empty()) continue;  // `absent:` says what it counts as
        ++absent;
        if (example.empty()) example = instrument.fields()[f].column;
    }
    if (absent > 0)
        out.push_back({Severity::warning, DiagnosticCode::absent_columns,
                       std::to_string(absent) + " of " + std::to_string(items) + " item fields of " + instrument.key() +
                           " have no column (such as " + example + "): they count as omitted in every row",
                       "`kelias instrument show " + instrument.id() + "` lists the columns",
                       Location{input.name(), 1, 0}});
}

Result<RatingsReader> RatingsReader::open(const Instrument& instrument, const std::string& path,
                                          RatingsReaderOptions options) {
    if (options.source_name == "<input>") options.source_name = path == "-" ? "<stdin>" : path;
    auto input = detail::InputSource::open(path, options.source_name, options.max_stream_bytes);
    if (!input) return input.error();
    auto state = std::make_unique<State>(instrument, std::move(options), std::move(*input));
    return start_reader(std::move(state), [](std::unique_ptr<State> s) { return RatingsReader(std::move(s)); });
}

Result<RatingsReader> RatingsReader::from_text(const Instrument& instrument, std::string text,
                                               RatingsReaderOptions options) {
    auto input = detail::InputSource::from_text(std::move(text), options.source_name);
    auto state = std::make_unique<State>(instrument, std::move(options), std::move(input));
    return start_reader(std::move(state), [](std::unique_ptr<State> s) { return RatingsReader(std::move(s)); });
}

Result<std::size_t> RatingsReader::next(RatingsChunk& chunk) {
    State& s = *state_;
    s.finish_read_ahead();
    if (!chunk.batch.instrument().same_definition(s.instrument)) chunk = RatingsChunk(s.instrument);
    s.records.clear();
    // Complete records of the block; when there are none, read more (the last record of a
    // block usually runs on into the next).
    while (s.scanner.scan({s.buffer.get(), s.size}, s.options.chunk_rows, s.eof, s.records) == 0) {
        if (s.size - s.scanner.offset() > s.options.max_line_bytes)
            return input_error(DiagnosticCode::input_limit,
                               s.place(s.scanner.line()) + ": a record longer than " +
                                   std::to_string(s.options.max_line_bytes) + " bytes",
                               "check the file (a missing closing quote runs on to the end); raise the limit with "
                               "--max-line if it is meant");
        if (s.eof) break;
        auto more = s.fill_or_read_ahead_error();
        if (!more) return more.error();
    }
    for (const Record& r : s.records)
        if (r.text.size() > s.options.max_line_bytes)
            return input_error(DiagnosticCode::input_limit, s.place(r.line) + ": a record longer than " +
                                                                std::to_string(s.options.max_line_bytes) + " bytes");
    const std::size_t rows = s.records.size();
    detail::RatingsBatchAccess::reshape(chunk.batch, rows);  // each parsing thread clears its rows
    chunk.lines.assign(rows, 0);
    chunk.bad.assign(rows, 0);
    chunk.problems.clear();
    chunk.pass_through.resize(s.pass_through.size());
    for (auto& column : chunk.pass_through) column.assign(rows, std::string());

    const std::size_t threads = detail::thread_count(rows, s.options.threads);
    std::vector<State::Findings> found(threads);
    detail::for_each_slice(rows, threads, [&](std::size_t part, std::size_t begin, std::size_t end) {
        s.parse_rows(begin, end - begin, chunk, found[part]);
    });
    for (auto& f : found) {
        if (f.failure) return std::move(f.failure->second);  // threads hold consecutive rows: the first is the earliest
        std::move(f.problems.begin(), f.problems.end(), std::back_inserter(chunk.problems));
    }
    // The block's bytes are copied out; the next call may reuse them.
    if (rows == 0 && s.eof) {
        auto more = s.fill();  // consumes the rest; a file that changed is reported here
        if (!more) return more.error();
    }
    s.start_read_ahead();
    return rows;
}

const std::vector<std::string>& RatingsReader::pass_through() const noexcept { return state_->pass_through; }
char RatingsReader::delimiter() const noexcept { return state_->delimiter; }
std::uint64_t RatingsReader::bytes_read() const noexcept { return state_->bytes_reported; }
std::optional<std::uint64_t> RatingsReader::total_bytes() const noexcept { return state_->input.size(); }

KELIAS_END_NAMESPACE
