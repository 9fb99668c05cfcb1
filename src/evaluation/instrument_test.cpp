#include <kelias/instrument_test.hpp>

#include <algorithm>
#include <cmath>

#include <kelias/scoring.hpp>

#include "model/instrument_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

std::string describe_expected(const detail::TestExpect& ex) { return ex.expected ? *ex.expected : "unknown"; }

bool matches(const ScoreBatch& scored, const detail::TestExpect& ex) {
    const auto s = static_cast<std::size_t>(ex.score);
    if (!ex.expected) return !scored.known(0, s);
    if (!scored.known(0, s)) return false;
    if (ex.numeric) {
        double got = scored.raw(0, s);
        return std::abs(got - ex.number) <= 1e-9 * std::max(1.0, std::abs(ex.number));
    }
    return scored.text(0, s) == *ex.expected;
}

}  // namespace

TestReport run_embedded_tests(const Instrument& instrument) {
    const detail::InstrumentData& d = instrument.data();
    TestReport report;
    for (const auto& tc : d.tests) {
        RatingsBatch batch(instrument, 1);
        batch.id(0) = tc.name;
        batch.set_as_of(0, tc.as_of);
        for (const auto& cell : tc.cells) batch.set_text(0, static_cast<std::size_t>(cell.column), cell.text);
        const ScoreBatch scored = score_batch(instrument, batch, {.threads = 1, .run_checks = true});
        bool ok = true;
        for (const auto& ex : tc.expect) {
            if (matches(scored, ex)) continue;
            ok = false;
            const auto s = static_cast<std::size_t>(ex.score);
            std::string got = scored.known(0, s) ? scored.text(0, s) : "unknown";
            report.failures.push_back(
                {tc.name, ex.where, d.score_infos[s].id + ": expected " + describe_expected(ex) + ", got " + got});
        }
        if (tc.expect_checks) {
            std::vector<std::string> fired;
            for (const auto& f : scored.findings())
                if (std::find(fired.begin(), fired.end(), f.check) == fired.end()) fired.emplace_back(f.check);
            std::vector<std::string> want = *tc.expect_checks;
            std::sort(fired.begin(), fired.end());
            std::sort(want.begin(), want.end());
            want.erase(std::unique(want.begin(), want.end()), want.end());
            if (fired != want) {
                ok = false;
                auto join = [](const std::vector<std::string>& v) {
                    std::string s = "[";
                    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
                    return s + "]";
                };
                report.failures.push_back(
                    {tc.name, tc.where, "checks: expected " + join(want) + ", fired " + join(fired)});
            }
        }
        (ok ? report.passed : report.failed)++;
    }
    return report;
}

KELIAS_END_NAMESPACE
