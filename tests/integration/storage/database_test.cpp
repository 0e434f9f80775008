// The session pool against a real database: connection from the test URL, ping, transactions and
// concurrent writers through the pool.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>

#include "test_database.hpp"

namespace rifa::testing {
namespace {

using storage::Backend;
using storage::Database;

TEST(Database, OpensTheUrlAnOperatorWritesAndPings) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  auto url = storage::parse_database_url(test_db->url(), "/nonexistent-base");
  ASSERT_TRUE(url.ok()) << url.error().message;
  auto db = Database::open(*url, 2);
  ASSERT_TRUE(db.ok()) << db.error().message;
  EXPECT_EQ((*db)->backend(), test_db->backend());
  EXPECT_STREQ((*db)->backend_name(), test_db->backend_name());
  EXPECT_EQ((*db)->display_url(), test_db->url());
  EXPECT_EQ((*db)->pool_size(), 2u);
  auto ping = (*db)->ping();
  ASSERT_TRUE(ping.ok()) << ping.error().message;
  EXPECT_GE(*ping, 0.0);
  EXPECT_LT(*ping, 5000.0);
}

TEST(Database, TransactionCommitsReturnsValuesAndRollsBack) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  Database& db = test_db->db();
  ASSERT_TRUE(db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)").ok());

  auto committed = db.transaction([](soci::session& sql) { sql << "INSERT INTO t (id, v) VALUES (1, 'one')"; });
  ASSERT_TRUE(committed.ok()) << committed.error().message;

  auto value = db.transaction(
      [](soci::session& sql) {
        std::string v;
        sql << "SELECT v FROM t WHERE id = 1", soci::into(v);
        return v;
      },
      storage::TransactionMode::kRead);
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, "one");

  auto refused = db.transaction([](soci::session& sql) -> Result<int> {
    sql << "INSERT INTO t (id, v) VALUES (2, 'two')";
    return make_error(ErrorCode::kConflict, "sold out");
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kConflict);
  EXPECT_EQ(refused.error().message, "sold out");

  EXPECT_THROW(db.transaction([](soci::session& sql) {
    sql << "INSERT INTO t (id, v) VALUES (3, 'three')";
    throw std::logic_error("bug");
  }),
               std::logic_error);

  auto failed = db.transaction([](soci::session& sql) {
    sql << "INSERT INTO t (id, v) VALUES (4, 'four')";
    sql << "INSERT INTO t (id, v) VALUES (1, 'duplicate')";
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code, ErrorCode::kDatabase);
  EXPECT_FALSE(failed.error().message.empty());

  int rows = -1;
  auto lease = db.lease();
  lease.session() << "SELECT count(*) FROM t", soci::into(rows);
  EXPECT_EQ(rows, 1) << "only the committed row stays";
}

TEST(Database, SessionsCanBeLeasedOnlyWhileFree) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  auto db = test_db->open(1);
  ASSERT_TRUE(db);
  {
    auto held = db->lease();
    auto second = db->try_lease(std::chrono::milliseconds(50));
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(second.error().message, "database " + test_db->url() + ": no free session within 50 ms");
    auto ping = db->ping(std::chrono::milliseconds(50));
    ASSERT_FALSE(ping.ok());
    EXPECT_EQ(ping.error().message, second.error().message);
  }
  EXPECT_TRUE(db->try_lease(std::chrono::milliseconds(50)).ok());
}

// Read-modify-write from more threads than sessions: every increment must survive. On SQLite this
// relies on write transactions taking the write lock at BEGIN (a deferred BEGIN fails with
// SQLITE_BUSY here); on PostgreSQL on the row lock of SELECT ... FOR UPDATE.
TEST(Database, ConcurrentTransactionsThroughThePoolLoseNoUpdate) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  auto db = test_db->open(4);
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("CREATE TABLE counters (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)").ok());
  ASSERT_TRUE(db->execute("INSERT INTO counters (id, n) VALUES (1, 0)").ok());
  const std::string select =
      std::string("SELECT n FROM counters WHERE id = 1") + (db->backend() == Backend::kPostgresql ? " FOR UPDATE" : "");
  constexpr int kThreads = 8;
  constexpr int kIncrements = 50;
  std::atomic<int> failures{0};
  std::string first_failure;
  std::mutex failure_mutex;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        auto done = db->transaction([&](soci::session& sql) {
          int n = 0;
          sql << select, soci::into(n);
          const int next = n + 1;
          sql << "UPDATE counters SET n = :n WHERE id = 1", soci::use(next);
        });
        if (!done.ok()) {
          std::lock_guard lock(failure_mutex);
          if (failures++ == 0) first_failure = done.error().message;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0) << first_failure;
  int n = -1;
  auto lease = db->lease();
  lease.session() << "SELECT n FROM counters WHERE id = 1", soci::into(n);
  EXPECT_EQ(n, kThreads * kIncrements);
}

// The purchase's statements are prepared once per pooled session and run again with new values:
// rows, NULLs both ways and affected-row counts, on both backends; PostgreSQL keeps ONE prepared
// statement for a text however often it runs.
TEST(StatementCache, PreparesOncePerSessionAndRunsAgainWithNewValues) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  Database& db = test_db->db();
  ASSERT_TRUE(db.execute("CREATE TABLE cached (id TEXT PRIMARY KEY, n INTEGER, note TEXT)").ok());
  auto run = db.transaction([&](soci::session& sql) {
    storage::StatementCache& st = db.statements(sql);
    const std::string insert = "INSERT INTO cached (id, n, note) VALUES (:id, CAST(:n AS INTEGER), :note)";
    EXPECT_EQ(st.execute(insert, {std::string("a"), std::string("1"), std::string("first")}), 1);
    EXPECT_EQ(st.execute(insert, {std::string("b"), std::string("2"), storage::SqlText()}), 1);
    EXPECT_EQ(st.execute("UPDATE cached SET n = n + 10 WHERE n >= CAST(:min AS INTEGER)", {std::string("1")}), 2);
    const std::string select = "SELECT id, n, note FROM cached WHERE n > CAST(:min AS INTEGER) ORDER BY id";
    auto rows = st.query(select, {std::string("0")}, 3);
    EXPECT_EQ(rows.size(), 2u);
    if (rows.size() == 2) {
      EXPECT_EQ(rows[0][0], "a");
      EXPECT_EQ(rows[0][1], "11");
      EXPECT_EQ(rows[0][2], "first");
      EXPECT_EQ(rows[1][0], "b");
      EXPECT_FALSE(rows[1][2].has_value()) << "NULL comes back as no value";
    }
    EXPECT_EQ(st.query(select, {std::string("11")}, 3).size(), 1u);
    EXPECT_TRUE(st.query(select, {std::string("100")}, 3).empty());
    EXPECT_EQ(st.size(), 3u) << "one entry per statement text";
    if (db.backend() == Backend::kPostgresql) {
      long long prepared = 0;
      sql << "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM cached WHERE n >%'",
          soci::into(prepared);
      EXPECT_EQ(prepared, 1) << "prepared once, executed three times";
    }
  });
  ASSERT_TRUE(run.ok()) << run.error().message;
  // A rolled back transaction leaves the cache usable.
  auto failed = db.transaction([&](soci::session& sql) {
    db.statements(sql).execute("INSERT INTO cached (id, n, note) VALUES (:id, CAST(:n AS INTEGER), :note)",
                               {std::string("a"), std::string("3"), storage::SqlText()});
  });
  EXPECT_FALSE(failed.ok()) << "duplicate id";
  auto again = db.transaction(
      [&](soci::session& sql) {
        return db.statements(sql)
            .query("SELECT id, n, note FROM cached WHERE n > CAST(:min AS INTEGER) ORDER BY id", {std::string("0")}, 3)
            .size();
      },
      storage::TransactionMode::kRead);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(*again, 2u);
}

// An OpenTransaction keeps its writes only when committed.
TEST(OpenTransaction, CommitsOrRollsBackWhenItEnds) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  Database& db = test_db->db();
  ASSERT_TRUE(db.execute("CREATE TABLE held (id INTEGER PRIMARY KEY)").ok());
  const uint64_t generation = db.write_generation();
  {
    auto tx = db.begin_transaction();
    ASSERT_TRUE(tx.ok()) << tx.error().message;
    tx->session() << "INSERT INTO held (id) VALUES (1)";
  }  // dropped: rolled back
  {
    auto tx = db.begin_transaction();
    ASSERT_TRUE(tx.ok()) << tx.error().message;
    tx->session() << "INSERT INTO held (id) VALUES (2)";
    auto committed = tx->commit();
    ASSERT_TRUE(committed.ok()) << committed.error().message;
    EXPECT_FALSE(tx->commit().ok()) << "over";
  }
  long long n = 0, id = 0;
  auto lease = db.lease();
  lease.session() << "SELECT count(*), max(id) FROM held", soci::into(n), soci::into(id);
  EXPECT_EQ(n, 1);
  EXPECT_EQ(id, 2);
  EXPECT_EQ(db.write_generation(), generation + 1);
}

// On PostgreSQL a read runs without BEGIN/COMMIT (READ COMMITTED gives each statement its own
// snapshot either way): the statement is its own transaction.
TEST(Database, ReadsOnPostgresqlSendNoBeginOrCommit) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  Database& db = test_db->db();
  if (db.backend() != Backend::kPostgresql) GTEST_SKIP() << "SQLite reads keep their snapshot transaction";
  const auto own_transaction = [](soci::session& sql) {
    int same = 0;
    sql << "SELECT CASE WHEN xact_start = query_start THEN 1 ELSE 0 END FROM pg_stat_activity "
           "WHERE pid = pg_backend_pid()",
        soci::into(same);
    return same;
  };
  auto read = db.transaction(own_transaction, storage::TransactionMode::kRead);
  ASSERT_TRUE(read.ok()) << read.error().message;
  EXPECT_EQ(*read, 1) << "no BEGIN before the read";
  auto write = db.transaction(own_transaction);
  ASSERT_TRUE(write.ok()) << write.error().message;
  EXPECT_EQ(*write, 0) << "a write transaction still begins first";
}

}  // namespace
}  // namespace rifa::testing
