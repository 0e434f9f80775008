// Retención en la fuente on prizes (issue 15 item 1) end to end over real HTTP, on SQLite and
// PostgreSQL, with the real lottery_mock (draws), payment_sandbox (sales and payouts, its own
// state file showing what it was asked to pay) and notifier_log (the events as a notifier gets
// them): create, activate, buy, close, settle and pay through the job runner, then /resultados,
// the winner notification, the verificacion document (checked as `rifa-host verify` checks it) and
// GET /admin/reportes/retenciones must agree, and the sandbox must have paid the net.
#include <chrono>
#include <fstream>

#include <spdlog/sinks/null_sink.h>

#include "app/payout_jobs.hpp"
#include "engine/iso_time.hpp"
#include "engine/settlement/draw_timing.hpp"
#include "engine/settlement/settlement_service.hpp"
#include "engine/settlement/verification_check.hpp"
#include "jobs/job_runner.hpp"
#include "jobs/settlement_scheduler.hpp"
#include "sales_fixture.hpp"
#include "storage/sql_job_queue.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

std::string draw_date() { return settlement::bogota_date(std::chrono::system_clock::now() + std::chrono::hours(26)); }
int this_year() { return settlement::bogota_year(std::chrono::system_clock::now()); }

// A UVT of 50 pesos: 48 UVT = 2.400 pesos = 240.000 cents, under a 375.000-cent fund (100 tickets
// of 5.000 cents, rake 25 %), so that a test rifa's prize crosses it.
constexpr int64_t kTestUvtPesos = 50;

class PrizeTaxApiTest : public SalesApiTest {
 protected:
  std::string text(const std::string& sql_text) {
    std::string out;
    auto lease = test_db_->db().lease();
    lease.session() << sql_text, soci::into(out);
    return out;
  }
  void configure_api(app::ApiWiringOptions& options) override {
    SalesApiTest::configure_api(options);
    plugin_runtime::HostServices services;
    services.logger = std::make_shared<spdlog::logger>("plugin", std::make_shared<spdlog::sinks::null_sink_mt>());
    services.now_unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    const auto dir = std::filesystem::path(RIFA_PLUGIN_DIR);
    auto mock = plugins_->add({"mock", dir / "liblottery_mock.so", RIFA_KIND_LOTTERY,
                               json{{"seed", "tax"}, {"scripted", {{draw_date(), {"ok"}}}}}},
                              services);
    ASSERT_TRUE(mock.ok()) << mock.error().message;
    auto sandbox = plugins_->add({"sandbox_tax", dir / "libpayment_sandbox.so", RIFA_KIND_PAYMENT,
                                  json{{"confirm", "immediate"},
                                       {"webhook_secret", kSandboxSecret},
                                       {"state_file", (files_.path() / "sandbox.jsonl").string()}}},
                                 services);
    ASSERT_TRUE(sandbox.ok()) << sandbox.error().message;
    auto log = plugins_->add({"log_tax", dir / "libnotifier_log.so", RIFA_KIND_NOTIFIER,
                              json{{"path", (files_.path() / "log_tax.jsonl").string()}}},
                             services);
    ASSERT_TRUE(log.ok()) << log.error().message;
    options.bindings.defaults.lottery = "mock";
    options.bindings.defaults.notifiers = {"log_tax"};
    options.bindings.categorias["Tax"].payment = "sandbox_tax";
    tax_.enabled = true;
    tax_.uvt_pesos_by_year = {{this_year(), kTestUvtPesos}, {this_year() + 1, kTestUvtPesos}};
    options.tax = tax_;
    bindings_ = options.bindings;
  }

  std::string open_rifa(const json& reglas) {
    if (!categorias_.count("Tax")) categorias_["Tax"] = create_categoria("Tax", 5000);
    if (loteria_id_.empty()) loteria_id_ = create_loteria("Mock", "mock");
    categoria_id_ = categorias_["Tax"];
    const auto now = std::chrono::system_clock::now();
    auto rifa = create_rifa({{"fecha_inicio", engine::format_iso_time(now - std::chrono::hours(1))},
                             {"fecha_fin", engine::format_iso_time(now + std::chrono::hours(1))},
                             {"fecha_sorteo", draw_date()},
                             {"reglas", reglas}});
    const std::string id = rifa.value("id", "");
    EXPECT_EQ(call("PATCH", "/api/v1/rifas/" + id, json{{"estado", "activa"}}, admin_.token).status, 200);
    return id;
  }

  // Every number sold to one player, the rifa closed and settled (the queue's clock 3 days on).
  void sell_all_and_settle(const std::string& id, const Account& player) {
    ASSERT_EQ(buy(player, id, 50, "k-" + id + "-1").status, 201);
    ASSERT_EQ(buy(player, id, 50, "k-" + id + "-2").status, 201);
    ASSERT_EQ(call("POST", "/api/v1/rifas/" + id + "/cerrar", "", admin_.token).status, 200);
    run_jobs(false);
  }

  // The due jobs: settlement's; with `payouts`, also payouts and notifications, a month on. The
  // payout service's clock is `payout_clock` (default: the system's).
  int run_jobs(bool payouts, const engine::Clock* payout_clock = nullptr) {
    const auto ahead = payouts ? std::chrono::hours(24 * 30) : std::chrono::hours(72);
    storage::SqlJobQueue queue(test_db_->db(), [ahead] { return std::chrono::system_clock::now() + ahead; });
    jobs::JobRunner runner(queue, jobs::RunnerOptions{"tax-test", 1},
                           std::make_shared<spdlog::logger>("jobs", std::make_shared<spdlog::sinks::null_sink_mt>()));
    settlement::register_settlement_jobs(runner, wiring_->settlement());
    settings_.bindings = bindings_;
    settings_.jobs.max_attempts = 1;
    settings_.tax = tax_;
    app::PayoutJobsShared shared;
    shared.clock = payout_clock;
    if (payouts) app::register_payout_jobs(runner, test_db_->db(), settings_, *plugins_, shared);
    return runner.drain();
  }

  std::string drawn_number() {
    auto call = plugins_->find("mock")->fetch_draw(draw_date());
    EXPECT_TRUE(call.ok()) << call.error;
    return json::parse(call.result)["numbers"][0].get<std::string>();
  }

  std::vector<json> lines(const std::string& file) {
    std::vector<json> out;
    std::ifstream in(files_.path() / file);
    std::string line;
    while (std::getline(in, line)) {
      if (!line.empty()) out.push_back(json::parse(line));
    }
    return out;
  }
  std::vector<json> events(const std::string& type) {
    std::vector<json> out;
    for (auto& e : lines("log_tax.jsonl")) {
      if (e.value("type", "") == type) out.push_back(e);
    }
    return out;
  }
  std::vector<int64_t> sandbox_payouts() {
    std::vector<int64_t> out;
    for (const auto& e : lines("sandbox.jsonl")) {
      if (e["kind"] == "payout") out.push_back(e["record"]["amount_cents"].get<int64_t>());
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  json report(const std::string& extra = "") {
    const auto now = std::chrono::system_clock::now();
    const std::string desde = settlement::bogota_date(now - std::chrono::hours(24));
    const std::string hasta = settlement::bogota_date(now + std::chrono::hours(24 * 31));
    auto r =
        call("GET", "/api/v1/admin/reportes/retenciones?desde=" + desde + "&hasta=" + hasta + extra, "", admin_.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  TempDir files_;
  settlement::TaxRules tax_;
  settings::Bindings bindings_;
  settings::Settings settings_;
};

json two_tiers() {
  return {
      {"tiers",
       {{{"name", "mayor"}, {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", 7000}},
        {{"name", "seco"}, {"match", {{"field", "numero"}, {"digits", "first"}, {"count", 2}}}, {"share_bp", 3000}}}},
      {"unsold", "house"}};
}

// A split prize: the fund of 375.000 cents goes 70 % / 30 %. 262.500 is above 48 UVT (240.000):
// 20 % withheld; 112.500 is below: nothing withheld, though the rifa's total is above.
TEST_F(PrizeTaxApiTest, ResultadosNotificationVerificacionAndReportAgreeAndTheSandboxPaysTheNet) {
  const std::string id = open_rifa(two_tiers());
  auto player = register_jugador("ganadora@example.com", "Ana Ganadora");
  sell_all_and_settle(id, player);
  EXPECT_GE(run_jobs(true), 2);

  const std::string number = drawn_number();
  const int last_two = std::stoi(number.substr(number.size() - 2)), first_two = std::stoi(number.substr(0, 2));

  // /resultados
  auto results = call("GET", "/api/v1/rifas/" + id + "/resultados", "", admin_.token);
  ASSERT_EQ(results.status, 200) << results.body;
  const json r = results.json();
  ASSERT_EQ(r["ganadores"].size(), 2u) << r.dump();
  const json& mayor = r["ganadores"][0];
  const json& seco = r["ganadores"][1];
  EXPECT_EQ(mayor["numero"], last_two);
  EXPECT_EQ(seco["numero"], first_two);
  EXPECT_EQ(mayor["monto_ganado"], 262'500);
  EXPECT_EQ(mayor["monto_bruto"], 262'500);
  EXPECT_EQ(mayor["retencion"], 52'500);
  EXPECT_EQ(mayor["monto_neto"], 210'000);
  EXPECT_EQ(mayor["uvt_anio"], this_year());
  EXPECT_EQ(seco["monto_bruto"], 112'500);
  EXPECT_EQ(seco["retencion"], 0);
  EXPECT_EQ(seco["monto_neto"], 112'500);
  EXPECT_EQ(mayor["pago"]["estado"], "enviado") << mayor.dump();
  EXPECT_EQ(seco["pago"]["estado"], "enviado") << seco.dump();
  EXPECT_EQ(r["total_premios"], 375'000);
  EXPECT_EQ(r["total_retencion"], 52'500);

  // The provider was asked for the net, and the payouts rows hold it.
  EXPECT_EQ(sandbox_payouts(), (std::vector<int64_t>{112'500, 210'000}));
  EXPECT_EQ(count("SELECT count(*) FROM payouts WHERE estado = 'enviado' AND monto IN (210000, 112500)"), 2);

  // The winner notification (as the notifier got it) and the payout_sent one.
  const auto winners = events("winner");
  ASSERT_EQ(winners.size(), 2u);
  for (const auto& e : winners) {
    const json& d = e["data"];
    const json& shown = d["tier"] == 0 ? mayor : seco;
    EXPECT_EQ(d["ganador_id"], shown["id"]);
    EXPECT_EQ(d["monto_bruto"], shown["monto_bruto"]);
    EXPECT_EQ(d["retencion"], shown["retencion"]);
    EXPECT_EQ(d["monto_neto"], shown["monto_neto"]);
  }
  const auto sent = events("payout_sent");
  ASSERT_EQ(sent.size(), 2u);
  for (const auto& e : sent) {
    const json& d = e["data"];
    const json& shown = d["tier"] == 0 ? mayor : seco;
    EXPECT_EQ(d["amount_cents"], shown["monto_neto"]);
    EXPECT_EQ(d["retencion"], shown["retencion"]);
  }

  // The verificacion document, checked as `rifa-host verify` checks it.
  auto doc = call("GET", "/api/v1/rifas/" + id + "/verificacion");
  ASSERT_EQ(doc.status, 200) << doc.body;
  json v = doc.json();
  for (const auto& g : v["ganadores"]) {
    const json& shown = g["tier"] == 0 ? mayor : seco;
    EXPECT_EQ(g["monto_bruto"], shown["monto_bruto"]);
    EXPECT_EQ(g["retencion"], shown["retencion"]);
    EXPECT_EQ(g["monto_neto"], shown["monto_neto"]);
    EXPECT_EQ(g["retencion_regla"]["umbral_cents"], 48 * kTestUvtPesos * 100);
    EXPECT_EQ(g["retencion_regla"]["tarifa_bp"], 2000);
  }
  auto check = settlement::check_verification(v);
  EXPECT_TRUE(check.ok()) << json(check.differences).dump();
  bool withholding_checked = false;
  for (const auto& line : check.passed) withholding_checked |= line.find("withholding on prizes") != std::string::npos;
  EXPECT_TRUE(withholding_checked) << json(check.passed).dump();
  // A withholding that does not follow the rule, or an amount that does not add up, is caught.
  json wrong = v;
  wrong["ganadores"][0]["retencion"] = wrong["ganadores"][0]["retencion"].get<int64_t>() + 1;
  wrong["ganadores"][0]["monto_neto"] = wrong["ganadores"][0]["monto_neto"].get<int64_t>() - 1;
  EXPECT_FALSE(settlement::check_verification(wrong).ok());
  wrong = v;
  wrong["ganadores"][1]["monto_neto"] = 1;
  EXPECT_FALSE(settlement::check_verification(wrong).ok());

  // The report: per winner, with totals; JSON, ?formato=csv and Accept: text/csv.
  const json rep = report();
  ASSERT_EQ(rep["retenciones"].size(), 2u) << rep.dump();
  EXPECT_EQ(rep["totales"]["bruto"], 375'000);
  EXPECT_EQ(rep["totales"]["retencion"], 52'500);
  EXPECT_EQ(rep["totales"]["neto"], 322'500);
  for (const auto& row : rep["retenciones"]) {
    const json& shown = row["tier"] == 0 ? mayor : seco;
    EXPECT_EQ(row["ganador_id"], shown["id"]);
    EXPECT_EQ(row["bruto"], shown["monto_bruto"]);
    EXPECT_EQ(row["retencion"], shown["retencion"]);
    EXPECT_EQ(row["neto"], shown["monto_neto"]);
    EXPECT_EQ(row["fecha"], shown["pago"]["fecha_pago"]);
    EXPECT_EQ(row["rifa_id"], id);
    EXPECT_EQ(row["usuario_id"], player.id);
    EXPECT_EQ(row["nombre"], "Ana Ganadora");
    EXPECT_EQ(row["email"], "ganadora@example.com");
    // The document the operator declares to the DIAN, as the player registered it.
    EXPECT_EQ(row["documento_tipo"], "CC");
    EXPECT_EQ(row["documento_numero"], text("SELECT documento_numero FROM users WHERE id = '" + player.id + "'"));
    EXPECT_EQ(row["tipo"], "cash");
  }
  const auto now = std::chrono::system_clock::now();
  const std::string range = "desde=" + settlement::bogota_date(now - std::chrono::hours(24)) +
                            "&hasta=" + settlement::bogota_date(now + std::chrono::hours(24 * 31));
  auto csv = call("GET", "/api/v1/admin/reportes/retenciones?" + range + "&formato=csv", "", admin_.token);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(csv.headers["content-type"].rfind("text/csv", 0), 0u) << csv.headers["content-type"];
  EXPECT_NE(csv.body.find("," + mayor["id"].get<std::string>() + ","), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find(",262500,52500,210000,"), std::string::npos) << csv.body;
  EXPECT_NE(csv.body.find("TOTAL,,,,,,,,,,,,,375000,52500,322500,"), std::string::npos) << csv.body;
  EXPECT_NE(
      csv.body.find(",CC," + text("SELECT documento_numero FROM users WHERE id = '" + player.id + "'") + ",cash,"),
      std::string::npos)
      << csv.body;
  auto accepted =
      http_call("GET", url("/api/v1/admin/reportes/retenciones?" + range), "", admin_.token, {"Accept: text/csv"});
  ASSERT_EQ(accepted.status, 200);
  EXPECT_EQ(accepted.body, csv.body);
  // Admins only; the range is checked.
  expect_problem(call("GET", "/api/v1/admin/reportes/retenciones?" + range, "", player.token), 403);
  expect_problem(call("GET", "/api/v1/admin/reportes/retenciones?desde=2026-12-31&hasta=2026-12-01", "", admin_.token),
                 422, "hasta");
}

// A prize in kind: its commercial value is the base; the winner owes the withholding before
// delivery, so delivery is refused (409 withholding-unpaid) until an admin records it paid.
TEST_F(PrizeTaxApiTest, APrizeInKindIsDeliveredOnlyOnceTheWinnerPaidTheWithholding) {
  const json reglas = {
      {"tiers",
       {{{"name", "moto"},
         {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}},
         {"prize", {{"type", "in_kind"}, {"description", "Moto AKT 125"}, {"value_cents", 650'000}}}}}},
      {"unsold", "house"}};
  const std::string id = open_rifa(reglas);
  auto player = register_jugador("moto@example.com", "Beto Moto");
  sell_all_and_settle(id, player);
  run_jobs(true);

  auto results = call("GET", "/api/v1/rifas/" + id + "/resultados", "", admin_.token).json();
  ASSERT_EQ(results["ganadores"].size(), 1u) << results.dump();
  const json g = results["ganadores"][0];
  const std::string ganador = g["id"];
  EXPECT_EQ(g["tipo"], "in_kind");
  EXPECT_EQ(g["monto_ganado"], 0);
  EXPECT_EQ(g["monto_bruto"], 650'000);
  EXPECT_EQ(g["retencion"], 130'000);
  EXPECT_EQ(g["monto_neto"], 520'000);
  EXPECT_TRUE(g["retencion_pagada"]["fecha"].is_null());
  EXPECT_TRUE(sandbox_payouts().empty());  // nothing is sent for a prize in kind
  const auto winners = events("winner");
  ASSERT_EQ(winners.size(), 1u);
  EXPECT_EQ(winners[0]["data"]["retencion"], 130'000);
  EXPECT_EQ(winners[0]["data"]["monto_bruto"], 650'000);

  auto op = make_user("op@example.com", engine::Rol::kOperador);
  auto refused = call("POST", "/api/v1/ganadores/" + ganador + "/entregado", "", op.token);
  expect_problem(refused, 409, "retencion");
  EXPECT_EQ(refused.json()["type"], "https://rifa1122.dev/problems/withholding-unpaid");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'prize.delivered'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM payouts WHERE estado = 'entregado'"), 0);
  EXPECT_TRUE(report()["retenciones"].empty());  // nothing paid yet

  // Recording it: admins only, with a receipt reference.
  expect_problem(call("POST", "/api/v1/ganadores/" + ganador + "/retencion", json{{"referencia", "RC-1"}}, op.token),
                 403);
  expect_problem(call("POST", "/api/v1/ganadores/" + ganador + "/retencion", json::object(), admin_.token), 422,
                 "referencia");
  auto recorded =
      call("POST", "/api/v1/ganadores/" + ganador + "/retencion", json{{"referencia", "RC-1"}}, admin_.token);
  ASSERT_EQ(recorded.status, 200) << recorded.body;
  EXPECT_EQ(recorded.json()["retencion_pagada"]["referencia"], "RC-1");
  auto again = call("POST", "/api/v1/ganadores/" + ganador + "/retencion", json{{"referencia", "RC-2"}}, admin_.token);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["retencion_pagada"]["referencia"], "RC-1");  // the first stays
  EXPECT_EQ(
      count("SELECT count(*) FROM audit_log WHERE action = 'prize.withholding_paid' AND entity_id = '" + ganador + "'"),
      1);

  auto delivered = call("POST", "/api/v1/ganadores/" + ganador + "/entregado", "", op.token);
  ASSERT_EQ(delivered.status, 200) << delivered.body;
  EXPECT_EQ(delivered.json()["pago"]["estado"], "entregado");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'prize.delivered' AND entity_id = '" + ganador + "'"),
            1);

  const json rep = report();
  ASSERT_EQ(rep["retenciones"].size(), 1u) << rep.dump();
  const json& row = rep["retenciones"][0];
  EXPECT_EQ(row["tipo"], "in_kind");
  EXPECT_EQ(row["bruto"], 650'000);
  EXPECT_EQ(row["retencion"], 130'000);
  EXPECT_EQ(row["neto"], 520'000);
  auto shown = call("GET", "/api/v1/rifas/" + id + "/resultados", "", admin_.token).json()["ganadores"][0];
  EXPECT_EQ(row["fecha"], shown["retencion_pagada"]["fecha"]);
  auto check = settlement::check_verification(call("GET", "/api/v1/rifas/" + id + "/verificacion").json());
  EXPECT_TRUE(check.ok()) << json(check.differences).dump();
}

// The year of payment picks the UVT: settled in one year, paid in the next, whose UVT puts the
// prize below 48 UVT: nothing is withheld and the whole prize is paid.
TEST_F(PrizeTaxApiTest, APrizePaidInTheNextYearIsJudgedWithThatYearsUvt) {
  tax_.uvt_pesos_by_year[this_year() + 1] = 100;  // 48 UVT = 480.000 cents, above the 375.000 fund
  const json one = {
      {"tiers",
       {{{"name", "mayor"}, {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}}, {"share_bp", 10000}}}},
      {"unsold", "house"}};
  const std::string id = open_rifa(one);
  auto player = register_jugador("enero@example.com");
  sell_all_and_settle(id, player);
  auto settled = call("GET", "/api/v1/rifas/" + id + "/resultados", "", admin_.token).json()["ganadores"][0];
  EXPECT_EQ(settled["retencion"], 75'000);  // this year's UVT: 375.000 > 240.000
  EXPECT_EQ(settled["uvt_anio"], this_year());

  ManualClock next_year;
  next_year.advance(std::chrono::hours(24 * 366));
  ASSERT_EQ(settlement::bogota_year(next_year.now()), this_year() + 1);
  run_jobs(true, &next_year);
  auto paid = call("GET", "/api/v1/rifas/" + id + "/resultados", "", admin_.token).json()["ganadores"][0];
  EXPECT_EQ(paid["pago"]["estado"], "enviado") << paid.dump();
  EXPECT_EQ(paid["retencion"], 0);
  EXPECT_EQ(paid["monto_neto"], 375'000);
  EXPECT_EQ(paid["uvt_anio"], this_year() + 1);
  EXPECT_EQ(sandbox_payouts(), (std::vector<int64_t>{375'000}));
  auto check = settlement::check_verification(call("GET", "/api/v1/rifas/" + id + "/verificacion").json());
  EXPECT_TRUE(check.ok()) << json(check.differences).dump();

  // A year with no UVT configured: the payout stops with an error naming it, nothing is sent.
  const std::string other = open_rifa(one);
  auto second = register_jugador("sinuvt@example.com");
  sell_all_and_settle(other, second);
  ManualClock far;
  far.advance(std::chrono::hours(24 * 365 * 5));
  run_jobs(true, &far);
  auto stuck = call("GET", "/api/v1/rifas/" + other + "/resultados", "", admin_.token).json()["ganadores"][0];
  EXPECT_NE(stuck["pago"]["estado"], "enviado");
  EXPECT_EQ(sandbox_payouts().size(), 1u);
  const std::string year = std::to_string(settlement::bogota_year(far.now()));
  EXPECT_EQ(
      count("SELECT count(*) FROM jobs WHERE kind = 'payout.send' AND last_error LIKE '%tax.uvt has no value for " +
            year + "%'"),
      1);
}

}  // namespace
}  // namespace rifa::testing
