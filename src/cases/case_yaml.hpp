#pragma once
// Cases (facts, lists, assessments) read from YAML or JSON text: case files and the test
// cases embedded in rule sets. Every value's place is recorded in CaseInput::places.
#include <cstddef>
#include <optional>

#include <yaml-cpp/yaml.h>

#include <kelias/rules.hpp>

#include "base/yaml_reader.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Names in a case (facts, record fields, instruments, ratings, event types and event keys)
/// are identifiers; a longer one is an input error (E801). It also keeps every name a valid
/// implicit key when the case is written back as JSON (YAML allows 1024 characters, escapes
/// included). Everything that writes into a case document keeps to it.
constexpr std::size_t max_case_name_bytes = 128;

/// Reads `as_of`, `facts`, `assessments`, `placements` and `events` of `n` (and `case`
/// when `is_case_file`).
/// Structural problems (wrong shapes, bad dates, keys given twice) are reported through
/// `r`; nullopt when any was found.
std::optional<CaseInput> case_from_yaml(const YAML::Node& n, YamlReader& r, bool is_case_file);

}  // namespace detail
KELIAS_END_NAMESPACE
