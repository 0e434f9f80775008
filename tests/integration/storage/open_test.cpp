// Opening databases without a test server: SQLite files, pragmas and in-memory pools, and the
// error an unreachable PostgreSQL gives.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "storage/database.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using storage::Database;

std::unique_ptr<Database> open_ok(const std::string& url, const fs::path& base, std::size_t pool) {
  auto parsed = storage::parse_database_url(url, base);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  if (!parsed) return nullptr;
  auto db = Database::open(*parsed, pool);
  EXPECT_TRUE(db.ok()) << db.error().message;
  return db.ok() ? std::move(*db) : nullptr;
}

TEST(OpenSqlite, CreatesTheMissingFolderAndSetsThePragmasOnEverySession) {
  TempDir dir;
  auto db = open_ok("sqlite3://var/data/rifa.db", dir.path(), 3);
  ASSERT_TRUE(db);
  EXPECT_TRUE(fs::exists(dir.path() / "var" / "data" / "rifa.db"));
  EXPECT_EQ(db->display_url(), "sqlite3://" + (dir.path() / "var/data/rifa.db").string());
  EXPECT_STREQ(db->backend_name(), "sqlite");
  std::vector<storage::SessionLease> leases;
  for (int i = 0; i < 3; ++i) leases.push_back(db->lease());
  for (auto& lease : leases) {
    int foreign_keys = -1;
    std::string journal;
    lease.session() << "PRAGMA foreign_keys", soci::into(foreign_keys);
    lease.session() << "PRAGMA journal_mode", soci::into(journal);
    EXPECT_EQ(foreign_keys, 1);
    EXPECT_EQ(journal, "wal");
  }
}

// A writer waits for another session's write lock (storage/sqlite_busy_wait.hpp) and gets it soon
// after it is given back: SQLite's own busy handler, at its 100 ms steps by then, woke up to 100 ms
// late. No timing is asserted; the other writer holds the lock across many of the old steps.
TEST(OpenSqlite, AWriterWaitsForAnotherSessionsWriteLockAndThenWrites) {
  TempDir dir;
  auto db = open_ok("sqlite3://rifa.db", dir.path(), 2);
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("CREATE TABLE t (x INTEGER)").ok());
  auto holder = db->lease();
  holder.session() << "BEGIN IMMEDIATE";
  holder.session() << "INSERT INTO t VALUES (1)";
  std::thread writer([&] {
    auto second = db->transaction([](soci::session& sql) { sql << "INSERT INTO t VALUES (2)"; });
    EXPECT_TRUE(second.ok()) << second.error().message;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  holder.session() << "COMMIT";
  writer.join();
  int rows = 0;
  holder.session() << "SELECT count(*) FROM t", soci::into(rows);
  EXPECT_EQ(rows, 2);
}

// Past the timeout (5 s) a writer gives up with "database is locked" instead of hanging.
TEST(OpenSqlite, AWriterGivesUpWhenTheLockIsHeldPastTheTimeout) {
  TempDir dir;
  auto db = open_ok("sqlite3://rifa.db", dir.path(), 2);
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->execute("CREATE TABLE t (x INTEGER)").ok());
  auto holder = db->lease();
  holder.session() << "BEGIN IMMEDIATE";
  auto second = db->transaction([](soci::session& sql) { sql << "INSERT INTO t VALUES (2)"; });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code, ErrorCode::kDatabase);
  EXPECT_NE(second.error().message.find("database is locked"), std::string::npos) << second.error().message;
  holder.session() << "ROLLBACK";
}

TEST(OpenSqlite, APathWithBlanksWorks) {
  TempDir dir;
  auto db = open_ok("sqlite3://" + (dir.path() / "my data" / "rifa.db").string(), "/", 1);
  ASSERT_TRUE(db);
  EXPECT_TRUE(db->execute("CREATE TABLE t (x INTEGER)").ok());
  EXPECT_TRUE(fs::exists(dir.path() / "my data" / "rifa.db"));
}

TEST(OpenSqlite, InMemoryUsesOneSessionSoEveryoneSeesTheSameData) {
  auto db = open_ok("sqlite3://:memory:", "/", 8);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->pool_size(), 1u);
  ASSERT_TRUE(db->execute("CREATE TABLE t (x INTEGER)").ok());
  ASSERT_TRUE(db->execute("INSERT INTO t VALUES (7)").ok());
  auto x = db->transaction([](soci::session& sql) {
    int x = 0;
    sql << "SELECT x FROM t", soci::into(x);
    return x;
  });
  ASSERT_TRUE(x.ok());
  EXPECT_EQ(*x, 7);
}

TEST(OpenSqlite, AFileThatCannotBeCreatedIsADatabaseError) {
  TempDir dir;
  const fs::path blocker = dir.path() / "not-a-folder";
  std::ofstream(blocker) << "x";
  auto parsed = storage::parse_database_url("sqlite3://" + (blocker / "rifa.db").string(), "/");
  ASSERT_TRUE(parsed.ok());
  auto db = Database::open(*parsed, 1);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kDatabase);
  EXPECT_EQ(db.error().message.rfind("database sqlite3://" + (blocker / "rifa.db").string() +
                                         ": cannot create folder " + blocker.string() + ": ",
                                     0),
            0u)
      << db.error().message;
}

TEST(OpenSqlite, ZeroPoolSizeIsRefused) {
  auto parsed = storage::parse_database_url("sqlite3://:memory:", "/");
  ASSERT_TRUE(parsed.ok());
  auto db = Database::open(*parsed, 0);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(db.error().message, "database sqlite3://:memory:: pool size must be at least 1");
}

TEST(OpenPostgres, AnUnreachableServerIsADatabaseErrorWithoutThePassword) {
  auto parsed = storage::parse_database_url("postgresql://nobody:hunter2@127.0.0.1:1/nothing?connect_timeout=2", "/");
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  auto db = Database::open(*parsed, 2);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kDatabase);
  const std::string prefix = "database postgresql://nobody:***@127.0.0.1:1/nothing?connect_timeout=2: ";
  EXPECT_EQ(db.error().message.rfind(prefix, 0), 0u) << db.error().message;
  EXPECT_NE(db.error().message.find("Connection refused"), std::string::npos) << db.error().message;
  EXPECT_EQ(db.error().message.find("hunter2"), std::string::npos) << db.error().message;
}

}  // namespace
}  // namespace rifa::testing
