#include "storage/repositories/audit_chain_verifier.hpp"

#include <nlohmann/json.hpp>

#include "storage/repositories/audit_sealer.hpp"
#include "storage/repositories/audit_writer.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {

Result<AuditChainReport> verify_audit_chain(Database& db) {
  const bool pg = db.backend() == Backend::kPostgresql;
  // json and timestamptz come back as text in either backend's own form; the writer's canonical
  // form is rebuilt from them below.
  const std::string sql_text = std::string("SELECT id, occurred_at, actor, action, entity, entity_id, ") +
                               (pg ? "data::text" : "data") +
                               ", prev_hash, hash, seq, CASE WHEN sealed_at IS NULL THEN 0 ELSE 1 END, "
                               "client_address FROM audit_log WHERE seq IS NOT NULL ORDER BY seq";
  auto walked = db.transaction(
      [&](soci::session& sql) -> Result<AuditChainReport> {
        AuditChainReport report;
        report.head_hash = kAuditGenesisHash;
        long long id = 0, seq = 0;
        int by_sealer = 0;
        bool sealer_seen = false;
        std::string occurred_at, actor, action, entity, entity_id, data, prev_hash, hash, client;
        soci::indicator entity_id_ind = soci::i_ok, client_ind = soci::i_ok;
        soci::statement st =
            (sql.prepare << sql_text, soci::into(id), soci::into(occurred_at), soci::into(actor), soci::into(action),
             soci::into(entity), soci::into(entity_id, entity_id_ind), soci::into(data), soci::into(prev_hash),
             soci::into(hash), soci::into(seq), soci::into(by_sealer), soci::into(client, client_ind));
        st.execute();
        const auto broken = [&](const std::string& problem) {
          report.broken_entry_id = id;
          report.problem = problem;
          return report;
        };
        while (st.fetch()) {
          if (prev_hash != report.head_hash) {
            return broken(
                report.entries == 0
                    ? "prev_hash " + prev_hash + " is not the genesis hash: the entries before it were deleted"
                    : "prev_hash " + prev_hash + " does not match the previous entry's hash " + report.head_hash +
                          ": an entry before it was deleted, reordered or its hash edited");
          }
          if (seq != report.entries + 1) {
            return broken("seq " + std::to_string(seq) + " follows seq " + std::to_string(report.entries) +
                          ": an entry was deleted or its seq edited");
          }
          if (by_sealer == 0 && sealer_seen) {
            return broken("chained at insert (no sealed_at) after entries the sealer chained: the entry was edited");
          }
          sealer_seen = sealer_seen || by_sealer != 0;
          auto at = parse_timestamp(occurred_at);
          if (!at) return broken("occurred_at '" + occurred_at + "' is not a timestamp: the entry was edited");
          nlohmann::json parsed = nlohmann::json::parse(data, nullptr, false);
          if (parsed.is_discarded()) return broken("data is not JSON: the entry was edited");
          const AuditRecord record{actor,
                                   action,
                                   entity,
                                   entity_id_ind == soci::i_ok ? entity_id : "",
                                   parsed,
                                   *at,
                                   client_ind == soci::i_ok ? client : ""};
          const std::string expected =
              by_sealer != 0 ? sealed_audit_hash(prev_hash, record, seq) : audit_hash(prev_hash, record);
          if (expected != hash) {
            return broken("stored hash " + hash + " does not match its content (recomputed " + expected +
                          "): the entry was edited");
          }
          report.head_hash = hash;
          ++report.entries;
          entity_id_ind = client_ind = soci::i_ok;
        }
        return report;
      },
      TransactionMode::kRead);
  if (!walked) return walked;
  auto pending = pending_audit(db);
  if (!pending) return pending.error();
  walked->pending = pending->count;
  walked->oldest_pending_age_s = pending->oldest_age_s;
  return walked;
}

}  // namespace rifa::storage
