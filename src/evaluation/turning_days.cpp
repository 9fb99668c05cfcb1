// The earliest-date solver's first half: the days on which time-bound expressions turn.
#include "evaluation/turning_days.hpp"

#include <kelias/date.hpp>

#include "base/calendar.hpp"
#include "base/checked.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

using Eigen::Index;

namespace {

bool reads_time(const Expr& e, const std::vector<char>& timed_result) {
    if (e.op == Op::as_of || e.op == Op::fresh) return true;
    if (e.op == Op::result) return timed_result[static_cast<std::size_t>(e.index)] != 0;
    for (const auto& a : e.args)
        if (reads_time(a, timed_result)) return true;
    return false;
}

// The value of a time function on one day: unsupported (a form the solver does not
// know), unknown, or a number (days for dates).
struct TimeValue {
    enum class Kind : std::uint8_t { unsupported, unknown, value } kind = Kind::unsupported;
    double v = 0;
};
constexpr TimeValue unsupported{};
constexpr TimeValue unknown{TimeValue::Kind::unknown, 0};
TimeValue value(double v) { return {TimeValue::Kind::value, v}; }

class Solver {
public:
    Solver(const Model& m, const std::vector<char>& timed_result, const Tracer& trace,
           const std::vector<ListStore>& lists, Index first, Index row, double after, double last,
           std::vector<double>& days)
        : m_(m), timed_(timed_result), trace_(trace), lists_(lists), first_(first), row_(row), lo_(after + 1),
          hi_(last), days_(days), visited_(m.results.size(), 0) {}

    // [from, to): the entries of the traced columns at this level (one row, or its records).
    bool collect(const Expr& e, Index from, Index to) {
        if (!timed(e)) return true;
        switch (e.op) {
        case Op::result: {
            const auto r = static_cast<std::size_t>(e.index);
            if (visited_[r]) return true;
            visited_[r] = 1;
            return collect(m_.results[r].expr, row_ - first_, row_ - first_ + 1);  // results are per row
        }
        case Op::list_aggregate: {
            if (e.args.empty()) return true;
            const ListStore& list = lists_[static_cast<std::size_t>(e.index)];
            const auto base = list.offsets[static_cast<std::size_t>(first_)];
            return collect(e.args[0], list.offsets[static_cast<std::size_t>(row_)] - base,
                           list.offsets[static_cast<std::size_t>(row_) + 1] - base);
        }
        case Op::fresh:
            return fresh(e, from, to);
        case Op::eq:
        case Op::ne:
        case Op::lt:
        case Op::le:
        case Op::gt:
        case Op::ge:
            if (const int side = monotone_side(e); side >= 0) return thresholds(e, side, from, to);
            return union_of(e, from, to);
        case Op::not_:
        case Op::and_:
        case Op::or_:
        case Op::if_:
        case Op::coalesce:
        case Op::is_known:
        case Op::is_na:
        case Op::is_omitted:
        case Op::in:
        case Op::not_in:
        case Op::table:
            return union_of(e, from, to);
        default:
            return false;  // a number or date that moves with as_of, outside a comparison
        }
    }

private:
    bool timed(const Expr& e) const { return reads_time(e, timed_); }

    // A piecewise-constant operator: it can turn only where an operand does.
    bool union_of(const Expr& e, Index from, Index to) {
        for (const auto& a : e.args)
            if (!collect(a, from, to)) return false;
        return true;
    }

    // The side of a comparison that is a monotone function of as_of while the other side
    // does not read time: 0 or 1, or -1.
    int monotone_side(const Expr& e) const {
        if (e.args.size() != 2) return -1;
        const bool t0 = timed(e.args[0]), t1 = timed(e.args[1]);
        if (t0 == t1) return -1;
        const int side = t0 ? 0 : 1;
        const Expr& f = e.args[static_cast<std::size_t>(side)];
        if (f.type.kind != Kind::date && f.type.kind != Kind::number) return -1;
        if (e.args[0].type.kind != e.args[1].type.kind) return -1;
        return monotone(f) ? side : -1;
    }

    bool monotone(const Expr& f) const {
        switch (f.op) {
        case Op::as_of:
            return true;
        case Op::add:
        case Op::sub:
        case Op::add_days:
        case Op::add_months:
            return f.args.size() == 2 && monotone(f.args[0]) && !timed(f.args[1]);
        case Op::years_between:
        case Op::months_between:
        case Op::days_between: {
            if (f.args.size() != 2) return false;
            const bool t0 = timed(f.args[0]), t1 = timed(f.args[1]);
            return t0 != t1 && monotone(f.args[t0 ? 0 : 1]);
        }
        default:
            return false;
        }
    }

    const Column* traced(const Expr& e) const {
        const auto it = trace_.values.find(&e);
        return it == trace_.values.end() ? nullptr : &it->second;
    }

    // A value that does not read time, as traced: entry k of its column.
    TimeValue fixed(const Expr& e, Index k) const {
        const Column* c = traced(e);
        if (!c || k >= c->v.size()) return unsupported;
        if (c->s[k] != 0) return unknown;
        return value(c->v[k]);
    }

    // f(t) at entry k, with the evaluator's semantics for each form monotone() accepts.
    TimeValue at(const Expr& f, double t, Index k) const {
        if (!timed(f)) return fixed(f, k);
        switch (f.op) {
        case Op::as_of:
            return value(t);
        case Op::add:
        case Op::sub: {
            const TimeValue base = at(f.args[0], t, k);
            if (base.kind != TimeValue::Kind::value) return base;
            const bool forward = f.op == Op::add;
            Duration by;
            if (f.args[1].op == Op::duration) {
                by = f.args[1].duration;
            } else {
                const TimeValue x = fixed(f.args[1], k);
                if (x.kind != TimeValue::Kind::value) return x;
                if (f.args[1].type.kind != Kind::duration) return value(forward ? base.v + x.v : base.v - x.v);
                by = duration_from_column(x.v);
            }
            const auto from = date_from_column(base.v);
            const auto moved = from ? (forward ? add(*from, by) : subtract(*from, by)) : std::nullopt;
            return moved ? value(moved->days) : unknown;
        }
        case Op::add_days:
        case Op::add_months: {
            const TimeValue base = at(f.args[0], t, k);
            if (base.kind != TimeValue::Kind::value) return base;
            const TimeValue x = fixed(f.args[1], k);
            if (x.kind != TimeValue::Kind::value) return x;
            const auto start = date_from_column(base.v);
            const auto n = floor_int64(x.v);
            std::optional<Date> date;
            if (start && n) {
                if (f.op == Op::add_days)
                    date = add_days(*start, *n);
                else if (*n >= -max_duration_months && *n <= max_duration_months)
                    date = *n >= 0 ? add(*start, Duration{0, static_cast<int>(*n), 0})
                                   : subtract(*start, Duration{0, static_cast<int>(-*n), 0});
            }
            return date ? value(date->days) : unknown;
        }
        case Op::years_between:
        case Op::months_between:
        case Op::days_between: {
            const TimeValue a = at(f.args[0], t, k), b = at(f.args[1], t, k);
            if (a.kind == TimeValue::Kind::unsupported || b.kind == TimeValue::Kind::unsupported) return unsupported;
            if (a.kind == TimeValue::Kind::unknown || b.kind == TimeValue::Kind::unknown) return unknown;
            const auto from = date_from_column(a.v), to = date_from_column(b.v);
            if (!from || !to) return unknown;
            return value(f.op == Op::years_between    ? years_between(*from, *to)
                         : f.op == Op::months_between ? months_between(*from, *to)
                                                      : days_between(*from, *to));
        }
        default:
            return unsupported;
        }
    }

    // The first day in [lo, hi] on which `holds` is true, for a predicate that is false and
    // then true over the range. False when f is not known on a day it is asked for.
    template <class Holds>
    bool first_day(Holds holds, std::optional<double>& day) const {
        day.reset();
        bool ok = true;
        auto test = [&](double t) {
            const std::optional<bool> h = holds(t);
            if (!h) ok = false;
            return h.value_or(false);
        };
        if (!test(hi_)) return ok;
        double lo = lo_, hi = hi_;
        while (lo < hi && ok) {
            const double mid = std::floor((lo + hi) / 2);
            if (test(mid))
                hi = mid;
            else
                lo = mid + 1;
        }
        if (ok) day = lo;
        return ok;
    }

    // The days on which f(t) reaches c and passes it (f monotone over [lo, hi]).
    bool crossings(const Expr& f, Index k, double c) {
        const TimeValue a = at(f, lo_, k), b = at(f, hi_, k);
        if (a.kind == TimeValue::Kind::unsupported || b.kind == TimeValue::Kind::unsupported) return false;
        if (a.kind == TimeValue::Kind::unknown && b.kind == TimeValue::Kind::unknown) return true;  // never known
        if (a.kind != b.kind) return false;
        const bool rising = a.v <= b.v;
        for (const bool strict : {false, true}) {
            std::optional<double> day;
            const bool ok = first_day(
                [&](double t) -> std::optional<bool> {
                    const TimeValue x = at(f, t, k);
                    if (x.kind != TimeValue::Kind::value) return std::nullopt;
                    if (rising) return strict ? x.v > c : x.v >= c;
                    return strict ? x.v < c : x.v <= c;
                },
                day);
            if (!ok) return false;
            if (day) days_.push_back(*day);
        }
        return true;
    }

    bool thresholds(const Expr& e, int side, Index from, Index to) {
        const Expr& f = e.args[static_cast<std::size_t>(side)];
        const Expr& other = e.args[static_cast<std::size_t>(1 - side)];
        for (Index k = from; k < to; ++k) {
            const TimeValue c = fixed(other, k);
            if (c.kind == TimeValue::Kind::unsupported) return false;
            if (c.kind == TimeValue::Kind::unknown) continue;  // unknown every day
            if (!crossings(f, k, c.v)) return false;
        }
        return true;
    }

    // Known (true) from the day the assessment is dated until the first day it is too old.
    bool fresh(const Expr& e, Index from, Index to) {
        if (e.args.size() != 2 || timed(e.args[0]) || timed(e.args[1])) return false;
        for (Index k = from; k < to; ++k) {
            const TimeValue date = fixed(e.args[0], k), age = fixed(e.args[1], k);
            if (date.kind == TimeValue::Kind::unsupported || age.kind == TimeValue::Kind::unsupported) return false;
            if (date.kind == TimeValue::Kind::unknown || age.kind == TimeValue::Kind::unknown) continue;
            if (date.v >= lo_ && date.v <= hi_) days_.push_back(date.v);
            const Duration max_age = duration_from_column(age.v);
            std::optional<double> day;
            const bool ok = first_day(
                [&](double t) -> std::optional<bool> {
                    const auto now = date_from_column(t);
                    const auto oldest = now ? subtract(*now, max_age) : std::nullopt;
                    if (!oldest) return std::nullopt;
                    return date.v < oldest->days;
                },
                day);
            if (!ok) return false;
            if (day) days_.push_back(*day);
        }
        return true;
    }

    const Model& m_;
    const std::vector<char>& timed_;
    const Tracer& trace_;
    const std::vector<ListStore>& lists_;
    Index first_, row_;
    double lo_, hi_;
    std::vector<double>& days_;
    std::vector<char> visited_;
};

}  // namespace

TurningDays::TurningDays(const Model& m) : m_(m), timed_result_(m.results.size(), 0) {
    for (int r : m.order)
        timed_result_[static_cast<std::size_t>(r)] =
            reads_time(m.results[static_cast<std::size_t>(r)].expr, timed_result_) ? 1 : 0;
}

bool TurningDays::timed(const Expr& e) const { return reads_time(e, timed_result_); }

bool TurningDays::collect(const Expr& e, const Tracer& trace, const std::vector<ListStore>& lists, Index first,
                          Index row, double after, double last, std::vector<double>& days) const {
    if (last <= after) return true;
    Solver s(m_, timed_result_, trace, lists, first, row, after, last, days);
    return s.collect(e, row - first, row - first + 1);
}

}  // namespace detail
KELIAS_END_NAMESPACE
