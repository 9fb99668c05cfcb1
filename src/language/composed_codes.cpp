// Composed codes: concat(part, ...) builds a code from parts (a letter from one score, a
// digit from another). Every part must take a known, finite set of values, so every code
// the result can take is known when the file loads and can be checked against a scale.
#include <algorithm>

#include "base/checked.hpp"
#include "base/text.hpp"
#include "language/expression.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

void add_unique(std::vector<double>& out, double v) {
    if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
}

bool add_all(std::vector<double>& out, const std::optional<std::vector<double>>& values) {
    if (!values) return false;
    for (double v : *values) add_unique(out, v);
    return true;
}

}  // namespace

std::optional<std::vector<double>> possible_values(const Expr& e, const Model& m, int depth) {
    if (depth > 64) return std::nullopt;
    if (e.type.kind == Kind::category && e.type.scale >= 0) {
        std::vector<double> out;
        for (int c : m.scales[static_cast<std::size_t>(e.type.scale)].codes) out.push_back(c);
        return out;
    }
    if (e.type.kind != Kind::category && e.type.kind != Kind::number) return std::nullopt;
    std::vector<double> out;
    switch (e.op) {
    case Op::constant:
        return std::vector<double>{e.number};
    case Op::table: {
        const Table& t = m.tables[static_cast<std::size_t>(e.index)];
        if (t.keys.empty()) {
            for (const auto& row : t.rows) add_unique(out, row.value);
        } else {
            for (std::size_t c = 0; c < t.cells.size(); ++c)
                if (t.cell_known[c]) add_unique(out, t.cells[c]);
        }
        if (t.default_value) add_unique(out, *t.default_value);
        return out;
    }
    case Op::if_:
        if (!add_all(out, possible_values(e.args[1], m, depth + 1)) ||
            !add_all(out, possible_values(e.args[2], m, depth + 1)))
            return std::nullopt;
        return out;
    case Op::coalesce:
        for (const auto& a : e.args)
            if (!add_all(out, possible_values(a, m, depth + 1))) return std::nullopt;
        return out;
    case Op::concat:
        for (double v : e.list) add_unique(out, v);
        return out;
    case Op::result: {
        const auto r = static_cast<std::size_t>(e.index);
        if (r >= m.results.size() || m.results[r].expr.type.kind == Kind::error) return std::nullopt;
        return possible_values(m.results[r].expr, m, depth + 1);
    }
    default:
        return std::nullopt;
    }
}

std::optional<std::string> part_text(const Model& m, const Expr& part, double v) {
    if (part.type.kind == Kind::category) return code_text(m, v);
    const auto whole = exact_int(v);
    if (!whole || *whole < 0) return std::nullopt;
    return std::to_string(*whole);
}

std::vector<std::string> missing_codes(const Model& m, const std::vector<double>& values, int scale) {
    std::vector<std::string> out;
    const Scale& sc = m.scales[static_cast<std::size_t>(scale)];
    for (double v : values) {
        const auto code = exact_int(v);
        if (!code || !sc.rank.count(*code)) out.push_back(code_text(m, v));
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace detail
KELIAS_END_NAMESPACE
