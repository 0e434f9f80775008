#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include "storage/database_url.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {

// One audit_log row before it is chained.
struct AuditRecord {
  std::string actor;
  std::string action;
  std::string entity;
  std::string entity_id;
  nlohmann::json data = nlohmann::json::object();
  TimePoint occurred_at;
};

// The 64 zeros the first row of the chain points back to.
inline const std::string kAuditGenesisHash(64, '0');

// The canonical text of a row: JSON with sorted keys and no spaces, of
// {action, actor, data, entity, entity_id, occurred_at} (occurred_at in storage/timestamps form).
std::string canonical_audit_json(const AuditRecord& record);
// sha256_hex(prev_hash + canonical_audit_json(record)).
std::string audit_hash(const std::string& prev_hash, const AuditRecord& record);

// Appends to the audit_log hash chain inside the caller's open transaction, so the row commits or
// rolls back with the change it records. Appenders are serialised so the chain stays single:
// SQLite write transactions already are (BEGIN IMMEDIATE); on PostgreSQL a table lock is taken
// (audit rows come from admin actions, so the wait is short). SOCI errors propagate to the
// caller's Database::transaction, which rolls back and reports kDatabase.
void append_audit(soci::session& sql, Backend backend, const AuditRecord& record);

}  // namespace rifa::storage
