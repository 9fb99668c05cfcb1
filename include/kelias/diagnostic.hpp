#pragma once
/// \file diagnostic.hpp
/// Problems found while loading definitions or reading input, as values.
///
/// Loading never throws for bad input: it returns every problem found, each with its
/// place, a stable code and, where one helps, a hint.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kelias {

enum class Severity { error, warning };

/// A place in a text file. Line and column are 1-based; 0 means "not known".
struct Location {
    std::string file;
    int line = 0;
    int column = 0;
};

/// One problem, e.g. `start_av.yaml:42:12: error[E301]: unknown name 'substanse_use'`.
struct Diagnostic {
    Severity severity = Severity::error;
    std::string code;     ///< stable code such as "E301" (see instruments/README.md)
    std::string message;  ///< one line, no trailing period
    std::string hint;     ///< optional advice ("did you mean 'substance_use'?")
    Location where;
};

/// Formats as `FILE:LINE:COL: error[CODE]: message` plus an indented `hint:` line.
std::string format(const Diagnostic& d);

/// Formats every diagnostic, one after the other.
std::string format(const std::vector<Diagnostic>& ds);

/// True when any diagnostic is an error (warnings alone do not fail a load).
bool has_errors(const std::vector<Diagnostic>& ds);

/// A value or the diagnostics explaining why there is none. Warnings may accompany a value.
///
/// **Example**:
/// ```
/// auto loaded = kelias::load_instrument_file("instruments/start_av.yaml");
/// if (!loaded) { std::cerr << kelias::format(loaded.diagnostics()); return 1; }
/// const kelias::Instrument& start_av = *loaded;
/// ```
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value, std::vector<Diagnostic> diagnostics = {})
        : value_(std::move(value)), diagnostics_(std::move(diagnostics)) {}
    Result(std::vector<Diagnostic> diagnostics) : diagnostics_(std::move(diagnostics)) {}

    bool ok() const noexcept { return value_.has_value(); }
    explicit operator bool() const noexcept { return ok(); }
    const T& value() const& { return value_.value(); }
    T&& value() && { return std::move(value_).value(); }
    const T& operator*() const& { return value_.value(); }
    const T* operator->() const { return &value_.value(); }
    const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

private:
    std::optional<T> value_;
    std::vector<Diagnostic> diagnostics_;
};

}  // namespace kelias
