// Cells: reading one value of text for a field, and writing it back.
#include <charconv>
#include <cmath>
#include <cstdint>

#include <kelias/cell.hpp>
#include <kelias/ratings.hpp>

#include "base/calendar.hpp"
#include "base/checked.hpp"
#include "base/number_format.hpp"
#include "base/text.hpp"
#include "model/instrument_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace {

bool parse_number(std::string_view s, double& out) noexcept {
    if (s.size() == 1 && s[0] >= '0' && s[0] <= '9') {  // the common case: a 0-2 rating
        out = s[0] - '0';
        return true;
    }
    const char* first = s.data();
    if (!s.empty() && s[0] == '+') ++first;
    auto [p, ec] = std::from_chars(first, s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size() && std::isfinite(out);
}

}  // namespace

namespace detail {

int Model::intern(const std::string& s) {
    auto [it, inserted] = string_ids.emplace(s, static_cast<int>(strings.size()));
    if (inserted) strings.push_back(s);
    return it->second;
}

std::string type_name(const Type& t) {
    switch (t.kind) {
    case Kind::number:
        return "number";
    case Kind::boolean:
        return "bool";
    case Kind::category:
        return "category";
    case Kind::date:
        return "date";
    case Kind::duration:
        return "duration";
    case Kind::list:
        return "list";
    case Kind::error:
        return "error";
    }
    return "?";
}

Expr bool_constant(bool value) {
    Expr e;
    e.op = Op::constant;
    e.type = Type{Kind::boolean};
    e.number = value ? 1 : 0;
    return e;
}

Expr result_ref(int result, Type type) {
    Expr e;
    e.op = Op::result;
    e.index = result;
    e.type = type;
    return e;
}

int field_for_column(const Model& m, std::string_view column) noexcept {
    try {
        const std::string name(column);
        if (auto it = m.field_by_column.find(name); it != m.field_by_column.end()) return static_cast<int>(it->second);
        if (auto it = m.field_by_alias.find(name); it != m.field_by_alias.end()) return static_cast<int>(it->second);
    } catch (...) {  // no memory for the name: no field
    }
    return -1;
}

namespace {

// One code of a field (exact, regardless of case, or a `code_aliases:` spelling, also
// regardless of case): its position among the field's codes, or -1. A scale never has two
// codes, nor a field two aliases, that differ only by case, so the match is unique.
int field_code_position(const Model& m, const FieldInfo& f, int scale_index, std::string_view text) noexcept {
    for (std::size_t i = 0; i < f.codes.size(); ++i)
        if (f.codes[i] == text) return static_cast<int>(i);
    if (const int i = find_code_ignore_case(m, scale_index, text); i >= 0) return i;
    for (const auto& [alias, code] : f.code_aliases) {
        if (!equal_ignoring_ascii_case(alias, text)) continue;
        for (std::size_t i = 0; i < f.codes.size(); ++i)
            if (f.codes[i] == code) return static_cast<int>(i);
    }
    return -1;
}

// A set of codes as written: `a|b|c`, or `[]` for the empty set. Bit i of `mask` is the
// field's i-th code; a code given twice counts once.
const char* parse_code_set(const Model& m, const FieldInfo& f, int scale_index, std::string_view text,
                           double& mask) noexcept {
    mask = 0;
    if (text == "[]") return nullptr;
    std::uint64_t bits = 0;
    while (true) {
        const std::size_t bar = text.find('|');
        const std::string_view code = trim(text.substr(0, bar));
        if (code.empty()) return "an empty code in a set of codes (write [] for no codes)";
        const int i = field_code_position(m, f, scale_index, code);
        if (i < 0 || i >= static_cast<int>(max_set_codes)) return "not one of the field's codes";
        bits |= std::uint64_t{1} << i;
        if (bar == std::string_view::npos) break;
        text.remove_prefix(bar + 1);
    }
    mask = static_cast<double>(bits);
    return nullptr;
}

}  // namespace

ParsedCell parse_field_cell(const Model& m, const FieldInfo& f, int scale_index, std::string_view text) noexcept {
    ParsedCell out;
    text = trim(text);
    if (text.empty() || text == "omitted") return out;
    if (text == "na" || text == "NA" || text == "n/a") {
        if (!f.allows_na)
            out.error = "'na' is not allowed for this field";
        else
            out.state = CellState::na;
        return out;
    }
    out.state = CellState::value;
    switch (f.type) {
    case FieldType::codes:
        out.error = parse_code_set(m, f, scale_index, text, out.value);
        break;
    case FieldType::boolean:
        if (equal_ignoring_ascii_case(text, "true") || text == "1")
            out.value = 1;
        else if (equal_ignoring_ascii_case(text, "false") || text == "0")
            out.value = 0;
        else
            out.error = "expected true or false";
        break;
    case FieldType::date:
        if (auto date = parse_date(text))
            out.value = date->days;
        else
            out.error = "expected a date YYYY-MM-DD";
        break;
    case FieldType::duration:
        if (auto dur = parse_duration(text))
            out.value = duration_to_column(*dur);
        else
            out.error = "expected an ISO-8601 duration such as P6M (at most 10000 years)";
        break;
    case FieldType::integer:
    case FieldType::number:
        if (!parse_number(text, out.value))
            out.error = "expected a number";
        else if (f.type == FieldType::integer && out.value != std::floor(out.value))
            out.error = "expected a whole number";
        else if (f.min && out.value < *f.min)
            out.error = "below the field's minimum";
        else if (f.max && out.value > *f.max)
            out.error = "above the field's maximum";
        break;
    case FieldType::rating:
    case FieldType::category:
        if (!f.levels.empty()) {
            if (!parse_number(text, out.value)) {
                out.error = "expected a rating on the field's scale";
            } else {
                bool found = false;
                for (double l : f.levels) found |= l == out.value;
                if (!found) out.error = "not a value of the field's scale";
            }
        } else {
            out.error = "not one of the field's codes";
            if (scale_index < 0 || static_cast<std::size_t>(scale_index) >= m.scales.size()) break;
            const Scale& scale = m.scales[static_cast<std::size_t>(scale_index)];
            const int i = field_code_position(m, f, scale_index, text);
            if (i >= 0 && static_cast<std::size_t>(i) < scale.codes.size()) {
                out.value = scale.codes[static_cast<std::size_t>(i)];
                out.error = nullptr;
            }
        }
        break;
    }
    if (out.error) {
        out.state = CellState::omitted;
        out.value = 0;
    }
    return out;
}

const std::string& code_text(const Model& m, double code) {
    static const std::string unknown = "?";
    const auto index = index_from_column(code, m.strings.size());
    return index ? m.strings[*index] : unknown;
}

std::string cell_text(const Model& m, const FieldInfo& f, double v, CellState state) {
    switch (state) {
    case CellState::na:
        return "na";
    case CellState::omitted:
        return "omitted";
    case CellState::value:
        break;
    }
    switch (f.type) {
    case FieldType::boolean:
        return v != 0 ? "true" : "false";
    case FieldType::date: {
        const auto date = date_from_column(v);
        return date ? to_string(*date) : "?";
    }
    case FieldType::duration:
        return to_string(duration_from_column(v));
    case FieldType::codes: {
        if (!(v >= 0 && v < 0x1p53 && v == std::floor(v))) return "?";
        const auto bits = static_cast<std::uint64_t>(v);
        std::string out;
        for (std::size_t i = 0; i < f.codes.size() && i < max_set_codes; ++i)
            if ((bits >> i) & 1U) out += (out.empty() ? "" : "|") + f.codes[i];
        return out.empty() ? "[]" : out;
    }
    case FieldType::category:
    case FieldType::rating:
        if (f.levels.empty()) return code_text(m, v);
        [[fallthrough]];
    default: {
        std::string out;
        append_number(out, v);
        return out;
    }
    }
}

double category_rank(const Model& m, int scale, double code) {
    if (scale < 0) return code;
    const auto c = exact_int(code);
    if (!c) return -1;
    const auto& rank = m.scales[static_cast<std::size_t>(scale)].rank;
    auto it = rank.find(*c);
    return it == rank.end() ? -1 : it->second;
}

std::optional<double> code_value(const Model& m, int scale, double code) {
    if (scale < 0) return std::nullopt;
    const Scale& s = m.scales[static_cast<std::size_t>(scale)];
    const auto c = exact_int(code);
    if (!c || s.values.empty()) return std::nullopt;
    auto it = s.rank.find(*c);
    if (it == s.rank.end() || static_cast<std::size_t>(it->second) >= s.values.size()) return std::nullopt;
    return s.values[static_cast<std::size_t>(it->second)];
}

double code_at_rank(const Model& m, int scale, double rank) {
    if (scale < 0) return -1;
    const Scale& s = m.scales[static_cast<std::size_t>(scale)];
    const auto r = exact_int(rank);
    if (!r || *r < 0 || static_cast<std::size_t>(*r) >= s.codes.size()) return -1;
    return s.codes[static_cast<std::size_t>(*r)];
}

int find_code_ignore_case(const Model& m, int scale, std::string_view text) noexcept {
    if (scale < 0 || static_cast<std::size_t>(scale) >= m.scales.size()) return -1;
    const Scale& s = m.scales[static_cast<std::size_t>(scale)];
    for (std::size_t i = 0; i < s.codes.size(); ++i) {
        if (equal_ignoring_ascii_case(m.strings[static_cast<std::size_t>(s.codes[i])], text))
            return static_cast<int>(i);
    }
    return -1;
}

}  // namespace detail

const char* check_value(const Instrument& instrument, std::size_t field, double value) noexcept {
    const detail::InstrumentData& d = instrument.data();
    if (field >= d.fields.size()) return "no such field";
    if (!std::isfinite(value)) return "expected a finite number";
    const FieldInfo& f = d.fields[field];
    switch (f.type) {
    case FieldType::boolean:
        return value == 0 || value == 1 ? nullptr : "expected true or false (1 or 0)";
    case FieldType::date:
        return value == std::floor(value) && detail::date_from_column(value) ? nullptr : "expected a date (whole days)";
    case FieldType::duration:
        return nullptr;
    case FieldType::integer:
    case FieldType::number:
        if (f.type == FieldType::integer && value != std::floor(value)) return "expected a whole number";
        if (f.min && value < *f.min) return "below the field's minimum";
        if (f.max && value > *f.max) return "above the field's maximum";
        return nullptr;
    case FieldType::rating:
    case FieldType::category:
        if (!f.levels.empty()) {
            for (double l : f.levels)
                if (l == value) return nullptr;
            return "not a value of the field's scale";
        }
        if (const int scale = d.field_models[field].scale;
            scale >= 0 && static_cast<std::size_t>(scale) < d.scales.size()) {
            const auto& codes = d.scales[static_cast<std::size_t>(scale)].codes;
            for (std::size_t i = 0; i < f.codes.size() && i < codes.size(); ++i)
                if (codes[i] == value) return nullptr;
        }
        return "not one of the field's codes";
    case FieldType::codes: {
        const double all = std::ldexp(1.0, static_cast<int>(std::min(f.codes.size(), detail::max_set_codes)));
        return value >= 0 && value < all && value == std::floor(value) ? nullptr : "not a set of the field's codes";
    }
    }
    return nullptr;
}

ParsedCell parse_cell(const Instrument& instrument, std::size_t field, std::string_view text) noexcept {
    const detail::InstrumentData& d = instrument.data();
    if (field >= d.fields.size()) return ParsedCell{CellState::omitted, 0, "no such field"};
    return detail::parse_field_cell(d, d.fields[field], d.field_models[field].scale, text);
}

KELIAS_END_NAMESPACE
