#pragma once
/// \file rules.hpp
/// Eligibility rule sets: which programmes and placements a person may enter, why not the
/// others, what is still unknown, and from which date a time-bound rule will hold.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>

namespace kelias {

class RuleSet;
namespace detail {
struct RuleSetData;
RuleSet make_rule_set(std::shared_ptr<const RuleSetData> data);
}  // namespace detail

/// The three answers a rule set gives for one programme.
enum class Decision : std::uint8_t { eligible, not_eligible, undetermined };

/// `eligible`, `not_eligible` or `undetermined`.
std::string_view to_string(Decision d) noexcept;

/// One condition leaf of a programme, as declared.
struct ConditionInfo {
    std::string id;
    std::string text;        ///< English text, or the expression
    std::string source;
    std::string confidence;  ///< verified, secondary, unverified (or empty)
    std::string expression;
    bool exclusion = false;  ///< from `excluded_when`
};

/// A programme or placement of a rule set.
struct ProgrammeInfo {
    std::string id, kind, label, source;
    double priority = 0;
    std::vector<std::pair<std::string, std::string>> labels;  ///< (language, text)
    std::vector<std::pair<std::string, std::string>> dosage;  ///< as written, e.g. ("hours", "100")
    std::vector<std::string> required_instruments;            ///< instrument ids that must be assessed
    std::vector<ConditionInfo> conditions;
};

/// A named policy constant.
struct ParamInfo {
    std::string id, value, source, confidence, note;
};

/// A compiled rule set. Immutable, cheap to copy, safe to share across threads.
class RuleSet {
public:
    const std::string& id() const noexcept;
    const std::string& version() const noexcept;
    /// `id@version`.
    std::string key() const;
    /// `sha256:<hex>` of the rule file's text.
    const std::string& hash() const noexcept;
    const std::string& title() const noexcept;
    const std::string& file() const noexcept;
    /// How far ahead earliest dates are searched.
    Duration horizon() const noexcept;
    std::span<const ProgrammeInfo> programmes() const noexcept;
    std::span<const ParamInfo> params() const noexcept;
    /// The instruments whose results the rules read, with the instrument each id names.
    std::vector<std::pair<std::string, Instrument>> instruments() const;
    /// Fact names with their types, in declaration order (lists as `name[]`).
    std::vector<std::pair<std::string, std::string>> facts() const;
    /// A human-readable summary.
    std::string describe() const;

    const detail::RuleSetData& data() const noexcept { return *data_; }

private:
    explicit RuleSet(std::shared_ptr<const detail::RuleSetData> d) : data_(std::move(d)) {}
    friend RuleSet detail::make_rule_set(std::shared_ptr<const detail::RuleSetData>);
    std::shared_ptr<const detail::RuleSetData> data_;
};

/// Loads and compiles a rule set (and the instruments it names) from YAML text.
Result<RuleSet> load_rules(std::string_view yaml_text, std::string_view file_name = "<text>");
/// Reads a file and calls load_rules(). Instruments named by a relative path are found
/// beside the file; ids through find_definition().
Result<RuleSet> load_rules_file(const std::filesystem::path& path);

/// One record of a list fact: field → cell text.
using RecordInput = std::map<std::string, std::string>;

/// An assessment attached to a case: either ratings (scored with the instrument) or
/// results already scored elsewhere (`scores`: score id or outcome field → text).
struct AssessmentInput {
    std::string instrument;
    std::optional<Date> date;
    std::map<std::string, std::string> ratings;
    std::map<std::string, std::string> scores;
};

/// One case: facts as cell text (`""` omitted, `na`), lists of records, assessments.
/// A fact that is absent is omitted (unknown).
struct CaseInput {
    std::string id;
    std::optional<Date> as_of;
    std::map<std::string, std::string> facts;
    std::map<std::string, std::optional<std::vector<RecordInput>>> lists;  ///< nullopt: omitted
    std::vector<AssessmentInput> assessments;
};

/// Reads a case from YAML or JSON text (the case-file format of instruments/README.md).
Result<CaseInput> parse_case(std::string_view text, std::string_view file_name = "<case>");

/// The case as one line of JSON in the same format (a line of a JSONL case file), without
/// the newline. Cell text that is `true`, `false` or a JSON number is written bare, the
/// rest as strings; reading it back gives the same case.
std::string to_json(const CaseInput& c);

/// What CaseBatch::add_json made of one case.
struct JsonCaseAdded {
    std::string case_id;               ///< as far as it was read ("" when not reached)
    std::vector<Diagnostic> problems;  ///< empty when the case was added
    explicit operator bool() const noexcept { return problems.empty(); }
};

/// Cases stored by column, ready to evaluate.
class CaseBatch {
public:
    explicit CaseBatch(const RuleSet& rules);
    ~CaseBatch();
    CaseBatch(CaseBatch&&) noexcept;
    CaseBatch& operator=(CaseBatch&&) noexcept;

    /// Checks and appends a case. On any problem nothing is added and every problem is
    /// returned (named by its path in the case: `facts.sentence_end: expected a date`).
    std::vector<Diagnostic> add(const CaseInput& c);
    /// Checks and appends a case given as one JSON object (a line of a JSONL case file),
    /// read straight into the columns: the same checks and messages as add(), without
    /// building a CaseInput. `as_of`, when given, replaces the case's own; a case with
    /// neither is refused. Malformed JSON is refused with the column of the error.
    JsonCaseAdded add_json(std::string_view json, std::optional<Date> as_of = std::nullopt);
    std::size_t rows() const noexcept;
    const std::string& id(std::size_t row) const;
    std::optional<Date> as_of(std::size_t row) const;
    /// Sets the evaluation date of every case (the CLI's --as-of).
    void set_as_of(Date d);
    /// The `id@version#hash` of each assessment used by the row.
    std::vector<std::string> assessments_used(std::size_t row) const;

    struct Storage;
    const Storage& storage() const noexcept { return *storage_; }

private:
    std::unique_ptr<Storage> storage_;
};

/// One condition and what it said for this case.
struct Reason {
    std::string id;
    std::string source;
    std::string confidence;
    std::optional<bool> value;  ///< the leaf's value; nullopt when unknown
    std::string text;
    bool exclusion = false;
    /// True when this leaf holds the programme back: a condition that is false, or an
    /// exclusion that applies.
    bool against = false;
    std::vector<std::pair<std::string, std::string>> inputs;  ///< facts read and their values
};

/// The answer for one programme.
struct ProgrammeDecision {
    std::string programme;
    Decision decision = Decision::undetermined;
    std::vector<Reason> reasons;       ///< every condition leaf, in declaration order
    std::vector<std::string> missing;  ///< `facts.x`, `assessments.start_av`, ...
    std::optional<Date> earliest_date;
};

/// The answers for one case, pinned to the rule set and assessments used.
struct CaseDecisions {
    std::string case_id;
    std::optional<Date> as_of;
    std::string rules_key, rules_hash;
    std::vector<std::string> assessments;
    std::vector<ProgrammeDecision> decisions;  ///< in priority order
    const ProgrammeDecision* find(std::string_view programme) const;
};

struct DecideOptions {
    bool earliest_dates = true;
    unsigned threads = 0;  ///< 0: one per core
};

/// Decisions only, by column: `static_cast<Decision>(m(row, programme))`, programmes in the
/// rule set's order.
using DecisionMatrix = Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic>;
DecisionMatrix decide_columns(const RuleSet& rules, const CaseBatch& cases, unsigned threads = 0);

/// Full decisions (reasons, missing facts, earliest dates) for every case of the batch.
std::vector<CaseDecisions> decide_batch(const RuleSet& rules, const CaseBatch& cases, const DecideOptions& options = {});

/// Decides one case (a batch of one).
Result<CaseDecisions> decide(const RuleSet& rules, const CaseInput& c, const DecideOptions& options = {});

/// One JSON object: `{"case", "as_of", "rules", "hash", "assessments", "decisions": [...]}`.
/// By default each decision lists the reasons that explain it (conditions that fail,
/// exclusions that apply, and unknown conditions); with `all_reasons`, every condition.
std::string to_json(const CaseDecisions& d, bool all_reasons = false);
/// Text for a person: per programme the decision, the reasons in plain words, what is
/// missing and the earliest date. With `explain`, every condition with its inputs.
std::string to_text(const CaseDecisions& d, bool explain = false);

/// Runs a rule set's embedded tests.
struct RulesTestReport {
    int passed = 0, failed = 0;
    std::vector<std::pair<Location, std::string>> failures;  ///< where, `test 'x': message`
};
RulesTestReport run_rules_tests(const RuleSet& rules);

}  // namespace kelias
