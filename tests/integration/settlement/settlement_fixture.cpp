#include "settlement_fixture.hpp"
#include "storage/sql_job_queue.hpp"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include "settings/bindings.hpp"
#include "storage/repositories/sql_rifa_repository.hpp"
#include "storage/timestamps.hpp"

namespace rifa::testing {
namespace {

std::shared_ptr<spdlog::logger> quiet(const std::string& name) {
  return std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::null_sink_mt>());
}

}  // namespace

engine::TimePoint utc(const std::string& iso) {
  auto t = storage::parse_timestamp(iso);
  EXPECT_TRUE(t.ok()) << iso;
  return t.ok() ? *t : engine::TimePoint{};
}

void SettlementTest::SetUp() {
  test_db_ = TestDatabase::create_or_skip();
  if (!test_db_) GTEST_SKIP() << skip_reason();
  ASSERT_TRUE(test_db_->migrate());
  clock_.set(utc("2030-02-02T12:00:00.000Z"));

  const std::filesystem::path library = std::filesystem::path(RIFA_PLUGIN_DIR) / "liblottery_mock.so";
  const std::vector<std::pair<std::string, nlohmann::json>> instances = {
      {"mock", {{"seed", "c1"}}},
      {"mock2", {{"seed", "c1"}, {"number_digits", 2}, {"series_digits", 0}}},
      {"scripted", {{"seed", "c1"}, {"scripted", {{kDrawDate, {"not_published", "garbage", "ok"}}}}}},
      {"wrongdate", {{"seed", "c1"}, {"scripted", {{kDrawDate, {"wrong_date", "ok"}}}}}},
  };
  for (const auto& [id, config] : instances) {
    plugin_runtime::HostServices services;
    services.logger = quiet("plugin." + id);
    services.now_unix_ms = [this] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now().time_since_epoch()).count();
    };
    auto added = plugins_.add(plugin_runtime::PluginSpec{id, library, RIFA_KIND_LOTTERY, config}, services);
    ASSERT_TRUE(added.ok()) << added.error().message;
  }

  settings::Bindings bindings;
  bindings.defaults = {"mock", "sandbox", {"log", "sms"}};
  lotteries_ = std::make_unique<plugin_runtime::PluginLotteryGateway>(plugins_);
  repo_ = std::make_unique<storage::SqlSettlementRepository>(db(), clock_);
  service_ = std::make_unique<settlement::SettlementService>(
      *repo_, lotteries_.get(), settings::notifier_resolver(bindings), clock_, quiet("settlement"), &metrics_);
  queue_ = std::make_unique<storage::SqlJobQueue>(db(), [this] { return clock_.now(); });
  runner_ = std::make_unique<jobs::JobRunner>(
      *queue_, jobs::RunnerOptions{"test-host", 1, std::chrono::seconds(60), std::chrono::milliseconds(10)},
      quiet("jobs"), &metrics_);
  settlement::register_settlement_jobs(*runner_, *service_);
  scheduler_ = std::make_unique<settlement::SettlementScheduler>(*repo_, clock_, quiet("scheduler"),
                                                                 settlement::SchedulerOptions{});

  exec(
      "INSERT INTO users (id, nombre, email, hashed_password, rol) VALUES ('player-1', 'Jugadora', "
      "'jugadora@rifa.test', 'x', 'jugador')");
  exec("INSERT INTO categoria_rifa (id, nombre, valor_boleta, rake_bp) VALUES ('cat-oro', 'Oro', " +
       std::to_string(kPrecio) + ", " + std::to_string(kRakeBp) + ")");
  exec(
      "INSERT INTO loterias (id, nombre, frecuencia, meta, plugin_instance) VALUES "
      "('lot-mock', 'Mock', 'diaria', '{\"cifras\": 4, \"series\": 3}', 'mock'), "
      "('lot-mock2', 'Mock balota', 'diaria', '{\"cifras\": 2}', 'mock2'), "
      "('lot-scripted', 'Mock guionizada', 'diaria', '{\"cifras\": 4, \"series\": 3}', 'scripted'), "
      "('lot-wrongdate', 'Mock fechas', 'diaria', '{\"cifras\": 4, \"series\": 3}', 'wrongdate')");
  player_id_ = "player-1";
}

void SettlementTest::TearDown() {
  scheduler_.reset();
  runner_.reset();
  queue_.reset();
  service_.reset();
  repo_.reset();
  test_db_.reset();
}

long long SettlementTest::count(const std::string& sql_text) {
  auto lease = db().lease();
  long long n = 0;
  *lease << sql_text, soci::into(n);
  return n;
}

std::string SettlementTest::text(const std::string& sql_text) {
  auto lease = db().lease();
  std::string out;
  soci::indicator ind = soci::i_null;
  *lease << sql_text, soci::into(out, ind);
  return ind == soci::i_ok ? out : std::string("<null>");
}

void SettlementTest::exec(const std::string& sql_text) {
  auto done = db().execute(sql_text);
  ASSERT_TRUE(done.ok()) << done.error().message << "\n" << sql_text;
}

std::string SettlementTest::add_rifa(const nlohmann::json& reglas, int total, const std::string& loteria,
                                     const std::string& estado, const std::string& fecha_fin) {
  const std::string id = jobs::random_uuid();
  auto done = db().transaction([&](soci::session& sql) {
    const std::string inicio = "2030-01-01T00:00:00.000Z", fin = storage::format_timestamp(utc(fecha_fin)),
                      reglas_text = reglas.dump(), fecha = kDrawDate;
    sql << "INSERT INTO rifas (id, nombre, categoria_id, loteria_id, fecha_inicio, fecha_fin, estado, reglas, "
           "total_boletas, fecha_sorteo) VALUES (:id, 'Rifa de prueba', 'cat-oro', :loteria, :inicio, :fin, :estado, "
           ":reglas, :total, :fecha)",
        soci::use(id), soci::use(loteria), soci::use(inicio), soci::use(fin), soci::use(estado), soci::use(reglas_text),
        soci::use(total), soci::use(fecha);
    storage::insert_tickets(sql, db().backend(), id, total, kPrecio);
  });
  EXPECT_TRUE(done.ok()) << done.error().message;
  return id;
}

void SettlementTest::sell(const std::string& rifa_id, const std::vector<int>& numeros) {
  for (int n : numeros) {
    exec("UPDATE tickets SET estado = 'vendido', usuario_id = '" + player_id_ +
         "', comprado_en = '2030-01-15T00:00:00.000Z' "
         "WHERE rifa_id = '" +
         rifa_id + "' AND numero = " + std::to_string(n));
  }
}

settlement::SettleOutcome SettlementTest::close_and_settle(const std::string& rifa_id) {
  auto closed = service_->close(operador_, rifa_id);
  EXPECT_TRUE(closed.ok()) << closed.error().message;
  auto settled = service_->settle(rifa_id);
  EXPECT_TRUE(settled.ok()) << settled.error().message;
  return settled.ok() ? *settled : settlement::SettleOutcome{};
}

std::vector<std::string> SettlementTest::winners(const std::string& rifa_id) {
  auto rows = repo_->ganadores(rifa_id);
  EXPECT_TRUE(rows.ok()) << rows.error().message;
  std::vector<std::string> out;
  if (!rows.ok()) return out;
  for (const auto& g : *rows) {
    out.push_back(std::to_string(g.numero) + ":" + std::to_string(g.tier) + ":" + std::to_string(g.monto_cents));
  }
  return out;
}

int SettlementTest::drain() { return runner_->drain(); }

}  // namespace rifa::testing
