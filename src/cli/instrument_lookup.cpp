#include "cli/instrument_lookup.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <vector>

#include <fmt/core.h>
#include <kelias/diagnostic.hpp>

#include "cli/exit_code.hpp"

namespace kelias::cli {
namespace {

// The folders kelias::find_definition searches, as text.
std::vector<std::string> search_folders() {
    std::vector<std::string> folders;
    for (const auto& dir : definition_search_path()) folders.push_back(dir.string());
    return folders;
}

bool looks_like_path(const std::string& arg) { return arg.find('/') != std::string::npos || arg.ends_with(".yaml"); }

}  // namespace

bool is_rule_set_file(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.starts_with("kind:")) continue;
        std::string_view value = std::string_view(line).substr(5);
        while (!value.empty() && (value.front() == ' ' || value.front() == '"' || value.front() == '\'')) value.remove_prefix(1);
        return value.starts_with("rules");
    }
    return false;
}

std::string place(const Location& where, const std::string& fallback_file) {
    std::string out = where.file.empty() ? fallback_file : where.file;
    if (where.line > 0) {
        out += ':' + std::to_string(where.line);
        if (where.column > 0) out += ':' + std::to_string(where.column);
    }
    return out;
}

int report_failed_load(const std::string& path, const std::vector<Diagnostic>& diagnostics) {
    const bool unreadable = std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) { return d.code == "E000"; });
    if (!unreadable && is_rule_set_file(path)) {
        fmt::print(stderr, "kelias: {}: a rule set (kind: rules), not an instrument\n"
                           "  hint: use `kelias rules validate` / `kelias rules test` / `kelias rules show`\n", path);
        return exit_usage;
    }
    fmt::print(stderr, "{}", format(diagnostics));
    return unreadable ? exit_unreadable : exit_usage;
}

std::string describe_search_path(const std::string& id) {
    std::string out;
    for (const auto& folder : search_folders()) out += fmt::format("  {}/{}.yaml\n", folder, id);
    return out;
}

LoadedInstrument load_instrument_arg(const std::string& id_or_file) {
    const auto path = find_definition(id_or_file);
    if (!path) {
        if (looks_like_path(id_or_file))
            fmt::print(stderr, "kelias: cannot read instrument file '{}': no such file\n", id_or_file);
        else
            fmt::print(stderr,
                       "kelias: unknown instrument '{}': no file '{}.yaml' in the search path; looked for:\n{}"
                       "  hint: give a file path, or add its folder to KELIAS_PATH (folders separated by ':')\n",
                       id_or_file, id_or_file, describe_search_path(id_or_file));
        return {std::nullopt, exit_unreadable};
    }
    auto loaded = load_instrument_file(*path);
    if (!loaded) return {std::nullopt, report_failed_load(path->string(), loaded.diagnostics())};
    fmt::print(stderr, "{}", format(loaded.diagnostics()));  // warnings
    return {*loaded, exit_ok};
}

}  // namespace kelias::cli
