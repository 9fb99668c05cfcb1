#pragma once
// Runs compiled expressions over a block of rows at once (columns of Eigen arrays).
#include <cstdint>
#include <unordered_map>
#include <vector>

#include <Eigen/Core>

#include <kelias/ratings.hpp>
#include <kelias/scoring.hpp>

#include "model/model.hpp"

namespace kelias::detail {

using StateArray = Eigen::Array<std::uint8_t, Eigen::Dynamic, 1>;

/// State codes in columns: the CellState values, with `omitted` doubling as "unknown".
constexpr std::uint8_t known_state = 0, na_state = 1, unknown_state = 2;

/// Whole columns of a RatingsBatch, for bulk copies.
struct RatingsBatchAccess {
    static double* values(RatingsBatch& b, Eigen::Index column) { return b.values_.col(column).data(); }
    static std::uint8_t* states(RatingsBatch& b, Eigen::Index column) { return b.states_.col(column).data(); }
};

/// The input columns a block reads, in place: a RatingsBatch's, or a CaseBatch's storage.
struct InputColumns {
    std::vector<const double*> values;         // per column, from row 0
    std::vector<const std::uint8_t*> states;
    const double* as_of = nullptr;             // days, per row
    const std::uint8_t* as_of_state = nullptr;
    Eigen::Index rows = 0;
};
InputColumns input_columns(const RatingsBatch& batch);

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

/// The records of one list fact for every row of a batch, stored by field.
struct ListStore {
    std::vector<Eigen::Index> offsets{0};  // records of row r: [offsets[r], offsets[r + 1])
    std::vector<std::uint8_t> list_state;  // per row: known_state, or unknown_state when omitted
    std::vector<std::vector<double>> values;         // per field, per record
    std::vector<std::vector<std::uint8_t>> states;   // per field, per record
    std::vector<Eigen::Index> record_row;            // the row each record belongs to
};

/// The rows [begin, begin + n) of a batch, and the scores computed so far for them.
/// Inside a list aggregate, a block covers records instead: `parent` is the row block and
/// `list` the list fact; names from outside the record are read from the parent.
struct Block {
    const InstrumentData* data = nullptr;
    const InputColumns* in = nullptr;
    Eigen::Index begin = 0, n = 0;
    const std::vector<Column>* scores = nullptr;
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

/// Every score of every row, by column, and the checks that fired.
struct ScoredColumns {
    Eigen::MatrixXd values;
    Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic> states;
    std::vector<CheckFinding> findings;
};

/// Scores a batch in blocks spread over `threads` workers (0: one per core). With `keep`,
/// only those scores are stored, in that order. With `only`, only the scores it marks are
/// computed (see scores_needed); the others stay unknown.
ScoredColumns score_columns(const InstrumentData& d, const InputColumns& in, const std::vector<ListStore>* lists,
                            unsigned threads, bool run_checks, const std::vector<int>* keep = nullptr,
                            const std::vector<char>* only = nullptr);
ScoredColumns score_columns(const InstrumentData& d, const RatingsBatch& batch, const std::vector<ListStore>* lists,
                            unsigned threads, bool run_checks, const std::vector<int>* keep = nullptr,
                            const std::vector<char>* only = nullptr);

/// Evaluates the scores of rows [begin, begin + n) in dependency order: all of them, or
/// those `only` marks.
std::vector<Column> score_block(const InstrumentData& d, const InputColumns& in, const std::vector<ListStore>* lists,
                                Eigen::Index begin, Eigen::Index n, Tracer* tracer = nullptr, const std::vector<char>* only = nullptr);

/// Marks the scores `targets` read, directly or through other scores, and the targets.
std::vector<char> scores_needed(const InstrumentData& d, const std::vector<int>& targets);

/// Counts of an aggregate's inputs for one row (explanations report them).
struct AggregateCounts {
    int known = 0, na = 0, omitted = 0;
};
AggregateCounts count_inputs(const Expr& aggregate, const RatingsBatch& batch, std::size_t row);

/// The index of the first table row matching `x`, or -1.
int match_table_row(const Table& t, double x);

/// Rounds half away from zero at `digits` decimals, tolerant of binary representation
/// (2.675 rounds to 2.68, as a person would expect).
double round_decimal(double x, int digits);

}  // namespace kelias::detail
