// Fuzzes the instrument loader: YAML text -> kelias::load_instrument. When the text loads,
// runs its embedded tests, describes it, scores two rows (every cell omitted; every cell
// set to a valid value) and explains each score.
#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>

#include <kelias/kelias.hpp>

#include "fuzz_support.hpp"

namespace {

std::string shortest(double x) {
    char text[32];
    const auto end = std::to_chars(text, text + sizeof text, x).ptr;
    return std::string(text, end);
}

// A valid cell text for a field, as far as its declaration tells.
std::string sample_text(const kelias::FieldInfo& f) {
    if (!f.codes.empty()) return f.codes.back();
    if (!f.levels.empty()) return shortest(f.levels.back());
    switch (f.type) {
    case kelias::FieldType::boolean:
        return "true";
    case kelias::FieldType::date:
        return "2024-02-29";
    case kelias::FieldType::duration:
        return "P1Y6M";
    default:
        break;
    }
    if (f.max) return shortest(*f.max);
    if (f.min) return shortest(*f.min);
    return "1";
}

void exercise(const kelias::Instrument& inst) {
    (void)kelias::run_embedded_tests(inst);
    (void)inst.describe();
    (void)inst.describe_json();
    (void)inst.key();
    (void)inst.domains();

    const auto fields = inst.fields();
    for (std::size_t i = 0; i < fields.size(); ++i) {
        const auto found = inst.find_field(fields[i].column);
        kelias::fuzz::expect(found && *found == i, "find_field(fields()[i].column) == i", fields[i].column);
    }
    const auto scores = inst.scores();
    for (std::size_t i = 0; i < scores.size(); ++i) {
        const auto found = inst.find_score(scores[i].id);
        kelias::fuzz::expect(found && *found == i, "find_score(scores()[i].id) == i", scores[i].id);
    }

    kelias::RatingsBatch batch(inst, 2);  // row 0: all omitted; row 1: a value everywhere
    batch.id(0) = "omitted";
    batch.id(1) = "filled";
    batch.set_as_of(1, kelias::parse_date("2025-06-01"));
    for (std::size_t f = 0; f < fields.size(); ++f) (void)batch.set_text(1, f, sample_text(fields[f]));
    kelias::ScoreOptions options;
    options.threads = 1;
    const kelias::ScoreBatch scored = kelias::score_batch(inst, batch, options);
    for (std::size_t row = 0; row < scored.rows(); ++row)
        for (std::size_t s = 0; s < scored.scores(); ++s) (void)scored.text(row, s);

    const std::size_t explained = std::min<std::size_t>(scores.size(), 32);
    for (std::size_t s = 0; s < explained; ++s) {
        auto why = kelias::explain(inst, batch, 1, scores[s].id);
        if (why) {
            (void)kelias::to_text(*why);
            (void)kelias::to_json(*why);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto loaded = kelias::load_instrument(kelias::fuzz::as_text(data, size), "fuzz.yaml");
    (void)kelias::format(loaded.diagnostics());
    if (loaded) exercise(*loaded);
    return 0;
}
