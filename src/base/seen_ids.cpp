#include "base/seen_ids.hpp"

#include <algorithm>
#include <functional>

#include "base/parallel.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

std::uint64_t SeenIds::hash(std::string_view id) noexcept {
    const std::uint64_t h = std::hash<std::string_view>{}(id);
    return h == 0 ? 1 : h;
}

std::size_t SeenIds::first_line(std::string_view id, std::size_t line) {
    const std::uint64_t h = hash(id);
    return shards_[shard_of(h)].first_line(h, line);
}

std::vector<std::pair<std::size_t, std::size_t>>
SeenIds::record(std::span<const std::uint64_t> hashes, std::span<const std::size_t> lines, std::size_t threads) {
    // Each thread owns a range of shards and goes through every row in order, recording
    // those of its shards: an id lives in one shard, so its first line is the same as
    // with one thread.
    const std::size_t parts = std::clamp<std::size_t>(threads, 1, shards_.size());
    std::vector<std::vector<std::pair<std::size_t, std::size_t>>> repeats(parts);
    for_each_slice(shards_.size(), parts, [&](std::size_t part, std::size_t first_shard, std::size_t end_shard) {
        for (std::size_t r = 0; r < hashes.size(); ++r) {
            const std::uint64_t h = hashes[r];
            if (h == 0) continue;
            const std::size_t shard = shard_of(h);
            if (shard < first_shard || shard >= end_shard) continue;
            const std::size_t first = shards_[shard].first_line(h, lines[r]);
            if (first != lines[r]) repeats[part].emplace_back(r, first);
        }
    });
    std::vector<std::pair<std::size_t, std::size_t>> all;
    for (auto& part : repeats) all.insert(all.end(), part.begin(), part.end());
    std::sort(all.begin(), all.end());
    return all;
}

std::size_t SeenIds::Table::first_line(std::uint64_t hash, std::size_t line) {
    if ((used_ + 1) * 2 > slots_.size()) grow();
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
        Slot& s = slots_[i];
        if (s.hash == hash) return s.line;
        if (s.hash == 0) {
            s = {hash, line};
            ++used_;
            return line;
        }
    }
}

void SeenIds::Table::grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
        if (s.hash == 0) continue;
        std::size_t i = static_cast<std::size_t>(s.hash) & mask;
        while (slots_[i].hash != 0) i = (i + 1) & mask;
        slots_[i] = s;
    }
}

}  // namespace detail
KELIAS_END_NAMESPACE
