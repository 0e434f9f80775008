// Retención en la fuente on prizes (issue 15 item 1) end to end over real HTTP, on SQLite and
// PostgreSQL, with the real lottery_mock (draws), payment_sandbox (sales and payouts, its own
// state file showing what it was asked to pay) and notifier_log (the events as a notifier gets
// them): create, activate, buy, close, settle and pay through the job runner, then /resultados,
// the winner notification, the verificacion document (checked as `rifa-host verify` checks it) and
// GET /admin/reportes/retenciones must agree, and the sandbox must have paid the net.
#include <chrono>
#include <fstream>
#include <map>
#include <set>

#include <spdlog/sinks/null_sink.h>

#include "app/job_wiring.hpp"
#include "app/payout_jobs.hpp"
#include "engine/iso_time.hpp"
#include "engine/settlement/draw_timing.hpp"
#include "engine/settlement/settlement_service.hpp"
#include "engine/settlement/verification_check.hpp"
#include "jobs/job_runner.hpp"
#include "jobs/settlement_scheduler.hpp"
#include "settings/environment.hpp"
#include "settings/settings.hpp"
#include "sales_fixture.hpp"
#include "storage/sql_job_queue.hpp"
#include "storage/repositories/audit_chain_verifier.hpp"
#include "storage/repositories/audit_sealer.hpp"
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

  // What shows the money of rifa `id`: the withholding report (JSON, CSV) and the ingresos of this
  // month, /resultados and the verificacion document; erasing a player must not change a byte.
  std::vector<std::string> money_views(const std::string& id) {
    const auto now = std::chrono::system_clock::now();
    const std::string range = "desde=" + settlement::bogota_date(now - std::chrono::hours(24)) +
                              "&hasta=" + settlement::bogota_date(now + std::chrono::hours(24 * 31));
    return {"/api/v1/admin/reportes/retenciones?" + range,
            "/api/v1/admin/reportes/retenciones?" + range + "&formato=csv", "/api/v1/admin/reportes/ingresos?" + range,
            "/api/v1/rifas/" + id + "/resultados", "/api/v1/rifas/" + id + "/verificacion"};
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

// The whole fund to the last two digits (share_bp of it).
json one_tier(int share_bp = 10000) {
  return {{"tiers",
           {{{"name", "mayor"},
             {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}},
             {"share_bp", share_bp}}}},
          {"unsold", "house"}};
}

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
    EXPECT_FALSE(row.contains("email"));  // the declaration does not need it; erasure takes it
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
  EXPECT_NE(csv.body.find("TOTAL,,,,,,,,,,,,375000,52500,322500,"), std::string::npos) << csv.body;
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
  const json one = one_tier();
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

// Erasing a winner's personal data (Ley 1581) keeps the withholding record the law makes the
// operator keep (Estatuto Tributario): the report still names the beneficiary and their document
// as of the withholding, and nothing the operator or the public sees about the money moves.
TEST_F(PrizeTaxApiTest, ErasingAWinnerLeavesTheWithholdingRecordsAndTotalsAsTheyWere) {
  const std::string id = open_rifa(two_tiers());
  auto player = register_jugador("borrada@example.com", "Bea Borrada");
  sell_all_and_settle(id, player);
  EXPECT_GE(run_jobs(true), 2);
  const std::string documento = text("SELECT documento_numero FROM users WHERE id = '" + player.id + "'");
  ASSERT_FALSE(documento.empty());

  const std::vector<std::string> paths = money_views(id);
  std::vector<std::string> before;
  for (const auto& path : paths) {
    auto r = call("GET", path, "", admin_.token);
    ASSERT_EQ(r.status, 200) << path << ": " << r.body;
    before.push_back(r.body);
  }
  const json rows = json::parse(before[0])["retenciones"];
  ASSERT_EQ(rows.size(), 2u) << before[0];
  for (const auto& row : rows) {
    EXPECT_EQ(row["nombre"], "Bea Borrada");
    EXPECT_EQ(row["documento_tipo"], "CC");
    EXPECT_EQ(row["documento_numero"], documento);
  }
  EXPECT_NE(before[1].find(",Bea Borrada,CC," + documento + ",cash,"), std::string::npos) << before[1];

  auto erased = call("DELETE", "/api/v1/users/" + player.id + "?erase=true", "", player.token);
  ASSERT_EQ(erased.status, 204) << erased.body;
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE documento_numero = '" + documento + "'"), 0);
  for (size_t i = 0; i < paths.size(); ++i) {
    auto r = call("GET", paths[i], "", admin_.token);
    ASSERT_EQ(r.status, 200) << paths[i] << ": " << r.body;
    EXPECT_EQ(r.body, before[i]) << paths[i];
  }
  auto check = settlement::check_verification(json::parse(before[4]));
  EXPECT_TRUE(check.ok()) << json(check.differences).dump();
  // The audit chain still verifies (rifa-host audit verify runs verify_audit_chain).
  ASSERT_TRUE(storage::seal_pending_audit(test_db_->db()).ok());
  auto chain = storage::verify_audit_chain(test_db_->db());
  ASSERT_TRUE(chain.ok()) << chain.error().message;
  EXPECT_TRUE(chain->intact()) << chain->problem;
}

// A winner erased after the settlement and before the payment: the withholding paid later still
// names them (the erasure took the snapshot while the users row had it).
TEST_F(PrizeTaxApiTest, AWinnerErasedBeforePaymentIsStillTheBeneficiaryOfTheWithholding) {
  const json one = one_tier();
  const std::string id = open_rifa(one);
  auto player = register_jugador("antes@example.com", "Ciro Antes");
  sell_all_and_settle(id, player);
  const std::string documento = text("SELECT documento_numero FROM users WHERE id = '" + player.id + "'");
  ASSERT_EQ(call("DELETE", "/api/v1/users/" + player.id + "?erase=true", "", player.token).status, 204);
  run_jobs(true);
  const json rep = report();
  ASSERT_EQ(rep["retenciones"].size(), 1u) << rep.dump();
  EXPECT_EQ(rep["retenciones"][0]["retencion"], 75'000);
  EXPECT_EQ(rep["retenciones"][0]["nombre"], "Ciro Antes");
  EXPECT_EQ(rep["retenciones"][0]["documento_tipo"], "CC");
  EXPECT_EQ(rep["retenciones"][0]["documento_numero"], documento);
}

// An account made before sign-up asked for a document (migration 0017 left it NULL): a prize above
// 48 UVT is neither paid (job nor by hand) nor, in kind, its withholding recorded until the winner
// gives one through PATCH /users/{id}; once set only an admin changes it, audited.
TEST_F(PrizeTaxApiTest, APrizeAboveTheThresholdWaitsForTheWinnersDocument) {
  const json one = one_tier();
  const std::string id = open_rifa(one);
  auto player = register_jugador("sindoc@example.com", "Dora Sindoc");
  const auto forget_document = [&](const std::string& user_id) {
    auto lease = test_db_->db().lease();
    lease.session() << "UPDATE users SET documento_tipo = NULL, documento_numero = NULL WHERE id = :id",
        soci::use(user_id);
  };
  forget_document(player.id);
  sell_all_and_settle(id, player);
  run_jobs(true);
  auto g = call("GET", "/api/v1/rifas/" + id + "/resultados", "", admin_.token).json()["ganadores"][0];
  const std::string ganador = g["id"];
  EXPECT_EQ(g["retencion"], 75'000);
  EXPECT_NE(g["pago"]["estado"], "enviado") << g.dump();
  EXPECT_TRUE(sandbox_payouts().empty());
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payout.send' AND last_error LIKE "
                  "'%documento_numero%PATCH /api/v1/users/" +
                  player.id + "%'"),
            1);
  auto refused = call("POST", "/api/v1/ganadores/" + ganador + "/pagos", json{{"referencia", "TRF-1"}}, admin_.token);
  expect_problem(refused, 409, "documento_numero");
  EXPECT_NE(refused.json()["detail"].get<std::string>().find("documento_tipo and documento_numero"), std::string::npos)
      << refused.body;
  EXPECT_EQ(count("SELECT count(*) FROM payouts WHERE ganador_id = '" + ganador + "'"), 0);

  // The player gives it: checked as at sign-up, both or neither, once.
  expect_problem(call("PATCH", "/api/v1/users/" + player.id, json{{"documento_tipo", "CC"}}, player.token), 422,
                 "documento_numero");
  expect_problem(call("PATCH", "/api/v1/users/" + player.id, json{{"documento_tipo", "CC"}, {"documento_numero", "12"}},
                      player.token),
                 422, "documento_numero");
  auto given = call("PATCH", "/api/v1/users/" + player.id,
                    json{{"documento_tipo", "CC"}, {"documento_numero", "1.234.567"}}, player.token);
  ASSERT_EQ(given.status, 200) << given.body;
  EXPECT_EQ(given.json()["documento_numero"], "1234567");
  expect_problem(call("PATCH", "/api/v1/users/" + player.id,
                      json{{"documento_tipo", "CC"}, {"documento_numero", "7654321"}}, player.token),
                 409, "documento_numero");
  auto corrected = call("PATCH", "/api/v1/users/" + player.id,
                        json{{"documento_tipo", "CE"}, {"documento_numero", "7654321"}}, admin_.token);
  ASSERT_EQ(corrected.status, 200) << corrected.body;
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'user.document_corrected' AND entity_id = '" +
                  player.id + "'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE CAST(data AS TEXT) LIKE '%7654321%'"), 0);

  auto paid = call("POST", "/api/v1/ganadores/" + ganador + "/pagos", json{{"referencia", "TRF-1"}}, admin_.token);
  ASSERT_EQ(paid.status, 200) << paid.body;
  const json rep = report();
  ASSERT_EQ(rep["retenciones"].size(), 1u) << rep.dump();
  EXPECT_EQ(rep["retenciones"][0]["documento_tipo"], "CE");
  EXPECT_EQ(rep["retenciones"][0]["documento_numero"], "7654321");

  // In kind: the withholding is not recorded paid without the document either.
  const json moto = {{"tiers",
                      {{{"name", "moto"},
                        {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}},
                        {"prize", {{"type", "in_kind"}, {"description", "Moto AKT 125"}, {"value_cents", 650'000}}}}}},
                     {"unsold", "house"}};
  const std::string other = open_rifa(moto);
  auto second = register_jugador("sindoc2@example.com");
  forget_document(second.id);
  sell_all_and_settle(other, second);
  const std::string in_kind =
      call("GET", "/api/v1/rifas/" + other + "/resultados", "", admin_.token).json()["ganadores"][0]["id"];
  expect_problem(
      call("POST", "/api/v1/ganadores/" + in_kind + "/retencion", json{{"referencia", "RC-9"}}, admin_.token), 409,
      "documento_numero");
  EXPECT_EQ(count("SELECT count(*) FROM ganadores WHERE retencion_pagada_en IS NOT NULL"), 0);
}

// Habeas data: GET /users/{id}/export against the database itself. The tables are listed from the
// catalog and every column of every row is searched for the player's id and email, whatever the
// column is called (user_id, usuario_id, comprador_id, entregado_por, aprobado_por, registrada_por,
// a job's JSON payload, the audit's actor, the log-in throttle's key): each such row must be in the
// export with the same values. The player won a prize (paid to the account they gave), failed a
// log-in and had a purchase refunded, so that every kind of row about them exists.
TEST_F(PrizeTaxApiTest, TheExportHoldsEveryRowOfTheDatabaseThatNamesThePlayer) {
  const json one = one_tier();
  const std::string id = open_rifa(one);
  const std::string email = "exporta@example.com";
  auto ana = register_jugador(email, "Eva Exporta");
  auto beto = register_jugador("beto-export@example.com");
  sell_all_and_settle(id, ana);
  const std::string ganador =
      call("GET", "/api/v1/rifas/" + id + "/resultados", "", admin_.token).json()["ganadores"][0]["id"];
  const std::string documento = text("SELECT documento_numero FROM users WHERE id = '" + ana.id + "'");
  auto account = call("PUT", "/api/v1/ganadores/" + ganador + "/cuenta",
                      json{{"tipo", "bancaria"},
                           {"banco", "bancolombia"},
                           {"tipo_cuenta", "ahorros"},
                           {"numero", "123-456789-01"},
                           {"documento_tipo", "CC"},
                           {"documento_numero", documento}},
                      ana.token);
  ASSERT_EQ(account.status, 200) << account.body;
  // A refund: a purchase in a rifa that is then cancelled.
  const std::string other = open_rifa(one);
  ASSERT_EQ(buy(ana, other, 1, "k-refund").status, 201);
  ASSERT_EQ(buy(beto, other, 1, "k-beto").status, 201);
  ASSERT_EQ(call("PATCH", "/api/v1/rifas/" + other, json{{"estado", "cancelada"}}, admin_.token).status, 200);
  run_jobs(true);
  EXPECT_EQ(sandbox_payouts().size(), 1u);
  // A failed log-in.
  EXPECT_EQ(call("POST", "/api/v1/auth/login", json{{"email", email}, {"password", "wrong-password-1"}}, "").status,
            401);

  auto reply = call("GET", "/api/v1/users/" + ana.id + "/export", "", ana.token);
  ASSERT_EQ(reply.status, 200) << reply.body;
  const json exported = reply.json()["tables"];

  auto lease = test_db_->db().lease();
  soci::session& sql = lease.session();
  const bool pg = test_db_->db().backend() == storage::Backend::kPostgresql;
  std::vector<std::string> tables;
  {
    std::string t;
    soci::statement st = (sql.prepare << (pg ? "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                               "current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
                                             : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1"),
                          soci::into(t));
    st.execute();
    while (st.fetch()) tables.push_back(t);
  }
  std::map<std::string, std::vector<std::string>> columns_of;
  for (const auto& table : tables) {
    std::string c;
    soci::statement st =
        pg ? (sql.prepare << "SELECT column_name FROM information_schema.columns WHERE table_schema = "
                             "current_schema() AND table_name = :t ORDER BY ordinal_position",
              soci::use(table), soci::into(c))
           : (sql.prepare << "SELECT name FROM pragma_table_info(:t) ORDER BY cid", soci::use(table), soci::into(c));
    st.execute();
    while (st.fetch()) columns_of[table].push_back(c);
  }
  // Every row, in any table, with `needle` in any column; each must be in the export as it is.
  std::map<std::string, std::vector<json>> found;
  const auto scan = [&](const std::string& needle) {
    for (const auto& table : tables) {
      const auto& columns = columns_of[table];
      std::string select, any;
      for (std::size_t i = 0; i < columns.size(); ++i) {
        select += std::string(select.empty() ? "" : ", ") + "CAST(\"" + columns[i] + "\" AS TEXT)";
        any +=
            std::string(any.empty() ? "" : " OR ") + "CAST(\"" + columns[i] + "\" AS TEXT) LIKE :n" + std::to_string(i);
      }
      const auto rows = test_db_->db().statements(sql).query(
          "SELECT " + select + " FROM \"" + table + "\" WHERE " + any,
          std::vector<storage::SqlText>(columns.size(), "%" + needle + "%"), columns.size());
      for (const auto& row : rows) {
        json expected = json::object();
        for (std::size_t i = 0; i < columns.size(); ++i) {
          if (columns[i] == "hashed_password") continue;
          expected[columns[i]] = row[i] ? json(*row[i]) : json(nullptr);
        }
        bool there = false;
        if (exported.contains(table)) {
          for (const auto& e : exported[table]) there = there || e == expected;
        }
        EXPECT_TRUE(there) << table << " row naming " << needle << " is not in the export: " << expected.dump();
        found[table].push_back(std::move(expected));
      }
    }
  };
  // The player's id and email; then what names their tickets and transacciones (the ganador, its
  // refund); then what names their ganadores (the payout, the account it was paid to).
  scan(ana.id);
  scan(email);
  const auto ids_in = [&](const std::string& table) {
    std::set<std::string> ids;
    for (const auto& row : found[table]) {
      if (row.contains("id") && row["id"].is_string()) ids.insert(row["id"].get<std::string>());
    }
    return ids;
  };
  for (const char* owned : {"tickets", "transacciones"}) {
    for (const auto& row_id : ids_in(owned)) scan(row_id);
  }
  for (const auto& row_id : ids_in("ganadores")) scan(row_id);
  // The kinds of rows this test set out to make were there to find.
  for (const char* t : {"users", "tickets", "transacciones", "ganadores", "payouts", "cuentas_pago", "reembolsos",
                        "login_throttle", "audit_log", "idempotency_keys"}) {
    EXPECT_FALSE(found[t].empty()) << t;
  }
  EXPECT_EQ(reply.body.find(beto.id), std::string::npos);
}

// The API's services with another UVT for next year: 100 pesos, so 48 UVT = 480.000 cents.
class NextYearUvtTest : public PrizeTaxApiTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override {
    PrizeTaxApiTest::configure_api(options);
    tax_.uvt_pesos_by_year[this_year() + 1] = 100;
    options.tax = tax_;
  }
  // The API's clock a year on; the admin logs in again then.
  void next_year() {
    clock_.advance(std::chrono::hours(24 * 366));
    ASSERT_EQ(settlement::bogota_year(clock_.now()), this_year() + 1);
    admin_ = login_as("admin@rifa.test");
  }
};

// One rule for the year of payment, wherever a prize is paid: settled this year (its UVT puts the
// prizes above 48 UVT), paid by hand or its prize in kind handed over next year (whose UVT puts
// them below): nothing is withheld, the figures stored and shown are next year's, and the
// verificacion check still holds. (The payout job's case: APrizePaidInTheNextYear... above.)
TEST_F(NextYearUvtTest, AManualPaymentAndAPrizeInKindAreJudgedWithTheUvtOfTheYearOfPayment) {
  const json one = one_tier();
  const std::string cash = open_rifa(one);
  auto player = register_jugador("manual@example.com");
  sell_all_and_settle(cash, player);
  const json moto = {{"tiers",
                      {{{"name", "moto"},
                        {"match", {{"field", "numero"}, {"digits", "last"}, {"count", 2}}},
                        {"prize", {{"type", "in_kind"}, {"description", "Moto AKT 125"}, {"value_cents", 400'000}}}}}},
                     {"unsold", "house"}};
  const std::string in_kind = open_rifa(moto);
  auto second = register_jugador("especie@example.com");
  sell_all_and_settle(in_kind, second);
  auto settled = call("GET", "/api/v1/rifas/" + cash + "/resultados", "", admin_.token).json()["ganadores"][0];
  EXPECT_EQ(settled["retencion"], 75'000);
  auto goods = call("GET", "/api/v1/rifas/" + in_kind + "/resultados", "", admin_.token).json()["ganadores"][0];
  EXPECT_EQ(goods["retencion"], 80'000);
  EXPECT_EQ(goods["uvt_anio"], this_year());

  next_year();
  auto paid = call("POST", "/api/v1/ganadores/" + settled["id"].get<std::string>() + "/pagos",
                   json{{"referencia", "TRF-ENERO"}}, admin_.token);
  ASSERT_EQ(paid.status, 200) << paid.body;
  auto shown = call("GET", "/api/v1/rifas/" + cash + "/resultados", "", admin_.token).json()["ganadores"][0];
  EXPECT_EQ(shown["retencion"], 0);
  EXPECT_EQ(shown["monto_neto"], 375'000);
  EXPECT_EQ(shown["uvt_anio"], this_year() + 1);
  EXPECT_EQ(count("SELECT count(*) FROM payouts WHERE provider = 'manual' AND monto = 375000"), 1);
  auto check = settlement::check_verification(call("GET", "/api/v1/rifas/" + cash + "/verificacion").json());
  EXPECT_TRUE(check.ok()) << json(check.differences).dump();

  // In kind: next year it owes nothing, so there is no withholding to record and it is delivered.
  const std::string ganador = goods["id"];
  expect_problem(
      call("POST", "/api/v1/ganadores/" + ganador + "/retencion", json{{"referencia", "RC-1"}}, admin_.token), 409);
  auto delivered = call("POST", "/api/v1/ganadores/" + ganador + "/entregado", "", admin_.token);
  ASSERT_EQ(delivered.status, 200) << delivered.body;
  auto handed = call("GET", "/api/v1/rifas/" + in_kind + "/resultados", "", admin_.token).json()["ganadores"][0];
  EXPECT_EQ(handed["retencion"], 0);
  EXPECT_EQ(handed["monto_neto"], 400'000);
  EXPECT_EQ(handed["uvt_anio"], this_year() + 1);
  check = settlement::check_verification(call("GET", "/api/v1/rifas/" + in_kind + "/verificacion").json());
  EXPECT_TRUE(check.ok()) << json(check.differences).dump();
}

// At the threshold, end to end: exactly 48 UVT (240.000 cents at the test's UVT) withholds
// nothing; one cent above withholds 20 % of the whole prize; a fund carried over from earlier
// rifas is part of the gross and can take a share over the threshold. Each through the real
// settlement and payout jobs; /resultados, the winner notification, the verificacion check and the
// report agree on every figure, and the sandbox paid the net.
TEST_F(PrizeTaxApiTest, AtTheThresholdResultadosNotificationVerificacionAndReportAgree) {
  struct Case {
    const char* name;
    int share_bp;
    int64_t carried_in;  // categoria_rifa.fondo_acumulado when the rifa is made
    int64_t gross, withheld;
  };
  // The fund: 100 × 5.000 cents less 25 % = 375.000, plus what was carried in.
  const Case cases[] = {
      {"exactly 48 UVT", 6400, 0, 240'000, 0},
      {"one cent above (2 cents carried in)", 6400, 2, 240'001, 48'000},
      {"a carried-over fund takes a share over", 5000, 125'000, 250'000, 50'000},
  };
  std::vector<int64_t> nets;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    if (!categorias_.count("Tax")) categorias_["Tax"] = create_categoria("Tax", 5000);
    {
      auto lease = test_db_->db().lease();
      const long long carried = c.carried_in;
      lease.session() << "UPDATE categoria_rifa SET fondo_acumulado = :c WHERE id = :id", soci::use(carried),
          soci::use(categorias_["Tax"]);
    }
    const std::string id = open_rifa(one_tier(c.share_bp));
    auto player = register_jugador("umbral" + std::to_string(nets.size()) + "@example.com");
    sell_all_and_settle(id, player);
    run_jobs(true);
    const int64_t net = c.gross - c.withheld;
    nets.push_back(net);

    auto g = call("GET", "/api/v1/rifas/" + id + "/resultados", "", admin_.token).json()["ganadores"][0];
    EXPECT_EQ(g["monto_bruto"], c.gross) << g.dump();
    EXPECT_EQ(g["retencion"], c.withheld);
    EXPECT_EQ(g["monto_neto"], net);
    EXPECT_EQ(g["pago"]["estado"], "enviado");
    bool told = false;
    for (const auto& e : events("winner")) {
      if (e["data"]["ganador_id"] != g["id"]) continue;
      told = true;
      EXPECT_EQ(e["data"]["monto_bruto"], c.gross);
      EXPECT_EQ(e["data"]["retencion"], c.withheld);
      EXPECT_EQ(e["data"]["monto_neto"], net);
    }
    EXPECT_TRUE(told);
    const json v = call("GET", "/api/v1/rifas/" + id + "/verificacion").json();
    ASSERT_EQ(v["ganadores"].size(), 1u) << v.dump();
    EXPECT_EQ(v["ganadores"][0]["monto_bruto"], c.gross);
    EXPECT_EQ(v["ganadores"][0]["retencion"], c.withheld);
    EXPECT_EQ(v["ganadores"][0]["monto_neto"], net);
    auto check = settlement::check_verification(v);
    EXPECT_TRUE(check.ok()) << json(check.differences).dump();
    bool row_found = false;
    const json rep = report();
    for (const auto& row : rep["retenciones"]) {
      if (row["ganador_id"] != g["id"]) continue;
      row_found = true;
      EXPECT_EQ(row["bruto"], c.gross);
      EXPECT_EQ(row["retencion"], c.withheld);
      EXPECT_EQ(row["neto"], net);
    }
    EXPECT_TRUE(row_found) << rep.dump();
  }
  std::sort(nets.begin(), nets.end());
  EXPECT_EQ(sandbox_payouts(), nets);
}

// The retention of inactive jugadores' personal data as it runs in a host: its settings read from
// YAML (datos_personales), the periodic datos.retencion job enqueued by the scheduler and run by
// the job runner (JobWiring, the host's own wiring), on the API's clock.
class RetentionJobTest : public PrizeTaxApiTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override {
    PrizeTaxApiTest::configure_api(options);
    const std::string yaml =
        "database:\n  url: sqlite3://rifa.db\n"
        "plugins:\n  instances:\n    mock: {library: lottery_mock, kind: lottery}\n"
        "    sandbox_tax: {library: payment_sandbox, kind: payment}\n"
        "bindings:\n  defaults: {lottery: mock, payment: sandbox_tax, notifiers: []}\n"
        "datos_personales: {politica_version: '2026-01', retencion_inactivos_dias: 365}\n";
    auto loaded = settings::load_settings_text(yaml, "rifa.yaml", files_.path(), settings::environment_from_map({}));
    ASSERT_TRUE(loaded.ok()) << loaded.errors().front().message;
    host_settings_ = loaded.settings();
    host_settings_.jobs.max_attempts = 1;
    options.data_policy.version = host_settings_.datos_personales.politica_version;
    options.data_policy.retention_days = host_settings_.datos_personales.retencion_inactivos_dias;
  }
  settings::Settings host_settings_;
};

// A winner inactive past the retention is anonymised by the job; the withholding record keeps
// their name and document as of the withholding, so the report, /resultados, the ingresos and the
// verificacion document do not move. A player active within it is kept.
TEST_F(RetentionJobTest, TheRetentionJobErasesAnInactiveWinnerAndTheWithholdingRecordSurvives) {
  ASSERT_EQ(host_settings_.datos_personales.retencion_inactivos_dias, 365);
  const json one = one_tier();
  const std::string id = open_rifa(one);
  auto winner = register_jugador("inactiva@example.com", "Ines Inactiva");
  sell_all_and_settle(id, winner);
  run_jobs(true);
  const std::string documento = text("SELECT documento_numero FROM users WHERE id = '" + winner.id + "'");

  const std::vector<std::string> paths = money_views(id);
  std::vector<std::string> before;
  for (const auto& path : paths) before.push_back(call("GET", path, "", admin_.token).body);
  ASSERT_NE(before[1].find(",Ines Inactiva,CC," + documento + ","), std::string::npos) << before[1];

  // 400 days on; another player logs in on day 100 and stays within the retention.
  clock_.advance(std::chrono::hours(24 * 100));
  auto active = register_jugador("activa@example.com");
  clock_.advance(std::chrono::hours(24 * 300));
  admin_ = login_as("admin@rifa.test");

  app::JobWiring background(test_db_->db(), host_settings_, *plugins_, *wiring_, nullptr, "retention-host");
  auto tick = background.scheduler().tick();
  ASSERT_TRUE(tick.ok()) << tick.error().message;
  EXPECT_GE(background.runner().drain(), 1);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'datos.retencion' AND status = 'succeeded'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE id = '" + winner.id + "' AND anonimizado_en IS NOT NULL"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE documento_numero = '" + documento + "'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM users WHERE id = '" + active.id + "' AND anonimizado_en IS NULL"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'user.erased' AND actor = 'job:retention'"), 1);

  for (size_t i = 0; i < paths.size(); ++i) {
    auto r = call("GET", paths[i], "", admin_.token);
    ASSERT_EQ(r.status, 200) << paths[i] << ": " << r.body;
    EXPECT_EQ(r.body, before[i]) << paths[i];
  }
}

}  // namespace
}  // namespace rifa::testing
