// Deciding rule sets over a CaseBatch: decisions by column, and full decisions with
// reasons, missing facts and earliest dates.
#include <kelias/rules.hpp>

#include <algorithm>

#include "base/checked.hpp"
#include "base/json_writer.hpp"
#include "evaluation/evaluator.hpp"
#include "model/case_columns.hpp"
#include "model/rule_set_data.hpp"

KELIAS_BEGIN_NAMESPACE

using detail::RuleSetData;
using Eigen::Index;

namespace detail {

void check_same_rules(const RuleSet& rules, const CaseBatch& cases) {
    const RuleSet& own = cases.storage().rules;
    if (own.same_definition(rules)) return;
    throw Error({{Severity::error,
                  DiagnosticCode::wrong_definition,
                  "the case batch was built for " + own.key() + " (" + own.hash() + "), not for " + rules.key() + " (" +
                      rules.hash() + ")",
                  "build the CaseBatch with the rule set you decide it with",
                  {}}});
}

}  // namespace detail

namespace {

std::optional<bool> truth(const detail::ScoredColumns& sc, std::size_t row, int result) {
    if (!sc.known(row, static_cast<std::size_t>(result))) return std::nullopt;
    return sc.value(row, static_cast<std::size_t>(result)) != 0;
}

Decision decision_at(const detail::ScoredColumns& sc, std::size_t row, std::size_t column) {
    if (!sc.known(row, column)) return Decision::undetermined;
    return sc.value(row, column) != 0 ? Decision::eligible : Decision::not_eligible;
}

/// One case's input columns repeated for a run of days: the rows of a search for the
/// earliest date.
class Replica {
public:
    Replica(const CaseBatch::Storage& s, std::size_t row, Date first, int days) : n_(static_cast<std::size_t>(days)) {
        values_.resize(s.values.size());
        states_.resize(s.states.size());
        for (std::size_t c = 0; c < s.values.size(); ++c) {
            values_[c].assign(n_, s.values[c][row]);
            states_[c].assign(n_, s.states[c][row]);
        }
        as_of_.resize(n_);
        for (std::size_t k = 0; k < n_; ++k) as_of_[k] = first.days + static_cast<double>(k);
        as_of_states_.assign(n_, detail::known_state);
        copy_lists(s, row);
        for (std::size_t c = 0; c < values_.size(); ++c) {
            in_.values.push_back(values_[c].data());
            in_.states.push_back(states_[c].data());
        }
        in_.as_of = as_of_.data();
        in_.as_of_state = as_of_states_.data();
        in_.rows = static_cast<Index>(n_);
    }

    const detail::InputColumns& input() const { return in_; }
    const std::vector<detail::ListStore>& lists() const { return lists_; }

private:
    void copy_lists(const CaseBatch::Storage& s, std::size_t row) {
        lists_.resize(s.lists.size());
        for (std::size_t l = 0; l < s.lists.size(); ++l) {
            const detail::ListStore& src = s.lists[l];
            detail::ListStore& dst = lists_[l];
            dst.values.resize(src.values.size());
            dst.states.resize(src.states.size());
            const auto from = static_cast<std::size_t>(src.offsets[row]),
                       to = static_cast<std::size_t>(src.offsets[row + 1]);
            for (std::size_t k = 0; k < n_; ++k) {
                dst.list_state.push_back(src.list_state[row]);
                for (std::size_t i = from; i < to; ++i) {
                    for (std::size_t f = 0; f < src.values.size(); ++f) {
                        dst.values[f].push_back(src.values[f][i]);
                        dst.states[f].push_back(src.states[f][i]);
                    }
                    dst.record_row.push_back(static_cast<std::int64_t>(k));
                }
                dst.offsets.push_back(static_cast<std::int64_t>(dst.record_row.size()));
            }
        }
    }

    std::size_t n_;
    std::vector<std::vector<double>> values_;
    std::vector<std::vector<std::uint8_t>> states_;
    std::vector<double> as_of_;
    std::vector<std::uint8_t> as_of_states_;
    std::vector<detail::ListStore> lists_;
    detail::InputColumns in_;
};

class DecisionBuilder {
public:
    DecisionBuilder(const RuleSetData& rd, const CaseBatch::Storage& s, const detail::ScoredColumns& sc)
        : rd_(rd), m_(rd.model), s_(s), sc_(sc) {
        // Programmes in the order their decisions are computed: a programme read through
        // eligible() comes before the programmes that read it.
        std::vector<std::size_t> position(m_.results.size());
        for (std::size_t k = 0; k < m_.order.size(); ++k) position[static_cast<std::size_t>(m_.order[k])] = k;
        for (std::size_t p = 0; p < rd_.programmes.size(); ++p) dependency_order_.push_back(p);
        std::sort(dependency_order_.begin(), dependency_order_.end(), [&](std::size_t a, std::size_t b) {
            return position[static_cast<std::size_t>(rd_.programmes[a].decision)] <
                   position[static_cast<std::size_t>(rd_.programmes[b].decision)];
        });
    }

    CaseDecisions build(std::size_t row, bool earliest) {
        CaseDecisions out;
        out.case_id = s_.ids[row];
        out.as_of = as_of(row);
        out.rules_key = m_.id + "@" + m_.version;
        out.rules_hash = m_.hash;
        out.assessments = detail::assessments_of(s_, row);
        const auto missing = missing_by_programme(row);
        std::vector<ProgrammeDecision> all(rd_.programmes.size());
        std::vector<std::size_t> to_search;
        for (std::size_t p = 0; p < rd_.programmes.size(); ++p) {
            all[p] = decide_one(row, p);
            if (all[p].decision != Decision::eligible) all[p].missing = missing[p];
            if (earliest && out.as_of && needs_search(row, all[p], p)) to_search.push_back(p);
        }
        if (!to_search.empty()) search_earliest(row, *out.as_of, to_search, all);
        for (std::size_t p : rd_.report_order) out.decisions.push_back(std::move(all[p]));
        return out;
    }

private:
    std::optional<Date> as_of(std::size_t row) const {
        if (s_.as_of_states[row] != detail::known_state) return std::nullopt;
        return detail::date_from_column(s_.as_of_days[row]);
    }

    std::optional<bool> node_value(std::size_t row, const detail::ProgrammeModel& prog, int node) const {
        return truth(sc_, row, prog.nodes[static_cast<std::size_t>(node)].result);
    }

    ProgrammeDecision decide_one(std::size_t row, std::size_t p) {
        const detail::ProgrammeModel& prog = rd_.programmes[p];
        ProgrammeDecision out;
        out.programme = prog.info.id;
        out.decision = decision_at(sc_, row, static_cast<std::size_t>(prog.decision));
        for (const auto& leaf : prog.leaves) out.reasons.push_back(reason(row, leaf));
        blame(row, prog, prog.eligible_root, true, out.reasons);
        blame(row, prog, prog.excluded_root, false, out.reasons);
        return out;
    }

    std::string cell_text(std::size_t row, int column) const {
        const auto c = static_cast<std::size_t>(column);
        return detail::cell_text(m_, m_.fields[c], s_.values[c][row], static_cast<CellState>(s_.states[c][row]));
    }

    Reason reason(std::size_t row, const detail::LeafModel& leaf) const {
        Reason r;
        r.id = leaf.info.id;
        r.source = leaf.info.source;
        r.confidence = leaf.info.confidence;
        r.text = leaf.info.text;
        r.exclusion = leaf.info.exclusion;
        r.value = truth(sc_, row, leaf.result);
        for (int c : leaf.columns)
            if (!other_age(row, leaf, c))
                r.inputs.emplace_back(m_.fields[static_cast<std::size_t>(c)].column, cell_text(row, c));
        for (int l : leaf.lists) {
            const auto& store = s_.lists[static_cast<std::size_t>(l)];
            r.inputs.emplace_back(m_.lists[static_cast<std::size_t>(l)].id,
                                  store.list_state[row] != detail::known_state
                                      ? std::string("omitted")
                                      : std::to_string(store.offsets[row + 1] - store.offsets[row]) + " records");
        }
        return r;
    }

    // Marks the leaves that make `node` differ from `want`: a false member of a failing
    // `all`, every member of a failing `any`; a satisfied `any` blames none of its members.
    void blame(std::size_t row, const detail::ProgrammeModel& prog, int node, bool want,
               std::vector<Reason>& reasons) const {
        if (node < 0) return;
        const auto value = node_value(row, prog, node);
        if (!value || *value == want) return;
        const detail::ConditionNode& n = prog.nodes[static_cast<std::size_t>(node)];
        using K = detail::ConditionNode::Kind;
        switch (n.kind) {
        case K::leaf:
            reasons[static_cast<std::size_t>(n.leaf)].against = true;
            return;
        case K::not_:
            for (int c : n.children) blame(row, prog, c, !want, reasons);
            return;
        case K::all:
        case K::any:
            for (int c : n.children) {
                const auto v = node_value(row, prog, c);
                if (v && *v == *value) blame(row, prog, c, want, reasons);  // only members on the wrong side
            }
            return;
        }
    }

    // The alternative of an instrument chosen by age that fits the case, or nullopt when its
    // age is unknown.
    std::optional<std::size_t> selected(std::size_t row, int choice) const {
        const detail::AgeChoice& c = rd_.choices[static_cast<std::size_t>(choice)];
        if (!sc_.known(row, static_cast<std::size_t>(c.selected))) return std::nullopt;
        return static_cast<std::size_t>(sc_.value(row, static_cast<std::size_t>(c.selected)));
    }

    // A column of an instrument the leaf reads only as an alternative chosen by age, when
    // that alternative is not the one for this case (or the age is unknown): neither an
    // input to show nor something missing. (A leaf that also reads such an instrument
    // directly is taken to mean the alternative.)
    bool other_age(std::size_t row, const detail::LeafModel& leaf, int column) const {
        const detail::ColumnOwner& owner = rd_.column_owners[static_cast<std::size_t>(column)];
        if (owner.role == detail::ColumnOwner::Role::fact) return false;
        for (int choice : leaf.choices) {
            const detail::AgeChoice& c = rd_.choices[static_cast<std::size_t>(choice)];
            for (std::size_t k = 0; k < c.alternatives.size(); ++k) {
                if (c.alternatives[k].instrument != owner.instrument) continue;
                const auto fits = selected(row, choice);
                if (!fits || *fits != k) return true;
            }
        }
        return false;
    }

    // How a missing column is named: `facts.x`, the whole assessment, or one of its results.
    std::string missing_name(std::size_t row, int column) const {
        const detail::ColumnOwner& owner = rd_.column_owners[static_cast<std::size_t>(column)];
        if (owner.role == detail::ColumnOwner::Role::fact) return "facts." + owner.name;
        const detail::RequiredInstrument& req = rd_.instruments[static_cast<std::size_t>(owner.instrument)];
        const bool assessed = s_.states[static_cast<std::size_t>(req.date_column)][row] == detail::known_state;
        if (owner.role == detail::ColumnOwner::Role::assessment_result && assessed)
            return "assessments." + req.id + "." + owner.name;
        return "assessments." + req.id;
    }

    // Omitted facts and assessments feeding a leaf whose value is unknown, per programme;
    // a programme read through eligible() adds what it misses itself.
    std::vector<std::vector<std::string>> missing_by_programme(std::size_t row) const {
        std::vector<std::vector<std::string>> all(rd_.programmes.size());
        for (std::size_t p : dependency_order_) {
            std::vector<std::string>& out = all[p];
            auto add = [&](const std::string& m) {
                if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
            };
            for (const auto& leaf : rd_.programmes[p].leaves) {
                if (sc_.known(row, static_cast<std::size_t>(leaf.result))) continue;
                if (leaf.fresh_instrument >= 0)
                    add("assessments." + rd_.instruments[static_cast<std::size_t>(leaf.fresh_instrument)].id);
                if (leaf.fresh_choice >= 0)
                    if (const auto k = selected(row, leaf.fresh_choice)) {
                        const detail::AgeChoice& c = rd_.choices[static_cast<std::size_t>(leaf.fresh_choice)];
                        add("assessments." +
                            rd_.instruments[static_cast<std::size_t>(c.alternatives[*k].instrument)].id);
                    }
                for (int c : leaf.columns)
                    if (s_.states[static_cast<std::size_t>(c)][row] != detail::known_state && !other_age(row, leaf, c))
                        add(missing_name(row, c));
                for (int l : leaf.lists)
                    if (s_.lists[static_cast<std::size_t>(l)].list_state[row] != detail::known_state)
                        add("facts." + m_.lists[static_cast<std::size_t>(l)].id);
                for (int q : leaf.programmes)
                    for (const auto& m : all[static_cast<std::size_t>(q)]) add(m);
            }
        }
        return all;
    }

    // Could the passing of time alone turn `node` to `want`? A failing `all` needs every
    // false member fixed; a failing `any` needs one.
    bool time_can_fix(std::size_t row, const detail::ProgrammeModel& prog, int node, bool want) const {
        if (node < 0) return true;
        const auto value = node_value(row, prog, node);
        if (!value || *value == want) return true;
        const detail::ConditionNode& n = prog.nodes[static_cast<std::size_t>(node)];
        using K = detail::ConditionNode::Kind;
        if (n.kind == K::leaf) return prog.leaves[static_cast<std::size_t>(n.leaf)].time_dependent;
        if (n.kind == K::not_) return n.children.empty() || time_can_fix(row, prog, n.children[0], !want);
        const bool one_suffices = (n.kind == K::any) == want;
        bool any_fixable = false, all_fixable = true;
        for (int c : n.children) {
            const auto v = node_value(row, prog, c);
            if (!v || *v != *value) continue;
            const bool fixable = time_can_fix(row, prog, c, want);
            any_fixable |= fixable;
            all_fixable &= fixable;
        }
        return one_suffices ? any_fixable : all_fixable;
    }

    // Only time stands in the way of a programme that is not eligible.
    bool needs_search(std::size_t row, const ProgrammeDecision& d, std::size_t p) const {
        if (d.decision == Decision::eligible) return false;
        const detail::ProgrammeModel& prog = rd_.programmes[p];
        const bool held_back =
            std::any_of(d.reasons.begin(), d.reasons.end(), [](const Reason& r) { return r.against; });
        return held_back && time_can_fix(row, prog, prog.eligible_root, true) &&
               time_can_fix(row, prog, prog.excluded_root, false);
    }

    // Day by day from the day after as_of to the horizon, in windows that double (most
    // dates are near), computing only the results the searched programmes read.
    void search_earliest(std::size_t row, Date start, const std::vector<std::size_t>& programmes,
                         std::vector<ProgrammeDecision>& all) {
        const auto end = add(start, rd_.horizon);
        if (!end) return;
        const int days = days_between(start, *end);
        std::vector<int> wanted;
        for (std::size_t p : programmes) wanted.push_back(rd_.programmes[p].decision);
        const std::vector<char> needed = detail::results_needed(m_, wanted);
        std::vector<std::size_t> pending = programmes;
        for (int first = 1, width = 32; first <= days && !pending.empty(); first += width, width *= 2) {
            const int n = std::min(width, days - first + 1);
            const Replica future(s_, row, Date{start.days + first}, n);
            const detail::ScoredColumns sc = detail::score_columns(m_, future.input(), &future.lists(),
                                                                   {.threads = 1, .keep = &wanted, .only = &needed});
            std::erase_if(pending, [&](std::size_t p) {
                const auto column =
                    static_cast<std::size_t>(std::find(programmes.begin(), programmes.end(), p) - programmes.begin());
                for (int k = 0; k < n; ++k)
                    if (decision_at(sc, static_cast<std::size_t>(k), column) != Decision::not_eligible) {
                        all[p].earliest_date = Date{start.days + first + k};
                        return true;
                    }
                return false;
            });
        }
    }

    const RuleSetData& rd_;
    const detail::Model& m_;
    const CaseBatch::Storage& s_;
    const detail::ScoredColumns& sc_;
    std::vector<std::size_t> dependency_order_;
};

}  // namespace

DecisionTable decide_columns(const RuleSet& rules, const CaseBatch& cases, unsigned threads) {
    detail::check_same_rules(rules, cases);
    const RuleSetData& rd = rules.data();
    std::vector<int> decisions;  // only the decisions are kept, not every condition
    for (const auto& p : rd.programmes) decisions.push_back(p.decision);
    const detail::ScoredColumns sc =
        detail::score_columns(rd.model, detail::input_columns(cases.storage()), &cases.storage().lists,
                              {.threads = threads, .keep = &decisions});
    DecisionTable out;
    out.rows_ = cases.storage().ids.size();
    out.programmes_ = rd.programmes.size();
    out.data_.resize(out.rows_ * out.programmes_);
    for (std::size_t p = 0; p < out.programmes_; ++p)
        for (std::size_t r = 0; r < out.rows_; ++r) out.data_[p * out.rows_ + r] = decision_at(sc, r, p);
    return out;
}

std::vector<CaseDecisions> decide_batch(const RuleSet& rules, const CaseBatch& cases, const DecideOptions& options) {
    detail::check_same_rules(rules, cases);
    const RuleSetData& rd = rules.data();
    const detail::ScoredColumns sc = detail::score_columns(rd.model, detail::input_columns(cases.storage()),
                                                           &cases.storage().lists, {.threads = options.threads});
    DecisionBuilder builder(rd, cases.storage(), sc);
    std::vector<CaseDecisions> out;
    const std::size_t rows = cases.storage().ids.size();
    out.reserve(rows);
    for (std::size_t r = 0; r < rows; ++r) out.push_back(builder.build(r, options.earliest_dates));
    return out;
}

const ProgrammeDecision* CaseDecisions::find(std::string_view programme) const {
    for (const auto& d : decisions)
        if (d.programme == programme) return &d;
    return nullptr;
}

// ---- output ----------------------------------------------------------------------------

std::string to_json(const CaseDecisions& c, bool all_reasons) {
    std::string out;
    detail::JsonWriter w(out);
    w.begin_object().key("case").string(c.case_id).key("as_of");
    if (c.as_of)
        w.string(to_string(*c.as_of));
    else
        w.null();
    w.key("rules").string(c.rules_key).key("hash").string(c.rules_hash).key("assessments").begin_array();
    for (const auto& a : c.assessments) w.string(a);
    w.end_array().key("decisions").begin_array();
    for (const ProgrammeDecision& d : c.decisions) {
        w.begin_object()
            .key("programme")
            .string(d.programme)
            .key("decision")
            .string(to_string(d.decision))
            .key("reasons")
            .begin_array();
        for (const Reason& r : d.reasons) {
            if (!all_reasons && !r.against && r.value) continue;
            w.begin_object()
                .key("id")
                .string(r.id)
                .key("source")
                .string(r.source)
                .key("confidence")
                .string(r.confidence)
                .key("value");
            if (r.value)
                w.boolean(*r.value);
            else
                w.null();
            w.key("exclusion")
                .boolean(r.exclusion)
                .key("against")
                .boolean(r.against)
                .key("text")
                .string(r.text)
                .key("inputs")
                .begin_object();
            for (const auto& [name, value] : r.inputs) w.key(name).string(value);
            w.end_object().end_object();
        }
        w.end_array().key("missing").begin_array();
        for (const auto& m : d.missing) w.string(m);
        w.end_array().key("earliest_date");
        if (d.earliest_date)
            w.string(to_string(*d.earliest_date));
        else
            w.null();
        w.end_object();
    }
    w.end_array().end_object();
    return out;
}

namespace {

std::string inputs_text(const Reason& r) {
    std::string out;
    for (const auto& [name, value] : r.inputs) out += (out.empty() ? "" : ", ") + name + " = " + value;
    return out;
}

}  // namespace

std::string to_text(const CaseDecisions& c, bool explain) {
    std::string out = "Case " + (c.case_id.empty() ? std::string("(no id)") : c.case_id) + " on " +
                      (c.as_of ? to_string(*c.as_of) : std::string("(no date)")) + " (rules " + c.rules_key + ")\n";
    for (const auto& d : c.decisions) {
        const std::string word = d.decision == Decision::eligible       ? "ELIGIBLE"
                                 : d.decision == Decision::not_eligible ? "NOT ELIGIBLE"
                                                                        : "UNDETERMINED";
        out += "\n" + d.programme + ": " + word + "\n";
        for (const auto& r : d.reasons) {
            const bool unknown = !r.value;
            if (!explain && !r.against && !(unknown && d.decision == Decision::undetermined)) continue;
            std::string mark = r.against ? (r.exclusion ? "  excluded: " : "  fails:    ")
                               : unknown ? "  unknown:  "
                                         : "  met:      ";
            if (!r.against && !unknown && r.exclusion) mark = "  not excluded: ";
            out += mark + r.text + "  [" + r.id + "]";
            if (!r.source.empty()) out += "  (" + r.source + (r.confidence.empty() ? "" : ", " + r.confidence) + ")";
            out += "\n";
            if (explain && !r.inputs.empty()) out += "            with " + inputs_text(r) + "\n";
        }
        if (!d.missing.empty()) {
            out += "  missing:  ";
            for (std::size_t i = 0; i < d.missing.size(); ++i) out += (i ? ", " : "") + d.missing[i];
            out += "\n";
        }
        if (d.earliest_date) out += "  earliest date: " + to_string(*d.earliest_date) + " if nothing else changes\n";
    }
    return out;
}

KELIAS_END_NAMESPACE
