// The case store (kelias/case_store.hpp) over SQLite: permissions from the pathway's roles,
// record states, versions, the audit chain and its tamper detection, file permissions,
// migrations and export/import.
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <kelias/case_io.hpp>
#include <kelias/case_store.hpp>

#include "store/sqlite_schema.hpp"

using namespace kelias;

namespace {

const std::string source = KELIAS_SOURCE_DIR;

struct Definitions {
    Pathway pathway;
    RuleSet rules;
    Instrument start_av;
    PlanPolicy policy;
};

const Definitions& definitions() {
    static const Definitions d = [] {
        auto rules = load_rules_file(source + "/instruments/lt_release_pathway.yaml");
        REQUIRE(rules.ok());
        auto pathway = load_pathway_file(source + "/instruments/lt_pathway.yaml", &*rules);
        INFO(format(pathway.diagnostics()));
        REQUIRE(pathway.ok());
        auto start_av = load_instrument_file(source + "/instruments/start_av.yaml");
        REQUIRE(start_av.ok());
        auto policy = load_plan_policy_file(source + "/instruments/lt_plan_policy.yaml");
        REQUIRE(policy.ok());
        return Definitions{*pathway, *rules, *start_av, *policy};
    }();
    return d;
}

// A fresh folder per test.
struct TempDir {
    std::filesystem::path path;
    TempDir() {
        static std::atomic<int> n{0};
        path = std::filesystem::temp_directory_path() /
               ("kelias_store_" + std::to_string(::getpid()) + "_" + std::to_string(n++));
        std::filesystem::remove_all(path);
        std::filesystem::create_directories(path);
    }
    ~TempDir() { std::filesystem::remove_all(path); }
};

CaseStore open_store(const std::filesystem::path& file) {
    const auto& d = definitions();
    int tick = 0;
    auto store = open_sqlite_store(file, d.pathway, d.rules, {.clock = [tick]() mutable {
                                       const int second = tick % 60;
                                       ++tick;
                                       return "2025-06-01T10:00:" + std::string(second < 10 ? "0" : "") +
                                              std::to_string(second) + ".000Z";
                                   }});
    INFO(format(store.diagnostics()));
    REQUIRE(store.ok());
    return std::move(*store);
}

CaseInput example_case(const std::string& file) {
    auto c = read_case_file(source + "/examples/cases/" + file);
    REQUIRE(c.ok());
    return *c;
}

const Actor cm{"CM-4", "case_manager"};
const Actor cm2{"CM-9", "case_manager"};
const Actor psych{"PS-1", "psychologist"};
const Actor psych2{"PS-2", "psychologist"};
const Actor admin{"PA-2", "prison_administration"};
const Actor ngo{"NGO-3", "ngo_worker"};
const Actor commission{"TC-1", "transfer_commission"};

PathwayEvent move(const std::string& id, MoveStep step, const std::string& date,
                  std::optional<MoveDecision> decision = std::nullopt) {
    PathwayEvent e;
    e.type = "move";
    e.move = id;
    e.step = step;
    e.decision = decision;
    e.date = *parse_date(date);
    return e;
}

void exec_sql(const std::filesystem::path& file, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    INFO((error ? error : ""));
    sqlite3_free(error);
    sqlite3_close(db);
    REQUIRE(rc == SQLITE_OK);
}

}  // namespace

TEST_CASE("case store: a case, its facts and every version of them") {
    TempDir dir;
    auto store = open_store(dir.path / "cases.db");
    CHECK(store.schema_version() == case_store_schema_version);

    auto created = store.create_case(cm, example_case("adult_to_halfway_house.yaml"));
    INFO(format(created.diagnostics()));
    REQUIRE(created.ok());
    CHECK(created->version == 1);
    CHECK(created->id == "LT-2025-0302");

    auto again = store.create_case(cm, example_case("adult_to_halfway_house.yaml"));
    REQUIRE_FALSE(again.ok());
    CHECK(has_code(again.error(), DiagnosticCode::unknown_record));

    auto changed = store.set_facts(cm, "LT-2025-0302", {{"employed_or_studying", "true"}}, 1);
    INFO(format(changed.diagnostics()));
    REQUIRE(changed.ok());
    CHECK(changed->version == 2);
    CHECK(changed->document.facts.at("employed_or_studying") == "true");

    // A stale version is refused and changes nothing.
    auto stale = store.set_facts(cm2, "LT-2025-0302", {{"employed_or_studying", "false"}}, 1);
    REQUIRE_FALSE(stale.ok());
    CHECK(has_code(stale.error(), DiagnosticCode::stale_version));
    auto read = store.read_case(cm, "LT-2025-0302");
    REQUIRE(read.ok());
    CHECK(read->version == 2);
    CHECK(read->document.facts.at("employed_or_studying") == "true");

    // A fact the rules do not know is refused.
    auto unknown = store.set_facts(cm, "LT-2025-0302", {{"no_such_fact", "1"}});
    REQUIRE_FALSE(unknown.ok());

    auto versions = store.versions(cm, "LT-2025-0302");
    REQUIRE(versions.ok());
    REQUIRE(versions->size() == 2);
    CHECK((*versions)[0].by == "CM-4");
    CHECK((*versions)[1].document.find("\"employed_or_studying\":true") != std::string::npos);

    auto missing = store.read_case(cm, "NO-SUCH");
    REQUIRE_FALSE(missing.ok());
    CHECK(has_code(missing.error(), DiagnosticCode::unknown_record));
}

TEST_CASE("case store: a case with a person's name is refused") {
    TempDir dir;
    auto store = open_store(dir.path / "cases.db");
    CaseInput c = example_case("adult_to_halfway_house.yaml");
    c.facts["surname"] = "Petraitis";
    auto created = store.create_case(cm, c);
    REQUIRE_FALSE(created.ok());
    CHECK(has_code(created.error(), DiagnosticCode::invalid_transition));
    CHECK(created.error().front().message.find("Petraitis") == std::string::npos);
    REQUIRE(store.create_case(cm, example_case("adult_to_halfway_house.yaml")).ok());
    auto named = store.set_facts(cm, "LT-2025-0302", {{"first_name", "Jonas"}});
    REQUIRE_FALSE(named.ok());
}

TEST_CASE("case store: permissions come from the pathway's roles, in the library") {
    TempDir dir;
    auto store = open_store(dir.path / "cases.db");
    auto refused = store.create_case(ngo, example_case("adult_to_halfway_house.yaml"));
    REQUIRE_FALSE(refused.ok());
    CHECK(has_code(refused.error(), DiagnosticCode::permission_denied));
    CHECK(refused.error().front().hint.find("case_manager") != std::string::npos);
    auto unknown_role = store.create_case({"X-1", "janitor"}, example_case("adult_to_halfway_house.yaml"));
    REQUIRE_FALSE(unknown_role.ok());
    CHECK(has_code(unknown_role.error(), DiagnosticCode::permission_denied));
    auto no_actor = store.create_case({"", "case_manager"}, example_case("adult_to_halfway_house.yaml"));
    REQUIRE_FALSE(no_actor.ok());

    REQUIRE(store.create_case(cm, example_case("adolescent_kaunas_pathway.yaml")).ok());
    auto ratings = read_assessment_file(source + "/tests/data/store/start_av_ratings.json");
    REQUIRE(ratings.ok());
    auto by_cm = store.record_assessment(cm, "LT-2025-0301", definitions().start_av, *ratings);
    REQUIRE_FALSE(by_cm.ok());
    CHECK(has_code(by_cm.error(), DiagnosticCode::permission_denied));
    auto export_by_cm = store.export_json(cm);
    REQUIRE_FALSE(export_by_cm.ok());
    // Nothing of the refused actions is in the case.
    auto read = store.read_case(cm, "LT-2025-0301");
    REQUIRE(read.ok());
    CHECK(read->version == 1);
    CHECK(read->records.empty());
}

TEST_CASE("case store: refused attempts are audited, without an invalid actor id or role") {
    TempDir dir;
    auto store = open_store(dir.path / "cases.db");
    REQUIRE_FALSE(store.create_case(ngo, example_case("adult_to_halfway_house.yaml")).ok());
    REQUIRE_FALSE(store.create_case({"Jonas Petraitis", "janitor"}, example_case("adult_to_halfway_house.yaml")).ok());
    REQUIRE(store.create_case(cm, example_case("adult_to_halfway_house.yaml")).ok());
    const std::string id = "LT-2025-0302";
    REQUIRE_FALSE(store.read_case({"X-1", "janitor"}, id).ok());
    REQUIRE_FALSE(store.read_case({"", "case_manager"}, id).ok());
    auto moved =
        store.apply_event({"CO-8", "contact_officer"}, id, move("to_halfway_house", MoveStep::proposed, "2025-06-02"));
    REQUIRE(moved.ok());
    REQUIRE_FALSE(moved->applied);
    REQUIRE_FALSE(store.export_json(cm).ok());  // store-wide: no case

    auto history = store.history(cm, id);
    REQUIRE(history.ok());
    std::vector<std::string> refused;
    for (const auto& e : *history)
        if (e.action == AuditAction::refused)
            refused.push_back(e.actor + "/" + e.role + "/" + e.target + " " + e.after);
    REQUIRE(refused.size() == 5);
    CHECK(refused[0] == "NGO-3/ngo_worker/create_case {\"why\":\"role_not_allowed\"}");
    CHECK(refused[1] == "//create_case {\"why\":\"unknown_role\"}");  // neither the name nor the role is kept
    CHECK(refused[2] == "//read_case {\"why\":\"unknown_role\"}");
    CHECK(refused[3] == "//read_case {\"why\":\"no_actor\"}");
    CHECK(refused[4] == "CO-8/contact_officer/apply_event {\"why\":\"role_not_allowed\"}");
    for (const auto& e : *history) CHECK(e.actor.find("Petraitis") == std::string::npos);
    const auto check = store.verify();
    REQUIRE(check.ok());
    CHECK(check->ok);
    CHECK(check->entries >= 6);
}

TEST_CASE("case store: assessments draft -> finalised, amendments, plans, eligibility, overrides") {
    TempDir dir;
    const auto& d = definitions();
    auto store = open_store(dir.path / "cases.db");
    REQUIRE(store.create_case(cm, example_case("adolescent_kaunas_pathway.yaml")).ok());
    const std::string id = "LT-2025-0301";

    auto bad = read_assessment_file(source + "/tests/data/store/no_such.json");
    REQUIRE_FALSE(bad.ok());
    CHECK(has_code(bad.error(), DiagnosticCode::unreadable_file));
    AssessmentInput wrong{"start_av", parse_date("2025-05-20"), {{"school_work.strength", "7"}}, {}};
    auto wrong_cell = store.record_assessment(psych, id, d.start_av, wrong);
    REQUIRE_FALSE(wrong_cell.ok());
    CHECK(has_code(wrong_cell.error(), DiagnosticCode::invalid_cell));

    auto ratings = read_assessment_file(source + "/tests/data/store/start_av_ratings.json");
    REQUIRE(ratings.ok());
    auto draft = store.record_assessment(psych, id, d.start_av, *ratings);
    INFO(format(draft.diagnostics()));
    REQUIRE(draft.ok());
    CHECK(draft->state == RecordState::draft);
    CHECK(draft->subject == d.start_av.key());
    CHECK(draft->hash == d.start_av.hash());
    auto read = store.read_case(psych, id);
    REQUIRE(read.ok());
    CHECK(read->document.assessments.size() == 1);  // the draft does not speak for the case yet

    auto finalised = store.finalise_assessment(psych, draft->id);
    REQUIRE(finalised.ok());
    CHECK(finalised->state == RecordState::finalised);
    CHECK(finalised->decided_by == "PS-1");
    auto twice = store.finalise_assessment(psych, draft->id);
    REQUIRE_FALSE(twice.ok());
    CHECK(has_code(twice.error(), DiagnosticCode::invalid_transition));
    read = store.read_case(psych, id);
    REQUIRE(read.ok());
    CHECK(read->document.assessments.size() == 2);

    // The database itself refuses to change a finalised record.
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open((dir.path / "cases.db").c_str(), &db) == SQLITE_OK);
        const int rc =
            sqlite3_exec(db, "UPDATE records SET document = '{}' WHERE state = 'finalised'", nullptr, nullptr, nullptr);
        CHECK(rc != SQLITE_OK);
        sqlite3_close(db);
    }

    auto changed = read_assessment_file(source + "/tests/data/store/start_av_ratings_changed.json");
    REQUIRE(changed.ok());
    auto amendment = store.record_assessment(psych, id, d.start_av, *changed, {.finalise = true, .amends = draft->id});
    INFO(format(amendment.diagnostics()));
    REQUIRE(amendment.ok());
    CHECK(amendment->links == draft->id);
    read = store.read_case(psych, id);
    REQUIRE(read.ok());
    REQUIRE(read->document.assessments.size() == 2);  // the amended one gave way
    CHECK(read->document.assessments.back().date == parse_date("2025-08-20"));

    auto snapshot = store.record_eligibility(ngo, id, *parse_date("2025-09-01"));
    INFO(format(snapshot.diagnostics()));
    REQUIRE(snapshot.ok());
    CHECK(snapshot->record.kind == RecordKind::eligibility);
    CHECK(snapshot->record.hash == d.rules.hash());
    CHECK(snapshot->record.document.find("\"decisions\"") != std::string::npos);

    auto plan = store.draft_plan(cm, id, PlanKind::initial, d.policy, *parse_date("2025-09-01"));
    INFO(format(plan.diagnostics()));
    REQUIRE(plan.ok());
    CHECK(plan->record.subject == "initial");
    auto approve_by_cm = store.approve_plan(cm, plan->record.id);
    REQUIRE_FALSE(approve_by_cm.ok());
    CHECK(has_code(approve_by_cm.error(), DiagnosticCode::permission_denied));
    auto approved = store.approve_plan(admin, plan->record.id);
    REQUIRE(approved.ok());
    CHECK(approved->state == RecordState::approved);

    auto same = store.record_override(
        psych, id, {.instrument = "start_av", .name = "violence.estimate", .chosen = "impossible", .reason = ""});
    REQUIRE_FALSE(same.ok());
    auto override_ = store.record_override(
        psych, id,
        {.instrument = "start_av", .name = "violence.estimate", .chosen = "low", .reason = "recent progress"});
    INFO(format(override_.diagnostics()));
    REQUIRE(override_.ok());
    CHECK(override_->document.find("\"computed\":\"high\"") != std::string::npos);
    auto self = store.approve_override(psych, override_->id);
    REQUIRE_FALSE(self.ok());
    CHECK(has_code(self.error(), DiagnosticCode::invalid_transition));
    auto second = store.approve_override(psych2, override_->id);
    INFO(format(second.diagnostics()));
    REQUIRE(second.ok());
    CHECK(second->decided_by == "PS-2");

    auto check = store.verify();
    REQUIRE(check.ok());
    CHECK(check->ok);
}

TEST_CASE("case store: moves through the pathway's guards, obligations, refusals change nothing") {
    TempDir dir;
    auto store = open_store(dir.path / "cases.db");
    REQUIRE(store.create_case(cm, example_case("adult_to_halfway_house.yaml")).ok());
    const std::string id = "LT-2025-0302";
    auto before = store.export_json(admin);
    REQUIRE(before.ok());

    auto refused =
        store.apply_event({"CO-8", "contact_officer"}, id, move("to_halfway_house", MoveStep::proposed, "2025-06-02"));
    REQUIRE(refused.ok());
    CHECK_FALSE(refused->applied);
    auto after_refusal = store.export_json(admin);
    REQUIRE(after_refusal.ok());
    CHECK(*after_refusal == *before);

    auto proposed = store.apply_event(cm, id, move("to_halfway_house", MoveStep::proposed, "2025-06-02"));
    INFO(format(proposed.diagnostics()));
    REQUIRE(proposed.ok());
    INFO(to_json(*proposed));
    REQUIRE(proposed->applied);
    auto decided = store.apply_event(commission, id,
                                     move("to_halfway_house", MoveStep::decided, "2025-06-10", MoveDecision::granted));
    REQUIRE(decided.ok());
    REQUIRE(decided->applied);
    auto carried = store.apply_event(admin, id, move("to_halfway_house", MoveStep::carried_out, "2025-06-16"));
    REQUIRE(carried.ok());
    REQUIRE(carried->applied);
    auto read = store.read_case(cm, id);
    REQUIRE(read.ok());
    CHECK(current_placement(read->document)->placement == "halfway_house");
    CHECK(read->document.events.back().by == "PA-2");
    bool obligation = false;
    for (const auto& r : read->records)
        if (r.kind == RecordKind::obligation && r.state == RecordState::open) obligation = true;
    CHECK(obligation);

    auto list = store.list_cases(cm, {.placement = "halfway_house"});
    REQUIRE(list.ok());
    CHECK(list->size() == 1);
    auto none = store.list_cases(cm, {.placement = "closed"});
    REQUIRE(none.ok());
    CHECK(none->empty());

    auto history = store.history(cm, id);
    REQUIRE(history.ok());
    bool logged_move = false;
    for (const auto& e : *history)
        if (e.action == AuditAction::apply_event && e.actor == "TC-1") logged_move = true;
    CHECK(logged_move);
}

TEST_CASE("case store: the audit chain verifies, and a hand-edited or deleted row is found") {
    TempDir dir;
    const auto file = dir.path / "cases.db";
    {
        auto store = open_store(file);
        REQUIRE(store.create_case(cm, example_case("adult_to_halfway_house.yaml")).ok());
        REQUIRE(store.set_facts(cm, "LT-2025-0302", {{"employed_or_studying", "true"}}).ok());
        REQUIRE(store.read_case(cm, "LT-2025-0302").ok());
        REQUIRE(store.set_facts(cm, "LT-2025-0302", {{"employed_or_studying", "false"}}).ok());
        REQUIRE(store.record_eligibility(cm, "LT-2025-0302", *parse_date("2025-06-01")).ok());
        auto check = store.verify();
        REQUIRE(check.ok());
        CHECK(check->ok);
        CHECK(check->entries == 5);
    }
    // The API has no way to change it, and neither has SQL while the triggers stand.
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
        CHECK(sqlite3_exec(db, "UPDATE audit SET actor = 'X' WHERE seq = 2", nullptr, nullptr, nullptr) != SQLITE_OK);
        CHECK(sqlite3_exec(db, "DELETE FROM audit WHERE seq = 2", nullptr, nullptr, nullptr) != SQLITE_OK);
        sqlite3_close(db);
    }
    SUBCASE("edited") {
        exec_sql(file, "DROP TRIGGER audit_no_update; UPDATE audit SET after = '{}' WHERE seq = 2;");
        auto store = open_store(file);
        auto check = store.verify();
        REQUIRE(check.ok());
        CHECK_FALSE(check->ok);
        CHECK(check->first_broken == 2);
    }
    SUBCASE("edited with its hash recomputed: the next entry no longer names it") {
        exec_sql(file, "DROP TRIGGER audit_no_update; UPDATE audit SET hash = 'sha256:00' WHERE seq = 2;");
        auto store = open_store(file);
        auto check = store.verify();
        REQUIRE(check.ok());
        CHECK_FALSE(check->ok);
        CHECK(check->first_broken == 2);
    }
    SUBCASE("deleted") {
        exec_sql(file, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 3;");
        auto store = open_store(file);
        auto check = store.verify();
        REQUIRE(check.ok());
        CHECK_FALSE(check->ok);
        CHECK(check->first_broken == 4);
    }
    SUBCASE("a saved version of the facts edited") {
        exec_sql(file, "DROP TRIGGER case_versions_no_update; UPDATE case_versions SET document = "
                       "replace(document, '\"employed_or_studying\":true', '\"employed_or_studying\":false') "
                       "WHERE version = 2;");
        auto store = open_store(file);
        auto check = store.verify();
        REQUIRE(check.ok());
        CHECK_FALSE(check->ok);
        CHECK(check->first_broken == 2);
        CHECK(check->reason.find("version 2 was changed") != std::string::npos);
    }
    SUBCASE("a kept record edited") {
        exec_sql(file, "DROP TRIGGER records_final; UPDATE records SET document = '{}';");
        auto store = open_store(file);
        auto check = store.verify();
        REQUIRE(check.ok());
        CHECK_FALSE(check->ok);
        CHECK(check->first_broken == 5);
    }
    SUBCASE("a version added by hand") {
        exec_sql(file, "INSERT INTO case_versions SELECT case_id, 99, at, by, role, document FROM case_versions "
                       "WHERE version = 1;");
        auto store = open_store(file);
        auto check = store.verify();
        REQUIRE(check.ok());
        CHECK_FALSE(check->ok);
    }
    SUBCASE("a case's document edited") {
        exec_sql(file, "UPDATE cases SET document = replace(document, 'semi_open', 'open');");
        auto store = open_store(file);
        auto check = store.verify();
        REQUIRE(check.ok());
        CHECK_FALSE(check->ok);
    }
}

TEST_CASE("case store: the file and its -wal and -shm files are owner-only whatever the umask") {
    TempDir dir;
    const auto file = dir.path / "cases.db";
    const mode_t old = ::umask(0);
    {
        auto store = open_store(file);
        REQUIRE(store.create_case(cm, example_case("adult_to_halfway_house.yaml")).ok());
        for (const auto& name : {file.string(), file.string() + "-wal", file.string() + "-shm"}) {
            struct stat st {};
            REQUIRE(::stat(name.c_str(), &st) == 0);
            INFO(name);
            CHECK((st.st_mode & 0777) == 0600);
        }
    }
    ::umask(old);
}

TEST_CASE("case store: an existing store readable by others is made owner-only when opened") {
    TempDir dir;
    const auto file = dir.path / "cases.db";
    { auto store = open_store(file); }
    REQUIRE(::chmod(file.c_str(), 0644) == 0);
    auto store = open_store(file);
    REQUIRE(store.create_case(cm, example_case("adult_to_halfway_house.yaml")).ok());
    struct stat st {};
    REQUIRE(::stat(file.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
}

TEST_CASE("case store: a version-1 database is migrated forward with its data") {
    TempDir dir;
    const auto file = dir.path / "cases.db";
    std::ifstream in(source + "/tests/data/store/schema_v1.sql");
    std::stringstream sql;
    sql << in.rdbuf();
    REQUIRE(!sql.str().empty());
    // The fixture is the shipped version-1 migration, unchanged.
    CHECK(sql.str() == std::string(detail::store_schema_v1));
    {
        auto store = open_store(file);
        REQUIRE(store.create_case(cm, example_case("adult_to_halfway_house.yaml")).ok());
    }
    // The same case in a version-1 database, made by the v1 schema.
    const auto old = dir.path / "old.db";
    exec_sql(old, sql.str() + "PRAGMA user_version=1;");
    {
        auto store = open_store(dir.path / "export_source.db");
        REQUIRE(store.create_case(cm, example_case("adult_to_halfway_house.yaml")).ok());
        REQUIRE(store.set_facts(cm, "LT-2025-0302", {{"employed_or_studying", "true"}}).ok());
    }
    exec_sql(old, "ATTACH '" + (dir.path / "export_source.db").string() +
                      "' AS src; INSERT INTO cases SELECT * FROM src.cases; INSERT INTO case_versions SELECT * FROM "
                      "src.case_versions; INSERT INTO audit SELECT * FROM src.audit;");
    auto store = open_store(old);
    CHECK(store.schema_version() == 2);
    auto read = store.read_case(cm, "LT-2025-0302");
    REQUIRE(read.ok());
    CHECK(read->version == 2);
    auto check = store.verify();
    REQUIRE(check.ok());
    CHECK(check->ok);
    auto ratings = read_assessment_file(source + "/tests/data/store/start_av_ratings.json");
    REQUIRE(ratings.ok());
    // A newer schema than this kelias knows is refused.
    exec_sql(file, "PRAGMA user_version=99;");
    const auto& d = definitions();
    auto newer = open_sqlite_store(file, d.pathway, d.rules);
    REQUIRE_FALSE(newer.ok());
    CHECK(has_code(newer.error(), DiagnosticCode::store_failure));
}

TEST_CASE("case store: export then import into an empty store gives the same export") {
    TempDir dir;
    const auto& d = definitions();
    std::string first;
    {
        auto store = open_store(dir.path / "a.db");
        REQUIRE(store.create_case(cm, example_case("adolescent_kaunas_pathway.yaml")).ok());
        REQUIRE(store.create_case(cm, example_case("adult_to_halfway_house.yaml")).ok());
        auto ratings = read_assessment_file(source + "/tests/data/store/start_av_ratings.json");
        REQUIRE(ratings.ok());
        auto a = store.record_assessment(psych, "LT-2025-0301", d.start_av, *ratings, {.finalise = true});
        REQUIRE(a.ok());
        REQUIRE(store.apply_event(cm, "LT-2025-0302", move("to_halfway_house", MoveStep::proposed, "2025-06-02")).ok());
        auto exported = store.export_json(admin);
        REQUIRE(exported.ok());
        first = *exported;
    }
    auto store = open_store(dir.path / "b.db");
    auto imported = store.import_json(admin, first);
    INFO(format(imported.diagnostics()));
    REQUIRE(imported.ok());
    CHECK(*imported == 2);
    auto second = store.export_json(admin);
    REQUIRE(second.ok());
    CHECK(*second == first);
    // Importing again is refused as a whole.
    auto again = store.import_json(admin, first);
    REQUIRE_FALSE(again.ok());
    auto third = store.export_json(admin);
    REQUIRE(third.ok());
    CHECK(*third == first);
    auto check = store.verify();
    REQUIRE(check.ok());
    CHECK(check->ok);
}

TEST_CASE("case store: a malformed import changes nothing") {
    TempDir dir;
    std::string good;
    {
        auto store = open_store(dir.path / "a.db");
        REQUIRE(store.create_case(cm, example_case("adult_to_halfway_house.yaml")).ok());
        auto exported = store.export_json(admin);
        REQUIRE(exported.ok());
        good = *exported;
    }
    auto store = open_store(dir.path / "b.db");
    const std::string header = good.substr(0, good.find('\n') + 1);
    const std::string body = good.substr(header.size());
    const std::vector<std::string> bad{
        "",
        "not json\n",
        "{\"kelias\":\"something else\"}\n" + body,
        header + "{\"version_of\":\"X\",\"version\":\"1\"}\n",
        header + body.substr(0, body.size() / 2),
        header + "{\"case\":\"A\",\"version\":\"1\"}\n",
        header + body + "{\"record\":\"0\",\"case\":\"LT-2025-0302\",\"kind\":\"plan\",\"state\":\"draft\"}\n",
        header + body + "{\"record\":\"5\",\"case\":\"LT-2025-0302\",\"kind\":\"nope\",\"state\":\"draft\"}\n",
        header + body + "{\"surprise\":\"1\"}\n",
    };
    for (const auto& text : bad) {
        INFO(text);
        auto imported = store.import_json(admin, text);
        CHECK_FALSE(imported.ok());
        auto list = store.list_cases(admin);
        REQUIRE(list.ok());
        CHECK(list->empty());
    }
    auto imported = store.import_json(admin, good);
    INFO(format(imported.diagnostics()));
    CHECK(imported.ok());
}

// Found by the store_json fuzz harness (tests/fuzz/regressions/store_json/): the store's
// JSON reader took strings that are not UTF-8, which the JSON writer then wrote as U+FFFD,
// so a ratings file or an imported line was not kept as read.
TEST_CASE("case store: a ratings file or an import line that is not UTF-8 is refused") {
    TempDir dir;
    const auto file = dir.path / "ratings.json";
    {
        std::ofstream out(file, std::ios::binary);
        out << "{\"date\":\"2025-05-20\",\"school_work.strength\":\"1\xff\"}";
    }
    auto ratings = read_assessment_file(file);
    REQUIRE_FALSE(ratings.ok());
    CHECK(has_code(ratings.error(), DiagnosticCode::malformed_case));
    CHECK(format(ratings.error()).find("UTF-8") != std::string::npos);

    std::string good;
    {
        auto store = open_store(dir.path / "a.db");
        REQUIRE(store.create_case(cm, example_case("adult_to_halfway_house.yaml")).ok());
        auto exported = store.export_json(admin);
        REQUIRE(exported.ok());
        good = *exported;
    }
    // The placement of the case line, with a byte that starts no UTF-8 character.
    const std::size_t at = good.find("\"placement\":\"");
    REQUIRE(at != std::string::npos);
    std::string bad = good;
    bad.insert(at + 13, "\xc3");
    auto store = open_store(dir.path / "b.db");
    auto imported = store.import_json(admin, bad);
    REQUIRE_FALSE(imported.ok());
    CHECK(format(imported.error()).find("UTF-8") != std::string::npos);
    auto list = store.list_cases(admin);
    REQUIRE(list.ok());
    CHECK(list->empty());
    CHECK(store.import_json(admin, good).ok());
}
