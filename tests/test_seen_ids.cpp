// SeenIds: the first line of every id across chunks, the same with any number of threads.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "base/seen_ids.hpp"

using kelias::detail::SeenIds;

namespace {

using Repeats = std::vector<std::pair<std::size_t, std::size_t>>;

// Two chunks of ids (line = 100 * chunk + row), recorded with `threads` threads.
std::vector<Repeats> record_chunks(const std::vector<std::vector<std::string>>& chunks, std::size_t threads) {
    SeenIds seen;
    std::vector<Repeats> out;
    for (std::size_t c = 0; c < chunks.size(); ++c) {
        std::vector<std::uint64_t> hashes;
        std::vector<std::size_t> lines;
        for (std::size_t r = 0; r < chunks[c].size(); ++r) {
            hashes.push_back(chunks[c][r].empty() ? 0 : SeenIds::hash(chunks[c][r]));  // "" = a row not to record
            lines.push_back(100 * c + r);
        }
        out.push_back(seen.record(hashes, lines, threads));
    }
    return out;
}

}  // namespace

TEST_CASE("SeenIds::record finds repeats within and across chunks, in row order, whatever the threads") {
    std::vector<std::vector<std::string>> chunks = {{"a", "b", "a", "", "c", "b"}, {"c", "d", "", "a", "d"}};
    const auto one = record_chunks(chunks, 1);
    REQUIRE(one.size() == 2);
    CHECK(one[0] == Repeats{{2, 0}, {5, 1}});
    CHECK(one[1] == Repeats{{0, 4}, {3, 0}, {4, 101}});
    for (std::size_t threads : {2, 3, 16, 64}) {
        CAPTURE(threads);
        CHECK(record_chunks(chunks, threads) == one);
    }
    // Many ids: every shard, tables that grow, and the same answer with 1 and 4 threads.
    std::vector<std::string> many;
    for (int i = 0; i < 20000; ++i) many.push_back("P" + std::to_string(i % 15000));
    const auto serial = record_chunks({many}, 1);
    CHECK(serial[0].size() == 5000);
    CHECK(serial[0].front() == std::pair<std::size_t, std::size_t>{15000, 0});
    CHECK(record_chunks({many}, 4) == serial);
}

TEST_CASE("SeenIds::first_line and record share one memory of ids") {
    SeenIds seen;
    CHECK(seen.first_line("x", 7) == 7);
    CHECK(seen.first_line("x", 9) == 7);
    const std::vector<std::uint64_t> hashes{SeenIds::hash("y"), SeenIds::hash("x")};
    const std::vector<std::size_t> lines{10, 11};
    CHECK(seen.record(hashes, lines, 2) == Repeats{{1, 7}});
    CHECK(SeenIds::hash("") != 0);
}
