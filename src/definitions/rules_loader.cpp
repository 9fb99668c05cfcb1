// YAML rule sets -> RuleSetData. Facts and the instruments' results are the columns of a
// Model; every condition leaf, condition group and programme decision is a computed result
// of it, the groups and decisions built from the condition trees directly.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <unordered_set>

#include <kelias/rules.hpp>

#include "base/content_hash.hpp"
#include "base/local_format.hpp"
#include "base/number_format.hpp"
#include "base/text.hpp"
#include "cases/case_rows.hpp"
#include "cases/case_yaml.hpp"
#include "definitions/definition_reader.hpp"
#include "evaluation/evaluator.hpp"
#include "model/instrument_data.hpp"
#include "model/rule_set_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

const std::vector<std::string>& confidences() {
    static const std::vector<std::string> c = {"verified", "secondary", "unverified"};
    return c;
}

const std::vector<std::string>& programme_kinds() {
    static const std::vector<std::string> k = {"placement",   "intervention", "activity",
                                               "supervision", "service",      "return"};
    return k;
}

/// Condition trees nested deeper than this are refused (E305).
constexpr int max_condition_depth = 16;

/// Builds `and`/`or` over result references (an empty `all` is true, an empty `any` false).
Expr combine(Op op, const std::vector<int>& results) {
    if (results.empty()) return bool_constant(op == Op::and_);
    Expr e = result_ref(results.front(), Type{Kind::boolean});
    for (std::size_t i = 1; i < results.size(); ++i) {
        Expr pair;
        pair.op = op;
        pair.type = Type{Kind::boolean};
        pair.args.push_back(std::move(e));
        pair.args.push_back(result_ref(results[i], Type{Kind::boolean}));
        e = std::move(pair);
    }
    return e;
}

Expr negate(Expr e) {
    Expr out;
    out.op = Op::not_;
    out.type = Type{Kind::boolean};
    out.args.push_back(std::move(e));
    return out;
}

class RulesLoader {
public:
    RulesLoader(std::string file, std::string_view text, std::vector<Diagnostic>& out)
        : rules_(std::make_shared<RuleSetData>()), yaml_(std::move(file), text, out), r_(rules_->model, yaml_, out),
          file_(yaml_.file()) {
        m().hash = content_hash(text);
    }

    std::shared_ptr<RuleSetData> load() {
        auto root = yaml_.parse();
        if (!root || !yaml_.expect_map(*root, "a rule file")) return nullptr;
        const YAML::Node& n = *root;
        // Say what the file is, rather than reporting every instrument key as unknown.
        const YAML::Node kind = n["kind"];
        if (!kind.IsDefined() && n["items"].IsDefined()) {
            yaml_.error(n, DiagnosticCode::wrong_definition_kind,
                        "this is not a rule set: it has items and no 'kind: rules' (an instrument?)",
                        "rule sets say 'kind: rules'; instruments are read with 'kelias instrument'");
            return nullptr;
        }
        if (kind.IsDefined() && !yaml_.expect_scalar(kind, "kind")) return nullptr;
        if (kind.IsDefined() && kind.Scalar() != "rules") {
            yaml_.error(kind, DiagnosticCode::wrong_definition_kind,
                        "this is not a rule set (kind '" + for_message(kind.Scalar()) + "')",
                        "rule sets say 'kind: rules'; instruments are read with 'kelias instrument'");
            return nullptr;
        }
        yaml_.check_keys(n,
                         {"kelias", "kind", "id", "version", "title", "description", "source", "licence", "horizon",
                          "instruments", "facts", "params", "tables", "programmes", "tests", "lint"},
                         "the rule set");
        yaml_.required(n, "kind", "a rule set");
        r_.read_header(n, "a rule set", "rule set");
        if (const YAML::Node& h = n["horizon"]; h.IsDefined() && yaml_.expect_scalar(h, "horizon")) {
            if (auto d = parse_duration(h.Scalar()))
                rules_->horizon = *d;
            else
                yaml_.error(h, DiagnosticCode::invalid_value,
                            "'" + for_message(h.Scalar()) + "' is not an ISO-8601 duration", "write e.g. P3Y");
        }
        read_instruments(n["instruments"]);
        read_facts(n["facts"]);
        read_choices();
        read_params(n["params"]);
        read_lint(n["lint"]);
        r_.read_tables(n["tables"]);
        if (auto p = yaml_.required(n, "programmes", "a rule set")) read_programmes(*p);
        if (r_.failed()) return nullptr;
        compile();
        check_placeholders();
        // Embedded tests run against a sound rule set only: with conditions that do not
        // compile there is nothing to run them on (their keys were checked all the same).
        if (r_.failed()) {
            check_test_shapes(n["tests"]);
            return nullptr;
        }
        read_tests(n["tests"]);
        if (r_.failed()) return nullptr;
        return rules_;
    }

private:
    Model& m() { return rules_->model; }

    // ---- instruments -------------------------------------------------------------------
    FieldSpec spec_for(const Model& src, const std::string& src_id, FieldType type, int scale) {
        FieldSpec f;
        f.type = type;
        if (type == FieldType::rating || type == FieldType::category) {
            if (scale >= 0 && !src.scales[static_cast<std::size_t>(scale)].numeric) {
                f.type = FieldType::rating;
                f.scale = r_.copy_scale(src, src_id, scale);
            } else if (scale >= 0) {
                f.type = FieldType::number;
            } else {
                f.type = FieldType::category;  // free codes: anything the instrument can produce
                f.values = src.strings;
            }
        }
        return f;
    }

    void read_instruments(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_map(n, "instruments")) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = yaml_.id(it->first, "instrument id");
            if (!id || !r_.claim_name(*id, it->first, "instrument", true) ||
                !yaml_.expect_map(it->second, "instrument '" + *id + "'"))
                continue;
            const YAML::Node spec = it->second;
            if (spec["by_age"].IsDefined() || spec["age_from"].IsDefined()) {
                pending_choices_.emplace_back(it->first, spec);  // read once the facts are known
                continue;
            }
            yaml_.check_keys(spec, {"file", "max_age"}, "instrument '" + *id + "'");
            RequiredInstrument req;
            req.id = *id;
            std::optional<Duration> max_age;
            if (const YAML::Node& a = spec["max_age"]; a.IsDefined() && yaml_.expect_scalar(a, "max_age")) {
                if (auto dur = parse_duration(a.Scalar()))
                    max_age = *dur;
                else
                    yaml_.error(a, DiagnosticCode::invalid_value,
                                "'" + for_message(a.Scalar()) + "' is not an ISO-8601 duration", "write e.g. P6M");
            }
            std::string file = *id;
            if (const YAML::Node& f = spec["file"]; f.IsDefined() && yaml_.expect_scalar(f, "file")) file = f.Scalar();
            const auto path = locate(file);
            if (!path) {
                yaml_.error(
                    it->first, DiagnosticCode::unknown_reference, "cannot find instrument '" + for_message(file) + "'",
                    "give a path relative to this file, or an id found in KELIAS_PATH or the installed definitions");
                continue;
            }
            auto loaded = load_instrument_file(*path);
            if (!loaded) {
                const std::size_t count = loaded.error().size();
                yaml_.error(it->first, DiagnosticCode::unknown_reference,
                            "instrument '" + for_message(file) + "' does not load (" + std::to_string(count) +
                                (count == 1 ? " problem)" : " problems)"),
                            "run: kelias instrument validate " + path->string());
                continue;
            }
            req.instrument = *loaded;
            // Fresh within the instrument's own reassessment interval unless the rule set says otherwise.
            req.max_age = max_age ? *max_age : req.instrument.reassess_every().value_or(Duration{0, 6, 0});
            add_instrument_columns(req, yaml_.at(it->first));
            rules_->instruments.push_back(std::move(req));
        }
    }

    std::optional<std::filesystem::path> locate(const std::string& file) {
        namespace fs = std::filesystem;
        const fs::path beside = fs::path(file_).parent_path() / file;
        std::error_code ec;
        if (fs::is_regular_file(beside, ec)) return beside;
        if (fs::is_regular_file(fs::path(beside).concat(".yaml"), ec)) return fs::path(beside).concat(".yaml");
        return find_definition(file);
    }

    int add_column(int entry, const std::string& owner, const std::string& name, const FieldSpec& f, ColumnOwner who) {
        const int column = r_.add_field(entry, owner, name, f, false, false);
        rules_->column_owners.resize(m().fields.size());
        rules_->column_owners[static_cast<std::size_t>(column)] = std::move(who);
        return column;
    }

    void add_instrument_columns(RequiredInstrument& req, Location where) {
        const InstrumentData& src = req.instrument.data();
        const int index = static_cast<int>(rules_->instruments.size());
        EntryInfo info;
        info.id = req.id;
        info.in_totals = false;
        const int entry = r_.add_entry(std::move(info), std::move(where));
        FieldSpec date;
        date.type = FieldType::date;
        req.date_column = add_column(entry, req.id, "date", date, {ColumnOwner::Role::assessment_date, index, "date"});
        for (std::size_t s = 0; s < src.score_infos.size(); ++s) {
            const Type& t = src.results[s].expr.type;
            const FieldType type = t.kind == Kind::boolean    ? FieldType::boolean
                                   : t.kind == Kind::date     ? FieldType::date
                                   : t.kind == Kind::category ? FieldType::category
                                                              : FieldType::number;
            const std::string& name = src.score_infos[s].id;
            const int column = add_column(entry, req.id, name, spec_for(src, src.id, type, t.scale),
                                          {ColumnOwner::Role::assessment_result, index, name});
            req.score_columns.emplace_back(s, column);
            req.given_columns.emplace(name, column);
        }
        for (std::size_t f = 0; f < src.fields.size(); ++f) {
            if (!src.fields[f].is_outcome) continue;
            const std::string& name = src.fields[f].column;
            const int column =
                add_column(entry, req.id, name, spec_for(src, src.id, src.fields[f].type, src.field_models[f].scale),
                           {ColumnOwner::Role::assessment_result, index, name});
            req.field_columns.emplace_back(f, column);
            req.given_columns.emplace(name, column);
        }
    }

    // ---- instruments chosen by age -----------------------------------------------------
    // `risk: {age_from: date_of_birth, by_age: [{instrument: start_av, below: 18},
    // {instrument: start, from: 18}]}`: whole years on as_of, ranges contiguous from 0, the
    // last without `below`. Read after the facts, since the age comes from one of them.
    void read_choices() {
        for (const auto& [key, spec] : pending_choices_) {
            auto id = yaml_.id(key, "instrument id");  // claimed when the instruments were read
            if (!id) continue;
            const std::string what = "instrument choice '" + *id + "'";
            yaml_.check_keys(spec, {"age_from", "by_age"}, what);
            AgeChoice choice;
            choice.id = *id;
            choice.where = yaml_.at(key);
            bool ok = true;
            if (auto f = yaml_.required(spec, "age_from", what); !f || !yaml_.expect_scalar(*f, "age_from")) {
                ok = false;
            } else {
                choice.birth_fact = f->Scalar();
                auto c = rules_->fact_columns.find(choice.birth_fact);
                if (c == rules_->fact_columns.end()) {
                    std::vector<std::string> facts;
                    for (const auto& [name, _] : rules_->fact_columns) facts.push_back(name);
                    yaml_.error(*f, DiagnosticCode::unknown_reference,
                                "'" + for_message(choice.birth_fact) + "' is not a fact of this rule set",
                                did_you_mean(choice.birth_fact, facts).empty()
                                    ? "declare it under facts, e.g. date_of_birth: date"
                                    : did_you_mean(choice.birth_fact, facts));
                    ok = false;
                } else if (m().field_models[static_cast<std::size_t>(c->second)].type.kind != Kind::date) {
                    yaml_.error(*f, DiagnosticCode::type_error,
                                "the age is counted from a date; fact '" + choice.birth_fact + "' is not a date",
                                "name a fact declared as date");
                    ok = false;
                } else {
                    choice.birth_column = c->second;
                }
            }
            auto list = yaml_.required(spec, "by_age", what);
            if (!list || !yaml_.expect_list(*list, "by_age")) continue;
            int expected_from = 0;
            bool open_ended = false;
            for (const auto& alt : *list) {
                if (!yaml_.expect_map(alt, "an alternative of by_age")) {
                    ok = false;
                    continue;
                }
                yaml_.check_keys(alt, {"instrument", "from", "below"}, "an alternative of by_age");
                AgeChoice::Alternative a;
                a.where = yaml_.at(alt);
                if (open_ended) {
                    yaml_.error(alt, DiagnosticCode::invalid_value,
                                "an alternative follows one without 'below' (no upper age limit)",
                                "give every alternative but the last a 'below' age");
                    ok = false;
                }
                if (auto inst = yaml_.required(alt, "instrument", "an alternative of by_age");
                    inst && yaml_.expect_scalar(*inst, "instrument")) {
                    const auto req = std::find_if(rules_->instruments.begin(), rules_->instruments.end(),
                                                  [&](const RequiredInstrument& x) { return x.id == inst->Scalar(); });
                    if (req == rules_->instruments.end()) {
                        std::vector<std::string> ids;
                        for (const auto& x : rules_->instruments) ids.push_back(x.id);
                        const std::string hint = did_you_mean(inst->Scalar(), ids);
                        yaml_.error(
                            *inst, DiagnosticCode::unknown_reference,
                            "'" + for_message(inst->Scalar()) + "' is not an instrument listed under 'instruments'",
                            hint.empty() ? "list it first, e.g. " + inst->Scalar() + ": {file: " + inst->Scalar() + "}"
                                         : hint);
                        ok = false;
                    } else {
                        a.instrument = static_cast<int>(req - rules_->instruments.begin());
                    }
                } else {
                    ok = false;
                }
                a.from = expected_from;
                if (const YAML::Node& f = alt["from"]; f.IsDefined()) {
                    auto v = whole_age(f, "from");
                    if (!v) {
                        ok = false;
                    } else if (*v != expected_from) {
                        yaml_.error(f, DiagnosticCode::invalid_value,
                                    "age ranges must follow each other: this one starts at " + std::to_string(*v) +
                                        ", the previous ends at " + std::to_string(expected_from),
                                    "write from: " + std::to_string(expected_from) +
                                        " (the first range starts at 0; each 'from' is the previous 'below')");
                        ok = false;
                    }
                }
                if (const YAML::Node& b = alt["below"]; b.IsDefined()) {
                    auto v = whole_age(b, "below");
                    if (!v) {
                        ok = false;
                    } else if (*v <= a.from) {
                        yaml_.error(b, DiagnosticCode::invalid_value,
                                    "'below' (" + std::to_string(*v) + ") must be above 'from' (" +
                                        std::to_string(a.from) + ")");
                        ok = false;
                    } else {
                        a.below = *v;
                        expected_from = *v;
                    }
                } else {
                    open_ended = true;
                }
                choice.alternatives.push_back(a);
            }
            if (choice.alternatives.size() < 2) {
                yaml_.error(*list, DiagnosticCode::invalid_value, "by_age needs at least two alternatives",
                            "with one instrument for every age, list it as an instrument and read it directly");
                ok = false;
            } else if (!open_ended) {
                yaml_.error(*list, DiagnosticCode::invalid_value,
                            "the last alternative of by_age has an upper age limit, so older people have no instrument",
                            "leave out 'below' on the last alternative");
                ok = false;
            }
            if (!ok) continue;
            build_choice(std::move(choice), *list);
        }
    }

    std::optional<int> whole_age(const YAML::Node& n, const char* what) {
        auto v = yaml_.number(n, what);
        if (!v) return std::nullopt;
        if (*v < 0 || *v > 150 || *v != static_cast<double>(static_cast<int>(*v))) {
            yaml_.error(n, DiagnosticCode::invalid_value,
                        std::string("'") + what + "' is an age in whole years from 0 to 150", "write e.g. 18");
            return std::nullopt;
        }
        return static_cast<int>(*v);
    }

    static Expr number_constant(double x) {
        Expr e;
        e.type = Type{Kind::number};
        e.number = x;
        return e;
    }

    static Expr binary(Op op, Type type, Expr l, Expr r) {
        Expr e;
        e.op = op;
        e.type = type;
        e.args.push_back(std::move(l));
        e.args.push_back(std::move(r));
        return e;
    }

    static Expr if_then_else(Expr c, Expr then, Expr otherwise) {
        Expr e;
        e.op = Op::if_;
        e.type = then.type;
        e.args.push_back(std::move(c));
        e.args.push_back(std::move(then));
        e.args.push_back(std::move(otherwise));
        return e;
    }

    Expr column_ref(int column) const {
        Expr e;
        e.op = Op::field;
        e.index = column;
        e.type = rules_->model.field_models[static_cast<std::size_t>(column)].type;
        return e;
    }

    // The expression that gives `parts[k]` for the case whose age falls in range k.
    Expr pick(const AgeChoice& c, std::vector<Expr> parts) const {
        Expr selected = result_ref(c.selected, Type{Kind::number});
        Expr out = std::move(parts.back());
        for (std::size_t k = parts.size() - 1; k-- > 0;)
            out = if_then_else(binary(Op::eq, Type{Kind::boolean}, selected, number_constant(static_cast<double>(k))),
                               std::move(parts[k]), std::move(out));
        return out;
    }

    // Columns of two alternatives can stand for each other: same kind, and for codes the
    // same codes in the same order.
    bool same_column_type(int a, int b) const {
        const Type& ta = rules_->model.field_models[static_cast<std::size_t>(a)].type;
        const Type& tb = rules_->model.field_models[static_cast<std::size_t>(b)].type;
        if (ta.kind != tb.kind) return false;
        if (ta.scale < 0 || tb.scale < 0) return ta.scale == tb.scale;
        const Scale& sa = rules_->model.scales[static_cast<std::size_t>(ta.scale)];
        const Scale& sb = rules_->model.scales[static_cast<std::size_t>(tb.scale)];
        return sa.numeric == sb.numeric && sa.codes == sb.codes && sa.numbers == sb.numbers && sa.values == sb.values;
    }

    void build_choice(AgeChoice c, const YAML::Node& where) {
        // selected = the index of the range holding years_between(birth, as_of).
        Expr age;
        age.op = Op::years_between;
        age.type = Type{Kind::number};
        age.args.push_back(column_ref(c.birth_column));
        Expr now;
        now.op = Op::as_of;
        now.type = Type{Kind::date};
        age.args.push_back(std::move(now));
        Expr index = number_constant(static_cast<double>(c.alternatives.size() - 1));
        for (std::size_t k = c.alternatives.size() - 1; k-- > 0;)
            index = if_then_else(
                binary(Op::lt, Type{Kind::boolean}, age, number_constant(static_cast<double>(c.alternatives[k].below))),
                number_constant(static_cast<double>(k)), std::move(index));
        c.selected = add_built(ResultKind::group, -1, std::move(index), {}, where);
        if (c.selected < 0) return;
        // Every result the alternatives share becomes a member; the others are named in messages.
        ChoiceNames names;
        const RequiredInstrument& first = rules_->instruments[static_cast<std::size_t>(c.alternatives[0].instrument)];
        std::map<std::string, std::vector<std::string>> lacking;  // member -> alternatives without it
        std::set<std::string> all_names;
        for (const auto& a : c.alternatives)
            for (const auto& [name, _] : rules_->instruments[static_cast<std::size_t>(a.instrument)].given_columns)
                all_names.insert(name);
        for (const std::string& name : all_names) {
            std::vector<Expr> parts;
            for (const auto& a : c.alternatives) {
                const RequiredInstrument& req = rules_->instruments[static_cast<std::size_t>(a.instrument)];
                auto col = req.given_columns.find(name);
                auto first_col = first.given_columns.find(name);
                if (col == req.given_columns.end()) {
                    lacking[name].push_back(req.id);
                } else if (first_col != first.given_columns.end() &&
                           !same_column_type(first_col->second, col->second)) {
                    lacking[name].push_back(req.id + " (a different type or scale)");
                } else {
                    parts.push_back(column_ref(col->second));
                }
            }
            if (lacking.count(name)) {
                std::string hint = "not in";
                for (const auto& l : lacking[name]) hint += " " + l;
                hint += "; read it from one instrument directly (e.g. ";
                for (const auto& a : c.alternatives) {
                    const RequiredInstrument& req = rules_->instruments[static_cast<std::size_t>(a.instrument)];
                    if (req.given_columns.count(name)) {
                        hint += req.id + "." + name;
                        break;
                    }
                }
                hint += "), knowing it is unknown for people of the other ages";
                names.partial.emplace(name, hint);
                continue;
            }
            names.members.emplace(name, pick(c, std::move(parts)));
        }
        rules_->choice_names.emplace(c.id, std::move(names));
        rules_->choices.push_back(std::move(c));
    }

    // ---- facts -------------------------------------------------------------------------
    void read_facts(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_map(n, "facts")) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = yaml_.id(it->first, "fact name");
            if (!id || !r_.claim_name(*id, it->first, "fact", true)) continue;
            const YAML::Node spec = it->second;  // a copy: it-> goes through a temporary proxy
            if (spec.IsMap() && spec["list"].IsDefined()) {
                read_list_fact(*id, it->first, spec);
                continue;
            }
            auto f = r_.read_field_spec(spec, *id);
            if (!f) continue;
            EntryInfo info;
            info.id = *id;
            info.in_totals = false;
            const int entry = r_.add_entry(std::move(info), yaml_.at(it->first));
            const int column = r_.add_field(entry, *id, "value", *f, true, false);
            rules_->column_owners.resize(m().fields.size());
            rules_->column_owners[static_cast<std::size_t>(column)] = {ColumnOwner::Role::fact, -1, *id};
            rules_->fact_columns.emplace(*id, column);
            rules_->facts.push_back({.name = *id, .type = f->type, .values = f->values, .list = false});
        }
    }

    void read_list_fact(const std::string& id, const YAML::Node& where, const YAML::Node& spec) {
        yaml_.check_keys(spec, {"list", "label", "description"}, "list fact '" + id + "'");
        const std::size_t errors_before = yaml_.error_count();
        const FieldSet fields = r_.read_field_set(spec["list"], "the fields of list '" + id + "'");
        ListModel list;
        list.id = id;
        list.where = yaml_.at(where);
        for (const auto& [name, f] : fields) {
            auto [info, model] = r_.build_field(-1, id, name, f, false, false);
            list.field_names.push_back(name);
            list.fields.push_back(std::move(info));
            list.field_models.push_back(model);
        }
        if (list.fields.empty()) {
            // Fields that were given but are invalid have been reported already.
            if (yaml_.error_count() == errors_before)
                yaml_.error(where, DiagnosticCode::invalid_field, "list fact '" + id + "' has no fields",
                            "write list: {date: date, active: bool}");
            return;
        }
        m().list_index[id] = static_cast<int>(m().lists.size());
        m().lists.push_back(std::move(list));
        rules_->facts.push_back({.name = id, .type = FieldType::boolean, .values = {}, .list = true});
    }

    // ---- params ------------------------------------------------------------------------
    void read_params(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_map(n, "params")) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = yaml_.id(it->first, "param name");
            if (!id) continue;
            if (rules_->param_values.count(*id)) {
                yaml_.error(it->first, DiagnosticCode::duplicate_id, "param '" + *id + "' is defined twice");
                continue;
            }
            const YAML::Node p = it->second;  // a copy: it-> goes through a temporary proxy
            YAML::Node value_node;
            ParamInfo info;
            info.id = *id;
            info.where = yaml_.at(it->first);
            if (p.IsMap()) {
                yaml_.check_keys(p, {"value", "type", "unit", "min", "max", "source", "confidence", "note", "label"},
                                 "param '" + *id + "'");
                auto v = yaml_.required(p, "value", "param '" + *id + "'");
                if (!v) continue;
                value_node.reset(*v);
                if (p["source"].IsDefined())
                    if (auto t = yaml_.text(p["source"], "source")) info.source = *t;
                if (p["note"].IsDefined())
                    if (auto t = yaml_.text(p["note"], "note")) info.note = *t;
                if (p["confidence"].IsDefined()) read_confidence(p["confidence"], info.confidence);
                if (p["unit"].IsDefined()) info.unit = local_text(yaml_.labels(p["unit"], "unit"));
                if (!read_param_type(p, info)) continue;
            } else {
                value_node.reset(p);
            }
            if (!yaml_.expect_scalar(value_node, "a param value")) continue;
            info.value = value_node.Scalar();
            auto e = info.typed ? typed_param_value(value_node, info) : param_value(value_node);
            if (!e) continue;
            if (!info.typed) info.type = inferred_type(*e);
            rules_->param_values[*id] = *e;
            rules_->params.push_back(std::move(info));
        }
    }

    static ParamType inferred_type(const Expr& e) {
        switch (e.type.kind) {
        case Kind::boolean:
            return ParamType::boolean;
        case Kind::date:
            return ParamType::date;
        case Kind::duration:
            return ParamType::duration;
        case Kind::category:
            return ParamType::code;
        default:
            return ParamType::number;
        }
    }

    static bool numeric(ParamType t) {
        return t == ParamType::number || t == ParamType::fraction || t == ParamType::integer;
    }

    // `type`, `min` and `max` of a param map; false when they are unusable.
    bool read_param_type(const YAML::Node& p, ParamInfo& info) {
        static const std::vector<std::pair<std::string, ParamType>> names = {
            {"number", ParamType::number}, {"fraction", ParamType::fraction}, {"integer", ParamType::integer},
            {"bool", ParamType::boolean},  {"category", ParamType::code},     {"code", ParamType::code},
            {"date", ParamType::date},     {"duration", ParamType::duration}};
        bool ok = true;
        if (const YAML::Node& t = p["type"]; t.IsDefined()) {
            if (!yaml_.expect_scalar(t, "type")) return false;
            const auto found =
                std::find_if(names.begin(), names.end(), [&](const auto& n) { return n.first == t.Scalar(); });
            if (found == names.end()) {
                std::vector<std::string> all;
                for (const auto& n : names) all.push_back(n.first);
                const std::string hint = did_you_mean(t.Scalar(), all);
                yaml_.error(t, DiagnosticCode::invalid_value, "unknown param type '" + for_message(t.Scalar()) + "'",
                            hint.empty() ? "use number, fraction, integer, bool, category, date or duration" : hint);
                return false;
            }
            info.type = found->second;
            info.typed = true;
        }
        for (const char* key : {"min", "max"}) {
            const YAML::Node& b = p[key];
            if (!b.IsDefined()) continue;
            if (!info.typed || !numeric(info.type)) {
                yaml_.error(b, DiagnosticCode::invalid_value,
                            std::string(key) + " applies to params of type number, fraction or integer",
                            info.typed ? "remove it" : "give the param a type, e.g. type: number");
                ok = false;
                continue;
            }
            if (auto v = yaml_.number(b, key))
                (std::string(key) == "min" ? info.min : info.max) = *v;
            else
                ok = false;
        }
        if (info.min && info.max && *info.min > *info.max) {
            yaml_.error(p["min"], DiagnosticCode::invalid_value, "param '" + info.id + "' has min > max",
                        "min is the lowest value allowed, max the highest");
            ok = false;
        }
        return ok;
    }

    static std::string number_text(double x) {
        std::string out;
        append_number(out, x);
        return out;
    }

    // A value checked against the param's declared type and range (E104 with a hint).
    std::optional<Expr> typed_param_value(const YAML::Node& v, const ParamInfo& info) {
        const std::string& t = v.Scalar();
        const std::string what = "param '" + info.id + "'";
        Expr e;
        e.op = Op::constant;
        switch (info.type) {
        case ParamType::number:
        case ParamType::fraction:
        case ParamType::integer: {
            double x;
            auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
            if (ec != std::errc() || p != t.data() + t.size() || !std::isfinite(x)) {
                std::string hint = "write a number, e.g. 3 or 0.25";
                if (info.type == ParamType::fraction) {
                    double percent;
                    auto [q, ec2] = std::from_chars(t.data(), t.data() + t.size(), percent);
                    hint = ec2 == std::errc() && q + 1 == t.data() + t.size() && *q == '%'
                               ? "a fraction is in [0, 1]; did you mean " + number_text(percent / 100) + "?"
                               : "a fraction is a number in [0, 1], e.g. 0.25";
                } else if (info.type == ParamType::integer) {
                    hint = "write a whole number, e.g. 3";
                }
                yaml_.error(
                    v, DiagnosticCode::invalid_value,
                    "'" + for_message(t) + "' is not a " + std::string(to_string(info.type)) + " (" + what + ")", hint);
                return std::nullopt;
            }
            if (info.type == ParamType::integer && x != std::floor(x)) {
                yaml_.error(v, DiagnosticCode::invalid_value, what + " is an integer, not " + t,
                            "write a whole number, e.g. " + number_text(std::round(x)));
                return std::nullopt;
            }
            if (info.type == ParamType::fraction && (x < 0 || x > 1)) {
                yaml_.error(v, DiagnosticCode::invalid_value, what + " is a fraction, " + t + " is outside [0, 1]",
                            x > 1 && x <= 100 ? "a fraction is in [0, 1]; did you mean " + number_text(x / 100) + "?"
                                              : "a fraction is in [0, 1], e.g. 0.25 for a quarter");
                return std::nullopt;
            }
            if ((info.min && x < *info.min) || (info.max && x > *info.max)) {
                const std::string range = "[" + (info.min ? number_text(*info.min) : std::string("-inf")) + ", " +
                                          (info.max ? number_text(*info.max) : std::string("inf")) + "]";
                yaml_.error(v, DiagnosticCode::invalid_value, what + " is " + t + ", outside its range " + range,
                            "change the value, or min/max if the range is wrong");
                return std::nullopt;
            }
            e.type = Type{Kind::number};
            e.number = x;
            return e;
        }
        case ParamType::boolean:
            if (t != "true" && t != "false") {
                yaml_.error(v, DiagnosticCode::invalid_value, "'" + for_message(t) + "' is not a bool (" + what + ")",
                            "write true or false");
                return std::nullopt;
            }
            e.type = Type{Kind::boolean};
            e.number = t == "true";
            return e;
        case ParamType::date:
            if (auto date = parse_date(t)) {
                e.type = Type{Kind::date};
                e.number = date->days;
                return e;
            }
            yaml_.error(v, DiagnosticCode::invalid_value, "'" + for_message(t) + "' is not a date (" + what + ")",
                        "write YYYY-MM-DD");
            return std::nullopt;
        case ParamType::duration:
            if (auto dur = parse_duration(t)) {
                e.op = Op::duration;
                e.type = Type{Kind::duration};
                e.duration = *dur;
                return e;
            }
            yaml_.error(v, DiagnosticCode::invalid_value,
                        "'" + for_message(t) + "' is not an ISO-8601 duration (" + what + ")", "write e.g. P6M or P1Y");
            return std::nullopt;
        case ParamType::code:
            if (!is_code(t)) {
                yaml_.error(v, DiagnosticCode::invalid_value, "'" + for_message(t) + "' is not a code (" + what + ")",
                            "codes are letters, digits and _, starting with a letter");
                return std::nullopt;
            }
            e.type = Type{Kind::category, -1};
            e.number = m().intern(t);
            return e;
        }
        return std::nullopt;
    }

    // `lint: {accept: {FINDING_ID: "why", ...}}`: findings of `kelias rules lint` the file explains.
    void read_lint(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_map(n, "lint")) return;
        yaml_.check_keys(n, {"accept"}, "lint");
        const YAML::Node accept = n["accept"];
        if (!accept.IsDefined() || !yaml_.expect_map(accept, "accept")) return;
        for (auto it = accept.begin(); it != accept.end(); ++it) {
            if (!yaml_.expect_scalar(it->first, "a finding id")) continue;
            auto why = yaml_.text(it->second, "the reason a finding is accepted");
            if (!why) continue;
            if (why->empty()) {
                yaml_.error(it->second, DiagnosticCode::invalid_value,
                            "finding '" + for_message(it->first.Scalar()) + "' is accepted without a reason",
                            "say why the finding is not a problem");
                continue;
            }
            rules_->lint_accepts.push_back({it->first.Scalar(), *why, yaml_.at(it->first)});
        }
    }

    void read_confidence(const YAML::Node& n, std::string& out) {
        if (!yaml_.expect_scalar(n, "confidence")) return;
        if (std::find(confidences().begin(), confidences().end(), n.Scalar()) == confidences().end()) {
            yaml_.error(n, DiagnosticCode::invalid_value,
                        "confidence must be verified, secondary or unverified, not '" + for_message(n.Scalar()) + "'",
                        did_you_mean(n.Scalar(), confidences()));
            return;
        }
        out = n.Scalar();
    }

    std::optional<Expr> param_value(const YAML::Node& v) {
        const std::string& t = v.Scalar();
        Expr e;
        e.op = Op::constant;
        double x;
        auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
        if (ec == std::errc() && p == t.data() + t.size()) {
            e.type = Type{Kind::number};
            e.number = x;
        } else if (t == "true" || t == "false") {
            e.type = Type{Kind::boolean};
            e.number = t == "true";
        } else if (auto date = parse_date(t)) {
            e.type = Type{Kind::date};
            e.number = date->days;
        } else if (auto dur = parse_duration(t)) {
            e.op = Op::duration;
            e.type = Type{Kind::duration};
            e.duration = *dur;
        } else if (is_identifier(t)) {
            e.type = Type{Kind::category, -1};
            e.number = m().intern(t);
        } else {
            yaml_.error(v, DiagnosticCode::invalid_value,
                        "'" + for_message(t) + "' is not a number, bool, date, duration or code");
            return std::nullopt;
        }
        return e;
    }

    // ---- programmes --------------------------------------------------------------------
    static int add_node(ProgrammeModel& prog, ConditionNode node) {
        prog.nodes.push_back(std::move(node));
        return static_cast<int>(prog.nodes.size()) - 1;
    }

    static int add_leaf_node(ProgrammeModel& prog, LeafModel leaf) {
        prog.leaves.push_back(std::move(leaf));
        ConditionNode node;
        node.kind = ConditionNode::Kind::leaf;
        node.leaf = static_cast<int>(prog.leaves.size()) - 1;
        node.result = prog.leaves.back().result;
        return add_node(prog, std::move(node));
    }

    // A result whose expression the loader builds (groups, decisions, freshness leaves).
    int add_built(ResultKind kind, int programme, Expr expr, std::vector<int> depends_on, const YAML::Node& where,
                  int leaf = -1) {
        Computed c;
        c.kind = kind;
        c.expr = std::move(expr);
        c.depends_on = std::move(depends_on);
        c.where = yaml_.at(where);
        c.programme = programme;
        c.leaf = leaf;
        const int result = r_.add_result(std::move(c), where);
        if (result < 0) return -1;
        PendingResult p;
        p.result = result;
        p.built = true;
        pending_.push_back(std::move(p));
        return result;
    }

    // A group node over `children` (node indices): a result combining theirs.
    int add_group(ProgrammeModel& prog, int programme, ConditionNode::Kind kind, std::vector<int> children,
                  const YAML::Node& where) {
        std::vector<int> results;
        for (int c : children) {
            const int r = prog.nodes[static_cast<std::size_t>(c)].result;
            if (r >= 0) results.push_back(r);
        }
        Expr e =
            kind == ConditionNode::Kind::not_
                ? (results.empty() ? bool_constant(true) : negate(result_ref(results.front(), Type{Kind::boolean})))
                : combine(kind == ConditionNode::Kind::all ? Op::and_ : Op::or_, results);
        ConditionNode node;
        node.kind = kind;
        node.children = std::move(children);
        node.result = add_built(ResultKind::group, programme, std::move(e), results, where);
        return add_node(prog, std::move(node));
    }

    // Reads a condition tree into prog.nodes; returns its root node, or -1.
    int read_tree(const YAML::Node& n, ProgrammeModel& prog, int programme, bool exclusion, int depth) {
        if (depth > max_condition_depth) {
            yaml_.error(n, DiagnosticCode::expression_too_deep, "condition tree nested too deeply",
                        "at most " + std::to_string(max_condition_depth) + " levels of all/any/not");
            return -1;
        }
        if (!yaml_.expect_map(n, "a condition")) return -1;
        for (const char* group : {"all", "any"}) {
            if (!n[group].IsDefined()) continue;
            yaml_.check_keys(n, {group}, std::string("an '") + group + "' group");
            if (!yaml_.expect_list(n[group], group)) return -1;
            std::vector<int> children;
            for (const auto& child : n[group]) {
                const int c = read_tree(child, prog, programme, exclusion, depth + 1);
                if (c >= 0) children.push_back(c);
            }
            return add_group(prog, programme,
                             std::string(group) == "all" ? ConditionNode::Kind::all : ConditionNode::Kind::any,
                             std::move(children), n);
        }
        if (n["not"].IsDefined()) {
            yaml_.check_keys(n, {"not"}, "a 'not' group");
            const int c = read_tree(n["not"], prog, programme, exclusion, depth + 1);
            return add_group(prog, programme, ConditionNode::Kind::not_,
                             c >= 0 ? std::vector<int>{c} : std::vector<int>{}, n);
        }
        return read_leaf(n, prog, programme, exclusion);
    }

    int read_leaf(const YAML::Node& n, ProgrammeModel& prog, int programme, bool exclusion) {
        yaml_.check_keys(n, {"id", "expr", "text", "source", "confidence"}, "a condition");
        auto idn = yaml_.required(n, "id", "a condition");
        auto expr = yaml_.required(n, "expr", "a condition");
        if (!idn || !expr) return -1;
        auto id = yaml_.id(*idn, "condition id");
        if (!id || !yaml_.expect_scalar(*expr, "expr")) return -1;
        for (const auto& leaf : prog.leaves)
            if (leaf.info.id == *id) {
                yaml_.error(*idn, DiagnosticCode::duplicate_id,
                            "condition '" + *id + "' appears twice in programme '" + prog.info.id + "'",
                            "first at line " + std::to_string(leaf.where.line));
                return -1;
            }
        LeafModel leaf;
        leaf.info.id = *id;
        leaf.info.exclusion = exclusion;
        leaf.info.expression = expr->Scalar();
        const int leaf_index = static_cast<int>(prog.leaves.size());
        if (n["text"].IsDefined()) {
            read_leaf_text(n["text"], programme, leaf_index, leaf);
        } else {
            leaf.info.text = leaf.info.texts.en = expr->Scalar();
            leaf.text_en = {TextPart{expr->Scalar(), -1, {}}};
        }
        if (n["source"].IsDefined())
            if (auto t = yaml_.text(n["source"], "source")) leaf.info.source = *t;
        if (n["confidence"].IsDefined()) read_confidence(n["confidence"], leaf.info.confidence);
        leaf.where = yaml_.at(*idn);
        Computed c;
        c.kind = ResultKind::condition;
        c.where = leaf.where;
        c.programme = programme;
        c.leaf = static_cast<int>(prog.leaves.size());
        PendingResult p;
        r_.parse(*expr, p);
        if (p.ast) add_params_read(*p.ast, leaf.info.params);
        if (p.ast)
            for (const auto& name : collect_references(*p.ast).names)
                for (std::size_t k = 0; k < rules_->choices.size(); ++k)
                    if (rules_->choices[k].id == name &&
                        std::find(leaf.choices.begin(), leaf.choices.end(), static_cast<int>(k)) == leaf.choices.end())
                        leaf.choices.push_back(static_cast<int>(k));
        p.must_be_bool = true;
        p.bool_what = "condition '" + *id + "'";
        p.result = r_.add_result(std::move(c), *idn);
        if (p.result < 0) return -1;
        leaf.result = p.result;
        pending_.push_back(std::move(p));
        return add_leaf_node(prog, std::move(leaf));
    }

    // ---- condition texts with placeholders -------------------------------------------
    static void add_params_read(const Ast& ast, std::vector<std::string>& out) {
        std::vector<const Ast*> todo{&ast};
        while (!todo.empty()) {
            const Ast* a = todo.back();
            todo.pop_back();
            if (a->kind == Ast::Kind::member && a->text == "params" &&
                std::find(out.begin(), out.end(), a->member) == out.end())
                out.push_back(a->member);
            for (const auto& arg : a->args) todo.push_back(&arg);
        }
    }

    static void shift(Ast& ast, int by) {
        ast.begin += by;
        ast.end += by;
        for (auto& a : ast.args) shift(a, by);
    }

    const ParamInfo* find_param(const std::string& id) const {
        for (const auto& p : rules_->params)
            if (p.id == id) return &p;
        return nullptr;
    }

    // A param's value as a person reads it, with its unit where it makes sense.
    static std::string param_text(const ParamInfo& p, const Expr& value, Language language) {
        const std::string& unit = p.unit.in(language);
        const auto with_unit = [&](std::string v) { return unit.empty() ? v : v + " " + unit; };
        switch (p.type) {
        case ParamType::fraction:
            return with_unit(fraction_text(value.number));
        case ParamType::number:
        case ParamType::integer:
            return with_unit(number_text(value.number));
        case ParamType::duration:
            return with_unit(duration_words(value.duration, language));
        case ParamType::boolean:
            return yes_no(value.number != 0, language);
        case ParamType::date:
        case ParamType::code:
            return with_unit(p.value);
        }
        return p.value;
    }

    // `text: "..."` or `text: {en: ..., lt: ...}`: both kept, their placeholders compiled.
    void read_leaf_text(const YAML::Node& t, int programme, int leaf_index, LeafModel& leaf) {
        leaf.info.texts = local_text(yaml_.labels(t, "text"), leaf.info.expression);
        leaf.info.text = leaf.info.texts.en;
        YAML::Node en, lt;
        if (t.IsScalar()) {
            en.reset(t);
        } else if (t.IsMap()) {
            if (t["en"].IsDefined() && t["en"].IsScalar()) en.reset(t["en"]);
            if (t["lt"].IsDefined() && t["lt"].IsScalar()) lt.reset(t["lt"]);
        }
        leaf.text_en = en.IsDefined() ? read_template(en, Language::en, programme, leaf_index, leaf.info.params)
                                      : TextTemplate{TextPart{leaf.info.texts.en, -1, {}}};
        if (lt.IsDefined()) leaf.text_lt = read_template(lt, Language::lt, programme, leaf_index, leaf.info.params);
    }

    // Splits a text into literal parts and placeholders: `{params.NAME}` is written in now,
    // `{EXPR}` becomes a result computed per case; `{{` and `}}` are braces.
    TextTemplate read_template(const YAML::Node& node, Language language, int programme, int leaf_index,
                               std::vector<std::string>& params) {
        const std::string& s = node.Scalar();
        TextTemplate out;
        std::string literal;
        const std::string placeholder_hint = "write {params.NAME} or {EXPRESSION}, and {{ or }} for a brace";
        for (std::size_t i = 0; i < s.size();) {
            if ((s[i] == '{' || s[i] == '}') && i + 1 < s.size() && s[i + 1] == s[i]) {
                literal += s[i];
                i += 2;
                continue;
            }
            if (s[i] == '}') {
                yaml_.error(yaml_.at_offset(node, static_cast<int>(i)), DiagnosticCode::expression_syntax,
                            "'}' without '{' in a text", placeholder_hint);
                ++i;
                continue;
            }
            if (s[i] != '{') {
                literal += s[i++];
                continue;
            }
            const std::size_t close = s.find('}', i + 1);
            if (close == std::string::npos) {
                yaml_.error(yaml_.at_offset(node, static_cast<int>(i)), DiagnosticCode::expression_syntax,
                            "'{' is not closed in a text", placeholder_hint);
                break;
            }
            std::size_t b = i + 1, e = close;
            while (b < e && s[b] == ' ') ++b;
            while (e > b && s[e - 1] == ' ') --e;
            const std::string inner = s.substr(b, e - b);
            const int start = static_cast<int>(b);
            i = close + 1;
            if (inner.empty()) {
                yaml_.error(yaml_.at_offset(node, start), DiagnosticCode::expression_syntax, "empty placeholder '{}'",
                            placeholder_hint);
                continue;
            }
            if (inner.starts_with("params.") && is_identifier(std::string_view(inner).substr(7))) {
                const std::string id = inner.substr(7);
                const ParamInfo* p = find_param(id);
                if (!p) {
                    std::vector<std::string> ids;
                    for (const auto& q : rules_->params) ids.push_back(q.id);
                    yaml_.error(yaml_.at_offset(node, start + 7), DiagnosticCode::unknown_name,
                                "unknown param '" + for_message(id) + "' in a text", did_you_mean(id, ids));
                    continue;
                }
                literal += param_text(*p, rules_->param_values.at(id), language);
                if (std::find(params.begin(), params.end(), id) == params.end()) params.push_back(id);
                continue;
            }
            std::vector<ExprError> errors;
            auto ast = parse_expression(inner, errors);
            for (auto& error : errors) error.offset += start;
            r_.report(node, errors);
            if (!ast) continue;
            shift(*ast, start);
            add_params_read(*ast, params);
            Computed c;
            c.kind = ResultKind::placeholder;
            c.where = yaml_.at_offset(node, start);
            c.programme = programme;
            c.leaf = leaf_index;
            PendingResult pending;
            pending.expr_node.reset(node);
            pending.ast = std::move(ast);
            pending.result = r_.add_result(std::move(c), node);
            if (pending.result < 0) continue;
            if (!literal.empty()) out.push_back(TextPart{std::exchange(literal, {}), -1, {}});
            out.push_back(TextPart{{}, pending.result, inner});
            placeholders_.push_back(pending.result);
            pending_.push_back(std::move(pending));
        }
        if (!literal.empty() || out.empty()) out.push_back(TextPart{std::move(literal), -1, {}});
        return out;
    }

    // A computed placeholder must give something a person can read in a sentence.
    void check_placeholders() {
        for (int r : placeholders_) {
            const Computed& c = m().results[static_cast<std::size_t>(r)];
            const Kind k = c.expr.type.kind;
            if (k == Kind::number || k == Kind::date || k == Kind::boolean || k == Kind::error) continue;
            yaml_.error(c.where, DiagnosticCode::type_error,
                        "a placeholder in a text must be a number, a date or a bool, not a " + type_name(c.expr.type),
                        "write params.NAME for a param, or compute a date or a number");
        }
    }

    void read_programmes(const YAML::Node& n) {
        if (!yaml_.expect_list(n, "programmes")) return;
        for (const auto& p : n) {
            if (!yaml_.expect_map(p, "a programme")) continue;
            yaml_.check_keys(p,
                             {"id", "kind", "label", "description", "source", "requires", "eligible_when",
                              "excluded_when", "priority", "dosage"},
                             "a programme");
            auto idn = yaml_.required(p, "id", "a programme");
            if (!idn) continue;
            auto id = yaml_.id(*idn, "programme id");
            if (!id || !r_.claim_name(*id, *idn, "programme", true)) continue;
            const int programme = static_cast<int>(rules_->programmes.size());
            ProgrammeModel prog;
            prog.info.id = *id;
            prog.where = yaml_.at(*idn);
            read_programme_info(p, prog);
            std::vector<int> eligible_parts;
            for (const auto& req : prog.info.required_instruments)
                eligible_parts.push_back(freshness_leaf(prog, programme, req, p));
            if (p["eligible_when"].IsDefined()) {
                const int node = read_tree(p["eligible_when"], prog, programme, false, 0);
                if (node >= 0) eligible_parts.push_back(node);
            }
            eligible_parts.erase(std::remove(eligible_parts.begin(), eligible_parts.end(), -1), eligible_parts.end());
            prog.eligible_root = add_group(prog, programme, ConditionNode::Kind::all, std::move(eligible_parts), *idn);
            if (p["excluded_when"].IsDefined())
                prog.excluded_root = read_tree(p["excluded_when"], prog, programme, true, 0);
            add_decision(prog, programme, *idn);
            rules_->programme_by_id.emplace(*id, prog.decision);
            rules_->programmes.push_back(std::move(prog));
        }
    }

    // decision = eligible_root and not excluded_root
    void add_decision(ProgrammeModel& prog, int programme, const YAML::Node& where) {
        const int eligible = prog.nodes[static_cast<std::size_t>(prog.eligible_root)].result;
        const int excluded =
            prog.excluded_root >= 0 ? prog.nodes[static_cast<std::size_t>(prog.excluded_root)].result : -1;
        std::vector<int> parts;
        Expr e = eligible >= 0 ? result_ref(eligible, Type{Kind::boolean}) : bool_constant(true);
        if (eligible >= 0) parts.push_back(eligible);
        if (excluded >= 0) {
            Expr both;
            both.op = Op::and_;
            both.type = Type{Kind::boolean};
            both.args.push_back(std::move(e));
            both.args.push_back(negate(result_ref(excluded, Type{Kind::boolean})));
            e = std::move(both);
            parts.push_back(excluded);
        }
        prog.decision = add_built(ResultKind::decision, programme, std::move(e), std::move(parts), where);
    }

    void read_programme_info(const YAML::Node& p, ProgrammeModel& prog) {
        ProgrammeInfo& info = prog.info;
        info.label = info.id;
        if (p["label"].IsDefined()) {
            info.labels = yaml_.labels(p["label"], "label");
            info.label = english(info.labels, info.id);
        }
        info.label_text = local_text(info.labels, info.id);
        if (p["description"].IsDefined()) info.description = local_text(yaml_.labels(p["description"], "description"));
        if (p["source"].IsDefined())
            if (auto t = yaml_.text(p["source"], "source")) info.source = *t;
        if (const YAML::Node& k = p["kind"]; k.IsDefined() && yaml_.expect_scalar(k, "kind")) {
            if (std::find(programme_kinds().begin(), programme_kinds().end(), k.Scalar()) == programme_kinds().end()) {
                const std::string hint = did_you_mean(k.Scalar(), programme_kinds());
                yaml_.error(
                    k, DiagnosticCode::invalid_value, "unknown programme kind '" + for_message(k.Scalar()) + "'",
                    hint.empty() ? "use placement, return, intervention, activity, supervision or service" : hint);
            }
            info.kind = k.Scalar();
        }
        if (p["priority"].IsDefined())
            if (auto v = yaml_.number(p["priority"], "priority")) info.priority = *v;
        if (const YAML::Node& dosage = p["dosage"]; dosage.IsDefined() && yaml_.expect_map(dosage, "dosage"))
            for (auto it = dosage.begin(); it != dosage.end(); ++it)
                if (yaml_.expect_scalar(it->first, "a dosage name") &&
                    yaml_.expect_scalar(it->second, "a dosage value"))
                    info.dosage.emplace_back(it->first.Scalar(), it->second.Scalar());
        if (const YAML::Node& req = p["requires"]; req.IsDefined() && yaml_.expect_list(req, "requires")) {
            for (const auto& i : req) {
                if (!yaml_.expect_scalar(i, "an instrument id")) continue;
                const bool known = std::any_of(rules_->instruments.begin(), rules_->instruments.end(),
                                               [&](const RequiredInstrument& x) { return x.id == i.Scalar(); }) ||
                                   std::any_of(rules_->choices.begin(), rules_->choices.end(),
                                               [&](const AgeChoice& x) { return x.id == i.Scalar(); });
                if (!known) {
                    std::vector<std::string> ids;
                    for (const auto& x : rules_->instruments) ids.push_back(x.id);
                    for (const auto& x : rules_->choices) ids.push_back(x.id);
                    yaml_.error(i, DiagnosticCode::unknown_reference,
                                "'" + for_message(i.Scalar()) + "' is not listed under 'instruments'",
                                did_you_mean(i.Scalar(), ids));
                    continue;
                }
                info.required_instruments.push_back(i.Scalar());
            }
        }
    }

    // The generated leaf: the instrument's assessment exists and is recent enough, built as
    // fresh(<instrument>.date, <max_age>) without going through text.
    static Expr fresh_expr(const RequiredInstrument& req) {
        Expr date;
        date.op = Op::field;
        date.index = req.date_column;
        date.type = Type{Kind::date};
        Expr age;
        age.op = Op::duration;
        age.duration = req.max_age;
        age.type = Type{Kind::duration};
        Expr fresh;
        fresh.op = Op::fresh;
        fresh.type = Type{Kind::boolean};
        fresh.args.push_back(std::move(date));
        fresh.args.push_back(std::move(age));
        return fresh;
    }

    // `requires` naming an instrument chosen by age: the assessment with the instrument that
    // fits the person's age on as_of, fresh within that instrument's max_age.
    int choice_freshness_leaf(ProgrammeModel& prog, int programme, int index, const YAML::Node& where) {
        const AgeChoice& c = rules_->choices[static_cast<std::size_t>(index)];
        LeafModel leaf;
        leaf.info.id = "requires_" + c.id;
        std::string alternatives, ranges, ranges_lt;
        std::vector<Expr> parts;
        for (const auto& a : c.alternatives) {
            const RequiredInstrument& req = rules_->instruments[static_cast<std::size_t>(a.instrument)];
            alternatives += (alternatives.empty() ? "" : ", ") + req.id + " " + to_string(req.max_age);
            const std::string from = std::to_string(a.from), below = std::to_string(a.below);
            ranges += (ranges.empty() ? "" : "; ") + req.id +
                      (a.below < 0   ? " from " + from
                       : a.from == 0 ? " under " + below
                                     : " from " + from + " to under " + below) +
                      ", from the last " + duration_words(req.max_age, Language::en);
            ranges_lt += (ranges_lt.empty() ? "" : "; ") + req.id +
                         (a.below < 0   ? " nuo " + from + " m."
                          : a.from == 0 ? " iki " + below + " m."
                                        : " nuo " + from + " iki " + below + " m.") +
                         ", ne senesnis nei " + duration_words(req.max_age, Language::lt);
            parts.push_back(fresh_expr(req));
        }
        leaf.info.expression = "fresh(" + c.id + " by age of " + c.birth_fact + ": " + alternatives + ")";
        leaf.info.text = "an assessment with the instrument for the person's age (" + ranges + ")";
        leaf.info.texts = {.en = leaf.info.text,
                           .lt = "vertinimas asmens amžiui tinkančia priemone (" + ranges_lt + ")"};
        leaf.text_en = {TextPart{leaf.info.texts.en, -1, {}}};
        leaf.text_lt = {TextPart{leaf.info.texts.lt, -1, {}}};
        leaf.fresh_choice = index;
        leaf.choices = {index};
        leaf.where = yaml_.at(where);
        leaf.result = add_built(ResultKind::condition, programme, pick(c, std::move(parts)), {c.selected},
                                where["requires"], static_cast<int>(prog.leaves.size()));
        if (leaf.result < 0) return -1;
        return add_leaf_node(prog, std::move(leaf));
    }

    int freshness_leaf(ProgrammeModel& prog, int programme, const std::string& instrument, const YAML::Node& where) {
        for (std::size_t c = 0; c < rules_->choices.size(); ++c)
            if (rules_->choices[c].id == instrument)
                return choice_freshness_leaf(prog, programme, static_cast<int>(c), where);
        const auto req = std::find_if(rules_->instruments.begin(), rules_->instruments.end(),
                                      [&](const RequiredInstrument& x) { return x.id == instrument; });
        LeafModel leaf;
        leaf.info.id = "requires_" + instrument;
        leaf.info.expression = "fresh(" + instrument + ".date, " + to_string(req->max_age) + ")";
        leaf.info.text = "a " + instrument + " assessment from the last " + duration_words(req->max_age, Language::en);
        leaf.info.texts = {.en = leaf.info.text,
                           .lt = instrument + " vertinimas, ne senesnis nei " +
                                 duration_words(req->max_age, Language::lt)};
        leaf.text_en = {TextPart{leaf.info.texts.en, -1, {}}};
        leaf.text_lt = {TextPart{leaf.info.texts.lt, -1, {}}};
        leaf.fresh_instrument = static_cast<int>(req - rules_->instruments.begin());
        leaf.where = yaml_.at(where);
        leaf.result = add_built(ResultKind::condition, programme, fresh_expr(*req), {}, where["requires"],
                                static_cast<int>(prog.leaves.size()));
        if (leaf.result < 0) return -1;
        return add_leaf_node(prog, std::move(leaf));
    }

    // ---- after reading: compile and describe -------------------------------------------
    std::string describe_result(int result, bool described) const {
        const Computed& c = rules_->model.results[static_cast<std::size_t>(result)];
        if (c.programme < 0) return {};
        const ProgrammeModel& prog = rules_->programmes[static_cast<std::size_t>(c.programme)];
        switch (c.kind) {
        case ResultKind::decision:
            return described ? "programme '" + prog.info.id + "'" : prog.info.id;
        case ResultKind::condition: {
            const std::string& id = prog.leaves[static_cast<std::size_t>(c.leaf)].info.id;
            return described ? "condition '" + id + "' of programme '" + prog.info.id + "'" : prog.info.id + "." + id;
        }
        default:
            return {};  // groups are structure, not something an author named
        }
    }

    void compile() {
        CompileScope scope{.model = &m(),
                           .params = &rules_->param_values,
                           .programmes = &rules_->programme_by_id,
                           .choices = &rules_->choice_names};
        r_.order_and_compile(
            pending_, scope,
            [&](const PendingResult& p) {
                if (p.built) return m().results[static_cast<std::size_t>(p.result)].depends_on;
                std::vector<int> deps;
                if (!p.ast) return deps;
                const References refs = collect_references(*p.ast);
                for (const auto& programme : refs.programmes)
                    if (auto it = rules_->programme_by_id.find(programme);
                        it != rules_->programme_by_id.end() && it->second >= 0)
                        deps.push_back(it->second);
                for (const auto& name : refs.names)  // an instrument chosen by age: its selection first
                    for (const auto& c : rules_->choices)
                        if (c.id == name) deps.push_back(c.selected);
                return deps;
            },
            [&](int result, bool described) { return describe_result(result, described); },
            "a programme cannot depend on its own decision, directly or through other programmes");
        if (r_.failed()) return;
        share_identical_leaves();
        describe_leaves();
        std::vector<int> decisions;
        for (const auto& prog : rules_->programmes) decisions.push_back(prog.decision);
        rules_->decision_results = results_needed(m(), decisions);
        for (std::size_t i = 0; i < rules_->programmes.size(); ++i) rules_->report_order.push_back(i);
        std::stable_sort(rules_->report_order.begin(), rules_->report_order.end(), [&](std::size_t a, std::size_t b) {
            return rules_->programmes[a].info.priority < rules_->programmes[b].info.priority;
        });
    }

    // Leaves with the same expression text compute the same column: the freshness of an
    // assessment and the low-risk guard recur in most programmes. The first of them in
    // evaluation order computes it; the others become references to it.
    void share_identical_leaves() {
        std::vector<std::size_t> position(m().results.size());
        for (std::size_t k = 0; k < m().order.size(); ++k) position[static_cast<std::size_t>(m().order[k])] = k;
        std::vector<LeafModel*> leaves;
        for (auto& prog : rules_->programmes)
            for (auto& leaf : prog.leaves) leaves.push_back(&leaf);
        std::unordered_map<std::string, int> computed;  // expression text -> the result that computes it
        for (const LeafModel* leaf : leaves) {
            auto [it, added] = computed.try_emplace(leaf->info.expression, leaf->result);
            if (!added &&
                position[static_cast<std::size_t>(leaf->result)] < position[static_cast<std::size_t>(it->second)])
                it->second = leaf->result;
        }
        for (LeafModel* leaf : leaves) {
            const int shared = computed[leaf->info.expression];
            if (shared == leaf->result) continue;
            Computed& alias = m().results[static_cast<std::size_t>(leaf->result)];
            alias.expr = result_ref(shared, m().results[static_cast<std::size_t>(shared)].expr.type);
            alias.expr.end = static_cast<int>(leaf->info.expression.size());
            alias.depends_on = {shared};
            leaf->result = shared;
        }
    }

    // What each leaf reads (facts, lists, programmes) and whether time alone can change it,
    // worked out per result in evaluation order: a result read by another is done first.
    void describe_leaves() {
        const std::size_t count = m().results.size();
        struct Reads {
            std::vector<int> columns, lists, programmes;
            bool time = false;
        };
        std::vector<Reads> reads(count);
        std::vector<int> programme_of_decision(count, -1);
        for (std::size_t p = 0; p < rules_->programmes.size(); ++p)
            programme_of_decision[static_cast<std::size_t>(rules_->programmes[p].decision)] = static_cast<int>(p);
        auto add_unique = [](std::vector<int>& v, int x) {
            if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
        };
        for (int r : m().order) {
            Reads& mine = reads[static_cast<std::size_t>(r)];
            std::vector<const Expr*> todo{&m().results[static_cast<std::size_t>(r)].expr};
            while (!todo.empty()) {
                const Expr* e = todo.back();
                todo.pop_back();
                if (e->op == Op::as_of || e->op == Op::fresh) mine.time = true;
                if (e->op == Op::field) add_unique(mine.columns, e->index);
                if (e->op == Op::list_aggregate) add_unique(mine.lists, e->index);
                if (e->op == Op::result) {
                    const Reads& theirs = reads[static_cast<std::size_t>(e->index)];
                    mine.time |= theirs.time;
                    if (const int p = programme_of_decision[static_cast<std::size_t>(e->index)]; p >= 0) {
                        add_unique(mine.programmes, p);
                    } else {
                        for (int c : theirs.columns) add_unique(mine.columns, c);
                        for (int l : theirs.lists) add_unique(mine.lists, l);
                        for (int p2 : theirs.programmes) add_unique(mine.programmes, p2);
                    }
                }
                // Reports list inputs as the expression reads them, left to right.
                for (auto a = e->args.rbegin(); a != e->args.rend(); ++a) todo.push_back(&*a);
            }
        }
        for (auto& prog : rules_->programmes) {
            for (auto& leaf : prog.leaves) {
                const Reads& rd = reads[static_cast<std::size_t>(leaf.result)];
                leaf.columns = rd.columns;
                leaf.lists = rd.lists;
                leaf.programmes = rd.programmes;
                leaf.time_dependent = rd.time;
                prog.info.conditions.push_back(leaf.info);
            }
            rules_->programme_infos.push_back(prog.info);
        }
    }

    // ---- tests -------------------------------------------------------------------------
    void check_test_shapes(const YAML::Node& n) {
        if (!n.IsDefined() || !n.IsSequence()) return;
        for (const auto& t : n)
            if (t.IsMap()) check_test_keys(t);
    }

    void check_test_keys(const YAML::Node& t) {
        yaml_.check_keys(t,
                         {"name", "description", "as_of", "facts", "assessments", "expect", "expect_earliest",
                          "expect_missing", "expect_failed"},
                         "a test");
    }

    void read_tests(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_list(n, "tests")) return;
        const RuleSet probe = make_rule_set(rules_);
        int number = 0;
        for (const auto& t : n) {
            ++number;
            if (!yaml_.expect_map(t, "a test")) continue;
            check_test_keys(t);
            RulesTestCase tc;
            tc.name = t["name"].IsDefined() && t["name"].IsScalar() ? t["name"].Scalar() : "#" + std::to_string(number);
            tc.where = yaml_.at(t);
            auto input = case_from_yaml(t, yaml_, false);
            if (!input) continue;
            tc.input = std::move(*input);
            tc.input.id = tc.name;
            tc.input.where = tc.where;
            CaseBatch check(probe);
            for (const auto& problem : check.add(tc.input)) {
                yaml_.error(problem.where, DiagnosticCode::invalid_test, "test '" + tc.name + "': " + problem.message,
                            problem.hint);
                tc.runnable = false;
            }
            read_expectations(t, tc);
            rules_->tests.push_back(std::move(tc));
        }
    }

    bool known_programme(const YAML::Node& key) {
        if (!yaml_.expect_scalar(key, "a programme id")) return false;
        if (rules_->programme_by_id.count(key.Scalar())) return true;
        std::vector<std::string> ids;
        for (const auto& p : rules_->programmes) ids.push_back(p.info.id);
        yaml_.error(key, DiagnosticCode::invalid_test, "unknown programme '" + for_message(key.Scalar()) + "'",
                    did_you_mean(key.Scalar(), ids));
        return false;
    }

    void read_expectations(const YAML::Node& t, RulesTestCase& tc) {
        if (auto e = yaml_.required(t, "expect", "a test"); e && yaml_.expect_map(*e, "expect")) {
            for (auto it = e->begin(); it != e->end(); ++it) {
                if (!known_programme(it->first) || !yaml_.expect_scalar(it->second, "a decision")) continue;
                const std::string& v = it->second.Scalar();
                if (v != "eligible" && v != "not_eligible" && v != "undetermined") {
                    yaml_.error(it->second, DiagnosticCode::invalid_test, "'" + for_message(v) + "' is not a decision",
                                "use eligible, not_eligible or undetermined");
                    continue;
                }
                const Decision dec = v == "eligible"       ? Decision::eligible
                                     : v == "not_eligible" ? Decision::not_eligible
                                                           : Decision::undetermined;
                tc.expect.push_back({it->first.Scalar(), {dec, yaml_.at(it->second)}});
            }
        }
        if (const YAML::Node& e = t["expect_earliest"]; e.IsDefined() && yaml_.expect_map(e, "expect_earliest")) {
            for (auto it = e.begin(); it != e.end(); ++it) {
                if (!known_programme(it->first)) continue;
                std::optional<Date> date;
                if (!it->second.IsNull() && !(it->second.IsScalar() && it->second.Scalar() == "null")) {
                    date = it->second.IsScalar() ? parse_date(it->second.Scalar()) : std::nullopt;
                    if (!date) {
                        yaml_.error(it->second, DiagnosticCode::invalid_test, "expected a date YYYY-MM-DD or null");
                        continue;
                    }
                }
                tc.expect_earliest.push_back({it->first.Scalar(), {date, yaml_.at(it->second)}});
            }
        }
        for (const char* key : {"expect_missing", "expect_failed"}) {
            const YAML::Node& e = t[key];
            if (!e.IsDefined() || !yaml_.expect_map(e, key)) continue;
            for (auto it = e.begin(); it != e.end(); ++it) {
                if (!known_programme(it->first) || !yaml_.expect_list(it->second, key)) continue;
                std::vector<std::string> items;
                const YAML::Node list = it->second;  // a copy: it-> goes through a temporary proxy
                for (const auto& x : list)
                    if (yaml_.expect_scalar(x, "a name")) items.push_back(x.Scalar());
                auto& target = std::string(key) == "expect_missing" ? tc.expect_missing : tc.expect_failed;
                target.push_back({it->first.Scalar(), {items, yaml_.at(it->second)}});
            }
        }
    }

    std::shared_ptr<RuleSetData> rules_;
    YamlReader yaml_;
    DefinitionReader r_;
    std::string file_;
    std::vector<PendingResult> pending_;
    std::vector<int> placeholders_;                                   // results computing the `{EXPR}` of texts
    std::vector<std::pair<YAML::Node, YAML::Node>> pending_choices_;  // (id, spec) of by_age entries
};

}  // namespace
}  // namespace detail

Result<RuleSet> load_rules(std::string_view yaml_text, std::string_view file_name) {
    std::vector<Diagnostic> diagnostics;
    std::shared_ptr<detail::RuleSetData> data = detail::load_guarded(file_name, diagnostics, [&] {
        return detail::RulesLoader{std::string(file_name), yaml_text, diagnostics}.load();
    });
    if (!data) return diagnostics;
    return Result<RuleSet>(detail::make_rule_set(std::move(data)), std::move(diagnostics));
}

Result<RuleSet> load_rules_file(const std::filesystem::path& path) {
    std::vector<Diagnostic> problems;
    auto text = detail::read_definition_text(path, problems);
    if (!text) return problems;
    return load_rules(*text, path.string());
}

KELIAS_END_NAMESPACE
