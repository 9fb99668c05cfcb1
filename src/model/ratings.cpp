#include <kelias/ratings.hpp>

#include <charconv>
#include <cmath>

#include "model/model.hpp"
#include "base/number_format.hpp"

namespace kelias {
namespace {

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

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

bool equals_ignore_case(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != b[i]) return false;
    }
    return true;
}

}  // namespace

namespace detail {

ParsedCell parse_field_cell(const InstrumentData& d, const FieldInfo& f, int scale_index, std::string_view text) noexcept {
    ParsedCell out;
    text = trim(text);
    if (text.empty() || text == "omitted") return out;
    if (text == "na" || text == "NA" || text == "n/a") {
        if (!f.allows_na) out.error = "'na' is not allowed for this field";
        else out.state = CellState::na;
        return out;
    }
    out.state = CellState::value;
    switch (f.type) {
        case FieldType::boolean:
            if (equals_ignore_case(text, "true") || text == "1") out.value = 1;
            else if (equals_ignore_case(text, "false") || text == "0") out.value = 0;
            else out.error = "expected true or false";
            break;
        case FieldType::date:
            if (auto date = parse_date(text)) out.value = date->days;
            else out.error = "expected a date YYYY-MM-DD";
            break;
        case FieldType::duration:
            if (auto dur = parse_duration(text)) out.value = encode_duration(*dur);
            else out.error = "expected an ISO-8601 duration such as P6M";
            break;
        case FieldType::integer:
        case FieldType::number:
            if (!parse_number(text, out.value)) out.error = "expected a number";
            else if (f.type == FieldType::integer && out.value != std::floor(out.value)) out.error = "expected a whole number";
            else if (f.min && out.value < *f.min) out.error = "below the field's minimum";
            else if (f.max && out.value > *f.max) out.error = "above the field's maximum";
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
                const Scale& scale = d.scales[static_cast<std::size_t>(scale_index)];
                out.error = "not one of the field's codes";
                for (std::size_t i = 0; i < f.codes.size(); ++i)
                    if (f.codes[i] == text) {
                        out.value = scale.codes[i];
                        out.error = nullptr;
                        break;
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

}  // namespace detail

ParsedCell parse_cell(const Instrument& instrument, std::size_t field, std::string_view text) noexcept {
    const detail::InstrumentData& d = instrument.data();
    return detail::parse_field_cell(d, d.fields[field], d.field_models[field].scale, text);
}

RatingsBatch::RatingsBatch(const Instrument& instrument, std::size_t rows)
    : instrument_(instrument), ids_(rows) {
    const auto cols = static_cast<Eigen::Index>(instrument.fields().size());
    values_ = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(rows), cols);
    states_ = StateMatrix::Constant(static_cast<Eigen::Index>(rows), cols, static_cast<std::uint8_t>(CellState::omitted));
    as_of_ = Eigen::ArrayXd::Zero(static_cast<Eigen::Index>(rows));
    as_of_state_ = Eigen::Array<std::uint8_t, Eigen::Dynamic, 1>::Constant(static_cast<Eigen::Index>(rows), 2);
}

void RatingsBatch::resize(std::size_t rows) {
    const auto r = static_cast<Eigen::Index>(rows);
    ids_.assign(rows, std::string());
    values_.setZero(r, values_.cols());
    states_.setConstant(r, states_.cols(), static_cast<std::uint8_t>(CellState::omitted));
    as_of_.setZero(r);
    as_of_state_.setConstant(r, 2);
}

void RatingsBatch::set_value(std::size_t row, std::size_t field, double v) noexcept {
    values_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(field)) = v;
    states_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(field)) = 0;
}

void RatingsBatch::set_na(std::size_t row, std::size_t field) noexcept {
    values_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(field)) = 0;
    states_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(field)) = static_cast<std::uint8_t>(CellState::na);
}

void RatingsBatch::set_omitted(std::size_t row, std::size_t field) noexcept {
    values_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(field)) = 0;
    states_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(field)) = static_cast<std::uint8_t>(CellState::omitted);
}

const char* RatingsBatch::set_text(std::size_t row, std::size_t field, std::string_view text) noexcept {
    ParsedCell c = parse_cell(instrument_, field, text);
    values_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(field)) = c.value;
    states_(static_cast<Eigen::Index>(row), static_cast<Eigen::Index>(field)) = static_cast<std::uint8_t>(c.state);
    return c.error;
}

void RatingsBatch::set_as_of(std::size_t row, std::optional<Date> d) {
    as_of_[static_cast<Eigen::Index>(row)] = d ? d->days : 0;
    as_of_state_[static_cast<Eigen::Index>(row)] = d ? 0 : 2;
}

std::optional<Date> RatingsBatch::as_of(std::size_t row) const {
    if (as_of_state_[static_cast<Eigen::Index>(row)] != 0) return std::nullopt;
    return Date{static_cast<int>(as_of_[static_cast<Eigen::Index>(row)])};
}

std::string RatingsBatch::text(std::size_t row, std::size_t field) const {
    switch (state(row, field)) {
        case CellState::na: return "na";
        case CellState::omitted: return "";
        case CellState::value: break;
    }
    const double v = value(row, field);
    const FieldInfo& f = instrument_.fields()[field];
    switch (f.type) {
        case FieldType::boolean: return v != 0 ? "true" : "false";
        case FieldType::date: return to_string(Date{static_cast<int>(v)});
        case FieldType::duration: return to_string(detail::decode_duration(v));
        case FieldType::category:
        case FieldType::rating:
            if (f.levels.empty()) return instrument_.data().strings[static_cast<std::size_t>(v)];
            [[fallthrough]];
        default: {
            std::string out;
            detail::append_number(out, v);
            return out;
        }
    }
}

}  // namespace kelias
