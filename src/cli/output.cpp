#include "cli/output.hpp"

#include <array>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kelias::cli {
namespace {

// Temporary files may hold assessments: remove them when the user interrupts a run.
// Paths live in fixed buffers because only async-signal-safe calls may touch them.
constexpr int cleanup_slots = 4;
std::array<std::array<char, PATH_MAX>, cleanup_slots> pending_paths{};
std::array<volatile std::sig_atomic_t, cleanup_slots> pending_used{};

extern "C" void remove_pending_and_reraise(int sig) {
    for (int i = 0; i < cleanup_slots; ++i)
        if (pending_used[static_cast<std::size_t>(i)]) unlink(pending_paths[static_cast<std::size_t>(i)].data());
    std::signal(sig, SIG_DFL);
    std::raise(sig);
}

void install_cleanup_handlers() {
    static bool installed = false;
    if (installed) return;
    installed = true;
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) {
        struct sigaction action {};
        action.sa_handler = remove_pending_and_reraise;
        sigemptyset(&action.sa_mask);
        struct sigaction previous {};
        sigaction(sig, nullptr, &previous);
        if (previous.sa_handler == SIG_IGN) continue;  // keep what the parent asked for (nohup)
        sigaction(sig, &action, nullptr);
    }
}

int register_for_cleanup(const std::string& path) {
    if (path.size() >= PATH_MAX) return -1;
    install_cleanup_handlers();
    for (int i = 0; i < cleanup_slots; ++i) {
        auto slot = static_cast<std::size_t>(i);
        if (pending_used[slot]) continue;
        std::memcpy(pending_paths[slot].data(), path.c_str(), path.size() + 1);
        pending_used[slot] = 1;
        return i;
    }
    return -1;
}

void unregister_for_cleanup(int slot) {
    if (slot >= 0) pending_used[static_cast<std::size_t>(slot)] = 0;
}

std::string errno_text() { return std::strerror(errno); }

std::string folder_of(const std::string& path) {
    const auto slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

std::string name_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

void sync_folder(const std::string& folder) {
    const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    fsync(fd);  // best effort: the rename itself already happened
    ::close(fd);
}

}  // namespace

OutputFile::~OutputFile() { discard(); }

void OutputFile::discard() noexcept {
    if (fd_ >= 0 && fd_ != STDOUT_FILENO) ::close(fd_);
    fd_ = -1;
    if (!temp_path_.empty()) {
        unlink(temp_path_.c_str());
        temp_path_.clear();
    }
    unregister_for_cleanup(cleanup_slot_);
    cleanup_slot_ = -1;
}

bool OutputFile::open(const std::string& path, std::string& error) {
    discard();
    path_ = path;
    if (path == "-") {
        fd_ = STDOUT_FILENO;
        return true;
    }
    struct stat st {};
    // /dev/stdout, /proc/self/fd/N and the like stand for an open stream, never a file to replace.
    const bool special = path.starts_with("/dev/") || path.starts_with("/proc/");
    const bool exists = stat(path.c_str(), &st) == 0;
    if (exists && (special || !S_ISREG(st.st_mode))) {
        if (S_ISDIR(st.st_mode)) {
            error = "cannot write '" + path + "': it is a directory";
            return false;
        }
        // Appending keeps what a `>>` redirection behind /dev/stdout already holds.
        fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | (S_ISREG(st.st_mode) ? O_APPEND : 0));
        if (fd_ < 0) {
            error = "cannot write '" + path + "': " + errno_text();
            return false;
        }
        return true;
    }
    // A symlink to a regular file: replace the file it points to, not the link.
    std::string target = path;
    struct stat link {};
    if (lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
        if (char* resolved = realpath(path.c_str(), nullptr)) {
            target = resolved;
            std::free(resolved);
        }
    }
    return open_temporary(target, error);
}

bool OutputFile::open_temporary(const std::string& target, std::string& error) {
    std::string pattern = folder_of(target) + "/." + name_of(target) + ".tmp-XXXXXX";
    fd_ = mkstemp(pattern.data());  // mode 0600 whatever the umask
    if (fd_ < 0) {
        error = "cannot create '" + path_ + "' (temporary file in " + folder_of(target) + "): " + errno_text();
        return false;
    }
    temp_path_ = pattern;
    final_path_ = target;
    cleanup_slot_ = register_for_cleanup(temp_path_);
    return true;
}

bool OutputFile::write(std::string_view data, std::string& error) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd_, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            error = "cannot write " + (is_stdout() ? std::string("standard output") : "'" + path_ + "'") + ": " + errno_text();
            return false;
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
}

bool OutputFile::commit(std::string& error) {
    if (temp_path_.empty()) return true;  // stdout or a device: nothing to make final
    if (fsync(fd_) != 0 || ::close(fd_) != 0) {
        fd_ = -1;
        error = "cannot write '" + path_ + "': " + errno_text();
        discard();
        return false;
    }
    fd_ = -1;
    if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
        error = "cannot create '" + path_ + "': " + errno_text();
        discard();
        return false;
    }
    temp_path_.clear();
    unregister_for_cleanup(cleanup_slot_);
    cleanup_slot_ = -1;
    sync_folder(folder_of(final_path_));
    return true;
}

}  // namespace kelias::cli
