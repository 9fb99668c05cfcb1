// `kelias plan` and `kelias plan validate | test | show`: arguments, messages and exit
// codes; reading the case, deciding, planning and rendering are the library's.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <kelias/case_io.hpp>
#include <kelias/output_file.hpp>
#include <kelias/plan.hpp>
#include <kelias/rules.hpp>

#include "cli/commands.hpp"
#include "cli/exit_code.hpp"
#include "cli/instrument_lookup.hpp"

namespace kelias::cli {

int run_plan_validate(const std::vector<std::string>& files) {
    const int code = for_each_loaded(files, load_plan_policy_arg, &LoadedPlanPolicy::policy,
                                     [](const std::string& path, const PlanPolicy& policy) {
                                         fmt::print("{}: valid ({}, {} instruments, {} areas)\n", path, policy.key(),
                                                    policy.instruments().size(), policy.areas().size());
                                     });
    return flush_stdout() ? code : exit_unreadable;
}

int run_plan_test(const std::vector<std::string>& files) {
    int passed = 0, failed = 0;
    const int code = for_each_loaded(files, load_plan_policy_arg, &LoadedPlanPolicy::policy,
                                     [&](const std::string& path, const PlanPolicy& policy) {
                                         const PlanTestReport report = run_plan_policy_tests(policy);
                                         for (const auto& [where, message] : report.failures)
                                             fmt::print("{}: {}\n", place(where, path), message);
                                         passed += report.passed;
                                         failed += report.failed;
                                     });
    return finish_tests(code, passed, failed);
}

int run_plan_show(const std::string& id_or_file) {
    const LoadedPlanPolicy loaded = load_plan_policy_arg(id_or_file);
    if (!loaded.policy) return loaded.exit_code;
    const std::string text = loaded.policy->describe();
    std::fwrite(text.data(), 1, text.size(), stdout);
    return flush_stdout() ? exit_ok : exit_unreadable;
}

int run_plan(const PlanOptions& o) {
    if (o.as_of && !parse_date(*o.as_of)) {
        fmt::print(stderr, "kelias: --as-of must be a date YYYY-MM-DD, not '{}'\n", *o.as_of);
        return exit_usage;
    }
    const auto language = parse_language(o.lang);
    if (!language) {
        fmt::print(stderr, "kelias: --lang must be en or lt, not '{}'\n", o.lang);
        return exit_usage;
    }
    const LoadedPlanPolicy policy = load_plan_policy_arg(o.policy);
    if (!policy.policy) return policy.exit_code;
    const LoadedRules rules = load_rules_arg(o.rules);
    if (!rules.rules) return rules.exit_code;
    auto input = read_case_file(o.input);
    if (!input) {
        print(input.error());
        return exit_unreadable;
    }
    CaseInput c = *input;
    if (o.as_of) c.as_of = parse_date(*o.as_of);
    if (!c.as_of) {
        fmt::print(stderr, "kelias: {}: no as_of date; give --as-of YYYY-MM-DD (plans never read the clock)\n",
                   o.input);
        return exit_usage;
    }
    const Date as_of = *c.as_of;
    c = with_progress_facts(std::move(c), *policy.policy, *rules.rules, as_of);
    auto decided = decide(*rules.rules, c);
    if (!decided) {
        print(decided.error());
        return exit_rejected;
    }
    auto made = plan(c, *decided, *policy.policy, as_of);
    if (!made) {
        print(made.error());
        return exit_rejected;
    }
    const std::string text = o.format == "json" ? to_json(*made) + "\n" : to_text(*made, *language);
    std::vector<std::string> inputs = {o.input, policy.path, rules.path};
    OutputFile out;
    std::optional<Diagnostic> problem = out.open(o.output, inputs);
    if (!problem) problem = out.write(text);
    if (!problem) problem = out.commit();
    if (problem) {
        print(*problem);
        return exit_unreadable;
    }
    return o.output == "-" && !flush_stdout() ? exit_unreadable : exit_ok;
}

}  // namespace kelias::cli
