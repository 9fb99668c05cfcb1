#pragma once
/// \file rules.hpp
/// Eligibility rule sets: which programmes and placements a person may enter, why not the
/// others, what is still unknown, and from which date a time-bound rule will hold.
#include <compare>
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

#include <kelias/case.hpp>
#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>
#include <kelias/instrument.hpp>

KELIAS_BEGIN_NAMESPACE

class RuleSet;
namespace detail {
struct RuleSetData;
class CaseRowBuilder;
RuleSet make_rule_set(std::shared_ptr<const RuleSetData> data);
}  // namespace detail

/// The three answers a rule set gives for one programme.
enum class Decision : std::uint8_t { eligible, not_eligible, undetermined };

/// `eligible`, `not_eligible` or `undetermined`.
std::string_view to_string(Decision d) noexcept;

/// One condition leaf of a programme, as declared.
struct ConditionInfo {
    std::string id;
    std::string text;  ///< English text, or the expression
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
    /// The programmes in declaration order.
    std::span<const ProgrammeInfo> programmes() const noexcept;
    /// Indexes into programmes(), by priority (then declaration): the order of every report.
    std::span<const std::size_t> report_order() const noexcept;
    std::span<const ParamInfo> params() const noexcept;
    /// The instruments whose results the rules read, with the instrument each id names.
    std::vector<std::pair<std::string, Instrument>> instruments() const;
    /// Fact names with their types, in declaration order (lists as `name[]`).
    std::vector<std::pair<std::string, std::string>> facts() const;
    /// A human-readable summary.
    std::string describe() const;
    /// True when both were compiled from the same rule file text (same hash).
    bool same_definition(const RuleSet& other) const noexcept;

    const detail::RuleSetData& data() const noexcept { return *data_; }

private:
    explicit RuleSet(std::shared_ptr<const detail::RuleSetData> d) : data_(std::move(d)) {}
    friend RuleSet detail::make_rule_set(std::shared_ptr<const detail::RuleSetData>);
    std::shared_ptr<const detail::RuleSetData> data_;
};

/// Loads and compiles a rule set (and the instruments it names) from YAML text. Instruments
/// named by a relative path are found beside `file_name`; ids through find_definition().
/// The embedded tests are checked (every fact, record and assessment against the rules);
/// tests that cannot run are reported, never run.
Result<RuleSet> load_rules(std::string_view yaml_text, std::string_view file_name = "<text>");
/// Reads a file and calls load_rules().
Result<RuleSet> load_rules_file(const std::filesystem::path& path);

/// What CaseBatch::add_json made of one case.
struct JsonCaseAdded {
    std::string case_id;               ///< as far as it was read ("" when not reached)
    std::vector<Diagnostic> problems;  ///< empty when the case was added
    explicit operator bool() const noexcept { return problems.empty(); }
};

/// Cases stored by column, ready to evaluate. Not thread-safe while cases are added; once
/// filled, any number of threads may decide it.
class CaseBatch {
public:
    explicit CaseBatch(const RuleSet& rules);
    ~CaseBatch();
    CaseBatch(CaseBatch&&) noexcept;
    CaseBatch& operator=(CaseBatch&&) noexcept;

    /// Checks and appends a case. On any problem nothing is added and every problem is
    /// returned (E601, named by its path in the case, `facts.sentence_end: expected a date`,
    /// at the place the case recorded for it).
    std::vector<Diagnostic> add(const CaseInput& c);
    /// Checks and appends a case given as one JSON object (a line of a JSONL case file),
    /// read straight into the columns: the same checks and messages as add(), without
    /// building a CaseInput. `as_of`, when given, replaces the case's own; a case with
    /// neither is refused. Malformed JSON, a key given twice and an id that is not valid
    /// UTF-8 are refused too.
    JsonCaseAdded add_json(std::string_view json, std::optional<Date> as_of = std::nullopt);
    std::size_t rows() const noexcept;
    const std::string& id(std::size_t row) const;
    std::optional<Date> as_of(std::size_t row) const;
    /// Sets the evaluation date of every case (the CLI's --as-of).
    void set_as_of(Date d);
    /// The `id@version#hash` of each assessment used by the row.
    std::vector<std::string> assessments_used(std::size_t row) const;
    const RuleSet& rules() const noexcept;

    struct Storage;
    const Storage& storage() const noexcept { return *storage_; }

private:
    detail::CaseRowBuilder& reader();  // ready for a new case

    std::unique_ptr<Storage> storage_;
    std::unique_ptr<detail::CaseRowBuilder> reader_;  // made on the first add, reused for every case
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
    std::vector<ProgrammeDecision> decisions;  ///< in report order (priority)
    /// The decision for `programme`, or nullptr.
    const ProgrammeDecision* find(std::string_view programme) const;
};

/// How decide_batch() and decide() run. `{.earliest_dates = false, .threads = 1}`.
struct DecideOptions {
    /// Search, for programmes that only time holds back, the first day they open.
    bool earliest_dates = true;
    /// Worker threads for the columnar evaluation: up to this many are started for
    /// batches of more than 4096 cases (0 = one per core); 1 runs on the calling thread.
    unsigned threads = 0;
};

/// Decisions only, by column: one Decision per case and programme, programmes in
/// declaration order (RuleSet::programmes()).
class DecisionTable {
public:
    std::size_t rows() const noexcept { return rows_; }
    std::size_t programmes() const noexcept { return programmes_; }
    Decision operator()(std::size_t row, std::size_t programme) const noexcept {
        return data_[programme * rows_ + row];
    }
    std::span<const Decision> column(std::size_t programme) const noexcept {
        return {data_.data() + programme * rows_, rows_};
    }

private:
    friend DecisionTable decide_columns(const RuleSet&, const CaseBatch&, unsigned);
    std::size_t rows_ = 0, programmes_ = 0;
    std::vector<Decision> data_;
};

/// Decisions only, the fast path. `cases` must have been built for `rules` (or a rule set
/// compiled from the same text); otherwise throws kelias::Error (E505). Starts up to
/// `threads` workers for more than 4096 cases (0 = one per core, 1 = none).
DecisionTable decide_columns(const RuleSet& rules, const CaseBatch& cases, unsigned threads = 0);

/// Full decisions (reasons, missing facts, earliest dates) for every case of the batch.
/// Same precondition as decide_columns().
std::vector<CaseDecisions> decide_batch(const RuleSet& rules, const CaseBatch& cases,
                                        const DecideOptions& options = {});

/// Decides one case (a batch of one). The case's problems (E601) come back located when it
/// was read by parse_case().
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

KELIAS_END_NAMESPACE
