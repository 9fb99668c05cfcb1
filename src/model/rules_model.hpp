#pragma once
// The compiled form of a rule set. Facts are the columns of an InstrumentData model;
// every condition leaf and every programme decision is a hidden bool score of it, so rule
// sets run through the same compiler, cycle check and columnar evaluator as instruments.
#include <memory>
#include <string>
#include <vector>

#include <kelias/rules.hpp>

#include "evaluation/evaluator.hpp"
#include "model/model.hpp"

namespace kelias::detail {

class CaseRowBuilder;

struct LeafModel {
    ConditionInfo info;
    int score = -1;
    bool time_dependent = false;
    std::vector<int> columns;        // fact and instrument columns the leaf reads
    std::vector<int> lists;          // list facts it reads
    std::vector<int> programmes;     // programmes whose decision it reads (eligible('x'))
    std::string requires_instrument; // for the generated freshness leaf
    Location where;
};

/// A node of a programme's condition tree, kept to say which leaves hold it back.
struct ConditionNode {
    enum class Kind { leaf, all, any, not_ } kind = Kind::leaf;
    int leaf = -1;              // for leaves: index into ProgrammeModel::leaves
    std::vector<int> children;  // for groups: node indices
};

struct ProgrammeModel {
    ProgrammeInfo info;
    int decision_score = -1;
    std::vector<LeafModel> leaves;
    std::vector<ConditionNode> nodes;
    int eligible_root = -1;  // an `all` of the freshness leaves and eligible_when
    int excluded_root = -1;  // excluded_when, or -1
    Location where;
};

struct RequiredInstrument {
    std::string id;
    Instrument instrument = make_instrument(nullptr);
    Duration max_age;
    int date_column = -1;
    std::vector<std::pair<std::size_t, int>> score_columns;  // instrument score -> rules column
    std::vector<std::pair<std::size_t, int>> field_columns;  // instrument outcome field -> rules column
};

struct RulesTestCase {
    std::string name;
    Location where;
    CaseInput input;
    std::vector<std::pair<std::string, std::pair<Decision, Location>>> expect;
    std::vector<std::pair<std::string, std::pair<std::optional<Date>, Location>>> expect_earliest;
    std::vector<std::pair<std::string, std::pair<std::vector<std::string>, Location>>> expect_missing;
    std::vector<std::pair<std::string, std::pair<std::vector<std::string>, Location>>> expect_failed;
};

struct RuleSetData {
    std::shared_ptr<InstrumentData> model;
    Instrument columns_view = make_instrument(nullptr);  // the model as an Instrument, for RatingsBatch
    std::vector<ProgrammeModel> programmes;              // in declaration order
    std::vector<ProgrammeInfo> programme_infos;
    std::vector<std::size_t> report_order;               // by priority, then declaration
    std::vector<RequiredInstrument> instruments;
    std::vector<ParamInfo> params;
    std::vector<std::pair<std::string, std::string>> fact_types;
    std::vector<int> fact_columns;  // scalar facts, for missing-fact reporting
    Duration horizon{3, 0, 0};
    std::vector<RulesTestCase> tests;
};

}  // namespace kelias::detail

namespace kelias {

/// The columns of a CaseBatch, grown one case at a time.
struct CaseBatch::Storage {
    RuleSet rules;
    std::vector<std::string> ids;
    std::vector<double> as_of_days;           // as a RatingsBatch keeps it: days, and a state
    std::vector<std::uint8_t> as_of_states;
    std::vector<std::vector<double>> values;         // per column
    std::vector<std::vector<std::uint8_t>> states;   // per column
    std::vector<detail::ListStore> lists;
    std::vector<std::uint32_t> assessment_offsets{0};  // row r used assessed[offsets[r] .. offsets[r + 1])
    std::vector<std::uint16_t> assessed;                // indices into RuleSetData::instruments
    std::unique_ptr<detail::CaseRowBuilder> reader;  // made on the first add, reused for every case
};

}  // namespace kelias
