#pragma once
// Reading one case into a CaseBatch row: every fact, record and assessment checked against
// the rule set, problems named by their path in the case, and the row appended only when
// there is none. CaseBatch::add (from a CaseInput) and CaseBatch::add_json (from JSON text)
// both drive this one reader, so they accept and refuse exactly the same cases.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <kelias/diagnostic.hpp>
#include <kelias/rules.hpp>

#include "model/case_columns.hpp"
#include "model/rule_set_data.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// Name lookups that remember the name read at each position of a case. The cases of one
/// file list their members in one order, so most lookups are one comparison; a member or
/// two left out (or one more) shifts the rest, so the neighbouring positions are tried
/// next, before the slow lookup. Nothing is allocated per lookup: the names remembered are
/// the rule set's own (`find_slowly` returns {name, target}, the name empty when unknown,
/// which is then not remembered).
template <class Target>
class PositionalLookup {
public:
    template <class FindSlowly>
    Target find(std::size_t position, std::string_view name, FindSlowly&& find_slowly) {
        const std::size_t n = seen_.size();
        if (position < n && seen_[position].first == name) return seen_[position].second;
        if (position + 1 < n && seen_[position + 1].first == name) return seen_[position + 1].second;
        if (position + 2 < n && seen_[position + 2].first == name) return seen_[position + 2].second;
        if (position > 0 && position - 1 < n && seen_[position - 1].first == name) return seen_[position - 1].second;
        const std::pair<std::string_view, Target> found = find_slowly(name);
        if (!found.first.empty()) {
            if (position >= n) seen_.resize(position + 1);
            seen_[position] = found;
        }
        return found.second;
    }

private:
    std::vector<std::pair<std::string_view, Target>> seen_;  // names owned by the rule set
};

/// Records one list fact of one case may hold; more is an input error (E801).
constexpr std::size_t max_records_per_list = 10000;

/// A problem of one case: where in the case, and what.
struct CaseProblem {
    CasePath path;
    DiagnosticCode code = DiagnosticCode::case_mismatch;
    std::string message;  // without the path
    std::string hint;
};

/// Turns problems into diagnostics `path: message`, placed where `places` says (when given).
std::vector<Diagnostic> to_diagnostics(const std::vector<CaseProblem>& problems, const Location& where,
                                       const std::map<CasePath, Location>* places);

class CaseRowBuilder {
public:
    explicit CaseRowBuilder(const RuleSetData& rd);

    /// Forgets the previous case.
    void start();

    /// The `position`-th fact of the case (0, 1, ...: it only speeds up the name lookup):
    /// a scalar, or `null`/empty for a list (the list is then omitted).
    void fact(std::size_t position, std::string_view name, std::string_view text);
    /// The list fact `name` at `position`: its index, or -1 after reporting an unknown
    /// name. The list is given, with no records yet.
    int begin_list(std::size_t position, std::string_view name);
    /// Appends an empty record to list `list` (every field unknown); false (reported) past
    /// max_records_per_list.
    bool add_record(int list, std::string_view list_name);
    /// A field of the last record of list `list`; `list_name` and `record` name it in problems.
    void record_field(int list, std::string_view list_name, std::size_t record, std::string_view field,
                      std::string_view text);

    /// The instrument `id` read by the rules, or null after reporting it (unknown or twice).
    const RequiredInstrument* begin_assessment(std::string_view id);
    void assessment_date(const RequiredInstrument& req, Date date);
    /// The `position`-th score or outcome field given already scored (`scores:`).
    void assessment_score(const RequiredInstrument& req, std::size_t position, std::string_view name,
                          std::string_view text);
    /// Ratings, scored with the instrument; the scores and outcome fields fill the columns.
    void assessment_ratings(const RequiredInstrument& req, const std::map<std::string, std::string>& ratings,
                            std::optional<Date> date);

    /// Reports a problem of the case.
    void problem(CasePath path, std::string message, std::string hint = {},
                 DiagnosticCode code = DiagnosticCode::case_mismatch);

    const std::vector<CaseProblem>& problems() const noexcept { return problems_; }
    /// Appends the case to `s` when no problem was found; false otherwise.
    bool commit(CaseBatch::Storage& s, std::string_view id, std::optional<Date> as_of);

private:
    /// Where a fact name goes: a scalar column or a list (both -1: not a fact).
    struct FactTarget {
        int column = -1;
        int list = -1;
    };
    FactTarget find_fact(std::size_t position, std::string_view name);

    /// Stages a cell; the reason when the text is not valid for the column.
    const char* set_cell(int column, std::string_view text);
    void unknown_fact(std::string_view name, const char* what);
    /// False (reported) when the fact was given before in this case.
    bool first_time(std::size_t slot, std::string_view name);

    const RuleSetData& rd_;
    const Model& m_;
    std::unordered_map<std::string_view, FactTarget> facts_;
    std::vector<double> values_;
    std::vector<std::uint8_t> states_;
    std::vector<char> fact_given_;     // per column and per list (after the columns): named once already
    std::vector<int> scored_columns_;  // columns given under `scores:` in the current assessment
    PositionalLookup<FactTarget> fact_lookup_;
    std::vector<PositionalLookup<int>> score_lookup_;  // per instrument

    struct PendingList {
        enum class State : std::uint8_t { unset, omitted, given } state = State::unset;
        std::size_t records = 0;
        std::vector<std::vector<double>> values;        // per field
        std::vector<std::vector<std::uint8_t>> states;  // per field
        std::vector<char> field_given;                  // per field, in the last record
        void reset(State to) {
            state = to;
            records = 0;
            for (auto& v : values) v.clear();
            for (auto& s : states) s.clear();
        }
    };
    std::vector<PendingList> lists_;
    std::vector<std::uint16_t> assessments_;  // indices into rd_.instruments
    std::vector<const RequiredInstrument*> seen_;
    std::vector<CaseProblem> problems_;
};

/// The members of a case object a JSON line may give (each at most once), by position:
/// case, as_of, facts, assessments, description, placements, events; -1 for another key.
constexpr int case_member_slot(std::string_view key) noexcept {
    return key == "case"          ? 0
           : key == "as_of"       ? 1
           : key == "facts"       ? 2
           : key == "assessments" ? 3
           : key == "description" ? 4
           : key == "placements"  ? 5
           : key == "events"      ? 6
                                  : -1;
}
inline constexpr int case_member_slots = 7;

/// The same for an assessment object: date, ratings, scores; -1 for another key.
constexpr int assessment_member_slot(std::string_view key) noexcept {
    return key == "date" ? 0 : key == "ratings" ? 1 : key == "scores" ? 2 : -1;
}
inline constexpr int assessment_member_slots = 3;

}  // namespace detail
KELIAS_END_NAMESPACE
