#include "cli/progress.hpp"

#include <cstdio>

#include <unistd.h>

namespace kelias::cli {
namespace {

constexpr std::size_t min_bytes = 10'000'000;
constexpr auto min_interval = std::chrono::milliseconds(100);

}  // namespace

Progress::Progress(std::size_t total_bytes)
    : total_(total_bytes), enabled_(total_bytes > min_bytes && isatty(STDERR_FILENO) == 1) {}

void Progress::update(std::size_t done_bytes) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < min_interval) return;
    last_ = now;
    drawn_ = true;
    const int percent = static_cast<int>(100.0 * static_cast<double>(done_bytes) / static_cast<double>(total_));
    std::fprintf(stderr, "\rkelias: %3d%%", percent);
    std::fflush(stderr);
}

void Progress::finish() {
    if (!drawn_) return;
    drawn_ = false;
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
}

}  // namespace kelias::cli
