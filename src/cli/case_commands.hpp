#pragma once
/// \file case_commands.hpp
/// `kelias case ...`: the case workflow over a case store (kelias/case_store.hpp).
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace kelias::cli {

/// What every `case` command shares.
struct CaseCommon {
    std::string db;     ///< --db, default $KELIAS_DB or ./kelias.db
    std::string actor;  ///< --actor, default $KELIAS_ACTOR
    std::string role;   ///< --role, default $KELIAS_ROLE
    std::string pathway = "lt_pathway";
    std::optional<std::string> rules;
    std::optional<std::string> as_of;
    std::string lang = "en";
    std::string format = "text";
    std::optional<long long> expect_version;
};

struct CaseCommands {
    CaseCommon common;
    CLI::App* root = nullptr;
    CLI::App *new_case = nullptr, *facts = nullptr, *assess = nullptr, *eligibility = nullptr, *plan = nullptr,
             *override_ = nullptr, *event = nullptr, *propose = nullptr, *decide = nullptr, *carry_out = nullptr,
             *show = nullptr, *list = nullptr, *history = nullptr, *export_ = nullptr, *import_ = nullptr,
             *verify = nullptr, *report = nullptr, *unit_report = nullptr;
    std::string id, type, move, file, output = "-";
    std::optional<std::string> facts_file;
    std::vector<std::string> set, details;
    std::string instrument, ratings;
    bool finalize = false, explain = false, approve = false, due = false;
    std::optional<long long> record, amends;
    std::string plan_kind = "initial", policy = "lt_plan_policy";
    std::string name, chosen, reason;
    std::optional<std::string> decision, ground, date, placement;
    std::string within = "P30D";
    std::string report_format = "html", variant = "full";
};

void add_case_commands(CLI::App& app, CaseCommands& commands);
/// The exit code of the case command that was parsed, or -1 when none was.
int dispatch_case(const CaseCommands& commands);

}  // namespace kelias::cli
