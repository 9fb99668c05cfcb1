// RuleSet: the public face of a compiled RuleSetData.
#include <kelias/rules.hpp>

#include "base/messages.hpp"
#include "model/rule_set_data.hpp"

KELIAS_BEGIN_NAMESPACE

namespace detail {
RuleSet make_rule_set(std::shared_ptr<const RuleSetData> data) { return RuleSet(std::move(data)); }
}  // namespace detail

std::string_view to_string(Decision d) noexcept {
    switch (d) {
    case Decision::eligible:
        return "eligible";
    case Decision::not_eligible:
        return "not_eligible";
    case Decision::undetermined:
        return "undetermined";
    }
    return "?";
}

std::string_view to_string(ParamType t) noexcept {
    switch (t) {
    case ParamType::number:
        return "number";
    case ParamType::fraction:
        return "fraction";
    case ParamType::integer:
        return "integer";
    case ParamType::boolean:
        return "bool";
    case ParamType::code:
        return "category";
    case ParamType::date:
        return "date";
    case ParamType::duration:
        return "duration";
    }
    return "?";
}

const std::string& RuleSet::id() const noexcept { return data_->model.id; }
const std::string& RuleSet::version() const noexcept { return data_->model.version; }
std::string RuleSet::key() const { return id() + "@" + version(); }
const std::string& RuleSet::hash() const noexcept { return data_->model.hash; }
const std::string& RuleSet::title() const noexcept { return data_->model.title; }
const std::string& RuleSet::file() const noexcept { return data_->model.file; }
Duration RuleSet::horizon() const noexcept { return data_->horizon; }
std::span<const ProgrammeInfo> RuleSet::programmes() const noexcept { return data_->programme_infos; }
std::span<const std::size_t> RuleSet::report_order() const noexcept { return data_->report_order; }
std::span<const ParamInfo> RuleSet::params() const noexcept { return data_->params; }
std::span<const FactInfo> RuleSet::facts() const noexcept { return data_->facts; }

bool RuleSet::same_definition(const RuleSet& other) const noexcept {
    return data_ == other.data_ || (data_ && other.data_ && data_->model.hash == other.data_->model.hash);
}

std::vector<std::pair<std::string, Instrument>> RuleSet::instruments() const {
    std::vector<std::pair<std::string, Instrument>> out;
    for (const auto& i : data_->instruments) out.emplace_back(i.id, i.instrument);
    return out;
}

const std::string* AgeChoiceInfo::instrument_for(int age) const noexcept {
    for (const auto& r : ranges)
        if (age >= r.from && (!r.below || age < *r.below)) return &r.instrument;
    return nullptr;
}

std::vector<AgeChoiceInfo> RuleSet::instruments_by_age() const {
    std::vector<AgeChoiceInfo> out;
    for (const auto& c : data_->choices) {
        AgeChoiceInfo info;
        info.id = c.id;
        info.birth_fact = c.birth_fact;
        for (const auto& a : c.alternatives)
            info.ranges.push_back({data_->instruments[static_cast<std::size_t>(a.instrument)].id, a.from,
                                   a.below < 0 ? std::nullopt : std::optional<int>(a.below)});
        out.push_back(std::move(info));
    }
    return out;
}

std::string RuleSet::describe(Language language) const {
    std::string out = title() + " (" + key() + ")\n  file:   " + file() + "\n  hash:   " + hash() + "\n";
    out += "  horizon for earliest dates: " + to_string(horizon()) + "\n";
    for (const auto& i : data_->instruments)
        out += "  reads " + i.instrument.key() + " as '" + i.id + "' (assessments up to " + to_string(i.max_age) +
               " old)\n";
    for (const auto& c : data_->choices) {
        out += "  reads '" + c.id + "' as the instrument for the age on as_of (from " + c.birth_fact + "):";
        for (const auto& a : c.alternatives)
            out += " " + data_->instruments[static_cast<std::size_t>(a.instrument)].id + " " + std::to_string(a.from) +
                   (a.below < 0 ? "+" : "-" + std::to_string(a.below - 1));
        out += "\n";
    }
    out += "facts:\n";
    for (const FactInfo& f : data_->facts) {
        out += "  " + f.name + (f.list ? "[]  list" : "  " + std::string(to_string(f.type)));
        if (f.type == FieldType::category && !f.list) {
            out += ':';
            for (const auto& v : f.values) out += " " + v;
        }
        out += "\n";
    }
    out += "params:\n";
    for (const auto& p : data_->params)
        out += "  " + p.id + " = " + p.value + (p.typed ? "  (" + std::string(to_string(p.type)) + ")" : "") +
               (p.unit.empty() ? "" : "  " + p.unit.in(language)) +
               (p.confidence.empty() ? "" : "  [" + p.confidence + "]") + (p.source.empty() ? "" : "  " + p.source) +
               "\n";
    out += "programmes:\n";
    for (std::size_t i : data_->report_order) {
        const ProgrammeInfo& p = data_->programme_infos[i];
        out += "  " + p.id + " (" + (p.kind.empty() ? "programme" : p.kind) + "): " + p.label_text.in(language) + "\n";
        const auto& leaves = data_->programmes[i].leaves;
        for (std::size_t l = 0; l < p.conditions.size(); ++l) {
            const ConditionInfo& c = p.conditions[l];
            // Params written in, values computed per case left as {EXPR}.
            const auto& parts =
                language == Language::lt && !leaves[l].text_lt.empty() ? leaves[l].text_lt : leaves[l].text_en;
            std::string text;
            for (const auto& part : parts) text += part.result < 0 ? part.literal : "{" + part.expression + "}";
            out += "    " +
                   std::string(detail::message(
                       c.exclusion ? detail::Message::excluded_when : detail::Message::requires_, language)) +
                   " " + c.id + ": " + text + (c.confidence.empty() ? "" : "  [" + c.confidence + "]") + "\n";
        }
    }
    return out;
}

KELIAS_END_NAMESPACE
