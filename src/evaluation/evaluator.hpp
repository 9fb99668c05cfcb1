#pragma once
// Runs compiled expressions over a block of rows at once (columns of Eigen arrays). The
// one implementation of the language's semantics, three-valued logic included.
#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include <Eigen/Core>

#include <kelias/ratings.hpp>
#include <kelias/scoring.hpp>

#include "model/case_columns.hpp"
#include "model/instrument_data.hpp"
#include "model/model.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

using StateArray = Eigen::Array<std::uint8_t, Eigen::Dynamic, 1>;

/// The input columns a block reads, in place: a RatingsBatch's, or a CaseBatch's storage.
struct InputColumns {
    std::vector<const double*> values;  // per column, from row 0
    std::vector<const std::uint8_t*> states;
    const double* as_of = nullptr;  // days, per row
    const std::uint8_t* as_of_state = nullptr;
    Eigen::Index rows = 0;
    // Borrowed columns (RatingsColumns): a null `values` column is omitted throughout, a
    // null `states` column reads NaN as omitted, a null `as_of` falls back to `as_of_default`.
    // score_columns() then gives each block a local view of its rows (see block_view).
    bool borrowed = false;
    std::optional<double> as_of_default;
};
InputColumns input_columns(const RatingsBatch& batch);
InputColumns input_columns(const CaseBatch::Storage& cases);

/// One value per row of a block, with its state.
struct Column {
    Eigen::ArrayXd v;
    StateArray s;
};

/// Per-row counts over one set of aggregate inputs, shared by every aggregate over it
/// (strength_total, strength_n and strength_total_prorated read the same inputs).
struct InputStats {
    const std::vector<int>* columns = nullptr;
    Eigen::ArrayXd sum, known, na, omitted;
};

/// The rows [begin, begin + n) of a batch, and the results computed so far for them.
/// Inside a list aggregate, a block covers records instead: `parent` is the row block and
/// `list` the list fact; names from outside the record are read from the parent.
struct Block {
    const Model* model = nullptr;
    const InputColumns* in = nullptr;
    Eigen::Index begin = 0, n = 0;
    const std::vector<Column>* results = nullptr;
    std::vector<InputStats>* stats = nullptr;  // cache for this block; may be null
    const std::vector<ListStore>* lists = nullptr;
    const Block* parent = nullptr;
    int list = -1;
};

/// The omission policy of the score being evaluated (aggregates follow it).
struct PolicyContext {
    Policy policy = Policy::strict;
    int max_omitted = -1;
};

/// Records every node's column, for explanations.
struct Tracer {
    std::unordered_map<const Expr*, Column> values;
};

Column evaluate(const Expr& e, const Block& block, const PolicyContext& policy, Tracer* tracer = nullptr);

// ---- codes of scales (scale_ops.cpp) -------------------------------------------------------
/// value_of (Op::code_value) and rank_of (Op::code_rank) of a column of codes of scale
/// `e.index`: unknown where the input is, or is no code of the scale.
Column code_numbers(const Model& m, const Expr& e, Column x);
/// min / max of codes of ordered scale `scale`: the lowest / highest code by the scale's order.
Column ordered_extreme(const Model& m, int scale, bool is_min, std::vector<Column> args);
/// min_of / max_of over aggregate inputs holding codes of ordered scale `e.type.scale`: per
/// row the lowest / highest known code (NaN where none is known).
Eigen::ArrayXd ordered_extremes(const Model& m, const Expr& e, const Block& b, bool is_min);
/// The counts of an aggregate over codes of a scale with values (`e.index`), summing the
/// numbers the codes carry.
InputStats value_stats(const Model& m, const Expr& e, const Block& b);

/// Every result of every row, by column (column-major vectors, as ScoreBatch keeps them),
/// and the checks that fired.
struct ScoredColumns {
    std::size_t rows = 0, columns = 0;
    std::vector<double> values;
    std::vector<CellState> states;
    std::vector<CheckFinding> findings;
    double value(std::size_t row, std::size_t column) const { return values[column * rows + row]; }
    bool known(std::size_t row, std::size_t column) const { return states[column * rows + row] == CellState::value; }
};

/// What score_columns() computes and keeps.
struct ColumnsRequest {
    unsigned threads = 0;                             // 0: one per core
    const std::vector<int>* keep = nullptr;           // only these results are stored, in this order
    const std::vector<char>* only = nullptr;          // only these results are computed (see results_needed)
    const std::vector<CheckModel>* checks = nullptr;  // instruments: run these checks too
    const std::vector<EntryInfo>* entries = nullptr;  // ... naming their items from these
};

/// Computes a batch in blocks spread over worker threads.
ScoredColumns score_columns(const Model& m, const InputColumns& in, const std::vector<ListStore>* lists,
                            const ColumnsRequest& request);
/// The same into `out`, whose vectors' memory is reused (a reader scoring chunk after chunk
/// then touches no fresh pages for the results).
void score_columns_into(ScoredColumns& out, const Model& m, const InputColumns& in, const std::vector<ListStore>* lists,
                        const ColumnsRequest& request);

/// Evaluates the results of rows [begin, begin + n) in dependency order: all of them, or
/// those `only` marks.
std::vector<Column> score_block(const Model& m, const InputColumns& in, const std::vector<ListStore>* lists,
                                Eigen::Index begin, Eigen::Index n, Tracer* tracer = nullptr,
                                const std::vector<char>* only = nullptr);

/// Block-local copies of the columns of fields with an `absent:` default, their omitted
/// cells counted as that default (with_absent_defaults).
struct AbsentView {
    InputColumns in;
    std::vector<std::vector<double>> values;
    std::vector<std::vector<std::uint8_t>> states;
};

/// `in` itself when no field of `m` declares `absent:`. Otherwise a view of rows
/// [begin, begin + n) read from row 0, in which an omitted cell of such a field is its
/// default (a value, or na); `begin` is then set to 0. (Not for rule sets' list facts.)
const InputColumns& with_absent_defaults(const Model& m, const InputColumns& in, Eigen::Index& begin, Eigen::Index n,
                                         AbsentView& local);

/// Marks the results `targets` read, directly or through other results, and the targets.
std::vector<char> results_needed(const Model& m, const std::vector<int>& targets);

/// Counts of an aggregate's inputs for one row (explanations report them).
struct AggregateCounts {
    int known = 0, na = 0, omitted = 0;
};
/// An omitted input of a field with an `absent:` default counts as that default.
AggregateCounts count_inputs(const Model& m, const Expr& aggregate, const RatingsBatch& batch, std::size_t row);

/// The index of the first table row matching `x`, or -1.
int match_table_row(const Table& t, double x);

/// The position of `x` along one key of a keyed table (its band or code), or -1.
int match_table_key(const TableKey& key, double x);
/// The cell of a keyed table for one value per key, or -1 when a value is on no band or
/// code of its key.
long keyed_table_cell(const Table& t, const std::vector<double>& x);
/// Looks every row up in a keyed table (keyed_lookup.cpp): unknown when any key is, when
/// the cell is an explicit gap, or when a value falls in no band (then `default` if given).
Column keyed_lookup(const Table& t, const std::vector<Column>& keys);
/// The composed code of each row (concat): unknown when any part is unknown.
Column compose_codes(const Expr& e, const std::vector<Column>& parts);

/// Rounds half away from zero at `digits` decimals, tolerant of binary representation
/// (2.675 rounds to 2.68, as a person would expect).
double round_decimal(double x, int digits);

}  // namespace detail
KELIAS_END_NAMESPACE
