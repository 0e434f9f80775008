#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace rifa::storage {

enum class Backend { kSqlite, kPostgresql };

// "sqlite" or "postgresql": the name health checks and logs show.
const char* backend_name(Backend backend);

// A database location from the config, already converted to what SOCI accepts.
struct DatabaseUrl {
  Backend backend = Backend::kSqlite;
  // What soci::session::open takes: "sqlite3://db=/abs/file.db" or
  // "postgresql://host=.. port=.. dbname=.. user=.. password=..". Holds the password: never log it.
  std::string connect_string;
  // The URL as the operator wrote it but with the password replaced by ***: safe for logs and errors.
  std::string display;
  // SQLite only: the absolute database file, or empty for an in-memory database.
  std::filesystem::path sqlite_file;
  bool sqlite_in_memory = false;
};

// Accepts
//   sqlite3://relative/file.db       (relative to base_dir)
//   sqlite3:///absolute/file.db
//   sqlite3://:memory:
//   postgresql://user:pass@host:port/dbname?sslmode=..&connect_timeout=..   (libpq URI, percent-encoded)
//   postgresql://host=.. port=.. dbname=..                                  (libpq keyword form)
// `postgres://` is accepted as a synonym, as libpq does. Errors are kInvalidArgument and show the
// redacted URL only.
Result<DatabaseUrl> parse_database_url(std::string_view url, const std::filesystem::path& base_dir);

// The URL with any password (URI userinfo or password= keyword) replaced by ***.
std::string redact_database_url(std::string_view url);

}  // namespace rifa::storage
