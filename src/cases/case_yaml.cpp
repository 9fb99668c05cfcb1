#include "cases/case_yaml.hpp"

#include <sstream>

namespace kelias {
namespace detail {
namespace {

bool scalar_map(const YAML::Node& n, YamlReader& r, const std::string& what, std::map<std::string, std::string>& out) {
    if (!n.IsDefined() || n.IsNull()) return true;
    if (!r.expect_map(n, what)) return false;
    bool ok = true;
    for (auto it = n.begin(); it != n.end(); ++it) {
        if (it->second.IsNull()) {
            out[it->first.Scalar()] = "";
        } else if (r.expect_scalar(it->second, what + "." + it->first.Scalar())) {
            out[it->first.Scalar()] = it->second.Scalar();
        } else {
            ok = false;
        }
    }
    return ok;
}

}  // namespace

std::optional<CaseInput> case_from_yaml(const YAML::Node& n, YamlReader& r, bool is_case_file) {
    const std::size_t errors_before = r.error_count();
    CaseInput c;
    if (is_case_file) {
        if (!r.expect_map(n, "a case")) return std::nullopt;
        r.check_keys(n, {"case", "as_of", "facts", "assessments", "description"}, "a case");
        if (n["case"].IsDefined())
            if (auto t = r.text(n["case"], "case")) c.id = *t;
    }
    if (const YAML::Node& a = n["as_of"]; a.IsDefined() && !a.IsNull() && r.expect_scalar(a, "as_of")) {
        c.as_of = parse_date(a.Scalar());
        if (!c.as_of) r.error(a, "E702", "as_of must be a date YYYY-MM-DD, not '" + a.Scalar() + "'");
    }
    if (const YAML::Node& facts = n["facts"]; facts.IsDefined() && !facts.IsNull() && r.expect_map(facts, "facts")) {
        for (auto it = facts.begin(); it != facts.end(); ++it) {
            const std::string name = it->first.Scalar();
            YAML::Node v = it->second;  // a copy: it-> goes through a temporary proxy
            if (v.IsNull()) {
                c.facts[name] = "";
            } else if (v.IsScalar()) {
                c.facts[name] = v.Scalar();
            } else if (v.IsSequence()) {
                std::vector<RecordInput> records;
                for (const auto& rec : v) {
                    RecordInput record;
                    scalar_map(rec, r, "facts." + name, record);
                    records.push_back(std::move(record));
                }
                c.lists[name] = std::move(records);
            } else {
                r.error(v, "E703", "facts." + name + " must be a value or a list of records");
            }
        }
    }
    if (const YAML::Node& as = n["assessments"]; as.IsDefined() && !as.IsNull() && r.expect_map(as, "assessments")) {
        for (auto it = as.begin(); it != as.end(); ++it) {
            AssessmentInput a;
            a.instrument = it->first.Scalar();
            YAML::Node v = it->second;  // a copy: it-> goes through a temporary proxy
            if (!r.expect_map(v, "assessments." + a.instrument)) continue;
            r.check_keys(v, {"date", "ratings", "scores", "assessor", "purpose"}, "an assessment");
            if (const YAML::Node& d = v["date"]; d.IsDefined() && !d.IsNull() && r.expect_scalar(d, "date")) {
                a.date = parse_date(d.Scalar());
                if (!a.date) r.error(d, "E702", "assessments." + a.instrument + ".date must be a date YYYY-MM-DD");
            }
            scalar_map(v["ratings"], r, "assessments." + a.instrument + ".ratings", a.ratings);
            scalar_map(v["scores"], r, "assessments." + a.instrument + ".scores", a.scores);
            c.assessments.push_back(std::move(a));
        }
    }
    if (r.error_count() > errors_before) return std::nullopt;
    return c;
}

}  // namespace detail

Result<CaseInput> parse_case(std::string_view text, std::string_view file_name) {
    std::vector<Diagnostic> diagnostics;
    detail::YamlReader r(std::string(file_name), text, diagnostics);
    try {
        auto root = r.parse();
        if (!root) return Result<CaseInput>(std::move(diagnostics));
        auto c = detail::case_from_yaml(*root, r, true);
        if (!c) return Result<CaseInput>(std::move(diagnostics));
        return Result<CaseInput>(std::move(*c), std::move(diagnostics));
    } catch (const YAML::Exception& e) {
        diagnostics.push_back(detail::unexpected_structure(e, file_name));
        return Result<CaseInput>(std::move(diagnostics));
    }
}

}  // namespace kelias
