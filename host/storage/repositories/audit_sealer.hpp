#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "common/result.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// The audit log's one sequencer. append_audit (audit_writer.hpp) inserts rows unsealed; sealing
// chains the committed ones, in id order, after the current head: each gets the next seq,
// prev_hash = the head's hash and hash = sealed_audit_hash(prev_hash, row, seq). Ids commit out of
// order (a row with a lower id may commit after a higher one was sealed): a round seals what is
// committed when it looks, and a later round picks up late commits after the head, so the chain's
// order is seq, never id.
//
// Exactly one sealer works at a time: on PostgreSQL each round runs under a transaction-scoped
// advisory lock taken with pg_try_advisory_xact_lock (a host that does not get it skips the round,
// another host is sealing); on SQLite the write transaction (BEGIN IMMEDIATE) already serialises.
// UNIQUE (seq) and UNIQUE (prev_hash) would refuse a second chain even without the lock.

// The advisory lock key the sealer takes on PostgreSQL ("AUDT").
inline constexpr long long kAuditSealLockKey = 0x41554454;

struct SealOutcome {
  int64_t sealed = 0;      // rows chained by this call
  bool lock_busy = false;  // PostgreSQL: another sealer held the lock, nothing was done
  int64_t head_seq = 0;    // the last seq of the chain after this call (0 = empty chain)
};

// Seals every row committed and unsealed when it looks, in transactions of at most `batch` rows
// (each commits on its own, so a crash loses at most the batch in hand, which the next round
// seals again). Used by the sealer loop, `rifa-host audit seal`, and tests that want the log
// sealed now.
Result<SealOutcome> seal_pending_audit(Database& db, int64_t batch = 2000);

// How many rows wait to be sealed and how long the oldest has waited (by the database's clock,
// from its inserted_at). One indexed read; used by `audit verify`, GET /admin/audit and the health
// check.
struct PendingAudit {
  int64_t count = 0;
  double oldest_age_s = 0;  // 0 when count is 0
};
Result<PendingAudit> pending_audit(Database& db);

// A thread that calls seal_pending_audit every `interval`, and once more when stopped. start() seals
// once on the caller's thread first: what a host that died left unsealed is sealed when it returns. stop() wakes it and joins. Errors are handed to `on_error` and the
// loop goes on at the next interval. `on_sealed` (may be empty) hears each round that sealed rows.
class AuditSealerLoop {
 public:
  struct Options {
    std::chrono::milliseconds interval{500};
    std::function<void(const std::string&)> on_error;
    std::function<void(const SealOutcome&)> on_sealed;
  };
  AuditSealerLoop(Database& db, Options options);
  ~AuditSealerLoop();
  AuditSealerLoop(const AuditSealerLoop&) = delete;
  AuditSealerLoop& operator=(const AuditSealerLoop&) = delete;

  void start();
  // Stops after the round in hand (one last round seals what committed before stop). Idempotent.
  void stop();

 private:
  void seal_once();
  void run();

  Database& db_;
  Options options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace rifa::storage
