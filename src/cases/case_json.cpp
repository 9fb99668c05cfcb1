// CaseBatch::add_json: one case as a JSON object, read member by member into the row
// builder. The shape is the case-file format of instruments/README.md.
#include <kelias/rules.hpp>

#include "cases/case_rows.hpp"
#include "base/json_scanner.hpp"
#include "base/json_writer.hpp"

namespace kelias {
namespace {

using detail::CaseRowBuilder;
using detail::JsonScanner;

/// Why reading stopped: the JSON itself is malformed, or the case has the wrong shape.
enum class Stop { none, syntax, shape };

class CaseJsonReader {
public:
    CaseJsonReader(JsonScanner& json, CaseRowBuilder& rows) : json_(json), rows_(rows) {}

    Stop read_case() {
        if (json_.peek() != JsonScanner::Kind::object) {
            if (!json_.skip_value() || !json_.finish()) return Stop::syntax;
            shape_error("a case must be a JSON object");
            return stop_;
        }
        json_.enter_object();
        bool first = true;
        std::string_view key;
        while (json_.next_key(first, key)) {
            if (key == "case") {
                std::optional<std::string_view> text;
                if (!scalar(text, [] { return std::string("case must be a single value"); })) return stop_;
                id_ = text.value_or("");
            } else if (key == "as_of") {
                if (!date(as_of_, [] { return std::string("as_of"); })) return stop_;
            } else if (key == "facts") {
                if (!facts()) return stop_;
            } else if (key == "assessments") {
                if (!assessments()) return stop_;
            } else if (key == "description") {
                if (!json_.skip_value()) return Stop::syntax;
            } else {
                shape_error("unknown key '" + std::string(key) + "' (a case has case, as_of, facts, assessments)");
                return stop_;
            }
        }
        if (json_.failed() || !json_.finish()) return Stop::syntax;
        return Stop::none;
    }

    const std::string& id() const noexcept { return id_; }
    std::optional<Date> as_of() const noexcept { return as_of_; }
    std::string& shape_error() noexcept { return shape_error_; }

private:
    bool shape_error(std::string message) {
        shape_error_ = std::move(message);
        stop_ = Stop::shape;
        return false;
    }
    bool syntax_error() {
        stop_ = Stop::syntax;
        return false;
    }

    // A scalar member; `what()` makes the shape error for an object or array (only then:
    // most members are fine, and their paths are not worth building).
    template <class Message>
    bool scalar(std::optional<std::string_view>& text, Message&& what) {
        const auto kind = json_.peek();
        if (kind == JsonScanner::Kind::object || kind == JsonScanner::Kind::array) {
            std::string message = what();  // before skipping: the value's keys reuse the key buffer
            if (!json_.skip_value()) return syntax_error();
            return shape_error(std::move(message));
        }
        if (!json_.read_scalar(text)) return syntax_error();
        return true;
    }

    template <class Path>
    bool date(std::optional<Date>& out, Path&& path) {
        auto what = [&] { return path() + " must be a date YYYY-MM-DD"; };
        std::optional<std::string_view> text;
        if (!scalar(text, what)) return false;
        if (!text) return true;
        out = parse_date(*text);
        return out || shape_error(what());
    }

    bool facts() {
        if (json_.peek() == JsonScanner::Kind::null) return json_.skip_value() || syntax_error();
        if (json_.peek() != JsonScanner::Kind::object) return object_expected("facts must be an object");
        json_.enter_object();
        bool first = true;
        std::string_view name;
        for (std::size_t position = 0; json_.next_key(first, name); ++position) {
            const auto kind = json_.peek();
            if (kind == JsonScanner::Kind::array) {
                if (!list(position, std::string(name))) return false;
                continue;
            }
            if (kind == JsonScanner::Kind::object) return object_expected("facts." + std::string(name) + " must be a value or a list of records");
            std::optional<std::string_view> text;
            if (!json_.read_scalar(text)) return syntax_error();
            rows_.fact(position, name, text.value_or(""));
        }
        return !json_.failed() || syntax_error();
    }

    bool list(std::size_t position, const std::string& name) {
        json_.enter_array();
        const int list = rows_.begin_list(position, name);
        bool first = true;
        for (std::size_t i = 0; json_.next_element(first); ++i) {
            if (list >= 0) rows_.add_record(list);
            if (json_.peek() == JsonScanner::Kind::null) {  // an empty record
                if (!json_.skip_value()) return syntax_error();
                continue;
            }
            if (json_.peek() != JsonScanner::Kind::object) return object_expected("facts." + name + "[] must be an object");
            json_.enter_object();
            bool first_field = true;
            std::string_view field;
            while (json_.next_key(first_field, field)) {
                std::optional<std::string_view> text;
                if (!scalar(text, [&] { return "facts." + name + "[]." + std::string(field) + " must be a single value"; })) return false;
                if (list >= 0) rows_.record_field(list, name, i, field, text.value_or(""));
            }
            if (json_.failed()) return syntax_error();
        }
        return !json_.failed() || syntax_error();
    }

    bool assessments() {
        if (json_.peek() == JsonScanner::Kind::null) return json_.skip_value() || syntax_error();
        if (json_.peek() != JsonScanner::Kind::object) return object_expected("assessments must be an object");
        json_.enter_object();
        bool first = true;
        std::string_view key;
        while (json_.next_key(first, key)) {
            const std::string id(key);
            if (json_.peek() != JsonScanner::Kind::object) return object_expected("assessments." + id + " must be an object");
            if (!assessment(id)) return false;
        }
        return !json_.failed() || syntax_error();
    }

    bool assessment(const std::string& id) {
        const detail::RequiredInstrument* req = rows_.begin_assessment(id);
        json_.enter_object();
        std::optional<Date> date;
        std::map<std::string, std::string> ratings;
        bool first = true;
        std::string_view key;
        while (json_.next_key(first, key)) {
            if (key == "date") {
                if (!this->date(date, [&] { return "assessments." + id + ".date"; })) return false;
                if (req && date) rows_.assessment_date(*req, *date);
            } else if (key == "ratings" || key == "scores") {
                const bool is_ratings = key == "ratings";
                auto path = [&] { return "assessments." + id + (is_ratings ? ".ratings" : ".scores"); };
                if (json_.peek() == JsonScanner::Kind::null) {
                    if (!json_.skip_value()) return syntax_error();
                    continue;
                }
                if (json_.peek() != JsonScanner::Kind::object) return object_expected(path() + " must be an object");
                json_.enter_object();
                bool first_member = true;
                std::string_view name;
                for (std::size_t position = 0; json_.next_key(first_member, name); ++position) {
                    std::optional<std::string_view> text;
                    if (!scalar(text, [&] { return path() + "." + std::string(name) + " must be a single value"; })) return false;
                    if (is_ratings) ratings[std::string(name)] = std::string(text.value_or(""));
                    else if (req) rows_.assessment_score(*req, position, name, text.value_or(""));
                }
                if (json_.failed()) return syntax_error();
            } else if (key == "assessor" || key == "purpose") {
                if (!json_.skip_value()) return syntax_error();
            } else {
                return shape_error("assessments." + id + ": unknown key '" + std::string(key) + "'");
            }
        }
        if (json_.failed()) return syntax_error();
        if (req && !ratings.empty()) rows_.assessment_ratings(*req, ratings, date);
        return true;
    }

    // The value is not the object or array the format wants there: a shape error, unless
    // the JSON is malformed anyway.
    bool object_expected(std::string message) {
        if (!json_.skip_value()) return syntax_error();
        return shape_error(std::move(message));
    }

    JsonScanner& json_;
    CaseRowBuilder& rows_;
    std::string id_;
    std::optional<Date> as_of_;
    std::string shape_error_;
    Stop stop_ = Stop::none;
};

// Cell text as a JSON value: bare when JSON reads it back as the same text.
void append_cell(std::string& out, const std::string& text) {
    if (text == "true" || text == "false") {
        out += text;
        return;
    }
    JsonScanner number(text);
    std::optional<std::string_view> spelled;
    if (number.peek() == JsonScanner::Kind::number && number.read_scalar(spelled) && number.finish() && spelled == text) {
        out += text;
        return;
    }
    detail::append_json_string(out, text);
}

void append_cells(std::string& out, const std::map<std::string, std::string>& cells) {
    out += '{';
    bool first = true;
    for (const auto& [name, text] : cells) {
        if (!first) out += ',';
        first = false;
        detail::append_json_string(out, name);
        out += ':';
        append_cell(out, text);
    }
    out += '}';
}

}  // namespace

std::string to_json(const CaseInput& c) {
    std::string out = "{\"case\":";
    detail::append_json_string(out, c.id);
    if (c.as_of) out += ",\"as_of\":\"" + to_string(*c.as_of) + "\"";
    out += ",\"facts\":";
    append_cells(out, c.facts);
    if (!c.lists.empty()) {
        out.pop_back();  // the facts' closing brace
        bool first = c.facts.empty();
        for (const auto& [name, records] : c.lists) {
            if (!first) out += ',';
            first = false;
            detail::append_json_string(out, name);
            if (!records) {
                out += ":null";
                continue;
            }
            out += ":[";
            for (std::size_t i = 0; i < records->size(); ++i) {
                if (i) out += ',';
                append_cells(out, (*records)[i]);
            }
            out += ']';
        }
        out += '}';
    }
    if (!c.assessments.empty()) {
        out += ",\"assessments\":{";
        for (std::size_t i = 0; i < c.assessments.size(); ++i) {
            const AssessmentInput& a = c.assessments[i];
            if (i) out += ',';
            detail::append_json_string(out, a.instrument);
            out += a.date ? ":{\"date\":\"" + to_string(*a.date) + "\"" : std::string(":{\"date\":null");
            if (!a.ratings.empty()) {
                out += ",\"ratings\":";
                append_cells(out, a.ratings);
            }
            if (!a.scores.empty()) {
                out += ",\"scores\":";
                append_cells(out, a.scores);
            }
            out += '}';
        }
        out += '}';
    }
    out += '}';
    return out;
}

JsonCaseAdded CaseBatch::add_json(std::string_view json, std::optional<Date> as_of) {
    CaseRowBuilder& rows = CaseRowBuilder::start(*storage_);
    JsonScanner scanner(json);
    CaseJsonReader reader(scanner, rows);
    const Stop stop = reader.read_case();
    JsonCaseAdded out;
    out.case_id = reader.id();
    if (stop == Stop::syntax) {
        out.problems.push_back({Severity::error, "E703", "not valid JSON: " + scanner.error(), {}, {}});
        return out;
    }
    if (stop == Stop::shape) {
        out.problems.push_back({Severity::error, "E703", std::move(reader.shape_error()), {}, {}});
        return out;
    }
    const std::optional<Date> date = as_of ? as_of : reader.as_of();
    if (!date) rows.problem("no as_of date", "give it in the case, or one date for the whole batch");
    if (!rows.commit(*storage_, out.case_id, date)) out.problems = rows.problems();
    return out;
}

}  // namespace kelias
