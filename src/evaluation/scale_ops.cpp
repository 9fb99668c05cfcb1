// Codes of scales at evaluation: the numbers codes carry, their ranks, and the lowest or
// highest code by a scale's declared order.
#include <cmath>
#include <limits>

#include "evaluation/evaluator.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

using Eigen::Index;

Column code_numbers(const Model& m, const Expr& e, Column x) {
    for (Index i = 0; i < x.v.size(); ++i) {
        if (x.s[i] != 0) {
            x.s[i] = unknown_state;
            x.v[i] = 0;
            continue;
        }
        std::optional<double> number;
        if (e.op == Op::code_value) {
            number = code_value(m, e.index, x.v[i]);
        } else if (const double r = category_rank(m, e.index, x.v[i]); r >= 0) {
            number = r + 1;
        }
        x.v[i] = number ? *number : 0;
        x.s[i] = number ? known_state : unknown_state;
    }
    return x;
}

Column ordered_extreme(const Model& m, int scale, bool is_min, std::vector<Column> args) {
    Column out = std::move(args[0]);
    const Index n = out.v.size();
    for (Index i = 0; i < n; ++i) {
        bool known = true;
        double best = is_min ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity();
        auto consider = [&](double code, std::uint8_t state) {
            const double r = state == known_state ? category_rank(m, scale, code) : -1;
            if (r < 0) {
                known = false;
                return;
            }
            best = is_min ? std::min(best, r) : std::max(best, r);
        };
        consider(out.v[i], out.s[i]);
        for (std::size_t k = 1; k < args.size(); ++k) consider(args[k].v[i], args[k].s[i]);
        out.v[i] = known ? code_at_rank(m, scale, best) : 0;
        out.s[i] = known ? known_state : unknown_state;
    }
    return out;
}

Eigen::ArrayXd ordered_extremes(const Model& m, const Expr& e, const Block& b, bool is_min) {
    const int scale = e.type.scale;
    Eigen::ArrayXd best = Eigen::ArrayXd::Constant(b.n, is_min ? std::numeric_limits<double>::infinity()
                                                               : -std::numeric_limits<double>::infinity());
    for (int c : e.columns) {
        const double* v = b.in->values[static_cast<std::size_t>(c)] + b.begin;
        const std::uint8_t* s = b.in->states[static_cast<std::size_t>(c)] + b.begin;
        for (Index i = 0; i < b.n; ++i) {
            if (s[i] != known_state) continue;
            const double r = category_rank(m, scale, v[i]);
            if (r >= 0) best[i] = is_min ? std::min(best[i], r) : std::max(best[i], r);
        }
    }
    for (Index i = 0; i < b.n; ++i)
        best[i] = std::isfinite(best[i]) ? code_at_rank(m, scale, best[i]) : std::numeric_limits<double>::quiet_NaN();
    return best;
}

InputStats value_stats(const Model& m, const Expr& e, const Block& b) {
    const Index n = b.n;
    InputStats st{&e.columns, Eigen::ArrayXd::Zero(n), Eigen::ArrayXd::Zero(n), Eigen::ArrayXd::Zero(n),
                  Eigen::ArrayXd::Zero(n)};
    for (int c : e.columns) {
        const double* v = b.in->values[static_cast<std::size_t>(c)] + b.begin;
        const std::uint8_t* s = b.in->states[static_cast<std::size_t>(c)] + b.begin;
        for (Index i = 0; i < n; ++i) {
            if (s[i] == known_state) {
                // Inputs hold codes of the scale (cells are checked), so every one has a number.
                const auto number = code_value(m, e.index, v[i]);
                st.sum[i] += number ? *number : 0;
                st.known[i] += 1;
            } else if (s[i] == na_state) {
                st.na[i] += 1;
            } else {
                st.omitted[i] += 1;
            }
        }
    }
    return st;
}

}  // namespace detail
KELIAS_END_NAMESPACE
