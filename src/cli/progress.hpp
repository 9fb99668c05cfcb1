#pragma once
/// \file progress.hpp
/// A percentage on stderr for long runs, shown only to a person watching a terminal.
#include <chrono>
#include <cstddef>

namespace kelias::cli {

class Progress {
public:
    /// Shows progress only when stderr is a terminal and `total_bytes` exceeds ~10 MB.
    explicit Progress(std::size_t total_bytes);
    ~Progress() { finish(); }
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    /// Reports how many bytes are done; redraws at most ~10 times a second.
    void update(std::size_t done_bytes);
    /// Clears the line so that later messages start on a clean one.
    void finish();

private:
    std::size_t total_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace kelias::cli
