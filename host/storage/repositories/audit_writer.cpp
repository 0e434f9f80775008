#include "storage/repositories/audit_writer.hpp"

#include "common/log_context.hpp"
#include "storage/sha256.hpp"

namespace rifa::storage {

namespace {

nlohmann::json canonical_row(const AuditRecord& r) {
  // nlohmann::json objects are std::map-backed: keys come out sorted, which makes dump() canonical.
  nlohmann::json row = {{"action", r.action},       {"actor", r.actor},
                        {"data", r.data},           {"entity", r.entity},
                        {"entity_id", r.entity_id}, {"occurred_at", format_timestamp(r.occurred_at)}};
  if (!r.client_address.empty()) row["client_address"] = r.client_address;
  return row;
}

}  // namespace

std::string canonical_audit_json(const AuditRecord& r) { return canonical_row(r).dump(); }

std::string canonical_sealed_audit_json(const AuditRecord& r, int64_t seq) {
  nlohmann::json row = canonical_row(r);
  row["seq"] = seq;
  return row.dump();
}

std::string audit_hash(const std::string& prev_hash, const AuditRecord& record) {
  return sha256_hex(prev_hash + canonical_audit_json(record));
}

std::string sealed_audit_hash(const std::string& prev_hash, const AuditRecord& record, int64_t seq) {
  return sha256_hex(prev_hash + canonical_sealed_audit_json(record, seq));
}

void append_audit(soci::session& sql, Backend /*backend*/, const AuditRecord& record) {
  const std::string occurred_at = format_timestamp(record.occurred_at);
  const std::string data = record.data.dump();
  const std::string& client = record.client_address.empty() ? current_request_client_address() : record.client_address;
  soci::indicator client_ind = client.empty() ? soci::i_null : soci::i_ok;
  sql << "INSERT INTO audit_log (occurred_at, actor, action, entity, entity_id, data, client_address) "
         "VALUES (:occurred_at, :actor, :action, :entity, :entity_id, :data, :client_address)",
      soci::use(occurred_at), soci::use(record.actor), soci::use(record.action), soci::use(record.entity),
      soci::use(record.entity_id), soci::use(data), soci::use(client, client_ind);
}

}  // namespace rifa::storage
