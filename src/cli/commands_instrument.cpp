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
    const int code = for_each_loaded(files, load_instrument_arg, &LoadedInstrument::instrument,
                                     [](const std::string& path, const Instrument& instrument) {
                                         const auto items =
                                             std::count_if(instrument.entries().begin(), instrument.entries().end(),
                                                           [](const EntryInfo& e) { return !e.is_outcome; });
                                         fmt::print("{}: valid ({}, {} items, {} scores)\n", path, instrument.key(),
                                                    items, instrument.scores().size());
                                     });
    return flush_stdout() ? code : exit_unreadable;
}

int run_instrument_test(const std::vector<std::string>& files) {
    int passed = 0, failed = 0;
    const int code = for_each_loaded(files, load_instrument_arg, &LoadedInstrument::instrument,
                                     [&](const std::string& path, const Instrument& instrument) {
                                         const TestReport report = run_embedded_tests(instrument);
                                         for (const auto& f : report.failures)
                                             fmt::print("{}: test '{}': {}\n", place(f.where, path), f.test, f.message);
                                         passed += report.passed;
                                         failed += report.failed;
                                     });
    return finish_tests(code, passed, failed);
}

int run_instrument_show(const std::string& id_or_file, bool json) {
    const LoadedInstrument loaded = load_instrument_arg(id_or_file);
    if (!loaded.instrument) return loaded.exit_code;
    const std::string text = json ? loaded.instrument->describe_json() + "\n" : loaded.instrument->describe();
    std::fwrite(text.data(), 1, text.size(), stdout);
    return flush_stdout() ? exit_ok : exit_unreadable;
}

}  // namespace kelias::cli
