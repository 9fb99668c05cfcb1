#pragma once
#include <kelias/version.hpp>
// A strict JSON reader that walks one text member by member, without building a document.
// Batch readers call it once per line: a DOM would allocate a node and a string for every
// member, and that allocation, not the decisions, would set the speed of a batch.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// The first byte at or after `pos` (before `size`) that ends the plain run of a JSON
/// string: the quote, a backslash or a control code; `size` when there is none. Sixteen
/// bytes at a time with SSE2 where the target has it (x86-64 always does).
std::size_t find_string_stop(const char* data, std::size_t pos, std::size_t size) noexcept;
/// The same a byte at a time: the reference the tests hold find_string_stop to.
std::size_t find_string_stop_plain(const char* data, std::size_t pos, std::size_t size) noexcept;

class JsonScanner {
public:
    explicit JsonScanner(std::string_view text) noexcept : text_(text) {}

    /// Reads `{` (true), or fails.
    bool enter_object();
    /// The next key of the object just entered: true with `key` set, false at `}` or on an
    /// error (then failed()). `first` is true before the first member and kept by the caller.
    bool next_key(bool& first, std::string_view& key);
    /// Reads `[`.
    bool enter_array();
    /// True before each element of the array just entered, false at `]` or on an error.
    bool next_element(bool& first);

    enum class Kind { object, array, string, number, literal, null, invalid };
    /// What the next value is, without reading it.
    Kind peek();
    /// A scalar as cell text: strings unescaped, numbers as spelled, `true`/`false`;
    /// nullopt for `null`. Fails on objects and arrays.
    bool read_scalar(std::optional<std::string_view>& text);
    /// Skips any value, nested or not.
    bool skip_value();
    /// After the top-level value: only whitespace may follow.
    bool finish();

    bool failed() const noexcept { return error_ != nullptr; }
    /// What is wrong and where, e.g. "expected ',' or '}' at column 31".
    std::string error() const;

private:
    bool fail(const char* what) noexcept;
    void skip_space() noexcept {
        if (pos_ < text_.size() && static_cast<unsigned char>(text_[pos_]) > ' ')
            return;  // compact JSON: no space at all
        skip_space_slow();
    }
    void skip_space_slow() noexcept;
    bool read_string(std::string_view& out, std::string& buffer);
    bool read_number(std::string_view& out);
    bool read_literal(std::string_view word);
    bool unescape(std::size_t start, std::string_view& out, std::string& buffer);

    std::string_view text_;
    std::size_t pos_ = 0;
    int depth_ = 0;
    const char* error_ = nullptr;
    std::size_t error_pos_ = 0;
    std::string key_buffer_, value_buffer_;
};

}  // namespace detail
KELIAS_END_NAMESPACE
