#pragma once
/// \file commands.hpp
/// The commands of the `kelias` CLI. Each returns the process exit code (exit_code.hpp).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <kelias/language.hpp>

namespace kelias::cli {

int run_instrument_validate(const std::vector<std::string>& files);
int run_instrument_test(const std::vector<std::string>& files);
int run_instrument_show(const std::string& id_or_file, bool json);

/// Limits on inputs, shared by `score` and `eligibility`.
struct InputLimits {
    std::size_t max_line = std::size_t{1} << 20;        ///< bytes of one record
    std::uint64_t max_input = std::uint64_t{64} << 30;  ///< bytes of a pipe or device
};

struct ScoreOptions {
    std::string instrument;                   ///< id or file
    std::string input = "-";                  ///< "-" = stdin
    std::string output = "-";                 ///< "-" = stdout
    std::optional<std::string> format;        ///< csv | jsonl (default: from -o's extension, else csv)
    std::optional<std::string> input_format;  ///< csv | jsonl (default: from the input's extension)
    std::optional<std::string> delimiter;     ///< , ; tab (default: from the header; output uses the same)
    std::optional<std::string> rejects;       ///< rejects CSV; stderr when not given
    std::string id_column = "id";
    std::vector<std::string> keep;           ///< columns passed through to the output
    std::optional<std::string> date_column;  ///< per-row assessment dates
    std::optional<std::string> explain;      ///< id of the rows to explain
    std::optional<std::string> as_of;        ///< assessment date for every row
    unsigned threads = 0;                    ///< 0 = one per core
    std::size_t max_warnings = 100;          ///< check warnings printed before they are only counted
    InputLimits limits;
};

int run_score(const ScoreOptions& options);

int run_rules_validate(const std::vector<std::string>& files);
int run_rules_test(const std::vector<std::string>& files);
/// Exit 0 when every finding is explained in its file, 1 otherwise.
int run_rules_lint(const std::vector<std::string>& files);
int run_rules_show(const std::string& id_or_file, Language language);

struct EligibilityOptions {
    std::string rules;        ///< id or file
    std::string input = "-";  ///< a case (YAML/JSON) or cases (JSONL); "-" = stdin
    std::string output = "-";
    std::optional<std::string>
        format;  ///< text | json | csv | jsonl (default: json for JSONL input or a .json/.jsonl output)
    std::optional<std::string> input_format;  ///< case | jsonl (default: from the file name)
    std::optional<std::string> as_of;         ///< overrides every case's as_of
    std::optional<std::string> rejects;       ///< rejected lines as CSV; stderr when not given
    bool explain = false;                     ///< text: every condition with its inputs
    std::string lang = "en";                  ///< text: en | lt
    bool no_earliest = false;                 ///< skip the earliest-date search
    unsigned threads = 0;
    std::size_t chunk = 20000;  ///< JSONL cases decided and written at a time
    bool brief = false;         ///< decisions only: no reasons, missing facts or dates
    InputLimits limits;
};

int run_eligibility(const EligibilityOptions& options);

int run_plan_validate(const std::vector<std::string>& files);
int run_plan_test(const std::vector<std::string>& files);
int run_plan_show(const std::string& id_or_file);

struct PlanOptions {
    std::string policy;       ///< plan policy id or file
    std::string rules;        ///< rule set id or file
    std::string input = "-";  ///< one case file (YAML or JSON); "-" = stdin
    std::string output = "-";
    std::string format = "text";       ///< text | json
    std::string lang = "en";           ///< en | lt
    std::optional<std::string> as_of;  ///< overrides the case's as_of
};

int run_plan(const PlanOptions& options);

}  // namespace kelias::cli
