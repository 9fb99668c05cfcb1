#pragma once
/// \file report_commands.hpp
/// `kelias report CASE` and `kelias report unit CASES...`: their options, how they are added
/// to the CLI, and how a parsed command is run. Building and writing reports is the
/// library's (kelias/report.hpp).
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace kelias::cli {

/// The definitions every report reads (ids or files).
struct ReportDefinitionArgs {
    std::string rules = "lt_release_pathway";
    std::string policy = "lt_plan_policy";
    std::string pathway = "lt_pathway";  ///< "none": without placements, obligations, next assessment
};

struct ReportCommandOptions {
    std::string input;
    std::string output = "-";
    std::string format = "html";  ///< html | md | json
    std::string variant = "full";
    std::string lang = "en";
    std::optional<std::string> as_of;
    ReportDefinitionArgs definitions;
};

struct UnitReportCommandOptions {
    std::vector<std::string> inputs;
    std::string output = "-";
    std::string format = "html";
    std::string lang = "en";
    std::optional<std::string> as_of;
    std::string within = "P30D";
    std::optional<std::string> overrides;  ///< JSON lines of override records
    ReportDefinitionArgs definitions;
};

struct ReportCommands {
    CLI::App* report = nullptr;
    CLI::App* unit = nullptr;
    ReportCommandOptions report_options;
    UnitReportCommandOptions unit_options;
};

void add_report_commands(CLI::App& app, ReportCommands& commands);
/// The exit code of the report command that was parsed, or -1 when none was.
int dispatch_report(const ReportCommands& commands);

int run_report(const ReportCommandOptions& options);
int run_unit_report(const UnitReportCommandOptions& options);

}  // namespace kelias::cli
