#pragma once
/// \file stats_commands.hpp
/// `kelias stats alpha | icc | kappa | auc | calibration | groups`: statistics over named
/// CSV columns (kelias/stats.hpp), printed as tables or JSON.
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace kelias::cli {

struct StatsOptions {
    std::string input;                     ///< CSV file; "-" = stdin
    std::string output = "-";              ///< "-" = stdout
    std::string format = "text";           ///< text | json
    std::optional<std::string> delimiter;  ///< , ; tab (default: from the header)
    double confidence = 0.95;
    std::vector<std::string> items;       ///< alpha
    std::vector<std::string> raters;      ///< icc, kappa
    std::vector<double> categories;       ///< kappa: the scale's categories in order
    std::string variance = "fce";         ///< kappa: fce | psych (standard errors of weighted kappas)
    std::optional<std::string> score;     ///< auc, groups
    std::optional<std::string> score2;    ///< auc: DeLong's test against this score
    std::optional<std::string> outcome;   ///< auc, calibration, groups
    bool curve = false;                   ///< auc: the ROC curve's points
    std::optional<std::string> category;  ///< calibration
    std::optional<std::string> expected;  ///< calibration, groups: expected probabilities
    std::vector<std::string> order;       ///< calibration, groups: order of categories
    std::optional<std::string> group;     ///< groups
    std::optional<double> cutoff;         ///< groups
};

enum class StatsCommand { alpha, icc, kappa, auc, calibration, groups };

struct StatsCommands {
    std::vector<std::pair<StatsCommand, CLI::App*>> commands;
    StatsOptions options;
};

void add_stats_commands(CLI::App& app, StatsCommands& commands);
/// The exit code of the stats command that was parsed, or -1 when none was.
int dispatch_stats(const StatsCommands& commands);

}  // namespace kelias::cli
