#pragma once
// The one way a double becomes an integer. A cast of a double that is out of the target's
// range (or not finite) is undefined behaviour; these return nullopt instead, and callers
// turn that into an unknown value or a located error.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>

#include <kelias/date.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// The int `x` equals, when it is a whole number in int's range.
inline std::optional<int> exact_int(double x) noexcept {
    if (!(x >= std::numeric_limits<int>::min() && x <= std::numeric_limits<int>::max()) || x != std::floor(x))
        return std::nullopt;
    return static_cast<int>(x);
}

/// floor(x), when that is within ±2^53 (where every integer is a double).
inline std::optional<std::int64_t> floor_int64(double x) noexcept {
    constexpr double limit = 9007199254740992.0;  // 2^53
    if (!(x >= -limit && x <= limit)) return std::nullopt;
    return static_cast<std::int64_t>(std::floor(x));
}

/// The date a column holds (whole days since 1970-01-01), when it is one kelias can handle.
inline std::optional<Date> date_from_column(double v) noexcept {
    const auto days = exact_int(v);
    if (!days || *days < min_date.days || *days > max_date.days) return std::nullopt;
    return Date{*days};
}

/// An index stored in a column (a code of the string pool), when it is one below `size`.
inline std::optional<std::size_t> index_from_column(double v, std::size_t size) noexcept {
    if (!(v >= 0) || v >= static_cast<double>(size) || v != std::floor(v)) return std::nullopt;
    return static_cast<std::size_t>(v);
}

}  // namespace detail
KELIAS_END_NAMESPACE
