// Scoring: START:AV's scores, omission policies, batches, threads and explanations.
#include "test_support.hpp"

#include <algorithm>
#include <numeric>
#include <random>
#include <thread>

using namespace kelias;
using kelias::testing::shipped;

namespace {

const char* dynamic_items[] = {"school_work",
                               "recreation",
                               "substance_use",
                               "rule_adherence",
                               "conduct",
                               "self_care",
                               "coping",
                               "impulse_control",
                               "mental_cognitive_state",
                               "emotional_state",
                               "attitudes",
                               "social_skills",
                               "relationships_adults",
                               "relationships_peers",
                               "social_support_adults",
                               "social_support_peers",
                               "parenting",
                               "parental_functioning",
                               "home_environment",
                               "neighbourhood",
                               "insight",
                               "plans",
                               "treatability",
                               "medication_adherence"};
const char* outcomes[] = {"violence", "nonviolent_offending", "substance_abuse", "unauthorized_absence",
                          "suicide",  "self_injury",          "victimization",   "health_neglect"};

// Every dynamic item rated `s` for strength and `v` for vulnerability, every estimate 'low'.
Assessment uniform(const char* s, const char* v) {
    Assessment a;
    a.id = "t";
    for (const char* item : dynamic_items) {
        a.cells[std::string(item) + ".strength"] = s;
        a.cells[std::string(item) + ".vulnerability"] = v;
        a.cells[std::string(item) + ".key"] = "false";
        a.cells[std::string(item) + ".critical"] = "false";
    }
    for (const char* o : outcomes) a.cells[std::string(o) + ".estimate"] = "low";
    return a;
}

std::string get(const Instrument& inst, const Assessment& a, const char* id) {
    return kelias::testing::score_text(inst, a, id);
}

}  // namespace

TEST_CASE("START:AV reports exactly the scores the issue names, in order") {
    Instrument sav = shipped("instruments/start_av.yaml");
    const char* expected[] = {"strength_total",
                              "vulnerability_total",
                              "strength_n",
                              "vulnerability_n",
                              "individual_strength",
                              "individual_vulnerability",
                              "relationships_environment_strength",
                              "relationships_environment_vulnerability",
                              "response_to_interventions_strength",
                              "response_to_interventions_vulnerability",
                              "key_strengths",
                              "critical_vulnerabilities",
                              "strength_total_prorated",
                              "vulnerability_total_prorated",
                              "complete"};
    std::vector<std::string> visible;
    for (const auto& s : sav.scores())
        if (!s.hidden) visible.push_back(s.id);
    REQUIRE(visible.size() == std::size(expected));
    for (std::size_t i = 0; i < visible.size(); ++i) CHECK(visible[i] == expected[i]);
    CHECK(sav.key() == "start_av@2014");
    CHECK(sav.hash().rfind("sha256:", 0) == 0);
    CHECK(sav.hash().size() == 7 + 64);
    CHECK(sav.fields().size() == 25 * 4 + 8 * 3);
    CHECK(to_string(*sav.reassess_every()) == "P3M");
}

TEST_CASE("START:AV totals with na and omitted ratings") {
    Instrument sav = shipped("instruments/start_av.yaml");
    Assessment a = uniform("2", "1");
    CHECK(get(sav, a, "strength_total") == "48");
    CHECK(get(sav, a, "vulnerability_total") == "24");
    CHECK(get(sav, a, "individual_strength") == "24");
    CHECK(get(sav, a, "relationships_environment_strength") == "16");
    CHECK(get(sav, a, "response_to_interventions_vulnerability") == "4");
    CHECK(get(sav, a, "complete") == "true");

    // na: not applicable, left out of sums and of the prorating base.
    a.cells["medication_adherence.strength"] = "na";
    CHECK(get(sav, a, "strength_total") == "46");
    CHECK(get(sav, a, "strength_n") == "23");
    CHECK(get(sav, a, "strength_total_prorated") == "46");
    CHECK(get(sav, a, "complete") == "true");

    // Omitted: unknown, never zero. Two omitted of 23 applicable: 42 * 23 / 21 = 46.
    a.cells["coping.strength"] = "";
    a.cells["plans.strength"] = "omitted";
    CHECK(get(sav, a, "strength_total") == "42");
    CHECK(get(sav, a, "strength_n") == "21");
    CHECK(get(sav, a, "strength_total_prorated") == "46");
    CHECK(get(sav, a, "complete") == "false");

    // Past max_omitted (4) the prorated total is unknown; the raw total goes on.
    for (const char* item : {"insight", "treatability", "attitudes"}) a.cells[std::string(item) + ".strength"] = "";
    CHECK(get(sav, a, "strength_total_prorated") == "");
    CHECK(get(sav, a, "strength_total") == "36");
}

TEST_CASE("na is refused where the instrument does not allow it") {
    Instrument sav = shipped("instruments/start_av.yaml");
    Assessment a = uniform("1", "1");
    a.cells["coping.strength"] = "na";
    CHECK_FALSE(score(sav, a).ok());
    a.cells["coping.strength"] = "3";
    CHECK_FALSE(score(sav, a).ok());
}

TEST_CASE("the case-specific item stays out of the totals") {
    Instrument sav = shipped("instruments/start_av.yaml");
    Assessment a = uniform("1", "1");
    a.cells["case_specific.strength"] = "2";
    CHECK(get(sav, a, "strength_total") == "24");
    CHECK(get(sav, a, "strength_n") == "24");
}

TEST_CASE("key and critical flags are counted, and warnings fire per item") {
    Instrument sav = shipped("instruments/start_av.yaml");
    Assessment a = uniform("2", "0");
    a.cells["coping.key"] = "true";
    a.cells["plans.key"] = "true";
    a.cells["conduct.critical"] = "true";  // vulnerability 0: a warning
    auto r = score(sav, a);
    REQUIRE(r.ok());
    CHECK(r->find("key_strengths")->to_string() == "2");
    CHECK(r->find("critical_vulnerabilities")->to_string() == "1");
    REQUIRE(r->findings.size() == 1);
    CHECK(r->findings[0].item == "conduct");
    CHECK(r->findings[0].severity == Severity::warning);
}

TEST_CASE("a batch gives the same numbers as single assessments, with any thread count") {
    Instrument sav = shipped("instruments/start_av.yaml");
    const std::size_t rows = 10000;  // several blocks
    RatingsBatch batch(sav, rows);
    std::mt19937 rng(7);
    const char* cells[] = {"0", "1", "2", "", "na"};
    std::vector<Assessment> singles(rows);
    int rejected_cells = 0;
    for (std::size_t r = 0; r < rows; ++r) {
        batch.id(r) = "r" + std::to_string(r);
        for (std::size_t f = 0; f < sav.fields().size(); ++f) {
            const FieldInfo& field = sav.fields()[f];
            std::string text;
            if (field.type == FieldType::boolean)
                text = rng() % 2 ? "true" : "false";
            else if (field.is_outcome)
                text = rng() % 5 == 0 ? "" : "moderate";
            else
                text = cells[rng() % (field.allows_na ? 5 : 4)];
            rejected_cells += batch.set_text(r, f, text) != nullptr;
            if (r < 50) singles[r].cells[field.column] = text;
        }
    }
    REQUIRE(rejected_cells == 0);
    ScoreBatch one = score_batch(sav, batch, {1, true});
    ScoreBatch two = score_batch(sav, batch, {2, true});
    for (std::size_t s = 0; s < one.scores(); ++s) {
        CHECK(std::ranges::equal(one.column(s), two.column(s)));
        CHECK(std::ranges::equal(one.column_states(s), two.column_states(s)));
    }
    CHECK(one.findings().size() == two.findings().size());
    for (std::size_t r = 0; r < 50; ++r) {
        auto single = score(sav, singles[r]);
        REQUIRE(single.ok());
        for (std::size_t s = 0; s < one.scores(); ++s) CHECK(single->scores[s].second.to_string() == one.text(r, s));
    }
    // Spot-check one row by hand: strength_total is the sum of known strengths.
    double sum = 0;
    for (const char* item : dynamic_items) {
        std::size_t f = *sav.find_field(std::string(item) + ".strength");
        if (batch.state(123, f) == CellState::value) sum += batch.value(123, f);
    }
    CHECK(one.raw(123, *sav.find_score("strength_total")) == sum);
}

TEST_CASE("explanations name inputs, counts, policy and table rows") {
    Instrument sav = shipped("instruments/start_av.yaml");
    RatingsBatch batch(sav, 1);
    for (const char* item : dynamic_items) batch.set_text(0, *sav.find_field(std::string(item) + ".strength"), "1");
    batch.set_text(0, *sav.find_field("medication_adherence.strength"), "na");
    batch.set_text(0, *sav.find_field("coping.strength"), "");
    auto e = explain(sav, batch, 0, "strength_total_prorated");
    REQUIRE(e.ok());
    std::string text = to_text(*e);
    INFO(text);
    CHECK(e->value == "23");  // 22 known * 23 applicable / 22 known
    CHECK(text.find("prorate") != std::string::npos);
    CHECK(text.find("22 known, 1 na, 1 omitted") != std::string::npos);
    CHECK(text.find("coping.strength  ->  omitted") != std::string::npos);
    CHECK(text.find("medication_adherence.strength  ->  na") != std::string::npos);
    std::string json = to_json(*e);
    CHECK(json.rfind("{\"what\":\"strength_total_prorated = ", 0) == 0);

    CHECK_FALSE(explain(sav, batch, 0, "strength_totl").ok());
    CHECK(explain(sav, batch, 0, "strength_totl").diagnostics()[0].hint == "did you mean 'strength_total'?");
    CHECK_FALSE(explain(sav, batch, 5, "strength_total").ok());
}

TEST_CASE("explanations of table-based scores name the row that applied") {
    Instrument s99 = shipped("examples/instruments/static99r.yaml");
    RatingsBatch batch(s99, 1);
    batch.set_text(0, *s99.find_field("prior_sex_charges"), "4");      // charges table: 3-5 -> 2
    batch.set_text(0, *s99.find_field("prior_sex_convictions"), "1");  // convictions table: 1 -> 1
    auto e = explain(s99, batch, 0, "item5_prior_sex_offences");
    REQUIRE(e.ok());
    std::string text = to_text(*e);
    INFO(text);
    CHECK(e->value == "2");  // the higher of the two
    CHECK(text.find("prior_sex_charges  ->  4") != std::string::npos);
    CHECK(text.find("table 'charges_points' row") != std::string::npos);
    CHECK(text.find("table 'convictions_points' row") != std::string::npos);
}

TEST_CASE("an instrument is shared safely across threads") {
    Instrument sav = shipped("instruments/start_av.yaml");
    RatingsBatch batch(sav, 2000);
    for (std::size_t r = 0; r < batch.rows(); ++r)
        for (const char* item : dynamic_items)
            batch.set_text(r, *sav.find_field(std::string(item) + ".strength"), r % 2 ? "2" : "1");
    std::vector<double> totals(4);
    {
        std::vector<std::jthread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                Instrument copy = sav;  // copies share the compiled definition
                ScoreBatch b = score_batch(copy, batch, {1, false});
                const auto first = b.column(0);
                totals[static_cast<std::size_t>(t)] = std::accumulate(first.begin(), first.end(), 0.0);
            });
    }
    for (double t : totals) CHECK(t == 1000 * 24 + 1000 * 48);
}

TEST_CASE("the content hash changes with the definition") {
    const std::string a =
        "kelias: 1\nid: h\nversion: '1'\ntitle: H\nitems:\n  - {id: x, type: number}\nscores:\n  s: {expr: 'x + 1'}\n";
    std::string b = a;
    b.replace(b.find("x + 1"), 5, "x + 2");
    auto ia = load_instrument(a), ib = load_instrument(b), ia2 = load_instrument(a);
    REQUIRE(ia.ok());
    REQUIRE(ib.ok());
    CHECK(ia->hash() != ib->hash());
    CHECK(ia->hash() == ia2->hash());
}

TEST_CASE("to_string(FieldType) spells each type as a definition declares it") {
    const Instrument inst = kelias::testing::must_load("kelias: 1\nid: types\nversion: '1'\ntitle: Types\nitems:\n"
                                                       "  - {id: b, type: bool}\n"
                                                       "  - {id: i, type: integer}\n"
                                                       "  - {id: n, type: number}\n"
                                                       "  - {id: c, type: category, values: [x, y]}\n"
                                                       "  - {id: d, type: date}\n"
                                                       "  - {id: u, type: duration}\n"
                                                       "scores:\n  s: {expr: 'n + 1'}\n");
    std::vector<std::string> declared;
    for (const FieldInfo& f : inst.fields()) declared.emplace_back(to_string(f.type));
    CHECK(declared == std::vector<std::string>{"bool", "integer", "number", "category", "date", "duration"});
    CHECK(to_string(FieldType::rating) == "rating");
    CHECK(inst.describe().find("c  category") != std::string::npos);
}

TEST_CASE("borrowed columns score exactly as a RatingsBatch with the same cells") {
    Instrument sav = shipped("instruments/start_av.yaml");
    const std::size_t rows = 9000;  // three blocks
    RatingsBatch batch(sav, rows);
    std::mt19937 rng(11);
    const char* cells[] = {"0", "1", "2", "", "na"};
    const std::size_t fields = sav.fields().size();
    // Column-major copies the way a caller would hold them: NaN for omitted (no states), and
    // explicit states for the columns with `na`.
    std::vector<std::vector<double>> nan_values(fields, std::vector<double>(rows));
    std::vector<std::vector<CellState>> states(fields, std::vector<CellState>(rows));
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t f = 0; f < fields; ++f) {
            const FieldInfo& field = sav.fields()[f];
            std::string text;
            if (field.type == FieldType::boolean)
                text = rng() % 2 ? "true" : "false";
            else if (field.is_outcome)
                text = rng() % 5 == 0 ? "" : "moderate";
            else
                text = cells[rng() % (field.allows_na ? 5 : 4)];
            REQUIRE(batch.set_text(r, f, text) == nullptr);
            states[f][r] = batch.state(r, f);
            nan_values[f][r] = batch.state(r, f) == CellState::value ? batch.value(r, f) : NAN;
        }
    }
    RatingsColumns view{.rows = rows};
    std::vector<std::vector<double>> zeroed(fields);
    for (std::size_t f = 0; f < fields; ++f) {
        if (f == 3) continue;  // one field left out: omitted throughout
        const bool has_na = std::ranges::count(states[f], CellState::na) > 0;
        if (has_na) {
            zeroed[f] = nan_values[f];
            for (double& v : zeroed[f])
                if (std::isnan(v)) v = 0;
            view.columns.push_back({.field = f, .values = zeroed[f].data(), .states = states[f].data()});
        } else {
            view.columns.push_back({.field = f, .values = nan_values[f].data()});
        }
    }
    for (std::size_t r = 0; r < rows; ++r) batch.set_omitted(r, 3);
    CHECK(check_columns(sav, view).empty());
    const ScoreBatch expected = score_batch(sav, batch, {.threads = 1});
    for (unsigned threads : {1u, 2u}) {
        const ScoreBatch got = score_batch(sav, view, {.threads = threads});
        REQUIRE(got.rows() == rows);
        for (std::size_t s = 0; s < got.scores(); ++s) {
            CHECK(std::ranges::equal(got.column_states(s), expected.column_states(s)));
            for (std::size_t r = 0; r < rows; ++r)
                if (expected.known(r, s)) REQUIRE(got.raw(r, s) == expected.raw(r, s));
        }
        REQUIRE(got.findings().size() == expected.findings().size());
        for (std::size_t i = 0; i < got.findings().size(); ++i) {
            CHECK(got.findings()[i].row == expected.findings()[i].row);
            CHECK(got.findings()[i].check == expected.findings()[i].check);
        }
        CHECK(got.instrument_hash() == sav.hash());
    }
}

TEST_CASE("check_columns names every cell that does not fit its field - a field given twice throws") {
    Instrument sav = shipped("instruments/start_av.yaml");
    const std::size_t coping = *sav.find_field("coping.strength");
    const std::size_t key = *sav.find_field("coping.key");
    const std::size_t parenting = *sav.find_field("parenting.strength");
    std::vector<double> ratings = {2, 5, NAN, 1.5};
    std::vector<double> flags = {1, 0, 2, 0};
    std::vector<CellState> na = {CellState::na, CellState::value, CellState::omitted, CellState::value};
    std::vector<double> zeros = {0, 1, 0, 0};
    RatingsColumns view{.rows = 4,
                        .columns = {{.field = coping, .values = ratings.data()},
                                    {.field = key, .values = flags.data()},
                                    {.field = parenting, .values = zeros.data(), .states = na.data()}}};
    const auto problems = check_columns(sav, view);
    REQUIRE(problems.size() == 3);
    CHECK(problems[0].row == 1);
    CHECK(problems[0].field == coping);
    CHECK(std::string(problems[0].reason) == "not a value of the field's scale");
    CHECK(problems[1].row == 2);
    CHECK(problems[1].field == key);
    CHECK(problems[2].row == 3);
    CHECK(check_value(sav, coping, 2) == nullptr);
    CHECK(check_value(sav, coping, INFINITY) != nullptr);
    CHECK(sav.fields()[parenting].allows_na);  // so its `na` on row 0 is no problem

    view.columns.push_back({.field = coping, .values = ratings.data()});
    CHECK_THROWS_AS((void)score_batch(sav, view), Error);
    CHECK(check_columns(sav, view).front().reason == std::string("the field is given twice"));
}

TEST_CASE("check_columns on long columns finds every bad cell, in blocks and in the tail") {
    Instrument sav = shipped("instruments/start_av.yaml");
    const std::size_t coping = *sav.find_field("coping.strength");
    const std::size_t key = *sav.find_field("coping.key");
    const std::size_t rows = 2048 * 3 + 777;
    std::vector<double> ratings(rows), flags(rows);
    for (std::size_t r = 0; r < rows; ++r) {
        ratings[r] = r % 7 == 0 ? NAN : static_cast<double>(r % 3);
        flags[r] = static_cast<double>(r % 2);
    }
    // Out of range, not whole, huge, infinite, negative zero (fits): at block edges too.
    const std::vector<std::pair<std::size_t, double>> bad = {
        {0, 3}, {2047, 1.5}, {2048, -1}, {4100, 1e300}, {6143, INFINITY}, {6144, -INFINITY}, {rows - 1, 2.0000001}};
    for (const auto& [row, value] : bad) ratings[row] = value;
    ratings[5000] = -0.0;
    flags[3000] = 2;
    flags[rows - 2] = NAN;  // omitted: fine
    RatingsColumns view{
        .rows = rows, .columns = {{.field = coping, .values = ratings.data()}, {.field = key, .values = flags.data()}}};
    const auto problems = check_columns(sav, view);
    std::vector<std::pair<std::size_t, std::size_t>> want;
    for (std::size_t r = 0; r < rows; ++r) {
        if (!std::isnan(ratings[r]) && check_value(sav, coping, ratings[r])) want.emplace_back(r, coping);
        if (!std::isnan(flags[r]) && check_value(sav, key, flags[r])) want.emplace_back(r, key);
    }
    std::vector<std::pair<std::size_t, std::size_t>> got;
    for (const auto& p : problems) got.emplace_back(p.row, p.field);
    CHECK(got == want);
    CHECK(got.size() == bad.size() + 1);
}

TEST_CASE("check_columns on long columns with states: codes, na where allowed and not, bad states") {
    Instrument sav = shipped("instruments/start_av.yaml");
    const std::size_t estimate = *sav.find_field("violence.estimate");
    const std::size_t parenting = *sav.find_field("parenting.strength");
    const std::size_t coping = *sav.find_field("coping.strength");
    REQUIRE(sav.fields()[parenting].allows_na);
    REQUIRE_FALSE(sav.fields()[coping].allows_na);
    const std::size_t rows = 2048 * 4 + 5;
    const ParsedCell low = parse_cell(sav, estimate, "low");
    const ParsedCell high = parse_cell(sav, estimate, "high");
    REQUIRE(low.state == CellState::value);
    std::vector<double> codes(rows), ratings(rows);
    std::vector<CellState> code_states(rows, CellState::value), rating_states(rows, CellState::value);
    for (std::size_t r = 0; r < rows; ++r) {
        codes[r] = r % 2 ? low.value : high.value;
        if (r % 5 == 0) code_states[r] = CellState::omitted;
        ratings[r] = static_cast<double>(r % 3);
        if (r % 4 == 0) rating_states[r] = CellState::na;
        if (r % 11 == 0) rating_states[r] = CellState::omitted;
    }
    codes[1] = 12345;                               // not a code
    codes[2049] = NAN;                              // a value that is no number
    code_states[4100] = static_cast<CellState>(7);  // not a state
    ratings[6001] = 3;
    ratings[rows - 1] = 0.5;
    std::vector<double> coping_ratings(ratings);
    std::vector<CellState> coping_states(rating_states);  // `na` is a problem here
    RatingsColumns view{
        .rows = rows,
        .columns = {{.field = estimate, .values = codes.data(), .states = code_states.data()},
                    {.field = parenting, .values = ratings.data(), .states = rating_states.data()},
                    {.field = coping, .values = coping_ratings.data(), .states = coping_states.data()}}};
    std::vector<std::pair<std::size_t, std::size_t>> want;
    const auto expect = [&](std::size_t r, std::size_t field, double v, CellState s) {
        if (s == CellState::value ? check_value(sav, field, v) != nullptr
            : s == CellState::na  ? !sav.fields()[field].allows_na
                                  : s != CellState::omitted)
            want.emplace_back(r, field);
    };
    for (std::size_t r = 0; r < rows; ++r) {
        expect(r, estimate, codes[r], code_states[r]);
        expect(r, parenting, ratings[r], rating_states[r]);
        expect(r, coping, coping_ratings[r], coping_states[r]);
    }
    std::vector<std::pair<std::size_t, std::size_t>> got;
    for (const auto& p : check_columns(sav, view)) got.emplace_back(p.row, p.field);
    CHECK(got == want);
    CHECK(std::ranges::count(got, std::make_pair(std::size_t{1}, estimate)) == 1);
    CHECK(std::ranges::count(got, std::make_pair(std::size_t{4100}, estimate)) == 1);
}

TEST_CASE("borrowed columns: as_of per row, else the default") {
    Instrument sav = shipped("instruments/start_av.yaml");
    std::vector<double> days = {NAN, 20000};
    RatingsColumns view{.rows = 2, .as_of_days = days.data(), .as_of = Date{19000}};
    CHECK(check_columns(sav, view).empty());
    const ScoreBatch got = score_batch(sav, view, {.threads = 1});
    CHECK(got.rows() == 2);
    days[0] = 0.5;
    REQUIRE(check_columns(sav, view).size() == 1);
    CHECK(check_columns(sav, view)[0].row == 0);
}
