// `kelias stats ...`: reads the named columns through the library (read_csv_columns),
// computes the statistic (kelias/stats.hpp) and prints its table or JSON.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <fmt/core.h>
#include <kelias/csv_columns.hpp>
#include <kelias/output_file.hpp>
#include <kelias/stats.hpp>

#include "cli/exit_code.hpp"
#include "cli/instrument_lookup.hpp"
#include "cli/stats_commands.hpp"

namespace kelias::cli {
namespace {

constexpr const char* stats_footer = R"(
Input: a CSV file (`,` `;` or tab, found from the header) with a header row; columns
are named by the options, other columns are ignored. Numbers: empty, NA or na =
missing. Outcomes: 1 (happened) or 0; categories: text, empty or NA = missing. Each
statistic states the rows it leaves out (missing values) and how many.
A statistic the data cannot give (one outcome class only, a constant item, fewer than
2 raters, too few rows) is an error E910 with the reason; a cell that is not a number
is reported by line and column (E502) and nothing is computed.

Exit codes: 0 printed, 1 usage error, unknown column (E501) or a statistic the data
cannot give (E910), 2 input unreadable, a cell not a number, or output not writable.)";

constexpr const char* stats_examples = R"(
Examples:
  kelias stats alpha tests/data/stats/alpha_items.csv --items i1,i2,i3,i4,i5,i6
  kelias stats icc tests/data/stats/shrout_fleiss.csv --raters j1,j2,j3,j4
  kelias stats kappa tests/data/stats/kappa_ratings.csv --raters rater1,rater2
  kelias stats auc tests/data/stats/roc_scores.csv --score score1 --outcome outcome --score2 score2
  kelias stats calibration tests/data/stats/roc_scores.csv --category band --outcome outcome --expected expected
  kelias stats groups tests/data/stats/roc_scores.csv --group site --score score1 --outcome outcome --cutoff 10 --format json)";

int read_failure(const std::vector<Diagnostic>& ds) {
    print(ds);
    for (const Diagnostic& d : ds)
        if (d.code == DiagnosticCode::unknown_column) return exit_usage;
    return exit_unreadable;
}

int usage(const std::string& command, const std::string& message) {
    fmt::print(stderr, "kelias stats {}: {}\nRun with --help for more information.\n", command, message);
    return exit_usage;
}

int emit(const StatsOptions& o, const std::string& text) {
    OutputFile out;
    std::optional<Diagnostic> problem = out.open(o.output, {o.input});
    if (!problem) problem = out.write(text);
    if (!problem) problem = out.commit();
    if (problem) {
        print(*problem);
        return exit_unreadable;
    }
    return o.output == "-" && !flush_stdout() ? exit_unreadable : exit_ok;
}

template <class T, class Format>
int finish(const StatsOptions& o, const Result<T>& result, Format&& format) {
    if (!result) {
        print(result.error());
        return exit_usage;
    }
    return emit(o, format(*result));
}

Result<CsvColumns> read_columns(const StatsOptions& o, std::vector<std::string> numeric,
                                std::vector<std::string> categorical = {}) {
    CsvColumnsOptions options{.numeric = std::move(numeric), .categorical = std::move(categorical)};
    if (o.delimiter) options.delimiter = *o.delimiter == "tab" ? '\t' : (*o.delimiter)[0];
    return read_csv_columns(o.input, options);
}

std::vector<std::span<const double>> spans(const CsvColumns& c) {
    std::vector<std::span<const double>> out;
    for (const auto& column : c.numeric) out.emplace_back(column);
    return out;
}

bool json(const StatsOptions& o) { return o.format == "json"; }

int run_alpha(const StatsOptions& o) {
    if (o.items.size() < 2) return usage("alpha", "--items needs at least 2 columns");
    auto data = read_columns(o, o.items);
    if (!data) return read_failure(data.error());
    return finish(o, stats::cronbach_alpha(spans(*data), {.confidence = o.confidence}),
                  [&](const auto& r) { return json(o) ? stats::to_json(r, o.items) : stats::to_text(r, o.items); });
}

int run_icc(const StatsOptions& o) {
    if (o.raters.size() < 2) return usage("icc", "--raters needs at least 2 columns");
    auto data = read_columns(o, o.raters);
    if (!data) return read_failure(data.error());
    return finish(o, stats::icc(spans(*data), {.confidence = o.confidence}),
                  [&](const auto& r) { return json(o) ? stats::to_json(r) : stats::to_text(r); });
}

int run_kappa(const StatsOptions& o) {
    if (o.raters.size() != 2) return usage("kappa", "--raters needs exactly 2 columns");
    auto data = read_columns(o, o.raters);
    if (!data) return read_failure(data.error());
    return finish(o,
                  stats::cohen_kappa(data->numeric[0], data->numeric[1],
                                     {.confidence = o.confidence,
                                      .variance = o.variance == "psych" ? stats::KappaVariance::psych
                                                                        : stats::KappaVariance::fleiss_cohen_everitt,
                                      .categories = o.categories}),
                  [&](const auto& r) { return json(o) ? stats::to_json(r) : stats::to_text(r); });
}

int run_auc(const StatsOptions& o) {
    if (!o.score || !o.outcome) return usage("auc", "--score and --outcome are required");
    std::vector<std::string> columns{*o.score, *o.outcome};
    if (o.score2) columns.push_back(*o.score2);
    auto data = read_columns(o, columns);
    if (!data) return read_failure(data.error());
    const auto score = data->numeric[0];
    const auto outcome = data->numeric[1];
    if (o.curve)
        return finish(o, stats::roc_curve(score, outcome),
                      [&](const auto& r) { return json(o) ? stats::to_json(r) : stats::to_text(r); });
    if (o.score2) {
        const std::vector<std::string> names{*o.score, *o.score2};
        return finish(o, stats::delong_test(score, data->numeric[2], outcome, {.confidence = o.confidence}),
                      [&](const auto& r) { return json(o) ? stats::to_json(r, names) : stats::to_text(r, names); });
    }
    return finish(o, stats::roc_auc(score, outcome, {.confidence = o.confidence}),
                  [&](const auto& r) { return json(o) ? stats::to_json(r) : stats::to_text(r); });
}

int run_calibration(const StatsOptions& o) {
    if (!o.category || !o.outcome) return usage("calibration", "--category and --outcome are required");
    std::vector<std::string> numeric{*o.outcome};
    if (o.expected) numeric.push_back(*o.expected);
    auto data = read_columns(o, numeric, {*o.category});
    if (!data) return read_failure(data.error());
    const std::span<const double> expected =
        o.expected ? std::span<const double>(data->numeric[1]) : std::span<const double>{};
    return finish(o,
                  stats::calibration(data->categorical[0], data->numeric[0], expected,
                                     {.confidence = o.confidence, .order = o.order}),
                  [&](const auto& r) { return json(o) ? stats::to_json(r) : stats::to_text(r); });
}

int run_groups(const StatsOptions& o) {
    if (!o.group || !o.score || !o.outcome || !o.cutoff)
        return usage("groups", "--group, --score, --outcome and --cutoff are required");
    std::vector<std::string> numeric{*o.score, *o.outcome};
    if (o.expected) numeric.push_back(*o.expected);
    auto data = read_columns(o, numeric, {*o.group});
    if (!data) return read_failure(data.error());
    const std::span<const double> expected =
        o.expected ? std::span<const double>(data->numeric[2]) : std::span<const double>{};
    return finish(o,
                  stats::group_audit(data->categorical[0], data->numeric[0], data->numeric[1], expected,
                                     {.cutoff = *o.cutoff, .confidence = o.confidence, .order = o.order}),
                  [&](const auto& r) { return json(o) ? stats::to_json(r) : stats::to_text(r); });
}

CLI::App* add_command(CLI::App& stats, StatsCommands& c, StatsCommand kind, const char* name, const char* help) {
    CLI::App* command = stats.add_subcommand(name, help);
    StatsOptions& o = c.options;
    command->add_option("FILE", o.input, "CSV file ('-' = stdin)")->required();
    command->add_option("-o,--output", o.output, "Output file ('-' = stdout, the default)");
    command->add_option("--format", o.format, "text (aligned tables) or json")
        ->capture_default_str()
        ->check(CLI::IsMember({"text", "json"}));
    command->add_option("--delimiter", o.delimiter, "CSV delimiter: , ; or tab (default: found from the header)")
        ->check(CLI::IsMember({",", ";", "tab"}));
    command->add_option("--confidence", o.confidence, "Level of every confidence interval")
        ->capture_default_str()
        ->check(CLI::Range(0.5, 0.999999));
    command->footer(std::string(stats_footer) + "\n" + stats_examples);
    c.commands.emplace_back(kind, command);
    return command;
}

}  // namespace

void add_stats_commands(CLI::App& app, StatsCommands& c) {
    CLI::App* stats = app.add_subcommand("stats", "Reliability and validity statistics over CSV columns");
    stats->require_subcommand(1);
    stats->footer(std::string(stats_footer) + "\n" + stats_examples);
    StatsOptions& o = c.options;

    CLI::App* alpha = add_command(*stats, c, StatsCommand::alpha, "alpha",
                                  "Cronbach's alpha (Feldt CI), item-total correlations, alpha if deleted, SEM");
    alpha->add_option("--items", o.items, "Item columns, separated by ',' (at least 2)")->delimiter(',')->required();

    CLI::App* icc = add_command(*stats, c, StatsCommand::icc, "icc",
                                "Shrout & Fleiss intraclass correlations ICC(1,1)..ICC(3,k) with F tests and CIs");
    icc->add_option("--raters", o.raters, "One column per rater, separated by ','")->delimiter(',')->required();

    CLI::App* kappa = add_command(*stats, c, StatsCommand::kappa, "kappa",
                                  "Cohen's kappa of two raters: unweighted, linear and quadratic weights");
    kappa->add_option("--raters", o.raters, "The two raters' columns, separated by ','")->delimiter(',')->required();
    kappa
        ->add_option("--categories", o.categories,
                     "The scale's categories in order (default: the values used), separated by ','")
        ->delimiter(',');
    kappa
        ->add_option("--variance", o.variance,
                     "Standard errors of the weighted kappas: fce (Fleiss, Cohen & Everitt 1969) or psych "
                     "(as psych::cohen.kappa codes it, to reproduce its intervals)")
        ->capture_default_str()
        ->check(CLI::IsMember({"fce", "psych"}));

    CLI::App* auc = add_command(*stats, c, StatsCommand::auc, "auc",
                                "ROC AUC with DeLong CI; DeLong's test against --score2; --curve for the ROC points");
    auc->add_option("--score", o.score, "Score column (higher = outcome more likely)")->required();
    auc->add_option("--outcome", o.outcome, "Outcome column (0/1)")->required();
    auc->add_option("--score2", o.score2, "A second score of the same rows: DeLong's test of the two AUCs");
    auc->add_flag("--curve", o.curve, "Print the ROC curve's points (threshold, tp, fp, tpr, fpr)");

    CLI::App* calibration = add_command(*stats, c, StatsCommand::calibration, "calibration",
                                        "Observed outcome rates per category (Wilson CIs) against expected rates");
    calibration->add_option("--category", o.category, "Category column (a risk band, a score)")->required();
    calibration->add_option("--outcome", o.outcome, "Outcome column (0/1)")->required();
    calibration->add_option("--expected", o.expected, "Column of expected probabilities (0-1)");
    calibration->add_option("--order", o.order, "Order of the categories, separated by ','")->delimiter(',');

    CLI::App* groups = add_command(*stats, c, StatsCommand::groups, "groups",
                                   "Fairness audit: per group n, base rate, AUC, FPR and FNR at a cut-off, O/E");
    groups->add_option("--group", o.group, "Group column (sex, age band, nationality, site)")->required();
    groups->add_option("--score", o.score, "Score column")->required();
    groups->add_option("--outcome", o.outcome, "Outcome column (0/1)")->required();
    groups->add_option("--cutoff", o.cutoff, "A score >= cut-off is called positive")->required();
    groups->add_option("--expected", o.expected, "Column of expected probabilities (0-1)");
    groups->add_option("--order", o.order, "Order of the groups, separated by ','")->delimiter(',');
}

int dispatch_stats(const StatsCommands& c) {
    for (const auto& [kind, command] : c.commands) {
        if (!command->parsed()) continue;
        switch (kind) {
        case StatsCommand::alpha:
            return run_alpha(c.options);
        case StatsCommand::icc:
            return run_icc(c.options);
        case StatsCommand::kappa:
            return run_kappa(c.options);
        case StatsCommand::auc:
            return run_auc(c.options);
        case StatsCommand::calibration:
            return run_calibration(c.options);
        case StatsCommand::groups:
            return run_groups(c.options);
        }
    }
    return -1;
}

}  // namespace kelias::cli
