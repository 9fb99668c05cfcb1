#pragma once
// What full decisions refer to: the rule set's condition data, laid out once per decide
// call (DecisionLayout), and per case the few values its condition leaves read
// (DecidedCase). Reasons and programme decisions hold a DecidedCase, which holds the
// layout, which holds the rule set: copies stay valid on their own.
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <kelias/rules.hpp>

#include "model/rule_set_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Per rule set: what a case's reasons read, and the names of what may be missing.
struct DecisionLayout {
    explicit DecisionLayout(const RuleSet& rules);

    struct Leaf {
        std::vector<std::pair<std::string, std::string>> params;   // (id, value as written)
        std::vector<std::pair<const std::string*, int>> computed;  // (placeholder expression, its result)
        // Tables without keys the leaf looks a fact up in: (table, column), in the order
        // of a depth-first walk of its expression (the order gaps are listed in).
        std::vector<std::pair<int, int>> tables;
    };
    /// What a slot of a case's snapshot copies: a result of the model (known or not, its
    /// value), an input column (state, value) or a list fact (state, record count).
    struct Source {
        enum class Kind : std::uint8_t { result, column, list } kind = Kind::result;
        int index = -1;
    };

    RuleSet rules;  // keeps the compiled rule set alive
    const RuleSetData& data() const noexcept { return rules.data(); }
    std::vector<std::vector<Leaf>> leaves;                 // per programme, per leaf
    std::vector<Source> sources;                           // per slot
    std::vector<int> result_slot, column_slot, list_slot;  // -1 when not kept
    // Names of what is missing: per column `facts.x` or `assessments.id` (the whole
    // assessment), per column of an assessment result `assessments.id.result` (the
    // assessment is there, the result not), per instrument `assessments.id`, per list `facts.x`.
    // Each an index into `names` (one entry per distinct name).
    std::vector<int> column_missing, column_result_missing, instrument_missing, list_missing;
    std::vector<std::string> names;
};

/// One slot of a case's snapshot.
struct Slot {
    double value = 0;
    std::uint8_t state = 0;  // known_state, or the cell's state; results: known_state or unknown_state
};

/// Per case: the values its leaves' texts and inputs read.
struct DecidedCase {
    std::shared_ptr<const DecisionLayout> layout;
    std::vector<Slot> slots;
};

class JsonWriter;

/// Makes reasons and programme decisions (their constructors are private), and writes
/// reasons without building their texts and inputs first.
struct ReasonMaker {
    /// The reason as to_json() writes it: `{"id", "source", "confidence", "value",
    /// "exclusion", "against", "text", "inputs", "params"?, "computed"?}`. `scratch` is
    /// reused between calls.
    static void write_json(JsonWriter& w, const Reason& r, std::string& scratch);
    static Reason make(std::shared_ptr<const DecidedCase> c, std::uint32_t programme, std::uint32_t leaf,
                       std::optional<bool> value) {
        Reason r;
        r.case_ = std::move(c);
        r.programme_ = programme;
        r.leaf_ = leaf;
        r.value_ = value;
        return r;
    }
    static void set_against(Reason& r) noexcept { r.against_ = true; }
    static void refer(ProgrammeDecision& d, std::shared_ptr<const DecidedCase> c, std::uint32_t programme) {
        d.case_ = std::move(c);
        d.index_ = programme;
    }
};

}  // namespace detail
KELIAS_END_NAMESPACE
