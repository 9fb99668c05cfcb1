// Keyed tables (a value per combination of bands or codes) and composed codes, over the
// rows of a block.
#include <algorithm>

#include "evaluation/evaluator.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

int match_table_key(const TableKey& key, double x) {
    if (key.coded) {
        const auto it = std::find(key.codes.begin(), key.codes.end(), x);
        return it == key.codes.end() ? -1 : static_cast<int>(it - key.codes.begin());
    }
    for (std::size_t r = 0; r < key.bands.size(); ++r) {
        const TableRow& band = key.bands[r];
        if (band.equals && x != *band.equals) continue;
        if (band.min && x < *band.min) continue;
        if (band.max && x > *band.max) continue;
        if (band.above && x <= *band.above) continue;
        if (band.below && x >= *band.below) continue;
        return static_cast<int>(r);
    }
    return -1;
}

long keyed_table_cell(const Table& t, const std::vector<double>& x) {
    long cell = 0;
    for (std::size_t k = 0; k < t.keys.size(); ++k) {
        const int pos = match_table_key(t.keys[k], x[k]);
        if (pos < 0) return -1;
        cell = cell * static_cast<long>(t.keys[k].size()) + pos;
    }
    return cell;
}

Column keyed_lookup(const Table& t, const std::vector<Column>& keys) {
    const Eigen::Index n = keys.empty() ? 0 : keys[0].v.size();
    Column out{Eigen::ArrayXd::Zero(n), StateArray::Constant(n, unknown_state)};
    std::vector<double> x(keys.size());
    for (Eigen::Index i = 0; i < n; ++i) {
        bool known = true;
        for (std::size_t k = 0; k < keys.size(); ++k) {
            known = known && keys[k].s[i] == 0;
            x[k] = keys[k].v[i];
        }
        if (!known) continue;
        const long cell = keyed_table_cell(t, x);
        if (cell < 0) {
            if (t.default_value) {
                out.v[i] = *t.default_value;
                out.s[i] = known_state;
            }
            continue;
        }
        const auto c = static_cast<std::size_t>(cell);
        if (!t.cell_known[c]) continue;
        out.v[i] = t.cells[c];
        out.s[i] = known_state;
    }
    return out;
}

Column compose_codes(const Expr& e, const std::vector<Column>& parts) {
    const Eigen::Index n = parts.empty() ? 0 : parts[0].v.size();
    Column out{Eigen::ArrayXd::Zero(n), StateArray::Constant(n, unknown_state)};
    for (Eigen::Index i = 0; i < n; ++i) {
        std::size_t index = 0;
        bool known = true;
        for (std::size_t k = 0; k < parts.size() && known; ++k) {
            const auto& values = e.part_values[k];
            const auto it = std::find(values.begin(), values.end(), parts[k].v[i]);
            known = parts[k].s[i] == 0 && it != values.end();
            index = index * values.size() + static_cast<std::size_t>(it - values.begin());
        }
        if (!known) continue;
        out.v[i] = e.list[index];
        out.s[i] = known_state;
    }
    return out;
}

}  // namespace detail
KELIAS_END_NAMESPACE
