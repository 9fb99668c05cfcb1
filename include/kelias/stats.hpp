#pragma once
/// \file stats.hpp
/// Validation statistics for instruments: reliability (Cronbach's alpha, intraclass
/// correlations, Cohen's weighted kappa), predictive validity (ROC AUC with DeLong's
/// intervals and test, ROC curves, calibration by category, base rates) and a fairness
/// audit across groups. The same functions serve the CLI (`kelias stats ...`) and Python
/// (`kelias.stats`).
///
/// **Input.** Every function takes columns: spans of double, one value per row, all of
/// the same length, with NaN for a missing value (categories are strings, "" = missing).
/// Outcomes are 0 or 1. Each function states how it treats missing values; rows it leaves
/// out are counted in the result (`n_dropped`), never silently.
///
/// **Errors.** A statistic that the data cannot give (one outcome class only, a constant
/// item, fewer than two raters or rows, columns of different lengths, an outcome that is
/// not 0/1) is a failed Result with one diagnostic of code E910 (`statistic_undefined`)
/// whose message says why. No function throws for bad data.
///
/// **Intervals.** `Interval` is a two-sided confidence interval at `level` (0.95 unless
/// an option says otherwise): the range of values of the parameter that the procedure
/// named at each result covers with that probability over repeated samples (asymptotically
/// where the method is asymptotic). It is not the probability that this interval holds
/// the true value.
///
/// References: Cronbach (1951); Feldt, Woodruff & Salih (1987); Shrout & Fleiss (1979),
/// McGraw & Wong (1996); Cohen (1968), Fleiss, Cohen & Everitt (1969); DeLong, DeLong &
/// Clarke-Pearson (1988), Sun & Xu (2014); Wilson (1927); Hosmer & Lemeshow (2000). The
/// numbers match R's psych (alpha, ICC, cohen.kappa; for the standard errors of weighted
/// kappas see KappaVariance) and pROC (auc, ci.auc, roc.test with method "delong"):
/// tests/data/stats/make_references.R computes them, tests/test_stats.cpp compares.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/diagnostic.hpp>

KELIAS_BEGIN_NAMESPACE
namespace stats {

/// A two-sided confidence interval (see the file comment for what it means).
struct Interval {
    double lower = 0;
    double upper = 0;
    double level = 0.95;
};

/// An F test: the statistic, its degrees of freedom and the upper-tail p-value P(F > f).
struct FTest {
    double f = 0;
    double df1 = 0;
    double df2 = 0;
    double p = 0;
};

/// Columns, one span per item or rater, each with one value per row (NaN = missing).
using Columns = std::span<const std::span<const double>>;

// --- Cronbach's alpha ------------------------------------------------------------------

struct AlphaOptions {
    double confidence = 0.95;  ///< level of the Feldt interval, in (0, 1)
};

/// One item's statistics within its scale.
struct ItemStatistics {
    double mean = 0;
    double sd = 0;                    ///< sample SD (n - 1)
    double item_total = 0;            ///< Pearson r of the item with the total (psych: raw.r)
    double corrected_item_total = 0;  ///< r with the total of the other items (psych: r.drop)
    double alpha_if_deleted = 0;      ///< raw alpha of the other items (psych: alpha.drop)
};

struct AlphaResult {
    std::size_t n = 0;                    ///< rows used (complete on every item)
    std::size_t n_dropped = 0;            ///< rows left out because an item was missing
    std::size_t k = 0;                    ///< items
    double alpha = 0;                     ///< raw alpha, from the covariance matrix
    double standardized_alpha = 0;        ///< from the correlation matrix (psych: std.alpha)
    Interval ci{};                        ///< Feldt's interval for alpha (psych::alpha.ci)
    double total_mean = 0;                ///< mean of the sum score
    double total_sd = 0;                  ///< sample SD of the sum score
    double sem = 0;                       ///< standard error of measurement of the sum: total_sd * sqrt(1 - alpha)
    std::vector<ItemStatistics> items{};  ///< in the order of the input columns
};

/// Cronbach's alpha of the sum of `items` (at least 2 columns).
///
/// alpha = k/(k-1) * (1 - sum of item variances / variance of the total) (Cronbach 1951);
/// the interval is Feldt's (Feldt, Woodruff & Salih 1987): 1 - (1 - alpha) * F quantile
/// with n-1 and (n-1)(k-1) degrees of freedom, as psych::alpha.ci. SEM is the standard
/// error of measurement of the sum score, SD * sqrt(1 - alpha) (reported as 0 when alpha
/// >= 1 and as NaN when alpha < 0). Missing data: listwise, a row missing any item is left out
/// (psych's default is pairwise covariances; with complete data both agree).
/// Errors (E910): fewer than 2 items or 2 complete rows, columns of different lengths,
/// an item that is constant over the rows used, a constant total.
Result<AlphaResult> cronbach_alpha(Columns items, const AlphaOptions& options = {});

// --- Intraclass correlations -----------------------------------------------------------

/// The six Shrout & Fleiss (1979) forms: one rater (1,1), (2,1), (3,1) and the mean of
/// the k raters (1,k), (2,k), (3,k). 1 = one-way random (each target rated by different
/// raters), 2 = two-way random, absolute agreement, 3 = two-way mixed, consistency.
enum class IccForm : std::uint8_t { icc1, icc2, icc3, icc1k, icc2k, icc3k };
/// "ICC(1,1)", ..., "ICC(3,k)".
std::string_view icc_label(IccForm form) noexcept;
/// psych's names: "ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k".
std::string_view icc_psych_name(IccForm form) noexcept;

struct IccOptions {
    double confidence = 0.95;  ///< level of the intervals, in (0, 1)
};

struct IccEstimate {
    IccForm form = IccForm::icc1;
    double value = 0;
    FTest test{};   ///< H0: ICC = 0. (1,·): MSB/MSW, df n-1, n(k-1); (2,·), (3,·): MSB/MSE, n-1, (n-1)(k-1)
    Interval ci{};  ///< Shrout & Fleiss's F-based interval; (2,·) with Satterthwaite's df (psych::ICC)
};

struct IccResult {
    std::size_t n = 0;                       ///< targets (rows) used
    std::size_t n_dropped = 0;               ///< rows left out because a rating was missing
    std::size_t k = 0;                       ///< raters (columns)
    double ms_rows = 0;                      ///< MSB, between targets
    double ms_columns = 0;                   ///< MSJ, between raters
    double ms_error = 0;                     ///< MSE, residual of the two-way model
    double ms_within = 0;                    ///< MSW, within targets (one-way model)
    std::array<IccEstimate, 6> estimates{};  ///< in IccForm order
    const IccEstimate& operator[](IccForm form) const { return estimates[static_cast<std::size_t>(form)]; }
};

/// Intraclass correlations of the ratings of n targets (rows) by k raters (columns), from
/// the mean squares of the two-way ANOVA, with F tests and intervals exactly as
/// psych::ICC(x, lmer = FALSE) reports them (Shrout & Fleiss 1979; McGraw & Wong 1996).
/// Missing data: listwise, a target missing any rating is left out (psych does the same).
/// Errors (E910): fewer than 2 raters or 2 complete targets, columns of different lengths,
/// targets that do not differ (MSB = 0), ratings with no residual variance (MSE or MSW = 0:
/// the raters agree exactly, up to a shift; the F tests are undefined).
Result<IccResult> icc(Columns raters, const IccOptions& options = {});

// --- Cohen's kappa ---------------------------------------------------------------------

enum class KappaWeights : std::uint8_t { unweighted, linear, quadratic };
std::string_view weights_name(KappaWeights weights) noexcept;  ///< "unweighted", "linear", "quadratic"

/// Which large-sample variance the weighted kappas get (the unweighted one is the same
/// in both). fleiss_cohen_everitt: Fleiss, Cohen & Everitt (1969), as Fleiss, Levin & Paik
/// (2003, eq. 18.16) write it, with wbar_i. = sum_j p.j w_ij and wbar_.j = sum_i pi. w_ij.
/// psych: as psych::cohen.kappa (2.2.9) codes it, with wbar_.j = p_j. * sum_k w_jk, which
/// differs for weighted kappas (about 10% smaller standard errors on the test data); only
/// to reproduce numbers published with psych.
enum class KappaVariance : std::uint8_t { fleiss_cohen_everitt, psych };

struct KappaOptions {
    double confidence = 0.95;
    KappaVariance variance = KappaVariance::fleiss_cohen_everitt;
    /// The ordered categories. Empty: every value either rater used, in increasing order.
    /// Give them when a category nobody used must count in the weights.
    std::vector<double> categories{};
};

struct KappaEstimate {
    KappaWeights weights = KappaWeights::unweighted;
    double kappa = 0;
    double se = 0;  ///< large-sample standard error (Fleiss, Cohen & Everitt 1969, as psych codes it)
    Interval ci{};  ///< kappa -/+ z * se, clipped to [-1, 1] (psych::cohen.kappa)
};

struct KappaResult {
    std::size_t n = 0;          ///< rows rated by both
    std::size_t n_dropped = 0;  ///< rows where either rating is missing
    std::vector<double> categories{};
    double observed_agreement = 0;             ///< share of rows with identical ratings
    double expected_agreement = 0;             ///< the same expected by chance from the margins
    std::array<KappaEstimate, 3> estimates{};  ///< in KappaWeights order
    const KappaEstimate& operator[](KappaWeights w) const { return estimates[static_cast<std::size_t>(w)]; }
};

/// Cohen's kappa of two raters on an ordinal item, unweighted and with agreement weights
/// 1 - |i-j|/(c-1) (linear) and 1 - (i-j)^2/(c-1)^2 (quadratic), i and j the positions of
/// the categories in their order (Cohen 1968). Kappas as psych::cohen.kappa; standard
/// errors as Fleiss, Cohen & Everitt (1969), or psych's (KappaOptions::variance).
/// Missing data: pairwise, a row where either rating is missing is left out.
/// Errors (E910): columns of different lengths, fewer than 2 rows, a rating not among the
/// given categories, fewer than 2 categories, chance agreement of 1 (both raters used
/// one and the same category throughout).
Result<KappaResult> cohen_kappa(std::span<const double> rater1, std::span<const double> rater2,
                                const KappaOptions& options = {});

// --- ROC analysis ----------------------------------------------------------------------

struct AucOptions {
    double confidence = 0.95;
};

/// The area under the ROC curve of a score for a 0/1 outcome, with DeLong's variance.
struct AucResult {
    std::size_t n = 0;          ///< rows used
    std::size_t n_dropped = 0;  ///< rows with a missing score or outcome
    std::size_t positives = 0;  ///< outcome 1 (cases)
    std::size_t negatives = 0;  ///< outcome 0 (controls)
    double auc = 0;             ///< P(score of a case > score of a control) + P(tie) / 2
    double se = 0;              ///< DeLong's standard error
    Interval ci{};              ///< auc -/+ z * se, clipped to [0, 1] (pROC::ci.auc, method "delong")
};

/// AUC with higher scores meaning the outcome is more likely (pROC's direction "<"; no
/// automatic direction). DeLong, DeLong & Clarke-Pearson (1988) by the placement values,
/// computed from mid-ranks in O(n log n) (Sun & Xu 2014); ties count one half.
/// Missing data: a row with a missing score or outcome is left out.
/// Errors (E910): columns of different lengths, an outcome other than 0/1, no cases or
/// no controls ("one class only").
Result<AucResult> roc_auc(std::span<const double> score, std::span<const double> outcome,
                          const AucOptions& options = {});

/// DeLong's test that two scores of the same rows have the same AUC.
struct AucComparison {
    AucResult first{};       ///< on the rows used for the test
    AucResult second{};      ///< on the rows used for the test
    double difference = 0;   ///< first.auc - second.auc
    double se = 0;           ///< of the difference, from the placement values' covariance
    double correlation = 0;  ///< between the two AUC estimates
    double z = 0;
    double p = 0;   ///< two-sided, 2 * P(Z > |z|)
    Interval ci{};  ///< of the difference, difference -/+ z * se
};

/// The paired DeLong test (pROC::roc.test, method "delong", paired). Missing data: a row
/// with either score or the outcome missing is left out of both AUCs.
/// Errors (E910): as roc_auc, and identical scores (the difference has no variance).
Result<AucComparison> delong_test(std::span<const double> score1, std::span<const double> score2,
                                  std::span<const double> outcome, const AucOptions& options = {});

/// One point of a ROC curve: the rows with score >= threshold are called positive.
struct RocPoint {
    double threshold = 0;  ///< +infinity for the first point (no one called positive)
    std::size_t true_positives = 0;
    std::size_t false_positives = 0;
    double tpr = 0;  ///< sensitivity, true_positives / positives
    double fpr = 0;  ///< 1 - specificity, false_positives / negatives
};

/// The ROC curve: one point per distinct score, from the highest threshold (+infinity,
/// tpr = fpr = 0) down to the lowest score (tpr = fpr = 1). Missing data and errors as roc_auc.
Result<std::vector<RocPoint>> roc_curve(std::span<const double> score, std::span<const double> outcome);

// --- Proportions, base rates, calibration ----------------------------------------------

/// A share of events with Wilson's score interval (Wilson 1927), which keeps inside
/// [0, 1] and covers close to its level even for small n or rates near 0 or 1.
struct Proportion {
    std::size_t n = 0;
    std::size_t events = 0;
    double rate = 0;  ///< events / n (NaN when n = 0)
    Interval ci{};    ///< Wilson (no continuity correction); [NaN, NaN] when n = 0
};

/// events/n with its Wilson interval.
Proportion proportion(std::size_t events, std::size_t n, double confidence = 0.95);

/// The base rate of a 0/1 outcome (missing values left out; E910 for another value or
/// when none is left).
Result<Proportion> base_rate(std::span<const double> outcome, double confidence = 0.95);

struct CalibrationOptions {
    double confidence = 0.95;
    /// The order of the categories in the table; categories not listed follow. Empty:
    /// numeric order when every category is a number, else alphabetical.
    std::vector<std::string> order{};
};

struct CalibrationRow {
    std::string category{};
    Proportion observed{};       ///< the outcome's rate in the category, Wilson interval
    double expected = 0;         ///< mean expected probability (NaN without expected values)
    double expected_events = 0;  ///< their sum
    double ratio = 0;            ///< observed / expected events (NaN without expected values)
};

struct ChiSquareTest {
    double statistic = 0;
    double df = 0;
    double p = 0;
};

struct CalibrationResult {
    std::vector<CalibrationRow> rows{};
    CalibrationRow total{};     ///< every row used ("total")
    std::size_t n_dropped = 0;  ///< rows with a missing category, outcome or expected value
    /// With expected values: sum over categories of (O - E)^2 / (E (1 - E/n)), with as many
    /// degrees of freedom as categories (no parameters fitted to these data, Hosmer &
    /// Lemeshow 2000, 5.2.2); absent when a category has E = 0 or E = n.
    std::optional<ChiSquareTest> hosmer_lemeshow{};
};

/// Observed against expected outcome rates per category (a risk band, a score value).
/// `expected` (probabilities in [0, 1]) may be empty: then only observed rates.
/// Missing data: a row with a missing category ("") or outcome, or (when given) expected
/// value, is left out. Errors (E910): columns of different lengths, an outcome other than
/// 0/1, an expected value outside [0, 1], no row left.
Result<CalibrationResult> calibration(std::span<const std::string> category, std::span<const double> outcome,
                                      std::span<const double> expected = {}, const CalibrationOptions& options = {});

// --- Fairness across groups ------------------------------------------------------------

struct GroupOptions {
    double cutoff = 0;                 ///< a score >= cutoff is called positive
    double confidence = 0.95;          ///< of every interval
    std::vector<std::string> order{};  ///< as CalibrationOptions::order
};

struct GroupRow {
    std::string group{};
    Proportion base_rate{};          ///< outcome 1 among the group's rows
    std::optional<AucResult> auc{};  ///< absent when the group has one outcome class only
    std::size_t true_positives = 0, false_positives = 0, true_negatives = 0, false_negatives = 0;
    Proportion false_positive_rate{};  ///< FP / (FP + TN): controls called positive
    Proportion false_negative_rate{};  ///< FN / (FN + TP): cases called negative
    Proportion positive_rate{};        ///< share called positive
    double expected = 0;               ///< mean expected probability (NaN without expected values)
    double ratio = 0;                  ///< observed / expected events (NaN without expected values)
};

struct GroupAudit {
    double cutoff = 0;
    std::vector<GroupRow> groups{};
    GroupRow overall{};         ///< every row used ("all")
    std::size_t n_dropped = 0;  ///< rows with a missing group, score, outcome or expected value
};

/// Per group (sex, age band, nationality, site): n, base rate, AUC with DeLong interval,
/// error rates at the cut-off with Wilson intervals, and calibration in the large
/// (observed / expected events) when expected probabilities are given.
/// Missing data: a row missing any of its columns is left out. Errors (E910): as
/// calibration and roc_auc; a group with one class only has no AUC, not an error.
Result<GroupAudit> group_audit(std::span<const std::string> group, std::span<const double> score,
                               std::span<const double> outcome, std::span<const double> expected = {},
                               const GroupOptions& options = {});

// --- Text and JSON ---------------------------------------------------------------------
// Aligned tables for people, and one JSON document each (numbers in shortest round-trip
// form, NaN as null), as `kelias stats` prints them. `names` label the columns (items,
// raters, scores); missing names are numbered.

std::string to_text(const AlphaResult& result, std::span<const std::string> item_names = {});
std::string to_json(const AlphaResult& result, std::span<const std::string> item_names = {});
std::string to_text(const IccResult& result);
std::string to_json(const IccResult& result);
std::string to_text(const KappaResult& result);
std::string to_json(const KappaResult& result);
std::string to_text(const AucResult& result);
std::string to_json(const AucResult& result);
std::string to_text(const AucComparison& result, std::span<const std::string> score_names = {});
std::string to_json(const AucComparison& result, std::span<const std::string> score_names = {});
std::string to_text(const std::vector<RocPoint>& curve);
std::string to_json(const std::vector<RocPoint>& curve);
std::string to_text(const CalibrationResult& result);
std::string to_json(const CalibrationResult& result);
std::string to_text(const GroupAudit& result);
std::string to_json(const GroupAudit& result);

}  // namespace stats
KELIAS_END_NAMESPACE
