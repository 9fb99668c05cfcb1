#pragma once
/// \file ratings.hpp
/// A columnar table of assessments: one column per instrument field, one row per assessment.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include <kelias/date.hpp>
#include <kelias/instrument.hpp>

namespace kelias {

namespace detail {
struct RatingsBatchAccess;
}

/// The three states of every field: a value, not applicable, or omitted (unknown).
enum class CellState : std::uint8_t { value = 0, na = 1, omitted = 2 };

using StateMatrix = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic>;

/// The outcome of reading one cell of text.
struct ParsedCell {
    CellState state = CellState::omitted;
    double value = 0;
    const char* error = nullptr;  ///< a static reason when the text is not valid for the field
};

/// Reads the text of one cell for field `field`: a number or code on the field's scale,
/// `true`/`false`, an ISO date, `na`, and empty or `omitted` for omitted.
ParsedCell parse_cell(const Instrument& instrument, std::size_t field, std::string_view text) noexcept;

/// Assessments stored by column. Every cell starts omitted.
///
/// **Example**:
/// ```
/// kelias::RatingsBatch batch(start_av, 2);
/// batch.id(0) = "Y0001";
/// batch.set_text(0, *start_av.find_field("coping.strength"), "2");
/// batch.set_na(1, *start_av.find_field("medication_adherence.strength"));
/// ```
class RatingsBatch {
public:
    RatingsBatch(const Instrument& instrument, std::size_t rows);

    std::size_t rows() const noexcept { return ids_.size(); }
    std::size_t columns() const noexcept { return static_cast<std::size_t>(values_.cols()); }
    const Instrument& instrument() const noexcept { return instrument_; }

    std::string& id(std::size_t row) { return ids_[row]; }
    const std::string& id(std::size_t row) const { return ids_[row]; }

    void set_value(std::size_t row, std::size_t field, double v) noexcept;
    void set_na(std::size_t row, std::size_t field) noexcept;
    void set_omitted(std::size_t row, std::size_t field) noexcept;
    /// Parses and stores a cell; returns the reason when the text is invalid (the cell
    /// is then left omitted).
    const char* set_text(std::size_t row, std::size_t field, std::string_view text) noexcept;
    /// The assessment date of a row (`as_of` in expressions).
    void set_as_of(std::size_t row, std::optional<Date> d);
    std::optional<Date> as_of(std::size_t row) const;

    CellState state(std::size_t row, std::size_t field) const noexcept {
        return static_cast<CellState>(states_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(field)));
    }
    double value(std::size_t row, std::size_t field) const noexcept {
        return values_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(field));
    }
    /// The text of a cell as it would be written back (codes for categories, `na`, empty).
    std::string text(std::size_t row, std::size_t field) const;

    /// Column-major storage: column j holds field j for every row.
    const Eigen::MatrixXd& values() const noexcept { return values_; }
    const StateMatrix& states() const noexcept { return states_; }
    const Eigen::ArrayXd& as_of_days() const noexcept { return as_of_; }
    const Eigen::Array<std::uint8_t, Eigen::Dynamic, 1>& as_of_states() const noexcept { return as_of_state_; }

    /// Drops all rows but keeps the columns (for reuse across chunks).
    void resize(std::size_t rows);

private:
    friend struct detail::RatingsBatchAccess;  // bulk column copies inside the library
    Instrument instrument_;
    std::vector<std::string> ids_;
    Eigen::MatrixXd values_;
    StateMatrix states_;
    Eigen::ArrayXd as_of_;
    Eigen::Array<std::uint8_t, Eigen::Dynamic, 1> as_of_state_;
};

}  // namespace kelias
