#include "cli/instrument_lookup.hpp"

#include <algorithm>
#include <cstdio>

#include <fmt/core.h>

#include "cli/exit_code.hpp"

namespace kelias::cli {
namespace {

bool looks_like_path(const std::string& arg) { return arg.find('/') != std::string::npos || arg.ends_with(".yaml"); }

std::string search_path_listing(const std::string& id) {
    std::string out;
    for (const auto& dir : definition_search_path()) out += fmt::format("  {}/{}.yaml\n", dir.string(), id);
    if (out.empty()) out = "  (no folder: set KELIAS_PATH, or install kelias with its definitions)\n";
    return out;
}

// An id that names no file, or a path that does not exist: exit 2.
std::optional<std::string> resolve(const std::string& id_or_file, const char* what) {
    if (const auto path = find_definition(id_or_file)) return path->string();
    // A path is handed to the loader as it is, whose E000 names the file.
    if (looks_like_path(id_or_file)) return id_or_file;
    {
        fmt::print(stderr,
                   "kelias: unknown {} '{}': no file '{}.yaml' in the search path; looked for:\n{}"
                   "  hint: give a file path, or add its folder to KELIAS_PATH (folders separated by ':')\n",
                   what, id_or_file, id_or_file, search_path_listing(id_or_file));
    }
    return std::nullopt;
}

int failure_code(const std::vector<Diagnostic>& ds) {
    return has_code(ds, DiagnosticCode::unreadable_file) ? exit_unreadable : exit_usage;
}

}  // namespace

void print(const std::vector<Diagnostic>& diagnostics) {
    const std::string text = format(diagnostics);
    std::fwrite(text.data(), 1, text.size(), stderr);
}

void print(const Diagnostic& diagnostic) { print(std::vector<Diagnostic>{diagnostic}); }

std::string place(const Location& where, const std::string& fallback_file) {
    std::string out = where.file.empty() ? fallback_file : where.file;
    if (where.line > 0) {
        out += ':' + std::to_string(where.line);
        if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    return out;
}

bool flush_stdout() {
    if (std::fflush(stdout) == 0 && !std::ferror(stdout)) return true;
    fmt::print(stderr, "kelias: cannot write standard output (the disk is full, or the pipe was closed)\n");
    return false;
}

LoadedInstrument load_instrument_arg(const std::string& id_or_file) {
    const auto path = resolve(id_or_file, "instrument");
    if (!path) return {id_or_file, std::nullopt, exit_unreadable};
    auto loaded = load_instrument_file(*path);
    print(loaded.diagnostics());
    if (!loaded) {
        return {*path, std::nullopt, failure_code(loaded.error())};
    }
    return {*path, *loaded, exit_ok};
}

LoadedRules load_rules_arg(const std::string& id_or_file) {
    const auto path = resolve(id_or_file, "rule set");
    if (!path) return {id_or_file, std::nullopt, exit_unreadable};
    auto loaded = load_rules_file(*path);
    print(loaded.diagnostics());
    if (!loaded) return {*path, std::nullopt, failure_code(loaded.error())};
    return {*path, *loaded, exit_ok};
}

LoadedPlanPolicy load_plan_policy_arg(const std::string& id_or_file) {
    const auto path = resolve(id_or_file, "plan policy");
    if (!path) return {id_or_file, std::nullopt, exit_unreadable};
    auto loaded = load_plan_policy_file(*path);
    print(loaded.diagnostics());
    if (!loaded) return {*path, std::nullopt, failure_code(loaded.error())};
    return {*path, *loaded, exit_ok};
}

int finish_tests(int code, int passed, int failed) {
    fmt::print("{} passed, {} failed\n", passed, failed);
    if (failed > 0) code = std::max<int>(code, exit_usage);
    if (!flush_stdout()) return exit_unreadable;
    return code;
}

}  // namespace kelias::cli
