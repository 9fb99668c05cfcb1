#include "cases/case_rows.hpp"

#include <algorithm>

#include <kelias/scoring.hpp>

#include "base/text.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

std::vector<Diagnostic> to_diagnostics(const std::vector<CaseProblem>& problems, const Location& where,
                                       const std::map<CasePath, Location>* places) {
    std::vector<Diagnostic> out;
    for (const auto& p : problems) {
        Location at = where;
        if (places) {
            if (auto it = places->find(p.path); it != places->end()) at = it->second;
        }
        out.push_back({Severity::error, p.code, p.path.to_string() + ": " + p.message, p.hint, at});
    }
    return out;
}

CaseRowBuilder::CaseRowBuilder(const RuleSetData& rd) : rd_(rd), m_(rd.model) {
    for (const auto& [name, column] : rd.fact_columns) facts_[name].column = column;
    for (const auto& [name, list] : m_.list_index) facts_[name] = FactTarget{-1, list};
    score_lookup_.resize(rd.instruments.size());
    values_.assign(m_.fields.size(), 0.0);
    states_.assign(m_.fields.size(), unknown_state);
    fact_given_.assign(m_.fields.size() + m_.lists.size(), 0);
    lists_.resize(m_.lists.size());
    for (std::size_t l = 0; l < m_.lists.size(); ++l) {
        lists_[l].values.resize(m_.lists[l].fields.size());
        lists_[l].states.resize(m_.lists[l].fields.size());
        lists_[l].field_given.assign(m_.lists[l].fields.size(), 0);
    }
}

void CaseRowBuilder::start() {
    std::fill(values_.begin(), values_.end(), 0.0);
    std::fill(states_.begin(), states_.end(), unknown_state);
    std::fill(fact_given_.begin(), fact_given_.end(), 0);
    for (auto& l : lists_) l.reset(PendingList::State::unset);
    assessments_.clear();
    seen_.clear();
    scored_columns_.clear();
    problems_.clear();
}

void CaseRowBuilder::problem(CasePath path, std::string message, std::string hint, DiagnosticCode code) {
    problems_.push_back({std::move(path), code, std::move(message), std::move(hint)});
}

const char* CaseRowBuilder::set_cell(int column, std::string_view text) {
    const auto c = static_cast<std::size_t>(column);
    const ParsedCell cell = parse_field_cell(m_, m_.fields[c], m_.field_models[c].scale, text);
    if (cell.error) return cell.error;
    values_[c] = cell.value;
    states_[c] = static_cast<std::uint8_t>(cell.state);
    return nullptr;
}

CaseRowBuilder::FactTarget CaseRowBuilder::find_fact(std::size_t position, std::string_view name) {
    return fact_lookup_.find(position, name, [&](std::string_view n) {
        auto it = facts_.find(n);
        return it == facts_.end() ? std::pair<std::string_view, FactTarget>{}
                                  : std::pair<std::string_view, FactTarget>(*it);
    });
}

void CaseRowBuilder::unknown_fact(std::string_view name, const char* what) {
    std::vector<std::string> names;
    for (const auto& [fact, _] : facts_) names.emplace_back(fact);
    std::sort(names.begin(), names.end());
    problem(CasePath::fact(for_message(name)), std::string("the rules have no such ") + what,
            did_you_mean(name, names));
}

bool CaseRowBuilder::first_time(std::size_t slot, std::string_view name) {
    if (!fact_given_[slot]) {
        fact_given_[slot] = 1;
        return true;
    }
    problem(CasePath::fact(std::string(name)), "given twice", "keep one of them", DiagnosticCode::duplicate_key);
    return false;
}

void CaseRowBuilder::fact(std::size_t position, std::string_view name, std::string_view text) {
    const FactTarget target = find_fact(position, name);
    const std::size_t slot = target.list >= 0 ? m_.fields.size() + static_cast<std::size_t>(target.list)
                                              : static_cast<std::size_t>(target.column);
    if ((target.list >= 0 || target.column >= 0) && !first_time(slot, name)) return;
    if (target.list >= 0) {
        if (!text.empty()) problem(CasePath::fact(std::string(name)), "expected a list of records");
        lists_[static_cast<std::size_t>(target.list)].reset(PendingList::State::omitted);
        return;
    }
    if (target.column < 0) return unknown_fact(name, "fact");
    if (const char* error = set_cell(target.column, text)) problem(CasePath::fact(std::string(name)), error);
}

int CaseRowBuilder::begin_list(std::size_t position, std::string_view name) {
    const FactTarget target = find_fact(position, name);
    if (target.list < 0) {
        unknown_fact(name, "list");
        return -1;
    }
    if (!first_time(m_.fields.size() + static_cast<std::size_t>(target.list), name)) return -1;
    lists_[static_cast<std::size_t>(target.list)].reset(PendingList::State::given);
    return target.list;
}

bool CaseRowBuilder::add_record(int list, std::string_view list_name) {
    PendingList& l = lists_[static_cast<std::size_t>(list)];
    if (l.records == max_records_per_list) {
        problem(CasePath::fact(std::string(list_name)),
                "more than " + std::to_string(max_records_per_list) + " records",
                "a list fact holds at most that many per case", DiagnosticCode::input_limit);
    }
    if (l.records >= max_records_per_list) return false;
    ++l.records;
    std::fill(l.field_given.begin(), l.field_given.end(), 0);
    for (auto& v : l.values) v.push_back(0.0);
    for (auto& s : l.states) s.push_back(unknown_state);
    return true;
}

void CaseRowBuilder::record_field(int list, std::string_view list_name, std::size_t record, std::string_view field,
                                  std::string_view text) {
    const ListModel& model = m_.lists[static_cast<std::size_t>(list)];
    // The path only for a problem: most fields are fine, and building it costs more than reading them.
    auto path = [&] { return CasePath::record_field(std::string(list_name), record, for_message(field)); };
    auto f = std::find(model.field_names.begin(), model.field_names.end(), field);
    if (f == model.field_names.end()) return problem(path(), "no such field", did_you_mean(field, model.field_names));
    const auto fi = static_cast<std::size_t>(f - model.field_names.begin());
    PendingList& l = lists_[static_cast<std::size_t>(list)];
    if (l.records == 0) return;
    if (l.field_given[fi]) return problem(path(), "given twice", "keep one of them", DiagnosticCode::duplicate_key);
    l.field_given[fi] = 1;
    const ParsedCell cell = parse_field_cell(m_, model.fields[fi], model.field_models[fi].scale, text);
    if (cell.error) return problem(path(), cell.error);
    l.values[fi].back() = cell.value;
    l.states[fi].back() = static_cast<std::uint8_t>(cell.state);
}

const RequiredInstrument* CaseRowBuilder::begin_assessment(std::string_view id) {
    auto path = [&] { return CasePath::assessment(for_message(id)); };  // only for a problem
    auto req = std::find_if(rd_.instruments.begin(), rd_.instruments.end(),
                            [&](const RequiredInstrument& r) { return r.id == id; });
    if (req == rd_.instruments.end()) {
        std::vector<std::string> ids;
        for (const auto& r : rd_.instruments) ids.push_back(r.id);
        problem(path(), "the rules read no such instrument", did_you_mean(id, ids));
        return nullptr;
    }
    if (std::find(seen_.begin(), seen_.end(), &*req) != seen_.end()) {
        problem(path(), "given twice", "give the latest assessment only", DiagnosticCode::duplicate_key);
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
    auto path = [&] { return CasePath::score(req.id, for_message(name)); };  // only for a problem
    const int column = score_lookup_[instrument].find(position, name, [&](std::string_view n) {
        for (const auto& [given, column] : req.given_columns)  // a few names; no key made from `n`
            if (given == n) return std::pair<std::string_view, int>{given, column};
        return std::pair<std::string_view, int>{{}, -1};
    });
    if (column < 0) {
        std::vector<std::string> names;
        for (const auto& s : req.instrument.scores()) names.push_back(s.id);
        return problem(path(), req.instrument.key() + " has no such score or outcome field", did_you_mean(name, names));
    }
    if (std::find(scored_columns_.begin(), scored_columns_.end(), column) != scored_columns_.end())
        return problem(path(), "given twice", "keep one of them", DiagnosticCode::duplicate_key);
    scored_columns_.push_back(column);
    if (const char* error = set_cell(column, text)) problem(path(), error);
}

void CaseRowBuilder::assessment_ratings(const RequiredInstrument& req,
                                        const std::map<std::string, std::string>& ratings, std::optional<Date> date) {
    // Each rating checked on its own, so that every problem names its column.
    bool fits = true;
    for (const auto& [column, text] : ratings) {
        const CasePath path = CasePath::rating(req.id, for_message(column));
        const auto field = req.instrument.find_field(column);
        if (!field) {
            problem(path, req.instrument.key() + " has no such column", field.error().front().hint);
            fits = false;
        } else if (const char* error = parse_cell(req.instrument, *field, text).error) {
            problem(path, error);
            fits = false;
        }
    }
    if (!fits) return;
    Assessment input;
    input.as_of = date;
    input.cells = ratings;
    auto scored = score(req.instrument, input);
    if (!scored) {
        for (const auto& d : scored.error()) problem(CasePath::assessment(req.id), d.message, d.hint);
        return;
    }
    // Results given under `scores:` win over the same results scored from ratings.
    auto given = [&](int column) {
        return std::find(scored_columns_.begin(), scored_columns_.end(), column) != scored_columns_.end();
    };
    for (const auto& [s, column] : req.score_columns) {
        const Value& v = scored->scores[s].second;
        if (v.kind == Value::Kind::unknown || given(column)) continue;
        if (const char* error = set_cell(column, v.to_string()))
            problem(CasePath::score(req.id, scored->scores[s].first), error);
    }
    for (const auto& [f, column] : req.field_columns) {
        auto it = ratings.find(req.instrument.fields()[f].column);
        if (it == ratings.end() || given(column)) continue;
        if (const char* error = set_cell(column, it->second)) problem(CasePath::rating(req.id, it->first), error);
    }
}

bool CaseRowBuilder::commit(CaseBatch::Storage& s, std::string_view id, std::optional<Date> as_of) {
    if (!is_valid_utf8(id))
        problem(CasePath::case_id(), "the id is not valid UTF-8", "ids are text; check the file's encoding");
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
            store.record_row.insert(store.record_row.end(), pending.records, static_cast<std::int64_t>(row));
        }
        store.offsets.push_back(static_cast<std::int64_t>(store.record_row.size()));
    }
    return true;
}

}  // namespace detail
KELIAS_END_NAMESPACE
