// Eligibility on the Lithuanian release pathway (instruments/lt_release_pathway.yaml, 13
// programmes): one million synthetic cases, the size of a national caseload archive.
//
//   kelias_bench --benchmark_filter=rules
//
// The cases are seeded and built once per size (1M, 100k, 10k: the first rows of the same
// sequence); the build time, and how much of it CaseBatch::add takes, is printed to stderr.
// Each case has the facts a Lithuanian case file would have (regime, sentence dates, crime
// category, 0-3 disciplinary penalties, flags), a START:AV assessment given as `scores` and
// dated up to 8 months before as_of (so about a quarter are stale), and ~3% of the facts
// omitted. benchmarks/compare_rules_pandas.py generates cases of the same shape in Python.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <kelias/kelias.hpp>

#include "lt_cases.hpp"

namespace {

using kelias_bench::CaseGenerator;
using kelias_bench::lt_rules;

// The first `rows` cases of the seeded sequence, added to a batch. Reports its cost.
kelias::CaseBatch build_batch(std::size_t rows) {
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    CaseGenerator gen(42);
    kelias::CaseBatch batch(lt_rules());
    clock::duration in_add{};
    for (std::size_t i = 0; i < rows; ++i) {
        kelias::CaseInput c = gen.next(i);
        const auto a0 = clock::now();
        auto problems = batch.add(c);
        in_add += clock::now() - a0;
        if (!problems.empty()) throw std::runtime_error("case " + c.id + " rejected: " + problems.front().message);
    }
    const double total = std::chrono::duration<double>(clock::now() - t0).count();
    const double add = std::chrono::duration<double>(in_add).count();
    std::fprintf(stderr,
                 "bench_rules: built %zu cases in %.2f s (CaseBatch::add %.2f s = %.2f us/case, generation %.2f s)\n",
                 rows, total, add, 1e6 * add / static_cast<double>(rows), total - add);
    return batch;
}

// Built once per size on first use, shared by the runs.
const kelias::CaseBatch& cases(std::size_t rows) {
    if (rows == 1'000'000) {
        static const kelias::CaseBatch million = build_batch(rows);
        return million;
    }
    if (rows == 100'000) {
        static const kelias::CaseBatch hundred_k = build_batch(rows);
        return hundred_k;
    }
    if (rows == 10'000) {
        static const kelias::CaseBatch ten_k = build_batch(rows);
        return ten_k;
    }
    throw std::invalid_argument("bench_rules: no batch of " + std::to_string(rows) + " rows");
}

// Decisions only (a DecisionTable), the columnar path.
void BM_rules_decide_columns(benchmark::State& state) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    const auto threads = static_cast<unsigned>(state.range(1));
    const kelias::CaseBatch& batch = cases(rows);
    for (auto _ : state) {
        kelias::DecisionTable m = kelias::decide_columns(lt_rules(), batch, threads);
        benchmark::DoNotOptimize(m.column(0).data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(rows));
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["programmes"] = static_cast<double>(lt_rules().programmes().size());
}
BENCHMARK(BM_rules_decide_columns)
    ->ArgNames({"rows", "threads"})
    ->Args({1'000'000, 1})
    ->Args({1'000'000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Full decisions: reasons, missing facts and, with earliest=1, the earliest date (up to the
// P3Y horizon) of every programme held back only by time, solved from the date conditions.
// Cases are built on `threads` threads (items per second = cases per second).
void BM_rules_decide_batch(benchmark::State& state) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    kelias::DecideOptions options;
    options.earliest_dates = state.range(1) != 0;
    options.threads = static_cast<unsigned>(state.range(2));
    const kelias::CaseBatch& batch = cases(rows);
    std::size_t dated = 0;
    for (auto _ : state) {
        std::vector<kelias::CaseDecisions> out = kelias::decide_batch(lt_rules(), batch, options);
        benchmark::DoNotOptimize(out.data());
        // Freeing the decisions (~50 reasons a case, each with its strings) is the caller's
        // cost, not decide_batch's. The allocator still shows: the first repetition, on a
        // fresh heap, runs markedly faster than the later ones.
        state.PauseTiming();
        dated = 0;
        for (const auto& c : out)
            for (const auto& d : c.decisions) dated += d.earliest_date.has_value();
        out = {};
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(rows));
    state.counters["rows"] = static_cast<double>(rows);
    state.counters["earliest_dates_found"] = static_cast<double>(dated);
}
BENCHMARK(BM_rules_decide_batch)
    ->ArgNames({"rows", "earliest", "threads"})
    ->Args({100'000, 0, 1})
    ->Args({100'000, 0, 2})
    ->Args({100'000, 1, 1})
    ->Args({100'000, 1, 2})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// Full decisions written as JSON (to_json, the reasons `kelias eligibility` writes): the
// texts and inputs of reasons are produced here, when written. One thread decides and
// writes; bytes per second are those of the JSON.
void BM_rules_decide_batch_json(benchmark::State& state) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    kelias::DecideOptions options;
    options.earliest_dates = state.range(1) != 0;
    options.threads = 1;
    const kelias::CaseBatch& batch = cases(rows);
    std::size_t bytes = 0;
    for (auto _ : state) {
        std::vector<kelias::CaseDecisions> out = kelias::decide_batch(lt_rules(), batch, options);
        bytes = 0;
        for (const auto& c : out) bytes += kelias::to_json(c).size() + 1;
        state.PauseTiming();  // freeing the decisions: the caller's cost
        benchmark::DoNotOptimize(bytes);
        out = {};
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(rows));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
    state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_rules_decide_batch_json)
    ->ArgNames({"rows", "earliest"})
    ->Args({100'000, 0})
    ->Args({100'000, 1})
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

// Checking and appending cases: CaseInput (maps of cell text) -> columns.
void BM_rules_case_batch_add(benchmark::State& state) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    static const std::vector<kelias::CaseInput> inputs = [rows] {
        CaseGenerator gen(42);
        std::vector<kelias::CaseInput> v;
        v.reserve(rows);
        for (std::size_t i = 0; i < rows; ++i) v.push_back(gen.next(i));
        return v;
    }();
    for (auto _ : state) {
        kelias::CaseBatch batch(lt_rules());
        for (const auto& c : inputs) benchmark::DoNotOptimize(batch.add(c));
        benchmark::DoNotOptimize(batch.rows());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(rows));
    state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_rules_case_batch_add)->ArgName("rows")->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same cases as JSON lines (the batch input of `kelias eligibility`): text -> columns.
void BM_rules_case_batch_add_json(benchmark::State& state) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    static const std::vector<std::string> lines = [rows] {
        CaseGenerator gen(42);
        std::vector<std::string> v;
        v.reserve(rows);
        for (std::size_t i = 0; i < rows; ++i) v.push_back(kelias::to_json(gen.next(i)));
        return v;
    }();
    std::size_t bytes = 0;
    for (const auto& l : lines) bytes += l.size() + 1;
    for (auto _ : state) {
        kelias::CaseBatch batch(lt_rules());
        for (const auto& l : lines) benchmark::DoNotOptimize(batch.add_json(l));
        if (batch.rows() != rows) state.SkipWithError("a generated case was refused");
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(rows));
    state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(bytes));
    state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_rules_case_batch_add_json)->ArgName("rows")->Arg(100'000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_rules_load(benchmark::State& state) {
    for (auto _ : state) {
        auto loaded = kelias::load_rules_file(std::string(KELIAS_SOURCE_DIR) + "/instruments/lt_release_pathway.yaml");
        benchmark::DoNotOptimize(loaded.ok());
    }
}
BENCHMARK(BM_rules_load)->Unit(benchmark::kMillisecond);

}  // namespace
