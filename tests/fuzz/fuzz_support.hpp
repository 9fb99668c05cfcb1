#pragma once
// Helpers shared by the fuzz harnesses (public API only): the input as text, shipped
// definitions loaded once, and property checks that fail like a crash.
//
// Harnesses print nothing on success, write no files, and treat every input (any size,
// including 0) as untrusted. A failed property or a fixed definition that does not load
// prints one message to stderr and aborts, which libFuzzer and the replay runner record.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <kelias/kelias.hpp>

#ifndef KELIAS_SOURCE_DIR
#error "KELIAS_SOURCE_DIR (the repository root) must be defined by the build"
#endif

namespace kelias::fuzz {

/// The input as text, in place (libFuzzer's buffer has exactly `size` bytes, so ASan sees
/// any read past the end).
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) noexcept {
    return std::string_view(reinterpret_cast<const char*>(data), size);
}

/// A path inside the repository.
inline std::string source_path(std::string_view relative) {
    return std::string(KELIAS_SOURCE_DIR) + "/" + std::string(relative);
}

/// Aborts: the harness cannot run (a shipped definition no longer loads), or a property
/// the library promises does not hold for this input.
[[noreturn]] inline void fail(std::string_view what, std::string_view detail = {}) {
    std::string message = "kelias fuzz: " + std::string(what) + "\n";
    if (!detail.empty()) message += std::string(detail) + "\n";
    std::fputs(message.c_str(), stderr);
    std::abort();
}

inline void expect(bool holds, std::string_view property, std::string_view detail = {}) {
    if (!holds) fail(std::string("property violated: ") + std::string(property), detail);
}

/// A shipped instrument, loaded on first use.
inline Instrument must_load_instrument(std::string_view relative) {
    auto loaded = load_instrument_file(source_path(relative));
    if (!loaded) fail("cannot load " + std::string(relative), format(loaded.diagnostics()));
    return *loaded;
}

/// A shipped rule set, loaded on first use.
inline RuleSet must_load_rules(std::string_view relative) {
    auto loaded = load_rules_file(source_path(relative));
    if (!loaded) fail("cannot load " + std::string(relative), format(loaded.diagnostics()));
    return *loaded;
}

/// The rule set the case harnesses decide against.
inline const RuleSet& case_rules() {
    static const RuleSet rules = must_load_rules("instruments/lt_release_pathway.yaml");
    return rules;
}

/// Single-threaded options: harnesses must be deterministic and use one core.
inline DecideOptions decide_options(bool earliest_dates) {
    DecideOptions o;
    o.earliest_dates = earliest_dates;
    o.threads = 1;
    return o;
}

}  // namespace kelias::fuzz
