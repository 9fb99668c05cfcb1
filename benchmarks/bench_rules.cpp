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

namespace {

const kelias::RuleSet& lt_rules() {
    static const kelias::RuleSet rules = [] {
        auto loaded = kelias::load_rules_file(std::string(KELIAS_SOURCE_DIR) + "/instruments/lt_release_pathway.yaml");
        if (!loaded) throw std::runtime_error(kelias::format(loaded.diagnostics()));
        return *loaded;
    }();
    return rules;
}

// Seeded synthetic cases. Proportions are rough but cover every programme's three answers.
class CaseGenerator {
public:
    explicit CaseGenerator(std::uint64_t seed) : rng_(seed) {}

    kelias::CaseInput next(std::size_t i) {
        using kelias::Date;
        using kelias::Duration;
        kelias::CaseInput c;
        c.id = "LT-" + std::to_string(1'000'000 + i);
        const Date as_of{first_as_of_.days + below(365)};  // a day of 2025
        c.as_of = as_of;

        static const char* const regimes[] = {"closed", "semi_open", "open", "halfway_house", "probation"};
        static const double regime_w[] = {0.30, 0.25, 0.15, 0.05, 0.25};
        const int regime = pick(regime_w);
        const bool probation = regime == 4;
        const bool custodial = !probation || chance(0.2);  // on probation after conditional release
        fact(c, "regime", regimes[regime]);
        fact(c, "custodial", custodial);

        static const char* const categories[] = {"negligent", "minor", "less_serious", "serious", "grave"};
        static const double category_w[] = {0.05, 0.15, 0.35, 0.30, 0.15};
        static const double parole_share[] = {1.0 / 3, 0.5, 0.5, 2.0 / 3, 0.75};
        const int category = pick(category_w);
        fact(c, "crime_category", categories[category]);

        // Sentence: 6 months to 15 years (mostly short) in custody, 6 to 36 months on probation.
        const double u = uniform();
        const int months = probation && !custodial ? 6 + below(31) : 6 + static_cast<int>(174 * u * u);
        const int length_days = kelias::days_between(as_of, *kelias::add(as_of, Duration{0, months, 0}));
        const Date start{as_of.days - static_cast<int>(uniform() * 1.05 * length_days)};
        const Date end = *kelias::add(start, Duration{0, months, 0});
        fact(c, "sentence_start", start);
        fact(c, "sentence_end", end);
        if (custodial) {
            int parole = start.days + static_cast<int>(std::ceil((end.days - start.days) * parole_share[category]));
            if (chance(0.3)) parole += below(31) - 15;  // remand credit and institution practice
            fact(c, "earliest_parole_date", Date{parole});
        }
        fact(c, "sexual_offence", chance(0.04));
        fact(c, "organised_crime_offence", chance(0.05));
        fact(c, "on_escape_register", custodial && chance(0.04));
        fact(c, "returned_from_open_or_hwh", custodial && chance(0.05));
        fact(c, "plan_compliance", chance(0.7));
        fact(c, "risk_reduced", chance(0.25));

        // 0-3 penalties of this sentence, imposed between its start and as_of; some in force.
        if (chance(0.97)) {
            std::vector<kelias::RecordInput> penalties;
            const int served = std::max(1, as_of.days - start.days);
            static const double count_w[] = {0.5, 0.25, 0.15, 0.10};
            const int count = custodial ? pick(count_w) : 0;
            for (int k = 0; k < count; ++k) {
                kelias::RecordInput rec;
                if (!chance(0.01)) rec["date"] = kelias::to_string(Date{start.days + below(served)});
                if (!chance(0.01)) rec["active"] = chance(0.3) ? "true" : "false";
                penalties.push_back(std::move(rec));
            }
            c.lists["penalties"] = std::move(penalties);
        }

        // 5% juveniles (14-17), otherwise 18-69.
        const int age = chance(0.05) ? 14 + below(4) : 18 + below(52);
        fact(c, "date_of_birth", Date{kelias::subtract(as_of, Duration{age, 0, 0})->days - below(365)});
        static const double convictions_w[] = {0.30, 0.22, 0.15, 0.11, 0.08, 0.06, 0.04, 0.02, 0.02};
        fact(c, "convictions_last_5y", std::to_string(pick(convictions_w)));
        fact(c, "motivated_to_change", chance(0.4));
        fact(c, "consents_to_follow_up", chance(0.5));
        fact(c, "court_order_em", chance(0.1));
        fact(c, "employed_or_studying", chance(0.3));
        fact(c, "foreign_national", chance(0.06));
        fact(c, "violent_offence", chance(0.35));
        fact(c, "substance_related_offence", chance(0.4));

        // START:AV given as results, dated up to 8 months before as_of (P6M is the limit).
        if (chance(0.97)) {
            kelias::AssessmentInput a;
            a.instrument = "start_av";
            a.date = Date{as_of.days - below(244)};
            static const char* const levels[] = {"low", "moderate", "high"};
            static const double violence_w[] = {0.45, 0.35, 0.20};
            static const double nonviolent_w[] = {0.40, 0.40, 0.20};
            static const double other_w[] = {0.50, 0.30, 0.20};
            score(a, "violence.estimate", levels[pick(violence_w)]);
            score(a, "nonviolent_offending.estimate", levels[pick(nonviolent_w)]);
            score(a, "substance_abuse.estimate", levels[pick(other_w)]);
            score(a, "unauthorized_absence.estimate", levels[pick(other_w)]);
            score(a, "strength_total", std::to_string(below(49)));
            score(a, "vulnerability_total", std::to_string(below(49)));
            c.assessments.push_back(std::move(a));
        }
        return c;
    }

private:
    double uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return uniform() < p; }
    int below(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
    template <std::size_t N>
    int pick(const double (&weights)[N]) {
        double x = uniform();
        for (std::size_t k = 0; k + 1 < N; ++k) {
            if (x < weights[k]) return static_cast<int>(k);
            x -= weights[k];
        }
        return static_cast<int>(N - 1);
    }
    // Each fact and assessment result is omitted with probability 3%.
    void fact(kelias::CaseInput& c, const char* name, std::string value) {
        if (!chance(0.03)) c.facts.emplace(name, std::move(value));
    }
    void fact(kelias::CaseInput& c, const char* name, const char* value) { fact(c, name, std::string(value)); }
    void fact(kelias::CaseInput& c, const char* name, bool value) {
        fact(c, name, std::string(value ? "true" : "false"));
    }
    void fact(kelias::CaseInput& c, const char* name, kelias::Date value) { fact(c, name, kelias::to_string(value)); }
    void score(kelias::AssessmentInput& a, const char* name, std::string value) {
        if (!chance(0.03)) a.scores.emplace(name, std::move(value));
    }

    std::mt19937_64 rng_;
    const kelias::Date first_as_of_ = *kelias::parse_date("2025-01-01");
};

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
