// POST /rifas/{id}/cerrar, POST /rifas/{id}/recalcular, GET /rifas/{id}/resultados and the rifa's
// fecha_sorteo over real HTTP, with the real payment_sandbox (purchases) and lottery_mock (draws)
// libraries, and one end-to-end run: create, activate, buy, close, settle (the job runner), results.
#include <chrono>

#include <spdlog/sinks/null_sink.h>

#include "engine/iso_time.hpp"
#include "engine/jobs/job_queue.hpp"
#include "storage/sql_job_queue.hpp"
#include "jobs/job_runner.hpp"
#include "jobs/settlement_scheduler.hpp"
#include "sales_fixture.hpp"
#include "engine/settlement/draw_timing.hpp"
#include "engine/settlement/settlement_service.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

// Tomorrow in Bogota: on or after any fecha_fin the tests set (now + 1 h).
std::string draw_date() { return settlement::bogota_date(std::chrono::system_clock::now() + std::chrono::hours(26)); }

const json kLastTwo = {
    {"tiers",
     {{{"name", "mayor"}, {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", 10000}}}},
    {"unsold", "house"}};

// The sales wiring plus the mock lottery as instance "mock", scripted to answer the draw of
// draw_date() at once (a scripted date skips the mock's publication time).
class SettlementApiTest : public SalesApiTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override {
    SalesApiTest::configure_api(options);
    plugin_runtime::HostServices services;
    services.logger = std::make_shared<spdlog::logger>("plugin.mock", std::make_shared<spdlog::sinks::null_sink_mt>());
    services.now_unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    const json config = {{"seed", "api"}, {"scripted", {{draw_date(), {"ok"}}}}};
    auto added = plugins_->add(
        {"mock", std::filesystem::path(RIFA_PLUGIN_DIR) / "liblottery_mock.so", RIFA_KIND_LOTTERY, config}, services);
    ASSERT_TRUE(added.ok()) << added.error().message;
    options.bindings.defaults.lottery = "mock";
  }

  // A rifa selling now until an hour from now, drawn on draw_date(), made activa.
  std::string open_rifa(const json& reglas = kLastTwo) {
    if (!categorias_.count("Oro")) categorias_["Oro"] = create_categoria("Oro", 5000);
    if (loteria_id_.empty()) loteria_id_ = create_loteria("Mock", "mock");
    categoria_id_ = categorias_["Oro"];
    const auto now = std::chrono::system_clock::now();
    auto rifa = create_rifa({{"fecha_inicio", engine::format_iso_time(now - std::chrono::hours(1))},
                             {"fecha_fin", engine::format_iso_time(now + std::chrono::hours(1))},
                             {"fecha_sorteo", draw_date()},
                             {"reglas", reglas}});
    const std::string id = rifa.value("id", "");
    EXPECT_EQ(call("PATCH", "/api/v1/rifas/" + id, json{{"estado", "activa"}}, admin_.token).status, 200);
    return id;
  }

  // Runs the due jobs with the queue's clock three days ahead: past the draw's publication.
  int settle_jobs() {
    storage::SqlJobQueue queue(test_db_->db(),
                               [] { return std::chrono::system_clock::now() + std::chrono::hours(72); });
    jobs::JobRunner runner(queue, jobs::RunnerOptions{"api-test", 1},
                           std::make_shared<spdlog::logger>("jobs", std::make_shared<spdlog::sinks::null_sink_mt>()));
    settlement::register_settlement_jobs(runner, wiring_->settlement());
    return runner.drain();
  }

  // The mock's number for draw_date(), straight from the plugin.
  std::string drawn_number() {
    auto call = plugins_->find("mock")->fetch_draw(draw_date());
    EXPECT_TRUE(call.ok()) << call.error;
    return json::parse(call.result)["numbers"][0].get<std::string>();
  }
};

TEST_F(SettlementApiTest, CreateActivateBuyCloseSettleAndReadTheResults) {
  const std::string id = open_rifa();
  auto player = register_jugador("ganadora@example.com");
  ASSERT_EQ(buy(player, id, 50, "k-1").status, 201);
  ASSERT_EQ(buy(player, id, 50, "k-2").status, 201);  // every number sold: someone must win

  auto op = make_user("op@example.com", engine::Rol::kOperador);
  auto closed = call("POST", "/api/v1/rifas/" + id + "/cerrar", "", op.token);
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json()["estado"], "cerrada");
  EXPECT_EQ(closed.json()["fecha_sorteo"], draw_date());
  auto again = call("POST", "/api/v1/rifas/" + id + "/cerrar", "{}", op.token);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["estado"], "cerrada");
  expect_problem(buy(player, id, 1, "k-3"), 409);  // sales stopped

  auto waiting = call("GET", "/api/v1/rifas/" + id + "/resultados");
  ASSERT_EQ(waiting.status, 200) << waiting.body;
  EXPECT_TRUE(waiting.json()["sorteo"].is_null());
  EXPECT_TRUE(waiting.json()["ganadores"].empty());

  EXPECT_GE(settle_jobs(), 1);
  const std::string number = drawn_number();
  const int winning = std::stoi(number.substr(number.size() - 2));

  auto results = call("GET", "/api/v1/rifas/" + id + "/resultados");
  ASSERT_EQ(results.status, 200) << results.body;
  const json r = results.json();
  EXPECT_EQ(r["estado"], "resuelta");
  EXPECT_EQ(r["sorteo"]["resultado"]["numbers"][0], number);
  EXPECT_EQ(r["sorteo"]["fecha_sorteo"], draw_date());
  EXPECT_EQ(r["sorteo"]["source_url"], "mock://draw/" + draw_date());
  EXPECT_EQ(r["sorteo"]["raw_sha256"].get<std::string>().size(), 64u);
  ASSERT_EQ(r["ganadores"].size(), 1u) << r.dump();
  const json& g = r["ganadores"][0];
  EXPECT_EQ(g["numero"], winning);
  EXPECT_EQ(g["monto_ganado"], 375'000);  // 100 tickets x 5,000 cents, less the 25 % rake
  EXPECT_EQ(g["tipo"], "cash");
  EXPECT_EQ(g["premio"], "mayor");
  EXPECT_EQ(g["pago"]["estado"], "pendiente");
  EXPECT_FALSE(g.contains("usuario_id"));  // not to the public
  EXPECT_EQ(r["total_premios"], 375'000);

  auto own = call("GET", "/api/v1/rifas/" + id + "/resultados", "", player.token);
  ASSERT_EQ(own.status, 200);
  EXPECT_EQ(own.json()["ganadores"][0]["usuario_id"], player.id);
  auto rifa = call("GET", "/api/v1/rifas/" + id).json();
  EXPECT_EQ(rifa["estado"], "resuelta");
  EXPECT_EQ(call("POST", "/api/v1/rifas/" + id + "/cerrar", "", op.token).json()["estado"], "resuelta");
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payout.send'"), 1);
}

TEST_F(SettlementApiTest, CerrarIsForStaffAndOnlyForAnActivaRifa) {
  const std::string id = open_rifa();
  auto player = register_jugador("p@example.com");
  expect_problem(call("POST", "/api/v1/rifas/" + id + "/cerrar"), 401);
  expect_problem(call("POST", "/api/v1/rifas/" + id + "/cerrar", "", player.token), 403);
  expect_problem(call("POST", "/api/v1/rifas/" + id + "/cerrar", json{{"motivo", "x"}}, admin_.token), 422, "motivo");
  expect_problem(call("POST", "/api/v1/rifas/no-such-rifa/cerrar", "", admin_.token), 404);
  const std::string pendiente = create_rifa()["id"];
  expect_problem(call("POST", "/api/v1/rifas/" + pendiente + "/cerrar", "", admin_.token), 409, "estado",
                 "estado: a pendiente rifa cannot be closed (only an activa one)");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'rifa.closed'"), 0);
}

TEST_F(SettlementApiTest, RecalcularIsForAdminsAndStopsOnceAPayoutWasSent) {
  const std::string id = open_rifa();
  auto player = register_jugador("p@example.com");
  ASSERT_EQ(buy(player, id, 100, "k-1").status, 201);
  auto op = make_user("op@example.com", engine::Rol::kOperador);
  expect_problem(call("POST", "/api/v1/rifas/" + id + "/recalcular", "", admin_.token), 409, "estado");
  ASSERT_EQ(call("POST", "/api/v1/rifas/" + id + "/cerrar", "", op.token).status, 200);
  settle_jobs();
  expect_problem(call("POST", "/api/v1/rifas/" + id + "/recalcular", "", op.token), 403);
  auto same = call("POST", "/api/v1/rifas/" + id + "/recalcular", "", admin_.token);
  ASSERT_EQ(same.status, 200) << same.body;
  EXPECT_EQ(same.json()["ganadores"].size(), 1u);
  EXPECT_EQ(same.json()["ganadores"][0]["monto_ganado"], 375'000);
  exec("UPDATE ganadores SET referencia_pago = 'po_1'");
  expect_problem(call("POST", "/api/v1/rifas/" + id + "/recalcular", "", admin_.token), 409, "",
                 "prizes cannot be recalculated: 1 payout(s) were already sent or are being sent");
}

TEST_F(SettlementApiTest, FechaSorteoDefaultsToTheFirstDrawAfterSalesEndAndIsChecked) {
  if (loteria_id_.empty()) loteria_id_ = create_loteria("Mock", "mock");
  // Sales end 2030-01-30 19:00 in Bogota; the mock draws daily at 22:30.
  auto rifa = create_rifa({{"fecha_fin", "2030-01-31T00:00:00Z"}});
  EXPECT_EQ(rifa["fecha_sorteo"], "2030-01-30");
  EXPECT_EQ(call("GET", "/api/v1/rifas/" + rifa["id"].get<std::string>()).json()["fecha_sorteo"], "2030-01-30");
  // Ending at 23:00 in Bogota misses that day's draw: the next one decides.
  EXPECT_EQ(create_rifa({{"fecha_fin", "2030-01-31T04:00:00Z"}})["fecha_sorteo"], "2030-01-31");
  EXPECT_EQ(create_rifa({{"fecha_fin", "2030-01-31T04:00:00Z"}, {"fecha_sorteo", "2030-02-05"}})["fecha_sorteo"],
            "2030-02-05");

  const json base = {{"nombre", "R"},
                     {"categoria_id", categoria_id_},
                     {"loteria_id", loteria_id_},
                     {"fecha_inicio", "2030-01-01"},
                     {"fecha_fin", "2030-01-31T00:00:00Z"}};
  const auto with = [&](const json& extra) {
    json body = base;
    body.update(extra);
    return call("POST", "/api/v1/rifas", body, admin_.token);
  };
  expect_problem(with({{"fecha_sorteo", "2030-01-29"}}), 422, "fecha_sorteo",
                 "fecha_sorteo: must be on or after the date of fecha_fin (2030-01-30 America/Bogota)");
  expect_problem(with({{"fecha_sorteo", "2030-02-30"}}), 422, "fecha_sorteo",
                 "fecha_sorteo: must be a date as YYYY-MM-DD");
  expect_problem(with({{"fecha_sorteo", 20300201}}), 422, "fecha_sorteo");
  // Moving fecha_fin of a pendiente rifa past its draw moves the draw with it.
  const std::string id = rifa["id"];
  auto moved = call("PATCH", "/api/v1/rifas/" + id, json{{"fecha_fin", "2030-02-10T12:00:00Z"}}, admin_.token);
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.json()["fecha_sorteo"], "2030-02-10");
}

TEST_F(SettlementApiTest, ReglasAreValidatedWithThePathOfTheMistake) {
  const auto tiers = [](const json& tier) { return json{{"tiers", {tier}}}; };
  const json match = {{"field", "numero"}, {"digits", "last"}, {"count", 2}};
  if (categoria_id_.empty()) categoria_id_ = create_categoria("Oro");
  if (loteria_id_.empty()) loteria_id_ = create_loteria("Mock", "mock");
  const json base = {{"nombre", "R"},
                     {"categoria_id", categoria_id_},
                     {"loteria_id", loteria_id_},
                     {"fecha_inicio", "2030-01-01"},
                     {"fecha_fin", "2030-01-31T00:00:00Z"}};
  const auto with = [&](const json& reglas) {
    json body = base;
    body["reglas"] = reglas;
    return call("POST", "/api/v1/rifas", body, admin_.token);
  };
  expect_problem(with(tiers({{"match", match}, {"share_bp", 10001}})), 422, "reglas.tiers[0].share_bp",
                 "reglas.tiers[0].share_bp: must be an integer 0..10000");
  expect_problem(with(tiers({{"match", {{"field", "numero"}, {"digits", "last"}, {"count", 3}}}, {"share_bp", 10000}})),
                 422, "reglas.tiers[0].match.count",
                 "reglas.tiers[0].match.count: takes 3 digits but the 100 ticket numbers have 2");
  expect_problem(with({{"tiers", json::array()}}), 422, "reglas.tiers");
  expect_problem(with({{"premios", 1}}), 422, "reglas.premios");
  ASSERT_EQ(with(tiers({{"match", match}, {"share_bp", 10000}})).status, 201);

  // Without reglas the default rule is written out, and follows the size while pendiente.
  auto defaulted = create_rifa({{"total_boletas", 1000}});
  EXPECT_EQ(defaulted["reglas"], settlement::default_reglas(1000));
  EXPECT_EQ(defaulted["reglas"]["tiers"][0]["match"]["count"], 3);
  auto resized =
      call("PATCH", "/api/v1/rifas/" + defaulted["id"].get<std::string>(), json{{"total_boletas", 100}}, admin_.token);
  ASSERT_EQ(resized.status, 200) << resized.body;
  EXPECT_EQ(resized.json()["reglas"]["tiers"][0]["match"]["count"], 2);
}

}  // namespace
}  // namespace rifa::testing
