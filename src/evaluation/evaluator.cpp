// Columnar evaluation: every node computes a whole block of rows at once.
#include "evaluation/evaluator.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include <kelias/date.hpp>

#include "base/calendar.hpp"
#include "base/checked.hpp"
#include "model/ratings_access.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

using Eigen::Index;

Column constant(double v, Index n) { return {Eigen::ArrayXd::Constant(n, v), StateArray::Zero(n)}; }

Column unknown_column(Index n) { return {Eigen::ArrayXd::Zero(n), StateArray::Constant(n, unknown_state)}; }

// Any state but "known" becomes unknown: na and omitted both stop arithmetic.
StateArray merge_states(const StateArray& a, const StateArray& b) {
    return ((a != 0) || (b != 0)).select(StateArray::Constant(a.size(), unknown_state), StateArray::Zero(a.size()));
}

StateArray to_unknown(const StateArray& a) {
    return (a != 0).select(StateArray::Constant(a.size(), unknown_state), StateArray::Zero(a.size()));
}

template <class F>
Column map_unary(Column x, F f) {
    for (Index i = 0; i < x.v.size(); ++i) {
        if (x.s[i] != 0) {
            x.s[i] = unknown_state;
            continue;
        }
        double r = f(x.v[i]);
        if (std::isfinite(r)) {
            x.v[i] = r;
        } else {
            x.s[i] = unknown_state;  // ln(0), overflow: no number to give
        }
    }
    return x;
}

// A date moved by a duration; no date when the result leaves the calendar.
void shift_date(Column& out, Eigen::Index i, double date, const Duration& d, bool forward) {
    const auto from = date_from_column(date);
    const auto moved = from ? (forward ? add(*from, d) : subtract(*from, d)) : std::nullopt;
    if (moved)
        out.v[i] = moved->days;
    else
        out.s[i] = unknown_state;
}

Column date_shift(const Column& date, const Duration& d, bool forward) {
    Column out = date;
    out.s = to_unknown(date.s);
    for (Index i = 0; i < out.v.size(); ++i)
        if (out.s[i] == 0) shift_date(out, i, date.v[i], d, forward);
    return out;
}

Column date_shift_by_column(const Column& date, const Column& by, bool forward) {
    Column out = date;
    out.s = merge_states(date.s, by.s);
    for (Index i = 0; i < out.v.size(); ++i)
        if (out.s[i] == 0) shift_date(out, i, date.v[i], duration_from_column(by.v[i]), forward);
    return out;
}

// Reads a row-level column for every record of a record block.
Column gather(const Column& rows, const Block& b) {
    const auto& list = (*b.lists)[static_cast<std::size_t>(b.list)];
    Column out{Eigen::ArrayXd(b.n), StateArray(b.n)};
    for (Index i = 0; i < b.n; ++i) {
        Index r = list.record_row[static_cast<std::size_t>(b.begin + i)] - b.parent->begin;
        out.v[i] = rows.v[r];
        out.s[i] = rows.s[r];
    }
    return out;
}

bool reads_rows(Op op) {
    return op == Op::field || op == Op::as_of || op == Op::result || op == Op::aggregate || op == Op::list_aggregate;
}

Column list_aggregate(const Expr& e, const Block& b, const PolicyContext& p, Tracer* t) {
    const ListStore& list = (*b.lists)[static_cast<std::size_t>(e.index)];
    const Index first = list.offsets[static_cast<std::size_t>(b.begin)];
    const Index last = list.offsets[static_cast<std::size_t>(b.begin + b.n)];
    Column body;
    if (!e.args.empty()) {
        Block records{b.model, b.in, first, last - first, b.results, nullptr, b.lists, &b, e.index};
        body = evaluate(e.args[0], records, p, t);
    }
    Column out{Eigen::ArrayXd::Zero(b.n), StateArray::Zero(b.n)};
    for (Index i = 0; i < b.n; ++i) {
        const auto row = static_cast<std::size_t>(b.begin + i);
        if (list.list_state[row] != known_state) {
            out.s[i] = unknown_state;
            continue;
        }
        const Index from = list.offsets[row] - first, to = list.offsets[row + 1] - first;
        if (e.args.empty()) {
            out.v[i] = static_cast<double>(to - from);
            continue;
        }
        double trues = 0, falses = 0, unknowns = 0, total = 0;
        double lo = std::numeric_limits<double>::infinity(), hi = -lo;
        for (Index k = from; k < to; ++k) {
            if (body.s[k] != 0) {
                ++unknowns;
                continue;
            }
            const double v = body.v[k];
            (v != 0 ? trues : falses) += 1;
            total += v;
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        bool unknown = false;
        double v = 0;
        switch (e.aggregate) {
        case AggregateFn::count:
            unknown = unknowns > 0;
            v = trues;
            break;
        case AggregateFn::any:
            v = trues > 0;
            unknown = trues == 0 && unknowns > 0;
            break;
        case AggregateFn::all:
            v = falses == 0;
            unknown = falses == 0 && unknowns > 0;
            break;
        case AggregateFn::sum:
            unknown = unknowns > 0;
            v = total;
            break;
        case AggregateFn::min_of:
            unknown = unknowns > 0 || to == from;
            v = lo;
            break;
        default:
            unknown = unknowns > 0 || to == from;
            v = hi;
            break;  // max_of
        }
        out.v[i] = unknown ? 0 : v;
        out.s[i] = unknown ? unknown_state : known_state;
    }
    return out;
}

// ---- in-place reads ---------------------------------------------------------------------
// Fields, as_of, earlier scores and constants are read where they are, not copied into a
// new column first: they are half the nodes of a typical rule set.

struct ColumnView {
    const double* v = nullptr;  // null: `scalar` on every row, known
    const std::uint8_t* s = nullptr;
    double scalar = 0;
    std::uint8_t state(Index i) const { return s ? s[i] : known_state; }
};

ColumnView view_of(const Column& c) { return {c.v.data(), c.s.data(), 0}; }

// `holder` keeps the column alive when the node has to be computed.
ColumnView view(const Expr& e, const Block& b, const PolicyContext& p, Tracer* t, Column& holder) {
    if (!t && !(b.parent && reads_rows(e.op))) {  // explanations trace every node: no shortcut then
        switch (e.op) {
        case Op::constant:
            return {nullptr, nullptr, e.number};
        case Op::duration:
            return {nullptr, nullptr, duration_to_column(e.duration)};
        case Op::field:
            return {b.in->values[static_cast<std::size_t>(e.index)] + b.begin,
                    b.in->states[static_cast<std::size_t>(e.index)] + b.begin, 0};
        case Op::as_of:
            return {b.in->as_of + b.begin, b.in->as_of_state + b.begin, 0};
        case Op::result:
            return view_of((*b.results)[static_cast<std::size_t>(e.index)]);
        case Op::record_field: {
            const ListStore& list = (*b.lists)[static_cast<std::size_t>(b.list)];
            const auto f = static_cast<std::size_t>(e.index);
            return {list.values[f].data() + b.begin, list.states[f].data() + b.begin, 0};
        }
        default:
            break;
        }
    }
    holder = evaluate(e, b, p, t);
    return view_of(holder);
}

// Calls f with a reader of x's values: an array or a constant, so loops specialise on both.
template <class F>
void with_values(const ColumnView& x, F&& f) {
    if (x.v)
        f([v = x.v](Index i) { return v[i]; });
    else
        f([c = x.scalar](Index) { return c; });
}

// States of a two-operand result: unknown unless both operands are known.
StateArray merged_states(const ColumnView& a, const ColumnView& b, Index n) {
    StateArray out(n);
    if (a.s && b.s) {
        for (Index i = 0; i < n; ++i) out[i] = (a.s[i] | b.s[i]) != 0 ? unknown_state : known_state;
    } else if (const std::uint8_t* s = a.s ? a.s : b.s) {  // one operand is a constant
        for (Index i = 0; i < n; ++i) out[i] = s[i] != 0 ? unknown_state : known_state;
    } else {
        out.setZero();
    }
    return out;
}

Column compare_views(Op op, const ColumnView& l, const ColumnView& r, Index n) {
    Column out{Eigen::ArrayXd(n), merged_states(l, r, n)};
    double* o = out.v.data();
    with_values(l, [&](auto lv) {
        with_values(r, [&](auto rv) {
            switch (op) {
            case Op::eq:
                for (Index i = 0; i < n; ++i) o[i] = lv(i) == rv(i);
                break;
            case Op::ne:
                for (Index i = 0; i < n; ++i) o[i] = lv(i) != rv(i);
                break;
            case Op::lt:
                for (Index i = 0; i < n; ++i) o[i] = lv(i) < rv(i);
                break;
            case Op::le:
                for (Index i = 0; i < n; ++i) o[i] = lv(i) <= rv(i);
                break;
            case Op::gt:
                for (Index i = 0; i < n; ++i) o[i] = lv(i) > rv(i);
                break;
            default:
                for (Index i = 0; i < n; ++i) o[i] = lv(i) >= rv(i);
                break;
            }
        });
    });
    return out;
}

// Kleene logic: a decisive known operand (false for `and`, true for `or`) wins over an
// unknown one. Branch-free, so the compiler vectorises it: rule data is too irregular for
// the branch predictor.
Column logic_views(ColumnView a, ColumnView b, Index n, bool is_and) {
    Column held_a, held_b;  // constants (rare here) become columns
    if (!a.v) a = view_of(held_a = constant(a.scalar, n));
    if (!b.v) b = view_of(held_b = constant(b.scalar, n));
    Column out{Eigen::ArrayXd(n), StateArray(n)};
    const double *av = a.v, *bv = b.v;
    const std::uint8_t *as = a.s, *bs = b.s;
    double* ov = out.v.data();
    std::uint8_t* os = out.s.data();
    if (is_and) {
        for (Index i = 0; i < n; ++i) {
            const bool ak = as[i] == 0, bk = bs[i] == 0, at = av[i] != 0, bt = bv[i] != 0;
            const bool known = (ak & !at) | (bk & !bt) | (ak & bk);
            ov[i] = static_cast<double>(ak & bk & at & bt);
            os[i] = static_cast<std::uint8_t>(!known * unknown_state);
        }
    } else {
        for (Index i = 0; i < n; ++i) {
            const bool ak = as[i] == 0, bk = bs[i] == 0, at = av[i] != 0, bt = bv[i] != 0;
            const bool some_true = (ak & at) | (bk & bt);
            ov[i] = static_cast<double>(some_true);
            os[i] = static_cast<std::uint8_t>(!(some_true | (ak & bk)) * unknown_state);
        }
    }
    return out;
}

Column compare(const Expr& e, Column l, Column r, const Model& d) {
    const Type& lt = e.args[0].type;
    if (lt.kind == Kind::category && lt.scale >= 0 && e.op != Op::eq && e.op != Op::ne) {
        for (Index i = 0; i < l.v.size(); ++i) {
            l.v[i] = category_rank(d, lt.scale, l.v[i]);
            r.v[i] = category_rank(d, lt.scale, r.v[i]);
        }
    }
    if (lt.kind == Kind::duration) {
        // By average length (a month is 30.436875 days), so P200D > P6M > P180D.
        auto days = [](double encoded) { return average_days(duration_from_column(encoded)); };
        for (Index i = 0; i < l.v.size(); ++i) {
            l.v[i] = days(l.v[i]);
            r.v[i] = days(r.v[i]);
        }
    }
    Column out;
    out.s = merge_states(l.s, r.s);
    switch (e.op) {
    case Op::eq:
        out.v = (l.v == r.v).cast<double>();
        break;
    case Op::ne:
        out.v = (l.v != r.v).cast<double>();
        break;
    case Op::lt:
        out.v = (l.v < r.v).cast<double>();
        break;
    case Op::le:
        out.v = (l.v <= r.v).cast<double>();
        break;
    case Op::gt:
        out.v = (l.v > r.v).cast<double>();
        break;
    default:
        out.v = (l.v >= r.v).cast<double>();
        break;
    }
    return out;
}

InputStats compute_stats(const std::vector<int>& columns, const Block& b) {
    const Index n = b.n;
    InputStats st{&columns, Eigen::ArrayXd::Zero(n), Eigen::ArrayXd::Zero(n), Eigen::ArrayXd::Zero(n),
                  Eigen::ArrayXd::Zero(n)};
    for (int c : columns) {
        const double* v = b.in->values[static_cast<std::size_t>(c)] + b.begin;
        const std::uint8_t* s = b.in->states[static_cast<std::size_t>(c)] + b.begin;
        // One branch-free pass per input column; the compiler vectorises it.
        for (Index i = 0; i < n; ++i) {
            const double is_known = s[i] == known_state, is_na = s[i] == na_state;
            st.sum[i] += is_known * v[i];
            st.known[i] += is_known;
            st.na[i] += is_na;
            st.omitted[i] += 1.0 - is_known - is_na;
        }
    }
    return st;
}

const InputStats& stats_for(const Expr& e, const Block& b, InputStats& scratch) {
    if (e.index >= 0) return scratch = value_stats(*b.model, e, b);  // code values: not shared
    if (!b.stats) return scratch = compute_stats(e.columns, b);
    for (const auto& st : *b.stats)
        if (st.columns == &e.columns || *st.columns == e.columns) return st;
    b.stats->push_back(compute_stats(e.columns, b));
    return b.stats->back();
}

Eigen::ArrayXd extremes(const Expr& e, const Block& b, bool is_min) {
    Eigen::ArrayXd out = Eigen::ArrayXd::Constant(b.n, is_min ? std::numeric_limits<double>::infinity()
                                                              : -std::numeric_limits<double>::infinity());
    for (int c : e.columns) {
        const double* v = b.in->values[static_cast<std::size_t>(c)] + b.begin;
        const std::uint8_t* s = b.in->states[static_cast<std::size_t>(c)] + b.begin;
        for (Index i = 0; i < b.n; ++i)
            if (s[i] == known_state) out[i] = is_min ? std::min(out[i], v[i]) : std::max(out[i], v[i]);
    }
    return out;
}

Column aggregate(const Expr& e, const Block& b, const PolicyContext& p) {
    const Index n = b.n;
    InputStats scratch;
    const InputStats& st = stats_for(e, b, scratch);
    const auto& sum = st.sum;
    const auto& known = st.known;
    const auto& na = st.na;
    const auto& omitted = st.omitted;
    Eigen::ArrayXd extreme;
    if (e.aggregate == AggregateFn::min_of || e.aggregate == AggregateFn::max_of)
        extreme = e.type.kind == Kind::category ? ordered_extremes(*b.model, e, b, e.aggregate == AggregateFn::min_of)
                                                : extremes(e, b, e.aggregate == AggregateFn::min_of);
    Column out{Eigen::ArrayXd::Zero(n), StateArray::Zero(n)};
    const double inputs = static_cast<double>(e.columns.size());
    const double limit = p.max_omitted < 0 ? std::numeric_limits<double>::infinity() : p.max_omitted;
    for (Index i = 0; i < n; ++i) {
        bool unknown = false;
        double v = 0;
        switch (e.aggregate) {
        case AggregateFn::n_known:
            v = known[i];
            break;
        case AggregateFn::n_na:
            v = na[i];
            break;
        case AggregateFn::n_omitted:
            v = omitted[i];
            break;
        case AggregateFn::any:
            // count of known trues is in `sum`
            if (sum[i] > 0)
                v = 1;
            else
                unknown = omitted[i] > 0;
            break;
        case AggregateFn::all:
            if (known[i] - sum[i] > 0)
                v = 0;
            else if (omitted[i] > 0)
                unknown = true;
            else
                v = 1;
            break;
        default: {
            if (p.policy == Policy::strict)
                unknown = omitted[i] > 0;
            else
                unknown = omitted[i] > limit;
            bool sum_like = e.aggregate == AggregateFn::sum || e.aggregate == AggregateFn::count;
            if (sum_like) {
                v = sum[i];
                if (p.policy == Policy::prorate && omitted[i] > 0) {
                    if (known[i] == 0)
                        unknown = true;
                    else
                        v = sum[i] * (inputs - na[i]) / known[i];
                }
            } else if (known[i] == 0) {
                unknown = true;  // mean or extreme of nothing
            } else {
                v = e.aggregate == AggregateFn::mean ? sum[i] / known[i] : extreme[i];
            }
        }
        }
        out.v[i] = unknown ? 0 : v;
        out.s[i] = unknown ? unknown_state : known_state;
    }
    return out;
}

Column lookup(const Table& t, const Column& x) {
    Index n = x.v.size();
    Column out{Eigen::ArrayXd::Zero(n), StateArray::Zero(n)};
    for (Index i = 0; i < n; ++i) {
        if (x.s[i] != 0) {
            out.s[i] = unknown_state;
            continue;
        }
        int row = match_table_row(t, x.v[i]);
        if (row >= 0) {
            out.v[i] = t.rows[static_cast<std::size_t>(row)].value;
        } else if (t.default_value) {
            out.v[i] = *t.default_value;
        } else {
            out.s[i] = unknown_state;
        }
    }
    return out;
}

Column as_of_column(const Block& b) {
    return {Eigen::Map<const Eigen::ArrayXd>(b.in->as_of + b.begin, b.n),
            Eigen::Map<const StateArray>(b.in->as_of_state + b.begin, b.n)};
}

Column evaluate_function(const Expr& e, std::vector<Column> a, const Block& b) {
    const Index n = b.n;
    switch (e.op) {
    case Op::if_: {
        Column out = std::move(a[1]);
        for (Index i = 0; i < n; ++i) {
            if (a[0].s[i] != 0) {
                out.s[i] = unknown_state;
                out.v[i] = 0;
            } else if (a[0].v[i] == 0) {
                out.v[i] = a[2].v[i];
                out.s[i] = a[2].s[i];
            }
        }
        out.s = to_unknown(out.s);
        return out;
    }
    case Op::coalesce: {
        Column out = std::move(a[0]);
        for (std::size_t k = 1; k < a.size(); ++k)
            for (Index i = 0; i < n; ++i)
                if (out.s[i] != 0 && a[k].s[i] == 0) {
                    out.v[i] = a[k].v[i];
                    out.s[i] = 0;
                }
        out.s = to_unknown(out.s);
        return out;
    }
    case Op::is_known:
    case Op::is_na:
    case Op::is_omitted: {
        std::uint8_t want = e.op == Op::is_known ? known_state : e.op == Op::is_na ? na_state : unknown_state;
        return {(a[0].s == want).cast<double>(), StateArray::Zero(n)};
    }
    case Op::ln:
        return map_unary(std::move(a[0]), [](double x) { return x > 0 ? std::log(x) : NAN; });
    case Op::exp:
        return map_unary(std::move(a[0]), [](double x) { return std::exp(x); });
    case Op::logistic:
        return map_unary(std::move(a[0]), [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
    case Op::floor:
        return map_unary(std::move(a[0]), [](double x) { return std::floor(x); });
    case Op::ceil:
        return map_unary(std::move(a[0]), [](double x) { return std::ceil(x); });
    case Op::abs:
        return map_unary(std::move(a[0]), [](double x) { return std::abs(x); });
    case Op::round: {
        int digits = e.args.size() == 2 ? static_cast<int>(e.args[1].number) : 0;
        return map_unary(std::move(a[0]), [digits](double x) { return round_decimal(x, digits); });
    }
    case Op::code_value:
    case Op::code_rank:
        return code_numbers(*b.model, e, std::move(a[0]));
    case Op::set_any:
    case Op::set_all:
    case Op::set_count: {
        const auto mask = static_cast<std::uint64_t>(e.number);
        const Op op = e.op;
        return map_unary(std::move(a[0]), [mask, op](double x) {
            if (!(x >= 0 && x < 0x1p53 && x == std::floor(x))) return static_cast<double>(NAN);  // no set
            const auto bits = static_cast<std::uint64_t>(x);
            if (op == Op::set_count) return static_cast<double>(std::popcount(bits));
            return (op == Op::set_any ? (bits & mask) != 0 : (bits & mask) == mask) ? 1.0 : 0.0;
        });
    }
    case Op::min:
    case Op::max: {
        if (e.type.kind == Kind::category)
            return ordered_extreme(*b.model, e.type.scale, e.op == Op::min, std::move(a));
        Column out = std::move(a[0]);
        for (std::size_t k = 1; k < a.size(); ++k) {
            if (e.op == Op::min)
                out.v = out.v.min(a[k].v);
            else
                out.v = out.v.max(a[k].v);
            out.s = merge_states(out.s, a[k].s);
        }
        out.s = to_unknown(out.s);
        return out;
    }
    case Op::clamp: {
        Column out = std::move(a[0]);
        out.v = out.v.max(a[1].v).min(a[2].v);
        out.s = merge_states(merge_states(out.s, a[1].s), a[2].s);
        return out;
    }
    case Op::years_between:
    case Op::months_between:
    case Op::days_between: {
        Column out{Eigen::ArrayXd::Zero(n), merge_states(a[0].s, a[1].s)};
        for (Index i = 0; i < n; ++i) {
            if (out.s[i] != 0) continue;
            const auto from_date = date_from_column(a[0].v[i]), to_date = date_from_column(a[1].v[i]);
            if (!from_date || !to_date) {
                out.s[i] = unknown_state;
                continue;
            }
            const Date from = *from_date, to = *to_date;
            out.v[i] = e.op == Op::years_between    ? years_between(from, to)
                       : e.op == Op::months_between ? months_between(from, to)
                                                    : days_between(from, to);
        }
        return out;
    }
    case Op::date_at_fraction: {
        Column out{Eigen::ArrayXd::Zero(n), merge_states(merge_states(a[0].s, a[1].s), a[2].s)};
        for (Index i = 0; i < n; ++i) {
            if (out.s[i] != 0) continue;
            // Rounded up: the share has passed only once the whole day has.
            const auto start = date_from_column(a[0].v[i]);
            const auto days = floor_int64(std::ceil((a[1].v[i] - a[0].v[i]) * a[2].v[i] - 1e-9));
            const auto date = start && days ? add_days(*start, *days) : std::nullopt;
            if (date)
                out.v[i] = date->days;
            else
                out.s[i] = unknown_state;
        }
        return out;
    }
    case Op::add_days:
    case Op::add_months: {
        Column out{Eigen::ArrayXd::Zero(n), merge_states(a[0].s, a[1].s)};
        for (Index i = 0; i < n; ++i) {
            if (out.s[i] != 0) continue;
            // A count of days or months that is huge or not a number gives no date.
            const auto start = date_from_column(a[0].v[i]);
            const auto k = floor_int64(a[1].v[i]);
            std::optional<Date> date;
            if (start && k) {
                if (e.op == Op::add_days)
                    date = add_days(*start, *k);
                else if (*k >= -max_duration_months && *k <= max_duration_months)
                    date = *k >= 0 ? add(*start, Duration{0, static_cast<int>(*k), 0})
                                   : subtract(*start, Duration{0, static_cast<int>(-*k), 0});
            }
            if (date)
                out.v[i] = date->days;
            else
                out.s[i] = unknown_state;
        }
        return out;
    }
    case Op::fresh: {
        // True when the date is at most `age` before as_of (and not after it); else
        // unknown. (Not allowed inside list aggregates, so `b` is a block of rows.)
        const Column as_of = as_of_column(b);
        Column out{Eigen::ArrayXd::Constant(n, 1.0), StateArray::Constant(n, unknown_state)};
        for (Index i = 0; i < n; ++i) {
            if (a[0].s[i] != 0 || a[1].s[i] != 0 || as_of.s[i] != 0) continue;
            const auto now = date_from_column(as_of.v[i]);
            const auto oldest = now ? subtract(*now, duration_from_column(a[1].v[i])) : std::nullopt;
            if (oldest && a[0].v[i] >= oldest->days && a[0].v[i] <= now->days) out.s[i] = known_state;
        }
        return out;
    }
    case Op::concat:
        return compose_codes(e, a);
    default:
        return unknown_column(n);
    }
}

Column evaluate_node(const Expr& e, const Block& b, const PolicyContext& p, Tracer* t) {
    const Index n = b.n;
    if (b.parent && reads_rows(e.op)) return gather(evaluate(e, *b.parent, p, t), b);
    switch (e.op) {
    case Op::constant:
        return constant(e.number, n);
    case Op::duration:
        return constant(duration_to_column(e.duration), n);
    case Op::list:
        return unknown_column(n);  // only read through its parent
    case Op::record_field: {
        const ListStore& list = (*b.lists)[static_cast<std::size_t>(b.list)];
        const auto f = static_cast<std::size_t>(e.index);
        return {Eigen::Map<const Eigen::ArrayXd>(list.values[f].data() + b.begin, n),
                Eigen::Map<const StateArray>(list.states[f].data() + b.begin, n)};
    }
    case Op::list_aggregate:
        return list_aggregate(e, b, p, t);
    case Op::field:
        return {Eigen::Map<const Eigen::ArrayXd>(b.in->values[static_cast<std::size_t>(e.index)] + b.begin, n),
                Eigen::Map<const StateArray>(b.in->states[static_cast<std::size_t>(e.index)] + b.begin, n)};
    case Op::as_of:
        return {Eigen::Map<const Eigen::ArrayXd>(b.in->as_of + b.begin, n),
                Eigen::Map<const StateArray>(b.in->as_of_state + b.begin, n)};
    case Op::result:
        return (*b.results)[static_cast<std::size_t>(e.index)];
    case Op::aggregate:
        return aggregate(e, b, p);
    case Op::table: {
        const Table& table = b.model->tables[static_cast<std::size_t>(e.index)];
        if (table.keys.empty()) return lookup(table, evaluate(e.args[0], b, p, t));
        std::vector<Column> keys;
        for (const auto& a : e.args) keys.push_back(evaluate(a, b, p, t));
        return keyed_lookup(table, keys);
    }
    case Op::neg: {
        Column x = evaluate(e.args[0], b, p, t);
        x.v = -x.v;
        x.s = to_unknown(x.s);
        return x;
    }
    case Op::not_: {
        Column held;
        const ColumnView x = view(e.args[0], b, p, t, held);
        Column out{Eigen::ArrayXd(n), StateArray(n)};
        with_values(x, [&](auto xv) {
            for (Index i = 0; i < n; ++i) {
                const bool known = x.state(i) == 0;
                out.v[i] = known ? 1.0 - xv(i) : 0.0;
                out.s[i] = known ? known_state : unknown_state;
            }
        });
        return out;
    }
    case Op::and_:
    case Op::or_: {
        Column held_a, held_b;
        const ColumnView x = view(e.args[0], b, p, t, held_a);
        const ColumnView y = view(e.args[1], b, p, t, held_b);
        return logic_views(x, y, n, e.op == Op::and_);
    }
    case Op::add:
    case Op::sub: {
        Column l = evaluate(e.args[0], b, p, t);
        if (e.args[1].op == Op::duration) {
            evaluate(e.args[1], b, p, t);
            return date_shift(l, e.args[1].duration, e.op == Op::add);
        }
        Column r = evaluate(e.args[1], b, p, t);
        if (e.args[1].type.kind == Kind::duration) return date_shift_by_column(l, r, e.op == Op::add);
        if (e.op == Op::add)
            l.v += r.v;
        else
            l.v -= r.v;
        l.s = merge_states(l.s, r.s);
        return l;
    }
    case Op::mul:
    case Op::div: {
        Column l = evaluate(e.args[0], b, p, t);
        Column r = evaluate(e.args[1], b, p, t);
        l.s = merge_states(l.s, r.s);
        if (e.op == Op::mul) {
            l.v *= r.v;
        } else {
            for (Index i = 0; i < n; ++i) {
                if (r.v[i] == 0)
                    l.s[i] = unknown_state;
                else
                    l.v[i] /= r.v[i];
            }
        }
        return l;
    }
    case Op::eq:
    case Op::ne:
    case Op::lt:
    case Op::le:
    case Op::gt:
    case Op::ge: {
        const Type& type = e.args[0].type;
        const bool ranked = type.kind == Kind::category && type.scale >= 0 && e.op != Op::eq && e.op != Op::ne;
        if (ranked || type.kind == Kind::duration)
            return compare(e, evaluate(e.args[0], b, p, t), evaluate(e.args[1], b, p, t), *b.model);
        Column held_l, held_r;
        const ColumnView l = view(e.args[0], b, p, t, held_l);
        const ColumnView r = view(e.args[1], b, p, t, held_r);
        return compare_views(e.op, l, r, n);
    }
    case Op::in:
    case Op::not_in: {
        Column held;
        const ColumnView x = view(e.args[0], b, p, t, held);
        const auto& list = e.args[1].list;
        const double found_value = e.op == Op::in ? 1.0 : 0.0;
        Column out{Eigen::ArrayXd(n), StateArray(n)};
        with_values(x, [&](auto xv) {
            for (Index i = 0; i < n; ++i) {
                const bool known = x.state(i) == 0;
                const bool found = std::find(list.begin(), list.end(), xv(i)) != list.end();
                out.v[i] = !known ? 0.0 : found ? found_value : 1.0 - found_value;
                out.s[i] = known ? known_state : unknown_state;
            }
        });
        return out;
    }
    default: {
        std::vector<Column> args;
        args.reserve(e.args.size());
        for (const auto& a : e.args) args.push_back(evaluate(a, b, p, t));
        return evaluate_function(e, std::move(args), b);
    }
    }
}

}  // namespace

Column evaluate(const Expr& e, const Block& block, const PolicyContext& policy, Tracer* tracer) {
    Column c = evaluate_node(e, block, policy, tracer);
    if (tracer) tracer->values[&e] = c;
    return c;
}

InputColumns input_columns(const RatingsBatch& batch) {
    InputColumns in;
    for (std::size_t c = 0; c < batch.columns(); ++c) {
        in.values.push_back(RatingsBatchAccess::values(batch, c));
        in.states.push_back(RatingsBatchAccess::states(batch, c));
    }
    in.as_of = RatingsBatchAccess::as_of_days(batch);
    in.as_of_state = RatingsBatchAccess::as_of_states(batch);
    in.rows = static_cast<Index>(batch.rows());
    return in;
}

InputColumns input_columns(const CaseBatch::Storage& s) {
    InputColumns in;
    for (std::size_t col = 0; col < s.values.size(); ++col) {
        in.values.push_back(s.values[col].data());
        in.states.push_back(s.states[col].data());
    }
    in.as_of = s.as_of_days.data();
    in.as_of_state = s.as_of_states.data();
    in.rows = static_cast<Index>(s.ids.size());
    return in;
}

AggregateCounts count_inputs(const Model& m, const Expr& e, const RatingsBatch& batch, std::size_t row) {
    AggregateCounts c;
    for (int col : e.columns) {
        CellState state = batch.state(row, static_cast<std::size_t>(col));
        if (const auto absent = m.field_models[static_cast<std::size_t>(col)].absent_state;
            state == CellState::omitted && absent != unknown_state)
            state = absent == na_state ? CellState::na : CellState::value;
        switch (state) {
        case CellState::value:
            ++c.known;
            break;
        case CellState::na:
            ++c.na;
            break;
        case CellState::omitted:
            ++c.omitted;
            break;
        }
    }
    return c;
}

const InputColumns& with_absent_defaults(const Model& m, const InputColumns& in, Index& begin, Index n,
                                         AbsentView& local) {
    if (!m.has_absent_defaults) return in;
    const auto un = static_cast<std::size_t>(n);
    local.in = in;
    local.in.rows = n;
    local.in.borrowed = false;
    for (std::size_t c = 0; c < in.values.size(); ++c) {
        if (local.in.values[c]) local.in.values[c] += begin;
        if (local.in.states[c]) local.in.states[c] += begin;
    }
    if (local.in.as_of) local.in.as_of += begin;
    if (local.in.as_of_state) local.in.as_of_state += begin;
    local.values.resize(m.field_models.size());
    local.states.resize(m.field_models.size());
    for (std::size_t c = 0; c < m.field_models.size() && c < in.values.size(); ++c) {
        const FieldModel& fm = m.field_models[c];
        if (fm.absent_state == unknown_state) continue;
        std::vector<double>& values = local.values[c];
        std::vector<std::uint8_t>& states = local.states[c];
        values.assign(un, 0.0);
        states.assign(un, unknown_state);
        const double* v = local.in.values[c];
        const std::uint8_t* s = local.in.states[c];
        for (std::size_t i = 0; i < un; ++i) {
            const std::uint8_t state = !v ? unknown_state : s ? s[i] : std::isnan(v[i]) ? unknown_state : known_state;
            if (state == unknown_state) {
                states[i] = fm.absent_state;
                values[i] = fm.absent_state == known_state ? fm.absent_value : 0.0;
            } else {
                states[i] = state;
                values[i] = state == known_state ? v[i] : 0.0;
            }
        }
        local.in.values[c] = values.data();
        local.in.states[c] = states.data();
    }
    begin = 0;
    return local.in;
}

int match_table_row(const Table& t, double x) {
    for (std::size_t r = 0; r < t.rows.size(); ++r) {
        const TableRow& row = t.rows[r];
        if (row.equals && x != *row.equals) continue;
        if (row.min && x < *row.min) continue;
        if (row.max && x > *row.max) continue;
        if (row.above && x <= *row.above) continue;
        if (row.below && x >= *row.below) continue;
        return static_cast<int>(r);
    }
    return -1;
}

double round_decimal(double x, int digits) {
    double scale = std::pow(10.0, digits);
    double scaled = x * scale;
    // Nudge by a few ulps so 2.675 (stored as 2.67499999...) rounds like the decimal it was.
    double nudged = scaled + std::copysign(std::abs(scaled) * 4 * std::numeric_limits<double>::epsilon(), scaled);
    return std::round(nudged) / scale;
}

}  // namespace detail
KELIAS_END_NAMESPACE
