// Fields: field specs and sets, the one namespace of ids, and columns.
#include <algorithm>
#include <set>

#include "base/calendar.hpp"
#include "base/text.hpp"
#include "definitions/definition_reader.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

std::optional<std::string> DefinitionReader::read_code(const YAML::Node& n, const std::string& what) {
    if (!r_.expect_scalar(n, what)) return std::nullopt;
    if (is_code(n.Scalar())) return n.Scalar();
    r_.error(n, DiagnosticCode::invalid_value, "'" + for_message(n.Scalar()) + "' is not a valid " + what,
             "codes are letters, digits and '_', starting with a letter, such as 'moderate' or 'VERY_HIGH'");
    return std::nullopt;
}

std::vector<std::string> DefinitionReader::scale_and_type_names() const {
    std::vector<std::string> names = {"bool", "integer", "number", "date", "duration", "category", "rating"};
    for (const auto& s : m_.scales) names.push_back(s.id);
    return names;
}

bool DefinitionReader::set_type(FieldSpec& f, const std::string& t, const YAML::Node& where) {
    if (t == "bool" || t == "boolean")
        f.type = FieldType::boolean;
    else if (t == "integer")
        f.type = FieldType::integer;
    else if (t == "number")
        f.type = FieldType::number;
    else if (t == "date")
        f.type = FieldType::date;
    else if (t == "duration")
        f.type = FieldType::duration;
    else if (t == "category")
        f.type = FieldType::category;
    else if (t == "rating")
        f.type = FieldType::rating;
    else if (t == "codes" && input_keys_)  // a set of codes: instrument inputs only
        f.type = FieldType::codes;
    else if (auto s = m_.scale_index.find(t); s != m_.scale_index.end()) {
        f.type = FieldType::rating;
        f.scale = s->second;
    } else {
        r_.error(where, DiagnosticCode::unknown_scale, "'" + for_message(t) + "' is neither a field type nor a scale",
                 did_you_mean(t, scale_and_type_names()));
        return false;
    }
    return true;
}

std::optional<FieldSpec> DefinitionReader::read_field_spec(const YAML::Node& n, const std::string& owner_field) {
    FieldSpec f;
    if (n.IsScalar()) {
        if (!set_type(f, n.Scalar(), n)) return std::nullopt;
        if ((f.type == FieldType::rating && f.scale < 0) || f.type == FieldType::category ||
            f.type == FieldType::codes) {
            r_.error(n, DiagnosticCode::invalid_field,
                     "field '" + owner_field + "' of type " + n.Scalar() + " needs " +
                         (f.type == FieldType::rating ? "a scale" : "values"),
                     "use the map form, e.g. {type: category, values: [a, b]}");
            return std::nullopt;
        }
        return f;
    }
    if (!r_.expect_map(n, "field '" + owner_field + "'")) return std::nullopt;
    if (input_keys_)  // instruments: inputs as the source gives them (field_inputs.cpp)
        r_.check_keys(n,
                      {"type", "scale", "values", "min", "max", "na", "label", "description", "absent",
                       "column_aliases", "code_aliases"},
                      "field '" + owner_field + "'");
    else
        r_.check_keys(n, {"type", "scale", "values", "min", "max", "na", "label", "description"},
                      "field '" + owner_field + "'");
    const bool ok = read_field_keys(n, owner_field, f);
    // Single-field items share read_field_keys() but read their label themselves.
    if (n["label"].IsDefined()) r_.labels(n["label"], "label");
    if (n["description"].IsDefined()) r_.labels(n["description"], "description");
    return ok ? std::optional<FieldSpec>(f) : std::nullopt;
}

bool DefinitionReader::read_field_keys(const YAML::Node& n, const std::string& owner_field, FieldSpec& f) {
    bool ok = true;
    bool typed = false;
    if (n["type"].IsDefined() && r_.expect_scalar(n["type"], "type")) {
        ok &= set_type(f, n["type"].Scalar(), n["type"]);
        typed = true;
    }
    if (n["scale"].IsDefined() && r_.expect_scalar(n["scale"], "scale")) {
        auto s = m_.scale_index.find(n["scale"].Scalar());
        if (s == m_.scale_index.end()) {
            std::vector<std::string> ids;
            for (const auto& sc : m_.scales) ids.push_back(sc.id);
            r_.error(n["scale"], DiagnosticCode::unknown_scale,
                     "unknown scale '" + for_message(n["scale"].Scalar()) + "'",
                     did_you_mean(n["scale"].Scalar(), ids));
            ok = false;
            typed = true;  // reported; not also "has no type"
        } else {
            if (typed && f.type != FieldType::rating && f.type != FieldType::codes) {
                r_.error(n["scale"], DiagnosticCode::invalid_field,
                         "'scale' goes with type rating, not this field's type");
                ok = false;
            }
            if (f.type == FieldType::codes && m_.scales[static_cast<std::size_t>(s->second)].numeric) {
                r_.error(n["scale"], DiagnosticCode::invalid_field,
                         "a set of codes needs a scale of codes; '" + n["scale"].Scalar() + "' is numeric");
                ok = false;
            }
            if (f.type != FieldType::codes) f.type = FieldType::rating;
            f.scale = s->second;
            typed = true;
        }
    }
    if (n["values"].IsDefined()) {
        if (typed && f.type != FieldType::category && f.type != FieldType::codes) {
            r_.error(n["values"], DiagnosticCode::invalid_field, "'values' goes with type category or codes",
                     "drop 'type' or write type: category");
            ok = false;
        } else if (r_.expect_list(n["values"], "values")) {
            if (f.type != FieldType::codes) f.type = FieldType::category;
            typed = true;
            for (const auto& v : n["values"])
                if (auto id = read_code(v, "category code")) {
                    auto same = [&](const std::string& c) { return fold_case(c) == fold_case(*id); };
                    if (auto c = std::find_if(f.values.begin(), f.values.end(), same); c == f.values.end())
                        f.values.push_back(*id);
                    else if (*c == *id)
                        r_.error(v, DiagnosticCode::invalid_field, "code '" + *id + "' is listed twice");
                    else
                        r_.error(v, DiagnosticCode::invalid_field,
                                 "codes '" + *c + "' and '" + *id + "' differ only by case",
                                 "inputs match codes regardless of case; rename one of them");
                }
            if (f.values.empty()) {
                r_.error(n["values"], DiagnosticCode::invalid_field, "a category field needs at least one value");
                ok = false;
            }
        }
    }
    if (!typed) {
        r_.error(n, DiagnosticCode::invalid_field, "field '" + owner_field + "' has no type",
                 "add type: (bool, integer, number, date) or scale: or values:");
        return false;
    }
    if (ok && f.type == FieldType::rating && f.scale < 0) {
        r_.error(n, DiagnosticCode::invalid_field, "field '" + owner_field + "' of type rating needs a scale");
        ok = false;
    }
    if (f.type == FieldType::codes && ok) {
        const std::size_t n_codes =
            f.scale >= 0 ? m_.scales[static_cast<std::size_t>(f.scale)].codes.size() : f.values.size();
        if (f.scale < 0 && f.values.empty()) {
            r_.error(n, DiagnosticCode::invalid_field,
                     "field '" + owner_field + "' of type codes needs values or a scale",
                     "e.g. {type: codes, values: [a, b, c]}");
            ok = false;
        } else if (n_codes > max_set_codes) {
            r_.error(n["values"].IsDefined() ? n["values"] : n["scale"], DiagnosticCode::invalid_field,
                     "field '" + owner_field + "' is a set of " + std::to_string(n_codes) + " codes; at most " +
                         std::to_string(max_set_codes) + " are allowed",
                     "split it into several fields of type codes");
            ok = false;
        }
    }
    if (f.type == FieldType::category && f.values.empty() && ok) {
        r_.error(n, DiagnosticCode::invalid_field, "field '" + owner_field + "' of type category needs values");
        ok = false;
    }
    for (const char* bound : {"min", "max"}) {
        if (!n[bound].IsDefined()) continue;
        if (f.type != FieldType::integer && f.type != FieldType::number) {
            r_.error(n[bound], DiagnosticCode::invalid_field,
                     std::string("'") + bound + "' goes with integer and number fields");
            ok = false;
            continue;
        }
        auto v = r_.number(n[bound], bound);
        (std::string(bound) == "min" ? f.min : f.max) = v;
    }
    if (f.min && f.max && *f.min > *f.max) {
        r_.error(n["min"], DiagnosticCode::invalid_field, "min is greater than max");
        ok = false;
    }
    if (n["na"].IsDefined() && n["na"].IsScalar()) {
        if (auto b = r_.boolean(n["na"], "na")) f.na = *b;
    }
    if (input_keys_) read_input_keys(n, f);
    return ok;
}

FieldSet DefinitionReader::read_field_set(const YAML::Node& n, const std::string& what) {
    FieldSet out;
    if (!n.IsDefined() || !r_.expect_map(n, what)) return out;
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
        auto name = r_.id(it->first, "field name");
        if (!name) continue;
        if (!seen.insert(*name).second) {
            r_.error(it->first, DiagnosticCode::duplicate_id, "'" + *name + "' is given twice in " + what,
                     "keep one of them");
            continue;
        }
        if (auto f = read_field_spec(it->second, *name)) out.emplace_back(*name, *f);
    }
    return out;
}

bool DefinitionReader::claim_name(const std::string& id, const YAML::Node& where, const std::string& what,
                                  bool rule_set) {
    if (is_reserved_name(id)) {
        r_.error(where, DiagnosticCode::invalid_value, "'" + id + "' is a reserved word of the expression language",
                 "choose another id");
        return false;
    }
    if (parse_duration(id)) {
        r_.error(where, DiagnosticCode::invalid_value, "'" + id + "' reads as a duration", "choose another id");
        return false;
    }
    auto [it, inserted] = names_.emplace(id, r_.at(where));
    if (inserted) return true;
    r_.error(where, DiagnosticCode::duplicate_id, what + " id '" + id + "' is already used",
             "first defined at line " + std::to_string(it->second.line) +
                 (rule_set ? "; ids of instruments, facts, tables and programmes must be unique"
                           : "; ids of items, outcomes, tables and scores must be unique"));
    return false;
}

int DefinitionReader::add_entry(EntryInfo info, Location where) {
    const int entry = static_cast<int>(m_.entries.size());
    m_.entry_by_id[info.id] = m_.entries.size();
    m_.entries.push_back(std::move(info));
    m_.entry_models.push_back(EntryModel{{}, std::move(where)});
    return entry;
}

int DefinitionReader::add_own_scale(const std::string& column, const std::vector<std::string>& codes) {
    Scale s;
    s.id = column;
    s.numeric = false;
    s.ordered = false;
    for (const auto& v : codes) {
        const int code = m_.intern(v);
        s.rank[code] = static_cast<int>(s.codes.size());
        s.codes.push_back(code);
    }
    m_.scales.push_back(std::move(s));
    return static_cast<int>(m_.scales.size()) - 1;
}

std::pair<FieldInfo, FieldModel> DefinitionReader::build_field(int entry, const std::string& owner,
                                                               const std::string& name, const FieldSpec& f, bool single,
                                                               bool outcome) {
    FieldInfo info;
    info.owner = owner;
    info.name = name;
    info.column = single ? owner : owner + "." + name;
    info.type = f.type;
    info.allows_na = f.na;
    info.is_outcome = outcome;
    info.min = f.min;
    info.max = f.max;
    FieldModel fm;
    fm.entry = entry;
    fm.scale = f.scale;
    switch (f.type) {
    case FieldType::boolean:
        fm.type = Type{Kind::boolean};
        break;
    case FieldType::date:
        fm.type = Type{Kind::date};
        break;
    case FieldType::duration:
        fm.type = Type{Kind::duration};
        break;
    case FieldType::integer:
    case FieldType::number:
        fm.type = Type{Kind::number};
        break;
    case FieldType::category: {
        // A category field gets a scale of its own, so comparisons are checked.
        fm.scale = add_own_scale(info.column, f.values);
        info.codes = f.values;
        fm.type = Type{Kind::category, fm.scale};
        break;
    }
    case FieldType::codes: {
        // A set of codes: its column holds bit i for the i-th code of its scale (its own
        // for `values:`), a list of codes in the expression language.
        fm.scale = f.scale >= 0 ? f.scale : add_own_scale(info.column, f.values);
        for (int c : m_.scales[static_cast<std::size_t>(fm.scale)].codes)
            info.codes.push_back(m_.strings[static_cast<std::size_t>(c)]);
        fm.type = Type{Kind::list, fm.scale, Kind::category};
        break;
    }
    case FieldType::rating: {
        const Scale& s = m_.scales[static_cast<std::size_t>(f.scale)];
        if (s.numeric) {
            fm.type = Type{Kind::number};
            info.levels = s.numbers;
        } else {
            fm.type = Type{Kind::category, f.scale};
            for (int c : s.codes) info.codes.push_back(m_.strings[static_cast<std::size_t>(c)]);
        }
        break;
    }
    }
    return {std::move(info), fm};
}

int DefinitionReader::add_field(int entry, const std::string& owner, const std::string& name, const FieldSpec& f,
                                bool single, bool outcome) {
    auto [info, fm] = build_field(entry, owner, name, f, single, outcome);
    if (input_keys_) apply_input_keys(f, info, fm);
    const int column = static_cast<int>(m_.fields.size());
    m_.entry_models[static_cast<std::size_t>(entry)].field_column[name] = column;
    m_.field_by_column[info.column] = m_.fields.size();
    m_.fields.push_back(std::move(info));
    m_.field_models.push_back(fm);
    return column;
}

int DefinitionReader::copy_scale(const Model& source, const std::string& source_id, int scale) {
    const Scale& s = source.scales[static_cast<std::size_t>(scale)];
    const std::string id = source_id + "." + s.id;  // a name for messages; never parsed
    if (auto it = m_.scale_index.find(id); it != m_.scale_index.end()) return it->second;
    Scale copy;
    copy.id = id;
    copy.numeric = s.numeric;
    copy.ordered = s.ordered;
    copy.numbers = s.numbers;
    copy.values = s.values;
    for (int code : s.codes) {
        const int mine = m_.intern(source.strings[static_cast<std::size_t>(code)]);
        copy.rank[mine] = static_cast<int>(copy.codes.size());
        copy.codes.push_back(mine);
    }
    const int index = static_cast<int>(m_.scales.size());
    m_.scale_index[id] = index;
    m_.scales.push_back(std::move(copy));
    return index;
}

}  // namespace detail
KELIAS_END_NAMESPACE
