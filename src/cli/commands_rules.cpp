// `kelias rules validate | test | show` and `kelias eligibility`: arguments, messages and
// exit codes; reading cases and writing decisions are the library's (kelias/case_io.hpp).
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <kelias/case_io.hpp>
#include <kelias/output_file.hpp>
#include <kelias/rules.hpp>
#include <kelias/rules_lint.hpp>

#include "cli/commands.hpp"
#include "cli/exit_code.hpp"
#include "cli/instrument_lookup.hpp"

namespace kelias::cli {
namespace {

Language language_of(const EligibilityOptions& o) { return parse_language(o.lang).value_or(Language::en); }

bool is_jsonl(const EligibilityOptions& o) {
    if (o.input_format) return *o.input_format == "jsonl";
    return o.input.ends_with(".jsonl") || o.input.ends_with(".ndjson");
}

// The files a run reads: an output must be none of them.
std::vector<std::string> inputs_of(const EligibilityOptions& o, const LoadedRules& loaded) {
    std::vector<std::string> inputs = {o.input, loaded.path};
    for (const auto& [id, instrument] : loaded.rules->instruments()) inputs.push_back(instrument.file());
    return inputs;
}

int write_whole(const std::string& path, const std::string& text, const std::vector<std::string>& inputs) {
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

int eligibility_one(const RuleSet& rules, const EligibilityOptions& o, const std::vector<std::string>& inputs,
                    DecisionFormat format) {
    auto input = read_case_file(o.input);
    if (!input) {
        print(input.error());
        return exit_unreadable;
    }
    CaseInput c = *input;
    if (o.as_of) c.as_of = parse_date(*o.as_of);
    if (!c.as_of) {
        fmt::print(stderr, "kelias: {}: no as_of date; give --as-of YYYY-MM-DD (rules never read the clock)\n",
                   o.input);
        return exit_usage;
    }
    auto decided = decide(rules, c, {.earliest_dates = !o.no_earliest, .threads = o.threads});
    if (!decided) {
        print(decided.error());
        return exit_rejected;
    }
    return write_whole(o.output,
                       format == DecisionFormat::json
                           ? to_json(*decided, o.explain) + "\n"
                           : to_text(*decided, {.explain = o.explain, .language = language_of(o)}),
                       inputs);
}

int eligibility_batch(const RuleSet& rules, const EligibilityOptions& o, const std::vector<std::string>& inputs,
                      DecisionFormat format) {
    OutputFile out, rejects_file;
    if (auto problem = out.open(o.output, inputs)) {
        print(*problem);
        return exit_unreadable;
    }
    std::vector<std::string> taken = inputs;
    taken.push_back(o.output);
    if (o.rejects) {
        if (auto problem = rejects_file.open(*o.rejects, taken)) {
            print(*problem);
            return exit_unreadable;
        }
    }
    std::string rejects = case_rejects_csv_header();
    DecideRunEvents events;
    events.rejected = [&](const CaseReject& r) {
        if (o.rejects)
            append_case_reject(rejects, r);
        else
            fmt::print(stderr, "line {} (case {}): {}\n", r.line, r.case_id.empty() ? "?" : r.case_id, r.reason);
    };
    events.warning = [](const Diagnostic& d) { print(d); };
    const auto summary = decide_jsonl(rules, o.input, out,
                                      {.as_of = o.as_of ? parse_date(*o.as_of) : std::nullopt,
                                       .format = format,
                                       .brief = o.brief,
                                       .explain = o.explain,
                                       .language = language_of(o),
                                       .earliest_dates = !o.no_earliest,
                                       .threads = o.threads,
                                       .chunk_lines = o.chunk,
                                       .max_line_bytes = o.limits.max_line,
                                       .max_stream_bytes = o.limits.max_input},
                                      events);
    if (!summary) {
        print(summary.error());
        return exit_unreadable;
    }
    std::optional<Diagnostic> problem = out.commit();
    if (!problem && o.rejects) problem = rejects_file.write(rejects);
    if (!problem && o.rejects) problem = rejects_file.commit();
    if (problem) {
        print(*problem);
        return exit_unreadable;
    }
    if (o.output == "-" && !flush_stdout()) return exit_unreadable;
    if (summary->rejected == 0) return exit_ok;
    fmt::print(stderr, "kelias: {} of {} cases rejected{}\n", summary->rejected, summary->rejected + summary->decided,
               o.rejects ? " (see " + *o.rejects + ")" : "");
    return exit_rejected;
}

}  // namespace

int run_rules_validate(const std::vector<std::string>& files) {
    const int code =
        for_each_loaded(files, load_rules_arg, &LoadedRules::rules, [](const std::string& path, const RuleSet& rules) {
            fmt::print("{}: valid ({}, {} programmes, {} facts)\n", path, rules.key(), rules.programmes().size(),
                       rules.facts().size());
        });
    return flush_stdout() ? code : exit_unreadable;
}

int run_rules_test(const std::vector<std::string>& files) {
    int passed = 0, failed = 0;
    const int code =
        for_each_loaded(files, load_rules_arg, &LoadedRules::rules, [&](const std::string& path, const RuleSet& rules) {
            const RulesTestReport report = run_rules_tests(rules);
            for (const auto& [where, message] : report.failures) fmt::print("{}: {}\n", place(where, path), message);
            passed += report.passed;
            failed += report.failed;
        });
    return finish_tests(code, passed, failed);
}

int run_rules_lint(const std::vector<std::string>& files) {
    int code = exit_ok;
    for (const auto& arg : files) {
        const LoadedRules loaded = load_rules_arg(arg);
        if (!loaded.rules) {
            code = std::max(code, loaded.exit_code);
            continue;
        }
        const LintReport report = lint(*loaded.rules);
        const std::string text = to_text(report);
        std::fwrite(text.data(), 1, text.size(), stdout);
        if (report.unexplained() > 0) code = std::max<int>(code, exit_usage);
    }
    if (!flush_stdout()) return exit_unreadable;
    return code;
}

int run_rules_show(const std::string& id_or_file, Language language) {
    const LoadedRules loaded = load_rules_arg(id_or_file);
    if (!loaded.rules) return loaded.exit_code;
    const std::string text = loaded.rules->describe(language);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return flush_stdout() ? exit_ok : exit_unreadable;
}

int run_eligibility(const EligibilityOptions& o) {
    if (o.as_of && !parse_date(*o.as_of)) {
        fmt::print(stderr, "kelias: --as-of must be a date YYYY-MM-DD, not '{}'\n", *o.as_of);
        return exit_usage;
    }
    const LoadedRules loaded = load_rules_arg(o.rules);
    if (!loaded.rules) return loaded.exit_code;
    const bool batch = is_jsonl(o);
    const bool json =
        o.format ? *o.format == "json" : batch || o.output.ends_with(".jsonl") || o.output.ends_with(".json");
    DecisionFormat format = json ? DecisionFormat::json : DecisionFormat::text;
    if (o.format == "csv" || o.format == "jsonl") {
        if (!batch) {
            fmt::print(stderr, "kelias: --format {} is for cases as JSON lines; one case is written as text or json\n",
                       *o.format);
            return exit_usage;
        }
        format = *o.format == "csv" ? DecisionFormat::csv : DecisionFormat::jsonl;
    }
    const std::vector<std::string> inputs = inputs_of(o, loaded);
    return batch ? eligibility_batch(*loaded.rules, o, inputs, format)
                 : eligibility_one(*loaded.rules, o, inputs, format);
}

}  // namespace kelias::cli
