#include "storage/repositories/audit_writer.hpp"

#include "storage/sha256.hpp"

namespace rifa::storage {

std::string canonical_audit_json(const AuditRecord& r) {
  // nlohmann::json objects are std::map-backed: keys come out sorted, which makes dump() canonical.
  const nlohmann::json row = {{"action", r.action},       {"actor", r.actor},
                              {"data", r.data},           {"entity", r.entity},
                              {"entity_id", r.entity_id}, {"occurred_at", format_timestamp(r.occurred_at)}};
  return row.dump();
}

std::string audit_hash(const std::string& prev_hash, const AuditRecord& record) {
  return sha256_hex(prev_hash + canonical_audit_json(record));
}

void append_audit(soci::session& sql, Backend backend, const AuditRecord& record) {
  if (backend == Backend::kPostgresql) sql << "LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE";
  std::string prev_hash;
  soci::indicator ind = soci::i_null;
  sql << "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", soci::into(prev_hash, ind);
  if (!sql.got_data() || ind != soci::i_ok) prev_hash = kAuditGenesisHash;
  const std::string hash = audit_hash(prev_hash, record);
  const std::string occurred_at = format_timestamp(record.occurred_at);
  const std::string data = record.data.dump();
  sql << "INSERT INTO audit_log (occurred_at, actor, action, entity, entity_id, data, prev_hash, hash) "
         "VALUES (:occurred_at, :actor, :action, :entity, :entity_id, :data, :prev_hash, :hash)",
      soci::use(occurred_at), soci::use(record.actor), soci::use(record.action), soci::use(record.entity),
      soci::use(record.entity_id), soci::use(data), soci::use(prev_hash), soci::use(hash);
}

}  // namespace rifa::storage
