#pragma once
// Cases (facts, lists, assessments) read from YAML or JSON: case files and rule tests.
#include <optional>

#include <yaml-cpp/yaml.h>

#include <kelias/rules.hpp>

#include "base/yaml_reader.hpp"

namespace kelias::detail {

/// Reads `as_of`, `facts` and `assessments` of `n` (and `case` when `is_case_file`).
/// Structural problems are reported through `r`; nullopt when any was found.
std::optional<CaseInput> case_from_yaml(const YAML::Node& n, YamlReader& r, bool is_case_file);

}  // namespace kelias::detail
