// Reasons written when asked for: the rule set's condition data and a case's snapshot of
// the values its conditions read.
#include <kelias/rules.hpp>

#include <algorithm>

#include "base/checked.hpp"
#include "base/json_writer.hpp"
#include "base/local_format.hpp"
#include "evaluation/decided_case.hpp"
#include "model/case_columns.hpp"

KELIAS_BEGIN_NAMESPACE

namespace detail {

DecisionLayout::DecisionLayout(const RuleSet& r) : rules(r) {
    const RuleSetData& rd = data();
    const Model& m = rd.model;
    result_slot.assign(m.results.size(), -1);
    column_slot.assign(m.fields.size(), -1);
    list_slot.assign(m.lists.size(), -1);
    auto keep = [&](std::vector<int>& slot, Source::Kind kind, int index) {
        auto& s = slot[static_cast<std::size_t>(index)];
        if (s >= 0) return;
        s = static_cast<int>(sources.size());
        sources.push_back({kind, index});
    };
    // What every case's reason for a leaf shares: the params it reads, as written, and its
    // placeholders (each expression once, English text first).
    for (const auto& prog : rd.programmes) {
        auto& extras = leaves.emplace_back();
        for (const auto& leaf : prog.leaves) {
            Leaf& x = extras.emplace_back();
            for (const auto& id : leaf.info.params)
                if (const auto p = std::find_if(rd.params.begin(), rd.params.end(),
                                                [&](const ParamInfo& param) { return param.id == id; });
                    p != rd.params.end())
                    x.params.emplace_back(id, p->value);
            for (const auto* parts : {&leaf.text_en, &leaf.text_lt})
                for (const auto& part : *parts) {
                    if (part.result < 0) continue;
                    keep(result_slot, Source::Kind::result, part.result);
                    if (std::none_of(x.computed.begin(), x.computed.end(),
                                     [&](const auto& c) { return *c.first == part.expression; }))
                        x.computed.emplace_back(&part.expression, part.result);
                }
            std::vector<const Expr*> todo{&m.results[static_cast<std::size_t>(leaf.result)].expr};
            while (!todo.empty()) {
                const Expr* e = todo.back();
                todo.pop_back();
                for (const auto& a : e->args) todo.push_back(&a);
                if (e->op != Op::table || e->args.empty() || e->args[0].op != Op::field) continue;
                if (!m.tables[static_cast<std::size_t>(e->index)].keys.empty()) continue;  // coverage checked at load
                x.tables.emplace_back(e->index, e->args[0].index);
            }
            for (int c : leaf.columns) keep(column_slot, Source::Kind::column, c);
            for (int l : leaf.lists) keep(list_slot, Source::Kind::list, l);
            for (int choice : leaf.choices)
                keep(result_slot, Source::Kind::result, rd.choices[static_cast<std::size_t>(choice)].selected);
        }
    }
    auto name = [&](std::string n) {
        const auto at = std::find(names.begin(), names.end(), n);
        if (at != names.end()) return static_cast<int>(at - names.begin());
        names.push_back(std::move(n));
        return static_cast<int>(names.size() - 1);
    };
    for (const auto& req : rd.instruments) instrument_missing.push_back(name("assessments." + req.id));
    for (const auto& owner : rd.column_owners) {
        if (owner.role == ColumnOwner::Role::fact) {
            column_missing.push_back(name("facts." + owner.name));
            column_result_missing.push_back(column_missing.back());
            continue;
        }
        const auto& req = rd.instruments[static_cast<std::size_t>(owner.instrument)];
        column_missing.push_back(name("assessments." + req.id));
        column_result_missing.push_back(owner.role == ColumnOwner::Role::assessment_result
                                            ? name("assessments." + req.id + "." + owner.name)
                                            : column_missing.back());
    }
    for (const auto& list : m.lists) list_missing.push_back(name("facts." + list.id));
}

}  // namespace detail

namespace {

const std::string& no_text() {
    static const std::string empty;
    return empty;
}

// A Lithuanian text is given (the loader keeps an empty one for conditions without).
bool lithuanian(const detail::LeafModel& leaf) {
    return std::any_of(leaf.text_lt.begin(), leaf.text_lt.end(),
                       [](const detail::TextPart& p) { return p.result >= 0 || !p.literal.empty(); });
}

const detail::LeafModel& leaf_of(const detail::DecidedCase& c, std::uint32_t programme, std::uint32_t leaf) {
    return c.layout->data().programmes[programme].leaves[leaf];
}

// A computed placeholder's value for a person; "unknown" when the case lacks it.
std::string placeholder_value(const detail::DecidedCase& c, int result, Language language) {
    const detail::Model& m = c.layout->data().model;
    const auto r = static_cast<std::size_t>(result);
    const detail::Slot& s = c.slots[static_cast<std::size_t>(c.layout->result_slot[r])];
    if (s.state != detail::known_state) return language == Language::lt ? "nežinoma" : "unknown";
    switch (m.results[r].expr.type.kind) {
    case detail::Kind::date:
        if (const auto d = detail::date_from_column(s.value)) return to_string(*d);
        return language == Language::lt ? "nežinoma" : "unknown";
    case detail::Kind::boolean:
        return detail::yes_no(s.value != 0, language);
    default:
        return detail::number_text(s.value);
    }
}

// A column of an instrument the leaf reads only as an alternative chosen by age, when that
// alternative is not the one for this case (or the age is unknown): not an input to show.
// (A leaf that also reads such an instrument directly is taken to mean the alternative.)
bool other_age(const detail::DecidedCase& c, const detail::LeafModel& leaf, int column) {
    const detail::RuleSetData& rd = c.layout->data();
    const detail::ColumnOwner& owner = rd.column_owners[static_cast<std::size_t>(column)];
    if (owner.role == detail::ColumnOwner::Role::fact) return false;
    for (int choice : leaf.choices) {
        const detail::AgeChoice& ch = rd.choices[static_cast<std::size_t>(choice)];
        const detail::Slot& s =
            c.slots[static_cast<std::size_t>(c.layout->result_slot[static_cast<std::size_t>(ch.selected)])];
        for (std::size_t k = 0; k < ch.alternatives.size(); ++k) {
            if (ch.alternatives[k].instrument != owner.instrument) continue;
            if (s.state != detail::known_state || static_cast<std::size_t>(s.value) != k) return true;
        }
    }
    return false;
}

}  // namespace

const std::string& Reason::id() const noexcept {
    return case_ ? leaf_of(*case_, programme_, leaf_).info.id : no_text();
}

const std::string& Reason::source() const noexcept {
    return case_ ? leaf_of(*case_, programme_, leaf_).info.source : no_text();
}

const std::string& Reason::confidence() const noexcept {
    return case_ ? leaf_of(*case_, programme_, leaf_).info.confidence : no_text();
}

bool Reason::exclusion() const noexcept { return case_ && leaf_of(*case_, programme_, leaf_).info.exclusion; }

bool Reason::has_lithuanian_text() const noexcept { return case_ && lithuanian(leaf_of(*case_, programme_, leaf_)); }

std::string Reason::text(Language language) const {
    std::string out;
    if (!case_) return out;
    const detail::LeafModel& leaf = leaf_of(*case_, programme_, leaf_);
    const bool lt = language == Language::lt && lithuanian(leaf);
    for (const auto& part : lt ? leaf.text_lt : leaf.text_en) {
        if (part.result < 0)
            out += part.literal;
        else
            out += placeholder_value(*case_, part.result, lt ? Language::lt : Language::en);
    }
    return out;
}

std::vector<std::pair<std::string, std::string>> Reason::inputs() const {
    std::vector<std::pair<std::string, std::string>> out;
    if (!case_) return out;
    const detail::DecidedCase& c = *case_;
    const detail::Model& m = c.layout->data().model;
    const detail::LeafModel& leaf = leaf_of(c, programme_, leaf_);
    for (int column : leaf.columns) {
        if (other_age(c, leaf, column)) continue;
        const auto k = static_cast<std::size_t>(column);
        const detail::Slot& s = c.slots[static_cast<std::size_t>(c.layout->column_slot[k])];
        out.emplace_back(m.fields[k].column,
                         detail::cell_text(m, m.fields[k], s.value, static_cast<CellState>(s.state)));
    }
    for (int l : leaf.lists) {
        const auto k = static_cast<std::size_t>(l);
        const detail::Slot& s = c.slots[static_cast<std::size_t>(c.layout->list_slot[k])];
        out.emplace_back(m.lists[k].id, s.state != detail::known_state
                                            ? std::string("omitted")
                                            : std::to_string(static_cast<std::int64_t>(s.value)) + " records");
    }
    return out;
}

const std::vector<std::pair<std::string, std::string>>& Reason::params() const noexcept {
    static const std::vector<std::pair<std::string, std::string>> none;
    return case_ ? case_->layout->leaves[programme_][leaf_].params : none;
}

std::vector<std::pair<std::string, std::string>> Reason::computed() const {
    std::vector<std::pair<std::string, std::string>> out;
    if (!case_) return out;
    for (const auto& [expression, result] : case_->layout->leaves[programme_][leaf_].computed)
        out.emplace_back(*expression, placeholder_value(*case_, result, Language::en));
    return out;
}

namespace detail {

void ReasonMaker::write_json(JsonWriter& w, const Reason& r, std::string& scratch) {
    w.begin_object().key("id").string(r.id()).key("source").string(r.source()).key("confidence").string(r.confidence());
    w.key("value");
    if (r.value_)
        w.boolean(*r.value_);
    else
        w.null();
    w.key("exclusion").boolean(r.exclusion()).key("against").boolean(r.against_).key("text");
    if (!r.case_) {
        w.string("").key("inputs").begin_object().end_object().end_object();
        return;
    }
    const DecidedCase& c = *r.case_;
    const Model& m = c.layout->data().model;
    const LeafModel& leaf = leaf_of(c, r.programme_, r.leaf_);
    scratch.clear();
    for (const auto& part : leaf.text_en) {
        if (part.result < 0)
            scratch += part.literal;
        else
            scratch += placeholder_value(c, part.result, Language::en);
    }
    w.string(scratch).key("inputs").begin_object();
    for (int column : leaf.columns) {
        if (other_age(c, leaf, column)) continue;
        const auto k = static_cast<std::size_t>(column);
        const Slot& s = c.slots[static_cast<std::size_t>(c.layout->column_slot[k])];
        w.key(m.fields[k].column).string(cell_text(m, m.fields[k], s.value, static_cast<CellState>(s.state)));
    }
    for (int l : leaf.lists) {
        const auto k = static_cast<std::size_t>(l);
        const Slot& s = c.slots[static_cast<std::size_t>(c.layout->list_slot[k])];
        w.key(m.lists[k].id);
        if (s.state != known_state)
            w.string("omitted");
        else
            w.string(std::to_string(static_cast<std::int64_t>(s.value)) + " records");
    }
    w.end_object();
    const DecisionLayout::Leaf& x = c.layout->leaves[r.programme_][r.leaf_];
    if (!x.params.empty()) {
        w.key("params").begin_object();
        for (const auto& [name, value] : x.params) w.key(name).string(value);
        w.end_object();
    }
    if (!x.computed.empty()) {
        w.key("computed").begin_object();
        for (const auto& [expression, result] : x.computed)
            w.key(*expression).string(placeholder_value(c, result, Language::en));
        w.end_object();
    }
    w.end_object();
}

}  // namespace detail

const LocalText& ProgrammeDecision::label() const noexcept {
    static const LocalText none;
    return case_ ? case_->layout->data().programmes[index_].info.label_text : none;
}

KELIAS_END_NAMESPACE
