#pragma once
/// \file input_file.hpp
/// Reading a whole input (file or stdin) into memory in one go.
#include <cstddef>
#include <string>
#include <string_view>

namespace kelias::cli {

/// The whole input as one block of text: a read-only mapping of a regular file, or a
/// copy of what a pipe or terminal delivered.
class InputText {
public:
    InputText() = default;
    InputText(const InputText&) = delete;
    InputText& operator=(const InputText&) = delete;
    InputText(InputText&& other) noexcept;
    InputText& operator=(InputText&& other) noexcept;
    ~InputText();

    std::string_view text() const noexcept;

    /// Reads `path` ("-" = stdin). Returns false and sets `error` (naming the path) when
    /// the input cannot be read.
    bool open(const std::string& path, std::string& error);

private:
    bool map_or_copy(int fd, const std::string& name, std::string& error);
    void release() noexcept;

    void* mapping_ = nullptr;
    std::size_t mapping_size_ = 0;
    std::string copy_;
};

}  // namespace kelias::cli
