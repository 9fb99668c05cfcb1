// Calendar arithmetic: the rules every time-bound score and rule relies on.
#include <algorithm>
#include <doctest/doctest.h>

#include <kelias/date.hpp>

using namespace kelias;

static Date d(const char* s) { return *parse_date(s); }

TEST_CASE("dates parse and print as ISO 8601") {
    CHECK(to_string(d("2024-02-29")) == "2024-02-29");
    CHECK(to_string(d("0001-01-09")) == "0001-01-09");
    CHECK(to_string(d("9999-12-31")) == "9999-12-31");
    CHECK(to_string(Date{d("9999-12-31").days + 1}) == "10000-01-01");
    CHECK(d("1970-01-01").days == 0);
    CHECK(d("1969-12-31").days == -1);
    CHECK_FALSE(parse_date("2023-02-29"));
    CHECK_FALSE(parse_date("2024-13-01"));
    CHECK_FALSE(parse_date("2024-1-01"));
    CHECK_FALSE(parse_date("24-01-01x"));
    CHECK_FALSE(parse_date(""));
}

TEST_CASE("durations parse ISO 8601 date parts in order") {
    CHECK(*parse_duration("P3M") == Duration{0, 3, 0});
    CHECK(*parse_duration("P1Y2M10D") == Duration{1, 2, 10});
    CHECK(*parse_duration("P6W") == Duration{0, 0, 42});
    CHECK_FALSE(parse_duration("P"));
    CHECK_FALSE(parse_duration("3M"));
    CHECK_FALSE(parse_duration("P3M1Y"));  // designators out of order
    CHECK_FALSE(parse_duration("P3X"));
    CHECK_FALSE(parse_duration("PT3H"));  // no time part in this language
    CHECK(to_string(Duration{1, 2, 10}) == "P1Y2M10D");
    CHECK(to_string(Duration{}) == "P0D");
}

TEST_CASE("adding months clamps to the end of the month") {
    CHECK(add(d("2024-01-31"), {0, 1, 0}) == d("2024-02-29"));
    CHECK(add(d("2023-01-31"), {0, 1, 0}) == d("2023-02-28"));
    CHECK(add(d("2024-02-29"), {1, 0, 0}) == d("2025-02-28"));
    CHECK(add(d("2024-12-15"), {0, 1, 0}) == d("2025-01-15"));
    CHECK(subtract(d("2024-03-31"), {0, 1, 0}) == d("2024-02-29"));
    CHECK(subtract(d("2024-01-15"), {0, 1, 0}) == d("2023-12-15"));
    CHECK(add(d("2024-01-01"), {0, 0, 90}) == d("2024-03-31"));
}

TEST_CASE("months_between counts whole months, consistent with add") {
    CHECK(months_between(d("2024-01-15"), d("2024-02-14")) == 0);
    CHECK(months_between(d("2024-01-15"), d("2024-02-15")) == 1);
    CHECK(months_between(d("2024-01-31"), d("2024-02-29")) == 1);  // add(Jan 31, P1M) == Feb 29
    CHECK(months_between(d("2024-01-31"), d("2024-02-28")) == 0);
    CHECK(months_between(d("2024-02-15"), d("2024-01-15")) == -1);
    CHECK(months_between(d("2020-06-01"), d("2025-06-01")) == 60);
    // The rule: the largest m with add(from, m months) <= to.
    for (int offset = 0; offset < 800; offset += 7) {
        Date from = d("2023-01-29"), to{from.days + offset};
        int m = months_between(from, to);
        CHECK(add(from, {0, m, 0}) <= to);
        CHECK(add(from, {0, m + 1, 0}) > to);
    }
}

TEST_CASE("years_between is an age: whole years completed") {
    CHECK(years_between(d("2008-06-15"), d("2025-06-14")) == 16);
    CHECK(years_between(d("2008-06-15"), d("2025-06-15")) == 17);
    CHECK(years_between(d("2008-02-29"), d("2025-02-28")) == 17);
    CHECK(years_between(d("2025-06-15"), d("2008-06-15")) == -17);
    CHECK(days_between(d("2024-01-01"), d("2024-12-31")) == 365);
}
