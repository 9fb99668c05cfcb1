#pragma once
// One cell of an assessment header checked against its field: shared by
// check_assessment_header() and the batch ratings reader, which checks header columns row
// by row without building a map per row.
#include <string>
#include <string_view>

#include <kelias/instrument.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Why `cell` (trimmed, not empty) does not fit `field`, or "" when it does. Free text,
/// dates and numbers are never repeated in the reason: they may be personal.
std::string header_cell_misfit(const AssessmentFieldInfo& field, std::string_view cell);

/// `cell` without the blanks and tabs around it.
std::string_view header_cell_trimmed(std::string_view cell);

}  // namespace detail
KELIAS_END_NAMESPACE
