// YAML rule sets -> RuleSetData. Programmes become hidden bool scores of one model, so the
// shared loader compiles, orders and cycle-checks them like any score.
#include <kelias/rules.hpp>

#include "cases/case_yaml.hpp"
#include "definitions/definition_loader.hpp"
#include "model/rules_model.hpp"

namespace kelias {
namespace detail {

RuleSet make_rule_set(std::shared_ptr<const RuleSetData> data) { return RuleSet(std::move(data)); }

namespace {

const std::vector<std::string>& confidences() {
    static const std::vector<std::string> c = {"verified", "secondary", "unverified"};
    return c;
}

const std::vector<std::string>& programme_kinds() {
    static const std::vector<std::string> k = {"placement", "intervention", "activity", "supervision", "service"};
    return k;
}

class RulesLoader {
public:
    RulesLoader(std::string file, std::string_view text, std::vector<Diagnostic>& out)
        : base_(file, text, out), r_(base_.r_), out_(out), file_(std::move(file)) {
        base_.d_->is_rules = true;
    }

    std::shared_ptr<RuleSetData> load() {
        auto root = r_.parse();
        if (!root || !r_.expect_map(*root, "a rule file")) return nullptr;
        const YAML::Node& n = *root;
        r_.check_keys(n, {"kelias", "kind", "id", "version", "title", "description", "source", "licence", "horizon",
                          "instruments", "facts", "params", "tables", "programmes", "tests"},
                      "the rule set");
        if (auto kind = r_.required(n, "kind", "a rule set"); kind && r_.expect_scalar(*kind, "kind") && kind->Scalar() != "rules")
            r_.error(*kind, "E104", "this is not a rule set (kind '" + kind->Scalar() + "')",
                     "rule sets say 'kind: rules'; instruments are read with 'kelias instrument'");
        base_.read_header(n);
        if (const YAML::Node& h = n["horizon"]; h.IsDefined() && r_.expect_scalar(h, "horizon")) {
            if (auto d = parse_duration(h.Scalar())) rules_->horizon = *d;
            else r_.error(h, "E104", "'" + h.Scalar() + "' is not an ISO-8601 duration", "write e.g. P3Y");
        }
        read_instruments(n["instruments"]);
        read_facts(n["facts"]);
        read_params(n["params"]);
        base_.read_tables(n["tables"]);
        if (auto p = r_.required(n, "programmes", "a rule set")) read_programmes(*p);
        if (has_errors(out_)) return nullptr;
        finish();
        read_tests(n["tests"]);
        if (has_errors(out_)) return nullptr;
        return rules_;
    }

private:
    InstrumentData& d() { return *base_.d_; }

    // ---- instruments -------------------------------------------------------------------
    int copy_scale(const InstrumentData& src, int scale) {
        const Scale& s = src.scales[static_cast<std::size_t>(scale)];
        const std::string id = src.id + "." + s.id;
        if (auto it = d().scale_index.find(id); it != d().scale_index.end()) return it->second;
        Scale copy;
        copy.id = id;
        copy.numeric = s.numeric;
        copy.ordered = s.ordered;
        copy.numbers = s.numbers;
        for (int code : s.codes) {
            int mine = d().intern(src.strings[static_cast<std::size_t>(code)]);
            copy.rank[mine] = static_cast<int>(copy.codes.size());
            copy.codes.push_back(mine);
        }
        const int index = static_cast<int>(d().scales.size());
        d().scale_index[id] = index;
        d().scales.push_back(std::move(copy));
        return index;
    }

    int add_column(int entry, const std::string& owner, const std::string& name, const FieldSpec& f) {
        const int column = static_cast<int>(d().fields.size());
        base_.add_field(entry, owner, name, f, false, false);
        return column;
    }

    FieldSpec spec_for(const InstrumentData& src, FieldType type, int scale) {
        FieldSpec f;
        f.type = type;
        if (type == FieldType::rating || type == FieldType::category) {
            if (scale >= 0 && !src.scales[static_cast<std::size_t>(scale)].numeric) {
                f.type = FieldType::rating;
                f.scale = copy_scale(src, scale);
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
        if (!n.IsDefined() || !r_.expect_map(n, "instruments")) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = r_.id(it->first, "instrument id");
            if (!id || !base_.claim_name(*id, it->first, "instrument") || !r_.expect_map(it->second, "instrument '" + *id + "'")) continue;
            r_.check_keys(it->second, {"file", "max_age"}, "instrument '" + *id + "'");
            RequiredInstrument req;
            req.id = *id;
            req.max_age = Duration{0, 6, 0};
            if (const YAML::Node& m = it->second["max_age"]; m.IsDefined() && r_.expect_scalar(m, "max_age")) {
                if (auto dur = parse_duration(m.Scalar())) req.max_age = *dur;
                else r_.error(m, "E104", "'" + m.Scalar() + "' is not an ISO-8601 duration", "write e.g. P6M");
            }
            std::string file = *id;
            if (const YAML::Node& f = it->second["file"]; f.IsDefined() && r_.expect_scalar(f, "file")) file = f.Scalar();
            auto path = locate(file);
            if (!path) {
                r_.error(it->first, "E203", "cannot find instrument '" + file + "'",
                         "give a path relative to this file, or an id found in KELIAS_PATH or instruments/");
                continue;
            }
            auto loaded = load_instrument_file(*path);
            if (!loaded) {
                const std::size_t count = loaded.diagnostics().size();
                r_.error(it->first, "E203", "instrument '" + file + "' does not load (" + std::to_string(count) + (count == 1 ? " problem)" : " problems)"),
                         "run: kelias instrument validate " + path->string());
                continue;
            }
            req.instrument = *loaded;
            add_instrument_columns(req);
            rules_->instruments.push_back(std::move(req));
        }
    }

    std::optional<std::filesystem::path> locate(const std::string& file) {
        namespace fs = std::filesystem;
        fs::path beside = fs::path(file_).parent_path() / file;
        std::error_code ec;
        if (fs::is_regular_file(beside, ec)) return beside;
        if (fs::is_regular_file(fs::path(beside).concat(".yaml"), ec)) return fs::path(beside).concat(".yaml");
        return find_definition(file);
    }

    void add_instrument_columns(RequiredInstrument& req) {
        const InstrumentData& src = req.instrument.data();
        const int entry = static_cast<int>(d().entries.size());
        EntryInfo info;
        info.id = req.id;
        info.in_totals = false;
        d().entry_by_id[req.id] = d().entries.size();
        d().entries.push_back(info);
        d().entry_models.push_back(EntryModel{});
        FieldSpec date;
        date.type = FieldType::date;
        req.date_column = add_column(entry, req.id, "date", date);
        for (std::size_t s = 0; s < src.score_infos.size(); ++s) {
            const Type& t = src.scores[s].expr.type;
            FieldType type = t.kind == Kind::boolean ? FieldType::boolean
                           : t.kind == Kind::date    ? FieldType::date
                           : t.kind == Kind::category ? FieldType::category
                                                      : FieldType::number;
            req.score_columns.emplace_back(s, add_column(entry, req.id, src.score_infos[s].id, spec_for(src, type, t.scale)));
        }
        for (std::size_t f = 0; f < src.fields.size(); ++f) {
            if (!src.fields[f].is_outcome) continue;
            req.field_columns.emplace_back(
                f, add_column(entry, req.id, src.fields[f].column, spec_for(src, src.fields[f].type, src.field_models[f].scale)));
        }
    }

    // ---- facts -------------------------------------------------------------------------
    void read_facts(const YAML::Node& n) {
        if (!n.IsDefined() || !r_.expect_map(n, "facts")) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = r_.id(it->first, "fact name");
            if (!id || !base_.claim_name(*id, it->first, "fact")) continue;
            YAML::Node spec = it->second;  // a copy: it-> goes through a temporary proxy
            if (spec.IsMap() && spec["list"].IsDefined()) {
                read_list_fact(*id, it->first, spec);
                continue;
            }
            auto f = base_.read_field_spec(spec, *id);
            if (!f) continue;
            const int entry = static_cast<int>(d().entries.size());
            EntryInfo info;
            info.id = *id;
            info.in_totals = false;
            d().entry_by_id[*id] = d().entries.size();
            d().entries.push_back(info);
            d().entry_models.push_back(EntryModel{{}, r_.at(it->first)});
            rules_->fact_columns.push_back(static_cast<int>(d().fields.size()));
            base_.add_field(entry, *id, "value", *f, true, false);
            rules_->fact_types.emplace_back(*id, type_text(*f));
        }
    }

    static std::string type_text(const FieldSpec& f) {
        switch (f.type) {
            case FieldType::boolean: return "bool";
            case FieldType::integer: return "integer";
            case FieldType::number: return "number";
            case FieldType::date: return "date";
            case FieldType::duration: return "duration";
            case FieldType::rating: return "rating";
            case FieldType::category: {
                std::string s = "category:";
                for (const auto& v : f.values) s += " " + v;
                return s;
            }
        }
        return "?";
    }

    void read_list_fact(const std::string& id, const YAML::Node& where, const YAML::Node& spec) {
        r_.check_keys(spec, {"list", "label", "description"}, "list fact '" + id + "'");
        const std::size_t errors_before = r_.error_count();
        auto fields = base_.read_field_set(spec["list"], "the fields of list '" + id + "'");
        ListModel list;
        list.id = id;
        list.where = r_.at(where);
        for (const auto& [name, f] : fields) {
            auto [info, model] = base_.build_field(-1, id, name, f, false, false);
            list.field_names.push_back(name);
            list.fields.push_back(std::move(info));
            list.field_models.push_back(model);
        }
        if (list.fields.empty()) {
            // Fields that were given but are invalid have been reported already.
            if (r_.error_count() == errors_before)
                r_.error(where, "E205", "list fact '" + id + "' has no fields", "write list: {date: date, active: bool}");
            return;
        }
        d().list_index[id] = static_cast<int>(d().lists.size());
        d().lists.push_back(std::move(list));
        rules_->fact_types.emplace_back(id + "[]", "list");
    }

    // ---- params ------------------------------------------------------------------------
    void read_params(const YAML::Node& n) {
        if (!n.IsDefined() || !r_.expect_map(n, "params")) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = r_.id(it->first, "param name");
            if (!id) continue;
            if (d().params.count(*id)) {
                r_.error(it->first, "E105", "param '" + *id + "' is defined twice");
                continue;
            }
            YAML::Node p = it->second;  // a copy: it-> goes through a temporary proxy
            YAML::Node value_node;
            ParamInfo info;
            info.id = *id;
            if (p.IsMap()) {
                r_.check_keys(p, {"value", "source", "confidence", "note", "label"}, "param '" + *id + "'");
                auto v = r_.required(p, "value", "param '" + *id + "'");
                if (!v) continue;
                value_node.reset(*v);
                if (p["source"].IsDefined())
                    if (auto t = r_.text(p["source"], "source")) info.source = *t;
                if (p["note"].IsDefined())
                    if (auto t = r_.text(p["note"], "note")) info.note = *t;
                if (p["confidence"].IsDefined()) read_confidence(p["confidence"], info.confidence);
            } else {
                value_node.reset(p);
            }
            if (!r_.expect_scalar(value_node, "a param value")) continue;
            info.value = value_node.Scalar();
            auto e = param_value(value_node);
            if (!e) continue;
            d().params[*id] = *e;
            rules_->params.push_back(std::move(info));
        }
    }

    void read_confidence(const YAML::Node& n, std::string& out) {
        if (!r_.expect_scalar(n, "confidence")) return;
        if (std::find(confidences().begin(), confidences().end(), n.Scalar()) == confidences().end()) {
            r_.error(n, "E104", "confidence must be verified, secondary or unverified, not '" + n.Scalar() + "'",
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
            e.number = d().intern(t);
        } else {
            r_.error(v, "E104", "'" + t + "' is not a number, bool, date, duration or code");
            return std::nullopt;
        }
        return e;
    }

    // ---- programmes --------------------------------------------------------------------
    // `condition`: the id of a condition leaf, whose expression must be a bool.
    int register_score(const std::string& id, const YAML::Node& where, const YAML::Node& expr_node, const std::string& text,
                       const std::string& condition = {}) {
        ScoreInfo info;
        info.id = id;
        info.label = id;
        info.hidden = true;
        info.expression = text;
        Score score;
        score.where = r_.at(where);
        DefinitionLoader::PendingScore p;
        p.expr_node.reset(expr_node);
        p.condition = condition;
        std::vector<ExprError> errors;
        p.ast = parse_expression(text, errors);
        base_.report(expr_node, errors);
        const int index = static_cast<int>(d().scores.size());
        d().score_by_id[id] = d().scores.size();
        d().score_infos.push_back(info);
        d().scores.push_back(std::move(score));
        pending_.push_back(std::move(p));
        return index;
    }

    // Reads a condition tree and returns its expression over leaf score ids.
    static int add_node(ProgrammeModel& prog, ConditionNode node) {
        prog.nodes.push_back(std::move(node));
        return static_cast<int>(prog.nodes.size()) - 1;
    }

    // Reads a condition tree into prog.nodes (its root in `node`) and returns its
    // expression over leaf score ids.
    std::string read_tree(const YAML::Node& n, ProgrammeModel& prog, bool exclusion, int depth, int& node) {
        node = -1;
        if (depth > 16) {
            r_.error(n, "E305", "condition tree nested too deeply");
            return "true";
        }
        if (!r_.expect_map(n, "a condition")) return "true";
        for (const char* group : {"all", "any"}) {
            if (!n[group].IsDefined()) continue;
            r_.check_keys(n, {group}, std::string("an '") + group + "' group");
            if (!r_.expect_list(n[group], group)) return "true";
            std::string out;
            ConditionNode group_node;
            group_node.kind = std::string(group) == "all" ? ConditionNode::Kind::all : ConditionNode::Kind::any;
            for (const auto& child : n[group]) {
                int child_node;
                std::string part = read_tree(child, prog, exclusion, depth + 1, child_node);
                if (child_node >= 0) group_node.children.push_back(child_node);
                out += (out.empty() ? "(" : std::string(group) == "all" ? " and " : " or ") + part;
            }
            node = add_node(prog, std::move(group_node));
            if (out.empty()) return std::string(group) == "all" ? "true" : "false";
            return out + ")";
        }
        if (n["not"].IsDefined()) {
            r_.check_keys(n, {"not"}, "a 'not' group");
            int child_node;
            std::string inner = read_tree(n["not"], prog, exclusion, depth + 1, child_node);
            ConditionNode not_node;
            not_node.kind = ConditionNode::Kind::not_;
            if (child_node >= 0) not_node.children.push_back(child_node);
            node = add_node(prog, std::move(not_node));
            return "not (" + inner + ")";
        }
        r_.check_keys(n, {"id", "expr", "text", "source", "confidence"}, "a condition");
        auto idn = r_.required(n, "id", "a condition");
        auto expr = r_.required(n, "expr", "a condition");
        if (!idn || !expr) return "true";
        auto id = r_.id(*idn, "condition id");
        if (!id || !r_.expect_scalar(*expr, "expr")) return "true";
        for (const auto& leaf : prog.leaves)
            if (leaf.info.id == *id) {
                r_.error(*idn, "E105", "condition '" + *id + "' appears twice in programme '" + prog.info.id + "'",
                         "first at line " + std::to_string(leaf.where.line));
                return "true";
            }
        LeafModel leaf;
        leaf.info.id = *id;
        leaf.info.exclusion = exclusion;
        leaf.info.expression = expr->Scalar();
        leaf.info.text = n["text"].IsDefined() ? english(r_.labels(n["text"], "text"), expr->Scalar()) : expr->Scalar();
        if (n["source"].IsDefined())
            if (auto t = r_.text(n["source"], "source")) leaf.info.source = *t;
        if (n["confidence"].IsDefined()) read_confidence(n["confidence"], leaf.info.confidence);
        leaf.where = r_.at(*idn);
        const std::string score_id = prog.info.id + "__" + *id;
        leaf.score = register_score(score_id, *idn, *expr, expr->Scalar(), *id);
        prog.leaves.push_back(std::move(leaf));
        node = add_node(prog, ConditionNode{ConditionNode::Kind::leaf, static_cast<int>(prog.leaves.size()) - 1, {}});
        return score_id;
    }

    void read_programmes(const YAML::Node& n) {
        if (!r_.expect_list(n, "programmes")) return;
        for (const auto& p : n) {
            if (!r_.expect_map(p, "a programme")) continue;
            r_.check_keys(p, {"id", "kind", "label", "description", "source", "requires", "eligible_when", "excluded_when", "priority", "dosage"},
                          "a programme");
            auto idn = r_.required(p, "id", "a programme");
            if (!idn) continue;
            auto id = r_.id(*idn, "programme id");
            if (!id || !base_.claim_name(*id, *idn, "programme")) continue;
            ProgrammeModel prog;
            prog.info.id = *id;
            prog.where = r_.at(*idn);
            read_programme_info(p, prog);
            std::string when = "true";
            ConditionNode root;
            root.kind = ConditionNode::Kind::all;
            for (const auto& req : prog.info.required_instruments) {
                when += " and " + requires_leaf(prog, req, p);
                root.children.push_back(add_node(prog, ConditionNode{ConditionNode::Kind::leaf, static_cast<int>(prog.leaves.size()) - 1, {}}));
            }
            if (p["eligible_when"].IsDefined()) {
                int node;
                when += " and " + read_tree(p["eligible_when"], prog, false, 0, node);
                if (node >= 0) root.children.push_back(node);
            }
            prog.eligible_root = add_node(prog, std::move(root));
            std::string decision = "(" + when + ")";
            if (p["excluded_when"].IsDefined())
                decision += " and not (" + read_tree(p["excluded_when"], prog, true, 0, prog.excluded_root) + ")";
            prog.decision_score = register_score(*id, *idn, *idn, decision);
            rules_->programmes.push_back(std::move(prog));
        }
    }

    void read_programme_info(const YAML::Node& p, ProgrammeModel& prog) {
        ProgrammeInfo& info = prog.info;
        info.label = info.id;
        if (p["label"].IsDefined()) {
            info.labels = r_.labels(p["label"], "label");
            info.label = english(info.labels, info.id);
        }
        if (p["description"].IsDefined()) r_.labels(p["description"], "description");
        if (p["source"].IsDefined())
            if (auto t = r_.text(p["source"], "source")) info.source = *t;
        if (const YAML::Node& k = p["kind"]; k.IsDefined() && r_.expect_scalar(k, "kind")) {
            if (std::find(programme_kinds().begin(), programme_kinds().end(), k.Scalar()) == programme_kinds().end())
                r_.error(k, "E104", "unknown programme kind '" + k.Scalar() + "'",
                         did_you_mean(k.Scalar(), programme_kinds()).empty() ? "use placement, intervention, activity, supervision or service"
                                                                             : did_you_mean(k.Scalar(), programme_kinds()));
            info.kind = k.Scalar();
        }
        if (p["priority"].IsDefined())
            if (auto v = r_.number(p["priority"], "priority")) info.priority = *v;
        if (const YAML::Node& dosage = p["dosage"]; dosage.IsDefined() && r_.expect_map(dosage, "dosage"))
            for (auto it = dosage.begin(); it != dosage.end(); ++it)
                if (r_.expect_scalar(it->second, "a dosage value")) info.dosage.emplace_back(it->first.Scalar(), it->second.Scalar());
        if (const YAML::Node& req = p["requires"]; req.IsDefined() && r_.expect_list(req, "requires")) {
            for (const auto& i : req) {
                if (!r_.expect_scalar(i, "an instrument id")) continue;
                bool known = std::any_of(rules_->instruments.begin(), rules_->instruments.end(),
                                         [&](const RequiredInstrument& x) { return x.id == i.Scalar(); });
                if (!known) {
                    std::vector<std::string> ids;
                    for (const auto& x : rules_->instruments) ids.push_back(x.id);
                    r_.error(i, "E203", "'" + i.Scalar() + "' is not listed under 'instruments'", did_you_mean(i.Scalar(), ids));
                    continue;
                }
                info.required_instruments.push_back(i.Scalar());
            }
        }
    }

    // The generated leaf: the instrument's assessment exists and is recent enough.
    std::string requires_leaf(ProgrammeModel& prog, const std::string& instrument, const YAML::Node& where) {
        const auto& req = *std::find_if(rules_->instruments.begin(), rules_->instruments.end(),
                                        [&](const RequiredInstrument& x) { return x.id == instrument; });
        LeafModel leaf;
        leaf.info.id = "requires_" + instrument;
        leaf.info.expression = "fresh(" + instrument + ".date, " + to_string(req.max_age) + ")";
        leaf.info.text = "a " + instrument + " assessment from the last " + to_string(req.max_age);
        leaf.requires_instrument = instrument;
        leaf.where = r_.at(where);
        const std::string score_id = prog.info.id + "__" + leaf.info.id;
        leaf.score = register_score(score_id, where["requires"], where["requires"], leaf.info.expression);
        prog.leaves.push_back(std::move(leaf));
        return score_id;
    }

    // ---- after compiling ---------------------------------------------------------------
    void finish() {
        base_.order_and_compile(pending_);
        if (has_errors(out_)) return;
        share_identical_leaves();
        std::vector<int> programme_of_score(d().scores.size(), -1);
        for (std::size_t p = 0; p < rules_->programmes.size(); ++p)
            programme_of_score[static_cast<std::size_t>(rules_->programmes[p].decision_score)] = static_cast<int>(p);
        std::vector<int> time_memo(d().scores.size(), -1);
        for (auto& prog : rules_->programmes) {
            for (auto& leaf : prog.leaves) {
                const Expr& e = d().scores[static_cast<std::size_t>(leaf.score)].expr;
                if (e.type.kind != Kind::boolean) {
                    r_.error(leaf.where, "E303", "condition '" + leaf.info.id + "' must be a bool, not a " + type_name(e.type),
                             "compare the value, e.g. x == 'a' or x > 0");
                    continue;
                }
                collect_inputs(e, leaf, programme_of_score);
                leaf.time_dependent = depends_on_time(e, time_memo);
                prog.info.conditions.push_back(leaf.info);
            }
            rules_->programme_infos.push_back(prog.info);
        }
        for (std::size_t i = 0; i < rules_->programmes.size(); ++i) rules_->report_order.push_back(i);
        std::stable_sort(rules_->report_order.begin(), rules_->report_order.end(), [&](std::size_t a, std::size_t b) {
            return rules_->programmes[a].info.priority < rules_->programmes[b].info.priority;
        });
        rules_->model = base_.d_;
        rules_->columns_view = make_instrument(base_.d_);
    }

    // Leaves with the same expression text compute the same column: the freshness of an
    // assessment and the low-risk guard recur in most programmes. The first of them in
    // evaluation order computes it, the others' scores become references to it, and every
    // such leaf reads the one computed.
    void share_identical_leaves() {
        std::vector<std::size_t> position(d().scores.size());
        for (std::size_t k = 0; k < d().score_order.size(); ++k) position[static_cast<std::size_t>(d().score_order[k])] = k;
        std::vector<LeafModel*> leaves;
        for (auto& prog : rules_->programmes)
            for (auto& leaf : prog.leaves) leaves.push_back(&leaf);
        std::unordered_map<std::string, int> computed;  // expression text -> the score that computes it
        for (const LeafModel* leaf : leaves) {
            auto [it, added] = computed.try_emplace(leaf->info.expression, leaf->score);
            if (!added && position[static_cast<std::size_t>(leaf->score)] < position[static_cast<std::size_t>(it->second)]) it->second = leaf->score;
        }
        for (LeafModel* leaf : leaves) {
            const int shared = computed[leaf->info.expression];
            if (shared == leaf->score) continue;
            Score& alias = d().scores[static_cast<std::size_t>(leaf->score)];
            Expr reference;
            reference.op = Op::score;
            reference.index = shared;
            reference.type = d().scores[static_cast<std::size_t>(shared)].expr.type;
            reference.end = static_cast<int>(leaf->info.expression.size());
            alias.expr = std::move(reference);
            alias.depends_on = {shared};
            leaf->score = shared;
        }
    }

    void collect_inputs(const Expr& e, LeafModel& leaf, const std::vector<int>& programme_of_score) {
        if (e.op == Op::field && std::find(leaf.columns.begin(), leaf.columns.end(), e.index) == leaf.columns.end())
            leaf.columns.push_back(e.index);
        if (e.op == Op::list_aggregate && std::find(leaf.lists.begin(), leaf.lists.end(), e.index) == leaf.lists.end())
            leaf.lists.push_back(e.index);
        if (e.op == Op::score) {
            int p = programme_of_score[static_cast<std::size_t>(e.index)];
            if (p >= 0) leaf.programmes.push_back(p);
            else collect_inputs(d().scores[static_cast<std::size_t>(e.index)].expr, leaf, programme_of_score);
        }
        for (const auto& a : e.args) collect_inputs(a, leaf, programme_of_score);
    }

    bool depends_on_time(const Expr& e, std::vector<int>& memo) {
        if (e.op == Op::as_of || e.op == Op::fresh) return true;
        if (e.op == Op::score) {
            auto i = static_cast<std::size_t>(e.index);
            if (memo[i] < 0) {
                memo[i] = 0;  // cycles were rejected; this only guards re-entry
                memo[i] = depends_on_time(d().scores[i].expr, memo) ? 1 : 0;
            }
            return memo[i] == 1;
        }
        return std::any_of(e.args.begin(), e.args.end(), [&](const Expr& a) { return depends_on_time(a, memo); });
    }

    // ---- tests -------------------------------------------------------------------------
    void read_tests(const YAML::Node& n) {
        if (!n.IsDefined() || !r_.expect_list(n, "tests")) return;
        RuleSet probe = make_rule_set(rules_);
        int number = 0;
        for (const auto& t : n) {
            ++number;
            if (!r_.expect_map(t, "a test")) continue;
            r_.check_keys(t, {"name", "description", "as_of", "facts", "assessments", "expect", "expect_earliest", "expect_missing",
                              "expect_failed"},
                          "a test");
            RulesTestCase tc;
            tc.name = t["name"].IsDefined() && t["name"].IsScalar() ? t["name"].Scalar() : "#" + std::to_string(number);
            tc.where = r_.at(t);
            auto input = case_from_yaml(t, r_, false);
            if (!input) continue;
            tc.input = std::move(*input);
            tc.input.id = tc.name;
            CaseBatch check(probe);
            for (const auto& problem : check.add(tc.input))
                r_.error(tc.where, "E401", "test '" + tc.name + "': " + problem.message, problem.hint);
            read_expectations(t, tc);
            rules_->tests.push_back(std::move(tc));
        }
    }

    bool known_programme(const YAML::Node& key) {
        if (!r_.expect_scalar(key, "a programme id")) return false;
        for (const auto& p : rules_->programmes)
            if (p.info.id == key.Scalar()) return true;
        std::vector<std::string> ids;
        for (const auto& p : rules_->programmes) ids.push_back(p.info.id);
        r_.error(key, "E401", "unknown programme '" + key.Scalar() + "'", did_you_mean(key.Scalar(), ids));
        return false;
    }

    void read_expectations(const YAML::Node& t, RulesTestCase& tc) {
        if (auto e = r_.required(t, "expect", "a test"); e && r_.expect_map(*e, "expect")) {
            for (auto it = e->begin(); it != e->end(); ++it) {
                if (!known_programme(it->first) || !r_.expect_scalar(it->second, "a decision")) continue;
                const std::string& v = it->second.Scalar();
                Decision dec = v == "eligible" ? Decision::eligible : v == "not_eligible" ? Decision::not_eligible : Decision::undetermined;
                if (v != "eligible" && v != "not_eligible" && v != "undetermined") {
                    r_.error(it->second, "E401", "'" + v + "' is not a decision", "use eligible, not_eligible or undetermined");
                    continue;
                }
                tc.expect.push_back({it->first.Scalar(), {dec, r_.at(it->second)}});
            }
        }
        if (const YAML::Node& e = t["expect_earliest"]; e.IsDefined() && r_.expect_map(e, "expect_earliest")) {
            for (auto it = e.begin(); it != e.end(); ++it) {
                if (!known_programme(it->first)) continue;
                std::optional<Date> date;
                if (!it->second.IsNull() && it->second.Scalar() != "null") {
                    date = parse_date(it->second.Scalar());
                    if (!date) {
                        r_.error(it->second, "E401", "expected a date YYYY-MM-DD or null");
                        continue;
                    }
                }
                tc.expect_earliest.push_back({it->first.Scalar(), {date, r_.at(it->second)}});
            }
        }
        for (const char* key : {"expect_missing", "expect_failed"}) {
            const YAML::Node& e = t[key];
            if (!e.IsDefined() || !r_.expect_map(e, key)) continue;
            for (auto it = e.begin(); it != e.end(); ++it) {
                if (!known_programme(it->first) || !r_.expect_list(it->second, key)) continue;
                std::vector<std::string> items;
                const YAML::Node list = it->second;  // a copy: it-> goes through a temporary proxy
                for (const auto& x : list)
                    if (r_.expect_scalar(x, "a name")) items.push_back(x.Scalar());
                auto& target = std::string(key) == "expect_missing" ? tc.expect_missing : tc.expect_failed;
                target.push_back({it->first.Scalar(), {items, r_.at(it->second)}});
            }
        }
    }

    DefinitionLoader base_;
    YamlReader& r_;
    std::vector<Diagnostic>& out_;
    std::string file_;
    std::shared_ptr<RuleSetData> rules_ = std::make_shared<RuleSetData>();
    std::vector<DefinitionLoader::PendingScore> pending_;
};

}  // namespace
}  // namespace detail

Result<RuleSet> load_rules(std::string_view yaml_text, std::string_view file_name) {
    std::vector<Diagnostic> diagnostics;
    std::shared_ptr<detail::RuleSetData> data;
    try {
        detail::RulesLoader loader{std::string(file_name), yaml_text, diagnostics};
        data = loader.load();
    } catch (const YAML::Exception& e) {
        diagnostics.push_back(detail::unexpected_structure(e, file_name));
        data = nullptr;
    }
    if (!data) return Result<RuleSet>(std::move(diagnostics));
    return Result<RuleSet>(detail::make_rule_set(std::move(data)), std::move(diagnostics));
}

Result<RuleSet> load_rules_file(const std::filesystem::path& path) {
    std::vector<Diagnostic> problems;
    auto text = detail::read_definition_text(path, problems);
    if (!text) return Result<RuleSet>(std::move(problems));
    return load_rules(*text, path.string());
}

}  // namespace kelias
