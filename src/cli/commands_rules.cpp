// `kelias rules validate | test | show` and `kelias eligibility`.
#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>
#include <kelias/rules.hpp>

#include "cli/commands.hpp"
#include "cli/csv.hpp"
#include "cli/exit_code.hpp"
#include "cli/input_file.hpp"
#include "cli/instrument_lookup.hpp"
#include "cli/output.hpp"

namespace kelias::cli {
namespace {

struct LoadedRules {
    std::string path;
    std::optional<RuleSet> rules;
    int exit_code = exit_ok;
};

bool unreadable(const std::vector<Diagnostic>& ds) {
    return std::any_of(ds.begin(), ds.end(), [](const Diagnostic& d) { return d.code == "E000"; });
}

LoadedRules load_rules_arg(const std::string& arg) {
    const auto found = find_definition(arg);
    if (!found && arg.find('/') == std::string::npos && !arg.ends_with(".yaml")) {
        fmt::print(stderr, "kelias: no rule set '{}' found\n{}", arg, describe_search_path(arg));
        return {arg, std::nullopt, exit_unreadable};
    }
    std::string path = found ? found->string() : arg;
    auto result = load_rules_file(path);
    if (!result) {
        if (!is_rule_set_file(path) && !unreadable(result.diagnostics())) {
            fmt::print(stderr, "{}: not a rule set (no 'kind: rules'); for instruments use 'kelias instrument'\n", path);
            return {path, std::nullopt, exit_usage};
        }
        fmt::print(stderr, "{}", format(result.diagnostics()));
        return {path, std::nullopt, unreadable(result.diagnostics()) ? exit_unreadable : exit_usage};
    }
    fmt::print(stderr, "{}", format(result.diagnostics()));  // warnings
    return {path, *result, exit_ok};
}


// ---- JSON lines to cases ---------------------------------------------------------------

std::string cell_text(const nlohmann::json& v) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    return v.dump();  // numbers in their JSON spelling
}

bool scalar_map(const nlohmann::json& j, std::map<std::string, std::string>& out, const std::string& what, std::string& error) {
    if (j.is_null()) return true;
    if (!j.is_object()) {
        error = what + " must be an object";
        return false;
    }
    for (const auto& [k, v] : j.items()) {
        if (v.is_object() || v.is_array()) {
            error = what + "." + k + " must be a single value";
            return false;
        }
        out[k] = cell_text(v);
    }
    return true;
}

bool case_from_json(const nlohmann::json& j, CaseInput& c, std::string& error) {
    if (!j.is_object()) {
        error = "a case must be a JSON object";
        return false;
    }
    for (const auto& [key, v] : j.items()) {
        if (key == "case") {
            c.id = cell_text(v);
        } else if (key == "as_of") {
            if (!v.is_null()) {
                c.as_of = parse_date(cell_text(v));
                if (!c.as_of) return error = "as_of must be a date YYYY-MM-DD", false;
            }
        } else if (key == "facts") {
            if (!v.is_object()) return error = "facts must be an object", false;
            for (const auto& [name, value] : v.items()) {
                if (value.is_array()) {
                    std::vector<RecordInput> records;
                    for (const auto& rec : value) {
                        RecordInput r;
                        if (!scalar_map(rec, r, "facts." + name + "[]", error)) return false;
                        records.push_back(std::move(r));
                    }
                    c.lists[name] = std::move(records);
                } else if (value.is_object()) {
                    return error = "facts." + name + " must be a value or a list of records", false;
                } else {
                    c.facts[name] = cell_text(value);
                }
            }
        } else if (key == "assessments") {
            if (!v.is_object()) return error = "assessments must be an object", false;
            for (const auto& [id, a] : v.items()) {
                if (!a.is_object()) return error = "assessments." + id + " must be an object", false;
                AssessmentInput in;
                in.instrument = id;
                for (const auto& [k, x] : a.items()) {
                    if (k == "date") {
                        if (!x.is_null()) {
                            in.date = parse_date(cell_text(x));
                            if (!in.date) return error = "assessments." + id + ".date must be a date YYYY-MM-DD", false;
                        }
                    } else if (k == "ratings") {
                        if (!scalar_map(x, in.ratings, "assessments." + id + ".ratings", error)) return false;
                    } else if (k == "scores") {
                        if (!scalar_map(x, in.scores, "assessments." + id + ".scores", error)) return false;
                    } else if (k != "assessor" && k != "purpose") {
                        return error = "assessments." + id + ": unknown key '" + k + "'", false;
                    }
                }
                c.assessments.push_back(std::move(in));
            }
        } else if (key != "description") {
            return error = "unknown key '" + key + "' (a case has case, as_of, facts, assessments)", false;
        }
    }
    return true;
}

// ---- output ----------------------------------------------------------------------------

struct Reject {
    std::size_t line;
    std::string id, reason;
};

bool write_rejects(const std::optional<std::string>& path, const std::vector<Reject>& rejects) {
    if (rejects.empty() && !path) return true;
    std::string text;
    if (path) {
        text = "line,case,reason\n";
        for (const auto& r : rejects) {
            text += std::to_string(r.line) + ",";
            append_csv_cell(text, r.id);
            text += ",";
            append_csv_cell(text, r.reason);
            text += "\n";
        }
        OutputFile out;
        std::string error;
        if (!out.open(*path, error) || !out.write(text, error) || !out.commit(error)) {
            fmt::print(stderr, "kelias: {}\n", error);
            return false;
        }
        return true;
    }
    for (const auto& r : rejects)
        fmt::print(stderr, "line {} (case {}): {}\n", r.line, r.id.empty() ? "?" : r.id, r.reason);
    return true;
}

int write_output(const std::string& path, const std::string& text) {
    OutputFile out;
    std::string error;
    if (!out.open(path, error) || !out.write(text, error) || !out.commit(error)) {
        fmt::print(stderr, "kelias: {}\n", error);
        return exit_unreadable;
    }
    return exit_ok;
}

bool is_jsonl(const EligibilityOptions& o) {
    if (o.input_format) return *o.input_format == "jsonl";
    return o.input.ends_with(".jsonl") || o.input.ends_with(".ndjson");
}

std::string render(const CaseDecisions& d, const std::string& format, bool explain) {
    return format == "json" ? to_json(d, explain) + "\n" : to_text(d, explain);
}


// Decisions only, from the columnar path: one short line per case.
std::string render_brief(const RuleSet& rules, const CaseBatch& batch, const std::string& format, unsigned threads) {
    const DecisionMatrix m = decide_columns(rules, batch, threads);
    const auto programmes = rules.programmes();
    std::vector<std::size_t> order(programmes.size());  // priority order, as in the full output
    for (std::size_t p = 0; p < order.size(); ++p) order[p] = p;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return programmes[a].priority < programmes[b].priority; });
    const std::string pinned = ",\"rules\":\"" + rules.key() + "\",\"hash\":\"" + rules.hash() + "\",\"decisions\":[";
    std::string out;
    for (std::size_t r = 0; r < batch.rows(); ++r) {
        const auto as_of = batch.as_of(r);
        if (format == "json") {
            out += "{\"case\":" + nlohmann::json(batch.id(r)).dump() + ",\"as_of\":\"" + (as_of ? to_string(*as_of) : "") + "\"" + pinned;
            for (std::size_t k = 0; k < order.size(); ++k)
                out += std::string(k ? "," : "") + "{\"programme\":\"" + programmes[order[k]].id + "\",\"decision\":\"" +
                       std::string(to_string(static_cast<Decision>(m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(order[k]))))) + "\"}";
            out += "]}\n";
        } else {
            out += batch.id(r) + ":";
            for (std::size_t p : order)
                out += " " + programmes[p].id + "=" +
                       std::string(to_string(static_cast<Decision>(m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(p)))));
            out += "\n";
        }
    }
    return out;
}

int eligibility_one(const RuleSet& rules, const EligibilityOptions& o, const std::string& text, const std::string& format) {
    auto input = parse_case(text, o.input);
    if (!input) {
        fmt::print(stderr, "{}", kelias::format(input.diagnostics()));
        return exit_unreadable;
    }
    CaseInput c = *input;
    if (o.as_of) c.as_of = parse_date(*o.as_of);
    if (!c.as_of) {
        fmt::print(stderr, "kelias: {}: no as_of date; give --as-of YYYY-MM-DD (rules never read the clock)\n", o.input);
        return exit_usage;
    }
    auto decided = decide(rules, c, {!o.no_earliest, o.threads});
    if (!decided) {
        for (const auto& d : decided.diagnostics()) fmt::print(stderr, "{}: {}{}\n", o.input, d.message, d.hint.empty() ? "" : " (" + d.hint + ")");
        return exit_rejected;
    }
    return write_output(o.output, render(*decided, format, o.explain));
}

int eligibility_batch(const RuleSet& rules, const EligibilityOptions& o, std::string_view text, const std::string& format) {
    OutputFile out;
    std::string error;
    if (!out.open(o.output, error)) {
        fmt::print(stderr, "kelias: {}\n", error);
        return exit_unreadable;
    }
    std::vector<Reject> rejects;
    std::size_t decided = 0;
    CaseBatch batch(rules);
    auto flush = [&]() -> bool {
        std::string chunk = o.brief ? render_brief(rules, batch, format, o.threads) : std::string();
        if (!o.brief)
            for (const auto& d : decide_batch(rules, batch, {!o.no_earliest, o.threads}))
                chunk += render(d, format, o.explain) + (format == "json" ? "" : "\n");
        decided += batch.rows();
        batch = CaseBatch(rules);
        return out.write(chunk, error);
    };
    std::optional<Date> as_of = o.as_of ? parse_date(*o.as_of) : std::nullopt;
    std::size_t line = 0, start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        std::string_view raw = text.substr(start, end - start);
        start = end + 1;
        ++line;
        if (raw.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        CaseInput c;
        nlohmann::json j = nlohmann::json::parse(raw, nullptr, false);
        if (j.is_discarded()) {
            rejects.push_back({line, "", "not valid JSON"});
            continue;
        }
        std::string reason;
        if (!case_from_json(j, c, reason)) {
            rejects.push_back({line, c.id, reason});
            continue;
        }
        if (as_of) c.as_of = as_of;
        if (!c.as_of) {
            rejects.push_back({line, c.id, "no as_of date (give it in the case or with --as-of)"});
            continue;
        }
        auto problems = batch.add(c);
        if (!problems.empty()) {
            for (const auto& p : problems) reason += (reason.empty() ? "" : "; ") + p.message;
            rejects.push_back({line, c.id, reason});
            continue;
        }
        // Decided and written in chunks, so memory stays bounded however long the input.
        if (batch.rows() >= o.chunk && !flush()) break;
    }
    if (!error.empty() || !flush() || !out.commit(error)) {
        fmt::print(stderr, "kelias: {}\n", error);
        return exit_unreadable;
    }
    if (!write_rejects(o.rejects, rejects)) return exit_unreadable;
    if (!rejects.empty())
        fmt::print(stderr, "kelias: {} of {} cases rejected{}\n", rejects.size(), rejects.size() + decided,
                   o.rejects ? " (see " + *o.rejects + ")" : "");
    return rejects.empty() ? exit_ok : exit_rejected;
}

}  // namespace

int run_rules_validate(const std::vector<std::string>& files) {
    int code = exit_ok;
    for (const auto& arg : files) {
        LoadedRules loaded = load_rules_arg(arg);
        if (!loaded.rules) {
            code = std::max(code, loaded.exit_code);
            continue;
        }
        fmt::print("{}: valid ({}, {} programmes, {} facts)\n", loaded.path, loaded.rules->key(), loaded.rules->programmes().size(),
                   loaded.rules->facts().size());
    }
    return code;
}

int run_rules_test(const std::vector<std::string>& files) {
    int code = exit_ok, passed = 0, failed = 0;
    for (const auto& arg : files) {
        LoadedRules loaded = load_rules_arg(arg);
        if (!loaded.rules) {
            code = std::max(code, loaded.exit_code);
            continue;
        }
        const RulesTestReport report = run_rules_tests(*loaded.rules);
        for (const auto& [where, message] : report.failures) fmt::print("{}: {}\n", place(where, loaded.path), message);
        passed += report.passed;
        failed += report.failed;
    }
    fmt::print("{} passed, {} failed\n", passed, failed);
    if (failed > 0) code = std::max<int>(code, exit_usage);
    return code;
}

int run_rules_show(const std::string& id_or_file) {
    LoadedRules loaded = load_rules_arg(id_or_file);
    if (!loaded.rules) return loaded.exit_code;
    const std::string text = loaded.rules->describe();
    std::fwrite(text.data(), 1, text.size(), stdout);
    return exit_ok;
}

int run_eligibility(const EligibilityOptions& o) {
    if (o.as_of && !parse_date(*o.as_of)) {
        fmt::print(stderr, "kelias: --as-of must be a date YYYY-MM-DD, not '{}'\n", *o.as_of);
        return exit_usage;
    }
    LoadedRules loaded = load_rules_arg(o.rules);
    if (!loaded.rules) return loaded.exit_code;
    InputText input;
    std::string error;
    if (!input.open(o.input, error)) {
        fmt::print(stderr, "kelias: {}\n", error);
        return exit_unreadable;
    }
    const bool batch = is_jsonl(o);
    const std::string format = o.format ? *o.format : (batch || o.output.ends_with(".jsonl") || o.output.ends_with(".json") ? "json" : "text");
    if (batch) return eligibility_batch(*loaded.rules, o, input.text(), format);
    return eligibility_one(*loaded.rules, o, std::string(input.text()), format);
}

}  // namespace kelias::cli
