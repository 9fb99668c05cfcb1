// `kelias instrument validate | test | show`.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>
#include <kelias/instrument_test.hpp>

#include "cli/commands.hpp"
#include "cli/exit_code.hpp"
#include "cli/instrument_lookup.hpp"

namespace kelias::cli {
namespace {

struct LoadedFile {
    std::string path;
    Result<Instrument> result;
    int failure_code = exit_ok;  ///< when result holds no instrument
};

// validate and test take files, but an id (start_av) is resolved the same way as in
// `show` and `score`; anything else is passed through so the E000 message names it.
LoadedFile load_file_arg(const std::string& arg) {
    const auto found = find_definition(arg);
    std::string path = found ? found->string() : arg;
    auto result = load_instrument_file(path);
    if (!result) {
        const int code = report_failed_load(path, result.diagnostics());
        return {std::move(path), std::move(result), code};
    }
    fmt::print(stderr, "{}", format(result.diagnostics()));  // warnings
    return {std::move(path), std::move(result)};
}


}  // namespace

int run_instrument_validate(const std::vector<std::string>& files) {
    int code = exit_ok;
    for (const auto& arg : files) {
        LoadedFile file = load_file_arg(arg);
        if (!file.result) {
            code = std::max(code, file.failure_code);
            continue;
        }
        const Instrument& instrument = *file.result;
        const auto items = std::count_if(instrument.entries().begin(), instrument.entries().end(),
                                         [](const EntryInfo& e) { return !e.is_outcome; });
        fmt::print("{}: valid ({}, {} items, {} scores)\n", file.path, instrument.key(), items, instrument.scores().size());
    }
    return code;
}

int run_instrument_test(const std::vector<std::string>& files) {
    int code = exit_ok;
    int passed = 0, failed = 0;
    for (const auto& arg : files) {
        LoadedFile file = load_file_arg(arg);
        if (!file.result) {
            code = std::max(code, file.failure_code);
            continue;
        }
        const TestReport report = run_embedded_tests(*file.result);
        for (const auto& f : report.failures)
            fmt::print("{}: test '{}': {}\n", place(f.where, file.path), f.test, f.message);
        passed += report.passed;
        failed += report.failed;
    }
    fmt::print("{} passed, {} failed\n", passed, failed);
    if (failed > 0) code = std::max<int>(code, exit_usage);
    return code;
}

int run_instrument_show(const std::string& id_or_file, bool json) {
    LoadedInstrument loaded = load_instrument_arg(id_or_file);
    if (!loaded.instrument) return loaded.exit_code;
    const std::string text = json ? loaded.instrument->describe_json() + "\n" : loaded.instrument->describe();
    std::fwrite(text.data(), 1, text.size(), stdout);
    return exit_ok;
}

}  // namespace kelias::cli
