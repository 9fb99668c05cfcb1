#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE

std::string_view version() noexcept { return KELIAS_VERSION_STRING; }

KELIAS_END_NAMESPACE
