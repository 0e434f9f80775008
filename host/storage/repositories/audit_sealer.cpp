#include "storage/repositories/audit_sealer.hpp"

#include <vector>

#include <nlohmann/json.hpp>

#include "storage/repositories/audit_writer.hpp"
#include "storage/timestamps.hpp"

namespace rifa::storage {
namespace {

struct PendingRow {
  long long id = 0;
  AuditRecord record;
};

struct Sealed {
  long long id;
  long long seq;
  std::string prev_hash;
  std::string hash;
};

// PostgreSQL: one UPDATE ... FROM (VALUES ...) per chunk instead of one round trip per row. Every
// spliced value is an integer or a hex digest this function's caller computed.
// Both return how many rows were chained: fewer than asked means another sealer (one that did not
// take the lock) chained some meanwhile, and the caller rolls the round back.
long long write_seals_postgresql(soci::session& sql, const std::vector<Sealed>& seals) {
  long long affected = 0;
  constexpr size_t kChunk = 500;
  for (size_t begin = 0; begin < seals.size(); begin += kChunk) {
    const size_t end = std::min(seals.size(), begin + kChunk);
    std::string values;
    for (size_t i = begin; i < end; ++i) {
      const auto& s = seals[i];
      values += (i == begin ? "(" : ", (") + std::to_string(s.id) + "::bigint, " + std::to_string(s.seq) +
                "::bigint, '" + s.prev_hash + "'::text, '" + s.hash + "'::text)";
    }
    soci::statement st =
        (sql.prepare << "UPDATE audit_log AS a SET seq = v.seq, prev_hash = v.prev_hash, "
                        "hash = v.hash, sealed_at = now() FROM (VALUES " +
                            values + ") AS v (id, seq, prev_hash, hash) WHERE a.id = v.id AND a.seq IS NULL");
    st.execute(true);
    affected += st.get_affected_rows();
  }
  return affected;
}

long long write_seals_sqlite(soci::session& sql, const std::vector<Sealed>& seals) {
  long long affected = 0;
  const std::string sealed_at = format_timestamp(std::chrono::system_clock::now());
  long long id = 0, seq = 0;
  std::string prev_hash, hash;
  soci::statement st = (sql.prepare << "UPDATE audit_log SET seq = :seq, prev_hash = :prev_hash, hash = :hash, "
                                       "sealed_at = :sealed_at WHERE id = :id AND seq IS NULL",
                        soci::use(seq), soci::use(prev_hash), soci::use(hash), soci::use(sealed_at), soci::use(id));
  for (const auto& s : seals) {
    id = s.id;
    seq = s.seq;
    prev_hash = s.prev_hash;
    hash = s.hash;
    st.execute(true);
    affected += st.get_affected_rows();
  }
  return affected;
}

// One transaction: the head, up to `batch` committed unsealed rows in id order, their seals.
Result<SealOutcome> seal_batch(Database& db, int64_t batch) {
  const bool pg = db.backend() == Backend::kPostgresql;
  return db.transaction(
      [&](soci::session& sql) -> Result<SealOutcome> {
        SealOutcome out;
        if (pg) {
          int got = 0;
          sql << "SELECT CASE WHEN pg_try_advisory_xact_lock(" + std::to_string(kAuditSealLockKey) +
                     ") THEN 1 ELSE 0 END",
              soci::into(got);
          if (got != 1) {
            out.lock_busy = true;
            return out;
          }
        }
        long long head_seq = 0;
        std::string head_hash;
        soci::indicator head_ind = soci::i_null;
        sql << "SELECT seq, hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1", soci::into(head_seq),
            soci::into(head_hash, head_ind);
        if (!sql.got_data() || head_ind != soci::i_ok) {
          head_seq = 0;
          head_hash = kAuditGenesisHash;
        }

        // Under READ COMMITTED (PostgreSQL) this sees only committed rows; SQLite's writer sees all
        // committed rows and no other writer is open.
        std::vector<PendingRow> rows;
        {
          long long id = 0;
          std::string occurred_at, actor, action, entity, entity_id, data, client;
          soci::indicator entity_id_ind = soci::i_ok, client_ind = soci::i_ok;
          soci::statement st =
              (sql.prepare << std::string("SELECT id, occurred_at, actor, action, entity, entity_id, ") +
                                  (pg ? "data::text" : "data") +
                                  ", client_address FROM audit_log WHERE seq IS NULL ORDER BY id LIMIT " +
                                  std::to_string(batch),
               soci::into(id), soci::into(occurred_at), soci::into(actor), soci::into(action), soci::into(entity),
               soci::into(entity_id, entity_id_ind), soci::into(data), soci::into(client, client_ind));
          st.execute();
          while (st.fetch()) {
            auto at = parse_timestamp(occurred_at);
            if (!at) {
              return make_error(ErrorCode::kDatabase, "audit_log entry " + std::to_string(id) + ": occurred_at '" +
                                                          occurred_at + "' is not a timestamp; not sealed");
            }
            nlohmann::json parsed = nlohmann::json::parse(data, nullptr, false);
            if (parsed.is_discarded()) {
              return make_error(ErrorCode::kDatabase,
                                "audit_log entry " + std::to_string(id) + ": data is not JSON; not sealed");
            }
            rows.push_back({id, AuditRecord{actor, action, entity, entity_id_ind == soci::i_ok ? entity_id : "",
                                            std::move(parsed), *at, client_ind == soci::i_ok ? client : ""}});
            entity_id_ind = client_ind = soci::i_ok;
          }
        }

        std::vector<Sealed> seals;
        seals.reserve(rows.size());
        for (const auto& row : rows) {
          ++head_seq;
          std::string hash = sealed_audit_hash(head_hash, row.record, head_seq);
          seals.push_back({row.id, head_seq, head_hash, hash});
          head_hash = std::move(hash);
        }
        const long long chained = pg ? write_seals_postgresql(sql, seals) : write_seals_sqlite(sql, seals);
        if (chained != static_cast<long long>(seals.size())) {
          return make_error(ErrorCode::kDatabase,
                            "audit sealing: " + std::to_string(static_cast<long long>(seals.size()) - chained) +
                                " of " + std::to_string(seals.size()) +
                                " entries were sealed by someone else meanwhile; round rolled back");
        }
        out.sealed = static_cast<int64_t>(seals.size());
        out.head_seq = head_seq;
        return out;
        // Sealing changes no row a read cache holds: kBookkeeping keeps GET /rifas/{id} cached while
        // the sealer runs every interval (kWrite would drop every cache twice a second).
      },
      TransactionMode::kBookkeeping);
}

}  // namespace

Result<SealOutcome> seal_pending_audit(Database& db, int64_t batch) {
  if (batch < 1) batch = 1;
  SealOutcome total;
  for (;;) {
    auto round = seal_batch(db, batch);
    if (!round) return round.error();
    if (round->lock_busy) {
      total.lock_busy = total.sealed == 0;
      return total;
    }
    total.sealed += round->sealed;
    total.head_seq = round->head_seq;
    if (round->sealed < batch) return total;
  }
}

Result<PendingAudit> pending_audit(Database& db) {
  const bool pg = db.backend() == Backend::kPostgresql;
  return db.transaction(
      [&](soci::session& sql) {
        PendingAudit out;
        long long count = 0;
        double age = 0;
        sql << (pg ? "SELECT count(*), COALESCE(EXTRACT(EPOCH FROM (clock_timestamp() - min(inserted_at))), 0)::float8 "
                     "FROM audit_log WHERE seq IS NULL"
                   : "SELECT count(*), COALESCE((julianday('now') - julianday(min(inserted_at))) * 86400.0, 0.0) "
                     "FROM audit_log WHERE seq IS NULL"),
            soci::into(count), soci::into(age);
        out.count = count;
        out.oldest_age_s = count > 0 ? std::max(0.0, age) : 0.0;
        return out;
      },
      TransactionMode::kRead);
}

AuditSealerLoop::AuditSealerLoop(Database& db, Options options) : db_(db), options_(std::move(options)) {}

AuditSealerLoop::~AuditSealerLoop() { stop(); }

void AuditSealerLoop::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  // The first round on the caller's thread: when start() returns, what a host that died left is
  // sealed (or the error was reported), before the caller serves and writes anything new.
  seal_once();
  thread_ = std::thread([this] { run(); });
}

void AuditSealerLoop::seal_once() {
  try {
    auto round = seal_pending_audit(db_);
    if (!round) {
      if (options_.on_error) options_.on_error(round.error().message);
    } else if (round->sealed > 0 && options_.on_sealed) {
      options_.on_sealed(*round);
    }
  } catch (const std::exception& e) {
    if (options_.on_error) options_.on_error(e.what());
  }
}

void AuditSealerLoop::stop() {
  {
    std::lock_guard lock(mutex_);
    if (!thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void AuditSealerLoop::run() {
  for (;;) {  // start() sealed once already: wait first
    bool last = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, options_.interval, [this] { return stopping_; });
      last = stopping_;
    }
    seal_once();
    if (last) return;
  }
}

}  // namespace rifa::storage
