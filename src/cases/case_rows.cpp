#include "cases/case_rows.hpp"

#include <algorithm>

#include <kelias/scoring.hpp>

#include "language/expression.hpp"

namespace kelias::detail {

CaseRowBuilder::CaseRowBuilder(const RuleSetData& rd) : rd_(rd), d_(*rd.model) {
    // Facts are the columns without a dot; instrument results are `id.score`.
    for (const auto& [name, column] : d_.field_by_column)
        if (name.find('.') == std::string::npos) facts_[name].column = static_cast<int>(column);
    for (const auto& [name, list] : d_.list_index) facts_[name] = FactTarget{-1, list};
    given_columns_.resize(rd.instruments.size());
    score_lookup_.resize(rd.instruments.size());
    for (std::size_t i = 0; i < rd.instruments.size(); ++i) {
        const std::string prefix = rd.instruments[i].id + ".";
        for (const auto& [name, column] : d_.field_by_column)
            if (name.starts_with(prefix) && name != prefix + "date")
                given_columns_[i][std::string_view(name).substr(prefix.size())] = static_cast<int>(column);
    }
    values_.assign(d_.fields.size(), 0.0);
    states_.assign(d_.fields.size(), unknown_state);
    lists_.resize(d_.lists.size());
    for (std::size_t l = 0; l < d_.lists.size(); ++l) {
        lists_[l].values.resize(d_.lists[l].fields.size());
        lists_[l].states.resize(d_.lists[l].fields.size());
    }
}

CaseRowBuilder& CaseRowBuilder::start(CaseBatch::Storage& s) {
    if (!s.reader) s.reader = std::make_unique<CaseRowBuilder>(s.rules.data());
    s.reader->forget_case();
    return *s.reader;
}

void CaseRowBuilder::forget_case() {
    std::fill(values_.begin(), values_.end(), 0.0);
    std::fill(states_.begin(), states_.end(), unknown_state);
    for (auto& l : lists_) l.reset(PendingList::State::unset);
    assessments_.clear();
    seen_.clear();
    scored_columns_.clear();
    problems_.clear();
}

void CaseRowBuilder::problem(std::string message, std::string hint) {
    problems_.push_back({Severity::error, "E601", std::move(message), std::move(hint), {}});
}

const char* CaseRowBuilder::set_cell(int column, std::string_view text) {
    const auto c = static_cast<std::size_t>(column);
    const ParsedCell cell = parse_field_cell(d_, d_.fields[c], d_.field_models[c].scale, text);
    if (cell.error) return cell.error;
    values_[c] = cell.value;
    states_[c] = static_cast<std::uint8_t>(cell.state);
    return nullptr;
}

CaseRowBuilder::FactTarget CaseRowBuilder::find_fact(std::size_t position, std::string_view name) {
    return fact_lookup_.find(position, name, [&](std::string_view n) {
        auto it = facts_.find(n);
        return it == facts_.end() ? FactTarget{} : it->second;
    });
}

void CaseRowBuilder::unknown_fact(std::string_view name, const char* what) {
    std::vector<std::string> names;
    for (const auto& [fact, _] : rd_.fact_types) names.push_back(fact.ends_with("[]") ? fact.substr(0, fact.size() - 2) : fact);
    problem("facts." + std::string(name) + ": the rules have no such " + what, did_you_mean(std::string(name), names));
}

void CaseRowBuilder::fact(std::size_t position, std::string_view name, std::string_view text) {
    const FactTarget target = find_fact(position, name);
    if (target.list >= 0) {
        if (!text.empty()) problem("facts." + std::string(name) + ": expected a list of records");
        lists_[static_cast<std::size_t>(target.list)].reset(PendingList::State::omitted);
        return;
    }
    if (target.column < 0) return unknown_fact(name, "fact");
    if (const char* error = set_cell(target.column, text)) problem("facts." + std::string(name) + ": " + error);
}

int CaseRowBuilder::begin_list(std::size_t position, std::string_view name) {
    const FactTarget target = find_fact(position, name);
    if (target.list < 0) {
        unknown_fact(name, "list");
        return -1;
    }
    lists_[static_cast<std::size_t>(target.list)].reset(PendingList::State::given);
    return target.list;
}

void CaseRowBuilder::add_record(int list) {
    PendingList& l = lists_[static_cast<std::size_t>(list)];
    ++l.records;
    for (auto& v : l.values) v.push_back(0.0);
    for (auto& s : l.states) s.push_back(unknown_state);
}

void CaseRowBuilder::record_field(int list, std::string_view list_name, std::size_t record, std::string_view field,
                                  std::string_view text) {
    const ListModel& model = d_.lists[static_cast<std::size_t>(list)];
    auto path = [&] { return "facts." + std::string(list_name) + "[" + std::to_string(record) + "]." + std::string(field); };
    auto f = std::find(model.field_names.begin(), model.field_names.end(), field);
    if (f == model.field_names.end()) return problem(path() + ": no such field", did_you_mean(std::string(field), model.field_names));
    const auto fi = static_cast<std::size_t>(f - model.field_names.begin());
    const ParsedCell cell = parse_field_cell(d_, model.fields[fi], model.field_models[fi].scale, text);
    if (cell.error) return problem(path() + ": " + cell.error);
    PendingList& l = lists_[static_cast<std::size_t>(list)];
    l.values[fi].back() = cell.value;
    l.states[fi].back() = static_cast<std::uint8_t>(cell.state);
}

const RequiredInstrument* CaseRowBuilder::begin_assessment(std::string_view id) {
    auto req = std::find_if(rd_.instruments.begin(), rd_.instruments.end(), [&](const RequiredInstrument& r) { return r.id == id; });
    if (req == rd_.instruments.end()) {
        std::vector<std::string> ids;
        for (const auto& r : rd_.instruments) ids.push_back(r.id);
        problem("assessments." + std::string(id) + ": the rules read no such instrument", did_you_mean(std::string(id), ids));
        return nullptr;
    }
    if (std::find(seen_.begin(), seen_.end(), &*req) != seen_.end()) {
        problem("assessments." + std::string(id) + ": given twice", "give the latest assessment only");
        return nullptr;
    }
    seen_.push_back(&*req);
    scored_columns_.clear();
    assessments_.push_back(static_cast<std::uint16_t>(req - rd_.instruments.begin()));
    return &*req;
}

void CaseRowBuilder::assessment_date(const RequiredInstrument& req, Date date) {
    const auto c = static_cast<std::size_t>(req.date_column);
    values_[c] = date.days;
    states_[c] = known_state;
}

void CaseRowBuilder::assessment_score(const RequiredInstrument& req, std::size_t position, std::string_view name,
                                      std::string_view text) {
    const auto instrument = static_cast<std::size_t>(&req - rd_.instruments.data());
    const int column = score_lookup_[instrument].find(position, name, [&](std::string_view n) {
        auto it = given_columns_[instrument].find(n);
        return it == given_columns_[instrument].end() ? -1 : it->second;
    });
    if (column < 0) {
        std::vector<std::string> names;
        for (const auto& s : req.instrument.scores()) names.push_back(s.id);
        return problem("assessments." + req.id + ".scores." + std::string(name) + ": " + req.instrument.key() +
                           " has no such score or outcome field",
                       did_you_mean(std::string(name), names));
    }
    scored_columns_.push_back(column);
    if (const char* error = set_cell(column, text))
        problem("assessments." + req.id + ".scores." + std::string(name) + ": " + error);
}

void CaseRowBuilder::assessment_ratings(const RequiredInstrument& req, const std::map<std::string, std::string>& ratings,
                                        std::optional<Date> date) {
    const std::string path = "assessments." + req.id;
    Assessment input;
    input.as_of = date;
    input.cells = ratings;
    auto scored = score(req.instrument, input);
    if (!scored) {
        for (const auto& d : scored.diagnostics()) problem(path + ".ratings: " + d.message, d.hint);
        return;
    }
    // Results given under `scores:` win over the same results scored from ratings.
    auto given = [&](int column) { return std::find(scored_columns_.begin(), scored_columns_.end(), column) != scored_columns_.end(); };
    for (const auto& [s, column] : req.score_columns) {
        const Value& v = scored->scores[s].second;
        if (v.kind == Value::Kind::unknown || given(column)) continue;
        if (const char* error = set_cell(column, v.to_string())) problem(path + "." + scored->scores[s].first + ": " + error);
    }
    for (const auto& [f, column] : req.field_columns) {
        auto it = ratings.find(req.instrument.fields()[f].column);
        if (it == ratings.end() || given(column)) continue;
        if (const char* error = set_cell(column, it->second)) problem(path + ".ratings." + it->first + ": " + error);
    }
}

bool CaseRowBuilder::commit(CaseBatch::Storage& s, std::string_view id, std::optional<Date> as_of) {
    if (!problems_.empty()) return false;
    const std::size_t row = s.ids.size();
    s.ids.emplace_back(id);
    s.as_of_days.push_back(as_of ? as_of->days : 0.0);
    s.as_of_states.push_back(as_of ? known_state : unknown_state);
    s.assessed.insert(s.assessed.end(), assessments_.begin(), assessments_.end());
    s.assessment_offsets.push_back(static_cast<std::uint32_t>(s.assessed.size()));
    for (std::size_t col = 0; col < s.values.size(); ++col) {
        s.values[col].push_back(values_[col]);
        s.states[col].push_back(states_[col]);
    }
    for (std::size_t l = 0; l < s.lists.size(); ++l) {
        ListStore& store = s.lists[l];
        const PendingList& pending = lists_[l];
        const bool given = pending.state == PendingList::State::given;
        store.list_state.push_back(given ? known_state : unknown_state);
        if (given) {
            for (std::size_t f = 0; f < pending.values.size(); ++f) {
                store.values[f].insert(store.values[f].end(), pending.values[f].begin(), pending.values[f].end());
                store.states[f].insert(store.states[f].end(), pending.states[f].begin(), pending.states[f].end());
            }
            store.record_row.insert(store.record_row.end(), pending.records, static_cast<Eigen::Index>(row));
        }
        store.offsets.push_back(static_cast<Eigen::Index>(store.record_row.size()));
    }
    return true;
}

}  // namespace kelias::detail
