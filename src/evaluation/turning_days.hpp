#pragma once
// The days on which a time-bound expression may change its value as as_of moves forward:
// what the earliest-date solver tries instead of evaluating every day up to the horizon.
#include <vector>

#include "evaluation/evaluator.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Finds, for one row of a traced block, every day in (after, last] on which the value of
/// an expression may turn (true to false, known to unknown, one number to another) when
/// only as_of changes. Each time-bound leaf gives its days directly: a comparison of a
/// monotone function of as_of (as_of, as_of ± a duration or a number of days, the years,
/// months or days between a date and as_of, add_days/add_months of as_of) with a value
/// that does not depend on as_of gives the first day it reaches and the first day it
/// passes that value; `fresh` gives the day the assessment is dated and the first day it is
/// too old. Every other operator can change only where one of its operands does, so its
/// days are the union of theirs (through results, list aggregates record by record, and
/// the and/or/not tree in three-valued logic). Between two consecutive days found the
/// expression is constant, so the first day a decision is no longer `not_eligible` is the
/// day after as_of or one of these: evaluating the decision on them finds it.
class TurningDays {
public:
    explicit TurningDays(const Model& m);

    /// True when `e` reads as_of (directly, through results or through freshness).
    bool timed(const Expr& e) const;

    /// Adds the days of `e` for row `row` of a block traced from row `first` (records of
    /// list facts as the block's lists hold them). False when a time-bound part has a form
    /// the solver does not know (the caller then scans the days instead).
    bool collect(const Expr& e, const Tracer& trace, const std::vector<ListStore>& lists, Eigen::Index first,
                 Eigen::Index row, double after, double last, std::vector<double>& days) const;

private:
    const Model& m_;
    std::vector<char> timed_result_;
};

}  // namespace detail
KELIAS_END_NAMESPACE
