// fixtures/seed/ (read in place) loaded into a migrated database on both backends.
#include <gtest/gtest.h>

#include <fstream>

#include "engine/settlement/prize_rules.hpp"
#include "storage/seed.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono;

const storage::TimePoint kNow = sys_days(year(2025) / 6 / 1) + hours(12);

int count(storage::Database& db, const std::string& sql) {
  int n = -1;
  auto lease = db.lease();
  lease.session() << sql, soci::into(n);
  return n;
}

class Seed : public ::testing::Test {
 protected:
  void SetUp() override {
    test_db_ = TestDatabase::create_or_skip();
    if (!test_db_) GTEST_SKIP() << skip_reason();
    ASSERT_TRUE(test_db_->migrate());
  }
  std::unique_ptr<TestDatabase> test_db_;
};

TEST_F(Seed, LoadsCategoriesLotteriesAndEightRifasWithTheirTickets) {
  auto& db = test_db_->db();
  auto report = storage::load_seed(db, seed_dir(), kNow);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->categorias, 3);
  EXPECT_EQ(report->loterias, 2);
  EXPECT_EQ(report->rifas, 8);
  EXPECT_EQ(report->tickets, 7 * 100 + 1000);
  EXPECT_EQ(report->skipped, 0);

  EXPECT_EQ(count(db, "SELECT count(*) FROM rifas"), 8);
  EXPECT_EQ(count(db, "SELECT count(*) FROM rifas WHERE estado = 'activa'"), 6);
  EXPECT_EQ(count(db, "SELECT count(*) FROM rifas WHERE estado = 'pendiente'"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM rifas WHERE estado = 'cerrada'"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM loterias WHERE plugin_instance = 'mock'"), 2);
  EXPECT_EQ(count(db, "SELECT count(*) FROM tickets"), 1700);
  EXPECT_EQ(count(db, "SELECT count(*) FROM tickets WHERE estado <> 'disponible' OR usuario_id IS NOT NULL"), 0);
  // Every rifa has exactly numbers 0..total_boletas-1, priced at its category's valor_boleta.
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM rifas r WHERE total_boletas <> (SELECT count(*) FROM tickets t WHERE "
                  "t.rifa_id = r.id AND t.numero BETWEEN 0 AND r.total_boletas - 1)"),
            0);
  EXPECT_EQ(count(db,
                  "SELECT count(*) FROM tickets t JOIN rifas r ON r.id = t.rifa_id JOIN categoria_rifa c ON c.id = "
                  "r.categoria_id WHERE t.precio <> c.valor_boleta"),
            0);

  std::string reglas, fin, inicio;
  int rake_bp = -1;
  long long valor = -1;
  auto lease = db.lease();
  lease.session()
      << "SELECT reglas, fecha_inicio, fecha_fin FROM rifas WHERE id = '70cedfc1-6d54-4bdb-bf6e-5ea4f3e16e1d'",
      soci::into(reglas), soci::into(inicio), soci::into(fin);
  EXPECT_EQ(reglas,
            R"({"tiers":[{"match":{"count":2,"digits":"last","field":"numero"},"share_bp":10000}],"unsold":"house"})");
  auto fin_time = storage::parse_timestamp(fin);
  ASSERT_TRUE(fin_time.ok()) << fin;
  EXPECT_EQ(*fin_time, kNow - days(1)) << "the cerrada rifa ended a day before loading";
  auto inicio_time = storage::parse_timestamp(inicio);
  ASSERT_TRUE(inicio_time.ok()) << inicio;
  EXPECT_EQ(*inicio_time, kNow - days(14));
  lease.session() << "SELECT rake_bp, valor_boleta FROM categoria_rifa WHERE nombre = 'Oro'", soci::into(rake_bp),
      soci::into(valor);
  EXPECT_EQ(rake_bp, 1500);
  EXPECT_EQ(valor, 1000000);
}

// Settlement parses reglas when a seed rifa closes; a seed rule it cannot read would only fail then.
TEST_F(Seed, EverySeedRifasRulesAreAcceptedBySettlement) {
  auto& db = test_db_->db();
  ASSERT_TRUE(storage::load_seed(db, seed_dir(), kNow).ok());
  auto lease = db.lease();
  std::vector<std::string> ids;
  soci::rowset<std::string> id_rows = (lease.session().prepare << "SELECT id FROM rifas");
  for (const auto& id : id_rows) ids.push_back(id);
  int checked = 0;
  for (const auto& id : ids) {
    std::string nombre, reglas;
    int total = 0;
    lease.session() << "SELECT nombre, reglas, total_boletas FROM rifas WHERE id = :id", soci::into(nombre),
        soci::into(reglas), soci::into(total), soci::use(id);
    auto rules = settlement::parse_prize_rules(nlohmann::json::parse(reglas), total);
    EXPECT_TRUE(rules.ok()) << nombre << ": " << (rules.ok() ? "" : rules.error().message);
    ++checked;
  }
  EXPECT_EQ(checked, 8);
}

TEST_F(Seed, LoadingTwiceChangesNothing) {
  auto& db = test_db_->db();
  ASSERT_TRUE(storage::load_seed(db, seed_dir(), kNow).ok());
  auto again = storage::load_seed(db, seed_dir(), kNow + days(30));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->categorias, 0);
  EXPECT_EQ(again->loterias, 0);
  EXPECT_EQ(again->rifas, 0);
  EXPECT_EQ(again->tickets, 0);
  EXPECT_EQ(again->skipped, 3 + 2 + 8);
  EXPECT_EQ(count(db, "SELECT count(*) FROM rifas"), 8);
  EXPECT_EQ(count(db, "SELECT count(*) FROM tickets"), 1700);
}

TEST_F(Seed, AMalformedFileIsRefusedNamingTheEntryAndNothingIsLoaded) {
  TempDir dir;
  for (const char* f : {"categorias.json", "loterias.json"}) fs::copy_file(seed_dir() / f, dir.path() / f);
  std::ofstream(dir.path() / "rifas.json") << R"([{"id": "x", "categoria_id": "c", "loteria_id": "l"}])";
  auto r = storage::load_seed(test_db_->db(), dir.path(), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().message, (dir.path() / "rifas.json").string() + ": entry 0: 'nombre' must be present");
  EXPECT_EQ(count(test_db_->db(), "SELECT count(*) FROM categoria_rifa"), 0);

  auto missing = storage::load_seed(test_db_->db(), "/nonexistent/seed", kNow);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "seed file /nonexistent/seed/categorias.json cannot be read");
}

TEST_F(Seed, ADatabaseFailureRollsBackTheWholeSeed) {
  TempDir dir;
  for (const char* f : {"categorias.json", "loterias.json"}) fs::copy_file(seed_dir() / f, dir.path() / f);
  std::ofstream(dir.path() / "rifas.json")
      << R"([{"id": "r-bad", "nombre": "Rifa Huérfana", "categoria_id": "b7a9402f-e754-485a-bfa4-94b8dc4841e6",
              "loteria_id": "no-such-loteria", "inicio_dias": 0, "fin_dias": 3, "estado": "activa"}])";
  auto r = storage::load_seed(test_db_->db(), dir.path(), kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kDatabase);
  EXPECT_EQ(r.error().message.rfind("seed data " + dir.path().string() + ": ", 0), 0u) << r.error().message;
  EXPECT_EQ(count(test_db_->db(), "SELECT count(*) FROM categoria_rifa"), 0);
  EXPECT_EQ(count(test_db_->db(), "SELECT count(*) FROM loterias"), 0);
}

}  // namespace
}  // namespace rifa::testing
