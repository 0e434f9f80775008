// Payouts an operator can run (issue 13 item 4) over real HTTP, on SQLite and PostgreSQL, with the
// real payment_sandbox library paying (its state file shows what it was asked to pay, and to whom)
// and the real job runner: the winner's account (PUT /ganadores/{id}/cuenta), the admin's approval
// above payouts.approval_threshold_cents (POST /ganadores/{id}/aprobar), the manual payment record
// (POST /ganadores/{id}/pagos), the refusal to pay a refunded ticket, masking, roles and formats.
#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "app/payout_jobs.hpp"
#include "jobs/job_runner.hpp"
#include "plugin_runtime/http_transport.hpp"
#include "sales_fixture.hpp"
#include "storage/sql_job_queue.hpp"
#include "test_database.hpp"

namespace rifa::testing {
namespace {

using nlohmann::json;

// Prizes whose gross is above 1.000 pesos wait for an admin.
constexpr int64_t kThreshold = 100000;
constexpr const char* kAccountNumber = "12345678901";
constexpr const char* kDocument = "1020304050";

class PayoutClaimsApiTest : public SalesApiTest {
 protected:
  void configure_api(app::ApiWiringOptions& options) override {
    SalesApiTest::configure_api(options);
    plugin_runtime::HostServices services;
    services.logger = std::make_shared<spdlog::logger>("plugin.sandbox_pay", sink_);
    services.now_unix_ms = [] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
    auto added = plugins_->add(
        {"sandbox_pay", std::filesystem::path(RIFA_PLUGIN_DIR) / "libpayment_sandbox.so", RIFA_KIND_PAYMENT,
         json{{"confirm", "immediate"}, {"webhook_secret", kSandboxSecret}, {"state_file", state_file()}}},
        services);
    ASSERT_TRUE(added.ok()) << added.error().message;
    options.bindings.categorias["Premios"].payment = "sandbox_pay";
    options.payout_approval_threshold_cents = kThreshold;
    settings_.bindings = options.bindings;
    settings_.jobs.max_attempts = 1;
    settings_.payouts.approval_threshold_cents = kThreshold;
  }

  // Three tickets of one rifa bought by `winner_`, the rifa resuelta and three cash ganadores on
  // them: g-big and g-third above the threshold, g-small below; their payout jobs queued as
  // settlement queues them.
  void SetUp() override {
    previous_default_ = spdlog::default_logger();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("captured", sink_));
    SalesApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    rifa_ = active_rifa("Premios");
    winner_ = register_jugador("ganadora@example.com", "Ana Ganadora");
    ASSERT_EQ(buy(winner_, rifa_, 3, "k-premios").status, 201);
    exec("UPDATE rifas SET estado = 'resuelta' WHERE id = '" + rifa_ + "'");
    const char* ids[] = {"g-big", "g-small", "g-third"};
    const int64_t montos[] = {250000, 50000, 300000};
    for (int i = 0; i < 3; ++i) {
      const std::string numero = std::to_string(i);
      exec("UPDATE tickets SET estado = 'ganador' WHERE rifa_id = '" + rifa_ + "' AND numero = " + numero);
      exec(std::string("INSERT INTO ganadores (id, ticket_id, tier, monto_ganado) SELECT '") + ids[i] + "', id, 0, " +
           std::to_string(montos[i]) + " FROM tickets WHERE rifa_id = '" + rifa_ + "' AND numero = " + numero);
      storage::SqlJobQueue queue(test_db_->db(), [] { return std::chrono::system_clock::now(); });
      jobs::EnqueueRequest job;
      job.kind = jobs::kPayoutSend;
      job.payload = {{"ganador_id", ids[i]}};
      job.dedupe_key = std::string("payout:") + ids[i];
      job.max_attempts = 1;
      ASSERT_TRUE(queue.enqueue(job).ok());
    }
  }

  void TearDown() override {
    SalesApiTest::TearDown();
    spdlog::set_default_logger(previous_default_);
  }

  std::string state_file() const { return (files_.path() / "sandbox_pay.jsonl").string(); }

  // The due jobs (payouts and their notifications), run to the end; returns how many ran.
  int run_payouts() {
    storage::SqlJobQueue queue(test_db_->db(),
                               [] { return std::chrono::system_clock::now() + std::chrono::minutes(1); });
    jobs::JobRunner runner(queue, jobs::RunnerOptions{"claims-test", 1},
                           std::make_shared<spdlog::logger>("jobs", sink_));
    app::register_payout_jobs(runner, test_db_->db(), settings_, *plugins_, app::PayoutJobsShared{});
    return runner.drain();
  }

  // The payouts the sandbox made for this idempotency key (the ganador id), as it recorded them.
  std::vector<json> sandbox_payouts(const std::string& ganador_id) {
    std::vector<json> out;
    std::ifstream in(state_file());
    for (std::string line; std::getline(in, line);) {
      auto doc = json::parse(line, nullptr, false);
      if (doc.is_discarded()) continue;
      const json& record = doc.contains("record") ? doc["record"] : doc;
      if (record.value("idempotency_key", "") == ganador_id && record.value("ref", "").rfind("sbx_po_", 0) == 0) {
        out.push_back(record);
      }
    }
    return out;
  }

  std::string text(const std::string& sql_text) {
    std::string out;
    soci::indicator ind = soci::i_null;
    auto lease = test_db_->db().lease();
    lease.session() << sql_text, soci::into(out, ind);
    return ind == soci::i_ok ? out : "";
  }

  static json bank_account() {
    return {{"tipo", "bancaria"},        {"banco", "bancolombia"}, {"tipo_cuenta", "ahorros"},
            {"numero", "123-456789-01"}, {"documento_tipo", "CC"}, {"documento_numero", kDocument}};
  }

  ApiReply set_account(const std::string& ganador, const json& body, const std::string& token) {
    return call("PUT", "/api/v1/ganadores/" + ganador + "/cuenta", body, token);
  }
  ApiReply approve(const std::string& ganador, const std::string& token) {
    return call("POST", "/api/v1/ganadores/" + ganador + "/aprobar", "", token);
  }
  ApiReply pay_by_hand(const std::string& ganador, const std::string& referencia, const std::string& token) {
    return call("POST", "/api/v1/ganadores/" + ganador + "/pagos", json{{"referencia", referencia}}, token);
  }
  ApiReply verify(const std::string& ganador, const std::string& token) {
    return call("POST", "/api/v1/ganadores/" + ganador + "/pagos/verificar", "", token);
  }
  ApiReply declare_failed(const std::string& ganador, const json& body, const std::string& token) {
    return call("POST", "/api/v1/ganadores/" + ganador + "/pagos/fallido", body, token);
  }
  ApiReply unlock(const std::string& ganador, const json& body, const std::string& token) {
    return call("POST", "/api/v1/ganadores/" + ganador + "/cuenta/desbloquear", body, token);
  }
  // What the job leaves when it counted an attempt and then nothing was recorded (the provider's
  // answer lost, the host died): the row pinned to the plugin, pendiente, one attempt.
  void unanswered_attempt(const std::string& ganador, int64_t monto) {
    exec(
        "INSERT INTO payouts (ganador_id, tipo, estado, monto, currency, provider, idempotency_key, intentos) "
        "VALUES ('" +
        ganador + "', 'cash', 'pendiente', " + std::to_string(monto) + ", 'COP', 'sandbox_pay', '" + ganador + "', 1)");
  }
  long long queued_payout_jobs(const std::string& ganador) {
    return count(
        "SELECT count(*) FROM jobs WHERE kind = 'payout.send' AND status = 'queued' AND CAST(payload AS TEXT) LIKE '%" +
        ganador + "%'");
  }

  std::ostringstream captured_;
  spdlog::sink_ptr sink_ = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured_);
  std::shared_ptr<spdlog::logger> previous_default_;
  TempDir files_;
  settings::Settings settings_;
  std::string rifa_;
  Account winner_;
};

TEST_F(PayoutClaimsApiTest, APrizeAboveTheThresholdWaitsForTheAdminAndOneBelowDoesNot) {
  EXPECT_EQ(run_payouts(), 3);
  // Below: paid by the job at once. Above: nothing sent, no payouts row, the job ended (not dead).
  EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = 'g-small'"), "enviado");
  EXPECT_EQ(sandbox_payouts("g-small").size(), 1u);
  EXPECT_EQ(count("SELECT count(*) FROM payouts WHERE ganador_id IN ('g-big', 'g-third')"), 0);
  EXPECT_TRUE(sandbox_payouts("g-big").empty());
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE dedupe_key = 'payout:g-big' AND status = 'succeeded'"), 1);

  // The approval needs the account first (it checks the holder).
  expect_problem(approve("g-big", admin_.token), 409, "cuenta");
  auto account = set_account("g-big", bank_account(), winner_.token);
  ASSERT_EQ(account.status, 200) << account.body;
  EXPECT_TRUE(account.json()["aprobacion"]["requerida"].get<bool>());
  EXPECT_TRUE(account.json()["aprobacion"]["aprobado_por"].is_null());

  auto approved = approve("g-big", admin_.token);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json()["aprobacion"]["aprobado_por"], admin_.id);
  EXPECT_TRUE(approved.json()["aprobacion"]["aprobado_en"].is_string());
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.approved' AND entity_id = 'g-big'"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payout.send' AND status = 'queued'"), 1);

  EXPECT_GE(run_payouts(), 1);
  EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = 'g-big'"), "enviado");
  auto paid = sandbox_payouts("g-big");
  ASSERT_EQ(paid.size(), 1u);
  EXPECT_EQ(paid[0]["amount_cents"], 250000);
  // The provider, and only the provider, gets the account whole.
  EXPECT_EQ(paid[0]["beneficiary"]["cuenta"]["numero"], kAccountNumber) << paid[0].dump();
  EXPECT_EQ(paid[0]["beneficiary"]["cuenta"]["banco"], "bancolombia");
  // g-third, never approved, is still unpaid.
  EXPECT_TRUE(sandbox_payouts("g-third").empty());

  // Approving again changes nothing; the account is now fixed.
  auto again = approve("g-big", admin_.token);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["aprobacion"]["aprobado_en"], approved.json()["aprobacion"]["aprobado_en"]);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.approved'"), 1);
  expect_problem(set_account("g-big", bank_account(), winner_.token), 409, "cuenta");
}

TEST_F(PayoutClaimsApiTest, AnAdminRecordsAPrizePaidByHandOnceAndThePayoutJobThenPaysNothing) {
  ASSERT_EQ(set_account("g-big", bank_account(), winner_.token).status, 200);
  // Above the threshold, a manual payment also waits for the approval.
  expect_problem(pay_by_hand("g-big", "TRX-1", admin_.token), 409, "aprobacion");
  ASSERT_EQ(approve("g-big", admin_.token).status, 200);

  auto paid = pay_by_hand("g-big", "TRX-1", admin_.token);
  ASSERT_EQ(paid.status, 200) << paid.body;
  const json body = paid.json();
  EXPECT_EQ(body["pago"]["estado"], "enviado");
  EXPECT_EQ(body["pago"]["provider"], "manual");
  EXPECT_EQ(body["pago"]["referencia"], "TRX-1");
  EXPECT_EQ(body["pago"]["entregado_por"], admin_.id);
  EXPECT_TRUE(body["pago"]["fecha_pago"].is_string()) << body;
  EXPECT_EQ(text("SELECT referencia_pago FROM ganadores WHERE id = 'g-big'"), "TRX-1");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.manual' AND entity_id = 'g-big'"), 1);

  // The same reference again: the same answer, nothing new; another one: refused.
  auto again = pay_by_hand("g-big", "TRX-1", admin_.token);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["pago"]["fecha_pago"], body["pago"]["fecha_pago"]);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.manual'"), 1);
  expect_problem(pay_by_hand("g-big", "TRX-2", admin_.token), 409);

  // The payout jobs (settlement's and the approval's) find it paid: the provider is never asked.
  run_payouts();
  EXPECT_TRUE(sandbox_payouts("g-big").empty());
  EXPECT_EQ(text("SELECT provider FROM payouts WHERE ganador_id = 'g-big'"), "manual");
  EXPECT_EQ(count("SELECT count(*) FROM jobs WHERE kind = 'payout.send' AND status <> 'succeeded'"), 0);

  // A prize the job paid through the plugin is not paid by hand too.
  expect_problem(pay_by_hand("g-small", "TRX-3", admin_.token), 409);
  EXPECT_EQ(text("SELECT provider FROM payouts WHERE ganador_id = 'g-small'"), "sandbox_pay");
}

TEST_F(PayoutClaimsApiTest, AManualPaymentIsRefusedWhileAPayoutAttemptHasNoAnswer) {
  // The job counted an attempt before calling the provider (and then nothing was recorded): the
  // provider may have paid, so paying by hand too could pay twice.
  exec(
      "INSERT INTO payouts (ganador_id, tipo, estado, monto, currency, provider, idempotency_key, intentos) VALUES "
      "('g-small', 'cash', 'pendiente', 50000, 'COP', 'sandbox_pay', 'g-small', 1)");
  expect_problem(pay_by_hand("g-small", "TRX-9", admin_.token), 409);
  EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = 'g-small'"), "pendiente");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.manual'"), 0);
}

// The payout job and an admin's manual payment of the same prizes at once: each prize ends paid
// exactly once, by hand or by the provider, never both.
TEST_F(PayoutClaimsApiTest, AManualPaymentRacingThePayoutJobPaysEachPrizeOnce) {
  for (const char* g : {"g-big", "g-third"}) {
    ASSERT_EQ(set_account(g, bank_account(), winner_.token).status, 200);
    ASSERT_EQ(approve(g, admin_.token).status, 200);
  }
  std::atomic<bool> go{false};
  std::thread jobs([&] {
    while (!go) std::this_thread::yield();
    run_payouts();
  });
  std::map<std::string, long> manual;
  go = true;
  for (const char* g : {"g-small", "g-big", "g-third"})
    manual[g] = pay_by_hand(g, std::string("TRX-") + g, admin_.token).status;
  jobs.join();
  run_payouts();
  for (const char* g : {"g-small", "g-big", "g-third"}) {
    SCOPED_TRACE(g);
    EXPECT_EQ(text(std::string("SELECT estado FROM payouts WHERE ganador_id = '") + g + "'"), "enviado");
    const std::string provider = text(std::string("SELECT provider FROM payouts WHERE ganador_id = '") + g + "'");
    if (manual[g] == 200) {
      EXPECT_EQ(provider, "manual");
      EXPECT_TRUE(sandbox_payouts(g).empty());
    } else {
      EXPECT_EQ(manual[g], 409);
      EXPECT_EQ(provider, "sandbox_pay");
      EXPECT_EQ(sandbox_payouts(g).size(), 1u);
    }
  }
}

TEST_F(PayoutClaimsApiTest, APrizeOnARefundedOrDisputedTicketIsNeverPaid) {
  ASSERT_EQ(set_account("g-big", bank_account(), winner_.token).status, 200);
  // The purchase was refunded (a dispute moves it the same way): the buyer has the money back.
  exec(
      "UPDATE transacciones SET status = 'refunded' WHERE id IN (SELECT transaccion_id FROM tickets WHERE rifa_id = '" +
      rifa_ + "')");
  exec("UPDATE tickets SET estado = 'anulado' WHERE rifa_id = '" + rifa_ + "'");

  expect_problem(
      approve("g-big", admin_.token), 409, "",
      "ganador g-big: its ticket is anulado and its purchase refunded; no prize is paid for a refunded ticket");
  exec("UPDATE ganadores SET aprobado_por = '" + admin_.id + "' WHERE id = 'g-big'");
  expect_problem(
      pay_by_hand("g-big", "TRX-1", admin_.token), 409, "",
      "ganador g-big: its ticket is anulado and its purchase refunded; no prize is paid for a refunded ticket");
  run_payouts();
  for (const char* g : {"g-big", "g-small", "g-third"}) EXPECT_TRUE(sandbox_payouts(g).empty()) << g;
  EXPECT_EQ(count("SELECT count(*) FROM payouts"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM ganadores WHERE referencia_pago IS NOT NULL OR fecha_pago IS NOT NULL"), 0);
}

TEST_F(PayoutClaimsApiTest, TheAccountIsMaskedInEveryReplyAuditRowAndLogLine) {
  auto bank = set_account("g-big", bank_account(), winner_.token);
  ASSERT_EQ(bank.status, 200) << bank.body;
  const json cuenta = bank.json()["cuenta"];
  EXPECT_EQ(cuenta, (json{{"tipo", "bancaria"},
                          {"banco", "bancolombia"},
                          {"banco_nombre", "Bancolombia"},
                          {"tipo_cuenta", "ahorros"},
                          {"numero", "*******8901"},
                          {"documento_tipo", "CC"},
                          {"documento_numero", "******4050"}}));
  auto nequi = set_account("g-third",
                           json{{"tipo", "nequi"},
                                {"telefono", "+57 300 123 4567"},
                                {"documento_tipo", "CC"},
                                {"documento_numero", kDocument}},
                           winner_.token);
  ASSERT_EQ(nequi.status, 200) << nequi.body;
  EXPECT_EQ(nequi.json()["cuenta"]["telefono"], "******4567");
  EXPECT_FALSE(nequi.json()["cuenta"].contains("numero"));
  EXPECT_EQ(text("SELECT telefono FROM cuentas_pago WHERE ganador_id = 'g-third'"), "3001234567");

  auto approved = approve("g-big", admin_.token);
  ASSERT_EQ(approved.status, 200);
  run_payouts();
  auto paid = pay_by_hand("g-third", "TRX-7", admin_.token);
  ASSERT_EQ(paid.status, 409) << paid.body;  // not approved yet
  ASSERT_EQ(approve("g-third", admin_.token).status, 200);
  paid = pay_by_hand("g-third", "TRX-7", admin_.token);
  ASSERT_EQ(paid.status, 200) << paid.body;

  for (const auto& reply : {bank, nequi, approved, paid}) {
    EXPECT_EQ(reply.body.find(kAccountNumber), std::string::npos) << reply.body;
    EXPECT_EQ(reply.body.find("3001234567"), std::string::npos) << reply.body;
    EXPECT_EQ(reply.body.find(kDocument), std::string::npos) << reply.body;
  }
  long long leaks = 0;
  for (const char* secret : {kAccountNumber, "3001234567", kDocument}) {
    leaks += count(std::string("SELECT count(*) FROM audit_log WHERE CAST(data AS TEXT) LIKE '%") + secret + "%'");
    leaks += count(std::string("SELECT count(*) FROM jobs WHERE CAST(payload AS TEXT) LIKE '%") + secret + "%'");
  }
  EXPECT_EQ(leaks, 0);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.account_set'"), 2);
  const std::string log = captured_.str();
  EXPECT_NE(log.find("payout"), std::string::npos) << "the capture saw nothing: " << log;
  for (const char* secret : {kAccountNumber, "3001234567", kDocument}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << " in the log:\n" << log;
  }
}

// Habeas data: the account is in the winner's export, whole (it is theirs), and erasure removes it.
TEST_F(PayoutClaimsApiTest, TheAccountIsExportedToTheWinnerAndGoesWithAnErasure) {
  ASSERT_EQ(set_account("g-big", bank_account(), winner_.token).status, 200);
  auto exported = call("GET", "/api/v1/users/" + winner_.id + "/export", "", winner_.token);
  ASSERT_EQ(exported.status, 200) << exported.body;
  const json rows = exported.json()["tables"]["cuentas_pago"];
  ASSERT_EQ(rows.size(), 1u) << rows;
  EXPECT_NE(rows.dump().find(kAccountNumber), std::string::npos) << rows;

  auto erased = call("DELETE", "/api/v1/users/" + winner_.id + "?erase=true", "", winner_.token);
  ASSERT_EQ(erased.status, 204) << erased.body;
  EXPECT_EQ(count("SELECT count(*) FROM cuentas_pago"), 0);
}

TEST_F(PayoutClaimsApiTest, OnlyTheWinnerGivesTheAccountAndOnlyAnAdminApprovesOrRecordsAPayment) {
  auto other = register_jugador("otro@example.com");
  auto op = make_user("op@example.com", engine::Rol::kOperador);
  expect_problem(set_account("g-big", bank_account(), ""), 401);
  expect_problem(set_account("g-big", bank_account(), other.token), 403);
  expect_problem(set_account("g-big", bank_account(), op.token), 403);
  expect_problem(set_account("g-big", bank_account(), admin_.token), 403);
  expect_problem(set_account("nadie", bank_account(), winner_.token), 404);
  ASSERT_EQ(set_account("g-big", bank_account(), winner_.token).status, 200);

  expect_problem(approve("g-big", ""), 401);
  expect_problem(approve("g-big", winner_.token), 403);
  expect_problem(approve("g-big", op.token), 403);
  expect_problem(approve("nadie", admin_.token), 404);
  expect_problem(pay_by_hand("g-small", "TRX-1", winner_.token), 403);
  expect_problem(pay_by_hand("g-small", "TRX-1", op.token), 403);
  expect_problem(call("POST", "/api/v1/ganadores/g-small/pagos", json::object(), admin_.token), 422, "referencia");
  expect_problem(call("POST", "/api/v1/ganadores/g-small/pagos", "{", admin_.token), 400);
  EXPECT_EQ(count("SELECT count(*) FROM ganadores WHERE aprobado_por IS NOT NULL"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM payouts"), 0);
}

TEST_F(PayoutClaimsApiTest, AnAccountInABadColombianFormatIs422OnItsField) {
  const auto with = [](json changes) {
    json body = bank_account();
    for (auto& [k, v] : changes.items()) {
      if (v.is_null()) {
        body.erase(k);
      } else {
        body[k] = v;
      }
    }
    return body;
  };
  const json nequi = {{"tipo", "nequi"}, {"documento_tipo", "CC"}, {"documento_numero", kDocument}};
  const auto nequi_with = [&](const json& changes) {
    json body = nequi;
    body.update(changes);
    return body;
  };
  const std::vector<std::pair<json, std::string>> cases = {
      {with({{"tipo", "paypal"}}), "tipo"},
      {with({{"banco", "banco_inventado"}}), "banco"},
      {with({{"banco", nullptr}}), "banco"},
      {with({{"tipo_cuenta", "nomina"}}), "tipo_cuenta"},
      {with({{"numero", "12ab5678"}}), "numero"},
      {with({{"numero", "12345"}}), "numero"},
      {with({{"numero", "123456789012345678901"}}), "numero"},
      {with({{"numero", "1111111111"}}), "numero"},
      {with({{"numero", nullptr}}), "numero"},
      {with({{"telefono", "3001234567"}}), "telefono"},
      {with({{"documento_tipo", "TI"}}), "documento_tipo"},
      {with({{"documento_tipo", "XX"}}), "documento_tipo"},
      {with({{"documento_numero", "12a4"}}), "documento_numero"},
      {with({{"nota", "x"}}), "nota"},
      {nequi, "telefono"},
      {nequi_with(json{{"telefono", "2001234567"}}), "telefono"},
      {nequi_with(json{{"telefono", "300123456"}}), "telefono"},
      {nequi_with(json{{"telefono", "+1 300 123 4567"}}), "telefono"},
      {nequi_with(json{{"telefono", "3001234567"}, {"numero", "12345678"}}), "numero"},
  };
  for (const auto& [body, field] : cases) {
    SCOPED_TRACE(body.dump());
    expect_problem(set_account("g-big", body, winner_.token), 422, field);
  }
  EXPECT_EQ(count("SELECT count(*) FROM cuentas_pago"), 0);
  // Spaces, dashes and +57 are how people write them.
  auto ok = set_account("g-big", nequi_with(json{{"telefono", "+57 300-123-4567"}}), winner_.token);
  EXPECT_EQ(ok.status, 200) << ok.body;
}

// The way out of an attempt with no answer (issue 13): the admin asks the plugin again with the
// same key. Here the attempt never reached the provider, so this is the payment, made once.
TEST_F(PayoutClaimsApiTest, AnUnansweredAttemptIsVerifiedWithTheProviderAndPaidOnce) {
  unanswered_attempt("g-small", 50000);
  expect_problem(pay_by_hand("g-small", "TRX-1", admin_.token), 409);
  auto verified = verify("g-small", admin_.token);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.json()["pago"]["estado"], "enviado");
  EXPECT_EQ(verified.json()["pago"]["provider"], "sandbox_pay");
  ASSERT_EQ(sandbox_payouts("g-small").size(), 1u);
  EXPECT_EQ(verified.json()["pago"]["referencia"], sandbox_payouts("g-small")[0]["ref"]);
  // The admin who asked signs the outcome.
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.sent' AND entity_id = 'g-small' AND "
                  "actor = '" +
                  admin_.id + "'"),
            1);
  // Again, and the job settlement queued: the provider is not asked to pay again.
  auto again = verify("g-small", admin_.token);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.json()["pago"]["referencia"], verified.json()["pago"]["referencia"]);
  run_payouts();
  EXPECT_EQ(sandbox_payouts("g-small").size(), 1u);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.sent' AND entity_id = 'g-small'"), 1);
  expect_problem(pay_by_hand("g-small", "TRX-1", admin_.token), 409);
}

// The provider paid but its answer never reached our database: asking again with the same key
// gets that payout back, never a second one.
TEST_F(PayoutClaimsApiTest, VerifyingAnAttemptTheProviderPaidButWeNeverRecordedDoesNotPayTwice) {
  run_payouts();
  ASSERT_EQ(sandbox_payouts("g-small").size(), 1u);
  const std::string ref = text("SELECT referencia FROM payouts WHERE ganador_id = 'g-small'");
  ASSERT_FALSE(ref.empty());
  exec(
      "UPDATE payouts SET estado = 'pendiente', referencia = NULL, provider_status = NULL WHERE ganador_id = "
      "'g-small'");
  exec("UPDATE ganadores SET fecha_pago = NULL, referencia_pago = NULL WHERE id = 'g-small'");

  expect_problem(pay_by_hand("g-small", "TRX-1", admin_.token), 409);
  auto verified = verify("g-small", admin_.token);
  ASSERT_EQ(verified.status, 200) << verified.body;
  EXPECT_EQ(verified.json()["pago"]["estado"], "enviado");
  EXPECT_EQ(verified.json()["pago"]["referencia"], ref);
  EXPECT_EQ(text("SELECT referencia_pago FROM ganadores WHERE id = 'g-small'"), ref);
  EXPECT_EQ(sandbox_payouts("g-small").size(), 1u);
  expect_problem(pay_by_hand("g-small", "TRX-1", admin_.token), 409);
}

TEST_F(PayoutClaimsApiTest, OnlyAnUnansweredAttemptThroughAPluginIsVerifiedAndOnlyByAnAdmin) {
  auto op = make_user("op-verifica@example.com", engine::Rol::kOperador);
  unanswered_attempt("g-small", 50000);
  expect_problem(verify("g-small", ""), 401);
  expect_problem(verify("g-small", winner_.token), 403);
  expect_problem(verify("g-small", op.token), 403);
  expect_problem(verify("nadie", admin_.token), 404);
  expect_problem(call("POST", "/api/v1/ganadores/g-small/pagos/verificar", json{{"x", 1}}, admin_.token), 422, "x");
  // Nothing attempted yet (the job or an approval sends it), or paid by hand: nothing to ask.
  expect_problem(verify("g-third", admin_.token), 409);
  ASSERT_EQ(set_account("g-big", bank_account(), winner_.token).status, 200);
  ASSERT_EQ(approve("g-big", admin_.token).status, 200);
  ASSERT_EQ(pay_by_hand("g-big", "TRX-1", admin_.token).status, 200);
  auto manual = verify("g-big", admin_.token);
  ASSERT_EQ(manual.status, 200) << manual.body;  // paid: answered as it stands
  EXPECT_EQ(manual.json()["pago"]["provider"], "manual");
  EXPECT_TRUE(sandbox_payouts("g-small").empty());
  EXPECT_TRUE(sandbox_payouts("g-big").empty());
}

// The admin has the provider's word that the unanswered attempt paid nothing: declared failed (a
// reason required, audited, the winner told), the job's retries cancelled, and the prize paid by
// hand; the provider is never asked again behind the admin's back.
TEST_F(PayoutClaimsApiTest, ADeclaredFailureCancelsTheRetriesAndAllowsAPaymentByHand) {
  auto op = make_user("op-fallido@example.com", engine::Rol::kOperador);
  const json motivo = {{"motivo", "Soporte de Sandbox Pay (caso 4411) confirma que no hubo pago"}};
  unanswered_attempt("g-small", 50000);
  ASSERT_EQ(queued_payout_jobs("g-small"), 1);
  expect_problem(declare_failed("g-small", motivo, winner_.token), 403);
  expect_problem(declare_failed("g-small", motivo, op.token), 403);
  expect_problem(declare_failed("g-small", json::object(), admin_.token), 422, "motivo");
  expect_problem(declare_failed("g-small", json{{"motivo", "no"}}, admin_.token), 422, "motivo");
  expect_problem(declare_failed("g-third", motivo, admin_.token), 409);  // never attempted
  expect_problem(declare_failed("nadie", motivo, admin_.token), 404);

  auto declared = declare_failed("g-small", motivo, admin_.token);
  ASSERT_EQ(declared.status, 200) << declared.body;
  EXPECT_EQ(declared.json()["pago"]["estado"], "fallido");
  EXPECT_NE(declared.json()["pago"]["motivo"].get<std::string>().find("caso 4411"), std::string::npos);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.failure_declared' AND entity_id = "
                  "'g-small' AND actor = '" +
                  admin_.id + "' AND CAST(data AS TEXT) LIKE '%caso 4411%'"),
            1);
  EXPECT_EQ(queued_payout_jobs("g-small"), 0);
  expect_problem(declare_failed("g-small", motivo, admin_.token), 409);  // not unanswered any more
  expect_problem(verify("g-small", admin_.token), 409);

  run_payouts();
  EXPECT_TRUE(sandbox_payouts("g-small").empty());
  auto paid = pay_by_hand("g-small", "TRX-1", admin_.token);
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(paid.json()["pago"]["estado"], "enviado");
  run_payouts();
  EXPECT_TRUE(sandbox_payouts("g-small").empty());
}

// After a declared failure, a new attempt through the plugin is the cancelled job retried by an
// admin (POST /admin/jobs/{id}/retry): the same key, paid once.
TEST_F(PayoutClaimsApiTest, AfterADeclaredFailureTheCancelledJobRetriedByAnAdminPaysOnce) {
  unanswered_attempt("g-small", 50000);
  ASSERT_EQ(
      declare_failed("g-small", json{{"motivo", "Soporte de Sandbox Pay confirma que no hubo pago"}}, admin_.token)
          .status,
      200);
  const std::string job = text(
      "SELECT id FROM jobs WHERE kind = 'payout.send' AND status = 'dead' AND "
      "CAST(payload AS TEXT) LIKE '%g-small%'");
  ASSERT_FALSE(job.empty());
  auto retried = call("POST", "/api/v1/admin/jobs/" + job + "/retry", "", admin_.token);
  ASSERT_EQ(retried.status, 200) << retried.body;
  run_payouts();
  EXPECT_EQ(sandbox_payouts("g-small").size(), 1u);
  EXPECT_EQ(text("SELECT estado FROM payouts WHERE ganador_id = 'g-small'"), "enviado");
  expect_problem(pay_by_hand("g-small", "TRX-1", admin_.token), 409);
}

// A payout job that holds its lease may be calling the provider this moment: neither a declared
// failure nor a payment by hand (after a decline its retry sends the key again) while it runs.
TEST_F(PayoutClaimsApiTest, ARunningPayoutJobHoldsOffTheDeclarationAndThePaymentByHand) {
  const json motivo = {{"motivo", "Soporte de Sandbox Pay confirma que no hubo pago"}};
  unanswered_attempt("g-small", 50000);
  const auto lease = [&](const std::string& until) {
    exec("UPDATE jobs SET status = 'running', lease_owner = 'other-host', lease_expires_at = '" + until +
         "' WHERE dedupe_key = 'payout:g-small'");
  };
  lease("2999-01-01T00:00:00.000Z");
  expect_problem(declare_failed("g-small", motivo, admin_.token), 409, "",
                 "ganador g-small: a payout job is calling the payment provider right now; try again once it has "
                 "ended");
  exec("UPDATE payouts SET estado = 'fallido', motivo = 'declined' WHERE ganador_id = 'g-small'");
  expect_problem(pay_by_hand("g-small", "TRX-1", admin_.token), 409, "",
                 "ganador g-small: a payout job is calling the payment provider right now; try again once it has "
                 "ended");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action IN ('payout.manual', 'payout.failure_declared')"), 0);
  // Its worker died: the lease ran out, and the payment by hand goes through.
  lease("2000-01-01T00:00:00.000Z");
  auto paid = pay_by_hand("g-small", "TRX-1", admin_.token);
  EXPECT_EQ(paid.status, 200) << paid.body;
}

// An approved account that turned out wrong (issue 13): the admin unlocks it (the approval is
// voided, audited with the account as it was), nothing is paid meanwhile, the winner corrects it
// (audited old and new, masked), an admin approves again, and the prize goes to the new account.
TEST_F(PayoutClaimsApiTest, AnAdminUnlocksAnApprovedAccountTheWinnerCorrectsItAndItIsApprovedAgain) {
  auto op = make_user("op-cuenta@example.com", engine::Rol::kOperador);
  const json motivo = {{"motivo", "La ganadora reporta que el número de cuenta está errado"}};
  ASSERT_EQ(set_account("g-big", bank_account(), winner_.token).status, 200);
  ASSERT_EQ(approve("g-big", admin_.token).status, 200);
  expect_problem(set_account("g-big", bank_account(), winner_.token), 409, "cuenta");
  expect_problem(unlock("g-big", motivo, winner_.token), 403);
  expect_problem(unlock("g-big", motivo, op.token), 403);
  expect_problem(unlock("g-big", json::object(), admin_.token), 422, "motivo");
  expect_problem(unlock("g-small", motivo, admin_.token), 409, "aprobacion");  // not approved: not locked
  expect_problem(unlock("nadie", motivo, admin_.token), 404);

  auto unlocked = unlock("g-big", motivo, admin_.token);
  ASSERT_EQ(unlocked.status, 200) << unlocked.body;
  EXPECT_TRUE(unlocked.json()["aprobacion"]["aprobado_por"].is_null());
  EXPECT_EQ(unlocked.json()["cuenta"]["numero"], "*******8901");
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.account_unlocked' AND entity_id = 'g-big' "
                  "AND CAST(data AS TEXT) LIKE '%*******8901%' AND CAST(data AS TEXT) LIKE '%errado%'"),
            1);
  EXPECT_EQ(queued_payout_jobs("g-big"), 0);
  run_payouts();
  EXPECT_TRUE(sandbox_payouts("g-big").empty());  // nothing paid while the account is being corrected

  json corrected = bank_account();
  corrected["numero"] = "98765432109";
  ASSERT_EQ(set_account("g-big", corrected, winner_.token).status, 200);
  EXPECT_EQ(
      count("SELECT count(*) FROM audit_log WHERE action = 'payout.account_set' AND entity_id = 'g-big' AND "
            "CAST(data AS TEXT) LIKE '%cuenta_anterior%*******8901%' AND CAST(data AS TEXT) LIKE '%*******2109%'"),
      1);
  auto approved = approve("g-big", admin_.token);
  ASSERT_EQ(approved.status, 200) << approved.body;
  EXPECT_EQ(approved.json()["aprobacion"]["aprobado_por"], admin_.id);
  EXPECT_EQ(queued_payout_jobs("g-big"), 1);
  run_payouts();
  auto paid = sandbox_payouts("g-big");
  ASSERT_EQ(paid.size(), 1u);
  EXPECT_EQ(paid[0]["beneficiary"]["cuenta"]["numero"], "98765432109");
  // Sent: locked for good.
  expect_problem(unlock("g-big", motivo, admin_.token), 409, "cuenta");
  long long leaks = 0;
  for (const char* whole : {kAccountNumber, "98765432109", kDocument}) {
    leaks += count(std::string("SELECT count(*) FROM audit_log WHERE CAST(data AS TEXT) LIKE '%") + whole + "%'");
  }
  EXPECT_EQ(leaks, 0);
}

TEST_F(PayoutClaimsApiTest, AnAccountStaysLockedOnceAPayoutWasAttemptedThroughAPlugin) {
  ASSERT_EQ(set_account("g-big", bank_account(), winner_.token).status, 200);
  ASSERT_EQ(approve("g-big", admin_.token).status, 200);
  unanswered_attempt("g-big", 250000);
  expect_problem(unlock("g-big", json{{"motivo", "La ganadora cambió de banco"}}, admin_.token), 409, "cuenta");
  EXPECT_EQ(text("SELECT aprobado_por FROM ganadores WHERE id = 'g-big'"), admin_.id);
  EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'payout.account_unlocked'"), 0);
}

}  // namespace
}  // namespace rifa::testing
