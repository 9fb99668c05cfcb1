// Instrument: the public face of a compiled InstrumentData.
#include <kelias/instrument.hpp>

#include "base/json_writer.hpp"
#include "base/number_format.hpp"
#include "base/text.hpp"
#include "model/instrument_data.hpp"

KELIAS_BEGIN_NAMESPACE

namespace detail {
Instrument make_instrument(std::shared_ptr<const InstrumentData> data) { return Instrument(std::move(data)); }
}  // namespace detail

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
std::span<const AssessmentFieldInfo> Instrument::assessment_fields() const noexcept { return data_->assessment_fields; }
std::span<const OutcomeGroupInfo> Instrument::outcome_groups() const noexcept { return data_->outcome_groups; }
std::optional<AgeRange> Instrument::age_range() const noexcept { return data_->age_range; }
std::vector<std::pair<std::string, ContentConfidence>> Instrument::scale_label_confidence() const {
    return data_->scale_label_confidence;
}

bool Instrument::same_definition(const Instrument& other) const noexcept {
    return data_ == other.data_ || (data_ && other.data_ && data_->hash == other.data_->hash);
}

Result<std::size_t> Instrument::find_field(std::string_view column) const {
    if (auto it = data_->field_by_column.find(std::string(column)); it != data_->field_by_column.end())
        return it->second;
    if (auto it = data_->field_by_alias.find(std::string(column)); it != data_->field_by_alias.end()) return it->second;
    std::vector<std::string> columns;
    for (const auto& f : data_->fields) columns.push_back(f.column);
    return std::vector<Diagnostic>{
        {Severity::error,
         DiagnosticCode::unknown_column,
         "unknown column '" + detail::for_message(column) + "': " + key() + " has no such field",
         detail::did_you_mean(column, columns),
         {}}};
}

Result<std::size_t> Instrument::find_score(std::string_view id) const {
    if (auto it = data_->score_by_id.find(std::string(id)); it != data_->score_by_id.end()) return it->second;
    std::vector<std::string> ids;
    for (const auto& s : data_->score_infos) ids.push_back(s.id);
    return std::vector<Diagnostic>{{Severity::error,
                                    DiagnosticCode::unknown_score,
                                    "unknown score '" + detail::for_message(id) + "' of " + key(),
                                    detail::did_you_mean(id, ids),
                                    {}}};
}

namespace {

// " [legacy edition 2003]" or " [edition 2016]"; empty for a score of the current edition.
std::string edition_text(const ScoreInfo& s) {
    if (s.edition.empty()) return {};
    return std::string(s.legacy ? " [legacy edition " : " [edition ") + s.edition + "]";
}

const char* score_type_name(ScoreType t) {
    switch (t) {
    case ScoreType::number:
        return "number";
    case ScoreType::boolean:
        return "bool";
    case ScoreType::category:
        return "category";
    case ScoreType::date:
        return "date";
    }
    return "?";
}

std::string english_label(const std::vector<std::pair<std::string, std::string>>& labels) {
    for (const auto& [language, text] : labels)
        if (language == "en") return text;
    return {};
}

std::string codes_text(const std::vector<std::string>& codes) {
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : "|") + c;
    return out;
}

std::string age_text(const AgeRange& r) {
    if (r.min && r.max) return std::to_string(*r.min) + "-" + std::to_string(*r.max);
    if (r.min) return std::to_string(*r.min) + " and over";
    return "up to " + std::to_string(r.max.value_or(0));
}

// The assessment metadata and content sections; nothing when the file declares none.
void describe_meta(const detail::InstrumentData& d, std::string& out) {
    if (!d.outcome_groups.empty()) {
        out += "outcome groups:\n";
        for (const auto& g : d.outcome_groups) {
            const std::string label = english_label(g.labels);
            out += "  " + g.id + (label.empty() ? "" : "  " + label) + "\n";
        }
    }
    if (d.age_range) {
        out += "age range: " + age_text(*d.age_range);
        if (d.age_range->confidence) out += " (" + std::string(to_string(*d.age_range->confidence)) + ")";
        out += "\n";
    }
    if (!d.assessment_fields.empty()) {
        out += "assessment fields (columns header.ID):\n";
        for (const auto& f : d.assessment_fields) {
            out += "  " + f.id + "  " + std::string(to_string(f.type));
            if (!f.codes.empty()) out += " " + codes_text(f.codes);
            if (f.required) out += " (required)";
            if (f.personal) out += " (personal)";
            if (f.confidence) out += " (confidence: " + std::string(to_string(*f.confidence)) + ")";
            out += "\n";
        }
    }
    if (!d.scale_label_confidence.empty()) {
        out += "scale labels:";
        for (const auto& [scale, grade] : d.scale_label_confidence)
            out += " " + scale + " (" + std::string(to_string(grade)) + ")";
        out += "\n";
    }
}

std::string allowed_values(const FieldInfo& f) {
    std::string out;
    if (!f.levels.empty()) {
        for (double l : f.levels) {
            if (!out.empty()) out += '|';
            detail::append_number(out, l);
        }
    } else {
        for (const auto& c : f.codes) out += (out.empty() ? "" : "|") + c;
    }
    return out;
}

}  // namespace

std::string_view to_string(ContentConfidence c) noexcept {
    switch (c) {
    case ContentConfidence::verified:
        return "verified";
    case ContentConfidence::secondary:
        return "secondary";
    case ContentConfidence::unverified:
        return "unverified";
    }
    return "?";
}

std::string_view to_string(HeaderFieldType t) noexcept {
    switch (t) {
    case HeaderFieldType::code:
        return "code";
    case HeaderFieldType::codes:
        return "codes";
    case HeaderFieldType::text:
        return "text";
    case HeaderFieldType::date:
        return "date";
    case HeaderFieldType::boolean:
        return "bool";
    case HeaderFieldType::integer:
        return "integer";
    }
    return "?";
}

std::string_view to_string(FieldType t) noexcept {
    switch (t) {
    case FieldType::rating:
        return "rating";
    case FieldType::boolean:
        return "bool";
    case FieldType::integer:
        return "integer";
    case FieldType::number:
        return "number";
    case FieldType::category:
        return "category";
    case FieldType::date:
        return "date";
    case FieldType::duration:
        return "duration";
    case FieldType::codes:
        return "codes";
    }
    return "?";
}

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
    describe_meta(d, out);
    out += "columns:\n";
    for (const auto& f : d.fields) {
        out += "  " + f.column + "  " + std::string(to_string(f.type));
        const std::string values = allowed_values(f);
        if (!values.empty()) out += " " + values;
        if (f.allows_na) out += " (na allowed)";
        if (!f.absent.empty()) out += " (absent counts as " + f.absent + ")";
        if (!f.column_aliases.empty()) {
            out += " (also read as:";
            for (const auto& alias : f.column_aliases) out += " " + alias;
            out += ")";
        }
        if (!f.code_aliases.empty()) out += " (" + std::to_string(f.code_aliases.size()) + " code aliases)";
        out += "\n";
    }
    out += "scores:\n";
    for (const auto& s : d.score_infos)
        out += "  " + s.id + "  " + score_type_name(s.type) + (s.hidden ? " (hidden)" : "") + edition_text(s) + "  = " +
               s.expression + "\n";
    return out;
}

std::string Instrument::describe_json() const {
    const auto& d = *data_;
    std::string out;
    detail::JsonWriter w(out);
    w.begin_object().key("id").string(d.id).key("version").string(d.version).key("key").string(key());
    w.key("hash").string(d.hash).key("title").string(d.title).key("reassess_every");
    if (d.reassess_every)
        w.string(to_string(*d.reassess_every));
    else
        w.null();
    w.key("domains").begin_array();
    for (const auto& dom : d.domains) w.string(dom);
    w.end_array().key("entries").begin_array();
    for (const auto& e : d.entries) {
        w.begin_object().key("id").string(e.id).key("kind").string(e.is_outcome ? "outcome" : "item").key("domain");
        if (e.domain.empty())
            w.null();
        else
            w.string(e.domain);
        w.key("in_totals").boolean(e.in_totals).key("labels").begin_object();
        for (const auto& [language, text] : e.labels) w.key(language).string(text);
        w.end_object().end_object();
    }
    w.end_array().key("columns").begin_array();
    for (const auto& f : d.fields) {
        w.begin_object()
            .key("column")
            .string(f.column)
            .key("type")
            .string(to_string(f.type))
            .key("na")
            .boolean(f.allows_na)
            .key("values")
            .string(allowed_values(f));
        // Inputs as the source gives them: only for fields that declare them.
        if (!f.absent.empty()) w.key("absent").string(f.absent);
        if (!f.column_aliases.empty()) {
            w.key("column_aliases").begin_array();
            for (const auto& alias : f.column_aliases) w.string(alias);
            w.end_array();
        }
        if (!f.code_aliases.empty()) {
            w.key("code_aliases").begin_object();
            for (const auto& [alias, code] : f.code_aliases) w.key(alias).string(code);
            w.end_object();
        }
        w.end_object();
    }
    w.end_array().key("scores").begin_array();
    for (const auto& s : d.score_infos) {
        w.begin_object()
            .key("id")
            .string(s.id)
            .key("label")
            .string(s.label)
            .key("type")
            .string(score_type_name(s.type))
            .key("hidden")
            .boolean(s.hidden)
            .key("expr")
            .string(s.expression);
        if (!s.edition.empty()) w.key("edition").string(s.edition).key("legacy").boolean(s.legacy);
        w.end_object();
    }
    w.end_array();
    if (!d.outcome_groups.empty()) {
        w.key("outcome_groups").begin_array();
        for (const auto& g : d.outcome_groups) {
            w.begin_object().key("id").string(g.id).key("labels").begin_object();
            for (const auto& [language, text] : g.labels) w.key(language).string(text);
            w.end_object().end_object();
        }
        w.end_array();
    }
    if (d.age_range) {
        w.key("age_range").begin_object().key("min");
        if (d.age_range->min)
            w.integer(*d.age_range->min);
        else
            w.null();
        w.key("max");
        if (d.age_range->max)
            w.integer(*d.age_range->max);
        else
            w.null();
        w.key("confidence");
        if (d.age_range->confidence)
            w.string(to_string(*d.age_range->confidence));
        else
            w.null();
        w.end_object();
    }
    if (!d.assessment_fields.empty()) {
        w.key("assessment_fields").begin_array();
        for (const auto& f : d.assessment_fields) {
            w.begin_object().key("id").string(f.id).key("column").string("header." + f.id);
            w.key("type").string(to_string(f.type)).key("required").boolean(f.required);
            w.key("personal").boolean(f.personal).key("values").begin_array();
            for (const auto& c : f.codes) w.string(c);
            w.end_array().key("confidence");
            if (f.confidence)
                w.string(to_string(*f.confidence));
            else
                w.null();
            w.key("labels").begin_object();
            for (const auto& [language, text] : f.labels) w.key(language).string(text);
            w.end_object().end_object();
        }
        w.end_array();
    }
    if (!d.scale_label_confidence.empty()) {
        w.key("scale_label_confidence").begin_object();
        for (const auto& [scale, grade] : d.scale_label_confidence) w.key(scale).string(to_string(grade));
        w.end_object();
    }
    w.end_object();
    return out;
}

KELIAS_END_NAMESPACE
