// `kelias pathway validate | show | moves | apply` and `kelias due`: arguments, messages
// and exit codes; the pathway logic, readers and writers are the library's
// (kelias/pathway.hpp).
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <kelias/case_io.hpp>
#include <kelias/output_file.hpp>
#include <kelias/pathway.hpp>

#include "cli/exit_code.hpp"
#include "cli/instrument_lookup.hpp"
#include "cli/pathway_commands.hpp"

namespace kelias::cli {
namespace {

struct LoadedPathway {
    std::optional<Pathway> pathway;
    std::optional<RuleSet> rules;
    std::vector<std::string> files;  // what was read: an output must be none of them
    int exit_code = exit_ok;
};

// The pathway (id or file) and the rule set it is checked against: `rules` when given,
// else the one the pathway names.
LoadedPathway load_pathway_and_rules(const std::string& id_or_file, const std::optional<std::string>& rules_arg) {
    LoadedPathway out;
    std::optional<RuleSet> given;
    if (rules_arg) {
        auto r = load_rules_arg(*rules_arg);
        if (!r.rules) return {std::nullopt, std::nullopt, {}, r.exit_code};
        given = *r.rules;
        out.files.push_back(r.path);
    }
    std::string path = id_or_file;
    if (auto found = find_definition(id_or_file)) {
        path = found->string();
    } else if (id_or_file.find('/') == std::string::npos && !id_or_file.ends_with(".yaml")) {
        fmt::print(stderr, "kelias: unknown pathway '{}': no file '{}.yaml' in the search path\n", id_or_file,
                   id_or_file);
        return {std::nullopt, std::nullopt, {}, exit_unreadable};
    }
    auto loaded = load_pathway_file(path, given ? &*given : nullptr);
    print(loaded.diagnostics());
    if (!loaded)
        return {std::nullopt,
                std::nullopt,
                {},
                has_code(loaded.error(), DiagnosticCode::unreadable_file) ? exit_unreadable : exit_usage};
    out.pathway = *loaded;
    out.files.push_back(path);
    if (given) {
        out.rules = given;
    } else {
        auto r = load_pathway_rules(*loaded);
        print(r.diagnostics());
        if (!r) return {std::nullopt, std::nullopt, {}, exit_usage};
        out.rules = *r;
        out.files.push_back(r->file());
    }
    return out;
}

Language language_of(const PathwayOutput& o) { return parse_language(o.lang).value_or(Language::en); }

int write_text(const std::string& path, const std::string& text, const std::vector<std::string>& inputs) {
    OutputFile out;
    std::optional<Diagnostic> problem = out.open(path, inputs);
    if (!problem) problem = out.write(text);
    if (!problem) problem = out.commit();
    if (problem) {
        print(*problem);
        return exit_unreadable;
    }
    return path == "-" && !flush_stdout() ? exit_unreadable : exit_ok;
}

// The case and the date to read it on (--as-of, else the case's own).
std::optional<std::pair<CaseInput, Date>> read_case_on(const std::string& file, const std::optional<std::string>& as_of,
                                                       int& exit_code) {
    auto input = read_case_file(file);
    if (!input) {
        print(input.error());
        exit_code = exit_unreadable;
        return std::nullopt;
    }
    CaseInput c = *input;
    if (as_of) {
        const auto d = parse_date(*as_of);
        if (!d) {
            fmt::print(stderr, "kelias: --as-of '{}' is not a date (YYYY-MM-DD)\n", *as_of);
            exit_code = exit_usage;
            return std::nullopt;
        }
        c.as_of = d;
    }
    if (!c.as_of) {
        fmt::print(stderr, "kelias: {}: no as_of date; give --as-of YYYY-MM-DD\n", file);
        exit_code = exit_usage;
        return std::nullopt;
    }
    const Date on = *c.as_of;
    return std::pair{std::move(c), on};
}

}  // namespace

int run_pathway_validate(const std::vector<std::string>& files, const std::optional<std::string>& rules) {
    int worst = exit_ok;
    for (const auto& f : files) {
        auto loaded = load_pathway_and_rules(f, rules);
        if (!loaded.pathway) {
            worst = std::max(worst, loaded.exit_code);
            continue;
        }
        fmt::print("{}: valid ({}, {} placements, {} moves, {} roles, checked against {})\n", f, loaded.pathway->key(),
                   loaded.pathway->placements().size(), loaded.pathway->moves().size(), loaded.pathway->roles().size(),
                   loaded.rules->key());
    }
    return worst;
}

int run_pathway_show(const PathwayShowOptions& o) {
    auto loaded = load_pathway_and_rules(o.pathway, o.rules);
    if (!loaded.pathway) return loaded.exit_code;
    const std::string text =
        o.out.format == "json" ? loaded.pathway->describe_json() + "\n" : loaded.pathway->describe(language_of(o.out));
    return write_text("-", text, {});
}

int run_pathway_moves(const PathwayMovesOptions& o) {
    auto loaded = load_pathway_and_rules(o.pathway, o.rules);
    if (!loaded.pathway) return loaded.exit_code;
    int code = exit_ok;
    auto c = read_case_on(o.input, o.out.as_of, code);
    if (!c) return code;
    auto st = status(*loaded.pathway, *loaded.rules, c->first, c->second);
    if (!st) {
        print(st.error());
        return exit_rejected;
    }
    const std::string text =
        o.out.format == "json" ? to_json(*st) + "\n" : to_text(*st, *loaded.pathway, language_of(o.out));
    return write_text(o.output, text, {o.input});
}

int run_pathway_apply(const PathwayApplyOptions& o) {
    auto loaded = load_pathway_and_rules(o.pathway, o.rules);
    if (!loaded.pathway) return loaded.exit_code;
    int code = exit_ok;
    auto input = read_case_file(o.input);
    if (!input) {
        print(input.error());
        return exit_unreadable;
    }
    auto event = read_pathway_event_file(o.event);
    if (!event) {
        print(event.error());
        return has_code(event.error(), DiagnosticCode::unreadable_file) ? exit_unreadable : exit_rejected;
    }
    (void)code;
    auto outcome = apply(*loaded.pathway, *loaded.rules, *input, *event);
    if (!outcome) {
        print(outcome.error());
        return exit_rejected;
    }
    const Language lang = language_of(o.out);
    const std::string report =
        o.out.format == "json" ? to_json(*outcome) + "\n" : to_text(*outcome, *loaded.pathway, lang);
    if (!outcome->applied) {
        std::fwrite(report.data(), 1, report.size(), stdout);
        if (!flush_stdout()) return exit_unreadable;
        return exit_refused;
    }
    std::vector<std::string> inputs = loaded.files;
    inputs.push_back(o.input);
    inputs.push_back(o.event);
    if (int written = write_text(o.output, to_json(outcome->case_document) + "\n", inputs); written != exit_ok)
        return written;
    if (o.output == "-") return exit_ok;  // the case went to stdout: no report mixed into it
    std::fwrite(report.data(), 1, report.size(), stdout);
    return flush_stdout() ? exit_ok : exit_unreadable;
}

int run_due(const DueCommandOptions& o) {
    auto loaded = load_pathway_and_rules(o.pathway, o.rules);
    if (!loaded.pathway) return loaded.exit_code;
    const auto as_of = parse_date(o.out.as_of.value_or(""));
    if (!as_of) {
        fmt::print(stderr, "kelias: due needs --as-of YYYY-MM-DD\n");
        return exit_usage;
    }
    const auto within = parse_duration(o.within);
    if (!within) {
        fmt::print(stderr, "kelias: --within '{}' is not an ISO-8601 duration (e.g. P30D)\n", o.within);
        return exit_usage;
    }
    auto run = due_jsonl(*loaded.pathway, *loaded.rules, o.input, {.as_of = *as_of, .within = *within});
    if (!run) {
        print(run.error());
        return exit_unreadable;
    }
    const std::string text =
        o.out.format == "json" ? to_json(*run) : to_text(*run, *loaded.pathway, language_of(o.out));
    std::vector<std::string> inputs = loaded.files;
    inputs.push_back(o.input);
    if (int written = write_text(o.output, text, inputs); written != exit_ok) return written;
    for (const auto& [line, reason] : run->rejected) fmt::print(stderr, "line {}: {}\n", line, reason);
    return run->rejected.empty() ? exit_ok : exit_rejected;
}

void add_pathway_commands(CLI::App& app, PathwayCommands& c) {
    CLI::App* pathway = app.add_subcommand("pathway", "Placements, moves, roles and obligations of a release pathway");
    pathway->require_subcommand(1);
    auto output_options = [](CLI::App* cmd, PathwayOutput& out, bool as_of) {
        cmd->add_option("--format", out.format, "text (for a person) or json")
            ->check(CLI::IsMember({"text", "json"}))
            ->capture_default_str();
        cmd->add_option("--lang", out.lang, "Language of the text: en or lt")
            ->check(CLI::IsMember({"en", "lt"}))
            ->capture_default_str();
        if (as_of) cmd->add_option("--as-of", out.as_of, "Read the case as on this date YYYY-MM-DD");
    };
    const char* rules_help = "Rule set id or file to check the moves against (default: the one the pathway names)";

    c.validate = pathway->add_subcommand("validate", "Check pathway files against their rule sets; run their tests");
    c.validate->add_option("FILE", c.files, "Pathway files (or ids)")->required();
    c.validate->add_option("--rules,-r", c.validate_rules, rules_help);
    c.validate->footer("\nExit 0 when every file is valid, 1 when one is not, 2 when one cannot be read.");

    c.show = pathway->add_subcommand("show", "Describe a pathway: placements, moves, roles, assessment cycle");
    c.show->add_option("ID|FILE", c.show_options.pathway, "Pathway id or file")->required();
    c.show->add_option("--rules,-r", c.show_options.rules, rules_help);
    output_options(c.show, c.show_options.out, false);

    PathwayMovesOptions& m = c.moves_options;
    c.moves = pathway->add_subcommand("moves", "The moves open to a case, its obligations and next assessment");
    c.moves->add_option("--pathway,-p", m.pathway, "Pathway id or file")->required();
    c.moves->add_option("--rules,-r", m.rules, rules_help);
    c.moves->add_option("CASE", m.input, "A case file (YAML or JSON)")->required();
    c.moves->add_option("-o,--output", m.output, "Output file ('-' = stdout, the default)");
    output_options(c.moves, m.out, true);
    c.moves->footer(R"(
Per move from the current placement: allowed or refused, the step that comes next and
the roles that may take it, the guard programme's decision with its reasons and missing
facts, and the earliest date when only time holds it back. Then the obligations of the
current stay and when the next assessment is due (instrument by age).

Examples:
  kelias pathway moves --pathway lt_pathway examples/cases/adult_to_halfway_house.yaml
  kelias pathway moves -p lt_pathway --lang lt --as-of 2025-07-01 CASE.yaml)");

    PathwayApplyOptions& a = c.apply_options;
    c.apply = pathway->add_subcommand("apply", "Apply an event or a move step to a case: a new case, or a refusal");
    c.apply->add_option("--pathway,-p", a.pathway, "Pathway id or file")->required();
    c.apply->add_option("--rules,-r", a.rules, rules_help);
    c.apply->add_option("CASE", a.input, "A case file (YAML or JSON)")->required();
    c.apply->add_option("EVENT_FILE", a.event, "One event (YAML or JSON)")->required();
    c.apply->add_option("-o,--output", a.output, "Where the new case is written (JSON; '-' = stdout)")->required();
    output_options(c.apply, a.out, false);
    c.apply->footer(R"(
Checks the role of whoever acts, the order of the steps (proposed, decided, carried
out), the current placement and the guard programme on the event's date. Applied: the
new case document is written to -o (JSON) and what changed is printed. Refused: the
reasons and the roles that may act are printed, nothing is written, exit code 4.

Exit codes: 0 applied, 1 usage error or invalid definition, 2 a file cannot be read or
written, 3 the case or the event is malformed or does not fit, 4 refused.

Examples:
  kelias pathway apply -p lt_pathway CASE.yaml examples/cases/events/propose_hwh.yaml -o next.json)");

    DueCommandOptions& d = c.due_options;
    c.due = app.add_subcommand("due", "Reassessments, obligations and earliest move dates due for many cases");
    c.due->add_option("--pathway,-p", d.pathway, "Pathway id or file")->capture_default_str();
    c.due->add_option("--rules,-r", d.rules, rules_help);
    c.due->add_option("CASES", d.input, "Cases as JSON lines (*.jsonl)")->required();
    c.due->add_option("--within", d.within, "The window after --as-of (ISO-8601 duration)")->capture_default_str();
    c.due->add_option("-o,--output", d.output, "Output file ('-' = stdout, the default)");
    output_options(c.due, d.out, true);
    c.due->footer(R"(
Per case: the next assessment, the obligations and the earliest dates of refused moves
that fall due on or before --as-of plus --within (overdue ones included), by date.
Lines that cannot be read are reported on stderr with their number; exit code 3.

Examples:
  kelias due examples/cases/batch_pathway.jsonl --as-of 2025-06-01 --within P30D)");
}

int dispatch_pathway(const PathwayCommands& c) {
    if (c.validate && c.validate->parsed()) return run_pathway_validate(c.files, c.validate_rules);
    if (c.show && c.show->parsed()) return run_pathway_show(c.show_options);
    if (c.moves && c.moves->parsed()) return run_pathway_moves(c.moves_options);
    if (c.apply && c.apply->parsed()) return run_pathway_apply(c.apply_options);
    if (c.due && c.due->parsed()) return run_due(c.due_options);
    return -1;
}

}  // namespace kelias::cli
