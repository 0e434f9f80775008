#include "storage/repositories/sql_audit_log_repository.hpp"

#include "storage/one_time_statement.hpp"
#include "storage/repositories/audit_sealer.hpp"
#include "storage/repositories/audit_writer.hpp"
#include "storage/repositories/sql_support.hpp"

namespace rifa::storage {

Result<engine::Page<engine::AuditLogEntry>> SqlAuditLogRepository::list(const engine::AuditLogFilter& filter,
                                                                        const engine::PageRequest& page) {
  const bool pg = db_.backend() == Backend::kPostgresql;
  return db_.transaction(
      [&](soci::session& sql) {
        // Only the conditions asked for are in the SQL; values are always bound, never spliced.
        std::string where;
        std::vector<std::string> values;
        const auto add = [&](const char* condition, const std::optional<std::string>& value) {
          if (!value) return;
          where += (where.empty() ? " WHERE " : " AND ") + std::string(condition);
          values.push_back(*value);
        };
        add("entity = :entity", filter.entity);
        add("entity_id = :entity_id", filter.entity_id);
        add("action = :action", filter.action);
        add("actor = :actor", filter.actor);

        engine::Page<engine::AuditLogEntry> out;
        out.page = page.page;
        out.per_page = page.per_page;
        out.total = count_rows(sql, "audit_log" + where, values);

        long long id = 0, seq = 0;
        std::string occurred_at, actor, action, entity, entity_id, data, prev_hash, hash, sealed_at, client;
        soci::indicator entity_id_ind = soci::i_ok, prev_ind = soci::i_ok, hash_ind = soci::i_ok, seq_ind = soci::i_ok,
                        sealed_ind = soci::i_ok, client_ind = soci::i_ok;
        soci::statement st(sql);
        st.exchange(soci::into(id));
        st.exchange(soci::into(occurred_at));
        st.exchange(soci::into(actor));
        st.exchange(soci::into(action));
        st.exchange(soci::into(entity));
        st.exchange(soci::into(entity_id, entity_id_ind));
        st.exchange(soci::into(data));
        st.exchange(soci::into(prev_hash, prev_ind));
        st.exchange(soci::into(hash, hash_ind));
        st.exchange(soci::into(seq, seq_ind));
        st.exchange(soci::into(sealed_at, sealed_ind));
        st.exchange(soci::into(client, client_ind));
        for (const auto& v : values) st.exchange(soci::use(v));
        st.alloc();
        st.prepare(std::string("SELECT id, occurred_at, actor, action, entity, entity_id, ") +
                   (pg ? "data::text" : "data") + ", prev_hash, hash, seq, sealed_at, client_address FROM audit_log" +
                   where + " ORDER BY id DESC" + limit_clause(page.per_page, page.offset()));
        st.define_and_bind();
        for_each_row(st, [&] {
          engine::AuditLogEntry e;
          e.id = id;
          e.occurred_at = read_timestamp(occurred_at);
          e.actor = actor;
          e.action = action;
          e.entity = entity;
          e.entity_id = entity_id_ind == soci::i_ok ? entity_id : "";
          e.data = nlohmann::json::parse(data, nullptr, false);
          if (client_ind == soci::i_ok) e.client_address = client;
          if (seq_ind == soci::i_ok) {
            e.seq = seq;
            e.prev_hash = prev_ind == soci::i_ok ? prev_hash : "";
            e.hash = hash_ind == soci::i_ok ? hash : "";
            if (sealed_ind == soci::i_ok) e.sealed_at = read_timestamp(sealed_at);
          }
          out.items.push_back(std::move(e));
          entity_id_ind = prev_ind = hash_ind = seq_ind = sealed_ind = client_ind = soci::i_ok;
        });
        return out;
      },
      TransactionMode::kRead);
}

Result<engine::AuditChainStatus> SqlAuditLogRepository::chain_status() {
  auto head = db_.transaction(
      [&](soci::session& sql) {
        engine::AuditChainStatus out;
        out.head_hash = kAuditGenesisHash;
        long long seq = 0;
        std::string hash;
        soci::indicator hash_ind = soci::i_null;
        sql << "SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1", soci::into(seq),
            soci::into(hash, hash_ind);
        if (sql.got_data() && hash_ind == soci::i_ok) {
          out.head_seq = seq;
          out.head_hash = hash;
        }
        return out;
      },
      TransactionMode::kRead);
  if (!head) return head;
  auto pending = pending_audit(db_);
  if (!pending) return pending.error();
  head->pending = pending->count;
  head->oldest_pending_age_s = pending->oldest_age_s;
  return head;
}

}  // namespace rifa::storage
