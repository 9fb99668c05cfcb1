#include "base/yaml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <set>
#include <sstream>
#include <unordered_map>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include "base/text.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

YamlReader::YamlReader(std::string file, std::string_view text, std::vector<Diagnostic>& out)
    : file_(std::move(file)), text_(text), out_(out) {}

namespace {

// Walks the parser's events once before the tree is built, measuring what a reader would
// walk: nesting depth, and nodes with every alias expanded.
class SizeCheck final : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(mark, anchor); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string&) override {
        leaf(mark, anchor);
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        auto it = sizes_.find(anchor);
        add(mark, it == sizes_.end() ? 1 : it->second);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(mark, anchor);
    }
    void OnSequenceEnd() override { close(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(mark, anchor);
    }
    void OnMapEnd() override { close(); }

    std::optional<std::pair<YAML::Mark, std::string>> problem;

private:
    struct Open {
        YAML::anchor_t anchor;
        std::size_t nodes_before;
    };
    void add(const YAML::Mark& mark, std::size_t n) {
        nodes_ += n;
        if (nodes_ > max_yaml_nodes && !problem)
            problem.emplace(mark, "the document has more than " + std::to_string(max_yaml_nodes) +
                                      " nodes (aliases counted each time they are used)");
    }
    void leaf(const YAML::Mark& mark, YAML::anchor_t anchor) {
        add(mark, 1);
        if (anchor) sizes_[anchor] = 1;
    }
    void open(const YAML::Mark& mark, YAML::anchor_t anchor) {
        add(mark, 1);
        open_.push_back({anchor, nodes_ - 1});
        if (static_cast<int>(open_.size()) > max_yaml_depth && !problem)
            problem.emplace(mark, "maps and lists nested more than " + std::to_string(max_yaml_depth) + " levels deep");
    }
    void close() {
        if (open_.empty()) return;
        const Open o = open_.back();
        open_.pop_back();
        if (o.anchor) sizes_[o.anchor] = std::min(nodes_ - o.nodes_before, max_yaml_nodes + 1);
    }

    std::size_t nodes_ = 0;
    std::vector<Open> open_;
    std::unordered_map<YAML::anchor_t, std::size_t> sizes_;
};

}  // namespace

namespace {

// The first C0 control character other than tab, line feed and carriage return, or DEL.
std::size_t first_control(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return i;
    }
    return s.size();
}

}  // namespace

// YAML is printable Unicode text. Stray bytes would reach names, labels and ids, and every
// JSON output would then have to change them; control characters (a NUL, say) are not
// allowed in YAML at all, though yaml-cpp reads them. Refuse both where they start.
// (yaml-cpp itself converts UTF-16 and UTF-32 marked by a byte-order mark.)
bool YamlReader::check_text() {
    if (text_.starts_with("\xFE\xFF") || text_.starts_with("\xFF\xFE") ||
        text_.starts_with(std::string_view("\0\0\xFE\xFF", 4)))
        return true;
    const std::size_t not_utf8 = first_invalid_utf8(text_);
    // Only the well-formed part is searched: the first problem is the one reported.
    const std::size_t control = first_control(text_.substr(0, not_utf8));
    const bool is_control = control < not_utf8;
    const std::size_t bad = is_control ? control : not_utf8;
    if (bad == text_.size()) return true;
    const std::string_view before = text_.substr(0, bad);
    const std::size_t newline = before.rfind('\n');
    const std::size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
    const auto line = 1 + std::count(before.begin(), before.end(), '\n');
    const Location where{file_, static_cast<int>(line), static_cast<int>(bad - line_start + 1)};
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(text_[bad])));
    if (is_control)
        error(where, DiagnosticCode::yaml_syntax, std::string("a control character (") + byte + ") in the text",
              "YAML allows none but tab and line breaks; write it escaped in a double-quoted string if it is meant");
    else
        error(where, DiagnosticCode::yaml_syntax,
              std::string("the text is not UTF-8: byte ") + byte + " starts no character",
              "save the file as UTF-8 (an editor may have used a legacy code page such as Windows-1257)");
    return false;
}

std::optional<YAML::Node> YamlReader::parse() {
    if (!check_text()) return std::nullopt;
    try {
        const std::string text(text_);
        {
            std::istringstream stream(text);
            YAML::Parser parser(stream);
            SizeCheck check;
            parser.HandleNextDocument(check);
            if (check.problem) {
                error(Location{file_, check.problem->first.line + 1, check.problem->first.column + 1},
                      DiagnosticCode::limit_exceeded, check.problem->second,
                      "split the definition or remove the deep nesting");
                return std::nullopt;
            }
        }
        YAML::Node root = YAML::Load(text);
        if (!root.IsDefined() || root.IsNull()) {
            error(Location{file_, 1, 1}, DiagnosticCode::wrong_node_type,
                  "the file holds no YAML document (it is empty)", "a definition starts with 'kelias: 1'");
            return std::nullopt;
        }
        return root;
    } catch (const YAML::Exception& e) {
        error(Location{file_, e.mark.line + 1, e.mark.column + 1}, DiagnosticCode::yaml_syntax,
              "YAML syntax error: " + e.msg, "check indentation, colons and quotes near this place");
        return std::nullopt;
    }
}

Location YamlReader::at(const YAML::Node& n) const {
    const YAML::Mark m = n.Mark();
    if (m.line < 0) return Location{file_, 1, 1};  // nodes without a mark: the document as a whole
    return Location{file_, m.line + 1, m.column + 1};
}

Location YamlReader::at_offset(const YAML::Node& n, int offset) const {
    const YAML::Mark m = n.Mark();
    if (m.pos < 0 || !n.IsScalar() || n.Scalar().empty()) return at(n);
    // Walk the source from the scalar's start, matching the value's characters; source
    // characters that are not part of the value (quotes, line breaks, indentation) are skipped.
    const std::string& value = n.Scalar();
    std::size_t p = static_cast<std::size_t>(m.pos), i = 0;
    const std::size_t target = std::min<std::size_t>(static_cast<std::size_t>(std::max(offset, 0)), value.size());
    const char style = p < text_.size() ? text_[p] : ' ';
    if (style == '|' || style == '>') {
        // A block scalar's content starts on the line after its header, which may hold
        // indicators (|-, >2) and a comment whose characters must not be matched.
        while (p < text_.size() && text_[p] != '\n') ++p;
    } else if (style == '"' || style == '\'') {
        ++p;  // the opening quote
    }
    while (p < text_.size() && i < target) {
        if (style == '"' && text_[p] == '\\' && p + 1 < text_.size()) {
            // An escape stands for one character (\x, \u, \U: one code point, 1-4 bytes of UTF-8);
            // an escaped line break stands for nothing.
            const char e = text_[p + 1];
            if (e == '\n' || e == '\r') {
                p += 2;
                continue;
            }
            const std::size_t digits = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
            unsigned long code = 0;
            for (std::size_t k = 0; k < digits && p + 2 + k < text_.size(); ++k)
                code = code * 16 + static_cast<unsigned long>(
                                       std::isdigit(static_cast<unsigned char>(text_[p + 2 + k]))
                                           ? text_[p + 2 + k] - '0'
                                           : (std::tolower(static_cast<unsigned char>(text_[p + 2 + k])) - 'a' + 10));
            i += digits == 0 || code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
            p += 2 + digits;
            continue;
        }
        if (style == '\'' && text_[p] == '\'' && p + 1 < text_.size() && text_[p + 1] == '\'') {
            ++i;  // '' stands for one quote
            p += 2;
            continue;
        }
        if (text_[p] == value[i]) ++i;
        ++p;
    }
    // Step over what separates the previous character from the token (a folded or escaped
    // line break and the next line's indentation).
    while (p < text_.size() && i < value.size() && text_[p] != value[i]) {
        if (style == '"' && text_[p] == '\\' && p + 1 < text_.size() &&
            (text_[p + 1] == '\n' || text_[p + 1] == '\r')) {
            p += 2;
            continue;
        }
        if (text_[p] != ' ' && text_[p] != '\t' && text_[p] != '\n' && text_[p] != '\r') break;
        ++p;
    }
    int line = 1, col = 1;
    for (std::size_t k = 0; k < p && k < text_.size(); ++k) {
        if (text_[k] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return Location{file_, line, col};
}

void YamlReader::error(const YAML::Node& n, DiagnosticCode code, std::string message, std::string hint) {
    error(at(n), std::move(code), std::move(message), std::move(hint));
}

void YamlReader::error(Location where, DiagnosticCode code, std::string message, std::string hint) {
    out_.push_back({Severity::error, code, std::move(message), std::move(hint), std::move(where)});
}

void YamlReader::warning(const YAML::Node& n, DiagnosticCode code, std::string message, std::string hint) {
    out_.push_back({Severity::warning, code, std::move(message), std::move(hint), at(n)});
}

namespace {
std::string kind_of(const YAML::Node& n) {
    if (n.IsMap()) return "a map";
    if (n.IsSequence()) return "a list";
    if (n.IsNull()) return "nothing";
    return "'" + for_message(n.Scalar()) + "'";
}
}  // namespace

std::size_t YamlReader::error_count() const {
    return static_cast<std::size_t>(
        std::count_if(out_.begin(), out_.end(), [](const Diagnostic& d) { return d.severity == Severity::error; }));
}

bool YamlReader::expect_map(const YAML::Node& n, std::string_view what) {
    if (n.IsMap()) return true;
    error(n, DiagnosticCode::wrong_node_type, std::string(what) + " must be a map (key: value), not " + kind_of(n));
    return false;
}

bool YamlReader::expect_list(const YAML::Node& n, std::string_view what) {
    if (n.IsSequence()) return true;
    error(n, DiagnosticCode::wrong_node_type, std::string(what) + " must be a list, not " + kind_of(n),
          "write a YAML list: [a, b] or lines starting with '- '");
    return false;
}

bool YamlReader::expect_scalar(const YAML::Node& n, std::string_view what) {
    if (n.IsScalar()) return true;
    error(n, DiagnosticCode::wrong_node_type, std::string(what) + " must be a single value, not " + kind_of(n));
    return false;
}

std::optional<std::string> YamlReader::cell_text(const YAML::Node& n, std::string_view what) {
    if (n.IsNull()) return std::string();
    if (n.IsScalar()) return n.Scalar();
    if (!n.IsSequence()) {
        error(n, DiagnosticCode::wrong_node_type,
              std::string(what) + " must be a single value or a list of codes, not " + kind_of(n));
        return std::nullopt;
    }
    std::string joined;
    for (const auto& code : n) {
        if (!code.IsScalar() || code.Scalar().empty() || code.Scalar().find('|') != std::string::npos) {
            error(code, DiagnosticCode::wrong_node_type, std::string(what) + ": each member of a list must be a code");
            return std::nullopt;
        }
        joined += (joined.empty() ? "" : "|") + code.Scalar();
    }
    return joined.empty() ? std::string("[]") : joined;
}

void YamlReader::check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed,
                            std::string_view where) {
    std::vector<std::string> names(allowed.begin(), allowed.end());
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
        if (!it->first.IsScalar()) {
            error(it->first, DiagnosticCode::wrong_node_type, "keys must be plain names");
            continue;
        }
        const std::string& key = it->first.Scalar();
        if (!seen.insert(key).second) {
            error(it->first, DiagnosticCode::duplicate_id,
                  "'" + for_message(key) + "' is given twice in " + std::string(where), "keep one of them");
            continue;
        }
        if (std::find(names.begin(), names.end(), key) == names.end()) {
            std::string hint = did_you_mean(key, names);
            if (hint.empty()) {
                hint = "allowed here:";
                for (const auto& n : names) hint += " " + n;
            }
            error(it->first, DiagnosticCode::unknown_key,
                  "unknown key '" + for_message(key) + "' in " + std::string(where), hint);
        }
    }
}

YAML::Node YamlReader::key_node(const YAML::Node& map, std::string_view key) const {
    for (auto it = map.begin(); it != map.end(); ++it)
        if (it->first.IsScalar() && it->first.Scalar() == key) return it->first;
    return map;
}

std::optional<YAML::Node> YamlReader::required(const YAML::Node& map, std::string_view key, std::string_view where) {
    YAML::Node v = map[std::string(key)];
    if (v.IsDefined()) return v;
    error(map, DiagnosticCode::missing_key, std::string(where) + " needs '" + std::string(key) + "'");
    return std::nullopt;
}

bool is_language_code(std::string_view s) {
    return (s.size() == 2 || (s.size() == 5 && s[2] == '-')) &&
           std::all_of(s.begin(), s.begin() + 2, [](char c) { return c >= 'a' && c <= 'z'; });
}

bool is_identifier(std::string_view s) {
    if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

bool is_code(std::string_view s) {
    auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    if (s.empty() || !letter(s[0])) return false;
    return std::all_of(s.begin(), s.end(), [&](char c) { return letter(c) || (c >= '0' && c <= '9') || c == '_'; });
}

std::string fold_case(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::optional<std::string> YamlReader::id(const YAML::Node& n, std::string_view what) {
    if (!expect_scalar(n, what)) return std::nullopt;
    const std::string& s = n.Scalar();
    if (is_identifier(s)) return s;
    std::string fixed;
    for (char c : s)
        fixed += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a')
                                        : (std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
    error(n, DiagnosticCode::invalid_value, "'" + for_message(s) + "' is not a valid " + std::string(what),
          "ids are lower-case letters, digits and '_', starting with a letter" +
              (is_identifier(fixed) ? ", e.g. '" + fixed + "'" : std::string()));
    return std::nullopt;
}

std::optional<double> YamlReader::number(const YAML::Node& n, std::string_view what) {
    if (!expect_scalar(n, what)) return std::nullopt;
    const std::string& s = n.Scalar();
    double v;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size()) return v;
    error(n, DiagnosticCode::invalid_value, std::string(what) + " must be a number, not '" + for_message(s) + "'");
    return std::nullopt;
}

std::optional<bool> YamlReader::boolean(const YAML::Node& n, std::string_view what) {
    if (!expect_scalar(n, what)) return std::nullopt;
    const std::string& s = n.Scalar();
    if (s == "true") return true;
    if (s == "false") return false;
    error(n, DiagnosticCode::invalid_value, std::string(what) + " must be true or false, not '" + for_message(s) + "'");
    return std::nullopt;
}

std::optional<std::string> YamlReader::text(const YAML::Node& n, std::string_view what) {
    if (!expect_scalar(n, what)) return std::nullopt;
    return n.Scalar();
}

Labels YamlReader::labels(const YAML::Node& n, std::string_view what) {
    Labels out;
    if (n.IsScalar()) {
        out.emplace_back("en", n.Scalar());
        return out;
    }
    if (!n.IsMap()) {
        error(n, DiagnosticCode::wrong_node_type,
              std::string(what) + " must be text or a map of languages, e.g. {en: ..., lt: ...}");
        return out;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
        const std::string lang = it->first.IsScalar() ? it->first.Scalar() : "";
        if (!is_language_code(lang)) {
            error(it->first, DiagnosticCode::invalid_value, "'" + for_message(lang) + "' is not a language code",
                  "use ISO 639-1 codes such as en, lt, nb");
            continue;
        }
        if (!it->second.IsScalar()) {
            error(it->second, DiagnosticCode::wrong_node_type, std::string(what) + " in '" + lang + "' must be text");
            continue;
        }
        out.emplace_back(lang, it->second.Scalar());
    }
    return out;
}

Diagnostic unexpected_structure(const YAML::Exception& e, std::string_view file_name) {
    return {Severity::error,
            DiagnosticCode::wrong_node_type,
            "unexpected YAML structure: " + e.msg,
            {},
            Location{std::string(file_name), e.mark.line + 1, e.mark.column + 1}};
}

LocalText local_text(const Labels& labels, const std::string& fallback) {
    LocalText out;
    out.en = english(labels, fallback);
    for (const auto& [language, text] : labels)
        if (language == "lt") out.lt = text;
    return out;
}

std::string english(const Labels& labels, const std::string& fallback) {
    for (const auto& [lang, text] : labels)
        if (lang == "en") return text;
    return labels.empty() ? fallback : labels.front().second;
}

}  // namespace detail
KELIAS_END_NAMESPACE
