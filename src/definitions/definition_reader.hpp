#pragma once
// Reading the sections instruments and rule sets share (header, scales, domains, fields,
// tables, computed results with their ordering and compilation) into a Model, every
// problem reported with its place. The instrument and rule-set loaders own a reader each
// and use only this interface.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/yaml_reader.hpp"
#include "language/expression.hpp"
#include "model/model.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Results (scores, or a rule set's conditions, groups and decisions) one definition may
/// compute. Ordering and evaluation are iterative, so this is about time and memory, not
/// the stack.
constexpr std::size_t max_results = 10000;
/// Largest definition file read.
constexpr std::size_t max_definition_bytes = std::size_t{16} << 20;

/// Reads a definition file whole; E000 when it cannot be read (missing, a folder, no
/// permission, larger than max_definition_bytes).
std::optional<std::string> read_definition_text(const std::filesystem::path& path, std::vector<Diagnostic>& out);

/// The words of the expression language that no id may take.
bool is_reserved_name(std::string_view id);

/// A field as declared, before it becomes a column.
struct FieldSpec {
    FieldType type = FieldType::number;
    int scale = -1;
    std::vector<std::string> values;  // category codes
    std::optional<double> min, max;
    bool na = false;
    // Instrument inputs (field_inputs.cpp): `column_aliases`, `code_aliases`, `absent`.
    std::vector<YAML::Node> column_aliases;                       // each alias, where written
    std::vector<std::pair<YAML::Node, YAML::Node>> code_aliases;  // (alias, code)
    std::optional<YAML::Node> absent;                             // nullopt: none
};
using FieldSet = std::vector<std::pair<std::string, FieldSpec>>;

/// A result waiting to be ordered and compiled: parsed text, or an expression built by the
/// loader (a rule set's groups and decisions, the freshness leaves) with its dependencies.
struct PendingResult {
    int result = -1;
    YAML::Node expr_node;    // where errors in the text are reported
    std::optional<Ast> ast;  // text: compiled in order
    bool built = false;      // built: `model.results[result].expr` is ready
    bool must_be_bool = false;
    std::string bool_what;  // "condition 'c'", for the message when it is not a bool
    int scale = -1;         // a score's declared scale of codes (`scale:`), or -1
};

class DefinitionReader {
public:
    DefinitionReader(Model& model, YamlReader& yaml, std::vector<Diagnostic>& out);

    YamlReader& yaml() noexcept { return r_; }
    Model& model() noexcept { return m_; }
    bool failed() const { return has_errors(out_); }

    // ---- header, scales, domains (header.cpp) ----
    /// `kelias`, `id`, `version`, `title`, `description`, `source`, `licence`. `what` names
    /// the definition in messages ("an instrument"), `noun` its id ("instrument id").
    void read_header(const YAML::Node& root, const char* what, const char* noun);
    void read_scales(const YAML::Node& n);
    void read_domains(const YAML::Node& n);

    // ---- fields and entries (fields.cpp) ----
    std::optional<FieldSpec> read_field_spec(const YAML::Node& n, const std::string& owner_field);
    /// The keys shared by field maps and single-field items (type, scale, values, min, max, na).
    bool read_field_keys(const YAML::Node& n, const std::string& owner_field, FieldSpec& f);
    FieldSet read_field_set(const YAML::Node& n, const std::string& what);
    /// Claims an id in the definition's one namespace of names (E104 reserved, E105 taken).
    bool claim_name(const std::string& id, const YAML::Node& where, const std::string& what, bool rule_set = false);
    /// A new item, outcome, fact or instrument entry; returns its index.
    int add_entry(EntryInfo info, Location where);
    /// A column (categories get a scale of their own); returns the column index.
    int add_field(int entry, const std::string& owner, const std::string& name, const FieldSpec& f, bool single,
                  bool outcome);
    /// A column description without adding it (list fields of rule sets).
    // The unordered scale of a field declared with its own `values:`; returns its index.
    int add_own_scale(const std::string& column, const std::vector<std::string>& codes);
    std::pair<FieldInfo, FieldModel> build_field(int entry, const std::string& owner, const std::string& name,
                                                 const FieldSpec& f, bool single, bool outcome);
    /// A scale copied from another definition (an instrument a rule set reads); reused when
    /// copied before.
    int copy_scale(const Model& source, const std::string& source_id, int scale);

    // ---- instrument inputs (field_inputs.cpp) ----
    /// Lets field specs take `column_aliases`, `code_aliases` and `absent` (instruments only).
    void allow_input_keys() noexcept { input_keys_ = true; }
    bool input_keys_allowed() const noexcept { return input_keys_; }
    /// Reads those keys of a field map or single-field item into `f`.
    void read_input_keys(const YAML::Node& n, FieldSpec& f);
    /// Checks and stores them on a column just built (the codes are known by then).
    void apply_input_keys(const FieldSpec& f, FieldInfo& info, FieldModel& fm);
    /// Registers the column aliases of every field, each against every column and alias
    /// (E105 on a collision); call once all fields are added.
    void register_column_aliases();

    // ---- tables (tables.cpp) ----
    void read_tables(const YAML::Node& n);

    // ---- results (results.cpp) ----
    /// Adds a result to the model (E107 past max_results); returns its index, or -1.
    int add_result(Computed c, const YAML::Node& where);
    /// Parses the expression text of `expr_node` into `pending` (errors reported there).
    void parse(const YAML::Node& expr_node, PendingResult& pending);
    /// Orders every result after the results it reads and compiles them in that order.
    /// `depends` lists what a pending result reads (from its text or, when built, as given);
    /// `describe` names a result in cycle messages (`score 'x'`, or "" to leave it out of
    /// a cycle's path); `hint` explains a cycle.
    void order_and_compile(std::vector<PendingResult>& pending, const CompileScope& scope,
                           const std::function<std::vector<int>(const PendingResult&)>& depends,
                           const std::function<std::string(int result, bool described)>& describe,
                           const std::string& cycle_hint);
    /// The scale of codes a score declares with `scale:` (-1 when absent or reported).
    int read_result_scale(const YAML::Node& n);
    /// Reports the errors of an expression at their places inside `expr_node`.
    void report(const YAML::Node& expr_node, const std::vector<ExprError>& errors);

private:
    bool unique_scale_id(const std::string& id, const YAML::Node& where);
    /// A code as a definition writes it (`moderate`, `VERY_HIGH`, `B2`).
    std::optional<std::string> read_code(const YAML::Node& n, const std::string& what);
    std::vector<std::string> scale_and_type_names() const;
    bool set_type(FieldSpec& f, const std::string& t, const YAML::Node& where);
    std::optional<std::pair<double, bool>> table_cell(const YAML::Node& v, const std::string& what);
    void read_table_default(const YAML::Node& t, Table& table);
    /// `output: SCALE`: the table's codes must be codes of the scale, which the lookup gives.
    bool read_table_output(const YAML::Node& out, Table& table, bool numeric_values);
    // keyed tables (keyed_tables.cpp)
    bool read_keyed_table(const YAML::Node& t, Table& table);
    std::optional<TableKey> read_table_key(const YAML::Node& k, const std::string& table);
    void read_cells(const YAML::Node& n, std::size_t depth, std::size_t offset, Table& table, bool& ok, int& numbers,
                    int& codes);
    std::vector<std::string> key_labels(const TableKey& key) const;

    Model& m_;
    YamlReader& r_;
    std::vector<Diagnostic>& out_;
    std::unordered_map<std::string, Location> names_;  // claimed ids
    bool input_keys_ = false;
    std::vector<std::pair<std::size_t, YAML::Node>> pending_column_aliases_;  // (field, alias)
};

}  // namespace detail
KELIAS_END_NAMESPACE
