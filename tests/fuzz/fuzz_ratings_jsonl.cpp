// Fuzzes the JSONL ratings reader: the input is a whole JSONL ratings file for START:AV
// (instruments/start_av.yaml), read in small chunks and scored (see fuzz_ratings.hpp).
#include <cstddef>
#include <cstdint>

#include "fuzz_ratings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    (void)kelias::fuzz::read_ratings(kelias::fuzz::as_text(data, size), kelias::RatingsFormat::jsonl);
    return 0;
}
