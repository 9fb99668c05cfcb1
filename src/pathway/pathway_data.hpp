#pragma once
// The compiled form of a pathway: what the file declares, checked against its rule set,
// plus its embedded tests (run at load).
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <kelias/pathway.hpp>

#include "base/yaml_reader.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// One embedded test: a case, events applied in order, and what to expect.
struct PathwayTestCase {
    std::string name;
    Location where;
    CaseInput input;
    std::vector<PathwayEvent> apply;
    std::optional<std::pair<bool, Location>> expect_applied;  // of the last event applied
    std::optional<std::pair<RefusalKind, Location>> expect_refusal;
    std::optional<std::pair<std::string, Location>> expect_placement;             // after applying
    std::vector<std::pair<std::string, std::pair<bool, Location>>> expect_moves;  // move -> allowed
    std::vector<std::pair<std::string, std::pair<ObligationStatus, Location>>> expect_obligations;
    std::optional<std::pair<std::string, Location>> expect_instrument;
    std::optional<std::pair<std::optional<Date>, Location>> expect_due;
};

struct PathwayData {
    std::string id, version, file, hash, source, licence, rules_id;
    LocalText title, description;
    std::vector<RoleInfo> roles;
    std::vector<PlacementInfo> placements;
    std::vector<EventTypeInfo> event_types;
    std::vector<AssessmentChoice> assessments;
    std::vector<MoveInfo> moves;
    std::vector<PathwayTestCase> tests;
};

/// The place of a shipped rule set a pathway names: beside the pathway file, then
/// find_definition().
std::optional<std::filesystem::path> locate_beside(const std::string& pathway_file, const std::string& id_or_file);

/// Reads one event (a case event, or a move step) from a YAML map; problems through `r`.
std::optional<PathwayEvent> read_event_node(const YAML::Node& n, YamlReader& r);

/// Runs the embedded tests; failures as (where, `test 'x': message`).
std::vector<std::pair<Location, std::string>> run_pathway_tests(const Pathway& pathway, const RuleSet& rules);

}  // namespace detail
KELIAS_END_NAMESPACE
