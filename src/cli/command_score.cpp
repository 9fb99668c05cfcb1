// `kelias score`: ratings in (CSV or JSONL), scores out, rejected rows reported.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/core.h>
#include <kelias/date.hpp>
#include <kelias/ratings.hpp>
#include <kelias/scoring.hpp>

#include "cli/commands.hpp"
#include "cli/exit_code.hpp"
#include "cli/input_file.hpp"
#include "cli/instrument_lookup.hpp"
#include "cli/output.hpp"
#include "cli/parallel.hpp"
#include "cli/progress.hpp"
#include "cli/score_input.hpp"
#include "cli/score_output.hpp"

namespace kelias::cli {
namespace {

// Rows per chunk: large enough for score_batch to spread blocks over the cores, small
// enough that a chunk's batch stays a few tens of MB.
constexpr std::size_t chunk_rows = 64 * 1024;

bool is_jsonl_name(const std::string& path) { return path.ends_with(".jsonl") || path.ends_with(".ndjson"); }

InputFormat input_format_of(const ScoreOptions& o) {
    if (o.input_format) return *o.input_format == "jsonl" ? InputFormat::jsonl : InputFormat::csv;
    return is_jsonl_name(o.input) ? InputFormat::jsonl : InputFormat::csv;
}

OutputFormat output_format_of(const ScoreOptions& o) {
    if (o.format) return *o.format == "jsonl" ? OutputFormat::jsonl : OutputFormat::csv;
    return is_jsonl_name(o.output) ? OutputFormat::jsonl : OutputFormat::csv;
}

void print_error(const std::string& message) { fmt::print(stderr, "kelias: {}\n", message); }

class ScoreRun {
public:
    explicit ScoreRun(const ScoreOptions& options) : options_(options) {}
    int run();

private:
    int prepare_as_of();
    int open_outputs();
    std::optional<InputFailure> process_chunk(RowReader& reader);
    void report_checks(const Chunk& chunk, const RatingsBatch& batch, const ScoreBatch& scores);
    void write_rows(const Chunk& chunk, const RatingsBatch& batch, const ScoreBatch& scores);
    void explain_if_present(const Chunk& chunk, const RatingsBatch& batch, const ScoreBatch& scores);
    bool write_output(std::string_view data);
    int finish();

    const ScoreOptions& options_;
    std::optional<Instrument> instrument_;
    std::optional<Date> as_of_;
    std::unique_ptr<RatingsBatch> batch_;
    Chunk chunk_;
    std::optional<ScoreFormatter> formatter_;
    OutputFile output_;
    OutputFile rejects_file_;
    std::unique_ptr<RejectLog> rejects_;
    std::vector<std::string> buffers_;  ///< one per formatting thread, reused across chunks
    std::vector<RowProblem> check_problems_;
    std::size_t rows_read_ = 0, rows_rejected_ = 0;
    std::size_t warnings_ = 0;
    bool io_failed_ = false;
    bool explain_found_ = false, explain_rejected_ = false;
    std::string explanation_;
};

int ScoreRun::prepare_as_of() {
    if (!options_.as_of) return exit_ok;
    as_of_ = parse_date(*options_.as_of);
    if (as_of_) return exit_ok;
    print_error(fmt::format("--as-of '{}' is not a date YYYY-MM-DD", *options_.as_of));
    return exit_usage;
}

int ScoreRun::open_outputs() {
    std::string error;
    if (!output_.open(options_.output, error)) {
        print_error(error);
        return exit_usage;
    }
    if (options_.rejects && !rejects_file_.open(*options_.rejects, error)) {
        print_error(error);
        return exit_usage;
    }
    rejects_ = std::make_unique<RejectLog>(options_.rejects ? &rejects_file_ : nullptr);
    if (!rejects_->begin(error) || !write_output(formatter_->header())) {
        if (!error.empty()) print_error(error);
        return exit_unreadable;
    }
    return exit_ok;
}

bool ScoreRun::write_output(std::string_view data) {
    std::string error;
    if (output_.write(data, error)) return true;
    print_error(error);
    io_failed_ = true;
    return false;
}

int ScoreRun::run() {
    if (int code = prepare_as_of()) return code;
    LoadedInstrument loaded = load_instrument_arg(options_.instrument);
    if (!loaded.instrument) return loaded.exit_code;
    instrument_ = std::move(loaded.instrument);

    if (options_.input == "-" && isatty(STDIN_FILENO) == 1)
        fmt::print(stderr, "kelias: reading ratings from the terminal; end with Ctrl-D (or give an input file)\n");
    InputText input;
    std::string error;
    if (!input.open(options_.input, error)) {
        print_error(error);
        return exit_unreadable;
    }
    const std::string source_name = options_.input == "-" ? "<stdin>" : options_.input;
    RowReader reader(*instrument_, input.text(),
                     {input_format_of(options_), options_.id_column, source_name, options_.threads, as_of_});
    if (auto failure = reader.start()) {
        print_error(failure->message);
        return failure->exit_code;
    }
    formatter_.emplace(*instrument_, output_format_of(options_), options_.id_column);
    if (int code = open_outputs()) return code;

    batch_ = std::make_unique<RatingsBatch>(*instrument_, 0);
    Progress progress(input.text().size());
    while (!reader.done()) {
        if (auto failure = process_chunk(reader)) {
            progress.finish();
            print_error(failure->message);
            return failure->exit_code;
        }
        if (io_failed_) return exit_unreadable;
        progress.update(reader.bytes_done());
    }
    progress.finish();
    return finish();
}

std::optional<InputFailure> ScoreRun::process_chunk(RowReader& reader) {
    if (auto failure = reader.next(*batch_, chunk_, chunk_rows)) return failure;
    const ScoreBatch scores = score_batch(*instrument_, *batch_, {options_.threads, true});
    rows_read_ += batch_->rows();
    report_checks(chunk_, *batch_, scores);
    write_rows(chunk_, *batch_, scores);
    if (options_.explain && !explain_found_) explain_if_present(chunk_, *batch_, scores);
    return std::nullopt;
}

void ScoreRun::report_checks(const Chunk& chunk, const RatingsBatch& batch, const ScoreBatch& scores) {
    check_problems_.clear();
    std::string warnings;
    for (const CheckFinding& f : scores.findings()) {
        if (chunk.bad[f.row]) continue;  // not scored: its cell problems are what matters
        const std::string item = f.item.empty() ? std::string() : fmt::format(" (item {})", f.item);
        if (f.severity == Severity::error) {
            check_problems_.push_back({chunk.lines[f.row], batch.id(f.row), {}, fmt::format("error[{}]: {}{}", f.check, f.message, item)});
        } else if (++warnings_ <= options_.max_warnings) {
            warnings += fmt::format("{}: warning[{}]: {}{}\n", row_label(chunk.lines[f.row], batch.id(f.row)), f.check, f.message, item);
        }
    }
    std::fwrite(warnings.data(), 1, warnings.size(), stderr);

    // Both lists are in row order: merge them so that the report is too.
    std::vector<RowProblem> all;
    all.reserve(chunk.problems.size() + check_problems_.size());
    std::merge(chunk.problems.begin(), chunk.problems.end(), check_problems_.begin(), check_problems_.end(),
               std::back_inserter(all), [](const RowProblem& a, const RowProblem& b) { return a.line < b.line; });
    for (const auto& p : all) rejects_->add(p);
    std::string error;
    if (!rejects_->flush(error)) {
        print_error(error);
        io_failed_ = true;
    }
}

void ScoreRun::write_rows(const Chunk& chunk, const RatingsBatch& batch, const ScoreBatch& scores) {
    const std::size_t parts = thread_count(batch.rows(), options_.threads);
    buffers_.resize(parts);
    std::vector<std::size_t> rejected(parts, 0);
    for_each_slice(batch.rows(), parts, [&](std::size_t part, std::size_t begin, std::size_t end) {
        // Work on locals: neighbouring std::string headers share a cache line.
        std::string out = std::move(buffers_[part]);
        out.clear();
        std::size_t skipped = 0;
        for (std::size_t r = begin; r < end; ++r) {
            if (chunk.bad[r] || scores.rejected(r)) {
                ++skipped;
                continue;
            }
            formatter_->append_row(out, batch.id(r), scores, r);
        }
        buffers_[part] = std::move(out);
        rejected[part] = skipped;
    });
    for (std::size_t part = 0; part < parts; ++part) {
        rows_rejected_ += rejected[part];
        if (!write_output(buffers_[part])) return;
    }
}

void ScoreRun::explain_if_present(const Chunk& chunk, const RatingsBatch& batch, const ScoreBatch& scores) {
    const bool json = output_format_of(options_) == OutputFormat::jsonl;
    for (std::size_t r = 0; r < batch.rows(); ++r) {
        if (batch.id(r) != *options_.explain) continue;
        if (chunk.bad[r] || scores.rejected(r)) {
            explain_rejected_ = true;
            continue;
        }
        explain_found_ = true;
        if (!json) explanation_ += fmt::format("explanation of row {} ({}):\n", chunk.lines[r], scores.instrument_key());
        for (const ScoreInfo& score : instrument_->scores()) {
            if (score.hidden) continue;
            auto explained = explain(*instrument_, batch, r, score.id);
            if (!explained) continue;  // cannot happen: the id comes from the instrument
            explanation_ += json ? to_json(*explained) + "\n" : to_text(*explained);
        }
        return;
    }
}

int ScoreRun::finish() {
    if (options_.explain && !explain_found_) {
        print_error(explain_rejected_ ? "--explain: the row with that id was rejected, so it has no scores to explain"
                                      : "--explain: no row has that id");
        return exit_usage;
    }
    std::string error;
    if (!output_.commit(error) || (options_.rejects && !rejects_file_.commit(error))) {
        print_error(error);
        return exit_unreadable;
    }
    if (!explanation_.empty()) {
        std::FILE* to = output_.is_stdout() ? stderr : stdout;
        std::fwrite(explanation_.data(), 1, explanation_.size(), to);
        std::fflush(to);
    }
    if (warnings_ > options_.max_warnings)
        print_error(fmt::format("{} more check warnings not shown (--max-warnings)", warnings_ - options_.max_warnings));
    if (rows_rejected_ == 0) return exit_ok;
    print_error(fmt::format("{} of {} rows rejected{}", rows_rejected_, rows_read_,
                            options_.rejects ? fmt::format(" (listed in {})", *options_.rejects) : std::string()));
    return exit_rejected;
}

}  // namespace

int run_score(const ScoreOptions& options) { return ScoreRun(options).run(); }

}  // namespace kelias::cli
