#pragma once
/// \file score_input.hpp
/// Reading CSV or JSONL ratings into kelias::RatingsBatch chunks, in parallel, with
/// every invalid row reported by its place and reason (never its values).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <kelias/date.hpp>
#include <kelias/instrument.hpp>
#include <kelias/ratings.hpp>

#include "cli/csv.hpp"

namespace kelias::cli {

class CellCache;

enum class InputFormat { csv, jsonl };

/// Why one input row is not scored.
struct RowProblem {
    std::size_t line = 0;  ///< where the row starts (the CSV header is line 1)
    std::string id;        ///< the row's id, when it has one
    std::string column;    ///< the column at fault; empty for problems of the whole row
    std::string reason;
};

/// The rows of one chunk beside the batch they were read into.
struct Chunk {
    std::vector<std::size_t> lines;    ///< per batch row
    std::vector<std::uint8_t> bad;     ///< per batch row: 1 when the row must not be scored
    std::vector<RowProblem> problems;  ///< in row order
};

/// A problem that ends the run: the exit code and the message to print.
struct InputFailure {
    int exit_code = 0;
    std::string message;
};

class RowReader {
public:
    struct Options {
        InputFormat format = InputFormat::csv;
        std::string id_column = "id";
        std::string source_name;  ///< the input's name in messages
        unsigned threads = 0;     ///< 0 = one per core
        std::optional<Date> as_of;
    };

    RowReader(const Instrument& instrument, std::string_view text, Options options);

    /// Reads the CSV header (or checks the first JSONL line) and maps columns to fields.
    std::optional<InputFailure> start();
    /// Reads up to `max_rows` rows into `batch` (resized to fit) and `chunk`.
    std::optional<InputFailure> next(RatingsBatch& batch, Chunk& chunk, std::size_t max_rows);

    bool done() const noexcept { return scanner_.done(); }
    std::size_t bytes_done() const noexcept { return scanner_.offset(); }

private:
    static constexpr int id_target = -1;

    struct TransparentHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    using TargetMap = std::unordered_map<std::string, int, TransparentHash, std::equal_to<>>;

    /// What one parsing thread found.
    struct Findings {
        std::vector<RowProblem> problems;
        std::optional<std::pair<std::size_t, InputFailure>> failure;  ///< (line, failure)
    };

    std::optional<InputFailure> read_csv_header();
    std::optional<InputFailure> check_jsonl_start();
    void parse_rows(std::span<const Record> records, std::size_t first_row, RatingsBatch& batch, Chunk& chunk,
                    Findings& found) const;
    void parse_csv_row(const Record& record, std::size_t row, RatingsBatch& batch, Chunk& chunk, Findings& found,
                       std::vector<std::string_view>& cells, std::string& scratch, CellCache& cache) const;
    void parse_jsonl_row(const Record& record, std::size_t row, RatingsBatch& batch, Chunk& chunk, Findings& found,
                         CellCache& cache) const;
    InputFailure unknown_column_failure(std::size_t line, std::string_view column) const;
    std::string place(std::size_t line) const;

    Instrument instrument_;
    std::string_view text_;
    Options options_;
    RecordScanner scanner_;
    std::vector<std::string> header_;  ///< CSV column names, trimmed
    std::vector<int> targets_;         ///< per CSV column: field index or id_target
    TargetMap targets_by_name_;        ///< JSONL keys -> field index or id_target
    std::vector<Record> records_;      ///< reused across chunks
};

}  // namespace kelias::cli
