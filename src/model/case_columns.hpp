#pragma once
// The columns of a CaseBatch: what the case readers fill and the evaluator reads.
#include <cstdint>
#include <string>
#include <vector>

#include <kelias/rules.hpp>

#include "model/rule_set_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// State codes in columns: the CellState values, with `omitted` doubling as "unknown".
constexpr std::uint8_t known_state = 0, na_state = 1, unknown_state = 2;

/// The records of one list fact for every row of a batch, stored by field.
struct ListStore {
    std::vector<std::int64_t> offsets{0};           // records of row r: [offsets[r], offsets[r + 1])
    std::vector<std::uint8_t> list_state;           // per row: known_state, or unknown_state when omitted
    std::vector<std::vector<double>> values;        // per field, per record
    std::vector<std::vector<std::uint8_t>> states;  // per field, per record
    std::vector<std::int64_t> record_row;           // the row each record belongs to
};

}  // namespace detail

/// The cases of a batch by column, grown one case at a time.
struct CaseBatch::Storage {
    RuleSet rules;
    std::vector<std::string> ids;
    std::vector<double> as_of_days;  // days, and a state per row
    std::vector<std::uint8_t> as_of_states;
    std::vector<std::vector<double>> values;        // per column
    std::vector<std::vector<std::uint8_t>> states;  // per column
    std::vector<detail::ListStore> lists;
    std::vector<std::uint32_t> assessment_offsets{0};  // row r used assessed[offsets[r] .. offsets[r + 1])
    std::vector<std::uint16_t> assessed;               // indices into RuleSetData::instruments
};

namespace detail {

/// The `id@version#hash` of each assessment case `row` used.
inline std::vector<std::string> assessments_of(const CaseBatch::Storage& s, std::size_t row) {
    std::vector<std::string> out;
    for (std::uint32_t k = s.assessment_offsets[row]; k < s.assessment_offsets[row + 1]; ++k) {
        const Instrument& used = s.rules.data().instruments[s.assessed[k]].instrument;
        out.push_back(used.key() + "#" + used.hash());
    }
    return out;
}

}  // namespace detail
KELIAS_END_NAMESPACE
