#pragma once
// The compiled form of an instrument: what the loader builds and the evaluator reads.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>
#include <kelias/ratings.hpp>

namespace kelias::detail {

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
    constant, duration, list, field, as_of, score, table, aggregate,
    // operators
    neg, not_, add, sub, mul, div, eq, ne, lt, le, gt, ge, and_, or_, in, not_in,
    // functions
    if_, coalesce, is_known, is_na, is_omitted, ln, exp, logistic, round, floor, ceil, abs,
    min, max, clamp, years_between, months_between, days_between, date_fn,
    // rules
    date_at_fraction, add_days, add_months, fresh, list_aggregate, record_field,
};

enum class AggregateFn : std::uint8_t { sum, count, mean, min_of, max_of, any, all, n_known, n_na, n_omitted };

/// A type-checked expression node, ready to run over columns.
struct Expr {
    Op op = Op::constant;
    Type type;
    int begin = 0, end = 0;   // byte range in the source expression text
    double number = 0;        // constants: number, bool 0/1, date days, category code
    Duration duration;
    std::vector<double> list; // list literal elements
    int index = -1;           // field column, score, table
    AggregateFn aggregate = AggregateFn::sum;
    std::vector<int> columns; // aggregate inputs
    std::vector<Expr> args;
};

/// Durations in columns: whole months and days packed into one number, so that ordering
/// the numbers orders (months, days) lexicographically.
constexpr double duration_day_span = 4096;
inline double encode_duration(const Duration& d) { return (d.years * 12 + d.months) * duration_day_span + d.days; }
inline Duration decode_duration(double v) {
    const auto months = static_cast<int>(v / duration_day_span);
    return Duration{0, months, static_cast<int>(v - months * duration_day_span)};
}

struct Scale {
    std::string id;
    bool numeric = true;
    bool ordered = true;
    std::vector<double> numbers;  // numeric scales
    std::vector<int> codes;       // coded scales: string pool ids, in order
    std::unordered_map<int, int> rank;  // pool id -> position (coded scales)
    Location where;
};

struct FieldModel {
    Type type;   // number / boolean / category / date
    int scale = -1;
    int entry = -1;
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

struct Table {
    std::string id;
    std::string kind;
    Type input, output;
    std::vector<TableRow> rows;
    bool has_default = false;
    std::optional<double> default_value;  // nullopt: unknown
    Location where;
};

struct Score {
    Expr expr;
    Policy policy = Policy::strict;
    int max_omitted = -1;  // -1: no limit
    Location where;
    std::vector<int> depends_on;
};

struct CheckModel {
    std::string id;
    Severity severity = Severity::warning;
    std::string message;
    std::vector<std::pair<int, Expr>> instances;  // (entry index or -1, condition)
};

struct TestCell {
    int column;
    std::string text;
    Location where;
};

struct TestExpect {
    int score;
    std::optional<std::string> expected;  // nullopt: unknown
    bool numeric = false;
    double number = 0;
    Location where;
};

struct TestCase {
    std::string name;
    Location where;
    std::vector<TestCell> cells;
    std::optional<Date> as_of;
    std::vector<TestExpect> expect;
    std::optional<std::vector<std::string>> expect_checks;
};

struct InstrumentData {
    std::string id, version, title, file, hash, source, licence;
    std::optional<Duration> reassess_every;

    std::vector<std::string> strings;  // interned codes and string literals
    std::unordered_map<std::string, int> string_ids;
    int intern(const std::string& s);

    std::vector<Scale> scales;
    std::unordered_map<std::string, int> scale_index;
    std::vector<std::string> domains;
    std::vector<FieldInfo> fields;
    std::vector<FieldModel> field_models;
    std::vector<EntryInfo> entries;
    std::vector<EntryModel> entry_models;
    std::vector<Table> tables;
    std::unordered_map<std::string, int> table_index;
    std::vector<ScoreInfo> score_infos;
    std::vector<Score> scores;
    std::vector<int> score_order;  // dependencies first
    std::vector<CheckModel> checks;
    std::vector<TestCase> tests;
    std::unordered_map<std::string, std::size_t> field_by_column, score_by_id, entry_by_id;

    // Rule sets only.
    std::vector<ListModel> lists;
    std::unordered_map<std::string, int> list_index;
    std::unordered_map<std::string, Expr> params;  // constants, read as params.NAME
    bool is_rules = false;
};

/// Reads one cell for a field described by `f` (a column or a list-record field).
ParsedCell parse_field_cell(const InstrumentData& d, const FieldInfo& f, int scale_index, std::string_view text) noexcept;

/// The rank of a category code on an ordered scale, or the code itself on free codes.
inline double category_rank(const InstrumentData& d, int scale, double code) {
    if (scale < 0) return code;
    auto it = d.scales[static_cast<std::size_t>(scale)].rank.find(static_cast<int>(code));
    return it == d.scales[static_cast<std::size_t>(scale)].rank.end() ? -1 : it->second;
}

}  // namespace kelias::detail
