#include "io/input_source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/text.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

std::vector<Diagnostic> problem(DiagnosticCode code, const std::string& message, const std::string& hint = {}) {
    return {{Severity::error, code, message, hint, {}}};
}

}  // namespace

InputSource::InputSource(InputSource&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), owned_(std::exchange(other.owned_, false)), name_(std::move(other.name_)),
      size_(other.size_), read_(other.read_), max_stream_bytes_(other.max_stream_bytes_), text_(std::move(other.text_)),
      in_memory_(other.in_memory_) {}

InputSource& InputSource::operator=(InputSource&& other) noexcept {
    if (this != &other) {
        if (owned_ && fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
        owned_ = std::exchange(other.owned_, false);
        name_ = std::move(other.name_);
        size_ = other.size_;
        read_ = other.read_;
        max_stream_bytes_ = other.max_stream_bytes_;
        text_ = std::move(other.text_);
        in_memory_ = other.in_memory_;
    }
    return *this;
}

InputSource::~InputSource() {
    if (owned_ && fd_ >= 0) ::close(fd_);
}

Result<InputSource> InputSource::open(const std::string& path, std::string name, std::uint64_t max_stream_bytes) {
    InputSource in;
    in.name_ = std::move(name);
    in.max_stream_bytes_ = max_stream_bytes;
    if (path == "-") {
        in.fd_ = STDIN_FILENO;
    } else {
        in.fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (in.fd_ < 0)
            return problem(DiagnosticCode::unreadable_file,
                           "cannot open '" + for_message(path) + "': " + std::strerror(errno));
        in.owned_ = true;
    }
    struct stat st {};
    if (fstat(in.fd_, &st) != 0)
        return problem(DiagnosticCode::unreadable_file, "cannot read " + in.name_ + ": " + std::strerror(errno));
    if (S_ISDIR(st.st_mode))
        return problem(DiagnosticCode::unreadable_file, "cannot read " + in.name_ + ": it is a directory");
    if (S_ISREG(st.st_mode)) {
        in.size_ = static_cast<std::uint64_t>(st.st_size);
        posix_fadvise(in.fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    }
    return in;
}

InputSource InputSource::from_text(std::string text, std::string name) {
    InputSource in;
    in.name_ = std::move(name);
    in.text_ = std::move(text);
    in.in_memory_ = true;
    in.size_ = in.text_.size();
    return in;
}

Result<std::size_t> InputSource::read(char* into, std::size_t wanted) {
    if (in_memory_) {
        const std::size_t n = std::min<std::size_t>(wanted, text_.size() - static_cast<std::size_t>(read_));
        std::memcpy(into, text_.data() + read_, n);
        read_ += n;
        return n;
    }
    std::size_t got = 0;
    while (got < wanted) {
        const ssize_t n = ::read(fd_, into + got, wanted - got);
        if (n == 0) break;
        if (n < 0) {
            if (errno == EINTR) continue;
            return problem(DiagnosticCode::unreadable_file, "cannot read " + name_ + ": " + std::strerror(errno));
        }
        got += static_cast<std::size_t>(n);
    }
    read_ += got;
    if (size_) {
        // A file that shrinks or grows under a run would give a result for no version of it.
        struct stat st {};
        const bool at_end = got < wanted;
        if (read_ > *size_ ||
            (at_end && (read_ < *size_ || (fstat(fd_, &st) == 0 && static_cast<std::uint64_t>(st.st_size) != *size_))))
            return problem(DiagnosticCode::input_changed,
                           name_ + " changed while it was read (it had " + std::to_string(*size_) +
                               " bytes when opened)",
                           "wait until whatever writes it has finished, or score a copy");
    } else if (read_ > max_stream_bytes_) {
        return problem(DiagnosticCode::input_limit,
                       name_ + " is longer than the limit of " + std::to_string(max_stream_bytes_) +
                           " bytes for a stream",
                       "raise the limit (--max-input), or save the input to a file first");
    }
    return got;
}

}  // namespace detail
KELIAS_END_NAMESPACE
