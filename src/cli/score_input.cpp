#include "cli/score_input.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/core.h>

#include "cli/cell_cache.hpp"
#include "cli/exit_code.hpp"
#include "cli/json_row.hpp"
#include "cli/parallel.hpp"
#include "cli/suggest.hpp"

namespace kelias::cli {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string_view strip_bom(std::string_view s) {
    constexpr std::string_view bom = "\xEF\xBB\xBF";
    return s.starts_with(bom) ? s.substr(bom.size()) : s;
}

bool looks_binary(std::string_view text) {
    const std::size_t probe = std::min<std::size_t>(text.size(), 64 * 1024);
    return std::memchr(text.data(), '\0', probe) != nullptr;
}

}  // namespace

RowReader::RowReader(const Instrument& instrument, std::string_view text, Options options)
    : instrument_(instrument),
      text_(text),
      options_(std::move(options)),
      scanner_(text, options_.format == InputFormat::csv ? RecordScanner::Mode::csv : RecordScanner::Mode::lines) {}

std::string RowReader::place(std::size_t line) const { return fmt::format("{}:{}", options_.source_name, line); }

std::optional<InputFailure> RowReader::start() {
    if (looks_binary(text_))
        return InputFailure{exit_unreadable, fmt::format("{} is not a text file (expected CSV or JSONL)", options_.source_name)};
    return options_.format == InputFormat::csv ? read_csv_header() : check_jsonl_start();
}

InputFailure RowReader::unknown_column_failure(std::size_t line, std::string_view column) const {
    std::vector<std::string> names{options_.id_column};
    for (const auto& f : instrument_.fields()) names.push_back(f.column);
    std::string message = fmt::format("{}: unknown column '{}': {} has no such field", place(line), column, instrument_.key());
    std::string hint = closest_match(column, names);
    if (!hint.empty()) {
        message += fmt::format("\n  hint: did you mean '{}'?", hint);
    } else {
        std::string fields_of_item;
        for (const auto& f : instrument_.fields())
            if (f.owner == column) fields_of_item += (fields_of_item.empty() ? "" : ", ") + f.column;
        if (!fields_of_item.empty())
            message += fmt::format("\n  hint: '{}' has several fields, one column each: {}", column, fields_of_item);
        else
            message += fmt::format("\n  hint: `kelias instrument show {}` lists the columns", instrument_.id());
    }
    return {exit_usage, std::move(message)};
}

std::optional<InputFailure> RowReader::read_csv_header() {
    scanner_.next(1, records_);
    if (records_.empty())
        return InputFailure{exit_unreadable, fmt::format("{} is empty: expected a CSV header line", options_.source_name)};
    Record header = records_.front();
    records_.clear();
    header.text = strip_bom(header.text);
    if (header.text.starts_with('{'))
        return InputFailure{exit_unreadable, fmt::format("{}: the first line is a JSON object, not a CSV header\n"
                                                         "  hint: for JSON lines use --input-format jsonl (or name the file *.jsonl)",
                                                         place(header.line))};
    std::vector<std::string_view> cells;
    std::string scratch;
    if (const char* error = split_record(header, cells, scratch))
        return InputFailure{exit_unreadable, fmt::format("{}: cannot read the CSV header: {}", place(header.line), error)};

    std::vector<std::string> problems;
    bool has_id = false;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        const std::string_view name = trim(cells[i]);
        header_.emplace_back(name);
        if (name.empty()) {
            problems.push_back(fmt::format("{}: header column {} has no name", place(header.line), i + 1));
            targets_.push_back(id_target);
            continue;
        }
        if (std::find(header_.begin(), header_.end() - 1, name) != header_.end() - 1)
            problems.push_back(fmt::format("{}: duplicate column '{}' in the header", place(header.line), name));
        if (name == options_.id_column) {
            has_id = true;
            targets_.push_back(id_target);
        } else if (auto field = instrument_.find_field(name)) {
            targets_.push_back(static_cast<int>(*field));
        } else {
            problems.push_back(unknown_column_failure(header.line, name).message);
            targets_.push_back(id_target);
        }
    }
    if (!has_id) {
        std::string message = fmt::format("{}: no id column '{}' in the header", place(header.line), options_.id_column);
        std::string hint = closest_match(options_.id_column, header_);
        message += hint.empty() ? "\n  hint: name the id column with --id-column NAME"
                                : fmt::format("\n  hint: did you mean --id-column '{}'?", hint);
        problems.push_back(std::move(message));
    }
    if (problems.empty()) return std::nullopt;
    std::string message;
    for (const auto& p : problems) message += (message.empty() ? "" : "\n") + p;
    return InputFailure{exit_usage, std::move(message)};
}

std::optional<InputFailure> RowReader::check_jsonl_start() {
    targets_by_name_.emplace(options_.id_column, id_target);
    for (std::size_t i = 0; i < instrument_.fields().size(); ++i)
        targets_by_name_.emplace(instrument_.fields()[i].column, static_cast<int>(i));
    RecordScanner probe(text_, RecordScanner::Mode::lines);
    std::vector<Record> first;
    if (probe.next(1, first) == 0) return std::nullopt;  // no rows: an empty result, not an error
    struct Ignore final : JsonMemberSink {
        bool scalar(std::string_view, std::optional<std::string_view>) override { return true; }
        void nested(std::string_view) override {}
    } ignore;
    if (!JsonObjectReader(ignore).read(strip_bom(first.front().text)))
        return InputFailure{exit_unreadable, fmt::format("{}: not JSON lines: the first line is not a JSON object", place(first.front().line))};
    return std::nullopt;
}

std::optional<InputFailure> RowReader::next(RatingsBatch& batch, Chunk& chunk, std::size_t max_rows) {
    records_.clear();
    scanner_.next(max_rows, records_);
    const std::size_t rows = records_.size();
    batch.resize(rows);
    chunk.lines.resize(rows);
    chunk.bad.assign(rows, 0);
    chunk.problems.clear();

    const std::size_t threads = thread_count(rows, options_.threads);
    std::vector<Findings> found(threads);
    const std::span<const Record> all(records_);
    for_each_slice(rows, threads, [&](std::size_t part, std::size_t begin, std::size_t end) {
        parse_rows(all.subspan(begin, end - begin), begin, batch, chunk, found[part]);
    });
    for (auto& f : found) {
        if (f.failure) return std::move(f.failure->second);  // threads hold consecutive rows: the first is the earliest
        std::move(f.problems.begin(), f.problems.end(), std::back_inserter(chunk.problems));
    }
    return std::nullopt;
}

void RowReader::parse_rows(std::span<const Record> records, std::size_t first_row, RatingsBatch& batch, Chunk& chunk,
                           Findings& found) const {
    std::vector<std::string_view> cells;
    std::string scratch;
    CellCache cache(instrument_);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const std::size_t row = first_row + i;
        chunk.lines[row] = records[i].line;
        if (options_.as_of) batch.set_as_of(row, options_.as_of);
        const std::size_t problems_before = found.problems.size();
        if (options_.format == InputFormat::csv)
            parse_csv_row(records[i], row, batch, chunk, found, cells, scratch, cache);
        else
            parse_jsonl_row(records[i], row, batch, chunk, found, cache);
        if (found.failure) return;
        if (trim(batch.id(row)).empty() && !chunk.bad[row])
            found.problems.push_back({records[i].line, {}, options_.id_column, "missing id"});
        if (found.problems.size() > problems_before) {
            chunk.bad[row] = 1;
            for (std::size_t p = problems_before; p < found.problems.size(); ++p) found.problems[p].id = batch.id(row);
        }
    }
}

void RowReader::parse_csv_row(const Record& record, std::size_t row, RatingsBatch& batch, Chunk& chunk, Findings& found,
                              std::vector<std::string_view>& cells, std::string& scratch, CellCache& cache) const {
    const std::size_t problems_before = found.problems.size();
    const std::size_t expected = targets_.size();
    // Kept out of line: inlined into the comma loop it made parsing ~10% slower (GCC 12).
    auto store = [&](std::size_t j, std::string_view cell) __attribute__((noinline)) {
        const int target = targets_[j];
        // Cells of unquoted records point into the input; only its last bytes lack 8 readable bytes.
        const bool readable8 = !record.has_quote && static_cast<std::size_t>(cell.data() - text_.data()) + 8 <= text_.size();
        if (target == id_target)
            batch.id(row).assign(cell);
        else if (const char* error = cache.store(batch, row, static_cast<std::size_t>(target), cell, readable8))
            found.problems.push_back({record.line, {}, header_[j], error});
    };
    std::size_t count = 0;
    if (!record.has_quote) {
        // The common case, split and stored in one pass without collecting the cells.
        count = for_each_unquoted_cell(record.text, [&](std::size_t j, std::string_view cell) {
            if (j < expected) store(j, cell);
        });
    } else {
        if (const char* error = split_record(record, cells, scratch)) {
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
        found.problems.push_back({record.line, {}, {}, fmt::format("wrong number of columns: {} cells, the header has {}", count, expected)});
        chunk.bad[row] = 1;
    }
}

void RowReader::parse_jsonl_row(const Record& record, std::size_t row, RatingsBatch& batch, Chunk& chunk,
                                Findings& found, CellCache& cache) const {
    struct Members final : JsonMemberSink {
        const RowReader& reader;
        const Record& record;
        std::size_t row;
        RatingsBatch& batch;
        Findings& found;
        CellCache& cache;

        Members(const RowReader& r, const Record& rec, std::size_t i, RatingsBatch& b, Findings& f, CellCache& c)
            : reader(r), record(rec), row(i), batch(b), found(f), cache(c) {}

        bool scalar(std::string_view key, std::optional<std::string_view> text) override {
            const auto target = reader.targets_by_name_.find(key);
            if (target == reader.targets_by_name_.end()) {
                found.failure.emplace(record.line, reader.unknown_column_failure(record.line, key));
                return false;
            }
            if (!text) return true;  // null: omitted
            if (target->second == id_target)
                batch.id(row).assign(*text);
            else if (const char* error = cache.store(batch, row, static_cast<std::size_t>(target->second), *text, false))
                found.problems.push_back({record.line, {}, std::string(key), error});
            return true;
        }
        void nested(std::string_view key) override {
            found.problems.push_back({record.line, {}, std::string(key), "expected a number, a string, true/false or null"});
        }
    } members(*this, record, row, batch, found, cache);

    JsonObjectReader reader(members);
    if (!reader.read(strip_bom(record.text)) && !found.failure) {
        found.problems.push_back({record.line, {}, {}, "not a JSON object"});
        chunk.bad[row] = 1;
    }
}

}  // namespace kelias::cli
