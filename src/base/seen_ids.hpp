#pragma once
// Which ids a run has seen, and on which line first: open-addressing tables of 64-bit
// hashes, so that a million rows cost 16 bytes each and no allocation per row. Two
// different ids with the same hash (about one chance in 10^19 per pair) would be taken for
// one: acceptable for a warning. The tables are shards by hash, so that the ids of a
// chunk can be recorded by several threads at once, each owning some shards, with the
// same result as one thread going row by row.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

class SeenIds {
public:
    /// The hash record() takes for `id` (never 0: 0 marks a row not to record).
    static std::uint64_t hash(std::string_view id) noexcept;

    /// The line `id` was first seen on, after recording `line` for it when it is new
    /// (then the result is `line` itself).
    std::size_t first_line(std::string_view id, std::size_t line);

    /// Records the rows of a chunk in order: row r has id hash `hashes[r]` (0: skip it) on
    /// line `lines[r]`. Returns (row, first line) for every row whose id came before, in
    /// row order. Up to `threads` threads share the work.
    std::vector<std::pair<std::size_t, std::size_t>> record(std::span<const std::uint64_t> hashes,
                                                            std::span<const std::size_t> lines, std::size_t threads);

private:
    class Table {
    public:
        std::size_t first_line(std::uint64_t hash, std::size_t line);

    private:
        struct Slot {
            std::uint64_t hash = 0;
            std::size_t line = 0;
        };
        void grow();
        std::vector<Slot> slots_;
        std::size_t used_ = 0;
    };

    static constexpr unsigned shard_bits = 4;
    static std::size_t shard_of(std::uint64_t hash) noexcept { return hash >> (64 - shard_bits); }
    std::array<Table, std::size_t{1} << shard_bits> shards_;
};

}  // namespace detail
KELIAS_END_NAMESPACE
