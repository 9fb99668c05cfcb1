#pragma once
// Remembers what kelias::parse_cell made of the few distinct short texts a column holds.
#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include <kelias/instrument.hpp>
#include <kelias/ratings.hpp>

#include "model/ratings_access.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Ratings columns hold a handful of distinct texts (`0`, `1`, `2`, `na`, `true`, ``),
/// and a million rows repeat them 125 million times. parse_cell is a pure function of
/// (field, text), so its answer for a short text is computed once per field and reused.
/// The lookup is branch-free: with random ratings, which entry matches is unpredictable
/// and a mispredicted branch per cell would cost more than the parsing it saves.
/// Not thread-safe: one cache per parsing thread.
class CellCache {
public:
    explicit CellCache(const Instrument& instrument) : instrument_(instrument), fields_(instrument.fields().size()) {}

    /// `readable8`: at least 8 bytes can be read from text.data() (the cell need not be
    /// that long), which lets the key be built with one load.
    ParsedCell parse(std::size_t field, std::string_view text, bool readable8) {
        if (text.size() > max_length) return parse_cell(instrument_, field, text);
        const std::uint64_t key = make_key(text, readable8);
        PerField& cache = fields_[field];
        int hit = -1;
        for (int i = 0; i < slots; ++i) hit = cache.keys[static_cast<std::size_t>(i)] == key ? i : hit;
        if (hit >= 0) return cache.cells[static_cast<std::size_t>(hit)];
        const ParsedCell cell = parse_cell(instrument_, field, text);
        if (cache.used < slots) {
            cache.keys[cache.used] = key;
            cache.cells[cache.used] = cell;
            ++cache.used;
        }
        return cell;
    }

    /// What was made of `text` (at most max_length bytes, 8 readable) for `field` before, or
    /// nullptr when it was not seen yet: the inlined first step of parse().
    const ParsedCell* find(std::size_t field, std::string_view text) const noexcept {
        const std::uint64_t key = make_key(text, true);
        const PerField& cache = fields_[field];
        int hit = -1;
        for (int i = 0; i < slots; ++i) hit = cache.keys[static_cast<std::size_t>(i)] == key ? i : hit;
        return hit >= 0 ? &cache.cells[static_cast<std::size_t>(hit)] : nullptr;
    }

    /// Parses `text` into row `row` of `batch` (value and state, whatever they were);
    /// returns the reason when it is invalid.
    const char* store(RatingsBatch& batch, std::size_t row, std::size_t field, std::string_view text, bool readable8) {
        const ParsedCell cell = parse(field, text, readable8);
        RatingsBatchAccess::values(batch, field)[row] = cell.state == CellState::value ? cell.value : 0.0;
        RatingsBatchAccess::states(batch, field)[row] = cell.state;
        return cell.error;
    }

    static constexpr std::size_t max_length = 7;  // the key's top byte holds the length

private:
    static constexpr int slots = 8;
    static constexpr std::uint64_t no_key = ~std::uint64_t{0};  // its length byte 0xff never occurs

    // The bytes of the text (little end first) and its length in the top byte.
    static std::uint64_t make_key(std::string_view text, bool readable8) {
        std::uint64_t key = 0;
        if (readable8) {
            std::memcpy(&key, text.data(), sizeof key);
            key &= text.empty() ? 0 : ~std::uint64_t{0} >> (64 - 8 * text.size());
        } else {
            for (std::size_t i = 0; i < text.size(); ++i)
                key |= std::uint64_t{static_cast<unsigned char>(text[i])} << (8 * i);
        }
        return key | std::uint64_t{text.size()} << 56;
    }

    struct PerField {
        PerField() { keys.fill(no_key); }
        std::array<std::uint64_t, slots> keys;
        std::array<ParsedCell, slots> cells{};
        std::size_t used = 0;
    };

    const Instrument& instrument_;
    std::vector<PerField> fields_;
};

}  // namespace detail
KELIAS_END_NAMESPACE
