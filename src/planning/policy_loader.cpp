// YAML plan policies -> PlanPolicyData, with the reader instruments and rule sets use:
// located diagnostics for every problem at once, unknown keys as errors, item and outcome
// names checked against the instruments the policy names.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

#include <kelias/plan.hpp>

#include "base/content_hash.hpp"
#include "base/text.hpp"
#include "base/yaml_reader.hpp"
#include "cases/case_yaml.hpp"
#include "definitions/definition_reader.hpp"
#include "planning/plan_policy_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

PlanPolicy make_plan_policy(std::shared_ptr<const PlanPolicyData> data) { return PlanPolicy(std::move(data)); }

namespace {

const std::vector<std::string>& confidences() {
    static const std::vector<std::string> c = {"verified", "secondary", "unverified"};
    return c;
}

std::vector<std::string> names_of(std::span<const DeliveryRole> roles) {
    std::vector<std::string> out;
    for (DeliveryRole r : roles) out.emplace_back(to_string(r));
    return out;
}

const std::vector<std::string>& risk_names() {
    static const std::vector<std::string> r = {"low", "moderate", "high"};
    return r;
}

const std::vector<std::string>& supervision_names() {
    static const std::vector<std::string> s = {"minimal", "standard", "enhanced", "intensive"};
    return s;
}

const std::vector<std::string>& expect_keys() {
    static const std::vector<std::string> k = {"risk_level", "dosage_band",  "hours",         "supervision",
                                               "needs",      "targets",      "interventions", "referrals",
                                               "strengths",  "responsivity", "unmet",         "next_review"};
    return k;
}

class PolicyLoader {
public:
    PolicyLoader(std::string file, std::string_view text, std::vector<Diagnostic>& out)
        : data_(std::make_shared<PlanPolicyData>()), yaml_(std::move(file), text, out), header_(model_, yaml_, out),
          out_(out) {
        data_->hash = content_hash(text);
        data_->file = yaml_.file();
    }

    std::shared_ptr<PlanPolicyData> load() {
        auto root = yaml_.parse();
        if (!root || !yaml_.expect_map(*root, "a plan policy")) return nullptr;
        const YAML::Node& n = *root;
        const YAML::Node kind = n["kind"];
        if (kind.IsDefined() && !yaml_.expect_scalar(kind, "kind")) return nullptr;
        if (!kind.IsDefined() || kind.Scalar() != "plan_policy") {
            yaml_.error(kind.IsDefined() ? kind : n, DiagnosticCode::wrong_definition_kind,
                        kind.IsDefined() ? "this is not a plan policy (kind '" + for_message(kind.Scalar()) + "')"
                                         : std::string("this is not a plan policy: it has no 'kind: plan_policy'"),
                        "plan policies say 'kind: plan_policy'; rule sets are read with 'kelias rules', "
                        "instruments with 'kelias instrument'");
            return nullptr;
        }
        yaml_.check_keys(n,
                         {"kelias", "kind", "id", "version", "title", "description", "source", "licence", "instruments",
                          "needs", "strengths", "dosage", "low_risk_override", "programmes", "areas", "responsivity",
                          "harm_to_self", "review", "tests"},
                         "the plan policy");
        header_.read_header(n, "a plan policy", "plan policy");
        data_->id = model_.id;
        data_->version = model_.version;
        data_->title = model_.title;
        data_->source = model_.source;
        data_->licence = model_.licence;
        // Programmes and areas first: the instruments' items name areas, areas name programmes.
        if (auto p = yaml_.required(n, "programmes", "a plan policy")) read_programmes(*p);
        if (auto a = yaml_.required(n, "areas", "a plan policy")) read_areas(*a);
        if (auto i = yaml_.required(n, "instruments", "a plan policy")) read_instruments(*i);
        read_needs(n["needs"]);
        read_strengths(n["strengths"]);
        if (auto d = yaml_.required(n, "dosage", "a plan policy")) read_dosage(*d);
        read_override(n["low_risk_override"]);
        read_responsivity(n["responsivity"]);
        read_harm(n["harm_to_self"]);
        read_review(n["review"]);
        read_tests(n["tests"]);
        if (has_errors(out_)) return nullptr;
        return data_;
    }

private:
    // ---- shared value readers ------------------------------------------------------------
    Provenance provenance(const YAML::Node& n) {
        Provenance p;
        p.where = yaml_.at(n);
        if (!n.IsMap()) return p;
        if (n["source"].IsDefined())
            if (auto t = yaml_.text(n["source"], "source")) p.source = *t;
        if (const YAML::Node& c = n["confidence"]; c.IsDefined() && yaml_.expect_scalar(c, "confidence")) {
            if (std::find(confidences().begin(), confidences().end(), c.Scalar()) == confidences().end())
                yaml_.error(c, DiagnosticCode::invalid_value,
                            "confidence must be verified, secondary or unverified, not '" + for_message(c.Scalar()) +
                                "'",
                            did_you_mean(c.Scalar(), confidences()));
            else
                p.confidence = c.Scalar();
        }
        return p;
    }

    // `{value: X, source, confidence}` or a bare X. Returns the value node.
    std::optional<YAML::Node> sourced_value(const YAML::Node& n, const std::string& what, Provenance& from) {
        if (n.IsMap()) {
            yaml_.check_keys(n, {"value", "source", "confidence", "note"}, what);
            from = provenance(n);
            auto v = yaml_.required(n, "value", what);
            if (!v) return std::nullopt;
            return *v;
        }
        from.where = yaml_.at(n);
        return n;
    }

    std::optional<int> whole_number(const YAML::Node& n, const std::string& what, int min, int max) {
        auto x = yaml_.number(n, what);
        if (!x) return std::nullopt;
        if (*x != std::floor(*x) || *x < min || *x > max) {
            yaml_.error(n, DiagnosticCode::invalid_value,
                        what + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
            return std::nullopt;
        }
        return static_cast<int>(*x);
    }

    std::optional<Duration> duration(const YAML::Node& n, const std::string& what) {
        if (!yaml_.expect_scalar(n, what)) return std::nullopt;
        if (auto d = parse_duration(n.Scalar())) return d;
        yaml_.error(n, DiagnosticCode::invalid_value, "'" + for_message(n.Scalar()) + "' is not an ISO-8601 duration",
                    "write e.g. P3M or P14D");
        return std::nullopt;
    }

    template <class Enum>
    std::optional<Enum> choice(const YAML::Node& n, const std::string& what, const std::vector<std::string>& names) {
        if (!yaml_.expect_scalar(n, what)) return std::nullopt;
        const auto it = std::find(names.begin(), names.end(), n.Scalar());
        if (it != names.end()) return static_cast<Enum>(it - names.begin());
        std::string hint = did_you_mean(n.Scalar(), names);
        if (hint.empty()) {
            hint = "use one of:";
            for (const auto& x : names) hint += " " + x;
        }
        yaml_.error(n, DiagnosticCode::invalid_value, "unknown " + what + " '" + for_message(n.Scalar()) + "'", hint);
        return std::nullopt;
    }

    std::optional<DeliveryRole> role(const YAML::Node& n) {
        return choice<DeliveryRole>(n, "role", names_of(all_delivery_roles()));
    }

    LocalText label(const YAML::Node& map, const std::string& fallback) {
        if (!map["label"].IsDefined()) return LocalText{fallback, {}};
        return local_text(yaml_.labels(map["label"], "label"), fallback);
    }

    std::vector<std::string> id_list(const YAML::Node& n, const std::string& what) {
        std::vector<std::string> out;
        if (!yaml_.expect_list(n, what)) return out;
        for (const auto& x : n)
            if (auto id = yaml_.id(x, what.substr(0, what.size() - 1))) {
                if (std::find(out.begin(), out.end(), *id) != out.end())
                    yaml_.error(x, DiagnosticCode::duplicate_id, "'" + *id + "' is listed twice");
                else
                    out.push_back(*id);
            }
        return out;
    }

    // A programme the policy names must be one of its `programmes`.
    bool known_programme(const YAML::Node& n, const std::string& id) {
        if (data_->programme(id)) return true;
        std::vector<std::string> ids;
        for (const auto& p : data_->programmes) ids.push_back(p.id);
        yaml_.error(n, DiagnosticCode::unknown_reference, "programme '" + id + "' is not listed under 'programmes'",
                    did_you_mean(id, ids));
        return false;
    }

    std::vector<std::string> programme_list(const YAML::Node& n, const std::string& what) {
        std::vector<std::string> out;
        if (!yaml_.expect_list(n, what)) return out;
        for (const auto& x : n) {
            auto id = yaml_.id(x, "programme id");
            if (!id || !known_programme(x, *id)) continue;
            if (std::find(out.begin(), out.end(), *id) != out.end())
                yaml_.error(x, DiagnosticCode::duplicate_id, "programme '" + *id + "' is listed twice");
            else
                out.push_back(*id);
        }
        return out;
    }

    // ---- programmes and areas -------------------------------------------------------------
    void read_programmes(const YAML::Node& n) {
        if (!yaml_.expect_map(n, "programmes")) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = yaml_.id(it->first, "programme id");
            const YAML::Node p = it->second;  // a copy: it-> goes through a temporary proxy
            if (!id || !yaml_.expect_map(p, "programme '" + *id + "'")) continue;
            yaml_.check_keys(p, {"role", "intensive", "label", "source", "confidence"}, "programme '" + *id + "'");
            PolicyProgramme prog;
            prog.id = *id;
            prog.label = label(p, *id);
            prog.from = provenance(p);
            prog.from.where = yaml_.at(it->first);
            if (auto r = yaml_.required(p, "role", "programme '" + *id + "'"))
                if (auto x = role(*r)) prog.role = *x;
            if (p["intensive"].IsDefined())
                if (auto b = yaml_.boolean(p["intensive"], "intensive")) prog.intensive = *b;
            data_->programmes.push_back(std::move(prog));
        }
    }

    void read_areas(const YAML::Node& n) {
        if (!yaml_.expect_list(n, "areas")) return;
        for (const auto& a : n) {
            if (!yaml_.expect_map(a, "an area")) continue;
            yaml_.check_keys(a, {"id", "label", "programmes", "source", "confidence"}, "an area");
            auto idn = yaml_.required(a, "id", "an area");
            if (!idn) continue;
            auto id = yaml_.id(*idn, "area id");
            if (!id) continue;
            if (data_->area(*id)) {
                yaml_.error(*idn, DiagnosticCode::duplicate_id, "area '" + *id + "' is defined twice");
                continue;
            }
            PolicyArea area;
            area.id = *id;
            area.label = label(a, *id);
            area.from = provenance(a);
            area.from.where = yaml_.at(*idn);
            if (auto p = yaml_.required(a, "programmes", "area '" + *id + "'"))
                area.programmes = programme_list(*p, "programmes");
            data_->areas.push_back(std::move(area));
        }
    }

    bool known_area(const YAML::Node& n, const std::string& id) {
        if (data_->area(id)) return true;
        std::vector<std::string> ids;
        for (const auto& a : data_->areas) ids.push_back(a.id);
        yaml_.error(n, DiagnosticCode::unknown_reference, "area '" + id + "' is not listed under 'areas'",
                    did_you_mean(id, ids));
        return false;
    }

    // ---- instruments ----------------------------------------------------------------------
    std::optional<std::filesystem::path> locate(const std::string& file) {
        namespace fs = std::filesystem;
        const fs::path beside = fs::path(data_->file).parent_path() / file;
        std::error_code ec;
        if (fs::is_regular_file(beside, ec)) return beside;
        if (fs::is_regular_file(fs::path(beside).concat(".yaml"), ec)) return fs::path(beside).concat(".yaml");
        return find_definition(file);
    }

    static std::vector<std::string> entry_ids(const Instrument& i, bool outcomes) {
        std::vector<std::string> ids;
        for (const auto& e : i.entries())
            if (e.is_outcome == outcomes) ids.push_back(e.id);
        return ids;
    }

    void read_instruments(const YAML::Node& n) {
        if (!yaml_.expect_map(n, "instruments")) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = yaml_.id(it->first, "instrument id");
            const YAML::Node spec = it->second;
            if (!id || !yaml_.expect_map(spec, "instrument '" + *id + "'")) continue;
            yaml_.check_keys(spec, {"file", "intensity", "items"}, "instrument '" + *id + "'");
            if (data_->instrument(*id)) {
                yaml_.error(it->first, DiagnosticCode::duplicate_id, "instrument '" + *id + "' is listed twice");
                continue;
            }
            PolicyInstrument pi;
            pi.id = *id;
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
                yaml_.error(it->first, DiagnosticCode::unknown_reference,
                            "instrument '" + for_message(file) + "' does not load",
                            "run: kelias instrument validate " + path->string());
                continue;
            }
            pi.instrument = *loaded;
            if (pi.instrument.id() != *id)
                yaml_.error(it->first, DiagnosticCode::unknown_reference,
                            "the file of instrument '" + *id + "' defines '" + pi.instrument.id() + "'",
                            "name the instrument by its own id");
            if (auto in = yaml_.required(spec, "intensity", "instrument '" + *id + "'")) read_intensity(*in, pi);
            if (auto items = yaml_.required(spec, "items", "instrument '" + *id + "'")) read_items(*items, pi);
            data_->instruments.push_back(std::move(pi));
        }
    }

    // An outcome of `instrument` with an `estimate` on the risk scale.
    bool estimate_outcome(const YAML::Node& n, const std::string& outcome, const Instrument& instrument) {
        const auto outcomes = entry_ids(instrument, true);
        if (std::find(outcomes.begin(), outcomes.end(), outcome) == outcomes.end()) {
            yaml_.error(n, DiagnosticCode::unknown_reference,
                        "'" + outcome + "' is not an outcome of instrument '" + instrument.id() + "'",
                        did_you_mean(outcome, outcomes));
            return false;
        }
        if (!instrument.find_field(outcome + ".estimate")) {
            yaml_.error(n, DiagnosticCode::unknown_reference,
                        "outcome '" + outcome + "' of instrument '" + instrument.id() + "' has no estimate field");
            return false;
        }
        return true;
    }

    void read_intensity(const YAML::Node& n, PolicyInstrument& pi) {
        if (!yaml_.expect_map(n, "intensity")) return;
        yaml_.check_keys(n, {"outcomes", "source", "confidence"}, "intensity");
        pi.intensity = provenance(n);
        auto o = yaml_.required(n, "outcomes", "intensity");
        if (!o) return;
        for (const auto& id : id_list(*o, "outcomes")) {
            YAML::Node at = *o;
            for (const auto& x : *o)
                if (x.IsScalar() && x.Scalar() == id) at.reset(x);
            if (estimate_outcome(at, id, pi.instrument)) pi.intensity_outcomes.push_back(id);
        }
        if (o->IsSequence() && o->size() == 0)
            yaml_.error(*o, DiagnosticCode::invalid_value, "intensity names no outcome",
                        "list the outcomes whose highest estimate is the risk level, e.g. [violence]");
    }

    void read_items(const YAML::Node& n, PolicyInstrument& pi) {
        if (!yaml_.expect_map(n, "items")) return;
        pi.items_from.where = yaml_.at(n);
        const auto items = entry_ids(pi.instrument, false);
        std::vector<std::pair<std::string, std::string>> mapped;
        for (auto it = n.begin(); it != n.end(); ++it) {
            if (!yaml_.expect_scalar(it->first, "an item id")) continue;
            const std::string& item = it->first.Scalar();
            if (std::find(items.begin(), items.end(), item) == items.end()) {
                yaml_.error(it->first, DiagnosticCode::unknown_reference,
                            "'" + for_message(item) + "' is not an item of instrument '" + pi.id + "'",
                            did_you_mean(item, items));
                continue;
            }
            auto area = yaml_.id(it->second, "area id");
            if (!area || !known_area(it->second, *area)) continue;
            mapped.emplace_back(item, *area);
        }
        // In the instrument's item order: plans list items the way the form does.
        for (const auto& item : items)
            for (const auto& m : mapped)
                if (m.first == item) pi.items.push_back(m);
    }

    // ---- needs, strengths, dosage ----------------------------------------------------------
    void read_needs(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_map(n, "needs")) return;
        yaml_.check_keys(n, {"vulnerability_at_least", "many_at_least"}, "needs");
        if (n["vulnerability_at_least"].IsDefined())
            if (auto v = sourced_value(n["vulnerability_at_least"], "vulnerability_at_least", data_->need_from))
                if (auto x = whole_number(*v, "vulnerability_at_least", 0, 2)) data_->need_at_least = *x;
        if (n["many_at_least"].IsDefined())
            if (auto v = sourced_value(n["many_at_least"], "many_at_least", data_->many_from))
                if (auto x = whole_number(*v, "many_at_least", 1, 1000)) data_->many_needs = *x;
    }

    void read_strengths(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_map(n, "strengths")) return;
        yaml_.check_keys(n, {"strength_at_least"}, "strengths");
        if (n["strength_at_least"].IsDefined())
            if (auto v = sourced_value(n["strength_at_least"], "strength_at_least", data_->strength_from))
                if (auto x = whole_number(*v, "strength_at_least", 0, 2)) data_->strength_at_least = *x;
    }

    void read_dosage(const YAML::Node& n) {
        if (!yaml_.expect_list(n, "dosage")) return;
        for (const auto& b : n) {
            if (!yaml_.expect_map(b, "a dosage band")) continue;
            yaml_.check_keys(b, {"id", "risk", "needs", "hours", "supervision", "source", "confidence"},
                             "a dosage band");
            auto idn = yaml_.required(b, "id", "a dosage band");
            auto risk = yaml_.required(b, "risk", "a dosage band");
            auto hours = yaml_.required(b, "hours", "a dosage band");
            auto sup = yaml_.required(b, "supervision", "a dosage band");
            if (!idn || !risk || !hours || !sup) continue;
            auto id = yaml_.id(*idn, "band id");
            if (!id) continue;
            DosageBand band;
            band.id = *id;
            band.from = provenance(b);
            band.from.where = yaml_.at(*idn);
            bool ok = true;
            if (auto r = choice<RiskLevel>(*risk, "risk level", risk_names()))
                band.risk = *r;
            else
                ok = false;
            if (const YAML::Node& nd = b["needs"]; nd.IsDefined()) {
                if (auto x = choice<int>(nd, "needs band", {"few", "many", "any"}))
                    band.many = *x == 2 ? std::nullopt : std::optional<bool>(*x == 1);
                else
                    ok = false;
            }
            if (auto h = whole_number(*hours, "hours", 0, 10000))
                band.hours = *h;
            else
                ok = false;
            if (auto s = choice<SupervisionLevel>(*sup, "supervision level", supervision_names()))
                band.supervision = *s;
            else
                ok = false;
            if (!ok) continue;
            for (const auto& other : data_->bands) {
                if (other.id == band.id) {
                    yaml_.error(*idn, DiagnosticCode::duplicate_id, "dosage band '" + band.id + "' is defined twice");
                    ok = false;
                    break;
                }
                const bool overlap =
                    other.risk == band.risk && (!other.many || !band.many || *other.many == *band.many);
                if (overlap) {
                    yaml_.error(*idn, DiagnosticCode::duplicate_id,
                                "dosage band '" + band.id + "' covers the same risk and needs as '" + other.id + "'",
                                "give each risk level one band for any needs, or one for few and one for many");
                    ok = false;
                    break;
                }
            }
            if (ok) data_->bands.push_back(std::move(band));
        }
        // Every risk level needs an answer for few and for many needs.
        for (int r = 0; r < 3; ++r)
            for (bool many : {false, true}) {
                const bool covered = std::any_of(data_->bands.begin(), data_->bands.end(), [&](const DosageBand& b) {
                    return static_cast<int>(b.risk) == r && (!b.many || *b.many == many);
                });
                if (!covered)
                    yaml_.error(n, DiagnosticCode::invalid_value,
                                "no dosage band for " + risk_names()[static_cast<std::size_t>(r)] + " risk with " +
                                    (many ? "many" : "few") + " needs",
                                "add a band with risk: " + risk_names()[static_cast<std::size_t>(r)] +
                                    " and needs: " + (many ? "many" : "few") + " (or any)");
            }
    }

    void read_override(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_map(n, "low_risk_override")) return;
        yaml_.check_keys(n, {"fact", "band", "source", "confidence"}, "low_risk_override");
        data_->override_from = provenance(n);
        auto f = yaml_.required(n, "fact", "low_risk_override");
        auto b = yaml_.required(n, "band", "low_risk_override");
        if (f)
            if (auto id = yaml_.id(*f, "fact name")) data_->override_fact = *id;
        if (!b) return;
        auto band = yaml_.id(*b, "band id");
        if (!band) return;
        for (std::size_t i = 0; i < data_->bands.size(); ++i)
            if (data_->bands[i].id == *band) data_->override_band = static_cast<int>(i);
        if (data_->override_band < 0) {
            std::vector<std::string> ids;
            for (const auto& x : data_->bands) ids.push_back(x.id);
            yaml_.error(*b, DiagnosticCode::unknown_reference, "'" + *band + "' is not a dosage band",
                        did_you_mean(*band, ids));
        }
    }

    // ---- responsivity, harm to self, review ------------------------------------------------
    bool item_of_some_instrument(const YAML::Node& n, const std::string& item) {
        std::vector<std::string> all;
        for (const auto& pi : data_->instruments)
            for (const auto& id : entry_ids(pi.instrument, false)) {
                if (id == item) return true;
                all.push_back(id);
            }
        yaml_.error(n, DiagnosticCode::unknown_reference, "'" + item + "' is not an item of the policy's instruments",
                    did_you_mean(item, all));
        return false;
    }

    bool outcome_of_some_instrument(const YAML::Node& n, const std::string& outcome) {
        std::vector<std::string> all;
        for (const auto& pi : data_->instruments)
            for (const auto& id : entry_ids(pi.instrument, true)) {
                if (id == outcome) return true;
                all.push_back(id);
            }
        yaml_.error(n, DiagnosticCode::unknown_reference,
                    "'" + outcome + "' is not an outcome of the policy's instruments", did_you_mean(outcome, all));
        return false;
    }

    void read_when(const YAML::Node& n, ResponsivityRule& rule) {
        if (!yaml_.expect_map(n, "when")) return;
        yaml_.check_keys(n, {"fact", "equals", "age_below", "items", "vulnerability_at_least"}, "when");
        const int kinds =
            (n["fact"].IsDefined() ? 1 : 0) + (n["age_below"].IsDefined() ? 1 : 0) + (n["items"].IsDefined() ? 1 : 0);
        if (kinds != 1) {
            yaml_.error(n, DiagnosticCode::invalid_value, "'when' needs exactly one of fact, age_below, items",
                        "e.g. {fact: foreign_national, equals: true}, {age_below: 18} or "
                        "{items: [treatability], vulnerability_at_least: 2}");
            return;
        }
        if (n["fact"].IsDefined()) {
            rule.when = ResponsivityRule::When::fact_equals;
            if (auto id = yaml_.id(n["fact"], "fact name")) rule.fact = *id;
            if (auto v = yaml_.required(n, "equals", "when"))
                if (yaml_.expect_scalar(*v, "equals")) rule.value = v->Scalar();
        } else if (n["age_below"].IsDefined()) {
            rule.when = ResponsivityRule::When::age_below;
            if (auto x = whole_number(n["age_below"], "age_below", 1, 150)) rule.age = *x;
        } else {
            rule.when = ResponsivityRule::When::item_vulnerability;
            const YAML::Node items = n["items"];
            for (const auto& id : id_list(items, "items")) {
                YAML::Node at = items;
                for (const auto& x : items)
                    if (x.IsScalar() && x.Scalar() == id) at.reset(x);
                if (item_of_some_instrument(at, id)) rule.items.push_back(id);
            }
            if (n["vulnerability_at_least"].IsDefined())
                if (auto x = whole_number(n["vulnerability_at_least"], "vulnerability_at_least", 0, 2))
                    rule.at_least = *x;
        }
        for (const char* key : {"equals", "vulnerability_at_least"}) {
            const bool belongs = std::string(key) == "equals" ? rule.when == ResponsivityRule::When::fact_equals
                                                              : rule.when == ResponsivityRule::When::item_vulnerability;
            if (n[key].IsDefined() && !belongs)
                yaml_.error(yaml_.key_node(n, key), DiagnosticCode::invalid_value,
                            std::string("'") + key + "' does not go with this kind of 'when'");
        }
    }

    void read_responsivity(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_list(n, "responsivity")) return;
        for (const auto& r : n) {
            if (!yaml_.expect_map(r, "a responsivity factor")) continue;
            yaml_.check_keys(r, {"id", "label", "when", "add", "prefer", "avoid", "note", "source", "confidence"},
                             "a responsivity factor");
            auto idn = yaml_.required(r, "id", "a responsivity factor");
            if (!idn) continue;
            auto id = yaml_.id(*idn, "responsivity factor id");
            if (!id) continue;
            if (std::any_of(data_->responsivity.begin(), data_->responsivity.end(),
                            [&](const ResponsivityRule& x) { return x.id == *id; })) {
                yaml_.error(*idn, DiagnosticCode::duplicate_id, "responsivity factor '" + *id + "' is defined twice");
                continue;
            }
            ResponsivityRule rule;
            rule.id = *id;
            rule.label = label(r, *id);
            rule.from = provenance(r);
            rule.from.where = yaml_.at(*idn);
            if (auto w = yaml_.required(r, "when", "responsivity factor '" + *id + "'")) read_when(*w, rule);
            if (r["add"].IsDefined()) rule.add = programme_list(r["add"], "add");
            if (r["prefer"].IsDefined()) rule.prefer = programme_list(r["prefer"], "prefer");
            if (r["avoid"].IsDefined()) rule.avoid = programme_list(r["avoid"], "avoid");
            if (r["note"].IsDefined()) rule.note = local_text(yaml_.labels(r["note"], "note"), "");
            if (rule.add.empty() && rule.prefer.empty() && rule.avoid.empty() && rule.note.empty())
                yaml_.error(*idn, DiagnosticCode::invalid_value, "responsivity factor '" + *id + "' changes nothing",
                            "give add, prefer, avoid or a note on delivery");
            data_->responsivity.push_back(std::move(rule));
        }
    }

    void read_harm(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_list(n, "harm_to_self")) return;
        for (const auto& h : n) {
            if (!yaml_.expect_map(h, "a harm-to-self rule")) continue;
            yaml_.check_keys(h, {"id", "label", "outcomes", "at_least", "role", "source", "confidence"},
                             "a harm-to-self rule");
            auto idn = yaml_.required(h, "id", "a harm-to-self rule");
            auto outcomes = yaml_.required(h, "outcomes", "a harm-to-self rule");
            auto r = yaml_.required(h, "role", "a harm-to-self rule");
            if (!idn) continue;
            auto id = yaml_.id(*idn, "rule id");
            if (!id) continue;
            if (std::any_of(data_->harm.begin(), data_->harm.end(), [&](const HarmRule& x) { return x.id == *id; })) {
                yaml_.error(*idn, DiagnosticCode::duplicate_id, "harm-to-self rule '" + *id + "' is defined twice");
                continue;
            }
            HarmRule rule;
            rule.id = *id;
            rule.label = label(h, *id);
            rule.from = provenance(h);
            rule.from.where = yaml_.at(*idn);
            if (outcomes) {
                const YAML::Node list = *outcomes;
                for (const auto& o : id_list(list, "outcomes")) {
                    YAML::Node at = list;
                    for (const auto& x : list)
                        if (x.IsScalar() && x.Scalar() == o) at.reset(x);
                    if (outcome_of_some_instrument(at, o)) rule.outcomes.push_back(o);
                }
            }
            if (h["at_least"].IsDefined())
                if (auto x = choice<RiskLevel>(h["at_least"], "risk level", risk_names())) rule.at_least = *x;
            if (r)
                if (auto x = role(*r)) rule.role = *x;
            data_->harm.push_back(std::move(rule));
        }
    }

    void read_review(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_map(n, "review")) return;
        yaml_.check_keys(n, {"interval", "events"}, "review");
        if (n["interval"].IsDefined())
            if (auto v = sourced_value(n["interval"], "interval", data_->review_from))
                if (auto d = duration(*v, "interval")) data_->review_interval = *d;
        const YAML::Node& events = n["events"];
        if (!events.IsDefined() || !yaml_.expect_list(events, "events")) return;
        for (const auto& e : events) {
            if (!yaml_.expect_map(e, "a review event")) continue;
            yaml_.check_keys(e, {"type", "within", "source", "confidence"}, "a review event");
            auto t = yaml_.required(e, "type", "a review event");
            auto w = yaml_.required(e, "within", "a review event");
            if (!t || !w) continue;
            auto type = yaml_.id(*t, "event type");
            auto within = duration(*w, "within");
            if (!type || !within) continue;
            if (std::any_of(data_->review_events.begin(), data_->review_events.end(),
                            [&](const ReviewEvent& x) { return x.type == *type; })) {
                yaml_.error(*t, DiagnosticCode::duplicate_id, "event type '" + *type + "' is listed twice");
                continue;
            }
            ReviewEvent ev;
            ev.type = *type;
            ev.within = *within;
            ev.from = provenance(e);
            ev.from.where = yaml_.at(*t);
            data_->review_events.push_back(std::move(ev));
        }
    }

    // ---- tests ---------------------------------------------------------------------------------
    void read_tests(const YAML::Node& n) {
        if (!n.IsDefined() || !yaml_.expect_list(n, "tests")) return;
        int number = 0;
        for (const auto& t : n) {
            ++number;
            if (!yaml_.expect_map(t, "a test")) continue;
            yaml_.check_keys(
                t,
                {"name", "description", "as_of", "facts", "assessments", "placements", "events", "decisions", "expect"},
                "a test");
            PlanTestCase tc;
            tc.name = t["name"].IsDefined() && t["name"].IsScalar() ? t["name"].Scalar() : "#" + std::to_string(number);
            tc.where = yaml_.at(t);
            auto input = case_from_yaml(t, yaml_, false);
            if (!input) continue;
            tc.input = std::move(*input);
            tc.input.id = tc.name;
            tc.input.where = tc.where;
            if (!tc.input.as_of)
                yaml_.error(t, DiagnosticCode::invalid_test, "test '" + tc.name + "' has no as_of", "add as_of: DATE");
            read_test_decisions(t["decisions"], tc);
            if (auto e = yaml_.required(t, "expect", "a test")) read_expect(*e, tc);
            data_->tests.push_back(std::move(tc));
        }
    }

    void read_test_decisions(const YAML::Node& n, PlanTestCase& tc) {
        if (!n.IsDefined() || !yaml_.expect_map(n, "decisions")) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            auto id = yaml_.id(it->first, "programme id");
            if (!id || !yaml_.expect_scalar(it->second, "a decision")) continue;
            if (!data_->programme(*id)) {
                std::vector<std::string> ids;
                for (const auto& p : data_->programmes) ids.push_back(p.id);
                yaml_.error(it->first, DiagnosticCode::invalid_test,
                            "test '" + tc.name + "': programme '" + *id + "' is not listed under 'programmes'",
                            did_you_mean(*id, ids));
                continue;
            }
            const std::string& v = it->second.Scalar();
            if (v != "eligible" && v != "not_eligible" && v != "undetermined") {
                yaml_.error(it->second, DiagnosticCode::invalid_test, "'" + for_message(v) + "' is not a decision",
                            "use eligible, not_eligible or undetermined");
                continue;
            }
            tc.decisions.emplace_back(*id, v == "eligible"       ? Decision::eligible
                                           : v == "not_eligible" ? Decision::not_eligible
                                                                 : Decision::undetermined);
        }
    }

    void read_expect(const YAML::Node& n, PlanTestCase& tc) {
        if (!yaml_.expect_map(n, "expect")) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            if (!yaml_.expect_scalar(it->first, "an expectation")) continue;
            const std::string& key = it->first.Scalar();
            if (std::find(expect_keys().begin(), expect_keys().end(), key) == expect_keys().end()) {
                std::string hint = did_you_mean(key, expect_keys());
                yaml_.error(it->first, DiagnosticCode::invalid_test,
                            "test '" + tc.name + "': unknown expectation '" + for_message(key) + "'",
                            hint.empty() ? "use risk_level, dosage_band, hours, supervision, needs, targets, "
                                           "interventions, referrals, strengths, responsivity, unmet or next_review"
                                         : hint);
                continue;
            }
            PlanTestCase::Expect x;
            x.key = key;
            x.where = yaml_.at(it->second);
            const YAML::Node v = it->second;
            if (key == "unmet") {
                // {area: reason, ...}
                if (!yaml_.expect_map(v, "unmet")) continue;
                std::string joined;
                for (auto u = v.begin(); u != v.end(); ++u) {
                    if (!yaml_.expect_scalar(u->first, "an area") || !yaml_.expect_scalar(u->second, "a reason"))
                        continue;
                    joined += (joined.empty() ? "" : ", ") + u->first.Scalar() + ": " + u->second.Scalar();
                }
                x.value = joined;
            } else if (v.IsSequence()) {
                std::string joined;
                for (const auto& e : v)
                    if (yaml_.expect_scalar(e, "a list entry")) joined += (joined.empty() ? "" : ", ") + e.Scalar();
                x.value = joined;
            } else if (v.IsNull()) {
                x.value = "";
            } else if (yaml_.expect_scalar(v, "an expected value")) {
                x.value = v.Scalar();
            } else {
                continue;
            }
            tc.expect.push_back(std::move(x));
        }
    }

    std::shared_ptr<PlanPolicyData> data_;
    YamlReader yaml_;
    Model model_;  // holds the header fields the shared reader fills
    DefinitionReader header_;
    std::vector<Diagnostic>& out_;
};

}  // namespace
}  // namespace detail

Result<PlanPolicy> load_plan_policy(std::string_view yaml_text, std::string_view file_name) {
    std::vector<Diagnostic> diagnostics;
    std::shared_ptr<detail::PlanPolicyData> data = detail::load_guarded(file_name, diagnostics, [&] {
        return detail::PolicyLoader{std::string(file_name), yaml_text, diagnostics}.load();
    });
    if (!data) return diagnostics;
    return Result<PlanPolicy>(detail::make_plan_policy(std::move(data)), std::move(diagnostics));
}

Result<PlanPolicy> load_plan_policy_file(const std::filesystem::path& path) {
    std::vector<Diagnostic> problems;
    auto text = detail::read_definition_text(path, problems);
    if (!text) return problems;
    return load_plan_policy(*text, path.string());
}

KELIAS_END_NAMESPACE
