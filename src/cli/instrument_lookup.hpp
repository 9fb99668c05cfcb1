#pragma once
/// \file instrument_lookup.hpp
/// Turning an `ID|FILE` argument into a loaded instrument or rule set, printing what the
/// commands share: diagnostics, and where an unknown id was looked for.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>
#include <kelias/plan.hpp>
#include <kelias/rules.hpp>

namespace kelias::cli {

/// An instrument ready to use, or the exit code to end with (diagnostics already printed).
struct LoadedInstrument {
    std::string path;
    std::optional<Instrument> instrument;
    int exit_code = 0;
};

struct LoadedRules {
    std::string path;
    std::optional<RuleSet> rules;
    int exit_code = 0;
};

/// Resolves `id_or_file` with kelias::find_definition and loads it. Prints load
/// diagnostics (warnings too) to stderr. Unknown ids and missing files end with exit code
/// 2 and a message listing where the id was looked for; invalid definitions with 1.
LoadedInstrument load_instrument_arg(const std::string& id_or_file);
LoadedRules load_rules_arg(const std::string& id_or_file);

struct LoadedPlanPolicy {
    std::string path;
    std::optional<PlanPolicy> policy;
    int exit_code = 0;
};
LoadedPlanPolicy load_plan_policy_arg(const std::string& id_or_file);

/// The loop of every `validate` and `test` command: loads each file with `load` (its
/// problems printed), calls `each(path, definition)` for those that load, and returns the
/// worst exit code of the loads.
template <class Loaded, class Definition, class Each>
int for_each_loaded(const std::vector<std::string>& files, Loaded (*load)(const std::string&),
                    std::optional<Definition> Loaded::*definition, Each&& each) {
    int code = 0;
    for (const auto& arg : files) {
        const Loaded loaded = load(arg);
        if (!(loaded.*definition)) {
            code = std::max(code, loaded.exit_code);
            continue;
        }
        each(loaded.path, *(loaded.*definition));
    }
    return code;
}

/// The end of every `test` command: prints `N passed, N failed` and the exit code (at
/// least `code`; 1 when a test failed, 2 when stdout lost data).
int finish_tests(int code, int passed, int failed);

/// `FILE:LINE:COL` of a diagnostic or test, with `fallback_file` when it names none.
std::string place(const Location& where, const std::string& fallback_file);

/// Prints diagnostics to stderr.
void print(const std::vector<Diagnostic>& diagnostics);
/// Prints one diagnostic to stderr.
void print(const Diagnostic& diagnostic);

/// Flushes stdout; false (with a message) when data written to it was lost (a full disk,
/// a closed pipe), which the command must then report with exit code 2.
bool flush_stdout();

}  // namespace kelias::cli
