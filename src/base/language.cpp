#include <kelias/language.hpp>

KELIAS_BEGIN_NAMESPACE

std::string_view to_string(Language language) noexcept { return language == Language::lt ? "lt" : "en"; }

std::optional<Language> parse_language(std::string_view code) noexcept {
    if (code == "en") return Language::en;
    if (code == "lt") return Language::lt;
    return std::nullopt;
}

KELIAS_END_NAMESPACE
