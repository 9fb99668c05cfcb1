#pragma once
// Assessment metadata and instrument content of an instrument definition:
// `assessment_fields`, `outcome_groups`, `age_range` and the scales' `labels_confidence`.
#include <yaml-cpp/yaml.h>

#include "base/yaml_reader.hpp"
#include "model/instrument_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Reads the four sections from the instrument's root map into `d` (after its scales,
/// items and outcomes are read), reporting every problem with its place.
void read_assessment_meta(const YAML::Node& root, YamlReader& yaml, InstrumentData& d);

}  // namespace detail
KELIAS_END_NAMESPACE
