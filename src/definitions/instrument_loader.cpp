// YAML instrument definitions -> compiled InstrumentData, reporting every problem at once.
#include <algorithm>
#include <charconv>
#include <set>

#include <kelias/instrument.hpp>

#include "base/checked.hpp"
#include "base/content_hash.hpp"
#include "base/text.hpp"
#include "definitions/assessment_meta.hpp"
#include "definitions/definition_reader.hpp"
#include "model/instrument_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

class InstrumentLoader {
public:
    InstrumentLoader(std::string file, std::string_view text, std::vector<Diagnostic>& out)
        : d_(std::make_shared<InstrumentData>()), yaml_(std::move(file), text, out), r_(*d_, yaml_, out) {
        d_->hash = content_hash(text);
        r_.allow_input_keys();
    }

    std::shared_ptr<InstrumentData> load() {
        auto root = yaml_.parse();
        if (!root) return nullptr;
        if (!yaml_.expect_map(*root, "an instrument file")) return nullptr;
        const YAML::Node& n = *root;
        if (const YAML::Node kind = n["kind"]; kind.IsDefined() && kind.IsScalar() && kind.Scalar() != "instrument") {
            // Say what the file is, rather than reporting every rule-set key as unknown.
            yaml_.error(kind, DiagnosticCode::wrong_definition_kind,
                        "this file is a '" + for_message(kind.Scalar()) + "' definition, not an instrument",
                        kind.Scalar() == "rules" ? "read rule sets with load_rules / 'kelias rules'"
                                                 : "instruments say 'kind: instrument' or nothing");
            return nullptr;
        }
        yaml_.check_keys(n, {"kelias",         "kind",        "id",      "version",        "title",
                             "description",    "source",      "licence", "reassess_every", "scales",
                             "domains",        "item_fields", "items",   "outcome_fields", "outcomes",
                             "tables",         "scores",      "checks",  "tests",          "assessment_fields",
                             "outcome_groups", "age_range"},
                         "the instrument");
        r_.read_header(n, "an instrument", "instrument");
        read_reassessment(n["reassess_every"]);
        r_.read_scales(n["scales"]);
        r_.read_domains(n["domains"]);
        const FieldSet item_fields = r_.read_field_set(n["item_fields"], "item_fields");
        const FieldSet outcome_fields = r_.read_field_set(n["outcome_fields"], "outcome_fields");
        // Declared (even if invalid, which is reported) and not an empty map.
        auto declared = [](const YAML::Node& f) { return f.IsDefined() && !(f.IsMap() && f.size() == 0); };
        item_fields_declared_ = declared(n["item_fields"]);
        outcome_fields_declared_ = declared(n["outcome_fields"]);
        if (auto items = yaml_.required(n, "items", "an instrument")) read_entries(*items, item_fields, false);
        read_entries(n["outcomes"], outcome_fields, true);
        read_assessment_meta(n, yaml_, *d_);
        r_.register_column_aliases();
        r_.read_tables(n["tables"]);
        read_scores(n["scores"]);
        read_checks(n["checks"]);
        read_tests(n["tests"]);
        if (r_.failed()) return nullptr;
        return d_;
    }

private:
    void read_reassessment(const YAML::Node& v) {
        if (!v.IsDefined() || !yaml_.expect_scalar(v, "reassess_every")) return;
        d_->reassess_every = parse_duration(v.Scalar());
        if (!d_->reassess_every)
            yaml_.error(v, DiagnosticCode::invalid_value,
                        "'" + for_message(v.Scalar()) + "' is not an ISO-8601 duration",
                        "write e.g. P3M (3 months), P1Y, P6W or P90D");
    }

    // ---- items and outcomes ------------------------------------------------------------
    void read_entries(const YAML::Node& n, const FieldSet& defaults, bool outcomes) {
        const std::string what = outcomes ? "outcome" : "item";
        if (!n.IsDefined() || !yaml_.expect_list(n, outcomes ? "outcomes" : "items")) return;
        for (const auto& e : n) {
            if (!yaml_.expect_map(e, "an " + what)) continue;
            yaml_.check_keys(e,
                             {"id", outcomes ? "group" : "domain", "label", "description", "fields", "type", "scale",
                              "values", "min", "max", "na", "in_totals", "absent", "column_aliases", "code_aliases"},
                             "an " + what);
            auto idn = yaml_.required(e, "id", "an " + what);
            if (!idn) continue;
            auto id = yaml_.id(*idn, what + " id");
            if (!id || !r_.claim_name(*id, *idn, what)) continue;
            EntryInfo info;
            info.id = *id;
            info.is_outcome = outcomes;
            if (const YAML::Node& dn = e[outcomes ? "group" : "domain"]; dn.IsDefined()) {
                if (auto dom = yaml_.id(dn, outcomes ? "group" : "domain")) {
                    if (!outcomes && std::find(d_->domains.begin(), d_->domains.end(), *dom) == d_->domains.end())
                        yaml_.error(dn, DiagnosticCode::unknown_domain, "unknown domain '" + *dom + "'",
                                    d_->domains.empty() ? "declare it under 'domains:'"
                                                        : did_you_mean(*dom, d_->domains));
                    info.domain = *dom;
                }
            }
            if (e["label"].IsDefined()) info.labels = yaml_.labels(e["label"], "label");
            if (e["description"].IsDefined()) yaml_.labels(e["description"], "description");
            if (e["in_totals"].IsDefined())
                if (auto b = yaml_.boolean(e["in_totals"], "in_totals")) info.in_totals = *b;
            const int entry = r_.add_entry(std::move(info), yaml_.at(*idn));
            read_entry_fields(e, entry, *id, defaults, outcomes);
        }
    }

    void read_entry_fields(const YAML::Node& e, int entry, const std::string& id, const FieldSet& defaults,
                           bool outcome) {
        // min / max only make sense for a single field: without a type they still make one.
        const bool single = e["type"].IsDefined() || e["scale"].IsDefined() || e["values"].IsDefined() ||
                            e["min"].IsDefined() || e["max"].IsDefined();
        if (single && e["fields"].IsDefined()) {
            yaml_.error(e["fields"], DiagnosticCode::invalid_field,
                        "'" + id + "' has both 'fields' and a single-field 'type'", "keep one of them");
            return;
        }
        if (!single)
            for (const char* key : {"absent", "column_aliases", "code_aliases"})
                if (e[key].IsDefined())
                    yaml_.error(e[key], DiagnosticCode::invalid_field,
                                std::string("'") + key + "' on '" + id + "' goes with a single-field item",
                                "give the item a type, or put it in the field's spec under 'fields:'");
        if (single) {
            FieldSpec f;
            if (!r_.read_field_keys(e, id, f)) return;
            r_.add_field(entry, id, "value", f, true, outcome);
            return;
        }
        FieldSet own;
        if (e["fields"].IsDefined()) {
            own = r_.read_field_set(e["fields"], "fields of '" + id + "'");
        } else if (defaults.empty()) {
            // When the shared fields were declared but none was valid, that is reported already.
            if (!(outcome ? outcome_fields_declared_ : item_fields_declared_))
                yaml_.error(e, DiagnosticCode::invalid_field, "'" + id + "' has no fields",
                            std::string("give it 'type:' or 'fields:', or declare ") +
                                (outcome ? "outcome_fields" : "item_fields") + " at the top");
            return;
        }
        const FieldSet& fields = e["fields"].IsDefined() ? own : defaults;
        std::set<std::string> na_fields;
        if (const YAML::Node& na = e["na"]; na.IsDefined()) {
            if (na.IsScalar()) {
                if (auto b = yaml_.boolean(na, "na"); b && *b)
                    for (const auto& [name, _] : fields) na_fields.insert(name);
            } else if (yaml_.expect_list(na, "na")) {
                for (const auto& fn : na) {
                    auto name = yaml_.id(fn, "field name");
                    if (!name) continue;
                    const bool found =
                        std::any_of(fields.begin(), fields.end(), [&](const auto& p) { return p.first == *name; });
                    if (!found) {
                        std::vector<std::string> names;
                        for (const auto& [n2, _] : fields) names.push_back(n2);
                        yaml_.error(fn, DiagnosticCode::unknown_reference, "'" + id + "' has no field '" + *name + "'",
                                    did_you_mean(*name, names));
                    }
                    na_fields.insert(*name);
                }
            }
        }
        for (const auto& [name, spec] : fields) {
            FieldSpec f = spec;
            if (na_fields.count(name)) f.na = true;
            r_.add_field(entry, id, name, f, false, outcome);
        }
    }

    // ---- scores ------------------------------------------------------------------------
    void read_scores(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_map(n, "scores")) return;
        std::vector<PendingResult> pending;
        // First pass: ids, options and syntax, so scores may refer to later ones.
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = yaml_.id(it->first, "score id");
            if (!id || !r_.claim_name(*id, it->first, "score")) continue;
            ScoreInfo info;
            info.id = *id;
            info.label = *id;
            Computed score;
            score.kind = ResultKind::score;
            score.where = yaml_.at(it->first);
            PendingResult p;
            std::optional<YAML::Node> expr;
            YAML::Node s = it->second;  // a copy: it-> goes through a temporary proxy
            if (s.IsScalar()) {
                expr = s;
            } else if (yaml_.expect_map(s, "score '" + *id + "'")) {
                yaml_.check_keys(
                    s,
                    {"expr", "omitted", "max_omitted", "label", "description", "hidden", "scale", "edition", "legacy"},
                    "score '" + *id + "'");
                expr = yaml_.required(s, "expr", "score '" + *id + "'");
                read_score_options(s, *id, info, score);
                p.scale = r_.read_result_scale(s["scale"]);
                read_score_edition(s, *id, info);
            }
            if (expr && yaml_.expect_scalar(*expr, "expr")) {
                info.expression = expr->Scalar();
                r_.parse(*expr, p);
            }
            p.result = r_.add_result(std::move(score), it->first);
            if (p.result < 0) break;
            d_->score_by_id[*id] = static_cast<std::size_t>(p.result);
            d_->score_infos.push_back(std::move(info));
            pending.push_back(std::move(p));
        }
        CompileScope scope{.model = d_.get(), .scores = &d_->score_by_id};
        r_.order_and_compile(
            pending, scope,
            [&](const PendingResult& p) {
                std::vector<int> deps;
                if (!p.ast) return deps;
                for (const auto& name : collect_references(*p.ast).names)
                    if (auto it = d_->score_by_id.find(name); it != d_->score_by_id.end())
                        deps.push_back(static_cast<int>(it->second));
                return deps;
            },
            [&](int result, bool described) {
                const std::string& id = d_->score_infos[static_cast<std::size_t>(result)].id;
                return described ? "score '" + id + "'" : id;
            },
            "a score cannot depend on itself, directly or through other scores");
        for (std::size_t i = 0; i < d_->score_infos.size(); ++i) {
            const Expr& e = d_->results[i].expr;
            ScoreInfo& info = d_->score_infos[i];
            info.type = e.type.kind == Kind::boolean    ? ScoreType::boolean
                        : e.type.kind == Kind::category ? ScoreType::category
                        : e.type.kind == Kind::date     ? ScoreType::date
                                                        : ScoreType::number;
        }
    }

    // `edition:` and `legacy:`: a result of an older edition of the instrument, kept for
    // comparison.
    void read_score_edition(const YAML::Node& s, const std::string& id, ScoreInfo& info) {
        if (const YAML::Node& ed = s["edition"]; ed.IsDefined())
            if (auto t = yaml_.text(ed, "edition")) info.edition = *t;
        if (const YAML::Node& l = s["legacy"]; l.IsDefined())
            if (auto b = yaml_.boolean(l, "legacy")) {
                info.legacy = *b;
                if (*b && info.edition.empty())
                    yaml_.error(l, DiagnosticCode::missing_key, "score '" + id + "' is legacy but names no edition",
                                "add edition: (e.g. \"2003\"), the edition it comes from");
            }
    }

    void read_score_options(const YAML::Node& s, const std::string& id, ScoreInfo& info, Computed& score) {
        if (s["label"].IsDefined()) info.label = english(yaml_.labels(s["label"], "label"), id);
        if (s["description"].IsDefined()) yaml_.labels(s["description"], "description");
        if (s["hidden"].IsDefined())
            if (auto b = yaml_.boolean(s["hidden"], "hidden")) info.hidden = *b;
        if (const YAML::Node& o = s["omitted"]; o.IsDefined() && yaml_.expect_scalar(o, "omitted")) {
            const std::string& v = o.Scalar();
            if (v == "strict")
                score.policy = Policy::strict;
            else if (v == "skip")
                score.policy = Policy::skip;
            else if (v == "prorate")
                score.policy = Policy::prorate;
            else
                yaml_.error(o, DiagnosticCode::invalid_value, "unknown omission policy '" + for_message(v) + "'",
                            "use strict, skip or prorate");
        }
        if (const YAML::Node& m = s["max_omitted"]; m.IsDefined()) {
            const auto v = yaml_.number(m, "max_omitted");
            const auto whole = v ? exact_int(*v) : std::nullopt;
            if (v && (!whole || *whole < 0))
                yaml_.error(m, DiagnosticCode::invalid_value, "max_omitted must be a whole number of 0 or more");
            else if (whole)
                score.max_omitted = *whole;
            if (score.policy == Policy::strict)
                yaml_.warning(m, DiagnosticCode::no_effect, "max_omitted has no effect with the strict policy",
                              "add omitted: skip or omitted: prorate");
        }
    }

    // ---- checks ------------------------------------------------------------------------
    void read_checks(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_list(n, "checks")) return;
        std::set<std::string> ids;
        for (const auto& c : n) {
            if (!yaml_.expect_map(c, "a check")) continue;
            yaml_.check_keys(c, {"id", "severity", "each_item", "when", "message", "description"}, "a check");
            CheckModel check;
            auto idn = yaml_.required(c, "id", "a check");
            auto when = yaml_.required(c, "when", "a check");
            if (!idn || !when) continue;
            auto id = yaml_.id(*idn, "check id");
            if (!id) continue;
            if (!ids.insert(*id).second) {
                yaml_.error(*idn, DiagnosticCode::duplicate_id, "check '" + *id + "' is defined twice");
                continue;
            }
            check.id = *id;
            if (c["severity"].IsDefined() && yaml_.expect_scalar(c["severity"], "severity")) {
                const std::string& s = c["severity"].Scalar();
                if (s == "error")
                    check.severity = Severity::error;
                else if (s != "warning")
                    yaml_.error(c["severity"], DiagnosticCode::invalid_value,
                                "severity must be warning or error, not '" + for_message(s) + "'");
            }
            check.message = c["message"].IsDefined() ? english(yaml_.labels(c["message"], "message"), *id) : *id;
            bool each_item = false;
            if (c["each_item"].IsDefined())
                if (auto b = yaml_.boolean(c["each_item"], "each_item")) each_item = *b;
            if (!yaml_.expect_scalar(*when, "when")) continue;
            std::vector<ExprError> errors;
            auto ast = parse_expression(when->Scalar(), errors);
            if (!ast) {
                r_.report(*when, errors);
                continue;
            }
            if (each_item)
                compile_per_item(check, *ast, *when);
            else
                compile_check(check, -1, *ast, *when, true);
            if (!check.instances.empty()) d_->checks.push_back(std::move(check));
        }
    }

    bool compile_check(CheckModel& check, int entry, const Ast& ast, const YAML::Node& when, bool report_errors) {
        std::vector<ExprError> errors;
        all_results_ready_.assign(d_->results.size(), true);
        CompileScope scope{
            .model = d_.get(), .scores = &d_->score_by_id, .current_entry = entry, .result_ready = &all_results_ready_};
        Expr e = compile_expression(ast, scope, errors);
        if (e.type.kind != Kind::error && e.type.kind != Kind::boolean)
            errors.push_back(
                {DiagnosticCode::type_error, "a check's 'when' must be a bool, not a " + type_name(e.type), "", 0});
        if (!errors.empty()) {
            if (report_errors) r_.report(when, errors);
            return false;
        }
        check.instances.emplace_back(entry, std::move(e));
        return true;
    }

    void compile_per_item(CheckModel& check, const Ast& ast, const YAML::Node& when) {
        std::set<std::string> field_names;
        std::set<std::string> all_field_names;
        for (const auto& f : d_->fields) all_field_names.insert(f.name);
        for (const auto& name : collect_references(ast).names)
            if (all_field_names.count(name) && !d_->entry_by_id.count(name) && !d_->score_by_id.count(name))
                field_names.insert(name);
        bool reported = false;
        for (std::size_t i = 0; i < d_->entries.size(); ++i) {
            if (d_->entries[i].is_outcome) continue;
            const auto& fields = d_->entry_models[i].field_column;
            const bool has_all = std::all_of(field_names.begin(), field_names.end(),
                                             [&](const std::string& f) { return fields.count(f) > 0; });
            if (!has_all) continue;
            if (!compile_check(check, static_cast<int>(i), ast, when, !reported)) reported = true;
        }
        if (check.instances.empty() && !reported) {
            std::string list;
            for (const auto& f : field_names) list += (list.empty() ? "" : ", ") + f;
            yaml_.error(when, DiagnosticCode::unknown_reference,
                        "no item has all the fields this check names (" + list + ")");
        }
    }

    // ---- tests -------------------------------------------------------------------------
    std::vector<std::string> column_names() const {
        std::vector<std::string> names;
        for (const auto& f : d_->fields) names.push_back(f.column);
        return names;
    }

    void read_tests(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_list(n, "tests")) return;
        if (r_.failed()) {
            // Tests are checked against a sound definition only, but their keys always.
            for (const auto& t : n) test_shape(t);
            return;
        }
        int number = 0;
        for (const auto& t : n) {
            ++number;
            if (!test_shape(t)) continue;
            TestCase tc;
            tc.name = t["name"].IsDefined() && t["name"].IsScalar() ? t["name"].Scalar() : "#" + std::to_string(number);
            tc.where = yaml_.at(t);
            read_test_fill(t["fill"], tc);
            read_test_ratings(t["ratings"], tc);
            if (const YAML::Node& a = t["as_of"]; a.IsDefined() && yaml_.expect_scalar(a, "as_of")) {
                tc.as_of = parse_date(a.Scalar());
                if (!tc.as_of)
                    yaml_.error(a, DiagnosticCode::invalid_test,
                                "as_of must be a date YYYY-MM-DD, not '" + for_message(a.Scalar()) + "'");
            }
            if (auto expect = yaml_.required(t, "expect", "a test"); expect && yaml_.expect_map(*expect, "expect"))
                read_test_expect(*expect, tc);
            read_test_checks(t["expect_checks"], tc);
            d_->tests.push_back(std::move(tc));
        }
    }

    void read_test_fill(const YAML::Node& fill, TestCase& tc) {
        if (!fill.IsDefined() || !yaml_.expect_map(fill, "fill")) return;
        for (auto it = fill.begin(); it != fill.end(); ++it) {
            if (!yaml_.expect_scalar(it->first, "a field name")) continue;
            const std::string name = it->first.Scalar();
            bool any = false;
            for (std::size_t c = 0; c < d_->fields.size(); ++c)
                if (d_->fields[c].name == name) {
                    any = true;
                    add_test_cell(tc, static_cast<int>(c), it->second);
                }
            if (!any) {
                std::vector<std::string> names;
                for (const auto& f : d_->fields) names.push_back(f.name);
                yaml_.error(it->first, DiagnosticCode::invalid_test,
                            "no item or outcome has a field '" + for_message(name) + "'", did_you_mean(name, names));
            }
        }
    }

    void read_test_ratings(const YAML::Node& ratings, TestCase& tc) {
        if (!ratings.IsDefined() || !yaml_.expect_map(ratings, "ratings")) return;
        for (auto it = ratings.begin(); it != ratings.end(); ++it) {
            if (!yaml_.expect_scalar(it->first, "a column")) continue;
            const std::string col = it->first.Scalar();
            const int f = field_for_column(*d_, col);  // its column or one of its `column_aliases:`
            if (f < 0) {
                yaml_.error(it->first, DiagnosticCode::invalid_test, "unknown column '" + for_message(col) + "'",
                            did_you_mean(col, column_names()));
                continue;
            }
            add_test_cell(tc, f, it->second);
        }
    }

    void read_test_expect(const YAML::Node& expect, TestCase& tc) {
        for (auto it = expect.begin(); it != expect.end(); ++it) {
            if (!yaml_.expect_scalar(it->first, "a score id")) continue;
            const std::string id = it->first.Scalar();
            auto s = d_->score_by_id.find(id);
            if (s == d_->score_by_id.end()) {
                std::vector<std::string> ids;
                for (const auto& info : d_->score_infos) ids.push_back(info.id);
                yaml_.error(it->first, DiagnosticCode::invalid_test,
                            "unknown score '" + for_message(id) + "' in expect", did_you_mean(id, ids));
                continue;
            }
            TestExpect ex;
            ex.score = static_cast<int>(s->second);
            ex.where = yaml_.at(it->second);
            if (!it->second.IsScalar() && !it->second.IsNull()) {
                yaml_.error(it->second, DiagnosticCode::invalid_test,
                            "an expected value must be a single value or null");
                continue;
            }
            if (!it->second.IsNull() && it->second.Scalar() != "null" && it->second.Scalar() != "~") {
                ex.expected = it->second.Scalar();
                double x = 0;
                auto [p, ec] = std::from_chars(ex.expected->data(), ex.expected->data() + ex.expected->size(), x);
                ex.numeric = ec == std::errc() && p == ex.expected->data() + ex.expected->size();
                ex.number = x;
            }
            tc.expect.push_back(std::move(ex));
        }
    }

    void read_test_checks(const YAML::Node& ec, TestCase& tc) {
        if (!ec.IsDefined() || !yaml_.expect_list(ec, "expect_checks")) return;
        tc.expect_checks.emplace();
        for (const auto& c : ec) {
            if (!yaml_.expect_scalar(c, "a check id")) continue;
            const bool known = std::any_of(d_->checks.begin(), d_->checks.end(),
                                           [&](const CheckModel& m) { return m.id == c.Scalar(); });
            if (!known) {
                std::vector<std::string> ids;
                for (const auto& m : d_->checks) ids.push_back(m.id);
                yaml_.error(c, DiagnosticCode::invalid_test, "unknown check '" + for_message(c.Scalar()) + "'",
                            did_you_mean(c.Scalar(), ids));
            }
            tc.expect_checks->push_back(c.Scalar());
        }
    }

    bool test_shape(const YAML::Node& t) {
        if (!yaml_.expect_map(t, "a test")) return false;
        yaml_.check_keys(t, {"name", "description", "fill", "ratings", "as_of", "expect", "expect_checks"}, "a test");
        return true;
    }

    void add_test_cell(TestCase& tc, int column, const YAML::Node& v) {
        const auto c = static_cast<std::size_t>(column);
        if (v.IsSequence() && d_->fields[c].type != FieldType::codes) {
            yaml_.error(v, DiagnosticCode::invalid_test,
                        "a rating must be a single value (a list only for a set of codes, type: codes)");
            return;
        }
        const auto cell = yaml_.cell_text(v, "a rating");
        if (!cell) return;
        const std::string& text = *cell;
        const ParsedCell parsed = parse_field_cell(*d_, d_->fields[c], d_->field_models[c].scale, text);
        if (parsed.error) {
            yaml_.error(v, DiagnosticCode::invalid_test,
                        "'" + for_message(text) + "' is not valid for " + d_->fields[c].column + ": " + parsed.error);
            return;
        }
        // Later settings (ratings after fill) replace earlier ones.
        auto same =
            std::find_if(tc.cells.begin(), tc.cells.end(), [&](const TestCell& x) { return x.column == column; });
        if (same != tc.cells.end()) tc.cells.erase(same);
        tc.cells.push_back({column, text, yaml_.at(v)});
    }

    std::shared_ptr<InstrumentData> d_;
    YamlReader yaml_;
    DefinitionReader r_;
    std::vector<bool> all_results_ready_;
    bool item_fields_declared_ = false, outcome_fields_declared_ = false;
};

}  // namespace
}  // namespace detail

Result<Instrument> load_instrument(std::string_view yaml_text, std::string_view file_name) {
    std::vector<Diagnostic> diagnostics;
    std::shared_ptr<detail::InstrumentData> data = detail::load_guarded(file_name, diagnostics, [&] {
        return detail::InstrumentLoader{std::string(file_name), yaml_text, diagnostics}.load();
    });
    if (!data) return diagnostics;
    return Result<Instrument>(detail::make_instrument(std::move(data)), std::move(diagnostics));
}

Result<Instrument> load_instrument_file(const std::filesystem::path& path) {
    std::vector<Diagnostic> problems;
    auto text = detail::read_definition_text(path, problems);
    if (!text) return problems;
    return load_instrument(*text, path.string());
}

KELIAS_END_NAMESPACE
