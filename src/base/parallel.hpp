#pragma once
// Splitting a range of rows over a few threads.
#include <algorithm>
#include <cstddef>
#include <exception>
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
/// own thread (the first on the calling thread), and waits for all of them. An exception
/// thrown by any slice is rethrown here once all have ended (the first slice's first).
template <class Work>
void for_each_slice(std::size_t rows, std::size_t parts, Work&& work) {
    auto begin = [&](std::size_t part) { return rows * part / parts; };
    std::vector<std::exception_ptr> errors(parts);
    {
        std::vector<std::jthread> helpers;
        for (std::size_t part = 1; part < parts; ++part)
            helpers.emplace_back([&work, &errors, part, b = begin(part), e = begin(part + 1)] {
                try {
                    work(part, b, e);
                } catch (...) {
                    errors[part] = std::current_exception();
                }
            });
        try {
            work(std::size_t{0}, begin(0), begin(1));
        } catch (...) {
            errors[0] = std::current_exception();
        }
    }  // joins the helpers
    for (const auto& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace detail
KELIAS_END_NAMESPACE
