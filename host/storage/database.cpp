#include "storage/database.hpp"

#include <filesystem>

#include "storage/sqlite_busy_wait.hpp"

namespace rifa::storage {
namespace {

// Long enough to ride out another writer's transaction, short enough that a stuck writer surfaces
// as an error instead of a hung request.
constexpr int kSqliteBusyTimeoutMs = 5000;
// How often a session waiting for SQLite's write lock tries again (storage/sqlite_busy_wait.hpp).
constexpr std::chrono::microseconds kSqliteBusyStep{250};

}  // namespace

Error database_error(const std::exception& e, const std::string& what) {
  const bool from_soci = dynamic_cast<const soci::soci_error*>(&e) != nullptr;
  std::string message = e.what();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  if (!what.empty()) message = what + ": " + message;
  return make_error(from_soci ? ErrorCode::kDatabase : ErrorCode::kInternal, std::move(message));
}

struct StatementCache::Entry {
  std::vector<std::string> in;
  std::vector<soci::indicator> in_ind;
  std::vector<std::string> out;
  std::vector<soci::indicator> out_ind;
  soci::statement st;

  Entry(soci::session& session, const std::string& sql, std::size_t params, std::size_t columns)
      : in(params), in_ind(params, soci::i_ok), out(columns), out_ind(columns, soci::i_null), st(session) {
    for (std::size_t i = 0; i < params; ++i) st.exchange(soci::use(in[i], in_ind[i]));
    for (std::size_t i = 0; i < columns; ++i) st.exchange(soci::into(out[i], out_ind[i]));
    st.alloc();
    st.prepare(sql, soci::details::st_repeatable_query);
    st.define_and_bind();
  }

  void bind(const std::vector<SqlText>& params) {
    for (std::size_t i = 0; i < params.size(); ++i) {
      in_ind[i] = params[i] ? soci::i_ok : soci::i_null;
      in[i] = params[i] ? *params[i] : std::string();
    }
  }
};

StatementCache::~StatementCache() {
  // A PostgreSQL statement's destructor DEALLOCATEs it: only on a live connection.
  bool alive = true;
  if (postgresql_ && !entries_.empty()) {
    try {
      alive = session_.is_connected();
    } catch (...) { alive = false; }
  }
  abandon(!alive);
}

void StatementCache::abandon(bool connection_lost) {
  if (!(postgresql_ && connection_lost)) {
    for (auto& [sql, e] : entries_) delete e;
  }
  // else: deliberately leaked (a few hundred bytes each, once per lost connection).
  entries_.clear();
}

StatementCache::Entry& StatementCache::entry(const std::string& sql, std::size_t params, std::size_t columns) {
  auto it = entries_.find(sql);
  if (it != entries_.end()) {
    if (it->second->in.size() != params || it->second->out.size() != columns) {
      throw soci::soci_error("cached statement used with another shape: " + sql);
    }
    return *it->second;
  }
  auto* made = new Entry(session_, sql, params, columns);
  entries_.emplace(sql, made);
  return *made;
}

std::vector<std::vector<SqlText>> StatementCache::query(const std::string& sql, const std::vector<SqlText>& params,
                                                        std::size_t columns) {
  Entry& e = entry(sql, params.size(), columns);
  e.bind(params);
  std::vector<std::vector<SqlText>> rows;
  const auto take = [&] {
    std::vector<SqlText> row(columns);
    for (std::size_t i = 0; i < columns; ++i) {
      if (e.out_ind[i] == soci::i_ok) row[i] = e.out[i];
    }
    rows.push_back(std::move(row));
  };
  if (e.st.execute(true)) {
    take();
    while (e.st.fetch()) take();
  }
  return rows;
}

long long StatementCache::execute(const std::string& sql, const std::vector<SqlText>& params) {
  Entry& e = entry(sql, params.size(), 0);
  e.bind(params);
  e.st.execute(true);
  return e.st.get_affected_rows();
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
      last_checked_ms_(std::make_unique<std::atomic<int64_t>[]>(pool_size)) {
  statements_.reserve(pool_size);
  for (std::size_t i = 0; i < pool_size; ++i)
    statements_.push_back(std::make_unique<StatementCache>(pool_.at(i), url_.backend == Backend::kPostgresql));
}

StatementCache& Database::statements(soci::session& session) {
  for (std::size_t i = 0; i < pool_size_; ++i) {
    if (&pool_.at(i) == &session) return *statements_[i];
  }
  throw soci::soci_error("statements(): the session is not one of this database's pool");
}

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
    } catch (const std::exception& e) { return database_error(e, "database " + url.display); }
  }
  return db;
}

void Database::prepare_session(soci::session& session) const {
  if (url_.backend == Backend::kSqlite) {
    session << "PRAGMA foreign_keys = ON";
    install_sqlite_busy_wait(session, kSqliteBusyStep, std::chrono::milliseconds(kSqliteBusyTimeoutMs));
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
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
          .count();
  auto& last_checked = last_checked_ms_[position];
  if (now_ms - last_checked.load(std::memory_order_relaxed) < kAliveBypass.count()) return lease;
  last_checked.store(now_ms, std::memory_order_relaxed);
  if (!session.is_connected()) {
    // A PostgreSQL restart leaves pooled connections dead; one reconnect attempt per lease. If it
    // fails, the next statement reports the error.
    statements_[position]->abandon(true);  // prepared on the old connection
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
  } catch (const std::exception& e) { return database_error(e, "ping"); }
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

Result<void> Database::execute(const std::string& sql) {
  auto session = lease();
  try {
    session.session() << sql;
  } catch (const std::exception& e) { return database_error(e); }
  write_generation_.fetch_add(1, std::memory_order_acq_rel);
  return {};
}

Result<OpenTransaction> Database::begin_transaction() {
  SessionLease lease = this->lease();
  try {
    begin(lease.session(), TransactionMode::kWrite);
  } catch (const std::exception& e) { return database_error(e, "begin transaction"); }
  return OpenTransaction(*this, std::move(lease));
}

OpenTransaction::~OpenTransaction() { rollback(); }

void Database::for_each_session(const std::function<void(soci::session&)>& fn) {
  std::vector<SessionLease> leases;
  leases.reserve(pool_size_);
  for (std::size_t i = 0; i < pool_size_; ++i) leases.push_back(lease());
  for (auto& held : leases) fn(held.session());
}

StatementCache& OpenTransaction::statements() { return db_->statements(lease_.session()); }

Result<void> OpenTransaction::commit() {
  if (!open_) return make_error(ErrorCode::kInternal, "commit of a transaction that is over");
  open_ = false;
  try {
    Database::commit(lease_.session());
  } catch (const std::exception& e) {
    Database::rollback(lease_.session());
    return database_error(e, "commit");
  }
  db_->write_generation_.fetch_add(1, std::memory_order_acq_rel);
  return {};
}

void OpenTransaction::rollback() noexcept {
  if (!open_) return;
  open_ = false;
  Database::rollback(lease_.session());
}

void Database::begin(soci::session& session, TransactionMode mode) const {
  if (url_.backend == Backend::kSqlite && mode != TransactionMode::kRead) {
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
