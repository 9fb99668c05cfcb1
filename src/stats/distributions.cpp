#include "stats/distributions.hpp"

#include <cmath>
#include <limits>
#include <numbers>

KELIAS_BEGIN_NAMESPACE
namespace stats::detail {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double tiny = 1e-300;
constexpr double epsilon = 1e-15;
constexpr int max_iterations = 100000;

double not_tiny(double v) { return std::fabs(v) < tiny ? tiny : v; }

// The continued fraction of I_x(a, b) (modified Lentz): I_x(a, b) = front * fraction,
// with the coefficients d(2m+1) = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1)) and
// d(2m) = m(b-m)x / ((a+2m-1)(a+2m)). Converges fast for x < (a+1)/(a+b+2).
double beta_fraction(double a, double b, double x) {
    double c = 1.0;
    double d = 1.0 / not_tiny(1.0 - (a + b) * x / (a + 1.0));
    double h = d;
    for (int m = 1; m <= max_iterations; ++m) {
        const double md = m;
        const double even = md * (b - md) * x / ((a + 2 * md - 1.0) * (a + 2 * md));
        d = 1.0 / not_tiny(1.0 + even * d);
        c = not_tiny(1.0 + even / c);
        h *= d * c;
        const double odd = -(a + md) * (a + b + md) * x / ((a + 2 * md) * (a + 2 * md + 1.0));
        d = 1.0 / not_tiny(1.0 + odd * d);
        c = not_tiny(1.0 + odd / c);
        const double step = d * c;
        h *= step;
        if (std::fabs(step - 1.0) < epsilon) break;
    }
    return h;
}

double log_beta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

// The x in [0, 1] with I_x(a, b) = p, by bisection to the resolution of a double.
double beta_quantile_lower(double a, double b, double p) {
    double lo = 0.0;
    double hi = 1.0;
    for (int i = 0; i < 4000; ++i) {
        const double mid = lo + (hi - lo) / 2;
        if (mid <= lo || mid >= hi) break;
        if (incomplete_beta(a, b, mid).lower < p)
            lo = mid;
        else
            hi = mid;
    }
    return lo + (hi - lo) / 2;
}

}  // namespace

BetaTails incomplete_beta(double a, double b, double x) {
    if (!(a > 0) || !(b > 0) || !(x >= 0) || !(x <= 1)) return {nan, nan};
    if (x == 0) return {0.0, 1.0};
    if (x == 1) return {1.0, 0.0};
    const double log_front = a * std::log(x) + b * std::log1p(-x) - log_beta(a, b);
    if (x < (a + 1.0) / (a + b + 2.0)) {
        const double lower = std::exp(log_front) * beta_fraction(a, b, x) / a;
        return {lower, 1.0 - lower};
    }
    const double upper = std::exp(log_front) * beta_fraction(b, a, 1.0 - x) / b;
    return {1.0 - upper, upper};
}

GammaTails incomplete_gamma(double a, double x) {
    if (!(a > 0) || !(x >= 0)) return {nan, nan};
    if (x == 0) return {0.0, 1.0};
    if (std::isinf(x)) return {1.0, 0.0};
    const double log_front = -x + a * std::log(x) - std::lgamma(a);
    if (x < a + 1.0) {
        // Series: P(a, x) = front * sum_n x^n / (a (a+1) ... (a+n)).
        double term = 1.0 / a;
        double sum = term;
        for (int n = 1; n <= max_iterations; ++n) {
            term *= x / (a + n);
            sum += term;
            if (std::fabs(term) < std::fabs(sum) * epsilon) break;
        }
        const double lower = std::exp(log_front) * sum;
        return {lower, 1.0 - lower};
    }
    // Continued fraction for Q(a, x) (modified Lentz).
    double b = x + 1.0 - a;
    double c = 1.0 / tiny;
    double d = 1.0 / b;
    double h = d;
    for (int i = 1; i <= max_iterations; ++i) {
        const double an = -i * (i - a);
        b += 2.0;
        d = 1.0 / not_tiny(an * d + b);
        c = not_tiny(b + an / c);
        const double step = d * c;
        h *= step;
        if (std::fabs(step - 1.0) < epsilon) break;
    }
    const double upper = std::exp(log_front) * h;
    return {1.0 - upper, upper};
}

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::numbers::sqrt2); }
double normal_upper(double x) { return 0.5 * std::erfc(x / std::numbers::sqrt2); }

double normal_quantile(double p) {
    if (!(p >= 0) || !(p <= 1)) return nan;
    if (p == 0) return -std::numeric_limits<double>::infinity();
    if (p == 1) return std::numeric_limits<double>::infinity();
    if (p > 0.5) return -normal_quantile(1.0 - p);  // 1 - p is exact for p in (0.5, 1)
    // A rational starting value (P. J. Acklam's approximation, relative error about 1e-9),
    // then Halley steps on erfc, which bring it to the precision of a double.
    constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                            1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
    constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                            6.680131188771972e+01, -1.328068155288572e+01};
    constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                            -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
    constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
    double x = 0;
    if (p < 0.02425) {
        const double q = std::sqrt(-2 * std::log(p));
        x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
            ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    } else {
        const double q = p - 0.5;
        const double r = q * q;
        x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
            (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
    const double sqrt_2pi = std::sqrt(2 * std::numbers::pi);
    for (int i = 0; i < 3; ++i) {
        const double e = normal_cdf(x) - p;
        const double u = e * sqrt_2pi * std::exp(x * x / 2);
        x -= u / (1 + x * u / 2);
    }
    return x;
}

double t_upper(double t, double df) {
    if (!(df > 0) || std::isnan(t)) return nan;
    if (std::isinf(t)) return t > 0 ? 0.0 : 1.0;
    // P(|T| > |t|) = I_x(df/2, 1/2) with x = df / (df + t^2).
    const double two_sided = incomplete_beta(df / 2, 0.5, df / (df + t * t)).lower;
    return t >= 0 ? two_sided / 2 : 1.0 - two_sided / 2;
}

double t_cdf(double t, double df) { return std::isnan(t_upper(t, df)) ? nan : t_upper(-t, df); }

double f_cdf(double f, double d1, double d2) {
    if (!(d1 > 0) || !(d2 > 0) || std::isnan(f)) return nan;
    if (f <= 0) return 0.0;
    if (std::isinf(f)) return 1.0;
    return incomplete_beta(d1 / 2, d2 / 2, d1 * f / (d1 * f + d2)).lower;
}

double f_upper(double f, double d1, double d2) {
    if (!(d1 > 0) || !(d2 > 0) || std::isnan(f)) return nan;
    if (f <= 0) return 1.0;
    if (std::isinf(f)) return 0.0;
    return incomplete_beta(d2 / 2, d1 / 2, d2 / (d2 + d1 * f)).lower;
}

double f_quantile(double p, double d1, double d2) {
    if (!(d1 > 0) || !(d2 > 0) || !(p >= 0) || !(p <= 1)) return nan;
    if (p == 0) return 0.0;
    if (p == 1) return std::numeric_limits<double>::infinity();
    if (p <= 0.5) {
        const double x = beta_quantile_lower(d1 / 2, d2 / 2, p);  // x = d1 f / (d1 f + d2)
        return d2 * x / (d1 * (1.0 - x));
    }
    const double y = beta_quantile_lower(d2 / 2, d1 / 2, 1.0 - p);  // y = d2 / (d2 + d1 f)
    return d2 * (1.0 - y) / (d1 * y);
}

double chi_square_cdf(double x, double df) {
    if (!(df > 0) || std::isnan(x)) return nan;
    return x <= 0 ? 0.0 : incomplete_gamma(df / 2, x / 2).lower;
}

double chi_square_upper(double x, double df) {
    if (!(df > 0) || std::isnan(x)) return nan;
    return x <= 0 ? 1.0 : incomplete_gamma(df / 2, x / 2).upper;
}

}  // namespace stats::detail
KELIAS_END_NAMESPACE
