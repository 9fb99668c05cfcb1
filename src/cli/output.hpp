#pragma once
/// \file output.hpp
/// Output files written atomically and readable by their owner only.
#include <string>
#include <string_view>

namespace kelias::cli {

/// Where a command's data goes: stdout ("-"), or a file that appears complete or not at
/// all. A regular file is written to a temporary file (mode 0600) in the same folder,
/// synced and renamed over the target by commit(); without commit() the temporary file
/// is removed. Targets that are not regular files (/dev/null, a FIFO) are written to
/// directly, because renaming over them would replace the device or pipe.
class OutputFile {
public:
    OutputFile() = default;
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    ~OutputFile();

    /// Opens `path` ("-" = stdout). On failure returns false with a message in `error`.
    bool open(const std::string& path, std::string& error);
    bool write(std::string_view data, std::string& error);
    /// Flushes and, for a regular file, syncs and renames it into place.
    bool commit(std::string& error);

    bool is_stdout() const noexcept { return path_ == "-"; }
    const std::string& path() const noexcept { return path_; }

private:
    bool open_temporary(const std::string& target, std::string& error);
    void discard() noexcept;

    int fd_ = -1;
    std::string path_;         ///< as given
    std::string final_path_;   ///< where the temporary file is renamed to
    std::string temp_path_;    ///< empty when writing directly
    int cleanup_slot_ = -1;    ///< registration for removal on SIGINT/SIGTERM
};

}  // namespace kelias::cli
