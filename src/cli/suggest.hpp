#pragma once
/// \file suggest.hpp
/// "Did you mean" hints for misspelt names.
#include <span>
#include <string>
#include <string_view>

namespace kelias::cli {

/// Edit distance with adjacent transpositions (optimal string alignment), ASCII case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word` when it is close enough to be a likely typo, else empty.
std::string closest_match(std::string_view word, std::span<const std::string> candidates);

}  // namespace kelias::cli
