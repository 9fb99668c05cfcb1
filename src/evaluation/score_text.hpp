#pragma once
// A score as text: one formatter for CSV cells, JSON values and explanations.
#include <string>

#include <kelias/instrument.hpp>

#include "base/checked.hpp"
#include "base/number_format.hpp"
#include "model/model.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Appends a known score value: shortest round-trip number, `true`/`false`, code, date.
inline void append_score_text(std::string& out, const Model& m, ScoreType type, double v) {
    switch (type) {
    case ScoreType::number:
        append_number(out, v);
        break;
    case ScoreType::boolean:
        out += v != 0 ? "true" : "false";
        break;
    case ScoreType::category:
        out += code_text(m, v);
        break;
    case ScoreType::date: {
        const auto date = date_from_column(v);
        out += date ? to_string(*date) : std::string("?");
        break;
    }
    }
}

inline ScoreType score_type_of(const Type& t) {
    switch (t.kind) {
    case Kind::boolean:
        return ScoreType::boolean;
    case Kind::category:
        return ScoreType::category;
    case Kind::date:
        return ScoreType::date;
    default:
        return ScoreType::number;
    }
}

}  // namespace detail
KELIAS_END_NAMESPACE
