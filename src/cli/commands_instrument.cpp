// `kelias instrument validate | test | show`.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <kelias/instrument.hpp>
#include <kelias/instrument_test.hpp>

#include "cli/commands.hpp"
#include "cli/exit_code.hpp"
#include "cli/instrument_lookup.hpp"

namespace kelias::cli {

int run_instrument_validate(const std::vector<std::string>& files) {
    int code = exit_ok;
    for (const auto& arg : files) {
        const LoadedInstrument loaded = load_instrument_arg(arg);
        if (!loaded.instrument) {
            code = std::max(code, loaded.exit_code);
            continue;
        }
        const Instrument& instrument = *loaded.instrument;
        const auto items = std::count_if(instrument.entries().begin(), instrument.entries().end(),
                                         [](const EntryInfo& e) { return !e.is_outcome; });
        fmt::print("{}: valid ({}, {} items, {} scores)\n", loaded.path, instrument.key(), items,
                   instrument.scores().size());
    }
    if (!flush_stdout()) return exit_unreadable;
    return code;
}

int run_instrument_test(const std::vector<std::string>& files) {
    int code = exit_ok;
    int passed = 0, failed = 0;
    for (const auto& arg : files) {
        const LoadedInstrument loaded = load_instrument_arg(arg);
        if (!loaded.instrument) {
            code = std::max(code, loaded.exit_code);
            continue;
        }
        const TestReport report = run_embedded_tests(*loaded.instrument);
        for (const auto& f : report.failures)
            fmt::print("{}: test '{}': {}\n", place(f.where, loaded.path), f.test, f.message);
        passed += report.passed;
        failed += report.failed;
    }
    fmt::print("{} passed, {} failed\n", passed, failed);
    if (failed > 0) code = std::max<int>(code, exit_usage);
    if (!flush_stdout()) return exit_unreadable;
    return code;
}

int run_instrument_show(const std::string& id_or_file, bool json) {
    const LoadedInstrument loaded = load_instrument_arg(id_or_file);
    if (!loaded.instrument) return loaded.exit_code;
    const std::string text = json ? loaded.instrument->describe_json() + "\n" : loaded.instrument->describe();
    std::fwrite(text.data(), 1, text.size(), stdout);
    return flush_stdout() ? exit_ok : exit_unreadable;
}

}  // namespace kelias::cli
