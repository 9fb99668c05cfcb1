// kelias: the reference command-line interface. Parses arguments, dispatches to a
// command, and maps every outcome to one of the documented exit codes.
#include <cstdio>
#include <exception>
#include <new>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <kelias/version.hpp>

#include "cli/case_commands.hpp"
#include "cli/commands.hpp"
#include "cli/exit_code.hpp"
#include "cli/pathway_commands.hpp"
#include "cli/report_commands.hpp"
#include "cli/stats_commands.hpp"

namespace {

using namespace kelias::cli;

constexpr const char* exit_code_footer = R"(
Exit codes:
  0  done, nothing rejected
  1  usage error or invalid definition (nothing was processed)
  2  input unreadable (missing file, not CSV/JSONL/YAML) or output not writable
  3  done, but some rows were rejected (each reported with its row number and reason)
  4  pathway apply: the event was refused (reasons printed, nothing written);
     case: refused (role not permitted, stale version, unknown case; nothing changed)

Data go to stdout or -o FILE; diagnostics go to stderr and never show ratings.
Output files are written atomically and readable by their owner only (mode 0600).)";

constexpr const char* main_examples = R"(
Examples:
  kelias instrument validate instruments/*.yaml
  kelias instrument test instruments/start_av.yaml
  kelias instrument show start_av
  kelias score --instrument start_av ratings.csv -o scores.csv --rejects rejects.csv
  kelias score --instrument start_av --explain Y0003 ratings.csv -o scores.csv
  kelias rules test instruments/lt_release_pathway.yaml
  kelias eligibility --rules lt_release_pathway examples/cases/hwh_eligible_later.yaml --explain
  kelias eligibility --rules lt_release_pathway cases.jsonl -o decisions.jsonl
  kelias pathway moves --pathway lt_pathway examples/cases/adult_to_halfway_house.yaml
  kelias due cases.jsonl --as-of 2025-06-01 --within P30D
  kelias plan --policy lt_plan_policy --rules lt_release_pathway case.yaml --lang lt
  kelias stats auc scores.csv --score total --outcome violence)";

struct Commands {
    CLI::App* validate = nullptr;
    CLI::App* test = nullptr;
    CLI::App* show = nullptr;
    CLI::App* score = nullptr;
    CLI::App* rules_validate = nullptr;
    CLI::App* rules_test = nullptr;
    CLI::App* rules_show = nullptr;
    CLI::App* rules_lint = nullptr;
    CLI::App* eligibility = nullptr;
    CLI::App* plan = nullptr;
    CLI::App* plan_validate = nullptr;
    CLI::App* plan_test = nullptr;
    CLI::App* plan_show = nullptr;
    std::vector<std::string> files;
    std::string show_target;
    std::string show_lang = "en";
    bool show_json = false;
    ScoreOptions score_options;
    EligibilityOptions eligibility_options;
    PathwayCommands pathway;
    PlanOptions plan_options;
    ReportCommands report;
    CaseCommands case_commands;
    StatsCommands stats;
};

void add_limit_options(CLI::App& command, InputLimits& limits) {
    command.add_option("--max-line", limits.max_line, "Longest record in bytes (a longer one stops the run)")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30));
    command.add_option("--max-input", limits.max_input, "Most bytes read from a pipe or device (files are not capped)")
        ->capture_default_str()
        ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 50));
}

void add_instrument_commands(CLI::App& app, Commands& c) {
    CLI::App* instrument = app.add_subcommand("instrument", "Check, test and describe instrument definitions");
    instrument->require_subcommand(1);

    c.validate =
        instrument->add_subcommand("validate", "Check definition files; print 'FILE: valid (...)' for each good one");
    c.validate->add_option("FILE", c.files, "Definition files (or ids of shipped instruments)")->required();
    c.validate->footer(
        "\nExamples:\n  kelias instrument validate instruments/*.yaml\n  kelias instrument validate my_tool.yaml\n"
        "\nExit 0 when every file is valid (warnings do not fail), 1 when one is not, 2 when one cannot be read.");

    c.test = instrument->add_subcommand("test", "Run the test cases embedded in definition files (their tests: block)");
    c.test->add_option("FILE", c.files, "Definition files (or ids of shipped instruments)")->required();
    c.test->footer("\nPrints each failure as FILE:LINE:COL: test 'NAME': message, then 'N passed, N failed'.\n"
                   "\nExamples:\n  kelias instrument test instruments/*.yaml examples/instruments/*.yaml\n"
                   "\nExit 0 when every test passed, 1 when one failed or a file is invalid.");

    c.show = instrument->add_subcommand("show", "Describe an instrument: items, input columns, scores");
    c.show
        ->add_option("ID|FILE", c.show_target,
                     "Instrument id (looked up in KELIAS_PATH and the shipped folders) or file")
        ->required();
    c.show->add_flag("--json", c.show_json, "Print the description as one JSON document");
    c.show->footer("\nExamples:\n  kelias instrument show start_av\n  kelias instrument show --json "
                   "examples/instruments/ogrs3.yaml\n"
                   "\nExit 2 when the id names no file in the search path.");
}

void add_score_command(CLI::App& app, Commands& c) {
    ScoreOptions& o = c.score_options;
    c.score =
        app.add_subcommand("score", "Score assessments: one CSV or JSONL row per assessment in, one row of scores out");
    c.score->add_option("--instrument,-i", o.instrument, "Instrument id or definition file")->required();
    c.score->add_option("INPUT", o.input,
                        "Ratings file; '-' or none reads stdin (*.jsonl / *.ndjson are read as JSON lines)");
    c.score->add_option("-o,--output", o.output, "Output file ('-' = stdout, the default)");
    c.score->add_option("--format", o.format, "Output format (default: jsonl for *.jsonl / *.ndjson outputs, else csv)")
        ->check(CLI::IsMember({"csv", "jsonl"}));
    c.score
        ->add_option("--input-format", o.input_format, "Input format (default: from the input's file name, else csv)")
        ->check(CLI::IsMember({"csv", "jsonl"}));
    c.score->add_option("--rejects", o.rejects,
                        "Write rejected rows to this CSV (row,id,column,reason) instead of stderr");
    c.score->add_option("--id-column", o.id_column, "Name of the id column")->capture_default_str();
    c.score
        ->add_option("--delimiter", o.delimiter,
                     "CSV delimiter: , ; or tab (default: found from the header; the output uses the same)")
        ->check(CLI::IsMember({",", ";", "tab"}));
    c.score
        ->add_option(
            "--keep", o.keep,
            "Columns copied unchanged to the output after the id (unit, assessor, ...); repeat or separate with ','")
        ->delimiter(',');
    c.score->add_option("--date-column", o.date_column,
                        "A column with each row's assessment date (as_of in expressions)");
    c.score->add_option("--explain", o.explain,
                        "Explain every score of the row with this id (to stderr; to stdout when -o is a file)");
    c.score->add_option("--as-of", o.as_of, "Assessment date YYYY-MM-DD for every row (as_of in expressions)");
    c.score->add_option("--threads", o.threads, "Worker threads (0 = one per core)")
        ->capture_default_str()
        ->check(CLI::Range(0u, 1024u));
    c.score
        ->add_option("--max-warnings", o.max_warnings, "Print at most this many check warnings; the rest are counted")
        ->capture_default_str();
    add_limit_options(*c.score, o.limits);
    c.score->footer(R"(
Input: a header row, an id column and one column per instrument field, named as
`kelias instrument show ID` lists them (item.field, or item for single-field items);
cells separated by `,`, `;` or tab (found from the header, or --delimiter).
Cells: a number or code on the field's scale, true/false, YYYY-MM-DD, `na` (not
applicable), empty or `omitted` (unknown). A missing field column means omitted in
every row (a warning says how many item fields are absent); a column that names no
field is an error (exit 1) unless --keep passes it through. RFC 4180 quoting. A UTF-8
byte-order mark is skipped. Files are read in blocks (memory does not grow with them);
a file that changes while it is read stops the run (exit 2).
JSONL: one object per line with the same keys; null = omitted.
Columns header.ID (JSONL: also a map "header") give the assessment's header fields the
instrument declares: checked row by row, never written unless kept with --keep.
Output: the id, the --keep columns, every non-hidden score, then `instrument`
(id@version); unknown scores are empty cells (CSV) or null (JSONL). An output may not
be one of the inputs (or the other output): that is refused before anything is read.
Rows with an invalid cell, a missing id, the wrong number of cells, or a failed check
of severity error are not scored: they are reported by row number (the header is row
1), id, column and reason, never by value, and the run ends with exit code 3. A key
given twice in a JSON line, and an id that is not valid UTF-8, reject the row; an id
that repeats an earlier row's is a warning.
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

void add_rules_commands(CLI::App& app, Commands& c) {
    CLI::App* rules = app.add_subcommand("rules", "Check, test and describe eligibility rule sets");
    rules->require_subcommand(1);
    c.rules_validate =
        rules->add_subcommand("validate", "Check rule files; print 'FILE: valid (...)' for each good one");
    c.rules_validate->add_option("FILE", c.files, "Rule files (or ids of shipped rule sets)")->required();
    c.rules_validate->footer(
        "\nExamples:\n  kelias rules validate instruments/lt_release_pathway.yaml instruments/no_release_pathway.yaml\n"
        "\nExit 0 when every file is valid, 1 when one is not, 2 when one cannot be read.");
    c.rules_test = rules->add_subcommand("test", "Run the test cases embedded in rule files");
    c.rules_test->add_option("FILE", c.files, "Rule files (or ids)")->required();
    c.rules_test->footer("\nPrints each failure as FILE:LINE:COL: test 'NAME': message, then 'N passed, N failed'.\n"
                         "\nExamples:\n  kelias rules test lt_release_pathway no_release_pathway");
    c.rules_show = rules->add_subcommand("show", "Describe a rule set: facts, params, programmes and their conditions");
    c.rules_show->add_option("ID|FILE", c.show_target, "Rule set id or file")->required();
    c.rules_show->add_option("--lang", c.show_lang, "Language of labels and condition texts: en or lt")
        ->capture_default_str()
        ->check(CLI::IsMember({"en", "lt"}));

    c.rules_lint = rules->add_subcommand(
        "lint", "Check a rule set for gaps, unverified params, programmes never eligible, hand-written values");
    c.rules_lint->add_option("FILE", c.files, "Rule files (or ids)")->required();
    c.rules_lint->footer(R"(
Findings: table_gap (a conversion table a condition reads has no row for a category value),
unverified_param, never_eligible (a condition false whatever the case, or contradictory
equalities on one fact inside an 'all'), literal_number (a text states a param's value by
hand: use {params.NAME}), stale_accept. A rule file explains a finding by its id:
  lint: {accept: {table_gap.cr_share.serious: "no source gives the share"}}
Also prints the number of conditions per confidence grade.

Exit 0 when every finding is explained, 1 when some are not (or a file is invalid),
2 when a file cannot be read.

Examples:
  kelias rules lint lt_release_pathway)");

    EligibilityOptions& o = c.eligibility_options;
    c.eligibility =
        app.add_subcommand("eligibility", "Decide which programmes and placements cases may enter, and why");
    c.eligibility->add_option("--rules,-r", o.rules, "Rule set id or file")->required();
    c.eligibility->add_option("CASE", o.input,
                              "A case file (YAML or JSON), or cases as JSON lines (*.jsonl); '-' = stdin");
    c.eligibility->add_option("-o,--output", o.output, "Output file ('-' = stdout, the default)");
    c.eligibility
        ->add_option("--format", o.format,
                     "text (for a person), json (one object per case), or for JSON lines of cases the compact "
                     "csv (one column per programme) or jsonl (decisions keyed by programme)")
        ->check(CLI::IsMember({"text", "json", "csv", "jsonl"}));
    c.eligibility->add_option("--input-format", o.input_format, "case or jsonl (default: from the file name)")
        ->check(CLI::IsMember({"case", "jsonl"}));
    c.eligibility->add_option("--as-of", o.as_of, "Decide as on this date YYYY-MM-DD (overrides the cases' as_of)");
    c.eligibility->add_option("--rejects", o.rejects, "Write rejected JSONL lines to this CSV (line,case,reason)");
    c.eligibility->add_flag("--explain", o.explain, "Text: list every condition with the facts it read");
    c.eligibility
        ->add_option("--lang", o.lang, "Text: language of the words, programme labels and condition texts (en or lt)")
        ->capture_default_str()
        ->check(CLI::IsMember({"en", "lt"}));
    c.eligibility->add_flag("--no-earliest", o.no_earliest,
                            "Skip the search for earliest dates (faster for large batches)");
    c.eligibility->add_flag("--brief", o.brief,
                            "Decisions only (no reasons, missing facts or dates): the fast path for large batches");
    c.eligibility->add_option("--threads", o.threads, "Worker threads (0 = one per core)")
        ->capture_default_str()
        ->check(CLI::Range(0u, 1024u));
    c.eligibility->add_option("--chunk", o.chunk, "JSONL: cases decided and written at a time (bounds memory)")
        ->capture_default_str()
        ->check(CLI::Range(std::size_t{1}, std::size_t{10000000}));
    add_limit_options(*c.eligibility, o.limits);
    c.eligibility->footer(R"(
Per programme: eligible, not_eligible or undetermined; the conditions that fail or
exclusions that apply (all of them, each with its id and source); the facts still
missing (named by their path in the case file); and, when only time stands in the
way, the earliest date on which the programme will be open. Rules never read the
clock: each case gives as_of, or --as-of sets it.

Case files are described in examples/cases/README.md. With JSONL input, bad lines are
reported (line number, case id, reason), the rest are decided, and the exit code is 3.

Examples:
  kelias eligibility --rules lt_release_pathway examples/cases/hwh_eligible_now.yaml
  kelias eligibility -r lt_release_pathway examples/cases/missing_facts.yaml --as-of 2025-06-01 --explain
  kelias eligibility -r lt_release_pathway examples/cases/hwh_eligible_later.yaml --lang lt
  kelias eligibility -r lt_release_pathway examples/cases/batch.jsonl -o decisions.jsonl --rejects rejects.csv)");
}

void add_plan_commands(CLI::App& app, Commands& c) {
    PlanOptions& o = c.plan_options;
    c.plan = app.add_subcommand("plan", "Build a case plan from a case, its assessment and its eligibility decisions");
    c.plan->add_option("--policy,-p", o.policy, "Plan policy id or file");
    c.plan->add_option("--rules,-r", o.rules, "Rule set id or file (the eligibility decisions)");
    c.plan->add_option("CASE", o.input, "A case file (YAML or JSON); '-' = stdin");
    c.plan->add_option("-o,--output", o.output, "Output file ('-' = stdout, the default)");
    c.plan->add_option("--format", o.format, "text (for a person) or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"text", "json"}));
    c.plan->add_option("--lang", o.lang, "Language of the text: en or lt")
        ->capture_default_str()
        ->check(CLI::IsMember({"en", "lt"}));
    c.plan->add_option("--as-of", o.as_of, "Plan as on this date YYYY-MM-DD (overrides the case's as_of)");
    c.plan->footer(R"(
The plan: the risk level and dosage band the policy derives from the assessment,
targets (need areas with their items, in priority order), interventions (eligible
programmes only, with hours and the delivering role), referrals for harm to self,
strengths to build on, responsivity factors, unmet needs (with the reason: not
eligible, undetermined, no programme, ...) and the next review. Every line ends with
where it came from (item, outcome, policy rule, decision, event, fact).
plan_compliance and risk_reduced are derived from the case's plan_review events and
its last two assessments when the case does not state them.

Examples:
  kelias plan --policy lt_plan_policy --rules lt_release_pathway examples/cases/hwh_eligible_later.yaml
  kelias plan -p lt_plan_policy -r lt_release_pathway CASE.yaml --lang lt --as-of 2025-06-01
  kelias plan validate lt_plan_policy
  kelias plan test instruments/lt_plan_policy.yaml)");

    c.plan_validate = c.plan->add_subcommand("validate", "Check plan policy files");
    c.plan_validate->add_option("FILE", c.files, "Plan policy files (or ids)")->required();
    c.plan_test = c.plan->add_subcommand("test", "Run the test cases embedded in plan policy files");
    c.plan_test->add_option("FILE", c.files, "Plan policy files (or ids)")->required();
    c.plan_test->footer("\nPrints each failure as FILE:LINE:COL: test 'NAME': message, then 'N passed, N failed'.");
    c.plan_show = c.plan->add_subcommand("show", "Describe a plan policy: instruments, dosage bands, areas");
    c.plan_show->add_option("ID|FILE", c.show_target, "Plan policy id or file")->required();
}

int dispatch(const Commands& c) {
    if (c.plan_validate->parsed()) return run_plan_validate(c.files);
    if (c.plan_test->parsed()) return run_plan_test(c.files);
    if (c.plan_show->parsed()) return run_plan_show(c.show_target);
    if (c.plan->parsed()) {
        if (c.plan_options.policy.empty() || c.plan_options.rules.empty()) {
            std::fputs("kelias plan: --policy and --rules are required\nRun with --help for more information.\n",
                       stderr);
            return exit_usage;
        }
        return run_plan(c.plan_options);
    }
    if (c.rules_validate->parsed()) return run_rules_validate(c.files);
    if (c.rules_test->parsed()) return run_rules_test(c.files);
    if (c.rules_lint->parsed()) return run_rules_lint(c.files);
    if (c.rules_show->parsed())
        return run_rules_show(c.show_target, kelias::parse_language(c.show_lang).value_or(kelias::Language::en));
    if (c.eligibility->parsed()) return run_eligibility(c.eligibility_options);
    if (c.validate->parsed()) return run_instrument_validate(c.files);
    if (c.test->parsed()) return run_instrument_test(c.files);
    if (c.show->parsed()) return run_instrument_show(c.show_target, c.show_json);
    if (c.score->parsed()) return run_score(c.score_options);
    if (const int code = dispatch_pathway(c.pathway); code >= 0) return code;
    if (const int code = dispatch_report(c.report); code >= 0) return code;
    if (const int code = dispatch_case(c.case_commands); code >= 0) return code;
    if (const int code = dispatch_stats(c.stats); code >= 0) return code;
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
    add_rules_commands(app, commands);
    add_pathway_commands(app, commands.pathway);
    add_plan_commands(app, commands);
    add_report_commands(app, commands.report);
    add_case_commands(app, commands.case_commands);
    add_stats_commands(app, commands.stats);

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
