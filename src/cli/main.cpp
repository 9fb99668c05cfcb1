// kelias: the reference command-line interface. Parses arguments, dispatches to a
// command, and maps every outcome to one of the documented exit codes.
#include <cstdio>
#include <exception>
#include <new>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <kelias/version.hpp>

#include "cli/commands.hpp"
#include "cli/exit_code.hpp"

namespace {

using namespace kelias::cli;

constexpr const char* exit_code_footer = R"(
Exit codes:
  0  done, nothing rejected
  1  usage error or invalid definition (nothing was processed)
  2  input unreadable (missing file, not CSV/JSONL/YAML) or output not writable
  3  done, but some rows were rejected (each reported with its row number and reason)

Data go to stdout or -o FILE; diagnostics go to stderr and never show ratings.
Output files are written atomically and readable by their owner only (mode 0600).)";

constexpr const char* main_examples = R"(
Examples:
  kelias instrument validate instruments/*.yaml
  kelias instrument test instruments/start_av.yaml
  kelias instrument show start_av
  kelias score --instrument start_av ratings.csv -o scores.csv --rejects rejects.csv
  kelias score --instrument start_av --explain Y0003 ratings.csv -o scores.csv)";

struct Commands {
    CLI::App* validate = nullptr;
    CLI::App* test = nullptr;
    CLI::App* show = nullptr;
    CLI::App* score = nullptr;
    std::vector<std::string> files;
    std::string show_target;
    bool show_json = false;
    ScoreOptions score_options;
};

void add_instrument_commands(CLI::App& app, Commands& c) {
    CLI::App* instrument = app.add_subcommand("instrument", "Check, test and describe instrument definitions");
    instrument->require_subcommand(1);

    c.validate = instrument->add_subcommand("validate", "Check definition files; print 'FILE: valid (...)' for each good one");
    c.validate->add_option("FILE", c.files, "Definition files (or ids of shipped instruments)")->required();
    c.validate->footer("\nExamples:\n  kelias instrument validate instruments/*.yaml\n  kelias instrument validate my_tool.yaml\n"
                       "\nExit 0 when every file is valid (warnings do not fail), 1 when one is not, 2 when one cannot be read.");

    c.test = instrument->add_subcommand("test", "Run the test cases embedded in definition files (their tests: block)");
    c.test->add_option("FILE", c.files, "Definition files (or ids of shipped instruments)")->required();
    c.test->footer("\nPrints each failure as FILE:LINE:COL: test 'NAME': message, then 'N passed, N failed'.\n"
                   "\nExamples:\n  kelias instrument test instruments/*.yaml examples/instruments/*.yaml\n"
                   "\nExit 0 when every test passed, 1 when one failed or a file is invalid.");

    c.show = instrument->add_subcommand("show", "Describe an instrument: items, input columns, scores");
    c.show->add_option("ID|FILE", c.show_target, "Instrument id (looked up in KELIAS_PATH and the shipped folders) or file")
        ->required();
    c.show->add_flag("--json", c.show_json, "Print the description as one JSON document");
    c.show->footer("\nExamples:\n  kelias instrument show start_av\n  kelias instrument show --json examples/instruments/psa.yaml\n"
                   "\nExit 2 when the id names no file in the search path.");
}

void add_score_command(CLI::App& app, Commands& c) {
    ScoreOptions& o = c.score_options;
    c.score = app.add_subcommand("score", "Score assessments: one CSV or JSONL row per assessment in, one row of scores out");
    c.score->add_option("--instrument,-i", o.instrument, "Instrument id or definition file")->required();
    c.score->add_option("INPUT", o.input, "Ratings file; '-' or none reads stdin (*.jsonl / *.ndjson are read as JSON lines)");
    c.score->add_option("-o,--output", o.output, "Output file ('-' = stdout, the default)");
    c.score->add_option("--format", o.format, "Output format (default: jsonl for *.jsonl / *.ndjson outputs, else csv)")
        ->check(CLI::IsMember({"csv", "jsonl"}));
    c.score->add_option("--input-format", o.input_format, "Input format (default: from the input's file name, else csv)")
        ->check(CLI::IsMember({"csv", "jsonl"}));
    c.score->add_option("--rejects", o.rejects, "Write rejected rows to this CSV (row,id,column,reason) instead of stderr");
    c.score->add_option("--id-column", o.id_column, "Name of the id column")->capture_default_str();
    c.score->add_option("--explain", o.explain, "Explain every score of the row with this id (to stderr; to stdout when -o is a file)");
    c.score->add_option("--as-of", o.as_of, "Assessment date YYYY-MM-DD for every row (as_of in expressions)");
    c.score->add_option("--threads", o.threads, "Worker threads (0 = one per core)")->capture_default_str()->check(CLI::Range(0u, 1024u));
    c.score->add_option("--max-warnings", o.max_warnings, "Print at most this many check warnings; the rest are counted")
        ->capture_default_str();
    c.score->footer(R"(
Input: a header row, an id column and one column per instrument field, named as
`kelias instrument show ID` lists them (item.field, or item for single-field items).
Cells: a number or code on the field's scale, true/false, YYYY-MM-DD, `na` (not
applicable), empty or `omitted` (unknown). A missing field column means omitted in
every row; a column that names no field is an error (exit 1). RFC 4180 quoting.
JSONL: one object per line with the same keys; null = omitted.
Output: the id, every non-hidden score, then `instrument` (id@version); unknown
scores are empty cells (CSV) or null (JSONL).
Rows with an invalid cell, a missing id, the wrong number of cells, or a failed check
of severity error are not scored: they are reported by row number (the header is row
1), id, column and reason, never by value, and the run ends with exit code 3.
Check warnings go to stderr as `row N (id X): warning[check]: message (item ITEM)`.

Exit codes: 0 every row scored, 1 usage error or invalid definition, 2 input
unreadable or output not writable, 3 some rows rejected.

Examples:
  kelias score --instrument start_av examples/data/start_av_ratings.csv
  kelias score -i start_av ratings.csv -o scores.csv --rejects rejects.csv
  kelias score -i start_av ratings.jsonl --format jsonl -o scores.jsonl
  kelias score -i start_av --explain Y0003 ratings.csv -o scores.csv
  cat ratings.csv | kelias score -i start_av - > scores.csv)");
}

int dispatch(const Commands& c) {
    if (c.validate->parsed()) return run_instrument_validate(c.files);
    if (c.test->parsed()) return run_instrument_test(c.files);
    if (c.show->parsed()) return run_instrument_show(c.show_target, c.show_json);
    if (c.score->parsed()) return run_score(c.score_options);
    return exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"kelias: structured risk assessment with instruments defined as data"};
    app.name("kelias");
    app.set_version_flag("--version", std::string(kelias::version()));
    app.require_subcommand(1);
    app.footer(std::string(exit_code_footer) + "\n" + main_examples);
    Commands commands;
    add_instrument_commands(app, commands);
    add_score_command(app, commands);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? exit_ok : exit_usage;
    }
    try {
        return dispatch(commands);
    } catch (const std::bad_alloc&) {
        fmt::print(stderr, "kelias: out of memory\n");
    } catch (const std::exception& e) {
        fmt::print(stderr, "kelias: error: {}\n", e.what());
    }
    return exit_unreadable;
}
