#include "test_database.hpp"

#include <cstdlib>
#include <iostream>
#include <random>

#include "storage/migrations.hpp"

#ifndef RIFA_TEST_SOURCE_DIR
#error "RIFA_TEST_SOURCE_DIR must be defined by tests/support/CMakeLists.txt"
#endif

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;

std::string& last_skip_reason() {
  static std::string reason;
  return reason;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::string random_hex(size_t length) {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < length; ++i) out.push_back(kHex[rng() % 16]);
  return out;
}

// The admin URL pointed at another database: the path of a URI, or a trailing dbname= keyword
// (libpq lets the last occurrence win).
std::string with_database_name(const std::string& url, const std::string& name) {
  const size_t sep = url.find("://");
  const std::string scheme = url.substr(0, sep + 3);
  std::string rest = url.substr(sep + 3);
  const size_t eq = rest.find('=');
  const size_t delimiter = rest.find_first_of("@/?");
  if (eq != std::string::npos && (delimiter == std::string::npos || eq < delimiter)) {
    return scheme + rest + " dbname=" + name;
  }
  std::string query;
  if (size_t q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q);
    rest = rest.substr(0, q);
  }
  if (size_t slash = rest.find('/'); slash != std::string::npos) rest = rest.substr(0, slash);
  return scheme + rest + "/" + name + query;
}

std::unique_ptr<TestDatabase> give_up(std::string reason, bool is_failure) {
  last_skip_reason() = reason;
  if (is_failure) ADD_FAILURE() << reason;
  return nullptr;
}

bool run_admin(const std::string& admin_url, const std::string& sql, std::string& error) {
  auto parsed = storage::parse_database_url(admin_url, fs::current_path());
  if (!parsed) {
    error = parsed.error().message;
    return false;
  }
  try {
    soci::session session(parsed->connect_string);
    session << sql;
    return true;
  } catch (const std::exception& e) {
    error = "PostgreSQL " + parsed->display + ": " + sql + ": " + e.what();
    return false;
  }
}

}  // namespace

const std::string& skip_reason() { return last_skip_reason(); }

fs::path source_dir() { return RIFA_TEST_SOURCE_DIR; }
fs::path migrations_dir() { return source_dir() / "migrations"; }
fs::path seed_dir() { return source_dir() / "fixtures" / "seed"; }

std::unique_ptr<TestDatabase> TestDatabase::create_or_skip() {
  last_skip_reason().clear();
  const std::string backend = env("RIFA_TEST_BACKEND");
  std::unique_ptr<TestDatabase> db(new TestDatabase());
  if (backend.empty() || backend == "sqlite") {
    db->backend_ = storage::Backend::kSqlite;
    db->sqlite_dir_ = fs::temp_directory_path() / ("rifa-test-" + random_hex(16));
    std::error_code ec;
    fs::create_directories(db->sqlite_dir_, ec);
    if (ec) return give_up("cannot create " + db->sqlite_dir_.string() + ": " + ec.message(), true);
    db->url_ = "sqlite3://" + (db->sqlite_dir_ / "test.db").string();
    return db;
  }
  if (backend != "postgres" && backend != "postgresql") {
    return give_up("RIFA_TEST_BACKEND='" + backend + "': expected 'sqlite' or 'postgres'", true);
  }
  db->backend_ = storage::Backend::kPostgresql;
  const std::string admin = env("RIFA_TEST_POSTGRES_URL");
  if (admin.empty()) {
    const bool required = env("RIFA_REQUIRE_POSTGRES") == "1";
    return give_up(std::string("RIFA_TEST_BACKEND=postgres but RIFA_TEST_POSTGRES_URL is not set; set it to an admin "
                               "URL such as postgresql://postgres@127.0.0.1:5432/postgres (scripts/test.sh starts a "
                               "throwaway server)") +
                       (required ? " [RIFA_REQUIRE_POSTGRES=1: failing instead of skipping]" : ""),
                   required);
  }
  const std::string name = "rifa_test_" + random_hex(16);
  std::string error;
  if (!run_admin(admin, "CREATE DATABASE " + name, error)) return give_up(error, true);
  db->postgres_admin_url_ = admin;
  db->postgres_name_ = name;
  db->url_ = with_database_name(admin, name);
  return db;
}

TestDatabase::~TestDatabase() {
  db_.reset();
  if (!postgres_name_.empty()) {
    std::string error;
    if (!run_admin(postgres_admin_url_, "DROP DATABASE IF EXISTS " + postgres_name_ + " WITH (FORCE)", error)) {
      std::cerr << "TestDatabase: " << error << "\n";
    }
  }
  if (!sqlite_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(sqlite_dir_, ec);
  }
}

storage::DatabaseUrl TestDatabase::parsed_url() const {
  auto parsed = storage::parse_database_url(url_, fs::current_path());
  if (!parsed) {
    ADD_FAILURE() << parsed.error().message;
    return {};
  }
  return *parsed;
}

std::unique_ptr<storage::Database> TestDatabase::open(std::size_t pool_size) const {
  auto db = storage::Database::open(parsed_url(), pool_size);
  if (!db) {
    ADD_FAILURE() << db.error().message;
    return nullptr;
  }
  return std::move(*db);
}

storage::Database& TestDatabase::db() {
  if (!db_) db_ = open(4);
  if (!db_) throw std::runtime_error("TestDatabase: cannot open " + url_);
  return *db_;
}

bool TestDatabase::migrate() {
  storage::MigrationRunner runner(db(), migrations_dir());
  auto applied = runner.apply_all();
  if (!applied) {
    ADD_FAILURE() << applied.error().message;
    return false;
  }
  return true;
}

TempDir::TempDir() : path_(fs::temp_directory_path() / ("rifa-test-" + random_hex(16))) {
  fs::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

}  // namespace rifa::testing
