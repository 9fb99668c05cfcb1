#include <kelias/instrument.hpp>

#include <cstdlib>

#include "base/json_writer.hpp"
#include "model/model.hpp"

namespace kelias {

const std::string& Instrument::id() const noexcept { return data_->id; }
const std::string& Instrument::version() const noexcept { return data_->version; }
std::string Instrument::key() const { return data_->id + "@" + data_->version; }
const std::string& Instrument::hash() const noexcept { return data_->hash; }
const std::string& Instrument::title() const noexcept { return data_->title; }
const std::string& Instrument::file() const noexcept { return data_->file; }
std::optional<Duration> Instrument::reassess_every() const noexcept { return data_->reassess_every; }
std::span<const FieldInfo> Instrument::fields() const noexcept { return data_->fields; }
std::span<const ScoreInfo> Instrument::scores() const noexcept { return data_->score_infos; }
std::span<const EntryInfo> Instrument::entries() const noexcept { return data_->entries; }
std::vector<std::string> Instrument::domains() const { return data_->domains; }

std::optional<std::size_t> Instrument::find_field(std::string_view column) const noexcept {
    auto it = data_->field_by_column.find(std::string(column));
    if (it == data_->field_by_column.end()) return std::nullopt;
    return it->second;
}

std::optional<std::size_t> Instrument::find_score(std::string_view id) const noexcept {
    auto it = data_->score_by_id.find(std::string(id));
    if (it == data_->score_by_id.end()) return std::nullopt;
    return it->second;
}

namespace {

const char* field_type_name(FieldType t) {
    switch (t) {
        case FieldType::rating: return "rating";
        case FieldType::boolean: return "bool";
        case FieldType::integer: return "integer";
        case FieldType::number: return "number";
        case FieldType::category: return "category";
        case FieldType::date: return "date";
        case FieldType::duration: return "duration";
    }
    return "?";
}

const char* score_type_name(ScoreType t) {
    switch (t) {
        case ScoreType::number: return "number";
        case ScoreType::boolean: return "bool";
        case ScoreType::category: return "category";
        case ScoreType::date: return "date";
    }
    return "?";
}

std::string allowed_values(const FieldInfo& f) {
    std::string out;
    if (!f.levels.empty()) {
        for (double l : f.levels) out += (out.empty() ? "" : "|") + std::to_string(static_cast<long long>(l));
    } else {
        for (const auto& c : f.codes) out += (out.empty() ? "" : "|") + c;
    }
    return out;
}

}  // namespace

std::string Instrument::describe() const {
    const auto& d = *data_;
    std::string out = d.title + " (" + key() + ")\n";
    out += "  file:   " + d.file + "\n  hash:   " + d.hash + "\n";
    if (d.reassess_every) out += "  reassess every " + to_string(*d.reassess_every) + "\n";
    if (!d.source.empty()) out += "  source: " + d.source + "\n";
    std::size_t items = 0, outcomes = 0;
    for (const auto& e : d.entries) (e.is_outcome ? outcomes : items)++;
    out += "  " + std::to_string(items) + " items, " + std::to_string(outcomes) + " outcomes, " +
           std::to_string(d.fields.size()) + " input columns, " + std::to_string(d.score_infos.size()) + " scores, " +
           std::to_string(d.checks.size()) + " checks, " + std::to_string(d.tests.size()) + " tests\n";
    if (!d.domains.empty()) {
        out += "domains:";
        for (const auto& dom : d.domains) out += " " + dom;
        out += "\n";
    }
    out += "columns:\n";
    for (const auto& f : d.fields) {
        out += "  " + f.column + "  " + field_type_name(f.type);
        std::string values = allowed_values(f);
        if (!values.empty()) out += " " + values;
        if (f.allows_na) out += " (na allowed)";
        out += "\n";
    }
    out += "scores:\n";
    for (const auto& s : d.score_infos)
        out += "  " + s.id + "  " + score_type_name(s.type) + (s.hidden ? " (hidden)" : "") + "  = " + s.expression + "\n";
    return out;
}

std::string Instrument::describe_json() const {
    using detail::json_string;
    const auto& d = *data_;
    std::string out = "{\"id\":" + json_string(d.id) + ",\"version\":" + json_string(d.version) + ",\"key\":" +
                      json_string(key()) + ",\"hash\":" + json_string(d.hash) + ",\"title\":" + json_string(d.title);
    out += ",\"reassess_every\":" + (d.reassess_every ? json_string(to_string(*d.reassess_every)) : std::string("null"));
    out += ",\"domains\":[";
    for (std::size_t i = 0; i < d.domains.size(); ++i) out += (i ? "," : "") + json_string(d.domains[i]);
    out += "],\"entries\":[";
    for (std::size_t i = 0; i < d.entries.size(); ++i) {
        const auto& e = d.entries[i];
        out += std::string(i ? "," : "") + "{\"id\":" + json_string(e.id) + ",\"kind\":" + (e.is_outcome ? "\"outcome\"" : "\"item\"") +
               ",\"domain\":" + (e.domain.empty() ? std::string("null") : json_string(e.domain)) +
               ",\"in_totals\":" + (e.in_totals ? "true" : "false") + ",\"labels\":{";
        for (std::size_t l = 0; l < e.labels.size(); ++l)
            out += (l ? "," : "") + json_string(e.labels[l].first) + ":" + json_string(e.labels[l].second);
        out += "}}";
    }
    out += "],\"columns\":[";
    for (std::size_t i = 0; i < d.fields.size(); ++i) {
        const auto& f = d.fields[i];
        out += std::string(i ? "," : "") + "{\"column\":" + json_string(f.column) + ",\"type\":" + json_string(field_type_name(f.type)) +
               ",\"na\":" + (f.allows_na ? "true" : "false") + ",\"values\":" + json_string(allowed_values(f)) + "}";
    }
    out += "],\"scores\":[";
    for (std::size_t i = 0; i < d.score_infos.size(); ++i) {
        const auto& s = d.score_infos[i];
        out += std::string(i ? "," : "") + "{\"id\":" + json_string(s.id) + ",\"label\":" + json_string(s.label) +
               ",\"type\":" + json_string(score_type_name(s.type)) + ",\"hidden\":" + (s.hidden ? "true" : "false") +
               ",\"expr\":" + json_string(s.expression) + "}";
    }
    out += "]}";
    return out;
}

std::vector<std::filesystem::path> definition_search_path() {
    namespace fs = std::filesystem;
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("KELIAS_PATH")) {
        std::string_view rest(env);
        while (!rest.empty()) {
            auto colon = rest.find(':');
            auto part = rest.substr(0, colon);
            if (!part.empty()) dirs.emplace_back(part);
            if (colon == std::string_view::npos) break;
            rest.remove_prefix(colon + 1);
        }
    }
#ifdef KELIAS_INSTALL_INSTRUMENTS_DIR
    dirs.emplace_back(KELIAS_INSTALL_INSTRUMENTS_DIR);
#endif
#ifdef KELIAS_SOURCE_INSTRUMENTS_DIR
    dirs.emplace_back(KELIAS_SOURCE_INSTRUMENTS_DIR);
    dirs.emplace_back(fs::path(KELIAS_SOURCE_INSTRUMENTS_DIR).parent_path() / "examples" / "instruments");
#endif
    return dirs;
}

std::optional<std::filesystem::path> find_definition(std::string_view id_or_path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path direct(id_or_path);
    if (fs::is_regular_file(direct, ec)) return direct;
    if (id_or_path.find('/') != std::string_view::npos || id_or_path.ends_with(".yaml")) return std::nullopt;
    for (const auto& dir : definition_search_path()) {
        fs::path candidate = dir / (std::string(id_or_path) + ".yaml");
        if (fs::is_regular_file(candidate, ec)) return candidate;
    }
    return std::nullopt;
}

}  // namespace kelias
