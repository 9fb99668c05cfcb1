#pragma once
#include <string>
#include <string_view>

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// `sha256:<64 hex digits>` of `text`: the identity of a definition, stamped on every
/// result made with it. Computed by OpenSSL's libcrypto.
std::string content_hash(std::string_view text);

}  // namespace detail
KELIAS_END_NAMESPACE
