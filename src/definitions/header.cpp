// The header of a definition (format version, id, version, title), its scales and domains.
#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "base/content_hash.hpp"
#include "base/text.hpp"
#include "definitions/definition_reader.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

std::optional<std::string> read_definition_text(const std::filesystem::path& path, std::vector<Diagnostic>& out) {
    std::error_code ec;
    const Location where{path.string(), 0, 0};
    if (std::filesystem::is_directory(path, ec)) {
        out.push_back({Severity::error, DiagnosticCode::unreadable_file, "cannot read the file: it is a folder",
                       "check the path", where});
        return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        out.push_back({Severity::error, DiagnosticCode::unreadable_file, "cannot read the file",
                       "check the path and permissions", where});
        return std::nullopt;
    }
    std::string text;
    char buffer[65536];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        text.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (text.size() > max_definition_bytes) {
            out.push_back({Severity::error, DiagnosticCode::unreadable_file,
                           "cannot read the file: larger than " + std::to_string(max_definition_bytes >> 20) + " MiB",
                           "definitions are small text files; check that this is the right file", where});
            return std::nullopt;
        }
    }
    return text;
}

bool is_reserved_name(std::string_view id) {
    static const std::vector<std::string> words = [] {
        std::vector<std::string> w = {"and", "or", "not", "in", "true", "false", "as_of", "date", "params"};
        const auto& functions = function_names();
        w.insert(w.end(), functions.begin(), functions.end());
        return w;
    }();
    return std::find(words.begin(), words.end(), id) != words.end();
}

DefinitionReader::DefinitionReader(Model& model, YamlReader& yaml, std::vector<Diagnostic>& out)
    : m_(model), r_(yaml), out_(out) {
    m_.file = r_.file();
}

void DefinitionReader::read_header(const YAML::Node& n, const char* what, const char* noun) {
    if (auto v = r_.required(n, "kelias", what)) {
        if (!v->IsScalar() || v->Scalar() != "1")
            r_.error(*v, DiagnosticCode::format_version,
                     "unsupported format version '" + (v->IsScalar() ? for_message(v->Scalar()) : std::string("?")) +
                         "'",
                     "this kelias reads 'kelias: 1'");
    }
    if (auto v = r_.required(n, "id", what))
        if (auto id = r_.id(*v, std::string(noun) + " id")) m_.id = *id;
    if (auto v = r_.required(n, "version", what))
        if (auto t = r_.text(*v, "version")) m_.version = *t;
    if (auto v = r_.required(n, "title", what)) m_.title = english(r_.labels(*v, "title"), m_.id);
    if (n["description"].IsDefined()) r_.labels(n["description"], "description");
    if (n["source"].IsDefined())
        if (auto t = r_.text(n["source"], "source")) m_.source = *t;
    if (n["licence"].IsDefined())
        if (auto t = r_.text(n["licence"], "licence")) m_.licence = *t;
}

bool DefinitionReader::unique_scale_id(const std::string& id, const YAML::Node& where) {
    if (!m_.scale_index.count(id)) return true;
    r_.error(where, DiagnosticCode::duplicate_id, "scale '" + id + "' is defined twice");
    return false;
}

void DefinitionReader::read_scales(const YAML::Node& n) {
    if (!n.IsDefined() || !r_.expect_map(n, "scales")) return;
    for (auto it = n.begin(); it != n.end(); ++it) {
        auto id = r_.id(it->first, "scale id");
        if (!id || !r_.expect_map(it->second, "scale '" + *id + "'")) continue;
        YAML::Node s = it->second;  // a copy: it-> goes through a temporary proxy
        r_.check_keys(s, {"values", "ordered", "labels", "label", "description", "labels_confidence"},
                      "scale '" + *id + "'");
        Scale scale;
        scale.id = *id;
        scale.where = r_.at(it->first);
        auto values = r_.required(s, "values", "scale '" + *id + "'");
        if (!values) continue;
        if (!values->IsMap() && !r_.expect_list(*values, "values")) continue;
        if (values->size() == 0) {
            r_.error(*values, DiagnosticCode::invalid_scale, "scale '" + *id + "' has no values");
            continue;
        }
        // `values` is a list (numbers or codes), or a map of codes to the numbers they carry.
        const bool with_values = values->IsMap();
        int numbers = 0;
        std::unordered_map<std::string, std::string> folded;  // codes by their lower-case form
        for (auto v = values->begin(); v != values->end(); ++v) {
            const YAML::Node code_node = with_values ? v->first : *v;
            if (!r_.expect_scalar(code_node, "a scale value")) continue;
            double x;
            const std::string& t = code_node.Scalar();
            auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
            if (!with_values && ec == std::errc() && p == t.data() + t.size()) {
                ++numbers;
                if (std::find(scale.numbers.begin(), scale.numbers.end(), x) != scale.numbers.end())
                    r_.error(code_node, DiagnosticCode::invalid_scale,
                             "value " + t + " appears twice in scale '" + *id + "'");
                scale.numbers.push_back(x);
            } else if (is_code(t)) {
                const int code = m_.intern(t);
                if (scale.rank.count(code))
                    r_.error(code_node, DiagnosticCode::invalid_scale,
                             "code '" + t + "' appears twice in scale '" + *id + "'");
                else if ((fold_case(t) == "na" || fold_case(t) == "omitted") && fold_case(t) != t)
                    r_.error(code_node, DiagnosticCode::invalid_scale,
                             "code '" + t + "' of scale '" + *id + "' reads as '" + fold_case(t) + "' in inputs",
                             "inputs match codes regardless of case; choose another code");
                else if (auto [f, fresh] = folded.emplace(fold_case(t), t); !fresh)
                    r_.error(code_node, DiagnosticCode::invalid_scale,
                             "codes '" + f->second + "' and '" + t + "' of scale '" + *id + "' differ only by case",
                             "inputs match codes regardless of case; rename one of them");
                scale.rank[code] = static_cast<int>(scale.codes.size());
                scale.codes.push_back(code);
                if (with_values) {
                    const auto number = r_.number(v->second, "the value of code '" + t + "'");
                    scale.values.push_back(number ? *number : 0.0);
                }
            } else {
                r_.error(code_node, DiagnosticCode::invalid_scale,
                         "'" + for_message(t) + "' is neither a number nor a code",
                         with_values ? "with values, the keys are codes: letters, digits and '_', such as 'severe'"
                                     : "codes are letters, digits and '_', starting with a letter, such as "
                                       "'moderate' or 'VERY_HIGH'");
            }
        }
        if (numbers > 0 && !scale.codes.empty()) {
            r_.error(*values, DiagnosticCode::invalid_scale, "scale '" + *id + "' mixes numbers and codes",
                     "use all numbers or all codes");
            continue;
        }
        scale.numeric = numbers > 0;
        scale.ordered = scale.numeric;
        if (s["ordered"].IsDefined())
            if (auto b = r_.boolean(s["ordered"], "ordered")) scale.ordered = *b || scale.numeric;
        if (const YAML::Node& labels = s["labels"]; labels.IsDefined() && r_.expect_map(labels, "labels")) {
            for (auto l = labels.begin(); l != labels.end(); ++l) {
                if (!l->first.IsScalar() || !is_language_code(l->first.Scalar())) {
                    r_.error(l->first, DiagnosticCode::invalid_value,
                             "'" + (l->first.IsScalar() ? for_message(l->first.Scalar()) : std::string()) +
                                 "' is not a language code",
                             "use ISO 639-1 codes such as en, lt, nb");
                    continue;
                }
                if (!r_.expect_list(l->second, "labels")) continue;
                if (l->second.size() != values->size())
                    r_.error(l->second, DiagnosticCode::invalid_scale,
                             "scale '" + *id + "' has " + std::to_string(values->size()) + " values but " +
                                 std::to_string(l->second.size()) + " '" + l->first.Scalar() + "' labels",
                             "give one label per value, in the same order");
            }
        }
        if (!unique_scale_id(*id, it->first)) continue;
        m_.scale_index[*id] = static_cast<int>(m_.scales.size());
        m_.scales.push_back(std::move(scale));
    }
}

void DefinitionReader::read_domains(const YAML::Node& n) {
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
        if (std::find(m_.domains.begin(), m_.domains.end(), *id) != m_.domains.end()) {
            r_.error(idn, DiagnosticCode::duplicate_id, "domain '" + *id + "' is listed twice");
            continue;
        }
        m_.domains.push_back(*id);
    }
}

}  // namespace detail
KELIAS_END_NAMESPACE
