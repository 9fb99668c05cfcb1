#include "cases/case_yaml.hpp"

#include <algorithm>

#include "base/text.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

/// Names in a case (facts, record fields, instruments, ratings) are identifiers; a longer
/// one is an input error (E801). It also keeps every name a valid implicit key when the
/// case is written back as JSON (YAML allows 1024 characters, escapes included).
constexpr std::size_t max_case_name_bytes = 128;

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
            AssessmentInput a;
            a.instrument = it->first.Scalar();
            const YAML::Node v = it->second;
            if (!r_.expect_map(v, "assessments." + a.instrument)) continue;
            const std::string path = "assessments." + a.instrument;
            if (std::any_of(c_.assessments.begin(), c_.assessments.end(),
                            [&](const AssessmentInput& x) { return x.instrument == a.instrument; })) {
                duplicate(it->first, path);
                continue;
            }
            c_.places[CasePath::assessment(a.instrument)] = r_.at(it->first);
            r_.check_keys(v, {"date", "ratings", "scores", "assessor", "purpose"}, "an assessment");
            if (const YAML::Node& d = v["date"]; d.IsDefined() && !d.IsNull() && r_.expect_scalar(d, "date")) {
                a.date = parse_date(d.Scalar());
                if (!a.date) r_.error(d, DiagnosticCode::malformed_date, path + ".date must be a date YYYY-MM-DD");
                c_.places[CasePath::assessment_date(a.instrument)] = r_.at(d);
            }
            cells(v["ratings"], path + ".ratings", a.ratings, CasePath::Part::rating, a.instrument);
            cells(v["scores"], path + ".scores", a.scores, CasePath::Part::score, a.instrument);
            c_.assessments.push_back(std::move(a));
        }
    }

private:
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
               CasePath::Part part, const std::string& instrument) {
        if (!n.IsDefined() || n.IsNull() || !r_.expect_map(n, what)) return;
        for (auto it = n.begin(); it != n.end(); ++it) {
            if (!name_ok(it->first, "a name")) continue;
            const std::string name = it->first.Scalar();
            if (out.count(name)) {
                duplicate(it->first, what + "." + name);
                continue;
            }
            const YAML::Node v = it->second;
            c_.places[CasePath{part, instrument, 0, name}] = r_.at(v.IsNull() ? it->first : v);
            if (v.IsNull())
                out[name] = "";
            else if (r_.expect_scalar(v, what + "." + name))
                out[name] = v.Scalar();
        }
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
        r.check_keys(n, {"case", "as_of", "facts", "assessments", "description"}, "a case");
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
