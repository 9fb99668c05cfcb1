// `kelias report CASE` and `kelias report unit CASES...`: arguments, messages and exit
// codes; reading cases, building and writing reports are the library's (kelias/report.hpp).
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <kelias/case_io.hpp>
#include <kelias/pathway.hpp>
#include <kelias/plan.hpp>
#include <kelias/report.hpp>
#include <kelias/rules.hpp>

#include "cli/exit_code.hpp"
#include "cli/instrument_lookup.hpp"
#include "cli/report_commands.hpp"

namespace kelias::cli {
namespace {

struct LoadedDefinitions {
    std::optional<ReportDefinitions> definitions;
    std::vector<std::string> files;  // what was read: an output must be none of them
    int exit_code = exit_ok;
};

LoadedDefinitions load_definitions(const ReportDefinitionArgs& args) {
    LoadedDefinitions out;
    const LoadedRules rules = load_rules_arg(args.rules);
    if (!rules.rules) return {std::nullopt, {}, rules.exit_code};
    const LoadedPlanPolicy policy = load_plan_policy_arg(args.policy);
    if (!policy.policy) return {std::nullopt, {}, policy.exit_code};
    out.files = {rules.path, policy.path};
    std::optional<Pathway> pathway;
    if (args.pathway != "none") {
        std::string path = args.pathway;
        if (auto found = find_definition(args.pathway)) {
            path = found->string();
        } else if (path.find('/') == std::string::npos && !path.ends_with(".yaml")) {
            fmt::print(stderr, "kelias: unknown pathway '{}': no file '{}.yaml' in the search path\n", path, path);
            return {std::nullopt, {}, exit_unreadable};
        }
        auto loaded = load_pathway_file(path, &*rules.rules);
        print(loaded.diagnostics());
        if (!loaded)
            return {std::nullopt,
                    {},
                    has_code(loaded.error(), DiagnosticCode::unreadable_file) ? exit_unreadable : exit_usage};
        pathway = *loaded;
        out.files.push_back(path);
    }
    out.definitions = ReportDefinitions{.rules = *rules.rules, .policy = *policy.policy, .pathway = pathway};
    return out;
}

std::optional<Date> as_of_arg(const std::optional<std::string>& text, bool& bad) {
    bad = false;
    if (!text) return std::nullopt;
    auto d = parse_date(*text);
    if (!d) {
        fmt::print(stderr, "kelias: --as-of must be a date YYYY-MM-DD, not '{}'\n", *text);
        bad = true;
    }
    return d;
}

int write(const std::string& text, const std::string& path, const std::vector<std::string>& inputs) {
    if (auto problem = write_report(text, path, inputs)) {
        print(*problem);
        return exit_unreadable;
    }
    return path == "-" && !flush_stdout() ? exit_unreadable : exit_ok;
}

}  // namespace

int run_report(const ReportCommandOptions& o) {
    bool bad = false;
    const auto as_of = as_of_arg(o.as_of, bad);
    if (bad) return exit_usage;
    const auto format = parse_report_format(o.format);
    const auto variant = parse_report_variant(o.variant);
    const auto language = parse_language(o.lang);
    if (!format || !variant || !language) {
        fmt::print(stderr, "kelias: --format html|md|json, --variant full|commission|handover, --lang en|lt\n");
        return exit_usage;
    }
    LoadedDefinitions loaded = load_definitions(o.definitions);
    if (!loaded.definitions) return loaded.exit_code;
    auto input = read_case_file(o.input);
    if (!input) {
        print(input.error());
        return exit_unreadable;
    }
    if (!as_of && !input->as_of) {
        fmt::print(stderr, "kelias: {}: no as_of date; give --as-of YYYY-MM-DD (reports never read the clock)\n",
                   o.input);
        return exit_usage;
    }
    auto report =
        build_report(*input, *loaded.definitions, {.as_of = as_of, .language = *language, .variant = *variant});
    if (!report) {
        print(report.error());
        return exit_rejected;
    }
    loaded.files.push_back(o.input);
    return write(render(*report, *format), o.output, loaded.files);
}

int run_unit_report(const UnitReportCommandOptions& o) {
    bool bad = false;
    const auto as_of = as_of_arg(o.as_of, bad);
    if (bad) return exit_usage;
    if (!as_of) {
        fmt::print(stderr, "kelias: report unit needs --as-of YYYY-MM-DD (reports never read the clock)\n");
        return exit_usage;
    }
    const auto within = parse_duration(o.within);
    if (!within) {
        fmt::print(stderr, "kelias: --within '{}' is not an ISO-8601 duration (e.g. P30D)\n", o.within);
        return exit_usage;
    }
    const auto format = parse_report_format(o.format);
    const auto language = parse_language(o.lang);
    if (!format || !language) {
        fmt::print(stderr, "kelias: --format html|md|json, --lang en|lt\n");
        return exit_usage;
    }
    if (o.definitions.pathway == "none") {
        fmt::print(stderr, "kelias: report unit needs a pathway (--pathway)\n");
        return exit_usage;
    }
    LoadedDefinitions loaded = load_definitions(o.definitions);
    if (!loaded.definitions) return loaded.exit_code;
    auto read = read_case_files(o.inputs);
    if (!read) {
        print(read.error());
        return exit_unreadable;
    }
    OverrideRecords overrides;
    if (o.overrides) {
        std::ifstream in(*o.overrides, std::ios::binary);
        if (!in) {
            fmt::print(stderr, "kelias: {}: cannot read the override records\n", *o.overrides);
            return exit_unreadable;
        }
        std::ostringstream text;
        text << in.rdbuf();
        overrides = parse_override_records(text.str(), *o.overrides);
        print(overrides.rejected);
        loaded.files.push_back(*o.overrides);
    }
    auto report = build_unit_report(read->cases, overrides.records, *loaded.definitions,
                                    {.as_of = *as_of, .within = *within, .language = *language});
    if (!report) {
        print(report.error());
        return exit_usage;
    }
    for (const std::string& r : read->rejected) fmt::print(stderr, "kelias: rejected: {}\n", r);
    for (const auto& [id, reason] : report->rejected) fmt::print(stderr, "kelias: rejected case {}: {}\n", id, reason);
    for (const std::string& f : o.inputs) loaded.files.push_back(f);
    const int code = write(render(*report, *format), o.output, loaded.files);
    if (code != exit_ok) return code;
    return read->rejected.empty() && report->rejected.empty() && overrides.rejected.empty() ? exit_ok : exit_rejected;
}

void add_report_commands(CLI::App& app, ReportCommands& c) {
    auto definitions = [](CLI::App* cmd, ReportDefinitionArgs& d) {
        cmd->add_option("--rules,-r", d.rules, "Rule set id or file")->capture_default_str();
        cmd->add_option("--policy,-p", d.policy, "Plan policy id or file")->capture_default_str();
        cmd->add_option("--pathway", d.pathway, "Pathway id or file ('none': without one)")->capture_default_str();
    };
    ReportCommandOptions& o = c.report_options;
    c.report = app.add_subcommand("report", "Write a case report (HTML, Markdown or JSON) or a unit report");
    c.report->add_option("CASE", o.input, "A case file (YAML or JSON); '-' = stdin");
    c.report->add_option("-o,--output", o.output, "Output file ('-' = stdout, the default)");
    c.report->add_option("--format", o.format, "html, md or json")
        ->check(CLI::IsMember({"html", "md", "markdown", "json"}))
        ->capture_default_str();
    c.report
        ->add_option("--variant", o.variant, "full, commission (commission or court pack) or handover (to probation)")
        ->check(CLI::IsMember({"full", "commission", "handover"}))
        ->capture_default_str();
    c.report->add_option("--lang", o.lang, "Language: en or lt")
        ->check(CLI::IsMember({"en", "lt"}))
        ->capture_default_str();
    c.report->add_option("--as-of", o.as_of, "Report as on this date YYYY-MM-DD (overrides the case's as_of)");
    definitions(c.report, o.definitions);
    c.report->footer(R"(
A case report: the person by pseudonymous id, the START:AV or START profile (an SVG chart
in HTML) with the change since the last assessment, risk estimates, eligibility with
reasons and earliest dates, the plan with unmet needs, placements and moves, obligations.
The HTML is one self-contained, printable file. Written atomically, mode 0600.

Examples:
  kelias report examples/cases/adolescent_kaunas_review.yaml -o report.html --lang lt
  kelias report CASE.yaml --format md --variant commission -o pack.md
  kelias report unit examples/cases/pathway_batch.jsonl --as-of 2025-06-01 -o unit.html)");

    UnitReportCommandOptions& u = c.unit_options;
    c.unit = c.report->add_subcommand("unit", "A unit's report over many cases: due dates and override rates");
    c.unit->add_option("CASES", u.inputs, "Case files (YAML/JSON) or JSON lines files (.jsonl)")->required();
    c.unit->add_option("-o,--output", u.output, "Output file ('-' = stdout, the default)");
    c.unit->add_option("--format", u.format, "html, md or json")
        ->check(CLI::IsMember({"html", "md", "markdown", "json"}))
        ->capture_default_str();
    c.unit->add_option("--lang", u.lang, "Language: en or lt")
        ->check(CLI::IsMember({"en", "lt"}))
        ->capture_default_str();
    c.unit->add_option("--as-of", u.as_of, "The report date YYYY-MM-DD (required)");
    c.unit->add_option("--within", u.within, "The window after --as-of for due dates (ISO-8601)")
        ->capture_default_str();
    c.unit->add_option("--overrides", u.overrides,
                       "Override records as JSON lines: case, instrument, target, computed, chosen, staff, date");
    definitions(c.unit, u.definitions);
    c.unit->footer(R"(
Exit 3 when some cases or override records were rejected (each printed with its reason).)");
}

int dispatch_report(const ReportCommands& c) {
    if (c.unit && c.unit->parsed()) return run_unit_report(c.unit_options);
    if (c.report && c.report->parsed()) {
        if (c.report_options.input.empty()) {
            std::fputs("kelias report: a CASE file is required\nRun with --help for more information.\n", stderr);
            return exit_usage;
        }
        return run_report(c.report_options);
    }
    return -1;
}

}  // namespace kelias::cli
