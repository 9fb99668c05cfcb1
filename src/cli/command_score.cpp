// `kelias score`: the CLI's side of a scoring run (arguments, messages, exit code); the
// reading, scoring and writing are the library's (kelias/ratings_io.hpp).
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <fmt/core.h>
#include <kelias/output_file.hpp>
#include <kelias/ratings_io.hpp>

#include "cli/commands.hpp"
#include "cli/exit_code.hpp"
#include "cli/instrument_lookup.hpp"
#include "cli/progress.hpp"

namespace kelias::cli {
namespace {

bool is_jsonl_name(const std::string& path) { return path.ends_with(".jsonl") || path.ends_with(".ndjson"); }

RatingsFormat input_format_of(const ScoreOptions& o) {
    if (o.input_format) return *o.input_format == "jsonl" ? RatingsFormat::jsonl : RatingsFormat::csv;
    return is_jsonl_name(o.input) ? RatingsFormat::jsonl : RatingsFormat::csv;
}

ScoresFormat output_format_of(const ScoreOptions& o) {
    if (o.format) return *o.format == "jsonl" ? ScoresFormat::jsonl : ScoresFormat::csv;
    return is_jsonl_name(o.output) ? ScoresFormat::jsonl : ScoresFormat::csv;
}

char delimiter_of(const std::string& name) { return name == "tab" || name == "\\t" ? '\t' : name.front(); }

// Columns that do not fit the instrument are a usage error (1); an input that cannot be
// read, changed, or passed a limit is exit 2.
int input_failure_code(const std::vector<Diagnostic>& ds) {
    for (const auto& d : ds)
        if (d.code == DiagnosticCode::unreadable_file || d.code == DiagnosticCode::input_limit ||
            d.code == DiagnosticCode::input_changed || d.code == DiagnosticCode::unwritable_output)
            return exit_unreadable;
    return exit_usage;
}

void print_error(const std::string& message) { fmt::print(stderr, "kelias: {}\n", message); }

class ScoreCommand {
public:
    explicit ScoreCommand(const ScoreOptions& options) : o_(options) {}

    int run() {
        std::optional<Date> as_of;
        if (o_.as_of && !(as_of = parse_date(*o_.as_of))) {
            print_error(fmt::format("--as-of '{}' is not a date YYYY-MM-DD", *o_.as_of));
            return exit_usage;
        }
        const LoadedInstrument loaded = load_instrument_arg(o_.instrument);
        if (!loaded.instrument) return loaded.exit_code;
        const Instrument& instrument = *loaded.instrument;
        loaded_key_ = instrument.key();
        if (o_.input == "-" && isatty(STDIN_FILENO) == 1)
            print_error("reading ratings from the terminal; end with Ctrl-D (or give an input file)");
        auto reader = RatingsReader::open(instrument, o_.input,
                                          {.format = input_format_of(o_),
                                           .delimiter = o_.delimiter ? delimiter_of(*o_.delimiter) : '\0',
                                           .id_column = o_.id_column,
                                           .pass_through = o_.keep,
                                           .date_column = o_.date_column,
                                           .as_of = as_of,
                                           .threads = o_.threads,
                                           .max_line_bytes = o_.limits.max_line,
                                           .max_stream_bytes = o_.limits.max_input});
        print(reader.diagnostics());
        if (!reader) return input_failure_code(reader.error());
        if (int code = open_outputs(loaded.path)) return code;
        const ScoreWriter writer(instrument, {.format = output_format_of(o_),
                                              .delimiter = reader->delimiter(),
                                              .id_column = o_.id_column,
                                              .pass_through = reader->pass_through()});
        Progress progress(reader->total_bytes().value_or(0));
        auto summary = score_ratings(instrument, *reader, writer, output_,
                                     {.threads = o_.threads, .explain_id = o_.explain}, events(progress));
        progress.finish();
        if (!flush_rejects()) return exit_unreadable;
        if (!summary) {
            print(summary.error());
            // A JSON line with a key that is no column: the input does not fit the instrument.
            return input_failure_code(summary.error());
        }
        return finish(*summary);
    }

private:
    int open_outputs(const std::string& instrument_path) {
        const std::vector<std::string> inputs = {o_.input, instrument_path};
        if (auto problem = output_.open(o_.output, inputs)) {
            print(*problem);
            return exit_unreadable;
        }
        if (!o_.rejects) return exit_ok;
        std::vector<std::string> taken = inputs;
        taken.push_back(o_.output);
        if (auto problem = rejects_file_.open(*o_.rejects, taken)) {
            print(*problem);
            return exit_unreadable;
        }
        rejects_ = rejects_csv_header();
        return exit_ok;
    }

    ScoreRunEvents events(Progress& progress) {
        ScoreRunEvents e;
        e.rejected = [this](const RowProblem& p) {
            if (o_.rejects) {
                append_reject(rejects_, p);
                if (rejects_.size() > (std::size_t{1} << 20)) flush_rejects();
                return;
            }
            fmt::print(stderr, "{}{}: {}\n", row_label(p.line, p.id), p.column.empty() ? "" : ": column " + p.column,
                       p.reason);
        };
        e.check_warning = [this](std::size_t line, std::string_view id, const CheckFinding& f) {
            if (++warnings_ > o_.max_warnings) return;
            fmt::print(stderr, "{}: warning[{}]: {}{}\n", row_label(line, id), f.check, f.message,
                       f.item.empty() ? std::string() : fmt::format(" (item {})", f.item));
        };
        e.warning = [](const Diagnostic& d) { print(d); };
        e.progress = [&progress](std::uint64_t done, std::optional<std::uint64_t>) { progress.update(done); };
        return e;
    }

    bool flush_rejects() {
        if (!o_.rejects || rejects_.empty() || rejects_failed_) return !rejects_failed_;
        if (auto problem = rejects_file_.write(rejects_)) {
            print(*problem);
            rejects_failed_ = true;
        }
        rejects_.clear();
        return !rejects_failed_;
    }

    int finish(const ScoreRunSummary& summary) {
        if (o_.explain && summary.explained.empty()) {
            print_error(summary.explain_id_rejected
                            ? "--explain: the row with that id was rejected, so it has no scores to explain"
                            : "--explain: no row has that id");
            return exit_usage;
        }
        if (auto problem = output_.commit()) {
            print(*problem);
            return exit_unreadable;
        }
        if (o_.rejects) {
            if (auto problem = rejects_file_.commit()) {
                print(*problem);
                return exit_unreadable;
            }
        }
        if (!summary.explained.empty() && !print_explanations(summary)) return exit_unreadable;
        if (warnings_ > o_.max_warnings)
            print_error(fmt::format("{} more check warnings not shown (--max-warnings)", warnings_ - o_.max_warnings));
        if (summary.rows_rejected == 0) return exit_ok;
        print_error(fmt::format("{} of {} rows rejected{}", summary.rows_rejected, summary.rows_read,
                                o_.rejects ? fmt::format(" (listed in {})", *o_.rejects) : std::string()));
        return exit_rejected;
    }

    // To stderr when the scores go to stdout; to stdout when they go to a file.
    bool print_explanations(const ScoreRunSummary& summary) const {
        const bool json = output_format_of(o_) == ScoresFormat::jsonl;
        std::string text;
        for (const auto& row : summary.explained) {
            if (!json) text += fmt::format("explanation of row {} ({}):\n", row.line, loaded_key_);
            for (const auto& e : row.scores) text += json ? to_json(e) + "\n" : to_text(e);
        }
        std::FILE* to = output_.is_stdout() ? stderr : stdout;
        std::fwrite(text.data(), 1, text.size(), to);
        return to == stderr || flush_stdout();
    }

    const ScoreOptions& o_;
    OutputFile output_, rejects_file_;
    std::string rejects_;
    bool rejects_failed_ = false;
    std::size_t warnings_ = 0;
    std::string loaded_key_;
};

}  // namespace

int run_score(const ScoreOptions& options) {
#if defined(__GLIBC__)
    // A run allocates and frees the same working memory for every chunk (the evaluator's
    // per-block columns, the duplicate-id table as it grows). With glibc's defaults, blocks
    // from 128 KiB are mapped and unmapped each time and freed memory above 128 KiB is given
    // back, so each chunk faults its pages in again: ~40% more page faults and ~10% more CPU
    // time on 1M rows. Keeping up to a few MiB costs ~15 MiB of peak memory.
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 16 << 20);
#endif
    return ScoreCommand(options).run();
}

}  // namespace kelias::cli
