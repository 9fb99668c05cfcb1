// kelias::stats against published values (Shrout & Fleiss 1979) and R's psych and pROC
// (tests/data/stats/make_references.R wrote the datasets and references.csv), the
// distribution functions against R, and the edge cases: ties, one class only, constant
// items, missing ratings, too few rows or raters. Also the CSV column reader.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <kelias/csv_columns.hpp>
#include <kelias/stats.hpp>

#include "stats/distributions.hpp"

using namespace kelias;
using namespace kelias::stats;

namespace {

const std::string data_dir = std::string(KELIAS_TEST_DATA_DIR) + "/stats/";
constexpr double missing = std::numeric_limits<double>::quiet_NaN();

CsvColumns read(const std::string& file, std::vector<std::string> numeric, std::vector<std::string> categorical = {}) {
    auto r = read_csv_columns(data_dir + file, {.numeric = std::move(numeric), .categorical = std::move(categorical)});
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    return *std::move(r);
}

/// references.csv as "dataset/statistic/key" -> value.
const std::map<std::string, double>& references() {
    static const std::map<std::string, double> refs = [] {
        const CsvColumns c = read("references.csv", {"value"}, {"dataset", "statistic", "key"});
        std::map<std::string, double> m;
        for (std::size_t i = 0; i < c.rows; ++i)
            m[c.categorical[0][i] + "/" + c.categorical[1][i] + "/" + c.categorical[2][i]] = c.numeric[0][i];
        return m;
    }();
    return refs;
}

double R(const std::string& key) {
    const auto it = references().find(key);
    INFO(key);
    REQUIRE(it != references().end());
    return it->second;
}

void close(double got, double expected, double tolerance, const std::string& what) {
    INFO(what << ": got " << got << ", expected " << expected);
    CHECK(std::fabs(got - expected) <= tolerance * std::max(1.0, std::fabs(expected)));
}

std::vector<std::span<const double>> columns(const CsvColumns& c) {
    std::vector<std::span<const double>> out;
    for (const auto& col : c.numeric) out.emplace_back(col);
    return out;
}

bool fails_with(const std::vector<Diagnostic>& ds, const std::string& fragment) {
    for (const Diagnostic& d : ds)
        if (d.code == DiagnosticCode::statistic_undefined && d.message.find(fragment) != std::string::npos) return true;
    return false;
}

}  // namespace

TEST_CASE("distribution functions match R") {
    using namespace kelias::stats::detail;
    close(normal_cdf(-1.5), R("distributions/pnorm/-1.5"), 1e-14, "pnorm(-1.5)");
    close(normal_cdf(-8) / R("distributions/pnorm/-8"), 1, 1e-12, "pnorm(-8), relative");
    close(normal_quantile(0.975), R("distributions/qnorm/0.975"), 1e-14, "qnorm(.975)");
    close(normal_quantile(1e-10), R("distributions/qnorm/1e-10"), 1e-13, "qnorm(1e-10)");
    close(normal_quantile(0.3), R("distributions/qnorm/0.3"), 1e-14, "qnorm(.3)");
    close(t_cdf(2.1, 7), R("distributions/pt/2.1|7"), 1e-12, "pt(2.1, 7)");
    close(t_cdf(-3.4, 2.5), R("distributions/pt/-3.4|2.5"), 1e-12, "pt(-3.4, 2.5)");
    close(t_cdf(0.7, 120), R("distributions/pt/0.7|120"), 1e-12, "pt(0.7, 120)");
    close(f_cdf(3.2, 4, 20), R("distributions/pf/3.2|4|20"), 1e-12, "pf(3.2, 4, 20)");
    close(f_upper(11.03, 5, 15) / R("distributions/pf_upper/11.03|5|15"), 1, 1e-10, "pf upper, relative");
    close(f_upper(40, 10, 90) / R("distributions/pf_upper/40|10|90"), 1, 1e-10, "tiny pf upper, relative");
    close(f_quantile(0.975, 5, 15), R("distributions/qf/0.975|5|15"), 1e-11, "qf(.975, 5, 15)");
    close(f_quantile(0.025, 239, 1195), R("distributions/qf/0.025|239|1195"), 1e-11, "qf(.025, 239, 1195)");
    close(f_quantile(0.975, 5, 3.7), R("distributions/qf/0.975|5|3.7"), 1e-10, "qf with fractional df");
    close(chi_square_cdf(3.84, 1), R("distributions/pchisq/3.84|1"), 1e-13, "pchisq(3.84, 1)");
    close(chi_square_upper(30, 4) / R("distributions/pchisq_upper/30|4"), 1, 1e-11, "pchisq upper, relative");
    close(chi_square_cdf(250, 300), R("distributions/pchisq/250|300"), 1e-12, "pchisq(250, 300)");
    close(incomplete_beta(2.5, 7, 0.3).lower, R("distributions/pbeta/0.3|2.5|7"), 1e-13, "pbeta");
    close(incomplete_gamma(3.5, 4.2).lower, R("distributions/pgamma/4.2|3.5"), 1e-13, "pgamma");
    // Round trips and domains.
    for (double p : {1e-12, 0.01, 0.5, 0.9, 0.999}) {
        close(normal_cdf(normal_quantile(p)), p, 1e-12, "qnorm round trip");
        close(f_cdf(f_quantile(p, 3, 11), 3, 11), p, 1e-11, "qf round trip");
    }
    CHECK(std::isnan(f_cdf(1, -1, 3)));
    CHECK(std::isnan(normal_quantile(1.5)));
    CHECK(t_cdf(0, 5) == doctest::Approx(0.5));
}

TEST_CASE("Cronbach's alpha matches psych::alpha, listwise") {
    const CsvColumns c = read("alpha_items.csv", {"i1", "i2", "i3", "i4", "i5", "i6"});
    auto r = cronbach_alpha(columns(c));
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    CHECK(r->n == static_cast<std::size_t>(R("alpha_items/alpha/n")));
    CHECK(r->n_dropped == c.rows - r->n);
    CHECK(r->k == 6);
    const double tol = 1e-10;
    close(r->alpha, R("alpha_items/alpha/raw_alpha"), tol, "alpha");
    close(r->standardized_alpha, R("alpha_items/alpha/std_alpha"), tol, "std.alpha");
    close(r->ci.lower, R("alpha_items/alpha/feldt_lower"), 1e-9, "Feldt lower");
    close(r->ci.upper, R("alpha_items/alpha/feldt_upper"), 1e-9, "Feldt upper");
    close(r->total_mean, R("alpha_items/alpha/total_mean"), tol, "total mean");
    close(r->total_sd, R("alpha_items/alpha/total_sd"), tol, "total sd");
    close(r->sem, R("alpha_items/alpha/sem"), tol, "SEM");
    for (std::size_t j = 0; j < 6; ++j) {
        const std::string item = "alpha_items/alpha/i" + std::to_string(j + 1);
        close(r->items[j].mean, R(item + ".mean"), tol, item + " mean");
        close(r->items[j].sd, R(item + ".sd"), tol, item + " sd");
        close(r->items[j].item_total, R(item + ".raw_r"), tol, item + " raw.r");
        close(r->items[j].corrected_item_total, R(item + ".r_drop"), tol, item + " r.drop");
        close(r->items[j].alpha_if_deleted, R(item + ".alpha_drop"), tol, item + " alpha.drop");
    }
}

TEST_CASE("alpha: constant items, too few items or rows, ragged columns are clear errors") {
    const std::vector<double> a{1, 2, 3, 4}, b{2, 2, 4, 3}, constant{1, 1, 1, 1}, short_column{1, 2};
    const std::vector<double> with_missing{1, missing, missing, missing};
    {
        const std::span<const double> cols[] = {a, b, constant};
        auto r = cronbach_alpha(cols);
        REQUIRE_FALSE(r.ok());
        CHECK(fails_with(r.error(), "item 3 is constant"));
        CHECK(code_text(r.error()[0].code) == "E910");
    }
    {
        const std::span<const double> cols[] = {a};
        CHECK(fails_with(cronbach_alpha(cols).error(), "at least 2 items"));
    }
    {
        const std::span<const double> cols[] = {a, short_column};
        CHECK(fails_with(cronbach_alpha(cols).error(), "item 2 has 2 values"));
    }
    {
        const std::span<const double> cols[] = {a, with_missing};
        CHECK(fails_with(cronbach_alpha(cols).error(), "at least 2 rows complete"));
    }
    {
        const std::span<const double> cols[] = {a, b};
        auto r = cronbach_alpha(cols, {.confidence = 1.5});
        REQUIRE_FALSE(r.ok());
        CHECK(r.error()[0].code == DiagnosticCode::invalid_value);
    }
}

TEST_CASE("ICC: the Shrout & Fleiss (1979) example gives the published values and psych's tests and bounds") {
    const CsvColumns c = read("shrout_fleiss.csv", {"j1", "j2", "j3", "j4"});
    auto r = icc(columns(c));
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    CHECK(r->n == 6);
    CHECK(r->k == 4);
    // Shrout & Fleiss (1979), Table 4 (two decimals).
    const double published[] = {0.17, 0.29, 0.71, 0.44, 0.62, 0.91};
    for (std::size_t i = 0; i < 6; ++i)
        close(r->estimates[i].value, published[i], 0.005, std::string(icc_label(r->estimates[i].form)) + " published");
    for (const IccEstimate& e : r->estimates) {
        const std::string key = "shrout_fleiss/icc/" + std::string(icc_psych_name(e.form));
        close(e.value, R(key + ".icc"), 1e-12, key);
        close(e.test.f, R(key + ".f"), 1e-12, key + " F");
        CHECK(e.test.df1 == R(key + ".df1"));
        CHECK(e.test.df2 == R(key + ".df2"));
        close(e.test.p, R(key + ".p"), 1e-11, key + " p");
        close(e.ci.lower, R(key + ".lower"), 1e-9, key + " lower");
        close(e.ci.upper, R(key + ".upper"), 1e-9, key + " upper");
    }
    CHECK((*r)[IccForm::icc3k].value == r->estimates[5].value);
}

TEST_CASE("ICC with missing ratings leaves those targets out, as psych") {
    const CsvColumns c = read("icc_ratings.csv", {"r1", "r2", "r3"});
    auto r = icc(columns(c));
    REQUIRE(r.ok());
    CHECK(r->n == 37);
    CHECK(r->n_dropped == 3);
    for (const IccEstimate& e : r->estimates) {
        const std::string key = "icc_ratings/icc/" + std::string(icc_psych_name(e.form));
        close(e.value, R(key + ".icc"), 1e-12, key);
        close(e.test.f, R(key + ".f"), 1e-12, key + " F");
        close(e.test.p / R(key + ".p"), 1, 1e-8, key + " p, relative");
        close(e.ci.lower, R(key + ".lower"), 1e-9, key + " lower");
        close(e.ci.upper, R(key + ".upper"), 1e-9, key + " upper");
    }
}

TEST_CASE("ICC: one rater, too few targets, no variation are clear errors") {
    const std::vector<double> a{1, 2, 3}, b{2, 3, 5}, same{4, 4, 4}, partial{1, missing, missing};
    {
        const std::span<const double> cols[] = {a};
        CHECK(fails_with(icc(cols).error(), "at least 2 raters"));
    }
    {
        const std::span<const double> cols[] = {a, partial};
        CHECK(fails_with(icc(cols).error(), "at least 2 targets"));
    }
    {
        const std::span<const double> cols[] = {same, same};
        CHECK(fails_with(icc(cols).error(), "targets do not differ"));
    }
    {
        const std::span<const double> cols[] = {a, a};
        CHECK(fails_with(icc(cols).error(), "no residual variance"));
    }
    {
        const std::span<const double> cols[] = {a, b};
        CHECK(icc(cols).ok());
    }
}

TEST_CASE("Cohen's kappa matches psych::cohen.kappa - its SE Fleiss, Cohen & Everitt, or psych's on request") {
    const CsvColumns c = read("kappa_ratings.csv", {"rater1", "rater2"});
    auto r = cohen_kappa(c.numeric[0], c.numeric[1]);
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    CHECK(r->n == static_cast<std::size_t>(R("kappa_ratings/kappa/n")));
    CHECK(r->n_dropped == c.rows - r->n);
    CHECK(r->categories == std::vector<double>{0, 1, 2, 3});
    // Standard errors: Fleiss, Cohen & Everitt's formula by default (computed in R by
    // make_references.R), psych's coding on request (then the intervals are psych's too).
    auto as_psych = cohen_kappa(c.numeric[0], c.numeric[1], {.variance = KappaVariance::psych});
    REQUIRE(as_psych.ok());
    for (const KappaEstimate& e : r->estimates) {
        const std::string key = "kappa_ratings/kappa/" + std::string(weights_name(e.weights));
        close(e.kappa, R(key + ".kappa"), 1e-12, key);
        close(e.se * e.se, R(key + ".var_fce"), 1e-12, key + " variance (FCE)");
        const KappaEstimate& p = (*as_psych)[e.weights];
        CHECK(p.kappa == e.kappa);
        close(p.se * p.se, R(key + ".var"), 1e-12, key + " variance (psych)");
        close(p.ci.lower, R(key + ".lower"), 1e-10, key + " lower (psych)");
        close(p.ci.upper, R(key + ".upper"), 1e-10, key + " upper (psych)");
    }
    CHECK(r->estimates[0].se == (*as_psych)[KappaWeights::unweighted].se);
    CHECK((*r)[KappaWeights::quadratic].se > (*as_psych)[KappaWeights::quadratic].se);
}

TEST_CASE("kappa: perfect agreement, one category, categories given, unknown ratings") {
    const std::vector<double> a{0, 1, 2, 2, 1, 0}, one{1, 1, 1, 1, 1, 1}, odd{0, 1, 5, 2, 1, 0};
    auto perfect = cohen_kappa(a, a);
    REQUIRE(perfect.ok());
    for (const KappaEstimate& e : perfect->estimates) CHECK(e.kappa == doctest::Approx(1.0));
    CHECK(fails_with(cohen_kappa(one, one).error(), "one and the same category"));
    // With the scale's categories given, an unused category changes the weights.
    auto given = cohen_kappa(a, odd, {.categories = {0, 1, 2, 3, 4, 5}});
    REQUIRE(given.ok());
    CHECK(given->categories.size() == 6);
    CHECK(fails_with(cohen_kappa(a, odd, {.categories = {0, 1, 2}}).error(),
                     "row 3: the rating of rater 2 is not one of"));
    const std::vector<double> half{missing, 1, 2, 2, 1, missing};
    auto partial = cohen_kappa(a, half);
    REQUIRE(partial.ok());
    CHECK(partial->n == 4);
    CHECK(partial->n_dropped == 2);
    CHECK(fails_with(cohen_kappa(a, std::vector<double>{1, 2}).error(), "rater 2 has 2 values"));
}

TEST_CASE("AUC with DeLong's interval matches pROC, with many ties") {
    const CsvColumns c = read("roc_scores.csv", {"score1", "score2", "outcome", "expected"}, {"band", "site"});
    for (const char* name : {"score1", "score2"}) {
        auto r = roc_auc(c.number(name), c.number("outcome"));
        INFO(format(r.diagnostics()));
        REQUIRE(r.ok());
        const std::string key = std::string("roc_scores/auc/") + name;
        CHECK(r->n == static_cast<std::size_t>(R(key + ".n")));
        CHECK(r->n + r->n_dropped == c.rows);
        close(r->auc, R(key + ".auc"), 1e-12, key);
        close(r->se * r->se, R(key + ".var"), 1e-12, key + " var");
        close(r->ci.lower, R(key + ".lower"), 1e-10, key + " lower");
        close(r->ci.upper, R(key + ".upper"), 1e-10, key + " upper");
    }
    auto t = delong_test(c.number("score1"), c.number("score2"), c.number("outcome"));
    INFO(format(t.diagnostics()));
    REQUIRE(t.ok());
    CHECK(t->first.n == static_cast<std::size_t>(R("roc_scores/delong_test/n")));
    close(t->first.auc, R("roc_scores/delong_test/auc1"), 1e-12, "auc1");
    close(t->second.auc, R("roc_scores/delong_test/auc2"), 1e-12, "auc2");
    close(t->z, R("roc_scores/delong_test/z"), 1e-10, "z");
    close(t->p, R("roc_scores/delong_test/p"), 1e-10, "p");
    CHECK(t->difference == doctest::Approx(t->first.auc - t->second.auc));
}

TEST_CASE("AUC equals the share of case-control pairs ranked right, ties counting one half") {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> value(0, 5);
    std::bernoulli_distribution event(0.3);
    std::vector<double> score(300), outcome(300);
    for (std::size_t i = 0; i < score.size(); ++i) {
        outcome[i] = event(rng) ? 1 : 0;
        score[i] = value(rng) + outcome[i];
    }
    double pairs = 0, wins = 0;
    for (std::size_t i = 0; i < score.size(); ++i)
        for (std::size_t j = 0; j < score.size(); ++j)
            if (outcome[i] == 1 && outcome[j] == 0) {
                pairs += 1;
                wins += score[i] > score[j] ? 1.0 : score[i] == score[j] ? 0.5 : 0.0;
            }
    auto r = roc_auc(score, outcome);
    REQUIRE(r.ok());
    CHECK(r->auc == doctest::Approx(wins / pairs).epsilon(1e-12));
    // The trapezoidal area under the ROC curve's points is the same number.
    auto curve = roc_curve(score, outcome);
    REQUIRE(curve.ok());
    CHECK(std::isinf(curve->front().threshold));
    CHECK(curve->front().tpr == 0);
    CHECK(curve->back().tpr == 1);
    CHECK(curve->back().fpr == 1);
    CHECK(curve->size() == 8);  // +inf and the distinct scores 0..6
    double area = 0;
    for (std::size_t i = 1; i < curve->size(); ++i)
        area += ((*curve)[i].fpr - (*curve)[i - 1].fpr) * ((*curve)[i].tpr + (*curve)[i - 1].tpr) / 2;
    CHECK(area == doctest::Approx(r->auc).epsilon(1e-12));
}

TEST_CASE("AUC: one class only, outcomes other than 0/1, identical scores are clear errors") {
    const std::vector<double> score{1, 2, 3, 4}, zeros{0, 0, missing, 0}, ones{1, 1, 1, 1}, bad{0, 1, 2, 1};
    CHECK(fails_with(roc_auc(score, zeros).error(), "one class only: no row has outcome 1"));
    CHECK(fails_with(roc_auc(score, ones).error(), "one class only: no row has outcome 0"));
    CHECK(fails_with(roc_auc(score, bad).error(), "row 3 is neither 0 nor 1"));
    CHECK(fails_with(roc_curve(score, ones).error(), "one class only"));
    const std::vector<double> outcome{0, 1, 0, 1};
    CHECK(fails_with(delong_test(score, score, outcome).error(), "rank the rows identically"));
    // One case: an AUC, but no DeLong variance.
    const std::vector<double> single{0, 0, 0, 1};
    auto r = roc_auc(score, single);
    REQUIRE(r.ok());
    CHECK(r->auc == 1.0);
    CHECK(std::isnan(r->se));
}

TEST_CASE("calibration by category: Wilson intervals as R's prop.test, observed against expected") {
    const CsvColumns c = read("roc_scores.csv", {"score1", "outcome", "expected"}, {"band"});
    auto r = calibration(c.category("band"), c.number("outcome"), c.number("expected"),
                         {.order = {"low", "moderate", "elevated", "high"}});
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    REQUIRE(r->rows.size() == 4);
    const char* bands[] = {"low", "moderate", "elevated", "high"};
    double events = 0;
    for (std::size_t i = 0; i < 4; ++i) {
        const CalibrationRow& row = r->rows[i];
        const std::string key = std::string("roc_scores/wilson/") + bands[i];
        CHECK(row.category == bands[i]);
        CHECK(row.observed.n == static_cast<std::size_t>(R(key + ".n")));
        CHECK(row.observed.events == static_cast<std::size_t>(R(key + ".events")));
        close(row.observed.ci.lower, R(key + ".lower"), 1e-12, key + " lower");
        close(row.observed.ci.upper, R(key + ".upper"), 1e-12, key + " upper");
        CHECK(row.ratio == doctest::Approx(static_cast<double>(row.observed.events) / row.expected_events));
        events += static_cast<double>(row.observed.events);
    }
    CHECK(r->total.observed.events == static_cast<std::size_t>(events));
    REQUIRE(r->hosmer_lemeshow.has_value());
    CHECK(r->hosmer_lemeshow->df == 4);
    CHECK(r->hosmer_lemeshow->p > 0);
    CHECK(r->hosmer_lemeshow->p < 1);
    // Without expected values: observed rates only, no test.
    auto observed = calibration(c.category("band"), c.number("outcome"));
    REQUIRE(observed.ok());
    CHECK(std::isnan(observed->rows[0].expected));
    CHECK_FALSE(observed->hosmer_lemeshow.has_value());
    // Numeric categories sort as numbers.
    const std::vector<std::string> numbers{"10", "9", "10", "9", "2"};
    const std::vector<double> outcome{1, 0, 1, 1, 0};
    auto numeric = calibration(numbers, outcome);
    REQUIRE(numeric.ok());
    CHECK(numeric->rows[0].category == "2");
    CHECK(numeric->rows[2].category == "10");
    const std::vector<double> bad_expected{0.1, 1.2, 0.3, 0.2, 0.1};
    CHECK(fails_with(calibration(numbers, outcome, bad_expected).error(), "row 2 is not between 0 and 1"));
    auto rate = base_rate(outcome);
    REQUIRE(rate.ok());
    CHECK(rate->rate == doctest::Approx(0.6));
    CHECK(rate->ci.lower < 0.6);
    CHECK(rate->ci.upper > 0.6);
}

TEST_CASE("group audit: per-group AUC as pROC, error rates at the cut-off, one-class groups without AUC") {
    const CsvColumns c = read("roc_scores.csv", {"score1", "outcome", "expected"}, {"site"});
    auto r =
        group_audit(c.category("site"), c.number("score1"), c.number("outcome"), c.number("expected"), {.cutoff = 10});
    INFO(format(r.diagnostics()));
    REQUIRE(r.ok());
    REQUIRE(r->groups.size() == 3);
    CHECK(r->groups[0].group == "Alytus");  // alphabetical
    std::size_t n = 0;
    for (const GroupRow& g : r->groups) {
        const std::string key = "roc_scores/auc/site." + g.group;
        REQUIRE(g.auc.has_value());
        close(g.auc->auc, R(key + ".auc"), 1e-12, key);
        close(g.auc->ci.lower, R(key + ".lower"), 1e-10, key + " lower");
        close(g.auc->ci.upper, R(key + ".upper"), 1e-10, key + " upper");
        CHECK(g.true_positives + g.false_positives + g.true_negatives + g.false_negatives == g.base_rate.n);
        CHECK(g.false_positive_rate.n == g.false_positives + g.true_negatives);
        n += g.base_rate.n;
    }
    CHECK(r->overall.base_rate.n == n);
    CHECK(n + r->n_dropped == c.rows);

    const std::vector<std::string> group{"a", "a", "a", "b", "b", "b"};
    const std::vector<double> score{1, 5, 9, 2, 6, 8}, outcome{0, 1, 1, 0, 0, 0};
    auto small = group_audit(group, score, outcome, {}, {.cutoff = 5});
    REQUIRE(small.ok());
    CHECK(small->groups[0].auc.has_value());
    CHECK_FALSE(small->groups[1].auc.has_value());  // group b: outcome 0 only
    CHECK(small->groups[1].false_positives == 2);
    CHECK(small->groups[1].false_positive_rate.rate == doctest::Approx(2.0 / 3));
    CHECK(std::isnan(small->groups[1].false_negative_rate.rate));
    CHECK(to_text(*small).find("b ") != std::string::npos);
}

TEST_CASE("text and JSON forms name every statistic") {
    const CsvColumns c = read("shrout_fleiss.csv", {"j1", "j2", "j3", "j4"});
    auto r = icc(columns(c));
    REQUIRE(r.ok());
    const std::string text = to_text(*r);
    CHECK(text.find("ICC(2,1)  0.290") != std::string::npos);
    const std::string json = to_json(*r);
    CHECK(json.find("\"form\":\"ICC(3,k)\"") != std::string::npos);
    CHECK(json.find("\"psych\":\"ICC3k\"") != std::string::npos);
}

TEST_CASE("CSV columns: unknown columns, bad cells and ragged rows are reported by line and column") {
    const std::string text = "id;a;b;site\n1;2;x;k\n2;;3;NA\n3;1\n4;NA;2.5;v\n";
    auto bad = read_csv_columns_text(text, "in.csv", {.numeric = {"a", "b"}, .categorical = {"site"}});
    REQUIRE_FALSE(bad.ok());
    REQUIRE(bad.error().size() == 2);
    CHECK(format(bad.error()[0]).find("in.csv:2:3: error[E502]: column 'b': not a number") == 0);
    CHECK(format(bad.error()[1]).find("in.csv:4:1: error[E502]: the row has 2 cells, the header has 4") == 0);
    auto unknown = read_csv_columns_text(text, "in.csv", {.numeric = {"a", "c", "d"}});
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().size() == 2);
    CHECK(unknown.error()[0].code == DiagnosticCode::unknown_column);
    CHECK(unknown.error()[0].hint.find("id, a, b, site") != std::string::npos);
    auto good = read_csv_columns_text("\xEF\xBB\xBF"
                                      "a,site\n1, x \n\n,NA\n2.5,y\n",
                                      "in.csv", {.numeric = {"a"}, .categorical = {"site"}});
    REQUIRE(good.ok());
    CHECK(good->rows == 3);
    CHECK(good->lines == std::vector<std::size_t>{2, 4, 5});
    CHECK(std::isnan(good->number("a")[1]));
    CHECK(good->category("site")[0] == "x");
    CHECK(good->category("site")[1].empty());
    CHECK_THROWS_AS((void)good->number("site"), std::out_of_range);
    auto wide = read_csv_columns_text("a,b,c\n1,2,3\n", "in.csv", {.numeric = {"a"}, .max_columns = 2});
    REQUIRE_FALSE(wide.ok());
    CHECK(wide.error()[0].code == DiagnosticCode::input_limit);
    auto unreadable = read_csv_columns("/nonexistent/stats.csv", {.numeric = {"a"}});
    REQUIRE_FALSE(unreadable.ok());
    CHECK(unreadable.error()[0].code == DiagnosticCode::unreadable_file);
}
