// The earliest-date solver against its oracle, the day-by-day scan: identical decisions,
// dates and needs on the shipped rule set's tests and example cases (moved over many
// days), on random cases, and on rules built to reach every form the solver knows.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <kelias/case_io.hpp>
#include <kelias/rules.hpp>

#include "evaluation/decide_batch.hpp"
#include "model/rule_set_data.hpp"
#include "test_support.hpp"

using namespace kelias;

namespace {

// Decides the batch both ways and requires the same JSON (every reason) for every case;
// returns how many searches the solver left to the scan.
std::size_t require_same(const RuleSet& rules, const CaseBatch& batch, std::size_t* dated = nullptr) {
    std::size_t scanned = 0;
    for (unsigned threads : {1u, 2u}) {
        const DecideOptions options{.earliest_dates = true, .threads = threads};
        const auto solved = detail::decide_batch(rules, batch, options, detail::EarliestSearch::solve, &scanned);
        const auto oracle = detail::decide_batch(rules, batch, options, detail::EarliestSearch::scan);
        REQUIRE(solved.size() == oracle.size());
        for (std::size_t r = 0; r < solved.size(); ++r) {
            CAPTURE(r);
            CAPTURE(batch.id(r));
            REQUIRE(to_json(solved[r], true) == to_json(oracle[r], true));
        }
        if (dated) {
            *dated = 0;
            for (const auto& c : solved)
                for (const auto& d : c.decisions) *dated += d.earliest_date.has_value();
        }
    }
    return scanned;
}

// Seeded cases shaped like benchmarks/bench_rules.cpp's, with as_of anywhere in 2025.
class CaseGenerator {
public:
    explicit CaseGenerator(std::uint64_t seed) : rng_(seed) {}

    CaseInput next(std::size_t i) {
        CaseInput c;
        c.id = "R-" + std::to_string(i);
        const Date as_of{parse_date("2025-01-01")->days + below(365)};
        c.as_of = as_of;
        static const char* const regimes[] = {"closed", "semi_open", "open", "halfway_house", "probation"};
        const int regime = below(5);
        const bool custodial = regime != 4 || chance(0.2);
        fact(c, "regime", regimes[regime]);
        fact(c, "custodial", custodial);
        static const char* const categories[] = {"negligent", "minor", "less_serious", "serious", "grave"};
        fact(c, "crime_category", categories[below(5)]);
        const int months = 6 + below(120);
        const Date start{as_of.days - below(months * 31)};
        const Date end = *add(start, Duration{0, months, 0});
        fact(c, "sentence_start", start);
        fact(c, "sentence_end", end);
        if (custodial) fact(c, "earliest_parole_date", Date{start.days + below(std::max(1, end.days - start.days))});
        for (const char* flag : {"sexual_offence", "organised_crime_offence", "on_escape_register",
                                 "returned_from_open_or_hwh", "plan_compliance", "risk_reduced", "motivated_to_change",
                                 "consents_to_follow_up", "court_order_em", "employed_or_studying", "foreign_national",
                                 "violent_offence", "substance_related_offence", "speaks_lithuanian"})
            fact(c, flag, chance(0.3));
        if (regime == 3) {
            fact(c, "hwh_arrival", Date{as_of.days - below(90)});
            if (chance(0.5)) fact(c, "job_found_date", Date{as_of.days - below(60)});
        }
        if (chance(0.95)) {
            std::vector<RecordInput> penalties;
            for (int k = below(4); k > 0; --k) {
                RecordInput rec;
                if (!chance(0.02)) rec["date"] = to_string(Date{as_of.days - below(400)});
                if (!chance(0.02)) rec["active"] = chance(0.3) ? "true" : "false";
                penalties.push_back(std::move(rec));
            }
            c.lists["penalties"] = std::move(penalties);
        }
        // Many birthdays near as_of: the instrument chosen by age and EQUIP's age limit turn.
        const int age = chance(0.3) ? 16 + below(3) : 18 + below(50);
        fact(c, "date_of_birth", Date{subtract(as_of, Duration{age, 0, 0})->days - below(365)});
        fact(c, "convictions_last_5y", std::to_string(below(8)));
        for (const char* id : {"start_av", "start"}) {
            if (!chance(0.6)) continue;
            AssessmentInput a;
            a.instrument = id;
            a.date = Date{as_of.days - below(244)};
            static const char* const levels[] = {"low", "moderate", "high"};
            const bool adult = std::string(id) == "start";
            for (const char* s : {"violence.estimate", "substance_abuse.estimate"})
                if (!chance(0.03)) a.scores.emplace(s, levels[below(3)]);
            if (!adult && !chance(0.03)) a.scores.emplace("nonviolent_offending.estimate", levels[below(3)]);
            if (!chance(0.03))
                a.scores.emplace(adult ? "unauthorized_leave.estimate" : "unauthorized_absence.estimate",
                                 levels[below(3)]);
            a.scores.emplace("strength_total", std::to_string(below(49)));
            a.scores.emplace("vulnerability_total", std::to_string(below(49)));
            c.assessments.push_back(std::move(a));
        }
        return c;
    }

private:
    double uniform() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return uniform() < p; }
    int below(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
    void fact(CaseInput& c, const char* name, std::string value) {
        if (!chance(0.03)) c.facts.emplace(name, std::move(value));
    }
    void fact(CaseInput& c, const char* name, const char* value) { fact(c, name, std::string(value)); }
    void fact(CaseInput& c, const char* name, bool value) { fact(c, name, std::string(value ? "true" : "false")); }
    void fact(CaseInput& c, const char* name, Date value) { fact(c, name, to_string(value)); }

    std::mt19937_64 rng_;
};

// Adds the case, and the same case on other days around its as_of.
void add_moved(CaseBatch& batch, CaseInput c, int step, int count) {
    const Date as_of = *c.as_of;
    for (int k = -count; k <= count; ++k) {
        c.as_of = Date{as_of.days + k * step};
        const auto problems = batch.add(c);
        INFO(c.id);
        REQUIRE(problems.empty());
    }
}

}  // namespace

TEST_CASE("earliest dates: the solver and the scan agree on the shipped rule set's tests and examples") {
    const RuleSet rules = kelias::testing::lt_rules();
    CaseBatch batch(rules);
    std::size_t cases = 0;
    for (const auto& t : rules.data().tests) {
        if (!t.runnable || !t.input.as_of) continue;
        add_moved(batch, t.input, 23, 20);
        ++cases;
    }
    for (const auto& entry : std::filesystem::directory_iterator(std::string(KELIAS_SOURCE_DIR) + "/examples/cases")) {
        const auto& path = entry.path();
        if (path.extension() == ".yaml") {
            auto c = read_case_file(path.string());
            if (!c || !c->as_of) continue;
            CaseBatch probe(rules);
            if (!probe.add(*c).empty()) continue;  // a case for another rule set
            add_moved(batch, *c, 17, 20);
            ++cases;
        } else if (path.extension() == ".jsonl") {
            std::ifstream in(path);
            for (std::string line; std::getline(in, line);)
                if (!line.empty() && batch.add_json(line)) ++cases;
        }
    }
    CHECK(cases > 20);
    std::size_t dated = 0;
    CHECK(require_same(rules, batch, &dated) == 0);  // every case solved, none scanned
    CHECK(dated > 100);
}

TEST_CASE("earliest dates: the solver and the scan agree on random cases") {
    const RuleSet rules = kelias::testing::lt_rules();
    CaseGenerator gen(2026);
    CaseBatch batch(rules);
    for (std::size_t i = 0; i < 3000; ++i) {
        const auto problems = batch.add(gen.next(i));
        INFO((problems.empty() ? std::string() : problems.front().message));
        REQUIRE(problems.empty());
    }
    std::size_t dated = 0;
    CHECK(require_same(rules, batch, &dated) == 0);
    CHECK(dated > 1000);
}

TEST_CASE("earliest dates: every form of date condition, and the scan for a form the solver does not know") {
    const RuleSet rules = [] {
        auto r = load_rules(R"yaml(kelias: 1
kind: rules
id: forms
version: "1"
title: Date condition forms
instruments:
  start_av: {file: start_av, max_age: P2M}
facts:
  a: bool
  d1: date
  d2: date
  born: date
  days: integer
  penalties:
    list: {date: date, active: bool}
programmes:
  - id: on_the_day
    eligible_when: {all: [{id: eq, expr: "as_of == d1"}]}
  - id: not_on_the_day
    eligible_when: {all: [{id: ne, expr: "d1 != as_of"}, {id: after, expr: "as_of > d2"}]}
  - id: months
    eligible_when: {any: [{id: m, expr: "months_between(d1, as_of) >= 7"}, {id: y, expr: "years_between(as_of, d2) < 1"}]}
  - id: shifted
    eligible_when:
      all:
        - {id: add_months, expr: "add_months(as_of, 3) > d2"}
        - {id: add_days, expr: "add_days(as_of, days) >= d1"}
        - {id: minus, expr: "as_of - P1M1D >= d1 or not a"}
  - id: adult
    eligible_when: {all: [{id: adult, expr: "years_between(born, as_of) >= 18"}]}
    excluded_when: {any: [{id: recent, expr: "any(penalties, date > as_of - P3M)"}]}
  - id: assessed
    requires: [start_av]
    eligible_when: {all: [{id: low, expr: "start_av.violence.estimate == 'low'"}]}
  - id: chained
    eligible_when: {all: [{id: both, expr: "eligible('adult') and not eligible('on_the_day')"}]}
  - id: scaled
    eligible_when: {all: [{id: double_days, expr: "days_between(d1, as_of) * 2 >= days"}]}
)yaml",
                            "forms.yaml");
        INFO(format(r.diagnostics()));
        REQUIRE(r.ok());
        return *r;
    }();
    std::mt19937_64 rng(7);
    auto below = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
    const Date base = *parse_date("2025-01-31");  // month ends: add and subtract clamp
    CaseBatch batch(rules);
    for (int i = 0; i < 1500; ++i) {
        CaseInput c;
        c.id = "F-" + std::to_string(i);
        c.as_of = Date{base.days + below(60)};
        auto maybe = [&](const char* name, std::string v) {
            if (below(20) != 0) c.facts.emplace(name, std::move(v));
        };
        maybe("a", below(2) ? "true" : "false");
        maybe("d1", to_string(Date{base.days - 400 + below(1600)}));
        maybe("d2", to_string(Date{base.days - 400 + below(1600)}));
        maybe("born", to_string(Date{subtract(base, Duration{18, 0, 0})->days - 60 + below(1200)}));
        maybe("days", std::to_string(below(400) - 100));
        if (below(10) != 0) {
            std::vector<RecordInput> penalties;
            for (int k = below(3); k > 0; --k)
                penalties.push_back({{"date", to_string(Date{base.days - 120 + below(150)})}, {"active", "true"}});
            c.lists["penalties"] = std::move(penalties);
        }
        if (below(3) != 0) {
            AssessmentInput a;
            a.instrument = "start_av";
            a.date = Date{base.days - below(90)};
            a.scores.emplace("violence.estimate", below(2) ? "low" : "high");
            c.assessments.push_back(std::move(a));
        }
        REQUIRE(batch.add(c).empty());
    }
    std::size_t dated = 0;
    const std::size_t scanned = require_same(rules, batch, &dated);
    CHECK(dated > 1000);
    CHECK(scanned > 0);              // `scaled` reads as_of through a product: scanned
    CHECK(scanned <= batch.rows());  // only `scaled`: the other forms are solved
}
