// Where shipped definitions are found: KELIAS_PATH, then the installation this code belongs
// to. The folders are found at run time from where the program or the shared library
// lies, so an installed kelias moved to another prefix still finds its own definitions,
// and nothing points back into the source tree it was built from.
#include <kelias/instrument.hpp>

#include <cstdlib>
#include <system_error>

#include <dlfcn.h>
#include <unistd.h>

KELIAS_BEGIN_NAMESPACE
namespace {

namespace fs = std::filesystem;

// The running program, as the kernel knows it.
std::optional<fs::path> program_path() {
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec || exe.empty()) return std::nullopt;
    return exe;
}

// The file holding this code: libkelias.so, or the program when kelias is linked statically.
std::optional<fs::path> module_path() {
    Dl_info info{};
    if (dladdr(reinterpret_cast<void*>(&definition_search_path), &info) == 0 || !info.dli_fname || !*info.dli_fname)
        return std::nullopt;
    std::error_code ec;
    fs::path p = fs::canonical(info.dli_fname, ec);
    if (ec) return std::nullopt;
    return p;
}

void add_if_folder(std::vector<fs::path>& dirs, const fs::path& dir) {
    std::error_code ec;
    const fs::path normal = dir.lexically_normal();
    if (!fs::is_directory(normal, ec)) return;
    for (const auto& d : dirs)
        if (d == normal) return;
    dirs.push_back(normal);
}

}  // namespace

std::vector<fs::path> definition_search_path() {
    std::vector<fs::path> dirs;
    if (const char* env = std::getenv("KELIAS_PATH")) {
        std::string_view rest(env);
        while (!rest.empty()) {
            const auto colon = rest.find(':');
            const auto part = rest.substr(0, colon);
            if (!part.empty()) dirs.emplace_back(part);
            if (colon == std::string_view::npos) break;
            rest.remove_prefix(colon + 1);
        }
    }
    // The relative paths from the install's bin/ and lib/ folders to its definitions are
    // fixed when kelias is configured (GNUInstallDirs); the prefix is not.
    if (const auto exe = program_path()) add_if_folder(dirs, exe->parent_path() / KELIAS_DEFINITIONS_FROM_BINDIR);
    if (const auto module = module_path()) {
        add_if_folder(dirs, module->parent_path() / KELIAS_DEFINITIONS_FROM_LIBDIR);
        add_if_folder(dirs, module->parent_path() / KELIAS_DEFINITIONS_FROM_BINDIR);
    }
    return dirs;
}

std::optional<fs::path> find_definition(std::string_view id_or_path) {
    std::error_code ec;
    const fs::path direct(id_or_path);
    if (fs::is_regular_file(direct, ec)) return direct;
    if (id_or_path.empty() || id_or_path.find('/') != std::string_view::npos || id_or_path.ends_with(".yaml"))
        return std::nullopt;
    for (const auto& dir : definition_search_path()) {
        const fs::path candidate = dir / (std::string(id_or_path) + ".yaml");
        if (fs::is_regular_file(candidate, ec)) return candidate;
    }
    return std::nullopt;
}

KELIAS_END_NAMESPACE
