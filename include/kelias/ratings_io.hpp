#pragma once
/// \file ratings_io.hpp
/// Ratings files in, scores files out: the readers and writers the CLI and the Python
/// package use, and a whole scoring run over them.
///
/// Reading is strict and bounded: every invalid row is reported by its line and the column
/// at fault (never by its values) while the good rows go on; a file is read in blocks, so
/// memory does not grow with its size; a file that changes while it is read, and a line or
/// a stream over its limit, stop the run with a clear error.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>
#include <kelias/output_file.hpp>
#include <kelias/ratings.hpp>
#include <kelias/scoring.hpp>

KELIAS_BEGIN_NAMESPACE

/// CSV (RFC 4180) with a header row, or JSON lines (one object per line).
enum class RatingsFormat { csv, jsonl };

/// How a ratings input is read. Fill it with designated initializers:
/// `{.format = kelias::RatingsFormat::csv, .id_column = "person"}`.
struct RatingsReaderOptions {
    RatingsFormat format = RatingsFormat::csv;
    /// CSV: the character between cells, `,` `;` or tab; 0 finds it from the header line
    /// (European spreadsheets export `;`).
    char delimiter = 0;
    std::string id_column = "id";
    /// Columns copied unchanged to the output (unit, assessor, date): they need not be
    /// instrument fields.
    std::vector<std::string> pass_through = {};
    /// A column with each row's assessment date (`as_of` in expressions); a row whose cell
    /// is not a date is rejected, an empty cell falls back to `as_of`.
    std::optional<std::string> date_column = {};
    /// The assessment date of rows that give none.
    std::optional<Date> as_of = {};
    /// How messages name the input (the file name).
    std::string source_name = "<input>";
    /// Parsing threads per block: up to this many (0 = one per core) for blocks of more
    /// than 2048 rows; 1 parses on the calling thread.
    unsigned threads = 0;
    /// Rows handed out per chunk at most.
    std::size_t chunk_rows = 16384;
    /// Limits that keep a bad input from taking the machine (E801 when passed).
    std::size_t max_line_bytes = std::size_t{1} << 20;         ///< one record (a CSV row may span lines)
    std::size_t max_columns = 10000;                           ///< cells of the header (and of a JSON line)
    std::uint64_t max_stream_bytes = std::uint64_t{64} << 30;  ///< a pipe or device; files are not capped
};

/// Why one input row is not scored.
struct RowProblem {
    std::size_t line = 0;     ///< where the row starts (the CSV header is line 1)
    std::string id = {};      ///< the row's id, when it has one (cut when long)
    std::string column = {};  ///< the column at fault; empty for problems of the whole row
    std::string reason = {};
};

/// One chunk of rows as read: the batch, and per row where it came from and whether it
/// can be scored.
struct RatingsChunk {
    explicit RatingsChunk(const Instrument& instrument) : batch(instrument, 0) {}
    RatingsBatch batch;
    std::vector<std::size_t> lines;    ///< per row: its line in the input
    std::vector<std::uint8_t> bad;     ///< per row: 1 when a cell or the row's shape is invalid
    std::vector<RowProblem> problems;  ///< every invalid row's problems, in row order
    /// Per pass-through column (RatingsReader::pass_through()), the cell of every row.
    std::vector<std::vector<std::string>> pass_through;
};

/// Reads CSV or JSONL ratings chunk by chunk.
///
/// ```
/// auto reader = kelias::RatingsReader::open(start_av, "ratings.csv", {});
/// if (!reader) return report(reader.error());
/// kelias::RatingsChunk chunk(start_av);
/// for (;;) {
///     auto rows = reader->next(chunk);
///     if (!rows) return report(rows.error());
///     if (*rows == 0) break;
///     auto scores = kelias::score_batch(start_av, chunk.batch);
/// }
/// ```
class RatingsReader {
public:
    RatingsReader(RatingsReader&&) noexcept;
    RatingsReader& operator=(RatingsReader&&) noexcept;
    ~RatingsReader();

    /// Opens `path` ("-" = standard input) and reads the CSV header (or checks the first
    /// JSON line). E000 unreadable; E501 unknown columns (all of them, with hints); E801
    /// over a limit. Warnings (W501: item fields without a column) come with the reader.
    static Result<RatingsReader> open(const Instrument& instrument, const std::string& path,
                                      RatingsReaderOptions options);
    /// The same over text in memory.
    static Result<RatingsReader> from_text(const Instrument& instrument, std::string text,
                                           RatingsReaderOptions options);

    /// Reads the next rows into `chunk` (its batch resized to fit); returns how many were
    /// read, 0 at the end. An error ends the input: a read error, the file changing, a
    /// record over max_line_bytes.
    Result<std::size_t> next(RatingsChunk& chunk);

    /// The pass-through columns, in the order their cells are kept.
    const std::vector<std::string>& pass_through() const noexcept;
    /// The delimiter in use (CSV).
    char delimiter() const noexcept;
    /// Bytes read so far, and the whole size when the input is a file.
    std::uint64_t bytes_read() const noexcept;
    std::optional<std::uint64_t> total_bytes() const noexcept;

    struct State;

private:
    explicit RatingsReader(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

enum class ScoresFormat { csv, jsonl };

/// How scores are written: `{.format = kelias::ScoresFormat::jsonl}`.
struct ScoreWriterOptions {
    ScoresFormat format = ScoresFormat::csv;
    char delimiter = ',';  ///< CSV
    std::string id_column = "id";
    /// Columns written after the id, with the cells the reader kept for them.
    std::vector<std::string> pass_through = {};
};

/// Formats result rows: the id, the pass-through columns, every non-hidden score in the
/// instrument's order, then `instrument` (`id@version`). Unknown scores are empty cells
/// (CSV) or null (JSONL). One writer per format, shared by the CLI and the bindings.
class ScoreWriter {
public:
    ScoreWriter(const Instrument& instrument, ScoreWriterOptions options);
    ~ScoreWriter();
    ScoreWriter(ScoreWriter&&) noexcept;
    ScoreWriter& operator=(ScoreWriter&&) noexcept;

    /// The CSV header line; empty for JSONL.
    std::string header() const;
    /// Appends row `row` of a scored chunk (its id and pass-through cells from `chunk`).
    void append_row(std::string& out, const RatingsChunk& chunk, const ScoreBatch& scores, std::size_t row) const;

private:
    struct Parts;
    std::unique_ptr<Parts> parts_;
};

/// Rejected rows as CSV, `row,id,column,reason` (never the rejected values).
std::string rejects_csv_header();
void append_reject(std::string& out, const RowProblem& problem);

/// `row N (id X)`: how reports name a row.
std::string row_label(std::size_t line, std::string_view id);

/// One explained row of a scoring run.
struct ExplainedRow {
    std::size_t line = 0;
    std::string id = {};
    std::vector<Explanation> scores = {};  ///< every non-hidden score
};

/// How score_ratings() runs.
struct ScoreRunOptions {
    /// Scoring and formatting threads (0 = one per core; 1 = the calling thread only).
    unsigned threads = 0;
    bool run_checks = true;
    /// Explain every score of the rows with this id (all of them when the id repeats).
    std::optional<std::string> explain_id = {};
};

/// What a scoring run reports as it goes, besides the scores. Any callback may be empty.
struct ScoreRunEvents {
    std::function<void(const RowProblem&)> rejected = {};  ///< each rejected row, in row order
    std::function<void(std::size_t line, std::string_view id, const CheckFinding&)> check_warning = {};
    std::function<void(const Diagnostic&)> warning = {};  ///< W502 duplicate ids, ...
    std::function<void(std::uint64_t done, std::optional<std::uint64_t> total)> progress = {};
};

struct ScoreRunSummary {
    std::size_t rows_read = 0;
    std::size_t rows_rejected = 0;
    std::size_t check_warnings = 0;
    std::vector<ExplainedRow> explained = {};
    bool explain_id_rejected = false;  ///< rows with the explain id were seen, but rejected
};

/// Reads every chunk of `reader`, scores it and writes the scores to `out` (header first),
/// in input order. Reading, scoring and formatting use up to `options.threads` threads.
/// Returns the summary, or the error that ended the run (the input's, or E803 when `out`
/// cannot be written); `out` is not committed either way.
Result<ScoreRunSummary> score_ratings(const Instrument& instrument, RatingsReader& reader, const ScoreWriter& writer,
                                      OutputFile& out, const ScoreRunOptions& options = {},
                                      const ScoreRunEvents& events = {});

KELIAS_END_NAMESPACE
