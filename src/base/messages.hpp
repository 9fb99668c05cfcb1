#pragma once
// The fixed words of output for a person, in every output language: one table, so that a
// printer never spells a word of its own.
#include <cstdint>
#include <string_view>

#include <kelias/language.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

enum class Message : std::uint8_t {
    case_word,           // "Case"
    on,                  // "on" (a date)
    rules,               // "rules"
    no_id,               // "(no id)"
    no_date,             // "(no date)"
    eligible,            // "ELIGIBLE"
    not_eligible,        // "NOT ELIGIBLE"
    undetermined,        // "UNDETERMINED"
    fails,               // "fails:"
    excluded,            // "excluded:"
    unknown,             // "unknown:"
    met,                 // "met:"
    not_excluded,        // "not excluded:"
    not_met,             // "not met:" (false, but not what holds the programme back)
    with,                // "with"
    params,              // "params"
    computed,            // "computed"
    missing,             // "missing:"
    earliest_date,       // "earliest date:"
    if_nothing_changes,  // "if nothing else changes"
    no_rule,             // "no rule:"
    table,               // "table"
    no_row_for,          // "no row for"
    needed_then,         // "needed on that date:"
    dated_from,          // "dated on or after"
    requires_,           // "requires" (a condition, in a rule set's description)
    excluded_when        // "excluded when"
};

/// The words of `m` in `language`.
std::string_view message(Message m, Language language) noexcept;

}  // namespace detail
KELIAS_END_NAMESPACE
