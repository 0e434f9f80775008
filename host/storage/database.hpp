#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <soci/soci.h>

#include "common/result.hpp"
#include "storage/database_url.hpp"

namespace rifa::storage {

class Database;

// A text value of a cached statement: a parameter or a column; std::nullopt is NULL.
using SqlText = std::optional<std::string>;

// Statements prepared once per pooled session and kept for the session's life: on PostgreSQL one
// PREPARE per session and statement text, then only EXECUTEs (a one-time statement is parsed and
// planned on every run); on SQLite compiled once. For the hot paths (the purchase).
//
// Parameters and columns travel as text, in order of appearance: write a CAST where the server
// cannot infer a parameter's type, and give every placeholder its own name (SQLite binds equal
// names to one parameter). A statement's rows are always read to the end, so that no SQLite
// statement stays active across a COMMIT. Used only by the thread that holds the session's lease.
class StatementCache {
 public:
  StatementCache(soci::session& session, bool postgresql) : session_(session), postgresql_(postgresql) {}
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  // Every row of `sql`, `columns` columns each.
  std::vector<std::vector<SqlText>> query(const std::string& sql, const std::vector<SqlText>& params,
                                          std::size_t columns);
  // A statement without result rows; the number of rows it changed.
  long long execute(const std::string& sql, const std::vector<SqlText>& params);
  // Forgets every statement. On PostgreSQL after a reconnect: they are not deallocated (the server
  // forgot them with the old connection, and a DEALLOCATE sent from a destructor could only fail).
  void abandon(bool connection_lost);
  std::size_t size() const { return entries_.size(); }

 private:
  struct Entry;
  Entry& entry(const std::string& sql, std::size_t params, std::size_t columns);

  soci::session& session_;
  bool postgresql_;
  std::unordered_map<std::string, Entry*> entries_;
};

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
// one waits its turn (busy_timeout). On PostgreSQL kWrite is a plain BEGIN, and kRead sends no
// BEGIN/COMMIT at all: under READ COMMITTED (the only level the host uses) every statement takes
// its own snapshot whether or not a transaction is open, so wrapping reads only cost two round
// trips. A kRead fn must not lock rows or take transaction-scoped locks (it never did).
// kWrite: bumps write_generation() on commit, so read caches (engine::ReadThroughCache) drop what
// they hold. kBookkeeping: a write that changes nothing such a cache holds (the audit sealer
// chaining rows every interval), so reads stay cached while it runs. kRead: no writes.
enum class TransactionMode { kWrite, kRead, kBookkeeping };

// A write transaction held open across calls, for a caller that decides between its statements
// (the purchase: the engine reads facts, decides, then asks for the writes). Rolled back when it
// ends uncommitted. Move-only; one thread at a time; must not outlive its Database.
class OpenTransaction {
 public:
  OpenTransaction(OpenTransaction&& other) noexcept
      : db_(other.db_), lease_(std::move(other.lease_)), open_(std::exchange(other.open_, false)) {}
  OpenTransaction& operator=(OpenTransaction&&) = delete;
  ~OpenTransaction();

  soci::session& session() { return lease_.session(); }
  StatementCache& statements();
  Database& database() { return *db_; }
  // COMMIT; a failure (kDatabase) leaves nothing written. After it the transaction is over.
  Result<void> commit();
  // ROLLBACK (also what the destructor does when neither was called).
  void rollback() noexcept;

 private:
  friend class Database;
  OpenTransaction(Database& db, SessionLease lease) : db_(&db), lease_(std::move(lease)) {}

  Database* db_;
  SessionLease lease_;
  bool open_ = true;
};

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
  // The parsed URL, connect string included (it holds the password: never log it).
  const DatabaseUrl& url() const { return url_; }
  std::size_t pool_size() const { return pool_size_; }

  // Waits until a session is free. A session found disconnected is reconnected first.
  SessionLease lease();
  // As lease(), but gives up after timeout with kUnavailable.
  Result<SessionLease> try_lease(std::chrono::milliseconds timeout);

  // The prepared statements of `session`, which must be one of this pool's (the session a
  // transaction's fn was given).
  StatementCache& statements(soci::session& session);

  // Round trip of SELECT 1; the latency in milliseconds or why it failed.
  Result<double> ping(std::chrono::milliseconds lease_timeout = std::chrono::milliseconds(2000));

  // Runs fn on every pooled session, each leased while it runs (all at once: waits for busy ones).
  // For per-connection setup made after the migrations (the SQLite live feed's capture).
  void for_each_session(const std::function<void(soci::session&)>& fn);

  // Runs one statement outside any explicit transaction (DDL in tests, maintenance).
  Result<void> execute(const std::string& sql);

  // Runs fn(soci::session&) between BEGIN and COMMIT. fn may return void, a value T, or a
  // Result<T>; the transaction returns Result<T>. It rolls back when fn returns an error Result or
  // throws. A soci::soci_error (from fn or from BEGIN/COMMIT) becomes kDatabase with SOCI's
  // message; any other exception is rethrown after the rollback, since it is a bug. fn must not
  // lease another session of this Database: with the pool exhausted that waits forever.
  template <typename Fn>
  auto transaction(Fn&& fn, TransactionMode mode = TransactionMode::kWrite);

  // BEGIN (kWrite) on a leased session, kept open until the handle commits or ends.
  Result<OpenTransaction> begin_transaction();

  // How many kWrite transactions (and execute() calls) committed through this Database so far.
  // Caches of reads (engine::ReadThroughCache) compare it to know that this process wrote since.
  uint64_t write_generation() const { return write_generation_.load(std::memory_order_acquire); }

 private:
  friend class OpenTransaction;
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
  // Per pooled session, by position; declared after pool_ so they go before the sessions close.
  std::vector<std::unique_ptr<StatementCache>> statements_;
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
  const bool wrapped = mode != TransactionMode::kRead || url_.backend != Backend::kPostgresql;
  try {
    if (wrapped) begin(session, mode);
  } catch (const std::exception& e) { return Out(database_error(e, "begin transaction")); }
  const auto rollback = [&] {
    if (wrapped) Database::rollback(session);
  };
  try {
    const auto committed = [&] {
      if (wrapped) commit(session);
      if (mode == TransactionMode::kWrite) write_generation_.fetch_add(1, std::memory_order_acq_rel);
    };
    if constexpr (std::is_void_v<R>) {
      fn(session);
      committed();
      return Out();
    } else if constexpr (detail::IsResult<R>::value) {
      R result = fn(session);
      if (!result.ok()) {
        rollback();
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
    rollback();
    return Out(database_error(e));
  } catch (...) {
    rollback();
    throw;
  }
}

}  // namespace rifa::storage
