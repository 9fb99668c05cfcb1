#pragma once
// The compiled form of definitions: what the loaders build and the evaluator reads. An
// instrument and a rule set share one Model (input columns, tables, computed results);
// each adds what only it has (instrument_data.hpp, rule_set_data.hpp).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <kelias/cell.hpp>
#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Value types of the expression language. Categories carry their scale (-1: free codes).
enum class Kind : std::uint8_t { number, boolean, category, date, duration, list, error };

struct Type {
    Kind kind = Kind::error;
    int scale = -1;
    Kind element = Kind::error;  // for lists
    friend bool operator==(const Type&, const Type&) = default;
};

std::string type_name(const Type& t);

enum class Policy : std::uint8_t { strict, skip, prorate };

enum class Op : std::uint8_t {
    // literals and references
    constant,
    duration,
    list,
    field,
    as_of,
    result,
    table,
    aggregate,
    // operators
    neg,
    not_,
    add,
    sub,
    mul,
    div,
    eq,
    ne,
    lt,
    le,
    gt,
    ge,
    and_,
    or_,
    in,
    not_in,
    // functions
    if_,
    coalesce,
    is_known,
    is_na,
    is_omitted,
    ln,
    exp,
    logistic,
    round,
    floor,
    ceil,
    abs,
    min,
    max,
    clamp,
    years_between,
    months_between,
    days_between,
    date_fn,
    // rules
    date_at_fraction,
    add_days,
    add_months,
    fresh,
    list_aggregate,
    record_field,
    // codes of scales (scale_types.cpp)
    code_value,  // the number a code of a scale with values carries (index: the scale)
    code_rank,   // rank(x): 1 + the position of a code on its ordered scale (index: the scale)
    concat,      // a code composed of parts (composed_codes.cpp)
    // sets of codes (fields of type codes): `number` holds the mask of the codes asked for
    set_any,    // has(x, 'c'), has_any(x, [..]): some code of the mask is in the set
    set_all,    // has_all(x, [..]): every code of the mask is in the set
    set_count,  // n_codes(x): how many codes the set has
};

enum class AggregateFn : std::uint8_t { sum, count, mean, min_of, max_of, any, all, n_known, n_na, n_omitted };

/// A type-checked expression node, ready to run over columns.
struct Expr {
    Op op = Op::constant;
    Type type;
    int begin = 0, end = 0;  // byte range in the source expression text
    double number = 0;       // constants: number, bool 0/1, date days, category code
    Duration duration;
    std::vector<double> list;  // list literal elements
    int index = -1;            // field column, result, table, list; aggregate: scale whose code values it sums
    AggregateFn aggregate = AggregateFn::sum;
    std::vector<int> columns;  // aggregate inputs
    std::vector<Expr> args;
    /// concat: the values each part can take; `list` holds the composed code of every
    /// combination, the first part varying slowest.
    std::vector<std::vector<double>> part_values;
};

/// The names one alias reads (a rule set's instrument chosen by age): each member the
/// alternatives share, as an expression built by the loader that picks the alternative per
/// case; and the members only some alternatives have, with a hint for the message.
struct ChoiceNames {
    std::unordered_map<std::string, Expr> members;
    std::unordered_map<std::string, std::string> partial;
};

/// A bool constant, and references to a computed result: the parts of trees that rule sets
/// build from their condition trees (no text is parsed for them).
Expr bool_constant(bool value);
Expr result_ref(int result, Type type);

struct Scale {
    std::string id;
    bool numeric = true;
    bool ordered = true;
    std::vector<double> numbers;        // numeric scales
    std::vector<int> codes;             // coded scales: string pool ids, in order
    std::unordered_map<int, int> rank;  // pool id -> position (coded scales)
    std::vector<double> values;         // coded scales with values: the number of each code, as `codes`
    Location where;
};

struct FieldModel {
    Type type;  // number / boolean / category / date / duration
    int scale = -1;
    int entry = -1;
    // What an omitted cell counts as (`absent:`): known_state with absent_value, na_state,
    // or unknown_state (the default: it stays omitted).
    std::uint8_t absent_state = 2;
    double absent_value = 0;
};

/// A fact that holds a list of records (disciplinary penalties, prior sentences).
struct ListModel {
    std::string id;
    std::vector<std::string> field_names;
    std::vector<FieldInfo> fields;  // column = "<list>.<field>"
    std::vector<FieldModel> field_models;
    Location where;
};

struct EntryModel {
    std::unordered_map<std::string, int> field_column;  // field name -> column
    Location where;
};

struct TableRow {
    std::optional<double> equals, min, max, above, below;
    double value = 0;
    Location where, value_where;
    std::string text;  // the row as written, for explanations
};

/// One key of a keyed table (a grid): bands of a number, or the codes of a category. Each
/// band or code is a position along the key.
struct TableKey {
    std::string name;
    bool coded = false;
    std::vector<TableRow> bands;  // numeric keys; `text` holds the band's label
    std::vector<double> codes;    // coded keys: string pool ids
    Location where;
    std::size_t size() const { return coded ? codes.size() : bands.size(); }
};

struct Table {
    std::string id;
    std::string kind;
    Type input, output;
    std::vector<TableRow> rows;
    /// A keyed table (looked up by one value per key) when not empty: `rows` is then empty
    /// and `cells` holds one value per combination, the first key varying slowest.
    std::vector<TableKey> keys;
    std::vector<double> cells;
    std::vector<std::uint8_t> cell_known;  // 0: the cell is an explicit unknown
    bool has_default = false;
    std::optional<double> default_value;  // nullopt: unknown
    Location where;
};

/// What a computed result is. Instruments compute scores. Rule sets compute, per
/// programme, its condition leaves, the groups of its condition tree (all/any/not) and
/// its decision; every one is a column, so reasons read a group's value instead of
/// working it out again.
enum class ResultKind : std::uint8_t { score, condition, group, decision, placeholder };

struct Computed {
    ResultKind kind = ResultKind::score;
    Expr expr;
    Policy policy = Policy::strict;
    int max_omitted = -1;  // -1: no limit
    Location where;
    std::vector<int> depends_on;  // results read directly
    int programme = -1;           // condition, group, decision: whose
    int leaf = -1;                // condition: its index among the programme's leaves
};

/// Columns and the results computed from them.
struct Model {
    std::string id, version, title, file, hash, source, licence;

    std::vector<std::string> strings;  // interned codes and string literals
    std::unordered_map<std::string, int> string_ids;
    int intern(const std::string& s);

    std::vector<Scale> scales;
    std::unordered_map<std::string, int> scale_index;
    std::vector<std::string> domains;
    std::vector<FieldInfo> fields;
    std::vector<FieldModel> field_models;
    std::unordered_map<std::string, std::size_t> field_by_column;
    std::unordered_map<std::string, std::size_t> field_by_alias;  // `column_aliases:` -> field
    bool has_absent_defaults = false;                             // some field declares `absent:`
    std::vector<EntryInfo> entries;
    std::vector<EntryModel> entry_models;
    std::unordered_map<std::string, std::size_t> entry_by_id;
    std::vector<ListModel> lists;  // list inputs (facts of rule sets)
    std::unordered_map<std::string, int> list_index;
    std::vector<Table> tables;
    std::unordered_map<std::string, int> table_index;

    std::vector<Computed> results;
    std::vector<int> order;  // every result after the results it reads
};

/// The most codes a field of type `codes` may have: its column is a bitmask in a double,
/// which holds whole numbers up to 2^53 exactly.
inline constexpr std::size_t max_set_codes = 52;

/// The field a column name gives: its column or one of its `column_aliases`; -1 when none.
int field_for_column(const Model& m, std::string_view column) noexcept;

/// Reads one cell for a field described by `f` (a column or a list-record field).
ParsedCell parse_field_cell(const Model& m, const FieldInfo& f, int scale, std::string_view text) noexcept;

/// A stored cell as text: a value as written back (codes, dates, numbers), `na`, `omitted`.
std::string cell_text(const Model& m, const FieldInfo& f, double value, CellState state);

/// The rank of a category code on an ordered scale (-1 when not on it), or the code itself
/// for free codes.
double category_rank(const Model& m, int scale, double code);

/// The number a code of scale `scale` carries (scales with values); nullopt when it is no
/// code of the scale or the scale has no values.
std::optional<double> code_value(const Model& m, int scale, double code);

/// The code of scale `scale` at position `rank` (0-based); -1 when there is none.
double code_at_rank(const Model& m, int scale, double rank);

/// The position of `text` among the codes of `scale`, matched regardless of ASCII case
/// (inputs); -1 when it is none of them.
int find_code_ignore_case(const Model& m, int scale, std::string_view text) noexcept;

/// The text of a string-pool code held in a column; "?" when the number is no code.
const std::string& code_text(const Model& m, double code);

}  // namespace detail
KELIAS_END_NAMESPACE
