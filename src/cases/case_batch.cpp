// CaseBatch: cases checked and stored by column; deciding one case.
#include <kelias/rules.hpp>

#include "base/checked.hpp"
#include "cases/case_rows.hpp"
#include "model/case_columns.hpp"
#include "model/rule_set_data.hpp"

KELIAS_BEGIN_NAMESPACE

CaseBatch::CaseBatch(const RuleSet& rules)
    : storage_(std::make_unique<Storage>(Storage{rules, {}, {}, {}, {}, {}, {}, {0}, {}})) {
    const detail::Model& m = rules.data().model;
    storage_->values.resize(m.fields.size());
    storage_->states.resize(m.fields.size());
    storage_->lists.resize(m.lists.size());
    for (std::size_t l = 0; l < m.lists.size(); ++l) {
        storage_->lists[l].values.resize(m.lists[l].fields.size());
        storage_->lists[l].states.resize(m.lists[l].fields.size());
    }
}

CaseBatch::~CaseBatch() = default;
CaseBatch::CaseBatch(CaseBatch&&) noexcept = default;
CaseBatch& CaseBatch::operator=(CaseBatch&&) noexcept = default;
void CaseBatch::reserve(std::size_t rows) {
    Storage& s = *storage_;
    s.ids.reserve(rows);
    s.as_of_days.reserve(rows);
    s.as_of_states.reserve(rows);
    s.assessment_offsets.reserve(rows + 1);
    for (auto& column : s.values) column.reserve(rows);
    for (auto& column : s.states) column.reserve(rows);
    for (auto& list : s.lists) {
        list.offsets.reserve(rows + 1);
        list.list_state.reserve(rows);
    }
}

void CaseBatch::clear() noexcept {
    Storage& s = *storage_;
    s.ids.clear();
    s.as_of_days.clear();
    s.as_of_states.clear();
    s.assessment_offsets.resize(1);  // {0}
    s.assessed.clear();
    for (auto& column : s.values) column.clear();
    for (auto& column : s.states) column.clear();
    for (auto& list : s.lists) {
        list.offsets.resize(1);  // {0}
        list.list_state.clear();
        for (auto& field : list.values) field.clear();
        for (auto& field : list.states) field.clear();
        list.record_row.clear();
    }
}

std::size_t CaseBatch::rows() const noexcept { return storage_->ids.size(); }
const std::string& CaseBatch::id(std::size_t row) const { return storage_->ids.at(row); }
const RuleSet& CaseBatch::rules() const noexcept { return storage_->rules; }

std::optional<Date> CaseBatch::as_of(std::size_t row) const {
    if (storage_->as_of_states.at(row) != detail::known_state) return std::nullopt;
    return detail::date_from_column(storage_->as_of_days[row]);
}

std::vector<std::string> CaseBatch::assessments_used(std::size_t row) const {
    return detail::assessments_of(*storage_, row);
}

void CaseBatch::set_as_of(Date d) {
    std::fill(storage_->as_of_days.begin(), storage_->as_of_days.end(), d.days);
    std::fill(storage_->as_of_states.begin(), storage_->as_of_states.end(), detail::known_state);
}

detail::CaseRowBuilder& CaseBatch::reader() {
    if (!reader_) reader_ = std::make_unique<detail::CaseRowBuilder>(storage_->rules.data());
    reader_->start();
    return *reader_;
}

std::vector<Diagnostic> CaseBatch::add(const CaseInput& c) {
    detail::CaseRowBuilder& rows = reader();
    std::size_t position = 0;
    for (const auto& [name, text] : c.facts) rows.fact(position++, name, text);
    for (const auto& [name, records] : c.lists) {
        if (!records) {
            rows.fact(position++, name, "");
            continue;
        }
        const int list = rows.begin_list(position++, name);
        if (list < 0) continue;
        for (std::size_t i = 0; i < records->size(); ++i) {
            if (!rows.add_record(list, name)) break;
            for (const auto& [field, text] : (*records)[i]) rows.record_field(list, name, i, field, text);
        }
    }
    for (const auto& a : c.assessments) {
        if (latest_assessment(c, a.instrument, c.as_of) != &a) continue;  // history: the latest speaks
        const detail::RequiredInstrument* req = rows.begin_assessment(a.instrument);
        if (!req) continue;
        if (a.date) rows.assessment_date(*req, *a.date);
        if (!a.ratings.empty()) rows.assessment_ratings(*req, a.ratings, a.date);
        std::size_t score_position = 0;
        for (const auto& [name, text] : a.scores) rows.assessment_score(*req, score_position++, name, text);
    }
    if (rows.commit(*storage_, c.id, c.as_of)) return {};
    return detail::to_diagnostics(rows.problems(), c.where, &c.places);
}

Result<CaseDecisions> decide(const RuleSet& rules, const CaseInput& c, const DecideOptions& options) {
    CaseBatch batch(rules);
    auto problems = batch.add(c);
    if (!problems.empty()) return problems;
    return std::move(decide_batch(rules, batch, options).front());
}

KELIAS_END_NAMESPACE
