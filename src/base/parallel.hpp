#pragma once
// Splitting a range of rows over a few threads.
#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Threads to use for `rows` rows: `requested` (0 = one per core), but at least `min_rows`
/// rows per thread, since starting a thread costs more than a few rows.
inline std::size_t thread_count(std::size_t rows, unsigned requested, std::size_t min_rows = 2048) {
    const std::size_t cores = requested ? requested : std::max(1u, std::thread::hardware_concurrency());
    return std::clamp<std::size_t>(rows / min_rows, 1, cores);
}

/// Calls work(part, begin, end) for `parts` consecutive slices of [0, rows), each on its
/// own thread (the first on the calling thread), and waits for all of them.
template <class Work>
void for_each_slice(std::size_t rows, std::size_t parts, Work&& work) {
    auto begin = [&](std::size_t part) { return rows * part / parts; };
    std::vector<std::jthread> helpers;
    for (std::size_t part = 1; part < parts; ++part)
        helpers.emplace_back([&work, part, b = begin(part), e = begin(part + 1)] { work(part, b, e); });
    work(std::size_t{0}, begin(0), begin(1));
}

}  // namespace detail
KELIAS_END_NAMESPACE
