#pragma once
// decide_batch() with a choice of how earliest dates are found (the scan is the solver's
// test oracle).
#include <cstddef>
#include <cstdint>
#include <vector>

#include <kelias/rules.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// How earliest dates are found: `solve` (the days the date conditions turn, then the
/// decisions on those days) or `scan` (every day from as_of to the horizon, in windows).
/// Both give the same dates; decide_batch() solves.
enum class EarliestSearch : std::uint8_t { solve, scan };

/// `scanned`, when given, receives how many searches (a programme of a case) the solver
/// handed to the scan: conditions of a form it does not solve.
std::vector<CaseDecisions> decide_batch(const RuleSet& rules, const CaseBatch& cases, const DecideOptions& options,
                                        EarliestSearch search, std::size_t* scanned = nullptr);

}  // namespace detail
KELIAS_END_NAMESPACE
