// The SQLite backend of the case store: one file, WAL, every operation one BEGIN IMMEDIATE
// transaction retried while another process holds the lock, the schema migrated forward.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <random>
#include <thread>

#include "store/sqlite_schema.hpp"
#include "store/store_backend.hpp"

KELIAS_BEGIN_NAMESPACE
namespace detail {
namespace {

// The database was locked by another connection: the transaction is run again.
struct Busy : StoreFailure {
    using StoreFailure::StoreFailure;
};

bool is_busy(int rc) { return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED; }

[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what) {
    std::string message = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    if (is_busy(rc)) throw Busy(message);
    throw StoreFailure(message);
}

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql) : db_(db) {
        const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
        if (rc != SQLITE_OK) fail(db, rc, "prepare");
    }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement() { sqlite3_finalize(stmt_); }

    Statement& bind(int i, std::string_view text) {
        check(sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
        return *this;
    }
    Statement& bind(int i, std::int64_t v) {
        check(sqlite3_bind_int64(stmt_, i, v));
        return *this;
    }
    Statement& bind(int i, std::optional<std::int64_t> v) {
        check(v ? sqlite3_bind_int64(stmt_, i, *v) : sqlite3_bind_null(stmt_, i));
        return *this;
    }
    /// True while there is a row.
    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        fail(db_, rc, "step");
    }
    std::string text(int i) const {
        const auto* p = sqlite3_column_text(stmt_, i);
        return p ? std::string(reinterpret_cast<const char*>(p),
                               static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)))
                 : std::string();
    }
    std::int64_t integer(int i) const { return sqlite3_column_int64(stmt_, i); }
    std::optional<std::int64_t> optional_integer(int i) const {
        if (sqlite3_column_type(stmt_, i) == SQLITE_NULL) return std::nullopt;
        return integer(i);
    }

private:
    void check(int rc) {
        if (rc != SQLITE_OK) fail(db_, rc, "bind");
    }
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

void exec(sqlite3* db, std::string_view sql) {
    const std::string s(sql);
    char* error = nullptr;
    const int rc = sqlite3_exec(db, s.c_str(), nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = error ? error : sqlite3_errstr(rc);
        sqlite3_free(error);
        if (is_busy(rc)) throw Busy(message);
        throw StoreFailure(message);
    }
}

std::optional<RecordKind> parse_kind(std::string_view s) {
    for (auto k : {RecordKind::assessment, RecordKind::eligibility, RecordKind::plan, RecordKind::override_,
                   RecordKind::obligation})
        if (to_string(k) == s) return k;
    return std::nullopt;
}
std::optional<RecordState> parse_state(std::string_view s) {
    for (auto k : {RecordState::draft, RecordState::finalised, RecordState::approved, RecordState::recorded,
                   RecordState::open, RecordState::met, RecordState::overdue})
        if (to_string(k) == s) return k;
    return std::nullopt;
}
std::optional<AuditAction> parse_action(std::string_view s) {
    for (int i = 0; i <= static_cast<int>(AuditAction::refused); ++i)
        if (to_string(static_cast<AuditAction>(i)) == s) return static_cast<AuditAction>(i);
    return std::nullopt;
}

constexpr std::string_view record_columns =
    "id, kind, case_id, state, subject, hash, links, document, created_at, created_by, created_role, decided_at, "
    "decided_by, decided_role";

StoredRecord read_record(const Statement& s) {
    StoredRecord r;
    r.id = s.integer(0);
    const auto kind = parse_kind(s.text(1));
    const auto state = parse_state(s.text(3));
    if (!kind || !state) throw StoreFailure("record " + std::to_string(r.id) + " has an unknown kind or state");
    r.kind = *kind;
    r.case_id = s.text(2);
    r.state = *state;
    r.subject = s.text(4);
    r.hash = s.text(5);
    r.links = s.optional_integer(6);
    r.document = s.text(7);
    r.created_at = s.text(8);
    r.created_by = s.text(9);
    r.created_role = s.text(10);
    r.decided_at = s.text(11);
    r.decided_by = s.text(12);
    r.decided_role = s.text(13);
    return r;
}

class SqliteBackend final : public StoreBackend {
public:
    SqliteBackend(sqlite3* db, CaseStoreOptions options) : db_(db), options_(std::move(options)) {}
    ~SqliteBackend() override { sqlite3_close_v2(db_); }

    // Sets up the connection and migrates the schema.
    std::optional<Diagnostic> start() {
        try {
            sqlite3_busy_timeout(db_, options_.busy_timeout_ms);
            with_retry([&] { exec(db_, "PRAGMA journal_mode=WAL"); });
            exec(db_, "PRAGMA synchronous=FULL");
            exec(db_, "PRAGMA foreign_keys=ON");
            schema_ = read_user_version();
            if (schema_ > static_cast<int>(store_migrations.size()))
                return failure("the case store has schema version " + std::to_string(schema_) +
                               ", newer than this kelias reads (" + std::to_string(store_migrations.size()) +
                               "); use a newer kelias");
            if (schema_ < static_cast<int>(store_migrations.size())) {
                auto problem = transaction([&]() -> std::optional<Diagnostic> {
                    int at = read_user_version();  // another process may have migrated meanwhile
                    for (; at < static_cast<int>(store_migrations.size()); ++at) exec(db_, store_migrations[at]);
                    exec(db_, "PRAGMA user_version=" + std::to_string(at));
                    return std::nullopt;
                });
                if (problem) return problem;
                schema_ = read_user_version();
            }
        } catch (const StoreFailure& e) {
            return failure(e.what());
        }
        return std::nullopt;
    }

    std::optional<Diagnostic> transaction(const std::function<std::optional<Diagnostic>()>& body) override {
        const auto start = std::chrono::steady_clock::now();
        std::minstd_rand jitter(static_cast<unsigned>(::getpid()));
        for (int attempt = 0;; ++attempt) {
            bool began = false;
            try {
                exec(db_, "BEGIN IMMEDIATE");
                began = true;
                auto refused = body();
                if (refused) {
                    exec(db_, "ROLLBACK");
                    return refused;
                }
                exec(db_, "COMMIT");
                return std::nullopt;
            } catch (const Busy& e) {
                if (began) rollback();
                const auto waited = std::chrono::steady_clock::now() - start;
                if (waited > std::chrono::milliseconds(options_.give_up_ms))
                    return failure(std::string("the case store stayed busy: ") + e.what());
                std::this_thread::sleep_for(std::chrono::milliseconds(1 + jitter() % (5 + 5 * std::min(attempt, 10))));
            } catch (const StoreFailure& e) {
                if (began) rollback();
                return failure(e.what());
            } catch (...) {
                if (began) rollback();
                throw;
            }
        }
    }

    int schema_version() const override { return schema_; }

    std::optional<CaseRow> find_case(std::string_view id) override {
        Statement s(db_, "SELECT id, version, placement, updated_at, document FROM cases WHERE id = ?");
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return CaseRow{s.text(0), s.integer(1), s.text(2), s.text(3), s.text(4)};
    }
    std::vector<CaseRow> cases() override {
        Statement s(db_, "SELECT id, version, placement, updated_at, document FROM cases ORDER BY id");
        std::vector<CaseRow> out;
        while (s.step()) out.push_back({s.text(0), s.integer(1), s.text(2), s.text(3), s.text(4)});
        return out;
    }
    void insert_case(const CaseRow& row) override {
        Statement s(db_, "INSERT INTO cases (id, version, placement, updated_at, document) VALUES (?, ?, ?, ?, ?)");
        s.bind(1, row.id).bind(2, row.version).bind(3, row.placement).bind(4, row.updated_at).bind(5, row.document);
        s.step();
    }
    bool update_case(const CaseRow& row) override {
        Statement s(db_, "UPDATE cases SET version = ?, placement = ?, updated_at = ?, document = ? "
                         "WHERE id = ? AND version = ?");
        s.bind(1, row.version).bind(2, row.placement).bind(3, row.updated_at).bind(4, row.document);
        s.bind(5, row.id).bind(6, row.version - 1);
        s.step();
        return sqlite3_changes(db_) == 1;
    }
    void insert_version(const std::string& case_id, const CaseVersion& v) override {
        Statement s(db_,
                    "INSERT INTO case_versions (case_id, version, at, by, role, document) VALUES (?, ?, ?, ?, ?, ?)");
        s.bind(1, case_id).bind(2, v.version).bind(3, v.at).bind(4, v.by).bind(5, v.role).bind(6, v.document);
        s.step();
    }
    std::vector<CaseVersion> versions(std::string_view case_id) override {
        Statement s(db_,
                    "SELECT version, at, by, role, document FROM case_versions WHERE case_id = ? ORDER BY version");
        s.bind(1, case_id);
        std::vector<CaseVersion> out;
        while (s.step()) out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4)});
        return out;
    }

    std::int64_t insert_record(const StoredRecord& r) override {
        Statement s(db_, "INSERT INTO records (" + std::string(record_columns) +
                             ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        s.bind(1, r.id == 0 ? std::optional<std::int64_t>{} : std::optional<std::int64_t>{r.id});
        s.bind(2, to_string(r.kind)).bind(3, r.case_id).bind(4, to_string(r.state)).bind(5, r.subject);
        s.bind(6, r.hash).bind(7, r.links).bind(8, r.document).bind(9, r.created_at).bind(10, r.created_by);
        s.bind(11, r.created_role).bind(12, r.decided_at).bind(13, r.decided_by).bind(14, r.decided_role);
        s.step();
        return sqlite3_last_insert_rowid(db_);
    }
    void update_record(const StoredRecord& r) override {
        Statement s(db_, "UPDATE records SET state = ?, decided_at = ?, decided_by = ?, decided_role = ? WHERE id = ?");
        s.bind(1, to_string(r.state)).bind(2, r.decided_at).bind(3, r.decided_by).bind(4, r.decided_role);
        s.bind(5, r.id);
        s.step();
    }
    std::optional<StoredRecord> find_record(std::int64_t id) override {
        Statement s(db_, "SELECT " + std::string(record_columns) + " FROM records WHERE id = ?");
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return read_record(s);
    }
    std::vector<StoredRecord> records(std::string_view case_id) override {
        Statement s(db_, "SELECT " + std::string(record_columns) + " FROM records WHERE case_id = ? ORDER BY id");
        s.bind(1, case_id);
        std::vector<StoredRecord> out;
        while (s.step()) out.push_back(read_record(s));
        return out;
    }

    std::int64_t append_audit(const AuditEntry& e) override {
        Statement s(db_,
                    "INSERT INTO audit (seq, at, actor, role, action, case_id, target, before, after, prev_hash, hash) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        s.bind(1, e.seq).bind(2, e.at).bind(3, e.actor).bind(4, e.role).bind(5, to_string(e.action));
        s.bind(6, e.case_id).bind(7, e.target).bind(8, e.before).bind(9, e.after).bind(10, e.prev_hash);
        s.bind(11, e.hash);
        s.step();
        return e.seq;
    }
    std::optional<AuditEntry> last_audit() override {
        Statement s(db_, std::string(audit_select) + " ORDER BY seq DESC LIMIT 1");
        if (!s.step()) return std::nullopt;
        return read_audit(s);
    }
    void each_audit(std::string_view case_id, const std::function<void(const AuditEntry&)>& visit) override {
        Statement s(db_, std::string(audit_select) +
                             (case_id.empty() ? " ORDER BY seq" : " WHERE case_id = ? ORDER BY seq"));
        if (!case_id.empty()) s.bind(1, case_id);
        while (s.step()) visit(read_audit(s));
    }

private:
    static constexpr std::string_view audit_select =
        "SELECT seq, at, actor, role, action, case_id, target, before, after, prev_hash, hash FROM audit";

    static AuditEntry read_audit(const Statement& s) {
        AuditEntry e;
        e.seq = s.integer(0);
        e.at = s.text(1);
        e.actor = s.text(2);
        e.role = s.text(3);
        e.case_id = s.text(5);
        e.target = s.text(6);
        // An action this kelias does not know cannot verify: its hash is left empty.
        const auto action = parse_action(s.text(4));
        e.action = action.value_or(AuditAction::read_case);
        e.before = s.text(7);
        e.after = s.text(8);
        e.prev_hash = s.text(9);
        e.hash = action ? s.text(10) : std::string();
        return e;
    }

    int read_user_version() {
        Statement s(db_, "PRAGMA user_version");
        return s.step() ? static_cast<int>(s.integer(0)) : 0;
    }

    template <class F>
    void with_retry(F&& f) {
        const auto start = std::chrono::steady_clock::now();
        for (;;) {
            try {
                f();
                return;
            } catch (const Busy&) {
                if (std::chrono::steady_clock::now() - start > std::chrono::milliseconds(options_.give_up_ms)) throw;
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
        }
    }

    void rollback() noexcept {
        char* error = nullptr;
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, &error);
        sqlite3_free(error);
    }

    static Diagnostic failure(std::string message) {
        return {Severity::error, DiagnosticCode::store_failure, std::move(message), {}, {}};
    }

    sqlite3* db_;
    CaseStoreOptions options_;
    int schema_ = 0;
};

}  // namespace

// A store made by an older tool or copied with a wide umask may be group- or
// world-readable: it holds special-category data, so it is made owner-only (with SQLite's
// -wal and -shm files) before it is used. False when that is not possible.
static bool tighten_to_owner_only(const std::string& path) {
    for (const std::string& file : {path, path + "-wal", path + "-shm"}) {
        struct stat st {};
        if (::stat(file.c_str(), &st) != 0) continue;  // no -wal or -shm yet
        if ((st.st_mode & 077) == 0) continue;
        if (::chmod(file.c_str(), st.st_mode & 0700) != 0) return false;
    }
    return true;
}

Result<std::unique_ptr<StoreBackend>> open_sqlite_backend(const std::string& path, const CaseStoreOptions& options) {
    auto failure = [&](std::string message) -> std::vector<Diagnostic> {
        return {{Severity::error, DiagnosticCode::store_failure, std::move(message), {}, {path, 0, 0}}};
    };
    // Create the file owner-only before SQLite sees it, whatever the umask: SQLite gives
    // the -wal and -shm files the database file's permissions.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd >= 0) {
        const bool ok = ::fchmod(fd, 0600) == 0;
        ::close(fd);
        if (!ok) return failure("cannot make the case store owner-only");
    } else if (errno != EEXIST) {
        return failure(std::string("cannot create the case store: ") + std::strerror(errno));
    } else if (!tighten_to_owner_only(path)) {
        return failure("the case store is readable by others and cannot be made owner-only (chmod 600 it)");
    }
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, nullptr);
    if (rc != SQLITE_OK) {
        std::string message =
            std::string("cannot open the case store: ") + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
        sqlite3_close_v2(db);
        return failure(message);
    }
    auto backend = std::make_unique<SqliteBackend>(db, options);
    if (auto problem = backend->start()) {
        problem->where = {path, 0, 0};
        return std::vector<Diagnostic>{*problem};
    }
    return std::unique_ptr<StoreBackend>(std::move(backend));
}

}  // namespace detail
KELIAS_END_NAMESPACE
