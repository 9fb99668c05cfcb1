// YAML pathways -> PathwayData: placements, roles, event types, the assessment cycle and
// moves, checked within the file (every name declared) and against the rule set the
// pathway reads (every guard a programme, every fact one of its facts), every problem at
// its place in the pathway file. Then the embedded tests run.
#include <algorithm>
#include <set>

#include <kelias/pathway.hpp>

#include "base/content_hash.hpp"
#include "base/text.hpp"
#include "base/yaml_reader.hpp"
#include "cases/case_yaml.hpp"
#include "definitions/definition_reader.hpp"
#include "pathway/pathway_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

class PathwayLoader {
public:
    // Without `rules` (the file names none that could be found) the checks against the
    // rule set are left out; the missing rule set is an error of its own.
    PathwayLoader(std::string file, std::string_view text, const RuleSet* rules, std::vector<Diagnostic>& out)
        : data_(std::make_shared<PathwayData>()), yaml_(std::move(file), text, out), rules_(rules),
          facts_(rules ? std::vector<FactInfo>(rules->facts().begin(), rules->facts().end())
                       : std::vector<FactInfo>{}) {
        data_->file = yaml_.file();
        data_->hash = content_hash(text);
    }

    std::shared_ptr<PathwayData> load() {
        auto root = yaml_.parse();
        if (!root || !yaml_.expect_map(*root, "a pathway file")) return nullptr;
        const YAML::Node& n = *root;
        const YAML::Node kind = n["kind"];
        if (!kind.IsDefined()) {
            yaml_.error(n, DiagnosticCode::missing_key, "a pathway needs 'kind: pathway'",
                        n["items"].IsDefined() ? "this looks like an instrument" : "add 'kind: pathway'");
            return nullptr;
        }
        if (!yaml_.expect_scalar(kind, "kind")) return nullptr;
        if (kind.Scalar() != "pathway") {
            yaml_.error(kind, DiagnosticCode::wrong_definition_kind,
                        "this is not a pathway (kind '" + for_message(kind.Scalar()) + "')",
                        "pathways say 'kind: pathway'; rule sets are read with 'kelias rules'");
            return nullptr;
        }
        yaml_.check_keys(n,
                         {"kelias", "kind", "id", "version", "title", "description", "source", "licence", "rules",
                          "roles", "placements", "events", "assessment", "moves", "tests"},
                         "the pathway");
        read_header(n);
        if (auto r = yaml_.required(n, "rules", "a pathway"))
            if (auto id = yaml_.text(*r, "rules")) data_->rules_id = *id;
        if (auto v = yaml_.required(n, "roles", "a pathway")) read_roles(*v);
        if (auto v = yaml_.required(n, "placements", "a pathway")) read_placements(*v);
        if (n["events"].IsDefined()) read_events(n["events"]);
        check_role_records();
        if (auto v = yaml_.required(n, "assessment", "a pathway")) read_assessment(*v);
        if (auto v = yaml_.required(n, "moves", "a pathway")) read_moves(*v);
        if (n["tests"].IsDefined()) read_tests(n["tests"]);
        if (yaml_.error_count() > 0) return nullptr;
        return data_;
    }

private:
    void read_header(const YAML::Node& n) {
        if (auto v = yaml_.required(n, "kelias", "a pathway")) {
            if (!v->IsScalar() || v->Scalar() != "1")
                yaml_.error(*v, DiagnosticCode::format_version,
                            "unsupported format version '" +
                                (v->IsScalar() ? for_message(v->Scalar()) : std::string("?")) + "'",
                            "this kelias reads 'kelias: 1'");
        }
        if (auto v = yaml_.required(n, "id", "a pathway"))
            if (auto id = yaml_.id(*v, "pathway id")) data_->id = *id;
        if (auto v = yaml_.required(n, "version", "a pathway"))
            if (auto t = yaml_.text(*v, "version")) data_->version = *t;
        if (auto v = yaml_.required(n, "title", "a pathway"))
            data_->title = local_text(yaml_.labels(*v, "title"), data_->id);
        if (n["description"].IsDefined())
            data_->description = local_text(yaml_.labels(n["description"], "description"), "");
        if (n["source"].IsDefined())
            if (auto t = yaml_.text(n["source"], "source")) data_->source = *t;
        if (n["licence"].IsDefined())
            if (auto t = yaml_.text(n["licence"], "licence")) data_->licence = *t;
    }

    // A map of id -> spec; calls `each` for every well-formed entry.
    template <class F>
    void each_entry(const YAML::Node& n, const std::string& what, const std::string& noun, F each) {
        if (!yaml_.expect_map(n, what)) return;
        std::set<std::string> seen;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = yaml_.id(it->first, noun + " id");
            if (!id) continue;
            if (!seen.insert(*id).second) {
                yaml_.error(it->first, DiagnosticCode::duplicate_id, noun + " '" + *id + "' is declared twice");
                continue;
            }
            const YAML::Node spec = it->second;
            if (!yaml_.expect_map(spec, noun + " '" + *id + "'")) continue;
            each(*id, it->first, spec);
        }
    }

    std::vector<std::string> id_list(const YAML::Node& n, const std::string& what) {
        std::vector<std::string> out;
        if (n.IsScalar()) {
            if (auto id = yaml_.id(n, what)) out.push_back(*id);
            return out;
        }
        if (!yaml_.expect_list(n, what)) return out;
        for (const auto& v : n)
            if (auto id = yaml_.id(v, what)) {
                if (std::find(out.begin(), out.end(), *id) != out.end())
                    yaml_.error(v, DiagnosticCode::duplicate_id, "'" + *id + "' is listed twice in " + what);
                else
                    out.push_back(*id);
            }
        return out;
    }

    void read_source(const YAML::Node& spec, std::string& out) {
        if (spec["source"].IsDefined())
            if (auto t = yaml_.text(spec["source"], "source")) out = *t;
    }

    // ---- roles, placements, events -----------------------------------------------------
    void read_roles(const YAML::Node& n) {
        each_entry(n, "roles", "role", [&](const std::string& id, const YAML::Node& key, const YAML::Node& spec) {
            yaml_.check_keys(spec, {"label", "actions", "records", "description", "source"}, "role '" + id + "'");
            RoleInfo role;
            role.id = id;
            role.label =
                spec["label"].IsDefined() ? local_text(yaml_.labels(spec["label"], "label"), id) : LocalText{id, ""};
            if (spec["description"].IsDefined()) yaml_.labels(spec["description"], "description");
            if (const YAML::Node& a = spec["actions"]; a.IsDefined() && yaml_.expect_list(a, "actions")) {
                for (const auto& v : a) {
                    if (!yaml_.expect_scalar(v, "an action")) continue;
                    const auto known = all_role_actions();
                    const auto found = std::find_if(known.begin(), known.end(),
                                                    [&](RoleAction x) { return to_string(x) == v.Scalar(); });
                    if (found != known.end())
                        role.actions.push_back(*found);
                    else
                        yaml_.error(v, DiagnosticCode::invalid_value,
                                    "'" + for_message(v.Scalar()) + "' is not an action",
                                    "actions: finalise_assessment, draft_plan, open_case, edit_facts, "
                                    "record_assessment, approve_plan, record_override, approve_override, "
                                    "manage_store (move steps are given by each move)");
                }
            }
            if (spec["records"].IsDefined()) {
                role.records = id_list(spec["records"], "records");
                record_nodes_.emplace_back(data_->roles.size(), spec["records"]);
            }
            read_source(spec, role.source);
            (void)key;
            data_->roles.push_back(std::move(role));
        });
        if (data_->roles.empty() && n.IsMap()) yaml_.error(n, DiagnosticCode::missing_key, "a pathway needs roles");
    }

    const FactInfo* fact(const std::string& name) const {
        for (const FactInfo& f : facts_)
            if (f.name == name) return &f;
        return nullptr;
    }

    std::vector<std::string> fact_names() const {
        std::vector<std::string> names;
        for (const FactInfo& f : facts_) names.push_back(f.name);
        return names;
    }

    // A fact named by the pathway: one of the rule set's scalar facts, of the `type` wanted
    // (nullopt: any).
    bool check_fact(const YAML::Node& where, const std::string& name, std::optional<FieldType> type) {
        if (!rules_) return true;
        const FactInfo* f = fact(name);
        if (!f) {
            std::string hint = did_you_mean(name, fact_names());
            yaml_.error(where, DiagnosticCode::unknown_guard,
                        "rule set '" + rules_->id() + "' has no fact '" + for_message(name) + "'",
                        hint.empty() ? "declare it in the rule set's facts" : hint);
            return false;
        }
        if (f->list || (type && f->type != *type)) {
            const std::string is = f->list ? "list" : std::string(to_string(f->type));
            const std::string wanted = type ? std::string(to_string(*type)) : "single value";
            yaml_.error(where, DiagnosticCode::unknown_guard,
                        "fact '" + name + "' is a " + is + " in rule set '" + rules_->id() + "', not a " + wanted);
            return false;
        }
        return true;
    }

    // A value set for a fact: a bool fact takes true/false, a category one of its values.
    void check_fact_value(const YAML::Node& where, const std::string& name, const std::string& value) {
        const FactInfo* f = fact(name);
        if (!f) return;
        if (f->type == FieldType::boolean && value != "true" && value != "false")
            yaml_.error(where, DiagnosticCode::unknown_guard, "fact '" + name + "' is a bool: true or false");
        if (f->type == FieldType::category && std::find(f->values.begin(), f->values.end(), value) == f->values.end()) {
            std::string hint = did_you_mean(value, f->values);
            if (hint.empty()) {
                hint = "values:";
                for (const auto& v : f->values) hint += " " + v;
            }
            yaml_.error(where, DiagnosticCode::unknown_guard,
                        "'" + for_message(value) + "' is not a value of fact '" + name + "' in rule set '" +
                            rules_->id() + "'",
                        hint);
        }
        if (f->type == FieldType::date && !parse_date(value))
            yaml_.error(where, DiagnosticCode::invalid_value, "fact '" + name + "' is a date: write YYYY-MM-DD");
    }

    void read_sets(const YAML::Node& n, std::vector<std::pair<std::string, std::string>>& out) {
        if (!yaml_.expect_map(n, "sets")) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto name = yaml_.id(it->first, "fact");
            if (!name || !yaml_.expect_scalar(it->second, "the value of fact '" + *name + "'")) continue;
            if (check_fact(it->first, *name, std::nullopt)) check_fact_value(it->second, *name, it->second.Scalar());
            out.emplace_back(*name, it->second.Scalar());
        }
    }

    void read_dates(const YAML::Node& n, std::vector<std::string>& out) {
        if (!yaml_.expect_list(n, "dates")) return;
        for (const auto& v : n)
            if (auto name = yaml_.id(v, "fact"))
                if (check_fact(v, *name, FieldType::date)) out.push_back(*name);
    }

    void read_placements(const YAML::Node& n) {
        each_entry(n, "placements", "placement", [&](const std::string& id, const YAML::Node&, const YAML::Node& spec) {
            yaml_.check_keys(spec, {"label", "regime", "description", "source"}, "placement '" + id + "'");
            PlacementInfo p;
            p.id = id;
            p.label =
                spec["label"].IsDefined() ? local_text(yaml_.labels(spec["label"], "label"), id) : LocalText{id, ""};
            if (spec["description"].IsDefined()) yaml_.labels(spec["description"], "description");
            if (auto r = yaml_.required(spec, "regime", "placement '" + id + "'"))
                if (auto v = yaml_.id(*r, "regime value")) {
                    p.regime = *v;
                    if (check_fact(*r, "regime", FieldType::category)) check_fact_value(*r, "regime", *v);
                }
            read_source(spec, p.source);
            data_->placements.push_back(std::move(p));
        });
    }

    void read_events(const YAML::Node& n) {
        each_entry(n, "events", "event type",
                   [&](const std::string& id, const YAML::Node& key, const YAML::Node& spec) {
                       yaml_.check_keys(spec, {"label", "reassess", "sets", "dates", "description", "source"},
                                        "event type '" + id + "'");
                       if (id == "move") {
                           yaml_.error(key, DiagnosticCode::invalid_value, "'move' is the event type of move steps",
                                       "name the event type otherwise");
                           return;
                       }
                       EventTypeInfo e;
                       e.id = id;
                       e.label = spec["label"].IsDefined() ? local_text(yaml_.labels(spec["label"], "label"), id)
                                                           : LocalText{id, ""};
                       if (spec["description"].IsDefined()) yaml_.labels(spec["description"], "description");
                       if (spec["reassess"].IsDefined())
                           if (auto b = yaml_.boolean(spec["reassess"], "reassess")) e.brings_assessment_forward = *b;
                       if (spec["sets"].IsDefined()) read_sets(spec["sets"], e.sets);
                       if (spec["dates"].IsDefined()) read_dates(spec["dates"], e.dates);
                       read_source(spec, e.source);
                       data_->event_types.push_back(std::move(e));
                   });
    }

    std::vector<std::string> ids_of(const auto& entries) const {
        std::vector<std::string> ids;
        for (const auto& e : entries) ids.push_back(e.id);
        return ids;
    }

    // A name the pathway itself declares (placement, role, event type).
    bool check_declared(const YAML::Node& where, const std::string& name, const std::vector<std::string>& declared,
                        const std::string& noun) {
        if (std::find(declared.begin(), declared.end(), name) != declared.end()) return true;
        std::string hint = did_you_mean(name, declared);
        yaml_.error(where, DiagnosticCode::unknown_pathway_name, "unknown " + noun + " '" + for_message(name) + "'",
                    hint.empty() ? "declare it under the pathway's " + noun + "s" : hint);
        return false;
    }

    // The node of `id` inside an id list (for its place), or the list.
    static YAML::Node node_of(const YAML::Node& list, const std::string& id) {
        if (list.IsSequence())
            for (const auto& v : list)
                if (v.IsScalar() && v.Scalar() == id) return v;
        return list;
    }

    void check_role_records() {
        const auto events = ids_of(data_->event_types);
        for (const auto& [role, node] : record_nodes_)
            for (const auto& e : data_->roles[role].records) check_declared(node_of(node, e), e, events, "event type");
    }

    // ---- assessment cycle -------------------------------------------------------------
    void read_assessment(const YAML::Node& n) {
        if (!yaml_.expect_list(n, "assessment")) return;
        bool any_age = false;
        for (const auto& c : n) {
            if (!yaml_.expect_map(c, "an assessment choice")) continue;
            yaml_.check_keys(c, {"instrument", "below_age", "interval", "source"}, "an assessment choice");
            AssessmentChoice choice;
            if (auto v = yaml_.required(c, "instrument", "an assessment choice"))
                if (auto id = yaml_.id(*v, "instrument id")) choice.instrument = *id;
            if (const YAML::Node& a = c["below_age"]; a.IsDefined()) {
                if (auto x = yaml_.number(a, "below_age")) {
                    if (*x < 1 || *x > 150 || *x != static_cast<int>(*x))
                        yaml_.error(a, DiagnosticCode::invalid_value, "below_age must be a whole number of years",
                                    "e.g. 18");
                    else
                        choice.below_age = static_cast<int>(*x);
                }
            } else {
                any_age = true;
            }
            if (auto v = yaml_.required(c, "interval", "an assessment choice");
                v && yaml_.expect_scalar(*v, "interval")) {
                if (auto d = parse_duration(v->Scalar()); d && average_days(*d) >= 1)
                    choice.interval = *d;
                else
                    yaml_.error(*v, DiagnosticCode::invalid_value,
                                "'" + for_message(v->Scalar()) + "' is not an ISO-8601 duration of a day or more",
                                "write e.g. P3M");
            }
            read_source(c, choice.source);
            data_->assessments.push_back(std::move(choice));
        }
        if (!any_age && n.IsSequence())
            yaml_.error(n, DiagnosticCode::missing_key, "no assessment choice covers every age",
                        "end the list with one without below_age");
    }

    // ---- moves ------------------------------------------------------------------------
    void read_moves(const YAML::Node& n) {
        if (!yaml_.expect_list(n, "moves")) return;
        const auto placements = ids_of(data_->placements);
        const auto roles = ids_of(data_->roles);
        const auto events = ids_of(data_->event_types);
        std::vector<std::string> programmes;
        if (rules_)
            for (const auto& p : rules_->programmes()) programmes.push_back(p.id);
        std::set<std::string> seen;
        for (const auto& m : n) {
            if (!yaml_.expect_map(m, "a move")) continue;
            yaml_.check_keys(m,
                             {"id", "label", "kind", "from", "to", "guard", "propose", "decide", "carry_out", "grounds",
                              "effects", "description", "source"},
                             "a move");
            MoveInfo move;
            if (auto v = yaml_.required(m, "id", "a move"))
                if (auto id = yaml_.id(*v, "move id")) {
                    move.id = *id;
                    if (!seen.insert(*id).second)
                        yaml_.error(*v, DiagnosticCode::duplicate_id, "move '" + *id + "' is declared twice");
                }
            const std::string what = "move '" + move.id + "'";
            move.label = m["label"].IsDefined() ? local_text(yaml_.labels(m["label"], "label"), move.id)
                                                : LocalText{move.id, ""};
            if (m["description"].IsDefined()) yaml_.labels(m["description"], "description");
            if (const YAML::Node& k = m["kind"]; k.IsDefined() && yaml_.expect_scalar(k, "kind")) {
                if (k.Scalar() == "return")
                    move.kind = MoveKind::return_move;
                else if (k.Scalar() != "forward")
                    yaml_.error(k, DiagnosticCode::invalid_value,
                                "'" + for_message(k.Scalar()) + "' is not a move kind",
                                "kind: forward (the default) or return");
            }
            if (auto v = yaml_.required(m, "from", what)) {
                move.from = id_list(*v, "from");
                for (const auto& p : move.from) check_declared(node_of(*v, p), p, placements, "placement");
            }
            if (auto v = yaml_.required(m, "to", what))
                if (auto id = yaml_.id(*v, "placement")) {
                    move.to = *id;
                    if (check_declared(*v, *id, placements, "placement") &&
                        std::find(move.from.begin(), move.from.end(), *id) != move.from.end())
                        yaml_.error(*v, DiagnosticCode::invalid_move, what + " ends where it starts",
                                    "remove '" + *id + "' from 'from'");
                }
            if (auto v = yaml_.required(m, "guard", what))
                if (auto id = yaml_.id(*v, "programme")) {
                    move.guard = *id;
                    if (rules_ && std::find(programmes.begin(), programmes.end(), *id) == programmes.end()) {
                        std::string hint = did_you_mean(*id, programmes);
                        yaml_.error(*v, DiagnosticCode::unknown_guard,
                                    "rule set '" + rules_->id() + "' has no programme '" + for_message(*id) + "'",
                                    hint.empty() ? "guards name programmes of the rule set under 'rules:'" : hint);
                    }
                }
            for (auto [key, list] : {std::pair{"propose", &move.propose}, std::pair{"decide", &move.decide},
                                     std::pair{"carry_out", &move.carry_out}}) {
                auto v = yaml_.required(m, key, what);
                if (!v) continue;
                *list = id_list(*v, key);
                for (const auto& r : *list) check_declared(node_of(*v, r), r, roles, "role");
                if (list->empty() && (v->IsSequence() || v->IsScalar()))
                    yaml_.error(*v, DiagnosticCode::invalid_move, "no role may " + std::string(key) + " " + what,
                                "name at least one role");
            }
            if (const YAML::Node& g = m["grounds"]; g.IsDefined()) read_grounds(g, move);
            if (move.kind == MoveKind::return_move && move.grounds.empty())
                yaml_.error(m["grounds"].IsDefined() ? m["grounds"] : yaml_.key_node(m, "kind"),
                            DiagnosticCode::invalid_move, "return " + what + " names no grounds",
                            "list the grounds that may justify the return");
            if (move.kind == MoveKind::forward && !move.grounds.empty())
                yaml_.error(m["grounds"], DiagnosticCode::invalid_move, "grounds belong to return moves",
                            "add 'kind: return' or remove the grounds");
            if (const PlacementInfo* to = find_placement(move.to); to && fact("regime"))
                move.sets.emplace_back("regime", to->regime);
            if (const YAML::Node& e = m["effects"]; e.IsDefined()) read_effects(e, move, events);
            read_source(m, move.source);
            data_->moves.push_back(std::move(move));
        }
    }

    const PlacementInfo* find_placement(const std::string& id) const {
        for (const auto& p : data_->placements)
            if (p.id == id) return &p;
        return nullptr;
    }

    void read_grounds(const YAML::Node& n, MoveInfo& move) {
        if (!yaml_.expect_list(n, "grounds")) return;
        for (const auto& g : n) {
            if (!yaml_.expect_map(g, "a ground")) continue;
            yaml_.check_keys(g, {"id", "label", "fact", "source"}, "a ground");
            GroundInfo ground;
            if (auto v = yaml_.required(g, "id", "a ground"))
                if (auto id = yaml_.id(*v, "ground id")) {
                    ground.id = *id;
                    for (const auto& other : move.grounds)
                        if (other.id == *id)
                            yaml_.error(*v, DiagnosticCode::duplicate_id, "ground '" + *id + "' is listed twice");
                }
            ground.label = g["label"].IsDefined() ? local_text(yaml_.labels(g["label"], "label"), ground.id)
                                                  : LocalText{ground.id, ""};
            if (const YAML::Node& f = g["fact"]; f.IsDefined())
                if (auto name = yaml_.id(f, "fact"))
                    if (check_fact(f, *name, std::nullopt)) ground.fact = *name;
            read_source(g, ground.source);
            move.grounds.push_back(std::move(ground));
        }
    }

    void read_effects(const YAML::Node& n, MoveInfo& move, const std::vector<std::string>& events) {
        if (!yaml_.expect_map(n, "effects")) return;
        yaml_.check_keys(n, {"sets", "dates", "obligations", "reassess", "review", "assess_before_decision"},
                         "the effects of move '" + move.id + "'");
        if (n["sets"].IsDefined()) {
            read_sets(n["sets"], move.sets);
            for (auto it = n["sets"].begin(); it != n["sets"].end(); ++it)
                if (it->first.IsScalar() && it->first.Scalar() == "regime")
                    yaml_.error(it->first, DiagnosticCode::invalid_move,
                                "the regime is set by the placement the move goes to",
                                "give the placement's 'regime' instead");
        }
        if (n["dates"].IsDefined()) read_dates(n["dates"], move.dates);
        for (auto [key, flag] : {std::pair{"reassess", &move.reassess}, std::pair{"review", &move.review},
                                 std::pair{"assess_before_decision", &move.assess_before_decision}})
            if (n[key].IsDefined())
                if (auto b = yaml_.boolean(n[key], key)) *flag = *b;
        if (const YAML::Node& o = n["obligations"]; o.IsDefined() && yaml_.expect_list(o, "obligations")) {
            for (const auto& ob : o) {
                if (!yaml_.expect_map(ob, "an obligation")) continue;
                yaml_.check_keys(ob, {"id", "label", "within", "met_by", "source"}, "an obligation");
                ObligationInfo info;
                if (auto v = yaml_.required(ob, "id", "an obligation"))
                    if (auto id = yaml_.id(*v, "obligation id")) {
                        info.id = *id;
                        for (const auto& other : move.obligations)
                            if (other.id == *id)
                                yaml_.error(*v, DiagnosticCode::duplicate_id,
                                            "obligation '" + *id + "' is listed twice");
                    }
                info.label = ob["label"].IsDefined() ? local_text(yaml_.labels(ob["label"], "label"), info.id)
                                                     : LocalText{info.id, ""};
                if (const YAML::Node& w = ob["within"]; w.IsDefined() && yaml_.expect_scalar(w, "within")) {
                    if (auto d = parse_duration(w.Scalar()))
                        info.within = *d;
                    else
                        yaml_.error(w, DiagnosticCode::invalid_value,
                                    "'" + for_message(w.Scalar()) + "' is not an ISO-8601 duration", "write e.g. P1M");
                }
                // Without met_by the obligation lasts the whole stay (e.g. wear the EM device).
                if (const YAML::Node& v = ob["met_by"]; v.IsDefined()) {
                    info.met_by = id_list(v, "met_by");
                    for (const auto& e : info.met_by) check_declared(node_of(v, e), e, events, "event type");
                }
                read_source(ob, info.source);
                move.obligations.push_back(std::move(info));
            }
        }
    }

    // ---- tests ------------------------------------------------------------------------
    void read_tests(const YAML::Node& n) {
        if (!yaml_.expect_list(n, "tests")) return;
        for (const auto& t : n) {
            if (!yaml_.expect_map(t, "a test")) continue;
            yaml_.check_keys(t,
                             {"name", "case", "apply", "expect_applied", "expect_refusal", "expect_placement",
                              "expect_moves", "expect_obligations", "expect_instrument", "expect_due"},
                             "a test");
            PathwayTestCase tc;
            tc.where = yaml_.at(t);
            if (auto v = yaml_.required(t, "name", "a test"))
                if (auto s = yaml_.text(*v, "name")) tc.name = *s;
            if (auto v = yaml_.required(t, "case", "test '" + tc.name + "'"); v && yaml_.expect_map(*v, "case")) {
                if (auto c = case_from_yaml(*v, yaml_, true)) tc.input = std::move(*c);
                if (!tc.input.as_of)
                    yaml_.error(*v, DiagnosticCode::invalid_test, "test '" + tc.name + "': the case needs as_of");
            }
            if (const YAML::Node& a = t["apply"]; a.IsDefined() && yaml_.expect_list(a, "apply"))
                for (const auto& e : a)
                    if (auto ev = read_event_node(e, yaml_)) tc.apply.push_back(std::move(*ev));
            if (const YAML::Node& v = t["expect_applied"]; v.IsDefined())
                if (auto b = yaml_.boolean(v, "expect_applied")) tc.expect_applied = std::pair{*b, yaml_.at(v)};
            if (const YAML::Node& v = t["expect_refusal"]; v.IsDefined() && yaml_.expect_scalar(v, "expect_refusal")) {
                if (auto k = refusal_kind(v.Scalar()))
                    tc.expect_refusal = std::pair{*k, yaml_.at(v)};
                else
                    yaml_.error(v, DiagnosticCode::invalid_test,
                                "test '" + tc.name + "': '" + for_message(v.Scalar()) + "' is not a refusal kind");
            }
            if (const YAML::Node& v = t["expect_placement"]; v.IsDefined())
                if (auto id = yaml_.id(v, "placement"))
                    if (check_test_name(v, *id, ids_of(data_->placements), tc.name, "placement"))
                        tc.expect_placement = std::pair{*id, yaml_.at(v)};
            if (const YAML::Node& v = t["expect_moves"]; v.IsDefined() && yaml_.expect_map(v, "expect_moves"))
                for (auto it = v.begin(); it != v.end(); ++it) {
                    auto id = yaml_.id(it->first, "move");
                    if (!id || !check_test_name(it->first, *id, ids_of(data_->moves), tc.name, "move")) continue;
                    if (!yaml_.expect_scalar(it->second, "allowed or refused")) continue;
                    const std::string& s = it->second.Scalar();
                    if (s != "allowed" && s != "refused") {
                        yaml_.error(it->second, DiagnosticCode::invalid_test,
                                    "test '" + tc.name + "': write allowed or refused");
                        continue;
                    }
                    tc.expect_moves.emplace_back(*id, std::pair{s == "allowed", yaml_.at(it->second)});
                }
            if (const YAML::Node& v = t["expect_obligations"];
                v.IsDefined() && yaml_.expect_map(v, "expect_obligations"))
                for (auto it = v.begin(); it != v.end(); ++it) {
                    auto id = yaml_.id(it->first, "obligation");
                    if (!id || !yaml_.expect_scalar(it->second, "open, met or overdue")) continue;
                    const std::string& s = it->second.Scalar();
                    std::optional<ObligationStatus> st;
                    if (s == "open") st = ObligationStatus::open;
                    if (s == "met") st = ObligationStatus::met;
                    if (s == "overdue") st = ObligationStatus::overdue;
                    if (!st) {
                        yaml_.error(it->second, DiagnosticCode::invalid_test,
                                    "test '" + tc.name + "': write open, met or overdue");
                        continue;
                    }
                    tc.expect_obligations.emplace_back(*id, std::pair{*st, yaml_.at(it->second)});
                }
            if (const YAML::Node& v = t["expect_instrument"]; v.IsDefined())
                if (auto id = yaml_.id(v, "instrument")) tc.expect_instrument = std::pair{*id, yaml_.at(v)};
            if (const YAML::Node& v = t["expect_due"]; v.IsDefined() && yaml_.expect_scalar(v, "expect_due")) {
                if (v.Scalar() == "null" || v.Scalar() == "~")
                    tc.expect_due = std::pair{std::optional<Date>{}, yaml_.at(v)};
                else if (auto d = parse_date(v.Scalar()))
                    tc.expect_due = std::pair{std::optional<Date>{*d}, yaml_.at(v)};
                else
                    yaml_.error(v, DiagnosticCode::invalid_test,
                                "test '" + tc.name + "': expect_due is a date or null");
            }
            data_->tests.push_back(std::move(tc));
        }
    }

    bool check_test_name(const YAML::Node& where, const std::string& id, const std::vector<std::string>& declared,
                         const std::string& test, const std::string& noun) {
        if (std::find(declared.begin(), declared.end(), id) != declared.end()) return true;
        yaml_.error(where, DiagnosticCode::invalid_test, "test '" + test + "': unknown " + noun + " '" + id + "'",
                    did_you_mean(id, declared));
        return false;
    }

    static std::optional<RefusalKind> refusal_kind(std::string_view s) {
        for (int k = 0; k <= static_cast<int>(RefusalKind::date_out_of_order); ++k)
            if (to_string(static_cast<RefusalKind>(k)) == s) return static_cast<RefusalKind>(k);
        return std::nullopt;
    }

    std::shared_ptr<PathwayData> data_;
    YamlReader yaml_;
    const RuleSet* rules_;
    std::vector<FactInfo> facts_;
    std::vector<std::pair<std::size_t, YAML::Node>> record_nodes_;
};

}  // namespace

std::optional<std::filesystem::path> locate_beside(const std::string& pathway_file, const std::string& id_or_file) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path beside = fs::path(pathway_file).parent_path() / id_or_file;
    if (fs::is_regular_file(beside, ec)) return beside;
    if (fs::is_regular_file(fs::path(beside).concat(".yaml"), ec)) return fs::path(beside).concat(".yaml");
    return find_definition(id_or_file);
}

}  // namespace detail

namespace detail {
namespace {

Result<Pathway> load_checked(std::string_view yaml_text, std::string_view file_name, const RuleSet* rules,
                             std::vector<Diagnostic> diagnostics) {
    std::shared_ptr<PathwayData> data = load_guarded(file_name, diagnostics, [&] {
        return PathwayLoader{std::string(file_name), yaml_text, rules, diagnostics}.load();
    });
    if (!data || !rules) {
        if (!has_errors(diagnostics))
            diagnostics.push_back({Severity::error,
                                   DiagnosticCode::unknown_reference,
                                   "the pathway names no rule set",
                                   "add 'rules: ID'",
                                   {std::string(file_name), 1, 1}});
        return diagnostics;
    }
    Pathway pathway = make_pathway(data);
    for (auto& [where, message] : run_pathway_tests(pathway, *rules))
        diagnostics.push_back({Severity::error, DiagnosticCode::invalid_test, std::move(message),
                               "the embedded test and the pathway disagree", where});
    if (has_errors(diagnostics)) return diagnostics;
    return Result<Pathway>(std::move(pathway), std::move(diagnostics));
}

}  // namespace
}  // namespace detail

Result<Pathway> load_pathway(std::string_view yaml_text, std::string_view file_name, const RuleSet& rules) {
    return detail::load_checked(yaml_text, file_name, &rules, {});
}

Result<Pathway> load_pathway_file(const std::filesystem::path& path, const RuleSet* rules) {
    std::vector<Diagnostic> problems;
    auto text = detail::read_definition_text(path, problems);
    if (!text) return problems;
    if (rules) return load_pathway(*text, path.string(), *rules);
    // The rule set the file names. A file that does not parse, or names none, is read
    // without one so that its own problems are reported at their places.
    std::string rules_id;
    try {
        std::vector<Diagnostic> ignored;  // reported again, at their places, by the full load
        detail::YamlReader peek(path.string(), *text, ignored);
        if (auto root = peek.parse(); root && root->IsMap() && (*root)["rules"].IsScalar())
            rules_id = (*root)["rules"].Scalar();
    } catch (const YAML::Exception&) {
    }
    if (rules_id.empty()) return detail::load_checked(*text, path.string(), nullptr, {});
    const auto found = detail::locate_beside(path.string(), rules_id);
    if (!found) {
        problems.push_back({Severity::error,
                            DiagnosticCode::unknown_reference,
                            "cannot find rule set '" + detail::for_message(rules_id) + "' that the pathway names",
                            "give a path relative to this file, an id found in KELIAS_PATH, or --rules",
                            {path.string(), 0, 0}});
        return detail::load_checked(*text, path.string(), nullptr, std::move(problems));
    }
    auto loaded = load_rules_file(*found);
    if (!loaded) {
        problems.push_back({Severity::error,
                            DiagnosticCode::unknown_reference,
                            "rule set '" + detail::for_message(rules_id) + "' does not load (" +
                                std::to_string(loaded.error().size()) + " problems)",
                            "run: kelias rules validate " + found->string(),
                            {path.string(), 0, 0}});
        return detail::load_checked(*text, path.string(), nullptr, std::move(problems));
    }
    return load_pathway(*text, path.string(), *loaded);
}

Result<RuleSet> load_pathway_rules(const Pathway& pathway) {
    const auto found = detail::locate_beside(pathway.file(), pathway.rules_id());
    if (!found)
        return std::vector<Diagnostic>{{Severity::error,
                                        DiagnosticCode::unknown_reference,
                                        "cannot find rule set '" + pathway.rules_id() + "' that the pathway names",
                                        "give a path relative to the pathway file or an id found in KELIAS_PATH",
                                        {pathway.file(), 0, 0}}};
    return load_rules_file(*found);
}

KELIAS_END_NAMESPACE
