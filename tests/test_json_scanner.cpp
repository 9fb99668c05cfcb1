// The JSON scanner's fast paths held to their plain references: the string-stop search
// (SSE2 where the target has it) against the byte-at-a-time loop, on random text at every
// offset and length; and add_json on random malformed case lines, whose acceptance and
// located messages must not depend on where the line's end falls for the 16-byte blocks.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include <kelias/rules.hpp>

#include "base/json_scanner.hpp"
#include "test_support.hpp"

using namespace kelias;
using kelias::testing::lt_rules;

namespace {

// A generated Lithuanian case (benchmarks/compare_rules_pandas.py), strings of every length.
const std::string case_line =
    R"({"case":"LT-1000000","as_of":"2025-06-22","facts":{"regime":"semi_open","custodial":true,)"
    R"("crime_category":"less_serious","sentence_start":"2024-12-12","sentence_end":"2025-11-12",)"
    R"("earliest_parole_date":"2025-06-08","sexual_offence":false,"organised_crime_offence":false,)"
    R"("on_escape_register":false,"returned_from_open_or_hwh":false,"plan_compliance":false,)"
    R"("risk_reduced":true,"date_of_birth":"1996-01-20","convictions_last_5y":7,"motivated_to_change":false,)"
    R"("consents_to_follow_up":true,"court_order_em":false,"employed_or_studying":false,)"
    R"("foreign_national":false,"violent_offence":true,"substance_related_offence":true,)"
    R"("penalties":[{"date":"2025-06-18","active":false}]},"assessments":{"start_av":{"date":"2025-03-27",)"
    R"("scores":{"violence.estimate":"low","nonviolent_offending.estimate":"moderate",)"
    R"("substance_abuse.estimate":"low","unauthorized_absence.estimate":"low","strength_total":20,)"
    R"("vulnerability_total":2}}}})";

std::string message_of(const JsonCaseAdded& added) {
    std::string out;
    for (const auto& p : added.problems) out += (out.empty() ? "" : "; ") + p.message;
    return out;
}

// "... at column N" split into the text before N and N (-1 when there is no column).
std::pair<std::string, long> split_column(const std::string& message) {
    const auto at = message.rfind(" at column ");
    if (at == std::string::npos) return {message, -1};
    return {message.substr(0, at), std::stol(message.substr(at + 11))};
}

}  // namespace

TEST_CASE("find_string_stop finds what the byte-at-a-time loop finds, at every offset and length") {
    std::mt19937 rng(7);
    // Mostly plain text (ASCII and UTF-8 bytes), now and then a quote, a backslash or a
    // control code; sometimes none at all within the range.
    const std::string plain = "abcXYZ019 _-.:,{}[]\x7f\xc3\xa9\xe2\x82\xac\xff\x80";
    const std::string stops = std::string("\"\\\t\n\r\x01\x1f") + '\0';
    for (int round = 0; round < 400; ++round) {
        const std::size_t size = rng() % 120;
        const unsigned stop_every = 2 + rng() % 80;
        std::string text(size, ' ');
        for (char& c : text) c = rng() % stop_every == 0 ? stops[rng() % stops.size()] : plain[rng() % plain.size()];
        for (std::size_t pos = 0; pos <= size; ++pos) {
            INFO("round " << round << " pos " << pos << " size " << size);
            REQUIRE(detail::find_string_stop(text.data(), pos, size) ==
                    detail::find_string_stop_plain(text.data(), pos, size));
        }
    }
    // Every byte value as the only stop candidate, at every place in a 40-byte run.
    for (int b = 0; b < 256; ++b)
        for (std::size_t at = 0; at < 40; ++at) {
            std::string text(40, 'a');
            text[at] = static_cast<char>(b);
            CHECK(detail::find_string_stop(text.data(), 0, text.size()) ==
                  detail::find_string_stop_plain(text.data(), 0, text.size()));
        }
}

TEST_CASE("JsonScanner reads strings across the 16-byte blocks as before") {
    for (std::size_t length = 0; length < 70; ++length) {
        const std::string body(length, 'x');
        for (const std::string& tail : {std::string(), std::string(20, ' ')}) {
            std::optional<std::string_view> text;
            const std::string quoted = "\"" + body + "\"" + tail;  // the scanner keeps a view
            detail::JsonScanner plain(quoted);
            REQUIRE(plain.read_scalar(text));
            CHECK(*text == body);
            const std::string with_escape = "\"" + body + "\\n" + body + "\"" + tail;
            detail::JsonScanner escaped(with_escape);
            REQUIRE(escaped.read_scalar(text));
            CHECK(*text == body + "\n" + body);
            const std::string with_tab = "\"" + body + "\t\"" + tail;
            detail::JsonScanner control(with_tab);
            CHECK_FALSE(control.read_scalar(text));
            CHECK(control.error() ==
                  "control character in a string (escape it) at column " + std::to_string(length + 2));
            const std::string open = "\"" + body + tail;
            detail::JsonScanner unterminated(open);
            CHECK_FALSE(unterminated.read_scalar(text));
            CHECK(unterminated.error() == "unterminated string at column " + std::to_string(open.size() + 1));
        }
    }
}

TEST_CASE("add_json on random malformed lines: the same answer wherever the line ends") {
    const RuleSet& rules = lt_rules();
    CaseBatch batch(rules);
    REQUIRE(batch.add_json(case_line));
    std::mt19937 rng(11);
    const std::string bytes = "\"\\\t{}[],:x0 -e.\x01\xc3";
    int refused = 0;
    for (int round = 0; round < 3000; ++round) {
        std::string line = case_line;
        switch (round % 3) {
        case 0:  // cut short
            line.resize(rng() % line.size());
            break;
        case 1:  // a byte replaced
            line[rng() % line.size()] = bytes[rng() % bytes.size()];
            break;
        default:  // a byte inserted
            line.insert(rng() % line.size(), 1, bytes[rng() % bytes.size()]);
            break;
        }
        const JsonCaseAdded first = batch.add_json(line);
        refused += first ? 0 : 1;
        // Whitespace after the object is allowed: it moves the line's end, not its meaning.
        for (std::size_t spaces = 1; spaces <= 17; spaces += 8) {
            INFO("round " << round << " line " << line << " spaces " << spaces);
            const JsonCaseAdded padded = batch.add_json(line + std::string(spaces, ' '));
            REQUIRE(static_cast<bool>(padded) == static_cast<bool>(first));
            CHECK(padded.case_id == first.case_id);
            const std::string a = message_of(first), b = message_of(padded);
            if (a == b) continue;
            // Only a message placed at the end of the line may move, by the spaces added.
            const auto [what_a, column_a] = split_column(a);
            const auto [what_b, column_b] = split_column(b);
            CHECK(what_a == what_b);
            CHECK(column_a == static_cast<long>(line.size()) + 1);
            CHECK(column_b == column_a + static_cast<long>(spaces));
        }
    }
    CHECK(refused > 1500);  // most mutations break the line; some (a digit, a space) do not
}
