#include "cli/score_output.hpp"

#include <cmath>
#include <cstdio>

#include <fmt/core.h>

#include "cli/csv.hpp"
#include "base/json_writer.hpp"

namespace kelias::cli {

using detail::append_json_string;


std::string row_label(std::size_t line, const std::string& id) {
    return id.empty() ? fmt::format("row {}", line) : fmt::format("row {} (id {})", line, id);
}

ScoreFormatter::ScoreFormatter(const Instrument& instrument, OutputFormat format, const std::string& id_column)
    : format_(format) {
    append_csv_cell(csv_header_, id_column);
    const auto scores = instrument.scores();
    for (std::size_t s = 0; s < scores.size(); ++s) {
        if (scores[s].hidden) continue;
        csv_header_ += ',';
        append_csv_cell(csv_header_, scores[s].id);
        visible_.push_back(s);
        types_.push_back(scores[s].type);
        std::string key = ",";
        append_json_string(key, scores[s].id);
        json_keys_.push_back(key + ":");
    }
    csv_header_ += ",instrument\n";
    append_csv_cell(instrument_cell_, instrument.key());
    instrument_json_ = ",\"instrument\":";
    append_json_string(instrument_json_, instrument.key());
    instrument_json_ += "}\n";
    id_json_key_ = "{";
    append_json_string(id_json_key_, id_column);
    id_json_key_ += ':';
}

std::string ScoreFormatter::header() const { return format_ == OutputFormat::csv ? csv_header_ : std::string(); }

void ScoreFormatter::append_row(std::string& out, const std::string& id, const ScoreBatch& scores, std::size_t row) const {
    if (format_ == OutputFormat::csv)
        append_csv_row(out, id, scores, row);
    else
        append_jsonl_row(out, id, scores, row);
}

void ScoreFormatter::append_csv_row(std::string& out, const std::string& id, const ScoreBatch& scores, std::size_t row) const {
    append_csv_cell(out, id);
    for (const std::size_t s : visible_) {
        out += ',';
        scores.append_text(out, row, s);
    }
    out += ',';
    out += instrument_cell_;
    out += '\n';
}

void ScoreFormatter::append_jsonl_row(std::string& out, const std::string& id, const ScoreBatch& scores, std::size_t row) const {
    out += id_json_key_;
    append_json_string(out, id);
    for (std::size_t i = 0; i < visible_.size(); ++i) {
        const std::size_t s = visible_[i];
        out += json_keys_[i];
        if (!scores.known(row, s)) {
            out += "null";
            continue;
        }
        switch (types_[i]) {
            case ScoreType::number:
                // JSON has no infinity or NaN.
                if (std::isfinite(scores.raw(row, s))) scores.append_text(out, row, s);
                else out += "null";
                break;
            case ScoreType::boolean: scores.append_text(out, row, s); break;
            case ScoreType::category:
            case ScoreType::date: {
                out += '"';
                scores.append_text(out, row, s);  // codes and ISO dates need no escaping
                out += '"';
                break;
            }
        }
    }
    out += instrument_json_;
}

bool RejectLog::begin(std::string& error) {
    if (!file_) return true;
    return file_->write("row,id,column,reason\n", error);
}

void RejectLog::add(const RowProblem& p) {
    if (file_) {
        buffer_ += std::to_string(p.line);
        buffer_ += ',';
        append_csv_cell(buffer_, p.id);
        buffer_ += ',';
        append_csv_cell(buffer_, p.column);
        buffer_ += ',';
        append_csv_cell(buffer_, p.reason);
        buffer_ += '\n';
        return;
    }
    buffer_ += row_label(p.line, p.id);
    if (!p.column.empty()) buffer_ += ": column " + p.column;
    buffer_ += ": " + p.reason + "\n";
}

bool RejectLog::flush(std::string& error) {
    if (buffer_.empty()) return true;
    bool ok = true;
    if (file_) ok = file_->write(buffer_, error);
    else std::fwrite(buffer_.data(), 1, buffer_.size(), stderr);
    buffer_.clear();
    return ok;
}

}  // namespace kelias::cli
