#pragma once
// Whole columns of a RatingsBatch, for the library's readers (bulk writes) and the
// evaluator (reads in place).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include <kelias/ratings.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

struct RatingsBatchAccess {
    /// Makes the batch `rows` long without resetting its cells: a reader that then writes
    /// or clears every cell of every row (in parallel, by slices) gets what resize() gives
    /// without one thread writing the whole chunk first.
    static void reshape(RatingsBatch& b, std::size_t rows) {
        b.rows_ = rows;
        b.stride_ = RatingsBatch::stride_for(rows);
        b.ids_.resize(rows);
        b.values_.resize(b.stride_ * b.columns_);
        b.states_.resize(b.stride_ * b.columns_);
        b.as_of_days_.resize(rows);
        b.as_of_states_.resize(rows);
    }
    /// Rows [first, first + count) without an id or an as_of, and omitted in `fields`.
    static void clear_rows(RatingsBatch& b, std::size_t first, std::size_t count, std::span<const std::size_t> fields) {
        for (std::size_t r = first; r < first + count; ++r) b.ids_[r].clear();
        for (std::size_t f : fields) {
            std::fill_n(b.values_.data() + f * b.stride_ + first, count, 0.0);
            std::fill_n(b.states_.data() + f * b.stride_ + first, count, CellState::omitted);
        }
        std::fill_n(b.as_of_days_.data() + first, count, 0.0);
        std::fill_n(b.as_of_states_.data() + first, count, CellState::omitted);
    }
    /// Every cell of row `row` omitted (its id and as_of stay).
    static void clear_cells(RatingsBatch& b, std::size_t row) {
        for (std::size_t f = 0; f < b.columns_; ++f) {
            b.values_[f * b.stride_ + row] = 0.0;
            b.states_[f * b.stride_ + row] = CellState::omitted;
        }
    }
    static double* values(RatingsBatch& b, std::size_t field) { return b.values_.data() + field * b.stride_; }
    static CellState* states(RatingsBatch& b, std::size_t field) { return b.states_.data() + field * b.stride_; }
    static const double* values(const RatingsBatch& b, std::size_t field) {
        return b.values_.data() + field * b.stride_;
    }
    // CellState is a byte; the evaluator reads state columns as bytes.
    static const std::uint8_t* states(const RatingsBatch& b, std::size_t field) {
        return reinterpret_cast<const std::uint8_t*>(b.states_.data() + field * b.stride_);
    }
    static const double* as_of_days(const RatingsBatch& b) { return b.as_of_days_.data(); }
    static const std::uint8_t* as_of_states(const RatingsBatch& b) {
        return reinterpret_cast<const std::uint8_t*>(b.as_of_states_.data());
    }
};

}  // namespace detail
KELIAS_END_NAMESPACE
