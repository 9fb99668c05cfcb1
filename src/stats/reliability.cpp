// Reliability: Cronbach's alpha, the Shrout & Fleiss intraclass correlations and Cohen's
// (weighted) kappa. Formulas and the R functions they match are documented in
// include/kelias/stats.hpp.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <kelias/stats.hpp>

#include "stats/distributions.hpp"
#include "stats/support.hpp"

KELIAS_BEGIN_NAMESPACE
namespace stats {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// The rows complete on every column, as an n x k matrix, and the number left out.
struct Complete {
    Eigen::MatrixXd x;
    std::size_t dropped = 0;
};

std::optional<std::vector<Diagnostic>> check_lengths(Columns columns, const char* what) {
    for (std::size_t j = 1; j < columns.size(); ++j)
        if (columns[j].size() != columns[0].size())
            return detail::undefined(std::string(what) + " " + std::to_string(j + 1) + " has " +
                                     std::to_string(columns[j].size()) + " values, " + what + " 1 has " +
                                     std::to_string(columns[0].size()));
    return std::nullopt;
}

Complete complete_rows(Columns columns) {
    const std::size_t rows = columns.empty() ? 0 : columns[0].size();
    const auto k = static_cast<Eigen::Index>(columns.size());
    std::vector<std::size_t> keep;
    keep.reserve(rows);
    for (std::size_t i = 0; i < rows; ++i) {
        bool complete = true;
        for (const auto& c : columns) complete = complete && !std::isnan(c[i]);
        if (complete) keep.push_back(i);
    }
    Complete out;
    out.dropped = rows - keep.size();
    out.x.resize(static_cast<Eigen::Index>(keep.size()), k);
    for (Eigen::Index j = 0; j < k; ++j)
        for (std::size_t r = 0; r < keep.size(); ++r)
            out.x(static_cast<Eigen::Index>(r), j) = columns[static_cast<std::size_t>(j)][keep[r]];
    return out;
}

}  // namespace

// --- Cronbach's alpha ------------------------------------------------------------------

Result<AlphaResult> cronbach_alpha(Columns items, const AlphaOptions& options) {
    if (auto bad = detail::check_confidence(options.confidence)) return *bad;
    if (items.size() < 2) return detail::undefined("alpha needs at least 2 items, got " + std::to_string(items.size()));
    if (auto bad = check_lengths(items, "item")) return *bad;
    Complete data = complete_rows(items);
    const auto n = data.x.rows();
    const auto k = data.x.cols();
    if (n < 2)
        return detail::undefined("alpha needs at least 2 rows complete on every item, got " + std::to_string(n),
                                 "rows with a missing item are left out");
    const Eigen::RowVectorXd means = data.x.colwise().mean();
    const Eigen::MatrixXd centred = data.x.rowwise() - means;
    const Eigen::MatrixXd cov = centred.transpose() * centred / static_cast<double>(n - 1);
    for (Eigen::Index j = 0; j < k; ++j)
        if (!(cov(j, j) > 0))
            return detail::undefined("item " + std::to_string(j + 1) + " is constant over the " + std::to_string(n) +
                                         " rows used: it adds nothing to the scale's variance",
                                     "leave the item out");
    const double total_var = cov.sum();
    if (!(total_var > 0)) return detail::undefined("the total score is constant: alpha is undefined");
    const double kd = static_cast<double>(k);
    const double trace = cov.trace();

    AlphaResult r;
    r.n = static_cast<std::size_t>(n);
    r.n_dropped = data.dropped;
    r.k = static_cast<std::size_t>(k);
    r.alpha = kd / (kd - 1) * (1 - trace / total_var);
    const Eigen::VectorXd sd = cov.diagonal().cwiseSqrt();
    const Eigen::MatrixXd corr = cov.array() / (sd * sd.transpose()).array();
    r.standardized_alpha = kd / (kd - 1) * (1 - kd / corr.sum());
    // Feldt: (1 - alpha) / (1 - alpha_hat) follows F(n-1, (n-1)(k-1)).
    const double tail = (1 - options.confidence) / 2;
    const double df1 = static_cast<double>(n - 1);
    const double df2 = df1 * (kd - 1);
    r.ci = {1 - (1 - r.alpha) * detail::f_quantile(1 - tail, df1, df2),
            1 - (1 - r.alpha) * detail::f_quantile(tail, df1, df2), options.confidence};
    r.total_mean = means.sum();
    r.total_sd = std::sqrt(total_var);
    r.sem = r.alpha >= 1 ? 0.0 : (r.alpha < 0 ? nan : r.total_sd * std::sqrt(1 - r.alpha));
    const Eigen::VectorXd row_sums = cov.rowwise().sum();  // cov(item, total)
    for (Eigen::Index j = 0; j < k; ++j) {
        ItemStatistics s;
        s.mean = means(j);
        s.sd = sd(j);
        s.item_total = row_sums(j) / std::sqrt(cov(j, j) * total_var);
        const double rest_var = total_var - 2 * row_sums(j) + cov(j, j);
        s.corrected_item_total = rest_var > 0 ? (row_sums(j) - cov(j, j)) / std::sqrt(cov(j, j) * rest_var) : nan;
        s.alpha_if_deleted = k > 2 && rest_var > 0 ? (kd - 1) / (kd - 2) * (1 - (trace - cov(j, j)) / rest_var) : nan;
        r.items.push_back(s);
    }
    return r;
}

// --- Intraclass correlations -----------------------------------------------------------

std::string_view icc_label(IccForm form) noexcept {
    switch (form) {
    case IccForm::icc1:
        return "ICC(1,1)";
    case IccForm::icc2:
        return "ICC(2,1)";
    case IccForm::icc3:
        return "ICC(3,1)";
    case IccForm::icc1k:
        return "ICC(1,k)";
    case IccForm::icc2k:
        return "ICC(2,k)";
    case IccForm::icc3k:
        return "ICC(3,k)";
    }
    return "ICC";
}

std::string_view icc_psych_name(IccForm form) noexcept {
    switch (form) {
    case IccForm::icc1:
        return "ICC1";
    case IccForm::icc2:
        return "ICC2";
    case IccForm::icc3:
        return "ICC3";
    case IccForm::icc1k:
        return "ICC1k";
    case IccForm::icc2k:
        return "ICC2k";
    case IccForm::icc3k:
        return "ICC3k";
    }
    return "ICC";
}

Result<IccResult> icc(Columns raters, const IccOptions& options) {
    if (auto bad = detail::check_confidence(options.confidence)) return *bad;
    if (raters.size() < 2)
        return detail::undefined("intraclass correlations need at least 2 raters, got " +
                                 std::to_string(raters.size()));
    if (auto bad = check_lengths(raters, "rater")) return *bad;
    Complete data = complete_rows(raters);
    const auto n_rows = data.x.rows();
    if (n_rows < 2)
        return detail::undefined("intraclass correlations need at least 2 targets rated by every rater, got " +
                                     std::to_string(n_rows),
                                 "targets with a missing rating are left out");
    const double n = static_cast<double>(n_rows);
    const double k = static_cast<double>(data.x.cols());
    const double grand = data.x.mean();
    const double ss_total = (data.x.array() - grand).square().sum();
    const double ss_rows = k * (data.x.rowwise().mean().array() - grand).square().sum();
    const double ss_columns = n * (data.x.colwise().mean().array() - grand).square().sum();
    const double ss_error = std::max(0.0, ss_total - ss_rows - ss_columns);

    IccResult r;
    r.n = static_cast<std::size_t>(n_rows);
    r.n_dropped = data.dropped;
    r.k = static_cast<std::size_t>(data.x.cols());
    const double msb = r.ms_rows = ss_rows / (n - 1);
    const double msj = r.ms_columns = ss_columns / (k - 1);
    const double mse = r.ms_error = ss_error / ((n - 1) * (k - 1));
    const double msw = r.ms_within = (ss_columns + ss_error) / (n * (k - 1));
    if (!(msb > 0)) return detail::undefined("the targets do not differ (every row has the same mean rating)");
    if (!(mse > 0) || !(msw > 0))
        return detail::undefined("the ratings have no residual variance (the raters agree exactly, up to a shift)",
                                 "the F tests and intervals need some disagreement");

    const double icc1 = (msb - msw) / (msb + (k - 1) * msw);
    const double icc2 = (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n);
    const double icc3 = (msb - mse) / (msb + (k - 1) * mse);
    const double icc1k = (msb - msw) / msb;
    const double icc2k = (msb - mse) / (msb + (msj - mse) / n);
    const double icc3k = (msb - mse) / msb;

    const FTest f1{msb / msw, n - 1, n * (k - 1), detail::f_upper(msb / msw, n - 1, n * (k - 1))};
    const FTest f2{msb / mse, n - 1, (n - 1) * (k - 1), detail::f_upper(msb / mse, n - 1, (n - 1) * (k - 1))};
    const double tail = 1 - (1 - options.confidence) / 2;
    const double level = options.confidence;

    const double f1l = f1.f / detail::f_quantile(tail, f1.df1, f1.df2);
    const double f1u = f1.f * detail::f_quantile(tail, f1.df2, f1.df1);
    const double f3l = f2.f / detail::f_quantile(tail, f2.df1, f2.df2);
    const double f3u = f2.f * detail::f_quantile(tail, f2.df2, f2.df1);
    // ICC(2,1): Satterthwaite's degrees of freedom for the denominator (Shrout & Fleiss, eq. 10).
    const double fj = msj / mse;
    const double a = n * (1 + (k - 1) * icc2) - k * icc2;
    const double vn = (k - 1) * (n - 1) * std::pow(k * icc2 * fj + a, 2);
    const double vd = (n - 1) * k * k * icc2 * icc2 * fj * fj + a * a;
    const double v = vn / vd;
    const double f2u = detail::f_quantile(tail, n - 1, v);
    const double f2l = detail::f_quantile(tail, v, n - 1);
    const double denominator = k * msj + (k * n - k - n) * mse;
    const double l2 = n * (msb - f2u * mse) / (f2u * denominator + n * msb);
    const double u2 = n * (f2l * msb - mse) / (denominator + n * f2l * msb);

    r.estimates = {
        IccEstimate{IccForm::icc1, icc1, f1, {(f1l - 1) / (f1l + k - 1), (f1u - 1) / (f1u + k - 1), level}},
        IccEstimate{IccForm::icc2, icc2, f2, {l2, u2, level}},
        IccEstimate{IccForm::icc3, icc3, f2, {(f3l - 1) / (f3l + k - 1), (f3u - 1) / (f3u + k - 1), level}},
        IccEstimate{IccForm::icc1k, icc1k, f1, {1 - 1 / f1l, 1 - 1 / f1u, level}},
        IccEstimate{IccForm::icc2k, icc2k, f2, {l2 * k / (1 + l2 * (k - 1)), u2 * k / (1 + u2 * (k - 1)), level}},
        IccEstimate{IccForm::icc3k, icc3k, f2, {1 - 1 / f3l, 1 - 1 / f3u, level}},
    };
    return r;
}

// --- Cohen's kappa ---------------------------------------------------------------------

std::string_view weights_name(KappaWeights weights) noexcept {
    switch (weights) {
    case KappaWeights::unweighted:
        return "unweighted";
    case KappaWeights::linear:
        return "linear";
    case KappaWeights::quadratic:
        return "quadratic";
    }
    return "unweighted";
}

namespace {

KappaEstimate clip(KappaEstimate e, double z) {
    e.ci = {std::clamp(e.kappa - z * e.se, -1.0, 1.0), std::clamp(e.kappa + z * e.se, -1.0, 1.0), e.ci.level};
    return e;
}

}  // namespace

Result<KappaResult> cohen_kappa(std::span<const double> rater1, std::span<const double> rater2,
                                const KappaOptions& options) {
    if (auto bad = detail::check_confidence(options.confidence)) return *bad;
    if (rater1.size() != rater2.size())
        return detail::undefined("rater 2 has " + std::to_string(rater2.size()) + " values, rater 1 has " +
                                 std::to_string(rater1.size()));
    std::vector<double> categories = options.categories;
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < rater1.size(); ++i)
        if (!std::isnan(rater1[i]) && !std::isnan(rater2[i])) rows.push_back(i);
    if (categories.empty()) {
        for (std::size_t i : rows) {
            categories.push_back(rater1[i]);
            categories.push_back(rater2[i]);
        }
        std::sort(categories.begin(), categories.end());
        categories.erase(std::unique(categories.begin(), categories.end()), categories.end());
    } else {
        std::vector<double> sorted = categories;
        std::sort(sorted.begin(), sorted.end());
        if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
            return detail::undefined("a category is listed twice");
    }
    if (rows.size() < 2)
        return detail::undefined("kappa needs at least 2 rows rated by both raters, got " +
                                 std::to_string(rows.size()));
    if (categories.size() < 2)
        return detail::undefined("both raters used one and the same category throughout: kappa is undefined",
                                 "give the scale's categories to count agreement on a one-category sample");
    const auto c = static_cast<Eigen::Index>(categories.size());
    auto position = [&](double v) -> Eigen::Index {
        const auto it = std::find(categories.begin(), categories.end(), v);
        return it == categories.end() ? -1 : static_cast<Eigen::Index>(it - categories.begin());
    };
    Eigen::MatrixXd x = Eigen::MatrixXd::Zero(c, c);
    for (std::size_t i : rows) {
        const Eigen::Index a = position(rater1[i]);
        const Eigen::Index b = position(rater2[i]);
        if (a < 0 || b < 0)
            return detail::undefined("row " + std::to_string(i + 1) + ": the rating of rater " + (a < 0 ? "1" : "2") +
                                     " is not one of the given categories");
        x(a, b) += 1;
    }
    const double tot = static_cast<double>(rows.size());
    x /= tot;
    const Eigen::VectorXd rs = x.rowwise().sum();
    const Eigen::VectorXd cs = x.colwise().sum().transpose();
    const double po = x.trace();
    const double pc = rs.dot(cs);
    if (!(pc < 1))
        return detail::undefined("chance agreement is 1 (each rater used a single category): kappa is undefined");

    KappaResult r;
    r.n = rows.size();
    r.n_dropped = rater1.size() - rows.size();
    r.categories = categories;
    r.observed_agreement = po;
    r.expected_agreement = pc;
    const double z = detail::z_for(options.confidence);

    // Unweighted: Fleiss, Cohen & Everitt (1969), as psych::cohen.kappa codes it.
    {
        double diagonal = 0, all = 0, all_diagonal = 0;
        for (Eigen::Index i = 0; i < c; ++i) {
            diagonal += x(i, i) * std::pow((1 - pc) - (rs(i) + cs(i)) * (1 - po), 2);
            for (Eigen::Index j = 0; j < c; ++j) all += x(i, j) * std::pow(cs(i) + rs(j), 2);
            all_diagonal += x(i, i) * std::pow(cs(i) + rs(i), 2);
        }
        double var = (diagonal + std::pow(1 - po, 2) * (all - all_diagonal) - std::pow(po * pc - 2 * pc + po, 2)) /
                     (tot * std::pow(1 - pc, 4));
        if (!(var >= 0)) var = 0;
        r.estimates[0] =
            clip({KappaWeights::unweighted, (po - pc) / (1 - pc), std::sqrt(var), {0, 0, options.confidence}}, z);
    }
    for (const KappaWeights weights : {KappaWeights::linear, KappaWeights::quadratic}) {
        Eigen::MatrixXd w(c, c);
        const double span = static_cast<double>(c - 1);
        for (Eigen::Index i = 0; i < c; ++i)
            for (Eigen::Index j = 0; j < c; ++j) {
                const double d = std::fabs(static_cast<double>(i - j)) / span;
                w(i, j) = weights == KappaWeights::linear ? 1 - d : 1 - d * d;
            }
        const double wpo = (w.array() * x.array()).sum();
        const double wpc = rs.dot(w * cs);
        // colw[i] = wbar_i. = sum_j p.j w_ij (psych: colSums(w * cs), the same for symmetric
        // weights); roww[j] = wbar_.j = sum_i pi. w_ij, which psych codes as
        // rowSums(w * rs) = pj. * sum_k w_jk.
        const Eigen::VectorXd colw = w.transpose() * cs;
        const Eigen::VectorXd roww = options.variance == KappaVariance::psych
                                         ? Eigen::VectorXd(rs.cwiseProduct(w.rowwise().sum()))
                                         : Eigen::VectorXd(w.transpose() * rs);
        double sum = 0;
        for (Eigen::Index i = 0; i < c; ++i)
            for (Eigen::Index j = 0; j < c; ++j)
                sum += x(i, j) * std::pow(w(i, j) * (1 - wpc) - (colw(i) + roww(j)) * (1 - wpo), 2);
        double var = (sum - std::pow(wpo * wpc - 2 * wpc + wpo, 2)) / (tot * std::pow(1 - wpc, 4));
        if (!(var >= 0)) var = 0;
        const double kappa = (wpo - wpc) / (1 - wpc);
        r.estimates[static_cast<std::size_t>(weights)] =
            clip({weights, kappa, std::sqrt(var), {0, 0, options.confidence}}, z);
    }
    return r;
}

}  // namespace stats
KELIAS_END_NAMESPACE
