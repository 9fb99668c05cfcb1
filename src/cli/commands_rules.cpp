// `kelias rules validate | test | show` and `kelias eligibility`.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <future>
#include <thread>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <kelias/rules.hpp>

#include "cli/commands.hpp"
#include "cli/csv.hpp"
#include "cli/exit_code.hpp"
#include "cli/input_file.hpp"
#include "cli/instrument_lookup.hpp"
#include "cli/output.hpp"
#include "base/json_writer.hpp"

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


// Decisions only, from the columnar path: one short line per case, from fragments made once.
class BriefWriter {
public:
    BriefWriter(const RuleSet& rules, const std::string& format) : json_(format == "json") {
        const auto programmes = rules.programmes();
        order_.resize(programmes.size());  // priority order, as in the full output
        for (std::size_t p = 0; p < order_.size(); ++p) order_[p] = p;
        std::stable_sort(order_.begin(), order_.end(), [&](std::size_t a, std::size_t b) { return programmes[a].priority < programmes[b].priority; });
        pinned_ = ",\"rules\":\"" + rules.key() + "\",\"hash\":\"" + rules.hash() + "\",\"decisions\":[";
        for (std::size_t k = 0; k < order_.size(); ++k)
            for (Decision d : {Decision::eligible, Decision::not_eligible, Decision::undetermined}) {
                const std::string& id = programmes[order_[k]].id;
                fragments_.push_back(json_ ? std::string(k ? "," : "") + "{\"programme\":\"" + id + "\",\"decision\":\"" + std::string(to_string(d)) + "\"}"
                                           : " " + id + "=" + std::string(to_string(d)));
            }
    }

    void write(const RuleSet& rules, const CaseBatch& batch, unsigned threads, std::string& out) const {
        const DecisionMatrix m = decide_columns(rules, batch, threads);
        for (std::size_t r = 0; r < batch.rows(); ++r) {
            if (json_) {
                out += "{\"case\":";
                detail::append_json_string(out, batch.id(r));
                out += ",\"as_of\":\"";
                if (const auto as_of = batch.as_of(r)) out += to_string(*as_of);
                out += '"';
                out += pinned_;
            } else {
                out += batch.id(r);
                out += ':';
            }
            for (std::size_t k = 0; k < order_.size(); ++k)
                out += fragments_[3 * k + m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(order_[k]))];
            out += json_ ? "]}\n" : "\n";
        }
    }

private:
    bool json_;
    std::vector<std::size_t> order_;
    std::string pinned_;
    std::vector<std::string> fragments_;  // per position in order_, per decision
};

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

// One part of a chunk of JSONL lines, decided by one worker.
struct DecidedPart {
    std::string output;
    std::vector<Reject> rejects;  // line numbers relative to the part
    std::size_t lines = 0, decided = 0;
};

DecidedPart decide_part(const RuleSet& rules, const EligibilityOptions& o, const BriefWriter* brief, const std::string& format,
                        std::string_view text, std::optional<Date> as_of) {
    DecidedPart part;
    CaseBatch batch(rules);
    for (std::size_t start = 0; start < text.size();) {
        std::size_t end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(start, end - start);
        start = end + 1;
        ++part.lines;
        if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
        JsonCaseAdded added = batch.add_json(line, as_of);
        if (!added) {
            std::string reason;
            for (const auto& p : added.problems) reason += (reason.empty() ? "" : "; ") + p.message + (p.hint.empty() ? "" : " (" + p.hint + ")");
            part.rejects.push_back({part.lines, std::move(added.case_id), std::move(reason)});
        }
    }
    part.decided = batch.rows();
    if (brief) {
        brief->write(rules, batch, 1, part.output);
    } else {
        for (const auto& d : decide_batch(rules, batch, {!o.no_earliest, 1}))
            part.output += render(d, format, o.explain) + (format == "json" ? "" : "\n");
    }
    return part;
}

// The end of the `lines`-th line from `start` (or of the text).
std::size_t after_lines(std::string_view text, std::size_t start, std::size_t lines) {
    for (; lines > 0 && start < text.size(); --lines) {
        const void* nl = std::memchr(text.data() + start, '\n', text.size() - start);
        start = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1 : text.size();
    }
    return start;
}

// Splits [begin, end) into `n` runs of whole lines of about equal size.
std::vector<std::string_view> split_lines(std::string_view text, std::size_t begin, std::size_t end, unsigned n) {
    std::vector<std::string_view> parts;
    for (unsigned k = 0; k < n && begin < end; ++k) {
        std::size_t cut = k + 1 == n ? end : std::min(end, begin + (end - begin) / (n - k));
        if (cut < end) cut = std::min(end, after_lines(text, cut, 1));  // to the end of the line
        parts.push_back(text.substr(begin, cut - begin));
        begin = cut;
    }
    return parts;
}

// Batch: chunks of `--chunk` lines, each split among the workers, which read, decide and
// render their part; the parts are written in input order while the next chunk is decided.
int eligibility_batch(const RuleSet& rules, const EligibilityOptions& o, std::string_view text, const std::string& format) {
    OutputFile out;
    std::string error;
    if (!out.open(o.output, error)) {
        fmt::print(stderr, "kelias: {}\n", error);
        return exit_unreadable;
    }
    const unsigned workers = std::max(1u, o.threads ? o.threads : std::thread::hardware_concurrency());
    const std::optional<Date> as_of = o.as_of ? parse_date(*o.as_of) : std::nullopt;
    const std::optional<BriefWriter> brief = o.brief ? std::optional<BriefWriter>(std::in_place, rules, format) : std::nullopt;
    std::vector<Reject> rejects;
    std::size_t decided = 0, lines_before = 0;
    std::vector<DecidedPart> written;  // the previous chunk, written while the next is decided
    auto write_parts = [&]() {
        for (auto& part : written) {
            if (error.empty() && !out.write(part.output, error)) break;
            for (auto& r : part.rejects) rejects.push_back({lines_before + r.line, std::move(r.id), std::move(r.reason)});
            lines_before += part.lines;
            decided += part.decided;
        }
        written.clear();
    };
    for (std::size_t begin = 0; begin < text.size() && error.empty();) {
        const std::size_t end = after_lines(text, begin, std::max<std::size_t>(o.chunk, 1));
        std::vector<std::future<DecidedPart>> parts;
        for (std::string_view part : split_lines(text, begin, end, workers))
            parts.push_back(std::async(std::launch::async, decide_part, std::cref(rules), std::cref(o), brief ? &*brief : nullptr,
                                       std::cref(format), part, as_of));
        write_parts();
        for (auto& p : parts) written.push_back(p.get());
        begin = end;
    }
    write_parts();
    if (!error.empty() || !out.commit(error)) {
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
