// ScoreWriter: scores as CSV or JSON lines; the rejects CSV.
#include <kelias/ratings_io.hpp>

#include <cmath>

#include "base/json_writer.hpp"
#include "evaluation/score_text.hpp"
#include "io/csv.hpp"
#include "model/instrument_data.hpp"

KELIAS_BEGIN_NAMESPACE

/// Fragments made once and reused for every row.
struct ScoreWriter::Parts {
    explicit Parts(const Instrument& i) : instrument(i) {}
    Instrument instrument;
    ScoreWriterOptions options;
    std::string csv_header;
    std::vector<std::size_t> visible;         // indexes of non-hidden scores
    std::vector<ScoreType> types;             // per visible score
    std::vector<std::string> json_keys;       // `,"score_id":` per visible score
    std::vector<std::string> pass_json_keys;  // `,"column":` per pass-through column
    std::string instrument_cell;              // CSV: the key, quoted if needed
    std::string instrument_json;              // JSONL: `,"instrument":"key"}`
    std::string id_json_key;                  // JSONL: `{"id":`
};

ScoreWriter::ScoreWriter(const Instrument& instrument, ScoreWriterOptions options)
    : parts_(std::make_unique<Parts>(instrument)) {
    Parts& p = *parts_;
    p.options = std::move(options);
    const char d = p.options.delimiter;
    detail::append_csv_cell(p.csv_header, p.options.id_column, d);
    for (const auto& column : p.options.pass_through) {
        p.csv_header += d;
        detail::append_csv_cell(p.csv_header, column, d);
        std::string key;
        detail::JsonWriter(key).raw(",").key(column);
        p.pass_json_keys.push_back(key);
    }
    const auto scores = instrument.scores();
    for (std::size_t s = 0; s < scores.size(); ++s) {
        if (scores[s].hidden) continue;
        p.csv_header += d;
        detail::append_csv_cell(p.csv_header, scores[s].id, d);
        p.visible.push_back(s);
        p.types.push_back(scores[s].type);
        std::string key = ",";
        detail::append_json_string(key, scores[s].id);
        p.json_keys.push_back(key + ":");
    }
    p.csv_header += d;
    p.csv_header += "instrument\n";
    detail::append_csv_cell(p.instrument_cell, instrument.key(), d);
    p.instrument_json = ",\"instrument\":";
    detail::append_json_string(p.instrument_json, instrument.key());
    p.instrument_json += "}\n";
    p.id_json_key = "{";
    detail::append_json_string(p.id_json_key, p.options.id_column);
    p.id_json_key += ':';
}

ScoreWriter::~ScoreWriter() = default;
ScoreWriter::ScoreWriter(ScoreWriter&&) noexcept = default;
ScoreWriter& ScoreWriter::operator=(ScoreWriter&&) noexcept = default;

std::string ScoreWriter::header() const {
    return parts_->options.format == ScoresFormat::csv ? parts_->csv_header : std::string();
}

void ScoreWriter::append_row(std::string& out, const RatingsChunk& chunk, const ScoreBatch& scores,
                             std::size_t row) const {
    const Parts& p = *parts_;
    const std::string& id = chunk.batch.id(row);
    if (p.options.format == ScoresFormat::csv) {
        const char d = p.options.delimiter;
        detail::append_csv_cell(out, id, d);
        for (std::size_t k = 0; k < p.options.pass_through.size() && k < chunk.pass_through.size(); ++k) {
            out += d;
            detail::append_csv_cell(out, chunk.pass_through[k][row], d);
        }
        for (const std::size_t s : p.visible) {
            out += d;
            scores.append_text(out, row, s);
        }
        out += d;
        out += p.instrument_cell;
        out += '\n';
        return;
    }
    out += p.id_json_key;
    detail::append_json_string(out, id);
    for (std::size_t k = 0; k < p.pass_json_keys.size() && k < chunk.pass_through.size(); ++k) {
        out += p.pass_json_keys[k];
        detail::append_json_string(out, chunk.pass_through[k][row]);
    }
    for (std::size_t i = 0; i < p.visible.size(); ++i) {
        const std::size_t s = p.visible[i];
        out += p.json_keys[i];
        if (!scores.known(row, s)) {
            out += "null";
            continue;
        }
        switch (p.types[i]) {
        case ScoreType::number:
            // JSON has no infinity or NaN.
            if (std::isfinite(scores.raw(row, s)))
                scores.append_text(out, row, s);
            else
                out += "null";
            break;
        case ScoreType::boolean:
            scores.append_text(out, row, s);
            break;
        case ScoreType::category:
        case ScoreType::date:
            out += '"';
            scores.append_text(out, row, s);  // codes and ISO dates need no escaping
            out += '"';
            break;
        }
    }
    out += p.instrument_json;
}

std::string rejects_csv_header() { return "row,id,column,reason\n"; }

void append_reject(std::string& out, const RowProblem& p) {
    out += std::to_string(p.line);
    out += ',';
    detail::append_csv_cell(out, p.id);
    out += ',';
    detail::append_csv_cell(out, p.column);
    out += ',';
    detail::append_csv_cell(out, p.reason);
    out += '\n';
}

std::string row_label(std::size_t line, std::string_view id) {
    return id.empty() ? "row " + std::to_string(line) : "row " + std::to_string(line) + " (id " + std::string(id) + ")";
}

KELIAS_END_NAMESPACE
