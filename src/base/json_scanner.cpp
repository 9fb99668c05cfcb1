#include "base/json_scanner.hpp"

#include <array>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

constexpr int max_depth = 64;  // deeper input is refused rather than overflowing the stack

// Characters that end the plain run of a string: the quote, a backslash, control codes.
constexpr std::array<bool, 256> string_stops = [] {
    std::array<bool, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = true;
    t['"'] = t['\\'] = true;
    return t;
}();

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace

std::size_t find_string_stop_plain(const char* data, std::size_t pos, std::size_t size) noexcept {
    const auto* bytes = reinterpret_cast<const unsigned char*>(data);
    while (pos < size && !string_stops[bytes[pos]]) ++pos;
    return pos;
}

std::size_t find_string_stop(const char* data, std::size_t pos, std::size_t size) noexcept {
#if defined(__SSE2__)
    // Sixteen bytes at a time while there are sixteen: a quote, a backslash, or a byte
    // whose top three bits are clear (a control code).
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'),
                  top = _mm_set1_epi8(static_cast<char>(0xE0)), zero = _mm_setzero_si128();
    while (pos + 16 <= size) {
        const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
        const __m128i stops = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                                           _mm_cmpeq_epi8(_mm_and_si128(chunk, top), zero));
        if (const auto mask = static_cast<unsigned>(_mm_movemask_epi8(stops)))
            return pos + static_cast<std::size_t>(__builtin_ctz(mask));
        pos += 16;
    }
#endif
    return find_string_stop_plain(data, pos, size);
}

bool JsonScanner::fail(const char* what) noexcept {
    if (!error_) {
        error_ = what;
        error_pos_ = pos_;
    }
    return false;
}

std::string JsonScanner::error() const {
    if (!error_) return {};
    return std::string(error_) + " at column " + std::to_string(error_pos_ + 1);
}

void JsonScanner::skip_space_slow() noexcept {
    while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
        ++pos_;
    }
}

JsonScanner::Kind JsonScanner::peek() {
    skip_space();
    if (pos_ >= text_.size()) return Kind::invalid;
    switch (text_[pos_]) {
    case '{':
        return Kind::object;
    case '[':
        return Kind::array;
    case '"':
        return Kind::string;
    case 't':
    case 'f':
        return Kind::literal;
    case 'n':
        return Kind::null;
    default:
        return text_[pos_] == '-' || is_digit(text_[pos_]) ? Kind::number : Kind::invalid;
    }
}

bool JsonScanner::enter_object() {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != '{') return fail("expected an object '{'");
    if (++depth_ > max_depth) return fail("nested too deeply");
    ++pos_;
    return true;
}

bool JsonScanner::enter_array() {
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != '[') return fail("expected an array '['");
    if (++depth_ > max_depth) return fail("nested too deeply");
    ++pos_;
    return true;
}

bool JsonScanner::next_key(bool& first, std::string_view& key) {
    if (error_) return false;
    skip_space();
    if (pos_ >= text_.size()) return fail("unterminated object");
    if (text_[pos_] == '}') {
        ++pos_;
        --depth_;
        return false;
    }
    if (!first) {
        if (text_[pos_] != ',') return fail("expected ',' or '}'");
        ++pos_;
        skip_space();
    }
    first = false;
    if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a key in double quotes");
    if (!read_string(key, key_buffer_)) return false;
    skip_space();
    if (pos_ >= text_.size() || text_[pos_] != ':') return fail("expected ':' after the key");
    ++pos_;
    return true;
}

bool JsonScanner::next_element(bool& first) {
    if (error_) return false;
    skip_space();
    if (pos_ >= text_.size()) return fail("unterminated array");
    if (text_[pos_] == ']') {
        ++pos_;
        --depth_;
        return false;
    }
    if (!first) {
        if (text_[pos_] != ',') return fail("expected ',' or ']'");
        ++pos_;
    }
    first = false;
    return true;
}

bool JsonScanner::read_string(std::string_view& out, std::string& buffer) {
    const std::size_t start = ++pos_;  // after the opening quote
    pos_ = find_string_stop(text_.data(), pos_, text_.size());
    if (pos_ >= text_.size()) return fail("unterminated string");
    if (text_[pos_] == '"') {
        out = text_.substr(start, pos_ - start);
        ++pos_;
        return true;
    }
    return unescape(start, out, buffer);
}

// The slow path, for strings with escapes: copies into `buffer`.
bool JsonScanner::unescape(std::size_t start, std::string_view& out, std::string& buffer) {
    buffer.assign(text_.data() + start, pos_ - start);
    while (pos_ < text_.size()) {
        const char c = text_[pos_];
        if (c == '"') {
            ++pos_;
            out = buffer;
            return true;
        }
        if (static_cast<unsigned char>(c) < 0x20) return fail("control character in a string (escape it)");
        if (c != '\\') {
            buffer += c;
            ++pos_;
            continue;
        }
        if (++pos_ >= text_.size()) break;
        switch (text_[pos_++]) {
        case '"':
            buffer += '"';
            break;
        case '\\':
            buffer += '\\';
            break;
        case '/':
            buffer += '/';
            break;
        case 'b':
            buffer += '\b';
            break;
        case 'f':
            buffer += '\f';
            break;
        case 'n':
            buffer += '\n';
            break;
        case 'r':
            buffer += '\r';
            break;
        case 't':
            buffer += '\t';
            break;
        case 'u': {
            auto hex4 = [&](unsigned& v) {
                if (pos_ + 4 > text_.size()) return false;
                v = 0;
                for (int i = 0; i < 4; ++i) {
                    const int h = hex_value(text_[pos_ + static_cast<std::size_t>(i)]);
                    if (h < 0) return false;
                    v = v * 16 + static_cast<unsigned>(h);
                }
                pos_ += 4;
                return true;
            };
            unsigned cp = 0;
            if (!hex4(cp)) return fail("expected four hex digits after \\u");
            if (cp >= 0xD800 && cp < 0xDC00) {  // a high surrogate: its pair must follow
                unsigned low = 0;
                if (pos_ + 2 > text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u')
                    return fail("unpaired surrogate in \\u escape");
                pos_ += 2;
                if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return fail("unpaired surrogate in \\u escape");
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else if (cp >= 0xDC00 && cp < 0xE000) {
                return fail("unpaired surrogate in \\u escape");
            }
            append_utf8(buffer, cp);
            break;
        }
        default:
            --pos_;
            return fail("unknown escape in a string");
        }
    }
    return fail("unterminated string");
}

bool JsonScanner::read_number(std::string_view& out) {
    const std::size_t start = pos_;
    if (text_[pos_] == '-') ++pos_;
    if (pos_ >= text_.size() || !is_digit(text_[pos_])) return fail("expected a digit");
    if (text_[pos_] == '0')
        ++pos_;
    else
        while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '.') {
        ++pos_;
        if (pos_ >= text_.size() || !is_digit(text_[pos_])) return fail("expected a digit after '.'");
        while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
        ++pos_;
        if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
        if (pos_ >= text_.size() || !is_digit(text_[pos_])) return fail("expected a digit in the exponent");
        while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
    }
    out = text_.substr(start, pos_ - start);
    return true;
}

bool JsonScanner::read_literal(std::string_view word) {
    // Byte by byte: the words are four or five letters, shorter than a call to memcmp.
    if (text_.size() - pos_ < word.size()) return fail("expected a value");
    for (std::size_t i = 0; i < word.size(); ++i)
        if (text_[pos_ + i] != word[i]) return fail("expected a value");
    pos_ += word.size();
    return true;
}

bool JsonScanner::read_scalar(std::optional<std::string_view>& text) {
    std::string_view v;
    switch (peek()) {
    case Kind::string:
        if (!read_string(v, value_buffer_)) return false;
        text = v;
        return true;
    case Kind::number:
        if (!read_number(v)) return false;
        text = v;
        return true;
    case Kind::literal:
        if (text_[pos_] == 't') {
            if (!read_literal("true")) return false;
            text = "true";
        } else {
            if (!read_literal("false")) return false;
            text = "false";
        }
        return true;
    case Kind::null:
        if (!read_literal("null")) return false;
        text = std::nullopt;
        return true;
    case Kind::object:
    case Kind::array:
        return fail("expected a single value");
    case Kind::invalid:
        break;
    }
    return fail(pos_ >= text_.size() ? "unexpected end of the text" : "expected a value");
}

bool JsonScanner::skip_value() {
    const Kind k = peek();
    if (k == Kind::object) {
        if (!enter_object()) return false;
        bool first = true;
        std::string_view key;
        while (next_key(first, key))
            if (!skip_value()) return false;
        return !failed();
    }
    if (k == Kind::array) {
        if (!enter_array()) return false;
        bool first = true;
        while (next_element(first))
            if (!skip_value()) return false;
        return !failed();
    }
    std::optional<std::string_view> ignored;
    return read_scalar(ignored);
}

bool JsonScanner::finish() {
    skip_space();
    return pos_ == text_.size() || fail("unexpected text after the value");
}

}  // namespace detail
KELIAS_END_NAMESPACE
