#include "storage/database.hpp"

#include <filesystem>

namespace rifa::storage {
namespace {

// Long enough to ride out another writer's transaction, short enough that a stuck writer surfaces
// as an error instead of a hung request.
constexpr int kSqliteBusyTimeoutMs = 5000;

}  // namespace

Error database_error(const std::exception& e, const std::string& what) {
  const bool from_soci = dynamic_cast<const soci::soci_error*>(&e) != nullptr;
  std::string message = e.what();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (!what.empty()) message = what + ": " + message;
  return make_error(from_soci ? ErrorCode::kDatabase : ErrorCode::kInternal, std::move(message));
}

SessionLease::SessionLease(SessionLease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)), position_(other.position_), session_(other.session_) {}

SessionLease::~SessionLease() {
  if (pool_) pool_->give_back(position_);
}

Database::Database(DatabaseUrl url, std::size_t pool_size)
    : url_(std::move(url)),
      pool_size_(pool_size),
      pool_(pool_size),
      last_checked_ms_(std::make_unique<std::atomic<int64_t>[]>(pool_size)) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::open(const DatabaseUrl& url, std::size_t pool_size) {
  if (pool_size == 0) {
    return make_error(ErrorCode::kInvalidArgument, "database " + url.display + ": pool size must be at least 1");
  }
  if (url.backend == Backend::kSqlite && url.sqlite_in_memory) pool_size = 1;
  if (url.backend == Backend::kSqlite && !url.sqlite_file.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(url.sqlite_file.parent_path(), ec);
    if (ec) {
      return make_error(ErrorCode::kDatabase, "database " + url.display + ": cannot create folder " +
                                                  url.sqlite_file.parent_path().string() + ": " + ec.message());
    }
  }
  std::unique_ptr<Database> db(new Database(url, pool_size));
  for (std::size_t i = 0; i < pool_size; ++i) {
    try {
      soci::session& session = db->pool_.at(i);
      session.open(url.connect_string);
      db->prepare_session(session);
    } catch (const std::exception& e) {
      return database_error(e, "database " + url.display);
    }
  }
  return db;
}

void Database::prepare_session(soci::session& session) const {
  if (url_.backend == Backend::kSqlite) {
    session << "PRAGMA foreign_keys = ON";
    session << "PRAGMA busy_timeout = " + std::to_string(kSqliteBusyTimeoutMs);
    // WAL lets readers run beside the one writer; an in-memory database has no journal file.
    if (!url_.sqlite_in_memory) {
      std::string mode;
      session << "PRAGMA journal_mode = WAL", soci::into(mode);
    }
  } else {
    // Timestamps come back as text in UTC whatever the server's default zone is.
    session << "SET TIME ZONE 'UTC'";
    // libpq prints NOTICEs (e.g. "already exists, skipping") straight to stderr, which would break
    // the host's one-JSON-object-per-line logs.
    session << "SET client_min_messages = warning";
  }
}

SessionLease Database::make_lease(std::size_t position) {
  SessionLease lease(&pool_, position, &pool_.at(position));
  soci::session& session = lease.session();
  // is_connected() costs a round trip on PostgreSQL; a session checked less than kAliveBypass ago
  // is taken as alive, as HikariCP's aliveBypassWindowMs does. A busy session then pays for the
  // check at most twice a second instead of on every transaction, and one found dead after a
  // server restart is still reconnected.
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::steady_clock::now().time_since_epoch())
                             .count();
  auto& last_checked = last_checked_ms_[position];
  if (now_ms - last_checked.load(std::memory_order_relaxed) < kAliveBypass.count()) return lease;
  last_checked.store(now_ms, std::memory_order_relaxed);
  if (!session.is_connected()) {
    // A PostgreSQL restart leaves pooled connections dead; one reconnect attempt per lease. If it
    // fails, the next statement reports the error.
    try {
      session.reconnect();
      prepare_session(session);
    } catch (const soci::soci_error&) {
      last_checked.store(0, std::memory_order_relaxed);  // check again on the next lease
    }
  }
  return lease;
}

SessionLease Database::lease() { return make_lease(pool_.lease()); }

Result<SessionLease> Database::try_lease(std::chrono::milliseconds timeout) {
  std::size_t position = 0;
  if (!pool_.try_lease(position, static_cast<int>(timeout.count()))) {
    return make_error(ErrorCode::kUnavailable, "database " + url_.display + ": no free session within " +
                                                   std::to_string(timeout.count()) + " ms");
  }
  return make_lease(position);
}

Result<double> Database::ping(std::chrono::milliseconds lease_timeout) {
  auto lease = try_lease(lease_timeout);
  if (!lease) return lease.error();
  const auto start = std::chrono::steady_clock::now();
  try {
    int one = 0;
    lease->session() << "SELECT 1", soci::into(one);
    if (one != 1) return make_error(ErrorCode::kDatabase, "SELECT 1 returned " + std::to_string(one));
  } catch (const std::exception& e) {
    return database_error(e, "ping");
  }
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

Result<void> Database::execute(const std::string& sql) {
  auto session = lease();
  try {
    session.session() << sql;
  } catch (const std::exception& e) {
    return database_error(e);
  }
  write_generation_.fetch_add(1, std::memory_order_acq_rel);
  return {};
}

void Database::begin(soci::session& session, TransactionMode mode) const {
  if (url_.backend == Backend::kSqlite && mode == TransactionMode::kWrite) {
    session << "BEGIN IMMEDIATE";
  } else {
    session << "BEGIN";
  }
}

void Database::commit(soci::session& session) { session << "COMMIT"; }

void Database::rollback(soci::session& session) noexcept {
  try {
    session << "ROLLBACK";
  } catch (...) {
    // Nothing was open (a failed COMMIT on PostgreSQL already ended it) or the connection is gone;
    // either way no transaction is left behind on this session.
  }
}

}  // namespace rifa::storage
