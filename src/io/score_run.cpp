// score_ratings(): a whole scoring run, chunk by chunk, from a reader to an output file.
#include <kelias/ratings_io.hpp>

#include <algorithm>
#include <array>
#include <functional>
#include <future>
#include <system_error>
#include <unordered_map>

#include "base/parallel.hpp"
#include "base/seen_ids.hpp"
#include "base/text.hpp"
#include "evaluation/score_batch_reuse.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

/// Duplicate ids named one by one; the rest are counted.
constexpr std::size_t described_duplicates = 10;

class ScoreRun {
public:
    ScoreRun(const Instrument& instrument, RatingsReader& reader, const ScoreWriter& writer, OutputFile& out,
             const ScoreRunOptions& options, const ScoreRunEvents& events)
        : instrument_(instrument), reader_(reader), writer_(writer), out_(out), options_(options),
          events_(events), chunks_{RatingsChunk(instrument), RatingsChunk(instrument)},
          scores_(detail::ScoreBatchReuse::make(instrument)) {}

    Result<ScoreRunSummary> run() {
        if (auto problem = out_.write(writer_.header())) return std::vector<Diagnostic>{*problem};
        if (auto problem = options_.threads == 1 ? run_in_turn() : run_overlapped()) return std::move(*problem);
        if (auto problem = finish_write()) return std::vector<Diagnostic>{*problem};
        if (duplicates_ > described_duplicates && events_.warning)
            events_.warning(
                {Severity::warning,
                 DiagnosticCode::duplicate_row_id,
                 std::to_string(duplicates_ - described_duplicates) + " more rows repeat an id of an earlier row",
                 {},
                 {}});
        return summary_;
    }

private:
    using Problems = std::optional<std::vector<Diagnostic>>;

    // One chunk after another on the calling thread (threads = 1: no thread is started).
    Problems run_in_turn() {
        for (;;) {
            auto rows = reader_.next(chunks_[0]);
            if (!rows) return rows.error();
            if (*rows == 0) return std::nullopt;
            if (auto problem = process(chunks_[0], *rows, reader_.bytes_read())) return problem;
        }
    }

    // Two chunks in flight: while chunk N is scored, formatted and handed to the writer on a
    // thread of its own, the caller reads and parses chunk N + 1 into the other chunk, so
    // what one stage leaves of the cores (its serial parts, waiting for its slowest slice)
    // goes to the other. Chunks are processed one at a time and in order, so every event
    // comes in the same order as without the overlap.
    Problems run_overlapped() {
        std::future<Problems> busy;
        auto finish = [&busy]() -> Problems { return busy.valid() ? busy.get() : std::nullopt; };
        for (std::size_t n = 0;; ++n) {
            RatingsChunk& chunk = chunks_[n % 2];
            auto rows = reader_.next(chunk);
            if (auto problem = finish()) return problem;  // the earlier chunk's problem comes first
            if (!rows) return rows.error();
            if (*rows == 0) return std::nullopt;
            const std::uint64_t bytes = reader_.bytes_read();
            try {
                busy = std::async(std::launch::async,
                                  [this, &chunk, r = *rows, bytes] { return process(chunk, r, bytes); });
            } catch (const std::system_error&) {
                if (auto problem = process(chunk, *rows, bytes)) return problem;  // no thread: in the caller's time
            }
        }
    }

    // Scores, reports and writes one chunk.
    Problems process(const RatingsChunk& chunk, std::size_t rows, std::uint64_t bytes_read) {
        chunk_ = &chunk;
        detail::ScoreBatchReuse::score(scores_, instrument_, chunk.batch,
                                       {.threads = options_.threads, .run_checks = options_.run_checks});
        const ScoreBatch& scores = scores_;
        summary_.rows_read += rows;
        report(scores);
        if (auto problem = write(scores)) return std::vector<Diagnostic>{*problem};
        note_duplicates();
        if (options_.explain_id) explain(scores);
        if (events_.progress) events_.progress(bytes_read, reader_.total_bytes());
        return std::nullopt;
    }

    // Cell problems and failed checks of severity error, merged in row order; warnings of
    // checks for the rows that are scored.
    void report(const ScoreBatch& scores) {
        std::vector<RowProblem> check_problems;
        for (const CheckFinding& f : scores.findings()) {
            if (chunk_->bad[f.row]) continue;  // not scored: its cell problems are what matters
            const std::string item = f.item.empty() ? std::string() : " (item " + std::string(f.item) + ")";
            if (f.severity == Severity::error) {
                check_problems.push_back({chunk_->lines[f.row],
                                          shown_id(f.row),
                                          {},
                                          "error[" + std::string(f.check) + "]: " + std::string(f.message) + item});
            } else {
                ++summary_.check_warnings;
                if (events_.check_warning) events_.check_warning(chunk_->lines[f.row], shown_id(f.row), f);
            }
        }
        std::vector<RowProblem> all;
        all.reserve(chunk_->problems.size() + check_problems.size());
        std::merge(chunk_->problems.begin(), chunk_->problems.end(), check_problems.begin(), check_problems.end(),
                   std::back_inserter(all), [](const RowProblem& a, const RowProblem& b) { return a.line < b.line; });
        if (events_.rejected)
            for (const auto& p : all) events_.rejected(p);
    }

    std::string shown_id(std::size_t row) const {
        const std::string& id = chunk_->batch.id(row);
        return id.size() <= detail::message_value_limit ? id : detail::for_message(id);
    }

    // The id hashes of the scored rows come from write(), which computes them in parallel.
    void note_duplicates() {
        const auto repeats =
            seen_ids_.record(id_hashes_, chunk_->lines, detail::thread_count(id_hashes_.size(), options_.threads));
        for (const auto& [r, first] : repeats)
            if (++duplicates_ <= described_duplicates && events_.warning)
                events_.warning(
                    {Severity::warning,
                     DiagnosticCode::duplicate_row_id,
                     row_label(chunk_->lines[r], shown_id(r)) + ": the id is also on row " + std::to_string(first),
                     "each assessment should have an id of its own",
                     {}});
    }

    std::optional<Diagnostic> write(const ScoreBatch& scores) {
        const std::size_t rows = chunk_->batch.rows();
        const std::size_t parts = detail::thread_count(rows, options_.threads);
        buffers_.resize(parts);
        id_hashes_.resize(rows);
        std::vector<std::size_t> rejected(parts, 0);
        detail::for_each_slice(rows, parts, [&](std::size_t part, std::size_t begin, std::size_t end) {
            // Work on locals: neighbouring std::string headers share a cache line.
            std::string out = std::move(buffers_[part]);
            out.clear();
            std::size_t skipped = 0;
            for (std::size_t r = begin; r < end; ++r) {
                if (chunk_->bad[r] || scores.rejected(r)) {
                    id_hashes_[r] = 0;  // not scored: not counted among the ids seen
                    ++skipped;
                    continue;
                }
                id_hashes_[r] = detail::SeenIds::hash(chunk_->batch.id(r));
                writer_.append_row(out, *chunk_, scores, r);
            }
            buffers_[part] = std::move(out);
            rejected[part] = skipped;
        });
        for (std::size_t part = 0; part < parts; ++part) summary_.rows_rejected += rejected[part];
        // Write-behind: the chunk's text goes to the output on a thread of its own while the
        // next chunk is read, parsed and scored (with read-ahead, the three stages overlap).
        if (auto problem = finish_write()) return problem;
        std::swap(buffers_, writing_);
        auto write_all = [this] {
            for (const std::string& text : writing_)
                if (auto problem = out_.write(text)) return problem;
            return std::optional<Diagnostic>();
        };
        if (options_.threads == 1) return write_all();
        try {
            write_behind_ = std::async(std::launch::async, write_all);
        } catch (const std::system_error&) {
            return write_all();  // no thread to be had: write in the caller's time
        }
        return std::nullopt;
    }

    // Waits for the chunk being written; its problem, if any.
    std::optional<Diagnostic> finish_write() {
        if (!write_behind_.valid()) return std::nullopt;
        return write_behind_.get();
    }

    void explain(const ScoreBatch& scores) {
        for (std::size_t r = 0; r < chunk_->batch.rows(); ++r) {
            if (chunk_->batch.id(r) != *options_.explain_id) continue;
            if (chunk_->bad[r] || scores.rejected(r)) {
                summary_.explain_id_rejected = true;
                continue;
            }
            ExplainedRow row{chunk_->lines[r], chunk_->batch.id(r), {}};
            for (const ScoreInfo& score : instrument_.scores()) {
                if (score.hidden) continue;
                if (auto explained = kelias::explain(instrument_, chunk_->batch, r, score.id))
                    row.scores.push_back(std::move(*explained));
            }
            summary_.explained.push_back(std::move(row));
        }
    }

    const Instrument& instrument_;
    RatingsReader& reader_;
    const ScoreWriter& writer_;
    OutputFile& out_;
    const ScoreRunOptions& options_;
    const ScoreRunEvents& events_;
    std::array<RatingsChunk, 2> chunks_;   // the one being read and the one being scored
    const RatingsChunk* chunk_ = nullptr;  // the chunk process() works on
    ScoreBatch scores_;                    // its results (the memory is reused chunk after chunk)
    ScoreRunSummary summary_;
    std::vector<std::string> buffers_;  // one per formatting thread, reused across chunks
    std::vector<std::string> writing_;  // the previous chunk's buffers, while write_behind_ runs
    detail::SeenIds seen_ids_;
    std::vector<std::uint64_t> id_hashes_;  // per row of the chunk; 0 for rows not scored
    std::size_t duplicates_ = 0;
    std::future<std::optional<Diagnostic>> write_behind_;  // last: joined before the buffers it reads go
};

}  // namespace

Result<ScoreRunSummary> score_ratings(const Instrument& instrument, RatingsReader& reader, const ScoreWriter& writer,
                                      OutputFile& out, const ScoreRunOptions& options, const ScoreRunEvents& events) {
    return ScoreRun(instrument, reader, writer, out, options, events).run();
}

KELIAS_END_NAMESPACE
