#include "cli/input_file.hpp"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kelias::cli {

InputText::InputText(InputText&& other) noexcept
    : mapping_(std::exchange(other.mapping_, nullptr)),
      mapping_size_(std::exchange(other.mapping_size_, 0)),
      copy_(std::move(other.copy_)) {}

InputText& InputText::operator=(InputText&& other) noexcept {
    if (this != &other) {
        release();
        mapping_ = std::exchange(other.mapping_, nullptr);
        mapping_size_ = std::exchange(other.mapping_size_, 0);
        copy_ = std::move(other.copy_);
    }
    return *this;
}

InputText::~InputText() { release(); }

void InputText::release() noexcept {
    if (mapping_) munmap(mapping_, mapping_size_);
    mapping_ = nullptr;
    mapping_size_ = 0;
    copy_.clear();
}

std::string_view InputText::text() const noexcept {
    if (mapping_) return {static_cast<const char*>(mapping_), mapping_size_};
    return copy_;
}

bool InputText::open(const std::string& path, std::string& error) {
    release();
    if (path == "-") return map_or_copy(STDIN_FILENO, "standard input", error);
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        error = "cannot open '" + path + "': " + std::strerror(errno);
        return false;
    }
    const bool ok = map_or_copy(fd, "'" + path + "'", error);
    ::close(fd);
    return ok;
}

bool InputText::map_or_copy(int fd, const std::string& name, std::string& error) {
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        error = "cannot read " + name + ": " + std::strerror(errno);
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        error = "cannot read " + name + ": it is a directory";
        return false;
    }
    if (S_ISREG(st.st_mode) && st.st_size > 0) {
        const auto size = static_cast<std::size_t>(st.st_size);
        void* p = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            madvise(p, size, MADV_SEQUENTIAL);
            mapping_ = p;
            mapping_size_ = size;
            return true;
        }
    }
    // Pipes, terminals and files mmap refuses: read everything in large blocks.
    std::size_t used = 0;
    copy_.resize(std::size_t{1} << 20);
    for (;;) {
        if (used == copy_.size()) copy_.resize(copy_.size() * 2);
        const ssize_t got = ::read(fd, copy_.data() + used, copy_.size() - used);
        if (got == 0) break;
        if (got < 0) {
            if (errno == EINTR) continue;
            error = "cannot read " + name + ": " + std::strerror(errno);
            copy_.clear();
            return false;
        }
        used += static_cast<std::size_t>(got);
    }
    copy_.resize(used);
    return true;
}

}  // namespace kelias::cli
