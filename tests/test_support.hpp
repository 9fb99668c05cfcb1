#pragma once
// Helpers shared by the unit tests: load inline definitions and score single rows.
#include <doctest/doctest.h>

#include <string>
#include <utility>
#include <vector>

#include <kelias/kelias.hpp>

namespace kelias::testing {

/// Loads a definition that must be valid; fails the test with the diagnostics otherwise.
inline Instrument must_load(const std::string& yaml) {
    auto r = load_instrument(yaml, "inline.yaml");
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    return *r;
}

/// Loads a shipped definition from instruments/ or examples/instruments/.
inline Instrument shipped(const std::string& relative) {
    auto r = load_instrument_file(std::string(KELIAS_SOURCE_DIR) + "/" + relative);
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    return *r;
}

/// The Lithuanian release-pathway rule set shipped in instruments/, loaded once.
inline const RuleSet& lt_rules() {
    static const RuleSet rules = [] {
        auto r = load_rules_file(std::string(KELIAS_SOURCE_DIR) + "/instruments/lt_release_pathway.yaml");
        if (!r) FAIL(format(r.diagnostics()));
        return *r;
    }();
    return rules;
}

/// The text of one score for one assessment ("" when unknown).
inline std::string score_text(const Instrument& inst, const Assessment& a, const std::string& score_id) {
    auto r = score(inst, a);
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    const Value* v = r->find(score_id);
    REQUIRE(v != nullptr);
    return v->to_string();
}

/// The text of one score for an assessment given as (column, cell text) pairs.
inline std::string score_cells(const Instrument& inst, const std::vector<std::pair<std::string, std::string>>& cells,
                               const std::string& score_id) {
    Assessment a;
    a.id = "r";
    for (const auto& [column, text] : cells) a.cells[column] = text;
    return score_text(inst, a, score_id);
}

}  // namespace kelias::testing
