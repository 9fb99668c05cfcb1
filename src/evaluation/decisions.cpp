// Deciding rule sets over a CaseBatch: decisions by column, and full decisions with
// reasons, missing facts and earliest dates.
#include <kelias/rules.hpp>

#include <algorithm>

#include "base/checked.hpp"
#include "base/json_writer.hpp"
#include "base/local_format.hpp"
#include "base/messages.hpp"
#include "base/parallel.hpp"
#include "base/text.hpp"
#include "evaluation/decide_batch.hpp"
#include "evaluation/decided_case.hpp"
#include "evaluation/evaluator.hpp"
#include "evaluation/turning_days.hpp"
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

/// Cases' input columns on other days: the rows of a search for the earliest date, each
/// a (row of the batch, day) pair.
class Replica {
public:
    /// One case on a run of days.
    Replica(const CaseBatch::Storage& s, std::size_t row, Date first, int days) : Replica(s, run(row, first, days)) {}

    Replica(const CaseBatch::Storage& s, const std::vector<std::pair<std::size_t, int>>& rows) : n_(rows.size()) {
        values_.resize(s.values.size());
        states_.resize(s.states.size());
        for (std::size_t c = 0; c < s.values.size(); ++c) {
            values_[c].resize(n_);
            states_[c].resize(n_);
            for (std::size_t k = 0; k < n_; ++k) {
                values_[c][k] = s.values[c][rows[k].first];
                states_[c][k] = s.states[c][rows[k].first];
            }
        }
        as_of_.resize(n_);
        for (std::size_t k = 0; k < n_; ++k) as_of_[k] = static_cast<double>(rows[k].second);
        as_of_states_.assign(n_, detail::known_state);
        copy_lists(s, rows);
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
    static std::vector<std::pair<std::size_t, int>> run(std::size_t row, Date first, int days) {
        std::vector<std::pair<std::size_t, int>> rows;
        for (int k = 0; k < days; ++k) rows.emplace_back(row, first.days + k);
        return rows;
    }

    void copy_lists(const CaseBatch::Storage& s, const std::vector<std::pair<std::size_t, int>>& rows) {
        lists_.resize(s.lists.size());
        for (std::size_t l = 0; l < s.lists.size(); ++l) {
            const detail::ListStore& src = s.lists[l];
            detail::ListStore& dst = lists_[l];
            dst.values.resize(src.values.size());
            dst.states.resize(src.states.size());
            for (std::size_t k = 0; k < n_; ++k) {
                const std::size_t row = rows[k].first;
                const auto from = static_cast<std::size_t>(src.offsets[row]),
                           to = static_cast<std::size_t>(src.offsets[row + 1]);
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
    DecisionBuilder(std::shared_ptr<const detail::DecisionLayout> layout, const CaseBatch::Storage& s,
                    const detail::ScoredColumns& sc)
        : layout_(std::move(layout)), rd_(layout_->data()), m_(rd_.model), s_(s), sc_(sc),
          input_(detail::input_columns(s)), turning_(rd_.model) {
        for (const auto& p : rd_.programmes) decisions_.push_back(p.decision);
        {  // what needed_on() reads on an earliest date: decisions, leaves, ages
            std::vector<int> wanted;
            for (const auto& p : rd_.programmes) {
                wanted.push_back(p.decision);
                for (const auto& leaf : p.leaves) wanted.push_back(leaf.result);
            }
            for (const auto& choice : rd_.choices) wanted.push_back(choice.selected);
            needed_then_ = detail::results_needed(m_, wanted);
        }
        rules_key_ = m_.id + "@" + m_.version;
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

    /// Full decisions for rows [begin, end) into out[begin..end), earliest dates found by
    /// `search`.
    void build_rows(std::size_t begin, std::size_t end, bool earliest, detail::EarliestSearch search,
                    std::vector<CaseDecisions>& out) {
        std::vector<Pending> pending(end - begin);
        for (std::size_t r = begin; r < end; ++r) pending[r - begin] = start(r, earliest);
        if (search == detail::EarliestSearch::solve)
            solve_earliest(begin, pending);
        else
            for (std::size_t r = begin; r < end; ++r) {
                Pending& c = pending[r - begin];
                if (!c.to_search.empty()) search_earliest(r, *c.head.as_of, c.to_search, c.all);
            }
        // What the decisions on their earliest dates still need: every (case, day) of the
        // chunk evaluated at once.
        std::vector<std::pair<std::size_t, int>> then_rows;        // (row, earliest day)
        std::vector<std::pair<std::size_t, std::size_t>> then_of;  // (case of the chunk, programme)
        for (std::size_t r = begin; r < end; ++r)
            for (std::size_t p : pending[r - begin].to_search)
                if (const auto& day = pending[r - begin].all[p].earliest_date) {
                    then_rows.emplace_back(r, day->days);
                    then_of.emplace_back(r - begin, p);
                }
        if (!then_rows.empty()) {
            const Replica then(s_, then_rows);
            const detail::ScoredColumns sc =
                detail::score_columns(m_, then.input(), &then.lists(), {.threads = 1, .only = &needed_then_});
            for (std::size_t k = 0; k < then_rows.size(); ++k) {
                const auto [i, p] = then_of[k];
                pending[i].all[p].needed_on_earliest =
                    needed_on(then_rows[k].first, Date{then_rows[k].second}, p, sc, k);
            }
        }
        for (std::size_t r = begin; r < end; ++r) {
            Pending& c = pending[r - begin];
            c.head.decisions.reserve(rd_.report_order.size());
            for (std::size_t p : rd_.report_order) c.head.decisions.push_back(std::move(c.all[p]));
            out[r] = std::move(c.head);
        }
    }

    /// Programmes (one per case) whose earliest dates the solver left to the scan.
    std::size_t scanned() const noexcept { return scanned_; }

private:
    // A case decided but for its earliest dates: programmes in declaration order.
    struct Pending {
        CaseDecisions head;
        std::vector<ProgrammeDecision> all;
        std::vector<std::size_t> to_search;  // programmes only time holds back
    };

    Pending start(std::size_t row, bool earliest) {
        Pending c;
        CaseDecisions& out = c.head;
        out.case_id = s_.ids[row];
        out.as_of = as_of(row);
        out.rules_key = rules_key_;
        out.rules_hash = m_.hash;
        out.assessments = detail::assessments_of(s_, row);
        const std::shared_ptr<const detail::DecidedCase> snapshot = snapshot_of(row);
        missing_by_programme(row);
        std::vector<ProgrammeDecision>& all = c.all;
        all.resize(rd_.programmes.size());
        for (std::size_t p = 0; p < rd_.programmes.size(); ++p) {
            all[p] = decide_one(row, p, snapshot);
            if (all[p].decision != Decision::eligible) {
                all[p].missing.reserve(missing_[p].size());
                for (int m : missing_[p]) all[p].missing.push_back(name(m));
            }
            if (earliest && out.as_of && needs_search(row, all[p], p)) c.to_search.push_back(p);
        }
        for (std::size_t p : dependency_order_)  // a programme read through eligible() first
            if (all[p].decision != Decision::eligible) all[p].gaps = gaps(row, p, all);
        return c;
    }

    // The days on which the searched decisions may turn, found from the date conditions
    // (detail::TurningDays over a traced evaluation of the rows), then every searched
    // decision evaluated on those days at once: the first day it is not `not_eligible`.
    // A case whose conditions have a form the solver does not know is scanned instead.
    void solve_earliest(std::size_t begin, std::vector<Pending>& pending) {
        std::size_t last_row = begin;
        for (std::size_t i = 0; i < pending.size(); ++i)
            if (!pending[i].to_search.empty()) last_row = begin + i + 1;
        if (last_row == begin) return;
        detail::Tracer trace;
        detail::score_block(m_, input_, &s_.lists, static_cast<Index>(begin), static_cast<Index>(last_row - begin),
                            &trace, &rd_.decision_results);
        std::vector<std::pair<std::size_t, int>> rows;                            // (row, day) to evaluate
        std::vector<std::pair<std::size_t, std::size_t>> slices(pending.size());  // per case: [from, to) of rows
        std::vector<std::size_t> solved(pending.size(), 0);  // per case: its first programmes to search are solved
        std::vector<double> days;
        for (std::size_t i = 0; i < pending.size(); ++i) {
            Pending& c = pending[i];
            slices[i] = {rows.size(), rows.size()};
            if (c.to_search.empty()) continue;
            const std::size_t row = begin + i;
            const Date start = *c.head.as_of;
            const auto end = add(start, rd_.horizon);
            if (!end) continue;
            days.assign(1, static_cast<double>(start.days + 1));
            std::vector<std::size_t> unsolved;
            std::erase_if(c.to_search, [&](std::size_t p) {
                const bool found = turning_.collect(
                    m_.results[static_cast<std::size_t>(rd_.programmes[p].decision)].expr, trace, s_.lists,
                    static_cast<Index>(begin), static_cast<Index>(row), start.days, end->days, days);
                if (!found) unsolved.push_back(p);
                return !found;
            });
            if (!unsolved.empty()) {
                scanned_ += unsolved.size();
                search_earliest(row, start, unsolved, c.all);
            }
            solved[i] = c.to_search.size();
            c.to_search.insert(c.to_search.end(), unsolved.begin(), unsolved.end());
            std::sort(days.begin(), days.end());
            days.erase(std::unique(days.begin(), days.end()), days.end());
            for (double d : days)
                if (d > start.days && d <= end->days) rows.emplace_back(row, static_cast<int>(d));
            slices[i].second = rows.size();
        }
        if (rows.empty()) return;
        const Replica then(s_, rows);
        const detail::ScoredColumns sc = detail::score_columns(
            m_, then.input(), &then.lists(), {.threads = 1, .keep = &decisions_, .only = &rd_.decision_results});
        for (std::size_t i = 0; i < pending.size(); ++i)
            for (std::size_t j = 0; j < solved[i]; ++j)
                for (std::size_t k = slices[i].first, p = pending[i].to_search[j]; k < slices[i].second; ++k)
                    if (decision_at(sc, k, p) != Decision::not_eligible) {
                        pending[i].all[p].earliest_date = Date{rows[k].second};
                        break;
                    }
    }

    std::optional<Date> as_of(std::size_t row) const {
        if (s_.as_of_states[row] != detail::known_state) return std::nullopt;
        return detail::date_from_column(s_.as_of_days[row]);
    }

    std::optional<bool> node_value(std::size_t row, const detail::ProgrammeModel& prog, int node) const {
        return truth(sc_, row, prog.nodes[static_cast<std::size_t>(node)].result);
    }

    // The values the case's leaves read, for its reasons to write their texts and inputs from.
    std::shared_ptr<const detail::DecidedCase> snapshot_of(std::size_t row) const {
        auto c = std::make_shared<detail::DecidedCase>();
        c->layout = layout_;
        c->slots.resize(layout_->sources.size());
        for (std::size_t k = 0; k < c->slots.size(); ++k) {
            const detail::DecisionLayout::Source& from = layout_->sources[k];
            const auto i = static_cast<std::size_t>(from.index);
            detail::Slot& slot = c->slots[k];
            switch (from.kind) {
            case detail::DecisionLayout::Source::Kind::result:
                if (sc_.known(row, i))
                    slot.value = sc_.value(row, i);
                else
                    slot.state = detail::unknown_state;
                break;
            case detail::DecisionLayout::Source::Kind::column:
                slot.value = s_.values[i][row];
                slot.state = s_.states[i][row];
                break;
            case detail::DecisionLayout::Source::Kind::list: {
                const detail::ListStore& store = s_.lists[i];
                slot.state = store.list_state[row];
                slot.value = static_cast<double>(store.offsets[row + 1] - store.offsets[row]);
                break;
            }
            }
        }
        return c;
    }

    ProgrammeDecision decide_one(std::size_t row, std::size_t p,
                                 const std::shared_ptr<const detail::DecidedCase>& snapshot) const {
        const detail::ProgrammeModel& prog = rd_.programmes[p];
        ProgrammeDecision out;
        out.programme = prog.info.id;
        detail::ReasonMaker::refer(out, snapshot, static_cast<std::uint32_t>(p));
        out.decision = decision_at(sc_, row, static_cast<std::size_t>(prog.decision));
        out.reasons.reserve(prog.leaves.size());
        for (std::size_t l = 0; l < prog.leaves.size(); ++l)
            out.reasons.push_back(detail::ReasonMaker::make(snapshot, static_cast<std::uint32_t>(p),
                                                            static_cast<std::uint32_t>(l),
                                                            truth(sc_, row, prog.leaves[l].result)));
        blame(row, prog, prog.eligible_root, true, out.reasons);
        blame(row, prog, prog.excluded_root, false, out.reasons);
        return out;
    }

    std::string cell_text(std::size_t row, int column) const {
        const auto c = static_cast<std::size_t>(column);
        return detail::cell_text(m_, m_.fields[c], s_.values[c][row], static_cast<CellState>(s_.states[c][row]));
    }

    // What the decision of programme `p` on `day` lacks when it is undetermined that day:
    // assessments that will be stale (or are absent), and omitted facts its unknown leaves read.
    // `sc` row `then` holds the case of batch row `row` evaluated on `day` (needed_then_).
    std::vector<EarliestNeed> needed_on(std::size_t row, Date day, std::size_t p, const detail::ScoredColumns& sc,
                                        std::size_t then) const {
        const detail::ProgrammeModel& prog = rd_.programmes[p];
        std::vector<EarliestNeed> out;
        if (decision_at(sc, then, static_cast<std::size_t>(prog.decision)) != Decision::undetermined) return out;
        // The instrument chosen by age on `day` (a birthday may fall in between).
        auto selected_then = [&](int choice) -> std::optional<std::size_t> {
            const auto column = static_cast<std::size_t>(rd_.choices[static_cast<std::size_t>(choice)].selected);
            if (!sc.known(then, column)) return std::nullopt;
            return static_cast<std::size_t>(sc.value(then, column));
        };
        auto other_age_then = [&](const detail::LeafModel& leaf, int column) {
            const detail::ColumnOwner& owner = rd_.column_owners[static_cast<std::size_t>(column)];
            if (owner.role == detail::ColumnOwner::Role::fact) return false;
            for (int choice : leaf.choices) {
                const detail::AgeChoice& c = rd_.choices[static_cast<std::size_t>(choice)];
                for (std::size_t k = 0; k < c.alternatives.size(); ++k)
                    if (c.alternatives[k].instrument == owner.instrument && selected_then(choice) != k) return true;
            }
            return false;
        };
        auto add_need = [&](EarliestNeed need) {  // one line per path: the dated one when there is one
            auto same =
                std::find_if(out.begin(), out.end(), [&](const EarliestNeed& n) { return n.path == need.path; });
            if (same == out.end())
                out.push_back(std::move(need));
            else if (!same->dated_from)
                *same = std::move(need);
        };
        for (std::size_t l = 0; l < prog.leaves.size(); ++l) {
            const detail::LeafModel& leaf = prog.leaves[l];
            if (sc.known(then, static_cast<std::size_t>(leaf.result))) continue;
            if (leaf.fresh_instrument >= 0) {
                const detail::RequiredInstrument& req =
                    rd_.instruments[static_cast<std::size_t>(leaf.fresh_instrument)];
                add_need({name(layout_->instrument_missing[static_cast<std::size_t>(leaf.fresh_instrument)]),
                          subtract(day, req.max_age)});
            }
            if (leaf.fresh_choice >= 0)
                if (const auto k = selected_then(leaf.fresh_choice)) {
                    const detail::AgeChoice& choice = rd_.choices[static_cast<std::size_t>(leaf.fresh_choice)];
                    const auto instrument = static_cast<std::size_t>(choice.alternatives[*k].instrument);
                    add_need({name(layout_->instrument_missing[instrument]),
                              subtract(day, rd_.instruments[instrument].max_age)});
                }
            for (int c : leaf.columns)
                if (s_.states[static_cast<std::size_t>(c)][row] != detail::known_state && !other_age_then(leaf, c))
                    add_need({name(missing_name(row, c)), std::nullopt});
            for (int list : leaf.lists)
                if (s_.lists[static_cast<std::size_t>(list)].list_state[row] != detail::known_state)
                    add_need({name(layout_->list_missing[static_cast<std::size_t>(list)]), std::nullopt});
        }
        return out;
    }

    // Tables a leaf of unknown value looked a known key up in, without a row for it.
    // A programme read through eligible() adds its own gaps.
    std::vector<RuleGap> gaps(std::size_t row, std::size_t p, const std::vector<ProgrammeDecision>& decided) const {
        std::vector<RuleGap> out;
        const detail::ProgrammeModel& prog = rd_.programmes[p];
        for (std::size_t l = 0; l < prog.leaves.size(); ++l) {
            const detail::LeafModel& leaf = prog.leaves[l];
            if (sc_.known(row, static_cast<std::size_t>(leaf.result))) continue;
            for (int q : leaf.programmes)
                for (const auto& gap : decided[static_cast<std::size_t>(q)].gaps)
                    if (std::find(out.begin(), out.end(), gap) == out.end()) out.push_back(gap);
            for (const auto& [t, c] : layout_->leaves[p][l].tables) {
                const auto column = static_cast<std::size_t>(c);
                if (s_.states[column][row] != detail::known_state) continue;
                const detail::Table& table = m_.tables[static_cast<std::size_t>(t)];
                const double key = s_.values[column][row];
                if (detail::match_table_row(table, key) >= 0 || (table.has_default && table.default_value)) continue;
                RuleGap gap{table.id, rd_.column_owners[column].name, cell_text(row, static_cast<int>(column))};
                if (std::find(out.begin(), out.end(), gap) == out.end()) out.push_back(std::move(gap));
            }
        }
        return out;
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
            detail::ReasonMaker::set_against(reasons[static_cast<std::size_t>(n.leaf)]);
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
    std::optional<std::size_t> selected(const detail::ScoredColumns& sc, std::size_t row, int choice) const {
        const detail::AgeChoice& c = rd_.choices[static_cast<std::size_t>(choice)];
        if (!sc.known(row, static_cast<std::size_t>(c.selected))) return std::nullopt;
        return static_cast<std::size_t>(sc.value(row, static_cast<std::size_t>(c.selected)));
    }

    // A column of an instrument the leaf reads only as an alternative chosen by age, when
    // that alternative is not the one for this case (or the age is unknown): neither an
    // input to show nor something missing. (A leaf that also reads such an instrument
    // directly is taken to mean the alternative.)
    bool other_age(const detail::ScoredColumns& sc, std::size_t row, const detail::LeafModel& leaf, int column) const {
        const detail::ColumnOwner& owner = rd_.column_owners[static_cast<std::size_t>(column)];
        if (owner.role == detail::ColumnOwner::Role::fact) return false;
        for (int choice : leaf.choices) {
            const detail::AgeChoice& c = rd_.choices[static_cast<std::size_t>(choice)];
            for (std::size_t k = 0; k < c.alternatives.size(); ++k) {
                if (c.alternatives[k].instrument != owner.instrument) continue;
                const auto fits = selected(sc, row, choice);
                if (!fits || *fits != k) return true;
            }
        }
        return false;
    }

    // How a missing column is named: `facts.x`, the whole assessment, or one of its results.
    const std::string& name(int n) const { return layout_->names[static_cast<std::size_t>(n)]; }

    // (an index into the layout's names)
    int missing_name(std::size_t row, int column) const {
        const auto c = static_cast<std::size_t>(column);
        const detail::ColumnOwner& owner = rd_.column_owners[c];
        if (owner.role != detail::ColumnOwner::Role::assessment_result) return layout_->column_missing[c];
        const detail::RequiredInstrument& req = rd_.instruments[static_cast<std::size_t>(owner.instrument)];
        const bool assessed = s_.states[static_cast<std::size_t>(req.date_column)][row] == detail::known_state;
        return assessed ? layout_->column_result_missing[c] : layout_->column_missing[c];
    }

    // Omitted facts and assessments feeding a leaf whose value is unknown, per programme
    // (into missing_); a programme read through eligible() adds what it misses itself.
    void missing_by_programme(std::size_t row) {
        missing_.resize(rd_.programmes.size());
        for (auto& m : missing_) m.clear();
        for (std::size_t p : dependency_order_) {
            std::vector<int>& out = missing_[p];
            auto add = [&](int m) {
                if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
            };
            for (const auto& leaf : rd_.programmes[p].leaves) {
                if (sc_.known(row, static_cast<std::size_t>(leaf.result))) continue;
                if (leaf.fresh_instrument >= 0)
                    add(layout_->instrument_missing[static_cast<std::size_t>(leaf.fresh_instrument)]);
                if (leaf.fresh_choice >= 0)
                    if (const auto k = selected(sc_, row, leaf.fresh_choice)) {
                        const detail::AgeChoice& c = rd_.choices[static_cast<std::size_t>(leaf.fresh_choice)];
                        add(layout_->instrument_missing[static_cast<std::size_t>(c.alternatives[*k].instrument)]);
                    }
                for (int c : leaf.columns)
                    if (s_.states[static_cast<std::size_t>(c)][row] != detail::known_state &&
                        !other_age(sc_, row, leaf, c))
                        add(missing_name(row, c));
                for (int l : leaf.lists)
                    if (s_.lists[static_cast<std::size_t>(l)].list_state[row] != detail::known_state)
                        add(layout_->list_missing[static_cast<std::size_t>(l)]);
                for (int q : leaf.programmes)
                    for (int m : missing_[static_cast<std::size_t>(q)]) add(m);
            }
        }
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
            std::any_of(d.reasons.begin(), d.reasons.end(), [](const Reason& r) { return r.against(); });
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

    std::shared_ptr<const detail::DecisionLayout> layout_;
    const RuleSetData& rd_;
    const detail::Model& m_;
    const CaseBatch::Storage& s_;
    const detail::ScoredColumns& sc_;
    const detail::InputColumns input_;
    const detail::TurningDays turning_;
    std::vector<int> decisions_;     // every programme's decision, in declaration order
    std::vector<char> needed_then_;  // the results needed_on() reads
    std::size_t scanned_ = 0;
    std::vector<std::vector<int>> missing_;  // per programme, for the case being built
    std::string rules_key_;
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
                              {.threads = threads, .keep = &decisions, .only = &rd.decision_results});
    DecisionTable out;
    out.rows_ = cases.storage().ids.size();
    out.programmes_ = rd.programmes.size();
    out.data_.resize(out.rows_ * out.programmes_);
    for (std::size_t p = 0; p < out.programmes_; ++p)
        for (std::size_t r = 0; r < out.rows_; ++r) out.data_[p * out.rows_ + r] = decision_at(sc, r, p);
    return out;
}

namespace detail {

std::vector<CaseDecisions> decide_batch(const RuleSet& rules, const CaseBatch& cases, const DecideOptions& options,
                                        EarliestSearch search, std::size_t* scanned) {
    check_same_rules(rules, cases);
    const RuleSetData& rd = rules.data();
    const ScoredColumns sc =
        score_columns(rd.model, input_columns(cases.storage()), &cases.storage().lists, {.threads = options.threads});
    const std::size_t rows = cases.storage().ids.size();
    std::vector<CaseDecisions> out(rows);
    // Slices of rows on their own threads; each builds its cases in chunks (a chunk's
    // earliest dates are solved together).
    constexpr std::size_t chunk = 256;
    const std::size_t parts = thread_count(rows, options.threads);
    std::vector<std::size_t> fallbacks(parts, 0);
    const auto layout = std::make_shared<const DecisionLayout>(rules);
    for_each_slice(rows, parts, [&](std::size_t part, std::size_t begin, std::size_t end) {
        DecisionBuilder builder(layout, cases.storage(), sc);
        for (std::size_t r = begin; r < end; r += chunk)
            builder.build_rows(r, std::min(end, r + chunk), options.earliest_dates, search, out);
        fallbacks[part] = builder.scanned();
    });
    if (scanned) {
        *scanned = 0;
        for (std::size_t f : fallbacks) *scanned += f;
    }
    return out;
}

}  // namespace detail

std::vector<CaseDecisions> decide_batch(const RuleSet& rules, const CaseBatch& cases, const DecideOptions& options) {
    return detail::decide_batch(rules, cases, options, detail::EarliestSearch::solve);
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
    std::string scratch;  // a reason's text
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
            if (!all_reasons && !r.against() && r.value()) continue;
            detail::ReasonMaker::write_json(w, r, scratch);
        }
        w.end_array().key("missing").begin_array();
        for (const auto& m : d.missing) w.string(m);
        w.end_array();
        if (!d.gaps.empty()) {
            w.key("gaps").begin_array();
            for (const auto& g : d.gaps)
                w.begin_object()
                    .key("table")
                    .string(g.table)
                    .key("fact")
                    .string(g.fact)
                    .key("key")
                    .string(g.key)
                    .end_object();
            w.end_array();
        }
        w.key("earliest_date");
        if (d.earliest_date)
            w.string(to_string(*d.earliest_date));
        else
            w.null();
        if (!d.needed_on_earliest.empty()) {
            w.key("needed_on_earliest").begin_array();
            for (const auto& need : d.needed_on_earliest) {
                w.begin_object().key("need").string(need.path);
                if (need.dated_from) w.key("dated_from").string(to_string(*need.dated_from));
                w.end_object();
            }
            w.end_array();
        }
        w.end_object();
    }
    w.end_array().end_object();
    return out;
}

namespace {

std::string pairs_text(const std::vector<std::pair<std::string, std::string>>& pairs) {
    std::string out;
    for (const auto& [name, value] : pairs) out += (out.empty() ? "" : ", ") + name + " = " + value;
    return out;
}

std::string inputs_text(const Reason& r) { return pairs_text(r.inputs()); }

}  // namespace

std::string to_text(const CaseDecisions& c, bool explain) { return to_text(c, TextOptions{.explain = explain}); }

std::string to_text(const CaseDecisions& c, const TextOptions& options) {
    using detail::Message;
    const Language lang = options.language;
    const bool explain = options.explain;
    auto word = [&](Message m) { return std::string(detail::message(m, lang)); };
    // The marks of condition lines, padded to one width so that the texts line up.
    // (`not excluded:` is longer than the others and takes one space.)
    const Message marks[] = {Message::fails, Message::excluded, Message::unknown, Message::met, Message::not_met};
    std::size_t width = 0;
    for (Message m : marks) width = std::max(width, detail::utf8_characters(detail::message(m, lang)));
    auto mark = [&](Message m) {
        const std::size_t length = detail::utf8_characters(detail::message(m, lang));
        return "  " + word(m) + std::string(length < width ? width - length + 1 : 1, ' ');
    };
    const std::string indent(width + 3, ' ');
    std::string out = word(Message::case_word) + " " + (c.case_id.empty() ? word(Message::no_id) : c.case_id) + " " +
                      word(Message::on) + " " + (c.as_of ? to_string(*c.as_of) : word(Message::no_date)) + " (" +
                      word(Message::rules) + " " + c.rules_key + ")\n";
    for (const auto& d : c.decisions) {
        const Message decision = d.decision == Decision::eligible       ? Message::eligible
                                 : d.decision == Decision::not_eligible ? Message::not_eligible
                                                                        : Message::undetermined;
        const std::string& label = d.label().in(lang);
        out += "\n" + (label.empty() || label == d.programme ? d.programme : label + " [" + d.programme + "]") + ": " +
               word(decision) + "\n";
        for (const auto& r : d.reasons) {
            const bool unknown = !r.value();
            if (!explain && !r.against() && !(unknown && d.decision == Decision::undetermined)) continue;
            // A false member of an `any` that holds is neither met nor what fails the programme.
            const Message m = r.against()     ? (r.exclusion() ? Message::excluded : Message::fails)
                              : unknown       ? Message::unknown
                              : r.exclusion() ? (*r.value() ? Message::excluded : Message::not_excluded)
                              : *r.value()    ? Message::met
                                              : Message::not_met;
            out += mark(m) + r.text(lang) + "  [" + r.id() + "]";
            if (!r.source().empty())
                out += "  (" + r.source() + (r.confidence().empty() ? "" : ", " + r.confidence()) + ")";
            out += "\n";
            if (explain && !r.inputs().empty()) out += indent + word(Message::with) + " " + inputs_text(r) + "\n";
            if (explain && !r.params().empty())
                out += indent + word(Message::params) + " " + pairs_text(r.params()) + "\n";
            if (explain && !r.computed().empty())
                out += indent + word(Message::computed) + " " + pairs_text(r.computed()) + "\n";
        }
        if (!d.missing.empty()) {
            out += "  " + word(Message::missing) + "  ";
            for (std::size_t i = 0; i < d.missing.size(); ++i) out += (i ? ", " : "") + d.missing[i];
            out += "\n";
        }
        for (const auto& g : d.gaps)
            out += "  " + word(Message::no_rule) + "  " + word(Message::table) + " " + g.table + ": " +
                   word(Message::no_row_for) + " " + g.fact + " = " + g.key + "\n";
        if (d.earliest_date)
            out += "  " + word(Message::earliest_date) + " " + to_string(*d.earliest_date) + " " +
                   word(Message::if_nothing_changes) + "\n";
        if (!d.needed_on_earliest.empty()) {
            out += "  " + word(Message::needed_then) + " ";
            for (std::size_t i = 0; i < d.needed_on_earliest.size(); ++i) {
                const EarliestNeed& need = d.needed_on_earliest[i];
                out += (i ? ", " : "") + need.path;
                if (need.dated_from) out += " " + word(Message::dated_from) + " " + to_string(*need.dated_from);
            }
            out += "\n";
        }
    }
    return out;
}

KELIAS_END_NAMESPACE
