#pragma once
/// \file pathway_commands.hpp
/// `kelias pathway validate | show | moves | apply` and `kelias due`: their options, how
/// they are added to the CLI, and how a parsed command is run.
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace kelias::cli {

/// What every pathway command prints in.
struct PathwayOutput {
    std::string format = "text";       ///< text | json
    std::string lang = "en";           ///< en | lt
    std::optional<std::string> as_of;  ///< overrides the case's as_of
};

struct PathwayShowOptions {
    std::string pathway;
    std::optional<std::string> rules;
    PathwayOutput out;
};

struct PathwayMovesOptions {
    std::string pathway;
    std::optional<std::string> rules;
    std::string input;
    std::string output = "-";
    PathwayOutput out;
};

struct PathwayApplyOptions {
    std::string pathway;
    std::optional<std::string> rules;
    std::string input, event;
    std::string output;
    PathwayOutput out;
};

struct DueCommandOptions {
    std::string pathway = "lt_pathway";
    std::optional<std::string> rules;
    std::string input;
    std::string within = "P30D";
    std::string output = "-";
    PathwayOutput out;
};

struct PathwayCommands {
    CLI::App* validate = nullptr;
    CLI::App* show = nullptr;
    CLI::App* moves = nullptr;
    CLI::App* apply = nullptr;
    CLI::App* due = nullptr;
    std::vector<std::string> files;
    std::optional<std::string> validate_rules;
    PathwayShowOptions show_options;
    PathwayMovesOptions moves_options;
    PathwayApplyOptions apply_options;
    DueCommandOptions due_options;
};

void add_pathway_commands(CLI::App& app, PathwayCommands& commands);
/// The exit code of the pathway command that was parsed, or -1 when none was.
int dispatch_pathway(const PathwayCommands& commands);

int run_pathway_validate(const std::vector<std::string>& files, const std::optional<std::string>& rules);
int run_pathway_show(const PathwayShowOptions& options);
int run_pathway_moves(const PathwayMovesOptions& options);
int run_pathway_apply(const PathwayApplyOptions& options);
int run_due(const DueCommandOptions& options);

}  // namespace kelias::cli
