// The migration runner on a real database, using the repository's migrations/ (read in place) or
// a copy of it in a temporary folder when a test edits files.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "storage/migrations.hpp"
#include "storage/sha256.hpp"
#include "storage/timestamps.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using storage::MigrationRunner;

const std::vector<std::string> kTables = {"users",
                                          "loterias",
                                          "categoria_rifa",
                                          "rifas",
                                          "tickets",
                                          "ganadores",
                                          "transacciones",
                                          "idempotency_keys",
                                          "audit_log",
                                          "jobs",
                                          "schema_migrations",
                                          "resultados_sorteo",
                                          "resultados_rechazados"};

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// The 0001 file this backend applies, copied into dir.
fs::path copy_initial(const fs::path& dir, const char* backend) {
  const std::string name = std::string("0001_initial.") + backend + ".sql";
  fs::copy_file(migrations_dir() / name, dir / name);
  return dir / name;
}

bool table_exists(storage::Database& db, const std::string& table) {
  int n = -1;
  auto lease = db.lease();
  if (db.backend() == storage::Backend::kPostgresql) {
    lease.session() << "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND "
                       "table_name = :t",
        soci::use(table), soci::into(n);
  } else {
    lease.session() << "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :t", soci::use(table),
        soci::into(n);
  }
  return n == 1;
}

// The shipped migrations for this backend, in order ("0001_initial", ...): the runner must apply
// exactly these, whatever later issues add.
std::vector<std::string> shipped_migrations(const std::string& backend) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(migrations_dir())) {
    const std::string file = entry.path().filename().string();
    const std::string suffix = "." + backend + ".sql";
    if (file.size() > suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0) {
      names.push_back(file.substr(0, file.size() - suffix.size()));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

int recorded_versions(storage::Database& db) {
  int n = -1;
  auto lease = db.lease();
  lease.session() << "SELECT count(*) FROM schema_migrations", soci::into(n);
  return n;
}

TEST(Migrations, ApplyAllCreatesEveryTableAndIsIdempotent) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  MigrationRunner runner(test_db->db(), migrations_dir());
  auto first = runner.apply_all();
  ASSERT_TRUE(first.ok()) << first.error().message;
  const auto shipped = shipped_migrations(test_db->backend_name());
  ASSERT_GE(shipped.size(), 2u);
  EXPECT_EQ(shipped.front(), "0001_initial");
  EXPECT_EQ(*first, shipped);
  for (const auto& table : kTables) EXPECT_TRUE(table_exists(test_db->db(), table)) << table;

  auto second = runner.apply_all();
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_TRUE(second->empty());

  auto status = runner.status();
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_EQ(status->size(), shipped.size());
  const auto& s = (*status)[0];
  EXPECT_EQ(s.version, 1);
  EXPECT_EQ(s.name, "0001_initial");
  EXPECT_EQ(s.file, std::string("0001_initial.") + test_db->backend_name() + ".sql");
  const std::string expected_checksum = storage::sha256_hex(read(migrations_dir() / s.file));
  EXPECT_EQ(s.current_checksum, expected_checksum);
  EXPECT_EQ(s.recorded_checksum, expected_checksum);
  ASSERT_TRUE(s.applied_at.has_value());
  EXPECT_TRUE(storage::parse_timestamp(*s.applied_at).ok()) << *s.applied_at;
  EXPECT_EQ(s.applied_at->size(), 24u) << *s.applied_at;
}

TEST(Migrations, StatusBeforeAnythingIsAppliedListsPendingFiles) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  MigrationRunner runner(test_db->db(), migrations_dir());
  auto status = runner.status();
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_EQ(status->size(), shipped_migrations(test_db->backend_name()).size());
  for (const auto& s : *status) {
    EXPECT_FALSE(s.applied_at.has_value()) << s.name;
    EXPECT_TRUE(s.recorded_checksum.empty()) << s.name;
  }
}

TEST(Migrations, RefusesAnAppliedMigrationThatWasEdited) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  TempDir dir;
  const fs::path file = copy_initial(dir.path(), test_db->backend_name());
  MigrationRunner runner(test_db->db(), dir.path());
  ASSERT_TRUE(runner.apply_all().ok());
  const std::string before = read(file);
  write(file, before + "\n-- an innocent-looking edit\n");
  auto again = runner.apply_all();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kMigration);
  EXPECT_EQ(again.error().message,
            "migration file " + file.string() + " was changed after it was applied: recorded checksum " +
                storage::sha256_hex(before) + ", current checksum " + storage::sha256_hex(read(file)) +
                "; add a new migration instead of editing an applied one");
}

TEST(Migrations, RefusesWhenAnAppliedMigrationsFileIsGone) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  TempDir dir;
  copy_initial(dir.path(), test_db->backend_name());
  write(dir.path() / "0002_extra.sql", "CREATE TABLE extra (id INTEGER PRIMARY KEY);\n");
  MigrationRunner runner(test_db->db(), dir.path());
  auto applied = runner.apply_all();
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(*applied, (std::vector<std::string>{"0001_initial", "0002_extra"}));
  fs::remove(dir.path() / "0002_extra.sql");
  auto again = runner.apply_all();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kMigration);
  EXPECT_EQ(again.error().message, "the database has migration 0002_extra applied but " + dir.path().string() +
                                       " has no " + test_db->backend_name() +
                                       " file for version 0002; restore the file or use a database built from "
                                       "these migrations");
}

TEST(Migrations, AFailingMigrationLeavesNothingHalfApplied) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  TempDir dir;
  copy_initial(dir.path(), test_db->backend_name());
  const fs::path broken = dir.path() / "0002_broken.sql";
  write(broken,
        "-- creates a table, then fails\n"
        "CREATE TABLE half_done (id INTEGER PRIMARY KEY);\n"
        "INSERT INTO half_done (id) VALUES (1);\n"
        "INSERT INTO no_such_table (id) VALUES (1);\n");
  MigrationRunner runner(test_db->db(), dir.path());
  auto result = runner.apply_all();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, ErrorCode::kMigration);
  const std::string prefix = "migration file " + broken.string() + " failed at line 4: ";
  EXPECT_EQ(result.error().message.rfind(prefix, 0), 0u) << result.error().message;
  EXPECT_NE(result.error().message.find("no_such_table"), std::string::npos) << result.error().message;
  const std::string suffix = "; nothing from it was applied";
  EXPECT_TRUE(result.error().message.ends_with(suffix)) << result.error().message;

  EXPECT_TRUE(table_exists(test_db->db(), "users")) << "0001 stays applied";
  EXPECT_FALSE(table_exists(test_db->db(), "half_done"));
  EXPECT_EQ(recorded_versions(test_db->db()), 1);

  // Never applied, so fixing the file is allowed and the next run applies it.
  write(broken, "CREATE TABLE half_done (id INTEGER PRIMARY KEY);\n");
  auto fixed = runner.apply_all();
  ASSERT_TRUE(fixed.ok()) << fixed.error().message;
  EXPECT_EQ(*fixed, (std::vector<std::string>{"0002_broken"}));
  EXPECT_TRUE(table_exists(test_db->db(), "half_done"));
}

TEST(Migrations, RefusesAPendingMigrationOlderThanAnAppliedOne) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  TempDir dir;
  copy_initial(dir.path(), test_db->backend_name());
  write(dir.path() / "0003_later.sql", "CREATE TABLE later (id INTEGER PRIMARY KEY);\n");
  MigrationRunner runner(test_db->db(), dir.path());
  ASSERT_TRUE(runner.apply_all().ok());
  write(dir.path() / "0002_forgotten.sql", "CREATE TABLE forgotten (id INTEGER PRIMARY KEY);\n");
  auto again = runner.apply_all();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "migration file " + (dir.path() / "0002_forgotten.sql").string() +
                                       " is not applied but the later version 0003 is; renumber it after 0003");
  EXPECT_FALSE(table_exists(test_db->db(), "forgotten"));
}

TEST(Migrations, PicksTheFileForItsBackend) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  TempDir dir;
  write(dir.path() / "0001_base.sql", "CREATE TABLE base (id INTEGER PRIMARY KEY);\n");
  write(dir.path() / "0002_flavour.sqlite.sql", "CREATE TABLE flavour_sqlite (id INTEGER PRIMARY KEY);\n");
  write(dir.path() / "0002_flavour.postgresql.sql", "CREATE TABLE flavour_postgresql (id INTEGER PRIMARY KEY);\n");
  write(dir.path() / "README.md", "not a migration\n");
  MigrationRunner runner(test_db->db(), dir.path());
  auto applied = runner.apply_all();
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  EXPECT_EQ(*applied, (std::vector<std::string>{"0001_base", "0002_flavour"}));
  const std::string mine = test_db->backend_name();
  const std::string other = mine == "sqlite" ? "postgresql" : "sqlite";
  EXPECT_TRUE(table_exists(test_db->db(), "base"));
  EXPECT_TRUE(table_exists(test_db->db(), "flavour_" + mine));
  EXPECT_FALSE(table_exists(test_db->db(), "flavour_" + other));
}

TEST(Migrations, RefusesAmbiguousOrBadlyNamedFiles) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  {
    TempDir dir;
    write(dir.path() / "0001_a.sql", "SELECT 1;\n");
    write(dir.path() / "0001_a.sqlite.sql", "SELECT 1;\n");
    MigrationRunner runner(test_db->db(), dir.path());
    auto r = runner.apply_all();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message,
              "migration version 0001 is claimed by more than one file for the same backend or under different "
              "names: 0001_a.sql, 0001_a.sqlite.sql");
  }
  {
    TempDir dir;
    write(dir.path() / "1_first.sql", "SELECT 1;\n");
    MigrationRunner runner(test_db->db(), dir.path());
    auto r = runner.apply_all();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "migration file " + (dir.path() / "1_first.sql").string() +
                                     ": name must be NNNN_name.sql, NNNN_name.sqlite.sql or NNNN_name.postgresql.sql "
                                     "(lower-case name)");
  }
  MigrationRunner missing(test_db->db(), "/nonexistent/migrations");
  auto r = missing.apply_all();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kMigration);
  EXPECT_EQ(r.error().message, "migrations folder /nonexistent/migrations does not exist");
}

// 0026 backfills the withholding records written before it: each ganador takes its winner's name
// and document from users, except a winner already erased (nothing left to take).
TEST(Migrations, TheBeneficiaryOfEarlierWithholdingsIsBackfilled) {
  RIFA_TEST_DATABASE_OR_SKIP(test_db);
  TempDir dir;
  const auto copy_up_to = [&](int last) {
    for (const auto& entry : fs::directory_iterator(migrations_dir())) {
      const std::string file = entry.path().filename().string();
      if (file.size() < 5 || std::stoi(file.substr(0, 4)) > last || fs::exists(dir.path() / file)) continue;
      fs::copy_file(entry.path(), dir.path() / file);
    }
  };
  copy_up_to(25);
  MigrationRunner before(test_db->db(), dir.path());
  ASSERT_TRUE(before.apply_all().ok());
  auto loaded = test_db->db().transaction([&](soci::session& sql) {
    sql << "INSERT INTO users (id, nombre, email, hashed_password, documento_tipo, documento_numero) VALUES "
           "('u1', 'Ana Antes', 'ana@example.com', 'x', 'CC', '1020304050')";
    sql << "INSERT INTO users (id, nombre, email, hashed_password, anonimizado_en) VALUES "
           "('u2', 'Titular anonimizado', 'anonimo@anonimizado.invalid', '!', '2026-01-01T00:00:00.000Z')";
    sql << "INSERT INTO categoria_rifa (id, nombre, valor_boleta, rake_bp) VALUES ('c', 'C', 1000, 2000)";
    sql << "INSERT INTO loterias (id, nombre, frecuencia, plugin_instance) VALUES ('l', 'L', 'diaria', 'mock')";
    sql << "INSERT INTO rifas (id, nombre, categoria_id, loteria_id, fecha_inicio, fecha_fin, estado, reglas, "
           "total_boletas, fecha_sorteo) VALUES ('r', 'R', 'c', 'l', '2026-01-01T00:00:00.000Z', "
           "'2026-01-10T05:00:00.000Z', 'resuelta', '{}', 100, '2026-01-10')";
    sql << "INSERT INTO tickets (id, rifa_id, numero, precio, estado, usuario_id) VALUES "
           "('t1', 'r', 1, 1000, 'ganador', 'u1'), ('t2', 'r', 2, 1000, 'ganador', 'u2')";
    sql << "INSERT INTO ganadores (id, ticket_id, tier, monto_ganado) VALUES ('g1', 't1', 0, 500), "
           "('g2', 't2', 1, 300)";
  });
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;

  copy_up_to(26);
  MigrationRunner after(test_db->db(), dir.path());
  auto applied = after.apply_all();
  ASSERT_TRUE(applied.ok()) << applied.error().message;
  ASSERT_EQ(applied->size(), 1u);
  EXPECT_EQ(applied->front(), "0026_withholding_beneficiary");
  auto lease = test_db->db().lease();
  std::string nombre, tipo, numero;
  lease.session() << "SELECT beneficiario_nombre, beneficiario_documento_tipo, beneficiario_documento_numero FROM "
                     "ganadores WHERE id = 'g1'",
      soci::into(nombre), soci::into(tipo), soci::into(numero);
  EXPECT_EQ(nombre, "Ana Antes");
  EXPECT_EQ(tipo, "CC");
  EXPECT_EQ(numero, "1020304050");
  int erased_left = -1;
  lease.session() << "SELECT count(*) FROM ganadores WHERE id = 'g2' AND beneficiario_nombre IS NULL AND "
                     "beneficiario_documento_numero IS NULL",
      soci::into(erased_left);
  EXPECT_EQ(erased_left, 1);
}

}  // namespace
}  // namespace rifa::testing
