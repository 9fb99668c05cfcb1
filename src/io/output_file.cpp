#include <kelias/output_file.hpp>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>
#include <utility>

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/text.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

namespace fs = std::filesystem;

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

std::string temporary_prefix(const std::string& target) { return "." + name_of(target) + ".tmp-"; }

// Removes hidden temporary files of `target` left by writers that died: a live writer holds
// a lock on its file, so a file whose lock can be taken has no writer any more.
void remove_stale_temporaries(const std::string& target) {
    const std::string folder = folder_of(target), prefix = temporary_prefix(target);
    DIR* dir = opendir(folder.c_str());
    if (!dir) return;
    while (const dirent* entry = readdir(dir)) {
        const std::string_view name(entry->d_name);
        if (!name.starts_with(prefix)) continue;
        const std::string path = folder + "/" + std::string(name);
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0) continue;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) unlink(path.c_str());
        ::close(fd);
    }
    closedir(dir);
}

std::string random_suffix() {
    static constexpr char letters[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device device;
    std::string out;
    for (int i = 0; i < 8; ++i) out += letters[device() % (sizeof letters - 1)];
    return out;
}

}  // namespace

bool same_file(const std::string& a, const std::string& b) {
    if (a == "-" || b == "-" || a.empty() || b.empty()) return false;
    struct stat sa {
    }, sb{};
    const bool ea = stat(a.c_str(), &sa) == 0, eb = stat(b.c_str(), &sb) == 0;
    if (ea && eb) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    if (ea != eb) return false;
    std::error_code ec1, ec2;
    const fs::path ra = fs::weakly_canonical(a, ec1), rb = fs::weakly_canonical(b, ec2);
    return !ec1 && !ec2 && ra == rb;
}

OutputFile::OutputFile(OutputFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)), final_path_(std::move(other.final_path_)),
      folder_(std::move(other.folder_)), temp_path_(std::exchange(other.temp_path_, {})),
      unnamed_(std::exchange(other.unnamed_, false)) {}

OutputFile& OutputFile::operator=(OutputFile&& other) noexcept {
    if (this != &other) {
        discard();
        fd_ = std::exchange(other.fd_, -1);
        path_ = std::move(other.path_);
        final_path_ = std::move(other.final_path_);
        folder_ = std::move(other.folder_);
        temp_path_ = std::exchange(other.temp_path_, {});
        unnamed_ = std::exchange(other.unnamed_, false);
    }
    return *this;
}

OutputFile::~OutputFile() { discard(); }

void OutputFile::discard() noexcept {
    if (fd_ >= 0 && fd_ != STDOUT_FILENO) ::close(fd_);
    fd_ = -1;
    if (!temp_path_.empty()) unlink(temp_path_.c_str());
    temp_path_.clear();
    unnamed_ = false;
}

std::optional<Diagnostic> OutputFile::failure(const std::string& message) const {
    return Diagnostic{Severity::error,
                      DiagnosticCode::unwritable_output,
                      message,
                      {},
                      Location{is_stdout() ? std::string() : path_, 0, 0}};
}

std::optional<Diagnostic> OutputFile::open(const std::string& path, const std::vector<std::string>& inputs) {
    discard();
    path_ = path;
    if (path == "-") {
        fd_ = STDOUT_FILENO;
        return std::nullopt;
    }
    for (const auto& input : inputs)
        if (same_file(path, input))
            return failure("will not write '" + path + "': it is also an input of this run ('" + input +
                           "'), which would be lost");
    struct stat st {};
    // /dev/stdout, /proc/self/fd/N and the like stand for an open stream, never a file to replace.
    const bool special = path.starts_with("/dev/") || path.starts_with("/proc/");
    const bool exists = stat(path.c_str(), &st) == 0;
    if (exists && (special || !S_ISREG(st.st_mode))) {
        if (S_ISDIR(st.st_mode)) return failure("cannot write '" + path + "': it is a directory");
        // Appending keeps what a `>>` redirection behind /dev/stdout already holds.
        fd_ = ::open(path.c_str(), O_WRONLY | O_CLOEXEC | (S_ISREG(st.st_mode) ? O_APPEND : 0));
        if (fd_ < 0) return failure("cannot write '" + path + "': " + errno_text());
        return std::nullopt;
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
    return open_temporary(target);
}

std::optional<Diagnostic> OutputFile::open_temporary(const std::string& target) {
    final_path_ = target;
    folder_ = folder_of(target);
    remove_stale_temporaries(target);
#ifdef O_TMPFILE
    // An unnamed file: nothing to clean up if the process dies. It is named at commit
    // through /proc/self/fd, so that must be there.
    if (access("/proc/self/fd", X_OK) == 0) {
        fd_ = ::open(folder_.c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
        if (fd_ >= 0) {
            unnamed_ = true;
            flock(fd_, LOCK_EX | LOCK_NB);  // held through the brief moment it has a name
            return std::nullopt;
        }
    }
#endif
    std::string pattern = folder_ + "/" + temporary_prefix(target) + "XXXXXX";
    fd_ = mkstemp(pattern.data());  // mode 0600 whatever the umask
    if (fd_ < 0) return failure("cannot create '" + path_ + "' (temporary file in " + folder_ + "): " + errno_text());
    temp_path_ = pattern;
    flock(fd_, LOCK_EX | LOCK_NB);  // tells a later run that this writer is alive
    return std::nullopt;
}

std::optional<Diagnostic> OutputFile::write(std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = ::write(fd_, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return failure("cannot write " + (is_stdout() ? std::string("standard output") : "'" + path_ + "'") + ": " +
                           errno_text());
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return std::nullopt;
}

std::optional<Diagnostic> OutputFile::commit() {
    if (!unnamed_ && temp_path_.empty()) return std::nullopt;  // stdout or a device: nothing to make final
    if (fsync(fd_) != 0) {
        auto problem = failure("cannot write '" + path_ + "': " + errno_text());
        discard();
        return problem;
    }
    if (unnamed_) {
        // Give the unnamed file a hidden name, then rename it over the target.
        const std::string proc = "/proc/self/fd/" + std::to_string(fd_);
        for (int attempt = 0; attempt < 16 && temp_path_.empty(); ++attempt) {
            const std::string candidate = folder_ + "/" + temporary_prefix(final_path_) + random_suffix();
            if (linkat(AT_FDCWD, proc.c_str(), AT_FDCWD, candidate.c_str(), AT_SYMLINK_FOLLOW) == 0)
                temp_path_ = candidate;
            else if (errno != EEXIST)
                break;
        }
        unnamed_ = false;
        if (temp_path_.empty()) {
            auto problem = failure("cannot create '" + path_ + "': " + errno_text());
            discard();
            return problem;
        }
    }
    if (::close(fd_) != 0) {
        fd_ = -1;
        auto problem = failure("cannot write '" + path_ + "': " + errno_text());
        discard();
        return problem;
    }
    fd_ = -1;
    if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
        auto problem = failure("cannot create '" + path_ + "': " + errno_text());
        discard();
        return problem;
    }
    temp_path_.clear();
    sync_folder(folder_);
    return std::nullopt;
}

KELIAS_END_NAMESPACE
