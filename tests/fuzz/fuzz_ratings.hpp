#pragma once
// The ratings readers under fuzzing: the whole input as one CSV or JSONL ratings file for
// START:AV, read chunk by chunk and scored. Shared by fuzz_ratings_csv and
// fuzz_ratings_jsonl.
//
// The readers still live in the CLI (kelias::cli::RowReader, src/cli/score_input.*); when
// they move into the library, only read_ratings() below changes (and the CLI sources in
// tests/fuzz/CMakeLists.txt go).
#include <cstddef>
#include <string_view>

#include <kelias/kelias.hpp>

#include "cli/score_input.hpp"  // the only internal header of the ratings harnesses
#include "fuzz_support.hpp"

namespace kelias::fuzz {

enum class RatingsFormat { csv, jsonl };

inline const Instrument& ratings_instrument() {
    static const Instrument start_av = must_load_instrument("instruments/start_av.yaml");
    return start_av;
}

/// Reads `text` whole, `chunk_rows` rows at a time (small, so that inputs cross chunk
/// boundaries), and scores every chunk. Returns the rows read.
inline std::size_t read_ratings(std::string_view text, RatingsFormat format, std::size_t chunk_rows = 7) {
    const Instrument& instrument = ratings_instrument();
    cli::RowReader::Options options;
    options.format = format == RatingsFormat::csv ? cli::InputFormat::csv : cli::InputFormat::jsonl;
    options.source_name = "fuzz";
    options.threads = 1;
    cli::RowReader reader(instrument, text, options);
    if (auto failure = reader.start()) return 0;

    RatingsBatch batch(instrument, 0);
    cli::Chunk chunk;
    ScoreOptions score_options;
    score_options.threads = 1;
    std::size_t rows = 0;
    while (!reader.done()) {
        if (auto failure = reader.next(batch, chunk, chunk_rows)) break;
        expect(chunk.lines.size() == batch.rows() && chunk.bad.size() == batch.rows(), "a chunk describes every row of its batch");
        rows += batch.rows();
        const ScoreBatch scored = score_batch(instrument, batch, score_options);
        for (std::size_t r = 0; r < scored.rows(); ++r)
            if (!chunk.bad[r])
                for (std::size_t s = 0; s < scored.scores(); ++s) (void)scored.text(r, s);
    }
    return rows;
}

}  // namespace kelias::fuzz
