#pragma once
// The compiled form of an instrument: the shared Model, plus what only instruments have
// (public score descriptions, checks, embedded tests).
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/model.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

struct CheckModel {
    std::string id;
    Severity severity = Severity::warning;
    std::string message;
    std::vector<std::pair<int, Expr>> instances;  // (entry index or -1, condition)
};

struct TestCell {
    int column;
    std::string text;
    Location where;
};

struct TestExpect {
    int score;
    std::optional<std::string> expected;  // nullopt: unknown
    bool numeric = false;
    double number = 0;
    Location where;
};

struct TestCase {
    std::string name;
    Location where;
    std::vector<TestCell> cells;
    std::optional<Date> as_of;
    std::vector<TestExpect> expect;
    std::optional<std::vector<std::string>> expect_checks;
};

/// Every result of an instrument is a score; score_infos[i] describes results[i].
struct InstrumentData : Model {
    std::optional<Duration> reassess_every;
    std::vector<ScoreInfo> score_infos;
    std::unordered_map<std::string, std::size_t> score_by_id;
    std::vector<CheckModel> checks;
    std::vector<TestCase> tests;
    // Assessment metadata and instrument content (assessment_meta.cpp).
    std::vector<AssessmentFieldInfo> assessment_fields;
    std::vector<OutcomeGroupInfo> outcome_groups;
    std::optional<AgeRange> age_range;
    std::vector<std::pair<std::string, ContentConfidence>> scale_label_confidence;
};

}  // namespace detail
KELIAS_END_NAMESPACE
