#pragma once
// The SQL of the SQLite case store, one migration per schema version. A new database runs
// them all; an older one runs those after its PRAGMA user_version. Never edit a shipped
// migration: add the next one (tests/data/store/ keeps each earlier schema as a fixture).
#include <array>
#include <string_view>

#include <kelias/version.hpp>

KELIAS_BEGIN_NAMESPACE
namespace detail {

// Version 1: cases, every version of their documents, records, the audit log; the audit
// log and the versions are append-only, records in a final state never change.
inline constexpr std::string_view store_schema_v1 = R"sql(
CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    placement TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE TABLE case_versions (
    case_id TEXT NOT NULL REFERENCES cases(id),
    version INTEGER NOT NULL,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    role TEXT NOT NULL,
    document TEXT NOT NULL,
    PRIMARY KEY (case_id, version)
);
CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES cases(id),
    state TEXT NOT NULL,
    subject TEXT NOT NULL,
    hash TEXT NOT NULL,
    document TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_role TEXT NOT NULL,
    decided_at TEXT NOT NULL DEFAULT '',
    decided_by TEXT NOT NULL DEFAULT '',
    decided_role TEXT NOT NULL DEFAULT ''
);
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    case_id TEXT NOT NULL,
    target TEXT NOT NULL,
    before TEXT NOT NULL,
    after TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER case_versions_no_update BEFORE UPDATE ON case_versions
BEGIN SELECT RAISE(ABORT, 'case versions never change'); END;
CREATE TRIGGER case_versions_no_delete BEFORE DELETE ON case_versions
BEGIN SELECT RAISE(ABORT, 'case versions never change'); END;
CREATE TRIGGER records_no_delete BEFORE DELETE ON records
BEGIN SELECT RAISE(ABORT, 'records are never deleted'); END;
CREATE TRIGGER records_final BEFORE UPDATE ON records
WHEN OLD.state IN ('finalised', 'approved', 'recorded', 'met')
BEGIN SELECT RAISE(ABORT, 'a record in a final state never changes'); END;
)sql";

// Version 2: an amendment links to the record it amends; indexes for a case's records and
// audit entries.
inline constexpr std::string_view store_schema_v2 = R"sql(
ALTER TABLE records ADD COLUMN links INTEGER REFERENCES records(id);
CREATE INDEX records_by_case ON records (case_id, id);
CREATE INDEX audit_by_case ON audit (case_id, seq);
)sql";

inline constexpr std::array<std::string_view, 2> store_migrations{store_schema_v1, store_schema_v2};

}  // namespace detail
KELIAS_END_NAMESPACE
