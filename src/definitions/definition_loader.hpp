#pragma once
// The YAML definition loader shared by instruments and rule sets: scales, fields, tables,
// scores (with cycle detection) and expression compilation, every problem reported with
// its place. Included by instrument_loader.cpp and rules_loader.cpp only.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include <kelias/instrument.hpp>
#include <kelias/ratings.hpp>

#include "language/expression.hpp"
#include "model/model.hpp"
#include "base/sha256.hpp"
#include "base/yaml_reader.hpp"

namespace kelias::detail {

/// Reads a definition file whole; E000 (file, folder or permission problem) otherwise.
inline std::optional<std::string> read_definition_text(const std::filesystem::path& path, std::vector<Diagnostic>& out) {
    std::error_code ec;
    const bool folder = std::filesystem::is_directory(path, ec);  // opens fine, reads nothing
    std::ifstream in(path, std::ios::binary);
    if (folder || !in) {
        out.push_back({Severity::error, "E000", folder ? "cannot read the file: it is a folder" : "cannot read the file",
                       "check the path and permissions", Location{path.string(), 0, 0}});
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct FieldSpec {
    FieldType type = FieldType::number;
    int scale = -1;
    std::vector<std::string> values;  // category codes
    std::optional<double> min, max;
    bool na = false;
    YAML::Node node;
};

inline const std::set<std::string>& reserved_names() {
    static const std::set<std::string> r = {
        "and", "or", "not", "in", "true", "false", "as_of", "if", "coalesce", "is_known", "is_na", "is_omitted", "ln", "exp",
        "logistic", "round", "floor", "ceil", "abs", "min", "max", "clamp", "years_between", "months_between",
        "days_between", "date", "sum", "count", "mean", "min_of", "max_of", "any", "all", "n_known", "n_na", "n_omitted"};
    return r;
}

class DefinitionLoader {
public:
    DefinitionLoader(std::string file, std::string_view text, std::vector<Diagnostic>& out)
        : r_(std::move(file), text, out), out_(out), text_(text) {
        d_ = std::make_shared<InstrumentData>();
        d_->file = r_.file();
        d_->hash = "sha256:" + sha256_hex(text);
    }

    std::shared_ptr<InstrumentData> load() {
        auto root = r_.parse();
        if (!root) return nullptr;
        if (!r_.expect_map(*root, "an instrument file")) return nullptr;
        const YAML::Node& n = *root;
        if (const YAML::Node kind = n["kind"]; kind.IsDefined() && kind.IsScalar() && kind.Scalar() != "instrument") {
            // Say what the file is, rather than reporting every rule-set key as unknown.
            r_.error(kind, "E104", "this file is a '" + kind.Scalar() + "' definition, not an instrument",
                     kind.Scalar() == "rules" ? "read rule sets with load_rules / 'kelias rules'" : "instruments say 'kind: instrument' or nothing");
            return nullptr;
        }
        r_.check_keys(n, {"kelias", "kind", "id", "version", "title", "description", "source", "licence", "reassess_every", "scales",
                          "domains", "item_fields", "items", "outcome_fields", "outcomes", "tables", "scores", "checks", "tests"},
                      "the instrument");
        read_header(n);
        read_scales(n["scales"]);
        read_domains(n["domains"]);
        auto item_fields = read_field_set(n["item_fields"], "item_fields");
        auto outcome_fields = read_field_set(n["outcome_fields"], "outcome_fields");
        // Declared (even if invalid, which is reported) and not an empty map.
        auto declared = [](const YAML::Node& f) { return f.IsDefined() && !(f.IsMap() && f.size() == 0); };
        item_fields_declared_ = declared(n["item_fields"]);
        outcome_fields_declared_ = declared(n["outcome_fields"]);
        if (auto items = r_.required(n, "items", "an instrument")) read_entries(*items, item_fields, false);
        read_entries(n["outcomes"], outcome_fields, true);
        read_tables(n["tables"]);
        read_scores(n["scores"]);
        read_checks(n["checks"]);
        read_tests(n["tests"]);
        if (has_errors(out_)) return nullptr;
        return d_;
    }

    // Everything below is shared with the rules loader.
    // ---- header ------------------------------------------------------------------------
    void read_header(const YAML::Node& n) {
        const char* what = d_->is_rules ? "a rule set" : "an instrument";
        if (auto v = r_.required(n, "kelias", what)) {
            if (!v->IsScalar() || v->Scalar() != "1")
                r_.error(*v, "E002", "unsupported format version '" + (v->IsScalar() ? v->Scalar() : std::string("?")) + "'",
                         "this kelias reads 'kelias: 1'");
        }
        if (auto v = r_.required(n, "id", what))
            if (auto id = r_.id(*v, d_->is_rules ? "rule set id" : "instrument id")) d_->id = *id;
        if (auto v = r_.required(n, "version", what))
            if (auto t = r_.text(*v, "version")) d_->version = *t;
        if (auto v = r_.required(n, "title", what)) d_->title = english(r_.labels(*v, "title"), d_->id);
        if (n["description"].IsDefined()) r_.labels(n["description"], "description");
        if (n["source"].IsDefined())
            if (auto t = r_.text(n["source"], "source")) d_->source = *t;
        if (n["licence"].IsDefined())
            if (auto t = r_.text(n["licence"], "licence")) d_->licence = *t;
        if (const YAML::Node& v = n["reassess_every"]; v.IsDefined() && r_.expect_scalar(v, "reassess_every")) {
            d_->reassess_every = parse_duration(v.Scalar());
            if (!d_->reassess_every)
                r_.error(v, "E104", "'" + v.Scalar() + "' is not an ISO-8601 duration", "write e.g. P3M (3 months), P1Y, P6W or P90D");
        }
    }

    // ---- scales ------------------------------------------------------------------------
    void read_scales(const YAML::Node& n) {
        if (!n.IsDefined() || !r_.expect_map(n, "scales")) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = r_.id(it->first, "scale id");
            if (!id || !r_.expect_map(it->second, "scale '" + *id + "'")) continue;
            YAML::Node s = it->second;  // a copy: it-> goes through a temporary proxy
            r_.check_keys(s, {"values", "ordered", "labels", "label", "description"}, "scale '" + *id + "'");
            Scale scale;
            scale.id = *id;
            scale.where = r_.at(it->first);
            auto values = r_.required(s, "values", "scale '" + *id + "'");
            if (!values || !r_.expect_list(*values, "values")) continue;
            if (values->size() == 0) {
                r_.error(*values, "E204", "scale '" + *id + "' has no values");
                continue;
            }
            int numbers = 0;
            for (const auto& v : *values) {
                if (!r_.expect_scalar(v, "a scale value")) continue;
                double x;
                const std::string& t = v.Scalar();
                auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
                if (ec == std::errc() && p == t.data() + t.size()) {
                    ++numbers;
                    if (std::find(scale.numbers.begin(), scale.numbers.end(), x) != scale.numbers.end())
                        r_.error(v, "E204", "value " + t + " appears twice in scale '" + *id + "'");
                    scale.numbers.push_back(x);
                } else if (is_identifier(t)) {
                    int code = d_->intern(t);
                    if (scale.rank.count(code)) r_.error(v, "E204", "code '" + t + "' appears twice in scale '" + *id + "'");
                    scale.rank[code] = static_cast<int>(scale.codes.size());
                    scale.codes.push_back(code);
                } else {
                    r_.error(v, "E204", "'" + t + "' is neither a number nor a code", "codes are lower-case names such as 'moderate'");
                }
            }
            if (numbers > 0 && !scale.codes.empty()) {
                r_.error(*values, "E204", "scale '" + *id + "' mixes numbers and codes", "use all numbers or all codes");
                continue;
            }
            scale.numeric = numbers > 0;
            scale.ordered = scale.numeric;
            if (s["ordered"].IsDefined())
                if (auto b = r_.boolean(s["ordered"], "ordered")) scale.ordered = *b || scale.numeric;
            if (const YAML::Node& labels = s["labels"]; labels.IsDefined() && r_.expect_map(labels, "labels")) {
                for (auto l = labels.begin(); l != labels.end(); ++l) {
                    if (!l->first.IsScalar() || !is_language_code(l->first.Scalar())) {
                        r_.error(l->first, "E104", "'" + (l->first.IsScalar() ? l->first.Scalar() : std::string()) + "' is not a language code",
                                 "use ISO 639-1 codes such as en, lt, nb");
                        continue;
                    }
                    if (!r_.expect_list(l->second, "labels")) continue;
                    if (l->second.size() != values->size())
                        r_.error(l->second, "E204",
                                 "scale '" + *id + "' has " + std::to_string(values->size()) + " values but " +
                                     std::to_string(l->second.size()) + " '" + l->first.Scalar() + "' labels",
                                 "give one label per value, in the same order");
                }
            }
            if (!unique_scale_id(*id, it->first)) continue;
            d_->scale_index[*id] = static_cast<int>(d_->scales.size());
            d_->scales.push_back(std::move(scale));
        }
    }

    bool unique_scale_id(const std::string& id, const YAML::Node& where) {
        if (!d_->scale_index.count(id)) return true;
        r_.error(where, "E105", "scale '" + id + "' is defined twice");
        return false;
    }

    // ---- domains -----------------------------------------------------------------------
    void read_domains(const YAML::Node& n) {
        if (!n.IsDefined() || !r_.expect_list(n, "domains")) return;
        for (const auto& dn : n) {
            YAML::Node idn = dn;
            if (dn.IsMap()) {
                r_.check_keys(dn, {"id", "label", "description"}, "a domain");
                auto v = r_.required(dn, "id", "a domain");
                if (!v) continue;
                idn.reset(*v);
                if (dn["label"].IsDefined()) r_.labels(dn["label"], "label");
                if (dn["description"].IsDefined()) r_.labels(dn["description"], "description");
            }
            auto id = r_.id(idn, "domain id");
            if (!id) continue;
            if (std::find(d_->domains.begin(), d_->domains.end(), *id) != d_->domains.end()) {
                r_.error(idn, "E105", "domain '" + *id + "' is listed twice");
                continue;
            }
            d_->domains.push_back(*id);
        }
    }

    // ---- fields ------------------------------------------------------------------------
    std::vector<std::string> scale_and_type_names() const {
        std::vector<std::string> names = {"bool", "integer", "number", "date", "duration", "category", "rating"};
        for (const auto& s : d_->scales) names.push_back(s.id);
        return names;
    }

    // Sets the type from a type name or a scale id.
    bool set_type(FieldSpec& f, const std::string& t, const YAML::Node& where) {
        if (t == "bool" || t == "boolean") f.type = FieldType::boolean;
        else if (t == "integer") f.type = FieldType::integer;
        else if (t == "number") f.type = FieldType::number;
        else if (t == "date") f.type = FieldType::date;
        else if (t == "duration") f.type = FieldType::duration;
        else if (t == "category") f.type = FieldType::category;
        else if (t == "rating") f.type = FieldType::rating;
        else if (auto s = d_->scale_index.find(t); s != d_->scale_index.end()) {
            f.type = FieldType::rating;
            f.scale = s->second;
        } else {
            r_.error(where, "E201", "'" + t + "' is neither a field type nor a scale", did_you_mean(t, scale_and_type_names()));
            return false;
        }
        return true;
    }

    std::optional<FieldSpec> read_field_spec(const YAML::Node& n, const std::string& owner_field) {
        FieldSpec f;
        f.node.reset(n);
        if (n.IsScalar()) {
            if (!set_type(f, n.Scalar(), n)) return std::nullopt;
            if ((f.type == FieldType::rating && f.scale < 0) || f.type == FieldType::category) {
                r_.error(n, "E205", "field '" + owner_field + "' of type " + n.Scalar() + " needs " +
                                        (f.type == FieldType::rating ? "a scale" : "values"),
                         "use the map form, e.g. {type: category, values: [a, b]}");
                return std::nullopt;
            }
            return f;
        }
        if (!r_.expect_map(n, "field '" + owner_field + "'")) return std::nullopt;
        r_.check_keys(n, {"type", "scale", "values", "min", "max", "na", "label", "description"}, "field '" + owner_field + "'");
        const bool ok = read_field_keys(n, owner_field, f);
        // Single-field items share read_field_keys() but read their label themselves.
        if (n["label"].IsDefined()) r_.labels(n["label"], "label");
        if (n["description"].IsDefined()) r_.labels(n["description"], "description");
        return ok ? std::optional<FieldSpec>(f) : std::nullopt;
    }

    // The field keys shared by field maps and single-field items.
    bool read_field_keys(const YAML::Node& n, const std::string& owner_field, FieldSpec& f) {
        bool ok = true;
        bool typed = false;
        if (n["type"].IsDefined() && r_.expect_scalar(n["type"], "type")) {
            ok &= set_type(f, n["type"].Scalar(), n["type"]);
            typed = true;
        }
        if (n["scale"].IsDefined() && r_.expect_scalar(n["scale"], "scale")) {
            auto s = d_->scale_index.find(n["scale"].Scalar());
            if (s == d_->scale_index.end()) {
                std::vector<std::string> ids;
                for (const auto& sc : d_->scales) ids.push_back(sc.id);
                r_.error(n["scale"], "E201", "unknown scale '" + n["scale"].Scalar() + "'", did_you_mean(n["scale"].Scalar(), ids));
                ok = false;
                typed = true;  // reported; not also "has no type"
            } else {
                if (typed && f.type != FieldType::rating) {
                    r_.error(n["scale"], "E205", "'scale' goes with type rating, not this field's type");
                    ok = false;
                }
                f.type = FieldType::rating;
                f.scale = s->second;
                typed = true;
            }
        }
        if (n["values"].IsDefined()) {
            if (typed && f.type != FieldType::category) {
                r_.error(n["values"], "E205", "'values' goes with type category", "drop 'type' or write type: category");
                ok = false;
            } else if (r_.expect_list(n["values"], "values")) {
                f.type = FieldType::category;
                typed = true;
                for (const auto& v : n["values"])
                    if (auto id = r_.id(v, "category code")) {
                        if (std::find(f.values.begin(), f.values.end(), *id) != f.values.end())
                            r_.error(v, "E205", "code '" + *id + "' is listed twice");
                        f.values.push_back(*id);
                    }
                if (f.values.empty()) {
                    r_.error(n["values"], "E205", "a category field needs at least one value");
                    ok = false;
                }
            }
        }
        if (!typed) {
            r_.error(n, "E205", "field '" + owner_field + "' has no type", "add type: (bool, integer, number, date) or scale: or values:");
            return false;
        }
        if (ok && f.type == FieldType::rating && f.scale < 0) {
            r_.error(n, "E205", "field '" + owner_field + "' of type rating needs a scale");
            ok = false;
        }
        if (f.type == FieldType::category && f.values.empty() && ok) {
            r_.error(n, "E205", "field '" + owner_field + "' of type category needs values");
            ok = false;
        }
        for (const char* bound : {"min", "max"}) {
            if (!n[bound].IsDefined()) continue;
            if (f.type != FieldType::integer && f.type != FieldType::number) {
                r_.error(n[bound], "E205", std::string("'") + bound + "' goes with integer and number fields");
                ok = false;
                continue;
            }
            auto v = r_.number(n[bound], bound);
            (std::string(bound) == "min" ? f.min : f.max) = v;
        }
        if (f.min && f.max && *f.min > *f.max) {
            r_.error(n["min"], "E205", "min is greater than max");
            ok = false;
        }
        if (n["na"].IsDefined() && n["na"].IsScalar()) {
            if (auto b = r_.boolean(n["na"], "na")) f.na = *b;
        }
        return ok;
    }

    using FieldSet = std::vector<std::pair<std::string, FieldSpec>>;

    FieldSet read_field_set(const YAML::Node& n, const std::string& what) {
        FieldSet out;
        if (!n.IsDefined() || !r_.expect_map(n, what)) return out;
        std::set<std::string> seen;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto name = r_.id(it->first, "field name");
            if (!name) continue;
            if (!seen.insert(*name).second) {
                r_.error(it->first, "E105", "'" + *name + "' is given twice in " + what, "keep one of them");
                continue;
            }
            if (auto f = read_field_spec(it->second, *name)) out.emplace_back(*name, *f);
        }
        return out;
    }

    // ---- items and outcomes ------------------------------------------------------------
    bool claim_name(const std::string& id, const YAML::Node& where, const std::string& what) {
        if (reserved_names().count(id)) {
            r_.error(where, "E104", "'" + id + "' is a reserved word of the expression language", "choose another id");
            return false;
        }
        if (parse_duration(id)) {
            r_.error(where, "E104", "'" + id + "' reads as a duration", "choose another id");
            return false;
        }
        auto [it, inserted] = names_.emplace(id, r_.at(where));
        if (inserted) return true;
        r_.error(where, "E105", what + " id '" + id + "' is already used",
                 "first defined at line " + std::to_string(it->second.line) +
                     (d_->is_rules ? "; ids of instruments, facts, tables and programmes must be unique"
                                   : "; ids of items, outcomes, tables and scores must be unique"));
        return false;
    }

    // The column description of one field; category fields get a scale of their own.
    std::pair<FieldInfo, FieldModel> build_field(int entry, const std::string& owner, const std::string& name, const FieldSpec& f,
                                                 bool single, bool outcome) {
        FieldInfo info;
        info.owner = owner;
        info.name = name;
        info.column = single ? owner : owner + "." + name;
        info.type = f.type;
        info.allows_na = f.na;
        info.is_outcome = outcome;
        info.min = f.min;
        info.max = f.max;
        FieldModel m;
        m.entry = entry;
        m.scale = f.scale;
        switch (f.type) {
            case FieldType::boolean: m.type = Type{Kind::boolean}; break;
            case FieldType::date: m.type = Type{Kind::date}; break;
            case FieldType::duration: m.type = Type{Kind::duration}; break;
            case FieldType::integer:
            case FieldType::number: m.type = Type{Kind::number}; break;
            case FieldType::category: {
                // A category field gets a scale of its own, so comparisons are checked.
                Scale s;
                s.id = info.column;
                s.numeric = false;
                s.ordered = false;
                for (const auto& v : f.values) {
                    int code = d_->intern(v);
                    s.rank[code] = static_cast<int>(s.codes.size());
                    s.codes.push_back(code);
                }
                m.scale = static_cast<int>(d_->scales.size());
                d_->scales.push_back(std::move(s));
                info.codes = f.values;
                m.type = Type{Kind::category, m.scale};
                break;
            }
            case FieldType::rating: {
                const Scale& s = d_->scales[static_cast<std::size_t>(f.scale)];
                if (s.numeric) {
                    m.type = Type{Kind::number};
                    info.levels = s.numbers;
                } else {
                    m.type = Type{Kind::category, f.scale};
                    for (int c : s.codes) info.codes.push_back(d_->strings[static_cast<std::size_t>(c)]);
                }
                break;
            }
        }
        return {std::move(info), m};
    }

    void add_field(int entry, const std::string& owner, const std::string& name, const FieldSpec& f, bool single, bool outcome) {
        auto [info, m] = build_field(entry, owner, name, f, single, outcome);
        int column = static_cast<int>(d_->fields.size());
        d_->entry_models[static_cast<std::size_t>(entry)].field_column[name] = column;
        d_->field_by_column[info.column] = d_->fields.size();
        d_->fields.push_back(std::move(info));
        d_->field_models.push_back(m);
    }

    void read_entries(const YAML::Node& n, const FieldSet& defaults, bool outcomes) {
        const std::string what = outcomes ? "outcome" : "item";
        if (!n.IsDefined() || !r_.expect_list(n, outcomes ? "outcomes" : "items")) return;
        for (const auto& e : n) {
            if (!r_.expect_map(e, "an " + what)) continue;
            r_.check_keys(e, {"id", outcomes ? "group" : "domain", "label", "description", "fields", "type", "scale", "values",
                              "min", "max", "na", "in_totals"},
                          "an " + what);
            auto idn = r_.required(e, "id", "an " + what);
            if (!idn) continue;
            auto id = r_.id(*idn, what + " id");
            if (!id || !claim_name(*id, *idn, what)) continue;
            EntryInfo info;
            info.id = *id;
            info.is_outcome = outcomes;
            if (const YAML::Node& dn = e[outcomes ? "group" : "domain"]; dn.IsDefined()) {
                if (auto dom = r_.id(dn, outcomes ? "group" : "domain")) {
                    if (!outcomes && std::find(d_->domains.begin(), d_->domains.end(), *dom) == d_->domains.end())
                        r_.error(dn, "E202", "unknown domain '" + *dom + "'",
                                 d_->domains.empty() ? "declare it under 'domains:'" : did_you_mean(*dom, d_->domains));
                    info.domain = *dom;
                }
            }
            if (e["label"].IsDefined()) info.labels = r_.labels(e["label"], "label");
            if (e["description"].IsDefined()) r_.labels(e["description"], "description");
            if (e["in_totals"].IsDefined())
                if (auto b = r_.boolean(e["in_totals"], "in_totals")) info.in_totals = *b;
            int entry = static_cast<int>(d_->entries.size());
            d_->entry_by_id[*id] = d_->entries.size();
            d_->entries.push_back(info);
            d_->entry_models.push_back(EntryModel{{}, r_.at(*idn)});
            read_entry_fields(e, entry, *id, defaults, outcomes);
        }
    }

    void read_entry_fields(const YAML::Node& e, int entry, const std::string& id, const FieldSet& defaults, bool outcome) {
        // min / max only make sense for a single field: without a type they still make one.
        const bool single = e["type"].IsDefined() || e["scale"].IsDefined() || e["values"].IsDefined() ||
                            e["min"].IsDefined() || e["max"].IsDefined();
        if (single && e["fields"].IsDefined()) {
            r_.error(e["fields"], "E205", "'" + id + "' has both 'fields' and a single-field 'type'", "keep one of them");
            return;
        }
        if (single) {
            FieldSpec f;
            f.node.reset(e);
            if (!read_field_keys(e, id, f)) return;
            add_field(entry, id, "value", f, true, outcome);
            return;
        }
        FieldSet own;
        if (e["fields"].IsDefined()) {
            own = read_field_set(e["fields"], "fields of '" + id + "'");
        } else if (defaults.empty()) {
            // When the shared fields were declared but none was valid, that is reported already.
            if (!(outcome ? outcome_fields_declared_ : item_fields_declared_))
                r_.error(e, "E205", "'" + id + "' has no fields",
                         std::string("give it 'type:' or 'fields:', or declare ") + (outcome ? "outcome_fields" : "item_fields") + " at the top");
            return;
        }
        const FieldSet& fields = e["fields"].IsDefined() ? own : defaults;
        std::set<std::string> na_fields;
        if (const YAML::Node& na = e["na"]; na.IsDefined()) {
            if (na.IsScalar()) {
                if (auto b = r_.boolean(na, "na"); b && *b)
                    for (const auto& [name, _] : fields) na_fields.insert(name);
            } else if (r_.expect_list(na, "na")) {
                for (const auto& fn : na) {
                    auto name = r_.id(fn, "field name");
                    if (!name) continue;
                    bool found = std::any_of(fields.begin(), fields.end(), [&](const auto& p) { return p.first == *name; });
                    if (!found) {
                        std::vector<std::string> names;
                        for (const auto& [n2, _] : fields) names.push_back(n2);
                        r_.error(fn, "E203", "'" + id + "' has no field '" + *name + "'", did_you_mean(*name, names));
                    }
                    na_fields.insert(*name);
                }
            }
        }
        for (const auto& [name, spec] : fields) {
            FieldSpec f = spec;
            if (na_fields.count(name)) f.na = true;
            add_field(entry, id, name, f, false, outcome);
        }
    }

    // ---- tables ------------------------------------------------------------------------
    // A table cell: a number, or a code interned in the string pool.
    std::optional<std::pair<double, bool>> table_cell(const YAML::Node& v, const std::string& what) {
        if (!r_.expect_scalar(v, what)) return std::nullopt;
        const std::string& t = v.Scalar();
        double x;
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
        if (ec == std::errc() && p == t.data() + t.size()) return std::make_pair(x, true);
        if (is_identifier(t)) return std::make_pair(static_cast<double>(d_->intern(t)), false);
        r_.error(v, "E206", what + " must be a number or a code, not '" + t + "'");
        return std::nullopt;
    }

    void read_tables(const YAML::Node& n) {
        if (!n.IsDefined() || !r_.expect_map(n, "tables")) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = r_.id(it->first, "table id");
            if (!id || !claim_name(*id, it->first, "table") || !r_.expect_map(it->second, "table '" + *id + "'")) continue;
            YAML::Node t = it->second;  // a copy: it-> goes through a temporary proxy
            r_.check_keys(t, {"kind", "rows", "default", "output", "label", "description"}, "table '" + *id + "'");
            Table table;
            table.id = *id;
            table.where = r_.at(it->first);
            if (t["kind"].IsDefined() && r_.expect_scalar(t["kind"], "kind")) {
                table.kind = t["kind"].Scalar();
                static const std::vector<std::string> kinds = {"points", "bands", "conversion", "cutoffs"};
                if (std::find(kinds.begin(), kinds.end(), table.kind) == kinds.end())
                    r_.error(t["kind"], "E206", "unknown table kind '" + table.kind + "'",
                             did_you_mean(table.kind, kinds).empty() ? "use points, bands, conversion or cutoffs" : did_you_mean(table.kind, kinds));
            }
            bool ok = true;
            int numeric_inputs = 0, coded_inputs = 0, numeric_values = 0, coded_values = 0;
            auto rows = r_.required(t, "rows", "table '" + *id + "'");
            if (!rows || !r_.expect_list(*rows, "rows")) continue;
            for (const auto& row : *rows) {
                if (!r_.expect_map(row, "a table row")) {
                    ok = false;
                    continue;
                }
                r_.check_keys(row, {"equals", "min", "max", "above", "below", "value", "label"}, "a table row");
                TableRow tr;
                tr.where = r_.at(row);
                std::ostringstream text;
                for (const char* key : {"equals", "min", "max", "above", "below"}) {
                    if (!row[key].IsDefined()) continue;
                    auto cell = table_cell(row[key], key);
                    if (!cell) {
                        ok = false;
                        continue;
                    }
                    text << (text.tellp() > 0 ? ", " : "") << key << ' ' << row[key].Scalar();
                    std::string k = key;
                    if (k == "equals") {
                        tr.equals = cell->first;
                        (cell->second ? numeric_inputs : coded_inputs)++;
                    } else if (!cell->second) {
                        r_.error(row[key], "E206", "'" + k + "' needs a number", "match a code with 'equals'");
                        ok = false;
                    } else {
                        ++numeric_inputs;
                        (k == "min" ? tr.min : k == "max" ? tr.max : k == "above" ? tr.above : tr.below) = cell->first;
                    }
                }
                tr.text = text.str().empty() ? "otherwise" : text.str();
                std::optional<YAML::Node> value;
                if (row["value"].IsDefined()) value = row["value"];
                if (!value) {
                    r_.error(row, "E206", "a table row needs a 'value'", "add value: (a number or a code)");
                    ok = false;
                    continue;
                }
                auto cell = table_cell(*value, "value");
                if (!cell) {
                    ok = false;
                    continue;
                }
                tr.value = cell->first;
                tr.value_where = r_.at(*value);
                (cell->second ? numeric_values : coded_values)++;
                tr.text += " -> " + value->Scalar();
                table.rows.push_back(tr);
            }
            if (numeric_inputs && coded_inputs) {
                r_.error(*rows, "E206", "table '" + *id + "' matches both numbers and codes", "use one kind of input per table");
                ok = false;
            }
            if (numeric_values && coded_values) {
                r_.error(*rows, "E206", "table '" + *id + "' gives both numbers and codes", "use one kind of value per table");
                ok = false;
            }
            table.input = Type{coded_inputs ? Kind::category : Kind::number, -1};
            table.output = Type{coded_values ? Kind::category : Kind::number, -1};
            if (const YAML::Node& out = t["output"]; out.IsDefined() && r_.expect_scalar(out, "output")) {
                auto s = d_->scale_index.find(out.Scalar());
                if (s == d_->scale_index.end() || d_->scales[static_cast<std::size_t>(s->second)].numeric) {
                    std::vector<std::string> ids;
                    for (const auto& sc : d_->scales)
                        if (!sc.numeric) ids.push_back(sc.id);
                    r_.error(out, "E206", "output '" + out.Scalar() + "' is not a scale of codes", did_you_mean(out.Scalar(), ids));
                    ok = false;
                } else if (numeric_values) {
                    r_.error(out, "E206", "table '" + *id + "' gives numbers, so it cannot output scale '" + out.Scalar() + "'");
                    ok = false;
                } else {
                    const Scale& sc = d_->scales[static_cast<std::size_t>(s->second)];
                    for (std::size_t i = 0; i < table.rows.size(); ++i)
                        if (!sc.rank.count(static_cast<int>(table.rows[i].value))) {
                            r_.error(table.rows[i].value_where, "E308",
                                     "'" + d_->strings[static_cast<std::size_t>(table.rows[i].value)] + "' is not a code of scale '" + sc.id + "'");
                            ok = false;
                        }
                    table.output.scale = s->second;
                }
            }
            if (const YAML::Node& def = t["default"]; def.IsDefined()) {
                table.has_default = true;
                if (!def.IsNull() && def.Scalar() != "null") {
                    if (auto cell = table_cell(def, "default")) table.default_value = cell->first;
                }
            }
            if (!ok) continue;
            d_->table_index[*id] = static_cast<int>(d_->tables.size());
            d_->tables.push_back(std::move(table));
        }
    }

    // ---- scores ------------------------------------------------------------------------
    // A score in a cycle, as the author wrote it. A rule set's hidden scores are its
    // programmes' decisions (`p`) and conditions (`p__c`).
    std::string cycle_member(int score, bool described) const {
        const std::string& id = d_->score_infos[static_cast<std::size_t>(score)].id;
        if (!d_->is_rules) return described ? "score '" + id + "'" : id;
        const auto split = id.find("__");
        if (split == std::string::npos) return described ? "programme '" + id + "'" : id;
        const std::string programme = id.substr(0, split), condition = id.substr(split + 2);
        return described ? "condition '" + condition + "' of programme '" + programme + "'" : programme + "." + condition;
    }

    struct PendingScore {
        YAML::Node expr_node;
        std::optional<Ast> ast;
        std::string condition;  // a rule set's condition id: the score must be a bool
    };

    void report(const YAML::Node& expr_node, const std::vector<ExprError>& errors) {
        for (const auto& e : errors) r_.error(r_.at_offset(expr_node, e.offset), e.code, e.message, e.hint);
    }

    void read_scores(const YAML::Node& n) {
        if (!n.IsDefined() || !r_.expect_map(n, "scores")) return;
        std::vector<PendingScore> pending;
        // First pass: ids, options and syntax, so scores may refer to later ones.
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = r_.id(it->first, "score id");
            if (!id || !claim_name(*id, it->first, "score")) continue;
            ScoreInfo info;
            info.id = *id;
            info.label = *id;
            Score score;
            score.where = r_.at(it->first);
            PendingScore p;
            bool has_expr = false;  // a default Node is defined too: track whether 'expr' was given
            YAML::Node s = it->second;  // a copy: it-> goes through a temporary proxy
            if (s.IsScalar()) {
                p.expr_node.reset(s);
                has_expr = true;
            } else if (r_.expect_map(s, "score '" + *id + "'")) {
                r_.check_keys(s, {"expr", "omitted", "max_omitted", "label", "description", "hidden"}, "score '" + *id + "'");
                if (auto e = r_.required(s, "expr", "score '" + *id + "'")) {
                    p.expr_node.reset(*e);
                    has_expr = true;
                }
                if (s["label"].IsDefined()) info.label = english(r_.labels(s["label"], "label"), *id);
                if (s["description"].IsDefined()) r_.labels(s["description"], "description");
                if (s["hidden"].IsDefined())
                    if (auto b = r_.boolean(s["hidden"], "hidden")) info.hidden = *b;
                if (const YAML::Node& o = s["omitted"]; o.IsDefined() && r_.expect_scalar(o, "omitted")) {
                    const std::string& v = o.Scalar();
                    if (v == "strict") score.policy = Policy::strict;
                    else if (v == "skip") score.policy = Policy::skip;
                    else if (v == "prorate") score.policy = Policy::prorate;
                    else r_.error(o, "E104", "unknown omission policy '" + v + "'", "use strict, skip or prorate");
                }
                if (const YAML::Node& m = s["max_omitted"]; m.IsDefined()) {
                    auto v = r_.number(m, "max_omitted");
                    if (v && (*v < 0 || *v != static_cast<int>(*v)))
                        r_.error(m, "E104", "max_omitted must be a whole number of 0 or more");
                    else if (v)
                        score.max_omitted = static_cast<int>(*v);
                    if (score.policy == Policy::strict)
                        r_.warning(m, "W101", "max_omitted has no effect with the strict policy", "add omitted: skip or omitted: prorate");
                }
            }
            if (has_expr && r_.expect_scalar(p.expr_node, "expr")) {
                info.expression = p.expr_node.Scalar();
                std::vector<ExprError> errors;
                p.ast = parse_expression(info.expression, errors);
                report(p.expr_node, errors);
            }
            d_->score_by_id[*id] = d_->scores.size();
            d_->score_infos.push_back(info);
            d_->scores.push_back(std::move(score));
            pending.push_back(std::move(p));
        }
        order_and_compile(pending);
    }

    void order_and_compile(std::vector<PendingScore>& pending) {
        const std::size_t count = pending.size();
        std::vector<std::vector<int>> deps(count);
        for (std::size_t i = 0; i < count; ++i) {
            if (!pending[i].ast) continue;
            std::vector<std::string> names;
            collect_names(*pending[i].ast, names);
            for (const auto& name : names)
                if (auto it = d_->score_by_id.find(name); it != d_->score_by_id.end()) deps[i].push_back(static_cast<int>(it->second));
        }
        // Depth-first order; a back edge is a cycle, reported once per member.
        std::vector<int> state(count, 0);  // 0 new, 1 on stack, 2 done
        std::vector<int> stack;
        std::set<int> in_cycle;
        std::function<void(int)> visit = [&](int v) {
            state[static_cast<std::size_t>(v)] = 1;
            stack.push_back(v);
            for (int w : deps[static_cast<std::size_t>(v)]) {
                if (state[static_cast<std::size_t>(w)] == 0) {
                    visit(w);
                } else if (state[static_cast<std::size_t>(w)] == 1) {
                    auto from = std::find(stack.begin(), stack.end(), w);
                    std::string path;
                    for (auto it = from; it != stack.end(); ++it) path += cycle_member(*it, false) + " -> ";
                    path += cycle_member(w, false);
                    for (auto it = from; it != stack.end(); ++it)
                        if (in_cycle.insert(*it).second)
                            r_.error(d_->scores[static_cast<std::size_t>(*it)].where, "E307", cycle_member(*it, true) + " is part of a cycle: " + path,
                                     d_->is_rules ? "a programme cannot depend on its own decision, directly or through other programmes"
                                                  : "a score cannot depend on itself, directly or through other scores");
                }
            }
            stack.pop_back();
            state[static_cast<std::size_t>(v)] = 2;
            d_->score_order.push_back(v);
        };
        for (std::size_t i = 0; i < count; ++i)
            if (state[i] == 0) visit(static_cast<int>(i));

        std::vector<bool> ready(count, false);
        for (int i : d_->score_order) {
            auto idx = static_cast<std::size_t>(i);
            if (!pending[idx].ast || in_cycle.count(i)) continue;
            std::vector<ExprError> errors;
            std::vector<int> refs;
            CompileScope scope{d_.get(), -1, -1, &refs, &ready, !pending[idx].condition.empty()};
            Expr e = compile_expression(*pending[idx].ast, scope, errors);
            report(pending[idx].expr_node, errors);
            if (e.type.kind == Kind::error) continue;
            if (!pending[idx].condition.empty() && e.type.kind != Kind::boolean) {
                // Reported here, so the programme that reads it does not fail to compile too.
                r_.error(r_.at_offset(pending[idx].expr_node, e.begin), "E303",
                         "condition '" + pending[idx].condition + "' must be a bool, not a " + type_name(e.type),
                         "compare the value, e.g. x == 'a' or x > 0");
                continue;
            }
            if (e.type.kind == Kind::duration || e.type.kind == Kind::list) {
                r_.error(r_.at_offset(pending[idx].expr_node, e.begin), "E303",
                         "a score must be a number, bool, code or date, not a " + type_name(e.type));
                continue;
            }
            ScoreInfo& info = d_->score_infos[idx];
            info.type = e.type.kind == Kind::boolean ? ScoreType::boolean
                      : e.type.kind == Kind::category ? ScoreType::category
                      : e.type.kind == Kind::date   ? ScoreType::date
                                                    : ScoreType::number;
            d_->scores[idx].expr = std::move(e);
            d_->scores[idx].depends_on = refs;
            ready[idx] = true;
        }
    }

    // ---- checks ------------------------------------------------------------------------
    void read_checks(const YAML::Node& n) {
        if (!n.IsDefined() || !r_.expect_list(n, "checks")) return;
        std::set<std::string> ids;
        for (const auto& c : n) {
            if (!r_.expect_map(c, "a check")) continue;
            r_.check_keys(c, {"id", "severity", "each_item", "when", "message", "description"}, "a check");
            CheckModel check;
            auto idn = r_.required(c, "id", "a check");
            auto when = r_.required(c, "when", "a check");
            if (!idn || !when) continue;
            auto id = r_.id(*idn, "check id");
            if (!id) continue;
            if (!ids.insert(*id).second) {
                r_.error(*idn, "E105", "check '" + *id + "' is defined twice");
                continue;
            }
            check.id = *id;
            if (c["severity"].IsDefined() && r_.expect_scalar(c["severity"], "severity")) {
                const std::string& s = c["severity"].Scalar();
                if (s == "error") check.severity = Severity::error;
                else if (s != "warning") r_.error(c["severity"], "E104", "severity must be warning or error, not '" + s + "'");
            }
            check.message = c["message"].IsDefined() ? english(r_.labels(c["message"], "message"), *id) : *id;
            bool each_item = false;
            if (c["each_item"].IsDefined())
                if (auto b = r_.boolean(c["each_item"], "each_item")) each_item = *b;
            if (!r_.expect_scalar(*when, "when")) continue;
            std::vector<ExprError> errors;
            auto ast = parse_expression(when->Scalar(), errors);
            if (!ast) {
                report(*when, errors);
                continue;
            }
            if (each_item) compile_per_item(check, *ast, *when);
            else compile_check(check, -1, *ast, *when, true);
            if (!check.instances.empty()) d_->checks.push_back(std::move(check));
        }
    }

    bool compile_check(CheckModel& check, int entry, const Ast& ast, const YAML::Node& when, bool report_errors) {
        std::vector<ExprError> errors;
        CompileScope scope{d_.get(), entry, -1, nullptr, &all_scores_ready_};
        all_scores_ready_.assign(d_->scores.size(), true);
        Expr e = compile_expression(ast, scope, errors);
        if (e.type.kind != Kind::error && e.type.kind != Kind::boolean)
            errors.push_back({"E303", "a check's 'when' must be a bool, not a " + type_name(e.type), "", 0});
        if (!errors.empty()) {
            if (report_errors) report(when, errors);
            return false;
        }
        check.instances.emplace_back(entry, std::move(e));
        return true;
    }

    void compile_per_item(CheckModel& check, const Ast& ast, const YAML::Node& when) {
        std::vector<std::string> names;
        collect_names(ast, names);
        std::set<std::string> field_names;
        for (const auto& name : names)
            for (const auto& f : d_->fields)
                if (f.name == name && !d_->entry_by_id.count(name) && !d_->score_by_id.count(name)) field_names.insert(name);
        bool reported = false;
        for (std::size_t i = 0; i < d_->entries.size(); ++i) {
            if (d_->entries[i].is_outcome) continue;
            const auto& fields = d_->entry_models[i].field_column;
            bool has_all = std::all_of(field_names.begin(), field_names.end(), [&](const std::string& f) { return fields.count(f) > 0; });
            if (!has_all) continue;
            if (!compile_check(check, static_cast<int>(i), ast, when, !reported)) reported = true;
        }
        if (check.instances.empty() && !reported) {
            std::string list;
            for (const auto& f : field_names) list += (list.empty() ? "" : ", ") + f;
            r_.error(when, "E203", "no item has all the fields this check names (" + list + ")");
        }
    }

    // ---- tests -------------------------------------------------------------------------
    std::vector<std::string> column_names() const {
        std::vector<std::string> names;
        for (const auto& f : d_->fields) names.push_back(f.column);
        return names;
    }

    void read_tests(const YAML::Node& n) {
        if (!n.IsDefined() || !r_.expect_list(n, "tests")) return;
        if (has_errors(out_)) {
            // Tests are checked against a sound definition only, but their keys always.
            for (const auto& t : n) test_shape(t);
            return;
        }
        Instrument probe = make_instrument(d_);
        int number = 0;
        for (const auto& t : n) {
            ++number;
            if (!test_shape(t)) continue;
            TestCase tc;
            tc.name = t["name"].IsDefined() && t["name"].IsScalar() ? t["name"].Scalar() : "#" + std::to_string(number);
            tc.where = r_.at(t);
            if (const YAML::Node& fill = t["fill"]; fill.IsDefined() && r_.expect_map(fill, "fill")) {
                for (auto it = fill.begin(); it != fill.end(); ++it) {
                    const std::string name = it->first.Scalar();
                    bool any = false;
                    for (std::size_t c = 0; c < d_->fields.size(); ++c)
                        if (d_->fields[c].name == name) {
                            any = true;
                            add_test_cell(tc, probe, static_cast<int>(c), it->second);
                        }
                    if (!any) {
                        std::vector<std::string> names;
                        for (const auto& f : d_->fields) names.push_back(f.name);
                        r_.error(it->first, "E401", "no item or outcome has a field '" + name + "'", did_you_mean(name, names));
                    }
                }
            }
            if (const YAML::Node& ratings = t["ratings"]; ratings.IsDefined() && r_.expect_map(ratings, "ratings")) {
                for (auto it = ratings.begin(); it != ratings.end(); ++it) {
                    const std::string col = it->first.Scalar();
                    auto f = d_->field_by_column.find(col);
                    if (f == d_->field_by_column.end()) {
                        r_.error(it->first, "E401", "unknown column '" + col + "'", did_you_mean(col, column_names()));
                        continue;
                    }
                    add_test_cell(tc, probe, static_cast<int>(f->second), it->second);
                }
            }
            if (const YAML::Node& a = t["as_of"]; a.IsDefined() && r_.expect_scalar(a, "as_of")) {
                tc.as_of = parse_date(a.Scalar());
                if (!tc.as_of) r_.error(a, "E401", "as_of must be a date YYYY-MM-DD, not '" + a.Scalar() + "'");
            }
            if (auto expect = r_.required(t, "expect", "a test"); expect && r_.expect_map(*expect, "expect")) {
                for (auto it = expect->begin(); it != expect->end(); ++it) {
                    const std::string id = it->first.Scalar();
                    auto s = d_->score_by_id.find(id);
                    if (s == d_->score_by_id.end()) {
                        std::vector<std::string> ids;
                        for (const auto& info : d_->score_infos) ids.push_back(info.id);
                        r_.error(it->first, "E401", "unknown score '" + id + "' in expect", did_you_mean(id, ids));
                        continue;
                    }
                    TestExpect ex;
                    ex.score = static_cast<int>(s->second);
                    ex.where = r_.at(it->second);
                    if (!it->second.IsScalar() && !it->second.IsNull()) {
                        r_.error(it->second, "E401", "an expected value must be a single value or null");
                        continue;
                    }
                    if (!it->second.IsNull() && it->second.Scalar() != "null" && it->second.Scalar() != "~") {
                        ex.expected = it->second.Scalar();
                        double x;
                        auto [p, ec] = std::from_chars(ex.expected->data(), ex.expected->data() + ex.expected->size(), x);
                        ex.numeric = ec == std::errc() && p == ex.expected->data() + ex.expected->size();
                        ex.number = x;
                    }
                    tc.expect.push_back(std::move(ex));
                }
            }
            if (const YAML::Node& ec = t["expect_checks"]; ec.IsDefined() && r_.expect_list(ec, "expect_checks")) {
                tc.expect_checks.emplace();
                for (const auto& c : ec) {
                    if (!r_.expect_scalar(c, "a check id")) continue;
                    bool known = std::any_of(d_->checks.begin(), d_->checks.end(), [&](const CheckModel& m) { return m.id == c.Scalar(); });
                    if (!known) {
                        std::vector<std::string> ids;
                        for (const auto& m : d_->checks) ids.push_back(m.id);
                        r_.error(c, "E401", "unknown check '" + c.Scalar() + "'", did_you_mean(c.Scalar(), ids));
                    }
                    tc.expect_checks->push_back(c.Scalar());
                }
            }
            d_->tests.push_back(std::move(tc));
        }
    }

    bool test_shape(const YAML::Node& t) {
        if (!r_.expect_map(t, "a test")) return false;
        r_.check_keys(t, {"name", "description", "fill", "ratings", "as_of", "expect", "expect_checks"}, "a test");
        return true;
    }

    void add_test_cell(TestCase& tc, const Instrument& probe, int column, const YAML::Node& v) {
        if (!v.IsScalar() && !v.IsNull()) {
            r_.error(v, "E401", "a rating must be a single value");
            return;
        }
        std::string text = v.IsNull() ? std::string() : v.Scalar();
        ParsedCell cell = parse_cell(probe, static_cast<std::size_t>(column), text);
        if (cell.error) {
            r_.error(v, "E401", "'" + text + "' is not valid for " + d_->fields[static_cast<std::size_t>(column)].column + ": " + cell.error);
            return;
        }
        // Later settings (ratings after fill) replace earlier ones.
        auto same = std::find_if(tc.cells.begin(), tc.cells.end(), [&](const TestCell& c) { return c.column == column; });
        if (same != tc.cells.end()) tc.cells.erase(same);
        tc.cells.push_back({column, text, r_.at(v)});
    }

    YamlReader r_;
    std::vector<Diagnostic>& out_;
    std::string_view text_;
    std::shared_ptr<InstrumentData> d_;
    std::map<std::string, Location> names_;
    std::vector<bool> all_scores_ready_;
    bool item_fields_declared_ = false, outcome_fields_declared_ = false;
};


}  // namespace kelias::detail
