#pragma once
/// \file instrument_lookup.hpp
/// Turning an `ID|FILE` argument into a loaded instrument, with the messages the
/// commands share.
#include <optional>
#include <string>

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

/// "where kelias looked" for `id`, one folder per line, for the unknown-id message.
std::string describe_search_path(const std::string& id);

}  // namespace kelias::cli
