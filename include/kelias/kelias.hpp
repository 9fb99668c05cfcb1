#pragma once
/// \file kelias.hpp
/// Everything in the public API.
#include <kelias/assessment_header.hpp>
#include <kelias/case.hpp>
#include <kelias/case_io.hpp>
#include <kelias/case_store.hpp>
#include <kelias/cell.hpp>
#include <kelias/csv_columns.hpp>
#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>
#include <kelias/instrument_test.hpp>
#include <kelias/language.hpp>
#include <kelias/output_file.hpp>
#include <kelias/pathway.hpp>
#include <kelias/plan.hpp>
#include <kelias/ratings.hpp>
#include <kelias/ratings_io.hpp>
#include <kelias/report.hpp>
#include <kelias/rules.hpp>
#include <kelias/rules_lint.hpp>
#include <kelias/scoring.hpp>
#include <kelias/stats.hpp>
#include <kelias/version.hpp>
