// assessment_fields, outcome_groups, age_range and labels_confidence of instruments.
#include "definitions/assessment_meta.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include "base/text.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

std::string joined(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
    return out;
}

std::optional<ContentConfidence> confidence(YamlReader& yaml, const YAML::Node& n) {
    if (!yaml.expect_scalar(n, "confidence")) return std::nullopt;
    const std::string& t = n.Scalar();
    if (t == "verified") return ContentConfidence::verified;
    if (t == "secondary") return ContentConfidence::secondary;
    if (t == "unverified") return ContentConfidence::unverified;
    yaml.error(n, DiagnosticCode::invalid_value, "'" + for_message(t) + "' is not a confidence grade",
               "write verified, secondary or unverified");
    return std::nullopt;
}

std::optional<HeaderFieldType> header_type(const std::string& t) {
    if (t == "code") return HeaderFieldType::code;
    if (t == "codes") return HeaderFieldType::codes;
    if (t == "text") return HeaderFieldType::text;
    if (t == "date") return HeaderFieldType::date;
    if (t == "bool") return HeaderFieldType::boolean;
    if (t == "integer") return HeaderFieldType::integer;
    return std::nullopt;
}

void read_field(YamlReader& yaml, InstrumentData& d, const std::string& id, const YAML::Node& spec) {
    const std::string what = "assessment field '" + id + "'";
    AssessmentFieldInfo f;
    f.id = id;
    if (spec.IsScalar()) {  // short form: the type alone
        auto t = header_type(spec.Scalar());
        if (!t) {
            yaml.error(spec, DiagnosticCode::invalid_field,
                       "unknown type '" + for_message(spec.Scalar()) + "' of " + what,
                       "write code, codes, text, date, bool or integer");
            return;
        }
        if (*t == HeaderFieldType::code || *t == HeaderFieldType::codes) {
            yaml.error(spec, DiagnosticCode::invalid_field, what + " needs its codes",
                       "write {type: " + spec.Scalar() + ", values: [...]} or {type: " + spec.Scalar() +
                           ", scale: SCALE}");
            return;
        }
        f.type = *t;
        d.assessment_fields.push_back(std::move(f));
        return;
    }
    if (!yaml.expect_map(spec, what)) return;
    yaml.check_keys(spec, {"type", "values", "scale", "required", "personal", "label", "description", "confidence"},
                    what);
    auto tn = yaml.required(spec, "type", what);
    if (!tn || !yaml.expect_scalar(*tn, "type")) return;
    auto t = header_type(tn->Scalar());
    if (!t) {
        yaml.error(*tn, DiagnosticCode::invalid_field, "unknown type '" + for_message(tn->Scalar()) + "' of " + what,
                   "write code, codes, text, date, bool or integer");
        return;
    }
    f.type = *t;
    const bool coded = f.type == HeaderFieldType::code || f.type == HeaderFieldType::codes;
    const YAML::Node values = spec["values"], scale = spec["scale"];
    if (!coded && (values.IsDefined() || scale.IsDefined())) {
        yaml.error(values.IsDefined() ? values : scale, DiagnosticCode::invalid_field,
                   what + " is of type " + tn->Scalar() + ": it takes no codes", "codes belong to type code or codes");
        return;
    }
    if (coded) {
        if (values.IsDefined() == scale.IsDefined()) {
            yaml.error(spec, DiagnosticCode::invalid_field, what + " needs either 'values' or 'scale'",
                       "list its codes, or name a coded scale");
            return;
        }
        if (values.IsDefined()) {
            if (!yaml.expect_list(values, "values")) return;
            for (const auto& v : values) {
                auto code = yaml.id(v, "code");
                if (!code) continue;
                if (std::find(f.codes.begin(), f.codes.end(), *code) != f.codes.end()) {
                    yaml.error(v, DiagnosticCode::duplicate_id, "code '" + *code + "' appears twice in " + what);
                    continue;
                }
                f.codes.push_back(*code);
            }
            if (f.codes.empty() && values.size() == 0) {
                yaml.error(values, DiagnosticCode::invalid_field, what + " has no codes");
                return;
            }
        } else {
            auto sid = yaml.id(scale, "scale");
            if (!sid) return;
            auto it = d.scale_index.find(*sid);
            if (it == d.scale_index.end()) {
                std::vector<std::string> ids;
                for (const auto& s : d.scales) ids.push_back(s.id);
                yaml.error(scale, DiagnosticCode::unknown_scale, "unknown scale '" + *sid + "'",
                           did_you_mean(*sid, ids));
                return;
            }
            const Scale& s = d.scales[static_cast<std::size_t>(it->second)];
            if (s.numeric) {
                yaml.error(scale, DiagnosticCode::invalid_field, "scale '" + *sid + "' of " + what + " has numbers",
                           "a header field takes a scale of codes");
                return;
            }
            for (int c : s.codes) f.codes.push_back(d.strings[static_cast<std::size_t>(c)]);
        }
    }
    if (spec["required"].IsDefined())
        if (auto b = yaml.boolean(spec["required"], "required")) f.required = *b;
    if (spec["personal"].IsDefined())
        if (auto b = yaml.boolean(spec["personal"], "personal")) f.personal = *b;
    if (spec["label"].IsDefined()) f.labels = yaml.labels(spec["label"], "label");
    if (spec["description"].IsDefined()) yaml.labels(spec["description"], "description");
    if (spec["confidence"].IsDefined()) f.confidence = confidence(yaml, spec["confidence"]);
    d.assessment_fields.push_back(std::move(f));
}

void read_fields(YamlReader& yaml, InstrumentData& d, const YAML::Node& n) {
    if (!n.IsDefined() || !yaml.expect_map(n, "assessment_fields")) return;
    for (auto it = n.begin(); it != n.end(); ++it) {
        auto id = yaml.id(it->first, "assessment field id");
        if (!id) continue;
        if (*id == "date") {
            yaml.error(it->first, DiagnosticCode::invalid_value, "'date' cannot be an assessment field",
                       "the assessment's date is its own key (date:) in cases and ratings files");
            continue;
        }
        YAML::Node spec = it->second;  // a copy: it-> goes through a temporary proxy
        read_field(yaml, d, *id, spec);
    }
    // Ratings files name header columns `header.<id>`: an item called `header` would clash.
    if (!d.assessment_fields.empty())
        if (auto e = d.entry_by_id.find("header"); e != d.entry_by_id.end())
            yaml.error(d.entry_models[e->second].where, DiagnosticCode::duplicate_id,
                       "an item or outcome called 'header' clashes with the assessment fields' columns (header.ID)",
                       "rename the item");
}

void read_groups(YamlReader& yaml, InstrumentData& d, const YAML::Node& n) {
    if (!n.IsDefined() || !yaml.expect_list(n, "outcome_groups")) return;
    for (const auto& g : n) {
        if (!yaml.expect_map(g, "an outcome group")) continue;
        yaml.check_keys(g, {"id", "label", "description"}, "an outcome group");
        auto idn = yaml.required(g, "id", "an outcome group");
        if (!idn) continue;
        auto id = yaml.id(*idn, "outcome group id");
        if (!id) continue;
        if (std::any_of(d.outcome_groups.begin(), d.outcome_groups.end(),
                        [&](const OutcomeGroupInfo& o) { return o.id == *id; })) {
            yaml.error(*idn, DiagnosticCode::duplicate_id, "outcome group '" + *id + "' is declared twice");
            continue;
        }
        OutcomeGroupInfo info;
        info.id = *id;
        if (g["label"].IsDefined()) info.labels = yaml.labels(g["label"], "label");
        if (g["description"].IsDefined()) yaml.labels(g["description"], "description");
        d.outcome_groups.push_back(std::move(info));
    }
    std::vector<std::string> ids;
    for (const auto& g : d.outcome_groups) ids.push_back(g.id);
    for (std::size_t i = 0; i < d.entries.size(); ++i) {
        const EntryInfo& e = d.entries[i];
        if (!e.is_outcome) continue;
        if (e.domain.empty())
            yaml.error(d.entry_models[i].where, DiagnosticCode::unknown_reference,
                       "outcome '" + e.id + "' has no group, but the file declares outcome_groups",
                       "give it one of: " + joined(ids));
        else if (std::find(ids.begin(), ids.end(), e.domain) == ids.end())
            yaml.error(d.entry_models[i].where, DiagnosticCode::unknown_reference,
                       "outcome '" + e.id + "' names group '" + e.domain + "', which outcome_groups does not declare",
                       did_you_mean(e.domain, ids));
    }
}

std::optional<int> whole_years(YamlReader& yaml, const YAML::Node& n, const char* what) {
    auto x = yaml.number(n, what);
    if (!x) return std::nullopt;
    if (*x < 0 || *x > 150 || *x != static_cast<double>(static_cast<int>(*x))) {
        yaml.error(n, DiagnosticCode::invalid_value, std::string(what) + " must be whole years from 0 to 150");
        return std::nullopt;
    }
    return static_cast<int>(*x);
}

void read_age_range(YamlReader& yaml, InstrumentData& d, const YAML::Node& n) {
    if (!n.IsDefined() || !yaml.expect_map(n, "age_range")) return;
    yaml.check_keys(n, {"min", "max", "confidence", "source"}, "age_range");
    AgeRange range;
    if (n["min"].IsDefined()) range.min = whole_years(yaml, n["min"], "age_range.min");
    if (n["max"].IsDefined()) range.max = whole_years(yaml, n["max"], "age_range.max");
    if (n["confidence"].IsDefined()) range.confidence = confidence(yaml, n["confidence"]);
    if (n["source"].IsDefined()) yaml.text(n["source"], "source");
    if (!n["min"].IsDefined() && !n["max"].IsDefined()) {
        yaml.error(n, DiagnosticCode::missing_key, "age_range needs min, max or both");
        return;
    }
    if (range.min && range.max && *range.min > *range.max) {
        yaml.error(n["min"], DiagnosticCode::invalid_value, "age_range.min is above age_range.max");
        return;
    }
    d.age_range = range;
}

void read_label_confidence(YamlReader& yaml, InstrumentData& d, const YAML::Node& scales) {
    if (!scales.IsDefined() || !scales.IsMap()) return;
    for (auto it = scales.begin(); it != scales.end(); ++it) {
        YAML::Node s = it->second;
        if (!s.IsMap() || !it->first.IsScalar()) continue;
        const YAML::Node c = s["labels_confidence"];
        if (!c.IsDefined()) continue;
        if (!s["labels"].IsDefined()) {
            yaml.warning(c, DiagnosticCode::no_effect,
                         "labels_confidence on scale '" + for_message(it->first.Scalar()) + "', which has no labels");
            continue;
        }
        if (auto grade = confidence(yaml, c)) d.scale_label_confidence.emplace_back(it->first.Scalar(), *grade);
    }
}

}  // namespace

void read_assessment_meta(const YAML::Node& root, YamlReader& yaml, InstrumentData& d) {
    read_fields(yaml, d, root["assessment_fields"]);
    read_groups(yaml, d, root["outcome_groups"]);
    read_age_range(yaml, d, root["age_range"]);
    read_label_confidence(yaml, d, root["scales"]);
}

}  // namespace detail
KELIAS_END_NAMESPACE
