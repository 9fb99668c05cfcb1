#pragma once
// What a case-store backend provides: rows in and out, inside transactions. CaseStore
// (case_store.cpp) holds every rule (permissions, states, versions, the audit chain) and
// calls only this interface, so a second backend (a database server) implements these
// functions and nothing else changes.
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <kelias/case_store.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

/// A failure of the database itself (I/O, corruption, a constraint or trigger that
/// refused); the transaction is rolled back and it becomes an E901 diagnostic.
struct StoreFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The current row of a case.
struct CaseRow {
    std::string id;
    std::int64_t version = 0;
    std::string placement;  ///< the current placement, for list filters
    std::string updated_at;
    std::string document;  ///< the latest version's document
};

class StoreBackend {
public:
    virtual ~StoreBackend() = default;
    /// Runs `body` in one write transaction (no other writer meanwhile). Commits when it
    /// returns nullopt, rolls back when it returns a diagnostic or throws. The body may be
    /// run again when the database was busy, so it must only act through this backend.
    virtual std::optional<Diagnostic> transaction(const std::function<std::optional<Diagnostic>()>& body) = 0;
    virtual int schema_version() const = 0;

    virtual std::optional<CaseRow> find_case(std::string_view id) = 0;
    virtual std::vector<CaseRow> cases() = 0;
    virtual void insert_case(const CaseRow& row) = 0;
    /// Replaces the row whose version is `row.version - 1`; false when it is not (stale).
    virtual bool update_case(const CaseRow& row) = 0;
    virtual void insert_version(const std::string& case_id, const CaseVersion& version) = 0;
    virtual std::vector<CaseVersion> versions(std::string_view case_id) = 0;

    /// Inserts a record; `row.id` 0 gets a new id (returned), else that id is kept (import).
    virtual std::int64_t insert_record(const StoredRecord& row) = 0;
    /// Updates state and decided_* of a record (the database refuses it for final states).
    virtual void update_record(const StoredRecord& row) = 0;
    virtual std::optional<StoredRecord> find_record(std::int64_t id) = 0;
    virtual std::vector<StoredRecord> records(std::string_view case_id) = 0;

    /// Appends an audit entry (seq assigned by the backend, returned).
    virtual std::int64_t append_audit(const AuditEntry& entry) = 0;
    /// The last entry, nullopt when the log is empty.
    virtual std::optional<AuditEntry> last_audit() = 0;
    /// Every entry (case_id empty) or those of one case, by seq.
    virtual void each_audit(std::string_view case_id, const std::function<void(const AuditEntry&)>& visit) = 0;
};

/// The SQLite backend (sqlite_backend.cpp).
Result<std::unique_ptr<StoreBackend>> open_sqlite_backend(const std::string& path, const CaseStoreOptions& options);

}  // namespace detail
KELIAS_END_NAMESPACE
