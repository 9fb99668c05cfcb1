#include "base/content_hash.hpp"

#include <stdexcept>

#include <openssl/evp.h>

KELIAS_BEGIN_NAMESPACE
namespace detail {

std::string content_hash(std::string_view text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("kelias: OpenSSL could not compute a SHA-256 digest");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "sha256:";
    for (unsigned int i = 0; i < length; ++i) {
        out += hex[digest[i] >> 4];
        out += hex[digest[i] & 0xf];
    }
    return out;
}

}  // namespace detail
KELIAS_END_NAMESPACE
