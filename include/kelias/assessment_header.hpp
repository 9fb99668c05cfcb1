#pragma once
/// \file assessment_header.hpp
/// Checking the header of one assessment (status, purpose, sources of information,
/// consent, assessor, ...) against the instrument's `assessment_fields`, and the person's
/// age against its `age_range`.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>

KELIAS_BEGIN_NAMESPACE

/// What check_assessment_header() knows about the assessment besides its header.
struct HeaderContext {
    std::optional<Date> date = std::nullopt;           ///< the assessment's date
    std::optional<Date> date_of_birth = std::nullopt;  ///< the person's, when known (the age is counted on `date`)
    std::optional<int> age = std::nullopt;             ///< the age in whole years, when given instead
    /// Names the assessment in messages (`assessments.start_av[1]`, `row 12`); "" for none.
    std::string path = {};
    Location where = {};  ///< where the assessment was read
};

/// Checks `header` (field id → cell text, as read from `header:` of a case document or the
/// `header.ID` columns of a ratings file) against `instrument`:
/// * E506 for a required field that is absent or empty, a value that does not fit its
///   field (a code not in its list, a `codes` list with an unknown or repeated code, a bad
///   date, bool or integer) and a field the instrument does not declare (with a hint);
/// * W503 when the person's age (from `age`, else `date_of_birth` on `date`) lies outside
///   the instrument's `age_range`: a warning, never an error.
/// Every problem is returned at once. Messages never hold free text, dates or ages, only
/// field ids and codes.
std::vector<Diagnostic> check_assessment_header(const Instrument& instrument,
                                                const std::map<std::string, std::string>& header,
                                                const HeaderContext& context = {});

/// The codes of a `codes` cell: `a|b|c` split at `|`, blanks around each trimmed.
std::vector<std::string> split_header_codes(std::string_view cell);

KELIAS_END_NAMESPACE
