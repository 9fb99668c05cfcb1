#pragma once
// Reading YAML definitions with positions: every problem becomes a located Diagnostic.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <kelias/diagnostic.hpp>
#include <kelias/language.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Maps and lists nested in one YAML document. Readers walk documents recursively.
constexpr int max_yaml_depth = 64;
/// Nodes of one document, counting every node reached through an alias each time it is
/// reached (a "billion laughs" document is small as text, huge as a tree to walk).
constexpr std::size_t max_yaml_nodes = 1000000;

/// Labels per language, e.g. {("en", "Coping"), ("lt", "Įveika")}.
using Labels = std::vector<std::pair<std::string, std::string>>;

class YamlReader {
public:
    YamlReader(std::string file, std::string_view text, std::vector<Diagnostic>& out);

    /// Parses the text; nullopt on a syntax error, text that is not UTF-8 or a control
    /// character (E001), text over the limits below (E107), or when the text holds no
    /// document at all (E103 at 1:1).
    std::optional<YAML::Node> parse();

    Location at(const YAML::Node& n) const;
    /// The place of byte `offset` inside scalar `n` (for errors inside expressions).
    Location at_offset(const YAML::Node& n, int offset) const;

    void error(const YAML::Node& n, DiagnosticCode code, std::string message, std::string hint = {});
    void error(Location where, DiagnosticCode code, std::string message, std::string hint = {});
    void warning(const YAML::Node& n, DiagnosticCode code, std::string message, std::string hint = {});

    bool expect_map(const YAML::Node& n, std::string_view what);
    bool expect_list(const YAML::Node& n, std::string_view what);
    bool expect_scalar(const YAML::Node& n, std::string_view what);
    /// A cell as text: a single value as written, null as "", or a list of codes (a set)
    /// as `a|b`, `[]` when empty. nullopt, with the error given, for anything else.
    std::optional<std::string> cell_text(const YAML::Node& n, std::string_view what);

    /// Reports keys outside `allowed` (E101, with a hint) and repeated keys (E105).
    void check_keys(const YAML::Node& map, std::initializer_list<std::string_view> allowed, std::string_view where);
    /// The key node of `key` in `map` (for its position), or the map itself.
    YAML::Node key_node(const YAML::Node& map, std::string_view key) const;
    /// Reports E102 when `key` is missing; returns the value node.
    std::optional<YAML::Node> required(const YAML::Node& map, std::string_view key, std::string_view where);

    std::optional<std::string> id(const YAML::Node& n, std::string_view what);
    std::optional<double> number(const YAML::Node& n, std::string_view what);
    std::optional<bool> boolean(const YAML::Node& n, std::string_view what);
    std::optional<std::string> text(const YAML::Node& n, std::string_view what);
    /// A string (taken as `en`) or a map of language codes to strings.
    Labels labels(const YAML::Node& n, std::string_view what);

    const std::string& file() const { return file_; }
    /// How many errors have been reported so far (to tell whether a step added any).
    std::size_t error_count() const;

private:
    bool check_text();
    std::string file_;
    std::string_view text_;
    std::vector<Diagnostic>& out_;
};

/// The English label, or the first one, or `fallback`.
std::string english(const Labels& labels, const std::string& fallback);
/// The English (as english()) and Lithuanian labels; other languages are not printed.
LocalText local_text(const Labels& labels, const std::string& fallback = {});

/// The diagnostic for a YAML shape a reader did not foresee (yaml-cpp threw): still an
/// error at its place, never a crash.
Diagnostic unexpected_structure(const YAML::Exception& e, std::string_view file_name);

/// Runs a definition loader (`load` returns its data, nullptr on errors), turning a
/// yaml-cpp exception into unexpected_structure() in `out`; nullptr then.
template <class Load>
auto load_guarded(std::string_view file_name, std::vector<Diagnostic>& out, Load&& load) -> decltype(load()) {
    try {
        return load();
    } catch (const YAML::Exception& e) {
        out.push_back(unexpected_structure(e, file_name));
        return nullptr;
    }
}

/// True for `[a-z][a-z0-9_]*`.
bool is_identifier(std::string_view s);

/// True for a code as a manual writes it, `[A-Za-z][A-Za-z0-9_]*` (`VERY_HIGH`, `B2`, `IVa`).
bool is_code(std::string_view s);

/// `s` with ASCII letters in lower case: how codes are compared when case does not count.
std::string fold_case(std::string_view s);

/// True for an ISO 639-1 code, optionally with a region: `en`, `lt`, `pt-br`.
bool is_language_code(std::string_view s);

}  // namespace detail
KELIAS_END_NAMESPACE
