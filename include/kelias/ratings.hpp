#pragma once
/// \file ratings.hpp
/// A columnar table of assessments: one column per instrument field, one row per assessment.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/cell.hpp>
#include <kelias/date.hpp>
#include <kelias/instrument.hpp>

KELIAS_BEGIN_NAMESPACE

namespace detail {
struct RatingsBatchAccess;
}

/// Assessments stored by column. Every cell starts omitted.
///
/// **Example**:
/// ```
/// kelias::RatingsBatch batch(start_av, 2);
/// batch.id(0) = "Y0001";
/// batch.set_text(0, *start_av.find_field("coping.strength"), "2");
/// batch.set_na(1, *start_av.find_field("medication_adherence.strength"));
/// ```
/// Row and field indexes are not checked by the setters (they are the inner loop of every
/// reader); use find_field() to get a field index and rows() to bound rows.
class RatingsBatch {
public:
    RatingsBatch(const Instrument& instrument, std::size_t rows);

    std::size_t rows() const noexcept { return rows_; }
    std::size_t columns() const noexcept { return columns_; }
    const Instrument& instrument() const noexcept { return instrument_; }

    std::string& id(std::size_t row) { return ids_[row]; }
    const std::string& id(std::size_t row) const { return ids_[row]; }

    void set_value(std::size_t row, std::size_t field, double v) noexcept {
        values_[at(row, field)] = v;
        states_[at(row, field)] = CellState::value;
    }
    void set_na(std::size_t row, std::size_t field) noexcept {
        values_[at(row, field)] = 0;
        states_[at(row, field)] = CellState::na;
    }
    void set_omitted(std::size_t row, std::size_t field) noexcept {
        values_[at(row, field)] = 0;
        states_[at(row, field)] = CellState::omitted;
    }
    /// Parses and stores a cell; returns the reason when the text is invalid (the cell is
    /// then left omitted).
    const char* set_text(std::size_t row, std::size_t field, std::string_view text) noexcept;
    /// The assessment date of a row (`as_of` in expressions).
    void set_as_of(std::size_t row, std::optional<Date> d) noexcept;
    std::optional<Date> as_of(std::size_t row) const noexcept;

    CellState state(std::size_t row, std::size_t field) const noexcept { return states_[at(row, field)]; }
    double value(std::size_t row, std::size_t field) const noexcept { return values_[at(row, field)]; }
    /// The text of a cell as it would be written back (codes for categories, `na`, empty).
    std::string text(std::size_t row, std::size_t field) const;

    /// The values of field `field` for every row (0 where the state is not `value`).
    std::span<const double> column_values(std::size_t field) const noexcept {
        return {values_.data() + field * stride_, rows_};
    }
    /// The states of field `field` for every row.
    std::span<const CellState> column_states(std::size_t field) const noexcept {
        return {states_.data() + field * stride_, rows_};
    }

    /// Drops all rows and makes `rows` new, omitted ones (reused across chunks).
    void resize(std::size_t rows);

private:
    friend struct detail::RatingsBatchAccess;  // the library's readers and evaluator
    std::size_t at(std::size_t row, std::size_t field) const noexcept { return field * stride_ + row; }
    /// Rows rounded up to an odd multiple of 8: with a power of two (chunks of 16,384 rows)
    /// every column would start in the same cache set, and writing a row (one cell in each
    /// of ~120 columns) would evict its own lines.
    static std::size_t stride_for(std::size_t rows) noexcept { return ((rows + 7) / 8 | 1) * 8; }

    Instrument instrument_;
    std::size_t rows_ = 0, columns_ = 0, stride_ = 0;
    std::vector<std::string> ids_;
    std::vector<double> values_;  // column-major: field * stride + row
    std::vector<CellState> states_;
    std::vector<double> as_of_days_;
    std::vector<CellState> as_of_states_;
};

/// One input column given in place: the numbers of field `field` for every row of a
/// RatingsColumns, read where they lie and never copied. The numbers are those the library
/// stores (RatingsBatch::value): ratings, integers and numbers as they are, booleans 0/1,
/// dates as days since 1970-01-01, durations as a duration column, codes of coded fields as
/// parse_cell() gives them. Both pointers must stay valid for the call that reads them.
struct ColumnView {
    std::size_t field = 0;              ///< the field index (Instrument::find_field)
    const double* values = nullptr;     ///< RatingsColumns::rows numbers; nullptr: every cell omitted
    const CellState* states = nullptr;  ///< per row; nullptr: NaN is omitted, any other number a value
};

/// Assessments given as borrowed columns (NumPy buffers, Arrow arrays, another program's
/// memory) instead of a RatingsBatch: score_batch() reads the numbers in place, in blocks,
/// and allocates nothing in proportion to the input besides its results.
///
/// **Example**:
/// ```
/// std::vector<double> coping = {2, NAN, 1};          // NAN: omitted
/// kelias::RatingsColumns in{.rows = 3,
///                           .columns = {{.field = *start_av.find_field("coping.strength"),
///                                        .values = coping.data()}}};
/// if (auto bad = kelias::check_columns(start_av, in); !bad.empty()) { /* reject rows */ }
/// kelias::ScoreBatch scores = kelias::score_batch(start_av, in, {.threads = 1});
/// ```
/// Fields without a column are omitted for every row; a field given twice is E501.
struct RatingsColumns {
    std::size_t rows = 0;
    std::vector<ColumnView> columns = {};
    /// Per row, the assessment date in days (`as_of` in expressions); NaN or nullptr:
    /// `as_of` below.
    const double* as_of_days = nullptr;
    /// The assessment date of rows that give none.
    std::optional<Date> as_of = {};
};

/// One cell of a RatingsColumns that does not fit its field.
struct ColumnProblem {
    std::size_t row = 0;
    std::size_t field = 0;
    const char* reason = "";  ///< a static text, as ParsedCell::error
};

/// Checks every cell with a value against its field (the field's scale, range, whole
/// numbers, booleans 0/1, `na` only where allowed, finite numbers) and every as_of day;
/// returns the problems in row order (empty when all fit). A field index out of range or
/// given twice is a problem of row 0 with that field.
std::vector<ColumnProblem> check_columns(const Instrument& instrument, const RatingsColumns& columns);

/// Reads the number `value` for field `field` as RatingsBatch::set_value would store it:
/// nullptr when it fits the field, else the reason (as parse_cell()).
const char* check_value(const Instrument& instrument, std::size_t field, double value) noexcept;

KELIAS_END_NAMESPACE
