#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "storage/database.hpp"

namespace rifa::storage {

// One migration file chosen for the database's backend.
struct MigrationFile {
  int version = 0;             // NNNN
  std::string name;            // "0001_initial" (no backend suffix, no .sql)
  std::filesystem::path path;  // the file applied: NNNN_name.sql or NNNN_name.<backend>.sql
  std::string checksum;        // SHA-256 hex of the file's bytes
};

struct MigrationStatus {
  int version = 0;
  std::string name;
  std::string file;                       // file name, empty when the file is gone
  std::optional<std::string> applied_at;  // as the database returns it; empty when pending
  std::string recorded_checksum;          // empty when pending
  std::string current_checksum;           // empty when the file is gone
};

// Reads migrations/NNNN_name.sql (both backends) and NNNN_name.sqlite.sql /
// NNNN_name.postgresql.sql (one backend each) and applies the pending ones in version order. Each
// migration runs in one transaction together with its schema_migrations row, so a failing one
// leaves nothing behind. Before applying anything it refuses (kMigration) when an applied file was
// edited, when the database holds a version no file has, or when a pending version is older than
// an applied one. On PostgreSQL an advisory lock keeps two hosts from applying the same migration.
class MigrationRunner {
 public:
  MigrationRunner(Database& db, std::filesystem::path dir);

  // The files for this backend, in version order; kMigration on duplicate versions or bad names.
  Result<std::vector<MigrationFile>> files() const;

  // Applies what is pending; returns the applied names ("0001_initial") in order, empty when the
  // database was up to date.
  Result<std::vector<std::string>> apply_all();

  // Every version known to the files or the database, in version order.
  Result<std::vector<MigrationStatus>> status();

 private:
  struct AppliedRow {
    int version = 0;
    std::string name;
    std::string checksum;
    std::string applied_at;
  };
  Result<void> ensure_table();
  Result<std::vector<AppliedRow>> applied_rows();
  Result<void> check(const std::vector<MigrationFile>& files, const std::vector<AppliedRow>& applied) const;
  Result<bool> apply_one(const MigrationFile& file);

  Database& db_;
  std::filesystem::path dir_;
};

}  // namespace rifa::storage
