#pragma once
/// \file score_output.hpp
/// Writing scores (CSV or JSONL) and reporting rejected rows and check warnings.
#include <cstddef>
#include <string>
#include <vector>

#include <kelias/instrument.hpp>
#include <kelias/scoring.hpp>

#include "cli/output.hpp"
#include "cli/score_input.hpp"

namespace kelias::cli {

enum class OutputFormat { csv, jsonl };

/// Formats result rows: the id, every non-hidden score in the instrument's order, then
/// `instrument` (`id@version`).
class ScoreFormatter {
public:
    ScoreFormatter(const Instrument& instrument, OutputFormat format, const std::string& id_column);

    /// The CSV header line; empty for JSONL.
    std::string header() const;
    void append_row(std::string& out, const std::string& id, const ScoreBatch& scores, std::size_t row) const;

private:
    void append_csv_row(std::string& out, const std::string& id, const ScoreBatch& scores, std::size_t row) const;
    void append_jsonl_row(std::string& out, const std::string& id, const ScoreBatch& scores, std::size_t row) const;

    OutputFormat format_;
    std::string csv_header_;
    std::vector<std::size_t> visible_;     ///< indexes of non-hidden scores
    std::vector<ScoreType> types_;         ///< per visible score
    std::vector<std::string> json_keys_;   ///< `,"score_id":` per visible score
    std::string instrument_cell_;          ///< CSV: the key, quoted if needed
    std::string instrument_json_;          ///< JSONL: `,"instrument":"key"}`
    std::string id_json_key_;              ///< JSONL: `{"id":`
};

/// Rejected rows, to a CSV file (`row,id,column,reason`) or to stderr as
/// `row N (id X): column C: reason`. Never the rejected cell's value.
class RejectLog {
public:
    /// `file` null: report on stderr.
    explicit RejectLog(OutputFile* file) : file_(file) {}
    bool begin(std::string& error);
    void add(const RowProblem& problem);
    /// Writes what has been gathered (to the file) or prints it (to stderr).
    bool flush(std::string& error);

private:
    OutputFile* file_;
    std::string buffer_;
};

/// `row N (id X)`: how reports name a row.
std::string row_label(std::size_t line, const std::string& id);


}  // namespace kelias::cli
