#include "cases/case_yaml.hpp"

#include <algorithm>

#include "base/text.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

class CaseYamlReader {
public:
    CaseYamlReader(YamlReader& r, CaseInput& c) : r_(r), c_(c) {}

    void facts(const YAML::Node& facts) {
        for (auto it = facts.begin(); it != facts.end(); ++it) {
            if (!name_ok(it->first, "a fact name")) continue;
            const std::string name = it->first.Scalar();
            const YAML::Node v = it->second;  // a copy: it-> goes through a temporary proxy
            if (c_.facts.count(name) || c_.lists.count(name)) {
                duplicate(it->first, "facts." + name);
                continue;
            }
            c_.places[CasePath::fact(name)] = r_.at(v.IsNull() ? it->first : v);
            if (v.IsNull()) {
                c_.facts[name] = "";
            } else if (v.IsScalar()) {
                c_.facts[name] = v.Scalar();
            } else if (v.IsSequence()) {
                c_.lists[name] = records(name, v);
            } else {
                r_.error(v, DiagnosticCode::malformed_case, "facts." + name + " must be a value or a list of records");
            }
        }
    }

    void assessments(const YAML::Node& as) {
        for (auto it = as.begin(); it != as.end(); ++it) {
            if (!name_ok(it->first, "an instrument id")) continue;
            const std::string instrument = it->first.Scalar();
            const std::string path = "assessments." + instrument;
            if (std::any_of(c_.assessments.begin(), c_.assessments.end(),
                            [&](const AssessmentInput& x) { return x.instrument == instrument; })) {
                duplicate(it->first, path);
                continue;
            }
            c_.places[CasePath::assessment(instrument)] = r_.at(it->first);
            const YAML::Node v = it->second;
            if (!v.IsSequence()) {
                if (r_.expect_map(v, path)) assessment(instrument, v, 0, path, false);
                continue;
            }
            std::size_t index = 0;  // a history: every entry dated
            for (const auto& entry : v) {
                const std::string entry_path = path + "[" + std::to_string(index) + "]";
                if (r_.expect_map(entry, entry_path)) assessment(instrument, entry, index, entry_path, true);
                ++index;
            }
        }
    }

    void placements(const YAML::Node& list) {
        std::size_t index = 0;
        for (const auto& stay : list) {
            const std::string path = CasePath::placement(index).to_string();
            c_.places[CasePath::placement(index)] = r_.at(stay);
            if (r_.expect_map(stay, path)) {
                r_.check_keys(stay, {"placement", "from", "until", "note"}, "a placement");
                PlacementStay s;
                if (auto id = identifier(stay["placement"], index, "placement")) s.placement = *id;
                const auto from = date(stay["from"], CasePath::placement(index, "from"), true);
                const auto until = date(stay["until"], CasePath::placement(index, "until"), false);
                if (from) s.from = *from;
                s.until = until;
                if (from && until && *until < *from)
                    r_.error(stay["until"], DiagnosticCode::malformed_case, path + ".until is before its from",
                             "a stay ends on or after the day it starts");
                if (from) check_order(stay, path, s);
                c_.placements.push_back(std::move(s));
            }
            ++index;
        }
    }

    void events(const YAML::Node& list) {
        std::size_t index = 0;
        for (const auto& node : list) {
            const std::string path = CasePath::event(index).to_string();
            c_.places[CasePath::event(index)] = r_.at(node);
            if (r_.expect_map(node, path)) c_.events.push_back(event(node, index, path));
            ++index;
        }
    }

private:
    void assessment(const std::string& instrument, const YAML::Node& v, std::size_t index, const std::string& path,
                    bool in_history) {
        AssessmentInput a;
        a.instrument = instrument;
        r_.check_keys(v, {"date", "ratings", "scores", "header", "assessor", "purpose"}, "an assessment");
        const YAML::Node& d = v["date"];
        if (d.IsDefined() && !d.IsNull() && r_.expect_scalar(d, "date")) {
            a.date = parse_date(d.Scalar());
            if (!a.date) r_.error(d, DiagnosticCode::malformed_date, path + ".date must be a date YYYY-MM-DD");
            c_.places[CasePath{CasePath::Part::assessment_date, instrument, index, {}}] = r_.at(d);
        } else if (in_history) {
            r_.error(v, DiagnosticCode::malformed_case, path + " has no date",
                     "every assessment of a history needs its date: the latest one speaks for the case");
        }
        cells(v["ratings"], path + ".ratings", a.ratings, CasePath::Part::rating, instrument, index);
        cells(v["scores"], path + ".scores", a.scores, CasePath::Part::score, instrument, index);
        header(v, path, a.header, instrument, index);
        c_.assessments.push_back(std::move(a));
    }

    CaseEvent event(const YAML::Node& node, std::size_t index, const std::string& path) {
        CaseEvent e;
        if (auto type = identifier(node["type"], index, "type", true)) e.type = *type;
        if (auto d = date(node["date"], CasePath::event(index, "date"), true)) e.date = *d;
        for (auto it = node.begin(); it != node.end(); ++it) {
            if (!name_ok(it->first, "a key")) continue;
            const std::string key = it->first.Scalar();
            if (key == "type" || key == "date") continue;
            const YAML::Node v = it->second;
            c_.places[CasePath::event(index, key)] = r_.at(v.IsNull() ? it->first : v);
            if (!v.IsNull() && !r_.expect_scalar(v, path + "." + key)) continue;
            const std::string text = v.IsNull() ? std::string() : v.Scalar();
            if (key == "role")
                e.role = text;
            else if (key == "by")
                e.by = text;
            else
                e.details[key] = text;
        }
        return e;
    }

    // A required identifier-like value of a placement or event (`type`, `placement`).
    std::optional<std::string> identifier(const YAML::Node& n, std::size_t index, const char* key, bool event = false) {
        const CasePath where = event ? CasePath::event(index, key) : CasePath::placement(index, key);
        if (!n.IsDefined() || n.IsNull()) {
            r_.error(c_.places[event ? CasePath::event(index) : CasePath::placement(index)],
                     DiagnosticCode::malformed_case, where.to_string() + " is missing");
            return std::nullopt;
        }
        c_.places[where] = r_.at(n);
        if (!name_ok(n, key)) return std::nullopt;
        return n.Scalar();
    }

    std::optional<Date> date(const YAML::Node& n, const CasePath& where, bool required) {
        if (!n.IsDefined() || n.IsNull()) {
            if (required) {
                CasePath owner = where;
                owner.field.clear();
                r_.error(c_.places[owner], DiagnosticCode::malformed_case, where.to_string() + " is missing");
            }
            return std::nullopt;
        }
        c_.places[where] = r_.at(n);
        if (!r_.expect_scalar(n, where.to_string())) return std::nullopt;
        auto d = parse_date(n.Scalar());
        if (!d) r_.error(n, DiagnosticCode::malformed_date, where.to_string() + " must be a date YYYY-MM-DD");
        return d;
    }

    // Stays follow each other: a stay starts on or after the previous one, which has ended.
    void check_order(const YAML::Node& stay, const std::string& path, const PlacementStay& s) {
        if (c_.placements.empty()) return;
        const PlacementStay& before = c_.placements.back();
        if (!before.until)
            r_.error(stay, DiagnosticCode::malformed_case,
                     path + " follows a stay that has not ended (" + before.placement + ")",
                     "give the earlier stay its `until`: only the last stay may be open");
        else if (s.from < before.from)
            r_.error(stay["from"], DiagnosticCode::malformed_case, path + ".from is before the previous stay's",
                     "list the stays oldest first");
    }

    bool name_ok(const YAML::Node& key, std::string_view what) {
        if (!r_.expect_scalar(key, what)) return false;
        if (key.Scalar().size() <= max_case_name_bytes) return true;
        r_.error(key, DiagnosticCode::input_limit,
                 std::string(what) + " of " + std::to_string(key.Scalar().size()) +
                     " bytes, longer than the limit of " + std::to_string(max_case_name_bytes),
                 "names in a case are the rules' own (facts, fields, instruments, ratings)");
        return false;
    }

    void duplicate(const YAML::Node& key, const std::string& path) {
        r_.error(key, DiagnosticCode::duplicate_key, path + " is given twice",
                 "keep one of them: the value would depend on which came last");
    }

    std::vector<RecordInput> records(const std::string& name, const YAML::Node& list) {
        std::vector<RecordInput> out;
        std::size_t index = 0;
        for (const auto& rec : list) {
            RecordInput record;
            const std::string path = "facts." + name + "[" + std::to_string(index) + "]";
            c_.places[CasePath::record_at(name, index)] = r_.at(rec);
            if (!rec.IsNull() && r_.expect_map(rec, path)) {
                for (auto it = rec.begin(); it != rec.end(); ++it) {
                    if (!name_ok(it->first, "a field name")) continue;
                    const std::string field = it->first.Scalar();
                    if (record.count(field)) {
                        duplicate(it->first, path + "." + field);
                        continue;
                    }
                    const YAML::Node v = it->second;
                    c_.places[CasePath::record_field(name, index, field)] = r_.at(v.IsNull() ? it->first : v);
                    if (v.IsNull())
                        record[field] = "";
                    else if (r_.expect_scalar(v, path + "." + field))
                        record[field] = v.Scalar();
                }
            }
            out.push_back(std::move(record));
            ++index;
        }
        return out;
    }

    void cells(const YAML::Node& n, const std::string& what, std::map<std::string, std::string>& out,
               CasePath::Part part, const std::string& instrument, std::size_t index) {
        if (!n.IsDefined() || n.IsNull() || !r_.expect_map(n, what)) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            if (!name_ok(it->first, "a name")) continue;
            const std::string name = it->first.Scalar();
            if (out.count(name)) {
                duplicate(it->first, what + "." + name);
                continue;
            }
            const YAML::Node v = it->second;
            c_.places[CasePath{part, instrument, index, name}] = r_.at(v.IsNull() ? it->first : v);
            if (auto text = r_.cell_text(v, what + "." + name)) out[name] = std::move(*text);
        }
    }

    // `header:` (a list of codes joined as `a|b`), and the older `assessor:` and `purpose:`
    // keys, which are the header fields of the same names.
    void header(const YAML::Node& v, const std::string& path, std::map<std::string, std::string>& out,
                const std::string& instrument, std::size_t index) {
        auto take = [&](const YAML::Node& key, const YAML::Node& value) {
            if (!name_ok(key, "a name")) return;
            const std::string name = key.Scalar();
            const std::string what = path + ".header." + name;
            if (out.count(name)) {
                duplicate(key, what);
                return;
            }
            c_.places[CasePath{CasePath::Part::header, instrument, index, name}] = r_.at(value.IsNull() ? key : value);
            if (value.IsNull()) {
                out[name] = "";
            } else if (value.IsSequence()) {
                std::string joined;
                for (const auto& e : value) {
                    if (!r_.expect_scalar(e, what + "[]")) return;
                    joined += (joined.empty() ? "" : "|") + e.Scalar();
                }
                out[name] = joined;
            } else if (r_.expect_scalar(value, what)) {
                out[name] = value.Scalar();
            }
        };
        const YAML::Node& h = v["header"];
        if (h.IsDefined() && !h.IsNull() && r_.expect_map(h, path + ".header"))
            for (auto it = h.begin(); it != h.end(); ++it) take(it->first, it->second);
        for (const char* legacy : {"assessor", "purpose"})
            if (v[legacy].IsDefined()) take(r_.key_node(v, legacy), v[legacy]);
    }

    YamlReader& r_;
    CaseInput& c_;
};

}  // namespace

std::optional<CaseInput> case_from_yaml(const YAML::Node& n, YamlReader& r, bool is_case_file) {
    const std::size_t errors_before = r.error_count();
    CaseInput c;
    c.where = r.at(n);
    if (is_case_file) {
        if (!r.expect_map(n, "a case")) return std::nullopt;
        r.check_keys(n, {"case", "as_of", "facts", "assessments", "placements", "events", "description"}, "a case");
        if (n["case"].IsDefined())
            if (auto t = r.text(n["case"], "case")) {
                c.id = *t;
                c.places[CasePath::case_id()] = r.at(n["case"]);
            }
    }
    if (const YAML::Node& a = n["as_of"]; a.IsDefined() && !a.IsNull() && r.expect_scalar(a, "as_of")) {
        c.as_of = parse_date(a.Scalar());
        if (!c.as_of)
            r.error(a, DiagnosticCode::malformed_date,
                    "as_of must be a date YYYY-MM-DD, not '" + for_message(a.Scalar()) + "'");
        c.places[CasePath::as_of()] = r.at(a);
    }
    CaseYamlReader reader(r, c);
    if (const YAML::Node& facts = n["facts"]; facts.IsDefined() && !facts.IsNull() && r.expect_map(facts, "facts"))
        reader.facts(facts);
    if (const YAML::Node& as = n["assessments"]; as.IsDefined() && !as.IsNull() && r.expect_map(as, "assessments"))
        reader.assessments(as);
    // Read for tests too (plan policies' tests give events; a rule set's test keys leave them out).
    if (const YAML::Node& p = n["placements"]; p.IsDefined() && !p.IsNull() && r.expect_list(p, "placements"))
        reader.placements(p);
    if (const YAML::Node& e = n["events"]; e.IsDefined() && !e.IsNull() && r.expect_list(e, "events")) reader.events(e);
    if (r.error_count() > errors_before) return std::nullopt;
    return c;
}

}  // namespace detail

Result<CaseInput> parse_case(std::string_view text, std::string_view file_name) {
    std::vector<Diagnostic> diagnostics;
    detail::YamlReader r(std::string(file_name), text, diagnostics);
    try {
        auto root = r.parse();
        if (!root) return diagnostics;
        auto c = detail::case_from_yaml(*root, r, true);
        if (!c) return diagnostics;
        return Result<CaseInput>(std::move(*c), std::move(diagnostics));
    } catch (const YAML::Exception& e) {
        diagnostics.push_back(detail::unexpected_structure(e, file_name));
        return diagnostics;
    }
}

KELIAS_END_NAMESPACE
