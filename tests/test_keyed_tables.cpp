// Keyed tables (grids of two or more keys), composed codes (concat) and scores of older
// editions (edition:, legacy:).
#include <doctest/doctest.h>

#include <string>

#include <kelias/kelias.hpp>

#include "test_support.hpp"

using kelias::testing::must_load;
using kelias::testing::score_text;
using namespace kelias;

namespace {

const char* grid_yaml = R"yaml(
kelias: 1
id: grid
version: "1"
title: Grid
scales:
  level: {values: [low, medium, high], ordered: true}
  harm: {values: [minor, serious]}
  letter: {values: [a, b]}
  tier: {values: [a1, a2, b1, b2]}
items:
  - {id: reoffending, type: number}
  - {id: harm_band, type: rating, scale: harm}
  - {id: sex, type: category, values: [male, female]}
  - {id: l, type: rating, scale: letter}
  - {id: n, type: integer}
tables:
  matrix:
    kind: grid
    output: level
    keys:
      - name: reoffending
        bands:
          - {label: r_low, below: 10}
          - {label: r_mid, min: 10, below: 50}
          - {label: r_high, min: 50}
      - name: harm
        codes: [minor, serious]
    cells:
      r_low:  [low, medium]
      r_mid:  [medium, high]
      r_high: [high, null]
  cube:
    keys:
      - {name: sex, codes: [male, female]}
      - {name: r, bands: [{label: lo, below: 10}, {label: hi, min: 10}]}
      - {name: h, codes: [minor, serious]}
    cells:
      male:   {lo: [1, 2], hi: [3, 4]}
      female: {lo: [5, 6], hi: [7, 8]}
  positive:
    keys:
      - {name: r, bands: [{label: pos, min: 0}]}
      - {name: h, codes: [minor, serious]}
    cells: {pos: [1, 2]}
    default: 0
  digit: {rows: [{max: 5, value: 1}, {value: 2}]}
scores:
  level: "matrix(reoffending, harm_band)"
  cube_value: "cube(sex, reoffending, harm_band)"
  with_default: "positive(reoffending, harm_band)"
  tier_code:
    expr: "concat(l, digit(n))"
    scale: tier
    label: Tier
  free_code: "concat('x', l, 7)"
  tier_2003:
    expr: "if(reoffending > 20, 'old_high', 'old_low')"
    edition: "2003"
    legacy: true
)yaml";

Assessment row(std::initializer_list<std::pair<const char*, const char*>> cells) {
    Assessment a;
    a.id = "t";
    for (const auto& [k, v] : cells) a.cells[k] = v;
    return a;
}

}  // namespace

TEST_CASE("a two-key table looks up the band of one input and the code of the other") {
    Instrument inst = must_load(grid_yaml);
    CHECK(score_text(inst, row({{"reoffending", "5"}, {"harm_band", "serious"}}), "level") == "medium");
    CHECK(score_text(inst, row({{"reoffending", "10"}, {"harm_band", "minor"}}), "level") == "medium");
    CHECK(score_text(inst, row({{"reoffending", "49.9"}, {"harm_band", "serious"}}), "level") == "high");
    CHECK(score_text(inst, row({{"reoffending", "50"}, {"harm_band", "minor"}}), "level") == "high");
}

TEST_CASE("a keyed table: an explicit null cell, an unknown key and a value on no band are unknown") {
    Instrument inst = must_load(grid_yaml);
    CHECK(score_text(inst, row({{"reoffending", "60"}, {"harm_band", "serious"}}), "level").empty());
    CHECK(score_text(inst, row({{"harm_band", "serious"}}), "level").empty());
    CHECK(score_text(inst, row({{"reoffending", "-1"}, {"harm_band", "minor"}}), "with_default") == "0");
    CHECK(score_text(inst, row({{"reoffending", "3"}, {"harm_band", "serious"}}), "with_default") == "2");
}

TEST_CASE("a three-key table nests its cells by key") {
    Instrument inst = must_load(grid_yaml);
    CHECK(score_text(inst, row({{"sex", "male"}, {"reoffending", "1"}, {"harm_band", "minor"}}), "cube_value") == "1");
    CHECK(score_text(inst, row({{"sex", "female"}, {"reoffending", "11"}, {"harm_band", "serious"}}), "cube_value") ==
          "8");
    CHECK(score_text(inst, row({{"sex", "female"}, {"reoffending", "1"}, {"harm_band", "serious"}}), "cube_value") ==
          "6");
}

TEST_CASE("keyed table codes may be written as the manual writes them (upper case), rows keyed by them too") {
    Instrument inst = must_load(R"yaml(
kelias: 1
id: upper_grid
version: "1"
title: Upper-case grid
scales:
  rosh: {values: [LOW, VERY_HIGH], ordered: true}
  tier: {values: [G, A], ordered: true}
items:
  - {id: harm, type: rating, scale: rosh}
  - {id: mappa, type: bool}
tables:
  grid:
    output: tier
    keys:
      - {name: harm, codes: [VERY_HIGH, LOW]}
      - {name: m, codes: [YES, NO]}
    cells:
      VERY_HIGH: [A, A]
      LOW: [A, null]
scores:
  t: "grid(harm, if(mappa, 'YES', 'NO'))"
)yaml");
    CHECK(score_text(inst, row({{"harm", "LOW"}, {"mappa", "true"}}), "t") == "A");
    CHECK(score_text(inst, row({{"harm", "very_high"}, {"mappa", "false"}}), "t") == "A");
    CHECK(score_text(inst, row({{"harm", "low"}, {"mappa", "false"}}), "t").empty());
}

TEST_CASE("concat composes a code from a letter and a digit, tagged with the declared scale") {
    Instrument inst = must_load(grid_yaml);
    CHECK(score_text(inst, row({{"l", "b"}, {"n", "9"}}), "tier_code") == "b2");
    CHECK(score_text(inst, row({{"l", "a"}, {"n", "0"}}), "tier_code") == "a1");
    CHECK(score_text(inst, row({{"n", "0"}}), "tier_code").empty());
    CHECK(score_text(inst, row({{"l", "a"}}), "free_code") == "xa7");
}

TEST_CASE("explanations name the cell of a keyed table and mark legacy scores") {
    Instrument inst = must_load(grid_yaml);
    RatingsBatch batch(inst, 1);
    batch.set_text(0, *inst.find_field("reoffending"), "12");
    batch.set_text(0, *inst.find_field("harm_band"), "serious");
    auto e = explain(inst, batch, 0, "level");
    REQUIRE(e.ok());
    CHECK(to_text(*e).find("table 'matrix' cell (r_mid, serious)") != std::string::npos);
    auto old = explain(inst, batch, 0, "tier_2003");
    REQUIRE(old.ok());
    CHECK(to_text(*old).find("tier_2003 [legacy edition 2003] = ") != std::string::npos);
}

TEST_CASE("scores of an older edition are marked in the description") {
    Instrument inst = must_load(grid_yaml);
    const auto s = inst.scores()[static_cast<std::size_t>(*inst.find_score("tier_2003"))];
    CHECK(s.edition == "2003");
    CHECK(s.legacy);
    CHECK(inst.scores()[static_cast<std::size_t>(*inst.find_score("level"))].edition.empty());
    CHECK(inst.describe().find("tier_2003  category [legacy edition 2003]  = ") != std::string::npos);
    CHECK(inst.describe_json().find(R"("edition":"2003","legacy":true)") != std::string::npos);
    CHECK(inst.describe_json().find(R"("id":"level","label":"level","type":"category","hidden":false,"expr":)") !=
          std::string::npos);
}

TEST_CASE("keyed table coverage: a missing row, a short row and overlapping bands are all reported") {
    auto r = load_instrument(R"yaml(
kelias: 1
id: bad
version: "1"
title: Bad
items:
  - {id: x, type: number}
tables:
  m:
    keys:
      - {name: a, codes: [p, q, r]}
      - {name: b, codes: [u, v]}
    cells:
      p: [1, 2]
      q: [1]
  o:
    keys:
      - {name: a, bands: [{label: lo, max: 10}, {label: hi, min: 10}]}
      - {name: b, codes: [u]}
    cells: {lo: [1], hi: [2]}
)yaml",
                             "bad.yaml");
    REQUIRE_FALSE(r.ok());
    const std::string text = format(r.diagnostics());
    CHECK(text.find("no cells for code r of key 'a'") != std::string::npos);
    CHECK(text.find("1 cell for the 2 codes of key 'b'") != std::string::npos);
    CHECK(text.find("band 'hi' of key 'a' overlaps band 'lo'") != std::string::npos);
    int e210 = 0;
    for (const auto& d : r.diagnostics()) e210 += d.code == DiagnosticCode::table_coverage;
    CHECK(e210 == 3);
}

TEST_CASE("composed codes are checked against the declared scale when the file loads") {
    auto r = load_instrument(R"yaml(
kelias: 1
id: bad
version: "1"
title: Bad
scales:
  letter: {values: [a, b, c]}
  tier: {values: [a1, a2, b1, b2]}
items:
  - {id: l, type: rating, scale: letter}
  - {id: n, type: integer}
tables:
  digit: {rows: [{max: 5, value: 1}, {value: 2}]}
scores:
  t:
    expr: "concat(l, digit(n))"
    scale: tier
)yaml",
                             "bad.yaml");
    REQUIRE_FALSE(r.ok());
    REQUIRE(r.diagnostics().size() == 1);
    CHECK(r.diagnostics()[0].code == DiagnosticCode::code_not_in_scale);
    CHECK(r.diagnostics()[0].message.find("'c1', 'c2'") != std::string::npos);
}
