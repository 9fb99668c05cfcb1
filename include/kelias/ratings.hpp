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
        return {values_.data() + field * rows_, rows_};
    }
    /// The states of field `field` for every row.
    std::span<const CellState> column_states(std::size_t field) const noexcept {
        return {states_.data() + field * rows_, rows_};
    }

    /// Drops all rows and makes `rows` new, omitted ones (reused across chunks).
    void resize(std::size_t rows);

private:
    friend struct detail::RatingsBatchAccess;  // the library's readers and evaluator
    std::size_t at(std::size_t row, std::size_t field) const noexcept { return field * rows_ + row; }

    Instrument instrument_;
    std::size_t rows_ = 0, columns_ = 0;
    std::vector<std::string> ids_;
    std::vector<double> values_;  // column-major: field * rows + row
    std::vector<CellState> states_;
    std::vector<double> as_of_days_;
    std::vector<CellState> as_of_states_;
};

KELIAS_END_NAMESPACE
