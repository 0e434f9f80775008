#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "storage/database.hpp"

namespace rifa::testing {

// A fresh, empty database for one test, on the backend named by RIFA_TEST_BACKEND ("sqlite", the
// default, or "postgres"):
//   sqlite   — a file in a new temporary folder, removed at destruction;
//   postgres — CREATE DATABASE rifa_test_<random> through the admin URL in RIFA_TEST_POSTGRES_URL
//              (e.g. postgresql://postgres@127.0.0.1:55432/postgres), dropped WITH (FORCE) at
//              destruction.
class TestDatabase {
 public:
  // nullptr when the test cannot run; skip_reason() says why. With RIFA_TEST_BACKEND=postgres and
  // no RIFA_TEST_POSTGRES_URL that is a skip, unless RIFA_REQUIRE_POSTGRES=1: then, as for any
  // failure to create the database, a test failure is recorded as well.
  static std::unique_ptr<TestDatabase> create_or_skip();

  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  storage::Backend backend() const { return backend_; }
  // "sqlite" or "postgresql", as storage::Database::backend_name().
  const char* backend_name() const { return storage::backend_name(backend_); }
  // The URL as an operator would write it in the config (sqlite3:///tmp/... or postgresql://...).
  const std::string& url() const { return url_; }
  storage::DatabaseUrl parsed_url() const;

  // A pool on this database, opened on first use (pool size 4) and closed before the drop.
  storage::Database& db();
  // A separate pool of the given size; the caller must destroy it before this TestDatabase.
  std::unique_ptr<storage::Database> open(std::size_t pool_size) const;
  // Applies the repository's migrations/ to db(); fails the test (and returns false) on error.
  bool migrate();

 private:
  TestDatabase() = default;

  storage::Backend backend_ = storage::Backend::kSqlite;
  std::string url_;
  std::filesystem::path sqlite_dir_;
  std::string postgres_admin_url_;
  std::string postgres_name_;
  std::unique_ptr<storage::Database> db_;
};

// Why the last create_or_skip() returned nullptr.
const std::string& skip_reason();

// The repository's folders, for tests that read them in place.
std::filesystem::path source_dir();
std::filesystem::path migrations_dir();
std::filesystem::path seed_dir();

// A fresh temporary folder for one test, removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace rifa::testing

// In a test body: declares `var` as the test's TestDatabase, or skips/fails the test with the reason.
#define RIFA_TEST_DATABASE_OR_SKIP(var)                       \
  auto var = ::rifa::testing::TestDatabase::create_or_skip(); \
  if (!var) GTEST_SKIP() << ::rifa::testing::skip_reason()
