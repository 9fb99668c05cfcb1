// The readers' cell cache against parse_cell itself: the same value, state and error for
// every text of every field, on the shipped vocabularies, random short texts (enough
// distinct ones per field that slots collide and tables are rebuilt) and adversarial ones
// (NUL bytes, blanks, texts one byte past the cached length).
#include "test_support.hpp"

#include <random>
#include <string>
#include <vector>

#include "io/cell_cache.hpp"

using kelias::CellState;
using kelias::ParsedCell;
using kelias::detail::CellCache;

namespace {

void check_same(const kelias::Instrument& inst, CellCache& cache, std::size_t field, const std::string& text) {
    const ParsedCell want = kelias::parse_cell(inst, field, text);
    // The cache reads 8 bytes from the start of a cell when it may: give it a padded copy.
    std::string padded = text;
    padded.append(8, 'x');
    const std::string_view view(padded.data(), text.size());
    for (const bool readable8 : {true, false}) {
        const ParsedCell got = cache.parse(field, readable8 ? view : std::string_view(text), readable8);
        INFO("field " << field << " text '" << text << "' readable8 " << readable8);
        CHECK(got.state == want.state);
        if (want.state == CellState::value) CHECK(got.value == want.value);
        CHECK((got.error == nullptr) == (want.error == nullptr));
    }
    if (text.size() <= CellCache::max_length) {
        const CellCache::Known* known = cache.find(field, view);
        INFO("field " << field << " text '" << text << "'");
        if (want.error != nullptr) {
            CHECK(known == nullptr);  // invalid texts are never cached
        } else if (known != nullptr) {
            CHECK(known->state == want.state);
            CHECK(known->value == (want.state == CellState::value ? want.value : 0.0));
        }
    }
}

}  // namespace

TEST_CASE("cell cache: the same as parse_cell on the vocabulary of ratings, in any order") {
    const auto inst = kelias::testing::shipped("instruments/start_av.yaml");
    const std::vector<std::string> vocabulary{"0",    "1",         "2",       "3",    "na",  "",         " 1",
                                              "1 ",   "true",      "false",   "TRUE", "low", "moderate", "high",
                                              "mode", "moderatee", "omitted", "-1",   "1.5", "n",        "NA",
                                              "02",   "yes",       "no",      "x",    "2\t", "low "};
    std::mt19937 rng(20261130);
    CellCache cache(inst);
    for (int round = 0; round < 20000; ++round) {
        const std::size_t field = rng() % inst.fields().size();
        check_same(inst, cache, field, vocabulary[rng() % vocabulary.size()]);
    }
    // Once seen, the valid short texts are found without parsing.
    for (std::size_t field = 0; field < inst.fields().size(); ++field)
        for (const auto& text : {std::string("0"), std::string("1"), std::string("2")}) {
            std::string padded = text + std::string(8, ' ');
            if (kelias::parse_cell(inst, field, text).error == nullptr) {
                (void)cache.parse(field, text, false);
                CHECK(cache.find(field, std::string_view(padded.data(), text.size())) != nullptr);
            }
        }
}

TEST_CASE("cell cache: random and adversarial short texts (collisions, NUL bytes, lengths 0 to 10)") {
    const auto inst = kelias::testing::shipped("instruments/start_av.yaml");
    const std::string alphabet = std::string("012na tTrRuUeEfFlLsSomdhigx.-\t\"") + '\0' + "\xC3\xA9";
    std::mt19937 rng(7);
    CellCache cache(inst);
    for (int round = 0; round < 60000; ++round) {
        // Few fields, many distinct texts each: slots collide and tables are rebuilt.
        const std::size_t field = rng() % 4;
        std::string text(rng() % 11, ' ');
        for (char& c : text) c = alphabet[rng() % alphabet.size()];
        check_same(inst, cache, field, text);
        // Valid texts come back often, as in a real column.
        static const std::vector<std::string> valid{"0", "1", "2", "na", "", "true", "false"};
        check_same(inst, cache, field, valid[rng() % valid.size()]);
    }
    // A text and the same text with a NUL byte after it are different cells.
    CellCache fresh(inst);
    check_same(inst, fresh, 0, "1");
    check_same(inst, fresh, 0, std::string("1\0", 2));
    check_same(inst, fresh, 0, "1");
}
