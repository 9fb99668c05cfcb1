#pragma once
/// \file diagnostic.hpp
/// Problems found while loading definitions or reading input, as values; and Result<T>,
/// a value or the problems that explain why there is none.
///
/// Loading never throws for bad input: it returns every problem found, each with its place,
/// a stable code and, where one helps, a hint. Exceptions are reserved for misuse of the API
/// (asking a failed Result for its value, scoring a batch built for another instrument).
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE

enum class Severity : std::uint8_t { error, warning };

/// The stable code of every problem kelias reports. The text form (`E301`) appears in
/// messages and is listed, with the same summaries as code_summary(), in
/// instruments/README.md.
enum class DiagnosticCode : std::uint16_t {
    unreadable_file,        ///< E000
    yaml_syntax,            ///< E001
    format_version,         ///< E002
    unknown_key,            ///< E101
    missing_key,            ///< E102
    wrong_node_type,        ///< E103
    invalid_value,          ///< E104
    duplicate_id,           ///< E105
    wrong_definition_kind,  ///< E106
    limit_exceeded,         ///< E107
    unknown_scale,          ///< E201
    unknown_domain,         ///< E202
    unknown_reference,      ///< E203
    invalid_scale,          ///< E204
    invalid_field,          ///< E205
    invalid_table,          ///< E206
    unknown_pathway_name,   ///< E207
    unknown_guard,          ///< E208
    invalid_move,           ///< E209
    table_coverage,         ///< E210
    unknown_name,           ///< E301
    expression_syntax,      ///< E302
    type_error,             ///< E303
    unknown_function,       ///< E304
    expression_too_deep,    ///< E305
    invalid_aggregate,      ///< E306
    cycle,                  ///< E307
    code_not_in_scale,      ///< E308
    invalid_test,           ///< E401
    unknown_column,         ///< E501
    invalid_cell,           ///< E502
    unknown_score,          ///< E503
    row_out_of_range,       ///< E504
    wrong_definition,       ///< E505
    invalid_header,         ///< E506
    case_mismatch,          ///< E601
    case_outside_pathway,   ///< E602
    malformed_date,         ///< E702
    malformed_case,         ///< E703
    duplicate_key,          ///< E704
    input_limit,            ///< E801
    input_changed,          ///< E802
    unwritable_output,      ///< E803
    store_failure,          ///< E901
    permission_denied,      ///< E902
    stale_version,          ///< E903
    unknown_record,         ///< E904
    invalid_transition,     ///< E905
    statistic_undefined,    ///< E910
    no_effect,              ///< W101
    absent_columns,         ///< W501
    duplicate_row_id,       ///< W502
    age_outside_range,      ///< W503
};

/// `E301`, `W101`.
std::string_view code_text(DiagnosticCode code) noexcept;
/// One line saying what the code means, as the code table of instruments/README.md does.
std::string_view code_summary(DiagnosticCode code) noexcept;
/// Every code, in table order (for documentation and tests).
std::vector<DiagnosticCode> all_codes();

/// A place in a text file. Line and column are 1-based; 0 means "not known".
struct Location {
    std::string file;
    int line = 0;
    int column = 0;
    friend bool operator==(const Location&, const Location&) = default;
};

/// One problem, e.g. `start_av.yaml:42:12: error[E301]: unknown name 'substanse_use'`.
struct Diagnostic {
    Severity severity = Severity::error;
    DiagnosticCode code = DiagnosticCode::invalid_value;
    std::string message;  ///< one line, no trailing period; never a rating or a person's data
    std::string hint;     ///< optional advice ("did you mean 'substance_use'?")
    Location where;
};

/// Formats as `FILE:LINE:COL: error[CODE]: message` plus an indented `hint:` line.
std::string format(const Diagnostic& d);
/// Formats every diagnostic, one after the other.
std::string format(const std::vector<Diagnostic>& ds);
/// True when any diagnostic is an error (warnings alone do not fail a load).
bool has_errors(const std::vector<Diagnostic>& ds);
/// True when any diagnostic has this code.
bool has_code(const std::vector<Diagnostic>& ds, DiagnosticCode code);

/// Thrown when the API is misused: Result::value() on a failure, a batch scored with another
/// instrument's definition. what() is the formatted diagnostics.
class Error : public std::runtime_error {
public:
    explicit Error(std::vector<Diagnostic> diagnostics);
    const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

private:
    std::vector<Diagnostic> diagnostics_;
};

/// A value, or the diagnostics explaining why there is none; warnings may accompany a value.
/// Behaves like std::expected<T, std::vector<Diagnostic>>, except that every access to a
/// missing value is checked: value(), `*` and `->` throw kelias::Error carrying the
/// diagnostics, so a forgotten check fails loudly instead of reading garbage.
///
/// **Example**:
/// ```
/// auto loaded = kelias::load_instrument_file("instruments/start_av.yaml");
/// if (!loaded) { std::cerr << kelias::format(loaded.error()); return 1; }
/// const kelias::Instrument& start_av = *loaded;
/// ```
template <class T>
class [[nodiscard]] Result {
public:
    using value_type = T;

    Result(T value, std::vector<Diagnostic> diagnostics = {})
        : value_(std::move(value)), diagnostics_(std::move(diagnostics)) {}
    Result(std::vector<Diagnostic> diagnostics) : diagnostics_(std::move(diagnostics)) {}

    bool ok() const noexcept { return value_.has_value(); }
    bool has_value() const noexcept { return ok(); }
    explicit operator bool() const noexcept { return ok(); }

    const T& value() const& { return checked(); }
    T& value() & { return checked(); }
    T&& value() && { return std::move(checked()); }
    const T& operator*() const& { return checked(); }
    T& operator*() & { return checked(); }
    T&& operator*() && { return std::move(checked()); }
    const T* operator->() const { return &checked(); }
    T* operator->() { return &checked(); }

    /// The value, or `fallback` when there is none.
    template <class U>
    T value_or(U&& fallback) const& {
        return ok() ? *value_ : static_cast<T>(std::forward<U>(fallback));
    }

    /// Why there is no value (or the warnings that came with it).
    const std::vector<Diagnostic>& error() const noexcept { return diagnostics_; }
    /// Every diagnostic: the errors of a failure, or the warnings of a success.
    const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

private:
    const T& checked() const {
        if (!value_) throw Error(diagnostics_);
        return *value_;
    }
    T& checked() {
        if (!value_) throw Error(diagnostics_);
        return *value_;
    }

    std::optional<T> value_;
    std::vector<Diagnostic> diagnostics_;
};

KELIAS_END_NAMESPACE
