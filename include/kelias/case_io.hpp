#pragma once
/// \file case_io.hpp
/// Cases as JSON lines in, decisions out: the batch run of the CLI and the bindings, and
/// the writers of decisions and rejected cases.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <kelias/date.hpp>
#include <kelias/diagnostic.hpp>
#include <kelias/output_file.hpp>
#include <kelias/rules.hpp>

KELIAS_BEGIN_NAMESPACE

/// How decisions are written. `text` and `json` give one record per case with everything
/// asked for (reasons, missing facts, earliest dates; JSON pins the rule set). The compact
/// batch formats give one short line per case:
/// * `csv`: a wide CSV, `case,as_of` and one column per programme (report order) holding
///   the decision; unless brief, then `<programme>.earliest` (the earliest date, empty when
///   none) and `<programme>.missing` (the missing facts, space-separated) per programme.
/// * `jsonl`: `{"case","as_of","decisions":{programme: decision...}}`; unless brief, also
///   `"earliest":{programme: date}` and `"missing":{programme: [fact...]}`, each holding
///   only the programmes that have one (and left out when none has).
enum class DecisionFormat { text, json, csv, jsonl };

/// How decide_jsonl() runs: `{.as_of = date, .brief = true}`.
struct DecideRunOptions {
    /// Decide as on this date (replaces every case's own as_of).
    std::optional<Date> as_of = {};
    DecisionFormat format = DecisionFormat::json;
    /// Decisions only (no reasons, missing facts or dates), from the columnar fast path:
    /// JSON `{"case","as_of","rules","hash","decisions":[{"programme","decision"}...]}`
    /// or text `ID: programme=decision ...`.
    bool brief = false;
    /// Full output: every condition (JSON) or every condition with its inputs (text).
    bool explain = false;
    /// Text: the language of the words, labels and condition texts.
    Language language = Language::en;
    bool earliest_dates = true;
    /// Workers: each chunk of lines is split among up to this many threads (0 = one per
    /// core); the previous chunk is written meanwhile.
    unsigned threads = 0;
    /// Lines read, decided and written at a time (bounds memory).
    std::size_t chunk_lines = 20000;
    std::string source_name = "<input>";
    std::size_t max_line_bytes = std::size_t{1} << 20;
    std::uint64_t max_stream_bytes = std::uint64_t{64} << 30;
};

/// A line of a JSONL case file that was not decided.
struct CaseReject {
    std::size_t line = 0;
    std::string case_id = {};  ///< as far as it was read (cut when long)
    std::string reason = {};   ///< every problem, `; `-separated (never a fact's value)
};

struct DecideRunEvents {
    std::function<void(const CaseReject&)> rejected = {};  ///< in line order
    std::function<void(const Diagnostic&)> warning = {};   ///< W502 duplicate case ids
};

struct DecideRunSummary {
    std::size_t decided = 0;
    std::size_t rejected = 0;
};

/// Reads JSON lines of cases from `path` ("-" = standard input, a UTF-8 byte-order mark
/// allowed), decides them in chunks and writes one line (JSON) or block (text) per case to
/// `out` in input order. Bad lines are reported through `events` and the rest go on.
/// Returns the summary, or the error that stopped the run (the input's: unreadable,
/// changed, over a limit; or E803 when `out` cannot be written); `out` is not committed.
Result<DecideRunSummary> decide_jsonl(const RuleSet& rules, const std::string& path, OutputFile& out,
                                      const DecideRunOptions& options = {}, const DecideRunEvents& events = {});

/// Largest case file read_case_file() accepts; more cases belong in JSON lines.
inline constexpr std::size_t max_case_file_bytes = std::size_t{16} << 20;

/// Reads and parses one case file, YAML or JSON (`path` "-" = standard input, called
/// `<stdin>` in messages). E000 when it cannot be read, E801 when it is larger than
/// max_case_file_bytes, else what parse_case() reports.
Result<CaseInput> read_case_file(const std::string& path);

/// One case's decisions as the batch writes them (with the line break).
/// Text in `language` (JSON does not depend on it). For `csv` the row of the non-brief
/// columns, without the header line.
std::string render(const CaseDecisions& decisions, DecisionFormat format, bool explain,
                   Language language = Language::en);

/// Rejected cases as CSV, `line,case,reason`.
std::string case_rejects_csv_header();
void append_case_reject(std::string& out, const CaseReject& reject);

KELIAS_END_NAMESPACE
