#pragma once
// Distribution functions for the statistics (src/stats): the normal, Student t, F and
// chi-square distributions, from the regularized incomplete beta and gamma functions.
// Written from their definitions (continued fractions evaluated by the modified Lentz
// method, series where they converge fast); checked in tests/test_stats.cpp against
// values from R (pnorm, pt, pf, pchisq, qnorm, qf).
//
// Every function returns NaN for arguments outside its domain (a negative degree of
// freedom, a probability outside [0, 1]) instead of throwing. Upper tails are computed
// directly, never as 1 - lower, so small p-values keep their precision.
#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE
namespace stats::detail {

/// Regularized incomplete beta I_x(a, b) and its complement 1 - I_x(a, b), a, b > 0, x in [0, 1].
struct BetaTails {
    double lower;
    double upper;
};
BetaTails incomplete_beta(double a, double b, double x);

/// Regularized lower incomplete gamma P(a, x) and its complement Q(a, x), a > 0, x >= 0.
struct GammaTails {
    double lower;
    double upper;
};
GammaTails incomplete_gamma(double a, double x);

/// Standard normal: P(Z <= x), P(Z > x), and the quantile (the x with P(Z <= x) = p).
double normal_cdf(double x);
double normal_upper(double x);
double normal_quantile(double p);

/// Student t with `df` > 0 degrees of freedom: P(T <= t) and P(T > t).
double t_cdf(double t, double df);
double t_upper(double t, double df);

/// F with (d1, d2) > 0 degrees of freedom: P(F <= f), P(F > f), and the quantile.
double f_cdf(double f, double d1, double d2);
double f_upper(double f, double d1, double d2);
double f_quantile(double p, double d1, double d2);

/// Chi-square with `df` > 0 degrees of freedom: P(X <= x) and P(X > x).
double chi_square_cdf(double x, double df);
double chi_square_upper(double x, double df);

}  // namespace stats::detail
KELIAS_END_NAMESPACE
