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
#include <kelias/language.hpp>

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
    std::string text;                 ///< English text as written (placeholders unfilled), or the expression
    LocalText texts;                  ///< the text in English and Lithuanian, as written
    std::vector<std::string> params;  ///< params the condition and its texts read, by id
    std::string source;
    std::string confidence;  ///< verified, secondary, unverified (or empty)
    std::string expression;
    bool exclusion = false;  ///< from `excluded_when`
};

/// A programme or placement of a rule set.
struct ProgrammeInfo {
    std::string id, kind, label, source;  ///< `label`: the English label, or the id
    LocalText label_text;                 ///< the label in English and Lithuanian (the id when none)
    LocalText description;                ///< as written, in English and Lithuanian; may be empty
    double priority = 0;
    std::vector<std::pair<std::string, std::string>> labels;  ///< (language, text)
    std::vector<std::pair<std::string, std::string>> dosage;  ///< as written, e.g. ("hours", "100")
    std::vector<std::string> required_instruments;  ///< instrument ids (or instruments by age) that must be assessed
    std::vector<ConditionInfo> conditions;
};

/// What a param's value is. `fraction` is a number in [0, 1] (a share: 0.25, never 25).
enum class ParamType : std::uint8_t { number, fraction, integer, boolean, code, date, duration };

/// `number`, `fraction`, `integer`, `bool`, `category`, `date`, `duration`.
std::string_view to_string(ParamType t) noexcept;

/// A fact of a rule set's case schema.
struct FactInfo {
    std::string name;
    FieldType type = FieldType::boolean;  ///< for a list: unused
    std::vector<std::string> values;      ///< category codes
    bool list = false;                    ///< a list of records (read by aggregates)
};

/// A named policy constant.
struct ParamInfo {
    std::string id, value, source, confidence, note;
    /// As declared with `type`, or inferred from the value when the param has none.
    ParamType type = ParamType::number;
    bool typed = false;              ///< `type` was written
    LocalText unit;                  ///< free text, e.g. "convictions"; empty when not given
    std::optional<double> min, max;  ///< numeric params: the range the value must lie in
    Location where;                  ///< the param's name in the rule file
};

/// An instrument chosen by the person's age on as_of (`age_from` and `by_age` under
/// `instruments`): rules read it by one name (`risk.violence.estimate`) and `requires` it
/// as "a fresh assessment with the instrument for the person's age".
struct AgeChoiceInfo {
    struct Range {
        std::string instrument;    ///< an instrument id of the rule set
        int from = 0;              ///< age in whole years, inclusive
        std::optional<int> below;  ///< exclusive; none for the last range
    };
    std::string id;             ///< the name the rules read it by
    std::string birth_fact;     ///< the date fact the age is counted from
    std::vector<Range> ranges;  ///< contiguous from 0, the last open-ended
    /// The instrument id for a person of `age` whole years (nullptr for a negative age).
    const std::string* instrument_for(int age) const noexcept;
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
    /// The instruments chosen by age, in declaration order.
    std::vector<AgeChoiceInfo> instruments_by_age() const;
    /// The facts a case may give, in declaration order.
    std::span<const FactInfo> facts() const noexcept;
    /// A human-readable summary (labels and condition texts in `language`, English when a
    /// text has no translation).
    std::string describe(Language language = Language::en) const;
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
    /// Makes room for `rows` cases in all, so that adding them moves no column (a hint;
    /// list records still grow as they come).
    void reserve(std::size_t rows);
    /// Removes every case, keeping the memory for the next ones.
    void clear() noexcept;
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

namespace detail {
struct DecidedCase;
struct ReasonMaker;
}  // namespace detail

/// One condition leaf of a programme and what it said for this case. It refers to the rule
/// set's compiled condition and to the values the case's conditions read (kept, compactly,
/// once per case): the texts, inputs and computed values are written when asked for. A
/// Reason (and every copy of it) stays valid on its own, after the rule set, the batch and
/// the decisions it came from are gone. Cheap to copy; safe to read from several threads.
/// Reasons are made by deciding (decide(), decide_batch()); a default one is empty (no id,
/// no text, value unknown).
class Reason {
public:
    Reason() = default;
    const std::string& id() const noexcept;
    const std::string& source() const noexcept;
    const std::string& confidence() const noexcept;  ///< verified, secondary, unverified (or empty)
    /// The leaf's value; nullopt when unknown.
    std::optional<bool> value() const noexcept { return value_; }
    /// True for a condition of `excluded_when`.
    bool exclusion() const noexcept;
    /// True when this leaf holds the programme back: a condition that is false, or an
    /// exclusion that applies.
    bool against() const noexcept { return against_; }
    /// The text with its placeholders filled for this case, in `language` (English when the
    /// condition has no Lithuanian text).
    std::string text(Language language = Language::en) const;
    /// True when the condition has a Lithuanian text of its own.
    bool has_lithuanian_text() const noexcept;
    /// Facts (and assessment results) read, with their values: (`sentence_end`, `2026-01-01`),
    /// list facts as (`convictions`, `3 records`) or `omitted`.
    std::vector<std::pair<std::string, std::string>> inputs() const;
    /// Params read: (id, value as written).
    const std::vector<std::pair<std::string, std::string>>& params() const noexcept;
    /// The values the text's placeholders computed for this case: (expression, value), e.g.
    /// ("date_at_fraction(sentence_start, sentence_end, params.share)", "2025-06-16").
    std::vector<std::pair<std::string, std::string>> computed() const;

private:
    friend struct detail::ReasonMaker;
    std::shared_ptr<const detail::DecidedCase> case_;  // the case's values and the rule set
    std::uint32_t programme_ = 0, leaf_ = 0;           // the leaf, in the rule set
    std::optional<bool> value_;
    bool against_ = false;
};

/// A question the rule set has no answer for: a table without a row for the case's key
/// (e.g. table `cr_share`, fact `crime_category`, key `serious`). Not a missing fact.
struct RuleGap {
    std::string table;
    std::string fact;  ///< the fact whose value is looked up
    std::string key;   ///< the value that has no row
    friend bool operator==(const RuleGap&, const RuleGap&) = default;
};

/// Something the decision on the earliest date will still need, without which it would be
/// undetermined on that day: a fact, or an assessment recent enough then.
struct EarliestNeed {
    std::string path;                ///< as in `missing`: `facts.x`, `assessments.start_av`
    std::optional<Date> dated_from;  ///< assessments: dated on this day or later (and not after the earliest date)
    friend bool operator==(const EarliestNeed&, const EarliestNeed&) = default;
};

/// The answer for one programme.
struct ProgrammeDecision {
    std::string programme;
    /// The programme's label (its id when it has none); for a decision made by hand (not by
    /// deciding a rule set), an empty text.
    const LocalText& label() const noexcept;
    Decision decision = Decision::undetermined;
    std::vector<Reason> reasons;       ///< every condition leaf, in declaration order
    std::vector<std::string> missing;  ///< `facts.x`, `assessments.start_av`, ...
    /// Where the rules have no answer for this case (undetermined for that reason, not for
    /// a missing fact); empty for eligible decisions.
    std::vector<RuleGap> gaps;
    std::optional<Date> earliest_date;
    /// When the decision on `earliest_date` would still be undetermined: what it will need
    /// then (a fresh assessment, facts still missing). Empty otherwise.
    std::vector<EarliestNeed> needed_on_earliest;

private:
    friend struct detail::ReasonMaker;
    std::shared_ptr<const detail::DecidedCase> case_;  // the programme's label, in the rule set
    std::uint32_t index_ = 0;                          // the programme, in declaration order
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
/// Same precondition as decide_columns(). An exception in a worker thread (e.g.
/// std::bad_alloc) is rethrown here, on the calling thread.
std::vector<CaseDecisions> decide_batch(const RuleSet& rules, const CaseBatch& cases,
                                        const DecideOptions& options = {});

/// Decides one case (a batch of one). The case's problems (E601) come back located when it
/// was read by parse_case().
Result<CaseDecisions> decide(const RuleSet& rules, const CaseInput& c, const DecideOptions& options = {});

/// One JSON object: `{"case", "as_of", "rules", "hash", "assessments", "decisions": [...]}`.
/// By default each decision lists the reasons that explain it (conditions that fail,
/// exclusions that apply, and unknown conditions); with `all_reasons`, every condition.
std::string to_json(const CaseDecisions& d, bool all_reasons = false);
/// How to_text() writes decisions. `{.explain = true, .language = Language::lt}`.
struct TextOptions {
    /// Every condition with its inputs, the params it read and the values it computed.
    bool explain = false;
    /// The language of the fixed words, programme labels and condition texts (English
    /// where a text has no translation). Ids (programmes, conditions, facts) stay as they are.
    Language language = Language::en;
};

/// Text for a person: per programme (by label, with its id) the decision, the reasons in
/// plain words, what is missing and the earliest date.
std::string to_text(const CaseDecisions& d, const TextOptions& options = {});
/// The same as to_text(d, {.explain = explain}).
std::string to_text(const CaseDecisions& d, bool explain);

/// Runs a rule set's embedded tests.
struct RulesTestReport {
    int passed = 0, failed = 0;
    std::vector<std::pair<Location, std::string>> failures;  ///< where, `test 'x': message`
};
RulesTestReport run_rules_tests(const RuleSet& rules);

KELIAS_END_NAMESPACE
