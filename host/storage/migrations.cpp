#include "storage/migrations.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "storage/sha256.hpp"
#include "storage/sql_script.hpp"

namespace rifa::storage {
namespace {

namespace fs = std::filesystem;

// Any fixed number works; it only has to be the same in every host sharing the database.
constexpr long long kAdvisoryLockKey = 0x52494641;  // "RIFA"

Error migration_error(std::string message) { return make_error(ErrorCode::kMigration, std::move(message)); }

std::string version_text(int version) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d", version);
  return buf;
}

std::optional<std::string> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

struct Candidate {
  int version;
  std::string name;
  std::string backend;  // "", "sqlite" or "postgresql"
  fs::path path;
};

}  // namespace

MigrationRunner::MigrationRunner(Database& db, fs::path dir) : db_(db), dir_(std::move(dir)) {}

Result<std::vector<MigrationFile>> MigrationRunner::files() const {
  std::error_code ec;
  if (!fs::is_directory(dir_, ec)) return migration_error("migrations folder " + dir_.string() + " does not exist");
  static const std::regex kName(R"(^(\d{4})_([a-z0-9_]+?)(\.(sqlite|postgresql))?\.sql$)");
  std::map<int, std::vector<Candidate>> by_version;
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    if (!entry.is_regular_file()) continue;
    const std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    std::smatch m;
    if (!std::regex_match(file, m, kName)) {
      return migration_error("migration file " + entry.path().string() +
                             ": name must be NNNN_name.sql, NNNN_name.sqlite.sql or NNNN_name.postgresql.sql "
                             "(lower-case name)");
    }
    const int version = std::stoi(m[1].str());
    by_version[version].push_back({version, m[1].str() + "_" + m[2].str(), m[4].str(), entry.path()});
  }
  if (ec) return migration_error("cannot list " + dir_.string() + ": " + ec.message());

  const std::string mine = db_.backend_name();
  std::vector<MigrationFile> out;
  for (auto& versioned : by_version) {
    // Not a structured binding: clang before 16 cannot capture one in the lambdas below.
    const int version = versioned.first;
    auto& candidates = versioned.second;
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    std::map<std::string, int> per_backend;
    for (const auto& c : candidates) ++per_backend[c.backend];
    const bool mixed = per_backend.count("") && candidates.size() > static_cast<size_t>(per_backend[""]);
    const bool duplicate = std::any_of(per_backend.begin(), per_backend.end(), [](auto& p) { return p.second > 1; });
    const bool renamed = std::any_of(candidates.begin(), candidates.end(),
                                     [&](const auto& c) { return c.name != candidates.front().name; });
    if (mixed || duplicate || renamed) {
      std::string list;
      for (const auto& c : candidates) list += (list.empty() ? "" : ", ") + c.path.filename().string();
      return migration_error(
          "migration version " + version_text(version) +
          " is claimed by more than one file for the same backend or under different names: " + list);
    }
    for (const auto& c : candidates) {
      if (!c.backend.empty() && c.backend != mine) continue;
      auto bytes = read_file(c.path);
      if (!bytes) return migration_error("cannot read migration file " + c.path.string());
      out.push_back({version, c.name, c.path, sha256_hex(*bytes)});
    }
  }
  return out;
}

Result<void> MigrationRunner::ensure_table() {
  const bool pg = db_.backend() == Backend::kPostgresql;
  return db_.transaction([&](soci::session& sql) {
    if (pg) {
      // Two hosts starting together would otherwise race on CREATE TABLE IF NOT EXISTS.
      sql << "SELECT pg_advisory_xact_lock(" + std::to_string(kAdvisoryLockKey) + ")";
      sql << "CREATE TABLE IF NOT EXISTS schema_migrations ("
             "version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, "
             "applied_at TIMESTAMPTZ NOT NULL DEFAULT now())";
    } else {
      sql << "CREATE TABLE IF NOT EXISTS schema_migrations ("
             "version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, "
             "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))";
    }
  });
}

Result<std::vector<MigrationRunner::AppliedRow>> MigrationRunner::applied_rows() {
  const bool pg = db_.backend() == Backend::kPostgresql;
  auto lease = db_.lease();
  try {
    int exists = 0;
    if (pg) {
      lease.session() << "SELECT count(*) FROM information_schema.tables "
                         "WHERE table_schema = current_schema() AND table_name = 'schema_migrations'",
          soci::into(exists);
    } else {
      lease.session() << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
          soci::into(exists);
    }
    std::vector<AppliedRow> out;
    if (exists == 0) return out;
    // Same text form on both backends (see timestamps.hpp).
    const std::string applied_at =
        pg ? "to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')" : "applied_at";
    soci::rowset<soci::row> rows = (lease.session().prepare << "SELECT version, name, checksum, " + applied_at +
                                                                   " FROM schema_migrations ORDER BY version");
    for (const auto& row : rows) {
      out.push_back({row.get<int>(0), row.get<std::string>(1), row.get<std::string>(2), row.get<std::string>(3)});
    }
    return out;
  } catch (const std::exception& e) { return database_error(e, "reading schema_migrations"); }
}

Result<void> MigrationRunner::check(const std::vector<MigrationFile>& files,
                                    const std::vector<AppliedRow>& applied) const {
  std::map<int, const MigrationFile*> by_version;
  for (const auto& f : files) by_version[f.version] = &f;
  int newest_applied = 0;
  for (const auto& row : applied) {
    newest_applied = std::max(newest_applied, row.version);
    auto it = by_version.find(row.version);
    if (it == by_version.end()) {
      return migration_error("the database has migration " + row.name + " applied but " + dir_.string() + " has no " +
                             db_.backend_name() + " file for version " + version_text(row.version) +
                             "; restore the file or use a database built from these migrations");
    }
    if (it->second->checksum != row.checksum) {
      return migration_error("migration file " + it->second->path.string() + " was changed after it was applied: " +
                             "recorded checksum " + row.checksum + ", current checksum " + it->second->checksum +
                             "; add a new migration instead of editing an applied one");
    }
  }
  for (const auto& f : files) {
    const bool is_applied =
        std::any_of(applied.begin(), applied.end(), [&](auto& r) { return r.version == f.version; });
    if (!is_applied && f.version < newest_applied) {
      return migration_error("migration file " + f.path.string() + " is not applied but the later version " +
                             version_text(newest_applied) + " is; renumber it after " + version_text(newest_applied));
    }
  }
  return {};
}

Result<bool> MigrationRunner::apply_one(const MigrationFile& file) {
  auto bytes = read_file(file.path);
  if (!bytes) return migration_error("cannot read migration file " + file.path.string());
  if (sha256_hex(*bytes) != file.checksum) {
    return migration_error("migration file " + file.path.string() + " changed while migrations were running");
  }
  auto statements = split_sql_script(*bytes, db_.backend());
  if (!statements) return migration_error("migration file " + file.path.string() + ": " + statements.error().message);
  const bool pg = db_.backend() == Backend::kPostgresql;
  return db_.transaction([&](soci::session& sql) -> Result<bool> {
    if (pg) sql << "SELECT pg_advisory_xact_lock(" + std::to_string(kAdvisoryLockKey) + ")";
    int already = 0;
    sql << "SELECT count(*) FROM schema_migrations WHERE version = :v", soci::use(file.version), soci::into(already);
    if (already > 0) return false;  // another host applied it while we waited for the lock
    for (const auto& statement : *statements) {
      try {
        sql << statement.text;
      } catch (const soci::soci_error& e) {
        std::string message = e.what();
        while (!message.empty() && message.back() == '\n') message.pop_back();
        return migration_error("migration file " + file.path.string() + " failed at line " +
                               std::to_string(statement.line) + ": " + message + "; nothing from it was applied");
      }
    }
    sql << "INSERT INTO schema_migrations (version, name, checksum) VALUES (:v, :n, :c)", soci::use(file.version),
        soci::use(file.name), soci::use(file.checksum);
    return true;
  });
}

Result<std::vector<std::string>> MigrationRunner::apply_all() {
  auto files = this->files();
  if (!files) return files.error();
  if (auto t = ensure_table(); !t) return t.error();
  auto applied = applied_rows();
  if (!applied) return applied.error();
  if (auto c = check(*files, *applied); !c) return c.error();
  std::vector<std::string> done;
  for (const auto& f : *files) {
    const bool is_applied =
        std::any_of(applied->begin(), applied->end(), [&](auto& r) { return r.version == f.version; });
    if (is_applied) continue;
    auto ran = apply_one(f);
    if (!ran) {
      if (ran.error().code == ErrorCode::kMigration) return ran.error();
      return migration_error("migration file " + f.path.string() + ": " + ran.error().message);
    }
    if (*ran) done.push_back(f.name);
  }
  return done;
}

Result<std::vector<MigrationStatus>> MigrationRunner::status() {
  auto files = this->files();
  if (!files) return files.error();
  auto applied = applied_rows();
  if (!applied) return applied.error();
  std::map<int, MigrationStatus> by_version;
  for (const auto& f : *files) {
    auto& s = by_version[f.version];
    s.version = f.version;
    s.name = f.name;
    s.file = f.path.filename().string();
    s.current_checksum = f.checksum;
  }
  for (const auto& r : *applied) {
    auto& s = by_version[r.version];
    s.version = r.version;
    s.name = r.name;
    s.applied_at = r.applied_at;
    s.recorded_checksum = r.checksum;
  }
  std::vector<MigrationStatus> out;
  for (auto& [_, s] : by_version) out.push_back(std::move(s));
  return out;
}

}  // namespace rifa::storage
