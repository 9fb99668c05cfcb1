#pragma once
// The ratings readers under fuzzing: the whole input as one CSV or JSONL ratings file for
// START:AV, read chunk by chunk with the library's RatingsReader and scored. Shared by
// fuzz_ratings_csv and fuzz_ratings_jsonl.
#include <cstddef>
#include <string_view>

#include <kelias/kelias.hpp>

#include "fuzz_support.hpp"

namespace kelias::fuzz {

inline const Instrument& ratings_instrument() {
    static const Instrument start_av = must_load_instrument("instruments/start_av.yaml");
    return start_av;
}

/// Reads `text` whole, `chunk_rows` rows at a time (small, so that inputs cross chunk
/// boundaries), scores every chunk and writes the scores. Returns the rows read.
inline std::size_t read_ratings(std::string_view text, RatingsFormat format, std::size_t chunk_rows = 7) {
    const Instrument& instrument = ratings_instrument();
    auto reader = RatingsReader::from_text(instrument, std::string(text),
                                           {.format = format,
                                            .source_name = "fuzz",
                                            .threads = 1,
                                            .chunk_rows = chunk_rows,
                                            .max_line_bytes = 65536,
                                            .max_columns = 1000});
    if (!reader) return 0;
    const ScoreWriter writer(instrument,
                             {.format = format == RatingsFormat::csv ? ScoresFormat::csv : ScoresFormat::jsonl,
                              .delimiter = reader->delimiter(),
                              .pass_through = reader->pass_through()});
    RatingsChunk chunk(instrument);
    std::size_t rows = 0;
    std::string out = writer.header();
    for (;;) {
        auto read = reader->next(chunk);
        if (!read || *read == 0) break;
        expect(chunk.lines.size() == chunk.batch.rows() && chunk.bad.size() == chunk.batch.rows(),
               "a chunk describes every row of its batch");
        rows += *read;
        const ScoreBatch scored = score_batch(instrument, chunk.batch, {.threads = 1});
        for (std::size_t r = 0; r < scored.rows(); ++r)
            if (!chunk.bad[r]) writer.append_row(out, chunk, scored, r);
        for (const auto& p : chunk.problems) append_reject(out, p);
        out.clear();
    }
    return rows;
}

}  // namespace kelias::fuzz
