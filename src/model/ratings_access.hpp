#pragma once
// Whole columns of a RatingsBatch, for the library's readers (bulk writes) and the
// evaluator (reads in place).
#include <cstdint>

#include <kelias/ratings.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

struct RatingsBatchAccess {
    static double* values(RatingsBatch& b, std::size_t field) { return b.values_.data() + field * b.rows_; }
    static CellState* states(RatingsBatch& b, std::size_t field) { return b.states_.data() + field * b.rows_; }
    static const double* values(const RatingsBatch& b, std::size_t field) { return b.values_.data() + field * b.rows_; }
    // CellState is a byte; the evaluator reads state columns as bytes.
    static const std::uint8_t* states(const RatingsBatch& b, std::size_t field) {
        return reinterpret_cast<const std::uint8_t*>(b.states_.data() + field * b.rows_);
    }
    static const double* as_of_days(const RatingsBatch& b) { return b.as_of_days_.data(); }
    static const std::uint8_t* as_of_states(const RatingsBatch& b) {
        return reinterpret_cast<const std::uint8_t*>(b.as_of_states_.data());
    }
};

}  // namespace detail
KELIAS_END_NAMESPACE
