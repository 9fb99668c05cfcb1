#pragma once
/// \file language.hpp
/// The languages kelias prints for a person in, and texts given in several of them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE

/// A language of output. English is the fallback of every text.
enum class Language : std::uint8_t { en, lt };

/// `en`, `lt`.
std::string_view to_string(Language language) noexcept;
/// The language named by `en` or `lt` (ISO 639-1), or nullopt.
std::optional<Language> parse_language(std::string_view code) noexcept;

/// A text in English and, when the definition gives it, Lithuanian.
struct LocalText {
    std::string en;
    std::string lt;  ///< empty when not given
    /// The text in `language`, or the English one when that language is not given.
    const std::string& in(Language language) const noexcept {
        return language == Language::lt && !lt.empty() ? lt : en;
    }
    bool empty() const noexcept { return en.empty() && lt.empty(); }
    friend bool operator==(const LocalText&, const LocalText&) = default;
};

KELIAS_END_NAMESPACE
