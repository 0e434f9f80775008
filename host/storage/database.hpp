#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include <soci/soci.h>

#include "common/result.hpp"
#include "storage/database_url.hpp"

namespace rifa::storage {

class Database;

// One pooled session, given back to the pool when the lease ends. Move-only; must not outlive
// its Database. A session is used by one thread at a time.
class SessionLease {
 public:
  SessionLease(SessionLease&& other) noexcept;
  SessionLease& operator=(SessionLease&&) = delete;
  SessionLease(const SessionLease&) = delete;
  SessionLease& operator=(const SessionLease&) = delete;
  ~SessionLease();

  soci::session& session() { return *session_; }
  soci::session& operator*() { return *session_; }
  soci::session* operator->() { return session_; }

 private:
  friend class Database;
  SessionLease(soci::connection_pool* pool, std::size_t position, soci::session* session)
      : pool_(pool), position_(position), session_(session) {}

  soci::connection_pool* pool_;
  std::size_t position_;
  soci::session* session_;
};

// kWrite takes SQLite's write lock up front (BEGIN IMMEDIATE): a deferred transaction that reads
// and then writes fails with SQLITE_BUSY when another writer got there first, while an immediate
// one waits its turn (busy_timeout). PostgreSQL uses a plain BEGIN for both.
enum class TransactionMode { kWrite, kRead };

// A pool of SOCI sessions on one database. Thread-safe. The backend libraries are loaded at run
// time from the connect string, so only soci_core is linked.
class Database {
 public:
  // Opens pool_size sessions (1 for sqlite3://:memory:, where every session would otherwise see
  // its own empty database). Fails with kDatabase naming the redacted URL.
  static Result<std::unique_ptr<Database>> open(const DatabaseUrl& url, std::size_t pool_size);

  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Backend backend() const { return url_.backend; }
  const char* backend_name() const { return storage::backend_name(url_.backend); }
  const std::string& display_url() const { return url_.display; }
  std::size_t pool_size() const { return pool_size_; }

  // Waits until a session is free. A session found disconnected is reconnected first.
  SessionLease lease();
  // As lease(), but gives up after timeout with kUnavailable.
  Result<SessionLease> try_lease(std::chrono::milliseconds timeout);

  // Round trip of SELECT 1; the latency in milliseconds or why it failed.
  Result<double> ping(std::chrono::milliseconds lease_timeout = std::chrono::milliseconds(2000));

  // Runs one statement outside any explicit transaction (DDL in tests, maintenance).
  Result<void> execute(const std::string& sql);

  // Runs fn(soci::session&) between BEGIN and COMMIT. fn may return void, a value T, or a
  // Result<T>; the transaction returns Result<T>. It rolls back when fn returns an error Result or
  // throws. A soci::soci_error (from fn or from BEGIN/COMMIT) becomes kDatabase with SOCI's
  // message; any other exception is rethrown after the rollback, since it is a bug. fn must not
  // lease another session of this Database: with the pool exhausted that waits forever.
  template <typename Fn>
  auto transaction(Fn&& fn, TransactionMode mode = TransactionMode::kWrite);

  // How many kWrite transactions (and execute() calls) committed through this Database so far.
  // Caches of reads (engine::ReadThroughCache) compare it to know that this process wrote since.
  uint64_t write_generation() const { return write_generation_.load(std::memory_order_acquire); }

 private:
  Database(DatabaseUrl url, std::size_t pool_size);
  void prepare_session(soci::session& session) const;
  void begin(soci::session& session, TransactionMode mode) const;
  static void commit(soci::session& session);
  static void rollback(soci::session& session) noexcept;
  SessionLease make_lease(std::size_t position);

  DatabaseUrl url_;
  std::size_t pool_size_;
  soci::connection_pool pool_;
  std::atomic<uint64_t> write_generation_{0};
  // Per pooled session: when make_lease last checked that it is connected (steady clock, ms).
  static constexpr std::chrono::milliseconds kAliveBypass{500};
  std::unique_ptr<std::atomic<int64_t>[]> last_checked_ms_;
};

// soci::soci_error → kDatabase; anything else → kInternal. `what` says what was being done.
Error database_error(const std::exception& e, const std::string& what = "");

namespace detail {
template <typename T>
struct IsResult : std::false_type {};
template <typename T>
struct IsResult<Result<T>> : std::true_type {};
template <typename R>
struct TransactionResult {
  using type = Result<R>;
};
template <typename T>
struct TransactionResult<Result<T>> {
  using type = Result<T>;
};
}  // namespace detail

template <typename Fn>
auto Database::transaction(Fn&& fn, TransactionMode mode) {
  using R = std::invoke_result_t<Fn&, soci::session&>;
  using Out = typename detail::TransactionResult<R>::type;
  SessionLease lease = this->lease();
  soci::session& session = lease.session();
  try {
    begin(session, mode);
  } catch (const std::exception& e) {
    return Out(database_error(e, "begin transaction"));
  }
  try {
    const auto committed = [&] {
      commit(session);
      if (mode == TransactionMode::kWrite) write_generation_.fetch_add(1, std::memory_order_acq_rel);
    };
    if constexpr (std::is_void_v<R>) {
      fn(session);
      committed();
      return Out();
    } else if constexpr (detail::IsResult<R>::value) {
      R result = fn(session);
      if (!result.ok()) {
        rollback(session);
        return result;
      }
      committed();
      return result;
    } else {
      R value = fn(session);
      committed();
      return Out(std::move(value));
    }
  } catch (const soci::soci_error& e) {
    rollback(session);
    return Out(database_error(e));
  } catch (...) {
    rollback(session);
    throw;
  }
}

}  // namespace rifa::storage
