#pragma once
/// \file instrument_lookup.hpp
/// Turning an `ID|FILE` argument into a loaded instrument, with the messages the
/// commands share.
#include <optional>
#include <string>
#include <vector>

#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>

namespace kelias::cli {

/// An instrument ready to use, or the exit code to end with (diagnostics already printed).
struct LoadedInstrument {
    std::optional<Instrument> instrument;
    int exit_code = 0;
};

/// Resolves `id_or_file` with kelias::find_definition and loads it. Prints load
/// diagnostics (warnings too) to stderr. Unknown ids and missing files end with exit
/// code 2 and a message listing where the id was looked for; invalid definitions with 1.
LoadedInstrument load_instrument_arg(const std::string& id_or_file);

/// True when the file declares `kind: rules` at the top level: a rule set, which the
/// instrument loader would reject with confusing unknown-key errors.
bool is_rule_set_file(const std::string& path);

/// Prints the diagnostics of a failed instrument load, or one clear line when the file
/// is a rule set. Returns the exit code: 2 when the file cannot be read, else 1.
int report_failed_load(const std::string& path, const std::vector<Diagnostic>& diagnostics);

/// `FILE:LINE:COL` of a diagnostic or test, with `fallback_file` when it names none.
std::string place(const Location& where, const std::string& fallback_file);

/// "where kelias looked" for `id`, one folder per line, for the unknown-id message.
std::string describe_search_path(const std::string& id);

}  // namespace kelias::cli
