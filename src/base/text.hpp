#pragma once
// Small text helpers shared by every reader and writer: UTF-8 checks, trimming, and how
// values are cut before they go into a message.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// The length of the UTF-8 character starting at s[i] (1-4), or 0 when the bytes there
/// start no well-formed character.
std::size_t utf8_length_at(std::string_view s, std::size_t i) noexcept;

/// The offset of the first byte of `s` that starts no well-formed UTF-8 character, or
/// `s.size()` when all of `s` is well-formed.
std::size_t first_invalid_utf8(std::string_view s) noexcept;

/// The number of characters (code points) of valid UTF-8 text, for aligning columns.
std::size_t utf8_characters(std::string_view s) noexcept;

/// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or values past U+10FFFF).
inline bool is_valid_utf8(std::string_view s) noexcept { return first_invalid_utf8(s) == s.size(); }

/// `s` without leading and trailing spaces, tabs and carriage returns.
std::string_view trim(std::string_view s) noexcept;

/// True when `a` and `b` differ at most in the case of ASCII letters (codes as inputs).
bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) noexcept;

/// Longest value quoted whole in a message; longer ones are cut (a 100 MB id must not be
/// echoed to a terminal or a log).
inline constexpr std::size_t message_value_limit = 64;

/// `s` as it may appear in a message: cut to message_value_limit bytes (at a character
/// boundary) with "... (N bytes)" appended, and bytes that are not valid UTF-8 or are
/// control characters shown as '?'.
std::string for_message(std::string_view s);

/// The closest candidate within a small edit distance (typos, transpositions; case is
/// ignored), for "did you mean" hints; empty when none is close enough.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);
/// "did you mean 'x'?", or empty.
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);
/// Edit distance with adjacent transpositions (optimal string alignment), ignoring case.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace detail
KELIAS_END_NAMESPACE
