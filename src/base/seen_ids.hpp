#pragma once
// Which ids a run has seen, and on which line first: an open-addressing table of 64-bit
// hashes, so that a million rows cost 16 bytes each and no allocation per row. Two
// different ids with the same hash (about one chance in 10^19 per pair) would be taken for
// one: acceptable for a warning.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

class SeenIds {
public:
    /// The line `id` was first seen on, after recording `line` for it when it is new
    /// (then the result is `line` itself).
    std::size_t first_line(std::string_view id, std::size_t line) {
        if ((used_ + 1) * 2 > slots_.size()) grow();
        std::uint64_t h = std::hash<std::string_view>{}(id);
        if (h == 0) h = 1;  // 0 marks an empty slot
        const std::size_t mask = slots_.size() - 1;
        for (std::size_t i = static_cast<std::size_t>(h) & mask;; i = (i + 1) & mask) {
            Slot& s = slots_[i];
            if (s.hash == h) return s.line;
            if (s.hash == 0) {
                s = {h, line};
                ++used_;
                return line;
            }
        }
    }

private:
    struct Slot {
        std::uint64_t hash = 0;
        std::size_t line = 0;
    };
    void grow() {
        std::vector<Slot> old = std::move(slots_);
        slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
        const std::size_t mask = slots_.size() - 1;
        for (const Slot& s : old) {
            if (s.hash == 0) continue;
            std::size_t i = static_cast<std::size_t>(s.hash) & mask;
            while (slots_[i].hash != 0) i = (i + 1) & mask;
            slots_[i] = s;
        }
    }

    std::vector<Slot> slots_;
    std::size_t used_ = 0;
};

}  // namespace detail
KELIAS_END_NAMESPACE
