#pragma once
/// \file rules_lint.hpp
/// Static checks of a rule set that loads: what it cannot answer, what rests on unverified
/// values, programmes no case can enter, and texts that state a param's value by hand.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/diagnostic.hpp>
#include <kelias/rules.hpp>

KELIAS_BEGIN_NAMESPACE

/// What a lint finding is about.
enum class LintKind : std::uint8_t {
    table_gap,         ///< a conversion table read by a condition has no row for a category value
    unverified_param,  ///< a param with `confidence: unverified` (or none)
    never_eligible,    ///< a programme no case can enter (a constant-false condition, or contradictory equalities)
    literal_number,    ///< a text states a number equal to a param its condition reads (use the placeholder)
    stale_accept       ///< `lint: accept:` names a finding the rule set no longer has
};

/// `table_gap`, `unverified_param`, `never_eligible`, `literal_number`, `stale_accept`.
std::string_view to_string(LintKind kind) noexcept;

/// One finding. `id` is stable across runs; the rule file explains a finding by naming it
/// under `lint: {accept: {ID: "why"}}`.
struct LintFinding {
    LintKind kind = LintKind::table_gap;
    std::string id;  ///< e.g. `table_gap.cr_share.serious`, `unverified_param.prs_window`
    std::string message;
    std::string hint;
    Location where;
    std::optional<std::string> explanation;  ///< the file's reason, when it accepts the finding
    bool explained() const noexcept { return explanation.has_value(); }
};

/// How many condition leaves carry each confidence grade.
struct ConfidenceCount {
    std::string grade;  ///< verified, secondary, unverified, or "" (not given)
    int conditions = 0;
};

struct LintReport {
    std::vector<LintFinding> findings;        ///< by kind, then as declared
    std::vector<ConfidenceCount> confidence;  ///< verified, secondary, unverified, "" (always all four)
    /// Findings the file does not explain: `kelias rules lint` exits 1 when there are any.
    std::size_t unexplained() const noexcept;
};

/// Runs every check on a loaded rule set. Deterministic; decides nothing for a person.
LintReport lint(const RuleSet& rules);

/// The report for a person: one line per finding (`FILE:LINE:COL: lint[ID]: message`, then
/// its hint, or `explained: why`), the conditions per confidence grade and a summary line.
std::string to_text(const LintReport& report);

KELIAS_END_NAMESPACE
