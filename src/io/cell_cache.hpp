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

/// Ratings columns hold a handful of distinct texts (`0`, `1`, `2`, `na`, `true`,
/// `moderate`, ``), and a million rows repeat them 130 million times. parse_cell is a pure
/// function of (field, text), so its answer for a valid text of up to 8 bytes is computed
/// once per field and kept in a small direct-mapped table: a cell is then its 8 bytes (one
/// load and a mask), a multiply for the slot and one comparison, with no search over the
/// texts seen (which entry matches is unpredictable with random ratings, and a search
/// costs a mispredicted branch or a chain of conditional moves per cell). A text whose slot
/// is taken makes the field's table be rebuilt with another multiplier; texts that still
/// collide (or are invalid, or longer) are parsed each time. Not thread-safe: one cache per
/// parsing thread.
class CellCache {
public:
    /// What a valid short text of a field reads as: the value to store (0 when the state is
    /// not CellState::value) and the state.
    struct Known {
        std::uint64_t text = 0;  // the text's bytes, little end first, zero past its length
        double value = 0;
        std::uint8_t length = empty;
        CellState state = CellState::omitted;
    };

    static constexpr std::size_t max_length = 8;

    explicit CellCache(const Instrument& instrument) : instrument_(instrument), fields_(instrument.fields().size()) {}

    /// What was made of `text` (at most max_length bytes; 8 bytes readable from text.data())
    /// for `field` before, or nullptr when it is not in the table: the inlined first step.
    const Known* find(std::size_t field, std::string_view text) const noexcept {
        std::uint64_t bytes = 0;
        std::memcpy(&bytes, text.data(), sizeof bytes);
        return find_key(fields_[field], bytes & length_masks[text.size()], text.size());
    }

    /// `readable8`: at least 8 bytes can be read from text.data() (the cell need not be
    /// that long), which lets the key be built with one load.
    ParsedCell parse(std::size_t field, std::string_view text, bool readable8) {
        if (text.size() > max_length) return parse_cell(instrument_, field, text);
        const std::uint64_t bytes = key_of(text, readable8);
        PerField& cache = fields_[field];
        if (const Known* known = find_key(cache, bytes, text.size()))
            return {known->state, known->state == CellState::value ? known->value : 0.0, nullptr};
        const ParsedCell cell = parse_cell(instrument_, field, text);
        if (cell.error == nullptr)
            insert(cache, {bytes, cell.state == CellState::value ? cell.value : 0.0,
                           static_cast<std::uint8_t>(text.size()), cell.state});
        return cell;
    }

    /// Parses `text` into row `row` of `batch` (value and state, whatever they were);
    /// returns the reason when it is invalid.
    const char* store(RatingsBatch& batch, std::size_t row, std::size_t field, std::string_view text, bool readable8) {
        const ParsedCell cell = parse(field, text, readable8);
        RatingsBatchAccess::values(batch, field)[row] = cell.state == CellState::value ? cell.value : 0.0;
        RatingsBatchAccess::states(batch, field)[row] = cell.state;
        return cell.error;
    }

private:
    static constexpr std::uint8_t empty = 0xff;  // the length of an unused slot
    static constexpr int slot_bits = 6;
    static constexpr std::size_t slots = std::size_t{1} << slot_bits;
    // Odd multipliers tried in turn when two texts of a field want the same slot.
    static constexpr std::array<std::uint64_t, 8> multipliers{
        0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full, 0x165667B19E3779F9ull, 0xD6E8FEB86659FD93ull,
        0xFF51AFD7ED558CCDull, 0xC4CEB9FE1A85EC53ull, 0x94D049BB133111EBull, 0xBF58476D1CE4E5B9ull};
    static constexpr std::array<std::uint64_t, 9> length_masks{
        0, 0xff, 0xffff, 0xffffff, 0xffffffff, 0xffffffffff, 0xffffffffffff, 0xffffffffffffff, ~std::uint64_t{0}};

    struct PerField {
        std::uint64_t multiplier = multipliers[0];
        std::size_t next_multiplier = 1;
        std::array<Known, slots> table{};
    };

    static std::size_t slot(std::uint64_t bytes, std::size_t length, std::uint64_t multiplier) noexcept {
        return static_cast<std::size_t>(((bytes + length) * multiplier) >> (64 - slot_bits));
    }

    static const Known* find_key(const PerField& cache, std::uint64_t bytes, std::size_t length) noexcept {
        const Known& k = cache.table[slot(bytes, length, cache.multiplier)];
        return k.text == bytes && k.length == length ? &k : nullptr;
    }

    static std::uint64_t key_of(std::string_view text, bool readable8) noexcept {
        std::uint64_t bytes = 0;
        if (readable8) {
            std::memcpy(&bytes, text.data(), sizeof bytes);
            return bytes & length_masks[text.size()];
        }
        for (std::size_t i = 0; i < text.size(); ++i)
            bytes |= std::uint64_t{static_cast<unsigned char>(text[i])} << (8 * i);
        return bytes;
    }

    // Places `known` in its slot; when the slot is taken, tries the next multipliers for all
    // of the field's texts. A text that fits under none stays out (and is parsed each time).
    static void insert(PerField& cache, const Known& known) {
        Known& at = cache.table[slot(known.text, known.length, cache.multiplier)];
        if (at.length == empty) {
            at = known;
            return;
        }
        std::vector<Known> all{known};
        for (const Known& k : cache.table)
            if (k.length != empty) all.push_back(k);
        while (cache.next_multiplier < multipliers.size()) {
            const std::uint64_t m = multipliers[cache.next_multiplier++];
            std::array<Known, slots> table{};
            bool fits = true;
            for (const Known& k : all) {
                Known& to = table[slot(k.text, k.length, m)];
                fits = fits && to.length == empty;
                if (fits) to = k;
            }
            if (fits) {
                cache.table = table;
                cache.multiplier = m;
                return;
            }
        }
    }

    const Instrument& instrument_;
    std::vector<PerField> fields_;
};

}  // namespace detail
KELIAS_END_NAMESPACE
