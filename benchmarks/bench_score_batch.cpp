// score_batch on START:AV: one million assessments, the size of a national archive.
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include <kelias/kelias.hpp>

namespace {

const kelias::Instrument& start_av() {
    static const kelias::Instrument instrument = [] {
        auto loaded = kelias::load_instrument_file(std::string(KELIAS_SOURCE_DIR) + "/instruments/start_av.yaml");
        if (!loaded) throw std::runtime_error(kelias::format(loaded.diagnostics()));
        return *loaded;
    }();
    return instrument;
}

// Seeded random ratings: ~5% omitted cells, na where the instrument allows it, flags ~8% true.
kelias::RatingsBatch random_batch(std::size_t rows) {
    const kelias::Instrument& inst = start_av();
    kelias::RatingsBatch batch(inst, rows);
    std::mt19937_64 rng(42);
    const char* estimates[] = {"low", "moderate", "high"};
    for (std::size_t f = 0; f < inst.fields().size(); ++f) {
        const kelias::FieldInfo& field = inst.fields()[f];
        for (std::size_t r = 0; r < rows; ++r) {
            std::uint64_t x = rng();
            if (x % 20 == 0) continue;  // omitted
            if (field.allows_na && x % 20 == 1) {
                batch.set_na(r, f);
            } else if (field.type == kelias::FieldType::boolean) {
                batch.set_value(r, f, (x >> 8) % 100 < 8 ? 1.0 : 0.0);  // key/critical flags are rare
            } else if (field.is_outcome && field.type != kelias::FieldType::boolean) {
                batch.set_text(r, f, estimates[(x >> 8) % 3]);
            } else {
                batch.set_value(r, f, static_cast<double>((x >> 8) % 3));
            }
        }
    }
    return batch;
}

void BM_score_batch_start_av(benchmark::State& state) {
    const auto rows = static_cast<std::size_t>(state.range(0));
    const auto threads = static_cast<unsigned>(state.range(1));
    const bool checks = state.range(2) != 0;
    static kelias::RatingsBatch batch = random_batch(1'000'000);  // built once, shared by the runs
    kelias::RatingsBatch rows_batch = rows == batch.rows() ? kelias::RatingsBatch(start_av(), 0) : random_batch(rows);
    const kelias::RatingsBatch& input = rows == batch.rows() ? batch : rows_batch;
    for (auto _ : state) {
        kelias::ScoreBatch scores = kelias::score_batch(start_av(), input, {.threads = threads, .run_checks = checks});
        benchmark::DoNotOptimize(scores.column(0).data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(rows));
    state.counters["rows"] = static_cast<double>(rows);
}

BENCHMARK(BM_score_batch_start_av)
    ->ArgNames({"rows", "threads", "checks"})
    ->Args({1'000'000, 1, 1})
    ->Args({1'000'000, 2, 1})
    ->Args({1'000'000, 1, 0})
    ->Args({1'000, 1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_load_start_av(benchmark::State& state) {
    for (auto _ : state) {
        auto loaded = kelias::load_instrument_file(std::string(KELIAS_SOURCE_DIR) + "/instruments/start_av.yaml");
        benchmark::DoNotOptimize(loaded.ok());
    }
}
BENCHMARK(BM_load_start_av)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
