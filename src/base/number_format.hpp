#pragma once
// Numbers as text: the shortest form that reads back as the same double.
#include <charconv>
#include <cmath>
#include <string>

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Appends the shortest text that reads back as exactly `v` ("17", "24.2", "0.1").
inline void append_number(std::string& out, double v) {
    if (v == 0) v = 0;  // no "-0"
    if (v == std::floor(v) && std::abs(v) < 1e15) {
        char buf[24];
        auto [p, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
        out.append(buf, p);
        return;
    }
    char buf[32];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, p);
}

}  // namespace detail
KELIAS_END_NAMESPACE
