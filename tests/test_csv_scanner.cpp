// The SIMD record scanner against the plain one: the same records, lines and offsets on
// random and adversarial CSV, however the text arrives in blocks.
#include "test_support.hpp"

#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "io/csv.hpp"

using kelias::detail::Record;
using kelias::detail::RecordScanner;
using kelias::detail::ScanKernel;
using kelias::detail::StructureMasks;

namespace {

// (offset, size, line, has_quote) per record, then the final offset and line.
using Found = std::vector<std::tuple<std::size_t, std::size_t, std::size_t, bool>>;

// Feeds `text` the way the reader does: a growing prefix (cut at `cuts`), at most `max`
// records a call, `last` only once the whole text is there.
Found scan_all(const std::string& text, RecordScanner::Mode mode, ScanKernel kernel,
               const std::vector<std::size_t>& cuts, std::size_t max) {
    RecordScanner scanner(mode, ',', kernel);
    Found found;
    std::vector<Record> records;
    std::vector<std::size_t> ends = cuts;
    ends.push_back(text.size());
    for (std::size_t e = 0; e < ends.size(); ++e) {
        const bool last = e + 1 == ends.size();
        const std::string_view block(text.data(), ends[e]);
        for (;;) {
            records.clear();
            const std::size_t n = scanner.scan(block, max, last, records);
            for (const Record& r : records)
                found.emplace_back(static_cast<std::size_t>(r.text.data() - text.data()), r.text.size(), r.line,
                                   r.has_quote);
            if (n < max) break;
        }
    }
    found.emplace_back(scanner.offset(), 0, scanner.line(), false);
    return found;
}

std::string random_text(std::mt19937_64& rng, std::size_t size, std::string_view alphabet) {
    std::string s(size, ' ');
    for (char& c : s) c = alphabet[rng() % alphabet.size()];
    return s;
}

}  // namespace

TEST_CASE("structure masks: every kernel gives the plain one's masks") {
    std::mt19937_64 rng(7);
    const auto scalar = kelias::detail::structure_mask_function(ScanKernel::scalar);
    for (ScanKernel k : {ScanKernel::sse2, ScanKernel::avx2}) {
        const auto kernel = kelias::detail::structure_mask_function(kelias::detail::resolve_scan_kernel(k));
        for (int round = 0; round < 2000; ++round) {
            const std::size_t size = rng() % 65;
            // Padding after the text that must not count.
            const std::string text = random_text(rng, size, "\"\n\r,a") + std::string(64, '\n');
            const StructureMasks a = scalar(text.data(), size), b = kernel(text.data(), size);
            CHECK(a.newlines == b.newlines);
            CHECK(a.quotes == b.quotes);
        }
    }
}

TEST_CASE("record scanner: SIMD and plain kernels find the same records") {
    std::mt19937_64 rng(20261130);
    const std::vector<std::string_view> alphabets = {
        "\"\n\r,a",            // dense structure: quotes, CRLF, empty cells, blank lines
        "aaaaaaaaaa,,0,1\n",   // ratings-like, no quotes
        "ab,\n\"\"\"\r\n",     // doubled quotes
        "xxxxxxxxxxxxxxxxx\n"  // long runs without structure
    };
    for (int round = 0; round < 600; ++round) {
        const auto alphabet = alphabets[static_cast<std::size_t>(round) % alphabets.size()];
        std::string text = random_text(rng, rng() % 400, alphabet);
        if (round % 5 == 0) text += "\"unterminated,\n1,2\n";
        std::vector<std::size_t> cuts;
        for (std::size_t c = 0; c < 3 && !text.empty(); ++c) cuts.push_back(rng() % text.size());
        std::sort(cuts.begin(), cuts.end());
        const std::size_t max = 1 + rng() % 4;
        for (auto mode : {RecordScanner::Mode::csv, RecordScanner::Mode::lines}) {
            const Found plain = scan_all(text, mode, ScanKernel::scalar, cuts, max);
            CHECK(scan_all(text, mode, ScanKernel::sse2, cuts, max) == plain);
            CHECK(scan_all(text, mode, ScanKernel::avx2, cuts, max) == plain);
            CHECK(scan_all(text, mode, ScanKernel::automatic, {}, 1000) ==
                  scan_all(text, mode, ScanKernel::scalar, {}, 1000));
        }
    }
}

TEST_CASE("record scanner: records across 64-byte windows and block ends") {
    // A quoted line break, CRLF and a quote exactly at window edges.
    for (std::size_t pad = 0; pad < 130; ++pad) {
        const std::string text = std::string(pad, 'a') + ",\"x\ny\"\r\n" + std::string(pad % 67, 'b') + "\"q\"\n\n" +
                                 std::string(63, 'c') + "\r\n" + "d,\"e";
        std::vector<std::size_t> cuts;
        for (std::size_t c = 1; c < text.size(); c += 1 + pad % 17) cuts.push_back(c);
        for (ScanKernel k : {ScanKernel::sse2, ScanKernel::avx2}) {
            CHECK(scan_all(text, RecordScanner::Mode::csv, k, cuts, 2) ==
                  scan_all(text, RecordScanner::Mode::csv, ScanKernel::scalar, {}, 1000));
        }
    }
    // What the records are, not only that the kernels agree.
    const Found found = scan_all("a,\"b\nc\"\r\n\nd\n", RecordScanner::Mode::csv, ScanKernel::automatic, {5}, 10);
    REQUIRE(found.size() == 3);
    CHECK(found[0] == std::make_tuple(std::size_t{0}, std::size_t{7}, std::size_t{1}, true));
    CHECK(found[1] == std::make_tuple(std::size_t{10}, std::size_t{1}, std::size_t{4}, false));
    CHECK(found[2] == std::make_tuple(std::size_t{12}, std::size_t{0}, std::size_t{5}, false));
}
