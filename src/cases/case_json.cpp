// CaseBatch::add_json: one case as a JSON object, read member by member into the row
// builder. The shape is the case-file format of instruments/README.md.
#include <kelias/rules.hpp>

#include <algorithm>
#include <utility>

#include "base/json_scanner.hpp"
#include "base/json_writer.hpp"
#include "base/text.hpp"
#include "cases/case_rows.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

using detail::CaseRowBuilder;
using detail::for_message;
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
        bool seen[detail::case_member_slots] = {};
        while (json_.next_key(first, key)) {
            const int slot = detail::case_member_slot(key);
            if (slot >= 0 && std::exchange(seen[slot], true)) {
                const std::string message = "'" + std::string(key) + "' is given twice";
                if (!json_.skip_value()) return Stop::syntax;
                duplicate(message);
                return stop_;
            }
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
            } else if (key == "description" || key == "placements" || key == "events") {
                // Rules read neither placements nor events (parse_case checks them).
                if (!json_.skip_value()) return Stop::syntax;
            } else {
                shape_error("unknown key '" + for_message(key) +
                            "' (a case has case, as_of, facts, assessments, placements, events)");
                return stop_;
            }
        }
        if (json_.failed() || !json_.finish()) return Stop::syntax;
        return Stop::none;
    }

    /// Feeds the latest assessment of each history read (now that as_of is known).
    void add_histories(std::optional<Date> as_of) {
        for (const auto& [id, history] : histories_) {
            CaseInput c;
            c.assessments = history;
            const AssessmentInput* a = latest_assessment(c, id, as_of);
            if (!a) continue;
            const detail::RequiredInstrument* req = rows_.begin_assessment(id);
            if (!req) continue;
            if (a->date) rows_.assessment_date(*req, *a->date);
            if (!a->ratings.empty()) rows_.assessment_ratings(*req, a->ratings, a->date);
            std::size_t position = 0;
            for (const auto& [name, text] : a->scores) rows_.assessment_score(*req, position++, name, text);
        }
    }

    const std::string& id() const noexcept { return id_; }
    std::optional<Date> as_of() const noexcept { return as_of_; }
    std::string& shape_error() noexcept { return shape_error_; }
    bool duplicate_key() const noexcept { return duplicate_; }

private:
    bool shape_error(std::string message) {
        shape_error_ = std::move(message);
        stop_ = Stop::shape;
        return false;
    }
    bool duplicate(std::string message) {
        shape_error(std::move(message));
        duplicate_ = true;
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
            if (kind == JsonScanner::Kind::object)
                return object_expected("facts." + std::string(name) + " must be a value or a list of records");
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
        bool recording = list >= 0;
        for (std::size_t i = 0; json_.next_element(first); ++i) {
            if (recording) recording = rows_.add_record(list, name);
            if (json_.peek() == JsonScanner::Kind::null) {  // an empty record
                if (!json_.skip_value()) return syntax_error();
                continue;
            }
            if (json_.peek() != JsonScanner::Kind::object)
                return object_expected("facts." + name + "[] must be an object");
            json_.enter_object();
            bool first_field = true;
            std::string_view field;
            while (json_.next_key(first_field, field)) {
                std::optional<std::string_view> text;
                if (!scalar(text,
                            [&] { return "facts." + name + "[]." + std::string(field) + " must be a single value"; }))
                    return false;
                if (recording) rows_.record_field(list, name, i, field, text.value_or(""));
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
            if (json_.peek() == JsonScanner::Kind::array) {
                if (!history(id)) return false;
                continue;
            }
            if (json_.peek() != JsonScanner::Kind::object)
                return object_expected("assessments." + id + " must be an object or a list of them");
            if (!assessment(id)) return false;
        }
        return !json_.failed() || syntax_error();
    }

    // Several assessments of one instrument: kept until the case is read, since the one
    // that speaks for it depends on as_of.
    bool history(const std::string& id) {
        if (histories_.count(id)) {
            if (!json_.skip_value()) return syntax_error();
            return duplicate("assessments." + id + " is given twice");
        }
        std::vector<AssessmentInput>& history = histories_[id];
        json_.enter_array();
        bool first = true;
        for (std::size_t i = 0; json_.next_element(first); ++i) {
            const std::string path = "assessments." + id + "[" + std::to_string(i) + "]";
            if (json_.peek() != JsonScanner::Kind::object) return object_expected(path + " must be an object");
            AssessmentInput& a = history.emplace_back();
            a.instrument = id;
            if (!buffered_assessment(path, a)) return false;
            if (!a.date) return shape_error(path + " has no date (every assessment of a history needs one)");
        }
        return !json_.failed() || syntax_error();
    }

    bool buffered_assessment(const std::string& path, AssessmentInput& a) {
        json_.enter_object();
        bool first = true;
        std::string_view key;
        bool seen[detail::assessment_member_slots] = {};
        while (json_.next_key(first, key)) {
            const int slot = detail::assessment_member_slot(key);
            if (slot >= 0 && std::exchange(seen[slot], true)) {
                const std::string message = path + "." + std::string(key) + " is given twice";
                if (!json_.skip_value()) return syntax_error();
                return duplicate(message);
            }
            if (key == "date") {
                if (!date(a.date, [&] { return path + ".date"; })) return false;
            } else if (key == "ratings" || key == "scores") {
                if (!cell_map(path + "." + std::string(key), key == "ratings" ? a.ratings : a.scores)) return false;
            } else if (key == "header") {
                if (!cell_map(path + ".header", a.header)) return false;
            } else if (key == "assessor" || key == "purpose") {
                // The header fields of the same names, as case files have always spelled them.
                const std::string name(key);
                std::optional<std::string_view> text;
                if (!scalar(text, [&] { return path + "." + name + " must be a single value"; })) return false;
                if (!a.header.emplace(name, std::string(text.value_or(""))).second)
                    return duplicate(path + ".header." + name + " is given twice");
            } else {
                return shape_error(path + ": unknown key '" + for_message(key) + "'");
            }
        }
        return !json_.failed() || syntax_error();
    }

    bool cell_map(const std::string& path, std::map<std::string, std::string>& out) {
        if (json_.peek() == JsonScanner::Kind::null) return json_.skip_value() || syntax_error();
        if (json_.peek() != JsonScanner::Kind::object) return object_expected(path + " must be an object");
        json_.enter_object();
        bool first = true;
        std::string_view name;
        while (json_.next_key(first, name)) {
            const std::string member(name);
            std::optional<std::string_view> text;
            if (!scalar(text, [&] { return path + "." + member + " must be a single value"; })) return false;
            if (!out.emplace(member, std::string(text.value_or(""))).second)
                return duplicate(path + "." + for_message(member) + " is given twice");
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
        bool seen[detail::assessment_member_slots] = {};
        while (json_.next_key(first, key)) {
            const int slot = detail::assessment_member_slot(key);
            if (slot >= 0 && std::exchange(seen[slot], true)) {
                const std::string message = "assessments." + id + "." + std::string(key) + " is given twice";
                if (!json_.skip_value()) return syntax_error();
                return duplicate(message);
            }
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
                    if (!scalar(text, [&] { return path() + "." + std::string(name) + " must be a single value"; }))
                        return false;
                    if (!is_ratings) {
                        if (req) rows_.assessment_score(*req, position, name, text.value_or(""));
                    } else if (!ratings.emplace(std::string(name), std::string(text.value_or(""))).second) {
                        return duplicate(path() + "." + for_message(name) + " is given twice");
                    }
                }
                if (json_.failed()) return syntax_error();
            } else if (key == "assessor" || key == "purpose" || key == "header") {  // decisions never read them
                if (!json_.skip_value()) return syntax_error();
            } else {
                return shape_error("assessments." + id + ": unknown key '" + for_message(key) + "'");
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
    std::map<std::string, std::vector<AssessmentInput>> histories_;
    std::string shape_error_;
    bool duplicate_ = false;
    Stop stop_ = Stop::none;
};

// Cell text as a JSON value: bare when JSON reads it back as the same text.
void cell(detail::JsonWriter& w, const std::string& text) {
    if (text == "true" || text == "false") {
        w.raw(text);
        return;
    }
    JsonScanner number(text);
    std::optional<std::string_view> spelled;
    if (number.peek() == JsonScanner::Kind::number && number.read_scalar(spelled) && number.finish() &&
        spelled == text) {
        w.raw(text);
        return;
    }
    w.string(text);
}

void cells(detail::JsonWriter& w, const std::map<std::string, std::string>& values) {
    w.begin_object();
    for (const auto& [name, text] : values) {
        w.key(name);
        cell(w, text);
    }
    w.end_object();
}

void assessment(detail::JsonWriter& w, const AssessmentInput& a) {
    w.begin_object().key("date");
    if (a.date)
        w.string(to_string(*a.date));
    else
        w.null();
    if (!a.ratings.empty()) cells(w.key("ratings"), a.ratings);
    if (!a.scores.empty()) cells(w.key("scores"), a.scores);
    if (!a.header.empty()) cells(w.key("header"), a.header);
    w.end_object();
}

}  // namespace

std::string to_json(const CaseInput& c) {
    std::string out;
    detail::JsonWriter w(out);
    w.begin_object().key("case").string(c.id);
    if (c.as_of) w.key("as_of").string(to_string(*c.as_of));
    w.key("facts").begin_object();
    for (const auto& [name, text] : c.facts) {
        w.key(name);
        cell(w, text);
    }
    for (const auto& [name, records] : c.lists) {
        w.key(name);
        if (!records) {
            w.null();
            continue;
        }
        w.begin_array();
        for (const auto& record : *records) cells(w, record);
        w.end_array();
    }
    w.end_object();
    if (!c.assessments.empty()) {
        w.key("assessments").begin_object();
        std::vector<std::string_view> written;
        for (const AssessmentInput& first : c.assessments) {
            if (std::find(written.begin(), written.end(), first.instrument) != written.end()) continue;
            written.push_back(first.instrument);
            const auto n = std::count_if(c.assessments.begin(), c.assessments.end(),
                                         [&](const AssessmentInput& a) { return a.instrument == first.instrument; });
            w.key(first.instrument);
            if (n > 1) w.begin_array();
            for (const AssessmentInput& a : c.assessments)
                if (a.instrument == first.instrument) assessment(w, a);
            if (n > 1) w.end_array();
        }
        w.end_object();
    }
    if (!c.placements.empty()) {
        w.key("placements").begin_array();
        for (const PlacementStay& stay : c.placements) {
            w.begin_object().key("placement").string(stay.placement).key("from").string(to_string(stay.from));
            if (stay.until) w.key("until").string(to_string(*stay.until));
            w.end_object();
        }
        w.end_array();
    }
    if (!c.events.empty()) {
        w.key("events").begin_array();
        for (const CaseEvent& e : c.events) {
            w.begin_object().key("type").string(e.type).key("date").string(to_string(e.date));
            if (!e.role.empty()) w.key("role").string(e.role);
            if (!e.by.empty()) w.key("by").string(e.by);
            for (const auto& [key, text] : e.details) {
                w.key(key);
                cell(w, text);
            }
            w.end_object();
        }
        w.end_array();
    }
    w.end_object();
    return out;
}

JsonCaseAdded CaseBatch::add_json(std::string_view json, std::optional<Date> as_of) {
    constexpr std::string_view bom = "\xEF\xBB\xBF";  // spreadsheet exports start with one
    if (json.starts_with(bom)) json.remove_prefix(bom.size());
    CaseRowBuilder& rows = reader();
    JsonScanner scanner(json);
    CaseJsonReader reading(scanner, rows);
    const Stop stop = reading.read_case();
    JsonCaseAdded out;
    out.case_id = detail::is_valid_utf8(reading.id()) ? reading.id() : detail::for_message(reading.id());
    if (stop == Stop::syntax) {
        out.problems.push_back(
            {Severity::error, DiagnosticCode::malformed_case, "not valid JSON: " + scanner.error(), {}, {}});
        return out;
    }
    if (stop == Stop::shape) {
        out.problems.push_back(
            {Severity::error,
             reading.duplicate_key() ? DiagnosticCode::duplicate_key : DiagnosticCode::malformed_case,
             std::move(reading.shape_error()),
             {},
             {}});
        return out;
    }
    const std::optional<Date> date = as_of ? as_of : reading.as_of();
    reading.add_histories(date);
    if (!date) rows.problem(CasePath::as_of(), "missing", "give it in the case, or one date for the whole batch");
    if (!rows.commit(*storage_, reading.id(), date))
        out.problems = detail::to_diagnostics(rows.problems(), {}, nullptr);
    return out;
}

KELIAS_END_NAMESPACE
