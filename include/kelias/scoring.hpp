#pragma once
/// \file scoring.hpp
/// Scoring assessments, one or a million at a time, and explaining any result.
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>
#include <kelias/ratings.hpp>

namespace kelias {

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
    std::string_view check;    ///< the check id
    std::string_view item;     ///< the item it fired on, for per-item checks (else empty)
    Severity severity = Severity::warning;
    std::string_view message;  ///< English message from the definition
};

struct ScoreOptions {
    /// Worker threads for large batches; 0 = one per core.
    unsigned threads = 0;
    /// Also run the instrument's checks.
    bool run_checks = true;
};

/// The scores of a batch, by column: one column per score in the definition's order
/// (hidden scores included), and a state per cell (value or unknown).
class ScoreBatch {
public:
    std::size_t rows() const noexcept { return static_cast<std::size_t>(values_.rows()); }
    std::size_t scores() const noexcept { return static_cast<std::size_t>(values_.cols()); }
    /// `id@version` and hash of the instrument that produced these results.
    const std::string& instrument_key() const noexcept { return key_; }
    const std::string& instrument_hash() const noexcept { return hash_; }

    bool known(std::size_t row, std::size_t score) const noexcept {
        return states_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(score)) == 0;
    }
    /// The raw number (dates as days, booleans 0/1, categories as internal codes).
    double raw(std::size_t row, std::size_t score) const noexcept {
        return values_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(score));
    }
    Value value(std::size_t row, std::size_t score) const;
    /// The cell as text: shortest round-trip numbers, `true`/`false`, codes, dates; empty if unknown.
    std::string text(std::size_t row, std::size_t score) const;
    /// Appends text(row, score) to `out` without allocating a temporary.
    void append_text(std::string& out, std::size_t row, std::size_t score) const;

    const Eigen::MatrixXd& values() const noexcept { return values_; }
    const Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic>& states() const noexcept { return states_; }
    /// Checks that fired, in row order.
    const std::vector<CheckFinding>& findings() const noexcept { return findings_; }
    /// True when a check of severity error fired for the row.
    bool rejected(std::size_t row) const noexcept;

private:
    friend ScoreBatch score_batch(const Instrument&, const RatingsBatch&, const ScoreOptions&);
    Instrument instrument_;
    std::string key_, hash_;
    Eigen::MatrixXd values_;
    Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic> states_;
    std::vector<CheckFinding> findings_;
    std::vector<std::uint8_t> rejected_;
    explicit ScoreBatch(const Instrument& i) : instrument_(i) {}
};

/// Scores every row of `batch`. The batch's instrument must be `instrument`.
/// Rows are independent; large batches are split into blocks scored in parallel.
ScoreBatch score_batch(const Instrument& instrument, const RatingsBatch& batch,
                       const ScoreOptions& options = {});

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
    const Value* find(std::string_view score_id) const;
};

/// Scores one assessment (a batch of one). Cells that name no field, or hold text
/// that is not valid for their field, are reported as diagnostics.
Result<AssessmentScores> score(const Instrument& instrument, const Assessment& assessment);

/// How one value was reached: the expression, its value and how it was obtained.
struct Explanation {
    std::string what;       ///< `strength_total = sum(strength)`, an input column, a table...
    std::string value;      ///< the value as text (`unknown` when unknown)
    std::vector<std::string> notes;  ///< policy, counts, which table row applied
    std::vector<Explanation> children;
};

/// Explains score `score_id` for row `row`: inputs used, sub-results, the table row or
/// band that applied, how omitted inputs were handled.
Result<Explanation> explain(const Instrument& instrument, const RatingsBatch& batch,
                            std::size_t row, std::string_view score_id);

/// Indented text, one node per line.
std::string to_text(const Explanation& e);
/// A JSON object `{"what":..., "value":..., "notes":[...], "children":[...]}`.
std::string to_json(const Explanation& e);

}  // namespace kelias
