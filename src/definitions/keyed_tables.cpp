// Keyed tables (grids): a value per combination of bands or codes of two or more inputs,
// such as a risk matrix. Coverage is checked when the file loads: every combination has
// exactly one cell (an explicit `null` or `unknown` for a deliberate gap), the bands of a
// key do not overlap, and no code or label is listed twice.
#include <algorithm>
#include <limits>
#include <set>

#include "base/checked.hpp"
#include "base/text.hpp"
#include "definitions/definition_reader.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

/// The numbers a band matches, as an interval with open or closed ends.
struct Interval {
    double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
    bool lo_closed = false, hi_closed = false;
};

Interval interval_of(const TableRow& r) {
    Interval i;
    if (r.equals) {
        i.lo = i.hi = *r.equals;
        i.lo_closed = i.hi_closed = true;
    }
    if (r.min && (*r.min > i.lo || (*r.min == i.lo && !i.lo_closed))) i = {*r.min, i.hi, true, i.hi_closed};
    if (r.above && *r.above >= i.lo) i = {*r.above, i.hi, false, i.hi_closed};
    if (r.max && (*r.max < i.hi || (*r.max == i.hi && !i.hi_closed))) i = {i.lo, *r.max, i.lo_closed, true};
    if (r.below && *r.below <= i.hi) i = {i.lo, *r.below, i.lo_closed, false};
    return i;
}

bool is_empty(const Interval& i) { return i.lo > i.hi || (i.lo == i.hi && !(i.lo_closed && i.hi_closed)); }

bool overlap(const Interval& a, const Interval& b) {
    Interval both;
    both.lo = std::max(a.lo, b.lo);
    both.hi = std::min(a.hi, b.hi);
    both.lo_closed = (a.lo != both.lo || a.lo_closed) && (b.lo != both.lo || b.lo_closed);
    both.hi_closed = (a.hi != both.hi || a.hi_closed) && (b.hi != both.hi || b.hi_closed);
    return !is_empty(both);
}

std::string labels_text(const std::vector<std::string>& labels) {
    std::string out;
    for (const auto& l : labels) out += (out.empty() ? "" : ", ") + l;
    return out;
}

}  // namespace

std::vector<std::string> DefinitionReader::key_labels(const TableKey& key) const {
    std::vector<std::string> out;
    if (key.coded)
        for (double c : key.codes) out.push_back(m_.strings[static_cast<std::size_t>(c)]);
    else
        for (const auto& b : key.bands) out.push_back(b.text);
    return out;
}

std::optional<TableKey> DefinitionReader::read_table_key(const YAML::Node& k, const std::string& table) {
    if (!r_.expect_map(k, "a key of table '" + table + "'")) return std::nullopt;
    r_.check_keys(k, {"name", "bands", "codes", "label", "description"}, "a key of table '" + table + "'");
    TableKey key;
    key.where = r_.at(k);
    auto name = r_.required(k, "name", "a key of table '" + table + "'");
    if (!name) return std::nullopt;
    auto id = r_.id(*name, "key name");
    if (!id) return std::nullopt;
    key.name = *id;
    if (k["label"].IsDefined()) r_.labels(k["label"], "label");
    if (k["description"].IsDefined()) r_.labels(k["description"], "description");
    const YAML::Node bands = k["bands"], codes = k["codes"];
    if (bands.IsDefined() == codes.IsDefined()) {
        r_.error(k, DiagnosticCode::invalid_table, "key '" + key.name + "' needs either 'bands' or 'codes'",
                 "bands: [{label: low, below: 10}, ...] for a number, codes: [a, b] for a category");
        return std::nullopt;
    }
    bool ok = true;
    std::set<std::string> seen;
    if (codes.IsDefined()) {
        key.coded = true;
        if (!r_.expect_list(codes, "codes")) return std::nullopt;
        for (const auto& c : codes) {
            auto code = read_code(c, "code");
            if (!code) {
                ok = false;
                continue;
            }
            if (!seen.insert(*code).second) {
                r_.error(c, DiagnosticCode::table_coverage, "key '" + key.name + "' lists code '" + *code + "' twice",
                         "list each code once");
                ok = false;
                continue;
            }
            key.codes.push_back(static_cast<double>(m_.intern(*code)));
        }
    } else {
        if (!r_.expect_list(bands, "bands")) return std::nullopt;
        std::vector<Interval> intervals;
        for (const auto& b : bands) {
            if (!r_.expect_map(b, "a band")) {
                ok = false;
                continue;
            }
            r_.check_keys(b, {"label", "equals", "min", "max", "above", "below"}, "a band");
            auto label_node = r_.required(b, "label", "a band of key '" + key.name + "'");
            auto label = label_node ? r_.id(*label_node, "band label") : std::nullopt;
            if (!label) {
                ok = false;
                continue;
            }
            TableRow band;
            band.where = r_.at(b);
            band.text = *label;
            for (const char* cond : {"equals", "min", "max", "above", "below"}) {
                if (!b[cond].IsDefined()) continue;
                auto x = r_.number(b[cond], cond);
                if (!x) {
                    ok = false;
                    continue;
                }
                const std::string c = cond;
                (c == "equals"  ? band.equals
                 : c == "min"   ? band.min
                 : c == "max"   ? band.max
                 : c == "above" ? band.above
                                : band.below) = *x;
            }
            if (!seen.insert(*label).second) {
                r_.error(*label_node, DiagnosticCode::table_coverage,
                         "key '" + key.name + "' has two bands labelled '" + *label + "'",
                         "give each band its own label");
                ok = false;
                continue;
            }
            const Interval in = interval_of(band);
            if (is_empty(in)) {
                r_.error(b, DiagnosticCode::invalid_table, "band '" + *label + "' matches no number",
                         "check its min, max, above and below");
                ok = false;
                continue;
            }
            for (std::size_t j = 0; j < intervals.size(); ++j)
                if (overlap(intervals[j], in)) {
                    const TableRow& other = key.bands[j];
                    r_.error(b, DiagnosticCode::table_coverage,
                             "band '" + *label + "' of key '" + key.name + "' overlaps band '" + other.text +
                                 "' (line " + std::to_string(other.where.line) + ")",
                             "a number must fall in one band only: use below/above to share a boundary");
                    ok = false;
                }
            intervals.push_back(in);
            key.bands.push_back(std::move(band));
        }
    }
    if (ok && key.size() == 0) {
        r_.error(k, DiagnosticCode::invalid_table, "key '" + key.name + "' has no bands or codes");
        ok = false;
    }
    if (!ok) return std::nullopt;
    return key;
}

void DefinitionReader::read_cells(const YAML::Node& n, std::size_t depth, std::size_t offset, Table& table, bool& ok,
                                  int& numbers, int& codes) {
    const TableKey& key = table.keys[depth];
    const std::vector<std::string> labels = key_labels(key);
    std::size_t stride = 1;
    for (std::size_t d = depth + 1; d < table.keys.size(); ++d) stride *= table.keys[d].size();
    if (depth + 1 == table.keys.size()) {
        if (!r_.expect_list(n, "a row of cells")) {
            ok = false;
            return;
        }
        if (n.size() != key.size()) {
            r_.error(n, DiagnosticCode::table_coverage,
                     std::to_string(n.size()) + (n.size() == 1 ? " cell" : " cells") + " for the " +
                         std::to_string(key.size()) + " " + (key.coded ? "codes" : "bands") + " of key '" + key.name +
                         "'",
                     "one cell per " + (key.coded ? std::string("code") : std::string("band")) +
                         ", in order: " + labels_text(labels) + " (null for a deliberate gap)");
            ok = false;
            return;
        }
        for (std::size_t i = 0; i < n.size(); ++i) {
            const YAML::Node c = n[i];
            if (c.IsNull() || (c.IsScalar() && (c.Scalar() == "null" || c.Scalar() == "unknown"))) continue;
            auto cell = table_cell(c, "a cell");
            if (!cell) {
                ok = false;
                continue;
            }
            table.cells[offset + i] = cell->first;
            table.cell_known[offset + i] = 1;
            (cell->second ? numbers : codes)++;
            table.rows.push_back({});  // only for its place: `where` of the cell, for scale checks
            table.rows.back().value = cell->first;
            table.rows.back().value_where = r_.at(c);
        }
        return;
    }
    if (!r_.expect_map(n, "cells for key '" + key.name + "'")) {
        ok = false;
        return;
    }
    std::set<std::string> found;
    for (auto it = n.begin(); it != n.end(); ++it) {
        const YAML::Node k = it->first;
        const std::string label = k.IsScalar() ? k.Scalar() : std::string();
        const auto pos = std::find(labels.begin(), labels.end(), label);
        if (pos == labels.end()) {
            const std::string hint = did_you_mean(label, labels);
            r_.error(k, DiagnosticCode::table_coverage,
                     "'" + for_message(label) + "' is not a " + (key.coded ? "code" : "band") + " of key '" + key.name +
                         "'",
                     hint.empty() ? "use one of: " + labels_text(labels) : hint);
            ok = false;
            continue;
        }
        if (!found.insert(label).second) {
            r_.error(k, DiagnosticCode::duplicate_id, "'" + label + "' has cells twice", "give each row once");
            ok = false;
            continue;
        }
        const auto index = static_cast<std::size_t>(pos - labels.begin());
        read_cells(it->second, depth + 1, offset + index * stride, table, ok, numbers, codes);
    }
    std::vector<std::string> missing;
    for (const auto& l : labels)
        if (!found.count(l)) missing.push_back(l);
    if (!missing.empty()) {
        r_.error(n, DiagnosticCode::table_coverage,
                 "no cells for " + std::string(key.coded ? "code" : "band") + (missing.size() > 1 ? "s " : " ") +
                     labels_text(missing) + " of key '" + key.name + "'",
                 "add a row for each (null cells for deliberate gaps)");
        ok = false;
    }
}

bool DefinitionReader::read_keyed_table(const YAML::Node& t, Table& table) {
    const YAML::Node keys = t["keys"];
    if (!r_.expect_list(keys, "keys")) return false;
    if (t["rows"].IsDefined()) {
        r_.error(r_.key_node(t, "rows"), DiagnosticCode::invalid_table,
                 "table '" + table.id + "' has both 'keys' and 'rows'",
                 "a keyed table gives its values in 'cells'; a one-key table in 'rows'");
        return false;
    }
    if (keys.size() < 2) {
        r_.error(keys, DiagnosticCode::invalid_table, "a keyed table needs two or more keys",
                 "for one input, write 'rows' (bands or codes in order)");
        return false;
    }
    bool ok = true;
    std::set<std::string> names;
    for (const auto& k : keys) {
        auto key = read_table_key(k, table.id);
        if (!key) {
            ok = false;
            continue;
        }
        if (!names.insert(key->name).second) {
            r_.error(k, DiagnosticCode::invalid_table,
                     "table '" + table.id + "' has two keys named '" + key->name + "'");
            ok = false;
            continue;
        }
        table.keys.push_back(std::move(*key));
    }
    if (!ok) return false;
    std::size_t combinations = 1;
    for (const auto& k : table.keys) {
        combinations *= k.size();
        if (combinations > 100000) {
            r_.error(keys, DiagnosticCode::limit_exceeded, "table '" + table.id + "' has more than 100000 cells",
                     "split the table");
            return false;
        }
    }
    table.cells.assign(combinations, 0.0);
    table.cell_known.assign(combinations, 0);
    auto cells = r_.required(t, "cells", "table '" + table.id + "'");
    if (!cells) return false;
    int numbers = 0, codes = 0;
    read_cells(*cells, 0, 0, table, ok, numbers, codes);
    if (numbers && codes) {
        r_.error(*cells, DiagnosticCode::invalid_table, "table '" + table.id + "' gives both numbers and codes",
                 "use one kind of value per table");
        ok = false;
    }
    table.output = Type{codes ? Kind::category : Kind::number, -1};
    table.input = Type{Kind::number, -1};  // per key: see `keys`
    if (const YAML::Node& out = t["output"]; ok && out.IsDefined() && !read_table_output(out, table, numbers > 0))
        ok = false;
    table.rows.clear();
    return ok;
}

}  // namespace detail
KELIAS_END_NAMESPACE
