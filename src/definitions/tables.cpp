// Tables: points, bands, conversions and cut-offs.
#include <algorithm>
#include <charconv>
#include <sstream>

#include "base/checked.hpp"
#include "base/text.hpp"
#include "definitions/definition_reader.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

// A table cell: a number, or a code interned in the string pool.
std::optional<std::pair<double, bool>> DefinitionReader::table_cell(const YAML::Node& v, const std::string& what) {
    if (!r_.expect_scalar(v, what)) return std::nullopt;
    const std::string& t = v.Scalar();
    double x;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), x);
    if (ec == std::errc() && p == t.data() + t.size()) return std::make_pair(x, true);
    if (is_code(t)) return std::make_pair(static_cast<double>(m_.intern(t)), false);
    r_.error(v, DiagnosticCode::invalid_table, what + " must be a number or a code, not '" + for_message(t) + "'");
    return std::nullopt;
}

void DefinitionReader::read_table_default(const YAML::Node& t, Table& table) {
    if (const YAML::Node& def = t["default"]; def.IsDefined()) {
        table.has_default = true;
        if (!def.IsNull() && def.IsScalar() && def.Scalar() != "null") {
            if (auto cell = table_cell(def, "default")) table.default_value = cell->first;
        } else if (!def.IsNull() && !def.IsScalar()) {
            r_.expect_scalar(def, "default");
        }
    }
}

bool DefinitionReader::read_table_output(const YAML::Node& out, Table& table, bool numeric_values) {
    if (!r_.expect_scalar(out, "output")) return true;
    auto s = m_.scale_index.find(out.Scalar());
    if (s == m_.scale_index.end() || m_.scales[static_cast<std::size_t>(s->second)].numeric) {
        std::vector<std::string> ids;
        for (const auto& sc : m_.scales)
            if (!sc.numeric) ids.push_back(sc.id);
        r_.error(out, DiagnosticCode::invalid_table,
                 "output '" + for_message(out.Scalar()) + "' is not a scale of codes", did_you_mean(out.Scalar(), ids));
        return false;
    }
    if (numeric_values) {
        r_.error(out, DiagnosticCode::invalid_table,
                 "table '" + table.id + "' gives numbers, so it cannot output scale '" + out.Scalar() + "'");
        return false;
    }
    const Scale& sc = m_.scales[static_cast<std::size_t>(s->second)];
    bool ok = true;
    for (const auto& row : table.rows) {
        const auto code = exact_int(row.value);
        if (code && sc.rank.count(*code)) continue;
        r_.error(row.value_where, DiagnosticCode::code_not_in_scale,
                 "'" + code_text(m_, row.value) + "' is not a code of scale '" + sc.id + "'");
        ok = false;
    }
    table.output.scale = s->second;
    return ok;
}

void DefinitionReader::read_tables(const YAML::Node& n) {
    if (!n.IsDefined() || !r_.expect_map(n, "tables")) return;
    for (auto it = n.begin(); it != n.end(); ++it) {
        auto id = r_.id(it->first, "table id");
        if (!id || !claim_name(*id, it->first, "table") || !r_.expect_map(it->second, "table '" + *id + "'")) continue;
        YAML::Node t = it->second;  // a copy: it-> goes through a temporary proxy
        r_.check_keys(t, {"kind", "rows", "keys", "cells", "default", "output", "label", "description"},
                      "table '" + *id + "'");
        Table table;
        table.id = *id;
        table.where = r_.at(it->first);
        if (t["kind"].IsDefined() && r_.expect_scalar(t["kind"], "kind")) {
            table.kind = t["kind"].Scalar();
            static const std::vector<std::string> kinds = {"points", "bands", "conversion", "cutoffs", "grid"};
            if (std::find(kinds.begin(), kinds.end(), table.kind) == kinds.end()) {
                const std::string hint = did_you_mean(table.kind, kinds);
                r_.error(t["kind"], DiagnosticCode::invalid_table,
                         "unknown table kind '" + for_message(table.kind) + "'",
                         hint.empty() ? "use points, bands, conversion, cutoffs or grid" : hint);
            }
        }
        if (t["keys"].IsDefined()) {  // a keyed table (keyed_tables.cpp)
            const bool keyed_ok = read_keyed_table(t, table);
            read_table_default(t, table);
            if (!keyed_ok) continue;
            m_.table_index[*id] = static_cast<int>(m_.tables.size());
            m_.tables.push_back(std::move(table));
            continue;
        }
        bool ok = true;
        int numeric_inputs = 0, coded_inputs = 0, numeric_values = 0, coded_values = 0;
        auto rows = r_.required(t, "rows", "table '" + *id + "'");
        if (!rows || !r_.expect_list(*rows, "rows")) continue;
        for (const auto& row : *rows) {
            if (!r_.expect_map(row, "a table row")) {
                ok = false;
                continue;
            }
            r_.check_keys(row, {"equals", "min", "max", "above", "below", "value", "label"}, "a table row");
            TableRow tr;
            tr.where = r_.at(row);
            std::ostringstream text;
            for (const char* key : {"equals", "min", "max", "above", "below"}) {
                if (!row[key].IsDefined()) continue;
                auto cell = table_cell(row[key], key);
                if (!cell) {
                    ok = false;
                    continue;
                }
                text << (text.tellp() > 0 ? ", " : "") << key << ' ' << row[key].Scalar();
                const std::string k = key;
                if (k == "equals") {
                    tr.equals = cell->first;
                    (cell->second ? numeric_inputs : coded_inputs)++;
                } else if (!cell->second) {
                    r_.error(row[key], DiagnosticCode::invalid_table, "'" + k + "' needs a number",
                             "match a code with 'equals'");
                    ok = false;
                } else {
                    ++numeric_inputs;
                    (k == "min" ? tr.min : k == "max" ? tr.max : k == "above" ? tr.above : tr.below) = cell->first;
                }
            }
            tr.text = text.str().empty() ? "otherwise" : text.str();
            if (!row["value"].IsDefined()) {
                r_.error(row, DiagnosticCode::invalid_table, "a table row needs a 'value'",
                         "add value: (a number or a code)");
                ok = false;
                continue;
            }
            const YAML::Node value = row["value"];
            auto cell = table_cell(value, "value");
            if (!cell) {
                ok = false;
                continue;
            }
            tr.value = cell->first;
            tr.value_where = r_.at(value);
            (cell->second ? numeric_values : coded_values)++;
            tr.text += " -> " + value.Scalar();
            table.rows.push_back(tr);
        }
        if (numeric_inputs && coded_inputs) {
            r_.error(*rows, DiagnosticCode::invalid_table, "table '" + *id + "' matches both numbers and codes",
                     "use one kind of input per table");
            ok = false;
        }
        if (numeric_values && coded_values) {
            r_.error(*rows, DiagnosticCode::invalid_table, "table '" + *id + "' gives both numbers and codes",
                     "use one kind of value per table");
            ok = false;
        }
        table.input = Type{coded_inputs ? Kind::category : Kind::number, -1};
        table.output = Type{coded_values ? Kind::category : Kind::number, -1};
        if (const YAML::Node& out = t["output"]; out.IsDefined() && !read_table_output(out, table, numeric_values))
            ok = false;
        read_table_default(t, table);
        if (!ok) continue;
        m_.table_index[*id] = static_cast<int>(m_.tables.size());
        m_.tables.push_back(std::move(table));
    }
}

}  // namespace detail
KELIAS_END_NAMESPACE
