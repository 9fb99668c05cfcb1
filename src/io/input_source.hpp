#pragma once
// Reading an input (a file or standard input) in blocks, so memory stays bounded whatever
// the input's size, with the checks a long run needs: a regular file that changes while it
// is read is an error (E802), and a stream that never ends is cut off at a limit (E801).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <kelias/diagnostic.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

class InputSource {
public:
    InputSource() = default;
    InputSource(const InputSource&) = delete;
    InputSource& operator=(const InputSource&) = delete;
    InputSource(InputSource&& other) noexcept;
    InputSource& operator=(InputSource&& other) noexcept;
    ~InputSource();

    /// Opens `path` ("-" = standard input); `name` is how messages call it.
    static Result<InputSource> open(const std::string& path, std::string name, std::uint64_t max_stream_bytes);
    /// An input already in memory.
    static InputSource from_text(std::string text, std::string name);

    /// Reads up to `wanted` bytes into `into`; returns how many (fewer only at the end).
    /// E000 on a read error, E802 when a regular file changed size, E801 when a stream
    /// passed its limit.
    Result<std::size_t> read(char* into, std::size_t wanted);

    const std::string& name() const noexcept { return name_; }
    /// The size of a regular file when it was opened.
    std::optional<std::uint64_t> size() const noexcept { return size_; }
    std::uint64_t bytes_read() const noexcept { return read_; }
    bool regular() const noexcept { return size_.has_value(); }

private:
    int fd_ = -1;
    bool owned_ = false;
    std::string name_;
    std::optional<std::uint64_t> size_;
    std::uint64_t read_ = 0;
    std::uint64_t max_stream_bytes_ = 0;
    std::string text_;  // from_text
    bool in_memory_ = false;
};

}  // namespace detail
KELIAS_END_NAMESPACE
