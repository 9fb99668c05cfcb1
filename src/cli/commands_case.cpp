// `kelias case ...`: arguments, messages and exit codes of the case workflow; the store,
// its permissions, audit and documents are the library's (kelias/case_store.hpp).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <kelias/case_io.hpp>
#include <kelias/case_store.hpp>
#include <kelias/output_file.hpp>
#include <kelias/report.hpp>
#include <kelias/store_report.hpp>

#include "cli/case_commands.hpp"
#include "cli/exit_code.hpp"
#include "cli/instrument_lookup.hpp"

namespace kelias::cli {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : fallback;
}

Date today() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    return make_date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday).value_or(Date{});
}

// Refusals (permission, stale version, unknown case, a step out of order) end with 4,
// a store or file that cannot be used with 2, input that does not fit with 3.
int exit_for(const std::vector<Diagnostic>& ds) {
    for (auto code : {DiagnosticCode::permission_denied, DiagnosticCode::stale_version, DiagnosticCode::unknown_record,
                      DiagnosticCode::invalid_transition})
        if (has_code(ds, code)) return exit_refused;
    if (has_code(ds, DiagnosticCode::store_failure) || has_code(ds, DiagnosticCode::unreadable_file))
        return exit_unreadable;
    return exit_rejected;
}

int fail(const std::vector<Diagnostic>& ds) {
    print(ds);
    return exit_for(ds);
}

bool emit(const std::string& text) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return flush_stdout();
}

struct Session {
    std::optional<CaseStore> store;
    Actor actor;
    Date on;
    Language language = Language::en;
    bool json = false;
    std::optional<std::int64_t> expected;
    int exit_code = exit_ok;
};

Session open_session(const CaseCommon& c) {
    Session s;
    s.actor = {c.actor, c.role};
    s.language = parse_language(c.lang).value_or(Language::en);
    s.json = c.format == "json";
    if (c.expect_version) s.expected = *c.expect_version;
    s.on = today();
    if (c.as_of) {
        const auto d = parse_date(*c.as_of);
        if (!d) {
            fmt::print(stderr, "kelias: --as-of '{}' is not a date (YYYY-MM-DD)\n", *c.as_of);
            s.exit_code = exit_usage;
            return s;
        }
        s.on = *d;
    }
    std::optional<RuleSet> given;
    if (c.rules) {
        auto r = load_rules_arg(*c.rules);
        if (!r.rules) {
            s.exit_code = r.exit_code;
            return s;
        }
        given = *r.rules;
    }
    const auto found = find_definition(c.pathway);
    if (!found) {
        fmt::print(stderr, "kelias: unknown pathway '{}': no such file in the search path\n", c.pathway);
        s.exit_code = exit_unreadable;
        return s;
    }
    auto pathway = load_pathway_file(*found, given ? &*given : nullptr);
    if (!pathway) {
        print(pathway.error());
        s.exit_code = exit_usage;
        return s;
    }
    if (!given) {
        auto r = load_pathway_rules(*pathway);
        if (!r) {
            print(r.error());
            s.exit_code = exit_usage;
            return s;
        }
        given = *r;
    }
    auto store = open_sqlite_store(c.db, *pathway, *given);
    if (!store) {
        s.exit_code = fail(store.error());
        return s;
    }
    s.store.emplace(std::move(*store));
    return s;
}

std::optional<std::map<std::string, std::string>> parse_pairs(const std::vector<std::string>& pairs, const char* what) {
    std::map<std::string, std::string> out;
    for (const auto& p : pairs) {
        const auto eq = p.find('=');
        if (eq == std::string::npos || eq == 0) {
            fmt::print(stderr, "kelias: {} '{}' is not NAME=VALUE\n", what, p);
            return std::nullopt;
        }
        out[p.substr(0, eq)] = p.substr(eq + 1);
    }
    return out;
}

int report_record(const Session& s, const StoredRecord& r) {
    if (s.json) return emit(to_json(r) + "\n") ? exit_ok : exit_unreadable;
    return emit(fmt::format("{} {} {} ({}) in case {}\n", to_string(r.kind), r.id, to_string(r.state), r.subject,
                            r.case_id))
               ? exit_ok
               : exit_unreadable;
}

int run_new(const CaseCommands& c, Session& s) {
    CaseInput doc;
    if (c.facts_file) {
        auto read = read_case_file(*c.facts_file);
        if (!read) return fail(read.error());
        doc = *read;
        if (doc.id.empty()) doc.id = c.id;
        if (doc.id != c.id) {
            fmt::print(stderr, "kelias: {} is case '{}', not '{}'\n", *c.facts_file, doc.id, c.id);
            return exit_rejected;
        }
    } else {
        doc.id = c.id;
    }
    if (c.common.as_of) doc.as_of = s.on;
    if (!doc.as_of) doc.as_of = s.on;
    auto created = s.store->create_case(s.actor, doc);
    if (!created) return fail(created.error());
    return emit(fmt::format("case {} opened (version {})\n", created->id, created->version)) ? exit_ok
                                                                                             : exit_unreadable;
}

int run_facts(const CaseCommands& c, Session& s) {
    Result<StoredCase> changed = std::vector<Diagnostic>{};
    if (c.facts_file) {
        if (!c.set.empty()) {
            fmt::print(stderr, "kelias: case facts takes --set or --file, not both\n");
            return exit_usage;
        }
        auto read = read_case_file(*c.facts_file);
        if (!read) return fail(read.error());
        changed = s.store->replace_facts(s.actor, c.id, *read, s.expected);
    } else {
        if (c.set.empty()) {
            fmt::print(stderr, "kelias: case facts needs --set NAME=VALUE or --file FILE\n");
            return exit_usage;
        }
        auto pairs = parse_pairs(c.set, "--set");
        if (!pairs) return exit_usage;
        changed = s.store->set_facts(s.actor, c.id, *pairs, s.expected);
    }
    if (!changed) return fail(changed.error());
    return emit(fmt::format("case {}: facts saved (version {})\n", changed->id, changed->version)) ? exit_ok
                                                                                                   : exit_unreadable;
}

int run_assess(const CaseCommands& c, Session& s) {
    if (c.record) {
        if (!c.finalize || !c.ratings.empty()) {
            fmt::print(stderr, "kelias: --record N finalises a draft: give --finalize and no --ratings\n");
            return exit_usage;
        }
        auto done = s.store->finalise_assessment(s.actor, *c.record, s.expected);
        if (!done) return fail(done.error());
        return report_record(s, *done);
    }
    if (c.instrument.empty() || c.ratings.empty()) {
        fmt::print(stderr, "kelias: case assess needs --instrument and --ratings (or --record N --finalize)\n");
        return exit_usage;
    }
    auto instrument = load_instrument_arg(c.instrument);
    if (!instrument.instrument) return instrument.exit_code;
    auto input = read_assessment_file(c.ratings);
    if (!input) return fail(input.error());
    if (!input->date) input->date = s.on;
    auto kept = s.store->record_assessment(s.actor, c.id, *instrument.instrument, *input,
                                           {.finalise = c.finalize,
                                            .amends = c.amends ? std::optional<std::int64_t>(*c.amends) : std::nullopt,
                                            .expected_version = s.expected});
    if (!kept) return fail(kept.error());
    if (!kept.diagnostics().empty()) fmt::print(stderr, "{}", format(kept.diagnostics()));  // W503: age range
    return report_record(s, *kept);
}

int run_eligibility_case(const CaseCommands& c, Session& s) {
    auto snapshot = s.store->record_eligibility(s.actor, c.id, s.on);
    if (!snapshot) return fail(snapshot.error());
    const std::string text = s.json ? to_json(snapshot->decisions, c.explain) + "\n"
                                    : to_text(snapshot->decisions, {.explain = c.explain, .language = s.language});
    return emit(text) ? exit_ok : exit_unreadable;
}

int run_plan_case(const CaseCommands& c, Session& s) {
    if (c.approve) {
        std::int64_t id = 0;
        if (c.record) {
            id = *c.record;
        } else {
            auto read = s.store->read_case(s.actor, c.id);
            if (!read) return fail(read.error());
            for (const auto& r : read->records)
                if (r.kind == RecordKind::plan && r.state == RecordState::draft) id = r.id;
            if (id == 0) {
                fmt::print(stderr, "kelias: case {} has no draft plan to approve\n", c.id);
                return exit_refused;
            }
        }
        auto approved = s.store->approve_plan(s.actor, id, s.expected);
        if (!approved) return fail(approved.error());
        return report_record(s, *approved);
    }
    const auto kind = parse_plan_kind(c.plan_kind);
    if (!kind) {
        fmt::print(stderr, "kelias: --kind '{}' is not initial, review, transfer or termination\n", c.plan_kind);
        return exit_usage;
    }
    auto policy = load_plan_policy_arg(c.policy);
    if (!policy.policy) return policy.exit_code;
    auto drafted = s.store->draft_plan(s.actor, c.id, *kind, *policy.policy, s.on, s.expected);
    if (!drafted) return fail(drafted.error());
    if (s.json) return emit(to_json(drafted->record) + "\n") ? exit_ok : exit_unreadable;
    return emit(fmt::format("plan {} drafted ({})\n", drafted->record.id, drafted->record.subject) +
                to_text(drafted->plan, s.language))
               ? exit_ok
               : exit_unreadable;
}

int run_override(const CaseCommands& c, Session& s) {
    if (c.approve) {
        if (!c.record) {
            fmt::print(stderr, "kelias: case override --approve needs --record N\n");
            return exit_usage;
        }
        auto approved = s.store->approve_override(s.actor, *c.record, s.expected);
        if (!approved) return fail(approved.error());
        return report_record(s, *approved);
    }
    if (c.name.empty() || c.chosen.empty()) {
        fmt::print(stderr,
                   "kelias: case override needs --name, --chosen and --reason (and --instrument for a score)\n");
        return exit_usage;
    }
    OverrideInput in{.instrument = c.instrument, .name = c.name, .chosen = c.chosen, .reason = c.reason};
    if (c.common.as_of) in.as_of = s.on;
    auto kept = s.store->record_override(s.actor, c.id, in, s.expected);
    if (!kept) return fail(kept.error());
    return report_record(s, *kept);
}

int run_apply(const CaseCommands& c, Session& s, PathwayEvent event) {
    event.date = s.on;
    if (c.date) {
        const auto d = parse_date(*c.date);
        if (!d) {
            fmt::print(stderr, "kelias: --date '{}' is not a date (YYYY-MM-DD)\n", *c.date);
            return exit_usage;
        }
        event.date = *d;
    }
    auto details = parse_pairs(c.details, "--detail");
    if (!details) return exit_usage;
    event.details = *details;
    auto outcome = s.store->apply_event(s.actor, c.id, event, s.expected);
    if (!outcome) return fail(outcome.error());
    const std::string text = s.json ? to_json(*outcome) + "\n" : to_text(*outcome, s.store->pathway(), s.language);
    if (!emit(text)) return exit_unreadable;
    return outcome->applied ? exit_ok : exit_refused;
}

int run_move(const CaseCommands& c, Session& s, MoveStep step) {
    PathwayEvent e;
    e.type = "move";
    e.move = c.move;
    e.step = step;
    if (step == MoveStep::decided) {
        if (!c.decision || (*c.decision != "granted" && *c.decision != "refused")) {
            fmt::print(stderr, "kelias: case decide needs --decision granted|refused\n");
            return exit_usage;
        }
        e.decision = *c.decision == "granted" ? MoveDecision::granted : MoveDecision::refused;
    }
    if (c.ground) e.ground = *c.ground;
    return run_apply(c, s, e);
}

int run_show(const CaseCommands& c, Session& s) {
    auto read = s.store->read_case(s.actor, c.id);
    if (!read) return fail(read.error());
    if (s.json) return emit(to_json(*read) + "\n") ? exit_ok : exit_unreadable;
    std::string out = to_text(*read, s.language);
    auto st = status(s.store->pathway(), s.store->rules(), read->document, s.on);
    if (st) out += "\n" + to_text(*st, s.store->pathway(), s.language);
    return emit(out) ? exit_ok : exit_unreadable;
}

int run_list(const CaseCommands& c, Session& s) {
    auto cases = s.store->list_cases(s.actor, {.placement = c.placement});
    if (!cases) return fail(cases.error());
    std::string out;
    if (!c.due) {
        for (const auto& k : *cases)
            out += s.json ? to_json(k) + "\n"
                          : fmt::format("{} v{} {} {}\n", k.id, k.version, k.placement.empty() ? "-" : k.placement,
                                        k.updated_at);
        return emit(out) ? exit_ok : exit_unreadable;
    }
    const auto within = parse_duration(c.within);
    if (!within) {
        fmt::print(stderr, "kelias: --within '{}' is not an ISO-8601 duration (e.g. P30D)\n", c.within);
        return exit_usage;
    }
    DueRun run;
    for (const auto& k : *cases) {
        auto read = s.store->read_case(s.actor, k.id);
        if (!read) return fail(read.error());
        auto d = due(s.store->pathway(), s.store->rules(), read->document, {.as_of = s.on, .within = *within});
        if (!d) {
            run.rejected.emplace_back(run.cases.size() + run.rejected.size() + 1,
                                      k.id + ": " + d.error().front().message);
            continue;
        }
        if (!d->items.empty()) run.cases.push_back(std::move(*d));
    }
    out = s.json ? to_json(run) : to_text(run, s.store->pathway(), s.language);
    if (!emit(out)) return exit_unreadable;
    for (const auto& [line, reason] : run.rejected) fmt::print(stderr, "{}\n", reason);
    return run.rejected.empty() ? exit_ok : exit_rejected;
}

int run_history(const CaseCommands& c, Session& s) {
    auto entries = s.store->history(s.actor, c.id);
    if (!entries) return fail(entries.error());
    std::string out;
    for (const auto& e : *entries) {
        // A refused attempt by someone without a pathway role keeps no actor (see AuditAction).
        const std::string who = e.actor.empty() ? std::string("(no valid actor)") : e.actor + " (" + e.role + ")";
        out += fmt::format("{} {} {} {}", e.seq, e.at, who, to_string(e.action));
        if (!e.target.empty()) out += " " + e.target;
        if (!e.before.empty() && e.before != "{}") out += " before=" + e.before;
        if (!e.after.empty() && e.after != "{}") out += " after=" + e.after;
        out += "\n";
    }
    return emit(out) ? exit_ok : exit_unreadable;
}

int run_export(const CaseCommands& c, Session& s) {
    auto text = s.store->export_json(s.actor);
    if (!text) return fail(text.error());
    OutputFile out;
    std::optional<Diagnostic> problem = out.open(c.output, {c.common.db});
    if (!problem) problem = out.write(*text);
    if (!problem) problem = out.commit();
    if (problem) {
        print(*problem);
        return exit_unreadable;
    }
    return c.output == "-" && !flush_stdout() ? exit_unreadable : exit_ok;
}

int run_import(const CaseCommands& c, Session& s) {
    auto imported = s.store->import_file(s.actor, c.file);
    if (!imported) return fail(imported.error());
    return emit(fmt::format("{} cases imported\n", *imported)) ? exit_ok : exit_unreadable;
}

// The definitions a report reads: the store's pathway and rules, and the plan policy.
std::optional<ReportDefinitions> report_definitions(const CaseCommands& c, const Session& s, int& exit_code) {
    auto policy = load_plan_policy_arg(c.policy);
    if (!policy.policy) {
        exit_code = policy.exit_code;
        return std::nullopt;
    }
    return ReportDefinitions{.rules = s.store->rules(), .policy = *policy.policy, .pathway = s.store->pathway()};
}

int write_report_output(const std::string& text, const CaseCommands& c) {
    if (auto problem = write_report(text, c.output, {c.common.db})) {
        print(*problem);
        return exit_unreadable;
    }
    return c.output == "-" && !flush_stdout() ? exit_unreadable : exit_ok;
}

int run_report_case(const CaseCommands& c, Session& s) {
    const auto format = parse_report_format(c.report_format);
    const auto variant = parse_report_variant(c.variant);
    if (!format || !variant) {
        fmt::print(stderr, "kelias: --format html|md|json, --variant full|commission|handover\n");
        return exit_usage;
    }
    int code = exit_ok;
    const auto definitions = report_definitions(c, s, code);
    if (!definitions) return code;
    auto report = build_stored_case_report(*s.store, s.actor, c.id, *definitions,
                                           {.as_of = s.on, .language = s.language, .variant = *variant});
    if (!report) return fail(report.error());
    return write_report_output(render(*report, *format), c);
}

int run_unit_report_case(const CaseCommands& c, Session& s) {
    const auto format = parse_report_format(c.report_format);
    const auto within = parse_duration(c.within);
    if (!format || !within) {
        fmt::print(stderr, "kelias: --format html|md|json, --within an ISO-8601 duration (P30D)\n");
        return exit_usage;
    }
    int code = exit_ok;
    const auto definitions = report_definitions(c, s, code);
    if (!definitions) return code;
    auto report = build_store_unit_report(*s.store, s.actor, *definitions,
                                          {.as_of = s.on, .within = *within, .language = s.language});
    if (!report) return fail(report.error());
    return write_report_output(render(*report, *format), c);
}

int run_verify(Session& s) {
    auto check = s.store->verify();
    if (!check) return fail(check.error());
    if (check->ok)
        return emit(fmt::format("audit chain verified: {} entries\n", check->entries)) ? exit_ok : exit_unreadable;
    fmt::print(stderr, "kelias: the case store does not verify{}: {}\n",
               check->first_broken ? fmt::format(" at audit entry {}", *check->first_broken) : std::string(),
               check->reason);
    return exit_rejected;
}

}  // namespace

void add_case_commands(CLI::App& app, CaseCommands& c) {
    CaseCommon& o = c.common;
    o.db = env_or("KELIAS_DB", "kelias.db");
    o.actor = env_or("KELIAS_ACTOR", "");
    o.role = env_or("KELIAS_ROLE", "");
    c.root = app.add_subcommand("case", "Keep cases in a case store: facts, assessments, plans, moves, audit");
    c.root->require_subcommand(1);
    c.root->add_option("--db", o.db, "The case store (default $KELIAS_DB or ./kelias.db)")->capture_default_str();
    c.root->add_option("--actor", o.actor, "Who acts: a staff pseudonym (default $KELIAS_ACTOR)");
    c.root->add_option("--role", o.role, "The actor's role in the pathway (default $KELIAS_ROLE)");
    c.root->add_option("--pathway,-p", o.pathway, "Pathway id or file (roles, moves)")->capture_default_str();
    c.root->add_option("--rules,-r", o.rules, "Rule set id or file (default: the one the pathway names)");
    c.root->add_option("--as-of", o.as_of, "The date of the action YYYY-MM-DD (default: today)");
    c.root->add_option("--lang", o.lang, "Language of the text: en or lt")
        ->check(CLI::IsMember({"en", "lt"}))
        ->capture_default_str();
    c.root->add_option("--format", o.format, "text or json")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    c.root->add_option("--expect-version", o.expect_version,
                       "Refuse the change unless the case is at this version (optimistic concurrency)");
    c.root->footer(R"(
Every command is one transaction, checked against the pathway's roles, and written to
the store's append-only audit log (reads too). Give the common options before or after
the command: kelias case --db unit.db show LT-1, kelias case show LT-1 --db unit.db.

Exit codes: 0 done, 1 usage error, 2 the store or a file cannot be used, 3 input that
does not fit (bad ratings, facts the rules do not know, a broken audit chain), 4
refused (role not permitted, stale version, unknown case, a step out of order, a move
the pathway refuses): nothing was changed.

Examples:
  export KELIAS_DB=unit.db KELIAS_ACTOR=CM-4 KELIAS_ROLE=case_manager
  kelias case new LT-2025-0302 --facts examples/cases/adult_to_halfway_house.yaml
  kelias case facts LT-2025-0302 --set employed_or_studying=true --expect-version 1
  kelias case assess LT-2025-0301 --instrument start_av --ratings r.json --role psychologist --actor PS-1
  kelias case propose LT-2025-0302 to_halfway_house --as-of 2025-06-02
  kelias case show LT-2025-0302
  kelias case verify)");
    auto sub = [&](const char* name, const char* help) {
        CLI::App* s = c.root->add_subcommand(name, help);
        s->fallthrough();
        return s;
    };
    c.new_case = sub("new", "Open a case (a pseudonymous id; facts from a case file)");
    c.new_case->add_option("ID", c.id, "Case id")->required();
    c.new_case->add_option("--facts", c.facts_file, "A case file (YAML or JSON) with its facts, placements, events");

    c.facts = sub("facts", "Change a case's facts (a new version)");
    c.facts->add_option("ID", c.id, "Case id")->required();
    c.facts->add_option("--set", c.set, "NAME=VALUE (VALUE empty: remove the fact)");
    c.facts->add_option("--file", c.facts_file, "A case file whose facts replace the case's");

    c.assess = sub("assess", "Record an assessment (draft, or finalised with --finalize)");
    c.assess->add_option("ID", c.id, "Case id")->required();
    c.assess->add_option("--instrument,-i", c.instrument, "Instrument id or file");
    c.assess->add_option("--ratings", c.ratings, "Ratings: one JSON object of column: value, optional \"date\"");
    c.assess->add_flag("--finalize", c.finalize, "Finalise it (needs finalise_assessment)");
    c.assess->add_option("--amends", c.amends, "The finalised assessment this one amends");
    c.assess->add_option("--record", c.record, "Finalise this draft assessment (with --finalize)");

    c.eligibility = sub("eligibility", "Decide the programmes now and keep the snapshot");
    c.eligibility->add_option("ID", c.id, "Case id")->required();
    c.eligibility->add_flag("--explain", c.explain, "Every condition with its inputs");

    c.plan = sub("plan", "Draft a plan, or approve the draft");
    c.plan->add_option("ID", c.id, "Case id")->required();
    c.plan->add_flag("--approve", c.approve, "Approve the latest draft plan (or --record N)");
    c.plan->add_option("--kind", c.plan_kind, "initial, review, transfer or termination")->capture_default_str();
    c.plan->add_option("--policy", c.policy, "Plan policy id or file")->capture_default_str();
    c.plan->add_option("--record", c.record, "The plan to approve");

    c.override_ = sub("override", "Override a computed value (a second person approves it)");
    c.override_->add_option("ID", c.id, "Case id")->required();
    c.override_->add_option("--instrument,-i", c.instrument, "For a score or estimate: the instrument id");
    c.override_->add_option("--name", c.name, "The score or estimate (violence.estimate) or the programme");
    c.override_->add_option("--chosen", c.chosen, "The value chosen instead");
    c.override_->add_option("--reason", c.reason, "Why");
    c.override_->add_flag("--approve", c.approve, "Approve override --record N");
    c.override_->add_option("--record", c.record, "The override to approve");

    c.event = sub("event", "Record an event of the pathway (incident, job_started, ...)");
    c.event->add_option("ID", c.id, "Case id")->required();
    c.event->add_option("TYPE", c.type, "Event type")->required();
    c.event->add_option("--date", c.date, "Its date (default --as-of, else today)");
    c.event->add_option("--detail", c.details, "NAME=VALUE details");

    for (auto [ptr, name, help] : {std::tuple{&c.propose, "propose", "Propose a move"},
                                   std::tuple{&c.decide, "decide", "Decide a proposed move (--decision)"},
                                   std::tuple{&c.carry_out, "carry-out", "Carry out a granted move"}}) {
        *ptr = sub(name, help);
        (*ptr)->add_option("ID", c.id, "Case id")->required();
        (*ptr)->add_option("MOVE", c.move, "Move id")->required();
        (*ptr)->add_option("--date", c.date, "Its date (default --as-of, else today)");
        (*ptr)->add_option("--detail", c.details, "NAME=VALUE details");
    }
    c.decide->add_option("--decision", c.decision, "granted or refused");
    c.propose->add_option("--ground", c.ground, "Return moves: the ground");

    c.show = sub("show", "A case: facts, events, records, open moves, obligations");
    c.show->add_option("ID", c.id, "Case id")->required();
    c.list = sub("list", "The cases (with --due: what falls due)");
    c.list->add_flag("--due", c.due, "Reassessments, obligations and earliest dates due within --within");
    c.list->add_option("--within", c.within, "With --due: the window after --as-of")->capture_default_str();
    c.list->add_option("--placement", c.placement, "Only cases in this placement");
    c.history = sub("history", "The audit entries of a case");
    c.history->add_option("ID", c.id, "Case id")->required();
    c.export_ = sub("export", "Every case with its versions and records, as JSON lines");
    c.export_->add_option("-o,--output", c.output, "Output file ('-' = stdout)");
    c.import_ = sub("import", "Read an export into the store (all or nothing)");
    c.import_->add_option("FILE", c.file, "An export ('-' = stdin)")->required();
    c.verify = sub("verify", "Check the audit chain and the cases against their versions");

    c.report = sub("report", "A case's report (HTML, Markdown or JSON; see kelias report --help)");
    c.report->add_option("ID", c.id, "Case id")->required();
    c.unit_report = sub("unit-report", "The unit report: due dates, earliest dates, override rates");
    c.unit_report->add_option("--within", c.within, "The window after --as-of")->capture_default_str();
    for (CLI::App* r : {c.report, c.unit_report}) {
        r->add_option("--format", c.report_format, "html, md or json")
            ->check(CLI::IsMember({"html", "md", "markdown", "json"}))
            ->capture_default_str();
        r->add_option("-o,--output", c.output, "Output file ('-' = stdout), written atomically, 0600")
            ->capture_default_str();
        r->add_option("--policy", c.policy, "Plan policy id or file")->capture_default_str();
    }
    c.report->add_option("--variant", c.variant, "full, commission (a commission or court) or handover (probation)")
        ->check(CLI::IsMember({"full", "commission", "handover"}))
        ->capture_default_str();
}

int dispatch_case(const CaseCommands& c) {
    if (!c.root || !c.root->parsed()) return -1;
    Session s = open_session(c.common);
    if (!s.store) return s.exit_code == exit_ok ? exit_usage : s.exit_code;
    if (c.new_case->parsed()) return run_new(c, s);
    if (c.facts->parsed()) return run_facts(c, s);
    if (c.assess->parsed()) return run_assess(c, s);
    if (c.eligibility->parsed()) return run_eligibility_case(c, s);
    if (c.plan->parsed()) return run_plan_case(c, s);
    if (c.override_->parsed()) return run_override(c, s);
    if (c.event->parsed()) {
        PathwayEvent e;
        e.type = c.type;
        return run_apply(c, s, e);
    }
    if (c.propose->parsed()) return run_move(c, s, MoveStep::proposed);
    if (c.decide->parsed()) return run_move(c, s, MoveStep::decided);
    if (c.carry_out->parsed()) return run_move(c, s, MoveStep::carried_out);
    if (c.show->parsed()) return run_show(c, s);
    if (c.list->parsed()) return run_list(c, s);
    if (c.history->parsed()) return run_history(c, s);
    if (c.export_->parsed()) return run_export(c, s);
    if (c.import_->parsed()) return run_import(c, s);
    if (c.verify->parsed()) return run_verify(s);
    if (c.report->parsed()) return run_report_case(c, s);
    if (c.unit_report->parsed()) return run_unit_report_case(c, s);
    return exit_usage;
}

}  // namespace kelias::cli
