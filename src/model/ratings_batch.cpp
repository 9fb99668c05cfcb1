#include <kelias/ratings.hpp>

#include "base/checked.hpp"
#include "model/instrument_data.hpp"

KELIAS_BEGIN_NAMESPACE

RatingsBatch::RatingsBatch(const Instrument& instrument, std::size_t rows)
    : instrument_(instrument), columns_(instrument.fields().size()) {
    resize(rows);
}

void RatingsBatch::resize(std::size_t rows) {
    rows_ = rows;
    stride_ = stride_for(rows);
    ids_.assign(rows, std::string());
    values_.assign(stride_ * columns_, 0.0);
    states_.assign(stride_ * columns_, CellState::omitted);
    as_of_days_.assign(rows, 0.0);
    as_of_states_.assign(rows, CellState::omitted);
}

const char* RatingsBatch::set_text(std::size_t row, std::size_t field, std::string_view text) noexcept {
    const ParsedCell c = parse_cell(instrument_, field, text);
    values_[at(row, field)] = c.value;
    states_[at(row, field)] = c.state;
    return c.error;
}

void RatingsBatch::set_as_of(std::size_t row, std::optional<Date> d) noexcept {
    as_of_days_[row] = d ? d->days : 0;
    as_of_states_[row] = d ? CellState::value : CellState::omitted;
}

std::optional<Date> RatingsBatch::as_of(std::size_t row) const noexcept {
    if (as_of_states_[row] != CellState::value) return std::nullopt;
    return detail::date_from_column(as_of_days_[row]);
}

std::string RatingsBatch::text(std::size_t row, std::size_t field) const {
    if (state(row, field) == CellState::omitted) return "";
    return detail::cell_text(instrument_.data(), instrument_.fields()[field], value(row, field), state(row, field));
}

KELIAS_END_NAMESPACE
