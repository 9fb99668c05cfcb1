#pragma once
/// \file store_report.hpp
/// Reports over a case store: one stored case's report (kelias/report.hpp) and the unit
/// report over every case in the store with the overrides it keeps. Both read through the
/// store, so every case they read is audited as a read by the actor who asked.
#include <string_view>
#include <vector>

#include <kelias/case_store.hpp>
#include <kelias/diagnostic.hpp>
#include <kelias/report.hpp>

KELIAS_BEGIN_NAMESPACE

/// The report of a stored case: build_report() over the case as the store holds it (its
/// facts, placements and events, and the finalised assessments). Unknown case: E904.
Result<CaseReport> build_stored_case_report(CaseStore& store, const Actor& actor, std::string_view case_id,
                                            const ReportDefinitions& definitions, const ReportOptions& options);

/// The unit report over every case in the store (build_unit_report()) with the store's
/// approved overrides: the staff member of an override is its author, its date the
/// assessment's; drafts are not counted (an override takes effect once a second person
/// approved it), and finalising an assessment counts as that person's assessment. Needs a
/// pathway in `definitions`.
Result<UnitReport> build_store_unit_report(CaseStore& store, const Actor& actor, const ReportDefinitions& definitions,
                                           const UnitReportOptions& options);

KELIAS_END_NAMESPACE
