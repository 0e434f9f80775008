#pragma once

#include <cstdint>
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
  // The client address of the request the entry was written for (migration 0028); empty when it
  // was not written for a request. append_audit takes the current request's when this is empty.
  std::string client_address;
};

// The 64 zeros the first row of the chain points back to.
inline const std::string kAuditGenesisHash(64, '0');

// The canonical text of a row: JSON with sorted keys and no spaces, of
// {action, actor, [client_address,] data, entity, entity_id, occurred_at} (occurred_at in
// storage/timestamps form). client_address is there only when the row has one: rows without one
// (all those written before migration 0028) hash as they always did, so the chain still verifies,
// and an address set on a row is as tamper-evident as the rest of it.
std::string canonical_audit_json(const AuditRecord& record);
// As canonical_audit_json with the row's place in the chain added: {..., "occurred_at", "seq"}.
std::string canonical_sealed_audit_json(const AuditRecord& record, int64_t seq);
// sha256_hex(prev_hash + canonical_audit_json(record)): the hash of rows chained at insert, before
// migration 0011 (their seq was given by the migration and is not covered).
std::string audit_hash(const std::string& prev_hash, const AuditRecord& record);
// sha256_hex(prev_hash + canonical_sealed_audit_json(record, seq)): the hash the sealer gives every
// row (storage/repositories/audit_sealer.hpp), so that moving a row to another seq is detected.
std::string sealed_audit_hash(const std::string& prev_hash, const AuditRecord& record, int64_t seq);

// Appends one row to audit_log inside the caller's open transaction, so the row commits or rolls
// back with the change it records. The row is inserted unsealed (seq, prev_hash, hash NULL): no
// table lock, no read of the last row, so writers never wait for one another here. The audit
// sealer chains committed rows afterwards, within audit.seal_interval_ms. `backend` is unused
// (kept so every caller's signature stays). The row's client_address is the record's, else the
// current request's (common/log_context.hpp), else NULL. SOCI errors propagate to the caller's
// Database::transaction, which rolls back and reports kDatabase.
void append_audit(soci::session& sql, Backend backend, const AuditRecord& record);

}  // namespace rifa::storage
