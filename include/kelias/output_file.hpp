#pragma once
/// \file output_file.hpp
/// Output files that appear complete or not at all, readable by their owner only.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/diagnostic.hpp>

KELIAS_BEGIN_NAMESPACE

/// Where a run's data goes: standard output ("-"), or a file that appears complete or not at
/// all. A regular file is written to an unnamed temporary file (O_TMPFILE, mode 0600) in the
/// same folder, synced and renamed over the target by commit(); without commit() nothing
/// is left behind, not even after a crash. Where the file system has no unnamed files, a
/// hidden `.NAME.tmp-XXXXXX` file is used instead, locked while it is written; the next
/// run that writes NAME removes any such file whose writer has died. Targets that are not
/// regular files (/dev/null, a FIFO) are written to directly.
///
/// ```
/// kelias::OutputFile out;
/// if (auto problem = out.open("scores.csv", {"ratings.csv"})) return report(*problem);
/// if (auto problem = out.write(text)) return report(*problem);
/// if (auto problem = out.commit()) return report(*problem);
/// ```
class OutputFile {
public:
    OutputFile() = default;
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;
    OutputFile(OutputFile&& other) noexcept;
    OutputFile& operator=(OutputFile&& other) noexcept;
    ~OutputFile();

    /// Opens `path` ("-" = standard output). `inputs` are the files the run reads: an
    /// output that is one of them, under any name, is refused (E803), so nothing read is
    /// overwritten.
    [[nodiscard]] std::optional<Diagnostic> open(const std::string& path, const std::vector<std::string>& inputs = {});
    [[nodiscard]] std::optional<Diagnostic> write(std::string_view data);
    /// Flushes and, for a regular file, syncs it and renames it into place.
    [[nodiscard]] std::optional<Diagnostic> commit();

    bool is_stdout() const noexcept { return path_ == "-"; }
    const std::string& path() const noexcept { return path_; }

private:
    std::optional<Diagnostic> open_temporary(const std::string& target);
    std::optional<Diagnostic> failure(const std::string& message) const;
    void discard() noexcept;

    int fd_ = -1;
    std::string path_;        // as given
    std::string final_path_;  // where the file is renamed to
    std::string folder_;      // the target's folder
    std::string temp_path_;   // the named temporary file (fallback), or empty
    bool unnamed_ = false;    // an O_TMPFILE file, named only at commit
};

/// True when `a` and `b` are the same file (the same device and inode), or would be once
/// created (the same real path). "-" is never the same as anything.
bool same_file(const std::string& a, const std::string& b);

KELIAS_END_NAMESPACE
