#pragma once
// The compiled form of a rule set. Facts are the input columns of a Model; every condition
// leaf, every group of a condition tree and every programme decision is a computed result
// of it, so rule sets run through the same ordering, cycle check and columnar evaluator as
// instruments. Decisions are built from the condition trees directly, never from text.
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <kelias/rules.hpp>

#include "model/model.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// A condition text with its placeholders resolved: literal text (params already written
/// in), and computed values, each a result of the model evaluated per case.
struct TextPart {
    std::string literal;  // when result < 0
    int result = -1;      // a placeholder `{EXPR}`: the result computing it
    std::string expression;
};
using TextTemplate = std::vector<TextPart>;

struct LeafModel {
    ConditionInfo info;
    TextTemplate text_en, text_lt;  // text_lt empty: the English one is used
    int result = -1;
    bool time_dependent = false;
    std::vector<int> columns;     // fact and instrument columns the leaf reads
    std::vector<int> lists;       // list facts it reads
    std::vector<int> programmes;  // programmes whose decision it reads (eligible('x'))
    int fresh_instrument = -1;    // the generated freshness leaf of `requires`: which instrument
    int fresh_choice = -1;        // ... or which instrument chosen by age
    std::vector<int> choices;     // instruments chosen by age the leaf reads (index into RuleSetData::choices)
    Location where;
};

/// A node of a programme's condition tree. Each node is a computed result: leaves are the
/// conditions, groups combine their children with the evaluator's three-valued logic.
struct ConditionNode {
    enum class Kind : std::uint8_t { leaf, all, any, not_ } kind = Kind::leaf;
    int leaf = -1;              // leaves: index into ProgrammeModel::leaves
    std::vector<int> children;  // groups: node indices
    int result = -1;            // the column holding this node's value
};

struct ProgrammeModel {
    ProgrammeInfo info;
    int decision = -1;  // the decision's result
    std::vector<LeafModel> leaves;
    std::vector<ConditionNode> nodes;
    int eligible_root = -1;  // node: an `all` of the freshness leaves and eligible_when
    int excluded_root = -1;  // node of excluded_when, or -1
    Location where;
};

/// What a column of the rule set's model holds.
struct ColumnOwner {
    enum class Role : std::uint8_t { fact, assessment_date, assessment_result } role = Role::fact;
    int instrument = -1;  // assessments: index into RuleSetData::instruments
    std::string name;     // the fact; or the score id / outcome column within the instrument
};

struct RequiredInstrument {
    std::string id;
    Instrument instrument = make_instrument(nullptr);
    Duration max_age;
    int date_column = -1;
    std::vector<std::pair<std::size_t, int>> score_columns;  // instrument score -> rules column
    std::vector<std::pair<std::size_t, int>> field_columns;  // instrument outcome field -> rules column
    std::unordered_map<std::string, int> given_columns;      // score id or outcome column -> rules column
};

/// An instrument chosen by the person's age on as_of (`by_age` under `instruments`): one
/// name, read as `<id>.<result>`, that means the alternative whose age range holds the age.
/// The ranges are whole years, contiguous from 0, the last open-ended.
struct AgeChoice {
    struct Alternative {
        int instrument = -1;  // index into RuleSetData::instruments
        int from = 0;         // age in whole years, inclusive
        int below = -1;       // exclusive; -1 for the last (no upper limit)
        Location where;
    };
    std::string id;
    std::string birth_fact;
    int birth_column = -1;  // the date fact the age is counted from
    std::vector<Alternative> alternatives;
    int selected = -1;  // result: the index of the alternative for the case (unknown without a birth date)
    Location where;
};

struct RulesTestCase {
    std::string name;
    Location where;
    CaseInput input;
    bool runnable = true;  // false when the case does not fit the rules (reported at load)
    std::vector<std::pair<std::string, std::pair<Decision, Location>>> expect;
    std::vector<std::pair<std::string, std::pair<std::optional<Date>, Location>>> expect_earliest;
    std::vector<std::pair<std::string, std::pair<std::vector<std::string>, Location>>> expect_missing;
    std::vector<std::pair<std::string, std::pair<std::vector<std::string>, Location>>> expect_failed;
};

/// A lint finding the rule file explains (`lint: {accept: {ID: why}}`).
struct LintAccept {
    std::string id, why;
    Location where;
};

struct RuleSetData {
    Model model;
    std::vector<ProgrammeModel> programmes;  // in declaration order
    std::vector<ProgrammeInfo> programme_infos;
    std::unordered_map<std::string, int> programme_by_id;
    std::vector<std::size_t> report_order;  // by priority, then declaration
    std::vector<RequiredInstrument> instruments;
    std::vector<AgeChoice> choices;
    std::unordered_map<std::string, ChoiceNames> choice_names;  // by choice id
    std::vector<ParamInfo> params;
    std::unordered_map<std::string, Expr> param_values;  // read as params.NAME
    std::vector<FactInfo> facts;
    std::unordered_map<std::string, int> fact_columns;  // scalar fact -> column
    std::vector<ColumnOwner> column_owners;             // per column of the model
    Duration horizon{3, 0, 0};
    std::vector<RulesTestCase> tests;
    /// The results decisions read (the fast path computes only these: no text placeholders).
    std::vector<char> decision_results;
    std::vector<LintAccept> lint_accepts;
};

}  // namespace detail
KELIAS_END_NAMESPACE
