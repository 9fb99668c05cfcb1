#pragma once
/// \file instrument_test.hpp
/// Running the test cases embedded in a definition (`tests:`).
#include <string>
#include <vector>

#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>

KELIAS_BEGIN_NAMESPACE

/// One failed expectation of one embedded test.
struct TestFailure {
    std::string test;     ///< the test's name (or `#N`)
    Location where;       ///< where the test or the failing expectation sits
    std::string message;  ///< `strength_total: expected 17, got 16`
};

struct TestReport {
    int passed = 0;
    int failed = 0;
    std::vector<TestFailure> failures;
};

/// Runs every embedded test of the instrument.
TestReport run_embedded_tests(const Instrument& instrument);

KELIAS_END_NAMESPACE
