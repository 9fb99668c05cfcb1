#pragma once
#include <string>
#include <string_view>

namespace kelias::detail {

/// Lower-case hex SHA-256 of `data` (FIPS 180-4). Used to pin results to a definition.
std::string sha256_hex(std::string_view data);

}  // namespace kelias::detail
