#include <kelias/version.hpp>

namespace kelias {

std::string_view version() noexcept { return "0.1.0"; }

}  // namespace kelias
