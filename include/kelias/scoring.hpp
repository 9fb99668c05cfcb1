#pragma once
/// \file scoring.hpp
/// Scoring assessments, one or a million at a time, and explaining any result.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>
#include <kelias/ratings.hpp>

KELIAS_BEGIN_NAMESPACE

/// One computed value, for display and tests. Unknown results have kind `unknown`.
struct Value {
    enum class Kind { unknown, number, boolean, category, date } kind = Kind::unknown;
    double number = 0;  ///< numbers, booleans (0/1) and dates (days since 1970-01-01)
    std::string text;   ///< the code, for categories
    /// `12`, `true`, `high`, `2025-01-31`, or empty for unknown.
    std::string to_string() const;
};

/// A check that fired for one assessment. The texts are views into the instrument's
/// definition: valid while any copy of the instrument lives.
struct CheckFinding {
    std::size_t row = 0;
    std::string_view check;  ///< the check id
    std::string_view item;   ///< the item it fired on, for per-item checks (else empty)
    Severity severity = Severity::warning;
    std::string_view message;  ///< English message from the definition
};

/// How score_batch() runs. Fill it with designated initializers:
/// `kelias::score_batch(start_av, batch, {.threads = 1})`.
struct ScoreOptions {
    /// Worker threads. Batches are scored in blocks of 4096 rows; with more than one block,
    /// score_batch() starts up to this many threads (0 = one per core) and waits for them.
    /// 1 scores on the calling thread and starts none.
    unsigned threads = 0;
    /// Also run the instrument's checks.
    bool run_checks = true;
};

/// The scores of a batch, by column: one column per score in the definition's order
/// (hidden scores included), and a state per cell (value, or omitted for unknown).
namespace detail {
struct ScoreBatchReuse;  // the library's readers: one ScoreBatch scored chunk after chunk
}

class ScoreBatch {
public:
    std::size_t rows() const noexcept { return rows_; }
    std::size_t scores() const noexcept { return scores_; }
    /// `id@version` and hash of the instrument that produced these results.
    const std::string& instrument_key() const noexcept { return key_; }
    const std::string& instrument_hash() const noexcept { return hash_; }

    bool known(std::size_t row, std::size_t score) const noexcept {
        return states_[score * rows_ + row] == CellState::value;
    }
    /// The raw number (dates as days, booleans 0/1, categories as internal codes).
    double raw(std::size_t row, std::size_t score) const noexcept { return values_[score * rows_ + row]; }
    Value value(std::size_t row, std::size_t score) const;
    /// The cell as text: shortest round-trip numbers, `true`/`false`, codes, dates; empty if unknown.
    std::string text(std::size_t row, std::size_t score) const;
    /// Appends text(row, score) to `out` without allocating a temporary.
    void append_text(std::string& out, std::size_t row, std::size_t score) const;

    /// Score `score` for every row (raw numbers; see known()).
    std::span<const double> column(std::size_t score) const noexcept { return {values_.data() + score * rows_, rows_}; }
    /// Which cells of column `score` are known (CellState::value) or not (omitted).
    std::span<const CellState> column_states(std::size_t score) const noexcept {
        return {states_.data() + score * rows_, rows_};
    }
    /// Checks that fired, in row order.
    const std::vector<CheckFinding>& findings() const noexcept { return findings_; }
    /// True when a check of severity error fired for the row.
    bool rejected(std::size_t row) const noexcept { return row < rejected_.size() && rejected_[row] != 0; }

private:
    friend ScoreBatch score_batch(const Instrument&, const RatingsBatch&, const ScoreOptions&);
    friend ScoreBatch score_batch(const Instrument&, const RatingsColumns&, const ScoreOptions&);
    friend struct detail::ScoreBatchReuse;
    explicit ScoreBatch(const Instrument& i) : instrument_(i) {}

    Instrument instrument_;
    std::string key_, hash_;
    std::size_t rows_ = 0, scores_ = 0;
    std::vector<double> values_;  // column-major: score * rows + row
    std::vector<CellState> states_;
    std::vector<CheckFinding> findings_;
    std::vector<std::uint8_t> rejected_;
};

/// Scores every row of `batch`, which must have been built for `instrument` (or for an
/// instrument compiled from the same text); otherwise throws kelias::Error (E505).
/// Rows are independent; see ScoreOptions::threads for how the work is spread.
ScoreBatch score_batch(const Instrument& instrument, const RatingsBatch& batch, const ScoreOptions& options = {});

/// Scores borrowed columns (see RatingsColumns): the same results as a RatingsBatch with
/// the same cells, read in place. Rows whose cells check_columns() refuses are scored as
/// given; check first and drop them. Throws kelias::Error (E501) for a field index out of
/// range or given twice.
ScoreBatch score_batch(const Instrument& instrument, const RatingsColumns& columns, const ScoreOptions& options = {});

/// One assessment given as `column → cell text` (the same cells as a CSV row).
struct Assessment {
    std::string id;
    std::optional<Date> as_of;
    std::map<std::string, std::string> cells;
};

/// The scores of one assessment, by score id (hidden scores included).
struct AssessmentScores {
    std::string instrument_key, instrument_hash;
    std::vector<std::pair<std::string, Value>> scores;
    std::vector<CheckFinding> findings;
    /// The score with this id, or nullptr.
    const Value* find(std::string_view score_id) const;
};

/// Scores one assessment (a batch of one) on the calling thread. Cells that name no field
/// (E501), or hold text that is not valid for their field (E502), are reported.
Result<AssessmentScores> score(const Instrument& instrument, const Assessment& assessment);

/// How one value was reached: the expression, its value and how it was obtained.
struct Explanation {
    std::string what;                ///< `strength_total = sum(strength)`, an input column, a table...
    std::string value;               ///< the value as text (`unknown` when unknown)
    std::vector<std::string> notes;  ///< policy, counts, which table row applied
    std::vector<Explanation> children;
};

/// Explains score `score_id` for row `row`: inputs used, sub-results, the table row or band
/// that applied, how omitted inputs were handled. Scores used by scores are expanded up to
/// 32 levels deep. E503 for an unknown score, E504 for a row outside the batch; throws
/// kelias::Error (E505) when the batch was built for another instrument.
Result<Explanation> explain(const Instrument& instrument, const RatingsBatch& batch, std::size_t row,
                            std::string_view score_id);

/// Indented text, one node per line.
std::string to_text(const Explanation& e);
/// A JSON object `{"what":..., "value":..., "notes":[...], "children":[...]}`.
std::string to_json(const Explanation& e);

KELIAS_END_NAMESPACE
