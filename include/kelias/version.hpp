#pragma once
/// \file version.hpp
/// The library's version, for logs and result provenance.
#include <string_view>

namespace kelias {

/// The kelias library version as "MAJOR.MINOR.PATCH".
std::string_view version() noexcept;

}  // namespace kelias
