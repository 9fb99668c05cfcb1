// Evaluating rule sets: cases by column, decisions with reasons, missing facts and
// earliest dates.
#include <kelias/rules.hpp>

#include <algorithm>

#include <kelias/scoring.hpp>

#include "cases/case_rows.hpp"
#include "evaluation/evaluator.hpp"
#include "language/expression.hpp"
#include "base/json_writer.hpp"
#include "model/rules_model.hpp"

namespace kelias {

using detail::did_you_mean;
using detail::InstrumentData;
using detail::RuleSetData;
using Eigen::Index;

std::string_view to_string(Decision d) noexcept {
    switch (d) {
        case Decision::eligible: return "eligible";
        case Decision::not_eligible: return "not_eligible";
        case Decision::undetermined: return "undetermined";
    }
    return "?";
}

// ---- RuleSet ---------------------------------------------------------------------------

const std::string& RuleSet::id() const noexcept { return data_->model->id; }
const std::string& RuleSet::version() const noexcept { return data_->model->version; }
std::string RuleSet::key() const { return id() + "@" + version(); }
const std::string& RuleSet::hash() const noexcept { return data_->model->hash; }
const std::string& RuleSet::title() const noexcept { return data_->model->title; }
const std::string& RuleSet::file() const noexcept { return data_->model->file; }
Duration RuleSet::horizon() const noexcept { return data_->horizon; }
std::span<const ProgrammeInfo> RuleSet::programmes() const noexcept { return data_->programme_infos; }
std::span<const ParamInfo> RuleSet::params() const noexcept { return data_->params; }
std::vector<std::pair<std::string, std::string>> RuleSet::facts() const { return data_->fact_types; }

std::vector<std::pair<std::string, Instrument>> RuleSet::instruments() const {
    std::vector<std::pair<std::string, Instrument>> out;
    for (const auto& i : data_->instruments) out.emplace_back(i.id, i.instrument);
    return out;
}

std::string RuleSet::describe() const {
    std::string out = title() + " (" + key() + ")\n  file:   " + file() + "\n  hash:   " + hash() + "\n";
    out += "  horizon for earliest dates: " + to_string(horizon()) + "\n";
    for (const auto& i : data_->instruments)
        out += "  reads " + i.instrument.key() + " as '" + i.id + "' (assessments up to " + to_string(i.max_age) + " old)\n";
    out += "facts:\n";
    for (const auto& [name, type] : data_->fact_types) out += "  " + name + "  " + type + "\n";
    out += "params:\n";
    for (const auto& p : data_->params)
        out += "  " + p.id + " = " + p.value + (p.confidence.empty() ? "" : "  [" + p.confidence + "]") +
               (p.source.empty() ? "" : "  " + p.source) + "\n";
    out += "programmes:\n";
    for (std::size_t i : data_->report_order) {
        const ProgrammeInfo& p = data_->programme_infos[i];
        out += "  " + p.id + " (" + (p.kind.empty() ? "programme" : p.kind) + "): " + p.label + "\n";
        for (const auto& c : p.conditions)
            out += std::string("    ") + (c.exclusion ? "excluded when " : "requires ") + c.id + ": " + c.text +
                   (c.confidence.empty() ? "" : "  [" + c.confidence + "]") + "\n";
    }
    return out;
}

// ---- CaseBatch -------------------------------------------------------------------------

CaseBatch::CaseBatch(const RuleSet& rules) : storage_(std::make_unique<Storage>(Storage{rules, {}, {}, {}, {}, {}, {}, {0}, {}, nullptr})) {
    const RuleSetData& rd = rules.data();
    storage_->values.resize(rd.model->fields.size());
    storage_->states.resize(rd.model->fields.size());
    storage_->lists.resize(rd.model->lists.size());
    for (std::size_t l = 0; l < rd.model->lists.size(); ++l) {
        storage_->lists[l].values.resize(rd.model->lists[l].fields.size());
        storage_->lists[l].states.resize(rd.model->lists[l].fields.size());
    }
}
CaseBatch::~CaseBatch() = default;
CaseBatch::CaseBatch(CaseBatch&&) noexcept = default;
CaseBatch& CaseBatch::operator=(CaseBatch&&) noexcept = default;
std::size_t CaseBatch::rows() const noexcept { return storage_->ids.size(); }
const std::string& CaseBatch::id(std::size_t row) const { return storage_->ids[row]; }
std::optional<Date> CaseBatch::as_of(std::size_t row) const {
    if (storage_->as_of_states[row] != detail::known_state) return std::nullopt;
    return Date{static_cast<int>(storage_->as_of_days[row])};
}
namespace {

std::vector<std::string> assessments_of(const CaseBatch::Storage& s, std::size_t row) {
    std::vector<std::string> out;
    for (std::uint32_t k = s.assessment_offsets[row]; k < s.assessment_offsets[row + 1]; ++k) {
        const Instrument& used = s.rules.data().instruments[s.assessed[k]].instrument;
        out.push_back(used.key() + "#" + used.hash());
    }
    return out;
}

}  // namespace

std::vector<std::string> CaseBatch::assessments_used(std::size_t row) const { return assessments_of(*storage_, row); }
void CaseBatch::set_as_of(Date d) {
    std::fill(storage_->as_of_days.begin(), storage_->as_of_days.end(), d.days);
    std::fill(storage_->as_of_states.begin(), storage_->as_of_states.end(), detail::known_state);
}


std::vector<Diagnostic> CaseBatch::add(const CaseInput& c) {
    detail::CaseRowBuilder& reader = detail::CaseRowBuilder::start(*storage_);
    std::size_t position = 0;
    for (const auto& [name, text] : c.facts) reader.fact(position++, name, text);
    for (const auto& [name, records] : c.lists) {
        if (!records) {
            reader.fact(position++, name, "");
            continue;
        }
        const int list = reader.begin_list(position++, name);
        if (list < 0) continue;
        for (std::size_t i = 0; i < records->size(); ++i) {
            reader.add_record(list);
            for (const auto& [field, text] : (*records)[i]) reader.record_field(list, name, i, field, text);
        }
    }
    for (const auto& a : c.assessments) {
        const detail::RequiredInstrument* req = reader.begin_assessment(a.instrument);
        if (!req) continue;
        if (a.date) reader.assessment_date(*req, *a.date);
        if (!a.ratings.empty()) reader.assessment_ratings(*req, a.ratings, a.date);
        std::size_t score_position = 0;
        for (const auto& [name, text] : a.scores) reader.assessment_score(*req, score_position++, name, text);
    }
    if (reader.commit(*storage_, c.id, c.as_of)) return {};
    return reader.problems();
}

// ---- evaluation ------------------------------------------------------------------------

namespace {

// The cases as a RatingsBatch over the rule set's columns (rows `rows`, or all).
RatingsBatch to_columns(const RuleSetData& rd, const CaseBatch::Storage& s) {
    RatingsBatch batch(rd.columns_view, s.ids.size());
    // The row builder stores values and state codes as the batch does (0 for na and unknown).
    for (std::size_t col = 0; col < s.values.size(); ++col) {
        const auto c = static_cast<Index>(col);
        std::copy(s.values[col].begin(), s.values[col].end(), detail::RatingsBatchAccess::values(batch, c));
        std::copy(s.states[col].begin(), s.states[col].end(), detail::RatingsBatchAccess::states(batch, c));
    }
    for (std::size_t r = 0; r < s.ids.size(); ++r) {
        batch.id(r) = s.ids[r];
        batch.set_as_of(r, s.as_of_states[r] == detail::known_state ? std::optional<Date>(Date{static_cast<int>(s.as_of_days[r])}) : std::nullopt);
    }
    return batch;
}

// The cases' columns, read in place (no copy into a RatingsBatch).
detail::InputColumns input_columns(const CaseBatch::Storage& s) {
    detail::InputColumns in;
    for (std::size_t col = 0; col < s.values.size(); ++col) {
        in.values.push_back(s.values[col].data());
        in.states.push_back(s.states[col].data());
    }
    in.as_of = s.as_of_days.data();
    in.as_of_state = s.as_of_states.data();
    in.rows = static_cast<Index>(s.ids.size());
    return in;
}

Decision decision_at(const detail::ScoredColumns& sc, Index row, int score) {
    if (sc.states(row, score) != detail::known_state) return Decision::undetermined;
    return sc.values(row, score) != 0 ? Decision::eligible : Decision::not_eligible;
}

// Copies of one row with as_of = as_of + first ... as_of + first + days - 1, lists included.
std::pair<RatingsBatch, std::vector<detail::ListStore>> replicate(const RuleSetData& rd, const RatingsBatch& batch,
                                                                  const CaseBatch::Storage& s, std::size_t row, int first, int days) {
    RatingsBatch out(rd.columns_view, static_cast<std::size_t>(days));
    const Date start{batch.as_of(row)->days + first - 1};
    for (std::size_t col = 0; col < batch.columns(); ++col) {
        const CellState st = batch.state(row, col);
        for (int k = 0; k < days; ++k) {
            if (st == CellState::value) out.set_value(static_cast<std::size_t>(k), col, batch.value(row, col));
            else if (st == CellState::na) out.set_na(static_cast<std::size_t>(k), col);
        }
    }
    for (int k = 0; k < days; ++k) out.set_as_of(static_cast<std::size_t>(k), Date{start.days + k + 1});
    std::vector<detail::ListStore> lists(s.lists.size());
    for (std::size_t l = 0; l < s.lists.size(); ++l) {
        const detail::ListStore& src = s.lists[l];
        detail::ListStore& dst = lists[l];
        dst.values.resize(src.values.size());
        dst.states.resize(src.states.size());
        const Index from = src.offsets[row], to = src.offsets[row + 1];
        for (int k = 0; k < days; ++k) {
            dst.list_state.push_back(src.list_state[row]);
            for (Index i = from; i < to; ++i) {
                for (std::size_t f = 0; f < src.values.size(); ++f) {
                    dst.values[f].push_back(src.values[f][static_cast<std::size_t>(i)]);
                    dst.states[f].push_back(src.states[f][static_cast<std::size_t>(i)]);
                }
                dst.record_row.push_back(k);
            }
            dst.offsets.push_back(static_cast<Index>(dst.record_row.size()));
        }
    }
    return {std::move(out), std::move(lists)};
}

class DecisionBuilder {
public:
    DecisionBuilder(const RuleSetData& rd, const CaseBatch::Storage& s, const RatingsBatch& batch, const detail::ScoredColumns& sc)
        : rd_(rd), d_(*rd.model), s_(s), batch_(batch), sc_(sc) {}

    CaseDecisions build(std::size_t row, bool earliest) {
        CaseDecisions out;
        out.case_id = s_.ids[row];
        out.as_of = batch_.as_of(row);
        out.rules_key = d_.id + "@" + d_.version;
        out.rules_hash = d_.hash;
        out.assessments = assessments_of(s_, row);
        std::vector<ProgrammeDecision> all(rd_.programmes.size());
        missing_memo_.assign(rd_.programmes.size(), std::nullopt);
        std::vector<std::size_t> to_search;
        for (std::size_t p = 0; p < rd_.programmes.size(); ++p) {
            all[p] = decide_one(row, p);
            if (earliest && needs_search(all[p], p) && out.as_of) to_search.push_back(p);
        }
        if (!to_search.empty()) search_earliest(row, to_search, all);
        for (std::size_t p : rd_.report_order) out.decisions.push_back(std::move(all[p]));
        return out;
    }

private:
    ProgrammeDecision decide_one(std::size_t row, std::size_t p) {
        const detail::ProgrammeModel& prog = rd_.programmes[p];
        ProgrammeDecision out;
        out.programme = prog.info.id;
        out.decision = decision_at(sc_, static_cast<Index>(row), prog.decision_score);
        for (const auto& leaf : prog.leaves) out.reasons.push_back(reason(row, leaf));
        blame(prog, prog.eligible_root, true, out.reasons);
        blame(prog, prog.excluded_root, false, out.reasons);
        if (out.decision != Decision::eligible) out.missing = missing(row, p);
        return out;
    }

    Reason reason(std::size_t row, const detail::LeafModel& leaf) {
        Reason r;
        r.id = leaf.info.id;
        r.source = leaf.info.source;
        r.confidence = leaf.info.confidence;
        r.text = leaf.info.text;
        r.exclusion = leaf.info.exclusion;
        if (sc_.states(static_cast<Index>(row), leaf.score) == detail::known_state)
            r.value = sc_.values(static_cast<Index>(row), leaf.score) != 0;
        for (int c : leaf.columns) r.inputs.emplace_back(d_.fields[static_cast<std::size_t>(c)].column, cell_text(row, c));
        for (int l : leaf.lists) {
            const auto& store = s_.lists[static_cast<std::size_t>(l)];
            r.inputs.emplace_back(d_.lists[static_cast<std::size_t>(l)].id,
                                  store.list_state[row] != detail::known_state
                                      ? std::string("omitted")
                                      : std::to_string(store.offsets[row + 1] - store.offsets[row]) + " records");
        }
        return r;
    }

    static std::optional<bool> node_value(const detail::ProgrammeModel& prog, int node, const std::vector<Reason>& reasons) {
        const detail::ConditionNode& n = prog.nodes[static_cast<std::size_t>(node)];
        using K = detail::ConditionNode::Kind;
        if (n.kind == K::leaf) return reasons[static_cast<std::size_t>(n.leaf)].value;
        if (n.kind == K::not_) {
            if (n.children.empty()) return std::nullopt;
            auto v = node_value(prog, n.children[0], reasons);
            return v ? std::optional<bool>(!*v) : std::nullopt;
        }
        const bool decisive = n.kind == K::any;  // true decides an `any`, false an `all`
        bool unknown = false;
        for (int c : n.children) {
            auto v = node_value(prog, c, reasons);
            if (!v) unknown = true;
            else if (*v == decisive) return decisive;
        }
        return unknown ? std::nullopt : std::optional<bool>(!decisive);
    }

    // Marks the leaves that make `node` differ from `want`: a false member of a failing
    // `all`, every member of a failing `any`; a satisfied `any` blames none of its members.
    static void blame(const detail::ProgrammeModel& prog, int node, bool want, std::vector<Reason>& reasons) {
        if (node < 0) return;
        auto value = node_value(prog, node, reasons);
        if (!value || *value == want) return;
        const detail::ConditionNode& n = prog.nodes[static_cast<std::size_t>(node)];
        using K = detail::ConditionNode::Kind;
        switch (n.kind) {
            case K::leaf: reasons[static_cast<std::size_t>(n.leaf)].against = true; return;
            case K::not_:
                for (int c : n.children) blame(prog, c, !want, reasons);
                return;
            case K::all:
            case K::any:
                for (int c : n.children) {
                    auto v = node_value(prog, c, reasons);
                    // Only members on the wrong side hold it back.
                    if (v && *v == *value) blame(prog, c, want, reasons);
                }
                return;
        }
    }

    std::string cell_text(std::size_t row, int column) const {
        switch (batch_.state(row, static_cast<std::size_t>(column))) {
            case CellState::omitted: return "omitted";
            case CellState::na: return "na";
            case CellState::value: return batch_.text(row, static_cast<std::size_t>(column));
        }
        return "";
    }

    // Omitted facts and assessments feeding a leaf whose value is unknown.
    std::vector<std::string> missing(std::size_t row, std::size_t p) {
        if (missing_memo_[p]) return *missing_memo_[p];
        missing_memo_[p] = std::vector<std::string>{};  // guards against re-entry
        std::vector<std::string> out;
        auto add = [&](const std::string& m) {
            if (std::find(out.begin(), out.end(), m) == out.end()) out.push_back(m);
        };
        for (const auto& leaf : rd_.programmes[p].leaves) {
            if (sc_.states(static_cast<Index>(row), leaf.score) == detail::known_state) continue;
            if (!leaf.requires_instrument.empty()) add("assessments." + leaf.requires_instrument);
            for (int c : leaf.columns) {
                if (batch_.state(row, static_cast<std::size_t>(c)) == CellState::value) continue;
                const FieldInfo& f = d_.fields[static_cast<std::size_t>(c)];
                if (f.name == "value") {
                    add("facts." + f.owner);
                    continue;
                }
                // An instrument result: the whole assessment, or one result of it.
                const auto& req = *std::find_if(rd_.instruments.begin(), rd_.instruments.end(),
                                                [&](const detail::RequiredInstrument& i) { return i.id == f.owner; });
                add(batch_.state(row, static_cast<std::size_t>(req.date_column)) == CellState::value ? "assessments." + f.column
                                                                                                    : "assessments." + f.owner);
            }
            for (int l : leaf.lists)
                if (s_.lists[static_cast<std::size_t>(l)].list_state[row] != detail::known_state)
                    add("facts." + d_.lists[static_cast<std::size_t>(l)].id);
            for (int q : leaf.programmes)
                for (const auto& m : missing(row, static_cast<std::size_t>(q))) add(m);
        }
        missing_memo_[p] = out;
        return out;
    }

    // Could the passing of time alone turn `node` to `want`? A failing `all` needs every
    // false member fixed; a failing `any` needs one.
    bool time_can_fix(const detail::ProgrammeModel& prog, int node, bool want, const std::vector<Reason>& reasons) const {
        if (node < 0) return true;
        auto value = node_value(prog, node, reasons);
        if (!value || *value == want) return true;
        const detail::ConditionNode& n = prog.nodes[static_cast<std::size_t>(node)];
        using K = detail::ConditionNode::Kind;
        if (n.kind == K::leaf) return prog.leaves[static_cast<std::size_t>(n.leaf)].time_dependent;
        if (n.kind == K::not_) return n.children.empty() || time_can_fix(prog, n.children[0], !want, reasons);
        // The members on the wrong side; one fix is enough when `want` is what decides the group.
        const bool one_suffices = (n.kind == K::any) == want;
        bool any_fixable = false, all_fixable = true;
        for (int c : n.children) {
            auto v = node_value(prog, c, reasons);
            if (!v || *v != *value) continue;
            const bool fixable = time_can_fix(prog, c, want, reasons);
            any_fixable |= fixable;
            all_fixable &= fixable;
        }
        return one_suffices ? any_fixable : all_fixable;
    }

    // Only time stands in the way of a programme that is not eligible.
    bool needs_search(const ProgrammeDecision& d, std::size_t p) const {
        if (d.decision == Decision::eligible) return false;
        const detail::ProgrammeModel& prog = rd_.programmes[p];
        const bool held_back = std::any_of(d.reasons.begin(), d.reasons.end(), [](const Reason& r) { return r.against; });
        return held_back && time_can_fix(prog, prog.eligible_root, true, d.reasons) &&
               time_can_fix(prog, prog.excluded_root, false, d.reasons);
    }

    // Day by day from the day after as_of to the horizon, in windows that double (most
    // dates are near), computing only the scores the searched programmes read.
    void search_earliest(std::size_t row, const std::vector<std::size_t>& programmes, std::vector<ProgrammeDecision>& all) {
        const Date start = *batch_.as_of(row);
        const int days = days_between(start, add(start, rd_.horizon));
        std::vector<int> wanted;
        for (std::size_t p : programmes) wanted.push_back(rd_.programmes[p].decision_score);
        const std::vector<char> needed = detail::scores_needed(d_, wanted);
        std::vector<std::size_t> pending = programmes;
        for (int first = 1, width = 32; first <= days && !pending.empty(); first += width, width *= 2) {
            const int n = std::min(width, days - first + 1);
            auto [future, lists] = replicate(rd_, batch_, s_, row, first, n);
            const detail::ScoredColumns sc = detail::score_columns(d_, future, &lists, 1, false, &wanted, &needed);
            std::erase_if(pending, [&](std::size_t p) {
                const auto column = static_cast<int>(std::find(programmes.begin(), programmes.end(), p) - programmes.begin());
                for (Index k = 0; k < n; ++k)
                    if (decision_at(sc, k, column) != Decision::not_eligible) {
                        all[p].earliest_date = Date{start.days + first + static_cast<int>(k)};
                        return true;
                    }
                return false;
            });
        }
    }

    const RuleSetData& rd_;
    const InstrumentData& d_;
    const CaseBatch::Storage& s_;
    const RatingsBatch& batch_;
    const detail::ScoredColumns& sc_;
    std::vector<std::optional<std::vector<std::string>>> missing_memo_;
};

}  // namespace

DecisionMatrix decide_columns(const RuleSet& rules, const CaseBatch& cases, unsigned threads) {
    const RuleSetData& rd = rules.data();
    std::vector<int> decisions;  // only the decisions are kept, not every condition
    for (const auto& p : rd.programmes) decisions.push_back(p.decision_score);
    detail::ScoredColumns sc = detail::score_columns(*rd.model, input_columns(cases.storage()), &cases.storage().lists, threads, false, &decisions);
    DecisionMatrix out(static_cast<Index>(cases.rows()), static_cast<Index>(rd.programmes.size()));
    for (std::size_t p = 0; p < rd.programmes.size(); ++p)
        for (Index r = 0; r < out.rows(); ++r)
            out(r, static_cast<Index>(p)) = static_cast<std::uint8_t>(decision_at(sc, r, static_cast<int>(p)));
    return out;
}

std::vector<CaseDecisions> decide_batch(const RuleSet& rules, const CaseBatch& cases, const DecideOptions& options) {
    const RuleSetData& rd = rules.data();
    RatingsBatch batch = to_columns(rd, cases.storage());
    detail::ScoredColumns sc = detail::score_columns(*rd.model, batch, &cases.storage().lists, options.threads, false);
    DecisionBuilder builder(rd, cases.storage(), batch, sc);
    std::vector<CaseDecisions> out;
    out.reserve(cases.rows());
    for (std::size_t r = 0; r < cases.rows(); ++r) out.push_back(builder.build(r, options.earliest_dates));
    return out;
}

Result<CaseDecisions> decide(const RuleSet& rules, const CaseInput& c, const DecideOptions& options) {
    CaseBatch batch(rules);
    auto problems = batch.add(c);
    if (!problems.empty()) return Result<CaseDecisions>(std::move(problems));
    return std::move(decide_batch(rules, batch, options).front());
}

const ProgrammeDecision* CaseDecisions::find(std::string_view programme) const {
    for (const auto& d : decisions)
        if (d.programme == programme) return &d;
    return nullptr;
}

// ---- output ----------------------------------------------------------------------------

std::string to_json(const CaseDecisions& c, bool all_reasons) {
    using detail::append_json_string;
    std::string out = "{\"case\":";
    append_json_string(out, c.case_id);
    out += ",\"as_of\":";
    if (c.as_of) append_json_string(out, to_string(*c.as_of));
    else out += "null";
    out += ",\"rules\":";
    append_json_string(out, c.rules_key);
    out += ",\"hash\":";
    append_json_string(out, c.rules_hash);
    out += ",\"assessments\":[";
    for (std::size_t i = 0; i < c.assessments.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, c.assessments[i]);
    }
    out += "],\"decisions\":[";
    for (std::size_t i = 0; i < c.decisions.size(); ++i) {
        const ProgrammeDecision& d = c.decisions[i];
        if (i) out += ',';
        out += "{\"programme\":";
        append_json_string(out, d.programme);
        out += ",\"decision\":\"" + std::string(to_string(d.decision)) + "\",\"reasons\":[";
        bool first = true;
        for (const Reason& r : d.reasons) {
            if (!all_reasons && !r.against && r.value) continue;
            if (!first) out += ',';
            first = false;
            out += "{\"id\":";
            append_json_string(out, r.id);
            out += ",\"source\":";
            append_json_string(out, r.source);
            out += ",\"confidence\":";
            append_json_string(out, r.confidence);
            out += ",\"value\":" + std::string(r.value ? (*r.value ? "true" : "false") : "null");
            out += ",\"exclusion\":" + std::string(r.exclusion ? "true" : "false");
            out += ",\"against\":" + std::string(r.against ? "true" : "false");
            out += ",\"text\":";
            append_json_string(out, r.text);
            out += ",\"inputs\":{";
            for (std::size_t j = 0; j < r.inputs.size(); ++j) {
                if (j) out += ',';
                append_json_string(out, r.inputs[j].first);
                out += ':';
                append_json_string(out, r.inputs[j].second);
            }
            out += "}}";
        }
        out += "],\"missing\":[";
        for (std::size_t k = 0; k < d.missing.size(); ++k) {
            if (k) out += ',';
            append_json_string(out, d.missing[k]);
        }
        out += "],\"earliest_date\":";
        if (d.earliest_date) append_json_string(out, to_string(*d.earliest_date));
        else out += "null";
        out += "}";
    }
    out += "]}";
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
        std::string word = d.decision == Decision::eligible       ? "ELIGIBLE"
                         : d.decision == Decision::not_eligible ? "NOT ELIGIBLE"
                                                                : "UNDETERMINED";
        out += "\n" + d.programme + ": " + word + "\n";
        for (const auto& r : d.reasons) {
            const bool unknown = !r.value;
            if (!explain && !r.against && !(unknown && d.decision == Decision::undetermined)) continue;
            std::string mark = r.against ? (r.exclusion ? "  excluded: " : "  fails:    ")
                             : unknown   ? "  unknown:  "
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

// ---- embedded tests --------------------------------------------------------------------

RulesTestReport run_rules_tests(const RuleSet& rules) {
    RulesTestReport report;
    for (const auto& tc : rules.data().tests) {
        auto decided = decide(rules, tc.input);
        if (!decided) {
            ++report.failed;
            report.failures.push_back({tc.where, "test '" + tc.name + "': the case is invalid: " + decided.diagnostics()[0].message});
            continue;
        }
        bool ok = true;
        auto fail = [&](const Location& where, const std::string& message) {
            ok = false;
            report.failures.push_back({where, "test '" + tc.name + "': " + message});
        };
        for (const auto& [programme, expected] : tc.expect) {
            const ProgrammeDecision* d = decided->find(programme);
            if (d->decision != expected.first)
                fail(expected.second, programme + ": expected " + std::string(to_string(expected.first)) + ", got " +
                                          std::string(to_string(d->decision)));
        }
        for (const auto& [programme, expected] : tc.expect_earliest) {
            const ProgrammeDecision* d = decided->find(programme);
            if (d->earliest_date != expected.first)
                fail(expected.second, programme + ": expected earliest date " + (expected.first ? to_string(*expected.first) : "null") +
                                          ", got " + (d->earliest_date ? to_string(*d->earliest_date) : "null"));
        }
        auto join = [](std::vector<std::string> v) {
            std::sort(v.begin(), v.end());
            std::string s = "[";
            for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
            return s + "]";
        };
        for (const auto& [programme, expected] : tc.expect_missing) {
            const ProgrammeDecision* d = decided->find(programme);
            if (join(d->missing) != join(expected.first))
                fail(expected.second, programme + ": expected missing " + join(expected.first) + ", got " + join(d->missing));
        }
        for (const auto& [programme, expected] : tc.expect_failed) {
            const ProgrammeDecision* d = decided->find(programme);
            std::vector<std::string> failed;
            for (const auto& r : d->reasons)
                if (r.against) failed.push_back(r.id);
            if (join(failed) != join(expected.first))
                fail(expected.second, programme + ": expected failing " + join(expected.first) + ", got " + join(failed));
        }
        (ok ? report.passed : report.failed)++;
    }
    return report;
}

}  // namespace kelias
